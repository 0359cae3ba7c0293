package resolve

import (
	"math/big"
	"reflect"
	"testing"

	"sejit/internal/pyast"
)

// Nested functions capture exactly the outer variables they (or the nested
// functions they call) read, and resolve sibling and own names as functions.
func TestNestedCaptures(t *testing.T) {
	src := "def f(x, k, unused):\n" +
		"    m = k * 2\n" +
		"    def a(v):\n" +
		"        return v + k\n" +
		"    def b(v):\n" +
		"        w = v\n" +
		"        return a(w) * m\n" +
		"    def c(v):\n" +
		"        return 1 if v <= 0 else c(v - 1)\n" +
		"    sq = lambda v: v * x\n" +
		"    return b(x) + c(3) + sq(2) + (lambda q: q + m)(x)\n"
	f := parse(t, "nested_captures", src, nil)
	if errs := Resolve(f); len(errs) > 0 {
		t.Fatal(errs)
	}
	want := map[string][]string{"a": {"k"}, "b": {"k", "m"}, "c": nil, "sq": {"x"}}
	for name, caps := range want {
		n := f.NestedFunc(name)
		if n == nil {
			t.Fatalf("%s is not a nested function", name)
		}
		if !reflect.DeepEqual(n.Captures, caps) {
			t.Errorf("%s captures %v, want %v", name, n.Captures, caps)
		}
		if n.NDeclared != 1 || len(n.Params) != 1+len(caps) {
			t.Errorf("%s: %d declared of params %v", name, n.NDeclared, n.Params)
		}
	}
	if k, _ := f.Lookup("a"); k != NestedName {
		t.Errorf("a looks up as %v in f", k)
	}
	if k, _ := f.NestedFunc("c").Lookup("c"); k != NestedName {
		t.Errorf("c does not see itself")
	}
	if len(f.Lambdas) != 1 {
		t.Errorf("%d anonymous lambdas, want 1", len(f.Lambdas))
	}
	for _, l := range f.Lambdas {
		if !reflect.DeepEqual(l.Captures, []string{"m"}) {
			t.Errorf("the lambda captures %v", l.Captures)
		}
	}
	if got := len(f.AllNested()); got != 5 {
		t.Errorf("%d nested functions, want 5", got)
	}
	if f.Locals["a"] || f.Locals["sq"] {
		t.Errorf("nested function names are variables: %v", f.Locals)
	}
}

// The defaults of a module-level function are the request's values; a
// nested function's must be literal constants.
func TestDefaults(t *testing.T) {
	src := "def f(x, k=1, s=(1, 2.5)):\n    def g(v, p=-2):\n        return v * p\n    return g(x)\n"
	f := parse(t, "defaults", src, nil)
	if errs := Resolve(f); len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(f.DefaultExprs) != 2 || f.DefaultExprs[0] == nil || f.DefaultExprs[1] == nil {
		t.Fatalf("defaults from the literals: %v", f.DefaultExprs)
	}
	g := f.NestedFunc("g")
	if len(g.DefaultExprs) != 1 || g.DefaultExprs[0] == nil {
		t.Fatalf("nested defaults: %v", g.DefaultExprs)
	}
	// The request's values win over the source's expressions.
	f2 := parse(t, "defaults", src, nil)
	seven := &pyast.Constant{Kind: pyast.ConstInt, Int: big.NewInt(7)}
	f2.Defaults = []*Global{{Kind: "unsupported", Type: "list"}, {Kind: "const", Const: seven}}
	if errs := Resolve(f2); len(errs) > 0 {
		t.Fatal(errs)
	}
	if f2.DefaultExprs[0] != nil || f2.DefaultTypes[0] != "list" {
		t.Errorf("an unsupported default: %v %q", f2.DefaultExprs[0], f2.DefaultTypes[0])
	}
	if k, ok := f2.DefaultExprs[1].(*pyast.Constant); !ok || k.Int.Int64() != 7 || k.P != src2pos(f2) {
		t.Errorf("the request's default: %#v", f2.DefaultExprs[1])
	}
}

// src2pos is the position of f's last default in its source.
func src2pos(f *Func) pyast.Pos { return f.Def.Defaults[1].Position() }
