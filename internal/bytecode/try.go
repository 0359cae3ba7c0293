package bytecode

import (
	"sejit/internal/pyast"
)

// try/except/else from the exception table (doc.go, "Exceptions").
//
// CPython 3.11 and later compile a try statement to no instruction at all
// at its start: the exception table says that the instructions of the body
// jump, when they raise, to a handler that starts with PUSH_EXC_INFO. The
// handler tests each clause in turn,
//
//	PUSH_EXC_INFO
//	  type; CHECK_EXC_MATCH; POP_JUMP_IF_FALSE next   (not for a bare except)
//	  POP_TOP, or STORE_FAST e
//	  body; POP_EXCEPT
//	  [LOAD_CONST None; STORE_FAST e; DELETE_FAST e]  (with `as e`)
//	  JUMP join, or a copy of the code after the try up to its return
//	next: ... RERAISE 0                                (no clause matched)
//	cleanup: COPY 3; POP_EXCEPT; RERAISE 1
//
// and a clause with `as e` has one more block that clears e when its body
// raises (LOAD_CONST None; STORE_FAST e; DELETE_FAST e; RERAISE 1). The
// normal path runs the body, then the else-part, then jumps to the join or
// (3.12 and later, for a short tail that returns) runs its own copy of the
// code after the try. The layout differs by version (3.12 moves handlers to
// the end of the function) but the pieces are the same, so they are found
// from the table and the jumps, never from positions in the stream.
// A return leaves a clause through POP_EXCEPT (handlerReturn), a break or
// continue through POP_EXCEPT and a jump (clauseJump); `finally` copies its
// body onto every way out (tryFinally).

type excEntry struct {
	start, end, target, depth int // instruction indices; depth of the value stack
	lasti                     bool
}

// excTable maps the code's exception table onto instruction indices.
func (d *dec) excTable(c *codeJSON) []excEntry {
	at := func(off int) int {
		for k, x := range d.ins {
			if x.offset >= off {
				return k
			}
		}
		return len(d.ins)
	}
	var out []excEntry
	for _, e := range c.ExceptionTable {
		out = append(out, excEntry{start: at(e[0]), end: at(e[1]), target: at(e[2]), depth: e[3], lasti: e[4] != 0})
	}
	return out
}

// tryRange is the body of one try statement: [start, end) and its
// handler.
type tryRange struct {
	start, end, handler, depth int
	// wraps: the body is the same as that of the try nested in it, whose
	// handler all its entries protect (try … except … finally, 3.12+).
	wraps bool
}

