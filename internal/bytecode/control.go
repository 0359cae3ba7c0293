package bytecode

import (
	"strings"

	"sejit/internal/pyast"
)

// Loops, conditions and chained comparisons: the control-flow half of the
// decompiler (doc.go, "Control flow").

// ---- loops ----

// forLoop decompiles GET_ITER; FOR_ITER; target; body.
func (d *dec) forLoop(i, hi int, c *ctx, s *sim) int {
	x := d.ins[i]
	if s.expr {
		panic(notExpr{})
	}
	iter := d.popValue(s, c.base, x)
	f := i + 1
	if x.op == "GET_ITER" && f < hi && d.ins[f].op == "CALL" && d.ins[f].arg == 0 && len(s.stack) > c.base {
		// 3.11: a comprehension's function called on the iterator.
		if ref, ok := s.stack[len(s.stack)-1].e.(*pyast.UnsupportedExpr); ok && d.comps[ref] != nil {
			s.stack = s.stack[:len(s.stack)-1]
			d.mark(f)
			comp := d.comps[ref]
			comp.gens[0].Iter = iter
			d.push(s, comp.e)
			return f + 1
		}
	}
	if x.op == "GET_ITER" && f < hi && d.ins[f].op == "LOAD_FAST_AND_CLEAR" {
		return d.inlineComp(i, iter, hi, c, s)
	}
	if len(s.stack) != c.base {
		d.fail(x.pos, "a for loop the bytecode decompiler cannot follow")
	}
	if f >= hi || d.ins[f].op != "FOR_ITER" {
		d.fail(x.pos, "a comprehension or generator expression cannot be decompiled from bytecode")
	}
	d.mark(f)
	exit := d.ins[f].target
	brk := exit
	if exit < len(d.ins) && d.ins[exit].op == "END_FOR" {
		d.mark(exit)
		brk = exit + 1
	}
	if exit > hi || exit <= f {
		d.fail(x.pos, "a for loop the bytecode decompiler cannot follow")
	}
	// The target.
	k := f + 1
	target, k := d.storeTarget(k, exit)
	// for … else: the breaks (POP_TOP of the iterator, then a jump) go past
	// the else-part, which starts where the loop ends.
	elseEnd := -1
	if !d.inComp {
		for m := k; m+1 < exit; m++ {
			if d.ins[m].op != "POP_TOP" || d.ins[m+1].op != "JUMP" {
				continue
			}
			if t := d.ins[m+1].target; t > brk && d.canon(t) != d.canon(brk) {
				if elseEnd >= 0 && t != elseEnd || t > hi {
					d.fail(x.pos, "a for … else the bytecode decompiler cannot follow")
				}
				elseEnd = t
			}
		}
	}
	lpBrk := brk
	if elseEnd >= 0 {
		lpBrk = elseEnd
	}
	lp := &loop{cont: map[int]bool{d.canon(f): true}, brk: d.canon(lpBrk), isFor: true, base: c.base + 1}
	body := d.block(k, exit, &ctx{end: f, loop: lp, base: c.base + 1, handler: c.handler, exceptName: c.exceptName})
	st := &pyast.For{Target: target, Iter: iter, Body: d.tidyLoopBody(body)}
	st.P = target.Position()
	if iter.Position().Line < st.P.Line || (iter.Position().Line == st.P.Line && iter.Position().Col < st.P.Col) {
		st.P = iter.Position()
	}
	if elseEnd >= 0 {
		sub := *c
		sub.end = elseEnd
		st.Orelse = d.block(brk, elseEnd, &sub)
		d.emit(s, st, x)
		return elseEnd
	}
	d.emit(s, st, x)
	return brk
}

// storeTarget reads the target of a for loop: one name or a tuple of them.
func (d *dec) storeTarget(k, hi int) (pyast.Expr, int) {
	if k >= hi {
		d.fail(d.ins[k-1].pos, "a for loop the bytecode decompiler cannot follow")
	}
	x := d.ins[k]
	switch x.op {
	case "STORE_FAST", "STORE_DEREF", "STORE_NAME":
		d.mark(k)
		return name(x.name, x.pos), k + 1
	case "UNPACK_SEQUENCE":
		d.mark(k)
		t := &pyast.Tuple{}
		t.P = x.pos
		k++
		for n := 0; n < x.arg; n++ {
			var e pyast.Expr
			e, k = d.storeTarget(k, hi)
			t.Elts = append(t.Elts, e)
		}
		if len(t.Elts) > 0 {
			t.P = t.Elts[0].Position()
		}
		return t, k
	}
	d.fail(x.pos, "a for loop target the bytecode decompiler cannot follow")
	return nil, k
}

