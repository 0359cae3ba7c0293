package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Bounds-check hoisting versions a counted loop: when one test before the
// loop proves that every index check inside it will pass, the loop runs a
// copy of its body without those checks; otherwise it runs the original,
// which raises IndexError at the same iteration Python would (after the
// same earlier iterations' effects, and not at all if the loop breaks
// first). `for i in range(n): s += x[i]` tests `n <= len(x)` once.
//
// A check qualifies when it compares, unsigned, the loop variable plus or
// minus a constant against an array's extent, the smallest such index is
// not negative, the loop counts up from
// a non-negative start, and neither the variable nor the array is
// rebound inside the loop. The loop's indices then stay below stop + c, so
// `stop <= extent - c` (which cannot overflow) proves them all in bounds.
func hoistChecksProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		h := &hoister{fn: f, log: log}
		f.Body = h.block(f.Body)
	}
}

type hoister struct {
	fn  *ir.Func
	log *strings.Builder
	// cold counts the checked copies around the loop being looked at.
	// Every versioned loop keeps its checked original, and versioning the
	// loops inside that original too doubled the code per level: an
	// 8-deep nest of small products became 2^8 copies of its body, 2.7 MB
	// of C that GCC took minutes over. Inside a checked copy only
	// innermost loops (no loop in their body) are versioned, so a nest of
	// depth d grows to about 2d copies of its body; the unchecked copies,
	// the ones that run when the tests pass, are versioned at every depth
	// as before. An innermost loop keeps its unchecked copy even where an
	// outer loop's test fails (a guarded index, `if E - w >= 0:` around
	// G[k, E - w]), which is where the time goes.
	cold int
}

func (h *hoister) block(body []ir.Stmt) []ir.Stmt {
	out := make([]ir.Stmt, 0, len(body))
	for _, s := range body {
		switch s := s.(type) {
		case *ir.If:
			s.Then = h.block(s.Then)
			s.Else = h.block(s.Else)
		case *ir.While:
			s.Body = h.block(s.Body)
		case *ir.Try:
			s.Body = h.block(s.Body)
			for i := range s.Handlers {
				s.Handlers[i].Body = h.block(s.Handlers[i].Body)
			}
		case *ir.Nest:
			s.Body = h.block(s.Body)
		case *ir.For:
			out = append(out, h.loop(s))
			continue
		}
		out = append(out, s)
	}
	return out
}

// hoistable is one check the loop version proves.
type hoistable struct {
	key  string
	cond ir.Expr // holds before the loop ⇒ the check passes in every iteration
	// index and extent are the texts of the index proved in [0, extent)
	// when the check was of its negative-index wrap (lowering's
	// select(i < 0, i + n, i)), "" otherwise.
	index, extent string
}

