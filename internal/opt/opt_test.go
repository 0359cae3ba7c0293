package opt

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// go test ./... -update passes -update to every test binary; this package
// has no goldens of its own.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")

// ---- a small IR builder ----

type fb struct{ f *ir.Func }

func newFunc(name string) *fb { return &fb{f: &ir.Func{Name: name}} }

func (b *fb) param(name string, t *types.Type) *ir.Var {
	v := &ir.Var{Name: name, Type: t, Param: len(b.f.Params)}
	b.f.Params = append(b.f.Params, v)
	return v
}

func (b *fb) local(name string, t *types.Type) *ir.Var {
	v := &ir.Var{Name: name, Type: t, Param: -1}
	b.f.Locals = append(b.f.Locals, v)
	return v
}

// copied marks read-only parameters that the overlap guard protects, as
// lowering does for every parameter that is read in nests and not written.
func (b *fb) copied(vs ...*ir.Var) {
	b.f.Copied = make([]bool, len(b.f.Params))
	for _, v := range vs {
		b.f.Copied[v.Param] = true
	}
}

func (b *fb) index(name string) *ir.Var { return b.local(name, i64) }

func (b *fb) add(s ...ir.Stmt) { b.f.Body = append(b.f.Body, s...) }

func (b *fb) prog() *ir.Program { return &ir.Program{Funcs: []*ir.Func{b.f}} }

var (
	i64  = types.ScalarOf(types.Int64)
	f64  = types.ScalarOf(types.Float64)
	vec  = types.ArrayOf(types.Float64, 1, 'C')
	one  = &ir.Const{Type: f64, F: 1}
	two  = &ir.Const{Type: f64, F: 2}
	ione = ir.IntConst(1)
)

func ref(v *ir.Var) ir.Expr                 { return &ir.Ref{Var: v} }
func dim(v *ir.Var) ir.Expr                 { return &ir.Dim{Arr: v, Axis: 0} }
func load(a *ir.Var, i ir.Expr) ir.Expr     { return &ir.Load{Arr: a, Idx: []ir.Expr{i}} }
func store(a *ir.Var, i, x ir.Expr) ir.Stmt { return &ir.Store{Arr: a, Idx: []ir.Expr{i}, Src: x} }
func bin(op ir.Op, x, y ir.Expr) ir.Expr    { return &ir.Bin{Op: op, X: x, Y: y, T: ir.TypeOf(x)} }
func nest(i *ir.Var, bound ir.Expr, body ...ir.Stmt) *ir.Nest {
	return &ir.Nest{Vars: []*ir.Var{i}, Bounds: []ir.Expr{bound}, Body: body}
}
func eqCheck(a, b ir.Expr) ir.Stmt {
	return &ir.Check{Cond: &ir.Bin{Op: ir.Eq, X: a, Y: b, T: types.BoolT}, Err: ir.ErrValue, Msg: "shapes differ"}
}

// run runs every pass with ir.Verify after each and returns the report.
func run(t *testing.T, p *ir.Program) string {
	t.Helper()
	if err := ir.Verify(p); err != nil {
		t.Fatalf("the test's own IR does not verify: %v\n%s", err, listing(p))
	}
	report, err := Run(p, Options{Verify: true})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, listing(p))
	}
	return report
}

func listing(p *ir.Program) string {
	var b strings.Builder
	ir.Fprint(&b, p)
	return b.String()
}

type shape struct {
	nests  []*ir.Nest
	allocs []*ir.SetArray
}

// topLevel lists the nests and allocations of a body, not descending.
func topLevel(body []ir.Stmt) shape {
	var s shape
	for _, st := range body {
		switch st := st.(type) {
		case *ir.Nest:
			s.nests = append(s.nests, st)
		case *ir.SetArray:
			if _, ok := st.Src.(*ir.Alloc); ok {
				s.allocs = append(s.allocs, st)
			}
		}
	}
	return s
}

func mentionsVar(body []ir.Stmt, v *ir.Var) bool {
	found := false
	ir.VisitStmts(body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Store:
			found = found || s.Arr == v
		case *ir.SetArray:
			found = found || s.Dst == v
		case *ir.Assign:
			found = found || s.Dst == v
		}
	}, func(e ir.Expr) { found = found || ir.Mentions(e, v) })
	return found
}

// ---- fusion ----

