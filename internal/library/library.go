// Package library is the one table of what sejit compiles from Python's
// builtins, the math and cmath modules, NumPy and the ndarray methods, in
// the spirit of Pythran's tables.py: one Entry per name.
//
// # The contract of an entry
//
// An entry names one callable (or module constant) by its qualified name —
// "numpy.sin", "math.floor", "cmath.phase", "builtins.len",
// "ndarray.reshape" — and gives:
//
//   - Rule, how its calls are typed and lowered. The checker
//     (types.builtinCall and the functions it switches to) and lowering
//     (lower.call) each switch on the Rule, so a name typed by one rule is
//     always lowered by the same rule. Rules that cover a family (a float
//     ufunc, a whole-array reduction) are data-driven: the entry's Op, Form,
//     Intrinsic and Flags say everything the shared code needs. Rules that
//     cover one-of-a-kind functions (Function, Builtin, MathOther) switch on
//     the name inside their typing and lowering functions.
//   - MinArgs and MaxArgs (positional arguments, not counting a method's
//     receiver; MaxArgs Variadic for any number) and Keywords, the keyword
//     arguments that compile. Typing checks keywords against this list for
//     the families and for NumPy's functions, so a keyword the table does
//     not list is refused.
//   - Doc, the id of the row of docs/supported.md that documents it; that
//     row links the conformance cases proving it. The doc is generated from
//     this package (doc.go; `go test ./internal/library -update`).
//
// This package holds data only and imports nothing of sejit, so resolve
// (the builtin names), types and lower (the rules) all read it; imports
// still go one way: library → resolve → types → lower.
//
// # Adding a function
//
//  1. Add its entry to the table below with the Rule of its family, or a
//     new Rule if none fits (then add the Rule's case to types.builtinCall's
//     dispatch and lower.call's, and say in the Rule's comment what it
//     means).
//  2. For a one-of-a-kind rule, add the name's case to the typing function
//     (types) and the lowering function (lower) of that rule.
//  3. Register conformance cases under the entry's Doc id in
//     tests/test_conf_*.py, run `.venv/bin/python tools/supported.py
//     --write` (it refreshes the cases file and docs/supported.md), and add
//     a row to doc.go if no row fits.
package library

import "sort"

// Rule says how an entry's calls are typed and lowered.
type Rule uint8

const (
	// Const is a module constant, folded when compiling (np.pi, math.tau).
	Const Rule = iota + 1
	// Builtin is a Python builtin function, typed and lowered per name.
	Builtin
	// Cast is int(), float(), bool() and complex().
	Cast
	// LoopOnly compiles only as a for loop's iterable (range, enumerate, zip,
	// reversed), or a comprehension's.
	LoopOnly

	// UfuncFloat is a one-operand ufunc computed in floating point:
	// integer inputs become float64 (float32 for 16-bit ones); flags
	// IntPreserving and Complex refine it.
	UfuncFloat
	// UfuncSame is a one-operand ufunc keeping its operand's dtype (abs of
	// a complex number gives its real dtype).
	UfuncSame
	// UfuncPred is a one-operand ufunc returning booleans.
	UfuncPred
	// UfuncBinary is a two-operand ufunc; Op is the Python operator it
	// computes ("Add") or, lower-case, the intrinsic ("minimum").
	UfuncBinary
	// Ufunc is one of the other ufuncs; Form says how its result dtype is
	// found ("same", "invert", "arith", "bit", "cmp", "logic", "round",
	// "clip") and Op, for "bit" and "cmp", the Python operator.
	Ufunc
	// Reduction reduces an array; Form says how the result dtype follows
	// the input's ("acc", "same", "float", "index", "bool"). Whole ones
	// without keywords take the one-nest whole-array path.
	Reduction
	// Creation allocates an array (zeros, full_like, arange).
	Creation
	// Where is np.where(cond, x, y).
	Where
	// Function is one of NumPy's other functions, typed and lowered per name
	// (linspace, concatenate, dot, sort, histogram, …).
	Function
	// Method is an ndarray method with no NumPy function counterpart here
	// (x.reshape, x.fill).
	Method
	// AsType is x.astype(dtype).
	AsType

	// MathFloat is a math function of one float returning a float, with
	// CPython's domain and range errors (math.log also takes a base).
	MathFloat
	// MathInt is math.floor, ceil and trunc: a float to a Python int.
	MathInt
	// MathBinary is a math function of two floats returning a float.
	MathBinary
	// MathPred is math.isnan, isinf and isfinite.
	MathPred
	// MathOther is one of the other math functions, typed and lowered per
	// name (isclose, gcd, factorial, frexp, fsum, …).
	MathOther
	// CmathComplex is a cmath function of one complex number returning one.
	CmathComplex
	// CmathOther is one of cmath's other functions, typed per name.
	CmathOther
	// Random is a function of numpy.random drawing from NumPy's global
	// RandomState (types/calls_random.go, lower/random.go): Params are its
	// parameters in order, bound from positions and keywords alike.
	Random
	// Operator is a function of the operator module: the Python operation
	// Op (as pyast spells it) of the syntax Form: "bin" (a binary
	// operator), "cmp" (a comparison), "unary", or "call" (the builtin Op).
	// A call is typed and lowered as that expression (types/stdlib.go).
	Operator
	// Fold is functools.reduce (types/stdlib.go, lower/stdlib.go).
	Fold
	// Linalg is a function of numpy.linalg (types/calls_linalg.go,
	// lower/linalg.go): LAPACK's solve, inv, det, slogdet, cholesky, eigh,
	// eig, svd, qr, pinv, matrix_rank and cond through NumPy's own library,
	// and norm.
	Linalg
	// UfuncMethod is a method of the binary ufuncs (numpy.ufunc.reduce is
	// np.add.reduce, np.maximum.reduce, ...), typed by writing it out with
	// the functions it equals (types/ufunc_methods.go).
	UfuncMethod
	// StrMethod is a method of run-time strings ("str.split"), typed per
	// name (types/strings.go) and lowered per name (lower/strings.go),
	// mostly to the C helpers of the str_* family (ir/helpers.go).
	StrMethod
	// TypeInfo is np.iinfo and np.finfo, decided when compiling: only an
	// attribute of the call compiles (np.iinfo(np.int64).max), folded to a
	// constant (types/numpy_info.go).
	TypeInfo
)

