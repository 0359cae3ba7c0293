package clgen

// OpenCL C for the intrinsics of ir's registry (ir/intrinsics.go). Every
// entry is in clIntrinsics (printed for integers, bool, float32 and
// float64; complexIntrinsics prints the few with complex operands) or in
// notOnDevice, with the reason it is not available on devices yet; TestEveryIntrinsicPrints fails for
// an entry in neither. Where the registry says "the C library's
// function", the printer calls OpenCL C's built-in of the same C99 name,
// which is overloaded on float and double.

import (
	"fmt"
	"math"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

type clIntr func(p *exprPrinter, e *ir.Intrinsic, args []string) string

func (p *exprPrinter) intrinsic(e *ir.Intrinsic) string {
	if why, ok := notOnDevice[e.Fn]; ok {
		panic(&unavailable{fmt.Sprintf("%s is not available on %s devices: %s", e.Fn, p.tgt, why)})
	}
	f, ok := clIntrinsics[e.Fn]
	if !ok {
		panic(fmt.Sprintf("clgen: no OpenCL C for intrinsic %s", e.Fn))
	}
	p.note(e.T.DType)
	args := make([]string, len(e.Args))
	complexArgs := e.T.DType.IsComplex()
	for i, a := range e.Args {
		p.note(ir.TypeOf(a).DType)
		complexArgs = complexArgs || ir.TypeOf(a).DType.IsComplex()
		args[i] = p.expr(a)
	}
	if complexArgs {
		cf, ok := complexIntrinsics[e.Fn]
		if !ok || p.tgt == CUDA {
			panic(&unavailable{fmt.Sprintf("%s of complex numbers is not available on %s devices yet", e.Fn, p.tgt)})
		}
		return cf(p, e, args)
	}
	return f(p, e, args)
}

// complexIntrinsics print the intrinsics of complex operands or results
// that the OpenCL printer has (float2/double2, computed in double2 as the
// CPU target's complex128 helpers); any other is an UnsupportedError.
var complexIntrinsics = map[ir.Fn]clIntr{
	ir.FnComplex: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("((double2)(%s, %s))", args[0], args[1])
	},
	ir.FnImag: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return "(" + args[0] + ").y"
	},
	ir.FnNpCMul: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		suf := "c128"
		if e.T.DType == types.Complex64 {
			suf = "c64"
		}
		return fmt.Sprintf("sejit_np_cmul_%s(%s, %s)", suf, args[0], args[1])
	},
	ir.FnNpCDiv: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		suf := "c128"
		if e.T.DType == types.Complex64 {
			suf = "c64"
		}
		return fmt.Sprintf("sejit_np_cdiv_%s(%s, %s)", suf, args[0], args[1])
	},
	ir.FnNpConj: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("((%s)((%s).x, -(%s).y))", p.ty(e.T.DType), args[0], args[0])
	},
	ir.FnExp: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		d := e.T.DType
		return narrow("sejit_cexp("+wide(args[0], ir.TypeOf(e.Args[0]).DType)+")", d)
	},
	ir.FnNpExp: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		d := e.T.DType
		return narrow("sejit_cexp("+wide(args[0], ir.TypeOf(e.Args[0]).DType)+")", d)
	},
	ir.FnSqrt: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return narrow("sejit_csqrt("+wide(args[0], ir.TypeOf(e.Args[0]).DType)+")", e.T.DType)
	},
	// NumPy's complex power: the device's sejit_cpow is the same algorithm
	// (repeated squaring below 100, NumPy's zero rules, else exp(b log a)),
	// in double precision, its negative powers divided by sejit_cdiv rather
	// than the CPU's scaled Smith formula: equal within NumPy's tolerance,
	// not bit for bit.
	ir.FnNpCPow: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		yd := ir.TypeOf(e.Args[1]).DType
		return narrow(fmt.Sprintf("sejit_cpow(%s, %s)", wide(args[0], ir.TypeOf(e.Args[0]).DType),
			p.castCL(args[1], yd, types.Complex128)), e.T.DType)
	},
}

// mathDType is the float dtype a math function computes in: its first
// argument's (isnan's result is a bool), else its result's.
func mathDType(e *ir.Intrinsic) types.DType {
	if len(e.Args) > 0 {
		if d := ir.TypeOf(e.Args[0]).DType; d.IsFloat() {
			return d
		}
	}
	return e.T.DType
}

