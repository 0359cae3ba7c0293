package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// divLoop builds `for i in range(start, n): d = i * i + add; x = 1.0 / d`
// as lowering does: the index copied, the divisor in a temporary, a
// ZeroDivisionError check before the division.
func divLoop(start, add int64) *ir.Program {
	b := newFunc("f")
	n := b.param("n", i64)
	x := b.local("x", f64)
	k := b.index("k")
	i := b.index("i")
	d := b.index("d")
	var e ir.Expr = bin(ir.Mul, ref(i), ref(i))
	if add != 0 {
		e = bin(ir.Add, e, ir.IntConst(add))
	}
	body := []ir.Stmt{
		&ir.Assign{Dst: i, Src: ref(k)},
		&ir.Assign{Dst: d, Src: e},
		&ir.Check{Cond: &ir.Bin{Op: ir.Ne, X: ref(d), Y: ir.IntConst(0), T: types.BoolT}, Err: ir.ErrZeroDiv, Msg: "float division by zero"},
		&ir.Assign{Dst: x, Src: &ir.Bin{Op: ir.Div, X: one, Y: &ir.Cast{X: ref(d), T: f64}, T: f64}},
	}
	b.add(&ir.For{Var: k, Start: ir.IntConst(start), Stop: ref(n), Step: ione, Sign: 1, Body: body})
	return b.prog()
}

func countDivChecks(body []ir.Stmt) int {
	n := 0
	ir.VisitStmts(body, func(s ir.Stmt) {
		if c, ok := s.(*ir.Check); ok && c.Err == ir.ErrZeroDiv {
			n++
		}
	}, nil)
	return n
}

// For i from 1, i*i is at least 1 and does not wrap while i < 2**31: the
// loop is versioned on n <= 2**31, and the fast copy has no check.
func TestDivCheckProvedBelowLimit(t *testing.T) {
	p := divLoop(1, 0)
	report := run(t, p)
	if !strings.Contains(report, "1 division checks") {
		t.Errorf("report: %s", report)
	}
	iff, ok := p.Funcs[0].Body[0].(*ir.If)
	if !ok || ir.ExprString(iff.Cond) != "le(n, 2147483648)" {
		t.Fatalf("want the loop versioned on n <= 2**31:\n%s", listing(p))
	}
	if countDivChecks(iff.Then) != 0 || countDivChecks(iff.Else) != 1 {
		t.Errorf("want no check in the fast copy and one in the other:\n%s", listing(p))
	}
}

// From 0, i*i is 0 in the first iteration; with i*i + 0 the same; from 0
// with i*i + 1 it is at least 1.
func TestDivCheckKeptWhereItCanFire(t *testing.T) {
	for _, c := range []struct {
		start, add int64
		proved     bool
	}{{0, 0, false}, {1, 0, true}, {0, 1, true}, {3, 5, true}} {
		p := divLoop(c.start, c.add)
		report := run(t, p)
		if got := strings.Contains(report, "division checks"); got != c.proved {
			t.Errorf("start %d, +%d: proved = %v, want %v\n%s", c.start, c.add, got, c.proved, listing(p))
		}
		if !c.proved && countDivChecks(p.Funcs[0].Body) != 1 {
			t.Errorf("start %d, +%d: the check is gone:\n%s", c.start, c.add, listing(p))
		}
	}
}
