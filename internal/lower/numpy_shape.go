package lower

// NumPy's shape and selection functions (types/numpy_shape.go types them):
// flip, fliplr, flipud and rot90 are views (reversed strides, permuted
// axes); roll, tile and repeat fill a new array from index arithmetic;
// count_nonzero counts; nonzero, flatnonzero, argwhere and where(cond)
// count the nonzero elements first, then allocate and fill.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// maxI is max(x, y) of int64 expressions.
func maxI(x, y ir.Expr) ir.Expr {
	return &ir.Select{Cond: cmpE(ir.Gt, x, y), X: x, Y: y, T: i64T}
}

// axesView is a view of v whose axis i is v's axis perm[i], reversed where
// rev[i] holds.
func (f *fn) axesView(v *val, perm []int, rev []bool, rt *types.Type) *val {
	arr := f.materialize(v)
	n := len(perm)
	shape := make([]ir.Expr, n)
	strides := make([]ir.Expr, n)
	var off ir.Expr = ir.IntConst(0)
	for i, k := range perm {
		dim := ir.Expr(&ir.Dim{Arr: arr, Axis: k})
		if unitAxis(arr, k) {
			dim = ir.IntConst(1)
		}
		shape[i] = dim
		st := ir.Expr(&ir.Stride{Arr: arr, Axis: k})
		if rev[i] {
			off = ibin(ir.Add, off, ibin(ir.Mul, maxI(ibin(ir.Sub, dim, ir.IntConst(1)), ir.IntConst(0)), st))
			st = ibin(ir.Sub, ir.IntConst(0), st)
		}
		strides[i] = st
	}
	off = f.stableExpr(off)
	out := f.temp(rt)
	f.bind(out, arr)
	f.emit(&ir.SetArray{Dst: out, Src: &ir.View{Base: arr, Offset: off, Shape: shape, Strides: strides}})
	f.noteShape(out, shape)
	return &val{t: rt, arr: out}
}

// minI is min(x, y) of int64 expressions.
func minI(x, y ir.Expr) ir.Expr {
	return &ir.Select{Cond: cmpE(ir.Lt, x, y), X: x, Y: y, T: i64T}
}

// flatIndex is the C-order flat index of idx in shape.
func flatIndex(idx, shape []ir.Expr) ir.Expr {
	var flat ir.Expr = ir.IntConst(0)
	for k := range idx {
		flat = ibin(ir.Add, ibin(ir.Mul, flat, shape[k]), idx[k])
	}
	return flat
}

// filled materializes a C-ordered array of type rt from shape and gen.
func (f *fn) filled(rt *types.Type, shape []ir.Expr, gen func(idx []ir.Expr) ir.Expr) *val {
	lz := &lazyArr{dtype: rt.DType, shape: shape, gen: gen}
	return &val{t: rt, arr: f.materialize(&val{t: rt, lazy: lz})}
}

// countNonzero adds the truth of each element of lz (at its index) into a
// fresh int64 counter.
func (f *fn) countNonzero(shape []ir.Expr, gen func(idx []ir.Expr) ir.Expr) *ir.Var {
	cnt := f.scalarVar(types.Int64, ir.IntConst(0))
	f.forLoops(shape, func(idx []ir.Expr) {
		f.emit(&ir.Assign{Dst: cnt, Src: ibin(ir.Add, ref(cnt), conv(truth(gen(idx)), types.Int64))})
	})
	return cnt
}

