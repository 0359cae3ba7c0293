package lower

import (
	"slices"

	"sejit/internal/analysis"
	"sejit/internal/ir"
	"sejit/internal/types"
)

// Overlapping arguments
//
// An array statement computes its whole right side before it stores, in
// NumPy; a nest computes and stores element by element. The two agree
// unless the nest reads memory it also writes at another element. Lowering
// copies the right side into a temporary when it can see that at compile
// time (views of one array: x[1:] = x[:-1] + 1, mayOverlap). What it
// cannot see is the caller's choice: f(x, x), f(x, x.T), or two
// interleaved views of one buffer. Two mechanisms cover that, both tested
// at run time so that distinct arguments, the common case, cost a few
// comparisons:
//
//   - The entry guard (guardOverlap). A parameter the function only reads,
//     and whose memory it does not return, is replaced by a private copy
//     when it overlaps a parameter the function writes. Every nest may
//     then treat it as distinct from every written array. The entry's
//     guard runs in the runtime before the call; other functions' in
//     their first statements. ir.Func.Copied records the guarded
//     parameters for the passes after lowering.
//
//   - Snapshots (snapshotOverlaps). Any other nest that reads an array
//     which may share memory with one it writes — a parameter the function
//     writes too (double buffering: new[1:-1] = old[...]; old, new = new,
//     old), a returned one, or two variables that may view one array after
//     a rebinding — reads through a snapshot taken just before the nest:
//     a copy when the two overlap at run time, else the array itself.
//
// "May share memory" is analysis.Roots.MayOverlap, which takes every
// binding in the body into account: lowering sees a loop body once, but
// the variables of a loop that swaps buffers hold other arrays in later
// iterations. Fusion asks the same question (opt/fuse.go), so it never
// merges two nests whose arrays may overlap at run time.
//
// A guarded parameter that the function returns would hand the caller the
// copy instead of the argument, so returned parameters are never guarded:
// their nests take snapshots instead, and a returned argument is always
// the argument itself.

// aliasRoots computes every function's alias roots.
func (l *lowerer) aliasRoots() []*analysis.Roots {
	roots := make([]*analysis.Roots, len(l.funcs))
	for i, f := range l.funcs {
		roots[i] = analysis.AliasRoots(f)
	}
	return roots
}

// paramWrites computes, for each function, which array parameters it may
// write, through views and aliases and through the functions it calls.
func (l *lowerer) paramWrites(roots []*analysis.Roots) []map[int]bool {
	writes := make([]map[int]bool, len(l.funcs))
	for i := range writes {
		writes[i] = map[int]bool{}
	}
	for changed := true; changed; {
		changed = false
		for fi, fn := range l.funcs {
			ir.VisitStmts(fn.Body, func(s ir.Stmt) {
				l.arraysWritten(s, writes, func(v *ir.Var) {
					for _, p := range roots[fi].Params(v) {
						if !writes[fi][p] {
							writes[fi][p] = true
							changed = true
						}
					}
				})
			}, nil)
		}
	}
	return writes
}

// arraysWritten calls f on each array variable statement s itself writes:
// the array of a Store, and the arguments a call writes (writes as far as
// paramWrites has found, for a user function).
func (l *lowerer) arraysWritten(s ir.Stmt, writes []map[int]bool, f func(*ir.Var)) {
	switch s := s.(type) {
	case *ir.Store:
		f(s.Arr)
	case *ir.Call:
		callee := -1
		if s.Func.Extern == nil {
			callee = slices.Index(l.funcs, s.Func)
		}
		for k, a := range s.Args {
			if ar, ok := a.(*ir.ArrayRef); ok && (callee < 0 && s.Func.Extern[k] || callee >= 0 && writes[callee][k]) {
				f(ar.Var)
			}
		}
	}
}

