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
//
// A list of tuples of numbers is stored field by field: one buffer per
// field of the tuple, all of the same capacity and grown together, and one
// length. Items are read and written as tuple vals (listItem, listPut), so
// unpacking, indexing and comparisons see ordinary tuples; sorting is
// lexicographic, as CPython compares tuples, by one stable argsort per
// field from the last to the first.

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// listRepr is the tuple of leaves a list of type t travels as: its
// buffers (one, or one per field of a tuple item) and its length.
func listRepr(t *types.Type) *types.Type {
	if t.Elem().Kind == types.Str {
		return strListRepr // strings.go
	}
	var leaves []*types.Type
	for _, ft := range itemFields(t.Elem()) {
		leaves = append(leaves, types.ArrayOf(ft.DType, 1, 'C'))
	}
	return types.TupleOf(append(leaves, i64T)...)
}

// itemFields are the scalar types a list item is stored as: a number, a
// tuple's fields, or an array's descriptor words (list_arrays.go).
func itemFields(el *types.Type) []*types.Type {
	switch el.Kind {
	case types.Tuple:
		return el.Elems
	case types.List:
		return []*types.Type{i64T, i64T} // a box's owner and data (list_lists.go)
	case types.Array:
		out := make([]*types.Type, arrayWords(el))
		for i := range out {
			out[i] = i64T
		}
		return out
	}
	return []*types.Type{el}
}

func listBuf(v *val) *ir.Var { return v.elems[0].arr }

// listLen is a list's length: its last leaf, or its second for a list of
// strings (strListRepr).
func listLen(v *val) ir.Expr {
	if v.t.IsStrList() {
		return v.elems[1].s
	}
	return v.elems[len(v.elems)-1].s
}

func listDType(v *val) types.DType { return v.t.Elem().DType }

// listBufs are a list's buffers, one per field of its items.
func listBufs(v *val) []*ir.Var {
	out := make([]*ir.Var, len(v.elems)-1)
	for i := range out {
		out[i] = v.elems[i].arr
	}
	return out
}

// listVal makes the val of a list held in bufs with length n.
func listVal(t *types.Type, bufs []*ir.Var, n ir.Expr) *val {
	v := &val{t: t, s: cmpE(ir.Ne, n, ir.IntConst(0))}
	for _, b := range bufs {
		v.elems = append(v.elems, &val{t: b.Type, arr: b})
	}
	v.elems = append(v.elems, &val{t: i64T, s: n})
	return v
}

// listItem reads item k of list v: a scalar val, a tuple val of its
// fields, or an array rebuilt from its descriptor words.
func (f *fn) listItem(v *val, k ir.Expr) *val {
	el := v.t.Elem()
	bufs := listBufs(v)
	if el.Kind == types.Array {
		return f.arrayItem(v, k) // list_arrays.go
	}
	if el.Kind == types.List {
		return f.innerItem(v, k) // list_lists.go
	}
	if el.Kind != types.Tuple {
		return &val{t: el, s: &ir.Load{Arr: bufs[0], Idx: []ir.Expr{k}}}
	}
	out := &val{t: el}
	for i, b := range bufs {
		out.elems = append(out.elems, &val{t: el.Elems[i], s: &ir.Load{Arr: b, Idx: []ir.Expr{k}}})
	}
	return out
}

// stableItem is x with each scalar evaluated into a temporary once.
func (f *fn) stableItem(x *val) *val {
	if x.t.Kind == types.List {
		return x // an unboxed inner list, read into temporaries (list_lists.go)
	}
	if x.t.Kind == types.Array {
		return &val{t: x.t, arr: f.materialize(x)}
	}
	if x.t.Kind == types.Tuple {
		out := &val{t: x.t}
		for _, e := range x.elems {
			out.elems = append(out.elems, f.stableItem(e))
		}
		return out
	}
	return &val{t: x.t, s: f.stableExpr(x.s)}
}

// listPut writes x as item k of list v, converting each field.
func (f *fn) listPut(v *val, k ir.Expr, x *val) {
	bufs := listBufs(v)
	if v.t.Elem().Kind == types.Array {
		f.putArray(v, k, x) // list_arrays.go
		return
	}
	if v.t.Elem().Kind == types.List {
		f.putInner(v, k, x) // list_lists.go
		return
	}
	if v.t.Elem().Kind != types.Tuple {
		f.emit(&ir.Store{Arr: bufs[0], Idx: []ir.Expr{k}, Src: conv(x.s, bufs[0].Type.DType)})
		return
	}
	for i, b := range bufs {
		f.emit(&ir.Store{Arr: b, Idx: []ir.Expr{k}, Src: conv(x.elems[i].s, b.Type.DType)})
	}
}

