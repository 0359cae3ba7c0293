package lower

// The 1-D algorithms: sort, argsort, unique, histogram, bincount and
// interp call helpers of the target's library (ir.Helper; cgen prints
// them as the prelude's "NumPy functions"); searchsorted is a binary
// search written in IR.

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// externCall calls a helper of the target's library (ir.Helper) with args
// (scalars, or ArrayRef) and returns the variables receiving its results.
func (f *fn) externCall(h ir.Helper, args []ir.Expr, results ...*types.Type) []*ir.Var {
	fn := &ir.Func{Name: h.String(), Results: results, Extern: h.Info().Writes, Helper: h}
	for i, a := range args {
		fn.Params = append(fn.Params, &ir.Var{Name: fmt.Sprintf("p%d", i), Type: ir.TypeOf(a), Param: i})
	}
	var dsts []*ir.Var
	for _, t := range results {
		dsts = append(dsts, f.temp(t))
	}
	f.emit(&ir.Call{Func: fn, Args: args, Dsts: dsts})
	return dsts
}

func aref(v *ir.Var) ir.Expr { return &ir.ArrayRef{Var: v} }

// copyAs makes a new C-ordered copy of v in dtype d.
func (f *fn) copyAs(v *val, d types.DType) *ir.Var {
	lz := v.asLazy()
	return f.materialize(&val{t: types.ArrayOf(d, len(lz.shape), 'C'),
		lazy: &lazyArr{label: lz.label, dtype: d, shape: lz.shape, gen: lz.gen}})
}

func (f *fn) sortLike(e *pyast.Call, name string, v *val, rt *types.Type) *val {
	d := v.t.DType
	method := false
	if ft, ok := f.info.Types[e.Func]; ok && ft.Kind == types.Builtin && ft.Name == "method.sort" {
		method = true
	}
	if name == "unique" {
		a := f.copyAs(v, d)
		f.externCall(ir.HelperSort, []ir.Expr{aref(a)})
		res := f.externCall(ir.HelperUnique, []ir.Expr{aref(a)}, rt)
		return &val{t: rt, arr: res[0]}
	}
	isMethod := false
	if ft, ok := f.info.Types[e.Func]; ok && ft.Kind == types.Builtin && strings.HasPrefix(ft.Name, "method.") {
		isMethod = true
	}
	k, none, _ := types.SortAxis(e, isMethod, v.t.NDim)
	if none {
		// The flattened array, C order.
		v = &val{t: types.ArrayOf(d, 1, 'C'), arr: f.flatC(f.copyAs(v, d))}
		k = 0
	}
	// lanes calls a helper on every 1-D lane of the arrays along axis k
	// (all of one shape), as views of any stride.
	lanes := func(helper ir.Helper, arrs ...*ir.Var) {
		nd := arrs[0].Type.NDim
		if nd == 1 {
			args := make([]ir.Expr, len(arrs))
			for i, a := range arrs {
				args[i] = aref(a)
			}
			f.externCall(helper, args)
			return
		}
		var bounds []ir.Expr
		for i := 0; i < nd; i++ {
			if i != k {
				bounds = append(bounds, f.once(&ir.Dim{Arr: arrs[0], Axis: i}))
			}
		}
		f.forLoops(bounds, func(o []ir.Expr) {
			args := make([]ir.Expr, len(arrs))
			for j, a := range arrs {
				var off ir.Expr = ir.IntConst(0)
				oi := 0
				for i := 0; i < nd; i++ {
					if i != k {
						off = ibin(ir.Add, off, ibin(ir.Mul, o[oi], &ir.Stride{Arr: a, Axis: i}))
						oi++
					}
				}
				lane := f.temp(types.ArrayOf(a.Type.DType, 1, 'A'))
				f.bind(lane, a)
				f.emit(&ir.SetArray{Dst: lane, Src: &ir.View{Base: a, Offset: off,
					Shape: []ir.Expr{&ir.Dim{Arr: a, Axis: k}}, Strides: []ir.Expr{&ir.Stride{Arr: a, Axis: k}}}})
				args[j] = aref(lane)
			}
			f.externCall(helper, args)
		})
	}
	switch {
	case name == "sort" && method:
		a := v.arr
		if a == nil {
			a = f.materialize(v)
		}
		lanes(ir.HelperSort, a)
		return &val{t: rt}
	case name == "sort":
		a := f.copyAs(v, d)
		lanes(ir.HelperSort, a)
		return &val{t: rt, arr: a}
	}
	a := f.arrayAs(v, d)
	var shape []ir.Expr
	for i := 0; i < rt.NDim; i++ {
		shape = append(shape, f.once(&ir.Dim{Arr: a, Axis: i}))
	}
	out := f.alloc(rt, shape)
	lanes(ir.HelperArgsort, a, out)
	return &val{t: rt, arr: out}
}

