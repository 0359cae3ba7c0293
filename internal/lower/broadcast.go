package lower

// Stretching extents of 1 (NumPy broadcasting), where the 1 is known at
// compile time: an axis added by None/np.newaxis, a reduction with
// keepdims=True, an allocation or reshape whose shape has the literal 1.
// Such an axis is read at index 0 whatever the loop index, and needs no
// shape check. An extent that is 1 only at run time (an argument of shape
// (n, 1)) is not stretched: the statement's equality check raises
// ValueError, which keeps those checks usable as facts by fusion.

import (
	"sync"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// unitAxes maps an array variable to the axes whose extent is the constant
// 1 at every binding of the variable. Variables are unique pointers, so one
// map serves every compile.
var unitAxes sync.Map // *ir.Var → []bool

// isUnit reports the constant extent 1.
func isUnit(e ir.Expr) bool {
	c, ok := e.(*ir.Const)
	return ok && c.I == 1 && c.Type.DType.IsInt()
}

func unitAxis(v *ir.Var, axis int) bool {
	u, ok := unitAxes.Load(v)
	if !ok {
		return false
	}
	us := u.([]bool)
	return axis < len(us) && us[axis]
}

// noteShape records the extents of the binding of v. Only a variable bound
// by one statement keeps unit axes (a compiler temporary, or a Python name
// assigned once): a use lowered before a later binding of another shape
// would otherwise read index 0 of a wider array.
func (f *fn) noteShape(v *ir.Var, shape []ir.Expr) {
	if v.Param >= 0 || !f.boundOnce(v) {
		unitAxes.Delete(v)
		return
	}
	us := make([]bool, len(shape))
	any := false
	for k, e := range shape {
		us[k] = isUnit(e)
		any = any || us[k]
	}
	if any {
		unitAxes.Store(v, us)
	} else {
		unitAxes.Delete(v)
	}
}

// boundOnce reports that v is a temporary or belongs to a Python name one
// statement assigns.
func (f *fn) boundOnce(v *ir.Var) bool {
	var holds func(x *val) bool
	holds = func(x *val) bool {
		if x == nil {
			return false
		}
		if x.arr == v {
			return true
		}
		for _, e := range x.elems {
			if holds(e) {
				return true
			}
		}
		return false
	}
	for name, x := range f.vars {
		if holds(x) {
			return f.assigned[name] <= 1
		}
	}
	return true
}

// stretchShape is the broadcast result shape of ops given the longest
// operand's shape: on each axis, an extent other than the constant 1 when
// an operand has one.
func stretchShape(shape []ir.Expr, ops []*lazyArr) []ir.Expr {
	out := append([]ir.Expr(nil), shape...)
	n := len(out)
	for k := range out {
		if !isUnit(out[k]) {
			continue
		}
		for _, o := range ops {
			if o == nil {
				continue
			}
			j := k - (n - len(o.shape))
			if j >= 0 && !isUnit(o.shape[j]) {
				out[k] = o.shape[j]
				break
			}
		}
	}
	return out
}

// unitIndex reads a stretched axis at index 0.
func unitIndex(shape, idx []ir.Expr) []ir.Expr {
	var out []ir.Expr
	for k, e := range shape {
		if isUnit(e) {
			if out == nil {
				out = append([]ir.Expr(nil), idx...)
			}
			out[k] = ir.IntConst(0)
		}
	}
	if out == nil {
		return idx
	}
	return out
}

// expandItems replaces ... in an index by the full slices it stands for on
// an array of rank ndim (None items take no axis).
func (f *fn) expandItems(items []pyast.Expr, ndim int) []pyast.Expr {
	at, used := -1, 0
	for i, it := range items {
		switch {
		case types.IsEllipsisItem(it):
			at = i
		case types.IsNewaxisItem(f.info, it):
		default:
			used++
		}
	}
	if at < 0 {
		return items
	}
	out := append([]pyast.Expr(nil), items[:at]...)
	for k := used; k < ndim; k++ {
		s := &pyast.Slice{}
		s.P = items[at].Position()
		out = append(out, s)
	}
	return append(out, items[at+1:]...)
}

// ---- extents of 1 found at run time ----
//
// A function whose element-wise statements compare extents not known to be
// equal keeps those checks in its first version (they are the facts fusion
// merges nests by) and, when an extent of 1 could meet another at run time,
// gets a second version that stretches it: each statement's broadcast shape
// computed at run time, stretched axes read at index 0. The first version
// starts by calling the second when two compared extents differ; the test
// traces every compared extent back to what the function has at entry
// (stretchTest), so only calls that stretch pay for the unfused loops. The
// dispatcher classifies array arguments with an extent of 1 apart, so an
// entry whose compared extents are argument extents gets the second version
// only for such signatures; a function whose compared extents are computed
// (x[k:k+1]) always gets it; and one whose extents cannot be traced to the
// entry (a slice a loop computes) is lowered in the stretching form only
// (lowerer.function).

// stretchVariant adds the stretching version of f, called when cond holds.
func (l *lowerer) stretchVariant(s *types.Spec, f *fn, cond ir.Expr) {
	if cond == nil || len(l.errs) > 0 {
		return
	}
	bc := &ir.Func{Name: f.f.Name + "_bc", Cold: true}
	l.funcs = append(l.funcs, bc)
	if l.stretch == nil {
		l.stretch = map[*ir.Func]bool{}
	}
	l.stretch[bc] = true
	l.lowerFunc(s, bc, true)
	var args []ir.Expr
	for _, p := range f.f.Params {
		if p.Type.Kind == types.Array {
			args = append(args, &ir.ArrayRef{Var: p})
		} else {
			args = append(args, &ir.Ref{Var: p})
		}
	}
	var dsts []*ir.Var
	var vals []ir.Expr
	for _, t := range f.f.Results {
		d := f.temp(t)
		dsts = append(dsts, d)
		if t.Kind == types.Array {
			vals = append(vals, &ir.ArrayRef{Var: d})
		} else {
			vals = append(vals, &ir.Ref{Var: d})
		}
	}
	guard := &ir.If{Cond: cond, Then: []ir.Stmt{&ir.Call{Func: bc, Args: args, Dsts: dsts}, &ir.Return{Vals: vals}}}
	f.f.Body = append([]ir.Stmt{guard}, f.f.Body...)
}

// stretchTest is the first version's test for calling the second: that two
// extents its checks compare differ (equal extents need no stretching, so
// poly on 1-element arrays stays on the fused path); nil when it compares
// none. untraced reports a compared extent that does not trace back to what
// the function has at entry (no test is possible then); computed, one that
// traces back to more than an argument's extent or a constant (x[k:k+1],
// whose extent can be 1 although no argument's is).
func (f *fn) stretchTest() (cond ir.Expr, untraced, computed bool) {
	// Scalars assigned once (the temporaries holding extents) stand for
	// their value; array parameters never rebound keep their entry extents.
	rebound := map[*ir.Var]int{}
	alloc := map[*ir.Var][]ir.Expr{} // the shape of an allocation or a view
	alias := map[*ir.Var]*ir.Var{}
	assigns := map[*ir.Var]int{}
	value := map[*ir.Var]ir.Expr{}
	ir.VisitStmts(f.f.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.SetArray:
			rebound[s.Dst]++
			switch d := s.Src.(type) {
			case *ir.Alloc:
				alloc[s.Dst] = d.Shape
			case *ir.View:
				alloc[s.Dst] = d.Shape
			case *ir.Alias:
				alias[s.Dst] = d.Src
			}
		case *ir.Assign:
			assigns[s.Dst]++
			value[s.Dst] = s.Src
		}
	}, nil)
	params := map[*ir.Var]bool{}
	for _, p := range f.f.Params {
		params[p] = rebound[p] == 0
	}
	// entry is e as an expression of what the function has at entry (its
	// arguments' extents, scalar arguments it never assigns, constants),
	// through single assignments, allocations and pure arithmetic; nil when
	// e depends on anything else (a loop variable, a call, a reassigned
	// variable).
	var entry func(e ir.Expr) ir.Expr
	// Definitions can form a cycle (a, b = b, a binds each parameter once,
	// to an alias of the other): a variable met again on its own chain
	// depends on a rebinding, so it is not an entry value.
	visiting := map[*ir.Var]bool{}
	through := func(v *ir.Var, def ir.Expr) ir.Expr {
		if visiting[v] {
			return nil
		}
		visiting[v] = true
		defer delete(visiting, v)
		return entry(def)
	}
	all := func(es ...ir.Expr) ([]ir.Expr, bool) {
		out := make([]ir.Expr, len(es))
		for i, x := range es {
			if out[i] = entry(x); out[i] == nil {
				return nil, false
			}
		}
		return out, true
	}
	entry = func(e ir.Expr) ir.Expr {
		switch e := e.(type) {
		case *ir.Const:
			return e
		case *ir.Dim:
			if params[e.Arr] {
				return e
			}
			// An array allocated (or viewed) once, with a shape made of
			// entry extents.
			if sh := alloc[e.Arr]; sh != nil && rebound[e.Arr] == 1 && e.Axis < len(sh) {
				return through(e.Arr, sh[e.Axis])
			}
			if src := alias[e.Arr]; src != nil && rebound[e.Arr] == 1 {
				return through(e.Arr, &ir.Dim{Arr: src, Axis: e.Axis})
			}
		case *ir.Ref:
			if _, isParam := params[e.Var]; isParam {
				if assigns[e.Var] == 0 && e.Var.Type.Kind == types.Scalar {
					return e
				}
				return nil
			}
			if assigns[e.Var] == 1 {
				return through(e.Var, value[e.Var])
			}
		case *ir.Bin:
			if xs, ok := all(e.X, e.Y); ok {
				return &ir.Bin{Op: e.Op, X: xs[0], Y: xs[1], T: e.T}
			}
		case *ir.Unary:
			if xs, ok := all(e.X); ok {
				return &ir.Unary{Op: e.Op, X: xs[0], T: e.T}
			}
		case *ir.Cast:
			if xs, ok := all(e.X); ok {
				return &ir.Cast{X: xs[0], T: e.T}
			}
		case *ir.Select:
			if xs, ok := all(e.Cond, e.X, e.Y); ok {
				return &ir.Select{Cond: xs[0], X: xs[1], Y: xs[2], T: e.T}
			}
		case *ir.Intrinsic:
			if xs, ok := all(e.Args...); ok {
				return &ir.Intrinsic{Fn: e.Fn, Args: xs, T: e.T}
			}
		}
		return nil
	}
	or := func(c ir.Expr) {
		if cond == nil {
			cond = c
		} else {
			cond = &ir.Bin{Op: ir.Or, X: cond, Y: c, T: types.BoolT}
		}
	}
	for _, pr := range f.dynPairs {
		a, b := entry(pr[0]), entry(pr[1])
		if a == nil || b == nil {
			return nil, true, true
		}
		for _, x := range []ir.Expr{a, b} {
			switch x.(type) {
			case *ir.Const, *ir.Dim:
			default:
				computed = true
			}
		}
		or(&ir.Bin{Op: ir.Ne, X: a, Y: b, T: types.BoolT})
	}
	return cond, false, computed
}

