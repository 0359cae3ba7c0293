package resolve

import (
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// stmts rewrites a block: folded expressions, if statements with a constant
// test replaced by the branch taken, loops over constant strings unrolled.
func (s *strFolder) stmts(body []pyast.Stmt) []pyast.Stmt {
	var out []pyast.Stmt
	for _, st := range body {
		switch st := st.(type) {
		case *pyast.Assign:
			for i, t := range st.Targets {
				st.Targets[i] = s.target(t)
			}
			st.Value = s.expr(st.Value)
		case *pyast.AugAssign:
			st.Target = s.target(st.Target)
			st.Value = s.expr(st.Value)
		case *pyast.AnnAssign:
			st.Target = s.target(st.Target)
			if st.Value != nil {
				st.Value = s.expr(st.Value)
			}
		case *pyast.Return:
			if st.Value != nil {
				st.Value = s.expr(st.Value)
			}
		case *pyast.ExprStmt:
			st.Value = s.expr(st.Value)
		case *pyast.Assert:
			st.Test = s.expr(st.Test)
			if st.Msg != nil {
				st.Msg = s.expr(st.Msg)
			}
		case *pyast.Raise:
			if st.Exc != nil {
				st.Exc = s.expr(st.Exc)
			}
			if st.Cause != nil {
				st.Cause = s.expr(st.Cause)
			}
		case *pyast.While:
			st.Test = s.expr(st.Test)
			st.Body = s.stmts(st.Body)
			st.Orelse = s.stmts(st.Orelse)
		case *pyast.If:
			_, wasConst := st.Test.(*pyast.Constant)
			st.Test = s.expr(st.Test)
			if t, ok := strOf(st.Test); ok {
				st.Test = pyast.BoolConst(st.Test.Position(), t != "")
			}
			if _, ok := st.Test.(*pyast.Constant); ok && !wasConst {
				s.decided[st] = true
			}
			if c, ok := st.Test.(*pyast.Constant); ok && c.Kind == pyast.ConstBool && s.decided[st] {
				taken := st.Orelse
				if c.Bool {
					taken = st.Body
				}
				out = append(out, s.stmts(taken)...)
				continue
			}
			st.Body = s.stmts(st.Body)
			st.Orelse = s.stmts(st.Orelse)
		case *pyast.Try:
			st.Body = s.stmts(st.Body)
			for _, h := range st.Handlers {
				if h.Type != nil {
					h.Type = s.expr(h.Type)
				}
				h.Body = s.stmts(h.Body)
			}
			st.Orelse = s.stmts(st.Orelse)
			st.Finalbody = s.stmts(st.Finalbody)
		case *pyast.For:
			st.Target = s.target(st.Target)
			st.Iter = s.expr(st.Iter)
			if c, ok := st.Iter.(*pyast.Constant); ok && c.Kind == pyast.ConstStr {
				if un, ok := s.unroll(st, c.Str); ok {
					out = append(out, s.stmts(un)...)
					continue
				}
			}
			st.Body = s.stmts(st.Body)
			st.Orelse = s.stmts(st.Orelse)
		}
		out = append(out, st)
	}
	return out
}

// MaxUnrolledChars is the longest constant string whose for loop is
// unrolled.
const MaxUnrolledChars = 32

// unroll is a loop over the characters of text, one copy of the body per
// character with the loop variable replaced by it.
func (s *strFolder) unroll(st *pyast.For, text string) ([]pyast.Stmt, bool) {
	n, ok := st.Target.(*pyast.Name)
	if !ok {
		s.errorf(st.Target, diag.Unsupported, "unpacking the characters of a string is not supported")
		return nil, false
	}
	if text == "" || utf8.RuneCountInString(text) > MaxUnrolledChars {
		// The empty text too: an unrolled loop over it would leave no body
		// to type, so a dict it fills would have no types.
		// A long text (a str argument of up to MaxStrArg characters) stays
		// a loop over a run-time string constant: one copy of the body per
		// character made the C grow with the text (a dict update per
		// character: tens of thousands of lines for 250 characters).
		return nil, false
	}
	bad := false
	var jump func(body []pyast.Stmt, inLoop bool)
	jump = func(body []pyast.Stmt, inLoop bool) {
		for _, b := range body {
			switch b := b.(type) {
			case *pyast.Break, *pyast.Continue:
				if !inLoop {
					s.errorf(b, diag.Unsupported, "break and continue in a loop over a constant string are not supported").
						WithHint("loops over constant strings are unrolled at compile time; use an if")
					bad = true
				}
			case *pyast.If:
				jump(b.Body, inLoop)
				jump(b.Orelse, inLoop)
			case *pyast.Try:
				jump(b.Body, inLoop)
				for _, h := range b.Handlers {
					jump(h.Body, inLoop)
				}
				jump(b.Orelse, inLoop)
				jump(b.Finalbody, inLoop)
			case *pyast.For:
				jump(b.Body, true)
				jump(b.Orelse, inLoop)
			case *pyast.While:
				jump(b.Body, true)
				jump(b.Orelse, inLoop)
			case *pyast.FunctionDef:
				s.errorf(b, diag.Unsupported, "a def inside a loop over a constant string is not supported")
				bad = true
			}
		}
	}
	jump(st.Body, false)
	rebound := false
	pyast.WalkStmts(st.Body, func(pyast.Stmt) bool { return true }, func(e pyast.Expr) {
		pyast.WalkExpr(e, func(x pyast.Expr) bool {
			var gens []*pyast.Comprehension
			switch x := x.(type) {
			case *pyast.ListComp:
				gens = x.Generators
			case *pyast.GeneratorExp:
				gens = x.Generators
			case *pyast.Lambda:
				rebound = true // its parameters may shadow the variable
			}
			for _, g := range gens {
				rebound = rebound || mentionsExpr(g.Target, n.ID)
			}
			return true
		})
	})
	pyast.WalkStmts(st.Body, func(b pyast.Stmt) bool {
		switch b := b.(type) {
		case *pyast.Assign:
			for _, t := range b.Targets {
				rebound = rebound || bindsName(t, n.ID)
			}
		case *pyast.AugAssign:
			rebound = rebound || bindsName(b.Target, n.ID)
		case *pyast.AnnAssign:
			rebound = rebound || bindsName(b.Target, n.ID)
		case *pyast.For:
			rebound = rebound || bindsName(b.Target, n.ID)
		}
		return true
	}, nil)
	if rebound {
		s.errorf(st.Target, diag.Unsupported, "the variable of a loop over a constant string is assigned in the loop, or the loop holds a lambda or a comprehension binding it")
		bad = true
	}
	if bad {
		return nil, false
	}
	var out []pyast.Stmt
	for _, r := range text {
		body := pyast.CloneStmts(st.Body)
		sub := &strFolder{f: s.f, consts: map[string]string{n.ID: string(r)}, bound: map[string]bool{}, reported: s.reported, decided: s.decided}
		out = append(out, sub.replaceOnly(body)...)
	}
	out = append(out, st.Orelse...)
	if len(out) == 0 {
		out = append(out, pyast.NewPass(st.P))
	}
	return out, true
}

// replaceOnly replaces the names of s.consts in body, folding nothing else.
func (s *strFolder) replaceOnly(body []pyast.Stmt) []pyast.Stmt {
	s.only = true
	return s.stmts(body)
}

// bindsName reports whether assigning to target rebinds the name n. A
// subscript or attribute target only reads its names (counts[ch] = ...
// stores into counts and leaves ch alone), so those do not count.
func bindsName(target pyast.Expr, n string) bool {
	switch t := target.(type) {
	case *pyast.Name:
		return t.ID == n
	case *pyast.Tuple:
		for _, x := range t.Elts {
			if bindsName(x, n) {
				return true
			}
		}
	case *pyast.List:
		for _, x := range t.Elts {
			if bindsName(x, n) {
				return true
			}
		}
	case *pyast.Starred:
		return bindsName(t.Value, n)
	}
	return false
}

func mentionsExpr(e pyast.Expr, n string) bool {
	found := false
	pyast.WalkExpr(e, func(x pyast.Expr) bool {
		if nm, ok := x.(*pyast.Name); ok && nm.ID == n {
			found = true
		}
		return !found
	})
	return found
}

// target rewrites the reads inside an assignment's target.
func (s *strFolder) target(e pyast.Expr) pyast.Expr {
	switch e := e.(type) {
	case *pyast.Name:
		return e
	case *pyast.Tuple:
		for i, x := range e.Elts {
			e.Elts[i] = s.target(x)
		}
		return e
	case *pyast.List:
		for i, x := range e.Elts {
			e.Elts[i] = s.target(x)
		}
		return e
	case *pyast.Starred:
		e.Value = s.target(e.Value)
		return e
	}
	return s.expr(e)
}

var (
	exprType  = reflect.TypeOf((*pyast.Expr)(nil)).Elem()
	exprsType = reflect.TypeOf([]pyast.Expr(nil))
	kwsType   = reflect.TypeOf([]*pyast.Keyword(nil))
	compsType = reflect.TypeOf([]*pyast.Comprehension(nil))
)

// expr rewrites e's operands, then folds e.
func (s *strFolder) expr(e pyast.Expr) pyast.Expr {
	if e == nil {
		return nil
	}
	switch x := e.(type) {
	case *pyast.Name:
		if v, ok := s.consts[x.ID]; ok {
			c := pyast.StrConst(x.P, v)
			if _, arg := s.params[x.ID]; arg {
				if s.f.StrArgs == nil {
					s.f.StrArgs = map[*pyast.Constant]string{}
				}
				s.f.StrArgs[c] = x.ID
			}
			return c
		}
		return e
	case *pyast.Lambda:
		return e
	}
	v := reflect.ValueOf(e).Elem()
	for i := 0; i < v.NumField(); i++ {
		fv := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		switch fv.Type() {
		case exprType:
			if !fv.IsNil() {
				fv.Set(reflect.ValueOf(s.expr(fv.Interface().(pyast.Expr))))
			}
		case exprsType:
			xs := fv.Interface().([]pyast.Expr)
			for j := range xs {
				xs[j] = s.expr(xs[j])
			}
		case kwsType:
			for _, k := range fv.Interface().([]*pyast.Keyword) {
				k.Value = s.expr(k.Value)
			}
		case compsType:
			for _, g := range fv.Interface().([]*pyast.Comprehension) {
				g.Iter = s.expr(g.Iter)
				for j := range g.Ifs {
					g.Ifs[j] = s.expr(g.Ifs[j])
				}
			}
		}
	}
	if s.only {
		return e
	}
	return s.fold(e)
}

func strOf(e pyast.Expr) (string, bool) {
	c, ok := e.(*pyast.Constant)
	if ok && c.Kind == pyast.ConstStr {
		return c.Str, true
	}
	return "", false
}

func intOf(e pyast.Expr) (int64, bool) {
	c, ok := e.(*pyast.Constant)
	if ok && c.Kind == pyast.ConstInt && c.Int.IsInt64() {
		return c.Int.Int64(), true
	}
	if ok && c.Kind == pyast.ConstBool {
		if c.Bool {
			return 1, true
		}
		return 0, true
	}
	if u, ok := e.(*pyast.UnaryOp); ok && u.Op == "USub" {
		if n, ok := intOf(u.Operand); ok {
			return -n, true
		}
	}
	return 0, false
}

func boolOf(e pyast.Expr) (bool, bool) {
	c, ok := e.(*pyast.Constant)
	if ok && c.Kind == pyast.ConstBool {
		return c.Bool, true
	}
	return false, false
}

// stringish: a string constant or an f-string, the pieces of a join.
func pieces(e pyast.Expr) ([]pyast.Expr, bool) {
	switch e := e.(type) {
	case *pyast.Constant:
		if e.Kind == pyast.ConstStr {
			return []pyast.Expr{e}, true
		}
	case *pyast.JoinedStr:
		return e.Values, true
	}
	return nil, false
}

// joined is the f-string of values, with nested f-strings spliced and
// adjacent texts merged; a constant when it has no fields left.
func joined(p pyast.Pos, values []pyast.Expr) pyast.Expr {
	var out []pyast.Expr
	for _, v := range values {
		if fv, ok := v.(*pyast.FormattedValue); ok && fv.Spec == nil && (fv.Conv == 0 || fv.Conv == 's') {
			if text, ok := strOf(fv.Value); ok {
				v = pyast.StrConst(fv.P, text)
			} else if j, ok := fv.Value.(*pyast.JoinedStr); ok {
				out = append(out, j.Values...)
				continue
			}
		}
		if j, ok := v.(*pyast.JoinedStr); ok {
			out = append(out, j.Values...)
			continue
		}
		out = append(out, v)
	}
	var merged []pyast.Expr
	for _, v := range out {
		if t, ok := strOf(v); ok && len(merged) > 0 {
			if u, ok := strOf(merged[len(merged)-1]); ok {
				merged[len(merged)-1] = pyast.StrConst(merged[len(merged)-1].Position(), u+t)
				continue
			}
		}
		merged = append(merged, v)
	}
	if len(merged) == 0 {
		return pyast.StrConst(p, "")
	}
	if len(merged) == 1 {
		if t, ok := strOf(merged[0]); ok {
			return pyast.StrConst(p, t)
		}
	}
	return pyast.NewJoinedStr(p, merged)
}

func runes(s string) []rune { return []rune(s) }

// fold evaluates e when it is decided by constant strings.
func (s *strFolder) fold(e pyast.Expr) pyast.Expr {
	switch e := e.(type) {
	case *pyast.JoinedStr:
		return joined(e.P, e.Values)
	case *pyast.BinOp:
		a, aok := strOf(e.Left)
		b, bok := strOf(e.Right)
		switch e.Op {
		case "Add":
			if aok && bok {
				return pyast.StrConst(e.P, a+b)
			}
			pa, ok1 := pieces(e.Left)
			pb, ok2 := pieces(e.Right)
			if ok1 && ok2 {
				return joined(e.P, append(append([]pyast.Expr{}, pa...), pb...))
			}
		case "Mult":
			n, nok := intOf(e.Right)
			t := a
			if !aok {
				n, nok = intOf(e.Left)
				t, aok = b, bok
			}
			if aok && nok {
				if n < 0 {
					n = 0
				}
				if int64(len(t))*n > 1<<16 {
					s.errorf(e, diag.Unsupported, "a constant string of more than 65536 bytes is not supported")
					return e
				}
				return pyast.StrConst(e.P, strings.Repeat(t, int(n)))
			}
		case "Mod":
			if aok {
				return s.percent(e, a)
			}
		}
	case *pyast.Compare:
		return s.compare(e)
	case *pyast.UnaryOp:
		if b, ok := boolOf(e.Operand); ok && e.Op == "Not" {
			return pyast.BoolConst(e.P, !b)
		}
		if t, ok := strOf(e.Operand); ok && e.Op == "Not" {
			return pyast.BoolConst(e.P, t == "")
		}
	case *pyast.BoolOp:
		// True and x is x, False and x is False; True or x is True, False or x is x.
		var rest []pyast.Expr
		for i, v := range e.Values {
			b, ok := boolOf(v)
			if !ok {
				rest = append(rest, v)
				continue
			}
			if (e.Op == "And") != b { // the result, unless a value before was undecided
				if len(rest) == 0 {
					return v
				}
				rest = append(rest, v)
				_ = i
				break
			}
			if i == len(e.Values)-1 {
				rest = append(rest, v)
			}
		}
		if len(rest) == 1 {
			return rest[0]
		}
		if len(rest) > 0 && len(rest) < len(e.Values) {
			e.Values = rest
		}
	case *pyast.IfExp:
		if b, ok := boolOf(e.Test); ok {
			if b {
				return e.Body
			}
			return e.Orelse
		}
	case *pyast.Subscript:
		t, ok := strOf(e.Value)
		if !ok {
			break
		}
		r := runes(t)
		if i, ok := intOf(e.Index); ok {
			if i < 0 {
				i += int64(len(r))
			}
			if i < 0 || i >= int64(len(r)) {
				s.errorf(e, diag.Unsupported, "the index %s is out of range for the constant string %s (IndexError in Python)", exprText(e.Index), strconv.Quote(t))
				return e
			}
			return pyast.StrConst(e.P, string(r[i]))
		}
		if sl, ok := e.Index.(*pyast.Slice); ok {
			if out, ok := sliceOf(r, sl); ok {
				return pyast.StrConst(e.P, out)
			}
		}
	case *pyast.Call:
		return s.call(e)
	}
	return e
}

func exprText(e pyast.Expr) string {
	if n, ok := intOf(e); ok {
		return strconv.FormatInt(n, 10)
	}
	return "given"
}

func sliceOf(r []rune, sl *pyast.Slice) (string, bool) {
	n := int64(len(r))
	step := int64(1)
	if sl.Step != nil {
		v, ok := intOf(sl.Step)
		if !ok || v == 0 {
			return "", false
		}
		step = v
	}
	bound := func(e pyast.Expr, def int64) (int64, bool) {
		if e == nil {
			return def, true
		}
		if c, ok := e.(*pyast.Constant); ok && c.Kind == pyast.ConstNone {
			return def, true
		}
		v, ok := intOf(e)
		if !ok {
			return 0, false
		}
		if v < 0 {
			v += n
			if v < 0 {
				if step < 0 {
					v = -1
				} else {
					v = 0
				}
			}
		} else if v >= n {
			if step < 0 {
				v = n - 1
			} else {
				v = n
			}
		}
		return v, true
	}
	var lo, hi int64
	var ok1, ok2 bool
	if step > 0 {
		lo, ok1 = bound(sl.Lower, 0)
		hi, ok2 = bound(sl.Upper, n)
	} else {
		lo, ok1 = bound(sl.Lower, n-1)
		hi, ok2 = bound(sl.Upper, -1)
	}
	if !ok1 || !ok2 {
		return "", false
	}
	var b strings.Builder
	for i := lo; (step > 0 && i < hi) || (step < 0 && i > hi); i += step {
		b.WriteRune(r[i])
	}
	return b.String(), true
}

// compare decides comparisons of constant strings.
func (s *strFolder) compare(e *pyast.Compare) pyast.Expr {
	operands := append([]pyast.Expr{e.Left}, e.Comparators...)
	anyStr := false
	for _, o := range operands {
		if _, ok := strOf(o); ok {
			anyStr = true
		}
	}
	if !anyStr {
		return e
	}
	result := true
	for i, op := range e.Ops {
		a, aok := strOf(operands[i])
		b, bok := strOf(operands[i+1])
		var r bool
		switch {
		case aok && bok:
			switch op {
			case "Eq":
				r = a == b
			case "NotEq":
				r = a != b
			case "Lt":
				r = a < b // code point order: Go compares UTF-8 bytes, the same order
			case "LtE":
				r = a <= b
			case "Gt":
				r = a > b
			case "GtE":
				r = a >= b
			case "In":
				r = strings.Contains(b, a)
			case "NotIn":
				r = !strings.Contains(b, a)
			default:
				return e
			}
		case aok && (op == "In" || op == "NotIn") && constSeq(operands[i+1]) != nil:
			found := false
			for _, x := range constSeq(operands[i+1]) {
				if t, ok := strOf(x); ok && t == a {
					found = true
				}
			}
			r = found == (op == "In")
		case (aok || bok) && (op == "Eq" || op == "NotEq"):
			other := operands[i+1]
			if bok {
				other = operands[i]
			}
			if c, ok := other.(*pyast.Constant); ok && c.Kind != pyast.ConstStr {
				r = op == "NotEq" // a string equals no number, None or bytes
			} else {
				return e
			}
		default:
			return e
		}
		result = result && r
	}
	return pyast.BoolConst(e.P, result)
}

// constSeq is the items of a tuple or list display of constants, else nil.
func constSeq(e pyast.Expr) []pyast.Expr {
	var elts []pyast.Expr
	switch e := e.(type) {
	case *pyast.Tuple:
		elts = e.Elts
	case *pyast.List:
		elts = e.Elts
	default:
		return nil
	}
	for _, x := range elts {
		if _, ok := x.(*pyast.Constant); !ok {
			return nil
		}
	}
	if elts == nil {
		elts = []pyast.Expr{}
	}
	return elts
}

// call folds len() and str() of strings, str() and repr() of other values
// to f-string fields, and str.format().
func (s *strFolder) call(e *pyast.Call) pyast.Expr {
	if n, ok := e.Func.(*pyast.Name); ok && len(e.Args) == 1 && len(e.Keywords) == 0 && s.builtin(n.ID) {
		if _, star := e.Args[0].(*pyast.Starred); star {
			return e
		}
		t, isStr := strOf(e.Args[0])
		switch n.ID {
		case "len":
			if isStr {
				return pyast.IntConst(e.P, int64(utf8.RuneCountInString(t)))
			}
		case "str":
			if isStr {
				return e.Args[0]
			}
			if _, ok := e.Args[0].(*pyast.JoinedStr); ok {
				return e.Args[0]
			}
			return pyast.NewJoinedStr(e.P, []pyast.Expr{pyast.NewField(e.P, e.Args[0], 's', "")})
		case "repr":
			// repr(x) is the field {x!r}, which the runtime formats as
			// CPython's repr (quotes on strings, np.float32(...) on NumPy
			// scalars, the exception's repr of a caught one).
			return pyast.NewJoinedStr(e.P, []pyast.Expr{pyast.NewField(e.P, e.Args[0], 'r', "")})
		}
		return e
	}
	at, ok := e.Func.(*pyast.Attribute)
	if !ok {
		return e
	}
	t, ok := strOf(at.Value)
	if !ok {
		return e
	}
	switch at.Attr {
	case "format":
		return s.format(e, t)
	case "upper", "lower", "strip", "lstrip", "rstrip":
		if len(e.Args) == 0 && len(e.Keywords) == 0 && isASCII(t) {
			switch at.Attr {
			case "upper":
				return pyast.StrConst(e.P, strings.ToUpper(t))
			case "lower":
				return pyast.StrConst(e.P, strings.ToLower(t))
			case "strip":
				return pyast.StrConst(e.P, strings.Trim(t, " \t\n\r\v\f"))
			case "lstrip":
				return pyast.StrConst(e.P, strings.TrimLeft(t, " \t\n\r\v\f"))
			case "rstrip":
				return pyast.StrConst(e.P, strings.TrimRight(t, " \t\n\r\v\f"))
			}
		}
	case "startswith", "endswith":
		if len(e.Args) == 1 && len(e.Keywords) == 0 {
			if a, ok := strOf(e.Args[0]); ok {
				if at.Attr == "startswith" {
					return pyast.BoolConst(e.P, strings.HasPrefix(t, a))
				}
				return pyast.BoolConst(e.P, strings.HasSuffix(t, a))
			}
		}
	}
	return e
}

func isASCII(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] >= 0x80 {
			return false
		}
	}
	return true
}

