package analysis

import (
	"sejit/internal/ir"
	"sejit/internal/types"
)

// Giving a function's own arrays back when it returns
//
// Every array a kernel allocates is a NumPy array the runtime holds until
// the outermost call returns (sejit_abi.h's alloc). That is right for the
// arrays Python receives, and wasteful for the rest: a recursive FFT holds
// every level's temporaries at once (n log n elements where n suffice),
// and a solver called in a time loop holds every step's work arrays, so
// each allocation is fresh memory the kernel pays page faults for. Numba
// frees them by reference counting. A compiled function now gives its own
// temporaries back (ctx->release) as it returns, so that the next call's
// allocation finds warm memory.
//
// A function may give back the array of variable r when
//
//   - r owns it: every binding of r is an allocation, or the result of a
//     call of one of the program's functions that returns fresh memory in
//     that leaf (below), so r only ever holds arrays this invocation
//     made, none of them reachable from the caller;
//   - nothing keeps it past the return: no variable that may view it (a
//     view or alias of r, to a fixed point, or a callee's result that may
//     return an argument holding it) is returned, nor handed to a runtime
//     helper that retains its arguments (ir.Helper.Retains: array_words
//     storing it in a list, the string helpers), nor passed to a function
//     of the program that retains that parameter.
//
// The relation is flow-insensitive, as the alias roots are (alias.go): a
// variable rebound in a loop is judged by the union of its bindings, and
// only the array it holds when the function returns is given back; the
// earlier ones stay with the runtime until the call ends, as before.
// Failures give nothing back (the runtime releases everything then).
//
// Across functions each function has a summary, computed to a fixed point
// over the program (recursion included): for each array result leaf, the
// parameters whose memory it may hold and whether it may hold memory the
// function does not own (a helper's result, a list's item); and for each
// array parameter whether the function may retain it. A leaf is fresh
// when it holds neither and shares no root with another leaf (a callee
// returning an array and a view of it gives the caller one array through
// two variables, so neither may be given back). Freshness starts true and
// only falls, retention starts false and only rises: a recursive call's
// leaf is fresh when every return that does not recurse makes it fresh.
//
// The runtime looks each owner up among the arrays this call allocated
// and skips one it does not find, so giving back the same array twice, or
// a variable never bound (its owner is NULL), is harmless.

// releaseSummary is what callers know of a function of the program.
type releaseSummary struct {
	leafParams  map[int]map[int]bool // result leaf → parameter positions it may hold
	leafForeign map[int]bool         // result leaf → may hold memory the function does not own
	shared      map[int]bool         // result leaf → shares a root with another leaf
	retains     map[int]bool         // parameter position → may be kept past the return
}

func (s *releaseSummary) fresh(k int) bool {
	return len(s.leafParams[k]) == 0 && !s.leafForeign[k] && !s.shared[k]
}

// equal compares summaries by the sizes of their sets: from one round to
// the next the sets only grow (a leaf's parameters, its foreign memory,
// shared leaves, retained parameters), so equal sizes mean equal sets.
func (s *releaseSummary) equal(t *releaseSummary) bool {
	if len(s.leafParams) != len(t.leafParams) || len(s.leafForeign) != len(t.leafForeign) ||
		len(s.shared) != len(t.shared) || len(s.retains) != len(t.retains) {
		return false
	}
	for k, ps := range s.leafParams {
		if len(ps) != len(t.leafParams[k]) {
			return false
		}
	}
	return true
}

// foreignRoot stands for memory a function does not own (a parameter's
// caller's, a helper's result).
var foreignRoot = &ir.Var{Name: "<foreign>", Param: -1}

// releaseFacts is the analysis of one function under the summaries of
// its callees.
type releaseFacts struct {
	f     *ir.Func
	roots map[*ir.Var]map[*ir.Var]bool // array variable → its roots (sites, parameters, foreignRoot)
	owner map[*ir.Var]bool             // variables every binding of which makes a fresh array
	kept  map[*ir.Var]bool             // roots something keeps past the return
	// handed are the roots a call may keep: a parameter among them is
	// one the function retains (a returned one is a result leaf's).
	handed map[*ir.Var]bool
	defs   map[*ir.Var][]*ir.Var // variable → what its bindings take memory from
}

