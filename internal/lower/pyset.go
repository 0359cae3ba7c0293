package lower

// Sets in CPython's order. CPython iterates a set slot by slot through
// its hash table (Objects/setobject.c), so the order of `for x in s` and
// `list(s)` is the table's layout, which depends on the items' hashes, the
// table's size and the history of adds, discards and resizes. A set of
// bools, integers, floats or strings therefore keeps the table itself, rebuilt here with CPython's rules (3.11 to 3.13 share them):
// the keys, the live flags and the int64 slots are all indexed by slot
// (slot s holds 0 when empty, -1 when a discard left a dummy there, s+1
// when it holds a key), one more int64 after the slots counts the fill
// (keys and dummies), the entries used are the table's size (so that the
// runtime's and eachLive's walk over the first "used" entries is a walk
// over every slot, in order), and the live count is len. The table starts
// at 8 slots; a probe looks at slot hash & mask and the 9 after it when
// they are inside the table (LINEAR_PROBES), then jumps to
// (i*5 + 1 + perturb) & mask with perturb the hash shifted right by 5 more
// each time; an add takes the last dummy it passed, or else the empty
// slot that ended its probe, and when the fill reaches 3/5 of the mask the
// table is rebuilt at the smallest power of two above 4 (2 past 50000)
// times the live count, the live keys inserted in slot order. Copies,
// unions, intersections and differences follow set_merge,
// set_intersection and set_difference, which decide what the result's
// layout is. Hashes are Python's numeric hash (FnPyHashInt,
// FnPyHashFloat) and, for strings, hash(s) itself (HelperStrHash):
// CPython's SipHash-1-3 under the process's key, which the runtime hands
// every call (sejit_ctx.strhash), so a set of strings iterates as it does
// in CPython under any PYTHONHASHSEED. A string set keeps its keys as a
// list of strings indexed by slot and, as CPython's entries do, each
// slot's hash after the fill count (the table is 2*size+1 int64s), so
// that probes compare hashes before text and resizes never hash again.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// pyOrder reports a set kept in CPython's layout: every set.
func pyOrder(t *types.Type) bool { return t.Kind == types.Set }

// falseFill sets every element of the bool array a to false.
func (f *fn) falseFill(a *ir.Var) {
	k := f.temp(i64T)
	f.emit(&ir.Nest{Vars: []*ir.Var{k}, Bounds: []ir.Expr{&ir.Dim{Arr: a, Axis: 0}},
		Body: []ir.Stmt{store(a, ref(k), ir.BoolConst(false))}})
}

// pySize is the number of slots of p's table.
func pySize(p dparts) ir.Expr { return &ir.Dim{Arr: p.live, Axis: 0} }

// pyFill is p's fill count (keys and dummies), kept after the slots.
func pyFill(p dparts) ir.Expr { return load(p.table, pySize(p)) }

func (f *fn) setFill(p dparts, x ir.Expr) { f.emit(store(p.table, pySize(p), x)) }

// pyHash is CPython's hash of kd, a key in p's domain.
func pyHash(p dparts, kd ir.Expr) ir.Expr {
	if floatKeys(p.t) {
		return intr(ir.FnPyHashFloat, i64T, kd)
	}
	return intr(ir.FnPyHashInt, i64T, kd)
}

// pyStrHash is hash(x) of the string x, CPython's in this process.
func (f *fn) pyStrHash(x *val) ir.Expr {
	return ref(f.call1(ir.HelperStrHash, i64T, aref(strArr(x))))
}

// pyHashAt is the hash of the key in slot e of p: kept beside the slots
// for strings, the numeric hash of the key for numbers.
func (f *fn) pyHashAt(p dparts, e ir.Expr) ir.Expr {
	if p.skeys != nil {
		return load(p.table, ibin(ir.Add, ibin(ir.Add, pySize(p), iconst(1)), e))
	}
	return pyHash(p, stored(p, load(p.keys, e)))
}

