package clgen

import "sejit/internal/ir"

// prangeNest returns a prange loop of the entry's top level, with the
// pranges perfectly nested in it (at most 3 in all), as one nest: a prange
// promises independent iterations (lowering checked its rules), so each
// iteration is a work-item. The innermost loop becomes get_global_id(0).
// This is what sejit.kernel's device form relies on (python/sejit/_kernel.py:
// its driver nests one prange per launch dimension, dimension 0 innermost).
// Loops that do not start at 0 by steps of 1 are not nests (nil).
//
// The loop variables and the scalars the body assigns get fresh variables:
// loop versioning copies a loop into both branches of a test, and the copy
// binds the same variables outside this nest, which outlining would read
// as a use after the loop (or a reduction).
func prangeNest(f *ir.For) *ir.Nest {
	n := &ir.Nest{}
	for {
		if len(n.Vars) == 0 {
			if !f.Parallel || f.Sign != 1 || !isConst(f.Start, 0) || !isConst(f.Step, 1) {
				return nil
			}
			n.Bounds = append(n.Bounds, f.Stop)
		}
		n.Vars = append(n.Vars, f.Var)
		n.Body = f.Body
		inner, prefix, stop := innerPrange(f.Body, n.Vars)
		if inner == nil {
			break
		}
		// The scalars assigned before the inner prange (its bound, a copy
		// of the loop variable) are computed by each work-item.
		inner.Body = append(prefix, inner.Body...)
		n.Bounds = append(n.Bounds, stop)
		f = inner
	}
	fresh := map[*ir.Var]*ir.Var{}
	renew := func(v *ir.Var) *ir.Var {
		if v == nil || v.Type == nil || !v.Type.IsScalar() {
			return v
		}
		if nv, ok := fresh[v]; ok {
			return nv
		}
		nv := &ir.Var{Name: v.Name, Type: v.Type, Param: -1}
		fresh[v] = nv
		return nv
	}
	for i, v := range n.Vars {
		n.Vars[i] = renew(v)
	}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Assign:
			s.Dst = renew(s.Dst)
		case *ir.For:
			s.Var = renew(s.Var)
		case *ir.Nest:
			for i, v := range s.Vars {
				s.Vars[i] = renew(v)
			}
		case *ir.Call:
			for i, v := range s.Dsts {
				s.Dsts[i] = renew(v)
			}
		case *ir.Atomic:
			s.Dst = renew(s.Dst)
		}
	}, nil)
	ir.MapStmts(n.Body, func(e ir.Expr) ir.Expr {
		if r, ok := e.(*ir.Ref); ok {
			if nv, ok := fresh[r.Var]; ok {
				return &ir.Ref{Var: nv}
			}
		}
		return nil
	})
	return n
}

// innerPrange finds the prange a loop body ends with when everything
// before it is scalar assignments (lowering binds the loop variable and
// the inner bound that way): the inner loop, those assignments, and its
// bound with them substituted, which must not depend on the outer loops'
// variables (the host evaluates it as the launch's extent).
func innerPrange(body []ir.Stmt, outer []*ir.Var) (*ir.For, []ir.Stmt, ir.Expr) {
	if len(body) == 0 {
		return nil, nil, nil
	}
	inner, ok := body[len(body)-1].(*ir.For)
	if !ok || !inner.Parallel || inner.Sign != 1 || !isConst(inner.Start, 0) || !isConst(inner.Step, 1) || len(outer) == 3 {
		return nil, nil, nil
	}
	prefix := body[:len(body)-1]
	val := map[*ir.Var]ir.Expr{}
	for _, s := range prefix {
		a, ok := s.(*ir.Assign)
		if !ok {
			return nil, nil, nil
		}
		val[a.Dst] = ir.MapExpr(a.Src, func(e ir.Expr) ir.Expr {
			if r, ok := e.(*ir.Ref); ok {
				if v, ok := val[r.Var]; ok {
					return v
				}
			}
			return nil
		})
	}
	stop := ir.MapExpr(inner.Stop, func(e ir.Expr) ir.Expr {
		if r, ok := e.(*ir.Ref); ok {
			if v, ok := val[r.Var]; ok {
				return v
			}
		}
		return nil
	})
	for _, v := range outer {
		if ir.Mentions(stop, v) {
			return nil, nil, nil
		}
	}
	for _, s := range prefix {
		if ir.Mentions(stop, s.(*ir.Assign).Dst) {
			return nil, nil, nil
		}
	}
	return inner, append([]ir.Stmt(nil), prefix...), stop
}
