// Package lower turns typed Python functions into the loop-nest IR.
//
// Scalars lower to scalar expressions. An array expression such as
// `x1 + x1 * x1` lowers lazily: it becomes a generator that, given the
// indices of one element, returns that element's scalar expression. Nothing
// is allocated until the value must exist as an array — assigned to a
// name, returned, passed to a function — at which point lowering emits an
// allocation and one Nest that fills it. Expressions therefore never make
// temporaries; statements do, and the opt package's fusion and
// scalarization passes remove those that only one loop uses.
//
// Everything that can fail is a statement (a Check), emitted where Python
// would evaluate it: bounds checks before a load, shape checks before a
// nest, zero-divisor checks before a Python division. Short-circuit
// operators and conditional expressions whose operands need statements
// lower to branches, so a check never runs for an operand Python would not
// have evaluated.
package lower

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
	"sejit/internal/types"
)

// Options change generated code.
type Options struct {
	BoundsCheck bool
	// EntryUnitArgs says an array argument of the entry may have an extent
	// of 1. The dispatcher classifies such calls apart, so without it the
	// entry needs no variant stretching extents of 1 at run time (and its
	// unit compiles faster); functions the entry calls keep theirs, as
	// their arguments are made inside.
	EntryUnitArgs bool
	// Parallel makes prange loops parallel (parallel.go).
	Parallel bool
	// Kernel says the entry is the driver of an explicit kernel's device
	// form, or of its CPU form under parallel=True
	// (python/sejit/_kernel.py): its pranges are the kernel's work-items,
	// the user's explicit parallelism, so the race rules of prange do not
	// apply (atomics are the tool for conflicting writes), and the
	// work-group functions are available (kernel.go).
	Kernel bool
}

// Result is the lowered program and what the runtime must know of it.
type Result struct {
	Prog *ir.Program
	// Writes[k] is true when the entry may write array parameter k.
	Writes []bool
	// Guard[k] is true when the runtime must pass a copy of array parameter
	// k if its memory overlaps a parameter the entry writes (guardOverlap).
	Guard []bool
	// Stretch holds the functions that stretch extents of 1 found at run
	// time, called only when an argument has one (broadcast.go).
	Stretch map[*ir.Func]bool
}

type lowerer struct {
	prog  *types.Program
	opts  Options
	funcs []*ir.Func
	errs  diag.List

	stretch map[*ir.Func]bool // broadcast.go
	// prange lists the parallel loops, checked once every function is lowered.
	prange []parLoop
	draws  []drawSite // random.go
	// aligned holds (read, written) pairs of array variables that one nest
	// reads at exactly the element it stores, as views that are the same
	// or disjoint (overlap_views.go): they need no snapshot.
	aligned map[[2]*ir.Var]bool
}

// Program lowers every specialization of p.
func Program(p *types.Program, opts Options) (*Result, diag.List) {
	l := &lowerer{prog: p, opts: opts}
	for _, s := range p.Specs {
		l.funcs = append(l.funcs, &ir.Func{Name: fmt.Sprintf("f%d_%s", s.Index, sanitize(s.Func.Def.Name))})
	}
	for _, s := range p.Specs {
		l.function(s)
	}
	l.checkParallel()
	if len(l.errs) > 0 {
		return nil, l.errs
	}
	roots := l.aliasRoots()
	writes := l.paramWrites(roots)
	guard := l.guardOverlap(writes, roots)
	entry := make([]bool, len(l.funcs[0].Params))
	for p := range writes[0] {
		entry[p] = true
	}
	return &Result{Prog: &ir.Program{Funcs: l.funcs}, Writes: entry, Guard: guard, Stretch: l.stretch}, nil
}