// pyWalk emits CPython's probe sequence for the hash h in p's table:
// visit(e) runs at each slot e visited, in order, inside a loop that
// visit's statements leave with ir.Break.
func (f *fn) pyWalk(p dparts, h ir.Expr, visit func(e ir.Expr) []ir.Stmt) {
	h = f.stableExpr(h)
	mask := f.once(ibin(ir.Sub, pySize(p), iconst(1)))
	i, j, probes, perturb := f.temp(i64T), f.temp(i64T), f.temp(i64T), f.temp(i64T)
	nprobes := func() ir.Expr {
		return &ir.Select{Cond: cmpE(ir.Le, ibin(ir.Add, ref(i), iconst(9)), mask), X: iconst(9), Y: iconst(0), T: i64T}
	}
	f.emit(&ir.Assign{Dst: i, Src: ibin(ir.BitAnd, h, mask)})
	f.emit(&ir.Assign{Dst: j, Src: iconst(0)})
	f.emit(&ir.Assign{Dst: probes, Src: nprobes()})
	f.emit(&ir.Assign{Dst: perturb, Src: h})
	body := visit(ibin(ir.Add, ref(i), ref(j)))
	// perturb is unsigned in CPython: after the first shift it is below
	// 2**59, where an arithmetic shift is a logical one.
	body = append(body, &ir.If{Cond: cmpE(ir.Lt, ref(j), ref(probes)),
		Then: []ir.Stmt{&ir.Assign{Dst: j, Src: ibin(ir.Add, ref(j), iconst(1))}},
		Else: []ir.Stmt{
			&ir.Assign{Dst: perturb, Src: ibin(ir.BitAnd, ibin(ir.Shr, ref(perturb), iconst(5)), iconst(1<<59-1))},
			&ir.Assign{Dst: i, Src: ibin(ir.BitAnd, ibin(ir.Add, ibin(ir.Add, ibin(ir.Mul, ref(i), iconst(5)), iconst(1)), ref(perturb)), mask)},
			&ir.Assign{Dst: j, Src: iconst(0)},
			&ir.Assign{Dst: probes, Src: nprobes()},
		}})
	f.emit(&ir.While{Cond: ir.BoolConst(true), Body: body})
}

// pyProbe looks the key x up in p (set_lookkey, and set_add_entry's
// search): ent is its slot or -1; slot is the empty slot that ended the
// search, free the last dummy passed (-1: none); h is x's hash (given, or
// nil to compute it here), which pyInsert stores with a string key.
func (f *fn) pyProbe(p dparts, xv *val, h ir.Expr) (slot, ent, free *ir.Var, hv ir.Expr) {
	var kd, valid ir.Expr
	if p.skeys != nil {
		if h == nil {
			h = f.pyStrHash(xv)
		}
	} else {
		kd, valid = f.keyDomain(p, xv.s)
		kd = f.stableExpr(kd)
		if h == nil {
			h = pyHash(p, kd)
		}
	}
	hv = f.stableExpr(h)
	slot, ent, free = f.temp(i64T), f.temp(i64T), f.temp(i64T)
	f.emit(&ir.Assign{Dst: slot, Src: iconst(0)})
	f.emit(&ir.Assign{Dst: ent, Src: iconst(-1)})
	f.emit(&ir.Assign{Dst: free, Src: iconst(-1)})
	body := f.sub(func() {
		t, e := f.temp(i64T), f.temp(i64T)
		f.pyWalk(p, hv, func(ex ir.Expr) []ir.Stmt {
			found := []ir.Stmt{&ir.Assign{Dst: ent, Src: ref(e)}, &ir.Assign{Dst: slot, Src: ref(e)}, &ir.Break{}}
			var match []ir.Stmt
			if p.skeys != nil {
				// CPython compares the stored hash first, then the text.
				match = f.sub(func() {
					f.emit(&ir.If{Cond: cmpE(ir.Eq, f.pyHashAt(p, ref(e)), hv), Then: f.sub(func() {
						eq := f.stableExpr(f.strEq(f.keyAt(p, ref(e)), xv))
						f.emit(&ir.If{Cond: eq, Then: found})
					})})
				})
			} else {
				match = []ir.Stmt{&ir.If{Cond: cmpE(ir.Eq, stored(p, load(p.keys, ref(e))), kd), Then: found}}
			}
			return []ir.Stmt{
				&ir.Assign{Dst: e, Src: ex},
				&ir.Assign{Dst: t, Src: load(p.table, ref(e))},
				&ir.If{Cond: cmpE(ir.Eq, ref(t), iconst(0)), Then: []ir.Stmt{
					&ir.Assign{Dst: slot, Src: ref(e)}, &ir.Break{}}},
				&ir.If{Cond: cmpE(ir.Gt, ref(t), iconst(0)),
					Then: match,
					// CPython keeps the last dummy passed, not the first.
					Else: []ir.Stmt{&ir.Assign{Dst: free, Src: ref(e)}}},
			}
		})
	})
	if valid == nil {
		for _, s := range body {
			f.emit(s)
		}
	} else {
		f.emit(&ir.If{Cond: valid, Then: body})
	}
	return slot, ent, free, hv
}

