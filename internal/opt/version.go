package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Versioning a fusion.
//
// Fusing `y[:] = x; r = M[1, 3] * y.mean()` moves M's bounds checks above
// the nest that writes y, so that the store's nest and the mean's become
// one loop. When a check fails, CPython has already written y; the fused
// code raises before writing it. A caller that catches the exception sees
// the difference, and so does every test comparing arrays after a raise.
//
// Refusing to move checks would undo most fusion (two array statements
// with a shape check between them are the common case), so fusion
// versions instead, as bounds-check hoisting versions loops: the
// conditions of the moved checks are tested once before the group; when
// they all hold, the moved statements and the fused nest run, without
// those checks; otherwise the statements run in their source order,
// unfused, and the failing check raises after the same effects with the
// same message.
//
// Only checks that can fail and were moved above a nest whose effects
// outlive the raise need this. A nest's effects outlive it when it stores
// to memory the function did not allocate itself (a parameter's, a view
// of one, a callee's result), prints or calls; stores to the function's
// own temporaries die with the exception, so poly's
// `x1 = x - a; y[:] = x1 + x1*x1` fuses as before. A nest that can fail
// itself is treated the same way: a moved check must not raise before a
// failure the source order reaches first.
//
// The test is evaluated before the group, so each condition is rewritten
// in terms of the values there: scalars the moved statements assign are
// replaced by what they were assigned, extents of arrays they allocate by
// the allocation's shape. A condition that reads anything else the moved
// statements define stops the fusion at that nest. The test holds every
// moved check that can fail, in order, joined by a short-circuit and, so
// that an element a later condition loads is read only once the check
// that guards it has passed.
//
// Checks inside the nests cannot be tested in advance: a nest with a
// check is not fused with one whose effects outlive a raise, in either
// order, nor after another nest that can fail.

// freshArrays lists the array variables that only allocations of this
// call define: their memory is unreachable once the function raises.
func freshArrays(f *ir.Func) map[*ir.Var]bool {
	fresh, other := map[*ir.Var]bool{}, map[*ir.Var]bool{}
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.SetArray:
			switch s.Src.(type) {
			case *ir.Alloc, *ir.LocalAlloc:
				fresh[s.Dst] = true
			default:
				other[s.Dst] = true
			}
		case *ir.Call:
			for _, d := range s.Dsts {
				other[d] = true
			}
		}
	}, nil)
	for v := range fresh {
		if other[v] || v.Param >= 0 {
			delete(fresh, v)
		}
	}
	return fresh
}

// observable reports whether running n has effects a raise after it
// leaves visible: a store to memory that is not one of the function's
// own allocations, a print, a call.
func (z *fuser) observable(n *ir.Nest) bool {
	obs := false
	write := func(v *ir.Var) {
		for r := range z.roots.Of(v) {
			obs = obs || !z.fresh[r]
		}
	}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Store:
			write(s.Arr)
		case *ir.Atomic:
			write(s.Arr)
		case *ir.Assign, *ir.SetArray, *ir.If, *ir.For, *ir.While, *ir.Nest, *ir.Check, *ir.Break, *ir.Continue:
		default:
			obs = true
		}
	}, nil)
	return obs
}

// canFail reports whether statement s (not what it nests) may raise.
func canFail(s ir.Stmt) bool {
	switch s := s.(type) {
	case *ir.Check:
		c, ok := s.Cond.(*ir.Const)
		return !ok || c.I == 0
	case *ir.Print:
		return s.Raise != 0
	case *ir.Call, *ir.Reraise:
		return true
	}
	return false
}

// failsInside reports whether some statement of n's body may raise.
func failsInside(n *ir.Nest) bool {
	fails := false
	ir.VisitStmts(n.Body, func(s ir.Stmt) { fails = fails || canFail(s) }, nil)
	return fails
}

// group is one run of fusion: the first nest, and for each nest absorbed
// the statements moved above it.
type group struct {
	z      *fuser
	before *facts // the facts before the first nest
	// slow is the group in source order, unfused (copies); fast the moved
	// statements, which run before the fused nest.
	slow, fast []ir.Stmt
	conds      []ir.Expr        // the moved checks that can fail, as of the group's start
	members    map[ir.Stmt]bool // the group's statements in the block, as given
	scalars    map[*ir.Var]ir.Expr
	shapes     map[*ir.Var][]ir.Expr // nil entries: bound, not expressible
	broken     bool                  // some moved check is not expressible
	versioned  bool
}

func (z *fuser) newGroup(n *ir.Nest, fc *facts) *group {
	return &group{z: z, before: fc.clone(), members: map[ir.Stmt]bool{n: true},
		slow:    []ir.Stmt{&ir.Nest{Vars: n.Vars, Bounds: n.Bounds, Body: copyStmts(n.Body)}},
		scalars: map[*ir.Var]ir.Expr{}, shapes: map[*ir.Var][]ir.Expr{}}
}

