package lower

// Lowering for itertools' combinatoric iterators and functools.reduce
// (types/stdlib.go types them; operator functions are aliases of the
// expressions they name and need nothing here).
//
// An itertools iterator is an iteration plan like range's, so for loops,
// comprehensions and generator consumers take it unchanged. Its state is r
// index variables, one per slot of the tuple, that select items from the
// pools; every pool is a sequence with random access. The count of items
// is known before the loop (the product of the pools' lengths, comb(n, r),
// comb(n+r-1, r), perm(n, r)), so the loop is a counted one. Item 0 sets
// the indexes to their first values, and every later item advances them
// to the next tuple in itertools' order before reading the pools:
//
//   - product is an odometer: the last index counts up, and wraps to 0
//     carrying into the one before it;
//   - combinations finds the rightmost index that is below its largest
//     value (i + n - r), increments it, and sets the ones after it to
//     consecutive values;
//   - combinations_with_replacement does the same with n-1 as every
//     index's largest value, setting the later ones equal to it;
//   - permutations finds the rightmost index that can take a larger value
//     not used by the indexes before it, takes the smallest such value,
//     and fills the later slots with the smallest unused values in order.
//
// Because the advance happens when an item is read, plans are read once
// per item, in order (every consumer of plans does so), and a `continue`
// in the loop body skips nothing.