// pyPut stores the key k, whose hash is h, in slot s of p. A string key's
// text is copied to the end of the keys' pool; the buffers of starts and
// lengths have one item per slot.
func (f *fn) pyPut(p dparts, s ir.Expr, k *val, h ir.Expr) {
	if p.skeys != nil {
		f.putText(p.skeys, s, k)
		f.emit(store(p.table, ibin(ir.Add, ibin(ir.Add, pySize(p), iconst(1)), s), h))
	} else {
		f.putKey(p, s, k)
	}
	f.emit(store(p.live, s, ir.BoolConst(true)))
	f.emit(store(p.vals, s, ir.BoolConst(true)))
	f.emit(store(p.table, s, ibin(ir.Add, s, iconst(1))))
}

// pyInsert adds the key kv to p (set_add_entry); returns its slot. h is
// kv's hash when the caller knows it (a key taken from another set), else
// nil.
func (f *fn) pyInsert(p dparts, kv *val, h ir.Expr) *ir.Var {
	slot, ent, free, hv := f.pyProbe(p, kv, h)
	reuse := f.sub(func() {
		f.pyPut(p, ref(free), kv, hv)
		f.emit(&ir.Assign{Dst: ent, Src: ref(free)})
		f.emit(&ir.Assign{Dst: p.nlive, Src: ibin(ir.Add, ref(p.nlive), iconst(1))})
	})
	fresh := f.sub(func() {
		f.pyPut(p, ref(slot), kv, hv)
		f.emit(&ir.Assign{Dst: ent, Src: ref(slot)})
		f.emit(&ir.Assign{Dst: p.nlive, Src: ibin(ir.Add, ref(p.nlive), iconst(1))})
		fill := f.stableExpr(ibin(ir.Add, pyFill(p), iconst(1)))
		f.setFill(p, fill)
		mask := ibin(ir.Sub, pySize(p), iconst(1))
		grow := f.sub(func() {
			used := ref(p.nlive)
			f.pyResize(p, &ir.Select{Cond: cmpE(ir.Gt, used, iconst(50000)),
				X: ibin(ir.Mul, used, iconst(2)), Y: ibin(ir.Mul, used, iconst(4)), T: i64T})
		})
		f.emit(&ir.If{Cond: cmpE(ir.Ge, ibin(ir.Mul, fill, iconst(5)), ibin(ir.Mul, mask, iconst(3))), Then: grow})
	})
	f.emit(&ir.If{Cond: cmpE(ir.Lt, ref(ent), iconst(0)), Then: []ir.Stmt{
		&ir.If{Cond: cmpE(ir.Ge, ref(free), iconst(0)), Then: reuse, Else: fresh}}})
	return ent
}

// pySizeFor is the smallest table size (a power of two, at least 8) above
// minused (set_table_resize).
func (f *fn) pySizeFor(minused ir.Expr) ir.Expr {
	minused = f.once(minused)
	c := f.temp(i64T)
	f.emit(&ir.Assign{Dst: c, Src: iconst(8)})
	f.emit(&ir.While{Cond: cmpE(ir.Le, ref(c), minused), Body: []ir.Stmt{
		&ir.Assign{Dst: c, Src: ibin(ir.Mul, ref(c), iconst(2))}}})
	return ref(c)
}

