package lower

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
	"sejit/internal/types"
)

func (f *fn) stmts(body []pyast.Stmt) {
	for _, s := range body {
		f.stmt(s)
	}
}

func (f *fn) stmt(s pyast.Stmt) {
	f.line = s.Position().Line
	f.serial++
	if f.stmtExt(s) || f.gemmStmt(s) {
		return
	}
	switch s := s.(type) {
	case *pyast.Assign:
		if f.maskedUpdate(s) { // mask_update.go
			return
		}
		v := f.expr(s.Value)
		if len(s.Targets) > 1 && v.t.Kind == types.Scalar {
			v = &val{t: v.t, s: f.stableExpr(v.s)}
		}
		for _, t := range s.Targets {
			f.assign(t, v, s.P)
		}
	case *pyast.AnnAssign:
		f.assign(s.Target, f.expr(s.Value), s.P)
	case *pyast.AugAssign:
		f.augAssign(s)
	case *pyast.ExprStmt:
		if c, ok := s.Value.(*pyast.Constant); ok && c.Kind == pyast.ConstStr {
			return
		}
		f.expr(s.Value)
	case *pyast.If:
		if v, ok := f.info.Folded[s]; ok { // types/isinstance.go
			if v {
				f.stmts(s.Body)
			} else {
				f.stmts(s.Orelse)
			}
			return
		}
		c := f.expr(s.Test)
		then := f.sub(func() { f.stmts(s.Body) })
		els := f.sub(func() { f.stmts(s.Orelse) })
		f.emit(&ir.If{Cond: truth(c.s), Then: then, Else: els})
	case *pyast.While:
		var c *val
		condStmts := f.sub(func() { c = f.expr(s.Test) })
		body := f.sub(func() { f.stmts(s.Body) })
		if len(condStmts) == 0 {
			f.emit(&ir.While{Cond: truth(c.s), Body: body})
			return
		}
		stop := &ir.If{Cond: &ir.Unary{Op: ir.Not, X: truth(c.s), T: types.BoolT}, Then: []ir.Stmt{&ir.Break{}}}
		f.emit(&ir.While{Cond: ir.BoolConst(true), Body: append(append(condStmts, stop), body...)})
	case *pyast.For:
		f.forRange(s)
	case *pyast.Return:
		f.ret(s)
	case *pyast.Break:
		f.emit(&ir.Break{})
	case *pyast.Continue:
		f.emit(&ir.Continue{})
	case *pyast.Assert:
		c := f.expr(s.Test)
		if j, ok := s.Msg.(*pyast.JoinedStr); ok {
			if _, constant := resolve.ConstString(j); !constant {
				// A formatted message is built only when the test fails,
				// as CPython evaluates it, and raised as raise
				// AssertionError(f"...") is (print.go).
				then := f.sub(func() {
					p := &ir.Print{Line: f.line, Raise: ir.ErrAssert}
					p.Items = f.fstring(p.Items, j, false)
					f.emit(p)
				})
				f.emit(&ir.If{Cond: &ir.Unary{Op: ir.Not, X: truth(c.s), T: types.BoolT}, Then: then})
				return
			}
		}
		msg := ""
		if k, ok := s.Msg.(*pyast.Constant); ok {
			msg = k.Str
		}
		f.emit(&ir.Check{Cond: truth(c.s), Err: ir.ErrAssert, Msg: ir.MessageLiteral(msg)})
	case *pyast.Pass:
	}
}

func (f *fn) ret(s *pyast.Return) {
	if f.info.RetNone && (s.Value == nil || f.typeOf(s.Value).Kind == types.None) {
		if s.Value != nil {
			f.expr(s.Value)
		}
		f.emit(f.returnNone())
		return
	}
	if s.Value == nil {
		f.emit(&ir.Return{})
		return
	}
	v := f.expr(s.Value)
	want := f.info.Ret
	var vals []ir.Expr
	if f.info.RetNone {
		vals = append(vals, ir.BoolConst(false))
	}
	var flat func(v *val, t *types.Type)
	flat = func(v *val, t *types.Type) {
		switch t.Kind {
		case types.Str:
			flat(v, strRepr)
		case types.List:
			flat(f.fitLists(v, t), listRepr(t)) // list_lists.go
		case types.Dict, types.Set:
			flat(v, hashRepr(t))
		case types.Tuple:
			for i, e := range v.elems {
				flat(e, t.Elems[i])
			}
		case types.Array:
			vals = append(vals, &ir.ArrayRef{Var: f.materialize(v)})
		case types.None:
		default:
			vals = append(vals, conv(v.s, t.DType))
		}
	}
	flat(v, want)
	f.emit(&ir.Return{Vals: vals})
}

