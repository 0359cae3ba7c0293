package lower

import (
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// Checks that cannot fail, left out of math functions' calls (issue 5:
// n-body's inner loop computes math.sqrt of a sum of squares).
//
// CPython raises ValueError when a math function gives NaN for a number
// and an error when it gives infinity for a finite number. Both tests run
// in the hot loop and keep GCC from scheduling it like the plain C loop.
// They are left out only when they cannot fail:
//
//   - the functions the library flags Finite never give infinity for a
//     finite argument;
//   - math.sqrt gives NaN from a number only for a negative one, and an
//     argument built from squares, absolute values, square roots and
//     non-negative constants by addition and multiplication is never
//     negative (it may be NaN or infinity, which sqrt passes through).
//
// Floats only: an integer square can wrap negative in int64, where Python's
// would not.

// nonNegative reports whether the float expression e is never negative,
// looking through names the function binds exactly once.
func (f *fn) nonNegative(e pyast.Expr, depth int) bool {
	if depth > 8 || !f.isFloat(e) {
		return false
	}
	switch e := e.(type) {
	case *pyast.Constant:
		return (e.Kind == pyast.ConstFloat && e.Float >= 0) || (e.Kind == pyast.ConstInt && e.Int.Sign() >= 0)
	case *pyast.BinOp:
		switch e.Op {
		case "Add":
			return f.nonNegative(e.Left, depth+1) && f.nonNegative(e.Right, depth+1)
		case "Mult":
			if l, ok := e.Left.(*pyast.Name); ok {
				if r, ok := e.Right.(*pyast.Name); ok && l.ID == r.ID {
					return true // x * x
				}
			}
			return f.nonNegative(e.Left, depth+1) && f.nonNegative(e.Right, depth+1)
		case "Pow":
			k, ok := e.Right.(*pyast.Constant)
			return ok && k.Kind == pyast.ConstInt && k.Int.Bit(0) == 0 && k.Int.Sign() > 0
		}
	case *pyast.Name:
		if f.assigned[e.ID] != 1 {
			return false
		}
		if v := singleAssignment(f.spec.Func.Def.Body, e.ID); v != nil {
			return f.nonNegative(v, depth+1)
		}
	case *pyast.Call:
		switch fn := e.Func.(type) {
		case *pyast.Name:
			return fn.ID == "abs" && f.isBuiltinName("abs")
		case *pyast.Attribute:
			m, ok := fn.Value.(*pyast.Name)
			return ok && m.ID == "math" && (fn.Attr == "sqrt" || fn.Attr == "fabs") && f.isModule(m.ID, "math")
		}
	}
	return false
}

// isFloat reports an expression the checker typed as a float scalar.
func (f *fn) isFloat(e pyast.Expr) bool {
	t, ok := f.info.Types[e]
	return ok && t != nil && t.IsScalar() && t.DType.IsFloat()
}

// singleAssignment is the value of the `name = value` statement in body
// (nested blocks included), or nil; the caller has counted one binding.
func singleAssignment(body []pyast.Stmt, name string) pyast.Expr {
	var found pyast.Expr
	pyast.WalkStmts(body, func(s pyast.Stmt) bool {
		if a, ok := s.(*pyast.Assign); ok && len(a.Targets) == 1 {
			if n, ok := a.Targets[0].(*pyast.Name); ok && n.ID == name {
				found = a.Value
			}
		}
		return true
	}, nil)
	return found
}

// isBuiltinName reports that name means Python's builtin in this function.
func (f *fn) isBuiltinName(name string) bool {
	k, _ := f.spec.Func.Lookup(name)
	return k == resolve.BuiltinName
}

// isModule reports that name is a global bound to the module mod.
func (f *fn) isModule(name, mod string) bool {
	k, g := f.spec.Func.Lookup(name)
	return k == resolve.GlobalName && g.Kind == "module" && g.Name == mod
}
