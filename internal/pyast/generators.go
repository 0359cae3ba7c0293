package pyast

// Nodes of generators and closures that write (issue 14).

// Yield is `yield value` (Value nil for a bare yield). Generator functions
// compile only where a for loop iterates them (resolve/generators.go
// inlines their bodies there); every other yield stays an error.
type Yield struct {
	base
	Value Expr
}

func (*Yield) exprNode() {}

// Nonlocal is `nonlocal a, b` in a nested function: the names are the
// enclosing function's variables, which it writes through a cell
// (resolve/nonlocal.go).
type Nonlocal struct {
	base
	Names []string
}

func (*Nonlocal) stmtNode() {}
