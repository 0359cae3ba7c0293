package lower

// Builtins, math and cmath functions of the Python-language step.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

var (
	f64T  = types.ScalarOf(types.Float64)
	c128T = types.ScalarOf(types.Complex128)
)

func intr(fn ir.Fn, t *types.Type, args ...ir.Expr) ir.Expr {
	return &ir.Intrinsic{Fn: fn, Args: args, T: t}
}

func not(x ir.Expr) ir.Expr { return &ir.Unary{Op: ir.Not, X: x, T: types.BoolT} }

func and(x, y ir.Expr) ir.Expr { return &ir.Bin{Op: ir.And, X: x, Y: y, T: types.BoolT} }

func cmpI(op ir.Op, x ir.Expr, v int64) ir.Expr {
	return &ir.Bin{Op: op, X: x, Y: ir.IntConst(v), T: types.BoolT}
}

func (f *fn) check(cond ir.Expr, kind ir.ErrKind, msg string) {
	f.emit(&ir.Check{Cond: cond, Err: kind, Msg: ir.MessageLiteral(msg)})
}

// builtinExt lowers the builtins (and forms of them) this step adds.
func (f *fn) builtinExt(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) (*val, bool) {
	if merged, ok := types.MergeKeywords(name, args, kw); ok {
		args = merged
	}
	switch name {
	case "round":
		if len(args) != 2 {
			return nil, false
		}
		n := f.stableExpr(conv(args[1].s, types.Int64))
		if rt.DType.IsInt() {
			return &val{t: rt, s: intr(ir.FnPyRoundI64, i64T, conv(args[0].s, types.Int64), n)}, true
		}
		return &val{t: rt, s: intr(ir.FnPyRoundF64, f64T, conv(args[0].s, types.Float64), n)}, true
	case "pow":
		if len(args) != 3 {
			return nil, false
		}
		b := f.stableExpr(conv(args[0].s, types.Int64))
		x := f.stableExpr(conv(args[1].s, types.Int64))
		m := f.stableExpr(conv(args[2].s, types.Int64))
		f.check(cmpI(ir.Ne, m, 0), ir.ErrValue, "pow() 3rd argument cannot be 0")
		f.check(&ir.Bin{Op: ir.Or, X: cmpI(ir.Ge, x, 0), Y: &ir.Bin{Op: ir.Eq, X: intr(ir.FnPyGcd, i64T, b, m),
			Y: ir.IntConst(1), T: types.BoolT}, T: types.BoolT}, ir.ErrValue, "base is not invertible for the given modulus")
		return &val{t: rt, s: intr(ir.FnPyPowmod, i64T, b, x, m)}, true
	case "abs":
		if len(args) != 1 || rt.Kind != types.Array {
			return nil, false
		}
		d := rt.DType
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			return &ir.Unary{Op: ir.Abs, X: xs[0], T: types.ScalarOf(d)}
		}), true
	case "divmod":
		if len(args) == 2 && rt.Kind == types.Tuple && rt.Elems[0].Kind == types.Array {
			// Element-wise, as np.divmod: floor_divide and remainder.
			q := f.binop("FloorDiv", f.stable(args[0]), f.stable(args[1]), rt.Elems[0], e.P)
			r := f.binop("Mod", f.stable(args[0]), f.stable(args[1]), rt.Elems[1], e.P)
			return &val{t: rt, elems: []*val{q, r}}, true
		}
		if len(args) != 2 || rt.Kind != types.Tuple || !rt.Elems[0].Weak {
			return nil, false
		}
		d := rt.Elems[0].DType
		x, y := f.stableExpr(conv(args[0].s, d)), f.stableExpr(conv(args[1].s, d))
		msg := "integer division or modulo by zero"
		if d.IsFloat() {
			msg = "float divmod()"
		}
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Ne, X: y, Y: zeroOf(d), T: types.BoolT}, Err: ir.ErrZeroDiv, Msg: msg})
		q := &val{t: rt.Elems[0], s: scalarBin("FloorDiv", x, y, d)}
		r := &val{t: rt.Elems[1], s: scalarBin("Mod", x, y, d)}
		return &val{t: rt, elems: []*val{q, r}}, true
	case "sum":
		if len(args) < 1 || args[0].t.Kind != types.Tuple {
			return nil, false
		}
		acc := &val{t: types.Int, s: ir.IntConst(0)}
		if len(args) == 2 {
			acc = args[1]
		}
		for _, el := range args[0].elems {
			t := types.BinopType("Add", acc.t, el.t)
			acc = f.binop("Add", acc, el, t, e.P)
		}
		return acc, true
	case "min", "max":
		if len(args) != 1 || args[0].t.Kind != types.Tuple {
			return nil, false
		}
		return f.pyBuiltin(e, name, args[0].elems, rt), true
	}
	return nil, false
}

