package analysis

import (
	"sejit/internal/ir"
	"sejit/internal/types"
)

// Alias roots
//
// An array variable holds a descriptor of memory it did not necessarily
// make: a parameter's, an allocation's, a view of either, or an array a
// call returned. Its roots are the variables that own that memory: the
// parameters and allocations (and call results, whose origin the caller
// does not see) it may view, through any chain of views and aliases.
//
// The relation is flow-insensitive on purpose. A variable rebound in a
// loop (`a, b = b, a` for double buffering) holds different memory in
// different iterations, and lowering sees each statement once, so any
// answer that depends on where in the body a question is asked must be
// repeated for every path into that point. Taking the union of every
// binding in the body over-approximates once and for all: two variables
// with no common root never share memory, whatever path ran.
//
// Parameters are the other source of sharing: the caller may pass the same
// array twice, or a transposed view beside its base. Roots cannot see that
// at compile time; MayOverlap answers it with the function's Copied
// parameters, those that an overlap guard replaces by a private copy when
// they overlap a parameter the function writes.

// Roots is the alias-root relation of one function's array variables.
type Roots struct {
	f  *ir.Func
	of map[*ir.Var]map[*ir.Var]bool
}

// AliasRoots computes the roots of every array variable of f.
func AliasRoots(f *ir.Func) *Roots {
	defs := map[*ir.Var][]*ir.Var{}
	// An array a list holds (array_from, lower/list_arrays.go) may be any
	// array stored in a list (array_words' operand), any array passed to a
	// function (a callee may return a list holding it) or any array
	// parameter (a list argument's items are the caller's arrays).
	var listed []*ir.Var
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		if c, ok := s.(*ir.Call); ok {
			for _, a := range c.Args {
				if ar, ok := a.(*ir.ArrayRef); ok {
					listed = append(listed, ar.Var)
				}
			}
		}
	}, nil)
	for _, p := range f.Params {
		if p.Type.Kind == types.Array {
			listed = append(listed, p)
		}
	}
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.SetArray:
			switch d := s.Src.(type) {
			case *ir.View:
				defs[s.Dst] = append(defs[s.Dst], d.Base)
			case *ir.Alias:
				defs[s.Dst] = append(defs[s.Dst], d.Src)
			case *ir.Alloc:
				defs[s.Dst] = append(defs[s.Dst], s.Dst)
			}
		case *ir.Call:
			for _, d := range s.Dsts {
				if d.Type.Kind != types.Array {
					continue
				}
				if s.Func.Helper == ir.HelperArrayFrom {
					defs[d] = append(append(defs[d], d), listed...)
					continue
				}
				// A callee's array result may view any array argument, or
				// memory the callee allocated.
				defs[d] = append(defs[d], d)
				for _, a := range s.Args {
					if ar, ok := a.(*ir.ArrayRef); ok {
						defs[d] = append(defs[d], ar.Var)
					}
				}
			}
		}
	}, nil)
	r := &Roots{f: f, of: map[*ir.Var]map[*ir.Var]bool{}}
	var walk func(v *ir.Var, seen, out map[*ir.Var]bool)
	walk = func(v *ir.Var, seen, out map[*ir.Var]bool) {
		if seen[v] {
			return
		}
		seen[v] = true
		if v.Param >= 0 || len(defs[v]) == 0 {
			out[v] = true
		}
		for _, d := range defs[v] {
			if d == v {
				out[v] = true
				continue
			}
			walk(d, seen, out)
		}
	}
	for _, vs := range [][]*ir.Var{f.Params, f.Locals} {
		for _, v := range vs {
			if v.Type.Kind == types.Array {
				out := map[*ir.Var]bool{}
				walk(v, map[*ir.Var]bool{}, out)
				r.of[v] = out
			}
		}
	}
	return r
}

// Of returns the roots of array variable v (v itself for a variable the
// function never binds).
func (r *Roots) Of(v *ir.Var) map[*ir.Var]bool {
	if o, ok := r.of[v]; ok {
		return o
	}
	return map[*ir.Var]bool{v: true}
}

// Params returns the positions of the parameters whose memory v may view.
func (r *Roots) Params(v *ir.Var) []int {
	var out []int
	for _, p := range r.f.Params {
		if r.Of(v)[p] {
			out = append(out, p.Param)
		}
	}
	return out
}

// Share reports whether u and v have a root in common: whether they may
// view one array the function itself knows of.
func (r *Roots) Share(u, v *ir.Var) bool {
	ru, rv := r.Of(u), r.Of(v)
	for x := range ru {
		if rv[x] {
			return true
		}
	}
	return false
}

// MayOverlap reports whether two array variables may share memory at run
// time, for a pair one of which the function writes: a common root, or
// two parameters the caller may have passed overlapping, which is any two
// distinct parameters neither of which f.Copied protects (a copied
// parameter overlaps no parameter the function writes).
func (r *Roots) MayOverlap(u, v *ir.Var) bool {
	if r.Share(u, v) {
		return true
	}
	pu, pv := r.Params(u), r.Params(v)
	for _, p := range pu {
		if r.f.IsCopied(p) {
			continue
		}
		for _, q := range pv {
			if q != p && !r.f.IsCopied(q) {
				return true
			}
		}
	}
	return false
}
