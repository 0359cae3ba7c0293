package cgen

// Printer coverage: every operator of ir (op.go) prints as C for every
// operand dtype the IR allows it on. A new operator without a C form fails
// here, not in the first program that uses it.

import (
	"fmt"
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// opDTypes are the operand dtypes each operator is defined on.
func opDTypes(o ir.Op) []types.DType {
	ints := []types.DType{types.Int8, types.Int64, types.Uint8, types.Uint64}
	floats := []types.DType{types.Float32, types.Float64}
	complexes := []types.DType{types.Complex64, types.Complex128}
	cat := func(ds ...[]types.DType) []types.DType {
		var out []types.DType
		for _, d := range ds {
			out = append(out, d...)
		}
		return out
	}
	switch o {
	case ir.Add, ir.Sub, ir.Mul, ir.Div, ir.Pow, ir.Neg, ir.Abs, ir.Lt, ir.Le, ir.Gt, ir.Ge, ir.Eq, ir.Ne:
		return cat(ints, floats, complexes)
	case ir.FloorDiv, ir.Mod:
		return cat(ints, floats)
	case ir.And, ir.Or, ir.Not:
		return []types.DType{types.Bool}
	case ir.BitAnd, ir.BitOr, ir.BitXor, ir.Inv:
		return cat(ints, []types.DType{types.Bool})
	case ir.Shl, ir.Shr:
		return ints
	}
	return nil
}

// printExpr prints e as cgen would, turning a panic into an error.
func printExpr(e ir.Expr) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	g := &gen{b: &strings.Builder{}, f: &ir.Func{Name: "f"}}
	return g.expr(e), nil
}

func TestEveryOperatorPrints(t *testing.T) {
	for _, o := range ir.Ops() {
		ds := opDTypes(o)
		if len(ds) == 0 {
			t.Errorf("%s: no operand dtypes listed for the operator in opDTypes", o)
		}
		for _, d := range ds {
			st := types.ScalarOf(d)
			x := &ir.Ref{Var: &ir.Var{Name: "x", Type: st, Param: -1}}
			y := &ir.Ref{Var: &ir.Var{Name: "y", Type: st, Param: -1}}
			var e ir.Expr = &ir.Bin{Op: o, X: x, Y: y, T: st}
			if o.IsUnary() {
				rt := st
				if o == ir.Abs && d.IsComplex() {
					rt = types.ScalarOf(d.RealOf())
				}
				e = &ir.Unary{Op: o, X: x, T: rt}
			}
			s, err := printExpr(e)
			if err != nil {
				t.Errorf("%s on %s: %v", o, d, err)
			} else if !strings.Contains(s, "x") {
				t.Errorf("%s on %s prints %q, which does not read its operand", o, d, s)
			}
		}
	}
}
