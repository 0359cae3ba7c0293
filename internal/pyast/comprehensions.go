package pyast

import "strconv"

// Nodes of comprehensions (issue 14): list comprehensions and generator
// expressions. They live apart from ast.go so the decoder's main switch
// only dispatches here.
//
// A comprehension has its own scope, as in Python 3: its loop variables
// do not leak into the function, and they shadow the function's names of
// the same spelling inside it. The decoder makes that scope explicit by
// renaming each variable a comprehension binds to a name no Python source
// can spell (x becomes x@1: '@' cannot occur in an identifier), in the
// parts of the comprehension that see it: the element, the conditions and
// the iterables of the later for clauses. The first clause's iterable is
// evaluated in the enclosing scope and keeps its names. Later phases then
// treat the renamed variables as ordinary locals of the function.
// SourceName gives a renamed variable's spelling back for messages.

// Comprehension is one `for Target in Iter if Ifs...` clause.
type Comprehension struct {
	base
	Target Expr
	Iter   Expr
	Ifs    []Expr
}

// ListComp is [Elt for ... in ... if ...].
type ListComp struct {
	base
	Elt        Expr
	Generators []*Comprehension
}

// GeneratorExp is (Elt for ... in ... if ...).
type GeneratorExp struct {
	base
	Elt        Expr
	Generators []*Comprehension
}

func (*ListComp) exprNode()     {}
func (*GeneratorExp) exprNode() {}

// SourceName is the name a (possibly renamed) variable has in the source.
func SourceName(name string) string {
	for i := 0; i < len(name); i++ {
		if name[i] == '@' {
			return name[:i]
		}
	}
	return name
}

// exprComprehension decodes a comprehension; nil for any other kind.
func (d *decoder) exprComprehension(t string, r raw, b base) Expr {
	if t != "ListComp" && t != "GeneratorExp" && t != "DictComp" && t != "SetComp" {
		return nil
	}
	var elt, value Expr
	if t == "DictComp" {
		elt, value = d.expr(d.node(r, "key")), d.expr(d.node(r, "value"))
	} else {
		elt = d.expr(d.node(r, "elt"))
	}
	var gens []*Comprehension
	for _, g := range d.list(r, "generators") {
		c := &Comprehension{base: base{d.pos(g)}, Target: d.expr(d.node(g, "target")), Iter: d.expr(d.node(g, "iter")),
			Ifs: d.exprs(d.list(g, "ifs"))}
		if c.P.Line == 0 { // a comprehension clause has no position of its own
			c.P = c.Target.Position()
		}
		gens = append(gens, c)
	}
	if len(gens) == 0 {
		d.fail("%s without generators", t)
	}
	switch t {
	case "DictComp":
		d.scope(&Tuple{base: b, Elts: []Expr{elt, value}}, gens)
		return &DictComp{b, elt, value, gens}
	case "SetComp":
		d.scope(elt, gens)
		return &SetComp{b, elt, gens}
	}
	d.scope(elt, gens)
	if t == "ListComp" {
		return &ListComp{b, elt, gens}
	}
	return &GeneratorExp{b, elt, gens}
}

// scope renames the variables the clauses bind (see above).
func (d *decoder) scope(elt Expr, gens []*Comprehension) {
	d.comps++
	suffix := "@" + strconv.Itoa(d.comps)
	renamed := map[string]string{}
	var bind func(e Expr)
	bind = func(e Expr) {
		switch e := e.(type) {
		case *Name:
			renamed[e.ID] = e.ID + suffix
		case *Tuple:
			for _, x := range e.Elts {
				bind(x)
			}
		case *List:
			for _, x := range e.Elts {
				bind(x)
			}
		}
	}
	rename := func(e Expr) {
		WalkExpr(e, func(x Expr) bool {
			switch x := x.(type) {
			case *Name:
				if n, ok := renamed[x.ID]; ok {
					x.ID = n
				}
			case *Lambda:
				return false // its own scope; lambdas are refused inside comprehensions anyway
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

// WalkExpr visits e and, while visit returns true, its operands, the
// parts of comprehensions included (not the bodies of lambdas).
func WalkExpr(e Expr, visit func(Expr) bool) {
	if e == nil || !visit(e) {
		return
	}
	w := func(x Expr) { WalkExpr(x, visit) }
	ws := func(xs []Expr) {
		for _, x := range xs {
			w(x)
		}
	}
	switch e := e.(type) {
	case *BinOp:
		w(e.Left)
		w(e.Right)
	case *UnaryOp:
		w(e.Operand)
	case *BoolOp:
		ws(e.Values)
	case *Compare:
		w(e.Left)
		ws(e.Comparators)
	case *IfExp:
		w(e.Test)
		w(e.Body)
		w(e.Orelse)
	case *Call:
		w(e.Func)
		ws(e.Args)
		for _, k := range e.Keywords {
			w(k.Value)
		}
	case *Attribute:
		w(e.Value)
	case *Subscript:
		w(e.Value)
		w(e.Index)
	case *Slice:
		w(e.Lower)
		w(e.Upper)
		w(e.Step)
	case *Tuple:
		ws(e.Elts)
	case *List:
		ws(e.Elts)
	case *Set:
		ws(e.Elts)
	case *Dict:
		ws(e.Keys)
		ws(e.Values)
	case *Starred:
		w(e.Value)
	case *Yield:
		w(e.Value)
	case *JoinedStr:
		ws(e.Values)
	case *FormattedValue:
		w(e.Value)
		w(e.Spec)
	case *ListComp:
		walkComp(e.Elt, e.Generators, w)
	case *GeneratorExp:
		walkComp(e.Elt, e.Generators, w)
	case *SetComp:
		walkComp(e.Elt, e.Generators, w)
	case *DictComp:
		walkComp(e.Key, e.Generators, w)
		w(e.Value)
	}
}

func walkComp(elt Expr, gens []*Comprehension, w func(Expr)) {
	for _, g := range gens {
		w(g.Iter)
		w(g.Target)
		for _, c := range g.Ifs {
			w(c)
		}
	}
	w(elt)
}

// Comp returns the element and clauses of a list comprehension or a
// generator expression; ok is false for other expressions.
func Comp(e Expr) (elt Expr, gens []*Comprehension, ok bool) {
	switch e := e.(type) {
	case *ListComp:
		return e.Elt, e.Generators, true
	case *GeneratorExp:
		return e.Elt, e.Generators, true
	case *SetComp:
		return e.Elt, e.Generators, true
	case *DictComp:
		// The key and the value, as one expression (dicts.go).
		return &Tuple{base: e.base, Elts: []Expr{e.Key, e.Value}}, e.Generators, true
	}
	return nil, nil, false
}
