package ir

import (
	"strings"
	"testing"

	"sejit/internal/types"
)

// parLoop builds f(x, y) { s = 0; prange k < x.shape[0] { body }; return s }
// with locals s (float64) and t, u (float64).
func parLoop(body func(k, s, t, u, x, y *Var) []Stmt) (*Func, *For) {
	x := &Var{Name: "x", Type: v1, Param: 0}
	y := &Var{Name: "y", Type: v1, Param: 1}
	k := &Var{Name: "k", Type: i64, Param: -1}
	s := &Var{Name: "s", Type: f64, Param: -1}
	t := &Var{Name: "t", Type: f64, Param: -1}
	u := &Var{Name: "u", Type: f64, Param: -1}
	loop := &For{Var: k, Start: IntConst(0), Stop: &Dim{Arr: x, Axis: 0}, Step: IntConst(1), Sign: 1,
		Parallel: true, Body: body(k, s, t, u, x, y)}
	f := &Func{Name: "f", Params: []*Var{x, y}, Results: []*types.Type{f64}, Locals: []*Var{k, s, t, u},
		Body: []Stmt{&Assign{Dst: s, Src: &Const{Type: f64}}, loop, &Return{Vals: []Expr{&Ref{Var: s}}}}}
	return f, loop
}

func at(a, i *Var) []Expr { return []Expr{&Ref{Var: i}} }

