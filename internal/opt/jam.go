package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Unroll-and-jam.
//
// `for k: s = a[i, k]; for j: c[i, j] += s * b[k, j]` loads and stores
// each c[i, j] once per k. Running four k iterations in one pass over j,
//
//	for j: x = c[i, j]; x += s0*b[k, j]; x += s1*b[k+1, j]; …; c[i, j] = x
//
// loads and stores it once per four, and every c[i, j] still receives its
// additions in the same order, so the result is bit-identical. Neither
// GCC nor LLVM does it here: both would have to know that c shares no
// memory with a and b. This pass tests that at run time, once before the
// outer loop, with the other conditions the jammed copy needs; when the
// test fails the loop runs as it was.
//
// The outer loop qualifies when it counts up by 1 from a constant start
// to a stop it does not change, and its body is simple assignments (the
// prefix) followed by one inner loop, or by the unchecked copy of a
// versioned inner loop (boundscheck.go) whose test the outer loop does
// not change. The inner loop counts up by 1 between bounds the outer loop
// does not change, and its body is simple assignments and one store, to
// an element whose index does not depend on the outer loop; its loads of
// the stored array are of that element. Nothing in either body calls,
// checks or prints. The arrays the two bodies read must then not overlap
// the stored one, which is the test. The variables the loop sets must be
// dead after it: the jammed copy sets copies of them, and the rest of the
// iterations (fewer than four) run the loop itself.
func jamProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		j := &jammer{fn: f, log: log}
		f.Body = j.block(f.Body)
	}
}

// jamFactor is how many outer iterations share one pass of the inner loop.
const jamFactor = 4

type jammer struct {
	fn    *ir.Func
	log   *strings.Builder
	taken map[string]bool
}

func (j *jammer) fresh(base string, t *types.Type) *ir.Var {
	if j.taken == nil {
		j.taken = map[string]bool{}
		for _, v := range append(append([]*ir.Var{}, j.fn.Params...), j.fn.Locals...) {
			j.taken[v.Name] = true
		}
	}
	name := base
	for k := 1; j.taken[name]; k++ {
		name = fmt.Sprintf("%s%d", base, k)
	}
	j.taken[name] = true
	v := &ir.Var{Name: name, Type: t, Param: -1}
	j.fn.Locals = append(j.fn.Locals, v)
	return v
}

func (j *jammer) block(body []ir.Stmt) []ir.Stmt {
	for i, s := range body {
		switch s := s.(type) {
		case *ir.If:
			s.Then = j.block(s.Then)
			s.Else = j.block(s.Else)
		case *ir.While:
			s.Body = j.block(s.Body)
		case *ir.Try:
			s.Body = j.block(s.Body)
			for k := range s.Handlers {
				s.Handlers[k].Body = j.block(s.Handlers[k].Body)
			}
		case *ir.For:
			if r := j.loop(s); r != nil {
				body[i] = r
				continue
			}
			s.Body = j.block(s.Body)
		}
	}
	return body
}

// pureExpr reports whether e has no effect and cannot fail: loads are
// allowed (the caller proves them in bounds), and intrinsics, which are
// pure functions (ir/intrinsics.go).
func pureExpr(e ir.Expr) bool {
	ok := true
	ir.VisitExpr(e, func(x ir.Expr) {
		switch x.(type) {
		case *ir.Const, *ir.Ref, *ir.Load, *ir.Dim, *ir.Stride, *ir.Bin, *ir.Unary, *ir.Cast, *ir.Select, *ir.Intrinsic:
		default:
			ok = false
		}
	})
	return ok
}

