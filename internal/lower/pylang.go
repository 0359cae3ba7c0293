package lower

// Lowering for the Python-language step (issue 3): raise, for/while-else,
// loops over arrays, enumerate and zip, function values (nested functions
// and lambdas with their captured variables) and tuple globals.

import (
	"fmt"

	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
	"sejit/internal/types"
)

var i64T = types.ScalarOf(types.Int64)

// stmtExt lowers the statements this step adds; false for the others.
func (f *fn) stmtExt(s pyast.Stmt) bool {
	if f.tryStmt(s) { // try.go
		return true
	}
	if f.printStmt(s) {
		return true
	}
	switch s := s.(type) {
	case *pyast.Raise:
		if key, ok := resolve.KeyErrorKey(f.spec.Func, s); ok {
			// The key object, as a dict's missing key raises it (dicts.go).
			kv := f.expr(key)
			miss := f.temp(i64T)
			f.emit(&ir.Assign{Dst: miss, Src: iconst(-1)})
			f.keyError(miss, kv, f.typeOf(key))
			return true
		}
		code, _ := resolve.RaisedException(f.spec.Func, raisedType(s))
		f.emit(&ir.Check{Cond: ir.BoolConst(false), Err: ir.ErrKind(code), Msg: ir.MessageLiteral(resolve.RaiseMessage(s))})
		return true
	case *pyast.FunctionDef:
		return true // a nested function: lowered as a function of its own where called
	case *pyast.Delete:
		for _, t := range s.Targets {
			f.delItem(t.(*pyast.Subscript)) // dicts.go
		}
		return true
	case *pyast.Assign:
		if _, lam := resolve.LambdaAssign(s); lam != nil {
			return true
		}
	case *pyast.Break:
		if n := len(f.breakFlags); n > 0 && f.breakFlags[n-1] != nil {
			f.emit(&ir.Assign{Dst: f.breakFlags[n-1], Src: ir.BoolConst(true)})
		}
		f.emit(&ir.Break{})
		return true
	case *pyast.For:
		if f.loopSelf == pyast.Stmt(s) {
			f.loopSelf = nil
			return false
		}
		f.loop(s, s.Orelse, func() {
			if types.IsBuiltinCall(f.spec.Func, s.Iter, "range") || f.info.Prange[s] {
				f.loopSelf = s
				f.stmt(s)
				return
			}
			f.forIter(s)
		})
		return true
	case *pyast.While:
		if f.loopSelf == pyast.Stmt(s) {
			f.loopSelf = nil
			return false
		}
		f.loop(s, s.Orelse, func() {
			f.loopSelf = s
			f.stmt(s)
		})
		return true
	}
	return false
}

func raisedType(s *pyast.Raise) pyast.Expr {
	if c, ok := s.Exc.(*pyast.Call); ok {
		return c.Func
	}
	return s.Exc
}

// loop lowers a loop with body(), tracking breaks; with an else clause, a
// flag set by break decides whether the clause runs after the loop.
func (f *fn) loop(s pyast.Stmt, orelse []pyast.Stmt, body func()) {
	var flag *ir.Var
	if len(orelse) > 0 {
		flag = f.temp(types.BoolT)
		f.emit(&ir.Assign{Dst: flag, Src: ir.BoolConst(false)})
	}
	f.breakFlags = append(f.breakFlags, flag)
	body()
	f.breakFlags = f.breakFlags[:len(f.breakFlags)-1]
	if flag != nil {
		els := f.sub(func() { f.stmts(orelse) })
		f.emit(&ir.If{Cond: &ir.Unary{Op: ir.Not, X: &ir.Ref{Var: flag}, T: types.BoolT}, Then: els})
	}
}

// iterPlan is an iterable evaluated once before its loop: how many items
// it yields and how to read item k.
type iterPlan struct {
	n    ir.Expr
	item func(k ir.Expr) *val
	// bind, where set, assigns item k to a for loop's target by
	// statements instead (a tuple of arrays: no expression selects one
	// of several arrays); item then reports an error.
	bind func(k ir.Expr, target pyast.Expr, p pyast.Pos)
}