// fn is the state of lowering one function.
type fn struct {
	l     *lowerer
	spec  *types.Spec
	info  *types.Info
	f     *ir.Func
	block *[]ir.Stmt
	vars  map[string]*val // Python locals
	names map[string]int
	taken map[string]bool
	root  map[*ir.Var]int
	// viewBase maps a view or alias to the array variable it was made
	// from, for messages that name the user's variable (names4).
	viewBase map[*ir.Var]*ir.Var
	// bound maps an array variable to the root of the memory its latest
	// binding views (rootOf), resolved when the binding is made: a later
	// rebinding of the base (a, b = b, a) does not change it.
	bound map[*ir.Var]any
	// nonneg maps loop variables known to stay in [0, bound) to that bound's
	// ExprString ("" when only non-negativity is known).
	nonneg map[string]string
	// loopStart is the smallest value of those loops' variables (the
	// constant start, or the stop + 1 of a loop counting down): x[i - c]
	// needs no wrap-around when c is at most that.
	loopStart map[string]int64
	assigned  map[string]int // how many statements bind each name
	line      int            // the line of the statement being lowered
	// serial numbers the statements as they are lowered; views records how
	// the views of the current statement were made (overlap_views.go).
	serial int
	views  map[*ir.Var]viewDesc
	// breakFlags has one entry per enclosing loop: the flag a break sets
	// when the loop has an else clause, else nil (pylang.go).
	breakFlags []*ir.Var
	// stream is the per-iteration random stream of the parallel loop whose
	// body is being lowered (random_stream.go), else nil.
	stream   *streamCtx
	loopSelf pyast.Stmt // a loop stmtExt hands back to stmt
	gemmSelf pyast.Stmt // a statement gemmStmt hands back to stmt (blas.go)
	// fullSel marks the selections of a masked update, lowered as the whole
	// array (mask_update.go).
	fullSel map[*pyast.Subscript]bool
	// strConsts are the string constants read as values, each an array
	// filled by strInit at the top of the function (strings.go).
	strConsts map[string]*ir.Var
	strInit   []ir.Stmt
	// arenas are where the rows of lists of lists get their boxes and
	// first buffers, per dtype (list_lists.go).
	arenas map[types.DType]*arena

	// stretch lowers shape checks that stretch extents of 1 found at run
	// time; dynPairs are the extents compared by the checks between extents
	// not known equal that the other mode emitted (broadcast.go).
	stretch  bool
	dynPairs [][2]ir.Expr

	// try statements (try.go): the finally bodies around the statement
	// being lowered, the Try ID of each except clause, the count of IDs
	// given, and how many try bodies enclose the statement being lowered.
	finals   []finalFrame
	excIDs   map[*pyast.ExceptHandler]int
	tryCount int
	inTry    int
}

func quoteName(n string) string {
	if n == "" {
		return ""
	}
	return "'" + pyast.SourceName(n) + "'"
}

// val is a lowered Python value.
type val struct {
	t     *types.Type
	s     ir.Expr  // Scalar
	arr   *ir.Var  // Array, materialized
	lazy  *lazyArr // Array, element-wise expression not yet stored
	elems []*val   // Tuple
	name  string   // the Python name the value was read from, for messages
	// cell is the 0-d array a variable written by a nested function lives
	// in (resolve/nonlocal.go); s then loads from it.
	cell *ir.Var
	// box is the box an inner list of a list of lists was read from, which
	// its changes are written back into; with boxed, the val is a boxed
	// variable holding only the box (list_lists.go).
	box   *ir.Var
	boxed bool
}

// lazyArr is an array known by how to compute one element.
type lazyArr struct {
	label string // the Python name of the array, for messages; may be empty
	dtype types.DType
	shape []ir.Expr
	gen   func(idx []ir.Expr) ir.Expr
}

func (f *fn) errorf(p pyast.Pos, kind diag.Kind, format string, args ...any) *diag.Error {
	e := diag.Errorf(diag.Pos{File: f.spec.Func.File, Line: p.Line, Col: p.Col}, kind, format, args...)
	f.l.errs.Add(e)
	return e
}

func (l *lowerer) function(s *types.Spec) {
	irf := l.funcs[s.Index]
	nerr, npar := len(l.errs), len(l.prange)
	f := l.lowerFunc(s, irf, false)
	cond, untraced, computed := f.stretchTest()
	if untraced && len(l.errs) == nerr {
		// Some statement compares an extent made inside the function at
		// run time (a slice x[k:k+1]) with another: no test at entry can
		// tell whether it will be 1, so the function stretches extents of
		// 1 at run time throughout (broadcast.go), unfused where they are
		// not known equal.
		l.prange = l.prange[:npar]
		*irf = ir.Func{Name: irf.Name}
		l.lowerFunc(s, irf, true)
		return
	}
	// The entry's arguments with an extent of 1 are classified apart, so
	// only such signatures, and extents computed inside, need the variant.
	if s.Index != 0 || l.opts.EntryUnitArgs || computed {
		l.stretchVariant(s, f, cond)
	}
}

