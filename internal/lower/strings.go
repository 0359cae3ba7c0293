package lower

// Run-time strings (issue 14; types/strings.go). A string value is one
// leaf, a 1-D uint32 array of its code points: a str argument is converted
// to one at the call (python/sejit/_objects.py), a constant is an array
// filled once at the top of the function, and a substring (indexing,
// slicing, strip, a split piece, a loop's character) is a view with
// stride 1 of the string it comes from, so it costs no copy. New text
// (concatenation, replace, join, lower/upper, chr) comes from the prelude's
// str helpers (ir/helpers.go), which allocate through the runtime like any
// array: nothing is freed before the call ends, which keeps views valid.
//
// A list of strings is five leaves: the int64 buffers of the items' starts
// and lengths (capacity their extent), the length, and a pool of code
// points with its used count; item k is pool[start[k]:start[k]+len[k]].
// Appending copies the string into the pool (growing it as list buffers
// grow). str.split gives a list whose pool is the split string itself,
// with its used count equal to its extent, so that an append to it always
// moves the pool to a fresh buffer first and never writes into the string.

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

var (
	u32Arr = types.ArrayOf(types.Uint32, 1, 'C')
	i64Arr = types.ArrayOf(types.Int64, 1, 'C')
	// strRepr is the tuple of leaves a string travels as.
	strRepr = types.TupleOf(u32Arr)
	// strListRepr is a list of strings' (its first two leaves are any
	// list's: the buffer of starts and the length).
	strListRepr = types.TupleOf(i64Arr, i64T, i64Arr, u32Arr, i64T)
)

func strArr(v *val) *ir.Var   { return v.elems[0].arr }
func strLen(v *val) ir.Expr   { return &ir.Dim{Arr: strArr(v), Axis: 0} }
func slStarts(v *val) *ir.Var { return v.elems[0].arr }
func slLens(v *val) *ir.Var   { return v.elems[2].arr }
func slPool(v *val) *ir.Var   { return v.elems[3].arr }
func slUsed(v *val) ir.Expr   { return v.elems[4].s }

// strVal is the string held in the array variable a.
func strVal(a *ir.Var) *val {
	return fixStr(&val{elems: []*val{{t: a.Type, arr: a}}})
}

// fixStr sets a string val's type and truth value (len != 0).
func fixStr(v *val) *val {
	v.t = types.StrT
	v.s = cmpE(ir.Ne, strLen(v), ir.IntConst(0))
	return v
}

// strView is s[off:off+n] (in bounds), sharing s's memory.
func (f *fn) strView(s *val, off, n ir.Expr) *val {
	base := strArr(s)
	v := f.temp(u32Arr)
	f.bind(v, base)
	f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: base, Offset: off, Shape: []ir.Expr{n}, Strides: []ir.Expr{ir.IntConst(1)}}})
	return strVal(v)
}

// strConst is the string constant text, filled once at the top of the
// function (strInit) however often it is read.
func (f *fn) strConst(text string) *val {
	if v, ok := f.strConsts[text]; ok {
		return strVal(v)
	}
	if f.strConsts == nil {
		f.strConsts = map[string]*ir.Var{}
	}
	runes := []rune(text)
	v := f.temp(u32Arr)
	f.strInit = append(f.strInit, &ir.SetArray{Dst: v, Src: &ir.Alloc{DType: types.Uint32, Shape: []ir.Expr{ir.IntConst(int64(len(runes)))}}})
	for i, r := range runes {
		f.strInit = append(f.strInit, &ir.Store{Arr: v, Idx: []ir.Expr{ir.IntConst(int64(i))},
			Src: &ir.Const{Type: types.ScalarOf(types.Uint32), U: uint64(r)}})
	}
	f.strConsts[text] = v
	return strVal(v)
}

