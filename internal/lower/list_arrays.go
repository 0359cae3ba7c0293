package lower

// Lists of arrays (issue 14). A list of arrays of one dtype and rank r is
// a list of tuples of int64 words, one buffer per word (lists.go): an
// item's descriptor is its owner's address, its data address, its r
// extents and its r strides in elements. Every list operation that moves
// items (append, insert, pop, reverse, copy, +, *, growth) therefore moves
// descriptors, never elements, which is what Python does: the items are
// the arrays themselves, views included, and a change made through one
// (parts[0][:] = 0) is seen through every other name for it.
//
// Storing an array takes its addresses through the array_words helper;
// reading one rebuilds it with array_from. Both name the array whole
// (ir.ArrayRef) or produce an array of unknown origin, so the passes treat
// a stored array as escaping (never scalarized nor its buffer reused) and
// analysis.AliasRoots lets an array read from a list view any array that
// was stored in one or any array parameter.
//
// Ownership: every array a call allocates is owned by the runtime until
// the call returns, and arguments by the caller, so the addresses a list
// holds stay valid for the whole call whatever the list does. A returned
// list is boxed by the runtime as a Python list of ndarrays, each a view
// whose base is its owner (a view of an argument keeps the argument alive,
// as NumPy's views do). A list of arrays passed in arrives as words the
// Python side wrote (lists.py) and is copied into the function's own
// buffers at entry, so the words the caller passed, which the runtime
// reads to recognise those owners, stay as they were.