// copySafe reports whether a private copy of parameter r, made at entry,
// reads as r would for the whole body: whether no read of r can follow a
// write to a parameter, on any path. A nest may read r in the statement
// that writes (an array statement computes its right side from the values
// before it stores, which is what the copy holds); so may a call whose
// callee copies that argument itself. A loop that writes may not read r at
// all, as its later iterations read what earlier ones wrote.
func (l *lowerer) copySafe(f *ir.Func, r *ir.Var, roots *analysis.Roots, writes []map[int]bool) bool {
	readsR := func(s ir.Stmt) bool {
		found := false
		ir.VisitStmts([]ir.Stmt{s}, nil, func(e ir.Expr) {
			switch e := e.(type) {
			case *ir.Load:
				found = found || roots.Of(e.Arr)[r]
			case *ir.ArrayRef:
				found = found || roots.Of(e.Var)[r]
			}
		})
		return found
	}
	writesParam := func(s ir.Stmt) bool {
		found := false
		ir.VisitStmts([]ir.Stmt{s}, func(x ir.Stmt) {
			l.arraysWritten(x, writes, func(v *ir.Var) { found = found || len(roots.Params(v)) > 0 })
		}, nil)
		return found
	}
	// scan follows body in program order from a state where a parameter
	// may (wrote) or may not have been written. It returns that state at
	// the end, whether the end is reached (a return ends a path), and
	// false in ok once r may be read after a write.
	var scan func(body []ir.Stmt, wrote bool) (after, reached, ok bool)
	scan = func(body []ir.Stmt, wrote bool) (bool, bool, bool) {
		for _, s := range body {
			switch s := s.(type) {
			case *ir.Return:
				return wrote, false, !(wrote && readsR(s))
			case *ir.If:
				if wrote && readsR(&ir.Check{Cond: s.Cond}) {
					return wrote, true, false
				}
				w1, r1, ok1 := scan(s.Then, wrote)
				w2, r2, ok2 := scan(s.Else, wrote)
				if !ok1 || !ok2 {
					return wrote, true, false
				}
				if !r1 && !r2 {
					return wrote, false, true
				}
				wrote = r1 && w1 || r2 && w2
			case *ir.For, *ir.While, *ir.Try:
				if writesParam(s) {
					if readsR(s) {
						return wrote, true, false
					}
					wrote = true
				} else if wrote && readsR(s) {
					return wrote, true, false
				}
			case *ir.Call:
				if readsR(s) {
					if wrote {
						return wrote, true, false
					}
					// The callee reads r after its own writes unless it
					// copies r itself.
					callee := slices.Index(l.funcs, s.Func)
					for k, a := range s.Args {
						if ar, ok := a.(*ir.ArrayRef); ok && roots.Of(ar.Var)[r] && callee >= 0 &&
							len(writes[callee]) > 0 && !s.Func.IsCopied(k) {
							return wrote, true, false
						}
					}
				}
				wrote = wrote || writesParam(s)
			default:
				if wrote && readsR(s) {
					return wrote, true, false
				}
				wrote = wrote || writesParam(s)
			}
		}
		return wrote, true, true
	}
	_, _, ok := scan(f.Body, false)
	return ok
}

