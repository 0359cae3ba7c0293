package types

import (
	"math/big"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// Indexing with several integer index arrays at once (x[i, j], x[i, :, j],
// x[0, i, j]), with one of more than one axis (x[i2]), or with one that
// integers separate from the others (x[0, :, i]): NumPy's advanced
// indexing in general (one 1-D array among slices takes the simpler path
// of index_array.go): the index arrays, and the
// integers among them, broadcast together to one shape B; the result has
// B's axes where the advanced indices stood when they are next to each
// other, else first, and the axes of the slices in order. Lowered by
// lower/index_multi.go.
//
// A tuple held in a variable used as an index (idx = (i, j); x[idx]) is
// the index written out: the checker records x[idx[0], idx[1]] as the
// subscript's alias (Info.Alias), which lowering follows.

// MultiIndexArrays counts the integer index arrays among a subscript's
// items: two or more make it a multi-array index.
func MultiIndexArrays(info *Info, items []pyast.Expr) int {
	n := 0
	for _, it := range items {
		if t := info.Types[it]; t != nil && t.Kind == Array && t.DType.Kind() == KInt {
			n++
		}
	}
	return n
}

// IsMultiIndex reports a subscript the checker typed with multiIndex.
func IsMultiIndex(info *Info, e *pyast.Subscript) bool { return info.Multi[e] }

// multiIndex types x[items] with two or more integer index arrays.
func (c *checker) multiIndex(e *pyast.Subscript, vt *Type, items []pyast.Expr) *Type {
	for _, it := range items {
		if _, ok := it.(*pyast.Slice); ok {
			continue
		}
		if c.info().Types[it] == nil {
			c.expr(it)
		}
	}
	if vt.IsUnknown() {
		return UnknownT
	}
	if vt.Kind != Array {
		c.errorf(e.P, diag.Type, "a %s cannot be indexed", vt)
		return UnknownT
	}
	if len(items) > vt.NDim {
		c.errorf(e.P, diag.Type, "too many indices for array: array is %d-dimensional, but %d were indexed",
			vt.NDim, len(items))
		return UnknownT
	}
	rank, slices := 0, 0
	for _, it := range items {
		if s, ok := it.(*pyast.Slice); ok {
			for _, x := range []pyast.Expr{s.Lower, s.Upper, s.Step} {
				if x != nil {
					if xt := c.expr(x); !xt.IsUnknown() && !(xt.Kind == Scalar && xt.DType.Kind() <= KInt) {
						c.errorf(x.Position(), diag.Type, "slice indices must be integers, not %s", xt)
					}
				}
			}
			slices++
			continue
		}
		if IsNewaxisItem(c.info(), it) || isEllipsisItem(it) {
			c.errorf(it.Position(), diag.Unsupported, "None and ... are not supported next to several index arrays").
				WithHint("index with the arrays and slices only, then reshape")
			return UnknownT
		}
		t := c.info().Types[it]
		switch {
		case t.IsUnknown():
			return UnknownT
		case t.Kind == Scalar && t.DType.Kind() == KInt:
		case t.Kind == Array && t.DType.Kind() == KInt:
			rank = max(rank, t.NDim)
		case t.Kind == Array && t.DType == Bool:
			c.errorf(it.Position(), diag.Unsupported, "a boolean mask next to integer index arrays is not supported").
				WithHint("turn the mask into indices with np.nonzero(mask)[0]")
			return UnknownT
		default:
			c.errorf(it.Position(), diag.Type, "only integers, slices and integer arrays are valid indices, not %s", t)
			return UnknownT
		}
	}
	if _, ok := e.Index.(*pyast.Tuple); ok {
		c.info().Types[e.Index] = UnknownT
	}
	c.info().Multi[e] = true
	nd := rank + slices + vt.NDim - len(items)
	if nd > 8 {
		c.errorf(e.P, diag.Unsupported, "arrays of more than 8 dimensions are not supported")
		return UnknownT
	}
	return ArrayOf(vt.DType, nd, 'C')
}

// tupleVarIndex types x[idx] where idx is a tuple of integers, slices
// excluded: it is x[idx[0], idx[1], ...].
func (c *checker) tupleVarIndex(e *pyast.Subscript, it *Type) *Type {
	elts := make([]pyast.Expr, len(it.Elems))
	for k := range it.Elems {
		kc := &pyast.Constant{Kind: pyast.ConstInt, Int: big.NewInt(int64(k))}
		kc.P = e.Index.Position()
		item := &pyast.Subscript{Value: e.Index, Index: kc}
		item.P = e.Index.Position()
		elts[k] = item
	}
	tup := &pyast.Tuple{Elts: elts}
	tup.P = e.Index.Position()
	syn := &pyast.Subscript{Value: e.Value, Index: tup}
	syn.P = e.P
	c.info().Alias[e] = syn
	return c.expr(syn)
}

// tupleOfIndices reports a tuple of integers and integer arrays.
func tupleOfIndices(t *Type) bool {
	for _, x := range t.Elems {
		if x.Kind != Scalar && x.Kind != Array || x.DType.Kind() != KInt {
			return false
		}
	}
	return len(t.Elems) > 0
}

// intArrayItems types the items of an index that are expressions and
// counts the integer arrays among them.
func (c *checker) intArrayItems(items []pyast.Expr) int {
	for _, it := range items {
		if _, ok := it.(*pyast.Slice); ok || isEllipsisItem(it) || c.newaxisItem(it) {
			continue
		}
		if c.info().Types[it] == nil {
			c.expr(it)
		}
	}
	return MultiIndexArrays(c.info(), items)
}
