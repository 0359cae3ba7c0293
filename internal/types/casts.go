package types

import (
	"errors"
	"strconv"
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// Casts: Python's int() float() bool() complex(), NumPy's scalar types
// called as functions (np.float32(x), np.int8(x), ...), .astype(dtype), and
// dtype names written as strings ('float32') where NumPy takes a dtype.

// dtypeFromString reads a dtype name or a one-type character code, as
// np.dtype(s) does for the dtypes sejit supports.
func dtypeFromString(s string) (DType, bool) {
	if d, ok := ParseDType(s); ok {
		return d, true
	}
	switch s {
	case "float", "f8", "d":
		return Float64, true
	case "int", "i8", "l", "q":
		return Int64, true
	case "complex", "c16", "D":
		return Complex128, true
	case "?", "b1":
		return Bool, true
	case "f4", "f":
		return Float32, true
	case "c8", "F":
		return Complex64, true
	case "i1", "b":
		return Int8, true
	case "i2", "h":
		return Int16, true
	case "i4", "i":
		return Int32, true
	case "u1", "B":
		return Uint8, true
	case "u2", "H":
		return Uint16, true
	case "u4", "I":
		return Uint32, true
	case "u8", "L", "Q":
		return Uint64, true
	}
	return 0, false
}

// strConstant types a string constant: the resolver lets strings through
// only where NumPy takes a dtype, so it must name one.
func (c *checker) strConstant(k *pyast.Constant) *Type {
	if d, ok := dtypeFromString(k.Str); ok {
		return &Type{Kind: DTypeObj, DType: d}
	}
	// The argument of float('inf'): folded to the float it spells.
	if s := strings.TrimSpace(k.Str); !strings.Contains(s, "_") && !strings.HasPrefix(strings.ToLower(strings.TrimLeft(s, "+-")), "0x") {
		if v, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
			c.info().Consts[k] = floatConst(k, v)
			return Float
		}
	}
	c.errorf(k.P, diag.Type, "data type '%s' not understood", k.Str).
		WithHint("sejit supports bool, int8..int64, uint8..uint64, float32, float64, complex64 and complex128")
	return UnknownT
}

// dtypeArg reads a dtype given as an argument: a dtype object (np.float32,
// 'float32') or one of Python's float, int, bool, complex.
func dtypeArg(t *Type) (DType, bool) {
	if t.Kind == DTypeObj {
		return t.DType, true
	}
	if t.Kind == Builtin {
		switch t.Name {
		case "builtins.float":
			return Float64, true
		case "builtins.int":
			return Int64, true
		case "builtins.bool":
			return Bool, true
		case "builtins.complex":
			return Complex128, true
		}
	}
	return 0, false
}

// dtypeCall types np.float32(x) and its kind: a NumPy scalar of that dtype
// for a scalar, a converted copy for an array (np.float32(arr) is
// arr.astype(np.float32)), and zero without an argument.
func (c *checker) dtypeCall(e *pyast.Call, d DType, args []*Type, kw map[string]*Type) *Type {
	if len(args) > 1 || len(kw) > 0 {
		c.errorf(e.P, diag.Type, "%s() takes at most one positional argument", d)
		return UnknownT
	}
	if len(args) == 0 {
		return ScalarOf(d)
	}
	a := args[0]
	if !a.IsNumeric() {
		c.errorf(e.P, diag.Type, "cannot convert %s to %s", a, d)
		return UnknownT
	}
	if a.Kind == Array {
		if a.DType == d {
			return a // NumPy returns the array itself
		}
		return ArrayOf(d, a.NDim, 'C')
	}
	if a.Weak && a.DType.IsComplex() && !d.IsComplex() && d != Bool {
		// A Python complex goes through float() or int(), which refuse it.
		c.errorf(e.P, diag.Type, "%s() argument must be a string or a real number, not 'complex'", d)
		return UnknownT
	}
	return ScalarOf(d)
}

