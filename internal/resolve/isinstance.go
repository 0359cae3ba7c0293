package resolve

// isinstance(x, T), decided when compiling: a specialization knows every
// value's type, so the call is a constant of it (types/isinstance.go).
// Here: recognising the call and reading T, a class or a tuple of
// classes, by its syntax, since classes are not values compiled code
// holds.

import "sejit/internal/pyast"

// instanceBuiltins are the builtin classes isinstance may test.
var instanceBuiltins = map[string]bool{"int": true, "float": true, "complex": true, "bool": true, "str": true,
	"list": true, "tuple": true, "dict": true, "set": true, "object": true}

// instanceNumpy are the NumPy classes isinstance may test: the abstract
// scalar classes, ndarray and the scalar types.
var instanceNumpy = map[string]bool{"ndarray": true, "generic": true, "number": true, "integer": true,
	"signedinteger": true, "unsignedinteger": true, "inexact": true, "floating": true, "complexfloating": true,
	"bool_": true, "bool": true, "int8": true, "int16": true, "int32": true, "int64": true, "uint8": true,
	"uint16": true, "uint32": true, "uint64": true, "float32": true, "float64": true, "complex64": true,
	"complex128": true, "intp": true, "double": true}

// IsinstanceCall reports a call of the builtin isinstance.
func IsinstanceCall(f *Func, e pyast.Expr) (*pyast.Call, bool) {
	c, ok := e.(*pyast.Call)
	if !ok {
		return nil, false
	}
	n, ok := c.Func.(*pyast.Name)
	if !ok || n.ID != "isinstance" {
		return nil, false
	}
	k, _ := f.Lookup(n.ID)
	return c, k == BuiltinName
}

// InstanceClasses reads isinstance's second argument: the classes it
// names, "int" for a builtin and "numpy.floating" for NumPy's; bad is
// the first part that names no class isinstance can test here.
func InstanceClasses(f *Func, e pyast.Expr) (classes []string, bad pyast.Expr) {
	elts := []pyast.Expr{e}
	if t, ok := e.(*pyast.Tuple); ok {
		elts = t.Elts
	}
	for _, x := range elts {
		switch x := x.(type) {
		case *pyast.Name:
			if k, _ := f.Lookup(x.ID); (k == BuiltinName || k == Undefined) && instanceBuiltins[x.ID] {
				classes = append(classes, x.ID)
				continue
			}
		case *pyast.Attribute:
			if m, ok := x.Value.(*pyast.Name); ok {
				if k, g := f.Lookup(m.ID); k == GlobalName && g != nil && g.Kind == "module" && g.Name == "numpy" && instanceNumpy[x.Attr] {
					classes = append(classes, "numpy."+x.Attr)
					continue
				}
			}
		}
		return nil, x
	}
	return classes, nil
}

// isinstance checks a call of isinstance; false for other calls.
func (r *resolver) isinstance(e *pyast.Call) bool {
	if _, ok := IsinstanceCall(r.f, e); !ok {
		return false
	}
	if len(e.Args) != 2 || len(e.Keywords) > 0 {
		r.unsupported(e.P, "isinstance() takes exactly two positional arguments")
		return true
	}
	if c, ok := e.Args[0].(*pyast.Constant); !ok || c.Kind != pyast.ConstStr {
		r.expr(e.Args[0])
	}
	if _, bad := InstanceClasses(r.f, e.Args[1]); bad != nil {
		r.unsupported(bad.Position(), "isinstance() in compiled code tests only builtin and NumPy classes").
			WithHint("test int, float, complex, bool, str, list, tuple, dict, set, np.ndarray, np.floating, np.integer, ... or a tuple of them")
	}
	return true
}
