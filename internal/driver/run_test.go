package driver

// Kernels built and run without Python (DESIGN §2: generated kernels are
// plain C with a fixed calling convention, which "lets Go tests call
// compiled kernels directly"). The test appends a C main to the generated
// translation unit that fills sejit_array descriptors, calls sejit_entry
// and prints the results as hex floats, then compares them bit for bit with
// the same arithmetic done in Go.

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// buildAndRun compiles src (a whole translation unit plus a main) with
// warnings as errors and runs it with args, returning its standard output.
func buildAndRun(t *testing.T, src string, args ...string) (string, error) {
	return buildAndRunFlags(t, src, []string{"-Werror"}, args...)
}

// buildAndRunFlags is buildAndRun with extra compiler flags.
func buildAndRunFlags(t *testing.T, src string, extra []string, args ...string) (string, error) {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	dir := t.TempDir()
	file, exe := filepath.Join(dir, "kernel.c"), filepath.Join(dir, "kernel")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// The numerics flags are build.Flags' (no FMA contraction, defined
	// overflow), so results are those of separately rounded operations.
	flags := append([]string{"-O2", "-std=gnu11", "-Wall", "-Wextra", "-ffp-contract=off",
		"-fno-math-errno", "-fwrapv", "-fno-strict-aliasing"}, extra...)
	out, err := exec.Command(cc, append(flags, "-o", exe, file, "-lm")...).CombinedOutput()
	if err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	cmd := exec.Command(exe, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if stderr.Len() > 0 {
		t.Logf("kernel stderr: %s", stderr.String())
	}
	return string(stdout), err
}

// polyMain calls the poly kernel on n float32 elements x[i] = x0 + i*dx
// (a float32 sequence computed in C exactly as polyInputs computes it in
// Go) with y of ny elements, and prints y as hex floats, or the error.
const polyMain = `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int refuse_alloc(sejit_ctx *ctx, int dtype, int ndim, const int64_t *shape, sejit_array *out) {
    (void)dtype; (void)ndim; (void)shape; (void)out;
    ctx->err = SEJIT_ERR_MEMORY;
    snprintf(ctx->msg, sizeof ctx->msg, "this test allocates nothing");
    return -1;
}

static int heap_alloc(sejit_ctx *ctx, int dtype, int ndim, const int64_t *shape, sejit_array *out) {
    (void)ctx;
    if (dtype != SEJIT_FLOAT32 || ndim != 1) return -1;
    memset(out, 0, sizeof *out);
    out->data = calloc((size_t)shape[0] + 1, sizeof(float));
    out->obj = out->data;
    out->shape[0] = shape[0];
    out->strides[0] = 1;
    return 0;
}

/* argv: n ny x0 dx a [mode]; mode "same" passes x's memory as y, "shifted"
 * passes x's memory from its second element on as y (ny = n - 1). Both
 * get an allocator that works. */
int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) return 2;
    const char *mode = argc == 7 ? argv[6] : "distinct";
    int64_t n = strtoll(argv[1], 0, 10), ny = strtoll(argv[2], 0, 10);
    float x0 = strtof(argv[3], 0), dx = strtof(argv[4], 0);
    double a = strtod(argv[5], 0);
    float *xs = calloc((size_t)n + 1, sizeof *xs), *ys = calloc((size_t)ny + 1, sizeof *ys);
    for (int64_t i = 0; i < n; i++) xs[i] = x0 + (float)i * dx;
    for (int64_t i = 0; i < ny; i++) ys[i] = -1.0f;
    sejit_array x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    x.data = (char *)xs; x.shape[0] = n; x.strides[0] = 1;
    y.data = (char *)ys; y.shape[0] = ny; y.strides[0] = 1;
    if (strcmp(mode, "same") == 0) y.data = (char *)xs;
    if (strcmp(mode, "shifted") == 0) y.data = (char *)(xs + 1);
#ifdef GUARD_X
    /* The runtime's overlap guard (the ABI's guard list names x): an
     * overlapping x is passed as a copy. */
    float *xcopy = NULL;
    if (strcmp(mode, "distinct") != 0) {
        xcopy = malloc((size_t)n * sizeof *xcopy + 1);
        memcpy(xcopy, xs, (size_t)n * sizeof *xcopy);
        x.data = (char *)xcopy;
    }
#endif
    sejit_scalar s;
    memset(&s, 0, sizeof s);
    s.f64 = a;
    void *args[3] = {&x, &y, &s};
    sejit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.alloc = strcmp(mode, "distinct") == 0 ? refuse_alloc : heap_alloc;
    sejit_slot ret[1];
    if (sejit_entry(&ctx, args, ret) != 0) {
        printf("error %d: %s\n", ctx.err, ctx.msg);
        return 0;
    }
    const float *out = (const float *)y.data;
    for (int64_t i = 0; i < ny; i++) printf("%a\n", (double)out[i]);
    free(xs);
    free(ys);
    return 0;
}
`

func polyC(t *testing.T) string {
	t.Helper()
	c := loadGolden(t, filepath.Join("testdata", "poly.txtar"))
	if len(c.ast) == 0 {
		t.Fatal("poly.txtar has no ast.json")
	}
	comp, errs := compile(c.request())
	failOn(t, "compile", errs)
	return comp.CSource + polyMain
}

// polyInputs is the Go side of the input sequence in polyMain.
func polyInputs(n int, x0, dx float32) []float32 {
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = x0 + float32(float32(i)*dx)
	}
	return xs
}

