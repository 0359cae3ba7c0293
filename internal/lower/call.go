package lower

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/library"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
	"sejit/internal/types"
)

func (f *fn) call(e *pyast.Call, rt *types.Type) *val {
	if callee, ok := f.info.Callees[e]; ok {
		return f.userCall(e, callee, rt)
	}
	if v, ok := f.info.Instance[e]; ok { // types/isinstance.go
		return &val{t: types.BoolT, s: ir.BoolConst(v)}
	}
	ft := f.typeOf(e.Func)
	if v, ok := f.maskedCall(e, ft, rt); ok { // mask_reduce.go
		return v
	}
	if ft.Kind == types.Builtin && ft.Name == "numpy.linalg.multi_dot" {
		return f.multiDot(e) // linalg.go: it evaluates its own arguments
	}
	if _, ok := f.info.Folds[e]; ok {
		return f.fold(e, rt) // stdlib.go: it evaluates its own arguments
	}
	if r, ok := f.info.Running[e]; ok {
		return f.running(e, r, rt) // reduce_axis.go
	}
	if sub, ok := f.info.UfuncAt[e]; ok {
		f.ufuncAt(e, sub) // index_multi.go
		return &val{t: rt}
	}
	if ft.Kind == types.Builtin && ft.Name == "numpy.einsum" {
		return f.einsum(e, rt) // einsum.go
	}
	var args []*val
	if ft.Kind == types.Builtin && strings.HasPrefix(ft.Name, "method.") {
		args = append(args, f.expr(e.Func.(*pyast.Attribute).Value))
	}
	for _, a := range e.Args {
		args = append(args, f.expr(a))
	}
	kw := map[string]*val{}
	for _, k := range e.Keywords {
		kw[k.Name] = f.expr(k.Value)
	}
	if v, ok := f.castCall(e, ft, args, rt); ok {
		return v
	}
	switch ft.Kind {
	case types.Builtin:
		if name, ok := strings.CutPrefix(ft.Name, "numpy.random."); ok {
			return f.random(e, name, args, kw, rt)
		}
		if name, ok := strings.CutPrefix(ft.Name, "generator."); ok {
			return f.generatorMethod(e, f.expr(e.Func.(*pyast.Attribute).Value), name, args, kw, rt) // random_generator.go
		}
		if name, ok := strings.CutPrefix(ft.Name, "numpy.linalg."); ok {
			return f.npLinalg(e, name, args, kw, rt) // linalg.go
		}
		dot := strings.IndexByte(ft.Name, '.')
		module, name := ft.Name[:dot], ft.Name[dot+1:]
		if module == "method" && (name == "conjugate" || name == "conj") && args[0].t.Kind == types.Array &&
			!args[0].t.DType.IsComplex() {
			return args[0] // NumPy's method returns a real array itself, not a copy
		}
		switch module {
		case "numpy", "method":
			return f.numpy(e, name, args, kw, rt)
		case "math":
			return f.math(e, name, args, kw, rt)
		case "cmath":
			return f.cmath(e, name, args, kw, rt)
		case "sejit":
			return f.kernelFunc(e, name, args, rt) // kernel.go
		case "builtins":
			if merged, ok := types.MergeKeywords(name, args, kw); ok {
				args = merged
			}
			return f.pyBuiltin(e, name, args, rt)
		}
	}
	f.errorf(e.P, diag.Internal, "cannot lower this call")
	return &val{t: rt, s: ir.IntConst(0)}
}

// flatten lists the IR leaves of a value passed to a function.
func (f *fn) flatten(v *val) []ir.Expr {
	switch v.t.Kind {
	case types.Tuple, types.Function, types.List, types.Dict, types.Set, types.Str: // a function value passes its captured variables
		var out []ir.Expr
		for _, e := range v.elems {
			out = append(out, f.flatten(e)...)
		}
		return out
	case types.Array:
		return []ir.Expr{&ir.ArrayRef{Var: f.materialize(v)}}
	case types.DTypeObj:
		return nil // a dtype is part of the callee's specialization, not a run-time value
	}
	if v.cell != nil {
		return []ir.Expr{&ir.ArrayRef{Var: v.cell}} // a captured cell (resolve/nonlocal.go)
	}
	return []ir.Expr{f.stableExpr(v.s)}
}