// format turns "text {0:.3f}".format(args) into an f-string.
func (s *strFolder) format(e *pyast.Call, t string) pyast.Expr {
	kws := map[string]pyast.Expr{}
	for _, k := range e.Keywords {
		if k.Name == "" {
			s.errorf(k, diag.Unsupported, "str.format(**kwargs) is not supported")
			return e
		}
		kws[k.Name] = k.Value
	}
	for _, a := range e.Args {
		if _, ok := a.(*pyast.Starred); ok {
			s.errorf(a, diag.Unsupported, "str.format(*args) is not supported")
			return e
		}
	}
	var values []pyast.Expr
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			values = append(values, pyast.StrConst(e.P, text.String()))
			text.Reset()
		}
	}
	auto, manual := 0, false
	fail := func(format string, args ...any) pyast.Expr {
		s.errorf(e, diag.Value, format, args...).WithHint("str.format of a constant format is compiled as an f-string")
		return e
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '}' {
			if i+1 < len(t) && t[i+1] == '}' {
				text.WriteByte('}')
				i++
				continue
			}
			return fail("Single '}' encountered in format string")
		}
		if c != '{' {
			text.WriteByte(c)
			continue
		}
		if i+1 < len(t) && t[i+1] == '{' {
			text.WriteByte('{')
			i++
			continue
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			return fail("Single '{' encountered in format string")
		}
		field := t[i+1 : i+j]
		i += j
		if strings.ContainsRune(field, '{') {
			return fail("a format spec with fields ({:{width}}) is not supported")
		}
		name, spec := field, ""
		if k := strings.IndexByte(field, ':'); k >= 0 {
			name, spec = field[:k], field[k+1:]
		}
		var conv byte
		if k := strings.IndexByte(name, '!'); k >= 0 {
			cv := name[k+1:]
			if cv != "r" && cv != "s" && cv != "a" {
				return fail("Unknown conversion specifier %s", cv)
			}
			conv = cv[0]
			name = name[:k]
		}
		var arg pyast.Expr
		switch {
		case name == "":
			if manual {
				return fail("cannot switch from manual field specification to automatic field numbering")
			}
			if auto >= len(e.Args) {
				return fail("Replacement index %d out of range for positional args tuple", auto)
			}
			arg = e.Args[auto]
			auto++
		case name[0] >= '0' && name[0] <= '9':
			k, err := strconv.Atoi(name)
			if err != nil {
				return fail("the format field {%s} is not supported (attributes and items of arguments)", name)
			}
			if auto > 0 {
				return fail("cannot switch from automatic field numbering to manual field specification")
			}
			manual = true
			if k >= len(e.Args) {
				return fail("Replacement index %d out of range for positional args tuple", k)
			}
			arg = e.Args[k]
		default:
			v, ok := kws[name]
			if !ok {
				return fail("the format field {%s} names no keyword argument (KeyError in Python)", name)
			}
			arg = v
		}
		flush()
		values = append(values, pyast.NewField(e.P, arg, conv, spec))
	}
	flush()
	return joined(e.P, values)
}

