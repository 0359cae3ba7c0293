package types

// numpy.linalg (library.Linalg): solve, inv, det, cholesky, eigh, eigvalsh
// through the target's LAPACK (lower/linalg.go), and norm. Matrices are
// 2-D (stacks of them are refused here); integer and bool inputs compute in
// float64 as NumPy's do, float32 in float32; complex ones are refused.

import (
	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// LinalgDType is the dtype np.linalg computes an array of dtype d in.
func LinalgDType(d DType) (DType, bool) {
	switch {
	case d == Float32:
		return Float32, true
	case d.IsComplex():
		return 0, false
	}
	return Float64, true
}

// LinalgNormOrd reads norm's ord (its second argument, or the keyword): 0 the 2-norm (ord None or 2), 1 ord=1, 2 inf, 3 -inf, 4 ord=0;
// ok is false for an ord this compiler does not know.
func LinalgNormOrd(e *pyast.Call) (int, bool) {
	var ord pyast.Expr
	if len(e.Args) > 1 {
		ord = e.Args[1]
	}
	for _, k := range e.Keywords {
		if k.Name == "ord" {
			ord = k.Value
		}
	}
	if ord == nil {
		return 0, true
	}
	if k, ok := ord.(*pyast.Constant); ok && k.Kind == pyast.ConstNone {
		return 0, true
	}
	if n, ok := constIndex(ord); ok {
		switch n {
		case 2:
			return 0, true
		case 1:
			return 1, true
		case 0:
			return 4, true
		}
		return 0, false
	}
	isInf := func(x pyast.Expr) bool {
		a, ok := x.(*pyast.Attribute)
		return ok && a.Attr == "inf"
	}
	if isInf(ord) {
		return 2, true
	}
	if u, ok := ord.(*pyast.UnaryOp); ok && u.Op == "USub" && isInf(u.Operand) {
		return 3, true
	}
	return 0, false
}

// linalgCall types np.linalg.name(...).
func (c *checker) linalgCall(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	full := "np.linalg." + name
	ent := library.Callable("numpy.linalg", name)
	if ent == nil {
		c.errorf(e.P, diag.Unsupported, "%s is not supported yet", full).
			WithHint("see docs/supported.md for the np.linalg functions sejit compiles")
		return UnknownT
	}
	if len(args) < ent.MinArgs || len(args) > ent.MaxArgs {
		c.errorf(e.P, diag.Type, "%s() takes %d to %d positional arguments (%d given)", full, ent.MinArgs,
			ent.MaxArgs, len(args))
		return UnknownT
	}
	for k := range kw {
		known := false
		for _, w := range ent.Keywords {
			known = known || w == k
		}
		if !known {
			c.errorf(e.P, diag.Unsupported, "%s(%s=...) is not supported yet", full, k)
			return UnknownT
		}
	}
	// the array operands: matrices, or for solve's b and norm's x also vectors
	nArr := 1
	if name == "solve" {
		nArr = 2
	}
	d := Float32
	for i := 0; i < nArr; i++ {
		t := args[i]
		if t.Kind != Array {
			c.errorf(e.Args[i].Position(), diag.Unsupported, "%s() of a %s is not supported; pass an array", full, t)
			return UnknownT
		}
		ld, ok := LinalgDType(t.DType)
		if !ok {
			c.errorf(e.Args[i].Position(), diag.Unsupported, "%s() of a %s array is not supported yet", full, t.DType).
				WithHint("np.linalg compiles for real (float32, float64 or integer) arrays")
			return UnknownT
		}
		if ld == Float64 {
			d = Float64
		}
		lo, hi := 2, 2
		if name == "norm" || i == 1 {
			lo = 1
		}
		if t.NDim < lo || t.NDim > hi {
			if t.NDim > hi {
				c.errorf(e.Args[i].Position(), diag.Unsupported, "%s() of a stack of matrices (%d-D array) is not "+
					"supported yet", full, t.NDim).WithHint("loop over the matrices, or call it outside the compiled function")
			} else {
				c.errorf(e.Args[i].Position(), diag.Type, "%d-dimensional array given. Array must be at least "+
					"two-dimensional", t.NDim)
			}
			return UnknownT
		}
	}
	a := args[0]
	switch name {
	case "solve":
		return ArrayOf(d, args[1].NDim, 'C')
	case "inv", "cholesky":
		return ArrayOf(d, 2, 'C')
	case "det":
		return ScalarOf(d)
	case "eigvalsh":
		return ArrayOf(d, 1, 'C')
	case "eigh":
		return TupleOf(ArrayOf(d, 1, 'C'), ArrayOf(d, 2, 'C'))
	}
	// norm
	code, ok := LinalgNormOrd(e)
	if !ok || a.NDim == 2 && code != 0 {
		c.errorf(e.P, diag.Unsupported, "%s() with this ord is not supported yet", full).
			WithHint("ord=None, 2, 1, 0, np.inf or -np.inf for vectors; the Frobenius norm (ord=None) for matrices")
		return UnknownT
	}
	return ScalarOf(d)
}
