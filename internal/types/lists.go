package types

// Typing of lists (issue 14). A list is homogeneous: its type is
// list(T) with T a scalar type, joined from its contents like a variable's
// (items of one kind: see mixedItem below). An empty display, `[]` or `list()`, starts as
// list(unknown) and takes its element type from what the function later
// appends, extends, inserts or stores into the variable holding it — the
// global fixed point joins them as it joins variables. A list still
// unknown at the end is an error at the display, asking for
// sejit.typed_list(dtype).
//
// CPython's list keeps each item's type: `[1, 2.5]` holds an int and a
// float, and `l[0]`, `min(l)`, print(l) and the list returned show it. A
// compiled list converts its items to one type, so a list whose items
// would be of different kinds (bool, int, float, complex) is refused at
// the item that differs (mixedItem), on the last pass, when the
// variables' types are final: displays, appends, inserts, extends,
// stores, `+` and the lists bound to one variable. The items of a display
// given to np.array are not a list's: NumPy converts them all, as here.
//
// Lists have reference semantics in Python; compiled code holds a list in
// the variable it was built into (lower/lists.go), so a second name for
// the same list (`b = a`) is refused rather than silently copied. Changing
// a list's length while a for loop iterates over it is refused for the
// same reason. A list variable passed to another compiled function is
// shared by reflection: the callee returns its list parameters' final
// buffers and lengths after its result, and the caller stores them back
// into the variable (lower.userCall); so the same variable passed twice
// to one call, a result that may be one of the callee's list arguments
// bound to a name, and a callee storing wider items into a list
// parameter are refused (listCall, listAssign, growList).

