package lower

// Dicts and sets (issue 14). A dict is CPython's compact dict in six
// variables: an entries part of three arrays in insertion order — the
// keys, the values and a live flag (a deleted entry stays, dead, until
// the next rebuild) — a hash table of int64 slots (0 empty, -1 deleted,
// e+1 for entry e) twice the entries' capacity, a power of two, probed
// linearly, and two int64 counts: the entries used (live or dead) and the
// live ones (len). Inserting into full entries rebuilds both parts with
// the live entries only, in order, at a capacity of at least twice the
// live count; a loop over a dict rebuilds first when entries are dead, so
// iteration is a plain loop over the first len entries, in insertion
// order. A set is a dict whose values are unused. All arrays are allocated
// through the runtime (ir.Alloc), as a list's buffer. Integer and bool
// keys compare and hash as int64, float keys as float64 (keyDomain).

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// hashRepr is the tuple of leaves a dict or set of type t travels as.
func hashRepr(t *types.Type) *types.Type {
	vd := types.Bool
	if t.Kind == types.Dict {
		vd = t.Value().DType
	}
	arr := func(d types.DType) *types.Type { return types.ArrayOf(d, 1, 'C') }
	return types.TupleOf(arr(t.Key().DType), arr(vd), arr(types.Bool), arr(types.Int64), i64T, i64T)
}

// fixHashed sets a dict or set val's type and truth value.
func fixHashed(v *val, t *types.Type) *val {
	v.t = t
	v.s = cmpE(ir.Ne, v.elems[5].s, ir.IntConst(0))
	return v
}

// dparts are the variables of a dict or set.
type dparts struct {
	keys, vals, live, table *ir.Var
	nused, nlive            *ir.Var
	t                       *types.Type
}

func partsOf(v *val) dparts {
	return dparts{keys: v.elems[0].arr, vals: v.elems[1].arr, live: v.elems[2].arr, table: v.elems[3].arr,
		nused: v.elems[4].s.(*ir.Ref).Var, nlive: v.elems[5].s.(*ir.Ref).Var, t: v.t}
}

func (p dparts) val() *val {
	v := &val{t: p.t, elems: []*val{{t: p.keys.Type, arr: p.keys}, {t: p.vals.Type, arr: p.vals},
		{t: p.live.Type, arr: p.live}, {t: p.table.Type, arr: p.table},
		{t: i64T, s: &ir.Ref{Var: p.nused}}, {t: i64T, s: &ir.Ref{Var: p.nlive}}}}
	return fixHashed(v, p.t)
}

func load(a *ir.Var, i ir.Expr) ir.Expr { return &ir.Load{Arr: a, Idx: []ir.Expr{i}} }

func store(a *ir.Var, i, x ir.Expr) ir.Stmt {
	return &ir.Store{Arr: a, Idx: []ir.Expr{i}, Src: conv(x, a.Type.DType)}
}

func iconst(n int64) ir.Expr { return ir.IntConst(n) }

// hashSlot is the first slot probed for the int64 key kd in a table of
// mask+1 slots: a multiplicative hash, so that nearby keys spread.
func hashSlot(kd, mask ir.Expr) ir.Expr {
	g := ibin(ir.Mul, kd, iconst(-7046029254386353131)) // 0x9E3779B97F4A7C15
	return ibin(ir.BitAnd, ibin(ir.BitXor, g, ibin(ir.Shr, g, iconst(32))), mask)
}

// zeroFill sets every element of the int64 array a to 0.
func (f *fn) zeroFill(a *ir.Var) {
	k := f.temp(i64T)
	f.emit(&ir.Nest{Vars: []*ir.Var{k}, Bounds: []ir.Expr{&ir.Dim{Arr: a, Axis: 0}},
		Body: []ir.Stmt{store(a, ref(k), iconst(0))}})
}

