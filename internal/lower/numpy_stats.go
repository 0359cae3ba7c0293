package lower

// NumPy's statistics, comparison and polynomial functions, typed in
// types/numpy_stats.go. isclose, allclose, array_equal, polyval and kron
// are element-wise nests and loops written here; cov and corrcoef,
// percentile and quantile, convolve and correlate, and polyfit call
// helpers of the prelude (ir.HelperCov, HelperQuantile, HelperCorrelate,
// HelperPolyfit) on float64 (or int64) copies, as NumPy computes them.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// statsArg is the value bound to positional i or keyword key (nil when
// absent or None).
func (f *fn) statsArg(e *pyast.Call, args []*val, kw map[string]*val, i int, key string) *val {
	x := types.StatsArg(e, i, key)
	if x == nil {
		return nil
	}
	if k, ok := x.(*pyast.Constant); ok && k.Kind == pyast.ConstNone {
		return nil
	}
	return kwOr(kw, key, args, i)
}

// stableVal evaluates a scalar operand once (an array stays as it is).
func (f *fn) stableVal(v *val) *val {
	if v.t.Kind == types.Array {
		return v
	}
	return &val{t: v.t, s: f.stableExpr(v.s)}
}

// view2 is a (1, n) view of the 1-D array a, a 2-D array unchanged.
func (f *fn) view2(a *ir.Var) *ir.Var {
	if a.Type.NDim == 2 {
		return a
	}
	v := f.temp(types.ArrayOf(a.Type.DType, 2, 'A'))
	f.bind(v, a)
	f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: a, Offset: ir.IntConst(0),
		Shape:   []ir.Expr{ir.IntConst(1), &ir.Dim{Arr: a, Axis: 0}},
		Strides: []ir.Expr{ir.IntConst(0), &ir.Stride{Arr: a, Axis: 0}}}})
	return v
}

