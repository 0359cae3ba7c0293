package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

var mat = types.ArrayOf(types.Float64, 2, 'C')

// storeThenIndex builds `y[:] = x; r = M[k, 3] * y.sum()` as lowering
// does: a nest storing the parameter y, M's bounds checks (after the
// statements given), and a reduction nest over y.
func storeThenIndex(between func(b *fb, M *ir.Var) []ir.Stmt) (*ir.Program, *ir.Var) {
	b := newFunc("f")
	x, y, M := b.param("x", vec), b.param("y", vec), b.param("M", mat)
	b.copied(x, M)
	b.f.Results = []*types.Type{f64}
	s, r := b.local("s", f64), b.local("r", f64)
	i, j := b.index("i"), b.index("j")
	b.add(
		eqCheck(dim(y), dim(x)),
		nest(i, dim(y), store(y, ref(i), load(x, ref(i)))),
	)
	b.add(between(b, M)...)
	b.add(
		&ir.Assign{Dst: s, Src: &ir.Const{Type: f64}},
		nest(j, dim(y), &ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), load(y, ref(j)))}),
		&ir.Assign{Dst: r, Src: bin(ir.Mul, &ir.Load{Arr: M, Idx: []ir.Expr{ione, ir.IntConst(3)}}, ref(s))},
		&ir.Return{Vals: []ir.Expr{ref(r)}},
	)
	return b.prog(), y
}

func idxCheckAxis(i ir.Expr, a *ir.Var, axis int) *ir.Check {
	c := idxCheck(i, a)
	d := &ir.Dim{Arr: a, Axis: axis}
	u64 := types.ScalarOf(types.Uint64)
	c.Cond = &ir.Bin{Op: ir.Lt, X: &ir.Cast{X: i, T: u64}, Y: &ir.Cast{X: d, T: u64}, T: types.BoolT}
	c.Args = []ir.Expr{i, d}
	return c
}

func constChecks(b *fb, M *ir.Var) []ir.Stmt {
	return []ir.Stmt{idxCheckAxis(ione, M, 0), idxCheckAxis(ir.IntConst(3), M, 1)}
}

func checksIn(body []ir.Stmt) []string {
	var out []string
	for _, s := range body {
		if c, ok := s.(*ir.Check); ok {
			out = append(out, ir.ExprString(c.Cond))
		}
	}
	return out
}

// The reproducer of the silent difference: y's store must happen before
// M's index check fails. The nests still fuse, behind a test of the two
// checks; the unfused order runs when the test fails.
func TestFuseVersionsChecksMovedAboveStores(t *testing.T) {
	p, y := storeThenIndex(constChecks)
	report := run(t, p)
	body := p.Entry().Body
	var v *ir.If
	for _, s := range body {
		if s, ok := s.(*ir.If); ok {
			v = s
		}
	}
	if v == nil {
		t.Fatalf("no versioned fusion:\n%s", listing(p))
	}
	want := "and(lt(uint64(1), uint64(M.shape[0])), lt(uint64(3), uint64(M.shape[1])))"
	if got := ir.ExprString(v.Cond); got != want {
		t.Errorf("version test %s, want %s", got, want)
	}
	fast, slow := topLevel(v.Then), topLevel(v.Else)
	if len(fast.nests) != 1 || len(checksIn(v.Then)) != 0 {
		t.Errorf("fast version: %d nests, checks %v; want one fused nest and no check:\n%s",
			len(fast.nests), checksIn(v.Then), listing(p))
	}
	if len(slow.nests) != 2 || len(checksIn(v.Else)) != 2 {
		t.Fatalf("slow version: %d nests and checks %v, want the 2 nests and 2 checks:\n%s",
			len(slow.nests), checksIn(v.Else), listing(p))
	}
	// Source order in the slow version: the store, then the checks.
	if st, ok := v.Else[0].(*ir.Nest); !ok || !mentionsVar(st.Body, y) {
		t.Errorf("the slow version does not start with y's store:\n%s", listing(p))
	}
	if _, ok := v.Else[1].(*ir.Check); !ok {
		t.Errorf("the checks do not follow the store in the slow version:\n%s", listing(p))
	}
	if !strings.Contains(report, "2 checks moved above a nest") {
		t.Errorf("report does not tell the versioning:\n%s", report)
	}
}

// A check reading a scalar the moved statements assign is tested with
// the value assigned; one reading an allocation's extent, with its shape.
func TestFuseVersionTestSubstitutes(t *testing.T) {
	p, _ := storeThenIndex(func(b *fb, M *ir.Var) []ir.Stmt {
		k := b.local("k", i64)
		tmp := b.local("tmp", vec)
		return []ir.Stmt{
			&ir.Assign{Dst: k, Src: bin(ir.Add, dim(M), ione)},
			&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(k)}}},
			idxCheck(ref(k), tmp),
			idxCheckAxis(ref(k), M, 1),
		}
	})
	run(t, p)
	v, ok := p.Entry().Body[1].(*ir.If)
	if !ok {
		t.Fatalf("no versioned fusion:\n%s", listing(p))
	}
	want := "and(lt(uint64(add(M.shape[0], 1)), uint64(add(M.shape[0], 1))), " +
		"lt(uint64(add(M.shape[0], 1)), uint64(M.shape[1])))"
	if got := ir.ExprString(v.Cond); got != want {
		t.Errorf("version test %s,\nwant         %s", got, want)
	}
}

