package resolve

import (
	"testing"

	"sejit/internal/pyast"
)

// A selection named once and reduced by the next statement is forwarded
// into the reduction (forward.go); every other use keeps its variable.
func TestForwardSelections(t *testing.T) {
	src := `def f(data, r, n, m):
    res = np.zeros(n)
    for i in range(n):
        mask = r < i
        values = data[mask]
        res[i] = values.mean()
        tot = data[mask]
        res[i] += np.sum(tot)  # the target is read first: kept
        twice = data[mask]
        res[i] += twice.sum() + twice.max()
        later = data[mask]
        res[i] += 1.0
        res[i] += later.sum()
        scaled = data[mask]
        res[i] += (scaled * 2).sum()
    last = data[m]
    return len(last)
`
	f := parse(t, "forward", src, map[string]*Global{"np": {Kind: "module", Name: "numpy"}})
	if errs := Resolve(f); len(errs) != 0 {
		t.Fatalf("unexpected errors: %v", errs)
	}
	for _, gone := range []string{"values", "last"} {
		if f.Locals[gone] {
			t.Errorf("%s is still a local: its selection was not forwarded", gone)
		}
	}
	for _, kept := range []string{"mask", "tot", "twice", "later", "scaled"} {
		if !f.Locals[kept] {
			t.Errorf("%s was forwarded; it must stay a variable", kept)
		}
	}
}

// `a, b = e1, e2` is split into two assignments when no value names an
// earlier target and the function has no try statement; swaps stay whole.
func TestSplitTupleAssigns(t *testing.T) {
	count := func(src, name string) (split, tuples int) {
		f := parse(t, name, src, map[string]*Global{"np": {Kind: "module", Name: "numpy"}})
		if errs := Resolve(f); len(errs) != 0 {
			t.Fatalf("%s: unexpected errors: %v", name, errs)
		}
		for _, s := range f.Def.Body {
			if a, ok := s.(*pyast.Assign); ok {
				if _, ok := a.Targets[0].(*pyast.Tuple); ok {
					tuples++
				} else {
					split++
				}
			}
		}
		return split, tuples
	}
	if s, tu := count(`def f(x, y, m):
    x, y = x[m], y[m]
    a, b = y, x
    return a, b
`, "split-ok"); s != 4 || tu != 0 {
		t.Errorf("independent values: %d plain and %d tuple assignments, want 4 and 0", s, tu)
	}
	if s, tu := count(`def f(a, b):
    a, b = b, a
    return a, b
`, "split-swap"); s != 0 || tu != 1 {
		t.Errorf("swap: %d plain and %d tuple assignments, want 0 and 1", s, tu)
	}
	if s, tu := count(`def f(x, y, m):
    try:
        pass
    except ValueError:
        pass
    x, y = x[m], y[m]
    return x, y
`, "split-try"); s != 0 || tu != 1 {
		t.Errorf("with a try: %d plain and %d tuple assignments, want 0 and 1", s, tu)
	}
}
