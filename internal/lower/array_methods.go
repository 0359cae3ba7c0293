package lower

// ndarray attributes and methods typed by types/array_methods.go.

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// arrayAttr lowers x.strides, x.itemsize, x.T, x.real, x.imag and
// x.flags (whose own attributes flagsAttr reads); ok is false otherwise.
func (f *fn) arrayAttr(e *pyast.Attribute, v *val, rt *types.Type) (*val, bool) {
	d := v.t.DType
	switch e.Attr {
	case "strides":
		arr := f.materialize(v)
		out := &val{t: rt}
		for k := 0; k < arr.Type.NDim; k++ {
			out.elems = append(out.elems, &val{t: types.Int,
				s: bin(ir.Mul, &ir.Stride{Arr: arr, Axis: k}, ir.IntConst(int64(itemBytes(d))), types.Int64)})
		}
		return out, true
	case "itemsize":
		return &val{t: rt, s: ir.IntConst(int64(itemBytes(d)))}, true
	case "nbytes":
		return &val{t: rt, s: bin(ir.Mul, product1(v.asLazy().shape), ir.IntConst(int64(itemBytes(d))), types.Int64)}, true
	case "dtype":
		return &val{t: rt}, true
	case "T":
		return f.transpose(v, types.TransposeAxes(nil, v.t.NDim), rt), true
	case "real":
		if d.IsComplex() {
			return f.partView(v, 0, rt), true
		}
		return v, true
	case "imag":
		if d.IsComplex() {
			return f.partView(v, 1, rt), true
		}
		lz := v.asLazy()
		return &val{t: rt, lazy: &lazyArr{dtype: d, shape: lz.shape, gen: func([]ir.Expr) ir.Expr { return zeroOf(d) }}}, true
	case "flags":
		return &val{t: rt, arr: f.materialize(v)}, true
	}
	return nil, false
}

// partView is x.real (part 0) or x.imag (part 1) of a complex array: a
// view of the real dtype over the same memory, each element's part at
// offset part, strides doubled (both in elements of the view's dtype, see
// ir.View), as NumPy's views are; writes through it change x.
func (f *fn) partView(v *val, part int64, rt *types.Type) *val {
	arr := f.materialize(v)
	n := arr.Type.NDim
	shape := make([]ir.Expr, n)
	strides := make([]ir.Expr, n)
	for k := 0; k < n; k++ {
		shape[k] = &ir.Dim{Arr: arr, Axis: k}
		strides[k] = bin(ir.Mul, &ir.Stride{Arr: arr, Axis: k}, ir.IntConst(2), types.Int64)
	}
	out := f.temp(rt)
	f.bind(out, arr)
	f.emit(&ir.SetArray{Dst: out, Src: &ir.View{Base: arr, Offset: ir.IntConst(part), Shape: shape, Strides: strides}})
	f.noteShape(out, shape)
	return &val{t: rt, arr: out}
}

// flagsAttr computes x.flags.c_contiguous or f_contiguous as NumPy does:
// every axis of extent other than 1 has the stride of a dense layout, or
// the array is empty.
func (f *fn) flagsAttr(e *pyast.Attribute, arr *ir.Var, rt *types.Type) *val {
	n := arr.Type.NDim
	order := make([]int, n)
	for k := range order {
		order[k] = n - 1 - k // C: the last axis varies fastest
	}
	if e.Attr == "f_contiguous" || e.Attr == "fortran" {
		for k := range order {
			order[k] = k
		}
	}
	var ok ir.Expr = ir.BoolConst(true)
	var empty ir.Expr = ir.BoolConst(false)
	var want ir.Expr = ir.IntConst(1)
	for _, k := range order {
		dim := &ir.Dim{Arr: arr, Axis: k}
		good := bin(ir.Or, bin(ir.Eq, dim, ir.IntConst(1), types.Int64),
			bin(ir.Eq, &ir.Stride{Arr: arr, Axis: k}, want, types.Int64), types.Bool)
		ok = bin(ir.And, ok, good, types.Bool)
		empty = bin(ir.Or, empty, bin(ir.Eq, dim, ir.IntConst(0), types.Int64), types.Bool)
		want = bin(ir.Mul, want, dim, types.Int64)
	}
	res := bin(ir.Or, ok, empty, types.Bool)
	if e.Attr == "fortran" {
		// NumPy's legacy flag: Fortran-contiguous and not C-contiguous.
		c := f.flagsAttr(&pyast.Attribute{Attr: "c_contiguous"}, arr, rt)
		res = bin(ir.And, res, not(c.s), types.Bool)
	}
	return &val{t: rt, s: f.stableExpr(res)}
}

