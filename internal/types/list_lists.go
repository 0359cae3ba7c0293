package types

// Typing of lists of lists (issue 14): adjacency lists, grids, nested
// comprehensions. A list of lists is list(list(T)) with T a number type;
// its items are the inner lists themselves, shared as in CPython: `row =
// grid[i]` is a second name for the row, `grid.append(row)` puts the row
// itself into grid, and `[row] * 3` holds one row three times. Lowering
// keeps each inner list in a box (lower/list_lists.go) that every name
// for it reaches, so a change made through one name is seen through all.
//
// A plain list variable lives in its own variables (lists.go), so a local
// that names an inner list is a boxed variable instead (Info.Boxed): one
// bound from an item (`row = grid[i]`, `row = grid.pop()`, a for loop's
// or a comprehension's variable over a list of lists) or put into one
// (`grid.append(row)`, `grid[i] = row`, `[row, row]`). The element type of
// such a variable and of the lists it went into are one: an append to
// `row` grows the outer list's inner type too (innerLinks), through the
// same global fixed point that types every list.
//
// `row += [x]` and `grid[i] += [x]` change the row in place, as CPython's
// list.__iadd__ does (list_inplace.go).
//
// What this cannot express is refused with a positioned error: a list
// parameter put into a list of lists (the caller's list lives outside any
// box), a boxed variable moved to a second name (`b = row`), an item of
// a list of lists passed to a compiled function with another list argument that may hold
// it, and inner lists of anything but numbers.

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// IsListOfLists reports list(list(T)).
func IsListOfLists(t *Type) bool { return t != nil && t.Kind == List && t.Elem().Kind == List }

// innerListItem reports whether t can be a list of lists' item: a list of
// numbers (or one whose type is not known yet).
func innerListItem(t *Type) bool {
	return t.Kind == List && (t.Elem().Kind == Scalar || t.Elem().IsUnknown())
}

// itemOK reports whether t can be a list's item: ListItem's types and the
// inner lists of a list of lists.
func itemOK(t *Type) bool { return ListItem(t) || innerListItem(t) }

// innerOwner is the name of the list-of-lists variable whose item recv
// reads (`grid` for `grid[i]`), or "".
func (c *checker) innerOwner(recv pyast.Expr) string {
	sub, ok := recv.(*pyast.Subscript)
	if !ok {
		return ""
	}
	if _, slice := sub.Index.(*pyast.Slice); slice {
		return ""
	}
	n, ok := sub.Value.(*pyast.Name)
	if !ok {
		return ""
	}
	name := c.spec.Func.VarName(n)
	if t := c.info().Vars[name]; t != nil && IsListOfLists(t) {
		return name
	}
	return ""
}

// InnerRead reports whether e reads an item of a list of lists: x[i],
// x.pop(...), min(x) or max(x) with x a list of lists (types tells: ts is
// Info.Types).
func InnerRead(ts map[pyast.Expr]*Type, e pyast.Expr) bool {
	switch e := e.(type) {
	case *pyast.Subscript:
		if _, slice := e.Index.(*pyast.Slice); slice {
			return false
		}
		t := ts[e.Value]
		return t != nil && IsListOfLists(t)
	case *pyast.Call:
		if ft := ts[e.Func]; ft != nil && ft.Kind == Builtin && (ft.Name == "builtins.min" || ft.Name == "builtins.max") &&
			len(e.Args) == 1 {
			// min(grid) and max(grid) are one of its rows, itself
			t := ts[e.Args[0]]
			return t != nil && IsListOfLists(t)
		}
		a, ok := e.Func.(*pyast.Attribute)
		if !ok || a.Attr != "pop" {
			return false
		}
		t := ts[a.Value]
		return t != nil && IsListOfLists(t)
	}
	return false
}

