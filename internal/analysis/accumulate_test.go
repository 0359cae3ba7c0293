package analysis

import (
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

func TestAccumulations(t *testing.T) {
	a := &ir.Var{Name: "a", Type: types.ArrayOf(types.Float64, 1, 'C'), Param: 0}
	i := local("i", i64)
	el := &ir.Load{Arr: a, Idx: []ir.Expr{ref(i)}}
	s, x, mx, c, b, pos, at := local("s", f64), local("x", f64), local("mx", f64), local("c", i64),
		local("b", types.BoolT), local("pos", i64), local("at", i64)
	sub := &ir.Assign{Dst: c, Src: &ir.Bin{Op: ir.Sub, X: ref(c), Y: &ir.Cast{X: el, T: i64}, T: i64}}
	or := &ir.Assign{Dst: b, Src: &ir.Bin{Op: ir.Or, X: &ir.Bin{Op: ir.Gt, X: el, Y: ir.IntConst(0), T: types.BoolT}, Y: ref(b), T: types.BoolT}}
	body := append([]ir.Stmt{sumOf(s, el), sub, or}, minOf(x, mx, el, ir.Gt)...)
	accs, ok := Accumulations(body, []*ir.Var{s, c, b, mx})
	if !ok || len(accs) != 4 || accs[0].Op != ir.Add || accs[1].Op != ir.Add || accs[2].Op != ir.Or ||
		accs[3].Op != 0 || accs[3].Cand != x {
		t.Fatalf("sum, integer difference, or, max: %+v %v", accs, ok)
	}
	// Combining two partials of the max: the later candidate q replaces p where it is larger.
	p, q := local("p", f64), local("q", f64)
	if got := ir.ExprString(accs[3].Combine(ref(p), ref(q))); got != "select(or(gt(q, p), ne(q, q)), q, p)" {
		t.Errorf("combine: %s", got)
	}
	if id := accs[2].Identity(); id.I != 0 {
		t.Errorf("identity of or: %+v", id)
	}
	// argmin: if better { mx = x; at = pos }, pos = pos + 1.
	better := &ir.Bin{Op: ir.Lt, X: ref(x), Y: ref(mx), T: types.BoolT}
	arg := []ir.Stmt{&ir.Assign{Dst: x, Src: el},
		&ir.If{Cond: better, Then: []ir.Stmt{&ir.Assign{Dst: mx, Src: ref(x)}, &ir.Assign{Dst: at, Src: ref(pos)}}},
		&ir.Assign{Dst: pos, Src: &ir.Bin{Op: ir.Add, X: ref(pos), Y: ir.IntConst(1), T: i64}}}
	accs, ok = Accumulations(arg, []*ir.Var{at, mx, pos})
	if !ok || len(accs) != 2 || accs[0].Var != mx || accs[0].Index != at || !accs[1].Counter {
		t.Fatalf("argmin: %+v %v", accs, ok)
	}
	for name, c := range map[string]struct {
		body []ir.Stmt
		accs []*ir.Var
	}{
		"a sum read elsewhere":       {[]ir.Stmt{sumOf(s, el), &ir.Assign{Dst: x, Src: ref(s)}}, []*ir.Var{s}},
		"a difference e - v":         {[]ir.Stmt{&ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Sub, X: el, Y: ref(s), T: f64}}}, []*ir.Var{s}},
		"a division":                 {[]ir.Stmt{&ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Div, X: ref(s), Y: el, T: f64}}}, []*ir.Var{s}},
		"a sum and a product into v": {[]ir.Stmt{sumOf(s, el), &ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Mul, X: ref(s), Y: el, T: f64}}}, []*ir.Var{s}},
		"a plain assignment":         {[]ir.Stmt{&ir.Assign{Dst: s, Src: el}}, []*ir.Var{s}},
		"a position read elsewhere":  {append(arg, &ir.Assign{Dst: x, Src: &ir.Cast{X: ref(at), T: f64}}), []*ir.Var{at, mx, pos}},
	} {
		if accs, ok := Accumulations(c.body, c.accs); ok {
			t.Errorf("%s: taken for accumulations %+v", name, accs)
		}
	}
}