// newStrList is an empty list of strings with room for capacity items.
func (f *fn) newStrList(t *types.Type, capacity ir.Expr) *val {
	starts := f.alloc(i64Arr, []ir.Expr{capacity})
	lens := f.alloc(i64Arr, []ir.Expr{capacity})
	pool := f.alloc(u32Arr, []ir.Expr{ir.IntConst(0)})
	n, used := f.temp(i64T), f.temp(i64T)
	f.emit(&ir.Assign{Dst: n, Src: ir.IntConst(0)})
	f.emit(&ir.Assign{Dst: used, Src: ir.IntConst(0)})
	return fixList(&val{elems: []*val{{t: i64Arr, arr: starts}, {t: i64T, s: &ir.Ref{Var: n}},
		{t: i64Arr, arr: lens}, {t: u32Arr, arr: pool}, {t: i64T, s: &ir.Ref{Var: used}}}}, t)
}

// grow makes the array variable buf hold at least need items, of which
// the first keep are kept: a new buffer of twice the capacity (at least
// min) when it is too small.
func (f *fn) grow(buf *ir.Var, keep, need ir.Expr, least int64) {
	capE := &ir.Dim{Arr: buf, Axis: 0}
	body := f.sub(func() {
		newCap := &ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{need,
			&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{ibin(ir.Mul, capE, ir.IntConst(2)), ir.IntConst(least)}, T: i64T}}, T: i64T}
		nb := f.alloc(buf.Type, []ir.Expr{newCap})
		f.copyItems(nb, ir.IntConst(0), buf, ir.IntConst(0), keep)
		f.emit(&ir.SetArray{Dst: buf, Src: &ir.Alias{Src: nb}})
		f.bind(buf, nb)
	})
	f.emit(&ir.If{Cond: cmpE(ir.Gt, need, capE), Then: body})
}

// strListAppend appends the string x to the list-of-strings variable lv.
func (f *fn) strListAppend(lv *val, x *val) {
	n := f.once(listLen(lv))
	used := f.once(slUsed(lv))
	m := f.once(strLen(x))
	f.grow(slStarts(lv), n, ibin(ir.Add, n, ir.IntConst(1)), 8)
	f.grow(slLens(lv), n, ibin(ir.Add, n, ir.IntConst(1)), 8)
	f.grow(slPool(lv), used, ibin(ir.Add, used, m), 64)
	f.copyItems(slPool(lv), used, strArr(x), ir.IntConst(0), m)
	f.emit(&ir.Store{Arr: slStarts(lv), Idx: []ir.Expr{n}, Src: used})
	f.emit(&ir.Store{Arr: slLens(lv), Idx: []ir.Expr{n}, Src: m})
	f.emit(&ir.Assign{Dst: lv.elems[4].s.(*ir.Ref).Var, Src: ibin(ir.Add, used, m)})
	f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Add, n, ir.IntConst(1))})
}

// strListItem is item k (in bounds) of a list of strings.
func (f *fn) strListItem(lv *val, k ir.Expr) *val {
	k = f.once(k)
	return f.strView(&val{elems: []*val{{t: u32Arr, arr: slPool(lv)}}},
		f.once(&ir.Load{Arr: slStarts(lv), Idx: []ir.Expr{k}}), f.once(&ir.Load{Arr: slLens(lv), Idx: []ir.Expr{k}}))
}

// strListAssign stores the list of strings v into the variable dst.
func (f *fn) strListAssign(dst, v *val) {
	for _, k := range []int{0, 2, 3} {
		f.emit(&ir.SetArray{Dst: dst.elems[k].arr, Src: &ir.Alias{Src: v.elems[k].arr}})
		f.bind(dst.elems[k].arr, v.elems[k].arr)
	}
	f.emit(&ir.Assign{Dst: lenVar(dst), Src: listLen(v)})
	f.emit(&ir.Assign{Dst: dst.elems[4].s.(*ir.Ref).Var, Src: slUsed(v)})
}

// strAssign stores the string v into the string variable dst.
func (f *fn) strAssign(dst, v *val) {
	f.emit(&ir.SetArray{Dst: strArr(dst), Src: &ir.Alias{Src: strArr(v)}})
	f.bind(strArr(dst), strArr(v))
}

