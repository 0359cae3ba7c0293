package lower

// Matrix products through NumPy's BLAS (docs/design.md, "Matrix
// products"). A 2-D product of float or complex operands calls the
// prelude's sejit_gemm_* helper, which computes C = alpha A B + beta C with
// one CBLAS ?gemm call (the helper ir.HelperGemm) when the runtime found a BLAS (ctx->blas), the
// product is large enough and the operands' strides suit BLAS; it reports
// whether it did, and the loop nest lowering wrote before runs otherwise.
// One compiled kernel so serves every size, layout and runtime.
//
// Statements of the forms
//
//	C[:] = A @ B                 C[:] = alpha * A @ B      C[:] = alpha * (A @ B)
//	C[:] = alpha * A @ B + beta * C                         C += A @ B, C -= A @ B
//
// (A and B names or their .T, alpha and beta names or constants, every
// operand of C's dtype) write into C with one call and no temporary: the
// epilogue is BLAS's alpha and beta. Their fallback is the statement
// lowered as usual. BLAS scales A B by alpha where Python computes
// (alpha * A) @ B: the same value up to rounding, as BLAS's own summation
// order already differs from the loop nest's.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// blasDType reports the dtypes BLAS's ?gemm computes in.
func blasDType(d types.DType) bool {
	return d == types.Float32 || d == types.Float64 || d == types.Complex64 || d == types.Complex128
}

// gemm emits the helper call for C = alpha A B + beta C (keep: the
// statement reads C, so a zero beta must not drop C's NaNs) and returns
// the condition under which the caller's loop nest must run instead.
func (f *fn) gemm(A, B, C *ir.Var, alpha, beta ir.Expr, keep bool) ir.Expr {
	d := C.Type.DType
	var k int64
	if keep {
		k = 1
	}
	done := f.externCall(ir.HelperGemm,
		[]ir.Expr{aref(A), aref(B), aref(C), conv(alpha, d), conv(beta, d), ir.IntConst(k)}, i64T)
	return cmpE(ir.Eq, &ir.Ref{Var: done[0]}, ir.IntConst(0))
}

// gemv emits the helper call for y = A x (y = A^T x when trans) and
// returns the condition under which the caller's loop nest must run.
func (f *fn) gemv(A, x, y *ir.Var, trans bool) ir.Expr {
	var t int64
	if trans {
		t = 1
	}
	done := f.externCall(ir.HelperGemv, []ir.Expr{aref(A), aref(x), aref(y), ir.IntConst(t)}, i64T)
	return cmpE(ir.Eq, &ir.Ref{Var: done[0]}, ir.IntConst(0))
}

// blasDot sets acc to the dot product of the 1-D A and B (conj: with A
// conjugated, np.vdot) through BLAS's ?dot, or runs loop, which computes
// it into acc, where BLAS does not take it.
func (f *fn) blasDot(A, B *ir.Var, conj bool, acc *ir.Var, loop func()) {
	var c int64
	if conj {
		c = 1
	}
	// A C-ordered parameter's stride is the constant 1 in the loop, which
	// GCC vectorises; any other vector's (a view: a row slice L[i, :i])
	// is known only at run time, and BLAS takes it from fewer elements.
	static := func(v *ir.Var) bool { return v.Param >= 0 && v.Type.Layout == 'C' }
	if !static(A) || !static(B) {
		c |= 2
	}
	res := f.externCall(ir.HelperDot, []ir.Expr{aref(A), aref(B), ir.IntConst(c)}, i64T, acc.Type)
	f.emit(&ir.If{Cond: cmpE(ir.Eq, &ir.Ref{Var: res[0]}, ir.IntConst(0)), Then: f.sub(loop),
		Else: []ir.Stmt{&ir.Assign{Dst: acc, Src: &ir.Ref{Var: res[1]}}}})
}

