package driver

import (
	"fmt"

	"sejit/internal/lower"
	"sejit/internal/types"
)

// listType decodes a list argument (kind "list"): its element dtype and
// whether the items are Python numbers; Items are the leaves it travels
// as, a 1-D buffer and its length (python/sejit/_objects.py); a list of
// tuples has Elem, its item type, and a buffer per field.
func listType(a ArgType) (*types.Type, error) {
	if a.Elem != nil && a.Elem.Kind == "list" {
		// A list of lists of numbers (lower/list_lists.go): the owner and
		// data words of each item's box, and the length; the boxes and the
		// items are arrays python/sejit/lists.py made.
		d, ok := types.ParseDType(a.Elem.DType)
		if !ok {
			return nil, fmt.Errorf("unsupported list item dtype %q", a.Elem.DType)
		}
		if len(a.Items) != 3 {
			return nil, fmt.Errorf("a list of lists travels as 3 leaves, not %d", len(a.Items))
		}
		inner := types.ScalarOf(d)
		if a.Elem.Weak {
			inner = types.WeakOf(d)
		}
		return types.ListOf(types.ListOf(inner)), nil
	}
	if a.Elem != nil {
		// A list of tuples travels as one buffer per field and the length,
		// a list of arrays as one buffer per descriptor word.
		et, err := argType(*a.Elem)
		if err != nil {
			return nil, err
		}
		if et.Kind == types.Array {
			if len(a.Items) != 3+2*et.NDim {
				return nil, fmt.Errorf("a list of %d-d arrays travels as %d leaves, not %d", et.NDim, 3+2*et.NDim, len(a.Items))
			}
			return types.ListOf(et), nil
		}
		if et.Kind != types.Tuple || !types.ListItem(et) {
			return nil, fmt.Errorf("a list's items must be numbers or tuples of numbers, not %s", et)
		}
		if len(a.Items) != len(et.Elems)+1 {
			return nil, fmt.Errorf("a list of %d-tuples travels as %d leaves, not %d", len(et.Elems), len(et.Elems)+1, len(a.Items))
		}
		return types.ListOf(et), nil
	}
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

// ownerLeaves are the leaf positions of the owner words of every list of
// arrays argument: the first buffer of its leaves.
func ownerLeaves(args []ArgType) []int {
	var out []int
	var walk func(as []ArgType, at int) int
	walk = func(as []ArgType, at int) int {
		for _, a := range as {
			switch a.Kind {
			case "object":
				for _, f := range a.Fields {
					at = walk([]ArgType{f.Type}, at)
				}
			case "tuple", "list", "dict", "set":
				if a.Kind == "list" && a.Elem != nil && a.Elem.Kind == "array" {
					out = append(out, at)
				}
				at = walk(a.Items, at)
			case "str", "const":
			default:
				at++
			}
		}
		return at
	}
	walk(args, 0)
	return out
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
		rt := retType(s.Args[i])
		if rt.Kind == "listlist" {
			// Boxed with each item's origin, the caller's inner list it
			// started as (lists.py reflects into those same lists).
			rt.Origins = true
		}
		r.Items = append(r.Items, rt)
	}
	return r
}

// hashedType decodes a dict or set argument (kinds "dict" and "set",
// python/sejit/lists.py): Elem is the key type, Val a dict's value type,
// each a scalar or a run-time str; Items are its leaves (lower/dicts.go's
// hashRepr: keys and values, each one buffer or a list of strings' five
// leaves, then the live flags, the table and the two counts).
func hashedType(a ArgType) (*types.Type, error) {
	part := func(p *ArgType) (*types.Type, int, error) {
		if p == nil {
			return nil, 0, fmt.Errorf("a %s argument needs its key and value types", a.Kind)
		}
		t, err := argType(*p)
		if err != nil {
			return nil, 0, err
		}
		switch {
		case t.Kind == types.Str:
			return t, 5, nil
		case t.Kind == types.Scalar:
			return t, 1, nil
		}
		return nil, 0, fmt.Errorf("a %s argument's keys and values must be numbers or strs, not %s", a.Kind, t)
	}
	k, kl, err := part(a.Elem)
	if err != nil {
		return nil, err
	}
	t, vl := types.SetOf(k), 1
	if a.Kind == "dict" {
		v, n, err := part(a.Val)
		if err != nil {
			return nil, err
		}
		t, vl = types.DictOf(k, v), n
	}
	if len(a.Items) != kl+vl+4 {
		return nil, fmt.Errorf("a %s argument travels as %d leaves, not %d", a.Kind, kl+vl+4, len(a.Items))
	}
	return t, nil
}
