package pyast

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
)

// raw is one JSON node before it is typed.
type raw map[string]json.RawMessage

// DecodeError reports malformed JSON; it is an engine or protocol bug, never
// the user's, since the JSON comes from CPython's own parser.
type DecodeError struct{ Msg string }

func (e *DecodeError) Error() string { return "pyast: " + e.Msg }

type decoder struct {
	err   error
	comps int // comprehensions decoded so far (comprehensions.go)
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = &DecodeError{fmt.Sprintf(format, args...)}
	}
}

// Decode reads a FunctionDef from its JSON form.
func Decode(data []byte) (*FunctionDef, error) {
	var r raw
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, &DecodeError{err.Error()}
	}
	d := &decoder{}
	s := d.stmt(r)
	if d.err != nil {
		return nil, d.err
	}
	fn, ok := s.(*FunctionDef)
	if !ok {
		return nil, &DecodeError{"top node is not a FunctionDef"}
	}
	return fn, nil
}

// DecodeConstant reads a tagged constant value (docs/protocol.md).
func DecodeConstant(data []byte) (*Constant, error) {
	d := &decoder{}
	c := &Constant{}
	d.constValue(data, c)
	return c, d.err
}

func (d *decoder) typ(r raw) string {
	var s string
	if err := json.Unmarshal(r["_type"], &s); err != nil {
		d.fail("node without _type")
	}
	return s
}

func (d *decoder) pos(r raw) Pos {
	var line, col int
	if v, ok := r["lineno"]; ok {
		_ = json.Unmarshal(v, &line)
	}
	if v, ok := r["col_offset"]; ok {
		_ = json.Unmarshal(v, &col)
	}
	return Pos{line, col + 1}
}

func (d *decoder) str(r raw, field string) string {
	var s string
	if v, ok := r[field]; ok && string(v) != "null" {
		if err := json.Unmarshal(v, &s); err != nil {
			d.fail("field %s: %v", field, err)
		}
	}
	return s
}

func (d *decoder) node(r raw, field string) raw {
	v, ok := r[field]
	if !ok || string(v) == "null" {
		return nil
	}
	var n raw
	if err := json.Unmarshal(v, &n); err != nil {
		d.fail("field %s: %v", field, err)
		return nil
	}
	return n
}

func (d *decoder) list(r raw, field string) []raw {
	v, ok := r[field]
	if !ok || string(v) == "null" {
		return nil
	}
	var l []raw
	if err := json.Unmarshal(v, &l); err != nil {
		d.fail("field %s: %v", field, err)
	}
	return l
}

// opName reads an operator field such as {"_type": "Add"}.
func (d *decoder) opName(r raw, field string) string {
	n := d.node(r, field)
	if n == nil {
		d.fail("missing operator %s", field)
		return ""
	}
	return d.typ(n)
}

func (d *decoder) stmts(l []raw) []Stmt {
	out := make([]Stmt, 0, len(l))
	for _, r := range l {
		out = append(out, d.stmt(r))
	}
	return out
}

func (d *decoder) exprs(l []raw) []Expr {
	out := make([]Expr, 0, len(l))
	for _, r := range l {
		out = append(out, d.expr(r))
	}
	return out
}

func (d *decoder) optExpr(r raw, field string) Expr {
	if n := d.node(r, field); n != nil {
		return d.expr(n)
	}
	return nil
}

func (d *decoder) stmt(r raw) Stmt {
	if r == nil {
		d.fail("null statement")
		return &Pass{}
	}
	b := base{d.pos(r)}
	switch t := d.typ(r); t {
	case "FunctionDef":
		return d.funcDef(r, b)
	case "Return":
		return &Return{b, d.optExpr(r, "value")}
	case "Assign":
		return &Assign{b, d.exprs(d.list(r, "targets")), d.expr(d.node(r, "value"))}
	case "AugAssign":
		return &AugAssign{b, d.expr(d.node(r, "target")), d.opName(r, "op"), d.expr(d.node(r, "value"))}
	case "AnnAssign":
		return &AnnAssign{b, d.expr(d.node(r, "target")), d.optExpr(r, "value")}
	case "For":
		return &For{b, d.expr(d.node(r, "target")), d.expr(d.node(r, "iter")),
			d.stmts(d.list(r, "body")), d.stmts(d.list(r, "orelse"))}
	case "While":
		return &While{b, d.expr(d.node(r, "test")), d.stmts(d.list(r, "body")), d.stmts(d.list(r, "orelse"))}
	case "If":
		return &If{b, d.expr(d.node(r, "test")), d.stmts(d.list(r, "body")), d.stmts(d.list(r, "orelse"))}
	case "Expr":
		return &ExprStmt{b, d.expr(d.node(r, "value"))}
	case "Assert":
		return &Assert{b, d.expr(d.node(r, "test")), d.optExpr(r, "msg")}
	case "Pass":
		return &Pass{b}
	case "Break":
		return &Break{b}
	case "Continue":
		return &Continue{b}
	case "Import", "ImportFrom":
		return d.importStmt(t, r, b) // imports.go
	default:
		if s := d.stmtExt(t, r, b); s != nil {
			return s
		}
		return &UnsupportedStmt{b, t}
	}
}

func (d *decoder) funcDef(r raw, b base) *FunctionDef {
	fn := d.funcDefArgs(r, b)
	fn.Name = d.str(r, "name")
	fn.Body = d.stmts(d.list(r, "body"))
	return fn
}

