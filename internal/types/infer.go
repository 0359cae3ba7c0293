package types

import (
	"math"
	"strings"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// Info holds what inference learned about one specialization.
type Info struct {
	Types map[pyast.Expr]*Type // every expression's type
	Vars  map[string]*Type     // every local variable's type
	Ret   *Type                // the result type
	// RetNone says some path returns None (a bare return, or the end of
	// the body) while others return a Ret value: CPython's result is then
	// None on those paths. A caller may use such a call only as a
	// statement; the entry returns None to Python.
	RetNone bool
	Callees map[*pyast.Call]*Spec          // calls of user functions
	Consts  map[pyast.Expr]*pyast.Constant // names and attributes folded to constants
	// Aug is the type an augmented assignment computes its operation in,
	// before the result is cast to the target's type.
	Aug map[*pyast.AugAssign]*Type
	// Bound lists, for a call of a compiled function, the expression each
	// declared parameter receives: an argument, a keyword's value or a
	// default value (pylang.go).
	Bound map[*pyast.Call][]pyast.Expr
	// Alias maps a name to the expression of constants it stands for (a
	// module-level tuple).
	Alias map[pyast.Expr]pyast.Expr
	// Reduce holds the axes and options of reductions (reduce_axis.go).
	Reduce map[*pyast.Call]*ReduceArgs
	// Prange marks the loops over sejit.prange(...) (calls_prange.go).
	Prange map[*pyast.For]bool
	// Combos holds the tuple lengths of itertools iterators (stdlib.go).
	Combos map[*pyast.Call]*ComboArity
	// Folds holds, for each functools.reduce call, how its function is
	// applied (stdlib.go).
	Folds map[*pyast.Call]*Fold
	// SortKeys holds, for each sorted() or list.sort() with key=, how the
	// key function is applied (lists.go).
	SortKeys map[*pyast.Call]*SortKey
	// Instance is the value of each isinstance call, and Folded the branch
	// each if statement that such calls decide takes (isinstance.go).
	Instance map[*pyast.Call]bool
	Folded   map[*pyast.If]bool
	// Multi marks the subscripts typed as NumPy's general integer-array
	// indexing (index_multi.go).
	Multi map[*pyast.Subscript]bool
	// UfuncAt holds, for a call ufunc.at(x, index, v), the subscript
	// x[index] it updates in place (ufunc_methods.go).
	UfuncAt map[*pyast.Call]*pyast.Subscript
	// Running holds, for a call np.maximum.accumulate(x, axis) or
	// np.minimum.accumulate, the ufunc and the axis (ufunc_methods.go).
	Running map[*pyast.Call]RunningArgs
	// Boxed marks the list variables that name the inner lists of lists
	// of lists (list_lists.go): lowering keeps them in boxes.
	Boxed map[string]bool
	// TupleArrays holds the tuple operands NumPy converts to arrays, with
	// the array type (tuple_arrays.go).
	TupleArrays map[pyast.Expr]*Type
}

// RunningArgs describe a running maximum or minimum: the ufunc's name and
// the axis it runs along.
type RunningArgs struct {
	Ufunc string
	Axis  int
}

// Spec is one function specialized to one tuple of argument types.
type Spec struct {
	Func  *resolve.Func
	Args  []*Type
	Info  *Info
	Index int // position in Program.Specs; 0 is the entry
}

// Key identifies a specialization.
func (s *Spec) Key() string { return specKey(s.Func.ID, s.Args) }

func specKey(id string, args []*Type) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.ident()
	}
	return id + "(" + strings.Join(parts, ", ") + ")"
}

// Program is every specialization reached from the entry.
type Program struct {
	Specs []*Spec
	Funcs map[string]*resolve.Func
}

// Entry is the specialization the caller asked for.
func (p *Program) Entry() *Spec { return p.Specs[0] }

type checker struct {
	prog    *Program
	byKey   map[string]*Spec
	final   bool // report errors (the last pass)
	changed bool
	errs    diag.List
	seen    map[string]bool // error messages already reported
	spec    *Spec
	synth   map[*resolve.Global]pyast.Expr // tuple globals as expressions (pylang.go)
	// discarded holds the calls whose value an expression statement drops.
	discarded map[*pyast.Call]bool
	// cellTypes are the types nested functions assign to their owners'
	// cell variables (nonlocal), joined into the owners' variables.
	cellTypes map[*resolve.Func]map[string]*Type
	// stars and varargs are the nodes bindCall makes for f(*t) and for the
	// tuple of a callee's *args (pylang.go).
	stars   map[*pyast.Starred][]pyast.Expr
	varargs map[*pyast.Call]*pyast.Tuple
	// arrayDisplays are the list displays np.array converts (lists.go).
	arrayDisplays map[*pyast.List]bool
	// The nodes of **kwargs records and of the uses of them (kwargs.go).
	kwRecords map[*pyast.Call]*pyast.Tuple
	kwFields  map[pyast.Expr]pyast.Expr
	kwSynth   map[*pyast.Attribute]bool
	kwConsts  map[kwConstKey]*pyast.Constant
	kwCalls   map[kwConstKey]*pyast.Call
	// indexLists are the list displays written as (an item of) an array's
	// index, x[[i, j]]: NumPy reads them as integer or boolean arrays, and
	// so do we (lists.go, indexListType).
	indexLists map[*pyast.List]bool
	// innerLinks maps, per specialization, a list variable to the lists of
	// lists it was read from or put into (list_lists.go).
	innerLinks map[*Spec]map[string]map[string]bool
}

