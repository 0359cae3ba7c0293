package bytecode

import (
	"encoding/json"
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// Decompile rebuilds the definition of a function from the JSON of its code
// object (docs/protocol.md, "bytecode"). ndefaults is the number of default
// parameter values (their values travel in the request's "defaults"). file
// names the function's file in diagnostics (`<stdin>`, `<string>`).
func Decompile(data []byte, ndefaults int, file string) (fn *pyast.FunctionDef, err *diag.Error) {
	var c codeJSON
	if e := json.Unmarshal(data, &c); e != nil {
		return nil, diag.Errorf(diag.Pos{File: file}, diag.Internal, "decoding the bytecode: %v", e)
	}
	if file == "" {
		file = c.Filename
	}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			fn, err = nil, b.err
		}
	}()
	d := &dec{file: file, codes: map[*pyast.UnsupportedExpr]int{}, comps: map[*pyast.UnsupportedExpr]*comp{}, appends: map[*pyast.ExprStmt]bool{}, assertNames: map[*pyast.Name]bool{}, asserts: map[*pyast.Raise]pyast.Expr{}}
	fn = d.function(&c, pyast.Pos{Line: c.FirstLineno, Col: 1})
	for i := 0; i < ndefaults; i++ {
		// Placeholders: the resolver reads the values CPython computed.
		fn.Defaults = append(fn.Defaults, &pyast.Constant{Kind: pyast.ConstNone})
	}
	d.tidyFunction(fn)
	return fn, nil
}

// bail carries an error out of the recursive descent.
type bail struct{ err *diag.Error }

type dec struct {
	file string
	c    *codeJSON
	ins  []instr
	seen []bool
	back map[int]int // instruction index → last index of a jump back to it
	// serial numbers values in push order (tuple assignments keep it).
	serial int
	// Nested code objects on the stack (LOAD_CONST of a code object) by
	// their index in the code's children.
	codes map[*pyast.UnsupportedExpr]int
	// 3.11's list comprehensions, built from their function's code, until
	// the call that gives them their iterable.
	comps   map[*pyast.UnsupportedExpr]*comp
	inComp  bool
	appends map[*pyast.ExprStmt]bool // LIST_APPEND of a comprehension's element
	ncomps  int
	// The AssertionError of assert statements, and the raises that are
	// asserts (with their message, nil if none): tidying turns
	// `if not t: raise` back into `assert t`.
	assertNames map[*pyast.Name]bool
	asserts     map[*pyast.Raise]pyast.Expr
	// The exception table in instruction indices, and the handlers a
	// try statement consumed, which the walk jumps over (try.go).
	exc   []excEntry
	tries []tryRange
	skip  map[int]int
	// fcopy: the copies of a try … finally's final code on the ways out
	// of its body, by index, with their length (try.go, finallyCopies).
	fcopy map[int]int
	// jumpEnd: the index after the last break or continue clauseJump read.
	jumpEnd int
}

func (d *dec) fail(p pyast.Pos, format string, args ...any) {
	panic(bail{diag.Errorf(diag.Pos{File: d.file, Line: p.Line, Col: p.Col}, diag.Unsupported, format, args...).
		WithHint("define the function in a file (or a notebook cell) so that sejit can read its source")})
}

// function decompiles one code object (the entry, a lambda or a nested
// def) with its own instruction stream.
func (d *dec) function(c *codeJSON, at pyast.Pos) *pyast.FunctionDef {
	ins, err := normalize(c)
	if err != nil {
		panic(bail{diag.Errorf(diag.Pos{File: d.file, Line: at.Line, Col: at.Col}, diag.Internal, "bytecode of %s: %v", c.Qualname, err)})
	}
	if c.Version != "3.11" && c.Version != "3.12" && c.Version != "3.13" {
		d.fail(at, "sejit decompiles the bytecode of CPython 3.11 to 3.13, not %s", c.Version)
	}
	saved := *d
	d.c, d.ins, d.seen, d.back, d.skip = c, ins, make([]bool, len(ins)), map[int]int{}, map[int]int{}
	defer func() {
		d.c, d.ins, d.seen, d.back = saved.c, saved.ins, saved.seen, saved.back
		d.exc, d.tries, d.skip, d.fcopy = saved.exc, saved.tries, saved.skip, saved.fcopy
	}()
	d.exc = d.excTable(c)
	d.tries = d.tryRanges()
	d.fcopy = d.finallyCopies()
	for i, x := range ins {
		if x.target >= 0 && x.target <= i {
			d.back[x.target] = i
		}
	}
	fn := &pyast.FunctionDef{Name: c.Name}
	fn.P = at
	for _, x := range ins {
		switch x.op {
		case "BEFORE_WITH", "BEFORE_ASYNC_WITH", "SETUP_FINALLY", "SETUP_WITH":
			// The source route refuses with statements too (resolve).
			panic(bail{diag.Errorf(diag.Pos{File: d.file, Line: x.pos.Line, Col: x.pos.Col}, diag.Unsupported,
				"with statements are not supported").WithHint("move resource handling out of the compiled function")})
		}
	}
	switch {
	case c.Generator:
		d.fail(at, "a generator function (yield) cannot be decompiled from bytecode")
	case c.KwOnlyCount > 0:
		// Their defaults' names travel apart (__kwdefaults__).
		fn.Extra, fn.ExtraPos = "keyword-only parameters", at
	}
	param := func(i int) {
		if i < len(c.VarNames) {
			p := &pyast.Param{Name: c.VarNames[i]}
			p.P = at
			fn.Params = append(fn.Params, p)
		}
	}
	for i := 0; i < c.ArgCount; i++ {
		param(i)
	}
	fn.NPos = len(fn.Params)
	// co_varnames: the positional parameters, then *args's name, then
	// **kwargs's (keyword-only ones, refused above, would come between).
	if c.VarArgs {
		fn.Vararg = true
		param(c.ArgCount)
	}
	if c.VarKeywords {
		fn.Kwarg = true
		n := c.ArgCount
		if c.VarArgs {
			n++
		}
		param(n)
	}
	end := d.handlers()
	fn.Body = d.block(0, end, &ctx{end: end})
	for i, s := range d.seen {
		if !s {
			d.fail(ins[i].pos, "control flow that the bytecode decompiler cannot follow (%s)", ins[i].op)
		}
	}
	return fn
}