// tryRanges finds every try statement's body. A handler's entries cover
// its body, and also code of other handlers nested in it; the body is the
// first entry continued through the gaps that other entries cover (a
// nested try's handler, 3.11), up to a gap of unprotected code (the
// normal path's own code after the body). The table's entries do not
// overlap, so a try nested at the start of another's body leaves the
// outer one starting after it: the outer body is extended over such a
// nested try, recognised by the outer handler protecting the nested
// handler's code.
func (d *dec) tryRanges() []tryRange {
	covered := make([]bool, len(d.ins)+1)
	for _, e := range d.exc {
		for k := e.start; k < e.end && k < len(covered); k++ {
			covered[k] = true
		}
	}
	var out []tryRange
	entries := map[int][]excEntry{}
	for _, e := range d.exc {
		if e.lasti || e.target >= len(d.ins) || d.ins[e.target].op != "PUSH_EXC_INFO" {
			continue
		}
		if _, ok := entries[e.target]; !ok {
			out = append(out, tryRange{handler: e.target, depth: e.depth})
		}
		entries[e.target] = append(entries[e.target], e) // in table order: by start
	}
	// extent is [H, end of its clean-up) of a handler.
	extent := func(h int) int {
		for _, e := range d.exc {
			if e.lasti && e.start == h {
				return e.target + 3
			}
		}
		return h + 1
	}
	// owner is the handler whose code (up to its clean-up) holds p, or -1.
	owner := func(p, self int) int {
		for _, t := range out {
			if t.handler != self && p >= t.handler && p < extent(t.handler) {
				return t.handler
			}
		}
		return -1
	}
	// The final code of every try … finally: a copy of it in a gap is a
	// way out of the body (return, break, continue), not its end.
	var fins [][2]int
	for _, t := range out {
		if f, n, ok := d.finallyCode(t.handler); ok {
			fins = append(fins, [2]int{f, n})
		}
	}
	finallyCopy := func(j int) int {
		for _, f := range fins {
			if j != f[0] && j+f[1] <= len(d.ins) && d.sameCode(j, f[0], f[1]) {
				return f[1]
			}
		}
		return 0
	}
	empty := map[int]int{} // try index → the handler holding all its entries
	for k := range out {
		es := entries[out[k].handler]
		// 3.12 and later: a try … finally around a try … except whose
		// else-part is empty protects only the inner handler's code, out
		// of line; its body is the inner try's (set below).
		first := 0
		for first < len(es) && owner(es[first].start, out[k].handler) >= 0 {
			first++
		}
		if first == len(es) {
			empty[k] = owner(es[0].start, out[k].handler)
			out[k].start, out[k].end = len(d.ins), len(d.ins)
			continue
		}
		es = es[first:]
		out[k].start, out[k].end = es[0].start, es[0].end
		for _, e := range es[1:] {
			gapCovered := true
			for j := out[k].end; j < e.start; {
				if covered[j] {
					j++
					continue
				}
				// A way out through the final code of an enclosing try …
				// finally: its copy, then the exit (uncovered), within the
				// same piece of code (not across into an out-of-line handler).
				if n := finallyCopy(j); n > 0 && owner(out[k].end, out[k].handler) == owner(e.start, out[k].handler) {
					j += n
					for j < e.start && !covered[j] {
						j++
					}
					continue
				}
				gapCovered = false
				break
			}
			if !gapCovered {
				break
			}
			out[k].end = e.end
		}
	}
	// A body whose last statement leaves (`if c: break` at its end) has
	// the copy of the final code for that way out where its normal path
	// would end; a jump from the body over it to another copy shows that
	// the body goes on there.
	for k := range out {
		f, n, ok := d.finallyCode(out[k].handler)
		if !ok {
			continue
		}
		for grew := true; grew; {
			grew = false
			for j := out[k].start; j < out[k].end; j++ {
				t := d.ins[j].target
				if t <= out[k].end || !isJump(d.ins[j].op) || t+n > len(d.ins) || !d.sameCode(t, f, n) {
					continue
				}
				clear := true
				for m := out[k].end; m < t; m++ {
					clear = clear && !covered[m]
				}
				if clear && finallyCopy(out[k].end) > 0 {
					out[k].end, grew = t, true
				}
			}
		}
	}
	for k, h := range empty {
		for _, in := range out {
			if in.handler == h {
				out[k].start, out[k].end, out[k].wraps = in.start, in.end, true
			}
		}
	}
	for moved := true; moved; {
		moved = false
		for k := range out {
			for j := range out {
				o, in := &out[k], out[j]
				if j == k || in.start >= o.start {
					continue
				}
				for _, e := range entries[o.handler] {
					// (The outer body can start inside the nested one's: the
					// copy of a nested try … finally's final code on a way
					// out of it is the outer's.)
					if e.start >= in.handler && e.start < extent(in.handler) {
						o.start, moved = in.start, true
						break
					}
				}
			}
		}
	}
	return out
}

// tryBody reports the try statement whose body starts at i, the outermost
// one not yet decompiled: the body's end and the handler's index.
func (d *dec) tryBody(i int, c *ctx) (end, handler int, ok bool) {
	handler = -1
	for _, t := range d.tries {
		if t.start == i && t.depth == c.base && !d.seen[t.handler] && (handler < 0 || t.end > end || t.end == end && t.wraps) {
			end, handler = t.end, t.handler
		}
	}
	if handler < 0 {
		return 0, 0, false
	}
	// The RETURN_VALUE of a return at the end of the body cannot raise,
	// so the table leaves it out.
	if end < len(d.ins) && d.ins[end].op == "RETURN_VALUE" {
		end++
	}
	return end, handler, true
}

// clause is one parsed except clause.
type clause struct {
	h    *pyast.ExceptHandler
	exit int // index after the clause's POP_EXCEPT and clean-up: its way out
}

