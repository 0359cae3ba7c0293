package types

// AST fixtures: the tests write Python source inline and find its JSON AST
// in testdata/asts.txtar (pyasttest.Store).

import (
	"flag"
	"os"
	"testing"

	"sejit/internal/pyast"
	"sejit/internal/pyast/pyasttest"
	"sejit/internal/resolve"
)

var update = flag.Bool("update", false, "regenerate testdata/asts.txtar and testdata/promote.txt with the project's Python")

var fixtures = &pyasttest.Store{File: "testdata/asts.txtar"}

// python is the interpreter that regenerates fixtures, or "".
func python() string { return pyasttest.Python() }

// astOf returns the JSON AST of the first def in src.
func astOf(t testing.TB, name, src string) []byte {
	fixtures.Update = *update
	return fixtures.AST(t, name, src)
}

// parse decodes and resolves the fixture named name as function id "f0"
// in file "t.py"; its first def calls itself through the global of its
// own name.
func parse(t testing.TB, name, src string, globals map[string]*resolve.Global) *resolve.Func {
	t.Helper()
	def, err := pyast.Decode(astOf(t, name, src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if globals == nil {
		globals = map[string]*resolve.Global{}
	}
	if _, ok := globals[def.Name]; !ok {
		globals[def.Name] = &resolve.Global{Kind: "function", ID: "f0"}
	}
	f := &resolve.Func{ID: "f0", Def: def, File: "t.py", Globals: globals}
	if errs := resolve.Resolve(f); len(errs) > 0 {
		t.Fatalf("%s: resolve: %v", name, errs)
	}
	return f
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if err := fixtures.Save(); err != nil {
		os.Stderr.WriteString("writing " + fixtures.File + ": " + err.Error() + "\n")
		code = 1
	}
	os.Exit(code)
}