// lowerFunc lowers spec s into irf; stretch selects run-time stretching of
// extents of 1 (broadcast.go).
func (l *lowerer) lowerFunc(s *types.Spec, irf *ir.Func, stretch bool) *fn {
	f := &fn{l: l, spec: s, info: s.Info, f: irf, stretch: stretch, vars: map[string]*val{}, names: map[string]int{}, taken: map[string]bool{},
		root: map[*ir.Var]int{}, viewBase: map[*ir.Var]*ir.Var{}, bound: map[*ir.Var]any{}, nonneg: map[string]string{}, loopStart: map[string]int64{}, assigned: map[string]int{},
		excIDs: map[*pyast.ExceptHandler]int{}}
	f.block = &f.f.Body
	countAssigned(s.Func.Def.Body, f.assigned)
	// Parameters.
	for i, name := range s.Func.Params {
		at := s.Args[i]
		if s.Func.CellCapture(name) && at.Kind == types.Scalar {
			// The owner's cell, passed as a 0-d array (nonlocal.go).
			pv := &ir.Var{Name: f.unique("a_" + sanitize(name)), Type: types.ArrayOf(at.DType, 0, 'C'), Param: len(f.f.Params)}
			f.f.Params = append(f.f.Params, pv)
			f.root[pv] = len(f.f.Params) - 1
			f.vars[name] = &val{t: at, s: &ir.Load{Arr: pv}, cell: pv}
			continue
		}
		pv := f.paramVal(name, at, i)
		if at.Kind == types.List && at.Elem().Kind == types.Array {
			// The words the caller passed stay as they were (list_arrays.go).
			pv = f.listCopy(pv, at)
		}
		vt := s.Info.Vars[name]
		if types.Equal(vt, at) || f.assigned[name] == 0 {
			f.vars[name] = pv
			continue
		}
		// The parameter is reassigned with a wider type: copy it into a
		// local of that type.
		f.vars[name] = f.newLocal(name, vt)
		f.assignTo(f.vars[name], pv, s.Func.Def.P)
	}
	if s.Index == 0 {
		f.entryHashed() // dicts.go
	}
	// Declare locals in name order, so the same request always gives the
	// same code (and the same cache entry).
	names := make([]string, 0, len(s.Info.Vars))
	for name := range s.Info.Vars {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if t := s.Info.Vars[name]; f.vars[name] == nil && !t.IsUnknown() {
			if s.Info.Boxed[name] && t.Kind == types.List {
				f.vars[name] = f.boxedLocal(name, t) // list_lists.go
				continue
			}
			f.vars[name] = f.newLocal(name, t)
		}
	}
	f.makeCells()
	f.f.Results = resultLeaves(s.Info)
	f.stmts(s.Func.Def.Body)
	if s.Info.Ret.Kind == types.None {
		f.emit(&ir.Return{})
	} else if s.Info.RetNone && !endsInReturn(s.Func.Def.Body) {
		f.emit(f.returnNone())
	} else if !endsInReturn(s.Func.Def.Body) {
		f.emit(&ir.Check{Cond: ir.BoolConst(false), Err: ir.ErrRuntime,
			Msg: fmt.Sprintf("%s() reached its end without returning a value", s.Func.Def.Name)})
		f.emit(&ir.Return{Vals: f.zeroResults()})
	}
	// Every function returns its list parameters' final contents (the
	// caller's lists are the same lists); the entry also sets them when it
	// fails, for the Python caller's lists.
	f.reflectLists() // lists.go
	if len(f.strInit) > 0 {
		f.f.Body = append(f.strInit, f.f.Body...) // strings.go
	}
	f.f.Body = append(f.arenaInit(), f.f.Body...) // list_lists.go
	return f
}

