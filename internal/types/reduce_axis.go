package types

import (
	"sort"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
)

// Reductions with axis= and keepdims=, and the reductions beyond sum, prod,
// min, max and mean: std var median argmin argmax all any cumsum cumprod
// diff and the nan-ignoring forms (library.Reduction; the entry's Form says
// how the result dtype follows the input's). The whole-array
// sum/prod/min/max/mean without keywords keep their own path (the
// library.Whole flag); every other form is typed here and lowered by
// lower/reduce_axis.go.

// ReduceArgs is what the checker learned about one reduction call: the
// axes reduced (sorted, non-negative; nil for every axis), keepdims, the
// diff order, and the expression of ddof (nil for 0).
type ReduceArgs struct {
	Axes     []int
	AllAxes  bool
	KeepDims bool
	N        int        // diff: the order
	DDof     pyast.Expr // std/var: ddof=
}

// ReduceOf returns what the checker recorded for a reduction call.
func ReduceOf(info *Info, e *pyast.Call) *ReduceArgs {
	if info.Reduce == nil {
		return nil
	}
	return info.Reduce[e]
}

// plainReduction reports a whole-array reduction the original path lowers.
func plainReduction(ent *library.Entry, args []*Type, kw map[string]*Type) bool {
	return ent.Has(library.Whole) && len(args) == 1 && len(kw) == 0
}

// reduction types np.name(x, ...) or x.name(...); args[0] is x and
// argExprs[i] the source of args[i] (nil for the receiver of a method).
func (c *checker) reduction(e *pyast.Call, ent *library.Entry, args []*Type, argExprs []pyast.Expr, kw map[string]*Type) *Type {
	name := ent.Short()
	full := "np." + name
	ra := &ReduceArgs{AllAxes: true, N: 1}
	if !c.noKeywords(e, full, kw, ent.Keywords...) {
		return UnknownT
	}
	// NumPy's positional parameters after the axis (np.var(x, 0, None,
	// None, 1), x.sum(0, np.int8)).
	pos := reducePositional[name]
	if len(args) < 1 || len(args) > 2+len(pos) {
		c.errorf(e.P, diag.Type, "%s() takes at most %d positional arguments (%d given)", full, 2+len(pos), len(args))
		return UnknownT
	}
	x := args[0]
	if !x.IsNumeric() {
		c.errorf(e.P, diag.Type, "%s() of a %s", full, x)
		return UnknownT
	}
	if x.Kind == Scalar {
		c.errorf(e.P, diag.Unsupported, "%s() of a scalar with these arguments is not supported", full).
			WithHint("pass an array")
		return UnknownT
	}
	kwType := func(k string) *Type {
		if t, ok := kw[k]; ok {
			return t
		}
		for i, p := range pos {
			if p == k && 2+i < len(args) {
				return args[2+i]
			}
		}
		return nil
	}
	kwExpr := func(k string) pyast.Expr {
		for _, kv := range e.Keywords {
			if kv.Name == k {
				if k == "dtype" || k == "out" {
					if kc, ok := kv.Value.(*pyast.Constant); ok && kc.Kind == pyast.ConstNone {
						return nil
					}
				}
				return kv.Value
			}
		}
		for i, p := range pos {
			if p == k && 2+i < len(args) {
				if kc, ok := argExprs[2+i].(*pyast.Constant); ok && kc.Kind == pyast.ConstNone {
					return nil
				}
				return argExprs[2+i]
			}
		}
		return nil
	}
	if kwExpr("out") != nil {
		c.errorf(e.P, diag.Unsupported, "%s(out=...) is not supported", full).WithHint("assign the result instead")
		return UnknownT
	}
	axisExpr := kwExpr("axis")
	if len(args) >= 2 {
		if axisExpr != nil {
			c.errorf(e.P, diag.Type, "%s() got multiple values for argument 'axis'", full)
			return UnknownT
		}
		axisExpr = argExprs[1]
		if name == "diff" {
			c.errorf(e.P, diag.Unsupported, "np.diff's order n must be given as n=")
			return UnknownT
		}
	}
	if axisExpr != nil {
		if k, ok := axisExpr.(*pyast.Constant); !ok || k.Kind != pyast.ConstNone {
			axes, ok := c.constAxes(axisExpr, x.NDim, full)
			if !ok {
				return UnknownT
			}
			ra.Axes, ra.AllAxes = axes, false
			if len(axes) > 1 && (name == "argmin" || name == "argmax" || name == "cumsum" || name == "cumprod" ||
				name == "diff") {
				c.errorf(axisExpr.Position(), diag.Type, "%s() takes one axis, not a tuple", full)
				return UnknownT
			}
		}
	}
	if name == "diff" && ra.AllAxes {
		if x.NDim == 0 {
			c.errorf(e.P, diag.Value, "diff requires input that is at least one dimensional")
			return UnknownT
		}
		ra.Axes, ra.AllAxes = []int{x.NDim - 1}, false
	}
	if kd := kwExpr("keepdims"); kd != nil {
		k, ok := kd.(*pyast.Constant)
		if !ok || k.Kind != pyast.ConstBool {
			c.errorf(kd.Position(), diag.Unsupported, "keepdims= must be the constant True or False")
			return UnknownT
		}
		ra.KeepDims = k.Bool
	}
	if nx := kwExpr("n"); nx != nil {
		k, ok := constIndex(nx)
		if !ok || k < 0 {
			c.errorf(nx.Position(), diag.Unsupported, "np.diff's n= must be a non-negative integer constant")
			return UnknownT
		}
		ra.N = int(k)
	}
	if dd := kwExpr("ddof"); dd != nil {
		t := kwType("ddof")
		if t.Kind != Scalar || t.DType.IsComplex() {
			c.errorf(dd.Position(), diag.Type, "ddof= must be a number")
			return UnknownT
		}
		ra.DDof = dd
	}
	d := x.DType
	if d.IsComplex() {
		c.errorf(e.P, diag.Unsupported, "%s of complex arrays is not supported", full)
		return UnknownT
	}
	switch ent.Form {
	case "acc":
		switch {
		case d == Bool || (d.IsInt() && !d.IsUnsigned()):
			d = Int64
		case d.IsUnsigned():
			d = Uint64
		}
	case "float":
		if d.Kind() <= KInt {
			d = Float64
		}
	case "index":
		d = Int64
	case "bool":
		d = Bool
	case "same":
		if name == "diff" && d == Bool {
			c.errorf(e.P, diag.Unsupported, "np.diff of booleans is not supported")
			return UnknownT
		}
	}
	if dx := kwExpr("dtype"); dx != nil {
		dt, ok := dtypeArg(kwType("dtype"))
		if !ok {
			c.errorf(dx.Position(), diag.Type, "dtype= must be a NumPy dtype such as np.float32, not %s", kwType("dtype"))
			return UnknownT
		}
		if ent.Form == "float" && dt.Kind() <= KInt {
			c.errorf(dx.Position(), diag.Unsupported, "%s(dtype=%s) is not supported", full, dt).
				WithHint("pass a float dtype, or cast the result")
			return UnknownT
		}
		if dt.IsComplex() {
			c.errorf(dx.Position(), diag.Unsupported, "%s(dtype=%s) is not supported", full, dt)
			return UnknownT
		}
		d = dt
	}
	if c.info().Reduce == nil {
		c.info().Reduce = map[*pyast.Call]*ReduceArgs{}
	}
	c.info().Reduce[e] = ra
	switch name {
	case "cumsum", "cumprod":
		if ra.AllAxes {
			return ArrayOf(d, 1, 'C')
		}
		return ArrayOf(d, x.NDim, 'C')
	case "diff":
		return ArrayOf(d, x.NDim, 'C')
	}
	if ra.KeepDims {
		return ArrayOf(d, x.NDim, 'C')
	}
	if ra.AllAxes || len(ra.Axes) == x.NDim {
		return ScalarOf(d)
	}
	return ArrayOf(d, x.NDim-len(ra.Axes), 'C')
}

