package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Neighbours on a ring
//
// Periodic boundaries are written (i + 1) % n and (i - 1) % n inside
// for i in range(n): a cellular automaton's, an Ising lattice's. Python's
// modulo is a division (tens of cycles) and a sign fix, twice per cell.
// Inside that loop 0 <= i < n, so n >= 1 and i + 1 lies in [1, n], i - 1
// in [-1, n - 2]: one comparison gives the same result, (i + 1 == n ? 0 :
// i + 1) and (i - 1 < 0 ? i - 1 + n : i - 1), and the modulus is never 0,
// so the loop's ZeroDivisionError check of n goes too. The pass rewrites
// these two shapes where i is the loop's index (or a variable the body sets
// to it once, first) and n is the loop's stop (or the variable the stop
// was copied from just before the loop), neither assigned in the body.

func modWrapProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		m := &modWrap{}
		m.block(f.Body)
		if m.rewritten > 0 {
			fmt.Fprintf(log, "%s: %d ring neighbours' modulo computed by a comparison, %d division checks dropped\n",
				f.Name, m.rewritten, m.dropped)
		}
	}
}

type modWrap struct{ rewritten, dropped int }

// block rewrites the loops of body and of every block nested in it.
func (m *modWrap) block(body []ir.Stmt) {
	for i, s := range body {
		switch s := s.(type) {
		case *ir.If:
			m.block(s.Then)
			m.block(s.Else)
		case *ir.While:
			m.block(s.Body)
		case *ir.Nest:
			m.block(s.Body)
		case *ir.For:
			m.block(s.Body)
			m.loop(body[:i], s)
		}
	}
}

// loop rewrites the ring neighbours of one loop; before is the block's
// statements ahead of it.
func (m *modWrap) loop(before []ir.Stmt, f *ir.For) {
	if f.Parallel || f.Sign != 1 || !isIntConst(f.Start, 0) || !isIntConst(f.Step, 1) {
		return
	}
	stop, ok := f.Stop.(*ir.Ref)
	if !ok || stop.Var.Type.Kind != types.Scalar || stop.Var.Type.DType != types.Int64 {
		return
	}
	count := assignCounts(f.Body)
	assigned := func(v *ir.Var) bool { return count[v] > 0 }
	if assigned(stop.Var) || assigned(f.Var) {
		return
	}
	// The moduli equal to the stop: the stop itself, and the variable it
	// was copied from by the statement just before the loop.
	moduli := map[*ir.Var]bool{stop.Var: true}
	if n := len(before); n > 0 {
		if a, ok := before[n-1].(*ir.Assign); ok && a.Dst == stop.Var {
			if src, ok := a.Src.(*ir.Ref); ok && src.Var != stop.Var && !assigned(src.Var) &&
				src.Var.Type.Kind == types.Scalar && src.Var.Type.DType == types.Int64 {
				moduli[src.Var] = true
			}
		}
	}
	// The indices: the loop's variable, and those the body's first
	// statements set to it and never assign again.
	index := map[*ir.Var]bool{f.Var: true}
	for _, s := range f.Body {
		a, ok := s.(*ir.Assign)
		if !ok {
			break
		}
		r, ok := a.Src.(*ir.Ref)
		if !ok || r.Var != f.Var || count[a.Dst] != 1 {
			break
		}
		index[a.Dst] = true
	}
	isModulus := func(e ir.Expr) bool {
		r, ok := e.(*ir.Ref)
		return ok && moduli[r.Var]
	}
	ir.MapStmts(f.Body, func(e ir.Expr) ir.Expr {
		b, ok := e.(*ir.Bin)
		if !ok || b.Op != ir.Mod || b.T.Kind != types.Scalar || b.T.DType != types.Int64 || !isModulus(b.Y) {
			return nil
		}
		x, ok := b.X.(*ir.Bin)
		if !ok || x.T.DType != types.Int64 {
			return nil
		}
		r, ok := x.X.(*ir.Ref)
		if !ok || !index[r.Var] {
			return nil
		}
		c, ok := x.Y.(*ir.Const)
		if !ok || !c.Type.DType.IsInt() {
			return nil
		}
		step := c.I
		switch x.Op {
		case ir.Add:
		case ir.Sub:
			step = -step
		default:
			return nil
		}
		bt := types.ScalarOf(types.Bool)
		// Fresh nodes for every use: passes may rewrite expressions in place.
		arg := func() ir.Expr {
			return &ir.Bin{Op: ir.Add, X: &ir.Ref{Var: r.Var}, Y: ir.IntConst(step), T: x.T}
		}
		mod := func() ir.Expr { return &ir.Ref{Var: b.Y.(*ir.Ref).Var} }
		switch step {
		case 1: // i + 1 in [1, n]
			m.rewritten++
			return &ir.Select{Cond: &ir.Bin{Op: ir.Eq, X: arg(), Y: mod(), T: bt}, X: ir.IntConst(0), Y: arg(), T: b.T}
		case -1: // i - 1 in [-1, n - 2]
			m.rewritten++
			return &ir.Select{Cond: &ir.Bin{Op: ir.Lt, X: arg(), Y: ir.IntConst(0), T: bt},
				X: &ir.Bin{Op: ir.Add, X: arg(), Y: mod(), T: b.T}, Y: arg(), T: b.T}
		}
		return nil
	})
	// Inside the loop the stop is at least 1: a check that a modulus is
	// not 0 always passes.
	var drop func(body []ir.Stmt) []ir.Stmt
	drop = func(body []ir.Stmt) []ir.Stmt {
		out := body[:0]
		for _, s := range body {
			switch s := s.(type) {
			case *ir.Check:
				if c, ok := s.Cond.(*ir.Bin); ok && c.Op == ir.Ne && isModulus(c.X) && isIntConst(c.Y, 0) {
					m.dropped++
					continue
				}
			case *ir.If:
				s.Then = drop(s.Then)
				s.Else = drop(s.Else)
			}
			out = append(out, s)
		}
		return out
	}
	f.Body = drop(f.Body)
}

func isIntConst(e ir.Expr, v int64) bool {
	c, ok := e.(*ir.Const)
	return ok && c.Type.DType.IsInt() && c.I == v
}

// assignCounts counts the statements of body, nested blocks included, that
// bind each variable.
func assignCounts(body []ir.Stmt) map[*ir.Var]int {
	out := map[*ir.Var]int{}
	ir.VisitStmts(body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			out[v]++
		}
	}, nil)
	return out
}
