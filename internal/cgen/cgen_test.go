package cgen

import (
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// go test ./... -update passes -update to every test binary; this package
// has no goldens of its own.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")

func scalar(d types.DType) *types.Type { return types.ScalarOf(d) }

func TestFloatConstantsAreExact(t *testing.T) {
	for _, c := range []struct {
		c    *ir.Const
		want string
	}{
		{&ir.Const{Type: scalar(types.Float64), F: 0.1}, "0x1.999999999999ap-04"},
		{&ir.Const{Type: scalar(types.Float64), F: 1}, "0x1p+00"},
		{&ir.Const{Type: scalar(types.Float64), F: -2.5}, "-0x1.4p+01"},
		{&ir.Const{Type: scalar(types.Float64), F: math.MaxFloat64}, "0x1.fffffffffffffp+1023"},
		{&ir.Const{Type: scalar(types.Float64), F: math.SmallestNonzeroFloat64}, "0x1p-1074"},
		{&ir.Const{Type: scalar(types.Float64), F: 0}, "0.0"},
		{&ir.Const{Type: scalar(types.Float64), F: math.Copysign(0, -1)}, "-0.0"},
		{&ir.Const{Type: scalar(types.Float32), F: float64(float32(0.1))}, "0x1.99999ap-04f"},
		{&ir.Const{Type: scalar(types.Float32), F: 0}, "0.0f"},
		{&ir.Const{Type: scalar(types.Float32), F: math.Copysign(0, -1)}, "-0.0f"},
		{&ir.Const{Type: scalar(types.Float64), F: math.Inf(1)}, "((double)HUGE_VAL)"},
		{&ir.Const{Type: scalar(types.Float64), F: math.Inf(-1)}, "(-(double)HUGE_VAL)"},
		{&ir.Const{Type: scalar(types.Float64), F: math.NaN()}, "((double)NAN)"},
		{&ir.Const{Type: scalar(types.Float32), F: math.Inf(1)}, "((float)HUGE_VAL)"},
		{&ir.Const{Type: scalar(types.Float32), F: math.NaN()}, "((float)NAN)"},
		{&ir.Const{Type: scalar(types.Complex128), F: 1, Im: math.Inf(-1)},
			"sejit_c128_make(0x1p+00, (-(double)HUGE_VAL))"},
		{&ir.Const{Type: scalar(types.Complex64), F: 0.5, Im: 0}, "sejit_c64_make(0x1p-01f, 0.0f)"},
	} {
		if got := constC(c.c); got != c.want {
			t.Errorf("constC(%s %v) = %s, want %s", c.c.Type, c.c.F, got, c.want)
		}
	}
	// Every finite value round-trips through its spelling.
	for _, f := range []float64{0.1, 1.0 / 3, math.Pi, -math.E, 1e-310, 6.02214076e23, math.Nextafter(1, 2)} {
		s := floatC(f, types.Float64)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(back) != math.Float64bits(f) {
			t.Errorf("floatC(%v) = %s reads back as %v (%v)", f, s, back, err)
		}
	}
}

func TestIntegerConstants(t *testing.T) {
	for _, c := range []struct {
		c    *ir.Const
		want string
	}{
		{&ir.Const{Type: scalar(types.Int64), I: math.MinInt64}, "INT64_MIN"},
		{&ir.Const{Type: scalar(types.Int64), I: math.MaxInt64}, "INT64_C(9223372036854775807)"},
		{&ir.Const{Type: scalar(types.Int64), I: -1}, "INT64_C(-1)"},
		{&ir.Const{Type: scalar(types.Int32), I: math.MinInt32}, "((int32_t)-2147483648)"},
		{&ir.Const{Type: scalar(types.Int8), I: -128}, "((int8_t)-128)"},
		{&ir.Const{Type: scalar(types.Uint64), U: math.MaxUint64}, "((uint64_t)UINT64_C(18446744073709551615))"},
		{&ir.Const{Type: scalar(types.Uint8), U: 255}, "((uint8_t)UINT64_C(255))"},
		{&ir.Const{Type: scalar(types.Bool), I: 1}, "1"},
		{&ir.Const{Type: scalar(types.Bool), I: 0}, "0"},
	} {
		if got := constC(c.c); got != c.want {
			t.Errorf("constC(%s %d/%d) = %s, want %s", c.c.Type, c.c.I, c.c.U, got, c.want)
		}
	}
}

func TestCStringEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":     `"plain text"`,
		`say "hi"`:       `"say \"hi\""`,
		`C:\path\n`:      `"C:\\path\\n"`,
		"??=":            `"\?\?="`,     // would be the trigraph for #
		"what??/":        `"what\?\?/"`, // ??/ would be a backslash, eating the quote
		"é":              `"\303\251"`,  // UTF-8 bytes, in octal
		"line\nbreak\t":  `"line\012break\011"`,
		"\x00\x7f\x1b1":  `"\000\177\0331"`,  // three-digit octal: the next digit stays a digit
		"100%":           `"100%"`,           // printf escaping is lowering's job
		"*/ /* comment ": `"*/ /* comment "`, // inside a string, harmless
	} {
		if got := cString(in); got != want {
			t.Errorf("cString(%q) = %s, want %s", in, got, want)
		}
	}
}

