package resolve

import (
	"fmt"
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

// shapeChains splits a chained assignment with a shape among its targets,
// `Xi.shape = Yi.shape = C.shape = n` (npbench's mandelbrot2), into one
// assignment per target, in Python's order (the value once, then the
// targets left to right): `shape@k = n; Xi.shape = shape@k; Yi.shape =
// shape@k; ...`, each of which shapeAssign then rewrites. The value gets a
// name of its own unless it is a name or a constant already.
func (r *resolver) shapeChains(body []pyast.Stmt) []pyast.Stmt {
	var out []pyast.Stmt
	for _, s := range body {
		pyast.RewriteBlocks(s, r.shapeChains)
		if a, ok := s.(*pyast.Assign); ok && len(a.Targets) > 1 && hasShapeTarget(a.Targets) {
			out = append(out, r.splitChain(a)...)
			continue
		}
		out = append(out, s)
	}
	return out
}

func hasShapeTarget(targets []pyast.Expr) bool {
	for _, t := range targets {
		if a, ok := t.(*pyast.Attribute); ok && a.Attr == "shape" {
			return true
		}
	}
	return false
}

func (r *resolver) splitChain(s *pyast.Assign) []pyast.Stmt {
	var out []pyast.Stmt
	value := s.Value
	switch value.(type) {
	case *pyast.Name, *pyast.Constant:
	default:
		r.shapeTemps++
		tmp := &pyast.Name{ID: fmt.Sprintf("shape@%d", r.shapeTemps)}
		tmp.P = s.P
		first := &pyast.Assign{Targets: []pyast.Expr{tmp}, Value: value}
		first.P = s.P
		out = append(out, first)
		value = tmp
	}
	for _, t := range s.Targets {
		v := value
		if n, ok := value.(*pyast.Name); ok {
			c := &pyast.Name{ID: n.ID}
			c.P = n.P
			v = c
		}
		a := &pyast.Assign{Targets: []pyast.Expr{t}, Value: v}
		a.P = s.P
		out = append(out, a)
	}
	return out
}
