package types

// Typing of dicts and sets (issue 14). A dict is homogeneous: dict(K, V)
// with K a bool, integer (not uint64), float or str type and V a scalar or
// str type, each joined from what the function stores, like a list's
// element type (a str never joins a number: mixedKeys); a set is set(K).
// `{}`, `dict()` and `set()` start unknown and take their types from later
// stores, adds and setdefaults (the global fixed point). As lists, dicts
// and sets live in the variable they were built into: a second name and
// changing a dict while a for loop iterates over it are refused; passing
// one to another compiled function shares it (dict_calls.go), and the
// entry's result comes back to Python as a new dict or set. A set
// iterates in CPython's order (its hash table is reproduced, with
// CPython's own str hash under the process's key: lower/pyset.go).

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// DictOf returns the type of a dict from k to v.
func DictOf(k, v *Type) *Type { return &Type{Kind: Dict, Elems: []*Type{k, v}} }

// SetOf returns the type of a set of k.
func SetOf(k *Type) *Type { return &Type{Kind: Set, Elems: []*Type{k}} }

// Key is a dict's or a set's key type.
func (t *Type) Key() *Type { return t.Elems[0] }

// Value is a dict's value type.
func (t *Type) Value() *Type { return t.Elems[1] }

// IsHashed reports a dict or a set.
func (t *Type) IsHashed() bool { return t.Kind == Dict || t.Kind == Set }

// joinElem joins two key (or value) types so that every value of either
// is kept: unlike a variable's NEP 50 join, a Python int joined with
// np.int8 gives int64, not int8 (d[np.int8(1)] = 0 then d[300] = 0 must
// not store the key 44).
func joinElem(a, b *Type) (*Type, bool) {
	switch {
	case a.IsUnknown():
		return b, true
	case b.IsUnknown():
		return a, true
	case a.Kind == Scalar && b.Kind == Scalar:
		if a.Weak && b.Weak {
			return promoteScalars(a, b), true
		}
		return ScalarOf(Promote(a.DType, b.DType)), true
	case a.Kind == Str && b.Kind == Str:
		return a, true
	}
	return nil, false
}

// mixedKeys refuses, at at, joining a key (or value) of type t into one
// of type have when no type holds both (a str and a number): CPython's
// dict would hold both kinds, a compiled one holds one.
func (c *checker) mixedKeys(have, t *Type, at pyast.Pos, what string) bool {
	if _, ok := joinElem(have, t); ok {
		return false
	}
	c.errorf(at, diag.Unsupported, "a %s mixing %s and %s is not supported", what, keyKindName(have), keyKindName(t)).
		WithHint("keep one kind of keys and of values in each dict and set")
	return true
}

// keyKindName names a key's or value's kind for mixedKeys.
func keyKindName(t *Type) string {
	if t.Kind == Str {
		return "strings"
	}
	return "numbers (" + t.String() + ")"
}

// lookupOK refuses looking up a key of type kt in the dict or set dt whose
// keys are of the other kind (a str in a dict of ints): CPython finds
// nothing, which compiled code, holding one kind of keys, cannot test.
func (c *checker) lookupOK(dt, kt *Type, at pyast.Pos) bool {
	k := dt.Key()
	if k.IsUnknown() || kt.IsUnknown() || (k.Kind == Str) == (kt.Kind == Str) {
		return true
	}
	c.errorf(at, diag.Unsupported, "looking up %s in a %s of %s is not supported", keyKindName(kt), hashedWord(dt), keyKindName(k)).
		WithHint("convert the key to the dict's kind of keys")
	return false
}

func joinHashed(a, b *Type) (*Type, bool) {
	out := &Type{Kind: a.Kind, Elems: make([]*Type, len(a.Elems))}
	for i := range a.Elems {
		j, ok := joinElem(a.Elems[i], b.Elems[i])
		if !ok {
			return nil, false
		}
		out.Elems[i] = j
	}
	return out, true
}

