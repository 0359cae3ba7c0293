package lower

// Creation, joining, linear algebra and the 1-D algorithms of NumPy
// (types/calls_numpy.go types them). Element-wise ones become nests and
// loops here; sorting, unique, histogram, bincount and interp call helpers
// of the prelude's "NumPy functions" section through extern ir.Funcs.

import (
	"fmt"

	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

func ibin(op ir.Op, x, y ir.Expr) ir.Expr { return &ir.Bin{Op: op, X: x, Y: y, T: i64T} }
func cmpE(op ir.Op, x, y ir.Expr) ir.Expr { return &ir.Bin{Op: op, X: x, Y: y, T: types.BoolT} }

// kwOr returns keyword key's value, else positional argument pos, else nil.
func kwOr(kw map[string]*val, key string, args []*val, pos int) *val {
	if v, ok := kw[key]; ok {
		return v
	}
	if pos >= 0 && pos < len(args) {
		return args[pos]
	}
	return nil
}

// countLoop emits `for v in range(n)` as a sequential loop; body gets v.
func (f *fn) countLoop(n ir.Expr, body func(i ir.Expr)) {
	v := f.temp(i64T)
	f.emit(&ir.For{Var: v, Start: ir.IntConst(0), Stop: n, Step: ir.IntConst(1), Sign: 1,
		Body: f.sub(func() { body(&ir.Ref{Var: v}) })})
}

// fill emits one nest storing gen(idx) into every element of dst.
func (f *fn) fill(dst *ir.Var, shape []ir.Expr, gen func(idx []ir.Expr) ir.Expr) {
	vs, idx := f.idxVars(len(shape))
	f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{&ir.Store{Arr: dst, Idx: idx, Src: conv(gen(idx), dst.Type.DType)}}})
}

// alloc allocates a fresh array of type t with extents shape.
func (f *fn) alloc(t *types.Type, shape []ir.Expr) *ir.Var {
	dst := f.temp(t)
	f.emit(&ir.SetArray{Dst: dst, Src: &ir.Alloc{DType: t.DType, Shape: shape}})
	return dst
}

// arrayAs makes v an array variable of dtype d (a copy only when the dtype
// differs or v is not yet an array).
func (f *fn) arrayAs(v *val, d types.DType) *ir.Var {
	if v.arr != nil && v.t.DType == d {
		return v.arr
	}
	lz := v.asLazy()
	t := types.ArrayOf(d, len(lz.shape), 'C')
	c := &val{t: t, lazy: &lazyArr{label: lz.label, dtype: d, shape: lz.shape, gen: lz.gen}}
	return f.materialize(c)
}

func (f *fn) fail(err ir.ErrKind, msg string, args ...ir.Expr) {
	f.emit(&ir.Check{Cond: ir.BoolConst(false), Err: err, Msg: msg, Args: args})
}

func (f *fn) require(cond ir.Expr, err ir.ErrKind, msg string, args ...ir.Expr) {
	f.emit(&ir.Check{Cond: cond, Err: err, Msg: msg, Args: args})
}

