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
