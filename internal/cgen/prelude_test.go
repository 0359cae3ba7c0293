package cgen

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// syntaxCheck compiles a unit with warnings as errors, as strictly as
// sejit's own flags allow.
func syntaxCheck(t *testing.T, name, src string) {
	t.Helper()
	cc := ccPath(t)
	file := filepath.Join(t.TempDir(), name+".c")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// -fopenmp: the parallel loops' helpers exist only in OpenMP units.
	args := []string{"-std=gnu11", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-fno-math-errno", "-fopenmp", file}
	if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		t.Errorf("%s does not compile alone: %v\n%s\n---\n%s", name, err, out, src)
	}
}

// use refers to a helper: its address, or for a type (the vector types of
// the min/max reductions) its size.
func use(name string) string {
	if regexp.MustCompile(`typedef[^;]*\b` + name + `\b`).MatchString(prelude) {
		return "(void *)sizeof(" + name + ")"
	}
	return "(void *)&" + name
}

// unitUsing is a unit whose kernel only takes the helpers' addresses.
func unitUsing(names ...string) string {
	var k strings.Builder
	k.WriteString("__attribute__((visibility(\"default\"))) void *sejit_probe(int i) {\n")
	for i, n := range names {
		k.WriteString("    if (i == " + strconv.Itoa(i) + ") return " + use(n) + ";\n")
	}
	k.WriteString("    return 0;\n}\n")
	kernel := k.String()
	return abiHeader + selectPrelude(kernel) + "\n" + kernelMarker + "\n" + kernel
}

func allHelpers() []string {
	parsePrelude()
	var names []string
	for _, s := range preludeSections {
		names = append(names, s.names...)
	}
	return names
}

// Every helper compiles with exactly the sections and headers the trim
// selects for it: a helper that forgets a dependency or a header shows up
// here, not in a user's kernel.
func TestEveryPreludeHelperCompilesAlone(t *testing.T) {
	names := allHelpers()
	if len(names) < 30 {
		t.Fatalf("only %d helpers found in prelude.h; are the section markers intact?", len(names))
	}
	for _, n := range names {
		syntaxCheck(t, n, unitUsing(n))
	}
}

// And all of them together, as the untrimmed prelude was.
func TestAllPreludeHelpersCompileTogether(t *testing.T) {
	names := allHelpers()
	var k strings.Builder
	k.WriteString("__attribute__((visibility(\"default\"))) void *sejit_probe(int i) {\n    switch (i) {\n")
	for i, n := range names {
		k.WriteString("    case " + strconv.Itoa(i) + ": return " + use(n) + ";\n")
	}
	k.WriteString("    }\n    return 0;\n}\n")
	src := abiHeader + selectPrelude(k.String()) + k.String()
	for _, h := range systemHeaders {
		if h.header != "<string.h>" && h.header != "<stdio.h>" && !strings.Contains(src, "#include "+h.header) {
			t.Errorf("the full prelude does not include %s", h.header)
		}
	}
	syntaxCheck(t, "all", src)
}

// The markers say what each section defines; a function defined in a
// section but not listed (for example one added under the wrong marker)
// would be dropped from the units that call it.
func TestPreludeSectionsListWhatTheyDefine(t *testing.T) {
	parsePrelude()
	def := regexp.MustCompile(`(?m)^(?:static|__attribute__)[^\n;{=]*?\b(sejit_[A-Za-z0-9_]+)\(`)
	for _, s := range preludeSections {
		for _, m := range def.FindAllStringSubmatch(s.text, -1) {
			if !s.always && !slices.Contains(s.names, m[1]) {
				t.Errorf("%s is defined in the section of %v but not listed in its marker", m[1], s.names)
			}
		}
		for _, n := range s.names {
			if !strings.Contains(s.text, n) && !strings.Contains(s.text, "##") {
				t.Errorf("the section marker lists %s but the section does not define it", n)
			}
		}
	}
}

// A kernel that needs no library function carries no system header but
// the ABI's <stdint.h>; one that calls sqrt gets <math.h>, one that uses a
// complex function <complex.h> and the complex helpers.
func TestTrimmedUnitHeaders(t *testing.T) {
	plain := selectPrelude("static int f(sejit_ctx *ctx) { return sejit_fail(ctx, 3, \"x %d\", 1); }\nint g(const char *a, const char *b) { return sejit_overlap(a, 1, 0, 0, 0, b, 1, 0, 0, 0); }\n")
	for _, h := range []string{"<math.h>", "<complex.h>", "<stdio.h>", "<string.h>"} {
		if strings.Contains(plain, "#include "+h) {
			t.Errorf("a kernel without library calls includes %s", h)
		}
	}
	if !strings.Contains(plain, "sejit_span(") || strings.Contains(plain, "sejit_c128_div(") {
		t.Errorf("wrong sections for a kernel using sejit_fail and sejit_overlap:\n%s", plain)
	}
	m := selectPrelude("double f(double x) { return sqrt(x); }\n")
	if !strings.Contains(m, "#include <math.h>") || strings.Contains(m, "#include <complex.h>") {
		t.Errorf("sqrt: want <math.h> only:\n%s", m)
	}
	c := selectPrelude("sejit_c128 f(sejit_c128 x) { return sejit_c128_pow(x, x); }\n")
	for _, want := range []string{"#include <math.h>", "#include <complex.h>", "sejit_c128_log(", "sejit_c128_div("} {
		if !strings.Contains(c, want) {
			t.Errorf("sejit_c128_pow: missing %s", want)
		}
	}
}

// Text after the closing "always" marker (a helper appended without a
// marker of its own) is never dropped.
func TestUnmarkedTailIsAlwaysEmitted(t *testing.T) {
	secs, _ := splitPrelude("#define A 1\n/*@ sejit_x */\nstatic int sejit_x(void);\n/*@ always */\nstatic int sejit_tail(void);\n")
	if len(secs) != 3 || !secs[0].always || secs[1].always || !secs[2].always ||
		!strings.Contains(secs[2].text, "sejit_tail") || !slices.Equal(secs[1].names, []string{"sejit_x"}) {
		t.Fatalf("split: %+v", secs)
	}
	if !strings.Contains(prelude, "\n/*@ always */\n") {
		t.Errorf("prelude.h lost its closing always marker")
	}
}