// linkInner records that the list variable inner is (or may be) an item
// of the list of lists outer, so that their element types grow together.
func (c *checker) linkInner(inner, outer string) {
	if inner == "" || outer == "" || inner == outer {
		return
	}
	if c.innerLinks == nil {
		c.innerLinks = map[*Spec]map[string]map[string]bool{}
	}
	m := c.innerLinks[c.spec]
	if m == nil {
		m = map[string]map[string]bool{}
		c.innerLinks[c.spec] = m
	}
	if m[inner] == nil {
		m[inner] = map[string]bool{}
	}
	m[inner][outer] = true
	if t := c.info().Vars[inner]; t != nil && t.Kind == List && !t.Elem().IsUnknown() {
		c.assignVar(outer, ListOf(t), pyast.Pos{})
	}
	if t := c.info().Vars[outer]; t != nil && IsListOfLists(t) && !t.Elem().Elem().IsUnknown() {
		c.assignVar(inner, t.Elem(), pyast.Pos{})
	}
}

// growLinked joins list(t) into the lists of lists the list variable name
// went into or came from.
func (c *checker) growLinked(name string, t *Type, at pyast.Pos) {
	for outer := range c.innerLinks[c.spec][name] {
		c.assignVar(outer, ListOf(ListOf(t)), at)
	}
}

// growInner joins the item type t into the inner lists of the list of
// lists outer (an append to, or a store into, outer[i]).
func (c *checker) growInner(outer string, t *Type, at pyast.Pos) {
	if t.Kind != Scalar {
		c.errorf(at, diag.Unsupported, "the lists in a list of lists hold numbers, not a %s", t).
			WithHint("use a list of tuples, or a 2-D array")
		return
	}
	if c.final {
		if old := c.info().Vars[outer]; old != nil && IsListOfLists(old) &&
			c.mixedItem(at, t, old.Elem().Elem(), "the lists in '"+pyast.SourceName(outer)+"' hold "+kindPlural(old.Elem().Elem())) {
			return
		}
	}
	for i, p := range c.spec.Func.Params {
		if p != outer || i >= len(c.spec.Args) || !IsListOfLists(c.spec.Args[i]) || !c.final {
			continue
		}
		// The caller's inner lists keep their items' type, as for a list
		// argument of numbers (growList).
		have := c.spec.Args[i].Elem().Elem()
		if j, ok := Join(have, t); ok && j.DType != have.DType {
			c.errorf(at, diag.Unsupported, "the list argument '%s' holds lists of %s; storing a %s in them is not supported", pyast.SourceName(outer), have.DType, t.DType).
				WithHint("convert the item first, or pass lists of %s", j.DType)
			return
		}
	}
	c.assignVar(outer, ListOf(ListOf(t)), at)
	for inner, outs := range c.innerLinks[c.spec] {
		if outs[outer] {
			c.assignVar(inner, ListOf(t), at)
		}
	}
}

// noteInnerItem links the list variable an item expression names to the
// list of lists it goes into (outer's variable name).
func (c *checker) noteInnerItem(item pyast.Expr, outer string) {
	if n, ok := item.(*pyast.Name); ok && outer != "" {
		if t := c.info().Vars[c.spec.Func.VarName(n)]; t != nil && t.Kind == List {
			c.linkInner(c.spec.Func.VarName(n), outer)
		}
	}
}

// Boxed computes the boxed variables of spec s (see the package comment
// above): the list variables that name inner lists of lists of lists.
func boxedLists(s *Spec) map[string]bool {
	ts := s.Info.Types
	out := map[string]bool{}
	mark := func(e pyast.Expr) {
		if n, ok := e.(*pyast.Name); ok {
			if t := s.Info.Vars[s.Func.VarName(n)]; t != nil && t.Kind == List && t.Elem().Kind != List {
				out[s.Func.VarName(n)] = true
			}
		}
	}
	isLL := func(e pyast.Expr) bool {
		t := ts[e]
		return t != nil && IsListOfLists(t)
	}
	var target func(e pyast.Expr)
	target = func(e pyast.Expr) {
		switch e := e.(type) {
		case *pyast.Name:
			if t := s.Info.Vars[s.Func.VarName(e)]; t != nil && t.Kind == List && t.Elem().Kind != List {
				out[s.Func.VarName(e)] = true
			}
		case *pyast.Tuple:
			for _, x := range e.Elts {
				target(x)
			}
		}
	}
	pyast.WalkStmts(s.Func.Def.Body, func(st pyast.Stmt) bool {
		switch st := st.(type) {
		case *pyast.Assign:
			if InnerRead(ts, st.Value) {
				for _, tg := range st.Targets {
					mark(tg)
				}
			}
			for _, tg := range st.Targets {
				if sub, ok := tg.(*pyast.Subscript); ok && isLL(sub.Value) {
					mark(st.Value)
				}
			}
		case *pyast.For:
			target(st.Target)
		}
		return true
	}, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			switch x := x.(type) {
			case *pyast.List:
				if isLL(x) {
					for _, y := range x.Elts {
						mark(y)
					}
				}
			case *pyast.ListComp:
				if isLL(x) {
					mark(x.Elt)
				}
				for _, g := range x.Generators {
					target(g.Target)
				}
			case *pyast.GeneratorExp:
				for _, g := range x.Generators {
					target(g.Target)
				}
			case *pyast.Call:
				if a, ok := x.Func.(*pyast.Attribute); ok && isLL(a.Value) && (a.Attr == "append" || a.Attr == "insert") {
					for _, y := range x.Args {
						mark(y)
					}
				}
			}
			return true
		})
	})
	return out
}

