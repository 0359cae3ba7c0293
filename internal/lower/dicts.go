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
// order. A set's parts are the same, but it keeps CPython's own table
// instead, in which it iterates (pyset.go). All arrays are allocated
// through the runtime (ir.Alloc), as a list's buffer. Integer and bool
// keys compare and hash as int64, float keys as float64 (keyDomain);
// string keys and values are lists of strings (skeys, svals), a dict's
// keys hashed from their code points (strHash), a set's with CPython's
// str hash.

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// hashRepr is the tuple of leaves a dict or set of type t travels as.
// String keys are a list of strings (strListRepr) whose item e is entry
// e's key, in place of the keys' array.
func hashRepr(t *types.Type) *types.Type {
	vd := types.Bool
	if t.Kind == types.Dict {
		vd = t.Value().DType
	}
	arr := func(d types.DType) *types.Type { return types.ArrayOf(d, 1, 'C') }
	kr := arr(t.Key().DType)
	if strKeys(t) {
		kr = strListRepr
	}
	vr := arr(vd)
	if strValues(t) {
		vr = strListRepr
	}
	return types.TupleOf(kr, vr, arr(types.Bool), arr(types.Int64), i64T, i64T)
}

// strValues reports a dict of string values: they are held as string keys
// are, a list of strings whose item e is entry e's value.
func strValues(t *types.Type) bool { return t.Kind == types.Dict && t.Value().Kind == types.Str }

// strKeys reports a dict or set of string keys.
func strKeys(t *types.Type) bool { return t.Key().Kind == types.Str }

// fixHashed sets a dict or set val's type and truth value.
func fixHashed(v *val, t *types.Type) *val {
	v.t = t
	v.s = cmpE(ir.Ne, v.elems[5].s, ir.IntConst(0))
	return v
}

// dparts are the variables of a dict or set.
type dparts struct {
	keys, vals, live, table *ir.Var
	// skeys holds string keys (keys is then nil): a list of strings whose
	// item e is entry e's key, its length kept at the entries used.
	skeys *val
	// svals holds string values (vals is then nil), as skeys keys.
	svals        *val
	nused, nlive *ir.Var
	t            *types.Type
}

func partsOf(v *val) dparts {
	p := dparts{live: v.elems[2].arr, table: v.elems[3].arr,
		nused: v.elems[4].s.(*ir.Ref).Var, nlive: v.elems[5].s.(*ir.Ref).Var, t: v.t}
	if strValues(v.t) {
		p.svals = fixList(v.elems[1], types.ListOf(types.StrT))
	} else {
		p.vals = v.elems[1].arr
	}
	if strKeys(v.t) {
		p.skeys = fixList(v.elems[0], types.ListOf(types.StrT))
	} else {
		p.keys = v.elems[0].arr
	}
	return p
}

