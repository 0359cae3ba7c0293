package cgen

import (
	"fmt"
	"strings"

	"sejit/internal/analysis"
	"sejit/internal/ir"
	"sejit/internal/types"
)

// The reductions of a nest (analysis.NestReductions) are printed in blocks
// of eight elements, in a form the C compiler vectorises.

// cmpC is the C comparison a min or max reduction keeps its candidate by.
var cmpC = map[analysis.ReductionKind]string{analysis.Min: "<", analysis.Max: ">"}

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
	rs := g.info.Reductions[s]
	hasMinMax := false
	for _, r := range rs {
		hasMinMax = hasMinMax || r.Kind != analysis.Sum
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
		if r.Kind == analysis.Sum {
			vt, _, w := vecTypes(r.Acc.Type.DType)
			var parts []string
			for h := 0; h*w < 8; h++ {
				parts = append(parts, fmt.Sprintf("%s_%d = {0}", q, h))
			}
			g.line("%s %s;", vt, strings.Join(parts, ", "))
			continue
		}
		vt, mt, w := vecTypes(r.Acc.Type.DType)
		init := strings.TrimSuffix(strings.Repeat(r.Acc.Name+", ", w), ", ")
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
		if r.Kind == analysis.Sum {
			vt, _, w := vecTypes(r.Acc.Type.DType)
			for h := 0; h*w < 8; h++ {
				var el []string
				for k := 0; k < w; k++ {
					el = append(el, at(r.Elem, int64(h*w+k)))
				}
				g.line("{ %s v = {%s}; %s_%d += v; }", vt, strings.Join(el, ", "), q, h)
			}
			continue
		}
		vt, mt, w := vecTypes(r.Acc.Type.DType)
		for h := 0; h*w < 8; h++ {
			var el []string
			for k := 0; k < w; k++ {
				el = append(el, at(r.Elem, int64(h*w+k)))
			}
			g.line("{ %s v = {%s}; %s c = v %s %s_%d; %s_%d = (%s)((c & (%s)v) | (~c & (%s)%s_%d)); %s_nan |= v != v; }",
				vt, strings.Join(el, ", "), mt, cmpC[r.Kind], q, h, q, h, vt, mt, mt, q, h, q)
		}
	}
	g.ind--
	g.line("}")
	for j, r := range rs {
		q := names[j]
		a := r.Acc.Name
		if r.Kind == analysis.Sum {
			_, _, w := vecTypes(r.Acc.Type.DType)
			l := func(k int) string { return fmt.Sprintf("%s_%d[%d]", q, k/w, k%w) }
			g.line("%s = (%s)(%s + (((%s + %s) + (%s + %s)) + ((%s + %s) + (%s + %s))));",
				a, CType(r.Acc.Type.DType), a, l(0), l(1), l(2), l(3), l(4), l(5), l(6), l(7))
			continue
		}
		_, _, w := vecTypes(r.Acc.Type.DType)
		var any []string
		for k := 0; k < w; k++ {
			any = append(any, fmt.Sprintf("%s_nan[%d]", q, k))
		}
		g.line("if (%s) {", strings.Join(any, " | "))
		g.ind++
		g.line("for (%s = 0; %s < %s; %s++) {", i.Name, i.Name, nb, i.Name)
		g.ind++
		g.stmts(r.Stmts)
		g.ind--
		g.line("}")
		g.ind--
		g.line("} else {")
		g.ind++
		for h := 0; h*w < 8; h++ {
			for k := 0; k < w; k++ {
				g.line("%s = (%s_%d[%d] %s %s) ? %s_%d[%d] : %s;", a, q, h, k, cmpC[r.Kind], a, q, h, k, a)
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