func (f *fn) numpyStats(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	f64 := types.Float64
	args = append([]*val{}, args...)
	for i, a := range args {
		args[i] = f.listArray(a)
	}
	kw2 := map[string]*val{}
	for k, a := range kw {
		kw2[k] = f.listArray(a)
	}
	kw = kw2
	arg := func(i int, key string) *val { return f.statsArg(e, args, kw, i, key) }
	flag := func(i int, key string, def int64) ir.Expr {
		if v := arg(i, key); v != nil {
			return f.stableExpr(conv(truth(v.s), types.Int64))
		}
		return ir.IntConst(def)
	}
	switch name {
	case "isclose", "allclose":
		x, y := f.stableVal(args[0]), f.stableVal(arg(1, "b"))
		rtol, atol := arg(2, "rtol"), arg(3, "atol")
		if rtol == nil {
			rtol = &val{t: types.Float, s: &ir.Const{Type: types.ScalarOf(f64), F: 1e-05}}
		}
		if atol == nil {
			atol = &val{t: types.Float, s: &ir.Const{Type: types.ScalarOf(f64), F: 1e-08}}
		}
		rtol, atol = f.stableVal(rtol), f.stableVal(atol)
		eqNaN := flag(4, "equal_nan", 0)
		// NumPy casts y to result_type(y, 1.0), then computes
		// |x - y| <= atol + rtol |y|, for finite y, or x == y.
		yd := types.Float64
		if y.t.DType == types.Float32 && !(y.t.Kind == types.Scalar && y.t.Weak) {
			yd = types.Float32
		}
		yt := types.ArrayOf(yd, 1, 'C')
		pd := types.PromoteAll(x.t, yt)
		td := types.PromoteAll(rtol.t, atol.t, yt)
		cd := types.Promote(pd, td)
		close := func(xs []ir.Expr) ir.Expr {
			xv, yv := conv(xs[0], pd), conv(conv(xs[1], yd), pd)
			diff := conv(&ir.Unary{Op: ir.Abs, X: &ir.Bin{Op: ir.Sub, X: xv, Y: yv, T: types.ScalarOf(pd)}, T: types.ScalarOf(pd)}, cd)
			ay := &ir.Unary{Op: ir.Abs, X: conv(xs[1], yd), T: types.ScalarOf(yd)}
			tol := &ir.Bin{Op: ir.Add, X: conv(xs[3], td), Y: &ir.Bin{Op: ir.Mul, X: conv(xs[2], td), Y: conv(ay, td), T: types.ScalarOf(td)}, T: types.ScalarOf(td)}
			fin := &ir.Intrinsic{Fn: ir.FnIsfinite, Args: []ir.Expr{conv(xs[1], yd)}, T: types.BoolT}
			r := cmpE(ir.Or, cmpE(ir.And, &ir.Bin{Op: ir.Le, X: diff, Y: conv(tol, cd), T: types.BoolT}, fin), cmpE(ir.Eq, xv, yv))
			if pd.IsFloat() {
				nan := cmpE(ir.And, cmpE(ir.Ne, xv, xv), cmpE(ir.Ne, yv, yv))
				r = cmpE(ir.Or, r, cmpE(ir.And, cmpE(ir.Ne, xs[4], ir.IntConst(0)), nan))
			}
			return r
		}
		ops := []*val{x, y, rtol, atol, {t: types.Int, s: eqNaN}}
		if name == "isclose" {
			return f.elementwise(rt, ops, close)
		}
		bt := types.ResultOf(types.Int64, x.t, y.t).WithDType(types.Int64)
		if bt.Kind == types.Scalar {
			bt = types.ScalarOf(types.Int64)
		}
		far := f.elementwise(bt, ops, func(xs []ir.Expr) ir.Expr {
			return conv(&ir.Unary{Op: ir.Not, X: close(xs), T: types.BoolT}, types.Int64)
		})
		n := f.reduce(e, "sum", far, types.ScalarOf(types.Int64))
		return &val{t: rt, s: cmpE(ir.Eq, n.s, ir.IntConst(0))}
	case "array_equal":
		x, y := f.stableVal(args[0]), f.stableVal(arg(1, "a2"))
		eqNaN := flag(2, "equal_nan", 0)
		nx, ny := 0, 0
		if x.t.Kind == types.Array {
			nx = x.t.NDim
		}
		if y.t.Kind == types.Array {
			ny = y.t.NDim
		}
		if nx != ny {
			return &val{t: rt, s: ir.BoolConst(false)}
		}
		pd := types.PromoteAll(x.t, y.t)
		res := f.temp(types.BoolT)
		f.emit(&ir.Assign{Dst: res, Src: ir.BoolConst(false)})
		var same ir.Expr = ir.BoolConst(true)
		if nx > 0 {
			lx, ly := x.asLazy(), y.asLazy()
			for k := 0; k < nx; k++ {
				same = cmpE(ir.And, same, cmpE(ir.Eq, lx.shape[k], ly.shape[k]))
			}
		}
		f.emit(&ir.If{Cond: same, Then: f.sub(func() {
			bt := types.ArrayOf(types.Int64, nx, 'C')
			if nx == 0 {
				bt = types.ScalarOf(types.Int64)
			}
			diff := f.elementwise(bt, []*val{x, y, {t: types.Int, s: eqNaN}}, func(xs []ir.Expr) ir.Expr {
				a, b := conv(xs[0], pd), conv(xs[1], pd)
				eq := cmpE(ir.Eq, a, b)
				if pd.IsFloat() {
					nan := cmpE(ir.And, cmpE(ir.Ne, a, a), cmpE(ir.Ne, b, b))
					eq = cmpE(ir.Or, eq, cmpE(ir.And, cmpE(ir.Ne, xs[2], ir.IntConst(0)), nan))
				}
				return conv(&ir.Unary{Op: ir.Not, X: eq, T: types.BoolT}, types.Int64)
			})
			n := f.reduce(e, "sum", diff, types.ScalarOf(types.Int64))
			f.emit(&ir.Assign{Dst: res, Src: cmpE(ir.Eq, n.s, ir.IntConst(0))})
		})})
		return &val{t: rt, s: &ir.Ref{Var: res}}
	case "cov", "corrcoef":
		x := f.view2(f.arrayAs(args[0], f64))
		y, hasY := x, ir.Expr(ir.IntConst(0))
		if v := arg(1, "y"); v != nil {
			y, hasY = f.view2(f.arrayAs(v, f64)), ir.IntConst(1)
		}
		rowvar := flag(2, "rowvar", 1)
		var ddof ir.Expr = ir.IntConst(1)
		corr := int64(1)
		if name == "cov" {
			corr = 0
			if v := arg(4, "ddof"); v != nil {
				ddof = f.stableExpr(conv(v.s, types.Int64))
			} else {
				bias := flag(3, "bias", 0)
				ddof = ibin(ir.Sub, ir.IntConst(1), bias)
			}
		}
		at := rt
		if rt.Kind == types.Scalar {
			at = types.ArrayOf(f64, 0, 'C')
		}
		res := f.externCall(ir.HelperCov, []ir.Expr{aref(x), aref(y), hasY, rowvar, ddof, ir.IntConst(corr),
			ir.IntConst(int64(at.NDim))}, at)
		if rt.Kind == types.Scalar {
			return &val{t: rt, s: f.stableExpr(&ir.Load{Arr: res[0]})}
		}
		return &val{t: rt, arr: res[0]}
	case "percentile", "quantile":
		return f.quantile(e, name, args[0], arg(1, "q"), rt)
	case "convolve", "correlate":
		mode, _ := types.CorrelateMode(e, name)
		d := rt.DType
		cd := types.Int64
		if d.IsFloat() {
			cd = f64
		}
		a, v := f.arrayAs(args[0], cd), f.arrayAs(args[1], cd)
		conv1 := int64(0)
		if name == "convolve" {
			conv1 = 1
		}
		res := f.externCall(ir.HelperCorrelate, []ir.Expr{aref(a), aref(v), ir.IntConst(conv1), ir.IntConst(mode)},
			types.ArrayOf(cd, 1, 'C'))
		out := &val{t: types.ArrayOf(cd, 1, 'C'), arr: res[0]}
		if cd == d {
			return &val{t: rt, arr: res[0]}
		}
		return &val{t: rt, arr: f.arrayAs(out, d)}
	case "polyval":
		return f.polyval(args[0], args[1], rt)
	case "polyfit":
		x, y := f.arrayAs(args[0], f64), f.arrayAs(args[1], f64)
		deg := f.stableExpr(conv(args[2].s, types.Int64))
		f.require(cmpE(ir.Ge, deg, ir.IntConst(0)), ir.ErrValue, "expected deg >= 0")
		order := f.once(ibin(ir.Add, deg, ir.IntConst(1)))
		if rt.NDim == 1 {
			out := f.alloc(rt, []ir.Expr{order})
			f.externCall(ir.HelperPolyfit, []ir.Expr{aref(x), aref(y), deg, aref(out)})
			return &val{t: rt, arr: out}
		}
		// A 2-D y: one fit per column, into the columns of the result.
		k := f.once(&ir.Dim{Arr: y, Axis: 1})
		out := f.alloc(rt, []ir.Expr{order, k})
		f.countLoop(k, func(j ir.Expr) {
			col := func(a *ir.Var) ir.Expr {
				v := f.temp(types.ArrayOf(f64, 1, 'A'))
				f.bind(v, a)
				f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: a, Offset: ibin(ir.Mul, j, &ir.Stride{Arr: a, Axis: 1}),
					Shape: []ir.Expr{&ir.Dim{Arr: a, Axis: 0}}, Strides: []ir.Expr{&ir.Stride{Arr: a, Axis: 0}}}})
				return aref(v)
			}
			f.externCall(ir.HelperPolyfit, []ir.Expr{aref(x), col(y), deg, col(out)})
		})
		return &val{t: rt, arr: out}
	case "kron":
		return f.kron(args[0], args[1], rt)
	case "take":
		return f.take(e, args[0], arg(1, "indices"), rt)
	case "put":
		f.put(args[0], args[1], args[2])
		return &val{t: rt}
	case "delete":
		return f.delete(e, args[0], arg(1, "obj"), rt)
	case "fill_diagonal":
		f.fillDiagonal(e, args[0], args[1])
		return &val{t: rt}
	case "copyto":
		// dst[...] = src: broadcasting, the cast and overlap as an
		// assignment's.
		f.storeArray(f.materialize(args[0]), args[1], "", nil, e.P)
		return &val{t: rt}
	}
	return &val{t: rt, s: zeroOf(rt.DType)}
}