// ctx describes the region being decompiled: where falling off its end
// goes, and the loop around it.
type ctx struct {
	end  int // canonical index reached by falling off the region
	loop *loop
	base int // iterator sentinels below the region's values
	// handler: inside an except clause, where a bare raise re-raises and
	// a return leaves through POP_EXCEPT (exceptName: the clause's `as`).
	handler    bool
	exceptName string
}

type loop struct {
	cont  map[int]bool // canonical indices meaning continue
	brk   int          // canonical index meaning break
	isFor bool
	base  int // stack depth inside the body (the iterators of enclosing for loops and this one)
}

type labelKind int

const (
	lInside labelKind = iota
	lEnd
	lCont
	lBreak
	lBad
)

// canon follows unconditional jumps to the first instruction really executed.
func (d *dec) canon(i int) int {
	for n := 0; n < 64 && i < len(d.ins) && d.ins[i].op == "JUMP"; n++ {
		i = d.ins[i].target
	}
	return i
}

func (d *dec) classify(t, lo, hi int, c *ctx) labelKind {
	ct := d.canon(t)
	if ct == d.canon(c.end) {
		return lEnd
	}
	if c.loop != nil {
		if c.loop.cont[ct] {
			return lCont
		}
		if ct == c.loop.brk {
			return lBreak
		}
	}
	if t > lo && t < hi {
		return lInside
	}
	return lBad
}

// ---- the value stack ----

type entryKind int

const (
	eValue       entryKind = iota
	eNull                  // the NULL of the CALL convention
	eMethod                // a method loaded with its self (LOAD_METHOD, LOAD_ATTR with the method bit)
	eIter                  // an iterator of an enclosing for loop
	eAug                   // the result of an in-place operator, waiting for its store
	eUnpack                // one slot of UNPACK_SEQUENCE
	eAssertError           // LOAD_ASSERTION_ERROR
	eKwNames               // 3.13: the keyword names tuple of CALL_KW
	eSaved                 // 3.12+: a variable an inlined comprehension saved (LOAD_FAST_AND_CLEAR)
)

type entry struct {
	kind   entryKind
	e      pyast.Expr
	serial int
	aug    *pyast.AugAssign
	unpack *unpacking
	slot   int
	names  []string
}

type unpacking struct {
	value   pyast.Expr
	entry   entry // the unpacked value as it was on the stack
	targets []pyast.Expr
	left    int
	pos     pyast.Pos
	// A nested unpacking fills a slot of its parent.
	parent     *unpacking
	parentSlot int
}

// sim is the symbolic state of one region.
type sim struct {
	stack []entry
	out   []pyast.Stmt
	// A group of stores that empties the stack together (a tuple assignment).
	group []groupStore
	expr  bool // expression mode: no statements allowed
}

type groupStore struct {
	target pyast.Expr
	value  entry
}

func (d *dec) push(s *sim, e pyast.Expr) {
	d.serial++
	s.stack = append(s.stack, entry{kind: eValue, e: e, serial: d.serial})
}

func (d *dec) pop(s *sim, base int, x instr) entry {
	if len(s.stack) <= base {
		d.fail(x.pos, "stack use the bytecode decompiler cannot follow (%s)", x.op)
	}
	e := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	return e
}

func (d *dec) popValue(s *sim, base int, x instr) pyast.Expr {
	e := d.pop(s, base, x)
	if e.kind != eValue {
		d.fail(x.pos, "stack use the bytecode decompiler cannot follow (%s)", x.op)
	}
	return e.e
}

func (d *dec) emit(s *sim, st pyast.Stmt, x instr) {
	if s.expr {
		panic(notExpr{})
	}
	if len(s.group) > 0 {
		d.fail(x.pos, "an assignment expression (:=) cannot be decompiled from bytecode")
	}
	s.out = append(s.out, st)
}

// notExpr abandons an attempt to read a region as one expression.
type notExpr struct{}

// block decompiles instructions [lo, hi) as statements.
func (d *dec) block(lo, hi int, c *ctx) []pyast.Stmt {
	s := &sim{}
	for k := 0; k < c.base; k++ {
		s.stack = append(s.stack, entry{kind: eIter})
	}
	d.run(lo, hi, c, s)
	if len(s.stack) != c.base || len(s.group) > 0 {
		p := pyast.Pos{}
		if lo < len(d.ins) {
			p = d.ins[min(hi, len(d.ins))-1].pos
		}
		d.fail(p, "stack use the bytecode decompiler cannot follow")
	}
	return s.out
}

// exprRegion reads [lo, hi) as exactly one expression, or reports false.
func (d *dec) exprRegion(lo, hi int, c *ctx) (e pyast.Expr, ok bool) {
	if lo >= hi {
		return nil, false
	}
	saved := append([]bool(nil), d.seen...)
	defer func() {
		if r := recover(); r != nil {
			if _, isNot := r.(notExpr); !isNot {
				if _, isBail := r.(bail); !isBail {
					panic(r)
				}
			}
			copy(d.seen, saved)
			e, ok = nil, false
		}
	}()
	s := &sim{expr: true}
	sub := &ctx{end: hi, loop: c.loop}
	d.run(lo, hi, sub, s)
	if len(s.stack) != 1 || s.stack[0].kind != eValue || len(s.out) > 0 {
		copy(d.seen, saved)
		return nil, false
	}
	return s.stack[0].e, true
}

