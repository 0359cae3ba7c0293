package lower

// Draws inside prange loops with parallel=True. The threads cannot share
// a stream (the numbers would depend on timing), so such a loop draws one
// 64-bit key from each source its body draws from (NumPy's global state, a
// Generator variable) before it starts, and each iteration draws from a
// stream of its own per source: SplitMix64 seeded by a hash of the key and
// the loop value (prelude: sejit_np_stream_*), its position kept in a
// per-iteration counter of each source. The numbers depend on the seeds and the loop
// values only, not on the number of threads or the schedule, and each
// source advances by exactly one 64-bit draw per loop run. They are not
// the sources' own streams (no sequential stream could be, in parallel);
// each draw runs the source's algorithm (RandomState's legacy ones, or
// Generator's Lemire integers and NumPy's ziggurat) on the iteration's
// stream. Scalar draws are supported; array draws, seed, shuffle,
// permutation, choice and calls of functions that draw stay refused
// (refuseParallelDraws).

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// streamCtx is the per-iteration streams of the parallel loop being
// lowered: one key and one counter per source (the global state under "",
// each Generator under its variable's name), and the loop value.
type streamCtx struct {
	keys  map[string]ir.Expr
	cnts  map[string]*ir.Var
	order []string // the sources, in order of first appearance
	iter  ir.Expr
	dists map[string]ir.Expr // each Generator's table of ziggurat functions
}

// drawSource names what a call draws from: "" for np.random's functions,
// the variable's name for a Generator method on a variable, and ok false
// for other calls (a Generator reached otherwise is not a source: its
// draws are refused).
func (f *fn) drawSource(c *pyast.Call) (string, bool) {
	t, ok := f.info.Types[c.Func]
	if !ok || t.Kind != types.Builtin {
		return "", false
	}
	if strings.HasPrefix(t.Name, "numpy.random.") {
		return "", true
	}
	if strings.HasPrefix(t.Name, "generator.") {
		if a, ok := c.Func.(*pyast.Attribute); ok {
			if n, ok := a.Value.(*pyast.Name); ok {
				return n.ID, true
			}
		}
	}
	return "", false
}

// bodySources lists the sources a loop body draws from directly (not
// through a called function), in order of first appearance.
func (f *fn) bodySources(body []pyast.Stmt) []string {
	var out []string
	seen := map[string]bool{}
	pyast.WalkStmts(body, func(pyast.Stmt) bool { return true }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if c, ok := x.(*pyast.Call); ok {
				if src, ok := f.drawSource(c); ok && !seen[src] {
					seen[src] = true
					out = append(out, src)
				}
			}
			return true
		})
	})
	return out
}

// startStream draws the keys of a parallel loop whose body draws (before
// the loop, in order of first appearance) and makes its counter; nil when
// the loop needs none.
func (f *fn) startStream(s *pyast.For, iter *ir.Var) *streamCtx {
	if !f.l.opts.Parallel || !f.info.Prange[s] {
		return nil
	}
	sources := f.bodySources(s.Body)
	if len(sources) == 0 {
		return nil
	}
	st := &streamCtx{keys: map[string]ir.Expr{}, cnts: map[string]*ir.Var{}, iter: ref(iter), dists: map[string]ir.Expr{}}
	for _, src := range sources {
		// The full 64-bit range: one next_uint64 of the bit generator.
		var key *ir.Var
		if src == "" {
			key = f.externCall(ir.HelperRandint, []ir.Expr{ir.IntConst(0), ir.IntConst(-1)}, i64T)[0]
		} else {
			rec := f.vars[src]
			if rec == nil || rec.t.Class != types.GeneratorClass {
				continue // not a Generator variable: its draws are refused
			}
			field := func(n string) ir.Expr { return f.stableExpr(rec.elems[rec.t.Field(n)].s) }
			key = f.externCall(ir.HelperGenInt, []ir.Expr{field(types.GeneratorBitgenField), ir.IntConst(0),
				ir.IntConst(-1)}, i64T)[0]
			st.dists[src] = field(types.GeneratorDistsField)
		}
		// A draw of a shared state: a caller's prange loop may not call
		// this function (refuseParallelDraws).
		f.l.draws = append(f.l.draws, drawSite{f: f, call: (*f.block)[len(*f.block)-1].(*ir.Call), pos: s.P})
		st.keys[src] = ref(key)
		st.cnts[src] = f.scalarVar(types.Int64, ir.IntConst(0))
		st.order = append(st.order, src)
	}
	return st
}

// streamDraw is draw inside a parallel loop: the helper's scalar draw on
// the iteration's stream of the call's source, or a positioned refusal.
func (f *fn) streamDraw(e *pyast.Call, h ir.Helper, args []ir.Expr, rt *types.Type) *ir.Var {
	st := f.stream
	src, _ := f.drawSource(e)
	key, ok := st.keys[src]
	var call ir.Helper
	var rest []ir.Expr
	switch {
	case !ok:
	case h == ir.HelperRandom || h == ir.HelperRandom2: // kind, p, q
		call, rest = ir.HelperStreamFloat, args
	case h == ir.HelperRandomDisc: // kind, p, n
		call, rest = ir.HelperStreamInt, []ir.Expr{args[0], args[1], args[2], ir.IntConst(0)}
	case h == ir.HelperRandint: // off, rng
		call, rest = ir.HelperStreamInt, []ir.Expr{ir.IntConst(2), floatConst(0), args[0], args[1]}
	case h == ir.HelperGenFloat: // bg, dists, kind, p, q
		call, rest = ir.HelperStreamGenFloat, append([]ir.Expr{st.dists[src]}, args[2:]...)
	case h == ir.HelperGenInt: // bg, off, rng
		call, rest = ir.HelperStreamInt, []ir.Expr{ir.IntConst(3), floatConst(0), args[1], args[2]}
	}
	if call == ir.NoHelper {
		f.errorf(e.P, diag.Unsupported, "this draw inside a prange loop is not supported").
			WithHint("with parallel=True, each iteration draws scalars from streams of its own " +
				"(np.random.random(), normal(mu, s), randint(a, b), poisson(lam), rng.normal(), rng.integers(a, b), " +
				"... with rng a Generator variable); draw arrays, permutations and samples before the loop")
		if rt == nil {
			return nil
		}
		return f.temp(types.ScalarOf(rt.DType))
	}
	d := types.ScalarOf(types.Float64)
	if call == ir.HelperStreamInt {
		d = i64T
	}
	cnt := st.cnts[src]
	dsts := f.externCall(call, append([]ir.Expr{key, st.iter, ref(cnt)}, rest...), d, i64T)
	f.emit(&ir.Assign{Dst: cnt, Src: ref(dsts[1])})
	return dsts[0]
}