// strPlan iterates a string's characters (1-character views) of the
// string as it is when the loop starts: a body that rebinds the variable
// (s = s[1:]) does not change what the loop reads, as in CPython.
func (f *fn) strPlan(v *val) *iterPlan {
	snap := f.temp(u32Arr)
	f.emit(&ir.SetArray{Dst: snap, Src: &ir.Alias{Src: strArr(v)}})
	f.bind(snap, strArr(v))
	s := strVal(snap)
	n := f.once(strLen(s))
	return &iterPlan{n: n, item: func(k ir.Expr) *val { return f.strView(s, k, ir.IntConst(1)) }}
}

// strListPlan iterates a list of strings.
func (f *fn) strListPlan(v *val) *iterPlan {
	n := f.once(listLen(v))
	return &iterPlan{n: n, item: func(k ir.Expr) *val { return f.strListItem(v, k) }}
}

// strIndex normalises an index into a sequence of length n (negative from
// the end) and checks it.
func (f *fn) seqIndex(n, i ir.Expr, msg string) ir.Expr {
	i = f.once(conv(i, types.Int64))
	n = f.once(n)
	idx := f.once(&ir.Select{Cond: cmpE(ir.Lt, i, ir.IntConst(0)), X: ibin(ir.Add, i, n), Y: i, T: i64T})
	f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.And, X: cmpE(ir.Ge, idx, ir.IntConst(0)), Y: cmpE(ir.Lt, idx, n), T: types.BoolT},
		Err: ir.ErrIndex, Msg: msg})
	return idx
}

// call1 calls a str helper with one result.
func (f *fn) call1(h ir.Helper, t *types.Type, args ...ir.Expr) *ir.Var {
	return f.externCall(h, args, t)[0]
}

// strEq is a == b for strings.
func (f *fn) strEq(a, b *val) ir.Expr {
	m := f.call1(ir.HelperStrMatch, i64T, aref(strArr(a)), ir.IntConst(0), aref(strArr(b)))
	return &ir.Bin{Op: ir.And, X: cmpE(ir.Ne, &ir.Ref{Var: m}, ir.IntConst(0)),
		Y: cmpE(ir.Eq, strLen(a), strLen(b)), T: types.BoolT}
}

// strCompare is one comparison with a str operand (types.strCompare).
func (f *fn) strCompare(op string, l, r *val) ir.Expr {
	if r.t.Kind == types.Tuple {
		var any ir.Expr = ir.BoolConst(false)
		for _, x := range r.elems {
			any = &ir.Bin{Op: ir.Or, X: any, Y: f.stableExpr(f.strEq(l, x)), T: types.BoolT}
		}
		if op == "NotIn" {
			return &ir.Unary{Op: ir.Not, X: any, T: types.BoolT}
		}
		return any
	}
	if r.t.Kind == types.List {
		found := f.temp(types.BoolT)
		f.emit(&ir.Assign{Dst: found, Src: ir.BoolConst(false)})
		p := f.strListPlan(r)
		k := f.temp(i64T)
		body := f.sub(func() {
			f.emit(&ir.If{Cond: f.strEq(l, p.item(&ir.Ref{Var: k})), Then: []ir.Stmt{
				&ir.Assign{Dst: found, Src: ir.BoolConst(true)}, &ir.Break{}}})
		})
		f.emit(&ir.For{Var: k, Start: ir.IntConst(0), Stop: p.n, Step: ir.IntConst(1), Sign: 1, Body: body})
		if op == "NotIn" {
			return &ir.Unary{Op: ir.Not, X: &ir.Ref{Var: found}, T: types.BoolT}
		}
		return &ir.Ref{Var: found}
	}
	switch op {
	case "Eq":
		return f.stableExpr(f.strEq(l, r))
	case "NotEq":
		return &ir.Unary{Op: ir.Not, X: f.stableExpr(f.strEq(l, r)), T: types.BoolT}
	case "In", "NotIn":
		at := f.call1(ir.HelperStrFind, i64T, aref(strArr(r)), aref(strArr(l)), ir.IntConst(0), ir.IntConst(1<<62), ir.IntConst(0))
		if op == "In" {
			return cmpE(ir.Ge, &ir.Ref{Var: at}, ir.IntConst(0))
		}
		return cmpE(ir.Lt, &ir.Ref{Var: at}, ir.IntConst(0))
	}
	c := f.call1(ir.HelperStrCmp, i64T, aref(strArr(l)), aref(strArr(r)))
	cmp := map[string]ir.Op{"Lt": ir.Lt, "LtE": ir.Le, "Gt": ir.Gt, "GtE": ir.Ge}[op]
	return cmpE(cmp, &ir.Ref{Var: c}, ir.IntConst(0))
}

