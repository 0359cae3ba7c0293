package resolve

// String constants as values (issue 14). Strings are compile-time values:
// before resolution, FoldStrings rewrites a function's syntax so that no
// string is left for the later phases but the constant texts of print()
// and raise, which the runtime's print hook formats (ir.Print).
//
//   - a local assigned the same constant string on every assignment (and
//     assigned at the top level of the body before any use), a global bound
//     to a string, and a str argument (classified per value, so part of the
//     signature) are replaced by their text where they are read;
//   - + and * of constant strings, ==, !=, <, <=, >, >=, in and not in
//     between them, len(), indexing and slicing with constant bounds fold;
//     and/or/not and a conditional expression with a constant test fold, an
//     if statement with a constant test keeps only the branch taken, and a
//     for loop over a constant string is unrolled, its variable replaced by
//     each character;
//   - "fmt" % args, "fmt".format(args) and str(x) become f-strings: a
//     %-conversion is an f-string field with conversion '%' (the hook applies
//     Python's own % to it), a {}-field a field of format(), str(x) the field
//     {x!s}; + of f-strings and constants joins them.
//
// Anything it cannot decide at compile time is left as it was, for the
// phases after it to refuse.

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// MaxStrArg is the longest str argument compiled: each distinct string is a
// specialization of its own.
const MaxStrArg = 256

type strFolder struct {
	f        *Func
	params   map[string]string
	consts   map[string]string
	bound    map[string]bool // names bound in the body in any way
	errs     diag.List
	reported map[pyast.Node]bool
	decided  map[*pyast.If]bool // if statements whose test folded from a string comparison
	only     bool               // replace names, fold nothing (an unrolled body's first pass)
}

// FoldStrings rewrites f's body as the comment at the top of this file says.
// strArgs are the entry's parameters bound to str arguments, by name.
func FoldStrings(f *Func, strArgs map[string]string) diag.List {
	s := &strFolder{f: f, params: strArgs, reported: map[pyast.Node]bool{}, decided: map[*pyast.If]bool{}}
	if !s.anyStrings() && len(strArgs) == 0 {
		return nil
	}
	prev := ""
	for i := 0; i < 16; i++ {
		s.analyze()
		f.Def.Body = s.stmts(f.Def.Body)
		key := s.key()
		if key == prev && i > 0 {
			break
		}
		prev = key
	}
	f.Def.Body = s.dropAssigns(f.Def.Body)
	return s.errs
}

func (s *strFolder) key() string {
	var b strings.Builder
	for n, v := range s.consts {
		b.WriteString(n + "\x00" + v + "\x00")
	}
	return b.String() + string(rune(len(s.consts)))
}

// anyStrings reports whether the body holds a string constant, reads a
// global string or calls str(); functions without one are left untouched.
// (str(x) has no other lowering than the f-string field it folds to, so a
// helper such as `return str(x)` must be folded too.)
func (s *strFolder) anyStrings() bool {
	found := false
	pyast.WalkStmts(s.f.Def.Body, func(pyast.Stmt) bool { return !found }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			switch x := x.(type) {
			case *pyast.Constant:
				found = found || x.Kind == pyast.ConstStr
			case *pyast.Call:
				if n, ok := x.Func.(*pyast.Name); ok && (n.ID == "str" || n.ID == "repr") {
					found = true
				}
			case *pyast.Name:
				if g := s.f.Globals[x.ID]; g != nil && g.Kind == "const" && g.Const != nil && g.Const.Kind == pyast.ConstStr {
					found = true
				}
			}
			return !found
		})
	})
	return found
}

func (s *strFolder) errorf(n pyast.Node, kind diag.Kind, format string, args ...any) *diag.Error {
	e := diag.Errorf(s.f.Pos(n.Position()), kind, format, args...)
	if !s.reported[n] {
		s.reported[n] = true
		s.errs.Add(e)
	}
	return e
}

