package lower

import (
	"fmt"

	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
)

// parLoop is a prange loop lowered with Options.Parallel.
type parLoop struct {
	f    *fn
	loop *ir.For
	src  *pyast.For
}

// markParallel makes a loop over sejit.prange parallel when the options
// ask for it; otherwise it stays the plain loop prange is in Python.
func (f *fn) markParallel(s *pyast.For, loop *ir.For) {
	if !f.l.opts.Parallel || !f.info.Prange[s] {
		return
	}
	loop.Parallel = true
	f.l.prange = append(f.l.prange, parLoop{f: f, loop: loop, src: s})
}

// checkParallel reports, at the user's source, every prange loop whose
// iterations ir.PlanParallel cannot prove independent.
func (l *lowerer) checkParallel() {
	if len(l.prange) == 0 || l.opts.Kernel {
		return
	}
	l.refuseParallelDraws()
	writing := ir.WritingFuncs(l.funcs)
	for _, p := range l.prange {
		_, perr := ir.PlanParallel(p.f.f, p.loop, writing)
		if perr == nil {
			continue
		}
		f := p.f
		pos := p.src.P
		msg := perr.Msg
		if perr.Var != nil {
			name := f.userName(perr.Var)
			if name == "" {
				// A temporary of lowering: an array expression's view.
				name = "an array"
			} else {
				if at, ok := firstAssign(p.src.Body, name, perr.Arr); ok {
					pos = at
				}
				name = "'" + name + "'"
			}
			msg = fmt.Sprintf("%s %s", name, perr.Msg)
		}
		f.errorf(pos, diag.Unsupported, "%s", msg).WithHint("%s", perr.Hint)
	}
}

// userName is the Python name of a lowered variable, or "".
func (f *fn) userName(v *ir.Var) string {
	for name, val := range f.vars {
		if val == nil {
			continue
		}
		if r, ok := val.s.(*ir.Ref); ok && r.Var == v {
			return name
		}
		if val.arr == v {
			return name
		}
	}
	return ""
}

// firstAssign finds the first statement of body that assigns name (or,
// for an array, stores into it).
func firstAssign(body []pyast.Stmt, name string, arr bool) (pyast.Pos, bool) {
	var hit func(e pyast.Expr) bool
	hit = func(e pyast.Expr) bool {
		switch e := e.(type) {
		case *pyast.Name:
			return e.ID == name
		case *pyast.Tuple:
			for _, x := range e.Elts {
				if hit(x) {
					return true
				}
			}
		case *pyast.Subscript:
			return arr && hit(e.Value)
		}
		return false
	}
	for _, s := range body {
		switch s := s.(type) {
		case *pyast.Assign:
			for _, t := range s.Targets {
				if hit(t) {
					return s.P, true
				}
			}
		case *pyast.AugAssign:
			if hit(s.Target) {
				return s.P, true
			}
		case *pyast.For:
			if p, ok := firstAssign(s.Body, name, arr); ok {
				return p, true
			}
		case *pyast.While:
			if p, ok := firstAssign(s.Body, name, arr); ok {
				return p, true
			}
		case *pyast.If:
			if p, ok := firstAssign(s.Body, name, arr); ok {
				return p, true
			}
			if p, ok := firstAssign(s.Orelse, name, arr); ok {
				return p, true
			}
		case *pyast.Try:
			blocks := [][]pyast.Stmt{s.Body, s.Orelse, s.Finalbody}
			for _, h := range s.Handlers {
				blocks = append(blocks, h.Body)
			}
			for _, b := range blocks {
				if p, ok := firstAssign(b, name, arr); ok {
					return p, true
				}
			}
		}
	}
	return pyast.Pos{}, false
}