// rootsOf returns the roots of array variable v: the sites and parameters
// whose memory it may hold, and foreignRoot for anything else.
func (rf *releaseFacts) rootsOf(v *ir.Var) map[*ir.Var]bool {
	if r, ok := rf.roots[v]; ok {
		return r
	}
	out := map[*ir.Var]bool{}
	var walk func(v *ir.Var)
	seen := map[*ir.Var]bool{}
	walk = func(v *ir.Var) {
		if seen[v] {
			return
		}
		seen[v] = true
		if v.Param >= 0 {
			out[v] = true
		}
		for _, d := range rf.defs[v] {
			if d == v || d == foreignRoot {
				out[d] = true
				continue
			}
			walk(d)
		}
	}
	walk(v)
	if len(out) == 0 {
		out[foreignRoot] = true // never bound here: not the function's
	}
	rf.roots[v] = out
	return out
}

// analyseRelease computes f's roots, owned variables and kept roots, with
// the program's functions (prog) known through their summaries.
func analyseRelease(f *ir.Func, prog map[*ir.Func]bool, sums map[*ir.Func]*releaseSummary) *releaseFacts {
	defs := map[*ir.Var][]*ir.Var{}
	site, other := map[*ir.Var]bool{}, map[*ir.Var]bool{}
	add := func(v *ir.Var, srcs ...*ir.Var) { defs[v] = append(defs[v], srcs...) }
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.SetArray:
			switch d := s.Src.(type) {
			case *ir.Alloc:
				site[s.Dst] = true
				add(s.Dst, s.Dst)
			case *ir.View:
				other[s.Dst] = true
				add(s.Dst, d.Base)
			case *ir.Alias:
				other[s.Dst] = true
				add(s.Dst, d.Src)
			default:
				other[s.Dst] = true
				add(s.Dst, foreignRoot)
			}
		case *ir.Call:
			var args []*ir.Var
			for _, a := range s.Args {
				if r, ok := a.(*ir.ArrayRef); ok {
					args = append(args, r.Var)
				}
			}
			sum := sums[s.Func]
			for k, d := range s.Dsts {
				if d.Type.Kind != types.Array {
					continue
				}
				if !prog[s.Func] || sum == nil {
					// A helper's array result (a list's item, a string)
					// may be anything it was given or anything else.
					other[d] = true
					add(d, foreignRoot)
					add(d, args...)
					continue
				}
				if sum.fresh(k) {
					site[d] = true
					add(d, d)
					continue
				}
				other[d] = true
				add(d, foreignRoot)
				for p := range sum.leafParams[k] {
					if p < len(s.Args) {
						if r, ok := s.Args[p].(*ir.ArrayRef); ok {
							add(d, r.Var)
						}
					}
				}
			}
		default:
			// Any other binding of an array variable is memory of unknown
			// origin.
			for _, v := range ir.Binds(s) {
				if v.Type.Kind == types.Array {
					other[v] = true
					add(v, foreignRoot)
				}
			}
		}
	}, nil)
	rf := &releaseFacts{f: f, roots: map[*ir.Var]map[*ir.Var]bool{}, owner: map[*ir.Var]bool{}, kept: map[*ir.Var]bool{},
		handed: map[*ir.Var]bool{}}
	for v := range site {
		if !other[v] && v.Param < 0 {
			rf.owner[v] = true
		}
	}
	rf.defs = defs
	rootsOf := rf.rootsOf
	keep := func(v *ir.Var, byCall bool) {
		for r := range rootsOf(v) {
			rf.kept[r] = true
			if byCall {
				rf.handed[r] = true
			}
		}
	}
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Return:
			for _, e := range s.Vals {
				if r, ok := e.(*ir.ArrayRef); ok {
					keep(r.Var, false)
				}
			}
		case *ir.Call:
			sum := sums[s.Func]
			for p, a := range s.Args {
				r, ok := a.(*ir.ArrayRef)
				if !ok {
					continue
				}
				if prog[s.Func] && sum != nil {
					if sum.retains[p] {
						keep(r.Var, true)
					}
				} else if s.Func.Helper == ir.NoHelper || s.Func.Helper.Retains() {
					keep(r.Var, true)
				}
			}
		}
	}, nil)
	return rf
}