func (f *fn) userCall(e *pyast.Call, callee *types.Spec, rt *types.Type) *val {
	args := f.methodSelf(e)
	boxes := map[int]*ir.Var{} // inner lists passed (list_lists.go)
	for i, a := range f.info.Bound[e] {
		av := f.expr(a)
		if av.box != nil {
			boxes[i] = av.box
		}
		args = append(args, f.flatten(av)...)
	}
	// The callee's list parameters come back as it left them (appended
	// to, sorted, ...): store each into the caller's variable it was
	// passed (types.listCall allows plain names and new lists only).
	bound := f.info.Bound[e]
	off := len(callee.Func.Params) - len(bound)
	var lists []*val
	storeBack := func() bool {
		stored := false
		for k, i := range ReflectedLists(callee) {
			if i < off {
				continue
			}
			if box := boxes[i-off]; box != nil {
				f.setBoxContents(box, lists[k], callee.Args[i]) // list_lists.go
				stored = true
				continue
			}
			if n, ok := bound[i-off].(*pyast.Name); ok {
				if dst, ok := f.vars[f.spec.Func.VarName(n)]; ok && dst.t.Kind == types.List {
					f.listAssign(dst, lists[k])
					stored = true
				} else if ok && dst.t.IsHashed() {
					f.hashedAssign(dst, lists[k]) // dicts.go
					stored = true
				}
			}
		}
		return stored
	}
	var v *val
	call := f.sub(func() { v, lists = f.callSpecLists(callee, args, e.Func, rt) })
	// A callee that raises leaves its list parameters as they were when
	// it failed (ir.Func.OnFail, which the call's results receive then
	// too); CPython's caller sees those changes, so where anyone can see
	// them after the raise — a handler or finally clause of this function,
	// or this function's own caller, when it has list parameters of its
	// own — the call stores them back on its failure as well, in a
	// handler that catches everything and raises again.
	emitAll := func(stmts []ir.Stmt) {
		for _, st := range stmts {
			f.emit(st)
		}
	}
	if f.inTry == 0 && len(ReflectedLists(f.spec)) == 0 {
		emitAll(call)
		storeBack()
		return v
	}
	id := f.newTryID()
	onFail := f.sub(func() {
		if storeBack() {
			f.emit(&ir.Reraise{ID: id})
		}
	})
	if len(onFail) == 0 {
		emitAll(call)
		return v
	}
	everything := errKinds(append(resolve.CaughtCodes(nil), resolve.InterruptCode))
	f.emit(&ir.Try{ID: id, Body: call, Handlers: []ir.Handler{{Errs: everything, Body: onFail}}, Line: e.P.Line, Col: e.P.Col})
	storeBack()
	return v
}

// callSpec calls the specialization callee with args, the flattened
// values of its declared parameters; fun is the called function value,
// whose captured variables follow them (a nested function's).
func (f *fn) callSpec(callee *types.Spec, args []ir.Expr, fun pyast.Expr, rt *types.Type) *val {
	v, _ := f.callSpecLists(callee, args, fun, rt)
	return v
}

// callSpecLists is callSpec that also returns the callee's list
// parameters as it left them (lower.ReflectedLists), in order.
func (f *fn) callSpecLists(callee *types.Spec, args []ir.Expr, fun pyast.Expr, rt *types.Type) (*val, []*val) {
	args = append(args, f.flatten(f.expr(fun))...)
	target := f.l.funcs[callee.Index]
	var dsts []*ir.Var
	for _, t := range resultLeaves(callee.Info) {
		dsts = append(dsts, f.temp(t))
	}
	reflected := ReflectedLists(callee)
	for _, i := range reflected {
		for _, t := range leaves(callee.Args[i]) {
			dsts = append(dsts, f.temp(t))
		}
	}
	f.emit(&ir.Call{Func: target, Args: args, Dsts: dsts})
	i := 0
	if callee.Info.RetNone {
		i = 1 // the None flag: the value of such a call is not used (types)
	}
	var build func(t *types.Type) *val
	build = func(t *types.Type) *val {
		switch t.Kind {
		case types.Str:
			return fixStr(build(strRepr))
		case types.List:
			return fixList(build(listRepr(t)), t)
		case types.Dict, types.Set:
			return fixHashed(build(hashRepr(t)), t)
		case types.Tuple:
			v := &val{t: t}
			for _, el := range t.Elems {
				v.elems = append(v.elems, build(el))
			}
			return v
		case types.None:
			return &val{t: t}
		}
		d := dsts[i]
		i++
		if t.Kind == types.Array {
			return &val{t: t, arr: d}
		}
		return &val{t: t, s: &ir.Ref{Var: d}}
	}
	v := build(rt)
	var lists []*val
	for _, i := range reflected {
		lists = append(lists, build(callee.Args[i]))
	}
	return v, lists
}