func (h *hoister) loop(s *ir.For) ir.Stmt {
	start, ok := s.Start.(*ir.Const)
	up := s.Sign == 1 && ok && start.I >= 0
	// Counting up from a start that is not a constant (range(i + 1, n)):
	// the test before the loop also checks the smallest index.
	upFrom := s.Sign == 1 && !ok && invariant(s.Start, nil, nil)
	// A loop counting down (range(n - 2, -1, -1)) takes values in
	// (stop, start]: tests of both ends before it prove its checks, when
	// both are pure expressions a test can evaluate again.
	down := s.Sign == -1 && invariant(s.Start, nil, nil) && invariant(s.Stop, nil, nil)
	if (!up && !down && !upFrom) || (h.cold > 0 && hasLoop(s.Body)) {
		s.Body = h.block(s.Body)
		return s
	}
	if !up {
		start = nil
	}
	// How many statements of the body bind each variable.
	assigned := map[*ir.Var]int{}
	ir.VisitStmts(s.Body, func(st ir.Stmt) {
		for _, v := range ir.Binds(st) {
			assigned[v]++
		}
	}, nil)
	// The loop's own variables: the counter and the copies of it the body
	// makes before anything else.
	idx := map[*ir.Var]bool{s.Var: true}
	for _, st := range s.Body {
		a, ok := st.(*ir.Assign)
		if !ok {
			break
		}
		src := a.Src
		if c, ok := src.(*ir.Cast); ok {
			src = c.X
		}
		if r, ok := src.(*ir.Ref); ok && idx[r.Var] && assigned[a.Dst] == 1 {
			idx[a.Dst] = true
			continue
		}
		break
	}
	defs := invariantDefs(s.Body, idx, assigned)
	idxDefs := indexDefs(s.Body, idx, assigned)
	var found []hoistable
	seen := map[string]bool{}
	// The indices proved in [0, extent) (by the extent's text): the
	// unchecked copy drops the negative-index wrap of each.
	proved := map[string]map[string]bool{}
	for p, top := range s.Body {
		ir.VisitStmts([]ir.Stmt{top}, func(st ir.Stmt) {
			c, ok := st.(*ir.Check)
			if !ok || c.Err != ir.ErrIndex {
				return
			}
			hc, ok := h.match(c, idx, assigned, s, defs, idxDefs.before(p))
			if ok && !seen[hc.key] {
				seen[hc.key] = true
				found = append(found, hc)
			}
			if ok && hc.index != "" {
				if proved[hc.extent] == nil {
					proved[hc.extent] = map[string]bool{}
				}
				proved[hc.extent][hc.index] = true
			}
		}, nil)
	}
	// Division checks the loop index cannot fail below 2**31 (divcheck.go).
	var divs []int
	if up {
		divs = provedDivChecks(s.Body, idx, assigned, start.I)
	}
	if len(divs) > 0 {
		found = append(found, hoistable{key: "index below 2**31",
			cond: &ir.Bin{Op: ir.Le, X: s.Stop, Y: ir.IntConst(divIndexLimit), T: types.BoolT}})
	}
	if len(found) == 0 {
		s.Body = h.block(s.Body)
		return s
	}
	var cond ir.Expr
	drop := map[string]bool{}
	for _, hc := range found {
		drop[hc.key] = true
		if cond == nil {
			cond = hc.cond
		} else {
			cond = &ir.Bin{Op: ir.And, X: cond, Y: hc.cond, T: types.BoolT}
		}
	}
	fastBody := dropChecks(dropPositions(copyStmts(s.Body), divs), drop)
	if len(proved) > 0 {
		fastBody = unwrapIndices(fastBody, idx, assigned, proved)
	}
	fast := &ir.For{Var: s.Var, Start: s.Start, Stop: s.Stop, Step: s.Step, Sign: s.Sign, Parallel: s.Parallel,
		Body: h.block(fastBody)}
	// In the unchecked copy a load whose every index check was proved
	// cannot fail whatever the branch around it, so the short-circuit
	// conditions that read it (signal[i] > signal[i - 1] and ...) are
	// computed without branches, as guards does for loads made earlier.
	g := &guards{inBounds: func(l *ir.Load) bool {
		for k, e := range l.Idx {
			i64 := types.ScalarOf(types.Uint64)
			key := ir.ExprString(&ir.Bin{Op: ir.Lt, X: &ir.Cast{X: e, T: i64},
				Y: &ir.Cast{X: &ir.Dim{Arr: l.Arr, Axis: k}, T: i64}, T: types.BoolT})
			if !drop[key] {
				return false
			}
		}
		return len(l.Idx) > 0
	}}
	fast.Body = g.combine(fast.Body)
	if g.combined > 0 {
		fmt.Fprintf(h.log, "%s: %d short-circuit conditions of a loop's unchecked copy computed without branches\n", h.fn.Name, g.combined)
	}
	h.cold++
	s.Body = h.block(s.Body)
	h.cold--
	s.Checked = true
	if len(divs) > 0 {
		fmt.Fprintf(h.log, "%s: %d division checks of a loop over [%s, %s) proved while its index stays below 2**31\n", h.fn.Name,
			len(divs), ir.ExprString(s.Start), ir.ExprString(s.Stop))
		found = found[:len(found)-1]
	}
	if len(found) > 0 {
		fmt.Fprintf(h.log, "%s: %d bounds checks of a loop over [%s, %s) tested once before it\n", h.fn.Name,
			len(found), ir.ExprString(s.Start), ir.ExprString(s.Stop))
	}
	return &ir.If{Cond: cond, Then: []ir.Stmt{fast}, Else: []ir.Stmt{s}}
}