import (
	"sejit/internal/ir"
	"sejit/internal/library"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// itertoolsPlan plans an itertools iterator; ok is false for other
// iterables.
func (f *fn) itertoolsPlan(e pyast.Expr) (*iterPlan, bool) {
	full, ok := types.StdlibCall(f.spec.Func, e, "itertools")
	if !ok {
		return nil, false
	}
	call := e.(*pyast.Call)
	name := library.Callable("itertools", full[len("itertools."):]).Short()
	r := f.info.Combos[call].R
	srcs := call.Args
	if name != "product" {
		srcs = call.Args[:1]
	}
	pools := make([]*iterPlan, len(srcs))
	for i, s := range srcs {
		pools[i] = f.plan(s)
		pools[i].n = f.once(pools[i].n)
	}
	slot := func(j int) *iterPlan { return pools[j%len(pools)] }
	idx := make([]*ir.Var, r)
	for j := range idx {
		idx[j] = f.temp(i64T)
	}
	ref := func(j int) ir.Expr { return &ir.Ref{Var: idx[j]} }
	set := func(j int, x ir.Expr) ir.Stmt { return &ir.Assign{Dst: idx[j], Src: x} }
	ne := func(x, y ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Ne, X: x, Y: y, T: types.BoolT} }
	lt := func(x, y ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Lt, X: x, Y: y, T: types.BoolT} }
	one := ir.IntConst(1)

	var count, fits ir.Expr
	var first []ir.Stmt
	var advance func(i int) []ir.Stmt
	switch name {
	case "product":
		count = ir.IntConst(1)
		for j := 0; j < r; j++ {
			count = ibin(ir.Mul, count, slot(j).n)
			first = append(first, set(j, ir.IntConst(0)))
		}
		advance = func(i int) []ir.Stmt {
			if i < 0 {
				return nil
			}
			up := ibin(ir.Add, ref(i), one)
			return []ir.Stmt{&ir.If{Cond: lt(up, slot(i).n), Then: []ir.Stmt{set(i, up)},
				Else: append([]ir.Stmt{set(i, ir.IntConst(0))}, advance(i-1)...)}}
		}
	case "combinations", "combinations_with_replacement":
		n := pools[0].n
		rr := ir.IntConst(int64(r))
		if name == "combinations" {
			count = &ir.Select{Cond: lt(n, rr), X: ir.IntConst(0),
				Y: intr(ir.FnPyComb, i64T, n, rr), T: i64T}
			fits = or(lt(n, rr), intr(ir.FnPyCombOk, types.BoolT, n, rr))
		} else {
			m := ibin(ir.Sub, ibin(ir.Add, n, rr), one)
			empty := and(&ir.Bin{Op: ir.Eq, X: n, Y: ir.IntConst(0), T: types.BoolT}, lt(ir.IntConst(0), rr))
			count = &ir.Select{Cond: empty, X: ir.IntConst(0), Y: intr(ir.FnPyComb, i64T, m, rr), T: i64T}
			fits = or(empty, intr(ir.FnPyCombOk, types.BoolT, m, rr))
		}
		for j := 0; j < r; j++ {
			if name == "combinations" {
				first = append(first, set(j, ir.IntConst(int64(j))))
			} else {
				first = append(first, set(j, ir.IntConst(0)))
			}
		}
		advance = func(i int) []ir.Stmt {
			if i < 0 {
				return nil
			}
			top := ibin(ir.Sub, n, one)
			if name == "combinations" {
				top = ibin(ir.Add, ir.IntConst(int64(i-r)), n)
			}
			then := []ir.Stmt{set(i, ibin(ir.Add, ref(i), one))}
			for j := i + 1; j < r; j++ {
				if name == "combinations" {
					then = append(then, set(j, ibin(ir.Add, ref(j-1), one)))
				} else {
					then = append(then, set(j, ref(i)))
				}
			}
			return []ir.Stmt{&ir.If{Cond: ne(ref(i), top), Then: then, Else: advance(i - 1)}}
		}
	case "permutations":
		n := pools[0].n
		rr := ir.IntConst(int64(r))
		count = &ir.Select{Cond: lt(n, rr), X: ir.IntConst(0), Y: intr(ir.FnPyPerm, i64T, n, rr), T: i64T}
		fits = or(lt(n, rr), intr(ir.FnPyPermOk, types.BoolT, n, rr))
		for j := 0; j < r; j++ {
			first = append(first, set(j, ir.IntConst(int64(j))))
		}
		v := f.temp(i64T)
		vr := &ir.Ref{Var: v}
		// used(i): v equals one of the indexes before slot i.
		used := func(i int) ir.Expr {
			var u ir.Expr = ir.BoolConst(false)
			for m := 0; m < i; m++ {
				u = &ir.Bin{Op: ir.Or, X: u, Y: &ir.Bin{Op: ir.Eq, X: vr, Y: ref(m), T: types.BoolT}, T: types.BoolT}
			}
			return u
		}
		bump := &ir.Assign{Dst: v, Src: ibin(ir.Add, vr, one)}
		advance = func(i int) []ir.Stmt {
			if i < 0 {
				return nil
			}
			then := []ir.Stmt{set(i, vr)}
			for j := i + 1; j < r; j++ {
				then = append(then, &ir.Assign{Dst: v, Src: ir.IntConst(0)},
					&ir.While{Cond: used(j), Body: []ir.Stmt{bump}}, set(j, vr))
			}
			return []ir.Stmt{
				&ir.Assign{Dst: v, Src: ibin(ir.Add, ref(i), one)},
				&ir.While{Cond: and(lt(vr, n), used(i)), Body: []ir.Stmt{bump}},
				&ir.If{Cond: lt(vr, n), Then: then, Else: advance(i - 1)},
			}
		}
	}
	if fits != nil {
		f.check(fits, ir.ErrOverflow, "too many items for a counted loop")
	}
	return &iterPlan{n: f.once(count), item: func(k ir.Expr) *val {
		f.emit(&ir.If{Cond: &ir.Bin{Op: ir.Eq, X: k, Y: ir.IntConst(0), T: types.BoolT}, Then: first, Else: advance(r - 1)})
		out := &val{}
		var ts []*types.Type
		for j := 0; j < r; j++ {
			x := slot(j).item(ref(j))
			out.elems = append(out.elems, x)
			ts = append(ts, x.t)
		}
		out.t = types.TupleOf(ts...)
		return out
	}}, true
}