// plan evaluates an iterable (range, an array, enumerate, zip).
func (f *fn) plan(e pyast.Expr) *iterPlan {
	fun := f.spec.Func
	switch {
	case types.IsBuiltinCall(fun, e, "range"):
		start, stop, step, _ := f.rangeArgs(e.(*pyast.Call))
		n := f.once(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{
			&ir.Intrinsic{Fn: ir.FnCeilDiv, Args: []ir.Expr{&ir.Bin{Op: ir.Sub, X: stop, Y: start, T: i64T}, step}, T: i64T},
			ir.IntConst(0)}, T: i64T})
		return &iterPlan{n: n, item: func(k ir.Expr) *val {
			return &val{t: types.Int, s: &ir.Bin{Op: ir.Add, X: start, Y: &ir.Bin{Op: ir.Mul, X: k, Y: step, T: i64T}, T: i64T}}
		}}
	case types.IsBuiltinCall(fun, e, "enumerate"):
		call := e.(*pyast.Call)
		inner := f.plan(call.Args[0])
		var start ir.Expr = ir.IntConst(0)
		if s := types.EnumerateStart(call); s != nil {
			start = f.once(conv(f.expr(s).s, types.Int64))
		}
		return &iterPlan{n: inner.n, item: func(k ir.Expr) *val {
			x := inner.item(k)
			idx := &val{t: types.Int, s: &ir.Bin{Op: ir.Add, X: start, Y: k, T: i64T}}
			return &val{t: types.TupleOf(types.Int, x.t), elems: []*val{idx, x}}
		}}
	case types.IsBuiltinCall(fun, e, "reversed"):
		// The sequence's own plan, read from its end: its length is taken
		// once, when the loop starts.
		inner := f.plan(e.(*pyast.Call).Args[0])
		n := f.once(inner.n)
		last := f.once(ibin(ir.Sub, n, ir.IntConst(1)))
		p := &iterPlan{n: n, item: func(k ir.Expr) *val { return inner.item(ibin(ir.Sub, last, k)) }}
		if inner.bind != nil {
			p.bind = func(k ir.Expr, target pyast.Expr, at pyast.Pos) { inner.bind(ibin(ir.Sub, last, k), target, at) }
		}
		return p
	case types.IsBuiltinCall(fun, e, "zip"):
		call := e.(*pyast.Call)
		plans := make([]*iterPlan, len(call.Args))
		var n ir.Expr
		for i, a := range call.Args {
			plans[i] = f.plan(a)
			if n == nil {
				n = plans[i].n
			} else {
				n = f.once(&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{n, plans[i].n}, T: i64T})
			}
		}
		return &iterPlan{n: n, item: func(k ir.Expr) *val {
			v := &val{}
			var ts []*types.Type
			for _, p := range plans {
				x := p.item(k)
				v.elems = append(v.elems, x)
				ts = append(ts, x.t)
			}
			v.t = types.TupleOf(ts...)
			return v
		}}
	}
	if p, ok := f.itertoolsPlan(e); ok { // stdlib.go
		return p
	}
	if p, ok := f.dictPlan(e); ok { // dicts.go
		return p
	}
	return f.planVal(f.expr(e), e.Position())
}