// admit decides whether n2, with the statements moved above acc (the
// nests fused so far), may join the group, and records them if so.
func (g *group) admit(acc *ir.Nest, moved []ir.Stmt, n2 *ir.Nest) bool {
	z := g.z
	accObs, accFails := z.observable(acc), failsInside(acc)
	if (accObs || accFails) && failsInside(n2) || accFails && z.observable(n2) {
		return false
	}
	needs := false
	for _, s := range moved {
		needs = needs || canFail(s)
	}
	needs = needs && (accObs || accFails)
	scalars, shapes := map[*ir.Var]ir.Expr{}, map[*ir.Var][]ir.Expr{}
	for v, e := range g.scalars {
		scalars[v] = e
	}
	for v, e := range g.shapes {
		shapes[v] = e
	}
	conds, ok := express(moved, scalars, shapes)
	ok = ok && !g.broken
	if !ok && (needs || g.versioned) {
		return false
	}
	g.scalars, g.shapes, g.broken = scalars, shapes, !ok
	g.conds = append(g.conds, conds...)
	g.versioned = g.versioned || needs
	g.fast = append(g.fast, moved...)
	g.slow = append(g.slow, copyStmts(moved)...)
	g.slow = append(g.slow, n2)
	for _, s := range moved {
		g.members[s] = true
	}
	g.members[n2] = true
	return true
}

// express rewrites the conditions of moved's checks that can fail in
// terms of the values before them, updating the substitution as moved's
// assignments and allocations go by.
func express(moved []ir.Stmt, scalars map[*ir.Var]ir.Expr, shapes map[*ir.Var][]ir.Expr) ([]ir.Expr, bool) {
	var conds []ir.Expr
	ok := true
	for _, s := range moved {
		switch s := s.(type) {
		case *ir.Check:
			if canFail(s) {
				c, good := substitute(s.Cond, scalars, shapes)
				ok = ok && good
				conds = append(conds, c)
			}
		case *ir.Assign:
			e, good := substitute(s.Src, scalars, shapes)
			if !good {
				e = nil
			}
			scalars[s.Dst] = e
		case *ir.SetArray:
			var shape []ir.Expr
			if a, isAlloc := s.Src.(*ir.Alloc); isAlloc {
				for _, d := range a.Shape {
					e, good := substitute(d, scalars, shapes)
					if !good {
						shape = nil
						break
					}
					shape = append(shape, e)
				}
			}
			shapes[s.Dst] = shape
		default:
			ok = false
		}
	}
	return conds, ok
}

// substitute replaces in e the scalars and extents the moved statements
// define by their values; it fails when e reads anything else they define.
func substitute(e ir.Expr, scalars map[*ir.Var]ir.Expr, shapes map[*ir.Var][]ir.Expr) (ir.Expr, bool) {
	ok := true
	ir.VisitExpr(e, func(x ir.Expr) {
		switch x := x.(type) {
		case *ir.Ref:
			if v, bound := scalars[x.Var]; bound && v == nil {
				ok = false
			}
		case *ir.Dim:
			if sh, bound := shapes[x.Arr]; bound && x.Axis >= len(sh) {
				ok = false
			}
		case *ir.Stride, *ir.Load, *ir.ArrayRef, *ir.Overlap:
			for v := range shapes {
				ok = ok && !ir.Mentions(x, v)
			}
		}
	})
	if !ok {
		return nil, false
	}
	return ir.MapExpr(e, func(x ir.Expr) ir.Expr {
		switch x := x.(type) {
		case *ir.Ref:
			if v := scalars[x.Var]; v != nil {
				return v
			}
		case *ir.Dim:
			if sh := shapes[x.Arr]; x.Axis < len(sh) {
				return sh[x.Axis]
			}
		}
		return nil
	}), true
}

// finish returns what replaces the group: the moved statements and the
// fused nest n, behind the test of the moved checks when it is versioned.
func (g *group) finish(n *ir.Nest) []ir.Stmt {
	if !g.versioned {
		return append(g.fast, n)
	}
	z := g.z
	var fast []ir.Stmt
	for _, s := range g.fast {
		if !canFail(s) {
			fast = append(fast, s) // the test proves the checks
		}
	}
	for _, s := range g.slow {
		if sn, ok := s.(*ir.Nest); ok {
			sn.Body = z.block(sn.Body, g.before.clone())
		}
	}
	g.renameTemporaries()
	var cond ir.Expr
	for _, c := range g.conds {
		if cond == nil {
			cond = c
		} else {
			cond = &ir.Bin{Op: ir.And, X: cond, Y: c, T: types.BoolT}
		}
	}
	bounds := make([]string, len(n.Bounds))
	for k, e := range n.Bounds {
		bounds[k] = ir.ExprString(e)
	}
	fmt.Fprintf(z.log, "%s: %d checks moved above a nest over [%s] whose effects outlive a raise are tested first; the unfused order runs when one fails\n",
		z.fn.Name, len(g.conds), strings.Join(bounds, ", "))
	return []ir.Stmt{&ir.If{Cond: cond, Then: append(fast, n), Else: g.slow}}
}

