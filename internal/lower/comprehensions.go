package lower

// Comprehensions (issue 14). A list comprehension is a loop nest that
// appends its element to a new list: one loop per `for` clause, each
// iterable evaluated where its clause begins (so an inner one is evaluated
// again for each item of the outer ones, as in Python), each `if` a
// condition around the clauses after it. With a single clause and no
// condition the trip count is known before the loop, so the buffer is
// allocated at its final size and item k is stored at k.
//
// A generator expression is never materialised: sum, min, max, any and
// all run the same loop nest around an accumulator. any and all stop at
// the first item that decides them: the innermost loop breaks and sets a
// flag each enclosing loop tests after its inner loop. list and sorted
// build a list as a comprehension does; tuple, whose length the checker
// proved constant, evaluates the element once per item, unrolled.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// compLoops emits the loops of gens around body. A non-nil done stops
// every loop once set (the body sets it and breaks the innermost one).
func (f *fn) compLoops(gens []*pyast.Comprehension, done *ir.Var, body func()) {
	var clause func(i int)
	clause = func(i int) {
		if i == len(gens) {
			body()
			return
		}
		g := gens[i]
		p := f.plan(g.Iter)
		counter := &ir.Var{Name: f.unique("k"), Type: i64T, Param: -1}
		f.f.Locals = append(f.f.Locals, counter)
		b := f.sub(func() {
			f.assign(g.Target, p.item(&ir.Ref{Var: counter}), g.P)
			f.compConds(g.Ifs, func() { clause(i + 1) })
		})
		f.emit(&ir.For{Var: counter, Start: ir.IntConst(0), Stop: p.n, Step: ir.IntConst(1), Sign: 1, Body: b})
		if done != nil && i > 0 {
			f.emit(&ir.If{Cond: &ir.Ref{Var: done}, Then: []ir.Stmt{&ir.Break{}}})
		}
	}
	clause(0)
}

// compConds emits then() under the conditions conds, tested in order.
func (f *fn) compConds(conds []pyast.Expr, then func()) {
	if len(conds) == 0 {
		then()
		return
	}
	c := f.expr(conds[0])
	body := f.sub(func() { f.compConds(conds[1:], then) })
	f.emit(&ir.If{Cond: truth(c.s), Then: body})
}

// listAppend appends x to the list variable lv.
func (f *fn) listAppend(lv *val, x *val) {
	x = f.stableItem(x)
	n := listLen(lv)
	f.reserve(lv, ibin(ir.Add, n, ir.IntConst(1)))
	f.listPut(lv, n, x)
	f.emit(&ir.Assign{Dst: lenVar(lv), Src: ibin(ir.Add, n, ir.IntConst(1))})
}

// compList lowers [elt for ...] (and list(elt for ...)) of type t.
func (f *fn) compList(elt pyast.Expr, gens []*pyast.Comprehension, t *types.Type) *val {
	if t.IsStrList() {
		lv := f.newLocal("comp", t)
		f.strListAssign(lv, f.newStrList(t, ir.IntConst(8))) // strings.go
		f.compLoops(gens, nil, func() { f.strListAppend(lv, f.expr(elt)) })
		return lv
	}
	if len(gens) == 1 && len(gens[0].Ifs) == 0 {
		g := gens[0]
		p := f.plan(g.Iter)
		n := f.once(p.n)
		out := f.newList(t, n, n)
		f.forCount(n, func(k ir.Expr) {
			f.assign(g.Target, p.item(k), g.P)
			f.listPut(out, k, f.rowExpr(elt, t)) // list_lists.go
		})
		return out
	}
	lv := f.newLocal("comp", t)
	f.listAssign(lv, f.newList(t, ir.IntConst(0), ir.IntConst(8)))
	f.compLoops(gens, nil, func() { f.listAppend(lv, f.rowExpr(elt, t)) })
	return lv
}

