package cgen

// C for the intrinsics of ir's registry (ir/intrinsics.go), one entry per
// intrinsic in cIntrinsics. An intrinsic without an entry is a bug that
// TestEveryIntrinsicPrints reports; printing one panics rather than guess
// a C library name.

import (
	"fmt"
	"math"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// cIntr prints a call of an intrinsic whose operands print as args.
type cIntr func(e *ir.Intrinsic, args []string) string

func (g *gen) intrinsic(e *ir.Intrinsic) string {
	p, ok := cIntrinsics[e.Fn]
	if !ok {
		panic(fmt.Sprintf("cgen: no C for intrinsic %s", e.Fn))
	}
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = g.expr(a)
	}
	return p(e, args)
}

// fname is a libm function for dtype d (sinf for float32).
func fname(name string, d types.DType) string {
	if d == types.Float32 {
		return name + "f"
	}
	return name
}

// libm calls the C library's function name in the result's precision.
func libm(name string) cIntr {
	return func(e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("%s(%s)", fname(name, e.T.DType), strings.Join(args, ", "))
	}
}

// complexHelper calls the prelude's complex128 helper sejit_c128_<name>,
// widening and narrowing a complex64 operand and result.
func complexHelper(name string, d types.DType, x string) string {
	if d == types.Complex64 {
		return fmt.Sprintf("sejit_c64_narrow(sejit_c128_%s(sejit_c64_wide(%s)))", name, x)
	}
	return fmt.Sprintf("sejit_c128_%s(%s)", name, x)
}

// libmC is libm for floats and NumPy's complex algorithm (the prelude's
// complex helpers) for complex numbers.
func libmC(name string) cIntr {
	return func(e *ir.Intrinsic, args []string) string {
		if d := e.T.DType; d.IsComplex() {
			return complexHelper(name, d, args[0])
		}
		return libm(name)(e, args)
	}
}

// helper calls a prelude helper with the operands as they are.
func helper(name string) cIntr {
	return func(_ *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("%s(%s)", name, strings.Join(args, ", "))
	}
}

// wide128 widens a complex64 operand to the complex128 the helpers take.
func wide128(d types.DType, x string) string {
	if d == types.Complex64 {
		return "sejit_c64_wide(" + x + ")"
	}
	return x
}

// argDType is the dtype of an intrinsic's first operand.
func argDType(e *ir.Intrinsic) types.DType { return ir.TypeOf(e.Args[0]).DType }

func classify(name string, join string) cIntr {
	return func(e *ir.Intrinsic, args []string) string {
		if ad := argDType(e); ad.IsComplex() {
			x := wide128(ad, args[0])
			return fmt.Sprintf("(%s((%s).re) %s %s((%s).im))", name, x, join, name, x)
		}
		return fmt.Sprintf("(%s(%s) != 0)", name, args[0])
	}
}

func minMax(name string) cIntr {
	return func(e *ir.Intrinsic, args []string) string {
		if d := e.T.DType; d.IsInt() {
			return fmt.Sprintf("sejit_%s_i64(%s, %s)", name, args[0], args[1])
		}
		return fmt.Sprintf("%s(%s, %s)", fname("f"+name, e.T.DType), args[0], args[1])
	}
}

// npMinMax is NumPy's minimum or maximum (name), or fmin or fmax (fname
// for floats, minimum or maximum for integers).
func npMinMax(name, floatName string) cIntr {
	return func(e *ir.Intrinsic, args []string) string {
		d := e.T.DType
		switch {
		case d.IsComplex():
			r := fmt.Sprintf("sejit_np_c%s(%s, %s)", floatName, wide128(d, args[0]), wide128(d, args[1]))
			if d == types.Complex64 {
				r = "sejit_c64_narrow(" + r + ")"
			}
			return r
		case floatName != name && d.IsFloat():
			return fmt.Sprintf("%s(%s, %s)", fname(floatName, d), args[0], args[1])
		case d == types.Float64:
			return fmt.Sprintf("sejit_%s_f64(%s, %s)", name, args[0], args[1])
		case d == types.Float32:
			return fmt.Sprintf("sejit_%s_f32(%s, %s)", name, args[0], args[1])
		}
		op := "<"
		if name == "maximum" {
			op = ">"
		}
		return fmt.Sprintf("((%s) %s (%s) ? (%s) : (%s))", args[0], op, args[1], args[0], args[1])
	}
}

// scaleBy multiplies by a float64 constant rounded to the result's dtype.
func scaleBy(k float64) cIntr {
	return func(e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("((%s) * (%s)(%s))", args[0], CType(e.T.DType), floatC(k, types.Float64))
	}
}

