package lower

// Indexing with an array (typed by types/index_array.go): a boolean mask
// of the array's rank, or a 1-D integer array along the first axis. A mask
// read counts the selected elements, allocates, and copies them in C
// order; an integer-array read checks and normalizes every index first
// (IndexError before anything is read, negative indices wrap) and is then a
// lazy gather. Stores copy an array right side first, so it may read the
// target; an augmented store through integer indices gathers, combines and
// then scatters, which gives NumPy's result for repeated indices (the last
// write wins, each from the original values).

import (
	"fmt"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// maskOf lowers a mask index and checks its extents against arr's.
func (f *fn) maskOf(ix pyast.Expr, arr *ir.Var) (*lazyArr, []ir.Expr) {
	m := f.expr(ix)
	mlz := m.asLazy()
	shape := make([]ir.Expr, arr.Type.NDim)
	for k := range shape {
		shape[k] = f.once(&ir.Dim{Arr: arr, Axis: k})
		ext := mlz.shape[k]
		f.emit(&ir.Check{Cond: bin(ir.Eq, shape[k], ext, types.Int64), Err: ir.ErrIndex,
			Msg: fmt.Sprintf("boolean index did not match indexed array along axis %d", k) +
				"; size of axis is {0} but size of corresponding boolean axis is {1}",
			Args: []ir.Expr{shape[k], ext}})
	}
	return mlz, shape
}

// maskCount counts the true elements of a mask.
func (f *fn) maskCount(mlz *lazyArr, shape []ir.Expr) *ir.Var {
	cnt := f.scalarVar(types.Int64, ir.IntConst(0))
	f.forLoops(shape, func(idx []ir.Expr) {
		f.emit(&ir.Assign{Dst: cnt, Src: bin(ir.Add, ref(cnt), conv(truth(mlz.gen(idx)), types.Int64), types.Int64)})
	})
	return cnt
}

// takeIndices checks and normalizes an integer index array against axis 0
// of arr into a fresh int64 array.
func (f *fn) takeIndices(ix pyast.Expr, arr *ir.Var, axis, srcAxis int) (*ir.Var, ir.Expr) {
	iv := f.materialize(f.expr(ix))
	nk := f.once(&ir.Dim{Arr: iv, Axis: 0})
	n0 := f.once(&ir.Dim{Arr: arr, Axis: axis})
	nidx := f.temp(types.ArrayOf(types.Int64, 1, 'C'))
	f.emit(&ir.SetArray{Dst: nidx, Src: &ir.Alloc{DType: types.Int64, Shape: []ir.Expr{nk}}})
	f.forLoops([]ir.Expr{nk}, func(k []ir.Expr) {
		j := f.scalarVar(types.Int64, &ir.Load{Arr: iv, Idx: k})
		w := f.scalarVar(types.Int64, &ir.Select{Cond: bin(ir.Lt, ref(j), ir.IntConst(0), types.Int64),
			X: bin(ir.Add, ref(j), n0, types.Int64), Y: ref(j), T: i64T})
		u64 := types.ScalarOf(types.Uint64)
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Lt, X: &ir.Cast{X: ref(w), T: u64}, Y: &ir.Cast{X: n0, T: u64}, T: types.BoolT},
			Err: ir.ErrIndex, Msg: fmt.Sprintf("index {0} is out of bounds for axis %d with size {1}", srcAxis),
			Args: []ir.Expr{ref(j), n0}})
		f.emit(&ir.Store{Arr: nidx, Idx: k, Src: ref(w)})
	})
	return nidx, nk
}

// gather is the lazy arr with axis p indexed by nidx.
func gather(arr, nidx *ir.Var, nk ir.Expr, p int, label string) *lazyArr {
	shape := make([]ir.Expr, arr.Type.NDim)
	for k := range shape {
		shape[k] = &ir.Dim{Arr: arr, Axis: k}
	}
	shape[p] = nk
	return &lazyArr{label: label, dtype: arr.Type.DType, shape: shape, gen: func(idx []ir.Expr) ir.Expr {
		full := append([]ir.Expr(nil), idx...)
		full[p] = &ir.Load{Arr: nidx, Idx: idx[p : p+1]}
		return &ir.Load{Arr: arr, Idx: full}
	}}
}