// run simulates [lo, hi) into s.
func (d *dec) run(lo, hi int, c *ctx, s *sim) {
	i := lo
	// exitAt: the statement after a copy of final code is the way out that
	// the copy runs before; its position is the NOP of the return, break
	// or continue before the copy, or its value's.
	exitAt, exitPos := -1, pyast.Pos{}
	fixExit := func() {
		if exitAt >= 0 && len(s.out) > exitAt {
			switch st := s.out[exitAt].(type) {
			case *pyast.Return:
				if exitPos.Line > 0 {
					st.P = exitPos
				} else if st.Value != nil {
					st.P = st.Value.Position()
				}
			case *pyast.Break:
				if exitPos.Line > 0 {
					st.P = exitPos
				}
			case *pyast.Continue:
				if exitPos.Line > 0 {
					st.P = exitPos
				}
			}
			exitAt = -1
		}
	}
	defer fixExit()
	for i < hi {
		fixExit()
		if t, ok := d.skip[i]; ok && d.seen[i] {
			i = min(t, hi)
			continue
		}
		if n, ok := d.fcopy[i]; ok && !d.seen[i] && !s.expr {
			// The final code run on a way out of a try … finally: the
			// tree's try statement runs it.
			for k := i; k < i+n; k++ {
				d.mark(k)
			}
			exitAt, exitPos = len(s.out), d.ins[i].lead
			i += n
			// 3.12 and later copy a short tail that ends in a return to
			// where a break out of a while loop would jump to it.
			if c.loop != nil && !c.loop.isFor && len(s.stack) == c.base {
				if m := d.copyOf(i, c.loop.brk); m > 0 && i+m <= hi {
					for k := i; k < i+m; k++ {
						d.mark(k)
					}
					brk := &pyast.Break{}
					brk.P = d.ins[i].pos
					d.emit(s, brk, d.ins[i])
					i += m
				}
			}
			continue
		}
		if !s.expr && len(s.stack) == c.base && len(s.group) == 0 {
			if next, ok := d.tryAt(i, lo, hi, c, s); ok {
				i = next
				continue
			}
			if next, ok := d.loopAt(i, hi, c, s); ok {
				i = next
				continue
			}
		}
		i = d.step(i, lo, hi, c, s)
	}
}

func (d *dec) mark(i int) {
	if d.seen[i] {
		d.fail(d.ins[i].pos, "control flow that the bytecode decompiler cannot follow (code reached twice)")
	}
	d.seen[i] = true
}

func constant(v json.RawMessage, p pyast.Pos) (pyast.Expr, bool) {
	var t struct {
		T string `json:"t"`
	}
	if json.Unmarshal(v, &t) != nil {
		return nil, false
	}
	if t.T == "tuple" {
		var tup struct {
			V []json.RawMessage `json:"v"`
		}
		if json.Unmarshal(v, &tup) != nil {
			return nil, false
		}
		out := &pyast.Tuple{}
		out.P = p
		for _, item := range tup.V {
			e, ok := constant(item, p)
			if !ok {
				return nil, false
			}
			out.Elts = append(out.Elts, e)
		}
		return out, true
	}
	if t.T == "code" || t.T == "unsupported" {
		return nil, false
	}
	k, err := pyast.DecodeConstant(v)
	if err != nil {
		return nil, false
	}
	k.P = p
	return k, true
}

var binOps = map[string]string{
	"+": "Add", "-": "Sub", "*": "Mult", "/": "Div", "//": "FloorDiv", "%": "Mod", "**": "Pow",
	"@": "MatMult", "<<": "LShift", ">>": "RShift", "|": "BitOr", "^": "BitXor", "&": "BitAnd",
}

var cmpOps = map[string]string{"<": "Lt", "<=": "LtE", "==": "Eq", "!=": "NotEq", ">": "Gt", ">=": "GtE"}

var unaryOps = map[string]string{"UNARY_NEGATIVE": "USub", "UNARY_NOT": "Not", "UNARY_INVERT": "Invert", "UNARY_POSITIVE": "UAdd"}

func name(id string, p pyast.Pos) *pyast.Name {
	n := &pyast.Name{ID: id}
	n.P = p
	return n
}