// match recognises lt(u64(i + c), u64(extent)) for a loop index i, and a
// check whose condition the loop does not change (an index that is a
// constant or an outer loop's variable, as pos[i, 0] in an inner loop over
// j): its condition itself, tested before the loop, proves it.
func (h *hoister) match(c *ir.Check, idx map[*ir.Var]bool, assigned map[*ir.Var]int, loop *ir.For,
	defs map[*ir.Var]ir.Expr, idxDefs map[*ir.Var]ir.Expr) (hoistable, bool) {
	if invariant(c.Cond, idx, assigned) {
		return hoistable{key: ir.ExprString(c.Cond), cond: c.Cond}, true
	}
	if sc := substDefs(c.Cond, defs); invariant(sc, idx, assigned) {
		return hoistable{key: ir.ExprString(c.Cond), cond: sc}, true
	}
	b, ok := c.Cond.(*ir.Bin)
	if !ok || b.Op != ir.Lt {
		return hoistable{}, false
	}
	x, ok1 := b.X.(*ir.Cast)
	y, ok2 := b.Y.(*ir.Cast)
	if !ok1 || !ok2 {
		return hoistable{}, false
	}
	d, ok := y.X.(*ir.Dim)
	if !ok || assigned[d.Arr] > 0 {
		return hoistable{}, false
	}
	var off int64
	e := substDefs(x.X, idxDefs)
	// A negative index's wrap, select(j < 0, j + extent, j), checked
	// against the same extent: once j is proved in [0, extent) (the tests
	// below always prove the smallest index not negative), the select is
	// j and the check passes.
	var wrapped ir.Expr
	if j, ok := wrapOf(e, d); ok {
		wrapped, e = j, j
	}
	// An offset the loop does not change but the compiler does not know
	// (c - w in knapsack's range(W, w - 1, -1)): the tests move it to the
	// other side of each comparison, with its size bounded first so that
	// nothing overflows.
	var offE ir.Expr
	v, o, ok := splitIndex(e, idx, assigned)
	if !ok {
		return hoistable{}, false
	}
	e = &ir.Ref{Var: v}
	if k, isConst := o.(*ir.Const); o == nil || isConst {
		if o != nil {
			if !k.Type.DType.IsInt() || k.I < -(1<<40) || k.I > 1<<40 {
				return hoistable{}, false
			}
			off = k.I
		}
	} else {
		offE = o
	}
	r, ok := e.(*ir.Ref)
	if !ok || !idx[r.Var] {
		return hoistable{}, false
	}
	i64 := types.ScalarOf(types.Int64)
	if offE != nil {
		cond, ok := symbolicBounds(loop, d, offE)
		if !ok {
			return hoistable{}, false
		}
		return provedWrap(hoistable{key: ir.ExprString(c.Cond), cond: cond}, wrapped, d), true
	}
	if loop.Sign == -1 {
		// Counting down, the index runs over (stop + off, start + off]:
		// start < extent - off bounds the largest, stop >= -1 - off the
		// smallest (the check's unsigned comparison caught negative
		// ones). Neither side overflows: extents and |off| are far below
		// 2^62. A loop that does not run may fail the test; it then runs
		// the checked copy, which checks nothing.
		lo := ir.Expr(&ir.Bin{Op: ir.Ge, X: loop.Stop, Y: ir.IntConst(-1 - off), T: types.BoolT})
		if k, ok := loop.Stop.(*ir.Const); ok {
			if k.I+1+off < 0 {
				return hoistable{}, false
			}
			lo = nil
		}
		hi := ir.Expr(&ir.Bin{Op: ir.Lt, X: loop.Start, Y: &ir.Bin{Op: ir.Sub, X: d, Y: ir.IntConst(off), T: i64}, T: types.BoolT})
		if off == 0 {
			hi = &ir.Bin{Op: ir.Lt, X: loop.Start, Y: d, T: types.BoolT}
		}
		if lo != nil {
			hi = &ir.Bin{Op: ir.And, X: lo, Y: hi, T: types.BoolT}
		}
		return provedWrap(hoistable{key: ir.ExprString(c.Cond), cond: hi}, wrapped, d), true
	}
	// The smallest index, start + off, must not be negative: the check's
	// unsigned comparison is what caught negative ones. A start that is
	// not a constant is tested before the loop (start >= -off cannot
	// overflow); a loop that does not run may fail that test and then
	// runs the checked copy, which checks nothing.
	stop := loop.Stop
	var low ir.Expr
	if k, ok := loop.Start.(*ir.Const); ok {
		if k.I+off < 0 {
			return hoistable{}, false
		}
	} else {
		low = &ir.Bin{Op: ir.Ge, X: loop.Start, Y: ir.IntConst(-off), T: types.BoolT}
	}
	limit := ir.Expr(d)
	if off != 0 {
		// Extents and |off| are far below 2^62: no overflow.
		limit = &ir.Bin{Op: ir.Sub, X: d, Y: ir.IntConst(off), T: i64}
	}
	cond := ir.Expr(&ir.Bin{Op: ir.Le, X: stop, Y: limit, T: types.BoolT})
	if low != nil {
		cond = &ir.Bin{Op: ir.And, X: low, Y: cond, T: types.BoolT}
	}
	return provedWrap(hoistable{key: ir.ExprString(c.Cond), cond: cond}, wrapped, d), true
}

