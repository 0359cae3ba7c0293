package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Reusing loop temporaries. An array statement inside a loop that binds a
// name (den = a * p[i - 1, 1:-1] + b in ADI's sweeps) allocates a new
// array in every iteration. The runtime keeps every array a kernel
// allocates until the call returns (the kernel cannot drop a reference
// Python may hold), so such a loop holds one array per iteration: ADI at
// n = 300 and 60 steps held 71,000 of them, 170 MB, and spent more time in
// fresh memory than in arithmetic. Numba frees each one by reference
// counting.
//
// When nothing can see an iteration's array after the iteration — the
// array and the views made of it in the loop's body are read, written and
// measured there, after the allocation, and never aliased, passed,
// returned or compared for overlap — the next iteration may as well use
// the same memory. The pass keeps one buffer per allocation site, made on
// the first iteration and again only when the shape changes:
//
//	if (!made || buf.shape != shape) { buf = alloc(shape); made = true }
//	v = alias buf
//
// An allocation's contents are unspecified (np.empty), so reusing old
// contents is no change; every other allocation in lowering is filled
// before it is read. A vector takes the front of its buffer, made again
// only when it must grow, and then at least twice as long, so a list slice
// whose length changes between iterations keeps one buffer, and one that
// grows by an element per iteration is made about log2(n) times. Parallel loops are left alone: their
// iterations run at once.
func reuseProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		r := &reuser{fn: f}
		r.block(f.Body, false)
		if r.reused > 0 {
			fmt.Fprintf(log, "%s: %d arrays allocated in a loop's every iteration reuse one buffer\n", f.Name, r.reused)
		}
		if r.alternated > 0 {
			fmt.Fprintf(log, "%s: %d arrays rebound in a loop's every iteration alternate between two buffers\n", f.Name, r.alternated)
		}
	}
}

type reuser struct {
	fn         *ir.Func
	reused     int
	alternated int
	taken      map[string]bool
}

// fresh returns a local name not yet used in the function.
func (r *reuser) fresh(base string) string {
	if r.taken == nil {
		r.taken = map[string]bool{}
		for _, v := range append(append([]*ir.Var{}, r.fn.Params...), r.fn.Locals...) {
			r.taken[v.Name] = true
		}
	}
	name := base
	for k := 1; r.taken[name]; k++ {
		name = fmt.Sprintf("%s%d", base, k)
	}
	r.taken[name] = true
	return name
}

func (r *reuser) block(body []ir.Stmt, inPar bool) {
	for _, s := range body {
		switch s := s.(type) {
		case *ir.If:
			r.block(s.Then, inPar)
			r.block(s.Else, inPar)
		case *ir.While:
			r.block(s.Body, inPar)
			// A while loop (lowered as `while true { if not cond: break;
			// ... }`) allocates in each iteration as a for loop does: a
			// convergence loop's copies and temporaries. Its condition,
			// tested between iterations, must not read the arrays.
			if !inPar && !mentionsAny(s.Cond, func(x *ir.Var) bool { return x.Type.Kind == types.Array }) {
				r.loop(s, &s.Body)
			}
		case *ir.Try:
			r.block(s.Body, inPar)
			for i := range s.Handlers {
				r.block(s.Handlers[i].Body, inPar)
			}
		case *ir.For:
			par := inPar || s.Parallel
			r.block(s.Body, par)
			if !par {
				r.loop(s, &s.Body)
			}
		}
	}
}

