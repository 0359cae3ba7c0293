package types

// Python builtins, math and cmath functions of the Python-language step.

import (
	"math"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// MathExtra are the math functions typed by mathExt.
var MathExtra = map[string]bool{
	"isclose": true, "gcd": true, "lcm": true, "factorial": true, "comb": true, "perm": true, "isqrt": true,
	"ldexp": true, "frexp": true, "modf": true, "remainder": true, "nextafter": true, "ulp": true,
	"fsum": true, "prod": true,
}

// CmathFuncs of one complex argument returning a complex number.
var CmathFuncs = map[string]bool{
	"sqrt": true, "exp": true, "log": true, "log10": true, "sin": true, "cos": true, "tan": true,
	"asin": true, "acos": true, "atan": true, "sinh": true, "cosh": true, "tanh": true,
	"asinh": true, "acosh": true, "atanh": true,
}

// CmathOther are cmath's other functions.
var CmathOther = map[string]bool{"phase": true, "polar": true, "rect": true, "isnan": true, "isinf": true,
	"isfinite": true, "isclose": true}

func isIntLike(t *Type) bool { return t.Kind == Scalar && t.DType.Kind() <= KInt }

// BuiltinParams names the parameters of the builtins whose keyword
// arguments compile, in order ("" for a positional-only one).
var BuiltinParams = map[string][]string{"round": {"number", "ndigits"}, "pow": {"base", "exp", "mod"},
	"sum": {"", "start"}}

// MergeKeywords appends keyword arguments to the positional ones of a
// builtin of BuiltinParams, in parameter order; ok is false when a keyword
// does not name a parameter after the positional ones, or leaves a gap.
func MergeKeywords[T any](name string, args []T, kw map[string]T) ([]T, bool) {
	params := BuiltinParams[name]
	if len(kw) == 0 {
		return args, true
	}
	out := append([]T{}, args...)
	used := 0
	for i := len(args); i < len(params); i++ {
		v, ok := kw[params[i]]
		if !ok || params[i] == "" {
			break
		}
		out = append(out, v)
		used++
	}
	return out, used == len(kw)
}

func argPos(e *pyast.Call, i int) pyast.Pos {
	if i < len(e.Args) {
		return e.Args[i].Position()
	}
	return e.P
}

// builtinExt types the builtins (and forms of them) this step adds.
func (c *checker) builtinExt(e *pyast.Call, name string, args []*Type, kw map[string]*Type) (*Type, bool) {
	if _, ok := BuiltinParams[name]; ok && len(kw) > 0 {
		merged, ok := MergeKeywords(name, args, kw)
		if !ok {
			return nil, false // the usual keyword error
		}
		args, kw = merged, nil
	}
	switch name {
	case "enumerate", "zip":
		c.errorf(e.P, diag.Unsupported, "%s() is only supported as the iterable of a for loop", name)
		return UnknownT, true
	case "round":
		if len(args) != 2 || len(kw) > 0 {
			return nil, false
		}
		x, n := args[0], args[1]
		if !isIntLike(n) {
			c.errorf(argPos(e, 1), diag.Type, "'%s' object cannot be interpreted as an integer", n)
			return UnknownT, true
		}
		switch {
		case isIntLike(x):
			return Int, true
		case x.Kind == Scalar && x.DType == Float64:
			return x, true
		}
		c.errorf(e.P, diag.Unsupported, "round() of a %s with ndigits is not supported", x).
			WithHint("round Python floats, float64 or integers; use np.round for arrays")
		return UnknownT, true
	case "pow":
		if len(args) != 3 || len(kw) > 0 {
			return nil, false
		}
		for _, a := range args {
			if !isIntLike(a) {
				c.errorf(e.P, diag.Type, "pow() 3rd argument not allowed unless all arguments are integers")
				return UnknownT, true
			}
			if !(a.Weak || a.DType == Bool) {
				c.errorf(e.P, diag.Unsupported, "pow() with three arguments takes Python ints, not %s", a)
				return UnknownT, true
			}
		}
		return Int, true
	case "sum":
		if len(kw) > 0 || len(args) < 1 || len(args) > 2 || args[0].Kind != Tuple {
			return nil, false
		}
		var acc *Type = Int
		if len(args) == 2 {
			acc = args[1]
		}
		for _, t := range args[0].Elems {
			acc = c.binop("Add", acc, t, e.P)
			if acc.IsUnknown() {
				return acc, true
			}
		}
		return acc, true
	case "min", "max":
		if len(args) != 1 || args[0].Kind != Tuple || len(kw) > 0 {
			return nil, false
		}
		el := args[0].Elems
		if len(el) == 0 {
			c.errorf(e.P, diag.Value, "%s() arg is an empty sequence", name)
			return UnknownT, true
		}
		t := el[0]
		for _, a := range el {
			if a.Kind != Scalar {
				c.errorf(e.P, diag.Type, "%s() of a tuple takes numbers, not %s", name, a)
				return UnknownT, true
			}
			t, _ = Join(t, a)
		}
		if t.DType.IsComplex() {
			c.errorf(e.P, diag.Type, "complex numbers are not ordered")
			return UnknownT, true
		}
		return t, true
	}
	return nil, false
}

// mathExt types the math functions this step adds, and hypot of any
// number of arguments.
func (c *checker) mathExt(e *pyast.Call, name string, args []*Type, kw map[string]*Type) (*Type, bool) {
	if !MathExtra[name] && !(name == "hypot" && len(args) != 2) {
		return nil, false
	}
	full := "math." + name
	allowed := []string{}
	switch name {
	case "isclose":
		allowed = []string{"rel_tol", "abs_tol"}
	case "prod":
		allowed = []string{"start"}
	}
	if !c.noKeywords(e, full, kw, allowed...) {
		return UnknownT, true
	}
	if name == "fsum" || name == "prod" {
		return c.tupleFold(e, name, args, kw), true
	}
	for k, t := range kw {
		if t.Kind != Scalar || t.DType.IsComplex() {
			c.errorf(e.P, diag.Type, "%s() argument %s must be a real number, not %s", full, k, t)
			return UnknownT, true
		}
	}
	for i, a := range args {
		if a.Kind != Scalar || a.DType.IsComplex() {
			c.errorf(e.Args[i].Position(), diag.Type, "%s() takes real numbers, not %s", full, a)
			return UnknownT, true
		}
	}
	count := func(lo, hi int) bool {
		if len(args) < lo || len(args) > hi {
			if lo == hi {
				c.errorf(e.P, diag.Type, "%s() takes exactly %d arguments (%d given)", full, lo, len(args))
			} else {
				c.errorf(e.P, diag.Type, "%s() takes %d to %d arguments (%d given)", full, lo, hi, len(args))
			}
			return false
		}
		return true
	}
	ints := func(which ...int) bool {
		for _, i := range which {
			if i < len(args) && !isIntLike(args[i]) {
				c.errorf(e.Args[i].Position(), diag.Type, "'float' object cannot be interpreted as an integer")
				return false
			}
		}
		return true
	}
	switch name {
	case "isclose":
		if !count(2, 2) {
			return UnknownT, true
		}
		return BoolT, true
	case "gcd", "lcm":
		all := make([]int, len(args))
		for i := range all {
			all[i] = i
		}
		if !ints(all...) {
			return UnknownT, true
		}
		return Int, true
	case "factorial", "isqrt":
		if !count(1, 1) || !ints(0) {
			return UnknownT, true
		}
		return Int, true
	case "comb", "perm":
		lo := 2
		if name == "perm" {
			lo = 1
		}
		if !count(lo, 2) || !ints(0, 1) {
			return UnknownT, true
		}
		return Int, true
	case "ldexp":
		if !count(2, 2) || !ints(1) {
			return UnknownT, true
		}
		return Float, true
	case "frexp":
		if !count(1, 1) {
			return UnknownT, true
		}
		return TupleOf(Float, Int), true
	case "modf":
		if !count(1, 1) {
			return UnknownT, true
		}
		return TupleOf(Float, Float), true
	case "remainder", "nextafter":
		if !count(2, 2) {
			return UnknownT, true
		}
		return Float, true
	case "ulp":
		if !count(1, 1) {
			return UnknownT, true
		}
		return Float, true
	case "hypot":
		return Float, true
	}
	return nil, false
}

// tupleFold types math.fsum and math.prod of a tuple of numbers.
func (c *checker) tupleFold(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	full := "math." + name
	if len(args) != 1 || args[0].Kind != Tuple {
		c.errorf(e.P, diag.Unsupported, "%s() takes a tuple of numbers here", full).
			WithHint("sum or multiply array elements with np.sum or np.prod")
		return UnknownT
	}
	for _, t := range args[0].Elems {
		if t.Kind != Scalar || (name == "fsum" && t.DType.IsComplex()) {
			c.errorf(e.P, diag.Type, "%s() of a tuple takes real numbers, not %s", full, t)
			return UnknownT
		}
	}
	if name == "fsum" {
		return Float
	}
	acc := Int
	if s, ok := kw["start"]; ok {
		acc = s
	}
	for _, t := range args[0].Elems {
		acc = c.binop("Mult", acc, t, e.P)
		if acc.IsUnknown() {
			return acc
		}
	}
	return acc
}

// cmathAttr types cmath.name; constants are folded.
func (c *checker) cmathAttr(e pyast.Expr, name string) *Type {
	switch name {
	case "pi", "e", "tau", "inf", "nan":
		c.info().Consts[e] = floatConst(e, numpyConst(name))
		return Float
	case "infj", "nanj":
		k := &pyast.Constant{Kind: pyast.ConstComplex, Imag: math.Inf(1)}
		if name == "nanj" {
			k.Imag = math.NaN()
		}
		k.P = e.Position()
		c.info().Consts[e] = k
		return WeakOf(Complex128)
	}
	if CmathFuncs[name] || CmathOther[name] {
		return &Type{Kind: Builtin, Name: "cmath." + name}
	}
	c.errorf(e.Position(), diag.Unsupported, "cmath.%s is not supported yet", name)
	return UnknownT
}

// cmathCall types a call of a cmath function.
func (c *checker) cmathCall(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	full := "cmath." + name
	allowed := []string{}
	if name == "isclose" {
		allowed = []string{"rel_tol", "abs_tol"}
	}
	if !c.noKeywords(e, full, kw, allowed...) {
		return UnknownT
	}
	lo, hi := 1, 1
	switch name {
	case "log":
		hi = 2
	case "rect", "isclose":
		lo, hi = 2, 2
	}
	if !c.wantArgs(e, full, args, lo, hi) {
		return UnknownT
	}
	for i, a := range args {
		if a.Kind != Scalar {
			c.errorf(e.Args[i].Position(), diag.Type, "%s() takes numbers, not %s; use NumPy for arrays", full, a)
			return UnknownT
		}
		if name == "rect" && a.DType.IsComplex() {
			c.errorf(e.Args[i].Position(), diag.Type, "cmath.rect() takes real numbers")
			return UnknownT
		}
	}
	switch name {
	case "phase":
		return Float
	case "polar":
		return TupleOf(Float, Float)
	case "isnan", "isinf", "isfinite", "isclose":
		return BoolT
	}
	return WeakOf(Complex128)
}

// BinopType is the type the checker gives op between l and r (nil-safe for
// lowering, which has no checker: errors were reported during inference).
func BinopType(op string, l, r *Type) *Type {
	c := &checker{seen: map[string]bool{}}
	return c.binop(op, l, r, pyast.Pos{})
}