import (
	"fmt"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// arrayWords is the number of int64 words an array item of type el takes.
func arrayWords(el *types.Type) int { return 2 + 2*el.NDim }

// arrayItem rebuilds item k of a list of arrays.
func (f *fn) arrayItem(v *val, k ir.Expr) *val {
	el := v.t.Elem()
	bufs := listBufs(v)
	k = f.stableExpr(k)
	load := func(i int) ir.Expr { return &ir.Load{Arr: bufs[i], Idx: []ir.Expr{k}} }
	args := make([]ir.Expr, 2+2*ir.MaxArrayWordDims)
	for i := range args {
		args[i] = ir.IntConst(0)
	}
	args[0], args[1] = load(0), load(1)
	for d := 0; d < el.NDim; d++ {
		args[2+d] = load(2 + d)
		args[2+ir.MaxArrayWordDims+d] = load(2 + el.NDim + d)
	}
	res := f.externCall(ir.HelperArrayFrom, args, el)
	return &val{t: el, arr: res[0]}
}

// putArray stores array x as item k of the list of arrays v.
func (f *fn) putArray(v *val, k ir.Expr, x *val) {
	el := v.t.Elem()
	bufs := listBufs(v)
	arr := f.materialize(x)
	w := f.externCall(ir.HelperArrayWords, []ir.Expr{aref(arr)}, i64T, i64T)
	store := func(i int, e ir.Expr) { f.emit(&ir.Store{Arr: bufs[i], Idx: []ir.Expr{k}, Src: e}) }
	store(0, &ir.Ref{Var: w[0]})
	store(1, &ir.Ref{Var: w[1]})
	for d := 0; d < el.NDim; d++ {
		store(2+d, &ir.Dim{Arr: arr, Axis: d})
		store(2+el.NDim+d, &ir.Stride{Arr: arr, Axis: d})
	}
}

// listArrayCall lowers the NumPy calls on lists of arrays: np.array_split,
// np.split, and np.array, np.concatenate, np.stack, np.hstack and
// np.vstack of a list; ok is false for other calls.
func (f *fn) listArrayCall(e *pyast.Call, name string, t *types.Type) (*val, bool) {
	switch name {
	case "numpy.array_split", "numpy.split":
		return f.splitList(e, name, t), true
	case "numpy.concatenate", "numpy.stack", "numpy.hstack", "numpy.vstack", "numpy.array", "numpy.asarray":
		if len(e.Args) == 0 {
			return nil, false
		}
		lt := f.typeOf(e.Args[0])
		if lt.Kind != types.List || lt.Elem().Kind != types.Array {
			return nil, false
		}
		return f.joinList(e, name, f.expr(e.Args[0]), t), true
	}
	return nil, false
}

// splitList lowers np.array_split(a, k_or_indices, axis) and np.split: a
// list of views of a along axis, bounded as NumPy bounds them. With k
// sections of an axis of extent n, the first n % k views have n // k + 1
// rows and the others n // k (np.split requires n % k == 0); with indices,
// view i is a[idx[i-1]:idx[i]] along the axis (0 and n at the ends), each
// bound normalised as a slice's (negative from the end, clipped), an empty
// view where a bound passes the next.
func (f *fn) splitList(e *pyast.Call, name string, t *types.Type) *val {
	a := f.expr(e.Args[0])
	base := f.materialize(a)
	at := base.Type
	axis, _ := types.SplitAxis(e)
	if axis < 0 {
		axis += int64(at.NDim)
	}
	ax := int(axis)
	n := f.once(&ir.Dim{Arr: base, Axis: ax})
	out := f.newLocal("parts", t)
	f.listAssign(out, f.newList(t, ir.IntConst(0), ir.IntConst(8)))
	// view appends a[lo:hi] along the axis (lo <= hi, both in [0, n]).
	view := func(lo, hi ir.Expr) {
		v := f.temp(types.ArrayOf(at.DType, at.NDim, 'A'))
		shape := make([]ir.Expr, at.NDim)
		strides := make([]ir.Expr, at.NDim)
		for d := range shape {
			shape[d] = &ir.Dim{Arr: base, Axis: d}
			strides[d] = &ir.Stride{Arr: base, Axis: d}
		}
		shape[ax] = ibin(ir.Sub, hi, lo)
		f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: base, Offset: ibin(ir.Mul, lo, &ir.Stride{Arr: base, Axis: ax}),
			Shape: shape, Strides: strides}})
		f.bind(v, base)
		f.listAppend(out, &val{t: v.Type, arr: v})
	}
	st := f.typeOf(e.Args[1])
	if st.Kind == types.Scalar {
		k := f.once(conv(f.expr(e.Args[1]).s, types.Int64))
		f.require(cmpE(ir.Gt, k, ir.IntConst(0)), ir.ErrValue, "number sections must be larger than 0.")
		each := f.once(ibin(ir.Div, n, k))
		extra := f.once(ibin(ir.Sub, n, ibin(ir.Mul, each, k)))
		if name == "numpy.split" {
			f.require(cmpE(ir.Eq, extra, ir.IntConst(0)), ir.ErrValue, "array split does not result in an equal division")
		}
		lo := f.temp(i64T)
		f.emit(&ir.Assign{Dst: lo, Src: ir.IntConst(0)})
		f.forCount(k, func(i ir.Expr) {
			size := f.once(&ir.Select{Cond: cmpE(ir.Lt, i, extra), X: ibin(ir.Add, each, ir.IntConst(1)), Y: each, T: i64T})
			view(&ir.Ref{Var: lo}, ibin(ir.Add, &ir.Ref{Var: lo}, size))
			f.emit(&ir.Assign{Dst: lo, Src: ibin(ir.Add, &ir.Ref{Var: lo}, size)})
		})
		return out
	}
	// Split indices: a list, a tuple or a 1-D array of integers.
	p := f.plan(e.Args[1])
	m := f.once(p.n)
	norm := func(x ir.Expr) ir.Expr {
		x = f.once(conv(x, types.Int64))
		x = f.once(&ir.Select{Cond: cmpE(ir.Lt, x, ir.IntConst(0)), X: ibin(ir.Add, x, n), Y: x, T: i64T})
		return f.once(&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{&ir.Intrinsic{Fn: ir.FnMax,
			Args: []ir.Expr{x, ir.IntConst(0)}, T: i64T}, n}, T: i64T})
	}
	prev := f.temp(i64T)
	f.emit(&ir.Assign{Dst: prev, Src: ir.IntConst(0)})
	f.forCount(ibin(ir.Add, m, ir.IntConst(1)), func(i ir.Expr) {
		hi := f.temp(i64T)
		f.emit(&ir.Assign{Dst: hi, Src: n})
		last := cmpE(ir.Ge, i, m)
		then := f.sub(func() { f.emit(&ir.Assign{Dst: hi, Src: norm(p.item(i).s)}) })
		f.emit(&ir.If{Cond: &ir.Unary{Op: ir.Not, X: last, T: types.BoolT}, Then: then})
		lo := f.once(&ir.Ref{Var: prev})
		top := f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{&ir.Ref{Var: hi}, lo}, T: i64T})
		view(lo, top)
		f.emit(&ir.Assign{Dst: prev, Src: &ir.Ref{Var: hi}})
	})
	return out
}

