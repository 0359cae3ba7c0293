package types

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// Indexing with an array: a boolean mask of the array's rank (x[x > 0], a
// new 1-D array of the selected elements) or a 1-D integer array selecting
// along the first axis (x[idx]); reads, stores and augmented stores.
// Lowered by lower/index_array.go.

// IndexArrayKind says how an index array indexes: "mask", "take" or "".
func IndexArrayKind(info *Info, e *pyast.Subscript) string {
	if RowMask(info, e) != nil {
		return "rows"
	}
	if _, ok := e.Index.(*pyast.Tuple); ok {
		if TupleIndexArray(info, e) != nil {
			return "take"
		}
		return ""
	}
	t := info.Types[e.Index]
	if t == nil || t.Kind != Array {
		return ""
	}
	if t.DType == Bool {
		return "mask"
	}
	return "take"
}

func (c *checker) arrayIndex(e *pyast.Subscript, it pyast.Expr, it_t *Type, nitems int) *Type {
	vt := c.info().Types[e.Value]
	if vt == nil || vt.IsUnknown() {
		return UnknownT
	}
	if RowMask(c.info(), e) == it {
		return ArrayOf(vt.DType, vt.NDim, 'C')
	}
	if nitems != 1 {
		c.errorf(it.Position(), diag.Unsupported, "this combination of an index array with other indices is not supported").
			WithHint("one 1-D integer array among slices, with integer indices only next to it, is supported")
		return UnknownT
	}
	if vt.Kind != Array {
		c.errorf(e.P, diag.Type, "a %s cannot be indexed", vt)
		return UnknownT
	}
	switch {
	case it_t.DType == Bool:
		if it_t.NDim != vt.NDim {
			c.errorf(it.Position(), diag.Unsupported, "a boolean mask must have the rank of the array it indexes (%d, not %d)",
				vt.NDim, it_t.NDim).WithHint("a 1-D mask selecting rows is supported alone or followed by full slices: x[m], x[m, :]")
			return UnknownT
		}
		return ArrayOf(vt.DType, 1, 'C')
	case it_t.DType.Kind() == KInt:
		if it_t.NDim != 1 {
			c.errorf(it.Position(), diag.Unsupported, "integer index arrays must be 1-D")
			return UnknownT
		}
		if vt.NDim == 0 {
			c.errorf(e.P, diag.Type, "too many indices for array: array is 0-dimensional, but 1 were indexed")
			return UnknownT
		}
		return ArrayOf(vt.DType, vt.NDim, 'C')
	}
	c.errorf(it.Position(), diag.Type, "arrays used as indices must be of integer (or boolean) type, not %s", it_t.DType)
	return UnknownT
}

// tupleIndexArray reports that it, a 1-D integer array, is the only index
// array among items and that the integer items next to it form one run with
// it (x[:, idx], x[idx, 1:], x[2, idx]); NumPy moves the axis of an index
// array separated from integer indices to the front, which is not supported.
func (c *checker) tupleIndexArray(items []pyast.Expr, it pyast.Expr, it_t *Type) bool {
	if it_t.NDim != 1 || it_t.DType.Kind() != KInt {
		return false
	}
	at := -1
	for i, x := range items {
		if x == it {
			at = i
		} else if t := c.info().Types[x]; t != nil && t.Kind == Array {
			return false
		}
	}
	isInt := func(x pyast.Expr) bool {
		if _, ok := x.(*pyast.Slice); ok {
			return false
		}
		t := c.info().Types[x]
		return t != nil && t.Kind == Scalar && t.DType.Kind() == KInt
	}
	lo, hi := at, at
	for lo > 0 && isInt(items[lo-1]) {
		lo--
	}
	for hi+1 < len(items) && isInt(items[hi+1]) {
		hi++
	}
	for i, x := range items {
		if (i < lo || i > hi) && isInt(x) {
			return false
		}
	}
	return true
}

// TupleIndexArray finds the single index array of a tuple index, as the
// checker accepted it, or nil.
func TupleIndexArray(info *Info, e *pyast.Subscript) pyast.Expr {
	tup, ok := e.Index.(*pyast.Tuple)
	if !ok {
		return nil
	}
	for _, x := range tup.Elts {
		if t := info.Types[x]; t != nil && t.Kind == Array && t.DType.Kind() == KInt {
			return x
		}
	}
	return nil
}
