package pyast

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// n builds a JSON node: n("Name", "id", "x") is {"_type":"Name","id":"x"}.
// Positions are added with at.
func n(typ string, kv ...any) map[string]any {
	m := map[string]any{"_type": typ}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// at sets lineno and col_offset (0-based, as CPython writes it).
func at(m map[string]any, line, col int) map[string]any {
	m["lineno"], m["col_offset"] = line, col
	return m
}

func name(id string, line, col int) map[string]any {
	return at(n("Name", "id", id, "ctx", n("Load")), line, col)
}

func intc(v string, line, col int) map[string]any {
	return at(n("Constant", "value", map[string]any{"t": "int", "v": v}, "kind", nil), line, col)
}

func arg(id string, line, col int) map[string]any {
	return at(n("arg", "arg", id, "annotation", nil), line, col)
}

func args(params ...any) map[string]any {
	return n("arguments", "posonlyargs", []any{}, "args", params, "vararg", nil, "kwonlyargs", []any{},
		"kw_defaults", []any{}, "kwarg", nil, "defaults", []any{})
}

func fdef(a map[string]any, body ...any) map[string]any {
	return at(n("FunctionDef", "name", "f", "args", a, "body", body, "decorator_list", []any{}, "returns", nil), 1, 0)
}

func enc(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t *testing.T, v any) *FunctionDef {
	t.Helper()
	fn, err := Decode(enc(t, v))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return fn
}

func TestDecodeFunction(t *testing.T) {
	// def f(x, y, a):
	//     x1 = x - a
	//     y[:] = x1 + x1 * x1
	src := fdef(args(arg("x", 1, 6), arg("y", 1, 9), arg("a", 1, 12)),
		at(n("Assign", "targets", []any{at(n("Name", "id", "x1", "ctx", n("Store")), 2, 4)},
			"value", at(n("BinOp", "left", name("x", 2, 9), "op", n("Sub"), "right", name("a", 2, 13)), 2, 9)), 2, 4),
		at(n("Assign",
			"targets", []any{at(n("Subscript", "value", name("y", 3, 4),
				"slice", at(n("Slice", "lower", nil, "upper", nil, "step", nil), 3, 6), "ctx", n("Store")), 3, 4)},
			"value", at(n("BinOp", "left", name("x1", 3, 11), "op", n("Add"),
				"right", at(n("BinOp", "left", name("x1", 3, 16), "op", n("Mult"), "right", name("x1", 3, 21)), 3, 16)), 3, 11)), 3, 4),
	)
	fn := decode(t, src)
	if fn.Name != "f" || fn.P != (Pos{1, 1}) {
		t.Errorf("def %s at %v", fn.Name, fn.P)
	}
	if len(fn.Params) != 3 || fn.Params[0].Name != "x" || fn.Params[2].Name != "a" || fn.Params[2].P != (Pos{1, 13}) {
		t.Fatalf("params %+v", fn.Params)
	}
	if fn.Extra != "" || len(fn.Defaults) != 0 {
		t.Errorf("extra %q, defaults %v", fn.Extra, fn.Defaults)
	}
	if len(fn.Body) != 2 {
		t.Fatalf("body has %d statements", len(fn.Body))
	}
	a1, ok := fn.Body[0].(*Assign)
	if !ok || a1.P != (Pos{2, 5}) {
		t.Fatalf("first statement %#v", fn.Body[0])
	}
	if tg := a1.Targets[0].(*Name); tg.ID != "x1" {
		t.Errorf("target %q", tg.ID)
	}
	b := a1.Value.(*BinOp)
	if b.Op != "Sub" || b.Left.(*Name).ID != "x" || b.Right.(*Name).ID != "a" || b.Right.Position() != (Pos{2, 14}) {
		t.Errorf("x - a decoded as %#v", b)
	}
	a2 := fn.Body[1].(*Assign)
	sub := a2.Targets[0].(*Subscript)
	if sl, ok := sub.Index.(*Slice); !ok || sl.Lower != nil || sl.Upper != nil || sl.Step != nil {
		t.Errorf("y[:] index %#v", sub.Index)
	}
	mul := a2.Value.(*BinOp).Right.(*BinOp)
	if mul.Op != "Mult" || mul.Position() != (Pos{3, 17}) {
		t.Errorf("x1 * x1 decoded as %#v", mul)
	}
}

func TestDecodeStatementsAndExpressions(t *testing.T) {
	body := []any{
		at(n("AugAssign", "target", at(n("Name", "id", "s", "ctx", n("Store")), 2, 4), "op", n("FloorDiv"), "value", intc("2", 2, 9)), 2, 4),
		at(n("AnnAssign", "target", at(n("Name", "id", "k", "ctx", n("Store")), 3, 4), "annotation", name("int", 3, 7),
			"value", nil, "simple", 1), 3, 4),
		at(n("For", "target", at(n("Name", "id", "i", "ctx", n("Store")), 4, 8),
			"iter", at(n("Call", "func", name("range", 4, 13), "args", []any{intc("3", 4, 19)},
				"keywords", []any{at(n("keyword", "arg", "step", "value", intc("1", 4, 27)), 4, 22)}), 4, 13),
			"body", []any{at(n("Break"), 5, 8)}, "orelse", []any{at(n("Pass"), 7, 8)}, "type_comment", nil), 4, 4),
		at(n("While", "test", at(n("BoolOp", "op", n("And"), "values", []any{name("a", 8, 10), name("b", 8, 16)}), 8, 10),
			"body", []any{at(n("Continue"), 9, 8)}, "orelse", []any{}), 8, 4),
		at(n("If", "test", at(n("Compare", "left", name("a", 10, 7), "ops", []any{n("Lt"), n("LtE")},
			"comparators", []any{name("b", 10, 11), name("c", 10, 16)}), 10, 7),
			"body", []any{at(n("Expr", "value", at(n("UnaryOp", "op", n("USub"), "operand", name("a", 11, 9)), 11, 8)), 11, 8)},
			"orelse", []any{}), 10, 4),
		at(n("Assert", "test", name("a", 12, 11), "msg", nil), 12, 4),
		at(n("Return", "value", at(n("Tuple", "elts", []any{
			at(n("IfExp", "test", name("a", 13, 16), "body", name("b", 13, 11), "orelse", name("c", 13, 23)), 13, 11),
			at(n("Attribute", "value", name("np", 13, 26), "attr", "pi", "ctx", n("Load")), 13, 26),
			at(n("Subscript", "value", name("x", 13, 33), "slice", at(n("Tuple", "elts", []any{intc("1", 13, 35), intc("2", 13, 38)}, "ctx", n("Load")), 13, 35), "ctx", n("Load")), 13, 33),
			at(n("Starred", "value", name("t", 13, 43), "ctx", n("Load")), 13, 42),
		}, "ctx", n("Load")), 13, 11)), 13, 4),
	}
	fn := decode(t, fdef(args(), body...))
	if len(fn.Body) != len(body) {
		t.Fatalf("%d statements decoded", len(fn.Body))
	}
	if s := fn.Body[0].(*AugAssign); s.Op != "FloorDiv" || s.Target.(*Name).ID != "s" {
		t.Errorf("augassign %#v", s)
	}
	if s := fn.Body[1].(*AnnAssign); s.Value != nil || s.Target.(*Name).ID != "k" {
		t.Errorf("annassign %#v", s)
	}
	f := fn.Body[2].(*For)
	call := f.Iter.(*Call)
	if call.Func.(*Name).ID != "range" || len(call.Args) != 1 || len(call.Keywords) != 1 ||
		call.Keywords[0].Name != "step" || call.Keywords[0].P != (Pos{4, 23}) {
		t.Errorf("range call %#v", call)
	}
	if _, ok := f.Body[0].(*Break); !ok || len(f.Orelse) != 1 {
		t.Errorf("for body %#v orelse %#v", f.Body, f.Orelse)
	}
	w := fn.Body[3].(*While)
	if bo := w.Test.(*BoolOp); bo.Op != "And" || len(bo.Values) != 2 {
		t.Errorf("while test %#v", w.Test)
	}
	if _, ok := w.Body[0].(*Continue); !ok {
		t.Errorf("while body %#v", w.Body)
	}
	i := fn.Body[4].(*If)
	if c := i.Test.(*Compare); strings.Join(c.Ops, " ") != "Lt LtE" || len(c.Comparators) != 2 {
		t.Errorf("compare %#v", c)
	}
	if u := i.Body[0].(*ExprStmt).Value.(*UnaryOp); u.Op != "USub" {
		t.Errorf("unary %#v", u)
	}
	if a := fn.Body[5].(*Assert); a.Msg != nil || a.P != (Pos{12, 5}) {
		t.Errorf("assert %#v", a)
	}
	tup := fn.Body[6].(*Return).Value.(*Tuple)
	if len(tup.Elts) != 4 {
		t.Fatalf("tuple %#v", tup)
	}
	if ie := tup.Elts[0].(*IfExp); ie.Test.(*Name).ID != "a" || ie.Body.(*Name).ID != "b" {
		t.Errorf("ifexp %#v", ie)
	}
	if at := tup.Elts[1].(*Attribute); at.Attr != "pi" || at.Value.(*Name).ID != "np" {
		t.Errorf("attribute %#v", at)
	}
	if sub := tup.Elts[2].(*Subscript); len(sub.Index.(*Tuple).Elts) != 2 {
		t.Errorf("x[1, 2] %#v", sub)
	}
	if st := tup.Elts[3].(*Starred); st.P != (Pos{13, 43}) {
		t.Errorf("starred %#v", st)
	}
}

// Python 3.8 wrapped subscripts in Index nodes; the decoder unwraps them.
func TestDecodeIndexNode(t *testing.T) {
	fn := decode(t, fdef(args(arg("x", 1, 6)), at(n("Return", "value",
		at(n("Subscript", "value", name("x", 2, 11), "slice", n("Index", "value", intc("0", 2, 13)), "ctx", n("Load")), 2, 11)), 2, 4)))
	sub := fn.Body[0].(*Return).Value.(*Subscript)
	if c, ok := sub.Index.(*Constant); !ok || c.Int.Int64() != 0 {
		t.Errorf("index %#v", sub.Index)
	}
}

func TestDecodeParameterForms(t *testing.T) {
	a := args(arg("b", 1, 9))
	a["posonlyargs"] = []any{arg("a", 1, 6)}
	a["defaults"] = []any{intc("1", 1, 11)}
	fn := decode(t, fdef(a, at(n("Pass"), 2, 4)))
	if len(fn.Params) != 2 || fn.Params[0].Name != "a" || fn.Params[1].Name != "b" {
		t.Errorf("positional-only then ordinary parameters: %+v", fn.Params)
	}
	if len(fn.Defaults) != 1 {
		t.Errorf("defaults %v", fn.Defaults)
	}
	// **kwargs: the last parameter, after the keyword-only ones.
	a = args(arg("x", 1, 6))
	a["kwarg"] = arg("kw", 1, 15)
	fn = decode(t, fdef(a, at(n("Pass"), 2, 4)))
	if !fn.Kwarg || fn.Extra != "" || len(fn.Params) != 2 || fn.Params[1].Name != "kw" || len(fn.KwOnly()) != 0 {
		t.Errorf("kwarg: Kwarg %v, Extra %q, params %+v", fn.Kwarg, fn.Extra, fn.Params)
	}
	// def f(x, *rest, k, m=2): the parameters in the order the Python side
	// passes them, the keyword-only defaults aligned with those parameters.
	a = args(arg("x", 1, 6))
	a["vararg"] = arg("rest", 1, 10)
	a["kwonlyargs"] = []any{arg("k", 1, 16), arg("m", 1, 19)}
	a["kw_defaults"] = []any{nil, intc("2", 1, 21)}
	fn = decode(t, fdef(a, at(n("Pass"), 2, 4)))
	var names []string
	for _, p := range fn.Params {
		names = append(names, p.Name)
	}
	if fmt.Sprint(names) != "[x rest k m]" || fn.NPos != 1 || !fn.Vararg || fn.Extra != "" {
		t.Errorf("params %v, NPos %d, Vararg %v, Extra %q", names, fn.NPos, fn.Vararg, fn.Extra)
	}
	if kw := fn.KwOnly(); len(kw) != 2 || kw[0].Name != "k" {
		t.Errorf("keyword-only %v", kw)
	}
	if len(fn.KwDefaults) != 2 || fn.KwDefaults[0] != nil || fn.KwDefaults[1] == nil {
		t.Errorf("keyword-only defaults %v", fn.KwDefaults)
	}
}

func TestDecodeUnsupportedKeepsPosition(t *testing.T) {
	fn := decode(t, fdef(args(),
		at(n("TryStar", "body", []any{at(n("Pass"), 3, 8)}, "handlers", []any{}, "orelse", []any{}, "finalbody", []any{}), 2, 4),
		at(n("With", "items", []any{}, "body", []any{}), 5, 4),
		at(n("Assign", "targets", []any{at(n("Name", "id", "d", "ctx", n("Store")), 6, 4)},
			"value", at(n("SomeFutureExpression"), 6, 8)), 6, 4),
		at(n("Expr", "value", at(n("Lambda", "args", args(), "body", intc("0", 7, 14)), 7, 4)), 7, 4),
		at(n("SomeFutureStatement"), 8, 2),
	))
	want := []struct {
		typ string
		pos Pos
	}{{"TryStar", Pos{2, 5}}, {"With", Pos{5, 5}}, {"", Pos{}}, {"", Pos{}}, {"SomeFutureStatement", Pos{8, 3}}}
	for i, w := range want {
		if w.typ == "" {
			continue
		}
		u, ok := fn.Body[i].(*UnsupportedStmt)
		if !ok || u.Type != w.typ || u.P != w.pos {
			t.Errorf("statement %d: %#v, want UnsupportedStmt %s at %v", i, fn.Body[i], w.typ, w.pos)
		}
	}
	if d, ok := fn.Body[2].(*Assign).Value.(*UnsupportedExpr); !ok || d.Type != "SomeFutureExpression" || d.P != (Pos{6, 9}) {
		t.Errorf("an unknown expression decoded as %#v", fn.Body[2].(*Assign).Value)
	}
	if l, ok := fn.Body[3].(*ExprStmt).Value.(*Lambda); !ok || l.P != (Pos{7, 5}) || l.Def.Name != "<lambda>" {
		t.Errorf("lambda decoded as %#v", fn.Body[3].(*ExprStmt).Value)
	}
}

func constant(t *testing.T, js string) *Constant {
	t.Helper()
	c, err := DecodeConstant([]byte(js))
	if err != nil {
		t.Fatalf("DecodeConstant(%s): %v", js, err)
	}
	return c
}

func TestDecodeTaggedConstants(t *testing.T) {
	if c := constant(t, `{"t":"int","v":"-123"}`); c.Kind != ConstInt || c.Int.Int64() != -123 {
		t.Errorf("int: %#v", c)
	}
	big := "123456789012345678901234567890"
	if c := constant(t, `{"t":"int","v":"`+big+`"}`); c.Kind != ConstInt || c.Int.String() != big {
		t.Errorf("big int: %#v", c)
	}
	if c := constant(t, `{"t":"float","v":"0x1.8p+1"}`); c.Kind != ConstFloat || c.Float != 3 {
		t.Errorf("float.hex: %#v", c)
	}
	if c := constant(t, `{"t":"float","v":"0x1.921fb54442d18p+1"}`); c.Float != math.Pi {
		t.Errorf("pi: %v", c.Float)
	}
	if c := constant(t, `{"t":"float","v":"-0x0.0p+0"}`); c.Float != 0 || !math.Signbit(c.Float) {
		t.Errorf("-0.0: %v", c.Float)
	}
	if c := constant(t, `{"t":"float","v":"0x0.0000000000001p-1022"}`); c.Float != math.SmallestNonzeroFloat64 {
		t.Errorf("smallest subnormal: %v", c.Float)
	}
	if c := constant(t, `{"t":"float","v":"inf"}`); !math.IsInf(c.Float, 1) {
		t.Errorf("inf: %v", c.Float)
	}
	if c := constant(t, `{"t":"float","v":"-inf"}`); !math.IsInf(c.Float, -1) {
		t.Errorf("-inf: %v", c.Float)
	}
	if c := constant(t, `{"t":"float","v":"nan"}`); !math.IsNaN(c.Float) {
		t.Errorf("nan: %v", c.Float)
	}
	if c := constant(t, `{"t":"complex","re":"0x0.0p+0","im":"0x1.0p+1"}`); c.Kind != ConstComplex || c.Float != 0 || c.Imag != 2 {
		t.Errorf("complex: %#v", c)
	}
	if c := constant(t, `{"t":"complex","re":"nan","im":"-inf"}`); !math.IsNaN(c.Float) || !math.IsInf(c.Imag, -1) {
		t.Errorf("complex nan/-inf: %#v", c)
	}
	if c := constant(t, `{"t":"bool","v":true}`); c.Kind != ConstBool || !c.Bool {
		t.Errorf("True: %#v", c)
	}
	if c := constant(t, `{"t":"bool","v":false}`); c.Kind != ConstBool || c.Bool {
		t.Errorf("False: %#v", c)
	}
	if c := constant(t, `{"t":"str","v":"a \"q\" \u00e9"}`); c.Kind != ConstStr || c.Str != "a \"q\" é" {
		t.Errorf("str: %#v", c)
	}
	for js, k := range map[string]ConstKind{`{"t":"bytes"}`: ConstBytes, `{"t":"none"}`: ConstNone, `{"t":"ellipsis"}`: ConstEllipsis} {
		if c := constant(t, js); c.Kind != k {
			t.Errorf("%s: kind %d, want %d", js, c.Kind, k)
		}
	}
	// A NumPy scalar global carries a dtype beside the tag; the decoder
	// ignores fields it does not know.
	if c := constant(t, `{"t":"float","v":"0x1.0p+0","dtype":"float32"}`); c.Float != 1 {
		t.Errorf("with dtype: %#v", c)
	}
}

func TestDecodeBadConstants(t *testing.T) {
	for _, js := range []string{
		`{"t":"int","v":"12x"}`,
		`{"t":"int","v":12}`,
		`{"t":"int"}`,
		`{"t":"float","v":"fast"}`,
		`{"t":"float","v":1.5}`,
		`{"t":"complex","re":"1","im":"i"}`,
		`{"t":"bool","v":"yes"}`,
		`{"t":"decimal","v":"1.0"}`,
		`{}`,
		`[]`,
		`"x"`,
		``,
	} {
		_, err := DecodeConstant([]byte(js))
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("DecodeConstant(%s) = %v, want a DecodeError", js, err)
		}
	}
	// A bad constant inside a function fails the whole decode.
	_, err := Decode(enc(t, fdef(args(), at(n("Return", "value",
		at(n("Constant", "value", map[string]any{"t": "int", "v": "x"}), 2, 11)), 2, 4))))
	if err == nil || !strings.Contains(err.Error(), "int constant") {
		t.Errorf("bad constant in a body: %v", err)
	}
}

