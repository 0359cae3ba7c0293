// Package ir is sejit's target-neutral loop-nest IR. Lowering turns every
// array expression into explicit loops over elements; optimisation passes
// merge and simplify those loops; a target (C today, OpenCL next) prints
// the result.
//
// The IR is structured, not a control-flow graph: loops and branches nest
// as in the source, which is what the targets print and what fusion
// reasons about. Expressions are pure and total — everything that can fail
// (a bounds check, a division by zero in Python semantics, a call that
// raises) is a statement — so passes may duplicate, move or drop an
// expression without changing what a program raises. A failing statement
// ends the function, unless a Try around it catches the failure
// (try.go): passes never move such a statement into or out of a Try.
//
// Operators (Op, op.go) and intrinsics (Fn, the registry in intrinsics.go)
// are closed sets with their semantics written once; every target
// implements all of them exactly, and Verify checks their use.
//
// Arrays are variables holding descriptors (data, extents, strides in
// elements). Views, allocations and aliases define array variables with
// SetArray; element access is Load and Store with one index per dimension.
package ir

import "sejit/internal/types"

// Var is a scalar or array variable. Names are unique within a function and
// safe to print in any target.
type Var struct {
	Name  string
	Type  *types.Type // a Scalar or an Array type
	Param int         // the parameter position, or -1
}

// Func is one specialization.
type Func struct {
	Name    string
	Params  []*Var
	Results []*types.Type // flattened result leaves: scalars and arrays
	Locals  []*Var
	Body    []Stmt
	// Cold marks a function only a rare path calls (the stretching variant
	// of lower/broadcast.go): targets may compile it for size, not speed.
	Cold bool
	// Extern marks a helper of the target's runtime library (np.sort's,
	// say; helpers.go) that Call statements may call: it has Params and
	// Results but no Body, Helper says which helper it is, and Extern[k]
	// reports whether it writes array parameter k (the helper's Writes).
	// Extern functions are not part of Program.Funcs.
	Extern []bool
	Helper Helper
	// Copied[k] says array parameter k is replaced by a private C-ordered
	// copy, before the body runs, whenever its memory overlaps a parameter
	// the function writes: by the runtime for the entry, by the function's
	// first statements otherwise (lower's guardOverlap). A copied parameter
	// therefore never shares memory with one the function writes, which
	// is what lets passes treat the two as distinct. Parameters not
	// copied may overlap any other parameter.
	Copied []bool
	// OnFail are the values of the last len(OnFail) result leaves, which
	// the function sets when it fails as well as when it returns: the
	// final contents of the entry's list parameters, which the caller's
	// lists receive even when the call raises (lower/lists.go). Each is an
	// ArrayRef or a Ref of a variable of the function.
	OnFail []Expr
}

// IsCopied reports Copied[k], false when Copied is shorter.
func (f *Func) IsCopied(k int) bool { return k >= 0 && k < len(f.Copied) && f.Copied[k] }

// Program is every function of a compile, the entry first.
type Program struct {
	Funcs []*Func
}

// Entry is the function the runtime calls.
func (p *Program) Entry() *Func { return p.Funcs[0] }

// Stmt is a statement.
type Stmt interface{ stmt() }

// Expr is a pure scalar expression.
type Expr interface{ expr() }

// LimitMsg is the message of an ErrLimit check raising class (OverflowError
// or ValueError) with text.
func LimitMsg(class, text string) string { return class + ":" + text }

// ErrKind is the exception a failed Check raises (sejit_abi.h's SEJIT_ERR_*).
type ErrKind int