// polyRef is DESIGN §1's poly in float32, one rounding per operation: NEP 50
// casts the weak Python float to float32 first.
func polyRef(x float32, a float64) float32 {
	x1 := x - float32(a)
	return x1 + float32(x1*x1)
}

func TestRunPolyKernel(t *testing.T) {
	src := polyC(t)
	const n, x0, dx, a = 1001, float32(-2.5), float32(0.0078125 * 0.9), 3.141
	out, err := buildAndRun(t, src, strconv.Itoa(n), strconv.Itoa(n),
		strconv.FormatFloat(float64(x0), 'g', -1, 32), strconv.FormatFloat(float64(dx), 'g', -1, 32),
		strconv.FormatFloat(a, 'g', -1, 64))
	if err != nil {
		t.Fatalf("kernel: %v\n%s", err, out)
	}
	lines := strings.Fields(out)
	if len(lines) != n {
		t.Fatalf("kernel printed %d values, want %d:\n%.500s", len(lines), n, out)
	}
	bad := 0
	for i, x := range polyInputs(n, x0, dx) {
		got, err := strconv.ParseFloat(lines[i], 64)
		if err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
		want := polyRef(x, a)
		if math.Float32bits(float32(got)) != math.Float32bits(want) || float64(float32(got)) != got {
			if bad++; bad <= 5 {
				t.Errorf("y[%d] = %v (%s), want %v for x = %v", i, float32(got), lines[i], want, x)
			}
		}
	}
	if bad > 5 {
		t.Errorf("... %d values differ in all", bad)
	}
}

// TestRunPolyShapeMismatch: y shorter than x fails with a ValueError code
// and the extents in the message, and writes nothing.
func TestRunPolyShapeMismatch(t *testing.T) {
	out, err := buildAndRun(t, polyC(t), "10", "9", "1", "0.5", "0.25")
	if err != nil {
		t.Fatalf("kernel: %v\n%s", err, out)
	}
	want := fmt.Sprintf("error %d: ", 3) // SEJIT_ERR_VALUE
	if !strings.HasPrefix(out, want) || !strings.Contains(out, "9") || !strings.Contains(out, "10") {
		t.Errorf("kernel printed %q, want a ValueError naming extents 9 and 10", out)
	}
}

// TestRunPolyEmpty: zero elements run no iteration and raise nothing.
func TestRunPolyEmpty(t *testing.T) {
	out, err := buildAndRun(t, polyC(t), "0", "0", "1", "0.5", "0.25")
	if err != nil || out != "" {
		t.Errorf("kernel on empty arrays: %v, printed %q", err, out)
	}
}

// TestRunPolyOverlap passes x's own memory as y, whole and shifted by one
// element: the result must be NumPy's, computed from x as it was before
// the call (DESIGN §3, overlap). The kernel leaves the test to the runtime:
// its ABI must list x in guard, and given a copy of x, as the runtime
// passes then, it must compute NumPy's result.
func TestRunPolyOverlap(t *testing.T) {
	c := loadGolden(t, filepath.Join("testdata", "poly.txtar"))
	comp, errs := compile(c.request())
	failOn(t, "compile", errs)
	if !slices.Equal(comp.ABI.Guard, []int{0}) {
		t.Fatalf("ABI guard = %v, want [0] (x is read by an array statement, y written)", comp.ABI.Guard)
	}
	src := "#define GUARD_X 1\n" + polyC(t)
	const n, x0, dx, a = 257, float32(-1.25), float32(0.01), 0.5
	xs := polyInputs(n, x0, dx)
	for _, c := range []struct {
		mode string
		ny   int
		in   []float32 // the x elements each y element is computed from
	}{
		{"same", n, xs},
		{"shifted", n - 1, xs[:n-1]},
	} {
		t.Run(c.mode, func(t *testing.T) {
			nx := n
			if c.mode == "shifted" {
				nx = n - 1 // x is xs[:n-1], y is xs[1:]
			}
			out, err := buildAndRun(t, src, strconv.Itoa(nx), strconv.Itoa(c.ny),
				strconv.FormatFloat(float64(x0), 'g', -1, 32), strconv.FormatFloat(float64(dx), 'g', -1, 32),
				strconv.FormatFloat(a, 'g', -1, 64), c.mode)
			if err != nil {
				t.Fatalf("kernel: %v\n%s", err, out)
			}
			lines := strings.Fields(out)
			if len(lines) != c.ny {
				t.Fatalf("kernel printed %d values, want %d:\n%.300s", len(lines), c.ny, out)
			}
			bad := 0
			for i, x := range c.in {
				got, _ := strconv.ParseFloat(lines[i], 64)
				if want := polyRef(x, a); float32(got) != want {
					if bad++; bad <= 3 {
						t.Errorf("y[%d] = %v, want %v (from x = %v)", i, float32(got), want, x)
					}
				}
			}
		})
	}
}
