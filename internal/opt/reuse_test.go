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
