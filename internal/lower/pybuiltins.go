package lower

// Builtins, math and cmath functions: the lowering of the library's
// Builtin, Math* and Cmath* rules.

import (
	"math"

	"sejit/internal/ir"
	"sejit/internal/library"
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

func or(x, y ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Or, X: x, Y: y, T: types.BoolT} }

func cmpI(op ir.Op, x ir.Expr, v int64) ir.Expr {
	return &ir.Bin{Op: op, X: x, Y: ir.IntConst(v), T: types.BoolT}
}

func (f *fn) check(cond ir.Expr, kind ir.ErrKind, msg string) {
	f.emit(&ir.Check{Cond: cond, Err: kind, Msg: ir.MessageLiteral(msg)})
}

// roundDigits lowers round(x, ndigits).
func (f *fn) roundDigits(x, n *val, rt *types.Type) *val {
	nd := f.stableExpr(conv(n.s, types.Int64))
	if rt.DType.IsInt() {
		return &val{t: rt, s: intr(ir.FnPyRoundI64, i64T, conv(x.s, types.Int64), nd)}
	}
	return &val{t: rt, s: intr(ir.FnPyRoundF64, f64T, conv(x.s, types.Float64), nd)}
}

// powMod lowers pow(base, exp, mod) of Python ints.
func (f *fn) powMod(args []*val, rt *types.Type) *val {
	b := f.stableExpr(conv(args[0].s, types.Int64))
	x := f.stableExpr(conv(args[1].s, types.Int64))
	m := f.stableExpr(conv(args[2].s, types.Int64))
	f.check(cmpI(ir.Ne, m, 0), ir.ErrValue, "pow() 3rd argument cannot be 0")
	f.check(&ir.Bin{Op: ir.Or, X: cmpI(ir.Ge, x, 0), Y: &ir.Bin{Op: ir.Eq, X: intr(ir.FnPyGcd, i64T, b, m),
		Y: ir.IntConst(1), T: types.BoolT}, T: types.BoolT}, ir.ErrValue, "base is not invertible for the given modulus")
	return &val{t: rt, s: intr(ir.FnPyPowmod, i64T, b, x, m)}
}

// divmod lowers divmod of arrays (element-wise, as np.divmod) and of
// Python numbers (with CPython's zero-division errors); ok is false for
// NumPy scalars, which pyBuiltin lowers.
func (f *fn) divmod(e *pyast.Call, args []*val, rt *types.Type) (*val, bool) {
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
}

// sumTuple lowers sum(tuple[, start]).
func (f *fn) sumTuple(e *pyast.Call, args []*val) *val {
	acc := &val{t: types.Int, s: ir.IntConst(0)}
	if len(args) == 2 {
		acc = args[1]
	}
	for _, el := range args[0].elems {
		t := types.BinopType("Add", acc.t, el.t)
		acc = f.binop("Add", acc, el, t, e.P)
	}
	return acc
}