// complexOrder is NumPy's lexicographic order, the same as the < of
// complex scalars.
func complexOrder(name string) cIntr {
	return func(e *ir.Intrinsic, args []string) string {
		ad := argDType(e)
		return fmt.Sprintf("sejit_c128_%s(%s, %s)", name, wide128(ad, args[0]), wide128(ad, args[1]))
	}
}

// cIntrinsics is the C of every intrinsic.
var cIntrinsics = map[ir.Fn]cIntr{
	ir.FnSqrt:    libmC("sqrt"),
	ir.FnExp:     libmC("exp"),
	ir.FnLog:     libmC("log"),
	ir.FnSin:     libmC("sin"),
	ir.FnCos:     libmC("cos"),
	ir.FnTan:     libmC("tan"),
	ir.FnSinh:    libmC("sinh"),
	ir.FnCosh:    libmC("cosh"),
	ir.FnTanh:    libmC("tanh"),
	ir.FnAsin:    libmC("asin"),
	ir.FnAcos:    libmC("acos"),
	ir.FnAtan:    libmC("atan"),
	ir.FnAsinh:   libmC("asinh"),
	ir.FnAcosh:   libmC("acosh"),
	ir.FnAtanh:   libmC("atanh"),
	ir.FnExp2:    libmC("exp2"),
	ir.FnExpm1:   libmC("expm1"),
	ir.FnLog2:    libmC("log2"),
	ir.FnLog10:   libmC("log10"),
	ir.FnLog1p:   libmC("log1p"),
	ir.FnCbrt:    libm("cbrt"),
	ir.FnErf:     libm("erf"),
	ir.FnErfc:    libm("erfc"),
	ir.FnGamma:   libm("tgamma"),
	ir.FnLgamma:  libm("lgamma"),
	ir.FnFloor:   libm("floor"),
	ir.FnCeil:    libm("ceil"),
	ir.FnTrunc:   libm("trunc"),
	ir.FnRint:    libmC("rint"),
	ir.FnRadians: scaleBy(math.Pi / 180),
	ir.FnDegrees: scaleBy(180 / math.Pi),
	ir.FnFabs:    libm("fabs"),
	ir.FnSign: func(e *ir.Intrinsic, args []string) string {
		switch d := e.T.DType; {
		case d.IsComplex():
			return complexHelper("sign", d, args[0])
		case d == types.Float64:
			return fmt.Sprintf("sejit_sign_f64(%s)", args[0])
		case d == types.Float32:
			return fmt.Sprintf("sejit_sign_f32(%s)", args[0])
		}
		return fmt.Sprintf("((%s)(((%s) > 0) - ((%s) < 0)))", CType(e.T.DType), args[0], args[0])
	},

	ir.FnIsnan:    classify("isnan", "||"),
	ir.FnIsinf:    classify("isinf", "||"),
	ir.FnIsfinite: classify("isfinite", "&&"),

	ir.FnAtan2:   libm("atan2"),
	ir.FnHypot:   libm("hypot"),
	ir.FnNpHypot: libm("sejit_np_hypot"),
	ir.FnNpExp: func(e *ir.Intrinsic, args []string) string {
		if e.T.DType == types.Float64 {
			return "sejit_np_exp(" + args[0] + ")"
		}
		return libmC("exp")(e, args)
	},
	ir.FnCopysign:  libm("copysign"),
	ir.FnFmod:      libm("fmod"),
	ir.FnRemainder: libm("remainder"),
	ir.FnNextafter: libm("nextafter"),
	ir.FnMin:       minMax("min"),
	ir.FnMax:       minMax("max"),
	ir.FnCeilDiv:   helper("sejit_ceildiv_i64"),
	ir.FnMinimum:   npMinMax("minimum", "minimum"),
	ir.FnMaximum:   npMinMax("maximum", "maximum"),
	ir.FnFmin:      npMinMax("minimum", "fmin"),
	ir.FnFmax:      npMinMax("maximum", "fmax"),

	ir.FnNpFmod: func(e *ir.Intrinsic, args []string) string {
		switch d := e.T.DType; {
		case d == types.Float64:
			return fmt.Sprintf("fmod(%s, %s)", args[0], args[1])
		case d == types.Float32:
			return fmt.Sprintf("fmodf(%s, %s)", args[0], args[1])
		case d.IsUnsigned():
			return fmt.Sprintf("((%s)sejit_np_fmod_u64(%s, %s))", CType(d), args[0], args[1])
		}
		return fmt.Sprintf("((%s)sejit_np_fmod_i64(%s, %s))", CType(e.T.DType), args[0], args[1])
	},
	ir.FnNpCLt: complexOrder("lt"),
	ir.FnNpCLe: complexOrder("le"),
	ir.FnNpCGt: complexOrder("gt"),
	ir.FnNpCGe: complexOrder("ge"),
	ir.FnNpCRound: func(e *ir.Intrinsic, args []string) string {
		if e.T.DType == types.Complex64 {
			return fmt.Sprintf("sejit_np_cround_c64(%s, (float)(%s), %s)", args[0], args[1], args[2])
		}
		return fmt.Sprintf("sejit_np_cround_c128(%s, %s, %s)", args[0], args[1], args[2])
	},
	ir.FnNpCMul: func(e *ir.Intrinsic, args []string) string {
		if e.T.DType == types.Complex64 {
			return fmt.Sprintf("sejit_np_cmul64(%s, %s)", args[0], args[1])
		}
		return fmt.Sprintf("sejit_np_cmul(%s, %s)", args[0], args[1])
	},
	ir.FnNpCPow: func(e *ir.Intrinsic, args []string) string {
		if e.T.DType == types.Complex64 {
			return fmt.Sprintf("sejit_np_cpow64(%s, %s)", args[0], args[1])
		}
		return fmt.Sprintf("sejit_np_cpow(%s, %s)", args[0], args[1])
	},
	ir.FnNpCDiv: func(e *ir.Intrinsic, args []string) string {
		if e.T.DType == types.Complex64 {
			return fmt.Sprintf("sejit_np_cdiv64(%s, %s)", args[0], args[1])
		}
		return fmt.Sprintf("sejit_np_cdiv(%s, %s)", args[0], args[1])
	},
	ir.FnNpConj: func(e *ir.Intrinsic, args []string) string {
		if e.T.DType == types.Complex64 {
			return fmt.Sprintf("sejit_c64_make((%s).re, -(%s).im)", args[0], args[0])
		}
		return fmt.Sprintf("sejit_c128_make((%s).re, -(%s).im)", args[0], args[0])
	},

	ir.FnComplex: helper("sejit_c128_make"),
	ir.FnImag:    helper("sejit_c128_imag"),

	// CPython's algorithms: the prelude's sejit_py_* helpers (issue 3).
	ir.FnPyRoundI64:    helper("sejit_py_round_i64"),
	ir.FnPyRoundF64:    helper("sejit_py_round_f64"),
	ir.FnPyGcd:         helper("sejit_py_gcd"),
	ir.FnPyPowmod:      helper("sejit_py_powmod"),
	ir.FnPyFsum:        helper("sejit_py_fsum"),
	ir.FnPyFsumErr:     helper("sejit_py_fsum_err"),
	ir.FnPyIsclose:     helper("sejit_py_isclose"),
	ir.FnPyLcmOk:       helper("sejit_py_lcm_ok"),
	ir.FnPyLcm:         helper("sejit_py_lcm"),
	ir.FnPyFactorialOk: helper("sejit_py_factorial_ok"),
	ir.FnPyFactorial:   helper("sejit_py_factorial"),
	ir.FnPyCombOk:      helper("sejit_py_comb_ok"),
	ir.FnPyComb:        helper("sejit_py_comb"),
	ir.FnPyPermOk:      helper("sejit_py_perm_ok"),
	ir.FnPyPerm:        helper("sejit_py_perm"),
	ir.FnPyIsqrt:       helper("sejit_py_isqrt"),
	ir.FnPyLdexp:       helper("sejit_py_ldexp"),
	ir.FnPyFrexpM:      helper("sejit_py_frexp_m"),
	ir.FnPyFrexpE:      helper("sejit_py_frexp_e"),
	ir.FnPyHashInt:     helper("sejit_py_hash_int"),
	ir.FnPyHashFloat:   helper("sejit_py_hash_float"),
	ir.FnPyModfFrac:    helper("sejit_py_modf_frac"),
	ir.FnPyModfInt:     helper("sejit_py_modf_int"),
	ir.FnPyUlp:         helper("sejit_py_ulp"),
	ir.FnPyGammaPole:   helper("sejit_py_gamma_pole"),
	ir.FnPyPhase:       helper("sejit_py_phase"),
	ir.FnPyCabs:        helper("sejit_py_cabs"),
	ir.FnPyRect:        helper("sejit_py_rect"),
	ir.FnPyCisclose:    helper("sejit_py_cisclose"),
	ir.FnPyCzero:       helper("sejit_py_czero"),
	ir.FnPyClogb:       helper("sejit_py_clogb"),
	ir.FnPyCunit:       helper("sejit_py_cunit"),
	ir.FnPyClog10:      helper("sejit_py_clog10"),
	ir.FnPyCfinite:     helper("sejit_py_cfinite"),
	ir.FnPyPow2:        helper("sejit_pow2_f64"),
}

