// Package clgen prints the loop-nest IR for OpenCL devices: each top-level
// element-wise nest of the entry function becomes one kernel, and what
// remains — scalar statements, checks on extents, views and allocations,
// sequential loops around nests (time stepping) — becomes the host plan, a
// small program in JSON that the Python side runs (sejit/device/_plan.py):
// it evaluates scalars, raises failed checks, makes views, allocates
// device arrays and launches the kernels in order on the context's queue.
//
// Outlining. A Nest's iterations are independent (ir.Nest), so a kernel's
// work-items may run them in any order: the nest's outer variables,
// outermost first, are get_global_id(k-1) … get_global_id(1), and each
// work-item of dimension 0 runs a chunk of consecutive iterations of the
// innermost variable, whose length the launch chooses per device
// (sejit/device/_cl.py, chunk_length): 1 on a GPU, where neighbouring
// work-items touching neighbouring elements of a C-ordered array
// coalesce, and up to 1024 on a CPU device, where a work-item costs far
// more than an iteration and the chunk's loop vectorizes. The chunk's loop
// comes in two copies: one for arrays whose last axis is contiguous
// (indexed without its stride) and one for any strides. Each array the
// nest touches is passed as four groups
// of parameters (docs/design.md, "Device target"): the buffer, the offset
// in elements, the extents and the strides in elements; each scalar the
// nest reads and does not assign is passed by value; the nest's bounds,
// evaluated by the host, are the launch's global size and are passed too.
// A variable the nest assigns is private to a work-item; one that is also
// read outside the nest is an accumulation, and the nest a reduction: a
// first pass of work-group trees and a combining pass (reduce.go).
//
// Checks inside a kernel (bounds, zero division) cannot raise: the first
// failing work-item records its message's index in the program's table
// (ir.Program.Messages) and its operands in an error buffer, with an
// atomic compare-and-swap on its first word, and returns; the host reads
// the buffer after a launch whose kernel has checks and raises the
// exception the C target raises, with the same text.
//
// Semantics do not change with the target: FP_CONTRACT is OFF unless
// fastmath, integers wrap, // and % round toward negative infinity, and a
// float converts to an integer as ir.Cast says (expr.go, prelude.go).
package clgen

import (
	"fmt"
	"strings"

	"sejit/internal/analysis"
	"sejit/internal/ir"
	"sejit/internal/types"
)

// Target is the dialect a program prints in. The outlining, the host plan
// and the error buffer are the same for both; the kernels' prologue, the
// type and math function names and the build options differ (cuda.go).
type Target int

const (
	OpenCL Target = iota // OpenCL C 1.2, built by the device's driver (pyopencl)
	CUDA                 // CUDA C++, compiled by NVRTC to a CUBIN for one architecture
)

func (t Target) String() string {
	if t == CUDA {
		return "CUDA"
	}
	return "OpenCL"
}

// Options are the compile options that change the printed code.
type Options struct {
	FastMath bool
	Target   Target
	// Kernel marks the driver of sejit.kernel's device form: its last three
	// parameters are the local size, which each launch passes (workgroup.go).
	Kernel bool
}

// MaxCheckArgs is the number of int64 operands the error buffer holds for
// one message; ErrorBufferInts is its size in 32-bit words (a flag, the
// message index, then each operand as two words, low first).
const (
	MaxCheckArgs    = 8
	ErrorBufferInts = 2 + 2*MaxCheckArgs
)

// Unit is a printed device program.
type Unit struct {
	Source string // OpenCL C or CUDA C: the prelude and every kernel
	Plan   *Plan
	FP64   bool // the source computes in double precision
	// BuildOptions are the compiler options the source must be built with
	// (CUDA: NVRTC's -fmad=false unless fastmath; none for OpenCL, whose
	// pragma says it and whose options depend on the device).
	BuildOptions []string
}

// Plan is the host plan (sejit/device/_plan.py runs it). Statements and
// expressions are JSON objects; docs/design.md, "Device target", lists
// them.
type Plan struct {
	Kernels  []*Kernel `json:"kernels"`
	Messages []Message `json:"messages"`
	Params   []string  `json:"params"`
	Locals   []Local   `json:"locals"`
	Body     []J       `json:"body"`
	// Funcs are the plans of the functions the entry calls: the variant
	// that stretches extents of 1 (lower/broadcast.go), run by a call
	// statement with its own scalars and arrays.
	Funcs []*PlanFunc `json:"funcs,omitempty"`
}

// PlanFunc is the host plan of a function the entry calls.
type PlanFunc struct {
	Name   string   `json:"name"`
	Params []string `json:"params"`
	Locals []Local  `json:"locals"`
	Body   []J      `json:"body"`
}

// Kernel describes one kernel's launch: its name and its parameters in
// order.
type Kernel struct {
	Name   string `json:"name"`
	Args   []J    `json:"args"`
	Checks bool   `json:"checks"` // it writes the error buffer
	NDim   int    `json:"ndim"`
	// Chunked: each work-item of the innermost dimension runs a chunk of
	// consecutive iterations, whose length is the argument {"chunk": true};
	// the launch divides that dimension's global size by it, rounding up.
	Chunked bool `json:"chunked"`
}

// Message is an entry of the program's message table.
type Message struct {
	Err  int    `json:"err"`
	Text string `json:"text"`
	Line int    `json:"line"`
}

// Local is a scalar local of the host plan, zero before it is assigned.
type Local struct {
	Name  string `json:"name"`
	DType string `json:"dtype"`
}

// J is a statement or an expression of the plan.
type J = map[string]any

// Error is a construct the device target does not support; the driver
// reports it as an UnsupportedError at the function (Line, when known).
type Error struct {
	Msg, Hint string
	Line      int
	Col       int // the column, when known (else the line's first)
}

func (e *Error) Error() string { return e.Msg }