// Flag refines a Rule.
type Flag uint16

const (
	// Complex: a UfuncFloat also defined for complex inputs.
	Complex Flag = 1 << iota
	// IntPreserving: a UfuncFloat that returns integer inputs unchanged in
	// NumPy 2 (floor, ceil, trunc).
	IntPreserving
	// ComplexOrdered: a UfuncBinary ordering complex numbers as NumPy does,
	// lexicographically, real part first.
	ComplexOrdered
	// ArrayMethod: x.name(...) is also np.name(x, ...).
	ArrayMethod
	// Whole: a Reduction with its own whole-array path when called with the
	// array alone.
	Whole
	// Columns: a Reduction that can accumulate a whole row of outputs at a
	// time (the innermost axis kept).
	Columns
	// Finite: a MathFloat whose result is finite for every finite argument.
	Finite
	// Overflows: a MathFloat whose infinite result from a finite argument is
	// CPython's OverflowError (not a ValueError).
	Overflows
)

// Variadic is MaxArgs for any number of positional arguments.
const Variadic = -1

// Entry is one name of the library; see the package comment.
type Entry struct {
	Name      string // qualified: module (numpy, math, cmath, builtins, ndarray) "." name
	Rule      Rule
	Form      string // the Rule's detail (Ufunc, Reduction)
	Op        string // the operator or intrinsic a binary ufunc computes (see below)
	Intrinsic string // the IR intrinsic an element function lowers to, when not its name
	Flags     Flag
	MinArgs   int
	MaxArgs   int      // Variadic: any number
	Keywords  []string // keyword arguments that compile
	Params    []string // a builtin's parameter names in order ("" positional-only), for keyword merging
	Doc       string   // the docs/supported.md row id
}

// Module and Short split the qualified name.
func (e *Entry) Module() string { m, _ := split(e.Name); return m }
func (e *Entry) Short() string  { _, n := split(e.Name); return n }

// Has reports whether every flag of f is set.
func (e *Entry) Has(f Flag) bool { return e != nil && e.Flags&f == f }

// Is reports whether e is an entry of rule r (false for nil).
func (e *Entry) Is(r Rule) bool { return e != nil && e.Rule == r }

// IntrinsicName is the element function an entry lowers to: Intrinsic, or
// else Op for a binary ufunc, or else its name.
//
// The names are ir's listing names (ir.FnNamed for intrinsics, ir.OpNamed
// for the lower-case IR operators of the logical ufuncs; an upper-case Op
// is a Python operator, as pyast spells it). This package imports nothing
// of sejit, so lowering converts them (lower.entryFn, lower.opNamed) and
// lower's TestCatalogIntrinsics checks every entry's names against the
// registry.
func (e *Entry) IntrinsicName() string {
	switch {
	case e.Intrinsic != "":
		return e.Intrinsic
	case e.Op != "":
		return e.Op
	}
	return e.Short()
}

// split cuts at the last dot: "numpy.random.normal" is normal of the
// module numpy.random.
func split(q string) (string, string) {
	for i := len(q) - 1; i >= 0; i-- {
		if q[i] == '.' {
			return q[:i], q[i+1:]
		}
	}
	return "", q
}

var byName = map[string]*Entry{}

// Lookup returns the entry of module.name (nil if the library has none).
func Lookup(module, name string) *Entry { return byName[module+"."+name] }

// Callable returns the entry of module.name if it is a function (not a
// constant), else nil.
func Callable(module, name string) *Entry {
	if e := Lookup(module, name); e != nil && e.Rule != Const {
		return e
	}
	return nil
}

// Entries lists every entry in table order.
func Entries() []*Entry {
	out := make([]*Entry, len(table))
	for i := range table {
		out[i] = &table[i]
	}
	return out
}

// Names lists the short names of module's entries of rule r, sorted.
func Names(module string, r Rule) []string {
	var out []string
	for i := range table {
		if e := &table[i]; e.Module() == module && e.Rule == r {
			out = append(out, e.Short())
		}
	}
	sort.Strings(out)
	return out
}

func init() {
	for i := range table {
		e := &table[i]
		if byName[e.Name] != nil {
			panic("library: " + e.Name + " is in the table twice")
		}
		byName[e.Name] = e
	}
}

// Constructors keep the table one line per name.

func fn(name string, r Rule, lo, hi int, doc string, kw ...string) Entry {
	return Entry{Name: name, Rule: r, MinArgs: lo, MaxArgs: hi, Keywords: kw, Doc: doc}
}

func (e Entry) with(f Flag) Entry        { e.Flags |= f; return e }
func (e Entry) form(s string) Entry      { e.Form = s; return e }
func (e Entry) op(s string) Entry        { e.Op = s; return e }
func (e Entry) intr(s string) Entry      { e.Intrinsic = s; return e }
func (e Entry) params(p ...string) Entry { e.Params = p; return e }