// lessNaNLast is NumPy's sort order: NaN after every number.
func lessNaNLast(x, y ir.Expr, d types.DType) ir.Expr {
	lt := cmpE(ir.Lt, x, y)
	if !d.IsFloat() {
		return lt
	}
	return cmpE(ir.Or, lt, cmpE(ir.And, cmpE(ir.Ne, y, y), cmpE(ir.Eq, x, x)))
}

// searchsorted finds, by bisection, the first index whose element is not
// less than v (side="left") or greater than v (side="right"), in NumPy's
// order (NaN last).
func (f *fn) searchsorted(a, v *val, kw map[string]*val, rt *types.Type) *val {
	right := false
	if s, ok := kw["side"]; ok && s.t.Name == "str:right" {
		right = true
	}
	// NumPy compares in the common dtype of a and v, a Python number
	// taking its own default dtype (searchsorted(uint8s, -1) is 0).
	pd := types.Promote(a.t.DType, v.t.Strong().DType)
	if v.t.Kind == types.Scalar && v.t.Weak {
		pd = types.Promote(a.t.DType, types.DefaultOf(v.t.DType.Kind()))
	}
	A := f.arrayAs(a, a.t.DType)
	n := f.once(&ir.Dim{Arr: A, Axis: 0})
	lo, hi, mid := f.temp(i64T), f.temp(i64T), f.temp(i64T)
	search := func(x ir.Expr) {
		x = f.stableExpr(conv(x, pd))
		f.emit(&ir.Assign{Dst: lo, Src: ir.IntConst(0)})
		f.emit(&ir.Assign{Dst: hi, Src: n})
		el := conv(&ir.Load{Arr: A, Idx: []ir.Expr{&ir.Ref{Var: mid}}}, pd)
		var goRight ir.Expr
		if right {
			goRight = &ir.Unary{Op: ir.Not, X: lessNaNLast(x, el, pd), T: types.BoolT}
		} else {
			goRight = lessNaNLast(el, x, pd)
		}
		f.emit(&ir.While{Cond: cmpE(ir.Lt, &ir.Ref{Var: lo}, &ir.Ref{Var: hi}), Body: []ir.Stmt{
			&ir.Assign{Dst: mid, Src: ibin(ir.Add, &ir.Ref{Var: lo}, ibin(ir.Shr, ibin(ir.Sub, &ir.Ref{Var: hi}, &ir.Ref{Var: lo}), ir.IntConst(1)))},
			&ir.If{Cond: goRight, Then: []ir.Stmt{&ir.Assign{Dst: lo, Src: ibin(ir.Add, &ir.Ref{Var: mid}, ir.IntConst(1))}},
				Else: []ir.Stmt{&ir.Assign{Dst: hi, Src: &ir.Ref{Var: mid}}}},
		}})
	}
	if v.t.Kind == types.Scalar {
		search(v.s)
		res := f.temp(i64T)
		f.emit(&ir.Assign{Dst: res, Src: &ir.Ref{Var: lo}})
		return &val{t: rt, s: &ir.Ref{Var: res}}
	}
	V := f.arrayAs(v, v.t.DType)
	m := f.once(&ir.Dim{Arr: V, Axis: 0})
	out := f.alloc(rt, []ir.Expr{m})
	f.countLoop(m, func(j ir.Expr) {
		search(&ir.Load{Arr: V, Idx: []ir.Expr{j}})
		f.emit(&ir.Store{Arr: out, Idx: []ir.Expr{j}, Src: &ir.Ref{Var: lo}})
	})
	return &val{t: rt, arr: out}
}

