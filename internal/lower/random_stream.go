package lower

// Draws inside prange loops with parallel=True. The threads cannot share
// NumPy's one stream (the numbers would depend on timing), so such a loop
// draws one 64-bit key from NumPy's global state before it starts, and each
// iteration draws from a stream of its own: SplitMix64 seeded by a hash of
// the key and the loop value (prelude: sejit_np_stream_*), its position
// kept in a per-iteration counter. The numbers depend on the seed and the
// loop values only, not on the number of threads or the schedule, and the
// global state advances by exactly one 64-bit draw per loop run. They are
// not NumPy's stream (no sequential stream could be, in parallel); each
// draw runs RandomState's legacy algorithm on the iteration's stream.
// Scalar draws of np.random's distributions are supported; array draws,
// seed, shuffle, permutation, choice, Generator methods and calls of
// functions that draw stay refused (refuseParallelDraws).

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// streamCtx is the per-iteration stream of the parallel loop being lowered.
type streamCtx struct {
	key  ir.Expr
	iter ir.Expr
	cnt  *ir.Var
}

// bodyDraws reports whether a loop body calls an np.random function
// directly (not through a called function).
func (f *fn) bodyDraws(body []pyast.Stmt) bool {
	found := false
	pyast.WalkStmts(body, func(pyast.Stmt) bool { return !found }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if c, ok := x.(*pyast.Call); ok {
				if t, ok := f.info.Types[c.Func]; ok && t.Kind == types.Builtin && strings.HasPrefix(t.Name, "numpy.random.") {
					found = true
				}
			}
			return !found
		})
	})
	return found
}

// startStream draws the key of a parallel loop whose body draws (before
// the loop) and makes its counter; nil when the loop needs none.
func (f *fn) startStream(s *pyast.For, iter *ir.Var) *streamCtx {
	if !f.l.opts.Parallel || !f.info.Prange[s] || !f.bodyDraws(s.Body) {
		return nil
	}
	// The full 64-bit range: one next_uint64 of the bit generator.
	key := f.externCall(ir.HelperRandint, []ir.Expr{ir.IntConst(0), ir.IntConst(-1)}, i64T)[0]
	// A draw of the global state: a caller's prange loop may not call this
	// function (refuseParallelDraws).
	f.l.draws = append(f.l.draws, drawSite{f: f, call: (*f.block)[len(*f.block)-1].(*ir.Call), pos: s.P})
	cnt := f.scalarVar(types.Int64, ir.IntConst(0))
	return &streamCtx{key: ref(key), iter: ref(iter), cnt: cnt}
}

// streamDraw is draw inside a parallel loop: the helper's scalar draw on
// the iteration's stream, or a positioned refusal.
func (f *fn) streamDraw(e *pyast.Call, h ir.Helper, args []ir.Expr, rt *types.Type) *ir.Var {
	st := f.stream
	pre := []ir.Expr{st.key, st.iter, ref(st.cnt)}
	var call ir.Helper
	var rest []ir.Expr
	switch h {
	case ir.HelperRandom, ir.HelperRandom2: // kind, p, q
		call, rest = ir.HelperStreamFloat, args
	case ir.HelperRandomDisc: // kind, p, n
		call, rest = ir.HelperStreamInt, []ir.Expr{args[0], args[1], args[2], ir.IntConst(0)}
	case ir.HelperRandint: // off, rng
		call, rest = ir.HelperStreamInt, []ir.Expr{ir.IntConst(2), floatConst(0), args[0], args[1]}
	default:
		what := "this np.random call"
		if h.GeneratorDraw() {
			what = "a Generator's draw"
		}
		f.errorf(e.P, diag.Unsupported, "%s inside a prange loop is not supported", what).
			WithHint("with parallel=True, each iteration draws scalars from a stream of its own " +
				"(np.random.random(), normal(mu, s), randint(a, b), poisson(lam), ...); draw arrays, " +
				"permutations and samples before the loop")
		if rt == nil {
			return nil
		}
		return f.temp(types.ScalarOf(rt.DType))
	}
	d := types.ScalarOf(types.Float64)
	if call == ir.HelperStreamInt {
		d = i64T
	}
	dsts := f.externCall(call, append(pre, rest...), d, i64T)
	f.emit(&ir.Assign{Dst: st.cnt, Src: ref(dsts[1])})
	return dsts[0]
}
