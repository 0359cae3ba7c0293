package lower

// Reductions with axis= and keepdims=, and std var median argmin argmax all
// any cumsum cumprod diff and the nan-ignoring forms (typed by
// types/reduce_axis.go). Every output element is computed by counted loops
// over the reduced axes in the array's logical order (the natural order
// NumPy uses for an axis that is not the innermost); the loops are ir.For,
// not Nest, because their iterations share an accumulator (and, for the
// median, a scratch buffer). The reduced array is read through its lazy
// generator, so np.sum(x * x, axis=1) allocates nothing.

import (
	"strings"

	"sejit/internal/ir"
	"sejit/internal/library"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// forLoops emits counted loops over bounds, outermost first, and calls body
// with their index variables inside the innermost.
func (f *fn) forLoops(bounds []ir.Expr, body func(idx []ir.Expr)) {
	if len(bounds) == 0 {
		body(nil)
		return
	}
	v := &ir.Var{Name: f.unique("r"), Type: i64T, Param: -1}
	f.f.Locals = append(f.f.Locals, v)
	inner := f.sub(func() {
		f.forLoops(bounds[1:], func(rest []ir.Expr) {
			body(append([]ir.Expr{&ir.Ref{Var: v}}, rest...))
		})
	})
	f.emit(&ir.For{Var: v, Start: ir.IntConst(0), Stop: bounds[0], Step: ir.IntConst(1), Sign: 1, Body: inner})
}

func (f *fn) scalarVar(d types.DType, init ir.Expr) *ir.Var {
	v := f.temp(types.ScalarOf(d))
	if init != nil {
		f.emit(&ir.Assign{Dst: v, Src: conv(init, d)})
	}
	return v
}

func bin(op ir.Op, x, y ir.Expr, d types.DType) ir.Expr {
	t := types.ScalarOf(d)
	switch op {
	case ir.Lt, ir.Le, ir.Gt, ir.Ge, ir.Eq, ir.Ne, ir.And, ir.Or:
		t = types.BoolT
	}
	return &ir.Bin{Op: op, X: x, Y: y, T: t}
}

func isNaN(x ir.Expr) ir.Expr {
	if !ir.TypeOf(x).DType.IsFloat() {
		return ir.BoolConst(false)
	}
	return &ir.Bin{Op: ir.Ne, X: x, Y: x, T: types.BoolT}
}

func ref(v *ir.Var) ir.Expr { return &ir.Ref{Var: v} }

// reduceAxis lowers one reduction call.
func (f *fn) reduceAxis(e *pyast.Call, name string, args []*val, ra *types.ReduceArgs, rt *types.Type) *val {
	x := args[0]
	lz := x.asLazy()
	n := len(lz.shape)
	shape := make([]ir.Expr, n)
	for k, s := range lz.shape {
		shape[k] = f.once(s)
	}
	red := make([]bool, n)
	for k := range red {
		red[k] = ra.AllAxes
	}
	for _, k := range ra.Axes {
		red[k] = true
	}
	switch name {
	case "cumsum", "cumprod":
		return f.cumulative(name, lz, shape, ra, rt)
	case "diff":
		return f.diff(x, lz, shape, ra.Axes[0], ra.N, rt)
	}
	var outer, inner []ir.Expr
	for k := range shape {
		if red[k] {
			inner = append(inner, shape[k])
		} else {
			outer = append(outer, shape[k])
		}
	}
	count := f.once(product1(inner))
	// An empty reduction of min, max, argmin or argmax raises even when
	// there is no output element to compute.
	switch strings.TrimPrefix(name, "nan") {
	case "min", "max", "amin", "amax", "norm.-inf":
		long := "minimum"
		if strings.HasSuffix(name, "max") {
			long = "maximum"
		}
		f.emit(&ir.Check{Cond: bin(ir.Gt, count, ir.IntConst(0), types.Bool), Err: ir.ErrValue,
			Msg: "zero-size array to reduction operation " + long + " which has no identity"})
	case "argmin", "argmax":
		f.emit(&ir.Check{Cond: bin(ir.Gt, count, ir.IntConst(0), types.Bool), Err: ir.ErrValue,
			Msg: "attempt to get " + name + " of an empty sequence"})
	}
	var ddof ir.Expr = &ir.Const{Type: types.ScalarOf(types.Float64)}
	if ra.DDof != nil {
		ddof = f.stableExpr(conv(f.expr(ra.DDof).s, types.Float64))
	}
	var buf *ir.Var
	if name == "median" || name == "nanmedian" {
		buf = f.temp(types.ArrayOf(rt.DType, 1, 'C'))
		f.emit(&ir.SetArray{Dst: buf, Src: &ir.Alloc{DType: rt.DType, Shape: []ir.Expr{count}}})
	}
	// elem reads the element at outer indices o and reduced indices r.
	elem := func(o, r []ir.Expr) ir.Expr {
		idx := make([]ir.Expr, n)
		oi, ri := 0, 0
		for k := range idx {
			if red[k] {
				idx[k] = r[ri]
				ri++
			} else {
				idx[k] = o[oi]
				oi++
			}
		}
		return lz.gen(unitIndex(lz.shape, idx))
	}
	one := func(o []ir.Expr) ir.Expr {
		return f.reduceOne(name, func(r []ir.Expr) ir.Expr { return elem(o, r) }, inner, count, ddof, buf, rt.DType)
	}
	if rt.Kind == types.Scalar {
		return &val{t: rt, s: one(nil)}
	}
	outShape := make([]ir.Expr, 0, n)
	for k := range shape {
		switch {
		case !red[k]:
			outShape = append(outShape, shape[k])
		case ra.KeepDims:
			outShape = append(outShape, ir.IntConst(1))
		}
	}
	out := f.temp(types.ArrayOf(rt.DType, len(outShape), 'C'))
	f.emit(&ir.SetArray{Dst: out, Src: &ir.Alloc{DType: rt.DType, Shape: outShape}})
	f.noteShape(out, outShape)
	generic := f.sub(func() {
		f.forLoops(outer, func(o []ir.Expr) {
			f.storeReduced(out, o, one(o), shape, red, ra.KeepDims)
		})
	})
	if !red[n-1] && library.Lookup("numpy", name).Has(library.Columns) {
		// Rows of at least a vector's length: accumulate whole rows.
		column := f.sub(func() { f.reduceColumns(name, lz, shape, red, ra.KeepDims, rt, out, count) })
		f.emit(&ir.If{Cond: bin(ir.Ge, shape[n-1], ir.IntConst(8), types.Int64), Then: column, Else: generic})
	} else {
		for _, st := range generic {
			f.emit(st)
		}
	}
	return &val{t: rt, arr: out}
}

// storeReduced stores one output element at outer indices o.
func (f *fn) storeReduced(out *ir.Var, o []ir.Expr, res ir.Expr, shape []ir.Expr, red []bool, keep bool) {
	idx := make([]ir.Expr, 0, len(shape))
	oi := 0
	for k := range shape {
		switch {
		case !red[k]:
			idx = append(idx, o[oi])
			oi++
		case keep:
			idx = append(idx, ir.IntConst(0))
		}
	}
	f.emit(&ir.Store{Arr: out, Idx: idx, Src: conv(res, out.Type.DType)})
}

func product1(shape []ir.Expr) ir.Expr {
	if len(shape) == 0 {
		return ir.IntConst(1)
	}
	return product(shape)
}

// reduceOne emits the statements computing one output element from the
// elements gen(r) for r over bounds, and returns its value (of dtype d, or
// of the accumulator's dtype, converted by the caller).
func (f *fn) reduceOne(name string, gen func(r []ir.Expr) ir.Expr, bounds []ir.Expr, count, ddof ir.Expr,
	buf *ir.Var, d types.DType) ir.Expr {
	nan := strings.HasPrefix(name, "nan")
	base := strings.TrimPrefix(name, "nan")
	f64 := types.Float64
	switch base {
	case "sum", "prod", "mean":
		acc := d
		if d == types.Float32 {
			acc = f64
		}
		op, init := ir.Add, ir.Expr(zeroOf(acc))
		if base == "prod" {
			op, init = ir.Mul, oneOf(acc)
		}
		a := f.scalarVar(acc, init)
		var cnt *ir.Var
		if base == "mean" && nan {
			cnt = f.scalarVar(types.Int64, ir.IntConst(0))
		}
		f.forLoops(bounds, func(r []ir.Expr) {
			xv := f.scalarVar(acc, gen(r))
			upd := bin(op, ref(a), ref(xv), acc)
			if nan && acc.IsFloat() {
				f.emit(&ir.Assign{Dst: a, Src: &ir.Select{Cond: isNaN(ref(xv)), X: ref(a), Y: upd, T: types.ScalarOf(acc)}})
				if cnt != nil {
					f.emit(&ir.Assign{Dst: cnt, Src: bin(ir.Add, ref(cnt), conv(not(isNaN(ref(xv))), types.Int64), types.Int64)})
				}
				return
			}
			f.emit(&ir.Assign{Dst: a, Src: upd})
		})
		if base == "mean" {
			n := count
			if cnt != nil {
				n = ref(cnt)
			}
			return conv(bin(ir.Div, ref(a), conv(n, acc), acc), d)
		}
		return conv(ref(a), d)
	case "min", "max", "amin", "amax":
		op := ir.Lt
		if base == "max" || base == "amax" {
			op = ir.Gt
		}
		a := f.scalarVar(d, nil)
		if nan && d.IsFloat() {
			f.emit(&ir.Assign{Dst: a, Src: &ir.Const{Type: types.ScalarOf(d), F: nanValue()}})
		} else {
			f.emit(&ir.Assign{Dst: a, Src: conv(gen(zeros(len(bounds))), d)})
		}
		f.forLoops(bounds, func(r []ir.Expr) {
			xv := f.scalarVar(d, gen(r))
			var better ir.Expr = bin(op, ref(xv), ref(a), d)
			if d.IsFloat() {
				if nan {
					better = bin(ir.And, not(isNaN(ref(xv))), bin(ir.Or, better, isNaN(ref(a)), d), d)
				} else {
					better = bin(ir.Or, better, isNaN(ref(xv)), d)
				}
			}
			f.emit(&ir.Assign{Dst: a, Src: &ir.Select{Cond: better, X: ref(xv), Y: ref(a), T: types.ScalarOf(d)}})
		})
		return ref(a)
	case "argmin", "argmax":
		op := ir.Lt
		if base == "argmax" {
			op = ir.Gt
		}
		g := gen(zeros(len(bounds)))
		xd := ir.TypeOf(g).DType
		best := f.scalarVar(xd, g)
		bi := f.scalarVar(types.Int64, ir.IntConst(0))
		pos := f.scalarVar(types.Int64, ir.IntConst(0))
		f.forLoops(bounds, func(r []ir.Expr) {
			xv := f.scalarVar(xd, gen(r))
			var better ir.Expr = bin(op, ref(xv), ref(best), xd)
			if xd.IsFloat() {
				better = bin(ir.Or, better, bin(ir.And, isNaN(ref(xv)), not(isNaN(ref(best))), xd), xd)
			}
			f.emit(&ir.If{Cond: better, Then: []ir.Stmt{&ir.Assign{Dst: best, Src: ref(xv)}, &ir.Assign{Dst: bi, Src: ref(pos)}}})
			f.emit(&ir.Assign{Dst: pos, Src: bin(ir.Add, ref(pos), ir.IntConst(1), types.Int64)})
		})
		return ref(bi)
	case "all", "any":
		a := f.scalarVar(types.Bool, ir.BoolConst(base == "all"))
		f.forLoops(bounds, func(r []ir.Expr) {
			op := ir.And
			if base == "any" {
				op = ir.Or
			}
			f.emit(&ir.Assign{Dst: a, Src: bin(op, ref(a), truth(gen(r)), types.Bool)})
		})
		return ref(a)
	case "std", "var":
		acc := f64
		if !nan && count != nil {
			return f.variance(base, gen, bounds, count, ddof, d)
		}
		s := f.scalarVar(acc, zeroOf(acc))
		cnt := f.scalarVar(types.Int64, ir.IntConst(0))
		f.forLoops(bounds, func(r []ir.Expr) {
			xv := f.scalarVar(acc, gen(r))
			upd := bin(ir.Add, ref(s), ref(xv), acc)
			inc := bin(ir.Add, ref(cnt), ir.IntConst(1), types.Int64)
			if nan {
				f.emit(&ir.If{Cond: not(isNaN(ref(xv))), Then: []ir.Stmt{&ir.Assign{Dst: s, Src: upd}, &ir.Assign{Dst: cnt, Src: inc}}})
				return
			}
			f.emit(&ir.Assign{Dst: s, Src: upd})
			f.emit(&ir.Assign{Dst: cnt, Src: inc})
		})
		mean := f.scalarVar(acc, bin(ir.Div, ref(s), conv(ref(cnt), acc), acc))
		ss := f.scalarVar(acc, zeroOf(acc))
		f.forLoops(bounds, func(r []ir.Expr) {
			xv := f.scalarVar(acc, gen(r))
			dv := f.scalarVar(acc, bin(ir.Sub, ref(xv), ref(mean), acc))
			upd := bin(ir.Add, ref(ss), bin(ir.Mul, ref(dv), ref(dv), acc), acc)
			if nan {
				f.emit(&ir.If{Cond: not(isNaN(ref(xv))), Then: []ir.Stmt{&ir.Assign{Dst: ss, Src: upd}}})
				return
			}
			f.emit(&ir.Assign{Dst: ss, Src: upd})
		})
		den := &ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{bin(ir.Sub, conv(ref(cnt), acc), ddof, acc), zeroOf(acc)},
			T: types.ScalarOf(acc)}
		v := bin(ir.Div, ref(ss), den, acc)
		if base == "std" {
			v = &ir.Intrinsic{Fn: ir.FnSqrt, Args: []ir.Expr{v}, T: types.ScalarOf(acc)}
		}
		return conv(v, d)
	case "median":
		return f.median(gen, bounds, buf, nan, d)
	case "norm.2", "norm.1", "norm.0":
		// NumPy's sqrt(add.reduce(x * x)), add.reduce(abs(x)) and the count of
		// non-zeros, each in the result's float dtype
		a := f.scalarVar(d, zeroOf(d))
		f.forLoops(bounds, func(r []ir.Expr) {
			xv := f.scalarVar(d, conv(gen(r), d))
			var term ir.Expr
			switch base {
			case "norm.2":
				term = bin(ir.Mul, ref(xv), ref(xv), d)
			case "norm.1":
				term = &ir.Intrinsic{Fn: ir.FnFabs, Args: []ir.Expr{ref(xv)}, T: types.ScalarOf(d)}
			default:
				term = conv(bin(ir.Ne, ref(xv), zeroOf(d), d), d)
			}
			f.emit(&ir.Assign{Dst: a, Src: bin(ir.Add, ref(a), term, d)})
		})
		if base == "norm.2" {
			return &ir.Intrinsic{Fn: ir.FnSqrt, Args: []ir.Expr{ref(a)}, T: types.ScalarOf(d)}
		}
		return ref(a)
	case "norm.inf", "norm.-inf":
		// max(abs(x)) or min(abs(x)); a NaN wins, as NumPy's maximum does
		op := ir.Gt
		if base == "norm.-inf" {
			op = ir.Lt
		}
		absOf := func(x ir.Expr) ir.Expr {
			return &ir.Intrinsic{Fn: ir.FnFabs, Args: []ir.Expr{conv(x, d)}, T: types.ScalarOf(d)}
		}
		// max(abs(x)) starts from 0, so an empty slice gives 0 as NumPy's
		// (its maximum with initial=0); min(abs(x)) of one raises
		var init ir.Expr = zeroOf(d)
		if base == "norm.-inf" {
			init = absOf(gen(zeros(len(bounds))))
		}
		a := f.scalarVar(d, init)
		f.forLoops(bounds, func(r []ir.Expr) {
			xv := f.scalarVar(d, absOf(gen(r)))
			better := bin(ir.Or, bin(op, ref(xv), ref(a), d), isNaN(ref(xv)), d)
			f.emit(&ir.Assign{Dst: a, Src: &ir.Select{Cond: bin(ir.And, better, not(isNaN(ref(a))), d),
				X: ref(xv), Y: ref(a), T: types.ScalarOf(d)}})
		})
		return ref(a)
	}
	return zeroOf(d)
}