func (f *fn) numpyFunc(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	if types.IsShapeFunc(name) {
		return f.numpyShape(e, name, args, kw, rt)
	}
	if types.IsStatsFunc(name) {
		return f.numpyStats(e, name, args, kw, rt) // numpy_stats.go
	}
	switch name {
	case "linspace":
		return f.linspace(args, kw, rt)
	case "eye", "identity":
		n := f.stableExpr(conv(args[0].s, types.Int64))
		m := n
		if v := kwOr(kw, "M", args, 1); v != nil && name == "eye" {
			m = f.stableExpr(conv(v.s, types.Int64))
		}
		var k ir.Expr = ir.IntConst(0)
		if v := kwOr(kw, "k", args, 2); v != nil && name == "eye" {
			k = f.stableExpr(conv(v.s, types.Int64))
		}
		for _, x := range []ir.Expr{n, m} {
			f.require(cmpE(ir.Ge, x, ir.IntConst(0)), ir.ErrValue, "negative dimensions are not allowed")
		}
		dst := f.alloc(rt, []ir.Expr{n, m})
		d := rt.DType
		f.fill(dst, []ir.Expr{n, m}, func(idx []ir.Expr) ir.Expr {
			return &ir.Select{Cond: cmpE(ir.Eq, idx[1], ibin(ir.Add, idx[0], k)), X: oneOf(d), Y: zeroOf(d), T: types.ScalarOf(d)}
		})
		return &val{t: rt, arr: dst}
	case "array", "asarray", "copy":
		v := args[0]
		if v.t.Kind == types.Array {
			if name == "asarray" && v.t.DType == rt.DType {
				return v
			}
			lz := v.asLazy()
			c := &val{t: rt, lazy: &lazyArr{label: lz.label, dtype: rt.DType, shape: lz.shape, gen: lz.gen}}
			return &val{t: rt, arr: f.materialize(c)}
		}
		return f.tupleArray(v, rt)
	case "concatenate", "stack", "hstack", "vstack":
		return f.join(e, name, args[0].elems, rt)
	case "dot", "matmul":
		return f.dot(e.P, name, args[0], args[1], rt)
	case "inner":
		// inner(a, b) sums over both last axes: a @ b.T, with b @ a for a 1-D a and a 2-D b
		a, b := args[0], args[1]
		if b.t.NDim == 2 {
			if a.t.NDim == 1 {
				return f.dot(e.P, "dot", b, a, rt)
			}
			bt := types.ArrayOf(b.t.DType, 2, 'A')
			b = f.transpose(b, []int{1, 0}, bt)
		}
		return f.dot(e.P, "dot", a, b, rt)
	case "vdot", "outer", "cross", "trace":
		return f.linalg(e, name, args, rt)
	case "sort", "argsort", "unique":
		return f.sortLike(e, name, args[0], rt)
	case "searchsorted":
		return f.searchsorted(args[0], args[1], kw, rt)
	case "histogram", "bincount", "interp":
		return f.counting(e, name, args, kw, rt)
	}
	f.errorf(e.P, diag.Internal, "cannot lower np.%s", name)
	return &val{t: rt, s: ir.IntConst(0)}
}

// tupleArray is np.array of the tuple v (of numbers, or of equal-length
// tuples of numbers): a new array of type rt.
func (f *fn) tupleArray(v *val, rt *types.Type) *val {
	var elems []*val
	shape := []ir.Expr{ir.IntConst(int64(len(v.elems)))}
	if rt.NDim == 2 {
		cols := 0
		for _, r := range v.elems {
			elems = append(elems, r.elems...)
			cols = len(r.elems)
		}
		shape = append(shape, ir.IntConst(int64(cols)))
	} else {
		elems = v.elems
	}
	dst := f.alloc(rt, shape)
	for i, x := range elems {
		idx := []ir.Expr{ir.IntConst(int64(i))}
		if rt.NDim == 2 {
			c := shape[1].(*ir.Const).I
			idx = []ir.Expr{ir.IntConst(int64(i) / c), ir.IntConst(int64(i) % c)}
		}
		f.emit(&ir.Store{Arr: dst, Idx: idx, Src: conv(x.s, rt.DType)})
	}
	return &val{t: rt, arr: dst}
}

