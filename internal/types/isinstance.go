package types

// isinstance(x, T) is decided when compiling: x's type in this
// specialization says which classes its values belong to, as CPython's
// and NumPy's class hierarchies say. A Python int or bool is an int (and
// a bool an int too), a NumPy int64 is not; a NumPy float64 is a float
// (np.float64 subclasses float) and a Python float is no np.floating. The
// call is then a bool constant (Info.Instance), and an if statement whose
// test is made of such calls (with not, and, or) is typed and lowered
// with only the branch it takes (Info.Folded): the other may hold code
// that does not type for these arguments, as a branch for another type
// usually does.

import (
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// isinstanceCall types a call of isinstance; false for other calls.
func (c *checker) isinstanceCall(e *pyast.Call) (*Type, bool) {
	if _, ok := resolve.IsinstanceCall(c.spec.Func, e); !ok || len(e.Args) != 2 {
		return nil, false
	}
	classes, bad := resolve.InstanceClasses(c.spec.Func, e.Args[1])
	if bad != nil {
		return UnknownT, true // resolve reported it
	}
	var t *Type
	if k, ok := e.Args[0].(*pyast.Constant); ok && k.Kind == pyast.ConstStr {
		t = &Type{Kind: Builtin, Name: "str"} // a string constant (or a str argument)
	} else {
		t = c.expr(e.Args[0])
	}
	if t.IsUnknown() {
		return UnknownT, true
	}
	is := false
	for _, cl := range classes {
		is = is || instanceOf(t, cl)
	}
	if c.info().Instance == nil {
		c.info().Instance = map[*pyast.Call]bool{}
	}
	c.info().Instance[e] = is
	return BoolT, true
}

// instanceOf reports whether values of type t are instances of class cl
// ("int", "numpy.floating"; resolve.InstanceClasses).
func instanceOf(t *Type, cl string) bool {
	if cl == "object" {
		return true
	}
	if t.Kind == Builtin && t.Name == "str" {
		return cl == "str"
	}
	numpyScalar := t.Kind == Scalar && !t.Weak
	d := t.DType
	switch cl {
	case "int":
		return t.Kind == Scalar && t.Weak && (d.IsInt() || d == Bool)
	case "bool":
		return t.Kind == Scalar && t.Weak && d == Bool
	case "float":
		return t.Kind == Scalar && (t.Weak && d.IsFloat() || !t.Weak && d == Float64)
	case "complex":
		return t.Kind == Scalar && (t.Weak && d.IsComplex() || !t.Weak && d == Complex128)
	case "list":
		return t.Kind == List
	case "tuple":
		return t.Kind == Tuple && t.Class == ""
	case "dict":
		return t.Kind == Dict
	case "set":
		return t.Kind == Set
	case "numpy.ndarray":
		return t.Kind == Array
	case "numpy.generic":
		return numpyScalar
	case "numpy.number":
		return numpyScalar && d != Bool
	case "numpy.integer":
		return numpyScalar && d.IsInt()
	case "numpy.signedinteger":
		return numpyScalar && d.IsInt() && !d.IsUnsigned()
	case "numpy.unsignedinteger":
		return numpyScalar && d.IsUnsigned()
	case "numpy.inexact":
		return numpyScalar && (d.IsFloat() || d.IsComplex())
	case "numpy.floating":
		return numpyScalar && d.IsFloat()
	case "numpy.complexfloating":
		return numpyScalar && d.IsComplex()
	case "numpy.bool_", "numpy.bool":
		return numpyScalar && d == Bool
	case "numpy.intp":
		return numpyScalar && d == Int64
	case "numpy.double":
		return numpyScalar && d == Float64
	}
	if name, ok := cutNumpy(cl); ok {
		return numpyScalar && d.String() == name
	}
	return false
}

func cutNumpy(cl string) (string, bool) {
	const p = "numpy."
	if len(cl) > len(p) && cl[:len(p)] == p {
		return cl[len(p):], true
	}
	return "", false
}

// Decided reports the value of a condition made of isinstance calls
// (with not, and, or) in this specialization.
func (info *Info) Decided(e pyast.Expr) (value, ok bool) {
	switch e := e.(type) {
	case *pyast.Call:
		v, ok := info.Instance[e]
		return v, ok
	case *pyast.Compare:
		// "k" in kw of a **kwargs record: a constant (kwargs.go).
		k, ok := info.Alias[e].(*pyast.Constant)
		return ok && k.Bool, ok && k.Kind == pyast.ConstBool
	case *pyast.UnaryOp:
		if e.Op == "Not" {
			v, ok := info.Decided(e.Operand)
			return !v, ok
		}
	case *pyast.BoolOp:
		and := e.Op == "And"
		for _, x := range e.Values {
			v, ok := info.Decided(x)
			if !ok {
				return false, false
			}
			if v != and {
				return v, true
			}
		}
		return and, true
	}
	return false, false
}

// foldIf types an if statement whose test isinstance decides: the test,
// then only the branch taken. False when the test is not decided.
func (c *checker) foldIf(s *pyast.If) bool {
	if !hasIsinstance(c.spec.Func, s.Test) {
		return false
	}
	c.truth(s.Test)
	v, ok := c.info().Decided(s.Test)
	if !ok {
		return false
	}
	if c.info().Folded == nil {
		c.info().Folded = map[*pyast.If]bool{}
	}
	c.info().Folded[s] = v
	if v {
		c.stmts(s.Body)
	} else {
		c.stmts(s.Orelse)
	}
	return true
}

// hasIsinstance reports a condition made of isinstance calls, not, and
// and or only.
func hasIsinstance(f *resolve.Func, e pyast.Expr) bool {
	switch e := e.(type) {
	case *pyast.Call:
		_, ok := resolve.IsinstanceCall(f, e)
		return ok
	case *pyast.Compare:
		// "k" in kw, with kw the **kwargs parameter: decided as well, so
		// that `if "k" in kw: ... kw["k"] ...` types for calls without k.
		n, isName := e.Comparators[0].(*pyast.Name)
		k, isConst := e.Left.(*pyast.Constant)
		return len(e.Ops) == 1 && (e.Ops[0] == "In" || e.Ops[0] == "NotIn") && isName && isConst &&
			k.Kind == pyast.ConstStr && f.Def.Kwarg && n.ID == f.Def.Params[len(f.Def.Params)-1].Name
	case *pyast.UnaryOp:
		return e.Op == "Not" && hasIsinstance(f, e.Operand)
	case *pyast.BoolOp:
		for _, x := range e.Values {
			if !hasIsinstance(f, x) {
				return false
			}
		}
		return true
	}
	return false
}