// y[:] = x + 1; z[:] = y * 2 with y and z both parameters: the caller
// may pass z = y[::-1], and then one loop would read elements of y the
// same loop already overwrote through z, so the nests stay apart.
func TestFuseKeepsWrittenParametersApart(t *testing.T) {
	b := newFunc("f")
	x, y, z := b.param("x", vec), b.param("y", vec), b.param("z", vec)
	b.copied(x)
	n := b.local("n", i64)
	i, j := b.index("i"), b.index("j")
	b.add(
		&ir.Assign{Dst: n, Src: dim(x)},
		eqCheck(dim(y), ref(n)),
		eqCheck(dim(z), ref(n)),
		nest(i, ref(n), store(y, ref(i), bin(ir.Add, load(x, ref(i)), one))),
		nest(j, ref(n), store(z, ref(j), bin(ir.Mul, load(y, ref(j)), two))),
		&ir.Return{},
	)
	p := b.prog()
	run(t, p)
	if top := topLevel(p.Entry().Body); len(top.nests) != 2 {
		t.Fatalf("%d nests, want 2:\n%s", len(top.nests), listing(p))
	}
}

// y = alloc[m]; y[:] = x + 1; z[:] = y * 2; return y, with n = len(x),
// checked m == n and len(z) == n: the second nest's bound is z's extent,
// which the checks have proven equal to the first's, so the nests fuse.
// (x is read only, so the overlap guard keeps it apart from z; y is the
// function's own. Two written parameters would stay apart: the caller may
// pass them overlapping.)
func TestFuseProvenEqualBounds(t *testing.T) {
	b := newFunc("f")
	x, z, m := b.param("x", vec), b.param("z", vec), b.param("m", i64)
	b.copied(x)
	b.f.Results = []*types.Type{vec}
	n := b.local("n", i64)
	y := b.local("y", vec)
	i, j := b.index("i"), b.index("j")
	b.add(
		&ir.Assign{Dst: n, Src: dim(x)},
		&ir.SetArray{Dst: y, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(m)}}},
		eqCheck(dim(y), ref(n)),
		nest(i, ref(n), store(y, ref(i), bin(ir.Add, load(x, ref(i)), one))),
		eqCheck(dim(z), ref(n)),
		nest(j, dim(z), store(z, ref(j), bin(ir.Mul, load(y, ref(j)), two))),
		&ir.Return{Vals: []ir.Expr{&ir.ArrayRef{Var: y}}},
	)
	p := b.prog()
	report := run(t, p)
	top := topLevel(p.Entry().Body)
	if len(top.nests) != 1 {
		t.Fatalf("%d nests after fusion, want 1:\n%s", len(top.nests), listing(p))
	}
	body := top.nests[0].Body
	if len(body) != 2 {
		t.Fatalf("fused nest has %d statements:\n%s", len(body), listing(p))
	}
	// The second store now indexes with the first nest's variable.
	st := body[1].(*ir.Store)
	if st.Arr != z || ir.ExprString(st.Idx[0]) != "i" || ir.ExprString(st.Src) != "mul(y[i], 2.0)" {
		t.Errorf("second store after fusion: %s[%s] = %s", st.Arr.Name, ir.ExprString(st.Idx[0]), ir.ExprString(st.Src))
	}
	// The check between the nests moved above the fused nest.
	checks := 0
	for _, s := range p.Entry().Body {
		if _, ok := s.(*ir.Check); ok {
			checks++
		}
		if s == ir.Stmt(top.nests[0]) && checks != 2 {
			t.Errorf("%d checks precede the fused nest, want 2:\n%s", checks, listing(p))
		}
	}
	if !strings.Contains(report, "fused a nest over [n]") || !strings.Contains(report, "z.shape[0]") {
		t.Errorf("report does not tell the fusion and the merged extents:\n%s", report)
	}
	if slices.Contains(p.Entry().Locals, j) {
		t.Errorf("the second nest's index j is still declared after fusion")
	}
}

// Nests over extents nothing relates stay apart.
func TestFuseUnrelatedBounds(t *testing.T) {
	b := newFunc("f")
	x, y := b.param("x", vec), b.param("y", vec)
	i, j := b.index("i"), b.index("j")
	b.add(
		nest(i, dim(x), store(x, ref(i), bin(ir.Add, load(x, ref(i)), one))),
		nest(j, dim(y), store(y, ref(j), bin(ir.Mul, load(y, ref(j)), two))),
		&ir.Return{},
	)
	p := b.prog()
	report := run(t, p)
	if n := len(topLevel(p.Entry().Body).nests); n != 2 {
		t.Errorf("%d nests, want the 2 unrelated ones:\n%s", n, listing(p))
	}
	if strings.Contains(report, "fused") {
		t.Errorf("report claims a fusion:\n%s", report)
	}
}

