package clgen

// Reductions on the device. A nest (or a perfect nest of counted loops,
// forNest) whose body only accumulates into scalars read after it
// (analysis.Accumulations: sums, products, logical and bitwise ands and
// ors, and the min/max selections, NaN-aware or not) runs as a parallel
// reduction in two kinds of kernel:
//
//   - the first pass: work-group g takes the block of ReducePer·ReduceWG
//     consecutive iterations (in the nest's C order, flattened) at
//     g·ReducePer·ReduceWG; work-item l runs ReducePer consecutive ones
//     serially into private accumulators, starting from the operator's
//     identity (or, for a selection, from nothing), except the very first
//     work-item, which starts from the accumulator's value before the nest
//     (the host's, or an element read by the kernel when the host computed
//     it from an array: lowering starts min and max at the first element);
//     the group then combines its ReduceWG values as a tree of adjacent
//     pairs in local memory and writes one partial per accumulator;
//   - the combining pass (the kernel suffixed _c): the same blocks and tree
//     over the partials, launched until one value is left, which the host
//     reads back (the only transfer).
//
// The combination order is thus fixed by the iteration count alone: serial
// runs of 16 terms, then pairwise trees whose left operand always holds the
// earlier iterations. A float sum's error is that of a pairwise sum over
// blocks of 16 (NumPy's blocks are 128), and a min or max keeps the first
// of equal candidates as the sequential loop does.

import (
	"fmt"
	"slices"
	"strings"

	"sejit/internal/analysis"
	"sejit/internal/ir"
	"sejit/internal/types"
)

// ReduceWG is the work-group size of reduction kernels and ReducePer the
// iterations each of their work-items runs serially.
const (
	ReduceWG  = 256
	ReducePer = 16
)

// forNest returns a perfect nest of counted loops (from 0 by 1, at most
// 3, the inner bounds independent of the outer variables) as one nest over
// the same body, or nil. Whether its iterations may run in parallel is for
// the caller to prove (reductions, or independentNest).
func forNest(f *ir.For) *ir.Nest {
	n := &ir.Nest{}
	for {
		if f.Sign != 1 || !isConst(f.Start, 0) || !isConst(f.Step, 1) || len(n.Vars) == 3 {
			break
		}
		for _, v := range n.Vars {
			if ir.Mentions(f.Stop, v) {
				return finished(n)
			}
		}
		n.Vars = append(n.Vars, f.Var)
		n.Bounds = append(n.Bounds, f.Stop)
		n.Body = f.Body
		if len(f.Body) != 1 {
			break
		}
		inner, ok := f.Body[0].(*ir.For)
		if !ok {
			break
		}
		f = inner
	}
	return finished(n)
}

func finished(n *ir.Nest) *ir.Nest {
	if len(n.Vars) == 0 {
		return nil
	}
	return n
}

// independentNest reports whether n's iterations are independent, by the
// test of independentLoop extended to several variables and to sequential
// loops inside an iteration (a reduction along an axis: one work-item per
// output element): every store indexes its array by each of the nest's
// variables (or a copy of it, loopCopies) once, alone, and by constants
// otherwise; no stored array is
// read; every scalar the body assigns is assigned before it is read in an
// iteration.
func independentNest(n *ir.Nest) bool {
	stored, ok := storesIndependent(n)
	if !ok || stored == 0 {
		return false
	}
	assigned := map[*ir.Var]bool{}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			assigned[v] = true
		}
	}, nil)
	return definedBeforeRead(n.Body, assigned, map[*ir.Var]bool{})
}

