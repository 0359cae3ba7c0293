package lower

// Comparing lists (types/list_compare.go), as CPython's list_richcompare:
// `==` and `!=` are false and true at once for lists of different lengths,
// else item by item; `<`, `<=`, `>` and `>=` find the first index whose
// items are not equal and compare those items with the operator, or, when
// one list is a prefix of the other, the lengths. Items are numbers,
// tuples of numbers (compared as tuples) or rows (compared as lists, one
// level down).

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// listCompareExpr lowers l op r for two lists.
func (f *fn) listCompareExpr(e *pyast.Compare, t *types.Type) *val {
	a, b := f.cmpOperand(e.Left), f.cmpOperand(e.Comparators[0])
	return &val{t: t, s: f.listCmp(e.Ops[0], a, b)}
}

// cmpOperand is a compared list: nil for an empty display whose item type
// is unknown (it has no items, and no buffer to read).
func (f *fn) cmpOperand(x pyast.Expr) *val {
	if f.typeOf(x).Elem().IsUnknown() {
		return nil
	}
	return f.expr(x)
}

// cmpLen is a compared list's length (0 for an unknown empty display).
func (f *fn) cmpLen(v *val) ir.Expr {
	if v == nil {
		return ir.IntConst(0)
	}
	return f.once(listLen(v))
}

// listCmp is the bool a op b for two lists (nil: an empty display).
func (f *fn) listCmp(op string, a, b *val) ir.Expr {
	na, nb := f.cmpLen(a), f.cmpLen(b)
	res := f.temp(types.BoolT)
	if op == "Eq" || op == "NotEq" {
		f.emit(&ir.Assign{Dst: res, Src: cmpE(ir.Eq, na, nb)})
		if a != nil && b != nil {
			each := f.sub(func() {
				f.forCount(na, func(k ir.Expr) {
					eq := f.eqItem(f.listItem(a, k), f.listItem(b, k), nil)
					f.emit(&ir.If{Cond: &ir.Unary{Op: ir.Not, X: eq, T: types.BoolT}, Then: []ir.Stmt{
						&ir.Assign{Dst: res, Src: ir.BoolConst(false)}, &ir.Break{}}})
				})
			})
			f.emit(&ir.If{Cond: &ir.Ref{Var: res}, Then: each})
		}
		if op == "NotEq" {
			return &ir.Unary{Op: ir.Not, X: &ir.Ref{Var: res}, T: types.BoolT}
		}
		return &ir.Ref{Var: res}
	}
	f.emit(&ir.Assign{Dst: res, Src: cmpE(cmpOps[op], na, nb)})
	if a == nil || b == nil {
		return &ir.Ref{Var: res}
	}
	// The first index k below both lengths whose items differ, if any.
	m := f.once(&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{na, nb}, T: i64T})
	k := f.temp(i64T)
	f.emit(&ir.Assign{Dst: k, Src: ir.IntConst(0)})
	step := f.sub(func() {
		eq := f.eqItem(f.listItem(a, &ir.Ref{Var: k}), f.listItem(b, &ir.Ref{Var: k}), nil)
		f.emit(&ir.If{Cond: &ir.Unary{Op: ir.Not, X: eq, T: types.BoolT}, Then: []ir.Stmt{&ir.Break{}}})
		f.emit(&ir.Assign{Dst: k, Src: ibin(ir.Add, &ir.Ref{Var: k}, ir.IntConst(1))})
	})
	f.emit(&ir.While{Cond: cmpE(ir.Lt, &ir.Ref{Var: k}, m), Body: step})
	decide := f.sub(func() {
		x := f.stableItem(f.listItem(a, &ir.Ref{Var: k}))
		y := f.stableItem(f.listItem(b, &ir.Ref{Var: k}))
		f.emit(&ir.Assign{Dst: res, Src: f.itemCmp(op, x, y)})
	})
	f.emit(&ir.If{Cond: cmpE(ir.Lt, &ir.Ref{Var: k}, m), Then: decide})
	return &ir.Ref{Var: res}
}

// itemCmp is x op y for two list items (an ordering operator): numbers
// compared as numbers, tuples as CPython compares tuples, rows as lists.
func (f *fn) itemCmp(op string, x, y *val) ir.Expr {
	switch x.t.Kind {
	case types.List:
		return f.listCmp(op, x, y)
	case types.Tuple:
		// From the last field: (x_i != y_i and x_i op y_i) or (x_i == y_i
		// and the rest), the equal tuples deciding by op on equal lengths.
		var res ir.Expr = ir.BoolConst(op == "LtE" || op == "GtE")
		for i := len(x.elems) - 1; i >= 0; i-- {
			p, q := x.elems[i], y.elems[i]
			eq := f.eqItem(p, q, nil)
			ne := &ir.Unary{Op: ir.Not, X: eq, T: types.BoolT}
			res = &ir.Bin{Op: ir.Or, X: &ir.Bin{Op: ir.And, X: ne, Y: f.itemCmp(op, p, q), T: types.BoolT},
				Y: &ir.Bin{Op: ir.And, X: eq, Y: res, T: types.BoolT}, T: types.BoolT}
		}
		return res
	}
	d := types.Promote(ir.TypeOf(x.s).DType, ir.TypeOf(y.s).DType)
	return cmpE(cmpOps[op], conv(x.s, d), conv(y.s, d))
}

