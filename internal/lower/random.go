package lower

// numpy.random (library.Random; typed in types/calls_random.go): draws
// from NumPy's global RandomState, through its own bit generator and the
// cached Gaussian of its legacy state, which the runtime hands the kernel
// in ctx->random while it holds the state's lock. Each draw is a Call of a
// helper (ir.HelperRandom...), a statement: it happens once, where Python
// would make it, in program order, and no pass moves, merges or drops it.
// An array draw allocates its result and fills it in C order, as NumPy's
// loops do, so a jitted sequence of draws and Python's interleave exactly.
//
// The parameter checks come first and raise NumPy's exceptions before
// anything is drawn, as NumPy checks them before it draws.

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/library"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

func floatConst(x float64) ir.Expr { return &ir.Const{Type: types.ScalarOf(types.Float64), F: x} }

// drawSite is a draw's Call, for refusing draws in prange loops.
type drawSite struct {
	f    *fn
	call *ir.Call
	pos  pyast.Pos
}

// The kinds of ir.HelperRandom (prelude: sejit_rand_one).
const (
	drawUniform     = 0 // p + q*U
	drawGauss       = 1 // p + q*legacy_gauss
	drawExponential = 2 // p * -log(1 - U)
	// ir.HelperRandom2 (prelude: sejit_rand_cont)
	drawGamma = 3 // q * legacy standard_gamma(p)
	drawBeta  = 4 // legacy beta(p, q)
)

// genArgs is the Generator a method draws from (nil: NumPy's global
// RandomState): the addresses of its bitgen_t and of NumPy's ziggurat
// functions, the two fields of its record.
type genArgs struct{ bg, dists ir.Expr }

func (f *fn) random(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	return f.draws(e, nil, name, args, kw, rt)
}

