package opt

import (
	"fmt"
	"strings"

	"sejit/internal/analysis"
	"sejit/internal/ir"
)

// Fusion merges neighbouring nests with the same iteration space into one
// (HOPE's block merge), so `x1 = x - a; y[:] = x1 + x1*x1` runs as one
// loop that reads x once.
//
// Two nests have the same space when their bounds are equal expressions,
// or are proven equal by what the statements before them established: an
// allocation gives an array the extents it was made with, a scalar
// assigned a pure expression equals it, and a passed shape check equates
// its two sides. Those facts are gathered in order along one block and
// forgotten when a variable they mention is assigned again, so they hold
// wherever they are used. The extents that facts connect are HOPE's
// merged segments; the explain output lists them.
//
// Fusing is legal when no iteration of the second nest reads what a
// different iteration of the first wrote: every array written by either
// nest is accessed by both only at the element of the current iteration,
// no scalar written by one is touched by the other, and no two different
// views of one array meet. Statements between the nests that only compute
// extents, checks and loads (nothing the first nest writes) move above it.

type facts struct {
	pairs [][2]string
	vars  [][2]map[*ir.Var]bool // the variables each side mentions
}

func (f *facts) add(a, b ir.Expr) {
	sa, sb := ir.ExprString(a), ir.ExprString(b)
	if sa == sb {
		return
	}
	f.pairs = append(f.pairs, [2]string{sa, sb})
	f.vars = append(f.vars, [2]map[*ir.Var]bool{mentioned(a), mentioned(b)})
}

func mentioned(e ir.Expr) map[*ir.Var]bool {
	m := map[*ir.Var]bool{}
	ir.VisitExpr(e, func(x ir.Expr) {
		switch x := x.(type) {
		case *ir.Ref:
			m[x.Var] = true
		case *ir.Dim:
			m[x.Arr] = true
		case *ir.Stride:
			m[x.Arr] = true
		case *ir.Load:
			m[x.Arr] = true
		}
	})
	return m
}

// kill forgets facts about v.
func (f *facts) kill(v *ir.Var) {
	out, outv := f.pairs[:0:0], f.vars[:0:0]
	for i, p := range f.pairs {
		if f.vars[i][0][v] || f.vars[i][1][v] {
			continue
		}
		out, outv = append(out, p), append(outv, f.vars[i])
	}
	f.pairs, f.vars = out, outv
}

func (f *facts) clone() *facts {
	return &facts{pairs: append([][2]string(nil), f.pairs...), vars: append([][2]map[*ir.Var]bool(nil), f.vars...)}
}

// classes builds the union-find of the facts and returns its find: two
// expressions are proven equal when they have the same representative.
func (f *facts) classes() func(string) string {
	parent := map[string]string{}
	find := func(s string) string {
		for {
			p, ok := parent[s]
			if !ok || p == s {
				return s
			}
			s = p
		}
	}
	for _, p := range f.pairs {
		ra, rb := find(p[0]), find(p[1])
		if ra != rb {
			parent[ra] = rb
		}
	}
	return find
}

// equal reports whether a and b are proven equal.
func (f *facts) equal(a, b ir.Expr) bool {
	sa, sb := ir.ExprString(a), ir.ExprString(b)
	if sa == sb {
		return true
	}
	find := f.classes()
	return find(sa) == find(sb)
}

// segments lists the classes of extents the facts merge.
func (f *facts) segments() []string {
	find := f.classes()
	classes := map[string][]string{}
	var order []string
	for _, p := range f.pairs {
		for _, s := range p {
			r := find(s)
			if _, ok := classes[r]; !ok {
				order = append(order, r)
			}
			found := false
			for _, x := range classes[r] {
				found = found || x == s
			}
			if !found {
				classes[r] = append(classes[r], s)
			}
		}
	}
	var out []string
	for _, r := range order {
		if len(classes[r]) > 1 {
			out = append(out, "{"+strings.Join(classes[r], " = ")+"}")
		}
	}
	return out
}

func fuseProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		fz := &fuser{fn: f, roots: analysis.AliasRoots(f), fresh: freshArrays(f), log: log}
		f.Body = fz.block(f.Body, &facts{})
	}
}

type fuser struct {
	fn    *ir.Func
	roots *analysis.Roots
	fresh map[*ir.Var]bool // arrays only this call's allocations define (version.go)
	log   *strings.Builder
	// try counts the try bodies around the block being fused: there a
	// check stays after the nest before it, since a handler may see that
	// nest's effects (ir/try.go).
	try int
}