// Program prints p for an OpenCL device.
func Program(p *ir.Program, opts Options) (u *Unit, err error) {
	o := &outliner{prog: p, opts: opts, ep: &exprPrinter{tgt: opts.Target}}
	defer func() {
		if r := recover(); r != nil {
			switch r := r.(type) {
			case *Error:
				u, err = nil, r
			case *unavailable:
				u, err = nil, &Error{Msg: r.why, Hint: o.hint, Line: o.srcLine}
			default:
				panic(r)
			}
			if e, ok := err.(*Error); ok && opts.Target != OpenCL {
				e.Msg = strings.ReplaceAll(e.Msg, "OpenCL devices", opts.Target.String()+" devices")
			}
		}
	}()
	for _, g := range p.Funcs[1:] {
		if !g.Cold {
			fail("calls of other jitted functions on a device are not built yet", "inline the callee")
		}
	}
	f := p.Entry()
	o.f = f
	table, ids := p.Messages()
	o.msgIDs = ids
	plan := &Plan{}
	for _, m := range table {
		plan.Messages = append(plan.Messages, Message{Err: int(m.Err), Text: m.Text, Line: m.Line})
	}
	for _, v := range f.Params {
		plan.Params = append(plan.Params, v.Name)
	}
	for _, v := range f.Locals {
		if v.Type.Kind != types.Array {
			plan.Locals = append(plan.Locals, Local{v.Name, v.Type.DType.String()})
		}
	}
	o.plan = plan
	plan.Body = o.host(f.Body)
	if opts.Target == CUDA {
		return o.cudaUnit(), nil
	}
	var b strings.Builder
	b.WriteString("/* generated by sejit */\n")
	if o.ep.fp64 {
		b.WriteString("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n")
	}
	if !opts.FastMath {
		b.WriteString("#pragma OPENCL FP_CONTRACT OFF\n")
	}
	kernels := o.src.String()
	b.WriteString(selectPrelude(kernels, OpenCL))
	b.WriteString(o.atomicPrelude())
	b.WriteString(kernels)
	return &Unit{Source: b.String(), Plan: plan, FP64: o.ep.fp64}, nil
}

func fail(msg, hint string) { panic(&Error{Msg: msg, Hint: hint}) }

type outliner struct {
	prog   *ir.Program
	f      *ir.Func
	opts   Options
	ep     *exprPrinter
	plan   *Plan
	msgIDs map[*ir.Check]int
	src    strings.Builder
	ind    int
	// srcLine and hint place an unavailable construct (the last check's line).
	srcLine int
	hint    string
	// pending holds the accumulators whose starting value reads an array
	// (lowering's min and max start at the first element): the reduction
	// kernel that follows evaluates it (reduce.go).
	pending map[*ir.Var]ir.Expr
	// accOf maps the accumulators of the reduction kernel being printed to
	// their accumulation; checks inside it jump to the group's tree
	// instead of returning (every work-item must reach its barriers).
	accOf map[*ir.Var]*analysis.Accumulation
	// funcs indexes the plans of called functions (Plan.Funcs).
	funcs map[*ir.Func]int
	// atomics are the helpers the kernels' atomics call, by name (workgroup.go).
	atomics map[string]string
	// local holds the local arrays (and names given to them) of the kernel
	// being printed.
	local map[*ir.Var]bool
	// dead says the kernel has barriers, so failed checks set sejit_dead
	// rather than return; checked that a check was printed, after which
	// the statements run only while the work-item is not dead.
	// inner says whether a work-item may be dead on entering the nested
	// bodies of the statement being printed; guardCheck, whether the check
	// being printed may run in a dead work-item (deadStmts).
	dead, inner, guardCheck bool
	// loops counts the loops around the statement being printed.
	loops int
}

// host turns statements of the entry into plan statements.
func (o *outliner) host(body []ir.Stmt) []J {
	out := []J{}
	// A pending accumulator that no reduction consumed is an element the
	// host cannot read: hexpr refuses it, failing the whole program.
	var waiting []*ir.Var
	defer func() {
		for _, v := range waiting {
			if e, ok := o.pending[v]; ok {
				o.hexpr(e)
			}
		}
	}()
	for i, s := range body {
		switch s := s.(type) {
		case *ir.Assign:
			if hasLoad(s.Src) && reductionFollows(body[i+1:], s.Dst) {
				if o.pending == nil {
					o.pending = map[*ir.Var]ir.Expr{}
				}
				o.pending[s.Dst] = s.Src
				waiting = append(waiting, s.Dst)
				continue
			}
			out = append(out, J{"s": "assign", "dst": s.Dst.Name, "e": o.hexpr(s.Src)})
		case *ir.Check:
			o.srcLine = s.Line
			args := []J{}
			for _, a := range s.Args {
				args = append(args, o.hexpr(a))
			}
			out = append(out, J{"s": "check", "cond": o.hexpr(s.Cond), "msg": o.msgIDs[s], "args": args})
		case *ir.If:
			out = append(out, J{"s": "if", "cond": o.hexpr(s.Cond), "then": o.host(s.Then), "else": o.host(s.Else)})
		case *ir.While:
			out = append(out, J{"s": "while", "cond": o.hexpr(s.Cond), "body": o.host(s.Body)})
		case *ir.For:
			// A loop whose scalars carry a value out (its variable's copy
			// read after it, say) stays on the host, as a loop of launches.
			if n := independentLoop(s); n != nil && o.ownsScalars(n, s) {
				out = append(out, o.kernel(n, s))
				continue
			}
			if n := prangeNest(s); n != nil {
				out = append(out, o.kernel(n, s))
				continue
			}
			// A loop reading device arrays whose iterations are independent,
			// or only accumulate; loops of scalars alone stay on the host.
			if n := forNest(s); n != nil && readsArrays(n.Body) && ((independentNest(n) && o.ownsScalars(n, s)) || o.reducible(n, s)) {
				out = append(out, o.kernel(n, s))
				continue
			}
			if s.Parallel {
				fail("prange loops on a device are not built yet",
					"write the loop body as an array statement, which runs as a kernel")
			}
			out = append(out, J{"s": "for", "var": s.Var.Name, "start": o.hexpr(s.Start), "stop": o.hexpr(s.Stop),
				"step": o.hexpr(s.Step), "body": o.host(s.Body)})
		case *ir.Nest:
			out = append(out, o.kernel(s, s))
		case *ir.Store:
			// One element written by the host's code (a reduction's result
			// kept in an array): a kernel of one work-item.
			one := &ir.Var{Name: "sejit_i", Type: types.ScalarOf(types.Int64), Param: -1}
			out = append(out, o.kernel(&ir.Nest{Vars: []*ir.Var{one}, Bounds: []ir.Expr{ir.IntConst(1)}, Body: []ir.Stmt{s}}, s))
		case *ir.SetArray:
			out = append(out, o.setArray(s))
		case *ir.Break:
			out = append(out, J{"s": "break"})
		case *ir.Continue:
			out = append(out, J{"s": "continue"})
		case *ir.Return:
			vals := []J{}
			for _, v := range s.Vals {
				if ar, ok := v.(*ir.ArrayRef); ok {
					vals = append(vals, J{"array": ar.Var.Name})
				} else {
					// The dtype decides the Python type of the result, as on
					// the CPU (a NumPy scalar but for float64, int64 and bool).
					j := o.hexpr(v)
					if _, has := j["t"]; !has {
						j["t"] = ir.TypeOf(v).DType.String()
					}
					vals = append(vals, j)
				}
			}
			out = append(out, J{"s": "return", "vals": vals})
		case *ir.Call:
			if s.Func.Extern != nil && blasHelpers[s.Func.Helper] {
				// BLAS is the CPU runtime's: the helper reports it did not
				// compute, and the loop nest lowering put under it runs.
				for _, v := range s.Dsts {
					zero := &ir.Const{Type: v.Type}
					out = append(out, J{"s": "assign", "dst": v.Name, "e": o.hexpr(zero)})
				}
				continue
			}
			if s.Func.Cold && s.Func.Extern == nil {
				// The variant that stretches extents of 1 (lower/broadcast.go):
				// a plan of its own, whose nests are kernels like the entry's.
				out = append(out, o.call(s))
				continue
			}
			if s.Func.Extern != nil {
				fail(fmt.Sprintf("NumPy's %s on a device is not built yet", s.Func.Helper),
					"call it on a NumPy array (x.get()) outside the jitted function")
			}
			fail("calls of other jitted functions on a device are not built yet", "inline the callee")
		case *ir.Print:
			fail("print on a device", "print after the call, on the host")
		case *ir.Try:
			// Kernels report a failure through an error buffer read
			// after the launch, too late for a handler of the host plan.
			panic(&Error{Msg: "try statements on a device are not supported",
				Hint: "catch the exception around the call, in Python", Line: s.Line, Col: s.Col})
		case *ir.Barrier, *ir.Atomic:
			fail("sejit.barrier() and the atomics belong in the body of a kernel's work-items", "")
		default:
			panic(fmt.Sprintf("clgen: unknown statement %T", s))
		}
	}
	return out
}