// newHashed allocates an empty dict or set of type t with entries for
// capacity items (a power of two, at least 8).
func (f *fn) newHashed(t *types.Type, capacity ir.Expr) dparts {
	r := hashRepr(t)
	capacity = f.once(capacity)
	p := dparts{t: t,
		keys:  f.alloc(r.Elems[0], []ir.Expr{capacity}),
		vals:  f.alloc(r.Elems[1], []ir.Expr{capacity}),
		live:  f.alloc(r.Elems[2], []ir.Expr{capacity}),
		table: f.alloc(r.Elems[3], []ir.Expr{ibin(ir.Mul, capacity, iconst(2))}),
		nused: f.temp(i64T), nlive: f.temp(i64T)}
	f.zeroFill(p.table)
	f.emit(&ir.Assign{Dst: p.nused, Src: iconst(0)})
	f.emit(&ir.Assign{Dst: p.nlive, Src: iconst(0)})
	return p
}

// floatKeys reports a dict or set of float keys.
func floatKeys(t *types.Type) bool { return t.Key().DType.IsFloat() }

// keyDomain converts the key x to the domain p's keys compare and hash in:
// int64 for integer and bool keys, float64 for float keys. valid (nil:
// always) is false where x equals no key of that domain: a float that is
// no integer, an integer that no float64 equals.
func (f *fn) keyDomain(p dparts, x ir.Expr) (kd, valid ir.Expr) {
	xfloat := ir.TypeOf(x).DType.IsFloat()
	switch {
	case floatKeys(p.t) && !xfloat:
		xi := f.once(conv(x, types.Int64))
		xf := f.stableExpr(conv(xi, types.Float64))
		return xf, cmpE(ir.Eq, conv(xf, types.Int64), xi)
	case floatKeys(p.t):
		return conv(x, types.Float64), nil
	case xfloat:
		xf := f.stableExpr(conv(x, types.Float64))
		xi := f.once(conv(xf, types.Int64))
		return xi, cmpE(ir.Eq, conv(xi, types.Float64), xf)
	}
	return conv(x, types.Int64), nil
}

// stored is a stored key in p's domain.
func stored(p dparts, k ir.Expr) ir.Expr {
	if floatKeys(p.t) {
		return conv(k, types.Float64)
	}
	return conv(k, types.Int64)
}

// keyHash is the int64 hash of kd, a key in p's domain: the key itself
// for integers; for floats, frexp's mantissa scaled to an integer and the
// exponent (equal floats, 0.0 and -0.0 included, hash alike).
func keyHash(p dparts, kd ir.Expr) ir.Expr {
	if !floatKeys(p.t) {
		return kd
	}
	m := conv(&ir.Bin{Op: ir.Mul, X: intr(ir.FnPyFrexpM, f64T, kd), Y: &ir.Const{Type: f64T, F: 1 << 53}, T: f64T}, types.Int64)
	return ibin(ir.Add, m, ibin(ir.Mul, intr(ir.FnPyFrexpE, i64T, kd), iconst(0x100000001)))
}

// probe looks the key kd (int64) up: slot is the table slot where it is or
// where it would go, ent its entry or -1.
func (f *fn) probe(p dparts, x ir.Expr) (slot, ent *ir.Var) {
	kd, valid := f.keyDomain(p, x)
	kd = f.stableExpr(kd)
	slot, ent = f.temp(i64T), f.temp(i64T)
	f.emit(&ir.Assign{Dst: slot, Src: iconst(0)})
	f.emit(&ir.Assign{Dst: ent, Src: iconst(-1)})
	body := f.sub(func() {
		mask := f.once(ibin(ir.Sub, &ir.Dim{Arr: p.table, Axis: 0}, iconst(1)))
		t := f.temp(i64T)
		f.emit(&ir.Assign{Dst: slot, Src: hashSlot(keyHash(p, kd), mask)})
		f.emit(&ir.While{Cond: ir.BoolConst(true), Body: []ir.Stmt{
			&ir.Assign{Dst: t, Src: load(p.table, ref(slot))},
			&ir.If{Cond: cmpE(ir.Eq, ref(t), iconst(0)), Then: []ir.Stmt{&ir.Break{}}},
			&ir.If{Cond: cmpE(ir.Gt, ref(t), iconst(0)), Then: []ir.Stmt{
				&ir.If{Cond: cmpE(ir.Eq, stored(p, load(p.keys, ibin(ir.Sub, ref(t), iconst(1)))), kd), Then: []ir.Stmt{
					&ir.Assign{Dst: ent, Src: ibin(ir.Sub, ref(t), iconst(1))}, &ir.Break{}}}}},
			&ir.Assign{Dst: slot, Src: ibin(ir.BitAnd, ibin(ir.Add, ref(slot), iconst(1)), mask)},
		}})
	})
	if valid == nil {
		for _, s := range body {
			f.emit(s)
		}
	} else {
		f.emit(&ir.If{Cond: valid, Then: body})
	}
	return slot, ent
}