// pyInsertClean puts the key k, not in q, whose hash is h, into q's
// first empty slot along its probe sequence (set_insert_clean: q has no
// dummies); counts are the caller's.
func (f *fn) pyInsertClean(q dparts, k *val, h ir.Expr) {
	k = f.stableKey(k)
	h = f.stableExpr(h)
	e := f.temp(i64T)
	f.pyWalk(q, h, func(ex ir.Expr) []ir.Stmt {
		return []ir.Stmt{&ir.Assign{Dst: e, Src: ex},
			&ir.If{Cond: cmpE(ir.Eq, load(q.table, ref(e)), iconst(0)), Then: []ir.Stmt{&ir.Break{}}}}
	})
	f.pyPut(q, ref(e), k, h)
}

// pyResize rebuilds p's table at the size for minused, its live keys
// inserted in slot order; the fill becomes len.
func (f *fn) pyResize(p dparts, minused ir.Expr) {
	q := f.newHashed(p.t, f.pySizeFor(minused))
	f.eachLive(p, func(e ir.Expr) { f.pyInsertClean(q, f.keyAt(p, e), f.pyHashAt(p, e)) })
	f.emit(&ir.Assign{Dst: q.nlive, Src: ref(p.nlive)})
	f.setFill(q, ref(p.nlive))
	f.setParts(p, q)
}

// pyMerge adds the keys of the set b to q (set_merge): one resize first
// when they may not fit; into an empty q, b's layout itself when the
// sizes agree and b has no dummies; else each key in b's slot order.
func (f *fn) pyMerge(q, b dparts) {
	bused := f.once(ref(b.nlive))
	f.emit(&ir.If{Cond: cmpE(ir.Gt, bused, iconst(0)), Then: f.sub(func() {
		need := ibin(ir.Mul, ibin(ir.Add, pyFill(q), bused), iconst(5))
		f.emit(&ir.If{Cond: cmpE(ir.Ge, need, ibin(ir.Mul, ibin(ir.Sub, pySize(q), iconst(1)), iconst(3))), Then: f.sub(func() {
			f.pyResize(q, ibin(ir.Mul, ibin(ir.Add, ref(q.nlive), bused), iconst(2)))
		})})
		same := cmpE(ir.And, cmpE(ir.And, cmpE(ir.Eq, pyFill(q), iconst(0)), cmpE(ir.Eq, pySize(q), pySize(b))),
			cmpE(ir.Eq, pyFill(b), bused))
		copyLayout := f.sub(func() {
			f.eachLive(b, func(e ir.Expr) { f.pyPut(q, e, f.keyAt(b, e), f.pyHashAt(b, e)) })
			f.emit(&ir.Assign{Dst: q.nlive, Src: bused})
			f.setFill(q, bused)
		})
		add := f.sub(func() {
			f.eachLive(b, func(e ir.Expr) { f.pyInsert(q, f.keyAt(b, e), f.pyHashAt(b, e)) })
		})
		f.emit(&ir.If{Cond: same, Then: copyLayout, Else: add})
	})})
}

// pyCopy is a new set of type t holding p's keys, as set(p) and p.copy()
// build it (make_new_set, set_merge).
func (f *fn) pyCopy(p dparts, t *types.Type) dparts {
	q := f.newHashed(t, iconst(8))
	f.pyMerge(q, p)
	return q
}

