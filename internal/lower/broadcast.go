package lower

// Stretching extents of 1 (NumPy broadcasting), where the 1 is known at
// compile time: an axis added by None/np.newaxis, a reduction with
// keepdims=True, an allocation or reshape whose shape has the literal 1.
// Such an axis is read at index 0 whatever the loop index, and needs no
// shape check. An extent that is 1 only at run time (an argument of shape
// (n, 1)) is not stretched: the statement's equality check raises
// ValueError, which keeps those checks usable as facts by fusion.

import (
	"sync"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// unitAxes maps an array variable to the axes whose extent is the constant
// 1 at every binding of the variable. Variables are unique pointers, so one
// map serves every compile.
var unitAxes sync.Map // *ir.Var → []bool

// isUnit reports the constant extent 1.
func isUnit(e ir.Expr) bool {
	c, ok := e.(*ir.Const)
	return ok && c.I == 1 && c.Type.DType.IsInt()
}

func unitAxis(v *ir.Var, axis int) bool {
	u, ok := unitAxes.Load(v)
	if !ok {
		return false
	}
	us := u.([]bool)
	return axis < len(us) && us[axis]
}

// noteShape records the extents of the binding of v. Only a variable bound
// by one statement keeps unit axes (a compiler temporary, or a Python name
// assigned once): a use lowered before a later binding of another shape
// would otherwise read index 0 of a wider array.
func (f *fn) noteShape(v *ir.Var, shape []ir.Expr) {
	if v.Param >= 0 || !f.boundOnce(v) {
		unitAxes.Delete(v)
		return
	}
	us := make([]bool, len(shape))
	any := false
	for k, e := range shape {
		us[k] = isUnit(e)
		any = any || us[k]
	}
	if any {
		unitAxes.Store(v, us)
	} else {
		unitAxes.Delete(v)
	}
}

// boundOnce reports that v is a temporary or belongs to a Python name one
// statement assigns.
func (f *fn) boundOnce(v *ir.Var) bool {
	var holds func(x *val) bool
	holds = func(x *val) bool {
		if x == nil {
			return false
		}
		if x.arr == v {
			return true
		}
		for _, e := range x.elems {
			if holds(e) {
				return true
			}
		}
		return false
	}
	for name, x := range f.vars {
		if holds(x) {
			return f.assigned[name] <= 1
		}
	}
	return true
}

// stretchShape is the broadcast result shape of ops given the longest
// operand's shape: on each axis, an extent other than the constant 1 when
// an operand has one.
func stretchShape(shape []ir.Expr, ops []*lazyArr) []ir.Expr {
	out := append([]ir.Expr(nil), shape...)
	n := len(out)
	for k := range out {
		if !isUnit(out[k]) {
			continue
		}
		for _, o := range ops {
			if o == nil {
				continue
			}
			j := k - (n - len(o.shape))
			if j >= 0 && !isUnit(o.shape[j]) {
				out[k] = o.shape[j]
				break
			}
		}
	}
	return out
}

// unitIndex reads a stretched axis at index 0.
func unitIndex(shape, idx []ir.Expr) []ir.Expr {
	var out []ir.Expr
	for k, e := range shape {
		if isUnit(e) {
			if out == nil {
				out = append([]ir.Expr(nil), idx...)
			}
			out[k] = ir.IntConst(0)
		}
	}
	if out == nil {
		return idx
	}
	return out
}

// expandItems replaces ... in an index by the full slices it stands for on
// an array of rank ndim (None items take no axis).
func (f *fn) expandItems(items []pyast.Expr, ndim int) []pyast.Expr {
	at, used := -1, 0
	for i, it := range items {
		switch {
		case types.IsEllipsisItem(it):
			at = i
		case types.IsNewaxisItem(f.info, it):
		default:
			used++
		}
	}
	if at < 0 {
		return items
	}
	out := append([]pyast.Expr(nil), items[:at]...)
	for k := used; k < ndim; k++ {
		s := &pyast.Slice{}
		s.P = items[at].Position()
		out = append(out, s)
	}
	return append(out, items[at+1:]...)
}
