package types

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// isPrange reports whether call is sejit.prange(...), named as a global
// bound to sejit.prange or as an attribute of the sejit module. Only the
// syntax and the globals are looked at, so a call that is not prange
// reports its errors once, where the caller types it.
func (c *checker) isPrange(call *pyast.Call) bool {
	f := c.spec.Func
	switch fn := call.Func.(type) {
	case *pyast.Name:
		k, g := f.Lookup(fn.ID)
		return k == resolve.GlobalName && g.Kind == "builtin" && g.Module == "sejit" && g.Name == "prange"
	case *pyast.Attribute:
		m, ok := fn.Value.(*pyast.Name)
		if !ok || fn.Attr != "prange" {
			return false
		}
		k, g := f.Lookup(m.ID)
		return k == resolve.GlobalName && g.Kind == "module" && g.Name == "sejit"
	}
	return false
}

// sejitAttr types sejit.name: prange, typed_list, and the work-group
// functions of device kernels (kernel.go).
func (c *checker) sejitAttr(e pyast.Expr, name string) *Type {
	if name == "prange" || name == "typed_list" || kernelFuncs[name] {
		return &Type{Kind: Builtin, Name: "sejit." + name}
	}
	c.errorf(e.Position(), diag.Unsupported, "sejit.%s is not supported in compiled code", name).
		WithHint("only sejit.prange can be used inside a jitted function")
	return UnknownT
}

// sejitCall types a call of a sejit function other than as a loop's
// iterable (forStmt handles that).
func (c *checker) sejitCall(e *pyast.Call, name string, args []*Type) *Type {
	if kernelFuncs[name] {
		return c.kernelCall(e, name, args) // kernel.go
	}
	c.errorf(e.P, diag.Unsupported, "%s() is only supported as the iterable of a for loop", name).
		WithHint("write: for i in prange(n): ...")
	return UnknownT
}