// normReduction names np.linalg.norm's vector norms (by types.LinalgNormOrd's
// code) as reduceOne's cases.
var normReduction = map[int]string{0: "norm.2", 1: "norm.1", 2: "norm.inf", 3: "norm.-inf", 4: "norm.0"}

// variance lowers std and var without NaN skipping: two element-wise
// nests, each only adding into one float64 accumulator (the sum, then the
// sum of squared deviations from the mean), as NumPy computes them. A nest
// of that form prints with eight accumulators (cgen's blockedSum), which
// NumPy's pairwise summation also uses; a loop with a running count beside
// the sum, as nanstd needs, is bound by the latency of each addition.
func (f *fn) variance(base string, gen func(r []ir.Expr) ir.Expr, bounds []ir.Expr, count, ddof ir.Expr,
	d types.DType) ir.Expr {
	acc := types.Float64
	s := f.scalarVar(acc, zeroOf(acc))
	vs, idx := f.idxVars(len(bounds))
	f.emit(&ir.Nest{Vars: vs, Bounds: bounds, Body: []ir.Stmt{
		&ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), conv(gen(idx), acc), acc)}}})
	n := f.scalarVar(acc, conv(count, acc))
	mean := f.scalarVar(acc, bin(ir.Div, ref(s), ref(n), acc))
	ss := f.scalarVar(acc, zeroOf(acc))
	vs, idx = f.idxVars(len(bounds))
	dev := func() ir.Expr { return bin(ir.Sub, conv(gen(idx), acc), ref(mean), acc) }
	f.emit(&ir.Nest{Vars: vs, Bounds: bounds, Body: []ir.Stmt{
		&ir.Assign{Dst: ss, Src: bin(ir.Add, ref(ss), bin(ir.Mul, dev(), dev(), acc), acc)}}})
	den := &ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{bin(ir.Sub, ref(n), ddof, acc), zeroOf(acc)},
		T: types.ScalarOf(acc)}
	v := bin(ir.Div, ref(ss), den, acc)
	if base == "std" {
		v = &ir.Intrinsic{Fn: ir.FnSqrt, Args: []ir.Expr{v}, T: types.ScalarOf(acc)}
	}
	return conv(v, d)
}