// storesIndependent reports whether n's body is made of assignments,
// checks, ifs, sequential loops and stores that index their array by each
// of the nest's variables once, alone, and by constants otherwise, into
// arrays the body does not read except at a store's own index; and how
// many stores it has.
func storesIndependent(n *ir.Nest) (int, bool) {
	isVar := map[*ir.Var]bool{}
	for _, v := range n.Vars {
		isVar[v] = true
	}
	copies := loopCopies(n.Body, n.Vars)
	stored, loaded := map[*ir.Var]bool{}, map[*ir.Var]bool{}
	own := map[*ir.Var][]string{} // the index of each store, by array
	ok := true
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Assign, *ir.Check, *ir.If:
		case *ir.For:
			if isVar[s.Var] {
				ok = false
			}
		case *ir.Store:
			seen := map[*ir.Var]bool{}
			for _, e := range s.Idx {
				switch e := e.(type) {
				case *ir.Ref:
					v := e.Var
					if c, isCopy := copies[v]; isCopy {
						v = c
					}
					if !isVar[v] || seen[v] {
						ok = false
					}
					seen[v] = true
				case *ir.Const:
				default:
					ok = false
				}
			}
			if len(seen) != len(n.Vars) {
				ok = false
			}
			stored[s.Arr] = true
			own[s.Arr] = append(own[s.Arr], ir.ExprString(&ir.Load{Arr: s.Arr, Idx: s.Idx}))
		default:
			ok = false
		}
	}, nil)
	// A load at exactly a store's index reads the iteration's own element
	// (y[i] = ...; s += y[i] after fusion), which no other work-item writes.
	ir.VisitStmts(n.Body, nil, func(e ir.Expr) {
		if l, isLoad := e.(*ir.Load); isLoad && stored[l.Arr] && !slices.Contains(own[l.Arr], ir.ExprString(l)) {
			loaded[l.Arr] = true
		}
	})
	for a := range stored {
		if loaded[a] {
			ok = false
		}
	}
	return len(stored), ok
}

// loopCopies finds the copies of the nest's variables that a loop's body
// makes before anything else (lowering's v_i = k for `for i in range(n)`):
// the leading assignments of one of vars, or of an earlier copy, to a
// scalar the body assigns nowhere else. It maps each copy to its variable;
// a store indexed by a copy writes the iteration's own element.
func loopCopies(body []ir.Stmt, vars []*ir.Var) map[*ir.Var]*ir.Var {
	count := map[*ir.Var]int{}
	ir.VisitStmts(body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			count[v]++
		}
	}, nil)
	of := map[*ir.Var]*ir.Var{}
	for _, v := range vars {
		of[v] = v
	}
	copies := map[*ir.Var]*ir.Var{}
	for _, s := range body {
		a, ok := s.(*ir.Assign)
		if !ok {
			break
		}
		r, ok := a.Src.(*ir.Ref)
		if !ok || of[r.Var] == nil || of[a.Dst] != nil || count[a.Dst] != 1 || a.Dst.Type.Kind != types.Scalar || a.Dst.Type.DType != r.Var.Type.DType {
			break
		}
		of[a.Dst] = of[r.Var]
		copies[a.Dst] = of[r.Var]
	}
	return copies
}

// definedBeforeRead walks body in order and reports whether every read of
// a variable of assigned follows an assignment of it in the same iteration
// (defined holds those assigned so far; a loop's body may also read what
// its previous iteration assigned, which the same work-item computed).
func definedBeforeRead(body []ir.Stmt, assigned, defined map[*ir.Var]bool) bool {
	copyOf := func(m map[*ir.Var]bool) map[*ir.Var]bool {
		c := map[*ir.Var]bool{}
		for k, v := range m {
			c[k] = v
		}
		return c
	}
	for _, s := range body {
		ok := true
		ir.OwnExprs(s, func(e ir.Expr) {
			ir.VisitExpr(e, func(x ir.Expr) {
				if r, isRef := x.(*ir.Ref); isRef && assigned[r.Var] && !defined[r.Var] {
					ok = false
				}
			})
		})
		if !ok {
			return false
		}
		switch s := s.(type) {
		case *ir.Assign:
			defined[s.Dst] = true
		case *ir.If:
			if !definedBeforeRead(s.Then, assigned, copyOf(defined)) || !definedBeforeRead(s.Else, assigned, copyOf(defined)) {
				return false
			}
		case *ir.For:
			inner := copyOf(defined)
			inner[s.Var] = true
			if !definedBeforeRead(s.Body, assigned, inner) {
				return false
			}
			defined[s.Var] = true
		}
	}
	return true
}

