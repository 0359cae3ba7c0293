package resolve

// Generator functions, inlined where a for loop iterates them.
//
// Compiled code has no frames that can be suspended, so a generator cannot
// be an object here. But the common use of a generator in numerical code is
// a loop, `for v in gen(n): BODY`, and for that use the generator's frame
// never has to outlive the loop: the generator's body can run in place, with
// each `yield v` replaced by one execution of the loop body with the target
// bound to v. That is the transformation this file makes on the syntax tree,
// before resolution, so every later phase sees plain loops.
//
// The consumer loop's control flow has to keep its meaning once its body
// sits inside the generator's statements, possibly inside the generator's
// own loops:
//
//   - `continue` in BODY goes to the point after the yield. BODY is wrapped
//     in a loop that runs once (`for once in range(1)`), which `continue`
//     leaves, as it does any loop, and execution resumes after the yield.
//   - `break` in BODY leaves the whole inlined body. It becomes
//     `stop = True; break`: the break leaves the innermost loop it is in (the
//     once-loop or a loop of the generator), and after every generator loop
//     that contains a yield, `if stop: break` passes the exit outward.
//   - `return` in the generator ends the iteration. It is the same exit,
//     `stop = True; break`.
//   - At the generator's top level there is no loop to break out of, so the
//     inlined body runs inside a once-loop (the frame) whenever an exit is
//     needed there.
//   - The consumer's `else:` runs unless BODY broke out: a second flag,
//     set only by BODY's breaks, guards it (a generator's return does not
//     skip it, as StopIteration does not in CPython).
//
// Only the break and continue statements of BODY itself change, not those
// inside BODY's own loops (which belong to them), but those in the else
// clause of such a loop do (they leave the consumer loop).
//
// The generator's parameters and locals are renamed at each inlined site
// (x becomes x@g3: '@' cannot occur in a Python name, and pyast.SourceName
// still gives x for messages), so they never meet the consumer's variables,
// and two sites may give them different types. Arguments are bound as
// assignments before the body, in the order CPython evaluates them, then
// keywords, then defaults. A nested generator's other names are the
// enclosing function's variables, read where the loop runs: CPython's late
// binding. A module-level generator's globals are added to the consumer's,
// renamed where the consumer already uses the name for something else.
//
// `sum(gen(...))`, `list(gen(...))` and the other builtins that consume an
// iterable (min max sorted any all) in a statement are hoisted: the items are
// collected into a list by an inlined loop just before the statement, and the
// builtin takes the list, so it keeps its own, already CPython-exact rules.
// The generator then runs before the rest of the statement's expression is
// evaluated, which only shows when that expression has side effects.
//
// Anything else — a generator object stored in a variable or passed along,
// send() (a yield used as a value), `yield from`, a generator that iterates
// itself — is refused with a positioned error.

import (
	"fmt"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// maxGenDepth bounds how deeply inlined generators may nest: deeper is a
// generator that (indirectly) iterates itself.
const maxGenDepth = 16

// collectors are the builtins whose generator argument is collected into a
// list first.
var collectors = map[string]bool{"sum": true, "list": true, "min": true, "max": true, "sorted": true, "any": true, "all": true}

// generator is one generator function that loops may inline.
type generator struct {
	def   *pyast.FunctionDef
	owner *Func // the module-level generator's own Func; nil for a nested def
}

type genInliner struct {
	global map[string]*generator // the module-level generators by request id
	f      *Func                 // the function being rewritten
	locals map[string]bool       // every name f (and its nested defs) assigns
	names  map[string]bool       // every generator name seen in f
	sites  int
	depth  int
	errs   diag.List
}

// InlineGenerators rewrites every `for` loop over a call of a generator
// function into the generator's body (see above), in every function of the
// request but the entry's own generator, and drops the module-level
// generators it inlined from funcs. It runs before FoldStrings and Resolve.
func InlineGenerators(funcs map[string]*Func, entry string) diag.List {
	global := map[string]*generator{}
	for id, f := range funcs {
		if id != entry && isGenerator(f.Def) {
			global[id] = &generator{def: f.Def, owner: f}
		}
	}
	var errs diag.List
	for id, f := range funcs {
		if global[id] != nil || isGenerator(f.Def) {
			continue
		}
		g := &genInliner{global: global, f: f, locals: assigned(f.Def), names: map[string]bool{}}
		scope := map[string]*generator{}
		for name, gl := range f.Globals {
			if gl.Kind == "function" && global[gl.ID] != nil && !g.locals[name] {
				scope[name] = global[gl.ID]
				g.names[name] = true
			}
		}
		f.Def.Body = g.block(f.Def.Body, scope)
		g.leftovers(f.Def.Body)
		errs = append(errs, g.errs...)
	}
	for id := range global {
		delete(funcs, id)
	}
	return errs
}

// isGenerator reports a def whose own body (not nested defs) yields.
func isGenerator(def *pyast.FunctionDef) bool {
	found := false
	pyast.WalkStmts(def.Body, func(pyast.Stmt) bool { return !found }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			switch x := x.(type) {
			case *pyast.Yield:
				found = true
			case *pyast.UnsupportedExpr:
				found = found || x.Type == "YieldFrom"
			}
			return !found
		})
	})
	return found
}

