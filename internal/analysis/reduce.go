package analysis

import (
	"sejit/internal/ir"
	"sejit/internal/types"
)

// ReductionKind is what a reduction computes.
type ReductionKind uint8

const (
	Sum ReductionKind = iota + 1
	Min
	Max
)

// A Reduction is one independent accumulation in the body of a one-axis
// nest, as lowering writes NumPy's reductions:
//
//	Sum:      acc = add(acc, e)                                          (float acc)
//	Min, Max: x = e; acc = select(or(lt(x, acc), ne(x, x)), x, acc)      (gt for Max; float x and acc)
//
// Fusion may put several into one nest (np.max(x) and np.mean(x) read the
// same array); they are independent when none reads another's variables
// (nor the nest's own), so a target may reorder or block each one's
// iterations — eight partial sums, vectors of running candidates — as
// long as it keeps each one's result.
type Reduction struct {
	Kind  ReductionKind
	Acc   *ir.Var
	Tmp   *ir.Var // Min, Max: the element's variable
	Elem  ir.Expr // the element reduced, in terms of the nest's variable
	Stmts []ir.Stmt
}

// NestReductions splits a nest's body into independent reductions, or
// reports false if the body is anything else or one reduction reads
// another's variables.
func NestReductions(s *ir.Nest) ([]Reduction, bool) {
	if len(s.Vars) != 1 {
		return nil, false
	}
	var rs []Reduction
	body := s.Body
	for j := 0; j < len(body); {
		if r, ok := sumReduction(body[j]); ok {
			rs = append(rs, r)
			j++
			continue
		}
		if j+1 < len(body) {
			if r, ok := minMaxReduction(body[j], body[j+1]); ok {
				rs = append(rs, r)
				j += 2
				continue
			}
		}
		return nil, false
	}
	seen := map[*ir.Var]bool{}
	for _, r := range rs {
		for _, v := range []*ir.Var{r.Acc, r.Tmp} {
			if v == nil {
				continue
			}
			if seen[v] || v == s.Vars[0] {
				return nil, false
			}
			seen[v] = true
		}
	}
	for _, r := range rs {
		for v := range seen {
			if ir.Mentions(r.Elem, v) {
				return nil, false
			}
		}
	}
	return rs, len(rs) > 0
}

func sumReduction(st ir.Stmt) (Reduction, bool) {
	a, ok := st.(*ir.Assign)
	if !ok {
		return Reduction{}, false
	}
	add, ok := a.Src.(*ir.Bin)
	if !ok || add.Op != ir.Add {
		return Reduction{}, false
	}
	acc, ok := add.X.(*ir.Ref)
	if !ok || acc.Var != a.Dst || !a.Dst.Type.DType.IsFloat() {
		return Reduction{}, false
	}
	return Reduction{Kind: Sum, Acc: a.Dst, Elem: add.Y, Stmts: []ir.Stmt{st}}, true
}

func isRef(e ir.Expr, v *ir.Var) bool {
	r, ok := e.(*ir.Ref)
	return ok && r.Var == v
}

func minMaxReduction(s1, s2 ir.Stmt) (Reduction, bool) {
	ax, ok1 := s1.(*ir.Assign)
	aa, ok2 := s2.(*ir.Assign)
	if !ok1 || !ok2 {
		return Reduction{}, false
	}
	x, a := ax.Dst, aa.Dst
	d := x.Type.DType
	if (d != types.Float32 && d != types.Float64) || a.Type.DType != d || x == a {
		return Reduction{}, false
	}
	sel, ok := aa.Src.(*ir.Select)
	if !ok || !isRef(sel.X, x) || !isRef(sel.Y, a) {
		return Reduction{}, false
	}
	or, ok := sel.Cond.(*ir.Bin)
	if !ok || or.Op != ir.Or {
		return Reduction{}, false
	}
	cmp, ok1 := or.X.(*ir.Bin)
	nan, ok2 := or.Y.(*ir.Bin)
	if !ok1 || !ok2 || (cmp.Op != ir.Lt && cmp.Op != ir.Gt) || !isRef(cmp.X, x) || !isRef(cmp.Y, a) ||
		nan.Op != ir.Ne || !isRef(nan.X, x) || !isRef(nan.Y, x) {
		return Reduction{}, false
	}
	kind := Min
	if cmp.Op == ir.Gt {
		kind = Max
	}
	return Reduction{Kind: kind, Acc: a, Tmp: x, Elem: ax.Src, Stmts: []ir.Stmt{s1, s2}}, true
}
