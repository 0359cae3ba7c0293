// Package pyast holds typed Go nodes for the subset of CPython's ast that
// sejit understands, decoded from the JSON the Python front end sends
// (docs/protocol.md). Node kinds outside that subset decode to Unsupported
// nodes that keep their position, so later phases can report them at the
// user's line and column instead of failing the whole decode.
//
// Analysis results never live in these nodes: later phases keep side tables
// keyed by node pointers, in the manner of go/types.Info.
package pyast

import "math/big"

// Pos is a 1-based line and column in the user's file.
type Pos struct{ Line, Col int }

// Node is any syntax node.
type Node interface{ Position() Pos }

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement node.
type Stmt interface {
	Node
	stmtNode()
}

type base struct{ P Pos }

func (b *base) Position() Pos { return b.P }

// ---- statements ----

// FunctionDef is a def. Params lists every parameter a call binds, in the
// order the Python side passes them to a compiled entry: the positional
// ones (NPos of them), then *args when Vararg (one parameter holding the
// extra positional arguments as a tuple), then the keyword-only ones, then
// **kwargs when Kwarg (one parameter holding the extra keyword arguments,
// a record of them: types/kwargs.go).
// Defaults are the positional parameters' (the last len(Defaults) of
// them), KwDefaults the keyword-only ones' (nil where there is none).
type FunctionDef struct {
	base
	Name       string
	Params     []*Param
	Defaults   []Expr
	NPos       int
	Vararg     bool
	Kwarg      bool
	KwDefaults []Expr
	// Extra names the kind of an unsupported parameter form, if any.
	Extra    string
	ExtraPos Pos
	Body     []Stmt
}

// KwOnly is the keyword-only parameters of def.
func (def *FunctionDef) KwOnly() []*Param {
	n := def.NPos
	if def.Vararg {
		n++
	}
	end := len(def.Params)
	if def.Kwarg {
		end--
	}
	if n > end {
		return nil
	}
	return def.Params[n:end]
}

// Param is one positional parameter.
type Param struct {
	base
	Name string
}

type (
	Return struct {
		base
		Value Expr // nil for a bare return
	}
	Assign struct {
		base
		Targets []Expr
		Value   Expr
	}
	AugAssign struct {
		base
		Target Expr
		Op     string
		Value  Expr
	}
	AnnAssign struct {
		base
		Target Expr
		Value  Expr // nil for a bare annotation
	}
	For struct {
		base
		Target Expr
		Iter   Expr
		Body   []Stmt
		Orelse []Stmt
	}
	While struct {
		base
		Test   Expr
		Body   []Stmt
		Orelse []Stmt
	}
	If struct {
		base
		Test   Expr
		Body   []Stmt
		Orelse []Stmt
	}
	ExprStmt struct {
		base
		Value Expr
	}
	Assert struct {
		base
		Test Expr
		Msg  Expr
	}
	Pass     struct{ base }
	Break    struct{ base }
	Continue struct{ base }
	// UnsupportedStmt is a statement kind sejit does not compile (try, with, class, …).
	UnsupportedStmt struct {
		base
		Type string
	}
)

func (*FunctionDef) stmtNode()     {}
func (*Return) stmtNode()          {}
func (*Assign) stmtNode()          {}
func (*AugAssign) stmtNode()       {}
func (*AnnAssign) stmtNode()       {}
func (*For) stmtNode()             {}
func (*While) stmtNode()           {}
func (*If) stmtNode()              {}
func (*ExprStmt) stmtNode()        {}
func (*Assert) stmtNode()          {}
func (*Pass) stmtNode()            {}
func (*Break) stmtNode()           {}
func (*Continue) stmtNode()        {}
func (*UnsupportedStmt) stmtNode() {}

// ---- expressions ----

// ConstKind tells which field of a Constant holds its value.
type ConstKind int

const (
	ConstInt ConstKind = iota
	ConstFloat
	ConstComplex
	ConstBool
	ConstStr
	ConstBytes
	ConstNone
	ConstEllipsis
)

type (
	Name struct {
		base
		ID string
	}
	Constant struct {
		base
		Kind  ConstKind
		Int   *big.Int
		Float float64
		Imag  float64 // for complex, Float is the real part
		Bool  bool
		Str   string
	}
	BinOp struct {
		base
		Op          string // Add Sub Mult Div FloorDiv Mod Pow MatMult LShift RShift BitOr BitXor BitAnd
		Left, Right Expr
	}
	UnaryOp struct {
		base
		Op      string // UAdd USub Not Invert
		Operand Expr
	}
	BoolOp struct {
		base
		Op     string // And Or
		Values []Expr
	}
	Compare struct {
		base
		Left        Expr
		Ops         []string // Eq NotEq Lt LtE Gt GtE Is IsNot In NotIn
		Comparators []Expr
	}
	IfExp struct {
		base
		Test, Body, Orelse Expr
	}
	Call struct {
		base
		Func     Expr
		Args     []Expr
		Keywords []*Keyword
	}
	Attribute struct {
		base
		Value Expr
		Attr  string
	}
	Subscript struct {
		base
		Value Expr
		Index Expr // a Tuple for a[i, j]
	}
	Slice struct {
		base
		Lower, Upper, Step Expr // each may be nil
	}
	Tuple struct {
		base
		Elts []Expr
	}
	Starred struct {
		base
		Value Expr
	}
	// UnsupportedExpr is an expression kind sejit does not compile (dict, lambda, …).
	UnsupportedExpr struct {
		base
		Type string
	}
)

// Keyword is a keyword argument; Name is empty for **kwargs.
type Keyword struct {
	base
	Name  string
	Value Expr
}

func (*Name) exprNode()            {}
func (*Constant) exprNode()        {}
func (*BinOp) exprNode()           {}
func (*UnaryOp) exprNode()         {}
func (*BoolOp) exprNode()          {}
func (*Compare) exprNode()         {}
func (*IfExp) exprNode()           {}
func (*Call) exprNode()            {}
func (*Attribute) exprNode()       {}
func (*Subscript) exprNode()       {}
func (*Slice) exprNode()           {}
func (*Tuple) exprNode()           {}
func (*Starred) exprNode()         {}
func (*UnsupportedExpr) exprNode() {}