// strBinop is l + r or l * r (r * l) with a string operand.
func (f *fn) strBinop(op string, l, r *val) *val {
	if op == "Add" {
		return strVal(f.call1(ir.HelperStrConcat, u32Arr, aref(strArr(l)), aref(strArr(r))))
	}
	s, n := l, r
	if r.t.Kind == types.Str {
		s, n = r, l
	}
	return strVal(f.call1(ir.HelperStrRepeat, u32Arr, aref(strArr(s)), conv(n.s, types.Int64)))
}

// strExpr lowers the expressions of run-time strings; ok is false for
// others.
func (f *fn) strExpr(e pyast.Expr, t *types.Type) (*val, bool) {
	switch e := e.(type) {
	case *pyast.Constant:
		if t.Kind == types.Str {
			return f.strConst(e.Str), true
		}
	case *pyast.BinOp:
		if t.Kind != types.Str {
			return nil, false
		}
		return f.strBinop(e.Op, f.expr(e.Left), f.expr(e.Right)), true
	case *pyast.Compare:
		lt := f.typeOf(e.Left)
		strs := lt.Kind == types.Str
		for _, c := range e.Comparators {
			ct := f.typeOf(c)
			strs = strs || ct.Kind == types.Str || ct.IsStrList()
		}
		if !strs || len(e.Comparators) == 1 && f.typeOf(e.Comparators[0]).IsHashed() {
			return nil, false // `s in d` is the dict's (dicts.go)
		}
		l := f.expr(e.Left)
		var res ir.Expr
		for i, op := range e.Ops {
			r := f.expr(e.Comparators[i])
			c := f.stableExpr(f.strCompare(op, l, r))
			if res == nil {
				res = c
			} else {
				res = &ir.Bin{Op: ir.And, X: res, Y: c, T: types.BoolT}
			}
			l = r
		}
		return &val{t: t, s: res}, true
	case *pyast.Subscript:
		vt := f.typeOf(e.Value)
		if vt.IsStrList() {
			lv := f.expr(e.Value)
			idx := f.seqIndex(listLen(lv), f.expr(e.Index).s, "list index out of range")
			return f.strListItem(lv, idx), true
		}
		if vt.Kind != types.Str {
			return nil, false
		}
		s := f.expr(e.Value)
		if sl, ok := e.Index.(*pyast.Slice); ok {
			n := f.once(strLen(s))
			bound := func(x pyast.Expr, dflt ir.Expr) ir.Expr {
				if x == nil || f.typeOf(x).Kind == types.None {
					return dflt
				}
				i := f.once(conv(f.expr(x).s, types.Int64))
				i = f.once(&ir.Select{Cond: cmpE(ir.Lt, i, ir.IntConst(0)), X: ibin(ir.Add, i, n), Y: i, T: i64T})
				return f.once(&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{
					&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{i, ir.IntConst(0)}, T: i64T}, n}, T: i64T})
			}
			lo := bound(sl.Lower, ir.IntConst(0))
			hi := bound(sl.Upper, n)
			m := f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{ibin(ir.Sub, hi, lo), ir.IntConst(0)}, T: i64T})
			return f.strView(s, lo, m), true
		}
		idx := f.seqIndex(strLen(s), f.expr(e.Index).s, "string index out of range")
		return f.strView(s, idx, ir.IntConst(1)), true
	case *pyast.List:
		if !t.IsStrList() {
			return nil, false
		}
		items := make([]*val, len(e.Elts))
		for i, x := range e.Elts {
			items[i] = f.expr(x)
		}
		lv := f.newStrList(t, ir.IntConst(int64(len(items))))
		for _, x := range items {
			f.strListAppend(lv, x)
		}
		return lv, true
	case *pyast.Call:
		return f.strCall(e, t)
	case *pyast.JoinedStr:
		// An f-string (str(x), "%d" % n, "{}".format(x)) as a value: the
		// runtime's print hook formats it, as it formats print's
		// arguments, into a new string (ir.ErrFormat).
		p := &ir.Print{Line: f.line, Raise: ir.ErrFormat}
		p.Items = f.fstring(nil, e, false)
		f.emit(p)
		return strVal(f.call1(ir.HelperStrFormatted, u32Arr)), true
	}
	return nil, false
}