// step simulates the instruction at i and returns the next index.
func (d *dec) step(i, lo, hi int, c *ctx, s *sim) int {
	x := d.ins[i]
	d.mark(i)
	base := c.base
	if s.expr {
		base = 0
	}
	p := x.pos
	if len(s.group) > 0 && !strings.HasPrefix(x.op, "STORE_") && x.op != "UNPACK_SEQUENCE" {
		d.fail(p, "an assignment expression (:=) cannot be decompiled from bytecode")
	}
	switch x.op {
	case "LOAD_FAST", "LOAD_DEREF", "LOAD_NAME":
		d.push(s, name(x.name, p))
		if x.name == ".0" && i+1 < hi && d.ins[i+1].op == "FOR_ITER" && !s.expr {
			// The iterator a comprehension's function is called with.
			return d.forLoop(i, hi, c, s)
		}
	case "LOAD_GLOBAL":
		// 3.11-3.13: the low bit of the argument pushes a NULL too; 3.13
		// pushes it after the callable, earlier versions before.
		if x.arg&1 == 1 && d.c.Version != "3.13" {
			s.stack = append(s.stack, entry{kind: eNull})
		}
		d.push(s, name(x.name, p))
		if x.arg&1 == 1 && d.c.Version == "3.13" {
			s.stack = append(s.stack, entry{kind: eNull})
		}
	case "PUSH_NULL":
		s.stack = append(s.stack, entry{kind: eNull})
	case "LOAD_CONST":
		var t struct {
			T string `json:"t"`
			V int    `json:"v"`
		}
		_ = json.Unmarshal(x.val, &t)
		if t.T == "code" {
			// A nested code object, until MAKE_FUNCTION.
			ref := &pyast.UnsupportedExpr{Type: "code object"}
			ref.P = p
			d.codes[ref] = t.V
			d.push(s, ref)
			break
		}
		k, ok := constant(x.val, p)
		if !ok {
			var u struct {
				V string `json:"v"`
			}
			_ = json.Unmarshal(x.val, &u)
			if u.V == "frozenset" {
				d.fail(p, "a set of constants that CPython folded into a frozenset (as in `x in {1, 2, 3}`) cannot be decompiled from bytecode")
			}
			if u.V == "" {
				u.V = "tuple holding such a constant"
			}
			d.fail(p, "a constant (%s) cannot be decompiled from bytecode", u.V)
		}
		if tup, isTup := k.(*pyast.Tuple); isTup && d.c.Version == "3.13" && i+1 < hi && d.ins[i+1].op == "CALL_KW" {
			var names []string
			for _, e := range tup.Elts {
				if kc, ok := e.(*pyast.Constant); ok && kc.Kind == pyast.ConstStr {
					names = append(names, kc.Str)
				}
			}
			s.stack = append(s.stack, entry{kind: eKwNames, names: names})
			break
		}
		d.push(s, k)
	case "LOAD_ASSERTION_ERROR":
		n := name("AssertionError", p)
		d.assertNames[n] = true
		s.stack = append(s.stack, entry{kind: eAssertError, e: n})
	case "LOAD_ATTR", "LOAD_METHOD":
		obj := d.popValue(s, base, x)
		a := &pyast.Attribute{Value: obj, Attr: x.name}
		a.P = p
		method := x.op == "LOAD_METHOD" || (d.c.Version != "3.11" && x.arg&1 == 1)
		if method {
			s.stack = append(s.stack, entry{kind: eMethod, e: a})
			d.push(s, obj)
		} else {
			d.push(s, a)
		}
	case "BINARY_OP":
		r := d.popValue(s, base, x)
		l := d.popValue(s, base, x)
		sym := strings.TrimSuffix(x.repr, "=")
		op, ok := binOps[sym]
		if !ok {
			d.fail(p, "the operator %s cannot be decompiled from bytecode", x.repr)
		}
		if strings.HasSuffix(x.repr, "=") && sym != "" && x.repr != "==" {
			aug := &pyast.AugAssign{Target: l, Op: op, Value: r}
			aug.P = p
			s.stack = append(s.stack, entry{kind: eAug, aug: aug})
			break
		}
		b := &pyast.BinOp{Op: op, Left: l, Right: r}
		b.P = p
		d.push(s, b)
	case "UNARY_NEGATIVE", "UNARY_NOT", "UNARY_INVERT", "UNARY_POSITIVE":
		v := d.popValue(s, base, x)
		u := &pyast.UnaryOp{Op: unaryOps[x.op], Operand: v}
		u.P = p
		d.push(s, u)
	case "CALL_INTRINSIC_1":
		if x.repr != "INTRINSIC_UNARY_POSITIVE" {
			d.fail(p, "%s cannot be decompiled from bytecode", x.repr)
		}
		v := d.popValue(s, base, x)
		u := &pyast.UnaryOp{Op: "UAdd", Operand: v}
		u.P = p
		d.push(s, u)
	case "COMPARE_OP", "IS_OP", "CONTAINS_OP":
		r := d.popValue(s, base, x)
		l := d.popValue(s, base, x)
		var op string
		switch x.op {
		case "COMPARE_OP":
			sym := strings.TrimSuffix(strings.TrimPrefix(x.repr, "bool("), ")")
			op = cmpOps[sym]
			if op == "" {
				d.fail(p, "the comparison %s cannot be decompiled from bytecode", x.repr)
			}
		case "IS_OP":
			op = map[int]string{0: "Is", 1: "IsNot"}[x.arg]
		default:
			op = map[int]string{0: "In", 1: "NotIn"}[x.arg]
		}
		cmp := &pyast.Compare{Left: l, Ops: []string{op}, Comparators: []pyast.Expr{r}}
		cmp.P = l.Position()
		d.push(s, cmp)
	case "BINARY_SUBSCR":
		idx := d.popValue(s, base, x)
		v := d.popValue(s, base, x)
		sub := &pyast.Subscript{Value: v, Index: idx}
		sub.P = p
		d.push(s, sub)
	case "BINARY_SLICE":
		stop := d.popValue(s, base, x)
		start := d.popValue(s, base, x)
		v := d.popValue(s, base, x)
		sl := &pyast.Slice{Lower: noneToNil(start), Upper: noneToNil(stop)}
		sl.P = p
		sub := &pyast.Subscript{Value: v, Index: sl}
		sub.P = p
		d.push(s, sub)
	case "BUILD_SLICE":
		var step pyast.Expr
		if x.arg == 3 {
			step = d.popValue(s, base, x)
		}
		stop := d.popValue(s, base, x)
		start := d.popValue(s, base, x)
		sl := &pyast.Slice{Lower: noneToNil(start), Upper: noneToNil(stop), Step: noneToNil(step)}
		sl.P = p
		d.push(s, sl)
	case "BUILD_TUPLE", "BUILD_LIST":
		elts := make([]pyast.Expr, x.arg)
		for k := x.arg - 1; k >= 0; k-- {
			elts[k] = d.popValue(s, base, x)
		}
		if x.op == "BUILD_TUPLE" {
			t := &pyast.Tuple{Elts: elts}
			t.P = p
			d.push(s, t)
		} else {
			l := &pyast.List{Elts: elts}
			l.P = p
			d.push(s, l)
		}
	case "LIST_EXTEND":
		// [1, 2, 3] is BUILD_LIST 0; LOAD_CONST (1, 2, 3); LIST_EXTEND 1.
		v := d.popValue(s, base, x)
		l, okL := s.stack[len(s.stack)-1].e.(*pyast.List)
		t, okT := v.(*pyast.Tuple)
		if x.arg != 1 || len(s.stack) <= base || !okL || !okT || len(l.Elts) != 0 {
			d.fail(p, "a list display with a starred item cannot be decompiled from bytecode")
		}
		l.Elts = t.Elts
	case "CALL", "CALL_KW":
		return d.call(i, x, s, base)
	case "KW_NAMES":
		// 3.11/3.12: the keyword names of the next CALL.
		k, ok := constant(x.val, p)
		t, okT := k.(*pyast.Tuple)
		if !ok || !okT {
			d.fail(p, "keyword arguments the bytecode decompiler cannot follow")
		}
		var names []string
		for _, e := range t.Elts {
			names = append(names, e.(*pyast.Constant).Str)
		}
		s.stack = append(s.stack, entry{kind: eKwNames, names: names})
	case "COPY":
		if len(s.stack)-x.arg < base {
			d.fail(p, "stack use the bytecode decompiler cannot follow (COPY)")
		}
		e := s.stack[len(s.stack)-x.arg]
		s.stack = append(s.stack, e)
	case "SWAP":
		if c.handler && !s.expr && x.arg == 2 && len(s.stack) == c.base+1 {
			// return v out of an except clause: v; SWAP 2; POP_EXCEPT; RETURN_VALUE.
			if end, swapped, ok := d.handlerReturn(i+1, c.exceptName); ok && swapped && end <= hi {
				v := d.popValue(s, base, x)
				for k := i + 1; k < end; k++ {
					d.mark(k)
				}
				r := &pyast.Return{Value: v}
				r.P = d.ins[end-1].pos
				for k := i + 1; k < end; k++ {
					if _, fin := d.fcopy[k]; fin {
						// The return has the line of the final code run before it.
						r.P = v.Position()
					}
				}
				d.emit(s, r, x)
				return end
			}
		}
		if x.arg == 2 && i+3 < hi && d.ins[i+1].op == "COPY" && d.ins[i+1].arg == 2 && d.ins[i+2].op == "COMPARE_OP" {
			// a < b < c: the middle operand is kept for the next link.
			return d.chainCompare(i, hi, c, s, base)
		}
		n := len(s.stack)
		if n-x.arg < 0 || (s.expr && n-x.arg < base) {
			d.fail(p, "stack use the bytecode decompiler cannot follow (SWAP)")
		}
		s.stack[n-1], s.stack[n-x.arg] = s.stack[n-x.arg], s.stack[n-1]
	case "POP_TOP":
		e := d.pop(s, 0, x)
		switch e.kind {
		case eIter:
			// Leaving a for loop: break, or the start of a return.
			if c.loop != nil && c.loop.isFor && len(s.stack) == c.loop.base-1 {
				n := i + 1
				if n < len(d.ins) && d.ins[n].op == "JUMP" && d.canon(n) == c.loop.brk {
					d.mark(n)
					brk := &pyast.Break{}
					brk.P = p
					d.emit(s, brk, x)
					s.stack = append(s.stack, entry{kind: eIter})
					return n + 1
				}
				if n == hi || d.canon(n) == c.loop.brk {
					brk := &pyast.Break{}
					brk.P = p
					d.emit(s, brk, x)
					s.stack = append(s.stack, entry{kind: eIter})
					return n
				}
			}
			// 3.12 and later copy a short tail that ends in a return to
			// where a break would jump to it: still a break.
			if c.loop != nil && c.loop.isFor && len(s.stack) == c.loop.base-1 {
				if n := d.copyOf(i+1, c.loop.brk); n > 0 {
					for k := i + 1; k < i+1+n; k++ {
						d.mark(k)
					}
					brk := &pyast.Break{}
					brk.P = p
					d.emit(s, brk, x)
					s.stack = append(s.stack, entry{kind: eIter})
					return i + 1 + n
				}
			}
			// Otherwise the loop is left by a return, which the stack
			// checks of the following instructions hold to.
		case eValue:
			// A statement while other values wait on the stack would be
			// evaluated before them in the tree but after them in the
			// bytecode.
			if len(s.stack) != base {
				d.fail(p, "stack use the bytecode decompiler cannot follow (POP_TOP)")
			}
			st := &pyast.ExprStmt{Value: e.e}
			st.P = e.e.Position()
			d.emit(s, st, x)
		default:
			d.fail(p, "stack use the bytecode decompiler cannot follow (POP_TOP)")
		}
	case "RETURN_VALUE":
		if d.inComp && i == len(d.ins)-1 && len(s.stack) == 1 && s.stack[0].kind == eIter {
			// The comprehension's list, under everything it built.
			s.stack = s.stack[:0]
			s.stack = append(s.stack, entry{kind: eIter})
			break
		}
		v := d.popValue(s, 0, x)
		r := &pyast.Return{Value: v}
		r.P = p
		d.emit(s, r, x)
		// The iterators of enclosing loops were popped before the return;
		// the region's stack is back at its base for what follows.
		for len(s.stack) < c.base {
			s.stack = append(s.stack, entry{kind: eIter})
		}
	case "STORE_FAST", "STORE_DEREF", "STORE_NAME", "STORE_ATTR", "STORE_SUBSCR", "STORE_SLICE":
		d.store(i, x, s, base)
	case "STORE_GLOBAL":
		d.fail(p, "assigning a global (global statement) cannot be decompiled from bytecode")
	case "UNPACK_SEQUENCE":
		e := d.pop(s, base, x)
		u := &unpacking{value: e.e, entry: e, targets: make([]pyast.Expr, x.arg), left: x.arg, pos: p}
		switch e.kind {
		case eUnpack:
			// (a, b), c = …: a slot of the outer unpacking, filled by a tuple.
			u.parent, u.parentSlot = e.unpack, e.slot
		case eValue:
		default:
			d.fail(p, "an assignment the bytecode decompiler cannot follow")
		}
		for k := x.arg - 1; k >= 0; k-- {
			s.stack = append(s.stack, entry{kind: eUnpack, unpack: u, slot: k})
		}
	case "RAISE_VARARGS":
		if x.arg == 0 && c.handler && !s.expr {
			r := &pyast.Raise{}
			r.P = p
			d.emit(s, r, x)
			break
		}
		if x.arg != 1 {
			d.fail(p, "a bare raise or raise … from cannot be decompiled from bytecode")
		}
		e := d.pop(s, base, x)
		if e.kind != eValue && e.kind != eAssertError {
			d.fail(p, "stack use the bytecode decompiler cannot follow (raise)")
		}
		r := &pyast.Raise{Exc: e.e}
		r.P = p
		if e.kind == eAssertError {
			d.asserts[r] = nil
		} else if call, ok := e.e.(*pyast.Call); ok {
			if fn, isA := call.Func.(*pyast.Name); isA && d.assertNames[fn] && len(call.Args) == 1 {
				d.asserts[r] = call.Args[0]
			}
		}
		d.emit(s, r, x)
	case "GET_ITER":
		return d.forLoop(i, hi, c, s)
	case "MAKE_FUNCTION":
		return d.makeFunction(i, x, s, base)
	case "POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE", "POP_JUMP_IF_NONE", "POP_JUMP_IF_NOT_NONE":
		return d.conditional(i, lo, hi, c, s)
	case "JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP":
		a := d.popValue(s, base, x)
		t := x.target
		if t <= i || t > hi {
			d.fail(p, "a boolean expression the bytecode decompiler cannot follow")
		}
		b, ok := d.exprRegion(i+1, t, c)
		if !ok {
			d.fail(p, "a boolean expression the bytecode decompiler cannot follow (a chained comparison?)")
		}
		op := "And"
		if x.op == "JUMP_IF_TRUE_OR_POP" {
			op = "Or"
		}
		vals := []pyast.Expr{a}
		if bo, same := b.(*pyast.BoolOp); same && bo.Op == op {
			vals = append(vals, bo.Values...)
		} else {
			vals = append(vals, b)
		}
		bo := &pyast.BoolOp{Op: op, Values: vals}
		bo.P = a.Position()
		d.push(s, bo)
		return t
	case "JUMP":
		if s.expr {
			panic(notExpr{})
		}
		switch d.classify(x.target, lo, hi, c) {
		case lCont:
			st := &pyast.Continue{}
			st.P = p
			d.emit(s, st, x)
		case lBreak:
			if c.loop.isFor {
				d.fail(p, "control flow that the bytecode decompiler cannot follow (break)")
			}
			st := &pyast.Break{}
			st.P = p
			d.emit(s, st, x)
		case lEnd:
			if i+1 != hi {
				d.fail(p, "control flow that the bytecode decompiler cannot follow (a jump over code)")
			}
		default:
			d.fail(p, "control flow that the bytecode decompiler cannot follow (for … else, while … else, or a jump out of the loop)")
		}
	case "FOR_ITER":
		d.fail(p, "a for loop the bytecode decompiler cannot follow")
	case "END_FOR":
		d.fail(p, "a for loop the bytecode decompiler cannot follow")
	case "LIST_APPEND":
		if !d.inComp || s.expr {
			d.fail(p, "a comprehension cannot be decompiled from bytecode")
		}
		v := d.popValue(s, base, x)
		st := &pyast.ExprStmt{Value: v}
		st.P = v.Position()
		d.appends[st] = true
		d.emit(s, st, x)
	case "LOAD_FAST_AND_CLEAR":
		d.fail(p, "a comprehension cannot be decompiled from bytecode")
	case "FORMAT_VALUE", "FORMAT_SIMPLE", "FORMAT_WITH_SPEC", "BUILD_STRING", "CONVERT_VALUE":
		d.fail(p, "an f-string cannot be decompiled from bytecode")
	case "CALL_FUNCTION_EX", "DICT_MERGE", "LIST_TO_TUPLE":
		d.fail(p, "a call with * or ** arguments cannot be decompiled from bytecode")
	case "POP_EXCEPT":
		// return <constant> out of an except clause.
		if end, swapped, ok := d.handlerReturn(i, c.exceptName); c.handler && !s.expr && ok && !swapped && end <= hi &&
			len(s.stack) == c.base {
			for k := i + 1; k < end; k++ {
				d.mark(k)
			}
			v, isConst := constant(d.ins[end-2].val, d.ins[end-2].pos)
			if !isConst {
				d.fail(p, "this try statement cannot be decompiled from bytecode")
			}
			r := &pyast.Return{Value: v}
			r.P = d.ins[end-1].pos
			for k := i + 1; k < end; k++ {
				if _, fin := d.fcopy[k]; fin {
					// The return has the line of the final code run
					// before it; the POP_EXCEPT has the return's.
					r.P = p
				}
			}
			d.emit(s, r, x)
			return end
		}
		// break or continue out of an except clause, inside a statement of
		// the clause (at its end, the clause's parser reads them).
		if c.handler && c.loop != nil && !s.expr && len(s.stack) == c.base {
			k := i + 1
			if c.exceptName != "" && d.clearsName(k, c.exceptName) {
				k += 3
			}
			if st, ok := d.clauseJump(k, i, -1, lo, hi, c); ok {
				for m := i + 1; m < k; m++ {
					d.mark(m)
				}
				d.emit(s, st, x)
				return d.jumpEnd
			}
		}
		d.fail(p, "this try statement cannot be decompiled from bytecode")
	case "PUSH_EXC_INFO", "SETUP_FINALLY", "CHECK_EXC_MATCH", "RERAISE", "BEFORE_WITH":
		d.fail(p, "this try statement cannot be decompiled from bytecode")
	case "YIELD_VALUE":
		// A generator expression's element (its function's only yield).
		if !d.inComp || s.expr || i+1 >= hi || d.ins[i+1].op != "POP_TOP" {
			d.fail(p, "a generator cannot be decompiled from bytecode")
		}
		v := d.popValue(s, base, x)
		st := &pyast.ExprStmt{Value: v}
		st.P = v.Position()
		d.appends[st] = true
		d.emit(s, st, x)
		d.mark(i + 1)
		return i + 2
	case "RETURN_GENERATOR":
		d.fail(p, "a generator cannot be decompiled from bytecode")
	case "BUILD_MAP":
		dict := &pyast.Dict{Keys: make([]pyast.Expr, x.arg), Values: make([]pyast.Expr, x.arg)}
		dict.P = p
		for k := x.arg - 1; k >= 0; k-- {
			dict.Values[k] = d.popValue(s, base, x)
			dict.Keys[k] = d.popValue(s, base, x)
		}
		d.push(s, dict)
	case "BUILD_CONST_KEY_MAP":
		// {1: a, 2: b}: the constant keys as one tuple, above the values.
		keys, ok := d.popValue(s, base, x).(*pyast.Tuple)
		if !ok || len(keys.Elts) != x.arg {
			d.fail(p, "a dict display the bytecode decompiler cannot follow")
		}
		dict := &pyast.Dict{Keys: keys.Elts, Values: make([]pyast.Expr, x.arg)}
		dict.P = p
		for k := x.arg - 1; k >= 0; k-- {
			dict.Values[k] = d.popValue(s, base, x)
		}
		d.push(s, dict)
	case "BUILD_SET":
		set := &pyast.Set{Elts: make([]pyast.Expr, x.arg)}
		set.P = p
		for k := x.arg - 1; k >= 0; k-- {
			set.Elts[k] = d.popValue(s, base, x)
		}
		d.push(s, set)
	case "DELETE_FAST", "DELETE_DEREF", "DELETE_SUBSCR":
		var t pyast.Expr = name(x.name, p)
		if x.op == "DELETE_SUBSCR" {
			idx := d.popValue(s, base, x)
			v := d.popValue(s, base, x)
			sub := &pyast.Subscript{Value: v, Index: idx}
			sub.P = v.Position()
			t = sub
		}
		if len(s.stack) != base {
			d.fail(p, "a del statement the bytecode decompiler cannot follow")
		}
		del := &pyast.Delete{Targets: []pyast.Expr{t}}
		del.P = p
		d.emit(s, del, x)
	case "SET_UPDATE", "DICT_UPDATE", "SET_ADD", "MAP_ADD":
		d.fail(p, "a set display of three or more constants, a dict display with **, or a set or dict comprehension cannot be decompiled from bytecode")
	case "IMPORT_NAME", "IMPORT_FROM":
		d.fail(p, "an import statement cannot be decompiled from bytecode")
	default:
		d.fail(p, "the instruction %s cannot be decompiled from bytecode", x.op)
	}
	return i + 1
}

