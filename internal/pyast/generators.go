package pyast

// Yield is `yield value` (Value nil for a bare yield). Generator functions
// compile only where a for loop iterates them (resolve/generators.go
// inlines their bodies there); every other yield stays an error.
type Yield struct {
	base
	Value Expr
}

func (*Yield) exprNode() {}