func (o *outliner) setArray(s *ir.SetArray) J {
	v := s.Dst
	if v.Type.DType.IsComplex() && o.opts.Target == CUDA {
		panic(&unavailable{errComplex})
	}
	switch d := s.Src.(type) {
	case *ir.Alloc:
		shape := []J{}
		for _, e := range d.Shape {
			shape = append(shape, o.hexpr(e))
		}
		return J{"s": "alloc", "dst": v.Name, "dtype": d.DType.String(), "shape": shape}
	case *ir.View:
		changes := d.Base.Type.DType != v.Type.DType
		if changes && o.opts.Target == CUDA {
			panic(&unavailable{errComplex}) // only the parts of a complex array change dtype
		}
		shape, strides := []J{}, []J{}
		for k := range d.Shape {
			shape = append(shape, o.hexpr(d.Shape[k]))
			strides = append(strides, o.hexpr(d.Strides[k]))
		}
		j := J{"s": "view", "dst": v.Name, "base": d.Base.Name, "offset": o.hexpr(d.Offset), "shape": shape, "strides": strides}
		if changes {
			// The real or imaginary parts of a complex array: offset and
			// strides count parts (the host scales the base's offset).
			j["dtype"] = v.Type.DType.String()
		}
		return j
	case *ir.Alias:
		return J{"s": "alias", "dst": v.Name, "src": d.Src.Name}
	case *ir.LocalAlloc:
		fail("sejit.local_array() belongs in the body of a kernel's work-items", "")
	}
	panic(fmt.Sprintf("clgen: unknown array definition %T", s.Src))
}

// hostFns are the intrinsics the host plan evaluates: extents and counts,
// and the checks of a Python number's power (lower/pypow.go).
var hostFns = map[ir.Fn]bool{ir.FnMin: true, ir.FnMax: true, ir.FnCeilDiv: true,
	ir.FnIsinf: true, ir.FnIsnan: true, ir.FnIsfinite: true, ir.FnImag: true, ir.FnFloor: true}

// hexpr turns an expression the host evaluates into the plan's form.
func (o *outliner) hexpr(e ir.Expr) J {
	switch e := e.(type) {
	case *ir.Const:
		d := e.Type.DType
		switch {
		case d.IsComplex():
			if o.opts.Target == CUDA {
				panic(&unavailable{errComplex})
			}
			return J{"c": floatJSON(e.F), "ci": floatJSON(e.Im), "t": d.String()}
		case d.IsFloat():
			return J{"c": floatJSON(e.F), "t": d.String()}
		case d.IsUnsigned():
			return J{"c": fmt.Sprint(e.U), "t": d.String()}
		}
		return J{"c": fmt.Sprint(e.I), "t": d.String()}
	case *ir.Ref:
		return J{"v": e.Var.Name}
	case *ir.Dim:
		return J{"dim": e.Arr.Name, "axis": e.Axis}
	case *ir.Stride:
		return J{"stride": e.Arr.Name, "axis": e.Axis}
	case *ir.Bin:
		return J{"op": e.Op.String(), "x": o.hexpr(e.X), "y": o.hexpr(e.Y), "t": ir.TypeOf(e).DType.String(),
			"xt": ir.TypeOf(e.X).DType.String()}
	case *ir.Unary:
		return J{"op": e.Op.String(), "x": o.hexpr(e.X), "t": e.T.DType.String()}
	case *ir.Cast:
		return J{"cast": o.hexpr(e.X), "t": e.T.DType.String()}
	case *ir.Select:
		return J{"sel": []J{o.hexpr(e.Cond), o.hexpr(e.X), o.hexpr(e.Y)}}
	case *ir.Intrinsic:
		if !hostFns[e.Fn] {
			fail(fmt.Sprintf("%s of scalars outside array statements on a device is not built yet", e.Fn),
				"compute it inside an array statement, or pass its value as an argument")
		}
		args := []J{}
		for _, a := range e.Args {
			args = append(args, o.hexpr(a))
		}
		return J{"fn": e.Fn.String(), "args": args, "t": e.T.DType.String()}
	case *ir.Overlap:
		return J{"overlap": []string{e.A.Name, e.B.Name}}
	case *ir.Load:
		fail(fmt.Sprintf("reading an element of device array %s outside an array statement", e.Arr.Name),
			"on a device, elements are read inside whole-array statements (kernels); "+
				"bring the array to the host with x.get() to index it element by element")
	case *ir.ArrayRef:
		fail("an array value in a scalar expression on a device", "")
	}
	panic(fmt.Sprintf("clgen: unknown expression %T", e))
}

