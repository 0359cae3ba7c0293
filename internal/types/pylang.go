package types

// Typing for the Python-language step (issue 3): raise, for/while-else,
// loops over arrays, enumerate and zip, keyword arguments and defaults,
// nested functions and lambdas, tuple globals, and the builtins and math
// and cmath functions added with them.

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// stmtExt types the statements this step adds; false for the others.
func (c *checker) stmtExt(s pyast.Stmt) bool {
	if c.printStmt(s) {
		return true
	}
	switch s := s.(type) {
	case *pyast.Raise, *pyast.FunctionDef:
		// resolve checked the raise; a nested def is typed when called.
		return true
	case *pyast.Try:
		c.stmts(s.Body)
		for _, h := range s.Handlers {
			c.stmts(h.Body)
		}
		c.stmts(s.Orelse)
		c.stmts(s.Finalbody)
		return true
	case *pyast.Delete:
		c.delStmt(s) // dicts.go
		return true
	case *pyast.Assign:
		if _, lam := resolve.LambdaAssign(s); lam != nil {
			return true // binds a nested function, typed when called
		}
	case *pyast.While:
		if len(s.Orelse) > 0 {
			c.truth(s.Test)
			c.stmts(s.Body)
			c.stmts(s.Orelse)
			return true
		}
	}
	return false
}

// forExt types a for loop over something other than range(...): an
// array (its elements, or its rows), enumerate(...) or zip(...).
func (c *checker) forExt(s *pyast.For) bool {
	if isBuiltinCall(c.spec.Func, s.Iter, "range") {
		return false
	}
	if call, ok := s.Iter.(*pyast.Call); ok && c.isPrange(call) {
		return false // a range loop, perhaps parallel (forStmt)
	}
	if n, ok := s.Iter.(*pyast.Name); ok && isEmptyTuple(c.expr(n)) {
		// An empty tuple (*args with no extra arguments): the body never
		// runs, and is neither typed nor lowered (lower.forIter); the
		// target, never bound, is typed int so that it has a type.
		c.assign(s.Target, Int, s.Iter)
		c.stmts(s.Orelse)
		return true
	}
	t, ok := c.iterElem(s.Iter)
	if ok && t != nil {
		c.assign(s.Target, t, s.Iter)
		if n, ok := s.Target.(*pyast.Name); ok {
			c.info().Types[n] = c.info().Vars[c.spec.Func.VarName(n)]
		}
	}
	c.stmts(s.Body)
	c.stmts(s.Orelse)
	return true
}

// isBuiltinCall reports a call of Python's builtin name.
func isBuiltinCall(f *resolve.Func, e pyast.Expr, name string) bool {
	call, ok := e.(*pyast.Call)
	if !ok {
		return false
	}
	n, ok := call.Func.(*pyast.Name)
	if !ok || n.ID != name {
		return false
	}
	k, _ := f.Lookup(name)
	return k == resolve.BuiltinName
}

// IsBuiltinCall is isBuiltinCall for lowering.
func IsBuiltinCall(f *resolve.Func, e pyast.Expr, name string) bool { return isBuiltinCall(f, e, name) }