// assignTo stores value v into the variables of dst (a local).
func (f *fn) assignTo(dst *val, v *val, p pyast.Pos) {
	switch dst.t.Kind {
	case types.Str:
		f.strAssign(dst, v) // strings.go
	case types.List:
		if dst.boxed {
			f.assignBoxed(dst, v) // list_lists.go
			return
		}
		f.listAssign(dst, v) // lists.go
	case types.Dict, types.Set:
		f.hashedAssign(dst, v) // dicts.go
	case types.Tuple:
		for i, e := range dst.elems {
			if dst.t.IsObject() && e.cell != nil && v.elems[i].cell != nil {
				// The same object: its cell, not a copy of the number.
				f.emit(&ir.SetArray{Dst: e.cell, Src: &ir.Alias{Src: v.elems[i].cell}})
				continue
			}
			f.assignTo(e, v.elems[i], p)
		}
	case types.Array:
		d := dst.arr
		if v.lazy != nil && !f.mayOverlap(d, v.lazy) {
			f.fillNew(d, v.lazy)
			delete(f.viewBase, d)
			f.bound[d] = d
			return
		}
		src := f.materialize(v)
		f.emit(&ir.SetArray{Dst: d, Src: &ir.Alias{Src: src}})
		f.noteShape(d, (&val{t: src.Type, arr: src}).asLazy().shape)
		f.bind(d, src)
	default:
		if dst.cell != nil {
			f.emit(&ir.Store{Arr: dst.cell, Src: conv(v.s, dst.t.DType)})
			return
		}
		f.emit(&ir.Assign{Dst: dst.s.(*ir.Ref).Var, Src: conv(v.s, dst.t.DType)})
	}
}

func (f *fn) assign(target pyast.Expr, v *val, p pyast.Pos) {
	switch t := target.(type) {
	case *pyast.Name:
		f.assignTo(f.vars[f.spec.Func.VarName(t)], v, p)
	case *pyast.Starred:
		f.assign(t.Value, v, p)
	case *pyast.Tuple:
		if v.t.Kind == types.Array {
			v = f.unpackArray(v, len(t.Elts)) // pylang.go
		}
		// Evaluate every value before binding any name: a, b = b, a.
		parts := v.elems
		if s := types.StarAt(t); s >= 0 {
			parts = f.starParts(t, s, v) // pylang.go
		}
		tmp := make([]*val, len(parts))
		for i, e := range parts {
			if e.t.Kind == types.Scalar {
				tv := f.temp(ir.TypeOf(e.s))
				f.emit(&ir.Assign{Dst: tv, Src: e.s})
				tmp[i] = &val{t: e.t, s: &ir.Ref{Var: tv}}
			} else if e.t.Kind == types.Array && e.arr != nil {
				tv := f.temp(e.t)
				f.emit(&ir.SetArray{Dst: tv, Src: &ir.Alias{Src: e.arr}})
				f.bind(tv, e.arr)
				tmp[i] = &val{t: e.t, arr: tv}
			} else if e.t.Kind == types.Array {
				// An array expression not computed yet (x * 2) reads its
				// operands when it is stored: compute it now, before
				// x, y = y, x * 2 rebinds x.
				tmp[i] = &val{t: e.t, arr: f.materialize(e)}
			} else {
				tmp[i] = e
			}
		}
		for i, el := range t.Elts {
			f.assign(el, tmp[i], p)
		}
	case *pyast.Subscript:
		f.store(t, func() *val { return v }, "", nil)
	case *pyast.Attribute:
		f.attrAssign(t, v, p) // objects.go
	}
}