// strCall lowers the calls types.strCall typed.
func (f *fn) strCall(e *pyast.Call, t *types.Type) (*val, bool) {
	ft := f.typeOf(e.Func)
	if ft.Kind != types.Builtin {
		return nil, false
	}
	if len(ft.Name) > 4 && ft.Name[:4] == "str." {
		return f.strMethod(e, ft.Name[4:], t), true
	}
	if len(e.Args) != 1 {
		return nil, false
	}
	at := f.typeOf(e.Args[0])
	switch {
	case ft.Name == "builtins.len" && at.IsStrList():
		return &val{t: t, s: listLen(f.expr(e.Args[0]))}, true
	case ft.Name == "builtins.chr":
		x := f.expr(e.Args[0])
		return strVal(f.call1(ir.HelperStrChr, u32Arr, conv(x.s, types.Int64))), true
	case at.Kind != types.Str:
		return nil, false
	}
	s := f.expr(e.Args[0])
	switch ft.Name {
	case "builtins.len":
		return &val{t: t, s: strLen(s)}, true
	case "builtins.float":
		return &val{t: t, s: &ir.Ref{Var: f.call1(ir.HelperStrFloat, f64T, aref(strArr(s)))}}, true
	case "builtins.int":
		return &val{t: t, s: &ir.Ref{Var: f.call1(ir.HelperStrInt, i64T, aref(strArr(s)))}}, true
	case "builtins.ord":
		n := f.once(strLen(s))
		f.emit(&ir.Check{Cond: cmpE(ir.Eq, n, ir.IntConst(1)), Err: ir.ErrType,
			Msg: "ord() expected a character, but string of length {0} found", Args: []ir.Expr{n}})
		return &val{t: t, s: f.stableExpr(conv(&ir.Load{Arr: strArr(s), Idx: []ir.Expr{ir.IntConst(0)}}, types.Int64))}, true
	}
	return nil, false
}