// iterElem is the type of one item of an iterable: nil and true while it
// is still unknown, false after an error.
func (c *checker) iterElem(e pyast.Expr) (*Type, bool) {
	f := c.spec.Func
	switch {
	case isBuiltinCall(f, e, "range"):
		call := e.(*pyast.Call)
		for _, a := range call.Args {
			at := c.expr(a)
			if !at.IsUnknown() && (at.Kind != Scalar || at.DType.Kind() > KInt) {
				c.errorf(a.Position(), diag.Type, "range() arguments must be integers, not %s", at)
				return nil, false
			}
		}
		if len(call.Args) < 1 || len(call.Args) > 3 || len(call.Keywords) > 0 {
			c.errorf(call.P, diag.Type, "range() takes 1 to 3 positional arguments")
			return nil, false
		}
		return Int, true
	case isBuiltinCall(f, e, "enumerate"):
		call := e.(*pyast.Call)
		start := EnumerateStart(call)
		if len(call.Args) < 1 || len(call.Args) > 2 || len(call.Keywords) > 0 && (start == nil || len(call.Args) > 1 || len(call.Keywords) > 1) {
			c.errorf(call.P, diag.Type, "enumerate() takes an iterable and an optional start")
			return nil, false
		}
		if start != nil {
			st := c.expr(start)
			if !st.IsUnknown() && (st.Kind != Scalar || st.DType.Kind() > KInt) {
				c.errorf(start.Position(), diag.Type, "enumerate() start must be an integer, not %s", st)
				return nil, false
			}
		}
		t, ok := c.iterElem(call.Args[0])
		if t == nil {
			return nil, ok
		}
		return TupleOf(Int, t), true
	case isBuiltinCall(f, e, "reversed"):
		return c.reversedElem(e.(*pyast.Call))
	case isBuiltinCall(f, e, "zip"):
		call := e.(*pyast.Call)
		if len(call.Keywords) > 0 {
			c.errorf(call.P, diag.Unsupported, "zip() keyword arguments are not supported")
			return nil, false
		}
		if len(call.Args) == 0 {
			c.errorf(call.P, diag.Unsupported, "zip() needs at least one iterable")
			return nil, false
		}
		elems := make([]*Type, len(call.Args))
		for i, a := range call.Args {
			t, ok := c.iterElem(a)
			if t == nil {
				return nil, ok
			}
			elems[i] = t
		}
		return TupleOf(elems...), true
	}
	if t, ok, handled := c.itertoolsIter(e); handled { // stdlib.go
		return t, ok
	}
	if t, ok, handled := c.dictIter(e); handled { // dicts.go
		return t, ok
	}
	t := c.expr(e)
	switch {
	case t.IsUnknown():
		return nil, true
	case t.Kind == Array && t.NDim == 0:
		c.errorf(e.Position(), diag.Type, "iteration over a 0-d array")
		return nil, false
	case t.Kind == Array && t.NDim == 1:
		return ScalarOf(t.DType), true
	case t.Kind == List && (itemOK(t.Elem()) || t.Elem().Kind == Str):
		return t.Elem(), true
	case t.Kind == Str:
		return StrT, true // its characters, 1-character strings
	case t.Kind == Array:
		return ArrayOf(t.DType, t.NDim-1, t.Layout), true
	case t.Kind == Tuple && len(t.Elems) == 0 && !t.IsObject():
		// An empty tuple (*args with no extra arguments): the body never
		// runs; its variable is typed as a Python int.
		return Int, true
	case t.Kind == Tuple && len(t.Elems) > 0:
		// A tuple of numbers: the loop variable takes their joined type.
		j := t.Elems[0]
		for _, x := range t.Elems {
			if x.Kind != Scalar {
				j = nil
				break
			}
			j, _ = Join(j, x)
		}
		if j != nil {
			return j, true
		}
		// A tuple of arrays of one dtype and rank (*args of arrays): the
		// loop variable is each array in turn (lower.forIter).
		if !t.IsObject() && t.Elems[0].Kind == Array {
			j = t.Elems[0]
			for _, x := range t.Elems {
				if j != nil && x.Kind == Array {
					j, _ = Join(j, x)
				} else {
					j = nil
				}
			}
			if j != nil {
				return j, true
			}
		}
	}
	c.errorf(e.Position(), diag.Unsupported, "for loops can iterate over range(), arrays, enumerate(), zip(), tuples of numbers and tuples of arrays of one dtype and rank, not a %s", t).
		WithHint("loop over indices: for i in range(len(x)): ... x[i] ...")
	return nil, false
}

// EnumerateStart is the start of enumerate(x, start) or enumerate(x,
// start=k), or nil.
func EnumerateStart(call *pyast.Call) pyast.Expr {
	if len(call.Args) == 2 {
		return call.Args[1]
	}
	for _, k := range call.Keywords {
		if k.Name == "start" {
			return k.Value
		}
	}
	return nil
}

// inTuple types `x in (a, b, ...)`: a number compared for equality with
// each number of the tuple.
func (c *checker) inTuple(e *pyast.Compare, l, r *Type) *Type {
	if len(e.Ops) > 1 {
		c.errorf(e.P, diag.Unsupported, "'in' inside a chained comparison is not supported")
		return UnknownT
	}
	if l.Kind != Scalar {
		c.errorf(e.P, diag.Unsupported, "'in' a tuple needs a number on its left, not %s", l)
		return UnknownT
	}
	for _, x := range r.Elems {
		if x.Kind != Scalar {
			c.errorf(e.P, diag.Unsupported, "'in' a tuple needs a tuple of numbers, not one holding %s", x)
			return UnknownT
		}
	}
	return BoolT
}

