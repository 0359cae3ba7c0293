package bytecode

import "sejit/internal/pyast"

// Tidying gives the rebuilt tree the shape the source most likely had
// (doc.go): the bytecode spells some statements in ways that mean the same
// but read differently.

// tidyFunction tidies a function body: nested bodies, then the implicit
// `return None` at its end, which CPython copies into every branch that
// falls off the end.
func (d *dec) tidyFunction(fn *pyast.FunctionDef) {
	fn.Body = d.tidy(fn.Body)
	fn.Body = stripTail(fn.Body, isReturnNone)
}

// tidyLoopBody drops the `continue` at the end of a loop body (falling off
// the body continues the loop).
func (d *dec) tidyLoopBody(body []pyast.Stmt) []pyast.Stmt {
	body = d.tidy(body)
	// if t: a; continue followed by b, at the end of a loop body, is how
	// the bytecode spells `if t: a else: b` (3.12 and later spell
	// `if t: b` as `if not t: continue; b`).
	for k := len(body) - 2; k >= 0; k-- {
		st, ok := body[k].(*pyast.If)
		if !ok || len(st.Body) == 0 || len(st.Orelse) != 0 {
			continue
		}
		if _, isCont := st.Body[len(st.Body)-1].(*pyast.Continue); !isCont {
			continue
		}
		if len(st.Body) == 1 {
			// `if t: continue` as written.
			continue
		}
		rest := append([]pyast.Stmt(nil), body[k+1:]...)
		st.Body, st.Orelse = st.Body[:len(st.Body)-1], rest
		if len(st.Body) == 0 {
			st.Test, st.Body, st.Orelse = not(st.Test), st.Orelse, nil
		}
		body = body[:k+1]
		break
	}
	return stripTail(body, func(s pyast.Stmt) bool {
		_, ok := s.(*pyast.Continue)
		return ok
	})
}

func isReturnNone(s pyast.Stmt) bool {
	r, ok := s.(*pyast.Return)
	if !ok || r.Value == nil {
		return ok
	}
	k, isConst := r.Value.(*pyast.Constant)
	return isConst && k.Kind == pyast.ConstNone
}

// stripTail removes statements matching drop from the tail positions of
// body: its last statement, and the tails of an if that ends it.
func stripTail(body []pyast.Stmt, drop func(pyast.Stmt) bool) []pyast.Stmt {
	if len(body) == 0 {
		return body
	}
	last := body[len(body)-1]
	if drop(last) {
		return stripTail(body[:len(body)-1], drop)
	}
	if st, ok := last.(*pyast.If); ok {
		st.Body = stripTail(st.Body, drop)
		st.Orelse = stripTail(st.Orelse, drop)
		if len(st.Body) == 0 {
			if len(st.Orelse) == 0 {
				// Only the test remains, evaluated for its truth value: keep it
				// as an if with a pass, which evaluates it the same way.
				p := &pyast.Pass{}
				p.P = st.P
				st.Body = []pyast.Stmt{p}
				return body
			}
			st.Test, st.Body, st.Orelse = not(st.Test), st.Orelse, nil
		}
	}
	return body
}

// isJumpStmt reports break and continue.
func isJumpStmt(s pyast.Stmt) bool {
	switch s.(type) {
	case *pyast.Break, *pyast.Continue:
		return true
	}
	return false
}

// sinkReturn undoes CPython's copying of a return into the branches that
// reach it: in a body ending in `return r`, `if t: a; return r` followed
// by b is `if t: a else: b`. Nested bodies were done first.
func sinkReturn(body []pyast.Stmt) []pyast.Stmt {
	for {
		n := len(body)
		body = sinkReturn1(body)
		if len(body) == n {
			return body
		}
	}
}

func sinkReturn1(body []pyast.Stmt) []pyast.Stmt {
	if len(body) < 2 {
		return body
	}
	r, ok := body[len(body)-1].(*pyast.Return)
	if !ok {
		return body
	}
	want := dumpStmt(r)
	for k := len(body) - 2; k >= 0; k-- {
		st, ok := body[k].(*pyast.If)
		if !ok || len(st.Orelse) != 0 || len(st.Body) < 2 || dumpStmt(st.Body[len(st.Body)-1]) != want {
			continue
		}
		st.Body = st.Body[:len(st.Body)-1]
		st.Orelse = append([]pyast.Stmt(nil), body[k+1:len(body)-1]...)
		return append(body[:k+1], r)
	}
	return body
}

func dumpStmt(s pyast.Stmt) string {
	return pyast.Dump(&pyast.FunctionDef{Name: "t", Body: []pyast.Stmt{s}}, nil)
}

// tidy rewrites the statements of body and of every nested body.
func (d *dec) tidy(body []pyast.Stmt) []pyast.Stmt {
	return sinkReturn(d.tidy1(body))
}

func (d *dec) tidy1(body []pyast.Stmt) []pyast.Stmt {
	var out []pyast.Stmt
	for _, s := range body {
		switch st := s.(type) {
		case *pyast.If:
			st.Body = d.tidy(st.Body)
			st.Orelse = d.tidy(st.Orelse)
			if len(st.Body) == 0 && len(st.Orelse) > 0 {
				st.Test, st.Body, st.Orelse = not(st.Test), st.Orelse, nil
			}
			// if t: body else: break → if not t: break; body.
			if len(st.Orelse) == 1 && isJumpStmt(st.Orelse[0]) && len(st.Body) > 0 && !endsInJump(st.Body) {
				rest := st.Body
				st.Test, st.Body, st.Orelse = not(st.Test), st.Orelse, nil
				out = append(out, st)
				out = append(out, rest...)
				continue
			}
			// if not t: raise AssertionError(msg) → assert t, msg.
			if len(st.Body) == 1 && len(st.Orelse) == 0 {
				if r, ok := st.Body[0].(*pyast.Raise); ok {
					if msg, isAssert := d.asserts[r]; isAssert {
						a := &pyast.Assert{Test: not(st.Test), Msg: msg}
						a.P = st.P
						out = append(out, a)
						continue
					}
				}
			}
		case *pyast.For:
			// Loop bodies were tidied when they were built.
		case *pyast.While:
		}
		out = append(out, s)
	}
	return out
}

// endsInJump reports a body whose last statement leaves it.
func endsInJump(body []pyast.Stmt) bool {
	switch body[len(body)-1].(type) {
	case *pyast.Break, *pyast.Continue, *pyast.Return, *pyast.Raise:
		return true
	}
	return false
}