// calleeC is the C function a Call calls: the function itself, or the
// prelude's implementation of a helper (ir/helpers.go).
func calleeC(f *ir.Func) string {
	if f.Extern == nil {
		return f.Name
	}
	name, ok := cHelpers[f.Helper]
	if !ok {
		panic(fmt.Sprintf("cgen: no C for helper %s", f.Helper))
	}
	if dtypeGeneric[f.Helper] {
		// One helper per dtype of the array operand.
		name += "_" + scalarMember(f.Params[0].Type.DType)
	}
	return name
}

// cHelpers are the prelude's helpers ("NumPy functions").
var cHelpers = map[ir.Helper]string{
	ir.HelperSort:              "sejit_np_sort",
	ir.HelperArgsort:           "sejit_np_argsort",
	ir.HelperUnique:            "sejit_np_unique",
	ir.HelperHistogram:         "sejit_np_histogram",
	ir.HelperBincount:          "sejit_np_bincount",
	ir.HelperBincountWeighted:  "sejit_np_bincount_w",
	ir.HelperInterp:            "sejit_np_interp",
	ir.HelperRandom:            "sejit_np_random",
	ir.HelperRandomFill:        "sejit_np_random_fill",
	ir.HelperRandint:           "sejit_np_randint",
	ir.HelperRandintFill:       "sejit_np_randint_fill",
	ir.HelperRandom2:           "sejit_np_random2",
	ir.HelperRandom2Fill:       "sejit_np_random2_fill",
	ir.HelperRandomDisc:        "sejit_np_random_disc",
	ir.HelperRandomDiscFill:    "sejit_np_random_disc_fill",
	ir.HelperRandomSeed:        "sejit_np_random_seed",
	ir.HelperRandintNarrow:     "sejit_np_randint_narrow",
	ir.HelperRandintNarrowFill: "sejit_np_randint_narrow_fill",
	ir.HelperRandomGetState:    "sejit_np_random_get_state",
	ir.HelperRandomSetState:    "sejit_np_random_set_state",
	ir.HelperRandomPerm:        "sejit_np_random_perm",
	ir.HelperChoiceCheck:       "sejit_np_choice_check",
	ir.HelperChoice:            "sejit_np_choice",
	ir.HelperGenFloat:          "sejit_np_gen_float",
	ir.HelperGenFloatFill:      "sejit_np_gen_float_fill",
	ir.HelperGenInt:            "sejit_np_gen_int",
	ir.HelperGenIntFill:        "sejit_np_gen_int_fill",
	ir.HelperGenPerm:           "sejit_np_gen_perm",
	ir.HelperGenChoice:         "sejit_np_gen_choice",
	ir.HelperStreamFloat:       "sejit_np_stream_float",
	ir.HelperStreamInt:         "sejit_np_stream_int",
	ir.HelperStreamGenFloat:    "sejit_np_stream_gen_float",
	ir.HelperGemm:              "sejit_gemm",
	ir.HelperGemv:              "sejit_gemv",
	ir.HelperDot:               "sejit_dot",
	ir.HelperLinalgSolve:       "sejit_np_linalg_solve",
	ir.HelperLinalgInv:         "sejit_np_linalg_inv",
	ir.HelperLinalgDet:         "sejit_np_linalg_det",
	ir.HelperLinalgCholesky:    "sejit_np_linalg_cholesky",
	ir.HelperLinalgEigh:        "sejit_np_linalg_eigh",
	ir.HelperLinalgNorm:        "sejit_np_linalg_norm",
	ir.HelperLinalgSlogdet:     "sejit_np_linalg_slogdet",
	ir.HelperLinalgSVD:         "sejit_np_linalg_svd",
	ir.HelperLinalgPinv:        "sejit_np_linalg_pinv",
	ir.HelperLinalgRank:        "sejit_np_linalg_rank",
	ir.HelperLinalgCond:        "sejit_np_linalg_cond",
	ir.HelperLinalgEig:         "sejit_np_linalg_eig",
	ir.HelperLinalgQR:          "sejit_np_linalg_qr",
	ir.HelperLinalgLstsq:       "sejit_np_linalg_lstsq",
	ir.HelperLinalgMatrixPower: "sejit_np_linalg_mpow",
	ir.HelperLinalgMatrixNorm:  "sejit_np_linalg_mnorm",
	ir.HelperFsum:              "sejit_py_fsum_a",
	ir.HelperVectorNorm:        "sejit_py_vector_norm",
	ir.HelperCov:               "sejit_np_cov",
	ir.HelperCorrelate:         "sejit_np_correlate",
	ir.HelperQuantile:          "sejit_np_quantile",
	ir.HelperPolyfit:           "sejit_np_polyfit",
	ir.HelperHistogramEdges:    "sejit_np_histogram_edges",
	ir.HelperArrayWords:        "sejit_array_words",
	ir.HelperArrayFrom:         "sejit_array_from",
	ir.HelperStrFloat:          "sejit_py_str_float",
	ir.HelperStrInt:            "sejit_py_str_int",
	ir.HelperStrSplit:          "sejit_py_str_split",
	ir.HelperStrFind:           "sejit_py_str_find",
	ir.HelperStrCmp:            "sejit_py_str_cmp",
	ir.HelperStrMatch:          "sejit_py_str_match",
	ir.HelperStrConcat:         "sejit_py_str_concat",
	ir.HelperStrRepeat:         "sejit_py_str_repeat",
	ir.HelperStrStrip:          "sejit_py_str_strip",
	ir.HelperStrReplace:        "sejit_py_str_replace",
	ir.HelperStrCase:           "sejit_py_str_case",
	ir.HelperStrIs:             "sejit_py_str_is",
	ir.HelperStrJoin:           "sejit_py_str_join",
	ir.HelperStrFormatted:      "sejit_py_str_formatted",
	ir.HelperStrSort:           "sejit_py_str_sort",
	ir.HelperStrChr:            "sejit_py_str_chr",
	ir.HelperStrHash:           "sejit_py_str_hash",
}

