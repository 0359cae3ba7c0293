package types

// NumPy's other ufuncs (library.Ufunc) and functions (library.Function):
// creation, joining, linear algebra and the 1-D algorithms; lowered by
// lower/ufuncs.go and lower/numpy_arrays.go.

import (
	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// DefaultOf is the dtype a Python scalar of kind k takes alone.
func DefaultOf(k DKind) DType { return defaultOf(k) }

// PromoteOperands is NEP 50's result dtype of a binary operation between
// two numeric operands.
func PromoteOperands(a, b *Type) DType { return promoteOperands(a, b) }

// PromoteAll is NEP 50's common dtype of several numeric operands: strong
// dtypes promote among themselves, weak Python scalars join by kind.
func PromoteAll(ts ...*Type) DType {
	var strong *DType
	weak := KBool
	anyWeak := false
	var weakAll DType = Bool
	for _, t := range ts {
		if t.Kind == Scalar && t.Weak {
			if !anyWeak {
				weakAll = t.DType
			} else {
				weakAll = Promote(weakAll, t.DType)
			}
			anyWeak = true
			if t.DType.Kind() > weak {
				weak = t.DType.Kind()
			}
			continue
		}
		d := t.DType
		if strong == nil {
			strong = &d
		} else {
			p := Promote(*strong, d)
			strong = &p
		}
	}
	if strong == nil {
		return weakAll
	}
	if !anyWeak {
		return *strong
	}
	return PromoteWeak(weak, *strong)
}

// isMethodCall reports x.name(...) on an array.
func (c *checker) isMethodCall(e *pyast.Call) bool {
	t := c.info().Types[e.Func]
	return t != nil && t.Kind == Builtin && len(t.Name) > 7 && t.Name[:7] == "method."
}

// ufunc types a library.Ufunc: its Form says how the result dtype is found.
func (c *checker) ufunc(e *pyast.Call, full string, ent *library.Entry, args []*Type, kw map[string]*Type) *Type {
	name, kind := ent.Short(), ent.Form
	if kind == "clip" {
		for i, a := range args {
			if a.Kind == None && i > 0 && i < len(e.Args) {
				c.errorf(e.Args[i].Position(), diag.Unsupported, "np.clip with a None bound is not supported").
					WithHint("use np.minimum or np.maximum")
				return UnknownT
			}
		}
	}
	if !c.noKeywords(e, full, kw, ent.Keywords...) || !c.wantArgs(e, full, args, ent.MinArgs, ent.MaxArgs) {
		return UnknownT
	}
	strongOf := func(t *Type) DType {
		if t.Kind == Scalar && t.Weak {
			return defaultOf(t.DType.Kind())
		}
		return t.DType
	}
	switch kind {
	case "same":
		d := strongOf(args[0])
		if d == Bool && name == "reciprocal" {
			d = Int8 // as NumPy: 1 for True, 0 for False
		}
		if d == Bool {
			c.errorf(e.P, diag.Type, "%s is not defined for booleans", full)
			return UnknownT
		}
		return ResultOf(d, args[0]).withWeak(false)
	case "invert":
		d := strongOf(args[0])
		if args[0].DType == Bool {
			d = Bool
		}
		if d.Kind() > KInt {
			c.errorf(e.P, diag.Type, "%s needs integer or bool operands, not %s", full, d)
			return UnknownT
		}
		return ResultOf(d, args[0]).withWeak(false)
	case "arith":
		d := promoteOperands(args[0], args[1])
		if d == Bool {
			d = Int8
		}
		if d.IsComplex() {
			c.errorf(e.P, diag.Type, "%s is not defined for complex numbers", full)
			return UnknownT
		}
		return ResultOf(d, args...).withWeak(false)
	case "bit":
		d := promoteOperands(args[0], args[1])
		if args[0].Kind == Scalar && args[0].DType == Bool && args[1].Kind == Scalar && args[1].DType == Bool {
			d = Bool
		}
		if d.Kind() > KInt {
			c.errorf(e.P, diag.Type, "%s needs integer or bool operands, not %s", full, d)
			return UnknownT
		}
		if d == Bool && (name == "left_shift" || name == "right_shift") {
			d = Int8
		}
		return ResultOf(d, args...).withWeak(false)
	case "cmp":
		return ResultOf(Bool, args...).withWeak(false)
	case "logic":
		return ResultOf(Bool, args...).withWeak(false)
	case "round":
		t := args[0]
		d := strongOf(t)
		if d == Bool {
			c.errorf(e.P, diag.Unsupported, "%s of %s is not supported", full, d)
			return UnknownT
		}
		var dec pyast.Expr
		if len(e.Args) == 2 {
			dec = e.Args[1]
		} else {
			for _, k := range e.Keywords {
				if k.Name == "decimals" {
					dec = k.Value
				}
			}
		}
		if dec != nil {
			if _, ok := constIndex(dec); !ok {
				c.errorf(dec.Position(), diag.Unsupported, "the decimals of %s must be an integer constant", full)
				return UnknownT
			}
		}
		return ResultOf(d, t).withWeak(false)
	case "clip":
		for i, a := range args {
			if a.DType.IsComplex() {
				c.errorf(e.Args[i].Position(), diag.Unsupported, "%s of complex numbers is not supported", full)
				return UnknownT
			}
		}
		return ResultOf(PromoteAll(args...), args...).withWeak(false)
	}
	return UnknownT
}

// RoundDecimals reads the decimals of np.round(x, d) (0 when absent).
func RoundDecimals(e *pyast.Call) int64 {
	var dec pyast.Expr
	if len(e.Args) == 2 {
		dec = e.Args[1]
	}
	for _, k := range e.Keywords {
		if k.Name == "decimals" {
			dec = k.Value
		}
	}
	if dec == nil {
		return 0
	}
	k, _ := constIndex(dec)
	return k
}

// StrKw is the type given to a string constant passed as a keyword
// argument (np.searchsorted(a, v, side="right")): its Name holds the text.
func StrKw(text string) *Type { return &Type{Kind: Builtin, Name: "str:" + text} }

// kwValue types a keyword argument's value; string constants are allowed
// there (side="right", kind="stable") and typed by StrKw.
func (c *checker) kwValue(v pyast.Expr) *Type {
	if k, ok := v.(*pyast.Constant); ok && k.Kind == pyast.ConstStr {
		t := StrKw(k.Str)
		c.info().Types[v] = t
		return t
	}
	return c.expr(v)
}

// strKw reads a string keyword; ok is false (after an error) when it is
// present but not one of allowed.
func (c *checker) strKw(e *pyast.Call, full, key string, kw map[string]*Type, allowed ...string) (string, bool) {
	t, ok := kw[key]
	if !ok {
		return allowed[0], true
	}
	if t.Kind == Builtin && len(t.Name) > 4 && t.Name[:4] == "str:" {
		for _, a := range allowed {
			if t.Name[4:] == a {
				return a, true
			}
		}
	}
	c.errorf(e.P, diag.Unsupported, "%s(%s=...) must be one of the constants %q", full, key, allowed)
	return "", false
}

// realArray requires a 1-D array (ok false after an error).
func (c *checker) wantRank(e *pyast.Call, full string, i int, t *Type, ranks ...int) bool {
	if t.Kind == Array {
		for _, r := range ranks {
			if t.NDim == r {
				return true
			}
		}
	}
	c.errorf(e.Args[i].Position(), diag.Unsupported, "%s() argument %d must be an array of rank %v here, not %s",
		full, i+1, ranks, t)
	return false
}

func isIntScalar(t *Type) bool { return t.Kind == Scalar && t.DType.Kind() <= KInt }

// AxisArg reads a constant axis= (or its default).
func AxisArg(e *pyast.Call, pos int, def int64) (int64, bool) {
	var x pyast.Expr
	if pos >= 0 && len(e.Args) > pos {
		x = e.Args[pos]
	}
	for _, k := range e.Keywords {
		if k.Name == "axis" {
			x = k.Value
		}
	}
	if x == nil {
		return def, true
	}
	return constIndex(x)
}

// SortAxis is the axis of np.sort(a, axis) and np.argsort (x.sort(axis)
// when method): -1 by default, normalized against ndim (k outside [0,
// ndim) when out of bounds); none for axis=None (the flattened array); ok
// is false when it is not a constant.
func SortAxis(e *pyast.Call, method bool, ndim int) (k int, none, ok bool) {
	pos := 1
	if method {
		pos = 0
	}
	x := argExpr(e, pos, "axis")
	if x == nil {
		return ndim - 1, false, true
	}
	if isNone(x) {
		return 0, true, true
	}
	a, ok := constIndex(x)
	if !ok {
		return 0, false, false
	}
	if a < 0 {
		a += int64(ndim)
	}
	if a < 0 {
		a = int64(ndim) // out of bounds either way
	}
	return int(a), false, true
}

// numpyFunc types a library.Function by name; the keywords that compile
// are the entry's.
func (c *checker) numpyFunc(e *pyast.Call, full string, ent *library.Entry, args []*Type, kw map[string]*Type) *Type {
	name := ent.Short()
	if IsShapeFunc(name) {
		return c.numpyShape(e, full, ent, args, kw)
	}
	if IsStatsFunc(name) {
		return c.numpyStats(e, full, ent, args, kw) // numpy_stats.go
	}
	method := c.isMethodCall(e)
	argPos := func(i int) pyast.Pos {
		if method {
			i--
		}
		if i >= 0 && i < len(e.Args) {
			return e.Args[i].Position()
		}
		return e.P
	}
	bad := func(format string, a ...any) *Type {
		c.errorf(e.P, diag.Unsupported, format, a...)
		return UnknownT
	}
	numeric := func(lo, hi int) bool {
		if len(args) < lo || len(args) > hi {
			c.errorf(e.P, diag.Type, "%s() takes %d to %d positional arguments (%d given)", full, lo, hi, len(args))
			return false
		}
		for i, a := range args {
			if !a.IsNumeric() {
				c.errorf(argPos(i), diag.Type, "%s() argument %d must be a number or an array, not %s", full, i+1, a)
				return false
			}
		}
		return true
	}
	switch name {
	case "linspace":
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !numeric(2, 3) {
			return UnknownT
		}
		for i, a := range args[:2] {
			if a.Kind != Scalar {
				c.errorf(argPos(i), diag.Unsupported, "np.linspace() of arrays is not supported")
				return UnknownT
			}
		}
		if len(args) == 3 && !isIntScalar(args[2]) || kw["num"] != nil && !isIntScalar(kw["num"]) {
			return bad("np.linspace(num=...) must be an integer")
		}
		if t := kw["endpoint"]; t != nil && !(t.Kind == Scalar && t.DType == Bool) {
			return bad("np.linspace(endpoint=...) must be a bool")
		}
		d := PromoteAll(args[0], args[1], Float)
		if dd, has, ok := c.dtypeKw(e, kw); !ok {
			return UnknownT
		} else if has {
			if dd == Bool || dd.IsComplex() != d.IsComplex() {
				return bad("np.linspace(dtype=%s) is not supported", dd)
			}
			d = dd
		}
		return ArrayOf(d, 1, 'C')
	case "eye", "identity":
		if !c.noKeywords(e, full, kw, ent.Keywords...) {
			return UnknownT
		}
		hi := 3
		if name == "identity" {
			hi = 1
		}
		if !numeric(1, hi) {
			return UnknownT
		}
		for i, a := range args {
			if !isIntScalar(a) {
				c.errorf(argPos(i), diag.Type, "%s() takes integers, not %s", full, a)
				return UnknownT
			}
		}
		for _, k := range []string{"k", "M"} {
			if t := kw[k]; t != nil && !isIntScalar(t) {
				return bad("%s(%s=...) must be an integer", full, k)
			}
		}
		d, has, ok := c.dtypeKw(e, kw)
		if !ok {
			return UnknownT
		}
		if !has {
			d = Float64
		}
		return ArrayOf(d, 2, 'C')
	case "array", "asarray", "copy":
		if !c.noKeywords(e, full, kw, ent.Keywords...) {
			return UnknownT
		}
		if len(args) != 1 {
			c.errorf(e.P, diag.Type, "%s() takes one positional argument (%d given)", full, len(args))
			return UnknownT
		}
		d, has, ok := c.dtypeKw(e, kw)
		if !ok {
			return UnknownT
		}
		if name == "copy" && has {
			return bad("np.copy() takes no dtype=")
		}
		t := args[0]
		switch t.Kind {
		case Array:
			if !has {
				d = t.DType
			}
			if name == "asarray" && d == t.DType {
				return t
			}
			return ArrayOf(d, t.NDim, 'C')
		case Tuple:
			elems := t.Elems
			ndim := 1
			if len(elems) > 0 && elems[0].Kind == Tuple {
				ndim = 2
				n := len(elems[0].Elems)
				var flat []*Type
				for _, r := range elems {
					if r.Kind != Tuple || len(r.Elems) != n {
						return bad("%s() of nested tuples needs rows of one length", full)
					}
					flat = append(flat, r.Elems...)
				}
				elems = flat
			}
			for _, x := range elems {
				if x.Kind != Scalar {
					return bad("%s() of a tuple needs numbers (or tuples of numbers), not %s", full, x)
				}
				if has && x.DType.IsComplex() && !d.IsComplex() {
					c.errorf(e.P, diag.Type, "%s(): cannot convert a complex number to %s", full, d)
					return UnknownT
				}
			}
			if !has {
				if len(elems) == 0 {
					d = Float64
				} else {
					d = asarrayDType(elems)
				}
			}
			return ArrayOf(d, ndim, 'C')
		}
		return bad("%s() of a %s is not supported", full, t)
	case "concatenate", "stack", "hstack", "vstack":
		if !c.noKeywords(e, full, kw, ent.Keywords...) {
			return UnknownT
		}
		if len(args) != 1 && !(len(args) == 2 && name != "hstack" && name != "vstack") {
			c.errorf(e.P, diag.Type, "%s() takes a tuple of arrays", full)
			return UnknownT
		}
		t := c.joinedArrays(e.Args[0], args[0]) // tuple_arrays.go
		if t.Kind != Tuple || len(t.Elems) == 0 {
			return bad("%s() needs a non-empty tuple of arrays, not %s", full, t)
		}
		nd := -1
		var d DType
		mixed := false
		for i, x := range t.Elems {
			if x.Kind != Array {
				return bad("%s() needs a tuple of arrays, not of %s", full, x)
			}
			if name == "vstack" && nd >= 1 && nd <= 2 && x.NDim >= 1 && x.NDim <= 2 && x.NDim != nd {
				mixed = true // vstack makes 1-D inputs rows
			} else if nd >= 0 && x.NDim != nd {
				c.errorf(e.P, diag.Value, "all the input arrays of %s() must have the same number of dimensions", full)
				return UnknownT
			}
			nd = x.NDim
			if i == 0 {
				d = x.DType
			} else {
				d = Promote(d, x.DType)
			}
		}
		if mixed {
			nd = 2
		}
		if nd == 0 {
			return bad("%s() of 0-d arrays is not supported", full)
		}
		out := nd
		switch name {
		case "stack":
			out = nd + 1
		case "vstack":
			if nd == 1 {
				out = 2
			}
		}
		axis, ok := AxisArg(e, 1, 0)
		if !ok {
			return bad("%s(axis=...) must be an integer constant", full)
		}
		if axis < -int64(out) || axis >= int64(out) {
			c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", axis, out)
			return UnknownT
		}
		return ArrayOf(d, out, 'C')
	case "dot", "matmul", "vdot", "outer", "cross", "inner":
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !numeric(2, 2) {
			return UnknownT
		}
		if name == "matmul" && len(e.Args) == 2 {
			if t, ok := c.batchedMatmul(e, e.Args[0], e.Args[1]); ok { // einsum.go
				return t
			}
		}
		a, b := args[0], args[1]
		d := promoteOperands(a, b)
		if d == Bool && name != "cross" {
			return bad("%s() of booleans is not supported", full)
		}
		switch name {
		case "vdot":
			if a.Kind != Array || b.Kind != Array || a.NDim != 1 || b.NDim != 1 {
				return bad("np.vdot() is supported for 1-D arrays")
			}
			return ScalarOf(d)
		case "outer":
			if a.Kind != Array || b.Kind != Array || a.NDim != 1 || b.NDim != 1 {
				return bad("np.outer() is supported for 1-D arrays")
			}
			return ArrayOf(d, 2, 'C')
		case "inner":
			// the sum over both last axes: a @ b.T for 1-D and 2-D operands (lower/numpy_arrays.go)
			if a.Kind != Array || b.Kind != Array || a.NDim > 2 || b.NDim > 2 {
				return bad("np.inner() is supported for 1-D and 2-D arrays")
			}
			if a.NDim+b.NDim == 2 {
				return ScalarOf(d)
			}
			return ArrayOf(d, a.NDim+b.NDim-2, 'C')
		case "cross":
			if a.Kind != Array || b.Kind != Array || a.NDim != 1 || b.NDim != 1 {
				return bad("np.cross() is supported for 1-D 3-vectors")
			}
			if d == Bool {
				return bad("np.cross() of booleans is not supported")
			}
			return ArrayOf(d, 1, 'C')
		}
		return c.dotType(e, full, a, b)
	case "trace":
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !numeric(1, 1) || !c.wantRank(e, full, 0, args[0], 2) {
			return UnknownT
		}
		d := args[0].DType
		switch {
		case d == Bool || d.IsInt() && !d.IsUnsigned():
			d = Int64
		case d.IsUnsigned():
			d = Uint64
		}
		return ScalarOf(d)
	case "sort", "argsort", "unique":
		hi := 2 // the axis also by position
		if name == "unique" {
			hi = 1
		}
		if !c.noKeywords(e, full, kw, ent.Keywords...) {
			return UnknownT
		}
		if len(args) < 1 || len(args) > hi || !args[0].IsNumeric() {
			c.errorf(e.P, diag.Type, "%s() takes an array and optionally the axis", full)
			return UnknownT
		}
		if _, ok := c.strKw(e, full, "kind", kw, "quicksort", "stable", "mergesort", "heapsort"); !ok {
			return UnknownT
		}
		t := args[0]
		if t.Kind != Array || t.NDim == 0 || name == "unique" && t.NDim != 1 {
			return bad("%s() is supported for arrays of rank 1 or more (unique: 1-D)", full)
		}
		if t.DType.IsComplex() {
			return bad("%s() of complex arrays is not supported", full)
		}
		if name == "unique" {
			if _, has := kw["axis"]; has {
				return bad("np.unique(axis=...) is not supported")
			}
			return ArrayOf(t.DType, 1, 'C')
		}
		k, none, ok := SortAxis(e, method, t.NDim)
		if !ok {
			return bad("%s(axis=...) must be an integer constant or None", full)
		}
		if k < 0 || k >= t.NDim {
			c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", k, t.NDim)
			return UnknownT
		}
		if none && method && name == "sort" {
			return bad("x.sort(axis=None) is not supported (hint: use np.sort(x, axis=None))")
		}
		nd := t.NDim
		if none {
			nd = 1
		}
		switch {
		case name == "argsort":
			return ArrayOf(Int64, nd, 'C')
		case name == "sort" && method:
			return NoneT
		}
		return ArrayOf(t.DType, nd, 'C')
	case "searchsorted":
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !numeric(2, 2) {
			return UnknownT
		}
		if _, ok := c.strKw(e, full, "side", kw, "left", "right"); !ok {
			return UnknownT
		}
		a, v := args[0], args[1]
		if a.Kind != Array || a.NDim != 1 || v.Kind == Array && v.NDim != 1 {
			return bad("np.searchsorted() is supported for a 1-D array and a number or a 1-D array")
		}
		if a.DType.IsComplex() || v.DType.IsComplex() {
			return bad("np.searchsorted() of complex numbers is not supported")
		}
		if v.Kind == Array {
			return ArrayOf(Int64, 1, 'C')
		}
		return ScalarOf(Int64)
	case "histogram":
		if len(args) == 3 {
			if kw["range"] != nil {
				return bad("np.histogram() got range twice")
			}
			kw = copyKw(kw)
			kw["range"], args = args[2], args[:2]
		}
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !numeric(1, 2) {
			return UnknownT
		}
		if len(args) == 2 && kw["bins"] != nil {
			return bad("np.histogram() got bins twice")
		}
		t := args[0]
		if t.Kind != Array || t.NDim != 1 || t.DType.IsComplex() {
			return bad("np.histogram() is supported for 1-D real arrays")
		}
		bins := kw["bins"]
		if len(args) == 2 {
			bins = args[1]
		}
		edges := bins != nil && bins.Kind == Array
		if edges && (bins.NDim != 1 || bins.DType.IsComplex() || bins.DType == Bool) {
			return bad("np.histogram(bins=...) must be an integer or a 1-D array of real bin edges")
		}
		if t.DType == Float32 && !edges {
			c.errorf(e.P, diag.Unsupported, "np.histogram() of float32 arrays with a number of bins (float32 bin edges) is not supported").
				WithHint("pass the bin edges as an array, or convert the data to float64")
			return UnknownT
		}
		if bins != nil && !edges && !isIntScalar(bins) {
			return bad("np.histogram(bins=...) must be an integer or a 1-D array of bin edges")
		}
		if r := kw["range"]; r != nil {
			if r.Kind != Tuple || len(r.Elems) != 2 || r.Elems[0].Kind != Scalar || r.Elems[1].Kind != Scalar ||
				r.Elems[0].DType.IsComplex() || r.Elems[1].DType.IsComplex() {
				return bad("np.histogram(range=...) must be a tuple of two numbers")
			}
		}
		density, ok := HistogramDensity(e)
		if !ok {
			return bad("np.histogram(density=...) must be the constant True or False")
		}
		count := ArrayOf(Int64, 1, 'C')
		if w := kw["weights"]; w != nil {
			if w.Kind != Array || w.NDim != 1 || w.DType.IsComplex() || w.DType == Bool {
				return bad("np.histogram(weights=...) must be a 1-D array of real numbers")
			}
			count = ArrayOf(w.DType, 1, 'C')
		}
		if density {
			count = ArrayOf(Float64, 1, 'C')
		}
		if edges {
			return TupleOf(count, bins) // NumPy returns the edges array itself
		}
		return TupleOf(count, ArrayOf(Float64, 1, 'C'))
	case "bincount":
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !numeric(1, 1) {
			return UnknownT
		}
		t := args[0]
		if t.Kind != Array || t.NDim != 1 || !(t.DType.IsInt() || t.DType == Bool) {
			return bad("np.bincount() takes a 1-D array of integers")
		}
		if m := kw["minlength"]; m != nil && !isIntScalar(m) {
			return bad("np.bincount(minlength=...) must be an integer")
		}
		if w := kw["weights"]; w != nil {
			if w.Kind != Array || w.NDim != 1 || w.DType.IsComplex() {
				return bad("np.bincount(weights=...) must be a 1-D real array")
			}
			return ArrayOf(Float64, 1, 'C')
		}
		return ArrayOf(Int64, 1, 'C')
	case "interp":
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !numeric(3, 3) {
			return UnknownT
		}
		x, xp, fp := args[0], args[1], args[2]
		if xp.Kind != Array || xp.NDim != 1 || fp.Kind != Array || fp.NDim != 1 {
			return bad("np.interp() takes 1-D arrays xp and fp")
		}
		if x.Kind == Array && x.NDim != 1 {
			return bad("np.interp() is supported for a number or a 1-D array x")
		}
		for _, a := range append([]*Type{x, xp, fp}, kw["left"], kw["right"]) {
			if a != nil && (a.DType.IsComplex() || !a.IsNumeric()) {
				return bad("np.interp() of complex numbers is not supported")
			}
		}
		for _, k := range []string{"left", "right"} {
			if a := kw[k]; a != nil && a.Kind != Scalar {
				return bad("np.interp(%s=...) must be a number", k)
			}
		}
		if x.Kind == Array {
			return ArrayOf(Float64, 1, 'C')
		}
		return ScalarOf(Float64)
	}
	return bad("%s is not supported yet", full)
}

// dotType is the type of np.dot / np.matmul / @ on 1-D and 2-D operands.
func (c *checker) dotType(e *pyast.Call, full string, a, b *Type) *Type {
	d := promoteOperands(a, b)
	if a.Kind == Scalar || b.Kind == Scalar {
		if full != "np.dot" {
			c.errorf(e.P, diag.Value, "matmul: Input operand does not have enough dimensions")
			return UnknownT
		}
		return ResultOf(d, a, b).withWeak(false)
	}
	if a.NDim == 0 || b.NDim == 0 || a.NDim > 2 || b.NDim > 2 {
		c.errorf(e.P, diag.Unsupported, "%s is supported for 1-D and 2-D arrays", full)
		return UnknownT
	}
	if d == Bool {
		c.errorf(e.P, diag.Unsupported, "%s of booleans is not supported", full)
		return UnknownT
	}
	nd := a.NDim + b.NDim - 2
	if nd == 0 {
		return ScalarOf(d)
	}
	return ArrayOf(d, nd, 'C')
}

// MatMulType types the @ operator.
func (c *checker) matMulType(l, r *Type, p pyast.Pos) *Type {
	e := &pyast.Call{}
	e.P = p
	return c.dotType(e, "np.matmul", l, r)
}

// copyKw copies a keyword map before a call's positional arguments are
// moved into it.
func copyKw[T any](kw map[string]T) map[string]T {
	out := make(map[string]T, len(kw)+1)
	for k, v := range kw {
		out[k] = v
	}
	return out
}

// HistogramDensity reads np.histogram's density= (false when absent); ok
// is false when it is not the constant True or False.
func HistogramDensity(e *pyast.Call) (density, ok bool) {
	for _, k := range e.Keywords {
		if k.Name == "density" {
			c, isC := k.Value.(*pyast.Constant)
			if !isC || c.Kind != pyast.ConstBool {
				return false, false
			}
			return c.Bool, true
		}
	}
	return false, true
}