// strMethod lowers s.name(args).
func (f *fn) strMethod(e *pyast.Call, name string, t *types.Type) *val {
	s := f.expr(e.Func.(*pyast.Attribute).Value)
	// The arguments by position, keywords after them in the entry's order
	// (types.strMethod checked them).
	args := make([]pyast.Expr, len(e.Args))
	copy(args, e.Args)
	for i, p := range []string{"sep", "maxsplit"} {
		for _, k := range e.Keywords {
			if k.Name == p {
				for len(args) < i {
					args = append(args, nil) // a parameter before it, left to its default
				}
				args = append(args, k.Value)
			}
		}
	}
	arg := func(i int) *val {
		if i < len(args) && args[i] != nil && f.typeOf(args[i]).Kind != types.None {
			return f.expr(args[i])
		}
		return nil
	}
	intArg := func(i int, dflt int64) ir.Expr {
		if v := arg(i); v != nil {
			return conv(v.s, types.Int64)
		}
		return ir.IntConst(dflt)
	}
	sa := aref(strArr(s))
	optStr := func(i int) (ir.Expr, ir.Expr) {
		if v := arg(i); v != nil {
			return aref(strArr(v)), ir.IntConst(1)
		}
		return sa, ir.IntConst(0)
	}
	b := func(v *ir.Var) *val {
		return &val{t: t, s: cmpE(ir.Ne, &ir.Ref{Var: v}, ir.IntConst(0))}
	}
	switch name {
	case "split":
		sep, has := optStr(0)
		maxsplit := intArg(1, -1)
		res := f.externCall(ir.HelperStrSplit, []ir.Expr{sa, sep, has, maxsplit}, i64Arr, i64Arr, i64T)
		pool := f.temp(u32Arr)
		f.emit(&ir.SetArray{Dst: pool, Src: &ir.Alias{Src: strArr(s)}})
		f.bind(pool, strArr(s))
		return fixList(&val{elems: []*val{{t: i64Arr, arr: res[0]}, {t: i64T, s: &ir.Ref{Var: res[2]}},
			{t: i64Arr, arr: res[1]}, {t: u32Arr, arr: pool}, {t: i64T, s: f.once(strLen(s))}}}, t)
	case "strip", "lstrip", "rstrip":
		chars, has := optStr(0)
		mode := map[string]int64{"strip": 3, "lstrip": 1, "rstrip": 2}[name]
		r := f.externCall(ir.HelperStrStrip, []ir.Expr{sa, chars, has, ir.IntConst(mode)}, i64T, i64T)
		return f.strView(s, &ir.Ref{Var: r[0]}, ibin(ir.Sub, &ir.Ref{Var: r[1]}, &ir.Ref{Var: r[0]}))
	case "startswith", "endswith":
		p := arg(0)
		var off ir.Expr = ir.IntConst(0)
		if name == "endswith" {
			off = ibin(ir.Sub, strLen(s), strLen(p))
		}
		return b(f.call1(ir.HelperStrMatch, i64T, sa, off, aref(strArr(p))))
	case "find", "rfind", "count":
		mode := map[string]int64{"find": 0, "rfind": 1, "count": 2}[name]
		r := f.call1(ir.HelperStrFind, i64T, sa, aref(strArr(arg(0))), intArg(1, 0), intArg(2, 1<<62), ir.IntConst(mode))
		return &val{t: t, s: &ir.Ref{Var: r}}
	case "replace":
		return strVal(f.call1(ir.HelperStrReplace, u32Arr, sa, aref(strArr(arg(0))), aref(strArr(arg(1))), intArg(2, -1)))
	case "lower", "upper":
		mode := int64(0)
		if name == "upper" {
			mode = 1
		}
		return strVal(f.call1(ir.HelperStrCase, u32Arr, sa, ir.IntConst(mode)))
	case "isdigit", "isalpha", "isspace":
		mode := map[string]int64{"isdigit": 0, "isalpha": 1, "isspace": 2}[name]
		return b(f.call1(ir.HelperStrIs, i64T, sa, ir.IntConst(mode)))
	case "join":
		lv := arg(0)
		return strVal(f.call1(ir.HelperStrJoin, u32Arr, sa, aref(slPool(lv)), aref(slStarts(lv)), aref(slLens(lv)), listLen(lv)))
	}
	f.errorf(e.P, diag.Internal, "str.%s() cannot be lowered", name)
	return &val{t: types.NoneT}
}

// strBoolOp lowers a and b, a or b of strings: the deciding operand, the
// later ones evaluated only while Python would.
func (f *fn) strBoolOp(e *pyast.BoolOp, rt *types.Type) *val {
	dst := f.newLocal("boolop", rt)
	first := f.expr(e.Values[0])
	f.assignTo(dst, first, e.P)
	var rest func(vals []pyast.Expr, cond ir.Expr)
	rest = func(vals []pyast.Expr, cond ir.Expr) {
		if len(vals) == 0 {
			return
		}
		body := f.sub(func() {
			v := f.expr(vals[0])
			f.assignTo(dst, v, e.P)
			rest(vals[1:], v.s)
		})
		if e.Op == "And" {
			f.emit(&ir.If{Cond: cond, Then: body})
		} else {
			f.emit(&ir.If{Cond: cond, Else: body})
		}
	}
	rest(e.Values[1:], first.s)
	return dst
}