// quantile lowers np.percentile and np.quantile (axis None or a constant):
// a float64 copy whose reduced axis is last and contiguous, rows of it
// sorted and interpolated by the helper into a float64 result of shape
// q's + the other axes', cast to the result's dtype.
func (f *fn) quantile(e *pyast.Call, name string, a, q *val, rt *types.Type) *val {
	f64 := types.Float64
	src := f.copyAs(a, f64)
	nd := src.Type.NDim
	var other []ir.Expr
	var n ir.Expr
	axis, has, _ := types.ConstAxisOf(e, 2)
	if !has {
		n = f.once(product(dims(src, 0)))
	} else {
		if axis < 0 {
			axis += int64(nd)
		}
		k := int(axis)
		if k != nd-1 {
			// Move the axis last (a view), then copy C-ordered.
			var shape, strides []ir.Expr
			for i := 0; i < nd; i++ {
				if i != k {
					shape = append(shape, &ir.Dim{Arr: src, Axis: i})
					strides = append(strides, &ir.Stride{Arr: src, Axis: i})
				}
			}
			shape = append(shape, &ir.Dim{Arr: src, Axis: k})
			strides = append(strides, &ir.Stride{Arr: src, Axis: k})
			pv := f.temp(types.ArrayOf(f64, nd, 'A'))
			f.bind(pv, src)
			f.emit(&ir.SetArray{Dst: pv, Src: &ir.View{Base: src, Offset: ir.IntConst(0), Shape: shape, Strides: strides}})
			src = f.copyAs(&val{t: pv.Type, arr: pv}, f64)
		}
		for i := 0; i < nd-1; i++ {
			other = append(other, f.once(&ir.Dim{Arr: src, Axis: i}))
		}
		n = f.once(&ir.Dim{Arr: src, Axis: nd - 1})
	}
	rows := f.once(product1(other))
	rowsV := f.temp(types.ArrayOf(f64, 2, 'A'))
	f.bind(rowsV, src)
	f.emit(&ir.SetArray{Dst: rowsV, Src: &ir.View{Base: src, Offset: ir.IntConst(0),
		Shape: []ir.Expr{rows, n}, Strides: []ir.Expr{n, ir.IntConst(1)}}})
	var Q *ir.Var
	var nq ir.Expr = ir.IntConst(1)
	if q.t.Kind == types.Array {
		Q = f.arrayAs(q, f64)
		nq = f.once(&ir.Dim{Arr: Q, Axis: 0})
	} else {
		Q = f.alloc(types.ArrayOf(f64, 1, 'C'), []ir.Expr{ir.IntConst(1)})
		f.emit(&ir.Store{Arr: Q, Idx: []ir.Expr{ir.IntConst(0)}, Src: conv(q.s, f64)})
	}
	var shape []ir.Expr
	if q.t.Kind == types.Array {
		shape = append(shape, nq)
	}
	shape = append(shape, other...)
	outT := types.ArrayOf(f64, len(shape), 'C')
	out := f.alloc(outT, shape)
	outV := f.temp(types.ArrayOf(f64, 2, 'A'))
	f.bind(outV, out)
	f.emit(&ir.SetArray{Dst: outV, Src: &ir.View{Base: out, Offset: ir.IntConst(0),
		Shape: []ir.Expr{nq, rows}, Strides: []ir.Expr{rows, ir.IntConst(1)}}})
	scale := 1.0
	if name == "percentile" {
		scale = 100.0
	}
	narrow := int64(0)
	if a.t.DType == types.Float32 {
		narrow = 1
	}
	f.externCall(ir.HelperQuantile, []ir.Expr{aref(rowsV), aref(Q), &ir.Const{Type: types.ScalarOf(f64), F: scale},
		ir.IntConst(narrow), aref(outV)})
	if rt.Kind == types.Scalar {
		return &val{t: rt, s: f.stableExpr(conv(&ir.Load{Arr: out, Idx: nil}, rt.DType))}
	}
	if rt.DType == f64 {
		return &val{t: rt, arr: out}
	}
	return &val{t: rt, arr: f.arrayAs(&val{t: outT, arr: out}, rt.DType)}
}

