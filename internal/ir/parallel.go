package ir

// Parallel loops (jit(parallel=True)): which variables each thread keeps
// to itself, which it combines, and the rules that make a prange loop's
// iterations independent. Lowering applies the rules to report what a
// prange loop cannot run in parallel (a positioned UnsupportedError);
// targets apply them again to the optimised IR to print the loop, and
// print it serially if they no longer hold.
//
// The rules, kept simple on purpose:
//   - every scalar or array variable the body assigns is either private
//     (each iteration assigns it before reading it, and nothing reads it
//     after the loop) or a reduction (every assignment is v = v + e,
//     v = v - e, or every one v = v * e, with v read nowhere else in the
//     body; integers and floats only);
//   - an array the loop did not define that the body writes is indexed,
//     in every write and every read of it, by the same expression along
//     one axis: the loop variable plus or minus a constant (directly, or
//     through a view taken at that index, as a[i, :] is). Iterations then
//     touch distinct elements of it. Other arrays are only read.
//   - no return and no break out of the loop; functions called in the body
//     write no array they did not allocate.
//
// Arrays that are different variables are assumed not to overlap in
// memory where both are written: the same assumption serial code makes
// for two written arguments.

import (
	"fmt"

	"sejit/internal/types"
)

// ParPlan says how a parallel loop runs on threads.
type ParPlan struct {
	// Private lists the variables each thread keeps its own copy of,
	// uninitialised: scalars, and arrays (all of a descriptor's parts).
	Private []*Var
	// Reductions are the scalars combined across threads.
	Reductions []ParReduction
	// ReadOnly lists the variables the loop reads and never assigns: each
	// thread may take its own copy, which the C compiler then knows no
	// store of the loop changes.
	ReadOnly []*Var
}

// readOnly lists the variables body reads but does not assign, in order
// of first read, skipping skip.
func readOnly(body []Stmt, skip ...*Var) []*Var {
	assigned := map[*Var]bool{}
	for _, v := range skip {
		assigned[v] = true
	}
	VisitStmts(body, func(s Stmt) {
		for _, v := range Binds(s) {
			assigned[v] = true
		}
	}, nil)
	var out []*Var
	seen := map[*Var]bool{}
	VisitStmts(body, func(s Stmt) {
		stmtReads(s, func(v *Var) {
			if !assigned[v] && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		})
	}, nil)
	return out
}

// ParReduction is one scalar accumulated across iterations with Op ("+"
// for additions and subtractions, "*" for products).
type ParReduction struct {
	Var *Var
	Op  string
}

// ParError says why a loop cannot run in parallel.
type ParError struct {
	Var  *Var // the variable at fault, or nil
	Arr  bool // Var is an array written at elements other iterations may touch
	Msg  string
	Hint string
}

func (e *ParError) Error() string { return e.Msg }

// WritingFuncs returns the functions of p that may write an array they
// did not allocate themselves (a parameter, or an array a call returned),
// directly or through the functions they call.
func WritingFuncs(funcs []*Func) map[*Func]bool {
	out := map[*Func]bool{}
	for changed := true; changed; {
		changed = false
		for _, f := range funcs {
			if out[f] {
				continue
			}
			local := localArrays(f.Body, nil)
			w := false
			VisitStmts(f.Body, func(s Stmt) {
				switch s := s.(type) {
				case *Store:
					w = w || !local[s.Arr]
				case *Call:
					w = w || out[s.Func]
				}
			}, nil)
			if w {
				out[f] = true
				changed = true
			}
		}
	}
	return out
}

