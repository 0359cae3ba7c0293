package lower

// Indexing with several integer index arrays (typed by
// types/index_multi.go). Every index array is checked and normalized into a
// fresh int64 array before anything is read or written (IndexError first,
// negative indices wrap), and the arrays' shapes are broadcast together at
// run time (an extent of 1 stretches; IndexError otherwise). A read is then
// a lazy gather; a store writes in the C order of the broadcast shape, so
// with repeated indices the last write wins, and an augmented store gathers
// and combines everything before its first write, so a repeated index
// adds once, from the original value, as NumPy's buffered x[i, j] += v.

import (
	"fmt"
	"strings"

	"sejit/internal/library"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// fancy is x[items] with several index arrays: the view the slices select
// (the advanced items taking full slices' places), the result's shape, and
// the view index of each result element.
type fancy struct {
	view  *ir.Var
	shape []ir.Expr
	loc   func(idx []ir.Expr) []ir.Expr
}

// advIndex is one advanced item, normalized: an int64 array (with, per
// axis, whether its extent is 1) or a scalar.
type advIndex struct {
	arr  *ir.Var
	ones []ir.Expr
	s    ir.Expr
}

// normIndex checks and wraps one index j against extent n of axis.
func (f *fn) normIndex(j, n ir.Expr, axis int) ir.Expr {
	jv := f.scalarVar(types.Int64, j)
	w := f.scalarVar(types.Int64, &ir.Select{Cond: bin(ir.Lt, ref(jv), ir.IntConst(0), types.Int64),
		X: bin(ir.Add, ref(jv), n, types.Int64), Y: ref(jv), T: i64T})
	u64 := types.ScalarOf(types.Uint64)
	f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Lt, X: &ir.Cast{X: ref(w), T: u64}, Y: &ir.Cast{X: n, T: u64}, T: types.BoolT},
		Err: ir.ErrIndex, Msg: fmt.Sprintf("index {0} is out of bounds for axis %d with size {1}", axis),
		Args: []ir.Expr{ref(jv), n}})
	return ref(w)
}

// multiIndex resolves x[items] on arr.
func (f *fn) multiIndex(e *pyast.Subscript, arr *ir.Var) *fancy {
	items := indexItems(e.Index)
	nd := arr.Type.NDim
	basic := make([]pyast.Expr, 0, nd)
	var adv []int
	isAdv := make([]bool, nd)
	for i, it := range items {
		if _, ok := it.(*pyast.Slice); ok {
			basic = append(basic, it)
			continue
		}
		full := &pyast.Slice{}
		full.P = it.Position()
		basic = append(basic, full)
		adv = append(adv, i)
		isAdv[i] = true
	}
	view := f.view(arr, f.expandItems(basic, nd), types.ArrayOf(arr.Type.DType, nd, 'A'))
	// Normalize each advanced index against its axis.
	idxs := make([]advIndex, len(adv))
	rank := 0
	for k, i := range adv {
		n := f.once(&ir.Dim{Arr: view, Axis: i})
		v := f.expr(items[i])
		if v.t.Kind == types.Scalar {
			idxs[k].s = f.normIndex(v.s, n, i)
			continue
		}
		iv := f.materialize(v)
		r := iv.Type.NDim
		rank = max(rank, r)
		shape := make([]ir.Expr, r)
		for a := range shape {
			shape[a] = f.once(&ir.Dim{Arr: iv, Axis: a})
		}
		nidx := f.temp(types.ArrayOf(types.Int64, r, 'C'))
		f.emit(&ir.SetArray{Dst: nidx, Src: &ir.Alloc{DType: types.Int64, Shape: shape}})
		f.forLoops(shape, func(x []ir.Expr) {
			w := f.normIndex(&ir.Load{Arr: iv, Idx: x}, n, i)
			f.emit(&ir.Store{Arr: nidx, Idx: x, Src: w})
		})
		idxs[k].arr = nidx
		for a := range shape {
			idxs[k].ones = append(idxs[k].ones, f.stableExpr(bin(ir.Eq, shape[a], ir.IntConst(1), types.Int64)))
		}
	}
	// Broadcast the index arrays' shapes.
	bshape := make([]ir.Expr, rank)
	for a := range bshape {
		ext := f.scalarVar(types.Int64, ir.IntConst(1))
		for _, x := range idxs {
			if x.arr == nil || a < rank-x.arr.Type.NDim {
				continue
			}
			d := f.once(&ir.Dim{Arr: x.arr, Axis: a - (rank - x.arr.Type.NDim)})
			ok := bin(ir.Or, bin(ir.Eq, d, ref(ext), types.Int64),
				bin(ir.Or, bin(ir.Eq, d, ir.IntConst(1), types.Int64), bin(ir.Eq, ref(ext), ir.IntConst(1), types.Int64), types.Bool),
				types.Bool)
			f.emit(&ir.Check{Cond: ok, Err: ir.ErrIndex, Msg: fmt.Sprintf("shape mismatch: indexing arrays could not be "+
				"broadcast together (extents {0} and {1} along axis %d)", a), Args: []ir.Expr{ref(ext), d}})
			f.emit(&ir.Assign{Dst: ext, Src: &ir.Select{Cond: bin(ir.Eq, d, ir.IntConst(1), types.Int64), X: ref(ext), Y: d, T: i64T}})
		}
		bshape[a] = ref(ext)
	}
	contiguous := adv[len(adv)-1]-adv[0]+1 == len(adv)
	var rest []int // the view axes the slices keep, in order
	for ax := 0; ax < nd; ax++ {
		if !isAdv[ax] {
			rest = append(rest, ax)
		}
	}
	var shape []ir.Expr
	p0 := 0 // where B's axes stand in the result
	if contiguous {
		p0 = adv[0]
	}
	for _, ax := range rest {
		if contiguous && ax > adv[0] {
			break
		}
		if contiguous {
			shape = append(shape, &ir.Dim{Arr: view, Axis: ax})
		}
	}
	shape = append(shape, bshape...)
	for _, ax := range rest {
		if !contiguous || ax > adv[0] {
			shape = append(shape, &ir.Dim{Arr: view, Axis: ax})
		}
	}
	loc := func(idx []ir.Expr) []ir.Expr {
		b := idx[p0 : p0+rank]
		out := make([]ir.Expr, nd)
		pos := 0
		for _, ax := range rest {
			if pos == p0 {
				pos += rank
			}
			out[ax] = idx[pos]
			pos++
		}
		for k, ax := range adv {
			x := idxs[k]
			if x.arr == nil {
				out[ax] = x.s
				continue
			}
			r := x.arr.Type.NDim
			at := make([]ir.Expr, r)
			for a := range at {
				at[a] = &ir.Select{Cond: x.ones[a], X: ir.IntConst(0), Y: b[rank-r+a], T: i64T}
			}
			out[ax] = &ir.Load{Arr: x.arr, Idx: at}
		}
		return out
	}
	return &fancy{view: view, shape: shape, loc: loc}
}