func floatJSON(f float64) string { return fmt.Sprintf("%x", f) } // Python: float.fromhex

// mentionsOutside lists the variables mentioned in the entry outside nest n.
func (o *outliner) mentionsOutside(n ir.Stmt) map[*ir.Var]bool {
	out := map[*ir.Var]bool{}
	// own holds the variables of the loops around the statement being
	// walked: another loop over the same variable (the copy that loop
	// versioning makes, say) binds it afresh, which is no use of n's.
	var walk func(body []ir.Stmt, own map[*ir.Var]bool)
	walk = func(body []ir.Stmt, own map[*ir.Var]bool) {
		for _, s := range body {
			if s == n {
				continue
			}
			inner := own
			switch s := s.(type) {
			case *ir.For:
				inner = with(own, s.Var)
			case *ir.Nest:
				inner = with(own, s.Vars...)
			}
			for _, v := range ir.Binds(s) {
				if !inner[v] {
					out[v] = true
				}
			}
			ir.OwnExprs(s, func(e ir.Expr) {
				if r, ok := e.(*ir.Ref); ok && !inner[r.Var] {
					out[r.Var] = true
				}
			})
			switch s := s.(type) {
			case *ir.If:
				walk(s.Then, own)
				walk(s.Else, own)
			case *ir.While:
				walk(s.Body, own)
			case *ir.For:
				walk(s.Body, inner)
			case *ir.Nest:
				walk(s.Body, inner)
			}
		}
	}
	walk(o.f.Body, map[*ir.Var]bool{})
	return out
}

// shared lists the variables nest n, outlined from orig, shares with the
// rest of the entry: those mentioned outside orig (mentionsOutside), less
// the scalars private to n's iterations. A scalar that each iteration of n
// assigns before reading it, and that no code after orig reads before
// assigning it again (ir.LiveAfter), carries no value in or out of the
// nest: it is a temporary of the work-item, whatever else names it. The
// two copies of a loop that bounds-check hoisting versions assign the same
// temporaries (v_i = k; t_1 = add(v_i, v_k)), each in its own
// iterations, and neither copy is then a reduction into the other's.
func (o *outliner) shared(n *ir.Nest, orig ir.Stmt) map[*ir.Var]bool {
	out := o.mentionsOutside(orig)
	exposed := ir.ReadsBeforeAssign(n.Body)
	var live map[*ir.Var]bool
	found := true
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			if !out[v] || exposed[v] || v.Type.Kind != types.Scalar || !found {
				continue
			}
			if live == nil {
				live, found = ir.LiveAfter(o.f.Body, orig)
				if !found {
					continue
				}
			}
			if !live[v] {
				delete(out, v)
			}
		}
	}, nil)
	return out
}

// ownsScalars reports whether every scalar nest n (outlined from orig)
// assigns is private to its iterations: none is shared with the rest of
// the entry.
func (o *outliner) ownsScalars(n *ir.Nest, orig ir.Stmt) bool {
	shared := o.shared(n, orig)
	ok := true
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			if shared[v] && v.Type.Kind == types.Scalar {
				ok = false
			}
		}
	}, nil)
	return ok
}

// with is own and vs.
func with(own map[*ir.Var]bool, vs ...*ir.Var) map[*ir.Var]bool {
	out := make(map[*ir.Var]bool, len(own)+len(vs))
	for v := range own {
		out[v] = true
	}
	for _, v := range vs {
		out[v] = true
	}
	return out
}

