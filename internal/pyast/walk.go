package pyast

// WalkStmts visits statements depth first, the blocks of if, for, while and
// try statements (their else, except and finally clauses included) but not the bodies of nested
// definitions; stmt returning false skips a statement's insides, and every
// expression of a visited statement goes to expr (which may be nil).
func WalkStmts(body []Stmt, stmt func(Stmt) bool, expr func(Expr)) {
	if expr == nil {
		expr = func(Expr) {}
	}
	opt := func(e Expr) {
		if e != nil {
			expr(e)
		}
	}
	for _, s := range body {
		if !stmt(s) {
			continue
		}
		switch s := s.(type) {
		case *Return:
			opt(s.Value)
		case *Assign:
			for _, t := range s.Targets {
				expr(t)
			}
			expr(s.Value)
		case *AugAssign:
			expr(s.Target)
			expr(s.Value)
		case *AnnAssign:
			expr(s.Target)
			opt(s.Value)
		case *For:
			expr(s.Target)
			expr(s.Iter)
			WalkStmts(s.Body, stmt, expr)
			WalkStmts(s.Orelse, stmt, expr)
		case *While:
			expr(s.Test)
			WalkStmts(s.Body, stmt, expr)
			WalkStmts(s.Orelse, stmt, expr)
		case *If:
			expr(s.Test)
			WalkStmts(s.Body, stmt, expr)
			WalkStmts(s.Orelse, stmt, expr)
		case *Try:
			WalkStmts(s.Body, stmt, expr)
			for _, h := range s.Handlers {
				opt(h.Type)
				WalkStmts(h.Body, stmt, expr)
			}
			WalkStmts(s.Orelse, stmt, expr)
			WalkStmts(s.Finalbody, stmt, expr)
		case *ExprStmt:
			expr(s.Value)
		case *Assert:
			expr(s.Test)
			opt(s.Msg)
		case *Raise:
			opt(s.Exc)
			opt(s.Cause)
		case *Delete:
			for _, t := range s.Targets {
				expr(t)
			}
		}
	}
}

// RewriteBlocks replaces each block nested in the compound statement s (the
// bodies and else clauses of for, while and if; a try's body, handlers, else
// and finally) by rewrite's result, for passes that rewrite statement lists
// and recurse into every block the same way. Other statements are left alone.
func RewriteBlocks(s Stmt, rewrite func([]Stmt) []Stmt) {
	switch s := s.(type) {
	case *For:
		s.Body, s.Orelse = rewrite(s.Body), rewrite(s.Orelse)
	case *While:
		s.Body, s.Orelse = rewrite(s.Body), rewrite(s.Orelse)
	case *If:
		s.Body, s.Orelse = rewrite(s.Body), rewrite(s.Orelse)
	case *Try:
		s.Body, s.Orelse, s.Finalbody = rewrite(s.Body), rewrite(s.Orelse), rewrite(s.Finalbody)
		for _, h := range s.Handlers {
			h.Body = rewrite(h.Body)
		}
	}
}

// StoreTargets returns the expressions an assignment-like statement binds:
// an assignment's targets, an augmented or annotated assignment's target and
// a for loop's target (nil for other statements). Passes that look for the
// names and attributes a body writes share it, so that none forgets a form.
func StoreTargets(s Stmt) []Expr {
	switch s := s.(type) {
	case *Assign:
		return s.Targets
	case *AugAssign:
		return []Expr{s.Target}
	case *AnnAssign:
		return []Expr{s.Target}
	case *For:
		return []Expr{s.Target}
	}
	return nil
}
