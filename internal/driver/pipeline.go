package driver

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"sejit/internal/bytecode"
	"sejit/internal/cgen"
	"sejit/internal/clgen"
	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/lower"
	"sejit/internal/opt"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
	"sejit/internal/types"
)

// Compiled is the result of running the front and middle of the engine on a
// request: a C translation unit and how to call it.
type Compiled struct {
	CSource string // the whole translation unit, ABI header included
	Symbol  string // the exported entry point
	ABI     *ABI
	Explain string // typed tree, fused blocks and IR; filled when req.Explain
	OpenMP  bool   // the unit has parallel loops: build it with OpenMP
}

// compile runs decode → resolve → types → lower → opt → cgen.
// typedProgram runs the front end: decode the functions, classify the
// arguments, resolve every function (reporting every unsupported construct
// at once, nested definitions included) and infer the types of every
// specialization reached from the entry. Tests run the same steps through
// it before the phases they look at.
func typedProgram(req *Request) (*types.Program, diag.List) {
	funcs, errs := decodeFuncs(req)
	if len(errs) > 0 {
		return nil, errs
	}
	entry := funcs[req.Entry]
	args := make([]*types.Type, len(req.Args))
	for i, a := range req.Args {
		t, err := argType(a)
		if err != nil {
			errs.Add(diag.Errorf(entry.Pos(entry.Def.P), diag.Type, "argument %d: %v", i+1, err))
			return nil, errs
		}
		args[i] = t
	}
	ids := make([]string, 0, len(funcs))
	for id := range funcs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	errs = append(errs, resolve.InlineGenerators(funcs, req.Entry)...)
	for _, id := range ids {
		if funcs[id] == nil {
			continue // a generator, inlined where it is iterated
		}
		var strArgs map[string]string
		if id == req.Entry {
			strArgs = map[string]string{}
			for i, a := range req.Args {
				if a.Kind == "str" && !a.Runtime && i < len(entry.Def.Params) {
					if len(a.Value) > resolve.MaxStrArg {
						errs.Add(diag.Errorf(entry.Pos(entry.Def.Params[i].P), diag.Unsupported,
							"argument %d ('%s'): a str of %d bytes; str arguments are compile-time constants, at most %d bytes",
							i+1, entry.Def.Params[i].Name, len(a.Value), resolve.MaxStrArg))
						continue
					}
					strArgs[entry.Def.Params[i].Name] = a.Value
				}
			}
		}
		errs = append(errs, resolve.FoldStrings(funcs[id], strArgs)...)
		if id == req.Entry {
			errs = append(errs, constParams(entry, req.Args)...)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, id := range ids {
		if funcs[id] == nil {
			continue
		}
		errs = append(errs, resolve.Resolve(funcs[id])...)
		addNested(funcs, funcs[id])
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return types.Infer(funcs, req.Entry, args)
}

// lowerOptions are the request's options for lowering.
func lowerOptions(req *Request) lower.Options {
	unit := false
	for _, a := range argLeaves(req.Args) {
		unit = unit || a.Unit
	}
	return lower.Options{BoundsCheck: req.Options.BoundsCheck, Parallel: req.Options.Parallel, EntryUnitArgs: unit,
		Kernel: req.Options.Kernel}
}

func compile(req *Request) (*Compiled, diag.List) {
	prog, errs := typedProgram(req)
	if len(errs) > 0 {
		return nil, errs
	}
	res, errs := lower.Program(prog, lowerOptions(req))
	if len(errs) > 0 {
		return nil, errs
	}
	// The CPU form of a kernel compiles its atomics (cgen/atomic.go);
	// barriers and work-group memory need a device.
	if what := ir.UsesWorkGroup(res.Prog); what != "" && !(req.Options.Kernel && strings.HasPrefix(what, "atomic_")) {
		entry := prog.Entry().Func
		errs.Add(diag.Errorf(entry.Pos(entry.Def.P), diag.Unsupported, "sejit.%s() needs an OpenCL device", what).
			WithHint("launch the kernel on sejit.DeviceArrays (PoCL's CPU device counts)"))
		return nil, errs
	}
	var explain bytes.Buffer
	if req.Explain {
		explain.WriteString("== typed tree ==\n")
		writeTypes(&explain, prog)
		explain.WriteString("\n== IR after lowering ==\n")
		ir.Fprint(&explain, res.Prog)
	}
	dumpAfter := os.Getenv("SEJIT_DUMP_IR")
	report, err := opt.Run(res.Prog, opt.Options{DumpAfter: dumpAfter, Dump: os.Stderr})
	if err != nil {
		entry := prog.Entry().Func
		errs.Add(diag.Errorf(entry.Pos(entry.Def.P), diag.Internal, "optimiser: %v", err))
		return nil, errs
	}
	if req.Explain {
		explain.WriteString("\n== optimisation ==\n")
		explain.WriteString(report)
		explain.WriteString("\n== IR after optimisation ==\n")
		ir.Fprint(&explain, res.Prog)
	}
	unit := cgen.ProgramOpts(res.Prog, cgen.Options{Parallel: req.Options.Parallel, Kernel: req.Options.Kernel})
	c := &Compiled{CSource: unit.Source, OpenMP: unit.OpenMP, Symbol: cgen.EntrySymbol, ABI: abiOf(prog, res, req.Args)}
	c.ABI.OnFail = len(lower.ReflectedLists(prog.Entry())) // cgen prints ir.Func.OnFail
	c.Explain = explain.String()
	return c, nil
}

func decodeFuncs(req *Request) (map[string]*resolve.Func, diag.List) {
	var errs diag.List
	funcs := map[string]*resolve.Func{}
	if _, ok := req.Functions[req.Entry]; !ok {
		errs.Add(diag.Errorf(diag.Pos{}, diag.Internal, "entry function %q missing from the request", req.Entry))
		return nil, errs
	}
	for id, fd := range req.Functions {
		var def *pyast.FunctionDef
		if len(fd.Bytecode) > 0 && (len(fd.AST) == 0 || string(fd.AST) == "null") {
			// No source (a def typed at the prompt, or exec'd from a
			// string): the tree is rebuilt from the code object.
			d, derr := bytecode.Decompile(fd.Bytecode, len(fd.Defaults), fd.Filename)
			if derr != nil {
				errs.Add(derr)
				continue
			}
			def = d
		} else {
			d, err := pyast.Decode(fd.AST)
			if err != nil {
				errs.Add(diag.Errorf(diag.Pos{File: fd.Filename}, diag.Internal, "decoding %s: %v", fd.Qualname, err))
				continue
			}
			def = d
		}
		f := &resolve.Func{ID: id, Def: def, File: fd.Filename, Globals: map[string]*resolve.Global{}}
		for name, g := range fd.Globals {
			rg := &resolve.Global{Kind: g.Kind, Name: g.Name, Module: g.Module, ID: g.ID, DType: g.DType, Type: g.Type}
			if g.Kind == "const" || g.Kind == "tuple" {
				full, err := globalOf(g)
				if err != nil {
					errs.Add(diag.Errorf(diag.Pos{File: fd.Filename}, diag.Internal, "global %s: %v", name, err))
					continue
				}
				rg = full
			}
			if g.Kind == "function" {
				if _, ok := req.Functions[g.ID]; !ok {
					errs.Add(diag.Errorf(diag.Pos{File: fd.Filename}, diag.Internal, "global %s names missing function %s", name, g.ID))
					continue
				}
			}
			f.Globals[name] = rg
		}
		defs, err := defaultsOf(fd)
		if err != nil {
			errs.Add(diag.Errorf(diag.Pos{File: fd.Filename}, diag.Internal, "defaults of %s: %v", fd.Qualname, err))
		}
		f.Defaults = defs
		if len(fd.KwDefaults) > 0 {
			f.KwDefaults = map[string]*resolve.Global{}
			for name, d := range fd.KwDefaults {
				if d.Kind == "function" {
					f.KwDefaults[name] = &resolve.Global{Kind: "unsupported", Type: "function"}
					continue
				}
				g, err := globalOf(d)
				if err != nil {
					errs.Add(diag.Errorf(diag.Pos{File: fd.Filename}, diag.Internal, "keyword-only defaults of %s: %v", fd.Qualname, err))
					continue
				}
				f.KwDefaults[name] = g
			}
		}
		funcs[id] = f
	}
	return funcs, errs
}

func argType(a ArgType) (*types.Type, error) {
	switch a.Kind {
	case "object":
		return objectType(a)
	case "tuple":
		return tupleType(a)
	case "list":
		return listType(a)
	case "dict", "set":
		return hashedType(a) // lists.go
	case "str", "const":
		if a.Runtime {
			return types.StrT, nil
		}
		// Replaced by its text (or bound like a global) before resolution:
		// the parameter is an empty tuple, no data.
		return tupleType(ArgType{Kind: "tuple"})
	}
	d, ok := types.ParseDType(a.DType)
	if !ok {
		return nil, fmt.Errorf("unsupported dtype %q", a.DType)
	}
	switch a.Kind {
	case "array":
		if a.NDim < 0 || a.NDim > 8 {
			return nil, fmt.Errorf("arrays of %d dimensions are not supported", a.NDim)
		}
		layout := byte('A')
		if a.Layout == "C" {
			layout = 'C'
		}
		return &types.Type{Kind: types.Array, DType: d, NDim: a.NDim, Layout: layout}, nil
	case "scalar":
		if a.Weak {
			return types.WeakOf(d), nil
		}
		return types.ScalarOf(d), nil
	}
	return nil, fmt.Errorf("unsupported argument kind %q", a.Kind)
}

func retType(t *types.Type) *RetType {
	switch t.Kind {
	case types.Scalar:
		return &RetType{Kind: "scalar", DType: t.DType.String(), NumPy: !t.Weak}
	case types.Array:
		return &RetType{Kind: "array", DType: t.DType.String(), NDim: t.NDim}
	case types.Str:
		return &RetType{Kind: "str"}
	case types.List:
		if el := t.Elem(); el.Kind == types.Array {
			// A list of arrays: its one item node (runtime's RET_LIST).
			return &RetType{Kind: "list", Items: []*RetType{retType(el)}}
		}
		if el := t.Elem(); el.Kind == types.Tuple {
			// A list of tuples: a field node per field (runtime's RET_LIST).
			r := &RetType{Kind: "list", Items: []*RetType{}}
			for _, ft := range el.Elems {
				r.Items = append(r.Items, retType(ft))
			}
			return r
		}
		if t.Elem().Kind == types.Str {
			return &RetType{Kind: "strlist"}
		}
		if types.IsListOfLists(t) {
			// Its boxes' words (lower/list_lists.go; runtime's RET_LISTLIST).
			return &RetType{Kind: "listlist", DType: t.Elem().Elem().DType.String()}
		}
		return &RetType{Kind: "list", DType: t.Elem().DType.String()}
	case types.Dict:
		// The key node (a scalar or a str) and the value node (runtime's RET_DICT).
		return &RetType{Kind: "dict", Items: []*RetType{retType(t.Key()), retType(t.Value())}}
	case types.Set:
		return &RetType{Kind: "set", Items: []*RetType{retType(t.Key())}}
	case types.Tuple:
		r := &RetType{Kind: "tuple", Items: []*RetType{}}
		for _, e := range t.Elems {
			r.Items = append(r.Items, retType(e))
		}
		return r
	}
	return &RetType{Kind: "none"}
}

func abiOf(prog *types.Program, res *lower.Result, args []ArgType) *ABI {
	e := prog.Entry()
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = a.String()
		if i < len(args) && args[i].Kind == "str" && !args[i].Runtime {
			parts[i] = "str " + strconv.Quote(args[i].Value)
		}
	}
	abi := &ABI{Sig: "(" + strings.Join(parts, ", ") + ")", Args: argLeaves(args), Writes: []int{},
		Ret: retType(e.Info.Ret), NLeaves: len(res.Prog.Entry().Results)}
	if e.Info.RetNone {
		abi.Ret = &RetType{Kind: "optional", Items: []*RetType{abi.Ret}}
	}
	abi.Ret = reflectedRet(e, abi.Ret) // lists.go
	abi.Owners = ownerLeaves(args)     // lists.go
	for i, w := range res.Writes {
		if w {
			abi.Writes = append(abi.Writes, i)
		}
	}
	for i, g := range res.Guard {
		if g {
			abi.Guard = append(abi.Guard, i)
		}
	}
	abi.ReleaseGILMin = releaseGILMin(res.Prog, res.Stretch)
	abi.Random = lower.Draws(res.Prog)
	return abi
}

// writeTypes lists each specialization's variables and result.
func writeTypes(b *bytes.Buffer, p *types.Program) {
	for _, s := range p.Specs {
		parts := make([]string, len(s.Args))
		for i, a := range s.Args {
			parts[i] = s.Func.Params[i] + ": " + a.String()
		}
		fmt.Fprintf(b, "%s(%s) -> %s\n", s.Func.Def.Name, strings.Join(parts, ", "), s.Info.Ret)
		info := s.Info
		b.WriteString(pyast.Dump(s.Func.Def, func(e pyast.Expr) string {
			switch e.(type) {
			case *pyast.Name, *pyast.Constant, *pyast.Slice:
				return "" // the variables' types are listed below; constants speak for themselves
			}
			if t, ok := info.Types[e]; ok && t.IsNumeric() {
				return t.String()
			}
			return ""
		}))
		names := make([]string, 0, len(s.Info.Vars))
		for n := range s.Info.Vars {
			names = append(names, n)
		}
		sort.Strings(names)
		b.WriteString("variables:")
		for _, n := range names {
			fmt.Fprintf(b, " %s: %s;", n, s.Info.Vars[n])
		}
		b.WriteString("\n")
	}
}

// smallWork is the number of array elements below which an element-wise
// kernel runs in a few microseconds: less than other threads would gain
// from the GIL, and releasing it costs about as much as a small call.
const smallWork = 1 << 14

// releaseGILMin tells the runtime when to release the GIL: always for a
// program with loops, calls or allocations, whose running time the sizes
// of its array arguments do not bound; from smallWork elements for one
// made only of element-wise nests over its arguments.
// (The copy an overlap guard makes is as large as an argument, so it does
// not count as an allocation here.)
func releaseGILMin(p *ir.Program, rare map[*ir.Func]bool) int64 {
	var unbounded func(body []ir.Stmt) bool
	unbounded = func(body []ir.Stmt) bool {
		for _, s := range body {
			switch s := s.(type) {
			case *ir.For, *ir.While, *ir.Call, *ir.Try:
				return true
			case *ir.SetArray:
				if _, ok := s.Src.(*ir.Alloc); ok {
					return true
				}
			case *ir.If:
				// The call of a stretching variant is as rare a path as
				// an overlap copy (lower/broadcast.go).
				if len(s.Then) == 2 {
					if c, ok := s.Then[0].(*ir.Call); ok && rare[c.Func] {
						continue
					}
				}
				guard := false
				ir.VisitExpr(s.Cond, func(e ir.Expr) {
					_, ok := e.(*ir.Overlap)
					guard = guard || ok
				})
				if guard {
					continue
				}
				if unbounded(s.Then) || unbounded(s.Else) {
					return true
				}
			case *ir.Nest:
				if unbounded(s.Body) {
					return true
				}
			}
		}
		return false
	}
	for _, f := range p.Funcs {
		if !rare[f] && unbounded(f.Body) {
			return 0
		}
	}
	return smallWork
}

// OpenCL runs the front end, lowering and optimisation on a request, then
// prints the program for an OpenCL device (internal/clgen): the kernels'
// source and the host plan.
func OpenCL(req *Request) (*clgen.Unit, *ABI, diag.List) {
	return deviceProgram(req, clgen.OpenCL)
}

// CUDA is OpenCL for an NVIDIA device through NVRTC: the same outlining,
// host plan and error buffer, with the kernels in CUDA C (the unit's
// BuildOptions are NVRTC's).
func CUDA(req *Request) (*clgen.Unit, *ABI, diag.List) {
	return deviceProgram(req, clgen.CUDA)
}

func deviceProgram(req *Request, tgt clgen.Target) (*clgen.Unit, *ABI, diag.List) {
	prog, errs := typedProgram(req)
	if len(errs) > 0 {
		return nil, nil, errs
	}
	res, errs := lower.Program(prog, lowerOptions(req))
	if len(errs) > 0 {
		return nil, nil, errs
	}
	entry := prog.Entry().Func
	opt.InlineCalls(res.Prog) // inline.go: a device kernel calls no functions
	if _, err := opt.Run(res.Prog, opt.Options{DumpAfter: os.Getenv("SEJIT_DUMP_IR"), Dump: os.Stderr}); err != nil {
		errs.Add(diag.Errorf(entry.Pos(entry.Def.P), diag.Internal, "optimiser: %v", err))
		return nil, nil, errs
	}
	u, err := clgen.Program(res.Prog, clgen.Options{FastMath: req.Options.FastMath, Target: tgt, Kernel: req.Options.Kernel})
	if err != nil {
		ce, ok := err.(*clgen.Error)
		if !ok {
			errs.Add(diag.Errorf(entry.Pos(entry.Def.P), diag.Internal, "clgen: %v", err))
			return nil, nil, errs
		}
		pos := entry.Pos(entry.Def.P)
		if ce.Line > 0 {
			pos.Line, pos.Col = ce.Line, max(ce.Col, 1)
		}
		d := diag.Errorf(pos, diag.Unsupported, "%s", ce.Msg)
		if ce.Hint != "" {
			d = d.WithHint("%s", ce.Hint)
		}
		errs.Add(d)
		return nil, nil, errs
	}
	if tgt == clgen.OpenCL && u.FP64 && req.Device != nil && !req.Device.FP64 {
		errs.Add(diag.Errorf(entry.Pos(entry.Def.P), diag.Type,
			"the function computes in float64, which the device %s does not support (no cl_khr_fp64)", req.Device.Name).
			WithHint("pass float32 arrays and scalars (np.float32(x)), or use a device with fp64"))
		return nil, nil, errs
	}
	return u, abiOf(prog, res, req.Args), nil
}
