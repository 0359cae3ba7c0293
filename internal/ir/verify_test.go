package ir

import (
	"flag"
	"strings"
	"testing"

	"sejit/internal/types"
)

// go test ./... -update passes -update to every test binary; this package
// has no goldens of its own.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")

var (
	i64 = types.ScalarOf(types.Int64)
	f64 = types.ScalarOf(types.Float64)
	v1  = types.ArrayOf(types.Float64, 1, 'C')
	m2  = types.ArrayOf(types.Float64, 2, 'C')
)

// fixture is a small valid function with a 1-D and a 2-D array parameter,
// a scalar parameter, a few locals, and a callee; each case breaks one
// thing about it.
type fixture struct {
	p          *Program
	f, g       *Func
	x, m, a    *Var // parameters: x 1-D, m 2-D, a float64
	s, i, j, t *Var // locals: s float64, i and j int64, t 1-D array
}

func newFixture() *fixture {
	fx := &fixture{}
	fx.x = &Var{Name: "x", Type: v1, Param: 0}
	fx.m = &Var{Name: "m", Type: m2, Param: 1}
	fx.a = &Var{Name: "a", Type: f64, Param: 2}
	fx.s = &Var{Name: "s", Type: f64, Param: -1}
	fx.i = &Var{Name: "i", Type: i64, Param: -1}
	fx.j = &Var{Name: "j", Type: i64, Param: -1}
	fx.t = &Var{Name: "t", Type: v1, Param: -1}
	gx := &Var{Name: "gx", Type: v1, Param: 0}
	fx.g = &Func{Name: "g", Params: []*Var{gx}, Results: []*types.Type{f64},
		Body: []Stmt{&Return{Vals: []Expr{&Load{Arr: gx, Idx: []Expr{IntConst(0)}}}}}}
	fx.f = &Func{
		Name:    "f",
		Params:  []*Var{fx.x, fx.m, fx.a},
		Results: []*types.Type{f64, v1},
		Locals:  []*Var{fx.s, fx.i, fx.j, fx.t},
		Body: []Stmt{
			&SetArray{Dst: fx.t, Src: &Alloc{DType: types.Float64, Shape: []Expr{&Dim{Arr: fx.x, Axis: 0}}}},
			&Nest{Vars: []*Var{fx.i}, Bounds: []Expr{&Dim{Arr: fx.x, Axis: 0}}, Body: []Stmt{
				&Store{Arr: fx.t, Idx: []Expr{&Ref{Var: fx.i}},
					Src: &Bin{Op: Add, X: &Load{Arr: fx.x, Idx: []Expr{&Ref{Var: fx.i}}}, Y: &Ref{Var: fx.a}, T: f64}},
			}},
			&For{Var: fx.j, Start: IntConst(0), Stop: &Dim{Arr: fx.m, Axis: 1}, Step: IntConst(1), Sign: 1, Body: []Stmt{
				&Check{Cond: &Bin{Op: Lt, X: &Ref{Var: fx.j}, Y: &Dim{Arr: fx.m, Axis: 0}, T: types.BoolT},
					Err: ErrIndex, Msg: "index {0}", Args: []Expr{&Ref{Var: fx.j}}},
				&Assign{Dst: fx.s, Src: &Load{Arr: fx.m, Idx: []Expr{&Ref{Var: fx.j}, &Ref{Var: fx.j}}}},
			}},
			&Call{Func: fx.g, Args: []Expr{&ArrayRef{Var: fx.t}}, Dsts: []*Var{fx.s}},
			&Return{Vals: []Expr{&Ref{Var: fx.s}, &ArrayRef{Var: fx.t}}},
		},
	}
	fx.p = &Program{Funcs: []*Func{fx.f, fx.g}}
	return fx
}

func TestVerifyAcceptsValidIR(t *testing.T) {
	fx := newFixture()
	if err := Verify(fx.p); err != nil {
		var b strings.Builder
		Fprint(&b, fx.p)
		t.Fatalf("Verify: %v\n%s", err, b.String())
	}
}

