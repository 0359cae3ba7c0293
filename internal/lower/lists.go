package lower

// Lists (issue 14). A list is two variables: a 1-D C-ordered buffer whose
// extent is the capacity, allocated through the runtime like any array
// (ir.Alloc), and an int64 length. A value of list type is a val whose
// elems are the buffer (an array val) and the length (a scalar val); its s
// is the list's truth value (length != 0), so conditions need no special
// case. Appending past the capacity allocates a buffer twice as large (at
// least 8) and copies the items: amortised O(1), and every buffer is an
// array the runtime owns and releases when the call ends. The types
// package refuses a second name for one list, so the variables holding a
// list are the only place its length lives.

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// listRepr is the tuple of leaves a list of type t travels as: its buffer
// and its length.
func listRepr(t *types.Type) *types.Type {
	return types.TupleOf(types.ArrayOf(t.Elem().DType, 1, 'C'), i64T)
}

func listBuf(v *val) *ir.Var       { return v.elems[0].arr }
func listLen(v *val) ir.Expr       { return v.elems[1].s }
func listDType(v *val) types.DType { return v.t.Elem().DType }

// listVal makes the val of a list held in buf with length n.
func listVal(t *types.Type, buf *ir.Var, n ir.Expr) *val {
	return &val{t: t, s: cmpE(ir.Ne, n, ir.IntConst(0)), elems: []*val{
		{t: buf.Type, arr: buf}, {t: i64T, s: n}}}
}

// fixList sets a list val's truth value (after newLocal or paramVal).
func fixList(v *val, t *types.Type) *val {
	v.t = t
	v.s = cmpE(ir.Ne, listLen(v), ir.IntConst(0))
	return v
}

// newList allocates a list of capacity cap (at least n) with length n.
func (f *fn) newList(t *types.Type, n, capacity ir.Expr) *val {
	buf := f.alloc(types.ArrayOf(t.Elem().DType, 1, 'C'), []ir.Expr{capacity})
	lv := f.temp(i64T)
	f.emit(&ir.Assign{Dst: lv, Src: n})
	return listVal(t, buf, &ir.Ref{Var: lv})
}

// lenVar is the variable holding a list variable's length.
func lenVar(v *val) *ir.Var { return listLen(v).(*ir.Ref).Var }

// copyItems copies n items from src[from+k] to dst[to+k], converting.
func (f *fn) copyItems(dst *ir.Var, to ir.Expr, src *ir.Var, from ir.Expr, n ir.Expr) {
	k := f.temp(i64T)
	f.emit(&ir.Nest{Vars: []*ir.Var{k}, Bounds: []ir.Expr{n}, Body: []ir.Stmt{
		&ir.Store{Arr: dst, Idx: []ir.Expr{ibin(ir.Add, to, &ir.Ref{Var: k})},
			Src: conv(&ir.Load{Arr: src, Idx: []ir.Expr{ibin(ir.Add, from, &ir.Ref{Var: k})}}, dst.Type.DType)}}})
}

// reserve makes the list variable v hold at least need items.
func (f *fn) reserve(v *val, need ir.Expr) {
	buf := listBuf(v)
	capE := &ir.Dim{Arr: buf, Axis: 0}
	grow := f.sub(func() {
		newCap := &ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{need,
			&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{ibin(ir.Mul, capE, ir.IntConst(2)), ir.IntConst(8)}, T: i64T}}, T: i64T}
		nb := f.alloc(buf.Type, []ir.Expr{newCap})
		f.copyItems(nb, ir.IntConst(0), buf, ir.IntConst(0), listLen(v))
		f.emit(&ir.SetArray{Dst: buf, Src: &ir.Alias{Src: nb}})
		f.bind(buf, nb)
	})
	f.emit(&ir.If{Cond: cmpE(ir.Gt, need, capE), Then: grow})
}

// listIndex normalises a list index (negative from the end) and checks it.
func (f *fn) listIndex(v *val, i ir.Expr, msg string) ir.Expr {
	i = f.once(conv(i, types.Int64))
	n := f.once(listLen(v))
	idx := f.once(&ir.Select{Cond: cmpE(ir.Lt, i, ir.IntConst(0)), X: ibin(ir.Add, i, n), Y: i, T: i64T})
	f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.And, X: cmpE(ir.Ge, idx, ir.IntConst(0)), Y: cmpE(ir.Lt, idx, n), T: types.BoolT},
		Err: ir.ErrIndex, Msg: msg})
	return idx
}

