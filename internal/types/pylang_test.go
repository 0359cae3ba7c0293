package types

import (
	"strings"
	"testing"

	"sejit/internal/diag"
	"sejit/internal/resolve"
)

// inferNested is infer with the nested functions resolve made registered,
// as the driver does.
func inferNested(t *testing.T, name, src string, args ...*Type) (*Program, diag.List) {
	t.Helper()
	f := parse(t, name, src, map[string]*resolve.Global{"np": {Kind: "module", Name: "numpy"}})
	funcs := map[string]*resolve.Func{"f0": f}
	for _, n := range f.AllNested() {
		funcs[n.ID] = n
	}
	return Infer(funcs, "f0", args)
}

// A call binds positional arguments, keywords and defaults per declared
// parameter, and a nested function's specialization adds its captures.
func TestKeywordsDefaultsAndCaptures(t *testing.T) {
	src := "def f(x, k):\n" +
		"    def g(a, b=2, c=0.5):\n" +
		"        return a * b + c + k\n" +
		"    return g(x, c=1), g(c=x, a=1)\n"
	p, errs := inferNested(t, "kw_defaults", src, Float, Int)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var keys []string
	for _, s := range p.Specs {
		keys = append(keys, s.Key())
	}
	got := strings.Join(keys, "; ")
	want := "f0(float, int); f0.g(float, int, int, int); f0.g(int, int, float, int)"
	if got != want {
		t.Errorf("specializations %s, want %s", got, want)
	}
	if r := p.Entry().Info.Ret.String(); r != "tuple(float, float)" {
		t.Errorf("result %s", r)
	}
}

// A helper taking a function is specialised per function value, and a
// lambda's type carries what it captures.
func TestFunctionArguments(t *testing.T) {
	src := "def f(x, k):\n" +
		"    def apply(g, v):\n" +
		"        return g(v)\n" +
		"    return apply(lambda q: q * k, x) + apply(lambda q: q + 1, x)\n"
	p, errs := inferNested(t, "fn_args", src, Float, Float)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	n := 0
	for _, s := range p.Specs {
		if s.Func.Def.Name == "apply" {
			n++
			if s.Args[0].Kind != Function {
				t.Errorf("apply's first argument is %s", s.Args[0])
			}
		}
	}
	if n != 2 {
		t.Errorf("%d specializations of apply, want 2 (one per lambda)", n)
	}
}

func TestCallBindingErrors(t *testing.T) {
	cases := []struct{ name, src, msg string }{
		{"kw_unknown", "def f(x):\n    def g(a):\n        return a\n    return g(b=x)\n", "unexpected keyword argument 'b'"},
		{"kw_twice", "def f(x):\n    def g(a):\n        return a\n    return g(x, a=x)\n", "multiple values for argument 'a'"},
		{"kw_missing", "def f(x):\n    def g(a, b):\n        return a\n    return g(x)\n", "missing 1 required positional argument(s): 'b'"},
		{"kw_many", "def f(x):\n    def g(a):\n        return a\n    return g(x, x)\n", "takes 1 positional arguments but 2 were given"},
		{"list_slice_aug", "def f(x):\n    l = [x, x]\n    l[1:] += [x]\n    return l[0]\n", "augmented assignment to a slice of a list"},
		{"for_nested_tuple", "def f(x):\n    for v in (x, (x, x)):\n        x = v\n    return x\n", "for loops can iterate over"},
	}
	for _, c := range cases {
		_, errs := inferNested(t, c.name, c.src, Float)
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), c.msg) {
			t.Errorf("%s: got %v, want %q", c.name, errs, c.msg)
		}
	}
}

// *args gathers the extra positional arguments into a tuple (one
// specialization per number and types of them), keyword-only parameters
// bind by keyword or default, and f(*t) spreads a tuple; a nonlocal
// variable assigned a float in the closure widens the owner's int.
func TestVarargsKeywordOnlyAndNonlocal(t *testing.T) {
	src := "def f(x, k):\n" +
		"    def g(a, *rest, scale, shift=0.5):\n" +
		"        return a * scale + shift + len(rest)\n" +
		"    total = 0\n" +
		"    def add(v):\n" +
		"        nonlocal total\n" +
		"        total += v\n" +
		"    add(x)\n" +
		"    t = (k, x)\n" +
		"    return g(x, scale=k), g(1, 2, x, scale=2, shift=k), g(*t, scale=1), total\n"
	p, errs := inferNested(t, "varargs_kwonly_nonlocal", src, Float, Int)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var keys []string
	for _, s := range p.Specs {
		if s.Func.Def.Name == "g" {
			keys = append(keys, s.Key())
		}
	}
	got := strings.Join(keys, "; ")
	want := "f0.g(float, tuple(), int, float); f0.g(int, tuple(int, float), int, int); f0.g(int, tuple(float), int, float)"
	if got != want {
		t.Errorf("specializations of g %s, want %s", got, want)
	}
	if v := p.Entry().Info.Vars["total"].String(); v != "float" {
		t.Errorf("total is %s, want float (the closure adds a float)", v)
	}
}

// A list parameter cannot be rebound: the caller's list is written back from
// the parameter's variable. Mutating it in place stays allowed.
func TestListParamRebinding(t *testing.T) {
	src := "def f(l):\n    l.append(1)\n    l = [2]\n    return len(l)\n"
	_, errs := inferNested(t, "list_param_rebound", src, ListOf(Int))
	if len(errs) == 0 || !strings.Contains(errs[0].Error(), "rebinding the list argument 'l'") {
		t.Errorf("got %v, want the rebinding refused", errs)
	}
	src = "def f(l):\n    l.append(1)\n    m = [2]\n    return len(l) + len(m)\n"
	if _, errs := inferNested(t, "list_param_mutated", src, ListOf(Int)); len(errs) != 0 {
		t.Errorf("mutating a list argument in place: %v", errs)
	}
}

// A list whose items would be of different kinds is refused at the item
// that differs (CPython's list keeps each item's type); a display np.array
// converts is no list, and items of one kind are fine.
func TestMixedListItems(t *testing.T) {
	refused := []struct{ name, src, at string }{
		{"mixed_display", "def f(n):\n    return [n, 2.5]\n", "t.py:2:16"},
		{"mixed_append", "def f(n):\n    l = [0.5]\n    l.append(n)\n    return l\n", "t.py:3:14"},
		{"mixed_grown_display", "def f(n):\n    l = [1, 2]\n    l.append(n * 0.5)\n    return l\n", "t.py:2:9"},
		{"mixed_bool", "def f(n):\n    return [n > 0, n]\n", "t.py:2:20"},
	}
	for _, c := range refused {
		_, errs := inferNested(t, c.name, c.src, Int)
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), "CPython's list keeps each item's type") ||
			!strings.HasPrefix(errs[0].Error(), c.at) {
			t.Errorf("%s: got %v, want the item at %s refused", c.name, errs, c.at)
		}
	}
	accepted := map[string]string{
		"array_of_mixed": "def f(n):\n    return np.array([1, 2.5, n]).sum() + np.asarray([[n, 0.5], [1, 2]]).sum()\n",
		"one_kind":       "def f(n):\n    l = [1.5, 2.0]\n    l.append(n * 0.5)\n    l[0] = 3.0\n    return l + [0.25]\n",
	}
	for name, src := range accepted {
		if _, errs := inferNested(t, name, src, Int); len(errs) != 0 {
			t.Errorf("%s: %v", name, errs)
		}
	}
}