// tryAt decompiles the try statement starting at the statement boundary i.
func (d *dec) tryAt(i, lo, hi int, c *ctx, s *sim) (int, bool) {
	be, H, ok := d.tryBody(i, c)
	if !ok {
		return 0, false
	}
	x := d.ins[i]
	// The NOP of `try:` gives the statement's position; nested tries that
	// start together left one each, the outermost first.
	outer := 0
	for _, t := range d.tries {
		if t.start == i && t.handler != H && d.seen[t.handler] {
			outer++
		}
	}
	pos := x.pos
	if outer < len(x.leads) {
		pos = x.leads[outer]
	}
	fail := func(what string) {
		d.fail(pos, "%s cannot be decompiled from bytecode", what)
	}
	d.mark(H)
	cleanup := d.cleanupOf(H)
	if cleanup < 0 {
		fail("a try statement")
	}
	if d.isFinally(H, cleanup) {
		return d.tryFinally(i, be, H, cleanup, lo, hi, c, s, pos), true
	}
	// The clauses.
	var clauses []clause
	k := H + 1
	bare := false
	for !bare {
		if k >= len(d.ins) {
			fail("a try statement")
		}
		cl := clause{h: &pyast.ExceptHandler{}}
		var next int
		if d.ins[k].op == "POP_TOP" {
			bare = true
			cl.h.P = d.ins[k].pos
			d.mark(k)
			k++
		} else {
			m := k
			for m < len(d.ins) && d.ins[m].op != "CHECK_EXC_MATCH" && d.ins[m].op != "RERAISE" &&
				d.ins[m].op != "POP_EXCEPT" && !isJump(d.ins[m].op) && !d.seen[m] {
				m++
			}
			if m >= len(d.ins) || d.ins[m].op != "CHECK_EXC_MATCH" {
				fail("a try statement with finally")
			}
			typ, ok := d.exprRegion(k, m, c)
			if !ok || m+2 >= len(d.ins) || d.ins[m+1].op != "POP_JUMP_IF_FALSE" {
				fail("this except clause")
			}
			cl.h.Type = typ
			cl.h.P = d.ins[m].pos
			d.mark(m)
			d.mark(m + 1)
			next = d.ins[m+1].target
			k = m + 2
			switch d.ins[k].op {
			case "POP_TOP":
			case "STORE_FAST", "STORE_NAME", "STORE_DEREF":
				cl.h.Name = d.ins[k].name
			default:
				fail("this except clause")
			}
			d.mark(k)
			k++
		}
		// The body runs to the clause's POP_EXCEPT, within the clause: up to
		// the next test (or the handler's clean-up after a bare except), and
		// before the block that clears e when the body raises.
		bound := next
		if bare {
			bound = cleanup
		}
		ecl := -1
		if cl.h.Name != "" {
			for _, e := range d.exc {
				if e.lasti && e.target > k && d.clearsName(e.target, cl.h.Name) && e.target+3 < len(d.ins) &&
					d.ins[e.target+3].op == "RERAISE" && !d.seen[e.target] {
					ecl = e.target
					break
				}
			}
			if ecl < 0 {
				// A body that cannot raise (`return c` inside a try …
				// finally): nothing jumps to the block, which CPython
				// still emits after the body.
				lim := bound
				if bare || lim < k {
					lim = cleanup
				}
				for j := k + 1; j+3 < lim; j++ {
					if d.clearsName(j, cl.h.Name) && d.ins[j+3].op == "RERAISE" && !d.seen[j] &&
						d.ins[j-1].op == "RETURN_VALUE" {
						ecl = j
						break
					}
				}
			}
			if ecl < 0 {
				fail("this except clause")
			}
			if ecl < bound {
				bound = ecl
			}
		}
		if bound <= k {
			fail("this except clause")
		}
		// The clause's own POP_EXCEPT is its last one that does not belong
		// to a return out of the clause; with none, every path returns or
		// raises and the body runs to the bound.
		pe := bound
		for j := k; j < bound; j++ {
			if d.ins[j].op == "PUSH_EXC_INFO" {
				fail("a try statement inside an except clause")
			}
			if d.ins[j].op != "POP_EXCEPT" {
				continue
			}
			if _, _, isRet := d.handlerReturn(j, cl.h.Name); !isRet {
				pe = j
			}
		}
		if pe == bound && bound > k && d.ins[bound-1].op != "RETURN_VALUE" && d.ins[bound-1].op != "RAISE_VARARGS" &&
			d.ins[bound-1].op != "RERAISE" {
			fail("this except clause")
		}
		sub := &ctx{end: pe, base: c.base + 1, handler: true, exceptName: cl.h.Name, loop: c.loop}
		cl.h.Body = d.block(k, pe, sub)
		if len(cl.h.Body) == 0 && pe < len(d.ins) {
			cl.h.Body = []pyast.Stmt{pass(d.ins[pe].pos)}
		}
		if ecl >= 0 {
			for j := ecl; j < ecl+4; j++ {
				d.mark(j)
			}
		}
		cl.exit = -1 // the body raises: no way out
		if pe < bound {
			d.mark(pe)
			k = pe + 1
			if cl.h.Name != "" {
				// e is cleared on the way out.
				if !d.clearsName(k, cl.h.Name) {
					fail("this except clause")
				}
				for j := k; j < k+3; j++ {
					d.mark(j)
				}
				k += 3
			}
			cl.exit = k
			if j, ok := d.clauseJump(k, pe, H, lo, hi, c); ok {
				if _, empty := cl.h.Body[0].(*pyast.Pass); empty && len(cl.h.Body) == 1 {
					cl.h.Body = nil
				}
				cl.h.Body = append(cl.h.Body, j)
				cl.exit = -1
			}
		}
		clauses = append(clauses, cl)
		if bare {
			break
		}
		k = next
		if k < len(d.ins) && d.ins[k].op == "RERAISE" {
			d.mark(k)
			break
		}
	}
	if !d.seen[cleanup] {
		d.mark(cleanup)
		d.mark(cleanup + 1)
		d.mark(cleanup + 2)
	}

	// The ways out of the clauses: a jump to the join, or a copy of the
	// tail that follows the try (3.12 and later).
	join, tail, tailAt := -1, 0, -1
	var copies []int
	for _, cl := range clauses {
		if cl.exit < 0 {
			continue
		}
		ex := d.ins[cl.exit]
		switch {
		case ex.op == "JUMP":
			if join >= 0 && d.canon(ex.target) != d.canon(join) {
				fail("a try statement whose clauses go on at different places")
			}
			join = ex.target
			d.mark(cl.exit)
		default:
			n := 0
			for j := cl.exit; j < len(d.ins); j++ {
				if d.ins[j].target >= 0 {
					break
				}
				if d.ins[j].op == "RETURN_VALUE" {
					n = j - cl.exit + 1
					break
				}
			}
			if n == 0 || tail != 0 && (tail != n || d.copyOf(tailAt, cl.exit) != n) {
				fail("break or continue inside an except clause")
			}
			if tailAt < 0 {
				tailAt = cl.exit
			}
			tail = n
			copies = append(copies, cl.exit)
		}
	}
	// The code after the try, copied onto each way out: the normal path's
	// copy ends it, or (when the body returns) the clauses' copy is
	// decompiled once, after the try.
	var after []pyast.Stmt
	pathEnd := hi // where the normal path's code ends: the handlers, or the region's end
	if H >= be && H < hi {
		pathEnd = H
	}
	if tail > 0 {
		// 3.12 and later: the handlers of tries nested in the body sit
		// out of line, after the normal path's code.
		for j := be; j < pathEnd; j++ {
			if d.ins[j].op == "PUSH_EXC_INFO" {
				pathEnd = j
				break
			}
		}
		normal := pathEnd-tail >= be && d.copyOf(pathEnd-tail, tailAt) == tail
		if !normal && H != be {
			fail("break or continue inside an except clause")
		}
		if !normal {
			after = d.block(tailAt, tailAt+tail, &ctx{end: tailAt + tail, loop: c.loop, base: c.base})
			copies = copies[1:]
		}
		for _, k := range copies {
			for j := k; j < k+tail; j++ {
				d.mark(j)
			}
		}
		if !normal {
			tail = 0 // the normal path has nothing after the body
		}
	}

	st := &pyast.Try{}
	st.P = pos
	for _, cl := range clauses {
		st.Handlers = append(st.Handlers, cl.h)
	}
	bodyCtx := *c
	bodyCtx.end = be
	st.Body = d.block(i, be, &bodyCtx)
	if len(st.Body) == 0 {
		st.Body = []pyast.Stmt{pass(pos)}
	}
	if len(st.Body) > 0 && pos.Line == 0 {
		st.P = st.Body[0].Position()
	}

	// The normal path after the body: the else-part, then the join. The
	// join is where the clauses go on; without one (every clause raises)
	// the normal path's own jump over the handlers names it, and with
	// neither, the code after the body is the code after the try.
	inRegion := H >= be && H < hi
	// jumpOver: the normal path ends in a jump over the handlers.
	jumpOver := inRegion && H-1 >= be && d.ins[H-1].op == "JUMP"
	if join < 0 && tail == 0 && jumpOver {
		join = d.ins[H-1].target
	}
	elseEnd, next := be, be
	switch {
	case tail > 0:
		elseEnd, next = pathEnd-tail, pathEnd-tail
	case join < 0:
	case d.classify(join, lo, hi, c) == lInside && join >= be && (!inRegion || join <= H-1 && !jumpOver):
		// The join lies on the normal path (3.12 puts the handlers last).
		elseEnd, next = join, join
	case d.classify(join, lo, hi, c) == lInside && inRegion && join > H:
		// The handlers sit between the else-part and the join (3.11).
		elseEnd, next = H, join
		if jumpOver && d.canon(d.ins[H-1].target) == d.canon(join) {
			d.mark(H - 1)
			elseEnd = H - 1
		}
	case d.classify(join, lo, hi, c) != lInside && d.classify(join, lo, hi, c) != lBad:
		// The clauses leave the region (the end of a loop body or a
		// branch): everything on the normal path is the else-part.
		elseEnd, next = hi, hi
		if inRegion {
			elseEnd, next = H, -1
			if jumpOver && d.canon(d.ins[H-1].target) == d.canon(join) {
				d.mark(H - 1)
				elseEnd = H - 1
			}
		}
	default:
		fail("a try statement")
	}
	if elseEnd > be {
		elseCtx := *c
		elseCtx.end = elseEnd
		if join >= 0 {
			elseCtx.end = join
		}
		st.Orelse = d.block(be, elseEnd, &elseCtx)
	}
	d.emit(s, st, x)
	for _, a := range after {
		d.emit(s, a, x)
	}
	// The handlers' instructions lie inside this region or elsewhere (3.12
	// moves them to the end of the function); the walk skips them.
	hend := H
	for hend < len(d.ins) && d.seen[hend] {
		hend++
	}
	d.skip[H] = hend
	if next < 0 {
		next = hend
		if next > hi {
			next = hi
		}
	}
	return next, true
}

