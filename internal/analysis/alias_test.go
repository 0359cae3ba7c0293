package analysis

import (
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

var vec = types.ArrayOf(types.Float64, 1, 'C')

func param(f *ir.Func, name string) *ir.Var {
	v := &ir.Var{Name: name, Type: vec, Param: len(f.Params)}
	f.Params = append(f.Params, v)
	return v
}

func arrayLocal(f *ir.Func, name string) *ir.Var {
	v := &ir.Var{Name: name, Type: vec, Param: -1}
	f.Locals = append(f.Locals, v)
	return v
}

func alias(dst, src *ir.Var) ir.Stmt { return &ir.SetArray{Dst: dst, Src: &ir.Alias{Src: src}} }

// a, b = b, a through temporaries, as lowering writes it: every binding
// of the body counts, so after the swap each parameter may view either
// argument, and the definitions form a cycle the walk must survive.
func TestRootsOfASwap(t *testing.T) {
	f := &ir.Func{Name: "swap"}
	a, b := param(f, "a"), param(f, "b")
	t1, t2 := arrayLocal(f, "t1"), arrayLocal(f, "t2")
	f.Body = []ir.Stmt{alias(t1, b), alias(t2, a), alias(a, t1), alias(b, t2)}
	r := AliasRoots(f)
	for _, v := range []*ir.Var{a, b, t1, t2} {
		if got := r.Params(v); len(got) != 2 {
			t.Errorf("%s: parameters %v, want both", v.Name, got)
		}
	}
	if !r.Share(a, b) {
		t.Errorf("a and b share no root after the swap")
	}
}

// Distinct parameters may overlap at run time unless one of them is
// Copied; an allocation overlaps nothing it was not bound to.
func TestMayOverlap(t *testing.T) {
	f := &ir.Func{Name: "f"}
	x, y, z := param(f, "x"), param(f, "y"), param(f, "z")
	tmp := arrayLocal(f, "tmp")
	view := arrayLocal(f, "view")
	f.Body = []ir.Stmt{
		&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ir.IntConst(3)}}},
		&ir.SetArray{Dst: view, Src: &ir.View{Base: y, Offset: ir.IntConst(1), Shape: []ir.Expr{ir.IntConst(2)},
			Strides: []ir.Expr{ir.IntConst(1)}}},
	}
	f.Copied = []bool{true, false, false}
	r := AliasRoots(f)
	cases := []struct {
		u, v *ir.Var
		want bool
	}{
		{x, y, false},   // x is copied when it overlaps y
		{y, z, true},    // two written parameters: the caller may pass one array twice
		{view, y, true}, // a view of its base
		{view, z, true}, // a view of y against z, as y against z
		{tmp, y, false}, // the function's own memory
		{tmp, x, false},
	}
	for _, c := range cases {
		if got := r.MayOverlap(c.u, c.v); got != c.want {
			t.Errorf("MayOverlap(%s, %s) = %v, want %v", c.u.Name, c.v.Name, got, c.want)
		}
	}
}