func (z *fuser) block(body []ir.Stmt, fc *facts) []ir.Stmt {
	out := make([]ir.Stmt, 0, len(body))
	for i := 0; i < len(body); i++ {
		s := body[i]
		if n, ok := s.(*ir.Nest); ok {
			// Try to absorb following nests, moving movable statements up.
			// g keeps the unfused order in case a moved check must be
			// versioned (version.go).
			g := z.newGroup(n, fc)
			for {
				j := i + 1
				var moved []ir.Stmt
				trial := fc.clone()
				for j < len(body) && z.movable(body[j], n) {
					learn(trial, body[j])
					moved = append(moved, body[j])
					j++
				}
				if j >= len(body) {
					break
				}
				n2, ok := body[j].(*ir.Nest)
				if !ok || !z.canFuse(n, n2, trial) || !g.admit(n, moved, n2) {
					break
				}
				for _, m := range moved {
					learn(fc, m)
				}
				z.merge(n, n2, trial)
				i = j
			}
			n.Body = z.block(n.Body, fc.clone())
			out = append(out, g.finish(n)...)
			for v := range assignedIn(n) {
				fc.kill(v)
			}
			continue
		}
		switch s := s.(type) {
		case *ir.If:
			s.Then = z.block(s.Then, fc.clone())
			s.Else = z.block(s.Else, fc.clone())
		case *ir.Try:
			// A handler starts after any statement of the body: it and
			// the code after the Try know only the facts from before.
			z.try++
			s.Body = z.block(s.Body, fc.clone())
			z.try--
			for i := range s.Handlers {
				inner := fc.clone()
				for v := range assignedIn(s) {
					inner.kill(v)
				}
				s.Handlers[i].Body = z.block(s.Handlers[i].Body, inner)
			}
		case *ir.While:
			inner := fc.clone()
			for v := range assignedIn(s) {
				inner.kill(v)
			}
			s.Body = z.block(s.Body, inner)
		case *ir.For:
			inner := fc.clone()
			for v := range assignedIn(s) {
				inner.kill(v)
			}
			s.Body = z.block(s.Body, inner)
		}
		learn(fc, s)
		out = append(out, s)
	}
	return out
}

// learn records the facts a statement establishes (after killing those
// it invalidates).
func learn(fc *facts, s ir.Stmt) {
	for v := range assignedIn(s) {
		fc.kill(v)
	}
	switch s := s.(type) {
	case *ir.Assign:
		if pureNoLoad(s.Src) && !ir.Mentions(s.Src, s.Dst) {
			fc.add(&ir.Ref{Var: s.Dst}, s.Src)
		}
	case *ir.SetArray:
		switch d := s.Src.(type) {
		case *ir.Alloc:
			for k, e := range d.Shape {
				if !ir.Mentions(e, s.Dst) {
					fc.add(&ir.Dim{Arr: s.Dst, Axis: k}, e)
				}
			}
		case *ir.View:
			for k, e := range d.Shape {
				if !ir.Mentions(e, s.Dst) {
					fc.add(&ir.Dim{Arr: s.Dst, Axis: k}, e)
				}
			}
		case *ir.Alias:
			if d.Src != s.Dst {
				for k := 0; k < s.Dst.Type.NDim; k++ {
					fc.add(&ir.Dim{Arr: s.Dst, Axis: k}, &ir.Dim{Arr: d.Src, Axis: k})
				}
			}
		}
	case *ir.Check:
		if b, ok := s.Cond.(*ir.Bin); ok && b.Op == ir.Eq {
			fc.add(b.X, b.Y)
		}
	}
}

func pureNoLoad(e ir.Expr) bool {
	ok := true
	ir.VisitExpr(e, func(x ir.Expr) {
		if _, isLoad := x.(*ir.Load); isLoad {
			ok = false
		}
	})
	return ok
}

// assignedIn lists the variables a statement (and its nested blocks) binds.
func assignedIn(s ir.Stmt) map[*ir.Var]bool {
	m := map[*ir.Var]bool{}
	ir.VisitStmts([]ir.Stmt{s}, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			m[v] = true
		}
	}, nil)
	return m
}