// fold lowers functools.reduce: the accumulator starts as the initial value
// (or the first item, after checking there is one) and takes the
// function's result on (accumulator, item) for each later item.
func (f *fn) fold(e *pyast.Call, rt *types.Type) *val {
	fd := f.info.Folds[e]
	p := f.plan(e.Args[1])
	n := f.once(p.n)
	acc := f.temp(fd.Acc)
	start := ir.Expr(ir.IntConst(0))
	if len(e.Args) == 3 {
		f.emit(&ir.Assign{Dst: acc, Src: conv(f.expr(e.Args[2]).s, fd.Acc.DType)})
	} else {
		f.check(cmpI(ir.Ne, n, 0), ir.ErrType, "reduce() of empty iterable with no initial value")
		f.emit(&ir.Assign{Dst: acc, Src: conv(p.item(ir.IntConst(0)).s, fd.Acc.DType)})
		start = ir.IntConst(1)
	}
	k := f.temp(i64T)
	body := f.sub(func() {
		x := p.item(&ir.Ref{Var: k})
		a := &val{t: fd.Acc, s: &ir.Ref{Var: acc}}
		var r *val
		if fd.Op != nil {
			r = f.binop(fd.Op.Op, a, x, types.BinopType(fd.Op.Op, a.t, x.t), e.P)
		} else {
			callee := f.info.Callees[fd.Call]
			r = f.callSpec(callee, append(f.flatten(a), f.flatten(x)...), e.Args[0], callee.Info.Ret)
		}
		f.emit(&ir.Assign{Dst: acc, Src: conv(r.s, fd.Acc.DType)})
	})
	f.emit(&ir.For{Var: k, Start: start, Stop: n, Step: ir.IntConst(1), Sign: 1, Body: body})
	return &val{t: rt, s: &ir.Ref{Var: acc}}
}

// floats copies the numbers of an evaluated list, tuple or 1-D array into
// a new C-ordered float64 array, converting each as float() would.
func (f *fn) floats(v *val, at pyast.Pos) *ir.Var {
	p := f.planVal(v, at)
	n := f.once(p.n)
	buf := f.alloc(types.ArrayOf(types.Float64, 1, 'C'), []ir.Expr{n})
	f.forCount(n, func(k ir.Expr) {
		f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{k}, Src: conv(p.item(k).s, types.Float64)})
	})
	return buf
}

// seqMath lowers math.fsum of a list or an array, and math.dist, through
// the helpers that compute them as CPython does.
func (f *fn) seqMath(e *pyast.Call, name string, args []*val) ir.Expr {
	if name == "fsum" {
		return &ir.Ref{Var: f.externCall(ir.HelperFsum, []ir.Expr{aref(f.floats(args[0], e.P))}, f64T)[0]}
	}
	p, q := f.floats(args[0], e.P), f.floats(args[1], e.P)
	n := f.once(&ir.Dim{Arr: p, Axis: 0})
	f.check(&ir.Bin{Op: ir.Eq, X: n, Y: &ir.Dim{Arr: q, Axis: 0}, T: types.BoolT}, ir.ErrValue,
		"both points must have the same number of dimensions")
	f.forCount(n, func(k ir.Expr) {
		at := []ir.Expr{k}
		f.emit(&ir.Store{Arr: p, Idx: at, Src: &ir.Bin{Op: ir.Sub, X: &ir.Load{Arr: p, Idx: at},
			Y: &ir.Load{Arr: q, Idx: at}, T: f64T}})
	})
	return &ir.Ref{Var: f.externCall(ir.HelperVectorNorm, []ir.Expr{aref(p)}, f64T)[0]}
}

// seqProd lowers math.prod of a list or an array: start times each item in
// turn, in the accumulator's type rt.
func (f *fn) seqProd(e *pyast.Call, start, seq *val, rt *types.Type) *val {
	p := f.planVal(seq, e.P)
	acc := f.temp(rt)
	f.emit(&ir.Assign{Dst: acc, Src: conv(start.s, rt.DType)})
	f.forCount(f.once(p.n), func(k ir.Expr) {
		a := &val{t: rt, s: &ir.Ref{Var: acc}}
		x := p.item(k)
		r := f.binop("Mult", a, x, types.BinopType("Mult", a.t, x.t), e.P)
		f.emit(&ir.Assign{Dst: acc, Src: conv(r.s, rt.DType)})
	})
	return &val{t: rt, s: &ir.Ref{Var: acc}}
}