// pySetOp lowers a | b, a & b and a - b as CPython computes them: the
// union copies a and merges b; the intersection walks the smaller set
// (b when the sizes agree) and adds the keys the other holds; the
// difference copies a and discards b's keys when a is more than four
// times larger (then rebuilding the table when more than a quarter of
// its mask are dummies), else walks a adding the keys b lacks; same is
// true for an operation of a set with itself.
func (f *fn) pySetOp(op string, a, b dparts, t *types.Type, same bool) dparts {
	if same && op != "Sub" {
		// s | s and s & s are copies of s (set_or, set_intersection).
		return f.pyCopy(a, t)
	}
	switch op {
	case "BitOr":
		q := f.pyCopy(a, t)
		f.pyMerge(q, b)
		return q
	case "BitAnd":
		q := f.newHashed(t, iconst(8))
		walk := func(small, big dparts) []ir.Stmt {
			return f.sub(func() {
				f.eachLive(small, func(e ir.Expr) {
					k := f.stableKey(f.keyAt(small, e))
					_, in, _, h := f.pyProbe(big, k, f.pyHashAt(small, e))
					f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(in), iconst(0)), Then: f.sub(func() { f.pyInsert(q, k, h) })})
				})
			})
		}
		f.emit(&ir.If{Cond: cmpE(ir.Gt, ref(b.nlive), ref(a.nlive)), Then: walk(a, b), Else: walk(b, a)})
		return q
	}
	q := f.newHashed(t, iconst(8))
	bigA := cmpE(ir.Gt, ibin(ir.Shr, ref(a.nlive), iconst(2)), ref(b.nlive))
	discard := f.sub(func() {
		c := f.pyCopy(a, t)
		f.eachLive(b, func(e ir.Expr) {
			_, in, _, _ := f.pyProbe(c, f.keyAt(b, e), f.pyHashAt(b, e))
			f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(in), iconst(0)), Then: f.removeEntry(c, ref(in), ref(in))})
		})
		f.pyShed(c)
		f.setParts(q, c)
	})
	walk := f.sub(func() {
		f.eachLive(a, func(e ir.Expr) {
			k := f.stableKey(f.keyAt(a, e))
			_, in, _, h := f.pyProbe(b, k, f.pyHashAt(a, e))
			f.emit(&ir.If{Cond: cmpE(ir.Lt, ref(in), iconst(0)), Then: f.sub(func() { f.pyInsert(q, k, h) })})
		})
	})
	f.emit(&ir.If{Cond: bigA, Then: discard, Else: walk})
	return q
}

// pyItems is a new list of type lt of p's keys in CPython's order.
func (f *fn) pyItems(p dparts, lt *types.Type) *val {
	n := f.once(ref(p.nlive))
	if p.skeys != nil {
		out := f.newStrList(types.ListOf(types.StrT), n)
		f.eachLive(p, func(e ir.Expr) { f.strListAppend(out, f.keyAt(p, e)) })
		return out
	}
	out := f.newList(lt, n, n)
	k := f.temp(i64T)
	f.emit(&ir.Assign{Dst: k, Src: iconst(0)})
	f.eachLive(p, func(e ir.Expr) {
		f.emit(store(listBuf(out), ref(k), load(p.keys, e)))
		f.emit(&ir.Assign{Dst: k, Src: ibin(ir.Add, ref(k), iconst(1))})
	})
	return out
}

// pyEntry builds the table of a set parameter: Python passes its keys in
// its iteration order and, in place of a table, where CPython's table
// holds each of them, then that table's size and fill, then the slots of
// its dummies (python/sejit/lists.py, hashed_leaves), so the table built
// here is the caller's exactly.
func (f *fn) pyEntry(p dparts) {
	n := f.once(ref(p.nlive))
	size := f.once(load(p.table, n))
	q := f.newHashed(p.t, size)
	f.eachLive(p, func(e ir.Expr) {
		k := f.stableKey(f.keyAt(p, e))
		var h ir.Expr
		if p.skeys != nil {
			h = f.pyStrHash(k)
		}
		f.pyPut(q, f.once(load(p.table, e)), k, h)
	})
	d := f.temp(i64T)
	f.emit(&ir.For{Var: d, Start: ibin(ir.Add, n, iconst(2)), Stop: &ir.Dim{Arr: p.table, Axis: 0}, Step: iconst(1), Sign: 1,
		Body: []ir.Stmt{store(q.table, load(p.table, ref(d)), iconst(-1))}})
	f.emit(&ir.Assign{Dst: q.nlive, Src: n})
	f.setFill(q, load(p.table, ibin(ir.Add, n, iconst(1))))
	f.setParts(p, q)
}