// access summarises what a nest reads and writes.
type access struct {
	scalarW, scalarR map[*ir.Var]bool
	arrW, arrR       map[*ir.Var]bool
	nonIdentity      map[*ir.Var]bool // arrays accessed at another element than the iteration's
}

func summarize(n *ir.Nest) *access {
	a := &access{scalarW: map[*ir.Var]bool{}, scalarR: map[*ir.Var]bool{}, arrW: map[*ir.Var]bool{},
		arrR: map[*ir.Var]bool{}, nonIdentity: map[*ir.Var]bool{}}
	identity := func(idx []ir.Expr) bool {
		if len(idx) != len(n.Vars) {
			return false
		}
		for k, e := range idx {
			r, ok := e.(*ir.Ref)
			if !ok || r.Var != n.Vars[k] {
				return false
			}
		}
		return true
	}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Assign:
			a.scalarW[s.Dst] = true
		case *ir.Store:
			a.arrW[s.Arr] = true
			if !identity(s.Idx) {
				a.nonIdentity[s.Arr] = true
			}
		case *ir.SetArray:
			a.arrW[s.Dst] = true
			a.nonIdentity[s.Dst] = true
		case *ir.For:
			a.scalarW[s.Var] = true
		case *ir.Nest:
			for _, v := range s.Vars {
				a.scalarW[v] = true
			}
		case *ir.Call:
			for _, d := range s.Dsts {
				a.scalarW[d] = true
				a.arrW[d] = true
			}
			for _, x := range s.Args {
				if ar, ok := x.(*ir.ArrayRef); ok {
					a.arrW[ar.Var] = true
					a.nonIdentity[ar.Var] = true
				}
			}
		}
	}, func(e ir.Expr) {
		switch e := e.(type) {
		case *ir.Ref:
			a.scalarR[e.Var] = true
		case *ir.Load:
			a.arrR[e.Arr] = true
			if !identity(e.Idx) {
				a.nonIdentity[e.Arr] = true
			}
		case *ir.ArrayRef:
			a.arrR[e.Var] = true
			a.nonIdentity[e.Var] = true
		}
	})
	for _, v := range n.Vars {
		a.scalarW[v] = true
	}
	return a
}

// movable reports whether s can move above nest n.
func (z *fuser) movable(s ir.Stmt, n *ir.Nest) bool {
	a := summarize(n)
	readsWritten := func(e ir.Expr) bool {
		bad := false
		ir.VisitExpr(e, func(x ir.Expr) {
			switch x := x.(type) {
			case *ir.Ref:
				bad = bad || a.scalarW[x.Var]
			case *ir.Load:
				// A load moves above the nest when the nest writes no array
				// sharing its memory (np.max's first element, read before
				// np.min's loop has ended).
				for w := range a.arrW {
					bad = bad || z.overlap(w, x.Arr)
				}
			}
		})
		return bad
	}
	switch s := s.(type) {
	case *ir.Check:
		if z.try > 0 || readsWritten(s.Cond) {
			return false
		}
		for _, x := range s.Args {
			if readsWritten(x) {
				return false
			}
		}
		return true
	case *ir.Assign:
		return !a.scalarR[s.Dst] && !a.scalarW[s.Dst] && !readsWritten(s.Src)
	case *ir.SetArray:
		d, ok := s.Src.(*ir.Alloc)
		if !ok || a.arrR[s.Dst] || a.arrW[s.Dst] {
			return false
		}
		for _, e := range d.Shape {
			if readsWritten(e) || ir.Mentions(e, s.Dst) {
				return false
			}
		}
		// The nest must not read the allocated array's old extents.
		used := false
		ir.VisitStmts(n.Body, nil, func(e ir.Expr) { used = used || ir.Mentions(e, s.Dst) })
		for _, b := range n.Bounds {
			used = used || ir.Mentions(b, s.Dst)
		}
		return !used
	}
	return false
}

