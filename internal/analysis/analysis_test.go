package analysis

import (
	"flag"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// go test ./... -update passes -update to every test binary; this package
// has no goldens of its own.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")

var (
	i64 = types.ScalarOf(types.Int64)
	f64 = types.ScalarOf(types.Float64)
)

func ref(v *ir.Var) ir.Expr { return &ir.Ref{Var: v} }

func local(name string, t *types.Type) *ir.Var { return &ir.Var{Name: name, Type: t, Param: -1} }

// workLoop is a prange loop over x's rows whose body has an inner range
// loop to m = n*2 and a nest over the row view's extent.
type workLoop struct {
	loop      *ir.For
	x, n      *ir.Var
	m, row, j *ir.Var
}

func newWorkLoop() *workLoop {
	w := &workLoop{
		x: &ir.Var{Name: "x", Type: types.ArrayOf(types.Float64, 2, 'C'), Param: 0},
		n: &ir.Var{Name: "n", Type: i64, Param: 1},
		m: local("m", i64), row: local("row", types.ArrayOf(types.Float64, 1, 'A')), j: local("j", i64),
	}
	i, k, s := local("i", i64), local("k", i64), local("s", f64)
	w.loop = &ir.For{Var: i, Start: ir.IntConst(0), Stop: &ir.Dim{Arr: w.x, Axis: 0}, Step: ir.IntConst(1), Sign: 1,
		Parallel: true, Body: []ir.Stmt{
			&ir.Assign{Dst: w.m, Src: &ir.Bin{Op: ir.Mul, X: ref(w.n), Y: ir.IntConst(2), T: i64}},
			&ir.SetArray{Dst: w.row, Src: &ir.View{Base: w.x, Offset: &ir.Bin{Op: ir.Mul, X: ref(i),
				Y: &ir.Stride{Arr: w.x, Axis: 0}, T: i64}, Shape: []ir.Expr{&ir.Dim{Arr: w.x, Axis: 1}},
				Strides: []ir.Expr{&ir.Stride{Arr: w.x, Axis: 1}}}},
			&ir.For{Var: w.j, Start: ir.IntConst(0), Stop: ref(w.m), Step: ir.IntConst(1), Sign: 1, Body: []ir.Stmt{
				&ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Add, X: ref(s), Y: &ir.Const{Type: f64, F: 1}, T: f64}}}},
			&ir.Nest{Vars: []*ir.Var{k}, Bounds: []ir.Expr{&ir.Dim{Arr: w.row, Axis: 0}}, Body: []ir.Stmt{
				&ir.Store{Arr: w.row, Idx: []ir.Expr{ref(k)}, Src: &ir.Const{Type: f64, F: 2}}}},
		}}
	return w
}

func TestLoopWorkHoistsBounds(t *testing.T) {
	w := LoopWork(newWorkLoop().loop)
	if !w.Bounded || len(w.Terms) != 2 {
		t.Fatalf("work %+v; want bounded, two terms", w)
	}
	f, n := w.Terms[0], w.Terms[1]
	if f.Nest || ir.ExprString(f.Start) != "0" || ir.ExprString(f.Stop) != "mul(n, 2)" || ir.ExprString(f.Step) != "1" {
		t.Errorf("the inner loop's term is %s, %s, %s; want its bounds hoisted through m's definition",
			ir.ExprString(f.Start), ir.ExprString(f.Stop), ir.ExprString(f.Step))
	}
	if !n.Nest || len(n.Extents) != 1 || ir.ExprString(n.Extents[0]) != "x.shape[1]" {
		t.Errorf("the nest's term is %+v; want the row view's extent as x.shape[1]", n)
	}
}

func TestLoopWorkUnbounded(t *testing.T) {
	for name, mutate := range map[string]func(w *workLoop){
		"a bound assigned twice": func(w *workLoop) {
			w.loop.Body = append(w.loop.Body, &ir.Assign{Dst: w.m, Src: ir.IntConst(3)})
		},
		"a bound read from memory": func(w *workLoop) {
			w.loop.Body[0].(*ir.Assign).Src = &ir.Cast{X: &ir.Load{Arr: w.x, Idx: []ir.Expr{ir.IntConst(0), ir.IntConst(0)}}, T: i64}
		},
		"a bound the loop variable gives": func(w *workLoop) {
			w.loop.Body[0].(*ir.Assign).Src = ref(w.loop.Var)
		},
		"a while loop": func(w *workLoop) {
			w.loop.Body = append(w.loop.Body, &ir.While{Cond: ir.BoolConst(false)})
		},
		"an inner loop with a loop": func(w *workLoop) {
			inner := w.loop.Body[2].(*ir.For)
			inner.Body = append(inner.Body, &ir.While{Cond: ir.BoolConst(false)})
		},
		"a call of a function with a loop": func(w *workLoop) {
			g := &ir.Func{Name: "g", Body: []ir.Stmt{&ir.While{Cond: ir.BoolConst(false)}}}
			w.loop.Body = append(w.loop.Body, &ir.If{Cond: ir.BoolConst(true), Then: []ir.Stmt{&ir.Call{Func: g}}})
		},
	} {
		wl := newWorkLoop()
		mutate(wl)
		if w := LoopWork(wl.loop); w.Bounded || len(w.Terms) != 0 {
			t.Errorf("%s: work %+v, want unbounded", name, w)
		}
	}
}

// nestOf is a one-axis nest over x with body.
func nestOf(i *ir.Var, body ...ir.Stmt) *ir.Nest {
	return &ir.Nest{Vars: []*ir.Var{i}, Bounds: []ir.Expr{ir.IntConst(100)}, Body: body}
}

