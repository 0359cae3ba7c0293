package analysis

import (
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

func alloc(dst *ir.Var) ir.Stmt {
	return &ir.SetArray{Dst: dst, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ir.IntConst(4)}}}
}

func view(dst, base *ir.Var) ir.Stmt {
	return &ir.SetArray{Dst: dst, Src: &ir.View{Base: base, Offset: ir.IntConst(1), Shape: []ir.Expr{ir.IntConst(3)},
		Strides: []ir.Expr{ir.IntConst(1)}}}
}

func ret(vs ...*ir.Var) ir.Stmt {
	r := &ir.Return{}
	for _, v := range vs {
		r.Vals = append(r.Vals, &ir.ArrayRef{Var: v})
	}
	return r
}

func call(f *ir.Func, dsts []*ir.Var, args ...*ir.Var) ir.Stmt {
	c := &ir.Call{Func: f, Dsts: dsts}
	for _, a := range args {
		c.Args = append(c.Args, &ir.ArrayRef{Var: a})
	}
	return c
}

func names(vs []*ir.Var) map[string]bool {
	out := map[string]bool{}
	for _, v := range vs {
		out[v.Name] = true
	}
	return out
}

// The helper's temporary is given back, its returned array and the array
// a returned view reads are kept; the caller receives fresh memory from
// the first call and may give it back, but not what a callee returning
// its argument hands back, nor the argument itself.
func TestReleases(t *testing.T) {
	entry := &ir.Func{Name: "entry"}
	helper := &ir.Func{Name: "helper", Results: []*types.Type{vec}}
	ident := &ir.Func{Name: "ident", Results: []*types.Type{vec}}
	mid := &ir.Func{Name: "mid", Results: []*types.Type{vec}}

	tmp, out, base, w := arrayLocal(helper, "tmp"), arrayLocal(helper, "out"), arrayLocal(helper, "base"), arrayLocal(helper, "w")
	helper.Body = []ir.Stmt{alloc(tmp), alloc(out), alloc(base), view(w, base), ret(w)}
	_ = out

	a := param(ident, "a")
	ident.Body = []ir.Stmt{ret(a)}

	fresh, given, back := arrayLocal(mid, "fresh"), arrayLocal(mid, "given"), arrayLocal(mid, "back")
	mid.Body = []ir.Stmt{
		call(helper, []*ir.Var{fresh}),
		alloc(given),
		call(ident, []*ir.Var{back}, given),
		ret(back),
	}
	r := arrayLocal(entry, "r")
	entry.Body = []ir.Stmt{call(mid, []*ir.Var{r})}

	got := Releases(&ir.Program{Funcs: []*ir.Func{entry, mid, helper, ident}}).AtReturn
	if g := names(got[helper]); len(g) != 2 || !g["tmp"] || !g["out"] {
		t.Errorf("helper gives back %v, want tmp and out (base is viewed by the result)", g)
	}
	if g := names(got[mid]); len(g) != 1 || !g["fresh"] {
		t.Errorf("mid gives back %v, want fresh only (given comes back through ident)", g)
	}
	if len(got[ident]) != 0 || len(got[entry]) != 0 {
		t.Errorf("ident gives back %v, entry %v: want nothing", got[ident], got[entry])
	}
}