// listStore lowers l[i] = value (op: l[i] op= value).
func (f *fn) listStore(t *pyast.Subscript, value func() *val, op string, opType *types.Type) {
	if s, ok := t.Index.(*pyast.Slice); ok {
		f.listSliceStore(t, s, value())
		return
	}
	lv := f.expr(t.Value)
	idx := f.listIndex(lv, f.expr(t.Index).s, "list assignment index out of range")
	if op != "" {
		idx = f.listIndex(lv, idx, "list index out of range")
	}
	buf := listBuf(lv)
	v := value()
	src := v.s
	if op != "" {
		old := &val{t: lv.t.Elem(), s: f.stableExpr(&ir.Load{Arr: buf, Idx: []ir.Expr{idx}})}
		src = f.binop(op, old, v, opType, t.P).s
	}
	f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{idx}, Src: conv(src, buf.Type.DType)})
}

// listLoop runs body(k, item) for each item of list v (length read once).
func (f *fn) listLoop(v *val, body func(k ir.Expr, item ir.Expr)) *ir.Var {
	k := &ir.Var{Name: f.unique("k"), Type: i64T, Param: -1}
	f.f.Locals = append(f.f.Locals, k)
	n := f.once(listLen(v))
	buf := listBuf(v)
	b := f.sub(func() { body(&ir.Ref{Var: k}, &ir.Load{Arr: buf, Idx: []ir.Expr{&ir.Ref{Var: k}}}) })
	f.emit(&ir.For{Var: k, Start: ir.IntConst(0), Stop: n, Step: ir.IntConst(1), Sign: 1, Body: b})
	return k
}

// listExpr lowers the list expressions and calls; ok is false for others.
func (f *fn) listExpr(e pyast.Expr, t *types.Type) (*val, bool) {
	switch e := e.(type) {
	case *pyast.List:
		if t.Kind == types.Array {
			// A display used as an array index (types.indexListType).
			arr := f.alloc(t, []ir.Expr{ir.IntConst(int64(len(e.Elts)))})
			for i, x := range e.Elts {
				f.emit(&ir.Store{Arr: arr, Idx: []ir.Expr{ir.IntConst(int64(i))}, Src: conv(f.expr(x).s, t.DType)})
			}
			return &val{t: t, arr: arr}, true
		}
		if t.Kind != types.List {
			return nil, false
		}
		m := int64(len(e.Elts))
		items := make([]ir.Expr, m)
		for i, x := range e.Elts {
			items[i] = f.stableExpr(f.expr(x).s)
		}
		lv := f.newList(t, ir.IntConst(m), ir.IntConst(m))
		for i, x := range items {
			f.emit(&ir.Store{Arr: listBuf(lv), Idx: []ir.Expr{ir.IntConst(int64(i))}, Src: conv(x, listDType(lv))})
		}
		return lv, true
	case *pyast.BinOp:
		lt, rt := f.typeOf(e.Left), f.typeOf(e.Right)
		if lt.Kind != types.List && rt.Kind != types.List {
			return nil, false
		}
		l, r := f.expr(e.Left), f.expr(e.Right)
		if lt.Kind == types.List && rt.Kind == types.List {
			n1, n2 := f.once(listLen(l)), f.once(listLen(r))
			n := f.once(ibin(ir.Add, n1, n2))
			out := f.newList(t, n, n)
			f.copyItems(listBuf(out), ir.IntConst(0), listBuf(l), ir.IntConst(0), n1)
			f.copyItems(listBuf(out), n1, listBuf(r), ir.IntConst(0), n2)
			return out, true
		}
		src, times := l, r
		if rt.Kind == types.List {
			src, times = r, l
		}
		reps := f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{conv(times.s, types.Int64), ir.IntConst(0)}, T: i64T})
		m := f.once(listLen(src))
		n := f.once(ibin(ir.Mul, m, reps))
		out := f.newList(t, n, n)
		r2 := f.temp(i64T)
		body := f.sub(func() { f.copyItems(listBuf(out), ibin(ir.Mul, &ir.Ref{Var: r2}, m), listBuf(src), ir.IntConst(0), m) })
		f.emit(&ir.For{Var: r2, Start: ir.IntConst(0), Stop: reps, Step: ir.IntConst(1), Sign: 1, Body: body})
		return out, true
	case *pyast.Subscript:
		if f.typeOf(e.Value).Kind != types.List {
			return nil, false
		}
		lv := f.expr(e.Value)
		if s, ok := e.Index.(*pyast.Slice); ok {
			// A new list of the selected items, with Python's clamping.
			start, length, step := f.slice(s, f.once(listLen(lv)))
			start, step = f.once(start), f.once(step)
			n := f.once(length)
			out := f.newList(t, n, n)
			src := listBuf(lv)
			f.forCount(n, func(k ir.Expr) {
				at := ibin(ir.Add, start, ibin(ir.Mul, k, step))
				f.emit(&ir.Store{Arr: listBuf(out), Idx: []ir.Expr{k}, Src: conv(&ir.Load{Arr: src, Idx: []ir.Expr{at}}, listDType(out))})
			})
			return out, true
		}
		idx := f.listIndex(lv, f.expr(e.Index).s, "list index out of range")
		return &val{t: t, s: f.stableExpr(&ir.Load{Arr: listBuf(lv), Idx: []ir.Expr{idx}})}, true
	case *pyast.Compare:
		if len(e.Ops) != 1 || (e.Ops[0] != "In" && e.Ops[0] != "NotIn") || f.typeOf(e.Comparators[0]).Kind != types.List {
			return nil, false
		}
		x := f.stableExpr(f.expr(e.Left).s)
		lv := f.expr(e.Comparators[0])
		found := f.temp(types.BoolT)
		f.emit(&ir.Assign{Dst: found, Src: ir.BoolConst(false)})
		f.listLoop(lv, func(k, item ir.Expr) {
			f.emit(&ir.If{Cond: f.eqItem(x, item, lv), Then: []ir.Stmt{
				&ir.Assign{Dst: found, Src: ir.BoolConst(true)}, &ir.Break{}}})
		})
		var res ir.Expr = &ir.Ref{Var: found}
		if e.Ops[0] == "NotIn" {
			res = &ir.Unary{Op: ir.Not, X: res, T: types.BoolT}
		}
		return &val{t: t, s: res}, true
	case *pyast.Call:
		if v, ok := f.genCall(e, t); ok { // comprehensions.go
			return v, true
		}
		return f.listCall(e, t)
	case *pyast.ListComp:
		return f.compList(e.Elt, e.Generators, t), true // comprehensions.go
	}
	return nil, false
}