// guardOverlap makes every function copy an array parameter it only reads
// when, at run time, its memory overlaps a parameter the function writes:
// f(a[1:], a[:-1]) then computes from the values a had at the call, as
// NumPy would. The test costs a few comparisons per call; the copy is made
// only for overlapping arguments. It records the guarded parameters in
// each function's Copied, and takes every nest's snapshots before it adds
// the guards (whose own copies need none).
//
// A parameter read only one element at a time outside array statements
// (a[i, k] in a loop) gets no copy: such reads run in program order, so
// without it they see what the function wrote before them, as CPython's
// would, where the copy would show them the values at the call. Nor does a
// parameter whose memory the function returns (see the essay above).
//
// The entry's guards, when nothing compiled calls the entry, are left to
// the runtime, which makes the same test and copy before the call (the
// ABI's guard list): a guard in the kernel costs GCC a second path through
// the function, about a third of poly's compile time. guardOverlap returns
// the entry's parameters the runtime must guard.
func (l *lowerer) guardOverlap(writes []map[int]bool, roots []*analysis.Roots) (entryGuard []bool) {
	written := make([][]*ir.Var, len(l.funcs))
	returned := make([]map[int]bool, len(l.funcs))
	for fi, f := range l.funcs {
		returned[fi] = returnedParams(f, roots[fi])
		for k, p := range f.Params {
			if p.Type.Kind == types.Array && writes[fi][k] {
				written[fi] = append(written[fi], p)
			}
		}
	}
	// A call lets a copy through when its callee copies the argument too,
	// so deciding one function can settle its callers: decide until no
	// more parameters are copied (the set only grows).
	for changed := true; changed; {
		changed = false
		for fi, f := range l.funcs {
			if len(written[fi]) == 0 {
				continue
			}
			for k, p := range f.Params {
				if p.Type.Kind != types.Array || writes[fi][k] || returned[fi][k] || f.IsCopied(k) ||
					!readsInBulk(f, p, roots[fi]) || !l.copySafe(f, p, roots[fi], writes) {
					continue
				}
				if f.Copied == nil {
					f.Copied = make([]bool, len(f.Params))
				}
				f.Copied[k] = true
				changed = true
			}
		}
	}
	l.snapshotOverlaps()
	entryGuard = make([]bool, len(l.funcs[0].Params))
	runtimeGuards := !l.calledInside(l.funcs[0])
	for fi, f := range l.funcs {
		if f.Copied == nil {
			continue
		}
		if fi == 0 && runtimeGuards {
			copy(entryGuard, f.Copied)
			continue
		}
		var guards []ir.Stmt
		fs := l.after(f)
		for k, r := range f.Params {
			if f.IsCopied(k) {
				guards = append(guards, &ir.If{Cond: anyOverlap(r, written[fi]), Then: fs.copyInto(r, r)})
			}
		}
		f.Body = append(guards, f.Body...)
	}
	return entryGuard
}

// snapshotOverlaps makes every nest that reads an array which may share
// memory with one the nest writes read through a snapshot: a copy when the
// two overlap at run time, else the array itself.
func (l *lowerer) snapshotOverlaps() {
	for _, f := range l.funcs {
		roots := analysis.AliasRoots(f)
		var rewrite func(body []ir.Stmt) []ir.Stmt
		rewrite = func(body []ir.Stmt) []ir.Stmt {
			out := make([]ir.Stmt, 0, len(body))
			for _, s := range body {
				switch s := s.(type) {
				case *ir.Nest:
					out = append(out, l.snapshotNest(f, s, roots)...)
				case *ir.If:
					s.Then, s.Else = rewrite(s.Then), rewrite(s.Else)
				case *ir.For:
					s.Body = rewrite(s.Body)
				case *ir.While:
					s.Body = rewrite(s.Body)
				case *ir.Try:
					s.Body = rewrite(s.Body)
					for i := range s.Handlers {
						s.Handlers[i].Body = rewrite(s.Handlers[i].Body)
					}
				}
				out = append(out, s)
			}
			return out
		}
		f.Body = rewrite(f.Body)
	}
}

// snapshotNest returns the statements that take n's snapshots, and points
// n's loads at them.
func (l *lowerer) snapshotNest(f *ir.Func, n *ir.Nest, roots *analysis.Roots) []ir.Stmt {
	var loaded, stored []*ir.Var
	ir.VisitStmts(n.Body, func(s ir.Stmt) {
		if st, ok := s.(*ir.Store); ok && !slices.Contains(stored, st.Arr) {
			stored = append(stored, st.Arr)
		}
	}, func(e ir.Expr) {
		if ld, ok := e.(*ir.Load); ok && !slices.Contains(loaded, ld.Arr) {
			loaded = append(loaded, ld.Arr)
		}
	})
	var pre []ir.Stmt
	var fs *fn
	for _, r := range loaded {
		if slices.Contains(stored, r) {
			// Read and written at the same element (x[...] += ...):
			// lowering made the statement safe for r itself.
			continue
		}
		var with []*ir.Var
		for _, w := range stored {
			if roots.MayOverlap(r, w) && !l.aligned[[2]*ir.Var{r, w}] {
				with = append(with, w)
			}
		}
		if len(with) == 0 {
			continue
		}
		t := r.Type
		if t.Layout != 'C' {
			t = types.ArrayOf(t.DType, t.NDim, 'A')
		}
		if fs == nil {
			fs = l.after(f)
		}
		snap := fs.temp(t)
		pre = append(pre, &ir.If{
			Cond: anyOverlap(r, with),
			Then: fs.copyInto(snap, r),
			Else: []ir.Stmt{&ir.SetArray{Dst: snap, Src: &ir.Alias{Src: r}}},
		})
		ir.MapStmts(n.Body, func(e ir.Expr) ir.Expr {
			if ld, ok := e.(*ir.Load); ok && ld.Arr == r {
				return &ir.Load{Arr: snap, Idx: ld.Idx}
			}
			return nil
		})
	}
	return pre
}

