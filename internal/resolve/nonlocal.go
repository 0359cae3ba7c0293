package resolve

// Closures that write the enclosing function's variables (`nonlocal`).
//
// A nested function receives the variables it reads as hidden parameters,
// by value (pylang.go). That cannot carry a write back, so a variable that
// some nested function declares `nonlocal` lives in a cell, as in CPython:
// its owner (the function where it is an ordinary local) keeps it in a
// one-element array for the whole call, reads and writes it there, and
// passes the array, not the value, to every nested function that captures
// it (the writer, and any other that reads it or passes it on). Reads after
// a call then see what the call wrote, and a later call sees the owner's
// new value. The cell holds a number of the type the owner's variable has;
// a nested function assigning another type widens the owner's variable
// (types.assignVar), as assigning it there would.

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// nonlocals collects the names def declares nonlocal (in any block of its
// own body).
func nonlocals(def *pyast.FunctionDef) map[string]pyast.Pos {
	out := map[string]pyast.Pos{}
	pyast.WalkStmts(def.Body, func(s pyast.Stmt) bool {
		if n, ok := s.(*pyast.Nonlocal); ok {
			for _, name := range n.Names {
				if _, seen := out[name]; !seen {
					out[name] = n.P
				}
			}
		}
		_, isDef := s.(*pyast.FunctionDef)
		return !isDef
	}, nil)
	return out
}

// checkNonlocals reports nonlocal names that no enclosing compiled function
// binds, and marks the owners' variables as cells.
func (r *resolver) checkNonlocals() {
	f := r.f
	for name, p := range f.Nonlocals {
		if f.Outer == nil {
			r.unsupported(p, "nonlocal '%s' names a variable outside the compiled function", name).
				WithHint("pass the value as an argument and return the new one")
			continue
		}
		owner := f.Outer.Owner(name)
		if owner == nil {
			r.errs.Add(diag.Errorf(f.Pos(p), diag.Syntax, "no binding for nonlocal '%s' found", name))
			continue
		}
		if owner.Cells == nil {
			owner.Cells = map[string]bool{}
		}
		owner.Cells[name] = true
	}
}

// Owner is the function, f or one around it, where name is an ordinary
// local (not a parameter passed by a closure, not nonlocal), or nil.
func (f *Func) Owner(name string) *Func {
	for g := f; g != nil; g = g.Outer {
		if _, nl := g.Nonlocals[name]; nl || contains(g.Captures, name) {
			continue
		}
		if g.Locals[name] {
			return g
		}
	}
	return nil
}

// IsCell reports that f's variable name lives in a cell: its owner's, when
// f is the owner, or the one f receives from the function that defines it.
func (f *Func) IsCell(name string) bool {
	o := f.Owner(name)
	return o != nil && o.Cells[name]
}

// CellCapture reports that the captured variable name reaches f as its
// owner's cell (an array), not as a value.
func (f *Func) CellCapture(name string) bool {
	return contains(f.Captures, name) && f.IsCell(name)
}