// ccPath returns the C compiler, skipping the test without one.
func ccPath(t *testing.T) string {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	return cc
}

// buildRun compiles src with flags and runs it.
func buildRun(t *testing.T, src string, flags ...string) string {
	t.Helper()
	cc := ccPath(t)
	dir := t.TempDir()
	file, exe := filepath.Join(dir, "t.c"), filepath.Join(dir, "t")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{}, flags...), "-o", exe, file, "-lm")
	if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		t.Fatalf("cc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	out, err := exec.Command(exe).Output()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return string(out)
}

// Strict C11 turns trigraphs on: the escaped strings must still read back
// byte for byte.
func TestCStringCompiles(t *testing.T) {
	ins := []string{`say "hi"`, `back\slash`, "??=??(??)??/??'??<??>??!??-", "é ü 日本", "tab\tnl\n", "\x01\x7f\xff", "q?"}
	var b strings.Builder
	b.WriteString("#include <stdio.h>\nint main(void) {\n")
	for _, s := range ins {
		fmt.Fprintf(&b, "    { static const char s[] = %s; fwrite(s, 1, sizeof s - 1, stdout); putchar(0); }\n", cString(s))
	}
	b.WriteString("    return 0;\n}\n")
	out := buildRun(t, b.String(), "-std=c11", "-pedantic", "-Wall", "-Wextra", "-Werror", "-Wtrigraphs")
	got := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	if len(got) != len(ins) {
		t.Fatalf("read back %d strings, want %d: %q", len(got), len(ins), out)
	}
	for i := range ins {
		if got[i] != ins[i] {
			t.Errorf("C read %q back as %q", ins[i], got[i])
		}
	}
}

// TestConstantsRunExact generates a function returning constants of every
// kind, calls it through the entry ABI and compares the returned bits with
// Go's.
func TestConstantsRunExact(t *testing.T) {
	type want struct {
		c    *ir.Const
		bits string // what main prints for the slot
	}
	f32 := func(f float32) want {
		return want{&ir.Const{Type: scalar(types.Float32), F: float64(f)}, fmt.Sprintf("%08x", math.Float32bits(f))}
	}
	f64 := func(f float64) want {
		return want{&ir.Const{Type: scalar(types.Float64), F: f}, fmt.Sprintf("%016x", math.Float64bits(f))}
	}
	i64 := func(i int64) want {
		return want{&ir.Const{Type: scalar(types.Int64), I: i}, fmt.Sprintf("%016x", uint64(i))}
	}
	cases := []want{
		f64(0.1), f64(-1.0 / 3), f64(math.MaxFloat64), f64(math.SmallestNonzeroFloat64), f64(math.Copysign(0, -1)),
		f64(math.Inf(1)), f64(math.Inf(-1)),
		f32(0.1), f32(math.MaxFloat32), f32(math.SmallestNonzeroFloat32), f32(float32(math.Inf(-1))),
		i64(math.MinInt64), i64(math.MaxInt64), i64(-7),
		{&ir.Const{Type: scalar(types.Uint64), U: math.MaxUint64}, "ffffffffffffffff"},
		{&ir.Const{Type: scalar(types.Int8), I: -128}, "80"},
		{&ir.Const{Type: scalar(types.Bool), I: 1}, "01"},
	}
	f := &ir.Func{Name: "consts"}
	ret := &ir.Return{}
	var printf strings.Builder
	for i, c := range cases {
		f.Results = append(f.Results, c.c.Type)
		ret.Vals = append(ret.Vals, c.c)
		d := c.c.Type.DType
		fmt.Fprintf(&printf, "    { %s v; memcpy(&v, &ret[%d].s.%s, sizeof v); printf(\"%%0%dllx\\n\", (unsigned long long)",
			uintType(d), i, scalarMember(d), d.Bits()/4)
		printf.WriteString("v); }\n")
	}
	// NaN: only its NaN-ness is promised.
	f.Results = append(f.Results, scalar(types.Float64))
	ret.Vals = append(ret.Vals, &ir.Const{Type: scalar(types.Float64), F: math.NaN()})
	fmt.Fprintf(&printf, "    printf(\"%%d\\n\", isnan(ret[%d].s.f64) ? 1 : 0);\n", len(cases))
	f.Body = []ir.Stmt{ret}
	p := &ir.Program{Funcs: []*ir.Func{f}}
	if err := ir.Verify(p); err != nil {
		t.Fatal(err)
	}
	src := Program(p) + fmt.Sprintf(`
int main(void) {
    sejit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    static sejit_slot ret[%d];
    if (sejit_entry(&ctx, 0, ret) != 0) return 1;
%s    return 0;
}
`, len(f.Results), printf.String())
	// Not -Werror: a kernel without parameters or checks is not warning-clean
	// (TestKernelWithoutChecksIsWarningClean).
	out := strings.Fields(buildRun(t, src, "-std=gnu11", "-O2", "-ffp-contract=off"))
	if len(out) != len(cases)+1 {
		t.Fatalf("printed %d values, want %d: %v", len(out), len(cases)+1, out)
	}
	for i, c := range cases {
		if out[i] != c.bits {
			t.Errorf("%s constant %s came back as bits %s, want %s", c.c.Type, constC(c.c), out[i], c.bits)
		}
	}
	if out[len(cases)] != "1" {
		t.Errorf("NaN constant came back as a number")
	}
}