// loop rewrites the top-level allocations of the body of loop (a for or a
// while loop) that qualify.
func (r *reuser) loop(loop ir.Stmt, bodyp *[]ir.Stmt) {
	for j := 0; j < len(*bodyp); j++ {
		sa, ok := (*bodyp)[j].(*ir.SetArray)
		if !ok {
			continue
		}
		al, ok := sa.Src.(*ir.Alloc)
		if !ok || sa.Dst.Param >= 0 {
			continue
		}
		views, ok := r.confined(sa.Dst, loop, *bodyp, j)
		if !ok {
			views, ok = r.confinedWide(sa.Dst, loop, *bodyp, j)
		}
		if !ok {
			if b, ok := r.carried(sa.Dst, *bodyp, j); ok {
				*bodyp = append(append(append([]ir.Stmt{}, (*bodyp)[:j]...), r.alternate(sa.Dst, b, al)...), (*bodyp)[j+1:]...)
				r.alternated++
			}
			continue
		}
		// The array and its views are dead after the loop and before
		// their definitions in it: inside the loop they become variables
		// of their own, so that the loop's copies (boundscheck's
		// versions) and other loops binding the same names keep theirs.
		m := map[*ir.Var]*ir.Var{}
		for _, w := range append([]*ir.Var{sa.Dst}, views...) {
			nw := &ir.Var{Name: r.fresh(w.Name + "_r"), Type: w.Type, Param: -1}
			r.fn.Locals = append(r.fn.Locals, nw)
			m[w] = nw
		}
		v := m[sa.Dst]
		buf := &ir.Var{Name: r.fresh(sa.Dst.Name + "_buf"), Type: sa.Dst.Type, Param: -1}
		made := &ir.Var{Name: r.fresh(sa.Dst.Name + "_made"), Type: types.BoolT, Param: -1}
		r.fn.Locals = append(r.fn.Locals, buf, made)
		cond, grow, use := r.bufferFor(sa.Dst.Name, buf, made, al)
		body := renameStmts(*bodyp, m)
		out := append([]ir.Stmt{}, body[:j]...)
		out = append(out,
			&ir.If{Cond: cond, Then: append(grow, &ir.Assign{Dst: made, Src: ir.BoolConst(true)})},
			&ir.SetArray{Dst: v, Src: use})
		out = append(out, body[j+1:]...)
		*bodyp = out
		j++
		r.reused++
	}
}

// confined reports whether the array that body[j] allocates into v is
// seen only in that iteration, and returns the views of it: v is not read
// before the allocation in the body nor after the loop, and bound nowhere
// else in the body; its views are made once each at the top level of the
// body after j, used only after that, and dead after the loop; nothing
// aliases either, passes them whole, or tests them for overlap.
func (r *reuser) confined(v *ir.Var, loop ir.Stmt, body []ir.Stmt, j int) ([]*ir.Var, bool) {
	views := map[*ir.Var]int{}
	var order []*ir.Var
	for k := j + 1; k < len(body); k++ {
		if sa, ok := body[k].(*ir.SetArray); ok {
			if base := viewBase(sa.Src); base == v && sa.Dst.Param < 0 {
				if _, twice := views[sa.Dst]; twice {
					return nil, false
				}
				views[sa.Dst] = k
				order = append(order, sa.Dst)
			}
		}
	}
	live, found := ir.LiveAfter(r.fn.Body, loop)
	if !found || live[v] {
		return nil, false
	}
	for _, w := range order {
		if live[w] {
			return nil, false
		}
	}
	first := map[*ir.Var]int{v: j}
	for w, k := range views {
		first[w] = k
	}
	tracked := func(x *ir.Var) bool { _, t := first[x]; return t }
	ok := true
	// Whole arrays handed to a helper of the runtime library (a BLAS
	// product, a norm): it reads or writes them during the call and keeps
	// no reference, as a load or a store would; helpers that do keep one
	// (ir.Helper.Retains: array_words storing it in a list) make it escape.
	lent := map[*ir.ArrayRef]bool{}
	for pos, top := range body {
		access := func(x *ir.Var) {
			if f, t := first[x]; t && pos <= f {
				ok = false
			}
		}
		ir.VisitStmts([]ir.Stmt{top}, func(st ir.Stmt) {
			switch st := st.(type) {
			case *ir.Store:
				access(st.Arr)
			case *ir.SetArray:
				if tracked(st.Dst) && !(st == top && pos == first[st.Dst]) {
					ok = false // bound again
				}
				if base := viewBase(st.Src); base != nil && tracked(base) &&
					(base != v || !tracked(st.Dst) || st != top) {
					ok = false
				}
			case *ir.Call:
				if callHolds(st, tracked, lent, access) {
					ok = false
				}
			case *ir.Assign, *ir.If, *ir.While, *ir.For, *ir.Nest, *ir.Check, *ir.Return, *ir.Try:
			default:
				if namesAny(st, tracked) {
					ok = false
				}
			}
		}, func(e ir.Expr) {
			switch e := e.(type) {
			case *ir.Load:
				access(e.Arr)
			case *ir.Dim:
				access(e.Arr)
			case *ir.Stride:
				access(e.Arr)
			case *ir.Ref:
				if tracked(e.Var) {
					ok = false
				}
			case *ir.ArrayRef:
				if tracked(e.Var) && !lent[e] {
					ok = false
				}
			case *ir.Overlap:
				if tracked(e.A) || tracked(e.B) {
					ok = false
				}
			}
		})
	}
	return order, ok
}

