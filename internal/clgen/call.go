package clgen

import (
	"sejit/internal/ir"
	"sejit/internal/types"
)

// call turns a call of a cold function (the variant stretching extents of
// 1 that lowering adds to the entry, lower/broadcast.go) into the plan's
// call statement; the callee's plan is made once (Plan.Funcs), with its
// nests outlined into kernels like the entry's.
func (o *outliner) call(s *ir.Call) J {
	idx, ok := o.funcs[s.Func]
	if !ok {
		g := s.Func
		idx = len(o.plan.Funcs)
		if o.funcs == nil {
			o.funcs = map[*ir.Func]int{}
		}
		o.funcs[g] = idx
		pf := &PlanFunc{Name: g.Name}
		o.plan.Funcs = append(o.plan.Funcs, pf)
		for _, v := range g.Params {
			pf.Params = append(pf.Params, v.Name)
		}
		for _, v := range g.Locals {
			if v.Type.Kind != types.Array {
				pf.Locals = append(pf.Locals, Local{v.Name, v.Type.DType.String()})
			}
		}
		caller, pending := o.f, o.pending
		o.f, o.pending = g, nil
		pf.Body = o.host(g.Body)
		o.f, o.pending = caller, pending
	}
	args := []J{}
	for _, a := range s.Args {
		if ar, isArray := a.(*ir.ArrayRef); isArray {
			args = append(args, J{"array": ar.Var.Name})
		} else {
			args = append(args, o.hexpr(a))
		}
	}
	dsts := []J{}
	for _, v := range s.Dsts {
		dsts = append(dsts, J{"var": v.Name, "array": v.Type.Kind == types.Array})
	}
	return J{"s": "call", "func": idx, "args": args, "dsts": dsts}
}