// unpackArray types `a, b = x` for an array x: each name takes an item of
// its first axis (its length is checked when the program runs).
func (c *checker) unpackArray(tg *pyast.Tuple, t *Type, value pyast.Expr) {
	el := ScalarOf(t.DType)
	if t.NDim > 1 {
		el = ArrayOf(t.DType, t.NDim-1, t.Layout)
	}
	for _, e := range tg.Elts {
		if _, ok := e.(*pyast.Starred); ok {
			c.errorf(e.Position(), diag.Unsupported, "starred assignment targets are not supported")
			return
		}
		c.assign(e, el, value)
	}
}

// StarAt is the index of the starred name of a tuple target (`a, *b, c`),
// or -1.
func StarAt(tg *pyast.Tuple) int { return starAt(tg) }

func starAt(tg *pyast.Tuple) int {
	for i, e := range tg.Elts {
		if _, ok := e.(*pyast.Starred); ok {
			return i
		}
	}
	return -1
}

// unpackStar types `a, *b, c = t` for a tuple t: the names around the star
// take the items at their ends, and the starred name a list of the items
// between, as in CPython; they must be numbers (or tuples, arrays) of one
// type, and at least one, since an empty list's type is unknown.
func (c *checker) unpackStar(tg *pyast.Tuple, t *Type, value pyast.Expr) {
	s := starAt(tg)
	after := len(tg.Elts) - s - 1
	n := len(t.Elems) - s - after
	if n < 0 {
		c.errorf(tg.P, diag.Value, "not enough values to unpack (expected at least %d, got %d)", len(tg.Elts)-1, len(t.Elems))
		return
	}
	for i := 0; i < s; i++ {
		c.assign(tg.Elts[i], t.Elems[i], value)
	}
	for i := 0; i < after; i++ {
		c.assign(tg.Elts[s+1+i], t.Elems[s+n+i], value)
	}
	star := tg.Elts[s].(*pyast.Starred)
	if n == 0 {
		c.errorf(star.P, diag.Unsupported, "the starred name takes no item here, and the type of an empty list is unknown")
		return
	}
	elem := t.Elems[s]
	for _, x := range t.Elems[s : s+n] {
		j, ok := Join(elem, x)
		if !ok || !ListItem(x) || x.Kind == Scalar && x.DType.Kind() != t.Elems[s].DType.Kind() {
			c.errorf(star.P, diag.Type, "the starred name takes a list of the items %d to %d, which must have one type", s, s+n-1)
			return
		}
		elem = j
	}
	lt := ListOf(elem)
	c.info().Types[star] = lt
	c.assign(star.Value, lt, star)
}

// nestedRef is the type of a reference to a nested function: a function
// carrying the types of the variables it captures, read where the
// reference is made.
func (c *checker) nestedRef(e pyast.Expr, nf *resolve.Func) *Type {
	elems := make([]*Type, len(nf.Captures))
	for i, name := range nf.Captures {
		if !c.spec.Func.Locals[name] {
			c.errorf(e.Position(), diag.Unsupported, "the nested function '%s' reads the variable '%s' of %s(), "+
				"which is not visible here", nf.Def.Name, name, nf.Outer.Def.Name).
				WithHint("call it from the function that defines it, or pass the value as an argument")
			return UnknownT
		}
		t := c.info().Vars[name]
		if t.IsUnknown() {
			return UnknownT
		}
		if t.IsHashed() { // dicts.go
			c.errorf(e.Position(), diag.Unsupported, "the nested function '%s' uses the %s '%s' of %s(): not supported yet "+
				"(it would see a copy)", nf.Def.Name, t, name, nf.Outer.Def.Name).
				WithHint("inline the nested function")
			return UnknownT
		}
		if t.Kind == List && resizesList(nf.Def.Body, name) {
			// A captured list travels as its buffer and length (lists.go): a
			// nested function reads it and stores into its elements, but a new
			// length or buffer would stay in its copy of the two.
			c.errorf(e.Position(), diag.Unsupported, "the nested function '%s' changes the length of the list '%s' of %s(): "+
				"not supported yet (the change would be lost)", nf.Def.Name, name, nf.Outer.Def.Name).
				WithHint("inline the nested function, or return the new items and append them here")
			return UnknownT
		}
		elems[i] = t
	}
	return &Type{Kind: Function, Name: nf.ID, Elems: elems}
}