// x[:] = x * 2 over [0, m), then y[j] = x[j+1]: iteration j of the second
// nest reads what iteration j+1 of the first writes, so fusing would read
// the old value.
func TestFuseRefusesShiftedRead(t *testing.T) {
	b := newFunc("f")
	x, y := b.param("x", vec), b.param("y", vec)
	m := b.local("m", i64)
	i, j := b.index("i"), b.index("j")
	b.add(
		&ir.Assign{Dst: m, Src: bin(ir.Sub, dim(x), ione)},
		nest(i, ref(m), store(x, ref(i), bin(ir.Mul, load(x, ref(i)), two))),
		nest(j, ref(m), store(y, ref(j), load(x, bin(ir.Add, ref(j), ione)))),
		&ir.Return{},
	)
	p := b.prog()
	run(t, p)
	if n := len(topLevel(p.Entry().Body).nests); n != 2 {
		t.Errorf("%d nests, want 2 (the shifted read must not fuse):\n%s", n, listing(p))
	}
}

// A scalar the first nest writes (a reduction) and the second reads keeps
// them apart.
func TestFuseRefusesScalarDependence(t *testing.T) {
	b := newFunc("f")
	x, y := b.param("x", vec), b.param("y", vec)
	n, s := b.local("n", i64), b.local("s", f64)
	i, j := b.index("i"), b.index("j")
	b.add(
		&ir.Assign{Dst: n, Src: dim(x)},
		&ir.Assign{Dst: s, Src: &ir.Const{Type: f64}},
		nest(i, ref(n), &ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), load(x, ref(i)))}),
		eqCheck(dim(y), ref(n)),
		nest(j, ref(n), store(y, ref(j), bin(ir.Sub, load(x, ref(j)), ref(s)))),
		&ir.Return{},
	)
	p := b.prog()
	run(t, p)
	if n := len(topLevel(p.Entry().Body).nests); n != 2 {
		t.Errorf("%d nests, want 2 (the second reads the finished sum):\n%s", n, listing(p))
	}
}

// A nest writing a view and one reading its base do not fuse: different
// views of one array may meet at different elements.
func TestFuseRefusesViewsOfOneArray(t *testing.T) {
	b := newFunc("f")
	x := b.param("x", vec)
	v := b.local("v", vec)
	n := b.local("n", i64)
	i, j := b.index("i"), b.index("j")
	b.add(
		&ir.Assign{Dst: n, Src: bin(ir.Sub, dim(x), ione)},
		&ir.SetArray{Dst: v, Src: &ir.View{Base: x, Offset: ione, Shape: []ir.Expr{ref(n)}, Strides: []ir.Expr{ione}}},
		nest(i, ref(n), store(v, ref(i), one)),
		nest(j, ref(n), store(x, ref(j), bin(ir.Add, load(x, ref(j)), one))),
		&ir.Return{},
	)
	p := b.prog()
	run(t, p)
	if n := len(topLevel(p.Entry().Body).nests); n != 2 {
		t.Errorf("%d nests, want 2 (v views x shifted by one):\n%s", n, listing(p))
	}
}

// ---- scalarization ----

// DESIGN §1 in IR: t = alloc; nest { t[i] = x[i] - a }; nest { y[i] = t[i] + t[i]*t[i] }.
// After fusion t lives and dies in one iteration and becomes a scalar.
func polyIR() (*ir.Program, *ir.Var) {
	b := newFunc("poly")
	x, y, a := b.param("x", vec), b.param("y", vec), b.param("a", f64)
	b.copied(x)
	n := b.local("n", i64)
	tmp := b.local("t", vec)
	i, j := b.index("i"), b.index("j")
	tj := load(tmp, ref(j))
	b.add(
		&ir.Assign{Dst: n, Src: dim(x)},
		&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}},
		nest(i, ref(n), store(tmp, ref(i), bin(ir.Sub, load(x, ref(i)), ref(a)))),
		eqCheck(dim(y), dim(tmp)),
		nest(j, dim(y), store(y, ref(j), bin(ir.Add, tj, bin(ir.Mul, tj, tj)))),
		&ir.Return{},
	)
	return b.prog(), tmp
}

