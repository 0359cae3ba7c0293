package cgen

import (
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// A prange loop whose body has loops with bounds known before it weighs
// their trip counts against ParMinTrip (analysis.Work): the bound of the
// inner range loop is hoisted through its single definition, the nest's
// extent through the row view to the array's.
func TestPrangeWorkCondition(t *testing.T) {
	i64 := types.ScalarOf(types.Int64)
	f64 := types.ScalarOf(types.Float64)
	x := &ir.Var{Name: "a_x", Type: types.ArrayOf(types.Float64, 2, 'C'), Param: 0}
	n := &ir.Var{Name: "v_n", Type: i64, Param: 1}
	i := &ir.Var{Name: "v_i", Type: i64, Param: -1}
	j := &ir.Var{Name: "v_j", Type: i64, Param: -1}
	k := &ir.Var{Name: "v_k", Type: i64, Param: -1}
	m := &ir.Var{Name: "t_m", Type: i64, Param: -1}
	row := &ir.Var{Name: "t_row", Type: types.ArrayOf(types.Float64, 1, 'A'), Param: -1}
	s := &ir.Var{Name: "v_s", Type: f64, Param: -1}
	body := []ir.Stmt{
		&ir.Assign{Dst: m, Src: &ir.Bin{Op: ir.Mul, X: &ir.Ref{Var: n}, Y: ir.IntConst(2), T: i64}},
		&ir.SetArray{Dst: row, Src: &ir.View{Base: x, Offset: &ir.Bin{Op: ir.Mul, X: &ir.Ref{Var: i}, Y: &ir.Stride{Arr: x, Axis: 0}, T: i64},
			Shape: []ir.Expr{&ir.Dim{Arr: x, Axis: 1}}, Strides: []ir.Expr{&ir.Stride{Arr: x, Axis: 1}}}},
		&ir.For{Var: j, Start: ir.IntConst(0), Stop: &ir.Ref{Var: m}, Step: ir.IntConst(1), Sign: 1, Body: []ir.Stmt{
			&ir.Assign{Dst: s, Src: &ir.Bin{Op: ir.Add, X: &ir.Ref{Var: s}, Y: &ir.Const{Type: f64, F: 1}, T: f64}}}},
		&ir.Nest{Vars: []*ir.Var{k}, Bounds: []ir.Expr{&ir.Dim{Arr: row, Axis: 0}}, Body: []ir.Stmt{
			&ir.Store{Arr: row, Idx: []ir.Expr{&ir.Ref{Var: k}}, Src: &ir.Const{Type: f64, F: 2}}}},
	}
	f := &ir.Func{Name: "f0_w", Params: []*ir.Var{x, n}, Locals: []*ir.Var{i, j, k, m, row, s},
		Body: []ir.Stmt{&ir.For{Var: i, Start: ir.IntConst(0), Stop: &ir.Dim{Arr: x, Axis: 0}, Step: ir.IntConst(1), Sign: 1, Parallel: true, Body: body}, &ir.Return{}}}
	src := ProgramOpts(&ir.Program{Funcs: []*ir.Func{f}}, Options{Parallel: true}).Source
	want := "if (pn3 >= 2 && (double)pn3 * (1.0 + (double)sejit_trip(INT64_C(0), ((int64_t)((uint64_t)(v_n) * (uint64_t)(INT64_C(2)))), INT64_C(1)) + (double)(a_x_n1)) >= 4096.0 && sejit_par_idle()) {"
	if !strings.Contains(src, want) {
		t.Errorf("the prange loop's size test is not\n%s\nin\n%s", want, KernelPart(src))
	}
}
