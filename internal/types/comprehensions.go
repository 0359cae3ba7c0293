package types

// Typing of comprehensions (issue 14). A list comprehension is a list of
// its element's type, built by a loop (lower/comprehensions.go); a
// generator expression is typed only as the argument of a builtin that
// consumes it item by item — sum, min, max, any, all — or collects it —
// list, sorted, and tuple where its length is known when compiling. Each
// clause's loop variables take the item type of its iterable as a for
// loop's would (iterElem); they are locals of their own, renamed by the
// decoder (pyast/comprehensions.go), so they never leak.

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// GenConsumers are the builtins a generator expression may be passed to.
var GenConsumers = map[string]bool{"builtins.sum": true, "builtins.min": true, "builtins.max": true,
	"builtins.any": true, "builtins.all": true, "builtins.list": true, "builtins.tuple": true, "builtins.sorted": true}

// MaxGenTuple bounds the length of tuple(generator) (each item is a value
// of its own).
const MaxGenTuple = 64

// compClauses types a comprehension's clauses; false after an error or
// while an iterable's type is unknown.
func (c *checker) compClauses(gens []*pyast.Comprehension) bool {
	ok := true
	for _, g := range gens {
		t, good := c.iterElem(g.Iter)
		if !good || t == nil {
			ok = false
			c.assign(g.Target, UnknownT, nil)
		} else {
			c.assign(g.Target, t, g.Iter)
			if n, isName := g.Target.(*pyast.Name); isName {
				c.info().Types[n] = c.info().Vars[c.spec.Func.VarName(n)]
				if it, ok := g.Iter.(*pyast.Name); ok && IsListOfLists(c.expr(it)) {
					c.linkInner(c.spec.Func.VarName(n), c.spec.Func.VarName(it)) // list_lists.go
				}
			}
		}
		for _, cond := range g.Ifs {
			c.truth(cond)
		}
	}
	return ok
}

// compElem types a comprehension's clauses and element: the element's
// type, a number; nil while unknown or after an error.
func (c *checker) compElem(what string, elt pyast.Expr, gens []*pyast.Comprehension) *Type {
	ok := c.compClauses(gens)
	t := c.expr(elt)
	if !ok || t.IsUnknown() {
		return nil
	}
	if t.Kind == Str && what == "a list comprehension" {
		return t // a list of strings (strings.go)
	}
	if !ListItem(t) && !(innerListItem(t) && what == "a list comprehension") {
		c.errorf(elt.Position(), diag.Unsupported, "the items of %s must be numbers or tuples of numbers, not %s", what, t).
			WithHint("fill an array in a for loop instead")
		return nil
	}
	return t
}

// listComp types [elt for ...].
func (c *checker) listComp(e *pyast.ListComp) *Type {
	t := c.compElem("a list comprehension", e.Elt, e.Generators)
	if t == nil {
		return UnknownT
	}
	return ListOf(t)
}

// genExpr refuses a generator expression anywhere but as a consumer's
// argument (genCall types those without coming here).
func (c *checker) genExpr(e *pyast.GeneratorExp) *Type {
	c.errorf(e.P, diag.Unsupported, "generator expressions are only supported as the argument of sum, min, max, any, all, list, tuple and sorted").
		WithHint("write a list comprehension [... for ...], or a for loop")
	return UnknownT
}

// IsGenCall reports a call of a generator's consumer whose only argument
// is a generator expression, or any()/all() of an iterable.
func IsGenCall(f *resolve.Func, e *pyast.Call) (name string, ok bool) {
	n, isName := e.Func.(*pyast.Name)
	if !isName || len(e.Args) != 1 || len(e.Keywords) > 0 || !GenConsumers["builtins."+n.ID] {
		return "", false
	}
	if k, _ := f.Lookup(n.ID); k != resolve.BuiltinName {
		return "", false
	}
	if _, gen := e.Args[0].(*pyast.GeneratorExp); gen || n.ID == "any" || n.ID == "all" {
		return n.ID, true
	}
	return "", false
}