// assigned is every name def binds, in its body and its nested defs: a
// generator name the function rebinds is not the generator.
func assigned(def *pyast.FunctionDef) map[string]bool {
	out := map[string]bool{}
	for _, p := range def.Params {
		out[p.Name] = true
	}
	var bind func(t pyast.Expr)
	bind = func(t pyast.Expr) {
		switch t := t.(type) {
		case *pyast.Name:
			out[t.ID] = true
		case *pyast.Tuple:
			for _, e := range t.Elts {
				bind(e)
			}
		case *pyast.List:
			for _, e := range t.Elts {
				bind(e)
			}
		}
	}
	var walk func(body []pyast.Stmt)
	walk = func(body []pyast.Stmt) {
		pyast.WalkStmts(body, func(s pyast.Stmt) bool {
			switch s := s.(type) {
			case *pyast.Assign:
				for _, t := range s.Targets {
					bind(t)
				}
			case *pyast.AugAssign:
				bind(s.Target)
			case *pyast.AnnAssign:
				bind(s.Target)
			case *pyast.For:
				bind(s.Target)
			case *pyast.FunctionDef:
				for _, p := range s.Params {
					out[p.Name] = true
				}
				walk(s.Body)
			}
			return true
		}, nil)
	}
	walk(def.Body)
	return out
}

// block rewrites a block: it takes the nested generator defs out of it,
// inlines loops over generators, and goes into nested blocks and defs.
func (g *genInliner) block(body []pyast.Stmt, outer map[string]*generator) []pyast.Stmt {
	scope := outer
	copied := false
	var kept []pyast.Stmt
	for _, s := range body {
		if d, ok := s.(*pyast.FunctionDef); ok && isGenerator(d) {
			if !copied {
				copied = true
				scope = map[string]*generator{}
				for k, v := range outer {
					scope[k] = v
				}
			}
			scope[d.Name] = &generator{def: d}
			g.names[d.Name] = true
			continue
		}
		kept = append(kept, s)
	}
	var out []pyast.Stmt
	for _, s := range kept {
		out = append(out, g.stmt(s, scope)...)
	}
	return out
}