func TestDecodeMalformed(t *testing.T) {
	ret := func(v any) map[string]any { return fdef(args(), at(n("Return", "value", v), 2, 4)) }
	for name, data := range map[string]string{
		"not json":         `{"_type": "FunctionDef",`,
		"not an object":    `[1, 2]`,
		"top not a def":    string(enc(t, at(n("Pass"), 1, 0))),
		"no _type":         `{"name": "f"}`,
		"_type not string": `{"_type": 3}`,
		"def without args": string(enc(t, n("FunctionDef", "name", "f", "body", []any{}))),
		"body not list":    string(enc(t, n("FunctionDef", "name", "f", "args", args(), "body", 3))),
		"null statement":   string(enc(t, fdef(args(), nil))),
		"null value":       string(enc(t, fdef(args(), at(n("Expr", "value", nil), 2, 4)))),
		"missing operator": string(enc(t, ret(n("BinOp", "left", name("a", 2, 11), "right", name("b", 2, 15))))),
		"bad name id":      string(enc(t, ret(n("Name", "id", 7)))),
		"bad operand":      string(enc(t, ret(n("UnaryOp", "op", n("USub"), "operand", "a")))),
		"elts not list":    string(enc(t, ret(n("Tuple", "elts", map[string]any{})))),
		"null comparator":  string(enc(t, ret(n("Compare", "left", name("a", 2, 11), "ops", []any{n("Lt")}, "comparators", []any{nil})))),
		"op without _type": string(enc(t, ret(n("Compare", "left", name("a", 2, 11), "ops", []any{map[string]any{}}, "comparators", []any{name("b", 2, 15)})))),
	} {
		fn, err := Decode([]byte(data))
		var de *DecodeError
		if !errors.As(err, &de) || fn != nil {
			t.Errorf("%s: Decode = %v, %v; want a DecodeError", name, fn, err)
		} else if !strings.HasPrefix(err.Error(), "pyast: ") {
			t.Errorf("%s: error %q does not name the package", name, err)
		}
	}
}