// polyval is NumPy's Horner loop: y = 0 (x's shape), then y = y x + c for
// each coefficient c, in the result's dtype.
func (f *fn) polyval(p, x *val, rt *types.Type) *val {
	d := rt.DType
	st := types.ScalarOf(d)
	P := f.arrayAs(p, d)
	np := f.once(&ir.Dim{Arr: P, Axis: 0})
	if x.t.Kind == types.Scalar {
		xs := f.stableExpr(conv(x.s, d))
		acc := f.temp(st)
		f.emit(&ir.Assign{Dst: acc, Src: zeroOf(d)})
		f.countLoop(np, func(k ir.Expr) {
			f.emit(&ir.Assign{Dst: acc, Src: &ir.Bin{Op: ir.Add, X: &ir.Bin{Op: ir.Mul, X: &ir.Ref{Var: acc}, Y: xs, T: st},
				Y: &ir.Load{Arr: P, Idx: []ir.Expr{k}}, T: st}})
		})
		return &val{t: rt, s: &ir.Ref{Var: acc}}
	}
	X := f.arrayAs(x, d)
	shape := make([]ir.Expr, rt.NDim)
	for i := range shape {
		shape[i] = f.once(&ir.Dim{Arr: X, Axis: i})
	}
	y := f.alloc(rt, shape)
	f.fill(y, shape, func([]ir.Expr) ir.Expr { return zeroOf(d) })
	f.countLoop(np, func(k ir.Expr) {
		f.fill(y, shape, func(idx []ir.Expr) ir.Expr {
			return &ir.Bin{Op: ir.Add, X: &ir.Bin{Op: ir.Mul, X: &ir.Load{Arr: y, Idx: idx}, Y: &ir.Load{Arr: X, Idx: idx}, T: st},
				Y: &ir.Load{Arr: P, Idx: []ir.Expr{k}}, T: st}
		})
	})
	return &val{t: rt, arr: y}
}

