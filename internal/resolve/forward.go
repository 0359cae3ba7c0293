package resolve

import (
	"reflect"

	"sejit/internal/pyast"
)

// A selection named once and reduced by the next statement,
//
//	values = data[mask]
//	res[i] = values.mean()
//
// (npbench's azimuthal integration), is the reduction of the selection
// itself, res[i] = data[mask].mean(), which lowering computes in one pass
// over the mask without building the selection (lower/mask_reduce.go).
// The rewrite is made only where it cannot change what runs: the name is
// a plain local read exactly once in the whole function (nested functions,
// lambdas and comprehensions included) and bound only here, the reading
// statement comes right after the binding one, in the same block, and the
// read is the first thing it evaluates: its value is a call of a method of
// the name with no arguments (values.sum()), or of a function with the
// name as its only argument (np.mean(values), len(values)). Nothing is
// evaluated between the subscript and its use either way, so the same
// values are read and the same exceptions raised, in the same order.

// forwardSelections rewrites each such pair in body and its blocks.
func (r *resolver) forwardSelections(def *pyast.FunctionDef) {
	if countNodes(def.Body, func(n any) bool { _, ok := n.(*pyast.Nonlocal); return ok }) > 0 {
		return
	}
	for _, p := range def.Params {
		r.forwardParams[p.Name] = true
	}
	def.Body = r.forwardBlock(def, def.Body)
}

func (r *resolver) forwardBlock(def *pyast.FunctionDef, body []pyast.Stmt) []pyast.Stmt {
	var out []pyast.Stmt
	block := func(b []pyast.Stmt) []pyast.Stmt { return r.forwardBlock(def, b) }
	for k := 0; k < len(body); k++ {
		pyast.RewriteBlocks(body[k], block)
		if s, ok := body[k].(*pyast.Assign); ok && k+1 < len(body) && r.forwardInto(def, s, body[k+1]) {
			continue // the next statement now reads the subscript itself
		}
		out = append(out, body[k])
	}
	return out
}

// forwardInto moves the subscript s binds into next when the rules above
// allow it, and reports whether it did.
func (r *resolver) forwardInto(def *pyast.FunctionDef, s *pyast.Assign, next pyast.Stmt) bool {
	if len(s.Targets) != 1 {
		return false
	}
	v, ok := s.Targets[0].(*pyast.Name)
	if !ok || r.forwardParams[v.ID] {
		return false
	}
	sub, ok := s.Value.(*pyast.Subscript)
	if !ok {
		return false
	}
	var call *pyast.Call
	switch n := next.(type) {
	case *pyast.Assign:
		call, _ = n.Value.(*pyast.Call)
	case *pyast.Return:
		call, _ = n.Value.(*pyast.Call)
	}
	if call == nil || len(call.Keywords) != 0 {
		return false
	}
	var slot *pyast.Expr
	if at, ok := call.Func.(*pyast.Attribute); ok && len(call.Args) == 0 {
		slot = &at.Value
	} else if len(call.Args) == 1 {
		if _, ok := call.Func.(*pyast.Name); ok {
			slot = &call.Args[0]
		} else if at, ok := call.Func.(*pyast.Attribute); ok {
			if _, ok := at.Value.(*pyast.Name); ok {
				slot = &call.Args[0]
			}
		}
	}
	if slot == nil {
		return false
	}
	if n, ok := (*slot).(*pyast.Name); !ok || n.ID != v.ID {
		return false
	}
	isV := func(n any) bool { x, ok := n.(*pyast.Name); return ok && x.ID == v.ID }
	// Read once (the use) and bound once (this target): two Name nodes in
	// the whole function, and the subscript itself does not name it.
	if countNodes(def.Body, isV) != 2 || countNodes(sub, isV) != 0 {
		return false
	}
	*slot = sub
	return true
}

// countNodes counts the AST nodes under x (statements, expressions, nested
// definitions) for which match holds.
func countNodes(x any, match func(any) bool) int {
	n := 0
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Ptr:
			if v.IsNil() {
				return
			}
			if match(v.Interface()) {
				n++
			}
			walk(v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			t := v.Type()
			for i := 0; i < t.NumField(); i++ {
				if t.Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(x))
	return n
}

// splitTupleAssigns writes `a, b = e1, e2` (names bound to a tuple display
// of as many values) as `a = e1; b = e2` when no later value names an
// earlier target, so that each binding is the plain assignment later
// passes know (an array rebound to a selection of itself every iteration,
// `Xi, Yi = Xi[I], Yi[I]` in npbench's mandelbrot2, then reuses its
// buffers). Python evaluates every value before binding any name; the two
// orders differ only if a value raises after an earlier name was bound,
// which only an exception handler in the function could observe, so
// functions with a try statement are left alone.
func (r *resolver) splitTupleAssigns(def *pyast.FunctionDef) {
	if countNodes(def.Body, func(n any) bool { _, ok := n.(*pyast.Try); return ok }) > 0 {
		return
	}
	def.Body = splitTuples(def.Body)
}

func splitTuples(body []pyast.Stmt) []pyast.Stmt {
	var out []pyast.Stmt
	for _, s := range body { // the function has no try (splitTupleAssigns)
		pyast.RewriteBlocks(s, splitTuples)
		if a, ok := s.(*pyast.Assign); ok {
			if parts := splitTuple(a); parts != nil {
				out = append(out, parts...)
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

func splitTuple(s *pyast.Assign) []pyast.Stmt {
	if len(s.Targets) != 1 {
		return nil
	}
	tt, ok := s.Targets[0].(*pyast.Tuple)
	vt, ok2 := s.Value.(*pyast.Tuple)
	if !ok || !ok2 || len(tt.Elts) != len(vt.Elts) || len(tt.Elts) < 2 {
		return nil
	}
	seen := map[string]bool{}
	for k, t := range tt.Elts {
		n, ok := t.(*pyast.Name)
		if !ok || seen[n.ID] {
			return nil
		}
		if _, starred := vt.Elts[k].(*pyast.Starred); starred {
			return nil
		}
		seen[n.ID] = true
	}
	// No value may name a target bound before it.
	for k := 1; k < len(vt.Elts); k++ {
		for j := 0; j < k; j++ {
			id := tt.Elts[j].(*pyast.Name).ID
			if countNodes(vt.Elts[k], func(n any) bool { x, ok := n.(*pyast.Name); return ok && x.ID == id }) > 0 {
				return nil
			}
		}
	}
	out := make([]pyast.Stmt, len(tt.Elts))
	for k := range tt.Elts {
		a := &pyast.Assign{Targets: []pyast.Expr{tt.Elts[k]}, Value: vt.Elts[k]}
		a.P = s.P
		out[k] = a
	}
	return out
}