// invariant reports whether the loop leaves e's value unchanged: it is
// built of constants, extents of arrays the loop does not rebind, and
// scalars the loop does not assign (not its index), with operators and
// conversions. It reads no element, so stores in the loop cannot change it.
func invariant(e ir.Expr, idx map[*ir.Var]bool, assigned map[*ir.Var]int) bool {
	return builtOf(e, func(v *ir.Var) bool { return !idx[v] && assigned[v] == 0 }, assigned)
}

// builtOf reports whether e is built of constants, extents of arrays the
// loop does not rebind and scalars that ok accepts, with operators,
// conversions and selects: no element loads.
func builtOf(e ir.Expr, ok func(*ir.Var) bool, assigned map[*ir.Var]int) bool {
	switch e := e.(type) {
	case *ir.Const:
		return true
	case *ir.Ref:
		return ok(e.Var)
	case *ir.Dim:
		return assigned[e.Arr] == 0
	case *ir.Cast:
		return builtOf(e.X, ok, assigned)
	case *ir.Bin:
		return builtOf(e.X, ok, assigned) && builtOf(e.Y, ok, assigned)
	case *ir.Select:
		return builtOf(e.Cond, ok, assigned) && builtOf(e.X, ok, assigned) && builtOf(e.Y, ok, assigned)
	}
	return false
}

// invariantDefs finds the body's scalars that hold the same value in
// every iteration from their definition on: assigned once, at the top
// level, from an expression the loop does not change (t = select(u < 0,
// u + n, u), BFS's row index), and named nowhere before that. A check of
// such a scalar is a check of its definition, which a test before the loop
// can make.
func invariantDefs(body []ir.Stmt, idx map[*ir.Var]bool, assigned map[*ir.Var]int) map[*ir.Var]ir.Expr {
	defs := map[*ir.Var]ir.Expr{}
	for p, st := range body {
		a, ok := st.(*ir.Assign)
		if !ok || idx[a.Dst] || assigned[a.Dst] != 1 || a.Dst.Type.Kind != types.Scalar {
			continue
		}
		src := substDefs(a.Src, defs)
		if !invariant(src, idx, assigned) || mentions(body[:p], a.Dst) > 0 {
			continue
		}
		defs[a.Dst] = src
	}
	return defs
}

