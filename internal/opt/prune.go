package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
)

// Pruning drops the local variables that earlier passes left without a
// use — a scalarized array's descriptor, a fused nest's index — so the
// generated code declares only what it uses.
func pruneProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		used := map[*ir.Var]bool{}
		ir.VisitStmts(f.Body, func(s ir.Stmt) {
			switch s := s.(type) {
			case *ir.Assign:
				used[s.Dst] = true
			case *ir.Store:
				used[s.Arr] = true
			case *ir.SetArray:
				used[s.Dst] = true
				switch d := s.Src.(type) {
				case *ir.View:
					used[d.Base] = true
				case *ir.Alias:
					used[d.Src] = true
				}
			case *ir.For:
				used[s.Var] = true
			case *ir.Nest:
				for _, v := range s.Vars {
					used[v] = true
				}
			case *ir.Call:
				for _, d := range s.Dsts {
					used[d] = true
				}
			case *ir.Atomic:
				used[s.Arr] = true
				if s.Dst != nil {
					used[s.Dst] = true
				}
			}
		}, func(e ir.Expr) {
			switch e := e.(type) {
			case *ir.Ref:
				used[e.Var] = true
			case *ir.Load:
				used[e.Arr] = true
			case *ir.Dim:
				used[e.Arr] = true
			case *ir.Stride:
				used[e.Arr] = true
			case *ir.ArrayRef:
				used[e.Var] = true
			}
		})
		kept := f.Locals[:0]
		dropped := 0
		for _, v := range f.Locals {
			if used[v] {
				kept = append(kept, v)
			} else {
				dropped++
			}
		}
		f.Locals = kept
		if dropped > 0 {
			fmt.Fprintf(log, "%s: dropped %d unused variables\n", f.Name, dropped)
		}
	}
}
