package types

// Python builtins, math and cmath functions: the typing of the library's
// Builtin, MathOther, CmathComplex and CmathOther rules.

import (
	"math"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

func isIntLike(t *Type) bool { return t.Kind == Scalar && t.DType.Kind() <= KInt }

// MergeKeywords appends keyword arguments to the positional ones of a
// builtin whose library entry names its Params, in parameter order; ok is
// false when a keyword does not name a parameter after the positional ones,
// or leaves a gap.
func MergeKeywords[T any](name string, args []T, kw map[string]T) ([]T, bool) {
	var params []string
	if ent := library.Callable("builtins", name); ent != nil {
		params = ent.Params
	}
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

// roundDigits types round(x, ndigits).
func (c *checker) roundDigits(e *pyast.Call, x, n *Type) *Type {
	if !isIntLike(n) {
		c.errorf(argPos(e, 1), diag.Type, "'%s' object cannot be interpreted as an integer", n)
		return UnknownT
	}
	switch {
	case isIntLike(x):
		return Int
	case x.Kind == Scalar && x.DType == Float64:
		return x
	}
	c.errorf(e.P, diag.Unsupported, "round() of a %s with ndigits is not supported", x).
		WithHint("round Python floats, float64 or integers; use np.round for arrays")
	return UnknownT
}

// powMod types pow(base, exp, mod).
func (c *checker) powMod(e *pyast.Call, args []*Type) *Type {
	for _, a := range args {
		if !isIntLike(a) {
			c.errorf(e.P, diag.Type, "pow() 3rd argument not allowed unless all arguments are integers")
			return UnknownT
		}
		if !(a.Weak || a.DType == Bool) {
			c.errorf(e.P, diag.Unsupported, "pow() with three arguments takes Python ints, not %s", a)
			return UnknownT
		}
	}
	return Int
}

// sumTuple types sum(tuple[, start]).
func (c *checker) sumTuple(e *pyast.Call, args []*Type) *Type {
	var acc *Type = Int
	if len(args) == 2 {
		acc = args[1]
	}
	for _, t := range args[0].Elems {
		acc = c.binop("Add", acc, t, e.P)
		if acc.IsUnknown() {
			return acc
		}
	}
	return acc
}

// minMaxTuple types min(tuple) and max(tuple).
func (c *checker) minMaxTuple(e *pyast.Call, name string, el []*Type) *Type {
	if len(el) == 0 {
		c.errorf(e.P, diag.Value, "%s() arg is an empty sequence", name)
		return UnknownT
	}
	t := el[0]
	for _, a := range el {
		if a.Kind != Scalar {
			c.errorf(e.P, diag.Type, "%s() of a tuple takes numbers, not %s", name, a)
			return UnknownT
		}
		t, _ = Join(t, a)
	}
	if t.DType.IsComplex() {
		c.errorf(e.P, diag.Type, "complex numbers are not ordered")
		return UnknownT
	}
	return t
}

// mathOther types a library.MathOther function by name, and hypot of
// other than two arguments.
func (c *checker) mathOther(e *pyast.Call, ent *library.Entry, args []*Type, kw map[string]*Type) *Type {
	name := ent.Short()
	full := "math." + name
	if !c.noKeywords(e, full, kw, ent.Keywords...) {
		return UnknownT
	}
	if name == "fsum" || name == "prod" {
		return c.tupleFold(e, name, args, kw)
	}
	if name == "dist" {
		for i, a := range args {
			if !c.realSeq(e.Args[i], full, a) {
				return UnknownT
			}
		}
		return Float
	}
	for k, t := range kw {
		if t.Kind != Scalar || t.DType.IsComplex() {
			c.errorf(e.P, diag.Type, "%s() argument %s must be a real number, not %s", full, k, t)
			return UnknownT
		}
	}
	for i, a := range args {
		if a.Kind != Scalar || a.DType.IsComplex() {
			c.errorf(e.Args[i].Position(), diag.Type, "%s() takes real numbers, not %s", full, a)
			return UnknownT
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
			return UnknownT
		}
		return BoolT
	case "gcd", "lcm":
		all := make([]int, len(args))
		for i := range all {
			all[i] = i
		}
		if !ints(all...) {
			return UnknownT
		}
		return Int
	case "factorial", "isqrt":
		if !count(1, 1) || !ints(0) {
			return UnknownT
		}
		return Int
	case "comb", "perm":
		lo := 2
		if name == "perm" {
			lo = 1
		}
		if !count(lo, 2) || !ints(0, 1) {
			return UnknownT
		}
		return Int
	case "ldexp":
		if !count(2, 2) || !ints(1) {
			return UnknownT
		}
		return Float
	case "frexp":
		if !count(1, 1) {
			return UnknownT
		}
		return TupleOf(Float, Int)
	case "modf":
		if !count(1, 1) {
			return UnknownT
		}
		return TupleOf(Float, Float)
	case "remainder", "nextafter":
		if !count(2, 2) {
			return UnknownT
		}
		return Float
	case "ulp":
		if !count(1, 1) {
			return UnknownT
		}
		return Float
	case "hypot":
		return Float
	}
	return UnknownT
}

// realSeq checks that a math function's argument is a sequence of real
// numbers: a tuple, a list, or a 1-D array.
func (c *checker) realSeq(at pyast.Expr, full string, t *Type) bool {
	var elem *Type
	switch {
	case t.Kind == List:
		elem = t.Elem()
	case t.Kind == Array && t.NDim == 1:
		elem = ScalarOf(t.DType)
	case t.Kind == Tuple:
		for _, x := range t.Elems {
			if x.Kind != Scalar || x.DType.IsComplex() {
				elem = x
				break
			}
			elem = x
		}
	}
	if elem == nil || elem.Kind != Scalar || elem.DType.IsComplex() {
		c.errorf(at.Position(), diag.Type, "%s() takes a tuple, a list or a 1-D array of real numbers, not %s", full, t)
		return false
	}
	return true
}

// tupleFold types math.fsum and math.prod of a tuple of numbers, and of a
// list or a 1-D array.
func (c *checker) tupleFold(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	full := "math." + name
	if len(args) != 1 {
		c.errorf(e.P, diag.Type, "%s() takes exactly one argument (%d given)", full, len(args))
		return UnknownT
	}
	if args[0].Kind != Tuple {
		if name == "fsum" {
			if !c.realSeq(e.Args[0], full, args[0]) {
				return UnknownT
			}
			return Float
		}
		var elem *Type
		switch {
		case args[0].Kind == List && args[0].Elem().Kind == Scalar:
			elem = args[0].Elem()
		case args[0].Kind == Array && args[0].NDim == 1:
			elem = ScalarOf(args[0].DType)
		default:
			c.errorf(e.Args[0].Position(), diag.Unsupported, "%s() takes a tuple, a list or a 1-D array of numbers here, not %s", full, args[0]).
				WithHint("multiply array elements with np.prod")
			return UnknownT
		}
		acc := Int
		if s, ok := kw["start"]; ok {
			acc = s
		}
		r := c.binop("Mult", acc, elem, e.P)
		if r.IsUnknown() {
			return r
		}
		j, ok := Join(acc, r)
		if !ok || j.Kind != Scalar {
			c.errorf(e.P, diag.Type, "%s(): the product's type changes (%s, then %s)", full, acc, r)
			return UnknownT
		}
		if elem.Weak && j.Weak {
			return j // Python numbers multiply to a Python number
		}
		return j.Strong()
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
	if library.Callable("cmath", name) != nil {
		return &Type{Kind: Builtin, Name: "cmath." + name}
	}
	c.errorf(e.Position(), diag.Unsupported, "cmath.%s is not supported yet", name)
	return UnknownT
}

// cmathCall types a call of a cmath function.
func (c *checker) cmathCall(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	full := "cmath." + name
	ent := library.Callable("cmath", name)
	if !c.noKeywords(e, full, kw, ent.Keywords...) {
		return UnknownT
	}
	if !c.wantArgs(e, full, args, ent.MinArgs, ent.MaxArgs) {
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