func endsInReturn(body []pyast.Stmt) bool {
	if len(body) == 0 {
		return false
	}
	switch s := body[len(body)-1].(type) {
	case *pyast.Return, *pyast.Raise:
		return true
	case *pyast.If:
		return endsInReturn(s.Body) && endsInReturn(s.Orelse)
	case *pyast.Try:
		if endsInReturn(s.Finalbody) {
			return true
		}
		if !endsInReturn(s.Body) && !endsInReturn(s.Orelse) {
			return false
		}
		for _, h := range s.Handlers {
			if !endsInReturn(h.Body) {
				return false
			}
		}
		return true
	}
	return false
}

// zeroResults makes placeholder results for a path that has already failed.
func (f *fn) zeroResults() []ir.Expr {
	var out []ir.Expr
	for _, t := range f.f.Results {
		if t.Kind == types.Array {
			v := f.temp(t)
			f.emit(&ir.SetArray{Dst: v, Src: &ir.Alloc{DType: t.DType, Shape: zeros(t.NDim)}})
			out = append(out, &ir.ArrayRef{Var: v})
		} else {
			out = append(out, zeroOf(t.DType))
		}
	}
	return out
}

// resultLeaves are a function's result leaves: those of its result type,
// after a bool that is true when it returns None (Info.RetNone).
func resultLeaves(info *types.Info) []*types.Type {
	ls := leaves(info.Ret)
	if info.RetNone {
		return append([]*types.Type{types.BoolT}, ls...)
	}
	return ls
}

// returnNone is the return of None from a function with Info.RetNone: the
// flag set, the other leaves zero (empty arrays).
func (f *fn) returnNone() *ir.Return {
	vals := f.zeroResults()
	vals[0] = ir.BoolConst(true)
	return &ir.Return{Vals: vals}
}

func zeros(n int) []ir.Expr {
	out := make([]ir.Expr, n)
	for i := range out {
		out[i] = ir.IntConst(0)
	}
	return out
}

// countAssigned counts, per name, the statements of body that bind it
// (nested blocks and loops' else clauses included, nested definitions not).
func countAssigned(body []pyast.Stmt, m map[string]int) {
	var target func(e pyast.Expr)
	target = func(e pyast.Expr) {
		switch e := e.(type) {
		case *pyast.Name:
			m[e.ID]++
		case *pyast.Tuple:
			for _, x := range e.Elts {
				target(x)
			}
		}
	}
	pyast.WalkStmts(body, func(s pyast.Stmt) bool {
		for _, t := range pyast.StoreTargets(s) {
			target(t)
		}
		return true
	}, nil)
}

