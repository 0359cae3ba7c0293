package opt

import (
	"math"
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

func cmp(op ir.Op, x, y ir.Expr) ir.Expr { return &ir.Bin{Op: op, X: x, Y: y, T: types.BoolT} }

// guardedHist builds, as lowering does for
//
//	n = counts.shape[0]
//	for k in range(len(x)):
//	    b = <int>; [between]
//	    if 0 <= b < n and x[k] >= 0.0: counts[b] += 1
//
// with the negative-index wrap and the index check of counts[b].
func guardedHist(between func(fb *fb, b *ir.Var) []ir.Stmt) *ir.Program {
	f := newFunc("h")
	x := f.param("x", vec)
	counts := f.param("counts", types.ArrayOf(types.Int64, 1, 'C'))
	n := f.local("n", i64)
	k := f.index("k")
	b := f.local("b", i64)
	t1 := f.local("t1", types.BoolT)
	t2 := f.local("t2", types.BoolT)
	t3 := f.local("t3", i64)
	zero := ir.IntConst(0)
	body := []ir.Stmt{&ir.Assign{Dst: b, Src: &ir.Cast{X: load(x, ref(k)), T: i64}}}
	if between != nil {
		body = append(body, between(f, b)...)
	}
	body = append(body,
		&ir.Assign{Dst: t1, Src: cmp(ir.Le, zero, ref(b))},
		&ir.If{Cond: ref(t1), Then: []ir.Stmt{&ir.Assign{Dst: t1, Src: cmp(ir.Lt, ref(b), ref(n))}}},
		&ir.Assign{Dst: t2, Src: ref(t1)},
		&ir.If{Cond: ref(t1), Then: []ir.Stmt{&ir.Assign{Dst: t2, Src: cmp(ir.Ge, load(x, ref(k)), &ir.Const{Type: f64})}}},
		&ir.If{Cond: ref(t2), Then: []ir.Stmt{
			&ir.Assign{Dst: t3, Src: &ir.Select{Cond: cmp(ir.Lt, ref(b), zero), X: bin(ir.Add, ref(b), dim(counts)), Y: ref(b), T: i64}},
			idxCheck(ref(t3), counts),
			store(counts, ref(t3), bin(ir.Add, load(counts, ref(t3)), ione)),
		}},
	)
	f.add(&ir.Assign{Dst: n, Src: dim(counts)},
		&ir.For{Var: k, Start: ir.IntConst(0), Stop: dim(x), Step: ione, Sign: 1, Body: body})
	return f.prog()
}

func runGuards(t *testing.T, p *ir.Program) string {
	t.Helper()
	var log strings.Builder
	guardsProgram(p, &log)
	if err := ir.Verify(p); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	ir.Fprint(&out, p)
	return out.String()
}

func TestGuardsProveTheIndex(t *testing.T) {
	p := guardedHist(nil)
	got := runGuards(t, p)
	if n := countChecks(p.Funcs[0].Body); n != 0 {
		t.Errorf("%d index checks left, want 0:\n%s", n, got)
	}
	for _, want := range []string{
		"t1 = lt(uint64(b), uint64(n))",   // 0 <= b < n, one unsigned compare
		"t2 = band(t1, ge(x[k], 0.0))",    // x[k] was loaded before: no branch
		"t3 = b",                          // the wrap select folded
		"counts[t3] = add(counts[t3], 1)", // the store stays
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

func TestGuardsForgetReassignedVariables(t *testing.T) {
	// b = b + 1 after the int: the guard tests the new b, still proving.
	// But a reassignment between the guard and the index must keep the check.
	p := guardedHist(nil)
	body := p.Funcs[0].Body[1].(*ir.For).Body
	last := body[len(body)-1].(*ir.If)
	b := last.Then[0].(*ir.Assign).Src.(*ir.Select).Y.(*ir.Ref).Var
	last.Then = append([]ir.Stmt{&ir.Assign{Dst: b, Src: bin(ir.Add, ref(b), ione)}}, last.Then...)
	got := runGuards(t, p)
	if n := countChecks(p.Funcs[0].Body); n != 1 {
		t.Errorf("%d index checks left, want 1:\n%s", n, got)
	}
	if !strings.Contains(got, "select(lt(b, 0)") {
		t.Errorf("the wrap select of a reassigned index was folded:\n%s", got)
	}
}

func TestGuardsDoNotSpeculateUnsafeOperands(t *testing.T) {
	// if i < n and x[i] > 0 — x[i] not loaded before: stays short-circuit.
	// if d != 0 and 7 // d > 1 — a division: stays short-circuit.
	f := newFunc("s")
	x := f.param("x", vec)
	i := f.param("i", i64)
	d := f.param("d", i64)
	n := f.param("n", i64)
	c1 := f.local("c1", types.BoolT)
	c2 := f.local("c2", types.BoolT)
	r := f.local("r", f64)
	f.add(
		&ir.Assign{Dst: c1, Src: cmp(ir.Lt, ref(i), ref(n))},
		&ir.If{Cond: ref(c1), Then: []ir.Stmt{&ir.Assign{Dst: c1, Src: cmp(ir.Gt, load(x, ref(i)), &ir.Const{Type: f64})}}},
		&ir.Assign{Dst: c2, Src: cmp(ir.Ne, ref(d), ir.IntConst(0))},
		&ir.If{Cond: ref(c2), Then: []ir.Stmt{&ir.Assign{Dst: c2, Src: cmp(ir.Gt, bin(ir.FloorDiv, ir.IntConst(7), ref(d)), ione)}}},
		&ir.If{Cond: ref(c1), Then: []ir.Stmt{&ir.Assign{Dst: r, Src: one}}},
	)
	got := runGuards(t, f.prog())
	if strings.Contains(got, "band") {
		t.Errorf("an unsafe operand was evaluated unconditionally:\n%s", got)
	}
}

func TestGuardsStoreKillsLoadedFacts(t *testing.T) {
	// if 0 <= int(x[0]) < len(counts): x[0] = 1e9; counts[int(x[0])] — the
	// second int(x[0]) reads the stored value: the guard's fact, stated
	// through the load, must not prove its index.
	f := newFunc("k")
	x := f.param("x", vec)
	counts := f.param("counts", types.ArrayOf(types.Int64, 1, 'C'))
	j := f.local("j", i64)
	j2 := f.local("j2", i64)
	c := f.local("c", types.BoolT)
	u64 := types.ScalarOf(types.Uint64)
	f.add(
		&ir.Assign{Dst: j, Src: &ir.Cast{X: load(x, ir.IntConst(0)), T: i64}},
		&ir.Assign{Dst: c, Src: cmp(ir.Lt, &ir.Cast{X: ref(j), T: u64}, &ir.Cast{X: dim(counts), T: u64})},
		&ir.If{Cond: ref(c), Then: []ir.Stmt{
			store(x, ir.IntConst(0), &ir.Const{Type: f64, F: 1e9}),
			&ir.Assign{Dst: j2, Src: &ir.Cast{X: load(x, ir.IntConst(0)), T: i64}},
			idxCheck(ref(j2), counts),
		}},
	)
	p := f.prog()
	got := runGuards(t, p)
	if n := countChecks(p.Funcs[0].Body); n != 1 {
		t.Errorf("%d index checks left after a store changed the guarded value's source, want 1:\n%s", n, got)
	}
	// Without the store the same index is proved.
	p.Funcs[0].Body[2].(*ir.If).Then = append(p.Funcs[0].Body[2].(*ir.If).Then[1:2], idxCheck(ref(j2), counts))
	got = runGuards(t, p)
	if n := countChecks(p.Funcs[0].Body); n != 0 {
		t.Errorf("%d index checks left without the store, want 0:\n%s", n, got)
	}
}

// convChecks are lowering's checks of b = int(t) (lower/f2i.go).
func convChecks(b *ir.Var, t ir.Expr) []ir.Stmt {
	sentinel := func() ir.Expr { return cmp(ir.Ne, ref(b), ir.IntConst(math.MinInt64)) }
	isnan := &ir.Intrinsic{Fn: ir.FnIsnan, Args: []ir.Expr{t}, T: types.BoolT}
	return []ir.Stmt{
		&ir.Check{Cond: cmp(ir.Or, sentinel(), &ir.Unary{Op: ir.Not, X: isnan, T: types.BoolT}), Err: ir.ErrValue, Msg: "NaN"},
		&ir.Check{Cond: cmp(ir.Or, sentinel(), cmp(ir.Eq, t, &ir.Const{Type: f64, F: -0x1p63})), Err: ir.ErrOverflow, Msg: "range"},
	}
}

func TestGuardsSinkConversionChecks(t *testing.T) {
	var x ir.Expr
	p := guardedHist(func(f *fb, b *ir.Var) []ir.Stmt {
		x = load(f.f.Params[0], ref(f.f.Locals[1]))
		return convChecks(b, x)
	})
	got := runGuards(t, p)
	loop := p.Funcs[0].Body[1].(*ir.For)
	last := loop.Body[len(loop.Body)-1].(*ir.If)
	if len(last.Else) != 2 {
		t.Fatalf("the conversion checks were not moved to the else branch:\n%s", got)
	}
	for _, s := range loop.Body {
		if _, ok := s.(*ir.Check); ok {
			t.Errorf("a check stayed on the common path:\n%s", got)
		}
	}
	if last.Else[0].(*ir.Check).Err != ir.ErrValue {
		t.Errorf("the checks changed order:\n%s", got)
	}
}

func TestGuardsKeepConversionChecksWhenTheGuardAllowsTheSentinel(t *testing.T) {
	// if b < n: the sentinel INT64_MIN passes the guard, so the checks
	// must run before the branch.
	f := newFunc("s")
	x := f.param("x", vec)
	counts := f.param("counts", types.ArrayOf(types.Int64, 1, 'C'))
	b := f.local("b", i64)
	f.add(&ir.Assign{Dst: b, Src: &ir.Cast{X: load(x, ir.IntConst(0)), T: i64}})
	f.add(convChecks(b, load(x, ir.IntConst(0)))...)
	f.add(&ir.If{Cond: cmp(ir.Lt, ref(b), dim(counts)), Then: []ir.Stmt{store(counts, ref(b), ione)}})
	p := f.prog()
	got := runGuards(t, p)
	if len(p.Funcs[0].Body) != 4 || len(p.Funcs[0].Body[3].(*ir.If).Else) != 0 {
		t.Errorf("conversion checks moved past a guard that admits INT64_MIN:\n%s", got)
	}
}

func TestGuardsSpeculateOnlyLoadsAlwaysMade(t *testing.T) {
	// r = select(i < n, x[i], 0.0) may not have read x[i]: `i < n and
	// x[i] > 0` keeps its branch. After s = x[i] unconditionally, it may
	// drop it.
	for _, always := range []bool{false, true} {
		f := newFunc("s")
		x := f.param("x", vec)
		i := f.param("i", i64)
		n := f.param("n", i64)
		r := f.local("r", f64)
		c := f.local("c", types.BoolT)
		src := ir.Expr(&ir.Select{Cond: cmp(ir.Lt, ref(i), ref(n)), X: load(x, ref(i)), Y: &ir.Const{Type: f64}, T: f64})
		if always {
			src = load(x, ref(i))
		}
		f.add(
			&ir.Assign{Dst: r, Src: src},
			&ir.Assign{Dst: c, Src: cmp(ir.Lt, ref(i), ref(n))},
			&ir.If{Cond: ref(c), Then: []ir.Stmt{&ir.Assign{Dst: c, Src: cmp(ir.Gt, load(x, ref(i)), &ir.Const{Type: f64})}}},
		)
		got := runGuards(t, f.prog())
		if strings.Contains(got, "band") != always {
			t.Errorf("always=%v: wrong speculation of x[i]:\n%s", always, got)
		}
	}
}

func TestGuardsSpeculateNoNewArray(t *testing.T) {
	// In a loop's unchecked copy every load is in bounds, but `x[k] > 0
	// and y[k] < 0` keeps its branch: it would read y on every element
	// (BFS's adjacency row and distance array). `x[k] > 0 and x[k + 1] <
	// x[k]` reads only x and drops it.
	for _, other := range []bool{false, true} {
		f := newFunc("s")
		x := f.param("x", vec)
		y := f.param("y", vec)
		k := f.index("k")
		c := f.local("c", types.BoolT)
		right := cmp(ir.Lt, load(x, bin(ir.Add, ref(k), ione)), load(x, ref(k)))
		if other {
			right = cmp(ir.Lt, load(y, ref(k)), &ir.Const{Type: f64})
		}
		body := []ir.Stmt{
			&ir.Assign{Dst: c, Src: cmp(ir.Gt, load(x, ref(k)), &ir.Const{Type: f64})},
			&ir.If{Cond: ref(c), Then: []ir.Stmt{&ir.Assign{Dst: c, Src: right}}},
		}
		g := &guards{inBounds: func(*ir.Load) bool { return true }}
		body = g.combine(body)
		if merged := len(body) == 1; merged == other {
			t.Errorf("other array=%v: merged=%v, want %v", other, merged, !other)
		}
	}
}