// keyOK checks a key's type: a bool, an integer or a float (uint64 keys
// would wrap in the int64 domain keys compare in; complex keys are left).
func (c *checker) keyOK(t *Type, at pyast.Pos, what string) bool {
	if t.IsUnknown() {
		return false
	}
	if t.Kind == Str {
		return true
	}
	if t.Kind != Scalar {
		c.errorf(at, diag.Unsupported, "%s keys must be numbers or strings, not %s", what, t)
		return false
	}
	if t.DType.Kind() > KFloat || t.DType == Uint64 {
		c.errorf(at, diag.Unsupported, "%s keys of type %s are not supported: only bools, integers (not uint64) and floats", what, t)
		return false
	}
	return true
}

// valueOK checks a dict value's type: a scalar.
func (c *checker) valueOK(t *Type, at pyast.Pos) bool {
	if t.IsUnknown() {
		return false
	}
	if t.Kind != Scalar && t.Kind != Str {
		c.errorf(at, diag.Unsupported, "a dict can hold numbers and strings, not a %s", t).
			WithHint("use arrays indexed by the keys for other values")
		return false
	}
	return true
}

// dictDisplay types {k: v, ...}.
func (c *checker) dictDisplay(e *pyast.Dict) *Type {
	var k, v *Type = UnknownT, UnknownT
	for i := range e.Keys {
		kt, vt := c.expr(e.Keys[i]), c.expr(e.Values[i])
		if !c.keyOK(kt, e.Keys[i].Position(), "dict") || !c.valueOK(vt, e.Values[i].Position()) ||
			c.mixedKeys(k, kt, e.Keys[i].Position(), "dict") || c.mixedKeys(v, vt, e.Values[i].Position(), "dict") {
			return UnknownT
		}
		k, _ = joinElem(k, kt)
		v, _ = joinElem(v, vt)
	}
	return DictOf(k, v)
}

// setDisplay types {a, b, ...}.
func (c *checker) setDisplay(e *pyast.Set) *Type {
	var k *Type = UnknownT
	for _, x := range e.Elts {
		kt := c.expr(x)
		if !c.keyOK(kt, x.Position(), "set") || c.mixedKeys(k, kt, x.Position(), "set") {
			return UnknownT
		}
		k, _ = joinElem(k, kt)
	}
	return SetOf(k)
}

// dictComp types {k: v for ...}.
func (c *checker) dictComp(e *pyast.DictComp) *Type {
	ok := c.compClauses(e.Generators)
	kt, vt := c.expr(e.Key), c.expr(e.Value)
	if !ok || !c.keyOK(kt, e.Key.Position(), "dict") || !c.valueOK(vt, e.Value.Position()) {
		return UnknownT
	}
	return DictOf(kt, vt)
}

// setComp types {x for ...}.
func (c *checker) setComp(e *pyast.SetComp) *Type {
	ok := c.compClauses(e.Generators)
	kt := c.expr(e.Elt)
	if !ok || !c.keyOK(kt, e.Elt.Position(), "set") {
		return UnknownT
	}
	return SetOf(kt)
}

func freshHashed(e pyast.Expr) bool {
	switch e.(type) {
	case *pyast.Dict, *pyast.Set, *pyast.Call, *pyast.BinOp, *pyast.DictComp, *pyast.SetComp:
		return true
	}
	return false
}

