package ir

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"sejit/internal/types"
)

// Fprint writes a readable listing of p, used by explain and by goldens.
func Fprint(w io.Writer, p *Program) {
	for i, f := range p.Funcs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		FprintFunc(w, f)
	}
}

// FprintFunc writes one function.
func FprintFunc(w io.Writer, f *Func) {
	params := make([]string, len(f.Params))
	for i, p := range f.Params {
		params[i] = p.Name + " " + p.Type.String()
	}
	res := make([]string, len(f.Results))
	for i, r := range f.Results {
		res[i] = r.String()
	}
	fmt.Fprintf(w, "func %s(%s) (%s)\n", f.Name, strings.Join(params, ", "), strings.Join(res, ", "))
	printStmts(w, f.Body, 1)
}

func printStmts(w io.Writer, body []Stmt, depth int) {
	ind := strings.Repeat("  ", depth)
	for _, s := range body {
		switch s := s.(type) {
		case *Assign:
			fmt.Fprintf(w, "%s%s = %s\n", ind, s.Dst.Name, ExprString(s.Src))
		case *Store:
			fmt.Fprintf(w, "%s%s[%s] = %s\n", ind, s.Arr.Name, exprList(s.Idx), ExprString(s.Src))
		case *SetArray:
			switch d := s.Src.(type) {
			case *Alloc:
				fmt.Fprintf(w, "%s%s = alloc %s[%s]\n", ind, s.Dst.Name, d.DType, exprList(d.Shape))
			case *View:
				fmt.Fprintf(w, "%s%s = view %s offset %s shape [%s] strides [%s]\n", ind, s.Dst.Name, d.Base.Name,
					ExprString(d.Offset), exprList(d.Shape), exprList(d.Strides))
			case *Alias:
				fmt.Fprintf(w, "%s%s = alias %s\n", ind, s.Dst.Name, d.Src.Name)
			case *LocalAlloc:
				fmt.Fprintf(w, "%s%s = local %s[%s]\n", ind, s.Dst.Name, d.DType, exprList(d.Shape))
			}
		case *If:
			fmt.Fprintf(w, "%sif %s {\n", ind, ExprString(s.Cond))
			printStmts(w, s.Then, depth+1)
			if len(s.Else) > 0 {
				fmt.Fprintf(w, "%s} else {\n", ind)
				printStmts(w, s.Else, depth+1)
			}
			fmt.Fprintf(w, "%s}\n", ind)
		case *While:
			fmt.Fprintf(w, "%swhile %s {\n", ind, ExprString(s.Cond))
			printStmts(w, s.Body, depth+1)
			fmt.Fprintf(w, "%s}\n", ind)
		case *For:
			kw := "for"
			if s.Parallel {
				kw = "prange"
			}
			fmt.Fprintf(w, "%s%s %s = %s; %s; %s {\n", ind, kw, s.Var.Name, ExprString(s.Start), ExprString(s.Stop), ExprString(s.Step))
			printStmts(w, s.Body, depth+1)
			fmt.Fprintf(w, "%s}\n", ind)
		case *Nest:
			parts := make([]string, len(s.Vars))
			for i, v := range s.Vars {
				parts[i] = v.Name + " < " + ExprString(s.Bounds[i])
			}
			fmt.Fprintf(w, "%snest %s {\n", ind, strings.Join(parts, ", "))
			printStmts(w, s.Body, depth+1)
			fmt.Fprintf(w, "%s}\n", ind)
		case *Try:
			fmt.Fprintf(w, "%stry exc%d {\n", ind, s.ID)
			printStmts(w, s.Body, depth+1)
			for _, h := range s.Handlers {
				names := make([]string, len(h.Errs))
				for i, k := range h.Errs {
					names[i] = errName(k)
				}
				fmt.Fprintf(w, "%s} except %s {\n", ind, strings.Join(names, " "))
				printStmts(w, h.Body, depth+1)
			}
			fmt.Fprintf(w, "%s}\n", ind)
		case *Reraise:
			fmt.Fprintf(w, "%sreraise exc%d\n", ind, s.ID)
		case *Break:
			fmt.Fprintf(w, "%sbreak\n", ind)
		case *Continue:
			fmt.Fprintf(w, "%scontinue\n", ind)
		case *Return:
			fmt.Fprintf(w, "%sreturn %s\n", ind, exprList(s.Vals))
		case *Check:
			fmt.Fprintf(w, "%scheck %s else %s %q", ind, ExprString(s.Cond), errNames[s.Err], s.Msg)
			if len(s.Args) > 0 {
				fmt.Fprintf(w, " (%s)", exprList(s.Args))
			}
			fmt.Fprintln(w)
		case *Print:
			fmt.Fprintf(w, "%s%s\n", ind, printString(s))
		case *Call:
			dsts := make([]string, len(s.Dsts))
			for i, d := range s.Dsts {
				dsts[i] = d.Name
			}
			fmt.Fprintf(w, "%s%s = call %s(%s)\n", ind, strings.Join(dsts, ", "), s.Func.Name, exprList(s.Args))
		case *Barrier:
			fmt.Fprintf(w, "%sbarrier\n", ind)
		case *Atomic:
			dst := "_"
			if s.Dst != nil {
				dst = s.Dst.Name
			}
			fmt.Fprintf(w, "%s%s = %s %s[%s], %s\n", ind, dst, s.Op, s.Arr.Name, exprList(s.Idx), ExprString(s.Val))
		}
	}
}