// eachLive runs body(e) for each live entry e of p, in insertion order.
func (f *fn) eachLive(p dparts, body func(e ir.Expr)) {
	e := f.temp(i64T)
	n := f.once(ref(p.nused))
	b := f.sub(func() {
		f.emit(&ir.If{Cond: load(p.live, ref(e)), Then: f.sub(func() { body(ref(e)) })})
	})
	f.emit(&ir.For{Var: e, Start: iconst(0), Stop: n, Step: iconst(1), Sign: 1, Body: b})
}

// rebuildInto copies p's live entries, in order, into a new dict or set of
// type t (converting) with entries for capacity items.
func (f *fn) rebuildInto(p dparts, t *types.Type, capacity ir.Expr) dparts {
	q := f.newHashed(t, capacity)
	mask := f.once(ibin(ir.Sub, &ir.Dim{Arr: q.table, Axis: 0}, iconst(1)))
	f.eachLive(p, func(e ir.Expr) {
		j := ref(q.nused)
		k := f.stableExpr(load(p.keys, e))
		f.emit(store(q.keys, j, k))
		f.emit(store(q.vals, j, load(p.vals, e)))
		f.emit(store(q.live, j, ir.BoolConst(true)))
		slot := f.temp(i64T)
		f.emit(&ir.Assign{Dst: slot, Src: hashSlot(keyHash(q, stored(q, k)), mask)})
		f.emit(&ir.While{Cond: cmpE(ir.Ne, load(q.table, ref(slot)), iconst(0)), Body: []ir.Stmt{
			&ir.Assign{Dst: slot, Src: ibin(ir.BitAnd, ibin(ir.Add, ref(slot), iconst(1)), mask)}}})
		f.emit(store(q.table, ref(slot), ibin(ir.Add, j, iconst(1))))
		f.emit(&ir.Assign{Dst: q.nused, Src: ibin(ir.Add, j, iconst(1))})
	})
	f.emit(&ir.Assign{Dst: q.nlive, Src: ref(q.nused)})
	return q
}

// setParts makes the variables of dst hold q (same dtypes).
func (f *fn) setParts(dst, q dparts) {
	for _, pr := range [][2]*ir.Var{{dst.keys, q.keys}, {dst.vals, q.vals}, {dst.live, q.live}, {dst.table, q.table}} {
		f.emit(&ir.SetArray{Dst: pr[0], Src: &ir.Alias{Src: pr[1]}})
		f.bind(pr[0], pr[1])
	}
	f.emit(&ir.Assign{Dst: dst.nused, Src: ref(q.nused)})
	f.emit(&ir.Assign{Dst: dst.nlive, Src: ref(q.nlive)})
}

// rebuild rebuilds the dict or set variable p in place with entries for
// capacity items.
func (f *fn) rebuild(p dparts, capacity ir.Expr) {
	f.setParts(p, f.rebuildInto(p, p.t, capacity))
}