// localArrays returns the array variables of body that only ever hold
// arrays allocated in body (allocations, and views and aliases of them),
// adding to known.
func localArrays(body []Stmt, known map[*Var]bool) map[*Var]bool {
	defs := map[*Var][]ArrayDef{}
	VisitStmts(body, func(s Stmt) {
		switch s := s.(type) {
		case *SetArray:
			defs[s.Dst] = append(defs[s.Dst], s.Src)
		case *Call:
			for _, d := range s.Dsts {
				if d.Type.Kind == types.Array {
					defs[d] = append(defs[d], nil) // unknown origin
				}
			}
		}
	}, nil)
	local := map[*Var]bool{}
	for v := range known {
		local[v] = known[v]
	}
	// Optimistic start, then remove what is not provably local.
	for v := range defs {
		if v.Param < 0 {
			local[v] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for v, ds := range defs {
			if !local[v] {
				continue
			}
			for _, d := range ds {
				ok := false
				switch d := d.(type) {
				case *Alloc:
					ok = true
				case *View:
					ok = local[d.Base]
				case *Alias:
					ok = local[d.Src]
				}
				if !ok {
					local[v] = false
					changed = true
					break
				}
			}
		}
	}
	return local
}

// stmtReads calls f on every variable statement s itself reads (its own
// expressions, the array it stores into, the base of a view).
func stmtReads(s Stmt, f func(*Var)) {
	OwnExprs(s, func(e Expr) {
		switch x := e.(type) {
		case *Ref:
			f(x.Var)
		case *Load:
			f(x.Arr)
		case *Dim:
			f(x.Arr)
		case *Stride:
			f(x.Arr)
		case *ArrayRef:
			f(x.Var)
		case *Overlap:
			f(x.A)
			f(x.B)
		}
	})
	switch s := s.(type) {
	case *Store:
		f(s.Arr)
	case *SetArray:
		switch d := s.Src.(type) {
		case *View:
			f(d.Base)
		case *Alias:
			f(d.Src)
		}
	}
}

// exposed adds to out the variables body may read before assigning them,
// given the variables already assigned (defined, which it extends with
// what body assigns on every path).
func exposed(body []Stmt, defined map[*Var]bool, out map[*Var]bool) {
	read := func(v *Var) {
		if !defined[v] {
			out[v] = true
		}
	}
	for _, s := range body {
		stmtReads(s, read)
		switch s := s.(type) {
		case *Assign:
			defined[s.Dst] = true
		case *SetArray:
			defined[s.Dst] = true
		case *Call:
			for _, d := range s.Dsts {
				defined[d] = true
			}
		case *If:
			dt, de := copySet(defined), copySet(defined)
			exposed(s.Then, dt, out)
			exposed(s.Else, de, out)
			for v := range dt {
				if de[v] {
					defined[v] = true
				}
			}
		case *While:
			exposed(s.Body, copySet(defined), out)
		case *Try:
			// Any statement of the body may be the last to run: a
			// handler sees only what was assigned before the Try. After
			// it, the body or one handler has run to its end.
			after := copySet(defined)
			exposed(s.Body, after, out)
			for _, h := range s.Handlers {
				dh := copySet(defined)
				exposed(h.Body, dh, out)
				for v := range after {
					if !dh[v] {
						delete(after, v)
					}
				}
			}
			for v := range after {
				defined[v] = true
			}
		case *For:
			d := copySet(defined)
			d[s.Var] = true
			exposed(s.Body, d, out)
			defined[s.Var] = true
		case *Nest:
			d := copySet(defined)
			for _, v := range s.Vars {
				d[v] = true
			}
			exposed(s.Body, d, out)
			for _, v := range s.Vars {
				defined[v] = true
			}
		}
	}
}

func copySet(m map[*Var]bool) map[*Var]bool {
	c := make(map[*Var]bool, len(m))
	for k, v := range m {
		if v {
			c[k] = true
		}
	}
	return c
}

// LiveAfter returns the variables that code running after target (found
// in body) may read before assigning them: the rest of each enclosing
// block, the whole body of each enclosing loop (its next iterations), and
// the handlers of each Try whose body encloses it.
// It returns nil, false if target is not in body.
func LiveAfter(body []Stmt, target Stmt) (map[*Var]bool, bool) {
	for i, s := range body {
		var live map[*Var]bool
		found := false
		if s == target {
			live, found = map[*Var]bool{}, true
		} else {
			for k, child := range children(s) {
				if l, ok := LiveAfter(child, target); ok {
					live, found = l, true
					if isLoop(s) {
						exposed([]Stmt{s}, map[*Var]bool{}, live)
					}
					if t, ok := s.(*Try); ok && k == 0 {
						// A failure after target runs a handler.
						for _, h := range t.Handlers {
							exposed(h.Body, map[*Var]bool{}, live)
						}
					}
					break
				}
			}
		}
		if found {
			exposed(body[i+1:], map[*Var]bool{}, live)
			return live, true
		}
	}
	return nil, false
}

func children(s Stmt) [][]Stmt {
	switch s := s.(type) {
	case *Try:
		return tryBodies(s)
	case *If:
		return [][]Stmt{s.Then, s.Else}
	case *While:
		return [][]Stmt{s.Body}
	case *For:
		return [][]Stmt{s.Body}
	case *Nest:
		return [][]Stmt{s.Body}
	}
	return nil
}

func isLoop(s Stmt) bool {
	switch s.(type) {
	case *While, *For, *Nest:
		return true
	}
	return false
}

// PlanParallel decides how loop (a statement of f) runs in parallel, or
// says why it cannot. writing is WritingFuncs of the program.
func PlanParallel(f *Func, loop *For, writing map[*Func]bool) (*ParPlan, *ParError) {
	return planParallel(f, loop, writing, false)
}

// PlanKernel is PlanParallel for the loop over the work-items of an
// explicit kernel's CPU form (sejit.kernel with parallel=True): its
// iterations are work-items, which may write any element of a shared
// array, as they may on a device. Two work-items writing one element
// race, on the CPU as on the device; that is the kernel's to avoid
// (sejit.atomic_* make an update safe). Bounds checks are unchanged, so a
// scatter cannot write outside its array.
func PlanKernel(f *Func, loop *For, writing map[*Func]bool) (*ParPlan, *ParError) {
	return planParallel(f, loop, writing, true)
}

func planParallel(f *Func, loop *For, writing map[*Func]bool, kernel bool) (*ParPlan, *ParError) {
	body := loop.Body
	// Control flow that leaves the loop.
	var perr *ParError
	var ctl func(b []Stmt, inner bool)
	ctl = func(b []Stmt, inner bool) {
		for _, s := range b {
			if perr == nil {
				perr = printParError(s)
			}
			switch s := s.(type) {
			case *Return:
				if perr == nil {
					perr = &ParError{Msg: "return inside a prange loop",
						Hint: "iterations run in parallel; compute into an array or a reduction and return after the loop"}
				}
			case *Break:
				if !inner && perr == nil {
					perr = &ParError{Msg: "break out of a prange loop",
						Hint: "every iteration of a prange loop runs; use range() for a loop that stops early"}
				}
			case *Call:
				if writing[s.Func] && perr == nil {
					perr = &ParError{Msg: "a function called inside a prange loop writes into an array",
						Hint: "write the results in the loop body, indexed by the loop variable"}
				}
			case *If:
				ctl(s.Then, inner)
				ctl(s.Else, inner)
			case *Try:
				for _, b := range tryBodies(s) {
					ctl(b, inner)
				}
			case *While:
				ctl(s.Body, true)
			case *For:
				ctl(s.Body, true)
			case *Nest:
				ctl(s.Body, true)
			}
		}
	}
	ctl(body, false)
	if perr != nil {
		return nil, perr
	}

	// What the body assigns, and how.
	writes := map[*Var][]Stmt{}
	var order []*Var
	note := func(v *Var, s Stmt) {
		if _, ok := writes[v]; !ok {
			order = append(order, v)
		}
		writes[v] = append(writes[v], s)
	}
	VisitStmts(body, func(s Stmt) {
		for _, v := range Binds(s) {
			if v != loop.Var {
				note(v, s)
			}
		}
	}, nil)
	reads := map[*Var]int{}
	VisitStmts(body, func(s Stmt) { stmtReads(s, func(v *Var) { reads[v]++ }) }, nil)

	inBody := exposedSet(body, loop.Var)
	live, _ := LiveAfter(f.Body, loop)
	plan := &ParPlan{}
	for _, v := range order {
		if op, ok := reductionOp(v, writes[v], reads[v]); ok {
			if d := v.Type.DType; d.IsComplex() || d == types.Bool {
				return nil, &ParError{Var: v, Msg: fmt.Sprintf("a %s reduction in a prange loop is not supported", d),
					Hint: "accumulate into an integer or float variable, or into an array indexed by the loop variable"}
			}
			plan.Reductions = append(plan.Reductions, ParReduction{Var: v, Op: op})
			continue
		}
		if inBody[v] || (live != nil && live[v]) {
			return nil, &ParError{Var: v,
				Msg: "is assigned inside a prange loop and read before it is assigned in an iteration, or after the loop; " +
					"iterations run in parallel, so its value would depend on their order",
				Hint: "assign it at the top of every iteration, accumulate with v += ... / v *= ..., or store per-iteration values in an array " +
					"(min/max reductions are not supported in prange loops yet)"}
		}
		plan.Private = append(plan.Private, v)
	}
	if e := checkArrayWrites(body, loop.Var, writes); e != nil && !kernel {
		return nil, e
	}
	plan.ReadOnly = readOnly(body, loop.Var)
	return plan, nil
}

func exposedSet(body []Stmt, defined ...*Var) map[*Var]bool {
	d := map[*Var]bool{}
	for _, v := range defined {
		d[v] = true
	}
	out := map[*Var]bool{}
	exposed(body, d, out)
	return out
}

// reductionOp recognises v = v + e, v = v - e (op "+") or v = v * e (op
// "*") in every assignment, with v read by those assignments only.
func reductionOp(v *Var, ws []Stmt, nreads int) (string, bool) {
	if v.Type.Kind != types.Scalar || len(ws) == 0 || nreads != len(ws) {
		return "", false
	}
	op := ""
	for _, s := range ws {
		a, ok := s.(*Assign)
		if !ok {
			return "", false
		}
		b, ok := a.Src.(*Bin)
		if !ok || b.T == nil || b.T.DType != v.Type.DType {
			return "", false
		}
		if r, ok := b.X.(*Ref); !ok || r.Var != v || Mentions(b.Y, v) {
			return "", false
		}
		o := map[Op]string{Add: "+", Sub: "+", Mul: "*"}[b.Op]
		if o == "" || (op != "" && o != op) {
			return "", false
		}
		op = o
	}
	return op, true
}

// access is where, along one axis, an access of a shared array falls.
type access struct {
	axis int
	idx  string
}

// checkArrayWrites applies the array rule: a shared array the body writes
// is indexed, in each of its accesses, by one common expression derived
// from the loop variable along one common axis.
func checkArrayWrites(body []Stmt, counter *Var, writes map[*Var][]Stmt) *ParError {
	// Variables equal to the loop counter in every iteration.
	derived := map[*Var]bool{counter: true}
	for changed := true; changed; {
		changed = false
		for v, ws := range writes {
			if derived[v] || len(ws) != 1 {
				continue
			}
			if a, ok := ws[0].(*Assign); ok && isDerived(a.Src, derived, false) {
				derived[v] = true
				changed = true
			}
		}
	}
	local := localArrays(body, nil)
	// Views the body takes of shared arrays at a fixed derived index.
	type fixedView struct {
		base *Var
		at   access
	}
	fixed := map[*Var]fixedView{}
	VisitStmts(body, func(s Stmt) {
		sa, ok := s.(*SetArray)
		if !ok || len(writes[sa.Dst]) != 1 || local[sa.Dst] {
			return
		}
		switch d := sa.Src.(type) {
		case *View:
			if fv, ok := fixed[d.Base]; ok {
				// A view of a fixed view stays at its index if it adds no
				// step along the fixed axis (its strides are the view's).
				fixed[sa.Dst] = fv
				return
			}
			if writes[d.Base] != nil {
				return
			}
			if at, ok := fixedOffset(d, derived); ok {
				fixed[sa.Dst] = fixedView{base: d.Base, at: at}
			}
		case *Alias:
			if fv, ok := fixed[d.Src]; ok {
				fixed[sa.Dst] = fv
			}
		}
	}, nil)

	type use struct {
		cands []access // nil: the access may touch any element
		write bool
	}
	uses := map[*Var][]use{}
	idxCands := func(idx []Expr) []access {
		var c []access
		for k, e := range idx {
			if isDerived(e, derived, true) {
				c = append(c, access{k, ExprString(e)})
			}
		}
		if c == nil {
			c = []access{}
		}
		return c
	}
	record := func(arr *Var, idx []Expr, write bool) {
		if fv, ok := fixed[arr]; ok {
			uses[fv.base] = append(uses[fv.base], use{cands: []access{fv.at}, write: write})
			return
		}
		if local[arr] {
			return
		}
		if writes[arr] != nil {
			// A view or alias the body defines some other way.
			if write {
				uses[arr] = append(uses[arr], use{cands: []access{}, write: true})
			}
			return
		}
		var c []access
		if idx != nil {
			c = idxCands(idx)
		}
		uses[arr] = append(uses[arr], use{cands: c, write: write})
	}
	VisitStmts(body, func(s Stmt) {
		switch s := s.(type) {
		case *Store:
			record(s.Arr, s.Idx, true)
		case *SetArray:
			if v, ok := s.Src.(*View); ok {
				if _, ok := fixed[s.Dst]; !ok && !local[s.Dst] {
					record(v.Base, nil, false) // a view that may see any element
				}
			}
		}
	}, func(e Expr) {
		switch x := e.(type) {
		case *Load:
			record(x.Arr, x.Idx, false)
		case *ArrayRef:
			record(x.Var, nil, false)
		case *Overlap:
			record(x.A, nil, false)
			record(x.B, nil, false)
		}
	})
	for arr, us := range uses {
		written := false
		for _, u := range us {
			written = written || u.write
		}
		if !written {
			continue
		}
		var common []access
		for i, u := range us {
			if i == 0 {
				common = append([]access{}, u.cands...)
				continue
			}
			var keep []access
			for _, a := range common {
				for _, b := range u.cands {
					if a == b {
						keep = append(keep, a)
						break
					}
				}
			}
			common = keep
		}
		if len(common) == 0 {
			return &ParError{Var: arr, Arr: true,
				Msg:  "is written inside a prange loop at elements other iterations may also read or write",
				Hint: "index it by the loop variable (a[i] = ..., a[i, j] = ..., a[i, :] = ...) in every read and write inside the loop"}
		}
	}
	return nil
}

// isDerived recognises the loop counter (or a variable equal to it),
// plus or minus a constant when offset is allowed.
func isDerived(e Expr, derived map[*Var]bool, offset bool) bool {
	switch x := e.(type) {
	case *Ref:
		return derived[x.Var]
	case *Cast:
		return x.T.DType == types.Int64 && isDerived(x.X, derived, offset)
	case *Bin:
		if !offset || (x.Op != Add && x.Op != Sub) {
			return false
		}
		_, c := x.Y.(*Const)
		return c && isDerived(x.X, derived, false)
	}
	return false
}

// fixedOffset recognises a view whose offset is d * base.stride[k] plus
// terms free of that stride, and whose strides do not step along axis k:
// every element of the view has index d along axis k of the base.
func fixedOffset(v *View, derived map[*Var]bool) (access, bool) {
	var terms []Expr
	var split func(e Expr)
	split = func(e Expr) {
		if b, ok := e.(*Bin); ok && b.Op == Add {
			split(b.X)
			split(b.Y)
			return
		}
		terms = append(terms, e)
	}
	split(v.Offset)
	found := -1
	var at access
	for _, t := range terms {
		b, ok := t.(*Bin)
		if ok && b.Op == Mul {
			if st, ok := b.Y.(*Stride); ok && st.Arr == v.Base && isDerived(b.X, derived, true) {
				if found >= 0 {
					return access{}, false
				}
				found = st.Axis
				at = access{st.Axis, ExprString(b.X)}
				continue
			}
		}
	}
	if found < 0 {
		return access{}, false
	}
	stepsAlong := func(e Expr) bool {
		hit := false
		VisitExpr(e, func(x Expr) {
			if st, ok := x.(*Stride); ok && st.Arr == v.Base && st.Axis == found {
				hit = true
			}
		})
		return hit
	}
	for _, t := range terms {
		if b, ok := t.(*Bin); ok && b.Op == Mul {
			if st, ok := b.Y.(*Stride); ok && st.Arr == v.Base && st.Axis == found {
				continue
			}
		}
		if stepsAlong(t) {
			return access{}, false
		}
	}
	for _, s := range v.Strides {
		if stepsAlong(s) {
			return access{}, false
		}
	}
	return at, true
}

// PlanNest decides whether the outermost loop of an element-wise nest (a
// statement of f) can run in parallel: its body only computes and stores
// (no check, call or allocation, which a nest from lowering rarely has),
// and every scalar it assigns is private. Nest iterations are independent
// by construction (lowering and fusion keep them so), so stores need no
// rule; a scalar carried across iterations (a reduction) keeps the nest
// serial, so results do not depend on the number of threads.
func PlanNest(f *Func, n *Nest) (*ParPlan, bool) {
	ok := true
	var scan func(b []Stmt)
	scan = func(b []Stmt) {
		for _, s := range b {
			switch s := s.(type) {
			case *Assign, *Store:
			case *If:
				scan(s.Then)
				scan(s.Else)
			default:
				ok = false
			}
		}
	}
	scan(n.Body)
	if !ok || len(n.Vars) == 0 {
		return nil, false
	}
	in := exposedSet(n.Body, n.Vars...)
	live, _ := LiveAfter(f.Body, n)
	plan := &ParPlan{Private: append([]*Var{}, n.Vars[1:]...)}
	seen := map[*Var]bool{}
	bad := false
	VisitStmts(n.Body, func(s Stmt) {
		if a, ok := s.(*Assign); ok && !seen[a.Dst] {
			seen[a.Dst] = true
			if in[a.Dst] || live[a.Dst] {
				bad = true
			}
			plan.Private = append(plan.Private, a.Dst)
		}
	}, nil)
	if bad {
		return nil, false
	}
	// Lowering's nests store each element once, at an index that includes
	// the outer variable; a nest that does not (a future accumulation along
	// the outer axis, say) stays serial rather than racing.
	writes := map[*Var][]Stmt{}
	VisitStmts(n.Body, func(s Stmt) {
		for _, v := range Binds(s) {
			writes[v] = append(writes[v], s)
		}
	}, nil)
	if checkArrayWrites(n.Body, n.Vars[0], writes) != nil {
		return nil, false
	}
	plan.ReadOnly = readOnly(n.Body, n.Vars...)
	return plan, true
}

// ReadsBeforeAssign returns the variables body may read before assigning
// them (on some path from its start): for a loop's body, the ones whose
// values flow in from before the loop or from an earlier iteration.
func ReadsBeforeAssign(body []Stmt) map[*Var]bool {
	out := map[*Var]bool{}
	exposed(body, map[*Var]bool{}, out)
	return out
}
