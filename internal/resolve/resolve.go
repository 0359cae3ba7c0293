// Package resolve binds every name of a Python function to what it means
// there — a parameter or local variable, a global value the Python side
// resolved at call time, or one of Python's builtins — and rejects, with a
// positioned message, every construct outside the language sejit compiles.
//
// Python's scoping rule applies: a name assigned anywhere in a function is
// local throughout it. The resolver keeps going after an error so the user
// sees every unsupported construct of a function at once, in source order.
package resolve

import (
	"sort"
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// Global is the value a global name had at call time (docs/protocol.md).
type Global struct {
	Kind   string // module, const, function, builtin, unsupported
	Name   string // module name or builtin name
	Module string // builtin: numpy or math
	ID     string // function: request id
	Const  *pyast.Constant
	DType  string    // const: NumPy scalar dtype, if any
	Type   string    // unsupported: the Python type name
	Items  []*Global // tuple: the items
}

// Func is one function of a request, with what resolution found.
type Func struct {
	ID      string
	Def     *pyast.FunctionDef
	File    string
	Globals map[string]*Global

	Params []string
	Locals map[string]bool // parameters and assigned names

	// The Python-language step (pylang.go): default values, nested
	// functions, lambdas and the variables they capture.
	Defaults   []*Global          // the values of the trailing parameters' defaults (from the request)
	KwDefaults map[string]*Global // the keyword-only parameters' defaults (from the request)
	nest

	// StrArgs are the constants FoldStrings put where a str argument was
	// read, by the parameter's name: one left over is a str used as a value.
	StrArgs map[*pyast.Constant]string
	// StrValues are the string constants read as values (run-time strings,
	// types/strings.go), as opposed to the dtype names and options that
	// some calls take as constant strings.
	StrValues map[*pyast.Constant]bool

	// Caught says what names of caught exceptions refer to (try.go).
	Caught Caught
	// UfuncOut marks the stores that give a ufunc's result to its output
	// array (np.add(a, b, c) is c[...] = np.add(a, b); ufunc_out.go), by
	// the ufunc's name: the checker applies NumPy's same_kind rule to them.
	UfuncOut map[*pyast.Assign]string
	// Versions gives the Name nodes of a variable that is rebound to
	// values no single use mixes their version name (versions.go); VarName
	// reads it.
	Versions map[*pyast.Name]string
	// AttrVersions gives the attribute nodes (p.x, loads and stores) of an
	// object parameter's attribute that a store rebinds to a value the
	// attribute's other bindings never meet (versions.go, "Attributes"):
	// their variable, a local. The others read and write the object.
	AttrVersions map[*pyast.Attribute]string

	// ConstParams are the parameters bound to a constant argument (a
	// dtype, a module, a function): the body reads them as globals of
	// that value (driver/pylang.go).
	ConstParams map[string]*Global
}

// BindKind says what a name refers to.
type BindKind int

const (
	Undefined BindKind = iota
	Local
	GlobalName
	BuiltinName
	NestedName // a function defined inside an enclosing function (Func.NestedFunc)
)

// Builtins are the Python builtins sejit knows: the library's (package
// library), the constants True, False and None, and the exception types.
var Builtins = map[string]bool{"True": true, "False": true, "None": true}

// Lookup tells what name means inside f.
func (f *Func) Lookup(name string) (BindKind, *Global) {
	if g, ok := f.ConstParams[name]; ok {
		return GlobalName, g
	}
	if f.NestedFunc(name) != nil && !f.Locals[name] {
		return NestedName, nil
	}
	if f.Locals[name] {
		return Local, nil
	}
	if g, ok := f.Globals[name]; ok {
		return GlobalName, g
	}
	if Builtins[name] {
		return BuiltinName, nil
	}
	return Undefined, nil
}

// Pos converts a syntax position into a diagnostic position in f's file.
func (f *Func) Pos(p pyast.Pos) diag.Pos { return diag.Pos{File: f.File, Line: p.Line, Col: p.Col} }

type resolver struct {
	f    *Func
	errs diag.List
	// shapeTemps numbers the names shapeChains gives chained values.
	shapeTemps int
	// forwardParams are the parameters, which forward.go leaves alone.
	forwardParams map[string]bool
	// handlers are the except clauses around the statement being checked,
	// innermost last (try.go).
	handlers []*pyast.ExceptHandler
	imported map[string]pyast.Pos // names bound by imports (imports.go)
}

// Resolve collects f's locals and checks that it stays inside the
// supported language.
func Resolve(f *Func) diag.List {
	r := &resolver{f: f, forwardParams: map[string]bool{}}
	f.Locals = map[string]bool{}
	f.Caught = Caught{}
	f.Nonlocals = nonlocals(f.Def)
	f.Params = nil
	def := f.Def
	for _, p := range def.Params {
		f.Params = append(f.Params, p.Name)
		f.Locals[p.Name] = true
	}
	if def.Extra != "" {
		r.unsupported(def.ExtraPos, "%s are not supported", def.Extra).
			WithHint("pass arrays and scalars as positional or keyword-only parameters")
	}
	r.defaults()
	def.Body = r.shapeChains(def.Body) // imports.go
	r.forwardSelections(def)           // forward.go
	r.splitTupleAssigns(def)           // forward.go
	r.collect(def.Body)
	r.importsAssigned()              // imports.go
	def.Body = r.ufuncOuts(def.Body) // ufunc_out.go
	r.checkNonlocals()
	r.collectComps(def.Body)
	r.nested()
	r.stmts(def.Body, 0)
	r.constParamsKept()
	if len(r.errs) == 0 {
		versions(f)
	}
	return r.errs
}

func (r *resolver) unsupported(p pyast.Pos, format string, args ...any) *diag.Error {
	e := diag.Errorf(r.f.Pos(p), diag.Unsupported, format, args...)
	r.errs.Add(e)
	return e
}

// collect finds every name the function binds.
func (r *resolver) collect(body []pyast.Stmt) {
	for _, s := range body {
		switch s := s.(type) {
		case *pyast.Assign:
			r.shapeAssign(s) // imports.go
			if name, lam := LambdaAssign(s); lam != nil {
				r.bindNested(name, lam.Def, lam.P)
				continue
			}
			for _, t := range s.Targets {
				r.bindTarget(t)
			}
		case *pyast.AugAssign:
			r.bindTarget(s.Target)
		case *pyast.AnnAssign:
			r.bindTarget(s.Target)
		case *pyast.FunctionDef:
			r.bindNested(s.Name, s, s.P)
		case *pyast.Import:
			r.imports(s) // imports.go
		case *pyast.For:
			r.bindTarget(s.Target)
			r.collect(s.Body)
			r.collect(s.Orelse)
		case *pyast.While:
			r.collect(s.Body)
			r.collect(s.Orelse)
		case *pyast.If:
			r.collect(s.Body)
			r.collect(s.Orelse)
		case *pyast.Try:
			r.collect(s.Body)
			for _, h := range s.Handlers {
				r.collect(h.Body)
			}
			r.collect(s.Orelse)
			r.collect(s.Finalbody)
		}
	}
}

func (r *resolver) bindTarget(t pyast.Expr) {
	switch t := t.(type) {
	case *pyast.Name:
		if _, nl := r.f.Nonlocals[t.ID]; nl {
			return // the enclosing function's variable (a capture)
		}
		r.f.Locals[t.ID] = true
	case *pyast.Tuple:
		for _, e := range t.Elts {
			r.bindTarget(e)
		}
	case *pyast.Starred:
		r.bindTarget(t.Value)
	}
}

var stmtHints = map[string][2]string{
	"Try":              {"try statements are not supported", "check conditions explicitly and return early"},
	"TryStar":          {"try statements are not supported", "check conditions explicitly"},
	"With":             {"with statements are not supported", "move resource handling out of the compiled function"},
	"AsyncWith":        {"async with statements are not supported", ""},
	"ClassDef":         {"class definitions are not supported inside compiled functions", "define classes at module level"},
	"FunctionDef":      {"nested function definitions are not supported yet", "define the helper at module level; sejit compiles it with the caller"},
	"AsyncFunctionDef": {"async functions are not supported", ""},
	"Global":           {"global statements are not supported", "return the new value instead of rebinding a global"},
	"Nonlocal":         {"nonlocal statements are not supported", "return the new value instead"},
	"Raise":            {"raise statements are not supported yet", "return an error code instead"},
	"Import":           {"import statements are not supported inside compiled functions", "import at module level"},
	"ImportFrom":       {"import statements are not supported inside compiled functions", "import at module level"},
	"Match":            {"match statements are not supported", "use if/elif/else"},
	"AsyncFor":         {"async for loops are not supported", ""},
}

var exprHints = map[string][2]string{
	"DictUnpack":     {"** unpacking in dict displays is not supported", "insert the items one by one"},
	"Lambda":         {"lambda expressions are not supported yet", "define a function at module level"},
	"Yield":          {"generators (yield) are only supported as functions iterated by a for loop", "fill and return an array instead, or iterate the generator with for x in gen(...)"},
	"YieldFrom":      {"generators (yield from) are not supported", "fill and return an array instead"},
	"Await":          {"await is not supported", ""},
	"JoinedStr":      {"f-strings are not supported", "format results outside the compiled function"},
	"FormattedValue": {"f-strings are not supported", "format results outside the compiled function"},
	"NamedExpr":      {"assignment expressions (:=) are not supported", "assign in a separate statement"},
}

func (r *resolver) stmts(body []pyast.Stmt, loopDepth int) {
	for _, s := range body {
		r.stmt(s, loopDepth)
	}
}

func (r *resolver) stmt(s pyast.Stmt, loopDepth int) {
	switch s := s.(type) {
	case *pyast.Return:
		if s.Value != nil {
			r.expr(s.Value)
		}
	case *pyast.Assign:
		for _, t := range s.Targets {
			r.target(t)
		}
		r.expr(s.Value)
	case *pyast.AugAssign:
		r.target(s.Target)
		r.expr(s.Value)
	case *pyast.AnnAssign:
		r.target(s.Target)
		if s.Value != nil {
			r.expr(s.Value)
		} else {
			r.unsupported(s.P, "an annotation without a value is not supported")
		}
	case *pyast.For:
		r.target(s.Target)
		r.expr(s.Iter)
		r.stmts(s.Body, loopDepth+1)
		r.stmts(s.Orelse, loopDepth)
	case *pyast.While:
		r.expr(s.Test)
		r.stmts(s.Body, loopDepth+1)
		r.stmts(s.Orelse, loopDepth)
	case *pyast.If:
		r.expr(s.Test)
		r.stmts(s.Body, loopDepth)
		r.stmts(s.Orelse, loopDepth)
	case *pyast.ExprStmt:
		if c, ok := s.Value.(*pyast.Constant); ok && c.Kind == pyast.ConstStr {
			return // a docstring or a string used as a comment
		}
		if c, ok := PrintCall(r.f, s); ok {
			r.printCall(c)
			return
		}
		r.expr(s.Value)
	case *pyast.Assert:
		r.expr(s.Test)
		if s.Msg != nil {
			if j, ok := s.Msg.(*pyast.JoinedStr); ok {
				r.fstring(j) // formatted as raise AssertionError(f"...") is
			} else if c, ok := s.Msg.(*pyast.Constant); !ok || c.Kind != pyast.ConstStr {
				r.unsupported(s.Msg.Position(), "assert messages must be string constants or f-strings").
					WithHint("write the message as an f-string: assert ok, f\"bad {x}\"")
			}
		}
	case *pyast.Break, *pyast.Continue:
		if loopDepth == 0 {
			e := diag.Errorf(r.f.Pos(s.Position()), diag.Syntax, "'break' or 'continue' outside loop")
			r.errs.Add(e)
		}
	case *pyast.Pass, *pyast.Nonlocal: // checkNonlocals (nonlocal.go)
	case *pyast.FunctionDef:
		// Resolved as a function of its own by nested().
	case *pyast.Raise:
		if !r.reraise(s) {
			r.raise(s)
		}
	case *pyast.Try:
		r.tryStmt(s, loopDepth)
	case *pyast.Delete:
		for _, t := range s.Targets {
			if sub, ok := t.(*pyast.Subscript); ok {
				r.expr(sub)
			} else {
				r.unsupported(t.Position(), "del is only supported for dict items and list items (del d[key], del l[i])").
					WithHint("let the variable go out of scope")
			}
		}
	case *pyast.UnsupportedStmt:
		if h, ok := stmtHints[s.Type]; ok {
			e := r.unsupported(s.P, "%s", h[0])
			if h[1] != "" {
				e.WithHint("%s", h[1])
			}
		} else {
			r.unsupported(s.P, "the %s statement is not supported", s.Type)
		}
	}
}

func (r *resolver) target(t pyast.Expr) {
	switch t := t.(type) {
	case *pyast.Name:
	case *pyast.Tuple:
		for _, e := range t.Elts {
			r.target(e)
		}
	case *pyast.Subscript:
		r.expr(t.Value)
		r.expr(t.Index)
	case *pyast.Attribute:
		// obj.x = v: the type checker allows numeric attributes of objects
		// passed in (types/objects.go).
		r.expr(t.Value)
	case *pyast.Starred:
		// a, *rest = t: rest takes a list of the middle items of a tuple
		// (types.unpackStar).
		if _, ok := t.Value.(*pyast.Name); !ok {
			r.unsupported(t.P, "a starred assignment target must be a name")
		}
	default:
		r.unsupported(t.Position(), "cannot assign to this expression")
	}
}

// libraryCallee reports whether callee names a library function (an
// attribute of an imported module, or a name imported from one) rather than
// one of the program's own functions.
func (r *resolver) libraryCallee(callee pyast.Expr) bool {
	root := callee
	for {
		a, ok := root.(*pyast.Attribute)
		if !ok {
			break
		}
		root = a.Value
	}
	n, ok := root.(*pyast.Name)
	if !ok {
		return false
	}
	k, g := r.f.Lookup(n.ID)
	if k != GlobalName || g == nil {
		return false
	}
	if root == callee {
		return g.Kind == "builtin"
	}
	return g.Kind == "module"
}

// StringKeys reports a dict display whose keys are all string constants
// (f(**{"k": v}) spells keywords).
func StringKeys(d *pyast.Dict) bool {
	for _, k := range d.Keys {
		c, ok := k.(*pyast.Constant)
		if !ok || c.Kind != pyast.ConstStr {
			return false
		}
	}
	return true
}

// kwargsKey reports a string constant key used on the function's **kwargs
// parameter (kw.get("k"), kw["k"], "k" in kw): the type checker decides
// such uses when compiling (types/kwargs.go).
func (r *resolver) kwargsKey(dict, key pyast.Expr) bool {
	n, ok := dict.(*pyast.Name)
	k, isConst := key.(*pyast.Constant)
	def := r.f.Def
	return ok && isConst && k.Kind == pyast.ConstStr && def.Kwarg && n.ID == def.Params[len(def.Params)-1].Name
}

// pythonBuiltins are the names CPython's builtins module defines for
// programs; those sejit does not compile are refused as unsupported
// rather than as undefined names.
var pythonBuiltins = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr
		classmethod compile complex delattr dict dir divmod enumerate eval exec filter float format frozenset
		getattr globals hasattr hash help hex id input int isinstance issubclass iter len list locals map max
		memoryview min next object oct open ord pow print property range repr reversed round set setattr slice
		sorted staticmethod str sum super tuple type vars zip __import__`) {
		pythonBuiltins[n] = true
	}
}

// builtinHints say what to write instead of an unsupported builtin.
var builtinHints = map[string]string{
	"map":    "write a list comprehension: [f(x) for x in xs]",
	"filter": "write a list comprehension: [x for x in xs if f(x)]",
	"iter":   "iterate with a for loop",
	"next":   "iterate with a for loop",
	"str":    "str() of a number compiles inside print(), f-strings and raise messages, where it folds; other run-time strings are not compiled",
}

func (r *resolver) expr(e pyast.Expr) {
	switch e := e.(type) {
	case *pyast.Name:
		if r.caughtName(e) {
			return
		}
		r.usedBeforeDef(e)
		if k, _ := r.f.Lookup(e.ID); k == Undefined && pythonBuiltins[e.ID] {
			// CPython defines it, so "not defined" would mislead: say that
			// sejit does not compile it.
			err := diag.Errorf(r.f.Pos(e.P), diag.Unsupported, "the builtin '%s' is not supported in compiled code", e.ID)
			if h, ok := builtinHints[e.ID]; ok {
				err.WithHint("%s", h)
			}
			r.errs.Add(err)
		} else if k == Undefined {
			err := diag.Errorf(r.f.Pos(e.P), diag.Name, "name '%s' is not defined", e.ID)
			if s := r.suggest(e.ID); s != "" {
				err.WithHint("did you mean '%s'?", s)
			}
			r.errs.Add(err)
		}
	case *pyast.Constant:
		switch e.Kind {
		case pyast.ConstStr:
			if name, ok := r.f.StrArgs[e]; ok {
				err := diag.Errorf(r.f.Pos(e.P), diag.Type, "the argument '%s' is a str, used here as a value", name).
					WithHint("a str argument is a compile-time constant: compare it with strings (mode == \"linear\"), take its len() or characters, or print it")
				r.errs.Add(err)
				break
			}
			if r.f.StrValues == nil {
				r.f.StrValues = map[*pyast.Constant]bool{}
			}
			r.f.StrValues[e] = true
		case pyast.ConstBytes:
			r.unsupported(e.P, "bytes are not supported")
		}
	case *pyast.BinOp:
		r.expr(e.Left)
		r.expr(e.Right)
	case *pyast.UnaryOp:
		r.expr(e.Operand)
	case *pyast.BoolOp:
		for _, v := range e.Values {
			r.expr(v)
		}
	case *pyast.Compare:
		if len(e.Ops) != 1 || (e.Ops[0] != "In" && e.Ops[0] != "NotIn") || !r.kwargsKey(e.Comparators[0], e.Left) {
			r.expr(e.Left)
		}
		for _, c := range e.Comparators {
			r.expr(c)
		}
	case *pyast.IfExp:
		r.expr(e.Test)
		r.expr(e.Body)
		r.expr(e.Orelse)
	case *pyast.Call:
		if r.isinstance(e) { // isinstance.go
			return
		}
		r.expr(e.Func)
		r.outOutOfPlace(e) // ufunc_out.go
		r.shapeLists(e)    // shape_list.go
		for i, a := range e.Args {
			if dtypeString(e, a, "") || OptionString(e, a) && r.libraryCallee(e.Func) {
				continue
			}
			if f, ok := e.Func.(*pyast.Attribute); ok && i == 0 && f.Attr == "get" && r.kwargsKey(f.Value, a) {
				continue
			}
			if st, ok := a.(*pyast.Starred); ok {
				// f(*args): the type checker expands a tuple into a compiled
				// function's arguments (types.userCall).
				r.expr(st.Value)
				continue
			}
			r.expr(a)
		}
		for _, k := range e.Keywords {
			if k.Name == "" {
				// f(**kw) of a **kwargs parameter, or f(**{"k": v}): the type
				// checker expands them into keywords (types/kwargs.go).
				switch v := k.Value.(type) {
				case *pyast.Name:
					r.expr(v)
				case *pyast.Dict:
					if !StringKeys(v) {
						r.unsupported(k.P, "**kwargs in calls are not supported here").
							WithHint("unpack a **kwargs parameter or a dict display with string keys: f(**{\"scale\": 2.0})")
						continue
					}
					for _, x := range v.Values {
						r.expr(x)
					}
				default:
					r.unsupported(k.P, "**kwargs in calls are not supported here").
						WithHint("unpack a **kwargs parameter or a dict display with string keys: f(**{\"scale\": 2.0})")
				}
				continue
			}
			if dtypeString(e, k.Value, k.Name) {
				continue
			}
			if c, ok := k.Value.(*pyast.Constant); ok && c.Kind == pyast.ConstStr {
				// A string option of a NumPy function (side="right"):
				// the type checker decides where one is allowed.
				continue
			}
			r.expr(k.Value)
		}
	case *pyast.Attribute:
		r.expr(e.Value)
	case *pyast.Subscript:
		r.expr(e.Value)
		if !r.kwargsKey(e.Value, e.Index) {
			r.expr(e.Index)
		}
	case *pyast.Slice:
		for _, x := range []pyast.Expr{e.Lower, e.Upper, e.Step} {
			if x != nil {
				r.expr(x)
			}
		}
	case *pyast.Tuple:
		for _, x := range e.Elts {
			r.expr(x)
		}
	case *pyast.JoinedStr:
		// An f-string as a value: a run-time string (types/strings.go).
		r.fstring(e)
	case *pyast.List:
		for _, x := range e.Elts {
			r.expr(x)
		}
	case *pyast.Set:
		for _, x := range e.Elts {
			r.expr(x)
		}
	case *pyast.Dict:
		for _, x := range append(append([]pyast.Expr{}, e.Keys...), e.Values...) {
			r.expr(x)
		}
	case *pyast.Starred:
		r.unsupported(e.P, "star-arguments (*args) are not supported").WithHint("pass each argument explicitly")
	case *pyast.Lambda:
		// Resolved as a function of its own by nested().
	case *pyast.Yield:
		// A yield the generator inliner (generators.go) did not consume: the
		// compiled function itself is a generator, or a yield is a value.
		h := exprHints["Yield"]
		r.unsupported(e.P, "%s", h[0]).WithHint("%s", h[1])
	case *pyast.ListComp, *pyast.GeneratorExp, *pyast.DictComp, *pyast.SetComp:
		r.comp(e)
	case *pyast.UnsupportedExpr:
		if h, ok := exprHints[e.Type]; ok {
			err := r.unsupported(e.P, "%s", h[0])
			if h[1] != "" {
				err.WithHint("%s", h[1])
			}
		} else {
			r.unsupported(e.P, "the %s expression is not supported", e.Type)
		}
	}
}

// suggest finds a known name close to a misspelled one.
func (r *resolver) suggest(name string) string {
	// Locals first, then globals, then builtins: on a tie, the nearer
	// scope is the likelier meaning.
	var cands []string
	for _, group := range []map[string]bool{r.f.Locals, keys(r.f.Globals), Builtins} {
		var g []string
		for n := range group {
			if pyast.SourceName(n) != n {
				continue // a comprehension's variable
			}
			g = append(g, n)
		}
		sort.Strings(g)
		cands = append(cands, g...)
	}
	return Closest(name, cands)
}

func keys(m map[string]*Global) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// Closest returns the candidate nearest to name, if it is near enough to
// be a plausible typo: at most a third of the name's letters wrong (and
// never more than 3). Candidates earlier in the list win ties.
func Closest(name string, cands []string) string {
	limit := len(name) / 3
	if limit < 1 {
		limit = 1
	}
	if limit > 3 {
		limit = 3
	}
	best, bestD := "", limit+1
	for _, c := range cands {
		if d := editDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbouring letters cost 1.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := 0; j <= len(b); j++ {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