// fnNamed is the intrinsic of the registry listed under name. The catalog
// tables lowering reads name only functions the registry has
// (TestCatalogIntrinsics), so a miss is a bug of lowering: it panics,
// which the driver reports as an internal error.
func fnNamed(name string) ir.Fn {
	fn := ir.FnNamed(name)
	if fn == ir.BadFn {
		panic("lower: no intrinsic computes " + name)
	}
	return fn
}

// entryFn is the intrinsic computing a library entry's element function
// (library.Entry.IntrinsicName: its Intrinsic, a binary ufunc's lower-case
// Op, or its name), looked up like fnNamed.
func entryFn(ent *library.Entry) ir.Fn { return fnNamed(ent.IntrinsicName()) }

// opNamed is the IR operator listed under name (a library entry's Op for
// the logical ufuncs); like fnNamed, a miss is a bug of lowering
// (TestCatalogIntrinsics) and panics.
func opNamed(name string) ir.Op {
	op := ir.OpNamed(name)
	if op == ir.BadOp {
		panic("lower: no operator is listed as " + name)
	}
	return op
}

// numpy lowers a call of a NumPy function (or an array method) by its
// library entry's Rule, as types.numpyCall typed it.
func (f *fn) numpy(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	if library.Callable("ndarray", name).Is(library.Method) && strings.HasPrefix(f.typeOf(e.Func).Name, "method.") {
		return f.arrayMethod(e, name, args, rt)
	}
	if ra := types.ReduceOf(f.info, e); ra != nil {
		return f.reduceAxis(e, name, args, ra, rt)
	}
	ent := library.Callable("numpy", name)
	if ent == nil {
		f.errorf(e.P, diag.Internal, "cannot lower np.%s", name)
		return &val{t: rt, s: ir.IntConst(0)}
	}
	switch ent.Rule {
	case library.Ufunc:
		return f.ufunc(e, ent, args, rt)
	case library.Function:
		return f.numpyFunc(e, name, args, kw, rt)
	case library.Creation:
		if name == "ndarray" {
			name = "empty"
		}
		return f.creation(e, name, types.CreationArgs(name, args, kw), rt)
	case library.Reduction:
		return f.reduce(e, name, args[0], rt)
	case library.Where:
		if len(args) == 1 {
			return f.numpyShape(e, "nonzero", args, kw, rt)
		}
		d := rt.DType
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			return &ir.Select{Cond: truth(xs[0]), X: conv(xs[1], d), Y: conv(xs[2], d), T: types.ScalarOf(d)}
		})
	case library.UfuncPred:
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			x := xs[0]
			if !ir.TypeOf(x).DType.IsFloat() && !ir.TypeOf(x).DType.IsComplex() {
				return ir.BoolConst(name == "isfinite")
			}
			return &ir.Intrinsic{Fn: fnNamed(name), Args: []ir.Expr{x}, T: types.BoolT}
		})
	case library.UfuncFloat, library.UfuncSame:
		d := rt.DType
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			x := xs[0]
			switch name {
			case "negative":
				return &ir.Unary{Op: ir.Neg, X: conv(x, d), T: types.ScalarOf(d)}
			case "square":
				x = conv(x, d)
				if rt.Kind == types.Array {
					return arrayBin("Mult", x, x, d)
				}
				return &ir.Bin{Op: ir.Mul, X: x, Y: x, T: types.ScalarOf(d)}
			case "abs", "absolute":
				if rt.Kind == types.Array && ir.TypeOf(x).DType.IsComplex() {
					return npComplexAbs(x, d)
				}
				return &ir.Unary{Op: ir.Abs, X: x, T: types.ScalarOf(d)}
			case "conjugate", "conj":
				if !d.IsComplex() {
					return conv(x, d) // a real number is its own conjugate
				}
			case "floor", "ceil", "trunc":
				if d.IsInt() || d == types.Bool {
					return conv(x, d)
				}
			}
			return &ir.Intrinsic{Fn: entryFn(ent), Args: []ir.Expr{conv(x, d)}, T: types.ScalarOf(d)}
		})
	}
	// library.UfuncBinary
	op := ent.Op
	if op != "" && op[0] >= 'A' && op[0] <= 'Z' {
		d := rt.DType
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr { return arrayBin(op, xs[0], xs[1], d) })
	}
	d := rt.DType
	return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
		return &ir.Intrinsic{Fn: entryFn(ent), Args: []ir.Expr{conv(xs[0], d), conv(xs[1], d)}, T: types.ScalarOf(d)}
	})
}