// dictAssign checks a dict or a set bound to a name: a new one only, of
// known types in the end.
func (c *checker) dictAssign(tg *pyast.Name, t *Type, value pyast.Expr) bool {
	if !t.IsHashed() {
		return false
	}
	what := "dict"
	if t.Kind == Set {
		what = "set"
	}
	if value != nil && !freshHashed(value) {
		c.errorf(value.Position(), diag.Unsupported, "a second name for a %s (%s = ...) is not supported", what, tg.ID).
			WithHint("copy it (%s = other.copy()) or build a new %s", tg.ID, what)
		return true
	}
	if value != nil && c.hashedParam(tg.ID) {
		// The caller's variable is written back from the parameter's
		// (lower.ReflectedLists): after a rebinding it would receive the new
		// one, where CPython leaves it as it was.
		c.errorf(tg.P, diag.Unsupported, "rebinding the %s argument '%s' is not supported", what, tg.ID).
			WithHint("build the new %s under another name (%s2 = ...)", what, tg.ID)
		return true
	}
	if c.final {
		old := c.info().Vars[c.spec.Func.VarName(tg)]
		unknown := func(x *Type) bool {
			for _, el := range x.Elems {
				if el.IsUnknown() {
					return true
				}
			}
			return false
		}
		if unknown(t) && (old == nil || old.Kind != t.Kind || unknown(old)) {
			at := tg.P
			if value != nil {
				at = value.Position()
			}
			switch why := c.emptyHashedCause(tg.ID); why {
			case "passed":
				c.errorf(at, diag.Type, "cannot infer the types of the empty %s '%s': the compiled functions it is passed to "+
					"store nothing into it that sejit could type", what, tg.ID).WithHint("store into it in this function")
			default:
				c.errorf(at, diag.Type, "cannot infer the types of the empty %s '%s'", what, tg.ID).
					WithHint("store into it in this function")
			}
			return true
		}
	}
	c.assignVar(c.spec.Func.VarName(tg), t, tg.P)
	return true
}

// hashedAttr types a dict's or a set's method.
func (c *checker) hashedAttr(e *pyast.Attribute, vt *Type) *Type {
	ok := false
	if vt.Kind == Dict {
		switch e.Attr {
		case "get", "pop", "setdefault", "keys", "values", "items", "clear", "copy":
			ok = true
		}
	} else {
		switch e.Attr {
		case "add", "discard", "remove", "clear", "copy":
			ok = true
		}
	}
	if !ok {
		c.errorf(e.P, diag.Unsupported, "%s method '%s' is not supported", map[TKind]string{Dict: "dict", Set: "set"}[vt.Kind], e.Attr)
		return UnknownT
	}
	prefix := "dict."
	if vt.Kind == Set {
		prefix = "set."
	}
	return &Type{Kind: Builtin, Name: prefix + e.Attr, Elems: []*Type{vt}}
}

// growHashed joins key k and value v (nil for a set) into the variable recv names.
func (c *checker) growHashed(recv pyast.Expr, k, v *Type) {
	name := c.listTarget(recv)
	if name == "" {
		return
	}
	if c.widensHashedParam(recv, k, v) { // dict_calls.go
		return
	}
	if old := c.info().Vars[name]; old != nil && old.IsHashed() {
		if c.mixedKeys(old.Key(), k, recv.Position(), hashedWord(old)) ||
			v != nil && old.Kind == Dict && c.mixedKeys(old.Value(), v, recv.Position(), "dict") {
			return
		}
	}
	if v == nil {
		c.assignVar(name, SetOf(k), recv.Position())
	} else {
		c.assignVar(name, DictOf(k, v), recv.Position())
	}
}

// lookupKeyOK checks a key used to look up a dict or set of key type kt.
func (c *checker) lookupKeyOK(x pyast.Expr, t *Type, what string) bool {
	return c.keyOK(t, x.Position(), what)
}

