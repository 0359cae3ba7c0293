package types

// numpy.random (library.Random): draws from NumPy's global RandomState,
// lowered in lower/random.go. Scalars come back as Python numbers, as
// NumPy returns them (a Python float, a Python int from randint); size=
// gives a C-ordered array of its rank.

import (
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
	full := "np.random." + name
	ent := library.Callable("numpy.random", name)
	if ent == nil {
		c.errorf(e.P, diag.Unsupported, "%s is not supported yet", full).
			WithHint("see docs/supported.md for the np.random functions sejit compiles")
		return UnknownT
	}
	result := Float
	if name == "randint" {
		result = Int
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
	if name == "randint" && bound[0] == nil {
		c.errorf(e.P, diag.Type, "%s() missing required argument 'low'", full)
		return UnknownT
	}
	ndim := 0
	for i, p := range ent.Params {
		t := bound[i]
		if t == nil || t.Kind == None {
			continue
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
		if name == "randint" {
			want = KInt
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
	if bound[len(bound)-1] == nil || bound[len(bound)-1].Kind == None {
		return result
	}
	d := Float64
	if name == "randint" {
		d = Int64
	}
	return ArrayOf(d, ndim, 'C')
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