// leaves flattens a result type into the leaves the ABI returns.
func leaves(t *types.Type) []*types.Type {
	switch t.Kind {
	case types.Str:
		return leaves(strRepr)
	case types.List:
		return leaves(listRepr(t))
	case types.Dict, types.Set:
		return leaves(hashRepr(t))
	case types.None:
		return nil
	case types.Tuple:
		var out []*types.Type
		for _, e := range t.Elems {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []*types.Type{t}
}

func (f *fn) paramVal(name string, t *types.Type, idx int) *val {
	switch t.Kind {
	case types.DTypeObj: // a dtype passed between compiled functions: its type says it all
		return &val{t: t}
	case types.Str:
		return fixStr(f.paramVal(name, strRepr, idx))
	case types.List:
		return fixList(f.paramVal(name, listRepr(t), idx), t)
	case types.Dict, types.Set:
		return fixHashed(f.paramVal(name, hashRepr(t), idx), t)
	case types.Tuple, types.Function: // a function value carries its captured variables
		v := &val{t: t}
		var nf *resolve.Func
		if t.Kind == types.Function && !t.Self {
			nf = f.l.prog.Funcs[t.Name]
		}
		for i, e := range t.Elems {
			if t.IsObject() && t.IsCell(i) {
				v.elems = append(v.elems, f.cellParam(fmt.Sprintf("%s_%d", name, i), e)) // objects.go
				continue
			}
			if nf != nil && i < len(nf.Captures) && nf.CellCapture(nf.Captures[i]) && e.Kind == types.Scalar {
				// A passed function's captured cell (resolve/nonlocal.go).
				v.elems = append(v.elems, f.cellParam(fmt.Sprintf("%s_%d", name, i), e))
				continue
			}
			v.elems = append(v.elems, f.paramVal(fmt.Sprintf("%s_%d", name, i), e, idx))
		}
		return v
	case types.Array:
		pv := &ir.Var{Name: f.unique("a_" + sanitize(name)), Type: t, Param: len(f.f.Params)}
		f.f.Params = append(f.f.Params, pv)
		f.root[pv] = len(f.f.Params) - 1
		return &val{t: t, arr: pv}
	}
	pv := &ir.Var{Name: f.unique("v_" + sanitize(name)), Type: t, Param: len(f.f.Params)}
	f.f.Params = append(f.f.Params, pv)
	return &val{t: t, s: &ir.Ref{Var: pv}}
}

// newLocal makes the variables that hold a Python local of type t.
func (f *fn) newLocal(name string, t *types.Type) *val {
	switch t.Kind {
	case types.Str:
		return fixStr(f.newLocal(name, strRepr))
	case types.List:
		return fixList(f.newLocal(name, listRepr(t)), t)
	case types.Dict, types.Set:
		return fixHashed(f.newLocal(name, hashRepr(t)), t)
	case types.Tuple:
		v := &val{t: t}
		for i, e := range t.Elems {
			if t.IsObject() && t.IsCell(i) {
				v.elems = append(v.elems, f.cellLocal(fmt.Sprintf("%s_%d", name, i), e)) // objects.go
				continue
			}
			v.elems = append(v.elems, f.newLocal(fmt.Sprintf("%s_%d", name, i), e))
		}
		return v
	case types.Array:
		lv := &ir.Var{Name: f.unique("a_" + sanitize(name)), Type: t, Param: -1}
		f.f.Locals = append(f.f.Locals, lv)
		f.root[lv] = -1
		return &val{t: t, arr: lv}
	}
	lv := &ir.Var{Name: f.unique("v_" + sanitize(name)), Type: t, Param: -1}
	f.f.Locals = append(f.f.Locals, lv)
	return &val{t: t, s: &ir.Ref{Var: lv}}
}

// unique returns base, or base_N, never a name given out before (a
// Python name such as x_1 cannot collide with a suffixed x).
func (f *fn) unique(base string) string {
	for {
		n := f.names[base]
		f.names[base] = n + 1
		name := base
		if n > 0 {
			name = fmt.Sprintf("%s_%d", base, n)
		}
		if !f.taken[name] {
			f.taken[name] = true
			return name
		}
	}
}

// temp makes a fresh compiler variable.
func (f *fn) temp(t *types.Type) *ir.Var {
	if t.Kind == types.Scalar && t.Weak {
		t = types.ScalarOf(t.DType)
	}
	v := &ir.Var{Name: f.unique("t"), Type: t, Param: -1}
	f.f.Locals = append(f.f.Locals, v)
	if t.Kind == types.Array {
		f.root[v] = -1
	}
	return v
}

// emit appends s to the current block; a check records the line of the
// statement that placed it (ir.Program.Messages).
func (f *fn) emit(s ir.Stmt) {
	if c, ok := s.(*ir.Check); ok && c.Line == 0 {
		c.Line = f.line
	}
	*f.block = append(*f.block, s)
}

// sub lowers body into a new block and returns it.
func (f *fn) sub(body func()) []ir.Stmt {
	var out []ir.Stmt
	saved := f.block
	f.block = &out
	body()
	f.block = saved
	return out
}

// sanitize makes a Python identifier safe in every target: ASCII letters,
// digits and underscores only.
func sanitize(name string) string {
	// A version of a variable (resolve/versions.go) reads x_v1 in C;
	// unique keeps it apart from a Python variable of that spelling.
	name = strings.ReplaceAll(name, "@v", "_v")
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "_u%04x", r)
		}
	}
	return b.String()
}

// ---- helpers on values ----

func zeroOf(d types.DType) *ir.Const { return &ir.Const{Type: types.ScalarOf(d)} }

