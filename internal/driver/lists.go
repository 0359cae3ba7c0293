package driver

import (
	"fmt"

	"sejit/internal/lower"
	"sejit/internal/types"
)

// listType decodes a list argument (kind "list"): its element dtype and
// whether the items are Python numbers; Items are the leaves it travels
// as, a 1-D buffer and its length (python/sejit/_objects.py).
func listType(a ArgType) (*types.Type, error) {
	if a.DType == "str" {
		// A list of strings (lower/strings.go): starts, length, lengths,
		// pool and its used count.
		if len(a.Items) != 5 {
			return nil, fmt.Errorf("a list of strings travels as 5 leaves, not %d", len(a.Items))
		}
		return types.ListOf(types.StrT), nil
	}
	d, ok := types.ParseDType(a.DType)
	if !ok {
		return nil, fmt.Errorf("unsupported list item dtype %q", a.DType)
	}
	if len(a.Items) != 2 {
		return nil, fmt.Errorf("a list argument travels as 2 leaves, not %d", len(a.Items))
	}
	if a.Weak {
		return types.ListOf(types.WeakOf(d)), nil
	}
	return types.ListOf(types.ScalarOf(d)), nil
}

// reflectedRet is the entry's result followed by the final contents of
// its list parameters (lower.ReflectedLists): tuple(result, list, ...).
func reflectedRet(s *types.Spec, ret *RetType) *RetType {
	idx := lower.ReflectedLists(s)
	if len(idx) == 0 {
		return ret
	}
	r := &RetType{Kind: "tuple", Items: []*RetType{ret}}
	for _, i := range idx {
		r.Items = append(r.Items, retType(s.Args[i]))
	}
	return r
}
