package opt

import (
	"fmt"

	"sejit/internal/ir"
)

// maxInlineDepth bounds how deep calls are inlined into each other; a
// recursive function stops there and stays a call (which the device
// printers refuse with their own message).
const maxInlineDepth = 8

// InlineCalls replaces each call of a user function in p by a copy of the
// callee's body, and drops the functions no call is left to. The device
// targets need it: an OpenCL kernel is one function, so the scalar
// function a sejit.map or a vectorized ufunc applies per element, and any
// helper it calls, must live in the kernel's body. Cold functions (the
// broadcasting variants) and the runtime's helpers stay calls.
//
// A callee whose only return is its last top-level statement inlines as
// straight code; one with several returns runs inside a one-pass loop
// (while true { ...; break }) whose returns assign the results and break.
// A return inside one of the callee's own loops would break that loop
// instead, so such a callee stays a call.
func InlineCalls(p *ir.Program) {
	in := &inliner{}
	for _, f := range p.Funcs {
		if f.Extern == nil {
			in.fn = f
			f.Body = in.stmts(f.Body, 0)
		}
	}
	called := map[*ir.Func]bool{p.Entry(): true}
	var mark func(f *ir.Func)
	mark = func(f *ir.Func) {
		ir.VisitStmts(f.Body, func(s ir.Stmt) {
			if c, ok := s.(*ir.Call); ok && !called[c.Func] {
				called[c.Func] = true
				mark(c.Func)
			}
		}, nil)
	}
	mark(p.Entry())
	kept := p.Funcs[:0]
	for _, f := range p.Funcs {
		if called[f] {
			kept = append(kept, f)
		}
	}
	p.Funcs = kept
}

type inliner struct {
	fn    *ir.Func // the function being rewritten, whose Locals receive the copies
	count int
}

func inlinable(c *ir.Call) bool {
	g := c.Func
	if g.Cold || g.Extern != nil {
		return false
	}
	ok := true
	var walk func(body []ir.Stmt, inLoop bool)
	walk = func(body []ir.Stmt, inLoop bool) {
		for _, s := range body {
			switch s := s.(type) {
			case *ir.Return:
				ok = ok && !inLoop
			case *ir.If:
				walk(s.Then, inLoop)
				walk(s.Else, inLoop)
			case *ir.While:
				walk(s.Body, true)
			case *ir.For:
				walk(s.Body, true)
			case *ir.Nest:
				walk(s.Body, true)
			}
		}
	}
	walk(g.Body, false)
	return ok
}

// stmts rewrites body, inlining its calls (and those of the inlined code,
// up to maxInlineDepth).
func (in *inliner) stmts(body []ir.Stmt, depth int) []ir.Stmt {
	out := make([]ir.Stmt, 0, len(body))
	for _, s := range body {
		switch s := s.(type) {
		case *ir.Call:
			if depth < maxInlineDepth && inlinable(s) {
				out = append(out, in.stmts(in.expand(s), depth+1)...)
				continue
			}
		case *ir.If:
			s.Then = in.stmts(s.Then, depth)
			s.Else = in.stmts(s.Else, depth)
		case *ir.While:
			s.Body = in.stmts(s.Body, depth)
		case *ir.For:
			s.Body = in.stmts(s.Body, depth)
		case *ir.Nest:
			s.Body = in.stmts(s.Body, depth)
		}
		out = append(out, s)
	}
	return out
}

// expand is the code of one call: the arguments bound to fresh copies of
// the parameters, the callee's body with its variables renamed, and its
// returns turned into assignments of the call's results.
func (in *inliner) expand(c *ir.Call) []ir.Stmt {
	g := c.Func
	in.count++
	sub := map[*ir.Var]*ir.Var{}
	fresh := func(v *ir.Var) *ir.Var {
		nv := &ir.Var{Name: fmt.Sprintf("%s_in%d", v.Name, in.count), Type: v.Type, Param: -1}
		in.fn.Locals = append(in.fn.Locals, nv)
		sub[v] = nv
		return nv
	}
	rebound := map[*ir.Var]bool{}
	ir.VisitStmts(g.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			rebound[v] = true
		}
	}, nil)
	var out []ir.Stmt
	for k, p := range g.Params {
		arg := c.Args[k]
		if ar, ok := arg.(*ir.ArrayRef); ok {
			if !rebound[p] {
				sub[p] = ar.Var // the caller's array itself
				continue
			}
			out = append(out, &ir.SetArray{Dst: fresh(p), Src: &ir.Alias{Src: ar.Var}})
			continue
		}
		out = append(out, &ir.Assign{Dst: fresh(p), Src: arg})
	}
	for _, v := range g.Locals {
		fresh(v)
	}
	body := copyRenamed(g.Body, sub)
	results := func(vals []ir.Expr) []ir.Stmt {
		var st []ir.Stmt
		for i, v := range vals {
			d := c.Dsts[i]
			if ar, ok := v.(*ir.ArrayRef); ok {
				st = append(st, &ir.SetArray{Dst: d, Src: &ir.Alias{Src: ar.Var}})
			} else {
				st = append(st, &ir.Assign{Dst: d, Src: v})
			}
		}
		return st
	}
	returns := 0
	ir.VisitStmts(body, func(s ir.Stmt) {
		if _, ok := s.(*ir.Return); ok {
			returns++
		}
	}, nil)
	if n := len(body); returns == 0 || returns == 1 && n > 0 && isReturn(body[n-1]) {
		if returns == 1 {
			body = append(body[:n-1:n-1], results(body[n-1].(*ir.Return).Vals)...)
		}
		return append(out, body...)
	}
	var lower func(b []ir.Stmt) []ir.Stmt
	lower = func(b []ir.Stmt) []ir.Stmt {
		var st []ir.Stmt
		for _, s := range b {
			switch s := s.(type) {
			case *ir.Return:
				st = append(st, results(s.Vals)...)
				st = append(st, &ir.Break{})
				continue
			case *ir.If:
				s.Then, s.Else = lower(s.Then), lower(s.Else)
			}
			st = append(st, s)
		}
		return st
	}
	endsInReturn := len(body) > 0 && isReturn(body[len(body)-1])
	body = lower(body)
	if !endsInReturn {
		body = append(body, &ir.Break{}) // falling off the end returns nothing more
	}
	return append(out, &ir.While{Cond: ir.BoolConst(true), Body: body})
}

