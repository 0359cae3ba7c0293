package resolve

import (
	"sort"
	"strings"

	"sejit/internal/library"
	"sejit/internal/pyast"
)

// Imports inside a function body. `import numpy as np`, `import math`,
// `from numpy import sin` bind a name to a module or a library function,
// exactly as the same import at module level would bind a global, so the
// name resolves to that global from the start of the function. Only the
// modules compiled code knows can be imported; a name bound by an import
// may not also be assigned in the function.

// importable lists the modules an import inside a function may name.
var importable = map[string]bool{"numpy": true, "math": true, "cmath": true, "numpy.random": true, "numpy.linalg": true}

// imports binds the names of one import statement.
func (r *resolver) imports(s *pyast.Import) {
	if r.f.Globals == nil {
		r.f.Globals = map[string]*Global{}
	}
	bind := func(name string, g *Global) {
		r.f.Globals[name] = g
		if r.imported == nil {
			r.imported = map[string]pyast.Pos{}
		}
		r.imported[name] = s.P
	}
	if s.From == "" {
		for _, a := range s.Names {
			if !importable[a.Name] {
				r.unsupported(s.P, "importing %s inside a compiled function is not supported", a.Name).
					WithHint("compiled functions may import numpy, numpy.random, numpy.linalg, math and cmath")
				continue
			}
			if a.AsName != "" {
				bind(a.AsName, &Global{Kind: "module", Name: a.Name})
				continue
			}
			// import numpy.linalg binds numpy.
			top, _, _ := strings.Cut(a.Name, ".")
			bind(top, &Global{Kind: "module", Name: top})
		}
		return
	}
	if s.Level != 0 || !importable[s.From] {
		r.unsupported(s.P, "importing from %s inside a compiled function is not supported", s.From).
			WithHint("compiled functions may import from numpy, numpy.random, numpy.linalg, math and cmath")
		return
	}
	for _, a := range s.Names {
		as := a.AsName
		if as == "" {
			as = a.Name
		}
		switch full := s.From + "." + a.Name; {
		case a.Name == "*":
			r.unsupported(s.P, "from %s import * is not supported", s.From).WithHint("import the names you use")
		case importable[full]:
			bind(as, &Global{Kind: "module", Name: full})
		case library.Callable(s.From, a.Name) != nil:
			bind(as, &Global{Kind: "builtin", Module: s.From, Name: a.Name})
		default:
			r.unsupported(s.P, "%s.%s cannot be imported inside a compiled function", s.From, a.Name).
				WithHint("import the module (import %s) and write %s.%s", s.From, s.From, a.Name)
		}
	}
}

// importsAssigned refuses a name both imported and assigned, once every
// assignment of the function is known.
func (r *resolver) importsAssigned() {
	names := make([]string, 0, len(r.imported))
	for name := range r.imported {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if p := r.imported[name]; r.f.Locals[name] {
			r.unsupported(p, "'%s' is both imported and assigned in this function", name).
				WithHint("use another name for the variable")
		}
	}
}

// shapeAssign rewrites `x.shape = s`, for a local variable x, into
// `x = x.reshape(s)`: NumPy reshapes x in place, and for a variable of the
// function the two are the same (a ValueError if the sizes differ). A
// parameter is refused: NumPy would change the caller's array too.
func (r *resolver) shapeAssign(s *pyast.Assign) {
	if len(s.Targets) != 1 {
		return
	}
	a, ok := s.Targets[0].(*pyast.Attribute)
	if !ok || a.Attr != "shape" {
		return
	}
	x, ok := a.Value.(*pyast.Name)
	if !ok {
		return
	}
	for _, p := range r.f.Params {
		if p == x.ID {
			r.unsupported(a.P, "assigning the shape of the parameter '%s' is not supported", x.ID).
				WithHint("NumPy would reshape the caller's array; write %s = %s.reshape(...)", x.ID, x.ID)
			return
		}
	}
	fn := &pyast.Attribute{Value: x, Attr: "reshape"}
	fn.P = a.P
	call := &pyast.Call{Func: fn, Args: []pyast.Expr{s.Value}}
	call.P = s.Value.Position()
	tgt := &pyast.Name{ID: x.ID}
	tgt.P = x.P
	s.Targets[0], s.Value = tgt, call
}