// summary is what f's callers may assume, from f's facts.
func (rf *releaseFacts) summary() *releaseSummary {
	f := rf.f
	s := &releaseSummary{leafParams: map[int]map[int]bool{}, leafForeign: map[int]bool{}, shared: map[int]bool{},
		retains: map[int]bool{}}
	leafRoots := map[int]map[*ir.Var]bool{}
	ir.VisitStmts(f.Body, func(st ir.Stmt) {
		ret, ok := st.(*ir.Return)
		if !ok {
			return
		}
		for k, e := range ret.Vals {
			if k >= len(f.Results) || f.Results[k].Kind != types.Array {
				continue
			}
			if leafRoots[k] == nil {
				leafRoots[k] = map[*ir.Var]bool{}
			}
			r, isRef := e.(*ir.ArrayRef)
			if !isRef {
				s.leafForeign[k] = true
				continue
			}
			for x := range rf.rootsOf(r.Var) {
				leafRoots[k][x] = true
				switch {
				case x.Param >= 0:
					if s.leafParams[k] == nil {
						s.leafParams[k] = map[int]bool{}
					}
					s.leafParams[k][x.Param] = true
				case !rf.owner[x]:
					s.leafForeign[k] = true
				}
			}
		}
	}, nil)
	for k, rk := range leafRoots {
		for j, rj := range leafRoots {
			if j == k {
				continue
			}
			for x := range rk {
				if rj[x] {
					s.shared[k] = true
				}
			}
		}
	}
	for _, p := range f.Params {
		if p.Type.Kind == types.Array && rf.handed[p] {
			s.retains[p.Param] = true
		}
	}
	return s
}

// ReleasePlan says where the functions of a program give arrays back.
type ReleasePlan struct {
	// AtReturn maps each function to the array variables whose arrays
	// it gives back when it returns, in the order of its locals.
	AtReturn map[*ir.Func][]*ir.Var
	// AtRebind maps a statement `x = alias y` to x: the array x held is
	// given back just before x is rebound (see rebindReleases).
	AtRebind map[*ir.SetArray]*ir.Var
}

// Releases computes where the functions of p give their arrays back. The
// entry gives nothing back when it returns unless a function of the
// program calls it: the runtime releases everything right after the entry
// returns.
func Releases(p *ir.Program) *ReleasePlan {
	prog := map[*ir.Func]bool{}
	for _, f := range p.Funcs {
		prog[f] = true
	}
	sums := map[*ir.Func]*releaseSummary{}
	for _, f := range p.Funcs {
		sums[f] = &releaseSummary{leafParams: map[int]map[int]bool{}, leafForeign: map[int]bool{},
			shared: map[int]bool{}, retains: map[int]bool{}}
	}
	facts := map[*ir.Func]*releaseFacts{}
	// Each round can only lower a leaf's freshness or raise a parameter's
	// retention, so the rounds are bounded; the cap is a guard.
	for round := 0; round < 4*len(p.Funcs)+8; round++ {
		changed := false
		for _, f := range p.Funcs {
			rf := analyseRelease(f, prog, sums)
			facts[f] = rf
			s := rf.summary()
			if !s.equal(sums[f]) {
				sums[f] = s
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	called := map[*ir.Func]bool{}
	for _, f := range p.Funcs {
		ir.VisitStmts(f.Body, func(s ir.Stmt) {
			if c, ok := s.(*ir.Call); ok {
				called[c.Func] = true
			}
		}, nil)
	}
	plan := &ReleasePlan{AtReturn: map[*ir.Func][]*ir.Var{}, AtRebind: map[*ir.SetArray]*ir.Var{}}
	for i, f := range p.Funcs {
		rf := facts[f]
		stale := rf.rebindReleases(plan.AtRebind)
		if i == 0 && !called[f] {
			continue
		}
		var vs []*ir.Var
		for _, v := range f.Locals {
			if rf.owner[v] && !rf.kept[v] && !stale[v] {
				vs = append(vs, v)
			}
		}
		if len(vs) > 0 {
			plan.AtReturn[f] = vs
		}
	}
	return plan
}

// Giving back a rebound array
//
// A time loop `u = step(u)` (u = thomas(a, b, c, u)) rebinds u in every
// iteration to the fresh array a call returned; the array u held before
// is garbage, but u is returned in the end, so the function cannot give
// its arrays back when it returns. It may give the old one back at the
// rebinding `x = alias y` when
//
//   - every root of x is the function's own (an allocation or a fresh
//     result, not a parameter's memory) and none is handed to a call that
//     keeps it (a list, a retaining helper), so the old array is this
//     invocation's and nothing outside it holds it;
//   - y was bound, earlier in the same block, by an allocation or a call
//     returning fresh memory, and neither x nor y is bound in between, so
//     x holds the old array and y a new, different one;
//   - every other variable that may share memory with x (a view of it, the
//     variable the first array came from) is dead after the rebinding;
//   - x is the only variable of its roots given back this way, and the
//     statement is outside prange loops.
//
// Site variables among x's roots may still hold the old array's owner
// after it is given back: they are left out of the releases at return
// (rebindReleases returns them), so that a stale owner is never given
// back twice.

// rebindReleases adds the function's rebinding releases to at and returns
// the site variables they make stale.
func (rf *releaseFacts) rebindReleases(at map[*ir.SetArray]*ir.Var) map[*ir.Var]bool {
	f := rf.f
	type cand struct {
		s *ir.SetArray
		x *ir.Var
	}
	var cands []cand
	binds := map[*ir.Var]int{}
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			binds[v]++
		}
	}, nil)
	var walk func(body []ir.Stmt, par, loop bool)
	walk = func(body []ir.Stmt, par, loop bool) {
		for j, st := range body {
			switch st := st.(type) {
			case *ir.If:
				walk(st.Then, par, loop)
				walk(st.Else, par, loop)
			case *ir.While:
				walk(st.Body, par, true)
			case *ir.For:
				walk(st.Body, par || st.Parallel, true)
			case *ir.Try:
				walk(st.Body, par, loop)
				for _, h := range st.Handlers {
					walk(h.Body, par, loop)
				}
			case *ir.SetArray:
				// A variable's only binding, outside loops, holds
				// nothing before it: there is nothing to give back (and
				// its roots must stay in the releases at return).
				if par || !loop && binds[st.Dst] < 2 {
					continue
				}
				if x, ok := rf.rebindable(body, j, st); ok {
					cands = append(cands, cand{st, x})
				}
			}
		}
	}
	walk(f.Body, false, false)
	// One variable per group of roots.
	holders := map[*ir.Var]map[*ir.Var]bool{}
	for _, c := range cands {
		for r := range rf.rootsOf(c.x) {
			if holders[r] == nil {
				holders[r] = map[*ir.Var]bool{}
			}
			holders[r][c.x] = true
		}
	}
	ok := map[*ir.Var]bool{}
	for _, c := range cands {
		ok[c.x] = true
		for r := range rf.rootsOf(c.x) {
			if len(holders[r]) > 1 {
				ok[c.x] = false
			}
		}
	}
	stale := map[*ir.Var]bool{}
	for _, c := range cands {
		if !ok[c.x] {
			continue
		}
		at[c.s] = c.x
		for r := range rf.rootsOf(c.x) {
			stale[r] = true
		}
	}
	return stale
}