// mathOverflows are the functions whose infinite result from a finite
// argument is CPython's OverflowError ("math range error"); for the
// others it is a ValueError ("math domain error").
var mathOverflows = map[string]bool{"exp": true, "expm1": true, "exp2": true, "cosh": true, "sinh": true,
	"gamma": true, "lgamma": true}

// mathExt lowers the math functions this step adds and gives the one-
// argument functions CPython's domain and range errors.
func (f *fn) mathExt(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) (*val, bool) {
	fx := func(i int) ir.Expr { return f.stableExpr(conv(args[i].s, types.Float64)) }
	ix := func(i int) ir.Expr { return f.stableExpr(conv(args[i].s, types.Int64)) }
	isnan := func(x ir.Expr) ir.Expr { return intr(ir.FnIsnan, types.BoolT, x) }
	isinf := func(x ir.Expr) ir.Expr { return intr(ir.FnIsinf, types.BoolT, x) }
	finite := func(x ir.Expr) ir.Expr { return intr(ir.FnIsfinite, types.BoolT, x) }
	switch name {
	case "fsum":
		xs := []ir.Expr{ir.IntConst(int64(len(args[0].elems)))}
		for _, el := range args[0].elems {
			xs = append(xs, f.stableExpr(conv(el.s, types.Float64)))
		}
		code := f.stableExpr(intr(ir.FnPyFsumErr, i64T, xs...))
		f.check(cmpI(ir.Ne, code, 1), ir.ErrOverflow, "intermediate overflow in fsum")
		f.check(cmpI(ir.Ne, code, 2), ir.ErrValue, "-inf + inf in fsum")
		return &val{t: rt, s: intr(ir.FnPyFsum, f64T, xs...)}, true
	case "prod":
		acc := &val{t: types.Int, s: ir.IntConst(1)}
		if s, ok := kw["start"]; ok {
			acc = s
		}
		for _, el := range args[0].elems {
			acc = f.binop("Mult", acc, el, types.BinopType("Mult", acc.t, el.t), e.P)
		}
		return acc, true
	case "isclose":
		a, b := fx(0), fx(1)
		rel, abs := f.tolerances(kw)
		return &val{t: rt, s: intr(ir.FnPyIsclose, types.BoolT, a, b, rel, abs)}, true
	case "gcd", "lcm":
		var acc ir.Expr = ir.IntConst(0)
		if name == "lcm" {
			acc = ir.IntConst(1)
		}
		for i := range args {
			x := ix(i)
			if name == "gcd" {
				acc = f.stableExpr(intr(ir.FnPyGcd, i64T, acc, x))
				continue
			}
			f.check(intr(ir.FnPyLcmOk, types.BoolT, acc, x), ir.ErrOverflow, "math.lcm() result does not fit in int64")
			acc = f.stableExpr(intr(ir.FnPyLcm, i64T, acc, x))
		}
		return &val{t: rt, s: acc}, true
	case "factorial":
		n := ix(0)
		f.check(cmpI(ir.Ge, n, 0), ir.ErrValue, "factorial() not defined for negative values")
		f.check(intr(ir.FnPyFactorialOk, types.BoolT, n), ir.ErrOverflow, "math.factorial() result does not fit in int64")
		return &val{t: rt, s: intr(ir.FnPyFactorial, i64T, n)}, true
	case "comb", "perm":
		n := ix(0)
		k := n
		if len(args) == 2 {
			k = ix(1)
		}
		f.check(cmpI(ir.Ge, n, 0), ir.ErrValue, "n must be a non-negative integer")
		f.check(cmpI(ir.Ge, k, 0), ir.ErrValue, "k must be a non-negative integer")
		f.check(intr(fnNamed("py_"+name+"_ok"), types.BoolT, n, k), ir.ErrOverflow, "math."+name+"() result does not fit in int64")
		return &val{t: rt, s: intr(fnNamed("py_"+name), i64T, n, k)}, true
	case "isqrt":
		n := ix(0)
		f.check(cmpI(ir.Ge, n, 0), ir.ErrValue, "isqrt() argument must be nonnegative")
		return &val{t: rt, s: intr(ir.FnPyIsqrt, i64T, n)}, true
	case "ldexp":
		x := fx(0)
		r := f.stableExpr(intr(ir.FnPyLdexp, f64T, x, ix(1)))
		f.check(not(and(isinf(r), finite(x))), ir.ErrOverflow, "math range error")
		return &val{t: rt, s: r}, true
	case "frexp":
		x := fx(0)
		return &val{t: rt, elems: []*val{{t: types.Float, s: intr(ir.FnPyFrexpM, f64T, x)},
			{t: types.Int, s: intr(ir.FnPyFrexpE, i64T, x)}}}, true
	case "modf":
		x := fx(0)
		return &val{t: rt, elems: []*val{{t: types.Float, s: intr(ir.FnPyModfFrac, f64T, x)},
			{t: types.Float, s: intr(ir.FnPyModfInt, f64T, x)}}}, true
	case "remainder", "nextafter", "fmod":
		x, y := fx(0), fx(1)
		r := f.stableExpr(intr(fnNamed(name), f64T, x, y))
		if name != "nextafter" {
			// fmod(inf, y), fmod(x, 0), remainder(x, 0): NaN from numbers.
			f.check(not(and(isnan(r), and(not(isnan(x)), not(isnan(y))))), ir.ErrValue, "math domain error")
		}
		return &val{t: rt, s: r}, true
	case "ulp":
		return &val{t: rt, s: intr(ir.FnPyUlp, f64T, fx(0))}, true
	case "hypot":
		if len(args) == 2 {
			return nil, false
		}
		var acc ir.Expr = &ir.Const{Type: f64T}
		for i := range args {
			acc = f.stableExpr(intr(ir.FnHypot, f64T, acc, fx(i)))
		}
		return &val{t: rt, s: acc}, true
	case "pow":
		x, y := fx(0), fx(1)
		r := f.stableExpr(&ir.Bin{Op: ir.Pow, X: x, Y: y, T: f64T})
		fin := and(finite(x), finite(y))
		f.check(not(and(fin, isnan(r))), ir.ErrValue, "math domain error")
		f.check(not(and(fin, and(isinf(r), &ir.Bin{Op: ir.Eq, X: x, Y: &ir.Const{Type: f64T}, T: types.BoolT}))),
			ir.ErrValue, "math domain error")
		f.check(not(and(fin, isinf(r))), ir.ErrOverflow, "math range error")
		return &val{t: rt, s: r}, true
	}
	if !types.MathFuncs[name] || len(args) != 1 {
		return nil, false
	}
	switch name {
	case "fabs", "degrees", "radians":
		return nil, false
	}
	x := fx(0)
	if name == "gamma" || name == "lgamma" {
		f.check(not(intr(ir.FnPyGammaPole, types.BoolT, x)), ir.ErrValue, "math domain error")
	}
	r := f.stableExpr(intr(fnNamed(name), f64T, x))
	// Checks that cannot fail are left out (mathsign.go).
	if name != "sqrt" || !f.nonNegative(e.Args[0], 0) {
		f.check(not(and(isnan(r), not(isnan(x)))), ir.ErrValue, "math domain error")
	}
	switch {
	case finiteMath[name]:
	case mathOverflows[name]:
		f.check(not(and(isinf(r), finite(x))), ir.ErrOverflow, "math range error")
	default:
		f.check(not(and(isinf(r), finite(x))), ir.ErrValue, "math domain error")
	}
	return &val{t: rt, s: r}, true
}

