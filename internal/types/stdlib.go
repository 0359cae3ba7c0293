package types

// Typing for the Python modules beyond math that numerical code reaches
// for: itertools' combinatoric iterators, functools.reduce and the operator
// module.
//
// itertools.product, combinations, combinations_with_replacement and
// permutations are iterables, typed where an iterable is (iterElem): a for
// loop, a comprehension, a generator consumer. Each item is a tuple, whose
// length must be known when compiling: r is a constant, and permutations
// without r takes a tuple's length. Their pools are sequences with random
// access (range, arrays, lists, tuples), evaluated once, as itertools
// copies its pools into tuples before the first item.
//
// An operator function called directly is the expression it names:
// operator.add(a, b) is typed (and lowered) as a + b through Info.Alias,
// so it accepts exactly what the operator does.

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/library"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// StdlibCall returns the qualified name of the library function that call
// calls when it is one of module's ("itertools.product" for
// itertools.product(...) or, after `from itertools import product`,
// product(...)). It reads the names alone, so it may run before the call
// is typed.
func StdlibCall(f *resolve.Func, e pyast.Expr, module string) (string, bool) {
	call, ok := e.(*pyast.Call)
	if !ok {
		return "", false
	}
	var name string
	switch fn := call.Func.(type) {
	case *pyast.Name:
		k, g := f.Lookup(fn.ID)
		if k != resolve.GlobalName || g.Kind != "builtin" || g.Module != module {
			return "", false
		}
		name = g.Name
	case *pyast.Attribute:
		m, ok := fn.Value.(*pyast.Name)
		if !ok {
			return "", false
		}
		k, g := f.Lookup(m.ID)
		if k != resolve.GlobalName || g.Kind != "module" || g.Name != module {
			return "", false
		}
		name = fn.Attr
	default:
		return "", false
	}
	if library.Callable(module, name) == nil {
		return "", false
	}
	return module + "." + name, true
}

// ComboArity is the length of each tuple an itertools iterator yields,
// recorded by typing for lowering.
type ComboArity struct {
	R      int // the tuple's length
	Repeat int // product's repeat=
}

// itertoolsIter types an itertools iterator as an iterable: the type of
// one item, ok false after an error, handled false when e is not one.
func (c *checker) itertoolsIter(e pyast.Expr) (t *Type, ok, handled bool) {
	full, is := StdlibCall(c.spec.Func, e, "itertools")
	if !is {
		return nil, false, false
	}
	call := e.(*pyast.Call)
	c.expr(call.Func)
	ent := library.Callable("itertools", full[len("itertools."):])
	name := ent.Short()
	if !c.noKeywords(call, full, kwTypes(c, call), ent.Keywords...) {
		return nil, false, true
	}
	if len(call.Args) < ent.MinArgs || ent.MaxArgs != library.Variadic && len(call.Args) > ent.MaxArgs {
		c.errorf(call.P, diag.Type, "%s() takes %d to %d positional arguments (%d given)", full, ent.MinArgs, ent.MaxArgs, len(call.Args))
		return nil, false, true
	}
	pools := call.Args
	if name != "product" {
		pools = call.Args[:1]
	}
	elems := make([]*Type, len(pools))
	for i, p := range pools {
		et, ok := c.poolElem(full, p)
		if et == nil {
			return nil, ok, true
		}
		elems[i] = et
	}
	r, repeat := 1, 1
	switch name {
	case "product":
		for _, k := range call.Keywords {
			n, ok := c.constCount(full, k.Value, "repeat")
			if !ok {
				return nil, false, true
			}
			repeat = n
		}
		r = len(pools) * repeat
	case "permutations":
		if len(call.Args) < 2 && len(call.Keywords) == 0 {
			pt := c.info().Types[pools[0]]
			if pt.Kind != Tuple {
				c.errorf(call.P, diag.Unsupported, "%s() of a %s needs its length r, a constant, here: each item is a tuple", full, pt).
					WithHint("pass r, as in permutations(x, 2)")
				return nil, false, true
			}
			r = len(pt.Elems)
			break
		}
		fallthrough
	default:
		var re pyast.Expr
		switch {
		case len(call.Args) > 1:
			re = call.Args[1]
		case len(call.Keywords) > 0:
			re = call.Keywords[0].Value
		default:
			c.errorf(call.P, diag.Type, "%s() missing required argument 'r' (pos 2)", name)
			return nil, false, true
		}
		n, ok := c.constCount(full, re, "r")
		if !ok {
			return nil, false, true
		}
		r = n
	}
	c.info().Combos[call] = &ComboArity{R: r, Repeat: repeat}
	items := make([]*Type, 0, r)
	for len(items) < r {
		if name == "product" {
			items = append(items, elems[len(items)%len(elems)])
		} else {
			items = append(items, elems[0])
		}
	}
	return TupleOf(items...), true, true
}

