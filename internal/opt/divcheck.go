package opt

import (
	"sejit/internal/ir"
	"sejit/internal/types"
)

// Division checks in counted loops
//
// Python's 1.0 / (k * k) raises ZeroDivisionError when the divisor is 0,
// so lowering places a check before the division. In a loop such as
//
//	for k in range(1, n + 1): x = 1.0 / (k * k)
//
// the check is the loop's only side effect: without it the C compiler
// may delete iterations whose results are overwritten before use, with it
// it must run them all. Integers wrap like NumPy's int64, so k * k is 0
// for k = 2**32; but for k below 2**31 no product of loop indices and
// small non-negative constants wraps, and one at least 1 everywhere is
// never 0. The hoister (boundscheck.go) therefore versions the loop on
// stop <= 2**31 and drops such checks from the fast copy; the other copy
// keeps them and raises where the wrapped product is 0.

// divIndexLimit bounds a loop index in the fast copy: the loop's stop is
// tested against it.
const divIndexLimit = int64(1) << 31

// interval is a closed range of int64 values.
type interval struct{ lo, hi int64 }

// indexRange bounds e in every iteration of a loop whose indices (idx)
// run over [start, divIndexLimit), given the ranges of the temporaries the
// body has defined so far (defs). It fails for anything but sums and
// products of indices and non-negative constants, and where a bound would
// pass 2**62.
func indexRange(e ir.Expr, idx map[*ir.Var]bool, defs map[*ir.Var]interval, start int64) (interval, bool) {
	const big = int64(1) << 62
	switch x := e.(type) {
	case *ir.Const:
		if !x.Type.DType.IsInt() || x.I < 0 || x.I > big {
			return interval{}, false
		}
		return interval{x.I, x.I}, true
	case *ir.Ref:
		if idx[x.Var] {
			return interval{start, divIndexLimit - 1}, true
		}
		if r, ok := defs[x.Var]; ok {
			return r, true
		}
	case *ir.Cast:
		if x.T.Kind == types.Scalar && x.T.DType == types.Int64 {
			return indexRange(x.X, idx, defs, start)
		}
	case *ir.Bin:
		a, ok1 := indexRange(x.X, idx, defs, start)
		b, ok2 := indexRange(x.Y, idx, defs, start)
		if !ok1 || !ok2 {
			return interval{}, false
		}
		switch x.Op {
		case ir.Add:
			if a.hi > big-b.hi {
				return interval{}, false
			}
			return interval{a.lo + b.lo, a.hi + b.hi}, true
		case ir.Mul:
			if a.hi != 0 && b.hi > big/a.hi {
				return interval{}, false
			}
			return interval{a.lo * b.lo, a.hi * b.hi}, true
		}
	}
	return interval{}, false
}

// provedDivChecks returns the positions of the body's top-level
// ZeroDivisionError checks ne(e, 0) whose e the loop keeps at least 1 while
// its index stays below divIndexLimit.
func provedDivChecks(body []ir.Stmt, idx map[*ir.Var]bool, assigned map[*ir.Var]int, start int64) []int {
	// A temporary's range is computed where the body assigns it, from the
	// definitions before it: one made from a later definition would read
	// the previous iteration's value.
	defs := map[*ir.Var]interval{}
	var out []int
	for i, st := range body {
		switch s := st.(type) {
		case *ir.Assign:
			if assigned[s.Dst] == 1 && s.Dst.Type.Kind == types.Scalar && s.Dst.Type.DType == types.Int64 {
				if r, ok := indexRange(s.Src, idx, defs, start); ok {
					defs[s.Dst] = r
				}
			}
		case *ir.Check:
			b, ok := s.Cond.(*ir.Bin)
			if s.Err != ir.ErrZeroDiv || !ok || b.Op != ir.Ne {
				continue
			}
			if z, ok := b.Y.(*ir.Const); !ok || z.I != 0 || !z.Type.DType.IsInt() {
				continue
			}
			if r, ok := indexRange(b.X, idx, defs, start); ok && r.lo >= 1 {
				out = append(out, i)
			}
		}
	}
	return out
}

// dropPositions returns body without the statements at positions pos.
func dropPositions(body []ir.Stmt, pos []int) []ir.Stmt {
	skip := map[int]bool{}
	for _, p := range pos {
		skip[p] = true
	}
	out := make([]ir.Stmt, 0, len(body))
	for i, s := range body {
		if !skip[i] {
			out = append(out, s)
		}
	}
	return out
}
