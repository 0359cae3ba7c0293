package lower

// In-place operators on lists (types/list_inplace.go): `l += other`
// extends the list where it lives and `l *= n` repeats it there, as
// CPython's list.__iadd__ and list.__imul__ do, so a row changed through
// one name (`row = grid[i]; row += [x]`, `grid[i] += [x]`) is changed
// under every name: its box is written back.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// listAugAssign lowers an augmented assignment whose target is a list
// variable or an item of a list of lists; false for any other.
func (f *fn) listAugAssign(s *pyast.AugAssign) bool {
	lt := f.info.Aug[s]
	if lt == nil || lt.Kind != types.List || lt.IsStrList() {
		return false
	}
	switch tg := s.Target.(type) {
	case *pyast.Name:
		cur := f.vars[f.spec.Func.VarName(tg)]
		if cur == nil || cur.t.Kind != types.List {
			return false
		}
		if !cur.boxed {
			f.listInPlace(s.Op, cur, f.expr(s.Value))
			return true
		}
		// CPython loads the row, then evaluates the right side: the box is
		// read again after it ran (it may have changed the row).
		box := f.temp(boxT)
		f.emit(&ir.SetArray{Dst: box, Src: &ir.Alias{Src: cur.box}})
		f.bind(box, cur.box)
		v := f.expr(s.Value)
		lv := f.unbox(box, cur.t)
		f.listInPlace(s.Op, lv, v)
		f.writeBack(lv)
	case *pyast.Subscript:
		// grid[i] op= v: the row at i changed in place, then stored back at
		// i (STORE_SUBSCR with the same index, checked again against the
		// outer list as it is then).
		gv := f.expr(tg.Value)
		raw := f.once(conv(f.expr(tg.Index).s, types.Int64))
		box := f.boxAt(gv, f.listIndex(gv, raw, "list index out of range"))
		v := f.expr(s.Value)
		lv := f.unbox(box, lt)
		f.listInPlace(s.Op, lv, v)
		f.writeBack(lv)
		gv = f.expr(tg.Value)
		f.putInner(gv, f.listIndex(gv, raw, "list assignment index out of range"), lv)
	default:
		return false
	}
	return true
}

// listInPlace changes the list variable (or unboxed row) lv as `lv op= v`
// does: Add extends it with v's items, Mult repeats its items v times.
func (f *fn) listInPlace(op string, lv, v *val) {
	if op == "Mult" {
		f.listAssign(lv, f.listRepeat(lv, v, lv.t))
		return
	}
	f.listExtend(lv, v)
}

// listExtend appends the items of list v to the list variable (or
// unboxed row) lv: lv.extend(v). v may be lv itself; its length is read
// before lv grows, as CPython's list_extend reads it.
func (f *fn) listExtend(lv, v *val) {
	if v.t.Elem().IsUnknown() {
		return // an empty display typed before its items were known
	}
	m := f.once(listLen(v))
	other := f.fitLists(v, lv.t) // list_lists.go
	if listBuf(other) == listBuf(lv) {
		other = lv
	}
	f.reserve(lv, ibin(ir.Add, listLen(lv), m))
	f.copyList(lv, listLen(lv), other, ir.IntConst(0), m)
	f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Add, listLen(lv), m)})
}

// listRepeat is a new list (of type t) of src's items repeated times
// times (none for a count below 1): `src * times`.
func (f *fn) listRepeat(src, times *val, t *types.Type) *val {
	reps := f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{conv(times.s, types.Int64), ir.IntConst(0)}, T: i64T})
	m := f.once(listLen(src))
	n := f.once(ibin(ir.Mul, m, reps))
	out := f.newList(t, n, n)
	r := f.temp(i64T)
	body := f.sub(func() { f.copyList(out, ibin(ir.Mul, &ir.Ref{Var: r}, m), src, ir.IntConst(0), m) })
	f.emit(&ir.For{Var: r, Start: ir.IntConst(0), Stop: reps, Step: ir.IntConst(1), Sign: 1, Body: body})
	return out
}

// listDel lowers `del l[i]` (types.listDel): CPython's "list assignment
// index out of range" for a bad index, else the later items move down
// one place. A row's new length is written back into its box.
func (f *fn) listDel(t *pyast.Subscript) {
	var lv *val
	if n, ok := t.Value.(*pyast.Name); ok && !f.vars[f.spec.Func.VarName(n)].boxed {
		lv = f.vars[f.spec.Func.VarName(n)]
	} else {
		lv = f.expr(t.Value)
	}
	raw := f.expr(t.Index).s
	if lv.box != nil {
		lv = f.unbox(lv.box, lv.t) // read again after the index ran
		defer f.writeBack(lv)
	}
	n := f.once(listLen(lv))
	i := f.listIndex(lv, raw, "list assignment index out of range")
	k := f.temp(i64T)
	body := f.sub(func() { f.moveItem(lv, &ir.Ref{Var: k}, ibin(ir.Add, &ir.Ref{Var: k}, ir.IntConst(1))) })
	f.emit(&ir.For{Var: k, Start: i, Stop: ibin(ir.Sub, n, ir.IntConst(1)), Step: ir.IntConst(1), Sign: 1, Body: body})
	f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Sub, n, ir.IntConst(1))})
}
