package ir

// The intrinsic registry.
//
// An Intrinsic expression calls one of the pure functions listed here, by
// its identifier (Fn), never by a name a target happens to know. The
// registry is the contract between lowering, which chooses an intrinsic
// for what the Python program computes, and the printers (cgen today,
// clgen and CUDA next), which each implement every entry. What every
// printer must keep:
//
//   - The semantics written in the entry's Doc, exactly: the value for every
//     operand, NaN, infinities and signed zeros included, and for integers
//     the width the result wraps to. Where an entry says "the C library's",
//     the target uses its own library function of the same C99 name (the
//     C99 specification then fixes special values; the last bits of
//     transcendental functions may differ between libraries, as they do
//     between NumPy builds); where it names an algorithm (NumPy's rint,
//     CPython's gcd), the printer reproduces that algorithm, through a
//     helper of its prelude if need be.
//   - Purity and totality: an intrinsic never fails, traps or sets a flag
//     anyone reads (units are built with -fno-math-errno). What Python
//     raises for a bad operand is a Check that lowering places before or
//     after the call (math.sqrt's domain error tests the result for NaN),
//     so passes may move, duplicate or drop a call like any expression.
//   - The operand and result types of the entry's Sig: Verify rejects a call
//     whose types do not match, or with the wrong number of operands, so a
//     printer may rely on them.
//
// A printer implements the registry through a table keyed by Fn; its
// coverage test fails when an entry has no implementation there, and the
// printer panics on an Fn it does not know rather than guess a library
// name. Adding an intrinsic is: an entry here, an implementation in every
// printer's table, and lowering that emits it.
//
// The semantics of Cast that the CPU's code relies on belong to the same
// contract and are written on Cast (ir.go): a float converts to an integer
// by truncation, and NaN or a value outside int64 gives INT64_MIN (x86's
// "integer indefinite"), which lower/f2i.go and opt/guards.go test for.

import (
	"fmt"

	"sejit/internal/types"
)

// Fn identifies an intrinsic of the registry.
type Fn uint8

const (
	BadFn Fn = iota

	// Elementary functions of one float (or complex) operand.
	FnSqrt
	FnExp
	FnLog
	FnSin
	FnCos
	FnTan
	FnSinh
	FnCosh
	FnTanh
	FnAsin
	FnAcos
	FnAtan
	FnAsinh
	FnAcosh
	FnAtanh
	FnExp2
	FnExpm1
	FnLog2
	FnLog10
	FnLog1p
	FnCbrt
	FnErf
	FnErfc
	FnGamma
	FnLgamma
	FnFloor
	FnCeil
	FnTrunc
	FnRint
	FnRadians
	FnDegrees
	FnFabs
	FnSign

	// Classification.
	FnIsnan
	FnIsinf
	FnIsfinite

	// Functions of two operands.
	FnAtan2
	FnHypot
	FnNpHypot
	FnCopysign
	FnFmod
	FnRemainder
	FnNextafter
	FnMin
	FnMax
	FnCeilDiv
	FnMinimum
	FnMaximum
	FnFmin
	FnFmax

	// NumPy's functions with their own algorithms.
	FnNpFmod
	FnNpCLt
	FnNpCLe
	FnNpCGt
	FnNpCGe
	FnNpCRound
	FnNpConj
	FnNpCMul
	FnNpCPow
	FnNpCDiv
	FnNpExp

	// Complex numbers from and to floats.
	FnComplex
	FnImag

	// CPython's algorithms (math, cmath and builtins).
	FnPyRoundI64
	FnPyRoundF64
	FnPyGcd
	FnPyPowmod
	FnPyFsum
	FnPyFsumErr
	FnPyIsclose
	FnPyLcmOk
	FnPyLcm
	FnPyFactorialOk
	FnPyFactorial
	FnPyCombOk
	FnPyComb
	FnPyPermOk
	FnPyPerm
	FnPyIsqrt
	FnPyLdexp
	FnPyFrexpM
	FnPyFrexpE
	FnPyHashInt
	FnPyHashFloat
	FnPyModfFrac
	FnPyModfInt
	FnPyUlp
	FnPyGammaPole
	FnPyPhase
	FnPyCabs
	FnPyRect
	FnPyCisclose
	FnPyCzero
	FnPyClogb
	FnPyCunit
	FnPyClog10
	FnPyCfinite
	FnPyPow2

	numFns
)