// substDefs replaces the scalars of defs in e by their definitions.
func substDefs(e ir.Expr, defs map[*ir.Var]ir.Expr) ir.Expr {
	if len(defs) == 0 {
		return e
	}
	return ir.MapExpr(e, func(x ir.Expr) ir.Expr {
		if r, ok := x.(*ir.Ref); ok {
			if d, ok := defs[r.Var]; ok {
				return d
			}
		}
		return nil
	})
}

func dropChecks(body []ir.Stmt, drop map[string]bool) []ir.Stmt {
	out := body[:0]
	for _, s := range body {
		switch st := s.(type) {
		case *ir.Check:
			if st.Err == ir.ErrIndex && drop[ir.ExprString(st.Cond)] {
				continue
			}
		case *ir.If:
			st.Then = dropChecks(st.Then, drop)
			st.Else = dropChecks(st.Else, drop)
		case *ir.While:
			st.Body = dropChecks(st.Body, drop)
		case *ir.Try:
			st.Body = dropChecks(st.Body, drop)
			for i := range st.Handlers {
				st.Handlers[i].Body = dropChecks(st.Handlers[i].Body, drop)
			}
		case *ir.For:
			st.Body = dropChecks(st.Body, drop)
		case *ir.Nest:
			st.Body = dropChecks(st.Body, drop)
		}
		out = append(out, s)
	}
	return out
}

// splitIndex writes an index as v + off: v one of the loop's index
// variables, off (nil for 0) a sum of terms the loop does not change
// (i + s - 1: off is s - 1).
func splitIndex(e ir.Expr, idx map[*ir.Var]bool, assigned map[*ir.Var]int) (*ir.Var, ir.Expr, bool) {
	i64 := types.ScalarOf(types.Int64)
	inv := func(x ir.Expr) bool { return invariant(x, idx, assigned) && isInt(x) }
	join := func(op ir.Op, o, y ir.Expr) ir.Expr {
		if o == nil {
			if op == ir.Add {
				return y
			}
			o = ir.IntConst(0)
		}
		if a, ok := o.(*ir.Const); ok {
			if b, ok := y.(*ir.Const); ok && a.Type.DType.IsInt() && b.Type.DType.IsInt() &&
				a.I >= -(1<<40) && a.I <= 1<<40 && b.I >= -(1<<40) && b.I <= 1<<40 {
				if op == ir.Add {
					return ir.IntConst(a.I + b.I)
				}
				return ir.IntConst(a.I - b.I)
			}
		}
		return &ir.Bin{Op: op, X: o, Y: y, T: i64}
	}
	switch e := e.(type) {
	case *ir.Ref:
		if idx[e.Var] {
			return e.Var, nil, true
		}
	case *ir.Bin:
		switch e.Op {
		case ir.Add:
			if v, o, ok := splitIndex(e.X, idx, assigned); ok && inv(e.Y) {
				return v, join(ir.Add, o, e.Y), true
			}
			if v, o, ok := splitIndex(e.Y, idx, assigned); ok && inv(e.X) {
				return v, join(ir.Add, o, e.X), true
			}
		case ir.Sub:
			if v, o, ok := splitIndex(e.X, idx, assigned); ok && inv(e.Y) {
				return v, join(ir.Sub, o, e.Y), true
			}
		}
	}
	return nil, nil, false
}

