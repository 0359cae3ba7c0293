package lower

import (
	"fmt"
	"math"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// NEP 50 converts a Python int that meets a NumPy integer operand (array or
// scalar) to that operand's dtype, and NumPy 2 raises OverflowError when the
// value does not fit: np.int8(1) + 1000 and uint8_array - (-1) raise, where
// NumPy 1 silently widened. Comparisons are exempt (NumPy compares the exact
// values) and so is true division, which NumPy computes in float64.

// intRange is the range of an integer dtype as int64 bounds; hiOK is false
// for uint64, whose upper bound exceeds every int64 (any Python int that
// reached compiled code fits in int64).
func intRange(d types.DType) (lo, hi int64, hiOK bool) {
	switch d {
	case types.Int8:
		return math.MinInt8, math.MaxInt8, true
	case types.Int16:
		return math.MinInt16, math.MaxInt16, true
	case types.Int32:
		return math.MinInt32, math.MaxInt32, true
	case types.Uint8:
		return 0, math.MaxUint8, true
	case types.Uint16:
		return 0, math.MaxUint16, true
	case types.Uint32:
		return 0, math.MaxUint32, true
	case types.Uint64:
		return 0, 0, false
	}
	return math.MinInt64, math.MaxInt64, true
}

// pyIntOperands checks the Python int operands of an arithmetic operation
// whose result dtype is d against d's range, and returns the operands with
// any checked value evaluated once.
func (f *fn) pyIntOperands(op string, l, r *val, d types.DType) (*val, *val) {
	if !d.IsInt() || d == types.Int64 || op == "Div" {
		return l, r
	}
	return f.pyIntInRange(l, r, d), f.pyIntInRange(r, l, d)
}

func isPyInt(t *types.Type) bool {
	return t.Kind == types.Scalar && t.Weak && t.DType == types.Int64
}

func (f *fn) pyIntInRange(v, other *val, d types.DType) *val {
	if !isPyInt(v.t) || other.t.Kind == types.Scalar && other.t.Weak || v.s == nil {
		return v
	}
	lo, hi, hiOK := intRange(d)
	msg := "Python integer {0} out of bounds for " + d.String()
	if c, ok := v.s.(*ir.Const); ok {
		if c.I >= lo && (!hiOK || c.I <= hi) {
			return v
		}
		// Raised when the operation runs, as NumPy does, not at compile time.
		f.emit(&ir.Check{Cond: ir.BoolConst(false), Err: ir.ErrOverflow,
			Msg: fmt.Sprintf("Python integer %d out of bounds for %s", c.I, d)})
		return v
	}
	x := f.stableExpr(v.s)
	i64 := types.ScalarOf(types.Int64)
	var cond ir.Expr = &ir.Bin{Op: ir.Ge, X: x, Y: &ir.Const{Type: i64, I: lo}, T: types.BoolT}
	if hiOK {
		cond = &ir.Bin{Op: ir.And, X: cond, Y: &ir.Bin{Op: ir.Le, X: x, Y: &ir.Const{Type: i64, I: hi}, T: types.BoolT},
			T: types.BoolT}
	}
	f.emit(&ir.Check{Cond: cond, Err: ir.ErrOverflow, Msg: msg, Args: []ir.Expr{x}})
	nv := *v
	nv.s = x
	return &nv
}

// exactU64Compare compares a uint64 with a signed integer exactly, as NumPy
// 2 does (promotion would compare them as float64, where 2**63 equals
// 2**63 - 1). A negative signed operand decides the result; otherwise both
// compare as uint64. nil when the operands are not such a pair.
func exactU64Compare(op string, x, y ir.Expr) ir.Expr {
	xd, yd := ir.TypeOf(x).DType, ir.TypeOf(y).DType
	signed := func(d types.DType) bool { return d.IsInt() && !d.IsUnsigned() }
	var s ir.Expr
	var negResult bool // the result when the signed operand is negative
	switch {
	case xd == types.Uint64 && signed(yd):
		s = y
		negResult = op == "Gt" || op == "GtE" || op == "NotEq"
	case yd == types.Uint64 && signed(xd):
		s = x
		negResult = op == "Lt" || op == "LtE" || op == "NotEq"
	default:
		return nil
	}
	u64 := types.Uint64
	return &ir.Select{
		Cond: &ir.Bin{Op: ir.Lt, X: conv(s, types.Int64), Y: ir.IntConst(0), T: types.BoolT},
		X:    ir.BoolConst(negResult),
		Y:    &ir.Bin{Op: cmpOps[op], X: conv(x, u64), Y: conv(y, u64), T: types.BoolT},
		T:    types.BoolT,
	}
}