// hasLoad reports whether e reads an array element.
func hasLoad(e ir.Expr) bool {
	found := false
	ir.VisitExpr(e, func(x ir.Expr) {
		if _, ok := x.(*ir.Load); ok {
			found = true
		}
	})
	return found
}

// reduction is what the first pass of a reduction kernel accumulates.
type reduction struct {
	accs []analysis.Accumulation
	// init holds, for an accumulator whose value before the nest the host
	// cannot compute (it reads an array), the expression the kernel
	// evaluates instead.
	init map[*ir.Var]ir.Expr
}

// localBarrier is a work-group barrier on local memory, as the reduction
// trees need.
func (o *outliner) localBarrier() string {
	if o.opts.Target == CUDA {
		return "__syncthreads();"
	}
	return "barrier(CLK_LOCAL_MEM_FENCE);"
}

func (o *outliner) localID() string {
	if o.opts.Target == CUDA {
		return "(long)threadIdx.x"
	}
	return "(long)get_local_id(0)"
}

func (o *outliner) groupID() string {
	if o.opts.Target == CUDA {
		return "(long)blockIdx.x"
	}
	return "(long)get_group_id(0)"
}

func (o *outliner) localArray(d types.DType, name string) string {
	if o.opts.Target == CUDA {
		return fmt.Sprintf("__shared__ %s %s[%d];", o.ep.mem(d), name, ReduceWG)
	}
	return fmt.Sprintf("__local %s %s[%d];", o.ep.mem(d), name, ReduceWG)
}

// A slot is one value a reduction carries through its trees and partial
// buffers: an accumulator's, or the position an argmin records with it.
type slot struct {
	acc   *analysis.Accumulation
	index bool
}

func (s slot) v() *ir.Var {
	if s.index {
		return s.acc.Index
	}
	return s.acc.Var
}

// slotsOf lists the slots of accs in order (counters have none: the host
// adds the iteration count).
func slotsOf(accs []analysis.Accumulation) []slot {
	var out []slot
	for i := range accs {
		a := &accs[i]
		if a.Counter {
			continue
		}
		out = append(out, slot{acc: a})
		if a.Index != nil {
			out = append(out, slot{acc: a, index: true})
		}
	}
	return out
}

// better prints the condition under which q, of later iterations, replaces
// p in a selection.
func (o *outliner) better(a *analysis.Accumulation, p, q string) string {
	pv := &ir.Var{Name: p, Type: a.Var.Type, Param: -1}
	qv := &ir.Var{Name: q, Type: a.Var.Type, Param: -1}
	c := a.Combine(&ir.Ref{Var: pv}, &ir.Ref{Var: qv}).(*ir.Select)
	return o.ep.expr(c.Cond)
}

// reduceDecls prints the local-memory arrays of the slots.
func (o *outliner) reduceDecls(slots []slot) {
	for j, s := range slots {
		o.line("%s", o.localArray(s.v().Type.DType, fmt.Sprintf("sejit_s%d", j)))
		if s.acc.Op == 0 && !s.index {
			o.line("%s", o.localArray(types.Bool, fmt.Sprintf("sejit_h%d", j)))
		}
	}
}

// printUpdate prints an accumulator's update inside the first pass: a
// selection also takes the candidate when it has no value yet.
func (o *outliner) printUpdate(a *analysis.Accumulation, s *ir.Assign) {
	if a.Op != 0 || a.Counter {
		o.line("%s = %s;", s.Dst.Name, o.ep.expr(s.Src))
		return
	}
	// Selects, not branches: work-items then vectorize (PoCL) and do not
	// diverge (GPUs).
	o.line("%s = (!%s_h || %s) ? %s : %s;", a.Var.Name, a.Var.Name, o.ep.expr(a.Better), a.Cand.Name, a.Var.Name)
	o.line("%s_h = 1;", a.Var.Name)
}

