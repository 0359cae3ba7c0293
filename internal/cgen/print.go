package cgen

import (
	"fmt"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// print emits an ir.Print: the items as an array of sejit_print_item
// handed to sejit_print (prelude.h), which calls the runtime's hook.
func (g *gen) print(s *ir.Print) {
	g.line("{")
	g.ind++
	n := len(s.Items)
	t := g.fresh("pr")
	g.line("sejit_print_item %s[%d];", t, max(n, 1))
	var fallback strings.Builder
	for i, it := range s.Items {
		fields := []string{fmt.Sprintf(".kind = %d", it.Kind)}
		if it.Join {
			fields = append(fields, ".join = 1")
		}
		if it.Fmt {
			fields = append(fields, ".fmt = 1", ".spec = "+cString(it.Spec))
			if it.Conv != 0 {
				fields = append(fields, fmt.Sprintf(".conv = %d", it.Conv))
			}
		}
		switch it.Kind {
		case ir.PrintText:
			fields = append(fields, ".text = "+cString(it.Text))
			fallback.WriteString(it.Text)
		case ir.PrintTuple:
			fields = append(fields, fmt.Sprintf(".n = %d", it.N))
		case ir.PrintList:
			// the rows' dtype and boxing, or ndim 0 for items read from
			// the arrays that follow (sejit_abi.h)
			fields = append(fields, fmt.Sprintf(".n = %d", it.N))
			if it.Rows {
				fields = append(fields, fmt.Sprintf(".ndim = 1, .dtype = %d, .py = %d", int(it.Row), b2i(it.Py)))
			} else if it.Arrays {
				fields = append(fields, fmt.Sprintf(".ndim = 2, .dtype = %d", int(it.Row)))
			}
			fallback.WriteString("[...]")
		case ir.PrintValue:
			fallback.WriteString("{}")
		case ir.PrintExc:
			fields = append(fields, fmt.Sprintf(".dtype = exc%d.err, .text = exc%d.msg", it.Exc, it.Exc))
			fallback.WriteString("{}")
		}
		g.line("%s[%d] = (sejit_print_item){%s};", t, i, strings.Join(fields, ", "))
		if it.Kind != ir.PrintValue {
			continue
		}
		if ar, ok := it.Val.(*ir.ArrayRef); ok {
			v := ar.Var
			g.line("%s[%d].dtype = %d; %s[%d].ndim = %d;", t, i, int(v.Type.DType), t, i, v.Type.NDim)
			g.line("{ sejit_array a_ = %s; %s[%d].a = a_; }", pack(v), t, i)
			if it.Str {
				g.line("%s[%d].kind = SEJIT_PRINT_STR;", t, i)
			}
			if it.Py {
				g.line("%s[%d].py = 1;", t, i) // a list's numbers, boxed as Python numbers
			}
			continue
		}
		d := ir.TypeOf(it.Val).DType
		py := 0
		if it.Py {
			py = 1
		}
		g.line("%s[%d].dtype = %d; %s[%d].ndim = -1; %s[%d].py = %d;", t, i, int(d), t, i, t, i, py)
		val := g.expr(it.Val)
		if d == types.Bool {
			val = "(uint8_t)((" + val + ") != 0)"
		}
		g.line("%s[%d].s.%s = %s;", t, i, scalarMember(d), val)
	}
	opt := func(p *string) string {
		if p == nil {
			return "0"
		}
		return cString(*p)
	}
	g.line("if (sejit_print(ctx, %s, %d, %s, %s, %d, %s)) %s;", t, n, opt(s.Sep), opt(s.End), int(s.Raise),
		cString(fallback.String()), g.failed())
	g.ind--
	g.line("}")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
