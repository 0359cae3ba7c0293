package opt

import (
	"strings"
	"testing"

	"sejit/internal/ir"
)

// outerProduct builds `for k in range(n): s = x[k]; for j in range(m):
// t = out[j]; out[j] = t + s * y[j]`, with the inner body changed by
// edit when it is not nil.
func outerProduct(edit func(b *fb, out, y, s, t, j *ir.Var) []ir.Stmt) (*ir.Program, *fb) {
	b := newFunc("outer")
	x, y, out := b.param("x", vec), b.param("y", vec), b.param("out", vec)
	n, m := b.local("n", i64), b.local("m", i64)
	k, j, s, t := b.index("k"), b.index("j"), b.local("s", f64), b.local("t", f64)
	b.add(&ir.Assign{Dst: n, Src: dim(x)}, &ir.Assign{Dst: m, Src: dim(y)})
	inner := []ir.Stmt{
		&ir.Assign{Dst: t, Src: load(out, ref(j))},
		store(out, ref(j), bin(ir.Add, ref(t), bin(ir.Mul, ref(s), load(y, ref(j))))),
	}
	if edit != nil {
		inner = edit(b, out, y, s, t, j)
	}
	b.add(&ir.For{Var: k, Start: ir.IntConst(0), Stop: ref(n), Step: ione, Sign: 1, Body: []ir.Stmt{
		&ir.Assign{Dst: s, Src: load(x, ref(k))},
		&ir.For{Var: j, Start: ir.IntConst(0), Stop: ref(m), Step: ione, Sign: 1, Body: inner},
	}})
	return b.prog(), b
}

func jamOnly(t *testing.T, p *ir.Program) string {
	t.Helper()
	var log strings.Builder
	jamProgram(p, &log)
	if err := ir.Verify(p); err != nil {
		t.Fatalf("%v\n%s", err, listing(p))
	}
	return log.String()
}

func TestJamVersionsTheLoop(t *testing.T) {
	p, _ := outerProduct(nil)
	if log := jamOnly(t, p); !strings.Contains(log, "jammed") {
		t.Fatalf("not jammed: %q\n%s", log, listing(p))
	}
	v, ok := p.Funcs[0].Body[2].(*ir.If)
	if !ok {
		t.Fatalf("want an If choosing the jammed loop, got %T", p.Funcs[0].Body[2])
	}
	cond := ir.ExprString(v.Cond)
	for _, want := range []string{"not(overlap(out, x))", "not(overlap(out, y))"} {
		if !strings.Contains(cond, want) {
			t.Errorf("test %s lacks %s", cond, want)
		}
	}
	// The jammed loop stores out[j] once per four k and loads it once.
	jammed := v.Then[0].(*ir.For)
	stores, loads := 0, 0
	ir.VisitStmts(jammed.Body, func(s ir.Stmt) {
		if _, ok := s.(*ir.Store); ok {
			stores++
		}
	}, func(e ir.Expr) {
		if l, ok := e.(*ir.Load); ok && l.Arr.Name == "out" {
			loads++
		}
	})
	if stores != 1 || loads != 1 {
		t.Errorf("jammed loop: %d stores and %d loads of out, want 1 and 1\n%s", stores, loads, listing(p))
	}
	if got := ir.ExprString(jammed.Step); got != "4" {
		t.Errorf("jammed step %s, want 4", got)
	}
	// The fewer than four iterations left run the loop itself; the
	// original runs whole when the test fails.
	if _, ok := v.Then[2].(*ir.For); !ok || len(v.Else) != 1 {
		t.Errorf("want the remainder loop after the jammed one and the original in else\n%s", listing(p))
	}
}

func TestJamRefuses(t *testing.T) {
	cases := map[string]func(b *fb, out, y, s, t, j *ir.Var) []ir.Stmt{
		// A scalar carried from one iteration to the next.
		"carried": func(b *fb, out, y, s, t, j *ir.Var) []ir.Stmt {
			return []ir.Stmt{
				&ir.Assign{Dst: t, Src: bin(ir.Add, ref(t), load(y, ref(j)))},
				store(out, ref(j), ref(t)),
			}
		},
		// A load of the stored array at another element.
		"neighbour": func(b *fb, out, y, s, t, j *ir.Var) []ir.Stmt {
			return []ir.Stmt{
				&ir.Assign{Dst: t, Src: load(out, bin(ir.Add, ref(j), ione))},
				store(out, ref(j), bin(ir.Add, ref(t), ref(s))),
			}
		},
		// A store whose element depends on the outer loop (through s).
		"outer index": func(b *fb, out, y, s, t, j *ir.Var) []ir.Stmt {
			return []ir.Stmt{store(out, &ir.Cast{X: ref(s), T: i64}, ref(s))}
		},
		// A check inside: the jammed copy would move it.
		"check": func(b *fb, out, y, s, t, j *ir.Var) []ir.Stmt {
			return []ir.Stmt{
				eqCheck(ref(j), ref(j)),
				store(out, ref(j), ref(s)),
			}
		},
	}
	for name, edit := range cases {
		p, _ := outerProduct(edit)
		if log := jamOnly(t, p); log != "" {
			t.Errorf("%s: jammed: %q\n%s", name, log, listing(p))
		}
	}
	// A variable of the loop read after it.
	p, b := outerProduct(nil)
	r := b.local("r", f64)
	f := p.Funcs[0]
	s := f.Body[2].(*ir.For).Body[0].(*ir.Assign).Dst
	f.Body = append(f.Body, &ir.Assign{Dst: r, Src: ref(s)})
	if log := jamOnly(t, p); log != "" {
		t.Errorf("live after: jammed: %q\n%s", log, listing(p))
	}
}
