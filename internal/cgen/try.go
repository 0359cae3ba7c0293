package cgen

// try statements (ir.Try). Inside a Try's body every failure jumps to the
// Try's label instead of returning: g.fail holds the label, as it does
// inside a parallel loop, so Checks, Calls, allocations, prints and
// interrupt polls all take it. At the label the exception is saved
// (sejit_caught) and its kind tested against each handler's set, a bit
// mask of kinds; the first that holds it clears the context's error and
// runs, and when none does the failure goes on as it would have without
// the Try: to the label of the Try around it, or out of the function. The
// saved exception is a local of the handlers' block, so a Try in a
// parallel loop's body keeps one per thread, and a copy of a Try (a loop
// versioned by a pass) has its own.

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
)

func (g *gen) try(s *ir.Try) {
	label, end := g.fresh("catch"), g.fresh("tryend")
	exc := fmt.Sprintf("exc%d", s.ID)
	// The body first, into a buffer: one that cannot fail needs no
	// handlers (and C would warn of the unused label).
	outer := g.b
	var body strings.Builder
	g.b = &body
	g.ind++
	saved := g.fail
	g.fail = label
	g.stmts(s.Body)
	g.fail = saved
	g.ind--
	g.b = outer
	if !strings.Contains(body.String(), "goto "+label+";") {
		g.line("{ /* try %s: its body cannot fail */", exc)
		g.b.WriteString(body.String())
		g.line("}")
		return
	}
	g.line("{ /* try %s */", exc)
	g.b.WriteString(body.String())
	g.ind++
	g.line("goto %s;", end)
	g.ind--
	g.line("%s: {", label)
	g.ind++
	g.line("sejit_exc %s = sejit_caught(ctx);", exc)
	if len(s.Handlers) == 0 {
		g.line("%s;", g.failed())
	}
	for i, h := range s.Handlers {
		var mask uint32
		for _, k := range h.Errs {
			mask |= 1 << uint(k)
		}
		kw := "} else if"
		if i == 0 {
			kw = "if"
		}
		g.line("%s ((unsigned)%s.err < 32 && (UINT32_C(0x%x) >> %s.err & 1)) {", kw, exc, mask, exc)
		g.ind++
		g.line("ctx->err = 0;")
		g.stmts(h.Body)
		g.ind--
	}
	if len(s.Handlers) > 0 {
		g.line("} else {")
		g.line("    %s;", g.failed())
		g.line("}")
	}
	g.ind--
	g.line("}")
	g.line("%s:;", end)
	g.line("}")
}

// reraise raises the exception a handler caught again.
func (g *gen) reraise(s *ir.Reraise) {
	g.line("sejit_reraise(ctx, &exc%d);", s.ID)
	g.line("%s;", g.failed())
}