// builtin calls the C99 math function name: OpenCL C's overloaded
// built-in, or CUDA's (sqrtf for float32).
func builtin(name string) clIntr {
	return func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("%s(%s)", p.math(name, mathDType(e)), strings.Join(args, ", "))
	}
}

// classify is a classification built-in, whose scalar result is an int.
func classify(name string) clIntr {
	return func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("(%s(%s) != 0)", name, args[0]) // overloaded in both dialects
	}
}

func minMax(name string) clIntr {
	return func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		if e.T.DType.IsInt() {
			if p.tgt == CUDA { // CUDA's integer min/max overloads are ambiguous for some pairs
				op := "<"
				if name == "max" {
					op = ">"
				}
				return fmt.Sprintf("((%s) %s (%s) ? (%s) : (%s))", args[0], op, args[1], args[0], args[1])
			}
			return fmt.Sprintf("%s(%s, %s)", name, args[0], args[1]) // OpenCL's integer min/max
		}
		return fmt.Sprintf("%s(%s, %s)", p.math("f"+name, e.T.DType), args[0], args[1])
	}
}

// npMinMax is NumPy's minimum or maximum (NaN propagating), or fmin or
// fmax (fname: NaN ignored) for floats; integers and bools compare.
func npMinMax(name, fname string) clIntr {
	return func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		d := e.T.DType
		switch {
		case fname != name && d.IsFloat():
			return fmt.Sprintf("%s(%s, %s)", p.math(fname, d), args[0], args[1])
		case d.IsFloat():
			return fmt.Sprintf("sejit_%s_%s(%s, %s)", name, suffix(d), args[0], args[1])
		}
		op := "<"
		if name == "maximum" {
			op = ">"
		}
		return fmt.Sprintf("((%s) %s (%s) ? (%s) : (%s))", args[0], op, args[1], args[0], args[1])
	}
}

func scaleBy(k float64) clIntr {
	return func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("((%s) * (%s)(%s))", args[0], p.ty(e.T.DType), p.floatCL(k, types.Float64))
	}
}

// clIntrinsics is the OpenCL C of every intrinsic available on devices.
var clIntrinsics = map[ir.Fn]clIntr{
	ir.FnSqrt:    builtin("sqrt"),
	ir.FnExp:     builtin("exp"),
	ir.FnNpExp:   builtin("exp"),
	ir.FnComplex: complexIntrinsics[ir.FnComplex],
	ir.FnImag:    complexIntrinsics[ir.FnImag],
	ir.FnNpConj:  complexIntrinsics[ir.FnNpConj],
	ir.FnNpCMul:  complexIntrinsics[ir.FnNpCMul],
	ir.FnNpCPow:  complexIntrinsics[ir.FnNpCPow],
	// A device's pow is not the host C library's, so the product is as
	// close to CPython's x ** 2 as its pow would be (within an ulp).
	ir.FnPyPow2: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("((%s) * (%s))", args[0], args[0])
	},
	ir.FnNpCDiv:  complexIntrinsics[ir.FnNpCDiv],
	ir.FnLog:     builtin("log"),
	ir.FnSin:     builtin("sin"),
	ir.FnCos:     builtin("cos"),
	ir.FnTan:     builtin("tan"),
	ir.FnSinh:    builtin("sinh"),
	ir.FnCosh:    builtin("cosh"),
	ir.FnTanh:    builtin("tanh"),
	ir.FnAsin:    builtin("asin"),
	ir.FnAcos:    builtin("acos"),
	ir.FnAtan:    builtin("atan"),
	ir.FnAsinh:   builtin("asinh"),
	ir.FnAcosh:   builtin("acosh"),
	ir.FnAtanh:   builtin("atanh"),
	ir.FnExp2:    builtin("exp2"),
	ir.FnExpm1:   builtin("expm1"),
	ir.FnLog2:    builtin("log2"),
	ir.FnLog10:   builtin("log10"),
	ir.FnLog1p:   builtin("log1p"),
	ir.FnCbrt:    builtin("cbrt"),
	ir.FnErf:     builtin("erf"),
	ir.FnErfc:    builtin("erfc"),
	ir.FnGamma:   builtin("tgamma"),
	ir.FnLgamma:  builtin("lgamma"),
	ir.FnFloor:   builtin("floor"),
	ir.FnCeil:    builtin("ceil"),
	ir.FnTrunc:   builtin("trunc"),
	ir.FnRint:    builtin("rint"),
	ir.FnRadians: scaleBy(math.Pi / 180),
	ir.FnDegrees: scaleBy(180 / math.Pi),
	ir.FnFabs:    builtin("fabs"),
	ir.FnSign: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		if d := e.T.DType; d.IsFloat() {
			return fmt.Sprintf("sejit_sign_%s(%s)", suffix(d), args[0])
		}
		return fmt.Sprintf("((%s)(((%s) > 0) - ((%s) < 0)))", p.ty(e.T.DType), args[0], args[0])
	},

	ir.FnIsnan:    classify("isnan"),
	ir.FnIsinf:    classify("isinf"),
	ir.FnIsfinite: classify("isfinite"),

	ir.FnAtan2: builtin("atan2"),
	ir.FnHypot: builtin("hypot"),
	ir.FnNpHypot: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("sejit_np_hypot_%s(%s, %s)", suffix(mathDType(e)), args[0], args[1])
	},
	ir.FnCopysign:  builtin("copysign"),
	ir.FnFmod:      builtin("fmod"),
	ir.FnRemainder: builtin("remainder"),
	ir.FnNextafter: builtin("nextafter"),
	ir.FnMin:       minMax("min"),
	ir.FnMax:       minMax("max"),
	ir.FnCeilDiv: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		return fmt.Sprintf("sejit_ceildiv_i64(%s, %s)", args[0], args[1])
	},
	ir.FnMinimum: npMinMax("minimum", "minimum"),
	ir.FnMaximum: npMinMax("maximum", "maximum"),
	ir.FnFmin:    npMinMax("minimum", "fmin"),
	ir.FnFmax:    npMinMax("maximum", "fmax"),

	ir.FnNpFmod: func(p *exprPrinter, e *ir.Intrinsic, args []string) string {
		if d := e.T.DType; d.IsFloat() {
			return fmt.Sprintf("%s(%s, %s)", p.math("fmod", d), args[0], args[1])
		}
		return fmt.Sprintf("((%s)sejit_np_fmod_%s(%s, %s))", p.ty(e.T.DType), suffix(e.T.DType), args[0], args[1])
	},
}

