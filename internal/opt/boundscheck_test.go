package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// idxCheck is the check lowering emits for x[i]: one unsigned comparison.
func idxCheck(i ir.Expr, a *ir.Var) *ir.Check {
	u64 := types.ScalarOf(types.Uint64)
	return &ir.Check{Cond: &ir.Bin{Op: ir.Lt, X: &ir.Cast{X: i, T: u64}, Y: &ir.Cast{X: dim(a), T: u64}, T: types.BoolT},
		Err: ir.ErrIndex, Msg: "index {0} out of bounds for size {1}", Args: []ir.Expr{i, dim(a)}}
}

// sumLoop builds `for i in range(start, n): s += x[i + off]` as lowering does.
func sumLoop(start int64, off int64, rebind bool) (*ir.Program, *ir.Var) {
	b := newFunc("f")
	x := b.param("x", vec)
	n := b.param("n", i64)
	s := b.local("s", f64)
	k := b.index("k")
	i := b.index("i")
	var ix ir.Expr = ref(i)
	if off != 0 {
		ix = &ir.Bin{Op: ir.Add, X: ref(i), Y: ir.IntConst(off), T: i64}
	}
	body := []ir.Stmt{&ir.Assign{Dst: i, Src: ref(k)}}
	if rebind {
		other := b.local("other", vec)
		body = append(body, &ir.SetArray{Dst: other, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}},
			&ir.SetArray{Dst: x, Src: &ir.Alias{Src: other}})
	}
	body = append(body, idxCheck(ix, x), &ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), load(x, ix))})
	b.add(&ir.For{Var: k, Start: ir.IntConst(start), Stop: ref(n), Step: ione, Sign: 1, Body: body})
	return b.prog(), x
}

func countChecks(body []ir.Stmt) int {
	n := 0
	ir.VisitStmts(body, func(s ir.Stmt) {
		if c, ok := s.(*ir.Check); ok && c.Err == ir.ErrIndex {
			n++
		}
	}, nil)
	return n
}

func TestHoistVersionsTheLoop(t *testing.T) {
	for _, off := range []int64{0, 2} {
		p, _ := sumLoop(0, off, false)
		var log strings.Builder
		hoistChecksProgram(p, &log)
		if err := ir.Verify(p); err != nil {
			t.Fatal(err)
		}
		body := p.Funcs[0].Body
		if len(body) != 1 {
			t.Fatalf("off %d: want one versioned statement, got %d", off, len(body))
		}
		v, ok := body[0].(*ir.If)
		if !ok {
			t.Fatalf("off %d: want an If choosing the loop version, got %T", off, body[0])
		}
		want := "le(n, x.shape[0])"
		if off != 0 {
			want = "le(n, sub(x.shape[0], 2))"
		}
		if got := ir.ExprString(v.Cond); got != want {
			t.Errorf("off %d: version test %s, want %s", off, got, want)
		}
		if countChecks(v.Then) != 0 || countChecks(v.Else) != 1 {
			t.Errorf("off %d: fast loop has %d checks (want 0), slow loop %d (want 1)", off,
				countChecks(v.Then), countChecks(v.Else))
		}
		if !strings.Contains(log.String(), "tested once before it") {
			t.Errorf("log does not report the hoisting: %q", log.String())
		}
	}
}

func TestHoistRefuses(t *testing.T) {
	cases := []struct {
		name   string
		start  int64
		rebind bool
	}{
		{"negative start", -1, false},
		{"array rebound in the loop", 0, true},
	}
	for _, c := range cases {
		p, _ := sumLoop(c.start, 0, c.rebind)
		var log strings.Builder
		hoistChecksProgram(p, &log)
		if err := ir.Verify(p); err != nil {
			t.Fatal(err)
		}
		if _, ok := p.Funcs[0].Body[0].(*ir.For); !ok {
			t.Errorf("%s: loop was versioned, want it left alone", c.name)
		}
		if countChecks(p.Funcs[0].Body) != 1 {
			t.Errorf("%s: the check must stay", c.name)
		}
	}
}

