package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// A nest in the broadcasting form, y[i] = x[select(s, 0, i)] * 2, gets a
// copy without the select for the case where x is not stretched; the
// original stays for the case where it is.
func TestUnstretchVersionsTheNest(t *testing.T) {
	b := newFunc("f")
	x := b.param("x", vec)
	y := b.param("y", vec)
	s := b.local("s", types.BoolT)
	i := b.index("i")
	b.add(&ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Eq, X: dim(x), Y: ione, T: types.BoolT}})
	idx := &ir.Select{Cond: ref(s), X: ir.IntConst(0), Y: &ir.Select{Cond: ref(s), X: ir.IntConst(0), Y: ref(i), T: i64}, T: i64}
	b.add(nest(i, dim(y), store(y, ref(i), bin(ir.Mul, load(x, idx), two))))
	report := run(t, b.prog())
	if !strings.Contains(report, "1 broadcasting nests given a copy") {
		t.Errorf("report: %s", report)
	}
	var iff *ir.If
	for _, st := range b.f.Body {
		if v, ok := st.(*ir.If); ok {
			iff = v
		}
	}
	if iff == nil || ir.ExprString(iff.Cond) != "s" {
		t.Fatalf("want the nest versioned on s:\n%s", listing(b.prog()))
	}
	if got := listing(&ir.Program{Funcs: []*ir.Func{{Name: "g", Body: iff.Else}}}); strings.Contains(got, "select") ||
		!strings.Contains(got, "x[i]") {
		t.Errorf("the unstretched copy still selects, or does not read x[i]:\n%s", got)
	}
	if got := listing(&ir.Program{Funcs: []*ir.Func{{Name: "g", Body: iff.Then}}}); !strings.Contains(got, "select(s, 0,") {
		t.Errorf("the stretched copy lost its select:\n%s", got)
	}
}

// A flag the nest assigns, and the cold stretching variant, are left alone.
func TestUnstretchLeavesAssignedFlagsAndColdFunctions(t *testing.T) {
	for _, cold := range []bool{false, true} {
		b := newFunc("f")
		b.f.Cold = cold
		x := b.param("x", vec)
		y := b.param("y", vec)
		s := b.local("s", types.BoolT)
		i := b.index("i")
		body := []ir.Stmt{store(y, ref(i), load(x, &ir.Select{Cond: ref(s), X: ir.IntConst(0), Y: ref(i), T: i64}))}
		if !cold {
			body = append([]ir.Stmt{&ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Eq, X: ref(i), Y: ione, T: types.BoolT}}}, body...)
		} else {
			b.add(&ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Eq, X: dim(x), Y: ione, T: types.BoolT}})
		}
		b.add(nest(i, dim(y), body...))
		if report := run(t, b.prog()); strings.Contains(report, "broadcasting nests") {
			t.Errorf("cold=%v: versioned anyway: %s\n%s", cold, report, listing(b.prog()))
		}
	}
}