// printArgUpdate prints the update of a selection recording a position.
func (o *outliner) printArgUpdate(a *analysis.Accumulation) {
	o.line("{")
	o.ind++
	o.line("bool sejit_take = !%s_h || %s;", a.Var.Name, o.ep.expr(a.Better))
	o.line("%s = sejit_take ? %s : %s;", a.Var.Name, a.Cand.Name, a.Var.Name)
	o.line("%s = sejit_take ? %s : %s;", a.Index.Name, o.ep.expr(a.IndexSrc), a.Index.Name)
	o.ind--
	o.line("}")
	o.line("%s_h = 1;", a.Var.Name)
}

// combineLocal prints the tree over local memory and the store of each
// slot's partial for the group.
func (o *outliner) combineLocal(slots []slot) {
	for j, s := range slots {
		o.line("sejit_s%d[sejit_l] = %s;", j, s.v().Name)
		if s.acc.Op == 0 && !s.index {
			o.line("sejit_h%d[sejit_l] = %s_h;", j, s.acc.Var.Name)
		}
	}
	o.line("%s", o.localBarrier())
	o.line("for (long sejit_w = 1; sejit_w < %d; sejit_w <<= 1) {", ReduceWG)
	o.ind++
	o.line("if ((sejit_l & (2 * sejit_w - 1)) == 0) {")
	o.ind++
	for j, s := range slots {
		if s.index {
			continue
		}
		a := s.acc
		t := o.ep.ty(a.Var.Type.DType)
		if a.Op != 0 {
			p := &ir.Var{Name: "sejit_p", Type: a.Var.Type, Param: -1}
			q := &ir.Var{Name: "sejit_q", Type: a.Var.Type, Param: -1}
			comb := o.ep.expr(a.Combine(&ir.Ref{Var: p}, &ir.Ref{Var: q}))
			o.line("{ %s sejit_p = sejit_s%d[sejit_l], sejit_q = sejit_s%d[sejit_l + sejit_w]; sejit_s%d[sejit_l] = %s; }", t, j, j, j, comb)
			continue
		}
		o.line("if (sejit_h%d[sejit_l + sejit_w]) {", j)
		o.ind++
		o.line("%s sejit_p = sejit_s%d[sejit_l], sejit_q = sejit_s%d[sejit_l + sejit_w];", t, j, j)
		o.line("if (!sejit_h%d[sejit_l] || %s) {", j, o.better(a, "sejit_p", "sejit_q"))
		o.ind++
		o.line("sejit_s%d[sejit_l] = sejit_q;", j)
		if a.Index != nil {
			o.line("sejit_s%d[sejit_l] = sejit_s%d[sejit_l + sejit_w];", j+1, j+1)
		}
		o.ind--
		o.line("}")
		o.line("sejit_h%d[sejit_l] = 1;", j)
		o.ind--
		o.line("}")
	}
	o.ind--
	o.line("}")
	o.line("%s", o.localBarrier())
	o.ind--
	o.line("}")
	o.line("if (sejit_l == 0) {")
	o.ind++
	for j := range slots {
		o.line("sejit_p%d[%s] = sejit_s%d[0];", j, o.groupID(), j)
	}
	o.ind--
	o.line("}")
}