// strListCopy is a new list of the items of the list of strings v. It
// shares v's pool with its used count at the pool's extent, so the first
// append to either list moves that list's pool to a new buffer and the
// other never sees it.
func (f *fn) strListCopy(v *val, t *types.Type) *val {
	n := f.once(listLen(v))
	starts := f.alloc(i64Arr, []ir.Expr{n})
	lens := f.alloc(i64Arr, []ir.Expr{n})
	f.copyItems(starts, ir.IntConst(0), slStarts(v), ir.IntConst(0), n)
	f.copyItems(lens, ir.IntConst(0), slLens(v), ir.IntConst(0), n)
	pool := f.temp(u32Arr)
	f.emit(&ir.SetArray{Dst: pool, Src: &ir.Alias{Src: slPool(v)}})
	f.bind(pool, slPool(v))
	nv, used := f.temp(i64T), f.temp(i64T)
	f.emit(&ir.Assign{Dst: nv, Src: n})
	f.emit(&ir.Assign{Dst: used, Src: &ir.Dim{Arr: pool, Axis: 0}})
	return fixList(&val{elems: []*val{{t: i64Arr, arr: starts}, {t: i64T, s: &ir.Ref{Var: nv}},
		{t: i64Arr, arr: lens}, {t: u32Arr, arr: pool}, {t: i64T, s: &ir.Ref{Var: used}}}}, t)
}

// strListSort sorts the items of a list-of-strings variable (the pool
// stays as it is).
func (f *fn) strListSort(lv *val) {
	f.externCall(ir.HelperStrSort, []ir.Expr{aref(slPool(lv)), aref(slStarts(lv)), aref(slLens(lv)), listLen(lv)})
}

// strListReduce is sorted, min or max of a list of strings.
func (f *fn) strListReduce(v *val, name string, t *types.Type) *val {
	if name == "sorted" {
		out := f.strListCopy(v, t)
		f.strListSort(out)
		return out
	}
	n := f.once(listLen(v))
	f.emit(&ir.Check{Cond: cmpE(ir.Gt, n, ir.IntConst(0)), Err: ir.ErrValue, Msg: name + "() arg is an empty sequence"})
	best := f.temp(i64T)
	f.emit(&ir.Assign{Dst: best, Src: ir.IntConst(0)})
	op := map[string]ir.Op{"min": ir.Lt, "max": ir.Gt}[name]
	k := f.temp(i64T)
	body := f.sub(func() {
		c := f.call1(ir.HelperStrCmp, i64T, aref(strArr(f.strListItem(v, &ir.Ref{Var: k}))),
			aref(strArr(f.strListItem(v, &ir.Ref{Var: best}))))
		f.emit(&ir.If{Cond: cmpE(op, &ir.Ref{Var: c}, ir.IntConst(0)), Then: []ir.Stmt{&ir.Assign{Dst: best, Src: &ir.Ref{Var: k}}}})
	})
	f.emit(&ir.For{Var: k, Start: ir.IntConst(1), Stop: n, Step: ir.IntConst(1), Sign: 1, Body: body})
	return f.strListItem(v, &ir.Ref{Var: best})
}

// strListStore lowers l[i] = s and l[i] += s for a list of strings: the
// new text goes to the end of the pool, as an append's does.
func (f *fn) strListStore(t *pyast.Subscript, value func() *val, op string) {
	lv := f.vars[f.spec.Func.VarName(t.Value.(*pyast.Name))]
	idx := f.seqIndex(listLen(lv), f.expr(t.Index).s, "list assignment index out of range")
	x := value()
	if op != "" {
		old := f.strListItem(lv, idx)
		x = strVal(f.call1(ir.HelperStrConcat, u32Arr, aref(strArr(old)), aref(strArr(x))))
	}
	used := f.once(slUsed(lv))
	m := f.once(strLen(x))
	f.grow(slPool(lv), used, ibin(ir.Add, used, m), 64)
	f.copyItems(slPool(lv), used, strArr(x), ir.IntConst(0), m)
	f.emit(&ir.Store{Arr: slStarts(lv), Idx: []ir.Expr{idx}, Src: used})
	f.emit(&ir.Store{Arr: slLens(lv), Idx: []ir.Expr{idx}, Src: m})
	f.emit(&ir.Assign{Dst: lv.elems[4].s.(*ir.Ref).Var, Src: ibin(ir.Add, used, m)})
}

