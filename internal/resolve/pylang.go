package resolve

// The Python-language step (issue 3): raise statements, default parameter
// values, nested functions, lambdas and the outer variables they read.
//
// A nested function (a def inside a compiled function, or a lambda) becomes
// a Func of its own whose Outer is the function defining it. The outer
// variables it reads are its captures: hidden parameters after its declared
// ones, passed the variables' current values at every call. That is
// Python's late binding exactly, as long as the nested function only reads
// them; variables it writes (`nonlocal`) live in cells (nonlocal.go).

import (
	"fmt"
	"sort"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// Exceptions are the builtin exception types a compiled function may raise,
// with the runtime's error code for each (sejit_abi.h's SEJIT_ERR_*).
var Exceptions = map[string]int{
	"ZeroDivisionError": 1, "IndexError": 2, "ValueError": 3, "MemoryError": 4, "TypeError": 5,
	"AssertionError": 6, "RuntimeError": 7, "OverflowError": 8, "KeyError": 9,
	"NotImplementedError": 10, "ArithmeticError": 11, "LookupError": 12, "FloatingPointError": 13,
	"Exception": 14,
}

func init() {
	for name := range Exceptions {
		Builtins[name] = true
	}
	for _, e := range library.Entries() {
		if e.Module() == "builtins" {
			Builtins[e.Short()] = true
		}
	}
}

// nest is what a Func knows about the functions around and inside it.
type nest struct {
	Outer     *Func                   // the function this one is defined in; nil at module level
	Captures  []string                // outer variables read here: the hidden trailing parameters
	NDeclared int                     // the declared parameters (Params without Captures)
	Lambdas   map[*pyast.Lambda]*Func // lambdas written as expressions here
	// DefaultExprs holds the default of each of the last len(DefaultExprs)
	// declared parameters, as an expression of constants; nil where the
	// value is not one compiled code can use.
	DefaultExprs []pyast.Expr
	DefaultTypes []string // for a nil DefaultExprs entry, the value's Python type
	// KwDefaultExprs and KwDefaultTypes are the same for the keyword-only
	// parameters, one entry each; HasKwDefault tells which have a default.
	KwDefaultExprs []pyast.Expr
	KwDefaultTypes []string
	HasKwDefault   []bool

	// Nonlocals are the names this function declares nonlocal, with the
	// statement's position; Cells the variables of this function that
	// nested functions write (nonlocal.go).
	Nonlocals map[string]pyast.Pos
	Cells     map[string]bool

	nested   map[string]*Func // nested functions by the name they are bound to
	defPos   pyast.Pos        // where this nested function is defined
	pending  []pendingDef
	children []*Func
}

type pendingDef struct {
	name string
	def  *pyast.FunctionDef
	pos  pyast.Pos
}

// NestedFunc is the nested function name refers to in f (defined in f or
// in a function around it), or nil.
func (f *Func) NestedFunc(name string) *Func {
	for g := f; g != nil; g = g.Outer {
		if n := g.nested[name]; n != nil {
			return n
		}
		if g != f && g.Locals[name] {
			return nil // shadowed by a variable of an enclosing function
		}
	}
	return nil
}

// AllNested lists every function defined inside f, at any depth.
func (f *Func) AllNested() []*Func {
	var out []*Func
	for _, c := range f.children {
		out = append(out, c)
		out = append(out, c.AllNested()...)
	}
	return out
}

// LambdaAssign recognises `name = lambda ...:`, which binds a nested
// function like a def.
func LambdaAssign(s *pyast.Assign) (string, *pyast.Lambda) {
	if len(s.Targets) != 1 {
		return "", nil
	}
	n, ok := s.Targets[0].(*pyast.Name)
	lam, ok2 := s.Value.(*pyast.Lambda)
	if !ok || !ok2 {
		return "", nil
	}
	return n.ID, lam
}

func (r *resolver) bindNested(name string, def *pyast.FunctionDef, p pyast.Pos) {
	for _, d := range r.f.pending {
		if d.name == name {
			r.unsupported(p, "the nested function '%s' is defined more than once", name).
				WithHint("give each nested function its own name")
			return
		}
	}
	r.f.pending = append(r.f.pending, pendingDef{name, def, p})
}

// defaults appends the captures to the parameters and reads the defaults.
func (r *resolver) defaults() {
	f := r.f
	f.NDeclared = len(f.Params)
	for _, c := range f.Captures {
		f.Params = append(f.Params, c)
		f.Locals[c] = true
	}
	defs := f.Def.Defaults
	f.DefaultExprs = make([]pyast.Expr, len(defs))
	f.DefaultTypes = make([]string, len(defs))
	for i, d := range defs {
		if f.Outer == nil && len(f.Defaults) == len(defs) {
			// The value CPython computed when the def ran.
			f.DefaultExprs[i], f.DefaultTypes[i] = GlobalExpr(f.Defaults[i], d.Position(), false)
			continue
		}
		if constExpr(d) {
			f.DefaultExprs[i] = d
			continue
		}
		if f.Outer != nil {
			r.unsupported(d.Position(), "default values of nested functions must be constants").
				WithHint("pass the value as an argument, or read the outer variable inside the function")
		} else {
			f.DefaultTypes[i] = "non-constant expression"
		}
	}
	kw := f.Def.KwOnly()
	f.KwDefaultExprs = make([]pyast.Expr, len(kw))
	f.KwDefaultTypes = make([]string, len(kw))
	f.HasKwDefault = make([]bool, len(kw))
	for i, p := range kw {
		var d pyast.Expr
		if i < len(f.Def.KwDefaults) {
			d = f.Def.KwDefaults[i]
		}
		if d == nil {
			continue
		}
		f.HasKwDefault[i] = true
		if g := f.KwDefaults[p.Name]; f.Outer == nil && g != nil {
			f.KwDefaultExprs[i], f.KwDefaultTypes[i] = GlobalExpr(g, d.Position(), false)
			continue
		}
		if constExpr(d) {
			f.KwDefaultExprs[i] = d
			continue
		}
		if f.Outer != nil {
			r.unsupported(d.Position(), "default values of nested functions must be constants").
				WithHint("pass the value as an argument, or read the outer variable inside the function")
		} else {
			f.KwDefaultTypes[i] = "non-constant expression"
		}
	}
}

// GlobalExpr is a global's value as an expression of constants positioned
// at p, or nil and the value's type name. numeric refuses strings and bytes
// too (the items of a module-level tuple; a default may be a string option).
func GlobalExpr(g *Global, p pyast.Pos, numeric bool) (pyast.Expr, string) {
	switch g.Kind {
	case "const":
		if g.DType != "" {
			// A NumPy scalar keeps its dtype: np.float32(x) as a call.
			return nil, "NumPy scalar"
		}
		switch {
		case g.Const.Kind == pyast.ConstNone:
			return nil, "None"
		case numeric && (g.Const.Kind == pyast.ConstStr || g.Const.Kind == pyast.ConstBytes):
			return nil, "non-numeric constant"
		}
		k := *g.Const
		k.P = p
		return &k, ""
	case "tuple":
		t := &pyast.Tuple{}
		t.P = p
		for _, it := range g.Items {
			e, why := GlobalExpr(it, p, numeric)
			if e == nil {
				return nil, why
			}
			t.Elts = append(t.Elts, e)
		}
		return t, ""
	}
	if g.Type != "" {
		return nil, g.Type
	}
	return nil, g.Kind
}

// constExpr reports a literal number, a negated one, or a tuple of those.
func constExpr(e pyast.Expr) bool {
	switch e := e.(type) {
	case *pyast.Constant:
		switch e.Kind {
		case pyast.ConstInt, pyast.ConstFloat, pyast.ConstComplex, pyast.ConstBool:
			return true
		}
	case *pyast.UnaryOp:
		return (e.Op == "USub" || e.Op == "UAdd") && constExpr(e.Operand)
	case *pyast.Tuple:
		for _, x := range e.Elts {
			if !constExpr(x) {
				return false
			}
		}
		return true
	}
	return false
}

// nested makes a Func of every def and lambda in f's body and resolves it.
func (r *resolver) nested() {
	f := r.f
	f.nested = map[string]*Func{}
	f.Lambdas = map[*pyast.Lambda]*Func{}
	f.children = nil
	ids := map[string]int{}
	newChild := func(name string, def *pyast.FunctionDef) *Func {
		id := f.ID + "." + name
		if n := ids[id]; n > 0 {
			id = fmt.Sprintf("%s#%d", id, n)
		}
		ids[f.ID+"."+name]++
		c := &Func{ID: id, Def: def, File: f.File, Globals: f.Globals}
		c.Outer = f
		c.Captures = captures(def, f)
		return c
	}
	for _, d := range f.pending {
		if f.Locals[d.name] {
			r.unsupported(d.pos, "the name '%s' of a nested function is also assigned as a variable", d.name).
				WithHint("give the function and the variable different names")
			continue
		}
		c := newChild(d.name, d.def)
		c.defPos = d.pos
		f.nested[d.name] = c
		f.children = append(f.children, c)
	}
	// Lambdas written as expressions (passed as arguments, called at once).
	walkBody(f.Def.Body, func(lam *pyast.Lambda, assigned bool) {
		if assigned {
			return
		}
		c := newChild(fmt.Sprintf("lambda@%d:%d", lam.P.Line, lam.P.Col), lam.Def)
		f.Lambdas[lam] = c
		f.children = append(f.children, c)
	})
	// A function calling another nested function passes that one's
	// captures on, so it needs them too (to a fixed point: captures only
	// grow, and are bounded by f's variables).
	for changed := true; changed; {
		changed = false
		for _, c := range f.children {
			for name := range freeNames(c.Def) {
				callee := f.NestedFunc(name)
				if callee == nil || callee == c {
					continue
				}
				for _, v := range callee.Captures {
					if f.Locals[v] && !contains(c.Captures, v) {
						c.Captures = append(c.Captures, v)
						sort.Strings(c.Captures)
						changed = true
					}
				}
			}
		}
	}
	for _, c := range f.children {
		r.errs = append(r.errs, Resolve(c)...)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// walkBody calls visit for every lambda in body that belongs to this
// function (not those inside nested defs or other lambdas); assigned tells
// a `name = lambda` statement's own lambda.
func walkBody(body []pyast.Stmt, visit func(*pyast.Lambda, bool)) {
	var expr func(e pyast.Expr)
	expr = func(e pyast.Expr) {
		walkExpr(e, func(x pyast.Expr) bool {
			if lam, ok := x.(*pyast.Lambda); ok {
				visit(lam, false)
				return false
			}
			return true
		})
	}
	pyast.WalkStmts(body, func(s pyast.Stmt) bool {
		if a, ok := s.(*pyast.Assign); ok {
			if _, lam := LambdaAssign(a); lam != nil {
				visit(lam, true)
				return false
			}
		}
		if _, ok := s.(*pyast.FunctionDef); ok {
			return false
		}
		return true
	}, expr)
}

// walkExpr visits e and, while visit returns true, its operands.
func walkExpr(e pyast.Expr, visit func(pyast.Expr) bool) { pyast.WalkExpr(e, visit) }

// captures lists, sorted, the variables of outer that def reads.
func captures(def *pyast.FunctionDef, outer *Func) []string {
	var out []string
	for name := range freeNames(def) {
		if outer.Locals[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// freeNames are the names def reads without binding them itself, its
// nested functions' free names included.
func freeNames(def *pyast.FunctionDef) map[string]bool {
	bound := map[string]bool{}
	for _, p := range def.Params {
		bound[p.Name] = true
	}
	read := map[string]bool{}
	var target func(e pyast.Expr)
	target = func(e pyast.Expr) {
		switch e := e.(type) {
		case *pyast.Name:
			bound[e.ID] = true
		case *pyast.Tuple:
			for _, x := range e.Elts {
				target(x)
			}
		}
	}
	inner := func(d *pyast.FunctionDef) {
		for n := range freeNames(d) {
			read[n] = true
		}
		for _, x := range d.Defaults {
			walkExpr(x, func(y pyast.Expr) bool {
				if n, ok := y.(*pyast.Name); ok {
					read[n.ID] = true
				}
				return true
			})
		}
	}
	expr := func(e pyast.Expr) {
		walkExpr(e, func(x pyast.Expr) bool {
			switch x := x.(type) {
			case *pyast.Name:
				read[x.ID] = true
			case *pyast.Lambda:
				inner(x.Def)
				return false
			default:
				if _, gens, ok := pyast.Comp(x); ok {
					for _, g := range gens {
						target(g.Target)
					}
				}
			}
			return true
		})
	}
	pyast.WalkStmts(def.Body, func(s pyast.Stmt) bool {
		for _, t := range pyast.StoreTargets(s) {
			target(t)
		}
		switch s := s.(type) {
		case *pyast.FunctionDef:
			bound[s.Name] = true
			inner(s)
			return false
		}
		return true
	}, expr)
	for n := range bound {
		delete(read, n)
	}
	// A nonlocal variable is the enclosing function's, assigned or not.
	for n := range nonlocals(def) {
		read[n] = true
	}
	return read
}

// usedBeforeDef reports a reference, in the function defining it, to a
// nested function written before its definition: CPython would find the
// name unbound there (a loop may make such a reference valid on a later
// iteration; sejit rejects it all the same, never computing instead).
func (r *resolver) usedBeforeDef(e *pyast.Name) {
	n := r.f.nested[e.ID]
	if n == nil || r.f.Locals[e.ID] {
		return
	}
	if e.P.Line < n.defPos.Line || e.P.Line == n.defPos.Line && e.P.Col < n.defPos.Col {
		err := diag.Errorf(r.f.Pos(e.P), diag.Name, "the nested function '%s' is used before its definition", e.ID)
		err.WithHint("define it (def or lambda) before the first statement that uses it")
		r.errs.Add(err)
	}
}

// raise checks `raise E` and `raise E("message")`.
func (r *resolver) raise(s *pyast.Raise) {
	if s.Exc == nil {
		r.unsupported(s.P, "a bare raise (re-raising) is not supported").
			WithHint("raise a builtin exception such as ValueError(\"...\")")
		return
	}
	r.cause(s)
	exc := s.Exc
	var args []pyast.Expr
	if c, ok := exc.(*pyast.Call); ok {
		exc, args = c.Func, c.Args
		if len(c.Keywords) > 0 {
			r.unsupported(c.Keywords[0].P, "keyword arguments to an exception are not supported")
		}
	}
	if _, ok := RaisedException(r.f, exc); !ok {
		r.unsupported(exc.Position(), "only builtin exception types can be raised in compiled code").
			WithHint("raise ValueError, TypeError, IndexError, ZeroDivisionError, RuntimeError, ... with a constant message")
		return
	}
	if len(args) > 1 {
		r.unsupported(args[1].Position(), "an exception raised in compiled code takes at most one argument")
	}
	if len(args) == 1 {
		if j, ok := args[0].(*pyast.JoinedStr); ok {
			r.fstring(j)
		} else if r.caughtRef(args[0]) {
			// raise ValueError(e): the message is str(e)
		} else if _, ok := KeyErrorKey(r.f, s); ok {
			r.expr(args[0]) // raise KeyError(k): the key, typed later
		} else if k, ok := args[0].(*pyast.Constant); !ok || k.Kind != pyast.ConstStr {
			r.unsupported(args[0].Position(), "the message of a raised exception must be a string constant or an f-string").
				WithHint("format messages outside the compiled function")
		}
	}
}

// cause checks the from clause of a raise: `from None` compiles, as a
// raise without it (compiled code raises to Python with no exception being
// handled there, so there is no context to suppress, and the traceback
// reads the same); `from e` is refused, since the caught exception is not a
// Python object compiled code could attach as __cause__.
func (r *resolver) cause(s *pyast.Raise) {
	if s.Cause == nil {
		return
	}
	if k, ok := s.Cause.(*pyast.Constant); ok && k.Kind == pyast.ConstNone {
		return
	}
	r.unsupported(s.Cause.Position(), "raise ... from a cause is not supported (compiled code cannot attach one)").
		WithHint("raise ... from None, or raise without a cause and put the cause's text in the message: raise ValueError(f\"...: {e}\")")
}

// RaisedException is the runtime error code of the exception type exc
// names in f, if it names a builtin one.
func RaisedException(f *Func, exc pyast.Expr) (int, bool) {
	n, ok := exc.(*pyast.Name)
	if !ok {
		return 0, false
	}
	if k, _ := f.Lookup(n.ID); k != BuiltinName {
		return 0, false
	}
	code, ok := Exceptions[n.ID]
	return code, ok
}

// KeyErrorKey is the key of `raise KeyError(key)` where key is not a string
// constant, an f-string or a caught exception: a number or a string the
// runtime raises as the key object, as a dict's missing key is, so that
// args and str() are CPython's ((5,) and '5'). Other exceptions keep a
// message: ValueError(5) would need args (5,), not ('5',).
func KeyErrorKey(f *Func, s *pyast.Raise) (pyast.Expr, bool) {
	c, ok := s.Exc.(*pyast.Call)
	if !ok || len(c.Args) != 1 || len(c.Keywords) > 0 {
		return nil, false
	}
	if n, ok := c.Func.(*pyast.Name); !ok || n.ID != "KeyError" {
		return nil, false
	}
	if code, ok := RaisedException(f, c.Func); !ok || code != Exceptions["KeyError"] {
		return nil, false
	}
	switch a := c.Args[0].(type) {
	case *pyast.JoinedStr:
		return nil, false
	case *pyast.Constant:
		if a.Kind == pyast.ConstStr {
			return nil, false
		}
	}
	if _, _, caught := CaughtRef(f, c.Args[0]); caught {
		return nil, false
	}
	return c.Args[0], true
}

// RaiseMessage is the constant message of a raise statement ("" for none).
func RaiseMessage(s *pyast.Raise) string {
	if c, ok := s.Exc.(*pyast.Call); ok && len(c.Args) == 1 {
		if text, ok := ConstString(c.Args[0]); ok {
			return text
		}
	}
	return ""
}