// dtypeGeneric helpers have one C function per dtype, named with the
// dtype's suffix (sejit_np_sort_f64).
var dtypeGeneric = map[ir.Helper]bool{ir.HelperSort: true, ir.HelperArgsort: true, ir.HelperUnique: true,
	ir.HelperGemm: true, ir.HelperGemv: true, ir.HelperDot: true, ir.HelperLinalgSolve: true, ir.HelperLinalgInv: true,
	ir.HelperLinalgDet: true, ir.HelperLinalgCholesky: true, ir.HelperLinalgEigh: true, ir.HelperLinalgNorm: true,
	ir.HelperLinalgSlogdet: true, ir.HelperLinalgSVD: true, ir.HelperLinalgPinv: true, ir.HelperLinalgRank: true,
	ir.HelperLinalgCond: true, ir.HelperLinalgEig: true, ir.HelperLinalgQR: true, ir.HelperLinalgLstsq: true,
	ir.HelperLinalgMatrixPower: true, ir.HelperLinalgMatrixNorm: true, ir.HelperCorrelate: true}

// laReal and laComplex are the dtypes of the np.linalg helpers.
var (
	laReal    = []types.DType{types.Float32, types.Float64}
	laComplex = []types.DType{types.Float32, types.Float64, types.Complex64, types.Complex128}
)

