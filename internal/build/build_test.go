package build

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// needCC skips a test when no C compiler is installed: go test must pass on
// a machine without one.
func needCC(t *testing.T) string {
	t.Helper()
	cc := os.Getenv("SEJIT_CC")
	if cc == "" {
		cc = "cc"
	}
	if _, err := exec.LookPath(cc); err != nil {
		t.Skipf("no C compiler (%s): %v", cc, err)
	}
	return cc
}

func TestFlags(t *testing.T) {
	tests := []struct {
		opts     Options
		fastmath bool
	}{
		{Options{}, false},
		{Options{FastMath: true}, true},
	}
	for _, tt := range tests {
		f := Flags(tt.opts)
		for _, want := range []string{"-O3", "-march=native", "-std=gnu11", "-fPIC", "-shared",
			"-fno-math-errno", "-ffp-contract=off", "-fwrapv", "-fno-strict-aliasing"} {
			if !slices.Contains(f, want) {
				t.Errorf("Flags(%+v) = %v, missing %s", tt.opts, f, want)
			}
		}
		if got := slices.Contains(f, "-ffast-math"); got != tt.fastmath {
			t.Errorf("Flags(%+v) has -ffast-math = %v, want %v", tt.opts, got, tt.fastmath)
		}
	}
}

// Only large units give up GCC's loop versions for strides (a compile-time
// saving that costs small kernels speed).
func TestFlagsLargeUnit(t *testing.T) {
	const flag = "-fno-version-loops-for-strides"
	if f := Flags(Options{}); slices.Contains(f, flag) {
		t.Errorf("Flags of a small unit = %v, want without %s", f, flag)
	}
	if f := Flags(Options{Large: true}); !slices.Contains(f, flag) || !slices.Contains(f, "-O3") {
		t.Errorf("Flags of a large unit = %v, want -O3 and %s", f, flag)
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBuild(t *testing.T) {
	cc := needCC(t)
	dir := t.TempDir()
	src := writeFile(t, dir, "k.c", "#include <math.h>\ndouble k(double x) { return sqrt(x) * 2.0; }\n")
	out := filepath.Join(dir, "k.so")
	if err := Build(context.Background(), cc, src, out, Flags(Options{})); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 {
		t.Fatal("empty shared object")
	}
}

func TestBuildError(t *testing.T) {
	cc := needCC(t)
	dir := t.TempDir()
	src := writeFile(t, dir, "bad.c", "int f(void) {\n  return undeclared_name;\n}\n")
	err := Build(context.Background(), cc, src, filepath.Join(dir, "bad.so"), Flags(Options{}))
	var ce *CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("Build = %v, want a *CompileError", err)
	}
	msg := err.Error()
	for _, want := range []string{"undeclared_name", "error:", src} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not mention %q:\n%s", want, msg)
		}
	}
}

// TestBuildRetriesWithoutNative uses a compiler wrapper that rejects
// -march=native the way gcc does on targets without it.
func TestBuildRetriesWithoutNative(t *testing.T) {
	cc := needCC(t)
	real, err := exec.LookPath(cc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wrapper := writeFile(t, dir, "fussy-cc", `#!/bin/sh
for a in "$@"; do
  if [ "$a" = "-march=native" ]; then
    echo "cc1: error: unrecognized command-line option '-march=native'" >&2
    exit 1
  fi
done
exec "`+real+`" "$@"
`)
	if err := os.Chmod(wrapper, 0o700); err != nil {
		t.Fatal(err)
	}
	src := writeFile(t, dir, "k.c", "int k(int x) { return x + 1; }\n")
	if err := Build(context.Background(), wrapper, src, filepath.Join(dir, "k.so"), Flags(Options{})); err != nil {
		t.Fatalf("Build did not retry without -march=native: %v", err)
	}
}

func TestMissingCompiler(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		err  func() error
	}{
		{"Compiler", func() error { _, err := Compiler("sejit-no-such-cc"); return err }},
		{"Build", func() error {
			src := writeFile(t, dir, "k.c", "int k;\n")
			return Build(context.Background(), "sejit-no-such-cc", src, filepath.Join(dir, "k.so"), nil)
		}},
	}
	for _, tt := range tests {
		err := tt.err()
		if err == nil {
			t.Fatalf("%s: no error for a missing compiler", tt.name)
		}
		want := "C compiler 'sejit-no-such-cc' not found (set SEJIT_CC to a C compiler)"
		var me *MissingError
		if err.Error() != want || !errors.As(err, &me) {
			t.Errorf("%s: error %q, want a *MissingError %q", tt.name, err, want)
		}
	}
}

func TestCompilerStamp(t *testing.T) {
	cc := needCC(t)
	found, err := exec.LookPath(cc)
	if err != nil {
		t.Fatal(err)
	}
	real, err := filepath.EvalSymlinks(found)
	if err != nil {
		t.Fatal(err)
	}
	// A symlink to the compiler stamps the compiler itself.
	link := filepath.Join(t.TempDir(), "mycc")
	if err := os.Symlink(found, link); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{cc, link} {
		s, err := Compiler(name)
		if err != nil {
			t.Fatal(err)
		}
		if s.Path != real {
			t.Errorf("Compiler(%q).Path = %q, want %q", name, s.Path, real)
		}
		if s.Size <= 0 || s.MtimeNs <= 0 {
			t.Errorf("Compiler(%q) = %+v: no size or time", name, s)
		}
		if s.Version == "" {
			t.Errorf("Compiler(%q) has no version", name)
		}
	}
}

// TestBuildCrashingCompiler: a compiler killed by a signal, with no output,
// is a *CompileError that still says what happened and where the C is.
func TestBuildCrashingCompiler(t *testing.T) {
	dir := t.TempDir()
	crash := writeFile(t, dir, "crash-cc", "#!/bin/sh\nkill -SEGV $$\n")
	if err := os.Chmod(crash, 0o700); err != nil {
		t.Fatal(err)
	}
	src := writeFile(t, dir, "k.c", "int k;\n")
	err := Build(context.Background(), crash, src, filepath.Join(dir, "k.so"), Flags(Options{}))
	var ce *CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("Build = %v, want a *CompileError", err)
	}
	for _, want := range []string{"segmentation fault", "the generated C is kept at " + src} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%s", want, err)
		}
	}
}