func (f *fn) numpyShape(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	switch name {
	case "indices", "unravel_index", "ravel_multi_index":
		return f.indexFuncs(name, args, rt)
	}
	x := args[0]
	nd := x.t.NDim
	axis := func(i int) (int, bool) {
		k, has, _ := types.ConstAxisOf(e, i)
		if k < 0 {
			k += int64(nd)
		}
		return int(k), has
	}
	identity := func() ([]int, []bool) {
		perm := make([]int, nd)
		for i := range perm {
			perm[i] = i
		}
		return perm, make([]bool, nd)
	}
	switch name {
	case "reshape":
		var dims []ir.Expr
		if s := args[1]; s.t.Kind == types.Tuple {
			for _, el := range s.elems {
				dims = append(dims, conv(el.s, types.Int64))
			}
		} else {
			dims = []ir.Expr{conv(s.s, types.Int64)}
		}
		return f.reshaped(x, dims, rt, true, false)
	case "ravel":
		return f.reshaped(x, []ir.Expr{ir.IntConst(-1)}, rt, true, true)
	case "transpose":
		return f.transpose(x, types.FuncTransposeAxes(e, nd), rt)
	case "flip", "fliplr", "flipud":
		perm, rev := identity()
		switch k, has := axis(1); {
		case name == "fliplr":
			rev[1] = true
		case name == "flipud":
			rev[0] = true
		case has:
			rev[k] = true
		default:
			for i := range rev {
				rev[i] = true
			}
		}
		return f.axesView(x, perm, rev, rt)
	case "rot90":
		switch types.Rot90K(e) {
		case 0:
			return f.axesView(x, []int{0, 1}, []bool{false, false}, rt)
		case 1:
			return f.axesView(x, []int{1, 0}, []bool{true, false}, rt)
		case 2:
			return f.axesView(x, []int{0, 1}, []bool{true, true}, rt)
		}
		return f.axesView(x, []int{1, 0}, []bool{false, true}, rt)
	case "roll":
		lz := x.asLazy()
		shape := make([]ir.Expr, nd)
		for i, s := range lz.shape {
			shape[i] = f.once(s)
		}
		sh := f.stableExpr(conv(kwOr(kw, "shift", args, 1).s, types.Int64))
		k, has := axis(2)
		var n ir.Expr
		if has {
			n = shape[k]
		} else {
			n = f.once(product1(shape))
		}
		// norm = shift mod n, in [0, n) (0 for an empty axis).
		norm := f.stableExpr(ibin(ir.Mod, sh, maxI(n, ir.IntConst(1))))
		back := func(i ir.Expr) ir.Expr { return ibin(ir.Mod, ibin(ir.Add, ibin(ir.Sub, i, norm), n), n) }
		return f.filled(rt, shape, func(idx []ir.Expr) ir.Expr {
			if has {
				src := append([]ir.Expr{}, idx...)
				src[k] = back(idx[k])
				return lz.gen(src)
			}
			return lz.gen(f.unravelShape(back(flatIndex(idx, shape)), shape))
		})
	case "tile":
		lz := x.asLazy()
		var reps []ir.Expr
		if r := args[1]; r.t.Kind == types.Tuple {
			for _, el := range r.elems {
				reps = append(reps, f.stableExpr(conv(el.s, types.Int64)))
			}
		} else {
			reps = []ir.Expr{f.stableExpr(conv(r.s, types.Int64))}
		}
		for _, r := range reps {
			f.require(cmpE(ir.Ge, r, ir.IntConst(0)), ir.ErrValue, "negative dimensions are not allowed")
		}
		d := rt.NDim
		ash := make([]ir.Expr, d)
		rep := make([]ir.Expr, d)
		for i := 0; i < d; i++ {
			ash[i], rep[i] = ir.IntConst(1), ir.IntConst(1)
			if j := i - (d - nd); j >= 0 {
				ash[i] = f.once(lz.shape[j])
			}
			if j := i - (d - len(reps)); j >= 0 {
				rep[i] = reps[j]
			}
		}
		shape := make([]ir.Expr, d)
		for i := range shape {
			shape[i] = f.once(ibin(ir.Mul, ash[i], rep[i]))
		}
		return f.filled(rt, shape, func(idx []ir.Expr) ir.Expr {
			src := make([]ir.Expr, nd)
			for j := range src {
				i := j + d - nd
				src[j] = ibin(ir.Mod, idx[i], ash[i])
			}
			return lz.gen(src)
		})
	case "repeat":
		if r := kwOr(kw, "repeats", args, 1); r.t.Kind == types.Array {
			k, has := axis(2)
			return f.repeatCounts(x, r, k, has, rt)
		}
		lz := x.asLazy()
		r := f.stableExpr(conv(kwOr(kw, "repeats", args, 1).s, types.Int64))
		f.require(cmpE(ir.Ge, r, ir.IntConst(0)), ir.ErrValue, "negative dimensions are not allowed")
		shape := make([]ir.Expr, nd)
		for i, s := range lz.shape {
			shape[i] = f.once(s)
		}
		if k, has := axis(2); has {
			out := append([]ir.Expr{}, shape...)
			out[k] = f.once(ibin(ir.Mul, shape[k], r))
			return f.filled(rt, out, func(idx []ir.Expr) ir.Expr {
				src := append([]ir.Expr{}, idx...)
				src[k] = ibin(ir.FloorDiv, idx[k], r)
				return lz.gen(src)
			})
		}
		total := f.once(ibin(ir.Mul, product1(shape), r))
		return f.filled(rt, []ir.Expr{total}, func(idx []ir.Expr) ir.Expr {
			return lz.gen(f.unravelShape(ibin(ir.FloorDiv, idx[0], r), shape))
		})
	case "triu", "tril":
		lz := x.asLazy()
		var k ir.Expr = ir.IntConst(0)
		if v := kwOr(kw, "k", args, 1); v != nil {
			k = f.stableExpr(conv(v.s, types.Int64))
		}
		shape := []ir.Expr{f.once(lz.shape[0]), f.once(lz.shape[1])}
		d := rt.DType
		return f.filled(rt, shape, func(idx []ir.Expr) ir.Expr {
			// triu keeps j - i >= k; tril keeps j - i <= k.
			diff := ibin(ir.Sub, idx[1], idx[0])
			keep := cmpE(ir.Ge, diff, k)
			if name == "tril" {
				keep = cmpE(ir.Le, diff, k)
			}
			return &ir.Select{Cond: keep, X: conv(lz.gen(idx), d), Y: zeroOf(d), T: types.ScalarOf(d)}
		})
	case "diag", "diagonal":
		lz := x.asLazy()
		key := "k"
		if name == "diagonal" {
			key = "offset"
		}
		var k ir.Expr = ir.IntConst(0)
		if v := kwOr(kw, key, args, 1); v != nil {
			k = f.stableExpr(conv(v.s, types.Int64))
		}
		// Row and column of element i of diagonal k: (i - min(k, 0), i + max(k, 0)).
		kneg := f.stableExpr(&ir.Select{Cond: cmpE(ir.Lt, k, ir.IntConst(0)), X: ibin(ir.Sub, ir.IntConst(0), k), Y: ir.IntConst(0), T: i64T})
		kpos := f.stableExpr(maxI(k, ir.IntConst(0)))
		d := rt.DType
		if nd == 1 {
			n := f.once(lz.shape[0])
			m := f.once(ibin(ir.Add, n, ibin(ir.Add, kneg, kpos)))
			return f.filled(rt, []ir.Expr{m, m}, func(idx []ir.Expr) ir.Expr {
				i := ibin(ir.Sub, idx[0], kneg)
				on := and(cmpE(ir.Eq, ibin(ir.Sub, idx[1], idx[0]), k), and(cmpE(ir.Ge, i, ir.IntConst(0)), cmpE(ir.Lt, i, n)))
				// The load's index is clamped so it stays in bounds off the diagonal.
				safe := &ir.Select{Cond: on, X: i, Y: ir.IntConst(0), T: i64T}
				return &ir.Select{Cond: on, X: conv(lz.gen([]ir.Expr{safe}), d), Y: zeroOf(d), T: types.ScalarOf(d)}
			})
		}
		// A view of a matrix's diagonal, as NumPy's (read-only there).
		arr := f.materialize(x)
		n0, n1 := f.once(&ir.Dim{Arr: arr, Axis: 0}), f.once(&ir.Dim{Arr: arr, Axis: 1})
		ln := f.once(maxI(ir.IntConst(0), minI(ibin(ir.Sub, n0, kneg), ibin(ir.Sub, n1, kpos))))
		s0, s1 := &ir.Stride{Arr: arr, Axis: 0}, &ir.Stride{Arr: arr, Axis: 1}
		// An empty diagonal views offset 0, so it never points past the data.
		off := f.stableExpr(&ir.Select{Cond: cmpE(ir.Gt, ln, ir.IntConst(0)),
			X: ibin(ir.Add, ibin(ir.Mul, kneg, s0), ibin(ir.Mul, kpos, s1)), Y: ir.IntConst(0), T: i64T})
		out := f.temp(rt)
		f.bind(out, arr)
		shape := []ir.Expr{ln}
		f.emit(&ir.SetArray{Dst: out, Src: &ir.View{Base: arr, Offset: off, Shape: shape, Strides: []ir.Expr{ibin(ir.Add, s0, s1)}}})
		f.noteShape(out, shape)
		return &val{t: rt, arr: out}
	case "meshgrid":
		a, b := x.asLazy(), args[1].asLazy()
		na, nb := f.once(a.shape[0]), f.once(b.shape[0])
		ij := false
		if v := kw["indexing"]; v != nil {
			ij = v.t.Name == "str:ij"
		}
		shape, ai, bi := []ir.Expr{nb, na}, 1, 0
		if ij {
			shape, ai, bi = []ir.Expr{na, nb}, 0, 1
		}
		X := f.filled(rt.Elems[0], shape, func(idx []ir.Expr) ir.Expr { return a.gen([]ir.Expr{idx[ai]}) })
		Y := f.filled(rt.Elems[1], shape, func(idx []ir.Expr) ir.Expr { return b.gen([]ir.Expr{idx[bi]}) })
		return &val{t: rt, elems: []*val{X, Y}}
	}
	if _, has := axis(1); name == "count_nonzero" && (!has || nd == 1) {
		// One pass over the whole operand, fused with what makes it: the
		// mask of np.count_nonzero(x*x + y*y <= 1) is never stored.
		lz := x.asLazy()
		shape := make([]ir.Expr, nd)
		for i, s := range lz.shape {
			shape[i] = f.once(s)
		}
		return &val{t: rt, s: ref(f.countNonzero(shape, lz.gen))}
	}
	// The counting ones read every element twice or more: make x an array.
	arr := f.materialize(x)
	lz := (&val{t: arr.Type, arr: arr}).asLazy()
	shape := make([]ir.Expr, nd)
	for i, s := range lz.shape {
		shape[i] = f.once(s)
	}
	if name == "count_nonzero" {
		k, _ := axis(1)
		var outShape []ir.Expr
		for i, s := range shape {
			if i != k {
				outShape = append(outShape, s)
			}
		}
		dst := f.alloc(rt, outShape)
		f.noteShape(dst, outShape)
		f.forLoops(outShape, func(oidx []ir.Expr) {
			cnt := f.countNonzero([]ir.Expr{shape[k]}, func(i []ir.Expr) ir.Expr {
				src := append(append(append([]ir.Expr{}, oidx[:k]...), i[0]), oidx[k:]...)
				return lz.gen(src)
			})
			f.emit(&ir.Store{Arr: dst, Idx: oidx, Src: ref(cnt)})
		})
		return &val{t: rt, arr: dst}
	}
	cnt := f.once(ref(f.countNonzero(shape, lz.gen)))
	pos := f.scalarVar(types.Int64, ir.IntConst(0))
	var outs []*ir.Var
	switch name {
	case "flatnonzero":
		outs = []*ir.Var{f.alloc(rt, []ir.Expr{cnt})}
	case "argwhere":
		outs = []*ir.Var{f.alloc(rt, []ir.Expr{cnt, ir.IntConst(int64(nd))})}
	default: // nonzero, where(cond)
		for i := 0; i < nd; i++ {
			outs = append(outs, f.alloc(rt.Elems[i], []ir.Expr{cnt}))
		}
	}
	f.forLoops(shape, func(idx []ir.Expr) {
		var st []ir.Stmt
		switch name {
		case "flatnonzero":
			st = append(st, &ir.Store{Arr: outs[0], Idx: []ir.Expr{ref(pos)}, Src: flatIndex(idx, shape)})
		case "argwhere":
			for i := range idx {
				st = append(st, &ir.Store{Arr: outs[0], Idx: []ir.Expr{ref(pos), ir.IntConst(int64(i))}, Src: idx[i]})
			}
		default:
			for i := range idx {
				st = append(st, &ir.Store{Arr: outs[i], Idx: []ir.Expr{ref(pos)}, Src: idx[i]})
			}
		}
		st = append(st, &ir.Assign{Dst: pos, Src: ibin(ir.Add, ref(pos), ir.IntConst(1))})
		f.emit(&ir.If{Cond: truth(lz.gen(idx)), Then: st})
	})
	if rt.Kind == types.Tuple {
		el := make([]*val, len(outs))
		for i, o := range outs {
			el[i] = &val{t: rt.Elems[i], arr: o}
		}
		return &val{t: rt, elems: el}
	}
	return &val{t: rt, arr: outs[0]}
}

