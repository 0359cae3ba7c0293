package cgen

// C for the element functions of the NumPy functions added for issue 3
// (lower/numpy_more.go); their helpers are the "NumPy functions" section at
// the end of prelude.h.

import (
	"fmt"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// complexMore are the complex element functions of prelude.h's second
// complex section.
var complexMore = map[string]bool{"asin": true, "acos": true, "atan": true, "asinh": true, "acosh": true,
	"atanh": true, "exp2": true, "expm1": true, "log2": true, "log10": true, "log1p": true, "sign": true, "rint": true}

// npIntrinsic prints the intrinsics named np_*; ok is false for others.
func (g *gen) npIntrinsic(e *ir.Intrinsic, args []string) (string, bool) {
	d := e.T.DType
	if d.IsComplex() && complexMore[e.Name] {
		if d == types.Complex64 {
			return fmt.Sprintf("sejit_c64_narrow(sejit_c128_%s(sejit_c64_wide(%s)))", e.Name, args[0]), true
		}
		return fmt.Sprintf("sejit_c128_%s(%s)", e.Name, args[0]), true
	}
	if len(e.Args) == 2 {
		ad := ir.TypeOf(e.Args[0]).DType
		wide := func(x string) string {
			if ad == types.Complex64 {
				return "sejit_c64_wide(" + x + ")"
			}
			return x
		}
		switch e.Name {
		case "np_clt", "np_cle", "np_cgt", "np_cge":
			// NumPy's lexicographic order, the same as the < of complex scalars.
			return fmt.Sprintf("sejit_c128_%s(%s, %s)", e.Name[4:], wide(args[0]), wide(args[1])), true
		case "minimum", "maximum", "fmin", "fmax":
			if !d.IsComplex() {
				break
			}
			r := fmt.Sprintf("sejit_np_c%s(%s, %s)", e.Name, wide(args[0]), wide(args[1]))
			if d == types.Complex64 {
				r = "sejit_c64_narrow(" + r + ")"
			}
			return r, true
		}
	}
	switch e.Name {
	case "abs":
		// np.fabs lowers to the abs intrinsic of its float result.
		if d.IsFloat() {
			return fmt.Sprintf("%s(%s)", fname("fabs", d), args[0]), true
		}
	case "np_cround":
		if d == types.Complex64 {
			return fmt.Sprintf("sejit_np_cround_c64(%s, (float)(%s), %s)", args[0], args[1], args[2]), true
		}
		return fmt.Sprintf("sejit_np_cround_c128(%s, %s, %s)", args[0], args[1], args[2]), true
	case "np_conj":
		if d == types.Complex64 {
			return fmt.Sprintf("sejit_c64_make((%s).re, -(%s).im)", args[0], args[0]), true
		}
		return fmt.Sprintf("sejit_c128_make((%s).re, -(%s).im)", args[0], args[0]), true
	case "np_fmod":
		switch {
		case d == types.Float64:
			return fmt.Sprintf("fmod(%s, %s)", args[0], args[1]), true
		case d == types.Float32:
			return fmt.Sprintf("fmodf(%s, %s)", args[0], args[1]), true
		case d.IsUnsigned():
			return fmt.Sprintf("((%s)sejit_np_fmod_u64(%s, %s))", CType(d), args[0], args[1]), true
		}
		return fmt.Sprintf("((%s)sejit_np_fmod_i64(%s, %s))", CType(d), args[0], args[1]), true
	}
	return "", false
}