// kwTypes types a call's keyword values.
func kwTypes(c *checker, call *pyast.Call) map[string]*Type {
	kw := map[string]*Type{}
	for _, k := range call.Keywords {
		kw[k.Name] = c.expr(k.Value)
	}
	return kw
}

// poolElem types one pool of an itertools iterator: the type of its items.
func (c *checker) poolElem(full string, p pyast.Expr) (*Type, bool) {
	if isBuiltinCall(c.spec.Func, p, "range") {
		return c.iterElem(p)
	}
	t := c.expr(p)
	switch {
	case t.IsUnknown():
		return nil, true
	case t.Kind == Array && t.NDim > 0, t.Kind == List, t.Kind == Tuple && len(t.Elems) > 0:
		return c.iterElem(p)
	}
	c.errorf(p.Position(), diag.Unsupported, "%s() takes ranges, arrays, lists and tuples of numbers here, not a %s", full, t).
		WithHint("make the pool a list or an array first")
	return nil, false
}

// constCount is the value of a count known when compiling (r, repeat): a
// non-negative integer constant.
func (c *checker) constCount(full string, e pyast.Expr, what string) (int, bool) {
	t := c.expr(e)
	k, ok := constIndex(e)
	if !ok {
		if kc, folded := c.info().Consts[e]; folded && kc.Kind == pyast.ConstInt && kc.Int.IsInt64() {
			k, ok = kc.Int.Int64(), true
		}
	}
	switch {
	case !ok && t.Kind == Scalar && t.DType.Kind() <= KInt:
		c.errorf(e.Position(), diag.Unsupported, "%s() needs %s as a constant here: each item is a tuple of that length", full, what).
			WithHint("write the number itself, as in combinations(x, 2)")
		return 0, false
	case !ok:
		c.errorf(e.Position(), diag.Type, "'%s' object cannot be interpreted as an integer", t)
		return 0, false
	case k < 0:
		c.errorf(e.Position(), diag.Value, "%s must be non-negative", what)
		return 0, false
	case k > 32:
		c.errorf(e.Position(), diag.Unsupported, "%s() with %s = %d: at most 32 here", full, what, k)
		return 0, false
	}
	return int(k), true
}

// operatorCall types a call of an operator module function as the
// expression it names (see the file comment).
func (c *checker) operatorCall(e *pyast.Call, ent *library.Entry, args []*Type) *Type {
	full := ent.Name
	if len(e.Keywords) > 0 {
		c.errorf(e.P, diag.Type, "%s() takes no keyword arguments", full)
		return UnknownT
	}
	if len(args) < ent.MinArgs || len(args) > ent.MaxArgs {
		c.errorf(e.P, diag.Type, "%s expected %d arguments, got %d", ent.Short(), ent.MaxArgs, len(args))
		return UnknownT
	}
	syn := OperatorExpr(ent, e.Args, e.P)
	c.info().Alias[e] = syn
	return c.expr(syn)
}

