package resolve

// print() statements and f-strings (issue 14). The kernel formats no text:
// print's arguments and an f-string's fields go to the runtime, which
// calls Python's own print() and format() (ir.Print). Strings are
// constants here: string literals, f-strings whose format specs are
// constant, and print's sep= and end=.

import "sejit/internal/pyast"

// PrintCall is the call of a print() statement: an expression statement
// calling the builtin print.
func PrintCall(f *Func, s pyast.Stmt) (*pyast.Call, bool) {
	es, ok := s.(*pyast.ExprStmt)
	if !ok {
		return nil, false
	}
	c, ok := es.Value.(*pyast.Call)
	if !ok {
		return nil, false
	}
	n, ok := c.Func.(*pyast.Name)
	if !ok || n.ID != "print" {
		return nil, false
	}
	if k, _ := f.Lookup("print"); k != BuiltinName {
		return nil, false
	}
	return c, true
}

// ConstString is the text of a string constant, or of an f-string without
// fields.
func ConstString(e pyast.Expr) (string, bool) {
	switch e := e.(type) {
	case *pyast.Constant:
		return e.Str, e.Kind == pyast.ConstStr
	case *pyast.JoinedStr:
		s := ""
		for _, v := range e.Values {
			t, ok := ConstString(v)
			if !ok {
				return "", false
			}
			s += t
		}
		return s, true
	}
	return "", false
}

// PrintKeywords are the keyword arguments of print() that compile.
var PrintKeywords = []string{"sep", "end"}

func (r *resolver) printCall(c *pyast.Call) {
	r.expr(c.Func)
	for _, a := range c.Args {
		r.printArg(a)
	}
	for _, k := range c.Keywords {
		switch k.Name {
		case "sep", "end":
			if kc, ok := k.Value.(*pyast.Constant); ok && kc.Kind == pyast.ConstNone {
				continue
			}
			if _, ok := ConstString(k.Value); !ok {
				r.unsupported(k.Value.Position(), "print()'s %s= must be a string constant", k.Name)
			}
		case "":
			r.unsupported(k.P, "**kwargs in calls are not supported")
		default:
			r.unsupported(k.P, "print()'s keyword argument '%s' is not supported", k.Name).
				WithHint("print to sys.stdout with sep= and end= only")
		}
	}
}

// printArg checks an argument of print(): a string constant, an f-string,
// a tuple of arguments, or a number or array expression.
func (r *resolver) printArg(a pyast.Expr) {
	if r.caughtRef(a) {
		return
	}
	switch a := a.(type) {
	case *pyast.Constant:
		if a.Kind == pyast.ConstStr {
			return
		}
	case *pyast.JoinedStr:
		r.fstring(a)
		return
	case *pyast.Tuple:
		for _, x := range a.Elts {
			r.printArg(x)
		}
		return
	case *pyast.Starred:
		r.unsupported(a.P, "print(*args) is not supported").WithHint("print the values one by one")
		return
	}
	r.expr(a)
}

// fstring checks an f-string: its fields must be numbers or arrays, their
// format specs constant.
func (r *resolver) fstring(j *pyast.JoinedStr) {
	for _, v := range j.Values {
		fv, ok := v.(*pyast.FormattedValue)
		if !ok {
			continue // a constant piece
		}
		if fv.Spec != nil {
			if _, ok := ConstString(fv.Spec); !ok {
				r.unsupported(fv.Spec.Position(), "a format spec with fields ({x:{width}}) is not supported").
					WithHint("write the width and precision as constants")
			}
		}
		if _, ok := ConstString(fv.Value); ok {
			continue
		}
		if r.caughtRef(fv.Value) {
			if _, conv, _ := CaughtRef(r.f, fv.Value); conv != 0 && fv.Conv != 0 && fv.Conv != 's' {
				r.unsupported(fv.P, "a conversion of str(e) or repr(e) in an f-string is not supported").
					WithHint("write {e!r} or {e}")
			}
			continue
		}
		r.expr(fv.Value)
	}
}
