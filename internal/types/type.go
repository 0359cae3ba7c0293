package types

import (
	"fmt"
	"strings"
)

// TKind is the kind of a Type.
type TKind int

const (
	Unknown TKind = iota // not yet inferred (a recursive call's result)
	None                 // Python None: a function that returns nothing
	Scalar
	Array
	Tuple
	Module   // a module: numpy or math
	Builtin  // a function or constant of numpy, math or Python's builtins; Name says which
	Function // a user function; Name is its request id
	DTypeObj // a dtype object such as np.float32, usable as dtype= or as a cast
	List     // a homogeneous list; Elems[0] is the element type (lists.go)
	Dict     // a homogeneous dict; Elems are the key and value types (dicts.go)
	Set      // a homogeneous set; Elems[0] is the key type (dicts.go)
	Str      // a run-time string (strings.go)
)

// Type is the type of a value. Types are immutable once built; compare
// them with Equal or by String.
type Type struct {
	Kind   TKind
	DType  DType   // Scalar, Array, DTypeObj
	Weak   bool    // Scalar: a Python int/float/complex (NEP 50)
	NDim   int     // Array
	Layout byte    // Array: 'C' contiguous, 'A' any
	Elems  []*Type // Tuple; a bound method's object (objects.go)
	Name   string  // Module, Builtin, Function
	// Objects of plain classes (objects.go): a Tuple of fields.
	Class   string            // the class, "module:qualname"
	Fields  []string          // the field names, one per element
	Methods map[string]string // method name → function id
	// Cells marks the fields the code assigns (numbers): each travels in a
	// 0-d array that compiled code writes and Python reads back (objects.go).
	Cells []bool
	// Self marks a Function that is a method bound to the object Elems[0]
	// (objects.go); other Functions' Elems are captured variables.
	Self bool
}

var (
	UnknownT = &Type{Kind: Unknown}
	NoneT    = &Type{Kind: None}
)

// ScalarOf returns a strong scalar type.
func ScalarOf(d DType) *Type { return &Type{Kind: Scalar, DType: d} }

// WeakOf returns a weak (Python) scalar type.
func WeakOf(d DType) *Type { return &Type{Kind: Scalar, DType: d, Weak: true} }

// ArrayOf returns an array type.
func ArrayOf(d DType, ndim int, layout byte) *Type {
	if ndim <= 1 && layout == 0 {
		layout = 'C'
	}
	if layout == 0 {
		layout = 'A'
	}
	return &Type{Kind: Array, DType: d, NDim: ndim, Layout: layout}
}

// TupleOf returns a tuple type.
func TupleOf(elems ...*Type) *Type { return &Type{Kind: Tuple, Elems: elems} }

var (
	Int   = WeakOf(Int64)   // a Python int
	Float = WeakOf(Float64) // a Python float
	BoolT = WeakOf(Bool)    // a Python bool (ScalarOf(Bool) is a NumPy bool)
)

func (t *Type) IsScalar() bool  { return t.Kind == Scalar }
func (t *Type) IsArray() bool   { return t.Kind == Array }
func (t *Type) IsUnknown() bool { return t.Kind == Unknown }

// IsNumeric reports a scalar or array.
func (t *Type) IsNumeric() bool { return t.Kind == Scalar || t.Kind == Array }

// Strong drops weakness.
func (t *Type) Strong() *Type {
	if t.Kind == Scalar && t.Weak {
		return ScalarOf(t.DType)
	}
	return t
}

// WithDType returns t with another dtype (scalar stays scalar, array array).
func (t *Type) WithDType(d DType) *Type {
	c := *t
	c.DType = d
	return &c
}

func (t *Type) String() string { return t.format(false) }

// ident is String, except that a Python bool and a NumPy bool differ: they
// print alike ("bool") but compute differently (True + True is 2,
// np.True_ + np.True_ is True).
func (t *Type) ident() string { return t.format(true) }