func nanValue() float64 {
	z := 0.0
	return z / z
}

// cumulative lowers cumsum and cumprod: a running accumulator in the
// result's dtype (NumPy's add.accumulate order), along one axis or over the
// flattened array.
func (f *fn) cumulative(name string, lz *lazyArr, shape []ir.Expr, ra *types.ReduceArgs, rt *types.Type) *val {
	d := rt.DType
	op, init := ir.Add, ir.Expr(zeroOf(d))
	if name == "cumprod" {
		op, init = ir.Mul, oneOf(d)
	}
	read := func(idx []ir.Expr) ir.Expr { return conv(lz.gen(unitIndex(lz.shape, idx)), d) }
	if ra.AllAxes {
		total := f.once(product1(shape))
		out := f.temp(rt)
		f.emit(&ir.SetArray{Dst: out, Src: &ir.Alloc{DType: d, Shape: []ir.Expr{total}}})
		a := f.scalarVar(d, init)
		pos := f.scalarVar(types.Int64, ir.IntConst(0))
		f.forLoops(shape, func(idx []ir.Expr) {
			f.emit(&ir.Assign{Dst: a, Src: bin(op, ref(a), read(idx), d)})
			f.emit(&ir.Store{Arr: out, Idx: []ir.Expr{ref(pos)}, Src: ref(a)})
			f.emit(&ir.Assign{Dst: pos, Src: bin(ir.Add, ref(pos), ir.IntConst(1), types.Int64)})
		})
		return &val{t: rt, arr: out}
	}
	ax := ra.Axes[0]
	out := f.temp(rt)
	f.emit(&ir.SetArray{Dst: out, Src: &ir.Alloc{DType: d, Shape: shape}})
	f.noteShape(out, shape)
	var outer []ir.Expr
	for k := range shape {
		if k != ax {
			outer = append(outer, shape[k])
		}
	}
	f.forLoops(outer, func(o []ir.Expr) {
		a := f.scalarVar(d, init)
		f.forLoops([]ir.Expr{shape[ax]}, func(r []ir.Expr) {
			idx := append(append(append([]ir.Expr(nil), o[:ax]...), r[0]), o[ax:]...)
			f.emit(&ir.Assign{Dst: a, Src: bin(op, ref(a), read(idx), d)})
			f.emit(&ir.Store{Arr: out, Idx: idx, Src: ref(a)})
		})
	})
	return &val{t: rt, arr: out}
}

