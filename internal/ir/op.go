package ir

// Op is the operator of a Bin or a Unary expression. The set is closed:
// Verify rejects an operator outside it, or one used with the wrong
// number of operands, and every printer implements each of them exactly as
// documented here (ops_test.go and the printers' coverage tests).
//
// Semantics, for every target:
//
//   - Add, Sub, Mul on integers wrap modulo 2^bits of Bin.T (two's
//     complement; never undefined behaviour), and on floats are one IEEE
//     operation in Bin.T's dtype, never contracted into a fused multiply-add
//     unless the program was compiled with fastmath.
//   - Div is true division: IEEE on floats; on integers it truncates and is
//     only emitted with a divisor known not to be zero.
//   - FloorDiv and Mod round toward negative infinity (Python's // and %);
//     a zero divisor gives 0 for integers and IEEE results (inf, nan) for
//     floats, as NumPy does. A Python-semantics ZeroDivisionError is a
//     Check before the operation, not part of the operator.
//   - Pow on integers is repeated multiplication wrapping like Mul (a
//     negative exponent gives 0; lowering checks it where Python raises); on
//     floats it is C's pow.
//   - Lt … Ne compare in the operands' dtype and give a bool; floats
//     compare as IEEE (NaN unordered, so Ne is true for NaN), complex
//     numbers by NumPy's lexicographic order (real part first).
//   - And and Or take bools and may short-circuit: their operands are pure,
//     so evaluating the right one or not is unobservable.
//   - BitAnd, BitOr, BitXor are bitwise on integers and bools. Shl and Shr
//     shift the operands widened to 64 bits and wrap the result to Bin.T:
//     a count at or above 64, or negative, gives 0 (or -1 for Shr of a
//     negative signed value), never C's undefined behaviour. Shr of a
//     signed value is arithmetic.
//   - Neg negates (integers wrap: -INT64_MIN is INT64_MIN); Not is boolean
//     negation; Inv is bitwise complement (Not for bools); Abs is the
//     magnitude in Unary.T (|INT64_MIN| wraps to INT64_MIN; a complex
//     operand gives its float modulus).
type Op uint8

const (
	BadOp Op = iota

	// Binary operators (Bin).
	Add
	Sub
	Mul
	Div
	FloorDiv
	Mod
	Pow
	Lt
	Le
	Gt
	Ge
	Eq
	Ne
	And
	Or
	BitAnd
	BitOr
	BitXor
	Shl
	Shr

	// Unary operators (Unary).
	Neg
	Not
	Inv
	Abs

	numOps
)

// opNames are the operators' names in IR listings (Fprint) and in goldens.
var opNames = [numOps]string{
	BadOp: "?", Add: "add", Sub: "sub", Mul: "mul", Div: "div", FloorDiv: "fdiv", Mod: "mod", Pow: "pow",
	Lt: "lt", Le: "le", Gt: "gt", Ge: "ge", Eq: "eq", Ne: "ne", And: "and", Or: "or",
	BitAnd: "band", BitOr: "bor", BitXor: "bxor", Shl: "shl", Shr: "shr",
	Neg: "neg", Not: "not", Inv: "inv", Abs: "abs",
}

func (o Op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return "?"
}

// OpNamed returns the operator listed under name, or BadOp.
func OpNamed(name string) Op {
	for o := Add; o < numOps; o++ {
		if opNames[o] == name {
			return o
		}
	}
	return BadOp
}

// IsBinary reports whether o is an operator of Bin.
func (o Op) IsBinary() bool { return o >= Add && o <= Shr }

// IsUnary reports whether o is an operator of Unary.
func (o Op) IsUnary() bool { return o >= Neg && o < numOps }

// IsCompare reports whether o is one of Lt, Le, Gt, Ge, Eq, Ne.
func (o Op) IsCompare() bool { return o >= Lt && o <= Ne }

// IsBool reports whether o's result is a bool whatever its operands'
// dtype: the comparisons, And, Or and Not.
func (o Op) IsBool() bool { return o.IsCompare() || o == And || o == Or || o == Not }

// Ops lists every operator, for printers' coverage tests.
func Ops() []Op {
	ops := make([]Op, 0, numOps-1)
	for o := Add; o < numOps; o++ {
		ops = append(ops, o)
	}
	return ops
}