// planVal plans the iteration of an evaluated list, tuple or array; at is
// where it was written, for errors.
func (f *fn) planVal(v *val, at pyast.Pos) *iterPlan {
	if v.t.Kind == types.Str {
		return f.strPlan(v) // strings.go
	}
	if v.t.IsStrList() {
		return f.strListPlan(v) // strings.go
	}
	if v.t.Kind == types.List {
		return f.listPlan(v) // lists.go
	}
	if v.t.Kind == types.Tuple && len(v.elems) == 0 {
		// An empty tuple: no iteration (the checker typed the variable int).
		return &iterPlan{n: ir.IntConst(0), item: func(ir.Expr) *val { return &val{t: types.Int, s: ir.IntConst(0)} }}
	}
	if v.t.Kind == types.Tuple && v.elems[0].t.Kind == types.Array {
		// A tuple of arrays (the checker made sure they join): item k is
		// bound by a chain of tests of k, each branch assigning one array.
		jt := v.elems[0].t
		for _, el := range v.elems {
			jt, _ = types.Join(jt, el.t)
		}
		items := make([]*val, len(v.elems))
		for i, el := range v.elems {
			a := f.temp(jt)
			src := f.materialize(el)
			f.emit(&ir.SetArray{Dst: a, Src: &ir.Alias{Src: src}})
			f.bind(a, src)
			items[i] = &val{t: jt, arr: a}
		}
		item := func(ir.Expr) *val {
			// Comprehensions take items as expressions.
			f.errorf(at, diag.Unsupported, "a tuple of arrays can only be iterated by a for statement, not in a comprehension").
				WithHint("write the loop as a for statement")
			return items[0]
		}
		return &iterPlan{n: ir.IntConst(int64(len(items))), item: item, bind: func(k ir.Expr, target pyast.Expr, p pyast.Pos) {
			var chain []ir.Stmt
			for i := len(items) - 1; i >= 0; i-- {
				then := f.sub(func() { f.assign(target, items[i], p) })
				if chain == nil {
					chain = then
					continue
				}
				chain = []ir.Stmt{&ir.If{Cond: &ir.Bin{Op: ir.Eq, X: k, Y: ir.IntConst(int64(i)), T: types.BoolT}, Then: then, Else: chain}}
			}
			for _, st := range chain {
				f.emit(st)
			}
		}}
	}
	if v.t.Kind == types.Tuple {
		// A tuple of numbers, evaluated before the loop; item k is
		// selected from them, in the type the checker joined them to.
		jt := v.elems[0].t
		for _, el := range v.elems {
			jt, _ = types.Join(jt, el.t)
		}
		elems := make([]ir.Expr, len(v.elems))
		for i, el := range v.elems {
			elems[i] = f.stableExpr(conv(el.s, jt.DType))
		}
		return &iterPlan{n: ir.IntConst(int64(len(elems))), item: func(k ir.Expr) *val {
			x := elems[len(elems)-1]
			for i := len(elems) - 2; i >= 0; i-- {
				x = &ir.Select{Cond: &ir.Bin{Op: ir.Eq, X: k, Y: ir.IntConst(int64(i)), T: types.BoolT}, X: elems[i], Y: x,
					T: types.ScalarOf(jt.DType)}
			}
			return &val{t: jt, s: x}
		}}
	}
	// The loop iterates the array the iterable named when the loop began,
	// even if the body rebinds that name: a descriptor of its own.
	src := f.materialize(v)
	arr := f.temp(src.Type)
	f.emit(&ir.SetArray{Dst: arr, Src: &ir.Alias{Src: src}})
	f.bind(arr, src)
	n := f.once(&ir.Dim{Arr: arr, Axis: 0})
	return &iterPlan{n: n, item: f.arrayItems(arr)}
}

// arrayItems reads item k (below the extent: no check) of arr's first
// axis: an element of a 1-D array, else the view arr[k].
func (f *fn) arrayItems(arr *ir.Var) func(k ir.Expr) *val {
	t := arr.Type
	return func(k ir.Expr) *val {
		if t.NDim == 1 {
			return &val{t: types.ScalarOf(t.DType), s: &ir.Load{Arr: arr, Idx: []ir.Expr{k}}}
		}
		rt := types.ArrayOf(t.DType, t.NDim-1, t.Layout)
		var shape, strides []ir.Expr
		for ax := 1; ax < t.NDim; ax++ {
			shape = append(shape, &ir.Dim{Arr: arr, Axis: ax})
			strides = append(strides, &ir.Stride{Arr: arr, Axis: ax})
		}
		v := f.temp(rt)
		f.bind(v, arr)
		f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: arr,
			Offset: &ir.Bin{Op: ir.Mul, X: k, Y: &ir.Stride{Arr: arr, Axis: 0}, T: i64T}, Shape: shape, Strides: strides}})
		return &val{t: rt, arr: v}
	}
}

