package bytecode

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"sejit/internal/pyast"
)

// Each testdata/*.txtar holds one Python function (src.py), its AST JSON as
// the source route sends it (ast.json, written by CPython 3.11's ast), the
// bytecode JSON of CPython 3.11, 3.12 and 3.13 (3.1x.json, written by
// python/sejit/_bytecode.py under each interpreter), and what must come
// out: the tree the source route builds ("tree", the dump of ast.json, or
// "tree 3.1x" where one version's bytecode cannot tell two spellings apart),
// or the message of the error every version must give ("error", or
// "error 3.1x" for one version).
//
// go test ./internal/bytecode -update regenerates the JSON and "tree" with
// the interpreters (PYENV_VERSION selects them on the development machine;
// see python() below).
var update = flag.Bool("update", false, "regenerate the JSON sections with the Python interpreters")

var versions = []string{"3.11", "3.12", "3.13"}

func python(version string) *exec.Cmd {
	if version == "ast" {
		return exec.Command("../../.venv/bin/python", "-m", "sejit._astjson")
	}
	full := map[string]string{"3.11": "3.11.7", "3.12": "3.12.1", "3.13": "3.13.0"}[version]
	cmd := exec.Command("python3")
	cmd.Env = append(os.Environ(), "PYENV_VERSION="+full)
	return cmd
}

func section(a *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

func setSection(a *txtar.Archive, name string, data []byte) {
	for i, f := range a.Files {
		if f.Name == name {
			a.Files[i].Data = data
			return
		}
	}
	a.Files = append(a.Files, txtar.File{Name: name, Data: data})
}

func regenerate(t *testing.T, path string, a *txtar.Archive) {
	src, _ := section(a, "src.py")
	dir := t.TempDir()
	file := filepath.Join(dir, "src.py")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, v := range append([]string{"ast"}, versions...) {
		cmd := python(v)
		if v == "ast" {
			cmd.Args = append(cmd.Args, file)
		} else {
			cmd.Args = append(cmd.Args, "../../python/sejit/_bytecode.py", file)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: python %s: %v\n%s", path, v, err, stderr.String())
		}
		name := v + ".json"
		if v == "ast" {
			name = "ast.json"
			// One line: the fixtures stay small.
			var buf bytes.Buffer
			for _, line := range strings.Split(string(out), "\n") {
				buf.WriteString(strings.TrimSpace(line))
			}
			buf.WriteString("\n")
			out = buf.Bytes()
		}
		setSection(a, name, out)
	}
	if _, isErr := section(a, "error"); !isErr {
		data, _ := section(a, "ast.json")
		def, err := pyast.Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		setSection(a, "tree", []byte(sourceDump(def)))
	}
	if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dumpAll is pyast.Dump with the bodies of lambdas and nested defs and the
// line of every statement, so that a test compares them too.
func dumpAll(fn *pyast.FunctionDef) string {
	var b strings.Builder
	b.WriteString(pyast.Dump(fn, nil))
	var lines []string
	var inner []*pyast.FunctionDef
	pyast.WalkStmts(fn.Body, func(s pyast.Stmt) bool {
		lines = append(lines, fmt.Sprint(s.Position().Line))
		if d, ok := s.(*pyast.FunctionDef); ok {
			inner = append(inner, d)
		}
		return true
	}, func(e pyast.Expr) {
		walkExpr(e, func(x pyast.Expr) {
			if l, ok := x.(*pyast.Lambda); ok {
				inner = append(inner, l.Def)
			}
		})
	})
	fmt.Fprintf(&b, "lines %s\n", strings.Join(lines, " "))
	// pyast.Dump leaves out the else-parts of loops.
	pyast.WalkStmts(fn.Body, func(s pyast.Stmt) bool {
		var orelse []pyast.Stmt
		switch s := s.(type) {
		case *pyast.For:
			orelse = s.Orelse
		case *pyast.While:
			orelse = s.Orelse
		}
		if len(orelse) > 0 {
			fmt.Fprintf(&b, "else of the loop at line %d:\n%s", s.Position().Line,
				pyast.Dump(&pyast.FunctionDef{Name: "else", Body: orelse}, nil))
		}
		return true
	}, nil)
	for _, d := range inner {
		b.WriteString(dumpAll(d))
	}
	return b.String()
}

// walkExpr visits the lambdas an expression holds (enough for the dump).
func walkExpr(e pyast.Expr, f func(pyast.Expr)) {
	if e == nil {
		return
	}
	f(e)
	switch e := e.(type) {
	case *pyast.BinOp:
		walkExpr(e.Left, f)
		walkExpr(e.Right, f)
	case *pyast.Call:
		walkExpr(e.Func, f)
		for _, a := range e.Args {
			walkExpr(a, f)
		}
		for _, k := range e.Keywords {
			walkExpr(k.Value, f)
		}
	case *pyast.Tuple:
		for _, a := range e.Elts {
			walkExpr(a, f)
		}
	case *pyast.List:
		for _, a := range e.Elts {
			walkExpr(a, f)
		}
	}
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test data: %v", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				regenerate(t, path, a)
			}
			_, allErr := section(a, "error")
			for _, v := range versions {
				// "error 3.12": only that version's bytecode is refused.
				wantErr, isErr := section(a, "error "+v)
				if !isErr {
					wantErr, isErr = section(a, "error")
				}
				data, ok := section(a, v+".json")
				if !ok {
					t.Fatalf("no %s.json (run with -update)", v)
				}
				fn, derr := Decompile(data, 0, "<string>")
				if isErr {
					if derr == nil {
						t.Errorf("%s: decompiled, want error %q:\n%s", v, wantErr, dumpAll(fn))
						continue
					}
					got := derr.Error()
					if !strings.Contains(got, strings.TrimSpace(string(wantErr))) {
						t.Errorf("%s: error %q, want %q", v, got, strings.TrimSpace(string(wantErr)))
					}
					continue
				}
				if derr != nil {
					t.Errorf("%s: %v", v, derr)
					continue
				}
				want, ok := section(a, "tree "+v)
				if !ok {
					want, _ = section(a, "tree")
				}
				if got := dumpAll(fn); got != string(want) {
					t.Errorf("%s: bytecode tree\n%s\nwant (the source's)\n%s", v, got, want)
				}
			}
			// The source route still gives "tree": the fixture is current.
			if !allErr {
				data, _ := section(a, "ast.json")
				def, err := pyast.Decode(data)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := section(a, "tree")
				if got := sourceDump(def); got != string(want) {
					t.Errorf("source tree\n%s\nwant\n%s", got, want)
				}
			}
		})
	}
}