// dictCall types the calls of dict and set methods, dict(), set() and
// len(); ok is false for other calls.
func (c *checker) dictCall(e *pyast.Call, ft *Type) (*Type, bool) {
	if ft.Kind == Function {
		// A dict or set passed to a compiled function is shared, as a list
		// is: the callee returns its final parts with its result and the
		// caller stores them back into the variable it passed
		// (lower.userCall). One variable passed twice would be two dicts.
		seen := map[string]bool{}
		for _, a := range e.Args {
			n, ok := a.(*pyast.Name)
			if !ok || !c.expr(a).IsHashed() {
				continue
			}
			if seen[n.ID] {
				c.errorf(a.Position(), diag.Unsupported, "passing the %s '%s' twice to one call is not supported", hashedWord(c.expr(a)), n.ID).
					WithHint("pass a copy (%s.copy()) as the second argument", n.ID)
				return UnknownT, true
			}
			seen[n.ID] = true
		}
		return nil, false
	}
	if ft.Kind != Builtin {
		return nil, false
	}
	switch ft.Name {
	case "builtins.dict", "builtins.set":
		if ft.Name == "builtins.set" && len(e.Args) == 1 && len(e.Keywords) == 0 {
			// set(iterable): the items of a list, a string, an array, a
			// range, a dict's keys.
			el, ok := c.iterElem(e.Args[0])
			if !ok || el == nil || !c.keyOK(el, e.Args[0].Position(), "set") {
				return UnknownT, true
			}
			return SetOf(el), true
		}
		if len(e.Args) > 0 || len(e.Keywords) > 0 {
			c.errorf(e.P, diag.Unsupported, "%s() takes no arguments here", ft.Name[len("builtins."):]).
				WithHint("build an empty one and store into it")
			return UnknownT, true
		}
		if ft.Name == "builtins.dict" {
			return DictOf(UnknownT, UnknownT), true
		}
		return SetOf(UnknownT), true
	case "builtins.len":
		if len(e.Args) == 1 && maybeHashed(e.Args[0]) && c.expr(e.Args[0]).IsHashed() {
			return Int, true
		}
		return nil, false
	case "builtins.list", "builtins.sorted", "builtins.sum", "builtins.min", "builtins.max":
		return c.hashedReduce(e, ft.Name[len("builtins."):])
	case "builtins.tuple":
		// tuple(s) of a set, a dict (or a view of one) or a list named by
		// a variable: compiled tuples have a length known when compiling,
		// and these have theirs only at run time.
		if len(e.Args) != 1 || len(e.Keywords) > 0 {
			return nil, false
		}
		arg, what := e.Args[0], ""
		if recv, view := DictView(arg); recv != nil {
			arg, what = recv, "."+view+"()"
		}
		if _, ok := arg.(*pyast.Name); !ok {
			return nil, false
		}
		t := c.expr(arg)
		if !t.IsHashed() && t.Kind != List {
			return nil, false
		}
		kind := map[TKind]string{Dict: "dict", Set: "set", List: "list"}[t.Kind]
		c.errorf(e.P, diag.Unsupported, "tuple() of a %s%s is not supported: a compiled tuple's length is known when compiling, and this one's only at run time", kind, what).
			WithHint("use list(...) (in the same order), or index it where a tuple of fixed length is needed")
		return UnknownT, true
	}
	if len(ft.Name) < 5 || (ft.Name[:5] != "dict." && ft.Name[:4] != "set.") || len(ft.Elems) != 1 || !ft.Elems[0].IsHashed() {
		return nil, false
	}
	dt := ft.Elems[0]
	name := ft.Name[len("dict."):]
	what := "dict"
	if dt.Kind == Set {
		name, what = ft.Name[len("set."):], "set"
	}
	recv := e.Func.(*pyast.Attribute).Value
	if len(e.Keywords) > 0 {
		c.errorf(e.P, diag.Unsupported, "%s.%s() takes no keyword arguments", what, name)
		return UnknownT, true
	}
	args, ok := c.listArgs(e)
	if !ok {
		return UnknownT, true
	}
	want := func(lo, hi int) bool {
		if len(args) < lo || len(args) > hi {
			c.errorf(e.P, diag.Type, "%s.%s() takes %d to %d arguments (%d given)", what, name, lo, hi, len(args))
			return false
		}
		return true
	}
	switch name {
	case "keys", "values", "items":
		c.errorf(e.P, diag.Unsupported, "dict.%s() is only supported as the iterable of a for loop", name)
		return UnknownT, true
	case "copy":
		want(0, 0)
		return dt, true
	}
	if c.listTarget(recv) == "" {
		c.errorf(recv.Position(), diag.Unsupported, "%s.%s() needs a %s variable", what, name, what).
			WithHint("assign the %s to a name first", what)
		return UnknownT, true
	}
	switch name {
	case "clear":
		want(0, 0)
		return NoneT, true
	case "add", "discard", "remove":
		if !want(1, 1) || !c.keyOK(args[0], e.Args[0].Position(), "set") {
			return NoneT, true
		}
		if name == "add" {
			c.growHashed(recv, args[0], nil)
		} else {
			c.lookupOK(dt, args[0], e.Args[0].Position())
		}
		return NoneT, true
	case "get", "pop":
		if !want(1, 2) || !c.keyOK(args[0], e.Args[0].Position(), "dict") || !c.lookupOK(dt, args[0], e.Args[0].Position()) {
			return UnknownT, true
		}
		if len(args) == 1 {
			if name == "get" {
				c.errorf(e.P, diag.Unsupported, "dict.get() without a default is not supported: it may return None").
					WithHint("give a default: d.get(key, 0)")
				return UnknownT, true
			}
			return dt.Value(), true
		}
		if !c.valueOK(args[1], e.Args[1].Position()) || c.mixedKeys(dt.Value(), args[1], e.Args[1].Position(), "dict") {
			return UnknownT, true
		}
		j, _ := joinElem(dt.Value(), args[1])
		return j, true
	case "setdefault":
		if !want(2, 2) || !c.keyOK(args[0], e.Args[0].Position(), "dict") || !c.valueOK(args[1], e.Args[1].Position()) ||
			!c.lookupOK(dt, args[0], e.Args[0].Position()) || c.mixedKeys(dt.Value(), args[1], e.Args[1].Position(), "dict") {
			return UnknownT, true
		}
		c.growHashed(recv, args[0], args[1])
		j, _ := joinElem(dt.Value(), args[1])
		if !dt.Value().IsUnknown() {
			j = dt.Value()
		}
		return j, true
	}
	return UnknownT, true
}