// forIter lowers a for loop over an array, enumerate(...) or zip(...): a
// counted loop whose body first binds the target to item k.
func (f *fn) forIter(s *pyast.For) {
	if n, ok := s.Iter.(*pyast.Name); ok && f.typeOf(n).Kind == types.Tuple && len(f.typeOf(n).Elems) == 0 && !f.typeOf(n).IsObject() {
		return // an empty tuple: no iteration, the body untyped (types.forExt)
	}
	if f.isInnerIter(s.Iter) {
		f.innerLoop(s, f.expr(s.Iter)) // list_lists.go
		return
	}
	p := f.plan(s.Iter)
	counter := &ir.Var{Name: f.unique("k"), Type: i64T, Param: -1}
	f.f.Locals = append(f.f.Locals, counter)
	body := f.sub(func() {
		if p.bind != nil {
			p.bind(&ir.Ref{Var: counter}, s.Target, s.P)
		} else {
			f.assign(s.Target, p.item(&ir.Ref{Var: counter}), s.P)
		}
		f.stmts(s.Body)
	})
	f.emit(&ir.For{Var: counter, Start: ir.IntConst(0), Stop: p.n, Step: ir.IntConst(1), Sign: 1, Body: body})
}

// inTuple lowers `x in (a, b, ...)`: x == a or x == b or ... (every item
// evaluated first, as Python builds the tuple before testing).
func (f *fn) inTuple(e *pyast.Compare, rt *types.Type) *val {
	l := f.expr(e.Left)
	x := f.stableExpr(l.s)
	r := f.expr(e.Comparators[0])
	var any ir.Expr = ir.BoolConst(false)
	for _, el := range r.elems {
		eq := scalarBin("Eq", x, f.stableExpr(el.s), types.Bool)
		any = &ir.Bin{Op: ir.Or, X: any, Y: eq, T: types.BoolT}
	}
	if e.Ops[0] == "NotIn" {
		any = not(any)
	}
	return &val{t: rt, s: any}
}

// unpackArray splits an array into the n items of its first axis for
// `a, b = x`, raising CPython's ValueError when its length is not n.
// starParts is the values of the targets of `a, *b, c = t` (types.
// unpackStar): the tuple's items at the ends, and a new list of the items
// between for the starred name.
func (f *fn) starParts(tg *pyast.Tuple, s int, v *val) []*val {
	after := len(tg.Elts) - s - 1
	n := len(v.elems) - s - after
	lt := f.typeOf(tg.Elts[s])
	items := make([]*val, n)
	for i := range items {
		items[i] = f.stableItem(v.elems[s+i])
	}
	lv := f.newList(lt, ir.IntConst(int64(n)), ir.IntConst(int64(n)))
	for i, x := range items {
		f.listPut(lv, ir.IntConst(int64(i)), x)
	}
	parts := append([]*val{}, v.elems[:s]...)
	parts = append(parts, lv)
	return append(parts, v.elems[s+n:]...)
}

func (f *fn) unpackArray(v *val, n int) *val {
	arr := f.materialize(v)
	length := f.once(&ir.Dim{Arr: arr, Axis: 0})
	f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Le, X: length, Y: ir.IntConst(int64(n)), T: types.BoolT}, Err: ir.ErrValue,
		Msg: fmt.Sprintf("too many values to unpack (expected %d)", n)})
	f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Ge, X: length, Y: ir.IntConst(int64(n)), T: types.BoolT}, Err: ir.ErrValue,
		Msg: fmt.Sprintf("not enough values to unpack (expected %d, got {0})", n), Args: []ir.Expr{length}})
	items := f.arrayItems(arr)
	out := &val{}
	var ts []*types.Type
	for k := 0; k < n; k++ {
		x := items(ir.IntConst(int64(k)))
		out.elems = append(out.elems, x)
		ts = append(ts, x.t)
	}
	out.t = types.TupleOf(ts...)
	return out
}

// exprExt lowers the expressions this step adds: tuple globals, and
// function values, which carry the variables they capture.
func (f *fn) exprExt(e pyast.Expr, t *types.Type) (*val, bool) {
	if a, ok := f.info.Alias[e]; ok {
		return f.expr(a), true
	}
	var nf *resolve.Func
	switch e := e.(type) {
	case *pyast.Lambda:
		nf = f.spec.Func.Lambdas[e]
	case *pyast.Name:
		if k, _ := f.spec.Func.Lookup(e.ID); k == resolve.NestedName {
			nf = f.spec.Func.NestedFunc(e.ID)
		}
	}
	if nf == nil {
		return nil, false
	}
	v := &val{t: t}
	for _, name := range nf.Captures {
		c := *f.vars[name]
		c.name = name
		v.elems = append(v.elems, &c)
	}
	return v, true
}
