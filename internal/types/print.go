package types

// print() statements and f-strings (issue 14): their values are numbers
// (Python or NumPy scalars), arrays and tuples of them; strings are
// constants (resolve/print.go).

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// printStmt types a print() statement, or a raise whose message is an
// f-string; false for any other statement.
func (c *checker) printStmt(s pyast.Stmt) bool {
	if call, ok := resolve.PrintCall(c.spec.Func, s); ok {
		for _, a := range call.Args {
			c.printArg(a)
		}
		c.info().Types[call] = NoneT
		return true
	}
	if r, ok := s.(*pyast.Raise); ok {
		if key, ok := resolve.KeyErrorKey(c.spec.Func, r); ok {
			if t := c.expr(key); !t.IsUnknown() && t.Kind != Str && (t.Kind != Scalar || t.DType.IsComplex()) {
				c.errorf(key.Position(), diag.Unsupported, "raise KeyError(key) takes a number or a string key here, not a %s", t).
					WithHint("raise KeyError(f\"...\") with a message")
			}
			return false
		}
		if call, ok := r.Exc.(*pyast.Call); ok && len(call.Args) == 1 {
			if j, ok := call.Args[0].(*pyast.JoinedStr); ok {
				c.fstring(j)
			}
		}
	}
	return false
}

func (c *checker) printArg(a pyast.Expr) {
	if _, _, ok := resolve.CaughtRef(c.spec.Func, a); ok {
		return // a caught exception, formatted by the runtime
	}
	if _, ok := resolve.ConstString(a); ok {
		if j, ok := a.(*pyast.JoinedStr); ok {
			c.fstring(j)
		}
		return
	}
	switch a := a.(type) {
	case *pyast.JoinedStr:
		c.fstring(a)
		return
	case *pyast.Tuple:
		for _, x := range a.Elts {
			c.printArg(x)
		}
		return
	}
	t := c.expr(a)
	if !printable(t) && !t.IsUnknown() {
		c.errorf(a.Position(), diag.Unsupported, "print() of a %s is not supported", t).
			WithHint("print numbers, arrays, strings, tuples of them and lists of numbers, tuples or lists of numbers")
	}
}

// printable reports whether a value of type t can be handed to the
// runtime's print hook.
func printable(t *Type) bool {
	switch {
	case t.Kind == Scalar, t.Kind == Array, t.Kind == Str:
		return true
	case t.Kind == List:
		return printableList(t)
	case t.Kind == Tuple && t.Class == "":
		for _, e := range t.Elems {
			if !printable(e) {
				return false
			}
		}
		return true
	}
	return false
}

// fstring types an f-string's fields: numbers, or arrays without a spec.
func (c *checker) fstring(j *pyast.JoinedStr) {
	for _, v := range j.Values {
		fv, ok := v.(*pyast.FormattedValue)
		if !ok {
			continue
		}
		if _, ok := resolve.ConstString(fv.Value); ok {
			continue
		}
		if _, _, ok := resolve.CaughtRef(c.spec.Func, fv.Value); ok {
			continue
		}
		t := c.expr(fv.Value)
		switch {
		case t.IsUnknown(), t.Kind == Scalar, t.Kind == Str:
		case t.Kind == Array && fv.Spec == nil:
		case t.Kind == List && printableList(t):
		default:
			c.errorf(fv.Value.Position(), diag.Unsupported, "an f-string field of a %s is not supported", t).
				WithHint("format numbers, or arrays without a format spec")
		}
	}
}

// printableList reports whether a list of type t can be printed (and
// formatted, str()): its items numbers, tuples of numbers, rows of
// numbers or arrays (lower.printList), or never typed (an empty display).
func printableList(t *Type) bool {
	el := t.Elem()
	switch {
	case el.IsUnknown(), el.Kind == Scalar:
		return true
	case el.Kind == Tuple && el.Class == "":
		for _, x := range el.Elems {
			if x.Kind != Scalar {
				return false
			}
		}
		return true
	case el.Kind == List:
		return el.Elem().Kind == Scalar
	case el.Kind == Array:
		return true // each item printed as a copy of its array
	}
	return false
}
