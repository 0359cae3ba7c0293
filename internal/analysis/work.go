package analysis

import "sejit/internal/ir"

// Work estimates the work of one iteration of a prange loop, which a
// target weighs against the cost of starting threads: 1 plus the trip
// counts of the loops directly in the body (in an If's branches too, not
// inside other loops). Their bounds must not change in the loop, so the
// estimate is computed before it, from the bounds hoisted out of the body
// (Hoister). Unbounded work — a while loop, a loop whose bounds the body
// computes or whose body has loops of its own, a call of a function with
// loops — makes any iteration count of two or more worth a thread: a
// Mandelbrot row, a particle's interactions.
type Work struct {
	Bounded bool
	Terms   []WorkTerm // when Bounded: one per loop, in body order
}

// WorkTerm is one loop directly in a prange body, its expressions hoisted
// out of the body: a For's trip count (Start, Stop, Step), or a Nest's
// element count (the product of Extents).
type WorkTerm struct {
	Start, Stop, Step ir.Expr
	Nest              bool
	Extents           []ir.Expr
}

// LoopWork is the work of one iteration of loop.
func LoopWork(loop *ir.For) *Work {
	hoist := Hoister(loop)
	hoistAll := func(es ...ir.Expr) ([]ir.Expr, bool) {
		var hs []ir.Expr
		for _, e := range es {
			h, ok := hoist(e)
			if !ok {
				return nil, false
			}
			hs = append(hs, h)
		}
		return hs, true
	}
	w := &Work{Bounded: true}
	var scan func(body []ir.Stmt)
	scan = func(body []ir.Stmt) {
		for _, st := range body {
			switch st := st.(type) {
			case *ir.If:
				scan(st.Then)
				scan(st.Else)
			case *ir.Try:
				scan(st.Body)
				for _, h := range st.Handlers {
					scan(h.Body)
				}
			case *ir.For:
				hs, ok := hoistAll(st.Start, st.Stop, st.Step)
				if !ok || !Straight(st.Body) {
					w.Bounded = false
					continue
				}
				w.Terms = append(w.Terms, WorkTerm{Start: hs[0], Stop: hs[1], Step: hs[2]})
			case *ir.Nest:
				hs, ok := hoistAll(st.Bounds...)
				if !ok || !Straight(st.Body) {
					w.Bounded = false
					continue
				}
				w.Terms = append(w.Terms, WorkTerm{Nest: true, Extents: hs})
			case *ir.While:
				w.Bounded = false
			case *ir.Call:
				if !Straight(st.Func.Body) {
					w.Bounded = false
				}
			}
		}
	}
	scan(loop.Body)
	if !w.Bounded {
		w.Terms = nil
	}
	return w
}

// Hoister returns a function that rewrites an expression of loop's body
// into one with the same value computed before the loop, if it has one:
// variables the body assigns once, at its top level, from such
// expressions are replaced by their definitions (lowering evaluates
// range() bounds into temporaries, and a[i, :] is a view whose extent is
// a's); anything else the body assigns, the loop variable included, makes
// it fail, as does an element load (which the body checks first).
func Hoister(loop *ir.For) func(ir.Expr) (ir.Expr, bool) {
	count := map[*ir.Var]int{loop.Var: 2}
	ir.VisitStmts(loop.Body, func(st ir.Stmt) {
		for _, v := range ir.Binds(st) {
			count[v]++
		}
	}, nil)
	top := map[*ir.Var]ir.Stmt{}
	for _, st := range loop.Body {
		switch st := st.(type) {
		case *ir.Assign:
			top[st.Dst] = st
		case *ir.SetArray:
			top[st.Dst] = st
		}
	}
	var hoist func(e ir.Expr) (ir.Expr, bool)
	hoist = func(e ir.Expr) (ir.Expr, bool) {
		ok := true
		out := ir.MapExpr(e, func(x ir.Expr) ir.Expr {
			var v *ir.Var
			switch x := x.(type) {
			case *ir.Ref:
				v = x.Var
			case *ir.Dim:
				v = x.Arr
			case *ir.Load:
				// Not evaluated before the loop: the body checks the
				// index first.
				ok = false
				return nil
			case *ir.Stride:
				v = x.Arr
			default:
				return nil
			}
			if count[v] == 0 {
				return nil
			}
			def, single := top[v], count[v] == 1
			if !single || def == nil {
				ok = false
				return nil
			}
			var src ir.Expr
			switch x := x.(type) {
			case *ir.Ref:
				src = def.(*ir.Assign).Src
			case *ir.Dim:
				switch d := def.(*ir.SetArray).Src.(type) {
				case *ir.View:
					src = d.Shape[x.Axis]
				case *ir.Alloc:
					src = d.Shape[x.Axis]
				case *ir.Alias:
					src = &ir.Dim{Arr: d.Src, Axis: x.Axis}
				}
			}
			if src == nil {
				ok = false
				return nil
			}
			h, hok := hoist(src)
			if !hok {
				ok = false
				return nil
			}
			return h
		})
		return out, ok
	}
	return hoist
}