// histogramBlock is the block NumPy's histogram sums its weights in (each
// block's sums, in float64, are cast to the result dtype and then added).
const histogramBlock = 65536

// weightedHistogram sums the weights of a's values into the bins edges
// bound, finding each value's bin as the prelude's sejit_np_histogram does
// (NumPy's uniform-bin path), block by block as NumPy does.
func (f *fn) weightedHistogram(a, w, edges *ir.Var, bins ir.Expr, rt *types.Type) *val {
	f64 := types.ScalarOf(types.Float64)
	fb := func(op ir.Op, x, y ir.Expr) ir.Expr { return &ir.Bin{Op: op, X: x, Y: y, T: f64} }
	n := f.once(&ir.Dim{Arr: a, Axis: 0})
	f.require(cmpE(ir.Eq, &ir.Dim{Arr: w, Axis: 0}, n), ir.ErrValue, "weights should have the same shape as a.")
	first := f.stableExpr(&ir.Load{Arr: edges, Idx: []ir.Expr{ir.IntConst(0)}})
	last := f.stableExpr(&ir.Load{Arr: edges, Idx: []ir.Expr{bins}})
	delta := f.stableExpr(fb(ir.Sub, last, first))
	fbins := f.stableExpr(conv(bins, types.Float64))
	out := f.alloc(rt, []ir.Expr{bins})
	f.fill(out, []ir.Expr{bins}, func([]ir.Expr) ir.Expr { return zeroOf(rt.DType) })
	acc := f.alloc(types.ArrayOf(types.Float64, 1, 'C'), []ir.Expr{bins})
	nblocks := f.once(ibin(ir.FloorDiv, ibin(ir.Add, n, ir.IntConst(histogramBlock-1)), ir.IntConst(histogramBlock)))
	f.countLoop(nblocks, func(b ir.Expr) {
		f.fill(acc, []ir.Expr{bins}, func([]ir.Expr) ir.Expr { return zeroOf(types.Float64) })
		start := f.stableExpr(ibin(ir.Mul, b, ir.IntConst(histogramBlock)))
		stop := f.stableExpr(minI(n, ibin(ir.Add, start, ir.IntConst(histogramBlock))))
		f.countLoop(ibin(ir.Sub, stop, start), func(j ir.Expr) {
			i := ibin(ir.Add, start, j)
			v := f.scalarVar(types.Float64, &ir.Load{Arr: a, Idx: []ir.Expr{i}})
			inRange := and(&ir.Bin{Op: ir.Ge, X: ref(v), Y: first, T: types.BoolT}, &ir.Bin{Op: ir.Le, X: ref(v), Y: last, T: types.BoolT})
			body := f.sub(func() {
				k := f.scalarVar(types.Int64, &ir.Cast{X: fb(ir.Mul, fb(ir.Div, fb(ir.Sub, ref(v), first), delta), fbins), T: i64T})
				f.emit(&ir.Assign{Dst: k, Src: minI(ref(k), ibin(ir.Sub, bins, ir.IntConst(1)))})
				f.emit(&ir.Assign{Dst: k, Src: maxI(ref(k), ir.IntConst(0))})
				below := and(&ir.Bin{Op: ir.Lt, X: ref(v), Y: &ir.Load{Arr: edges, Idx: []ir.Expr{ref(k)}}, T: types.BoolT},
					cmpE(ir.Gt, ref(k), ir.IntConst(0)))
				// The edge k+1 is read only when k is not the last bin.
				kk := minI(ibin(ir.Add, ref(k), ir.IntConst(1)), bins)
				above := and(cmpE(ir.Ne, ref(k), ibin(ir.Sub, bins, ir.IntConst(1))),
					&ir.Bin{Op: ir.Ge, X: ref(v), Y: &ir.Load{Arr: edges, Idx: []ir.Expr{kk}}, T: types.BoolT})
				f.emit(&ir.If{Cond: below,
					Then: []ir.Stmt{&ir.Assign{Dst: k, Src: ibin(ir.Sub, ref(k), ir.IntConst(1))}},
					Else: []ir.Stmt{&ir.If{Cond: above, Then: []ir.Stmt{&ir.Assign{Dst: k, Src: ibin(ir.Add, ref(k), ir.IntConst(1))}}}}})
				at := []ir.Expr{ref(k)}
				f.emit(&ir.Store{Arr: acc, Idx: at, Src: fb(ir.Add, &ir.Load{Arr: acc, Idx: at}, conv(&ir.Load{Arr: w, Idx: []ir.Expr{i}}, types.Float64))})
			})
			f.emit(&ir.If{Cond: inRange, Then: body})
		})
		f.countLoop(bins, func(k ir.Expr) {
			at := []ir.Expr{k}
			d := rt.DType
			f.emit(&ir.Store{Arr: out, Idx: at, Src: &ir.Bin{Op: ir.Add, X: &ir.Load{Arr: out, Idx: at},
				Y: conv(&ir.Load{Arr: acc, Idx: at}, d), T: types.ScalarOf(d)}})
		})
	})
	return &val{t: rt, arr: out}
}

