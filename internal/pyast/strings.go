package pyast

import "encoding/json"

// Nodes of f-strings (issue 14): compiled as print() arguments and as the
// messages of raised exceptions.

// JoinedStr is an f-string: constant strings and FormattedValues.
type JoinedStr struct {
	base
	Values []Expr
}

// FormattedValue is an f-string's field {Value!Conv:Spec}. Conv is 's',
// 'r', 'a' or 0; Spec is nil, or a JoinedStr (constant when it holds
// only string constants).
type FormattedValue struct {
	base
	Value Expr
	Conv  byte
	Spec  Expr
}

func (*JoinedStr) exprNode()      {}
func (*FormattedValue) exprNode() {}

// exprStrings decodes the nodes of f-strings; nil for any other kind.
func (d *decoder) exprStrings(t string, r raw, b base) Expr {
	switch t {
	case "JoinedStr":
		return &JoinedStr{b, d.exprs(d.list(r, "values"))}
	case "FormattedValue":
		var conv int
		if v, ok := r["conversion"]; ok {
			if err := json.Unmarshal(v, &conv); err != nil {
				d.fail("FormattedValue conversion: %v", err)
			}
		}
		fv := &FormattedValue{base: b, Value: d.expr(d.node(r, "value")), Spec: d.optExpr(r, "format_spec")}
		if conv > 0 && conv < 128 {
			fv.Conv = byte(conv)
		}
		return fv
	}
	return nil
}