func (p dparts) val() *val {
	first := p.skeys
	if first == nil {
		first = &val{t: p.keys.Type, arr: p.keys}
	}
	second := p.svals
	if second == nil {
		second = &val{t: p.vals.Type, arr: p.vals}
	}
	v := &val{t: p.t, elems: []*val{first, second,
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
	tsize := ibin(ir.Mul, capacity, iconst(2))
	if pyOrder(t) {
		// The slots, then the fill count, then for strings each slot's
		// hash (pyset.go).
		tsize = ibin(ir.Add, capacity, iconst(1))
		if strKeys(t) {
			tsize = ibin(ir.Add, ibin(ir.Mul, capacity, iconst(2)), iconst(1))
		}
	}
	p := dparts{t: t,
		live:  f.alloc(r.Elems[2], []ir.Expr{capacity}),
		table: f.alloc(r.Elems[3], []ir.Expr{tsize}),
		nused: f.temp(i64T), nlive: f.temp(i64T)}
	if strKeys(t) {
		p.skeys = f.newStrList(types.ListOf(types.StrT), capacity)
	} else {
		p.keys = f.alloc(r.Elems[0], []ir.Expr{capacity})
	}
	if strValues(t) {
		p.svals = f.newStrList(types.ListOf(types.StrT), capacity)
	} else {
		p.vals = f.alloc(r.Elems[1], []ir.Expr{capacity})
	}
	f.zeroFill(p.table)
	f.emit(&ir.Assign{Dst: p.nused, Src: iconst(0)})
	f.emit(&ir.Assign{Dst: p.nlive, Src: iconst(0)})
	if pyOrder(t) {
		f.falseFill(p.live)
		f.emit(&ir.Assign{Dst: p.nused, Src: capacity})
		if p.skeys != nil {
			// Keys by slot: the list's length is the table's size.
			f.emit(&ir.Assign{Dst: lenVar(p.skeys), Src: capacity})
		}
	}
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

// probe looks the key x up: slot is the table slot where it is or where
// it would go, ent its entry or -1.
func (f *fn) probe(p dparts, xv *val) (slot, ent *ir.Var) {
	if pyOrder(p.t) {
		slot, ent, _, _ = f.pyProbe(p, xv, nil)
		return slot, ent
	}
	if p.skeys != nil {
		return f.probeStr(p, xv)
	}
	x := xv.s
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

// strHash is the int64 hash of the string x, from its code points, so
// that equal strings hash alike.
func (f *fn) strHash(x *val) ir.Expr {
	h, k := f.temp(i64T), f.temp(i64T)
	f.emit(&ir.Assign{Dst: h, Src: iconst(0x345678)})
	f.emit(&ir.For{Var: k, Start: iconst(0), Stop: f.once(strLen(x)), Step: iconst(1), Sign: 1, Body: []ir.Stmt{
		&ir.Assign{Dst: h, Src: ibin(ir.Mul, ibin(ir.BitXor, ref(h), conv(load(strArr(x), ref(k)), types.Int64)), iconst(1000003))}}})
	return ref(h)
}

// probeStr is probe for string keys: the table holds entries whose keys
// are compared by length, then code point by code point.
func (f *fn) probeStr(p dparts, x *val) (slot, ent *ir.Var) {
	h := f.stableExpr(f.strHash(x))
	n := f.once(strLen(x))
	slot, ent = f.temp(i64T), f.temp(i64T)
	f.emit(&ir.Assign{Dst: ent, Src: iconst(-1)})
	mask := f.once(ibin(ir.Sub, &ir.Dim{Arr: p.table, Axis: 0}, iconst(1)))
	f.emit(&ir.Assign{Dst: slot, Src: hashSlot(h, mask)})
	t := f.temp(i64T)
	loop := f.sub(func() {
		f.emit(&ir.Assign{Dst: t, Src: load(p.table, ref(slot))})
		f.emit(&ir.If{Cond: cmpE(ir.Eq, ref(t), iconst(0)), Then: []ir.Stmt{&ir.Break{}}})
		e := ibin(ir.Sub, ref(t), iconst(1))
		f.emit(&ir.If{Cond: &ir.Bin{Op: ir.And, X: cmpE(ir.Gt, ref(t), iconst(0)),
			Y: cmpE(ir.Eq, load(slLens(p.skeys), e), n), T: types.BoolT}, Then: f.sub(func() {
			eq := f.stableExpr(f.strEq(f.strListItem(p.skeys, e), x))
			f.emit(&ir.If{Cond: eq, Then: []ir.Stmt{&ir.Assign{Dst: ent, Src: e}, &ir.Break{}}})
		})})
		f.emit(&ir.Assign{Dst: slot, Src: ibin(ir.BitAnd, ibin(ir.Add, ref(slot), iconst(1)), mask)})
	})
	f.emit(&ir.While{Cond: ir.BoolConst(true), Body: loop})
	return slot, ent
}

// keyAt is entry e's key.
func (f *fn) keyAt(p dparts, e ir.Expr) *val {
	if p.skeys != nil {
		return f.strListItem(p.skeys, e)
	}
	return &val{t: p.t.Key(), s: load(p.keys, e)}
}

// putKey stores the key k as entry n's (n is the entries used). A string
// key's text is copied to the end of the keys' pool; the buffers of
// starts and lengths have the entries' capacity, so they never grow here.
func (f *fn) putKey(p dparts, n ir.Expr, k *val) {
	if p.skeys == nil {
		f.emit(store(p.keys, n, k.s))
		return
	}
	f.putText(p.skeys, n, k)
	f.emit(&ir.Assign{Dst: lenVar(p.skeys), Src: ibin(ir.Add, n, iconst(1))})
}

// putText copies the string k to the end of lv's pool and makes it item n
// of lv (whose starts and lengths have room for it).
func (f *fn) putText(lv *val, n ir.Expr, k *val) {
	used := f.once(slUsed(lv))
	m := f.once(strLen(k))
	f.grow(slPool(lv), used, ibin(ir.Add, used, m), 64)
	f.copyItems(slPool(lv), used, strArr(k), iconst(0), m)
	f.emit(store(slStarts(lv), n, used))
	f.emit(store(slLens(lv), n, m))
	f.emit(&ir.Assign{Dst: lv.elems[4].s.(*ir.Ref).Var, Src: ibin(ir.Add, used, m)})
}

// valAt is entry e's value.
func (f *fn) valAt(p dparts, e ir.Expr) *val {
	if p.svals != nil {
		return f.strListItem(p.svals, e)
	}
	return &val{t: p.t.Value(), s: load(p.vals, e)}
}

// putVal stores v as entry n's value (a new entry, or a live one).
func (f *fn) putVal(p dparts, n ir.Expr, v *val) {
	if p.svals != nil {
		f.putText(p.svals, n, v)
		return
	}
	f.emit(store(p.vals, n, v.s))
}

// resultVal is the value x of type t evaluated into a variable of its own,
// which both arms of a lookup (found, default) assign.
func (f *fn) resultVar(t *types.Type) *val {
	if t.Kind == types.Str {
		return strVal(f.temp(u32Arr))
	}
	return &val{t: t, s: &ir.Ref{Var: f.temp(t)}}
}

// setResult assigns x to the variable r made by resultVar.
func (f *fn) setResult(r, x *val) {
	if r.t.Kind == types.Str {
		f.strAssign(r, x)
		return
	}
	f.emit(&ir.Assign{Dst: r.s.(*ir.Ref).Var, Src: conv(x.s, r.t.DType)})
}

// sharePool makes the string list q use lv's pool, its used count at the
// pool's extent so that q's first new text moves the pool to a new buffer
// (lv, a copy's source, may still append into the shared one).
func (f *fn) sharePool(q, lv *val) {
	f.emit(&ir.SetArray{Dst: slPool(q), Src: &ir.Alias{Src: slPool(lv)}})
	f.bind(slPool(q), slPool(lv))
	f.emit(&ir.Assign{Dst: q.elems[4].s.(*ir.Ref).Var, Src: &ir.Dim{Arr: slPool(lv), Axis: 0}})
}

// stableKey is the key x evaluated once: a scalar into a temporary, a
// string as a view of its own variable.
func (f *fn) stableKey(x *val) *val {
	if x.t.Kind == types.Str {
		return f.strView(x, iconst(0), strLen(x))
	}
	return &val{t: x.t, s: f.stableExpr(x.s)}
}

// eachLive runs body(e) for each live entry e of p, in insertion order.
func (f *fn) eachLive(p dparts, body func(e ir.Expr)) {
	e := f.temp(i64T)
	n := f.once(ref(p.nused)) // a set in CPython's order: its table size
	b := f.sub(func() {
		f.emit(&ir.If{Cond: load(p.live, ref(e)), Then: f.sub(func() { body(ref(e)) })})
	})
	f.emit(&ir.For{Var: e, Start: iconst(0), Stop: n, Step: iconst(1), Sign: 1, Body: b})
}

// rebuildInto copies p's live entries, in order, into a new dict or set of
// type t (converting) with entries for capacity items.
func (f *fn) rebuildInto(p dparts, t *types.Type, capacity ir.Expr) dparts {
	if pyOrder(t) {
		return f.pyCopy(p, t)
	}
	q := f.newHashed(t, capacity)
	// String keys and values stay where they are: q's point into p's
	// pools (sharePool).
	if p.skeys != nil {
		f.sharePool(q.skeys, p.skeys)
	}
	if p.svals != nil && q.svals != nil {
		f.sharePool(q.svals, p.svals)
	}
	mask := f.once(ibin(ir.Sub, &ir.Dim{Arr: q.table, Axis: 0}, iconst(1)))
	f.eachLive(p, func(e ir.Expr) {
		j := ref(q.nused)
		var h ir.Expr
		if p.skeys != nil {
			// The text stays where it is: q's keys point into p's pool.
			f.emit(store(slStarts(q.skeys), j, load(slStarts(p.skeys), e)))
			f.emit(store(slLens(q.skeys), j, load(slLens(p.skeys), e)))
			h = f.strHash(f.keyAt(p, e))
		} else {
			k := f.stableExpr(load(p.keys, e))
			f.emit(store(q.keys, j, k))
			h = keyHash(q, stored(q, k))
		}
		if p.svals != nil {
			f.emit(store(slStarts(q.svals), j, load(slStarts(p.svals), e)))
			f.emit(store(slLens(q.svals), j, load(slLens(p.svals), e)))
		} else {
			f.emit(store(q.vals, j, load(p.vals, e)))
		}
		f.emit(store(q.live, j, ir.BoolConst(true)))
		slot := f.temp(i64T)
		f.emit(&ir.Assign{Dst: slot, Src: hashSlot(h, mask)})
		f.emit(&ir.While{Cond: cmpE(ir.Ne, load(q.table, ref(slot)), iconst(0)), Body: []ir.Stmt{
			&ir.Assign{Dst: slot, Src: ibin(ir.BitAnd, ibin(ir.Add, ref(slot), iconst(1)), mask)}}})
		f.emit(store(q.table, ref(slot), ibin(ir.Add, j, iconst(1))))
		f.emit(&ir.Assign{Dst: q.nused, Src: ibin(ir.Add, j, iconst(1))})
	})
	f.emit(&ir.Assign{Dst: q.nlive, Src: ref(q.nused)})
	if q.skeys != nil {
		f.emit(&ir.Assign{Dst: lenVar(q.skeys), Src: ref(q.nused)})
	}
	return q
}

// setParts makes the variables of dst hold q (same dtypes).
func (f *fn) setParts(dst, q dparts) {
	pairs := [][2]*ir.Var{{dst.live, q.live}, {dst.table, q.table}}
	if dst.skeys != nil {
		f.strListAssign(dst.skeys, q.skeys)
	} else {
		pairs = append(pairs, [2]*ir.Var{dst.keys, q.keys})
	}
	if dst.svals != nil {
		f.strListAssign(dst.svals, q.svals)
	} else {
		pairs = append(pairs, [2]*ir.Var{dst.vals, q.vals})
	}
	for _, pr := range pairs {
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
	f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(p.nused), &ir.Dim{Arr: p.live, Axis: 0}), Then: grow})
}

// compact rebuilds p when it has dead entries, so that its live entries
// are its first len entries.
func (f *fn) compact(p dparts) {
	if pyOrder(p.t) {
		return // iterated slot by slot (eachLive)
	}
	f.emit(&ir.If{Cond: cmpE(ir.Ne, ref(p.nused), ref(p.nlive)), Then: f.sub(func() {
		f.rebuild(p, &ir.Dim{Arr: p.live, Axis: 0})
	})})
}

// insert sets p[k] = v (v nil for a set); returns the entry.
func (f *fn) insert(p dparts, kv *val, v *val) *ir.Var {
	kv = f.stableKey(kv)
	if v != nil {
		v = f.stableKey(v)
	}
	if p.skeys == nil && floatKeys(p.t) {
		kf := conv(kv.s, types.Float64)
		f.emit(&ir.Check{Cond: cmpE(ir.Eq, kf, kf), Err: ir.ErrValue,
			Msg: "NaN dict keys and set items are not supported (CPython tells NaNs apart by identity)"})
	}
	if pyOrder(p.t) {
		return f.pyInsert(p, kv, nil)
	}
	f.reserveOne(p)
	slot, ent := f.probe(p, kv)
	var upd []ir.Stmt
	if v != nil {
		upd = f.sub(func() { f.putVal(p, ref(ent), v) })
	}
	n := ref(p.nused)
	add := f.sub(func() {
		f.putKey(p, n, kv)
		f.emit(store(p.live, n, ir.BoolConst(true)))
		if v != nil {
			f.putVal(p, n, v)
		} else {
			f.emit(store(p.vals, n, ir.BoolConst(true)))
		}
		f.emit(store(p.table, ref(slot), ibin(ir.Add, n, iconst(1))))
		f.emit(&ir.Assign{Dst: ent, Src: n})
		f.emit(&ir.Assign{Dst: p.nused, Src: ibin(ir.Add, n, iconst(1))})
		f.emit(&ir.Assign{Dst: p.nlive, Src: ibin(ir.Add, ref(p.nlive), iconst(1))})
	})
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
func (f *fn) keyError(ent *ir.Var, xv *val, kt *types.Type) {
	if kt.Kind == types.Str {
		// The runtime's print hook formats the key's text after the
		// prefix into the message (cut at 255 bytes), and the runtime
		// raises KeyError(text).
		f.emit(&ir.If{Cond: cmpE(ir.Lt, ref(ent), iconst(0)), Then: []ir.Stmt{&ir.Print{Line: f.line, Raise: ir.ErrKind(9),
			Items: []ir.PrintItem{{Kind: ir.PrintText, Text: "sejit:key:str:"},
				{Kind: ir.PrintValue, Val: &ir.ArrayRef{Var: strArr(xv)}, Str: true, Fmt: true, Join: true}}}}})
		return
	}
	x := xv.s
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
		var ks, vs []*val
		for i := range e.Keys {
			ks = append(ks, f.stableKey(f.expr(e.Keys[i])))
			vs = append(vs, f.stableKey(f.expr(e.Values[i])))
		}
		p := f.newHashed(t, iconst(capFor(len(ks))))
		for i := range ks {
			f.insert(p, ks[i], vs[i])
		}
		return p.val(), true
	case *pyast.Set:
		var ks []*val
		for _, x := range e.Elts {
			ks = append(ks, f.stableKey(f.expr(x)))
		}
		if e.Const != nil && len(ks) >= 3 && pyOrder(t) && validLayout(e.Const, len(ks)) {
			return f.pyConstSet(e.Const, ks, t).val(), true
		}
		c := capFor(len(ks))
		if pyOrder(t) {
			c = 8 // BUILD_SET: an empty set, then each item added
		}
		p := f.newHashed(t, iconst(c))
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
				k := f.stableKey(f.expr(dc.Key))
				f.insert(p, k, f.expr(dc.Value))
			})
		} else {
			sc := e.(*pyast.SetComp)
			f.compLoops(sc.Generators, nil, func() { f.insert(p, f.expr(sc.Elt), nil) })
		}
		return lv, true
	case *pyast.Subscript:
		if !f.typeOf(e.Value).IsHashed() {
			return nil, false
		}
		p := f.hashedVar(e.Value)
		kv := f.expr(e.Index)
		k := f.stableKey(kv)
		_, ent := f.probe(p, k)
		f.keyError(ent, k, kv.t)
		if p.svals != nil {
			return f.valAt(p, ref(ent)), true
		}
		return &val{t: t, s: f.stableExpr(conv(load(p.vals, ref(ent)), t.DType))}, true
	case *pyast.Compare:
		if len(e.Ops) != 1 || (e.Ops[0] != "In" && e.Ops[0] != "NotIn") || !f.typeOf(e.Comparators[0]).IsHashed() {
			return nil, false
		}
		k := f.stableKey(f.expr(e.Left))
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
		// Sets only: every set keeps CPython's table (pyset.go).
		a, b := partsOf(f.expr(e.Left)), partsOf(f.expr(e.Right))
		ln, lok := e.Left.(*pyast.Name)
		rn, rok := e.Right.(*pyast.Name)
		same := lok && rok && ln.ID == rn.ID
		return f.pySetOp(e.Op, a, b, t, same).val(), true
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
		if len(e.Args) == 1 && pyOrder(t) {
			switch at := f.typeOf(e.Args[0]); at.Kind {
			case types.Set:
				// set_update_internal: set_merge of the argument's table.
				return f.pyCopy(f.hashedVar(e.Args[0]), t).val(), true
			case types.Dict:
				// set_update_internal sizes the table for the dict's
				// keys first, then adds them in order.
				d := f.hashedVar(e.Args[0])
				n := f.once(ref(d.nlive))
				size := f.temp(i64T)
				f.emit(&ir.Assign{Dst: size, Src: iconst(8)})
				f.emit(&ir.If{Cond: cmpE(ir.Ge, ibin(ir.Mul, n, iconst(5)), iconst(21)), Then: f.sub(func() {
					f.emit(&ir.Assign{Dst: size, Src: f.pySizeFor(ibin(ir.Mul, n, iconst(2)))})
				})})
				p := f.newHashed(t, ref(size))
				pl := f.plan(e.Args[0])
				f.forCount(pl.n, func(k ir.Expr) { f.insert(p, pl.item(k), nil) })
				return p.val(), true
			}
		}
		p := f.newHashed(t, iconst(8))
		if len(e.Args) == 1 { // set(iterable)
			pl := f.plan(e.Args[0])
			f.forCount(pl.n, func(k ir.Expr) { f.insert(p, pl.item(k), nil) })
		}
		return p.val(), true
	case "builtins.len":
		if len(e.Args) != 1 || !f.typeOf(e.Args[0]).IsHashed() {
			return nil, false
		}
		p := f.hashedVar(e.Args[0])
		return &val{t: t, s: ref(p.nlive)}, true
	}
	switch ft.Name {
	case "builtins.list", "builtins.sorted", "builtins.sum", "builtins.min", "builtins.max":
		if recv, reverse, ok := types.SortedByValue(e); ok && ft.Name == "builtins.sorted" && f.typeOf(recv).Kind == types.Dict {
			return f.sortedByValue(f.hashedVar(recv), reverse, t), true
		}
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
		args[i] = f.stableKey(f.expr(a))
	}
	none := &val{t: types.NoneT}
	switch name {
	case "copy":
		return f.rebuildInto(p, t, &ir.Dim{Arr: p.live, Axis: 0}).val(), true
	case "clear":
		if p.skeys != nil {
			// A new pool: strings read from the keys stay views of the old one.
			f.strListAssign(p.skeys, f.newStrList(types.ListOf(types.StrT), &ir.Dim{Arr: p.live, Axis: 0}))
		}
		if p.svals != nil {
			f.strListAssign(p.svals, f.newStrList(types.ListOf(types.StrT), &ir.Dim{Arr: p.live, Axis: 0}))
		}
		if pyOrder(p.t) {
			// CPython frees the table: the set starts over at 8 slots.
			f.setParts(p, f.newHashed(p.t, iconst(8)))
			return none, true
		}
		f.zeroFill(p.table)
		f.emit(&ir.Assign{Dst: p.nused, Src: iconst(0)})
		f.emit(&ir.Assign{Dst: p.nlive, Src: iconst(0)})
		return none, true
	case "add":
		f.insert(p, args[0], nil)
		return none, true
	case "discard", "remove":
		slot, ent := f.probe(p, args[0])
		if name == "remove" {
			f.keyError(ent, args[0], args[0].t)
		}
		f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(ent), iconst(0)), Then: f.removeEntry(p, ref(slot), ref(ent))})
		return none, true
	case "get", "pop":
		slot, ent := f.probe(p, args[0])
		// The value found (and the entry removed, for pop) and the default
		// given: string values go to a string variable either arm assigns,
		// numbers to a temporary.
		var out *val
		var found, missing []ir.Stmt
		if p.svals != nil {
			out = f.resultVar(t)
			found = f.sub(func() { f.setResult(out, f.valAt(p, ref(ent))) })
			if len(args) > 1 {
				missing = f.sub(func() { f.setResult(out, args[1]) })
			}
		} else {
			res := f.temp(t)
			out = &val{t: t, s: ref(res)}
			found = []ir.Stmt{&ir.Assign{Dst: res, Src: conv(load(p.vals, ref(ent)), t.DType)}}
			if len(args) > 1 {
				missing = []ir.Stmt{&ir.Assign{Dst: res, Src: conv(args[1].s, t.DType)}}
			}
		}
		if name == "pop" {
			found = append(found, f.removeEntry(p, ref(slot), ref(ent))...)
		}
		if len(args) == 1 {
			f.keyError(ent, args[0], args[0].t)
			for _, s := range found {
				f.emit(s)
			}
		} else {
			f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(ent), iconst(0)), Then: found, Else: missing})
		}
		return out, true
	case "setdefault":
		_, ent := f.probe(p, args[0])
		f.emit(&ir.If{Cond: cmpE(ir.Lt, ref(ent), iconst(0)), Then: f.sub(func() {
			e2 := f.insert(p, args[0], args[1])
			f.emit(&ir.Assign{Dst: ent, Src: ref(e2)})
		})})
		if p.svals != nil {
			return f.valAt(p, ref(ent)), true
		}
		return &val{t: t, s: f.stableExpr(conv(load(p.vals, ref(ent)), t.DType))}, true
	}
	f.errorf(e.P, diag.Internal, "%s cannot be lowered", ft.Name)
	return none, true
}

