package lower

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// Views of one array in one statement
//
// A sweep written with slices reads the row or column before the one it
// writes: y[:, j] = a*x[:, j] + b*y[:, j-1], or p[i, 1:-1] = f(p[i-1, 1:-1]).
// Target and operands view one array, so mayOverlap alone would compute
// the right side into a temporary (an allocation and a copy per sweep
// step, which doubled ADI's and Deriche's times against Numba's).
//
// Two views made in the same statement from the same array variable, with
// the same slices on every sliced axis (the same source text, naming
// variables the statement cannot change) and integer indices on the same
// axes, are either the same view or disjoint: when the integers agree they
// select the same elements in the same order; when one differs, every
// element of one has a different index tuple from every element of the
// other, so a different address in an array that does not overlap itself
// (NumPy makes no other kind, short of as_strided, whose writes NumPy itself
// calls unpredictable). A nest that reads such a view at the very element
// it stores (the same index variables, in order) therefore reads each
// element before it is written, or never reads what it writes: NumPy's
// result without a temporary. storeOverlaps proves that, and records the
// pairs, so that snapshotNest does not add the run-time test it would make
// for views of one root.

// viewDesc is how a view variable was made: from base, with index items
// (after expandItems), in statement serial.
type viewDesc struct {
	base   *ir.Var
	items  []pyast.Expr
	serial int
}

// noteView records how view variable v was made from arr.
func (f *fn) noteView(v, arr *ir.Var, items []pyast.Expr) {
	if f.views == nil {
		f.views = map[*ir.Var]viewDesc{}
	}
	f.views[v] = viewDesc{base: arr, items: items, serial: f.serial}
}

// inheritView gives v, a view that reads arr's elements (a stretched view
// of it), arr's description, when arr was made in the current statement.
func (f *fn) inheritView(v, arr *ir.Var) {
	if d, ok := f.views[arr]; ok && d.serial == f.serial {
		f.views[v] = d
	}
}

// descOf describes array variable v as seen from the current statement: a
// view made in it, or v itself, whole.
func (f *fn) descOf(v *ir.Var) viewDesc {
	if d, ok := f.views[v]; ok && d.serial == f.serial {
		return d
	}
	return viewDesc{base: v}
}

// sameOrDisjoint reports whether a and b are views that are either the
// same or disjoint (see above).
func (f *fn) sameOrDisjoint(a, b viewDesc) bool {
	if a.base != b.base {
		return false
	}
	n := a.base.Type.NDim
	item := func(items []pyast.Expr, k int) pyast.Expr {
		if k < len(items) {
			return items[k]
		}
		return nil // a whole axis
	}
	if len(a.items) > n || len(b.items) > n {
		return false
	}
	for k := 0; k < n; k++ {
		x, y := item(a.items, k), item(b.items, k)
		if x != nil && types.IsNewaxisItem(f.info, x) || y != nil && types.IsNewaxisItem(f.info, y) {
			return false
		}
		sx, xSlice := x.(*pyast.Slice)
		sy, ySlice := y.(*pyast.Slice)
		xWhole := x == nil || xSlice && sx.Lower == nil && sx.Upper == nil && sx.Step == nil
		yWhole := y == nil || ySlice && sy.Lower == nil && sy.Upper == nil && sy.Step == nil
		switch {
		case xWhole && yWhole:
		case xWhole || yWhole:
			return false
		case xSlice && ySlice:
			if !sameBound(sx.Lower, sy.Lower) || !sameBound(sx.Upper, sy.Upper) || !sameBound(sx.Step, sy.Step) {
				return false
			}
		case xSlice || ySlice:
			return false
		default:
			// Integer indices: any values (equal, or disjoint).
		}
	}
	return true
}

// sameBound reports whether two slice bounds are the same text and compute
// the same value each time they are evaluated in one statement: names,
// constants, arithmetic and attribute or subscript reads, no calls.
func sameBound(x, y pyast.Expr) bool {
	if x == nil || y == nil {
		return x == nil && y == nil
	}
	return pureIndexExpr(x) && pyast.ExprString(x) == pyast.ExprString(y)
}

func pureIndexExpr(e pyast.Expr) bool {
	switch e := e.(type) {
	case *pyast.Name, *pyast.Constant:
		return true
	case *pyast.BinOp:
		return pureIndexExpr(e.Left) && pureIndexExpr(e.Right)
	case *pyast.UnaryOp:
		return pureIndexExpr(e.Operand)
	case *pyast.Attribute:
		return pureIndexExpr(e.Value)
	case *pyast.Subscript:
		return pureIndexExpr(e.Value) && pureIndexExpr(e.Index)
	}
	return false
}

// storeOverlaps reports whether a nest storing lz into every element of
// dst, in order, could read an element another iteration writes: it reads
// an array of dst's root other than at the element being stored, through
// a view that is the same as dst or disjoint from it. The reads are found by
// probing lz with fresh constants: a read at the element stored carries
// them through unchanged (alignedIndex).
func (f *fn) storeOverlaps(dst *ir.Var, lz *lazyArr) bool {
	if !f.mayOverlap(dst, lz) {
		return false
	}
	n := dst.Type.NDim
	if len(lz.shape) != n {
		return true
	}
	probe := make([]ir.Expr, n)
	for i := range probe {
		probe[i] = ir.IntConst(0)
	}
	dd := f.descOf(dst)
	overlaps := false
	var pairs [][2]*ir.Var
	ir.VisitExpr(lz.gen(probe), func(x ir.Expr) {
		ld, ok := x.(*ir.Load)
		if !ok || overlaps {
			return
		}
		v := ld.Arr
		if v != dst && (f.rootOf(v) != f.rootOf(dst) || f.rootOf(v) == nil) {
			return
		}
		if len(ld.Idx) != n {
			overlaps = true
			return
		}
		for k := range ld.Idx {
			if !alignedIndex(ld.Idx[k], probe[k]) {
				overlaps = true
				return
			}
		}
		if v != dst && !f.sameOrDisjoint(dd, f.descOf(v)) {
			overlaps = true
			return
		}
		pairs = append(pairs, [2]*ir.Var{v, dst})
	})
	if overlaps {
		return true
	}
	if f.l.aligned == nil {
		f.l.aligned = map[[2]*ir.Var]bool{}
	}
	for _, p := range pairs {
		f.l.aligned[p] = true
	}
	return false
}

// alignedIndex reports whether index e of a read is the index p of the
// element stored, or 0 where a broadcast stretches an axis: lowering's
// stretching form reads element select(extent == 1, 0, i). The 0 is taken
// only when an operand that contains the read view has extent 1 there; a
// view the same as the target then has the target's extent 1, whose only
// element is 0. (A disjoint view may be read anywhere.)
func alignedIndex(e, p ir.Expr) bool {
	switch x := e.(type) {
	case *ir.Const:
		return e == p || x.I == 0 && ir.TypeOf(x).Kind == types.Scalar && x.Type.DType == types.Int64
	case *ir.Select:
		return alignedIndex(x.X, p) && alignedIndex(x.Y, p)
	}
	return e == p
}