// renameTemporaries gives the slow version its own variable for each
// array the moved statements allocate, and each scalar they assign, that
// nothing outside the group uses: the fast version's temporary then has
// one allocation, with extents assigned once, and one nest, which
// scalarization turns into a scalar, as it would without the version.
func (g *group) renameTemporaries() {
	z := g.z
	taken := map[string]bool{}
	for _, v := range append(append([]*ir.Var{}, z.fn.Params...), z.fn.Locals...) {
		taken[v.Name] = true
	}
	for _, s := range g.fast {
		var v *ir.Var
		switch s := s.(type) {
		case *ir.SetArray:
			if _, ok := s.Src.(*ir.Alloc); ok {
				v = s.Dst
			}
		case *ir.Assign:
			v = s.Dst
		}
		if v == nil || v.Param >= 0 || z.usedOutside(v, g.members) || sharedUse(g.slow, v) {
			continue
		}
		name := v.Name + "_u"
		for k := 1; taken[name]; k++ {
			name = fmt.Sprintf("%s_u%d", v.Name, k)
		}
		taken[name] = true
		nv := &ir.Var{Name: name, Type: v.Type, Param: -1}
		z.fn.Locals = append(z.fn.Locals, nv)
		if z.fresh[v] {
			z.fresh[nv] = true
		}
		renameVar(g.slow, v, nv)
	}
}

// usedOutside reports whether array v is mentioned by a statement of the
// function other than the group's members (and what they nest).
func (z *fuser) usedOutside(v *ir.Var, members map[ir.Stmt]bool) bool {
	used := false
	var walk func(body []ir.Stmt)
	walk = func(body []ir.Stmt) {
		for _, s := range body {
			if members[s] {
				continue
			}
			ir.OwnExprs(s, func(e ir.Expr) { used = used || ir.Mentions(e, v) })
			switch s := s.(type) {
			case *ir.Store:
				used = used || s.Arr == v
			case *ir.Atomic:
				used = used || s.Arr == v
			case *ir.SetArray:
				used = used || s.Dst == v
				switch d := s.Src.(type) {
				case *ir.Alias:
					used = used || d.Src == v
				case *ir.View:
					used = used || d.Base == v
				}
			case *ir.Assign:
				used = used || s.Dst == v
			case *ir.Call:
				for _, d := range s.Dsts {
					used = used || d == v
				}
			case *ir.If:
				walk(s.Then)
				walk(s.Else)
			case *ir.While:
				walk(s.Body)
			case *ir.For:
				used = used || s.Var == v
				walk(s.Body)
			case *ir.Nest:
				walk(s.Body)
			case *ir.Try:
				walk(s.Body)
				for _, h := range s.Handlers {
					walk(h.Body)
				}
			}
		}
	}
	walk(z.fn.Body)
	return used
}

// renameVar replaces variable v by nv in body (statements the group
// owns: copies, or nests fusion has copied from).
func renameVar(body []ir.Stmt, v, nv *ir.Var) {
	ir.VisitStmts(body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Assign:
			if s.Dst == v {
				s.Dst = nv
			}
		case *ir.Store:
			if s.Arr == v {
				s.Arr = nv
			}
		case *ir.Atomic:
			if s.Arr == v {
				s.Arr = nv
			}
		case *ir.SetArray:
			if s.Dst == v {
				s.Dst = nv
			}
			switch d := s.Src.(type) {
			case *ir.Alias:
				if d.Src == v {
					d.Src = nv
				}
			case *ir.View:
				if d.Base == v {
					d.Base = nv
				}
			}
		}
	}, nil)
	ir.MapStmts(body, func(e ir.Expr) ir.Expr {
		switch e := e.(type) {
		case *ir.Ref:
			if e.Var == v {
				return &ir.Ref{Var: nv}
			}
		case *ir.Load:
			if e.Arr == v {
				return &ir.Load{Arr: nv, Idx: e.Idx}
			}
		case *ir.Dim:
			if e.Arr == v {
				return &ir.Dim{Arr: nv, Axis: e.Axis}
			}
		case *ir.Stride:
			if e.Arr == v {
				return &ir.Stride{Arr: nv, Axis: e.Axis}
			}
		case *ir.ArrayRef:
			if e.Var == v {
				return &ir.ArrayRef{Var: nv}
			}
		case *ir.Overlap:
			if e.A == v || e.B == v {
				o := &ir.Overlap{A: e.A, B: e.B}
				if o.A == v {
					o.A = nv
				}
				if o.B == v {
					o.B = nv
				}
				return o
			}
		}
		return nil
	})
}

// sharedUse reports whether v is mentioned by a statement that copyStmts
// shares between copies (a call, a print, a return): renaming it in the
// slow version would rename it in the fast one too.
func sharedUse(body []ir.Stmt, v *ir.Var) bool {
	shared := false
	ir.VisitStmts(body, func(s ir.Stmt) {
		switch s.(type) {
		case *ir.Call, *ir.Print, *ir.Return:
			ir.OwnExprs(s, func(e ir.Expr) { shared = shared || ir.Mentions(e, v) })
		}
	}, nil)
	return shared
}