// draws lowers np.random.name(...), or the Generator method name when g is
// not nil.
func (f *fn) draws(e *pyast.Call, g *genArgs, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	module := "numpy.random"
	if g != nil {
		module = "numpy.random.Generator"
	}
	ent := library.Callable(module, name)
	f64 := func(v *val, dflt float64) ir.Expr {
		if v == nil || v.t.Kind == types.None {
			return floatConst(dflt)
		}
		return f.stableExpr(conv(v.s, types.Float64))
	}
	var size *val
	var bound []*val
	if name == "rand" || name == "randn" {
		if len(args) > 0 {
			size = &val{t: types.TupleOf(), elems: args}
		}
	} else {
		bound, _, _ = types.BindParams(ent.Params, args, kw)
		for i, p := range ent.Params {
			if s := bound[i]; p == "size" && s != nil && s.t.Kind != types.None {
				size = s
			}
		}
	}
	nonNegative := func(x ir.Expr, what string) {
		// NumPy's CONS_NON_NEGATIVE: a NaN passes, -0.0 does not.
		neg := &ir.Intrinsic{Fn: ir.FnCopysign, Args: []ir.Expr{floatConst(1), x}, T: types.ScalarOf(types.Float64)}
		f.require(cmpE(ir.Ge, neg, floatConst(0)), ir.ErrValue, what+" < 0")
	}
	if bound != nil && hasArrayParam(ent.Params, bound) && name != "choice" && name != "shuffle" && name != "permutation" {
		return f.broadcastDraw(e, g, name, bound, size, rt) // random_broadcast.go
	}
	switch name {
	case "get_state":
		key := f.alloc(types.ArrayOf(types.Uint32, 1, 'C'), []ir.Expr{ir.IntConst(624)})
		i64 := types.ScalarOf(types.Int64)
		dsts := f.externCall(ir.HelperRandomGetState, []ir.Expr{aref(key)}, i64, i64, types.ScalarOf(types.Float64))
		f.l.draws = append(f.l.draws, drawSite{f: f, call: (*f.block)[len(*f.block)-1].(*ir.Call), pos: e.P})
		v := &val{t: rt, elems: []*val{{t: types.ArrayOf(types.Uint32, 1, 'C'), arr: key}}}
		for k, d := range dsts {
			v.elems = append(v.elems, &val{t: rt.Elems[k+1], s: &ir.Ref{Var: d}})
		}
		return v
	case "set_state":
		st := bound[0]
		args := []ir.Expr{aref(f.materialize(st.elems[0]))}
		for _, x := range st.elems[1:] {
			args = append(args, f.stableExpr(x.s))
		}
		f.draw(e, ir.HelperRandomSetState, args, nil)
		return &val{t: types.NoneT}
	case "seed", "shuffle", "permutation", "choice":
		return f.randomSequence(e, g, name, bound, rt)
	case "poisson", "binomial":
		return f.randomDiscrete(e, name, bound, size, rt)
	}
	if name == "randint" || name == "integers" {
		low, high := bound[0], bound[1]
		var lo, hi ir.Expr = ir.IntConst(0), nil
		if high == nil || high.t.Kind == types.None {
			hi = f.stableExpr(conv(low.s, types.Int64))
		} else {
			lo, hi = f.stableExpr(conv(low.s, types.Int64)), f.stableExpr(conv(high.s, types.Int64))
		}
		// rng = high - 1 - low as an unsigned count (wrapping); endpoint=True
		// closes the interval.
		var closed ir.Expr = ir.IntConst(0)
		if name == "integers" && bound[4] != nil {
			closed = f.stableExpr(conv(bound[4].s, types.Int64))
		}
		if d := rt.DType; d != types.Int64 {
			f.boundsFor(d, lo, hi, closed)
		}
		// NumPy's messages name the one-argument case (low 0) apart.
		or := func(a, b ir.Expr) ir.Expr { return &ir.Bin{Op: ir.Or, X: a, Y: b, T: types.BoolT} }
		lowNonZero := cmpE(ir.Ne, lo, ir.IntConst(0))
		if name == "integers" && bound[4] != nil {
			open, shut := cmpE(ir.Ne, closed, ir.IntConst(0)), cmpE(ir.Eq, closed, ir.IntConst(0))
			f.require(or(or(open, lowNonZero), cmpE(ir.Lt, lo, hi)), ir.ErrValue, "high <= 0")
			f.require(or(open, cmpE(ir.Lt, lo, hi)), ir.ErrValue, "low >= high")
			f.require(or(or(shut, lowNonZero), cmpE(ir.Le, lo, hi)), ir.ErrValue, "high < 0")
			f.require(or(shut, cmpE(ir.Le, lo, hi)), ir.ErrValue, "low > high")
		} else {
			f.require(or(lowNonZero, cmpE(ir.Lt, lo, hi)), ir.ErrValue, "high <= 0")
			f.require(cmpE(ir.Lt, lo, hi), ir.ErrValue, "low >= high")
		}
		if d := rt.DType; d != types.Int64 {
			return f.narrowDraw(e, g, d, lo, hi, closed, size, rt)
		}
		rng := f.stableExpr(ibin(ir.Sub, ibin(ir.Sub, ibin(ir.Add, hi, closed), ir.IntConst(1)), lo))
		one, fill := ir.HelperRandint, ir.HelperRandintFill
		var pre []ir.Expr
		if g != nil {
			one, fill, pre = ir.HelperGenInt, ir.HelperGenIntFill, []ir.Expr{g.bg}
		}
		if size == nil {
			return &val{t: rt, s: &ir.Ref{Var: f.draw(e, one, append(pre, lo, rng), rt)}}
		}
		out, n := f.drawArray(size, rt)
		f.draw(e, fill, append([]ir.Expr{aref(out), n}, append(pre, lo, rng)...), nil)
		return &val{t: rt, arr: out}
	}
	if g != nil {
		return f.generatorFloat(e, g, name, bound, size, rt, f64, nonNegative)
	}
	kind, p, q := drawUniform, ir.Expr(floatConst(0)), ir.Expr(floatConst(1))
	switch name {
	case "randn", "standard_normal":
		kind = drawGauss
	case "normal":
		kind = drawGauss
		p, q = f64(bound[0], 0), f64(bound[1], 1)
		nonNegative(q, "scale")
	case "uniform":
		low, high := f64(bound[0], 0), f64(bound[1], 1)
		q = f.stableExpr(&ir.Bin{Op: ir.Sub, X: high, Y: low, T: types.ScalarOf(types.Float64)})
		p = low
		f.require(&ir.Intrinsic{Fn: ir.FnIsfinite, Args: []ir.Expr{q}, T: types.BoolT}, ir.ErrOverflow,
			"Range exceeds valid bounds")
	case "exponential":
		kind = drawExponential
		p = f64(bound[0], 1)
		nonNegative(p, "scale")
	case "standard_exponential":
		kind, p = drawExponential, floatConst(1)
	case "gamma", "standard_gamma":
		kind, p = drawGamma, f64(bound[0], 0)
		nonNegative(p, "shape")
		if name == "gamma" {
			q = f64(bound[1], 1)
			nonNegative(q, "scale")
		}
	case "beta":
		kind, p, q = drawBeta, f64(bound[0], 0), f64(bound[1], 0)
		// CONS_POSITIVE: a NaN passes.
		f.require(&ir.Unary{Op: ir.Not, X: cmpE(ir.Le, p, floatConst(0)), T: types.BoolT}, ir.ErrValue, "a <= 0")
		f.require(&ir.Unary{Op: ir.Not, X: cmpE(ir.Le, q, floatConst(0)), T: types.BoolT}, ir.ErrValue, "b <= 0")
	}
	k := ir.IntConst(int64(kind))
	one, fill := ir.HelperRandom, ir.HelperRandomFill
	if kind >= drawGamma {
		one, fill = ir.HelperRandom2, ir.HelperRandom2Fill
	}
	if size == nil {
		return &val{t: rt, s: &ir.Ref{Var: f.draw(e, one, []ir.Expr{k, p, q}, rt)}}
	}
	out, n := f.drawArray(size, rt)
	f.draw(e, fill, []ir.Expr{aref(out), n, k, p, q}, nil)
	return &val{t: rt, arr: out}
}

