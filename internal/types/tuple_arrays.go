package types

import "sejit/internal/pyast"

// Tuples (and lists) of numbers where NumPy takes an array. NumPy converts
// a tuple it is given in place of an array as np.asarray would:
// np.bitwise_and(mask, v) with mask = (1, 0, 1), row[0] = 0.0, 1.0,
// np.concatenate(([1], np.diff(v))). The checker types such a
// tuple operand as that array and records it in Info.TupleArrays; lowering
// builds the array where the tuple is evaluated (lower.tupleArray), so the
// variable itself stays a tuple for every other use.

// tupleArray types the tuple t of expression e as the array NumPy makes
// of it, and records the conversion; nil when t is not a non-empty tuple
// of numbers or of equal-length tuples of numbers.
func (c *checker) tupleArray(e pyast.Expr, t *Type) *Type {
	if e != nil && t != nil && t.Kind == List && t.Elem().Kind == Scalar {
		// a list of numbers: the 1-D array np.asarray makes of it
		return c.recordTupleArray(e, ListArray(t))
	}
	if e == nil || t == nil || t.Kind != Tuple || len(t.Elems) == 0 {
		return nil
	}
	elems, ndim := t.Elems, 1
	if elems[0].Kind == Tuple {
		ndim = 2
		n := len(elems[0].Elems)
		var flat []*Type
		for _, r := range elems {
			if r.Kind != Tuple || len(r.Elems) != n || n == 0 {
				return nil
			}
			flat = append(flat, r.Elems...)
		}
		elems = flat
	}
	for _, x := range elems {
		if x.Kind != Scalar {
			return nil
		}
	}
	return c.recordTupleArray(e, ArrayOf(asarrayDType(elems), ndim, 'C'))
}

func (c *checker) recordTupleArray(e pyast.Expr, at *Type) *Type {
	if c.info().TupleArrays == nil {
		c.info().TupleArrays = map[pyast.Expr]*Type{}
	}
	c.info().TupleArrays[e] = at
	return at
}

// joinedArrays types the items of np.concatenate's (or stack's) tuple
// display that are tuples or lists of numbers as the arrays NumPy makes of
// them: np.concatenate(([1], np.diff(v))).
func (c *checker) joinedArrays(arg pyast.Expr, t *Type) *Type {
	tup, ok := arg.(*pyast.Tuple)
	if !ok || t.Kind != Tuple || len(tup.Elts) != len(t.Elems) {
		return t
	}
	elems := append([]*Type(nil), t.Elems...)
	changed := false
	for i, x := range elems {
		if x.Kind == Array {
			continue
		}
		if at := c.tupleArray(tup.Elts[i], x); at != nil {
			elems[i], changed = at, true
		}
	}
	if !changed {
		return t
	}
	return TupleOf(elems...)
}

// tupleArrayArgs types the tuple (and list) arguments of a ufunc as arrays.
func (c *checker) tupleArrayArgs(e *pyast.Call, args []*Type) {
	for i, a := range args {
		if (a.Kind == Tuple || a.Kind == List) && i < len(e.Args) {
			if _, starred := e.Args[i].(*pyast.Starred); starred {
				continue
			}
			if at := c.tupleArray(e.Args[i], a); at != nil {
				args[i] = at
			}
		}
	}
}