// linspace follows numpy.linspace: step = (stop - start) / div with div
// = num - 1 (endpoint) or num; element i is i * step + start (i / div *
// delta + start when the step underflows to 0), and the last element is
// stop itself when endpoint holds.
func (f *fn) linspace(args []*val, kw map[string]*val, rt *types.Type) *val {
	ct := types.PromoteAll(args[0].t, args[1].t, types.Float)
	ctT := types.ScalarOf(ct)
	start := f.stableExpr(conv(args[0].s, ct))
	stop := f.stableExpr(conv(args[1].s, ct))
	var num ir.Expr = ir.IntConst(50)
	if v := kwOr(kw, "num", args, 2); v != nil {
		num = f.stableExpr(conv(v.s, types.Int64))
	}
	var endpoint ir.Expr = ir.BoolConst(true)
	if v := kw["endpoint"]; v != nil {
		endpoint = f.stableExpr(truth(v.s))
	}
	f.require(cmpE(ir.Ge, num, ir.IntConst(0)), ir.ErrValue, "Number of samples, {0}, must be non-negative.", num)
	div := f.stableExpr(&ir.Select{Cond: endpoint, X: ibin(ir.Sub, num, ir.IntConst(1)), Y: num, T: i64T})
	delta := f.stableExpr(&ir.Bin{Op: ir.Sub, X: stop, Y: start, T: ctT})
	fdiv := conv(div, ct)
	step := f.stableExpr(&ir.Bin{Op: ir.Div, X: delta, Y: fdiv, T: ctT})
	zeroStep := f.stableExpr(cmpE(ir.Eq, step, zeroOf(ct)))
	pos := f.stableExpr(cmpE(ir.Gt, div, ir.IntConst(0)))
	dst := f.alloc(types.ArrayOf(rt.DType, 1, 'C'), []ir.Expr{num})
	d := rt.DType
	f.fill(dst, []ir.Expr{num}, func(idx []ir.Expr) ir.Expr {
		i := conv(idx[0], ct)
		mul := func(x, y ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Mul, X: x, Y: y, T: ctT} }
		byStep := mul(i, step)
		byDelta := mul(&ir.Bin{Op: ir.Div, X: i, Y: fdiv, T: ctT}, delta)
		y := &ir.Select{Cond: pos, X: &ir.Select{Cond: zeroStep, X: byDelta, Y: byStep, T: ctT}, Y: mul(i, delta), T: ctT}
		var v ir.Expr = &ir.Bin{Op: ir.Add, X: y, Y: start, T: ctT}
		last := cmpE(ir.And, endpoint, cmpE(ir.Eq, idx[0], ibin(ir.Sub, num, ir.IntConst(1))))
		v = &ir.Select{Cond: cmpE(ir.And, last, cmpE(ir.Gt, num, ir.IntConst(1))), X: stop, Y: v, T: ctT}
		if d.IsInt() {
			v = &ir.Intrinsic{Fn: ir.FnFloor, Args: []ir.Expr{v}, T: ctT}
		}
		return conv(v, d)
	})
	return &val{t: rt, arr: dst}
}

// join lowers concatenate, stack, hstack and vstack: one nest per input
// copying it into its place in a fresh array.
func (f *fn) join(e *pyast.Call, name string, elems []*val, rt *types.Type) *val {
	nd := elems[0].t.NDim
	out := rt.NDim
	if name == "vstack" && out == 2 {
		// Rows of a vstack with 2-D inputs: a 1-D input is a (1, n) array.
		nd = 2
		for i, v := range elems {
			if v.t.NDim == 1 {
				lz := v.asLazy()
				row := &lazyArr{label: lz.label, dtype: lz.dtype, shape: []ir.Expr{ir.IntConst(1), lz.shape[0]},
					gen: func(idx []ir.Expr) ir.Expr { return lz.gen(idx[1:]) }}
				elems[i] = &val{t: types.ArrayOf(v.t.DType, 2, 'A'), lazy: row}
			}
		}
		for _, v := range elems {
			if v.t.NDim == 1 {
				nd = 1
			}
		}
	}
	axis, _ := types.AxisArg(e, 1, 0)
	stack := name == "stack" || name == "vstack" && nd == 1
	switch {
	case name == "hstack":
		axis = 0
		if nd > 1 {
			axis = 1
		}
	case name == "vstack":
		axis = 0
	}
	if axis < 0 {
		axis += int64(out)
	}
	ax := int(axis)
	shapes := make([][]ir.Expr, len(elems))
	for k, v := range elems {
		lz := v.asLazy()
		shapes[k] = make([]ir.Expr, len(lz.shape))
		for i, s := range lz.shape {
			shapes[k][i] = f.once(s)
		}
	}
	first := shapes[0]
	var shape []ir.Expr
	if stack {
		for k := 1; k < len(elems); k++ {
			for i := range first {
				f.require(cmpE(ir.Eq, shapes[k][i], first[i]), ir.ErrValue, "all input arrays must have the same shape")
			}
		}
		shape = append(shape, first[:ax]...)
		shape = append(shape, ir.IntConst(int64(len(elems))))
		shape = append(shape, first[ax:]...)
	} else {
		var total ir.Expr = first[ax]
		for k := 1; k < len(elems); k++ {
			for i := range first {
				if i == ax {
					continue
				}
				f.require(cmpE(ir.Eq, shapes[k][i], first[i]), ir.ErrValue, fmt.Sprintf(
					"all the input array dimensions except for the concatenation axis must match exactly, but along "+
						"dimension %d, the array at index 0 has size {0} and the array at index %d has size {1}", i, k),
					first[i], shapes[k][i])
			}
			total = ibin(ir.Add, total, shapes[k][ax])
		}
		shape = append([]ir.Expr{}, first...)
		shape[ax] = f.once(total)
	}
	dst := f.alloc(rt, shape)
	var offset ir.Expr = ir.IntConst(0)
	for k, v := range elems {
		lz := v.asLazy()
		vs, idx := f.idxVars(len(shapes[k]))
		var at []ir.Expr
		if stack {
			at = append(at, idx[:ax]...)
			at = append(at, ir.IntConst(int64(k)))
			at = append(at, idx[ax:]...)
		} else {
			at = append([]ir.Expr{}, idx...)
			at[ax] = ibin(ir.Add, idx[ax], offset)
		}
		f.emit(&ir.Nest{Vars: vs, Bounds: shapes[k], Body: []ir.Stmt{&ir.Store{Arr: dst, Idx: at, Src: conv(lz.gen(idx), rt.DType)}}})
		if !stack {
			offset = f.once(ibin(ir.Add, offset, shapes[k][ax]))
		}
	}
	return &val{t: rt, arr: dst}
}