// boundsFor checks the bounds of randint or integers with dtype d (not
// int64) against d's range, before their order, as NumPy does: "low is
// out of bounds for int8", then "high is out of bounds for int8" (high
// the last value drawn: high - 1 unless closed).
func (f *fn) boundsFor(d types.DType, lo, hi, closed ir.Expr) {
	bits := uint(d.Bits())
	var lb, ub int64 // ub + 1 of an open interval must fit: not for uint64
	if d.IsUnsigned() {
		lb, ub = 0, int64(uint64(1)<<bits-1)
	} else {
		lb, ub = -int64(uint64(1)<<(bits-1)), int64(uint64(1)<<(bits-1)-1)
	}
	f.require(cmpE(ir.Ge, lo, ir.IntConst(lb)), ir.ErrValue, "low is out of bounds for "+d.String())
	if d != types.Uint64 {
		// open: high - 1 <= ub; closed: high <= ub.
		f.require(cmpE(ir.Le, ibin(ir.Sub, hi, ibin(ir.Sub, ir.IntConst(1), closed)), ir.IntConst(ub)),
			ir.ErrValue, "high is out of bounds for "+d.String())
	}
}

// narrowDraw draws randint or integers with dtype d (not int64), whose
// bounds are checked: NumPy's draw for that width (ir.HelperRandintNarrow),
// masks for RandomState, Lemire for a Generator.
func (f *fn) narrowDraw(e *pyast.Call, g *genArgs, d types.DType, lo, hi, closed ir.Expr, size *val, rt *types.Type) *val {
	rng := f.stableExpr(ibin(ir.Sub, ibin(ir.Sub, ibin(ir.Add, hi, closed), ir.IntConst(1)), lo))
	var bg ir.Expr = ir.IntConst(0)
	masked := ir.IntConst(1)
	if g != nil {
		bg, masked = g.bg, ir.IntConst(0)
	}
	args := []ir.Expr{bg, ir.IntConst(int64(d.Bits() / 8)), masked, lo, rng}
	if size == nil {
		r := f.draw(e, ir.HelperRandintNarrow, args, types.ScalarOf(types.Int64))
		return &val{t: rt, s: conv(&ir.Ref{Var: r}, rt.DType)}
	}
	out, n := f.drawArray(size, rt)
	f.draw(e, ir.HelperRandintNarrowFill, append([]ir.Expr{aref(out), n}, args...), nil)
	return &val{t: rt, arr: out}
}