// cleanupOf is the handler H's own clean-up (COPY 3; POP_EXCEPT; RERAISE
// 1), where an exception raised inside a clause goes, or -1.
func (d *dec) cleanupOf(H int) int {
	for _, e := range d.exc {
		t := e.target
		if e.lasti && e.start == H && t+2 < len(d.ins) && d.ins[t].op == "COPY" && d.ins[t+1].op == "POP_EXCEPT" &&
			d.ins[t+2].op == "RERAISE" {
			return t
		}
	}
	return -1
}

// finallyCode reports the final code of a try … finally whose handler is
// H: its first index and length (at least one instruction).
func (d *dec) finallyCode(H int) (int, int, bool) {
	cleanup := d.cleanupOf(H)
	if cleanup < 0 || !d.isFinally(H, cleanup) {
		return 0, 0, false
	}
	n := d.finallyEnd(cleanup) - (H + 1)
	return H + 1, n, n > 0
}

// finallyEnd is the end of a finally handler's final code: before its
// RERAISE 0, or after the RETURN_VALUE of a final code that always returns
// (finallyReturnPops made its handler copy read as the others do).
func (d *dec) finallyEnd(cleanup int) int {
	if d.ins[cleanup-1].op == "RETURN_VALUE" {
		return cleanup
	}
	return cleanup - 1
}