// eqItem compares x with a list item as Python's == does.
func (f *fn) eqItem(x, item ir.Expr, lv *val) ir.Expr {
	xd := ir.TypeOf(x).DType
	d := types.Promote(xd, listDType(lv))
	return cmpE(ir.Eq, conv(x, d), conv(item, d))
}

func (f *fn) listCall(e *pyast.Call, t *types.Type) (*val, bool) {
	ft := f.typeOf(e.Func)
	if ft.Kind != types.Builtin {
		return nil, false
	}
	if len(ft.Name) > 5 && ft.Name[:5] == "list." {
		return f.listMethod(e, ft.Name[5:], t), true
	}
	argT := func(i int) *types.Type {
		if i < len(e.Args) {
			return f.typeOf(e.Args[i])
		}
		return types.UnknownT
	}
	switch ft.Name {
	case "sejit.typed_list":
		return f.newList(t, ir.IntConst(0), ir.IntConst(0)), true
	case "builtins.list":
		if len(e.Args) == 0 {
			return f.newList(t, ir.IntConst(0), ir.IntConst(0)), true
		}
		if types.IsListRangeCall(f.spec.Func, e) || argT(0).Kind == types.Array {
			p := f.plan(e.Args[0])
			n := f.once(p.n)
			out := f.newList(t, n, n)
			f.forCount(n, func(k ir.Expr) {
				f.emit(&ir.Store{Arr: listBuf(out), Idx: []ir.Expr{k}, Src: conv(p.item(k).s, listDType(out))})
			})
			return out, true
		}
		return f.listCopy(f.expr(e.Args[0]), t), true
	case "builtins.sorted":
		if argT(0).Kind != types.List {
			return nil, false
		}
		out := f.listCopy(f.expr(e.Args[0]), t)
		f.listSort(out)
		return out, true
	case "builtins.len", "builtins.sum", "builtins.min", "builtins.max":
		if len(e.Args) != 1 || argT(0).Kind != types.List {
			return nil, false
		}
		lv := f.expr(e.Args[0])
		switch ft.Name {
		case "builtins.len":
			return &val{t: t, s: listLen(lv)}, true
		case "builtins.sum":
			acc := f.temp(t)
			f.emit(&ir.Assign{Dst: acc, Src: zeroOf(t.DType)})
			f.listLoop(lv, func(k, item ir.Expr) {
				f.emit(&ir.Assign{Dst: acc, Src: scalarBin("Add", &ir.Ref{Var: acc}, conv(item, t.DType), t.DType)})
			})
			return &val{t: t, s: &ir.Ref{Var: acc}}, true
		}
		name := ft.Name[len("builtins."):]
		f.emit(&ir.Check{Cond: cmpE(ir.Gt, listLen(lv), ir.IntConst(0)), Err: ir.ErrValue,
			Msg: name + "() arg is an empty sequence"})
		best := f.temp(t)
		f.emit(&ir.Assign{Dst: best, Src: &ir.Load{Arr: listBuf(lv), Idx: []ir.Expr{ir.IntConst(0)}}})
		op := ir.Lt
		if name == "max" {
			op = ir.Gt
		}
		f.listLoop(lv, func(k, item ir.Expr) {
			x := f.stableExpr(item)
			f.emit(&ir.If{Cond: cmpE(op, x, &ir.Ref{Var: best}), Then: []ir.Stmt{&ir.Assign{Dst: best, Src: x}}})
		})
		return &val{t: t, s: &ir.Ref{Var: best}}, true
	case "numpy.array", "numpy.asarray":
		if argT(0).Kind != types.List {
			return nil, false
		}
		if t.NDim > 1 {
			return f.nestedArray(e.Args[0].(*pyast.List), t), true
		}
		lv := f.expr(e.Args[0])
		n := f.once(listLen(lv))
		out := f.alloc(t, []ir.Expr{n})
		f.copyItems(out, ir.IntConst(0), listBuf(lv), ir.IntConst(0), n)
		return &val{t: t, arr: out}, true
	}
	return nil, false
}