// reserveOne makes room in p's entries for one more item.
func (f *fn) reserveOne(p dparts) {
	grow := f.sub(func() {
		c := f.temp(i64T)
		need := ibin(ir.Mul, ibin(ir.Add, ref(p.nlive), iconst(1)), iconst(2))
		f.emit(&ir.Assign{Dst: c, Src: iconst(8)})
		f.emit(&ir.While{Cond: cmpE(ir.Lt, ref(c), need), Body: []ir.Stmt{
			&ir.Assign{Dst: c, Src: ibin(ir.Mul, ref(c), iconst(2))}}})
		f.rebuild(p, ref(c))
	})
	f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(p.nused), &ir.Dim{Arr: p.keys, Axis: 0}), Then: grow})
}

// compact rebuilds p when it has dead entries, so that its live entries
// are its first len entries.
func (f *fn) compact(p dparts) {
	f.emit(&ir.If{Cond: cmpE(ir.Ne, ref(p.nused), ref(p.nlive)), Then: f.sub(func() {
		f.rebuild(p, &ir.Dim{Arr: p.keys, Axis: 0})
	})})
}

// insert sets p[k] = v (v nil for a set); returns the entry.
func (f *fn) insert(p dparts, k, v ir.Expr) *ir.Var {
	k = f.stableExpr(k)
	if v != nil {
		v = f.stableExpr(v)
	}
	if floatKeys(p.t) {
		kf := conv(k, types.Float64)
		f.emit(&ir.Check{Cond: cmpE(ir.Eq, kf, kf), Err: ir.ErrValue,
			Msg: "NaN dict keys and set items are not supported (CPython tells NaNs apart by identity)"})
	}
	f.reserveOne(p)
	slot, ent := f.probe(p, k)
	var upd []ir.Stmt
	if v != nil {
		upd = append(upd, store(p.vals, ref(ent), v))
	}
	n := ref(p.nused)
	add := []ir.Stmt{store(p.keys, n, k), store(p.live, n, ir.BoolConst(true))}
	if v != nil {
		add = append(add, store(p.vals, n, v))
	} else {
		add = append(add, store(p.vals, n, ir.BoolConst(true)))
	}
	add = append(add, store(p.table, ref(slot), ibin(ir.Add, n, iconst(1))),
		&ir.Assign{Dst: ent, Src: n},
		&ir.Assign{Dst: p.nused, Src: ibin(ir.Add, n, iconst(1))},
		&ir.Assign{Dst: p.nlive, Src: ibin(ir.Add, ref(p.nlive), iconst(1))})
	f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(ent), iconst(0)), Then: upd, Else: add})
	return ent
}

// remove deletes entry ent, found at slot.
func (f *fn) removeEntry(p dparts, slot, ent ir.Expr) []ir.Stmt {
	return []ir.Stmt{store(p.live, ent, ir.BoolConst(false)), store(p.table, slot, iconst(-1)),
		&ir.Assign{Dst: p.nlive, Src: ibin(ir.Sub, ref(p.nlive), iconst(1))}}
}