// shortRun bounds the iterations a body may run and still count as
// short: the product of its loops' constant trip counts.
const shortRun = 64

// Short reports whether body runs no loop but for loops of constant
// bounds whose trip counts multiply to at most shortRun (the three
// components of a position, in the functions it calls too). Such a body is
// as short as a straight one, so a loop around it polls for Ctrl-C as
// around a straight body: a poll at the top of each of n*n particle pairs
// whose body loops over three coordinates cost periodic_dist half its time.
func Short(body []ir.Stmt) bool {
	seen := map[*ir.Func]bool{}
	var walk func(b []ir.Stmt, budget int64) bool
	walk = func(b []ir.Stmt, budget int64) bool {
		for _, st := range b {
			ok := true
			switch st := st.(type) {
			case *ir.While, *ir.Nest:
				return false
			case *ir.For:
				t, known := constTrip(st)
				if !known || t > budget {
					return false
				}
				if t > 0 {
					ok = walk(st.Body, budget/t)
				}
			case *ir.If:
				ok = walk(st.Then, budget) && walk(st.Else, budget)
			default:
				// Other compound statements (a try's bodies) hold loops only
				// rarely: the plain test decides for them.
				ir.VisitStmts([]ir.Stmt{st}, func(in ir.Stmt) {
					switch in := in.(type) {
					case *ir.For, *ir.While, *ir.Nest:
						if in != st {
							ok = false
						}
					case *ir.Call:
						if !seen[in.Func] {
							seen[in.Func] = true
							if !walk(in.Func.Body, budget) {
								ok = false
							}
						}
					}
				}, nil)
			}
			if !ok {
				return false
			}
		}
		return true
	}
	return walk(body, shortRun)
}

// constTrip is the trip count of a loop whose start, stop and step are
// integer constants.
func constTrip(f *ir.For) (int64, bool) {
	a, ok1 := f.Start.(*ir.Const)
	b, ok2 := f.Stop.(*ir.Const)
	c, ok3 := f.Step.(*ir.Const)
	if !ok1 || !ok2 || !ok3 || !a.Type.DType.IsInt() || !b.Type.DType.IsInt() || !c.Type.DType.IsInt() || c.I == 0 {
		return 0, false
	}
	switch {
	case c.I > 0 && b.I > a.I:
		return (b.I - a.I + c.I - 1) / c.I, true
	case c.I < 0 && b.I < a.I:
		return (a.I - b.I - c.I - 1) / -c.I, true
	}
	return 0, true
}

// Straight reports whether body runs without loops (in the functions it
// calls too).
func Straight(body []ir.Stmt) bool {
	ok := true
	seen := map[*ir.Func]bool{}
	var walk func(b []ir.Stmt)
	walk = func(b []ir.Stmt) {
		ir.VisitStmts(b, func(st ir.Stmt) {
			switch st := st.(type) {
			case *ir.For, *ir.While, *ir.Nest:
				ok = false
			case *ir.Call:
				if !seen[st.Func] {
					seen[st.Func] = true
					walk(st.Func.Body)
				}
			}
		}, nil)
	}
	walk(body)
	return ok
}
