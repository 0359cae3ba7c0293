package cgen

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// A reduction is one independent accumulation in the body of a one-axis
// nest, as lowering writes NumPy's reductions:
//
//	sum:      acc = add(acc, e)
//	min, max: x = e; acc = select(or(lt(x, acc), ne(x, x)), x, acc)   (gt for max)
//
// Fusion may put several into one nest (np.max(x) and np.mean(x) read the
// same array), and each must still be printed in a form the C compiler
// vectorises.
type reduction struct {
	sum   bool
	acc   *ir.Var
	tmp   *ir.Var // min/max: the element's variable
	elem  ir.Expr
	op    string // min/max: "<" or ">"
	stmts []ir.Stmt
}

// reductions splits a nest's body into independent reductions, or reports
// false if the body is anything else or one reduction reads another's
// variables.
func reductions(s *ir.Nest) ([]reduction, bool) {
	if len(s.Vars) != 1 {
		return nil, false
	}
	var rs []reduction
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
		for _, v := range []*ir.Var{r.acc, r.tmp} {
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
			if ir.Mentions(r.elem, v) {
				return nil, false
			}
		}
	}
	return rs, true
}

func sumReduction(st ir.Stmt) (reduction, bool) {
	a, ok := st.(*ir.Assign)
	if !ok {
		return reduction{}, false
	}
	add, ok := a.Src.(*ir.Bin)
	if !ok || add.Op != ir.Add {
		return reduction{}, false
	}
	acc, ok := add.X.(*ir.Ref)
	if !ok || acc.Var != a.Dst || !a.Dst.Type.DType.IsFloat() {
		return reduction{}, false
	}
	return reduction{sum: true, acc: a.Dst, elem: add.Y, stmts: []ir.Stmt{st}}, true
}

func isRef(e ir.Expr, v *ir.Var) bool {
	r, ok := e.(*ir.Ref)
	return ok && r.Var == v
}

func minMaxReduction(s1, s2 ir.Stmt) (reduction, bool) {
	ax, ok1 := s1.(*ir.Assign)
	aa, ok2 := s2.(*ir.Assign)
	if !ok1 || !ok2 {
		return reduction{}, false
	}
	x, a := ax.Dst, aa.Dst
	d := x.Type.DType
	if (d != types.Float32 && d != types.Float64) || a.Type.DType != d || x == a {
		return reduction{}, false
	}
	sel, ok := aa.Src.(*ir.Select)
	if !ok || !isRef(sel.X, x) || !isRef(sel.Y, a) {
		return reduction{}, false
	}
	or, ok := sel.Cond.(*ir.Bin)
	if !ok || or.Op != ir.Or {
		return reduction{}, false
	}
	cmp, ok1 := or.X.(*ir.Bin)
	nan, ok2 := or.Y.(*ir.Bin)
	if !ok1 || !ok2 || (cmp.Op != ir.Lt && cmp.Op != ir.Gt) || !isRef(cmp.X, x) || !isRef(cmp.Y, a) ||
		nan.Op != ir.Ne || !isRef(nan.X, x) || !isRef(nan.Y, x) {
		return reduction{}, false
	}
	op := map[ir.Op]string{ir.Lt: "<", ir.Gt: ">"}[cmp.Op]
	return reduction{acc: a, tmp: x, elem: ax.Src, op: op, stmts: []ir.Stmt{s1, s2}}, true
}

