package lower

import (
	"math"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// FloatModuloMsg is the message of a Python float's `x % 0.0`. CPython
// changed its text in 3.13 ("float modulo" before, "float modulo by zero"
// since), so the kernel writes this marker and the runtime, which is built
// for the interpreter that runs it, writes that interpreter's text
// (python/sejit/_kernel_errors.h); compiled code cached on disk stays right
// under any interpreter that loads it.
const FloatModuloMsg = "sejit:float-modulo"

// ERangeMsg marks the OverflowError of a Python float power whose result
// overflows. CPython raises it from errno, as OverflowError(ERANGE,
// strerror(ERANGE)) — the args are (34, 'Numerical result out of range')
// on Linux — so the runtime builds it the same way rather than from a
// message.
const ERangeMsg = "sejit:erange"

// pyFloatPow lowers x ** y (and pow(x, y)) of Python numbers whose result
// is a Python float. C's pow returns inf where CPython raises
// OverflowError, and NaN where CPython returns a complex number (a
// negative base to a non-integer power), which the float this power was
// typed as cannot hold: that is a ValueError saying how to get the complex
// result, never a NaN. Both errors need finite operands (CPython's pow of
// an infinity follows C99, as C's does), so each check tests the result
// first: the common case is one well-predicted comparison, and the powers
// that cannot fail are left unchecked — an integer exponent gives no NaN,
// and a constant exponent in [0, 1] no overflow — so x**0.5, x**2 and x**3
// keep their fast paths (scalarBin).
func (f *fn) pyFloatPow(x, y ir.Expr, rt *types.Type) *val {
	d := rt.DType
	r := f.stableExpr(pySquareOr(x, y, d))
	xf, yf := conv(x, d), conv(y, d)
	finite := func(e ir.Expr) ir.Expr { return intr(ir.FnIsfinite, types.BoolT, e) }
	bothFinite := func() ir.Expr {
		if k, ok := y.(*ir.Const); ok && !math.IsInf(constFloat(k), 0) && !math.IsNaN(constFloat(k)) {
			return finite(xf)
		}
		return and(finite(xf), finite(yf))
	}
	k, yConst := y.(*ir.Const)
	if !yConst || constFloat(k) < 0 || constFloat(k) > 1 {
		f.check(not(and(intr(ir.FnIsinf, types.BoolT, r), bothFinite())), ir.ErrOverflow, ERangeMsg)
	}
	integral := ir.TypeOf(y).DType.Kind() <= types.KInt || yConst && constFloat(k) == math.Trunc(constFloat(k))
	if !integral {
		f.check(not(and(intr(ir.FnIsnan, types.BoolT, r), bothFinite())), ir.ErrLimit, ir.LimitMsg("ValueError",
			"a negative number to a non-integer power is a complex number in Python, and this power is typed float: "+
				"write complex(x) ** y for the complex result"))
	}
	return &val{t: rt, s: r}
}

// pySquareOr is x ** y of Python floats: for the constant exponent 2 the
// bits of the C library's pow(x, 2.0), which CPython calls and which can
// differ from x*x in the last bit (ir.FnPyPow2), else the power as NumPy's
// arrays compute it (ir.Pow, whose x**2 is x*x).
func pySquareOr(x, y ir.Expr, d types.DType) ir.Expr {
	if k, ok := y.(*ir.Const); ok && d == types.Float64 && constFloat(k) == 2 {
		return intr(ir.FnPyPow2, types.ScalarOf(d), conv(x, d))
	}
	return scalarBin("Pow", x, y, d)
}

// constFloat is a numeric constant's value as a float.
func constFloat(k *ir.Const) float64 {
	switch {
	case k.Type.DType.IsFloat():
		return k.F
	case k.Type.DType.IsUnsigned():
		return float64(k.U)
	}
	return float64(k.I)
}

// pyComplexPow lowers x ** y of Python numbers whose result is a Python
// complex, with CPython's errors (complex_pow): a zero base to a negative
// or complex power is ZeroDivisionError("0.0 to a negative or complex
// power"), as is a small negative integer power whose denominator
// underflows to zero (CPython divides 1 by it), and a result with an
// infinite part is OverflowError("complex exponentiation"). The checks
// test the result first where they can, so a power that succeeds pays one
// comparison of its parts.
func (f *fn) pyComplexPow(x, y ir.Expr, rt *types.Type) *val {
	c := types.Complex128
	xc, yc := f.stableExpr(conv(x, c)), f.stableExpr(conv(y, c))
	r := f.stableExpr(scalarBin("Pow", xc, yc, c))
	re := func(z ir.Expr) ir.Expr { return conv(z, types.Float64) }
	im := func(z ir.Expr) ir.Expr { return intr(ir.FnImag, f64T, z) }
	fzero := &ir.Const{Type: f64T}
	eq0 := func(e ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Eq, X: e, Y: fzero, T: types.BoolT} }
	zero := func(z ir.Expr) ir.Expr { return and(eq0(re(z)), eq0(im(z))) }
	negOrComplex := or(&ir.Bin{Op: ir.Ne, X: im(yc), Y: fzero, T: types.BoolT}, &ir.Bin{Op: ir.Lt, X: re(yc), Y: fzero, T: types.BoolT})
	// CPython's integer path: an exponent with no imaginary part, integral
	// and at most 100 in magnitude is repeated squaring, and a negative
	// one 1 / x**-n, which fails when x**-n is zero.
	intPath := and(and(eq0(im(yc)), &ir.Bin{Op: ir.Eq, X: re(yc), Y: intr(ir.FnFloor, f64T, re(yc)), T: types.BoolT}),
		&ir.Bin{Op: ir.Le, X: &ir.Unary{Op: ir.Abs, X: re(yc), T: f64T}, Y: &ir.Const{Type: f64T, F: 100}, T: types.BoolT})
	negY := &ir.Unary{Op: ir.Neg, X: yc, T: types.ScalarOf(c)}
	underflow := and(and(&ir.Bin{Op: ir.Lt, X: re(yc), Y: fzero, T: types.BoolT}, intPath), zero(scalarBin("Pow", xc, negY, c)))
	bad := or(intr(ir.FnIsinf, types.BoolT, r), intr(ir.FnIsnan, types.BoolT, r))
	f.check(not(and(bad, or(and(zero(xc), negOrComplex), underflow))), ir.ErrZeroDiv, "0.0 to a negative or complex power")
	f.check(not(intr(ir.FnIsinf, types.BoolT, r)), ir.ErrOverflow, "complex exponentiation")
	return &val{t: rt, s: r}
}