var negConst = regexp.MustCompile(`\(USub ([0-9][0-9.e+-]*)\)`)

// sourceDump is dumpAll of the source's tree with the negative literals
// folded, as CPython's compiler folds them into constants.
func sourceDump(fn *pyast.FunctionDef) string {
	return negConst.ReplaceAllString(dumpAll(fn), "-$1")
}

func TestDecompileRefusesWhatItCannotRead(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{`{`, "decoding the bytecode"},
		{`{"version": "3.10", "name": "f", "instructions": []}`, "3.11 to 3.13, not 3.10"},
		{`{"version": "3.11", "name": "f", "generator": true, "instructions": []}`, "generator"},
		{`{"version": "3.11", "name": "f", "instructions": [{"op": "FROBNICATE", "offset": 0, "pos": [2, 4, 2, 9]}]}`,
			"<string>:2:5: the instruction FROBNICATE cannot be decompiled"},
	} {
		_, err := Decompile([]byte(c.data), 0, "<string>")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.data, err, c.want)
		}
	}
}

func TestDecompileParameters(t *testing.T) {
	a, err := txtar.ParseFile(filepath.Join("testdata", "prog_defaults.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := section(a, "3.11.json")
	fn, derr := Decompile(data, 2, "<string>")
	if derr != nil {
		t.Fatal(derr)
	}
	// The defaults' values travel in the request; the tree holds one
	// placeholder per default, as the resolver counts them.
	if len(fn.Params) != 3 || len(fn.Defaults) != 2 || fn.Extra != "" || fn.P.Line != 1 {
		t.Errorf("params %d defaults %d extra %q at %v", len(fn.Params), len(fn.Defaults), fn.Extra, fn.P)
	}
	star := `{"version": "3.11", "name": "f", "argcount": 1, "varargs": true, "varnames": ["a", "rest"],
		"firstlineno": 3, "instructions": [{"op": "LOAD_FAST", "offset": 0, "val": "a", "pos": [4, 11, 4, 12]},
		{"op": "RETURN_VALUE", "offset": 2, "pos": [4, 4, 4, 12]}]}`
	fn, derr = Decompile([]byte(star), 0, "<string>")
	if derr != nil || fn.Extra != "" || !fn.Vararg || fn.NPos != 1 || len(fn.Params) != 2 || fn.Params[1].Name != "rest" {
		t.Errorf("*args: %v %+v", derr, fn)
	}
}