// kron is np.kron of two arrays of the same rank (1 or 2): out[i nb + k]
// = a[i] b[k] along each axis.
func (f *fn) kron(a, b *val, rt *types.Type) *val {
	d := rt.DType
	A, B := f.arrayAs(a, d), f.arrayAs(b, d)
	nd := rt.NDim
	var bounds, shape []ir.Expr
	for i := 0; i < nd; i++ {
		bounds = append(bounds, f.once(&ir.Dim{Arr: A, Axis: i}))
	}
	for i := 0; i < nd; i++ {
		bounds = append(bounds, f.once(&ir.Dim{Arr: B, Axis: i}))
	}
	for i := 0; i < nd; i++ {
		shape = append(shape, f.once(ibin(ir.Mul, bounds[i], bounds[nd+i])))
	}
	out := f.alloc(rt, shape)
	vs, idx := f.idxVars(2 * nd)
	oi := make([]ir.Expr, nd)
	for i := 0; i < nd; i++ {
		oi[i] = ibin(ir.Add, ibin(ir.Mul, idx[i], bounds[nd+i]), idx[nd+i])
	}
	f.emit(&ir.Nest{Vars: vs, Bounds: bounds, Body: []ir.Stmt{&ir.Store{Arr: out, Idx: oi,
		Src: &ir.Bin{Op: ir.Mul, X: &ir.Load{Arr: A, Idx: idx[:nd]}, Y: &ir.Load{Arr: B, Idx: idx[nd:]}, T: types.ScalarOf(d)}}}})
	return &val{t: rt, arr: out}
}

// flatC is a 1-D view of the C-contiguous array a.
func (f *fn) flatC(a *ir.Var) *ir.Var {
	v := f.temp(types.ArrayOf(a.Type.DType, 1, 'C'))
	f.bind(v, a)
	f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: a, Offset: ir.IntConst(0),
		Shape: []ir.Expr{f.once(product1(dims(a, 0)))}, Strides: []ir.Expr{ir.IntConst(1)}}})
	return v
}

// wrapIndex is index i (int64) of an axis of n elements, negative ones
// counted from the end, checked as NumPy does.
func (f *fn) wrapIndex(i, n ir.Expr, axis int) ir.Expr {
	j := f.scalarVar(types.Int64, i)
	f.require(cmpE(ir.And, cmpE(ir.Ge, &ir.Ref{Var: j}, ibin(ir.Sub, ir.IntConst(0), n)), cmpE(ir.Lt, &ir.Ref{Var: j}, n)),
		ir.ErrIndex, "index {0} is out of bounds for axis "+itoa(axis)+" with size {1}", &ir.Ref{Var: j}, n)
	return &ir.Select{Cond: cmpE(ir.Lt, &ir.Ref{Var: j}, ir.IntConst(0)), X: ibin(ir.Add, &ir.Ref{Var: j}, n),
		Y: &ir.Ref{Var: j}, T: i64T}
}

func itoa(k int) string {
	if k < 10 {
		return string(rune('0' + k))
	}
	return itoa(k/10) + string(rune('0'+k%10))
}

// take is np.take(a, indices, axis): along the axis (the flattened array
// for None), the result's shape is a's with that axis replaced by the
// indices' shape.
func (f *fn) take(e *pyast.Call, a, ind *val, rt *types.Type) *val {
	axis, has, _ := types.ConstAxisOf(e, 2)
	var A *ir.Var
	if has {
		A = f.arrayAs(a, a.t.DType)
		if axis < 0 {
			axis += int64(A.Type.NDim)
		}
	} else {
		A = f.flatC(f.copyAs(a, a.t.DType))
		axis = 0
	}
	k := int(axis)
	n := f.once(&ir.Dim{Arr: A, Axis: k})
	if ind.t.Kind == types.Scalar {
		j := f.wrapIndex(conv(ind.s, types.Int64), n, k)
		if rt.Kind == types.Scalar {
			return &val{t: rt, s: f.stableExpr(&ir.Load{Arr: A, Idx: []ir.Expr{j}})}
		}
		jv := f.stableExpr(j)
		var shape []ir.Expr
		for i := 0; i < A.Type.NDim; i++ {
			if i != k {
				shape = append(shape, f.once(&ir.Dim{Arr: A, Axis: i}))
			}
		}
		out := f.alloc(rt, shape)
		f.fill(out, shape, func(idx []ir.Expr) ir.Expr {
			full := append(append(append([]ir.Expr{}, idx[:k]...), jv), idx[k:]...)
			return &ir.Load{Arr: A, Idx: full}
		})
		return &val{t: rt, arr: out}
	}
	I := f.arrayAs(ind, types.Int64)
	ni := I.Type.NDim
	var shape []ir.Expr
	for i := 0; i < k; i++ {
		shape = append(shape, f.once(&ir.Dim{Arr: A, Axis: i}))
	}
	for i := 0; i < ni; i++ {
		shape = append(shape, f.once(&ir.Dim{Arr: I, Axis: i}))
	}
	for i := k + 1; i < A.Type.NDim; i++ {
		shape = append(shape, f.once(&ir.Dim{Arr: A, Axis: i}))
	}
	out := f.alloc(rt, shape)
	vs, idx := f.idxVars(len(shape))
	body := f.sub(func() {
		j := f.stableExpr(f.wrapIndex(&ir.Load{Arr: I, Idx: idx[k : k+ni]}, n, k))
		full := append(append(append([]ir.Expr{}, idx[:k]...), j), idx[k+ni:]...)
		f.emit(&ir.Store{Arr: out, Idx: idx, Src: &ir.Load{Arr: A, Idx: full}})
	})
	f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: body})
	return &val{t: rt, arr: out}
}

