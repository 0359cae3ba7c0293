package clgen

import (
	"fmt"
	"sort"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// Work-group constructs of sejit.kernel's device form (ir/workgroup.go).
//
// A local array (sejit.local_array) is a kernel parameter in __local
// memory whose size the host sets at the launch (pyopencl's LocalMemory),
// so its extents may be any host values (the local size, say); it is
// passed with extents and strides like a global array, so loads, stores
// and bounds checks print the same way. A barrier synchronises the
// work-group with both memory fences. An atomic is OpenCL's atomic_*
// built-in for 32-bit integers, atom_* (cl_khr_int64_*_atomics) for
// 64-bit ones, and a compare-exchange loop on the bits for floats, which
// OpenCL 1.2 has no atomics for.

// localArray is a local array of a kernel with the host's expressions of
// its extents.
type localArray struct {
	v     *ir.Var
	shape []ir.Expr
}

// localShape rewrites a local array's extents into host expressions: a
// work-item's temporaries assigned once at the top of the nest's body are
// replaced by what they hold; anything else a work-item computes is
// refused (every work-item of a group must see the same array).
func localShape(n *ir.Nest, shape []ir.Expr, private map[*ir.Var]bool) []ir.Expr {
	once := map[*ir.Var]ir.Expr{}
	count := map[*ir.Var]int{}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			count[v]++
		}
	}, nil)
	for _, s := range n.Body {
		if a, ok := s.(*ir.Assign); ok && count[a.Dst] == 1 {
			once[a.Dst] = a.Src
		}
	}
	var resolve func(e ir.Expr, depth int) ir.Expr
	resolve = func(e ir.Expr, depth int) ir.Expr {
		return ir.MapExpr(e, func(x ir.Expr) ir.Expr {
			r, ok := x.(*ir.Ref)
			if !ok || !private[r.Var] {
				return nil
			}
			if src, ok := once[r.Var]; ok && depth < 16 {
				return resolve(src, depth+1)
			}
			fail(fmt.Sprintf("the shape of a sejit.local_array() depends on %s, a value of the work-item", r.Var.Name),
				"give it extents every work-item of the group agrees on: constants, arguments, sejit.local_size(d)")
			return nil
		})
	}
	out := make([]ir.Expr, len(shape))
	for i, e := range shape {
		out[i] = resolve(e, 0)
	}
	return out
}

// localParams adds a local array's parameters and launch argument.
func (o *outliner) localParams(k *Kernel, la localArray, params []string) []string {
	a := la.v
	o.ep.note(a.Type.DType)
	params = append(params, fmt.Sprintf("%s%s *%s_b", o.localSpace(), o.ep.mem(a.Type.DType), a.Name))
	for d := 0; d < a.Type.NDim; d++ {
		params = append(params, fmt.Sprintf("long %s_n%d", a.Name, d))
	}
	for d := 0; d < a.Type.NDim; d++ {
		params = append(params, fmt.Sprintf("long %s_s%d", a.Name, d))
	}
	shape := []J{}
	for _, e := range la.shape {
		shape = append(shape, o.hexpr(e))
	}
	k.Args = append(k.Args, J{"local": a.Name, "dtype": a.Type.DType.String(), "shape": shape})
	return params
}

func (o *outliner) localSpace() string {
	if o.opts.Target == CUDA {
		fail("sejit.local_array() on a CUDA device is not built yet", "use an OpenCL device")
	}
	return "__local "
}

// barrier prints a work-group barrier.
func (o *outliner) barrier() {
	if o.opts.Target == CUDA {
		o.line("__syncthreads();")
		return
	}
	o.line("barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);")
}

// atomic prints an atomic update through the helper for its operation,
// dtype and address space.
func (o *outliner) atomic(s *ir.Atomic, local bool) {
	if o.opts.Target == CUDA {
		fail(fmt.Sprintf("sejit.%s() on a CUDA device is not built yet", s.Op), "use an OpenCL device")
	}
	d := s.Arr.Type.DType
	o.ep.note(d)
	space := "g"
	if local {
		space = "l"
	}
	name := fmt.Sprintf("sejit_%s_%s_%s", s.Op, d, space)
	if o.atomics == nil {
		o.atomics = map[string]string{}
	}
	if _, ok := o.atomics[name]; !ok {
		o.atomics[name] = atomicHelper(name, s.Op, d, local)
	}
	call := fmt.Sprintf("%s(&%s_d[%s], %s)", name, s.Arr.Name, o.ep.offset(s.Arr, s.Idx), o.ep.expr(s.Val))
	if s.Dst != nil {
		o.line("%s = %s;", s.Dst.Name, call)
	} else {
		o.line("%s;", call)
	}
}

// atomicHelper is the OpenCL C of one atomic helper.
func atomicHelper(name string, op ir.AtomicOp, d types.DType, local bool) string {
	space := "__global"
	if local {
		space = "__local"
	}
	t := CLType(d)
	if d.IsInt() {
		builtin := strings.TrimPrefix(op.String(), "atomic_")
		if d == types.Int64 || d == types.Uint64 {
			builtin = "atom_" + builtin
		} else {
			builtin = "atomic_" + builtin
		}
		return fmt.Sprintf("inline %s %s(volatile %s %s *p, %s v) { return %s(p, v); }\n", t, name, space, t, t, builtin)
	}
	bits, cas := "uint", "atomic_cmpxchg"
	if d == types.Float64 {
		bits, cas = "ulong", "atom_cmpxchg"
	}
	var next string
	switch op {
	case ir.AtomicAdd:
		next = "o + v"
	case ir.AtomicMin:
		next = "(v < o) ? v : o"
	default:
		next = "(v > o) ? v : o"
	}
	return fmt.Sprintf(`inline %[1]s %[2]s(volatile %[3]s %[1]s *p, %[1]s v) {
    /* No float atomics in OpenCL 1.2: swap the bits in when no other
     * work-item changed them since they were read. */
    %[4]s seen = as_%[4]s(*p), want;
    for (;;) {
        %[1]s o = as_%[1]s(seen);
        want = as_%[4]s((%[1]s)(%[5]s));
        %[4]s now = %[6]s((volatile %[3]s %[4]s *)p, seen, want);
        if (now == seen) return o;
        seen = now;
    }
}
`, t, name, space, bits, next, cas)
}

// atomicPrelude is the extensions and helpers the kernels' atomics use.
func (o *outliner) atomicPrelude() string {
	if len(o.atomics) == 0 {
		return ""
	}
	var b strings.Builder
	names := make([]string, 0, len(o.atomics))
	for n := range o.atomics {
		names = append(names, n)
	}
	sort.Strings(names)
	base, ext := false, false
	for _, n := range names {
		if strings.Contains(n, "int64") || strings.Contains(n, "float64") {
			base = true
		}
		if strings.Contains(n, "int64") && !strings.Contains(n, "atomic_add") {
			ext = true // atom_min, atom_max
		}
	}
	if base {
		b.WriteString("#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable\n")
	}
	if ext {
		b.WriteString("#pragma OPENCL EXTENSION cl_khr_int64_extended_atomics : enable\n")
	}
	for _, n := range names {
		b.WriteString(o.atomics[n])
	}
	return b.String()
}
