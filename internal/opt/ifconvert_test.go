package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// swapLoop builds `for j in range(n): if x[j] > x[j + 1]: x[j] = x[j + 1];
// x[j + 1] = x[dst]` where dst is j (an address the condition loaded) or
// a constant (one it did not).
func swapLoop(loadedDst bool) *ir.Program {
	b := newFunc("f")
	x := b.param("x", vec)
	n := b.param("n", i64)
	j := b.index("j")
	next := bin(ir.Add, ref(j), ione)
	var dst ir.Expr = ref(j)
	if !loadedDst {
		dst = ir.IntConst(0)
	}
	cond := &ir.Bin{Op: ir.Gt, X: load(x, ref(j)), Y: load(x, next), T: types.BoolT}
	b.add(&ir.For{Var: j, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1, Body: []ir.Stmt{
		&ir.If{Cond: cond, Then: []ir.Stmt{store(x, ref(j), load(x, next)), store(x, dst, one)}},
	}})
	b.add(&ir.Return{})
	return b.prog()
}

func TestIfConvertCompareAndSwap(t *testing.T) {
	p := swapLoop(true)
	if report := run(t, p); !strings.Contains(report, "1 conditional stores in a loop made selects") {
		t.Fatalf("report: %s\n%s", report, listing(p))
	}
	ir.VisitStmts(p.Funcs[0].Body, func(s ir.Stmt) {
		if _, ok := s.(*ir.If); ok {
			t.Errorf("a branch is left:\n%s", listing(p))
		}
	}, nil)
}

func TestIfConvertKeepsStoreToAnotherAddress(t *testing.T) {
	p := swapLoop(false)
	if report := run(t, p); strings.Contains(report, "made selects") {
		t.Fatalf("a store to an address the condition did not load was made unconditional:\n%s", listing(p))
	}
}