func noneToNil(e pyast.Expr) pyast.Expr {
	if k, ok := e.(*pyast.Constant); ok && k.Kind == pyast.ConstNone {
		return nil
	}
	return e
}

func (d *dec) call(i int, x instr, s *sim, base int) int {
	var kwnames []string
	if x.op == "CALL_KW" {
		e := d.pop(s, base, x)
		if e.kind != eKwNames {
			d.fail(x.pos, "keyword arguments the bytecode decompiler cannot follow")
		}
		kwnames = e.names
	} else if n := len(s.stack); n > x.arg && s.stack[n-1-x.arg].kind == eKwNames {
		// KW_NAMES came before the arguments were pushed (3.12 pushes it
		// last, 3.11 too: it is just before CALL).
		kwnames = s.stack[n-1-x.arg].names
		s.stack = append(s.stack[:n-1-x.arg], s.stack[n-x.arg:]...)
	} else if n > 0 && s.stack[n-1].kind == eKwNames {
		kwnames = s.stack[n-1].names
		s.stack = s.stack[:n-1]
	}
	args := make([]pyast.Expr, x.arg)
	for k := x.arg - 1; k >= 0; k-- {
		args[k] = d.popValue(s, base, x)
	}
	q := d.pop(s, base, x)
	pe := d.pop(s, base, x)
	var fn pyast.Expr
	switch {
	case pe.kind == eMethod && q.kind == eValue:
		fn = pe.e
	case pe.kind == eNull && q.kind == eValue:
		fn = q.e
	case pe.kind == eValue && q.kind == eNull:
		fn = pe.e
	case pe.kind == eAssertError && q.kind == eValue:
		// assert t, msg: AssertionError(msg), the message in the self slot.
		fn = pe.e
		args = append([]pyast.Expr{q.e}, args...)
	default:
		d.fail(x.pos, "a call the bytecode decompiler cannot follow")
	}
	if ref, isRef := fn.(*pyast.UnsupportedExpr); isRef && hasCode(d.codes, ref) {
		d.fail(x.pos, "a comprehension cannot be decompiled from bytecode")
	}
	call := &pyast.Call{Func: fn}
	call.P = x.pos
	npos := len(args) - len(kwnames)
	if npos < 0 {
		d.fail(x.pos, "keyword arguments the bytecode decompiler cannot follow")
	}
	call.Args = args[:npos]
	for k, nm := range kwnames {
		kw := &pyast.Keyword{Name: nm, Value: args[npos+k]}
		kw.P = args[npos+k].Position()
		call.Keywords = append(call.Keywords, kw)
	}
	d.push(s, call)
	return i + 1
}

