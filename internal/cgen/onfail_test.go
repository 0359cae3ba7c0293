package cgen

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// listFunc is a function with a list parameter (buffer, length) that
// appends 9.5 in place and then fails, or, with callee set, calls callee
// (its stretching variant) with the same arguments and returns its
// results: both set the list's final contents on failure (ir.Func.OnFail).
func listFunc(name string, callee *ir.Func) *ir.Func {
	vec := types.ArrayOf(types.Float64, 1, 'C')
	i64 := scalar(types.Int64)
	buf := &ir.Var{Name: "a_l", Type: vec, Param: 0}
	n := &ir.Var{Name: "v_n", Type: i64, Param: 1}
	f := &ir.Func{Name: name, Params: []*ir.Var{buf, n}, Results: []*types.Type{i64, vec, i64},
		OnFail: []ir.Expr{&ir.ArrayRef{Var: buf}, &ir.Ref{Var: n}}}
	if callee != nil {
		r0 := &ir.Var{Name: "t0", Type: i64, Param: -1}
		r1 := &ir.Var{Name: "t1", Type: vec, Param: -1}
		r2 := &ir.Var{Name: "t2", Type: i64, Param: -1}
		f.Locals = []*ir.Var{r0, r1, r2}
		f.Body = []ir.Stmt{
			&ir.Call{Func: callee, Args: []ir.Expr{&ir.ArrayRef{Var: buf}, &ir.Ref{Var: n}}, Dsts: []*ir.Var{r0, r1, r2}},
			&ir.Return{Vals: []ir.Expr{&ir.Ref{Var: r0}, &ir.ArrayRef{Var: r1}, &ir.Ref{Var: r2}}},
		}
		return f
	}
	f.Cold = true
	f.Body = []ir.Stmt{
		&ir.Store{Arr: buf, Idx: []ir.Expr{&ir.Ref{Var: n}}, Src: &ir.Const{Type: scalar(types.Float64), F: 9.5}},
		&ir.Assign{Dst: n, Src: &ir.Bin{Op: ir.Add, X: &ir.Ref{Var: n}, Y: ir.IntConst(1), T: i64}},
		&ir.Check{Cond: &ir.Bin{Op: ir.Lt, X: &ir.Ref{Var: n}, Y: ir.IntConst(0), T: types.BoolT}, Err: ir.ErrIndex, Msg: "boom"},
		&ir.Return{Vals: []ir.Expr{&ir.Ref{Var: n}, &ir.ArrayRef{Var: buf}, &ir.Ref{Var: n}}},
	}
	return f
}

// A failing kernel still sets its list results, through the stretching
// variant's call too, and its exception is the one reported.
func TestFailureSetsListResults(t *testing.T) {
	bc := listFunc("f0_f_bc", nil)
	entry := listFunc("f0_f", bc)
	p := &ir.Program{Funcs: []*ir.Func{entry, bc}}
	if err := ir.Verify(p); err != nil {
		t.Fatal(err)
	}
	src := Program(p)
	if strings.Count(src, exitLabel+":") != 1 {
		t.Errorf("want one failure label (the variant's; the entry's call returns its results):\n%s", KernelPart(src))
	}
	main := src + `
#include <stdio.h>
#include <string.h>
int main(void) {
    double data[4] = {1, 2, 3, 0};
    sejit_array l = {0, (char *)data, {4}, {1}};
    sejit_scalar n; n.i64 = 3;
    void *args[2] = {&l, &n};
    sejit_slot ret[3];
    memset(ret, 0, sizeof ret);
    sejit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    int rc = ` + EntrySymbol + `(&ctx, args, ret);
    printf("rc=%d err=%d msg=%s len=%lld last=%g same=%d\n", rc, ctx.err, ctx.msg, (long long)ret[2].s.i64,
           ((double *)ret[1].a.data)[3], ret[1].a.data == (char *)data);
    return 0;
}
`
	got := buildRun(t, main, "-std=gnu11", "-O1", "-Wall", "-Werror")
	want := "rc=-1 err=2 msg=boom len=4 last=9.5 same=1\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