// astype types x.astype(dtype) (also copy=, which changes nothing here: the
// result is always a new array, as with NumPy's default copy=True).
func (c *checker) astype(e *pyast.Call, recv *Type, args []*Type, kw map[string]*Type) *Type {
	if !c.noKeywords(e, "astype", kw, "dtype", "copy") {
		return UnknownT
	}
	var dt *Type
	switch {
	case len(args) == 1 && kw["dtype"] == nil:
		dt = args[0]
	case len(args) == 0 && kw["dtype"] != nil:
		dt = kw["dtype"]
	default:
		c.errorf(e.P, diag.Type, "astype() takes one dtype argument")
		return UnknownT
	}
	d, ok := dtypeArg(dt)
	if !ok {
		c.errorf(e.P, diag.Type, "astype() needs a dtype such as np.float32 or 'float32', not %s", dt)
		return UnknownT
	}
	if cp, ok := kw["copy"]; ok && !(cp.Kind == Scalar && cp.DType == Bool) {
		c.errorf(e.P, diag.Type, "astype() copy= must be True or False")
		return UnknownT
	}
	if recv.Kind == Array {
		if recv.DType == d && AstypeNoCopy(e) {
			return recv // copy=False: the array itself
		}
		return ArrayOf(d, recv.NDim, 'C')
	}
	return ScalarOf(d)
}

// AstypeNoCopy reports x.astype(..., copy=False), with a constant False.
func AstypeNoCopy(e *pyast.Call) bool {
	for _, k := range e.Keywords {
		if c, ok := k.Value.(*pyast.Constant); ok && k.Name == "copy" && c.Kind == pyast.ConstBool && !c.Bool {
			return true
		}
	}
	return false
}

// pyCast types int(x), float(x), bool(x), complex(x) and complex(re, im).
func (c *checker) pyCast(e *pyast.Call, name string, args []*Type) *Type {
	res := map[string]*Type{"int": Int, "float": Float, "bool": BoolT, "complex": WeakOf(Complex128)}[name]
	if len(args) == 0 {
		return res
	}
	hi := 1
	if name == "complex" {
		hi = 2
	}
	if !c.wantArgs(e, name, args, 1, hi) {
		return UnknownT
	}
	for i, a := range args {
		if a.Kind != Scalar {
			c.errorf(e.Args[i].Position(), diag.Type, "%s() of an array: use .astype(...) or index an element", name)
			return UnknownT
		}
	}
	// A Python complex has no int() or float(); a NumPy complex gives its
	// real part (with NumPy's ComplexWarning, which is not raised here).
	if a := args[0]; a.Weak && a.DType.IsComplex() && (name == "int" || name == "float") {
		c.errorf(e.P, diag.Type, "int() and float() cannot convert a Python complex")
		return UnknownT
	}
	if name == "complex" && len(args) == 2 && (args[0].DType.IsComplex() || args[1].DType.IsComplex()) {
		c.errorf(e.P, diag.Unsupported, "complex(real, imag) with a complex argument is not supported").
			WithHint("write real + imag * 1j")
		return UnknownT
	}
	return res
}

// SameKindCast is NumPy's can_cast(from, to, "same_kind"), the rule an
// in-place operation's result obeys: no cast to a lower kind in the order
// bool < unsigned < signed < float < complex (int64 → uint8 is refused,
// int64 → int8 allowed).
func SameKindCast(from, to DType) bool {
	rank := func(d DType) int {
		switch {
		case d == Bool:
			return 0
		case d.IsUnsigned():
			return 1
		case d.IsInt():
			return 2
		case d.IsFloat():
			return 3
		}
		return 4
	}
	return rank(from) <= rank(to)
}

// scalarPart types z.real and z.imag of a number: its real dtype (a Python
// complex's parts are Python floats); nil for anything else.
func scalarPart(t *Type, attr string) *Type {
	if t.Kind != Scalar || attr != "real" && attr != "imag" {
		return nil
	}
	d := t.DType.RealOf()
	if t.Weak {
		if t.DType == Bool {
			return Int // True.real == 1
		}
		return WeakOf(d)
	}
	return ScalarOf(d)
}