// loop returns the versioned, jammed replacement of s, or nil.
func (j *jammer) loop(s *ir.For) ir.Stmt {
	start, ok := s.Start.(*ir.Const)
	if !ok || start.I < 0 || s.Sign != 1 || s.Parallel || s.Checked || !isConst(s.Step, 1) || len(s.Body) < 2 {
		return nil
	}
	// all: what the loop sets anywhere; bound: the same without the
	// checked copy of the inner loop, which the jammed copy leaves out.
	all, bound := map[*ir.Var]int{s.Var: 1}, map[*ir.Var]int{s.Var: 1}
	count := func(m map[*ir.Var]int, body []ir.Stmt) {
		ir.VisitStmts(body, func(st ir.Stmt) {
			for _, v := range ir.Binds(st) {
				m[v]++
			}
		}, nil)
	}
	count(all, s.Body)
	count(bound, s.Body[:len(s.Body)-1])
	if t, ok := s.Body[len(s.Body)-1].(*ir.If); ok {
		count(bound, t.Then)
	} else {
		count(bound, s.Body[len(s.Body)-1:])
	}
	// Every variable of the loop must be read only after the straight-line
	// assignment of the same iteration that sets it (no value carried from
	// one iteration to the next).
	defined := map[*ir.Var]bool{s.Var: true}
	ordered := func(e ir.Expr) bool {
		ok := true
		ir.VisitExpr(e, func(x ir.Expr) {
			if r, isRef := x.(*ir.Ref); isRef && all[r.Var] > 0 && !defined[r.Var] {
				ok = false
			}
		})
		return ok
	}
	invariant := func(e ir.Expr) bool {
		ok := true
		ir.VisitExpr(e, func(x ir.Expr) {
			switch x := x.(type) {
			case *ir.Ref:
				if all[x.Var] > 0 {
					ok = false
				}
			case *ir.Const, *ir.Dim, *ir.Stride, *ir.Bin, *ir.Unary, *ir.Cast, *ir.Select:
			default:
				ok = false
			}
		})
		return ok
	}
	if !invariant(s.Stop) {
		return nil
	}
	// The prefix, and the values of its invariant assignments.
	n := len(s.Body) - 1
	prefix := make([]*ir.Assign, 0, n)
	subst := map[*ir.Var]ir.Expr{}
	dep := map[*ir.Var]bool{s.Var: true} // variables that depend on the outer index
	for _, st := range s.Body[:n] {
		a, ok := st.(*ir.Assign)
		if !ok || bound[a.Dst] != 1 || !pureExpr(a.Src) || !ordered(a.Src) {
			return nil
		}
		defined[a.Dst] = true
		src := replaceRefs(a.Src, subst)
		if invariant(src) {
			subst[a.Dst] = src
		}
		if refsAny(a.Src, dep) {
			dep[a.Dst] = true
		}
		prefix = append(prefix, a)
	}
	// The inner loop, alone or as the unchecked copy of a versioned one.
	var cond ir.Expr = ir.BoolConst(true)
	var inner *ir.For
	switch t := s.Body[n].(type) {
	case *ir.For:
		inner = t
	case *ir.If:
		if len(t.Then) != 1 {
			return nil
		}
		inner, _ = t.Then[0].(*ir.For)
		cond = replaceRefs(t.Cond, subst)
		if !invariant(cond) {
			return nil
		}
	}
	if inner == nil || inner.Sign != 1 || inner.Parallel || inner.Checked || !isConst(inner.Step, 1) || len(inner.Body) < 1 {
		return nil
	}
	lo, hi := replaceRefs(inner.Start, subst), replaceRefs(inner.Stop, subst)
	if !invariant(lo) || !invariant(hi) {
		return nil
	}
	// The inner body: assignments, then one store.
	m := len(inner.Body) - 1
	store, ok := inner.Body[m].(*ir.Store)
	if !ok || !pureExpr(store.Src) {
		return nil
	}
	defined[inner.Var] = true
	for _, st := range inner.Body[:m] {
		a, ok := st.(*ir.Assign)
		if !ok || bound[a.Dst] != 1 || !pureExpr(a.Src) || !ordered(a.Src) {
			return nil
		}
		defined[a.Dst] = true
		if refsAny(a.Src, dep) {
			dep[a.Dst] = true
		}
	}
	w := store.Arr
	key := indexKey(store.Idx)
	if !ordered(store.Src) {
		return nil
	}
	for _, e := range store.Idx {
		if !pureExpr(e) || !ordered(e) || refsAny(e, dep) {
			return nil
		}
	}
	// The arrays read, none of them the stored one except at its element.
	var reads []*ir.Var
	seen := map[*ir.Var]bool{}
	bad := false
	visitLoads := func(e ir.Expr, inInner bool) {
		ir.VisitExpr(e, func(x ir.Expr) {
			l, ok := x.(*ir.Load)
			if !ok {
				return
			}
			if l.Arr == w {
				if !inInner || indexKey(l.Idx) != key {
					bad = true
				}
				return
			}
			if !seen[l.Arr] {
				seen[l.Arr] = true
				reads = append(reads, l.Arr)
			}
		})
	}
	for _, a := range prefix {
		visitLoads(a.Src, false)
	}
	for _, st := range inner.Body[:m] {
		visitLoads(st.(*ir.Assign).Src, true)
	}
	visitLoads(store.Src, true)
	for _, e := range store.Idx {
		visitLoads(e, false) // the index itself must not read the stored array
	}
	if bad || !j.deadAfter(s, all) {
		return nil
	}
	return j.build(s, prefix, inner, store, cond, lo, hi, reads)
}

