package types

import "sejit/internal/pyast"

// Index items beyond integers and slices: None / np.newaxis (a new axis of
// extent 1) and ... (as many full slices as the axes left unindexed).

// newaxisItem reports None or np.newaxis in an index, and types it.
func (c *checker) newaxisItem(it pyast.Expr) bool {
	switch x := it.(type) {
	case *pyast.Constant:
		if x.Kind == pyast.ConstNone {
			c.info().Types[it] = NoneT
			return true
		}
	case *pyast.Attribute:
		if x.Attr != "newaxis" {
			return false
		}
		if _, ok := x.Value.(*pyast.Name); !ok {
			return false
		}
		if m := c.expr(x.Value); m.Kind == Module && m.Name == "numpy" {
			c.info().Types[it] = NoneT
			return true
		}
	}
	return false
}

// IsNewaxisItem is the same test for lowering, on a typed item.
func IsNewaxisItem(info *Info, it pyast.Expr) bool {
	if k, ok := it.(*pyast.Constant); ok && k.Kind == pyast.ConstNone {
		return true
	}
	if a, ok := it.(*pyast.Attribute); ok && a.Attr == "newaxis" {
		t := info.Types[it]
		return t != nil && t.Kind == None
	}
	return false
}

func isEllipsisItem(it pyast.Expr) bool {
	k, ok := it.(*pyast.Constant)
	return ok && k.Kind == pyast.ConstEllipsis
}

// IsEllipsisItem is isEllipsisItem for lowering.
func IsEllipsisItem(it pyast.Expr) bool { return isEllipsisItem(it) }