// Infer types the entry function for args and every function it calls.
func Infer(funcs map[string]*resolve.Func, entry string, args []*Type) (*Program, diag.List) {
	c := &checker{prog: &Program{Funcs: funcs}, byKey: map[string]*Spec{}, seen: map[string]bool{},
		synth: map[*resolve.Global]pyast.Expr{}, discarded: map[*pyast.Call]bool{},
		stars: map[*pyast.Starred][]pyast.Expr{}, varargs: map[*pyast.Call]*pyast.Tuple{},
		cellTypes: map[*resolve.Func]map[string]*Type{},
		kwRecords: map[*pyast.Call]*pyast.Tuple{}, kwFields: map[pyast.Expr]pyast.Expr{},
		kwSynth: map[*pyast.Attribute]bool{}, kwConsts: map[kwConstKey]*pyast.Constant{},
		kwCalls:    map[kwConstKey]*pyast.Call{},
		indexLists: map[*pyast.List]bool{}}
	f := funcs[entry]
	if len(args) != len(f.Params) {
		c.final = true
		c.errorf(f.Def.P, diag.Type, "%s() takes %d positional arguments but %d were given",
			f.Def.Name, len(f.Params), len(args))
		return nil, c.errs
	}
	c.specialize(f, args)
	// Global fixed point over all specializations: variable types only grow
	// (Join is monotone) and the lattice is finite, so this terminates; the
	// bound is a guard against a bug, not a semantic limit.
	for iter := 0; ; iter++ {
		c.changed = false
		for i := 0; i < len(c.prog.Specs); i++ {
			c.pass(c.prog.Specs[i])
		}
		if !c.changed || iter > 100 {
			break
		}
	}
	c.pruneSpecs() // list_calls.go
	c.final = true
	for _, s := range c.prog.Specs {
		s.Info.Boxed = boxedLists(s) // list_lists.go
	}
	for i := 0; i < len(c.prog.Specs); i++ {
		c.pass(c.prog.Specs[i])
	}
	for _, s := range c.prog.Specs {
		for name, t := range s.Info.Vars {
			if t.IsUnknown() && strings.Contains(name, ".") {
				// A version of an attribute the object keeps whole (an
				// attribute only assigned, or one an alias may see): unused.
				delete(s.Info.Vars, name)
				continue
			}
			if t.IsUnknown() {
				c.errorf(s.Func.Def.P, diag.Type, "cannot infer the type of variable '%s' in %s()", pyast.SourceName(name), s.Func.Def.Name)
			}
		}
		c.checkLists(s)        // lists.go
		c.checkBoxed(s)        // list_lists.go
		c.checkDicts(s)        // dicts.go
		c.checkHashedParams(s) // dict_calls.go
		if s.Info.Ret.IsUnknown() {
			c.errorf(s.Func.Def.P, diag.Type, "cannot infer the result type of %s(): it never returns a value "+
				"without calling itself", s.Func.Def.Name)
		}
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return c.prog, nil
}

func (c *checker) errorf(p pyast.Pos, kind diag.Kind, format string, args ...any) *diag.Error {
	if !c.final {
		return &diag.Error{}
	}
	file := ""
	if c.spec != nil {
		file = c.spec.Func.File
	}
	e := diag.Errorf(diag.Pos{File: file, Line: p.Line, Col: p.Col}, kind, format, args...)
	key := e.Error()
	if c.seen[key] {
		return &diag.Error{}
	}
	c.seen[key] = true
	c.errs.Add(e)
	return e
}

func (c *checker) specialize(f *resolve.Func, args []*Type) *Spec {
	key := specKey(f.ID, args)
	if s, ok := c.byKey[key]; ok {
		return s
	}
	if s := c.mergeHashedArgs(f, args); s != nil { // dict_calls.go
		return s
	}
	s := &Spec{Func: f, Args: args, Index: len(c.prog.Specs), Info: &Info{
		Types: map[pyast.Expr]*Type{}, Vars: map[string]*Type{}, Ret: UnknownT,
		Callees: map[*pyast.Call]*Spec{}, Consts: map[pyast.Expr]*pyast.Constant{},
		Aug: map[*pyast.AugAssign]*Type{}, Bound: map[*pyast.Call][]pyast.Expr{}, Alias: map[pyast.Expr]pyast.Expr{},
		Prange: map[*pyast.For]bool{}, Combos: map[*pyast.Call]*ComboArity{}, Folds: map[*pyast.Call]*Fold{},
		SortKeys: map[*pyast.Call]*SortKey{},
		Multi:    map[*pyast.Subscript]bool{}, UfuncAt: map[*pyast.Call]*pyast.Subscript{},
		Running: map[*pyast.Call]RunningArgs{},
	}}
	for i, p := range f.Params {
		s.Info.Vars[p] = args[i]
	}
	for name := range f.Locals {
		if _, ok := s.Info.Vars[name]; !ok {
			s.Info.Vars[name] = UnknownT
		}
	}
	c.byKey[key] = s
	c.prog.Specs = append(c.prog.Specs, s)
	c.changed = true
	return s
}

func (c *checker) pass(s *Spec) {
	saved := c.spec
	c.spec = s
	for name, t := range c.cellTypes[s.Func] {
		if _, nl := s.Func.Nonlocals[name]; !nl {
			c.assignVar(name, t, s.Func.Def.P)
		}
	}
	c.stmts(s.Func.Def.Body)
	if !endsInReturn(s.Func.Def.Body) || !hasReturn(s.Func.Def.Body) {
		// Falling off the end returns None. A function without a return
		// statement that cannot fall off the end always raises: None is
		// its type too (as in CPython, where it has no other), so that its
		// callers compile and its exception reaches them; `return fail()`
		// then joins None into the caller's result (RetNone), a value the
		// caller never sees since the call raises first.
		c.setRet(NoneT, s.Func.Def.P)
	}
	c.spec = saved
}

func (c *checker) info() *Info { return c.spec.Info }

// assignVar joins t into the type of variable name.
func (c *checker) assignVar(name string, t *Type, p pyast.Pos) {
	if t.Kind == None || t.Kind == Module || t.Kind == Builtin || t.Kind == Function || t.Kind == DTypeObj {
		c.errorf(p, diag.Unsupported, "variable '%s' cannot hold a %s", name, t)
		return
	}
	if c.spec.Func.IsCell(name) && t.Kind != Scalar && !t.IsUnknown() {
		// A variable written by a nested function lives in a cell of one
		// numeric type (resolve/nonlocal.go).
		c.errorf(p, diag.Unsupported, "the variable '%s' is written by a nested function (nonlocal), so it must hold a number, not a %s", name, t).
			WithHint("keep arrays in the enclosing function and write into them (x[...] = ...)")
		return
	}
	old := c.info().Vars[name]
	j, ok := Join(old, t)
	if !ok {
		// Straight-line rebinding gets a new version of the variable
		// (resolve/versions.go), so a clash here is always at a join:
		// after an if, or at a loop head, two bindings reach one use.
		c.errorf(p, diag.Type, "variable '%s' is %s here but %s on another path, and both reach a later use "+
			"(after an if/else or around a loop)", pyast.SourceName(name), t, old).
			WithHint("convert both values to one type, or use a new variable name for one of them")
		return
	}
	if f := c.spec.Func; f.IsCell(name) {
		if _, nl := f.Nonlocals[name]; nl && !Equal(j, old) {
			// The owner's variable takes the joined type (as a variable
			// assigned int then float does): its next pass joins it in,
			// and it calls this function with the new type.
			owner := f.Outer.Owner(name)
			if c.cellTypes[owner] == nil {
				c.cellTypes[owner] = map[string]*Type{}
			}
			prev := c.cellTypes[owner][name]
			if prev == nil {
				prev = UnknownT
			}
			if jj, ok := Join(prev, j); ok && !Equal(jj, prev) {
				c.cellTypes[owner][name] = jj
				c.changed = true
			}
			return
		}
	}
	if !Equal(j, old) {
		c.info().Vars[name] = j
		c.changed = true
	}
}

func (c *checker) setRet(t *Type, p pyast.Pos) {
	old := c.info().Ret
	// None on some paths and a value on others: the value's type, with
	// RetNone (BLAS-style routines return early when n <= 0).
	if t.Kind == None && !old.IsUnknown() && old.Kind != None || old.Kind == None && !t.IsUnknown() && t.Kind != None {
		if !c.info().RetNone {
			c.info().RetNone = true
			c.changed = true
		}
		if t.Kind == None {
			return
		}
		old = UnknownT
	}
	j, ok := Join(old, t)
	if !ok {
		c.errorf(p, diag.Type, "this function returns %s here but %s elsewhere", t, old).
			WithHint("return values of one type from every return statement")
		return
	}
	if !Equal(j, old) {
		c.info().Ret = j
		c.changed = true
	}
}

func (c *checker) stmts(body []pyast.Stmt) {
	for _, s := range body {
		c.stmt(s)
	}
}

func (c *checker) stmt(s pyast.Stmt) {
	if c.stmtExt(s) {
		return
	}
	switch s := s.(type) {
	case *pyast.Return:
		if s.Value == nil {
			c.setRet(NoneT, s.P)
			return
		}
		t := c.expr(s.Value)
		if t.Kind == Module || t.Kind == Builtin || t.Kind == Function || t.Kind == DTypeObj {
			c.errorf(s.Value.Position(), diag.Unsupported, "cannot return a %s", t)
			return
		}
		if c.objectMisuse(s.Value.Position(), t, "returning") {
			return
		}
		c.setRet(t, s.P)
	case *pyast.Assign:
		t := c.expr(s.Value)
		if uf, ok := c.spec.Func.UfuncOut[s]; ok {
			c.ufuncOutCast(s, uf, t) // ufunc_methods.go
		}
		for _, tg := range s.Targets {
			c.assign(tg, t, s.Value)
		}
	case *pyast.AnnAssign:
		if s.Value != nil {
			c.assign(s.Target, c.expr(s.Value), s.Value)
		}
	case *pyast.AugAssign:
		c.augAssign(s)
	case *pyast.For:
		c.forStmt(s)
	case *pyast.While:
		c.truth(s.Test)
		c.stmts(s.Body)
	case *pyast.If:
		if c.foldIf(s) { // isinstance.go
			return
		}
		c.truth(s.Test)
		c.stmts(s.Body)
		c.stmts(s.Orelse)
	case *pyast.ExprStmt:
		if k, ok := s.Value.(*pyast.Constant); ok && k.Kind == pyast.ConstStr {
			return
		}
		if call, ok := s.Value.(*pyast.Call); ok {
			c.discarded[call] = true
		}
		c.expr(s.Value)
	case *pyast.Assert:
		c.truth(s.Test)
		if j, ok := s.Msg.(*pyast.JoinedStr); ok {
			c.fstring(j) // print.go: its fields
		}
	}
}

// truth types a condition: it must be a scalar.
func (c *checker) truth(e pyast.Expr) {
	t := c.expr(e)
	if t.Kind == Array {
		c.errorf(e.Position(), diag.Value, "the truth value of an array is ambiguous").
			WithHint("use np.any(...) or np.all(...) once they are supported, or compare elements")
	} else if !t.IsUnknown() && t.Kind != Scalar && t.Kind != List && !t.IsHashed() && t.Kind != Str {
		c.errorf(e.Position(), diag.Type, "a condition must be a number or bool, not %s", t)
	}
}

func (c *checker) assign(target pyast.Expr, t *Type, value pyast.Expr) {
	switch tg := target.(type) {
	case *pyast.Name:
		if c.listAssign(tg, t, value) { // lists.go
			return
		}
		if c.dictAssign(tg, t, value) { // dicts.go
			return
		}
		c.assignVar(c.spec.Func.VarName(tg), t, tg.P)
	case *pyast.Attribute:
		c.attrStore(tg, t) // objects.go
	case *pyast.Tuple:
		if t.IsUnknown() {
			for _, e := range tg.Elts {
				c.assign(e, UnknownT, value)
			}
			return
		}
		if t.Kind == Array && t.NDim >= 1 {
			c.unpackArray(tg, t, value) // pylang.go
			return
		}
		if t.Kind != Tuple {
			c.errorf(tg.P, diag.Type, "cannot unpack %s into %d names", t, len(tg.Elts))
			return
		}
		if starAt(tg) >= 0 {
			c.unpackStar(tg, t, value) // pylang.go
			return
		}
		if len(t.Elems) != len(tg.Elts) {
			c.errorf(tg.P, diag.Value, "cannot unpack %d values into %d names", len(t.Elems), len(tg.Elts))
			return
		}
		for i, e := range tg.Elts {
			c.assign(e, t.Elems[i], value)
		}
	case *pyast.Subscript:
		if c.listStore(tg, t) { // lists.go
			return
		}
		if c.dictStore(tg, t) { // dicts.go
			return
		}
		dst := c.expr(tg)
		if !c.storeBaseOK(tg) || dst.IsUnknown() || t.IsUnknown() {
			return
		}
		if dst.Kind == Array {
			if at := c.tupleArray(value, t); at != nil {
				t = at // a[i] = 0.0, 1.0 stores np.asarray((0.0, 1.0))
			}
		}
		if !t.IsNumeric() {
			c.errorf(value.Position(), diag.Type, "cannot store a %s into an array", t)
			return
		}
		if dst.Kind == Scalar && t.Kind == Array {
			c.errorf(value.Position(), diag.Value, "cannot store an array into a single array element")
			return
		}
		if dst.Kind == Array && t.Kind == Array && t.NDim > dst.NDim {
			c.errorf(value.Position(), diag.Value, "cannot store a %d-d array into a %d-d slice", t.NDim, dst.NDim)
			return
		}
		if dst.DType.Kind() < t.DType.Kind() && t.DType.IsComplex() {
			c.errorf(value.Position(), diag.Type, "cannot store complex values into a %s array", dst.DType)
		}
	}
}

func (c *checker) augAssign(s *pyast.AugAssign) {
	rt := c.expr(s.Value)
	if c.listAugAssign(s, rt) { // list_inplace.go
		return
	}
	switch tg := s.Target.(type) {
	case *pyast.Name:
		lt := c.info().Vars[c.spec.Func.VarName(tg)]
		c.info().Types[tg] = lt
		res := c.binop(s.Op, lt, rt, s.P)
		c.info().Aug[s] = res
		if lt.Kind == Array {
			// In place: the array keeps its dtype; NumPy refuses a cast
			// to a lower kind (same_kind casting).
			if !res.IsUnknown() && !SameKindCast(res.DType, lt.DType) {
				c.errorf(s.P, diag.Type, "cannot cast the result of this in-place operation from %s to %s",
					res.DType, lt.DType).WithHint("compute into a new array: x = x %s ...", opSymbol(s.Op))
			}
			return
		}
		c.assignVar(c.spec.Func.VarName(tg), res, tg.P)
	case *pyast.Attribute:
		// obj.x += v (objects.go): an array attribute in place, a number
		// in its cell.
		lt := c.expr(tg)
		res := c.binop(s.Op, lt, rt, s.P)
		c.info().Aug[s] = res
		if lt.Kind == Array {
			if !res.IsUnknown() && !SameKindCast(res.DType, lt.DType) {
				c.errorf(s.P, diag.Type, "cannot cast the result of this in-place operation from %s to %s",
					res.DType, lt.DType)
			}
			return
		}
		c.attrStore(tg, res)
	case *pyast.Subscript:
		if lt := c.expr(tg.Value); lt.Kind == List && lt.Elem().Kind == Array {
			// l[i] += v: in place on the array the list holds, which stays
			// the list's item (ndarray's __iadd__, then the same object
			// stored back).
			el := c.expr(tg)
			res := c.binop(s.Op, el, rt, s.P)
			c.info().Aug[s] = res
			switch {
			case el.IsUnknown() || res.IsUnknown():
			case res.Kind == Array && res.NDim > el.NDim:
				c.errorf(s.P, diag.Value, "non-broadcastable output operand: the list's arrays have %d dimensions, the result %d", el.NDim, res.NDim)
			case !SameKindCast(res.DType, el.DType):
				c.errorf(s.P, diag.Type, "cannot cast the result of this in-place operation from %s to %s",
					res.DType, el.DType)
			}
			return
		}
		if c.expr(tg.Value).Kind == List {
			if _, ok := tg.Index.(*pyast.Slice); ok {
				c.errorf(s.P, diag.Unsupported, "augmented assignment to a slice of a list is not supported").
					WithHint("write it out: l[a:b] = l[a:b] + other")
				return
			}
			lt := c.expr(tg)
			res := c.binop(s.Op, lt, rt, s.P)
			c.info().Aug[s] = res
			c.listStore(tg, res) // lists.go
			return
		}
		if c.expr(tg.Value).IsHashed() {
			lt := c.expr(tg)
			res := c.binop(s.Op, lt, rt, s.P)
			c.info().Aug[s] = res
			c.dictStore(tg, res) // dicts.go
			return
		}
		lt := c.expr(tg)
		if !c.storeBaseOK(tg) {
			return
		}
		res := c.binop(s.Op, lt, rt, s.P)
		c.info().Aug[s] = res
		if lt.Kind == Array && !res.IsUnknown() && !SameKindCast(res.DType, lt.DType) {
			c.errorf(s.P, diag.Type, "cannot cast the result of this in-place operation from %s to %s",
				res.DType, lt.DType)
		}
		if lt.Kind == Scalar && res.Kind == Array {
			c.errorf(s.P, diag.Value, "cannot store an array into a single array element")
		}
	default:
		c.errorf(s.P, diag.Unsupported, "unsupported target of an augmented assignment")
	}
}

func opSymbol(op string) string {
	switch op {
	case "Add":
		return "+"
	case "Sub":
		return "-"
	case "Mult":
		return "*"
	case "Div":
		return "/"
	case "FloorDiv":
		return "//"
	case "Mod":
		return "%"
	case "Pow":
		return "**"
	}
	return op
}

func (c *checker) forStmt(s *pyast.For) {
	c.listFor(s) // lists.go
	c.dictFor(s) // dicts.go
	if c.forExt(s) {
		return
	}
	defer c.stmts(s.Orelse)
	call, ok := s.Iter.(*pyast.Call)
	isRange := false
	if ok {
		if n, ok := call.Func.(*pyast.Name); ok && n.ID == "range" {
			if k, _ := c.spec.Func.Lookup("range"); k == resolve.BuiltinName {
				isRange = true
			}
		}
		if !isRange && c.isPrange(call) {
			isRange = true
			c.info().Prange[s] = true
		}
	}
	if !isRange {
		c.expr(s.Iter)
		c.errorf(s.Iter.Position(), diag.Unsupported, "only for loops over range(...) are supported in this version").
			WithHint("loop over indices: for i in range(len(x)): ... x[i] ...")
		c.stmts(s.Body)
		return
	}
	// Type range's arguments, not the call: range() has no value of its own.
	for _, a := range call.Args {
		at := c.expr(a)
		if !at.IsUnknown() && (at.Kind != Scalar || at.DType.Kind() > KInt) {
			c.errorf(a.Position(), diag.Type, "range() arguments must be integers, not %s", at)
		}
	}
	if len(call.Args) < 1 || len(call.Args) > 3 || len(call.Keywords) > 0 {
		c.errorf(call.P, diag.Type, "range() takes 1 to 3 positional arguments")
	}
	name, ok := s.Target.(*pyast.Name)
	if !ok {
		c.errorf(s.Target.Position(), diag.Unsupported, "the loop variable of a range loop must be a plain name")
	} else {
		c.assignVar(c.spec.Func.VarName(name), Int, name.P)
		c.info().Types[name] = Int
	}
	c.stmts(s.Body)
}

// expr types e and records the result.
func (c *checker) expr(e pyast.Expr) *Type {
	t := c.expr1(e)
	if t == nil {
		t = UnknownT
	}
	c.info().Types[e] = t
	return t
}

func (c *checker) expr1(e pyast.Expr) *Type {
	switch e := e.(type) {
	case *pyast.Name:
		return c.name(e)
	case *pyast.Constant:
		return c.constant(e)
	case *pyast.BinOp:
		if e.Op == "MatMult" {
			if t, ok := c.batchedMatmul(e, e.Left, e.Right); ok { // einsum.go
				return t
			}
		}
		l, r := c.expr(e.Left), c.expr(e.Right)
		// An array and a tuple: NumPy's operator takes the tuple as an
		// array (tuple_arrays.go).
		if r.Kind == Array {
			if at := c.tupleArray(e.Left, l); at != nil {
				l = at
			}
		}
		if l.Kind == Array {
			if at := c.tupleArray(e.Right, r); at != nil {
				r = at
			}
		}
		return c.binop(e.Op, l, r, e.P)
	case *pyast.UnaryOp:
		return c.unary(e)
	case *pyast.BoolOp:
		var t *Type = UnknownT
		for _, v := range e.Values {
			vt := c.expr(v)
			if vt.Kind == Array {
				c.errorf(v.Position(), diag.Value, "the truth value of an array is ambiguous").
					WithHint("use & and | for element-wise logic on arrays")
				return UnknownT
			}
			j, ok := Join(t, vt)
			if !ok {
				c.errorf(v.Position(), diag.Type, "operands of %s have types %s and %s", strings.ToLower(e.Op), t, vt)
				return UnknownT
			}
			t = j
		}
		return t
	case *pyast.Compare:
		return c.compare(e)
	case *pyast.IfExp:
		c.truth(e.Test)
		if hasIsinstance(c.spec.Func, e.Test) {
			// A test decided when compiling (isinstance, "k" in kw): only
			// the branch taken is typed and lowered.
			if v, ok := c.info().Decided(e.Test); ok {
				br := e.Orelse
				if v {
					br = e.Body
				}
				c.info().Alias[e] = br
				return c.expr(br)
			}
		}
		a, b := c.expr(e.Body), c.expr(e.Orelse)
		// A branch that calls a function which always raises has no value:
		// the other branch gives the type (`x if ok else fail(x)`).
		if NeverReturns(c.info(), e.Body) && !NeverReturns(c.info(), e.Orelse) {
			return b
		}
		if NeverReturns(c.info(), e.Orelse) && !NeverReturns(c.info(), e.Body) {
			return a
		}
		j, ok := Join(a, b)
		if !ok {
			c.errorf(e.P, diag.Type, "the two branches of this conditional expression have types %s and %s", a, b)
			return UnknownT
		}
		return j
	case *pyast.Call:
		return c.call(e)
	case *pyast.Attribute:
		return c.attribute(e)
	case *pyast.Subscript:
		return c.subscript(e)
	case *pyast.Tuple:
		elems := make([]*Type, len(e.Elts))
		for i, x := range e.Elts {
			elems[i] = c.expr(x)
			switch elems[i].Kind {
			case Dict, Set:
				c.errorf(x.Position(), diag.Unsupported, "a tuple cannot hold a %s yet", elems[i]).
					WithHint("keep the %s in a variable of its own", map[TKind]string{Dict: "dict", Set: "set"}[elems[i].Kind])
				return UnknownT
			case Module, Builtin, Function, DTypeObj, None:
				c.errorf(x.Position(), diag.Unsupported, "a tuple can hold numbers, arrays and tuples, not a %s", elems[i])
				return UnknownT
			}
		}
		return TupleOf(elems...)
	case *pyast.JoinedStr:
		c.fstring(e) // print.go: its fields
		return StrT  // a run-time string (strings.go)
	case *pyast.Slice:
		c.errorf(e.P, diag.Unsupported, "a slice is only allowed inside [ ]")
	case *pyast.Lambda:
		return c.nestedRef(e, c.spec.Func.Lambdas[e])
	case *pyast.List:
		if c.indexLists[e] {
			return c.indexListType(e) // lists.go
		}
		return c.listDisplay(e) // lists.go
	case *pyast.Dict:
		return c.dictDisplay(e) // dicts.go
	case *pyast.Set:
		return c.setDisplay(e) // dicts.go
	case *pyast.DictComp:
		return c.dictComp(e) // dicts.go
	case *pyast.SetComp:
		return c.setComp(e) // dicts.go
	case *pyast.ListComp:
		return c.listComp(e) // comprehensions.go
	case *pyast.GeneratorExp:
		return c.genExpr(e)
	}
	return UnknownT
}

func (c *checker) name(e *pyast.Name) *Type {
	kind, g := c.spec.Func.Lookup(e.ID)
	switch kind {
	case resolve.Local:
		return c.info().Vars[c.spec.Func.VarName(e)]
	case resolve.BuiltinName:
		return &Type{Kind: Builtin, Name: "builtins." + e.ID}
	case resolve.NestedName:
		return c.nestedRef(e, c.spec.Func.NestedFunc(e.ID))
	case resolve.GlobalName:
		return c.global(e, e.ID, g)
	}
	c.errorf(e.P, diag.Name, "name '%s' is not defined", e.ID)
	return UnknownT
}

func (c *checker) global(e pyast.Expr, name string, g *resolve.Global) *Type {
	switch g.Kind {
	case "module":
		if g.Name == "numpy" || g.Name == "numpy.random" || g.Name == "numpy.linalg" || g.Name == "math" || g.Name == "cmath" || g.Name == "sejit" ||
			stdlibModules[g.Name] {
			return &Type{Kind: Module, Name: g.Name}
		}
		c.errorf(e.Position(), diag.Unsupported, "module '%s' is not supported in compiled code", g.Name).
			WithHint("use numpy and math, or compute outside the compiled function")
	case "const":
		k := g.Const
		c.info().Consts[e] = k
		t := c.constant(k)
		if g.DType != "" {
			if d, ok := ParseDType(g.DType); ok && t.IsNumeric() {
				return ScalarOf(d)
			}
		}
		return t
	case "function":
		return &Type{Kind: Function, Name: g.ID}
	case "tuple":
		return c.tupleGlobal(e, name, g)
	case "builtin":
		return c.moduleAttr(e, g.Module, g.Name)
	default:
		c.errorf(e.Position(), diag.Unsupported, "global '%s' is a %s, which compiled code cannot use", name, g.Type).
			WithHint("pass it as an argument (a NumPy array or a number) instead")
	}
	return UnknownT
}

func (c *checker) constant(k *pyast.Constant) *Type {
	switch k.Kind {
	case pyast.ConstInt:
		if !k.Int.IsInt64() {
			c.errorf(k.P, diag.Value, "integer constant %s does not fit in int64", k.Int)
			return UnknownT
		}
		return Int
	case pyast.ConstFloat:
		return Float
	case pyast.ConstComplex:
		return WeakOf(Complex128)
	case pyast.ConstBool:
		return BoolT
	case pyast.ConstNone:
		return NoneT
	case pyast.ConstEllipsis:
		c.errorf(k.P, diag.Unsupported, "Ellipsis (...) is not supported yet")
	case pyast.ConstStr:
		if c.spec.Func.StrValues[k] {
			return StrT // a string value (strings.go)
		}
		return c.strConstant(k)
	default:
		c.errorf(k.P, diag.Unsupported, "strings and bytes are not supported")
	}
	return UnknownT
}

func (c *checker) attribute(e *pyast.Attribute) *Type {
	vt := c.expr(e.Value)
	if e.Attr == "astype" && (vt.Kind == Array || vt.Kind == Scalar && !vt.Weak) {
		return &Type{Kind: Builtin, Name: "method.astype"}
	}
	if t := scalarPart(vt, e.Attr); t != nil {
		return t
	}
	switch vt.Kind {
	case Str:
		return c.strAttr(e, vt) // strings.go
	case Module:
		return c.moduleAttr(e, vt.Name, e.Attr)
	case Array:
		switch e.Attr {
		case "shape":
			elems := make([]*Type, vt.NDim)
			for i := range elems {
				elems[i] = Int
			}
			return TupleOf(elems...)
		case "size", "ndim":
			return Int
		}
		if t, ok := c.arrayAttr(e, vt); ok {
			return t
		}
		if library.Lookup("numpy", e.Attr).Has(library.ArrayMethod) || library.Callable("ndarray", e.Attr) != nil {
			return &Type{Kind: Builtin, Name: "method." + e.Attr}
		}
		c.errorf(e.P, diag.Unsupported, "array attribute '%s' is not supported yet", e.Attr)
	case List:
		return c.listAttr(e, vt) // lists.go
	case Dict, Set:
		return c.hashedAttr(e, vt) // dicts.go
	case Tuple:
		return c.objectAttr(e, vt)
	case Unknown:
	case Scalar:
		if (e.Attr == "conjugate" || e.Attr == "conj") && vt.IsNumeric() {
			return &Type{Kind: Builtin, Name: "method." + e.Attr} // z.conjugate() is np.conjugate(z)
		}
		c.errorf(e.P, diag.Unsupported, "attribute '%s' of a %s is not supported", e.Attr, vt)
	case Builtin:
		if vt == FlagsType {
			return c.flagsAttr(e)
		}
		if vt.Name == "iinfo" || vt.Name == "finfo" {
			return c.typeInfoAttr(e, vt) // numpy_info.go
		}
		if t := c.ufuncMethodAttr(e, vt); t != nil { // ufunc_methods.go
			return t
		}
		c.errorf(e.P, diag.Unsupported, "attribute '%s' of a %s is not supported", e.Attr, vt)
	default:
		if vt == FlagsType {
			return c.flagsAttr(e)
		}
		c.errorf(e.P, diag.Unsupported, "attribute '%s' of a %s is not supported", e.Attr, vt)
	}
	return UnknownT
}

// moduleAttr types numpy.name or math.name; constants are folded.
func (c *checker) moduleAttr(e pyast.Expr, module, name string) *Type {
	switch module {
	case "numpy":
		if name == "random" {
			return &Type{Kind: Module, Name: "numpy.random"}
		}
		if name == "linalg" {
			return &Type{Kind: Module, Name: "numpy.linalg"}
		}
		if d, ok := ParseDType(name); ok {
			return &Type{Kind: DTypeObj, DType: d}
		}
		ent := library.Lookup("numpy", name)
		if ent.Is(library.Const) {
			c.info().Consts[e] = floatConst(e, numpyConst(name))
			return Float
		}
		if ent != nil {
			return &Type{Kind: Builtin, Name: "numpy." + name}
		}
		c.errorf(e.Position(), diag.Unsupported, "numpy.%s is not supported yet", name).
			WithHint("see docs/supported.md for the NumPy functions sejit compiles")
	case "numpy.random":
		if library.Callable("numpy.random", name) != nil {
			return &Type{Kind: Builtin, Name: "numpy.random." + name}
		}
		c.errorf(e.Position(), diag.Unsupported, "numpy.random.%s is not supported yet", name).
			WithHint("see docs/supported.md for the np.random functions sejit compiles")
	case "numpy.linalg":
		if library.Callable("numpy.linalg", name) != nil {
			return &Type{Kind: Builtin, Name: "numpy.linalg." + name}
		}
		c.errorf(e.Position(), diag.Unsupported, "numpy.linalg.%s is not supported yet", name).
			WithHint("see docs/supported.md for the np.linalg functions sejit compiles")
	case "sejit":
		return c.sejitAttr(e, name)
	case "math":
		ent := library.Lookup("math", name)
		if ent.Is(library.Const) {
			c.info().Consts[e] = floatConst(e, numpyConst(name))
			return Float
		}
		if ent != nil {
			return &Type{Kind: Builtin, Name: "math." + name}
		}
		c.errorf(e.Position(), diag.Unsupported, "math.%s is not supported yet", name)
	case "cmath":
		return c.cmathAttr(e, name)
	case "itertools", "functools", "operator":
		if library.Callable(module, name) != nil {
			return &Type{Kind: Builtin, Name: module + "." + name}
		}
		c.errorf(e.Position(), diag.Unsupported, "%s.%s is not supported yet", module, name).
			WithHint("see docs/supported.md for what compiles")
	default:
		c.errorf(e.Position(), diag.Unsupported, "%s.%s is not supported", module, name)
	}
	return UnknownT
}

func numpyConst(name string) float64 {
	switch name {
	case "pi":
		return math.Pi
	case "e":
		return math.E
	case "tau":
		return 2 * math.Pi
	case "inf":
		return math.Inf(1)
	case "nan":
		return math.NaN()
	case "euler_gamma":
		return 0.5772156649015329
	}
	return 0
}

func floatConst(e pyast.Expr, v float64) *pyast.Constant {
	k := &pyast.Constant{Kind: pyast.ConstFloat, Float: v}
	k.P = e.Position()
	return k
}

// isPyScalar reports a Python bool, int, float or complex.
func isPyScalar(t *Type) bool { return t.Kind == Scalar && t.Weak }

// binop types an arithmetic or bitwise operation.
func (c *checker) binop(op string, l, r *Type, p pyast.Pos) *Type {
	if l.IsUnknown() || r.IsUnknown() {
		return UnknownT
	}
	if l.Kind == Str || r.Kind == Str {
		return c.strBinop(op, l, r, p) // strings.go
	}
	if l.Kind == List || r.Kind == List {
		return c.listBinop(op, l, r, p) // lists.go
	}
	if l.IsHashed() || r.IsHashed() {
		return c.setBinop(op, l, r, p) // dicts.go
	}
	if !l.IsNumeric() || !r.IsNumeric() {
		c.errorf(p, diag.Type, "unsupported operand types for %s: %s and %s", opSymbol(op), l, r)
		return UnknownT
	}
	if op == "MatMult" {
		return c.matMulType(l, r, p)
	}
	// Python scalars (and Python bools) follow Python's rules.
	if isPyScalar(l) && isPyScalar(r) {
		ld, rd := l.DType, r.DType
		switch op {
		case "BitAnd", "BitOr", "BitXor":
			if ld == Bool && rd == Bool {
				return BoolT
			}
			if ld.Kind() > KInt || rd.Kind() > KInt {
				c.errorf(p, diag.Type, "unsupported operand types for %s: %s and %s", opSymbol(op), l, r)
				return UnknownT
			}
			return Int
		case "LShift", "RShift":
			if ld.Kind() > KInt || rd.Kind() > KInt {
				c.errorf(p, diag.Type, "unsupported operand types for shift: %s and %s", l, r)
				return UnknownT
			}
			return Int
		}
		if ld == Bool {
			ld = Int64
		}
		if rd == Bool {
			rd = Int64
		}
		d := Promote(ld, rd)
		switch op {
		case "Div":
			if d.Kind() <= KFloat {
				d = Float64
			}
		case "FloorDiv", "Mod":
			if d.IsComplex() {
				c.errorf(p, diag.Type, "can't take floor or mod of a complex number")
				return UnknownT
			}
		}
		return WeakOf(d)
	}
	d := promoteOperands(l, r)
	switch op {
	case "Div":
		if d.Kind() <= KInt {
			d = Float64
		}
	case "LShift", "RShift":
		if d == Bool { // NumPy has no boolean loop: int8
			d = Int8
		}
	case "FloorDiv", "Mod":
		if d.IsComplex() {
			c.errorf(p, diag.Type, "floor division and modulo are not defined for complex numbers")
			return UnknownT
		}
		if d == Bool { // NumPy has no boolean loop: int8
			d = Int8
		}
	case "Add", "Mult":
		// NumPy adds booleans with logical or and multiplies with and.
	case "Sub", "Pow":
		if d == Bool {
			if op == "Sub" { // NumPy raises TypeError
				c.errorf(p, diag.Type, "numpy boolean subtract, the `-` operator, is not supported").
					WithHint("use the ^ operator or np.logical_xor, or convert to int first")
				return UnknownT
			}
			d = Int8 // NumPy computes boolean powers in int8
		}
	}
	switch op {
	case "BitAnd", "BitOr", "BitXor", "LShift", "RShift":
		if d.Kind() > KInt {
			c.errorf(p, diag.Type, "bitwise operations need integer or bool operands, not %s", d)
			return UnknownT
		}
		if d == Bool && (op == "LShift" || op == "RShift") {
			d = Int8 // NumPy shifts booleans as int8
		}
	}
	return ResultOf(d, l, r)
}

func (c *checker) unary(e *pyast.UnaryOp) *Type {
	t := c.expr(e.Operand)
	if t.IsUnknown() {
		return t
	}
	if (t.Kind == List || t.IsHashed() || t.Kind == Str) && e.Op == "Not" {
		return BoolT
	}
	if !t.IsNumeric() {
		c.errorf(e.P, diag.Type, "bad operand type for unary operator: %s", t)
		return UnknownT
	}
	switch e.Op {
	case "Not":
		if t.Kind == Array {
			c.errorf(e.P, diag.Value, "the truth value of an array is ambiguous").WithHint("use ~ or np.logical_not")
			return UnknownT
		}
		return BoolT
	case "USub", "UAdd":
		if t.DType == Bool {
			if t.Kind == Scalar && t.Weak {
				return Int
			}
			c.errorf(e.P, diag.Type, "the numpy boolean negative, the `-` operator, is not supported").
				WithHint("use the ~ operator or np.logical_not")
			return UnknownT
		}
		return t
	case "Invert":
		if t.DType.Kind() > KInt {
			c.errorf(e.P, diag.Type, "bad operand type for unary ~: %s", t)
			return UnknownT
		}
		if t.DType == Bool && t.Kind == Scalar && t.Weak {
			return Int // ~True == -2 in Python; ~np.True_ is np.False_
		}
		return t
	}
	return UnknownT
}

func (c *checker) compare(e *pyast.Compare) *Type {
	if len(e.Ops) == 1 && (e.Ops[0] == "In" || e.Ops[0] == "NotIn") {
		if _, isName := e.Comparators[0].(*pyast.Name); isName {
			if rt := c.expr(e.Comparators[0]); rt.IsKwargs() {
				return c.kwargsIn(e, rt) // kwargs.go
			}
		}
	}
	l := c.expr(e.Left)
	var res *Type = BoolT
	for i, op := range e.Ops {
		r := c.expr(e.Comparators[i])
		if l.IsUnknown() || r.IsUnknown() {
			res = UnknownT
			l = r
			continue
		}
		if (op == "In" || op == "NotIn") && r.Kind == List && len(e.Ops) == 1 && ListItem(l) && l.Kind != Array &&
			(r.Elem().IsUnknown() || l.Kind == r.Elem().Kind && len(l.Elems) == len(r.Elem().Elems)) {
			return BoolT
		}
		if (op == "In" || op == "NotIn") && len(e.Ops) == 1 && listInCompare(l, r) {
			return BoolT // [1, 2] in grid (list_compare.go)
		}
		if l.Kind == List && r.Kind == List && op != "In" && op != "NotIn" && op != "Is" && op != "IsNot" {
			return c.listCompare(e, op, l, r) // list_compare.go
		}
		if (op == "In" || op == "NotIn") && r.IsHashed() && len(e.Ops) == 1 {
			if !c.keyOK(l, e.Left.Position(), map[TKind]string{Dict: "dict", Set: "set"}[r.Kind]) ||
				!c.lookupOK(r, l, e.Left.Position()) { // dicts.go
				return UnknownT
			}
			return BoolT
		}
		if l.Kind == Str || r.Kind == Str || r.Kind == List && r.Elem().Kind == Str || l.Kind == Str && r.Kind == Tuple {
			if c.strCompare(e, op, l, r) == nil { // strings.go
				return UnknownT
			}
			l = r
			continue
		}
		if (op == "In" || op == "NotIn") && r.IsHashed() && len(e.Ops) == 1 {
			if !c.keyOK(l, e.Left.Position(), map[TKind]string{Dict: "dict", Set: "set"}[r.Kind]) {
				return UnknownT
			}
			return BoolT
		}
		if (op == "In" || op == "NotIn") && r.Kind == Tuple {
			return c.inTuple(e, l, r) // pylang.go
		}
		if l.Kind == Tuple && r.Kind == Tuple && len(e.Ops) == 1 && op != "Is" && op != "IsNot" && op != "In" && op != "NotIn" {
			return c.tupleCompare(e, l, r) // tuple_compare.go
		}
		switch op {
		case "Is", "IsNot", "In", "NotIn":
			c.errorf(e.P, diag.Unsupported, "the '%s' comparison is not supported", strings.ToLower(op))
			return UnknownT
		}
		// A tuple compared with an array is compared as the array NumPy
		// makes of it, element by element (tuple_arrays.go).
		left := e.Left
		if i > 0 {
			left = e.Comparators[i-1]
		}
		if r.Kind == Array {
			if at := c.tupleArray(left, l); at != nil {
				l = at
			}
		}
		if l.Kind == Array {
			if at := c.tupleArray(e.Comparators[i], r); at != nil {
				r = at
			}
		}
		if !l.IsNumeric() || !r.IsNumeric() {
			c.errorf(e.P, diag.Type, "cannot compare %s and %s", l, r)
			return UnknownT
		}
		// NumPy orders complex numbers lexicographically; Python refuses.
		if (l.DType.IsComplex() || r.DType.IsComplex()) && op != "Eq" && op != "NotEq" && isPyScalar(l) && isPyScalar(r) {
			c.errorf(e.P, diag.Type, "complex numbers can only be compared with == and !=")
			return UnknownT
		}
		if !isPyScalar(l) || !isPyScalar(r) {
			res = ScalarOf(Bool) // a NumPy bool
		}
		if l.Kind == Array || r.Kind == Array {
			if len(e.Ops) > 1 {
				c.errorf(e.P, diag.Value, "chained comparisons of arrays are ambiguous").WithHint("combine with &")
				return UnknownT
			}
			return ResultOf(Bool, l, r)
		}
		l = r
	}
	return res
}

func (c *checker) subscript(e *pyast.Subscript) *Type {
	vt := c.expr(e.Value)
	if vt.IsKwargs() {
		return c.kwargsSubscript(e, vt) // kwargs.go
	}
	if vt.Kind == Builtin && (vt.Name == "numpy.mgrid" || vt.Name == "numpy.ogrid") {
		return c.grid(e, vt.Name[len("numpy."):]) // numpy_stats.go
	}
	if vt.Kind == List {
		return c.listIndex(e, vt) // lists.go
	}
	if vt.Kind == Str {
		return c.strIndex(e) // strings.go
	}
	if vt.IsHashed() {
		return c.dictIndex(e, vt) // dicts.go
	}
	var items []pyast.Expr
	if tup, ok := e.Index.(*pyast.Tuple); ok {
		items = tup.Elts
	} else {
		items = []pyast.Expr{e.Index}
	}
	if vt.Kind == Array {
		for _, it := range items {
			if l, ok := it.(*pyast.List); ok {
				c.indexLists[l] = true
			}
		}
	}
	if vt.Kind == Tuple {
		c.expr(e.Index)
		if c.objectMisuse(e.P, vt, "indexing") {
			return UnknownT
		}
		k, ok := constIndex(e.Index)
		if !ok {
			if t, ok := c.tupleItem(vt, c.expr(e.Index)); ok {
				return t
			}
			c.errorf(e.Index.Position(), diag.Unsupported, "tuples can only be indexed by integer constants, "+
				"or by a variable when they hold numbers of one type")
			return UnknownT
		}
		n := int64(len(vt.Elems))
		if k < 0 {
			k += n
		}
		if k < 0 || k >= n {
			c.errorf(e.Index.Position(), diag.Value, "tuple index out of range")
			return UnknownT
		}
		return vt.Elems[k]
	}
	if n, ok := e.Index.(*pyast.Name); ok && vt.Kind == Array {
		if it := c.expr(n); it.Kind == Tuple && tupleOfIndices(it) {
			return c.tupleVarIndex(e, it) // index_multi.go
		}
	}
	ints, slices := 0, 0
	unknownIdx := false
	contiguous := vt.Kind == Array && vt.Layout == 'C'
	sawSlice := false
	newaxes, ellipses := 0, 0
	for _, it := range items {
		if c.newaxisItem(it) {
			newaxes++
			contiguous = false
			continue
		}
		if isEllipsisItem(it) {
			ellipses++
			contiguous = false
			c.info().Types[it] = NoneT
			continue
		}
		if s, ok := it.(*pyast.Slice); ok {
			for _, x := range []pyast.Expr{s.Lower, s.Upper, s.Step} {
				if x != nil {
					xt := c.expr(x)
					if !xt.IsUnknown() && !(xt.Kind == Scalar && xt.DType.Kind() <= KInt) {
						c.errorf(x.Position(), diag.Type, "slice indices must be integers, not %s", xt)
					}
				}
			}
			full := s.Lower == nil && s.Upper == nil && s.Step == nil
			unitStep := s.Step == nil
			if k, ok := constIndex(s.Step); ok && k == 1 {
				unitStep = true
			}
			if sawSlice && !full || !unitStep {
				contiguous = false
			}
			sawSlice = true
			slices++
			continue
		}
		it_t := c.expr(it)
		switch {
		case it_t.IsUnknown():
			// Not known yet (the value a compiled callee returns, before
			// the callee is typed): the item may be an index array, so the
			// result is unknown too until a later pass, not the element a
			// scalar index would give, which then clashed with the array
			// the next pass found (`X = t[Xi]` with Xi from a helper).
			unknownIdx = true
		case it_t.Kind == Scalar && it_t.DType.Kind() == KInt:
		case it_t.Kind == Scalar && it_t.DType == Bool:
			c.errorf(it.Position(), diag.Unsupported, "indexing with a bool is not supported")
		case it_t.Kind == Array:
			if it_t.DType.Kind() == KInt && (it_t.NDim != 1 ||
				len(items) > 1 && (c.intArrayItems(items) >= 2 || !c.tupleIndexArray(items, it, it_t))) {
				return c.multiIndex(e, vt, items) // index_multi.go
			}
			if len(items) == 1 || it_t.DType == Bool || !c.tupleIndexArray(items, it, it_t) {
				return c.arrayIndex(e, it, it_t, len(items))
			}
			// One integer index array among basic indices: it keeps its
			// axis (index_array.go).
			slices++
			sawSlice = true
			contiguous = false
			continue
		default:
			c.errorf(it.Position(), diag.Type, "only integers and slices are valid indices, not %s", it_t)
		}
		if sawSlice {
			contiguous = false
		}
		ints++
	}
	if _, ok := e.Index.(*pyast.Tuple); ok {
		c.info().Types[e.Index] = UnknownT
	}
	if unknownIdx && vt.Kind == Array {
		return UnknownT
	}
	if vt.IsUnknown() {
		return UnknownT
	}
	if vt.Kind != Array {
		c.errorf(e.P, diag.Type, "a %s cannot be indexed", vt)
		return UnknownT
	}
	if ellipses > 1 {
		c.errorf(e.P, diag.Type, "an index can only have a single ellipsis ('...')")
		return UnknownT
	}
	if ints+slices > vt.NDim {
		c.errorf(e.P, diag.Type, "too many indices for array: array is %d-dimensional, but %d were indexed",
			vt.NDim, ints+slices)
		return UnknownT
	}
	rem := vt.NDim - ints + newaxes
	if rem > 8 {
		c.errorf(e.P, diag.Unsupported, "arrays of more than 8 dimensions are not supported")
		return UnknownT
	}
	if rem == 0 {
		return ScalarOf(vt.DType)
	}
	layout := byte('A')
	if contiguous {
		layout = 'C'
	}
	return ArrayOf(vt.DType, rem, layout)
}

// constIndex reads a constant integer index, possibly negated.
// tupleItem types t[i] for an integer i not known when compiling: the
// tuple's items must be numbers of one type (as `(1, -2, 5)`, or a tuple
// of float64), which the item then has whichever it is; the index is
// checked against the length when the program runs (IndexError).
func (c *checker) tupleItem(t, it *Type) (*Type, bool) {
	if len(t.Elems) == 0 || it.Kind != Scalar || !it.DType.IsInt() && it.DType != Bool {
		return nil, false
	}
	first := t.Elems[0]
	for _, x := range t.Elems {
		if x.Kind != Scalar || x.DType != first.DType || x.Weak != first.Weak {
			return nil, false
		}
	}
	return first, true
}

func constIndex(e pyast.Expr) (int64, bool) {
	switch e := e.(type) {
	case *pyast.Constant:
		if e.Kind == pyast.ConstInt && e.Int.IsInt64() {
			return e.Int.Int64(), true
		}
	case *pyast.UnaryOp:
		if e.Op == "USub" {
			if k, ok := constIndex(e.Operand); ok {
				return -k, true
			}
		}
	}
	return 0, false
}

// ConstIndex is constIndex for other phases.
func ConstIndex(e pyast.Expr) (int64, bool) { return constIndex(e) }

func (c *checker) call(e *pyast.Call) *Type {
	if t, ok := c.isinstanceCall(e); ok { // isinstance.go
		return t
	}
	if t, ok := c.kwargsCall(e); ok { // kwargs.go
		return t
	}
	if t, ok := c.starStarCall(e); ok { // kwargs.go
		return t
	}
	ft := c.expr(e.Func)
	if ft.Kind == Builtin && ft.Name == "numpy.einsum" {
		return c.einsum(e) // einsum.go
	}
	if t, ok := c.genCall(e); ok { // comprehensions.go
		return t
	}
	if t, ok := c.dictCall(e, ft); ok { // dicts.go
		return t
	}
	if t, ok := c.strCall(e, ft); ok { // strings.go
		return t
	}
	if t, ok := c.listCall(e, ft); ok { // lists.go
		return t
	}
	if ft.Kind == Builtin && ft.Name == "functools.reduce" {
		return c.reduceCall(e) // stdlib.go: its iterable is typed as one
	}
	if ft.Kind == Builtin && ft.Name == "numpy.linalg.multi_dot" {
		return c.multiDot(e) // calls_linalg.go: its list of arrays is typed item by item
	}
	args := make([]*Type, len(e.Args))
	for i, a := range e.Args {
		if modeArg(e, i) {
			args[i] = c.kwValue(a) // np.convolve(a, v, "same")
			continue
		}
		if resolve.OptionString(e, a) {
			if ft.Kind == Builtin && strings.HasPrefix(ft.Name, "numpy.linalg.") {
				args[i] = c.kwValue(a)
				continue
			}
			// resolve let it through for np.linalg's sake: any other callee refuses it as resolve would
			c.errorf(a.Position(), diag.Unsupported, "strings are not supported here").
				WithHint("compute with numbers and arrays only")
			args[i] = UnknownT
			continue
		}
		if st, ok := a.(*pyast.Starred); ok {
			// f(*t): t's type, which bindCall expands into arguments.
			args[i] = c.expr(st.Value)
			if !ft.IsUnknown() && ft.Kind != Function {
				c.errorf(st.P, diag.Unsupported, "star-arguments (*args) are only supported in calls of compiled functions").
					WithHint("pass each argument explicitly")
				return UnknownT
			}
			continue
		}
		args[i] = c.expr(a)
	}
	kw := map[string]*Type{}
	for _, k := range e.Keywords {
		if k.Name == "dtype" {
			// dtype="float32" is a dtype object, as a positional string is
			// (strConstant); other keyword strings are options (kwValue).
			kw[k.Name] = c.expr(k.Value)
			continue
		}
		kw[k.Name] = c.kwValue(k.Value)
	}
	if ft.IsUnknown() {
		return UnknownT
	}
	for _, a := range args {
		if a.IsUnknown() {
			return UnknownT
		}
	}
	for _, a := range kw {
		if a.IsUnknown() {
			return UnknownT
		}
	}
	switch ft.Kind {
	case Function:
		return c.userCall(e, ft, args, kw)
	case Builtin:
		return c.builtinCall(e, ft.Name, args, kw)
	case DTypeObj:
		return c.dtypeCall(e, ft.DType, args, kw)
	}
	c.errorf(e.P, diag.Type, "a %s is not callable", ft)
	return UnknownT
}

func (c *checker) wantArgs(e *pyast.Call, name string, args []*Type, lo, hi int) bool {
	if len(args) < lo || len(args) > hi {
		if lo == hi {
			c.errorf(e.P, diag.Type, "%s() takes %d arguments (%d given)", name, lo, len(args))
		} else {
			c.errorf(e.P, diag.Type, "%s() takes %d to %d arguments (%d given)", name, lo, hi, len(args))
		}
		return false
	}
	for i, a := range args {
		if !a.IsNumeric() {
			c.errorf(e.Args[i].Position(), diag.Type, "%s() argument %d must be a number or an array, not %s", name, i+1, a)
			return false
		}
	}
	return true
}

func (c *checker) noKeywords(e *pyast.Call, name string, kw map[string]*Type, allowed ...string) bool {
	for k := range kw {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			c.errorf(e.P, diag.Unsupported, "%s() keyword argument '%s' is not supported", name, k)
			return false
		}
	}
	return true
}

