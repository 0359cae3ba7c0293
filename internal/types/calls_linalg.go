package types

// numpy.linalg (library.Linalg): solve, inv, det, slogdet, cholesky, eigh,
// eigvalsh, eig, eigvals, svd, qr, pinv, matrix_rank and cond through the
// target's LAPACK (lower/linalg.go), and norm. All but lstsq,
// matrix_power, multi_dot and norm also take stacks of matrices
// (..., M, N), one LAPACK call per matrix.
// Integer and bool inputs compute in float64 as NumPy's do, float32 in
// float32; complex64 and complex128 in themselves for all but
// matrix_rank, cond and matrix_power (which refuse them).
//
// eig and eigvals of a real matrix are always complex (complex128, or
// complex64 for float32): NumPy returns a real array when every
// eigenvalue happens to be real, a fact known only at run time, and a
// compiled function's types are fixed before it runs.

import (
	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// LinalgDType is the dtype np.linalg computes an array of dtype d in.
func LinalgDType(d DType) (DType, bool) {
	switch {
	case d == Float32, d == Complex64, d == Complex128:
		return d, true
	}
	return Float64, true
}

// LinalgReal is the real dtype of np.linalg's computing dtype d (the
// dtype of a complex matrix's eigenvalues, singular values and log-determinant).
func LinalgReal(d DType) DType {
	if d == Float32 || d == Complex64 {
		return Float32
	}
	return Float64
}

// linalgComplexOK are the functions that compile for complex matrices.
var linalgComplexOK = map[string]bool{"solve": true, "inv": true, "det": true, "slogdet": true, "cholesky": true,
	"eigh": true, "eigvalsh": true, "svd": true, "qr": true, "eig": true, "eigvals": true, "pinv": true,
	"lstsq": true, "norm": true}

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

// LinalgArg is argument pos of a linalg call, or its keyword name; nil
// when absent.
func LinalgArg(e *pyast.Call, pos int, name string) pyast.Expr {
	if len(e.Args) > pos {
		return e.Args[pos]
	}
	for _, k := range e.Keywords {
		if k.Name == name {
			return k.Value
		}
	}
	return nil
}

// LinalgFlag reads a constant bool argument (svd's full_matrices and
// compute_uv), def when absent; ok is false when it is not a constant.
func LinalgFlag(e *pyast.Call, pos int, name string, def bool) (v, ok bool) {
	x := LinalgArg(e, pos, name)
	if x == nil {
		return def, true
	}
	if k, isC := x.(*pyast.Constant); isC && k.Kind == pyast.ConstBool {
		return k.Bool, true
	}
	if n, isN := constIndex(x); isN {
		return n != 0, true
	}
	return false, false
}

// LinalgQRMode reads qr's mode: 0 'reduced', 1 'complete', 2 'r'; ok is
// false for another one ('raw') or one that is not a constant string.
func LinalgQRMode(e *pyast.Call) (int, bool) {
	x := LinalgArg(e, 1, "mode")
	if x == nil {
		return 0, true
	}
	if k, isC := x.(*pyast.Constant); isC && k.Kind == pyast.ConstStr {
		switch k.Str {
		case "reduced":
			return 0, true
		case "complete":
			return 1, true
		case "r":
			return 2, true
		}
	}
	return 0, false
}

// LinalgCondP reads cond's p: 0 None or 2, 1 -2, 2 'fro', 3 1, 4 -1, 5 inf,
// 6 -inf (the codes of the C helper); ok is false for 'nuc' or a p that is
// not a constant.
func LinalgCondP(e *pyast.Call) (int, bool) {
	code, ok := matrixOrd(LinalgArg(e, 1, "p"), 0)
	return code, ok && code != 7
}

// LinalgMatrixOrd reads norm's ord for a matrix in the same codes, with 7
// for 'nuc' and -1 for an absent or None ord (the Frobenius norm, which
// norm computes as it does a vector's 2-norm).
func LinalgMatrixOrd(e *pyast.Call) (int, bool) {
	return matrixOrd(LinalgArg(e, 1, "ord"), -1)
}

func matrixOrd(x pyast.Expr, none int) (int, bool) {
	if x == nil {
		return none, true
	}
	if k, isC := x.(*pyast.Constant); isC {
		switch {
		case k.Kind == pyast.ConstNone:
			return none, true
		case k.Kind == pyast.ConstStr && k.Str == "fro":
			return 2, true
		case k.Kind == pyast.ConstStr && k.Str == "nuc":
			return 7, true
		}
		if k.Kind == pyast.ConstStr {
			return 0, false
		}
	}
	if n, isN := constIndex(x); isN {
		switch n {
		case 2:
			return 0, true
		case -2:
			return 1, true
		case 1:
			return 3, true
		case -1:
			return 4, true
		}
		return 0, false
	}
	if a, isA := x.(*pyast.Attribute); isA && a.Attr == "inf" {
		return 5, true
	}
	if u, isU := x.(*pyast.UnaryOp); isU && u.Op == "USub" {
		if a, isA := u.Operand.(*pyast.Attribute); isA && a.Attr == "inf" {
			return 6, true
		}
	}
	return 0, false
}

// linalgStacks are the functions that take stacks of matrices (..., M, N),
// looping over the leading axes (lower/linalg.go's linalgBatch).
var linalgStacks = map[string]bool{"solve": true, "inv": true, "det": true, "slogdet": true, "cholesky": true,
	"eigh": true, "eigvalsh": true, "svd": true, "qr": true, "eig": true, "eigvals": true, "pinv": true,
	"matrix_rank": true, "cond": true}

// linalgComplex is the dtype of eig's results for a real computing dtype.
func linalgComplex(d DType) DType {
	if d.IsComplex() {
		return d
	}
	if d == Float32 {
		return Complex64
	}
	return Complex128
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
	if name == "norm" && (kw["axis"] != nil || kw["keepdims"] != nil) {
		return c.normAxis(e, full, args[0])
	}
	// the array operands: matrices, or for solve's b and norm's x also vectors
	nArr := 1
	if name == "solve" || name == "lstsq" {
		nArr = 2
	}
	d := Float32
	for i := 0; i < nArr; i++ {
		t := args[i]
		if t.Kind != Array {
			c.errorf(e.Args[i].Position(), diag.Unsupported, "%s() of a %s is not supported; pass an array", full, t)
			return UnknownT
		}
		ld, _ := LinalgDType(t.DType)
		if ld.IsComplex() && !linalgComplexOK[name] {
			c.errorf(e.Args[i].Position(), diag.Unsupported, "%s() of a %s array is not supported yet", full, t.DType).
				WithHint("np.linalg compiles complex matrices for all but matrix_rank, cond and matrix_power")
			return UnknownT
		}
		d = Promote(d, ld)
		lo, hi := 2, 2
		if name == "norm" || i == 1 {
			lo = 1
		}
		if linalgStacks[name] {
			hi = 8 // the ABI's SEJIT_MAXDIM
		}
		if name == "solve" && i == 1 && t.NDim != args[0].NDim && (args[0].NDim > 2 || t.NDim > 2) {
			c.errorf(e.Args[i].Position(), diag.Unsupported, "%s() with a stack of matrices needs b with the same "+
				"number of dimensions as a (%d); got %d", full, args[0].NDim, t.NDim).
				WithHint("give b a trailing axis of length 1 (b[..., None]), or a the stack's leading axes")
			return UnknownT
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
	nd := a.NDim
	// stacked results: a scalar per matrix is an array over the leading axes
	stack := func(t *Type) *Type {
		if nd == 2 {
			return t
		}
		return ArrayOf(t.DType, nd-2, 'C')
	}
	switch name {
	case "solve":
		return ArrayOf(d, args[1].NDim, 'C')
	case "inv", "cholesky":
		return ArrayOf(d, nd, 'C')
	case "det":
		return stack(ScalarOf(d))
	case "slogdet":
		return TupleOf(stack(ScalarOf(d)), stack(ScalarOf(LinalgReal(d))))
	case "eigvalsh":
		return ArrayOf(LinalgReal(d), nd-1, 'C')
	case "eigh":
		return TupleOf(ArrayOf(LinalgReal(d), nd-1, 'C'), ArrayOf(d, nd, 'C'))
	case "eigvals":
		return ArrayOf(linalgComplex(d), nd-1, 'C')
	case "eig":
		return TupleOf(ArrayOf(linalgComplex(d), nd-1, 'C'), ArrayOf(linalgComplex(d), nd, 'C'))
	case "svd":
		_, ok1 := LinalgFlag(e, 1, "full_matrices", true)
		uv, ok2 := LinalgFlag(e, 2, "compute_uv", true)
		if !ok1 || !ok2 {
			c.errorf(e.P, diag.Unsupported, "%s() with a full_matrices or compute_uv that is not a constant is "+
				"not supported", full).WithHint("write True or False")
			return UnknownT
		}
		if !uv {
			return ArrayOf(LinalgReal(d), nd-1, 'C')
		}
		return TupleOf(ArrayOf(d, nd, 'C'), ArrayOf(LinalgReal(d), nd-1, 'C'), ArrayOf(d, nd, 'C'))
	case "qr":
		mode, ok := LinalgQRMode(e)
		if !ok {
			c.errorf(e.P, diag.Unsupported, "%s() with this mode is not supported", full).
				WithHint("mode='reduced', 'complete' or 'r', as a constant string")
			return UnknownT
		}
		if mode == 2 {
			return ArrayOf(d, nd, 'C')
		}
		return TupleOf(ArrayOf(d, nd, 'C'), ArrayOf(d, nd, 'C'))
	case "pinv", "matrix_rank":
		if x := LinalgArg(e, 1, map[string]string{"pinv": "rcond", "matrix_rank": "tol"}[name]); x != nil {
			t := kw[map[string]string{"pinv": "rcond", "matrix_rank": "tol"}[name]]
			if len(args) > 1 {
				t = args[1]
			}
			isNone := t != nil && t.Kind == None
			if t == nil || !isNone && (t.Kind != Scalar || t.DType.IsComplex()) {
				c.errorf(x.Position(), diag.Unsupported, "%s() takes a real scalar or None here", full)
				return UnknownT
			}
		}
		if name == "pinv" {
			return ArrayOf(d, nd, 'C')
		}
		return stack(ScalarOf(Int64))
	case "matrix_power":
		if t := args[1]; t.Kind != Scalar || !t.DType.IsInt() && t.DType != Bool {
			c.errorf(e.Args[1].Position(), diag.Type, "exponent must be an integer")
			return UnknownT
		}
		if k := args[0].DType; k != Float32 && k != Float64 {
			c.errorf(e.Args[0].Position(), diag.Unsupported, "%s() of a %s array is not supported yet", full, k).
				WithHint("np.linalg.matrix_power compiles for float32 and float64 matrices")
			return UnknownT
		}
		return ArrayOf(d, 2, 'C')
	case "lstsq":
		if x := LinalgArg(e, 2, "rcond"); x != nil {
			t := kw["rcond"]
			if len(args) > 2 {
				t = args[2]
			}
			if t == nil || t.Kind != None && (t.Kind != Scalar || t.DType.IsComplex()) {
				c.errorf(x.Position(), diag.Unsupported, "%s() takes a real scalar or None as rcond", full)
				return UnknownT
			}
		}
		rd := LinalgReal(d)
		return TupleOf(ArrayOf(d, args[1].NDim, 'C'), ArrayOf(rd, 1, 'C'), ScalarOf(Int32), ArrayOf(rd, 1, 'C'))
	case "cond":
		if _, ok := LinalgCondP(e); !ok {
			c.errorf(e.P, diag.Unsupported, "%s() with this p is not supported", full).
				WithHint("p=None, 2, -2, 'fro', 1, -1, np.inf or -np.inf, as a constant")
			return UnknownT
		}
		return stack(ScalarOf(d))
	}
	// norm
	if a.NDim == 2 {
		code, ok := LinalgMatrixOrd(e)
		if !ok || code >= 0 && d.IsComplex() {
			c.errorf(e.P, diag.Unsupported, "%s() with this ord is not supported for a matrix", full).
				WithHint("ord=None, 'fro', 'nuc', 2, -2, 1, -1, np.inf or -np.inf (a complex matrix: None)")
			return UnknownT
		}
		return ScalarOf(LinalgReal(d))
	}
	if _, ok := LinalgNormOrd(e); !ok {
		c.errorf(e.P, diag.Unsupported, "%s() with this ord is not supported yet", full).
			WithHint("ord=None, 2, 1, 0, np.inf or -np.inf for vectors")
		return UnknownT
	}
	return ScalarOf(LinalgReal(d))
}

// MultiDotItems are the arrays of np.linalg.multi_dot's literal list or
// tuple argument, or nil.
func MultiDotItems(e *pyast.Call) []pyast.Expr {
	if len(e.Args) != 1 {
		return nil
	}
	switch l := e.Args[0].(type) {
	case *pyast.List:
		return l.Elts
	case *pyast.Tuple:
		return l.Elts
	}
	return nil
}

// MatmulResult is the type of a @ b for 1-D or 2-D a and b of dtypes that
// have been checked (multi_dot's partial products).
func MatmulResult(a, b *Type) *Type {
	d := PromoteOperands(a, b)
	nd := a.NDim - 1 + b.NDim - 1
	if nd == 0 {
		return ScalarOf(d)
	}
	return ArrayOf(d, nd, 'C')
}

// multiDot types np.linalg.multi_dot([a, b, ...]): a literal list or tuple
// of at least two arrays, 2-D but for the first and the last, which may
// be 1-D (a row and a column vector) as NumPy's; the products are taken
// left to right (lower/linalg.go), where NumPy picks the cheapest order
// for three or more: the same result up to rounding.
func (c *checker) multiDot(e *pyast.Call) *Type {
	items := MultiDotItems(e)
	if len(e.Keywords) > 0 || items == nil {
		c.errorf(e.P, diag.Unsupported, "np.linalg.multi_dot() takes one literal list or tuple of arrays here").
			WithHint("write np.linalg.multi_dot([a, b, c]); out= is not supported")
		return UnknownT
	}
	if len(items) < 2 {
		c.errorf(e.P, diag.Value, "Expecting at least two arrays.")
		return UnknownT
	}
	var acc *Type
	for i, x := range items {
		t := c.expr(x)
		if t.IsUnknown() {
			return UnknownT
		}
		if t.Kind != Array || !t.IsNumeric() {
			c.errorf(x.Position(), diag.Unsupported, "np.linalg.multi_dot() of a %s is not supported; pass arrays", t)
			return UnknownT
		}
		lo := 2
		if i == 0 || i == len(items)-1 {
			lo = 1
		}
		if t.NDim < lo || t.NDim > 2 {
			c.errorf(x.Position(), diag.Type, "%d-dimensional array given. Array must be two-dimensional", t.NDim)
			return UnknownT
		}
		if acc == nil {
			acc = t
			continue
		}
		acc = MatmulResult(acc, t)
	}
	return acc
}

// normAxis types np.linalg.norm(x, ord, axis=k, keepdims=) with one integer
// axis: the vector norm of each 1-D slice along that axis, a reduction
// recorded in Info.Reduce and lowered by lower.reduceAxis. Real arrays only;
// no axis (the whole array) with keepdims, and no pair of axes (matrix norms).
func (c *checker) normAxis(e *pyast.Call, full string, x *Type) *Type {
	var axisExpr, keepExpr pyast.Expr
	for _, k := range e.Keywords {
		switch k.Name {
		case "axis":
			axisExpr = k.Value
		case "keepdims":
			keepExpr = k.Value
		}
	}
	if x.Kind != Array || x.NDim < 1 {
		c.errorf(e.Args[0].Position(), diag.Unsupported, "%s(axis=...) of a %s is not supported; pass an array", full, x)
		return UnknownT
	}
	d, _ := LinalgDType(x.DType)
	if d.IsComplex() {
		c.errorf(e.P, diag.Unsupported, "%s(axis=...) of a complex array is not supported yet", full)
		return UnknownT
	}
	if axisExpr == nil {
		c.errorf(e.P, diag.Unsupported, "%s(keepdims=...) without axis= is not supported yet", full).
			WithHint("give the axis (axis=1)")
		return UnknownT
	}
	if t, ok := axisExpr.(*pyast.Tuple); ok && len(t.Elts) != 1 {
		c.errorf(axisExpr.Position(), diag.Unsupported, "%s() over a pair of axes (a matrix norm) is not supported yet",
			full).WithHint("one integer axis")
		return UnknownT
	}
	axes, ok := c.constAxes(axisExpr, x.NDim, full)
	if !ok {
		return UnknownT
	}
	ra := &ReduceArgs{Axes: axes}
	if keepExpr != nil {
		k, ok := keepExpr.(*pyast.Constant)
		if !ok || k.Kind != pyast.ConstBool {
			c.errorf(keepExpr.Position(), diag.Unsupported, "keepdims= must be the constant True or False")
			return UnknownT
		}
		ra.KeepDims = k.Bool
	}
	if _, ok := LinalgNormOrd(e); !ok {
		c.errorf(e.P, diag.Unsupported, "%s() with this ord is not supported yet", full).
			WithHint("ord=None, 2, 1, 0, np.inf or -np.inf along an axis")
		return UnknownT
	}
	if c.info().Reduce == nil {
		c.info().Reduce = map[*pyast.Call]*ReduceArgs{}
	}
	c.info().Reduce[e] = ra
	nd := x.NDim - 1
	if ra.KeepDims {
		nd = x.NDim
	}
	if nd == 0 {
		return ScalarOf(d)
	}
	return ArrayOf(d, nd, 'C')
}
