package lower

// numpy.linalg (library.Linalg; typed in types/calls_linalg.go): each
// matrix is copied to a fresh C-ordered array of the computing dtype
// (NumPy's inputs are never written, and LAPACKE takes it as
// LAPACK_ROW_MAJOR), then one helper (ir.HelperLinalg*) calls the
// target's LAPACK on the copies.

import (
	"fmt"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// linalgBatch calls body once per matrix of the C-ordered stacks arrs:
// arrs[k] has core[k] trailing axes (its matrix, vector or scalar) after
// the leading axes all of them share (arrs[0]'s), and body gets a
// C-contiguous view of each one's slice b of the stack, and b. With no
// leading axes body gets arrs themselves, once.
func (f *fn) linalgBatch(arrs []*ir.Var, core []int, body func(views []*ir.Var, b ir.Expr)) {
	lead := arrs[0].Type.NDim - core[0]
	if lead == 0 {
		body(arrs, ir.IntConst(0))
		return
	}
	var count ir.Expr = &ir.Dim{Arr: arrs[0], Axis: 0}
	for k := 1; k < lead; k++ {
		count = ibin(ir.Mul, count, &ir.Dim{Arr: arrs[0], Axis: k})
	}
	f.countLoop(f.once(count), func(b ir.Expr) {
		views := make([]*ir.Var, len(arrs))
		for i, a := range arrs {
			c := core[i]
			shape := make([]ir.Expr, c)
			strides := make([]ir.Expr, c)
			var size ir.Expr = ir.IntConst(1)
			for k := c - 1; k >= 0; k-- {
				shape[k] = &ir.Dim{Arr: a, Axis: lead + k}
				strides[k] = size
				size = ibin(ir.Mul, size, shape[k])
			}
			v := f.temp(types.ArrayOf(a.Type.DType, c, 'A'))
			f.bind(v, a)
			f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: a, Offset: ibin(ir.Mul, b, size), Shape: shape,
				Strides: strides}})
			views[i] = v
		}
		body(views, b)
	})
}

// dims are the extents of a, from axis lo on, with the last ones replaced
// by tail (nil entries keep a's).
func dims(a *ir.Var, lo int, tail ...ir.Expr) []ir.Expr {
	var out []ir.Expr
	n := a.Type.NDim
	for k := lo; k < n-len(tail); k++ {
		out = append(out, &ir.Dim{Arr: a, Axis: k})
	}
	for i, t := range tail {
		if t == nil {
			t = &ir.Dim{Arr: a, Axis: n - len(tail) + i}
		}
		out = append(out, t)
	}
	return out
}

// leadDims are a's extents but its last core axes.
func leadDims(a *ir.Var, core int) []ir.Expr {
	var out []ir.Expr
	for k := 0; k < a.Type.NDim-core; k++ {
		out = append(out, &ir.Dim{Arr: a, Axis: k})
	}
	return out
}

// scalarsOut allocates the stack of scalar results of a batched call (a
// C-ordered array of t's dtype over a's leading axes) and a flat view of it
// to store them through, or (nil, nil) when a is a single matrix.
func (f *fn) scalarsOut(a *ir.Var, t *types.Type) (*ir.Var, *ir.Var) {
	if t.Kind != types.Array {
		return nil, nil
	}
	out := f.alloc(t, leadDims(a, 2))
	var size ir.Expr = ir.IntConst(1)
	for k := 0; k < t.NDim; k++ {
		size = ibin(ir.Mul, size, &ir.Dim{Arr: out, Axis: k})
	}
	flat := f.temp(types.ArrayOf(t.DType, 1, 'A'))
	f.bind(flat, out)
	f.emit(&ir.SetArray{Dst: flat, Src: &ir.View{Base: out, Offset: ir.IntConst(0), Shape: []ir.Expr{size},
		Strides: []ir.Expr{ir.IntConst(1)}}})
	return out, flat
}

