package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// callee builds a function for InlineCalls to inline.
func callee(name string) *fb { return newFunc(name) }

// The listing of TestInlineCallsReplacesCallsWithTheirBodies's entry shows
// the two forms: a one-pass loop for several returns, straight code for one.

func TestInlineCallsReplacesCallsWithTheirBodies(t *testing.T) {
	// sgn(v) = -1 if v < 0 else 2v: two returns, inlined as a one-pass loop.
	s := callee("sgn")
	v := s.param("v", f64)
	s.f.Results = []*types.Type{f64}
	s.add(&ir.If{Cond: &ir.Bin{Op: ir.Lt, X: ref(v), Y: &ir.Const{Type: f64}, T: types.BoolT},
		Then: []ir.Stmt{&ir.Return{Vals: []ir.Expr{&ir.Const{Type: f64, F: -1}}}}})
	s.add(&ir.Return{Vals: []ir.Expr{bin(ir.Mul, ref(v), two)}})
	// at(a, i) = a[i] + 1: one return at the end, inlined as straight code, a the caller's array.
	at := callee("at")
	a := at.param("a", vec)
	i := at.param("i", i64)
	at.f.Results = []*types.Type{f64}
	at.add(&ir.Return{Vals: []ir.Expr{bin(ir.Add, load(a, ref(i)), one)}})

	b := newFunc("entry")
	x := b.param("x", vec)
	y := b.param("y", vec)
	k := b.index("k")
	r1, r2 := b.local("r1", f64), b.local("r2", f64)
	b.add(nest(k, dim(y),
		&ir.Call{Func: s.f, Args: []ir.Expr{load(x, ref(k))}, Dsts: []*ir.Var{r1}},
		&ir.Call{Func: at.f, Args: []ir.Expr{&ir.ArrayRef{Var: x}, ref(k)}, Dsts: []*ir.Var{r2}},
		store(y, ref(k), bin(ir.Add, ref(r1), ref(r2)))))
	p := &ir.Program{Funcs: []*ir.Func{b.f, s.f, at.f}}
	if err := ir.Verify(p); err != nil {
		t.Fatalf("the test's own IR: %v", err)
	}
	InlineCalls(p)
	if err := ir.Verify(p); err != nil {
		t.Fatalf("after inlining: %v\n%s", err, listing(p))
	}
	out := listing(p)
	if len(p.Funcs) != 1 || strings.Contains(out, "call ") {
		t.Fatalf("calls left:\n%s", out)
	}
	for _, want := range []string{"v_in1 = x[k]\n    while true {\n      if lt(v_in1, 0.0) {\n        r1 = -1.0\n        break\n      }\n      r1 = mul(v_in1, 2.0)\n      break\n    }",
		"i_in2 = k\n    r2 = add(x[i_in2], 1.0)\n    y[k] = add(r1, r2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	// The entry is still optimisable and valid.
	run(t, p)
}

func TestInlineCallsKeepsRecursion(t *testing.T) {
	r := callee("rec")
	v := r.param("v", i64)
	r.f.Results = []*types.Type{i64}
	out := r.local("o", i64)
	r.add(&ir.Call{Func: r.f, Args: []ir.Expr{ref(v)}, Dsts: []*ir.Var{out}})
	r.add(&ir.Return{Vals: []ir.Expr{ref(out)}})
	b := newFunc("entry")
	n := b.param("n", i64)
	res := b.local("res", i64)
	b.f.Results = []*types.Type{i64}
	b.add(&ir.Call{Func: r.f, Args: []ir.Expr{ref(n)}, Dsts: []*ir.Var{res}}, &ir.Return{Vals: []ir.Expr{ref(res)}})
	p := &ir.Program{Funcs: []*ir.Func{b.f, r.f}}
	InlineCalls(p)
	if err := ir.Verify(p); err != nil {
		t.Fatalf("after inlining: %v\n%s", err, listing(p))
	}
	if len(p.Funcs) != 2 || !strings.Contains(listing(p), "call rec") {
		t.Fatalf("the recursive call should stay (8 levels inlined, then a call):\n%s", listing(p))
	}
}