// confinedWide is confined for arrays whose views are made anywhere in
// the body, and may be bound again to other arrays: a list's storage
// (perm = perm1[:], then perm[:k + 1] = perm[k::-1], whose growth path
// rebinds perm to a larger copy and tests it for overlap). The variables
// that may hold the array are v and, to a fixed point, those bound
// anywhere in the body to an alias or view of one of them. None may be
// read after the loop or in the body before the body assigns it (so no
// earlier iteration's array is read), none is a parameter, v is bound only
// by the allocation, and none escapes: no call of the program's own
// functions or a retaining helper takes them, nothing names them whole
// (a return, a list, a comparison) but the runtime's helpers and overlap
// tests. A reused buffer reachable only through these variables overlaps
// nothing else, as fresh memory would, so overlap tests keep their answer.
func (r *reuser) confinedWide(v *ir.Var, loop ir.Stmt, body []ir.Stmt, j int) ([]*ir.Var, bool) {
	held := map[*ir.Var]bool{v: true}
	var order []*ir.Var
	for grew := true; grew; {
		grew = false
		ir.VisitStmts(body, func(st ir.Stmt) {
			if sa, ok := st.(*ir.SetArray); ok && !held[sa.Dst] {
				if base := viewBase(sa.Src); base != nil && held[base] {
					held[sa.Dst] = true
					order = append(order, sa.Dst)
					grew = true
				}
			}
		}, nil)
	}
	live, found := ir.LiveAfter(r.fn.Body, loop)
	if !found {
		return nil, false
	}
	early := ir.ReadsBeforeAssign(body)
	for w := range held {
		if w.Param >= 0 || live[w] || early[w] {
			return nil, false
		}
	}
	tracked := func(x *ir.Var) bool { return held[x] }
	ok := true
	lent := map[*ir.ArrayRef]bool{}
	ir.VisitStmts(body, func(st ir.Stmt) {
		switch st := st.(type) {
		case *ir.SetArray:
			if st.Dst == v && st != body[j] {
				ok = false
			}
		case *ir.Call:
			if callHolds(st, tracked, lent, nil) {
				ok = false
			}
		case *ir.Assign, *ir.Store, *ir.If, *ir.While, *ir.For, *ir.Nest, *ir.Check, *ir.Return, *ir.Try:
		default:
			if namesAny(st, tracked) {
				ok = false
			}
		}
	}, func(e ir.Expr) {
		switch e := e.(type) {
		case *ir.Ref:
			if tracked(e.Var) {
				ok = false
			}
		case *ir.ArrayRef:
			if tracked(e.Var) && !lent[e] {
				ok = false
			}
		}
	})
	return order, ok
}

// Arrays carried from one iteration to the next. `b = A @ b` or
// `b = b * 0.5 + c` rebinds b to a new array in every iteration (directly,
// or through a temporary t: t = alloc; t[...] = f(b[...]); b = alias t),
// and b is read in the next iteration and after the loop, so its array is
// not the iteration's alone. Two buffers are enough when the arrays of b
// and t are reachable, after the allocation, only through b: the
// allocation takes the buffer b does not hold,
//
//	if !overlap(b, buf0) { if (!made0 || buf0.shape != shape) { buf0 = alloc(shape) }; t = alias buf0 }
//	else                 { ... buf1 ... }
//
// That holds when the other variables that share their arrays — the
// readers, bound to aliases or views of b, t or another reader anywhere in
// the function (t_8 = alias b, the operand of an overlap guard) — are dead
// after the allocation, and nothing else can keep one: no call of the
// program's own functions takes them, only loads, stores, extents, overlap
// tests, the runtime's helpers and returns. t itself is rebound by the
// allocation. The choice stays right whatever ran before (a first
// iteration, a continue, a break or an exception, an earlier run of the
// loop inside an outer one): b holds one buffer, an array from elsewhere
// or nothing. An overlap test keeps its meaning, since a reused buffer
// overlaps nothing reachable, as fresh memory would.

