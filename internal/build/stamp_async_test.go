package build

import "testing"

// The waited-for stamp is the one Compiler gives.
func TestStartCompilerMatchesCompiler(t *testing.T) {
	cc := needCC(t)
	want, err := Compiler(cc)
	if err != nil {
		t.Fatal(err)
	}
	wait, err := StartCompiler(cc)
	if err != nil {
		t.Fatal(err)
	}
	if got := wait(); got != want {
		t.Errorf("StartCompiler = %+v, Compiler = %+v", got, want)
	}
	if got := wait(); got != want {
		t.Errorf("a second wait gives %+v", got)
	}
	if _, err := StartCompiler("sejit-no-such-cc"); err == nil {
		t.Error("StartCompiler found a compiler that does not exist")
	} else if _, ok := err.(*MissingError); !ok {
		t.Errorf("StartCompiler error %T, want *MissingError", err)
	}
}
