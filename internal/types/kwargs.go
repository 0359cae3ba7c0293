package types

// **kwargs parameters. A function `def f(x, **kw)` is specialised, like
// one with *args, on what its callers pass: the keyword arguments that
// match no parameter make a record whose fields are their names (sorted)
// and whose field types are their values' types, an object of the class
// KwargsClass. Python callers pass the same record (sejit/_objects.py
// describes the dict CPython binds as such an object), and compiled
// callers build it from the call's keywords (bindCall in pylang.go).
//
// Since the keys are known when compiling, everything the function may
// ask of the dict is decided then: `kw.get("k", d)` is the field k or d,
// `kw["k"]` the field (a key that is not there is refused: CPython's
// KeyError would come at run time), `"k" in kw` a constant, `len(kw)` a
// constant. Each is an Alias of the expression it stands for, which
// lowering compiles instead. Other uses (iterating, items(), storing,
// attributes) are refused.

import (
	"slices"
	"sort"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// KwargsClass is the class of a **kwargs record.
const KwargsClass = "builtins:dict (**kwargs)"

// IsKwargs reports the record of a **kwargs parameter.
func (t *Type) IsKwargs() bool { return t.Kind == Tuple && t.Class == KwargsClass }

// kwargsRecord is the value of a callee's **kwargs for the keywords of e
// that match no parameter: one node per call and set of names, so every
// pass of the fixed point types the same node.
func (c *checker) kwargsRecord(e *pyast.Call, extra []*pyast.Keyword, kw map[string]*Type) (pyast.Expr, *Type) {
	sorted := append([]*pyast.Keyword{}, extra...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	names := make([]string, len(sorted))
	elems := make([]*Type, len(sorted))
	vals := make([]pyast.Expr, len(sorted))
	for i, k := range sorted {
		names[i], elems[i], vals[i] = k.Name, kw[k.Name], k.Value
	}
	t := ObjectOf(KwargsClass, names, elems, nil)
	node := c.kwRecords[e]
	if node == nil || !slices.Equal(node.Elts, vals) {
		node = &pyast.Tuple{Elts: vals}
		node.P = e.P
		c.kwRecords[e] = node
	}
	c.info().Types[node] = t
	return node, t
}

// kwargsField is the synthesized expression kw.name reading field name of
// the record kw (at e): one node per use.
func (c *checker) kwargsField(e pyast.Expr, kw pyast.Expr, name string) pyast.Expr {
	if a := c.kwFields[e]; a != nil {
		return a
	}
	a := &pyast.Attribute{Value: kw, Attr: name}
	a.P = e.Position()
	c.kwFields[e] = a
	c.kwSynth[a] = true
	return a
}

// kwargsKey is the constant string key of a use of a **kwargs record.
func (c *checker) kwargsKey(k pyast.Expr, what string) (string, bool) {
	if s, ok := k.(*pyast.Constant); ok && s.Kind == pyast.ConstStr {
		return s.Str, true
	}
	c.errorf(k.Position(), diag.Unsupported, "%s of a **kwargs dict needs a constant string key", what).
		WithHint("the keywords are known when compiling: write the name, as in kw.get(\"scale\", 1.0)")
	return "", false
}

// kwargsCall types kw.get(...) and len(kw) for a **kwargs record kw;
// false when e is neither.
func (c *checker) kwargsCall(e *pyast.Call) (*Type, bool) {
	if a, ok := e.Func.(*pyast.Attribute); ok {
		if _, isName := a.Value.(*pyast.Name); !isName {
			return nil, false
		}
		vt := c.expr(a.Value)
		if !vt.IsKwargs() {
			return nil, false
		}
		if a.Attr != "get" {
			c.errorf(a.P, diag.Unsupported, "%s.%s() of a **kwargs dict is not supported", a.Value.(*pyast.Name).ID, a.Attr).
				WithHint("read the keywords with kw.get(\"name\", default), kw[\"name\"] or \"name\" in kw")
			return UnknownT, true
		}
		if len(e.Keywords) > 0 || len(e.Args) < 1 || len(e.Args) > 2 {
			c.errorf(e.P, diag.Type, "get expected 1 or 2 arguments, got %d", len(e.Args)+len(e.Keywords))
			return UnknownT, true
		}
		key, ok := c.kwargsKey(e.Args[0], "get()")
		if !ok {
			return UnknownT, true
		}
		var syn pyast.Expr
		switch {
		case vt.Field(key) >= 0:
			syn = c.kwargsField(e, a.Value, key)
		case len(e.Args) == 2:
			syn = e.Args[1]
		default:
			none := &pyast.Constant{Kind: pyast.ConstNone}
			none.P = e.P
			if old, ok := c.kwFields[e].(*pyast.Constant); ok {
				none = old
			}
			c.kwFields[e] = none
			syn = none
		}
		c.info().Alias[e] = syn
		return c.expr(syn), true
	}
	if n, ok := e.Func.(*pyast.Name); ok && n.ID == "len" && len(e.Args) == 1 && len(e.Keywords) == 0 {
		if _, isName := e.Args[0].(*pyast.Name); !isName {
			return nil, false
		}
		if ft := c.expr(e.Func); ft.Kind != Builtin || ft.Name != "builtins.len" {
			return nil, false
		}
		vt := c.expr(e.Args[0])
		if !vt.IsKwargs() {
			return nil, false
		}
		// A node per specialization: the count is the record's.
		k := kwConstKey{c.spec, e}
		syn := c.kwConsts[k]
		if syn == nil {
			syn = pyast.IntConst(e.P, int64(len(vt.Fields)))
			c.kwConsts[k] = syn
		}
		c.info().Alias[e] = syn
		return c.expr(syn), true
	}
	return nil, false
}

// kwargsSubscript types kw["name"] for a **kwargs record kw.
func (c *checker) kwargsSubscript(e *pyast.Subscript, vt *Type) *Type {
	key, ok := c.kwargsKey(e.Index, "indexing")
	if !ok {
		return UnknownT
	}
	if vt.Field(key) < 0 {
		c.errorf(e.P, diag.Unsupported, "'%s' is not among the keyword arguments of this call (%s): CPython raises KeyError",
			key, fieldList(vt)).
			WithHint("use kw.get(\"%s\", default) for a keyword that may be missing", key)
		return UnknownT
	}
	syn := c.kwargsField(e, e.Value, key)
	c.info().Alias[e] = syn
	return c.expr(syn)
}

// kwargsIn types `"name" in kw` (and not in) for a **kwargs record kw.
func (c *checker) kwargsIn(e *pyast.Compare, vt *Type) *Type {
	key, ok := c.kwargsKey(e.Left, "'in'")
	if !ok {
		return UnknownT
	}
	has := vt.Field(key) >= 0
	if e.Ops[0] == "NotIn" {
		has = !has
	}
	k := kwConstKey{c.spec, e}
	syn := c.kwConsts[k]
	if syn == nil || syn.Bool != has {
		syn = &pyast.Constant{Kind: pyast.ConstBool, Bool: has}
		syn.P = e.P
		c.kwConsts[k] = syn
	}
	c.info().Alias[e] = syn
	return c.expr(syn)
}

// kwConstKey keys the constants standing for uses of a **kwargs record:
// they depend on the record, so on the specialization.
type kwConstKey struct {
	s *Spec
	e pyast.Expr
}

func fieldList(t *Type) string {
	if len(t.Fields) == 0 {
		return "none"
	}
	s := ""
	for i, f := range t.Fields {
		if i > 0 {
			s += ", "
		}
		s += f
	}
	return s
}

// starStarCall types a call with `**x` among its keywords: x a **kwargs
// record (each field a keyword) or a dict display with string keys (each
// item one). The call stands for a call with those keywords spelled out,
// one node per specialization (the record's fields are the
// specialization's), which is typed and lowered instead. False when e has
// no `**`.
func (c *checker) starStarCall(e *pyast.Call) (*Type, bool) {
	has := false
	for _, k := range e.Keywords {
		has = has || k.Name == ""
	}
	if !has {
		return nil, false
	}
	var kws []*pyast.Keyword
	seen := map[string]bool{}
	add := func(k *pyast.Keyword) bool {
		if seen[k.Name] {
			c.errorf(k.P, diag.Type, "got multiple values for keyword argument '%s'", k.Name)
			return false
		}
		seen[k.Name] = true
		kws = append(kws, k)
		return true
	}
	key := kwConstKey{c.spec, e}
	old := c.kwCalls[key]
	made := map[*pyast.Attribute]bool{} // the reads of a record's fields made here
	for _, k := range e.Keywords {
		if k.Name != "" {
			if !add(k) {
				return UnknownT, true
			}
			continue
		}
		switch v := k.Value.(type) {
		case *pyast.Dict:
			for i, kk := range v.Keys {
				item := &pyast.Keyword{Name: kk.(*pyast.Constant).Str, Value: v.Values[i]}
				item.P = kk.Position()
				if !add(item) {
					return UnknownT, true
				}
			}
		case *pyast.Name:
			vt := c.expr(v)
			if !vt.IsKwargs() {
				c.errorf(k.P, diag.Unsupported, "f(**%s) needs a **kwargs parameter, not a %s", v.ID, vt).
					WithHint("pass the keywords one by one")
				return UnknownT, true
			}
			for _, name := range vt.Fields {
				a := &pyast.Attribute{Value: v, Attr: name}
				a.P = k.P
				made[a] = true
				item := &pyast.Keyword{Name: name, Value: a}
				item.P = k.P
				if !add(item) {
					return UnknownT, true
				}
			}
		}
	}
	// Keep the node of an earlier pass when it spells the same keywords.
	syn := old
	if old == nil || !c.sameKeywords(old.Keywords, kws) {
		for a := range made {
			c.kwSynth[a] = true
		}
		syn = &pyast.Call{Func: e.Func, Args: e.Args, Keywords: kws}
		syn.P = e.P
	}
	c.kwCalls[key] = syn
	c.info().Alias[e] = syn
	return c.expr(syn), true
}

// sameKeywords reports two keyword lists that spell the same call (the
// synthesized reads of a **kwargs record compared by what they read).
func (c *checker) sameKeywords(a, b []*pyast.Keyword) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			return false
		}
		x, y := a[i].Value, b[i].Value
		if xa, ok := x.(*pyast.Attribute); ok && c.kwSynth[xa] {
			ya, isA := y.(*pyast.Attribute)
			if !isA || ya.Attr != xa.Attr || ya.Value != xa.Value {
				return false
			}
			continue
		}
		if x != y {
			return false
		}
	}
	return true
}
