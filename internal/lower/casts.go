package lower

import (
	"math"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// Casts: int() float() bool() complex(), np.float32(x) and its kind, and
// .astype(dtype). Checks raise where CPython or NumPy would.

var f64T = types.ScalarOf(types.Float64)

func f64Const(v float64) *ir.Const { return &ir.Const{Type: f64T, F: v} }

// floatToPyInt converts a float as Python's int() does: truncation toward
// zero; NaN raises ValueError and infinities OverflowError, with CPython's
// messages. A value beyond int64 raises OverflowError: sejit's Python ints
// are 64-bit (CPython would give a larger int).
func (f *fn) floatToPyInt(x ir.Expr) ir.Expr {
	x = f.stableExpr(conv(x, types.Float64))
	f.emit(&ir.Check{Cond: &ir.Unary{Op: "not", X: &ir.Intrinsic{Name: "isnan", Args: []ir.Expr{x}, T: types.BoolT},
		T: types.BoolT}, Err: ir.ErrValue, Msg: "cannot convert float NaN to integer"})
	f.emit(&ir.Check{Cond: &ir.Unary{Op: "not", X: &ir.Intrinsic{Name: "isinf", Args: []ir.Expr{x}, T: types.BoolT},
		T: types.BoolT}, Err: ir.ErrOverflow, Msg: "cannot convert float infinity to integer"})
	t := f.stableExpr(&ir.Intrinsic{Name: "trunc", Args: []ir.Expr{x}, T: f64T})
	f.emit(&ir.Check{Cond: &ir.Bin{Op: "and",
		X: &ir.Bin{Op: "ge", X: t, Y: f64Const(-math.Pow(2, 63)), T: types.BoolT},
		Y: &ir.Bin{Op: "lt", X: t, Y: f64Const(math.Pow(2, 63)), T: types.BoolT}, T: types.BoolT},
		Err: ir.ErrOverflow, Msg: "int too large to convert to int64 (sejit's Python ints are 64-bit)"})
	return conv(t, types.Int64)
}

// toPyInt is int(x) for a scalar of any real or NumPy complex dtype.
func (f *fn) toPyInt(x ir.Expr) ir.Expr {
	d := ir.TypeOf(x).DType
	switch {
	case d.IsFloat() || d.IsComplex():
		return f.floatToPyInt(conv(x, types.Float64)) // a complex gives its real part
	case d == types.Uint64:
		x = f.stableExpr(x)
		f.emit(&ir.Check{Cond: &ir.Bin{Op: "le", X: x, Y: &ir.Const{Type: types.ScalarOf(types.Uint64), I: math.MaxInt64,
			U: math.MaxInt64}, T: types.BoolT}, Err: ir.ErrOverflow,
			Msg: "int too large to convert to int64 (sejit's Python ints are 64-bit)"})
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
			return &val{t: rt, s: &ir.Intrinsic{Name: "sejit_c128_make",
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
			x = f.floatToPyInt(x)
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
		return &ir.Unary{Op: "abs", X: x, T: types.ScalarOf(d)}
	})
}