// linalgScalars runs one per matrix of the stack a, each producing a
// scalar of rt's dtype: rt itself for a single matrix, else the array of
// them over a's leading axes.
func (f *fn) linalgScalars(a *ir.Var, rt *types.Type, one func(v *ir.Var) *ir.Var) *val {
	out, flat := f.scalarsOut(a, rt)
	var res *ir.Var
	f.linalgBatch([]*ir.Var{a}, []int{2}, func(v []*ir.Var, b ir.Expr) {
		res = one(v[0])
		if flat != nil {
			f.emit(&ir.Store{Arr: flat, Idx: []ir.Expr{b}, Src: &ir.Ref{Var: res}})
		}
	})
	if out != nil {
		return &val{t: rt, arr: out}
	}
	return &val{t: rt, s: &ir.Ref{Var: res}}
}

func (f *fn) npLinalg(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	switch name {
	case "solve":
		d := rt.DType
		a := f.copyAs(args[0], d)
		b := f.copyAs(args[1], d)
		bdim := int64(2)
		if args[1].t.NDim == 1 {
			bdim = 1
		}
		if a.Type.NDim > 2 {
			// a stack of systems: b is a stack of matrices over the same leading extents
			for k := 0; k < a.Type.NDim-2; k++ {
				x, y := &ir.Dim{Arr: a, Axis: k}, &ir.Dim{Arr: b, Axis: k}
				f.require(&ir.Bin{Op: ir.Eq, X: x, Y: y, T: types.BoolT}, ir.ErrValue, fmt.Sprintf("solve: the "+
					"stacks of a and b have extents {0} and {1} along axis %d (sejit does not broadcast them)", k), x, y)
			}
		}
		f.linalgBatch([]*ir.Var{a, b}, []int{2, int(bdim)}, func(v []*ir.Var, _ ir.Expr) {
			f.externCall(ir.HelperLinalgSolve, []ir.Expr{aref(v[0]), aref(v[1]), ir.IntConst(bdim)})
		})
		return &val{t: rt, arr: b}
	case "inv":
		a := f.copyAs(args[0], rt.DType)
		out := f.alloc(rt, dims(a, 0, nil, &ir.Dim{Arr: a, Axis: a.Type.NDim - 2}))
		f.linalgBatch([]*ir.Var{a, out}, []int{2, 2}, func(v []*ir.Var, _ ir.Expr) {
			f.externCall(ir.HelperLinalgInv, []ir.Expr{aref(v[0]), aref(v[1])})
		})
		return &val{t: rt, arr: out}
	case "det":
		a := f.copyAs(args[0], rt.DType)
		out, flat := f.scalarsOut(a, rt)
		var res *ir.Var
		f.linalgBatch([]*ir.Var{a}, []int{2}, func(v []*ir.Var, b ir.Expr) {
			r := f.externCall(ir.HelperLinalgDet, []ir.Expr{aref(v[0])}, types.ScalarOf(rt.DType))
			if flat != nil {
				f.emit(&ir.Store{Arr: flat, Idx: []ir.Expr{b}, Src: &ir.Ref{Var: r[0]}})
			}
			res = r[0]
		})
		if out != nil {
			return &val{t: rt, arr: out}
		}
		return &val{t: rt, s: &ir.Ref{Var: res}}
	case "cholesky":
		a := f.copyAs(args[0], rt.DType)
		f.linalgBatch([]*ir.Var{a}, []int{2}, func(v []*ir.Var, _ ir.Expr) {
			f.externCall(ir.HelperLinalgCholesky, []ir.Expr{aref(v[0])})
		})
		return &val{t: rt, arr: a}
	case "eigh", "eigvalsh":
		wt := rt
		if name == "eigh" {
			wt = rt.Elems[0]
		}
		cd, _ := types.LinalgDType(args[0].t.DType)
		a := f.copyAs(args[0], cd)
		w := f.alloc(wt, dims(a, 0)[:a.Type.NDim-1])
		vectors := int64(0)
		if name == "eigh" {
			vectors = 1
		}
		f.linalgBatch([]*ir.Var{a, w}, []int{2, 1}, func(v []*ir.Var, _ ir.Expr) {
			f.externCall(ir.HelperLinalgEigh, []ir.Expr{aref(v[0]), aref(v[1]), ir.IntConst(vectors)})
		})
		if name == "eigvalsh" {
			return &val{t: rt, arr: w}
		}
		return &val{t: rt, elems: []*val{{t: rt.Elems[0], arr: w}, {t: rt.Elems[1], arr: a}}}
	case "slogdet":
		d, ld := rt.Elems[0], rt.Elems[1]
		a := f.copyAs(args[0], d.DType)
		signs, sflat := f.scalarsOut(a, d)
		logs, lflat := f.scalarsOut(a, ld)
		st, lt := types.ScalarOf(d.DType), types.ScalarOf(ld.DType)
		var res []*ir.Var
		f.linalgBatch([]*ir.Var{a}, []int{2}, func(v []*ir.Var, b ir.Expr) {
			res = f.externCall(ir.HelperLinalgSlogdet, []ir.Expr{aref(v[0])}, st, lt)
			if sflat != nil {
				f.emit(&ir.Store{Arr: sflat, Idx: []ir.Expr{b}, Src: &ir.Ref{Var: res[0]}})
				f.emit(&ir.Store{Arr: lflat, Idx: []ir.Expr{b}, Src: &ir.Ref{Var: res[1]}})
			}
		})
		if signs != nil {
			return &val{t: rt, elems: []*val{{t: d, arr: signs}, {t: ld, arr: logs}}}
		}
		return &val{t: rt, elems: []*val{{t: d, s: &ir.Ref{Var: res[0]}}, {t: ld, s: &ir.Ref{Var: res[1]}}}}
	case "eig", "eigvals":
		wt := rt
		if name == "eig" {
			wt = rt.Elems[0]
		}
		d, _ := types.LinalgDType(args[0].t.DType)
		a := f.copyAs(args[0], d)
		n := &ir.Dim{Arr: a, Axis: a.Type.NDim - 1}
		w := f.alloc(wt, append(leadDims(a, 2), n))
		if name == "eigvals" {
			f.linalgBatch([]*ir.Var{a, w}, []int{2, 1}, func(v []*ir.Var, _ ir.Expr) {
				f.externCall(ir.HelperLinalgEig, []ir.Expr{aref(v[0]), aref(v[1]), aref(v[1]), ir.IntConst(0)})
			})
			return &val{t: rt, arr: w}
		}
		v := f.alloc(rt.Elems[1], append(leadDims(a, 2), n, n))
		f.linalgBatch([]*ir.Var{a, w, v}, []int{2, 1, 2}, func(vs []*ir.Var, _ ir.Expr) {
			f.externCall(ir.HelperLinalgEig, []ir.Expr{aref(vs[0]), aref(vs[1]), aref(vs[2]), ir.IntConst(1)})
		})
		return &val{t: rt, elems: []*val{{t: rt.Elems[0], arr: w}, {t: rt.Elems[1], arr: v}}}
	case "svd":
		full, _ := types.LinalgFlag(e, 1, "full_matrices", true)
		uv, _ := types.LinalgFlag(e, 2, "compute_uv", true)
		st := rt
		if uv {
			st = rt.Elems[1]
		}
		cd, _ := types.LinalgDType(args[0].t.DType)
		a := f.copyAs(args[0], cd)
		nd := a.Type.NDim
		m, n := f.once(&ir.Dim{Arr: a, Axis: nd - 2}), f.once(&ir.Dim{Arr: a, Axis: nd - 1})
		k := f.once(&ir.Select{Cond: bin(ir.Lt, m, n, types.Int64), X: m, Y: n, T: i64T})
		s := f.alloc(st, append(leadDims(a, 2), k))
		if !uv {
			f.linalgBatch([]*ir.Var{a, s}, []int{2, 1}, func(v []*ir.Var, _ ir.Expr) {
				f.externCall(ir.HelperLinalgSVD, []ir.Expr{aref(v[0]), aref(v[1]), aref(v[1]), aref(v[1]), ir.IntConst(0)})
			})
			return &val{t: rt, arr: s}
		}
		mode, uCols, vRows := int64(2), k, k
		if full {
			mode, uCols, vRows = 1, m, n
		}
		u := f.alloc(rt.Elems[0], append(leadDims(a, 2), m, uCols))
		vt := f.alloc(rt.Elems[2], append(leadDims(a, 2), vRows, n))
		f.linalgBatch([]*ir.Var{a, s, u, vt}, []int{2, 1, 2, 2}, func(v []*ir.Var, _ ir.Expr) {
			f.externCall(ir.HelperLinalgSVD, []ir.Expr{aref(v[0]), aref(v[1]), aref(v[2]), aref(v[3]), ir.IntConst(mode)})
		})
		return &val{t: rt, elems: []*val{{t: rt.Elems[0], arr: u}, {t: st, arr: s}, {t: rt.Elems[2], arr: vt}}}
	case "qr":
		mode, _ := types.LinalgQRMode(e)
		rt2 := rt
		if mode != 2 {
			rt2 = rt.Elems[1]
		}
		a := f.copyAs(args[0], rt2.DType)
		nd := a.Type.NDim
		m, n := f.once(&ir.Dim{Arr: a, Axis: nd - 2}), f.once(&ir.Dim{Arr: a, Axis: nd - 1})
		k := f.once(&ir.Select{Cond: bin(ir.Lt, m, n, types.Int64), X: m, Y: n, T: i64T})
		rows := k
		if mode == 1 {
			rows = m
		}
		r := f.alloc(rt2, append(leadDims(a, 2), rows, n))
		q := r
		if mode != 2 {
			q = f.alloc(rt.Elems[0], append(leadDims(a, 2), m, rows))
		}
		f.linalgBatch([]*ir.Var{a, q, r}, []int{2, 2, 2}, func(v []*ir.Var, _ ir.Expr) {
			f.externCall(ir.HelperLinalgQR, []ir.Expr{aref(v[0]), aref(v[1]), aref(v[2]), ir.IntConst(int64(mode))})
		})
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
		nd := a.Type.NDim
		if name == "pinv" {
			out := f.alloc(rt, append(leadDims(a, 2), &ir.Dim{Arr: a, Axis: nd - 1}, &ir.Dim{Arr: a, Axis: nd - 2}))
			f.linalgBatch([]*ir.Var{a, out}, []int{2, 2}, func(v []*ir.Var, _ ir.Expr) {
				f.externCall(ir.HelperLinalgPinv, []ir.Expr{aref(v[0]), aref(v[1]), tol})
			})
			return &val{t: rt, arr: out}
		}
		return f.linalgScalars(a, rt, func(v *ir.Var) *ir.Var {
			return f.externCall(ir.HelperLinalgRank, []ir.Expr{aref(v), tol}, types.ScalarOf(rt.DType))[0]
		})
	case "matrix_power":
		a := f.copyAs(args[0], rt.DType)
		out := f.alloc(rt, []ir.Expr{&ir.Dim{Arr: a, Axis: 0}, &ir.Dim{Arr: a, Axis: 0}})
		f.externCall(ir.HelperLinalgMatrixPower, []ir.Expr{aref(a), aref(out), &ir.Cast{X: args[1].s, T: i64T}})
		return &val{t: rt, arr: out}
	case "lstsq":
		xt, st := rt.Elems[0], rt.Elems[1]
		a := f.copyAs(args[0], xt.DType)
		b := f.copyAs(args[1], xt.DType)
		m, n := f.once(&ir.Dim{Arr: a, Axis: 0}), f.once(&ir.Dim{Arr: a, Axis: 1})
		k := f.once(&ir.Select{Cond: bin(ir.Lt, m, n, types.Int64), X: m, Y: n, T: i64T})
		bdim := int64(b.Type.NDim)
		var nrhs ir.Expr = ir.IntConst(1)
		xshape := []ir.Expr{n}
		if bdim == 2 {
			nrhs = &ir.Dim{Arr: b, Axis: 1}
			xshape = append(xshape, nrhs)
		}
		x := f.alloc(xt, xshape)
		s := f.alloc(st, []ir.Expr{k})
		resid := f.alloc(st, []ir.Expr{nrhs})
		// an absent or None rcond is NumPy's default, computed by the helper
		var rcond ir.Expr = &ir.Const{Type: types.ScalarOf(types.Float64)}
		given := int64(0)
		r := kw["rcond"]
		if len(args) > 2 {
			r = args[2]
		}
		if r != nil && r.t.Kind == types.Scalar {
			rcond, given = &ir.Cast{X: r.s, T: types.ScalarOf(types.Float64)}, 1
		}
		res := f.externCall(ir.HelperLinalgLstsq, []ir.Expr{aref(a), aref(b), aref(x), aref(s), aref(resid),
			ir.IntConst(bdim), rcond, ir.IntConst(given)}, i64T, i64T)
		// NumPy's residuals: one per right-hand side when the rank is full and m > n, else none
		rv := f.temp(st)
		f.bind(rv, resid)
		f.emit(&ir.SetArray{Dst: rv, Src: &ir.View{Base: resid, Offset: ir.IntConst(0),
			Shape: []ir.Expr{&ir.Ref{Var: res[1]}}, Strides: []ir.Expr{ir.IntConst(1)}}})
		rank := &ir.Cast{X: &ir.Ref{Var: res[0]}, T: rt.Elems[2]}
		return &val{t: rt, elems: []*val{{t: xt, arr: x}, {t: st, arr: rv}, {t: rt.Elems[2], s: rank}, {t: st, arr: s}}}
	case "cond":
		p, _ := types.LinalgCondP(e)
		a := f.copyAs(args[0], rt.DType)
		return f.linalgScalars(a, rt, func(v *ir.Var) *ir.Var {
			return f.externCall(ir.HelperLinalgCond, []ir.Expr{aref(v), ir.IntConst(int64(p))}, types.ScalarOf(rt.DType))[0]
		})
	}
	// norm
	code, _ := types.LinalgNormOrd(e)
	if ra := types.ReduceOf(f.info, e); ra != nil {
		// along an axis: a reduction whose elements are taken in the result's dtype
		return f.reduceAxis(e, normReduction[code], args, ra, rt)
	}
	cd, _ := types.LinalgDType(args[0].t.DType)
	x := f.copyAs(args[0], cd)
	if args[0].t.NDim == 2 {
		if p, _ := types.LinalgMatrixOrd(e); p >= 0 {
			// a matrix norm other than Frobenius's: cond's helper codes, 7 'nuc'
			res := f.externCall(ir.HelperLinalgMatrixNorm, []ir.Expr{aref(x), ir.IntConst(int64(p))}, rt)
			return &val{t: rt, s: &ir.Ref{Var: res[0]}}
		}
		code = 0
	}
	var size ir.Expr = &ir.Dim{Arr: x, Axis: 0}
	for k := 1; k < args[0].t.NDim; k++ {
		size = ibin(ir.Mul, size, &ir.Dim{Arr: x, Axis: k})
	}
	res := f.externCall(ir.HelperLinalgNorm, []ir.Expr{aref(x), size, ir.IntConst(int64(code))}, rt)
	return &val{t: rt, s: &ir.Ref{Var: res[0]}}
}

// multiDot lowers np.linalg.multi_dot([a, b, ...]) as the products of its
// items left to right, each as @ lowers it (BLAS from a size on).
func (f *fn) multiDot(e *pyast.Call) *val {
	items := types.MultiDotItems(e)
	acc := f.expr(items[0])
	for _, x := range items[1:] {
		v := f.expr(x)
		acc = f.dot(e.P, "matmul", acc, v, types.MatmulResult(acc.t, v.t))
	}
	return acc
}