// floatResult is the dtype a float-valued function computes t in.
func (c *checker) floatResult(e *pyast.Call, name string, t *Type) (DType, bool) {
	if t.Kind == Scalar && t.Weak && t.DType != Bool { // a Python bool computes as NumPy's bool
		if t.DType.IsComplex() {
			return Complex128, true
		}
		return Float64, true
	}
	d, ok := t.DType.FloatFor()
	if !ok {
		c.errorf(e.P, diag.Unsupported, "%s of %s would compute in float16, which is not supported", name, t.DType).
			WithHint("convert to float32 or float64 first")
	}
	return d, ok
}

// builtinCall types a call of a library function (package library): it
// dispatches on the module, then on the entry's Rule.
func (c *checker) builtinCall(e *pyast.Call, full string, args []*Type, kw map[string]*Type) *Type {
	if name, ok := strings.CutPrefix(full, "numpy.random."); ok {
		return c.randomCall(e, name, args, kw)
	}
	if name, ok := strings.CutPrefix(full, "generator."); ok {
		return c.drawCall(e, true, name, args, kw) // calls_generator.go
	}
	if name, ok := strings.CutPrefix(full, "numpy.linalg."); ok {
		return c.linalgCall(e, name, args, kw) // calls_linalg.go
	}
	dot := strings.IndexByte(full, '.')
	module, name := full[:dot], full[dot+1:]
	switch module {
	case "numpy":
		return c.numpyCall(e, name, args, kw)
	case "math":
		return c.mathCall(e, name, args, kw)
	case "sejit":
		return c.sejitCall(e, name, args)
	case "method":
		// x.sum() is np.sum(x).
		recv := c.info().Types[e.Func.(*pyast.Attribute).Value]
		if (name == "conjugate" || name == "conj") && recv.Kind == Array && !recv.DType.IsComplex() && len(args) == 0 {
			return recv // NumPy's method returns a real array itself
		}
		if name == "conjugate" && recv.Kind == Scalar && recv.Weak && len(args) == 0 {
			// A Python number's own method: a Python number of the same type.
			c.numpyCall(e, name, []*Type{recv}, kw)
			return recv
		}
		switch m := library.Callable("ndarray", name); {
		case m.Is(library.Method):
			return c.arrayMethod(e, name, recv, args, kw)
		case m.Is(library.AsType):
			return c.astype(e, recv, args, kw)
		}
		return c.numpyCall(e, name, append([]*Type{recv}, args...), kw)
	case "cmath":
		return c.cmathCall(e, name, args, kw)
	case "itertools":
		c.errorf(e.P, diag.Unsupported, "itertools.%s() is only supported as an iterable: of a for loop, a comprehension, "+
			"or a generator's consumer such as sum()", name)
		return UnknownT
	case "operator":
		return c.operatorCall(e, library.Callable(module, name), args)
	case "ufunc":
		uf, m, _ := strings.Cut(name, ".")
		return c.ufuncMethodCall(e, uf, m, args, kw) // ufunc_methods.go
	}
	return c.pyBuiltinCall(e, name, args, kw)
}