func oneOf(d types.DType) *ir.Const {
	c := &ir.Const{Type: types.ScalarOf(d), I: 1, U: 1, F: 1}
	return c
}

// conv converts a scalar expression to dtype d.
func conv(e ir.Expr, d types.DType) ir.Expr {
	if ir.TypeOf(e).DType == d {
		return e
	}
	if c, ok := e.(*ir.Const); ok {
		return convConst(c, d)
	}
	return &ir.Cast{X: e, T: types.ScalarOf(d)}
}

func convConst(c *ir.Const, d types.DType) ir.Expr {
	from := c.Type.DType
	out := &ir.Const{Type: types.ScalarOf(d)}
	var re, im float64
	var iv int64
	var exactInt bool
	switch {
	case from == types.Bool || from.IsInt() && !from.IsUnsigned():
		iv, exactInt, re = c.I, true, float64(c.I)
	case from.IsUnsigned():
		iv, exactInt, re = int64(c.U), true, float64(c.U)
	case from.IsComplex():
		re, im = c.F, c.Im
	default:
		re = c.F
	}
	switch {
	case d == types.Bool:
		if exactInt {
			out.I = b2i(iv != 0)
		} else {
			out.I = b2i(re != 0 || im != 0)
		}
	case d.IsInt():
		if !exactInt {
			if math.IsNaN(re) || math.IsInf(re, 0) {
				return &ir.Cast{X: c, T: out.Type}
			}
			iv = int64(re)
		}
		iv = wrapInt(iv, d)
		out.I, out.U = iv, uint64(iv)
	case d == types.Float32:
		out.F = float64(float32(re))
	case d == types.Complex64:
		out.F, out.Im = float64(float32(re)), float64(float32(im))
	default:
		out.F, out.Im = re, im
	}
	return out
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// wrapInt truncates v to d's width, as a C cast would.
func wrapInt(v int64, d types.DType) int64 {
	switch d {
	case types.Int8:
		return int64(int8(v))
	case types.Int16:
		return int64(int16(v))
	case types.Int32:
		return int64(int32(v))
	case types.Uint8:
		return int64(uint8(v))
	case types.Uint16:
		return int64(uint16(v))
	case types.Uint32:
		return int64(uint32(v))
	}
	return v
}

// truth converts a scalar to a C-like boolean per Python truthiness.
func truth(e ir.Expr) ir.Expr {
	t := ir.TypeOf(e)
	if t.DType == types.Bool {
		return e
	}
	return &ir.Bin{Op: ir.Ne, X: e, Y: zeroOf(t.DType), T: types.BoolT}
}

func (v *val) asLazy() *lazyArr {
	if v.lazy != nil {
		return v.lazy
	}
	a := v.arr
	shape := make([]ir.Expr, a.Type.NDim)
	for i := range shape {
		shape[i] = &ir.Dim{Arr: a, Axis: i}
		if unitAxis(a, i) {
			shape[i] = ir.IntConst(1)
		}
	}
	return &lazyArr{label: quoteName(v.name), dtype: a.Type.DType, shape: shape, gen: func(idx []ir.Expr) ir.Expr {
		return &ir.Load{Arr: a, Idx: idx}
	}}
}

// idxVars makes fresh loop variables for a nest of rank n.
func (f *fn) idxVars(n int) ([]*ir.Var, []ir.Expr) {
	vs := make([]*ir.Var, n)
	es := make([]ir.Expr, n)
	for i := range vs {
		vs[i] = &ir.Var{Name: f.unique(fmt.Sprintf("i%d", i)), Type: types.ScalarOf(types.Int64), Param: -1}
		f.f.Locals = append(f.f.Locals, vs[i])
		es[i] = &ir.Ref{Var: vs[i]}
	}
	return vs, es
}

// materialize makes v exist as an array variable.
func (f *fn) materialize(v *val) *ir.Var {
	if v.arr != nil {
		return v.arr
	}
	dst := f.temp(types.ArrayOf(v.lazy.dtype, len(v.lazy.shape), 'C'))
	f.fillNew(dst, v.lazy)
	return dst
}

// fillNew allocates dst with lz's shape and fills it. Extents are first
// copied into fresh variables assigned once, so later passes may use them
// in place of dst's extents.
func (f *fn) fillNew(dst *ir.Var, lz *lazyArr) {
	shape := make([]ir.Expr, len(lz.shape))
	for i, e := range lz.shape {
		shape[i] = f.once(e)
	}
	f.emit(&ir.SetArray{Dst: dst, Src: &ir.Alloc{DType: dst.Type.DType, Shape: shape}})
	f.noteShape(dst, shape)
	vs, idx := f.idxVars(len(shape))
	f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{
		&ir.Store{Arr: dst, Idx: idx, Src: conv(lz.gen(idx), dst.Type.DType)},
	}})
}

