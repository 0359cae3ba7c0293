package clgen

// Printer coverage: every operator of ir (op.go) prints as OpenCL C and
// as CUDA C for every operand dtype the device target has, every intrinsic
// of the registry is printed by clIntrinsics (both dialects) or listed in
// notOnDevice with its reason (never both, never neither), and the code
// builds with the device compiler where one is present (OpenCL) and with
// NVRTC for sm_80 and sm_90 (CUDA; no GPU needed).

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"sejit/internal/ir"
	"sejit/internal/types"
)

var deviceDTypes = []types.DType{types.Bool, types.Int8, types.Int16, types.Int32, types.Int64, types.Uint8,
	types.Uint16, types.Uint32, types.Uint64, types.Float32, types.Float64}

func opDTypes(o ir.Op) []types.DType {
	ints := []types.DType{types.Int8, types.Int32, types.Int64, types.Uint8, types.Uint64}
	floats := []types.DType{types.Float32, types.Float64}
	switch o {
	case ir.Add, ir.Sub, ir.Mul, ir.Div, ir.Pow, ir.Neg, ir.Abs, ir.Lt, ir.Le, ir.Gt, ir.Ge, ir.Eq, ir.Ne,
		ir.FloorDiv, ir.Mod:
		return append(append([]types.DType{}, ints...), floats...)
	case ir.And, ir.Or, ir.Not:
		return []types.DType{types.Bool}
	case ir.BitAnd, ir.BitOr, ir.BitXor, ir.Inv:
		return append(append([]types.DType{}, ints...), types.Bool)
	case ir.Shl, ir.Shr:
		return ints
	}
	return nil
}

// printExpr prints e, turning a panic into an error (an *unavailable for
// what the device target refuses).
func printExpr(e ir.Expr, tgt Target) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			if u, ok := r.(*unavailable); ok {
				err = u
				return
			}
			err = fmt.Errorf("%v", r)
		}
	}()
	return (&exprPrinter{tgt: tgt}).expr(e), nil
}

func ref(name string, d types.DType) *ir.Ref {
	return &ir.Ref{Var: &ir.Var{Name: name, Type: types.ScalarOf(d), Param: -1}}
}

// probe is a kernel computing e from scalar parameters, for the device
// compiler.
func probe(name string, e ir.Expr, s string, tgt Target) string {
	p := &exprPrinter{tgt: tgt}
	var params []string
	seen := map[string]bool{}
	ir.VisitExpr(e, func(x ir.Expr) {
		if r, ok := x.(*ir.Ref); ok && !seen[r.Var.Name] {
			seen[r.Var.Name] = true
			params = append(params, p.mem(r.Var.Type.DType)+" "+r.Var.Name)
		}
	})
	t := ir.TypeOf(e).DType
	if tgt == CUDA {
		params = append(params, p.mem(t)+" *out")
		return fmt.Sprintf("extern \"C\" __global__ void %s(%s) { out[0] = (%s)(%s); }\n", name,
			strings.Join(params, ", "), p.mem(t), s)
	}
	params = append(params, "__global "+MemType(t)+" *out")
	return fmt.Sprintf("__kernel void %s(%s) { out[0] = (%s)(%s); }\n", name, strings.Join(params, ", "), MemType(t), s)
}

// unit wraps probe kernels as a program, with the prelude they use.
func unit(kernels string, tgt Target) string {
	if tgt == CUDA {
		return cudaPrologue + selectPrelude(kernels, CUDA) + kernels
	}
	head := "#pragma OPENCL FP_CONTRACT OFF\n"
	if strings.Contains(kernels, "double") {
		head = "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" + head
	}
	return head + selectPrelude(kernels, OpenCL) + kernels
}

func TestEveryOperatorPrints(t *testing.T) {
	for _, tgt := range []Target{OpenCL, CUDA} {
		t.Run(tgt.String(), func(t *testing.T) { everyOperator(t, tgt) })
	}
}

