package ir

import (
	"strings"
	"testing"
)

func TestFormatMessage(t *testing.T) {
	for _, c := range []struct {
		tmpl string
		args []int64
		want string
	}{
		{"index {0} is out of bounds for axis 1 with size {1}", []int64{-7, 3}, "index -7 is out of bounds for axis 1 with size 3"},
		{"({1},{0})", []int64{4, 5}, "(5,4)"},
		{"{0}{0}", []int64{9}, "99"},
		{"100% sure {{not}} {0}", []int64{1}, "100% sure {not} 1"},
		{MessageLiteral("assert {x} %d"), nil, "assert {x} %d"},
		{"", nil, ""},
	} {
		got, err := FormatMessage(c.tmpl, c.args)
		if err != nil || got != c.want {
			t.Errorf("FormatMessage(%q, %v) = %q, %v; want %q", c.tmpl, c.args, got, err, c.want)
		}
	}
	for _, bad := range []string{"{", "{}", "}", "a } b", "{x}", "{-1}", "{01}", "{0", "{2}"} {
		if got, err := FormatMessage(bad, []int64{1, 2}); err == nil {
			t.Errorf("FormatMessage(%q) = %q, want an error", bad, got)
		}
	}
}

// The table lists each distinct message once, with its line, in order of
// first appearance, and maps every check to its entry.
func TestProgramMessages(t *testing.T) {
	c1 := &Check{Cond: BoolConst(true), Err: ErrIndex, Msg: "index {0}", Args: []Expr{IntConst(1)}, Line: 3}
	c2 := &Check{Cond: BoolConst(true), Err: ErrValue, Msg: "bad", Line: 4}
	c3 := &Check{Cond: BoolConst(true), Err: ErrIndex, Msg: "index {0}", Args: []Expr{IntConst(2)}, Line: 3}
	c4 := &Check{Cond: BoolConst(true), Err: ErrIndex, Msg: "index {0}", Args: []Expr{IntConst(2)}, Line: 9}
	p := &Program{Funcs: []*Func{
		{Name: "f", Body: []Stmt{c1, &If{Cond: BoolConst(true), Then: []Stmt{c2}}}},
		{Name: "g", Body: []Stmt{c3, c4}},
	}}
	table, ids := p.Messages()
	want := []Message{{ErrIndex, "index {0}", 3}, {ErrValue, "bad", 4}, {ErrIndex, "index {0}", 9}}
	if len(table) != len(want) {
		t.Fatalf("table %v, want %v", table, want)
	}
	for i := range want {
		if table[i] != want[i] {
			t.Errorf("entry %d = %v, want %v", i, table[i], want[i])
		}
	}
	for c, id := range map[*Check]int{c1: 0, c2: 1, c3: 0, c4: 2} {
		if ids[c] != id {
			t.Errorf("check %q at line %d has id %d, want %d", c.Msg, c.Line, ids[c], id)
		}
	}
}

func TestVerifyChecksMessages(t *testing.T) {
	for msg, want := range map[string]string{
		"index {1}":   "names operand 1 of 1",
		"index {0":    "unclosed",
		"brace } off": "without {",
	} {
		fx := newFixture()
		fx.f.Body[2].(*For).Body[0].(*Check).Msg = msg
		err := Verify(fx.p)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Verify of a check with message %q: %v, want it to say %q", msg, err, want)
		}
	}
}
