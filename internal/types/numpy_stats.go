package types

// NumPy's statistics, comparison and polynomial functions: isclose,
// allclose, array_equal, cov, corrcoef, percentile, quantile, convolve,
// correlate, polyval, polyfit and kron. Lowered by lower/numpy_stats.go.

import (
	"math"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// statsFuncs are the names numpyStats types.
var statsFuncs = map[string]bool{
	"isclose": true, "allclose": true, "array_equal": true, "cov": true, "corrcoef": true,
	"percentile": true, "quantile": true, "convolve": true, "correlate": true, "polyval": true,
	"polyfit": true, "kron": true, "take": true, "put": true, "copyto": true, "mgrid": true, "ogrid": true,
	"fill_diagonal": true, "delete": true,
}

// IsStatsFunc reports a name numpyStats types (and lower/numpy_stats.go
// lowers).
func IsStatsFunc(name string) bool { return statsFuncs[name] }

// CorrelateMode is the mode of np.convolve and np.correlate (0 full, 1
// same, 2 valid), read from the call's constant string; ok is false for
// another value.
func CorrelateMode(e *pyast.Call, name string) (int64, bool) {
	x := argExpr(e, 2, "mode")
	if x == nil {
		if name == "convolve" {
			return 0, true
		}
		return 2, true
	}
	k, isC := x.(*pyast.Constant)
	if !isC || k.Kind != pyast.ConstStr {
		return 0, false
	}
	switch k.Str {
	case "full":
		return 0, true
	case "same":
		return 1, true
	case "valid":
		return 2, true
	}
	return 0, false
}

// modeArg reports the positional mode string of np.convolve and
// np.correlate, an option typed like a keyword's string (kwValue).
func modeArg(e *pyast.Call, i int) bool {
	a, ok := e.Func.(*pyast.Attribute)
	if !ok || i != 2 || (a.Attr != "convolve" && a.Attr != "correlate") {
		return false
	}
	k, isC := e.Args[i].(*pyast.Constant)
	return isC && k.Kind == pyast.ConstStr
}

// StatsArg is positional argument i of a call, else keyword key, else nil
// (the lowering's view of the same binding numpyStats checked).
func StatsArg(e *pyast.Call, i int, key string) pyast.Expr { return argExpr(e, i, key) }

// isNone reports a None constant.
func isNone(x pyast.Expr) bool {
	k, ok := x.(*pyast.Constant)
	return ok && k.Kind == pyast.ConstNone
}

// numpyStats types the functions of statsFuncs.
func (c *checker) numpyStats(e *pyast.Call, full string, ent *library.Entry, args []*Type, kw map[string]*Type) *Type {
	name := ent.Short()
	if !c.noKeywords(e, full, kw, ent.Keywords...) {
		return UnknownT
	}
	if len(args) < ent.MinArgs || len(args) > ent.MaxArgs {
		c.errorf(e.P, diag.Type, "%s() takes %d to %d positional arguments (%d given)", full, ent.MinArgs, ent.MaxArgs, len(args))
		return UnknownT
	}
	// A list of numbers is the 1-D array NumPy makes of it
	// (np.percentile(a, [25, 75]), np.polyval([1, 2, 3], x)).
	args = append([]*Type{}, args...)
	for i, a := range args {
		args[i] = ListArray(a)
	}
	kw = copyKw(kw)
	for k, a := range kw {
		kw[k] = ListArray(a)
	}
	// get is argument i by position or keyword (nil when absent or None).
	get := func(i int, key string) *Type {
		if x := argExpr(e, i, key); x == nil || isNone(x) {
			return nil
		}
		if i < len(args) {
			return args[i]
		}
		return kw[key]
	}
	bad := func(format string, a ...any) *Type {
		c.errorf(e.P, diag.Unsupported, format, a...)
		return UnknownT
	}
	numeric := func(ts ...*Type) bool {
		for _, t := range ts {
			if t == nil {
				continue
			}
			if !t.IsNumeric() {
				c.errorf(e.P, diag.Type, "%s() needs numbers or arrays, not %s", full, t)
				return false
			}
			if t.DType.IsComplex() {
				bad("%s() of complex numbers is not supported", full)
				return false
			}
		}
		return true
	}
	scalarArg := func(i int, key string) bool {
		t := get(i, key)
		if t != nil && (t.Kind != Scalar || t.DType.IsComplex()) {
			c.errorf(e.P, diag.Type, "%s() %s must be a real number, not %s", full, key, t)
			return false
		}
		return true
	}
	a := args[0]
	switch name {
	case "isclose", "allclose":
		b := get(1, "b")
		if !numeric(a, b) || !scalarArg(2, "rtol") || !scalarArg(3, "atol") || !scalarArg(4, "equal_nan") {
			return UnknownT
		}
		if name == "allclose" {
			return BoolT
		}
		return ResultOf(Bool, a, b).withWeak(false)
	case "array_equal":
		b := get(1, "a2")
		if !numeric(a, b) || !scalarArg(2, "equal_nan") {
			return UnknownT
		}
		return BoolT
	case "cov", "corrcoef":
		y := get(1, "y")
		if !numeric(a, y) {
			return UnknownT
		}
		for _, t := range []*Type{a, y} {
			if t != nil && (t.Kind != Array || t.NDim < 1 || t.NDim > 2) {
				if t.Kind == Array && t.NDim > 2 {
					c.errorf(e.P, diag.Value, "m has more than 2 dimensions")
					return UnknownT
				}
				return bad("%s() is supported for 1-D and 2-D arrays, not %s", full, t)
			}
		}
		if !scalarArg(2, "rowvar") || !scalarArg(3, "bias") {
			return UnknownT
		}
		if d := get(4, "ddof"); d != nil && !(isIntScalar(d) && d.DType != Bool) {
			c.errorf(e.P, diag.Value, "ddof must be integer")
			return UnknownT
		}
		if a.NDim == 1 && y == nil {
			if name == "corrcoef" {
				return ScalarOf(Float64) // NumPy's c / c of a 0-d c
			}
			return ArrayOf(Float64, 0, 'C')
		}
		return ArrayOf(Float64, 2, 'C')
	case "percentile", "quantile":
		q := get(1, "q")
		if q == nil {
			c.errorf(e.P, diag.Type, "%s() missing required argument 'q'", full)
			return UnknownT
		}
		if !numeric(a, q) {
			return UnknownT
		}
		if q.Kind == Array && q.NDim > 1 {
			return bad("%s() with q of rank %d is not supported (hint: pass a number or a 1-D array)", full, q.NDim)
		}
		if kw["method"] != nil || kw["interpolation"] != nil {
			if m, ok := c.strKw(e, full, "method", kw, "linear"); !ok || m != "linear" {
				return UnknownT
			}
		}
		if a.Kind != Array {
			return bad("%s() of a %s is not supported (hint: pass an array)", full, a)
		}
		nd := a.NDim
		ax, has, ok := ConstAxisOf(e, 2)
		if !ok {
			return bad("%s(axis=...) must be an integer constant or None", full)
		}
		rank := 0
		if has {
			if ax < -int64(nd) || ax >= int64(nd) {
				c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", ax, nd)
				return UnknownT
			}
			rank = nd - 1
		}
		if keep := argExpr(e, 4, "keepdims"); keep != nil {
			return bad("%s(keepdims=...) is not supported", full)
		}
		// NumPy interpolates in the data's dtype with q's weights:
		// integers with a float32 q give float32, with a Python float
		// float64; an integer q is divided into a float64.
		d := PromoteAll(ArrayOf(a.DType, 1, 'C'), q)
		if d.Kind() <= KInt {
			d = Float64
		}
		if q.Kind == Array {
			rank++
		}
		if rank == 0 {
			return ScalarOf(d)
		}
		return ArrayOf(d, rank, 'C')
	case "convolve", "correlate":
		b := args[1]
		if !numeric(a, b) {
			return UnknownT
		}
		if a.Kind != Array || b.Kind != Array || a.NDim != 1 || b.NDim != 1 {
			c.errorf(e.P, diag.Value, "object too deep for desired array")
			return UnknownT
		}
		if _, ok := CorrelateMode(e, name); !ok {
			c.errorf(e.P, diag.Value, "mode must be one of 'valid', 'same', or 'full'")
			return UnknownT
		}
		d := Promote(a.DType, b.DType)
		if d == Bool {
			return bad("%s() of booleans is not supported", full)
		}
		return ArrayOf(d, 1, 'C')
	case "polyval":
		x := args[1]
		if !numeric(a, x) {
			return UnknownT
		}
		if a.Kind != Array || a.NDim != 1 {
			return bad("np.polyval() coefficients must be a 1-D array")
		}
		xd := x.DType
		if x.Kind == Scalar && x.Weak {
			xd = defaultOf(x.DType.Kind())
		}
		d := Promote(a.DType, xd)
		if d == Bool {
			return bad("np.polyval() of booleans is not supported")
		}
		if x.Kind == Scalar {
			return ScalarOf(d)
		}
		return ArrayOf(d, x.NDim, 'C')
	case "polyfit":
		y, deg := args[1], args[2]
		if !numeric(a, y) {
			return UnknownT
		}
		if !(isIntScalar(deg) && deg.DType != Bool) {
			return bad("np.polyfit() deg must be an integer")
		}
		if a.Kind != Array || a.NDim != 1 {
			c.errorf(e.P, diag.Type, "expected 1D vector for x")
			return UnknownT
		}
		if y.Kind != Array || y.NDim < 1 || y.NDim > 2 {
			c.errorf(e.P, diag.Type, "expected 1D or 2D array for y")
			return UnknownT
		}
		return ArrayOf(Float64, y.NDim, 'C')
	case "kron":
		b := args[1]
		if !numeric(a, b) {
			return UnknownT
		}
		if a.Kind != Array || b.Kind != Array || a.NDim != b.NDim || a.NDim < 1 || a.NDim > 2 {
			return bad("np.kron() is supported for two arrays of the same rank, 1 or 2")
		}
		d := Promote(a.DType, b.DType)
		if d == Bool {
			return bad("np.kron() of booleans is not supported")
		}
		return ArrayOf(d, a.NDim, 'C')
	case "take":
		ind := get(1, "indices")
		if !numeric(a, ind) {
			return UnknownT
		}
		if ind == nil || ind.DType.Kind() != KInt {
			c.errorf(e.P, diag.Type, "np.take() indices must be integers, not %s", ind)
			return UnknownT
		}
		if kw["mode"] != nil || kw["out"] != nil {
			return bad("np.take() with mode= or out= is not supported")
		}
		if a.Kind != Array {
			return bad("np.take() of a %s is not supported (hint: pass an array)", a)
		}
		ni := 0
		if ind.Kind == Array {
			ni = ind.NDim
		}
		ax, has, ok := ConstAxisOf(e, 2)
		if !ok {
			return bad("np.take(axis=...) must be an integer constant or None")
		}
		rank := ni
		if has {
			if ax < -int64(a.NDim) || ax >= int64(a.NDim) {
				c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", ax, a.NDim)
				return UnknownT
			}
			rank = a.NDim - 1 + ni
		}
		if rank == 0 {
			return ScalarOf(a.DType)
		}
		if rank > 8 {
			return bad("arrays of more than 8 dimensions are not supported")
		}
		return ArrayOf(a.DType, rank, 'C')
	case "put":
		ind, v := get(1, "ind"), get(2, "v")
		if !numeric(a, ind, v) {
			return UnknownT
		}
		if ind == nil || v == nil {
			c.errorf(e.P, diag.Type, "np.put() takes an array, indices and values")
			return UnknownT
		}
		if a.Kind != Array {
			c.errorf(e.P, diag.Type, "argument 'a' must be an array")
			return UnknownT
		}
		if ind.DType.Kind() != KInt {
			c.errorf(e.P, diag.Type, "np.put() indices must be integers, not %s", ind)
			return UnknownT
		}
		if kw["mode"] != nil {
			return bad("np.put(mode=...) is not supported")
		}
		return NoneT
	case "delete":
		obj := get(1, "obj")
		if !numeric(a, obj) {
			return UnknownT
		}
		if a.Kind != Array {
			return bad("np.delete() of a %s is not supported (hint: pass an array)", a)
		}
		if obj == nil {
			c.errorf(e.P, diag.Type, "np.delete() takes an array and the indices to delete")
			return UnknownT
		}
		if obj.Kind == Array && obj.DType == Bool && obj.NDim != 1 {
			c.errorf(e.Args[1].Position(), diag.Value, "boolean array argument obj to delete must be one dimensional "+
				"and match the axis length")
			return UnknownT
		}
		if obj.DType != Bool && obj.DType.Kind() != KInt {
			c.errorf(e.Args[1].Position(), diag.Type, "arrays used as indices must be of integer (or boolean) type")
			return UnknownT
		}
		ax, has, ok := ConstAxisOf(e, 2)
		if !ok {
			return bad("np.delete(axis=...) must be an integer constant or None")
		}
		if !has {
			return ArrayOf(a.DType, 1, 'C')
		}
		if ax < -int64(a.NDim) || ax >= int64(a.NDim) {
			c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", ax, a.NDim)
			return UnknownT
		}
		return ArrayOf(a.DType, a.NDim, 'C')
	case "fill_diagonal":
		v := get(1, "val")
		if !numeric(a, v) {
			return UnknownT
		}
		if a.Kind != Array || a.NDim < 2 {
			c.errorf(e.P, diag.Value, "array must be at least 2-d")
			return UnknownT
		}
		if _, ok := FillDiagonalWrap(e); !ok {
			return bad("np.fill_diagonal(wrap=...) must be the constant True or False")
		}
		return NoneT
	case "mgrid", "ogrid":
		c.errorf(e.P, diag.Type, "'%s' object is not callable (hint: index it: np.%s[0:3, 0:4])", name, name)
		return UnknownT
	case "copyto":
		src := args[1]
		if !a.IsNumeric() || !src.IsNumeric() {
			c.errorf(e.P, diag.Type, "np.copyto() needs arrays or numbers")
			return UnknownT
		}
		if a.Kind != Array {
			c.errorf(e.P, diag.Type, "copyto() argument 1 must be numpy.ndarray, not %s", a)
			return UnknownT
		}
		casting, ok := c.strKw(e, full, "casting", kw, "same_kind", "unsafe", "safe")
		if !ok {
			return UnknownT
		}
		// NumPy's can_cast: same_kind goes up the kinds bool, integer
		// (signed or not), float, complex; safe needs every value to fit.
		sd := src.DType
		what := "array data"
		if src.Kind == Scalar && src.Weak {
			what = "scalar"
		}
		okCast := casting == "unsafe" || casting == "same_kind" && sd.Kind() <= a.DType.Kind() ||
			casting == "safe" && (Promote(sd, a.DType) == a.DType || src.Kind == Scalar && src.Weak && sd.Kind() <= a.DType.Kind())
		if !okCast {
			c.errorf(e.P, diag.Type, "Cannot cast %s from dtype('%s') to dtype('%s') according to the rule '%s'",
				what, sd, a.DType, casting)
			return UnknownT
		}
		if src.Kind == Array && src.NDim > a.NDim {
			c.errorf(e.P, diag.Value, "could not broadcast input array of rank %d into an array of rank %d", src.NDim, a.NDim)
			return UnknownT
		}
		return NoneT
	}
	return bad("%s is not supported yet", full)
}

// GridSlices are the slices of np.mgrid[...] or np.ogrid[...], and
// whether the index was a tuple (a grid of several axes).
func GridSlices(e *pyast.Subscript) ([]*pyast.Slice, bool) {
	items := []pyast.Expr{e.Index}
	tup, multi := e.Index.(*pyast.Tuple)
	if multi {
		items = tup.Elts
	}
	out := make([]*pyast.Slice, 0, len(items))
	for _, it := range items {
		sl, ok := it.(*pyast.Slice)
		if !ok {
			return nil, multi
		}
		out = append(out, sl)
	}
	return out, multi
}

// GridStep is the number of points a complex step asks for (5j: 5), from
// its constant; ok is false for a real step.
func GridStep(sl *pyast.Slice) (n int64, ok bool) {
	k, isC := sl.Step.(*pyast.Constant)
	if !isC || k.Kind != pyast.ConstComplex {
		return 0, false
	}
	return int64(math.Hypot(k.Float, k.Imag)), true
}

// grid types np.mgrid[...] and np.ogrid[...]: slices of numbers, a
// complex constant step giving a number of points. The dtype is int64
// when every bound and step is an integer, else float64 (NumPy's
// result_type of the Python numbers).
func (c *checker) grid(e *pyast.Subscript, name string) *Type {
	full := "np." + name
	slices, multi := GridSlices(e)
	if slices == nil || len(slices) == 0 || len(slices) > 8 {
		c.errorf(e.P, diag.Unsupported, "%s[...] takes slices such as %s[0:3, 0:1:5j]", full, full)
		return UnknownT
	}
	var ts []*Type
	for _, sl := range slices {
		if sl.Upper == nil {
			c.errorf(sl.P, diag.Unsupported, "%s[...] slices need a stop", full)
			return UnknownT
		}
		for _, x := range []pyast.Expr{sl.Lower, sl.Upper, sl.Step} {
			if x == nil {
				continue
			}
			t := c.expr(x)
			if t.IsUnknown() {
				return UnknownT
			}
			if t.Kind != Scalar {
				c.errorf(x.Position(), diag.Unsupported, "%s[...] bounds must be numbers, not %s", full, t)
				return UnknownT
			}
			if t.DType.IsComplex() {
				if _, ok := GridStep(sl); !ok || x != sl.Step {
					c.errorf(x.Position(), diag.Unsupported, "%s[...]: only the step may be complex, and a constant (5j)", full)
					return UnknownT
				}
				ts = append(ts, Float) // NumPy takes abs(step), a float
				continue
			}
			ts = append(ts, t)
		}
		if sl.Lower == nil || sl.Step == nil {
			ts = append(ts, Int) // the defaults 0 and 1
		}
	}
	// NumPy's result_type of the numbers (NEP 50: Python numbers are
	// weak); one slice with a real step is np.arange(start, stop, step),
	// whose dtype is int64 or float64 here.
	d := PromoteAll(ts...)
	if _, complexStep := GridStep(slices[0]); !multi && !complexStep {
		d = Int64
		for _, t := range ts {
			if t.DType.IsFloat() {
				d = Float64
			}
		}
	}
	if d == Bool {
		d = Int64
	}
	if !multi {
		return ArrayOf(d, 1, 'C')
	}
	n := len(slices)
	if name == "mgrid" {
		if n+1 > 8 {
			c.errorf(e.P, diag.Unsupported, "arrays of more than 8 dimensions are not supported")
			return UnknownT
		}
		return ArrayOf(d, n+1, 'C')
	}
	el := make([]*Type, n)
	for i := range el {
		el[i] = ArrayOf(d, n, 'C')
	}
	return TupleOf(el...)
}

// ListArray is the type of the 1-D array np.asarray makes of a list of
// numbers (Python numbers take their default dtypes); other types are
// returned unchanged.
func ListArray(t *Type) *Type {
	if t.Kind != List || t.Elem().Kind != Scalar {
		return t
	}
	el := t.Elem()
	d := el.DType
	if el.Weak {
		d = defaultOf(d.Kind())
	}
	return ArrayOf(d, 1, 'C')
}

// FillDiagonalWrap reads np.fill_diagonal's wrap (a constant bool, False
// when absent); ok is false for anything else.
func FillDiagonalWrap(e *pyast.Call) (wrap, ok bool) {
	x := argExpr(e, 2, "wrap")
	if x == nil {
		return false, true
	}
	k, isConst := x.(*pyast.Constant)
	if !isConst || k.Kind != pyast.ConstBool {
		return false, false
	}
	return k.Bool, true
}
