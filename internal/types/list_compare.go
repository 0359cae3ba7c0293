package types

// Comparing lists, as CPython's list_richcompare does: `==` and `!=`
// item by item (lists of different lengths are never equal), `<`, `<=`,
// `>` and `>=` lexicographically (the first pair of items that are not
// equal decides with the operator; when one list is a prefix of the
// other, the lengths do). Items are numbers (ints and floats compared as
// numbers: `[1] == [1.0]`), tuples of numbers (compared as tuples) or
// rows (a list of lists compared row by row). `[1, 2] in grid`,
// `grid.index(row)`, `grid.count(row)` and `grid.remove(row)` compare rows
// with `==`. Lowering is lower/list_compare.go.
//
// CPython compares items by identity before `==`, so a NaN item equals
// itself when it is one object (`x = nan; [x] == [x]`); compiled lists
// hold values, not objects, and a NaN equals nothing here, as NumPy's and
// `float.__eq__`'s NaN does.

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// listCompare types l op r for two lists (one operator: chains are
// refused).
func (c *checker) listCompare(e *pyast.Compare, op string, l, r *Type) *Type {
	if len(e.Ops) != 1 {
		c.errorf(e.P, diag.Unsupported, "chained comparisons of lists are not supported").
			WithHint("compare two lists at a time, joined with and")
		return UnknownT
	}
	if l.IsStrList() || r.IsStrList() {
		c.errorf(e.P, diag.Unsupported, "comparing lists of strings is not supported yet")
		return UnknownT
	}
	if l.Elem().IsUnknown() || r.Elem().IsUnknown() {
		return BoolT // an empty display: the lengths decide
	}
	if why := c.itemsComparable(op, l.Elem(), r.Elem()); why != "" {
		c.errorf(e.P, diag.Type, "%s", why)
		return UnknownT
	}
	return BoolT
}

// itemsComparable says why items of types a and b cannot be compared
// with op here, or "".
func (c *checker) itemsComparable(op string, a, b *Type) string {
	ordered := op != "Eq" && op != "NotEq"
	sym := map[string]string{"Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">="}[op]
	switch {
	case a.Kind == Scalar && b.Kind == Scalar:
		if ordered && (a.DType.IsComplex() || b.DType.IsComplex()) {
			return "'" + sym + "' is not supported between lists of complex numbers"
		}
		return ""
	case a.Kind == Tuple && b.Kind == Tuple:
		if len(a.Elems) != len(b.Elems) {
			return "comparing lists of tuples of different lengths is not supported"
		}
		for i := range a.Elems {
			if why := c.itemsComparable(op, a.Elems[i], b.Elems[i]); why != "" {
				return why
			}
		}
		return ""
	case a.Kind == List && b.Kind == List:
		if a.Elem().IsUnknown() || b.Elem().IsUnknown() {
			return ""
		}
		return c.itemsComparable(op, a.Elem(), b.Elem())
	}
	return "comparing a list of " + itemsName(a) + " with a list of " + itemsName(b) +
		" is not supported (CPython's == is False for them unless both are empty)"
}

// itemsName names items of type t, in the plural, for a message.
func itemsName(t *Type) string {
	switch t.Kind {
	case Scalar:
		return "numbers"
	case Tuple:
		return "tuples"
	case List:
		return "lists"
	case Array:
		return "arrays"
	}
	return t.String() + "s"
}

// listInCompare reports whether `x in l` (or not in) compares x with
// the items of l as lists do: a list of numbers looked for among the rows
// of a list of lists.
func listInCompare(l, r *Type) bool {
	return l.Kind == List && IsListOfLists(r) && !l.IsStrList() &&
		(l.Elem().IsUnknown() || l.Elem().Kind == Scalar)
}
