package types

import "sejit/internal/pyast"

// listMove reports whether `a = b` (value the name b, a list) is the last
// use of b's list: b is read nowhere after the assignment before it is bound
// to a new list again, so a second name for the list is never observed and
// a may simply take b's buffers (lowering's list assignment shares them).
//
// The check is syntactic and conservative, for the pattern of a DP row kept
// between iterations (`prev = cur` at the end of a loop body whose first use
// of cur builds a new list): the assignment is a top-level statement of a
// loop's body, every mention of b in the function lies in that body, the
// first statement of the body mentioning b binds it to a new list, and no
// statement after the assignment mentions b. Each iteration thus rebinds b
// before reading it, and nothing outside the loop reads it.
func (c *checker) listMove(value pyast.Expr) bool {
	b, ok := value.(*pyast.Name)
	if !ok || c.listParam(b.ID) {
		return false
	}
	body := c.spec.Func.Def.Body
	nested := false
	pyast.WalkStmts(body, func(s pyast.Stmt) bool {
		if _, ok := s.(*pyast.FunctionDef); ok {
			nested = true
		}
		return true
	}, nil)
	if nested {
		return false
	}
	loop, at := loopHolding(body, value)
	if loop == nil {
		return false
	}
	if mentions(body, b.ID) != mentions(loop, b.ID) {
		return false // read outside the loop's body (or in its header)
	}
	for i, s := range loop {
		if i == at {
			break
		}
		if mentions([]pyast.Stmt{s}, b.ID) == 0 {
			continue
		}
		a, ok := s.(*pyast.Assign)
		if !ok || len(a.Targets) != 1 || !freshList(a.Value) {
			return false
		}
		t, ok := a.Targets[0].(*pyast.Name)
		if !ok || t.ID != b.ID || mentions([]pyast.Stmt{&pyast.ExprStmt{Value: a.Value}}, b.ID) != 0 {
			return false
		}
		return mentions(loop[at+1:], b.ID) == 0
	}
	return false
}

// loopHolding finds the body of the loop that holds, as one of its
// top-level statements, the assignment whose value is value, and the
// statement's index in it.
func loopHolding(body []pyast.Stmt, value pyast.Expr) ([]pyast.Stmt, int) {
	var found []pyast.Stmt
	at := -1
	check := func(b []pyast.Stmt) {
		for i, s := range b {
			if a, ok := s.(*pyast.Assign); ok && a.Value == value {
				found, at = b, i
			}
		}
	}
	pyast.WalkStmts(body, func(s pyast.Stmt) bool {
		switch s := s.(type) {
		case *pyast.For:
			check(s.Body)
		case *pyast.While:
			check(s.Body)
		}
		return true
	}, nil)
	return found, at
}

// mentions counts the names n in the statements (reads and bindings).
func mentions(body []pyast.Stmt, n string) int {
	count := 0
	pyast.WalkStmts(body, func(pyast.Stmt) bool { return true }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			if nm, ok := x.(*pyast.Name); ok && nm.ID == n {
				count++
			}
			return true
		})
	})
	return count
}