// forCount emits a sequential loop k = 0 .. n-1.
func (f *fn) forCount(n ir.Expr, body func(k ir.Expr)) {
	k := f.temp(i64T)
	b := f.sub(func() { body(&ir.Ref{Var: k}) })
	f.emit(&ir.For{Var: k, Start: ir.IntConst(0), Stop: n, Step: ir.IntConst(1), Sign: 1, Body: b})
}

// nestedArray lowers np.array of a rectangular display of displays.
func (f *fn) nestedArray(d *pyast.List, t *types.Type) *val {
	var shape []ir.Expr
	for x := pyast.Expr(d); ; {
		l, ok := x.(*pyast.List)
		if !ok || len(shape) == t.NDim {
			break
		}
		shape = append(shape, ir.IntConst(int64(len(l.Elts))))
		if len(l.Elts) == 0 {
			for len(shape) < t.NDim {
				shape = append(shape, ir.IntConst(0))
			}
			break
		}
		x = l.Elts[0]
	}
	var items []ir.Expr
	var walk func(x pyast.Expr, depth int)
	walk = func(x pyast.Expr, depth int) {
		if depth == t.NDim {
			items = append(items, f.stableExpr(f.expr(x).s))
			return
		}
		for _, y := range x.(*pyast.List).Elts {
			walk(y, depth+1)
		}
	}
	walk(d, 0)
	out := f.alloc(t, shape)
	strides := make([]int64, t.NDim)
	s := int64(1)
	for k := t.NDim - 1; k >= 0; k-- {
		strides[k] = s
		s *= shape[k].(*ir.Const).I
	}
	for i, x := range items {
		idx := make([]ir.Expr, t.NDim)
		r := int64(i)
		for k := 0; k < t.NDim; k++ {
			idx[k] = ir.IntConst(r / strides[k])
			r %= strides[k]
		}
		f.emit(&ir.Store{Arr: out, Idx: idx, Src: conv(x, t.DType)})
	}
	return &val{t: t, arr: out}
}

// listCopy makes a new list (of type t) with v's items.
func (f *fn) listCopy(v *val, t *types.Type) *val {
	n := f.once(listLen(v))
	out := f.newList(t, n, n)
	f.copyItems(listBuf(out), ir.IntConst(0), listBuf(v), ir.IntConst(0), n)
	return out
}

