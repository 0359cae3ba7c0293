package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Scalarization replaces an array that lives and dies inside one nest by a
// scalar: the temporary x1 of `x1 = x - a; y[:] = x1 + x1*x1`, once fusion
// has put its producer and its consumer in one loop, becomes a variable
// computed and used in each iteration, and is never allocated.
//
// An array qualifies when it is allocated once, every element access is in
// one nest at that nest's own iteration, the first statement of the nest
// that touches it stores it, and nothing else — a view, an alias, a call,
// a return — sees it. Its extents, where still read, are replaced by the
// values it was allocated with; those are constants or variables assigned
// once, so they still hold.
func scalarizeProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		scalarizeFunc(f, log)
	}
}

type arrayUse struct {
	alloc    *ir.SetArray
	allocs   int
	escapes  bool
	nest     *ir.Nest // the single nest with element accesses
	badNest  bool
	assigned map[*ir.Var]int
}

func scalarizeFunc(f *ir.Func, log *strings.Builder) {
	uses := map[*ir.Var]*arrayUse{}
	get := func(v *ir.Var) *arrayUse {
		u, ok := uses[v]
		if !ok {
			u = &arrayUse{}
			uses[v] = u
		}
		return u
	}
	assigned := map[*ir.Var]int{}
	var walk func(body []ir.Stmt, nest *ir.Nest)
	noteExpr := func(e ir.Expr, nest *ir.Nest) {
		ir.VisitExpr(e, func(x ir.Expr) {
			switch x := x.(type) {
			case *ir.Load:
				u := get(x.Arr)
				if nest == nil || !identity(x.Idx, nest) || (u.nest != nil && u.nest != nest) {
					u.badNest = true
				}
				u.nest = nest
			case *ir.ArrayRef:
				get(x.Var).escapes = true
			}
		})
	}
	walk = func(body []ir.Stmt, nest *ir.Nest) {
		for _, s := range body {
			ir.OwnExprs(s, func(e ir.Expr) { noteExpr(e, nest) })
			switch s := s.(type) {
			case *ir.Assign:
				assigned[s.Dst]++
			case *ir.Store:
				u := get(s.Arr)
				if nest == nil || !identity(s.Idx, nest) || (u.nest != nil && u.nest != nest) {
					u.badNest = true
				}
				u.nest = nest
			case *ir.SetArray:
				u := get(s.Dst)
				switch d := s.Src.(type) {
				case *ir.Alloc:
					u.allocs++
					u.alloc = s
				case *ir.View:
					get(d.Base).escapes = true
					u.escapes = true
				case *ir.Alias:
					get(d.Src).escapes = true
					u.escapes = true
				}
			case *ir.Call:
				for _, d := range s.Dsts {
					assigned[d]++
					get(d).escapes = true
				}
			case *ir.For:
				assigned[s.Var]++
				walk(s.Body, nest)
			case *ir.While:
				walk(s.Body, nest)
			case *ir.If:
				walk(s.Then, nest)
				walk(s.Else, nest)
			case *ir.Try:
				walk(s.Body, nest)
				for _, h := range s.Handlers {
					walk(h.Body, nest)
				}
			case *ir.Nest:
				inner := nest
				if inner == nil {
					inner = s
				}
				walk(s.Body, inner)
			}
		}
	}
	walk(f.Body, nil)
	for _, v := range f.Params {
		get(v).escapes = true
	}
	for _, v := range f.Locals {
		u, ok := uses[v]
		if !ok || v.Type.Kind != types.Array || u.escapes || u.badNest || u.allocs != 1 || u.nest == nil {
			continue
		}
		shape := u.alloc.Src.(*ir.Alloc).Shape
		stable := true
		for _, e := range shape {
			ir.VisitExpr(e, func(x ir.Expr) {
				switch x := x.(type) {
				case *ir.Ref:
					stable = stable && assigned[x.Var] == 1
				case *ir.Dim, *ir.Load, *ir.Stride:
					stable = false
				}
			})
		}
		if !stable || !storedFirst(u.nest.Body, v) {
			continue
		}
		s := &ir.Var{Name: v.Name + "_s", Type: types.ScalarOf(v.Type.DType), Param: -1}
		f.Locals = append(f.Locals, s)
		replaceInNest(u.nest, v, s)
		f.Body = removeAlloc(f.Body, u.alloc)
		ir.MapStmts(f.Body, func(e ir.Expr) ir.Expr {
			if d, ok := e.(*ir.Dim); ok && d.Arr == v {
				return shape[d.Axis]
			}
			return nil
		})
		fmt.Fprintf(log, "%s: array %s is held in the scalar %s (no allocation)\n", f.Name, v.Name, s.Name)
	}
}