// takeTarget resolves x[..., idx, ...]: the basic view of arr that the
// other items select (the index array taking a full slice's place), the
// view's axis the array indexes, and that axis's number in arr.
func (f *fn) takeTarget(e *pyast.Subscript, arr *ir.Var) (view *ir.Var, ix pyast.Expr, p, srcAxis int) {
	ix = types.TupleIndexArray(f.info, e)
	if ix == nil {
		return arr, e.Index, 0, 0
	}
	items := f.expandItems(indexItems(e.Index), arr.Type.NDim)
	basic := make([]pyast.Expr, len(items))
	for i, it := range items {
		if it != ix {
			basic[i] = it
			continue
		}
		full := &pyast.Slice{}
		full.P = it.Position()
		basic[i] = full
		for _, b := range items[:i] {
			_, isSlice := b.(*pyast.Slice)
			newaxis := types.IsNewaxisItem(f.info, b)
			if isSlice || newaxis {
				p++
			}
			if !newaxis {
				srcAxis++
			}
		}
	}
	ndim := arr.Type.NDim
	for _, it := range items {
		switch {
		case types.IsNewaxisItem(f.info, it):
			ndim++
		case it == ix:
		default:
			if _, ok := it.(*pyast.Slice); !ok {
				ndim--
			}
		}
	}
	view = f.view(arr, basic, types.ArrayOf(arr.Type.DType, ndim, 'A'))
	return view, ix, p, srcAxis
}

// indexArrayRead lowers x[mask] or x[idx].
func (f *fn) indexArrayRead(e *pyast.Subscript, base *val, kind string, rt *types.Type) *val {
	arr := f.materialize(base)
	if kind == "rows" {
		nidx, nk := f.maskRows(types.RowMask(f.info, e), arr)
		return &val{t: rt, lazy: gather(arr, nidx, nk, 0, quoteName(base.name))}
	}
	if kind == "take" {
		view, ix, p, src := f.takeTarget(e, arr)
		nidx, nk := f.takeIndices(ix, view, p, src)
		return &val{t: rt, lazy: gather(view, nidx, nk, p, quoteName(base.name))}
	}
	mlz, shape := f.maskOf(e.Index, arr)
	cnt := f.maskCount(mlz, shape)
	out := f.temp(rt)
	f.emit(&ir.SetArray{Dst: out, Src: &ir.Alloc{DType: rt.DType, Shape: []ir.Expr{ref(cnt)}}})
	pos := f.scalarVar(types.Int64, ir.IntConst(0))
	f.forLoops(shape, func(idx []ir.Expr) {
		f.emit(&ir.If{Cond: truth(mlz.gen(idx)), Then: []ir.Stmt{
			&ir.Store{Arr: out, Idx: []ir.Expr{ref(pos)}, Src: &ir.Load{Arr: arr, Idx: idx}},
			&ir.Assign{Dst: pos, Src: bin(ir.Add, ref(pos), ir.IntConst(1), types.Int64)},
		}})
	})
	return &val{t: rt, arr: out}
}

// freshCopy materializes an array value into a new array, so reading it
// cannot see the writes of the statement it feeds.
func (f *fn) freshCopy(v *val) *val {
	if v.t.Kind != types.Array {
		return f.stable(v)
	}
	lz := v.asLazy()
	tmp := f.temp(types.ArrayOf(lz.dtype, len(lz.shape), 'C'))
	f.fillNew(tmp, lz)
	return &val{t: tmp.Type, arr: tmp}
}