// gemmStmt lowers a statement of the fused forms above and reports
// whether it did; it hands the statement back to stmt (gemmSelf) for the
// fallback branch.
func (f *fn) gemmStmt(s pyast.Stmt) bool {
	if f.gemmSelf == s {
		f.gemmSelf = nil
		return false
	}
	var target, value pyast.Expr
	aug := ""
	switch s := s.(type) {
	case *pyast.Assign:
		if len(s.Targets) != 1 {
			return false
		}
		target, value = s.Targets[0], s.Value
	case *pyast.AugAssign:
		if s.Op != "Add" && s.Op != "Sub" {
			return false
		}
		target, value, aug = s.Target, s.Value, s.Op
		if t := f.info.Aug[s]; t == nil || t.Kind != types.Array {
			return false
		}
	default:
		return false
	}
	var cname *pyast.Name
	switch t := target.(type) {
	case *pyast.Name:
		if aug == "" {
			return false
		}
		cname = t
	case *pyast.Subscript:
		n, ok := t.Value.(*pyast.Name)
		if !ok || !fullSlices(indexItems(t.Index)) || types.IndexArrayKind(f.info, t) != "" {
			return false
		}
		cname = n
	default:
		return false
	}
	ct := f.typeOf(cname)
	if ct == nil || ct.Kind != types.Array || ct.NDim != 2 || !blasDType(ct.DType) {
		return false
	}
	d := ct.DType
	if vt := f.typeOf(value); vt == nil || vt.Kind != types.Array || vt.NDim != 2 || vt.DType != d {
		return false
	}
	prod, betaE, keep := value, pyast.Expr(nil), aug != ""
	if b, ok := value.(*pyast.BinOp); ok && b.Op == "Add" && aug == "" {
		if be, ok := f.cTerm(b.Right, cname.ID, d); ok {
			prod, betaE, keep = b.Left, be, true
		}
	}
	alphaE, a, b, ok := f.productTerm(prod, d)
	if !ok {
		return false
	}
	// Operands: arrays (views of names need no statements with effects).
	A, B, C := f.materialize(f.expr(a)), f.materialize(f.expr(b)), f.materialize(f.expr(cname))
	alpha, beta := ir.Expr(oneOf(d)), ir.Expr(zeroOf(d))
	if alphaE != nil {
		alpha = f.stableExpr(conv(f.expr(alphaE).s, d))
	}
	if aug == "Sub" {
		alpha = f.stableExpr(&ir.Unary{Op: ir.Neg, X: alpha, T: types.ScalarOf(d)})
	}
	switch {
	case betaE != nil:
		beta = f.stableExpr(conv(f.expr(betaE).s, d))
	case keep:
		beta = oneOf(d)
	}
	cond := f.gemm(A, B, C, alpha, beta, keep)
	f.gemmSelf = s
	f.emit(&ir.If{Cond: cond, Then: f.sub(func() { f.stmt(s) })})
	return true
}

// cTerm matches C, beta * C or C * beta (C the target's name) and returns
// beta (nil for 1).
func (f *fn) cTerm(e pyast.Expr, c string, d types.DType) (pyast.Expr, bool) {
	if n, ok := e.(*pyast.Name); ok && n.ID == c {
		return nil, true
	}
	b, ok := e.(*pyast.BinOp)
	if !ok || b.Op != "Mult" {
		return nil, false
	}
	for _, p := range [][2]pyast.Expr{{b.Left, b.Right}, {b.Right, b.Left}} {
		if n, ok := p[1].(*pyast.Name); ok && n.ID == c && f.simpleScalar(p[0]) && f.arrayOf(b, d, 2) {
			return p[0], true
		}
	}
	return nil, false
}

// productTerm matches A @ B, alpha * A @ B ((alpha * A) @ B), A * alpha @
// B and alpha * (A @ B), returning alpha (nil for 1), A and B.
func (f *fn) productTerm(e pyast.Expr, d types.DType) (alpha, a, b pyast.Expr, ok bool) {
	bin, isBin := e.(*pyast.BinOp)
	if !isBin {
		return nil, nil, nil, false
	}
	scaled := func(m *pyast.BinOp) (s, x pyast.Expr, ok bool) {
		if m.Op != "Mult" || !f.arrayOf(m, d, 2) {
			return nil, nil, false
		}
		if f.simpleScalar(m.Left) {
			return m.Left, m.Right, true
		}
		if f.simpleScalar(m.Right) {
			return m.Right, m.Left, true
		}
		return nil, nil, false
	}
	switch bin.Op {
	case "MatMult":
		a, b = bin.Left, bin.Right
		if m, ok := a.(*pyast.BinOp); ok {
			if s, x, ok := scaled(m); ok {
				alpha, a = s, x
			}
		}
	case "Mult":
		s, x, ok := scaled(bin)
		m, isMM := x.(*pyast.BinOp)
		if !ok || !isMM || m.Op != "MatMult" {
			return nil, nil, nil, false
		}
		alpha, a, b = s, m.Left, m.Right
	default:
		return nil, nil, nil, false
	}
	if !f.simpleMatrix(a, d) || !f.simpleMatrix(b, d) {
		return nil, nil, nil, false
	}
	return alpha, a, b, true
}