// rebindable reports whether body[j], st, may give back the array its
// destination held (see rebindReleases), and returns the destination.
func (rf *releaseFacts) rebindable(body []ir.Stmt, j int, st *ir.SetArray) (*ir.Var, bool) {
	al, ok := st.Src.(*ir.Alias)
	x := st.Dst
	if !ok || x.Param >= 0 || x.Type.Kind != types.Array || al.Src == x {
		return nil, false
	}
	y := al.Src
	if !rf.owner[y] {
		return nil, false
	}
	roots := rf.rootsOf(x)
	for r := range roots {
		if !rf.owner[r] || rf.handed[r] {
			return nil, false
		}
	}
	// y's binding earlier in the block, nothing binding x or y after it.
	made := -1
	for i := j - 1; i >= 0 && made < 0; i-- {
		binds := false
		ir.VisitStmts([]ir.Stmt{body[i]}, func(s ir.Stmt) {
			for _, v := range ir.Binds(s) {
				if v == x {
					binds = true
				}
			}
		}, nil)
		if binds {
			return nil, false
		}
		switch b := body[i].(type) {
		case *ir.SetArray:
			if b.Dst == y {
				if _, isAlloc := b.Src.(*ir.Alloc); !isAlloc {
					return nil, false
				}
				made = i
			}
		case *ir.Call:
			for _, d := range b.Dsts {
				if d == y {
					made = i
				}
			}
		default:
			nested := false
			ir.VisitStmts([]ir.Stmt{body[i]}, func(s ir.Stmt) {
				for _, v := range ir.Binds(s) {
					if v == y {
						nested = true
					}
				}
			}, nil)
			if nested {
				return nil, false
			}
		}
	}
	if made < 0 {
		return nil, false
	}
	live, found := ir.LiveAfter(rf.f.Body, st)
	if !found {
		return nil, false
	}
	// A failure later returns the variables of OnFail (a list argument's
	// final contents): read then, whatever LiveAfter says.
	for _, e := range rf.f.OnFail {
		if r, ok := e.(*ir.ArrayRef); ok {
			live[r.Var] = true
		}
	}
	for _, vs := range [][]*ir.Var{rf.f.Params, rf.f.Locals} {
		for _, w := range vs {
			if w == x || w == y || w.Type.Kind != types.Array || !live[w] {
				continue
			}
			for r := range rf.rootsOf(w) {
				if roots[r] {
					return nil, false
				}
			}
		}
	}
	return x, true
}