// backTo is the last jump back to i that no try statement consumed (the
// clauses of a try in a loop jump back to the code after it).
func (d *dec) backTo(i int) (int, bool) {
	b, ok := d.back[i]
	if !ok || !d.seen[b] {
		return b, ok
	}
	for j := len(d.ins) - 1; j > i; j-- {
		if d.ins[j].target == i && !d.seen[j] {
			return j, true
		}
	}
	return 0, false
}

// loopAt recognises a while loop starting at the statement boundary i.
func (d *dec) loopAt(i, hi int, c *ctx, s *sim) (int, bool) {
	// while test: the test's body start is the target of the last backward
	// jump, whose next instruction is the test's false exit.
	if t, ok := d.chain(i, hi, c); ok {
		b, hasBack := d.backTo(t.body)
		if hasBack && b+1 == t.exit && t.exit <= hi {
			return d.whileTest(i, t, b, c, s), true
		}
	}
	b, ok := d.backTo(i)
	if !ok || b >= hi || d.ins[i].op == "FOR_ITER" {
		return 0, false
	}
	// while True.
	if d.ins[b].op != "JUMP" {
		d.fail(d.ins[b].pos, "a loop the bytecode decompiler cannot follow")
	}
	d.mark(b)
	lp := &loop{cont: map[int]bool{d.canon(i): true}, brk: d.canon(b + 1), base: c.base}
	body := d.block(i, b, &ctx{end: i, loop: lp, base: c.base, handler: c.handler, exceptName: c.exceptName})
	tru := &pyast.Constant{Kind: pyast.ConstBool, Bool: true}
	tru.P = d.ins[i].pos
	if d.ins[i].lead.Line > 0 {
		// The NOP that stands for `while True:` itself.
		tru.P = d.ins[i].lead
	}
	w := &pyast.While{Test: tru, Body: d.tidyLoopBody(body)}
	w.P = tru.P
	d.emit(s, w, d.ins[i])
	return b + 1, true
}

// whileTest decompiles `while test: body` whose test is t (at i), whose
// last backward jump is at b.
func (d *dec) whileTest(i int, t *condChain, b int, c *ctx, s *sim) int {
	testLen := t.body - i
	// The bottom copy of the test: [bot, b] in 3.11 (it jumps back), [bot,
	// b) plus the JUMP at b in 3.12 and later.
	bot := b + 1 - testLen
	if d.ins[b].op == "JUMP" {
		bot = b - testLen
	}
	if bot < t.body {
		d.fail(d.ins[i].pos, "a while loop the bytecode decompiler cannot follow")
	}
	bt, ok := d.chain(bot, b+1, c)
	if ok && d.ins[b].op != "JUMP" {
		// 3.11 jumps back when the test holds: the chain's fallthrough is
		// the exit, so it reads the test negated.
		bt.test = not(bt.test)
	}
	if !ok || dumpExpr(bt.test) != dumpExpr(t.test) {
		d.fail(d.ins[i].pos, "a while loop the bytecode decompiler cannot follow")
	}
	for k := i; k < t.body; k++ {
		d.mark(k)
	}
	for k := bot; k <= b; k++ {
		d.mark(k)
	}
	exit := t.exit
	lp := &loop{cont: map[int]bool{d.canon(i): true, d.canon(t.body): true, d.canon(bot): true}, brk: d.canon(exit), base: c.base}
	body := d.block(t.body, bot, &ctx{end: bot, loop: lp, base: c.base, handler: c.handler, exceptName: c.exceptName})
	w := &pyast.While{Test: t.test, Body: d.tidyLoopBody(body)}
	w.P = t.test.Position()
	d.emit(s, w, d.ins[i])
	return exit
}

// ---- conditions ----

