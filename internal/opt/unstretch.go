package opt

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Unstretching versions a nest that lowering wrote in the broadcasting
// form. Where an operand's extent is not known to equal the target's (a
// slice whose bounds a loop computes, as in ADI's u[i, :-2] + u[i, 2:]),
// lowering reads element select(extent == 1, 0, i): an operand of extent
// 1 is stretched across the others. The flags are computed once before
// the nest, but the C compiler then sees a stride of (flag ? 0 : s) in
// every access, cannot treat the loop as unit-stride, and does not
// vectorize it. The pass gives the nest a second copy for the common case
// where no operand is stretched:
//
//	if (f1 || f2 || ...) { the nest as lowered } else { the nest with every select(fk, 0, x) replaced by x }
//
// The replacement is exact under the else branch's condition, whatever
// the selects index. Only flags that the nest itself does not assign are
// used, so each has one value for the whole nest.
//
// It runs after boundscheck and skips the checked copies that pass makes,
// so a versioned loop's nests are doubled once, not twice.
//
// A function lowered only in the stretching form (its extents do not all
// trace back to the entry) gets the copies; the cold stretching variant of
// a function that has a plain form does not.
func unstretchProgram(p *ir.Program, log *strings.Builder) {
	for _, f := range p.Funcs {
		if f.Cold {
			// The stretching variant of a function that also has a plain
			// one runs only when some extent is 1: a second copy of its
			// nests would cost compile time for a path that is rarely fast.
			continue
		}
		u := &unstretcher{}
		f.Body = u.block(f.Body)
		if u.versioned > 0 {
			fmt.Fprintf(log, "%s: %d broadcasting nests given a copy without stretched operands\n", f.Name, u.versioned)
		}
	}
}

// maxStretchFlags bounds the flags one version tests: a nest with more is
// left alone rather than grow the test and the code without bound.
const maxStretchFlags = 16

type unstretcher struct{ versioned int }

func (u *unstretcher) block(body []ir.Stmt) []ir.Stmt {
	for i, s := range body {
		switch s := s.(type) {
		case *ir.If:
			s.Then = u.block(s.Then)
			s.Else = u.block(s.Else)
		case *ir.For:
			if s.Checked {
				// The checked copy of a versioned loop runs only when an
				// index is out of range: one copy of its nests is enough.
				continue
			}
			s.Body = u.block(s.Body)
		case *ir.While:
			s.Body = u.block(s.Body)
		case *ir.Try:
			s.Body = u.block(s.Body)
			for k := range s.Handlers {
				s.Handlers[k].Body = u.block(s.Handlers[k].Body)
			}
		case *ir.Nest:
			if v := u.nest(s); v != nil {
				body[i] = v
			}
		}
	}
	return body
}

// stretchFlag returns the flag of select(flag, 0, x), or nil.
func stretchFlag(e ir.Expr) *ir.Var {
	sel, ok := e.(*ir.Select)
	if !ok {
		return nil
	}
	r, ok := sel.Cond.(*ir.Ref)
	if !ok || r.Var.Type.Kind != types.Scalar || r.Var.Type.DType != types.Bool {
		return nil
	}
	if c, ok := sel.X.(*ir.Const); !ok || c.I != 0 || ir.TypeOf(c).DType != types.Int64 {
		return nil
	}
	return r.Var
}

func (u *unstretcher) nest(n *ir.Nest) ir.Stmt {
	assigned := map[*ir.Var]bool{}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			assigned[v] = true
		}
	}, nil)
	var flags []*ir.Var
	seen := map[*ir.Var]bool{}
	ir.VisitStmts(n.Body, nil, func(e ir.Expr) {
		if v := stretchFlag(e); v != nil && !assigned[v] && !seen[v] {
			seen[v] = true
			flags = append(flags, v)
		}
	})
	if len(flags) == 0 || len(flags) > maxStretchFlags {
		return nil
	}
	var cond ir.Expr
	for _, v := range flags {
		if cond == nil {
			cond = &ir.Ref{Var: v}
		} else {
			cond = &ir.Bin{Op: ir.Or, X: cond, Y: &ir.Ref{Var: v}, T: types.BoolT}
		}
	}
	plain := copyStmts([]ir.Stmt{n})
	ir.MapStmts(plain, func(e ir.Expr) ir.Expr {
		for {
			v := stretchFlag(e)
			if v == nil || !seen[v] {
				break
			}
			e = e.(*ir.Select).Y
		}
		return e
	})
	u.versioned++
	return &ir.If{Cond: cond, Then: []ir.Stmt{n}, Else: plain}
}