// histogramDensity is NumPy's n / np.diff(edges) / n.sum() of int64 counts.
func (f *fn) histogramDensity(counts, edges *ir.Var, bins ir.Expr, rt *types.Type) *val {
	f64 := types.ScalarOf(types.Float64)
	// The total in the counts' dtype (int64 counts, or the weights').
	cd := counts.Type.DType
	total := f.scalarVar(cd, zeroOf(cd))
	f.countLoop(bins, func(k ir.Expr) {
		f.emit(&ir.Assign{Dst: total, Src: &ir.Bin{Op: ir.Add, X: ref(total), Y: &ir.Load{Arr: counts, Idx: []ir.Expr{k}}, T: types.ScalarOf(cd)}})
	})
	ftotal := f.stableExpr(conv(ref(total), types.Float64))
	return f.filled(rt, []ir.Expr{bins}, func(idx []ir.Expr) ir.Expr {
		k := idx[0]
		db := &ir.Bin{Op: ir.Sub, X: &ir.Load{Arr: edges, Idx: []ir.Expr{ibin(ir.Add, k, ir.IntConst(1))}},
			Y: &ir.Load{Arr: edges, Idx: []ir.Expr{k}}, T: f64}
		c := conv(&ir.Load{Arr: counts, Idx: []ir.Expr{k}}, types.Float64)
		return &ir.Bin{Op: ir.Div, X: &ir.Bin{Op: ir.Div, X: c, Y: db, T: f64}, Y: ftotal, T: f64}
	})
}