func (g *genInliner) stmt(s pyast.Stmt, scope map[string]*generator) []pyast.Stmt {
	var pre []pyast.Stmt
	switch s := s.(type) {
	case *pyast.For:
		if gen, call := g.genCall(s.Iter, scope); gen != nil {
			body, inner := g.inline(s, gen, call, scope)
			return g.nestedBlock(body, inner)
		}
		s.Iter = g.hoist(s.Iter, scope, &pre)
		s.Body = g.block(s.Body, scope)
		s.Orelse = g.block(s.Orelse, scope)
	case *pyast.While:
		s.Body = g.block(s.Body, scope)
		s.Orelse = g.block(s.Orelse, scope)
	case *pyast.If:
		s.Test = g.hoist(s.Test, scope, &pre)
		s.Body = g.block(s.Body, scope)
		s.Orelse = g.block(s.Orelse, scope)
	case *pyast.Try:
		// A loop over a generator in a try statement: what the inlined
		// generator raises reaches the handlers, as it does in CPython.
		s.Body = g.block(s.Body, scope)
		for _, h := range s.Handlers {
			h.Body = g.block(h.Body, scope)
		}
		s.Orelse = g.block(s.Orelse, scope)
		s.Finalbody = g.block(s.Finalbody, scope)
	case *pyast.FunctionDef:
		s.Body = g.block(s.Body, scope)
	case *pyast.Assign:
		s.Value = g.hoist(s.Value, scope, &pre)
	case *pyast.AugAssign:
		s.Value = g.hoist(s.Value, scope, &pre)
	case *pyast.AnnAssign:
		if s.Value != nil {
			s.Value = g.hoist(s.Value, scope, &pre)
		}
	case *pyast.Return:
		if s.Value != nil {
			s.Value = g.hoist(s.Value, scope, &pre)
		}
	case *pyast.ExprStmt:
		s.Value = g.hoist(s.Value, scope, &pre)
	}
	if len(pre) == 0 {
		return []pyast.Stmt{s}
	}
	return append(g.nestedBlock(pre, scope), s)
}

// nestedBlock rewrites the statements an inlining produced, which may hold
// more loops over generators (the consumer's body, the generator's own).
func (g *genInliner) nestedBlock(body []pyast.Stmt, scope map[string]*generator) []pyast.Stmt {
	if g.depth >= maxGenDepth {
		return body // reported by inline
	}
	g.depth++
	defer func() { g.depth-- }()
	return g.block(body, scope)
}

// genCall recognises a call of a generator in scope.
func (g *genInliner) genCall(e pyast.Expr, scope map[string]*generator) (*generator, *pyast.Call) {
	call, ok := e.(*pyast.Call)
	if !ok {
		return nil, nil
	}
	name, ok := call.Func.(*pyast.Name)
	if !ok {
		return nil, nil
	}
	if gen := scope[name.ID]; gen != nil {
		return gen, call
	}
	return nil, nil
}

// hoist replaces collector(gen(...)) calls evaluated unconditionally in e
// by a list the statements added to pre fill.
func (g *genInliner) hoist(e pyast.Expr, scope map[string]*generator, pre *[]pyast.Stmt) pyast.Expr {
	var visit func(x pyast.Expr) bool
	visit = func(x pyast.Expr) bool {
		switch x := x.(type) {
		case *pyast.BoolOp, *pyast.IfExp, *pyast.Lambda, *pyast.ListComp, *pyast.GeneratorExp,
			*pyast.SetComp, *pyast.DictComp:
			return false // evaluated conditionally, or in a scope of its own
		case *pyast.Call:
			fn, ok := x.Func.(*pyast.Name)
			if !ok || !collectors[fn.ID] || len(x.Args) == 0 {
				return true
			}
			gen, call := g.genCall(x.Args[0], scope)
			if gen == nil {
				return true
			}
			g.sites++
			p := call.P
			items := &pyast.Name{ID: fmt.Sprintf("items@g%d", g.sites)}
			items.P = p
			item := &pyast.Name{ID: fmt.Sprintf("item@g%d", g.sites)}
			item.P = p
			empty := &pyast.List{}
			empty.P = p
			appendCall := &pyast.Call{Func: attr(items, "append", p), Args: []pyast.Expr{name(item.ID, p)}}
			appendCall.P = p
			loop := &pyast.For{Target: item, Iter: call, Body: []pyast.Stmt{exprStmt(appendCall, p)}}
			loop.P = p
			*pre = append(*pre, assign(items, empty, p), loop)
			x.Args[0] = name(items.ID, p)
			return false
		}
		return true
	}
	pyast.WalkExpr(e, visit)
	return e
}

