package pyast

import "encoding/json"

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
	// Const is the layout of the frozenset constant CPython's compiler
	// made of a display of three or more constants, which the display
	// merges into a new set (BUILD_SET 0, SET_UPDATE), or nil: the
	// front end reads it from the function's code object
	// (python/sejit/_astjson.py), since the compiler's history (constant
	// merging, interning) decides it.
	Const *SetLayout
}

// SetLayout is where a frozenset's table holds its items: Order[k] is
// the display's element (an index into Elts) that is the frozenset's
// k-th item in iteration order, Slots[k] that item's slot, Size the
// table's number of slots. The table has no dummies.
type SetLayout struct {
	Order []int   `json:"order"`
	Slots []int64 `json:"slots"`
	Size  int64   `json:"size"`
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
		set := &Set{base: b, Elts: d.exprs(d.list(r, "elts"))}
		if v, ok := r["layout"]; ok && string(v) != "null" {
			var l SetLayout
			if err := json.Unmarshal(v, &l); err != nil {
				d.fail("field layout: %v", err)
			} else if len(l.Order) == len(l.Slots) {
				set.Const = &l
			}
		}
		return set
	}
	return nil
}
