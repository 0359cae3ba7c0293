package bytecode

import (
	"fmt"

	"sejit/internal/pyast"
)

// comp is a comprehension built from its function's code, until the call
// that gives its first clause the iterable.
type comp struct {
	e    pyast.Expr // *pyast.ListComp or *pyast.GeneratorExp
	gens []*pyast.Comprehension
}

// compFunction rebuilds a comprehension from its function's code: a 3.11
// list comprehension (BUILD_LIST 0, then for loops and ifs around
// LIST_APPEND of the element) or a generator expression (RETURN_GENERATOR,
// then the loops around YIELD_VALUE). The loops read as statements and are
// folded back into clauses.
func (d *dec) compFunction(child *codeJSON, at pyast.Pos) *comp {
	ins, err := normalize(child)
	gen := child.Name == "<genexpr>"
	if err != nil || len(ins) < 2 || !gen && (ins[0].op != "BUILD_LIST" || ins[0].arg != 0) ||
		gen && (ins[0].op != "RETURN_GENERATOR" || ins[1].op != "POP_TOP") {
		d.fail(at, "a comprehension the bytecode decompiler cannot follow")
	}
	saved := *d
	d.c, d.ins, d.seen, d.back, d.inComp = child, ins, make([]bool, len(ins)), map[int]int{}, true
	defer func() {
		d.c, d.ins, d.seen, d.back, d.inComp = saved.c, saved.ins, saved.seen, saved.back, saved.inComp
	}()
	for i, x := range ins {
		if x.target >= 0 && x.target <= i {
			d.back[x.target] = i
		}
	}
	var body []pyast.Stmt
	if gen {
		d.seen[0], d.seen[1] = true, true
		end := d.handlers()
		body = stripTail(d.block(2, end, &ctx{end: end}), isReturnNone)
	} else {
		d.seen[0] = true
		body = d.block(1, len(ins), &ctx{end: len(ins), base: 1})
	}
	for i, s := range d.seen {
		if !s {
			d.fail(ins[i].pos, "a comprehension the bytecode decompiler cannot follow (%s)", ins[i].op)
		}
	}
	lc := d.foldComp(body, at)
	if gen {
		g := &pyast.GeneratorExp{Elt: lc.Elt, Generators: lc.Generators}
		g.P = lc.P
		return &comp{g, lc.Generators}
	}
	return &comp{lc, lc.Generators}
}

// foldComp turns the loops and ifs around a comprehension's appends back
// into its clauses.
func (d *dec) foldComp(body []pyast.Stmt, at pyast.Pos) *pyast.ListComp {
	lc := &pyast.ListComp{}
	lc.P = at
	var fold func(body []pyast.Stmt) bool
	fold = func(body []pyast.Stmt) bool {
		if len(body) != 1 {
			return false
		}
		switch s := body[0].(type) {
		case *pyast.For:
			g := &pyast.Comprehension{Target: s.Target, Iter: s.Iter}
			g.P = s.Target.Position()
			lc.Generators = append(lc.Generators, g)
			return len(s.Orelse) == 0 && fold(s.Body)
		case *pyast.If:
			if len(lc.Generators) == 0 || len(s.Orelse) != 0 {
				return false
			}
			g := lc.Generators[len(lc.Generators)-1]
			g.Ifs = append(g.Ifs, s.Test)
			return fold(s.Body)
		case *pyast.ExprStmt:
			lc.Elt = s.Value
			return d.appends[s]
		}
		return false
	}
	if !fold(body) || len(lc.Generators) == 0 {
		d.fail(at, "a comprehension the bytecode decompiler cannot follow")
	}
	lc.P = lc.Elt.Position()
	d.scope(lc.Elt, lc.Generators)
	return lc
}