// intsOf lists the int64 values of an int or a tuple of ints, each
// evaluated once.
func (f *fn) intsOf(v *val) []ir.Expr {
	if v.t.Kind != types.Tuple {
		return []ir.Expr{f.stableExpr(conv(v.s, types.Int64))}
	}
	out := make([]ir.Expr, len(v.elems))
	for i, el := range v.elems {
		out[i] = f.stableExpr(conv(el.s, types.Int64))
	}
	return out
}

// indexFuncs lowers np.indices, np.unravel_index and np.ravel_multi_index
// of integers.
func (f *fn) indexFuncs(name string, args []*val, rt *types.Type) *val {
	switch name {
	case "indices":
		dims := f.intsOf(args[0])
		for _, d := range dims {
			f.require(cmpE(ir.Ge, d, ir.IntConst(0)), ir.ErrValue, "negative dimensions are not allowed")
		}
		shape := append([]ir.Expr{ir.IntConst(int64(len(dims)))}, dims...)
		return f.filled(rt, shape, func(idx []ir.Expr) ir.Expr {
			// Element [k, i0, i1, ...] is ik: a select over the constant k.
			var v ir.Expr = idx[len(dims)]
			for k := len(dims) - 2; k >= 0; k-- {
				v = &ir.Select{Cond: cmpE(ir.Eq, idx[0], ir.IntConst(int64(k))), X: idx[k+1], Y: v, T: i64T}
			}
			return v
		})
	case "unravel_index":
		if args[0].t.Kind == types.Array {
			return f.unravelArray(args[0], args[1], rt)
		}
		i := f.stableExpr(conv(args[0].s, types.Int64))
		dims := f.intsOf(args[1])
		for _, d := range dims {
			f.require(cmpE(ir.Ge, d, ir.IntConst(0)), ir.ErrValue, "dimensions must be non-negative")
		}
		size := f.once(product1(dims))
		f.require(and(cmpE(ir.Ge, i, ir.IntConst(0)), cmpE(ir.Lt, i, size)), ir.ErrValue,
			"index {0} is out of bounds for array with size {1}", i, size)
		idx := f.unravelShape(i, dims)
		el := make([]*val, len(idx))
		for k, x := range idx {
			el[k] = &val{t: rt.Elems[k], s: f.stableExpr(x)}
		}
		return &val{t: rt, elems: el}
	}
	if rt.Kind == types.Array {
		return f.ravelArrays(args[0].elems, f.intsOf(args[1]), rt)
	}
	coords, dims := f.intsOf(args[0]), f.intsOf(args[1])
	for k := range coords {
		f.require(and(cmpE(ir.Ge, coords[k], ir.IntConst(0)), cmpE(ir.Lt, coords[k], dims[k])), ir.ErrValue,
			"invalid entry in coordinates array")
	}
	return &val{t: rt, s: f.stableExpr(flatIndex(coords, dims))}
}