func identity(idx []ir.Expr, n *ir.Nest) bool {
	if len(idx) != len(n.Vars) {
		return false
	}
	for k, e := range idx {
		r, ok := e.(*ir.Ref)
		if !ok || r.Var != n.Vars[k] {
			return false
		}
	}
	return true
}

// storedFirst reports that the first top-level statement of body touching
// v is a store to it (so every iteration writes before it reads).
func storedFirst(body []ir.Stmt, v *ir.Var) bool {
	for _, s := range body {
		touches := false
		ir.VisitStmts([]ir.Stmt{s}, func(x ir.Stmt) {
			if st, ok := x.(*ir.Store); ok && st.Arr == v {
				touches = true
			}
		}, func(e ir.Expr) {
			if ld, ok := e.(*ir.Load); ok && ld.Arr == v {
				touches = true
			}
		})
		if !touches {
			continue
		}
		st, ok := s.(*ir.Store)
		if !ok || st.Arr != v {
			return false
		}
		reads := false
		ir.VisitExpr(st.Src, func(e ir.Expr) {
			if ld, ok := e.(*ir.Load); ok && ld.Arr == v {
				reads = true
			}
		})
		return !reads
	}
	return false
}

func replaceInNest(n *ir.Nest, v, s *ir.Var) {
	var fix func(body []ir.Stmt)
	fix = func(body []ir.Stmt) {
		for i, st := range body {
			if store, ok := st.(*ir.Store); ok && store.Arr == v {
				body[i] = &ir.Assign{Dst: s, Src: store.Src}
			}
			switch st := st.(type) {
			case *ir.If:
				fix(st.Then)
				fix(st.Else)
			case *ir.Try:
				fix(st.Body)
				for _, h := range st.Handlers {
					fix(h.Body)
				}
			case *ir.Nest:
				fix(st.Body)
			case *ir.For:
				fix(st.Body)
			case *ir.While:
				fix(st.Body)
			}
		}
	}
	fix(n.Body)
	ir.MapStmts(n.Body, func(e ir.Expr) ir.Expr {
		if ld, ok := e.(*ir.Load); ok && ld.Arr == v {
			return &ir.Ref{Var: s}
		}
		return nil
	})
}

func removeAlloc(body []ir.Stmt, target *ir.SetArray) []ir.Stmt {
	out := body[:0]
	for _, s := range body {
		if s == ir.Stmt(target) {
			continue
		}
		switch st := s.(type) {
		case *ir.If:
			st.Then = removeAlloc(st.Then, target)
			st.Else = removeAlloc(st.Else, target)
		case *ir.Try:
			st.Body = removeAlloc(st.Body, target)
			for i := range st.Handlers {
				st.Handlers[i].Body = removeAlloc(st.Handlers[i].Body, target)
			}
		case *ir.Nest:
			st.Body = removeAlloc(st.Body, target)
		case *ir.For:
			st.Body = removeAlloc(st.Body, target)
		case *ir.While:
			st.Body = removeAlloc(st.Body, target)
		}
		out = append(out, s)
	}
	return out
}