// tolerances reads isclose's rel_tol and abs_tol, checked non-negative.
func (f *fn) tolerances(kw map[string]*val) (ir.Expr, ir.Expr) {
	var rel, abs ir.Expr = &ir.Const{Type: f64T, F: 1e-9}, &ir.Const{Type: f64T}
	if v, ok := kw["rel_tol"]; ok {
		rel = f.stableExpr(conv(v.s, types.Float64))
	}
	if v, ok := kw["abs_tol"]; ok {
		abs = f.stableExpr(conv(v.s, types.Float64))
	}
	zero := &ir.Const{Type: f64T}
	f.check(and(&ir.Bin{Op: ir.Ge, X: rel, Y: zero, T: types.BoolT}, &ir.Bin{Op: ir.Ge, X: abs, Y: zero, T: types.BoolT}),
		ir.ErrValue, "tolerances must be non-negative")
	return rel, abs
}

// cmath lowers a call of a cmath function.
func (f *fn) cmath(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	z := func(i int) ir.Expr { return f.stableExpr(conv(args[i].s, types.Complex128)) }
	switch name {
	case "phase":
		return &val{t: rt, s: intr(ir.FnPyPhase, f64T, z(0))}
	case "polar":
		x := z(0)
		return &val{t: rt, elems: []*val{{t: types.Float, s: intr(ir.FnPyCabs, f64T, x)},
			{t: types.Float, s: intr(ir.FnPyPhase, f64T, x)}}}
	case "rect":
		r := f.stableExpr(conv(args[0].s, types.Float64))
		phi := f.stableExpr(conv(args[1].s, types.Float64))
		return &val{t: rt, s: intr(ir.FnPyRect, c128T, r, phi)}
	case "isnan", "isinf", "isfinite":
		return &val{t: rt, s: intr(fnNamed(name), types.BoolT, z(0))}
	case "isclose":
		a, b := z(0), z(1)
		rel, abs := f.tolerances(kw)
		return &val{t: rt, s: intr(ir.FnPyCisclose, types.BoolT, a, b, rel, abs)}
	}
	x := z(0)
	switch name {
	case "log", "log10":
		f.check(not(intr(ir.FnPyCzero, types.BoolT, x)), ir.ErrValue, "math domain error")
		if len(args) == 2 {
			b := z(1)
			f.check(not(intr(ir.FnPyCzero, types.BoolT, b)), ir.ErrValue, "math domain error")
			return &val{t: rt, s: intr(ir.FnPyClogb, c128T, x, b)}
		}
	case "atanh":
		f.check(not(intr(ir.FnPyCunit, types.BoolT, x)), ir.ErrValue, "math domain error")
	}
	// The complex functions NumPy's ufuncs use (the same C library calls);
	// log10 has CPython's own formula.
	fn := fnNamed(name)
	if name == "log10" {
		fn = ir.FnPyClog10
	}
	r := f.stableExpr(intr(fn, c128T, x))
	if name == "exp" || name == "cosh" || name == "sinh" {
		f.check(not(and(not(intr(ir.FnPyCfinite, types.BoolT, r)), intr(ir.FnPyCfinite, types.BoolT, x))),
			ir.ErrOverflow, "math range error")
	}
	return &val{t: rt, s: r}
}