// combineKernel prints the pass that combines partials (n of them, in
// order) into one per work-group.
func (o *outliner) combineKernel(name string, slots []slot) {
	var params []string
	for j, s := range slots {
		m := o.ep.mem(s.v().Type.DType)
		params = append(params, fmt.Sprintf("%s%s *sejit_i%d", o.global(), m, j), fmt.Sprintf("%s%s *sejit_p%d", o.global(), m, j))
	}
	params = append(params, "long sejit_n")
	o.line("")
	o.line("%s void %s(%s) {", o.kernelQualifier(), name, strings.Join(params, ", "))
	o.ind++
	o.line("long sejit_l = %s;", o.localID())
	o.line("long sejit_b = %s * %d + sejit_l * %d;", o.groupID(), ReducePer*ReduceWG, ReducePer)
	o.reduceDecls(slots)
	for _, s := range slots {
		v := s.v()
		t := o.ep.ty(v.Type.DType)
		if s.acc.Op != 0 {
			o.line("%s %s = %s;", t, v.Name, o.ep.expr(s.acc.Identity()))
			continue
		}
		o.line("%s %s = 0;", t, v.Name)
		if !s.index {
			o.line("uchar %s_h = 0;", v.Name)
		}
	}
	o.line("for (long sejit_r = 0; sejit_r < %d && sejit_b + sejit_r < sejit_n; sejit_r++) {", ReducePer)
	o.ind++
	for j, s := range slots {
		if s.index {
			continue
		}
		a := s.acc
		t := o.ep.ty(a.Var.Type.DType)
		o.line("{")
		o.ind++
		o.line("%s sejit_q = sejit_i%d[sejit_b + sejit_r];", t, j)
		if a.Op != 0 {
			p := &ir.Var{Name: a.Var.Name, Type: a.Var.Type, Param: -1}
			q := &ir.Var{Name: "sejit_q", Type: a.Var.Type, Param: -1}
			o.line("%s = %s;", a.Var.Name, o.ep.expr(a.Combine(&ir.Ref{Var: p}, &ir.Ref{Var: q})))
		} else {
			o.line("if (!%s_h || %s) {", a.Var.Name, o.better(a, a.Var.Name, "sejit_q"))
			o.ind++
			o.line("%s = sejit_q;", a.Var.Name)
			if a.Index != nil {
				o.line("%s = sejit_i%d[sejit_b + sejit_r];", a.Index.Name, j+1)
			}
			o.ind--
			o.line("}")
			o.line("%s_h = 1;", a.Var.Name)
		}
		o.ind--
		o.line("}")
	}
	o.ind--
	o.line("}")
	o.combineLocal(slots)
	o.ind--
	o.line("}")
}

// reductionFollows reports whether the first statement of rest other than
// assignments not mentioning v is a loop or nest that mentions v: the
// reduction an array-reading starting value of v is kept for.
func reductionFollows(rest []ir.Stmt, v *ir.Var) bool {
	for _, s := range rest {
		mentions := false
		ir.VisitStmts([]ir.Stmt{s}, nil, func(e ir.Expr) {
			if isRefTo(e, v) {
				mentions = true
			}
		})
		switch s.(type) {
		case *ir.Assign:
			if mentions {
				return false
			}
		case *ir.Nest, *ir.For:
			return mentions
		default:
			return false
		}
	}
	return false
}

func isRefTo(e ir.Expr, v *ir.Var) bool {
	r, ok := e.(*ir.Ref)
	return ok && r.Var == v
}

// blasHelpers are the extern helpers that call the CPU's BLAS and return
// whether they computed (lower/blas.go).
var blasHelpers = map[ir.Helper]bool{ir.HelperGemm: true, ir.HelperGemv: true, ir.HelperDot: true}

// reducible reports whether nest n, collapsed from loop orig, is a
// reduction: every scalar it assigns and the function reads elsewhere is
// an accumulation, its other scalars are private to an iteration, and its
// stores, if any, are independent.
func (o *outliner) reducible(n *ir.Nest, orig ir.Stmt) bool {
	_, ok := o.reductionOf(n, orig)
	return ok
}

// reductionOf finds the accumulations of n (sorted by name), or false.
func (o *outliner) reductionOf(n *ir.Nest, orig ir.Stmt) ([]analysis.Accumulation, bool) {
	outside := o.shared(n, orig)
	isVar := map[*ir.Var]bool{}
	for _, v := range n.Vars {
		isVar[v] = true
	}
	var accs []*ir.Var
	seen := map[*ir.Var]bool{}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			if outside[v] && !isVar[v] && !seen[v] {
				seen[v] = true
				accs = append(accs, v)
			}
		}
	}, nil)
	if len(accs) == 0 {
		return nil, false
	}
	// Stores beside the accumulations (a fused nest) must be independent.
	if _, ok := storesIndependent(n); !ok {
		return nil, false
	}
	sortVars(accs)
	found, ok := analysis.Accumulations(n.Body, accs)
	if !ok {
		return nil, false
	}
	// Every other scalar is assigned before it is read in an iteration.
	assigned := map[*ir.Var]bool{}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			if !seen[v] {
				assigned[v] = true
			}
		}
	}, nil)
	if !definedBeforeRead(n.Body, assigned, map[*ir.Var]bool{}) {
		return nil, false
	}
	return found, true
}

