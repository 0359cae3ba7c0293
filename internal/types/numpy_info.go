package types

import (
	"math"
	"math/big"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// np.iinfo and np.finfo describe a dtype, so everything they say is known
// when compiling: the call types to an info object (a Builtin named "iinfo"
// or "finfo" carrying the dtype), and an attribute of it folds to a
// constant in Info.Consts, which lowering emits without lowering the call.
// The object cannot be stored or passed (assignVar refuses Builtins), which
// keeps it a compile-time value.

// dtypeChar is NumPy's one-letter type code, which its error messages name.
var dtypeChar = map[DType]string{Bool: "?", Float32: "f", Float64: "d", Complex64: "F", Complex128: "D",
	Int8: "b", Int16: "h", Int32: "i", Int64: "l", Uint8: "B", Uint16: "H", Uint32: "I", Uint64: "L"}

// typeInfo types np.iinfo(t) or np.finfo(t): t is a dtype object or a
// number (a Python int is int64, a Python float float64, as NumPy takes
// them); arrays are refused as NumPy refuses them (an object dtype there).
func (c *checker) typeInfo(e *pyast.Call, name string, args []*Type) *Type {
	if len(args) != 1 {
		c.errorf(e.P, diag.Type, "np.%s() takes one argument (%d given)", name, len(args))
		return UnknownT
	}
	a := args[0]
	if a.Kind != DTypeObj && a.Kind != Scalar {
		c.errorf(e.Args[0].Position(), diag.Unsupported, "np.%s() of a %s is not supported (hint: pass a dtype, such as x.dtype)", name, a)
		return UnknownT
	}
	d := a.DType
	if name == "iinfo" && d.Kind() != KInt {
		c.errorf(e.P, diag.Value, "Invalid integer data type '%s'.", dtypeChar[d])
		return UnknownT
	}
	if name == "finfo" && d.Kind() <= KInt {
		c.errorf(e.P, diag.Value, "data type <class 'numpy.%s'> not inexact", numpyClassName(d))
		return UnknownT
	}
	if d == Complex64 {
		d = Float32
	} else if d == Complex128 {
		d = Float64
	}
	return &Type{Kind: Builtin, Name: name, DType: d}
}

func numpyClassName(d DType) string {
	if d == Bool {
		return "bool"
	}
	return d.String()
}

// typeInfoAttr folds attribute e of an info object vt to its constant.
func (c *checker) typeInfoAttr(e *pyast.Attribute, vt *Type) *Type {
	d := vt.DType
	intConst := func(v int64) *Type {
		k := &pyast.Constant{Kind: pyast.ConstInt, Int: big.NewInt(v)}
		k.P = e.P
		c.info().Consts[e] = k
		return Int
	}
	if vt.Name == "iinfo" {
		bits := int64(d.Bits())
		switch e.Attr {
		case "bits":
			return intConst(bits)
		case "min":
			if d.IsUnsigned() {
				return intConst(0)
			}
			return intConst(-1 << (bits - 1))
		case "max":
			if d == Uint64 {
				c.errorf(e.P, diag.Unsupported, "np.iinfo(np.uint64).max is beyond sejit's 64-bit Python ints")
				return UnknownT
			}
			if d.IsUnsigned() {
				return intConst(1<<bits - 1)
			}
			return intConst(1<<(bits-1) - 1)
		}
		c.errorf(e.P, diag.Unsupported, "np.iinfo(...).%s is not supported (hint: min, max or bits)", e.Attr)
		return UnknownT
	}
	// The float formats' parameters: bits, mantissa bits, exponent bits,
	// decimal precision and the exponents' range.
	type fmtInfo struct{ bits, nmant, nexp, precision, maxexp, minexp int64 }
	fi := fmtInfo{64, 52, 11, 15, 1024, -1022}
	if d == Float32 {
		fi = fmtInfo{32, 23, 8, 6, 128, -126}
	}
	switch e.Attr {
	case "bits":
		return intConst(fi.bits)
	case "precision":
		return intConst(fi.precision)
	case "maxexp":
		return intConst(fi.maxexp)
	case "minexp":
		return intConst(fi.minexp)
	case "nmant":
		return intConst(fi.nmant)
	case "nexp", "iexp":
		return intConst(fi.nexp)
	case "machep":
		return intConst(-fi.nmant)
	case "negep":
		return intConst(-fi.nmant - 1)
	}
	var v float64
	switch e.Attr {
	case "eps":
		v = math.Ldexp(1, int(-fi.nmant))
	case "epsneg":
		v = math.Ldexp(1, int(-fi.nmant-1))
	case "max", "min":
		v = math.MaxFloat64
		if d == Float32 {
			v = math.MaxFloat32
		}
		if e.Attr == "min" {
			v = -v
		}
	case "tiny", "smallest_normal":
		v = math.Ldexp(1, int(fi.minexp))
	case "smallest_subnormal":
		v = math.Ldexp(1, int(fi.minexp-fi.nmant))
	case "resolution":
		v = math.Pow(10, float64(-fi.precision))
	default:
		c.errorf(e.P, diag.Unsupported, "np.finfo(...).%s is not supported", e.Attr)
		return UnknownT
	}
	c.info().Consts[e] = floatConst(e, v)
	return ScalarOf(d)
}
