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
)

func (f *fn) random(e *pyast.Call, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	ent := library.Callable("numpy.random", name)
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
		if s := bound[len(bound)-1]; s != nil && s.t.Kind != types.None {
			size = s
		}
	}
	nonNegative := func(x ir.Expr, what string) {
		// NumPy's CONS_NON_NEGATIVE: a NaN passes, -0.0 does not.
		neg := &ir.Intrinsic{Fn: ir.FnCopysign, Args: []ir.Expr{floatConst(1), x}, T: types.ScalarOf(types.Float64)}
		f.require(cmpE(ir.Ge, neg, floatConst(0)), ir.ErrValue, what+" < 0")
	}
	if name == "randint" {
		low, high := bound[0], bound[1]
		var lo, hi ir.Expr = ir.IntConst(0), nil
		if high == nil || high.t.Kind == types.None {
			hi = f.stableExpr(conv(low.s, types.Int64))
		} else {
			lo, hi = f.stableExpr(conv(low.s, types.Int64)), f.stableExpr(conv(high.s, types.Int64))
		}
		f.require(cmpE(ir.Lt, lo, hi), ir.ErrValue, "low >= high")
		// rng = high - 1 - low as an unsigned count (wrapping).
		rng := f.stableExpr(ibin(ir.Sub, ibin(ir.Sub, hi, ir.IntConst(1)), lo))
		if size == nil {
			return &val{t: rt, s: &ir.Ref{Var: f.draw(e, ir.HelperRandint, []ir.Expr{lo, rng}, rt)}}
		}
		out, n := f.drawArray(size, rt)
		f.draw(e, ir.HelperRandintFill, []ir.Expr{aref(out), n, lo, rng}, nil)
		return &val{t: rt, arr: out}
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
	}
	k := ir.IntConst(int64(kind))
	if size == nil {
		return &val{t: rt, s: &ir.Ref{Var: f.draw(e, ir.HelperRandom, []ir.Expr{k, p, q}, rt)}}
	}
	out, n := f.drawArray(size, rt)
	f.draw(e, ir.HelperRandomFill, []ir.Expr{aref(out), n, k, p, q}, nil)
	return &val{t: rt, arr: out}
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

// refuseParallelDraws reports draws inside prange loops, directly or
// through a called function: the threads would share one stream in an
// order that depends on timing, so the numbers would not be NumPy's.
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
			if !ok || reported || !(drawing[c.Func] || c.Func.Helper.Random()) {
				return
			}
			pos := p.src.P
			if d, ok := direct[c]; ok {
				pos = d.pos
			}
			reported = true
			p.f.errorf(pos, diag.Unsupported, "np.random draws inside a prange loop are not supported").
				WithHint("draw the numbers before the loop (np.random.random(n) and so on) and index them in it; " +
					"the threads would share NumPy's one stream in an order that depends on timing")
		}, nil)
	}
}