// percent turns "text %5.2f" % args into an f-string whose fields have the
// conversion '%': the hook computes each as spec % (value,).
func (s *strFolder) percent(e *pyast.BinOp, t string) pyast.Expr {
	var args []pyast.Expr
	if tu, ok := e.Right.(*pyast.Tuple); ok {
		args = tu.Elts
	} else {
		args = []pyast.Expr{e.Right}
	}
	fail := func(format string, a ...any) pyast.Expr {
		s.errorf(e, diag.Unsupported, format, a...).WithHint("a constant format with %% is compiled conversion by conversion")
		return e
	}
	var values []pyast.Expr
	var text strings.Builder
	k := 0
	for i := 0; i < len(t); i++ {
		if t[i] != '%' {
			text.WriteByte(t[i])
			continue
		}
		j := i + 1
		if j < len(t) && t[j] == '%' {
			text.WriteByte('%')
			i = j
			continue
		}
		if j < len(t) && t[j] == '(' {
			return fail("%%-formatting with a mapping key (%%(name)s) is not supported")
		}
		for j < len(t) && strings.IndexByte("#0- +", t[j]) >= 0 {
			j++
		}
		for j < len(t) && (t[j] >= '0' && t[j] <= '9' || t[j] == '.') {
			j++
		}
		if j < len(t) && t[j] == '*' {
			return fail("%%-formatting with * for the width or precision is not supported")
		}
		for j < len(t) && strings.IndexByte("hlL", t[j]) >= 0 {
			j++
		}
		if j >= len(t) || strings.IndexByte("diouxXeEfFgGcrsa", t[j]) < 0 {
			return fail("unsupported format character in %s", strconv.Quote(t))
		}
		if k >= len(args) {
			if _, tuple := e.Right.(*pyast.Tuple); !tuple {
				return fail("the right operand of %% must be a tuple display (\"%%d %%d\" %% (a, b)) when the format has more than one conversion")
			}
			return fail("not enough arguments for format string (TypeError in Python)")
		}
		if text.Len() > 0 {
			values = append(values, pyast.StrConst(e.P, text.String()))
			text.Reset()
		}
		spec := t[i : j+1]
		arg := args[k]
		k++
		if a, ok := strOf(arg); ok {
			if !percentStr.MatchString(spec) {
				return fail("%%-formatting a string with %s is not supported", spec)
			}
			values = append(values, pyast.StrConst(e.P, fmt.Sprintf("%"+spec[1:], a)))
		} else {
			fv := pyast.NewField(e.P, arg, '%', spec)
			values = append(values, fv)
		}
		i = j
	}
	if _, tuple := e.Right.(*pyast.Tuple); !tuple && k != 1 {
		return fail("the right operand of %% must be a tuple display (\"%%d %%d\" %% (a, b)) when the format has %d conversions", k)
	}
	if k < len(args) {
		return fail("not all arguments converted during string formatting (TypeError in Python)")
	}
	if text.Len() > 0 {
		values = append(values, pyast.StrConst(e.P, text.String()))
	}
	return joined(e.P, values)
}

var _ = big.NewInt

// percentStr is a %-conversion of a string that Go's fmt formats as Python does.
var percentStr = regexp.MustCompile(`^%-?[0-9]*(\.[0-9]+)?s$`)