// once returns e, or a fresh variable assigned e when e is not a constant.
func (f *fn) once(e ir.Expr) ir.Expr {
	if _, ok := e.(*ir.Const); ok {
		return e
	}
	t := f.temp(types.ScalarOf(types.Int64))
	f.emit(&ir.Assign{Dst: t, Src: e})
	return &ir.Ref{Var: t}
}

// shapeCheck requires two extents to be equal, as NumPy's broadcasting
// does for extents other than 1 (sejit does not stretch extents of 1 yet).
// The message names the operands (by their Python names where they have
// one), the axis, both extents and the line of the statement.
func (f *fn) shapeCheck(a, b []ir.Expr, la, lb, what string) {
	if la == "" {
		la = "one operand"
	}
	if lb == "" {
		lb = "another"
	}
	for i := range a {
		if ir.ExprString(a[i]) == ir.ExprString(b[i]) || isUnit(b[i]) {
			continue // equal, or an extent of 1 that stretches
		}
		msg := fmt.Sprintf("line %d: %s: %s has extent {0} but %s has extent {1} along axis %d",
			f.line, ir.MessageLiteral(what), ir.MessageLiteral(la), ir.MessageLiteral(lb), i)
		var cond ir.Expr = &ir.Bin{Op: ir.Eq, X: a[i], Y: b[i], T: types.BoolT}
		if f.stretch {
			cond = &ir.Bin{Op: ir.Or, X: cond, Y: &ir.Bin{Op: ir.Eq, X: b[i], Y: ir.IntConst(1), T: types.BoolT}, T: types.BoolT}
		} else {
			f.dynPairs = append(f.dynPairs, [2]ir.Expr{a[i], b[i]})
		}
		f.emit(&ir.Check{Cond: cond, Err: ir.ErrValue, Msg: msg, Args: []ir.Expr{a[i], b[i]}})
	}
}

// broadcast aligns the operands' trailing axes and returns the result
// shape, emitting the checks that the aligned extents agree.
func (f *fn) broadcast(ops []*lazyArr) []ir.Expr {
	var shape []ir.Expr
	for _, o := range ops {
		if o != nil && len(o.shape) > len(shape) {
			shape = o.shape
		}
	}
	shape = stretchShape(shape, ops)
	if f.stretch {
		shape = f.stretchDynamic(shape, ops)
	}
	label := ""
	for _, o := range ops {
		if o != nil && len(o.shape) == len(shape) {
			label = o.label
			break
		}
	}
	for _, o := range ops {
		if o == nil {
			continue
		}
		f.shapeCheck(shape[len(shape)-len(o.shape):], o.shape, label, o.label, "operands could not be broadcast together")
	}
	return shape
}

// elemOf returns a generator of v's elements for a result of rank n: a
// scalar broadcasts, a lower-rank array uses the trailing indices.
func elemOf(v *val, n int) func(idx []ir.Expr) ir.Expr {
	if v.t.Kind == types.Scalar {
		s := v.s
		return func([]ir.Expr) ir.Expr { return s }
	}
	lz := v.asLazy()
	r := len(lz.shape)
	return func(idx []ir.Expr) ir.Expr { return lz.gen(unitIndex(lz.shape, idx[n-r:])) }
}

