package bytecode

import (
	"fmt"

	"sejit/internal/pyast"
)

// listComp rebuilds a 3.11 list comprehension from its function's code:
// BUILD_LIST 0, then for loops and ifs around LIST_APPEND of the element,
// which read as statements and are folded back into clauses.
func (d *dec) listComp(child *codeJSON, at pyast.Pos) *pyast.ListComp {
	ins, err := normalize(child)
	if err != nil || len(ins) < 2 || ins[0].op != "BUILD_LIST" || ins[0].arg != 0 {
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
	d.seen[0] = true
	body := d.block(1, len(ins), &ctx{end: len(ins), base: 1})
	for i, s := range d.seen {
		if !s {
			d.fail(ins[i].pos, "a comprehension the bytecode decompiler cannot follow (%s)", ins[i].op)
		}
	}
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
