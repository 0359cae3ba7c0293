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
//	Index:     if Better { v = Cand; Index = IndexSrc }: argmin and argmax,
//	           the position IndexSrc reading only counters
//	Counter:   v = v + 1 at the top level of the body, read elsewhere: the
//	           iteration's position (plus v's value before the loop)
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
	// Index and IndexSrc: the position a selection records with Var.
	Index    *ir.Var
	IndexSrc ir.Expr
	Counter  bool
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
		if v.Type.Kind != types.Scalar {
			return nil, false
		}
		isAcc[v] = true
	}
	found := map[*ir.Var]*Accumulation{}
	updates := map[*ir.Var]int{} // reads of each accumulation inside its own updates
	ok := true
	// Counters first: their reads elsewhere are positions, not partial values.
	counter := map[*ir.Var]bool{}
	for _, s := range body {
		if a, isAssign := s.(*ir.Assign); isAssign && isAcc[a.Dst] && a.Dst.Type.DType.IsInt() {
			if b, isBin := a.Src.(*ir.Bin); isBin && b.Op == ir.Add && isRef(b.X, a.Dst) && isOne(b.Y) {
				if counter[a.Dst] {
					return nil, false
				}
				counter[a.Dst] = true
			}
		}
	}
	for v := range counter {
		n := 0
		ir.VisitStmts(body, func(s ir.Stmt) {
			for _, w := range ir.Binds(s) {
				if w == v {
					n++
				}
			}
		}, nil)
		if n != 1 {
			return nil, false
		}
		found[v] = &Accumulation{Var: v, Counter: true}
	}
	// Selections that record a position: if Better { v = Cand; i = pos }.
	paired := map[ir.Stmt]bool{}
	ir.VisitStmts(body, func(s ir.Stmt) {
		a, idx := argSelection(s, isAcc, counter)
		if a == nil {
			return
		}
		if found[a.Var] != nil || found[idx] != nil {
			ok = false
			return
		}
		found[a.Var], found[idx] = a, a
		in := s.(*ir.If)
		paired[in.Then[0]], paired[in.Then[1]] = true, true
		updates[a.Var] += countRefs(a.Better, a.Var)
	}, nil)
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
		if paired[s] {
			return
		}
		for _, v := range ir.Binds(s) {
			if !isAcc[v] || counter[v] {
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
		if c, isCheck := s.(*ir.Check); isCheck && mentionsAcc(c.Cond) {
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
		if a == nil {
			return nil, false
		}
		if a.Counter || a.Index == v {
			if a.Index == v {
				continue // listed with its selection
			}
			out = append(out, *a)
			continue
		}
		if reads[v] != updates[v] || (a.Op == 0 && isAcc[a.Cand]) {
			return nil, false
		}
		// Complex numbers have sums and products; their selections (NumPy's
		// lexicographic min and max) and bit operators are not accumulations.
		if v.Type.DType.IsComplex() && a.Op != ir.Add && a.Op != ir.Mul {
			return nil, false
		}
		out = append(out, *a)
	}
	// The position's variable is read only where the selection records it.
	for _, a := range out {
		if a.Index != nil && reads[a.Index] != 0 {
			return nil, false
		}
	}
	return out, true
}

func isOne(e ir.Expr) bool {
	c, ok := e.(*ir.Const)
	return ok && c.Type.DType.IsInt() && c.I == 1
}

func countRefs(e ir.Expr, v *ir.Var) int {
	n := 0
	ir.VisitExpr(e, func(x ir.Expr) {
		if isRef(x, v) {
			n++
		}
	})
	return n
}

// argSelection recognises if Better { v = Cand; i = pos } (no else), pos
// reading only counters and constants, and returns it with i.
func argSelection(s ir.Stmt, isAcc, counter map[*ir.Var]bool) (*Accumulation, *ir.Var) {
	in, ok := s.(*ir.If)
	if !ok || len(in.Then) != 2 || len(in.Else) != 0 {
		return nil, nil
	}
	a1, ok1 := in.Then[0].(*ir.Assign)
	a2, ok2 := in.Then[1].(*ir.Assign)
	if !ok1 || !ok2 || !isAcc[a1.Dst] || !isAcc[a2.Dst] || counter[a1.Dst] || counter[a2.Dst] || a1.Dst == a2.Dst {
		return nil, nil
	}
	c, ok := a1.Src.(*ir.Ref)
	if !ok || isAcc[c.Var] || !isSelection(in.Cond, c.Var, a1.Dst) {
		return nil, nil
	}
	pure := true
	ir.VisitExpr(a2.Src, func(x ir.Expr) {
		switch x := x.(type) {
		case *ir.Ref:
			if !counter[x.Var] {
				pure = false
			}
		case *ir.Const, *ir.Bin, *ir.Cast:
		default:
			pure = false
		}
	})
	if !pure {
		return nil, nil
	}
	return &Accumulation{Var: a1.Dst, Better: in.Cond, Cand: c.Var, Index: a2.Dst, IndexSrc: a2.Src}, a2.Dst
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