func TestHoistInvariantIndex(t *testing.T) {
	// x[j] where the loop does not change j: its own condition, tested
	// before the loop, proves it for every iteration.
	b := newFunc("f")
	x := b.param("x", vec)
	n := b.param("n", i64)
	j := b.param("j", i64)
	k := b.index("k")
	b.add(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1,
		Body: []ir.Stmt{idxCheck(ref(j), x), store(x, ref(j), one)}})
	p := b.prog()
	var log strings.Builder
	hoistChecksProgram(p, &log)
	v, ok := p.Funcs[0].Body[0].(*ir.If)
	if !ok || countChecks(v.Then) != 0 || countChecks(v.Else) != 1 {
		var out strings.Builder
		ir.FprintFunc(&out, p.Funcs[0])
		t.Fatalf("the invariant check was not versioned:\n%s", out.String())
	}
	if got, want := ir.ExprString(v.Cond), ir.ExprString(idxCheck(ref(j), x).Cond); got != want {
		t.Errorf("guard %s, want the check's own condition %s", got, want)
	}
}

func TestHoistIgnoresIndexAssignedInLoop(t *testing.T) {
	// x[j] where the loop assigns j stays checked.
	b := newFunc("f")
	x := b.param("x", vec)
	n := b.param("n", i64)
	j := b.param("j", i64)
	k := b.index("k")
	b.add(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1,
		Body: []ir.Stmt{idxCheck(ref(j), x), store(x, ref(j), one), &ir.Assign{Dst: j, Src: ref(k)}}})
	p := b.prog()
	var log strings.Builder
	hoistChecksProgram(p, &log)
	if _, ok := p.Funcs[0].Body[0].(*ir.For); !ok || countChecks(p.Funcs[0].Body) != 1 {
		t.Errorf("a check on an index the loop assigns was hoisted")
	}
}

// In the unchecked copy of `for i in range(1, n): if x[i] > 0 and x[i] >= x[i + 1]: c += 1`
// (the bounds test before the loop proved x[i] and x[i + 1]), the second comparison reads
// memory it is allowed to whatever the first gives: the condition loses its branch there,
// and keeps it in the checked copy, where x[i + 1] may be out of bounds.
func TestBoundscheckSpeculatesProvedLoads(t *testing.T) {
	b := newFunc("f")
	x := b.param("x", vec)
	n := b.param("n", i64)
	i := b.index("i")
	c := b.local("c", i64)
	t1 := b.local("t1", types.BoolT)
	next := bin(ir.Add, ref(i), ione)
	first := cmp(ir.Gt, load(x, ref(i)), &ir.Const{Type: f64})
	body := []ir.Stmt{
		idxCheck(ref(i), x),
		&ir.Assign{Dst: t1, Src: first},
		// The test repeats the value t1 was given (as propagation leaves it).
		&ir.If{Cond: first, Then: []ir.Stmt{
			idxCheck(next, x),
			&ir.Assign{Dst: t1, Src: cmp(ir.Ge, load(x, ref(i)), load(x, next))},
		}},
		&ir.If{Cond: ref(t1), Then: []ir.Stmt{&ir.Assign{Dst: c, Src: bin(ir.Add, ref(c), ione)}}},
	}
	b.add(&ir.For{Var: i, Start: ione, Stop: ref(n), Step: ione, Sign: 1, Body: body})
	p := b.prog()
	report := run(t, p)
	if !strings.Contains(report, "1 short-circuit conditions of a loop's unchecked copy computed without branches") {
		t.Fatalf("report: %s\n%s", report, listing(p))
	}
	v := p.Funcs[0].Body[0].(*ir.If)
	fast, checked := v.Then[0].(*ir.For), v.Else[0].(*ir.For)
	if a, ok := fast.Body[0].(*ir.Assign); !ok || !strings.Contains(ir.ExprString(a.Src), "band") {
		t.Errorf("the unchecked copy keeps its branch:\n%s", listing(p))
	}
	branches := 0
	ir.VisitStmts(checked.Body, func(s ir.Stmt) {
		if _, ok := s.(*ir.If); ok {
			branches++
		}
	}, nil)
	if branches != 2 {
		t.Errorf("the checked copy lost a branch (%d left):\n%s", branches, listing(p))
	}
}