const (
	ErrZeroDiv  ErrKind = 1
	ErrIndex    ErrKind = 2
	ErrValue    ErrKind = 3
	ErrMemory   ErrKind = 4
	ErrType     ErrKind = 5
	ErrAssert   ErrKind = 6
	ErrRuntime  ErrKind = 7
	ErrOverflow ErrKind = 8
	// ErrLimit is a value CPython has and compiled code cannot hold (a
	// float too large for int64, the complex result of a Python float
	// power): the message is "Class:text" and names the Python class
	// raised, and no except clause of compiled code catches it, since
	// CPython raises nothing there (LimitMsg).
	ErrLimit ErrKind = 17
	// ErrFormat is no exception: a Print with it formats a string
	// (printstmt.go; sejit_abi.h's SEJIT_FORMAT).
	ErrFormat ErrKind = 100
)

type (
	// Assign sets a scalar variable.
	Assign struct {
		Dst *Var
		Src Expr
	}
	// Store writes one array element.
	Store struct {
		Arr *Var
		Idx []Expr
		Src Expr
	}
	// SetArray defines an array variable.
	SetArray struct {
		Dst *Var
		Src ArrayDef
	}
	If struct {
		Cond       Expr
		Then, Else []Stmt
	}
	// While loops while Cond holds.
	While struct {
		Cond Expr
		Body []Stmt
	}
	// For is a counted loop of the user's: Var runs from Start while it is
	// below Stop (above, for a negative step) by Step. Sign is the step's
	// sign when known at compile time (+1, -1), else 0.
	For struct {
		Var               *Var
		Start, Stop, Step Expr
		Sign              int
		Body              []Stmt
		// Parallel marks a prange loop compiled with parallel=True: its
		// iterations may run on several threads (PlanParallel says how).
		Parallel bool
		// Checked marks the copy of a versioned loop that keeps the checks
		// a test before it could not prove: it runs only when that test
		// fails, so passes need not spend code on making it fast.
		Checked bool
	}
	// Nest is an element-wise iteration space: one loop per Vars entry,
	// outermost first, each from 0 to its Bound. Nests come from array
	// expressions; their iterations are independent, which is what lets
	// passes fuse them and targets parallelise them.
	Nest struct {
		Vars   []*Var
		Bounds []Expr
		Body   []Stmt
	}
	Break    struct{}
	Continue struct{}
	// Return ends the function with its result leaves (scalar expressions,
	// or ArrayRef for arrays).
	Return struct{ Vals []Expr }
	// Check raises Err unless Cond holds. Msg is the message's template
	// (message.go): {k} stands for Args[k], an int64. Line is the source
	// line of the statement that placed the check (0: unknown).
	Check struct {
		Cond Expr
		Err  ErrKind
		Msg  string
		Args []Expr
		Line int
	}
	// Call calls a user function; Dsts receive its result leaves.
	Call struct {
		Func *Func
		Args []Expr // scalars, or ArrayRef
		Dsts []*Var
	}
)

func (*Assign) stmt()   {}
func (*Store) stmt()    {}
func (*SetArray) stmt() {}
func (*If) stmt()       {}
func (*While) stmt()    {}
func (*For) stmt()      {}
func (*Nest) stmt()     {}
func (*Break) stmt()    {}
func (*Continue) stmt() {}
func (*Return) stmt()   {}
func (*Check) stmt()    {}
func (*Call) stmt()     {}

// ArrayDef says where an array variable's descriptor comes from.
type ArrayDef interface{ arrayDef() }

type (
	// Alloc is a new C-ordered array, uninitialised.
	Alloc struct {
		DType types.DType
		Shape []Expr
	}
	// View shares Base's memory: element (i0, i1, …) of the view is
	// data[Offset + Σ ik*Strides[k]], where data is Base's data pointer as
	// a pointer to the view's dtype: offset and strides are in elements of
	// the view. The dtypes differ only for the real and imaginary parts of
	// a complex array (a float view at offset 0 or 1, strides doubled).
	View struct {
		Base    *Var
		Offset  Expr
		Shape   []Expr
		Strides []Expr
	}
	// Alias is the same descriptor as Src.
	Alias struct{ Src *Var }
)