func isReturn(s ir.Stmt) bool {
	_, ok := s.(*ir.Return)
	return ok
}

// copyRenamed is a deep copy of body with the variables of sub replaced.
func copyRenamed(body []ir.Stmt, sub map[*ir.Var]*ir.Var) []ir.Stmt {
	v := func(x *ir.Var) *ir.Var {
		if n, ok := sub[x]; ok {
			return n
		}
		return x
	}
	vs := func(xs []*ir.Var) []*ir.Var {
		out := make([]*ir.Var, len(xs))
		for i, x := range xs {
			out[i] = v(x)
		}
		return out
	}
	ex := func(e ir.Expr) ir.Expr {
		if e == nil {
			return nil
		}
		return ir.MapExpr(e, func(x ir.Expr) ir.Expr {
			switch x := x.(type) {
			case *ir.Ref:
				return &ir.Ref{Var: v(x.Var)}
			case *ir.Load:
				return &ir.Load{Arr: v(x.Arr), Idx: x.Idx}
			case *ir.Dim:
				return &ir.Dim{Arr: v(x.Arr), Axis: x.Axis}
			case *ir.Stride:
				return &ir.Stride{Arr: v(x.Arr), Axis: x.Axis}
			case *ir.ArrayRef:
				return &ir.ArrayRef{Var: v(x.Var)}
			case *ir.Overlap:
				return &ir.Overlap{A: v(x.A), B: v(x.B)}
			}
			return nil
		})
	}
	exs := func(es []ir.Expr) []ir.Expr {
		out := make([]ir.Expr, len(es))
		for i, e := range es {
			out[i] = ex(e)
		}
		return out
	}
	out := make([]ir.Stmt, 0, len(body))
	for _, s := range body {
		switch s := s.(type) {
		case *ir.Assign:
			out = append(out, &ir.Assign{Dst: v(s.Dst), Src: ex(s.Src)})
		case *ir.Store:
			out = append(out, &ir.Store{Arr: v(s.Arr), Idx: exs(s.Idx), Src: ex(s.Src)})
		case *ir.SetArray:
			var d ir.ArrayDef
			switch a := s.Src.(type) {
			case *ir.Alloc:
				d = &ir.Alloc{DType: a.DType, Shape: exs(a.Shape)}
			case *ir.LocalAlloc:
				d = &ir.LocalAlloc{DType: a.DType, Shape: exs(a.Shape)}
			case *ir.View:
				d = &ir.View{Base: v(a.Base), Offset: ex(a.Offset), Shape: exs(a.Shape), Strides: exs(a.Strides)}
			case *ir.Alias:
				d = &ir.Alias{Src: v(a.Src)}
			default:
				panic(fmt.Sprintf("opt: inline: unknown array definition %T", s.Src))
			}
			out = append(out, &ir.SetArray{Dst: v(s.Dst), Src: d})
		case *ir.If:
			out = append(out, &ir.If{Cond: ex(s.Cond), Then: copyRenamed(s.Then, sub), Else: copyRenamed(s.Else, sub)})
		case *ir.While:
			out = append(out, &ir.While{Cond: ex(s.Cond), Body: copyRenamed(s.Body, sub)})
		case *ir.For:
			out = append(out, &ir.For{Var: v(s.Var), Start: ex(s.Start), Stop: ex(s.Stop), Step: ex(s.Step),
				Sign: s.Sign, Body: copyRenamed(s.Body, sub), Parallel: s.Parallel})
		case *ir.Nest:
			out = append(out, &ir.Nest{Vars: vs(s.Vars), Bounds: exs(s.Bounds), Body: copyRenamed(s.Body, sub)})
		case *ir.Break:
			out = append(out, &ir.Break{})
		case *ir.Continue:
			out = append(out, &ir.Continue{})
		case *ir.Return:
			out = append(out, &ir.Return{Vals: exs(s.Vals)})
		case *ir.Check:
			out = append(out, &ir.Check{Cond: ex(s.Cond), Err: s.Err, Msg: s.Msg, Args: exs(s.Args), Line: s.Line})
		case *ir.Call:
			out = append(out, &ir.Call{Func: s.Func, Args: exs(s.Args), Dsts: vs(s.Dsts)})
		case *ir.Barrier:
			out = append(out, &ir.Barrier{})
		case *ir.Atomic:
			var dst *ir.Var
			if s.Dst != nil {
				dst = v(s.Dst)
			}
			out = append(out, &ir.Atomic{Op: s.Op, Arr: v(s.Arr), Idx: exs(s.Idx), Val: ex(s.Val), Dst: dst})
		case *ir.Print:
			c := *s
			c.Items = append([]ir.PrintItem(nil), s.Items...)
			for i := range c.Items {
				c.Items[i].Val = ex(c.Items[i].Val)
			}
			out = append(out, &c)
		default:
			panic(fmt.Sprintf("opt: inline: unknown statement %T", s))
		}
	}
	return out
}
