package cgen

import (
	"fmt"

	"sejit/internal/ir"
)

// atomic prints sejit.atomic_add/min/max of an explicit kernel's CPU form
// (Options.Kernel) with GCC's __atomic builtins, which clang has too. An
// integer sum is one fetch-and-add, which wraps like NumPy's integers (the
// builtins define signed overflow as two's complement). Every other update
// is a compare-and-swap loop: read the element, compute the new value,
// store it only if no other thread changed the element since, else retry
// with the value that thread left. The generic __atomic_compare_exchange
// compares the bytes, so it serves floats too; relaxed ordering is enough,
// as in OpenCL's atomics, since each update stands alone and the end of
// the parallel region orders everything before the caller reads it.
// The type checker allows int32, int64, uint32, uint64, float32 and float64
// elements only, as OpenCL's atomics.
func (g *gen) atomic(s *ir.Atomic) {
	d := s.Arr.Type.DType
	t := CType(d)
	p, v, o := g.fresh("ap"), g.fresh("av"), g.fresh("ao")
	g.line("{")
	g.ind++
	g.line("%s *%s = &%s_d[%s];", t, p, s.Arr.Name, g.offset(s.Arr, s.Idx))
	g.line("%s %s = %s;", t, v, g.expr(s.Val))
	if s.Op == ir.AtomicAdd && d.IsInt() {
		g.line("%s %s = __atomic_fetch_add(%s, %s, __ATOMIC_RELAXED);", t, o, p, v)
	} else {
		var next string
		switch s.Op {
		case ir.AtomicAdd:
			next = fmt.Sprintf("%s + %s", o, v)
		case ir.AtomicMin:
			// As the device's: a NaN value is never stored, a NaN element stays.
			next = fmt.Sprintf("(%[1]s < %[2]s) ? %[1]s : %[2]s", v, o)
		default:
			next = fmt.Sprintf("(%[1]s > %[2]s) ? %[1]s : %[2]s", v, o)
		}
		n := g.fresh("an")
		g.line("%s %s, %s;", t, o, n)
		g.line("__atomic_load(%s, &%s, __ATOMIC_RELAXED);", p, o)
		g.line("do {")
		g.line("    %s = (%s)(%s);", n, t, next)
		g.line("} while (!__atomic_compare_exchange(%s, &%s, &%s, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED));", p, o, n)
	}
	if s.Dst != nil {
		g.line("%s = %s;", s.Dst.Name, o)
	} else {
		g.line("(void)%s;", o)
	}
	g.ind--
	g.line("}")
}
