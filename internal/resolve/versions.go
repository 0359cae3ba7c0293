package resolve

import (
	"fmt"
	"sort"
	"strings"

	"sejit/internal/pyast"
)

// Versions of a variable: SSA renaming without phi functions.
//
// Python lets a name hold values of different types over its life:
//
//	x = x.astype(np.float32)   # x was an int array, now a float32 one
//	x = x.reshape(n, m)        # now of rank 2
//
// A compiled variable has one C type, so typing every binding of x into
// one variable would refuse this code ("x changes type"). Yet the two
// values never meet: each use of x sees exactly one of the bindings. Only
// where control flow joins (after an if whose branches bind x differently,
// at a loop head when the body rebinds x) can one use see several
// bindings, and only there must they share a type.
//
// The classic tool is SSA construction: give each binding its own name and
// put a phi function at each join. We need less than that: we never
// generate phis, because the values meeting at a join must be one C
// variable anyway. So we compute *webs*, as register allocators do: two
// bindings of x belong to the same web when some use of x can be reached
// by both. Each web becomes one version of x, with one type; different
// webs are different variables that happen to share a Python name. A join
// that merges bindings of different types then still fails in type
// inference, which is exactly the one place the error belongs.
//
// The webs come from reaching definitions, computed by walking the
// structured tree once (loops iterate to a fixed point: the sets only
// grow, and are bounded by the bindings of the function). Each binding is
// one syntax node (a target Name, or a parameter), so the sets are sets of
// node ids; a union-find merges the bindings that reach a common use.
//
// The result is a side table, Func.Versions, from Name node to version
// name; the tree is never rewritten, so messages still quote the source.
// The web holding the parameter (or else the first binding in source
// order) keeps the plain name; the others are called x@v1, x@v2, ...,
// names no Python source can spell ('@' is not an identifier character),
// which pyast.SourceName turns back into x for messages.
//
// Some variables keep one name for all their bindings, because their
// meaning is not a matter of which binding reaches which use:
//   - those a nested function or lambda reads: it sees the variable's value
//     when it is called, wherever that is;
//   - those deleted with del (the variable, not an item of it);
//   - for-loop targets: lowering reasons about loop counters by name;
//   - comprehension variables (already renamed apart by the decoder).
//
// Augmented assignment (x += 1) reads x and binds it again; the binding
// joins the web of what it read, so x keeps its variable (an array is
// updated in place, as Python does).
// # Attributes
//
// The attributes of a parameter holding an object get the same treatment
// (`p.x = p.x.astype(np.float32)`, `p.n = 2.5` for an int attribute, then
// reads of p.x or p.n): each attribute p.x the function assigns is a
// variable "p.x" whose first binding is the object's attribute on entry.
// The web holding that binding keeps reading and writing the object; every
// other web is a local variable, p.x@v1, ..., whose stores also tell the
// object the attribute's last value (types/objects.go). This is sound only
// when nothing else can see the attribute while the function runs: the
// parameter is never rebound, captured by a nested function, passed to a
// call or a method (`p.step()` could read p.x), or used but through its
// attributes; otherwise its attributes keep one variable, the object's.
type versioner struct {
	f *Func
	// attrBase: the parameters whose attributes are versioned.
	attrBase map[string]bool
	attrUses map[*pyast.Attribute]int
	keep     map[string]bool // variables that keep one name
	defID    map[any]int     // binding node (a Name or a Param) → id
	defVar   []string        // id → variable
	parent   []int           // union-find over ids
	useDefs  map[*pyast.Name]int
	breaks   [][]state
	conts    [][]state
}

// state maps a variable to the set of bindings that reach this point; nil
// is an unreachable point (after return, break, continue, raise).
type state map[string]map[int]bool

func (s state) clone() state {
	if s == nil {
		return nil
	}
	out := state{}
	for k, v := range s {
		m := make(map[int]bool, len(v))
		for d := range v {
			m[d] = true
		}
		out[k] = m
	}
	return out
}

func join(a, b state) state {
	if a == nil {
		return b.clone()
	}
	out := a.clone()
	for k, v := range b {
		m := out[k]
		if m == nil {
			m = map[int]bool{}
			out[k] = m
		}
		for d := range v {
			m[d] = true
		}
	}
	return out
}

