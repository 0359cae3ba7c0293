package lower

import (
	"strings"

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

// attrAssign is obj.name = v for a number's attribute: into its cell, into
// the record of an attribute compiled code only assigns, or, for a version
// of it (resolve/versions.go, "Attributes"), into a local, whose value and
// type the record behind obj.name@out takes for Python to set after the
// call. A store into the cell clears that record's tag when the function
// has versions of the attribute: the cell holds the last value again.
func (f *fn) attrAssign(t *pyast.Attribute, v *val, p pyast.Pos) {
	obj := f.expr(t.Value)
	if !obj.t.IsObject() {
		return
	}
	out := f.objectField(obj, t.Attr+types.OutSuffix, nil)
	if vn, ok := types.AttrVersion(f.spec, t, obj.t); ok {
		local := f.vars[vn]
		f.assignTo(local, v, p)
		cur := *local
		cur.cell = nil
		f.outStore(out, &cur)
		return
	}
	dst := f.fieldVar(t)
	switch {
	case dst != nil && dst.t.IsOut():
		f.outStore(dst, v)
	case dst != nil && dst.cell != nil:
		f.assignTo(dst, v, p) // a number's cell
		if out.t != nil && out.t.IsOut() && f.versioned(t) {
			f.emit(&ir.Store{Arr: out.elems[0].cell, Src: ir.IntConst(0)})
		}
	}
}

// versioned reports that the function has versions of the attribute t
// names (of the same object parameter).
func (f *fn) versioned(t *pyast.Attribute) bool {
	n, ok := t.Value.(*pyast.Name)
	if !ok {
		return false
	}
	prefix := n.ID + "." + t.Attr + "@"
	for _, vn := range f.spec.Func.AttrVersions {
		if strings.HasPrefix(vn, prefix) {
			return true
		}
	}
	return false
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