// carried reports whether body[j], a loop's body, which allocates into t, may take
// one of two buffers in turn, and returns the variable that carries the
// array across iterations: t itself, or the one variable b bound by
// `b = alias t` at the top level of the body after j. In the loop, t is
// bound only by the allocation and b only by that alias.
func (r *reuser) carried(t *ir.Var, body []ir.Stmt, j int) (*ir.Var, bool) {
	var b *ir.Var
	var bind ir.Stmt
	for k := j + 1; k < len(body); k++ {
		if sa, ok := body[k].(*ir.SetArray); ok {
			if al, ok := sa.Src.(*ir.Alias); ok && al.Src == t && sa.Dst != t {
				if b != nil {
					return nil, false
				}
				b, bind = sa.Dst, sa
			}
		}
	}
	if b == nil {
		b = t
	}
	group := map[*ir.Var]bool{t: true, b: true}
	ok := true
	ir.VisitStmts(body, func(st ir.Stmt) {
		if st == body[j] || st == bind {
			return
		}
		for _, x := range ir.Binds(st) {
			if x == t || x == b {
				ok = false
			}
		}
	}, nil)
	if !ok {
		return nil, false
	}
	// The readers, to a fixed point.
	readers := map[*ir.Var]bool{}
	for grew := true; grew; {
		grew = false
		ir.VisitStmts(r.fn.Body, func(st ir.Stmt) {
			if sa, isSet := st.(*ir.SetArray); isSet && st != bind {
				if base := viewBase(sa.Src); base != nil && (group[base] || readers[base]) && !group[sa.Dst] && !readers[sa.Dst] {
					if sa.Dst.Param >= 0 || sa.Dst == t || sa.Dst == b {
						ok = false
					}
					readers[sa.Dst] = true
					grew = true
				}
			}
		}, nil)
	}
	if len(readers) > 0 {
		live, found := ir.LiveAfter(r.fn.Body, body[j])
		if !found {
			return nil, false
		}
		// A reader live after the allocation is still right when it holds
		// b's array of this iteration: bound once, at the top level of
		// the body before j, to a view of b or of such a reader, and named
		// nowhere but after that binding (b is not bound again before j).
		current := map[*ir.Var]bool{b: true}
		for p := 0; p < j; p++ {
			sa, isSet := body[p].(*ir.SetArray)
			if !isSet || !readers[sa.Dst] || !current[viewBase(sa.Src)] {
				continue
			}
			if mentions(r.fn.Body, sa.Dst) == mentions(body[p:], sa.Dst) && binds(r.fn.Body, sa.Dst) == 1 {
				current[sa.Dst] = true
			}
		}
		for x := range readers {
			if live[x] && !current[x] {
				return nil, false
			}
		}
	}
	shared := func(x *ir.Var) bool { return group[x] || readers[x] }
	lent := map[*ir.ArrayRef]bool{}
	ir.VisitStmts(r.fn.Body, func(st ir.Stmt) {
		switch st := st.(type) {
		case *ir.Call:
			if lendArgs(st, shared, lent, nil) {
				ok = false
			}
		case *ir.Return:
			// Returning the array hands it to Python; nothing runs after.
			for _, e := range st.Vals {
				if ref, isRef := e.(*ir.ArrayRef); isRef && shared(ref.Var) {
					lent[ref] = true
				}
			}
		case *ir.SetArray, *ir.Assign, *ir.Store, *ir.If, *ir.While, *ir.For, *ir.Nest, *ir.Check, *ir.Try,
			*ir.Break, *ir.Continue:
		default:
			if namesAny(st, shared) {
				ok = false
			}
		}
	}, func(e ir.Expr) {
		switch e := e.(type) {
		case *ir.Ref:
			ok = ok && !shared(e.Var)
		case *ir.ArrayRef:
			ok = ok && (!shared(e.Var) || lent[e])
		}
	})
	return b, ok
}