// A callee returning an array and a view of it gives the caller one array
// through two variables: neither is fresh. A recursive function whose
// base case returns its argument returns no fresh memory either, while
// one whose every return allocates does.
func TestReleasesSharedAndRecursive(t *testing.T) {
	entry := &ir.Func{Name: "entry"}
	pair := &ir.Func{Name: "pair", Results: []*types.Type{vec, vec}}
	a, v := arrayLocal(pair, "a"), arrayLocal(pair, "v")
	pair.Body = []ir.Stmt{alloc(a), view(v, a), ret(a, v)}

	user := &ir.Func{Name: "user", Results: []*types.Type{vec}}
	x, y, z := arrayLocal(user, "x"), arrayLocal(user, "y"), arrayLocal(user, "z")
	user.Body = []ir.Stmt{call(pair, []*ir.Var{x, y}), alloc(z), ret(y)}

	rec := &ir.Func{Name: "rec", Results: []*types.Type{vec}}
	p := param(rec, "p")
	sub, made := arrayLocal(rec, "sub"), arrayLocal(rec, "made")
	rec.Body = []ir.Stmt{
		&ir.If{Cond: ir.BoolConst(true), Then: []ir.Stmt{ret(p)}},
		call(rec, []*ir.Var{sub}, p),
		alloc(made),
		ret(made),
	}
	rec2 := &ir.Func{Name: "rec2", Results: []*types.Type{vec}}
	q := param(rec2, "q")
	base, sub2, made2 := arrayLocal(rec2, "base"), arrayLocal(rec2, "sub2"), arrayLocal(rec2, "made2")
	rec2.Body = []ir.Stmt{
		&ir.If{Cond: ir.BoolConst(true), Then: []ir.Stmt{alloc(base), ret(base)}},
		call(rec2, []*ir.Var{sub2}, q),
		alloc(made2),
		ret(made2),
	}
	entry.Body = []ir.Stmt{call(user, []*ir.Var{arrayLocal(entry, "r")})}

	got := Releases(&ir.Program{Funcs: []*ir.Func{entry, user, pair, rec, rec2}}).AtReturn
	if g := names(got[user]); len(g) != 1 || !g["z"] {
		t.Errorf("user gives back %v, want z only (x is viewed by the returned y)", g)
	}
	if g := names(got[rec]); len(g) != 0 {
		t.Errorf("rec gives back %v, want nothing (sub may be the argument)", g)
	}
	if g := names(got[rec2]); len(g) != 1 || !g["sub2"] {
		t.Errorf("rec2 gives back %v, want sub2 (every return allocates)", g)
	}
}

// u = step(u) in a loop gives the array u held back at each rebinding
// (the first one came from an allocation before the loop); it does not
// when a view of the old array is read later, and the allocation u came
// from is then not given back at the return either.
func TestReleasesAtRebinding(t *testing.T) {
	step := &ir.Func{Name: "step", Results: []*types.Type{vec}}
	s := param(step, "s")
	out := arrayLocal(step, "out")
	step.Body = []ir.Stmt{alloc(out), ret(out)}
	_ = s

	build := func(name string, keepView bool) (*ir.Func, *ir.SetArray) {
		f := &ir.Func{Name: name, Results: []*types.Type{vec}}
		first, u, next, w := arrayLocal(f, "first"), arrayLocal(f, "u"), arrayLocal(f, "next"), arrayLocal(f, "w")
		k := &ir.Var{Name: "k", Type: types.ScalarOf(types.Int64), Param: -1}
		f.Locals = append(f.Locals, k)
		rebind := alias(u, next).(*ir.SetArray)
		body := []ir.Stmt{call(step, []*ir.Var{next}, u), rebind}
		if keepView {
			// w views the old array and is read in the next iteration.
			body = []ir.Stmt{
				&ir.Store{Arr: u, Idx: []ir.Expr{ir.IntConst(0)}, Src: &ir.Load{Arr: w, Idx: []ir.Expr{ir.IntConst(0)}}},
				view(w, u), call(step, []*ir.Var{next}, u), rebind,
			}
		}
		f.Body = []ir.Stmt{
			alloc(first), alias(u, first), view(w, first),
			&ir.For{Var: k, Start: ir.IntConst(0), Stop: ir.IntConst(5), Step: ir.IntConst(1), Sign: 1, Body: body},
			ret(u),
		}
		return f, rebind
	}
	plain, plainRebind := build("plain", false)
	viewed, viewedRebind := build("viewed", true)
	got := Releases(&ir.Program{Funcs: []*ir.Func{plain, step, viewed}})
	if x := got.AtRebind[plainRebind]; x == nil || x.Name != "u" {
		t.Errorf("plain: rebinding gives back %v, want u", x)
	}
	if x, ok := got.AtRebind[viewedRebind]; ok {
		t.Errorf("viewed: rebinding gives back %v while a view of the old array is read later", x)
	}
	if g := names(got.AtReturn[step]); len(g) != 0 {
		t.Errorf("step gives back %v, want nothing (out is returned)", g)
	}
}