// unravelArray is np.unravel_index of an array of indices: one int64
// array of the indices' shape per dimension.
func (f *fn) unravelArray(ind, shapeArg *val, rt *types.Type) *val {
	I := f.arrayAs(ind, types.Int64)
	dims := f.intsOf(shapeArg)
	for _, d := range dims {
		f.require(cmpE(ir.Ge, d, ir.IntConst(0)), ir.ErrValue, "dimensions must be non-negative")
	}
	size := f.once(product1(dims))
	shape := make([]ir.Expr, I.Type.NDim)
	for k := range shape {
		shape[k] = f.once(&ir.Dim{Arr: I, Axis: k})
	}
	outs := make([]*ir.Var, len(dims))
	res := &val{t: rt}
	for k := range outs {
		outs[k] = f.alloc(rt.Elems[k], shape)
		res.elems = append(res.elems, &val{t: rt.Elems[k], arr: outs[k]})
	}
	vs, idx := f.idxVars(len(shape))
	body := f.sub(func() {
		i := f.stableExpr(&ir.Load{Arr: I, Idx: idx})
		f.require(and(cmpE(ir.Ge, i, ir.IntConst(0)), cmpE(ir.Lt, i, size)), ir.ErrValue,
			"index {0} is out of bounds for array with size {1}", i, size)
		for k, x := range f.unravelShape(i, dims) {
			f.emit(&ir.Store{Arr: outs[k], Idx: idx, Src: x})
		}
	})
	f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: body})
	return res
}