// put is np.put(a, ind, v): a.flat[ind[i]] = v[i % len(v)] in C order,
// negative indices from the end, v cast to a's dtype.
func (f *fn) put(a, ind, v *val) {
	A := f.materialize(a)
	d := A.Type.DType
	nd := A.Type.NDim
	size := f.once(product1(dims(A, 0)))
	var I, V *ir.Var
	if ind.t.Kind == types.Scalar {
		I = f.alloc(types.ArrayOf(types.Int64, 1, 'C'), []ir.Expr{ir.IntConst(1)})
		f.emit(&ir.Store{Arr: I, Idx: []ir.Expr{ir.IntConst(0)}, Src: conv(ind.s, types.Int64)})
	} else {
		I = f.flatC(f.copyAs(ind, types.Int64))
	}
	if v.t.Kind == types.Scalar {
		V = f.alloc(types.ArrayOf(d, 1, 'C'), []ir.Expr{ir.IntConst(1)})
		f.emit(&ir.Store{Arr: V, Idx: []ir.Expr{ir.IntConst(0)}, Src: conv(v.s, d)})
	} else {
		V = f.flatC(f.copyAs(v, d))
	}
	ni, nv := f.once(&ir.Dim{Arr: I, Axis: 0}), f.once(&ir.Dim{Arr: V, Axis: 0})
	f.emit(&ir.If{Cond: cmpE(ir.Gt, nv, ir.IntConst(0)), Then: f.sub(func() {
		f.countLoop(ni, func(i ir.Expr) {
			j := f.scalarVar(types.Int64, f.wrapIndex(&ir.Load{Arr: I, Idx: []ir.Expr{i}}, size, 0))
			// The flat index in C order, split into a's axes.
			idx := make([]ir.Expr, nd)
			rest := ir.Expr(&ir.Ref{Var: j})
			for k := nd - 1; k >= 0; k-- {
				dk := &ir.Dim{Arr: A, Axis: k}
				if k == 0 {
					idx[k] = rest
					break
				}
				idx[k] = ibin(ir.Mod, rest, dk)
				rest = ibin(ir.Div, rest, dk)
			}
			f.emit(&ir.Store{Arr: A, Idx: idx, Src: &ir.Load{Arr: V, Idx: []ir.Expr{ibin(ir.Mod, i, nv)}}})
		})
	})})
}

