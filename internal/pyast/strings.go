package pyast

import (
	"encoding/json"
	"math/big"
)

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

// Constructors for the string-folding pass (resolve/strfold.go), which
// builds nodes at the positions of those it replaces.

// StrConst is the string constant s at p.
func StrConst(p Pos, s string) *Constant { return &Constant{base: base{p}, Kind: ConstStr, Str: s} }

// BoolConst is the bool constant v at p.
func BoolConst(p Pos, v bool) *Constant { return &Constant{base: base{p}, Kind: ConstBool, Bool: v} }

// IntConst is the int constant v at p.
func IntConst(p Pos, v int64) *Constant {
	return &Constant{base: base{p}, Kind: ConstInt, Int: big.NewInt(v)}
}

// NewJoinedStr is an f-string at p.
func NewJoinedStr(p Pos, values []Expr) *JoinedStr { return &JoinedStr{base{p}, values} }

// NewField is the f-string field {v!conv:spec} at p (spec "" for none).
func NewField(p Pos, v Expr, conv byte, spec string) *FormattedValue {
	fv := &FormattedValue{base: base{p}, Value: v, Conv: conv}
	if spec != "" {
		fv.Spec = StrConst(p, spec)
	}
	return fv
}

// NewPass is a pass statement at p.
func NewPass(p Pos) *Pass { return &Pass{base{p}} }
