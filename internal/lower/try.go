package lower

// try statements become ir.Try (see ir/try.go for what it means).
//
// Python's try has four parts; the IR's Try has two (a body and its
// handlers), and the others are built from them, the way CPython's own
// compiler builds them:
//
//   - `except` clauses are Handlers, each with the error kinds its
//     classes catch (resolve.CaughtCodes walks CPython's hierarchy). A
//     handler's body may re-raise (`raise`, `raise e`: ir.Reraise) and
//     print or format the exception (ir.PrintExc items).
//   - `else` runs when the body completes: the body's last statement sets
//     a flag, and an `if flag:` after the Try runs the clause, outside
//     the handlers' reach as Python wants. A return or break in the body
//     skips the flag, and so the clause.
//   - `finally` runs on every way out of the region it guards (the body,
//     the handlers and the else clause). The region is wrapped in a Try
//     whose one handler catches every kind (KeyboardInterrupt included),
//     runs a copy of the finally body and raises again; a copy also
//     follows the Try for the normal way out; and each return, break or
//     continue that leaves the region runs a copy first, innermost
//     finally first. A return's values are computed before the copies
//     run, as Python computes them before its finally clause. Such a copy
//     is still inside the region's Try, so it first sets a flag that
//     makes the catch-all handler skip its own copy: a finally clause that
//     raises on the way out of a return runs once, not twice. f.finals is
//     the stack of finally bodies around the statement being lowered,
//     each with the loop depth it started at, so break and continue run
//     only those inside their loop.

import (
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
	"sejit/internal/types"
)

// finalFrame is one enclosing finally clause.
type finalFrame struct {
	body  []pyast.Stmt
	loops int     // len(f.breakFlags) where the try statement is
	ran   *ir.Var // set when a copy of body runs on a way out of the region
}

// tryStmt lowers try statements, and the statements a try changes: a
// re-raise, and a return, break or continue leaving a finally region.
// False for any other statement.
func (f *fn) tryStmt(s pyast.Stmt) bool {
	switch s := s.(type) {
	case *pyast.Try:
		f.try(s)
		return true
	case *pyast.Raise:
		h, ok := f.spec.Func.Caught.Reraise[s]
		if !ok {
			return false
		}
		f.emit(&ir.Reraise{ID: f.excIDs[h]})
		return true
	case *pyast.Return:
		if len(f.finals) == 0 {
			return false
		}
		f.returnThroughFinally(s)
		return true
	case *pyast.Break, *pyast.Continue:
		n := len(f.finals)
		if n == 0 || f.finals[n-1].loops != len(f.breakFlags) {
			return false
		}
		f.runFinals(func(fr finalFrame) bool { return fr.loops == len(f.breakFlags) })
		if _, ok := s.(*pyast.Break); ok {
			return false // the break itself, with its loop's flag (pylang.go)
		}
		f.emit(&ir.Continue{})
		return true
	}
	return false
}

func (f *fn) newTryID() int {
	f.tryCount++
	return f.tryCount
}

func (f *fn) try(s *pyast.Try) {
	if len(s.Finalbody) == 0 {
		f.tryExcept(s)
		return
	}
	id := f.newTryID()
	ran := f.temp(types.BoolT)
	f.finals = append(f.finals, finalFrame{s.Finalbody, len(f.breakFlags), ran})
	f.inTry++
	body := f.sub(func() {
		f.emit(&ir.Assign{Dst: ran, Src: ir.BoolConst(false)})
		f.tryExcept(s)
	})
	f.inTry--
	f.finals = f.finals[:len(f.finals)-1]
	everything := errKinds(append(resolve.CaughtCodes(nil), resolve.InterruptCode))
	handler := f.sub(func() {
		final := f.sub(func() { f.stmts(s.Finalbody) })
		f.emit(&ir.If{Cond: &ir.Unary{Op: ir.Not, X: &ir.Ref{Var: ran}, T: types.BoolT}, Then: final})
		f.emit(&ir.Reraise{ID: id})
	})
	f.emit(&ir.Try{ID: id, Body: body, Handlers: []ir.Handler{{Errs: everything, Body: handler}}, Line: s.P.Line, Col: s.P.Col})
	f.stmts(s.Finalbody)
}

