package lower

// np.random.Generator objects passed in (typed in
// types/calls_generator.go). The Python side passes a Generator as a
// record of two integers, the address of its bit generator's bitgen_t and
// that of a table of NumPy's exported ziggurat functions; each method
// draws through them (prelude: sejit_np_gen_*), so the Python object's own
// state advances and a later Python draw continues the stream. The
// parameter checks and the draw order are lower/random.go's, with
// Generator's algorithms (Lemire's bounded integers, the ziggurat) and its
// messages.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// The kinds of ir.HelperGenFloat (prelude: sejit_gen_float).
const (
	genUniform     = 0 // p + q*U
	genNormal      = 1 // p + q*N
	genExponential = 2 // p*E
	genStdNormal   = 3 // N
	genStdExp      = 4 // E
)

// generatorMethod lowers rng.name(...) for a Generator record recv.
func (f *fn) generatorMethod(e *pyast.Call, recv *val, name string, args []*val, kw map[string]*val, rt *types.Type) *val {
	field := func(n string) ir.Expr { return f.stableExpr(recv.elems[recv.t.Field(n)].s) }
	g := &genArgs{bg: field(types.GeneratorBitgenField), dists: field(types.GeneratorDistsField)}
	return f.draws(e, g, name, args, kw, rt)
}

// generatorFloat lowers the float draws of a Generator.
func (f *fn) generatorFloat(e *pyast.Call, g *genArgs, name string, bound []*val, size *val, rt *types.Type,
	f64 func(*val, float64) ir.Expr, nonNegative func(ir.Expr, string)) *val {
	kind, p, q := genUniform, ir.Expr(floatConst(0)), ir.Expr(floatConst(1))
	switch name {
	case "standard_normal":
		kind = genStdNormal
	case "standard_exponential":
		kind = genStdExp
	case "normal":
		kind = genNormal
		p, q = f64(bound[0], 0), f64(bound[1], 1)
		nonNegative(q, "scale")
	case "exponential":
		kind = genExponential
		p = f64(bound[0], 1)
		nonNegative(p, "scale")
	case "uniform":
		low, high := f64(bound[0], 0), f64(bound[1], 1)
		q = f.stableExpr(&ir.Bin{Op: ir.Sub, X: high, Y: low, T: types.ScalarOf(types.Float64)})
		p = low
		f.require(&ir.Intrinsic{Fn: ir.FnIsfinite, Args: []ir.Expr{q}, T: types.BoolT}, ir.ErrOverflow,
			"high - low range exceeds valid bounds")
		nonNegative(q, "high - low")
	}
	args := []ir.Expr{g.bg, g.dists, ir.IntConst(int64(kind)), p, q}
	if size == nil {
		return &val{t: rt, s: &ir.Ref{Var: f.draw(e, ir.HelperGenFloat, args, rt)}}
	}
	out, n := f.drawArray(size, rt)
	f.draw(e, ir.HelperGenFloatFill, append([]ir.Expr{aref(out), n}, args...), nil)
	return &val{t: rt, arr: out}
}