// finallyCopies finds the copies of each try … finally's final code that
// CPython puts before every way out of its body (the normal path's end, a
// return, a break, a continue, including those out of except clauses of
// a try nested in it): unprotected code, in the body or in the handlers of
// the tries nested in it, that is the same code as the handler's. The walk
// steps over them (run); tryFinally checks that every way out has one.
func (d *dec) finallyCopies() map[int]int {
	copies := map[int]int{}
	for _, t := range d.tries {
		f, n, ok := d.finallyCode(t.handler)
		if !ok {
			continue
		}
		covered := d.coveredWithin(t)
		spans := [][2]int{{t.start, t.end + 1}}
		for _, in := range d.tries {
			if in.handler != t.handler && in.start >= t.start && in.end <= t.end {
				spans = append(spans, [2]int{in.handler, d.handlerEnd(in.handler)})
			}
		}
		for _, sp := range spans {
			for p := sp[0]; p < sp[1] && p+n <= len(d.ins); p++ {
				if !covered[p] && p != f && d.sameCode(p, f, n) {
					copies[p] = n
				}
			}
		}
	}
	return copies
}

// coveredWithin reports the instructions that the handlers of t and of
// the tries nested in it protect. The copies of t's final code are not
// among them; a try around t protects them too (the final code of a try
// nested in another's body runs under the outer one's handler).
func (d *dec) coveredWithin(t tryRange) []bool {
	within := func(h int) bool {
		for _, u := range d.tries {
			// h is u's handler, or code of it (a clean-up, the block that
			// clears an `as` name).
			if h != u.handler && (h < u.handler || h >= d.handlerEnd(u.handler)) {
				continue
			}
			nested := u.start >= t.start && u.end <= t.end && !(u.start == t.start && u.end == t.end && u.wraps && !t.wraps)
			return u.handler == t.handler || nested
		}
		return false
	}
	covered := make([]bool, len(d.ins)+1)
	for _, e := range d.exc {
		if !within(e.target) {
			continue
		}
		for k := e.start; k < e.end && k < len(covered); k++ {
			covered[k] = true
		}
	}
	return covered
}