func TestScalarizeTemporaryOfOneNest(t *testing.T) {
	p, tmp := polyIR()
	report := run(t, p)
	top := topLevel(p.Entry().Body)
	if len(top.nests) != 1 || len(top.allocs) != 0 {
		t.Fatalf("%d nests and %d allocations, want 1 and 0:\n%s", len(top.nests), len(top.allocs), listing(p))
	}
	if mentionsVar(p.Entry().Body, tmp) {
		t.Errorf("the temporary t is still used:\n%s", listing(p))
	}
	if slices.Contains(p.Entry().Locals, tmp) {
		t.Errorf("the temporary t is still declared")
	}
	first, ok := top.nests[0].Body[0].(*ir.Assign)
	if !ok || first.Dst.Type.Kind != types.Scalar || first.Dst.Type.DType != types.Float64 {
		t.Errorf("the fused nest does not start by computing the scalar:\n%s", listing(p))
	}
	if !strings.Contains(report, "array t is held in the scalar") {
		t.Errorf("report:\n%s", report)
	}
	// The check that read t's extent now reads the extent it was made with.
	for _, s := range p.Entry().Body {
		if c, ok := s.(*ir.Check); ok && ir.ExprString(c.Cond) != "eq(y.shape[0], n)" {
			t.Errorf("shape check is %s, want eq(y.shape[0], n)", ir.ExprString(c.Cond))
		}
	}
}

// The same temporary, returned, must exist as an array.
func TestScalarizeKeepsReturnedArray(t *testing.T) {
	p, tmp := polyIR()
	f := p.Entry()
	f.Results = []*types.Type{vec}
	f.Body[len(f.Body)-1] = &ir.Return{Vals: []ir.Expr{&ir.ArrayRef{Var: tmp}}}
	run(t, p)
	top := topLevel(f.Body)
	if len(top.allocs) != 1 || top.allocs[0].Dst != tmp {
		t.Errorf("the returned temporary lost its allocation:\n%s", listing(p))
	}
	if len(top.nests) != 1 {
		t.Errorf("%d nests, want 1 (fusion still applies):\n%s", len(top.nests), listing(p))
	}
	stored := false
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		if st, ok := s.(*ir.Store); ok && st.Arr == tmp {
			stored = true
		}
	}, nil)
	if !stored {
		t.Errorf("the returned temporary is never stored:\n%s", listing(p))
	}
}

// A temporary read in two nests that cannot fuse stays an array.
func TestScalarizeKeepsTemporaryOfTwoNests(t *testing.T) {
	b := newFunc("f")
	x, y := b.param("x", vec), b.param("y", vec)
	n := b.local("n", i64)
	tmp := b.local("t", vec)
	i, j := b.index("i"), b.index("j")
	b.add(
		&ir.Assign{Dst: n, Src: dim(x)},
		&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}},
		nest(i, ref(n), store(tmp, ref(i), load(x, ref(i)))),
		nest(j, dim(y), store(y, ref(j), load(tmp, ref(j)))), // y's extent is unrelated
		&ir.Return{},
	)
	p := b.prog()
	run(t, p)
	if top := topLevel(p.Entry().Body); len(top.allocs) != 1 || len(top.nests) != 2 {
		t.Errorf("%d allocations and %d nests, want 1 and 2:\n%s", len(top.allocs), len(top.nests), listing(p))
	}
}

// A temporary read before it is stored in its nest (its value from an
// earlier iteration would be needed) is not a scalar.
func TestScalarizeNeedsStoreFirst(t *testing.T) {
	b := newFunc("f")
	x := b.param("x", vec)
	n := b.local("n", i64)
	tmp := b.local("t", vec)
	i := b.index("i")
	b.add(
		&ir.Assign{Dst: n, Src: dim(x)},
		&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}},
		nest(i, ref(n),
			store(x, ref(i), load(tmp, ref(i))),
			store(tmp, ref(i), one)),
		&ir.Return{},
	)
	p := b.prog()
	run(t, p)
	if top := topLevel(p.Entry().Body); len(top.allocs) != 1 {
		t.Errorf("a temporary read before it is written was scalarized:\n%s", listing(p))
	}
}

// ---- the pass table ----