// pyBuiltinCall types a call of a Python builtin.
func (c *checker) pyBuiltinCall(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	switch name {
	case "enumerate", "zip", "reversed":
		c.errorf(e.P, diag.Unsupported, "%s() is only supported as the iterable of a for loop", name)
		return UnknownT
	case "print":
		c.errorf(e.P, diag.Unsupported, "print() is only supported as a statement")
		return UnknownT
	}
	if merged, ok := MergeKeywords(name, args, kw); ok {
		args, kw = merged, nil
	}
	if !c.noKeywords(e, name, kw) {
		return UnknownT
	}
	switch name {
	case "range":
		if !c.wantArgs(e, name, args, 1, 3) {
			return UnknownT
		}
		for i, a := range args {
			if a.Kind != Scalar || a.DType.Kind() > KInt {
				c.errorf(e.Args[i].Position(), diag.Type, "range() arguments must be integers, not %s", a)
			}
		}
		c.errorf(e.P, diag.Unsupported, "range() is only supported as the iterable of a for loop")
		return UnknownT
	case "len":
		if len(args) != 1 || args[0].Kind != Array && args[0].Kind != Tuple || args[0].IsObject() {
			c.errorf(e.P, diag.Type, "len() takes one array or tuple")
			return UnknownT
		}
		if args[0].Kind == Array && args[0].NDim == 0 {
			c.errorf(e.P, diag.Type, "len() of unsized object")
			return UnknownT
		}
		return Int
	case "abs":
		if !c.wantArgs(e, name, args, 1, 1) {
			return UnknownT
		}
		t := args[0]
		if t.DType.IsComplex() {
			return t.WithDType(t.DType.RealOf())
		}
		if t.Kind == Scalar && t.DType == Bool && t.Weak {
			return Int // abs(True) == 1; abs(np.True_) is np.True_
		}
		return t
	case "min", "max":
		if len(args) == 1 && args[0].Kind == Tuple {
			return c.minMaxTuple(e, name, args[0].Elems)
		}
		if len(args) == 1 && args[0].Kind == Array {
			return c.numpyCall(e, name, args, kw)
		}
		if !c.wantArgs(e, name, args, 2, 16) {
			return UnknownT
		}
		t := args[0]
		for i, a := range args[1:] {
			if a.Kind != Scalar || t.Kind != Scalar {
				c.errorf(e.Args[i+1].Position(), diag.Type, "%s() of arrays: use np.%simum", name, name)
				return UnknownT
			}
			j, _ := Join(t, a)
			t = j
		}
		if t.DType.IsComplex() {
			c.errorf(e.P, diag.Type, "complex numbers are not ordered")
			return UnknownT
		}
		return t
	case "int", "float", "bool", "complex":
		return c.pyCast(e, name, args)
	case "round":
		if len(args) == 2 {
			return c.roundDigits(e, args[0], args[1])
		}
		if !c.wantArgs(e, name, args, 1, 2) {
			return UnknownT
		}
		if args[0].Kind != Scalar || args[0].DType.IsComplex() {
			c.errorf(e.P, diag.Type, "round() takes a real number")
			return UnknownT
		}
		return Int
	case "pow":
		if len(args) == 3 {
			return c.powMod(e, args)
		}
		if !c.wantArgs(e, name, args, 2, 2) {
			return UnknownT
		}
		return c.binop("Pow", args[0], args[1], e.P)
	case "divmod":
		if !c.wantArgs(e, name, args, 2, 2) {
			return UnknownT
		}
		q := c.binop("FloorDiv", args[0], args[1], e.P)
		if q.IsUnknown() {
			return q
		}
		return TupleOf(q, q)
	case "sum":
		if len(args) >= 1 && len(args) <= 2 && args[0].Kind == Tuple {
			return c.sumTuple(e, args)
		}
		if len(args) == 1 && args[0].Kind == Array {
			return c.numpyCall(e, name, args, kw)
		}
		c.errorf(e.P, diag.Unsupported, "sum() of this argument is not supported; use np.sum on an array")
	}
	return UnknownT
}