// condChain is a reduced chain of conditional jumps: test true continues at
// body, false at exit.
type condChain struct {
	test pyast.Expr
	body int // index where the true outcome continues (the fallthrough)
	exit int // index of the false outcome
	last int // index of the last conditional jump
	// negated: the jumps test the condition's negation (the true outcome
	// is their target).
	negated bool
}

type cnode struct {
	e     pyast.Expr
	start int // index of the node's first instruction
	t, f  int // labels (indices) of the true and false outcomes
	line  int // line of the jump
}

// chain parses the condition starting at statement boundary i (its first
// expression not yet evaluated). It marks nothing.
func (d *dec) chain(i, hi int, c *ctx) (*condChain, bool) {
	e, j, ok := d.condRun(i, hi, c)
	if !ok {
		return nil, false
	}
	return d.chainFrom(i, e, j, hi, c)
}

// condRun reads [i, j) as one expression followed by a conditional jump at j.
func (d *dec) condRun(i, hi int, c *ctx) (pyast.Expr, int, bool) {
	j := i
	for j < hi && !isCondJump(d.ins[j].op) {
		op := d.ins[j].op
		if strings.HasPrefix(op, "STORE_") || op == "JUMP" || op == "RETURN_VALUE" || op == "POP_TOP" || op == "GET_ITER" || op == "FOR_ITER" {
			return nil, 0, false
		}
		j++
	}
	if j >= hi {
		return nil, 0, false
	}
	e, ok := d.exprRegion(i, j, c)
	if !ok {
		return nil, 0, false
	}
	// exprRegion marked [i, j); the caller marks again when it commits.
	for k := i; k < j; k++ {
		d.seen[k] = false
	}
	return e, j, true
}

func (d *dec) jumpNode(e pyast.Expr, start, j int) cnode {
	x := d.ins[j]
	n := cnode{e: e, start: start, line: x.pos.Line}
	switch x.op {
	case "POP_JUMP_IF_NONE", "POP_JUMP_IF_NOT_NONE":
		none := &pyast.Constant{Kind: pyast.ConstNone}
		none.P = e.Position()
		op := "Is"
		if x.op == "POP_JUMP_IF_NOT_NONE" {
			op = "IsNot"
		}
		cmp := &pyast.Compare{Left: e, Ops: []string{op}, Comparators: []pyast.Expr{none}}
		cmp.P = e.Position()
		n.e = cmp
		n.t, n.f = x.target, j+1
	case "POP_JUMP_IF_TRUE":
		n.t, n.f = x.target, j+1
	default:
		n.t, n.f = j+1, x.target
	}
	return n
}

// chainFrom extends the test e (whose jump is at j) with the following
// runs that belong to it, and reduces them (doc.go, "Control flow").
func (d *dec) chainFrom(start int, e pyast.Expr, j, hi int, c *ctx) (*condChain, bool) {
	nodes := []cnode{d.jumpNode(e, start, j)}
	last := j
	for {
		next := last + 1
		e2, j2, ok := d.condRun(next, hi, c)
		if !ok {
			break
		}
		// or: an earlier test jumps to the end of this run (the body).
		must := false
		for _, n := range nodes {
			if n.t == j2+1 || n.f == j2+1 {
				must = true
			}
		}
		n2 := d.jumpNode(e2, next, j2)
		// and: the same false exit, on the same line.
		inside := false
		for _, n := range nodes {
			if (n.t > next && n.t <= j2) || (n.f > next && n.f <= j2) {
				inside = true
			}
		}
		// A test on the line of the previous jump continues it (a nested if
		// cannot share the line); a test that shares an exit on a later line
		// is a nested if, and stays one.
		sameLine := d.ins[next].pos.Line == d.ins[last].pos.Line
		if !(must || inside || sameLine) {
			break
		}
		nodes = append(nodes, n2)
		last = j2
	}
	body := last + 1
	// Reduce adjacent pairs until one node is left.
	for len(nodes) > 1 {
		merged := false
		for k := len(nodes) - 2; k >= 0; k-- {
			x, y := nodes[k], nodes[k+1]
			targeted := false
			for m, n := range nodes {
				if m != k && (n.t == y.start || n.f == y.start) {
					targeted = true
				}
			}
			if targeted {
				continue
			}
			var z cnode
			switch {
			case x.t == y.start && x.f == y.f:
				z = cnode{e: boolOp("And", x.e, y.e), t: y.t, f: y.f}
			case x.f == y.start && x.t == y.t:
				z = cnode{e: boolOp("Or", x.e, y.e), t: y.t, f: y.f}
			case x.t == y.start && x.f == y.t:
				z = cnode{e: boolOp("Or", not(x.e), y.e), t: y.t, f: y.f}
			case x.f == y.start && x.t == y.f:
				z = cnode{e: boolOp("And", not(x.e), y.e), t: y.t, f: y.f}
			default:
				continue
			}
			z.start, z.line = x.start, x.line
			nodes = append(nodes[:k], append([]cnode{z}, nodes[k+2:]...)...)
			merged = true
			break
		}
		if !merged {
			return nil, false
		}
	}
	n := nodes[0]
	switch body {
	case n.t:
		return &condChain{test: n.e, body: body, exit: n.f, last: last}, true
	case n.f:
		return &condChain{test: not(n.e), body: body, exit: n.t, last: last, negated: true}, true
	}
	return nil, false
}