// transpose is a view with the axes permuted.
func (f *fn) transpose(v *val, perm []int, rt *types.Type) *val {
	arr := f.materialize(v)
	if arr.Type.NDim <= 1 {
		return &val{t: rt, arr: arr}
	}
	shape := make([]ir.Expr, len(perm))
	strides := make([]ir.Expr, len(perm))
	for i, k := range perm {
		shape[i] = &ir.Dim{Arr: arr, Axis: k}
		if unitAxis(arr, k) {
			shape[i] = ir.IntConst(1)
		}
		strides[i] = &ir.Stride{Arr: arr, Axis: k}
	}
	out := f.temp(rt)
	f.bind(out, arr)
	f.emit(&ir.SetArray{Dst: out, Src: &ir.View{Base: arr, Offset: ir.IntConst(0), Shape: shape, Strides: strides}})
	f.noteShape(out, shape)
	return &val{t: rt, arr: out}
}

// cContiguous is the run-time test of C-contiguity.
func (f *fn) cContiguous(arr *ir.Var) ir.Expr {
	return f.flagsAttr(&pyast.Attribute{Attr: "c_contiguous"}, arr, types.BoolT).s
}

// arrayMethod lowers x.name(args); args[0] is x.
func (f *fn) arrayMethod(e *pyast.Call, name string, args []*val, rt *types.Type) *val {
	x := args[0]
	switch name {
	case "copy":
		dst := f.temp(rt)
		f.fillNew(dst, x.asLazy())
		return &val{t: rt, arr: dst}
	case "flatten":
		return f.reshaped(x, []ir.Expr{ir.IntConst(-1)}, rt, false, true)
	case "ravel":
		return f.reshaped(x, []ir.Expr{ir.IntConst(-1)}, rt, true, true)
	case "reshape":
		var dims []ir.Expr
		for _, a := range args[1:] {
			if a.t.Kind == types.Tuple {
				for _, el := range a.elems {
					dims = append(dims, conv(el.s, types.Int64))
				}
			} else {
				dims = append(dims, conv(a.s, types.Int64))
			}
		}
		return f.reshaped(x, dims, rt, true, false)
	case "transpose":
		return f.transpose(x, types.TransposeAxes(e, x.t.NDim), rt)
	case "fill":
		f.storeArray(f.materialize(x), args[1], "", nil, e.P)
		return &val{t: rt}
	case "item":
		arr := f.materialize(x)
		lz := x.asLazy()
		size := f.once(product1(lz.shape))
		var idx []ir.Expr
		switch len(args) - 1 {
		case 0:
			f.emit(&ir.Check{Cond: bin(ir.Eq, size, ir.IntConst(1), types.Int64), Err: ir.ErrValue,
				Msg: "can only convert an array of size 1 to a Python scalar"})
			idx = zeros(arr.Type.NDim)
		case 1:
			if arr.Type.NDim == 1 {
				idx = []ir.Expr{f.itemIndex(args[1].s, size, "index {0} is out of bounds for size {1}")}
				break
			}
			flat := f.itemIndex(args[1].s, size, "index {0} is out of bounds for size {1}")
			idx = f.unravel(flat, arr)
		default:
			for k, a := range args[1:] {
				n := &ir.Dim{Arr: arr, Axis: k}
				idx = append(idx, f.itemIndex(a.s, n, fmt.Sprintf("index {0} is out of bounds for axis %d with size {1}", k)))
			}
		}
		return &val{t: rt, s: conv(&ir.Load{Arr: arr, Idx: idx}, rt.DType)}
	}
	return &val{t: rt}
}