// store pops the value of a store instruction and emits its assignment.
func (d *dec) store(i int, x instr, s *sim, base int) {
	p := x.pos
	var target pyast.Expr
	var container, index, lower, upper pyast.Expr
	switch x.op {
	case "STORE_FAST", "STORE_DEREF", "STORE_NAME":
		target = name(x.name, p)
	case "STORE_ATTR":
		obj := d.popValue(s, base, x)
		a := &pyast.Attribute{Value: obj, Attr: x.name}
		a.P = obj.Position()
		target, container = a, obj
	case "STORE_SUBSCR":
		index = d.popValue(s, base, x)
		container = d.popValue(s, base, x)
		sub := &pyast.Subscript{Value: container, Index: index}
		sub.P = container.Position()
		target = sub
	case "STORE_SLICE":
		upper = d.popValue(s, base, x)
		lower = d.popValue(s, base, x)
		container = d.popValue(s, base, x)
		sl := &pyast.Slice{Lower: noneToNil(lower), Upper: noneToNil(upper)}
		sl.P = container.Position()
		sub := &pyast.Subscript{Value: container, Index: sl}
		sub.P = container.Position()
		target = sub
	}
	v := d.pop(s, base, x)
	switch v.kind {
	case eSaved:
		// The variable an inlined comprehension saved, restored.
		if x.op != "STORE_FAST" || v.names[0] != x.name {
			d.fail(p, "a comprehension the bytecode decompiler cannot follow")
		}
		return
	case eAug:
		if !sameTarget(v.aug.Target, target, container, index, lower, upper) {
			d.fail(p, "an augmented assignment the bytecode decompiler cannot follow")
		}
		d.emit(s, v.aug, x)
		return
	case eUnpack:
		u, slot := v.unpack, v.slot
		for u != nil {
			u.targets[slot] = target
			u.left--
			if u.left > 0 {
				return
			}
			t := &pyast.Tuple{Elts: u.targets}
			t.P = u.targets[0].Position()
			if u.parent == nil {
				d.assign(s, t, u.entry, base, x)
				return
			}
			u, slot, target = u.parent, u.parentSlot, t
		}
		return
	case eValue:
	default:
		d.fail(p, "an assignment the bytecode decompiler cannot follow")
	}
	d.assign(s, target, v, base, x)
}