// math lowers a call of a math function with CPython's domain and range
// errors: the library.MathOther functions by name, then the one-argument
// library.MathFloat ones (an infinite result from a finite argument is an
// OverflowError for the entries flagged library.Overflows, a ValueError
// for the others, no error for library.Finite ones), then the rest.
func (f *fn) math(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	ent := library.Callable("math", name)
	fx := func(i int) ir.Expr { return f.stableExpr(conv(args[i].s, types.Float64)) }
	ix := func(i int) ir.Expr { return f.stableExpr(conv(args[i].s, types.Int64)) }
	isnan := func(x ir.Expr) ir.Expr { return intr(ir.FnIsnan, types.BoolT, x) }
	isinf := func(x ir.Expr) ir.Expr { return intr(ir.FnIsinf, types.BoolT, x) }
	finite := func(x ir.Expr) ir.Expr { return intr(ir.FnIsfinite, types.BoolT, x) }
	switch name {
	case "fsum", "dist":
		if args[0].t.Kind != types.Tuple || name == "dist" {
			return &val{t: rt, s: f.seqMath(e, name, args)} // stdlib.go
		}
		xs := []ir.Expr{ir.IntConst(int64(len(args[0].elems)))}
		for _, el := range args[0].elems {
			xs = append(xs, f.stableExpr(conv(el.s, types.Float64)))
		}
		code := f.stableExpr(intr(ir.FnPyFsumErr, i64T, xs...))
		f.check(cmpI(ir.Ne, code, 1), ir.ErrOverflow, "intermediate overflow in fsum")
		f.check(cmpI(ir.Ne, code, 2), ir.ErrValue, "-inf + inf in fsum")
		return &val{t: rt, s: intr(ir.FnPyFsum, f64T, xs...)}
	case "prod":
		acc := &val{t: types.Int, s: ir.IntConst(1)}
		if s, ok := kw["start"]; ok {
			acc = s
		}
		if args[0].t.Kind != types.Tuple {
			return f.seqProd(e, acc, args[0], rt) // stdlib.go
		}
		for _, el := range args[0].elems {
			acc = f.binop("Mult", acc, el, types.BinopType("Mult", acc.t, el.t), e.P)
		}
		return acc
	case "isclose":
		a, b := fx(0), fx(1)
		rel, abs := f.tolerances(kw)
		return &val{t: rt, s: intr(ir.FnPyIsclose, types.BoolT, a, b, rel, abs)}
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
		if name == "gcd" && len(args) > 0 {
			// The one gcd beyond int64 is 2**63 (of -2**63 and 0 or itself),
			// which wraps to -2**63; intermediate ones are read back unsigned.
			f.check(cmpE(ir.Ne, acc, ir.IntConst(math.MinInt64)), ir.ErrOverflow, "math.gcd() result does not fit in int64")
		}
		return &val{t: rt, s: acc}
	case "factorial":
		n := ix(0)
		f.check(cmpI(ir.Ge, n, 0), ir.ErrValue, "factorial() not defined for negative values")
		f.check(intr(ir.FnPyFactorialOk, types.BoolT, n), ir.ErrOverflow, "math.factorial() result does not fit in int64")
		return &val{t: rt, s: intr(ir.FnPyFactorial, i64T, n)}
	case "comb", "perm":
		n := ix(0)
		k := n
		if len(args) == 2 {
			k = ix(1)
		}
		f.check(cmpI(ir.Ge, n, 0), ir.ErrValue, "n must be a non-negative integer")
		f.check(cmpI(ir.Ge, k, 0), ir.ErrValue, "k must be a non-negative integer")
		f.check(intr(fnNamed("py_"+name+"_ok"), types.BoolT, n, k), ir.ErrOverflow, "math."+name+"() result does not fit in int64")
		return &val{t: rt, s: intr(fnNamed("py_"+name), i64T, n, k)}
	case "isqrt":
		n := ix(0)
		f.check(cmpI(ir.Ge, n, 0), ir.ErrValue, "isqrt() argument must be nonnegative")
		return &val{t: rt, s: intr(ir.FnPyIsqrt, i64T, n)}
	case "ldexp":
		x := fx(0)
		r := f.stableExpr(intr(ir.FnPyLdexp, f64T, x, ix(1)))
		f.check(not(and(isinf(r), finite(x))), ir.ErrOverflow, "math range error")
		return &val{t: rt, s: r}
	case "frexp":
		x := fx(0)
		return &val{t: rt, elems: []*val{{t: types.Float, s: intr(ir.FnPyFrexpM, f64T, x)},
			{t: types.Int, s: intr(ir.FnPyFrexpE, i64T, x)}}}
	case "modf":
		x := fx(0)
		return &val{t: rt, elems: []*val{{t: types.Float, s: intr(ir.FnPyModfFrac, f64T, x)},
			{t: types.Float, s: intr(ir.FnPyModfInt, f64T, x)}}}
	case "remainder", "nextafter", "fmod":
		x, y := fx(0), fx(1)
		r := f.stableExpr(intr(fnNamed(name), f64T, x, y))
		if name != "nextafter" {
			// fmod(inf, y), fmod(x, 0), remainder(x, 0): NaN from numbers.
			f.check(not(and(isnan(r), and(not(isnan(x)), not(isnan(y))))), ir.ErrValue, "math domain error")
		}
		return &val{t: rt, s: r}
	case "ulp":
		return &val{t: rt, s: intr(ir.FnPyUlp, f64T, fx(0))}
	case "hypot":
		if len(args) == 2 {
			break
		}
		buf := f.alloc(types.ArrayOf(types.Float64, 1, 'C'), []ir.Expr{ir.IntConst(int64(len(args)))})
		for i := range args {
			f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{ir.IntConst(int64(i))}, Src: fx(i)})
		}
		return &val{t: rt, s: &ir.Ref{Var: f.externCall(ir.HelperVectorNorm, []ir.Expr{aref(buf)}, f64T)[0]}}
	case "pow":
		x, y := fx(0), fx(1)
		r := f.stableExpr(pySquareOr(x, y, types.Float64))
		fin := and(finite(x), finite(y))
		f.check(not(and(fin, isnan(r))), ir.ErrValue, "math domain error")
		f.check(not(and(fin, and(isinf(r), &ir.Bin{Op: ir.Eq, X: x, Y: &ir.Const{Type: f64T}, T: types.BoolT}))),
			ir.ErrValue, "math domain error")
		f.check(not(and(fin, isinf(r))), ir.ErrOverflow, "math range error")
		return &val{t: rt, s: r}
	}
	if !ent.Is(library.MathFloat) || len(args) != 1 || name == "fabs" || name == "degrees" || name == "radians" {
		return f.mathPlain(name, args, rt)
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
	case ent.Has(library.Finite):
	case ent.Has(library.Overflows):
		f.check(not(and(isinf(r), finite(x))), ir.ErrOverflow, "math range error")
	default:
		f.check(not(and(isinf(r), finite(x))), ir.ErrValue, "math domain error")
	}
	return &val{t: rt, s: r}
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
