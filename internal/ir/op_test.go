package ir

import "testing"

// Every operator has one listing name, is exactly one of binary and unary,
// and OpNamed reads back what String writes: IR listings and goldens name
// operators by these strings.
func TestOpNames(t *testing.T) {
	seen := map[string]Op{}
	for o := Add; o < numOps; o++ {
		name := o.String()
		if name == "" || name == "?" {
			t.Errorf("operator %d has no name", o)
			continue
		}
		if prev, ok := seen[name]; ok {
			t.Errorf("operators %d and %d are both named %q", prev, o, name)
		}
		seen[name] = o
		if o.IsBinary() == o.IsUnary() {
			t.Errorf("%s: binary %v, unary %v; want exactly one", o, o.IsBinary(), o.IsUnary())
		}
		if got := OpNamed(name); got != o {
			t.Errorf("OpNamed(%q) = %v, want %v", name, got, o)
		}
	}
	if OpNamed("min") != BadOp || BadOp.IsBinary() || BadOp.IsUnary() {
		t.Error("BadOp or an unknown name is taken for an operator")
	}
}

// TypeOf gives bool exactly for the operators documented to give bool.
func TestOpBoolResults(t *testing.T) {
	want := map[Op]bool{Lt: true, Le: true, Gt: true, Ge: true, Eq: true, Ne: true, And: true, Or: true, Not: true}
	x := &Const{Type: f64, F: 1}
	for o := Add; o < numOps; o++ {
		var e Expr = &Bin{Op: o, X: x, Y: x, T: f64}
		if o.IsUnary() {
			e = &Unary{Op: o, X: x, T: f64}
		}
		if got := TypeOf(e).DType == BoolConst(true).Type.DType; got != want[o] {
			t.Errorf("TypeOf(%s(...)) is bool: %v, want %v", o, got, want[o])
		}
	}
}