func everyOperator(t *testing.T, tgt Target) {
	var kernels strings.Builder
	n := 0
	for _, o := range ir.Ops() {
		ds := opDTypes(o)
		if len(ds) == 0 {
			t.Errorf("%s: no operand dtypes listed in opDTypes", o)
		}
		for _, d := range append(ds, types.Complex128) {
			st := types.ScalarOf(d)
			x, y := ref("x", d), ref("y", d)
			var e ir.Expr = &ir.Bin{Op: o, X: x, Y: y, T: st}
			if o.IsUnary() {
				rt := st
				if o == ir.Abs && d.IsComplex() {
					rt = types.ScalarOf(d.RealOf())
				}
				e = &ir.Unary{Op: o, X: x, T: rt}
			}
			s, err := printExpr(e, tgt)
			var u *unavailable
			if d.IsComplex() && (tgt == CUDA || !complexOps[o]) {
				if !errors.As(err, &u) {
					t.Errorf("%s on %s: want the complex refusal, got %q, %v", o, d, s, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s on %s: %v", o, d, err)
				continue
			}
			n++
			kernels.WriteString(probe(fmt.Sprintf("op%d", n), e, s, tgt))
		}
	}
	build(t, tgt, map[string]string{"operators": unit(kernels.String(), tgt)})
}

// build compiles sources with the target's compiler: the OpenCL device's,
// or NVRTC for CUDA.
func build(t *testing.T, tgt Target, sources map[string]string) {
	if tgt == CUDA {
		nvrtcBuild(t, sources)
		return
	}
	deviceBuild(t, sources)
}

// complexOps are the operators OpenCL prints for complex operands.
var complexOps = map[ir.Op]bool{ir.Add: true, ir.Sub: true, ir.Mul: true, ir.Div: true, ir.Pow: true, ir.Eq: true, ir.Ne: true,
	ir.Neg: true, ir.Abs: true}

func TestEveryIntrinsicPrints(t *testing.T) {
	for _, tgt := range []Target{OpenCL, CUDA} {
		t.Run(tgt.String(), func(t *testing.T) { everyIntrinsic(t, tgt) })
	}
}

func everyIntrinsic(t *testing.T, tgt Target) {
	var kernels strings.Builder
	n := 0
	for _, fn := range ir.Fns() {
		_, printed := clIntrinsics[fn]
		why, refused := notOnDevice[fn]
		switch {
		case printed && refused:
			t.Errorf("%s: both printed and listed as not available on devices", fn)
			continue
		case refused:
			if why == "" {
				t.Errorf("%s: listed as not available on devices without a reason", fn)
			}
			continue
		case !printed:
			t.Errorf("%s: no OpenCL C in clIntrinsics and not listed in notOnDevice with a reason", fn)
			continue
		}
		sig := fn.Info().Sig
		ts := sig.Ts
		if len(ts) == 0 {
			ts = []types.DType{types.Int64}
		}
		for _, d := range ts {
			if d.IsComplex() {
				continue
			}
			slot := func(s ir.Slot) types.DType {
				if s == ir.SlotT {
					return d
				}
				return s
			}
			var args []ir.Expr
			for i, s := range sig.Args {
				args = append(args, ref(fmt.Sprintf("a%d", i), slot(s)))
			}
			e := &ir.Intrinsic{Fn: fn, Args: args, T: types.ScalarOf(slot(sig.Result))}
			s, err := printExpr(e, tgt)
			var u *unavailable
			hasComplex := slot(sig.Result).IsComplex()
			for _, a := range args {
				hasComplex = hasComplex || ir.TypeOf(a).DType.IsComplex()
			}
			if tgt == CUDA && hasComplex && errors.As(err, &u) {
				continue // complex numbers are OpenCL's only (float2/double2)
			}
			if err != nil {
				t.Errorf("%s on %s: %v", fn, d, err)
				continue
			}
			n++
			kernels.WriteString(probe(fmt.Sprintf("fn%d", n), e, s, tgt))
		}
	}
	build(t, tgt, map[string]string{"intrinsics": unit(kernels.String(), tgt)})
}

// TestPreludeSections checks that every helper a section lists is defined
// there, and that selecting a section by one name brings its code.
func TestPreludeSections(t *testing.T) {
	for _, s := range preludeSections {
		for _, name := range s.defines {
			if !strings.Contains(s.code, " "+name+"(") {
				t.Errorf("prelude section %v lists %s but does not define it", s.defines, name)
			}
			if got := selectPrelude(name+"(1)", OpenCL); !strings.Contains(got, s.code) {
				t.Errorf("selecting %s does not bring its section", name)
			}
			if got := selectPrelude(name+"(1)", CUDA); !strings.Contains(got, cudaSection(s)) ||
				strings.Contains(got, "\ninline ") {
				t.Errorf("selecting %s for CUDA does not bring its section as device functions", name)
			}
		}
	}
}