func (f *fn) counting(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	f64 := types.ScalarOf(types.Float64)
	switch name {
	case "histogram":
		if b := kwOr(kw, "bins", args, 1); b != nil && b.t.Kind == types.Array {
			return f.histogramEdges(e, args[0], b, kw["weights"], rt)
		}
		a := f.arrayAs(args[0], types.Float64)
		var bins ir.Expr = ir.IntConst(10)
		if v := kwOr(kw, "bins", args, 1); v != nil {
			bins = f.stableExpr(conv(v.s, types.Int64))
		}
		f.require(cmpE(ir.Ge, bins, ir.IntConst(1)), ir.ErrValue, "`bins` must be positive, when an integer")
		hasRange, lo, hi := ir.Expr(ir.IntConst(0)), ir.Expr(&ir.Const{Type: f64}), ir.Expr(&ir.Const{Type: f64})
		if r := kwOr(kw, "range", args, 2); r != nil {
			hasRange = ir.IntConst(1)
			lo, hi = conv(r.elems[0].s, types.Float64), conv(r.elems[1].s, types.Float64)
		}
		cnt := types.ArrayOf(types.Int64, 1, 'C')
		counts := f.alloc(cnt, []ir.Expr{bins})
		edges := f.alloc(rt.Elems[1], []ir.Expr{f.once(ibin(ir.Add, bins, ir.IntConst(1)))})
		f.externCall(ir.HelperHistogram, []ir.Expr{aref(a), hasRange, lo, hi, aref(counts), aref(edges)})
		out := &val{t: cnt, arr: counts}
		density, _ := types.HistogramDensity(e)
		if w := kw["weights"]; w != nil {
			wt := types.ArrayOf(w.t.DType, 1, 'C')
			out = f.weightedHistogram(a, f.arrayAs(w, w.t.DType), edges, bins, wt)
			if density {
				out = f.histogramDensity(out.arr, edges, bins, rt.Elems[0])
			}
		} else if density {
			out = f.histogramDensity(counts, edges, bins, rt.Elems[0])
		}
		return &val{t: rt, elems: []*val{out, {t: rt.Elems[1], arr: edges}}}
	case "bincount":
		x := f.arrayAs(args[0], types.Int64)
		var minlength ir.Expr = ir.IntConst(0)
		if v := kw["minlength"]; v != nil {
			minlength = conv(v.s, types.Int64)
		}
		if w := kw["weights"]; w != nil {
			W := f.arrayAs(w, types.Float64)
			res := f.externCall(ir.HelperBincountWeighted, []ir.Expr{aref(x), aref(W), minlength}, rt)
			return &val{t: rt, arr: res[0]}
		}
		res := f.externCall(ir.HelperBincount, []ir.Expr{aref(x), minlength}, rt)
		return &val{t: rt, arr: res[0]}
	}
	// interp
	xp, fp := f.arrayAs(args[1], types.Float64), f.arrayAs(args[2], types.Float64)
	var x *ir.Var
	if args[0].t.Kind == types.Scalar {
		x = f.alloc(types.ArrayOf(types.Float64, 1, 'C'), []ir.Expr{ir.IntConst(1)})
		f.emit(&ir.Store{Arr: x, Idx: []ir.Expr{ir.IntConst(0)}, Src: conv(args[0].s, types.Float64)})
	} else {
		x = f.arrayAs(args[0], types.Float64)
	}
	out := f.alloc(types.ArrayOf(types.Float64, 1, 'C'), []ir.Expr{f.once(&ir.Dim{Arr: x, Axis: 0})})
	side := func(k string) (ir.Expr, ir.Expr) {
		if v := kw[k]; v != nil {
			return ir.IntConst(1), conv(v.s, types.Float64)
		}
		return ir.IntConst(0), &ir.Const{Type: f64}
	}
	hl, l := side("left")
	hr, r := side("right")
	f.externCall(ir.HelperInterp, []ir.Expr{aref(x), aref(xp), aref(fp), aref(out), hl, l, hr, r})
	if args[0].t.Kind == types.Scalar {
		res := f.temp(f64)
		f.emit(&ir.Assign{Dst: res, Src: &ir.Load{Arr: out, Idx: []ir.Expr{ir.IntConst(0)}}})
		return &val{t: rt, s: &ir.Ref{Var: res}}
	}
	return &val{t: rt, arr: out}
}

// histogramEdges is np.histogram with an array of bin edges: the helper
// counts (or sums the weights) in float64, cast to the counts' dtype, then
// density divides by the bins' widths and the total, as NumPy. The edges
// returned are the bins array itself, as NumPy returns it.
func (f *fn) histogramEdges(e *pyast.Call, data, bins, w *val, rt *types.Type) *val {
	f64 := types.Float64
	a := f.arrayAs(data, f64)
	E := f.arrayAs(bins, f64)
	ne := f.once(&ir.Dim{Arr: E, Axis: 0})
	nb := f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{ibin(ir.Sub, ne, ir.IntConst(1)), ir.IntConst(0)}, T: i64T})
	W, hasW := a, ir.Expr(ir.IntConst(0))
	cd := types.Int64
	if w != nil {
		W, hasW, cd = f.arrayAs(w, f64), ir.IntConst(1), w.t.DType
	}
	ft := types.ArrayOf(f64, 1, 'C')
	out := f.alloc(ft, []ir.Expr{nb})
	f.externCall(ir.HelperHistogramEdges, []ir.Expr{aref(a), aref(W), hasW, aref(E), aref(out)})
	counts := &val{t: types.ArrayOf(cd, 1, 'C'), arr: f.arrayAs(&val{t: ft, arr: out}, cd)}
	if density, _ := types.HistogramDensity(e); density {
		counts = f.histogramDensity(counts.arr, E, nb, rt.Elems[0])
	}
	edges := bins
	if bins.arr == nil {
		edges = &val{t: rt.Elems[1], arr: f.materialize(bins)}
	}
	return &val{t: rt, elems: []*val{counts, edges}}
}