// moveItem copies item from to item to within list v (every field).
func (f *fn) moveItem(v *val, to, from ir.Expr) {
	for _, b := range listBufs(v) {
		f.emit(&ir.Store{Arr: b, Idx: []ir.Expr{to}, Src: &ir.Load{Arr: b, Idx: []ir.Expr{from}}})
	}
}

// fixList sets a list val's truth value (after newLocal or paramVal).
func fixList(v *val, t *types.Type) *val {
	v.t = t
	v.s = cmpE(ir.Ne, listLen(v), ir.IntConst(0))
	return v
}

// newList allocates a list of capacity cap (at least n) with length n.
func (f *fn) newList(t *types.Type, n, capacity ir.Expr) *val {
	if t.IsStrList() {
		return f.newStrList(t, capacity) // strings.go; always empty (n is 0)
	}
	var bufs []*ir.Var
	for _, ft := range itemFields(t.Elem()) {
		bufs = append(bufs, f.alloc(types.ArrayOf(ft.DType, 1, 'C'), []ir.Expr{capacity}))
	}
	lv := f.temp(i64T)
	f.emit(&ir.Assign{Dst: lv, Src: n})
	return listVal(t, bufs, &ir.Ref{Var: lv})
}

// copyList copies n items from src (from on) into dst (to on), every field.
func (f *fn) copyList(dst *val, to ir.Expr, src *val, from ir.Expr, n ir.Expr) {
	sb := listBufs(src)
	for i, b := range listBufs(dst) {
		f.copyItems(b, to, sb[i], from, n)
	}
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

// reserve makes the list variable v hold at least need items: every
// field's buffer grows together.
func (f *fn) reserve(v *val, need ir.Expr) {
	capE := &ir.Dim{Arr: listBuf(v), Axis: 0}
	grow := f.sub(func() {
		newCap := f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{need,
			&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{ibin(ir.Mul, capE, ir.IntConst(2)), ir.IntConst(8)}, T: i64T}}, T: i64T})
		for _, buf := range listBufs(v) {
			nb := f.growBuffer(v, buf.Type, newCap) // list_lists.go
			f.copyItems(nb, ir.IntConst(0), buf, ir.IntConst(0), listLen(v))
			f.emit(&ir.SetArray{Dst: buf, Src: &ir.Alias{Src: nb}})
			f.bind(buf, nb)
		}
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
	if f.typeOf(t.Value).IsStrList() {
		f.strListStore(t, value, op) // strings.go
		return
	}
	if s, ok := t.Index.(*pyast.Slice); ok {
		f.listSliceStore(t, s, value())
		return
	}
	lv := f.expr(t.Value)
	idx := f.listIndex(lv, f.expr(t.Index).s, "list assignment index out of range")
	if op != "" {
		idx = f.listIndex(lv, idx, "list index out of range")
	}
	v := value()
	if op != "" {
		buf := listBuf(lv)
		old := &val{t: lv.t.Elem(), s: f.stableExpr(&ir.Load{Arr: buf, Idx: []ir.Expr{idx}})}
		v = f.binop(op, old, v, opType, t.P)
	}
	f.listPut(lv, idx, v)
}