// rnd is a numpy.random function whose parameters are all optional and
// keywords too.
func rnd(name, doc string, params ...string) Entry {
	return fn("numpy.random."+name, Random, 0, len(params), doc, params...).params(params...)
}

// genm is a method of np.random.Generator, its parameters as rnd's.
func genm(name string, params ...string) Entry {
	return fn("numpy.random.Generator."+name, Random, 0, len(params), "np.random-generator", params...).params(params...)
}

func (e Entry) min(n int) Entry { e.MinArgs = n; return e }
func (e Entry) max(n int) Entry { e.MaxArgs = n; return e }

func konst(name, doc string) Entry { return Entry{Name: name, Rule: Const, Doc: doc} }

func uf1(name string, r Rule, doc string) Entry { return fn("numpy."+name, r, 1, 1, doc) }

func uf2(name, op, doc string) Entry { return fn("numpy."+name, UfuncBinary, 2, 2, doc).op(op) }

func red(name, form, doc string, kw ...string) Entry {
	return fn("numpy."+name, Reduction, 1, 2, doc, kw...).form(form)
}

func math1(name string) Entry { return fn("math."+name, MathFloat, 1, 1, "py.math") }

// oper is operator.name, the Python operation op of the syntax form.
func oper(name, form, op string) Entry {
	return fn("operator."+name, Operator, 1, 1, "py.operator").form(form).op(op).arity(form)
}

// arity sets an operator entry's argument count from its form.
func (e Entry) arity(form string) Entry {
	if form == "bin" || form == "cmp" {
		e.MinArgs, e.MaxArgs = 2, 2
	}
	return e
}

func cmath1(name string) Entry { return fn("cmath."+name, CmathComplex, 1, 1, "py.cmath") }

var (
	axisKeep = []string{"axis", "keepdims"}
	axisDDof = []string{"axis", "keepdims", "ddof"}
	// The reductions taking dtype= (and out=None), also by position.
	axisDType     = []string{"axis", "keepdims", "dtype", "out"}
	axisDTypeDDof = []string{"axis", "keepdims", "dtype", "out", "ddof"}
)