const (
	whyComplex = "complex numbers are not available on devices yet"
	whyPython  = "CPython's algorithm is a helper of the C prelude not ported to the device dialects yet; " +
		"compute it on the host, outside the array statement"
)

// notOnDevice lists the intrinsics the device target does not print,
// with the reason: a program using one inside a kernel is refused with an
// UnsupportedError that gives it.
var notOnDevice = map[ir.Fn]string{
	ir.FnNpCLt: whyComplex, ir.FnNpCLe: whyComplex, ir.FnNpCGt: whyComplex, ir.FnNpCGe: whyComplex,
	ir.FnNpCRound: whyComplex,
	ir.FnPyPhase:  whyComplex, ir.FnPyCabs: whyComplex, ir.FnPyRect: whyComplex, ir.FnPyCisclose: whyComplex,
	ir.FnPyCzero: whyComplex, ir.FnPyClogb: whyComplex, ir.FnPyCunit: whyComplex, ir.FnPyClog10: whyComplex,
	ir.FnPyCfinite: whyComplex,

	ir.FnPyRoundI64: whyPython, ir.FnPyRoundF64: whyPython, ir.FnPyGcd: whyPython, ir.FnPyPowmod: whyPython,
	ir.FnPyFsum: whyPython, ir.FnPyFsumErr: whyPython, ir.FnPyIsclose: whyPython, ir.FnPyLcmOk: whyPython,
	ir.FnPyLcm: whyPython, ir.FnPyFactorialOk: whyPython, ir.FnPyFactorial: whyPython, ir.FnPyCombOk: whyPython,
	ir.FnPyComb: whyPython, ir.FnPyPermOk: whyPython, ir.FnPyPerm: whyPython, ir.FnPyIsqrt: whyPython,
	ir.FnPyLdexp: whyPython, ir.FnPyFrexpM: whyPython, ir.FnPyFrexpE: whyPython, ir.FnPyHashInt: whyPython, ir.FnPyHashFloat: whyPython, ir.FnPyModfFrac: whyPython,
	ir.FnPyModfInt: whyPython, ir.FnPyUlp: whyPython, ir.FnPyGammaPole: whyPython,
}