// userCall binds a call of a compiled function: positional arguments,
// keywords and defaults, then the function's captured variables.
func (c *checker) userCall(e *pyast.Call, ft *Type, args []*Type, kw map[string]*Type) *Type {
	f := c.prog.Funcs[ft.Name]
	if f == nil {
		c.errorf(e.P, diag.Internal, "function %s missing from the request", ft.Name)
		return UnknownT
	}
	name := f.Def.Name
	// A bound method's object is its first parameter, passed outside the
	// call's arguments (lowering's methodSelf); a nested function's
	// captured variables follow its declared parameters.
	var self, captured []*Type
	if ft.BoundMethod() {
		self = ft.Elems[:1]
	} else {
		captured = ft.Elems
	}
	params := f.Params[len(self):f.NDeclared]
	bound, ts, ok := c.bindCall(e, f, len(self), params, args, kw)
	if !ok {
		return UnknownT
	}
	for i, a := range ts {
		if a.Kind == List && c.listArgument(e, bound[i], a) {
			continue
		}
		if a.IsHashed() && hashedArgument(e, bound[i]) { // dict_calls.go
			continue
		}
		if !a.IsNumeric() && a.Kind != Tuple && a.Kind != Function && a.Kind != Str && a.Kind != DTypeObj {
			c.errorf(bound[i].Position(), diag.Unsupported, "cannot pass a %s to a function", a)
			return UnknownT
		}
	}
	all := append(append(append([]*Type{}, self...), ts...), captured...)
	s := c.specialize(f, all)
	c.info().Callees[e] = s
	c.info().Bound[e] = bound
	c.hashedArgs(s, bound, len(self))     // dict_calls.go
	c.calleeListArgs(s, bound, len(self)) // list_calls.go
	if s.Info.RetNone && !c.discarded[e] {
		c.errorf(e.P, diag.Unsupported, "%s() returns None on some paths and a %s on others, so this value may be None",
			name, s.Info.Ret).
			WithHint("call it as a statement, or return a value on every path")
		return UnknownT
	}
	return s.Info.Ret
}

// tupleGlobal types a module-level tuple of numbers as the tuple of
// constants it held at call time.
func (c *checker) tupleGlobal(e pyast.Expr, name string, g *resolve.Global) *Type {
	syn, ok := c.synth[g]
	if !ok {
		x, why := resolve.GlobalExpr(g, e.Position(), true)
		if x == nil {
			c.errorf(e.Position(), diag.Unsupported, "global '%s' is a tuple holding a %s, which compiled code cannot use", name, why).
				WithHint("module-level tuples may hold numbers and tuples of numbers")
			return UnknownT
		}
		syn = x
		c.synth[g] = syn
	}
	c.info().Alias[e] = syn
	return c.expr(syn)
}

// listResizers are the list methods that change a list's length or buffer.
var listResizers = map[string]bool{"append": true, "extend": true, "insert": true, "pop": true,
	"remove": true, "clear": true}

// resizesList reports whether body may change the length of the list
// variable name: a resizing method call, an augmented assignment, a del
// or a rebinding of the name.
func resizesList(body []pyast.Stmt, name string) bool {
	isName := func(x pyast.Expr) bool {
		n, ok := x.(*pyast.Name)
		return ok && n.ID == name
	}
	found := false
	pyast.WalkStmts(body, func(st pyast.Stmt) bool {
		switch st := st.(type) {
		case *pyast.AugAssign:
			found = found || isName(st.Target)
		case *pyast.Assign:
			for _, t := range st.Targets {
				found = found || isName(t)
			}
		case *pyast.Delete:
			for _, t := range st.Targets {
				if sub, ok := t.(*pyast.Subscript); ok {
					t = sub.Value
				}
				found = found || isName(t) // del l[i], del l
			}
		}
		return true
	}, func(x pyast.Expr) {
		pyast.WalkExpr(x, func(y pyast.Expr) bool {
			if call, ok := y.(*pyast.Call); ok {
				if a, ok := call.Func.(*pyast.Attribute); ok && isName(a.Value) && listResizers[a.Attr] {
					found = true
				}
			}
			return true
		})
	})
	return found
}