// keyError raises CPython's KeyError for the missing key x (of type kt)
// unless ent >= 0: the runtime turns the message into the key object
// (python/sejit/_runtime.c), so str() of the exception is the key's repr.
func (f *fn) keyError(ent *ir.Var, x ir.Expr, kt *types.Type) {
	name := "int"
	switch {
	case kt.Weak && kt.DType == types.Bool:
		name = "bool"
	case !kt.Weak && kt.DType == types.Bool:
		name = "bool_"
	case !kt.Weak:
		name = kt.DType.String()
	}
	if kt.DType.IsFloat() {
		// The key as M * 2**E (M an integer); M = 0 with E = 0, 3, 1, -1,
		// 2 for 0.0, -0.0, inf, -inf, nan.
		if kt.Weak {
			name = "float"
		}
		xf := f.stableExpr(conv(x, types.Float64))
		sel := func(c, a, b ir.Expr) ir.Expr { return &ir.Select{Cond: c, X: a, Y: b, T: i64T} }
		finite := f.stableExpr(intr(ir.FnIsfinite, types.BoolT, xf))
		zero := cmpE(ir.Eq, xf, &ir.Const{Type: f64T})
		m := conv(&ir.Bin{Op: ir.Mul, X: intr(ir.FnPyFrexpM, f64T, xf), Y: &ir.Const{Type: f64T, F: 1 << 53}, T: f64T}, types.Int64)
		negZero := cmpE(ir.Lt, &ir.Bin{Op: ir.Div, X: &ir.Const{Type: f64T, F: 1}, Y: xf, T: f64T}, &ir.Const{Type: f64T})
		e := sel(finite,
			sel(zero, sel(negZero, iconst(3), iconst(0)), ibin(ir.Sub, intr(ir.FnPyFrexpE, i64T, xf), iconst(53))),
			sel(cmpE(ir.Ne, xf, xf), iconst(2), sel(cmpE(ir.Gt, xf, &ir.Const{Type: f64T}), iconst(1), iconst(-1))))
		f.emit(&ir.Check{Cond: cmpE(ir.Ge, ref(ent), iconst(0)), Err: ir.ErrKind(9),
			Msg: "sejit:key:" + name + ":{0}:{1}", Args: []ir.Expr{sel(finite, m, iconst(0)), e}})
		return
	}
	f.emit(&ir.Check{Cond: cmpE(ir.Ge, ref(ent), iconst(0)), Err: ir.ErrKind(9),
		Msg: "sejit:key:" + name + ":{0}", Args: []ir.Expr{conv(x, types.Int64)}})
}

// hashedVar is the dict or set a method's receiver or a store's target names.
func (f *fn) hashedVar(e pyast.Expr) dparts {
	if n, ok := e.(*pyast.Name); ok {
		if v := f.vars[f.spec.Func.VarName(n)]; v != nil {
			return partsOf(v)
		}
	}
	return partsOf(f.expr(e))
}

// dictExpr lowers the dict and set expressions; ok is false for others.
func (f *fn) dictExpr(e pyast.Expr, t *types.Type) (*val, bool) {
	switch e := e.(type) {
	case *pyast.Dict:
		var ks, vs []ir.Expr
		for i := range e.Keys {
			ks = append(ks, f.stableExpr(f.expr(e.Keys[i]).s))
			vs = append(vs, f.stableExpr(f.expr(e.Values[i]).s))
		}
		p := f.newHashed(t, iconst(capFor(len(ks))))
		for i := range ks {
			f.insert(p, ks[i], vs[i])
		}
		return p.val(), true
	case *pyast.Set:
		var ks []ir.Expr
		for _, x := range e.Elts {
			ks = append(ks, f.stableExpr(f.expr(x).s))
		}
		p := f.newHashed(t, iconst(capFor(len(ks))))
		for _, k := range ks {
			f.insert(p, k, nil)
		}
		return p.val(), true
	case *pyast.DictComp, *pyast.SetComp:
		// A loop nest inserting into a new dict or set (comprehensions.go).
		lv := f.newLocal("comp", t)
		f.hashedAssign(lv, f.newHashed(t, iconst(8)).val())
		p := partsOf(lv)
		if dc, ok := e.(*pyast.DictComp); ok {
			f.compLoops(dc.Generators, nil, func() {
				k := f.stableExpr(f.expr(dc.Key).s)
				f.insert(p, k, f.expr(dc.Value).s)
			})
		} else {
			sc := e.(*pyast.SetComp)
			f.compLoops(sc.Generators, nil, func() { f.insert(p, f.expr(sc.Elt).s, nil) })
		}
		return lv, true
	case *pyast.Subscript:
		if !f.typeOf(e.Value).IsHashed() {
			return nil, false
		}
		p := f.hashedVar(e.Value)
		kv := f.expr(e.Index)
		k := f.stableExpr(kv.s)
		_, ent := f.probe(p, k)
		f.keyError(ent, k, kv.t)
		return &val{t: t, s: f.stableExpr(conv(load(p.vals, ref(ent)), t.DType))}, true
	case *pyast.Compare:
		if len(e.Ops) != 1 || (e.Ops[0] != "In" && e.Ops[0] != "NotIn") || !f.typeOf(e.Comparators[0]).IsHashed() {
			return nil, false
		}
		k := f.stableExpr(f.expr(e.Left).s)
		p := f.hashedVar(e.Comparators[0])
		_, ent := f.probe(p, k)
		op := ir.Ge
		if e.Ops[0] == "NotIn" {
			op = ir.Lt
		}
		return &val{t: t, s: f.stableExpr(cmpE(op, ref(ent), iconst(0)))}, true
	case *pyast.BinOp:
		if !f.typeOf(e.Left).IsHashed() {
			return nil, false
		}
		a, b := partsOf(f.expr(e.Left)), partsOf(f.expr(e.Right))
		var q dparts
		switch e.Op {
		case "BitOr":
			q = f.rebuildInto(a, t, f.once(&ir.Intrinsic{Fn: ir.FnMax, T: i64T, Args: []ir.Expr{
				&ir.Dim{Arr: a.keys, Axis: 0}, iconst(8)}}))
			f.eachLive(b, func(ent ir.Expr) { f.insert(q, load(b.keys, ent), nil) })
		default:
			q = f.newHashed(t, iconst(8))
			f.eachLive(a, func(ent ir.Expr) {
				k := f.stableExpr(load(a.keys, ent))
				_, in := f.probe(b, k)
				op := ir.Ge
				if e.Op == "Sub" {
					op = ir.Lt
				}
				f.emit(&ir.If{Cond: cmpE(op, ref(in), iconst(0)), Then: f.sub(func() { f.insert(q, k, nil) })})
			})
		}
		return q.val(), true
	case *pyast.Call:
		return f.dictCall(e, t)
	}
	return nil, false
}