// Slot is the dtype of one operand or of the result in a Sig: a fixed
// dtype, or SlotT, the call's own dtype (one of the Sig's Ts).
type Slot = types.DType

// SlotT stands for the call's own dtype in a Sig.
const SlotT Slot = 255

// A Sig is an intrinsic's operand and result types. Every slot that is T
// has the same dtype, which must be one of Ts; the call's Intrinsic.T is
// the result's scalar type.
type Sig struct {
	Result   Slot
	Args     []Slot
	Variadic bool // the last of Args repeats, zero or more times
	Ts       []types.DType
}

// IntrinsicInfo is one entry of the registry.
type IntrinsicInfo struct {
	Name string // in IR listings (Fprint) and goldens
	Sig  Sig
	Doc  string // the exact semantics every printer keeps
}

var (
	floats    = []types.DType{types.Float32, types.Float64}
	complexes = []types.DType{types.Complex64, types.Complex128}
	ints      = []types.DType{types.Int8, types.Int16, types.Int32, types.Int64,
		types.Uint8, types.Uint16, types.Uint32, types.Uint64}
	floatsComplexes = joinDTypes(floats, complexes)
	numbers         = joinDTypes(ints, floats, complexes)
	realNumbers     = joinDTypes(ints, floats)
)

func joinDTypes(ds ...[]types.DType) []types.DType {
	var out []types.DType
	for _, d := range ds {
		out = append(out, d...)
	}
	return out
}

const (
	dI64  = types.Int64
	dF64  = types.Float64
	dC128 = types.Complex128
	dBool = types.Bool
)

func unaryT(ts []types.DType) Sig  { return Sig{Result: SlotT, Args: []Slot{SlotT}, Ts: ts} }
func binaryT(ts []types.DType) Sig { return Sig{Result: SlotT, Args: []Slot{SlotT, SlotT}, Ts: ts} }
func predT(ts []types.DType) Sig   { return Sig{Result: dBool, Args: []Slot{SlotT}, Ts: ts} }
func fixed(r Slot, args ...Slot) Sig {
	return Sig{Result: r, Args: args}
}

// The shared parts of the entries' documentation.
const (
	libm1 = "The C library's function of this name, in T's precision (float32: the f-suffixed one). " +
		"NaN gives NaN; outside the domain the result is NaN, never an error."
	libm1C = libm1 + " Complex operands: NumPy's algorithm for the ufunc (npymath), computed in complex128 " +
		"and narrowed for complex64."
	libm2 = "The C library's function of this name on two operands of T, in T's precision. " +
		"NaN operands give what C99 Annex F specifies."
	pyDoc = "CPython's algorithm for the function, on int64 and float64; the result is what CPython " +
		"returns whenever that fits the result type (lowering checks the cases that would not)."
)

