package pyast

// Try is `try: Body` with its except clauses, else clause and finally
// clause (Python 3.11's ast.Try; ast.TryStar stays unsupported).
type Try struct {
	base
	Body      []Stmt
	Handlers  []*ExceptHandler
	Orelse    []Stmt
	Finalbody []Stmt
}

func (*Try) stmtNode() {}

// ExceptHandler is one `except Type as Name:` clause. Type is nil for a
// bare `except:`, Name is "" without `as`.
type ExceptHandler struct {
	base
	Type Expr
	Name string
	Body []Stmt
}

// decodeTry decodes an ast.Try.
func (d *decoder) decodeTry(r raw, b base) *Try {
	t := &Try{base: b, Body: d.stmts(d.list(r, "body")), Orelse: d.stmts(d.list(r, "orelse")),
		Finalbody: d.stmts(d.list(r, "finalbody"))}
	for _, hr := range d.list(r, "handlers") {
		t.Handlers = append(t.Handlers, &ExceptHandler{base: base{d.pos(hr)}, Type: d.optExpr(hr, "type"),
			Name: d.str(hr, "name"), Body: d.stmts(d.list(hr, "body"))})
	}
	return t
}
