package lower

import (
	"math"
	"math/big"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// Casts: int() float() bool() complex(), np.float32(x) and its kind, and
// .astype(dtype). Checks raise where CPython or NumPy would.

func f64Const(v float64) *ir.Const { return &ir.Const{Type: f64T, F: v} }

// toPyInt is int(x) for a scalar of any real or NumPy complex dtype.
func (f *fn) toPyInt(x ir.Expr) ir.Expr {
	d := ir.TypeOf(x).DType
	switch {
	case d.IsFloat() || d.IsComplex():
		return f.floatToInt(conv(x, types.Float64)) // a complex gives its real part
	case d == types.Uint64:
		x = f.stableExpr(x)
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Le, X: x, Y: &ir.Const{Type: types.ScalarOf(types.Uint64), I: math.MaxInt64,
			U: math.MaxInt64}, T: types.BoolT}, Err: ir.ErrLimit,
			Msg: ir.LimitMsg("OverflowError", "int too large to convert to int64 (sejit's Python ints are 64-bit)")})
	}
	return conv(x, types.Int64)
}

// pyCast lowers int(x), float(x), bool(x), complex(x) and complex(re, im).
func (f *fn) pyCast(name string, args []*val, rt *types.Type) *val {
	d := rt.DType
	if len(args) == 0 {
		return &val{t: rt, s: zeroOf(d)}
	}
	x := args[0].s
	switch name {
	case "bool":
		return &val{t: rt, s: truth(x)}
	case "int":
		return &val{t: rt, s: f.toPyInt(x)}
	case "complex":
		if len(args) == 2 {
			return &val{t: rt, s: &ir.Intrinsic{Fn: ir.FnComplex,
				Args: []ir.Expr{conv(x, types.Float64), conv(args[1].s, types.Float64)}, T: rt.Strong()}}
		}
	}
	return &val{t: rt, s: conv(x, d)}
}

// dtypeCall lowers np.float32(x) and its kind. A Python number becomes a
// NumPy integer through int() and must fit (np.int8(300) raises
// OverflowError in NumPy 2); a NumPy scalar or an array converts as astype
// does (wrapping). An array of the same dtype is returned as is.
func (f *fn) dtypeCall(args []*val, rt *types.Type) *val {
	d := rt.DType
	if len(args) == 0 {
		return &val{t: rt, s: zeroOf(d)}
	}
	a := args[0]
	if a.t.Kind == types.Array {
		if a.t.DType == d {
			return a
		}
		return f.astype(a, rt)
	}
	x := a.s
	if a.t.Weak && a.t.DType != types.Bool && d.IsInt() {
		if a.t.DType.IsFloat() {
			x = f.floatToInt(x)
		}
		if d != types.Int64 {
			x = f.pyIntInRange(&val{t: types.Int, s: x}, &val{t: types.ScalarOf(d)}, d).s
		}
	}
	return &val{t: rt, s: conv(x, d)}
}

// astype converts element by element, into a new array (or a scalar).
func (f *fn) astype(a *val, rt *types.Type) *val {
	d := rt.DType
	return f.elementwise(rt, []*val{a}, func(xs []ir.Expr) ir.Expr { return conv(xs[0], d) })
}

// castCall dispatches the cast calls lowered here; ok is false for others.
func (f *fn) castCall(e *pyast.Call, ft *types.Type, args []*val, rt *types.Type) (*val, bool) {
	switch {
	case ft.Kind == types.DTypeObj:
		return f.dtypeCall(args, rt), true
	case ft.Kind == types.Builtin && ft.Name == "method.astype":
		if a := args[0]; a.t.Kind == types.Array && a.t.DType == rt.DType && types.AstypeNoCopy(e) {
			return a, true
		}
		return f.astype(args[0], rt), true
	case ft.Kind == types.Builtin && (ft.Name == "builtins.int" || ft.Name == "builtins.float" ||
		ft.Name == "builtins.bool" || ft.Name == "builtins.complex"):
		return f.pyCast(ft.Name[len("builtins."):], args, rt), true
	}
	return nil, false
}

// absOf is abs(x) for a scalar or an array: a complex input gives its
// modulus in the real dtype, an integer wraps (abs(int8(-128)) == -128).
func (f *fn) absOf(a *val, rt *types.Type) *val {
	d := rt.DType
	return f.elementwise(rt, []*val{a}, func(xs []ir.Expr) ir.Expr {
		x := xs[0]
		if d == types.Bool {
			return x // NumPy's absolute of a boolean is itself
		}
		if !ir.TypeOf(x).DType.IsComplex() {
			x = conv(x, d)
		}
		return &ir.Unary{Op: ir.Abs, X: x, T: types.ScalarOf(d)}
	})
}

// bounds is an integer dtype's range: lo as int64, hi as uint64.
func bounds(d types.DType) (int64, uint64) {
	if d == types.Uint64 {
		return 0, math.MaxUint64
	}
	lo, hi, _ := intRange(d)
	return lo, uint64(hi)
}