// intrinsics is the registry, indexed by Fn.
var intrinsics = [numFns]IntrinsicInfo{
	FnSqrt:   {"sqrt", unaryT(floatsComplexes), libm1C},
	FnExp:    {"exp", unaryT(floatsComplexes), libm1C},
	FnLog:    {"log", unaryT(floatsComplexes), libm1C},
	FnSin:    {"sin", unaryT(floatsComplexes), libm1C},
	FnCos:    {"cos", unaryT(floatsComplexes), libm1C},
	FnTan:    {"tan", unaryT(floatsComplexes), libm1C},
	FnSinh:   {"sinh", unaryT(floatsComplexes), libm1C},
	FnCosh:   {"cosh", unaryT(floatsComplexes), libm1C},
	FnTanh:   {"tanh", unaryT(floatsComplexes), libm1C},
	FnAsin:   {"asin", unaryT(floatsComplexes), libm1C},
	FnAcos:   {"acos", unaryT(floatsComplexes), libm1C},
	FnAtan:   {"atan", unaryT(floatsComplexes), libm1C},
	FnAsinh:  {"asinh", unaryT(floatsComplexes), libm1C},
	FnAcosh:  {"acosh", unaryT(floatsComplexes), libm1C},
	FnAtanh:  {"atanh", unaryT(floatsComplexes), libm1C},
	FnExp2:   {"exp2", unaryT(floatsComplexes), libm1C},
	FnExpm1:  {"expm1", unaryT(floatsComplexes), libm1C},
	FnLog2:   {"log2", unaryT(floatsComplexes), libm1C},
	FnLog10:  {"log10", unaryT(floatsComplexes), libm1C},
	FnLog1p:  {"log1p", unaryT(floatsComplexes), libm1C},
	FnCbrt:   {"cbrt", unaryT(floats), libm1},
	FnErf:    {"erf", unaryT(floats), libm1},
	FnErfc:   {"erfc", unaryT(floats), libm1},
	FnGamma:  {"gamma", unaryT(floats), "C's tgamma (the true gamma function). " + libm1},
	FnLgamma: {"lgamma", unaryT(floats), libm1},
	FnFloor:  {"floor", unaryT(floats), "Rounds toward -inf; exact. NaN and ±inf give themselves, -0.0 stays -0.0."},
	FnCeil:   {"ceil", unaryT(floats), "Rounds toward +inf; exact. NaN and ±inf give themselves, -0.5 gives -0.0."},
	FnTrunc:  {"trunc", unaryT(floats), "Rounds toward zero; exact. NaN and ±inf give themselves, the sign of zero is kept."},
	FnRint: {"rint", unaryT(floatsComplexes), "Rounds to the nearest integer, halves to even (the default " +
		"rounding mode, never changed by sejit); exact. NaN and ±inf give themselves. Complex: each part."},
	FnRadians: {"radians", unaryT(floats), "x * (pi/180), the constant rounded to float64 then to T: one multiplication."},
	FnDegrees: {"degrees", unaryT(floats), "x * (180/pi), the constant rounded to float64 then to T: one multiplication."},
	FnFabs:    {"fabs", unaryT(floats), "|x|: clears the sign bit (NaN stays NaN, -0.0 gives 0.0)."},
	FnSign: {"sign", unaryT(numbers), "NumPy's sign: -1, 0 or 1 in T; for floats NaN gives NaN and ±0.0 itself; " +
		"complex: z/|z| (NumPy 2), 0 for 0, NaN+NaNj when either part is NaN."},

	FnIsnan:    {"isnan", predT(floatsComplexes), "True for NaN. Complex: either part is NaN."},
	FnIsinf:    {"isinf", predT(floatsComplexes), "True for ±inf. Complex: either part is infinite."},
	FnIsfinite: {"isfinite", predT(floatsComplexes), "True unless NaN or ±inf. Complex: both parts finite."},

	FnAtan2: {"atan2", binaryT(floats), libm2},
	FnHypot: {"hypot", binaryT(floats), libm2 + " hypot(±inf, NaN) is +inf."},
	FnNpHypot: {"np_hypot", binaryT(floats), "NumPy's absolute of a complex array's element, from its real and " +
		"imaginary parts (the formula of NumPy's SIMD loop): +inf if either part is infinite, else NaN if either is " +
		"NaN, else 0 if both are 0, else larger * sqrt(fma(r, r, 1)) with r = smaller / larger, in T's precision. " +
		"Within an ulp of hypot, and much faster."},
	FnCopysign:  {"copysign", binaryT(floats), libm2 + " Exact; the sign of a NaN is copied too."},
	FnFmod:      {"fmod", binaryT(floats), libm2 + " Exact remainder of truncating division, sign of x; fmod(x, 0) and fmod(inf, y) are NaN."},
	FnRemainder: {"remainder", binaryT(floats), libm2 + " IEEE remainder (quotient rounded half to even); exact."},
	FnNextafter: {"nextafter", binaryT(floats), libm2 + " The next representable value after x toward y."},
	FnMin: {"min", binaryT([]types.DType{types.Int64, types.Float32, types.Float64}), "The smaller operand; floats: C's " +
		"fmin (a NaN operand gives the other). Lowering uses it on extents and counts."},
	FnMax: {"max", binaryT([]types.DType{types.Int64, types.Float32, types.Float64}), "The larger operand; floats: C's " +
		"fmax (a NaN operand gives the other). Lowering uses it on extents and counts."},
	FnCeilDiv: {"ceildiv", binaryT([]types.DType{types.Int64}), "The quotient rounded toward +inf, for a non-zero " +
		"divisor (a range's trip count); the result does not overflow for range() arguments."},
	FnMinimum: {"minimum", binaryT(append([]types.DType{types.Bool}, numbers...)), "NumPy's minimum: a NaN operand " +
		"gives NaN (the first NaN); complex numbers compare lexicographically, NaN parts propagating."},
	FnMaximum: {"maximum", binaryT(append([]types.DType{types.Bool}, numbers...)), "NumPy's maximum: a NaN operand " +
		"gives NaN (the first NaN); complex numbers compare lexicographically, NaN parts propagating."},
	FnFmin: {"fmin", binaryT(append([]types.DType{types.Bool}, numbers...)), "NumPy's fmin: a NaN operand gives the " +
		"other (NaN only if both are); integers as minimum."},
	FnFmax: {"fmax", binaryT(append([]types.DType{types.Bool}, numbers...)), "NumPy's fmax: a NaN operand gives the " +
		"other (NaN only if both are); integers as maximum."},

	FnNpFmod: {"np_fmod", binaryT(realNumbers), "NumPy's fmod: the remainder of truncating division, with the sign of " +
		"the dividend; floats as C's fmod; integers: a zero divisor gives 0, INT_MIN % -1 gives 0."},
	FnNpCLt: {"np_clt", Sig{Result: dBool, Args: []Slot{SlotT, SlotT}, Ts: complexes}, "NumPy's lexicographic < of complex " +
		"numbers (real parts, then imaginary parts); NaN anywhere gives false."},
	FnNpCLe: {"np_cle", Sig{Result: dBool, Args: []Slot{SlotT, SlotT}, Ts: complexes}, "NumPy's lexicographic <= of complex numbers; NaN anywhere gives false."},
	FnNpCGt: {"np_cgt", Sig{Result: dBool, Args: []Slot{SlotT, SlotT}, Ts: complexes}, "NumPy's lexicographic > of complex numbers; NaN anywhere gives false."},
	FnNpCGe: {"np_cge", Sig{Result: dBool, Args: []Slot{SlotT, SlotT}, Ts: complexes}, "NumPy's lexicographic >= of complex numbers; NaN anywhere gives false."},
	FnNpCRound: {"np_cround", Sig{Result: SlotT, Args: []Slot{SlotT, dF64, dI64}, Ts: complexes}, "np.round of a complex " +
		"number: each part rounded as a float of the part's dtype by NumPy's algorithm, with the scale 10**|decimals| " +
		"(second operand, already rounded to the part's dtype) and the decimals (third)."},
	FnNpConj: {"np_conj", unaryT(complexes), "The complex conjugate: the imaginary part's sign flipped (NaN too)."},
	FnNpCMul: {"np_cmul", binaryT(complexes), "NumPy's product of complex array elements (its SIMD loop, and its " +
		"square): (fma(a.re, b.re, -(a.im*b.im)), fma(a.re, b.im, a.im*b.re)) in T's precision where the target has " +
		"fused multiply-add, as NumPy's loop computes it there; elsewhere the plain product of ir.Mul."},
	FnNpCDiv: {"np_cdiv", binaryT(complexes), "NumPy's quotient of complex numbers (its divide loop, which its " +
		"scalars call too) in T's precision: Smith's algorithm scaled by a reciprocal, ((a.re + a.im*r)*s, " +
		"(a.im - a.re*r)*s) with r = b.im/b.re, s = 1/(b.re + b.im*r) where |b.re| >= |b.im|, ((a.re*r + a.im)*s, " +
		"(a.im*r - a.re)*s) with r = b.re/b.im, s = 1/(b.im + b.re*r) otherwise; a zero divisor gives " +
		"(a.re/|b.re|, a.im/|b.im|). ir.Div of complex numbers is CPython's formula (divisions by the denominator)."},
	FnNpCPow: {"np_cpow", binaryT(complexes), "NumPy's power of complex numbers (npy_cpow) in T's precision: " +
		"exponent 0 gives 1; a zero base gives 0 for an exponent of positive real part, else NaN; a real integer " +
		"exponent n with |n| < 100 multiplies by repeated squaring with plain products (n = 1, 2, 3 unrolled), " +
		"then for n < 0 divides 1 by the result with Smith's algorithm scaled by a reciprocal, (1 + 0*r)*s and " +
		"(0 - r)*s with r = b.im/b.re, s = 1/(b.re + b.im*r) (parts swapped when |b.im| > |b.re|; a zero divisor " +
		"gives (1/0, 0/0)); any other exponent is the C library's cpow."},

	FnNpExp: {"np_exp", unaryT(floatsComplexes), "NumPy's exp of an array element: on float64, where the target " +
		"has fused multiply-add, a vectorisable kernel (x = k ln 2 + r, a degree-13 polynomial of r with the sum 1 + r " +
		"split exactly, scaled by 2**k in two steps) within 1 ulp of the correctly rounded result, as NumPy's own " +
		"SIMD loop is (neither is bit-identical to the C library's exp); overflow gives inf, NaN stays NaN. Other " +
		"types and targets: ir.FnExp."},

	FnComplex: {"complex", fixed(dC128, dF64, dF64), "The complex number with these real and imaginary parts, exactly."},
	FnImag:    {"imag", fixed(dF64, dC128), "The imaginary part, exactly."},

	FnPyRoundI64:    {"py_round_i64", fixed(dI64, dI64, dI64), "round(x, n) of an int: x rounded to a multiple of 10**-n, halves to even (x for n >= 0). " + pyDoc},
	FnPyRoundF64:    {"py_round_f64", fixed(dF64, dF64, dI64), "round(x, n) of a float: the correctly rounded decimal, as CPython's float.__round__. " + pyDoc},
	FnPyGcd:         {"py_gcd", fixed(dI64, dI64, dI64), "math.gcd of two ints (non-negative). " + pyDoc},
	FnPyPowmod:      {"py_powmod", fixed(dI64, dI64, dI64, dI64), "pow(b, e, m), for m != 0 and b invertible when e < 0. " + pyDoc},
	FnPyFsum:        {"py_fsum", Sig{Result: dF64, Args: []Slot{dI64, dF64}, Variadic: true}, "math.fsum of the floats after the count (first operand): the correctly rounded sum. " + pyDoc},
	FnPyFsumErr:     {"py_fsum_err", Sig{Result: dI64, Args: []Slot{dI64, dF64}, Variadic: true}, "Which error math.fsum of the same operands raises: 0 none, 1 OverflowError, 2 ValueError (-inf + inf)."},
	FnPyIsclose:     {"py_isclose", fixed(dBool, dF64, dF64, dF64, dF64), "math.isclose(a, b, rel_tol, abs_tol). " + pyDoc},
	FnPyLcmOk:       {"py_lcm_ok", fixed(dBool, dI64, dI64), "Whether math.lcm of the two fits in int64."},
	FnPyLcm:         {"py_lcm", fixed(dI64, dI64, dI64), "math.lcm of two ints. " + pyDoc},
	FnPyFactorialOk: {"py_factorial_ok", fixed(dBool, dI64), "Whether math.factorial of n >= 0 fits in int64."},
	FnPyFactorial:   {"py_factorial", fixed(dI64, dI64), "math.factorial. " + pyDoc},
	FnPyCombOk:      {"py_comb_ok", fixed(dBool, dI64, dI64), "Whether math.comb(n, k) of non-negative operands fits in int64."},
	FnPyComb:        {"py_comb", fixed(dI64, dI64, dI64), "math.comb. " + pyDoc},
	FnPyPermOk:      {"py_perm_ok", fixed(dBool, dI64, dI64), "Whether math.perm(n, k) of non-negative operands fits in int64."},
	FnPyPerm:        {"py_perm", fixed(dI64, dI64, dI64), "math.perm. " + pyDoc},
	FnPyIsqrt:       {"py_isqrt", fixed(dI64, dI64), "math.isqrt of n >= 0: the floor of the exact square root. " + pyDoc},
	FnPyLdexp:       {"py_ldexp", fixed(dF64, dF64, dI64), "math.ldexp: x * 2**i exactly, or ±inf or ±0.0 past the range. " + pyDoc},
	FnPyFrexpM:      {"py_frexp_m", fixed(dF64, dF64), "The mantissa of math.frexp (0.5 <= |m| < 1; x itself for 0, NaN, ±inf)."},
	FnPyFrexpE:      {"py_frexp_e", fixed(dI64, dF64), "The exponent of math.frexp (0 for 0, NaN, ±inf)."},
	FnPyHashInt:     {"py_hash_int", fixed(dI64, dI64), "hash(n) of an int, CPython's: n reduced modulo 2**61-1 with its sign, -1 hashing as -2."},
	FnPyHashFloat:   {"py_hash_float", fixed(dI64, dF64), "hash(x) of a float, CPython's numeric hash (equal to the int's for integral x; ±314159 for ±inf; 0 for NaN)."},
	FnPyModfFrac:    {"py_modf_frac", fixed(dF64, dF64), "The fractional part of math.modf (±0.0 for ±inf, with x's sign)."},
	FnPyModfInt:     {"py_modf_int", fixed(dF64, dF64), "The integral part of math.modf."},
	FnPyUlp:         {"py_ulp", fixed(dF64, dF64), "math.ulp. " + pyDoc},
	FnPyGammaPole:   {"py_gamma_pole", fixed(dBool, dF64), "True where math.gamma and lgamma have a pole: zero and the negative integers."},
	FnPyPhase:       {"py_phase", fixed(dF64, dC128), "cmath.phase: atan2(imaginary part, real part)."},
	FnPyCabs:        {"py_cabs", fixed(dF64, dC128), "abs of a complex number: hypot of the parts, as CPython."},
	FnPyRect:        {"py_rect", fixed(dC128, dF64, dF64), "cmath.rect(r, phi). " + pyDoc},
	FnPyCisclose:    {"py_cisclose", fixed(dBool, dC128, dC128, dF64, dF64), "cmath.isclose(a, b, rel_tol, abs_tol). " + pyDoc},
	FnPyCzero:       {"py_czero", fixed(dBool, dC128), "True for a complex zero (either sign of either part)."},
	FnPyClogb:       {"py_clogb", fixed(dC128, dC128, dC128), "cmath.log(x, base) as CPython computes it: log(x) / log(base)."},
	FnPyCunit:       {"py_cunit", fixed(dBool, dC128), "True for ±1+0j, where cmath.atanh has its poles."},
	FnPyClog10:      {"py_clog10", fixed(dC128, dC128), "cmath.log10 as CPython computes it: log(x) with each part divided by ln 10."},
	FnPyCfinite:     {"py_cfinite", fixed(dBool, dC128), "True when both parts are finite."},
	FnPyPow2: {"py_pow2", fixed(dF64, dF64), "x ** 2 of a Python float: the bits of the C library's pow(x, 2.0), which " +
		"CPython calls and which differs from x*x (NumPy's array square) in the last bit where the exact square lies " +
		"within about 0.01 ulp of a rounding midpoint; x*x wherever that is provably the same."},
}

