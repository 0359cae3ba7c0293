package lower

// Lowering of NumPy's other ufuncs (library.Ufunc), typed in
// types/calls_numpy.go; its functions (library.Function) are lowered in
// numpy_arrays.go.

import (
	"math"

	"sejit/internal/ir"
	"sejit/internal/library"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// complexOrder are NumPy's lexicographic comparisons of complex numbers.
var complexOrder = map[string]ir.Fn{"Lt": ir.FnNpCLt, "LtE": ir.FnNpCLe, "Gt": ir.FnNpCGt, "GtE": ir.FnNpCGe}

// ufunc lowers a library.Ufunc: comparisons and bitwise ones compute their
// entry's Op, the others by name.
func (f *fn) ufunc(e *pyast.Call, ent *library.Entry, args []*val, rt *types.Type) *val {
	name := ent.Short()
	d := rt.DType
	st := types.ScalarOf(d)
	switch op := ent.Op; ent.Form {
	case "cmp":
		pd := types.PromoteOperands(args[0].t, args[1].t)
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			if pd.IsComplex() && op != "Eq" && op != "NotEq" {
				// NumPy orders complex numbers lexicographically.
				return &ir.Intrinsic{Fn: complexOrder[op], Args: []ir.Expr{conv(xs[0], pd), conv(xs[1], pd)}, T: types.BoolT}
			}
			return &ir.Bin{Op: cmpOps[op], X: conv(xs[0], pd), Y: conv(xs[1], pd), T: types.BoolT}
		})
	case "bit":
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr { return scalarBin(op, xs[0], xs[1], d) })
	}
	switch name {
	case "positive":
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr { return conv(xs[0], d) })
	case "reciprocal":
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			x := conv(xs[0], d)
			if !d.IsInt() {
				return &ir.Bin{Op: ir.Div, X: oneOf(d), Y: x, T: st}
			}
			// NumPy's integer reciprocal is C's 1 / x: 1 and -1 keep their
			// value, every other (non-zero) integer gives 0.
			eq := func(v int64) ir.Expr {
				return &ir.Bin{Op: ir.Eq, X: x, Y: convConst(ir.IntConst(v), d), T: types.BoolT}
			}
			var r ir.Expr = zeroOf(d)
			if !d.IsUnsigned() {
				r = &ir.Select{Cond: eq(-1), X: convConst(ir.IntConst(-1), d), Y: r, T: st}
			}
			return &ir.Select{Cond: eq(1), X: oneOf(d), Y: r, T: st}
		})
	case "invert":
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			if d == types.Bool {
				return &ir.Unary{Op: ir.Not, X: truth(xs[0]), T: types.BoolT}
			}
			return &ir.Unary{Op: ir.Inv, X: conv(xs[0], d), T: st}
		})
	case "fmod":
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			return &ir.Intrinsic{Fn: ir.FnNpFmod, Args: []ir.Expr{conv(xs[0], d), conv(xs[1], d)}, T: st}
		})
	case "logical_and", "logical_or", "logical_xor":
		op := opNamed(ent.Op)
		// A ufunc evaluates both operands, so nothing asks for C's
		// short-circuit && and ||: on two truth values & and | compute the
		// same and leave no branch in the loop, which then vectorizes
		// (np.logical_and(a < b, c < d) ran 6x slower than (a < b) & (c < d)).
		switch op {
		case ir.And:
			op = ir.BitAnd
		case ir.Or:
			op = ir.BitOr
		}
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			return &ir.Bin{Op: op, X: truth(xs[0]), Y: truth(xs[1]), T: types.BoolT}
		})
	case "logical_not":
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			return &ir.Unary{Op: ir.Not, X: truth(xs[0]), T: types.BoolT}
		})
	case "round", "around":
		return f.round(e, args[0], rt)
	case "clip":
		if d.IsInt() {
			// NumPy 2 clips with a Python int bound outside the dtype's
			// range as if it were the range's end (np.clip(int8s, 1, 200)).
			for i := 1; i < 3; i++ {
				if a := args[i]; a.t.Kind == types.Scalar && a.t.Weak && a.t.DType.IsInt() {
					lo, hi := dtypeBounds(d)
					x := &ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{conv(a.s, types.Int64), ir.IntConst(lo)}, T: i64T}
					if d != types.Uint64 {
						x = &ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{x, ir.IntConst(hi)}, T: i64T}
					}
					args[i] = &val{t: types.ScalarOf(types.Int64), s: f.stableExpr(x)}
				}
			}
		}
		return f.elementwise(rt, args, func(xs []ir.Expr) ir.Expr {
			lo := &ir.Intrinsic{Fn: ir.FnMaximum, Args: []ir.Expr{conv(xs[0], d), conv(xs[1], d)}, T: st}
			return &ir.Intrinsic{Fn: ir.FnMinimum, Args: []ir.Expr{lo, conv(xs[2], d)}, T: st}
		})
	}
	return &val{t: rt, s: zeroOf(d)}
}

// round is NumPy's round: multiply by 10**decimals, round half to even,
// divide back (for negative decimals: divide, round, multiply), in the
// input's float dtype; integers with non-negative decimals are unchanged,
// with negative decimals they round through float64.
func (f *fn) round(e *pyast.Call, x *val, rt *types.Type) *val {
	d := rt.DType
	dec := types.RoundDecimals(e)
	return f.elementwise(rt, []*val{x}, func(xs []ir.Expr) ir.Expr {
		v := conv(xs[0], d)
		if d.IsInt() && dec >= 0 {
			return v
		}
		if d.IsComplex() {
			// Each part rounds as a float of the part's dtype.
			scale := math.Pow(10, math.Abs(float64(dec)))
			if d == types.Complex64 {
				scale = float64(float32(scale))
			}
			return &ir.Intrinsic{Fn: ir.FnNpCRound, Args: []ir.Expr{v,
				&ir.Const{Type: types.ScalarOf(types.Float64), F: scale}, ir.IntConst(dec)}, T: types.ScalarOf(d)}
		}
		cd := d
		if d.IsInt() {
			cd = types.Float64
			v = conv(xs[0], cd)
		}
		ct := types.ScalarOf(cd)
		rint := func(y ir.Expr) ir.Expr { return &ir.Intrinsic{Fn: ir.FnRint, Args: []ir.Expr{y}, T: ct} }
		if dec == 0 {
			return conv(rint(v), d)
		}
		scale := &ir.Const{Type: ct, F: math.Pow(10, math.Abs(float64(dec)))}
		if cd == types.Float32 {
			scale.F = float64(float32(scale.F))
		}
		if dec > 0 {
			return conv(&ir.Bin{Op: ir.Div, X: rint(&ir.Bin{Op: ir.Mul, X: v, Y: scale, T: ct}), Y: scale, T: ct}, d)
		}
		return conv(&ir.Bin{Op: ir.Mul, X: rint(&ir.Bin{Op: ir.Div, X: v, Y: scale, T: ct}), Y: scale, T: ct}, d)
	})
}

// dtypeBounds is the range of integer dtype d, in int64 (uint64's upper end
// is not representable and not used).
func dtypeBounds(d types.DType) (int64, int64) {
	if d.IsUnsigned() {
		if d == types.Uint64 {
			return 0, math.MaxInt64
		}
		return 0, int64(1)<<uint(d.Bits()) - 1
	}
	return -(int64(1) << uint(d.Bits()-1)), int64(1)<<uint(d.Bits()-1) - 1
}