// store writes v into x[...] (an element or a view); op, if set, is an
// in-place operator applied to the old contents.
//
// value lowers the right side. A plain assignment has already evaluated it
// (Python evaluates x[i] = e's e first); an augmented one evaluates it
// here, after the target and its old element, as Python does for x[i] += e.
//
// For an augmented assignment, opType is the type the checker gave the
// operation (Info.Aug); the result is cast to the array's dtype.
func (f *fn) store(t *pyast.Subscript, value func() *val, op string, opType *types.Type) {
	if a, ok := f.info.Alias[t].(*pyast.Subscript); ok {
		t = a // x[idx] with idx a tuple (types/index_multi.go)
	}
	if f.typeOf(t.Value).Kind == types.List {
		f.listStore(t, value, op, opType) // lists.go
		return
	}
	if f.typeOf(t.Value).IsHashed() {
		f.dictStore(t, value, op, opType) // dicts.go
		return
	}
	base := f.expr(t.Value)
	arr := f.materialize(base)
	if types.IsMultiIndex(f.info, t) {
		f.multiIndexStore(t, arr, value, op, opType) // index_multi.go
		return
	}
	if kind := types.IndexArrayKind(f.info, t); kind != "" {
		f.indexArrayStore(t, arr, kind, value, op, opType)
		return
	}
	tt := f.typeOf(t)
	items := f.expandItems(indexItems(t.Index), arr.Type.NDim)
	d := arr.Type.DType
	if tt.Kind == types.Scalar {
		idx := make([]ir.Expr, len(items))
		for i, it := range items {
			idx[i] = f.index(it, &ir.Dim{Arr: arr, Axis: i}, i, arr)
		}
		var old *val
		if op != "" {
			old = &val{t: types.ScalarOf(d), s: f.stableLoad(&ir.Load{Arr: arr, Idx: idx})}
		}
		v := value()
		src := v.s
		if op != "" {
			res := f.binop(op, old, v, opType, t.P)
			src = res.s
		}
		f.emit(&ir.Store{Arr: arr, Idx: idx, Src: f.setitemScalar(src, d, op == "" && v.t.Weak)})
		return
	}
	dst := arr
	if !fullSlices(items) {
		dst = f.view(arr, items, tt)
	}
	f.storeArray(dst, value(), op, opType, t.P)
}

// stableLoad reads an element into a variable now, so later statements
// (a call that writes the array) cannot change the value used.
func (f *fn) stableLoad(ld *ir.Load) ir.Expr {
	t := f.temp(ir.TypeOf(ld))
	f.emit(&ir.Assign{Dst: t, Src: ld})
	return &ir.Ref{Var: t}
}

// names4 finds the Python name of an array variable, for messages.
func (f *fn) names4(v *ir.Var) string {
	// Rebinding (a, b = b, a) can make the chain of bases a cycle.
	seen := map[*ir.Var]bool{}
	for !seen[v] {
		seen[v] = true
		for name, val := range f.vars {
			if val.arr == v {
				return name
			}
		}
		b, ok := f.viewBase[v]
		if !ok || b == nil {
			return ""
		}
		v = b
	}
	return ""
}

// fullSlices reports x[:] or x[:, :]: the whole array.
func fullSlices(items []pyast.Expr) bool {
	for _, it := range items {
		s, ok := it.(*pyast.Slice)
		if !ok || s.Lower != nil || s.Upper != nil || s.Step != nil {
			return false
		}
	}
	return true
}

