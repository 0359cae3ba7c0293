package ir

import "sejit/internal/types"

// Work-group constructs of explicit kernels (sejit.kernel). Lowering emits
// them only when the request is a kernel's (lower.Options.Kernel). The
// device printers implement them all; the C printer implements Atomic
// only (the CPU form of a kernel under parallel=True), and the CPU driver
// refuses a program with a barrier or work-group memory (UsesWorkGroup).

// AtomicOp is the operation of an Atomic statement.
type AtomicOp int

const (
	AtomicAdd AtomicOp = iota
	AtomicMin
	AtomicMax
)

func (o AtomicOp) String() string {
	return [...]string{"atomic_add", "atomic_min", "atomic_max"}[o]
}

type (
	// Barrier waits until every work-item of the work-group reaches it,
	// with the work-group's and the global memory's writes before it
	// visible after it (OpenCL's barrier with both fences).
	Barrier struct{}
	// Atomic applies Op to element Idx of Arr and Val atomically: the sum,
	// the minimum or the maximum is stored. Dst, when not nil, receives
	// the element's value before (as OpenCL's atomic_* return it).
	Atomic struct {
		Op  AtomicOp
		Arr *Var
		Idx []Expr
		Val Expr
		Dst *Var
	}
)

func (*Barrier) stmt() {}
func (*Atomic) stmt()  {}

// LocalAlloc is an array in the work-group's memory (OpenCL's __local),
// C-ordered, shared by the work-items of one group and alive for the
// kernel's run. Its extents are evaluated by the host before the launch.
type LocalAlloc struct {
	DType types.DType
	Shape []Expr
}

func (*LocalAlloc) arrayDef() {}

// UsesWorkGroup reports the first work-group construct of p: "barrier",
// "local_array", an atomic's name, or "" when there is none.
func UsesWorkGroup(p *Program) string {
	what := ""
	for _, f := range p.Funcs {
		VisitStmts(f.Body, func(s Stmt) {
			if what != "" {
				return
			}
			switch s := s.(type) {
			case *Barrier:
				what = "barrier"
			case *Atomic:
				what = s.Op.String()
			case *SetArray:
				if _, ok := s.Src.(*LocalAlloc); ok {
					what = "local_array"
				}
			}
		}, nil)
	}
	return what
}