// grid lowers np.mgrid[...] and np.ogrid[...] as NumPy computes them: per
// slice, the number of points (ceil((stop - start) / step), or the
// complex step's count) and the value index * step + start in the grid's
// dtype, a count's step being (stop - start) / (count - 1).
func (f *fn) grid(e *pyast.Subscript, sparse bool, rt *types.Type) *val {
	slices, multi := types.GridSlices(e)
	d := rt.DType
	if rt.Kind == types.Tuple {
		d = rt.Elems[0].DType
	}
	f64 := types.Float64
	n := len(slices)
	sizes := make([]ir.Expr, n)
	steps := make([]ir.Expr, n)
	starts := make([]ir.Expr, n)
	for k, sl := range slices {
		var start ir.Expr = ir.IntConst(0)
		if sl.Lower != nil {
			start = f.expr(sl.Lower).s
		}
		start = f.stableExpr(start)
		stop := f.stableExpr(f.expr(sl.Upper).s)
		starts[k] = conv(start, d)
		if cnt, ok := types.GridStep(sl); ok {
			sizes[k] = ir.IntConst(cnt)
			var step ir.Expr = &ir.Const{Type: types.ScalarOf(f64), F: 1}
			if cnt != 1 {
				step = &ir.Bin{Op: ir.Div, X: &ir.Bin{Op: ir.Sub, X: conv(stop, f64), Y: conv(start, f64), T: types.ScalarOf(f64)},
					Y: &ir.Const{Type: types.ScalarOf(f64), F: float64(cnt - 1)}, T: types.ScalarOf(f64)}
			}
			steps[k] = f.stableExpr(conv(step, d))
			continue
		}
		var step ir.Expr = ir.IntConst(1)
		if sl.Step != nil {
			step = f.stableExpr(f.expr(sl.Step).s)
		}
		if ir.TypeOf(step).DType.IsFloat() {
			f.require(cmpE(ir.Ne, step, &ir.Const{Type: ir.TypeOf(step)}), ir.ErrZeroDiv, "float division by zero")
		} else {
			f.require(cmpE(ir.Ne, step, zeroOf(ir.TypeOf(step).DType)), ir.ErrZeroDiv, "division by zero")
		}
		steps[k] = f.stableExpr(conv(step, d))
		q := &ir.Bin{Op: ir.Div, X: &ir.Bin{Op: ir.Sub, X: conv(stop, f64), Y: conv(start, f64), T: types.ScalarOf(f64)},
			Y: conv(step, f64), T: types.ScalarOf(f64)}
		size := f.stableExpr(&ir.Cast{X: &ir.Intrinsic{Fn: ir.FnCeil, Args: []ir.Expr{q}, T: types.ScalarOf(f64)}, T: i64T})
		if !multi {
			// np.arange(start, stop, step): empty when it would be negative.
			size = f.stableExpr(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{size, ir.IntConst(0)}, T: i64T})
		} else {
			f.require(cmpE(ir.Ge, size, ir.IntConst(0)), ir.ErrValue, "negative dimensions are not allowed")
		}
		sizes[k] = size
	}
	st := types.ScalarOf(d)
	value := func(k int, i ir.Expr) ir.Expr {
		return &ir.Bin{Op: ir.Add, X: &ir.Bin{Op: ir.Mul, X: conv(i, d), Y: steps[k], T: st}, Y: starts[k], T: st}
	}
	if !multi {
		out := f.alloc(rt, sizes[:1])
		f.fill(out, sizes[:1], func(idx []ir.Expr) ir.Expr { return value(0, idx[0]) })
		return &val{t: rt, arr: out}
	}
	if !sparse {
		shape := append([]ir.Expr{ir.IntConst(int64(n))}, sizes...)
		out := f.alloc(rt, shape)
		for k := 0; k < n; k++ {
			k := k
			view := f.temp(types.ArrayOf(d, n, 'A'))
			f.bind(view, out)
			var strides []ir.Expr
			for i := 1; i <= n; i++ {
				strides = append(strides, &ir.Stride{Arr: out, Axis: i})
			}
			f.emit(&ir.SetArray{Dst: view, Src: &ir.View{Base: out, Offset: ibin(ir.Mul, ir.IntConst(int64(k)), &ir.Stride{Arr: out, Axis: 0}),
				Shape: sizes, Strides: strides}})
			f.fill(view, sizes, func(idx []ir.Expr) ir.Expr { return value(k, idx[k]) })
		}
		return &val{t: rt, arr: out}
	}
	res := &val{t: rt}
	for k := 0; k < n; k++ {
		k := k
		shape := make([]ir.Expr, n)
		for i := range shape {
			shape[i] = ir.IntConst(1)
		}
		shape[k] = sizes[k]
		out := f.alloc(rt.Elems[k], shape)
		f.fill(out, shape, func(idx []ir.Expr) ir.Expr { return value(k, idx[k]) })
		res.elems = append(res.elems, &val{t: rt.Elems[k], arr: out})
	}
	return res
}

// listArray is a list of numbers as the 1-D array NumPy makes of it (a
// copy of its items, in types.ListArray's dtype); other values unchanged.
func (f *fn) listArray(v *val) *val {
	t := types.ListArray(v.t)
	if t == v.t {
		return v
	}
	n := f.once(listLen(v))
	out := f.alloc(t, []ir.Expr{n})
	f.copyItems(out, ir.IntConst(0), listBuf(v), ir.IntConst(0), n)
	return &val{t: t, arr: out}
}

// fillDiagonal lowers np.fill_diagonal(a, val, wrap) as NumPy defines it,
// a.flat[:end:step] = val: the flat positions k * step (step the sum of the
// C strides in elements, m + 1 for an n x m matrix) for as many k as the
// diagonal has elements (min(n, m), or with wrap every k * (m + 1) below
// n * m), written by put, which cycles val's values as a flat assignment
// does. Beyond two dimensions NumPy requires equal extents.
func (f *fn) fillDiagonal(e *pyast.Call, a, v *val) {
	A := f.materialize(a)
	nd := A.Type.NDim
	n := f.once(&ir.Dim{Arr: A, Axis: 0})
	m := f.once(&ir.Dim{Arr: A, Axis: nd - 1})
	var count, step ir.Expr
	if nd == 2 {
		step = f.once(ibin(ir.Add, m, ir.IntConst(1)))
		count = &ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{n, m}, T: types.ScalarOf(types.Int64)}
		if wrap, _ := types.FillDiagonalWrap(e); wrap {
			count = ibin(ir.Div, ibin(ir.Add, ibin(ir.Mul, n, m), m), step)
		}
	} else {
		for k := 1; k < nd; k++ {
			f.emit(&ir.Check{Cond: cmpE(ir.Eq, &ir.Dim{Arr: A, Axis: k}, n), Err: ir.ErrValue,
				Msg: "All dimensions of input must be of equal length"})
		}
		// 1 + n + n^2 + ... + n^(nd-1)
		var s, p ir.Expr = ir.IntConst(1), ir.IntConst(1)
		for k := 1; k < nd; k++ {
			p = ibin(ir.Mul, p, n)
			s = ibin(ir.Add, s, p)
		}
		step, count = f.once(s), n
	}
	count = f.once(count)
	I := f.alloc(types.ArrayOf(types.Int64, 1, 'C'), []ir.Expr{count})
	f.countLoop(count, func(k ir.Expr) {
		f.emit(&ir.Store{Arr: I, Idx: []ir.Expr{k}, Src: ibin(ir.Mul, k, step)})
	})
	f.put(&val{t: A.Type, arr: A}, &val{t: I.Type, arr: I}, v)
}