// listLoop runs body(k, item) for each item of list v (length read once).
func (f *fn) listLoop(v *val, body func(k ir.Expr, item *val)) *ir.Var {
	k := &ir.Var{Name: f.unique("k"), Type: i64T, Param: -1}
	f.f.Locals = append(f.f.Locals, k)
	n := f.once(listLen(v))
	b := f.sub(func() { body(&ir.Ref{Var: k}, f.listItem(v, &ir.Ref{Var: k})) })
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
		items := make([]*val, m)
		for i, x := range e.Elts {
			items[i] = f.stableItem(f.expr(x))
		}
		lv := f.newList(t, ir.IntConst(m), ir.IntConst(m))
		for i, x := range items {
			f.listPut(lv, ir.IntConst(int64(i)), x)
		}
		return lv, true
	case *pyast.BinOp:
		lt, rt := f.typeOf(e.Left), f.typeOf(e.Right)
		if lt.Kind != types.List && rt.Kind != types.List {
			return nil, false
		}
		l, r := f.fitLists(f.expr(e.Left), t), f.fitLists(f.expr(e.Right), t) // list_lists.go
		if lt.Kind == types.List && rt.Kind == types.List {
			n1, n2 := f.once(listLen(l)), f.once(listLen(r))
			n := f.once(ibin(ir.Add, n1, n2))
			out := f.newList(t, n, n)
			f.copyList(out, ir.IntConst(0), l, ir.IntConst(0), n1)
			f.copyList(out, n1, r, ir.IntConst(0), n2)
			return out, true
		}
		src, times := l, r
		if rt.Kind == types.List {
			src, times = r, l
		}
		return f.listRepeat(src, times, t), true // list_inplace.go
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
			src := listBufs(lv)
			f.forCount(n, func(k ir.Expr) {
				at := ibin(ir.Add, start, ibin(ir.Mul, k, step))
				// every field of a tuple item, every word of an array item
				for i, b := range listBufs(out) {
					f.emit(&ir.Store{Arr: b, Idx: []ir.Expr{k}, Src: conv(&ir.Load{Arr: src[i], Idx: []ir.Expr{at}}, b.Type.DType)})
				}
			})
			return out, true
		}
		idx := f.listIndex(lv, f.expr(e.Index).s, "list index out of range")
		return f.stableItem(f.listItem(lv, idx)), true
	case *pyast.Compare:
		if len(e.Ops) == 1 && e.Ops[0] != "In" && e.Ops[0] != "NotIn" && e.Ops[0] != "Is" && e.Ops[0] != "IsNot" &&
			f.typeOf(e.Left).Kind == types.List && f.typeOf(e.Comparators[0]).Kind == types.List {
			return f.listCompareExpr(e, t), true // list_compare.go
		}
		if len(e.Ops) != 1 || (e.Ops[0] != "In" && e.Ops[0] != "NotIn") || f.typeOf(e.Comparators[0]).Kind != types.List {
			return nil, false
		}
		var x *val
		if f.typeOf(e.Left).Kind == types.List {
			x = f.cmpOperand(e.Left) // a row looked for (list_compare.go)
		} else {
			x = f.stableItem(f.expr(e.Left))
		}
		lv := f.expr(e.Comparators[0])
		found := f.temp(types.BoolT)
		f.emit(&ir.Assign{Dst: found, Src: ir.BoolConst(false)})
		f.listLoop(lv, func(k ir.Expr, item *val) {
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

// eqItem compares x with a list item as Python's == does (a tuple field
// by field).
func (f *fn) eqItem(x, item *val, lv *val) ir.Expr {
	if item.t.Kind == types.List {
		return f.listCmp("Eq", x, item) // a row (list_compare.go)
	}
	if item.t.Kind == types.Tuple {
		var all ir.Expr = ir.BoolConst(true)
		for i := range item.elems {
			all = &ir.Bin{Op: ir.And, X: all, Y: f.eqItem(x.elems[i], item.elems[i], nil), T: types.BoolT}
		}
		return all
	}
	d := types.Promote(ir.TypeOf(x.s).DType, ir.TypeOf(item.s).DType)
	return cmpE(ir.Eq, conv(x.s, d), conv(item.s, d))
}

// lessItem is a < b for two items (numbers, or tuples compared
// lexicographically as CPython compares them).
func lessItem(a, b *val) ir.Expr {
	if a.t.Kind != types.Tuple {
		d := types.Promote(ir.TypeOf(a.s).DType, ir.TypeOf(b.s).DType)
		return cmpE(ir.Lt, conv(a.s, d), conv(b.s, d))
	}
	// a0 < b0 or (a0 == b0 and (a1 < b1 or ...)), built from the last field.
	var res ir.Expr = ir.BoolConst(false)
	for i := len(a.elems) - 1; i >= 0; i-- {
		x, y := a.elems[i], b.elems[i]
		d := types.Promote(ir.TypeOf(x.s).DType, ir.TypeOf(y.s).DType)
		lt := cmpE(ir.Lt, conv(x.s, d), conv(y.s, d))
		eq := cmpE(ir.Eq, conv(x.s, d), conv(y.s, d))
		res = &ir.Bin{Op: ir.Or, X: lt, Y: &ir.Bin{Op: ir.And, X: eq, Y: res, T: types.BoolT}, T: types.BoolT}
	}
	return res
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
	if v, ok := f.listArrayCall(e, ft.Name, t); ok { // list_arrays.go
		return v, true
	}
	switch ft.Name {
	case "sejit.typed_list":
		return f.newList(t, ir.IntConst(0), ir.IntConst(0)), true

	case "builtins.list":
		if len(e.Args) == 0 {
			return f.newList(t, ir.IntConst(0), ir.IntConst(0)), true
		}
		if types.IsListRangeCall(f.spec.Func, e) || types.IsListIterCall(f.spec.Func, e) || argT(0).Kind == types.Array {
			p := f.plan(e.Args[0])
			n := f.once(p.n)
			out := f.newList(t, n, n)
			f.forCount(n, func(k ir.Expr) { f.listPut(out, k, p.item(k)) })
			return out, true
		}
		return f.listCopy(f.expr(e.Args[0]), t), true
	case "builtins.sorted":
		if argT(0).IsStrList() {
			return f.strListReduce(f.expr(e.Args[0]), "sorted", t), true // strings.go
		}
		var out *val
		switch {
		case types.IsListIterCall(f.spec.Func, e):
			p := f.plan(e.Args[0])
			n := f.once(p.n)
			out = f.newList(t, n, n)
			f.forCount(n, func(k ir.Expr) { f.listPut(out, k, p.item(k)) })
		case argT(0).Kind == types.List:
			out = f.listCopy(f.expr(e.Args[0]), t)
		default:
			return nil, false
		}
		f.listSortCall(out, e)
		return out, true
	case "builtins.len", "builtins.sum", "builtins.min", "builtins.max":
		if len(e.Args) != 1 || argT(0).Kind != types.List {
			return nil, false
		}
		if argT(0).IsStrList() && ft.Name != "builtins.len" {
			return f.strListReduce(f.expr(e.Args[0]), ft.Name[len("builtins."):], t), true // strings.go
		}
		lv := f.expr(e.Args[0])
		switch ft.Name {
		case "builtins.len":
			return &val{t: t, s: listLen(lv)}, true
		case "builtins.sum":
			acc := f.temp(t)
			f.emit(&ir.Assign{Dst: acc, Src: zeroOf(t.DType)})
			f.listLoop(lv, func(k ir.Expr, item *val) {
				f.emit(&ir.Assign{Dst: acc, Src: scalarBin("Add", &ir.Ref{Var: acc}, conv(item.s, t.DType), t.DType)})
			})
			return &val{t: t, s: &ir.Ref{Var: acc}}, true
		}
		name := ft.Name[len("builtins."):]
		f.emit(&ir.Check{Cond: cmpE(ir.Gt, listLen(lv), ir.IntConst(0)), Err: ir.ErrValue,
			Msg: name + "() arg is an empty sequence"})
		if types.IsListOfLists(lv.t) {
			return f.rowsMinMax(lv, name), true // list_compare.go
		}
		// The first of the least (greatest) items, as CPython keeps.
		best := f.newLocal("best", t)
		f.assignTo(best, f.listItem(lv, ir.IntConst(0)), e.P)
		f.listLoop(lv, func(k ir.Expr, item *val) {
			x := f.stableItem(item)
			better := lessItem(x, best)
			if name == "max" {
				better = lessItem(best, x)
			}
			then := f.sub(func() { f.assignTo(best, x, e.P) })
			f.emit(&ir.If{Cond: better, Then: then})
		})
		return best, true
	case "numpy.array", "numpy.asarray":
		if argT(0).Kind != types.List {
			return nil, false
		}
		if d, ok := e.Args[0].(*pyast.List); ok && t.NDim > 1 && argT(0).Elem().Kind != types.Tuple {
			return f.nestedArray(d, t), true
		}
		if types.IsListOfLists(argT(0)) {
			return f.listOfListsArray(f.expr(e.Args[0]), t), true // list_lists.go
		}
		lv := f.expr(e.Args[0])
		n := f.once(listLen(lv))
		if lv.t.Elem().Kind == types.Tuple {
			// An (n, fields) array: column j is field j's buffer. NumPy
			// makes an empty list a 1-D array of shape (0,), a rank that
			// depends on the value: refused at run time rather than given
			// another shape.
			f.emit(&ir.Check{Cond: cmpE(ir.Gt, n, ir.IntConst(0)), Err: ir.ErrKind(10),
				Msg: "np.array() of an empty list of tuples is not supported (NumPy gives shape (0,), compiled code a 2-D array)"})
			m := int64(len(lv.t.Elem().Elems))
			out := f.alloc(t, []ir.Expr{n, ir.IntConst(m)})
			f.forCount(n, func(k ir.Expr) {
				for j, b := range listBufs(lv) {
					f.emit(&ir.Store{Arr: out, Idx: []ir.Expr{k, ir.IntConst(int64(j))},
						Src: conv(&ir.Load{Arr: b, Idx: []ir.Expr{k}}, t.DType)})
				}
			})
			return &val{t: t, arr: out}, true
		}
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
	f.copyList(out, ir.IntConst(0), v, ir.IntConst(0), n)
	return out
}

// listSort sorts a list variable's items in place (NumPy's sort helper on
// the items' view).
func (f *fn) listSort(v *val) {
	if v.t.Elem().Kind == types.List {
		f.rowSort(v) // list_compare.go
		return
	}
	if v.t.Elem().Kind == types.Tuple {
		f.tupleSort(v)
		return
	}
	buf := listBuf(v)
	view := f.temp(types.ArrayOf(buf.Type.DType, 1, 'A'))
	f.bind(view, buf)
	f.emit(&ir.SetArray{Dst: view, Src: &ir.View{Base: buf, Offset: ir.IntConst(0),
		Shape: []ir.Expr{listLen(v)}, Strides: []ir.Expr{ir.IntConst(1)}}})
	f.externCall(ir.HelperSort, []ir.Expr{aref(view)})
}

// tupleSort sorts a list of tuples lexicographically: a permutation is
// refined by a stable argsort of each field, last field first (the least
// significant key first, as a radix sort does), and then every field is
// gathered through it. Stability makes equal leading fields keep the order
// the later fields gave them.
func (f *fn) tupleSort(v *val) {
	n := f.once(listLen(v))
	f.gatherList(v, f.sortPerm(listBufs(v), n), n)
}

// sortPerm is the stable permutation that sorts the first n items of the
// key fields bufs lexicographically (tupleSort).
func (f *fn) sortPerm(bufs []*ir.Var, n ir.Expr) *ir.Var {
	idxT := types.ArrayOf(types.Int64, 1, 'C')
	perm := f.alloc(idxT, []ir.Expr{n})
	f.forCount(n, func(k ir.Expr) { f.emit(&ir.Store{Arr: perm, Idx: []ir.Expr{k}, Src: k}) })
	for j := len(bufs) - 1; j >= 0; j-- {
		key := f.alloc(types.ArrayOf(bufs[j].Type.DType, 1, 'C'), []ir.Expr{n})
		f.forCount(n, func(k ir.Expr) {
			f.emit(&ir.Store{Arr: key, Idx: []ir.Expr{k}, Src: &ir.Load{Arr: bufs[j], Idx: []ir.Expr{&ir.Load{Arr: perm, Idx: []ir.Expr{k}}}}})
		})
		order := f.alloc(idxT, []ir.Expr{n})
		f.externCall(ir.HelperArgsort, []ir.Expr{aref(key), aref(order)})
		next := f.alloc(idxT, []ir.Expr{n})
		f.forCount(n, func(k ir.Expr) {
			f.emit(&ir.Store{Arr: next, Idx: []ir.Expr{k}, Src: &ir.Load{Arr: perm, Idx: []ir.Expr{&ir.Load{Arr: order, Idx: []ir.Expr{k}}}}})
		})
		perm = next
	}
	return perm
}

// gatherList reorders the first n items of list v (every field) by perm:
// item k becomes the item perm[k] was.
func (f *fn) gatherList(v *val, perm *ir.Var, n ir.Expr) {
	for _, b := range listBufs(v) {
		tmp := f.alloc(types.ArrayOf(b.Type.DType, 1, 'C'), []ir.Expr{n})
		f.forCount(n, func(k ir.Expr) {
			f.emit(&ir.Store{Arr: tmp, Idx: []ir.Expr{k}, Src: &ir.Load{Arr: b, Idx: []ir.Expr{&ir.Load{Arr: perm, Idx: []ir.Expr{k}}}}})
		})
		f.copyItems(b, ir.IntConst(0), tmp, ir.IntConst(0), n)
	}
}

// listSortCall sorts list v in place for the call e, sorted(...) or
// l.sort(...), as CPython: by the items, or by their keys with key= (the
// key function called once per item, a stable argsort of the keys, the
// items gathered through it); reverse=True sorts descending with equal
// items in their order, as CPython does it: the list reversed, sorted,
// reversed again.
func (f *fn) listSortCall(v *val, e *pyast.Call) {
	var rev ir.Expr
	for _, k := range e.Keywords {
		if k.Name == "reverse" {
			rev = f.stableExpr(truth(f.expr(k.Value).s))
		}
	}
	flip := func() {
		if rev != nil {
			f.emit(&ir.If{Cond: rev, Then: f.sub(func() { f.listReverse(v) })})
		}
	}
	flip()
	if sk := f.info.SortKeys[e]; sk != nil {
		n := f.once(listLen(v))
		keys := f.newList(types.ListOf(sk.Key), n, n)
		callee := f.info.Callees[sk.Call]
		f.forCount(n, func(k ir.Expr) {
			r := f.callSpec(callee, f.flatten(f.listItem(v, k)), sk.Fn, callee.Info.Ret)
			f.listPut(keys, k, r)
		})
		f.gatherList(v, f.sortPerm(listBufs(keys), n), n)
	} else {
		f.listSort(v)
	}
	flip()
}

// listReverse reverses list v's items in place.
func (f *fn) listReverse(lv *val) {
	n := f.once(listLen(lv))
	k := f.temp(i64T)
	a, b := &ir.Ref{Var: k}, ibin(ir.Sub, ibin(ir.Sub, n, ir.IntConst(1)), &ir.Ref{Var: k})
	var body []ir.Stmt
	for _, buf := range listBufs(lv) {
		tmp := f.temp(types.ScalarOf(buf.Type.DType))
		body = append(body, &ir.Assign{Dst: tmp, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{a}}},
			&ir.Store{Arr: buf, Idx: []ir.Expr{a}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{b}}},
			&ir.Store{Arr: buf, Idx: []ir.Expr{b}, Src: &ir.Ref{Var: tmp}})
	}
	f.emit(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ibin(ir.Div, n, ir.IntConst(2)), Step: ir.IntConst(1), Sign: 1, Body: body})
}

