package bytecode

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/tools/txtar"
)

func TestDebugOne(t *testing.T) {
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