func equalStates(a, b state) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w := b[k]
		if len(v) != len(w) {
			return false
		}
		for d := range v {
			if !w[d] {
				return false
			}
		}
	}
	return true
}

// VarName is the variable a Name node of f stands for: its version (see
// versions.go) or, for most names, the name itself.
func (f *Func) VarName(n *pyast.Name) string {
	if v, ok := f.Versions[n]; ok {
		return v
	}
	return n.ID
}

// versions fills f.Versions and adds the new version names to f.Locals.
func versions(f *Func) {
	v := &versioner{f: f, keep: map[string]bool{}, defID: map[any]int{}, useDefs: map[*pyast.Name]int{}}
	f.Versions = map[*pyast.Name]string{}
	f.AttrVersions = map[*pyast.Attribute]string{}
	for _, c := range f.children {
		for _, name := range c.Captures {
			v.keep[name] = true
		}
		for name := range freeNames(c.Def) {
			v.keep[name] = true
		}
	}
	pyast.WalkStmts(f.Def.Body, func(s pyast.Stmt) bool {
		switch s := s.(type) {
		case *pyast.For:
			markNames(s.Target, v.keep)
		case *pyast.Delete:
			for _, t := range s.Targets {
				markNames(t, v.keep)
			}
		case *pyast.Try:
			// An exception may leave the body after any of its statements,
			// so a handler (or the finally clause) can see any binding the
			// body made so far: the variables a try binds keep one name.
			pyast.WalkStmts([]pyast.Stmt{s}, func(x pyast.Stmt) bool {
				switch x := x.(type) {
				case *pyast.Assign:
					for _, t := range x.Targets {
						markNames(t, v.keep)
					}
				case *pyast.AugAssign:
					markNames(x.Target, v.keep)
				case *pyast.AnnAssign:
					markNames(x.Target, v.keep)
				case *pyast.For:
					markNames(x.Target, v.keep)
				case *pyast.FunctionDef:
					return false
				}
				return true
			}, nil)
		case *pyast.FunctionDef:
			return false
		}
		return true
	}, nil)
	st := state{}
	for i, p := range f.Def.Params {
		id := v.newDef(f.Def.Params[i], p.Name)
		st[p.Name] = map[int]bool{id: true}
	}
	v.attrBase, v.attrUses = map[string]bool{}, map[*pyast.Attribute]int{}
	for _, key := range v.attributeVars() {
		id := v.newDef("entry "+key, key)
		st[key] = map[int]bool{id: true}
	}
	v.stmts(f.Def.Body, st)
	v.name()
}

// attrKey is the variable of p.x for a versioned parameter p, or "".
func (v *versioner) attrKey(a *pyast.Attribute) string {
	n, ok := a.Value.(*pyast.Name)
	if !ok || !v.attrBase[n.ID] || v.keep[n.ID+"."+a.Attr] {
		return ""
	}
	return n.ID + "." + a.Attr
}

