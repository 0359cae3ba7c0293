package types

// Run-time strings (issue 14). A value of type str is a sequence of
// Unicode code points whose text is known only when the kernel runs: a str
// argument (python/sejit/_objects.py sends long ones, and short ones that
// the compile-time path of resolve/strfold.go cannot fold, as data), a
// string constant used as a value, or what the str methods, `+`, indexing
// and chr() compute. Lowering (lower/strings.go) holds one as a 1-D uint32
// array of its code points, so len() and indexing count code points as
// CPython does. A list of strings is list(str) (lists.go allows str items
// for displays, append, comprehensions, indexing, iteration and len; its
// other operations are refused here).
//
// The methods are the library's StrMethod entries ("str.split"); this file
// types each by name and refuses every other method of a str with a
// positioned error.

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// StrT is the type of run-time strings.
var StrT = &Type{Kind: Str}

// IsStr reports a run-time string.
func (t *Type) IsStr() bool { return t.Kind == Str }

// IsStrList reports a list of run-time strings.
func (t *Type) IsStrList() bool { return t.Kind == List && t.Elem().Kind == Str }

// strAttr types s.name: a method of the library's str entries.
func (c *checker) strAttr(e *pyast.Attribute, vt *Type) *Type {
	if library.Callable("str", e.Attr).Is(library.StrMethod) {
		return &Type{Kind: Builtin, Name: "str." + e.Attr, Elems: []*Type{vt}}
	}
	c.errorf(e.P, diag.Unsupported, "the str method '%s' is not supported", e.Attr).
		WithHint("sejit compiles %s of run-time strings", strings.Join(library.Names("str", library.StrMethod), " "))
	return UnknownT
}

func isStrArg(t *Type) bool { return t.Kind == Str }

// strCall types the calls that take or give run-time strings: the str
// methods, len, float, int, ord and chr of a str, and len of a list of
// strings; ok is false for other calls.
func (c *checker) strCall(e *pyast.Call, ft *Type) (*Type, bool) {
	if ft.Kind != Builtin {
		return nil, false
	}
	if name, ok := strings.CutPrefix(ft.Name, "str."); ok {
		return c.strMethod(e, name), true
	}
	switch ft.Name {
	case "builtins.len", "builtins.float", "builtins.int", "builtins.ord", "builtins.chr":
	default:
		return nil, false
	}
	if len(e.Args) != 1 || len(e.Keywords) > 0 {
		if ft.Name == "builtins.ord" || ft.Name == "builtins.chr" {
			c.errorf(e.P, diag.Type, "%s() takes exactly one argument (%d given)", ft.Name[len("builtins."):], len(e.Args))
			return UnknownT, true
		}
		return nil, false
	}
	t := c.expr(e.Args[0])
	if t.IsUnknown() {
		return UnknownT, true
	}
	switch ft.Name {
	case "builtins.len":
		if t.Kind == Str || t.IsStrList() {
			return Int, true
		}
	case "builtins.float":
		if t.Kind == Str {
			return Float, true
		}
	case "builtins.int":
		if t.Kind == Str {
			return Int, true
		}
	case "builtins.ord":
		if t.Kind == Str {
			return Int, true
		}
		c.errorf(e.Args[0].Position(), diag.Type, "ord() expected string of length 1, but %s found", t)
		return UnknownT, true
	case "builtins.chr":
		if isIntLike(t) && t.DType != Bool || t.Kind == Scalar && t.Weak && t.DType == Bool {
			return StrT, true
		}
		c.errorf(e.Args[0].Position(), diag.Type, "chr() takes an integer, not %s", t)
		return UnknownT, true
	}
	return nil, false
}

// strMethod types recv.name(args) for a str receiver.
func (c *checker) strMethod(e *pyast.Call, name string) *Type {
	ent := library.Callable("str", name)
	args := make([]*Type, len(e.Args))
	for i, a := range e.Args {
		args[i] = c.expr(a)
		if args[i].IsUnknown() {
			return UnknownT
		}
	}
	kw := map[string]*Type{}
	for _, k := range e.Keywords {
		ok := false
		for _, w := range ent.Keywords {
			ok = ok || w == k.Name
		}
		if !ok {
			c.errorf(k.P, diag.Type, "str.%s() got an unexpected keyword argument '%s'", name, k.Name)
			return UnknownT
		}
		kw[k.Name] = c.expr(k.Value)
		if kw[k.Name].IsUnknown() {
			return UnknownT
		}
	}
	if merged, ok := mergeParams(ent.Params, args, kw); ok {
		args = merged
	} else {
		c.errorf(e.P, diag.Type, "str.%s(): a keyword argument repeats a positional one", name)
		return UnknownT
	}
	if len(args) < ent.MinArgs || len(args) > ent.MaxArgs {
		c.errorf(e.P, diag.Type, "str.%s() takes %d to %d arguments (%d given)", name, ent.MinArgs, ent.MaxArgs, len(args))
		return UnknownT
	}
	pos := func(i int) pyast.Pos { return argPos(e, i) }
	wantStr := func(i int, noneOK bool) bool {
		if args[i].Kind == Str || noneOK && args[i].Kind == None {
			return true
		}
		c.errorf(pos(i), diag.Type, "str.%s() argument %d must be str, not %s", name, i+1, args[i])
		return false
	}
	wantInt := func(i int) bool {
		if isIntLike(args[i]) {
			return true
		}
		c.errorf(pos(i), diag.Type, "str.%s() argument %d must be an integer, not %s", name, i+1, args[i])
		return false
	}
	switch name {
	case "split":
		if len(args) >= 1 && !wantStr(0, true) || len(args) == 2 && !wantInt(1) {
			return UnknownT
		}
		if k, ok := e.Args, len(e.Args) > 0; ok {
			if s, isC := k[0].(*pyast.Constant); isC && s.Kind == pyast.ConstStr && s.Str == "" {
				c.errorf(s.P, diag.Value, "empty separator")
				return UnknownT
			}
		}
		return ListOf(StrT)
	case "strip", "lstrip", "rstrip":
		if len(args) == 1 && !wantStr(0, true) {
			return UnknownT
		}
		return StrT
	case "startswith", "endswith":
		if !wantStr(0, false) {
			return UnknownT
		}
		return BoolT
	case "find", "rfind", "count":
		if !wantStr(0, false) {
			return UnknownT
		}
		for i := 1; i < len(args); i++ {
			if !wantInt(i) {
				return UnknownT
			}
		}
		return Int
	case "replace":
		if !wantStr(0, false) || !wantStr(1, false) || len(args) == 3 && !wantInt(2) {
			return UnknownT
		}
		return StrT
	case "lower", "upper":
		return StrT
	case "isdigit", "isalpha", "isspace":
		return BoolT
	case "join":
		if !args[0].IsStrList() {
			c.errorf(pos(0), diag.Type, "str.join() takes a list of strings here, not %s", args[0]).
				WithHint("build a list of strings first (a comprehension of strings)")
			return UnknownT
		}
		return StrT
	}
	return UnknownT
}