// dot lowers np.dot, np.matmul, x.dot(y) and @ on 1-D and 2-D operands.
// Vector products accumulate in one nest (printed with independent
// accumulators for floats); matrix products run i, k, j loops so the
// innermost one streams over rows of the result and of b.
func (f *fn) dot(p pyast.Pos, name string, a, b *val, rt *types.Type) *val {
	if a.t.Kind == types.Scalar || b.t.Kind == types.Scalar {
		return f.binop("Mult", a, b, rt, p)
	}
	d := rt.DType
	dt := types.ScalarOf(d)
	A, B := f.arrayAs(a, a.t.DType), f.arrayAs(b, b.t.DType)
	dim := func(v *ir.Var, k int) ir.Expr { return &ir.Dim{Arr: v, Axis: k} }
	ld := func(v *ir.Var, idx ...ir.Expr) ir.Expr { return conv(&ir.Load{Arr: v, Idx: idx}, d) }
	ka := dim(A, a.t.NDim-1)
	kb := dim(B, 0)
	if b.t.NDim == 2 && a.t.NDim == 1 {
		kb = dim(B, 0)
	}
	// shapeStr writes v's shape with its extents as operands k, k+1.
	shapeStr := func(v *ir.Var, nd, k int) (string, []ir.Expr) {
		if nd == 1 {
			return fmt.Sprintf("({%d},)", k), []ir.Expr{dim(v, 0)}
		}
		return fmt.Sprintf("({%d},{%d})", k, k+1), []ir.Expr{dim(v, 0), dim(v, 1)}
	}
	sa, aa := shapeStr(A, a.t.NDim, 0)
	sb, ba := shapeStr(B, b.t.NDim, len(aa))
	nab := len(aa) + len(ba)
	msg := fmt.Sprintf("shapes %s and %s not aligned: {%d} (dim %d) != {%d} (dim 0)", sa, sb, nab, a.t.NDim-1, nab+1)
	margs := append(append(append([]ir.Expr{}, aa...), ba...), ka, kb)
	if name == "matmul" {
		msg = "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature " +
			"(n?,k),(k,m?)->(n?,m?) (size {0} is different from {1})"
		margs = []ir.Expr{kb, ka}
	}
	f.require(cmpE(ir.Eq, ka, kb), ir.ErrValue, msg, margs...)
	n := f.once(ka)
	mul := func(x, y ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Mul, X: x, Y: y, T: dt} }
	add := func(x, y ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Add, X: x, Y: y, T: dt} }
	if a.t.NDim == 1 && b.t.NDim == 1 {
		acc := f.temp(dt)
		loop := func() {
			f.emit(&ir.Assign{Dst: acc, Src: zeroOf(d)})
			vs, idx := f.idxVars(1)
			f.emit(&ir.Nest{Vars: vs, Bounds: []ir.Expr{n}, Body: []ir.Stmt{&ir.Assign{Dst: acc,
				Src: add(&ir.Ref{Var: acc}, mul(ld(A, idx[0]), ld(B, idx[0])))}}})
		}
		if blasDType(d) && a.t.DType == d && b.t.DType == d {
			f.blasDot(A, B, false, acc, loop)
		} else {
			loop()
		}
		return &val{t: rt, s: &ir.Ref{Var: acc}}
	}
	if a.t.NDim == 2 && b.t.NDim == 1 {
		m := f.once(dim(A, 0))
		dst := f.alloc(rt, []ir.Expr{m})
		loops := func() {
			acc := f.temp(dt)
			f.countLoop(m, func(i ir.Expr) {
				f.emit(&ir.Assign{Dst: acc, Src: zeroOf(d)})
				vs, idx := f.idxVars(1)
				f.emit(&ir.Nest{Vars: vs, Bounds: []ir.Expr{n}, Body: []ir.Stmt{&ir.Assign{Dst: acc,
					Src: add(&ir.Ref{Var: acc}, mul(ld(A, i, idx[0]), ld(B, idx[0])))}}})
				f.emit(&ir.Store{Arr: dst, Idx: []ir.Expr{i}, Src: &ir.Ref{Var: acc}})
			})
		}
		if blasDType(d) && a.t.DType == d && b.t.DType == d {
			f.emit(&ir.If{Cond: f.gemv(A, B, dst, false), Then: f.sub(loops)})
		} else {
			loops()
		}
		return &val{t: rt, arr: dst}
	}
	// a is 1-D or 2-D, b is 2-D: out[i, j] = Σk a[i, k] b[k, j].
	cols := f.once(dim(B, 1))
	var shape []ir.Expr
	if a.t.NDim == 2 {
		shape = append(shape, f.once(dim(A, 0)))
	}
	shape = append(shape, cols)
	dst := f.alloc(rt, shape)
	if a.t.NDim == 2 && blasDType(d) && a.t.DType == d && b.t.DType == d {
		// NumPy's BLAS when the runtime has it and the operands suit it
		// (blas.go); the loop nest below otherwise.
		cond := f.gemm(A, B, dst, oneOf(d), zeroOf(d), false)
		f.emit(&ir.If{Cond: cond, Then: f.sub(func() { f.matmulLoops(a, A, B, dst, shape, n, cols, ld, mul, add) })})
		return &val{t: rt, arr: dst}
	}
	if blasDType(d) && a.t.DType == d && b.t.DType == d {
		cond := f.gemv(B, A, dst, true) // a B = B^T a
		f.emit(&ir.If{Cond: cond, Then: f.sub(func() { f.matmulLoops(a, A, B, dst, shape, n, cols, ld, mul, add) })})
		return &val{t: rt, arr: dst}
	}
	f.matmulLoops(a, A, B, dst, shape, n, cols, ld, mul, add)
	return &val{t: rt, arr: dst}
}