func TestVerifyCatchesBadIR(t *testing.T) {
	stray := func() *Var { return &Var{Name: "stray", Type: f64, Param: -1} }
	cases := []struct {
		name   string
		mutate func(fx *fixture)
		want   string
		bug    string // a known gap of Verify
	}{
		// Index counts.
		{"load with too few indices", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Load{Arr: fx.m, Idx: []Expr{&Ref{Var: fx.j}}}
		}, "bad load of m", ""},
		{"load with too many indices", func(fx *fixture) {
			fx.f.Body[1].(*Nest).Body[0].(*Store).Src = &Load{Arr: fx.x, Idx: []Expr{IntConst(0), IntConst(0)}}
		}, "bad load of x", ""},
		{"store with wrong index count", func(fx *fixture) {
			fx.f.Body[1].(*Nest).Body[0].(*Store).Idx = []Expr{&Ref{Var: fx.i}, &Ref{Var: fx.i}}
		}, "bad store to t", ""},
		{"extent of a missing axis", func(fx *fixture) {
			fx.f.Body[2].(*For).Stop = &Dim{Arr: fx.m, Axis: 2}
		}, "bad extent of m", ""},
		{"stride of a missing axis", func(fx *fixture) {
			fx.f.Body[2].(*For).Step = &Stride{Arr: fx.x, Axis: 1}
		}, "bad stride of x", ""},
		// Unknown and misused variables.
		{"unknown variable read", func(fx *fixture) {
			fx.f.Body[4].(*Return).Vals[0] = &Ref{Var: stray()}
		}, "unknown variable stray", ""},
		{"unknown variable in a check argument", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[0].(*Check).Args[0] = &Ref{Var: stray()}
		}, "unknown variable stray", ""},
		{"assignment to an unknown variable", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Dst = stray()
		}, "bad assignment to stray", ""},
		{"load from a function's own variable of another function", func(fx *fixture) {
			fx.f.Body[1].(*Nest).Body[0].(*Store).Src = &Load{Arr: fx.g.Params[0], Idx: []Expr{&Ref{Var: fx.i}}}
		}, "bad load of gx", ""},
		{"array used as a scalar", func(fx *fixture) {
			fx.f.Body[4].(*Return).Vals[0] = &Ref{Var: fx.t}
		}, "array t used as a scalar", ""},
		{"scalar assigned an array's place", func(fx *fixture) {
			fx.f.Body[0].(*SetArray).Dst = fx.s
		}, "bad array definition of s", ""},
		{"variable declared twice", func(fx *fixture) {
			fx.f.Locals = append(fx.f.Locals, fx.s)
		}, "declared twice", ""},
		{"unknown loop variable", func(fx *fixture) {
			fx.f.Body[2].(*For).Var = &Var{Name: "k", Type: i64, Param: -1}
		}, "k", "Verify never checks For.Var (nor Nest.Vars, nor Call.Dsts) against the function's variables: " +
			"IR with an undeclared loop variable verifies and cgen prints C that does not compile"},
		{"unknown nest variable", func(fx *fixture) {
			fx.f.Body[1].(*Nest).Vars = []*Var{{Name: "k", Type: i64, Param: -1}}
		}, "k", "Verify never checks Nest.Vars against the function's variables"},
		// Whole arrays inside expressions.
		{"array reference inside an expression", func(fx *fixture) {
			fx.f.Body[1].(*Nest).Body[0].(*Store).Src = &Bin{Op: Add, X: &ArrayRef{Var: fx.x}, Y: &Ref{Var: fx.a}, T: f64}
		}, "whole array x inside an expression", ""},
		{"array reference as an index", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Load{Arr: fx.x, Idx: []Expr{&ArrayRef{Var: fx.t}}}
		}, "whole array t inside an expression", ""},
		{"array reference assigned to a scalar", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &ArrayRef{Var: fx.x}
		}, "whole array x inside an expression", ""},
		{"array reference of a scalar", func(fx *fixture) {
			fx.f.Body[4].(*Return).Vals[1] = &ArrayRef{Var: fx.s}
		}, "bad array reference s", ""},
		{"array reference stored as an element", func(fx *fixture) {
			fx.f.Body[1].(*Nest).Body[0].(*Store).Src = &ArrayRef{Var: fx.x}
		}, "whole array x", "Verify skips a whole-array reference at the top of a Store's value (and of a Check, " +
			"If or While condition, or a bound): only Assign, Return and Call look at top-level ArrayRefs"},
		// Operators.
		{"binary expression with a unary operator", func(fx *fixture) {
			fx.f.Body[1].(*Nest).Body[0].(*Store).Src.(*Bin).Op = Neg
		}, "binary expression with operator neg", ""},
		{"unary expression with a binary operator", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Unary{Op: Add, X: &Ref{Var: fx.a}, T: f64}
		}, "unary expression with operator add", ""},
		{"operator outside the set", func(fx *fixture) {
			fx.f.Body[1].(*Nest).Body[0].(*Store).Src.(*Bin).Op = numOps
		}, "binary expression with operator ?", ""},
		// Intrinsics against the registry.
		{"unknown intrinsic", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Intrinsic{Fn: BadFn, Args: []Expr{&Ref{Var: fx.a}}, T: f64}
		}, "unknown intrinsic", ""},
		{"intrinsic with too many operands", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Intrinsic{Fn: FnSqrt, Args: []Expr{&Ref{Var: fx.a}, &Ref{Var: fx.a}}, T: f64}
		}, "sqrt with 2 operands for 1", ""},
		{"variadic intrinsic without its fixed operand", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Intrinsic{Fn: FnPyFsum, T: f64}
		}, "py_fsum with 0 operands for 2", ""},
		{"intrinsic operand of another dtype", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Intrinsic{Fn: FnSqrt, Args: []Expr{&Ref{Var: fx.i}}, T: f64}
		}, "sqrt: operand 1 is int64, want float64 like the others", ""},
		{"intrinsic on a dtype it is not defined on", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Cast{X: &Intrinsic{Fn: FnSqrt, Args: []Expr{&Ref{Var: fx.i}}, T: i64}, T: f64}
		}, "sqrt: not defined on int64", ""},
		{"intrinsic with a fixed operand dtype broken", func(fx *fixture) {
			fx.f.Body[2].(*For).Body[1].(*Assign).Src = &Intrinsic{Fn: FnPyLdexp, Args: []Expr{&Ref{Var: fx.a}, &Ref{Var: fx.a}}, T: f64}
		}, "py_ldexp: operand 2 is float64, want int64", ""},
		{"call of an extern function that is no helper", func(fx *fixture) {
			fx.g.Body, fx.g.Extern = nil, []bool{false}
		}, "call of g, an extern function that is no helper's", ""},
		// Definitions.
		{"allocation of the wrong rank", func(fx *fixture) {
			fx.f.Body[0].(*SetArray).Src = &Alloc{DType: types.Float64, Shape: []Expr{IntConst(2), IntConst(3)}}
		}, "allocation of t has 2 extents for 1 axes", ""},
		{"view of the wrong rank", func(fx *fixture) {
			fx.f.Body[0].(*SetArray).Src = &View{Base: fx.m, Offset: IntConst(0), Shape: []Expr{IntConst(1), IntConst(1)},
				Strides: []Expr{IntConst(1)}}
		}, "view t has the wrong rank", ""},
		{"alias of another dtype", func(fx *fixture) {
			fx.f.Body[0].(*SetArray).Src = &Alias{Src: &Var{Name: "i32s", Type: types.ArrayOf(types.Int32, 1, 'C'), Param: -1}}
		}, "alias t of a different array type", ""},
		{"nest with more bounds than variables", func(fx *fixture) {
			n := fx.f.Body[1].(*Nest)
			n.Bounds = append(n.Bounds, IntConst(3))
		}, "nest with 1 variables and 2 bounds", ""},
		// Signatures.
		{"return of too few values", func(fx *fixture) {
			fx.f.Body[4].(*Return).Vals = fx.f.Body[4].(*Return).Vals[:1]
		}, "return of 1 values for 2 results", ""},
		{"call with too many arguments", func(fx *fixture) {
			c := fx.f.Body[3].(*Call)
			c.Args = append(c.Args, &Ref{Var: fx.a})
		}, "call of g with 2 arguments for 1", ""},
		{"call with too few results", func(fx *fixture) {
			fx.f.Body[3].(*Call).Dsts = nil
		}, "call of g with 0 results for 1", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx := newFixture()
			c.mutate(fx)
			err := Verify(fx.p)
			if c.bug != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Skip("BUG: " + c.bug)
			}
			if err == nil {
				var b strings.Builder
				Fprint(&b, fx.p)
				t.Fatalf("Verify accepted:\n%s", b.String())
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("Verify: %v; want it to say %q", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "f: ") {
				t.Errorf("Verify: %v; want the function named", err)
			}
		})
	}
}