// listSort sorts a list variable's items in place (NumPy's sort helper on
// the items' view).
func (f *fn) listSort(v *val) {
	buf := listBuf(v)
	view := f.temp(types.ArrayOf(buf.Type.DType, 1, 'A'))
	f.bind(view, buf)
	f.emit(&ir.SetArray{Dst: view, Src: &ir.View{Base: buf, Offset: ir.IntConst(0),
		Shape: []ir.Expr{listLen(v)}, Strides: []ir.Expr{ir.IntConst(1)}}})
	f.externCall(ir.HelperSort, []ir.Expr{aref(view)})
}

// listMethod lowers recv.name(args).
func (f *fn) listMethod(e *pyast.Call, name string, t *types.Type) *val {
	recvE := e.Func.(*pyast.Attribute).Value
	var lv *val
	if n, ok := recvE.(*pyast.Name); ok {
		lv = f.vars[f.spec.Func.VarName(n)]
	} else {
		lv = f.expr(recvE)
	}
	args := make([]*val, len(e.Args))
	for i, a := range e.Args {
		args[i] = f.expr(a)
		if args[i].t.Kind == types.Scalar {
			args[i] = &val{t: args[i].t, s: f.stableExpr(args[i].s)}
		}
	}
	none := &val{t: types.NoneT}
	buf := listBuf(lv)
	d := buf.Type.DType
	elemT := lv.t.Elem()
	switch name {
	case "append":
		n := listLen(lv)
		f.reserve(lv, ibin(ir.Add, n, ir.IntConst(1)))
		f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{n}, Src: conv(args[0].s, d)})
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Add, n, ir.IntConst(1))})
		return none
	case "extend":
		m := f.once(listLen(args[0]))
		other := listBuf(args[0])
		if other == buf {
			// l.extend(l): the buffer may move; copy from the new one.
			f.reserve(lv, ibin(ir.Add, listLen(lv), m))
			f.copyItems(buf, listLen(lv), buf, ir.IntConst(0), m)
		} else {
			f.reserve(lv, ibin(ir.Add, listLen(lv), m))
			f.copyItems(buf, listLen(lv), other, ir.IntConst(0), m)
		}
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Add, listLen(lv), m)})
		return none
	case "insert":
		n := f.once(listLen(lv))
		i := f.once(conv(args[0].s, types.Int64))
		i = f.once(&ir.Select{Cond: cmpE(ir.Lt, i, ir.IntConst(0)), X: ibin(ir.Add, i, n), Y: i, T: i64T})
		i = f.once(&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{i, ir.IntConst(0)}, T: i64T}, n}, T: i64T})
		f.reserve(lv, ibin(ir.Add, n, ir.IntConst(1)))
		k := f.temp(i64T)
		f.emit(&ir.For{Var: k, Start: n, Stop: i, Step: ir.IntConst(-1), Sign: -1, Body: []ir.Stmt{
			&ir.Store{Arr: buf, Idx: []ir.Expr{&ir.Ref{Var: k}}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{ibin(ir.Sub, &ir.Ref{Var: k}, ir.IntConst(1))}}}}})
		f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{i}, Src: conv(args[1].s, d)})
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Add, n, ir.IntConst(1))})
		return none
	case "pop":
		n := f.once(listLen(lv))
		f.emit(&ir.Check{Cond: cmpE(ir.Gt, n, ir.IntConst(0)), Err: ir.ErrIndex, Msg: "pop from empty list"})
		res := f.temp(t)
		if len(args) == 0 {
			f.emit(&ir.Assign{Dst: res, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{ibin(ir.Sub, n, ir.IntConst(1))}}})
		} else {
			i := f.listIndex(lv, args[0].s, "pop index out of range")
			f.emit(&ir.Assign{Dst: res, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{i}}})
			k := f.temp(i64T)
			f.emit(&ir.For{Var: k, Start: i, Stop: ibin(ir.Sub, n, ir.IntConst(1)), Step: ir.IntConst(1), Sign: 1, Body: []ir.Stmt{
				&ir.Store{Arr: buf, Idx: []ir.Expr{&ir.Ref{Var: k}}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{ibin(ir.Add, &ir.Ref{Var: k}, ir.IntConst(1))}}}}})
		}
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Sub, n, ir.IntConst(1))})
		return &val{t: t, s: &ir.Ref{Var: res}}
	case "clear":
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ir.IntConst(0)})
		return none
	case "copy":
		return f.listCopy(lv, t)
	case "reverse":
		n := f.once(listLen(lv))
		k := f.temp(i64T)
		a, b := &ir.Ref{Var: k}, ibin(ir.Sub, ibin(ir.Sub, n, ir.IntConst(1)), &ir.Ref{Var: k})
		tmp := f.temp(types.ScalarOf(d))
		f.emit(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ibin(ir.Div, n, ir.IntConst(2)), Step: ir.IntConst(1), Sign: 1, Body: []ir.Stmt{
			&ir.Assign{Dst: tmp, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{a}}},
			&ir.Store{Arr: buf, Idx: []ir.Expr{a}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{b}}},
			&ir.Store{Arr: buf, Idx: []ir.Expr{b}, Src: &ir.Ref{Var: tmp}}}})
		return none
	case "sort":
		f.listSort(lv)
		return none
	case "count":
		acc := f.temp(i64T)
		f.emit(&ir.Assign{Dst: acc, Src: ir.IntConst(0)})
		f.listLoop(lv, func(k, item ir.Expr) {
			f.emit(&ir.If{Cond: f.eqItem(args[0].s, item, lv), Then: []ir.Stmt{
				&ir.Assign{Dst: acc, Src: ibin(ir.Add, &ir.Ref{Var: acc}, ir.IntConst(1))}}})
		})
		return &val{t: t, s: &ir.Ref{Var: acc}}
	case "index":
		at := f.temp(i64T)
		f.emit(&ir.Assign{Dst: at, Src: ir.IntConst(-1)})
		f.listLoop(lv, func(k, item ir.Expr) {
			f.emit(&ir.If{Cond: f.eqItem(args[0].s, item, lv), Then: []ir.Stmt{
				&ir.Assign{Dst: at, Src: k}, &ir.Break{}}})
		})
		msg, margs := "the value is not in list", []ir.Expr(nil)
		if xt := args[0].t; xt.DType.Kind() <= types.KInt && xt.DType != types.Bool && xt.DType != types.Uint64 {
			msg, margs = "{0} is not in list", []ir.Expr{conv(args[0].s, types.Int64)}
		}
		f.emit(&ir.Check{Cond: cmpE(ir.Ge, &ir.Ref{Var: at}, ir.IntConst(0)), Err: ir.ErrValue, Msg: msg, Args: margs})
		return &val{t: t, s: &ir.Ref{Var: at}}
	case "remove":
		// The first equal item goes, the later ones move down one place; none
		// equal is CPython's ValueError, with its text.
		n := f.once(listLen(lv))
		at := f.temp(i64T)
		f.emit(&ir.Assign{Dst: at, Src: ir.IntConst(-1)})
		f.listLoop(lv, func(k, item ir.Expr) {
			f.emit(&ir.If{Cond: f.eqItem(args[0].s, item, lv), Then: []ir.Stmt{
				&ir.Assign{Dst: at, Src: k}, &ir.Break{}}})
		})
		f.emit(&ir.Check{Cond: cmpE(ir.Ge, &ir.Ref{Var: at}, ir.IntConst(0)), Err: ir.ErrValue, Msg: "list.remove(x): x not in list"})
		k := f.temp(i64T)
		f.emit(&ir.For{Var: k, Start: &ir.Ref{Var: at}, Stop: ibin(ir.Sub, n, ir.IntConst(1)), Step: ir.IntConst(1), Sign: 1, Body: []ir.Stmt{
			&ir.Store{Arr: buf, Idx: []ir.Expr{&ir.Ref{Var: k}}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{ibin(ir.Add, &ir.Ref{Var: k}, ir.IntConst(1))}}}}})
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Sub, n, ir.IntConst(1))})
		return none
	}
	f.errorf(e.P, diag.Internal, "list.%s() cannot be lowered (%s)", name, elemT)
	return none
}

