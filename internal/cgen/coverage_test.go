package cgen

// Printer coverage: every operator of ir (op.go) and every intrinsic of
// its registry (intrinsics.go) prints as C for every operand dtype the IR
// allows it on, and the C compiles. A new operator or intrinsic without a
// C form fails here, not in the first program that uses it.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// intrinsicCalls builds, for every intrinsic and every dtype its signature
// allows, a call on parameters of the right types, and the function that
// assigns each call to a local.
func intrinsicCalls() (*ir.Func, []*ir.Intrinsic) {
	f := &ir.Func{Name: "f0_all"}
	params := map[types.DType][]*ir.Var{}
	param := func(d types.DType, k int) ir.Expr {
		for len(params[d]) <= k {
			v := &ir.Var{Name: fmt.Sprintf("p_%s_%d", d, len(params[d])), Type: types.ScalarOf(d), Param: len(f.Params)}
			params[d] = append(params[d], v)
			f.Params = append(f.Params, v)
		}
		return &ir.Ref{Var: params[d][k]}
	}
	var calls []*ir.Intrinsic
	for _, fn := range ir.Fns() {
		sig := fn.Info().Sig
		ts := sig.Ts
		if len(ts) == 0 {
			ts = []types.DType{0} // no T slot: one call
		}
		for _, t := range ts {
			dt := func(s ir.Slot) types.DType {
				if s == ir.SlotT {
					return t
				}
				return s
			}
			n := len(sig.Args)
			if sig.Variadic {
				n += 2
			}
			var args []ir.Expr
			for i := 0; i < n; i++ {
				args = append(args, param(dt(sig.Args[min(i, len(sig.Args)-1)]), i))
			}
			call := &ir.Intrinsic{Fn: fn, Args: args, T: types.ScalarOf(dt(sig.Result))}
			calls = append(calls, call)
			dst := &ir.Var{Name: fmt.Sprintf("r%d", len(f.Locals)), Type: call.T, Param: -1}
			f.Locals = append(f.Locals, dst)
			f.Body = append(f.Body, &ir.Assign{Dst: dst, Src: call})
		}
	}
	f.Body = append(f.Body, &ir.Return{})
	return f, calls
}

func TestEveryIntrinsicPrints(t *testing.T) {
	f, calls := intrinsicCalls()
	covered := map[ir.Fn]bool{}
	for _, c := range calls {
		covered[c.Fn] = true
		if _, ok := cIntrinsics[c.Fn]; !ok {
			t.Errorf("%s: no C in cIntrinsics", c.Fn)
			continue
		}
		if _, err := printExpr(c); err != nil {
			t.Errorf("%s on %s: %v", c.Fn, ir.TypeOf(c.Args[0]).DType, err)
		}
	}
	for _, fn := range ir.Fns() {
		if !covered[fn] {
			t.Errorf("%s: no call built for it (its signature allows no dtype)", fn)
		}
	}
	p := &ir.Program{Funcs: []*ir.Func{f}}
	if err := ir.Verify(p); err != nil {
		t.Fatalf("the calls break their own signatures: %v", err)
	}
	if t.Failed() {
		return
	}
	// The C compiles: every helper it names exists in the prelude, with
	// operand types C accepts without a warning.
	cc := ccPath(t)
	file := filepath.Join(t.TempDir(), "all.c")
	if err := os.WriteFile(file, []byte(Program(p)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-std=gnu11", "-fsyntax-only", "-Wall", "-Werror", file).CombinedOutput(); err != nil {
		t.Errorf("the C of every intrinsic does not compile: %v\n%s", err, out)
	}
}

// A call of an intrinsic outside the registry is a bug: cgen refuses it
// instead of printing a C library call of some name.
func TestUnknownIntrinsicPanics(t *testing.T) {
	x := &ir.Ref{Var: &ir.Var{Name: "x", Type: types.ScalarOf(types.Float64), Param: -1}}
	if s, err := printExpr(&ir.Intrinsic{Fn: ir.BadFn, Args: []ir.Expr{x}, T: x.Var.Type}); err == nil {
		t.Errorf("an unknown intrinsic printed as %q", s)
	}
}

// Every helper of ir (helpers.go) has C: a function of the prelude, for
// each real dtype where the helper is generic.
func TestEveryHelperPrints(t *testing.T) {
	parsePrelude()
	real := []types.DType{types.Bool, types.Int8, types.Int16, types.Int32, types.Int64, types.Uint8,
		types.Uint16, types.Uint32, types.Uint64, types.Float32, types.Float64}
	for _, h := range ir.Helpers() {
		ds := []types.DType{types.Float64}
		if dtypeGeneric[h] {
			ds = real
		}
		if hd, ok := helperDTypes[h]; ok {
			ds = hd
		}
		for _, d := range ds {
			f := &ir.Func{Name: h.String(), Extern: h.Info().Writes, Helper: h,
				Params: []*ir.Var{{Name: "p0", Type: types.ArrayOf(d, 1, 'A')}}}
			name, err := func() (s string, err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("%v", r)
					}
				}()
				return calleeC(f), nil
			}()
			if err != nil {
				t.Errorf("%s: %v", h, err)
				continue
			}
			if _, ok := preludeByName[name]; !ok {
				t.Errorf("%s on %s prints as %s, which no prelude section defines", h, d, name)
			}
		}
	}
}

// A check's message reads the same from C's printf of cgen's format as
// from ir.FormatMessage: the text Python raises does not depend on the
// target.
func TestCheckMessagesFormatLikeTheTemplate(t *testing.T) {
	cases := []struct {
		tmpl string
		args []int64
	}{
		{"index {0} is out of bounds for axis 0 with size {1}", []int64{-9, 4}},
		{"shapes ({0},{1}) and ({2},) not aligned: {1} (dim 1) != {2} (dim 0)", []int64{2, 3, -9223372036854775808}},
		{"100% of {{braces}} and %d %s %lld stay", nil},
		{ir.MessageLiteral("user's {text} with 50%% and ??= trigraph"), nil},
		{"size {1} is different from {0}", []int64{7, 8}},
	}
	var b strings.Builder
	b.WriteString("#include <stdio.h>\nint main(void) {\n")
	for _, c := range cases {
		format, order := printfFormat(c.tmpl)
		args := []string{cString(format)}
		for _, k := range order {
			args = append(args, fmt.Sprintf("(long long)(%dLL)", c.args[k]))
		}
		if len(order) == 0 {
			args = append(args, "0")
		}
		fmt.Fprintf(&b, "    printf(%s); putchar(0);\n", strings.Join(args, ", "))
	}
	b.WriteString("    return 0;\n}\n")
	out := buildRun(t, strings.Replace(b.String(), "(-9223372036854775808LL)", "(-9223372036854775807LL - 1)", 1),
		"-Wno-format-extra-args")
	got := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	if len(got) != len(cases) {
		t.Fatalf("read %d messages, want %d: %q", len(got), len(cases), out)
	}
	for i, c := range cases {
		want, err := ir.FormatMessage(c.tmpl, c.args)
		if err != nil {
			t.Fatal(err)
		}
		if got[i] != want {
			t.Errorf("template %q: C printed %q, the template gives %q", c.tmpl, got[i], want)
		}
	}
}