// tryExcept lowers a try statement's body, except and else clauses.
func (f *fn) tryExcept(s *pyast.Try) {
	if len(s.Handlers) == 0 {
		f.stmts(s.Body)
		f.stmts(s.Orelse)
		return
	}
	id := f.newTryID()
	var flag *ir.Var
	if len(s.Orelse) > 0 {
		flag = f.temp(types.BoolT)
		f.emit(&ir.Assign{Dst: flag, Src: ir.BoolConst(false)})
	}
	f.inTry++
	body := f.sub(func() {
		f.stmts(s.Body)
		if flag != nil {
			f.emit(&ir.Assign{Dst: flag, Src: ir.BoolConst(true)})
		}
	})
	f.inTry--
	t := &ir.Try{ID: id, Body: body, Line: s.P.Line, Col: s.P.Col}
	for _, h := range s.Handlers {
		classes, _ := resolve.HandlerClasses(f.spec.Func, h)
		f.excIDs[h] = id
		t.Handlers = append(t.Handlers, ir.Handler{Errs: errKinds(resolve.CaughtCodes(classes)), Body: f.sub(func() { f.stmts(h.Body) })})
	}
	f.emit(t)
	if flag != nil {
		f.emit(&ir.If{Cond: &ir.Ref{Var: flag}, Then: f.sub(func() { f.stmts(s.Orelse) })})
	}
}

func errKinds(codes []int) []ir.ErrKind {
	out := make([]ir.ErrKind, len(codes))
	for i, c := range codes {
		out[i] = ir.ErrKind(c)
	}
	return out
}

// runFinals lowers copies of the enclosing finally bodies that keep
// selects, innermost first; each copy is lowered with only the frames
// outside it around it, so that a return in a finally body does not run
// that body again.
func (f *fn) runFinals(keep func(finalFrame) bool) {
	saved := f.finals
	for i := len(saved) - 1; i >= 0 && keep(saved[i]); i-- {
		f.finals = saved[:i]
		f.emit(&ir.Assign{Dst: saved[i].ran, Src: ir.BoolConst(true)})
		f.stmts(saved[i].body)
	}
	f.finals = saved
}

// returnThroughFinally lowers a return inside finally regions: the values
// first, into temporaries, then the finally bodies, then the return.
func (f *fn) returnThroughFinally(s *pyast.Return) {
	stmts := f.sub(func() { f.ret(s) })
	n := len(stmts)
	r, ok := stmts[n-1].(*ir.Return)
	if !ok {
		f.runFinals(func(finalFrame) bool { return true })
		for _, st := range stmts {
			f.emit(st)
		}
		return
	}
	for _, st := range stmts[:n-1] {
		f.emit(st)
	}
	vals := make([]ir.Expr, len(r.Vals))
	for i, v := range r.Vals {
		switch v.(type) {
		case *ir.ArrayRef, *ir.Const:
			vals[i] = v
		default:
			t := f.temp(ir.TypeOf(v))
			f.emit(&ir.Assign{Dst: t, Src: v})
			vals[i] = &ir.Ref{Var: t}
		}
	}
	f.runFinals(func(finalFrame) bool { return true })
	f.emit(&ir.Return{Vals: vals})
}

// caughtItem is the print item of a caught exception (resolve.CaughtRef)
// used as a print argument, an f-string field or a raised message.
func (f *fn) caughtItem(e pyast.Expr) (ir.PrintItem, bool) {
	h, conv, ok := resolve.CaughtRef(f.spec.Func, e)
	if !ok {
		return ir.PrintItem{}, false
	}
	it := ir.PrintItem{Kind: ir.PrintExc, Exc: f.excIDs[h]}
	if conv == 'r' {
		it.Fmt, it.Conv = true, 'r'
	}
	return it, true
}