// matmulLoops writes dst = A B (a 1-D or 2-D, B 2-D) with i, k, j loops.
func (f *fn) matmulLoops(a *val, A, B, dst *ir.Var, shape []ir.Expr, n, cols ir.Expr,
	ld func(*ir.Var, ...ir.Expr) ir.Expr, mul, add func(x, y ir.Expr) ir.Expr) {
	d := dst.Type.DType
	dt := types.ScalarOf(d)
	f.fill(dst, shape, func([]ir.Expr) ir.Expr { return zeroOf(d) })
	aik := f.temp(dt)
	row := func(i []ir.Expr) {
		f.countLoop(n, func(k ir.Expr) {
			f.emit(&ir.Assign{Dst: aik, Src: ld(A, append(append([]ir.Expr{}, i...), k)...)})
			vs, idx := f.idxVars(1)
			at := append(append([]ir.Expr{}, i...), idx[0])
			f.emit(&ir.Nest{Vars: vs, Bounds: []ir.Expr{cols}, Body: []ir.Stmt{&ir.Store{Arr: dst, Idx: at,
				Src: add(&ir.Load{Arr: dst, Idx: at}, mul(&ir.Ref{Var: aik}, ld(B, k, idx[0])))}}})
		})
	}
	if a.t.NDim == 2 {
		f.countLoop(shape[0], func(i ir.Expr) { row([]ir.Expr{i}) })
	} else {
		row(nil)
	}
}