// shapeOf reads a shape argument: an int or a tuple of ints.
func (f *fn) shapeOf(v *val) []ir.Expr {
	if v.t.Kind == types.Tuple {
		var out []ir.Expr
		for _, el := range v.elems {
			out = append(out, f.stableExpr(conv(el.s, types.Int64)))
		}
		return out
	}
	return []ir.Expr{f.stableExpr(conv(v.s, types.Int64))}
}

func (f *fn) creation(e *pyast.Call, name string, args []*val, rt *types.Type) *val {
	d := rt.DType
	i64 := types.ScalarOf(types.Int64)
	if name == "arange" {
		var start, stop, step ir.Expr = ir.IntConst(0), nil, ir.IntConst(1)
		switch len(args) {
		case 1:
			stop = args[0].s
		case 2:
			start, stop = args[0].s, args[1].s
		default:
			start, stop, step = args[0].s, args[1].s, args[2].s
		}
		// Compute in the promoted type of the arguments (Python ints in int64).
		ct := types.Int64
		for _, a := range args {
			if a.t.DType.IsFloat() {
				ct = types.Float64
			}
		}
		start, stop, step = f.stableExpr(conv(start, ct)), f.stableExpr(conv(stop, ct)), f.stableExpr(conv(step, ct))
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Ne, X: step, Y: zeroOf(ct), T: types.BoolT}, Err: ir.ErrZeroDiv,
			Msg: "division by zero (arange step)"})
		var n ir.Expr
		if ct == types.Int64 {
			// ceil((stop-start)/step) for either sign of step.
			n = &ir.Intrinsic{Fn: ir.FnCeilDiv, Args: []ir.Expr{&ir.Bin{Op: ir.Sub, X: stop, Y: start, T: i64}, step}, T: i64}
		} else {
			f64 := types.ScalarOf(types.Float64)
			n = &ir.Cast{X: &ir.Intrinsic{Fn: ir.FnCeil, Args: []ir.Expr{&ir.Bin{Op: ir.Div,
				X: &ir.Bin{Op: ir.Sub, X: stop, Y: start, T: f64}, Y: step, T: f64}}, T: f64}, T: i64}
		}
		n = f.stableExpr(&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{n, ir.IntConst(0)}, T: i64})
		dst := f.temp(rt)
		f.emit(&ir.SetArray{Dst: dst, Src: &ir.Alloc{DType: d, Shape: []ir.Expr{n}}})
		vs, idx := f.idxVars(1)
		elem := &ir.Bin{Op: ir.Add, X: start, Y: &ir.Bin{Op: ir.Mul, X: conv(idx[0], ct), Y: step, T: types.ScalarOf(ct)},
			T: types.ScalarOf(ct)}
		f.emit(&ir.Nest{Vars: vs, Bounds: []ir.Expr{n}, Body: []ir.Stmt{&ir.Store{Arr: dst, Idx: idx, Src: conv(elem, d)}}})
		return &val{t: rt, arr: dst}
	}
	var shape []ir.Expr
	if strings.HasSuffix(name, "_like") {
		for _, s := range args[0].asLazy().shape {
			shape = append(shape, f.stableExpr(s))
		}
	} else {
		shape = f.shapeOf(args[0])
		for _, s := range shape {
			if c, ok := s.(*ir.Const); ok && c.I >= 0 {
				continue
			}
			f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Ge, X: s, Y: ir.IntConst(0), T: types.BoolT}, Err: ir.ErrValue,
				Msg: "negative dimensions are not allowed"})
		}
	}
	dst := f.temp(rt)
	f.emit(&ir.SetArray{Dst: dst, Src: &ir.Alloc{DType: d, Shape: shape}})
	f.noteShape(dst, shape)
	var fill ir.Expr
	switch strings.TrimSuffix(name, "_like") {
	case "zeros":
		fill = zeroOf(d)
	case "ones":
		fill = oneOf(d)
	case "full":
		fill = conv(f.stableExpr(args[1].s), d)
	}
	if fill != nil {
		vs, idx := f.idxVars(len(shape))
		f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{&ir.Store{Arr: dst, Idx: idx, Src: fill}}})
	}
	return &val{t: rt, arr: dst}
}