// pyConstSet is a display of constants that CPython compiled to a
// frozenset constant merged into a new set (BUILD_SET 0, SET_UPDATE): the
// frozenset's table is rebuilt from its layout (lay, read from the code
// object by the front end; ks are the display's elements), then merged
// into an empty set as set_merge does.
func (f *fn) pyConstSet(lay *pyast.SetLayout, ks []*val, t *types.Type) dparts {
	q := f.newHashed(t, iconst(8))
	f.pyMerge(q, f.pyFrozenConst(lay, ks, t))
	return q
}

// pyFrozenConst is the frozenset constant of a display of constants ks,
// its table rebuilt from its layout lay.
func (f *fn) pyFrozenConst(lay *pyast.SetLayout, ks []*val, t *types.Type) dparts {
	fz := f.newHashed(t, iconst(lay.Size))
	for k, e := range lay.Order {
		var h ir.Expr
		if fz.skeys != nil {
			h = f.pyStrHash(ks[e])
		}
		f.pyPut(fz, iconst(lay.Slots[k]), ks[e], h)
	}
	f.emit(&ir.Assign{Dst: fz.nlive, Src: iconst(int64(len(lay.Order)))})
	f.setFill(fz, iconst(int64(len(lay.Order))))
	return fz
}

// validLayout reports a frozenset layout of a display of n elements that
// pyConstSet can rebuild: a power-of-two size of at least 8, distinct
// slots inside it and elements in range.
func validLayout(lay *pyast.SetLayout, n int) bool {
	if lay.Size < 8 || lay.Size&(lay.Size-1) != 0 || lay.Size > 1<<30 || len(lay.Order) == 0 {
		return false
	}
	seen := map[int64]bool{}
	for k, e := range lay.Order {
		s := lay.Slots[k]
		if e < 0 || e >= n || s < 0 || s >= lay.Size || seen[s] {
			return false
		}
		seen[s] = true
	}
	return true
}

// setAugAssign lowers s |= t, s &= t and s -= t in place, as CPython's
// set_ior (set_merge into s), set_iand (the intersection's table swapped
// into s) and set_isub (t's keys discarded from s, then the table rebuilt
// when more than a quarter of its mask are dummies; s -= s clears s).
func (f *fn) setAugAssign(n *pyast.Name, cur *val, s *pyast.AugAssign) {
	same := false
	if r, ok := s.Value.(*pyast.Name); ok && r.ID == n.ID {
		same = true
	}
	b := partsOf(f.expr(s.Value))
	p := partsOf(cur)
	switch s.Op {
	case "BitOr":
		if !same {
			f.pyMerge(p, b)
		}
	case "BitAnd":
		f.setParts(p, f.pySetOp("BitAnd", p, b, cur.t, same))
	case "Sub":
		if same {
			f.setParts(p, f.newHashed(cur.t, iconst(8)))
			return
		}
		f.eachLive(b, func(e ir.Expr) {
			_, in, _, _ := f.pyProbe(p, f.keyAt(b, e), f.pyHashAt(b, e))
			f.emit(&ir.If{Cond: cmpE(ir.Ge, ref(in), iconst(0)), Then: f.removeEntry(p, ref(in), ref(in))})
		})
		f.pyShed(p)
	}
}

// pyShed rebuilds p's table when more than a quarter of its mask are
// dummies (the end of set_difference_update_internal).
func (f *fn) pyShed(p dparts) {
	dummies := ibin(ir.Sub, pyFill(p), ref(p.nlive))
	f.emit(&ir.If{Cond: cmpE(ir.Gt, dummies, ibin(ir.Shr, ibin(ir.Sub, pySize(p), iconst(1)), iconst(2))), Then: f.sub(func() {
		used := ref(p.nlive)
		f.pyResize(p, &ir.Select{Cond: cmpE(ir.Gt, used, iconst(50000)),
			X: ibin(ir.Mul, used, iconst(2)), Y: ibin(ir.Mul, used, iconst(4)), T: i64T})
	})})
}
