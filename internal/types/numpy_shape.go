package types

// NumPy's shape and selection functions (issue 14): reshape, ravel and
// transpose as functions; flip, fliplr, flipud and rot90 (views); roll,
// tile and repeat (copies); count_nonzero; nonzero, flatnonzero, argwhere
// and where(cond), whose result sizes depend on the data. Lowered by
// lower/numpy_shape.go.

import (
	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// shapeFuncs are the names numpyShape types.
var shapeFuncs = map[string]bool{
	"reshape": true, "ravel": true, "transpose": true, "flip": true, "fliplr": true, "flipud": true,
	"rot90": true, "roll": true, "tile": true, "repeat": true, "count_nonzero": true, "nonzero": true,
	"flatnonzero": true, "argwhere": true, "triu": true, "tril": true, "diag": true, "diagonal": true,
	"meshgrid": true, "indices": true, "unravel_index": true, "ravel_multi_index": true,
}

// IsShapeFunc reports a name numpyShape types (and lower/numpy_shape.go
// lowers).
func IsShapeFunc(name string) bool { return shapeFuncs[name] }

// argExpr is positional argument i, else keyword key, else nil.
func argExpr(e *pyast.Call, i int, key string) pyast.Expr {
	for _, k := range e.Keywords {
		if k.Name == key {
			return k.Value
		}
	}
	if i < len(e.Args) {
		return e.Args[i]
	}
	return nil
}

// ConstAxisOf reads an optional constant integer axis (positional i or
// axis=): has is false when it is absent or None; ok is false when it is
// present but not an integer constant.
func ConstAxisOf(e *pyast.Call, i int) (axis int64, has, ok bool) {
	x := argExpr(e, i, "axis")
	if x == nil {
		return 0, false, true
	}
	if k, isC := x.(*pyast.Constant); isC && k.Kind == pyast.ConstNone {
		return 0, false, true
	}
	a, ok := constIndex(x)
	return a, true, ok
}

// FuncTransposeAxes is the permutation of np.transpose(a[, axes]).
func FuncTransposeAxes(e *pyast.Call, ndim int) []int {
	perm := make([]int, ndim)
	for i := range perm {
		perm[i] = ndim - 1 - i
	}
	x := argExpr(e, 1, "axes")
	t, ok := x.(*pyast.Tuple)
	if !ok {
		return perm
	}
	for i, a := range t.Elts {
		k, _ := constIndex(a)
		if k < 0 {
			k += int64(ndim)
		}
		perm[i] = int(k)
	}
	return perm
}

// Rot90K is k of np.rot90(m, k) modulo 4 (1 when absent).
func Rot90K(e *pyast.Call) int {
	x := argExpr(e, 1, "k")
	if x == nil {
		return 1
	}
	k, _ := constIndex(x)
	return int(((k % 4) + 4) % 4)
}

// numpyShape types the functions of shapeFuncs.
func (c *checker) numpyShape(e *pyast.Call, full string, ent *library.Entry, args []*Type, kw map[string]*Type) *Type {
	name := ent.Short()
	pos := func(i int) pyast.Pos {
		if i < len(e.Args) {
			return e.Args[i].Position()
		}
		return e.P
	}
	bad := func(p pyast.Pos, format string, a ...any) *Type {
		c.errorf(p, diag.Unsupported, format, a...)
		return UnknownT
	}
	if !c.noKeywords(e, full, kw, ent.Keywords...) {
		return UnknownT
	}
	if len(args) < ent.MinArgs || len(args) > ent.MaxArgs {
		c.errorf(e.P, diag.Type, "%s() takes %d to %d positional arguments (%d given)", full, ent.MinArgs, ent.MaxArgs, len(args))
		return UnknownT
	}
	a := args[0]
	switch name {
	case "indices", "unravel_index", "ravel_multi_index":
		return c.indexFuncs(e, full, name, args, kw)
	}
	if a.Kind != Array || a.NDim == 0 {
		return bad(pos(0), "%s() of a %s is not supported (hint: pass an array of rank 1 or more)", full, a)
	}
	nd := a.NDim
	// axis reads a constant axis argument, normalized against rank n.
	axis := func(i, n int) (int, bool, bool) {
		k, has, ok := ConstAxisOf(e, i)
		if !ok {
			x := argExpr(e, i, "axis")
			if _, tup := x.(*pyast.Tuple); tup {
				bad(x.Position(), "%s() with a tuple axis is not supported (hint: call it once per axis)", full)
			} else {
				bad(x.Position(), "%s(axis=...) must be an integer constant", full)
			}
			return 0, false, false
		}
		if !has {
			return 0, false, true
		}
		if k < -int64(n) || k >= int64(n) {
			c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", k, n)
			return 0, false, false
		}
		if k < 0 {
			k += int64(n)
		}
		return int(k), true, true
	}
	intArg := func(i int, key string, what string) bool {
		t := kw[key]
		if i < len(args) {
			t = args[i]
		}
		if t == nil || isIntScalar(t) && t.DType != Bool {
			return true
		}
		if t.Kind == Tuple || t.Kind == Array {
			bad(pos(i), "%s() with a sequence of %s is not supported (hint: pass one integer)", full, what)
		} else {
			c.errorf(pos(i), diag.Type, "%s() %s must be an integer, not %s", full, what, t)
		}
		return false
	}
	switch name {
	case "reshape":
		if len(args) != 2 {
			c.errorf(e.P, diag.Type, "np.reshape() takes an array and a shape")
			return UnknownT
		}
		n, ok := c.shapeArg(e.Args[1], args[1])
		if !ok {
			return UnknownT
		}
		return ArrayOf(a.DType, n, 'A')
	case "ravel":
		return ArrayOf(a.DType, 1, 'C')
	case "transpose":
		x := argExpr(e, 1, "axes")
		if x != nil {
			t, ok := x.(*pyast.Tuple)
			if !ok {
				return bad(x.Position(), "np.transpose() axes must be a tuple of integer constants")
			}
			if len(t.Elts) != nd {
				c.errorf(e.P, diag.Value, "axes don't match array")
				return UnknownT
			}
			seen := map[int64]bool{}
			for _, el := range t.Elts {
				k, ok := constIndex(el)
				if !ok {
					return bad(el.Position(), "np.transpose() axes must be integer constants")
				}
				if k < 0 {
					k += int64(nd)
				}
				if k < 0 || k >= int64(nd) || seen[k] {
					c.errorf(el.Position(), diag.Value, "axes don't match array")
					return UnknownT
				}
				seen[k] = true
			}
		}
		if nd <= 1 {
			return a
		}
		return ArrayOf(a.DType, nd, 'A')
	case "flip":
		if _, _, ok := axis(1, nd); !ok {
			return UnknownT
		}
		return ArrayOf(a.DType, nd, 'A')
	case "fliplr", "flipud":
		if name == "fliplr" && nd < 2 {
			c.errorf(e.P, diag.Value, "Input must be >= 2-d.")
			return UnknownT
		}
		return ArrayOf(a.DType, nd, 'A')
	case "rot90":
		if nd != 2 {
			return bad(e.P, "np.rot90() is supported for 2-D arrays")
		}
		if x := argExpr(e, 1, "k"); x != nil {
			if _, ok := constIndex(x); !ok {
				return bad(x.Position(), "np.rot90(k=...) must be an integer constant")
			}
		}
		return ArrayOf(a.DType, nd, 'A')
	case "roll":
		if len(args) < 2 && kw["shift"] == nil {
			c.errorf(e.P, diag.Type, "np.roll() missing required argument 'shift'")
			return UnknownT
		}
		if !intArg(1, "shift", "shift") {
			return UnknownT
		}
		if _, _, ok := axis(2, nd); !ok {
			return UnknownT
		}
		return ArrayOf(a.DType, nd, 'C')
	case "tile":
		r := args[1]
		n := 1
		switch {
		case r.Kind == Tuple:
			for _, el := range r.Elems {
				if !isIntScalar(el) || el.DType == Bool {
					c.errorf(pos(1), diag.Type, "np.tile() reps must be integers, not %s", el)
					return UnknownT
				}
			}
			n = len(r.Elems)
		case !intArg(1, "reps", "reps"):
			return UnknownT
		}
		if n > nd {
			nd = n
		}
		if nd > 8 {
			return bad(e.P, "arrays of more than 8 dimensions are not supported")
		}
		return ArrayOf(a.DType, nd, 'C')
	case "repeat":
		// An array of counts (one per element along the axis, or one for
		// all) must cast safely to intp, as NumPy requires: integers and
		// bools other than uint64.
		r := kw["repeats"]
		if len(args) > 1 {
			r = args[1]
		}
		if r != nil && r.Kind == Array {
			if r.NDim != 1 {
				return bad(pos(1), "%s() with a %d-D array of repeats is not supported (hint: pass a 1-D array)", full, r.NDim)
			}
			if r.DType.Kind() > KInt || r.DType == Uint64 {
				c.errorf(pos(1), diag.Type, "Cannot cast array data from dtype('%s') to dtype('int64') according to the rule 'safe'", r.DType)
				return UnknownT
			}
		} else if !intArg(1, "repeats", "repeats") {
			return UnknownT
		}
		_, has, ok := axis(2, nd)
		if !ok {
			return UnknownT
		}
		if !has {
			return ArrayOf(a.DType, 1, 'C')
		}
		return ArrayOf(a.DType, nd, 'C')
	case "count_nonzero":
		if kw["keepdims"] != nil {
			return bad(e.P, "np.count_nonzero(keepdims=...) is not supported")
		}
		_, has, ok := axis(1, nd)
		if !ok {
			return UnknownT
		}
		if !has {
			return ScalarOf(Int64) // NumPy 2 returns an np.int64 (np.intp)
		}
		if nd == 1 {
			return ScalarOf(Int64)
		}
		return ArrayOf(Int64, nd-1, 'C')
	case "triu", "tril":
		if nd != 2 {
			return bad(pos(0), "%s() is supported for 2-D arrays", full)
		}
		if !intArg(1, "k", "k") {
			return UnknownT
		}
		return ArrayOf(a.DType, 2, 'C')
	case "diag", "diagonal":
		key := "k"
		if name == "diagonal" {
			key = "offset"
		}
		if !intArg(1, key, key) {
			return UnknownT
		}
		if nd == 1 && name == "diag" {
			return ArrayOf(a.DType, 2, 'C')
		}
		if nd != 2 {
			return bad(pos(0), "%s() is supported for 1-D and 2-D arrays (diagonal: 2-D)", full)
		}
		return ArrayOf(a.DType, 1, 'A')
	case "meshgrid":
		if len(args) != 2 {
			return bad(e.P, "np.meshgrid() is supported for two 1-D arrays")
		}
		b := args[1]
		if a.NDim != 1 || b.Kind != Array || b.NDim != 1 {
			return bad(e.P, "np.meshgrid() is supported for two 1-D arrays")
		}
		if _, ok := c.strKw(e, full, "indexing", kw, "xy", "ij"); !ok {
			return UnknownT
		}
		return TupleOf(ArrayOf(a.DType, 2, 'C'), ArrayOf(b.DType, 2, 'C'))
	case "nonzero", "where":
		el := make([]*Type, nd)
		for i := range el {
			el[i] = ArrayOf(Int64, 1, 'C')
		}
		return TupleOf(el...)
	case "flatnonzero":
		return ArrayOf(Int64, 1, 'C')
	case "argwhere":
		return ArrayOf(Int64, 2, 'C')
	}
	return bad(e.P, "%s is not supported yet", full)
}

// CreationArgs moves the shape= keyword of np.empty, zeros, ones and full
// to the first position and drops a positional dtype (np.zeros(n,
// np.float32)), which the checker has moved to dtype=; the lowering reads
// the dtype from the call's type.
func CreationArgs[T any](name string, args []T, kw map[string]T) []T {
	if s, ok := kw["shape"]; ok {
		args = append([]T{s}, args...)
	}
	if n := creationPositional(name); n > 0 && len(args) > n {
		args = args[:n]
	}
	return args
}

// creationPositional is how many positional arguments before the dtype a
// creation function takes (0 for arange, which keeps its own).
func creationPositional(name string) int {
	switch name {
	case "empty", "zeros", "ones", "empty_like", "zeros_like", "ones_like":
		return 1
	case "full", "full_like":
		return 2
	}
	return 0
}

// creationArgs normalizes a creation call for typing: shape= becomes the
// first positional argument and a positional dtype becomes dtype=.
func (c *checker) creationArgs(e *pyast.Call, name string, args []*Type, kw map[string]*Type) ([]*Type, map[string]*Type, bool) {
	n := creationPositional(name)
	if n == 0 {
		return args, kw, true
	}
	full := "np." + name
	like := name[len(name)-1] == 'e' && len(name) > 5 && name[len(name)-5:] == "_like"
	if s, ok := kw["shape"]; ok {
		if like {
			c.errorf(e.P, diag.Unsupported, "%s(shape=...) is not supported", full)
			return nil, nil, false
		}
		if len(args) > 0 {
			c.errorf(e.P, diag.Type, "%s() got multiple values for argument 'shape'", full)
			return nil, nil, false
		}
		kw = copyKw(kw)
		delete(kw, "shape")
		args = append([]*Type{s}, args...)
	}
	if len(args) == n+1 {
		if _, isD := dtypeArg(args[n]); isD {
			if kw["dtype"] != nil {
				c.errorf(e.P, diag.Type, "%s() got multiple values for argument 'dtype'", full)
				return nil, nil, false
			}
			kw = copyKw(kw)
			kw["dtype"] = args[n]
			args = args[:n]
		}
	}
	return args, kw, true
}

// intTuple reports t, an int or a tuple of ints, and its length.
func intTuple(t *Type) (int, bool) {
	if isIntScalar(t) && t.DType != Bool {
		return 1, true
	}
	if t.Kind != Tuple {
		return 0, false
	}
	for _, x := range t.Elems {
		if !isIntScalar(x) || x.DType == Bool {
			return 0, false
		}
	}
	return len(t.Elems), true
}

// indexFuncs types np.indices(dims), np.unravel_index(i, shape) and
// np.ravel_multi_index(coords, dims) of integers.
func (c *checker) indexFuncs(e *pyast.Call, full, name string, args []*Type, kw map[string]*Type) *Type {
	bad := func(format string, a ...any) *Type {
		c.errorf(e.P, diag.Unsupported, format, a...)
		return UnknownT
	}
	switch name {
	case "indices":
		n, ok := intTuple(args[0])
		if !ok || args[0].Kind != Tuple {
			return bad("np.indices() takes a tuple of integers")
		}
		d, has, ok := c.dtypeKw(e, kw)
		if !ok {
			return UnknownT
		}
		if !has {
			d = Int64
		}
		return ArrayOf(d, n+1, 'C')
	case "unravel_index":
		n, ok := intTuple(args[1])
		a := args[0]
		isArr := a.Kind == Array && a.DType.IsInt()
		if !(isIntScalar(a) && a.DType != Bool || isArr) || !ok {
			return bad("np.unravel_index() is supported for integer indices (a number or an array) and a shape of integers")
		}
		el := make([]*Type, n)
		for i := range el {
			el[i] = ScalarOf(Int64)
			if isArr {
				el[i] = ArrayOf(Int64, a.NDim, 'C')
			}
		}
		return TupleOf(el...)
	}
	m, ok2 := intTuple(args[1])
	if c0 := args[0]; c0.Kind == Tuple && ok2 && len(c0.Elems) > 0 && c0.Elems[0].Kind == Array {
		// Arrays of coordinates, broadcast together.
		nd := 0
		for _, x := range c0.Elems {
			if x.Kind != Array && !isIntScalar(x) || !x.DType.IsInt() && x.DType != Bool || x.DType == Bool {
				return bad("np.ravel_multi_index() coordinates must be integer arrays")
			}
			if x.Kind == Array && x.NDim > nd {
				nd = x.NDim
			}
		}
		if len(c0.Elems) != m {
			c.errorf(e.P, diag.Value, "parameter multi_index must be a sequence of length %d", m)
			return UnknownT
		}
		return ArrayOf(Int64, nd, 'C')
	}
	n, ok := intTuple(args[0])
	if !ok || !ok2 || args[0].Kind != Tuple {
		return bad("np.ravel_multi_index() is supported for a tuple of integer coordinates and a shape of integers")
	}
	if n != m {
		c.errorf(e.P, diag.Value, "parameter multi_index must be a sequence of length %d", m)
		return UnknownT
	}
	return ScalarOf(Int64)
}