// delete lowers np.delete(arr, obj, axis) as NumPy computes it: a mask of
// the positions along the axis (the flattened array's for axis None) that
// obj leaves, obj's indices checked and wrapped as NumPy's fancy index
// checks them (a boolean obj is the mask of those removed and must match
// the axis length), then take of the kept positions along the axis.
func (f *fn) delete(e *pyast.Call, a, obj *val, rt *types.Type) *val {
	axis, has, _ := types.ConstAxisOf(e, 2)
	var n ir.Expr
	k := 0
	if has {
		A := f.arrayAs(a, a.t.DType)
		if axis < 0 {
			axis += int64(A.Type.NDim)
		}
		k = int(axis)
		n = f.once(&ir.Dim{Arr: A, Axis: k})
		a = &val{t: A.Type, arr: A}
	} else {
		A := f.flatC(f.copyAs(a, a.t.DType))
		n = f.once(&ir.Dim{Arr: A, Axis: 0})
		a = &val{t: A.Type, arr: A}
	}
	keep := f.alloc(types.ArrayOf(types.Bool, 1, 'C'), []ir.Expr{n})
	switch {
	case obj.t.Kind == types.Scalar:
		f.countLoop(n, func(i ir.Expr) { f.emit(&ir.Store{Arr: keep, Idx: []ir.Expr{i}, Src: ir.BoolConst(true)}) })
		j := f.wrapIndex(conv(obj.s, types.Int64), n, k)
		f.emit(&ir.Store{Arr: keep, Idx: []ir.Expr{j}, Src: ir.BoolConst(false)})
	case obj.t.DType == types.Bool:
		m := f.arrayAs(obj, types.Bool)
		f.require(cmpE(ir.Eq, &ir.Dim{Arr: m, Axis: 0}, n), ir.ErrValue, "boolean array argument obj to delete must "+
			"be one dimensional and match the axis length of {0}", n)
		f.countLoop(n, func(i ir.Expr) {
			f.emit(&ir.Store{Arr: keep, Idx: []ir.Expr{i}, Src: not(&ir.Load{Arr: m, Idx: []ir.Expr{i}})})
		})
	default:
		f.countLoop(n, func(i ir.Expr) { f.emit(&ir.Store{Arr: keep, Idx: []ir.Expr{i}, Src: ir.BoolConst(true)}) })
		I := f.flatC(f.copyAs(obj, types.Int64))
		f.countLoop(f.once(&ir.Dim{Arr: I, Axis: 0}), func(i ir.Expr) {
			// NumPy indexes its 1-D mask with obj, so its message names axis 0
			j := f.wrapIndex(&ir.Load{Arr: I, Idx: []ir.Expr{i}}, n, 0)
			f.emit(&ir.Store{Arr: keep, Idx: []ir.Expr{j}, Src: ir.BoolConst(false)})
		})
	}
	cnt := f.scalarVar(types.Int64, ir.IntConst(0))
	f.countLoop(n, func(i ir.Expr) {
		f.emit(&ir.If{Cond: &ir.Load{Arr: keep, Idx: []ir.Expr{i}}, Then: []ir.Stmt{
			&ir.Assign{Dst: cnt, Src: ibin(ir.Add, &ir.Ref{Var: cnt}, ir.IntConst(1))}}})
	})
	idx := f.alloc(types.ArrayOf(types.Int64, 1, 'C'), []ir.Expr{&ir.Ref{Var: cnt}})
	pos := f.scalarVar(types.Int64, ir.IntConst(0))
	f.countLoop(n, func(i ir.Expr) {
		f.emit(&ir.If{Cond: &ir.Load{Arr: keep, Idx: []ir.Expr{i}}, Then: []ir.Stmt{
			&ir.Store{Arr: idx, Idx: []ir.Expr{&ir.Ref{Var: pos}}, Src: i},
			&ir.Assign{Dst: pos, Src: ibin(ir.Add, &ir.Ref{Var: pos}, ir.IntConst(1))}}})
	})
	return f.take(e, a, &val{t: idx.Type, arr: idx}, rt)
}