// ravelArrays is np.ravel_multi_index of arrays of coordinates (and
// numbers), broadcast together: the flat C-order index of each.
func (f *fn) ravelArrays(coords []*val, dims []ir.Expr, rt *types.Type) *val {
	var lzs []*lazyArr
	cs := make([]*val, len(coords))
	for k, c := range coords {
		if c.t.Kind == types.Array {
			cs[k] = &val{t: types.ArrayOf(types.Int64, c.t.NDim, 'C'), arr: f.arrayAs(c, types.Int64)}
			lzs = append(lzs, cs[k].asLazy())
		} else {
			cs[k] = &val{t: types.ScalarOf(types.Int64), s: f.stableExpr(conv(c.s, types.Int64))}
		}
	}
	shape := f.broadcast(lzs)
	gens := make([]func([]ir.Expr) ir.Expr, len(cs))
	for k, c := range cs {
		gens[k] = f.elemOfShape(c, shape)
	}
	out := f.alloc(rt, shape)
	vs, idx := f.idxVars(len(shape))
	body := f.sub(func() {
		xs := make([]ir.Expr, len(cs))
		for k := range cs {
			xs[k] = f.stableExpr(gens[k](idx))
			f.require(and(cmpE(ir.Ge, xs[k], ir.IntConst(0)), cmpE(ir.Lt, xs[k], dims[k])), ir.ErrValue,
				"invalid entry in coordinates array")
		}
		f.emit(&ir.Store{Arr: out, Idx: idx, Src: flatIndex(xs, dims)})
	})
	f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: body})
	return &val{t: rt, arr: out}
}

