package resolve

import (
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// A shape written as a list display, np.empty([n, m // 2, 4]), is what
// NumPy accepts as readily as a tuple, and scientists write it (npbench's
// LeNet does). The array's rank must be known when the function is typed,
// and a list's length is not part of its type, but a display's is: the
// display is rewritten into the tuple display it stands for, with the same
// elements in the same order (evaluated once each, left to right, as the
// list's would be). A list variable, or a display with a starred element,
// is left alone and stays an error asking for a tuple.

// shapeLists rewrites the shape argument of a call of a NumPy function that
// takes one (np.zeros, np.empty, np.ones, np.full, np.ndarray: the entries
// with a shape= keyword; np.reshape's second argument) when it is a list
// display.
func (r *resolver) shapeLists(c *pyast.Call) {
	ent, name := r.numpyEntry(c)
	if ent == nil {
		return
	}
	pos := -1
	if name == "reshape" {
		pos = 1
	} else {
		for _, k := range ent.Keywords {
			if k == "shape" {
				pos = 0
			}
		}
	}
	if pos < 0 {
		return
	}
	if pos < len(c.Args) {
		c.Args[pos] = listAsTuple(c.Args[pos])
	}
	for i := range c.Keywords {
		if c.Keywords[i].Name == "shape" || name == "reshape" && c.Keywords[i].Name == "newshape" {
			c.Keywords[i].Value = listAsTuple(c.Keywords[i].Value)
		}
	}
}

// numpyEntry returns the library entry and name of a call of a NumPy
// function (np.f or a name imported from numpy), nil for any other call.
func (r *resolver) numpyEntry(c *pyast.Call) (*library.Entry, string) {
	switch fn := c.Func.(type) {
	case *pyast.Attribute:
		if m, ok := fn.Value.(*pyast.Name); ok {
			if k, g := r.f.Lookup(m.ID); k == GlobalName && g.Kind == "module" && g.Name == "numpy" {
				return library.Lookup("numpy", fn.Attr), fn.Attr
			}
		}
	case *pyast.Name:
		if k, g := r.f.Lookup(fn.ID); k == GlobalName && g.Kind == "builtin" && g.Module == "numpy" {
			return library.Lookup("numpy", g.Name), g.Name
		}
	}
	return nil, ""
}

// listAsTuple returns the tuple display a list display without starred
// elements stands for, and any other expression unchanged.
func listAsTuple(e pyast.Expr) pyast.Expr {
	l, ok := e.(*pyast.List)
	if !ok {
		return e
	}
	for _, x := range l.Elts {
		if _, ok := x.(*pyast.Starred); ok {
			return e
		}
	}
	t := &pyast.Tuple{Elts: l.Elts}
	t.P = l.P
	return t
}
