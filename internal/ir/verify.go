package ir

import (
	"fmt"

	"sejit/internal/types"
)

// Verify checks the IR's invariants: every variable used belongs to its
// function, array operations name arrays with as many indices as axes,
// whole arrays appear only as call arguments and results, and calls and
// returns match their functions' signatures.
func Verify(p *Program) error {
	for _, f := range p.Funcs {
		if err := verifyFunc(f); err != nil {
			return fmt.Errorf("%s: %v", f.Name, err)
		}
	}
	return nil
}

func verifyFunc(f *Func) error {
	known := map[*Var]bool{}
	for _, v := range f.Params {
		known[v] = true
	}
	for _, v := range f.Locals {
		if known[v] {
			return fmt.Errorf("variable %s declared twice", v.Name)
		}
		known[v] = true
	}
	var err error
	fail := func(format string, args ...any) {
		if err == nil {
			err = fmt.Errorf(format, args...)
		}
	}
	isArr := func(v *Var) bool { return v.Type.Kind == types.Array }
	var expr func(e Expr, top bool)
	expr = func(e Expr, top bool) {
		VisitExpr(e, func(x Expr) {
			switch x := x.(type) {
			case *Ref:
				if !known[x.Var] {
					fail("unknown variable %s", x.Var.Name)
				} else if isArr(x.Var) {
					fail("array %s used as a scalar", x.Var.Name)
				}
			case *Load:
				if !known[x.Arr] || !isArr(x.Arr) || len(x.Idx) != x.Arr.Type.NDim {
					fail("bad load of %s", x.Arr.Name)
				}
			case *Dim:
				if !known[x.Arr] || !isArr(x.Arr) || x.Axis >= x.Arr.Type.NDim {
					fail("bad extent of %s", x.Arr.Name)
				}
			case *Stride:
				if !known[x.Arr] || !isArr(x.Arr) || x.Axis >= x.Arr.Type.NDim {
					fail("bad stride of %s", x.Arr.Name)
				}
			case *Bin:
				if !x.Op.IsBinary() {
					fail("binary expression with operator %s", x.Op)
				}
			case *Unary:
				if !x.Op.IsUnary() {
					fail("unary expression with operator %s", x.Op)
				}
			case *Intrinsic:
				if e := checkIntrinsic(x); e != nil {
					fail("%v", e)
				}
			case *Overlap:
				if !known[x.A] || !known[x.B] || !isArr(x.A) || !isArr(x.B) {
					fail("bad overlap test")
				}
			case *ArrayRef:
				if !top {
					fail("whole array %s inside an expression", x.Var.Name)
				}
				if !known[x.Var] || !isArr(x.Var) {
					fail("bad array reference %s", x.Var.Name)
				}
			}
		})
	}
	// scalarOnly reports a whole array where a scalar is required.
	scalarOnly := func(what string, es ...Expr) {
		for _, e := range es {
			if a, ok := e.(*ArrayRef); ok {
				fail("whole array %s inside an expression (%s)", a.Var.Name, what)
			}
		}
	}
	declared := func(what string, vs ...*Var) {
		for _, v := range vs {
			if !known[v] {
				fail("undeclared %s %s", what, v.Name)
			}
		}
	}
	VisitStmts(f.Body, func(s Stmt) {
		switch s := s.(type) {
		case *If:
			scalarOnly("a condition", s.Cond)
		case *While:
			scalarOnly("a condition", s.Cond)
		case *For:
			declared("loop variable", s.Var)
			scalarOnly("a loop bound", s.Start, s.Stop, s.Step)
		case *Check:
			scalarOnly("a check", append([]Expr{s.Cond}, s.Args...)...)
			parts, err := ParseMessage(s.Msg)
			if err != nil {
				fail("%v", err)
			}
			for _, p := range parts {
				if p.Arg >= len(s.Args) {
					fail("message %q names operand %d of %d", s.Msg, p.Arg, len(s.Args))
				}
			}
		case *Print:
			n := 0 // elements still owed to enclosing tuples
			for i, it := range s.Items {
				switch {
				case it.Kind == PrintValue && it.Val == nil,
					it.Kind == PrintList && (it.N < 1 || it.Rows && it.N != 1 || it.Arrays && (it.N < 2 || it.N%2 != 0)):
					fail("bad print item %d", i)
				case it.Kind == PrintValue:
					expr(it.Val, true)
				}
				if n > 0 && (it.Join || it.Fmt) {
					fail("print item %d: a tuple element joined or formatted", i)
				}
				if n > 0 {
					n--
				}
				if it.Kind == PrintTuple {
					n += it.N
				}
				if it.Kind == PrintList {
					// its fields: 1-D arrays, neither joined nor formatted
					for k := i + 1; k <= i+it.N; k++ {
						if k >= len(s.Items) || s.Items[k].Kind != PrintValue {
							fail("print item %d: a list lacks its arrays", i)
							break
						}
						if ar, ok := s.Items[k].Val.(*ArrayRef); !ok || ar.Var.Type.NDim != 1 {
							fail("print item %d: a list's field is not a 1-D array", k)
						}
					}
					n += it.N
				}
			}
			if n != 0 {
				fail("print: a tuple lacks %d elements", n)
			}
		case *Assign:
			if !known[s.Dst] || isArr(s.Dst) {
				fail("bad assignment to %s", s.Dst.Name)
			}
			scalarOnly("an assigned value", s.Src)
			expr(s.Src, false)
		case *Store:
			if !known[s.Arr] || !isArr(s.Arr) || len(s.Idx) != s.Arr.Type.NDim {
				fail("bad store to %s", s.Arr.Name)
			}
			scalarOnly("a stored value or index", append([]Expr{s.Src}, s.Idx...)...)
		case *SetArray:
			if !known[s.Dst] || !isArr(s.Dst) {
				fail("bad array definition of %s", s.Dst.Name)
			}
			switch d := s.Src.(type) {
			case *Alloc:
				if len(d.Shape) != s.Dst.Type.NDim {
					fail("allocation of %s has %d extents for %d axes", s.Dst.Name, len(d.Shape), s.Dst.Type.NDim)
				}
			case *View:
				if len(d.Shape) != s.Dst.Type.NDim || len(d.Strides) != len(d.Shape) {
					fail("view %s has the wrong rank", s.Dst.Name)
				}
			case *LocalAlloc:
				if len(d.Shape) != s.Dst.Type.NDim {
					fail("local array %s has %d extents for %d axes", s.Dst.Name, len(d.Shape), s.Dst.Type.NDim)
				}
			case *Alias:
				if d.Src.Type.NDim != s.Dst.Type.NDim || d.Src.Type.DType != s.Dst.Type.DType {
					fail("alias %s of a different array type", s.Dst.Name)
				}
			}
		case *Atomic:
			if !known[s.Arr] || !isArr(s.Arr) || len(s.Idx) != s.Arr.Type.NDim {
				fail("bad %s on %s", s.Op, s.Arr.Name)
			}
			if s.Dst != nil {
				declared("atomic result", s.Dst)
			}
			scalarOnly("an atomic's value or index", append([]Expr{s.Val}, s.Idx...)...)
		case *Nest:
			if len(s.Vars) != len(s.Bounds) {
				fail("nest with %d variables and %d bounds", len(s.Vars), len(s.Bounds))
			}
			declared("nest variable", s.Vars...)
			scalarOnly("a nest bound", s.Bounds...)
		case *Return:
			if len(s.Vals) != len(f.Results) {
				fail("return of %d values for %d results", len(s.Vals), len(f.Results))
			}
			for _, v := range s.Vals {
				expr(v, true)
			}
		case *Call:
			if s.Func.Extern != nil {
				h := s.Func.Helper.Info()
				if h.Name == "?" || len(h.Writes) != len(s.Func.Extern) || h.Results != len(s.Func.Results) {
					fail("call of %s, an extern function that is no helper's", s.Func.Name)
				}
			}
			declared("call result", s.Dsts...)
			if len(s.Dsts) != len(s.Func.Results) {
				fail("call of %s with %d results for %d", s.Func.Name, len(s.Dsts), len(s.Func.Results))
			}
			if len(s.Args) != len(s.Func.Params) {
				fail("call of %s with %d arguments for %d", s.Func.Name, len(s.Args), len(s.Func.Params))
			}
			for _, a := range s.Args {
				expr(a, true)
			}
		}
	}, func(e Expr) {
		if _, ok := e.(*ArrayRef); !ok {
			expr(e, false)
		}
	})
	if err == nil {
		err = verifyCaught(f.Body, map[int]bool{})
	}
	return err
}