// bufferFor returns how the buffer buf (made tells whether it exists)
// serves the allocation al: the condition under which it must be made
// again, the statements that make it, and the array the allocation's
// variable then binds. A matrix is made again when its shape changes and
// bound whole. A vector takes the front of a buffer at least as long (a
// list slice perm[k::-1], or a selection Z = Z[I] that shrinks every
// iteration, keeps one buffer), made again only when it must grow, and
// then at least twice as long: a length that grows by one per iteration
// (y[:k] in Durbin's recursion, k = 1..n) made it again every time, n
// allocations through NumPy that cost more than the arithmetic (1.5 of
// 2.2 ms at n = 1000); doubling makes them about log2(n).
func (r *reuser) bufferFor(name string, buf, made *ir.Var, al *ir.Alloc) (ir.Expr, []ir.Stmt, ir.ArrayDef) {
	if len(al.Shape) != 1 {
		return remake(buf, made, al.Shape), []ir.Stmt{&ir.SetArray{Dst: buf, Src: &ir.Alloc{DType: al.DType, Shape: al.Shape}}},
			&ir.Alias{Src: buf}
	}
	n := al.Shape[0]
	cond := &ir.Bin{Op: ir.Or, X: &ir.Unary{Op: ir.Not, X: &ir.Ref{Var: made}, T: types.BoolT},
		Y: &ir.Bin{Op: ir.Lt, X: &ir.Dim{Arr: buf, Axis: 0}, Y: n, T: types.BoolT}, T: types.BoolT}
	use := &ir.View{Base: buf, Offset: ir.IntConst(0), Shape: []ir.Expr{n},
		Strides: []ir.Expr{&ir.Stride{Arr: buf, Axis: 0}}}
	i64 := types.ScalarOf(types.Int64)
	capv := &ir.Var{Name: r.fresh(name + "_cap"), Type: i64, Param: -1}
	r.fn.Locals = append(r.fn.Locals, capv)
	grow := []ir.Stmt{
		&ir.Assign{Dst: capv, Src: n},
		&ir.If{Cond: &ir.Ref{Var: made}, Then: []ir.Stmt{&ir.Assign{Dst: capv, Src: &ir.Intrinsic{Fn: ir.FnMax,
			Args: []ir.Expr{n, &ir.Bin{Op: ir.Mul, X: &ir.Dim{Arr: buf, Axis: 0}, Y: ir.IntConst(2), T: i64}}, T: i64}}}},
		&ir.SetArray{Dst: buf, Src: &ir.Alloc{DType: al.DType, Shape: []ir.Expr{&ir.Ref{Var: capv}}}},
	}
	return cond, grow, use
}

// alternate returns the statements that replace `t = al` in a loop that
// carries the array in b: t becomes an alias of the buffer b does not
// hold.
func (r *reuser) alternate(t, b *ir.Var, al *ir.Alloc) []ir.Stmt {
	var bufs [2]*ir.Var
	branch := func(k int) []ir.Stmt {
		buf := &ir.Var{Name: r.fresh(fmt.Sprintf("%s_buf%d", t.Name, k)), Type: t.Type, Param: -1}
		made := &ir.Var{Name: r.fresh(fmt.Sprintf("%s_made%d", t.Name, k)), Type: types.BoolT, Param: -1}
		r.fn.Locals = append(r.fn.Locals, buf, made)
		bufs[k] = buf
		cond, grow, use := r.bufferFor(t.Name, buf, made, al)
		return []ir.Stmt{
			&ir.If{Cond: cond, Then: append(grow, &ir.Assign{Dst: made, Src: ir.BoolConst(true)})},
			&ir.SetArray{Dst: t, Src: use},
		}
	}
	first, second := branch(0), branch(1)
	held := &ir.Overlap{A: b, B: bufs[0]}
	return []ir.Stmt{&ir.If{Cond: &ir.Unary{Op: ir.Not, X: held, T: types.BoolT}, Then: first, Else: second}}
}