func boolOp(op string, a, b pyast.Expr) pyast.Expr {
	var vals []pyast.Expr
	for _, e := range []pyast.Expr{a, b} {
		if bo, ok := e.(*pyast.BoolOp); ok && bo.Op == op {
			vals = append(vals, bo.Values...)
		} else {
			vals = append(vals, e)
		}
	}
	r := &pyast.BoolOp{Op: op, Values: vals}
	r.P = a.Position()
	return r
}

// negated are the comparisons whose negation is exact (not so < and >=,
// which NaN makes both false).
var negated = map[string]string{"Is": "IsNot", "IsNot": "Is", "In": "NotIn", "NotIn": "In"}

// not negates a test (only ever used where its truth value is what counts).
func not(e pyast.Expr) pyast.Expr {
	if u, ok := e.(*pyast.UnaryOp); ok && u.Op == "Not" {
		return u.Operand
	}
	if c, ok := e.(*pyast.Compare); ok && len(c.Ops) == 1 && negated[c.Ops[0]] != "" {
		n := *c
		n.Ops = []string{negated[c.Ops[0]]}
		return &n
	}
	// De Morgan, where every operand negates without a `not`.
	if b, ok := e.(*pyast.BoolOp); ok {
		simple := true
		for _, v := range b.Values {
			if !negatesSimply(v) {
				simple = false
			}
		}
		if simple {
			op := map[string]string{"And": "Or", "Or": "And"}[b.Op]
			vals := make([]pyast.Expr, len(b.Values))
			for i, v := range b.Values {
				vals[i] = not(v)
			}
			r := &pyast.BoolOp{Op: op, Values: vals}
			r.P = b.P
			return r
		}
	}
	u := &pyast.UnaryOp{Op: "Not", Operand: e}
	u.P = e.Position()
	return u
}

// conditional handles a conditional jump at i whose test is on the stack:
// an if statement or a conditional expression.
func (d *dec) conditional(i, lo, hi int, c *ctx, s *sim) int {
	x := d.ins[i]
	base := c.base
	if s.expr {
		base = 0
	}
	e := d.popValue(s, base, x)
	start := i
	t, ok := d.chainFrom(start, e, i, hi, c)
	if !ok {
		d.fail(x.pos, "a condition the bytecode decompiler cannot follow")
	}
	for k := i + 1; k <= t.last; k++ {
		d.mark(k)
	}
	return d.ifFrom(t, i, lo, hi, c, s)
}