// build makes `if cond and no overlap { jammed loop; remainder } else { s }`.
func (j *jammer) build(s *ir.For, prefix []*ir.Assign, inner *ir.For, store *ir.Store, cond, lo, hi ir.Expr, reads []*ir.Var) ir.Stmt {
	i64 := types.ScalarOf(types.Int64)
	boolT := types.BoolT
	test := cond
	for _, r := range reads {
		test = &ir.Bin{Op: ir.And, X: test, Y: &ir.Unary{Op: ir.Not, X: &ir.Overlap{A: store.Arr, B: r}, T: boolT}, T: boolT}
	}
	kq := j.fresh(s.Var.Name+"_jam", s.Var.Type)
	jv := j.fresh(inner.Var.Name+"_jam", inner.Var.Type)
	elemT := types.ScalarOf(store.Arr.Type.DType)
	var outer []ir.Stmt
	var body []ir.Stmt
	var acc *ir.Var
	for u := 0; u < jamFactor; u++ {
		ren := map[*ir.Var]ir.Expr{s.Var: &ir.Bin{Op: ir.Add, X: &ir.Ref{Var: kq}, Y: ir.IntConst(int64(u)), T: i64}}
		if u == 0 {
			ren[s.Var] = &ir.Ref{Var: kq}
		}
		for _, a := range prefix {
			v := j.fresh(fmt.Sprintf("%s_j%d", a.Dst.Name, u), a.Dst.Type)
			outer = append(outer, &ir.Assign{Dst: v, Src: replaceRefs(a.Src, ren)})
			ren[a.Dst] = &ir.Ref{Var: v}
		}
		ren[inner.Var] = &ir.Ref{Var: jv}
		prev := acc
		load := func(e ir.Expr) ir.Expr {
			e = replaceRefs(e, ren)
			if prev == nil {
				return e
			}
			return ir.MapExpr(e, func(x ir.Expr) ir.Expr {
				if l, ok := x.(*ir.Load); ok && l.Arr == store.Arr {
					return &ir.Ref{Var: prev}
				}
				return nil
			})
		}
		for _, st := range inner.Body[:len(inner.Body)-1] {
			a := st.(*ir.Assign)
			v := j.fresh(fmt.Sprintf("%s_j%d", a.Dst.Name, u), a.Dst.Type)
			body = append(body, &ir.Assign{Dst: v, Src: load(a.Src)})
			ren[a.Dst] = &ir.Ref{Var: v}
		}
		if u < jamFactor-1 {
			acc = j.fresh(fmt.Sprintf("%s_acc%d", store.Arr.Name, u), elemT)
			body = append(body, &ir.Assign{Dst: acc, Src: load(store.Src)})
		} else {
			idx := make([]ir.Expr, len(store.Idx))
			for k, e := range store.Idx {
				idx[k] = replaceRefs(e, ren)
			}
			body = append(body, &ir.Store{Arr: store.Arr, Idx: idx, Src: load(store.Src)})
		}
	}
	outer = append(outer, &ir.For{Var: jv, Start: lo, Stop: hi, Step: ir.IntConst(1), Sign: 1, Body: body})
	jammed := &ir.For{Var: kq, Start: s.Start, Step: ir.IntConst(jamFactor), Sign: 1, Body: outer,
		Stop: &ir.Bin{Op: ir.Sub, X: s.Stop, Y: ir.IntConst(jamFactor - 1), T: i64}}
	// The remaining iterations, fewer than jamFactor, run the loop itself
	// from start + (stop - start) rounded down to a multiple of jamFactor.
	kr := j.fresh(s.Var.Name+"_rest", s.Var.Type)
	span := &ir.Bin{Op: ir.Sub, X: s.Stop, Y: s.Start, T: i64}
	restStart := &ir.Select{Cond: &ir.Bin{Op: ir.Gt, X: s.Stop, Y: s.Start, T: boolT},
		X: &ir.Bin{Op: ir.Add, X: s.Start, Y: &ir.Bin{Op: ir.BitAnd, X: span, Y: ir.IntConst(-jamFactor), T: i64}, T: i64},
		Y: s.Start, T: i64}
	// The test holds there, so they run the inner loop's unchecked copy.
	restBody := make([]ir.Stmt, 0, len(prefix)+1)
	for _, a := range prefix {
		restBody = append(restBody, a)
	}
	restBody = copyStmts(append(restBody, inner))
	rest := &ir.For{Var: s.Var, Start: &ir.Ref{Var: kr}, Stop: s.Stop, Step: s.Step, Sign: 1, Body: restBody}
	fmt.Fprintf(j.log, "%s: loop over [%s, %s) unrolled by %d and jammed into its inner loop over [%s, %s)\n", j.fn.Name,
		ir.ExprString(s.Start), ir.ExprString(s.Stop), jamFactor, ir.ExprString(lo), ir.ExprString(hi))
	return &ir.If{Cond: test,
		Then: []ir.Stmt{jammed, &ir.Assign{Dst: kr, Src: restStart}, rest},
		Else: []ir.Stmt{s}}
}