// repeatCounts is np.repeat with an array of counts: element i along the
// axis (of the flattened array without one) appears counts[i] times, or
// counts[0] times each when there is one count. The output's length is
// the counts' total, found by a first pass that also checks them, as
// NumPy does before copying anything.
func (f *fn) repeatCounts(x, r *val, k int, has bool, rt *types.Type) *val {
	lz := x.asLazy()
	nd := len(lz.shape)
	shape := make([]ir.Expr, nd)
	for i, s := range lz.shape {
		shape[i] = f.once(s)
	}
	gen := lz.gen
	if !has {
		// Without an axis NumPy repeats the elements of the flattened array.
		flat := shape
		gen = func(idx []ir.Expr) ir.Expr { return lz.gen(f.unravelShape(idx[0], flat)) }
		shape = []ir.Expr{f.once(product1(flat))}
		k = 0
	}
	counts := f.arrayAs(r, types.Int64)
	nc := f.once(&ir.Dim{Arr: counts, Axis: 0})
	n := shape[k]
	f.require(or(cmpE(ir.Eq, nc, ir.IntConst(1)), cmpE(ir.Eq, nc, n)), ir.ErrValue,
		"operands could not be broadcast together with shape ({0},) ({1},)", n, nc)
	// The count of element i: counts[i], or counts[0] broadcast.
	count := func(i ir.Expr) ir.Expr {
		at := &ir.Select{Cond: cmpE(ir.Eq, nc, ir.IntConst(1)), X: ir.IntConst(0), Y: i, T: i64T}
		return &ir.Load{Arr: counts, Idx: []ir.Expr{at}}
	}
	total := f.scalarVar(types.Int64, ir.IntConst(0))
	f.countLoop(n, func(i ir.Expr) {
		c := f.scalarVar(types.Int64, count(i))
		f.require(cmpE(ir.Ge, ref(c), ir.IntConst(0)), ir.ErrValue, "repeats may not contain negative values.")
		f.emit(&ir.Assign{Dst: total, Src: ibin(ir.Add, ref(total), ref(c))})
	})
	out := append([]ir.Expr{}, shape...)
	out[k] = f.once(ref(total))
	dst := f.alloc(rt, out)
	f.noteShape(dst, out)
	others := append(append([]ir.Expr{}, shape[:k]...), shape[k+1:]...)
	pos := f.scalarVar(types.Int64, ir.IntConst(0))
	d := rt.DType
	f.countLoop(n, func(i ir.Expr) {
		c := f.scalarVar(types.Int64, count(i))
		f.countLoop(ref(c), func(ir.Expr) {
			f.forLoops(others, func(o []ir.Expr) {
				src := append(append(append([]ir.Expr{}, o[:k]...), i), o[k:]...)
				at := append(append(append([]ir.Expr{}, o[:k]...), ref(pos)), o[k:]...)
				f.emit(&ir.Store{Arr: dst, Idx: at, Src: conv(gen(src), d)})
			})
			f.emit(&ir.Assign{Dst: pos, Src: ibin(ir.Add, ref(pos), ir.IntConst(1))})
		})
	})
	return &val{t: rt, arr: dst}
}
