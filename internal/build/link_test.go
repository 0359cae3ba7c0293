package build

import (
	"context"
	"debug/elf"
	"fmt"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A lean-linked object has no libc entry of its own, yet loads with
// RTLD_NOW | RTLD_LOCAL (as the runtime loads kernels) into a process that
// has libc, and its libc, libm and libgcc calls work.
func TestLeanLinkLoadsAndRuns(t *testing.T) {
	cc := needCC(t)
	if !leanLinkOS {
		t.Skip("the lean link is used on Linux only")
	}
	dir := t.TempDir()
	// vsnprintf (libc), sqrt of a variable without -fno-math-errno and
	// fmod (libm), and 128-bit division (libgcc's __divti3 on x86-64).
	src := writeFile(t, dir, "k.c", `#include <math.h>
#include <stdarg.h>
int vsnprintf(char *restrict, __SIZE_TYPE__, const char *restrict, va_list);
static int fmt(char *buf, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(buf, 64, f, ap);
    va_end(ap);
    return n;
}
__attribute__((visibility("default"))) int k(char *buf, double x, long long a, long long b) {
    __int128 q = (__int128)a * 3 / (__int128)b;
    return fmt(buf, "%.6f %.6f %lld", sqrt(x), fmod(x, 3.0), (long long)q);
}
`)
	so := filepath.Join(dir, "k.so")
	if err := Build(context.Background(), cc, src, so, Flags(Options{LeanLink: true})); err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(so)
	if err != nil {
		t.Fatal(err)
	}
	libs, err := f.ImportedLibraries()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(libs, func(l string) bool { return strings.HasPrefix(l, "libc.so") }) {
		t.Errorf("lean link still names libc: %v", libs)
	}
	if !slices.ContainsFunc(libs, func(l string) bool { return strings.HasPrefix(l, "libm.so") }) {
		t.Errorf("lean link lost libm: %v", libs)
	}
	host := writeFile(t, dir, "host.c", `#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
    (void)argc;
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("dlopen: %s\n", dlerror()); return 1; }
    int (*k)(char *, double, long long, long long) = (int (*)(char *, double, long long, long long))dlsym(h, "k");
    if (!k) { printf("dlsym: %s\n", dlerror()); return 1; }
    char buf[64];
    k(buf, 10.5, 9000000000000000000LL, 7);
    printf("%s\n", buf);
    return 0;
}
`)
	exe := filepath.Join(dir, "host")
	// The host is linked without libm, as a process that has libc only.
	if out, err := exec.Command(cc, "-o", exe, host, "-ldl").CombinedOutput(); err != nil {
		t.Fatalf("host: %v\n%s", err, out)
	}
	out, err := exec.Command(exe, so).CombinedOutput()
	if err != nil {
		t.Fatalf("host: %v\n%s", err, out)
	}
	// 9e18 * 3 exceeds int64; the quotient by 7 fits again.
	q := new(big.Int).Mul(big.NewInt(9000000000000000000), big.NewInt(3))
	q.Quo(q, big.NewInt(7))
	want := fmt.Sprintf("%.6f %.6f %s", math.Sqrt(10.5), math.Mod(10.5, 3), q)
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("lean-linked kernel printed %q, want %q", got, want)
	}
}

// A compiler whose lean link fails is asked again with the ordinary link.
func TestLeanLinkFallsBack(t *testing.T) {
	cc := needCC(t)
	if !leanLinkOS {
		t.Skip("the lean link is used on Linux only")
	}
	real, err := exec.LookPath(cc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wrapper := writeFile(t, dir, "no-libgcc-cc", `#!/bin/sh
for a in "$@"; do
  if [ "$a" = "-lgcc" ]; then
    echo "/usr/bin/ld: cannot find -lgcc: No such file or directory" >&2
    echo "collect2: error: ld returned 1 exit status" >&2
    exit 1
  fi
done
exec "`+real+`" "$@"
`)
	if err := os.Chmod(wrapper, 0o700); err != nil {
		t.Fatal(err)
	}
	src := writeFile(t, dir, "k.c", "int k(int x) { return x + 1; }\n")
	if err := Build(context.Background(), wrapper, src, filepath.Join(dir, "k.so"), Flags(Options{LeanLink: true})); err != nil {
		t.Fatalf("Build did not retry with the ordinary link: %v", err)
	}
}