// leftovers reports every use of a generator that was not inlined.
func (g *genInliner) leftovers(body []pyast.Stmt) {
	var walk func(body []pyast.Stmt)
	walk = func(body []pyast.Stmt) {
		pyast.WalkStmts(body, func(s pyast.Stmt) bool {
			if d, ok := s.(*pyast.FunctionDef); ok {
				walk(d.Body)
			}
			return true
		}, func(e pyast.Expr) {
			pyast.WalkExpr(e, func(x pyast.Expr) bool {
				switch x := x.(type) {
				case *pyast.Name:
					if g.names[x.ID] && !g.locals[x.ID] {
						g.errs.Add(diag.Errorf(g.f.Pos(x.P), diag.Unsupported,
							"the generator function '%s' can only be iterated by a for loop (for x in %s(...)) or passed to sum, list, min, max, sorted, any or all", x.ID, x.ID).
							WithHint("compiled code has no generator objects: loop over it where it is called (a call of sum(...) and the like must not sit inside and/or, an if-else expression, a lambda or a comprehension)"))
					}
				case *pyast.Lambda:
					walk(x.Def.Body)
				}
				return true
			})
		})
	}
	walk(body)
}

// site is one inlined loop: its flags and the consumer's parts.
type site struct {
	g       *genInliner
	n       int
	loop    *pyast.For
	stop    string // set by every exit from the inlined body
	brk     string // set by the consumer body's breaks, for its else clause
	stopped bool   // some exit sets stop
	frame   bool   // an exit happens at the generator's top level
}

// inline is the consumer loop with gen's body in its place, and the
// generators in scope there (a module-level generator's own among them).
func (g *genInliner) inline(loop *pyast.For, gen *generator, call *pyast.Call, scope map[string]*generator) ([]pyast.Stmt, map[string]*generator) {
	p := loop.P
	if g.depth >= maxGenDepth {
		g.errs.Add(diag.Errorf(g.f.Pos(call.P), diag.Unsupported,
			"the generator '%s' iterates itself (recursion) more than %d levels deep", gen.def.Name, maxGenDepth).
			WithHint("write the recursion as a loop"))
		return []pyast.Stmt{loop}, scope
	}
	g.sites++
	s := &site{g: g, n: g.sites, loop: loop, stop: fmt.Sprintf("stop@g%d", g.sites), brk: fmt.Sprintf("broke@g%d", g.sites)}
	body := pyast.CloneStmts(gen.def.Body)
	def := &pyast.FunctionDef{Name: gen.def.Name, Params: gen.def.Params, Defaults: gen.def.Defaults, Body: body}
	def.P = gen.def.P
	if !g.check(gen, def) {
		return []pyast.Stmt{loop}, scope
	}
	// The rewrite sees into if, for and while blocks only: a jump inside
	// any other block (a try statement) would keep its old meaning.
	if h := hidden(loop.Body, isJump, false); h != nil {
		g.errs.Add(diag.Errorf(g.f.Pos(h.Position()), diag.Unsupported,
			"a break or continue inside this block of a loop over a generator is not supported").
			WithHint("move it out of the block, setting a flag there"))
		return []pyast.Stmt{loop}, scope
	}
	if h := hidden(def.Body, isExit, true); h != nil {
		f := g.f
		if gen.owner != nil {
			f = gen.owner
		}
		g.errs.Add(diag.Errorf(f.Pos(h.Position()), diag.Unsupported,
			"a yield or return inside this block of a generator is not supported").
			WithHint("move it out of the block"))
		return []pyast.Stmt{loop}, scope
	}
	rename := g.renames(gen, def, s.n)
	renameAll(body, rename)
	binds, ok := g.bind(gen, call, rename)
	if !ok {
		return []pyast.Stmt{loop}, scope
	}
	if gen.owner != nil {
		// The generators the module-level one iterates, by the names its
		// body has now.
		inner := map[string]*generator{}
		for k, v := range scope {
			inner[k] = v
		}
		for gname, gl := range gen.owner.Globals {
			if other := g.global[gl.ID]; gl.Kind == "function" && other != nil {
				to := gname
				if r := rename[gname]; r != "" {
					to = r
				}
				inner[to] = other
				g.names[to] = true
			}
		}
		scope = inner
	}
	consumerBreaks := hasJump(loop.Body, false)
	inner := s.rewrite(body, false, true)
	out := binds
	if s.stopped {
		out = append(out, assign(name(s.stop, p), pyast.BoolConst(p, false), p))
	}
	withElse := len(loop.Orelse) > 0 && consumerBreaks
	if withElse {
		out = append(out, assign(name(s.brk, p), pyast.BoolConst(p, false), p))
	}
	if s.frame {
		out = append(out, once(fmt.Sprintf("frame@g%d", s.n), inner, p))
	} else {
		out = append(out, inner...)
	}
	switch {
	case withElse:
		not := &pyast.UnaryOp{Op: "Not", Operand: name(s.brk, p)}
		not.P = p
		out = append(out, ifStmt(not, loop.Orelse, p))
	case len(loop.Orelse) > 0:
		out = append(out, loop.Orelse...)
	}
	return out, scope
}