// diff is lazy: element j along the axis is x[j+1] - x[j], applied n times.
func (f *fn) diff(x *val, lz *lazyArr, shape []ir.Expr, ax, n int, rt *types.Type) *val {
	if n == 0 {
		return x
	}
	d := rt.DType
	cur := &lazyArr{label: lz.label, dtype: lz.dtype, shape: shape, gen: func(idx []ir.Expr) ir.Expr {
		return lz.gen(unitIndex(lz.shape, idx))
	}}
	for k := 0; k < n; k++ {
		prev := cur
		sh := append([]ir.Expr(nil), prev.shape...)
		sh[ax] = f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{bin(ir.Sub, sh[ax], ir.IntConst(1), types.Int64),
			ir.IntConst(0)}, T: i64T})
		cur = &lazyArr{label: lz.label, dtype: d, shape: sh, gen: func(idx []ir.Expr) ir.Expr {
			next := append([]ir.Expr(nil), idx...)
			next[ax] = bin(ir.Add, idx[ax], ir.IntConst(1), types.Int64)
			return scalarBin("Sub", conv(prev.gen(next), d), conv(prev.gen(idx), d), d)
		}}
	}
	return &val{t: rt, lazy: cur}
}

// median copies the reduced elements into buf (skipping NaNs for
// nanmedian; any NaN makes the median NaN otherwise), selects the middle
// one with Hoare's selection (Wirth's form) and, for an even count,
// averages it with the largest element below it.
func (f *fn) median(gen func(r []ir.Expr) ir.Expr, bounds []ir.Expr, buf *ir.Var, nan bool, d types.DType) ir.Expr {
	m := f.scalarVar(types.Int64, ir.IntConst(0))
	sawNaN := f.scalarVar(types.Bool, ir.BoolConst(false))
	f.forLoops(bounds, func(r []ir.Expr) {
		xv := f.scalarVar(d, gen(r))
		put := []ir.Stmt{
			&ir.Store{Arr: buf, Idx: []ir.Expr{ref(m)}, Src: ref(xv)},
			&ir.Assign{Dst: m, Src: bin(ir.Add, ref(m), ir.IntConst(1), types.Int64)},
		}
		if nan {
			f.emit(&ir.If{Cond: not(isNaN(ref(xv))), Then: put})
			return
		}
		f.emit(&ir.Assign{Dst: sawNaN, Src: bin(ir.Or, ref(sawNaN), isNaN(ref(xv)), types.Bool)})
		for _, s := range put {
			f.emit(s)
		}
	})
	res := f.scalarVar(d, &ir.Const{Type: types.ScalarOf(d), F: nanValue()})
	ld := func(i ir.Expr) ir.Expr { return &ir.Load{Arr: buf, Idx: []ir.Expr{i}} }
	inc := func(v *ir.Var, by int64) ir.Stmt {
		return &ir.Assign{Dst: v, Src: bin(ir.Add, ref(v), ir.IntConst(by), types.Int64)}
	}
	body := f.sub(func() {
		k := f.scalarVar(types.Int64, bin(ir.Div, ref(m), ir.IntConst(2), types.Int64))
		lo := f.scalarVar(types.Int64, ir.IntConst(0))
		hi := f.scalarVar(types.Int64, bin(ir.Sub, ref(m), ir.IntConst(1), types.Int64))
		piv := f.temp(types.ScalarOf(d))
		i := f.temp(i64T)
		j := f.temp(i64T)
		t := f.temp(types.ScalarOf(d))
		swap := []ir.Stmt{
			&ir.Assign{Dst: t, Src: ld(ref(i))},
			&ir.Store{Arr: buf, Idx: []ir.Expr{ref(i)}, Src: ld(ref(j))},
			&ir.Store{Arr: buf, Idx: []ir.Expr{ref(j)}, Src: ref(t)},
			inc(i, 1), inc(j, -1),
		}
		partition := []ir.Stmt{
			&ir.While{Cond: bin(ir.Lt, ld(ref(i)), ref(piv), d), Body: []ir.Stmt{inc(i, 1)}},
			&ir.While{Cond: bin(ir.Lt, ref(piv), ld(ref(j)), d), Body: []ir.Stmt{inc(j, -1)}},
			&ir.If{Cond: bin(ir.Le, ref(i), ref(j), types.Int64), Then: swap},
			&ir.If{Cond: bin(ir.Gt, ref(i), ref(j), types.Int64), Then: []ir.Stmt{&ir.Break{}}},
		}
		f.emit(&ir.While{Cond: bin(ir.Lt, ref(lo), ref(hi), types.Int64), Body: []ir.Stmt{
			&ir.Assign{Dst: piv, Src: ld(ref(k))},
			&ir.Assign{Dst: i, Src: ref(lo)},
			&ir.Assign{Dst: j, Src: ref(hi)},
			&ir.While{Cond: ir.BoolConst(true), Body: partition},
			&ir.If{Cond: bin(ir.Lt, ref(j), ref(k), types.Int64), Then: []ir.Stmt{&ir.Assign{Dst: lo, Src: ref(i)}}},
			&ir.If{Cond: bin(ir.Lt, ref(k), ref(i), types.Int64), Then: []ir.Stmt{&ir.Assign{Dst: hi, Src: ref(j)}}},
		}})
		f.emit(&ir.Assign{Dst: res, Src: ld(ref(k))})
		// An even count: the mean of the middle two; the lower one is the
		// largest of buf[0:k], which selection left below buf[k].
		below := f.scalarVar(d, nil)
		even := f.sub(func() {
			f.emit(&ir.Assign{Dst: below, Src: ld(ir.IntConst(0))})
			f.forLoops([]ir.Expr{ref(k)}, func(r []ir.Expr) {
				y := ld(r[0])
				f.emit(&ir.Assign{Dst: below, Src: &ir.Select{Cond: bin(ir.Gt, y, ref(below), d), X: y, Y: ref(below),
					T: types.ScalarOf(d)}})
			})
			f.emit(&ir.Assign{Dst: res, Src: bin(ir.Div, bin(ir.Add, ref(below), ref(res), d),
				&ir.Const{Type: types.ScalarOf(d), F: 2}, d)})
		})
		f.emit(&ir.If{Cond: bin(ir.Eq, bin(ir.Mod, ref(m), ir.IntConst(2), types.Int64), ir.IntConst(0), types.Int64),
			Then: even})
	})
	f.emit(&ir.If{Cond: bin(ir.And, not(ref(sawNaN)), bin(ir.Gt, ref(m), ir.IntConst(0), types.Int64), types.Bool),
		Then: body})
	return ref(res)
}