// mathCall types a call of a math function by its entry's Rule.
func (c *checker) mathCall(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	ent := library.Callable("math", name)
	lo, hi := ent.MinArgs, ent.MaxArgs
	if ent.Is(library.MathOther) || name == "hypot" && len(args) != 2 {
		return c.mathOther(e, ent, args, kw)
	} else if name == "hypot" {
		lo, hi = 2, 2
	}
	if !c.noKeywords(e, "math."+name, kw) {
		return UnknownT
	}
	if !c.wantArgs(e, "math."+name, args, lo, hi) {
		return UnknownT
	}
	for i, a := range args {
		if a.Kind != Scalar {
			c.errorf(e.Args[i].Position(), diag.Type, "math.%s() takes numbers, not %s; use np.%s for arrays",
				name, a, name)
			return UnknownT
		}
		if a.DType.IsComplex() {
			c.errorf(e.Args[i].Position(), diag.Type, "math.%s() can't take a complex number", name)
			return UnknownT
		}
	}
	switch ent.Rule {
	case library.MathInt:
		return Int
	case library.MathPred:
		return BoolT
	}
	return Float
}

func (c *checker) dtypeKw(e *pyast.Call, kw map[string]*Type) (DType, bool, bool) {
	t, ok := kw["dtype"]
	if !ok {
		return 0, false, true
	}
	if d, ok := dtypeArg(t); ok {
		return d, true, true
	}
	c.errorf(e.P, diag.Type, "dtype= must be a NumPy dtype such as np.float32, not %s", t)
	return 0, false, false
}