// check refuses the generators that cannot be inlined.
func (g *genInliner) check(gen *generator, def *pyast.FunctionDef) bool {
	ok := true
	refuse := func(p pyast.Pos, format string, args ...any) *diag.Error {
		f := g.f
		if gen.owner != nil {
			f = gen.owner
		}
		e := diag.Errorf(f.Pos(p), diag.Unsupported, format, args...)
		g.errs.Add(e)
		ok = false
		return e
	}
	if gen.def.Extra != "" {
		refuse(gen.def.ExtraPos, "a generator with %s cannot be inlined", gen.def.Extra)
	}
	if gen.def.NPos < len(gen.def.Params) {
		refuse(gen.def.Params[gen.def.NPos].P, "a generator with *args or keyword-only parameters cannot be inlined").
			WithHint("give it positional parameters")
	}
	pyast.WalkStmts(def.Body, func(s pyast.Stmt) bool {
		switch s := s.(type) {
		case *pyast.FunctionDef:
			refuse(s.P, "a generator that defines functions cannot be inlined into its loop")
			return false
		case *pyast.ExprStmt:
			if y, isYield := s.Value.(*pyast.Yield); isYield {
				if y.Value != nil {
					pyast.WalkExpr(y.Value, func(x pyast.Expr) bool {
						if _, nested := x.(*pyast.Yield); nested {
							refuse(x.Position(), "a yield used as a value (send) is not supported")
						}
						return true
					})
				}
				return false
			}
		}
		return true
	}, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			switch x := x.(type) {
			case *pyast.Yield:
				refuse(x.P, "a yield used as a value (send) is not supported").
					WithHint("only yield statements (yield v) compile")
			case *pyast.UnsupportedExpr:
				if x.Type == "YieldFrom" {
					refuse(x.P, "generators (yield from) are not supported").
						WithHint("write for v in inner(...): yield v")
				}
			case *pyast.Lambda:
				refuse(x.P, "a generator that defines lambdas cannot be inlined into its loop")
			}
			return true
		})
	})
	return ok
}

// renames maps the generator's locals, and a module-level generator's
// globals that the consumer names differently, to their names at site n.
func (g *genInliner) renames(gen *generator, def *pyast.FunctionDef, n int) map[string]string {
	rename := map[string]string{}
	suffix := fmt.Sprintf("@g%d", n)
	for local := range assigned(def) {
		rename[local] = local + suffix
	}
	// Comprehension variables (x@1) are locals too, one per site.
	pyast.WalkStmts(def.Body, func(pyast.Stmt) bool { return true }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if nm, ok := x.(*pyast.Name); ok && pyast.SourceName(nm.ID) != nm.ID {
				rename[nm.ID] = nm.ID + suffix
			}
			return true
		})
	})
	if gen.owner == nil {
		return rename
	}
	for gname, gl := range gen.owner.Globals {
		if rename[gname] != "" {
			continue
		}
		mine, has := g.f.Globals[gname]
		switch {
		case !has && !g.locals[gname]:
			g.f.Globals[gname] = gl
		case has && sameGlobal(mine, gl) && !g.locals[gname]:
		default:
			rename[gname] = gname + suffix
			g.f.Globals[gname+suffix] = gl
		}
	}
	return rename
}