func TestPlanParallel(t *testing.T) {
	add := func(v *Var, e Expr) Stmt {
		return &Assign{Dst: v, Src: &Bin{Op: Add, X: &Ref{Var: v}, Y: e, T: f64}}
	}
	cases := []struct {
		name string
		body func(k, s, t, u, x, y *Var) []Stmt
		want string // plan summary, or "error: <substring>"
	}{
		{"reduction and private", func(k, s, t, u, x, y *Var) []Stmt {
			return []Stmt{
				&Assign{Dst: t, Src: &Load{Arr: x, Idx: at(x, k)}},
				&Store{Arr: y, Idx: at(y, k), Src: &Ref{Var: t}},
				add(s, &Ref{Var: t}),
			}
		}, "private [t] reductions [+s]"},
		{"read before assigned", func(k, s, t, u, x, y *Var) []Stmt {
			return []Stmt{
				&Store{Arr: y, Idx: at(y, k), Src: &Ref{Var: t}},
				&Assign{Dst: t, Src: &Load{Arr: x, Idx: at(x, k)}},
			}
		}, "error: t is assigned inside a prange loop"},
		{"assigned on one branch only", func(k, s, t, u, x, y *Var) []Stmt {
			return []Stmt{
				&If{Cond: &Bin{Op: Gt, X: &Load{Arr: x, Idx: at(x, k)}, Y: &Const{Type: f64}, T: types.BoolT},
					Then: []Stmt{&Assign{Dst: t, Src: &Const{Type: f64, F: 1}}}},
				&Store{Arr: y, Idx: at(y, k), Src: &Ref{Var: t}},
			}
		}, "error: t is assigned"},
		{"assigned on both branches", func(k, s, t, u, x, y *Var) []Stmt {
			c := &Bin{Op: Gt, X: &Load{Arr: x, Idx: at(x, k)}, Y: &Const{Type: f64}, T: types.BoolT}
			return []Stmt{
				&If{Cond: c, Then: []Stmt{&Assign{Dst: t, Src: &Const{Type: f64, F: 1}}},
					Else: []Stmt{&Assign{Dst: t, Src: &Const{Type: f64, F: 2}}}},
				&Store{Arr: y, Idx: at(y, k), Src: &Ref{Var: t}},
			}
		}, "private [t] reductions []"},
		{"reduction read elsewhere", func(k, s, t, u, x, y *Var) []Stmt {
			return []Stmt{add(s, &Load{Arr: x, Idx: at(x, k)}), &Store{Arr: y, Idx: at(y, k), Src: &Ref{Var: s}}}
		}, "error: s is assigned"},
		{"store at another element", func(k, s, t, u, x, y *Var) []Stmt {
			return []Stmt{&Store{Arr: y, Idx: []Expr{&Bin{Op: Mul, X: &Ref{Var: k}, Y: IntConst(2), T: i64}},
				Src: &Const{Type: f64}}}
		}, "error: y is written"},
		{"store at k, load at k+1", func(k, s, t, u, x, y *Var) []Stmt {
			return []Stmt{&Store{Arr: y, Idx: at(y, k), Src: &Load{Arr: y,
				Idx: []Expr{&Bin{Op: Add, X: &Ref{Var: k}, Y: IntConst(1), T: i64}}}}}
		}, "error: y is written"},
		{"store and load at k+1", func(k, s, t, u, x, y *Var) []Stmt {
			k1 := func() []Expr { return []Expr{&Bin{Op: Add, X: &Ref{Var: k}, Y: IntConst(1), T: i64}} }
			return []Stmt{&Store{Arr: y, Idx: k1(), Src: &Bin{Op: Mul, X: &Load{Arr: y, Idx: k1()},
				Y: &Const{Type: f64, F: 2}, T: f64}}}
		}, "private [] reductions []"},
		{"return", func(k, s, t, u, x, y *Var) []Stmt {
			return []Stmt{&Return{Vals: []Expr{&Ref{Var: s}}}}
		}, "error: return inside a prange loop"},
		{"break", func(k, s, t, u, x, y *Var) []Stmt { return []Stmt{&Break{}} }, "error: break out of a prange loop"},
		{"break of an inner loop", func(k, s, t, u, x, y *Var) []Stmt {
			return []Stmt{&While{Cond: BoolConst(true), Body: []Stmt{&Break{}}}}
		}, "private [] reductions []"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, loop := parLoop(c.body)
			plan, perr := PlanParallel(f, loop, map[*Func]bool{})
			var got string
			if perr != nil {
				name := ""
				if perr.Var != nil {
					name = perr.Var.Name + " "
				}
				got = "error: " + name + perr.Msg
			} else {
				var priv, red []string
				for _, v := range plan.Private {
					priv = append(priv, v.Name)
				}
				for _, r := range plan.Reductions {
					red = append(red, r.Op+r.Var.Name)
				}
				got = "private [" + strings.Join(priv, " ") + "] reductions [" + strings.Join(red, " ") + "]"
			}
			if want, isErr := strings.CutPrefix(c.want, "error: "); isErr {
				if !strings.HasPrefix(got, "error: "+want) {
					t.Errorf("got %q, want an error starting %q", got, want)
				}
			} else if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestPlanNestKeepsReductionsSerial(t *testing.T) {
	x := &Var{Name: "x", Type: v1, Param: 0}
	i := &Var{Name: "i", Type: i64, Param: -1}
	s := &Var{Name: "s", Type: f64, Param: -1}
	n := &Nest{Vars: []*Var{i}, Bounds: []Expr{&Dim{Arr: x, Axis: 0}}, Body: []Stmt{
		&Assign{Dst: s, Src: &Bin{Op: Add, X: &Ref{Var: s}, Y: &Load{Arr: x, Idx: at(x, i)}, T: f64}}}}
	f := &Func{Name: "f", Params: []*Var{x}, Locals: []*Var{i, s}, Body: []Stmt{n}}
	if _, ok := PlanNest(f, n); ok {
		t.Error("a nest that accumulates into a scalar was planned parallel")
	}
	n.Body = []Stmt{&Store{Arr: x, Idx: at(x, i), Src: &Const{Type: f64}}}
	if plan, ok := PlanNest(f, n); !ok || len(plan.Private) != 0 {
		t.Errorf("an element-wise store nest: plan %+v, ok %v", plan, ok)
	}
	// out[j] += m[i, j] over i: iterations of the outer loop share out's elements.
	m := &Var{Name: "m", Type: m2, Param: 1}
	j := &Var{Name: "j", Type: i64, Param: -1}
	f.Params = append(f.Params, m)
	f.Locals = append(f.Locals, j)
	n.Vars = []*Var{i, j}
	n.Bounds = []Expr{&Dim{Arr: m, Axis: 0}, &Dim{Arr: m, Axis: 1}}
	n.Body = []Stmt{&Store{Arr: x, Idx: at(x, j), Src: &Bin{Op: Add, X: &Load{Arr: x, Idx: at(x, j)},
		Y: &Load{Arr: m, Idx: []Expr{&Ref{Var: i}, &Ref{Var: j}}}, T: f64}}}
	if _, ok := PlanNest(f, n); ok {
		t.Error("a nest accumulating along its outer axis was planned parallel")
	}
}
