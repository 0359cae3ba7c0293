package cgen

import (
	"fmt"
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// callProgram is entry(n) = fib(n) + mid(n), where fib is the recursive
// Fibonacci function, mid(n) = chk(n) and chk(n) fails with ValueError
// for a negative n and returns 2 n otherwise.
func callProgram() (p *ir.Program, entry, fib, mid, chk *ir.Func) {
	i64 := scalar(types.Int64)
	param := func(name string) *ir.Var { return &ir.Var{Name: name, Type: i64, Param: 0} }
	local := func(name string) *ir.Var { return &ir.Var{Name: name, Type: i64, Param: -1} }
	ref := func(v *ir.Var) ir.Expr { return &ir.Ref{Var: v} }
	bin := func(op ir.Op, x, y ir.Expr, t *types.Type) ir.Expr { return &ir.Bin{Op: op, X: x, Y: y, T: t} }
	call := func(f *ir.Func, arg ir.Expr, dst *ir.Var) ir.Stmt {
		return &ir.Call{Func: f, Args: []ir.Expr{arg}, Dsts: []*ir.Var{dst}}
	}

	n := param("v_n")
	a, b := local("t_a"), local("t_b")
	fib = &ir.Func{Name: "f1_fib", Params: []*ir.Var{n}, Results: []*types.Type{i64}, Locals: []*ir.Var{a, b}}
	fib.Body = []ir.Stmt{
		&ir.If{Cond: bin(ir.Lt, ref(n), ir.IntConst(2), types.BoolT), Then: []ir.Stmt{&ir.Return{Vals: []ir.Expr{ref(n)}}}},
		call(fib, bin(ir.Sub, ref(n), ir.IntConst(1), i64), a),
		call(fib, bin(ir.Sub, ref(n), ir.IntConst(2), i64), b),
		&ir.Return{Vals: []ir.Expr{bin(ir.Add, ref(a), ref(b), i64)}},
	}

	n = param("v_n")
	chk = &ir.Func{Name: "f3_chk", Params: []*ir.Var{n}, Results: []*types.Type{i64}}
	chk.Body = []ir.Stmt{
		&ir.Check{Cond: bin(ir.Ge, ref(n), ir.IntConst(0), types.BoolT), Err: ir.ErrValue, Msg: "negative"},
		&ir.Return{Vals: []ir.Expr{bin(ir.Add, ref(n), ref(n), i64)}},
	}

	n = param("v_n")
	r := local("t_r")
	mid = &ir.Func{Name: "f2_mid", Params: []*ir.Var{n}, Results: []*types.Type{i64}, Locals: []*ir.Var{r}}
	mid.Body = []ir.Stmt{call(chk, ref(n), r), &ir.Return{Vals: []ir.Expr{ref(r)}}}

	n = param("v_n")
	a, b = local("t_a"), local("t_b")
	entry = &ir.Func{Name: "f0_top", Params: []*ir.Var{n}, Results: []*types.Type{i64}, Locals: []*ir.Var{a, b}}
	entry.Body = []ir.Stmt{
		call(fib, ref(n), a),
		call(mid, ref(n), b),
		&ir.Return{Vals: []ir.Expr{bin(ir.Add, ref(a), ref(b), i64)}},
	}
	return &ir.Program{Funcs: []*ir.Func{entry, fib, mid, chk}}, entry, fib, mid, chk
}

// A function that cannot fail returns its result by value and its calls
// test nothing; one that fails, or calls one that fails, keeps the int
// status; and failures still reach the caller through the chain.
func TestInfallibleFunctionsReturnByValue(t *testing.T) {
	p, _, _, _, _ := callProgram()
	if err := ir.Verify(p); err != nil {
		t.Fatal(err)
	}
	src := Program(p)
	k := KernelPart(src)
	for _, want := range []string{
		`__attribute__((optimize("no-optimize-sibling-calls"))) static int64_t f1_fib(sejit_ctx *ctx, int64_t v_n) {`,
		"t_a = f1_fib(ctx, ",
		"static int f3_chk(sejit_ctx *ctx, int64_t v_n, int64_t *r0) {",
		"static int f2_mid(sejit_ctx *ctx, int64_t v_n, int64_t *r0) {",
		"static int f0_top(sejit_ctx *ctx, int64_t v_n, int64_t *r0) {",
		"if (f3_chk(ctx, v_n, &t_r)) return -1;",
		"if (f2_mid(ctx, v_n, &t_b)) return -1;",
	} {
		if !strings.Contains(k, want) {
			t.Errorf("missing %q in:\n%s", want, k)
		}
	}
	for _, c := range []struct {
		n    int64
		want string
	}{
		{20, fmt.Sprintf("rc=0 err=0 r=%d\n", 6765+40)},
		{-1, "rc=-1 err=3 r=7\n"}, // the result slot is left as it was
	} {
		main := src + fmt.Sprintf(`
#include <stdio.h>
#include <string.h>
int main(void) {
    sejit_scalar n; n.i64 = %d;
    void *args[1] = {&n};
    sejit_slot ret[1];
    ret[0].s.i64 = 7;
    sejit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    int rc = %s(&ctx, args, ret);
    printf("rc=%%d err=%%d r=%%lld\n", rc, ctx.err, (long long)ret[0].s.i64);
    return 0;
}
`, c.n, EntrySymbol)
		if got := buildRun(t, main, "-std=gnu11", "-O2", "-Wall", "-Werror"); got != c.want {
			t.Errorf("n=%d: got %q, want %q", c.n, got, c.want)
		}
	}
}

// An entry that cannot fail stores its by-value result in the slot.
func TestInfallibleEntry(t *testing.T) {
	p, _, fib, _, _ := callProgram()
	p = &ir.Program{Funcs: []*ir.Func{fib}}
	src := Program(p)
	if !strings.Contains(src, "*(int64_t *)&ret[0].s.i64 = f1_fib(ctx, ") {
		t.Fatalf("the entry does not store fib's value:\n%s", KernelPart(src))
	}
	main := src + fmt.Sprintf(`
#include <stdio.h>
#include <string.h>
int main(void) {
    sejit_scalar n; n.i64 = 25;
    void *args[1] = {&n};
    sejit_slot ret[1];
    sejit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    int rc = %s(&ctx, args, ret);
    printf("rc=%%d r=%%lld\n", rc, (long long)ret[0].s.i64);
    return 0;
}
`, EntrySymbol)
	if got, want := buildRun(t, main, "-std=gnu11", "-O3", "-Wall", "-Werror"), "rc=0 r=75025\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