// HashedItems reports the argument of list(), sorted(), sum(), min() or
// max() that is a dict, a set, or a dict's keys() or values(): the dict or
// set and whether the items are the values.
func HashedItems(e pyast.Expr, typeOf func(pyast.Expr) *Type) (pyast.Expr, bool, bool) {
	if recv, view := DictView(e); recv != nil {
		if !maybeHashed(recv) || typeOf(recv).Kind != Dict || view == "items" {
			return nil, false, false
		}
		return recv, view == "values", true
	}
	if maybeHashed(e) && typeOf(e).IsHashed() {
		return e, false, true
	}
	return nil, false, false
}

// maybeHashed reports the expressions that may be dicts or sets here:
// names, displays and comprehensions (typing others out of place, such
// as range(n), would report errors).
func maybeHashed(e pyast.Expr) bool {
	switch e := e.(type) {
	case *pyast.Name, *pyast.Dict, *pyast.Set, *pyast.DictComp, *pyast.SetComp, *pyast.BinOp:
		return true
	case *pyast.Call:
		n, ok := e.Func.(*pyast.Name)
		return ok && n.ID == "set"
	}
	return false
}

// hashedReduce types list(), sorted(), sum(), min() and max() of a dict,
// a set or a dict's keys() or values().
func (c *checker) hashedReduce(e *pyast.Call, name string) (*Type, bool) {
	if recv, reverse, ok := SortedByValue(e); ok && name == "sorted" && c.expr(recv).Kind == Dict {
		return c.sortedByValue(recv, reverse)
	}
	if len(e.Args) != 1 || len(e.Keywords) > 0 {
		return nil, false
	}
	if recv, view := DictView(e.Args[0]); recv != nil && view == "items" && maybeHashed(recv) && c.expr(recv).Kind == Dict {
		dt := c.expr(recv)
		if dt.Key().IsUnknown() || dt.Value().IsUnknown() {
			return UnknownT, true
		}
		it := TupleOf(dt.Key(), dt.Value())
		if name != "list" && name != "sorted" || !ListItem(it) {
			c.errorf(e.P, diag.Unsupported, "%s() of the items of a %s is not supported", name, dt).
				WithHint("loop over d.items()")
			return UnknownT, true
		}
		if name == "sorted" && !ordered(it) {
			c.errorf(e.P, diag.Type, "sorted() of complex numbers: they are not ordered")
			return UnknownT, true
		}
		return ListOf(it), true
	}
	src, values, ok := HashedItems(e.Args[0], c.expr)
	if !ok {
		return nil, false
	}
	t := c.expr(src)
	el := t.Key()
	if values {
		el = t.Value()
	}
	if el.IsUnknown() {
		return UnknownT, true
	}
	if el.Kind == Str && name == "sum" {
		c.errorf(e.P, diag.Type, "sum() can't sum strings [use ''.join(seq) instead]")
		return UnknownT, true
	}
	switch name {
	case "list":
		return ListOf(el), true
	case "sum":
		return ListSumType(el), true
	}
	if el.Kind == Scalar && el.DType.Kind() == KComplex {
		c.errorf(e.P, diag.Type, "%s() of complex numbers: they are not ordered", name)
		return UnknownT, true
	}
	if name == "sorted" {
		return ListOf(el), true
	}
	return el, true
}