// A moved check reading what the test cannot express before the group
// (the stride of an array allocated between the nests) keeps the nests
// apart rather than move above y's store.
func TestFuseStopsAtInexpressibleCheck(t *testing.T) {
	p, _ := storeThenIndex(func(b *fb, M *ir.Var) []ir.Stmt {
		tmp := b.local("tmp", vec)
		return []ir.Stmt{
			&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{dim(M)}}},
			&ir.Check{Cond: &ir.Bin{Op: ir.Eq, X: &ir.Stride{Arr: tmp, Axis: 0}, Y: ione, T: types.BoolT},
				Err: ir.ErrValue, Msg: "stride"},
		}
	})
	run(t, p)
	body := p.Entry().Body
	if n := len(topLevel(body).nests); n != 2 {
		t.Fatalf("%d nests, want the 2 unfused ones:\n%s", n, listing(p))
	}
	for _, s := range body {
		if _, ok := s.(*ir.If); ok {
			t.Errorf("versioned although the test cannot be expressed:\n%s", listing(p))
		}
	}
}

// Checks moved above a nest that only writes the function's own
// temporary need no version: nothing of it outlives a raise.
func TestFuseDoesNotVersionAboveTemporaries(t *testing.T) {
	p, _ := polyIR()
	p.Entry().Body = append(p.Entry().Body[:3:3], append([]ir.Stmt{idxCheck(ione, p.Entry().Params[1])}, p.Entry().Body[3:]...)...)
	report := run(t, p)
	for _, s := range p.Entry().Body {
		if _, ok := s.(*ir.If); ok {
			t.Fatalf("versioned above a temporary's nest:\n%s", listing(p))
		}
	}
	if n := len(topLevel(p.Entry().Body).nests); n != 1 || strings.Contains(report, "checks moved above") {
		t.Errorf("%d nests, want 1 unversioned:\n%s\n%s", n, listing(p), report)
	}
}

// A nest that can raise inside is not fused with one that stores to a
// parameter: the fused loop would store elements the source order never
// reaches.
func TestFuseKeepsFailingNestFromStores(t *testing.T) {
	b := newFunc("f")
	x, y, k := b.param("x", vec), b.param("y", vec), b.param("k", vec)
	b.copied(x, k)
	tmp := b.local("t", vec)
	i, j := b.index("i"), b.index("j")
	b.add(
		eqCheck(dim(y), dim(x)),
		eqCheck(dim(k), dim(x)),
		&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{dim(x)}}},
		nest(i, dim(x), store(y, ref(i), load(x, ref(i)))),
		nest(j, dim(x),
			&ir.Check{Cond: &ir.Bin{Op: ir.Ne, X: load(k, ref(j)), Y: &ir.Const{Type: f64}, T: types.BoolT},
				Err: ir.ErrZeroDiv, Msg: "division by zero"},
			store(tmp, ref(j), bin(ir.Div, load(x, ref(j)), load(k, ref(j))))),
		&ir.Return{},
	)
	p := b.prog()
	run(t, p)
	if n := len(topLevel(p.Entry().Body).nests); n != 2 {
		t.Errorf("%d nests, want 2:\n%s", n, listing(p))
	}
}

// A temporary the group allocates and only the group uses gets a variable
// of its own in the slow version, so the fast version's is still held in
// a scalar (no allocation on the fast path).
func TestFuseVersionKeepsScalarization(t *testing.T) {
	b := newFunc("f")
	x, y, M := b.param("x", vec), b.param("y", vec), b.param("M", mat)
	b.copied(x, M)
	b.f.Results = []*types.Type{f64}
	n, s := b.local("n", i64), b.local("s", f64)
	tmp := b.local("tmp", vec)
	i, j, k := b.index("i"), b.index("j"), b.index("k")
	b.add(
		eqCheck(dim(y), dim(x)),
		nest(i, dim(y), store(y, ref(i), load(x, ref(i)))),
		idxCheckAxis(ione, M, 0),
		&ir.Assign{Dst: n, Src: dim(y)},
		&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}},
		nest(j, ref(n), store(tmp, ref(j), bin(ir.Mul, load(y, ref(j)), two))),
		&ir.Assign{Dst: s, Src: &ir.Const{Type: f64}},
		nest(k, dim(tmp), &ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), load(tmp, ref(k)))}),
		&ir.Return{Vals: []ir.Expr{bin(ir.Mul, ref(s), &ir.Load{Arr: M, Idx: []ir.Expr{ione, ione}})}},
	)
	p := b.prog()
	report := run(t, p)
	var v *ir.If
	for _, st := range p.Entry().Body {
		if st, ok := st.(*ir.If); ok {
			v = st
		}
	}
	if v == nil {
		t.Fatalf("no versioned fusion:\n%s", listing(p))
	}
	fast, slow := topLevel(v.Then), topLevel(v.Else)
	if len(fast.nests) != 1 || len(fast.allocs) != 0 || mentionsVar(v.Then, tmp) {
		t.Errorf("fast version: %d nests, %d allocations, want 1 and 0 (tmp held in a scalar):\n%s", len(fast.nests), len(fast.allocs), listing(p))
	}
	if len(slow.nests) != 3 || len(slow.allocs) != 1 || slow.allocs[0].Dst == tmp {
		t.Errorf("slow version: want the 3 nests and an allocation of its own variable:\n%s", listing(p))
	}
	if !strings.Contains(report, "held in the scalar") {
		t.Errorf("report:\n%s", report)
	}
}
