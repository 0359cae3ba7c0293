package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// ringLoop builds `for i in range(n): x = (i + 1) % m; y = (i - 1) % m`
// as lowering does (the stop copied to a temporary, the index copied, a
// ZeroDivisionError check of the modulus before each modulo), with m the
// parameter n itself or another one.
func ringLoop(sameModulus, reassign bool) *ir.Program {
	b := newFunc("f")
	n := b.param("n", i64)
	other := b.param("m", i64)
	t := b.index("t")
	k := b.index("k")
	i := b.index("i")
	x := b.index("x")
	y := b.index("y")
	m := other
	if sameModulus {
		m = n
	}
	check := func() ir.Stmt {
		return &ir.Check{Cond: &ir.Bin{Op: ir.Ne, X: ref(m), Y: ir.IntConst(0), T: types.BoolT}, Err: ir.ErrZeroDiv,
			Msg: "integer division or modulo by zero"}
	}
	body := []ir.Stmt{
		&ir.Assign{Dst: i, Src: ref(k)},
		check(),
		&ir.Assign{Dst: x, Src: bin(ir.Mod, bin(ir.Add, ref(i), ir.IntConst(1)), ref(m))},
		check(),
		&ir.Assign{Dst: y, Src: bin(ir.Mod, bin(ir.Sub, ref(i), ir.IntConst(1)), ref(m))},
	}
	if reassign {
		body = append(body, &ir.Assign{Dst: n, Src: bin(ir.Add, ref(n), ir.IntConst(1))})
	}
	b.add(&ir.Assign{Dst: t, Src: ref(n)})
	b.add(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ref(t), Step: ione, Sign: 1, Body: body})
	return b.prog()
}

func countMods(body []ir.Stmt) int {
	n := 0
	ir.VisitStmts(body, nil, func(e ir.Expr) {
		if b, ok := e.(*ir.Bin); ok && b.Op == ir.Mod {
			n++
		}
	})
	return n
}

func TestModWrapRing(t *testing.T) {
	p := ringLoop(true, false)
	report := run(t, p)
	if !strings.Contains(report, "2 ring neighbours") || !strings.Contains(report, "2 division checks dropped") {
		t.Errorf("report: %s", report)
	}
	if countMods(p.Funcs[0].Body) != 0 || countDivChecks(p.Funcs[0].Body) != 0 {
		t.Errorf("want no modulo and no check left:\n%s", listing(p))
	}
}

func TestModWrapKeeps(t *testing.T) {
	for name, p := range map[string]*ir.Program{
		"another modulus":        ringLoop(false, false),
		"the modulus reassigned": ringLoop(true, true),
	} {
		run(t, p)
		// (guards drops the second check, which the first proves)
		if countMods(p.Funcs[0].Body) != 2 || countDivChecks(p.Funcs[0].Body) == 0 {
			t.Errorf("%s: want both modulos and the check kept:\n%s", name, listing(p))
		}
	}
}