// provedWrap records in hc that the index wrapped (nil: none) is proved
// in [0, extent d).
func provedWrap(hc hoistable, wrapped ir.Expr, d *ir.Dim) hoistable {
	if wrapped != nil {
		hc.index, hc.extent = ir.ExprString(wrapped), ir.ExprString(d)
	}
	return hc
}

// wrapOf recognises lowering's negative-index wrap select(j < 0, j + d, j)
// for the extent d, and returns j.
func wrapOf(e ir.Expr, d *ir.Dim) (ir.Expr, bool) {
	sel, ok := e.(*ir.Select)
	if !ok {
		return nil, false
	}
	lt, ok := sel.Cond.(*ir.Bin)
	if !ok || lt.Op != ir.Lt || !isZero(lt.Y) {
		return nil, false
	}
	add, ok := sel.X.(*ir.Bin)
	if !ok || add.Op != ir.Add {
		return nil, false
	}
	j := ir.ExprString(lt.X)
	if ir.ExprString(add.X) != j || ir.ExprString(sel.Y) != j || ir.ExprString(add.Y) != ir.ExprString(d) {
		return nil, false
	}
	return lt.X, true
}

// isInt reports a signed integer scalar (an offset the index arithmetic
// adds as it is).
func isInt(e ir.Expr) bool {
	t := ir.TypeOf(e)
	return t != nil && t.Kind == types.Scalar && t.DType.IsInt() && !t.DType.IsUnsigned()
}

// offsetLimit bounds a symbolic offset's size, so that moving it across a
// comparison with an extent or a loop bound cannot overflow.
const offsetLimit = 1 << 40

// symbolicBounds is the test before loop that proves every index i + off
// in [0, d), for an offset the loop does not change:
// |off| <= 2^40 first, then, counting down over (stop, start],
// stop >= -1 - off and start < d - off; counting up over [start, stop),
// start >= -off and stop <= d - off. With |off| bounded no side
// overflows, and where the bound fails the conjunction is false whatever
// the rest computes (the arithmetic wraps, it never traps).
func symbolicBounds(loop *ir.For, d *ir.Dim, off ir.Expr) (ir.Expr, bool) {
	i64 := types.ScalarOf(types.Int64)
	bin := func(op ir.Op, x, y ir.Expr) ir.Expr {
		t := i64
		if op == ir.Lt || op == ir.Le || op == ir.Ge || op == ir.Gt || op == ir.And {
			t = types.BoolT
		}
		return &ir.Bin{Op: op, X: x, Y: y, T: t}
	}
	minus := func(x ir.Expr) ir.Expr { return bin(ir.Sub, x, off) }
	small := bin(ir.And, bin(ir.Ge, off, ir.IntConst(-offsetLimit)), bin(ir.Le, off, ir.IntConst(offsetLimit)))
	var lo, hi ir.Expr
	switch loop.Sign {
	case -1:
		lo = bin(ir.Ge, loop.Stop, minus(ir.IntConst(-1)))
		hi = bin(ir.Lt, loop.Start, minus(d))
	case 1:
		lo = bin(ir.Ge, loop.Start, minus(ir.IntConst(0)))
		hi = bin(ir.Le, loop.Stop, minus(d))
	default:
		return nil, false
	}
	return bin(ir.And, small, bin(ir.And, lo, hi)), true
}

// indexDefs finds the body's integer scalars computed from the loop's
// index and values the loop does not change (c - w, and its wrap
// select(c - w < 0, c - w + n, c - w)): assigned once, at the top level,
// from such an expression (earlier ones substituted), by position. A
// check after the definition may read the definition for the variable.
type posDefs struct {
	pos  map[*ir.Var]int
	expr map[*ir.Var]ir.Expr
}