// bindCall binds a call's arguments to the declared parameters of f (those
// after the nskip a bound method's object fills): positional arguments,
// f(*t) with t a tuple (each item an argument), the extra positional
// arguments into the *args tuple, keywords, and the defaults of the
// positional and the keyword-only parameters. It returns the expression and
// the type each parameter receives.
func (c *checker) bindCall(e *pyast.Call, f *resolve.Func, nskip int, params []string, args []*Type, kw map[string]*Type) ([]pyast.Expr, []*Type, bool) {
	name := f.Def.Name
	var posE []pyast.Expr
	var posT []*Type
	for i, a := range e.Args {
		st, star := a.(*pyast.Starred)
		if !star {
			posE, posT = append(posE, a), append(posT, args[i])
			continue
		}
		t := args[i]
		if t.Kind != Tuple || t.IsObject() {
			c.errorf(st.P, diag.Unsupported, "f(*x) needs a tuple x, not a %s", t)
			return nil, nil, false
		}
		for j := range t.Elems {
			item := c.starItem(st, j)
			posE, posT = append(posE, item), append(posT, c.expr(item))
		}
	}
	npos := f.Def.NPos - nskip
	nd := len(params)
	bound := make([]pyast.Expr, nd)
	ts := make([]*Type, nd)
	kwFirst := npos
	kwIdx := -1 // the **kwargs parameter, which collects the keywords no other parameter takes
	if f.Def.Kwarg {
		kwIdx = nd - 1
	}
	var extraKw []*pyast.Keyword
	if f.Def.Vararg {
		kwFirst++
		extra := c.varargTuple(e, posE[min(npos, len(posE)):])
		var et []*Type
		if len(posT) > npos {
			et = posT[npos:]
		}
		bound[npos], ts[npos] = extra, TupleOf(et...)
		c.info().Types[extra] = ts[npos]
	} else if len(posE) > npos {
		c.errorf(e.P, diag.Type, "%s() takes %d positional arguments but %d were given", name, npos, len(posE))
		return nil, nil, false
	}
	for i := 0; i < npos && i < len(posE); i++ {
		bound[i], ts[i] = posE[i], posT[i]
	}
	for _, k := range e.Keywords {
		i := -1
		for j, p := range params {
			if p == k.Name && (j < npos || j >= kwFirst) && j != kwIdx {
				i = j
			}
		}
		if i < 0 && kwIdx >= 0 && k.Name != "" {
			extraKw = append(extraKw, k)
			continue
		}
		if i < 0 {
			c.errorf(k.P, diag.Type, "%s() got an unexpected keyword argument '%s'", name, k.Name)
			return nil, nil, false
		}
		if bound[i] != nil {
			c.errorf(k.P, diag.Type, "%s() got multiple values for argument '%s'", name, k.Name)
			return nil, nil, false
		}
		bound[i], ts[i] = k.Value, kw[k.Name]
	}
	if kwIdx >= 0 {
		bound[kwIdx], ts[kwIdx] = c.kwargsRecord(e, extraKw, kw) // kwargs.go
	}
	first := npos - len(f.DefaultExprs)
	var missing, missingKw []string
	for i := range bound {
		if bound[i] != nil {
			continue
		}
		var d pyast.Expr
		var why string
		switch {
		case i < first:
			missing = append(missing, "'"+params[i]+"'")
			continue
		case i < npos:
			d, why = f.DefaultExprs[i-first], f.DefaultTypes[i-first]
		default:
			j := i - kwFirst
			if !f.HasKwDefault[j] {
				missingKw = append(missingKw, "'"+params[i]+"'")
				continue
			}
			d, why = f.KwDefaultExprs[j], f.KwDefaultTypes[j]
		}
		if d == nil {
			c.errorf(e.P, diag.Unsupported, "the default value of parameter '%s' of %s() is a %s, which compiled code cannot use",
				params[i], name, why).WithHint("pass the argument explicitly")
			return nil, nil, false
		}
		bound[i], ts[i] = d, c.expr(d)
		if ts[i].IsUnknown() {
			return nil, nil, false
		}
	}
	if len(missing) > 0 {
		c.errorf(e.P, diag.Type, "%s() missing %d required positional argument(s): %s", name, len(missing),
			strings.Join(missing, ", "))
		return nil, nil, false
	}
	if len(missingKw) > 0 {
		c.errorf(e.P, diag.Type, "%s() missing %d required keyword-only argument(s): %s", name, len(missingKw),
			strings.Join(missingKw, ", "))
		return nil, nil, false
	}
	return bound, ts, true
}

