package resolve

// Comprehensions (issue 14). The decoder renamed the variables each
// comprehension binds (pyast/comprehensions.go), so here they are locals
// of the function like any other, bound by no statement.

import "sejit/internal/pyast"

// collectComps binds the variables of the comprehensions in body's
// expressions (not those of nested definitions, resolved on their own).
func (r *resolver) collectComps(body []pyast.Stmt) {
	pyast.WalkStmts(body, func(s pyast.Stmt) bool {
		_, def := s.(*pyast.FunctionDef)
		return !def
	}, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if _, ok := x.(*pyast.Lambda); ok {
				return false
			}
			if _, gens, ok := pyast.Comp(x); ok {
				for _, g := range gens {
					r.bindTarget(g.Target)
				}
			}
			return true
		})
	})
}

// comp checks a list comprehension or a generator expression.
func (r *resolver) comp(e pyast.Expr) {
	elt, gens, _ := pyast.Comp(e)
	for _, g := range gens {
		r.expr(g.Iter)
		r.compTarget(g.Target)
		for _, c := range g.Ifs {
			r.expr(c)
		}
	}
	r.expr(elt)
}

// compTarget accepts a name or a tuple of names as a comprehension's
// loop variable.
func (r *resolver) compTarget(t pyast.Expr) {
	switch t := t.(type) {
	case *pyast.Name:
	case *pyast.Tuple:
		for _, x := range t.Elts {
			r.compTarget(x)
		}
	default:
		r.unsupported(t.Position(), "a comprehension's loop variable must be a name or a tuple of names")
	}
}