// listPlan iterates a list: the length read once (the types package
// refuses loops that change it), items read as the loop reaches them.
func (f *fn) listPlan(v *val) *iterPlan {
	buf := listBuf(v)
	n := f.once(listLen(v))
	el := v.t.Elem()
	return &iterPlan{n: n, item: func(k ir.Expr) *val {
		return &val{t: el, s: &ir.Load{Arr: buf, Idx: []ir.Expr{k}}}
	}}
}

// listAssign stores list v into the list variable dst: the same buffer
// when the dtypes agree, else a converted copy.
func (f *fn) listAssign(dst *val, v *val) {
	src := listBuf(v)
	if src.Type.DType != listBuf(dst).Type.DType {
		n := f.once(listLen(v))
		nb := f.alloc(listBuf(dst).Type, []ir.Expr{n})
		f.copyItems(nb, ir.IntConst(0), src, ir.IntConst(0), n)
		src = nb
	}
	f.emit(&ir.SetArray{Dst: listBuf(dst), Src: &ir.Alias{Src: src}})
	f.bind(listBuf(dst), src)
	f.emit(&ir.Assign{Dst: lenVar(dst), Src: listLen(v)})
}

// ReflectedLists lists the entry's list parameters, whose final contents
// the entry returns after its result so that the Python side can write
// them back into the caller's lists (python/sejit/_objects.py).
func ReflectedLists(s *types.Spec) []int {
	var out []int
	for i, a := range s.Args {
		if a.Kind == types.List {
			out = append(out, i)
		}
	}
	return out
}

