package lower

// Draws with arrays of parameters (np.random.normal(mu, sigma) with mu an
// array, and the like; typed in types/calls_random.go). NumPy's cont and
// disc check every element of each parameter array against the
// parameter's constraint (all of the first, then all of the second), then
// broadcast the parameters (and size=, when given, which then fixes the
// shape) and draw one number per element of the result in C order, each
// with that element's parameters. Here the same: the checks loop over each
// parameter first, extents must match the result's or be 1 (ValueError
// otherwise), and the draws loop over the result calling the scalar draw
// helper, so the stream is NumPy's draw for draw. The messages are those
// of NumPy's array checks ("lam < 0 or lam contains NaNs"), which apply to
// every parameter of such a call, scalars too.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// drawParam is one parameter of a broadcast draw: an array or a scalar.
type drawParam struct {
	arr *ir.Var // nil for a scalar
	s   ir.Expr
}

// at is the parameter's value at idx of a result of rank r (its axes
// aligned right, extents of 1 read at 0).
func (p drawParam) at(idx []ir.Expr, r int) ir.Expr {
	if p.arr == nil {
		return p.s
	}
	n := p.arr.Type.NDim
	pi := make([]ir.Expr, n)
	for j := range pi {
		ext := &ir.Dim{Arr: p.arr, Axis: j}
		pi[j] = &ir.Select{Cond: cmpE(ir.Eq, ext, ir.IntConst(1)), X: ir.IntConst(0), Y: idx[j+r-n], T: i64T}
	}
	return &ir.Load{Arr: p.arr, Idx: pi}
}

// hasArrayParam reports whether a draw's parameters (all but size) include
// an array.
func hasArrayParam(params []string, bound []*val) bool {
	for i, p := range params {
		if v := bound[i]; p != "size" && v != nil && v.t.Kind == types.Array {
			return true
		}
	}
	return false
}