// blockedReductions prints a one-axis nest of independent reductions with
// at least one min or max among them, eight elements per step:
//
//   - a sum keeps eight partial sums, as blockedSum does, as the lanes of
//     32-byte vectors (so they stay vectorised beside the min/max vectors)
//     and adds them in blockedSum's order at the end;
//   - a min or max keeps eight running candidates in 32-byte vectors
//     (GCC's vector extension) updated by a plain ordered compare and a
//     blend, and ORs an x != x mask into a NaN flag. The ordered compare
//     ignores NaN, so the loop has no NaN-dependent branch or chain and
//     compiles to vcmppd/vblendvpd; NaN is handled after the loop: if the
//     flag is set, the candidates are discarded and the blocked range is
//     scanned again with the plain NaN-propagating rule, which gives the
//     plain loop's result exactly. Without NaN the candidates are combined
//     in order (the same value NumPy gives; only which of -0.0 and 0.0 is
//     returned for a tie can differ from a sequential scan, as in NumPy).
//
// The rest (fewer than eight elements) runs as the plain body.
func (g *gen) blockedReductions(s *ir.Nest) bool {
	rs, ok := reductions(s)
	if !ok {
		return false
	}
	hasMinMax := false
	for _, r := range rs {
		hasMinMax = hasMinMax || !r.sum
	}
	if !hasMinMax {
		return false
	}
	i := s.Vars[0]
	at := func(e ir.Expr, k int64) string {
		return g.expr(ir.MapExpr(e, func(e ir.Expr) ir.Expr {
			if r, ok := e.(*ir.Ref); ok && r.Var == i && k > 0 {
				return &ir.Bin{Op: ir.Add, X: r, Y: ir.IntConst(k), T: i.Type}
			}
			return nil
		}))
	}
	n := g.fresh("n")
	nb := g.fresh("nb")
	names := make([]string, len(rs))
	for j := range rs {
		names[j] = g.fresh("q")
	}
	g.line("{")
	g.ind++
	g.line("int64_t %s = %s;", n, g.expr(s.Bounds[0]))
	g.line("%s = 0;", i.Name)
	g.line("if (%s >= 16) {", n)
	g.ind++
	g.line("int64_t %s = %s - %s %% 8;", nb, n, n)
	for j, r := range rs {
		q := names[j]
		if r.sum {
			vt, _, w := vecTypes(r.acc.Type.DType)
			var parts []string
			for h := 0; h*w < 8; h++ {
				parts = append(parts, fmt.Sprintf("%s_%d = {0}", q, h))
			}
			g.line("%s %s;", vt, strings.Join(parts, ", "))
			continue
		}
		vt, mt, w := vecTypes(r.acc.Type.DType)
		init := strings.TrimSuffix(strings.Repeat(r.acc.Name+", ", w), ", ")
		decl := []string{fmt.Sprintf("%s_0 = {%s}", q, init)}
		for h := 1; h*w < 8; h++ {
			decl = append(decl, fmt.Sprintf("%s_%d = %s_0", q, h, q))
		}
		g.line("%s %s;", vt, strings.Join(decl, ", "))
		g.line("%s %s_nan = {0};", mt, q)
	}
	g.line("for (; %s < %s; %s += 8) {", i.Name, nb, i.Name)
	g.ind++
	for j, r := range rs {
		q := names[j]
		if r.sum {
			vt, _, w := vecTypes(r.acc.Type.DType)
			for h := 0; h*w < 8; h++ {
				var el []string
				for k := 0; k < w; k++ {
					el = append(el, at(r.elem, int64(h*w+k)))
				}
				g.line("{ %s v = {%s}; %s_%d += v; }", vt, strings.Join(el, ", "), q, h)
			}
			continue
		}
		vt, mt, w := vecTypes(r.acc.Type.DType)
		for h := 0; h*w < 8; h++ {
			var el []string
			for k := 0; k < w; k++ {
				el = append(el, at(r.elem, int64(h*w+k)))
			}
			g.line("{ %s v = {%s}; %s c = v %s %s_%d; %s_%d = (%s)((c & (%s)v) | (~c & (%s)%s_%d)); %s_nan |= v != v; }",
				vt, strings.Join(el, ", "), mt, r.op, q, h, q, h, vt, mt, mt, q, h, q)
		}
	}
	g.ind--
	g.line("}")
	for j, r := range rs {
		q := names[j]
		a := r.acc.Name
		if r.sum {
			_, _, w := vecTypes(r.acc.Type.DType)
			l := func(k int) string { return fmt.Sprintf("%s_%d[%d]", q, k/w, k%w) }
			g.line("%s = (%s)(%s + (((%s + %s) + (%s + %s)) + ((%s + %s) + (%s + %s))));",
				a, CType(r.acc.Type.DType), a, l(0), l(1), l(2), l(3), l(4), l(5), l(6), l(7))
			continue
		}
		_, _, w := vecTypes(r.acc.Type.DType)
		var any []string
		for k := 0; k < w; k++ {
			any = append(any, fmt.Sprintf("%s_nan[%d]", q, k))
		}
		g.line("if (%s) {", strings.Join(any, " | "))
		g.ind++
		g.line("for (%s = 0; %s < %s; %s++) {", i.Name, i.Name, nb, i.Name)
		g.ind++
		g.stmts(r.stmts)
		g.ind--
		g.line("}")
		g.ind--
		g.line("} else {")
		g.ind++
		for h := 0; h*w < 8; h++ {
			for k := 0; k < w; k++ {
				g.line("%s = (%s_%d[%d] %s %s) ? %s_%d[%d] : %s;", a, q, h, k, r.op, a, q, h, k, a)
			}
		}
		g.ind--
		g.line("}")
	}
	g.ind--
	g.line("}")
	g.line("for (; %s < %s; %s++) {", i.Name, n, i.Name)
	g.ind++
	g.stmts(s.Body)
	g.ind--
	g.line("}")
	g.ind--
	g.line("}")
	return true
}

// vecTypes names the prelude's 32-byte vector type for a float dtype, its
// compare-mask type and its number of lanes.
func vecTypes(d types.DType) (string, string, int) {
	if d == types.Float32 {
		return "sejit_v8f", "sejit_v8i", 8
	}
	return "sejit_v4d", "sejit_v4l", 4
}