// poissonLamMax is RandomState's POISSON_LAM_MAX, the int64 maximum less
// ten of its square roots, as a double: larger lam could overflow PTRS.
const poissonLamMax = 9.223372006484771e18

// randomDiscrete lowers poisson and binomial, checking their parameters in
// NumPy's order (binomial checks p before n) before anything is drawn.
func (f *fn) randomDiscrete(e *pyast.Call, name string, bound []*val, size *val, rt *types.Type) *val {
	var kind int64
	var p, n ir.Expr
	not := func(c ir.Expr) ir.Expr { return &ir.Unary{Op: ir.Not, X: c, T: types.BoolT} }
	if name == "poisson" {
		p, n = floatConst(1), ir.IntConst(0)
		if b := bound[0]; b != nil && b.t.Kind != types.None {
			p = f.stableExpr(conv(b.s, types.Float64))
		}
		f.require(cmpE(ir.Ge, p, floatConst(0)), ir.ErrValue, "lam < 0 or lam is NaN")
		f.require(not(cmpE(ir.Gt, p, floatConst(poissonLamMax))), ir.ErrValue, "lam value too large")
	} else {
		kind = 1
		n, p = f.stableExpr(conv(bound[0].s, types.Int64)), f.stableExpr(conv(bound[1].s, types.Float64))
		f.require(&ir.Bin{Op: ir.And, X: cmpE(ir.Ge, p, floatConst(0)), Y: cmpE(ir.Le, p, floatConst(1)), T: types.BoolT},
			ir.ErrValue, "p < 0, p > 1 or p is NaN")
		f.require(cmpE(ir.Ge, n, ir.IntConst(0)), ir.ErrValue, "n < 0")
	}
	k := ir.IntConst(kind)
	if size == nil {
		return &val{t: rt, s: &ir.Ref{Var: f.draw(e, ir.HelperRandomDisc, []ir.Expr{k, p, n}, rt)}}
	}
	out, cnt := f.drawArray(size, rt)
	f.draw(e, ir.HelperRandomDiscFill, []ir.Expr{aref(out), cnt, k, p, n}, nil)
	return &val{t: rt, arr: out}
}

