package types

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sejit/internal/diag"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

const promoteTable = "testdata/promote.txt"

// promoteLines reads testdata/promote.txt, first regenerating it with
// NumPy when -update is given and Python is available.
func promoteLines(t *testing.T) [][]string {
	t.Helper()
	if py := python(); *update && py != "" {
		cmd := exec.Command(py, filepath.Join("testdata", "promote.py"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("promote.py: %v\n%s", err, stderr.String())
		}
		if err := os.WriteFile(promoteTable, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(promoteTable)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Fields(line))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func dtype(t *testing.T, s string) DType {
	t.Helper()
	d, ok := ParseDType(s)
	if !ok {
		t.Fatalf("unknown dtype %q in the table", s)
	}
	return d
}

// TestPromoteMatchesNumPy checks Promote and PromoteWeak against NumPy 2's
// own answers for every pair of dtypes.
func TestPromoteMatchesNumPy(t *testing.T) {
	kinds := map[string]DKind{"bool": KBool, "int": KInt, "float": KFloat, "complex": KComplex}
	var strong, weak int
	for _, f := range promoteLines(t) {
		switch {
		case f[0] == "strong" && len(f) == 4:
			a, b, want := dtype(t, f[1]), dtype(t, f[2]), dtype(t, f[3])
			if got := Promote(a, b); got != want {
				t.Errorf("Promote(%s, %s) = %s, NumPy says %s", a, b, got, want)
			}
			strong++
		case f[0] == "weak" && len(f) == 4:
			k, ok := kinds[f[1]]
			if !ok {
				t.Fatalf("unknown weak kind %q", f[1])
			}
			d, want := dtype(t, f[2]), dtype(t, f[3])
			if got := PromoteWeak(k, d); got != want {
				t.Errorf("PromoteWeak(%s, %s) = %s, NumPy says %s", f[1], d, got, want)
			}
			weak++
		default:
			t.Fatalf("bad table line %q", strings.Join(f, " "))
		}
	}
	if strong != 13*13 || weak != 4*13 {
		t.Errorf("table has %d strong and %d weak entries, want %d and %d", strong, weak, 13*13, 4*13)
	}
}

func TestParseDType(t *testing.T) {
	for i, name := range dtypeNames {
		d, ok := ParseDType(name)
		if !ok || d != DType(i) || d.String() != name {
			t.Errorf("ParseDType(%q) = %v, %v", name, d, ok)
		}
	}
	for alias, want := range map[string]DType{"double": Float64, "single": Float32, "int_": Int64, "intc": Int32,
		"cdouble": Complex128, "csingle": Complex64, "bool_": Bool} {
		if d, ok := ParseDType(alias); !ok || d != want {
			t.Errorf("ParseDType(%q) = %v, %v; want %v", alias, d, ok, want)
		}
	}
	for _, bad := range []string{"float16", "object", "str", "", "Float64"} {
		if _, ok := ParseDType(bad); ok {
			t.Errorf("ParseDType(%q) accepted", bad)
		}
	}
}

func TestJoin(t *testing.T) {
	f32 := ScalarOf(Float32)
	arrC := ArrayOf(Float64, 2, 'C')
	arrA := ArrayOf(Float64, 2, 'A')
	cases := []struct {
		a, b *Type
		want string // "" when the join must fail
	}{
		{UnknownT, Int, "int"},
		{Float, UnknownT, "float"},
		{Int, Int, "int"},
		{Int, Float, "float"}, // i = 0; i = 0.5
		{Float, Int, "float"}, // order does not matter
		{Int, WeakOf(Complex128), "complex"},
		{Int, f32, "float32"},   // NEP 50: a NumPy scalar wins over a Python int
		{f32, Float, "float32"}, // ... and over a Python float
		{f32, ScalarOf(Float64), "float64"},
		{ScalarOf(Int8), ScalarOf(Uint8), "int16"},
		{BoolT, BoolT, "bool"},
		{arrC, arrC, "array(float64, 2d, C)"},
		{arrC, arrA, "array(float64, 2d, A)"}, // layouts join to any
		{arrC, ArrayOf(Float32, 2, 'C'), ""},  // arrays never change dtype
		{arrC, ArrayOf(Float64, 1, 'C'), ""},  // ... or rank
		{arrC, Float, ""},                     // a scalar and an array never join
		{Int, arrC, ""},
		{TupleOf(Int, arrC), TupleOf(Float, arrA), "tuple(float, array(float64, 2d, A))"},
		{TupleOf(Int, Int), TupleOf(Int), ""},
		{TupleOf(Int, arrC), TupleOf(Int, Float), ""},
		{NoneT, NoneT, "none"},
		{NoneT, Int, ""},
	}
	for _, c := range cases {
		got, ok := Join(c.a, c.b)
		switch {
		case c.want == "" && ok:
			t.Errorf("Join(%s, %s) = %s, want no join", c.a, c.b, got)
		case c.want != "" && !ok:
			t.Errorf("Join(%s, %s) failed, want %s", c.a, c.b, c.want)
		case c.want != "" && got.String() != c.want:
			t.Errorf("Join(%s, %s) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}

// A Python bool joined with a Python int is a Python int (`k = True; k = 2`
// leaves k a Python int), so it must stay weak: NumPy computes
// float32_array * k in float32.
func TestJoinBoolThenInt(t *testing.T) {
	got, ok := Join(BoolT, Int)
	if !ok || got.String() != "int" {
		t.Errorf("Join(bool, int) = %v, want the weak int", got)
	}
}

func TestTypeStrings(t *testing.T) {
	for typ, want := range map[*Type]string{
		Int: "int", Float: "float", WeakOf(Complex128): "complex", WeakOf(Int32): "int32",
		ScalarOf(Int64): "int64", BoolT: "bool", ArrayOf(Uint8, 1, 0): "array(uint8, 1d, C)",
		ArrayOf(Float32, 3, 0): "array(float32, 3d, A)", TupleOf(): "tuple()", NoneT: "none", UnknownT: "unknown",
		{Kind: DTypeObj, DType: Float32}: "dtype float32", {Kind: Module, Name: "numpy"}: "module numpy",
	} {
		if got := typ.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}

// ---- inference on small functions ----

func infer(t *testing.T, name, src string, args ...*Type) (*Program, diag.List) {
	t.Helper()
	f := parse(t, name, src, map[string]*resolve.Global{"np": {Kind: "module", Name: "numpy"}})
	return Infer(map[string]*resolve.Func{"f0": f}, "f0", args)
}

func mustInfer(t *testing.T, name, src string, args ...*Type) *Program {
	t.Helper()
	p, errs := infer(t, name, src, args...)
	if len(errs) > 0 {
		t.Fatalf("Infer: %v", errs)
	}
	return p
}

func TestInferIntJoinsFloat(t *testing.T) {
	p := mustInfer(t, "int_to_float", `def f(n):
    s = 0
    for i in range(n):
        s = s + 0.5
    return s
`, Int)
	e := p.Entry()
	if got := e.Info.Vars["s"].String(); got != "float" {
		t.Errorf("s: %s, want float", got)
	}
	if got := e.Info.Vars["i"].String(); got != "int" {
		t.Errorf("i: %s, want int", got)
	}
	if e.Info.Ret.String() != "float" {
		t.Errorf("result: %s, want float", e.Info.Ret)
	}
	if len(p.Specs) != 1 {
		t.Errorf("%d specializations", len(p.Specs))
	}
}

// Array expressions take NEP 50 dtypes: a float32 array and a Python float
// stay float32; a float64 NumPy scalar makes them float64.
func TestInferArrayDTypes(t *testing.T) {
	src := `def f(x, a):
    y = x - a
    z = y * 2
    return z
`
	for _, c := range []struct {
		a    *Type
		want string
	}{
		{Float, "array(float32, 1d, C)"},
		{Int, "array(float32, 1d, C)"},
		{ScalarOf(Float64), "array(float64, 1d, C)"},
		{WeakOf(Complex128), "array(complex64, 1d, C)"},
	} {
		p := mustInfer(t, "nep50", src, ArrayOf(Float32, 1, 'C'), c.a)
		if got := p.Entry().Info.Ret.String(); got != c.want {
			t.Errorf("x float32[:] - a %s: %s, want %s", c.a, got, c.want)
		}
	}
}

func TestInferTypeUnstableVariable(t *testing.T) {
	// Straight-line rebinding to another type is a new version of y.
	src := `def f(x):
    y = 1
    y = x
    return y
`
	p := mustInfer(t, "rebound", src, ArrayOf(Float64, 1, 'C'))
	if got := p.Entry().Info.Ret.String(); got != "array(float64, 1d, C)" {
		t.Errorf("result %s", got)
	}
	// Two types meeting after an if/else stay an error, at the binding
	// that does not fit.
	src = `def f(x, c):
    y = 1
    if c:
        y = x
    return y
`
	_, errs := infer(t, "unstable", src, ArrayOf(Float64, 1, 'C'), Int)
	if len(errs) != 1 {
		t.Fatalf("errors: %v", errs)
	}
	e := errs[0]
	if e.Kind != diag.Type || e.Pos.Line != 4 || e.Pos.Col != 9 {
		t.Errorf("error %v [%s], want a type error at 4:9", e, e.Kind)
	}
	if !strings.Contains(e.Msg, "variable 'y' is array(float64, 1d, C) here but int on another path") {
		t.Errorf("message %q", e.Msg)
	}
	if !strings.Contains(e.Hint, "new variable name") {
		t.Errorf("hint %q", e.Hint)
	}
}

func TestInferReturnTypesDisagree(t *testing.T) {
	src := `def f(x, c):
    if c:
        return x
    return 0
`
	_, errs := infer(t, "two_returns", src, ArrayOf(Float64, 1, 'C'), BoolT)
	if len(errs) == 0 || errs[0].Kind != diag.Type || !strings.Contains(errs[0].Msg, "returns") {
		t.Errorf("errors: %v", errs)
	}
}

func TestInferRecursion(t *testing.T) {
	p := mustInfer(t, "fib", `def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
`, Int)
	if len(p.Specs) != 1 {
		t.Errorf("fib(int) made %d specializations, want 1", len(p.Specs))
	}
	if got := p.Entry().Info.Ret.String(); got != "int" {
		t.Errorf("fib(int) returns %s, want int", got)
	}
	if len(p.Entry().Info.Callees) != 2 {
		t.Errorf("fib has %d typed calls of user functions, want 2", len(p.Entry().Info.Callees))
	}
	for _, s := range p.Entry().Info.Callees {
		if s != p.Entry() {
			t.Errorf("fib's recursive call goes to %s", s.Key())
		}
	}
	p = mustInfer(t, "fib", `def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
`, Float)
	if got := p.Entry().Info.Ret.String(); got != "float" {
		t.Errorf("fib(float) returns %s, want float", got)
	}
}

// A recursive call with other argument types is another specialization,
// and the caller's result joins the callee's.
func TestInferRecursionAcrossSpecializations(t *testing.T) {
	p := mustInfer(t, "halve", `def halve(x, n):
    if n == 0:
        return x
    return halve(x / 2, n - 1)
`, Int, Int)
	if len(p.Specs) != 2 {
		t.Fatalf("%d specializations, want halve(int, int) and halve(float, int)", len(p.Specs))
	}
	if k := p.Specs[1].Key(); k != "f0(float, int)" {
		t.Errorf("second specialization %s", k)
	}
	for _, s := range p.Specs {
		if s.Info.Ret.String() != "float" {
			t.Errorf("%s returns %s, want float", s.Key(), s.Info.Ret)
		}
	}
}

func TestInferRecursionWithoutBase(t *testing.T) {
	_, errs := infer(t, "no_base", `def f(n):
    return f(n - 1)
`, Int)
	if len(errs) == 0 || !strings.Contains(errs[0].Msg, "cannot infer the result type") || errs[0].Kind != diag.Type {
		t.Errorf("errors: %v", errs)
	}
}

func TestInferArgumentCount(t *testing.T) {
	_, errs := infer(t, "two_params", "def f(a, b):\n    return a\n", Int)
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "takes 2 positional arguments but 1 were given") {
		t.Errorf("errors: %v", errs)
	}
}

func TestInferPythonScalarRules(t *testing.T) {
	p := mustInfer(t, "pyscalars", `def f(a, b, t):
    q = a / b
    r = a // b
    s = t + 1
    u = t & t
    return q, r, s, u
`, Int, Int, BoolT)
	want := map[string]string{"q": "float", "r": "int", "s": "int", "u": "bool"}
	for v, w := range want {
		if got := p.Entry().Info.Vars[v].String(); got != w {
			t.Errorf("%s: %s, want %s", v, got, w)
		}
	}
}

func TestInferArrayTruthIsAnError(t *testing.T) {
	_, errs := infer(t, "array_truth", "def f(x):\n    if x:\n        return 1\n    return 0\n", ArrayOf(Float64, 1, 'C'))
	if len(errs) == 0 || errs[0].Kind != diag.Value || !strings.Contains(errs[0].Msg, "ambiguous") {
		t.Errorf("errors: %v", errs)
	}
}

// Side tables are keyed by node: every expression of the body is typed.
func TestInferTypesEveryExpression(t *testing.T) {
	p := mustInfer(t, "poly", `def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1
`, ArrayOf(Float32, 1, 'C'), ArrayOf(Float32, 1, 'C'), Float)
	info := p.Entry().Info
	body := p.Entry().Func.Def.Body
	rhs := body[1].(*pyast.Assign).Value.(*pyast.BinOp)
	for _, e := range []pyast.Expr{rhs, rhs.Left, rhs.Right} {
		if got := info.Types[e]; got == nil || got.String() != "array(float32, 1d, C)" {
			t.Errorf("%T at %v typed %v", e, e.Position(), got)
		}
	}
	if info.Ret.Kind != None {
		t.Errorf("poly returns %s", info.Ret)
	}
}