// mergeParams appends keyword arguments to the positional ones in the
// order params names them; ok is false when one repeats a positional
// argument or leaves a gap.
func mergeParams(params []string, args []*Type, kw map[string]*Type) ([]*Type, bool) {
	if len(kw) == 0 {
		return args, true
	}
	out := append([]*Type{}, args...)
	used := 0
	for i, p := range params {
		v, ok := kw[p]
		switch {
		case i < len(args) && ok:
			return nil, false
		case i < len(args):
		case ok:
			if len(out) < i {
				// split(maxsplit=2): the parameters before it take their
				// defaults, which None stands for (lower/strings.go).
				for len(out) < i {
					out = append(out, NoneT)
				}
			}
			out = append(out, v)
			used++
		}
	}
	return out, used == len(kw)
}

// strBinop types s + t and s * n (n * s).
func (c *checker) strBinop(op string, l, r *Type, p pyast.Pos) *Type {
	isInt := func(t *Type) bool { return isIntLike(t) }
	switch {
	case op == "Add" && l.Kind == Str && r.Kind == Str:
		return StrT
	case op == "Mult" && l.Kind == Str && isInt(r), op == "Mult" && r.Kind == Str && isInt(l):
		return StrT
	}
	c.errorf(p, diag.Type, "unsupported operand types for %s: %s and %s", opSymbol(op), l, r)
	return UnknownT
}

// strCompare types one comparison with a str operand: ==, !=, <, <=, >,
// >= between strings, `in` and `not in` of a string in a string (a
// substring) or in a list of strings. nil after an error.
func (c *checker) strCompare(e *pyast.Compare, op string, l, r *Type) *Type {
	switch {
	case l.Kind == Str && r.Kind == Str:
		switch op {
		case "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "In", "NotIn":
			return BoolT
		}
	case l.Kind == Str && r.IsStrList() && (op == "In" || op == "NotIn"):
		return BoolT
	case l.Kind == Str && r.Kind == Tuple && !r.IsObject() && (op == "In" || op == "NotIn"):
		for _, x := range r.Elems {
			if x.Kind != Str {
				c.errorf(e.P, diag.Type, "`in` a tuple compares a str with strings only, not %s", x)
				return nil
			}
		}
		return BoolT
	case op == "Eq" || op == "NotEq":
		// A string is never equal to a number or an array in CPython, but
		// such a comparison is almost always a mistake here.
	}
	c.errorf(e.P, diag.Type, "cannot compare %s and %s with %s", l, r, strings.ToLower(op))
	return nil
}

// strIndex types s[i] (a 1-character string) and s[a:b] (step 1).
func (c *checker) strIndex(e *pyast.Subscript) *Type {
	if sl, ok := e.Index.(*pyast.Slice); ok {
		for _, x := range []pyast.Expr{sl.Lower, sl.Upper} {
			if x == nil {
				continue
			}
			if t := c.expr(x); !t.IsUnknown() && !(isIntLike(t) || t.Kind == None) {
				c.errorf(x.Position(), diag.Type, "slice indices must be integers or None, not %s", t)
				return UnknownT
			}
		}
		if sl.Step != nil {
			if k, ok := constIndex(sl.Step); !ok || k != 1 {
				c.errorf(sl.Step.Position(), diag.Unsupported, "slices of strings with a step are not supported").
					WithHint("loop over the characters instead")
				return UnknownT
			}
		}
		return StrT
	}
	t := c.expr(e.Index)
	if t.IsUnknown() {
		return UnknownT
	}
	if !isIntLike(t) {
		c.errorf(e.Index.Position(), diag.Type, "string indices must be integers, not %s", t)
		return UnknownT
	}
	return StrT
}