// GenTupleLen is the length of tuple(elt for x in range(a, b, c)) with
// constant bounds and no conditions, or of a tuple's items.
func GenTupleLen(gens []*pyast.Comprehension, iterType *Type) (int64, bool) {
	if len(gens) != 1 || len(gens[0].Ifs) > 0 {
		return 0, false
	}
	if iterType != nil && iterType.Kind == Tuple {
		return int64(len(iterType.Elems)), true
	}
	call, ok := gens[0].Iter.(*pyast.Call)
	if !ok || len(call.Args) < 1 || len(call.Args) > 3 {
		return 0, false
	}
	if n, ok := call.Func.(*pyast.Name); !ok || n.ID != "range" {
		return 0, false
	}
	var args [3]int64
	args[2] = 1
	for i, a := range call.Args {
		k, ok := constIndex(a)
		if !ok {
			return 0, false
		}
		args[i] = k
	}
	start, stop, step := args[0], args[1], args[2]
	if len(call.Args) == 1 {
		start, stop = 0, args[0]
	}
	if step == 0 {
		return 0, false
	}
	var n int64
	if step > 0 && stop > start {
		n = (stop - start + step - 1) / step
	} else if step < 0 && stop < start {
		n = (start - stop - step - 1) / -step
	}
	return n, true
}

// genCall types sum/min/max/any/all/list/tuple/sorted of a generator
// expression, and any()/all() of an iterable; ok is false for other calls.
func (c *checker) genCall(e *pyast.Call) (*Type, bool) {
	name, ok := IsGenCall(c.spec.Func, e)
	if !ok {
		return nil, false
	}
	g, isGen := e.Args[0].(*pyast.GeneratorExp)
	var el *Type
	if isGen {
		el = c.compElem("a generator expression", g.Elt, g.Generators)
		c.info().Types[g] = UnknownT
	} else {
		t, good := c.iterElem(e.Args[0])
		if good && t != nil && t.Kind != Scalar {
			c.errorf(e.Args[0].Position(), diag.Unsupported, "%s() of items of type %s is not supported", name, t).
				WithHint("use np.%s on arrays", name)
			return UnknownT, true
		}
		el = t
	}
	if el == nil {
		return UnknownT, true
	}
	if el.Kind == Array && name != "list" {
		c.errorf(g.Elt.Position(), diag.Unsupported, "%s() of arrays is not supported", name).
			WithHint("build a list of the arrays, or use np.stack")
		return UnknownT, true
	}
	if el.Kind == Tuple && name != "list" && name != "sorted" {
		c.errorf(g.Elt.Position(), diag.Unsupported, "%s() of tuples is not supported", name).
			WithHint("build a list of the tuples, or compare numbers")
		return UnknownT, true
	}
	switch name {
	case "any", "all":
		return BoolT, true
	case "sum":
		return ListSumType(el), true
	case "list":
		return ListOf(el), true
	case "min", "max", "sorted":
		if !ordered(el) {
			c.errorf(e.P, diag.Type, "%s() of complex numbers: they are not ordered", name)
			return UnknownT, true
		}
		if name == "sorted" {
			return ListOf(el), true
		}
		return el, true
	case "tuple":
		n, ok := GenTupleLen(g.Generators, c.info().Types[g.Generators[0].Iter])
		if !ok || n > MaxGenTuple {
			c.errorf(g.P, diag.Unsupported, "tuple() of a generator expression needs a length known when compiling (at most %d)", MaxGenTuple).
				WithHint("iterate over range() with constant bounds and no if, or build a list: [... for ...]")
			return UnknownT, true
		}
		elems := make([]*Type, n)
		for i := range elems {
			elems[i] = el
		}
		return TupleOf(elems...), true
	}
	return nil, false
}
