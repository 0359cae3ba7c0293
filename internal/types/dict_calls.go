package types

// Dicts and sets passed to compiled functions. They are shared as lists
// are: the callee returns its dict and set parameters' final parts after
// its result (lower.ReflectedLists), and the caller stores them back into
// the variable it passed (lower.userCall), so a helper that fills a memo
// is seen by its caller, recursion included.
//
// Typing has one more step than for lists, because the dict a caller
// passes is often still empty (`memo = {}; ways(n, memo)`): its key and
// value types are first known from what the callee stores. The callee is
// specialized on the dict as the caller knows it, unknown parts included;
// what the callee stores grows its parameter's variable; the caller then
// joins that variable's type into its own (hashedArgs), and calls again
// with the known types. The specialization made for the unknown dict is
// the same one: specialize merges arguments that differ only in unknown
// parts of dicts and sets (mergeHashedArgs), so no specialization is left
// with a dict whose types are unknown.

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// hashedWord is "dict" or "set".
func hashedWord(t *Type) string {
	if t.Kind == Set {
		return "set"
	}
	return "dict"
}

// hashedParam reports whether name is a parameter passed a dict or a set.
func (c *checker) hashedParam(name string) bool {
	for i, p := range c.spec.Func.Params {
		if p == name && i < len(c.spec.Args) && c.spec.Args[i].IsHashed() {
			return true
		}
	}
	return false
}

// hashedArgument reports whether x, bound to a parameter of a compiled
// function, passes a dict or set written in the call (a default value
// would be one dict shared by every call in CPython).
func hashedArgument(e *pyast.Call, x pyast.Expr) bool {
	for _, a := range e.Args {
		if a == x {
			return true
		}
	}
	for _, k := range e.Keywords {
		if k.Value == x {
			return true
		}
	}
	return false
}

// hashedArgs joins into each dict or set variable the call passes what
// the callee s stored into the matching parameter (first is the index of
// the first declared parameter among s's parameters).
func (c *checker) hashedArgs(s *Spec, bound []pyast.Expr, first int) {
	boundNames(s, bound, first, func(n *pyast.Name, t *Type) {
		if t == nil || !t.IsHashed() || t.Key().IsUnknown() || t.Kind == Dict && t.Value().IsUnknown() {
			return
		}
		mine := c.info().Vars[c.spec.Func.VarName(n)]
		if mine == nil || mine.Kind != t.Kind || widensKnown(mine, t) {
			return
		}
		if t.Kind == Set {
			c.growHashed(n, t.Key(), nil)
		} else {
			c.growHashed(n, t.Key(), t.Value())
		}
	})
}

// widensKnown reports whether the callee's dict or set t has a key or
// value type other than a known one of the caller's, mine: the caller's
// dict keeps its items' types, so that is refused in the callee
// (widensHashedParam) rather than joined here; only unknown parts (an
// empty dict's) are learnt from the callee.
func widensKnown(mine, t *Type) bool {
	for i, el := range mine.Elems {
		if i < len(t.Elems) && !el.IsUnknown() && el.ident() != t.Elems[i].ident() {
			return true
		}
	}
	return false
}

// mergeHashedArgs finds a specialization of f whose arguments equal args
// except in unknown parts of dicts and sets, and makes its arguments the
// merge of both (the known parts); nil when there is none.
func (c *checker) mergeHashedArgs(f *resolve.Func, args []*Type) *Spec {
	merge := func(a, b *Type) (*Type, bool) {
		if a.ident() == b.ident() {
			return a, true
		}
		if !a.IsHashed() || a.Kind != b.Kind {
			return nil, false
		}
		out := &Type{Kind: a.Kind, Elems: make([]*Type, len(a.Elems))}
		for i := range a.Elems {
			x, y := a.Elems[i], b.Elems[i]
			switch {
			case x.IsUnknown():
				out.Elems[i] = y
			case y.IsUnknown() || x.ident() == y.ident():
				out.Elems[i] = x
			default:
				return nil, false
			}
		}
		return out, true
	}
	hashed := false
	for _, a := range args {
		hashed = hashed || a.IsHashed()
	}
	if !hashed {
		return nil
	}
	for _, s := range c.prog.Specs {
		if s.Func != f || len(s.Args) != len(args) {
			continue
		}
		merged := make([]*Type, len(args))
		ok := true
		for i := range args {
			if merged[i], ok = merge(s.Args[i], args[i]); !ok {
				break
			}
		}
		if !ok {
			continue
		}
		for i, m := range merged {
			if m.ident() != s.Args[i].ident() {
				s.Args[i] = m
				if old := s.Info.Vars[f.Params[i]]; old == nil || !old.IsHashed() {
					s.Info.Vars[f.Params[i]] = m
				} else if j, ok := joinHashed(old, m); ok {
					s.Info.Vars[f.Params[i]] = j
				}
				c.changed = true
			}
		}
		c.byKey[specKey(f.ID, args)] = s
		c.byKey[specKey(f.ID, s.Args)] = s
		return s
	}
	return nil
}