func sameGlobal(a, b *Global) bool {
	if a == b {
		return true
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case "module", "builtin":
		return a.Name == b.Name && a.Module == b.Module
	case "function":
		return a.ID == b.ID
	}
	return false
}

// renameAll renames names in body (the generator's only: it defines no
// functions or lambdas, check made sure).
func renameAll(body []pyast.Stmt, rename map[string]string) {
	pyast.WalkStmts(body, func(pyast.Stmt) bool { return true }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if nm, ok := x.(*pyast.Name); ok {
				if to := rename[nm.ID]; to != "" {
					nm.ID = to
				}
			}
			return true
		})
	})
}

// bind assigns the call's arguments to the renamed parameters.
func (g *genInliner) bind(gen *generator, call *pyast.Call, rename map[string]string) ([]pyast.Stmt, bool) {
	params := gen.def.Params
	fail := func(p pyast.Pos, kind diag.Kind, format string, args ...any) ([]pyast.Stmt, bool) {
		g.errs.Add(diag.Errorf(g.f.Pos(p), kind, format, args...))
		return nil, false
	}
	if len(call.Args) > len(params) {
		return fail(call.P, diag.Type, "%s() takes %d positional arguments but %d were given", gen.def.Name, len(params), len(call.Args))
	}
	var out []pyast.Stmt
	set := make([]bool, len(params))
	for i, a := range call.Args {
		if _, star := a.(*pyast.Starred); star {
			return fail(a.Position(), diag.Unsupported, "star-arguments in a call of a generator are not supported")
		}
		out = append(out, assign(name(rename[params[i].Name], a.Position()), a, a.Position()))
		set[i] = true
	}
	for _, k := range call.Keywords {
		i := -1
		for j, p := range params {
			if p.Name == k.Name {
				i = j
			}
		}
		switch {
		case k.Name == "":
			return fail(k.P, diag.Unsupported, "**kwargs in calls are not supported")
		case i < 0:
			return fail(k.P, diag.Type, "%s() got an unexpected keyword argument '%s'", gen.def.Name, k.Name)
		case set[i]:
			return fail(k.P, diag.Type, "%s() got multiple values for argument '%s'", gen.def.Name, k.Name)
		}
		set[i] = true
		out = append(out, assign(name(rename[k.Name], k.P), k.Value, k.P))
	}
	first := len(params) - len(gen.def.Defaults)
	for i, p := range params {
		if set[i] {
			continue
		}
		if i < first {
			return fail(call.P, diag.Type, "%s() missing required argument: '%s'", gen.def.Name, p.Name)
		}
		var value pyast.Expr
		if gen.owner != nil && len(gen.owner.Defaults) == len(gen.def.Defaults) {
			v, why := GlobalExpr(gen.owner.Defaults[i-first], call.P, false)
			if v == nil {
				return fail(call.P, diag.Unsupported, "the default value of parameter '%s' of %s() is a %s, which compiled code cannot use", p.Name, gen.def.Name, why)
			}
			value = v
		} else {
			d := gen.def.Defaults[i-first]
			if !constExpr(d) {
				return fail(d.Position(), diag.Unsupported, "default values of nested functions must be constants")
			}
			value = pyast.CloneStmts([]pyast.Stmt{exprStmt(d, call.P)})[0].(*pyast.ExprStmt).Value
		}
		out = append(out, assign(name(rename[p.Name], call.P), value, call.P))
	}
	return out, true
}

