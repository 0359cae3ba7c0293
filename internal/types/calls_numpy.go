package types

// NumPy functions beyond the first catalog (issue 3): the rest of the ufunc
// set, creation, joining, linear algebra and the 1-D algorithms. numpyCall
// asks numpyMore first; lowering has the matching lower.numpyMore.

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// MoreUfuncs are the ufuncs typed here rather than through the tables of
// builtins.go: the value says how their result dtype is found.
var MoreUfuncs = map[string]string{
	"positive": "same", "reciprocal": "same", "invert": "invert",
	"fmod":        "arith",
	"bitwise_and": "bit", "bitwise_or": "bit", "bitwise_xor": "bit", "left_shift": "bit", "right_shift": "bit",
	"equal": "cmp", "not_equal": "cmp", "less": "cmp", "less_equal": "cmp", "greater": "cmp", "greater_equal": "cmp",
	"logical_and": "logic", "logical_or": "logic", "logical_xor": "logic", "logical_not": "logic",
	"round": "round", "around": "round", "clip": "clip",
}

// CompareUfuncs maps the comparison ufuncs to the Python operator.
var CompareUfuncs = map[string]string{"equal": "Eq", "not_equal": "NotEq", "less": "Lt", "less_equal": "LtE",
	"greater": "Gt", "greater_equal": "GtE"}

// BitUfuncs maps the bitwise ufuncs to the Python operator.
var BitUfuncs = map[string]string{"bitwise_and": "BitAnd", "bitwise_or": "BitOr", "bitwise_xor": "BitXor",
	"left_shift": "LShift", "right_shift": "RShift"}

// MoreNumpy lists the other functions (and array methods) typed here.
var MoreNumpy = map[string]bool{
	"linspace": true, "eye": true, "identity": true, "array": true, "asarray": true, "copy": true,
	"concatenate": true, "stack": true, "hstack": true, "vstack": true,
	"dot": true, "matmul": true, "outer": true, "vdot": true, "trace": true,
	"sort": true, "argsort": true, "searchsorted": true, "unique": true, "histogram": true,
	"bincount": true, "interp": true, "cross": true,
}

// moreMethods are the ndarray methods typed here.
var moreMethods = map[string]bool{"dot": true, "sort": true, "argsort": true, "searchsorted": true, "trace": true}

func init() {
	for m := range moreMethods {
		ArrayMethods[m] = true
	}
}

// NumpyMoreKnown reports whether numpy.name is typed by this file.
func NumpyMoreKnown(name string) bool {
	_, u := MoreUfuncs[name]
	return u || MoreNumpy[name]
}

// PromoteOperands is NEP 50's result dtype of a binary operation between
// two numeric operands.
func PromoteOperands(a, b *Type) DType { return promoteOperands(a, b) }

// PromoteAll is NEP 50's common dtype of several numeric operands: strong
// dtypes promote among themselves, weak Python scalars join by kind.
func PromoteAll(ts ...*Type) DType {
	var strong *DType
	weak := KBool
	anyWeak := false
	var weakAll DType = Bool
	for _, t := range ts {
		if t.Kind == Scalar && t.Weak {
			if !anyWeak {
				weakAll = t.DType
			} else {
				weakAll = Promote(weakAll, t.DType)
			}
			anyWeak = true
			if t.DType.Kind() > weak {
				weak = t.DType.Kind()
			}
			continue
		}
		d := t.DType
		if strong == nil {
			strong = &d
		} else {
			p := Promote(*strong, d)
			strong = &p
		}
	}
	if strong == nil {
		return weakAll
	}
	if !anyWeak {
		return *strong
	}
	return PromoteWeak(weak, *strong)
}

// isMethodCall reports x.name(...) on an array.
func (c *checker) isMethodCall(e *pyast.Call) bool {
	t := c.info().Types[e.Func]
	return t != nil && t.Kind == Builtin && len(t.Name) > 7 && t.Name[:7] == "method."
}

// numpyMore types the functions of this file; ok is false for other names.
func (c *checker) numpyMore(e *pyast.Call, name string, args []*Type, kw map[string]*Type) (*Type, bool) {
	full := "np." + name
	if kind, ok := MoreUfuncs[name]; ok {
		return c.moreUfunc(e, full, name, kind, args, kw), true
	}
	if !MoreNumpy[name] {
		return nil, false
	}
	return c.numpyFunc(e, full, name, args, kw), true
}