// joinList lowers np.concatenate, np.stack, np.hstack, np.vstack and
// np.array of a list of arrays: shapes checked as NumPy checks them (with
// its messages), then each item copied into its place.
func (f *fn) joinList(e *pyast.Call, name string, lv *val, rt *types.Type) *val {
	el := lv.t.Elem()
	nd := el.NDim
	n := f.once(listLen(lv))
	stack := name == "numpy.stack" || name == "numpy.array" || name == "numpy.asarray" || name == "numpy.vstack" && nd == 1
	ax := 0
	switch name {
	case "numpy.concatenate", "numpy.stack":
		axis, _ := types.AxisArg(e, 1, 0)
		if axis < 0 {
			axis += int64(rt.NDim)
		}
		ax = int(axis)
	case "numpy.hstack":
		if nd > 1 {
			ax = 1
		}
	}
	switch name {
	case "numpy.stack":
		f.require(cmpE(ir.Gt, n, ir.IntConst(0)), ir.ErrValue, "need at least one array to stack")
	case "numpy.array", "numpy.asarray":
		// NumPy makes an empty list a 1-D array of shape (0,): a rank that
		// depends on the value, refused at run time.
		f.require(cmpE(ir.Gt, n, ir.IntConst(0)), ir.ErrKind(10),
			"np.array() of an empty list of arrays is not supported (NumPy gives shape (0,), compiled code a stack)")
	default:
		f.require(cmpE(ir.Gt, n, ir.IntConst(0)), ir.ErrValue, "need at least one array to concatenate")
	}
	first := f.listItem(lv, ir.IntConst(0)).arr
	dims := make([]ir.Expr, nd)
	for d := range dims {
		dims[d] = f.once(&ir.Dim{Arr: first, Axis: d})
	}
	total := f.temp(i64T)
	f.emit(&ir.Assign{Dst: total, Src: ir.IntConst(0)})
	f.forCount(n, func(k ir.Expr) {
		item := f.listItem(lv, k).arr
		for d := 0; d < nd; d++ {
			x := &ir.Dim{Arr: item, Axis: d}
			switch {
			case stack && (name == "numpy.array" || name == "numpy.asarray"):
				f.require(cmpE(ir.Eq, x, dims[d]), ir.ErrValue, "setting an array element with a sequence. "+
					"The requested array has an inhomogeneous shape after 1 dimensions.")
			case stack:
				f.require(cmpE(ir.Eq, x, dims[d]), ir.ErrValue, "all input arrays must have the same shape")
			case d != ax:
				f.require(cmpE(ir.Eq, x, dims[d]), ir.ErrValue, fmt.Sprintf("all the input array dimensions "+
					"except for the concatenation axis must match exactly, but along dimension %d, the array at "+
					"index 0 has size {0} and the array at index {1} has size {2}", d), dims[d], k, x)
			}
		}
		if !stack {
			f.emit(&ir.Assign{Dst: total, Src: ibin(ir.Add, &ir.Ref{Var: total}, &ir.Dim{Arr: item, Axis: ax})})
		}
	})
	var shape []ir.Expr
	if stack {
		shape = append(shape, dims[:ax]...)
		shape = append(shape, n)
		shape = append(shape, dims[ax:]...)
	} else {
		shape = append([]ir.Expr{}, dims...)
		shape[ax] = &ir.Ref{Var: total}
	}
	dst := f.alloc(rt, shape)
	offset := f.temp(i64T)
	f.emit(&ir.Assign{Dst: offset, Src: ir.IntConst(0)})
	f.forCount(n, func(k ir.Expr) {
		item := f.listItem(lv, k).arr
		ext := make([]ir.Expr, nd)
		for d := range ext {
			ext[d] = f.once(&ir.Dim{Arr: item, Axis: d})
		}
		vs, idx := f.idxVars(nd)
		var at []ir.Expr
		if stack {
			at = append(at, idx[:ax]...)
			at = append(at, k)
			at = append(at, idx[ax:]...)
		} else {
			at = append([]ir.Expr{}, idx...)
			at[ax] = ibin(ir.Add, idx[ax], &ir.Ref{Var: offset})
		}
		f.emit(&ir.Nest{Vars: vs, Bounds: ext, Body: []ir.Stmt{
			&ir.Store{Arr: dst, Idx: at, Src: conv(&ir.Load{Arr: item, Idx: idx}, rt.DType)}}})
		if !stack {
			f.emit(&ir.Assign{Dst: offset, Src: ibin(ir.Add, &ir.Ref{Var: offset}, ext[ax])})
		}
	})
	return &val{t: rt, arr: dst}
}