// rewrite turns the generator's statements into the inlined body; inLoop
// tells whether a break there leaves a loop of the generator (else the
// frame), tail that nothing of the generator runs after body (so an exit
// at its end need not leave anything).
func (s *site) rewrite(body []pyast.Stmt, inLoop, tail bool) []pyast.Stmt {
	p := s.loop.P
	var out []pyast.Stmt
	exit := func(pos pyast.Pos) []pyast.Stmt {
		if !inLoop {
			s.frame = true
			return []pyast.Stmt{brk(pos)}
		}
		s.stopped = true
		return []pyast.Stmt{assign(name(s.stop, pos), pyast.BoolConst(pos, true), pos), brk(pos)}
	}
	for k, st := range body {
		last := tail && !inLoop && k == len(body)-1
		switch st := st.(type) {
		case *pyast.ExprStmt:
			y, ok := st.Value.(*pyast.Yield)
			if !ok {
				out = append(out, st)
				continue
			}
			out = append(out, s.yieldSite(y, inLoop, last)...)
		case *pyast.Return:
			if !last {
				out = append(out, exit(st.P)...)
			}
		case *pyast.If:
			st.Body = s.rewrite(st.Body, inLoop, last)
			st.Orelse = s.rewrite(st.Orelse, inLoop, last)
			out = append(out, st)
		case *pyast.For, *pyast.While:
			before := s.stopped
			s.stopped = false
			var orelse *[]pyast.Stmt
			switch l := st.(type) {
			case *pyast.For:
				l.Body = s.rewrite(l.Body, true, false)
				orelse = &l.Orelse
			case *pyast.While:
				l.Body = s.rewrite(l.Body, true, false)
				orelse = &l.Orelse
			}
			exits := s.stopped
			*orelse = s.rewrite(*orelse, inLoop, last)
			s.stopped = s.stopped || before || exits
			out = append(out, st)
			if exits && !last {
				// Pass an exit from inside the loop outward.
				out = append(out, ifStmt(name(s.stop, p), exit(p), p))
			}
		default:
			out = append(out, st)
		}
	}
	return out
}

// yieldSite is the consumer's body in the place of one yield; last says
// that nothing of the generator follows it.
func (s *site) yieldSite(y *pyast.Yield, inLoop, last bool) []pyast.Stmt {
	p := y.P
	var v pyast.Expr = y.Value
	if v == nil {
		c := &pyast.Constant{Kind: pyast.ConstNone}
		c.P = p
		v = c
	}
	target := pyast.CloneStmts([]pyast.Stmt{exprStmt(s.loop.Target, p)})[0].(*pyast.ExprStmt).Value
	out := []pyast.Stmt{assign(target, v, p)}
	body := pyast.CloneStmts(s.loop.Body)
	withElse := len(s.loop.Orelse) > 0
	broke := false
	body = rewriteJumps(body, func(b *pyast.Break) []pyast.Stmt {
		broke = true
		st := []pyast.Stmt{assign(name(s.stop, b.P), pyast.BoolConst(b.P, true), b.P)}
		if withElse {
			st = append(st, assign(name(s.brk, b.P), pyast.BoolConst(b.P, true), b.P))
		}
		return append(st, brk(b.P))
	})
	if broke {
		s.stopped = true
	}
	if !hasJump(body, true) {
		if broke && !inLoop {
			s.frame = true // the break needs a loop to leave
		}
		return append(out, body...)
	}
	// continue leaves a loop that runs once; a break leaves it too, and the
	// flag it set passes it on.
	out = append(out, once(fmt.Sprintf("once@g%d", s.n), body, p))
	if broke && !last {
		if !inLoop {
			s.frame = true
		}
		out = append(out, ifStmt(name(s.stop, p), []pyast.Stmt{brk(p)}, p))
	}
	return out
}

// rewriteJumps replaces the breaks that leave the consumer loop (those not
// inside its own loops' bodies).
func rewriteJumps(body []pyast.Stmt, onBreak func(*pyast.Break) []pyast.Stmt) []pyast.Stmt {
	var out []pyast.Stmt
	for _, st := range body {
		switch st := st.(type) {
		case *pyast.Break:
			out = append(out, onBreak(st)...)
			continue
		case *pyast.If:
			st.Body = rewriteJumps(st.Body, onBreak)
			st.Orelse = rewriteJumps(st.Orelse, onBreak)
		case *pyast.For:
			st.Orelse = rewriteJumps(st.Orelse, onBreak)
		case *pyast.While:
			st.Orelse = rewriteJumps(st.Orelse, onBreak)
		}
		out = append(out, st)
	}
	return out
}

