package pyast

// Nodes of lists (issue 14): list displays. They live apart from ast.go
// so the decoder's main switch only dispatches here.

// List is a list display, [a, b, ...] (empty: []).
type List struct {
	base
	Elts []Expr
}

func (*List) exprNode() {}
