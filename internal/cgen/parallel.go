package cgen

// Parallel loops with OpenMP (jit(parallel=True)). A prange loop becomes
// a parallel region whose threads share the iterations statically; the
// outermost loop of an element-wise nest becomes a parallel for. Each is
// printed twice, behind a test of its size: below the threshold the
// serial loop runs exactly as without parallel=True, so small calls pay
// one comparison and no thread start-up. ir.PlanParallel and ir.PlanNest
// say which variables are private and which are reductions; a loop they
// reject prints serially (lowering has already reported a prange loop
// that breaks the rules, so that happens only to nests).
//
// A failing check cannot return out of a parallel region: inside one, a
// failure records its error in the thread's own copy of the context and
// jumps to the end of the iteration, which hands the error to the
// caller's context if no earlier iteration failed (sejit_par_fail in the
// prelude). Later iterations are skipped, earlier ones still run, and
// after the region the function fails with the error the serial loop
// would have raised first. An interrupt (Ctrl-C, see poll) is such a
// failure: every thread polls at the top of its iterations, so each stops
// at its next one.

import (
	"fmt"
	"strings"

	"sejit/internal/analysis"
	"sejit/internal/ir"
	"sejit/internal/types"
)

// Options change how a program is printed.
type Options struct {
	// Parallel prints prange loops and large element-wise nests as
	// OpenMP parallel loops.
	Parallel bool
	// Kernel says the program is the CPU form of an explicit kernel
	// (sejit.kernel): its prange loop runs the work-items, planned by
	// ir.PlanKernel, and its atomics (ir.Atomic) are the C compiler's
	// atomic builtins.
	Kernel bool
}

// Unit is a printed translation unit.
type Unit struct {
	Source string
	// OpenMP is set when the unit has parallel loops: it must be built
	// with the compiler's OpenMP flag (and only then).
	OpenMP bool
}

// ParMinElems is the number of elements from which an element-wise nest
// runs on several threads. Measured on the 2-core development machine
// (docs/performance.md, "parallel=True"): below it, waking the second
// thread costs more than it saves on a cheap expression such as poly's.
const ParMinElems = 1 << 15

// ParMinTrip is the work (iterations, counting those of loops directly in
// the body) from which a prange loop runs in parallel (pisum's 1/k^2 gains
// 1.4x from 4000 iterations on the development machine; a copy
// a[i] = b[i] would need more, but a prange loop is the user's explicit
// request). See bigEnough.
const ParMinTrip = 4096

type parState struct {
	opts    Options
	writing map[*ir.Func]bool
	used    bool
	// serial marks a loop being printed as the serial copy of itself.
	serial map[ir.Stmt]bool
}

func newParState(p *ir.Program, opts Options) *parState {
	s := &parState{opts: opts, serial: map[ir.Stmt]bool{}}
	if opts.Parallel {
		s.writing = ir.WritingFuncs(p.Funcs)
	}
	return s
}

// failed is the statement that ends the current function or iteration
// after a failure already recorded in ctx.
func (g *gen) failed() string {
	if label := g.failLabel(); label != "" {
		return "goto " + label
	}
	return "return -1"
}

// failLabel is the label a failure jumps to, "" where it returns.
func (g *gen) failLabel() string {
	if g.fail != "" {
		return g.fail
	}
	return g.exit
}

func (g *gen) parallelOK(s ir.Stmt) bool {
	return g.par != nil && g.par.opts.Parallel && g.fail == "" && !g.par.serial[s]
}

// serialCopy prints s as it would be printed without parallel=True
// (loops nested in it may still be parallel).
func (g *gen) serialCopy(s ir.Stmt) {
	g.par.serial[s] = true
	g.stmt(s)
	delete(g.par.serial, s)
}

// privateClause lists vars (array variables as all their parts).
func privateClause(vars []*ir.Var) string { return varClause("private", vars) }

// sharedClauses gives each thread its own copy of what the loop only
// reads, so the compiler keeps extents, strides and data pointers in
// registers instead of reloading them from the shared frame after every
// store (stores through char-cast pointers may alias anything).
func sharedClauses(plan *ir.ParPlan) string { return varClause("firstprivate", plan.ReadOnly) }

func varClause(clause string, vars []*ir.Var) string {
	var names []string
	seen := map[*ir.Var]bool{}
	for _, v := range vars {
		if seen[v] {
			continue
		}
		seen[v] = true
		if v.Type.Kind != types.Array {
			names = append(names, v.Name)
			continue
		}
		names = append(names, v.Name+"_o", v.Name+"_d")
		for k := 0; k < v.Type.NDim; k++ {
			names = append(names, fmt.Sprintf("%s_n%d", v.Name, k), fmt.Sprintf("%s_s%d", v.Name, k))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " " + clause + "(" + strings.Join(names, ", ") + ")"
}

func reductionClause(rs []ir.ParReduction) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, " reduction(%s: %s)", r.Op, r.Var.Name)
	}
	return b.String()
}