// scope renames the variables the clauses bind to names no source can
// spell, as pyast's decoder does (pyast/comprehensions.go): x becomes x@N
// in the parts of the comprehension that see it.
func (d *dec) scope(elt pyast.Expr, gens []*pyast.Comprehension) {
	d.ncomps++
	suffix := "@" + fmt.Sprint(d.ncomps)
	renamed := map[string]string{}
	var bind func(e pyast.Expr)
	bind = func(e pyast.Expr) {
		switch e := e.(type) {
		case *pyast.Name:
			renamed[e.ID] = e.ID + suffix
		case *pyast.Tuple:
			for _, x := range e.Elts {
				bind(x)
			}
		}
	}
	rename := func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			switch x := x.(type) {
			case *pyast.Name:
				if n, ok := renamed[x.ID]; ok {
					x.ID = n
				}
			case *pyast.Lambda:
				return false
			}
			return true
		})
	}
	for i, g := range gens {
		if i > 0 {
			rename(g.Iter)
		}
		bind(g.Target)
		rename(g.Target)
		for _, c := range g.Ifs {
			rename(c)
		}
	}
	rename(elt)
}

// inlineComp rebuilds a list comprehension that 3.12 and later compile
// inline. The GET_ITER at i has taken its iterable off the stack; then
//
//	LOAD_FAST_AND_CLEAR x...   save the variables the clauses bind
//	SWAP n+1; BUILD_LIST 0; SWAP 2
//	FOR_ITER ... LIST_APPEND ... END_FOR
//
// leaves the saved values under the list, and later stores restore them
// (an exception handler restores them too; handlers).
func (d *dec) inlineComp(i int, iter pyast.Expr, hi int, c *ctx, s *sim) int {
	x := d.ins[i]
	k := i + 1
	var names []string
	for k < hi && d.ins[k].op == "LOAD_FAST_AND_CLEAR" {
		d.mark(k)
		names = append(names, d.ins[k].name)
		k++
	}
	if k+3 >= hi || d.ins[k].op != "SWAP" || d.ins[k].arg != len(names)+1 || d.ins[k+1].op != "BUILD_LIST" ||
		d.ins[k+1].arg != 0 || d.ins[k+2].op != "SWAP" || d.ins[k+2].arg != 2 || d.ins[k+3].op != "FOR_ITER" {
		d.fail(x.pos, "a comprehension the bytecode decompiler cannot follow (only list comprehensions are rebuilt)")
	}
	d.mark(k)
	d.mark(k + 1)
	d.mark(k + 2)
	f := k + 3
	// The loop, as a for statement over a stack holding the list.
	sub := &sim{}
	for n := 0; n <= c.base; n++ {
		sub.stack = append(sub.stack, entry{kind: eIter})
	}
	d.push(sub, iter)
	wasComp := d.inComp
	d.inComp = true
	next := d.forLoop(f-1, hi, &ctx{end: hi, loop: c.loop, base: c.base + 1}, sub)
	d.inComp = wasComp
	lc := d.foldComp(sub.out, iter.Position())
	// What the stack holds after END_FOR: the saved values (in the order
	// SWAP n+1 left them), then the list.
	saved := []entry{{kind: eValue}}
	for _, nm := range names {
		saved = append(saved, entry{kind: eSaved, names: []string{nm}})
	}
	n := len(saved)
	saved[0], saved[n-1] = saved[n-1], saved[0]
	s.stack = append(s.stack, saved[:n-1]...)
	d.push(s, lc)
	return next
}

// handlers marks the exception handlers of inlined comprehensions (3.12
// and later), which restore the saved variables and re-raise: code at the
// end of the function that no jump reaches. It returns where the code
// before them ends.
func (d *dec) handlers() int {
	end := len(d.ins)
	inlines := false
	for _, x := range d.ins {
		if x.op == "LOAD_FAST_AND_CLEAR" {
			inlines = true
		}
	}
	// A generator expression's function turns a StopIteration into a
	// RuntimeError (3.12 and later).
	if end >= 2 && d.ins[end-1].op == "RERAISE" && d.ins[end-2].op == "CALL_INTRINSIC_1" &&
		d.ins[end-2].repr == "INTRINSIC_STOPITERATION_ERROR" {
		d.seen[end-1], d.seen[end-2] = true, true
		end -= 2
	}
	for inlines && end > 0 && d.ins[end-1].op == "RERAISE" {
		k := end - 1
		for k > 0 {
			op := d.ins[k-1].op
			if op != "SWAP" && op != "POP_TOP" && op != "STORE_FAST" {
				break
			}
			k--
		}
		for j := k; j < end; j++ {
			d.seen[j] = true
		}
		end = k
	}
	return end
}