// attributeVars picks the parameters whose attributes are versioned (see
// "Attributes" above) and returns the variables of the attributes they
// assign, in source order.
func (v *versioner) attributeVars() []string {
	f := v.f
	params := map[string]bool{}
	for _, p := range f.Def.Params {
		if !v.keep[p.Name] {
			params[p.Name] = true
		}
	}
	bases := map[*pyast.Name]bool{} // Name nodes that are the base of an attribute access
	bad := map[string]bool{}
	var stored []string
	seen := map[string]bool{}
	target := func(t pyast.Expr) {}
	target = func(t pyast.Expr) {
		switch t := t.(type) {
		case *pyast.Name:
			bad[t.ID] = true // rebound
		case *pyast.Tuple:
			for _, x := range t.Elts {
				target(x)
			}
		case *pyast.Starred:
			target(t.Value)
		case *pyast.Attribute:
			if n, ok := t.Value.(*pyast.Name); ok && params[n.ID] {
				if k := n.ID + "." + t.Attr; !seen[k] {
					seen[k] = true
					stored = append(stored, k)
				}
			}
		}
	}
	pyast.WalkStmts(f.Def.Body, func(s pyast.Stmt) bool {
		for _, t := range pyast.StoreTargets(s) {
			target(t)
		}
		switch s := s.(type) {
		case *pyast.Delete:
			for _, t := range s.Targets {
				target(t)
			}
		case *pyast.FunctionDef:
			return false
		}
		return true
	}, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			switch x := x.(type) {
			case *pyast.Attribute:
				if n, ok := x.Value.(*pyast.Name); ok {
					bases[n] = true
				}
			case *pyast.Call:
				// p.method(...) passes p.
				if a, ok := x.Func.(*pyast.Attribute); ok {
					if n, ok := a.Value.(*pyast.Name); ok {
						bad[n.ID] = true
					}
				}
			case *pyast.Lambda:
				return false
			}
			return true
		})
	})
	// Any other use of the parameter's name passes the object on.
	pyast.WalkStmts(f.Def.Body, func(s pyast.Stmt) bool {
		if _, ok := s.(*pyast.FunctionDef); ok {
			return false
		}
		return true
	}, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if n, ok := x.(*pyast.Name); ok && !bases[n] {
				bad[n.ID] = true
			}
			return true
		})
	})
	var out []string
	for _, k := range stored {
		p := k[:strings.IndexByte(k, '.')]
		if !bad[p] {
			v.attrBase[p] = true
			out = append(out, k)
		}
	}
	return out
}

// constParamsKept refuses a rebinding of a parameter bound to a constant
// argument (a dtype, a module, a function): its reads are the constant's.
func (r *resolver) constParamsKept() {
	if len(r.f.ConstParams) == 0 {
		return
	}
	var target func(e pyast.Expr)
	target = func(e pyast.Expr) {
		switch e := e.(type) {
		case *pyast.Name:
			if _, ok := r.f.ConstParams[e.ID]; ok {
				r.unsupported(e.P, "the parameter '%s' receives a constant (a dtype, a module or a function) "+
					"and cannot be rebound", e.ID).WithHint("use a new variable name")
			}
		case *pyast.Tuple:
			for _, x := range e.Elts {
				target(x)
			}
		}
	}
	pyast.WalkStmts(r.f.Def.Body, func(s pyast.Stmt) bool {
		for _, t := range pyast.StoreTargets(s) {
			target(t)
		}
		_, def := s.(*pyast.FunctionDef)
		return !def
	}, nil)
}

func markNames(e pyast.Expr, into map[string]bool) {
	switch e := e.(type) {
	case *pyast.Name:
		into[e.ID] = true
	case *pyast.Tuple:
		for _, x := range e.Elts {
			markNames(x, into)
		}
	case *pyast.Starred:
		markNames(e.Value, into)
	case *pyast.Attribute:
		// p.x, a variable when p's attributes are versioned.
		if n, ok := e.Value.(*pyast.Name); ok {
			into[n.ID+"."+e.Attr] = true
		}
	}
}

func (v *versioner) tracked(name string) bool {
	_, constant := v.f.ConstParams[name]
	return v.f.Locals[name] && !v.keep[name] && !constant && pyast.SourceName(name) == name
}

func (v *versioner) newDef(n any, name string) int {
	if id, ok := v.defID[n]; ok {
		return id
	}
	id := len(v.defVar)
	v.defID[n] = id
	v.defVar = append(v.defVar, name)
	v.parent = append(v.parent, id)
	return id
}

func (v *versioner) find(i int) int {
	for v.parent[i] != i {
		v.parent[i] = v.parent[v.parent[i]]
		i = v.parent[i]
	}
	return i
}

func (v *versioner) union(a, b int) {
	a, b = v.find(a), v.find(b)
	if a < b {
		v.parent[b] = a
	} else if b < a {
		v.parent[a] = b
	}
}

// use records that n reads its variable at a point with bindings st.
func (v *versioner) use(n *pyast.Name, st state) {
	if st == nil || !v.tracked(n.ID) {
		return
	}
	first := -1
	for d := range st[n.ID] {
		if first < 0 {
			first = d
		} else {
			v.union(first, d)
		}
	}
	if first >= 0 {
		if old, ok := v.useDefs[n]; ok {
			v.union(old, first)
		}
		v.useDefs[n] = first
	}
}