// multiIndexRead lowers x[i, j] with index arrays to a lazy gather.
func (f *fn) multiIndexRead(e *pyast.Subscript, base *val, rt *types.Type) *val {
	arr := f.materialize(base)
	fc := f.multiIndex(e, arr)
	return &val{t: rt, lazy: &lazyArr{label: quoteName(base.name), dtype: arr.Type.DType, shape: fc.shape,
		gen: func(idx []ir.Expr) ir.Expr { return &ir.Load{Arr: fc.view, Idx: fc.loc(idx)} }}}
}

// multiIndexStore lowers x[i, j] = v and x[i, j] op= v.
func (f *fn) multiIndexStore(t *pyast.Subscript, arr *ir.Var, value func() *val, op string, opType *types.Type) {
	d := arr.Type.DType
	fc := f.multiIndex(t, arr)
	shape := make([]ir.Expr, len(fc.shape))
	for k, s := range fc.shape {
		shape[k] = f.once(s)
	}
	label := quoteName(f.names4(arr))
	v := f.freshCopy(value())
	n := len(shape)
	if v.t.Kind == types.Array {
		lz := v.asLazy()
		f.shapeCheck(shape[n-len(lz.shape):], lz.shape, label, "the value",
			"could not broadcast the value into the indexed elements")
	}
	vg := f.elemOfShape(v, shape)
	src := &lazyArr{dtype: d, shape: shape, gen: func(idx []ir.Expr) ir.Expr {
		if op == "" {
			return conv(vg(idx), d)
		}
		old := &ir.Load{Arr: fc.view, Idx: fc.loc(idx)}
		return conv(scalarBin(op, old, vg(idx), opType.DType), d)
	}}
	if op != "" {
		// Gather and combine everything before the first write.
		tmp := f.temp(types.ArrayOf(d, n, 'C'))
		f.fillNew(tmp, src)
		src = (&val{t: tmp.Type, arr: tmp}).asLazy()
	}
	f.forLoops(shape, func(idx []ir.Expr) {
		f.emit(&ir.Store{Arr: fc.view, Idx: fc.loc(idx), Src: conv(src.gen(idx), d)})
	})
}

// ufuncAt lowers ufunc.at(x, index, v) (types/ufunc_methods.go): the
// selection x[index] updated element by element in C order, each update
// reading the value the previous ones left, so a repeated index applies
// the operation once per occurrence (NumPy's unbuffered ufunc.at).
func (f *fn) ufuncAt(e *pyast.Call, sub *pyast.Subscript) {
	if a, ok := f.info.Alias[sub].(*pyast.Subscript); ok {
		sub = a // a tuple variable as the index
	}
	name := f.typeOf(e.Func).Name // ufunc.<name>.at
	op := library.Lookup("numpy", strings.Split(name, ".")[1]).Op
	arr := f.materialize(f.expr(sub.Value))
	d := arr.Type.DType
	fc := f.multiIndex(sub, arr)
	shape := make([]ir.Expr, len(fc.shape))
	for k, s := range fc.shape {
		shape[k] = f.once(s)
	}
	v := f.freshCopy(f.expr(e.Args[2]))
	if v.t.Kind == types.Array {
		lz := v.asLazy()
		f.shapeCheck(shape[len(shape)-len(lz.shape):], lz.shape, quoteName(f.names4(arr)), "the values",
			"could not broadcast the values into the selected elements")
	}
	vg := f.elemOfShape(v, shape)
	opD := types.PromoteOperands(types.ScalarOf(d), v.t)
	f.forLoops(shape, func(idx []ir.Expr) {
		old := conv(&ir.Load{Arr: fc.view, Idx: fc.loc(idx)}, opD)
		f.emit(&ir.Store{Arr: fc.view, Idx: fc.loc(idx), Src: conv(scalarBin(op, old, conv(vg(idx), opD), opD), d)})
	})
}