// stretchDynamic is the broadcast shape of ops at run time: on each axis
// whose extents are not all the same expression, the extent other than 1
// (checked by shapeCheck: every extent equals it or is 1).
func (f *fn) stretchDynamic(shape []ir.Expr, ops []*lazyArr) []ir.Expr {
	out := append([]ir.Expr(nil), shape...)
	n := len(out)
	for k := range out {
		if isUnit(out[k]) {
			continue
		}
		r := out[k]
		seen := map[string]bool{ir.ExprString(r): true}
		for _, o := range ops {
			if o == nil {
				continue
			}
			j := k - (n - len(o.shape))
			if j < 0 || isUnit(o.shape[j]) || seen[ir.ExprString(o.shape[j])] {
				continue
			}
			seen[ir.ExprString(o.shape[j])] = true
			e := o.shape[j]
			r = f.stableExpr(&ir.Select{Cond: &ir.Bin{Op: ir.Eq, X: r, Y: ir.IntConst(1), T: types.BoolT}, X: e, Y: r,
				T: types.ScalarOf(types.Int64)})
		}
		out[k] = r
	}
	return out
}

// elemOfShape is elemOf for a result of the given shape: in the stretching
// version, an axis whose extent may be a run-time 1 against it is read at
// index 0 when it is.
func (f *fn) elemOfShape(v *val, shape []ir.Expr) func(idx []ir.Expr) ir.Expr {
	n := len(shape)
	if !f.stretch || v.t.Kind != types.Array {
		return elemOf(v, n)
	}
	lz := v.asLazy()
	r := len(lz.shape)
	ones := make([]ir.Expr, r)
	consts := make([]bool, r) // a constant extent 1 against another
	any := false
	for k, e := range lz.shape {
		if isUnit(e) && !isUnit(shape[n-r+k]) {
			consts[k], any = true, true
			continue
		}
		if isUnit(e) || ir.ExprString(e) == ir.ExprString(shape[n-r+k]) {
			continue
		}
		ones[k] = f.stableExpr(&ir.Bin{Op: ir.Eq, X: e, Y: ir.IntConst(1), T: types.BoolT})
		any = true
	}
	if !any {
		return elemOf(v, n)
	}
	if v.arr != nil {
		// A stored array: a view whose stretched axes have stride 0.
		arr := v.arr
		vshape := make([]ir.Expr, r)
		strides := make([]ir.Expr, r)
		for k := range vshape {
			vshape[k] = lz.shape[k]
			strides[k] = &ir.Stride{Arr: arr, Axis: k}
			if ones[k] != nil {
				vshape[k] = shape[n-r+k]
				strides[k] = &ir.Select{Cond: ones[k], X: ir.IntConst(0), Y: strides[k], T: types.ScalarOf(types.Int64)}
			}
			if consts[k] {
				vshape[k], strides[k] = shape[n-r+k], ir.IntConst(0)
			}
		}
		bv := f.temp(types.ArrayOf(arr.Type.DType, r, 'A'))
		f.bind(bv, arr)
		// Stretched, arr is the same view or disjoint from what it was
		// (overlap_views.go): a view the same as a target has the
		// target's extents, so nothing of it is stretched.
		f.inheritView(bv, arr)
		f.emit(&ir.SetArray{Dst: bv, Src: &ir.View{Base: arr, Offset: ir.IntConst(0), Shape: vshape, Strides: strides}})
		return elemOf(&val{t: bv.Type, arr: bv}, n)
	}
	return func(idx []ir.Expr) ir.Expr {
		in := unitIndex(lz.shape, idx[n-r:])
		out := append([]ir.Expr(nil), in...)
		for k, one := range ones {
			if one != nil {
				out[k] = &ir.Select{Cond: one, X: ir.IntConst(0), Y: in[k], T: types.ScalarOf(types.Int64)}
			}
		}
		return lz.gen(out)
	}
}