// expr records the uses of the names e reads.
func (v *versioner) expr(e pyast.Expr, st state) {
	if e == nil {
		return
	}
	pyast.WalkExpr(e, func(x pyast.Expr) bool {
		switch x := x.(type) {
		case *pyast.Name:
			v.use(x, st)
		case *pyast.Attribute:
			v.attrUse(x, st)
		case *pyast.Lambda:
			return false // what it reads is kept whole (captured)
		}
		return true
	})
}

// attrUse records that a reads the attribute variable it names.
func (v *versioner) attrUse(a *pyast.Attribute, st state) {
	key := v.attrKey(a)
	if st == nil || key == "" {
		return
	}
	first := -1
	for d := range st[key] {
		if first < 0 {
			first = d
		} else {
			v.union(first, d)
		}
	}
	if first >= 0 {
		if old, ok := v.attrUses[a]; ok {
			v.union(old, first)
		}
		v.attrUses[a] = first
	}
}

// bind records the bindings of an assignment target; subscripts and
// attributes of a target read their base.
func (v *versioner) bind(t pyast.Expr, st state) {
	switch t := t.(type) {
	case *pyast.Name:
		if !v.tracked(t.ID) {
			return
		}
		id := v.newDef(t, t.ID)
		st[t.ID] = map[int]bool{id: true}
	case *pyast.Tuple:
		for _, x := range t.Elts {
			v.bind(x, st)
		}
	case *pyast.Starred:
		v.bind(t.Value, st)
	case *pyast.Attribute:
		key := v.attrKey(t)
		if key == "" {
			v.expr(t, st)
			return
		}
		id := v.newDef(t, key)
		st[key] = map[int]bool{id: true}
	default:
		v.expr(t, st)
	}
}

// stmts walks body from state st and returns the state after it.
func (v *versioner) stmts(body []pyast.Stmt, st state) state {
	for _, s := range body {
		st = v.stmt(s, st)
	}
	return st
}

func (v *versioner) stmt(s pyast.Stmt, st state) state {
	if st == nil {
		return nil // dead code binds nothing that is used
	}
	switch s := s.(type) {
	case *pyast.Assign:
		v.expr(s.Value, st)
		st = st.clone()
		for _, t := range s.Targets {
			v.bind(t, st)
		}
	case *pyast.AnnAssign:
		if s.Value != nil {
			v.expr(s.Value, st)
			st = st.clone()
			v.bind(s.Target, st)
		}
	case *pyast.AugAssign:
		v.expr(s.Value, st)
		if n, ok := s.Target.(*pyast.Name); ok && v.tracked(n.ID) {
			v.use(n, st)
			id := v.newDef(n, n.ID)
			for d := range st[n.ID] {
				v.union(id, d)
			}
			st = st.clone()
			st[n.ID] = map[int]bool{id: true}
		} else if a, ok := s.Target.(*pyast.Attribute); ok && v.attrKey(a) != "" {
			// p.x += v reads and binds p.x in one web, as for a name.
			key := v.attrKey(a)
			v.attrUse(a, st)
			id := v.newDef(a, key)
			for d := range st[key] {
				v.union(id, d)
			}
			st = st.clone()
			st[key] = map[int]bool{id: true}
		} else {
			v.expr(s.Target, st)
		}
	case *pyast.Return:
		v.expr(s.Value, st)
		return nil
	case *pyast.Raise:
		v.expr(s.Exc, st)
		v.expr(s.Cause, st)
		return nil
	case *pyast.ExprStmt:
		v.expr(s.Value, st)
	case *pyast.Assert:
		v.expr(s.Test, st)
		v.expr(s.Msg, st)
	case *pyast.Delete:
		for _, t := range s.Targets {
			v.expr(t, st)
		}
	case *pyast.Break:
		if len(v.breaks) == 0 {
			return nil // refused by the resolver
		}
		v.breaks[len(v.breaks)-1] = append(v.breaks[len(v.breaks)-1], st)
		return nil
	case *pyast.Continue:
		if len(v.conts) == 0 {
			return nil
		}
		v.conts[len(v.conts)-1] = append(v.conts[len(v.conts)-1], st)
		return nil
	case *pyast.If:
		v.expr(s.Test, st)
		a := v.stmts(s.Body, st.clone())
		b := v.stmts(s.Orelse, st.clone())
		return join(a, b)
	case *pyast.For:
		v.expr(s.Iter, st)
		return v.loop(st, func(head state) (state, state) {
			body := head.clone()
			v.bind(s.Target, body)
			return head, v.stmts(s.Body, body)
		}, s.Orelse)
	case *pyast.FunctionDef:
		for _, d := range s.Defaults {
			v.expr(d, st) // evaluated where the def stands
		}
	case *pyast.While:
		return v.loop(st, func(head state) (state, state) {
			v.expr(s.Test, head)
			return head, v.stmts(s.Body, head.clone())
		}, s.Orelse)
	case *pyast.Try:
		return v.try(s, st)
	}
	return st
}