// The errors of a callee name the callee.
func TestVerifyNamesTheFunction(t *testing.T) {
	fx := newFixture()
	fx.g.Body[0].(*Return).Vals = nil
	err := Verify(fx.p)
	if err == nil || !strings.HasPrefix(err.Error(), "g: return of 0 values for 1 results") {
		t.Errorf("Verify: %v", err)
	}
}

func TestFprintAndExprString(t *testing.T) {
	fx := newFixture()
	var b strings.Builder
	Fprint(&b, fx.p)
	want := `func f(x array(float64, 1d, C), m array(float64, 2d, C), a float64) (float64, array(float64, 1d, C))
  t = alloc float64[x.shape[0]]
  nest i < x.shape[0] {
    t[i] = add(x[i], a)
  }
  for j = 0; m.shape[1]; 1 {
    check lt(j, m.shape[0]) else IndexError "index {0}" (j)
    s = m[j, j]
  }
  s = call g(&t)
  return s, &t

func g(gx array(float64, 1d, C)) (float64)
  return gx[0]
`
	if b.String() != want {
		t.Errorf("Fprint:\n%s\nwant:\n%s", b.String(), want)
	}
	for e, want := range map[Expr]string{
		&Const{Type: types.ScalarOf(types.Float32), F: 0.5}:          "f32(0.5)",
		&Const{Type: f64, F: 3}:                                      "3.0",
		&Const{Type: f64, F: 1e300}:                                  "1e+300",
		&Const{Type: types.ScalarOf(types.Uint8), U: 255}:            "255u",
		&Const{Type: types.ScalarOf(types.Int8), I: -3}:              "int8(-3)",
		&Const{Type: types.ScalarOf(types.Complex128), F: 1, Im: -2}: "complex(1.0, -2.0)",
		BoolConst(true):                   "true",
		&Cast{X: &Ref{Var: fx.i}, T: f64}: "float64(i)",
		&Select{Cond: BoolConst(false), X: IntConst(1), Y: IntConst(2)}: "select(false, 1, 2)",
		&Intrinsic{Fn: FnSqrt, Args: []Expr{&Ref{Var: fx.a}}, T: f64}:   "sqrt(a)",
		&Unary{Op: Neg, X: &Stride{Arr: fx.m, Axis: 1}, T: i64}:         "neg(m.strides[1])",
		&Const{Type: f64, F: negInf()}:                                  "-inf",
	} {
		if got := ExprString(e); got != want {
			t.Errorf("ExprString = %q, want %q", got, want)
		}
	}
}