// genEach runs body for each item of the argument of a generator's
// consumer: a generator expression, or (any/all) an iterable.
func (f *fn) genEach(arg pyast.Expr, done *ir.Var, body func(x *val)) {
	if g, ok := arg.(*pyast.GeneratorExp); ok {
		f.compLoops(g.Generators, done, func() { body(f.expr(g.Elt)) })
		return
	}
	p := f.plan(arg)
	f.forCount(p.n, func(k ir.Expr) { body(p.item(k)) })
}

// genCall lowers the calls types.IsGenCall accepts; ok is false for others.
func (f *fn) genCall(e *pyast.Call, t *types.Type) (*val, bool) {
	name, ok := types.IsGenCall(f.spec.Func, e)
	if !ok {
		return nil, false
	}
	arg := e.Args[0]
	g, _ := arg.(*pyast.GeneratorExp)
	switch name {
	case "list", "sorted":
		out := f.compList(g.Elt, g.Generators, t)
		if name == "sorted" {
			f.listSort(out)
		}
		return out, true
	case "tuple":
		n, _ := types.GenTupleLen(g.Generators, f.typeOf(g.Generators[0].Iter))
		gen := g.Generators[0]
		p := f.plan(gen.Iter)
		v := &val{t: t}
		for k := int64(0); k < n; k++ {
			f.assign(gen.Target, p.item(ir.IntConst(k)), gen.P)
			x := f.expr(g.Elt)
			v.elems = append(v.elems, &val{t: t.Elems[k], s: f.stableExpr(conv(x.s, t.Elems[k].DType))})
		}
		return v, true
	case "sum":
		acc := f.temp(t)
		f.emit(&ir.Assign{Dst: acc, Src: zeroOf(t.DType)})
		f.genEach(arg, nil, func(x *val) {
			f.emit(&ir.Assign{Dst: acc, Src: scalarBin("Add", &ir.Ref{Var: acc}, conv(x.s, t.DType), t.DType)})
		})
		return &val{t: t, s: &ir.Ref{Var: acc}}, true
	case "min", "max":
		best, seen := f.temp(t), f.temp(types.BoolT)
		f.emit(&ir.Assign{Dst: best, Src: zeroOf(t.DType)})
		f.emit(&ir.Assign{Dst: seen, Src: ir.BoolConst(false)})
		op := ir.Lt
		if name == "max" {
			op = ir.Gt
		}
		f.genEach(arg, nil, func(x *val) {
			xs := f.stableExpr(conv(x.s, t.DType))
			better := &ir.Bin{Op: ir.Or, X: &ir.Unary{Op: ir.Not, X: &ir.Ref{Var: seen}, T: types.BoolT},
				Y: cmpE(op, xs, &ir.Ref{Var: best}), T: types.BoolT}
			f.emit(&ir.If{Cond: better, Then: []ir.Stmt{&ir.Assign{Dst: best, Src: xs},
				&ir.Assign{Dst: seen, Src: ir.BoolConst(true)}}})
		})
		f.emit(&ir.Check{Cond: &ir.Ref{Var: seen}, Err: ir.ErrValue, Msg: name + "() arg is an empty sequence"})
		return &val{t: t, s: &ir.Ref{Var: best}}, true
	case "any", "all":
		// any: false until an item is true; all: true until one is false.
		res, done := f.temp(types.BoolT), f.temp(types.BoolT)
		f.emit(&ir.Assign{Dst: res, Src: ir.BoolConst(name == "all")})
		f.emit(&ir.Assign{Dst: done, Src: ir.BoolConst(false)})
		f.genEach(arg, done, func(x *val) {
			cond := truth(x.s)
			if name == "all" {
				cond = &ir.Unary{Op: ir.Not, X: cond, T: types.BoolT}
			}
			f.emit(&ir.If{Cond: cond, Then: []ir.Stmt{&ir.Assign{Dst: res, Src: ir.BoolConst(name == "any")},
				&ir.Assign{Dst: done, Src: ir.BoolConst(true)}, &ir.Break{}}})
		})
		return &val{t: t, s: &ir.Ref{Var: res}}, true
	}
	return nil, false
}