func (z *fuser) canFuse(a, b *ir.Nest, fc *facts) bool {
	if len(a.Vars) != len(b.Vars) {
		return false
	}
	for k := range a.Bounds {
		if !fc.equal(a.Bounds[k], b.Bounds[k]) {
			return false
		}
	}
	// Rename b's loop variables to a's on a copy for the analysis.
	rb := &ir.Nest{Vars: a.Vars, Bounds: a.Bounds, Body: renameCopy(b, a.Vars)}
	sa, sb := summarize(a), summarize(rb)
	for v := range sa.scalarW {
		if isNestVar(a, v) {
			continue
		}
		if sb.scalarR[v] || sb.scalarW[v] {
			return false
		}
	}
	for v := range sb.scalarW {
		if isNestVar(a, v) {
			continue
		}
		if sa.scalarR[v] {
			return false
		}
	}
	// Arrays written by one and accessed by the other.
	check := func(w *access, o *access) bool {
		for v := range w.arrW {
			for u := range union(o.arrR, o.arrW) {
				if u == v {
					if w.nonIdentity[v] || o.nonIdentity[v] {
						return false
					}
					continue
				}
				if z.overlap(u, v) {
					return false
				}
			}
		}
		return true
	}
	return check(sa, sb) && check(sb, sa)
}

func union(a, b map[*ir.Var]bool) map[*ir.Var]bool {
	m := map[*ir.Var]bool{}
	for v := range a {
		m[v] = true
	}
	for v := range b {
		m[v] = true
	}
	return m
}

// overlap reports whether two different array variables, one of which a
// nest writes, may share memory at run time (analysis.Roots.MayOverlap):
// views of one root, or parameters the caller may have passed
// overlapping. Nests touching such a pair stay apart, each computing its
// right side whole as NumPy does (snapshots make each of them safe alone).
func (z *fuser) overlap(u, v *ir.Var) bool {
	return z.roots.MayOverlap(u, v)
}

func isNestVar(n *ir.Nest, v *ir.Var) bool {
	for _, x := range n.Vars {
		if x == v {
			return true
		}
	}
	return false
}

// renameCopy returns b's body with its loop variables renamed to vars.
// Statements are rebuilt, so b itself is unchanged.
func renameCopy(b *ir.Nest, vars []*ir.Var) []ir.Stmt {
	body := copyStmts(b.Body)
	m := map[*ir.Var]*ir.Var{}
	for k, v := range b.Vars {
		m[v] = vars[k]
	}
	ir.MapStmts(body, func(e ir.Expr) ir.Expr {
		if r, ok := e.(*ir.Ref); ok {
			if nv, ok := m[r.Var]; ok {
				return &ir.Ref{Var: nv}
			}
		}
		return nil
	})
	return body
}

// copyStmts copies statement structure (expressions are immutable and
// shared; MapStmts replaces rather than mutates them).
func copyStmts(body []ir.Stmt) []ir.Stmt {
	out := make([]ir.Stmt, len(body))
	for i, s := range body {
		switch s := s.(type) {
		case *ir.Assign:
			c := *s
			out[i] = &c
		case *ir.Store:
			c := *s
			out[i] = &c
		case *ir.Check:
			c := *s
			out[i] = &c
		case *ir.Atomic:
			c := *s
			out[i] = &c
		case *ir.SetArray:
			// The definition is copied too: passes map its expressions in place.
			out[i] = ir.ShallowCopy(s)
		case *ir.If:
			out[i] = &ir.If{Cond: s.Cond, Then: copyStmts(s.Then), Else: copyStmts(s.Else)}
		case *ir.Nest:
			out[i] = &ir.Nest{Vars: s.Vars, Bounds: s.Bounds, Body: copyStmts(s.Body)}
		case *ir.For:
			c := *s
			c.Body = copyStmts(s.Body)
			out[i] = &c
		case *ir.While:
			out[i] = &ir.While{Cond: s.Cond, Body: copyStmts(s.Body)}
		case *ir.Try:
			c := &ir.Try{ID: s.ID, Line: s.Line, Col: s.Col, Body: copyStmts(s.Body)}
			for _, h := range s.Handlers {
				c.Handlers = append(c.Handlers, ir.Handler{Errs: h.Errs, Body: copyStmts(h.Body)})
			}
			out[i] = c
		default:
			out[i] = s
		}
	}
	return out
}

func (z *fuser) merge(a, b *ir.Nest, fc *facts) {
	a.Body = append(a.Body, renameCopy(b, a.Vars)...)
	bounds := make([]string, len(a.Bounds))
	for k, e := range a.Bounds {
		bounds[k] = ir.ExprString(e)
	}
	fmt.Fprintf(z.log, "%s: fused a nest over [%s] into the one before it", z.fn.Name, strings.Join(bounds, ", "))
	if segs := fc.segments(); len(segs) > 0 {
		fmt.Fprintf(z.log, "; merged extents %s", strings.Join(segs, " "))
	}
	z.log.WriteString("\n")
}