// kernel outlines nest n into a kernel and returns its launch (a
// reduction's, reduce.go, when n accumulates into scalars read after it).
func (o *outliner) kernel(n *ir.Nest, orig ir.Stmt) J {
	nd := len(n.Vars)
	if nd > 3 {
		fail(fmt.Sprintf("an array statement over %d axes on a device (at most 3 yet)", nd),
			"reshape the arrays to at most 3 axes")
	}
	var red *reduction
	if accs, ok := o.reductionOf(n, orig); ok {
		red = &reduction{accs: accs, init: map[*ir.Var]ir.Expr{}}
		o.accOf = map[*ir.Var]*analysis.Accumulation{}
		for i := range accs {
			o.accOf[accs[i].Var] = &accs[i]
			if accs[i].Index != nil {
				o.accOf[accs[i].Index] = &accs[i]
			}
			if e, ok := o.pending[accs[i].Var]; ok {
				red.init[accs[i].Var] = e
				delete(o.pending, accs[i].Var)
			}
		}
		defer func() { o.accOf = nil }()
	}
	k := &Kernel{Name: fmt.Sprintf("sejit_k%d", len(o.plan.Kernels)), NDim: nd}
	o.plan.Kernels = append(o.plan.Kernels, k)

	private := map[*ir.Var]bool{}
	for _, v := range n.Vars {
		private[v] = true
	}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		for _, v := range ir.Binds(s) {
			private[v] = true
		}
	}, nil)
	// A scalar of the host converted inside the nest (a weak Python float
	// meeting float32 elements) is converted once by the host and passed
	// converted: a float32 program then needs no fp64 on the device.
	var hoisted []J
	hoistedVar := map[string]*ir.Var{}
	ir.MapStmts(n.Body, func(e ir.Expr) ir.Expr {
		c, ok := e.(*ir.Cast)
		if !ok {
			return nil
		}
		r, ok := c.X.(*ir.Ref)
		if !ok || private[r.Var] {
			return nil
		}
		name := r.Var.Name + "_" + c.T.DType.String()
		v := hoistedVar[name]
		if v == nil {
			v = &ir.Var{Name: name, Type: c.T, Param: -1}
			hoistedVar[name] = v
			hoisted = append(hoisted, J{"s": "assign", "dst": name, "e": o.hexpr(c)})
		}
		return &ir.Ref{Var: v}
	})
	var arrays, scalars []*ir.Var
	var locArrs []localArray
	var locAliases []*ir.SetArray // names given to local arrays (tile = sejit.local_array(...))
	seenA, seenS := map[*ir.Var]bool{}, map[*ir.Var]bool{}
	o.local = map[*ir.Var]bool{}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		sa, ok := s.(*ir.SetArray)
		if !ok || !o.opts.Kernel {
			return
		}
		switch d := sa.Src.(type) {
		case *ir.LocalAlloc:
			if o.local[sa.Dst] {
				fail(fmt.Sprintf("the local array %s is made twice in a kernel", sa.Dst.Name), "")
			}
			o.local[sa.Dst] = true
			seenA[sa.Dst] = true
			locArrs = append(locArrs, localArray{v: sa.Dst, shape: d.Shape})
		case *ir.Alias:
			if o.local[d.Src] {
				o.local[sa.Dst] = true
				seenA[sa.Dst] = true
				locAliases = append(locAliases, sa)
			}
		}
	}, nil)
	hasChecks, hasBarrier := false, false
	noteArray := func(a *ir.Var) {
		if !seenA[a] {
			seenA[a] = true
			arrays = append(arrays, a)
		}
	}
	visitExpr := func(e ir.Expr) {
		switch e := e.(type) {
		case *ir.Load:
			noteArray(e.Arr)
		case *ir.Dim:
			noteArray(e.Arr)
		case *ir.Stride:
			noteArray(e.Arr)
		case *ir.Ref:
			if !seenS[e.Var] {
				seenS[e.Var] = true
				scalars = append(scalars, e.Var)
			}
		}
	}
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Barrier:
			hasBarrier = true
		case *ir.Nest:
			fail("an array statement nested in another on a device", "")
		case *ir.SetArray:
			if !o.local[s.Dst] {
				fail("a view or an allocation inside an array statement on a device", "")
			}
		case *ir.Atomic:
			if !seenA[s.Arr] {
				seenA[s.Arr] = true
				arrays = append(arrays, s.Arr)
			}
		case *ir.Call, *ir.Print, *ir.Return:
			fail(fmt.Sprintf("%s inside an array statement on a device", stmtName(s)), "")
		case *ir.Try:
			panic(&Error{Msg: "try statements on a device are not supported",
				Hint: "catch the exception around the call, in Python", Line: s.Line, Col: s.Col})
		case *ir.Check:
			hasChecks = true
			if len(s.Args) > MaxCheckArgs {
				fail("a check with more than 8 operands on a device", "")
			}
		case *ir.Store:
			noteArray(s.Arr)
		}
		for _, v := range ir.Binds(s) {
			private[v] = true
		}
	}, visitExpr)
	var initVars []*ir.Var
	if red != nil {
		for _, e := range red.init {
			ir.VisitExpr(e, visitExpr)
		}
		initVars = red.initVars()
	}
	outside := o.shared(n, orig)
	for _, v := range n.Vars {
		if outside[v] {
			fail(fmt.Sprintf("the loop variable %s is used after the loop on a device", v.Name), "")
		}
	}
	var locals []*ir.Var
	for v := range private {
		isVar := false
		for _, nv := range n.Vars {
			isVar = isVar || nv == v
		}
		if isVar || (red != nil && o.accOf[v] != nil) || v.Type.Kind == types.Array {
			continue
		}
		if outside[v] {
			fail(fmt.Sprintf("a reduction into %s on a device is not built yet", v.Name),
				"accumulate with +=, *=, min or max into a scalar assigned only there; "+
					"or compute it on the host for now")
		}
		locals = append(locals, v)
	}
	sortVars(locals)
	var free []*ir.Var
	for _, v := range scalars {
		if !private[v] {
			if e, ok := o.pending[v]; ok {
				o.hexpr(e)
			}
			free = append(free, v)
		}
	}

	// The signature and the launch's arguments, in the same order.
	var params []string
	for _, a := range arrays {
		if a.Type.DType.IsComplex() && o.opts.Target == CUDA {
			panic(&unavailable{errComplex})
		}
		o.ep.note(a.Type.DType)
		params = append(params, fmt.Sprintf("%s%s *%s_b", o.global(), o.ep.mem(a.Type.DType), a.Name), "long "+a.Name+"_o")
		for d := 0; d < a.Type.NDim; d++ {
			params = append(params, fmt.Sprintf("long %s_n%d", a.Name, d))
		}
		for d := 0; d < a.Type.NDim; d++ {
			params = append(params, fmt.Sprintf("long %s_s%d", a.Name, d))
		}
		k.Args = append(k.Args, J{"array": a.Name, "ndim": a.Type.NDim})
	}
	for _, v := range free {
		o.ep.note(v.Type.DType)
		params = append(params, o.ep.mem(v.Type.DType)+" "+v.Name)
		k.Args = append(k.Args, J{"scalar": v.Name, "dtype": v.Type.DType.String()})
	}
	for _, v := range initVars {
		o.ep.note(v.Type.DType)
		params = append(params, o.ep.mem(v.Type.DType)+" "+v.Name+"_init")
		k.Args = append(k.Args, J{"scalar": v.Name, "dtype": v.Type.DType.String()})
	}
	for i := range locArrs {
		locArrs[i].shape = localShape(n, locArrs[i].shape, private)
		params = o.localParams(k, locArrs[i], params)
	}
	global := []J{}
	for i := range n.Vars {
		params = append(params, fmt.Sprintf("long sejit_g%d", i))
		k.Args = append(k.Args, J{"global": i})
		global = append(global, o.hexpr(n.Bounds[i]))
	}
	// A kernel with barriers or work-group memory runs one work-item per
	// id, in work-groups of the size its launch gives; other element-wise
	// kernels run chunks (chunkedBody), reductions their trees.
	group := o.opts.Kernel && (hasBarrier || len(locArrs) > 0)
	var slots []slot
	if red == nil && !group {
		params = append(params, "long sejit_chunk")
		k.Args = append(k.Args, J{"chunk": true})
		k.Chunked = true
	} else if red != nil {
		slots = slotsOf(red.accs)
		for j, s := range slots {
			params = append(params, fmt.Sprintf("%s%s *sejit_p%d", o.global(), o.ep.mem(s.v().Type.DType), j))
			k.Args = append(k.Args, J{"partial": j})
		}
	}
	if hasChecks {
		params = append(params, o.global()+"int *sejit_err")
		k.Args = append(k.Args, J{"err": true})
		k.Checks = true
	}
	o.line("")
	o.line("%s void %s(%s) {", o.kernelQualifier(), k.Name, strings.Join(params, ", "))
	o.ind++
	switch {
	case group:
		o.groupBody(n, arrays, locals, locArrs, locAliases, hasBarrier)
	case red == nil:
		o.chunkedBody(n, arrays, locals)
	default:
		o.line("long sejit_l = %s;", o.localID())
		o.line("long sejit_b = %s * %d + sejit_l * %d;", o.groupID(), ReducePer*ReduceWG, ReducePer)
		total := []string{}
		for i := range n.Vars {
			total = append(total, fmt.Sprintf("sejit_g%d", i))
		}
		o.line("long sejit_n = %s;", strings.Join(total, " * "))
		o.reduceDecls(slots)
		for _, v := range n.Vars {
			o.line("long %s;", v.Name)
		}
		for _, a := range arrays {
			o.line("%s%s *%s_d = %s_b + %s_o;", o.global(), o.ep.mem(a.Type.DType), a.Name, a.Name, a.Name)
		}
		for _, v := range locals {
			o.line("%s %s = 0;", o.ep.ty(v.Type.DType), v.Name)
		}
		o.reductionBody(n, red)
	}
	o.ind--
	o.line("}")
	launch := J{"s": "launch", "kernel": len(o.plan.Kernels) - 1, "global": global}
	if red != nil {
		cname := k.Name + "_c"
		o.plan.Kernels = append(o.plan.Kernels, &Kernel{Name: cname, NDim: 1})
		o.combineKernel(cname, slots)
		accs := []J{}
		for _, s := range slots {
			accs = append(accs, J{"var": s.v().Name, "dtype": s.v().Type.DType.String()})
		}
		launch = J{"s": "reduce", "kernel": len(o.plan.Kernels) - 2, "combine": len(o.plan.Kernels) - 1,
			"global": global, "accs": accs, "wg": ReduceWG, "per": ReducePer}
		// A counter ends at its start plus the iteration count.
		for _, a := range red.accs {
			if a.Counter {
				launch["after"] = append(asList(launch["after"]), J{"s": "assign", "dst": a.Var.Name,
					"e": J{"op": "add", "x": J{"v": a.Var.Name}, "y": product(global), "t": a.Var.Type.DType.String(),
						"xt": a.Var.Type.DType.String()}})
			}
		}
	}
	if group {
		// The driver's last three parameters are the local size along
		// dimensions 0, 1, 2; Vars[i] is dimension nd-1-i. Without barriers
		// and work-group memory nothing observes the grouping (local ids
		// are computed from the global ones), so the driver picks it.
		ps := o.f.Params
		local := []J{}
		for i := range n.Vars {
			local = append(local, J{"v": ps[len(ps)-3+nd-1-i].Name})
		}
		launch["local"] = local
	}
	if len(hoisted) > 0 {
		launch["before"] = hoisted
	}
	return launch
}