func TestPassTableOrder(t *testing.T) {
	pos := map[string]int{}
	for i, p := range Passes {
		if _, dup := pos[p.Name]; dup {
			t.Errorf("pass %s appears twice", p.Name)
		}
		pos[p.Name] = i
		if p.Run == nil {
			t.Errorf("pass %s has no Run", p.Name)
		}
	}
	for i, p := range Passes {
		for _, a := range p.After {
			j, ok := pos[a]
			if !ok {
				t.Errorf("pass %s must run after %s, which is not in the table", p.Name, a)
			} else if j >= i {
				t.Errorf("pass %s must run after %s but runs before it", p.Name, a)
			}
		}
	}
	// The constraints the design names.
	if pos["scalarize"] <= pos["fuse"] {
		t.Errorf("scalarize must follow fuse")
	}
}

// Run applies the passes in table order: the dump of every pass comes in
// that order, and a named pass dumps alone.
func TestRunOrderAndDump(t *testing.T) {
	p, _ := polyIR()
	var all strings.Builder
	if _, err := Run(p, Options{DumpAfter: "all", Dump: &all, Verify: true}); err != nil {
		t.Fatal(err)
	}
	last := -1
	for _, pass := range Passes {
		k := strings.Index(all.String(), "== IR after "+pass.Name+" ==")
		if k < 0 || k < last {
			t.Errorf("dump of %s missing or out of order:\n%s", pass.Name, all.String())
		}
		last = k
	}
	p, _ = polyIR()
	var one strings.Builder
	if _, err := Run(p, Options{DumpAfter: "fuse", Dump: &one}); err != nil {
		t.Fatal(err)
	}
	if strings.Count(one.String(), "== IR after") != 1 || !strings.Contains(one.String(), "== IR after fuse ==") {
		t.Errorf("DumpAfter fuse dumped:\n%s", one.String())
	}
}

// With Verify, Run reports IR that a pass leaves (or finds) broken, naming
// the pass.
func TestRunVerifies(t *testing.T) {
	b := newFunc("f")
	x := b.param("x", vec)
	stray := &ir.Var{Name: "stray", Type: f64, Param: -1} // never declared
	b.add(store(x, ir.IntConst(0), ref(stray)), &ir.Return{})
	p := b.prog()
	_, err := Run(p, Options{Verify: true})
	if err == nil || !strings.Contains(err.Error(), "after "+Passes[0].Name) || !strings.Contains(err.Error(), "stray") {
		t.Errorf("Run with Verify on bad IR: %v", err)
	}
	if _, err := Run(b.prog(), Options{}); err != nil {
		t.Errorf("Run without Verify: %v", err)
	}
}

// ---- pruning ----

// Prune drops the locals no statement mentions and keeps every other one,
// including those only assigned, only read through an extent, or only
// used as a loop variable.
func TestPruneDropsUnusedLocals(t *testing.T) {
	b := newFunc("f")
	x := b.param("x", vec)
	unused := b.local("unused", f64)
	unusedArr := b.local("unused_arr", vec)
	onlyAssigned := b.local("only_assigned", f64)
	viaDim := b.local("via_dim", vec)
	n := b.local("n", i64)
	i := b.index("i")
	b.add(
		&ir.Assign{Dst: onlyAssigned, Src: one},
		&ir.SetArray{Dst: viaDim, Src: &ir.Alias{Src: x}},
		&ir.Assign{Dst: n, Src: dim(viaDim)},
		&ir.For{Var: i, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1,
			Body: []ir.Stmt{store(x, ref(i), two)}},
		&ir.Return{},
	)
	p := b.prog()
	var log strings.Builder
	pruneProgram(p, &log)
	if err := ir.Verify(p); err != nil {
		t.Fatalf("after prune: %v", err)
	}
	var kept []string
	for _, v := range p.Entry().Locals {
		kept = append(kept, v.Name)
	}
	if strings.Join(kept, " ") != "only_assigned via_dim n i" {
		t.Errorf("prune kept %v, want [only_assigned via_dim n i]", kept)
	}
	if slices.Contains(p.Entry().Locals, unused) || slices.Contains(p.Entry().Locals, unusedArr) {
		t.Errorf("unused locals survived")
	}
	if log.String() != "f: dropped 2 unused variables\n" {
		t.Errorf("report %q", log.String())
	}
	// Nothing more to drop: no report.
	log.Reset()
	pruneProgram(p, &log)
	if log.Len() != 0 || len(p.Entry().Locals) != 4 {
		t.Errorf("second prune: %q, %d locals", log.String(), len(p.Entry().Locals))
	}
}
