package pyast

import "encoding/json"

// Nodes of the Python-language step (issue 3): raise statements and
// lambdas. They live apart from ast.go so the decoder's main switch only
// dispatches here.

// Raise is `raise Exc`, `raise Exc(args)` or a bare `raise`.
type Raise struct {
	base
	Exc   Expr // nil for a bare raise
	Cause Expr // the `from` clause, nil when absent
}

func (*Raise) stmtNode() {}

// Lambda is `lambda params: body`. Def is the equivalent function
// definition (`def <lambda>(params): return body`), built by the decoder so
// later phases treat lambdas and nested defs alike.
type Lambda struct {
	base
	Def *FunctionDef
}

func (*Lambda) exprNode() {}

// stmtExt decodes the statements of this step; nil for any other kind.
func (d *decoder) stmtExt(t string, r raw, b base) Stmt {
	switch t {
	case "Raise":
		return &Raise{b, d.optExpr(r, "exc"), d.optExpr(r, "cause")}
	case "Try":
		return d.decodeTry(r, b) // try.go
	case "Delete":
		return &Delete{b, d.exprs(d.list(r, "targets"))} // dicts.go
	case "Nonlocal":
		n := &Nonlocal{base: b}
		var names []string
		if err := json.Unmarshal(r["names"], &names); err != nil {
			d.fail("nonlocal names: %v", err)
		}
		n.Names = names
		return n
	}
	return nil
}

// exprExt decodes the expressions of this step; nil for any other kind.
func (d *decoder) exprExt(t string, r raw, b base) Expr {
	if e := d.exprStrings(t, r, b); e != nil {
		return e
	}
	if e := d.exprComprehension(t, r, b); e != nil {
		return e
	}
	if e := d.exprDicts(t, r, b); e != nil { // dicts.go
		return e
	}
	switch t {
	case "List":
		return &List{b, d.exprs(d.list(r, "elts"))}
	case "Yield":
		return &Yield{b, d.optExpr(r, "value")} // generators.go
	case "Lambda":
		// A lambda's "args" has the shape of a def's; its body is one
		// expression, which becomes the def's return statement.
		body := d.expr(d.node(r, "body"))
		fr := raw{"args": r["args"]}
		fn := d.funcDefArgs(fr, b)
		fn.Name = "<lambda>"
		ret := &Return{Value: body}
		ret.P = body.Position()
		fn.Body = []Stmt{ret}
		return &Lambda{b, fn}
	}
	return nil
}