// capFor is the entries' capacity of a display of n items.
func capFor(n int) int64 {
	c := int64(8)
	for c < 2*int64(n) {
		c *= 2
	}
	return c
}

func (f *fn) dictCall(e *pyast.Call, t *types.Type) (*val, bool) {
	ft := f.typeOf(e.Func)
	if ft.Kind != types.Builtin {
		return nil, false
	}
	switch ft.Name {
	case "builtins.dict", "builtins.set":
		return f.newHashed(t, iconst(8)).val(), true
	case "builtins.len":
		if len(e.Args) != 1 || !f.typeOf(e.Args[0]).IsHashed() {
			return nil, false
		}
		p := f.hashedVar(e.Args[0])
		return &val{t: t, s: ref(p.nlive)}, true
	}
	switch ft.Name {
	case "builtins.list", "builtins.sorted", "builtins.sum", "builtins.min", "builtins.max":
		if len(e.Args) != 1 {
			return nil, false
		}
		if recv, view := types.DictView(e.Args[0]); recv != nil && view == "items" && f.typeOf(recv).Kind == types.Dict {
			return f.hashedItems(f.hashedVar(recv), ft.Name == "builtins.sorted", t), true
		}
		src, values, ok := types.HashedItems(e.Args[0], f.typeOf)
		if !ok {
			return nil, false
		}
		return f.hashedReduce(f.hashedVar(src), values, ft.Name[len("builtins."):], t), true
	}
	if len(ft.Elems) != 1 || !ft.Elems[0].IsHashed() {
		return nil, false
	}
	var name string
	switch {
	case len(ft.Name) > 5 && ft.Name[:5] == "dict.":
		name = ft.Name[5:]
	case len(ft.Name) > 4 && ft.Name[:4] == "set.":
		name = ft.Name[4:]
	default:
		return nil, false
	}
	p := f.hashedVar(e.Func.(*pyast.Attribute).Value)
	args := make([]*val, len(e.Args))
	for i, a := range e.Args {
		args[i] = f.expr(a)
		args[i] = &val{t: args[i].t, s: f.stableExpr(args[i].s)}
	}
	none := &val{t: types.NoneT}
	switch name {
	case "copy":
		return f.rebuildInto(p, t, &ir.Dim{Arr: p.keys, Axis: 0}).val(), true
	case "clear":
		f.zeroFill(p.table)
		f.emit(&ir.Assign{Dst: p.nused, Src: iconst(0)})
		f.emit(&ir.Assign{Dst: p.nlive, Src: iconst(0)})
		return none, true
	case "add":
		f.insert(p, args[0].s, nil)
		return none, true
	case "discard", "remove":
		slot, ent := f.probe(p, args[0].s)
		if name == "remove" {
			f.keyError(ent, args[0].s, args[0].t)
		}
		f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(ent), iconst(0)), Then: f.removeEntry(p, ref(slot), ref(ent))})
		return none, true
	case "get", "pop":
		slot, ent := f.probe(p, args[0].s)
		res := f.temp(t)
		found := []ir.Stmt{&ir.Assign{Dst: res, Src: conv(load(p.vals, ref(ent)), t.DType)}}
		if name == "pop" {
			found = append(found, f.removeEntry(p, ref(slot), ref(ent))...)
		}
		if len(args) == 1 {
			f.keyError(ent, args[0].s, args[0].t)
			for _, s := range found {
				f.emit(s)
			}
		} else {
			f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(ent), iconst(0)), Then: found,
				Else: []ir.Stmt{&ir.Assign{Dst: res, Src: conv(args[1].s, t.DType)}}})
		}
		return &val{t: t, s: ref(res)}, true
	case "setdefault":
		_, ent := f.probe(p, args[0].s)
		f.emit(&ir.If{Cond: cmpE(ir.Lt, ref(ent), iconst(0)), Then: f.sub(func() {
			e2 := f.insert(p, args[0].s, args[1].s)
			f.emit(&ir.Assign{Dst: ent, Src: ref(e2)})
		})})
		return &val{t: t, s: f.stableExpr(conv(load(p.vals, ref(ent)), t.DType))}, true
	}
	f.errorf(e.P, diag.Internal, "%s cannot be lowered", ft.Name)
	return none, true
}

