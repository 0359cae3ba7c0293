package resolve

// try statements: which exceptions each except clause catches, and what
// the name bound by `except E as e` may be used for.
//
// Compiled code raises only the builtin exception types of Exceptions
// (and numpy.linalg.LinAlgError), each as an error code. An except clause
// therefore becomes the set of codes it catches, worked out here from
// CPython's class hierarchy: `except ArithmeticError` catches
// ZeroDivisionError, OverflowError and FloatingPointError, `except
// LookupError` IndexError and KeyError, `except Exception` (and a bare
// `except:`) all of them. A clause naming a class compiled code cannot
// raise (a user's class, OSError) is refused, since its name is not
// something sejit can test for.
//
// A caught exception is not a value compiled code holds: it stays what
// the runtime knows (a code and a message), and `e` may only be printed,
// formatted or raised again — print(e), str(e) and repr(e) as print
// arguments or raised messages, {e} in an f-string, `raise e` and a bare
// `raise`. The runtime builds the Python exception object from the code
// and message to format it, so the text is CPython's (a KeyError's key
// shown by repr, say). Every other use is a positioned error.

import (
	"sort"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// LinAlgErrorCode is the runtime's code for numpy.linalg.LinAlgError.
const LinAlgErrorCode = 16

// InterruptCode is the runtime's code for an interrupted kernel (Ctrl-C):
// a KeyboardInterrupt, which no except clause of compiled code catches,
// though finally clauses run on the way out.
const InterruptCode = 15

// excBase is each exception class's base class, as in CPython.
var excBase = map[string]string{
	"ZeroDivisionError": "ArithmeticError", "OverflowError": "ArithmeticError", "FloatingPointError": "ArithmeticError",
	"ArithmeticError": "Exception", "IndexError": "LookupError", "KeyError": "LookupError", "LookupError": "Exception",
	"ValueError": "Exception", "MemoryError": "Exception", "TypeError": "Exception", "AssertionError": "Exception",
	"RuntimeError": "Exception", "NotImplementedError": "RuntimeError", "LinAlgError": "ValueError",
	"Exception": "BaseException",
}

// catchable are the classes an except clause may name.
func catchable(name string) bool { return name == "BaseException" || excBase[name] != "" }

// codeOf is the runtime code of each class compiled code raises.
func codeOf(name string) int {
	if name == "LinAlgError" {
		return LinAlgErrorCode
	}
	return Exceptions[name]
}

// CaughtCodes is the sorted set of runtime codes that an except clause
// naming classes catches (all of them for none: a bare except).
func CaughtCodes(classes []string) []int {
	var codes []int
	for name := range excBase {
		for c := name; c != ""; c = excBase[c] {
			if len(classes) == 0 || contains(classes, c) || contains(classes, "BaseException") {
				codes = append(codes, codeOf(name))
				break
			}
		}
	}
	sort.Ints(codes)
	return codes
}

// HandlerClasses lists the classes an except clause names (none for a
// bare except); bad is the first part naming something else.
func HandlerClasses(f *Func, h *pyast.ExceptHandler) (names []string, bad pyast.Expr) {
	if h.Type == nil {
		return nil, nil
	}
	elts := []pyast.Expr{h.Type}
	if t, ok := h.Type.(*pyast.Tuple); ok {
		elts = t.Elts
	}
	for _, e := range elts {
		if isLinAlgError(f, e) {
			names = append(names, "LinAlgError")
			continue
		}
		n, ok := e.(*pyast.Name)
		if !ok || !catchable(n.ID) || n.ID == "LinAlgError" {
			return nil, e
		}
		if k, _ := f.Lookup(n.ID); k != BuiltinName && n.ID != "BaseException" {
			return nil, e
		}
		names = append(names, n.ID)
	}
	return names, nil
}

// isLinAlgError reports numpy.linalg.LinAlgError written as np.linalg.LinAlgError.
func isLinAlgError(f *Func, e pyast.Expr) bool {
	a, ok := e.(*pyast.Attribute)
	if !ok || a.Attr != "LinAlgError" {
		return false
	}
	la, ok := a.Value.(*pyast.Attribute)
	if !ok || la.Attr != "linalg" {
		return false
	}
	m, ok := la.Value.(*pyast.Name)
	if !ok {
		return false
	}
	k, g := f.Lookup(m.ID)
	return k == GlobalName && g != nil && g.Kind == "module" && g.Name == "numpy"
}

// Caught is what a function's try statements bind: the handler each
// reference to a caught exception names, and the handler a re-raise
// (`raise` or `raise e`) raises again.
type Caught struct {
	Refs    map[*pyast.Name]*pyast.ExceptHandler
	Reraise map[*pyast.Raise]*pyast.ExceptHandler
}

// CaughtRef recognizes a use of a caught exception that compiled code
// supports as a print argument, a field of an f-string or a raised
// message: e, str(e) or repr(e). conv is 0, 's' or 'r'.
func CaughtRef(f *Func, e pyast.Expr) (h *pyast.ExceptHandler, conv byte, ok bool) {
	if c, isCall := e.(*pyast.Call); isCall && len(c.Args) == 1 && len(c.Keywords) == 0 {
		if fn, isName := c.Func.(*pyast.Name); isName && (fn.ID == "str" || fn.ID == "repr") {
			if k, _ := f.Lookup(fn.ID); k == BuiltinName || k == Undefined {
				if h, _, ok := CaughtRef(f, c.Args[0]); ok {
					return h, fn.ID[0], true
				}
			}
		}
		return nil, 0, false
	}
	n, isName := e.(*pyast.Name)
	if !isName {
		return nil, 0, false
	}
	h, ok = f.Caught.Refs[n]
	return h, 0, ok
}

// tryStmt checks a try statement.
func (r *resolver) tryStmt(s *pyast.Try, loopDepth int) {
	r.stmts(s.Body, loopDepth)
	for _, h := range s.Handlers {
		if _, bad := HandlerClasses(r.f, h); bad != nil {
			r.unsupported(bad.Position(), "only builtin exception classes can be caught in compiled code").
				WithHint("catch ValueError, IndexError, KeyError, ZeroDivisionError, ArithmeticError, LookupError, Exception, ... or a tuple of them")
		}
		if h.Name != "" && r.f.Locals[h.Name] {
			r.unsupported(h.P, "the exception name '%s' is also a variable of the function", h.Name).
				WithHint("use another name after 'as'")
		}
		r.handlers = append(r.handlers, h)
		r.stmts(h.Body, loopDepth)
		r.handlers = r.handlers[:len(r.handlers)-1]
	}
	r.stmts(s.Orelse, loopDepth)
	r.stmts(s.Finalbody, loopDepth)
}

// activeHandler is the innermost enclosing handler binding name ("" for
// the innermost handler of all), or nil.
func (r *resolver) activeHandler(name string) *pyast.ExceptHandler {
	for i := len(r.handlers) - 1; i >= 0; i-- {
		if name == "" || r.handlers[i].Name == name {
			return r.handlers[i]
		}
	}
	return nil
}

// caughtRef records e as a supported use of a caught exception (see
// CaughtRef), reporting whether it is one.
func (r *resolver) caughtRef(e pyast.Expr) bool {
	switch e := e.(type) {
	case *pyast.Name:
		if r.f.Locals[e.ID] {
			return false
		}
		h := r.activeHandler(e.ID)
		if h == nil {
			return false
		}
		if r.f.Caught.Refs == nil {
			r.f.Caught.Refs = map[*pyast.Name]*pyast.ExceptHandler{}
		}
		r.f.Caught.Refs[e] = h
		return true
	case *pyast.Call:
		if _, _, ok := CaughtRef(r.f, e); ok {
			return true // recorded already
		}
		if len(e.Args) == 1 && len(e.Keywords) == 0 {
			if fn, ok := e.Func.(*pyast.Name); ok && (fn.ID == "str" || fn.ID == "repr") {
				if k, _ := r.f.Lookup(fn.ID); k == BuiltinName || k == Undefined {
					return r.caughtRef(e.Args[0])
				}
			}
		}
	}
	return false
}

// caughtName reports a caught exception's name used as a value, which
// compiled code cannot hold.
func (r *resolver) caughtName(e *pyast.Name) bool {
	if r.f.Locals[e.ID] || r.activeHandler(e.ID) == nil {
		return false
	}
	r.unsupported(e.P, "the caught exception '%s' can only be printed, formatted or raised again in compiled code", e.ID).
		WithHint("str(%s) and repr(%s) are its text as a string (CPython's); print(%s), or raise %s", e.ID, e.ID, e.ID, e.ID)
	return true
}

// reraise checks `raise` and `raise e`; false for other raise statements.
func (r *resolver) reraise(s *pyast.Raise) bool {
	name := ""
	if s.Exc != nil {
		n, ok := s.Exc.(*pyast.Name)
		if !ok || r.f.Locals[n.ID] || r.activeHandler(n.ID) == nil {
			return false
		}
		name = n.ID
	}
	h := r.activeHandler(name)
	if h == nil {
		e := diag.Errorf(r.f.Pos(s.P), diag.Unsupported, "a bare raise outside an except clause has no exception to raise again")
		e.WithHint("raise a builtin exception such as ValueError(\"...\")")
		r.errs.Add(e)
		return true
	}
	r.cause(s)
	if r.f.Caught.Reraise == nil {
		r.f.Caught.Reraise = map[*pyast.Raise]*pyast.ExceptHandler{}
	}
	r.f.Caught.Reraise[s] = h
	return true
}
