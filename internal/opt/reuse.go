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
// before it is read. Parallel loops are left alone: their iterations run at
// once.
func reuseProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		r := &reuser{fn: f}
		r.block(f.Body, false)
		if r.reused > 0 {
			fmt.Fprintf(log, "%s: %d arrays allocated in a loop's every iteration reuse one buffer\n", f.Name, r.reused)
		}
	}
}

type reuser struct {
	fn     *ir.Func
	reused int
	taken  map[string]bool
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
		case *ir.Try:
			r.block(s.Body, inPar)
			for i := range s.Handlers {
				r.block(s.Handlers[i].Body, inPar)
			}
		case *ir.For:
			par := inPar || s.Parallel
			r.block(s.Body, par)
			if !par {
				r.loop(s)
			}
		}
	}
}

// loop rewrites the top-level allocations of loop's body that qualify.
func (r *reuser) loop(loop *ir.For) {
	for j := 0; j < len(loop.Body); j++ {
		sa, ok := loop.Body[j].(*ir.SetArray)
		if !ok {
			continue
		}
		al, ok := sa.Src.(*ir.Alloc)
		if !ok || sa.Dst.Param >= 0 {
			continue
		}
		views, ok := r.confined(sa.Dst, loop, j)
		if !ok {
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
		var cond ir.Expr = &ir.Unary{Op: ir.Not, X: &ir.Ref{Var: made}, T: types.BoolT}
		for k, e := range al.Shape {
			cond = &ir.Bin{Op: ir.Or, X: cond, Y: &ir.Bin{Op: ir.Ne, X: &ir.Dim{Arr: buf, Axis: k}, Y: e, T: types.BoolT}, T: types.BoolT}
		}
		body := renameStmts(loop.Body, m)
		out := append([]ir.Stmt{}, body[:j]...)
		out = append(out,
			&ir.If{Cond: cond, Then: []ir.Stmt{
				&ir.SetArray{Dst: buf, Src: &ir.Alloc{DType: al.DType, Shape: al.Shape}},
				&ir.Assign{Dst: made, Src: ir.BoolConst(true)},
			}},
			&ir.SetArray{Dst: v, Src: &ir.Alias{Src: buf}})
		out = append(out, body[j+1:]...)
		loop.Body = out
		j++
		r.reused++
	}
}

// confined reports whether the array that loop.Body[j] allocates into v is
// seen only in that iteration, and returns the views of it: v is not read
// before the allocation in the body nor after the loop, and bound nowhere
// else in the body; its views are made once each at the top level of the
// body after j, used only after that, and dead after the loop; nothing
// aliases either, passes them whole, or tests them for overlap.
func (r *reuser) confined(v *ir.Var, loop *ir.For, j int) ([]*ir.Var, bool) {
	body := loop.Body
	views := map[*ir.Var]int{}
	var order []*ir.Var
	for k := j + 1; k < len(body); k++ {
		if sa, ok := body[k].(*ir.SetArray); ok {
			if vw, ok := sa.Src.(*ir.View); ok && vw.Base == v && sa.Dst.Param < 0 {
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
				switch src := st.Src.(type) {
				case *ir.View:
					if tracked(src.Base) && (src.Base != v || !tracked(st.Dst) || st != top) {
						ok = false
					}
				case *ir.Alias:
					if tracked(src.Src) {
						ok = false
					}
				}
			case *ir.Assign, *ir.If, *ir.While, *ir.For, *ir.Nest, *ir.Check, *ir.Return, *ir.Try:
			default:
				// A statement renameStmts does not rebuild must not name them.
				ir.VisitStmts([]ir.Stmt{st}, nil, func(e ir.Expr) {
					if mentionsAny(e, tracked) {
						ok = false
					}
				})
				for _, x := range ir.Binds(st) {
					if tracked(x) {
						ok = false
					}
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
				if tracked(e.Var) {
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