// indexArrayStore lowers x[mask] = v, x[idx] = v and their augmented forms.
func (f *fn) indexArrayStore(t *pyast.Subscript, arr *ir.Var, kind string, value func() *val, op string,
	opType *types.Type) {
	d := arr.Type.DType
	combine := func(old, x ir.Expr) ir.Expr {
		if op == "" {
			return conv(x, d)
		}
		return conv(arrayBin(op, old, x, opType.DType), d)
	}
	if kind == "mask" {
		mlz, shape := f.maskOf(t.Index, arr)
		v := f.freshCopy(value())
		if v.t.Kind == types.Scalar {
			f.forLoops(shape, func(idx []ir.Expr) {
				f.emit(&ir.If{Cond: truth(mlz.gen(idx)), Then: []ir.Stmt{
					&ir.Store{Arr: arr, Idx: idx, Src: combine(&ir.Load{Arr: arr, Idx: idx}, v.s)}}})
			})
			return
		}
		cnt := f.maskCount(mlz, shape)
		nv := f.once(&ir.Dim{Arr: v.arr, Axis: 0})
		f.emit(&ir.Check{Cond: bin(ir.Or, bin(ir.Eq, nv, ref(cnt), types.Int64), bin(ir.Eq, nv, ir.IntConst(1), types.Int64),
			types.Bool), Err: ir.ErrValue, Msg: "NumPy boolean array indexing assignment cannot assign {0} input values " +
			"to the {1} output values where the mask is true", Args: []ir.Expr{nv, ref(cnt)}})
		step := f.stableExpr(conv(bin(ir.Ne, nv, ir.IntConst(1), types.Int64), types.Int64))
		pos := f.scalarVar(types.Int64, ir.IntConst(0))
		f.forLoops(shape, func(idx []ir.Expr) {
			src := &ir.Load{Arr: v.arr, Idx: []ir.Expr{bin(ir.Mul, ref(pos), step, types.Int64)}}
			f.emit(&ir.If{Cond: truth(mlz.gen(idx)), Then: []ir.Stmt{
				&ir.Store{Arr: arr, Idx: idx, Src: combine(&ir.Load{Arr: arr, Idx: idx}, src)},
				&ir.Assign{Dst: pos, Src: bin(ir.Add, ref(pos), ir.IntConst(1), types.Int64)},
			}})
		})
		return
	}
	var view, nidx *ir.Var
	var nk ir.Expr
	p := 0
	if kind == "rows" {
		view = arr
		nidx, nk = f.maskRows(types.RowMask(f.info, t), arr)
	} else {
		var ix pyast.Expr
		var srcAxis int
		view, ix, p, srcAxis = f.takeTarget(t, arr)
		nidx, nk = f.takeIndices(ix, view, p, srcAxis)
	}
	g := gather(view, nidx, nk, p, quoteName(f.names4(arr)))
	v := f.freshCopy(value())
	n := len(g.shape)
	if v.t.Kind == types.Array {
		lz := v.asLazy()
		f.shapeCheck(g.shape[n-len(lz.shape):], lz.shape, quoteName(f.names4(arr)), "the value",
			"could not broadcast the value into the indexed elements")
	}
	vg := f.elemOfShape(v, g.shape)
	src := &lazyArr{dtype: d, shape: g.shape, gen: func(idx []ir.Expr) ir.Expr { return combine(g.gen(idx), vg(idx)) }}
	if op != "" {
		// Gather and combine everything before the first write.
		tmp := f.temp(types.ArrayOf(d, n, 'C'))
		f.fillNew(tmp, src)
		src = (&val{t: tmp.Type, arr: tmp}).asLazy()
	}
	shape := make([]ir.Expr, n)
	for k, s := range g.shape {
		shape[k] = f.once(s)
	}
	f.forLoops(shape, func(idx []ir.Expr) {
		full := append([]ir.Expr(nil), idx...)
		full[p] = &ir.Load{Arr: nidx, Idx: idx[p : p+1]}
		f.emit(&ir.Store{Arr: view, Idx: full, Src: conv(src.gen(idx), d)})
	})
}

// maskRows turns a 1-D mask selecting rows of arr into the int64 array of
// the selected rows' numbers (checking its extent against arr's first
// axis) and their count.
func (f *fn) maskRows(ix pyast.Expr, arr *ir.Var) (*ir.Var, ir.Expr) {
	m := f.materialize(f.expr(ix))
	mlz := (&val{t: m.Type, arr: m}).asLazy()
	n0 := f.once(&ir.Dim{Arr: arr, Axis: 0})
	ext := f.once(mlz.shape[0])
	f.emit(&ir.Check{Cond: bin(ir.Eq, n0, ext, types.Int64), Err: ir.ErrIndex,
		Msg:  "boolean index did not match indexed array along axis 0; size of axis is {0} but size of corresponding boolean axis is {1}",
		Args: []ir.Expr{n0, ext}})
	cnt := f.once(ref(f.maskCount(mlz, []ir.Expr{ext})))
	nidx := f.temp(types.ArrayOf(types.Int64, 1, 'C'))
	f.emit(&ir.SetArray{Dst: nidx, Src: &ir.Alloc{DType: types.Int64, Shape: []ir.Expr{cnt}}})
	pos := f.scalarVar(types.Int64, ir.IntConst(0))
	f.forLoops([]ir.Expr{ext}, func(idx []ir.Expr) {
		f.emit(&ir.If{Cond: truth(mlz.gen(idx)), Then: []ir.Stmt{
			&ir.Store{Arr: nidx, Idx: []ir.Expr{ref(pos)}, Src: idx[0]},
			&ir.Assign{Dst: pos, Src: bin(ir.Add, ref(pos), ir.IntConst(1), types.Int64)},
		}})
	})
	return nidx, cnt
}
