package analysis

import (
	"math"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// An Accumulation is a scalar that the iterations of a loop or nest
// combine with values of their own, with an operation whose partial
// results a target may compute apart and combine afterwards (a device's
// work-group tree). It is the general form of Reduction: any dtype, and
// the operators NumPy's reductions and prange's `+=` lower to.
//
//	Op != 0:   v = v op e (or e op v where op commutes), v = v - e (combined with Add)
//	Op == 0:   v = select(Better, Cand, v), Better reading only Cand and v:
//	           the min/max forms of lowering, NaN-propagating or NaN-ignoring
//
// v is read nowhere else in the body, so no iteration sees another's
// value; e mentions no accumulation.
type Accumulation struct {
	Var *ir.Var
	Op  ir.Op
	// Better and Cand describe a selection (Op == 0): the candidate Cand
	// replaces Var where Better holds.
	Better ir.Expr
	Cand   *ir.Var
}

// Combine returns the value of combining the partial results p (of the
// iterations before) and q (those after).
func (a Accumulation) Combine(p, q ir.Expr) ir.Expr {
	t := a.Var.Type
	if a.Op != 0 {
		return &ir.Bin{Op: a.Op, X: p, Y: q, T: t}
	}
	cond := ir.MapExpr(a.Better, func(e ir.Expr) ir.Expr {
		if r, ok := e.(*ir.Ref); ok {
			switch r.Var {
			case a.Cand:
				return q
			case a.Var:
				return p
			}
		}
		return nil
	})
	return &ir.Select{Cond: cond, X: q, Y: p, T: t}
}

// Identity is the value that leaves any partial result of a Bin
// accumulation unchanged (nil for a selection, which has none in general).
func (a Accumulation) Identity() *ir.Const {
	d := a.Var.Type.DType
	c := &ir.Const{Type: a.Var.Type}
	switch a.Op {
	case ir.Add, ir.BitOr, ir.BitXor, ir.Or:
	case ir.Mul:
		c.I, c.U, c.F = 1, 1, 1
	case ir.BitAnd:
		c.I, c.U = -1, math.MaxUint64
		if d == types.Bool {
			c.I = 1
		}
	case ir.And:
		c.I = 1
	default:
		return nil
	}
	return c
}

var commutes = map[ir.Op]bool{ir.Add: true, ir.Mul: true, ir.BitAnd: true, ir.BitOr: true, ir.BitXor: true,
	ir.And: true, ir.Or: true}

// Accumulations recognises each variable of accs as an Accumulation of
// body, or reports false when one is assigned or read in any other way.
func Accumulations(body []ir.Stmt, accs []*ir.Var) ([]Accumulation, bool) {
	isAcc := map[*ir.Var]bool{}
	for _, v := range accs {
		if v.Type.Kind != types.Scalar || v.Type.DType.IsComplex() {
			return nil, false
		}
		isAcc[v] = true
	}
	found := map[*ir.Var]*Accumulation{}
	updates := map[*ir.Var]int{} // reads of each accumulation inside its own updates
	ok := true
	mentionsAcc := func(e ir.Expr) bool {
		m := false
		ir.VisitExpr(e, func(x ir.Expr) {
			if r, isRef := x.(*ir.Ref); isRef && isAcc[r.Var] {
				m = true
			}
		})
		return m
	}
	ir.VisitStmts(body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			if !isAcc[v] {
				continue
			}
			as, isAssign := s.(*ir.Assign)
			if !isAssign {
				ok = false
				return
			}
			a, reads := accumulation(as)
			if a == nil {
				ok = false
				return
			}
			if prev := found[v]; prev != nil && (prev.Op != a.Op || a.Op == 0) {
				ok = false // two selections, or two operators, into one variable
				return
			}
			found[v] = a
			updates[v] += reads
		}
		// Only an accumulation's own update reads it, and no other
		// assignment reads any accumulation.
		if as, isAssign := s.(*ir.Assign); isAssign && !isAcc[as.Dst] && mentionsAcc(as.Src) {
			ok = false
		}
	}, nil)
	if !ok {
		return nil, false
	}
	reads := map[*ir.Var]int{}
	ir.VisitStmts(body, nil, func(e ir.Expr) {
		if r, isRef := e.(*ir.Ref); isRef && isAcc[r.Var] {
			reads[r.Var]++
		}
	})
	var out []Accumulation
	for _, v := range accs {
		a := found[v]
		if a == nil || reads[v] != updates[v] {
			return nil, false
		}
		if a.Op == 0 && isAcc[a.Cand] {
			return nil, false
		}
		out = append(out, *a)
	}
	return out, true
}

// accumulation recognises one update and counts its reads of the variable.
func accumulation(s *ir.Assign) (*Accumulation, int) {
	v := s.Dst
	count := func(e ir.Expr) int {
		n := 0
		ir.VisitExpr(e, func(x ir.Expr) {
			if isRef(x, v) {
				n++
			}
		})
		return n
	}
	switch src := s.Src.(type) {
	case *ir.Bin:
		if src.T == nil || src.T.DType != v.Type.DType {
			return nil, 0
		}
		op := src.Op
		var e ir.Expr
		switch {
		case isRef(src.X, v) && (commutes[op] || op == ir.Sub):
			e = src.Y
		case isRef(src.Y, v) && commutes[op]:
			e = src.X
		default:
			return nil, 0
		}
		if ir.Mentions(e, v) {
			return nil, 0
		}
		if op == ir.Sub {
			op = ir.Add
		}
		return &Accumulation{Var: v, Op: op}, 1
	case *ir.Select:
		c, ok := src.X.(*ir.Ref)
		if !ok || c.Var == v || !isRef(src.Y, v) || !isSelection(src.Cond, c.Var, v) {
			return nil, 0
		}
		return &Accumulation{Var: v, Better: src.Cond, Cand: c.Var}, 1 + count(src.Cond)
	}
	return nil, 0
}

// isSelection reports whether cond, reading only c and v, orders c against
// v (Lt or Gt, the only comparison of the two) and otherwise tests either
// for NaN (x != x) with And, Or and Not: the forms of min, max, nanmin and
// nanmax, whose combination is associative.
func isSelection(cond ir.Expr, c, v *ir.Var) bool {
	orders := 0
	var ok func(e ir.Expr) bool
	ok = func(e ir.Expr) bool {
		switch e := e.(type) {
		case *ir.Bin:
			switch e.Op {
			case ir.And, ir.Or:
				return ok(e.X) && ok(e.Y)
			case ir.Lt, ir.Gt:
				if isRef(e.X, c) && isRef(e.Y, v) || isRef(e.X, v) && isRef(e.Y, c) {
					orders++
					return true
				}
			case ir.Ne:
				return (isRef(e.X, c) && isRef(e.Y, c)) || (isRef(e.X, v) && isRef(e.Y, v))
			}
		case *ir.Unary:
			return e.Op == ir.Not && ok(e.X)
		case *ir.Const:
			return true
		}
		return false
	}
	return ok(cond) && orders == 1
}