func (*Alloc) arrayDef() {}
func (*View) arrayDef()  {}
func (*Alias) arrayDef() {}

type (
	// Const is a scalar constant of Type's dtype.
	Const struct {
		Type *types.Type
		I    int64   // bools and signed integers
		U    uint64  // unsigned integers
		F    float64 // floats, and the real part of complex
		Im   float64
	}
	Ref  struct{ Var *Var }
	Load struct {
		Arr *Var
		Idx []Expr
	}
	// Dim is an array variable's extent along Axis.
	Dim struct {
		Arr  *Var
		Axis int
	}
	// Stride is an array variable's stride along Axis, in elements.
	Stride struct {
		Arr  *Var
		Axis int
	}
	// Bin is a binary operation computed in T's dtype (comparisons: in the
	// operands' dtype, with a bool result). Op is a binary operator; op.go
	// gives each one's exact semantics.
	Bin struct {
		Op   Op
		X, Y Expr
		T    *types.Type
	}
	// Unary is Neg, Not, Inv (bitwise) or Abs (op.go).
	Unary struct {
		Op Op
		X  Expr
		T  *types.Type
	}
	// Cast converts X to T's dtype: integers wrap (two's complement);
	// floats round to nearest; a float converts to an integer by
	// truncation, and NaN or a value outside int64 (outside uint64, for an
	// unsigned T, where negative values wrap) gives INT64_MIN (x86's
	// integer indefinite, which every target reproduces: lower/f2i.go and
	// opt/guards.go test int()'s result against it), then wraps to T; a
	// complex converts by its real part; anything to bool is != 0.
	Cast struct {
		X Expr
		T *types.Type
	}
	Select struct {
		Cond, X, Y Expr
		T          *types.Type
	}
	// Intrinsic calls a pure function of the registry (intrinsics.go):
	// sin, sqrt, floor, isnan, NumPy's minimum, CPython's gcd, … Fn's
	// entry gives its operand types, its result type T and its exact
	// semantics, which every target implements.
	Intrinsic struct {
		Fn   Fn
		Args []Expr
		T    *types.Type
	}
	// ArrayRef passes or returns a whole array variable.
	ArrayRef struct{ Var *Var }
	// Overlap is true when the memory spanned by two arrays intersects
	// (neither being empty).
	Overlap struct{ A, B *Var }
)

func (*Const) expr()     {}
func (*Ref) expr()       {}
func (*Load) expr()      {}
func (*Dim) expr()       {}
func (*Stride) expr()    {}
func (*Bin) expr()       {}
func (*Unary) expr()     {}
func (*Cast) expr()      {}
func (*Select) expr()    {}
func (*Intrinsic) expr() {}
func (*ArrayRef) expr()  {}
func (*Overlap) expr()   {}

// TypeOf is the scalar type of a pure expression.
func TypeOf(e Expr) *types.Type {
	switch e := e.(type) {
	case *Const:
		return e.Type
	case *Ref:
		return e.Var.Type
	case *Load:
		return types.ScalarOf(e.Arr.Type.DType)
	case *Dim, *Stride:
		return types.ScalarOf(types.Int64)
	case *Bin:
		if e.Op.IsBool() {
			return types.BoolT
		}
		return e.T
	case *Unary:
		if e.Op.IsBool() {
			return types.BoolT
		}
		return e.T
	case *Cast:
		return e.T
	case *Select:
		return e.T
	case *Intrinsic:
		return e.T
	case *ArrayRef:
		return e.Var.Type
	case *Overlap:
		return types.BoolT
	}
	return types.UnknownT
}

// IntConst returns an int64 constant.
func IntConst(v int64) *Const { return &Const{Type: types.ScalarOf(types.Int64), I: v} }

// BoolConst returns a bool constant.
func BoolConst(v bool) *Const {
	c := &Const{Type: types.BoolT}
	if v {
		c.I = 1
	}
	return c
}