// seedASTs are the ast.json sections of the driver's goldens.
func seedASTs(t testing.TB) [][]byte {
	files, _ := filepath.Glob(filepath.Join("..", "driver", "testdata", "*.txtar"))
	var out [][]byte
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range a.Files {
			if file.Name == "ast.json" {
				out = append(out, file.Data)
			}
		}
	}
	return out
}

// Every checked-in AST decodes.
func TestDecodeGoldenASTs(t *testing.T) {
	seeds := seedASTs(t)
	if len(seeds) == 0 {
		t.Skip("no golden ASTs found")
	}
	for _, s := range seeds {
		if _, err := Decode(s); err != nil {
			t.Errorf("%v\n%.200s", err, s)
		}
	}
}

// FuzzDecode feeds arbitrary bytes to the decoder: an error is fine, a
// panic is a bug.
func FuzzDecode(f *testing.F) {
	for _, s := range seedASTs(f) {
		f.Add(s)
	}
	f.Add([]byte(`{"_type":"FunctionDef","name":"f","args":{"args":[]},"body":[{"_type":"Return","value":null}]}`))
	f.Add([]byte(`{"t":"complex","re":"nan","im":"0x1p+0"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fn, err := Decode(data)
		if err == nil && fn == nil {
			t.Fatal("Decode returned neither a function nor an error")
		}
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode error of type %T: %v", err, err)
			}
		}
		_, _ = DecodeConstant(data)
	})
}

// go test ./... -update passes -update to every test binary; this package
// has no goldens of its own.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")

// A set display of constants carries its frozenset's layout (the front
// end's _astjson._const_set_layouts); without one, or with one whose
// order and slots disagree in length, Const stays nil.
func TestDecodeSetLayout(t *testing.T) {
	elts := []any{intc("16", 2, 12), intc("1", 2, 16), intc("2", 2, 19)}
	for _, tc := range []struct {
		layout any
		want   *SetLayout
	}{
		{map[string]any{"order": []int{0, 1, 2}, "slots": []int{0, 1, 2}, "size": 8},
			&SetLayout{Order: []int{0, 1, 2}, Slots: []int64{0, 1, 2}, Size: 8}},
		{map[string]any{"order": []int{1, 2}, "slots": []int{1}, "size": 8}, nil},
		{nil, nil},
	} {
		set := at(n("Set", "elts", elts), 2, 11)
		if tc.layout != nil {
			set["layout"] = tc.layout
		}
		fn := decode(t, fdef(args(), at(n("Return", "value", set), 2, 4)))
		got := fn.Body[0].(*Return).Value.(*Set).Const
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("layout %v: decoded %+v, want %+v", tc.layout, got, tc.want)
		}
	}
}