// reducePositional are the parameters a reduction takes by position after
// the array and the axis, in NumPy's order.
var reducePositional = map[string][]string{
	"sum": {"dtype", "out", "keepdims"}, "prod": {"dtype", "out", "keepdims"},
	"mean": {"dtype", "out", "keepdims"}, "std": {"dtype", "out", "ddof", "keepdims"},
	"var": {"dtype", "out", "ddof", "keepdims"}, "cumsum": {"dtype", "out"}, "cumprod": {"dtype", "out"},
}

// constAxes reads axis=: a constant int or a tuple of them, normalized.
func (c *checker) constAxes(e pyast.Expr, ndim int, full string) ([]int, bool) {
	var items []pyast.Expr
	if t, ok := e.(*pyast.Tuple); ok {
		items = t.Elts
	} else {
		items = []pyast.Expr{e}
	}
	seen := map[int]bool{}
	var out []int
	for _, it := range items {
		k, ok := constIndex(it)
		if !ok {
			c.errorf(it.Position(), diag.Unsupported, "the axis of %s must be an integer constant (or a tuple of them)", full).
				WithHint("the result's rank depends on the axis, so it must be known when compiling")
			return nil, false
		}
		if k < -int64(ndim) || k >= int64(ndim) {
			c.errorf(it.Position(), diag.Axis, "axis %d is out of bounds for array of dimension %d", k, ndim)
			return nil, false
		}
		if k < 0 {
			k += int64(ndim)
		}
		if seen[int(k)] {
			c.errorf(it.Position(), diag.Value, "duplicate value in 'axis'")
			return nil, false
		}
		seen[int(k)] = true
		out = append(out, int(k))
	}
	sort.Ints(out)
	return out, true
}

// reductionArgExprs lines up the call's source arguments with the typed
// ones: a method call's receiver comes first and has no argument of its own.
func reductionArgExprs(e *pyast.Call, n int) []pyast.Expr {
	if n == len(e.Args)+1 {
		return append([]pyast.Expr{nil}, e.Args...)
	}
	return e.Args
}