// assign emits target = v, or adds it to the group of stores that empties
// the stack together.
func (d *dec) assign(s *sim, target pyast.Expr, v entry, base int, x instr) {
	p := x.pos
	if s.expr {
		panic(notExpr{})
	}
	// Chained (a = b = v: the same value twice) and tuple (a, b = b, a)
	// assignments leave values on the stack between their stores. (The
	// saved variables of an inlined comprehension wait there too; they are
	// no values of the statement.)
	waiting := 0
	for _, e := range s.stack[min(base, len(s.stack)):] {
		switch e.kind {
		case eValue:
			waiting++
		case eSaved:
		default:
			d.fail(p, "an assignment the bytecode decompiler cannot follow")
		}
	}
	if waiting > 0 || len(s.group) > 0 {
		s.group = append(s.group, groupStore{target, v})
		if waiting > 0 {
			return
		}
		d.flushGroup(s, p)
		return
	}
	a := &pyast.Assign{Targets: []pyast.Expr{target}, Value: v.e}
	a.P = target.Position()
	d.emit(s, a, x)
}

func (d *dec) flushGroup(s *sim, p pyast.Pos) {
	g := s.group
	s.group = nil
	same := true
	for _, gs := range g[1:] {
		if gs.value.serial != g[0].value.serial {
			same = false
		}
	}
	if same {
		// a = b = v stores a first.
		a := &pyast.Assign{Value: g[0].value.e}
		for _, gs := range g {
			a.Targets = append(a.Targets, gs.target)
		}
		a.P = g[0].target.Position()
		s.out = append(s.out, a)
		return
	}
	// The values in push order, each with its target.
	for i := 1; i < len(g); i++ {
		for j := i; j > 0 && g[j].value.serial < g[j-1].value.serial; j-- {
			g[j], g[j-1] = g[j-1], g[j]
		}
	}
	lt, rt := &pyast.Tuple{}, &pyast.Tuple{}
	for k, gs := range g {
		if k > 0 && gs.value.serial == g[k-1].value.serial {
			d.fail(p, "an assignment the bytecode decompiler cannot follow")
		}
		lt.Elts = append(lt.Elts, gs.target)
		rt.Elts = append(rt.Elts, gs.value.e)
	}
	lt.P = g[0].target.Position()
	rt.P = g[0].value.e.Position()
	a := &pyast.Assign{Targets: []pyast.Expr{lt}, Value: rt}
	a.P = lt.P
	s.out = append(s.out, a)
}

