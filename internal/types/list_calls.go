package types

// Empty lists filled by compiled callees. A list made empty in one
// function (`order = []`) and filled by the helpers it is passed to
// (`visit(adj, u, seen, order)` appending to order, recursively) has no
// element type in the caller until the callees are typed. As for dicts
// (dict_calls.go), the callee is first specialized on the list as the
// caller knows it, its element unknown; what the callee appends, inserts,
// extends or stores grows its parameter's variable; the caller joins that
// variable's type into its own (calleeListArgs), as its own appends would
// be joined, and calls again with the known type. A chain of helpers
// passes the type up one level per round of the fixed point.
//
// The specializations made on the way (the callee on the unknown list, or
// on a narrower type than the final join) are no longer called once the
// types are final; pruneSpecs drops them before the last pass, so that
// their provisional types neither raise errors (a helper appending floats
// to what was, one round earlier, a list of float32) nor produce code.

import "sejit/internal/pyast"

// calleeListArgs joins into each list variable the call passes what the
// callee s made of the matching parameter (first is the index of the first
// declared parameter among s's parameters). A list parameter of the
// caller whose element type its own caller gave is left alone: a callee
// widening it is refused in the callee (growList), since the outer list
// keeps its items' type. So are items of another kind (a float appended
// to the caller's list of ints): the callee's append is then the mixed
// item growList refuses, where the message can say what the list holds.
func (c *checker) calleeListArgs(s *Spec, bound []pyast.Expr, first int) {
	boundNames(s, bound, first, func(n *pyast.Name, t *Type) {
		if t == nil || t.Kind != List || t.Elem().IsUnknown() || IsListOfLists(t) && t.Elem().Elem().IsUnknown() {
			return
		}
		name := c.spec.Func.VarName(n)
		mine := c.info().Vars[name]
		if mine == nil || mine.Kind != List || Equal(mine, t) {
			return
		}
		if c.knownListParam(n.ID) || otherKind(mine, t) {
			return
		}
		c.assignVar(name, t, n.Position())
	})
}

// otherKind reports whether the numbers in the lists a and b (lists of
// numbers, or of lists of numbers) are of different kinds (bool, int,
// float, complex).
func otherKind(a, b *Type) bool {
	for a.Kind == List && b.Kind == List {
		a, b = a.Elem(), b.Elem()
	}
	return a.Kind == Scalar && b.Kind == Scalar && a.DType.Kind() != b.DType.Kind()
}

// knownListParam reports whether name is a parameter passed a list whose
// element type the caller knew.
func (c *checker) knownListParam(name string) bool {
	for i, p := range c.spec.Func.Params {
		if p == name && i < len(c.spec.Args) && c.spec.Args[i].Kind == List {
			return !c.spec.Args[i].Elem().IsUnknown()
		}
	}
	return false
}

// pruneSpecs keeps the specializations reachable from the entry through
// the calls as the last round typed them, in their order, and renumbers
// them.
func (c *checker) pruneSpecs() {
	if len(c.prog.Specs) == 0 {
		return
	}
	reached := map[*Spec]bool{}
	stack := []*Spec{c.prog.Specs[0]}
	reached[stack[0]] = true
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, callee := range s.Info.Callees {
			if callee != nil && !reached[callee] {
				reached[callee] = true
				stack = append(stack, callee)
			}
		}
	}
	if len(reached) == len(c.prog.Specs) {
		return
	}
	kept := c.prog.Specs[:0]
	for _, s := range c.prog.Specs {
		if reached[s] {
			s.Index = len(kept)
			kept = append(kept, s)
		}
	}
	c.prog.Specs = kept
	for k, s := range c.byKey {
		if !reached[s] {
			delete(c.byKey, k)
		}
	}
}
