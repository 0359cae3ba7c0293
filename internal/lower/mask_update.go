package lower

// Masked updates in one loop (issue 15): Z[I] = Z[I]**2 + C[I], where
// every array on the right is a selection by the target's mask (a name)
// combined element-wise with scalars, is one nest over the mask's shape
// that computes and stores where the mask is true, instead of counting,
// gathering each selection, computing, and scattering. Element k of
// every selection is read at the element it is stored to, before that
// store, so the result is NumPy's. An array viewing the target's memory
// under another name is read through a copy; arguments that share memory
// at run time are snapshotted by overlap.go like any nest's.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// maskedUpdate lowers s in one nest if it has that form; false (having
// emitted nothing) otherwise.
func (f *fn) maskedUpdate(s *pyast.Assign) bool {
	if len(s.Targets) != 1 {
		return false
	}
	t, ok := s.Targets[0].(*pyast.Subscript)
	if !ok || types.IndexArrayKind(f.info, t) != "mask" {
		return false
	}
	mname, ok := t.Index.(*pyast.Name)
	tt := f.typeOf(t.Value)
	if _, isName := t.Value.(*pyast.Name); !ok || !isName || tt.Kind != types.Array ||
		f.typeOf(s.Value).Kind != types.Array {
		return false
	}
	var sels []*pyast.Subscript
	if !f.elementwiseSel(s.Value, mname.ID, tt.NDim, &sels) || len(sels) == 0 {
		return false
	}
	arr := f.materialize(f.expr(t.Value))
	mv := f.expr(t.Index)
	if mv.arr == nil || f.rootOf(mv.arr) == f.rootOf(arr) {
		return false
	}
	f.fullSel = map[*pyast.Subscript]bool{}
	for _, e := range sels {
		f.fullSel[e] = true
	}
	v := f.expr(s.Value)
	f.fullSel = nil
	lz := v.asLazy()
	for r := range f.arraysRead(lz) {
		if r != arr && f.rootOf(r) == f.rootOf(arr) {
			tmp := f.temp(types.ArrayOf(lz.dtype, len(lz.shape), 'C'))
			f.fillNew(tmp, lz)
			lz = (&val{t: tmp.Type, arr: tmp}).asLazy()
			break
		}
	}
	mlz, shape := f.maskOf(t.Index, arr)
	vs, idx := f.idxVars(len(shape))
	f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{&ir.If{Cond: truth(mlz.gen(idx)),
		Then: []ir.Stmt{&ir.Store{Arr: arr, Idx: idx, Src: conv(lz.gen(idx), arr.Type.DType)}}}}})
	return true
}

// elementwiseSel says whether e is built from scalars and selections
// x[mask] (x a name of an ndim-d array, mask the name m) by arithmetic
// operators only, collecting the selections.
func (f *fn) elementwiseSel(e pyast.Expr, m string, ndim int, sels *[]*pyast.Subscript) bool {
	switch e := e.(type) {
	case *pyast.Constant, *pyast.Name:
		return f.typeOf(e).Kind == types.Scalar
	case *pyast.UnaryOp:
		return e.Op != "Not" && f.elementwiseSel(e.Operand, m, ndim, sels)
	case *pyast.BinOp:
		switch e.Op {
		case "Add", "Sub", "Mult", "Div", "FloorDiv", "Mod", "Pow":
			return f.elementwiseSel(e.Left, m, ndim, sels) && f.elementwiseSel(e.Right, m, ndim, sels)
		}
	case *pyast.Subscript:
		ix, ok := e.Index.(*pyast.Name)
		_, isName := e.Value.(*pyast.Name)
		if ok && isName && ix.ID == m && types.IndexArrayKind(f.info, e) == "mask" {
			if bt := f.typeOf(e.Value); bt.Kind == types.Array && bt.NDim == ndim {
				*sels = append(*sels, e)
				return true
			}
		}
	}
	return false
}

// fullSelection lowers a selection x[mask] of a masked update as x itself
// (element k read where it is stored), after NumPy's extent check.
func (f *fn) fullSelection(e *pyast.Subscript) *val {
	arr := f.materialize(f.expr(e.Value))
	f.maskOf(e.Index, arr)
	return &val{t: arr.Type, arr: arr}
}