func negInf() float64 {
	z := 0.0
	return -1 / z
}

func TestTypeOf(t *testing.T) {
	fx := newFixture()
	for e, want := range map[Expr]string{
		&Bin{Op: Lt, X: &Ref{Var: fx.a}, Y: &Ref{Var: fx.a}, T: f64}:  "bool",
		&Bin{Op: Add, X: &Ref{Var: fx.a}, Y: &Ref{Var: fx.a}, T: f64}: "float64",
		&Unary{Op: Not, X: BoolConst(true), T: types.BoolT}:           "bool",
		&Load{Arr: fx.m, Idx: []Expr{IntConst(0), IntConst(0)}}:       "float64",
		&Dim{Arr: fx.x}:      "int64",
		&ArrayRef{Var: fx.t}: "array(float64, 1d, C)",
	} {
		if got := TypeOf(e).String(); got != want {
			t.Errorf("TypeOf(%s) = %s, want %s", ExprString(e), got, want)
		}
	}
}

// MapExpr rebuilds rather than mutates: an expression shared by two
// statements is unchanged when one statement's copy is rewritten.
func TestMapStmtsDoesNotMutateSharedExpressions(t *testing.T) {
	fx := newFixture()
	shared := &Bin{Op: Add, X: &Ref{Var: fx.i}, Y: IntConst(1), T: i64}
	body := []Stmt{&Assign{Dst: fx.j, Src: shared}}
	MapStmts(body, func(e Expr) Expr {
		if r, ok := e.(*Ref); ok && r.Var == fx.i {
			return IntConst(7)
		}
		return nil
	})
	if ExprString(shared) != "add(i, 1)" {
		t.Errorf("shared expression became %s", ExprString(shared))
	}
	if got := ExprString(body[0].(*Assign).Src); got != "add(7, 1)" {
		t.Errorf("rewritten statement has %s", got)
	}
	if !Mentions(shared, fx.i) || Mentions(shared, fx.j) {
		t.Errorf("Mentions is wrong on %s", ExprString(shared))
	}
}