// handlerEnd is the end of the handler H's code: after its clean-up.
func (d *dec) handlerEnd(H int) int {
	if c := d.cleanupOf(H); c >= 0 {
		return c + 3
	}
	return H + 1
}

// hop steps over the copies of final code at k.
func (d *dec) hop(k int) int {
	for n := 0; n < 8; n++ {
		m, ok := d.fcopy[k]
		if !ok {
			break
		}
		k += m
	}
	return k
}

// clauseJump reads a break or continue that ends an except clause, at k
// after the clause's POP_EXCEPT (at pe): the final code of an enclosing try …
// finally, then (for a break out of a for loop) the iterator's POP_TOP and
// a jump to the loop's exit or head. Without final code a jump to the loop
// head reads the same as the clause's normal way out when the try ends the
// loop body (the region's end), and is left to the join, unless the normal
// path's jump over the handlers (3.11) names another join. H is the try's
// handler, or -1 for a jump from inside a statement of the clause.
func (d *dec) clauseJump(k, pe, H, lo, hi int, c *ctx) (pyast.Stmt, bool) {
	if c.loop == nil {
		return nil, false
	}
	h := d.hop(k)
	fin := h != k
	pos := d.ins[k].lead
	j := h
	if c.loop.isFor && j < len(d.ins) && d.ins[j].op == "POP_TOP" {
		j++
	}
	if j >= len(d.ins) {
		return nil, false
	}
	var st pyast.Stmt
	var end int
	kind := lBad
	if d.ins[j].op == "JUMP" {
		kind = d.classify(d.ins[j].target, lo, hi, c)
	}
	switch {
	case d.ins[j].op != "JUMP":
	case kind == lBreak && (j > h) == c.loop.isFor:
		st, end = &pyast.Break{}, j+1
	case kind == lCont && j == h:
		st, end = &pyast.Continue{}, j+1
	case kind == lEnd && j == h && c.loop.cont[d.canon(d.ins[j].target)] && (fin || H >= 0 && d.joinsElsewhere(H, d.ins[j].target)):
		st, end = &pyast.Continue{}, j+1
	}
	if st == nil && (c.loop.isFor && j > h && d.ins[h].op == "POP_TOP" || !c.loop.isFor && j == h) {
		// 3.12 and later copy a short tail that ends in a return to where
		// the break would jump to it.
		if m := d.copyOf(j, c.loop.brk); m > 0 {
			st, end = &pyast.Break{}, j+m
		}
	}
	if st == nil {
		return nil, false
	}
	switch {
	case pos.Line > 0:
	case fin:
		pos = d.ins[pe].pos // the final code has its own line
	default:
		pos = d.ins[h].pos // the iterator's POP_TOP, or the jump
	}
	setPos(st, pos)
	for m := k; m < end; m++ {
		d.mark(m)
	}
	d.jumpEnd = end
	return st, true
}

// joinsElsewhere reports that the normal path of the try whose handler is
// H jumps over the handlers (3.11) to another place than t.
func (d *dec) joinsElsewhere(H, t int) bool {
	return H > 0 && d.ins[H-1].op == "JUMP" && d.ins[H-1].target > H && d.canon(d.ins[H-1].target) != d.canon(t)
}

// clearsName reports LOAD_CONST None; STORE_FAST name; DELETE_FAST name at k.
func (d *dec) clearsName(k int, name string) bool {
	if k+2 >= len(d.ins) {
		return false
	}
	a, b, c := d.ins[k], d.ins[k+1], d.ins[k+2]
	none, ok := constant(a.val, a.pos)
	if k, isConst := none.(*pyast.Constant); !ok || !isConst || k.Kind != pyast.ConstNone {
		return false
	}
	return a.op == "LOAD_CONST" && b.op == "STORE_FAST" && b.name == name && c.op == "DELETE_FAST" && c.name == name
}

func pass(p pyast.Pos) pyast.Stmt {
	st := &pyast.Pass{}
	st.P = p
	return st
}