func sumOf(acc *ir.Var, e ir.Expr) ir.Stmt {
	return &ir.Assign{Dst: acc, Src: &ir.Bin{Op: ir.Add, X: ref(acc), Y: e, T: acc.Type}}
}

func minOf(x, acc *ir.Var, e ir.Expr, op ir.Op) []ir.Stmt {
	better := &ir.Bin{Op: ir.Or, X: &ir.Bin{Op: op, X: ref(x), Y: ref(acc), T: types.BoolT},
		Y: &ir.Bin{Op: ir.Ne, X: ref(x), Y: ref(x), T: types.BoolT}, T: types.BoolT}
	return []ir.Stmt{&ir.Assign{Dst: x, Src: e}, &ir.Assign{Dst: acc, Src: &ir.Select{Cond: better, X: ref(x), Y: ref(acc), T: acc.Type}}}
}

func TestNestReductions(t *testing.T) {
	a := &ir.Var{Name: "a", Type: types.ArrayOf(types.Float64, 1, 'C'), Param: 0}
	i := local("i", i64)
	el := &ir.Load{Arr: a, Idx: []ir.Expr{ref(i)}}
	s, x, mx, c := local("s", f64), local("x", f64), local("mx", f64), local("c", i64)

	fused := nestOf(i, append([]ir.Stmt{sumOf(s, el)}, minOf(x, mx, el, ir.Gt)...)...)
	rs, ok := NestReductions(fused)
	if !ok || len(rs) != 2 || rs[0].Kind != Sum || rs[0].Acc != s || rs[1].Kind != Max || rs[1].Acc != mx || rs[1].Tmp != x {
		t.Fatalf("sum and max fused: %+v, %v", rs, ok)
	}
	if rs, _ := NestReductions(nestOf(i, minOf(x, mx, el, ir.Lt)...)); len(rs) != 1 || rs[0].Kind != Min {
		t.Errorf("min: %+v", rs)
	}
	for name, n := range map[string]*ir.Nest{
		"an integer sum":                 nestOf(i, sumOf(c, &ir.Cast{X: el, T: i64})),
		"a sum reading another's result": nestOf(i, append(minOf(x, mx, el, ir.Gt), sumOf(s, ref(mx)))...),
		"a store":                        nestOf(i, &ir.Store{Arr: a, Idx: []ir.Expr{ref(i)}, Src: ref(s)}),
		"two sums into one accumulator":  nestOf(i, sumOf(s, el), sumOf(s, el)),
		"a min without its NaN rule":     nestOf(i, &ir.Assign{Dst: x, Src: el}, &ir.Assign{Dst: mx, Src: &ir.Select{Cond: &ir.Bin{Op: ir.Lt, X: ref(x), Y: ref(mx), T: types.BoolT}, X: ref(x), Y: ref(mx), T: f64}}),
		"an empty body":                  nestOf(i),
		"a nest of two axes":             {Vars: []*ir.Var{i, local("j", i64)}, Bounds: []ir.Expr{ir.IntConst(2), ir.IntConst(2)}, Body: []ir.Stmt{sumOf(s, el)}},
	} {
		if rs, ok := NestReductions(n); ok {
			t.Errorf("%s: taken for reductions %+v", name, rs)
		}
	}
	// Program keys the facts by node.
	wl := newWorkLoop()
	p := &ir.Program{Funcs: []*ir.Func{{Name: "f", Body: []ir.Stmt{fused, wl.loop}}}}
	info := Program(p)
	if len(info.Reductions[fused]) != 2 || info.Work[wl.loop] == nil || !info.Work[wl.loop].Bounded {
		t.Errorf("Program: reductions %v, work %v", info.Reductions, info.Work)
	}
}

func TestShort(t *testing.T) {
	k, j, s := local("k", i64), local("j", i64), local("s", f64)
	n := &ir.Var{Name: "n", Type: i64, Param: 0}
	add := &ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Add, X: ref(s), Y: &ir.Const{Type: f64, F: 1}, T: f64}}
	loop := func(v *ir.Var, start, stop, step int64, body ...ir.Stmt) *ir.For {
		return &ir.For{Var: v, Start: ir.IntConst(start), Stop: ir.IntConst(stop), Step: ir.IntConst(step), Sign: 1, Body: body}
	}
	for _, c := range []struct {
		name string
		body []ir.Stmt
		want bool
	}{
		{"no loop", []ir.Stmt{add}, true},
		{"three components", []ir.Stmt{loop(k, 0, 3, 1, add)}, true},
		{"both versions of a checked loop", []ir.Stmt{&ir.If{Cond: ir.BoolConst(true),
			Then: []ir.Stmt{loop(k, 0, 3, 1, add)}, Else: []ir.Stmt{loop(k, 0, 3, 1, add)}}}, true},
		{"8 by 8", []ir.Stmt{loop(k, 0, 8, 1, loop(j, 0, 8, 1, add))}, true},
		{"8 by 9", []ir.Stmt{loop(k, 0, 8, 1, loop(j, 0, 9, 1, add))}, false},
		{"a step of 10 to 500", []ir.Stmt{loop(k, 0, 500, 10, add)}, true},
		{"65 iterations", []ir.Stmt{loop(k, 0, 65, 1, add)}, false},
		{"a bound not constant", []ir.Stmt{&ir.For{Var: k, Start: ir.IntConst(0), Stop: ref(n), Step: ir.IntConst(1),
			Sign: 1, Body: []ir.Stmt{add}}}, false},
		{"a while loop", []ir.Stmt{&ir.While{Cond: ir.BoolConst(false)}}, false},
	} {
		if got := Short(c.body); got != c.want {
			t.Errorf("%s: Short = %v, want %v", c.name, got, c.want)
		}
	}
}
