package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// tmpLoop builds `for k in range(n): t = alloc[n]; t[0] = 1.0; s = t[0]`,
// and, with escape, `keep = t` after the store.
func tmpLoop(escape bool) (*ir.Program, *ir.Var) {
	b := newFunc("f")
	n := b.param("n", i64)
	s := b.local("s", f64)
	k := b.index("k")
	t := b.local("t", vec)
	keep := b.local("keep", vec)
	b.add(&ir.SetArray{Dst: keep, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ione}}})
	body := []ir.Stmt{
		&ir.SetArray{Dst: t, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}},
		store(t, ir.IntConst(0), one),
		&ir.Assign{Dst: s, Src: load(t, ir.IntConst(0))},
	}
	if escape {
		body = append(body, &ir.SetArray{Dst: keep, Src: &ir.Alias{Src: t}})
	}
	b.add(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1, Body: body})
	b.f.Results = []*types.Type{vec}
	b.add(&ir.Return{Vals: []ir.Expr{&ir.ArrayRef{Var: keep}}})
	return b.prog(), t
}

func TestReuseLoopTemporary(t *testing.T) {
	p, tv := tmpLoop(false)
	report := run(t, p)
	if !strings.Contains(report, "1 arrays allocated in a loop's every iteration reuse one buffer") {
		t.Fatalf("report: %s\n%s", report, listing(p))
	}
	loop := p.Funcs[0].Body[1].(*ir.For)
	allocs := 0
	ir.VisitStmts(loop.Body, func(s ir.Stmt) {
		if sa, ok := s.(*ir.SetArray); ok {
			if _, isAlloc := sa.Src.(*ir.Alloc); isAlloc {
				allocs++
			}
			if sa.Dst == tv {
				t.Errorf("the loop still binds the original variable:\n%s", listing(p))
			}
		}
	}, nil)
	if _, ok := loop.Body[0].(*ir.If); !ok || allocs != 1 {
		t.Errorf("want one allocation, under a test of the buffer's shape:\n%s", listing(p))
	}
}

func TestReuseRefusesEscapingArray(t *testing.T) {
	p, _ := tmpLoop(true)
	if report := run(t, p); strings.Contains(report, "reuse one buffer") {
		t.Errorf("an aliased array reused its buffer:\n%s", listing(p))
	}
}

// carriedLoop builds `b = alloc[n]; for k in range(n): t = alloc[n]; t[0] = b[0] + 1; b = t`
// returning b, and, with keep, `keep = b` in the loop (returned too).
func carriedLoop(keep bool) *ir.Program {
	b := newFunc("f")
	n := b.param("n", i64)
	k := b.index("k")
	arr := b.local("b", vec)
	tmp := b.local("t", vec)
	kept := b.local("keep", vec)
	b.add(&ir.SetArray{Dst: arr, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}})
	b.add(&ir.SetArray{Dst: kept, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}})
	body := []ir.Stmt{
		&ir.SetArray{Dst: tmp, Src: &ir.Alloc{DType: types.Float64, Shape: []ir.Expr{ref(n)}}},
		store(tmp, ir.IntConst(0), &ir.Bin{Op: ir.Add, X: load(arr, ir.IntConst(0)), Y: one, T: f64}),
		&ir.SetArray{Dst: arr, Src: &ir.Alias{Src: tmp}},
	}
	if keep {
		body = append(body, &ir.SetArray{Dst: kept, Src: &ir.Alias{Src: arr}})
	}
	b.add(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1, Body: body})
	b.f.Results = []*types.Type{vec, vec}
	b.add(&ir.Return{Vals: []ir.Expr{&ir.ArrayRef{Var: arr}, &ir.ArrayRef{Var: kept}}})
	return b.prog()
}

func TestReuseCarriedArrayAlternates(t *testing.T) {
	p := carriedLoop(false)
	report := run(t, p)
	if !strings.Contains(report, "1 arrays rebound in a loop's every iteration alternate between two buffers") {
		t.Fatalf("report: %s\n%s", report, listing(p))
	}
	// The allocation is now two, one per buffer, under a test of which one b holds.
	loop := p.Funcs[0].Body[2].(*ir.For)
	choice, ok := loop.Body[0].(*ir.If)
	if !ok {
		t.Fatalf("want the buffer choice first in the loop:\n%s", listing(p))
	}
	if _, ok := choice.Cond.(*ir.Unary); !ok {
		t.Errorf("want the choice to test the buffer b holds:\n%s", listing(p))
	}
	allocs := 0
	ir.VisitStmts(loop.Body, func(s ir.Stmt) {
		if sa, ok := s.(*ir.SetArray); ok {
			if _, isAlloc := sa.Src.(*ir.Alloc); isAlloc {
				allocs++
			}
		}
	}, nil)
	if allocs != 2 {
		t.Errorf("want two allocations (one per buffer), got %d:\n%s", allocs, listing(p))
	}
}

func TestReuseRefusesCarriedArrayKeptElsewhere(t *testing.T) {
	p := carriedLoop(true)
	if report := run(t, p); strings.Contains(report, "alternate between two buffers") {
		t.Errorf("an array kept by another variable alternated:\n%s", listing(p))
	}
}