// groupBody prints the body of a kernel with barriers or work-group memory:
// one work-item per id.
func (o *outliner) groupBody(n *ir.Nest, arrays, locals []*ir.Var, locArrs []localArray, locAliases []*ir.SetArray,
	hasBarrier bool) {
	nd := len(n.Vars)
	var guard []string
	for i, v := range n.Vars {
		o.line("long %s = %s;", v.Name, o.globalID(nd-1-i))
		guard = append(guard, fmt.Sprintf("%s >= sejit_g%d", v.Name, i))
	}
	// A work-group with barriers must not lose work-items on the way: an
	// early return before a barrier is undefined in OpenCL, and PoCL
	// miscompiles the work-group even when no work-item takes it. Its
	// launch covers the ids exactly (the global size is a multiple of the
	// local one), so it needs no guard, and a failed check marks the
	// work-item dead instead of returning (stmts, check).
	o.dead, o.inner = hasBarrier, false
	if hasBarrier {
		o.line("int sejit_dead = 0;")
	} else {
		o.line("if (%s) return;", strings.Join(guard, " || "))
	}
	for _, a := range arrays {
		o.line("%s%s *%s_d = %s_b + %s_o;", o.global(), o.ep.mem(a.Type.DType), a.Name, a.Name, a.Name)
	}
	for _, la := range locArrs {
		a := la.v
		o.line("%s%s *%s_d = %s_b;", o.localSpace(), o.ep.mem(a.Type.DType), a.Name, a.Name)
	}
	for _, sa := range locAliases {
		a, src := sa.Dst, sa.Src.(*ir.Alias).Src
		o.line("%s%s *%s_d = %s_d;", o.localSpace(), o.ep.mem(a.Type.DType), a.Name, src.Name)
		for d := 0; d < a.Type.NDim; d++ {
			o.line("long %s_n%d = %s_n%d, %s_s%d = %s_s%d;", a.Name, d, src.Name, d, a.Name, d, src.Name, d)
		}
	}
	for _, v := range locals {
		o.line("%s %s = 0;", o.ep.ty(v.Type.DType), v.Name)
	}
	o.stmts(n.Body)
	o.dead = false
}