// mentions counts the statements and expressions of body that bind or
// name v.
func mentions(body []ir.Stmt, v *ir.Var) int {
	n := binds(body, v)
	is := func(x *ir.Var) bool { return x == v }
	ir.VisitStmts(body, nil, func(e ir.Expr) {
		if mentionsAny(e, is) {
			n++
		}
	})
	return n
}

// binds counts the statements of body that bind v.
func binds(body []ir.Stmt, v *ir.Var) int {
	n := 0
	ir.VisitStmts(body, func(st ir.Stmt) {
		for _, x := range ir.Binds(st) {
			if x == v {
				n++
			}
		}
	}, nil)
	return n
}

// remake is the condition under which a reused buffer must be allocated
// (again): not yet made, or of another shape.
func remake(buf, made *ir.Var, shape []ir.Expr) ir.Expr {
	var cond ir.Expr = &ir.Unary{Op: ir.Not, X: &ir.Ref{Var: made}, T: types.BoolT}
	for k, e := range shape {
		cond = &ir.Bin{Op: ir.Or, X: cond, Y: &ir.Bin{Op: ir.Ne, X: &ir.Dim{Arr: buf, Axis: k}, Y: e, T: types.BoolT}, T: types.BoolT}
	}
	return cond
}

// viewBase is the array a definition shares memory with: a view's base or
// an alias's source (nil for an allocation).
func viewBase(d ir.ArrayDef) *ir.Var {
	switch d := d.(type) {
	case *ir.View:
		return d.Base
	case *ir.Alias:
		return d.Src
	}
	return nil
}

func mentionsAny(e ir.Expr, tracked func(*ir.Var) bool) bool {
	found := false
	ir.VisitExpr(e, func(x ir.Expr) {
		switch x := x.(type) {
		case *ir.Load:
			found = found || tracked(x.Arr)
		case *ir.Dim:
			found = found || tracked(x.Arr)
		case *ir.Stride:
			found = found || tracked(x.Arr)
		case *ir.Ref:
			found = found || tracked(x.Var)
		case *ir.ArrayRef:
			found = found || tracked(x.Var)
		case *ir.Overlap:
			found = found || tracked(x.A) || tracked(x.B)
		}
	})
	return found
}