// widensHashedParam refuses, in the last pass, storing a key k or a
// value v (nil for a set) of a wider type into a dict or set parameter
// (a float value into a dict of ints): the caller's variable would be
// converted where CPython's dict keeps each item's type.
func (c *checker) widensHashedParam(recv pyast.Expr, k, v *Type) bool {
	n, ok := recv.(*pyast.Name)
	if !ok || !c.final || !c.hashedParam(n.ID) {
		return false
	}
	var have *Type
	for i, p := range c.spec.Func.Params {
		if p == n.ID {
			have = c.spec.Args[i]
		}
	}
	parts := []*Type{k, v}
	for i, el := range have.Elems {
		if i >= len(parts) || parts[i] == nil || el.IsUnknown() {
			continue
		}
		if j, ok := joinElem(el, parts[i]); ok && j.ident() != el.ident() {
			what := [2]string{"keys", "values"}[i]
			c.errorf(recv.Position(), diag.Unsupported, "the %s argument '%s' holds %s %s; storing a %s in it is not supported",
				hashedWord(have), n.ID, el, what, parts[i]).
				WithHint("convert it first, or give the caller's %s %s of that type", hashedWord(have), what)
			return true
		}
	}
	return false
}

// checkHashedParams refuses, in the last pass, a dict or set parameter
// whose variable took other types than the caller's dict has (a float
// value stored into a dict of ints): the caller's variable would be
// converted where CPython's dict keeps each value's type.
func (c *checker) checkHashedParams(s *Spec) {
	for i, p := range s.Func.Params {
		if i >= len(s.Args) || !s.Args[i].IsHashed() {
			continue
		}
		if v := s.Info.Vars[p]; v != nil && v.IsHashed() && v.ident() != s.Args[i].ident() {
			c.errorf(s.Func.Def.P, diag.Unsupported, "%s() stores items of other types into its %s argument '%s' (%s, passed as %s); this is not supported",
				s.Func.Def.Name, hashedWord(v), pyast.SourceName(p), v, s.Args[i]).
				WithHint("convert the keys and values to the types the caller's %s holds", hashedWord(v))
		}
	}
}

// checkHashedReturns refuses `return d` of a dict or set parameter: the
// caller would hold the result as a second name for the dict it passed,
// which compiled code keeps in one variable. Returning a new dict or set
// (a local, a display, a comprehension) is supported: the entry's result
// comes back to Python as a new dict or set (the runtime's RET_DICT).
func (c *checker) checkHashedReturns(s *Spec) {
	if !s.Info.Ret.IsHashed() {
		return
	}
	pyast.WalkStmts(s.Func.Def.Body, func(st pyast.Stmt) bool {
		if _, def := st.(*pyast.FunctionDef); def {
			return false
		}
		r, ok := st.(*pyast.Return)
		if !ok || r.Value == nil {
			return true
		}
		if n, ok := r.Value.(*pyast.Name); ok {
			for i, p := range s.Func.Params {
				if p == n.ID && i < len(s.Args) && s.Args[i].IsHashed() {
					c.errorf(r.Value.Position(), diag.Unsupported, "returning the %s argument '%s' is not supported", hashedWord(s.Args[i]), n.ID).
						WithHint("return a copy (%s.copy())", n.ID)
				}
			}
		}
		return true
	}, nil)
}

// boundNames calls each with every plain name a call passes and the type
// the callee s gave the matching parameter (nil if it has none; first is
// the index of the first declared parameter among s's parameters). The
// dicts, sets and lists a caller shares with s take their types from these.
func boundNames(s *Spec, bound []pyast.Expr, first int, each func(n *pyast.Name, t *Type)) {
	for i, x := range bound {
		if n, ok := x.(*pyast.Name); ok && first+i < len(s.Func.Params) {
			each(n, s.Info.Vars[s.Func.Params[first+i]])
		}
	}
}
