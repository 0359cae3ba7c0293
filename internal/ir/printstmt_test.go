package ir

import (
	"strings"
	"testing"

	"sejit/internal/types"
)

func TestPrintVerifyAndListing(t *testing.T) {
	n := &Var{Name: "n", Type: types.Int}
	sep := "-"
	p := &Print{Items: []PrintItem{
		{Kind: PrintText, Text: "n="},
		{Kind: PrintValue, Val: &Ref{Var: n}, Py: true, Fmt: true, Spec: ">3", Join: true},
		{Kind: PrintTuple, N: 2},
		{Kind: PrintValue, Val: &Ref{Var: n}},
		{Kind: PrintTuple, N: 0},
	}, Sep: &sep}
	f := &Func{Name: "f", Params: []*Var{n}, Body: []Stmt{p, &Return{}}}
	if err := verifyFunc(f); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	var b strings.Builder
	FprintFunc(&b, f)
	want := `print("n=" + n as py:">3", tuple2, n, tuple0; sep="-")`
	if !strings.Contains(b.String(), want) {
		t.Errorf("listing\n%s\nlacks %s", b.String(), want)
	}
	// A tuple that lacks elements, and a joined tuple element, are refused.
	p.Items = p.Items[:4]
	if err := verifyFunc(f); err == nil || !strings.Contains(err.Error(), "lacks 1") {
		t.Errorf("Verify of a short tuple: %v", err)
	}
	p.Items = []PrintItem{{Kind: PrintTuple, N: 1}, {Kind: PrintText, Join: true}}
	if err := verifyFunc(f); err == nil {
		t.Error("Verify accepted a joined tuple element")
	}
}