// deadAfter reports whether no variable the loop s sets is read, outside
// s, before it is set again: the jammed copy leaves them as they were.
func (j *jammer) deadAfter(s *ir.For, bound map[*ir.Var]int) bool {
	for _, e := range j.fn.OnFail {
		if refsAny(e, boundSet(bound)) {
			return false
		}
	}
	ok := true
	var walk func(list []ir.Stmt, known map[*ir.Var]bool) bool // reports whether list holds s
	walk = func(list []ir.Stmt, known map[*ir.Var]bool) bool {
		holds := false
		for _, st := range list {
			if st == ir.Stmt(s) {
				holds = true
				for v := range bound {
					delete(known, v)
				}
				continue
			}
			ir.OwnExprs(st, func(e ir.Expr) {
				if r, isRef := e.(*ir.Ref); isRef && bound[r.Var] > 0 && !known[r.Var] {
					ok = false
				}
			})
			in := false
			inner := func(body []ir.Stmt, extra *ir.Var, loop bool) {
				k := copySet(known)
				if loop {
					ir.VisitStmts(body, func(b ir.Stmt) {
						for _, v := range ir.Binds(b) {
							delete(k, v)
						}
					}, nil)
				}
				if extra != nil {
					k[extra] = true
				}
				if walk(body, k) {
					in = true
				}
			}
			switch st := st.(type) {
			case *ir.If:
				inner(st.Then, nil, false)
				inner(st.Else, nil, false)
			case *ir.While:
				inner(st.Body, nil, true)
			case *ir.For:
				inner(st.Body, st.Var, true)
			case *ir.Nest:
				inner(st.Body, nil, true)
			case *ir.Try:
				inner(st.Body, nil, false)
				// A handler may run after the loop whatever its values.
				for _, h := range st.Handlers {
					k := copySet(known)
					for v := range bound {
						delete(k, v)
					}
					if walk(h.Body, k) {
						in = true
					}
				}
			case *ir.Assign:
				known[st.Dst] = true
			}
			if in {
				holds = true
				for v := range bound {
					delete(known, v)
				}
			}
		}
		return holds
	}
	walk(j.fn.Body, map[*ir.Var]bool{})
	return ok
}

func boundSet(bound map[*ir.Var]int) map[*ir.Var]bool {
	out := map[*ir.Var]bool{}
	for v, n := range bound {
		if n > 0 {
			out[v] = true
		}
	}
	return out
}

func copySet(m map[*ir.Var]bool) map[*ir.Var]bool {
	out := make(map[*ir.Var]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func refsAny(e ir.Expr, vars map[*ir.Var]bool) bool {
	found := false
	ir.VisitExpr(e, func(x ir.Expr) {
		if r, ok := x.(*ir.Ref); ok && vars[r.Var] {
			found = true
		}
	})
	return found
}

// replaceRefs replaces each Ref of a variable of m by m's expression.
func replaceRefs(e ir.Expr, m map[*ir.Var]ir.Expr) ir.Expr {
	return ir.MapExpr(e, func(x ir.Expr) ir.Expr {
		if r, ok := x.(*ir.Ref); ok {
			if y, ok := m[r.Var]; ok {
				return y
			}
		}
		return nil
	})
}

func indexKey(idx []ir.Expr) string {
	parts := make([]string, len(idx))
	for k, e := range idx {
		parts[k] = ir.ExprString(e)
	}
	return strings.Join(parts, ", ")
}

func isConst(e ir.Expr, v int64) bool {
	c, ok := e.(*ir.Const)
	return ok && c.I == v && c.Type.DType != types.Float64
}
