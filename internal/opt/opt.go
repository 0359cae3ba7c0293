// Package opt holds the IR optimisation passes, run in the order of a
// table whose ordering constraints are checked when the package starts.
// Every pass keeps the IR valid; tests run ir.Verify after each one.
package opt

import (
	"fmt"
	"io"
	"strings"

	"sejit/internal/ir"
)

// Pass is one optimisation.
type Pass struct {
	Name  string
	After []string // passes that must run before this one
	Run   func(p *ir.Program, log *strings.Builder)
}

// Passes is the pipeline, in order.
var Passes = []Pass{
	{Name: "modwrap", Run: modWrapProgram},
	{Name: "guards", Run: guardsProgram},
	{Name: "fuse", Run: fuseProgram},
	{Name: "scalarize", After: []string{"fuse"}, Run: scalarizeProgram},
	{Name: "boundscheck", Run: hoistChecksProgram},
	{Name: "unstretch", After: []string{"fuse", "scalarize", "boundscheck"}, Run: unstretchProgram},
	{Name: "reuse", After: []string{"boundscheck"}, Run: reuseProgram},
	{Name: "ifconvert", After: []string{"boundscheck", "reuse"}, Run: ifConvertProgram},
	{Name: "prune", After: []string{"scalarize", "boundscheck", "reuse"}, Run: pruneProgram},
}

func init() {
	seen := map[string]bool{}
	for _, p := range Passes {
		for _, a := range p.After {
			if !seen[a] {
				panic(fmt.Sprintf("opt: pass %s must run after %s", p.Name, a))
			}
		}
		seen[p.Name] = true
	}
}

// Options control a run.
type Options struct {
	DumpAfter string    // print the IR after this pass ("all" for every pass)
	Dump      io.Writer // where dumps go
	Verify    bool      // run ir.Verify after every pass
}

// Run applies every pass and returns a report of what they did.
func Run(p *ir.Program, o Options) (string, error) {
	var log strings.Builder
	for _, pass := range Passes {
		pass.Run(p, &log)
		if o.Verify {
			if err := ir.Verify(p); err != nil {
				return log.String(), fmt.Errorf("after %s: %v", pass.Name, err)
			}
		}
		if o.Dump != nil && (o.DumpAfter == pass.Name || o.DumpAfter == "all") {
			fmt.Fprintf(o.Dump, "== IR after %s ==\n", pass.Name)
			ir.Fprint(o.Dump, p)
		}
	}
	return log.String(), nil
}