// itemIndex wraps a negative index and checks it against n.
func (f *fn) itemIndex(i, n ir.Expr, msg string) ir.Expr {
	orig := f.stableExpr(conv(i, types.Int64))
	w := f.stableExpr(&ir.Select{Cond: bin(ir.Lt, orig, ir.IntConst(0), types.Int64),
		X: bin(ir.Add, orig, n, types.Int64), Y: orig, T: i64T})
	u64 := types.ScalarOf(types.Uint64)
	f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Lt, X: &ir.Cast{X: w, T: u64}, Y: &ir.Cast{X: n, T: u64}, T: types.BoolT},
		Err: ir.ErrIndex, Msg: msg, Args: []ir.Expr{orig, n}})
	return w
}

// unravel turns a flat C-order index into one index per axis.
func (f *fn) unravel(flat ir.Expr, arr *ir.Var) []ir.Expr {
	n := arr.Type.NDim
	idx := make([]ir.Expr, n)
	rest := flat
	for k := n - 1; k >= 0; k-- {
		dim := &ir.Dim{Arr: arr, Axis: k}
		if k == 0 {
			idx[k] = rest
			break
		}
		idx[k] = f.stableExpr(bin(ir.Mod, rest, dim, types.Int64))
		rest = f.stableExpr(bin(ir.FloorDiv, rest, dim, types.Int64))
	}
	return idx
}

// reshapeMessage is NumPy's "cannot reshape array of size 6 into shape
// (4,newaxis)": the -1 extent (infer) is "newaxis", or left out where it
// comes first, and a shape of one extent keeps its trailing comma.
func reshapeMessage(size ir.Expr, shape []ir.Expr, infer int) (string, []ir.Expr) {
	var b strings.Builder
	args := []ir.Expr{size}
	b.WriteString("cannot reshape array of size {0} into shape (")
	first := true
	for k, d := range shape {
		switch {
		case k == infer && first:
			continue // a leading newaxis is not printed
		case !first:
			b.WriteString(",")
		}
		first = false
		if k == infer {
			b.WriteString("newaxis")
			continue
		}
		args = append(args, d)
		fmt.Fprintf(&b, "{%d}", len(args)-1)
	}
	if len(shape) == 1 {
		b.WriteString(",")
	}
	b.WriteString(")")
	return b.String(), args
}