func (c *checker) moreUfunc(e *pyast.Call, full, name, kind string, args []*Type, kw map[string]*Type) *Type {
	nargs := map[string]int{"same": 1, "invert": 1, "arith": 2, "bit": 2, "cmp": 2, "logic": 2, "clip": 3}[kind]
	if name == "logical_not" {
		nargs = 1
	}
	if kind == "round" {
		if !c.noKeywords(e, full, kw, "decimals") || !c.wantArgs(e, full, args, 1, 2) {
			return UnknownT
		}
	} else if !c.noKeywords(e, full, kw) || !c.wantArgs(e, full, args, nargs, nargs) {
		return UnknownT
	}
	strongOf := func(t *Type) DType {
		if t.Kind == Scalar && t.Weak {
			return defaultOf(t.DType.Kind())
		}
		return t.DType
	}
	switch kind {
	case "same":
		d := strongOf(args[0])
		if d == Bool {
			c.errorf(e.P, diag.Type, "%s is not defined for booleans", full)
			return UnknownT
		}
		return ResultOf(d, args[0]).withWeak(false)
	case "invert":
		d := strongOf(args[0])
		if args[0].DType == Bool {
			d = Bool
		}
		if d.Kind() > KInt {
			c.errorf(e.P, diag.Type, "%s needs integer or bool operands, not %s", full, d)
			return UnknownT
		}
		return ResultOf(d, args[0]).withWeak(false)
	case "arith":
		d := promoteOperands(args[0], args[1])
		if d == Bool {
			d = Int8
		}
		if d.IsComplex() {
			c.errorf(e.P, diag.Type, "%s is not defined for complex numbers", full)
			return UnknownT
		}
		return ResultOf(d, args...).withWeak(false)
	case "bit":
		d := promoteOperands(args[0], args[1])
		if args[0].Kind == Scalar && args[0].DType == Bool && args[1].Kind == Scalar && args[1].DType == Bool {
			d = Bool
		}
		if d.Kind() > KInt {
			c.errorf(e.P, diag.Type, "%s needs integer or bool operands, not %s", full, d)
			return UnknownT
		}
		if d == Bool && (name == "left_shift" || name == "right_shift") {
			d = Int8
		}
		return ResultOf(d, args...).withWeak(false)
	case "cmp":
		d := promoteOperands(args[0], args[1])
		if d.IsComplex() && name != "equal" && name != "not_equal" {
			c.errorf(e.P, diag.Type, "complex numbers can only be compared with == and !=")
			return UnknownT
		}
		return ResultOf(Bool, args...).withWeak(false)
	case "logic":
		return ResultOf(Bool, args...).withWeak(false)
	case "round":
		t := args[0]
		d := strongOf(t)
		if d == Bool || d.IsComplex() {
			c.errorf(e.P, diag.Unsupported, "%s of %s is not supported", full, d)
			return UnknownT
		}
		var dec pyast.Expr
		if len(e.Args) == 2 {
			dec = e.Args[1]
		} else {
			for _, k := range e.Keywords {
				if k.Name == "decimals" {
					dec = k.Value
				}
			}
		}
		if dec != nil {
			if _, ok := constIndex(dec); !ok {
				c.errorf(dec.Position(), diag.Unsupported, "the decimals of %s must be an integer constant", full)
				return UnknownT
			}
		}
		return ResultOf(d, t).withWeak(false)
	case "clip":
		for i, a := range args {
			if a.DType.IsComplex() {
				c.errorf(e.Args[i].Position(), diag.Unsupported, "%s of complex numbers is not supported", full)
				return UnknownT
			}
		}
		return ResultOf(PromoteAll(args...), args...).withWeak(false)
	}
	return UnknownT
}

// RoundDecimals reads the decimals of np.round(x, d) (0 when absent).
func RoundDecimals(e *pyast.Call) int64 {
	var dec pyast.Expr
	if len(e.Args) == 2 {
		dec = e.Args[1]
	}
	for _, k := range e.Keywords {
		if k.Name == "decimals" {
			dec = k.Value
		}
	}
	if dec == nil {
		return 0
	}
	k, _ := constIndex(dec)
	return k
}

func (c *checker) numpyFunc(e *pyast.Call, full, name string, args []*Type, kw map[string]*Type) *Type {
	c.errorf(e.P, diag.Unsupported, "%s is not supported yet", full)
	return UnknownT
}
