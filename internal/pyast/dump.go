package pyast

import (
	"fmt"
	"strings"
)

// Dump renders a function as compact S-expressions, one statement per
// line. note, when set, annotates each expression (explain passes the
// inferred type, so the output is the typed tree).
func Dump(fn *FunctionDef, note func(Expr) string) string {
	d := &dumper{note: note}
	params := make([]string, len(fn.Params))
	for i, p := range fn.Params {
		params[i] = p.Name
	}
	fmt.Fprintf(&d.b, "(def %s (%s)\n", fn.Name, strings.Join(params, " "))
	d.stmts(fn.Body, 1)
	d.b.WriteString(")\n")
	return d.b.String()
}

type dumper struct {
	b    strings.Builder
	note func(Expr) string
}

func (d *dumper) stmts(body []Stmt, depth int) {
	for _, s := range body {
		d.stmt(s, depth)
	}
}

func (d *dumper) line(depth int, format string, args ...any) {
	d.b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteString("\n")
}

func (d *dumper) block(head string, body []Stmt, depth int) {
	d.line(depth, "(%s", head)
	d.stmts(body, depth+1)
	d.line(depth, ")")
}

func (d *dumper) stmt(s Stmt, depth int) {
	switch s := s.(type) {
	case *Return:
		if s.Value == nil {
			d.line(depth, "(return)")
		} else {
			d.line(depth, "(return %s)", d.expr(s.Value))
		}
	case *Assign:
		targets := make([]string, len(s.Targets))
		for i, t := range s.Targets {
			targets[i] = d.expr(t)
		}
		d.line(depth, "(= %s %s)", strings.Join(targets, " "), d.expr(s.Value))
	case *AugAssign:
		d.line(depth, "(%s= %s %s)", s.Op, d.expr(s.Target), d.expr(s.Value))
	case *AnnAssign:
		if s.Value != nil {
			d.line(depth, "(= %s %s)", d.expr(s.Target), d.expr(s.Value))
		}
	case *For:
		d.block(fmt.Sprintf("for %s %s", d.expr(s.Target), d.expr(s.Iter)), s.Body, depth)
	case *While:
		d.block("while "+d.expr(s.Test), s.Body, depth)
	case *If:
		d.block("if "+d.expr(s.Test), s.Body, depth)
		if len(s.Orelse) > 0 {
			d.block("else", s.Orelse, depth)
		}
	case *ExprStmt:
		d.line(depth, "%s", d.expr(s.Value))
	case *Assert:
		d.line(depth, "(assert %s)", d.expr(s.Test))
	case *Pass:
		d.line(depth, "(pass)")
	case *Nonlocal:
		d.line(depth, "(nonlocal %s)", strings.Join(s.Names, " "))
	case *Break:
		d.line(depth, "(break)")
	case *Continue:
		d.line(depth, "(continue)")
	case *UnsupportedStmt:
		d.line(depth, "(unsupported %s)", s.Type)
	case *FunctionDef:
		d.line(depth, "(def %s ...)", s.Name)
	case *Delete:
		d.line(depth, "(del %s)", d.list(s.Targets))
	case *Try:
		d.block("try", s.Body, depth)
		for _, h := range s.Handlers {
			t := "except"
			if h.Type != nil {
				t += " " + d.expr(h.Type)
			}
			if h.Name != "" {
				t += " as " + h.Name
			}
			d.block(t, h.Body, depth)
		}
		if len(s.Orelse) > 0 {
			d.block("else", s.Orelse, depth)
		}
		if len(s.Finalbody) > 0 {
			d.block("finally", s.Finalbody, depth)
		}
	case *Raise:
		if s.Exc == nil {
			d.line(depth, "(raise)")
		} else {
			d.line(depth, "(raise %s)", d.expr(s.Exc))
		}
	}
}

func (d *dumper) expr(e Expr) string {
	s := d.expr1(e)
	if d.note != nil {
		if n := d.note(e); n != "" {
			return s + ":" + n
		}
	}
	return s
}

func (d *dumper) list(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = d.expr(e)
	}
	return strings.Join(parts, " ")
}