// dictStore lowers d[k] = value (op: d[k] op= value).
func (f *fn) dictStore(t *pyast.Subscript, value func() *val, op string, opType *types.Type) {
	p := f.hashedVar(t.Value)
	kv := f.expr(t.Index)
	k := f.stableExpr(kv.s)
	if op == "" {
		v := value()
		f.insert(p, k, v.s)
		return
	}
	_, ent := f.probe(p, k)
	f.keyError(ent, k, kv.t)
	old := &val{t: p.t.Value(), s: f.stableExpr(load(p.vals, ref(ent)))}
	res := f.binop(op, old, value(), opType, t.P)
	// The right side may have removed the key or rebuilt the dict
	// (d[k] += d.pop(k)): store as d[k] = res does.
	f.insert(p, k, res.s)
}

// delItem lowers del d[k].
func (f *fn) delItem(t *pyast.Subscript) {
	p := f.hashedVar(t.Value)
	kv := f.expr(t.Index)
	k := f.stableExpr(kv.s)
	slot, ent := f.probe(p, k)
	f.keyError(ent, k, kv.t)
	for _, s := range f.removeEntry(p, ref(slot), ref(ent)) {
		f.emit(s)
	}
}

// dictPlan iterates a dict or one of its views, in insertion order; ok is
// false for other iterables.
func (f *fn) dictPlan(e pyast.Expr) (*iterPlan, bool) {
	view := "keys"
	if recv, v := types.DictView(e); recv != nil && f.typeOf(recv).Kind == types.Dict {
		e, view = recv, v
	} else if f.typeOf(e).Kind != types.Dict {
		return nil, false
	}
	p := f.hashedVar(e)
	f.compact(p)
	n := f.once(ref(p.nlive))
	kt, vt := p.t.Key(), p.t.Value()
	return &iterPlan{n: n, item: func(k ir.Expr) *val {
		key := &val{t: kt, s: load(p.keys, k)}
		value := &val{t: vt, s: load(p.vals, k)}
		switch view {
		case "keys":
			return key
		case "values":
			return value
		}
		return &val{t: types.TupleOf(kt, vt), elems: []*val{key, value}}
	}}, true
}

