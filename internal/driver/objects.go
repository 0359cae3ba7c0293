package driver

import (
	"fmt"

	"sejit/internal/types"
)

// ObjectField is one attribute of an object argument.
type ObjectField struct {
	Name string  `json:"name"`
	Type ArgType `json:"type"`
}

// objectType is the record type of an object argument (types/objects.go).
func objectType(a ArgType) (*types.Type, error) {
	if a.Class == "" {
		return nil, fmt.Errorf("object argument without a class")
	}
	names := make([]string, len(a.Fields))
	elems := make([]*types.Type, len(a.Fields))
	var cells []bool
	for i, f := range a.Fields {
		if f.Type.Kind == "cell" {
			// A number the code assigns, passed in a 0-d array (the
			// Python side writes it back after the call: _objects.py).
			d, ok := types.ParseDType(f.Type.DType)
			if !ok {
				return nil, fmt.Errorf("attribute %s: unsupported dtype %q", f.Name, f.Type.DType)
			}
			if cells == nil {
				cells = make([]bool, len(a.Fields))
			}
			cells[i] = true
			elems[i] = types.ScalarOf(d)
			if f.Type.Weak {
				elems[i] = types.WeakOf(d)
			}
			names[i] = f.Name
			continue
		}
		t, err := argType(f.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %v", f.Name, err)
		}
		names[i], elems[i] = f.Name, t
	}
	o := types.ObjectOf(a.Class, names, elems, a.Methods)
	o.Cells = cells
	return o, nil
}

// tupleType is the type of a tuple argument: a tuple of its items' types
// (numbers, arrays, objects and such tuples), each classified on its own, so
// (1, 2.5) is a tuple of an int and a float, as in CPython.
func tupleType(a ArgType) (*types.Type, error) {
	elems := make([]*types.Type, len(a.Items))
	for i, it := range a.Items {
		t, err := argType(it)
		if err != nil {
			return nil, fmt.Errorf("tuple item %d: %v", i, err)
		}
		elems[i] = t
	}
	return types.TupleOf(elems...), nil
}

// argLeaves flattens object and tuple arguments into the arrays and scalars
// the runtime passes: the Python side calls the kernel with an object's
// fields, or a tuple's items, in order, depth first (lower's paramVal makes
// the same walk).
func argLeaves(args []ArgType) []ArgType {
	out := []ArgType{}
	for _, a := range args {
		switch a.Kind {
		case "object":
			for _, f := range a.Fields {
				out = append(out, argLeaves([]ArgType{f.Type})...)
			}
		case "tuple", "list", "dict", "set":
			out = append(out, argLeaves(a.Items)...)
		case "cell":
			out = append(out, ArgType{Kind: "array", DType: a.DType, NDim: 0, Layout: "C"})
		case "str", "const": // no data, unless a run-time str
			if a.Runtime {
				out = append(out, argLeaves(a.Items)...) // its code points (python/sejit/_objects.py)
			}
		default:
			out = append(out, a)
		}
	}
	return out
}