// storeArray writes v (scalar or array) into every element of dst,
// combining with op when in place. A right side that may read memory the
// nest writes is first copied, which gives NumPy's result for
// x[1:] = x[:-1] + 1.
func (f *fn) storeArray(dst *ir.Var, v *val, op string, opType *types.Type, p pyast.Pos) {
	d := dst.Type.DType
	n := dst.Type.NDim
	shape := make([]ir.Expr, n)
	for i := range shape {
		shape[i] = &ir.Dim{Arr: dst, Axis: i}
	}
	if v.t.Kind == types.Array {
		lz := v.asLazy()
		if len(lz.shape) > n {
			f.errorf(p, diag.Value, "could not broadcast a %d-d array into a %d-d one", len(lz.shape), n)
			return
		}
		if f.storeOverlaps(dst, lz) {
			tmp := f.temp(types.ArrayOf(lz.dtype, len(lz.shape), 'C'))
			f.fillNew(tmp, lz)
			v = &val{t: tmp.Type, arr: tmp}
			lz = v.asLazy()
		}
		label := lz.label
		if label == "" {
			label = "the value"
		} else {
			label = "the value from " + label
		}
		f.shapeCheck(shape[n-len(lz.shape):], lz.shape, quoteName(f.names4(dst)), label,
			"could not broadcast the value into the target")
	} else {
		v = f.inPlacePyInt(op, f.stable(v), opType)
		if op == "" {
			v = &val{t: types.ScalarOf(d), s: f.setitemScalar(v.s, d, v.t.Weak)}
		}
	}
	gen := f.elemOfShape(v, shape)
	vs, idx := f.idxVars(n)
	var src ir.Expr
	if op != "" {
		src = conv(arrayBin(op, &ir.Load{Arr: dst, Idx: idx}, gen(idx), opType.DType), d)
	} else {
		src = conv(gen(idx), d)
	}
	f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{&ir.Store{Arr: dst, Idx: idx, Src: src}}})
}

func (f *fn) augAssign(s *pyast.AugAssign) {
	if f.listAugAssign(s) { // list_inplace.go
		return
	}
	if t, ok := s.Target.(*pyast.Subscript); ok {
		if lt := f.typeOf(t.Value); lt.Kind == types.List && lt.Elem().Kind == types.Array {
			// l[i] += v: in place on the item (types' augAssign).
			lv := f.expr(t.Value)
			item := f.listItem(lv, f.listIndex(lv, f.expr(t.Index).s, "list index out of range"))
			f.storeArray(item.arr, f.expr(s.Value), s.Op, f.info.Aug[s], s.P)
			return
		}
		f.store(t, func() *val { return f.expr(s.Value) }, s.Op, f.info.Aug[s])
		return
	}
	if n, ok := s.Target.(*pyast.Name); ok {
		if cur := f.vars[f.spec.Func.VarName(n)]; cur != nil && cur.t.Kind == types.Set {
			f.setAugAssign(n, cur, s) // pyset.go
			return
		}
	}
	v := f.expr(s.Value)
	switch t := s.Target.(type) {
	case *pyast.Attribute:
		dst := f.fieldVar(t)
		if dst == nil {
			return
		}
		if dst.t.Kind == types.Array {
			f.storeArray(f.materialize(dst), v, s.Op, f.info.Aug[s], s.P)
			return
		}
		f.attrAssign(t, f.binop(s.Op, f.expr(t), v, f.info.Aug[s], s.P), s.P)
	case *pyast.Name:
		cur := f.vars[f.spec.Func.VarName(t)]
		if cur.t.Kind == types.Str {
			f.assignTo(cur, f.strBinop(s.Op, cur, v), s.P) // strings.go: s += t, s *= n
			return
		}
		if cur.t.Kind == types.Array {
			f.storeArray(cur.arr, v, s.Op, f.info.Aug[s], s.P)
			return
		}
		res := f.binop(s.Op, cur, v, f.info.Aug[s], s.P)
		f.assignTo(cur, res, s.P)
	}
}

// rangeArgs evaluates range()'s arguments once each (a loop must not see
// later assignments to a variable passed as its bound) and checks that the
// step is not zero. sign is the step's sign when it is a constant, else 0.
func (f *fn) rangeArgs(call *pyast.Call) (start, stop, step ir.Expr, sign int) {
	args := make([]ir.Expr, len(call.Args))
	for i, a := range call.Args {
		args[i] = f.once(conv(f.expr(a).s, types.Int64))
	}
	start, step = ir.IntConst(0), ir.IntConst(1)
	switch len(args) {
	case 1:
		stop = args[0]
	case 2:
		start, stop = args[0], args[1]
	default:
		start, stop, step = args[0], args[1], args[2]
	}
	if c, ok := step.(*ir.Const); ok {
		switch {
		case c.I > 0:
			sign = 1
		case c.I < 0:
			sign = -1
		default:
			f.emit(&ir.Check{Cond: ir.BoolConst(false), Err: ir.ErrValue, Msg: "range() arg 3 must not be zero"})
		}
	} else {
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Ne, X: step, Y: ir.IntConst(0), T: types.BoolT}, Err: ir.ErrValue,
			Msg: "range() arg 3 must not be zero"})
	}
	return start, stop, step, sign
}