// checkBoxed refuses, on the last pass, what boxed variables cannot do.
func (c *checker) checkBoxed(s *Spec) {
	boxed := s.Info.Boxed
	params := map[string]bool{}
	for _, p := range s.Func.Params {
		params[p] = true
	}
	pyast.WalkStmts(s.Func.Def.Body, func(st pyast.Stmt) bool {
		switch st := st.(type) {
		case *pyast.Assign:
			if n, ok := st.Value.(*pyast.Name); ok && boxed[s.Func.VarName(n)] {
				c.errorf(st.Value.Position(), diag.Unsupported, "a second name for '%s', a list that is an item of a list of lists, is not supported", n.ID).
					WithHint("read the item again (row = grid[i]), or copy it (%s.copy())", n.ID)
			}
		}
		return true
	}, nil)
	for name := range boxed {
		if params[name] {
			c.errorf(s.Func.Def.P, diag.Unsupported, "the list argument '%s' is put into, or read from, a list of lists; this is not supported", pyast.SourceName(name)).
				WithHint("put a copy in (%s.copy()), or pass the list of lists instead", pyast.SourceName(name))
		}
	}
}

// innerFor links a for loop's variable to the list of lists it iterates
// (directly, or through enumerate or reversed).
func (c *checker) innerFor(s *pyast.For) {
	iter, target := s.Iter, s.Target
	if isBuiltinCall(c.spec.Func, iter, "enumerate") {
		tt, ok := target.(*pyast.Tuple)
		if !ok || len(tt.Elts) != 2 {
			return
		}
		iter, target = iter.(*pyast.Call).Args[0], tt.Elts[1]
	} else if isBuiltinCall(c.spec.Func, iter, "reversed") {
		iter = iter.(*pyast.Call).Args[0]
	}
	it, ok := iter.(*pyast.Name)
	tn, ok2 := target.(*pyast.Name)
	if !ok || !ok2 || !IsListOfLists(c.expr(it)) {
		return
	}
	c.linkInner(c.spec.Func.VarName(tn), c.spec.Func.VarName(it))
}

// innerCallArgs refuses a call of a compiled function that is passed an
// inner list (grid[i], or a boxed variable) together with another list
// argument that is not new: the callee would hold two separate lists where
// CPython has one list reachable both ways. It reports an error.
func (c *checker) innerCallArgs(e *pyast.Call) bool {
	var inner pyast.Expr
	others := 0
	for _, a := range e.Args {
		if c.expr(a).Kind != List {
			continue
		}
		isInner := InnerRead(c.info().Types, a)
		if n, ok := a.(*pyast.Name); ok && c.info().Boxed[c.spec.Func.VarName(n)] {
			isInner = true
		}
		if isInner && inner == nil {
			inner = a
		} else if !freshList(a) {
			others++
		}
	}
	if inner == nil || others == 0 {
		return false
	}
	c.errorf(inner.Position(), diag.Unsupported, "passing an item of a list of lists together with another list argument to one call is not supported").
		WithHint("pass a copy of one of them (x.copy())")
	return true
}