// funcDefArgs decodes the parameters of a def or a lambda (r["args"]).
func (d *decoder) funcDefArgs(r raw, b base) *FunctionDef {
	fn := &FunctionDef{base: b}
	a := d.node(r, "args")
	if a == nil {
		d.fail("FunctionDef without args")
		return fn
	}
	for _, field := range []string{"posonlyargs", "args"} {
		for _, p := range d.list(a, field) {
			fn.Params = append(fn.Params, &Param{base{d.pos(p)}, d.str(p, "arg")})
		}
	}
	fn.Defaults = d.exprs(d.list(a, "defaults"))
	fn.NPos = len(fn.Params)
	if v := d.node(a, "vararg"); v != nil {
		fn.Vararg = true
		fn.Params = append(fn.Params, &Param{base{d.pos(v)}, d.str(v, "arg")})
	}
	for _, p := range d.list(a, "kwonlyargs") {
		fn.Params = append(fn.Params, &Param{base{d.pos(p)}, d.str(p, "arg")})
	}
	for _, k := range d.list(a, "kw_defaults") {
		if k == nil {
			fn.KwDefaults = append(fn.KwDefaults, nil)
		} else {
			fn.KwDefaults = append(fn.KwDefaults, d.expr(k))
		}
	}
	if k := d.node(a, "kwarg"); k != nil {
		fn.Kwarg = true
		fn.Params = append(fn.Params, &Param{base{d.pos(k)}, d.str(k, "arg")})
	}
	return fn
}

func (d *decoder) expr(r raw) Expr {
	if r == nil {
		d.fail("null expression")
		return &Constant{Kind: ConstNone}
	}
	b := base{d.pos(r)}
	switch t := d.typ(r); t {
	case "Name":
		return &Name{b, d.str(r, "id")}
	case "Constant":
		c := &Constant{base: b}
		d.constValue(r["value"], c)
		return c
	case "BinOp":
		return &BinOp{b, d.opName(r, "op"), d.expr(d.node(r, "left")), d.expr(d.node(r, "right"))}
	case "UnaryOp":
		return &UnaryOp{b, d.opName(r, "op"), d.expr(d.node(r, "operand"))}
	case "BoolOp":
		return &BoolOp{b, d.opName(r, "op"), d.exprs(d.list(r, "values"))}
	case "Compare":
		var ops []string
		for _, o := range d.list(r, "ops") {
			ops = append(ops, d.typ(o))
		}
		return &Compare{b, d.expr(d.node(r, "left")), ops, d.exprs(d.list(r, "comparators"))}
	case "IfExp":
		return &IfExp{b, d.expr(d.node(r, "test")), d.expr(d.node(r, "body")), d.expr(d.node(r, "orelse"))}
	case "Call":
		c := &Call{base: b, Func: d.expr(d.node(r, "func")), Args: d.exprs(d.list(r, "args"))}
		for _, k := range d.list(r, "keywords") {
			c.Keywords = append(c.Keywords, &Keyword{base{d.pos(k)}, d.str(k, "arg"), d.expr(d.node(k, "value"))})
		}
		return c
	case "Attribute":
		return &Attribute{b, d.expr(d.node(r, "value")), d.str(r, "attr")}
	case "Subscript":
		return &Subscript{b, d.expr(d.node(r, "value")), d.expr(d.node(r, "slice"))}
	case "Slice":
		return &Slice{b, d.optExpr(r, "lower"), d.optExpr(r, "upper"), d.optExpr(r, "step")}
	case "Tuple":
		return &Tuple{b, d.exprs(d.list(r, "elts"))}
	case "Starred":
		return &Starred{b, d.expr(d.node(r, "value"))}
	case "Index": // Python < 3.9 wrapped subscripts in Index nodes
		return d.expr(d.node(r, "value"))
	default:
		if e := d.exprExt(t, r, b); e != nil {
			return e
		}
		return &UnsupportedExpr{b, t}
	}
}

// constValue decodes a tagged constant into c.
func (d *decoder) constValue(data json.RawMessage, c *Constant) {
	var v struct {
		T  string          `json:"t"`
		V  json.RawMessage `json:"v"`
		Re string          `json:"re"`
		Im string          `json:"im"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		d.fail("constant: %v", err)
		return
	}
	var s string
	if v.T == "int" || v.T == "float" || v.T == "str" {
		if err := json.Unmarshal(v.V, &s); err != nil {
			d.fail("constant %s: %v", v.T, err)
			return
		}
	}
	switch v.T {
	case "int":
		c.Kind = ConstInt
		n, ok := new(big.Int).SetString(s, 10)
		if !ok {
			d.fail("bad int constant %q", s)
			return
		}
		c.Int = n
	case "float":
		c.Kind = ConstFloat
		c.Float = d.float(s)
	case "complex":
		c.Kind = ConstComplex
		c.Float, c.Imag = d.float(v.Re), d.float(v.Im)
	case "bool":
		c.Kind = ConstBool
		if err := json.Unmarshal(v.V, &c.Bool); err != nil {
			d.fail("bool constant: %v", err)
		}
	case "str":
		c.Kind, c.Str = ConstStr, s
	case "bytes":
		c.Kind = ConstBytes
	case "none":
		c.Kind = ConstNone
	case "ellipsis":
		c.Kind = ConstEllipsis
	default:
		d.fail("unknown constant tag %q", v.T)
	}
}

func (d *decoder) float(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		d.fail("bad float constant %q", s)
	}
	return f
}