// broadcastDraw lowers name(...) with array parameters.
func (f *fn) broadcastDraw(e *pyast.Call, g *genArgs, name string, bound []*val, size *val, rt *types.Type) *val {
	param := func(i int, d types.DType, dflt ir.Expr) drawParam {
		v := bound[i]
		if v == nil || v.t.Kind == types.None {
			return drawParam{s: dflt}
		}
		if v.t.Kind == types.Array {
			return drawParam{arr: f.arrayAs(v, d)}
		}
		return drawParam{s: f.stableExpr(conv(v.s, d))}
	}
	f64 := func(i int, dflt float64) drawParam { return param(i, types.Float64, floatConst(dflt)) }
	not := func(c ir.Expr) ir.Expr { return &ir.Unary{Op: ir.Not, X: c, T: types.BoolT} }
	// check requires cond of every element of p, before anything is drawn.
	check := func(p drawParam, err ir.ErrKind, msg string, cond func(x ir.Expr) ir.Expr) {
		if p.arr == nil {
			f.require(cond(p.s), err, msg)
			return
		}
		shape := make([]ir.Expr, p.arr.Type.NDim)
		for k := range shape {
			shape[k] = f.once(&ir.Dim{Arr: p.arr, Axis: k})
		}
		f.forLoops(shape, func(idx []ir.Expr) { f.require(cond(&ir.Load{Arr: p.arr, Idx: idx}), err, msg) })
	}
	nonNegative := func(p drawParam, what string) {
		check(p, ir.ErrValue, what+" < 0", func(x ir.Expr) ir.Expr {
			return cmpE(ir.Ge, &ir.Intrinsic{Fn: ir.FnCopysign, Args: []ir.Expr{floatConst(1), x},
				T: types.ScalarOf(types.Float64)}, floatConst(0))
		})
	}
	positive := func(p drawParam, what string) {
		check(p, ir.ErrValue, what+" <= 0", func(x ir.Expr) ir.Expr { return not(cmpE(ir.Le, x, floatConst(0))) })
	}
	var ps []drawParam
	// args gives the scalar helper's operands for the parameters' values.
	var helper ir.Helper
	var args func(v []ir.Expr) []ir.Expr
	floatKind := func(kind int64) func(v []ir.Expr) []ir.Expr {
		return func(v []ir.Expr) []ir.Expr { return []ir.Expr{ir.IntConst(kind), v[0], v[1]} }
	}
	var uniformRange bool
	switch name {
	case "normal":
		ps = []drawParam{f64(0, 0), f64(1, 1)}
		nonNegative(ps[1], "scale")
		helper, args = ir.HelperRandom, floatKind(drawGauss)
		if g != nil {
			args = floatKind(genNormal)
		}
	case "uniform":
		ps = []drawParam{f64(0, 0), f64(1, 1)}
		helper, args, uniformRange = ir.HelperRandom, floatKind(drawUniform), true
		if g != nil {
			args = floatKind(genUniform)
		}
	case "exponential":
		ps = []drawParam{f64(0, 1), {s: floatConst(1)}}
		nonNegative(ps[0], "scale")
		helper, args = ir.HelperRandom, floatKind(drawExponential)
		if g != nil {
			args = floatKind(genExponential)
		}
	case "gamma", "standard_gamma":
		ps = []drawParam{f64(0, 0), {s: floatConst(1)}}
		nonNegative(ps[0], "shape")
		if name == "gamma" {
			ps[1] = f64(1, 1)
			nonNegative(ps[1], "scale")
		}
		helper, args = ir.HelperRandom2, floatKind(drawGamma)
	case "beta":
		ps = []drawParam{f64(0, 0), f64(1, 0)}
		positive(ps[0], "a")
		positive(ps[1], "b")
		helper, args = ir.HelperRandom2, floatKind(drawBeta)
	case "poisson":
		ps = []drawParam{f64(0, 1)}
		check(ps[0], ir.ErrValue, "lam value too large", func(x ir.Expr) ir.Expr {
			return not(cmpE(ir.Gt, x, floatConst(poissonLamMax)))
		})
		check(ps[0], ir.ErrValue, "lam < 0 or lam contains NaNs", func(x ir.Expr) ir.Expr { return cmpE(ir.Ge, x, floatConst(0)) })
		helper = ir.HelperRandomDisc
		args = func(v []ir.Expr) []ir.Expr { return []ir.Expr{ir.IntConst(0), v[0], ir.IntConst(0)} }
	case "binomial":
		ps = []drawParam{param(0, types.Int64, nil), f64(1, 0)}
		check(ps[1], ir.ErrValue, "p < 0, p > 1 or p contains NaNs", func(x ir.Expr) ir.Expr {
			return &ir.Bin{Op: ir.And, X: cmpE(ir.Ge, x, floatConst(0)), Y: cmpE(ir.Le, x, floatConst(1)), T: types.BoolT}
		})
		check(ps[0], ir.ErrValue, "n < 0", func(x ir.Expr) ir.Expr { return cmpE(ir.Ge, x, ir.IntConst(0)) })
		helper = ir.HelperRandomDisc
		args = func(v []ir.Expr) []ir.Expr { return []ir.Expr{ir.IntConst(1), v[1], v[0]} }
	}
	mismatch := "shape mismatch: objects cannot be broadcast to a single shape"
	var orderCheck func(v []ir.Expr) // checks of two parameters together, before the draws
	switch name {
	case "randint", "integers":
		// low and high broadcast (high alone is [0, high)); the bounds are
		// compared element by element, then each draw takes its own range.
		ps = []drawParam{param(0, types.Int64, nil), {}}
		if v := bound[1]; v == nil || v.t.Kind == types.None {
			ps[0], ps[1] = drawParam{s: ir.IntConst(0)}, ps[0]
		} else {
			ps[1] = param(1, types.Int64, nil)
		}
		var closed ir.Expr = ir.IntConst(0)
		if name == "integers" && bound[4] != nil {
			closed = f.stableExpr(conv(bound[4].s, types.Int64))
		}
		mismatch = "operands could not be broadcast together with shapes"
		orderCheck = func(v []ir.Expr) {
			if name == "integers" && bound[4] != nil {
				f.require(&ir.Bin{Op: ir.Or, X: cmpE(ir.Ne, closed, ir.IntConst(0)), Y: cmpE(ir.Lt, v[0], v[1]),
					T: types.BoolT}, ir.ErrValue, "low >= high")
				f.require(&ir.Bin{Op: ir.Or, X: cmpE(ir.Eq, closed, ir.IntConst(0)), Y: cmpE(ir.Le, v[0], v[1]),
					T: types.BoolT}, ir.ErrValue, "low > high")
				return
			}
			f.require(cmpE(ir.Lt, v[0], v[1]), ir.ErrValue, "low >= high")
		}
		helper = ir.HelperRandint
		args = func(v []ir.Expr) []ir.Expr {
			rng := ibin(ir.Sub, ibin(ir.Sub, ibin(ir.Add, v[1], closed), ir.IntConst(1)), v[0])
			return []ir.Expr{v[0], rng}
		}
		if g != nil {
			helper = ir.HelperGenInt
			args = func(v []ir.Expr) []ir.Expr {
				rng := ibin(ir.Sub, ibin(ir.Sub, ibin(ir.Add, v[1], closed), ir.IntConst(1)), v[0])
				return []ir.Expr{g.bg, v[0], rng}
			}
		}
	default:
		if g != nil {
			helper = ir.HelperGenFloat
			inner := args
			args = func(v []ir.Expr) []ir.Expr { return append([]ir.Expr{g.bg, g.dists}, inner(v)...) }
		}
	}

	// The result's shape: size=, or the parameters broadcast.
	r := rt.NDim
	var dims []ir.Expr
	if size != nil {
		if size.t.Kind == types.Tuple {
			for _, d := range size.elems {
				dims = append(dims, f.stableExpr(conv(d.s, types.Int64)))
			}
		} else {
			dims = []ir.Expr{f.stableExpr(conv(size.s, types.Int64))}
		}
		for _, d := range dims {
			f.require(cmpE(ir.Ge, d, ir.IntConst(0)), ir.ErrValue, "negative dimensions are not allowed")
		}
	} else {
		for k := 0; k < r; k++ {
			var ext ir.Expr = ir.IntConst(1)
			for _, p := range ps {
				if p.arr == nil || k < r-p.arr.Type.NDim {
					continue
				}
				pe := &ir.Dim{Arr: p.arr, Axis: k - (r - p.arr.Type.NDim)}
				ext = &ir.Select{Cond: cmpE(ir.Ne, pe, ir.IntConst(1)), X: pe, Y: ext, T: i64T}
			}
			dims = append(dims, f.stableExpr(ext))
		}
	}
	for _, p := range ps {
		if p.arr == nil {
			continue
		}
		n := p.arr.Type.NDim
		if n > r {
			f.fail(ir.ErrValue, mismatch)
			continue
		}
		for j := 0; j < n; j++ {
			pe := &ir.Dim{Arr: p.arr, Axis: j}
			f.require(&ir.Bin{Op: ir.Or, X: cmpE(ir.Eq, pe, dims[j+r-n]), Y: cmpE(ir.Eq, pe, ir.IntConst(1)), T: types.BoolT},
				ir.ErrValue, mismatch)
		}
	}
	values := func(idx []ir.Expr) []ir.Expr {
		v := make([]ir.Expr, len(ps))
		for i, p := range ps {
			v[i] = f.stableExpr(p.at(idx, r))
		}
		return v
	}
	if orderCheck != nil {
		f.forLoops(dims, func(idx []ir.Expr) { orderCheck(values(idx)) })
	}
	if uniformRange {
		// high - low must be finite everywhere (and, for a Generator, not
		// negative) before the first draw; the draws use low and the range.
		msg := "Range exceeds valid bounds"
		f.forLoops(dims, func(idx []ir.Expr) {
			v := values(idx)
			rng := f.stableExpr(&ir.Bin{Op: ir.Sub, X: v[1], Y: v[0], T: types.ScalarOf(types.Float64)})
			f.require(&ir.Intrinsic{Fn: ir.FnIsfinite, Args: []ir.Expr{rng}, T: types.BoolT}, ir.ErrOverflow, msg)
		})
		if g != nil {
			f.forLoops(dims, func(idx []ir.Expr) {
				v := values(idx)
				nonNegative(drawParam{s: f.stableExpr(&ir.Bin{Op: ir.Sub, X: v[1], Y: v[0], T: types.ScalarOf(types.Float64)})},
					"high - low")
			})
		}
		inner := args
		args = func(v []ir.Expr) []ir.Expr {
			rng := &ir.Bin{Op: ir.Sub, X: v[1], Y: v[0], T: types.ScalarOf(types.Float64)}
			return inner([]ir.Expr{v[0], rng})
		}
	}
	out := f.alloc(rt, dims)
	elem := types.ScalarOf(rt.DType)
	f.forLoops(dims, func(idx []ir.Expr) {
		x := f.draw(e, helper, args(values(idx)), elem)
		f.emit(&ir.Store{Arr: out, Idx: idx, Src: ref(x)})
	})
	return &val{t: rt, arr: out}
}