// listMethod lowers recv.name(args).
func (f *fn) listMethod(e *pyast.Call, name string, t *types.Type) *val {
	recvE := e.Func.(*pyast.Attribute).Value
	var lv *val
	if n, ok := recvE.(*pyast.Name); ok && !f.vars[f.spec.Func.VarName(n)].boxed {
		lv = f.vars[f.spec.Func.VarName(n)]
	} else {
		lv = f.expr(recvE)
	}
	args := make([]*val, len(e.Args))
	for i, a := range e.Args {
		if name == "append" || name == "insert" && i == 1 {
			args[i] = f.rowExpr(a, lv.t) // list_lists.go
		} else {
			args[i] = f.expr(a)
		}
		if types.ListItem(args[i].t) || args[i].t.Kind == types.List {
			args[i] = f.stableItem(args[i])
		}
	}
	if lv.box != nil {
		// An inner list (list_lists.go): read again now that the arguments
		// ran, and its changes written back into its box.
		lv = f.unbox(lv.box, lv.t)
		defer f.writeBack(lv)
	}
	none := &val{t: types.NoneT}
	if lv.t.IsStrList() {
		return f.strListMethod(e, lv, name, args, t) // strings.go
	}
	elemT := lv.t.Elem()
	switch name {
	case "append":
		n := listLen(lv)
		f.reserve(lv, ibin(ir.Add, n, ir.IntConst(1)))
		f.listPut(lv, n, args[0])
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Add, n, ir.IntConst(1))})
		return none
	case "extend":
		f.listExtend(lv, args[0]) // list_inplace.go
		return none
	case "insert":
		n := f.once(listLen(lv))
		i := f.once(conv(args[0].s, types.Int64))
		i = f.once(&ir.Select{Cond: cmpE(ir.Lt, i, ir.IntConst(0)), X: ibin(ir.Add, i, n), Y: i, T: i64T})
		i = f.once(&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{i, ir.IntConst(0)}, T: i64T}, n}, T: i64T})
		f.reserve(lv, ibin(ir.Add, n, ir.IntConst(1)))
		k := f.temp(i64T)
		body := f.sub(func() { f.moveItem(lv, &ir.Ref{Var: k}, ibin(ir.Sub, &ir.Ref{Var: k}, ir.IntConst(1))) })
		f.emit(&ir.For{Var: k, Start: n, Stop: i, Step: ir.IntConst(-1), Sign: -1, Body: body})
		f.listPut(lv, i, args[1])
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Add, n, ir.IntConst(1))})
		return none
	case "pop":
		n := f.once(listLen(lv))
		f.emit(&ir.Check{Cond: cmpE(ir.Gt, n, ir.IntConst(0)), Err: ir.ErrIndex, Msg: "pop from empty list"})
		var res *val
		if len(args) == 0 {
			res = f.stableItem(f.listItem(lv, ibin(ir.Sub, n, ir.IntConst(1))))
		} else {
			i := f.listIndex(lv, args[0].s, "pop index out of range")
			res = f.stableItem(f.listItem(lv, i))
			k := f.temp(i64T)
			body := f.sub(func() { f.moveItem(lv, &ir.Ref{Var: k}, ibin(ir.Add, &ir.Ref{Var: k}, ir.IntConst(1))) })
			f.emit(&ir.For{Var: k, Start: i, Stop: ibin(ir.Sub, n, ir.IntConst(1)), Step: ir.IntConst(1), Sign: 1, Body: body})
		}
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Sub, n, ir.IntConst(1))})
		res.t = t
		return res
	case "clear":
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ir.IntConst(0)})
		return none
	case "copy":
		return f.listCopy(lv, t)
	case "reverse":
		f.listReverse(lv)
		return none
	case "sort":
		f.listSortCall(lv, e)
		return none
	case "count":
		acc := f.temp(i64T)
		f.emit(&ir.Assign{Dst: acc, Src: ir.IntConst(0)})
		f.listLoop(lv, func(k ir.Expr, item *val) {
			f.emit(&ir.If{Cond: f.eqItem(args[0], item, lv), Then: []ir.Stmt{
				&ir.Assign{Dst: acc, Src: ibin(ir.Add, &ir.Ref{Var: acc}, ir.IntConst(1))}}})
		})
		return &val{t: t, s: &ir.Ref{Var: acc}}
	case "index":
		at := f.temp(i64T)
		f.emit(&ir.Assign{Dst: at, Src: ir.IntConst(-1)})
		f.listLoop(lv, func(k ir.Expr, item *val) {
			f.emit(&ir.If{Cond: f.eqItem(args[0], item, lv), Then: []ir.Stmt{
				&ir.Assign{Dst: at, Src: k}, &ir.Break{}}})
		})
		msg, margs := "the value is not in list", []ir.Expr(nil)
		if xt := args[0].t; xt.Kind == types.Scalar && xt.DType.Kind() <= types.KInt && xt.DType != types.Bool && xt.DType != types.Uint64 {
			msg, margs = "{0} is not in list", []ir.Expr{conv(args[0].s, types.Int64)}
		} else if xt.Kind == types.Scalar || xt.Kind == types.List || xt.Kind == types.Tuple {
			// CPython's "%R is not in list": the value's repr, by the
			// runtime's print hook (a row, a tuple, a float, a NumPy
			// scalar).
			missing := f.sub(func() {
				p := &ir.Print{Line: f.line, Raise: ir.ErrValue}
				p.Items = f.printVal(nil, args[0])
				p.Items[0].Fmt, p.Items[0].Conv = true, 'r'
				p.Items = append(p.Items, ir.PrintItem{Kind: ir.PrintText, Text: " is not in list", Join: true})
				f.emit(p)
			})
			f.emit(&ir.If{Cond: cmpE(ir.Lt, &ir.Ref{Var: at}, ir.IntConst(0)), Then: missing})
		}
		f.emit(&ir.Check{Cond: cmpE(ir.Ge, &ir.Ref{Var: at}, ir.IntConst(0)), Err: ir.ErrValue, Msg: msg, Args: margs})
		return &val{t: t, s: &ir.Ref{Var: at}}
	case "remove":
		// The first equal item goes, the later ones move down one place; none
		// equal is CPython's ValueError, with its text.
		n := f.once(listLen(lv))
		at := f.temp(i64T)
		f.emit(&ir.Assign{Dst: at, Src: ir.IntConst(-1)})
		f.listLoop(lv, func(k ir.Expr, item *val) {
			f.emit(&ir.If{Cond: f.eqItem(args[0], item, lv), Then: []ir.Stmt{
				&ir.Assign{Dst: at, Src: k}, &ir.Break{}}})
		})
		f.emit(&ir.Check{Cond: cmpE(ir.Ge, &ir.Ref{Var: at}, ir.IntConst(0)), Err: ir.ErrValue, Msg: "list.remove(x): x not in list"})
		k := f.temp(i64T)
		body := f.sub(func() { f.moveItem(lv, &ir.Ref{Var: k}, ibin(ir.Add, &ir.Ref{Var: k}, ir.IntConst(1))) })
		f.emit(&ir.For{Var: k, Start: &ir.Ref{Var: at}, Stop: ibin(ir.Sub, n, ir.IntConst(1)), Step: ir.IntConst(1), Sign: 1, Body: body})
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Sub, n, ir.IntConst(1))})
		return none
	}
	f.errorf(e.P, diag.Internal, "list.%s() cannot be lowered (%s)", name, elemT)
	return none
}

