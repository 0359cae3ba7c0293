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
	for i, f := range a.Fields {
		t, err := argType(f.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %v", f.Name, err)
		}
		names[i], elems[i] = f.Name, t
	}
	return types.ObjectOf(a.Class, names, elems, a.Methods), nil
}

// argLeaves flattens object arguments into the arrays and scalars the
// runtime passes: the Python side calls the kernel with an object's fields
// in order, depth first.
func argLeaves(args []ArgType) []ArgType {
	out := []ArgType{}
	for _, a := range args {
		if a.Kind != "object" {
			out = append(out, a)
			continue
		}
		for _, f := range a.Fields {
			out = append(out, argLeaves([]ArgType{f.Type})...)
		}
	}
	return out
}
