// Package analysis computes facts about a program's loop-nest IR that
// every pass and every target reads, so that each fact has one
// definition: which array variables may share memory (alias.go, read by
// lowering's overlap guards and by fusion), which nests are reductions,
// and how much work an iteration of a prange loop does. The facts are
// side tables keyed by IR node, like go/types.Info; nothing here changes
// a function. The target facts (Info) are computed once on the program a
// target is about to print (after optimisation), so that printers decide
// how to print, never what the program means, and a second printer reuses
// the same decisions.
//
// Parallel plans are the next facts to move here; they still live in ir
// (ir.PlanParallel).
package analysis

import "sejit/internal/ir"

// Info is the facts about one program.
type Info struct {
	// Reductions maps each one-axis nest whose body is nothing but
	// independent reductions (reduce.go) to them, in body order.
	Reductions map[*ir.Nest][]Reduction
	// Work maps each prange loop (a For with Parallel set) to the
	// estimated work of one of its iterations (work.go).
	Work map[*ir.For]*Work
	// Releases says where each function gives arrays back to the
	// runtime: when it returns, and before rebinding (release.go).
	Releases *ReleasePlan
}

// Program computes the facts about p.
func Program(p *ir.Program) *Info {
	info := &Info{Reductions: map[*ir.Nest][]Reduction{}, Work: map[*ir.For]*Work{}, Releases: Releases(p)}
	for _, f := range p.Funcs {
		ir.VisitStmts(f.Body, func(s ir.Stmt) {
			switch s := s.(type) {
			case *ir.Nest:
				if rs, ok := NestReductions(s); ok {
					info.Reductions[s] = rs
				}
			case *ir.For:
				if s.Parallel {
					info.Work[s] = LoopWork(s)
				}
			}
		}, nil)
	}
	return info
}