// shapeArg checks a shape argument: an int or a tuple of ints.
func (c *checker) shapeArg(e pyast.Expr, t *Type) (int, bool) {
	if t.Kind == Scalar && t.DType.Kind() == KInt {
		return 1, true
	}
	if t.Kind == Tuple {
		for _, x := range t.Elems {
			if x.Kind != Scalar || x.DType.Kind() != KInt {
				c.errorf(e.Position(), diag.Type, "shape entries must be integers, not %s", x)
				return 0, false
			}
		}
		if len(t.Elems) > 8 {
			c.errorf(e.Position(), diag.Unsupported, "arrays of more than 8 dimensions are not supported")
			return 0, false
		}
		return len(t.Elems), true
	}
	c.errorf(e.Position(), diag.Type, "a shape must be an int or a tuple of ints, not %s", t)
	return 0, false
}

// numpyCall types a call of a NumPy function (or an array method that is
// one) by its entry's Rule.
func (c *checker) numpyCall(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	full := "np." + name
	ent := library.Callable("numpy", name)
	if ent == nil {
		c.errorf(e.P, diag.Unsupported, "%s is not supported yet", full)
		return UnknownT
	}
	switch ent.Rule {
	case library.Ufunc, library.UfuncFloat, library.UfuncSame, library.UfuncPred, library.UfuncBinary:
		if !c.isMethodCall(e) {
			c.tupleArrayArgs(e, args) // tuple_arrays.go
		}
	}
	switch ent.Rule {
	case library.Ufunc:
		return c.ufunc(e, full, ent, args, kw)
	case library.Function:
		return c.numpyFunc(e, full, ent, args, kw)
	case library.TypeInfo:
		return c.typeInfo(e, name, args) // numpy_info.go
	case library.Creation:
		if name == "ndarray" {
			name = "empty" // np.ndarray(shape, dtype): uninitialized, as np.empty
		}
		return c.creation(e, name, args, kw)
	case library.Reduction:
		if !plainReduction(ent, args, kw) {
			return c.reduction(e, ent, args, reductionArgExprs(e, len(args)), kw)
		}
		if !c.noKeywords(e, full, kw) || !c.wantArgs(e, full, args, 1, 1) {
			if _, ok := kw["axis"]; ok {
				c.errorf(e.P, diag.Unsupported, "%s with axis= is not supported yet", full)
			}
			return UnknownT
		}
		t := args[0]
		if t.Kind == Scalar {
			t = ArrayOf(t.DType, 0, 'C')
		}
		d := t.DType
		switch name {
		case "sum", "prod":
			switch {
			case d == Bool || (d.IsInt() && !d.IsUnsigned()):
				d = Int64
			case d.IsUnsigned():
				d = Uint64
			}
		case "mean":
			if d.Kind() <= KInt {
				d = Float64
			}
		default:
			if d.IsComplex() {
				c.errorf(e.P, diag.Unsupported, "%s of complex arrays is not supported", full)
				return UnknownT
			}
		}
		return ScalarOf(d)
	case library.Where:
		if len(args) == 1 {
			return c.numpyShape(e, full, ent, args, kw)
		}
		if len(args) == 2 {
			c.errorf(e.P, diag.Value, "either both or neither of x and y should be given")
			return UnknownT
		}
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !c.wantArgs(e, full, args, ent.MinArgs, ent.MaxArgs) {
			return UnknownT
		}
		d := promoteOperands(args[1], args[2])
		return ResultOf(d, args...).withWeak(false)
	case library.UfuncFloat, library.UfuncSame, library.UfuncPred:
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !c.wantArgs(e, full, args, ent.MinArgs, ent.MaxArgs) {
			return UnknownT
		}
		t := args[0]
		var d DType
		switch ent.Rule {
		case library.UfuncPred:
			d = Bool
		case library.UfuncSame:
			d = t.DType
			if t.Kind == Scalar && t.Weak && d == Int64 || d == Bool && name != "abs" && name != "absolute" {
				d = Int64
				if t.DType == Bool && t.Kind == Array && name == "square" {
					d = Int8 // NumPy squares booleans as int8
				}
				if t.DType == Bool && (name == "conjugate" || name == "conj") {
					d = Int8 // as np.conjugate(bool) in NumPy
				}
				if t.DType == Bool && name == "negative" {
					c.errorf(e.P, diag.Type, "np.negative is not supported for booleans")
					return UnknownT
				}
			}
			if d.IsComplex() && (name == "abs" || name == "absolute") {
				d = d.RealOf()
			}
			if name == "fabs" {
				fd, ok := c.floatResult(e, full, t)
				if !ok {
					return UnknownT
				}
				d = fd
			}
		default:
			if ent.Has(library.IntPreserving) && t.DType.Kind() <= KInt && !(t.Kind == Scalar && t.Weak) {
				d = t.DType
				break
			}
			fd, ok := c.floatResult(e, full, t)
			if !ok {
				return UnknownT
			}
			if ent.Has(library.IntPreserving) && t.Kind == Scalar && t.Weak && t.DType == Int64 {
				fd = Int64
			}
			if fd.IsComplex() && !ent.Has(library.Complex) {
				c.errorf(e.P, diag.Unsupported, "%s of complex numbers is not supported yet", full)
				return UnknownT
			}
			d = fd
		}
		return ResultOf(d, t).withWeak(false)
	case library.UfuncBinary:
		op := ent.Op
		if !c.noKeywords(e, full, kw, ent.Keywords...) || !c.wantArgs(e, full, args, ent.MinArgs, ent.MaxArgs) {
			return UnknownT
		}
		if op[0] >= 'A' && op[0] <= 'Z' {
			// Ufuncs never keep Python scalar semantics: np.add(1, 2) is np.int64.
			// A Python scalar stays weak beside a NumPy operand (NEP 50).
			l, r := args[0].Strong(), args[1].Strong()
			if !(isPyScalar(args[0]) && isPyScalar(args[1])) {
				l, r = args[0], args[1]
			}
			t := c.binop(op, l, r, e.P)
			if t.IsUnknown() {
				return t
			}
			return t.withWeak(false)
		}
		d := promoteOperands(args[0], args[1])
		switch op {
		case "arctan2", "hypot", "copysign", "fmin", "fmax":
			if op != "fmin" && op != "fmax" {
				fd, ok := d.FloatFor()
				if args[0].Weak && args[1].Weak {
					fd, ok = Float64, true
				}
				if !ok {
					c.errorf(e.P, diag.Unsupported, "%s of %s would compute in float16, which is not supported", full, d).
						WithHint("convert to float32 or float64 first")
					return UnknownT
				}
				d = fd
			}
		}
		if d.IsComplex() && !ent.Has(library.ComplexOrdered) {
			c.errorf(e.P, diag.Unsupported, "%s of complex numbers is not supported", full)
			return UnknownT
		}
		return ResultOf(d, args...).withWeak(false)
	}
	c.errorf(e.P, diag.Unsupported, "%s is not supported yet", full)
	return UnknownT
}