// reduce lowers a whole-array reduction into one nest that accumulates
// into a scalar; the array expression is computed inside it, so
// np.sum(x*x) allocates nothing.
func (f *fn) reduce(e *pyast.Call, name string, v *val, rt *types.Type) *val {
	if v.t.Kind == types.Scalar {
		// A reduction of a scalar is the scalar.
		if name == "mean" {
			return &val{t: rt, s: conv(v.s, rt.DType)}
		}
		return &val{t: rt, s: conv(v.s, rt.DType)}
	}
	lz := v.asLazy()
	d := rt.DType
	// float32 sums accumulate in float64: more accurate than NumPy's own
	// pairwise float32 sum, so results agree within its tolerance.
	acc := d
	if d == types.Float32 && (name == "sum" || name == "mean" || name == "prod") {
		acc = types.Float64
	}
	if name == "mean" && d == types.Complex64 {
		acc = types.Complex128
	}
	accT := types.ScalarOf(acc)
	shape := make([]ir.Expr, len(lz.shape))
	for i, s := range lz.shape {
		shape[i] = f.once(s)
	}
	a := f.temp(accT)
	vs, idx := f.idxVars(len(shape))
	switch name {
	case "sum", "mean", "prod":
		op, init := ir.Add, zeroOf(acc)
		if name == "prod" {
			op, init = ir.Mul, oneOf(acc)
		}
		f.emit(&ir.Assign{Dst: a, Src: init})
		f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{&ir.Assign{Dst: a,
			Src: &ir.Bin{Op: op, X: &ir.Ref{Var: a}, Y: conv(lz.gen(idx), acc), T: accT}}}})
		if name == "mean" {
			size := product(shape)
			mean := &ir.Bin{Op: ir.Div, X: &ir.Ref{Var: a}, Y: conv(size, acc), T: accT}
			return &val{t: rt, s: conv(mean, d)}
		}
		return &val{t: rt, s: conv(&ir.Ref{Var: a}, d)}
	}
	// min and max: NaN wins, as in NumPy; an empty array has no identity.
	size := product(shape)
	long := "minimum"
	op := ir.Lt
	if name == "max" || name == "amax" {
		long, op = "maximum", ir.Gt
	}
	f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Gt, X: size, Y: ir.IntConst(0), T: types.BoolT}, Err: ir.ErrValue,
		Msg: "zero-size array to reduction operation " + long + " which has no identity"})
	f.emit(&ir.Assign{Dst: a, Src: conv(lz.gen(zeros(len(shape))), acc)})
	x := f.temp(accT)
	var better ir.Expr = &ir.Bin{Op: op, X: &ir.Ref{Var: x}, Y: &ir.Ref{Var: a}, T: types.BoolT}
	if acc.IsFloat() {
		better = &ir.Bin{Op: ir.Or, X: better, Y: &ir.Bin{Op: ir.Ne, X: &ir.Ref{Var: x}, Y: &ir.Ref{Var: x}, T: types.BoolT},
			T: types.BoolT}
	}
	f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{
		&ir.Assign{Dst: x, Src: conv(lz.gen(idx), acc)},
		&ir.Assign{Dst: a, Src: &ir.Select{Cond: better, X: &ir.Ref{Var: x}, Y: &ir.Ref{Var: a}, T: accT}},
	}})
	return &val{t: rt, s: &ir.Ref{Var: a}}
}

