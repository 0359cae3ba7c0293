package types

import "sejit/internal/pyast"

// Row selection with a boolean mask (issue 14): x[m], x[m, :] and x[m, ...]
// with m a 1-D boolean array and x of rank 2 or more select whole
// sub-arrays along the first axis, as x[np.flatnonzero(m)] does; reads,
// stores and augmented stores. Lowered by lower/index_array.go ("rows").

// RowMask is the mask of such an index, or nil.
func RowMask(info *Info, e *pyast.Subscript) pyast.Expr {
	vt := info.Types[e.Value]
	if vt == nil || vt.Kind != Array || vt.NDim < 2 {
		return nil
	}
	items := []pyast.Expr{e.Index}
	if tup, ok := e.Index.(*pyast.Tuple); ok {
		items = tup.Elts
	}
	if len(items) == 0 {
		return nil
	}
	m := items[0]
	mt := info.Types[m]
	if mt == nil || mt.Kind != Array || mt.DType != Bool || mt.NDim != 1 {
		return nil
	}
	for i, it := range items[1:] {
		switch x := it.(type) {
		case *pyast.Slice:
			if x.Lower != nil || x.Upper != nil || x.Step != nil {
				return nil
			}
		case *pyast.Constant:
			if x.Kind != pyast.ConstEllipsis || i != len(items)-2 {
				return nil
			}
		default:
			return nil
		}
	}
	if len(items) > vt.NDim {
		return nil
	}
	return m
}