// dictStore lowers d[k] = value (op: d[k] op= value).
func (f *fn) dictStore(t *pyast.Subscript, value func() *val, op string, opType *types.Type) {
	p := f.hashedVar(t.Value)
	kv := f.expr(t.Index)
	k := f.stableKey(kv)
	if op == "" {
		f.insert(p, k, value())
		return
	}
	_, ent := f.probe(p, k)
	f.keyError(ent, k, kv.t)
	var res *val
	if p.svals != nil {
		res = f.strBinop(op, f.valAt(p, ref(ent)), value()) // d[k] += s
	} else {
		old := &val{t: p.t.Value(), s: f.stableExpr(load(p.vals, ref(ent)))}
		res = f.binop(op, old, value(), opType, t.P)
	}
	// The right side may have removed the key or rebuilt the dict
	// (d[k] += d.pop(k)): store as d[k] = res does.
	f.insert(p, k, res)
}

// delItem lowers del d[k].
func (f *fn) delItem(t *pyast.Subscript) {
	if f.typeOf(t.Value).Kind == types.List {
		f.listDel(t) // list_inplace.go
		return
	}
	p := f.hashedVar(t.Value)
	kv := f.expr(t.Index)
	k := f.stableKey(kv)
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
	} else if t := f.typeOf(e); t.Kind == types.Set && pyOrder(t) {
		var p dparts
		if d, ok := e.(*pyast.Set); ok && d.Const != nil && validLayout(d.Const, len(d.Elts)) {
			// CPython iterates the frozenset constant itself (its AST
			// optimizer makes `for x in {...}` of constants one).
			var ks []*val
			for _, x := range d.Elts {
				ks = append(ks, f.stableKey(f.expr(x)))
			}
			p = f.pyFrozenConst(d.Const, ks, t)
		} else {
			p = f.hashedVar(e)
		}
		items := f.pyItems(p, types.ListOf(t.Key()))
		if strKeys(t) {
			return f.strListPlan(items), true
		}
		return f.listPlan(items), true
	} else if t.Kind != types.Dict {
		return nil, false
	}
	p := f.hashedVar(e)
	f.compact(p)
	n := f.once(ref(p.nlive))
	kt, vt := p.t.Key(), p.t.Value()
	return &iterPlan{n: n, item: func(k ir.Expr) *val {
		key := f.keyAt(p, k)
		var value *val
		if p.svals != nil {
			value = f.valAt(p, k)
		} else {
			value = &val{t: vt, s: load(p.vals, k)}
		}
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
	if (q.skeys == nil) != (d.skeys == nil) || (q.svals == nil) != (d.svals == nil) {
		// `{}` or set() typed where it stands, before its string keys
		// were known: empty.
		q = f.newHashed(dst.t, iconst(8))
	}
	if q.keys != nil && q.keys.Type.DType != d.keys.Type.DType || q.vals != nil && q.vals.Type.DType != d.vals.Type.DType {
		q = f.rebuildInto(q, dst.t, &ir.Dim{Arr: q.live, Axis: 0})
	}
	f.setParts(d, q)
}

// hashedReduce lowers list(), sorted(), sum(), min() and max() of p's
// keys (or values): a list of them in insertion order, then the list's
// operation.
func (f *fn) hashedReduce(p dparts, values bool, name string, t *types.Type) *val {
	f.compact(p)
	n := f.once(ref(p.nlive))
	if p.skeys != nil && !values || p.svals != nil && values {
		return f.strItemsReduce(p, values, n, name, t)
	}
	src, el := p.keys, p.t.Key()
	if values {
		src, el = p.vals, p.t.Value()
	}
	lt := types.ListOf(el)
	if name == "list" || name == "sorted" {
		lt = t
	}
	var out *val
	if pyOrder(p.t) {
		out = f.pyItems(p, lt)
	} else {
		out = f.newList(lt, n, n)
		f.copyItems(listBuf(out), iconst(0), src, iconst(0), n)
	}
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

// strItemsReduce lowers list(), sorted(), min() and max() of a dict's or
// set's string keys or a dict's string values (compacted, n of them): a list of them in insertion
// order, then the list's operation.
func (f *fn) strItemsReduce(p dparts, values bool, n ir.Expr, name string, t *types.Type) *val {
	var out *val
	if pyOrder(p.t) {
		out = f.pyItems(p, types.ListOf(types.StrT)) // a set's keys, slot by slot
	} else {
		out = f.newStrList(types.ListOf(types.StrT), n)
		f.forCount(n, func(k ir.Expr) {
			if values {
				f.strListAppend(out, f.valAt(p, k))
			} else {
				f.strListAppend(out, f.keyAt(p, k))
			}
		})
	}
	switch name {
	case "list":
		return out
	case "sorted":
		f.strListSort(out)
		return out
	}
	return f.strListReduce(out, name, t)
}

// sortedByValue lowers sorted(d, key=d.get, reverse=r): a stable argsort of
// the values (sortPerm) orders the keys. reverse=True is CPython's own
// construction: the entries reversed, sorted, and the result reversed, so
// that keys of equal values keep their insertion order either way.
func (f *fn) sortedByValue(p dparts, reverse pyast.Expr, t *types.Type) *val {
	f.compact(p)
	n := f.once(ref(p.nlive))
	var rev ir.Expr = ir.BoolConst(false)
	if reverse != nil {
		rv := f.expr(reverse)
		rev = f.stableExpr(cmpE(ir.Ne, conv(rv.s, types.Int64), iconst(0)))
	}
	sel := func(c, a, b ir.Expr) ir.Expr { return &ir.Select{Cond: c, X: a, Y: b, T: i64T} }
	last := func(i ir.Expr) ir.Expr { return ibin(ir.Sub, ibin(ir.Sub, n, iconst(1)), i) }
	vals := f.alloc(types.ArrayOf(p.vals.Type.DType, 1, 'C'), []ir.Expr{n})
	f.forCount(n, func(k ir.Expr) {
		f.emit(store(vals, k, load(p.vals, sel(rev, last(k), k))))
	})
	perm := f.sortPerm([]*ir.Var{vals}, n)
	entry := func(k ir.Expr) ir.Expr {
		return f.stableExpr(sel(rev, last(load(perm, last(k))), load(perm, k)))
	}
	if p.skeys != nil {
		out := f.newStrList(t, n)
		f.forCount(n, func(k ir.Expr) { f.strListAppend(out, f.keyAt(p, entry(k))) })
		return out
	}
	out := f.newList(t, n, n)
	f.forCount(n, func(k ir.Expr) { f.emit(store(listBuf(out), k, load(p.keys, entry(k)))) })
	return out
}

// entryHashed builds the hash tables of the entry's dict and set
// parameters: Python passes their entries (keys, values, live flags, in
// insertion order) with an empty table (python/sejit/lists.py,
// hashed_leaves), since the hash functions are the kernel's; a rebuild
// inserts every entry into new parts of the same capacity.
func (f *fn) entryHashed() {
	for i, name := range f.spec.Func.Params {
		if i < len(f.spec.Args) && f.spec.Args[i].IsHashed() {
			p := partsOf(f.vars[name])
			if pyOrder(p.t) {
				f.pyEntry(p)
				continue
			}
			f.rebuild(p, &ir.Dim{Arr: p.live, Axis: 0})
		}
	}
}
