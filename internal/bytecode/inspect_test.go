package bytecode

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/tools/txtar"
)

// Two helpers for working on the decompiler, skipped unless asked for:
//
//	BC_CASE=name BC_VER=3.12 go test -run Inspect ./internal/bytecode
//
// prints the normalised instructions of testdata/name.txtar's 3.12 bytecode
// and the tree rebuilt from them, and
//
//	BC_WRITE=name BC_VER=3.12 go test -run WriteVersionTree ./internal/bytecode
//
// records that tree as the case's "tree 3.12", for a version whose bytecode
// cannot tell two spellings apart (say why at the top of the file).
func TestInspect(t *testing.T) {
	name, v := os.Getenv("BC_CASE"), os.Getenv("BC_VER")
	if name == "" {
		t.Skip()
	}
	a, _ := txtar.ParseFile("testdata/" + name + ".txtar")
	data, _ := section(a, v+".json")
	var c codeJSON
	_ = jsonUnmarshal(data, &c)
	ins, _ := normalize(&c)
	for i, x := range ins {
		fmt.Printf("%3d %-22s %4d %-10s t=%d %v\n", i, x.op, x.arg, x.name, x.target, x.pos)
	}
	fn, err := Decompile(data, 0, "<string>")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Print(dumpAll(fn))
}

func TestWriteVersionTree(t *testing.T) {
	name, v := os.Getenv("BC_WRITE"), os.Getenv("BC_VER")
	if name == "" {
		t.Skip()
	}
	path := "testdata/" + name + ".txtar"
	a, _ := txtar.ParseFile(path)
	data, _ := section(a, v+".json")
	fn, err := Decompile(data, 0, "<string>")
	if err != nil {
		t.Fatal(err)
	}
	setSection(a, "tree "+v, []byte(dumpAll(fn)))
	_ = os.WriteFile(path, txtar.Format(a), 0o644)
}