// anyOverlap is the test that r overlaps one of ws.
func anyOverlap(r *ir.Var, ws []*ir.Var) ir.Expr {
	var cond ir.Expr
	for _, w := range ws {
		o := &ir.Overlap{A: r, B: w}
		if cond == nil {
			cond = o
		} else {
			cond = &ir.Bin{Op: ir.Or, X: cond, Y: o, T: types.BoolT}
		}
	}
	return cond
}

// after returns a lowering state for adding statements to f once its body
// is lowered: fresh names, no Python variables.
func (l *lowerer) after(f *ir.Func) *fn {
	fs := &fn{l: l, f: f, names: map[string]int{}, taken: map[string]bool{}, root: map[*ir.Var]int{},
		viewBase: map[*ir.Var]*ir.Var{}, bound: map[*ir.Var]any{}}
	for _, v := range append(append([]*ir.Var{}, f.Params...), f.Locals...) {
		fs.taken[v.Name] = true
	}
	return fs
}

// copyInto returns statements binding dst to a new C-ordered copy of src.
func (f *fn) copyInto(dst, src *ir.Var) []ir.Stmt {
	return f.sub(func() {
		cp := f.temp(types.ArrayOf(src.Type.DType, src.Type.NDim, 'C'))
		f.fillNew(cp, (&val{t: src.Type, arr: src}).asLazy())
		f.emit(&ir.SetArray{Dst: dst, Src: &ir.Alias{Src: cp}})
	})
}

// returnedParams lists the parameters whose memory f may return.
func returnedParams(f *ir.Func, roots *analysis.Roots) map[int]bool {
	out := map[int]bool{}
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		if r, ok := s.(*ir.Return); ok {
			for _, v := range r.Vals {
				if ar, ok := v.(*ir.ArrayRef); ok {
					for _, p := range roots.Params(ar.Var) {
						out[p] = true
					}
				}
			}
		}
	}, nil)
	return out
}

// calledInside reports whether some compiled function calls f.
func (l *lowerer) calledInside(f *ir.Func) bool {
	called := false
	for _, g := range l.funcs {
		ir.VisitStmts(g.Body, func(s ir.Stmt) {
			if c, ok := s.(*ir.Call); ok && c.Func == f {
				called = true
			}
		}, nil)
	}
	return called
}

// readsInBulk reports whether f reads array parameter r (or a view or
// alias of it) other than element by element in program order: in a nest
// — an array statement, whose right side NumPy computes before it stores,
// and which fusion may merge with a nest writing another argument on the
// premise that distinct arguments do not overlap — or by passing it whole
// to a call or an intrinsic.
func readsInBulk(f *ir.Func, r *ir.Var, roots *analysis.Roots) bool {
	rooted := map[*ir.Var]bool{}
	for _, v := range append(append([]*ir.Var{}, f.Params...), f.Locals...) {
		if v.Type.Kind == types.Array && roots.Of(v)[r] {
			rooted[v] = true
		}
	}
	bulk := false
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		if n, ok := s.(*ir.Nest); ok {
			ir.VisitStmts(n.Body, nil, func(e ir.Expr) {
				if ld, ok := e.(*ir.Load); ok && rooted[ld.Arr] {
					bulk = true
				}
			})
		}
	}, func(e ir.Expr) {
		if ar, ok := e.(*ir.ArrayRef); ok && rooted[ar.Var] {
			bulk = true
		}
	})
	return bulk
}
