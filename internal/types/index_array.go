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
	if _, ok := e.Index.(*pyast.Tuple); ok {
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
	if nitems != 1 {
		c.errorf(it.Position(), diag.Unsupported, "an index array combined with other indices is not supported yet").
			WithHint("index with the array alone, or write a loop")
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
				vt.NDim, it_t.NDim)
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