// hasJump reports a continue (or, with cont false, a break) of the
// consumer loop in body.
func hasJump(body []pyast.Stmt, cont bool) bool {
	for _, st := range body {
		switch st := st.(type) {
		case *pyast.Continue:
			if cont {
				return true
			}
		case *pyast.Break:
			if !cont {
				return true
			}
		case *pyast.If:
			if hasJump(st.Body, cont) || hasJump(st.Orelse, cont) {
				return true
			}
		case *pyast.For:
			if hasJump(st.Orelse, cont) {
				return true
			}
		case *pyast.While:
			if hasJump(st.Orelse, cont) {
				return true
			}
		}
	}
	return false
}

func isJump(s pyast.Stmt) bool {
	switch s.(type) {
	case *pyast.Break, *pyast.Continue:
		return true
	}
	return false
}

func isExit(s pyast.Stmt) bool {
	switch s := s.(type) {
	case *pyast.Return:
		return true
	case *pyast.ExprStmt:
		_, y := s.Value.(*pyast.Yield)
		return y
	}
	return false
}

// hidden finds a statement that match accepts inside a block the rewrite
// does not enter: any statement other than if, for and while that holds
// statements (such as try). intoLoops says whether loops' bodies count.
func hidden(body []pyast.Stmt, match func(pyast.Stmt) bool, intoLoops bool) pyast.Stmt {
	for _, st := range body {
		var h pyast.Stmt
		switch s := st.(type) {
		case *pyast.If:
			if h = hidden(s.Body, match, intoLoops); h == nil {
				h = hidden(s.Orelse, match, intoLoops)
			}
		case *pyast.For:
			if intoLoops {
				h = hidden(s.Body, match, intoLoops)
			}
			if h == nil {
				h = hidden(s.Orelse, match, intoLoops)
			}
		case *pyast.While:
			if intoLoops {
				h = hidden(s.Body, match, intoLoops)
			}
			if h == nil {
				h = hidden(s.Orelse, match, intoLoops)
			}
		case *pyast.FunctionDef:
		default:
			pyast.WalkStmts([]pyast.Stmt{st}, func(x pyast.Stmt) bool {
				if x == st {
					return true
				}
				switch x.(type) {
				case *pyast.FunctionDef:
					return false
				case *pyast.For, *pyast.While:
					if !intoLoops {
						return false
					}
				}
				if h == nil && match(x) {
					h = x
				}
				return h == nil
			}, nil)
		}
		if h != nil {
			return h
		}
	}
	return nil
}

// Node builders, positioned at p.

func name(id string, p pyast.Pos) *pyast.Name {
	n := &pyast.Name{ID: id}
	n.P = p
	return n
}

func attr(v pyast.Expr, a string, p pyast.Pos) *pyast.Attribute {
	n := &pyast.Attribute{Value: v, Attr: a}
	n.P = p
	return n
}

func assign(t, v pyast.Expr, p pyast.Pos) *pyast.Assign {
	n := &pyast.Assign{Targets: []pyast.Expr{t}, Value: v}
	n.P = p
	return n
}

func exprStmt(v pyast.Expr, p pyast.Pos) *pyast.ExprStmt {
	n := &pyast.ExprStmt{Value: v}
	n.P = p
	return n
}

func brk(p pyast.Pos) *pyast.Break {
	n := &pyast.Break{}
	n.P = p
	return n
}

func ifStmt(test pyast.Expr, body []pyast.Stmt, p pyast.Pos) *pyast.If {
	n := &pyast.If{Test: test, Body: body}
	n.P = p
	return n
}

// once is `for v in range(1): body`.
func once(v string, body []pyast.Stmt, p pyast.Pos) *pyast.For {
	call := &pyast.Call{Func: name("range", p), Args: []pyast.Expr{pyast.IntConst(p, 1)}}
	call.P = p
	n := &pyast.For{Target: name(v, p), Iter: call, Body: body}
	n.P = p
	return n
}
