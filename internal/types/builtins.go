package types

// The catalog of NumPy, math and Python builtins sejit compiles. Lowering
// consults the same tables, so a name typed here is always a name lowered
// there.

// FloatUfuncs compute in floating point: integer inputs become float64
// (float32 for 16-bit ones). NumPy 2 keeps integer dtypes for the rounding
// functions, listed in IntPreserving.
var FloatUfuncs = map[string]bool{
	"sin": true, "cos": true, "tan": true, "arcsin": true, "arccos": true, "arctan": true,
	"sinh": true, "cosh": true, "tanh": true, "arcsinh": true, "arccosh": true, "arctanh": true,
	"exp": true, "exp2": true, "expm1": true, "log": true, "log2": true, "log10": true, "log1p": true,
	"sqrt": true, "cbrt": true, "floor": true, "ceil": true, "trunc": true, "rint": true,
	"deg2rad": true, "rad2deg": true, "degrees": true, "radians": true,
}

// IntPreserving float ufuncs return integer inputs unchanged in NumPy 2.
var IntPreserving = map[string]bool{"floor": true, "ceil": true, "trunc": true}

// ComplexUfuncs are the float ufuncs also defined for complex inputs here.
var ComplexUfuncs = map[string]bool{"sqrt": true, "exp": true, "log": true, "sin": true, "cos": true,
	"tan": true, "sinh": true, "cosh": true, "tanh": true}

// SameUfuncs keep their input's dtype (abs of complex gives its real dtype).
var SameUfuncs = map[string]bool{"abs": true, "absolute": true, "negative": true, "square": true, "sign": true, "fabs": true}

// PredUfuncs return booleans.
var PredUfuncs = map[string]bool{"isnan": true, "isinf": true, "isfinite": true}

// BinaryUfuncs are NumPy's two-operand element-wise functions, mapped to the
// Python operator or the intrinsic they compute.
var BinaryUfuncs = map[string]string{
	"add": "Add", "subtract": "Sub", "multiply": "Mult", "divide": "Div", "true_divide": "Div",
	"floor_divide": "FloorDiv", "mod": "Mod", "remainder": "Mod", "power": "Pow",
	"minimum": "minimum", "maximum": "maximum", "fmin": "fmin", "fmax": "fmax",
	"arctan2": "arctan2", "hypot": "hypot", "copysign": "copysign",
}

// Reductions over a whole array.
var Reductions = map[string]bool{"sum": true, "prod": true, "min": true, "max": true, "amin": true, "amax": true, "mean": true}

// Creation functions.
var Creation = map[string]bool{
	"zeros": true, "ones": true, "empty": true, "full": true,
	"zeros_like": true, "ones_like": true, "empty_like": true, "full_like": true, "arange": true,
}

// MathFuncs of one float argument returning a float; math.floor, ceil and
// trunc return ints and are listed in MathIntFuncs.
var MathFuncs = map[string]bool{
	"sqrt": true, "exp": true, "expm1": true, "log2": true, "log10": true, "log1p": true,
	"sin": true, "cos": true, "tan": true, "asin": true, "acos": true, "atan": true,
	"sinh": true, "cosh": true, "tanh": true, "asinh": true, "acosh": true, "atanh": true,
	"fabs": true, "degrees": true, "radians": true, "erf": true, "erfc": true, "gamma": true, "lgamma": true,
	"log": true, "exp2": true, "cbrt": true,
}

// MathIntFuncs return Python ints.
var MathIntFuncs = map[string]bool{"floor": true, "ceil": true, "trunc": true}

// MathBinary take two floats.
var MathBinary = map[string]bool{"atan2": true, "hypot": true, "pow": true, "copysign": true, "fmod": true}

// MathPreds return bools.
var MathPreds = map[string]bool{"isnan": true, "isinf": true, "isfinite": true}

// NumpyConsts and MathConsts are module constants, folded at compile time.
var NumpyConsts = map[string]bool{"pi": true, "e": true, "inf": true, "nan": true, "euler_gamma": true}
var MathConsts = map[string]bool{"pi": true, "e": true, "tau": true, "inf": true, "nan": true}

// ArrayMethods are the ndarray methods of this step.
var ArrayMethods = map[string]bool{"sum": true, "prod": true, "min": true, "max": true, "mean": true}

// NumpyKnown reports whether numpy.name is in the catalog.
func NumpyKnown(name string) bool {
	_, bin := BinaryUfuncs[name]
	return FloatUfuncs[name] || SameUfuncs[name] || PredUfuncs[name] || bin || Reductions[name] ||
		Creation[name] || name == "where" || AxisReductions[name] != "" || NumpyMoreKnown(name)
}

// MathKnown reports whether math.name is a function in the catalog.
func MathKnown(name string) bool {
	return MathFuncs[name] || MathIntFuncs[name] || MathBinary[name] || MathPreds[name] || MathExtra[name]
}
