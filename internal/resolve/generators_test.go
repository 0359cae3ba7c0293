package resolve

import (
	"strings"
	"testing"

	"sejit/internal/pyast"
)

// The inlined loop of a nested generator, as a tree: the generator's locals
// renamed per site, break setting the stop flag that the generator's loop
// passes on, continue leaving the once-loop, the consumer's else guarded by
// the broke flag, and the generator's def gone.
func TestInlineGeneratorTree(t *testing.T) {
	src := `def f(n):
    def gen(m):
        for i in range(m):
            yield i * i
    s = 0
    for v in gen(n):
        if v == 4:
            continue
        if v > 20:
            break
        s += v
    else:
        s = -s
    return s
`
	f := parse(t, "inline_generator", src, nil)
	funcs := map[string]*Func{"f0": f}
	if errs := InlineGenerators(funcs, "f0"); len(errs) > 0 {
		t.Fatal(errs)
	}
	got := pyast.Dump(f.Def, nil)
	for _, want := range []string{
		"(= m@g1 n)",
		"(= stop@g1 False)",
		"(= broke@g1 False)",
		"(for i@g1 (call range m@g1)",
		"(= v (Mult i@g1 i@g1))",
		"(for once@g1 (call range 1)",
		"(continue)",
		"(= stop@g1 True)",
		"(= broke@g1 True)",
		"(if stop@g1",
		"(if (Not broke@g1)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if strings.Contains(got, "def gen") || strings.Contains(got, "yield") {
		t.Errorf("the generator is still there:\n%s", got)
	}
	if errs := Resolve(f); len(errs) > 0 {
		t.Errorf("the inlined function does not resolve: %v", errs)
	}
}

// A generator used other than as a loop's iterable is refused where it is
// used.
func TestInlineGeneratorLeftover(t *testing.T) {
	src := `def f(n):
    def gen(m):
        yield m
    g = gen(n)
    return 0
`
	f := parse(t, "generator_leftover", src, nil)
	errs := InlineGenerators(map[string]*Func{"f0": f}, "f0")
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "can only be iterated by a for loop") || errs[0].Pos.Line != 4 {
		t.Fatalf("errors %v", errs)
	}
}