// chunkedBody prints the body of an element-wise kernel: the outer
// variables are work-item ids, and the innermost runs over the work-item's
// chunk of iterations (Kernel.Chunked).
func (o *outliner) chunkedBody(n *ir.Nest, arrays, locals []*ir.Var) {
	nd := len(n.Vars)
	var guard []string
	inner := n.Vars[nd-1]
	for i, v := range n.Vars[:nd-1] {
		o.line("long %s = %s;", v.Name, o.globalID(nd-1-i))
		guard = append(guard, fmt.Sprintf("%s >= sejit_g%d", v.Name, i))
	}
	o.line("long sejit_lo = %s * sejit_chunk;", o.globalID(0))
	o.line("long sejit_hi = sejit_lo + sejit_chunk < sejit_g%d ? sejit_lo + sejit_chunk : sejit_g%d;", nd-1, nd-1)
	if len(guard) > 0 {
		o.line("if (%s) return;", strings.Join(guard, " || "))
	}
	for _, a := range arrays {
		o.line("%s%s *%s_d = %s_b + %s_o;", o.global(), o.ep.mem(a.Type.DType), a.Name, a.Name, a.Name)
	}
	chunk := func() {
		o.line("for (long %s = sejit_lo; %s < sejit_hi; %s++) {", inner.Name, inner.Name, inner.Name)
		o.ind++
		for _, v := range locals {
			o.line("%s %s = 0;", o.ep.ty(v.Type.DType), v.Name)
		}
		// An iteration's own continue (a bare return of sejit.kernel's
		// body) goes on with the chunk's next iteration.
		o.loops++
		o.stmts(n.Body)
		o.loops--
		o.ind--
		o.line("}")
	}
	// When every array's last axis is contiguous (the common case) the
	// chunk runs a copy of the loop that indexes that axis without its
	// stride, which the device compiler can vectorize; otherwise the
	// general loop.
	var unit []string
	for _, a := range arrays {
		if a.Type.NDim > 0 {
			unit = append(unit, fmt.Sprintf("%s_s%d == 1", a.Name, a.Type.NDim-1))
		}
	}
	if len(unit) == 0 {
		chunk()
		return
	}
	o.line("if (%s) {", strings.Join(unit, " && "))
	o.ind++
	o.ep.unit = map[*ir.Var]bool{}
	for _, a := range arrays {
		o.ep.unit[a] = true
	}
	chunk()
	o.ep.unit = nil
	o.ind--
	o.line("} else {")
	o.ind++
	chunk()
	o.ind--
	o.line("}")
}

// independentLoop returns a for loop of the user's (or of lowering, such
// as the normalisation of an index array) as a nest when its iterations
// are independent, which this conservative test proves: the loop runs
// from 0 by 1, its body is assignments, stores and checks (and ifs of
// them), every store indexes a 1-D array by the loop variable alone (or by
// the copy of it the body makes first, loopCopies), no array it stores is
// read in the body, and every scalar it assigns is assigned at the top
// level of the body before any read of it. The host keeps a loop whose
// scalars are read after it (ownsScalars).
func independentLoop(f *ir.For) *ir.Nest {
	if f.Parallel || f.Sign != 1 || !isConst(f.Start, 0) || !isConst(f.Step, 1) {
		return nil
	}
	stored, loaded := map[*ir.Var]bool{}, map[*ir.Var]bool{}
	copies := loopCopies(f.Body, []*ir.Var{f.Var})
	ok := true
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		switch s := s.(type) {
		case *ir.Assign, *ir.Check, *ir.If:
		case *ir.Store:
			r, isRef := s.Idx[0].(*ir.Ref)
			if len(s.Idx) != 1 || !isRef || (r.Var != f.Var && copies[r.Var] != f.Var) {
				ok = false
			}
			stored[s.Arr] = true
		default:
			ok = false
		}
	}, func(e ir.Expr) {
		if l, isLoad := e.(*ir.Load); isLoad {
			loaded[l.Arr] = true
		}
	})
	for a := range stored {
		if loaded[a] {
			ok = false
		}
	}
	assigned := map[*ir.Var]bool{}
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		if a, isAssign := s.(*ir.Assign); isAssign {
			assigned[a.Dst] = true
		}
	}, nil)
	defined := map[*ir.Var]bool{}
	for _, s := range f.Body {
		ir.OwnExprs(s, func(e ir.Expr) {
			if r, isRef := e.(*ir.Ref); isRef && assigned[r.Var] && !defined[r.Var] {
				ok = false
			}
		})
		if a, isAssign := s.(*ir.Assign); isAssign {
			defined[a.Dst] = true
		}
		if i, isIf := s.(*ir.If); isIf {
			ir.VisitStmts(append(append([]ir.Stmt{}, i.Then...), i.Else...), nil, func(e ir.Expr) {
				if r, isRef := e.(*ir.Ref); isRef && assigned[r.Var] && !defined[r.Var] {
					ok = false
				}
			})
		}
	}
	if !ok {
		return nil
	}
	return &ir.Nest{Vars: []*ir.Var{f.Var}, Bounds: []ir.Expr{f.Stop}, Body: f.Body}
}

func isConst(e ir.Expr, v int64) bool {
	c, ok := e.(*ir.Const)
	return ok && c.Type.DType.IsInt() && c.I == v
}

func stmtName(s ir.Stmt) string {
	switch s.(type) {
	case *ir.Call:
		return "a function call"
	case *ir.Print:
		return "print"
	}
	return "return"
}

func (o *outliner) line(format string, args ...any) {
	if format != "" {
		o.src.WriteString(strings.Repeat("    ", o.ind))
		fmt.Fprintf(&o.src, format, args...)
	}
	o.src.WriteString("\n")
}

// stmts prints statements inside a kernel.
func (o *outliner) stmts(body []ir.Stmt) {
	if o.dead {
		o.deadStmts(body, o.inner)
		return
	}
	for _, s := range body {
		o.stmt(s)
	}
}

// deadStmts prints body in a kernel with barriers, where a failed check
// marks the work-item dead (check): after a check that may have failed
// (maybeDead), the statements run in "if (!sejit_dead)" blocks, except
// those holding a barrier, which every work-item must reach; their own
// bodies learn through o.inner whether the work-item may be dead there.
func (o *outliner) deadStmts(body []ir.Stmt, maybeDead bool) {
	open := false
	closeGroup := func() {
		if open {
			o.ind--
			o.line("}")
			open = false
		}
	}
	saved := o.inner
	defer func() { o.inner = saved }()
	for _, s := range body {
		_, isCheck := s.(*ir.Check)
		_, isLoop := s.(*ir.For)
		_, isWhile := s.(*ir.While)
		switch {
		case isCheck:
			closeGroup()
			o.guardCheck = maybeDead
			o.stmt(s)
			maybeDead = true
			continue
		case hasBarrier(s):
			closeGroup()
			// An earlier iteration may have died in the loop's body.
			o.inner = maybeDead || (isLoop || isWhile) && hasCheck(s)
			o.stmt(s)
			maybeDead = maybeDead || hasCheck(s)
			continue
		}
		if maybeDead && !touchesMemory(s) {
			// Scalar work (a barrier loop's counter, say) runs in a dead
			// work-item too, so that it keeps in step with its group.
			closeGroup()
			o.inner = false
			o.stmt(s)
			continue
		}
		if maybeDead && !open {
			o.line("if (!sejit_dead) {")
			o.ind++
			open = true
		}
		// Inside, the work-item is alive; a loop whose body can die leaves
		// at the top of the next iteration (stmt).
		o.inner = false
		o.stmt(s)
		if hasCheck(s) {
			closeGroup()
			maybeDead = true
		}
	}
	closeGroup()
}