// renameStmts returns a copy of body with the variables of m renamed. It
// builds new statements (the loop's body may share statements with another
// copy of the loop); a statement of a kind it does not rebuild is kept
// as it is, which confined allows only when it names none of them.
func renameStmts(body []ir.Stmt, m map[*ir.Var]*ir.Var) []ir.Stmt {
	mv := func(v *ir.Var) *ir.Var {
		if n, ok := m[v]; ok {
			return n
		}
		return v
	}
	me := func(e ir.Expr) ir.Expr {
		if e == nil {
			return nil
		}
		return ir.MapExpr(e, func(x ir.Expr) ir.Expr {
			switch x := x.(type) {
			case *ir.Load:
				return &ir.Load{Arr: mv(x.Arr), Idx: x.Idx}
			case *ir.Dim:
				return &ir.Dim{Arr: mv(x.Arr), Axis: x.Axis}
			case *ir.Stride:
				return &ir.Stride{Arr: mv(x.Arr), Axis: x.Axis}
			case *ir.Overlap:
				return &ir.Overlap{A: mv(x.A), B: mv(x.B)}
			}
			return nil
		})
	}
	ml := func(es []ir.Expr) []ir.Expr {
		out := make([]ir.Expr, len(es))
		for i, e := range es {
			out[i] = me(e)
		}
		return out
	}
	out := make([]ir.Stmt, len(body))
	for i, s := range body {
		switch s := s.(type) {
		case *ir.Assign:
			c := *s
			c.Src = me(s.Src)
			out[i] = &c
		case *ir.Store:
			c := *s
			c.Arr, c.Idx, c.Src = mv(s.Arr), ml(s.Idx), me(s.Src)
			out[i] = &c
		case *ir.SetArray:
			c := *s
			c.Dst = mv(s.Dst)
			switch src := s.Src.(type) {
			case *ir.Alloc:
				c.Src = &ir.Alloc{DType: src.DType, Shape: ml(src.Shape)}
			case *ir.View:
				c.Src = &ir.View{Base: mv(src.Base), Offset: me(src.Offset), Shape: ml(src.Shape), Strides: ml(src.Strides)}
			case *ir.Alias:
				c.Src = &ir.Alias{Src: mv(src.Src)}
			}
			out[i] = &c
		case *ir.If:
			out[i] = &ir.If{Cond: me(s.Cond), Then: renameStmts(s.Then, m), Else: renameStmts(s.Else, m)}
		case *ir.While:
			c := *s
			c.Cond, c.Body = me(s.Cond), renameStmts(s.Body, m)
			out[i] = &c
		case *ir.For:
			c := *s
			c.Start, c.Stop, c.Step, c.Body = me(s.Start), me(s.Stop), me(s.Step), renameStmts(s.Body, m)
			out[i] = &c
		case *ir.Nest:
			out[i] = &ir.Nest{Vars: s.Vars, Bounds: ml(s.Bounds), Body: renameStmts(s.Body, m)}
		case *ir.Check:
			c := *s
			c.Cond, c.Args = me(s.Cond), ml(s.Args)
			out[i] = &c
		case *ir.Return:
			out[i] = &ir.Return{Vals: ml(s.Vals)}
		case *ir.Call:
			c := *s
			c.Args = make([]ir.Expr, len(s.Args))
			for k, a := range s.Args {
				if r, isRef := a.(*ir.ArrayRef); isRef {
					c.Args[k] = &ir.ArrayRef{Var: mv(r.Var)}
				} else {
					c.Args[k] = me(a)
				}
			}
			out[i] = &c
		case *ir.Try:
			c := *s
			c.Body = renameStmts(s.Body, m)
			c.Handlers = nil
			for _, h := range s.Handlers {
				h.Body = renameStmts(h.Body, m)
				c.Handlers = append(c.Handlers, h)
			}
			out[i] = &c
		default:
			out[i] = s
		}
	}
	return out
}

// lendArgs records in lent the whole-array arguments of call st that
// tracked names (calling each on them when each is not nil), and reports
// whether the call may keep one past its return: a function of the program,
// or a runtime helper that retains its arguments (ir.Helper.Retains). The
// other helpers read or write them during the call only, as a load or a
// store would.
func lendArgs(st *ir.Call, tracked func(*ir.Var) bool, lent map[*ir.ArrayRef]bool, each func(*ir.Var)) bool {
	kept := false
	for _, a := range st.Args {
		if r, isRef := a.(*ir.ArrayRef); isRef && tracked(r.Var) {
			if st.Func.Helper == ir.NoHelper || st.Func.Helper.Retains() {
				kept = true
			}
			lent[r] = true
			if each != nil {
				each(r.Var)
			}
		}
	}
	return kept
}

// callHolds reports whether call st binds a tracked variable or lends one
// of them to a callee that may keep it (lendArgs, which also records the
// call's tracked arguments in lent).
func callHolds(st *ir.Call, tracked func(*ir.Var) bool, lent map[*ir.ArrayRef]bool, each func(*ir.Var)) bool {
	holds := lendArgs(st, tracked, lent, each)
	for _, x := range st.Dsts {
		if tracked(x) {
			holds = true
		}
	}
	return holds
}

// namesAny reports whether st, a statement renameStmts does not rebuild,
// names a tracked variable in an expression or binds one.
func namesAny(st ir.Stmt, tracked func(*ir.Var) bool) bool {
	named := false
	ir.VisitStmts([]ir.Stmt{st}, nil, func(e ir.Expr) {
		if mentionsAny(e, tracked) {
			named = true
		}
	})
	for _, x := range ir.Binds(st) {
		if tracked(x) {
			named = true
		}
	}
	return named
}