import (
	"fmt"
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// ListItem reports whether t can be a list's item: a number, a tuple of
// numbers (a list of tuples is stored field by field, lower/lists.go) or an
// array (lower/list_arrays.go).
func ListItem(t *Type) bool {
	switch t.Kind {
	case Scalar, Array:
		return true
	case Tuple:
		if t.IsObject() || len(t.Elems) == 0 {
			return false
		}
		for _, e := range t.Elems {
			if e.Kind != Scalar {
				return false
			}
		}
		return true
	}
	return false
}

// ordered reports whether items of type t compare with < (no complex
// field).
func ordered(t *Type) bool {
	if t.Kind == Tuple {
		for _, e := range t.Elems {
			if !ordered(e) {
				return false
			}
		}
		return true
	}
	if t.Kind == List {
		// rows, compared as lists (list_compare.go)
		return t.Elem().Kind == Scalar && ordered(t.Elem())
	}
	return t.Kind == Str || t.Kind == Scalar && t.DType.Kind() != KComplex
}

// ListOf returns the type of a list of elem.
func ListOf(elem *Type) *Type { return &Type{Kind: List, Elems: []*Type{elem}} }

// IsList reports a list type.
func (t *Type) IsList() bool { return t.Kind == List }

// Elem is a list's element type.
func (t *Type) Elem() *Type { return t.Elems[0] }

func joinLists(a, b *Type) (*Type, bool) {
	ea, eb := a.Elem(), b.Elem()
	switch {
	case ea.IsUnknown():
		return b, true
	case eb.IsUnknown():
		return a, true
	case ea.Kind == Scalar && eb.Kind == Scalar:
		return ListOf(promoteScalars(ea, eb)), true
	case ea.Kind == Array && eb.Kind == Array && (ea.DType != eb.DType || ea.NDim != eb.NDim):
		// Items are stored as they are, not converted: one dtype and rank.
		return nil, false
	}
	if ea.Kind == List && eb.Kind == List {
		// Lists of lists (list_lists.go): their inner lists' items join.
		if j, ok := joinLists(ea, eb); ok && j.Elem().Kind != List {
			return ListOf(j), true
		}
		return nil, false
	}
	j, ok := Join(ea, eb)
	if !ok || j.Kind == List && !Equal(ea, eb) {
		return nil, false
	}
	return ListOf(j), true
}

// listMutators change a list's length (or its buffer).
var listMutators = map[string]bool{"append": true, "extend": true, "insert": true, "pop": true,
	"clear": true, "remove": true}

// listDisplay types [a, b, ...].
func (c *checker) listDisplay(e *pyast.List) *Type {
	var elem *Type = UnknownT
	var first *Type // the first scalar item, which the others' kinds must match
	for _, x := range e.Elts {
		t := c.expr(x)
		if t.IsUnknown() {
			return UnknownT
		}
		if !itemOK(t) && t.Kind != Str && !(t.Kind == List && t.Elem().Kind != Unknown && t.Elem().Kind != Str) {
			c.errorf(x.Position(), diag.Unsupported, "a list can hold numbers, strings, tuples of numbers and arrays, not a %s", t).
				WithHint("use an array (np.empty) for other items")
			return UnknownT
		}
		j, ok := Join(elem, t)
		if !ok {
			c.errorf(x.Position(), diag.Type, "a list's items must have one type; this one is %s, the others %s", t, elem)
			return UnknownT
		}
		elem = j
		if innerListItem(t) && !t.Elem().IsUnknown() && !c.arrayDisplays[e] {
			t = t.Elem() // a row of a list of lists: its items' kind (list_lists.go)
		}
		if t.Kind == Scalar && !c.arrayDisplays[e] {
			if first == nil {
				first = t
			} else if c.mixedItem(x.Position(), t, first, "the list's first item is "+kindName(first)) {
				return UnknownT
			}
		}
	}
	return ListOf(elem)
}

// mixedItem reports (on the last pass) an item of type t going into a
// list whose items are of type el when their kinds differ (what says
// where el's kind comes from): CPython would keep the item's own type, a
// compiled list converts it.
func (c *checker) mixedItem(at pyast.Pos, t, el *Type, what string) bool {
	if t.Kind != Scalar || el.Kind != Scalar || t.DType.Kind() == el.DType.Kind() {
		return false
	}
	c.errorf(at, diag.Type, "this list item is %s, but %s: CPython's list keeps each item's type, and a compiled "+
		"list, whose items have one type, would convert it", kindName(t), what).
		WithHint("%s", kindHint(max(t.DType.Kind(), el.DType.Kind())))
	return true
}

func kindName(t *Type) string {
	return [...]string{KBool: "a bool", KInt: "an int", KFloat: "a float", KComplex: "a complex number"}[t.DType.Kind()]
}

func kindPlural(t *Type) string {
	if t.Kind != Scalar { // a list of tuples or arrays: mixedItem does not apply
		return "items"
	}
	return [...]string{KBool: "bools", KInt: "ints", KFloat: "floats", KComplex: "complex numbers"}[t.DType.Kind()]
}

// kindHint says how to give a list's items one kind, k.
func kindHint(k DKind) string {
	switch k {
	case KInt:
		return "make every item an int: int(v) (a bool counts as a different type)"
	case KFloat:
		return "make every item a float: write 1.0 rather than 1, or float(v)"
	}
	return "make every item a complex number: complex(v)"
}

// markArrayDisplays records the displays, nested ones too, that e (the
// argument of np.array or np.asarray) is made of.
func (c *checker) markArrayDisplays(e pyast.Expr) {
	l, ok := e.(*pyast.List)
	if !ok {
		return
	}
	if c.arrayDisplays == nil {
		c.arrayDisplays = map[*pyast.List]bool{}
	}
	c.arrayDisplays[l] = true
	for _, x := range l.Elts {
		c.markArrayDisplays(x)
	}
}

// listTarget is the variable name a list method's receiver or a stored
// list element names, or "".
func (c *checker) listTarget(e pyast.Expr) string {
	if n, ok := e.(*pyast.Name); ok {
		return c.spec.Func.VarName(n)
	}
	return ""
}

// freshList reports whether e builds a new list (a display, a call, an
// operator) rather than naming an existing one.
func freshList(e pyast.Expr) bool {
	switch e := e.(type) {
	case *pyast.List, *pyast.Call, *pyast.BinOp, *pyast.ListComp:
		return true
	case *pyast.Starred: // a, *rest = t: a new list of t's middle items
		return true
	case *pyast.Subscript:
		_, slice := e.Index.(*pyast.Slice) // a slice copies
		return slice
	}
	return false
}

// listParam reports whether name is a parameter passed a list.
func (c *checker) listParam(name string) bool {
	for i, p := range c.spec.Func.Params {
		if p == name && i < len(c.spec.Args) && c.spec.Args[i].Kind == List {
			return true
		}
	}
	return false
}

// listAssign checks a list bound to a name: a new list only, of a known,
// scalar element type.
func (c *checker) listAssign(tg *pyast.Name, t *Type, value pyast.Expr) bool {
	if t.Kind != List {
		return false
	}
	// row = grid[i], or a loop's variable over a list of lists (list_lists.go)
	inner := value != nil && (InnerRead(c.info().Types, value) ||
		IsListOfLists(c.info().Types[value]) && !IsListOfLists(t))
	if value != nil && !freshList(value) && !inner && !c.listMove(value) {
		c.errorf(value.Position(), diag.Unsupported, "a second name for a list (%s = ...) is not supported", tg.ID).
			WithHint("copy it (%s = other.copy()) or build a new list", tg.ID)
		return true
	}
	if call, ok := value.(*pyast.Call); ok && returnsListParam(c.info().Callees[call]) {
		// CPython's result would be the argument list itself: a second
		// name for it, which would not see the other's appends here.
		c.errorf(value.Position(), diag.Unsupported, "%s() may return one of its list arguments, so '%s' would be a second name for that list; this is not supported", c.info().Callees[call].Func.Def.Name, tg.ID).
			WithHint("copy the result (%s = f(...).copy())", tg.ID)
		return true
	}
	if old := c.info().Vars[c.spec.Func.VarName(tg)]; c.final && old != nil && old.Kind == List && value != nil &&
		!c.arrayDisplays[asList(value)] && c.mixedItem(value.Position(), t.Elem(), old.Elem(), fmt.Sprintf("the list '%s' holds %s elsewhere", tg.ID, kindPlural(old.Elem()))) {
		return true
	}
	if old := c.info().Vars[c.spec.Func.VarName(tg)]; c.final && IsListOfLists(old) && IsListOfLists(t) && value != nil &&
		!t.Elem().Elem().IsUnknown() && c.mixedItem(value.Position(), t.Elem().Elem(), old.Elem().Elem(),
		fmt.Sprintf("the lists in '%s' hold %s elsewhere", tg.ID, kindPlural(old.Elem().Elem()))) {
		return true
	}
	if value != nil && c.listParam(tg.ID) {
		// The caller's list is written back from the parameter's variable
		// (lower.ReflectedLists): after a rebinding it would receive the new
		// list, where CPython leaves it as it was at the rebinding.
		c.errorf(tg.P, diag.Unsupported, "rebinding the list argument '%s' is not supported", tg.ID).
			WithHint("build the new list under another name (%s2 = ...)", tg.ID)
		return true
	}
	if t.Elem().Kind == List && !innerListItem(t.Elem()) {
		c.errorf(tg.P, diag.Unsupported, "the lists in a list of lists hold numbers, not %s", t.Elem().Elem()).
			WithHint("use a 2-D array, or a list of lists of numbers")
		return true
	}
	if !t.Elem().IsUnknown() && !itemOK(t.Elem()) && t.Elem().Kind != Str {
		c.errorf(tg.P, diag.Unsupported, "a list can hold numbers, strings, tuples of numbers and arrays, not a %s", t.Elem())
		return true
	}
	if c.final && t.Elem().IsUnknown() {
		at := tg.P
		if value != nil {
			at = value.Position()
		}
		if old := c.info().Vars[c.spec.Func.VarName(tg)]; old.Kind != List || old.Elem().IsUnknown() {
			c.errorf(at, diag.Type, "cannot infer the element type of the empty list '%s'", tg.ID).
				WithHint("append to it in this function, or write %s = sejit.typed_list(np.float64)", tg.ID)
			return true
		}
	}
	if c.final && IsListOfLists(t) && t.Elem().Elem().IsUnknown() {
		if old := c.info().Vars[c.spec.Func.VarName(tg)]; !IsListOfLists(old) || old.Elem().Elem().IsUnknown() {
			c.errorf(tg.P, diag.Type, "cannot infer the element type of the lists in '%s'", tg.ID).
				WithHint("append numbers to them in this function, or build them with sejit.typed_list(np.float64)")
			return true
		}
	}
	c.assignVar(c.spec.Func.VarName(tg), t, tg.P)
	if inner {
		var outer pyast.Expr
		switch v := value.(type) {
		case *pyast.Subscript:
			outer = v.Value
		case *pyast.Call:
			if a, ok := v.Func.(*pyast.Attribute); ok {
				outer = a.Value // grid.pop()
			} else {
				outer = v.Args[0] // min(grid), max(grid)
			}
		}
		if n, ok := outer.(*pyast.Name); ok {
			c.linkInner(c.spec.Func.VarName(tg), c.spec.Func.VarName(n)) // list_lists.go
		}
	}
	return true
}

// listAttr types a list method.
func (c *checker) listAttr(e *pyast.Attribute, vt *Type) *Type {
	switch e.Attr {
	case "append", "extend", "insert", "pop", "clear", "copy", "reverse", "index", "count", "sort", "remove":
		return &Type{Kind: Builtin, Name: "list." + e.Attr, Elems: []*Type{vt}}
	}
	c.errorf(e.P, diag.Unsupported, "list method '%s' is not supported", e.Attr)
	return UnknownT
}

// growList joins the element type t, of the item at `at`, into the list
// variable a method or a store names.
func (c *checker) growList(recv pyast.Expr, t *Type, at pyast.Pos) {
	if outer := c.innerOwner(recv); outer != "" {
		c.growInner(outer, t, at) // grid[i].append(x) (list_lists.go)
		return
	}
	name := c.listTarget(recv)
	if name == "" || !itemOK(t) && t.Kind != Str {
		return
	}
	if t.Kind == Scalar {
		defer c.growLinked(name, t, at) // list_lists.go
	}
	if c.final {
		if old := c.info().Vars[name]; old != nil && old.Kind == List &&
			c.mixedItem(at, t, old.Elem(), fmt.Sprintf("the list '%s' holds %s", pyast.SourceName(name), kindPlural(old.Elem()))) {
			return
		}
		if old := c.info().Vars[name]; IsListOfLists(old) && innerListItem(t) && !t.Elem().IsUnknown() &&
			c.mixedItem(at, t.Elem(), old.Elem().Elem(), fmt.Sprintf("the lists in '%s' hold %s", pyast.SourceName(name), kindPlural(old.Elem().Elem()))) {
			return
		}
		for i, p := range c.spec.Func.Params {
			if p == name && i < len(c.spec.Args) && c.spec.Args[i].Kind == List &&
				c.mixedItem(at, t, c.spec.Args[i].Elem(), fmt.Sprintf("the list argument '%s' holds %s", pyast.SourceName(name), kindPlural(c.spec.Args[i].Elem()))) {
				return
			}
		}
		if n, ok := recv.(*pyast.Name); ok && t.Kind == Scalar && c.listParam(n.ID) {
			// The caller's list keeps its items' type (its Python objects, or
			// the caller's buffer): a wider item would be converted to it.
			for i, p := range c.spec.Func.Params {
				if p == n.ID && i < len(c.spec.Args) && c.spec.Args[i].Elem().Kind == Scalar {
					have := c.spec.Args[i].Elem()
					if j, ok := Join(have, t); ok && j.DType != have.DType {
						c.errorf(recv.Position(), diag.Unsupported, "the list argument '%s' holds %s items; storing a %s in it is not supported", n.ID, have.DType, t.DType).
							WithHint("convert the item first, or pass a list of %s", j.DType)
						return
					}
				}
			}
		}
	}
	c.assignVar(name, ListOf(t), recv.Position())
}

// asList is e as a display, or nil.
func asList(e pyast.Expr) *pyast.List {
	l, _ := e.(*pyast.List)
	return l
}

// listArgs types a call's arguments; false if one is unknown.
func (c *checker) listArgs(e *pyast.Call) ([]*Type, bool) {
	args := make([]*Type, len(e.Args))
	ok := true
	for i, a := range e.Args {
		args[i] = c.expr(a)
		if args[i].IsUnknown() {
			ok = false
		}
	}
	return args, ok
}

// IsListRangeCall reports list(range(...)).
func IsListRangeCall(f *resolve.Func, e *pyast.Call) bool {
	return isBuiltinCall(f, e, "list") && len(e.Args) == 1 &&
		(isBuiltinCall(f, e.Args[0], "range") || isBuiltinCall(f, e.Args[0], "reversed"))
}

// SortKey is how sorted(l, key=f) or l.sort(key=f) computes an item's
// key: Call is a call of the key function Fn typed on one item (lowering
// passes the item, not Call's arguments), Key the key's type.
type SortKey struct {
	Call *pyast.Call
	Fn   pyast.Expr
	Key  *Type
}

// hasKey reports a key= keyword.
func hasKey(e *pyast.Call) bool {
	for _, k := range e.Keywords {
		if k.Name == "key" {
			return true
		}
	}
	return false
}

// sortKeywords types key= and reverse= of sorted() or list.sort() on items
// of type el: a compiled function or lambda returning a number or a tuple
// of numbers, and a bool or int; false after an error. Without key= the
// items themselves must be ordered.
func (c *checker) sortKeywords(e *pyast.Call, el *Type, what string) bool {
	if el.Kind == Str && len(e.Keywords) > 0 {
		c.errorf(e.P, diag.Unsupported, "%s() of a list of strings takes no key= or reverse= yet", what).
			WithHint("sort it, then reverse it: l.sort(); l.reverse()")
		return false
	}
	for _, k := range e.Keywords {
		switch k.Name {
		case "reverse":
			t := c.expr(k.Value)
			if !t.IsUnknown() && (t.Kind != Scalar || t.DType.Kind() > KInt) {
				c.errorf(k.Value.Position(), diag.Type, "%s(reverse=...) takes a bool or an int, not %s", what, t)
				return false
			}
		case "key":
			ft := c.expr(k.Value)
			if ft.IsUnknown() {
				continue
			}
			if ft.Kind != Function {
				c.errorf(k.Value.Position(), diag.Unsupported, "%s(key=...) takes a compiled function or a lambda here, not a %s", what, ft).
					WithHint("key=lambda x: ...")
				return false
			}
			syn := &pyast.Call{Func: k.Value, Args: []pyast.Expr{k.Value}}
			syn.P = k.P
			kt := c.userCall(syn, ft, []*Type{el}, nil)
			if kt.IsUnknown() {
				continue
			}
			if !ListItem(kt) || kt.Kind == Array || !ordered(kt) {
				c.errorf(k.Value.Position(), diag.Unsupported, "%s(key=...): the key must be a real number or a tuple of them, not %s", what, kt)
				return false
			}
			c.info().SortKeys[e] = &SortKey{Call: syn, Fn: k.Value, Key: kt}
		default:
			c.errorf(k.P, diag.Type, "%s() got an unexpected keyword argument '%s'", what, k.Name)
			return false
		}
	}
	if !hasKey(e) && !el.IsUnknown() && !ordered(el) {
		if el.Kind == List {
			c.errorf(e.P, diag.Type, "%s() of a list of lists of complex numbers: they are not ordered", what)
		} else if el.Kind == Array {
			c.errorf(e.P, diag.Unsupported, "sorting a list of arrays is not supported (arrays are not ordered)").
				WithHint("give a key: key=lambda x: x.sum()")
		} else {
			c.errorf(e.P, diag.Type, "%s() of complex numbers: they are not ordered", what)
		}
		return false
	}
	return true
}

// IsListIterCall reports list(zip(...)), list(enumerate(...)), sorted(...)
// of those, and
// list(itertools.product(...)) or another of itertools' iterators: a list
// built from the loop plan lowering has for the iterator.
func IsListIterCall(f *resolve.Func, e *pyast.Call) bool {
	if !(isBuiltinCall(f, e, "list") || isBuiltinCall(f, e, "sorted")) || len(e.Args) != 1 ||
		len(e.Keywords) > 0 && !isBuiltinCall(f, e, "sorted") {
		return false
	}
	if isBuiltinCall(f, e.Args[0], "zip") || isBuiltinCall(f, e.Args[0], "enumerate") {
		return true
	}
	_, ok := StdlibCall(f, e.Args[0], "itertools")
	return ok
}

// listCall types the calls that build, read or change lists: list
// methods, builtins and np.array of a list, sejit.typed_list; ok is false
// for a call that is none of these.
func (c *checker) listCall(e *pyast.Call, ft *Type) (*Type, bool) {
	if ft.Kind == Function {
		// A list passed to a compiled function is shared, as in CPython:
		// the callee returns its list parameters' final buffers and
		// lengths with its result, and the caller stores them back into
		// the variable it passed (lower.userCall). A list variable passed
		// twice would be two lists there, so it is refused.
		if c.innerCallArgs(e) { // list_lists.go
			return UnknownT, true
		}
		seen := map[string]bool{}
		for _, a := range e.Args {
			if c.expr(a).Kind != List {
				continue
			}
			n, ok := a.(*pyast.Name)
			if !ok {
				continue // a new list (display, call, comprehension): nothing to write back
			}
			if seen[n.ID] {
				c.errorf(a.Position(), diag.Unsupported, "passing the list '%s' twice to one call is not supported", n.ID).
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
	name := ft.Name
	if strings.HasPrefix(name, "list.") {
		return c.listMethod(e, name[len("list."):], ft.Elem()), true
	}
	switch name {
	case "sejit.typed_list":
		if len(e.Args) != 1 || len(e.Keywords) > 0 {
			c.errorf(e.P, diag.Type, "typed_list() takes one argument, the element type")
			return UnknownT, true
		}
		t := c.expr(e.Args[0])
		switch {
		case t.Kind == DTypeObj && (t.DType == Bool || t.DType == Int64 || t.DType == Float64 || t.DType == Complex128):
			// CPython's list holds what is appended: Python numbers stay
			// Python numbers (weak), NumPy ones make the items NumPy's.
			return ListOf(WeakOf(t.DType)), true
		case t.Kind == DTypeObj:
			return ListOf(ScalarOf(t.DType)), true
		case t.Kind == Builtin && t.Name == "builtins.int":
			return ListOf(Int), true
		case t.Kind == Builtin && t.Name == "builtins.float":
			return ListOf(Float), true
		case t.Kind == Builtin && t.Name == "builtins.bool":
			return ListOf(BoolT), true
		case t.Kind == Builtin && t.Name == "builtins.complex":
			return ListOf(WeakOf(Complex128)), true
		}
		c.errorf(e.Args[0].Position(), diag.Type, "typed_list() needs a number type such as np.float64 or int, not %s", t)
		return UnknownT, true
	case "builtins.list":
		if len(e.Keywords) > 0 || len(e.Args) > 1 {
			c.errorf(e.P, diag.Type, "list() takes at most one argument")
			return UnknownT, true
		}
		if len(e.Args) == 0 {
			return ListOf(UnknownT), true
		}
		if IsListRangeCall(c.spec.Func, e) || IsListIterCall(c.spec.Func, e) {
			t, ok := c.iterElem(e.Args[0])
			if !ok || t == nil {
				return UnknownT, true
			}
			if !ListItem(t) {
				c.errorf(e.Args[0].Position(), diag.Unsupported, "list() of items of type %s is not supported", t).
					WithHint("a list can hold numbers, tuples of numbers and arrays")
				return UnknownT, true
			}
			return ListOf(t), true
		}
		t := c.expr(e.Args[0])
		switch {
		case t.IsUnknown():
			return UnknownT, true
		case t.Kind == List:
			return t, true
		case t.Kind == Array && t.NDim == 1:
			return ListOf(ScalarOf(t.DType)), true
		case t.Kind == Array && t.NDim > 1:
			// Its rows, views of it.
			return ListOf(ArrayOf(t.DType, t.NDim-1, 'A')), true
		}
		c.errorf(e.Args[0].Position(), diag.Unsupported, "list() of a %s is not supported", t).
			WithHint("list() takes a list, a 1-D array or range(...)")
		return UnknownT, true
	case "builtins.sorted":
		if IsListIterCall(c.spec.Func, e) {
			// sorted(zip(...)) and the like: the items as list() builds them.
			t, ok := c.iterElem(e.Args[0])
			if !ok || t == nil {
				return UnknownT, true
			}
			if !ListItem(t) {
				c.errorf(e.Args[0].Position(), diag.Unsupported, "sorted() of items of type %s is not supported", t)
				return UnknownT, true
			}
			if !c.sortKeywords(e, t, "sorted") {
				return UnknownT, true
			}
			return ListOf(t), true
		}
	case "numpy.array_split", "numpy.split":
		return c.splitCall(e, name), true // list_arrays.go
	case "numpy.concatenate", "numpy.stack", "numpy.hstack", "numpy.vstack":
		if len(e.Args) == 0 {
			return nil, false
		}
		if t, ok := c.joinDisplay(e); ok { // list_arrays.go
			return t, true
		}
		if t := c.expr(e.Args[0]); t.Kind != List {
			return nil, false
		}
		return c.joinList(e, name), true // list_arrays.go
	case "builtins.len", "builtins.sum", "builtins.min", "builtins.max",
		"numpy.array", "numpy.asarray":
	default:
		return nil, false
	}
	if len(e.Args) != 1 {
		return nil, false
	}
	if name == "numpy.array" || name == "numpy.asarray" {
		c.markArrayDisplays(e.Args[0]) // NumPy converts their items: no list holds them
	}
	t := c.expr(e.Args[0])
	if t.Kind != List {
		if name == "builtins.sorted" && !t.IsUnknown() {
			c.errorf(e.P, diag.Unsupported, "sorted() of a %s is not supported", t).WithHint("use np.sort for arrays")
			return UnknownT, true
		}
		return nil, false
	}
	el := t.Elem()
	if el.IsUnknown() {
		return UnknownT, true
	}
	switch name {
	case "numpy.array", "numpy.asarray":
		for _, k := range e.Keywords {
			if k.Name != "dtype" {
				c.errorf(k.P, diag.Unsupported, "%s() of a list takes only dtype=", name)
				return UnknownT, true
			}
		}
		if el.Kind == Array {
			// np.array of a list of arrays: their stack (list_arrays.go).
			d := el.DType
			if len(e.Keywords) == 1 {
				dd, ok := dtypeArg(c.expr(e.Keywords[0].Value))
				if !ok {
					c.errorf(e.P, diag.Type, "dtype= must be a NumPy dtype such as np.float32")
					return UnknownT, true
				}
				d = dd
			}
			return ArrayOf(d, el.NDim+1, 'C'), true
		}
		ndim := 1
		for el.Kind == List {
			ndim++
			el = el.Elem()
		}
		if _, display := e.Args[0].(*pyast.List); ndim > 1 && display && !rectangular(e.Args[0], ndim) {
			c.errorf(e.Args[0].Position(), diag.Value, "nested lists must be displays of equal lengths (a rectangular array)")
			return UnknownT, true
		}
		d := el.DType
		if el.Kind == Tuple {
			// np.array of a list of tuples: an (n, fields) array of the
			// fields' promoted dtype, as NumPy builds it.
			ndim = 2
			d = el.Elems[0].DType
			for _, x := range el.Elems[1:] {
				d = Promote(d, x.DType)
			}
		}
		if len(e.Keywords) == 1 {
			kt := c.expr(e.Keywords[0].Value)
			dd, ok := dtypeArg(kt)
			if !ok {
				c.errorf(e.P, diag.Type, "dtype= must be a NumPy dtype such as np.float32, not %s", kt)
				return UnknownT, true
			}
			d = dd
		}
		return ArrayOf(d, ndim, 'C'), true
	}
	if el.Kind == Str && len(e.Keywords) == 0 {
		switch name {
		case "builtins.len":
			return Int, true
		case "builtins.sorted":
			return t, true
		case "builtins.min", "builtins.max":
			return el, true
		}
	}
	if el.Kind == Str {
		c.errorf(e.P, diag.Unsupported, "%s() of a list of strings is not supported yet", strings.TrimPrefix(name, "builtins."))
		return UnknownT, true
	}
	if name == "builtins.sorted" && (el.Kind == Tuple || el.Kind == Array || el.Kind == List || len(e.Keywords) > 0) {
		if !c.sortKeywords(e, el, "sorted") {
			return UnknownT, true
		}
		return t, true
	}
	if el.Kind == Array && name != "builtins.len" {
		c.errorf(e.P, diag.Unsupported, "%s() of a list of arrays is not supported", strings.TrimPrefix(name, "builtins.")).
			WithHint("use np.stack(l) or a loop")
		return UnknownT, true
	}
	if el.Kind == Tuple && name == "builtins.sum" {
		c.errorf(e.P, diag.Type, "sum() of a list of tuples: tuples do not add to the int 0")
		return UnknownT, true
	}
	if el.Kind != Scalar && el.Kind != Tuple && el.Kind != Array && !(el.Kind == List && name != "builtins.sum") {
		c.errorf(e.P, diag.Unsupported, "%s() of a list of lists is not supported", strings.TrimPrefix(name, "builtins."))
		return UnknownT, true
	}
	if len(e.Keywords) > 0 {
		c.errorf(e.P, diag.Unsupported, "%s() of a list takes no keyword arguments", strings.TrimPrefix(name, "builtins."))
		return UnknownT, true
	}
	switch name {
	case "builtins.len":
		return Int, true
	case "builtins.sum":
		return ListSumType(el), true
	case "builtins.min", "builtins.max", "builtins.sorted":
		if !ordered(el) {
			c.errorf(e.P, diag.Type, "%s() of complex numbers: they are not ordered", strings.TrimPrefix(name, "builtins."))
			return UnknownT, true
		}
		if name == "builtins.sorted" {
			return t, true
		}
		return el, true
	}
	return nil, false
}

// ListSumType is the type of sum() of a list of el: CPython starts from
// the int 0, so bools count as ints and NumPy scalars keep their dtype.
func ListSumType(el *Type) *Type {
	if el.DType == Bool {
		if el.Weak {
			return Int
		}
		return ScalarOf(Int64)
	}
	return el
}

// rectangular reports whether e is a display of displays nested ndim
// deep, of equal lengths at each depth.
func rectangular(e pyast.Expr, ndim int) bool {
	l, ok := e.(*pyast.List)
	if !ok {
		return false
	}
	if ndim == 1 {
		return true
	}
	n := -1
	for _, x := range l.Elts {
		sub, ok := x.(*pyast.List)
		if !ok || !rectangular(sub, ndim-1) {
			return false
		}
		if n >= 0 && len(sub.Elts) != n {
			return false
		}
		n = len(sub.Elts)
		if len(l.Elts) > 0 && ndim > 2 && !sameShape(l.Elts[0], x) {
			return false
		}
	}
	return true
}

func sameShape(a, b pyast.Expr) bool {
	la, ok1 := a.(*pyast.List)
	lb, ok2 := b.(*pyast.List)
	if !ok1 || !ok2 {
		return !ok1 && !ok2
	}
	if len(la.Elts) != len(lb.Elts) {
		return false
	}
	for i := range la.Elts {
		if !sameShape(la.Elts[i], lb.Elts[i]) {
			return false
		}
	}
	return true
}

// listMethod types recv.name(args).
func (c *checker) listMethod(e *pyast.Call, name string, lt *Type) *Type {
	recv := e.Func.(*pyast.Attribute).Value
	if len(e.Keywords) > 0 && name != "sort" {
		c.errorf(e.P, diag.Unsupported, "list.%s() takes no keyword arguments here", name)
		return UnknownT
	}
	if (listMutators[name] || name == "reverse" || name == "sort") && c.listTarget(recv) == "" && c.innerOwner(recv) == "" {
		c.errorf(recv.Position(), diag.Unsupported, "list.%s() needs a list variable", name).
			WithHint("assign the list to a name first")
		return UnknownT
	}
	args, ok := c.listArgs(e)
	if !ok {
		return UnknownT
	}
	el := lt.Elem()
	switch {
	case el.Kind != Str:
	case name == "append", name == "pop", name == "copy", name == "reverse", name == "sort", name == "count",
		name == "index", name == "clear":
	default:
		c.errorf(e.P, diag.Unsupported, "list.%s() of a list of strings is not supported yet", name).
			WithHint("lists of strings support append pop copy reverse sort count index clear, len, indexing, stores, iteration, `in`, sorted min max and str.join")
		return UnknownT
	}
	want := func(lo, hi int) bool {
		if len(args) < lo || len(args) > hi {
			c.errorf(e.P, diag.Type, "list.%s() takes %d to %d arguments (%d given)", name, lo, hi, len(args))
			return false
		}
		return true
	}
	isInt := func(i int) bool {
		if args[i].Kind != Scalar || args[i].DType.Kind() > KInt {
			c.errorf(e.Args[i].Position(), diag.Type, "list indices must be integers, not %s", args[i])
			return false
		}
		return true
	}
	isItem := func(i int) bool {
		if args[i].Kind == Str && (el.Kind == Str || el.IsUnknown()) {
			return true
		}
		if args[i].Kind == Str || el.Kind == Str {
			c.errorf(e.Args[i].Position(), diag.Unsupported, "a list of strings holds only strings, and a list of numbers no strings; this item is %s, the others %s", args[i], el)
			return false
		}
		if !itemOK(args[i]) {
			c.errorf(e.Args[i].Position(), diag.Unsupported, "a list can hold numbers, tuples of numbers and arrays, not a %s", args[i])
			return false
		}
		if args[i].Kind == List && el.Kind != List && (name == "index" || name == "count" || name == "remove") {
			c.errorf(e.P, diag.Unsupported, "list.%s() of a list is not supported (it compares lists)", name)
			return false
		}
		if !el.IsUnknown() && el.Kind != args[i].Kind || el.Kind == Tuple && len(el.Elems) != len(args[i].Elems) {
			c.errorf(e.Args[i].Position(), diag.Type, "a list's items must have one type; this one is %s, the others %s", args[i], el)
			return false
		}
		if el.Kind == Array && (el.DType != args[i].DType || el.NDim != args[i].NDim) {
			c.errorf(e.Args[i].Position(), diag.Unsupported, "a list's arrays must have one dtype and rank; this one is %s, the others %s", args[i], el).
				WithHint("convert it first (x.astype(...), x.reshape(...)), or use another list")
			return false
		}
		if args[i].Kind == Array && (name == "index" || name == "count" || name == "remove") {
			c.errorf(e.P, diag.Unsupported, "list.%s() of an array is not supported (== of arrays is element-wise)", name)
			return false
		}
		return true
	}
	switch name {
	case "append":
		if want(1, 1) && isItem(0) {
			c.growList(recv, args[0], e.Args[0].Position())
			c.noteInnerItem(e.Args[0], c.listTarget(recv)) // list_lists.go
		}
		return NoneT
	case "insert":
		if want(2, 2) && isInt(0) && isItem(1) {
			c.growList(recv, args[1], e.Args[1].Position())
			c.noteInnerItem(e.Args[1], c.listTarget(recv)) // list_lists.go
		}
		return NoneT
	case "extend":
		if want(1, 1) {
			if args[0].Kind != List {
				c.errorf(e.Args[0].Position(), diag.Unsupported, "list.extend() takes a list here, not a %s", args[0])
			} else if !args[0].Elem().IsUnknown() {
				c.growList(recv, args[0].Elem(), e.Args[0].Position())
			}
		}
		return NoneT
	case "pop":
		if want(0, 1) && (len(args) == 0 || isInt(0)) {
			return el
		}
	case "clear", "reverse":
		want(0, 0)
		return NoneT
	case "sort":
		if len(args) > 0 {
			c.errorf(e.P, diag.Type, "list.sort() takes no positional arguments")
			return NoneT
		}
		c.sortKeywords(e, el, "list.sort")
		return NoneT
	case "copy":
		want(0, 0)
		return lt
	case "index", "count", "remove":
		if want(1, 1) && isItem(0) {
			if name == "remove" {
				return NoneT
			}
			return Int
		}
	}
	return UnknownT
}

// listIndex types l[i].
func (c *checker) listIndex(e *pyast.Subscript, lt *Type) *Type {
	if s, ok := e.Index.(*pyast.Slice); ok {
		// A slice is a new list of the items it selects (lower.listExpr).
		for _, x := range []pyast.Expr{s.Lower, s.Upper, s.Step} {
			if x == nil {
				continue
			}
			if k, ok := x.(*pyast.Constant); ok && k.Kind == pyast.ConstNone {
				continue
			}
			if t := c.expr(x); !t.IsUnknown() && (t.Kind != Scalar || t.DType.Kind() > KInt) {
				c.errorf(x.Position(), diag.Type, "slice indices must be integers or None, not %s", t)
				return UnknownT
			}
		}
		if lt.Elem().IsUnknown() {
			return UnknownT
		}
		if k := lt.Elem().Kind; k != Scalar && k != Tuple && k != Array && k != List {
			// Lowering copies the item buffers (lower.listExpr): numbers,
			// tuples' fields and arrays' descriptor words.
			c.errorf(e.Index.Position(), diag.Unsupported, "slices of lists of %s are not supported yet", lt.Elem())
			return UnknownT
		}
		return lt
	}
	it := c.expr(e.Index)
	if it.IsUnknown() || lt.Elem().IsUnknown() {
		return UnknownT
	}
	if it.Kind != Scalar || it.DType.Kind() > KInt {
		c.errorf(e.Index.Position(), diag.Unsupported, "list indices must be integers here, not %s", it).
			WithHint("slices of lists are not supported yet: copy and loop instead")
		return UnknownT
	}
	return lt.Elem()
}

// listStore types l[i] = v (or l[i] op= v, where t is the operation's
// type): the value joins into the list's element type.
func (c *checker) listStore(tg *pyast.Subscript, t *Type) bool {
	lt := c.expr(tg.Value)
	if lt.Kind != List {
		return false
	}
	if _, ok := tg.Index.(*pyast.Slice); ok {
		// l[a:b] = other replaces the items (lower.listSliceStore): other
		// is a list, whose items join into l's element type.
		c.listIndex(tg, lt)
		if t.IsUnknown() {
			return true
		}
		if lt.Elem().Kind != Scalar && !lt.Elem().IsUnknown() {
			c.errorf(tg.Index.Position(), diag.Unsupported, "assigning to a slice of a list of %s is not supported yet", lt.Elem())
			return true
		}
		if t.Kind == List && t.Elem().IsUnknown() {
			return true // l[a:b] = []: nothing to join
		}
		if t.Kind != List || t.Elem().Kind != Scalar {
			c.errorf(tg.P, diag.Unsupported, "assigning a %s to a slice of a list is not supported (hint: assign a list)", t)
			return true
		}
		if c.listTarget(tg.Value) == "" && c.innerOwner(tg.Value) == "" {
			c.errorf(tg.Value.Position(), diag.Unsupported, "storing into a list needs a list variable")
			return true
		}
		c.growList(tg.Value, t.Elem(), tg.P)
		return true
	}
	c.listIndex(tg, lt)
	c.info().Types[tg] = lt.Elem()
	if t.IsUnknown() {
		return true
	}
	if t.Kind == Str && lt.Elem().Kind == Str {
		if c.listTarget(tg.Value) == "" {
			c.errorf(tg.Value.Position(), diag.Unsupported, "storing into a list needs a list variable")
		}
		return true
	}
	if t.Kind == Str || lt.Elem().Kind == Str {
		c.errorf(tg.P, diag.Unsupported, "a list of strings holds only strings, and a list of numbers no strings; this item is %s", t)
		return true
	}
	if !itemOK(t) {
		c.errorf(tg.P, diag.Unsupported, "a list can hold numbers, tuples of numbers and arrays, not a %s", t)
		return true
	}
	if outer := c.innerOwner(tg.Value); outer != "" {
		c.growInner(outer, t, tg.P) // grid[i][j] = x (list_lists.go)
		return true
	}
	if el := lt.Elem(); el.Kind == Array && (t.Kind != Array || t.DType != el.DType || t.NDim != el.NDim) {
		c.errorf(tg.P, diag.Unsupported, "a list's arrays must have one dtype and rank; this one is %s, the others %s", t, el)
		return true
	}
	if c.listTarget(tg.Value) == "" {
		c.errorf(tg.Value.Position(), diag.Unsupported, "storing into a list needs a list variable")
		return true
	}
	c.growList(tg.Value, t, tg.P)
	return true
}

// listBinop types l1 + l2, [x] * n and n * [x].
func (c *checker) listBinop(op string, l, r *Type, p pyast.Pos) *Type {
	if l.IsUnknown() || r.IsUnknown() {
		return UnknownT
	}
	isInt := func(t *Type) bool { return t.Kind == Scalar && t.DType.Kind() <= KInt && t.DType != Bool }
	if l.IsStrList() || r.IsStrList() {
		c.errorf(p, diag.Unsupported, "%s of lists of strings is not supported yet", opSymbol(op))
		return UnknownT
	}
	switch {
	case op == "Add" && l.Kind == List && r.Kind == List:
		if c.mixedItem(p, r.Elem(), l.Elem(), "the left list holds "+kindPlural(l.Elem())) {
			return UnknownT
		}
		if j, ok := Join(l, r); ok && itemOK(j.Elem()) {
			return j
		}
	case op == "Mult" && l.Kind == List && isInt(r):
		return l
	case op == "Mult" && r.Kind == List && isInt(l):
		return r
	}
	c.errorf(p, diag.Type, "unsupported operand types for %s: %s and %s", opSymbol(op), l, r)
	return UnknownT
}

// listFor refuses a for loop over a list variable whose body changes the
// list's length or rebinds it (CPython would see the change; the loop
// here reads the list as it was).
func (c *checker) listFor(s *pyast.For) {
	c.innerFor(s) // list_lists.go
	iter := s.Iter
	if isBuiltinCall(c.spec.Func, iter, "reversed") || isBuiltinCall(c.spec.Func, iter, "enumerate") {
		if call := iter.(*pyast.Call); len(call.Args) > 0 {
			iter = call.Args[0] // the loop reads the list as reversed() and enumerate() see it
		}
	}
	name := c.listTarget(iter)
	if t := c.info().Vars[name]; name == "" || t == nil || t.Kind != List { // a global is no list
		return
	}
	pyast.WalkStmts(s.Body, func(st pyast.Stmt) bool {
		switch st := st.(type) {
		case *pyast.Delete:
			for _, t := range st.Targets {
				if sub, ok := t.(*pyast.Subscript); ok && c.listTarget(sub.Value) == name {
					c.errorf(st.P, diag.Unsupported, "changing the length of the list '%s' while a for loop iterates over it is not supported", name).
						WithHint("loop with while and an index, or iterate over a copy: for x in %s.copy()", name)
				}
			}
		case *pyast.AugAssign:
			if c.listTarget(st.Target) == name {
				c.errorf(st.P, diag.Unsupported, "changing the list '%s' while a for loop iterates over it is not supported", name).
					WithHint("loop with while and an index, or iterate over a copy: for x in %s.copy()", name)
			}
		case *pyast.Assign:
			for _, t := range st.Targets {
				if c.listTarget(t) == name {
					c.errorf(t.Position(), diag.Unsupported, "rebinding the list '%s' while a for loop iterates over it is not supported", name)
				}
				if sub, ok := t.(*pyast.Subscript); ok && c.listTarget(sub.Value) == name {
					if _, slice := sub.Index.(*pyast.Slice); slice {
						c.errorf(t.Position(), diag.Unsupported, "assigning to a slice of the list '%s' while a for loop iterates over it is not supported", name)
					}
				}
			}
		}
		var value pyast.Expr
		switch st := st.(type) {
		case *pyast.ExprStmt:
			value = st.Value
		case *pyast.Assign:
			value = st.Value
		}
		if value != nil {
			if call, ok := value.(*pyast.Call); ok {
				if a, ok := call.Func.(*pyast.Attribute); ok && c.listTarget(a.Value) == name && listMutators[a.Attr] {
					c.errorf(call.P, diag.Unsupported, "changing the length of the list '%s' while a for loop iterates over it is not supported", name).
						WithHint("loop with while and an index, or iterate over a copy: for x in %s.copy()", name)
				}
			}
		}
		return true
	}, func(e pyast.Expr) {
		// A compiled function the list is passed to may change its
		// length (py.list-args); builtins (len, sum, ...) do not.
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			call, ok := x.(*pyast.Call)
			if !ok {
				return true
			}
			if fn, ok := call.Func.(*pyast.Name); ok {
				if k, _ := c.spec.Func.Lookup(fn.ID); k == resolve.BuiltinName {
					return true
				}
			} else if at, ok := call.Func.(*pyast.Attribute); ok {
				// Module functions (np.sum(l)) do not change it; list methods
				// are checked above; an object's method may.
				if m, ok := at.Value.(*pyast.Name); ok {
					if k, g := c.spec.Func.Lookup(m.ID); k == resolve.GlobalName && g != nil && g.Kind == "module" {
						return true
					}
				}
				if c.listTarget(at.Value) == name {
					return true
				}
			}
			for _, a := range call.Args {
				if c.listTarget(a) == name {
					c.errorf(a.Position(), diag.Unsupported, "passing the list '%s' to a function while a for loop iterates over it is not supported", name).
						WithHint("iterate over a copy: for x in %s.copy()", name)
				}
			}
			return true
		})
	})
}

// checkLists reports lists whose element type stayed unknown.
func (c *checker) checkLists(s *Spec) {
	if r := s.Info.Ret; r.Kind == List && r.Elem().IsUnknown() {
		c.errorf(s.Func.Def.P, diag.Type, "cannot infer the element type of the list %s() returns", s.Func.Def.Name).
			WithHint("build it with sejit.typed_list(np.float64)")
	}
}

// returnsListParam reports whether the compiled function of spec s has a
// return statement giving one of its list parameters back, alone or in a
// tuple.
func returnsListParam(s *Spec) bool {
	if s == nil {
		return false
	}
	params := map[string]bool{}
	for i, p := range s.Func.Params {
		if i < len(s.Args) && s.Args[i].Kind == List {
			params[p] = true
		}
	}
	if len(params) == 0 {
		return false
	}
	found := false
	var check func(e pyast.Expr)
	check = func(e pyast.Expr) {
		switch e := e.(type) {
		case *pyast.Name:
			found = found || params[e.ID]
		case *pyast.Tuple:
			for _, x := range e.Elts {
				check(x)
			}
		case *pyast.IfExp:
			check(e.Body)
			check(e.Orelse)
		}
	}
	pyast.WalkStmts(s.Func.Def.Body, func(st pyast.Stmt) bool {
		if r, ok := st.(*pyast.Return); ok && r.Value != nil {
			check(r.Value)
		}
		return true
	}, nil)
	return found
}

// indexListType types a list display used as an array index (x[[i, j]]):
// a 1-D array of its items, integers (int64) or bools (a mask), as NumPy
// converts it; lowering builds the array (lower.listExpr).
func (c *checker) indexListType(e *pyast.List) *Type {
	elem := Type{Kind: Scalar, DType: Int64}
	for i, x := range e.Elts {
		t := c.expr(x)
		if t.IsUnknown() {
			return UnknownT
		}
		if t.Kind != Scalar || t.DType.Kind() > KInt {
			c.errorf(x.Position(), diag.Type, "arrays used as indices must be of integer (or boolean) type")
			return UnknownT
		}
		if i == 0 && t.DType == Bool {
			elem.DType = Bool
		} else if (t.DType == Bool) != (elem.DType == Bool) {
			c.errorf(x.Position(), diag.Unsupported, "an index list mixing bools and integers is not supported")
			return UnknownT
		}
	}
	return ArrayOf(elem.DType, 1, 'C')
}