func sortVars(vs []*ir.Var) {
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && vs[j].Name < vs[j-1].Name; j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}

// reductionBody prints the first pass after the declarations: the
// accumulators' starting values, the serial run of iterations, and the
// group's tree.
func (o *outliner) reductionBody(n *ir.Nest, red *reduction) {
	start := func(v *ir.Var) string {
		if e, ok := red.init[v]; ok {
			return o.ep.expr(e)
		}
		return v.Name + "_init"
	}
	for _, a := range red.accs {
		v := a.Var
		t := o.ep.ty(v.Type.DType)
		switch {
		case a.Counter:
			o.line("%s %s = 0;", t, v.Name)
		case a.Op != 0:
			o.line("%s %s = sejit_b == 0 ? %s : %s;", t, v.Name, start(v), o.ep.expr(a.Identity()))
		default:
			o.line("%s %s = 0;", t, v.Name)
			if a.Index != nil {
				o.line("%s %s = 0;", o.ep.ty(a.Index.Type.DType), a.Index.Name)
			}
			o.line("uchar %s_h = sejit_b == 0;", v.Name)
			o.line("if (%s_h) {", v.Name)
			o.ind++
			o.line("%s = %s;", v.Name, start(v))
			if a.Index != nil {
				o.line("%s = %s;", a.Index.Name, start(a.Index))
			}
			o.ind--
			o.line("}")
		}
	}
	o.line("for (long sejit_r = 0; sejit_r < %d && sejit_b + sejit_r < sejit_n; sejit_r++) {", ReducePer)
	o.ind++
	o.line("long sejit_t = sejit_b + sejit_r;")
	for _, a := range red.accs {
		if a.Counter {
			o.line("%s = %s_init + sejit_t;", a.Var.Name, a.Var.Name)
		}
	}
	for i := len(n.Vars) - 1; i >= 0; i-- {
		if i == 0 {
			o.line("%s = sejit_t;", n.Vars[i].Name)
			break
		}
		o.line("%s = sejit_t %% sejit_g%d;", n.Vars[i].Name, i)
		o.line("sejit_t /= sejit_g%d;", i)
	}
	o.stmts(n.Body)
	o.ind--
	o.line("}")
	hasChecks := false
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		if _, ok := s.(*ir.Check); ok {
			hasChecks = true
		}
	}, nil)
	if hasChecks {
		o.line("sejit_done: ;")
	}
	o.combineLocal(slotsOf(red.accs))
}

// initVars lists the accumulators (and positions) whose value before the
// nest the host passes, in the kernel's parameter order.
func (red *reduction) initVars() []*ir.Var {
	var out []*ir.Var
	for _, a := range red.accs {
		if _, ok := red.init[a.Var]; !ok {
			out = append(out, a.Var)
		}
		if a.Index != nil {
			out = append(out, a.Index)
		}
	}
	return out
}

func asList(v any) []J {
	l, _ := v.([]J)
	return l
}

// product is the plan's expression multiplying the extents es (int64).
func product(es []J) J {
	p := J{"c": "1", "t": "int64"}
	for _, e := range es {
		p = J{"op": "mul", "x": p, "y": e, "t": "int64", "xt": "int64"}
	}
	return p
}

// readsArrays reports whether body reads an array element.
func readsArrays(body []ir.Stmt) bool {
	found := false
	ir.VisitStmts(body, nil, func(e ir.Expr) {
		if _, ok := e.(*ir.Load); ok {
			found = true
		}
	})
	return found
}