// reshaped gives x in a new shape: a view when x is C-contiguous at run
// time and a view is allowed (reshape, ravel), a C-ordered copy otherwise
// (NumPy can also view some other non-contiguous arrays, splitting or
// merging only some axes; sejit copies those).
// One constant -1 extent is inferred from the size.
func (f *fn) reshaped(x *val, dims []ir.Expr, rt *types.Type, mayView, ravel bool) *val {
	lz := x.asLazy()
	size := f.once(product1(lz.shape))
	infer := -1
	for k, d := range dims {
		if c, ok := d.(*ir.Const); ok && c.I == -1 {
			infer = k
		}
	}
	shape := make([]ir.Expr, len(dims))
	var known ir.Expr = ir.IntConst(1)
	for k, d := range dims {
		if k == infer {
			continue
		}
		shape[k] = f.once(d)
		known = bin(ir.Mul, known, shape[k], types.Int64)
	}
	known = f.once(known)
	msg, args := reshapeMessage(size, shape, infer)
	if infer >= 0 {
		f.emit(&ir.Check{Cond: bin(ir.And, bin(ir.Ne, known, ir.IntConst(0), types.Int64),
			bin(ir.Eq, bin(ir.Mod, size, known, types.Int64), ir.IntConst(0), types.Int64), types.Bool),
			Err: ir.ErrValue, Msg: msg, Args: args})
		shape[infer] = f.once(bin(ir.FloorDiv, size, known, types.Int64))
	} else {
		f.emit(&ir.Check{Cond: bin(ir.Eq, known, size, types.Int64), Err: ir.ErrValue, Msg: msg, Args: args})
	}
	out := f.temp(rt)
	// The copy: element k of the result (C order) is element k of x.
	src := f.materialize(x)
	cp := f.sub(func() {
		f.emit(&ir.SetArray{Dst: out, Src: &ir.Alloc{DType: rt.DType, Shape: shape}})
		pos := f.scalarVar(types.Int64, ir.IntConst(0))
		sl := (&val{t: src.Type, arr: src}).asLazy()
		f.forLoops(sl.shape, func(idx []ir.Expr) {
			f.emit(&ir.Store{Arr: out, Idx: f.unravelShape(ref(pos), shape), Src: conv(sl.gen(idx), rt.DType)})
			f.emit(&ir.Assign{Dst: pos, Src: bin(ir.Add, ref(pos), ir.IntConst(1), types.Int64)})
		})
	})
	if !mayView || x.arr == nil {
		for _, s := range cp {
			f.emit(s)
		}
		f.noteShape(out, shape)
		return &val{t: rt, arr: out}
	}
	// Besides a C-contiguous array, one whose axes chain (each stride the
	// next one's times its extent, no extent 1) is viewed with its
	// innermost stride as the unit: a reversed or a strided 1-D array.
	n := src.Type.NDim
	var chain ir.Expr = ir.BoolConst(!ravel)
	for k := 0; k < n; k++ {
		dim := &ir.Dim{Arr: src, Axis: k}
		chain = bin(ir.And, chain, bin(ir.Ne, dim, ir.IntConst(1), types.Int64), types.Bool)
		if k+1 < n {
			next := bin(ir.Mul, &ir.Stride{Arr: src, Axis: k + 1}, &ir.Dim{Arr: src, Axis: k + 1}, types.Int64)
			chain = bin(ir.And, chain, bin(ir.Eq, &ir.Stride{Arr: src, Axis: k}, next, types.Int64), types.Bool)
		}
	}
	contig := f.stableExpr(f.cContiguous(src))
	chain = f.stableExpr(bin(ir.Or, contig, chain, types.Bool))
	var unit ir.Expr = ir.IntConst(1)
	if !ravel && n > 0 {
		unit = f.stableExpr(&ir.Select{Cond: contig, X: ir.IntConst(1), Y: &ir.Stride{Arr: src, Axis: n - 1}, T: i64T})
	}
	strides := make([]ir.Expr, len(shape))
	var st ir.Expr = unit
	for k := len(shape) - 1; k >= 0; k-- {
		strides[k] = st
		st = bin(ir.Mul, st, shape[k], types.Int64)
	}
	view := []ir.Stmt{&ir.SetArray{Dst: out, Src: &ir.View{Base: src, Offset: ir.IntConst(0), Shape: shape, Strides: strides}}}
	f.emit(&ir.If{Cond: chain, Then: view, Else: cp})
	f.bind(out, src)
	f.noteShape(out, shape)
	return &val{t: rt, arr: out}
}

// unravelShape is unravel against extents held in expressions.
func (f *fn) unravelShape(flat ir.Expr, shape []ir.Expr) []ir.Expr {
	n := len(shape)
	idx := make([]ir.Expr, n)
	rest := flat
	for k := n - 1; k >= 0; k-- {
		if k == 0 {
			idx[k] = rest
			break
		}
		idx[k] = bin(ir.Mod, rest, shape[k], types.Int64)
		rest = bin(ir.FloorDiv, rest, shape[k], types.Int64)
	}
	return idx
}

// itemBytes is a dtype's itemsize (a NumPy bool takes one byte).
func itemBytes(d types.DType) int {
	if d == types.Bool {
		return 1
	}
	return d.Bits() / 8
}