// listPlan iterates a list: the length read once (the types package
// refuses loops that change it), items read as the loop reaches them.
func (f *fn) listPlan(v *val) *iterPlan {
	n := f.once(listLen(v))
	return &iterPlan{n: n, item: func(k ir.Expr) *val { return f.listItem(v, k) }}
}

// listAssign stores list v into the list variable dst: the same buffers
// when the dtypes agree, else converted copies.
func (f *fn) listAssign(dst *val, v *val) {
	if dst.t.IsStrList() {
		if !v.t.IsStrList() {
			v = f.newStrList(dst.t, ir.IntConst(8)) // `[]`, typed list(unknown) where it stands
		}
		f.strListAssign(dst, v) // strings.go
		return
	}
	if len(v.elems) != len(dst.elems) {
		// An empty display ([], list()) typed before its items were known:
		// it has one buffer, where a list of tuples needs one per field.
		v = f.newList(dst.t, ir.IntConst(0), ir.IntConst(0))
	}
	v = f.fitLists(v, dst.t) // list_lists.go
	srcs := listBufs(v)
	for i, db := range listBufs(dst) {
		src := srcs[i]
		if src.Type.DType != db.Type.DType {
			n := f.once(listLen(v))
			nb := f.alloc(db.Type, []ir.Expr{n})
			f.copyItems(nb, ir.IntConst(0), src, ir.IntConst(0), n)
			src = nb
		}
		f.emit(&ir.SetArray{Dst: db, Src: &ir.Alias{Src: src}})
		f.bind(db, src)
	}
	f.emit(&ir.Assign{Dst: lenVar(dst), Src: listLen(v)})
}

