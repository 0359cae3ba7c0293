package types

// np.random.Generator arguments (library rows numpy.random.Generator.*;
// lowered in lower/random_generator.go). The Python side (sejit/_objects.py)
// describes a Generator as an object of GeneratorClass with two integer
// fields, its bitgen_t's address and that of NumPy's ziggurat functions;
// the code may call the methods of the library's table on it and nothing
// else. The methods type as the np.random functions of the same name do
// (drawCall), with Generator's extra options checked here.

import (
	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

const (
	// GeneratorClass is the class the Python side names a Generator by.
	GeneratorClass = "numpy.random._generator:Generator"
	// GeneratorBitgenField and GeneratorDistsField are its two fields.
	GeneratorBitgenField = "_sejit_bitgen"
	GeneratorDistsField  = "_sejit_dists"
)

// generatorAttr types rng.name on a Generator: one of its methods.
func (c *checker) generatorAttr(e *pyast.Attribute) *Type {
	if library.Callable("numpy.random.Generator", e.Attr) != nil {
		return &Type{Kind: Builtin, Name: "generator." + e.Attr}
	}
	c.errorf(e.P, diag.Unsupported, "Generator.%s is not supported yet", e.Attr).
		WithHint("see docs/supported.md for the Generator methods sejit compiles")
	return UnknownT
}

// generatorOptions checks the options of Generator methods that sejit
// takes only in some forms: dtype (the integer dtypes), axis (0), and the
// bools endpoint and shuffle.
func (c *checker) generatorOptions(e *pyast.Call, full, name string, params []string, bound []*Type, npos int) bool {
	for i, p := range params {
		t := bound[i]
		if t == nil {
			continue
		}
		at := sizeExpr(e, npos, i)
		switch p {
		case "dtype":
			if _, ok := c.drawDType(at, full, t); !ok {
				return false
			}
		case "axis":
			if k, ok := constIndex(at); !ok || k != 0 {
				c.errorf(at.Position(), diag.Unsupported, "%s() with an axis other than 0 is not supported", full)
				return false
			}
		case "endpoint", "shuffle":
			if t.Kind != Scalar || t.DType.Kind() != KBool {
				c.errorf(at.Position(), diag.Type, "%s() argument '%s' must be a bool, not %s", full, p, t)
				return false
			}
		}
	}
	return true
}
