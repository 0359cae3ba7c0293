package resolve

// AST fixtures: the tests write Python source inline and find its JSON AST
// in testdata/asts.txtar (pyasttest.Store).

import (
	"flag"
	"os"
	"testing"

	"sejit/internal/pyast"
	"sejit/internal/pyast/pyasttest"
)

var update = flag.Bool("update", false, "regenerate testdata/asts.txtar with the project's Python")

var fixtures = &pyasttest.Store{File: "testdata/asts.txtar"}

// python is the interpreter that regenerates fixtures, or "".
func python() string { return pyasttest.Python() }

// astOf returns the JSON AST of the first def in src.
func astOf(t testing.TB, name, src string) []byte {
	fixtures.Update = *update
	return fixtures.AST(t, name, src)
}

// parse decodes the fixture named name into a Func in file "t.py".
func parse(t testing.TB, name, src string, globals map[string]*Global) *Func {
	t.Helper()
	def, err := pyast.Decode(astOf(t, name, src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if globals == nil {
		globals = map[string]*Global{}
	}
	return &Func{ID: "f0", Def: def, File: "t.py", Globals: globals}
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