// reflectLists appends the current buffer and length of each list
// parameter to every return of the entry.
func (f *fn) reflectLists() {
	var extra []ir.Expr
	for _, i := range ReflectedLists(f.spec) {
		v := f.vars[f.spec.Func.Params[i]]
		extra = append(extra, &ir.ArrayRef{Var: listBuf(v)}, listLen(v))
		f.f.Results = append(f.f.Results, leaves(v.t)...)
	}
	if len(extra) == 0 {
		return
	}
	ir.VisitStmts(f.f.Body, func(s ir.Stmt) {
		if r, ok := s.(*ir.Return); ok {
			r.Vals = append(r.Vals, extra...)
		}
	}, nil)
}

// listSliceStore lowers l[a:b:c] = other. The new items are copied first
// (other may be l itself). A slice without a step, or with step 1, is
// replaced whatever the lengths, the tail moving and the list growing or
// shrinking; an extended slice takes exactly as many items as it selects,
// else CPython's ValueError. A step known only at run time picks its path
// at run time.
func (f *fn) listSliceStore(t *pyast.Subscript, s *pyast.Slice, other *val) {
	lv := f.expr(t.Value)
	d := listDType(lv)
	m := f.once(listLen(other))
	tmp := f.alloc(types.ArrayOf(d, 1, 'C'), []ir.Expr{m})
	f.copyItems(tmp, ir.IntConst(0), listBuf(other), ir.IntConst(0), m)
	n := f.once(listLen(lv))
	start, length, step := f.slice(s, n)
	start, length, step = f.once(start), f.once(length), f.once(step)
	contiguous := func() {
		// Move the tail [start+length, n) to start+m, from its far end when
		// it moves right, then copy the new items in.
		newn := f.once(ibin(ir.Add, ibin(ir.Sub, n, length), m))
		f.reserve(lv, newn)
		buf := listBuf(lv)
		tail := f.once(ibin(ir.Sub, ibin(ir.Sub, n, start), length))
		from := f.once(ibin(ir.Add, start, length))
		to := f.once(ibin(ir.Add, start, m))
		right := f.sub(func() {
			f.forCount(tail, func(k ir.Expr) {
				j := ibin(ir.Sub, ibin(ir.Sub, tail, ir.IntConst(1)), k)
				f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{ibin(ir.Add, to, j)}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{ibin(ir.Add, from, j)}}})
			})
		})
		left := f.sub(func() {
			f.forCount(tail, func(k ir.Expr) {
				f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{ibin(ir.Add, to, k)}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{ibin(ir.Add, from, k)}}})
			})
		})
		f.emit(&ir.If{Cond: cmpE(ir.Gt, to, from), Then: right, Else: left})
		f.copyItems(buf, start, tmp, ir.IntConst(0), m)
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: newn})
	}
	extended := func() {
		f.require(cmpE(ir.Eq, m, length), ir.ErrValue, "attempt to assign sequence of size {0} to extended slice of size {1}", m, length)
		buf := listBuf(lv)
		f.forCount(length, func(k ir.Expr) {
			f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{ibin(ir.Add, start, ibin(ir.Mul, k, step))}, Src: &ir.Load{Arr: tmp, Idx: []ir.Expr{k}}})
		})
	}
	if c, ok := step.(*ir.Const); ok {
		if c.I == 1 {
			contiguous()
		} else {
			extended()
		}
		return
	}
	f.emit(&ir.If{Cond: cmpE(ir.Eq, step, ir.IntConst(1)), Then: f.sub(contiguous), Else: f.sub(extended)})
}