// randomSequence lowers seed, shuffle, permutation and choice. Shuffling
// any array moves its rows as permutation(len) orders 0..len-1 (the same
// swaps, NumPy's draws), so shuffle and permutation of an array gather
// through that permutation: one helper for every dtype and rank.
func (f *fn) randomSequence(e *pyast.Call, g *genArgs, name string, bound []*val, rt *types.Type) *val {
	x := bound[0]
	// perm draws the permutation of n rows; draw is false when the array
	// shuffled has no elements, where Generator.shuffle draws nothing.
	perm := func(n ir.Expr, draw ir.Expr) *ir.Var {
		out := f.alloc(types.ArrayOf(types.Int64, 1, 'C'), []ir.Expr{n})
		if g != nil {
			f.draw(e, ir.HelperGenPerm, []ir.Expr{aref(out), n, g.bg, draw}, nil)
		} else {
			f.draw(e, ir.HelperRandomPerm, []ir.Expr{aref(out), n}, nil)
		}
		return out
	}
	yes := ir.Expr(ir.IntConst(1))
	switch name {
	case "seed":
		if x == nil || x.t.Kind == types.None {
			f.draw(e, ir.HelperRandomSeed, []ir.Expr{ir.IntConst(0), ir.IntConst(1)}, nil)
			return &val{t: types.NoneT}
		}
		f.draw(e, ir.HelperRandomSeed, []ir.Expr{f.stableExpr(conv(x.s, types.Int64)), ir.IntConst(0)}, nil)
		return &val{t: types.NoneT}
	case "permutation":
		if x.t.Kind != types.Array {
			// permutation(n) shuffles arange(n): empty for n <= 0.
			n := f.stableExpr(conv(x.s, types.Int64))
			n = f.stableExpr(&ir.Select{Cond: cmpE(ir.Gt, n, ir.IntConst(0)), X: n, Y: ir.IntConst(0), T: i64T})
			return &val{t: rt, arr: perm(n, yes)}
		}
		arr := f.materialize(x)
		idx := perm(f.once(&ir.Dim{Arr: arr, Axis: 0}), yes)
		return &val{t: rt, lazy: gather(arr, idx, &ir.Dim{Arr: idx, Axis: 0}, 0, quoteName(x.name))}
	case "shuffle":
		arr := f.materialize(x)
		var size ir.Expr = ir.IntConst(1)
		for k := 0; k < arr.Type.NDim; k++ {
			size = ibin(ir.Mul, size, &ir.Dim{Arr: arr, Axis: k})
		}
		draw := f.stableExpr(&ir.Cast{X: cmpE(ir.Ne, size, ir.IntConst(0)), T: i64T})
		idx := perm(f.once(&ir.Dim{Arr: arr, Axis: 0}), draw)
		moved := f.freshCopy(&val{t: x.t, lazy: gather(arr, idx, &ir.Dim{Arr: idx, Axis: 0}, 0, "")}).arr
		shape := make([]ir.Expr, arr.Type.NDim)
		for k := range shape {
			shape[k] = f.once(&ir.Dim{Arr: moved, Axis: k})
		}
		vs, ix := f.idxVars(len(shape))
		f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{&ir.Store{Arr: arr, Idx: ix, Src: &ir.Load{Arr: moved, Idx: ix}}}})
		return &val{t: types.NoneT}
	}
	return f.choice(e, g, bound, rt)
}

