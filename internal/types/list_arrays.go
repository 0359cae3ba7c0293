package types

// Typing of the NumPy functions that make or take lists of arrays
// (lower/list_arrays.go): np.array_split and np.split, which return a list
// of views, and np.concatenate, np.stack, np.hstack and np.vstack of a
// list, whose length is known only at run time. np.array and np.asarray
// of a list of arrays are typed with the other lists (lists.go).

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// SplitAxis is the axis of np.array_split(a, k, axis) or np.split.
func SplitAxis(e *pyast.Call) (int64, bool) { return AxisArg(e, 2, 0) }

// splitCall types np.array_split(a, sections_or_indices, axis=0) and
// np.split: a list of views of a, of a's dtype and rank.
func (c *checker) splitCall(e *pyast.Call, name string) *Type {
	full := "np." + strings.TrimPrefix(name, "numpy.")
	for _, k := range e.Keywords {
		if k.Name != "axis" {
			c.errorf(k.P, diag.Type, "%s() got an unexpected keyword argument '%s'", full, k.Name)
			return UnknownT
		}
	}
	if len(e.Args) < 2 || len(e.Args) > 3 {
		c.errorf(e.P, diag.Type, "%s() takes an array, the sections or indices, and an optional axis", full)
		return UnknownT
	}
	a := c.expr(e.Args[0])
	s := c.expr(e.Args[1])
	if len(e.Args) == 3 {
		c.expr(e.Args[2])
	}
	for _, k := range e.Keywords {
		c.expr(k.Value)
	}
	if a.IsUnknown() || s.IsUnknown() {
		return UnknownT
	}
	if a.Kind != Array || a.NDim == 0 {
		c.errorf(e.Args[0].Position(), diag.Unsupported, "%s() of a %s is not supported", full, a).
			WithHint("pass an array of one or more dimensions")
		return UnknownT
	}
	isInt := func(t *Type) bool { return t.Kind == Scalar && t.DType.Kind() <= KInt && t.DType != Bool }
	switch {
	case isInt(s):
	case s.Kind == List && isInt(s.Elem()), s.Kind == Array && s.NDim == 1 && isInt(ScalarOf(s.DType)):
	case s.Kind == Tuple && !s.IsObject():
		for _, x := range s.Elems {
			if !isInt(x) {
				c.errorf(e.Args[1].Position(), diag.Type, "%s() split indices must be integers, not %s", full, x)
				return UnknownT
			}
		}
	default:
		c.errorf(e.Args[1].Position(), diag.Type, "%s() takes a number of sections or a sequence of indices, not %s", full, s)
		return UnknownT
	}
	axis, ok := SplitAxis(e)
	if !ok {
		c.errorf(e.P, diag.Unsupported, "%s(axis=...) must be an integer constant", full)
		return UnknownT
	}
	if axis < -int64(a.NDim) || axis >= int64(a.NDim) {
		c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", axis, a.NDim)
		return UnknownT
	}
	return ListOf(ArrayOf(a.DType, a.NDim, 'A'))
}

// JoinListRank is the rank of np.concatenate/stack/hstack/vstack of a list
// of arrays of rank nd.
func JoinListRank(name string, nd int) int {
	switch name {
	case "numpy.stack":
		return nd + 1
	case "numpy.vstack":
		if nd == 1 {
			return 2
		}
	}
	return nd
}

// joinList types np.concatenate(l, axis), np.stack(l, axis), np.hstack(l)
// and np.vstack(l) of a list of arrays.
func (c *checker) joinList(e *pyast.Call, name string) *Type {
	full := "np." + strings.TrimPrefix(name, "numpy.")
	lt := c.expr(e.Args[0])
	for _, k := range e.Keywords {
		if k.Name != "axis" || name == "numpy.hstack" || name == "numpy.vstack" {
			c.errorf(k.P, diag.Type, "%s() of a list takes no keyword argument '%s' here", full, k.Name)
			return UnknownT
		}
	}
	if len(e.Args) > 2 || len(e.Args) == 2 && (name == "numpy.hstack" || name == "numpy.vstack") {
		c.errorf(e.P, diag.Type, "%s() takes a list of arrays", full)
		return UnknownT
	}
	el := lt.Elem()
	if el.IsUnknown() {
		return UnknownT
	}
	if el.Kind != Array {
		c.errorf(e.Args[0].Position(), diag.Unsupported, "%s() of a list of %s is not supported", full, el).
			WithHint("pass a list of arrays, or np.array(the list)")
		return UnknownT
	}
	if el.NDim == 0 {
		c.errorf(e.P, diag.Unsupported, "%s() of 0-d arrays is not supported", full)
		return UnknownT
	}
	out := JoinListRank(name, el.NDim)
	axis, ok := AxisArg(e, 1, 0)
	if !ok {
		c.errorf(e.P, diag.Unsupported, "%s(axis=...) must be an integer constant", full)
		return UnknownT
	}
	if axis < -int64(out) || axis >= int64(out) {
		c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", axis, out)
		return UnknownT
	}
	return ArrayOf(el.DType, out, 'C')
}

// joinDisplay types np.stack([a, b]) and the other joins of a display of
// arrays as the same call of the tuple (a, b) (Info.Alias): its length is
// known, so items may differ in dtype (NumPy promotes them) and, for
// vstack, in rank, exactly as the tuple forms allow. ok is false when the
// first argument is no such display.
func (c *checker) joinDisplay(e *pyast.Call) (*Type, bool) {
	l, ok := e.Args[0].(*pyast.List)
	if !ok || len(l.Elts) == 0 {
		return nil, false
	}
	for _, x := range l.Elts {
		if c.expr(x).Kind != Array {
			return nil, false
		}
	}
	tup := &pyast.Tuple{Elts: l.Elts}
	tup.P = l.P
	syn := &pyast.Call{Func: e.Func, Args: append([]pyast.Expr{tup}, e.Args[1:]...), Keywords: e.Keywords}
	syn.P = e.P
	c.info().Alias[e] = syn
	return c.expr(syn), true
}