func (f *fn) forRange(s *pyast.For) {
	call := s.Iter.(*pyast.Call)
	name := s.Target.(*pyast.Name).ID
	start, stop, step, sign := f.rangeArgs(call)
	counter := &ir.Var{Name: f.unique("k"), Type: types.ScalarOf(types.Int64), Param: -1}
	f.f.Locals = append(f.f.Locals, counter)
	loopVar := f.vars[name].s.(*ir.Ref).Var
	// A loop variable that the body does not rebind, counting up from a
	// non-negative start, is a valid index below the loop's stop: indexing
	// with it needs no wrap-around and, against that extent, no check.
	saved, had := f.nonneg[name]
	savedStart := f.loopStart[name]
	inBody := map[string]int{}
	countAssigned(s.Body, inBody)
	if c, ok := start.(*ir.Const); ok && c.I >= 0 && sign == 1 && inBody[name] == 0 {
		f.nonneg[name] = ir.ExprString(stopExpr(call, stop, f))
		f.loopStart[name] = c.I
	} else if len(call.Args) >= 2 && sign == 1 && inBody[name] == 0 && f.nonnegIndex(call.Args[0]) {
		// Counting up from a start that cannot be negative (range(i + 1,
		// n) inside a loop over i): as above, but the start is known only
		// to be at least 0 (boundscheck.go tests it before the loop).
		f.nonneg[name] = ir.ExprString(stopExpr(call, stop, f))
		f.loopStart[name] = 0
	} else if c, ok := stop.(*ir.Const); ok && c.I >= -1 && c.I < 1<<62 && sign == -1 && inBody[name] == 0 {
		// Counting down to a stop of -1 or more (range(n - 1, -1, -1)),
		// the variable stays above the stop: never negative, at least
		// stop + 1. Its upper bound is the start, not a known extent, so
		// the checks stay (boundscheck.go hoists them before the loop).
		f.nonneg[name] = ""
		f.loopStart[name] = c.I + 1
	}
	stream := f.startStream(s, counter) // random_stream.go
	body := f.sub(func() {
		f.emit(&ir.Assign{Dst: loopVar, Src: conv(&ir.Ref{Var: counter}, loopVar.Type.DType)})
		if stream != nil {
			saved := f.stream
			f.stream = stream
			defer func() { f.stream = saved }()
			for _, src := range stream.order {
				f.emit(&ir.Assign{Dst: stream.cnts[src], Src: ir.IntConst(0)})
			}
		}
		f.stmts(s.Body)
	})
	if had {
		f.nonneg[name] = saved
		f.loopStart[name] = savedStart
	} else {
		delete(f.nonneg, name)
		delete(f.loopStart, name)
	}
	loop := &ir.For{Var: counter, Start: start, Stop: stop, Step: step, Sign: sign, Body: body}
	f.markParallel(s, loop)
	f.emit(loop)
}

// stopExpr is the loop bound as an extent when the stop is len(x) or
// x.shape[k], so indexing x along that axis can skip its check.
func stopExpr(call *pyast.Call, stop ir.Expr, f *fn) ir.Expr {
	last := call.Args[len(call.Args)-1]
	if len(call.Args) == 3 {
		last = call.Args[1]
	}
	switch e := last.(type) {
	case *pyast.Call:
		if n, ok := e.Func.(*pyast.Name); ok && n.ID == "len" && len(e.Args) == 1 {
			if _, ok := e.Args[0].(*pyast.Name); !ok {
				break
			}
			if v := f.expr(e.Args[0]); v.arr != nil {
				return &ir.Dim{Arr: v.arr, Axis: 0}
			}
		}
	case *pyast.Subscript:
		if a, ok := e.Value.(*pyast.Attribute); ok && a.Attr == "shape" {
			if _, ok := a.Value.(*pyast.Name); !ok {
				break
			}
			if k, ok := types.ConstIndex(e.Index); ok && k >= 0 {
				if v := f.expr(a.Value); v.arr != nil && int(k) < v.arr.Type.NDim {
					return &ir.Dim{Arr: v.arr, Axis: int(k)}
				}
			}
		}
	}
	return stop
}