// choice lowers RandomState.choice(a, size=None, replace=True, p=None):
// NumPy's checks of a, then of p, then of the sample size, in its order,
// then the indices (helper), then a's elements at them when a is an array.
func (f *fn) choice(e *pyast.Call, g *genArgs, bound []*val, rt *types.Type) *val {
	a, size, replace, p := bound[0], bound[1], bound[2], bound[3]
	// RandomState's messages, or Generator's.
	msgPositive, msgEmpty := "a must be greater than 0 unless no samples are taken", "'a' cannot be empty unless no samples are taken"
	msgLarger, msgNegative := "Cannot take a larger sample than population when 'replace=False'", "Negative dimensions are not allowed"
	if g != nil {
		msgPositive, msgEmpty = "a must be a positive integer unless no samples are taken", "a cannot be empty unless no samples are taken"
		msgLarger, msgNegative = "Cannot take a larger sample than population when replace is False", "negative dimensions are not allowed"
	}
	var dims []ir.Expr
	if size != nil && size.t.Kind != types.None {
		if size.t.Kind == types.Tuple {
			for _, d := range size.elems {
				dims = append(dims, f.stableExpr(conv(d.s, types.Int64)))
			}
		} else {
			dims = []ir.Expr{f.stableExpr(conv(size.s, types.Int64))}
		}
	}
	var m ir.Expr = ir.IntConst(1)
	for _, d := range dims {
		m = ibin(ir.Mul, m, d)
	}
	m = f.stableExpr(m)
	sampling := cmpE(ir.Ne, m, ir.IntConst(0))
	var pop ir.Expr
	var arr *ir.Var
	if a.t.Kind == types.Array {
		arr = f.materialize(a)
		pop = f.once(&ir.Dim{Arr: arr, Axis: 0})
		f.require(&ir.Unary{Op: ir.Not, X: &ir.Bin{Op: ir.And, X: cmpE(ir.Eq, pop, ir.IntConst(0)), Y: sampling, T: types.BoolT},
			T: types.BoolT}, ir.ErrValue, msgEmpty)
	} else {
		pop = f.stableExpr(conv(a.s, types.Int64))
		f.require(&ir.Unary{Op: ir.Not, X: &ir.Bin{Op: ir.And, X: cmpE(ir.Le, pop, ir.IntConst(0)), Y: sampling, T: types.BoolT},
			T: types.BoolT}, ir.ErrValue, msgPositive)
	}
	var pv *ir.Var
	if p != nil && p.t.Kind != types.None {
		pv = f.arrayAs(p, types.Float64)
		// choice's tolerance: sqrt of float64's epsilon, or of float32's
		// for float32 probabilities.
		atol := 1.4901161193847656e-08
		if p.t.DType == types.Float32 {
			atol = 0.00034526698300124393
		}
		gen := int64(0)
		if g != nil {
			gen = 1
		}
		f.externCall(ir.HelperChoiceCheck, []ir.Expr{aref(pv), pop, floatConst(atol), ir.IntConst(gen)})
	}
	var rep ir.Expr = ir.IntConst(1)
	if replace != nil {
		rep = f.stableExpr(conv(replace.s, types.Int64))
		f.require(&ir.Bin{Op: ir.Or, X: cmpE(ir.Ne, rep, ir.IntConst(0)), Y: cmpE(ir.Le, m, pop), T: types.BoolT},
			ir.ErrValue, msgLarger)
		f.require(&ir.Bin{Op: ir.Or, X: cmpE(ir.Ne, rep, ir.IntConst(0)), Y: cmpE(ir.Ge, m, ir.IntConst(0)), T: types.BoolT},
			ir.ErrValue, msgNegative)
	}
	for _, d := range dims {
		f.require(cmpE(ir.Ge, d, ir.IntConst(0)), ir.ErrValue, "negative dimensions are not allowed")
	}
	shape := dims
	if size == nil || size.t.Kind == types.None {
		shape = []ir.Expr{ir.IntConst(1)}
	}
	idx := f.alloc(types.ArrayOf(types.Int64, len(shape), 'C'), shape)
	hasP, pArg := ir.IntConst(0), aref(idx)
	if pv != nil {
		hasP, pArg = ir.IntConst(1), aref(pv)
	}
	if g != nil {
		var shuffle ir.Expr = ir.IntConst(1)
		if sh := bound[5]; sh != nil {
			shuffle = f.stableExpr(conv(sh.s, types.Int64))
		}
		f.draw(e, ir.HelperGenChoice, []ir.Expr{aref(idx), m, pop, rep, pArg, hasP, g.bg, shuffle}, nil)
	} else {
		f.draw(e, ir.HelperChoice, []ir.Expr{aref(idx), m, pop, rep, pArg, hasP}, nil)
	}
	if size == nil || size.t.Kind == types.None {
		i := &ir.Load{Arr: idx, Idx: []ir.Expr{ir.IntConst(0)}}
		if arr == nil {
			return &val{t: rt, s: f.stableExpr(i)}
		}
		return &val{t: rt, s: f.stableExpr(&ir.Load{Arr: arr, Idx: []ir.Expr{i}})}
	}
	if arr == nil {
		return &val{t: rt, arr: idx}
	}
	gen := func(ix []ir.Expr) ir.Expr {
		return &ir.Load{Arr: arr, Idx: []ir.Expr{&ir.Load{Arr: idx, Idx: ix}}}
	}
	lz := &lazyArr{label: quoteName(a.name), dtype: arr.Type.DType, shape: shape, gen: gen}
	return &val{t: rt, arr: f.materialize(&val{t: rt, lazy: lz})}
}

