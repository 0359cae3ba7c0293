package types

import (
	"math/big"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// The methods of NumPy's ufuncs: np.add.reduce(x, axis=0), np.maximum.
// reduce, np.logical_and.reduce, np.add.accumulate(x), np.multiply.outer(a,
// b). Each is NumPy's own equivalent written with functions sejit already
// compiles (NumPy computes them the same way, dtypes included):
//
//	ufunc.reduce(x, axis=0)      x.sum / prod / max / min / all / any(axis=...)
//	ufunc.accumulate(x, axis=0)  x.cumsum / cumprod(axis=...)
//	ufunc.outer(a, b)            ufunc(a[..., None, ...], b), one None per axis of b
//
// ufunc.at(x, index, v) is x[index] op= v unbuffered: each element of the
// selection is updated in turn, so a repeated index applies op once per
// occurrence (lower/index_multi.go).
//
// The checker records the written-out call as the call's alias
// (Info.Alias), which lowering follows. Unlike the functions, a ufunc
// method reduces axis 0 when no axis is given.

// ufuncReduce is the array method each ufunc's reduce and accumulate are.
var ufuncReduce = map[string][2]string{
	"add":         {"sum", "cumsum"},
	"multiply":    {"prod", "cumprod"},
	"maximum":     {"max", ""},
	"minimum":     {"min", ""},
	"logical_and": {"all", ""},
	"logical_or":  {"any", ""},
}

// ufuncMethodAttr types ufunc.method (nil when vt is no ufunc or the
// method is not one of the table's).
func (c *checker) ufuncMethodAttr(e *pyast.Attribute, vt *Type) *Type {
	if vt.Kind != Builtin || library.Callable("numpy.ufunc", e.Attr) == nil {
		return nil
	}
	uf := library.Lookup("numpy", shortName(vt.Name))
	if uf == nil || vt.Name != "numpy."+uf.Short() || !(uf.Is(library.UfuncBinary) || uf.Is(library.Ufunc) && uf.MaxArgs == 2) {
		return nil
	}
	return &Type{Kind: Builtin, Name: "ufunc." + uf.Short() + "." + e.Attr}
}

func shortName(q string) string {
	for i := len(q) - 1; i >= 0; i-- {
		if q[i] == '.' {
			return q[i+1:]
		}
	}
	return q
}

// ufuncMethodCall types a call of ufunc.method.
func (c *checker) ufuncMethodCall(e *pyast.Call, ufunc, method string, args []*Type, kw map[string]*Type) *Type {
	ent := library.Lookup("numpy.ufunc", method)
	label := "numpy." + ufunc + "." + method
	if len(args) < ent.MinArgs || len(args) > ent.MaxArgs {
		c.errorf(e.P, diag.Type, "%s() takes %d argument(s) (%d given)", label, ent.MinArgs, len(args))
		return UnknownT
	}
	if !c.noKeywords(e, label, kw, ent.Keywords...) {
		return UnknownT
	}
	p := e.P
	var syn pyast.Expr
	switch method {
	case "reduce", "accumulate":
		m := ufuncReduce[ufunc][0]
		if method == "accumulate" {
			m = ufuncReduce[ufunc][1]
		}
		if m == "" && method == "accumulate" && (ufunc == "maximum" || ufunc == "minimum") {
			return c.runningExtreme(e, ufunc, label, args)
		}
		if m == "" {
			c.errorf(e.P, diag.Unsupported, "%s is not supported", label).
				WithHint("reduce is supported for add, multiply, maximum, minimum, logical_and and logical_or; accumulate for add, multiply, maximum and minimum")
			return UnknownT
		}
		if args[0].Kind != Array {
			c.errorf(e.Args[0].Position(), diag.Unsupported, "%s of a %s is not supported; pass an array", label, args[0])
			return UnknownT
		}
		fn := &pyast.Attribute{Value: e.Args[0], Attr: m}
		fn.P = p
		call := &pyast.Call{Func: fn}
		call.P = p
		axis := pyast.Expr(nil)
		if len(e.Args) > 1 {
			axis = e.Args[1]
		}
		for _, k := range e.Keywords {
			if k.Name == "axis" {
				axis = k.Value
			} else {
				call.Keywords = append(call.Keywords, k)
			}
		}
		if axis == nil {
			z := &pyast.Constant{Kind: pyast.ConstInt, Int: bigZero()}
			z.P = p
			axis = z
		}
		if k, ok := axis.(*pyast.Constant); !ok || k.Kind != pyast.ConstNone {
			kw := &pyast.Keyword{Name: "axis", Value: axis}
			kw.P = p
			call.Keywords = append([]*pyast.Keyword{kw}, call.Keywords...)
		}
		syn = call
	case "outer":
		a, b := e.Args[0], e.Args[1]
		if args[0].Kind == Array && args[1].Kind == Array && args[1].NDim > 0 {
			items := []pyast.Expr{&pyast.Constant{Kind: pyast.ConstEllipsis}}
			for range args[1].NDim {
				items = append(items, &pyast.Constant{Kind: pyast.ConstNone})
			}
			for _, it := range items {
				it.(*pyast.Constant).P = p
			}
			tup := &pyast.Tuple{Elts: items}
			tup.P = p
			s := &pyast.Subscript{Value: a, Index: tup}
			s.P = p
			a = s
		}
		call := &pyast.Call{Func: e.Func.(*pyast.Attribute).Value, Args: []pyast.Expr{a, b}}
		call.P = p
		syn = call
	case "at":
		return c.ufuncAt(e, ufunc, label, args)
	default:
		c.errorf(e.P, diag.Unsupported, "%s is not supported", label)
		return UnknownT
	}
	c.info().Alias[e] = syn
	return c.expr(syn)
}

func bigZero() *big.Int { return big.NewInt(0) }

// ufuncOutCast applies NumPy's same_kind rule to the store of a ufunc's
// result t into its output array (resolve/ufunc_out.go).
func (c *checker) ufuncOutCast(s *pyast.Assign, ufunc string, t *Type) {
	dst := c.expr(s.Targets[0].(*pyast.Subscript).Value)
	if dst.Kind != Array || t.IsUnknown() || !t.IsNumeric() {
		return
	}
	if !SameKindCast(t.DType, dst.DType) {
		c.errorf(s.Targets[0].Position(), diag.Type, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
			ufunc, t.DType, dst.DType)
	}
}

// ufuncAt types ufunc.at(x, index, v): x an array, index whatever indexes
// it with integers, slices and integer arrays, v broadcast to the
// selection. It returns None.
func (c *checker) ufuncAt(e *pyast.Call, ufunc, label string, args []*Type) *Type {
	ent := library.Lookup("numpy", ufunc)
	if ent.Op == "" || ent.Op[0] < 'A' || ent.Op[0] > 'Z' || len(args) != 3 {
		c.errorf(e.P, diag.Unsupported, "%s is not supported", label).
			WithHint("ufunc.at is supported for the binary ufuncs of Python's operators (add, subtract, multiply, ...) with a value")
		return UnknownT
	}
	x, v := args[0], args[2]
	if x.Kind != Array {
		c.errorf(e.Args[0].Position(), diag.Type, "%s: the first argument must be an array, not %s", label, x)
		return UnknownT
	}
	items := []pyast.Expr{e.Args[1]}
	if t, ok := e.Args[1].(*pyast.Tuple); ok {
		items = t.Elts
	}
	for _, it := range items {
		if k, ok := it.(*pyast.Constant); ok && (k.Kind == pyast.ConstNone || k.Kind == pyast.ConstEllipsis) {
			c.errorf(it.Position(), diag.Unsupported, "%s with None or ... in the index is not supported", label)
			return UnknownT
		}
		if t := c.expr(it); t.Kind == Array && t.DType == Bool || t.Kind == Scalar && t.DType == Bool {
			c.errorf(it.Position(), diag.Unsupported, "%s with a boolean index is not supported", label).
				WithHint("turn the mask into indices with np.nonzero(mask)[0]")
			return UnknownT
		}
	}
	sub := &pyast.Subscript{Value: e.Args[0], Index: e.Args[1]}
	sub.P = e.Args[1].Position()
	sel := c.expr(sub)
	if sel.IsUnknown() || !v.IsNumeric() {
		return UnknownT
	}
	if v.Kind == Array && (sel.Kind != Array || v.NDim > sel.NDim) {
		c.errorf(e.Args[2].Position(), diag.Value, "%s: the values have more axes than the selection", label)
		return UnknownT
	}
	if d := c.binop(ent.Op, ScalarOf(x.DType), v, e.P); !d.IsUnknown() && !SameKindCast(d.DType, x.DType) {
		c.errorf(e.P, diag.Type, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
			ufunc, d.DType, x.DType)
		return UnknownT
	}
	c.info().UfuncAt[e] = sub
	return NoneT
}

// runningExtreme types np.maximum.accumulate(x, axis=0) and
// np.minimum.accumulate: the running maximum (minimum) along a constant
// axis, NaNs propagating as np.maximum's do, in x's dtype; lowering
// (lower.running) reads Info.Running.
func (c *checker) runningExtreme(e *pyast.Call, ufunc, label string, args []*Type) *Type {
	x := args[0]
	if x.Kind != Array || x.NDim == 0 {
		c.errorf(e.Args[0].Position(), diag.Unsupported, "%s of a %s is not supported; pass an array of rank 1 or more", label, x)
		return UnknownT
	}
	if x.DType.IsComplex() {
		c.errorf(e.Args[0].Position(), diag.Unsupported, "%s of complex arrays is not supported", label)
		return UnknownT
	}
	k, has, ok := ConstAxisOf(e, 1)
	if !ok || argExpr(e, 1, "axis") != nil && !has {
		c.errorf(e.P, diag.Unsupported, "%s(axis=...) must be an integer constant", label)
		return UnknownT
	}
	nd := int64(x.NDim)
	if k < -nd || k >= nd {
		c.errorf(e.P, diag.Axis, "axis %d is out of bounds for array of dimension %d", k, nd)
		return UnknownT
	}
	if k < 0 {
		k += nd
	}
	c.info().Running[e] = RunningArgs{Ufunc: ufunc, Axis: int(k)}
	return ArrayOf(x.DType, x.NDim, 'C')
}
