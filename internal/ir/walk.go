package ir

// MapExpr rebuilds e bottom-up, replacing each subexpression x by f(x)
// when f returns non-nil.
func MapExpr(e Expr, f func(Expr) Expr) Expr {
	switch x := e.(type) {
	case *Load:
		n := &Load{Arr: x.Arr, Idx: mapList(x.Idx, f)}
		e = n
	case *Bin:
		e = &Bin{Op: x.Op, X: MapExpr(x.X, f), Y: MapExpr(x.Y, f), T: x.T}
	case *Unary:
		e = &Unary{Op: x.Op, X: MapExpr(x.X, f), T: x.T}
	case *Cast:
		e = &Cast{X: MapExpr(x.X, f), T: x.T}
	case *Select:
		e = &Select{Cond: MapExpr(x.Cond, f), X: MapExpr(x.X, f), Y: MapExpr(x.Y, f), T: x.T}
	case *Intrinsic:
		e = &Intrinsic{Fn: x.Fn, Args: mapList(x.Args, f), T: x.T}
	}
	if r := f(e); r != nil {
		return r
	}
	return e
}

func mapList(es []Expr, f func(Expr) Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = MapExpr(e, f)
	}
	return out
}

// MapStmts applies MapExpr with f to every expression of body, in place,
// descending into nested blocks.
func MapStmts(body []Stmt, f func(Expr) Expr) {
	for _, s := range body {
		switch s := s.(type) {
		case *Assign:
			s.Src = MapExpr(s.Src, f)
		case *Store:
			s.Idx = mapList(s.Idx, f)
			s.Src = MapExpr(s.Src, f)
		case *SetArray:
			switch d := s.Src.(type) {
			case *Alloc:
				d.Shape = mapList(d.Shape, f)
			case *View:
				d.Offset = MapExpr(d.Offset, f)
				d.Shape = mapList(d.Shape, f)
				d.Strides = mapList(d.Strides, f)
			case *LocalAlloc:
				d.Shape = mapList(d.Shape, f)
			}
		case *If:
			s.Cond = MapExpr(s.Cond, f)
			MapStmts(s.Then, f)
			MapStmts(s.Else, f)
		case *While:
			s.Cond = MapExpr(s.Cond, f)
			MapStmts(s.Body, f)
		case *For:
			s.Start, s.Stop, s.Step = MapExpr(s.Start, f), MapExpr(s.Stop, f), MapExpr(s.Step, f)
			MapStmts(s.Body, f)
		case *Nest:
			s.Bounds = mapList(s.Bounds, f)
			MapStmts(s.Body, f)
		case *Try:
			for _, b := range tryBodies(s) {
				MapStmts(b, f)
			}
		case *Return:
			s.Vals = mapList(s.Vals, f)
		case *Check:
			s.Cond = MapExpr(s.Cond, f)
			s.Args = mapList(s.Args, f)
		case *Call:
			s.Args = mapList(s.Args, f)
		case *Atomic:
			s.Idx = mapList(s.Idx, f)
			s.Val = MapExpr(s.Val, f)
		case *Print:
			for i := range s.Items {
				if s.Items[i].Val != nil {
					s.Items[i].Val = MapExpr(s.Items[i].Val, f)
				}
			}
		}
	}
}

// VisitExpr calls f on e and every subexpression.
func VisitExpr(e Expr, f func(Expr)) {
	MapExpr(e, func(x Expr) Expr { f(x); return nil })
}

// VisitStmts calls fs on every statement (outer before inner) and fe on
// every expression of body.
func VisitStmts(body []Stmt, fs func(Stmt), fe func(Expr)) {
	for _, s := range body {
		if fs != nil {
			fs(s)
		}
		if fe != nil {
			OwnExprs(s, fe)
		}
		switch s := s.(type) {
		case *If:
			VisitStmts(s.Then, fs, fe)
			VisitStmts(s.Else, fs, fe)
		case *While:
			VisitStmts(s.Body, fs, fe)
		case *For:
			VisitStmts(s.Body, fs, fe)
		case *Nest:
			VisitStmts(s.Body, fs, fe)
		case *Try:
			for _, b := range tryBodies(s) {
				VisitStmts(b, fs, fe)
			}
		}
	}
}

// ShallowCopy is a copy of s without its nested bodies, its own
// expressions (and an array definition's) mappable without touching s.
func ShallowCopy(s Stmt) Stmt { return shallow(s) }

// shallow returns a copy of s without nested bodies, so MapStmts on it
// touches only s's own expressions (and never writes into s).
func shallow(s Stmt) Stmt {
	switch s := s.(type) {
	case *Assign:
		c := *s
		return &c
	case *Store:
		c := *s
		return &c
	case *SetArray:
		c := *s
		switch d := s.Src.(type) {
		case *Alloc:
			dc := *d
			c.Src = &dc
		case *View:
			dc := *d
			c.Src = &dc
		case *LocalAlloc:
			dc := *d
			c.Src = &dc
		}
		return &c
	case *If:
		return &If{Cond: s.Cond}
	case *While:
		return &While{Cond: s.Cond}
	case *For:
		return &For{Var: s.Var, Start: s.Start, Stop: s.Stop, Step: s.Step, Parallel: s.Parallel}
	case *Nest:
		return &Nest{Vars: s.Vars, Bounds: s.Bounds}
	case *Try:
		return &Try{ID: s.ID, Line: s.Line, Col: s.Col}
	case *Return:
		c := *s
		return &c
	case *Check:
		c := *s
		return &c
	case *Call:
		c := *s
		return &c
	case *Atomic:
		c := *s
		return &c
	case *Print:
		c := *s
		c.Items = append([]PrintItem(nil), s.Items...)
		return &c
	}
	return s
}

// Mentions reports whether e reads v (as a scalar, an array or its extents).
func Mentions(e Expr, v *Var) bool {
	found := false
	VisitExpr(e, func(x Expr) {
		switch x := x.(type) {
		case *Ref:
			found = found || x.Var == v
		case *Load:
			found = found || x.Arr == v
		case *Dim:
			found = found || x.Arr == v
		case *Stride:
			found = found || x.Arr == v
		case *ArrayRef:
			found = found || x.Var == v
		case *Overlap:
			found = found || x.A == v || x.B == v
		}
	})
	return found
}

// Binds lists the variables statement s itself binds — not those bound by
// statements nested in it.
func Binds(s Stmt) []*Var {
	switch s := s.(type) {
	case *Assign:
		return []*Var{s.Dst}
	case *SetArray:
		return []*Var{s.Dst}
	case *For:
		return []*Var{s.Var}
	case *Nest:
		return s.Vars
	case *Call:
		return s.Dsts
	case *Atomic:
		if s.Dst != nil {
			return []*Var{s.Dst}
		}
	}
	return nil
}

// OwnExprs calls f on every expression of s itself (and their
// subexpressions), not on those of statements nested in it.
func OwnExprs(s Stmt, f func(Expr)) {
	MapStmts([]Stmt{shallow(s)}, func(x Expr) Expr { f(x); return nil })
}
