package types

import (
	"math/big"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// Comparing two tuples, as CPython does: == and != item by item (tuples of
// different lengths are never equal); <, <=, > and >= lexicographically: the
// first pair of items that differ decides, and when one tuple is a prefix of
// the other, the shorter is the smaller. The checker records the comparison
// written out on the items as the expression's alias (Info.Alias), which
// lowering follows: (a, b) < (c, d) is a < c or (a == c and b < d).
//
// The written-out form may read an item more than once, so a tuple display
// compared this way must not call a function (it could have effects); a
// tuple held in a variable is read by constant indices, which are free.

// tupleCompare types l op r for two tuples.
func (c *checker) tupleCompare(e *pyast.Compare, l, r *Type) *Type {
	left, right := e.Left, e.Comparators[0]
	for _, x := range []pyast.Expr{left, right} {
		if hasCall(x) {
			c.errorf(x.Position(), diag.Unsupported, "comparing a tuple display holding a call is not supported").
				WithHint("assign the tuple to a variable first")
			return UnknownT
		}
	}
	op := e.Ops[0]
	a, b := tupleItems(left, len(l.Elems)), tupleItems(right, len(r.Elems))
	p := e.P
	var syn pyast.Expr
	switch op {
	case "Eq", "NotEq":
		if len(a) != len(b) {
			syn = boolConst(op == "NotEq", p)
			break
		}
		terms := make([]pyast.Expr, len(a))
		for k := range a {
			terms[k] = cmp(a[k], "Eq", b[k], p)
		}
		syn = allOf(terms, p)
		if op == "NotEq" {
			u := &pyast.UnaryOp{Op: "Not", Operand: syn}
			u.P = p
			syn = u
		}
	default:
		// L(k) = (a[k] != b[k] and a[k] op b[k]) or (a[k] == b[k] and L(k+1)),
		// and past the shorter tuple, the lengths compare.
		m := min(len(a), len(b))
		var lens bool
		switch op {
		case "Lt":
			lens = len(a) < len(b)
		case "LtE":
			lens = len(a) <= len(b)
		case "Gt":
			lens = len(a) > len(b)
		case "GtE":
			lens = len(a) >= len(b)
		}
		syn = boolConst(lens, p)
		for k := m - 1; k >= 0; k-- {
			differ := allOf([]pyast.Expr{cmp(a[k], "NotEq", b[k], p), cmp(a[k], op, b[k], p)}, p)
			same := allOf([]pyast.Expr{cmp(a[k], "Eq", b[k], p), syn}, p)
			or := &pyast.BoolOp{Op: "Or", Values: []pyast.Expr{differ, same}}
			or.P = p
			syn = or
		}
	}
	c.info().Alias[e] = syn
	t := c.expr(syn)
	if t.Kind != Scalar {
		c.errorf(p, diag.Type, "cannot compare %s and %s", l, r)
		return UnknownT
	}
	return t
}

// tupleItems is the items of a tuple expression of n items: a display's
// own, or else constant subscripts of it.
func tupleItems(x pyast.Expr, n int) []pyast.Expr {
	if t, ok := x.(*pyast.Tuple); ok {
		return t.Elts
	}
	out := make([]pyast.Expr, n)
	for k := range out {
		kc := &pyast.Constant{Kind: pyast.ConstInt, Int: big.NewInt(int64(k))}
		kc.P = x.Position()
		s := &pyast.Subscript{Value: x, Index: kc}
		s.P = x.Position()
		out[k] = s
	}
	return out
}

func cmp(x pyast.Expr, op string, y pyast.Expr, p pyast.Pos) pyast.Expr {
	c := &pyast.Compare{Left: x, Ops: []string{op}, Comparators: []pyast.Expr{y}}
	c.P = p
	return c
}

func allOf(xs []pyast.Expr, p pyast.Pos) pyast.Expr {
	if len(xs) == 0 {
		return boolConst(true, p)
	}
	if len(xs) == 1 {
		return xs[0]
	}
	b := &pyast.BoolOp{Op: "And", Values: xs}
	b.P = p
	return b
}

func boolConst(v bool, p pyast.Pos) pyast.Expr {
	k := &pyast.Constant{Kind: pyast.ConstBool, Bool: v}
	k.P = p
	return k
}

// hasCall reports a call anywhere in x.
func hasCall(x pyast.Expr) bool {
	found := false
	pyast.WalkExpr(x, func(e pyast.Expr) bool {
		if _, ok := e.(*pyast.Call); ok {
			found = true
		}
		return !found
	})
	return found
}