// scalarize evaluates a scalar operand once when an array expression will
// read it at every element: a fresh variable, unless it is already a
// constant or a variable.
func (f *fn) stable(v *val) *val {
	if v.t.Kind != types.Scalar {
		return v
	}
	switch v.s.(type) {
	case *ir.Const, *ir.Ref:
		return v
	}
	t := f.temp(ir.TypeOf(v.s))
	f.emit(&ir.Assign{Dst: t, Src: v.s})
	return &val{t: v.t, s: &ir.Ref{Var: t}}
}

// elementwise combines operands into a lazy array (if any is an array) or
// a scalar, computing each element with op.
func (f *fn) elementwise(rt *types.Type, ops []*val, op func(xs []ir.Expr) ir.Expr) *val {
	if rt.Kind != types.Array {
		xs := make([]ir.Expr, len(ops))
		for i, o := range ops {
			xs[i] = o.s
		}
		return &val{t: rt, s: op(xs)}
	}
	var lzs []*lazyArr
	for i, o := range ops {
		ops[i] = f.stable(o)
		if o.t.Kind == types.Array {
			lzs = append(lzs, o.asLazy())
		}
	}
	shape := f.broadcast(lzs)
	gens := make([]func([]ir.Expr) ir.Expr, len(ops))
	for i, o := range ops {
		gens[i] = f.elemOfShape(o, shape)
	}
	label := ""
	if len(lzs) == 1 {
		label = lzs[0].label
	}
	return &val{t: rt, lazy: &lazyArr{label: label, dtype: rt.DType, shape: shape, gen: func(idx []ir.Expr) ir.Expr {
		xs := make([]ir.Expr, len(gens))
		for i, g := range gens {
			xs[i] = g(idx)
		}
		return op(xs)
	}}}
}

// rootsRead lists the roots of the arrays an element of lz reads.
func (f *fn) arraysRead(lz *lazyArr) map[*ir.Var]bool {
	vs := map[*ir.Var]bool{}
	probe := make([]ir.Expr, len(lz.shape))
	for i := range probe {
		probe[i] = ir.IntConst(0)
	}
	ir.VisitExpr(lz.gen(probe), func(x ir.Expr) {
		if ld, ok := x.(*ir.Load); ok {
			vs[ld.Arr] = true
		}
	})
	return vs
}

// mayOverlap reports whether writing to dst while reading lz could read
// an element already written: the same array, or views of one root.
func (f *fn) mayOverlap(dst *ir.Var, lz *lazyArr) bool {
	for v := range f.arraysRead(lz) {
		if v == dst || f.rootOf(v) == f.rootOf(dst) && f.rootOf(v) != nil {
			return true
		}
	}
	return false
}

// rootOf identifies the memory an array variable views at this point of
// the body: a parameter position, or the allocation (a variable) for arrays
// the function made. Lowering sees a loop body once, so inside a loop that
// rebinds arrays the answer holds for the first iteration only; the
// overlap snapshots (overlap.go) decide with bindings of every iteration.
func (f *fn) rootOf(v *ir.Var) any {
	if r, ok := f.bound[v]; ok {
		return r
	}
	if p, ok := f.root[v]; ok && p >= 0 {
		return p
	}
	return v
}

// bind records that array variable v now views base's memory.
func (f *fn) bind(v, base *ir.Var) {
	f.viewBase[v] = base
	f.bound[v] = f.rootOf(base)
}

// makeCells moves the variables this function owns and nested functions
// write (resolve/nonlocal.go) into cells: 0-d arrays allocated at entry,
// holding a parameter's value or zero (a read before the first assignment
// is an error in CPython; here it reads the zero).
func (f *fn) makeCells() {
	names := make([]string, 0, len(f.spec.Func.Cells))
	for name := range f.spec.Func.Cells {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := f.vars[name]
		if v == nil || v.t.Kind != types.Scalar || v.cell != nil {
			continue
		}
		cell := f.alloc(types.ArrayOf(v.t.DType, 0, 'C'), nil)
		init := ir.Expr(zeroOf(v.t.DType))
		for _, p := range f.spec.Func.Params {
			if p == name {
				init = conv(v.s, v.t.DType)
			}
		}
		f.emit(&ir.Store{Arr: cell, Src: init})
		f.vars[name] = &val{t: v.t, s: &ir.Load{Arr: cell}, cell: cell}
	}
}
