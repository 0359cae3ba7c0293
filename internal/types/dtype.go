// Package types assigns a type to every expression of a Python function for
// one signature of argument types, and computes the specializations of the
// functions it calls. Results live in side tables (Info) keyed by syntax
// node, in the manner of go/types.Info: the tree is never mutated.
//
// Typing follows NumPy 2: dtypes promote by NEP 50, where Python int, float
// and complex values are "weak" and take the dtype of the array or NumPy
// scalar they meet. Python scalars keep Python's own rules where NumPy has
// none (true division of ints gives a float; // and % round toward negative
// infinity; a Python division by zero raises).
//
// Variables must keep one type over the function. Inference runs to a fixed
// point: every assignment joins the variable's type with the value's
// (int then float gives float, as in Python; an int and an array never
// join), and a recursive call's result starts unknown until the
// non-recursive returns have given it a type.
package types

import "fmt"

// DType is an element type; the numbering is the ABI's (sejit_abi.h).
type DType int

const (
	Bool DType = iota
	Int8
	Int16
	Int32
	Int64
	Uint8
	Uint16
	Uint32
	Uint64
	Float32
	Float64
	Complex64
	Complex128
)

var dtypeNames = [...]string{"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
	"uint64", "float32", "float64", "complex64", "complex128"}

func (d DType) String() string {
	if d >= 0 && int(d) < len(dtypeNames) {
		return dtypeNames[d]
	}
	return fmt.Sprintf("dtype(%d)", int(d))
}

// ParseDType maps a NumPy dtype name to a DType.
func ParseDType(s string) (DType, bool) {
	for i, n := range dtypeNames {
		if n == s {
			return DType(i), true
		}
	}
	switch s {
	case "bool_":
		return Bool, true
	case "double", "float_":
		return Float64, true
	case "single":
		return Float32, true
	case "complex_", "cdouble":
		return Complex128, true
	case "csingle":
		return Complex64, true
	case "int_", "intp", "longlong":
		return Int64, true
	case "intc":
		return Int32, true
	}
	return 0, false
}

// Kind orders dtypes for NEP 50: bool < integer < float < complex.
type DKind int

const (
	KBool DKind = iota
	KInt
	KFloat
	KComplex
)

func (d DType) Kind() DKind {
	switch {
	case d == Bool:
		return KBool
	case d <= Uint64:
		return KInt
	case d <= Float64:
		return KFloat
	}
	return KComplex
}

func (d DType) IsInt() bool      { return d.Kind() == KInt }
func (d DType) IsUnsigned() bool { return d >= Uint8 && d <= Uint64 }
func (d DType) IsFloat() bool    { return d.Kind() == KFloat }
func (d DType) IsComplex() bool  { return d.Kind() == KComplex }

// Bits is the size of one element in bits (bool counts as 8).
func (d DType) Bits() int {
	switch d {
	case Bool, Int8, Uint8:
		return 8
	case Int16, Uint16:
		return 16
	case Int32, Uint32, Float32:
		return 32
	case Int64, Uint64, Float64, Complex64:
		return 64
	}
	return 128
}

func signedOf(bits int) DType {
	switch bits {
	case 8:
		return Int8
	case 16:
		return Int16
	case 32:
		return Int32
	}
	return Int64
}

// RealOf is the real dtype of a complex one (and d itself otherwise).
func (d DType) RealOf() DType {
	switch d {
	case Complex64:
		return Float32
	case Complex128:
		return Float64
	}
	return d
}

// FloatFor is the smallest float (or complex, for complex d) dtype NumPy's
// float-valued ufuncs compute d in. Inputs of 8 bits would need float16,
// which sejit does not support; the caller reports that.
func (d DType) FloatFor() (DType, bool) {
	switch {
	case d.IsFloat() || d.IsComplex():
		return d, true
	case d.Bits() == 16:
		return Float32, true
	case d.Bits() >= 32:
		return Float64, true
	}
	return 0, false
}

// Promote is NumPy's promotion of two array (strong) dtypes.
func Promote(a, b DType) DType {
	if a == b {
		return a
	}
	if a == Bool {
		return b
	}
	if b == Bool {
		return a
	}
	ka, kb := a.Kind(), b.Kind()
	if ka > kb || (ka == kb && a.Bits() < b.Bits()) {
		a, b = b, a
		ka, kb = kb, ka
	}
	// Now kind(a) <= kind(b) and, for equal kinds, a is the smaller.
	switch {
	case ka == KInt && kb == KInt:
		if a.IsUnsigned() == b.IsUnsigned() {
			if a.Bits() > b.Bits() {
				return a
			}
			return b
		}
		s, u := a, b
		if a.IsUnsigned() {
			s, u = b, a
		}
		if u.Bits() < s.Bits() {
			return s
		}
		if u.Bits() == 64 {
			return Float64
		}
		return signedOf(2 * u.Bits())
	case ka == KInt && kb == KFloat:
		if b == Float64 || a.Bits() > 16 {
			return Float64
		}
		return Float32
	case ka == KInt && kb == KComplex:
		if b == Complex128 || a.Bits() > 16 {
			return Complex128
		}
		return Complex64
	case ka == KFloat && kb == KFloat:
		return Float64
	case ka == KFloat && kb == KComplex:
		if a == Float64 || b == Complex128 {
			return Complex128
		}
		return Complex64
	case ka == KComplex && kb == KComplex:
		return Complex128
	}
	return b
}

// asarrayDType is the dtype np.array and np.asarray give a sequence of these
// scalars: each Python number at its default dtype (no NEP 50 weakness), so
// (np.float32(1), 2.5) is float64, and the lot promoted together.
func asarrayDType(elems []*Type) DType {
	var d DType
	for i, x := range elems {
		xd := x.DType
		if x.Weak {
			xd = defaultOf(x.DType.Kind())
		}
		if i == 0 {
			d = xd
		} else {
			d = Promote(d, xd)
		}
	}
	return d
}

// defaultOf is the dtype a weak Python scalar of kind k takes alone.
func defaultOf(k DKind) DType {
	switch k {
	case KBool:
		return Bool
	case KInt:
		return Int64
	case KFloat:
		return Float64
	}
	return Complex128
}

// PromoteWeak combines a weak Python scalar's kind with a strong dtype by
// NEP 50: the strong dtype wins when its kind is at least as high;
// otherwise the result is the weak kind's default, except that a Python
// complex meeting float32 gives complex64.
func PromoteWeak(weak DKind, strong DType) DType {
	if weak <= strong.Kind() {
		return strong
	}
	if weak == KComplex && strong == Float32 {
		return Complex64
	}
	return defaultOf(weak)
}