// Info returns fn's registry entry.
func (fn Fn) Info() *IntrinsicInfo {
	if fn == BadFn || fn >= numFns {
		return &IntrinsicInfo{Name: "?"}
	}
	return &intrinsics[fn]
}

func (fn Fn) String() string { return fn.Info().Name }

// Fns lists every intrinsic of the registry, for printers' coverage tests.
func Fns() []Fn {
	out := make([]Fn, 0, numFns-1)
	for fn := BadFn + 1; fn < numFns; fn++ {
		out = append(out, fn)
	}
	return out
}

var fnByName = func() map[string]Fn {
	m := map[string]Fn{}
	for fn := BadFn + 1; fn < numFns; fn++ {
		m[intrinsics[fn].Name] = fn
	}
	return m
}()

// FnNamed returns the intrinsic listed under name, or BadFn: lowering
// maps a Python function's name to its intrinsic through it.
func FnNamed(name string) Fn { return fnByName[name] }

// checkIntrinsic reports how a call breaks its entry's signature.
func checkIntrinsic(e *Intrinsic) error {
	if e.Fn == BadFn || e.Fn >= numFns {
		return fmt.Errorf("unknown intrinsic %d", e.Fn)
	}
	sig := e.Fn.Info().Sig
	n := len(sig.Args)
	if len(e.Args) != n && !(sig.Variadic && len(e.Args) >= n-1) {
		return fmt.Errorf("%s with %d operands for %d", e.Fn, len(e.Args), n)
	}
	if e.T == nil || e.T.Kind != types.Scalar {
		return fmt.Errorf("%s with a non-scalar result type", e.Fn)
	}
	t, tSet := types.DType(0), false
	slot := func(what string, s Slot, d types.DType) error {
		if s != SlotT {
			if d != s {
				return fmt.Errorf("%s: %s is %s, want %s", e.Fn, what, d, s)
			}
			return nil
		}
		if tSet && d != t {
			return fmt.Errorf("%s: %s is %s, want %s like the others", e.Fn, what, d, t)
		}
		t, tSet = d, true
		for _, ok := range sig.Ts {
			if d == ok {
				return nil
			}
		}
		return fmt.Errorf("%s: not defined on %s", e.Fn, d)
	}
	if err := slot("the result", sig.Result, e.T.DType); err != nil {
		return err
	}
	for i, a := range e.Args {
		s := sig.Args[min(i, n-1)]
		if err := slot(fmt.Sprintf("operand %d", i+1), s, TypeOf(a).DType); err != nil {
			return err
		}
	}
	return nil
}
