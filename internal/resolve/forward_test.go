package resolve

import "testing"

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