// bigEnough is the C condition under which a prange loop of n iterations
// runs in parallel: from ParMinTrip units of work, an iteration's work
// being 1 plus the trip counts of the loops directly in its body, computed
// before the loop (analysis.Work); from two iterations when that work has
// no such bound.
func (g *gen) bigEnough(s *ir.For, n string) string {
	w := g.info.Work[s]
	if w == nil || !w.Bounded {
		return fmt.Sprintf("%s >= 2", n)
	}
	if len(w.Terms) == 0 {
		return fmt.Sprintf("%s >= %d", n, ParMinTrip)
	}
	terms := make([]string, len(w.Terms))
	for k, t := range w.Terms {
		if !t.Nest {
			terms[k] = fmt.Sprintf("(double)sejit_trip(%s, %s, %s)", g.expr(t.Start), g.expr(t.Stop), g.expr(t.Step))
			continue
		}
		// A nest's extents multiply: one term of their product.
		ext := []string{"1.0"} // a nest without axes runs its body once
		if len(t.Extents) > 0 {
			ext = ext[:0]
		}
		for _, x := range t.Extents {
			ext = append(ext, fmt.Sprintf("(double)(%s)", g.expr(x)))
		}
		terms[k] = strings.Join(ext, " * ")
	}
	return fmt.Sprintf("%s >= 2 && (double)%s * (1.0 + %s) >= %d.0", n, n, strings.Join(terms, " + "), ParMinTrip)
}

// parFor prints a prange loop as a parallel region when it may be one.
func (g *gen) parFor(s *ir.For) bool {
	if !s.Parallel || !g.parallelOK(s) {
		return false
	}
	plan, perr := ir.PlanParallel(g.f, s, g.par.writing)
	if g.par.opts.Kernel {
		plan, perr = ir.PlanKernel(g.f, s, g.par.writing)
	}
	if perr != nil {
		return false
	}
	g.par.used = true
	start, step, n := g.fresh("pstart"), g.fresh("pstep"), g.fresh("pn")
	first, outer, lctx := g.fresh("pfirst"), g.fresh("pctx"), g.fresh("plctx")
	t, label := g.fresh("pt"), g.fresh("pfail")
	// The body first, into its own buffer, at the depth it will have:
	// only a body that can fail (a check, a call, an allocation: each
	// jumps to the label) needs a context of its own in each thread and
	// the test that skips iterations after a failure.
	outerB := g.b
	var body strings.Builder
	g.b = &body
	g.ind += 4
	saved := g.fail
	g.fail = label
	if !analysis.Short(s.Body) {
		g.poll()
	}
	g.stmts(s.Body)
	g.fail = saved
	g.ind -= 4
	g.b = outerB
	// A try in the body fails into its own handlers, but records the
	// error in the context first: that too needs the thread's own.
	canFail := strings.Contains(body.String(), "goto "+label+";") || strings.Contains(body.String(), "sejit_caught(")

	g.line("{")
	g.ind++
	g.line("int64_t %s = %s, %s = %s;", start, g.expr(s.Start), step, g.expr(s.Step))
	g.line("int64_t %s = sejit_trip(%s, %s, %s);", n, start, g.expr(s.Stop), step)
	g.line("if (%s && sejit_par_idle()) {", g.bigEnough(s, n))
	g.ind++
	if canFail {
		g.line("int64_t %s = INT64_MAX; /* the first iteration that failed */", first)
		g.line("sejit_ctx *%s = ctx;", outer)
	}
	g.line("#pragma omp parallel%s%s", privateClause(append([]*ir.Var{s.Var}, plan.Private...)), sharedClauses(plan))
	g.line("{")
	g.ind++
	if canFail {
		g.line("sejit_ctx %s = *%s; /* errors of this thread's iterations */", lctx, outer)
		g.line("sejit_ctx *ctx = &%s;", lctx)
		if strings.Contains(body.String(), "sejit_py_str_") {
			g.line("ctx->strused = ctx->strchunk.shape[0]; /* a string chunk of its own (sejit_str_new) */")
		}
	}
	// nowait: the region's closing barrier is the only one needed (the
	// reductions are combined by then).
	g.line("#pragma omp for schedule(static) nowait%s", reductionClause(plan.Reductions))
	g.line("for (int64_t %s = 0; %s < %s; %s++) {", t, t, n, t)
	g.ind++
	if canFail {
		g.line("if (%s > __atomic_load_n(&%s, __ATOMIC_RELAXED)) continue;", t, first)
	}
	g.line("%s = (int64_t)((uint64_t)%s + (uint64_t)%s * (uint64_t)%s);", s.Var.Name, start, t, step)
	g.b.WriteString(body.String())
	if canFail {
		g.line("continue;")
		g.line("%s:", label)
		g.line("sejit_par_fail(%s, ctx, &%s, %s);", outer, first, t)
	}
	g.ind--
	g.line("}")
	g.ind--
	g.line("}")
	if canFail {
		g.line("if (%s != INT64_MAX) %s;", first, g.failed())
	}
	g.ind--
	g.line("} else {")
	g.ind++
	g.serialCopy(s)
	g.ind--
	g.line("}")
	g.ind--
	g.line("}")
	return true
}

// parNest prints an element-wise nest with its outermost loop parallel
// when it is large enough.
func (g *gen) parNest(s *ir.Nest) bool {
	if !g.parallelOK(s) {
		return false
	}
	plan, ok := ir.PlanNest(g.f, s)
	if !ok {
		return false
	}
	g.par.used = true
	bounds := make([]string, len(s.Bounds))
	for i, b := range s.Bounds {
		bounds[i] = "(int64_t)(" + g.expr(b) + ")"
	}
	g.line("if (%s >= %d && sejit_par_idle()) {", strings.Join(bounds, " * "), ParMinElems)
	g.ind++
	g.line("#pragma omp parallel for schedule(static)%s%s", privateClause(plan.Private), sharedClauses(plan))
	for i, v := range s.Vars {
		g.line("for (%s = 0; %s < %s; %s++) {", v.Name, v.Name, g.expr(s.Bounds[i]), v.Name)
		g.ind++
	}
	g.stmts(s.Body)
	for range s.Vars {
		g.ind--
		g.line("}")
	}
	g.ind--
	g.line("} else {")
	g.ind++
	g.serialCopy(s)
	g.ind--
	g.line("}")
	return true
}
