package types

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// storeBaseOK reports whether the value subscripted by an assignment
// target can take item assignment: only arrays can. `x.shape[0] = 1` (a
// tuple) is CPython's TypeError, not a crash in lowering.
func (c *checker) storeBaseOK(tg *pyast.Subscript) bool {
	bt := c.info().Types[tg.Value]
	if bt == nil || bt.IsUnknown() || bt.Kind == Array {
		return true
	}
	name := bt.String()
	if bt.Kind == Tuple {
		name = "tuple"
	}
	c.errorf(tg.P, diag.Type, "'%s' object does not support item assignment", name)
	return false
}
