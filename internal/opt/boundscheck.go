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
	if !up && !down && !upFrom {
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
	var found []hoistable
	seen := map[string]bool{}
	ir.VisitStmts(s.Body, func(st ir.Stmt) {
		c, ok := st.(*ir.Check)
		if !ok || c.Err != ir.ErrIndex {
			return
		}
		hc, ok := h.match(c, idx, assigned, s, defs)
		if ok && !seen[hc.key] {
			seen[hc.key] = true
			found = append(found, hc)
		}
	}, nil)
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
	fast := &ir.For{Var: s.Var, Start: s.Start, Stop: s.Stop, Step: s.Step, Sign: s.Sign, Parallel: s.Parallel,
		Body: h.block(dropChecks(dropPositions(copyStmts(s.Body), divs), drop))}
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
	s.Body = h.block(s.Body)
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
	defs map[*ir.Var]ir.Expr) (hoistable, bool) {
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
	e := x.X
	if add, ok := e.(*ir.Bin); ok && (add.Op == ir.Add || add.Op == ir.Sub) {
		k, ok := add.Y.(*ir.Const)
		if !ok || !k.Type.DType.IsInt() || k.I < -(1<<40) || k.I > 1<<40 {
			return hoistable{}, false
		}
		off, e = k.I, add.X
		if add.Op == ir.Sub {
			off = -k.I
		}
	}
	r, ok := e.(*ir.Ref)
	if !ok || !idx[r.Var] {
		return hoistable{}, false
	}
	i64 := types.ScalarOf(types.Int64)
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
		return hoistable{key: ir.ExprString(c.Cond), cond: hi}, true
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
	return hoistable{key: ir.ExprString(c.Cond), cond: cond}, true
}

// invariant reports whether the loop leaves e's value unchanged: it is
// built of constants, extents of arrays the loop does not rebind, and
// scalars the loop does not assign (not its index), with operators and
// conversions. It reads no element, so stores in the loop cannot change it.
func invariant(e ir.Expr, idx map[*ir.Var]bool, assigned map[*ir.Var]int) bool {
	switch e := e.(type) {
	case *ir.Const:
		return true
	case *ir.Ref:
		return !idx[e.Var] && assigned[e.Var] == 0
	case *ir.Dim:
		return assigned[e.Arr] == 0
	case *ir.Cast:
		return invariant(e.X, idx, assigned)
	case *ir.Bin:
		return invariant(e.X, idx, assigned) && invariant(e.Y, idx, assigned)
	case *ir.Select:
		return invariant(e.Cond, idx, assigned) && invariant(e.X, idx, assigned) && invariant(e.Y, idx, assigned)
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