func sameTarget(t pyast.Expr, store pyast.Expr, container, index, lower, upper pyast.Expr) bool {
	switch t := t.(type) {
	case *pyast.Name:
		n, ok := store.(*pyast.Name)
		return ok && n.ID == t.ID
	case *pyast.Attribute:
		a, ok := store.(*pyast.Attribute)
		return ok && a.Attr == t.Attr && t.Value == container
	case *pyast.Subscript:
		if t.Value != container {
			return false
		}
		if sl, ok := t.Index.(*pyast.Slice); ok && lower != nil {
			return sl.Lower == noneToNil(lower) && sl.Upper == noneToNil(upper) && sl.Step == nil
		}
		return t.Index == index
	}
	return false
}

// makeFunction builds a lambda (or a nested def, stored by the next
// instruction) from a nested code object.
func (d *dec) makeFunction(i int, x instr, s *sim, base int) int {
	ce := d.popValue(s, base, x)
	ref, ok := ce.(*pyast.UnsupportedExpr)
	index, isCode := d.codes[ref]
	if !ok || !isCode {
		d.fail(x.pos, "a function definition the bytecode decompiler cannot follow")
	}
	flags := x.arg
	next := i + 1
	if d.c.Version == "3.13" {
		// 3.13 sets each attribute with its own instruction after MAKE_FUNCTION.
		flags = 0
		for next < len(d.ins) && d.ins[next].op == "SET_FUNCTION_ATTRIBUTE" {
			d.mark(next)
			flags |= d.ins[next].arg
			next++
		}
	}
	if index < 0 || index >= len(d.c.Children) {
		d.fail(x.pos, "a function definition the bytecode decompiler cannot follow")
	}
	child := d.c.Children[index]
	if (child.Name == "<listcomp>" && d.c.Version == "3.11" || child.Name == "<genexpr>") && flags&^0x08 == 0 {
		if flags&0x08 != 0 {
			d.popValue(s, base, x) // the closure: cells found by name
		}
		comp := d.compFunction(child, x.pos)
		ref := &pyast.UnsupportedExpr{Type: "comprehension"}
		ref.P = x.pos
		d.comps[ref] = comp
		d.push(s, ref)
		return next
	}
	if strings.HasPrefix(child.Name, "<") && child.Name != "<lambda>" {
		d.fail(x.pos, "a set or dict comprehension cannot be decompiled from bytecode (list comprehensions and generator expressions can)")
	}
	if flags&^(0x01|0x08) != 0 {
		d.fail(x.pos, "keyword-only defaults or annotations of a nested function cannot be decompiled from bytecode")
	}
	if flags&0x08 != 0 {
		// The closure: the cells of the enclosing function, which the
		// engine finds by name.
		d.popValue(s, base, x)
	}
	var defaults []pyast.Expr
	if flags&0x01 != 0 {
		t, ok := d.popValue(s, base, x).(*pyast.Tuple)
		if !ok {
			d.fail(x.pos, "default values the bytecode decompiler cannot follow")
		}
		defaults = t.Elts
	}
	fn := d.function(child, x.pos)
	fn.Defaults = defaults
	if child.Name == "<lambda>" {
		if len(fn.Body) != 1 {
			d.fail(x.pos, "a lambda the bytecode decompiler cannot follow")
		}
		if r, ok := fn.Body[0].(*pyast.Return); ok && r.Value != nil {
			fn.P = x.pos
			l := &pyast.Lambda{Def: fn}
			l.P = fn.P
			d.push(s, l)
			return next
		}
		d.fail(x.pos, "a lambda the bytecode decompiler cannot follow")
	}
	// A nested def: the next instruction stores it under its name.
	if next >= len(d.ins) || d.ins[next].op != "STORE_FAST" && d.ins[next].op != "STORE_DEREF" || d.ins[next].name != child.Name {
		d.fail(x.pos, "a nested function the bytecode decompiler cannot follow")
	}
	d.mark(next)
	d.tidyFunction(fn)
	d.emit(s, fn, x)
	return next + 1
}

func hasCode(m map[*pyast.UnsupportedExpr]int, e *pyast.UnsupportedExpr) bool {
	_, ok := m[e]
	return ok
}

var jsonUnmarshal = json.Unmarshal

// copyOf is the length of the code at i when it is an exact copy of the
// code at j up to and including a RETURN_VALUE (0 if it is not).
func (d *dec) copyOf(i, j int) int {
	for k := 0; i+k < len(d.ins) && j+k < len(d.ins) && j+k != i; k++ {
		a, b := d.ins[i+k], d.ins[j+k]
		if a.op != b.op || a.arg != b.arg || a.name != b.name || string(a.val) != string(b.val) || a.target >= 0 || a.repr != b.repr {
			return 0
		}
		if a.op == "RETURN_VALUE" {
			return k + 1
		}
	}
	return 0
}

func negatesSimply(e pyast.Expr) bool {
	if u, ok := e.(*pyast.UnaryOp); ok && u.Op == "Not" {
		return true
	}
	c, ok := e.(*pyast.Compare)
	return ok && len(c.Ops) == 1 && negated[c.Ops[0]] != ""
}