// ifFrom builds the if statement or conditional expression of the test t,
// whose jumps (ending at t.last) are consumed.
func (d *dec) ifFrom(t *condChain, i, lo, hi int, c *ctx, s *sim) int {
	x := d.ins[i]
	// A conditional expression: both branches leave one value.
	if t.exit > t.body && t.exit <= hi && d.ins[t.exit-1].op == "JUMP" {
		join := d.ins[t.exit-1].target
		if join > t.exit && join <= hi {
			if a, ok := d.exprRegion(t.body, t.exit-1, c); ok {
				if b, ok := d.exprRegion(t.exit, join, c); ok {
					d.mark(t.exit - 1)
					ie := &pyast.IfExp{Test: t.test, Body: a, Orelse: b}
					ie.P = a.Position()
					d.push(s, ie)
					return join
				}
				for k := t.body; k < t.exit-1; k++ {
					d.seen[k] = false
				}
			}
		}
	}
	if s.expr || len(s.stack) != c.base || len(s.group) > 0 {
		if s.expr {
			panic(notExpr{})
		}
		d.fail(x.pos, "a conditional expression the bytecode decompiler cannot follow")
	}
	st := &pyast.If{Test: t.test}
	st.P = t.test.Position()
	switch d.classify(t.exit, lo, hi, c) {
	case lEnd:
		st.Body = d.block(t.body, hi, c)
		d.emit(s, st, x)
		return hi
	case lCont, lBreak:
		kind := d.classify(t.exit, lo, hi, c)
		if kind == lBreak && c.loop.isFor {
			d.fail(x.pos, "control flow that the bytecode decompiler cannot follow (break)")
		}
		st.Body = d.block(t.body, hi, c)
		var j pyast.Stmt = &pyast.Continue{}
		if kind == lBreak {
			j = &pyast.Break{}
		}
		setPos(j, x.pos)
		st.Orelse = []pyast.Stmt{j}
		d.emit(s, st, x)
		return hi
	case lInside:
		if t.exit <= t.body {
			d.fail(x.pos, "control flow that the bytecode decompiler cannot follow")
		}
		// 3.12 and later spell `if t: rest` at the end of a loop body as
		// `if not t: continue` followed by rest.
		if jb := d.ins[t.body]; t.negated && t.exit == t.body+1 && jb.op == "JUMP" && c.loop != nil &&
			c.loop.cont[d.canon(jb.target)] && c.loop.cont[d.canon(c.end)] {
			d.mark(t.body)
			st.Test = not(t.test)
			st.P = st.Test.Position()
			st.Body = d.block(t.exit, hi, c)
			d.emit(s, st, x)
			return hi
		}
		jx := d.ins[t.exit-1]
		if jx.op == "JUMP" && t.exit-1 >= t.body {
			jk := d.classify(jx.target, lo, hi, c)
			// A join is forward; a backward jump ending the then-part is a
			// continue.
			if jx.target > t.exit-1 && (jk == lInside && jx.target > t.exit || jk == lEnd) {
				join := jx.target
				if jk == lEnd {
					join = hi
				}
				d.mark(t.exit - 1)
				sub := *c
				sub.end = jx.target
				st.Body = d.block(t.body, t.exit-1, &sub)
				st.Orelse = d.block(t.exit, join, &sub)
				d.emit(s, st, x)
				return join
			}
		}
		// 3.11: a try statement ends the then-part, its handlers last, so
		// the then-part ends in the handlers' clean-up; the try's jump over
		// its handlers names the join of an else-part.
		if jx.op != "JUMP" {
			for h := t.body; h < t.exit; h++ {
				if d.ins[h].op != "PUSH_EXC_INFO" {
					continue
				}
				if j := d.ins[h-1]; h-1 >= t.body && j.op == "JUMP" && j.target > t.exit {
					jk := d.classify(j.target, lo, hi, c)
					if jk == lInside || jk == lEnd {
						join := j.target
						if jk == lEnd {
							join = hi
						}
						sub := *c
						sub.end = j.target
						st.Body = d.block(t.body, t.exit, &sub)
						st.Orelse = d.block(t.exit, join, &sub)
						d.emit(s, st, x)
						return join
					}
				}
				break
			}
		}
		sub := *c
		sub.end = t.exit
		st.Body = d.block(t.body, t.exit, &sub)
		d.emit(s, st, x)
		return t.exit
	}
	d.fail(x.pos, "control flow that the bytecode decompiler cannot follow (for … else, while … else, or a jump out of the loop)")
	return hi
}

func setPos(s pyast.Stmt, p pyast.Pos) {
	switch s := s.(type) {
	case *pyast.Continue:
		s.P = p
	case *pyast.Break:
		s.P = p
	}
}

// dumpExpr renders an expression to compare two copies of a test.
func dumpExpr(e pyast.Expr) string {
	fn := &pyast.FunctionDef{Name: "t", Body: []pyast.Stmt{&pyast.ExprStmt{Value: e}}}
	return pyast.Dump(fn, nil)
}