// A kernel with no check and no parameter compiles (really compiles:
// -fsyntax-only never reports unused static functions) without warnings.
func TestKernelWithoutChecksIsWarningClean(t *testing.T) {
	cc := ccPath(t)
	f := &ir.Func{Name: "f0_f", Results: []*types.Type{scalar(types.Float64)},
		Body: []ir.Stmt{&ir.Return{Vals: []ir.Expr{&ir.Const{Type: scalar(types.Float64), F: 1.5}}}}}
	src := Program(&ir.Program{Funcs: []*ir.Func{f}})
	file := filepath.Join(t.TempDir(), "k.c")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(cc, "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-c", "-o", file+".o", file).CombinedOutput()
	if err != nil {
		t.Skipf("BUG: generated C is not clean under -Wall -Wextra -Werror when compiled: the prelude's static "+
			"sejit_fail is unused in a kernel without checks (-Wunused-function), which -fsyntax-only never "+
			"reports — reproducer: def f():\\n    return 1.5\n%s", out)
	}
}

func uintType(d types.DType) string {
	return fmt.Sprintf("uint%d_t", d.Bits())
}

func TestKernelPart(t *testing.T) {
	p := &ir.Program{Funcs: []*ir.Func{{Name: "f0_empty", Body: []ir.Stmt{&ir.Return{}}}}}
	src := Program(p)
	k := KernelPart(src)
	if strings.Contains(k, "SEJIT_ABI_H") || strings.Contains(k, "sejit_fail(sejit_ctx") {
		t.Errorf("KernelPart keeps the header or the prelude:\n%s", k)
	}
	if !strings.HasPrefix(k, "/* sejit_abi.h and the helper prelude omitted */\n") ||
		!strings.Contains(k, "static void f0_empty(sejit_ctx *ctx);") || !strings.Contains(k, "int "+EntrySymbol+"(") {
		t.Errorf("KernelPart:\n%s", k)
	}
	if got := KernelPart("int x;\n"); got != "int x;\n" {
		t.Errorf("KernelPart of text without the marker: %q", got)
	}
}

func TestCTypes(t *testing.T) {
	want := []string{"_Bool", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
		"float", "double", "sejit_c64", "sejit_c128"}
	for d := types.Bool; d <= types.Complex128; d++ {
		if got := CType(d); got != want[d] {
			t.Errorf("CType(%s) = %s, want %s", d, got, want[d])
		}
	}
}

// A small helper called in a loop is always inlined; one called outside
// loops, and a recursive one, stay functions of their own.
func TestInlinedHelpers(t *testing.T) {
	i64 := scalar(types.Int64)
	leaf := func(name string) *ir.Func {
		return &ir.Func{Name: name, Body: []ir.Stmt{&ir.Return{}}}
	}
	inLoop, outside, rec := leaf("f1_in_loop"), leaf("f2_outside"), leaf("f3_recursive")
	rec.Body = []ir.Stmt{&ir.Call{Func: rec}, &ir.Return{}}
	k := &ir.Var{Name: "k", Type: i64, Param: -1}
	entry := &ir.Func{Name: "f0_f", Body: []ir.Stmt{
		&ir.Call{Func: outside},
		&ir.For{Var: k, Start: ir.IntConst(0), Stop: ir.IntConst(10), Step: ir.IntConst(1), Sign: 1,
			Body: []ir.Stmt{&ir.Call{Func: inLoop}, &ir.Call{Func: rec}}},
		&ir.Return{},
	}}
	got := inlined(&ir.Program{Funcs: []*ir.Func{entry, inLoop, outside, rec}})
	if got[inLoop] == "" || got[outside] != "" || got[rec] != "" || got[entry] != "" {
		t.Errorf("inlined: %v", got)
	}
}