// drawArray allocates the C-ordered result of a draw with size= (an int or
// a tuple of ints) and returns it with its element count.
func (f *fn) drawArray(size *val, rt *types.Type) (*ir.Var, ir.Expr) {
	var dims []ir.Expr
	if size.t.Kind == types.Tuple {
		for _, x := range size.elems {
			dims = append(dims, f.stableExpr(conv(x.s, types.Int64)))
		}
	} else {
		dims = []ir.Expr{f.stableExpr(conv(size.s, types.Int64))}
	}
	var n ir.Expr = ir.IntConst(1)
	for _, d := range dims {
		f.require(cmpE(ir.Ge, d, ir.IntConst(0)), ir.ErrValue, "negative dimensions are not allowed")
		n = ibin(ir.Mul, n, d)
	}
	out := f.alloc(rt, dims)
	return out, f.stableExpr(n)
}

// draw calls a random helper, recording the call for the prange check,
// and returns the variable of its scalar result (nil for fills).
func (f *fn) draw(e *pyast.Call, h ir.Helper, args []ir.Expr, rt *types.Type) *ir.Var {
	if f.stream != nil {
		return f.streamDraw(e, h, args, rt) // random_stream.go
	}
	var res []*types.Type
	if rt != nil {
		res = append(res, types.ScalarOf(rt.DType))
	}
	dsts := f.externCall(h, args, res...)
	call := (*f.block)[len(*f.block)-1].(*ir.Call)
	f.l.draws = append(f.l.draws, drawSite{f: f, call: call, pos: e.P})
	if len(dsts) == 0 {
		return nil
	}
	return dsts[0]
}

// Draws reports whether a program draws from NumPy's global random state:
// the runtime then hands its kernels the state (the ABI's "random").
func Draws(p *ir.Program) bool {
	found := false
	for _, fn := range p.Funcs {
		ir.VisitStmts(fn.Body, func(s ir.Stmt) {
			if c, ok := s.(*ir.Call); ok && c.Func.Helper.Random() {
				found = true
			}
		}, nil)
	}
	return found
}

// refuseParallelDraws reports draws inside prange loops through a called
// function, and Generator draws: the threads would share one stream in an
// order that depends on timing. (The loop body's own scalar draws of
// np.random use per-iteration streams: random_stream.go.)
func (l *lowerer) refuseParallelDraws() {
	if len(l.draws) == 0 {
		return
	}
	direct := map[*ir.Call]drawSite{}
	drawing := map[*ir.Func]bool{}
	for _, d := range l.draws {
		direct[d.call] = d
		drawing[d.f.f] = true
	}
	// Functions that draw through the functions they call.
	for changed := true; changed; {
		changed = false
		for _, fn := range l.funcs {
			if drawing[fn] {
				continue
			}
			ir.VisitStmts(fn.Body, func(s ir.Stmt) {
				if c, ok := s.(*ir.Call); ok && drawing[c.Func] && !drawing[fn] {
					drawing[fn], changed = true, true
				}
			}, nil)
		}
	}
	for _, p := range l.prange {
		reported := false
		ir.VisitStmts(p.loop.Body, func(s ir.Stmt) {
			c, ok := s.(*ir.Call)
			if !ok || reported || !(drawing[c.Func] || c.Func.Helper.Random() || c.Func.Helper.GeneratorDraw()) {
				return
			}
			pos := p.src.P
			if d, ok := direct[c]; ok {
				pos = d.pos
			}
			reported = true
			p.f.errorf(pos, diag.Unsupported, "np.random draws inside a prange loop are not supported").
				WithHint("the function called draws from NumPy's global state or a Generator, which the threads " +
					"would share in an order that depends on timing; draw scalars in the loop body itself (each " +
					"iteration then has a stream of its own) or draw the numbers before the loop")
		}, nil)
	}
}
