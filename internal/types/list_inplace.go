package types

// In-place operators on lists: `l += other` and `l *= n`. CPython's
// list.__iadd__ extends the list itself and list.__imul__ repeats it in
// place, so every other name for the list sees the change: `row =
// grid[i]; row += [x]` grows grid[i], and `grid[i] += [x]` grows the row
// (and stores that same row back into grid[i]). `l = l + [x]` is no such
// operation: it binds a new list, and the row it read is left as it was.
// The checker types `+=` as list.extend (the right side's items join
// into the list's element type, through growList, so an empty `l = []`
// takes its type from them), and lowering (lower/list_inplace.go) changes
// the list where it lives: its own variables, or its box for a row.

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// listAugAssign types an augmented assignment whose target is a list
// variable or an item of a list of lists; false for any other target.
func (c *checker) listAugAssign(s *pyast.AugAssign, rt *Type) bool {
	var lt *Type
	switch tg := s.Target.(type) {
	case *pyast.Name:
		lt = c.info().Vars[c.spec.Func.VarName(tg)]
		if lt == nil || lt.Kind != List {
			return false
		}
		c.info().Types[tg] = lt
	case *pyast.Subscript:
		if _, slice := tg.Index.(*pyast.Slice); slice || !IsListOfLists(c.expr(tg.Value)) {
			return false
		}
		lt = c.expr(tg)
		if lt.IsUnknown() {
			return true
		}
	default:
		return false
	}
	if lt.IsStrList() || rt.IsStrList() {
		c.errorf(s.P, diag.Unsupported, "%s= on lists of strings is not supported yet", opSymbol(s.Op)).
			WithHint("append the strings one by one")
		return true
	}
	c.info().Aug[s] = lt
	if rt.IsUnknown() {
		return true
	}
	switch s.Op {
	case "Add":
		if rt.Kind != List {
			c.errorf(s.Value.Position(), diag.Unsupported, "list += takes a list here, not a %s", rt).
				WithHint("convert it first: l += list(...)")
			return true
		}
		if !rt.Elem().IsUnknown() {
			c.growList(s.Target, rt.Elem(), s.Value.Position())
		}
	case "Mult":
		if rt.Kind != Scalar || rt.DType.Kind() > KInt {
			c.errorf(s.Value.Position(), diag.Type, "can't multiply sequence by non-int of type '%s'", rt)
		}
	default:
		c.errorf(s.P, diag.Type, "unsupported operand types for %s=: %s and %s", opSymbol(s.Op), lt, rt)
	}
	return true
}

// listDel types `del l[i]`: the item at i goes and the later ones move
// down, as l.pop(i) without its value (lower/list_inplace.go). The list is
// a list variable or a row (`del grid[i][j]`); `del l[a:b]` is refused.
func (c *checker) listDel(sub *pyast.Subscript, lt *Type) {
	if _, slice := sub.Index.(*pyast.Slice); slice {
		c.errorf(sub.P, diag.Unsupported, "del of a slice of a list is not supported").
			WithHint("assign an empty list to the slice: l[a:b] = []")
		return
	}
	if lt.IsStrList() {
		c.errorf(sub.P, diag.Unsupported, "del of an item of a list of strings is not supported yet").
			WithHint("use l.pop(i)")
		return
	}
	if c.listTarget(sub.Value) == "" && c.innerOwner(sub.Value) == "" {
		c.errorf(sub.Value.Position(), diag.Unsupported, "del needs a list variable or a row of a list of lists").
			WithHint("assign the list to a name first")
		return
	}
	if it := c.expr(sub.Index); !it.IsUnknown() && (it.Kind != Scalar || it.DType.Kind() > KInt) {
		c.errorf(sub.Index.Position(), diag.Type, "list indices must be integers or slices, not %s", it)
	}
}