func (f *fn) linalg(e *pyast.Call, name string, args []*val, rt *types.Type) *val {
	d := rt.DType
	dt := types.ScalarOf(d)
	mul := func(x, y ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Mul, X: x, Y: y, T: dt} }
	switch name {
	case "trace":
		A := f.arrayAs(args[0], args[0].t.DType)
		n := f.once(&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{&ir.Dim{Arr: A, Axis: 0}, &ir.Dim{Arr: A, Axis: 1}}, T: i64T})
		acc := f.temp(dt)
		f.emit(&ir.Assign{Dst: acc, Src: zeroOf(d)})
		vs, idx := f.idxVars(1)
		f.emit(&ir.Nest{Vars: vs, Bounds: []ir.Expr{n}, Body: []ir.Stmt{&ir.Assign{Dst: acc,
			Src: &ir.Bin{Op: ir.Add, X: &ir.Ref{Var: acc}, Y: conv(&ir.Load{Arr: A, Idx: []ir.Expr{idx[0], idx[0]}}, d), T: dt}}}})
		return &val{t: rt, s: &ir.Ref{Var: acc}}
	case "outer":
		A, B := f.arrayAs(args[0], args[0].t.DType), f.arrayAs(args[1], args[1].t.DType)
		shape := []ir.Expr{f.once(&ir.Dim{Arr: A, Axis: 0}), f.once(&ir.Dim{Arr: B, Axis: 0})}
		dst := f.alloc(rt, shape)
		f.fill(dst, shape, func(idx []ir.Expr) ir.Expr {
			return mul(conv(&ir.Load{Arr: A, Idx: idx[:1]}, d), conv(&ir.Load{Arr: B, Idx: idx[1:]}, d))
		})
		return &val{t: rt, arr: dst}
	case "vdot":
		A, B := f.arrayAs(args[0], args[0].t.DType), f.arrayAs(args[1], args[1].t.DType)
		n := f.once(&ir.Dim{Arr: A, Axis: 0})
		f.require(cmpE(ir.Eq, n, &ir.Dim{Arr: B, Axis: 0}), ir.ErrValue, "cannot reshape array of size {0} into shape ({1},)",
			&ir.Dim{Arr: B, Axis: 0}, n)
		acc := f.temp(dt)
		loop := func() {
			f.emit(&ir.Assign{Dst: acc, Src: zeroOf(d)})
			vs, idx := f.idxVars(1)
			x := conv(&ir.Load{Arr: A, Idx: idx}, d)
			if d.IsComplex() {
				x = &ir.Intrinsic{Fn: ir.FnNpConj, Args: []ir.Expr{x}, T: dt}
			}
			f.emit(&ir.Nest{Vars: vs, Bounds: []ir.Expr{n}, Body: []ir.Stmt{&ir.Assign{Dst: acc,
				Src: &ir.Bin{Op: ir.Add, X: &ir.Ref{Var: acc}, Y: mul(x, conv(&ir.Load{Arr: B, Idx: idx}, d)), T: dt}}}})
		}
		if blasDType(d) && args[0].t.DType == d && args[1].t.DType == d {
			f.blasDot(A, B, true, acc, loop)
		} else {
			loop()
		}
		return &val{t: rt, s: &ir.Ref{Var: acc}}
	case "cross":
		A, B := f.arrayAs(args[0], args[0].t.DType), f.arrayAs(args[1], args[1].t.DType)
		for _, v := range []*ir.Var{A, B} {
			f.require(cmpE(ir.Eq, &ir.Dim{Arr: v, Axis: 0}, ir.IntConst(3)), ir.ErrValue,
				"incompatible dimensions for cross product\n(dimension must be 2 or 3)")
		}
		dst := f.alloc(rt, []ir.Expr{ir.IntConst(3)})
		at := func(v *ir.Var, i int64) ir.Expr { return conv(&ir.Load{Arr: v, Idx: []ir.Expr{ir.IntConst(i)}}, d) }
		for i := int64(0); i < 3; i++ {
			j, k := (i+1)%3, (i+2)%3
			f.emit(&ir.Store{Arr: dst, Idx: []ir.Expr{ir.IntConst(i)},
				Src: &ir.Bin{Op: ir.Sub, X: mul(at(A, j), at(B, k)), Y: mul(at(A, k), at(B, j)), T: dt}})
		}
		return &val{t: rt, arr: dst}
	}
	return &val{t: rt, s: zeroOf(d)}
}