// reduceColumns handles a reduction that keeps the innermost axis
// (x.sum(axis=0) of a 2-D array): the reduced axes are the outer loops and
// an element-wise Nest over the kept axes updates an array of
// accumulators, which reads x row by row and vectorizes. Each output
// element still accumulates its elements in the same order as the
// one-at-a-time loops (and NumPy's), so results are the same.
func (f *fn) reduceColumns(name string, lz *lazyArr, shape []ir.Expr, red []bool, keep bool, rt *types.Type,
	out *ir.Var, count ir.Expr) {
	d := rt.DType
	n := len(shape)
	nan := strings.HasPrefix(name, "nan")
	base := strings.TrimPrefix(name, "nan")
	acc := d
	if d == types.Float32 && (base == "sum" || base == "mean" || base == "prod") {
		acc = types.Float64
	}
	var outer, inner []ir.Expr
	for k := range shape {
		if red[k] {
			inner = append(inner, shape[k])
		} else {
			outer = append(outer, shape[k])
		}
	}
	full := func(o, r []ir.Expr) []ir.Expr {
		idx := make([]ir.Expr, n)
		oi, ri := 0, 0
		for k := range idx {
			if red[k] {
				idx[k] = r[ri]
				ri++
			} else {
				idx[k] = o[oi]
				oi++
			}
		}
		return unitIndex(lz.shape, idx)
	}
	// The accumulators are the output itself when no conversion or
	// division follows; kept axes of extent 1 are read at index 0.
	direct := acc == d && base != "mean"
	a := out
	if !direct {
		a = f.temp(types.ArrayOf(acc, len(outer), 'C'))
		f.emit(&ir.SetArray{Dst: a, Src: &ir.Alloc{DType: acc, Shape: outer}})
	}
	at := func(o []ir.Expr) []ir.Expr {
		if !direct || !keep {
			return o
		}
		idx := make([]ir.Expr, 0, n)
		oi := 0
		for k := range shape {
			if red[k] {
				idx = append(idx, ir.IntConst(0))
			} else {
				idx = append(idx, o[oi])
				oi++
			}
		}
		return idx
	}
	nest := func(body func(o []ir.Expr) []ir.Stmt) {
		vs, idx := f.idxVars(len(outer))
		f.emit(&ir.Nest{Vars: vs, Bounds: outer, Body: body(idx)})
	}
	accT := types.ScalarOf(acc)
	var op ir.Op
	var init ir.Expr
	first := false
	switch base {
	case "sum", "mean":
		op, init = ir.Add, zeroOf(acc)
	case "prod":
		op, init = ir.Mul, oneOf(acc)
	case "all":
		op, init = ir.And, ir.BoolConst(true)
	case "any":
		op, init = ir.Or, ir.BoolConst(false)
	default: // min, max (reduceAxis checked the count): NaN wins; start from the first element
		op = ir.Lt
		if base == "max" || base == "amax" {
			op = ir.Gt
		}
		first = true
	}
	nest(func(o []ir.Expr) []ir.Stmt {
		src := init
		if first {
			src = conv(lz.gen(full(o, zeros(len(inner)))), acc)
		}
		return []ir.Stmt{&ir.Store{Arr: a, Idx: at(o), Src: src}}
	})
	f.forLoops(inner, func(r []ir.Expr) {
		nest(func(o []ir.Expr) []ir.Stmt {
			old := &ir.Load{Arr: a, Idx: at(o)}
			x := lz.gen(full(o, r))
			var upd ir.Expr
			switch op {
			case ir.And, ir.Or:
				upd = bin(op, old, truth(x), types.Bool)
			case ir.Lt, ir.Gt:
				xv := conv(x, acc)
				var better ir.Expr = bin(op, xv, old, acc)
				if acc.IsFloat() {
					better = bin(ir.Or, better, isNaN(xv), acc)
				}
				upd = &ir.Select{Cond: better, X: xv, Y: old, T: accT}
			default:
				xv := conv(x, acc)
				upd = bin(op, old, xv, acc)
				if nan && acc.IsFloat() {
					upd = &ir.Select{Cond: isNaN(xv), X: old, Y: upd, T: accT}
				}
			}
			return []ir.Stmt{&ir.Store{Arr: a, Idx: at(o), Src: upd}}
		})
	})
	if direct {
		return
	}
	nest(func(o []ir.Expr) []ir.Stmt {
		var v ir.Expr = &ir.Load{Arr: a, Idx: o}
		if base == "mean" {
			v = bin(ir.Div, v, conv(count, acc), acc)
		}
		var body []ir.Stmt
		saved := f.block
		f.block = &body
		f.storeReduced(out, o, v, shape, red, keep)
		f.block = saved
		return body
	})
}