// dictIndex types d[k].
func (c *checker) dictIndex(e *pyast.Subscript, dt *Type) *Type {
	if dt.Kind == Set {
		c.errorf(e.P, diag.Type, "'set' object is not subscriptable")
		return UnknownT
	}
	kt := c.expr(e.Index)
	if !c.keyOK(kt, e.Index.Position(), "dict") || !c.lookupOK(dt, kt, e.Index.Position()) {
		return UnknownT
	}
	return dt.Value()
}

// dictStore types d[k] = v (t is v's type, or the operation's for d[k] op= v).
func (c *checker) dictStore(tg *pyast.Subscript, t *Type) bool {
	dt := c.expr(tg.Value)
	if !dt.IsHashed() {
		return false
	}
	if dt.Kind == Set {
		c.errorf(tg.P, diag.Type, "'set' object does not support item assignment")
		return true
	}
	kt := c.expr(tg.Index)
	c.info().Types[tg] = dt.Value()
	if !c.keyOK(kt, tg.Index.Position(), "dict") || !c.valueOK(t, tg.P) {
		return true
	}
	if c.listTarget(tg.Value) == "" {
		c.errorf(tg.Value.Position(), diag.Unsupported, "storing into a dict needs a dict variable")
		return true
	}
	c.growHashed(tg.Value, kt, t)
	return true
}

// delStmt types del d[k].
func (c *checker) delStmt(s *pyast.Delete) {
	for _, t := range s.Targets {
		sub, ok := t.(*pyast.Subscript)
		if !ok {
			continue // resolve refused it
		}
		dt := c.expr(sub.Value)
		if dt.IsUnknown() {
			continue
		}
		if dt.Kind == List {
			c.listDel(sub, dt) // list_inplace.go
			continue
		}
		if dt.Kind != Dict {
			c.errorf(sub.P, diag.Unsupported, "del is only supported for dict and list items, not items of a %s", dt)
			continue
		}
		if c.listTarget(sub.Value) == "" {
			c.errorf(sub.Value.Position(), diag.Unsupported, "del needs a dict variable")
			continue
		}
		if c.keyOK(c.expr(sub.Index), sub.Index.Position(), "dict") {
			c.lookupOK(dt, c.expr(sub.Index), sub.Index.Position())
		}
	}
}

// setBinop types s | t, s & t and s - t.
func (c *checker) setBinop(op string, l, r *Type, p pyast.Pos) *Type {
	if l.Kind == Set && r.Kind == Set && (op == "BitOr" || op == "BitAnd" || op == "Sub") {
		if j, ok := joinHashed(l, r); ok {
			return j
		}
	}
	c.errorf(p, diag.Type, "unsupported operand types for %s: %s and %s", opSymbol(op), l, r)
	return UnknownT
}