// mathPlain lowers the math functions math leaves: math.floor, ceil and
// trunc, the predicates, and the functions of two arguments or without
// error checks.
func (f *fn) mathPlain(name string, args []*val, rt *types.Type) *val {
	f64 := types.ScalarOf(types.Float64)
	xs := make([]ir.Expr, len(args))
	for i, a := range args {
		xs[i] = f.stableExpr(conv(a.s, types.Float64))
	}
	domain := func(cond ir.Expr) {
		f.emit(&ir.Check{Cond: cond, Err: ir.ErrValue, Msg: "math domain error"})
	}
	cmp := func(op ir.Op, x ir.Expr, v float64) ir.Expr {
		return &ir.Bin{Op: op, X: x, Y: &ir.Const{Type: f64, F: v}, T: types.BoolT}
	}
	switch library.Callable("math", name).Rule {
	case library.MathInt:
		return &val{t: rt, s: f.floatToInt(&ir.Intrinsic{Fn: fnNamed(name), Args: xs[:1], T: f64})}
	case library.MathPred:
		return &val{t: rt, s: &ir.Intrinsic{Fn: fnNamed(name), Args: xs, T: types.BoolT}}
	}
	if name == "log" && len(xs) == 2 {
		// CPython: the log of each (a domain error for x <= 0, NaN for
		// NaN), then their quotient, a float division by zero for base 1.
		not := func(x ir.Expr) ir.Expr { return &ir.Unary{Op: ir.Not, X: x, T: types.BoolT} }
		domain(not(cmp(ir.Le, xs[0], 0)))
		domain(not(cmp(ir.Le, xs[1], 0)))
		den := f.stableExpr(&ir.Intrinsic{Fn: ir.FnLog, Args: xs[1:], T: f64})
		f.emit(&ir.Check{Cond: cmp(ir.Ne, den, 0), Err: ir.ErrZeroDiv, Msg: "float division by zero"})
		return &val{t: rt, s: &ir.Bin{Op: ir.Div, X: &ir.Intrinsic{Fn: ir.FnLog, Args: xs[:1], T: f64}, Y: den, T: f64}}
	}
	return &val{t: rt, s: &ir.Intrinsic{Fn: fnNamed(name), Args: xs, T: f64}}
}

// pyBuiltin lowers a call of a Python builtin (keywords merged into args).
func (f *fn) pyBuiltin(e *pyast.Call, name string, args []*val, rt *types.Type) *val {
	d := rt.DType
	switch name {
	case "len":
		a := args[0]
		if a.t.Kind == types.Tuple {
			return &val{t: rt, s: ir.IntConst(int64(len(a.elems)))}
		}
		return &val{t: rt, s: a.asLazy().shape[0]}
	case "abs":
		if len(args) == 1 && rt.Kind == types.Array {
			return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
				if ir.TypeOf(xs[0]).DType.IsComplex() {
					return npComplexAbs(xs[0], d)
				}
				return &ir.Unary{Op: ir.Abs, X: xs[0], T: types.ScalarOf(d)}
			})
		}
		return f.absOf(args[0], rt)
	case "min", "max":
		if len(args) == 1 && args[0].t.Kind == types.Tuple {
			args = args[0].elems
		}
		if len(args) == 1 {
			return f.reduce(e, name, args[0], rt)
		}
		// Python keeps the first of equal candidates and compares in order.
		acc := f.temp(types.ScalarOf(d))
		f.emit(&ir.Assign{Dst: acc, Src: conv(args[0].s, d)})
		op := ir.Lt
		if name == "max" {
			op = ir.Gt
		}
		for _, a := range args[1:] {
			x := f.stableExpr(conv(a.s, d))
			f.emit(&ir.Assign{Dst: acc, Src: &ir.Select{Cond: &ir.Bin{Op: op, X: x, Y: &ir.Ref{Var: acc}, T: types.BoolT},
				X: x, Y: &ir.Ref{Var: acc}, T: types.ScalarOf(d)}})
		}
		return &val{t: rt, s: &ir.Ref{Var: acc}}
	case "round":
		if len(args) == 2 {
			return f.roundDigits(args[0], args[1], rt)
		}
		x := f.stableExpr(conv(args[0].s, types.Float64))
		if args[0].t.DType.Kind() <= types.KInt {
			return &val{t: rt, s: conv(args[0].s, types.Int64)}
		}
		// Python rounds half to even.
		return &val{t: rt, s: f.floatToInt(&ir.Intrinsic{Fn: ir.FnRint, Args: []ir.Expr{x}, T: types.ScalarOf(types.Float64)})}
	case "pow":
		if len(args) == 3 {
			return f.powMod(args, rt)
		}
		return f.binop("Pow", args[0], args[1], rt, e.P)
	case "divmod":
		if v, ok := f.divmod(e, args, rt); ok {
			return v
		}
		q := f.binop("FloorDiv", args[0], args[1], rt.Elems[0], e.P)
		r := &val{t: rt.Elems[1], s: scalarBin("Mod", args[0].s, args[1].s, rt.Elems[1].DType)}
		return &val{t: rt, elems: []*val{q, r}}
	case "sum":
		if len(args) >= 1 && args[0].t.Kind == types.Tuple {
			return f.sumTuple(e, args)
		}
		return f.reduce(e, "sum", args[0], rt)
	}
	f.errorf(e.P, diag.Internal, "cannot lower builtin %s", name)
	return &val{t: rt, s: ir.IntConst(0)}
}