// `for v in range(n): s += adj[u, v]` indexes a row with t = select(u < 0, u + len, u), which
// the body assigns once before anything reads it: its check is a check of that definition,
// tested before the loop. A read of t before its definition keeps the check in the loop.
func TestBoundscheckHoistsInvariantDefinitions(t *testing.T) {
	for _, readFirst := range []bool{false, true} {
		b := newFunc("f")
		x := b.param("x", vec)
		u := b.param("u", i64)
		n := b.param("n", i64)
		v := b.index("v")
		tv := b.local("t", i64)
		s := b.local("s", f64)
		def := &ir.Assign{Dst: tv, Src: &ir.Select{Cond: cmp(ir.Lt, ref(u), ir.IntConst(0)),
			X: bin(ir.Add, ref(u), dim(x)), Y: ref(u), T: i64}}
		body := []ir.Stmt{def, idxCheck(ref(tv), x), &ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), load(x, ref(tv)))}}
		if readFirst {
			body = append([]ir.Stmt{&ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), &ir.Cast{X: ref(tv), T: f64})}}, body...)
		}
		b.add(&ir.For{Var: v, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1, Body: body})
		p := b.prog()
		report := run(t, p)
		hoisted := strings.Contains(report, "1 bounds checks of a loop")
		if hoisted == readFirst {
			t.Errorf("readFirst=%v: hoisted=%v\n%s\n%s", readFirst, hoisted, report, listing(p))
		}
	}
}

// deepNest builds depth nested loops, each over range(n), whose bodies all
// add x[i] for their own index i before the next loop: every level has a
// check the hoister can version.
func deepNest(depth int) *ir.Program {
	b := newFunc("f")
	x := b.param("x", vec)
	n := b.param("n", i64)
	s := b.local("s", f64)
	var body []ir.Stmt
	for d := depth - 1; d >= 0; d-- {
		k := b.index("k" + string(rune('a'+d)))
		inner := []ir.Stmt{idxCheck(ref(k), x), &ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), load(x, ref(k)))}}
		inner = append(inner, body...)
		body = []ir.Stmt{&ir.For{Var: k, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1, Body: inner}}
	}
	b.add(body...)
	return b.prog()
}

func countLoops(body []ir.Stmt) int {
	n := 0
	ir.VisitStmts(body, func(s ir.Stmt) {
		if _, ok := s.(*ir.For); ok {
			n++
		}
	}, nil)
	return n
}

// Versioning every loop of a nest, the checked copies included, doubled the
// code per level (2^8 copies of an 8-deep body, minutes of GCC). Inside a
// checked copy only innermost loops are versioned now: the growth is
// quadratic in the depth at most, and the innermost loop still has an
// unchecked copy on every path.
func TestHoistDeepNestGrowsPolynomially(t *testing.T) {
	for _, depth := range []int{1, 2, 4, 8} {
		p := deepNest(depth)
		var log strings.Builder
		hoistChecksProgram(p, &log)
		if err := ir.Verify(p); err != nil {
			t.Fatal(err)
		}
		loops := countLoops(p.Funcs[0].Body)
		if limit := depth * (depth + 3); loops > limit {
			t.Errorf("depth %d: %d loops after hoisting, want at most %d", depth, loops, limit)
		}
		// Every innermost loop (no loop inside) sits in an If choosing
		// between an unchecked and a checked copy.
		var bare int
		var walk func(body []ir.Stmt, versioned bool)
		walk = func(body []ir.Stmt, versioned bool) {
			for _, st := range body {
				switch st := st.(type) {
				case *ir.If:
					_, a := firstFor(st.Then)
					_, b := firstFor(st.Else)
					walk(st.Then, a && b)
					walk(st.Else, a && b)
				case *ir.For:
					if !hasLoop(st.Body) && !versioned {
						bare++
					}
					walk(st.Body, false)
				}
			}
		}
		walk(p.Funcs[0].Body, false)
		if bare != 0 {
			t.Errorf("depth %d: %d innermost loops without an unchecked copy", depth, bare)
		}
	}
}

func firstFor(body []ir.Stmt) (*ir.For, bool) {
	if len(body) == 1 {
		f, ok := body[0].(*ir.For)
		return f, ok
	}
	return nil, false
}