func (t *Type) format(ident bool) string {
	if ident && t.Kind == Scalar && t.Weak && t.DType == Bool {
		return "pybool"
	}
	switch t.Kind {
	case Unknown:
		return "unknown"
	case None:
		return "none"
	case Scalar:
		if t.Weak {
			switch t.DType {
			case Int64:
				return "int"
			case Float64:
				return "float"
			case Complex128:
				return "complex"
			}
		}
		return t.DType.String()
	case Array:
		return fmt.Sprintf("array(%s, %dd, %c)", t.DType, t.NDim, t.Layout)
	case Tuple:
		if t.IsObject() {
			return t.objectString(ident)
		}
		parts := make([]string, len(t.Elems))
		for i, e := range t.Elems {
			parts[i] = e.format(ident)
		}
		return "tuple(" + strings.Join(parts, ", ") + ")"
	case Module:
		return "module " + t.Name
	case Builtin:
		return "builtin " + t.Name
	case Function:
		if t.Self {
			return "method " + t.Name + " of " + t.Elems[0].format(ident)
		}
		if len(t.Elems) > 0 {
			// A nested function carries the types of the variables it captures.
			return "function " + t.Name + " capturing " + TupleOf(t.Elems...).String()
		}
		return "function " + t.Name
	case DTypeObj:
		return "dtype " + t.DType.String()
	case List:
		return "list(" + t.Elems[0].format(ident) + ")"
	case Dict:
		return "dict(" + t.Elems[0].format(ident) + ", " + t.Elems[1].format(ident) + ")"
	case Set:
		return "set(" + t.Elems[0].format(ident) + ")"
	case Str:
		return "str"
	}
	return "?"
}

// Equal compares two types structurally.
func Equal(a, b *Type) bool { return a.ident() == b.ident() }

// Join is the type a variable takes when it holds a value of type a and is
// assigned one of type b. ok is false when no such type exists.
func Join(a, b *Type) (*Type, bool) {
	switch {
	case a.Kind == Unknown:
		return b, true
	case b.Kind == Unknown:
		return a, true
	case a.Kind == Scalar && b.Kind == Scalar:
		return promoteScalars(a, b), true
	case a.Kind == Array && b.Kind == Array:
		if a.DType != b.DType || a.NDim != b.NDim {
			return nil, false
		}
		if a.Layout == b.Layout {
			return a, true
		}
		return ArrayOf(a.DType, a.NDim, 'A'), true
	case a.Kind == List && b.Kind == List:
		return joinLists(a, b)
	case a.Kind == Dict && b.Kind == Dict, a.Kind == Set && b.Kind == Set:
		return joinHashed(a, b)
	case a.Kind == Tuple && b.Kind == Tuple:
		if a.IsObject() || b.IsObject() {
			if Equal(a, b) {
				return a, true
			}
			return nil, false
		}
		if len(a.Elems) != len(b.Elems) {
			return nil, false
		}
		out := make([]*Type, len(a.Elems))
		for i := range a.Elems {
			j, ok := Join(a.Elems[i], b.Elems[i])
			if !ok {
				return nil, false
			}
			out[i] = j
		}
		return TupleOf(out...), true
	}
	if Equal(a, b) {
		return a, true
	}
	return nil, false
}

// promoteScalars joins two scalar types as variable values: Python rules
// between Python scalars (True then 1 gives int), NEP 50 otherwise.
func promoteScalars(a, b *Type) *Type {
	if a.Weak && b.Weak {
		// Python scalars, a Python bool rebound to a Python number included: k = True; k = 2.
		return WeakOf(Promote(a.DType, b.DType))
	}
	return ScalarOf(promoteOperands(a, b))
}

// promoteOperands is the result dtype of an arithmetic operation between
// two numeric operands (scalars or arrays), by NEP 50.
func promoteOperands(a, b *Type) DType {
	aw := a.Kind == Scalar && a.Weak
	bw := b.Kind == Scalar && b.Weak
	switch {
	case aw && bw:
		return Promote(a.DType, b.DType)
	case aw:
		return PromoteWeak(a.DType.Kind(), b.DType)
	case bw:
		return PromoteWeak(b.DType.Kind(), a.DType)
	}
	return Promote(a.DType, b.DType)
}

// ResultOf is the type of an element-wise combination of operands whose
// result has dtype d: an array of the largest rank if any operand is an
// array, else a scalar, weak only when every operand is weak.
func ResultOf(d DType, operands ...*Type) *Type {
	ndim, isArr, weak := 0, false, true
	for _, o := range operands {
		if o.Kind == Array {
			isArr = true
			if o.NDim > ndim {
				ndim = o.NDim
			}
		}
		if !(o.Kind == Scalar && o.Weak) {
			weak = false
		}
	}
	if isArr {
		return ArrayOf(d, ndim, 'C')
	}
	if weak {
		return WeakOf(d)
	}
	return ScalarOf(d)
}