// starItem is the expression t[j] for the item j of f(*t): one node per
// call and item, so every pass of the fixed point types the same node.
func (c *checker) starItem(st *pyast.Starred, j int) pyast.Expr {
	items := c.stars[st]
	for len(items) <= j {
		sub := &pyast.Subscript{Value: st.Value, Index: pyast.IntConst(st.P, int64(len(items)))}
		sub.P = st.P
		items = append(items, sub)
	}
	c.stars[st] = items
	return items[j]
}

// varargTuple is the tuple of a call's extra positional arguments, the
// value of the callee's *args: one node per call and argument list.
func (c *checker) varargTuple(e *pyast.Call, items []pyast.Expr) *pyast.Tuple {
	if t := c.varargs[e]; t != nil && len(t.Elts) == len(items) {
		same := true
		for i := range items {
			same = same && t.Elts[i] == items[i]
		}
		if same {
			return t
		}
	}
	t := &pyast.Tuple{Elts: append([]pyast.Expr{}, items...)}
	t.P = e.P
	c.varargs[e] = t
	return t
}

// isEmptyTuple reports the type of () (an *args without extra arguments).
func isEmptyTuple(t *Type) bool { return t.Kind == Tuple && len(t.Elems) == 0 && !t.IsObject() }

// reversedElem types reversed(x) as an iterable: x must be a sequence
// (range, list, array, tuple); enumerate, zip and itertools' iterators
// are not reversible in CPython either.
func (c *checker) reversedElem(call *pyast.Call) (*Type, bool) {
	f := c.spec.Func
	if len(call.Args) != 1 || len(call.Keywords) > 0 {
		c.errorf(call.P, diag.Type, "reversed() takes exactly one argument")
		return nil, false
	}
	x := call.Args[0]
	if isBuiltinCall(f, x, "range") {
		return c.iterElem(x)
	}
	for _, name := range []string{"enumerate", "zip", "reversed"} {
		if isBuiltinCall(f, x, name) {
			c.errorf(x.Position(), diag.Type, "'%s' object is not reversible", name)
			return nil, false
		}
	}
	if recv, _ := DictView(x); recv != nil {
		c.errorf(x.Position(), diag.Unsupported, "reversed() of a dict view is not supported")
		return nil, false
	}
	t := c.expr(x)
	switch {
	case t.IsUnknown():
		return nil, true
	case t.Kind == List, t.Kind == Array && t.NDim > 0, t.Kind == Tuple && !t.IsObject():
		return c.iterElem(x)
	}
	c.errorf(x.Position(), diag.Unsupported, "reversed() of a %s is not supported", t).
		WithHint("reverse a range, a list, an array or a tuple")
	return nil, false
}

// listArgument reports whether x, bound to a parameter of a compiled
// function, may pass the list of type t: a list of numbers written in the
// call itself (a default value would be one list shared by every call in
// CPython, which sejit does not keep), whose item type is known or is
// still to be learnt from what the callee stores (an empty list, list_calls.go).
func (c *checker) listArgument(e *pyast.Call, x pyast.Expr, t *Type) bool {
	written := false
	for _, a := range e.Args {
		written = written || a == x
	}
	for _, k := range e.Keywords {
		written = written || k.Value == x
	}
	if !written || t.Elem().Kind != Scalar && !t.Elem().IsUnknown() && !(IsListOfLists(t) && t.Elem().Elem().Kind == Scalar) {
		return false
	}
	return true
}