func (d *dumper) expr1(e Expr) string {
	switch e := e.(type) {
	case *Name:
		return e.ID
	case *Constant:
		switch e.Kind {
		case ConstInt:
			return e.Int.String()
		case ConstFloat:
			return fmt.Sprint(e.Float)
		case ConstComplex:
			return fmt.Sprintf("complex(%v, %v)", e.Float, e.Imag)
		case ConstBool:
			if e.Bool {
				return "True"
			}
			return "False"
		case ConstStr:
			return fmt.Sprintf("%q", e.Str)
		case ConstNone:
			return "None"
		case ConstEllipsis:
			return "..."
		}
		return "bytes"
	case *BinOp:
		return fmt.Sprintf("(%s %s %s)", e.Op, d.expr(e.Left), d.expr(e.Right))
	case *UnaryOp:
		return fmt.Sprintf("(%s %s)", e.Op, d.expr(e.Operand))
	case *BoolOp:
		return fmt.Sprintf("(%s %s)", e.Op, d.list(e.Values))
	case *Compare:
		parts := []string{d.expr(e.Left)}
		for i, op := range e.Ops {
			parts = append(parts, op, d.expr(e.Comparators[i]))
		}
		return "(compare " + strings.Join(parts, " ") + ")"
	case *IfExp:
		return fmt.Sprintf("(ifexp %s %s %s)", d.expr(e.Test), d.expr(e.Body), d.expr(e.Orelse))
	case *Call:
		s := "(call " + d.expr(e.Func)
		if len(e.Args) > 0 {
			s += " " + d.list(e.Args)
		}
		for _, k := range e.Keywords {
			s += fmt.Sprintf(" %s=%s", k.Name, d.expr(k.Value))
		}
		return s + ")"
	case *Attribute:
		return d.expr1(e.Value) + "." + e.Attr
	case *Subscript:
		return fmt.Sprintf("(index %s %s)", d.expr(e.Value), d.expr(e.Index))
	case *Slice:
		part := func(x Expr) string {
			if x == nil {
				return "_"
			}
			return d.expr(x)
		}
		return fmt.Sprintf("(slice %s %s %s)", part(e.Lower), part(e.Upper), part(e.Step))
	case *Tuple:
		return "(tuple " + d.list(e.Elts) + ")"
	case *Starred:
		return "(star " + d.expr(e.Value) + ")"
	case *UnsupportedExpr:
		return "(unsupported " + e.Type + ")"
	case *Lambda:
		return "(lambda ...)"
	case *Yield:
		if e.Value == nil {
			return "(yield)"
		}
		return "(yield " + d.expr(e.Value) + ")"
	case *JoinedStr:
		return "(fstring " + d.list(e.Values) + ")"
	case *FormattedValue:
		return "(field " + d.expr(e.Value) + ")"
	case *List:
		return "(list " + d.list(e.Elts) + ")"
	case *Set:
		return "(set " + d.list(e.Elts) + ")"
	case *Dict:
		return "(dict " + d.list(e.Keys) + " : " + d.list(e.Values) + ")"
	case *ListComp:
		return "(listcomp " + d.expr(e.Elt) + d.comp(e.Generators) + ")"
	case *SetComp:
		return "(setcomp " + d.expr(e.Elt) + d.comp(e.Generators) + ")"
	case *DictComp:
		return "(dictcomp " + d.expr(e.Key) + " : " + d.expr(e.Value) + d.comp(e.Generators) + ")"
	case *GeneratorExp:
		return "(genexp " + d.expr(e.Elt) + d.comp(e.Generators) + ")"
	}
	return "?"
}

func (d *dumper) comp(gens []*Comprehension) string {
	s := ""
	for _, g := range gens {
		s += fmt.Sprintf(" (for %s %s", d.expr(g.Target), d.expr(g.Iter))
		for _, c := range g.Ifs {
			s += " (if " + d.expr(c) + ")"
		}
		s += ")"
	}
	return s
}

// ExprString renders one expression as Dump does, without annotations:
// two expressions with the same text compute the same value when the
// variables they name hold the same values.
func ExprString(e Expr) string {
	return (&dumper{}).expr(e)
}
