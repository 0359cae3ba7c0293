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
		return obj.elems[i]
	}
	return &val{t: rt}
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