// strListMethod lowers the methods of a list-of-strings variable that
// types.listMethod allows.
func (f *fn) strListMethod(e *pyast.Call, lv *val, name string, args []*val, t *types.Type) *val {
	none := &val{t: types.NoneT}
	n := f.once(listLen(lv))
	switch name {
	case "append":
		f.strListAppend(lv, args[0])
		return none
	case "clear":
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ir.IntConst(0)})
		return none
	case "copy":
		return f.strListCopy(lv, t)
	case "sort":
		f.strListSort(lv)
		return none
	case "pop":
		f.emit(&ir.Check{Cond: cmpE(ir.Gt, n, ir.IntConst(0)), Err: ir.ErrIndex, Msg: "pop from empty list"})
		var i ir.Expr = ibin(ir.Sub, n, ir.IntConst(1))
		if len(args) > 0 {
			i = f.seqIndex(n, args[0].s, "pop index out of range")
		}
		i = f.once(i)
		item := f.strListItem(lv, i) // a view of the pool, which pop leaves as it is
		for _, buf := range []*ir.Var{slStarts(lv), slLens(lv)} {
			k := f.temp(i64T)
			f.emit(&ir.For{Var: k, Start: i, Stop: ibin(ir.Sub, n, ir.IntConst(1)), Step: ir.IntConst(1), Sign: 1, Body: []ir.Stmt{
				&ir.Store{Arr: buf, Idx: []ir.Expr{&ir.Ref{Var: k}}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{ibin(ir.Add, &ir.Ref{Var: k}, ir.IntConst(1))}}}}})
		}
		f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Sub, n, ir.IntConst(1))})
		return item
	case "reverse":
		for _, buf := range []*ir.Var{slStarts(lv), slLens(lv)} {
			k := f.temp(i64T)
			a, b := &ir.Ref{Var: k}, ibin(ir.Sub, ibin(ir.Sub, n, ir.IntConst(1)), &ir.Ref{Var: k})
			tmp := f.temp(i64T)
			f.emit(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ibin(ir.Div, n, ir.IntConst(2)), Step: ir.IntConst(1), Sign: 1, Body: []ir.Stmt{
				&ir.Assign{Dst: tmp, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{a}}},
				&ir.Store{Arr: buf, Idx: []ir.Expr{a}, Src: &ir.Load{Arr: buf, Idx: []ir.Expr{b}}},
				&ir.Store{Arr: buf, Idx: []ir.Expr{b}, Src: &ir.Ref{Var: tmp}}}})
		}
		return none
	case "count", "index":
		acc := f.temp(i64T)
		start := int64(0)
		if name == "index" {
			start = -1
		}
		f.emit(&ir.Assign{Dst: acc, Src: ir.IntConst(start)})
		k := f.temp(i64T)
		body := f.sub(func() {
			eq := f.strEq(args[0], f.strListItem(lv, &ir.Ref{Var: k}))
			if name == "count" {
				f.emit(&ir.If{Cond: eq, Then: []ir.Stmt{&ir.Assign{Dst: acc, Src: ibin(ir.Add, &ir.Ref{Var: acc}, ir.IntConst(1))}}})
			} else {
				f.emit(&ir.If{Cond: eq, Then: []ir.Stmt{&ir.Assign{Dst: acc, Src: &ir.Ref{Var: k}}, &ir.Break{}}})
			}
		})
		f.emit(&ir.For{Var: k, Start: ir.IntConst(0), Stop: n, Step: ir.IntConst(1), Sign: 1, Body: body})
		if name == "index" {
			// CPython's message quotes the string (repr), which a check's
			// integer operands cannot carry: the print hook formats it.
			fail := f.sub(func() {
				p := &ir.Print{Line: f.line, Raise: ir.ErrValue}
				p.Items = []ir.PrintItem{{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: strArr(args[0])}, Str: true, Fmt: true, Conv: 'r'},
					{Kind: ir.PrintText, Text: " is not in list", Join: true}}
				f.emit(p)
			})
			f.emit(&ir.If{Cond: cmpE(ir.Lt, &ir.Ref{Var: acc}, ir.IntConst(0)), Then: fail})
		}
		return &val{t: t, s: &ir.Ref{Var: acc}}
	}
	f.errorf(e.P, diag.Internal, "list.%s() of strings cannot be lowered", name)
	return none
}