// chainCompare rebuilds a chained comparison used as a value, whose first
// link starts at the SWAP 2 at i (its two operands are on the stack):
//
//	a; b; SWAP 2; COPY 2; COMPARE_OP; JUMP_IF_FALSE_OR_POP L
//	c; [SWAP 2; COPY 2; COMPARE_OP; JUMP_IF_FALSE_OR_POP L; d;] COMPARE_OP
//	JUMP E (or RETURN_VALUE, where 3.12 copies the return)
//	L: SWAP 2; POP_TOP (the kept operand of a failed link); [RETURN_VALUE]
//	E:
func (d *dec) chainCompare(i, hi int, c *ctx, s *sim, base int) int {
	x := d.ins[i]
	unsupported := func() {
		d.fail(x.pos, "a chained comparison in a condition cannot be decompiled from bytecode (assign it to a variable first, or write the links with and)")
	}
	right := d.popValue(s, base, x)
	left := d.popValue(s, base, x)
	cmp := &pyast.Compare{Left: left}
	cmp.P = left.Position()
	if i+3 < hi && d.ins[i+3].op == "POP_JUMP_IF_FALSE" {
		return d.chainCondition(i, cmp, right, hi, c, s)
	}
	link := i // a SWAP 2; COPY 2; COMPARE_OP; JUMP_IF_FALSE_OR_POP L
	l := -1
	for {
		if link+3 >= hi || d.ins[link+3].op != "JUMP_IF_FALSE_OR_POP" {
			unsupported()
		}
		if l < 0 {
			l = d.ins[link+3].target
		}
		if d.ins[link+3].target != l || l <= link || l+1 >= len(d.ins) {
			unsupported()
		}
		for k := link; k < link+4; k++ {
			if k != i {
				d.mark(k)
			}
		}
		cmp.Ops = append(cmp.Ops, cmpOp(d, d.ins[link+2]))
		cmp.Comparators = append(cmp.Comparators, right)
		// The next operand runs to the next link or to the last COMPARE_OP.
		start := link + 4
		next, last := -1, -1
		for m := start; m+1 < l; m++ {
			if d.ins[m].op == "SWAP" && d.ins[m].arg == 2 && m+3 < l && d.ins[m+1].op == "COPY" && d.ins[m+1].arg == 2 &&
				d.ins[m+2].op == "COMPARE_OP" && d.ins[m+3].op == "JUMP_IF_FALSE_OR_POP" && d.ins[m+3].target == l {
				next = m
				break
			}
			if d.ins[m].op == "COMPARE_OP" && (m+2 == l && d.ins[m+1].op == "JUMP" || m+1 < l && d.copyOf(m+1, l+2) == l-m-1) {
				last = m
				break
			}
		}
		end := next
		if next < 0 {
			end = last
		}
		if end < 0 {
			unsupported()
		}
		operand, ok := d.exprRegion(start, end, c)
		if !ok {
			unsupported()
		}
		right = operand
		if next >= 0 {
			link = next
			continue
		}
		d.mark(last)
		cmp.Ops = append(cmp.Ops, cmpOp(d, d.ins[last]))
		cmp.Comparators = append(cmp.Comparators, right)
		// The cleanup of a failed link.
		if d.ins[l].op != "SWAP" || d.ins[l].arg != 2 || d.ins[l+1].op != "POP_TOP" {
			unsupported()
		}
		d.mark(l)
		d.mark(l + 1)
		if tail := d.ins[last+1]; tail.op == "JUMP" {
			d.mark(last + 1)
			if tail.target != l+2 {
				unsupported()
			}
			d.push(s, cmp)
			return l + 2
		}
		// 3.12 and later copy the code that follows, up to its return, into
		// both paths: run it once with the chain's value, skip the copy.
		n := d.copyOf(last+1, l+2)
		if n == 0 || last+1+n != l {
			unsupported()
		}
		for k := l + 2; k < l+2+n; k++ {
			d.mark(k)
		}
		d.push(s, cmp)
		d.run(last+1, l, c, s)
		return l + 2 + n
	}
}

func cmpOp(d *dec, x instr) string {
	sym := strings.TrimSuffix(strings.TrimPrefix(x.repr, "bool("), ")")
	op := cmpOps[sym]
	if op == "" {
		d.fail(x.pos, "the comparison %s cannot be decompiled from bytecode", x.repr)
	}
	return op
}