// hashedAssign stores the dict or set v into the variable dst: the same
// arrays when the dtypes agree, else a converted copy.
func (f *fn) hashedAssign(dst, v *val) {
	d, q := partsOf(dst), partsOf(v)
	if q.keys.Type.DType != d.keys.Type.DType || q.vals.Type.DType != d.vals.Type.DType {
		q = f.rebuildInto(q, dst.t, &ir.Dim{Arr: q.keys, Axis: 0})
	}
	f.setParts(d, q)
}

// hashedReduce lowers list(), sorted(), sum(), min() and max() of p's
// keys (or values): a list of them in insertion order, then the list's
// operation.
func (f *fn) hashedReduce(p dparts, values bool, name string, t *types.Type) *val {
	f.compact(p)
	n := f.once(ref(p.nlive))
	src, el := p.keys, p.t.Key()
	if values {
		src, el = p.vals, p.t.Value()
	}
	lt := types.ListOf(el)
	if name == "list" || name == "sorted" {
		lt = t
	}
	out := f.newList(lt, n, n)
	f.copyItems(listBuf(out), iconst(0), src, iconst(0), n)
	switch name {
	case "list":
		return out
	case "sorted":
		f.listSort(out)
		return out
	case "sum":
		acc := f.temp(t)
		f.emit(&ir.Assign{Dst: acc, Src: zeroOf(t.DType)})
		f.listLoop(out, func(k ir.Expr, item *val) {
			f.emit(&ir.Assign{Dst: acc, Src: scalarBin("Add", ref(acc), conv(item.s, t.DType), t.DType)})
		})
		return &val{t: t, s: ref(acc)}
	}
	f.emit(&ir.Check{Cond: cmpE(ir.Gt, n, iconst(0)), Err: ir.ErrValue, Msg: name + "() arg is an empty sequence"})
	best := f.temp(t)
	f.emit(&ir.Assign{Dst: best, Src: conv(load(listBuf(out), iconst(0)), t.DType)})
	op := ir.Lt
	if name == "max" {
		op = ir.Gt
	}
	f.listLoop(out, func(k ir.Expr, item *val) {
		x := f.stableExpr(conv(item.s, t.DType))
		f.emit(&ir.If{Cond: cmpE(op, x, ref(best)), Then: []ir.Stmt{&ir.Assign{Dst: best, Src: x}}})
	})
	return &val{t: t, s: ref(best)}
}

// leafRefs are the IR leaves of the dict or set v as they stand where the
// expressions are read (the arrays and the counts, not copies of them):
// what a function returns for its dict and set parameters (reflectLists).
func leafRefs(v *val) []ir.Expr {
	if v.arr != nil {
		return []ir.Expr{&ir.ArrayRef{Var: v.arr}}
	}
	if len(v.elems) == 0 {
		return []ir.Expr{v.s}
	}
	var out []ir.Expr
	for _, e := range v.elems {
		out = append(out, leafRefs(e)...)
	}
	return out
}

// hashedItems lowers list(d.items()) and sorted(d.items()): a list of
// (key, value) tuples, stored field by field, in insertion order, then
// sorted lexicographically for sorted().
func (f *fn) hashedItems(p dparts, sorted bool, t *types.Type) *val {
	f.compact(p)
	n := f.once(ref(p.nlive))
	out := f.newList(t, n, n)
	bufs := listBufs(out)
	f.copyItems(bufs[0], iconst(0), p.keys, iconst(0), n)
	f.copyItems(bufs[1], iconst(0), p.vals, iconst(0), n)
	if sorted {
		f.listSort(out)
	}
	return out
}