// analyze finds the names that hold one constant string.
func (s *strFolder) analyze() {
	simple := map[string][]pyast.Expr{}
	other := map[string]bool{}
	s.bound = map[string]bool{}
	var targetNames func(e pyast.Expr)
	targetNames = func(e pyast.Expr) {
		switch e := e.(type) {
		case *pyast.Name:
			other[e.ID] = true
		case *pyast.Tuple:
			for _, x := range e.Elts {
				targetNames(x)
			}
		case *pyast.List:
			for _, x := range e.Elts {
				targetNames(x)
			}
		case *pyast.Starred:
			targetNames(e.Value)
		}
	}
	allNames := func(n any) {
		var body []pyast.Stmt
		switch n := n.(type) {
		case *pyast.FunctionDef:
			body = n.Body
		case *pyast.Lambda:
			body = n.Def.Body
		}
		pyast.WalkStmts(body, func(st pyast.Stmt) bool { return true }, func(e pyast.Expr) {
			pyast.WalkExpr(e, func(x pyast.Expr) bool {
				if nm, ok := x.(*pyast.Name); ok {
					other[nm.ID] = true
				}
				return true
			})
		})
	}
	exprs := func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			switch x := x.(type) {
			case *pyast.ListComp:
				for _, g := range x.Generators {
					targetNames(g.Target)
				}
			case *pyast.GeneratorExp:
				for _, g := range x.Generators {
					targetNames(g.Target)
				}
			case *pyast.Lambda:
				allNames(x)
				return false
			}
			return true
		})
	}
	pyast.WalkStmts(s.f.Def.Body, func(st pyast.Stmt) bool {
		switch st := st.(type) {
		case *pyast.Assign:
			for _, t := range st.Targets {
				if n, ok := t.(*pyast.Name); ok {
					simple[n.ID] = append(simple[n.ID], st.Value)
				} else {
					targetNames(t)
				}
			}
		case *pyast.AnnAssign:
			if n, ok := st.Target.(*pyast.Name); ok && st.Value != nil {
				simple[n.ID] = append(simple[n.ID], st.Value)
			} else {
				targetNames(st.Target)
			}
		case *pyast.AugAssign:
			targetNames(st.Target)
		case *pyast.For:
			targetNames(st.Target)
		case *pyast.FunctionDef:
			other[st.Name] = true
			allNames(st)
			return false
		}
		return true
	}, exprs)
	s.consts = map[string]string{}
	for _, p := range s.f.Def.Params {
		s.bound[p.Name] = true
		if v, ok := s.params[p.Name]; ok {
			if len(simple[p.Name]) > 0 || other[p.Name] {
				s.errorf(p, diag.Unsupported, "the str argument '%s' is assigned in the function, or read by a function defined in it", p.Name).
					WithHint("a str argument is a compile-time constant; assign the new value to another name")
				continue
			}
			s.consts[p.Name] = v
		}
	}
	for n := range other {
		s.bound[n] = true
	}
	for n, vals := range simple {
		s.bound[n] = true
		if other[n] || s.isParam(n) {
			continue
		}
		text, ok := "", true
		for i, v := range vals {
			c, isc := v.(*pyast.Constant)
			if !isc || c.Kind != pyast.ConstStr || (i > 0 && c.Str != text) {
				ok = false
				break
			}
			text = c.Str
		}
		if ok && s.assignedFirst(n) {
			s.consts[n] = text
		}
	}
	for n, g := range s.f.Globals {
		if !s.bound[n] && g.Kind == "const" && g.Const != nil && g.Const.Kind == pyast.ConstStr {
			s.consts[n] = g.Const.Str
		}
	}
}

func (s *strFolder) isParam(n string) bool {
	for _, p := range s.f.Def.Params {
		if p.Name == n {
			return true
		}
	}
	return false
}

// assignedFirst reports whether a top-level statement assigns n before any
// statement reads it: n is then bound on every path where it is read.
func (s *strFolder) assignedFirst(n string) bool {
	for _, st := range s.f.Def.Body {
		if a, ok := st.(*pyast.Assign); ok {
			if mentions([]pyast.Stmt{&pyast.ExprStmt{Value: a.Value}}, n) {
				return false
			}
			for _, t := range a.Targets {
				if nm, ok := t.(*pyast.Name); ok && nm.ID == n {
					return true
				}
			}
		}
		if mentions([]pyast.Stmt{st}, n) {
			return false
		}
	}
	return false
}

func mentions(body []pyast.Stmt, n string) bool {
	found := false
	pyast.WalkStmts(body, func(pyast.Stmt) bool { return !found }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if nm, ok := x.(*pyast.Name); ok && nm.ID == n {
				found = true
			}
			return !found
		})
	})
	return found
}

// builtin reports whether name is the builtin of that name here.
func (s *strFolder) builtin(name string) bool {
	return !s.bound[name] && s.f.Globals[name] == nil && (Builtins[name] || name == "str" || name == "repr" || name == "len")
}

// dropAssigns removes the assignments of names replaced by their text.
func (s *strFolder) dropAssigns(body []pyast.Stmt) []pyast.Stmt {
	out := body[:0]
	for _, st := range body {
		switch st := st.(type) {
		case *pyast.Assign:
			keep := false
			for _, t := range st.Targets {
				n, ok := t.(*pyast.Name)
				if !ok {
					keep = true
				} else if _, c := s.consts[n.ID]; !c {
					keep = true
				}
			}
			if !keep {
				out = append(out, pyast.NewPass(st.P))
				continue
			}
		case *pyast.AnnAssign:
			if n, ok := st.Target.(*pyast.Name); ok {
				if _, c := s.consts[n.ID]; c {
					out = append(out, pyast.NewPass(st.P))
					continue
				}
			}
		case *pyast.For:
			st.Body = s.dropAssigns(st.Body)
			st.Orelse = s.dropAssigns(st.Orelse)
		case *pyast.While:
			st.Body = s.dropAssigns(st.Body)
			st.Orelse = s.dropAssigns(st.Orelse)
		case *pyast.If:
			st.Body = s.dropAssigns(st.Body)
			st.Orelse = s.dropAssigns(st.Orelse)
		case *pyast.Try:
			st.Body = s.dropAssigns(st.Body)
			for _, h := range st.Handlers {
				h.Body = s.dropAssigns(h.Body)
			}
			st.Orelse = s.dropAssigns(st.Orelse)
			st.Finalbody = s.dropAssigns(st.Finalbody)
		}
		out = append(out, st)
	}
	return out
}