// handlerReturn reports a return out of an except clause at the POP_EXCEPT
// j (name: the clause's `as` name, or ""): the value computed first and
// kept under the exception by SWAP 2, or a constant loaded after it; the
// name cleared in between. It gives the index after the RETURN_VALUE and
// whether the value comes first (SWAP).
func (d *dec) handlerReturn(j int, name string) (end int, swapped, ok bool) {
	if j >= len(d.ins) || d.ins[j].op != "POP_EXCEPT" {
		return 0, false, false
	}
	k := j + 1
	if name != "" {
		if !d.clearsName(k, name) {
			return 0, false, false
		}
		k += 3
	}
	// Inside a try … finally the final code runs first.
	hopped := d.hop(k)
	fin := hopped != k
	k = hopped
	// Inside for loops the iterators are popped first, under the value
	// (SWAP 2; POP_TOP) or before a constant is loaded.
	swapped = j > 0 && d.ins[j-1].op == "SWAP" && d.ins[j-1].arg == 2
	for swapped && k+1 < len(d.ins) && d.ins[k].op == "SWAP" && d.ins[k].arg == 2 && d.ins[k+1].op == "POP_TOP" {
		k += 2
	}
	for !swapped && k < len(d.ins) && d.ins[k].op == "POP_TOP" {
		k++
	}
	if swapped && k < len(d.ins) && d.ins[k].op == "RETURN_VALUE" {
		return k + 1, true, true
	}
	// A constant returned: CPython spells `except: return c` and `except:
	// pass` followed by `return c` alike (3.12 and later copy the return);
	// the line tells them apart: a return in the clause shares the line of
	// its POP_EXCEPT. A copy of final code before it also says so: the
	// clause's normal way out joins the try's normal path instead.
	if k+1 < len(d.ins) && d.ins[k].op == "LOAD_CONST" && d.ins[k+1].op == "RETURN_VALUE" &&
		(fin || d.ins[k].pos.Line == d.ins[j].pos.Line) {
		return k + 2, false, true
	}
	return 0, false, false
}

// isFinally reports the handler of a try … finally: its code, up to the
// clean-up, is the finally body then RERAISE 0, with no clause test.
func (d *dec) isFinally(H, cleanup int) bool {
	last := d.ins[cleanup-1]
	if H+1 >= cleanup || d.ins[H+1].op == "POP_TOP" || !(last.op == "RERAISE" && last.arg == 0 || last.op == "RETURN_VALUE") {
		return false
	}
	for k := H + 1; k < cleanup; k++ {
		if d.ins[k].op == "CHECK_EXC_MATCH" {
			return false
		}
	}
	return true
}

// tryFinally decompiles `try: body finally: final`. CPython compiles the
// final code once in the handler, which runs it and re-raises, and copies
// it before every way out of the body: inline after the body (the normal
// path), and before each return, break and continue (finallyCopies). The
// handler's copy is decompiled; the others must be the same code and are
// stepped over. Except clauses with finally compile as a try … except
// nested in the try … finally's body, and become one statement again.
func (d *dec) tryFinally(i, be, H, cleanup, lo, hi int, c *ctx, s *sim, pos pyast.Pos) int {
	fail := func(what string) {
		d.fail(pos, "%s cannot be decompiled from bytecode", what)
	}
	R := d.finallyEnd(cleanup) // RERAISE 0, or the clean-up after a return
	n := R - (H + 1)
	for k := H + 1; k < R; k++ {
		if d.ins[k].op == "PUSH_EXC_INFO" {
			fail("a try inside a finally clause")
		}
	}
	// The inline copy on the normal path.
	if be+n > len(d.ins) || !d.sameCode(be, H+1, n) {
		fail("a try … finally")
	}
	bodyEnd := be
	if n > 0 && be+n < len(d.ins) && d.ins[be+n].op == "RETURN_VALUE" {
		// return v at the end of the body: v computed in the body, the
		// final code, then the return; the body has no normal path.
		bodyEnd = be + n + 1
	}
	d.checkFinallyExits(i, be, bodyEnd, H, n, pos)
	st := &pyast.Try{}
	st.P = pos
	// The handler first: the tries nested in the body skip to the end of
	// the handlers' code, this one's included.
	st.Finalbody = d.block(H+1, R, &ctx{end: R, base: c.base + 1})
	if len(st.Finalbody) == 0 {
		st.Finalbody = []pyast.Stmt{pass(d.ins[R].pos)}
	}
	if R < cleanup {
		d.mark(R)
	}
	for k := cleanup; k < cleanup+3; k++ {
		d.mark(k)
	}
	bodyCtx := *c
	bodyCtx.end = bodyEnd
	if bodyEnd == be {
		for k := be; k < be+n; k++ {
			d.mark(k)
		}
	}
	st.Body = d.block(i, bodyEnd, &bodyCtx)
	if len(st.Body) == 0 {
		st.Body = []pyast.Stmt{pass(pos)}
	}
	// try … except … finally: one statement in the source. Code after the
	// nested try is its else-part when no clause falls through to it (3.12
	// and later cannot tell them apart then: no jump ends the else-part);
	// both run the same.
	if in, ok := st.Body[0].(*pyast.Try); ok && len(in.Handlers) > 0 && len(in.Finalbody) == 0 &&
		(len(st.Body) == 1 || len(in.Orelse) == 0 && clausesLeave(in)) {
		st.Body, st.Handlers, st.Orelse = in.Body, in.Handlers, append(in.Orelse, st.Body[1:]...)
	}
	d.emit(s, st, d.ins[i])
	next := be + n
	if bodyEnd > be {
		next = bodyEnd
	}
	// 3.11 jumps over the handler to the code after the try, or (at the
	// end of a loop body) back to the loop's head.
	if next < len(d.ins) && next < H && d.ins[next].op == "JUMP" &&
		(d.ins[next].target > H || next+1 == H && d.classify(d.ins[next].target, lo, hi, c) == lEnd) {
		j := d.ins[next].target
		d.mark(next)
		switch d.classify(j, lo, hi, c) {
		case lInside:
			next = j
		default:
			next = -1
		}
	}
	hend := H
	for hend < len(d.ins) && d.seen[hend] {
		hend++
	}
	d.skip[H] = hend
	if next < 0 {
		next = min(hend, hi)
	}
	return next
}