// stmt prints one statement inside a kernel.
func (o *outliner) stmt(s ir.Stmt) {
	p := o.ep
	switch s := s.(type) {
	case *ir.Assign:
		if a := o.accOf[s.Dst]; a != nil {
			o.printUpdate(a, s) // a reduction's accumulator (reduce.go)
			return
		}
		o.line("%s = %s;", s.Dst.Name, p.expr(s.Src))
	case *ir.Store:
		src := p.expr(s.Src)
		if s.Arr.Type.DType == types.Bool {
			src = "(uchar)(" + src + ")"
		}
		o.line("%s_d[%s] = %s;", s.Arr.Name, p.offset(s.Arr, s.Idx), src)
	case *ir.If:
		if len(s.Then) == 2 {
			if a, ok := s.Then[0].(*ir.Assign); ok && o.accOf[a.Dst] != nil && o.accOf[a.Dst].Index != nil {
				o.printArgUpdate(o.accOf[a.Dst]) // an argmin/argmax candidate (reduce.go)
				return
			}
		}
		o.line("if (%s) {", bare(p.expr(s.Cond)))
		o.ind++
		o.stmts(s.Then)
		o.ind--
		if len(s.Else) > 0 {
			o.line("} else {")
			o.ind++
			o.stmts(s.Else)
			o.ind--
		}
		o.line("}")
	case *ir.While:
		o.line("while (%s) {", bare(p.expr(s.Cond)))
		o.ind++
		o.leaveIfDead(s)
		o.loops++
		o.stmts(s.Body)
		o.loops--
		o.ind--
		o.line("}")
	case *ir.For:
		v := s.Var.Name
		var cond string
		switch s.Sign {
		case 1:
			cond = fmt.Sprintf("%s < %s", v, p.expr(s.Stop))
		case -1:
			cond = fmt.Sprintf("%s > %s", v, p.expr(s.Stop))
		default:
			cond = fmt.Sprintf("(%s > 0) ? (%s < %s) : (%s > %s)", p.expr(s.Step), v, p.expr(s.Stop), v, p.expr(s.Stop))
		}
		o.line("for (%s = %s; %s; %s += %s) {", v, p.expr(s.Start), cond, v, p.expr(s.Step))
		o.ind++
		o.leaveIfDead(s)
		o.loops++
		o.stmts(s.Body)
		o.loops--
		o.ind--
		o.line("}")
	case *ir.Break:
		o.line("break;")
	case *ir.Continue:
		if o.loops == 0 {
			// The work-item's own iteration: a bare return of sejit.kernel's body.
			o.line("return;")
		} else {
			o.line("continue;")
		}
	case *ir.Check:
		o.srcLine = s.Line
		o.check(s)
	case *ir.SetArray:
		// A local array: a parameter of the kernel (workgroup.go).
	case *ir.Barrier:
		o.barrier()
	case *ir.Atomic:
		o.atomic(s, o.local[s.Arr])
	default:
		panic(fmt.Sprintf("clgen: unexpected statement %T in a kernel", s))
	}
}

// check prints a check that records the first failure in the error buffer.
func (o *outliner) check(s *ir.Check) {
	p := o.ep
	if o.dead && o.guardCheck {
		o.line("if (!sejit_dead && !(%s)) {", p.expr(s.Cond))
	} else {
		o.line("if (!(%s)) {", p.expr(s.Cond))
	}
	o.ind++
	o.line("if (%s(&sejit_err[0], 0, 1) == 0) {", o.atomicCAS())
	o.ind++
	o.line("sejit_err[1] = %d;", o.msgIDs[s])
	for i, a := range s.Args {
		t := fmt.Sprintf("sejit_v%d", i)
		o.line("{ long %s = (long)(%s); sejit_err[%d] = (int)%s; sejit_err[%d] = (int)(%s >> 32); }", t, p.expr(a), 2+2*i, t, 3+2*i, t)
	}
	o.ind--
	o.line("}")
	switch {
	case o.dead:
		o.line("sejit_dead = 1;")
	case o.accOf != nil:
		o.line("goto sejit_done;") // the group still combines (reduce.go)
	default:
		o.line("return;")
	}
	o.ind--
	o.line("}")
}

// leaveIfDead starts the body of a loop without barriers whose body has
// checks: a work-item that died in an iteration leaves the loop.
func (o *outliner) leaveIfDead(s ir.Stmt) {
	if o.dead && !hasBarrier(s) && hasCheck(s) {
		o.line("if (sejit_dead) break;")
	}
}

// touchesMemory reports a load, store or atomic in s (or nested in it).
func touchesMemory(s ir.Stmt) bool {
	found := false
	ir.VisitStmts([]ir.Stmt{s}, func(x ir.Stmt) {
		switch x.(type) {
		case *ir.Store, *ir.Atomic, *ir.Call:
			found = true
		}
	}, func(e ir.Expr) {
		if _, ok := e.(*ir.Load); ok {
			found = true
		}
	})
	return found
}

// bare drops the parentheses around a whole condition, so that an if
// does not read if ((a == b)), which clang warns about (and -Werror, in the
// golden tests, refuses).
func bare(c string) string {
	if len(c) < 2 || c[0] != '(' || c[len(c)-1] != ')' {
		return c
	}
	depth := 0
	for i, r := range c {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(c)-1 {
				return c // (a) && (b): the first parenthesis closes early
			}
		}
	}
	return c[1 : len(c)-1]
}

// hasCheck reports a check in s or nested in it.
func hasCheck(s ir.Stmt) bool {
	found := false
	ir.VisitStmts([]ir.Stmt{s}, func(x ir.Stmt) {
		_, ok := x.(*ir.Check)
		found = found || ok
	}, nil)
	return found
}

// hasBarrier reports a barrier in s or nested in it.
func hasBarrier(s ir.Stmt) bool {
	found := false
	ir.VisitStmts([]ir.Stmt{s}, func(x ir.Stmt) {
		_, ok := x.(*ir.Barrier)
		found = found || ok
	}, nil)
	return found
}