// running lowers np.maximum.accumulate(x, axis) (and minimum): along the
// axis, element j of the result is the ufunc applied to result j-1 and
// x[j], with the ufunc's own intrinsic, so NaNs propagate as NumPy's do.
func (f *fn) running(e *pyast.Call, r types.RunningArgs, rt *types.Type) *val {
	lz := f.expr(e.Args[0]).asLazy()
	shape := make([]ir.Expr, len(lz.shape))
	for k, s := range lz.shape {
		shape[k] = f.once(s)
	}
	d := rt.DType
	fn := entryFn(library.Lookup("numpy", r.Ufunc))
	out := f.alloc(rt, shape)
	f.noteShape(out, shape)
	ax := r.Axis
	outer := append(append([]ir.Expr{}, shape[:ax]...), shape[ax+1:]...)
	f.forLoops(outer, func(o []ir.Expr) {
		a := f.scalarVar(d, nil)
		f.forLoops([]ir.Expr{shape[ax]}, func(j []ir.Expr) {
			idx := append(append(append([]ir.Expr(nil), o[:ax]...), j[0]), o[ax:]...)
			x := conv(lz.gen(unitIndex(lz.shape, idx)), d)
			next := &ir.Select{Cond: cmpE(ir.Eq, j[0], ir.IntConst(0)), X: x,
				Y: &ir.Intrinsic{Fn: fn, Args: []ir.Expr{ref(a), x}, T: types.ScalarOf(d)}, T: types.ScalarOf(d)}
			f.emit(&ir.Assign{Dst: a, Src: next})
			f.emit(&ir.Store{Arr: out, Idx: idx, Src: ref(a)})
		})
	})
	return &val{t: rt, arr: out}
}