// clausesLeave reports that every except clause of t ends in a return, a
// raise, a break or a continue.
func clausesLeave(t *pyast.Try) bool {
	for _, h := range t.Handlers {
		if len(h.Body) == 0 {
			return false
		}
		switch h.Body[len(h.Body)-1].(type) {
		case *pyast.Return, *pyast.Raise, *pyast.Break, *pyast.Continue:
		default:
			return false
		}
	}
	return true
}

// checkFinallyExits makes sure that every way out of a try … finally's
// body [i, be) (returns, and jumps out of it: break, continue), and out of
// the handlers of the tries nested in it, runs a copy of the final code
// first: the tree's try statement runs the final code on each of them, so
// a way out without a copy would run it once too often. (A copy the search
// did not recognise would be left in the body and run twice.) bodyEnd is
// past the return that ends the body, if any.
func (d *dec) checkFinallyExits(i, be, bodyEnd, H, n int, pos pyast.Pos) {
	if n == 0 {
		return
	}
	var covered []bool
	for _, t := range d.tries {
		if t.handler == H {
			covered = d.coveredWithin(t)
		}
	}
	ends := map[int]bool{}
	for p, m := range d.fcopy {
		ends[p+m] = true
	}
	spans := [][2]int{{i, bodyEnd}}
	for _, in := range d.tries {
		if in.handler != H && in.start >= i && in.end <= be && (in.handler < i || in.handler >= be) {
			spans = append(spans, [2]int{in.handler, d.handlerEnd(in.handler)})
		}
	}
	inside := func(t int) bool {
		for _, sp := range spans {
			if t >= sp[0] && t <= sp[1] {
				return true
			}
		}
		return t == be
	}
	for _, sp := range spans {
		for k := sp[0]; k < sp[1]; k++ {
			x := d.ins[k]
			exit := x.op == "RETURN_VALUE" || (x.target >= 0 && isJump(x.op) && !inside(x.target))
			if !exit {
				continue
			}
			j := k
			for j > sp[0] && !ends[j] && !covered[j-1] {
				j--
			}
			if !ends[j] {
				d.fail(x.pos, "this way out of a try … finally cannot be decompiled from bytecode")
			}
		}
	}
}

// sameCode reports that the n instructions at a and at b are the same code
// (jumps compared by their distance).
func (d *dec) sameCode(a, b, n int) bool {
	for k := 0; k < n; k++ {
		x, y := d.ins[a+k], d.ins[b+k]
		if x.op != y.op || x.arg != y.arg && x.target < 0 || x.name != y.name || string(x.val) != string(y.val) && x.target < 0 ||
			x.repr != y.repr || (x.target >= 0) != (y.target >= 0) || x.target >= 0 && x.target-(a+k) != y.target-(b+k) {
			return false
		}
	}
	return true
}