// try walks a try statement. The variables it binds keep one name (see
// versions), so only the uses of the others matter here, and their
// states do not change inside: the handlers start from the join of the
// states at every point of the body, and the finally clause from the join
// of every way out.
func (v *versioner) try(s *pyast.Try, st state) state {
	caught := st.clone()
	cur := st.clone()
	for _, x := range s.Body {
		cur = v.stmt(x, cur)
		if cur == nil {
			break
		}
		caught = join(caught, cur)
	}
	out := v.stmts(s.Orelse, cur)
	for _, h := range s.Handlers {
		v.expr(h.Type, caught)
		out = join(out, v.stmts(h.Body, caught.clone()))
	}
	if len(s.Finalbody) > 0 {
		out = v.stmts(s.Finalbody, join(out, caught))
	}
	return out
}

// loop iterates a loop to a fixed point: the state at its head is the
// entry state joined with the states at the end of the body and at each
// continue. iter walks the body from a head state and returns the state
// on leaving by the loop's condition and the state at the body's end.
func (v *versioner) loop(entry state, iter func(head state) (exit, end state), orelse []pyast.Stmt) state {
	head := entry.clone()
	for {
		v.breaks = append(v.breaks, nil)
		v.conts = append(v.conts, nil)
		exit, end := iter(head)
		breaks, conts := v.breaks[len(v.breaks)-1], v.conts[len(v.conts)-1]
		v.breaks, v.conts = v.breaks[:len(v.breaks)-1], v.conts[:len(v.conts)-1]
		next := join(entry, end)
		for _, c := range conts {
			next = join(next, c)
		}
		if equalStates(next, head) {
			out := v.stmts(orelse, exit.clone())
			for _, b := range breaks {
				out = join(out, b)
			}
			return out
		}
		head = next
	}
}

// name gives each web its version name.
func (v *versioner) name() {
	// The webs of each variable, by their smallest id (ids follow source
	// order, parameters first).
	webs := map[string][]int{}
	seen := map[int]bool{}
	for id, name := range v.defVar {
		r := v.find(id)
		if !seen[r] {
			seen[r] = true
			webs[name] = append(webs[name], r)
		}
	}
	names := make([]string, 0, len(webs))
	for name := range webs {
		names = append(names, name)
	}
	sort.Strings(names)
	version := map[int]string{}
	for _, name := range names {
		roots := webs[name]
		if len(roots) < 2 {
			continue
		}
		sort.Ints(roots)
		for i, r := range roots[1:] {
			vn := fmt.Sprintf("%s@v%d", name, i+1)
			version[r] = vn
			v.f.Locals[vn] = true
		}
	}
	if len(version) == 0 {
		return
	}
	for n, id := range v.defID {
		if name, ok := n.(*pyast.Name); ok {
			if vn, ok := version[v.find(id)]; ok {
				v.f.Versions[name] = vn
			}
		}
	}
	for n, id := range v.attrUses {
		if vn, ok := version[v.find(id)]; ok {
			v.f.AttrVersions[n] = vn
		}
	}
	for n, id := range v.defID {
		if a, ok := n.(*pyast.Attribute); ok {
			if vn, ok := version[v.find(id)]; ok {
				v.f.AttrVersions[a] = vn
			}
		}
	}
	for n, id := range v.useDefs {
		if vn, ok := version[v.find(id)]; ok {
			v.f.Versions[n] = vn
		}
	}
}
