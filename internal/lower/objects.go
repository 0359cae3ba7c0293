package lower

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// Objects of plain classes are records (types/objects.go): their values
// hold one val per field in elems, like tuples, and travel as leaves.

// objectField is obj.name for a field; a bound method has no value of its
// own (its call passes the object, methodSelf).
func (f *fn) objectField(obj *val, name string, rt *types.Type) *val {
	if i := obj.t.Field(name); i >= 0 && i < len(obj.elems) {
		if obj.elems[i].cell != nil {
			c := *obj.elems[i]
			c.cell = nil // the value, not the attribute's cell
			return &c
		}
		return obj.elems[i]
	}
	return &val{t: rt}
}

// fieldVar is the variable behind obj.name for a store: an array
// attribute's array, or a number's cell (types/objects.go).
func (f *fn) fieldVar(t *pyast.Attribute) *val {
	obj := f.expr(t.Value)
	if i := obj.t.Field(t.Attr); i >= 0 && i < len(obj.elems) {
		return obj.elems[i]
	}
	return nil
}

// outStore is obj.name = v for an attribute compiled code only assigns
// (types.OutClass): the value's type into the record's tag, the value into
// its int64, float64 or complex128 cell, for Python to set after the call.
func (f *fn) outStore(rec *val, v *val) {
	f.emit(&ir.Store{Arr: rec.elems[0].cell, Src: ir.IntConst(types.OutTag(v.t))})
	slot := 1
	switch v.t.DType.Kind() {
	case types.KFloat:
		slot = 2
	case types.KComplex:
		slot = 3
	}
	dst := rec.elems[slot]
	f.emit(&ir.Store{Arr: dst.cell, Src: conv(v.s, dst.t.DType)})
}

// cellParam is a parameter holding an assigned numeric attribute: a 0-d
// array the value is loaded from and stored to.
func (f *fn) cellParam(name string, t *types.Type) *val {
	pv := &ir.Var{Name: f.unique("a_" + sanitize(name)), Type: types.ArrayOf(t.DType, 0, 'C'), Param: len(f.f.Params)}
	f.f.Params = append(f.f.Params, pv)
	f.root[pv] = len(f.f.Params) - 1
	return &val{t: t, s: &ir.Load{Arr: pv}, cell: pv}
}

// cellLocal is a local holding an object's cell (a copy of the object
// aliases its cells, as the copy is the same object in CPython).
func (f *fn) cellLocal(name string, t *types.Type) *val {
	lv := &ir.Var{Name: f.unique("a_" + sanitize(name)), Type: types.ArrayOf(t.DType, 0, 'C'), Param: -1}
	f.f.Locals = append(f.f.Locals, lv)
	f.root[lv] = -1
	return &val{t: t, s: &ir.Load{Arr: lv}, cell: lv}
}

// methodSelf is the leaves of the object a call of obj.method(...) passes
// first, or nothing for other calls.
func (f *fn) methodSelf(e *pyast.Call) []ir.Expr {
	a, ok := e.Func.(*pyast.Attribute)
	if !ok || !f.typeOf(e.Func).BoundMethod() {
		return nil
	}
	return f.flatten(f.expr(a.Value))
}
