package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Stores without branches. A loop body of the form
//
//	if a[j] > a[j + 1] { tmp = a[j]; a[j] = a[j + 1]; a[j + 1] = tmp; swaps += 1 }
//
// (a sort's compare-and-swap, a running maximum written back) branches on
// data: on random input GCC mispredicts half the time, and it does not turn
// conditional stores into selects itself, since a store the program would
// not make may fault or race. Bubble sort ran 4x slower than the branchless
// form LLVM gives Numba.
//
// Here the store's address was loaded unconditionally by the condition, in
// the same iteration, so it is valid, and a loop that is not parallel has
// no other writer: storing back the value just read is no change. So each
// statement of the body becomes one that always runs:
//
//	c = a[j] > a[j + 1]
//	tmp = select(c, a[j], tmp); a[j] = select(c, a[j + 1], a[j]); ...
//
// in order, so each select reads what the branch would have seen. Only
// small bodies of assignments and stores qualify, whose expressions cannot
// fail (no division, no call) and load only addresses the condition
// loaded, with indices that the body does not change; a store to an
// address the condition did not load keeps the branch. Bodies still
// holding an index check (the checked copy of a versioned loop) keep it
// too, as do parallel loops.
func ifConvertProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		c := &ifConverter{fn: f}
		f.Body = c.block(f.Body, false, false)
		if c.converted > 0 {
			fmt.Fprintf(log, "%s: %d conditional stores in a loop made selects without branches\n", f.Name, c.converted)
		}
	}
}

type ifConverter struct {
	fn        *ir.Func
	converted int
	n         int
}

func (c *ifConverter) block(body []ir.Stmt, inLoop, inPar bool) []ir.Stmt {
	out := make([]ir.Stmt, 0, len(body))
	for _, s := range body {
		switch s := s.(type) {
		case *ir.If:
			s.Then = c.block(s.Then, inLoop, inPar)
			s.Else = c.block(s.Else, inLoop, inPar)
			if inLoop && !inPar {
				if conv := c.convert(s); conv != nil {
					out = append(out, conv...)
					continue
				}
			}
		case *ir.While:
			s.Body = c.block(s.Body, true, inPar)
		case *ir.For:
			s.Body = c.block(s.Body, true, inPar || s.Parallel)
		case *ir.Try:
			s.Body = c.block(s.Body, inLoop, inPar)
			for i := range s.Handlers {
				s.Handlers[i].Body = c.block(s.Handlers[i].Body, inLoop, inPar)
			}
		}
		out = append(out, s)
	}
	return out
}

func loadKey(arr *ir.Var, idx []ir.Expr) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%p[", arr)
	for _, e := range idx {
		b.WriteString(ir.ExprString(e))
		b.WriteString(";")
	}
	return b.String()
}

// convert returns the straight-line form of s, or nil when s does not
// qualify.
func (c *ifConverter) convert(s *ir.If) []ir.Stmt {
	if len(s.Else) != 0 || len(s.Then) == 0 || len(s.Then) > 8 {
		return nil
	}
	// The addresses the condition loads, and the variables their indices
	// and the condition read.
	loaded := map[string]bool{}
	read := map[*ir.Var]bool{}
	if !safeExpr(s.Cond, nil) {
		return nil
	}
	ir.VisitExpr(s.Cond, func(e ir.Expr) {
		switch e := e.(type) {
		case *ir.Load:
			loaded[loadKey(e.Arr, e.Idx)] = true
			read[e.Arr] = true
		case *ir.Ref:
			read[e.Var] = true
		}
	})
	stores := 0
	for _, st := range s.Then {
		switch st := st.(type) {
		case *ir.Assign:
			if st.Dst.Type.Kind != types.Scalar || read[st.Dst] || !safeExpr(st.Src, loaded) {
				return nil
			}
		case *ir.Store:
			if !loaded[loadKey(st.Arr, st.Idx)] || !safeExpr(st.Src, loaded) {
				return nil
			}
			stores++
		default:
			return nil
		}
	}
	if stores == 0 {
		return nil // GCC makes selects of scalar assignments itself
	}
	c.n++
	cv := &ir.Var{Name: fmt.Sprintf("ifc%d", c.n), Type: types.BoolT, Param: -1}
	for _, v := range append(append([]*ir.Var{}, c.fn.Params...), c.fn.Locals...) {
		if v.Name == cv.Name {
			return nil
		}
	}
	c.fn.Locals = append(c.fn.Locals, cv)
	cond := &ir.Ref{Var: cv}
	out := []ir.Stmt{&ir.Assign{Dst: cv, Src: s.Cond}}
	for _, st := range s.Then {
		switch st := st.(type) {
		case *ir.Assign:
			out = append(out, &ir.Assign{Dst: st.Dst, Src: &ir.Select{Cond: cond, X: st.Src,
				Y: &ir.Ref{Var: st.Dst}, T: st.Dst.Type}})
		case *ir.Store:
			t := ir.TypeOf(st.Src)
			out = append(out, &ir.Store{Arr: st.Arr, Idx: st.Idx, Src: &ir.Select{Cond: cond, X: st.Src,
				Y: &ir.Load{Arr: st.Arr, Idx: st.Idx}, T: t}})
		}
	}
	c.converted++
	return out
}

// safeExpr reports whether e can be evaluated whether or not the branch
// runs: constants, variables, loads of addresses in loaded (any load when
// loaded is nil: the condition, evaluated anyway), conversions and
// arithmetic that cannot trap.
func safeExpr(e ir.Expr, loaded map[string]bool) bool {
	switch e := e.(type) {
	case *ir.Const, *ir.Ref:
		return true
	case *ir.Load:
		if loaded != nil && !loaded[loadKey(e.Arr, e.Idx)] {
			return false
		}
		for _, i := range e.Idx {
			if !safeExpr(i, nil) {
				return false
			}
		}
		return true
	case *ir.Cast:
		// A float out of an integer's range converts with undefined
		// behaviour in C: only where the branch would run.
		from := ir.TypeOf(e.X)
		if from.Kind != types.Scalar || e.T.Kind != types.Scalar || from.DType.IsFloat() && !e.T.DType.IsFloat() ||
			from.DType.IsComplex() || e.T.DType.IsComplex() {
			return false
		}
		return safeExpr(e.X, loaded)
	case *ir.Unary:
		return (e.Op == ir.Neg || e.Op == ir.Not) && safeExpr(e.X, loaded)
	case *ir.Select:
		return safeExpr(e.Cond, loaded) && safeExpr(e.X, loaded) && safeExpr(e.Y, loaded)
	case *ir.Bin:
		switch e.Op {
		case ir.Add, ir.Sub, ir.Mul, ir.Lt, ir.Le, ir.Gt, ir.Ge, ir.Eq, ir.Ne, ir.And, ir.Or,
			ir.BitAnd, ir.BitOr, ir.BitXor:
			return safeExpr(e.X, loaded) && safeExpr(e.Y, loaded)
		}
	}
	return false
}