// rowsMinMax is min(grid) or max(grid) (name) of a non-empty list of
// lists: the first least (greatest) row, itself (unboxed with its box, so
// a name bound to it is a second name for the row, as in CPython).
func (f *fn) rowsMinMax(lv *val, name string) *val {
	best := f.temp(i64T)
	f.emit(&ir.Assign{Dst: best, Src: ir.IntConst(0)})
	n := f.once(listLen(lv))
	k := f.temp(i64T)
	body := f.sub(func() {
		x, b := f.innerItem(lv, &ir.Ref{Var: k}), f.innerItem(lv, &ir.Ref{Var: best})
		better := f.listCmp("Lt", x, b)
		if name == "max" {
			better = f.listCmp("Lt", b, x)
		}
		f.emit(&ir.If{Cond: better, Then: []ir.Stmt{&ir.Assign{Dst: best, Src: &ir.Ref{Var: k}}}})
	})
	f.emit(&ir.For{Var: k, Start: ir.IntConst(1), Stop: n, Step: ir.IntConst(1), Sign: 1, Body: body})
	return f.innerItem(lv, &ir.Ref{Var: best})
}

// rowSort sorts a list of lists in place by its rows, compared as lists:
// a bottom-up merge sort of a permutation (stable: a row from the right
// run goes first only when strictly less, as CPython's sort keeps equal
// items in order), then the boxes gathered through it.
func (f *fn) rowSort(v *val) {
	n := f.once(listLen(v))
	idxT := types.ArrayOf(types.Int64, 1, 'C')
	perm, tmp := f.alloc(idxT, []ir.Expr{n}), f.alloc(idxT, []ir.Expr{n})
	f.forCount(n, func(k ir.Expr) { f.emit(&ir.Store{Arr: perm, Idx: []ir.Expr{k}, Src: k}) })
	width := f.temp(i64T)
	f.emit(&ir.Assign{Dst: width, Src: ir.IntConst(1)})
	ref := func(x *ir.Var) ir.Expr { return &ir.Ref{Var: x} }
	minE := func(a, b ir.Expr) ir.Expr { return &ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{a, b}, T: i64T} }
	pass := f.sub(func() {
		lo := f.temp(i64T)
		f.emit(&ir.Assign{Dst: lo, Src: ir.IntConst(0)})
		runs := f.sub(func() {
			mid := f.once(minE(ibin(ir.Add, ref(lo), ref(width)), n))
			hi := f.once(minE(ibin(ir.Add, ref(lo), ibin(ir.Mul, ref(width), ir.IntConst(2))), n))
			i, j, k := f.temp(i64T), f.temp(i64T), f.temp(i64T)
			f.emit(&ir.Assign{Dst: i, Src: ref(lo)})
			f.emit(&ir.Assign{Dst: j, Src: mid})
			f.emit(&ir.Assign{Dst: k, Src: ref(lo)})
			merge := f.sub(func() {
				right := f.temp(types.BoolT)
				f.emit(&ir.Assign{Dst: right, Src: ir.BoolConst(false)})
				cmp := f.sub(func() {
					a := f.innerItem(v, &ir.Load{Arr: perm, Idx: []ir.Expr{ref(j)}})
					b := f.innerItem(v, &ir.Load{Arr: perm, Idx: []ir.Expr{ref(i)}})
					f.emit(&ir.Assign{Dst: right, Src: f.listCmp("Lt", a, b)})
				})
				f.emit(&ir.If{Cond: cmpE(ir.Lt, ref(j), hi), Then: f.sub(func() {
					f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(i), mid), Then: []ir.Stmt{&ir.Assign{Dst: right, Src: ir.BoolConst(true)}}, Else: cmp})
				})})
				take := func(x *ir.Var) []ir.Stmt {
					return []ir.Stmt{&ir.Store{Arr: tmp, Idx: []ir.Expr{ref(k)}, Src: &ir.Load{Arr: perm, Idx: []ir.Expr{ref(x)}}},
						&ir.Assign{Dst: x, Src: ibin(ir.Add, ref(x), ir.IntConst(1))}}
				}
				f.emit(&ir.If{Cond: ref(right), Then: take(j), Else: take(i)})
				f.emit(&ir.Assign{Dst: k, Src: ibin(ir.Add, ref(k), ir.IntConst(1))})
			})
			f.emit(&ir.While{Cond: cmpE(ir.Lt, ref(k), hi), Body: merge})
			f.emit(&ir.Assign{Dst: lo, Src: hi})
		})
		f.emit(&ir.While{Cond: cmpE(ir.Lt, ref(lo), n), Body: runs})
		f.copyItems(perm, ir.IntConst(0), tmp, ir.IntConst(0), n)
		f.emit(&ir.Assign{Dst: width, Src: ibin(ir.Mul, ref(width), ir.IntConst(2))})
	})
	f.emit(&ir.While{Cond: cmpE(ir.Lt, ref(width), n), Body: pass})
	f.gatherList(v, perm, n)
}