func (t *Type) withWeak(w bool) *Type {
	if t.Kind != Scalar || t.Weak == w {
		return t
	}
	c := *t
	c.Weak = w
	return &c
}

func (c *checker) creation(e *pyast.Call, name string, args []*Type, kw map[string]*Type) *Type {
	full := "np." + name
	args, kw, ok := c.creationArgs(e, name, args, kw)
	if !ok || !c.noKeywords(e, full, kw, "dtype") {
		return UnknownT
	}
	d, hasD, ok := c.dtypeKw(e, kw)
	if !ok {
		return UnknownT
	}
	if name == "arange" {
		if !c.wantArgs(e, full, args, 1, 3) {
			return UnknownT
		}
		var t *Type = Int
		for i, a := range args {
			if a.Kind != Scalar || a.DType.IsComplex() {
				c.errorf(e.Args[i].Position(), diag.Type, "np.arange() arguments must be real numbers")
				return UnknownT
			}
			j, _ := Join(t, a)
			t = j
		}
		if !hasD {
			d = t.DType
			if d == Bool {
				d = Int64
			}
		}
		return ArrayOf(d, 1, 'C')
	}
	like := strings.HasSuffix(name, "_like")
	nfill := 0
	if strings.HasPrefix(name, "full") {
		nfill = 1
	}
	if len(args) != 1+nfill {
		c.errorf(e.P, diag.Type, "%s() takes %d positional arguments (%d given)", full, 1+nfill, len(args))
		return UnknownT
	}
	if nfill == 1 && args[1].Kind != Scalar {
		c.errorf(argPos(e, 1), diag.Type, "the fill value of %s() must be a number, not %s", full, args[1])
		return UnknownT
	}
	if like {
		src := args[0]
		if src.Kind != Array {
			c.errorf(e.Args[0].Position(), diag.Type, "%s() takes an array, not %s", full, src)
			return UnknownT
		}
		if !hasD {
			d = src.DType
		}
		return ArrayOf(d, src.NDim, 'C')
	}
	ndim, ok := c.shapeArg(argExpr(e, 0, "shape"), args[0])
	if !ok {
		return UnknownT
	}
	if !hasD {
		d = Float64
		if nfill == 1 {
			f := args[1]
			d = f.DType
			if f.Weak {
				d = defaultOf(f.DType.Kind())
			}
		}
	}
	return ArrayOf(d, ndim, 'C')
}

// endsInReturn reports that control never falls off the end of body.
// NeverReturns reports a call of a compiled function that always raises:
// one with no return statement that cannot fall off its end (its result
// type is None, pass).
func NeverReturns(info *Info, e pyast.Expr) bool {
	call, ok := e.(*pyast.Call)
	if !ok {
		return false
	}
	s := info.Callees[call]
	if s == nil {
		return false
	}
	body := s.Func.Def.Body
	return !hasReturn(body) && endsInReturn(body)
}

// hasReturn reports a return statement in body, outside nested definitions.
func hasReturn(body []pyast.Stmt) bool {
	found := false
	pyast.WalkStmts(body, func(s pyast.Stmt) bool {
		if _, ok := s.(*pyast.Return); ok {
			found = true
		}
		return !found
	}, nil)
	return found
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
	case *pyast.While:
		if k, ok := s.Test.(*pyast.Constant); ok && (k.Kind == pyast.ConstBool && k.Bool || k.Kind == pyast.ConstInt && k.Int.Sign() != 0) {
			return true
		}
	}
	return false
}