func indexDefs(body []ir.Stmt, idx map[*ir.Var]bool, assigned map[*ir.Var]int) posDefs {
	pd := posDefs{pos: map[*ir.Var]int{}, expr: map[*ir.Var]ir.Expr{}}
	for p, st := range body {
		a, ok := st.(*ir.Assign)
		if !ok || idx[a.Dst] || assigned[a.Dst] != 1 || a.Dst.Type.Kind != types.Scalar || !a.Dst.Type.DType.IsInt() {
			continue
		}
		src := substDefs(a.Src, pd.expr)
		if !indexExpr(src, idx, assigned) || mentions(body[:p], a.Dst) > 0 {
			continue
		}
		pd.pos[a.Dst], pd.expr[a.Dst] = p, src
	}
	return pd
}

// before returns the definitions made by top-level statements before p.
func (pd posDefs) before(p int) map[*ir.Var]ir.Expr {
	out := map[*ir.Var]ir.Expr{}
	for v, e := range pd.expr {
		if pd.pos[v] < p {
			out[v] = e
		}
	}
	return out
}

// indexExpr reports whether e is built of the loop's index variables and
// what the loop does not change, with operators: no element loads.
func indexExpr(e ir.Expr, idx map[*ir.Var]bool, assigned map[*ir.Var]int) bool {
	return builtOf(e, func(v *ir.Var) bool { return idx[v] || assigned[v] == 0 }, assigned)
}

// unwrapIndices replaces, in the unchecked copy of a loop, each wrap
// select(j < 0, j + d, j) of an index j proved in [0, d) by j: the C
// compiler cannot prove j >= 0 through wrapping arithmetic, and keeps a
// compare and a conditional move per access. A scalar's definition is
// followed where it is assigned once in the loop, from the assignment to
// the end of the block holding it.
func unwrapIndices(body []ir.Stmt, idx map[*ir.Var]bool, assigned map[*ir.Var]int, proved map[string]map[string]bool) []ir.Stmt {
	var walk func(body []ir.Stmt, env map[*ir.Var]ir.Expr)
	rewrite := func(e ir.Expr, env map[*ir.Var]ir.Expr) ir.Expr {
		if e == nil {
			return nil
		}
		return ir.MapExpr(e, func(x ir.Expr) ir.Expr {
			sel, ok := x.(*ir.Select)
			if !ok {
				return nil
			}
			lt, ok := sel.Cond.(*ir.Bin)
			if !ok || lt.Op != ir.Lt {
				return nil
			}
			add, ok := sel.X.(*ir.Bin)
			if !ok || add.Op != ir.Add {
				return nil
			}
			d, ok := add.Y.(*ir.Dim)
			if !ok || proved[ir.ExprString(d)] == nil {
				return nil
			}
			j, ok := wrapOf(sel, d)
			if !ok || !proved[ir.ExprString(d)][ir.ExprString(substDefs(j, env))] {
				return nil
			}
			return j
		})
	}
	walk = func(body []ir.Stmt, outer map[*ir.Var]ir.Expr) {
		env := map[*ir.Var]ir.Expr{}
		for v, e := range outer {
			env[v] = e
		}
		for _, st := range body {
			switch st := st.(type) {
			case *ir.Assign:
				st.Src = rewrite(st.Src, env)
				if !idx[st.Dst] && assigned[st.Dst] == 1 && st.Dst.Type.Kind == types.Scalar {
					if src := substDefs(st.Src, env); indexExpr(src, idx, assigned) {
						env[st.Dst] = src
					}
				}
			case *ir.Store:
				for k := range st.Idx {
					st.Idx[k] = rewrite(st.Idx[k], env)
				}
				st.Src = rewrite(st.Src, env)
			case *ir.If:
				st.Cond = rewrite(st.Cond, env)
				walk(st.Then, env)
				walk(st.Else, env)
			}
		}
	}
	walk(body, nil)
	return body
}

// hasLoop reports whether body holds a loop (for, while or nest) at any depth.
func hasLoop(body []ir.Stmt) bool {
	found := false
	ir.VisitStmts(body, func(st ir.Stmt) {
		switch st.(type) {
		case *ir.For, *ir.While, *ir.Nest:
			found = true
		}
	}, nil)
	return found
}