// setitemScalar converts a scalar stored into an element (or every element)
// of an integer array of dtype d as NumPy's setitem does. A Python number
// (weak) goes through Python's int(): a NaN raises ValueError, an infinity
// or a value outside d's range OverflowError ("Python integer 300 out of
// bounds for int8"). A NumPy scalar does the same for a signed target and
// is cast (wrapping) for an unsigned one, as NumPy 2.x does. Arrays stored
// into arrays wrap (unsafe casting), and so does arithmetic.
func (f *fn) setitemScalar(x ir.Expr, d types.DType, weak bool) ir.Expr {
	s := ir.TypeOf(x).DType
	if !d.IsInt() || s == d || s == types.Bool || d.IsUnsigned() && !weak {
		return conv(x, d)
	}
	if c, ok := x.(*ir.Const); ok {
		if v, ok := constPyInt(c); ok {
			lo, hi := bounds(d)
			if v.IsInt64() && v.Int64() >= lo && (v.Sign() < 0 || v.Uint64() <= hi) {
				return conv(x, d)
			}
			f.emit(&ir.Check{Cond: ir.BoolConst(false), Err: ir.ErrOverflow,
				Msg: "Python integer " + v.String() + " out of bounds for " + d.String()})
			return conv(x, d)
		}
	}
	if s.IsFloat() || s.IsComplex() {
		x = f.stableExpr(conv(x, types.Float64))
		f.emit(&ir.Check{Cond: &ir.Unary{Op: ir.Not, X: &ir.Intrinsic{Fn: ir.FnIsnan, Args: []ir.Expr{x}, T: types.BoolT},
			T: types.BoolT}, Err: ir.ErrValue, Msg: "cannot convert float NaN to integer"})
		f.emit(&ir.Check{Cond: &ir.Unary{Op: ir.Not, X: &ir.Intrinsic{Fn: ir.FnIsinf, Args: []ir.Expr{x}, T: types.BoolT},
			T: types.BoolT}, Err: ir.ErrOverflow, Msg: "cannot convert float infinity to integer"})
		t := f.stableExpr(&ir.Intrinsic{Fn: ir.FnTrunc, Args: []ir.Expr{x}, T: f64T})
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.And,
			X: &ir.Bin{Op: ir.Ge, X: t, Y: f64Const(-math.Pow(2, 63)), T: types.BoolT},
			Y: &ir.Bin{Op: ir.Lt, X: t, Y: f64Const(math.Pow(2, 63)), T: types.BoolT}, T: types.BoolT},
			Err: ir.ErrOverflow, Msg: "Python int too large to convert to C long"})
		x, s = conv(t, types.Int64), types.Int64
	}
	slo, shi := bounds(s)
	dlo, dhi := bounds(d)
	if slo >= dlo && shi <= dhi {
		return conv(x, d)
	}
	x = f.stableExpr(x)
	var cond ir.Expr
	and := func(c ir.Expr) {
		if cond == nil {
			cond = c
		} else {
			cond = &ir.Bin{Op: ir.And, X: cond, Y: c, T: types.BoolT}
		}
	}
	if slo < dlo { // s is signed here
		and(&ir.Bin{Op: ir.Ge, X: conv(x, types.Int64), Y: &ir.Const{Type: types.ScalarOf(types.Int64), I: dlo},
			T: types.BoolT})
	}
	if shi > dhi {
		if s.IsUnsigned() {
			and(&ir.Bin{Op: ir.Le, X: conv(x, types.Uint64), Y: &ir.Const{Type: types.ScalarOf(types.Uint64),
				I: int64(dhi), U: dhi}, T: types.BoolT})
		} else {
			and(&ir.Bin{Op: ir.Le, X: conv(x, types.Int64), Y: &ir.Const{Type: types.ScalarOf(types.Int64),
				I: int64(dhi), U: dhi}, T: types.BoolT})
		}
	}
	f.emit(&ir.Check{Cond: cond, Err: ir.ErrOverflow, Msg: "Python integer {0} out of bounds for " + d.String(),
		Args: []ir.Expr{conv(x, types.Int64)}})
	return conv(x, d)
}

// inPlacePyInt checks the Python int operand of an in-place array
// operation (x += 1000 for an int8 x) as NumPy 2 does for x + 1000.
func (f *fn) inPlacePyInt(op string, v *val, opType *types.Type) *val {
	if op == "" || opType == nil || v.t.Kind != types.Scalar {
		return v
	}
	_, r := f.pyIntOperands(op, &val{t: types.ScalarOf(opType.DType)}, v, opType.DType)
	return r
}

// constPyInt is int() of a finite real constant, exactly.
func constPyInt(c *ir.Const) (*big.Int, bool) {
	d := c.Type.DType
	switch {
	case d.IsUnsigned():
		return new(big.Int).SetUint64(c.U), true
	case d.IsInt():
		return big.NewInt(c.I), true
	case d.IsFloat():
		if math.IsNaN(c.F) || math.IsInf(c.F, 0) {
			return nil, false
		}
		v, _ := big.NewFloat(math.Trunc(c.F)).Int(nil)
		return v, true
	}
	return nil, false
}

// npComplexAbs is NumPy's absolute of an element x of a complex array, in
// the real dtype d: NumPy's loop over arrays computes it with its own
// formula (ir.FnNpHypot), not with hypot as its scalars and CPython do.
func npComplexAbs(x ir.Expr, d types.DType) ir.Expr {
	re := conv(x, d)
	im := conv(&ir.Intrinsic{Fn: ir.FnImag, Args: []ir.Expr{conv(x, types.Complex128)}, T: f64T}, d)
	return &ir.Intrinsic{Fn: ir.FnNpHypot, Args: []ir.Expr{re, im}, T: types.ScalarOf(d)}
}

// scalarPart is z.real or z.imag of a scalar: the parts of a complex, or the
// number itself and zero.
func (f *fn) scalarPart(v *val, attr string, rt *types.Type) *val {
	x := v.s
	d := rt.DType
	if !ir.TypeOf(x).DType.IsComplex() {
		if attr == "imag" {
			return &val{t: rt, s: zeroOf(d)}
		}
		return &val{t: rt, s: conv(x, d)}
	}
	if attr == "real" {
		return &val{t: rt, s: conv(x, d)}
	}
	im := &ir.Intrinsic{Fn: ir.FnImag, Args: []ir.Expr{conv(x, types.Complex128)}, T: f64T}
	return &val{t: rt, s: conv(im, d)}
}
