package pyast

// Nodes of dicts and sets (issue 14): dict and set displays and
// comprehensions (decoded with the others, comprehensions.go) and the del
// statement. They live apart from ast.go so the decoder's main switch only
// dispatches here.

// Dict is a dict display, {k: v, ...} (empty: {}).
type Dict struct {
	base
	Keys, Values []Expr
}

// Set is a set display, {a, b, ...} (never empty: {} is a dict).
type Set struct {
	base
	Elts []Expr
}

// Delete is `del t1, t2, ...`.
type Delete struct {
	base
	Targets []Expr
}

// DictComp is {Key: Value for ... in ... if ...}.
type DictComp struct {
	base
	Key, Value Expr
	Generators []*Comprehension
}

// SetComp is {Elt for ... in ... if ...}.
type SetComp struct {
	base
	Elt        Expr
	Generators []*Comprehension
}

func (*DictComp) exprNode() {}
func (*SetComp) exprNode()  {}
func (*Dict) exprNode()     {}
func (*Set) exprNode()      {}
func (*Delete) stmtNode()   {}

// exprDicts decodes dict and set displays; nil for any other kind.
func (d *decoder) exprDicts(t string, r raw, b base) Expr {
	switch t {
	case "Dict":
		for _, k := range d.list(r, "keys") {
			if k == nil {
				return &UnsupportedExpr{b, "DictUnpack"}
			}
		}
		return &Dict{b, d.exprs(d.list(r, "keys")), d.exprs(d.list(r, "values"))}
	case "Set":
		return &Set{b, d.exprs(d.list(r, "elts"))}
	}
	return nil
}
