package cgen

// Functions that cannot fail
//
// A function of the program returns an int, non-zero when it failed with
// the error recorded in ctx, and writes its scalar results through
// pointers; every call tests the int. A function none of whose statements
// can fail — no check, allocation, interrupt poll, print or failing call —
// needs neither: it returns its one scalar result by value (or nothing,
// its results still written through pointers), and its calls are plain
// calls. Then GCC sees a function without side effects where the result
// depends on the arguments alone (ipa-pure-const), which it may inline
// into itself and whose repeated calls it may merge: recursive fib(30)
// written so took 28 µs where the pointer form took 670 µs.
//
// Whether a function can fail is read from its printed body, so no rule
// here can miss a statement kind that fails: printed with every candidate
// callee taken to be infallible, a body that still holds a failing exit
// ("return -1", "return sejit_fail(") fails by itself; then a function
// fails when it calls one that fails, to a fixed point. A call inside a
// try whose handlers catch the failure still counts as failing, which is
// only ever slower, never wrong.

import (
	"strings"

	"sejit/internal/analysis"
	"sejit/internal/ir"
	"sejit/internal/types"
)

// infallible gives the functions of p that never fail.
func infallible(p *ir.Program, par *parState, info *analysis.Info) map[*ir.Func]bool {
	sure := map[*ir.Func]bool{}
	for _, f := range p.Funcs {
		// A function with failure results (ir.Func.OnFail) fails by design.
		if f.Extern == nil && len(f.OnFail) == 0 {
			sure[f] = true
		}
	}
	fails := map[*ir.Func]bool{}
	for _, f := range p.Funcs {
		if !sure[f] {
			continue
		}
		var b strings.Builder
		g := &gen{b: &b, f: f, par: par, info: info, sure: sure}
		g.function()
		fails[f] = failingExit(b.String())
	}
	calls := map[*ir.Func][]*ir.Func{}
	for _, f := range p.Funcs {
		ir.VisitStmts(f.Body, func(s ir.Stmt) {
			if c, ok := s.(*ir.Call); ok {
				calls[f] = append(calls[f], c.Func)
			}
		}, nil)
	}
	for _, f := range p.Funcs {
		if fails[f] {
			delete(sure, f)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, f := range p.Funcs {
			if !sure[f] {
				continue
			}
			for _, c := range calls[f] {
				if !sure[c] {
					delete(sure, f)
					changed = true
					break
				}
			}
		}
	}
	return sure
}

// failingExit reports whether printed C leaves its function with a failure.
func failingExit(c string) bool {
	return strings.Contains(c, "return -1") || strings.Contains(c, "return sejit_fail(")
}

// byValue reports whether an infallible function returns its result by
// value: it has exactly one result leaf, a scalar.
func byValue(f *ir.Func) bool {
	return len(f.Results) == 1 && f.Results[0].Kind != types.Array
}

// treeRecursive reports whether f calls itself at more than one place.
// GCC's tail-recursion pass turns the last such call into a loop with an
// accumulator (fib's return fib(n-1) + fib(n-2)), which leaves one call
// in a loop that it then neither inlines into itself nor merges with the
// other: fib(30) by value took 670 µs so, 28–38 µs with the pass off for
// the function. A linear recursion (one call) keeps the pass, which is
// what bounds its stack.
func treeRecursive(f *ir.Func) bool {
	n := 0
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		if c, ok := s.(*ir.Call); ok && c.Func == f {
			n++
		}
	}, nil)
	return n > 1
}

// success is the statement that returns from the function without a
// failure, its results already written.
func (g *gen) success() string {
	switch {
	case !g.sure[g.f]:
		return "return 0"
	case byValue(g.f):
		// Falling off the end of a function with a result, which lowering
		// does not produce: the pointer form left the result unwritten.
		return "return " + zeroValue(g.f.Results[0].DType)
	}
	return "return"
}
