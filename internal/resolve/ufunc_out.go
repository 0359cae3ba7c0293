package resolve

import (
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// A ufunc's output array given by position (np.add(a, b, c)) or as out=c.
// The call is the store c[...] = np.add(a, b) followed by c as its value:
//
//	np.add(a, b, c)          c[...] = np.add(a, b)
//	y = np.add(a, b, c)      c[...] = np.add(a, b); y = c
//	return np.sin(a, c)      c[...] = np.sin(a); return c
//
// The store is marked (Func.UfuncOut) so the checker applies NumPy's
// same_kind rule to it, as the ufunc does, where a plain store would cast
// anything. The output must be a variable, which the value may name twice.

// isUfunc returns the library entry of a call of one of NumPy's ufuncs
// (nil for any other call).
func (r *resolver) isUfunc(c *pyast.Call) *library.Entry {
	var ent *library.Entry
	switch fn := c.Func.(type) {
	case *pyast.Attribute:
		if m, ok := fn.Value.(*pyast.Name); ok {
			if k, g := r.f.Lookup(m.ID); k == GlobalName && g.Kind == "module" && g.Name == "numpy" {
				ent = library.Lookup("numpy", fn.Attr)
			}
		}
	case *pyast.Name:
		if k, g := r.f.Lookup(fn.ID); k == GlobalName && g.Kind == "builtin" && g.Module == "numpy" {
			ent = library.Lookup("numpy", g.Name)
		}
	}
	switch {
	case ent.Is(library.UfuncFloat), ent.Is(library.UfuncSame), ent.Is(library.UfuncPred),
		ent.Is(library.UfuncBinary):
		return ent
	case ent.Is(library.Ufunc) && ent.MinArgs == ent.MaxArgs:
		return ent
	}
	return nil
}

// ufuncOut splits the output off a ufunc call: the call without it and
// the output variable (nil when the call has none).
func (r *resolver) ufuncOut(x pyast.Expr) (*pyast.Call, *pyast.Name, string) {
	c, ok := x.(*pyast.Call)
	if !ok {
		return nil, nil, ""
	}
	ent := r.isUfunc(c)
	if ent == nil {
		return nil, nil, ""
	}
	var out pyast.Expr
	rest := *c
	if len(c.Args) == ent.MaxArgs+1 {
		out = c.Args[ent.MaxArgs]
		rest.Args = c.Args[:ent.MaxArgs]
	}
	rest.Keywords = nil
	for _, k := range c.Keywords {
		if k.Name == "out" && out == nil {
			out = k.Value
			continue
		}
		rest.Keywords = append(rest.Keywords, k)
	}
	if out == nil {
		return nil, nil, ""
	}
	n, ok := out.(*pyast.Name)
	if !ok {
		r.unsupported(out.Position(), "a ufunc's output must be a variable holding an array").
			WithHint("assign the output array to a variable and pass that")
		return nil, nil, ""
	}
	return &rest, n, ent.Short()
}

// outStore is out[...] = call.
func (r *resolver) outStore(call *pyast.Call, out *pyast.Name, ufunc string, p pyast.Pos) *pyast.Assign {
	ell := &pyast.Constant{Kind: pyast.ConstEllipsis}
	ell.P = out.P
	tgt := &pyast.Subscript{Value: out, Index: ell}
	tgt.P = out.P
	s := &pyast.Assign{Targets: []pyast.Expr{tgt}, Value: call}
	s.P = p
	if r.f.UfuncOut == nil {
		r.f.UfuncOut = map[*pyast.Assign]string{}
	}
	r.f.UfuncOut[s] = ufunc
	return s
}

func nameOf(n *pyast.Name) *pyast.Name {
	c := &pyast.Name{ID: n.ID}
	c.P = n.P
	return c
}

// ufuncOuts rewrites the ufunc calls with an output in body, nested
// blocks included.
func (r *resolver) ufuncOuts(body []pyast.Stmt) []pyast.Stmt {
	out := make([]pyast.Stmt, 0, len(body))
	for _, s := range body {
		switch s := s.(type) {
		case *pyast.ExprStmt:
			if call, o, uf := r.ufuncOut(s.Value); call != nil {
				out = append(out, r.outStore(call, o, uf, s.P))
				continue
			}
		case *pyast.Assign:
			if call, o, uf := r.ufuncOut(s.Value); call != nil {
				out = append(out, r.outStore(call, o, uf, s.P))
				s.Value = nameOf(o)
			}
		case *pyast.Return:
			if call, o, uf := r.ufuncOut(s.Value); call != nil {
				out = append(out, r.outStore(call, o, uf, s.P))
				s.Value = nameOf(o)
			}
		case *pyast.For:
			s.Body, s.Orelse = r.ufuncOuts(s.Body), r.ufuncOuts(s.Orelse)
		case *pyast.While:
			s.Body, s.Orelse = r.ufuncOuts(s.Body), r.ufuncOuts(s.Orelse)
		case *pyast.If:
			s.Body, s.Orelse = r.ufuncOuts(s.Body), r.ufuncOuts(s.Orelse)
		}
		out = append(out, s)
	}
	return out
}

// outOutOfPlace refuses a ufunc call with an output that ufuncOuts left:
// one inside a larger expression.
func (r *resolver) outOutOfPlace(c *pyast.Call) {
	ent := r.isUfunc(c)
	if ent == nil {
		return
	}
	has := len(c.Args) == ent.MaxArgs+1
	for _, k := range c.Keywords {
		has = has || k.Name == "out"
	}
	if has {
		r.unsupported(c.P, "a ufunc's output array (out) is supported only when the call is a statement, an assignment's value or a returned value").
			WithHint("call np.%s(..., out) as a statement, then use the output array", ent.Short())
	}
}