// DictView reports d.keys(), d.values() or d.items() of a dict-typed
// receiver: the receiver and the method.
func DictView(e pyast.Expr) (pyast.Expr, string) {
	call, ok := e.(*pyast.Call)
	if !ok || len(call.Args) > 0 || len(call.Keywords) > 0 {
		return nil, ""
	}
	a, ok := call.Func.(*pyast.Attribute)
	if !ok {
		return nil, ""
	}
	switch a.Attr {
	case "keys", "values", "items":
		return a.Value, a.Attr
	}
	return nil, ""
}

// dictIter types iteration over a dict, its views or a set; ok is false
// for other iterables.
func (c *checker) dictIter(e pyast.Expr) (*Type, bool, bool) {
	if recv, view := DictView(e); recv != nil {
		dt := c.expr(recv)
		if dt.Kind == Dict {
			if dt.Key().IsUnknown() || dt.Value().IsUnknown() {
				return nil, true, true
			}
			switch view {
			case "keys":
				return dt.Key(), true, true
			case "values":
				return dt.Value(), true, true
			}
			return TupleOf(dt.Key(), dt.Value()), true, true
		}
		return nil, false, false
	}
	t := c.expr(e)
	switch t.Kind {
	case Dict:
		if t.Key().IsUnknown() {
			return nil, true, true
		}
		return t.Key(), true, true
	case Set:
		if t.Key().IsUnknown() {
			return nil, true, true
		}
		// Sets keep CPython's table (lower/pyset.go).
		return t.Key(), true, true
	}
	return nil, false, false
}

// dictFor refuses a for loop over a dict variable (or its views) whose
// body changes the dict or rebinds it: CPython raises RuntimeError for a
// change of size; compiled code refuses every change at compile time.
func (c *checker) dictFor(s *pyast.For) {
	iter := s.Iter
	if recv, _ := DictView(iter); recv != nil {
		iter = recv
	}
	name := c.listTarget(iter)
	t := c.info().Vars[name]
	if name == "" || t == nil || !t.IsHashed() {
		return
	}
	what := "dict"
	if t.Kind == Set {
		what = "set"
	}
	bad := func(at pyast.Pos) {
		c.errorf(at, diag.Unsupported, "changing the %s '%s' while a for loop iterates over it is not supported", what, name).
			WithHint("collect the changes in another dict or a list and apply them after the loop")
	}
	isD := func(e pyast.Expr) bool {
		if sub, ok := e.(*pyast.Subscript); ok {
			return c.listTarget(sub.Value) == name
		}
		return c.listTarget(e) == name
	}
	pyast.WalkStmts(s.Body, func(st pyast.Stmt) bool {
		switch st := st.(type) {
		case *pyast.Assign:
			for _, t := range st.Targets {
				if isD(t) {
					bad(t.Position())
				}
			}
		case *pyast.AugAssign:
			if isD(st.Target) {
				bad(st.Target.Position())
			}
		case *pyast.Delete:
			for _, t := range st.Targets {
				if isD(t) {
					bad(t.Position())
				}
			}
		}
		return true
	}, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if call, ok := x.(*pyast.Call); ok {
				if a, ok := call.Func.(*pyast.Attribute); ok && c.listTarget(a.Value) == name {
					switch a.Attr {
					case "pop", "setdefault", "clear", "add", "discard", "remove", "update":
						bad(call.P)
					}
				}
			}
			return true
		})
	})
}