// arrayOf reports an expression typed as an nd-D array of dtype d.
func (f *fn) arrayOf(e pyast.Expr, d types.DType, nd int) bool {
	t := f.typeOf(e)
	return t != nil && t.Kind == types.Array && t.NDim == nd && t.DType == d
}

// simpleMatrix: a name or a name's .T, a 2-D array of dtype d.
func (f *fn) simpleMatrix(e pyast.Expr, d types.DType) bool {
	if at, ok := e.(*pyast.Attribute); ok && at.Attr == "T" {
		if _, ok := at.Value.(*pyast.Name); !ok {
			return false
		}
	} else if _, ok := e.(*pyast.Name); !ok {
		return false
	}
	return f.arrayOf(e, d, 2)
}

// simpleScalar: a name or a (negated) numeric constant of a scalar type.
func (f *fn) simpleScalar(e pyast.Expr) bool {
	x := e
	if u, ok := e.(*pyast.UnaryOp); ok && u.Op == "USub" {
		x = u.Operand
		if _, ok := x.(*pyast.Constant); !ok {
			return false
		}
	}
	switch x.(type) {
	case *pyast.Name, *pyast.Constant:
	default:
		return false
	}
	t := f.typeOf(e)
	return t != nil && t.Kind == types.Scalar && t.DType != types.Bool
}

// stackGemm is BLAS for a stack of matrix products whose right operand is
// one matrix: `x @ w` with x of shape (..., m, k) and w (k, n), the einsum
// "<batch>ij,jk-><batch>ik" that types/einsum.go makes of it (npbench's
// doitgen: np.reshape(A, (NR, NQ, 1, NP)) @ C4). When x's batch and row
// axes collapse into one (each stride the next extent times the next
// stride, true of a C-ordered x and of its reshapes), the whole stack is
// one (B*m, k) @ (k, n) product into the freshly allocated C-ordered out,
// one ?gemm call instead of B*m*k*n multiply-adds in a nest. It returns
// nil when the form or the dtypes do not fit, else the condition under
// which the caller's loop nest must run instead (the axes do not collapse
// at run time, the inner extents differ, or the gemm helper declined).
func (f *fn) stackGemm(p *types.Einsum, ops []*ir.Var, out *ir.Var, d types.DType) ir.Expr {
	if len(ops) != 2 || len(p.In) != 2 || !blasDType(d) || ops[0].Type.DType != d || ops[1].Type.DType != d {
		return nil
	}
	a, w := p.In[0], p.In[1]
	nb := len(a) - 2
	if nb < 1 || len(w) != 2 || w[0] != a[nb+1] || p.Out != a[:nb+1]+w[1:] {
		return nil
	}
	x, mat := ops[0], ops[1]
	dim := func(v *ir.Var, k int) ir.Expr { return &ir.Dim{Arr: v, Axis: k} }
	stride := func(v *ir.Var, k int) ir.Expr { return &ir.Stride{Arr: v, Axis: k} }
	ok := bin(ir.Eq, dim(x, nb+1), dim(mat, 0), types.Int64)
	rows := dim(x, 0)
	for ax := 0; ax < nb; ax++ {
		ok = bin(ir.And, ok, bin(ir.Eq, stride(x, ax), bin(ir.Mul, dim(x, ax+1), stride(x, ax+1), types.Int64), types.Int64), types.Bool)
		rows = bin(ir.Mul, rows, dim(x, ax+1), types.Int64)
	}
	fallback := f.scalarVar(types.Bool, ir.BoolConst(true))
	f.emit(&ir.If{Cond: ok, Then: f.sub(func() {
		m := f.once(rows)
		flat := types.ArrayOf(d, 2, 'A')
		xv, ov := f.temp(flat), f.temp(flat)
		f.bind(xv, x)
		f.bind(ov, out)
		xs := []ir.Expr{m, dim(x, nb+1)}
		os := []ir.Expr{m, dim(out, nb+1)}
		f.emit(&ir.SetArray{Dst: xv, Src: &ir.View{Base: x, Offset: ir.IntConst(0), Shape: xs,
			Strides: []ir.Expr{stride(x, nb), stride(x, nb+1)}}})
		f.emit(&ir.SetArray{Dst: ov, Src: &ir.View{Base: out, Offset: ir.IntConst(0), Shape: os,
			Strides: []ir.Expr{stride(out, nb), stride(out, nb+1)}}})
		f.noteShape(xv, xs)
		f.noteShape(ov, os)
		f.emit(&ir.Assign{Dst: fallback, Src: f.gemm(xv, mat, ov, oneOf(d), zeroOf(d), false)})
	})})
	return &ir.Ref{Var: fallback}
}