// OperatorExpr is the expression an operator module function computes on
// args: a binary operation, a comparison or a unary operation.
func OperatorExpr(ent *library.Entry, args []pyast.Expr, p pyast.Pos) pyast.Expr {
	var syn pyast.Expr
	switch ent.Form {
	case "bin":
		x := &pyast.BinOp{Op: ent.Op, Left: args[0], Right: args[1]}
		x.P = p
		syn = x
	case "cmp":
		x := &pyast.Compare{Left: args[0], Ops: []string{ent.Op}, Comparators: args[1:2]}
		x.P = p
		syn = x
	case "unary":
		x := &pyast.UnaryOp{Op: ent.Op, Operand: args[0]}
		x.P = p
		syn = x
	case "call": // abs, truth: the builtin of that name
		fn := &pyast.Name{ID: ent.Op}
		fn.P = p
		x := &pyast.Call{Func: fn, Args: args[:1]}
		x.P = p
		syn = x
	}
	return syn
}

// stdlibModules are the modules of this file, which functions may name.
var stdlibModules = map[string]bool{"itertools": true, "functools": true, "operator": true}

// Fold is how functools.reduce applies its function: Call, a call of a
// compiled function on (accumulator, item) typed as such (lowering passes
// the values, not Call's arguments), or Op, an operator module function.
type Fold struct {
	Call *pyast.Call
	Op   *library.Entry
	Acc  *Type // the accumulator's type
}

// reduceCall types functools.reduce(function, iterable[, initial]). The
// accumulator starts as the initial value (or the first item) and takes
// the function's result; where the result's type differs from the start's
// the two are joined and the function is typed again on the joined type,
// which must then be stable.
func (c *checker) reduceCall(e *pyast.Call) *Type {
	if len(e.Keywords) > 0 {
		c.errorf(e.P, diag.Type, "reduce() takes no keyword arguments")
		return UnknownT
	}
	if len(e.Args) < 2 || len(e.Args) > 3 {
		c.errorf(e.P, diag.Type, "reduce expected at least 2 arguments, got %d", len(e.Args))
		return UnknownT
	}
	ft := c.expr(e.Args[0])
	item, ok := c.iterElem(e.Args[1])
	if item == nil || !ok || ft.IsUnknown() {
		return UnknownT
	}
	acc := item
	if len(e.Args) == 3 {
		if acc = c.expr(e.Args[2]); acc.IsUnknown() {
			return acc
		}
	}
	if acc.Kind != Scalar || item.Kind != Scalar && ft.Kind != Function {
		c.errorf(e.P, diag.Unsupported, "reduce() folds numbers here, not a %s with items of %s", acc, item).
			WithHint("write the loop out")
		return UnknownT
	}
	fold := &Fold{}
	apply := func(acc *Type) *Type {
		op, isOp := strings.CutPrefix(ft.Name, "operator.")
		switch {
		case ft.Kind == Builtin && isOp:
			ent := library.Callable("operator", op)
			if ent.Form != "bin" {
				c.errorf(e.Args[0].Position(), diag.Unsupported, "reduce() with %s: only the binary arithmetic operators here", ft.Name)
				return UnknownT
			}
			fold.Op = ent
			return c.binop(ent.Op, acc, item, e.P)
		case ft.Kind == Function:
			syn := &pyast.Call{Func: e.Args[0], Args: []pyast.Expr{e.Args[1], e.Args[1]}}
			syn.P = e.P
			fold.Call = syn
			return c.userCall(syn, ft, []*Type{acc, item}, nil)
		}
		c.errorf(e.Args[0].Position(), diag.Unsupported, "reduce() takes a compiled function, a lambda or an operator module function here, not a %s", ft)
		return UnknownT
	}
	r := apply(acc)
	if r.IsUnknown() {
		return r
	}
	if r.Kind != Scalar {
		c.errorf(e.P, diag.Unsupported, "reduce(): the function returns a %s, not a number", r)
		return UnknownT
	}
	if !Equal(r, acc) {
		j, ok := Join(acc, r)
		if !ok {
			c.errorf(e.P, diag.Type, "reduce(): the accumulator starts as %s and the function returns %s", acc, r)
			return UnknownT
		}
		acc = j
		if r = apply(acc); r.IsUnknown() {
			return r
		}
		if j, _ := Join(acc, r); j == nil || !Equal(j, acc) {
			c.errorf(e.P, diag.Type, "reduce(): the accumulator's type changes at each step (%s, then %s)", acc, r)
			return UnknownT
		}
	}
	fold.Acc = acc
	c.info().Folds[e] = fold
	return acc
}