var table = []Entry{
	// Python builtins.
	fn("builtins.range", LoopOnly, 1, 3, "py.range"),
	fn("builtins.enumerate", LoopOnly, 1, 2, "py.enumerate", "start"),
	fn("builtins.zip", LoopOnly, 1, Variadic, "py.zip"),
	fn("builtins.reversed", LoopOnly, 1, 1, "py.reversed"),
	fn("builtins.len", Builtin, 1, 1, "py.len"),
	fn("builtins.list", Builtin, 0, 1, "py.lists"),
	fn("builtins.dict", Builtin, 0, 0, "py.dicts"),
	fn("builtins.set", Builtin, 0, 0, "py.sets"),
	fn("builtins.sorted", Builtin, 1, 1, "py.lists"),
	fn("builtins.any", Builtin, 1, 1, "py.genexpr"),
	fn("builtins.all", Builtin, 1, 1, "py.genexpr"),
	fn("builtins.tuple", Builtin, 1, 1, "py.genexpr"),
	fn("builtins.abs", Builtin, 1, 1, "py.abs"),
	fn("builtins.min", Builtin, 1, Variadic, "py.min-max"),
	fn("builtins.max", Builtin, 1, Variadic, "py.min-max"),
	fn("builtins.round", Builtin, 1, 2, "py.round", "number", "ndigits").params("number", "ndigits"),
	fn("builtins.pow", Builtin, 2, 3, "py.pow", "base", "exp", "mod").params("base", "exp", "mod"),
	fn("builtins.divmod", Builtin, 2, 2, "py.divmod"),
	fn("builtins.sum", Builtin, 1, 2, "py.sum", "start").params("", "start"),
	fn("builtins.print", Builtin, 0, Variadic, "py.print", "sep", "end"),
	fn("builtins.isinstance", Builtin, 2, 2, "py.isinstance"),
	fn("builtins.ord", Builtin, 1, 1, "py.strings"),
	fn("builtins.chr", Builtin, 1, 1, "py.strings"),
	fn("builtins.int", Cast, 0, 1, "types.casts"),
	fn("builtins.float", Cast, 0, 1, "types.casts"),
	fn("builtins.bool", Cast, 0, 1, "types.casts"),
	fn("builtins.complex", Cast, 0, 2, "types.casts"),

	// math.
	math1("sqrt").with(Finite), math1("exp").with(Overflows), math1("expm1").with(Overflows),
	math1("exp2").with(Overflows), fn("math.log", MathFloat, 1, 2, "py.math"), math1("log2"), math1("log10"),
	math1("log1p"), math1("sin").with(Finite), math1("cos").with(Finite), math1("tan").with(Finite),
	math1("asin").with(Finite), math1("acos").with(Finite), math1("atan").with(Finite),
	math1("sinh").with(Overflows), math1("cosh").with(Overflows), math1("tanh").with(Finite),
	math1("asinh").with(Finite), math1("acosh").with(Finite), math1("atanh"),
	math1("fabs"), math1("degrees"), math1("radians"), math1("erf").with(Finite), math1("erfc").with(Finite),
	math1("gamma").with(Overflows), math1("lgamma").with(Overflows), math1("cbrt").with(Finite),
	fn("math.floor", MathInt, 1, 1, "py.math"),
	fn("math.ceil", MathInt, 1, 1, "py.math"),
	fn("math.trunc", MathInt, 1, 1, "py.math"),
	fn("math.atan2", MathBinary, 2, 2, "py.math"),
	fn("math.hypot", MathBinary, 0, Variadic, "py.math"),
	fn("math.pow", MathBinary, 2, 2, "py.math"),
	fn("math.copysign", MathBinary, 2, 2, "py.math"),
	fn("math.fmod", MathBinary, 2, 2, "py.math"),
	fn("math.isnan", MathPred, 1, 1, "py.math"),
	fn("math.isinf", MathPred, 1, 1, "py.math"),
	fn("math.isfinite", MathPred, 1, 1, "py.math"),
	fn("math.isclose", MathOther, 2, 2, "py.math", "rel_tol", "abs_tol"),
	fn("math.gcd", MathOther, 0, Variadic, "py.math"),
	fn("math.lcm", MathOther, 0, Variadic, "py.math"),
	fn("math.factorial", MathOther, 1, 1, "py.math"),
	fn("math.comb", MathOther, 2, 2, "py.math"),
	fn("math.perm", MathOther, 1, 2, "py.math"),
	fn("math.isqrt", MathOther, 1, 1, "py.math"),
	fn("math.ldexp", MathOther, 2, 2, "py.math"),
	fn("math.frexp", MathOther, 1, 1, "py.math"),
	fn("math.modf", MathOther, 1, 1, "py.math"),
	fn("math.remainder", MathOther, 2, 2, "py.math"),
	fn("math.nextafter", MathOther, 2, 2, "py.math"),
	fn("math.ulp", MathOther, 1, 1, "py.math"),
	fn("math.fsum", MathOther, 1, 1, "py.math"),
	fn("math.prod", MathOther, 1, 1, "py.math", "start"),
	fn("math.dist", MathOther, 2, 2, "py.math"),
	konst("math.pi", "py.math"), konst("math.e", "py.math"), konst("math.tau", "py.math"),
	konst("math.inf", "py.math"), konst("math.nan", "py.math"),

	// itertools (iterables only: types/stdlib.go), functools and operator.
	fn("itertools.product", LoopOnly, 0, Variadic, "py.itertools", "repeat"),
	fn("itertools.combinations", LoopOnly, 1, 2, "py.itertools", "r"),
	fn("itertools.combinations_with_replacement", LoopOnly, 1, 2, "py.itertools", "r"),
	fn("itertools.permutations", LoopOnly, 1, 2, "py.itertools", "r"),
	fn("functools.reduce", Fold, 2, 3, "py.functools"),
	oper("add", "bin", "Add"), oper("sub", "bin", "Sub"), oper("mul", "bin", "Mult"),
	oper("truediv", "bin", "Div"), oper("floordiv", "bin", "FloorDiv"), oper("mod", "bin", "Mod"),
	oper("pow", "bin", "Pow"), oper("matmul", "bin", "MatMult"), oper("lshift", "bin", "LShift"),
	oper("rshift", "bin", "RShift"), oper("and_", "bin", "BitAnd"), oper("or_", "bin", "BitOr"),
	oper("xor", "bin", "BitXor"),
	oper("lt", "cmp", "Lt"), oper("le", "cmp", "LtE"), oper("eq", "cmp", "Eq"), oper("ne", "cmp", "NotEq"),
	oper("ge", "cmp", "GtE"), oper("gt", "cmp", "Gt"),
	oper("neg", "unary", "USub"), oper("pos", "unary", "UAdd"), oper("not_", "unary", "Not"),
	oper("invert", "unary", "Invert"), oper("inv", "unary", "Invert"),
	oper("abs", "call", "abs"), oper("truth", "call", "bool"),

	// cmath.
	cmath1("sqrt"), cmath1("exp"), fn("cmath.log", CmathComplex, 1, 2, "py.cmath"), cmath1("log10"),
	cmath1("sin"), cmath1("cos"), cmath1("tan"), cmath1("asin"), cmath1("acos"), cmath1("atan"),
	cmath1("sinh"), cmath1("cosh"), cmath1("tanh"), cmath1("asinh"), cmath1("acosh"), cmath1("atanh"),
	fn("cmath.phase", CmathOther, 1, 1, "py.cmath"),
	fn("cmath.polar", CmathOther, 1, 1, "py.cmath"),
	fn("cmath.rect", CmathOther, 2, 2, "py.cmath"),
	fn("cmath.isnan", CmathOther, 1, 1, "py.cmath"),
	fn("cmath.isinf", CmathOther, 1, 1, "py.cmath"),
	fn("cmath.isfinite", CmathOther, 1, 1, "py.cmath"),
	fn("cmath.isclose", CmathOther, 2, 2, "py.cmath", "rel_tol", "abs_tol"),
	konst("cmath.pi", "py.cmath"), konst("cmath.e", "py.cmath"), konst("cmath.tau", "py.cmath"),
	konst("cmath.inf", "py.cmath"), konst("cmath.nan", "py.cmath"), konst("cmath.infj", "py.cmath"),

	// numpy.random: NumPy's global stream, bit for bit.
	rnd("random", "np.random", "size"), rnd("random_sample", "np.random", "size"),
	fn("numpy.random.rand", Random, 0, Variadic, "np.random"),
	fn("numpy.random.randn", Random, 0, Variadic, "np.random-normal"),
	rnd("standard_normal", "np.random-normal", "size"),
	rnd("normal", "np.random-normal", "loc", "scale", "size"),
	rnd("uniform", "np.random", "low", "high", "size"),
	rnd("exponential", "np.random-exponential", "scale", "size"),
	rnd("standard_exponential", "np.random-exponential", "size"),
	rnd("randint", "np.random-randint", "low", "high", "size", "dtype").min(1),
	rnd("poisson", "np.random-discrete", "lam", "size"),
	rnd("binomial", "np.random-discrete", "n", "p", "size").min(2),
	rnd("gamma", "np.random-gamma", "shape", "scale", "size").min(1),
	rnd("standard_gamma", "np.random-gamma", "shape", "size").min(1),
	rnd("beta", "np.random-gamma", "a", "b", "size").min(2),
	rnd("seed", "np.random-seed", "seed"),
	rnd("get_state", "np.random-state"), rnd("set_state", "np.random-state", "state").min(1),
	rnd("shuffle", "np.random-permutation", "x").min(1),
	rnd("permutation", "np.random-permutation", "x").min(1),
	rnd("choice", "np.random-choice", "a", "size", "replace", "p").min(1),

	// np.random.Generator objects passed in: their own streams, bit for bit.
	genm("random", "size"), genm("standard_normal", "size"), genm("normal", "loc", "scale", "size"),
	genm("uniform", "low", "high", "size"), genm("exponential", "scale", "size"),
	genm("standard_exponential", "size"),
	genm("integers", "low", "high", "size", "dtype", "endpoint").min(1),
	genm("choice", "a", "size", "replace", "p", "axis", "shuffle").min(1),
	genm("permutation", "x", "axis").min(1), genm("shuffle", "x", "axis").min(1),
	konst("cmath.nanj", "py.cmath"),

	// numpy.linalg: through the LAPACK of NumPy's own OpenBLAS.
	fn("numpy.linalg.solve", Linalg, 2, 2, "la.solve"),
	fn("numpy.linalg.inv", Linalg, 1, 1, "la.solve"),
	fn("numpy.linalg.det", Linalg, 1, 1, "la.det"),
	fn("numpy.linalg.cholesky", Linalg, 1, 1, "la.cholesky"),
	fn("numpy.linalg.eigh", Linalg, 1, 1, "la.eigh"),
	fn("numpy.linalg.eigvalsh", Linalg, 1, 1, "la.eigh"),
	fn("numpy.linalg.norm", Linalg, 1, 2, "la.norm", "ord", "axis", "keepdims"),
	fn("numpy.linalg.slogdet", Linalg, 1, 1, "la.det"),
	fn("numpy.linalg.eig", Linalg, 1, 1, "la.eig"),
	fn("numpy.linalg.eigvals", Linalg, 1, 1, "la.eig"),
	fn("numpy.linalg.svd", Linalg, 1, 3, "la.svd", "full_matrices", "compute_uv"),
	fn("numpy.linalg.qr", Linalg, 1, 2, "la.qr", "mode"),
	fn("numpy.linalg.pinv", Linalg, 1, 2, "la.svd", "rcond"),
	fn("numpy.linalg.matrix_rank", Linalg, 1, 2, "la.svd", "tol"),
	fn("numpy.linalg.cond", Linalg, 1, 2, "la.cond", "p"),
	fn("numpy.linalg.lstsq", Linalg, 2, 3, "la.lstsq", "rcond"),
	fn("numpy.linalg.multi_dot", Linalg, 1, 1, "la.multidot"),
	fn("numpy.linalg.matrix_power", Linalg, 2, 2, "la.multidot"),

	// NumPy: float ufuncs.
	uf1("sin", UfuncFloat, "uf.trig").with(Complex),
	uf1("cos", UfuncFloat, "uf.trig").with(Complex),
	uf1("tan", UfuncFloat, "uf.trig").with(Complex),
	uf1("arcsin", UfuncFloat, "uf.trig").with(Complex).intr("asin"),
	uf1("arccos", UfuncFloat, "uf.trig").with(Complex).intr("acos"),
	uf1("arctan", UfuncFloat, "uf.trig").with(Complex).intr("atan"),
	uf1("deg2rad", UfuncFloat, "uf.trig").intr("radians"),
	uf1("rad2deg", UfuncFloat, "uf.trig").intr("degrees"),
	uf1("degrees", UfuncFloat, "uf.trig"),
	uf1("radians", UfuncFloat, "uf.trig"),
	uf1("sinh", UfuncFloat, "uf.hyperbolic").with(Complex),
	uf1("cosh", UfuncFloat, "uf.hyperbolic").with(Complex),
	uf1("tanh", UfuncFloat, "uf.hyperbolic").with(Complex),
	uf1("arcsinh", UfuncFloat, "uf.hyperbolic").with(Complex).intr("asinh"),
	uf1("arccosh", UfuncFloat, "uf.hyperbolic").with(Complex).intr("acosh"),
	uf1("arctanh", UfuncFloat, "uf.hyperbolic").with(Complex).intr("atanh"),
	uf1("exp", UfuncFloat, "uf.exp-log").with(Complex).intr("np_exp"),
	uf1("exp2", UfuncFloat, "uf.exp-log").with(Complex),
	uf1("expm1", UfuncFloat, "uf.exp-log").with(Complex),
	uf1("log", UfuncFloat, "uf.exp-log").with(Complex),
	uf1("log2", UfuncFloat, "uf.exp-log").with(Complex),
	uf1("log10", UfuncFloat, "uf.exp-log").with(Complex),
	uf1("log1p", UfuncFloat, "uf.exp-log").with(Complex),
	uf1("sqrt", UfuncFloat, "uf.powers").with(Complex),
	uf1("cbrt", UfuncFloat, "uf.powers"),
	uf1("floor", UfuncFloat, "uf.rounding").with(IntPreserving),
	uf1("ceil", UfuncFloat, "uf.rounding").with(IntPreserving),
	uf1("trunc", UfuncFloat, "uf.rounding").with(IntPreserving),
	uf1("rint", UfuncFloat, "uf.rounding").with(Complex),

	// NumPy: ufuncs keeping their dtype, predicates.
	uf1("negative", UfuncSame, "uf.arith"),
	uf1("abs", UfuncSame, "uf.powers"),
	uf1("absolute", UfuncSame, "uf.powers"),
	uf1("fabs", UfuncSame, "uf.powers"),
	uf1("square", UfuncSame, "uf.powers"),
	uf1("sign", UfuncSame, "uf.powers"),
	uf1("conjugate", UfuncSame, "uf.conj").with(ArrayMethod).intr("np_conj"),
	uf1("conj", UfuncSame, "uf.conj").with(ArrayMethod).intr("np_conj"),
	uf1("isnan", UfuncPred, "uf.preds"),
	uf1("isinf", UfuncPred, "uf.preds"),
	uf1("isfinite", UfuncPred, "uf.preds"),

	// NumPy: binary ufuncs.
	uf2("add", "Add", "uf.arith"),
	uf2("subtract", "Sub", "uf.arith"),
	uf2("multiply", "Mult", "uf.arith"),
	uf2("divide", "Div", "uf.arith"),
	uf2("true_divide", "Div", "uf.arith"),
	uf2("power", "Pow", "uf.arith"),
	uf2("floor_divide", "FloorDiv", "uf.floor-mod"),
	uf2("mod", "Mod", "uf.floor-mod"),
	uf2("remainder", "Mod", "uf.floor-mod"),
	uf2("minimum", "minimum", "uf.minmax").with(ComplexOrdered),
	uf2("maximum", "maximum", "uf.minmax").with(ComplexOrdered),
	uf2("fmin", "fmin", "uf.minmax").with(ComplexOrdered),
	uf2("fmax", "fmax", "uf.minmax").with(ComplexOrdered),
	uf2("arctan2", "arctan2", "uf.trig").intr("atan2"),
	uf2("hypot", "hypot", "uf.trig"),
	uf2("copysign", "copysign", "uf.powers"),

	// NumPy: the other ufuncs.
	uf1("positive", Ufunc, "uf.arith").form("same"),
	uf1("reciprocal", Ufunc, "uf.powers").form("same"),
	uf1("invert", Ufunc, "uf.bitwise").form("invert"),
	fn("numpy.fmod", Ufunc, 2, 2, "uf.floor-mod").form("arith"),
	fn("numpy.bitwise_and", Ufunc, 2, 2, "uf.bitwise").form("bit").op("BitAnd"),
	fn("numpy.bitwise_or", Ufunc, 2, 2, "uf.bitwise").form("bit").op("BitOr"),
	fn("numpy.bitwise_xor", Ufunc, 2, 2, "uf.bitwise").form("bit").op("BitXor"),
	fn("numpy.left_shift", Ufunc, 2, 2, "uf.bitwise").form("bit").op("LShift"),
	fn("numpy.right_shift", Ufunc, 2, 2, "uf.bitwise").form("bit").op("RShift"),
	fn("numpy.equal", Ufunc, 2, 2, "uf.compare").form("cmp").op("Eq"),
	fn("numpy.not_equal", Ufunc, 2, 2, "uf.compare").form("cmp").op("NotEq"),
	fn("numpy.less", Ufunc, 2, 2, "uf.compare").form("cmp").op("Lt"),
	fn("numpy.less_equal", Ufunc, 2, 2, "uf.compare").form("cmp").op("LtE"),
	fn("numpy.greater", Ufunc, 2, 2, "uf.compare").form("cmp").op("Gt"),
	fn("numpy.greater_equal", Ufunc, 2, 2, "uf.compare").form("cmp").op("GtE"),
	fn("numpy.logical_and", Ufunc, 2, 2, "uf.compare").form("logic").op("and"),
	fn("numpy.logical_or", Ufunc, 2, 2, "uf.compare").form("logic").op("or"),
	fn("numpy.logical_xor", Ufunc, 2, 2, "uf.compare").form("logic").op("ne"),
	fn("numpy.logical_not", Ufunc, 1, 1, "uf.compare").form("logic"),
	fn("numpy.round", Ufunc, 1, 2, "uf.rounding", "decimals").form("round"),
	fn("numpy.around", Ufunc, 1, 2, "uf.rounding", "decimals").form("round"),
	fn("numpy.clip", Ufunc, 3, 3, "uf.minmax").form("clip"),
	fn("numpy.where", Where, 1, 3, "uf.minmax"),

	// NumPy: reductions.
	red("sum", "acc", "red.sum-prod", axisDType...).max(5).with(Whole | ArrayMethod | Columns),
	red("prod", "acc", "red.sum-prod", axisDType...).max(5).with(Whole | ArrayMethod | Columns),
	red("min", "same", "red.min-max", axisKeep...).with(Whole | ArrayMethod | Columns),
	red("max", "same", "red.min-max", axisKeep...).with(Whole | ArrayMethod | Columns),
	red("amin", "same", "red.min-max", axisKeep...).with(Whole | Columns),
	red("amax", "same", "red.min-max", axisKeep...).with(Whole | Columns),
	red("mean", "float", "red.mean-std-var", axisDType...).max(5).with(Whole | ArrayMethod | Columns),
	red("std", "float", "red.mean-std-var", axisDTypeDDof...).max(6).with(ArrayMethod),
	red("var", "float", "red.mean-std-var", axisDTypeDDof...).max(6).with(ArrayMethod),
	red("median", "float", "red.median", axisKeep...),
	red("argmin", "index", "red.arg", "axis").with(ArrayMethod),
	red("argmax", "index", "red.arg", "axis").with(ArrayMethod),
	red("all", "bool", "red.all-any", axisKeep...).with(ArrayMethod | Columns),
	red("any", "bool", "red.all-any", axisKeep...).with(ArrayMethod | Columns),
	// The whole array only: one pass counting the elements that are true.
	red("cumsum", "acc", "red.cum", "axis", "dtype", "out").max(4).with(ArrayMethod),
	red("cumprod", "acc", "red.cum", "axis", "dtype", "out").max(4).with(ArrayMethod),
	red("diff", "same", "red.diff", "axis", "n"),
	red("nansum", "acc", "red.nan", axisKeep...).with(Columns),
	red("nanprod", "acc", "red.nan", axisKeep...).with(Columns),
	red("nanmin", "same", "red.nan", axisKeep...),
	red("nanmax", "same", "red.nan", axisKeep...),
	red("nanmean", "float", "red.nan", axisKeep...),
	red("nanstd", "float", "red.nan", axisDDof...),
	red("nanvar", "float", "red.nan", axisDDof...),
	red("nanmedian", "float", "red.nan", axisKeep...),

	// NumPy: creation.
	fn("numpy.empty", Creation, 0, 2, "np.create", "dtype", "shape"),
	fn("numpy.zeros", Creation, 0, 2, "np.create", "dtype", "shape"),
	fn("numpy.ones", Creation, 0, 2, "np.create", "dtype", "shape"),
	fn("numpy.full", Creation, 1, 3, "np.create", "dtype", "shape"),
	// np.ndarray(shape, dtype) allocates as np.empty does.
	fn("numpy.ndarray", Creation, 0, 2, "np.create", "dtype", "shape"),
	fn("numpy.empty_like", Creation, 1, 2, "np.create", "dtype"),
	fn("numpy.zeros_like", Creation, 1, 2, "np.create", "dtype"),
	fn("numpy.ones_like", Creation, 1, 2, "np.create", "dtype"),
	fn("numpy.full_like", Creation, 2, 3, "np.create", "dtype"),
	fn("numpy.arange", Creation, 1, 3, "np.arange", "dtype"),
	fn("numpy.linspace", Function, 2, 3, "np.linspace", "num", "endpoint", "dtype"),
	fn("numpy.eye", Function, 1, 3, "np.eye", "k", "dtype", "M"),
	fn("numpy.identity", Function, 1, 1, "np.eye", "k", "dtype", "M"),
	fn("numpy.array", Function, 1, 1, "np.array", "dtype"),
	fn("numpy.asarray", Function, 1, 1, "np.array", "dtype"),
	fn("numpy.copy", Function, 1, 1, "np.array", "dtype"),

	// NumPy: joining, linear algebra, algorithms.
	fn("numpy.concatenate", Function, 1, 2, "np.join", "axis"),
	fn("numpy.stack", Function, 1, 2, "np.join", "axis"),
	fn("numpy.hstack", Function, 1, 1, "np.join", "axis"),
	fn("numpy.vstack", Function, 1, 1, "np.join", "axis"),
	fn("numpy.array_split", Function, 2, 3, "py.list-arrays", "axis"),
	fn("numpy.split", Function, 2, 3, "py.list-arrays", "axis"),
	fn("numpy.dot", Function, 2, 2, "la.dot").with(ArrayMethod),
	fn("numpy.matmul", Function, 2, 2, "la.dot"),
	fn("numpy.outer", Function, 2, 2, "la.outer"),
	fn("numpy.vdot", Function, 2, 2, "la.outer"),
	fn("numpy.inner", Function, 2, 2, "la.outer"),
	fn("numpy.trace", Function, 1, 1, "la.outer").with(ArrayMethod),
	fn("numpy.sort", Function, 1, 2, "np.sort", "kind", "axis").with(ArrayMethod),
	fn("numpy.argsort", Function, 1, 2, "np.sort", "kind", "axis").with(ArrayMethod),
	fn("numpy.einsum", Function, 2, 4, "la.einsum"),
	fn("numpy.searchsorted", Function, 2, 2, "np.searchsorted", "side").with(ArrayMethod),
	fn("numpy.unique", Function, 1, 1, "np.unique", "kind", "axis"),
	fn("numpy.histogram", Function, 1, 3, "np.histogram", "bins", "range", "weights", "density"),
	fn("numpy.bincount", Function, 1, 1, "np.histogram", "weights", "minlength"),
	fn("numpy.interp", Function, 3, 3, "np.interp", "left", "right"),
	fn("numpy.cross", Function, 2, 2, "np.cross"),
	fn("numpy.iinfo", TypeInfo, 1, 1, "np.typeinfo"),
	fn("numpy.finfo", TypeInfo, 1, 1, "np.typeinfo"),

	// NumPy: shapes and selections (types/numpy_shape.go).
	fn("numpy.reshape", Function, 2, 2, "np.shape-funcs"),
	fn("numpy.ravel", Function, 1, 1, "np.shape-funcs"),
	fn("numpy.transpose", Function, 1, 2, "np.shape-funcs", "axes"),
	fn("numpy.flip", Function, 1, 2, "np.flip", "axis"),
	fn("numpy.fliplr", Function, 1, 1, "np.flip"),
	fn("numpy.flipud", Function, 1, 1, "np.flip"),
	fn("numpy.rot90", Function, 1, 2, "np.flip", "k"),
	fn("numpy.roll", Function, 1, 3, "np.roll", "shift", "axis"),
	fn("numpy.tile", Function, 2, 2, "np.tile-repeat"),
	fn("numpy.repeat", Function, 2, 3, "np.tile-repeat", "axis"),
	fn("numpy.count_nonzero", Function, 1, 2, "np.count-nonzero", "axis"),
	fn("numpy.nonzero", Function, 1, 1, "np.nonzero"),
	fn("numpy.flatnonzero", Function, 1, 1, "np.nonzero"),
	fn("numpy.argwhere", Function, 1, 1, "np.nonzero"),
	fn("numpy.triu", Function, 1, 2, "np.tri-diag", "k"),
	fn("numpy.tril", Function, 1, 2, "np.tri-diag", "k"),
	fn("numpy.diag", Function, 1, 2, "np.tri-diag", "k"),
	fn("numpy.diagonal", Function, 1, 2, "np.tri-diag", "offset"),
	fn("numpy.meshgrid", Function, 2, 2, "np.meshgrid", "indexing"),
	fn("numpy.indices", Function, 1, 1, "np.index-funcs", "dtype"),
	fn("numpy.unravel_index", Function, 2, 2, "np.index-funcs"),
	fn("numpy.ravel_multi_index", Function, 2, 2, "np.index-funcs"),

	// NumPy: statistics, comparisons, polynomials (types/numpy_stats.go).
	fn("numpy.isclose", Function, 2, 5, "np.isclose", "b", "rtol", "atol", "equal_nan"),
	fn("numpy.allclose", Function, 2, 5, "np.isclose", "b", "rtol", "atol", "equal_nan"),
	fn("numpy.array_equal", Function, 2, 3, "np.isclose", "a2", "equal_nan"),
	fn("numpy.cov", Function, 1, 5, "np.cov", "y", "rowvar", "bias", "ddof"),
	fn("numpy.corrcoef", Function, 1, 3, "np.cov", "y", "rowvar"),
	fn("numpy.percentile", Function, 1, 3, "np.percentile", "q", "axis", "method"),
	fn("numpy.quantile", Function, 1, 3, "np.percentile", "q", "axis", "method"),
	fn("numpy.convolve", Function, 2, 3, "np.convolve", "mode"),
	fn("numpy.correlate", Function, 2, 3, "np.convolve", "mode"),
	fn("numpy.polyval", Function, 2, 2, "np.polyval"),
	fn("numpy.polyfit", Function, 3, 3, "np.polyval"),
	fn("numpy.kron", Function, 2, 2, "np.kron"),
	fn("numpy.take", Function, 2, 3, "np.take", "indices", "axis"),
	fn("numpy.put", Function, 3, 3, "np.take"),
	fn("numpy.fill_diagonal", Function, 2, 3, "np.take", "wrap"),
	fn("numpy.delete", Function, 2, 3, "np.take", "axis"),
	fn("numpy.copyto", Function, 2, 2, "np.copyto", "casting"),
	// Indexed, not called: np.mgrid[0:3, 0:4] (types.grid).
	fn("numpy.mgrid", Function, 0, 0, "np.grid"),
	fn("numpy.ogrid", Function, 0, 0, "np.grid"),
	// The methods of the binary ufuncs (np.add.reduce), written out with
	// the functions above (types/ufunc_methods.go).
	fn("numpy.ufunc.reduce", UfuncMethod, 1, 2, "uf.methods", "axis", "keepdims"),
	fn("numpy.ufunc.accumulate", UfuncMethod, 1, 2, "uf.methods", "axis"),
	fn("numpy.ufunc.outer", UfuncMethod, 2, 2, "uf.methods"),
	fn("numpy.ufunc.at", UfuncMethod, 3, 3, "uf.methods"),

	// NumPy constants.
	konst("numpy.pi", ""), konst("numpy.e", ""), konst("numpy.inf", ""),
	konst("numpy.nan", ""), konst("numpy.euler_gamma", ""),

	// Methods of run-time strings (types/strings.go, lower/strings.go).
	fn("str.split", StrMethod, 0, 2, "py.strings", "sep", "maxsplit").params("sep", "maxsplit"),
	fn("str.strip", StrMethod, 0, 1, "py.strings"),
	fn("str.lstrip", StrMethod, 0, 1, "py.strings"),
	fn("str.rstrip", StrMethod, 0, 1, "py.strings"),
	fn("str.startswith", StrMethod, 1, 1, "py.strings"),
	fn("str.endswith", StrMethod, 1, 1, "py.strings"),
	fn("str.find", StrMethod, 1, 3, "py.strings"),
	fn("str.rfind", StrMethod, 1, 3, "py.strings"),
	fn("str.count", StrMethod, 1, 3, "py.strings"),
	fn("str.replace", StrMethod, 2, 3, "py.strings"),
	fn("str.lower", StrMethod, 0, 0, "py.strings"),
	fn("str.upper", StrMethod, 0, 0, "py.strings"),
	fn("str.isdigit", StrMethod, 0, 0, "py.strings"),
	fn("str.isalpha", StrMethod, 0, 0, "py.strings"),
	fn("str.isspace", StrMethod, 0, 0, "py.strings"),
	fn("str.join", StrMethod, 1, 1, "py.strings"),

	// ndarray methods without a NumPy function here (x.copy() is
	// np.copy(x) in NumPy but lowered as a method).
	fn("ndarray.copy", Method, 0, 0, "arr.methods"),
	fn("ndarray.fill", Method, 1, 1, "arr.methods"),
	fn("ndarray.reshape", Method, 1, Variadic, "arr.methods"),
	fn("ndarray.ravel", Method, 0, 0, "arr.methods"),
	fn("ndarray.flatten", Method, 0, 0, "arr.methods"),
	fn("ndarray.transpose", Method, 0, Variadic, "arr.methods"),
	fn("ndarray.item", Method, 0, 1, "arr.methods"),
	fn("ndarray.astype", AsType, 1, 1, "types.astype", "dtype", "copy"),
}