// helperDTypes lists the dtypes of a generic helper that are not every
// real dtype (gemm: BLAS's).
var helperDTypes = map[ir.Helper][]types.DType{
	ir.HelperGemm:        {types.Float32, types.Float64, types.Complex64, types.Complex128},
	ir.HelperGemv:        {types.Float32, types.Float64, types.Complex64, types.Complex128},
	ir.HelperDot:         {types.Float32, types.Float64, types.Complex64, types.Complex128},
	ir.HelperLinalgSolve: laComplex, ir.HelperLinalgInv: laComplex, ir.HelperLinalgDet: laComplex,
	ir.HelperLinalgCholesky: laComplex, ir.HelperLinalgEigh: laComplex, ir.HelperLinalgSlogdet: laComplex,
	ir.HelperLinalgSVD: laComplex, ir.HelperLinalgQR: laComplex,
	ir.HelperLinalgNorm: laComplex, ir.HelperLinalgPinv: laComplex, ir.HelperLinalgRank: laReal,
	ir.HelperLinalgCond: laReal, ir.HelperLinalgEig: laComplex, ir.HelperLinalgLstsq: laComplex,
	ir.HelperLinalgMatrixPower: laReal, ir.HelperLinalgMatrixNorm: laReal,
	ir.HelperCorrelate: {types.Float64, types.Int64},
}