var errNames = map[ErrKind]string{ErrZeroDiv: "ZeroDivisionError", ErrIndex: "IndexError", ErrValue: "ValueError",
	ErrMemory: "MemoryError", ErrType: "TypeError", ErrAssert: "AssertionError", ErrRuntime: "RuntimeError",
	ErrOverflow: "OverflowError", 9: "KeyError", 10: "NotImplementedError", 11: "ArithmeticError",
	12: "LookupError", 13: "FloatingPointError", 14: "Exception", 15: "KeyboardInterrupt", 16: "LinAlgError", ErrLimit: "LimitError",
	ErrFormat: "str"}

func exprList(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = ExprString(e)
	}
	return strings.Join(parts, ", ")
}

// ExprString renders an expression; equal strings mean equal expressions,
// which passes use to compare extents.
func ExprString(e Expr) string {
	switch e := e.(type) {
	case *Const:
		return constString(e)
	case *Ref:
		return e.Var.Name
	case *Load:
		return e.Arr.Name + "[" + exprList(e.Idx) + "]"
	case *Dim:
		return fmt.Sprintf("%s.shape[%d]", e.Arr.Name, e.Axis)
	case *Stride:
		return fmt.Sprintf("%s.strides[%d]", e.Arr.Name, e.Axis)
	case *Bin:
		return fmt.Sprintf("%s(%s, %s)", e.Op, ExprString(e.X), ExprString(e.Y))
	case *Unary:
		return fmt.Sprintf("%s(%s)", e.Op, ExprString(e.X))
	case *Cast:
		return fmt.Sprintf("%s(%s)", e.T.DType, ExprString(e.X))
	case *Select:
		return fmt.Sprintf("select(%s, %s, %s)", ExprString(e.Cond), ExprString(e.X), ExprString(e.Y))
	case *Intrinsic:
		return e.Fn.String() + "(" + exprList(e.Args) + ")"
	case *ArrayRef:
		return "&" + e.Var.Name
	case *Overlap:
		return fmt.Sprintf("overlap(%s, %s)", e.A.Name, e.B.Name)
	}
	return "?"
}

func constString(c *Const) string {
	d := c.Type.DType
	switch {
	case d == types.Bool:
		return strconv.FormatBool(c.I != 0)
	case d.IsUnsigned():
		return strconv.FormatUint(c.U, 10) + "u"
	case d.IsInt():
		if d == types.Int64 {
			return strconv.FormatInt(c.I, 10)
		}
		return fmt.Sprintf("%s(%d)", d, c.I)
	case d.IsComplex():
		return fmt.Sprintf("complex(%s, %s)", floatString(c.F), floatString(c.Im))
	}
	s := floatString(c.F)
	if d == types.Float32 {
		return "f32(" + s + ")"
	}
	return s
}

func floatString(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}