// ReflectedLists lists a function's list, dict and set parameters, whose
// final contents it returns after its result so that its caller (for the
// entry, the Python side: python/sejit/_objects.py) can write them back
// into the variables it passed.
func ReflectedLists(s *types.Spec) []int {
	var out []int
	for i, a := range s.Args {
		if a.Kind == types.List || a.IsHashed() {
			out = append(out, i)
		}
	}
	return out
}

// reflectLists appends the current buffers and length of each list
// parameter to every return of the function (its caller's lists are the
// same lists), and sets them as its results when it fails too
// (ir.Func.OnFail): CPython's list keeps the changes made before a raise,
// which the entry's caller (the runtime) and a compiled caller that
// catches the exception (userCall) then see.
func (f *fn) reflectLists() {
	var extra []ir.Expr
	for _, i := range ReflectedLists(f.spec) {
		v := f.vars[f.spec.Func.Params[i]]
		if v.t.IsHashed() {
			extra = append(extra, leafRefs(v)...) // dicts.go
			f.f.Results = append(f.f.Results, leaves(v.t)...)
			continue
		}
		if v.t.IsStrList() {
			extra = append(extra, &ir.ArrayRef{Var: slStarts(v)}, listLen(v), &ir.ArrayRef{Var: slLens(v)},
				&ir.ArrayRef{Var: slPool(v)}, slUsed(v)) // strings.go
			f.f.Results = append(f.f.Results, leaves(v.t)...)
			continue
		}
		for _, b := range listBufs(v) {
			extra = append(extra, &ir.ArrayRef{Var: b})
		}
		extra = append(extra, listLen(v))
		f.f.Results = append(f.f.Results, leaves(v.t)...)
	}
	if len(extra) == 0 {
		return
	}
	f.f.OnFail = extra
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
	defer f.writeBack(lv) // an inner list's new length (list_lists.go)
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
