package lower

import (
	"math"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// floatToInt lowers Python's conversion of a float to int (int(),
// math.floor/ceil/trunc after rounding, round) as one truncating conversion
// followed by checks that only its result enters in the common case.
//
// The conversion (sejit_f2i: one cvttsd2si on x86-64) gives INT64_MIN for
// NaN, for ±infinity and for values outside the int64 range, and for
// -2^63 itself. So each check is "b != INT64_MIN || <the slow test>": the
// hot path is one integer compare with a never-taken branch, instead of a
// finiteness test and a range test on the float before converting. The
// slow tests pick CPython's exception: ValueError for NaN, OverflowError
// for infinity; a finite float outside int64 (a Python int sejit cannot
// hold) raises OverflowError too, rather than wrapping silently, as a
// limit (ir.ErrLimit) that no except clause of compiled code catches.
func (f *fn) floatToInt(x ir.Expr) ir.Expr {
	i64 := types.ScalarOf(types.Int64)
	x = f.stableExpr(conv(x, types.Float64))
	b := f.temp(i64)
	f.emit(&ir.Assign{Dst: b, Src: &ir.Cast{X: x, T: i64}})
	check := func(slow ir.Expr, err ir.ErrKind, msg string) {
		sentinel := &ir.Bin{Op: ir.Ne, X: &ir.Ref{Var: b}, Y: ir.IntConst(math.MinInt64), T: types.BoolT}
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Or, X: sentinel, Y: slow, T: types.BoolT}, Err: err, Msg: msg})
	}
	not := func(pred ir.Fn) ir.Expr {
		return &ir.Unary{Op: ir.Not, X: &ir.Intrinsic{Fn: pred, Args: []ir.Expr{x}, T: types.BoolT}, T: types.BoolT}
	}
	check(not(ir.FnIsnan), ir.ErrValue, "cannot convert float NaN to integer")
	check(not(ir.FnIsinf), ir.ErrOverflow, "cannot convert float infinity to integer")
	check(&ir.Bin{Op: ir.Eq, X: x, Y: &ir.Const{Type: types.ScalarOf(types.Float64), F: -0x1p63}, T: types.BoolT},
		ir.ErrLimit, ir.LimitMsg("OverflowError", "int too large to convert to int64 (sejit's int is 64-bit)"))
	return &ir.Ref{Var: b}
}
