package lower

import (
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// kernelFunc lowers sejit.barrier(), sejit.local_array() and the atomics
// of an explicit kernel (Options.Kernel, set for sejit.kernel's device
// form and for its CPU form under parallel=True). Anywhere else they are
// refused here: the serial CPU form of a kernel rewrites its atomics into
// plain read-modify-writes before it is compiled, and barriers and
// work-group memory mean nothing outside a work-group (the driver refuses
// them on the CPU).
func (f *fn) kernelFunc(e *pyast.Call, name string, args []*val, rt *types.Type) *val {
	if !f.l.opts.Kernel {
		f.errorf(e.P, diag.Unsupported, "sejit.%s() is only available in a @sejit.kernel launched on device arrays", name).
			WithHint("write the kernel with @sejit.kernel and call it on sejit.DeviceArrays (an OpenCL device; PoCL's CPU device counts)")
		return &val{t: rt, s: ir.IntConst(0)}
	}
	switch name {
	case "barrier":
		f.emit(&ir.Barrier{})
		return &val{t: rt}
	case "local_array":
		shape := f.shapeOf(args[0])
		for _, s := range shape {
			if c, ok := s.(*ir.Const); ok && c.I > 0 {
				continue
			}
			f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Gt, X: s, Y: ir.IntConst(0), T: types.BoolT}, Err: ir.ErrValue,
				Msg: "sejit.local_array() needs positive extents"})
		}
		dst := f.temp(rt)
		f.emit(&ir.SetArray{Dst: dst, Src: &ir.LocalAlloc{DType: rt.DType, Shape: shape}})
		f.noteShape(dst, shape)
		return &val{t: rt, arr: dst}
	}
	arr := f.materialize(args[0])
	items := indexItems(e.Args[1])
	idx := make([]ir.Expr, len(items))
	for i, it := range items {
		idx[i] = f.index(it, &ir.Dim{Arr: arr, Axis: i}, i, arr)
	}
	op := map[string]ir.AtomicOp{"atomic_add": ir.AtomicAdd, "atomic_min": ir.AtomicMin, "atomic_max": ir.AtomicMax}[name]
	dst := f.temp(rt)
	f.emit(&ir.Atomic{Op: op, Arr: arr, Idx: idx, Val: conv(args[2].s, arr.Type.DType), Dst: dst})
	return &val{t: rt, s: &ir.Ref{Var: dst}}
}
