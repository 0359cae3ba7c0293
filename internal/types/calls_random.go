package types

// numpy.random (library.Random): draws from NumPy's global RandomState,
// lowered in lower/random.go. Scalars come back as Python numbers, as
// NumPy returns them (a Python float, a Python int from randint); size=
// gives a C-ordered array of its rank.

import (
	"slices"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// BindParams puts a call's positional and keyword arguments into the
// order of params (nil where an argument is left out); ok is false when a
// keyword is not among params or an argument is given twice.
func BindParams[T any](params []string, args []T, kw map[string]T) ([]T, string, bool) {
	out := make([]T, len(params))
	set := make([]bool, len(params))
	if len(args) > len(params) {
		return nil, "", false
	}
	for i, a := range args {
		out[i], set[i] = a, true
	}
	for k, v := range kw {
		i := -1
		for j, p := range params {
			if p == k {
				i = j
			}
		}
		if i < 0 || set[i] {
			return nil, k, false
		}
		out[i], set[i] = v, true
	}
	return out, "", true
}

// randomCall types np.random.name(...).
func (c *checker) randomCall(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	return c.drawCall(e, false, name, args, kw)
}

// drawCall types np.random.name(...), or the Generator method name when
// gen is set (calls_generator.go).
func (c *checker) drawCall(e *pyast.Call, gen bool, name string, args []*Type, kw map[string]*Type) *Type {
	full, module := "np.random."+name, "numpy.random"
	if gen {
		full, module = "Generator."+name, "numpy.random.Generator"
	}
	ent := library.Callable(module, name)
	if ent == nil {
		c.errorf(e.P, diag.Unsupported, "%s is not supported yet", full).
			WithHint("see docs/supported.md for the np.random functions sejit compiles")
		return UnknownT
	}
	result := Float
	if name == "randint" {
		result = Int
	}
	if name == "integers" {
		result = ScalarOf(Int64) // Generator.integers returns a NumPy int64
	}
	if name == "randint" || name == "integers" {
		// dtype=: a NumPy scalar of that dtype, or a Python int for int
		// (both methods give dtype(ret) back when dtype is int).
		if i := slices.Index(ent.Params, "dtype"); i >= 0 {
			var dt *Type
			if i < len(args) {
				dt = args[i]
			} else {
				dt = kw["dtype"]
			}
			if dt != nil && dt.Kind != None {
				d, ok := c.drawDType(sizeExpr(e, len(args), i), full, dt)
				if !ok {
					return UnknownT
				}
				result = ScalarOf(d)
				if dt.Kind == Builtin {
					result = Int
				}
			}
		}
	}
	if name == "rand" || name == "randn" {
		// rand(d0, d1, ...): the dimensions, no keywords.
		if !c.noKeywords(e, full, kw) {
			return UnknownT
		}
		for i, a := range args {
			if a.Kind != Scalar || a.DType.Kind() != KInt {
				c.errorf(e.Args[i].Position(), diag.Type, "%s() dimensions must be integers, not %s", full, a)
				return UnknownT
			}
		}
		if len(args) == 0 {
			return result
		}
		return ArrayOf(Float64, len(args), 'C')
	}
	bound, bad, ok := BindParams(ent.Params, args, kw)
	if !ok {
		if bad != "" {
			c.errorf(e.P, diag.Type, "%s() got an unexpected or repeated keyword argument '%s'", full, bad)
		} else {
			c.errorf(e.P, diag.Type, "%s() takes at most %d arguments (%d given)", full, len(ent.Params), len(args))
		}
		return UnknownT
	}
	for i := 0; i < ent.MinArgs; i++ {
		if bound[i] == nil {
			c.errorf(e.P, diag.Type, "%s() missing required argument '%s'", full, ent.Params[i])
			return UnknownT
		}
	}
	if gen && !c.generatorOptions(e, full, name, ent.Params, bound, len(args)) {
		return UnknownT
	}
	switch name {
	case "get_state", "set_state":
		return c.randomState(e, full, name, bound)
	case "seed", "shuffle", "permutation", "choice":
		return c.randomSequence(e, full, name, bound, len(args))
	case "poisson", "binomial":
		result = Int
	}
	ndim, arrayRank := 0, -1
	for i, p := range ent.Params {
		t := bound[i]
		if t == nil || t.Kind == None {
			continue
		}
		if p == "dtype" || p == "endpoint" {
			continue // above, and generatorOptions
		}
		if p == "size" {
			n, ok := c.shapeArg(sizeExpr(e, len(args), i), t)
			if !ok {
				return UnknownT
			}
			ndim = n
			if t.Kind == Scalar {
				ndim = 1
			}
			continue
		}
		want := KFloat
		if name == "randint" || name == "integers" || (name == "binomial" && p == "n") {
			want = KInt
		}
		if t.Kind == Array && broadcastParams[name] && t.DType.Kind() <= want && want == KInt && name != "binomial" && result.DType != Int64 {
			c.errorf(e.P, diag.Unsupported, "%s() with an array '%s' and dtype %s is not supported", full, p, result.DType).
				WithHint("pass numbers as the bounds, or leave dtype= out (int64) and convert with astype")
			return UnknownT
		}
		if t.Kind == Array && broadcastParams[name] && t.DType.Kind() <= want {
			// An array of parameters: one draw per element of the
			// broadcast shape (lower/random_broadcast.go).
			arrayRank = max(arrayRank, t.NDim)
			continue
		}
		if t.Kind != Scalar || t.DType.Kind() > want {
			what := "numbers"
			if want == KInt {
				what = "integers"
			}
			if t.Kind == Array {
				c.errorf(e.P, diag.Unsupported, "%s() with an array '%s' is not supported yet", full, p).
					WithHint("pass %s; draw arrays with size=", what)
			} else {
				c.errorf(e.P, diag.Type, "%s() argument '%s' must be one of the %s, not %s", full, p, what, t)
			}
			return UnknownT
		}
	}
	d := Float64
	if result.DType.Kind() == KInt {
		d = result.DType
	}
	if sz := bound[slices.Index(ent.Params, "size")]; sz == nil || sz.Kind == None {
		if arrayRank >= 0 {
			return ArrayOf(d, arrayRank, 'C')
		}
		return result
	}
	return ArrayOf(d, ndim, 'C')
}

// RandomStateClass is the record np.random.get_state() gives compiled
// code: MT19937's words (key), its position, and RandomState's cached
// Gaussian. It stays opaque: set_state takes it back, nothing else reads it.
const RandomStateClass = "sejit:random-state"

// RandomStateT is the type of that record.
var RandomStateT = ObjectOf(RandomStateClass, []string{"key", "pos", "has_gauss", "gauss"},
	[]*Type{ArrayOf(Uint32, 1, 'C'), ScalarOf(Int64), ScalarOf(Int64), ScalarOf(Float64)}, nil)

// randomState types get_state() and set_state(s).
func (c *checker) randomState(e *pyast.Call, full, name string, bound []*Type) *Type {
	if name == "get_state" {
		if len(e.Args) > 0 || len(e.Keywords) > 0 {
			c.errorf(e.P, diag.Unsupported, "%s() with arguments is not supported", full).
				WithHint("call get_state() for the legacy state tuple's contents")
			return UnknownT
		}
		return RandomStateT
	}
	if s := bound[0]; s == nil || s.Class != RandomStateClass {
		c.errorf(e.P, diag.Unsupported, "%s() of a %s is not supported", full, s).
			WithHint("compiled code sets states it got from np.random.get_state(); set states from Python in Python")
		return UnknownT
	}
	return NoneT
}

// drawDType reads the dtype= of randint and Generator.integers: int, or
// one of NumPy's integer dtypes (bool, which NumPy draws bit by bit, is
// refused).
func (c *checker) drawDType(at pyast.Expr, full string, t *Type) (DType, bool) {
	d, ok := dtypeArg(t)
	if !ok || d.Kind() != KInt {
		c.errorf(at.Position(), diag.Unsupported, "%s() with dtype %s is not supported", full, t).
			WithHint("pass int or one of NumPy's integer dtypes, np.int8 to np.uint64")
		return 0, false
	}
	return d, true
}

// broadcastParams lists the functions whose parameters may be arrays,
// broadcast against each other (and size=) as NumPy's cont and disc
// broadcast them.
var broadcastParams = map[string]bool{"normal": true, "uniform": true, "exponential": true, "poisson": true,
	"binomial": true, "gamma": true, "standard_gamma": true, "beta": true, "randint": true, "integers": true}

// randomSequence types seed, shuffle, permutation and choice.
func (c *checker) randomSequence(e *pyast.Call, full, name string, bound []*Type, npos int) *Type {
	at := func(i int) pyast.Expr { return sizeExpr(e, npos, i) }
	isInt := func(t *Type) bool { return t != nil && t.Kind == Scalar && t.DType.Kind() <= KInt }
	x := bound[0]
	switch name {
	case "seed":
		if x == nil || x.Kind == None {
			return NoneT // fresh entropy (lower/random.go)
		}
		if !isInt(x) {
			c.errorf(at(0).Position(), diag.Unsupported, "%s() with %s is not supported; pass an int", full, x)
			return UnknownT
		}
		return NoneT
	case "shuffle":
		if x.Kind != Array {
			c.errorf(at(0).Position(), diag.Type, "%s() needs an array, not %s", full, x)
			return UnknownT
		}
		return NoneT
	case "permutation":
		if isInt(x) {
			return ArrayOf(Int64, 1, 'C')
		}
		if x.Kind != Array {
			c.errorf(at(0).Position(), diag.Type, "%s() needs an int or an array, not %s", full, x)
			return UnknownT
		}
		if x.NDim == 0 {
			c.errorf(at(0).Position(), diag.Type, "%s(): x must be an integer or at least 1-dimensional", full)
			return UnknownT
		}
		return ArrayOf(x.DType, x.NDim, 'C')
	}
	// choice(a, size=None, replace=True, p=None)
	elem := Int
	switch {
	case isInt(x):
	case x.Kind == Array && x.NDim == 1:
		elem = ScalarOf(x.DType)
	case x.Kind == Array:
		c.errorf(at(0).Position(), diag.Type, "%s(): a must be 1-dimensional", full)
		return UnknownT
	default:
		c.errorf(at(0).Position(), diag.Type, "%s(): a must be 1-dimensional or an integer, not %s", full, x)
		return UnknownT
	}
	if r := bound[2]; r != nil && !(r.Kind == Scalar && r.DType.Kind() == KBool) {
		c.errorf(at(2).Position(), diag.Type, "%s() argument 'replace' must be a bool, not %s", full, r)
		return UnknownT
	}
	if p := bound[3]; p != nil && p.Kind != None {
		if p.Kind != Array || p.DType.Kind() > KFloat {
			c.errorf(at(3).Position(), diag.Type, "%s() argument 'p' must be an array of probabilities, not %s", full, p)
			return UnknownT
		}
		if p.NDim != 1 {
			c.errorf(at(3).Position(), diag.Type, "%s(): 'p' must be 1-dimensional", full)
			return UnknownT
		}
	}
	size := bound[1]
	if size == nil || size.Kind == None {
		return elem
	}
	n, ok := c.shapeArg(at(1), size)
	if !ok {
		return UnknownT
	}
	if size.Kind == Scalar {
		n = 1
	}
	return ArrayOf(elem.DType, n, 'C')
}

// sizeExpr is the expression of the i-th bound argument, for positions.
func sizeExpr(e *pyast.Call, npos, i int) pyast.Expr {
	if i < npos {
		return e.Args[i]
	}
	for _, k := range e.Keywords {
		if k.Name == "size" {
			return k.Value
		}
	}
	return e
}
