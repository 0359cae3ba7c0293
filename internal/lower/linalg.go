package lower

// numpy.linalg (library.Linalg; typed in types/calls_linalg.go): each
// matrix is copied to a fresh C-ordered array of the computing dtype
// (NumPy's inputs are never written, and LAPACKE takes it as
// LAPACK_ROW_MAJOR), then one helper (ir.HelperLinalg*) calls the
// target's LAPACK on the copies.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

func (f *fn) npLinalg(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	switch name {
	case "solve":
		d := rt.DType
		a := f.copyAs(args[0], d)
		b := f.copyAs(args[1], d)
		f.externCall(ir.HelperLinalgSolve, []ir.Expr{aref(a), aref(b), ir.IntConst(int64(args[1].t.NDim))})
		return &val{t: rt, arr: b}
	case "inv":
		a := f.copyAs(args[0], rt.DType)
		n := &ir.Dim{Arr: a, Axis: 0}
		out := f.alloc(rt, []ir.Expr{n, &ir.Dim{Arr: a, Axis: 0}})
		f.externCall(ir.HelperLinalgInv, []ir.Expr{aref(a), aref(out)})
		return &val{t: rt, arr: out}
	case "det":
		a := f.copyAs(args[0], rt.DType)
		res := f.externCall(ir.HelperLinalgDet, []ir.Expr{aref(a)}, rt)
		return &val{t: rt, s: &ir.Ref{Var: res[0]}}
	case "cholesky":
		a := f.copyAs(args[0], rt.DType)
		f.externCall(ir.HelperLinalgCholesky, []ir.Expr{aref(a)})
		return &val{t: rt, arr: a}
	case "eigh", "eigvalsh":
		wt := rt
		if name == "eigh" {
			wt = rt.Elems[0]
		}
		a := f.copyAs(args[0], wt.DType)
		w := f.alloc(wt, []ir.Expr{&ir.Dim{Arr: a, Axis: 0}})
		vectors := int64(0)
		if name == "eigh" {
			vectors = 1
		}
		f.externCall(ir.HelperLinalgEigh, []ir.Expr{aref(a), aref(w), ir.IntConst(vectors)})
		if name == "eigvalsh" {
			return &val{t: rt, arr: w}
		}
		return &val{t: rt, elems: []*val{{t: rt.Elems[0], arr: w}, {t: rt.Elems[1], arr: a}}}
	case "slogdet":
		d := rt.Elems[0]
		a := f.copyAs(args[0], d.DType)
		res := f.externCall(ir.HelperLinalgSlogdet, []ir.Expr{aref(a)}, d, d)
		return &val{t: rt, elems: []*val{{t: d, s: &ir.Ref{Var: res[0]}}, {t: d, s: &ir.Ref{Var: res[1]}}}}
	case "eig", "eigvals":
		wt := rt
		if name == "eig" {
			wt = rt.Elems[0]
		}
		d := types.Float64
		if wt.DType == types.Complex64 {
			d = types.Float32
		}
		a := f.copyAs(args[0], d)
		n := &ir.Dim{Arr: a, Axis: 0}
		w := f.alloc(wt, []ir.Expr{n})
		v := w
		if name == "eig" {
			v = f.alloc(rt.Elems[1], []ir.Expr{n, &ir.Dim{Arr: a, Axis: 0}})
		}
		f.externCall(ir.HelperLinalgEig, []ir.Expr{aref(a), aref(w), aref(v), ir.IntConst(b2i(name == "eig"))})
		if name == "eigvals" {
			return &val{t: rt, arr: w}
		}
		return &val{t: rt, elems: []*val{{t: rt.Elems[0], arr: w}, {t: rt.Elems[1], arr: v}}}
	case "svd":
		full, _ := types.LinalgFlag(e, 1, "full_matrices", true)
		uv, _ := types.LinalgFlag(e, 2, "compute_uv", true)
		st := rt
		if uv {
			st = rt.Elems[1]
		}
		a := f.copyAs(args[0], st.DType)
		m, n := f.once(&ir.Dim{Arr: a, Axis: 0}), f.once(&ir.Dim{Arr: a, Axis: 1})
		k := f.once(&ir.Select{Cond: bin(ir.Lt, m, n, types.Int64), X: m, Y: n, T: i64T})
		s := f.alloc(st, []ir.Expr{k})
		if !uv {
			f.externCall(ir.HelperLinalgSVD, []ir.Expr{aref(a), aref(s), aref(s), aref(s), ir.IntConst(0)})
			return &val{t: rt, arr: s}
		}
		mode, uCols, vRows := int64(2), k, k
		if full {
			mode, uCols, vRows = 1, m, n
		}
		u := f.alloc(rt.Elems[0], []ir.Expr{m, uCols})
		vt := f.alloc(rt.Elems[2], []ir.Expr{vRows, n})
		f.externCall(ir.HelperLinalgSVD, []ir.Expr{aref(a), aref(s), aref(u), aref(vt), ir.IntConst(mode)})
		return &val{t: rt, elems: []*val{{t: rt.Elems[0], arr: u}, {t: st, arr: s}, {t: rt.Elems[2], arr: vt}}}
	case "qr":
		mode, _ := types.LinalgQRMode(e)
		rt2 := rt
		if mode != 2 {
			rt2 = rt.Elems[1]
		}
		a := f.copyAs(args[0], rt2.DType)
		m, n := f.once(&ir.Dim{Arr: a, Axis: 0}), f.once(&ir.Dim{Arr: a, Axis: 1})
		k := f.once(&ir.Select{Cond: bin(ir.Lt, m, n, types.Int64), X: m, Y: n, T: i64T})
		rows := k
		if mode == 1 {
			rows = m
		}
		r := f.alloc(rt2, []ir.Expr{rows, n})
		q := r
		if mode != 2 {
			q = f.alloc(rt.Elems[0], []ir.Expr{m, rows})
		}
		f.externCall(ir.HelperLinalgQR, []ir.Expr{aref(a), aref(q), aref(r), ir.IntConst(int64(mode))})
		if mode == 2 {
			return &val{t: rt, arr: r}
		}
		return &val{t: rt, elems: []*val{{t: rt.Elems[0], arr: q}, {t: rt2, arr: r}}}
	case "pinv", "matrix_rank":
		d := rt.DType
		if name == "matrix_rank" {
			d = types.Float64
			if ld, _ := types.LinalgDType(args[0].t.DType); ld == types.Float32 {
				d = types.Float32
			}
		}
		a := f.copyAs(args[0], d)
		// an absent or None rcond is NumPy's 1e-15; an absent or None tol is
		// NumPy's default, which the helper computes (tol < 0)
		var tol ir.Expr = &ir.Const{Type: types.ScalarOf(types.Float64), F: 1e-15}
		if name == "matrix_rank" {
			tol = &ir.Const{Type: types.ScalarOf(types.Float64), F: -1}
		}
		if len(args) > 1 && args[1].t.Kind == types.Scalar {
			tol = &ir.Cast{X: args[1].s, T: types.ScalarOf(types.Float64)}
		} else if x, ok := kw[map[string]string{"pinv": "rcond", "matrix_rank": "tol"}[name]]; ok &&
			x.t.Kind == types.Scalar {
			tol = &ir.Cast{X: x.s, T: types.ScalarOf(types.Float64)}
		}
		if name == "pinv" {
			out := f.alloc(rt, []ir.Expr{&ir.Dim{Arr: a, Axis: 1}, &ir.Dim{Arr: a, Axis: 0}})
			f.externCall(ir.HelperLinalgPinv, []ir.Expr{aref(a), aref(out), tol})
			return &val{t: rt, arr: out}
		}
		res := f.externCall(ir.HelperLinalgRank, []ir.Expr{aref(a), tol}, rt)
		return &val{t: rt, s: &ir.Ref{Var: res[0]}}
	case "cond":
		p, _ := types.LinalgCondP(e)
		a := f.copyAs(args[0], rt.DType)
		res := f.externCall(ir.HelperLinalgCond, []ir.Expr{aref(a), ir.IntConst(int64(p))}, rt)
		return &val{t: rt, s: &ir.Ref{Var: res[0]}}
	}
	// norm
	code, _ := types.LinalgNormOrd(e)
	x := f.copyAs(args[0], rt.DType)
	var size ir.Expr = &ir.Dim{Arr: x, Axis: 0}
	for k := 1; k < args[0].t.NDim; k++ {
		size = ibin(ir.Mul, size, &ir.Dim{Arr: x, Axis: k})
	}
	res := f.externCall(ir.HelperLinalgNorm, []ir.Expr{aref(x), size, ir.IntConst(int64(code))}, rt)
	return &val{t: rt, s: &ir.Ref{Var: res[0]}}
}