// chainCondition rebuilds an if statement whose test is a chained
// comparison; the SWAP 2 of its first link is at i, cmp holds its left
// operand and right the first link's right operand:
//
//	SWAP 2; COPY 2; COMPARE_OP; POP_JUMP_IF_FALSE L   (each link but the last)
//	c; COMPARE_OP; POP_JUMP_IF_FALSE E; JUMP B         (the last link)
//	L: POP_TOP (the kept operand of a failed link); JUMP E, or (3.12 and
//	   later) a copy of the code at E up to its return
//	B: the body
func (d *dec) chainCondition(i int, cmp *pyast.Compare, right pyast.Expr, hi int, c *ctx, s *sim) int {
	x := d.ins[i]
	unsupported := func() {
		d.fail(x.pos, "a chained comparison in a condition the bytecode decompiler cannot follow (assign it to a variable first, or write the links with and)")
	}
	if s.expr || len(s.stack) != c.base {
		unsupported()
	}
	l := d.ins[i+3].target
	link := i
	for {
		for k := link; k < link+4; k++ {
			if k != i {
				d.mark(k)
			}
		}
		cmp.Ops = append(cmp.Ops, cmpOp(d, d.ins[link+2]))
		cmp.Comparators = append(cmp.Comparators, right)
		start := link + 4
		next, last := -1, -1
		for m := start; m+2 < l; m++ {
			if d.ins[m].op == "SWAP" && d.ins[m].arg == 2 && m+3 < l && d.ins[m+1].op == "COPY" && d.ins[m+1].arg == 2 &&
				d.ins[m+2].op == "COMPARE_OP" && d.ins[m+3].op == "POP_JUMP_IF_FALSE" && d.ins[m+3].target == l {
				next = m
				break
			}
			if d.ins[m].op == "COMPARE_OP" && d.ins[m+1].op == "POP_JUMP_IF_FALSE" &&
				(d.ins[m+2].op == "JUMP" && m+3 == l || d.ins[m+1].target > l) {
				last = m
				break
			}
		}
		end := next
		if next < 0 {
			end = last
		}
		if end < 0 {
			unsupported()
		}
		operand, ok := d.exprRegion(start, end, c)
		if !ok {
			unsupported()
		}
		right = operand
		if next >= 0 {
			link = next
			continue
		}
		cmp.Ops = append(cmp.Ops, cmpOp(d, d.ins[last]))
		cmp.Comparators = append(cmp.Comparators, right)
		exit := d.ins[last+1].target
		if d.ins[l].op != "POP_TOP" {
			unsupported()
		}
		if !(d.ins[last+2].op == "JUMP" && last+3 == l) {
			// The body comes first and leaves (it ends in a return), then
			// the cleanup of a failed link, which goes on at the exit.
			cleanup := 0
			switch {
			case d.ins[l+1].op == "JUMP" && d.canon(l+1) == d.canon(exit):
				cleanup = 2
			case d.copyOf(l+1, exit) > 0:
				cleanup = 1 + d.copyOf(l+1, exit)
			}
			if cleanup == 0 || l+cleanup != exit {
				unsupported()
			}
			d.mark(last)
			d.mark(last + 1)
			for k := l; k < exit; k++ {
				d.mark(k)
			}
			st := &pyast.If{Test: cmp}
			st.P = cmp.P
			sub := *c
			sub.end = exit
			st.Body = d.block(last+2, l, &sub)
			if len(st.Body) == 0 || !endsInJump(st.Body) {
				unsupported()
			}
			d.emit(s, st, x)
			return exit
		}
		body := d.ins[last+2].target
		// The cleanup of a failed link, between the last jump and the body.
		if body <= l {
			unsupported()
		}
		switch {
		case d.ins[l+1].op == "JUMP" && l+2 == body && d.canon(l+1) == d.canon(exit):
		case d.copyOf(l+1, exit) == body-l-1:
		default:
			unsupported()
		}
		for k := last; k < body; k++ {
			d.mark(k)
		}
		t := &condChain{test: cmp, body: body, exit: exit, last: last + 1}
		return d.ifFrom(t, i, i, hi, c, s)
	}
}
