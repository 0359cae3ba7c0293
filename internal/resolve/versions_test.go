package resolve

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"sejit/internal/pyast"
)

// The versions of each variable, as a golden: every Name node of a local,
// in source order, with the variable it stands for. A rebinding in
// straight-line code starts a new version; bindings meeting at a join
// (after an if, around a loop) share one.
var versionCases = []struct{ name, src string }{
	{"straight", `def f(x, n):
    x = x.astype(np.float32)
    x = x.reshape(n, 2)
    y = x[0]
    x = y
    return x
`},
	{"if_join", `def f(c):
    y = 1
    if c:
        y = 2.5
    return y
`},
	{"if_no_join", `def f(c):
    if c:
        y = 1
        z = y
    else:
        y = 2.5
        z = y
    return z
`},
	{"loop_head", `def f(n):
    s = 0
    for i in range(n):
        t = s
        s = t + i
    s = (s, s)
    return s
`},
	{"while_break", `def f(n):
    k = 0
    while k < n:
        k = k + 1
        if k > 3:
            k = 10
            break
    k = k * 2.0
    return k
`},
	{"aug_keeps", `def f(x):
    x += 1
    x = x * 2
    x += 3
    return x
`},
	{"kept_names", `def f(a, n):
    for i in range(n):
        a = a + i
    i = 2.5
    g = 1
    def h():
        return g
    g = 2
    return a, i, h()
`},
	{"continue", `def f(n):
    v = 0
    for i in range(n):
        if i == 2:
            v = 5
            continue
        v = 1
    return v
`},
}

func TestVersionsGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range versionCases {
		f := parse(t, "versions_"+c.name, c.src, map[string]*Global{"np": {Kind: "module", Name: "numpy"}})
		if errs := Resolve(f); len(errs) > 0 {
			t.Fatalf("%s: %v", c.name, errs)
		}
		fmt.Fprintf(&b, "== %s\n", c.name)
		var lines []string
		walk := func(e pyast.Expr) {
			pyast.WalkExpr(e, func(x pyast.Expr) bool {
				if n, ok := x.(*pyast.Name); ok && f.Locals[n.ID] {
					lines = append(lines, fmt.Sprintf("%03d:%03d %s -> %s", n.P.Line, n.P.Col, n.ID, f.VarName(n)))
				}
				return true
			})
		}
		pyast.WalkStmts(f.Def.Body, func(pyast.Stmt) bool { return true }, walk)
		sort.SliceStable(lines, func(i, j int) bool { return lines[i] < lines[j] })
		b.WriteString(strings.Join(lines, "\n"))
		b.WriteString("\n")
	}
	const golden = "testdata/versions.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != b.String() {
		t.Errorf("versions differ from %s (go test -update rewrites it):\n%s", golden, b.String())
	}
}