// checkDicts refuses a dict or set result, and a comprehension over a
// dict whose parts change that dict (CPython raises RuntimeError).
func (c *checker) checkDicts(s *Spec) {
	saved := c.spec
	c.spec = s
	defer func() { c.spec = saved }()
	pyast.WalkStmts(s.Func.Def.Body, func(st pyast.Stmt) bool {
		_, def := st.(*pyast.FunctionDef)
		return !def
	}, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			_, gens, ok := pyast.Comp(x)
			if !ok {
				return true
			}
			for _, g := range gens {
				iter := g.Iter
				if recv, _ := DictView(iter); recv != nil {
					iter = recv
				}
				name := c.listTarget(iter)
				if t := c.info().Vars[name]; name == "" || t == nil || t.Kind != Dict {
					continue
				}
				pyast.WalkExpr(x, func(y pyast.Expr) bool {
					if call, ok := y.(*pyast.Call); ok {
						if a, ok := call.Func.(*pyast.Attribute); ok && c.listTarget(a.Value) == name {
							switch a.Attr {
							case "pop", "setdefault", "clear":
								c.errorf(call.P, diag.Unsupported, "changing the dict '%s' while a comprehension iterates over it is not supported", name)
							}
						}
					}
					return true
				})
			}
			return true
		})
	})
	c.checkHashedReturns(s) // dict_calls.go
}

// emptyHashedCause says why a dict or set named name kept unknown types,
// for a clearer error than "cannot infer": "passed" when the name is an
// argument of a call of a compiled function (which may be what fills it),
// else "".
func (c *checker) emptyHashedCause(name string) string {
	why := ""
	isName := func(x pyast.Expr) bool {
		n, ok := x.(*pyast.Name)
		return ok && n.ID == name
	}
	pyast.WalkStmts(c.spec.Func.Def.Body, func(pyast.Stmt) bool { return true }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if x, ok := x.(*pyast.Call); ok {
				if _, ok := x.Func.(*pyast.Name); ok {
					for _, a := range x.Args {
						if isName(a) && c.expr(x.Func).Kind == Function {
							why = "passed"
						}
					}
				}
			}
			return true
		})
	})
	return why
}

// SortedByValue reports sorted(d, key=d.get) (or key=d.__getitem__), with
// an optional reverse=: d's name and the reverse expression (nil without).
func SortedByValue(e *pyast.Call) (pyast.Expr, pyast.Expr, bool) {
	if len(e.Args) != 1 || len(e.Keywords) == 0 {
		return nil, nil, false
	}
	d, ok := e.Args[0].(*pyast.Name)
	if !ok {
		return nil, nil, false
	}
	var key, reverse pyast.Expr
	for _, k := range e.Keywords {
		switch k.Name {
		case "key":
			key = k.Value
		case "reverse":
			reverse = k.Value
		default:
			return nil, nil, false
		}
	}
	a, ok := key.(*pyast.Attribute)
	if !ok || a.Attr != "get" && a.Attr != "__getitem__" {
		return nil, nil, false
	}
	if n, ok := a.Value.(*pyast.Name); !ok || n.ID != d.ID {
		return nil, nil, false
	}
	return d, reverse, true
}

// sortedByValue types sorted(d, key=d.get, reverse=r): d's keys ordered by
// their values, stably, as CPython's sort.
func (c *checker) sortedByValue(recv, reverse pyast.Expr) (*Type, bool) {
	dt := c.expr(recv)
	if dt.Key().IsUnknown() || dt.Value().IsUnknown() {
		return UnknownT, true
	}
	if reverse != nil {
		if t := c.expr(reverse); !t.IsUnknown() && (t.Kind != Scalar || t.DType.Kind() > KInt) {
			c.errorf(reverse.Position(), diag.Type, "sorted(reverse=...) takes a bool or an int, not %s", t)
			return UnknownT, true
		}
	}
	if dt.Value().Kind != Scalar || dt.Value().DType.Kind() == KComplex {
		c.errorf(recv.Position(), diag.Unsupported, "sorted(d, key=d.get) needs number values (real), not %s", dt.Value()).
			WithHint("sort the keys, or build a list of (value, key) pairs")
		return UnknownT, true
	}
	return ListOf(dt.Key()), true
}
