package lower

import (
	"fmt"

	"sejit/internal/diag"
	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

func (f *fn) typeOf(e pyast.Expr) *types.Type {
	if t, ok := f.info.Types[e]; ok {
		return t
	}
	return types.UnknownT
}

// expr lowers an expression to a value, emitting the statements it needs.
func (f *fn) expr(e pyast.Expr) *val {
	if at, ok := f.info.TupleArrays[e]; ok {
		v := f.exprOf(e)
		if v.t.Kind == types.List {
			return f.listArray(v) // numpy_stats.go
		}
		return f.tupleArray(v, at) // numpy_arrays.go
	}
	return f.exprOf(e)
}

// exprOf lowers e as its own type says, without the conversions expr
// applies where its value is used.
func (f *fn) exprOf(e pyast.Expr) *val {
	t := f.typeOf(e)
	if v, ok := f.exprExt(e, t); ok {
		return v
	}
	if v, ok := f.strExpr(e, t); ok { // strings.go
		return v
	}
	if v, ok := f.dictExpr(e, t); ok { // dicts.go
		return v
	}
	if v, ok := f.listExpr(e, t); ok { // lists.go
		return v
	}
	if k, ok := f.info.Consts[e]; ok {
		return &val{t: t, s: constOf(k, t)}
	}
	switch e := e.(type) {
	case *pyast.Name:
		if v, ok := f.vars[f.spec.Func.VarName(e)]; ok {
			if v.boxed {
				return f.readBoxed(v) // list_lists.go
			}
			c := *v
			c.name = e.ID
			c.cell = nil // the value, not the variable's cell
			return &c
		}
		return &val{t: t}
	case *pyast.Constant:
		return &val{t: t, s: constOf(e, t)}
	case *pyast.BinOp:
		return f.binop(e.Op, f.expr(e.Left), f.expr(e.Right), t, e.P)
	case *pyast.UnaryOp:
		return f.unary(e, t)
	case *pyast.BoolOp:
		return f.boolop(e, t)
	case *pyast.Compare:
		return f.compare(e, t)
	case *pyast.IfExp:
		return f.ifexp(e, t)
	case *pyast.Call:
		return f.call(e, t)
	case *pyast.Attribute:
		return f.attribute(e, t)
	case *pyast.Subscript:
		return f.subscript(e, t)
	case *pyast.Tuple:
		v := &val{t: t}
		for _, x := range e.Elts {
			v.elems = append(v.elems, f.expr(x))
		}
		return v
	}
	f.errorf(e.Position(), diag.Internal, "cannot lower this expression")
	return &val{t: types.UnknownT, s: ir.IntConst(0)}
}

func constOf(k *pyast.Constant, t *types.Type) ir.Expr {
	d := t.DType
	var c *ir.Const
	switch k.Kind {
	case pyast.ConstInt:
		c = &ir.Const{Type: types.ScalarOf(types.Int64), I: k.Int.Int64()}
	case pyast.ConstBool:
		c = ir.BoolConst(k.Bool)
	case pyast.ConstFloat:
		c = &ir.Const{Type: types.ScalarOf(types.Float64), F: k.Float}
	case pyast.ConstComplex:
		c = &ir.Const{Type: types.ScalarOf(types.Complex128), F: k.Float, Im: k.Imag}
	default:
		return ir.IntConst(0)
	}
	if t.Kind == types.Scalar {
		return conv(c, d)
	}
	return c
}

// scalarBin builds one element's binary operation in result dtype d, with
// NumPy's semantics (the Python-only checks are emitted by binop).
func scalarBin(op string, x, y ir.Expr, d types.DType) ir.Expr {
	switch op {
	case "Lt", "LtE", "Gt", "GtE", "Eq", "NotEq":
		if c := exactU64Compare(op, x, y); c != nil {
			return c
		}
		pd := types.Promote(ir.TypeOf(x).DType, ir.TypeOf(y).DType)
		return &ir.Bin{Op: cmpOps[op], X: conv(x, pd), Y: conv(y, pd), T: types.BoolT}
	}
	irop := binOps[op]
	if d == types.Bool && (op == "Add" || op == "Mult") {
		irop = map[string]ir.Op{"Add": ir.Or, "Mult": ir.And}[op]
		return &ir.Bin{Op: irop, X: conv(x, d), Y: conv(y, d), T: types.BoolT}
	}
	if op == "Div" || op == "FloorDiv" || op == "Mod" || op == "Pow" || op == "Add" || op == "Sub" || op == "Mult" {
		return &ir.Bin{Op: irop, X: conv(x, d), Y: conv(y, d), T: types.ScalarOf(d)}
	}
	if op == "LShift" || op == "RShift" {
		return &ir.Bin{Op: irop, X: conv(x, d), Y: conv(y, d), T: types.ScalarOf(d)}
	}
	return &ir.Bin{Op: irop, X: conv(x, d), Y: conv(y, d), T: types.ScalarOf(d)}
}

// arrayBin is scalarBin for the elements of an operation on arrays, which
// NumPy computes with its ufunc loops: for complex numbers, a product (and
// a square, z**2) is the loop's multiply-add formula (ir.FnNpCMul), not
// the plain product its scalars and CPython compute.
//
// A quotient of complex elements is NumPy's divide loop (ir.FnNpCDiv):
// Smith's algorithm scaled by one reciprocal, which differs from CPython's
// two divisions in the last bit of about half the results.
//
// Any other power of complex elements is NumPy's (ir.FnNpCPow), except a
// Python int -1, which NumPy's arrays send to np.reciprocal: 1 / z, as
// np.reciprocal lowers (repeated squaring's first product, 1 * z, would
// turn an infinite part into NaN).
func arrayBin(op string, x, y ir.Expr, d types.DType) ir.Expr {
	if d.IsComplex() && (op == "Mult" || op == "Pow" && isTwo(y)) {
		if op == "Pow" {
			y = x
		}
		return &ir.Intrinsic{Fn: ir.FnNpCMul, Args: []ir.Expr{conv(x, d), conv(y, d)}, T: types.ScalarOf(d)}
	}
	if d.IsComplex() && op == "Div" {
		return &ir.Intrinsic{Fn: ir.FnNpCDiv, Args: []ir.Expr{conv(x, d), conv(y, d)}, T: types.ScalarOf(d)}
	}
	if d.IsComplex() && op == "Pow" {
		if isIntMinusOne(y) {
			return &ir.Bin{Op: ir.Div, X: oneOf(d), Y: conv(x, d), T: types.ScalarOf(d)}
		}
		return &ir.Intrinsic{Fn: ir.FnNpCPow, Args: []ir.Expr{conv(x, d), conv(y, d)}, T: types.ScalarOf(d)}
	}
	return scalarBin(op, x, y, d)
}

// isIntMinusOne reports an exponent that is the integer constant -1.
func isIntMinusOne(e ir.Expr) bool {
	for {
		c, ok := e.(*ir.Cast)
		if !ok {
			break
		}
		e = c.X
	}
	k, ok := e.(*ir.Const)
	return ok && k.Type.DType.IsInt() && k.I == -1
}

// isTwo reports an exponent that is the constant 2 (of any dtype).
func isTwo(e ir.Expr) bool {
	for {
		c, ok := e.(*ir.Cast)
		if !ok {
			break
		}
		e = c.X
	}
	k, ok := e.(*ir.Const)
	if !ok {
		return false
	}
	switch d := k.Type.DType; {
	case d.IsInt():
		return k.I == 2
	case d.IsFloat():
		return k.F == 2
	case d.IsComplex():
		return k.F == 2 && k.Im == 0
	}
	return false
}

var binOps = map[string]ir.Op{"Add": ir.Add, "Sub": ir.Sub, "Mult": ir.Mul, "Div": ir.Div, "FloorDiv": ir.FloorDiv,
	"Mod": ir.Mod, "Pow": ir.Pow, "BitAnd": ir.BitAnd, "BitOr": ir.BitOr, "BitXor": ir.BitXor, "LShift": ir.Shl, "RShift": ir.Shr}

var cmpOps = map[string]ir.Op{"Lt": ir.Lt, "LtE": ir.Le, "Gt": ir.Gt, "GtE": ir.Ge, "Eq": ir.Eq, "NotEq": ir.Ne}

// binop lowers an arithmetic operation whose result has type rt.
func (f *fn) binop(op string, l, r *val, rt *types.Type, p pyast.Pos) *val {
	if op == "MatMult" {
		return f.dot(p, "matmul", l, r, rt)
	}
	// int / int is "division by zero" in CPython, a float's "float division by zero".
	intDiv := l.t.DType.Kind() <= types.KInt && r.t.DType.Kind() <= types.KInt
	l, r = f.pyIntOperands(op, l, r, rt.DType)
	if rt.Kind == types.Array {
		d := rt.DType
		return f.elementwise(rt, []*val{l, r}, func(xs []ir.Expr) ir.Expr { return arrayBin(op, xs[0], xs[1], d) })
	}
	d := rt.DType
	x, y := l.s, r.s
	// Python scalars raise on a zero divisor; NumPy scalars give inf, nan
	// or 0 (integers), which the element operation itself does.
	if rt.Weak && (op == "Div" || op == "FloorDiv" || op == "Mod") {
		y = f.stableExpr(y)
		msg := "division by zero"
		switch {
		case d.IsFloat() && op == "Div" && !intDiv:
			msg = "float division by zero"
		case d.IsFloat() && op == "FloorDiv":
			msg = "float floor division by zero"
		case d.IsFloat() && op == "Mod":
			// CPython 3.13 says "float modulo by zero", 3.11 and 3.12 "float
			// modulo": the runtime, built for the running interpreter,
			// writes its text (python/sejit/_kernel_errors.h).
			msg = FloatModuloMsg
		case op == "Mod":
			msg = "integer modulo by zero"
		case op != "Div":
			msg = "integer division or modulo by zero"
		case d.IsComplex():
			msg = "complex division by zero"
		}
		yt := ir.TypeOf(y).DType
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Ne, X: y, Y: zeroOf(yt), T: types.BoolT}, Err: ir.ErrZeroDiv, Msg: msg})
	}
	if rt.Weak && (op == "LShift" || op == "RShift") && d.IsInt() {
		// Python ints refuse a negative count; NumPy integers shift it
		// to 0 (or -1), which the element operation does.
		if k, ok := y.(*ir.Const); !ok || k.I < 0 {
			y = f.stableExpr(y)
			f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Ge, X: y, Y: zeroOf(ir.TypeOf(y).DType), T: types.BoolT},
				Err: ir.ErrValue, Msg: "negative shift count"})
		}
	}
	if op == "Pow" && d.IsInt() {
		if k, ok := y.(*ir.Const); !ok || k.I < 0 {
			y = f.stableExpr(y)
			nonNeg := &ir.Bin{Op: ir.Ge, X: y, Y: zeroOf(ir.TypeOf(y).DType), T: types.BoolT}
			if rt.Weak {
				// Python ints: 0 ** -n raises CPython's ZeroDivisionError;
				// any other negative power is a float in CPython, which
				// a power typed int cannot hold (a limit, never caught
				// by compiled except clauses).
				x = f.stableExpr(x)
				f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Or, X: nonNeg, Y: &ir.Bin{Op: ir.Ne, X: x, Y: zeroOf(ir.TypeOf(x).DType),
					T: types.BoolT}, T: types.BoolT}, Err: ir.ErrZeroDiv, Msg: "0.0 cannot be raised to a negative power"})
				f.emit(&ir.Check{Cond: nonNeg, Err: ir.ErrLimit, Msg: ir.LimitMsg("ValueError",
					"an int to a negative int power is a float in Python, and this power is typed int: "+
						"write float(x) ** y for the float result")})
			} else {
				f.emit(&ir.Check{Cond: nonNeg, Err: ir.ErrValue, Msg: "Integers to negative integer powers are not allowed."})
			}
		}
	}
	if op == "Pow" && rt.Weak && d.IsFloat() {
		x, y = f.stableExpr(x), f.stableExpr(y)
		xd, yd := ir.TypeOf(x).DType, ir.TypeOf(y).DType
		f.emit(&ir.Check{Cond: &ir.Bin{Op: ir.Or, X: &ir.Bin{Op: ir.Ne, X: x, Y: zeroOf(xd), T: types.BoolT},
			Y: &ir.Bin{Op: ir.Ge, X: y, Y: zeroOf(yd), T: types.BoolT}, T: types.BoolT},
			Err: ir.ErrZeroDiv, Msg: "0.0 cannot be raised to a negative power"})
	}
	if op == "Pow" && rt.Weak && d.IsFloat() {
		return f.pyFloatPow(x, y, rt)
	}
	if op == "Pow" && rt.Weak && d.IsComplex() {
		return f.pyComplexPow(x, y, rt)
	}
	if op == "Pow" && d.IsComplex() && !rt.Weak {
		// A NumPy complex scalar's power is npy_cpow, not CPython's.
		return &val{t: rt, s: &ir.Intrinsic{Fn: ir.FnNpCPow, Args: []ir.Expr{conv(x, d), conv(y, d)}, T: types.ScalarOf(d)}}
	}
	if op == "Div" && d.IsComplex() && !rt.Weak {
		// A NumPy complex scalar's quotient is its divide loop's, not CPython's.
		return &val{t: rt, s: &ir.Intrinsic{Fn: ir.FnNpCDiv, Args: []ir.Expr{conv(x, d), conv(y, d)}, T: types.ScalarOf(d)}}
	}
	return &val{t: rt, s: scalarBin(op, x, y, d)}
}

// stableExpr evaluates e once into a variable unless it is trivial.
func (f *fn) stableExpr(e ir.Expr) ir.Expr {
	switch e.(type) {
	case *ir.Const, *ir.Ref:
		return e
	}
	t := f.temp(ir.TypeOf(e))
	f.emit(&ir.Assign{Dst: t, Src: e})
	return &ir.Ref{Var: t}
}

func (f *fn) unary(e *pyast.UnaryOp, rt *types.Type) *val {
	v := f.expr(e.Operand)
	d := rt.DType
	var op func(xs []ir.Expr) ir.Expr
	switch e.Op {
	case "Not":
		return &val{t: rt, s: &ir.Unary{Op: ir.Not, X: truth(v.s), T: types.BoolT}}
	case "UAdd":
		op = func(xs []ir.Expr) ir.Expr { return conv(xs[0], d) }
	case "USub":
		op = func(xs []ir.Expr) ir.Expr {
			if c, ok := xs[0].(*ir.Const); ok && !c.Type.DType.IsUnsigned() {
				n := *c
				n.I, n.F, n.Im = -c.I, -c.F, -c.Im
				if c.I == 0 && c.F == 0 && !c.Type.DType.IsInt() {
					return &ir.Unary{Op: ir.Neg, X: conv(xs[0], d), T: types.ScalarOf(d)}
				}
				return conv(&n, d)
			}
			return &ir.Unary{Op: ir.Neg, X: conv(xs[0], d), T: types.ScalarOf(d)}
		}
	case "Invert":
		op = func(xs []ir.Expr) ir.Expr {
			if ir.TypeOf(xs[0]).DType == types.Bool && d == types.Bool {
				return &ir.Unary{Op: ir.Not, X: xs[0], T: types.BoolT}
			}
			return &ir.Unary{Op: ir.Inv, X: conv(xs[0], d), T: types.ScalarOf(d)}
		}
	}
	return f.elementwise(rt, []*val{v}, op)
}

// branchy lowers e into its own block; it reports the value and whether
// lowering needed statements.
func (f *fn) branchy(e pyast.Expr) (*val, []ir.Stmt) {
	var v *val
	stmts := f.sub(func() { v = f.expr(e) })
	return v, stmts
}

func (f *fn) boolop(e *pyast.BoolOp, rt *types.Type) *val {
	// Python returns the deciding operand itself: a and b is b when a is
	// true, else a. Operands are scalars here (the checker refuses arrays),
	// or strings.
	if rt.Kind == types.Str {
		return f.strBoolOp(e, rt) // strings.go
	}
	d := rt.DType
	first := f.expr(e.Values[0])
	acc := f.temp(types.ScalarOf(d))
	f.emit(&ir.Assign{Dst: acc, Src: conv(first.s, d)})
	cond := truth(first.s)
	f.boolRest(e.Op, e.Values[1:], acc, cond, d)
	return &val{t: rt, s: &ir.Ref{Var: acc}}
}

// boolRest evaluates the remaining operands only while Python would.
func (f *fn) boolRest(op string, rest []pyast.Expr, acc *ir.Var, cond ir.Expr, d types.DType) {
	if len(rest) == 0 {
		return
	}
	var body []ir.Stmt
	body = f.sub(func() {
		v := f.expr(rest[0])
		f.emit(&ir.Assign{Dst: acc, Src: conv(v.s, d)})
		f.boolRest(op, rest[1:], acc, truth(v.s), d)
	})
	if op == "And" {
		f.emit(&ir.If{Cond: cond, Then: body})
	} else {
		f.emit(&ir.If{Cond: cond, Else: body})
	}
}

func (f *fn) compare(e *pyast.Compare, rt *types.Type) *val {
	if op := e.Ops[0]; op == "In" || op == "NotIn" {
		return f.inTuple(e, rt) // pylang.go
	}
	l := f.expr(e.Left)
	if rt.Kind == types.Array {
		r := f.expr(e.Comparators[0])
		op := e.Ops[0]
		return f.elementwise(rt, []*val{l, r}, func(xs []ir.Expr) ir.Expr { return scalarBin(op, xs[0], xs[1], types.Bool) })
	}
	if len(e.Ops) == 1 {
		r := f.expr(e.Comparators[0])
		return &val{t: rt, s: scalarBin(e.Ops[0], l.s, r.s, types.Bool)}
	}
	// a < b < c: b is evaluated once, c only if a < b holds.
	acc := f.temp(types.BoolT)
	var chain func(left ir.Expr, i int)
	chain = func(left ir.Expr, i int) {
		r := f.expr(e.Comparators[i])
		right := r.s
		if i+1 < len(e.Ops) {
			right = f.stableExpr(right)
		}
		f.emit(&ir.Assign{Dst: acc, Src: scalarBin(e.Ops[i], left, right, types.Bool)})
		if i+1 < len(e.Ops) {
			body := f.sub(func() { chain(right, i+1) })
			f.emit(&ir.If{Cond: &ir.Ref{Var: acc}, Then: body})
		}
	}
	chain(f.stableExpr(l.s), 0)
	return &val{t: rt, s: &ir.Ref{Var: acc}}
}

func (f *fn) ifexp(e *pyast.IfExp, rt *types.Type) *val {
	c := f.expr(e.Test)
	a, as := f.branchy(e.Body)
	b, bs := f.branchy(e.Orelse)
	// A branch calling a function that always raises has no value to
	// assign (types.NeverReturns): the call raises before dst is read.
	na, nb := types.NeverReturns(f.info, e.Body), types.NeverReturns(f.info, e.Orelse)
	if rt.Kind == types.Scalar && len(as) == 0 && len(bs) == 0 && !na && !nb {
		d := rt.DType
		return &val{t: rt, s: &ir.Select{Cond: truth(c.s), X: conv(a.s, d), Y: conv(b.s, d), T: types.ScalarOf(d)}}
	}
	dst := f.newLocal("ifexp", rt)
	if !na {
		as = append(as, f.sub(func() { f.assignTo(dst, a, e.P) })...)
	}
	if !nb {
		bs = append(bs, f.sub(func() { f.assignTo(dst, b, e.P) })...)
	}
	f.emit(&ir.If{Cond: truth(c.s), Then: as, Else: bs})
	return dst
}

func (f *fn) attribute(e *pyast.Attribute, rt *types.Type) *val {
	if sel := f.maskedSel(e.Value); sel != nil && e.Attr == "size" {
		return f.maskedReduce(sel, "len", rt) // mask_reduce.go: no selection
	}
	v := f.expr(e.Value)
	if v.t == types.FlagsType {
		return f.flagsAttr(e, v.arr, rt)
	}
	if v.t.IsObject() {
		if vn, ok := types.AttrVersion(f.spec, e, v.t); ok {
			c := *f.vars[vn] // a version of the attribute: a local (resolve/versions.go)
			c.cell = nil
			return &c
		}
		return f.objectField(v, e.Attr, rt)
	}
	if v.t.Kind == types.Scalar && (e.Attr == "real" || e.Attr == "imag") {
		return f.scalarPart(v, e.Attr, rt)
	}
	if v.t.Kind != types.Array {
		return &val{t: rt}
	}
	if out, ok := f.arrayAttr(e, v, rt); ok {
		return out
	}
	shape := v.asLazy().shape
	switch e.Attr {
	case "shape":
		out := &val{t: rt}
		for _, s := range shape {
			out.elems = append(out.elems, &val{t: types.Int, s: s})
		}
		return out
	case "ndim":
		return &val{t: rt, s: ir.IntConst(int64(len(shape)))}
	case "size":
		return &val{t: rt, s: product(shape)}
	}
	return &val{t: rt}
}

func product(shape []ir.Expr) ir.Expr {
	var p ir.Expr = ir.IntConst(1)
	for i, s := range shape {
		if i == 0 {
			p = s
			continue
		}
		p = &ir.Bin{Op: ir.Mul, X: p, Y: s, T: types.ScalarOf(types.Int64)}
	}
	return p
}

// ---- indexing ----

// nonnegIndex reports an index expression that cannot be negative: a
// non-negative constant, a loop variable counting up from zero, or sums
// and products of those. Such an index needs no wrap-around.
func (f *fn) nonnegIndex(e pyast.Expr) bool {
	switch e := e.(type) {
	case *pyast.Name:
		_, ok := f.nonneg[e.ID]
		return ok
	case *pyast.Constant:
		return e.Kind == pyast.ConstInt && e.Int.Sign() >= 0 && e.Int.IsInt64()
	case *pyast.BinOp:
		if e.Op == "Sub" {
			name, ok1 := e.Left.(*pyast.Name)
			k, ok2 := e.Right.(*pyast.Constant)
			if !ok1 || !ok2 || k.Kind != pyast.ConstInt || !k.Int.IsInt64() {
				return false
			}
			_, loop := f.nonneg[name.ID]
			return loop && k.Int.Int64() <= f.loopStart[name.ID]
		}
		return (e.Op == "Add" || e.Op == "Mult") && f.nonnegIndex(e.Left) && f.nonnegIndex(e.Right)
	}
	return false
}

// index normalizes one index for an axis of extent n: negative indices
// count from the end, and the result is checked to lie in [0, n).
func (f *fn) index(ix pyast.Expr, n ir.Expr, axis int, arr *ir.Var) ir.Expr {
	v := f.expr(ix)
	i := conv(v.s, types.Int64)
	bound := ""
	if name, ok := ix.(*pyast.Name); ok {
		bound = f.nonneg[name.ID]
	}
	known := f.nonnegIndex(ix)
	if !known {
		i = f.stableExpr(i)
		i = f.stableExpr(&ir.Select{Cond: &ir.Bin{Op: ir.Lt, X: i, Y: ir.IntConst(0), T: types.BoolT},
			X: &ir.Bin{Op: ir.Add, X: i, Y: n, T: types.ScalarOf(types.Int64)}, Y: i, T: types.ScalarOf(types.Int64)})
	}
	if !f.l.opts.BoundsCheck {
		return i
	}
	if bound != "" && bound == ir.ExprString(n) && f.paramNeverRebound(arr) {
		return i // a loop index below this very extent
	}
	orig := conv(v.s, types.Int64)
	// One unsigned comparison checks both ends: a negative index (after
	// wrap-around, or from an overflowing sum) compares as huge.
	u64 := types.ScalarOf(types.Uint64)
	cond := &ir.Bin{Op: ir.Lt, X: &ir.Cast{X: i, T: u64}, Y: &ir.Cast{X: n, T: u64}, T: types.BoolT}
	f.emit(&ir.Check{Cond: cond, Err: ir.ErrIndex,
		Msg:  fmt.Sprintf("index {0} is out of bounds for axis %d with size {1}", axis),
		Args: []ir.Expr{orig, n}})
	return i
}

// paramNeverRebound reports that an array variable keeps its extents over
// the function: a parameter that no statement rebinds.
func (f *fn) paramNeverRebound(v *ir.Var) bool {
	if v.Param < 0 {
		return false
	}
	for name, val := range f.vars {
		if val.arr == v {
			return f.assigned[name] == 0
		}
	}
	return false
}

func indexItems(ix pyast.Expr) []pyast.Expr {
	if t, ok := ix.(*pyast.Tuple); ok {
		return t.Elts
	}
	return []pyast.Expr{ix}
}

// subscript lowers x[...] to an element (all axes indexed by integers) or
// a view.
func (f *fn) subscript(e *pyast.Subscript, rt *types.Type) *val {
	if f.fullSel[e] {
		return f.fullSelection(e) // mask_update.go
	}
	if vt := f.typeOf(e.Value); vt.Kind == types.Builtin && (vt.Name == "numpy.mgrid" || vt.Name == "numpy.ogrid") {
		return f.grid(e, vt.Name == "numpy.ogrid", rt) // numpy_stats.go
	}
	base := f.expr(e.Value)
	if base.t.Kind == types.Tuple {
		k, ok := types.ConstIndex(e.Index)
		if !ok {
			return f.tupleItem(base, e.Index, rt)
		}
		if k < 0 {
			k += int64(len(base.elems))
		}
		return base.elems[k]
	}
	if types.IsMultiIndex(f.info, e) {
		return f.multiIndexRead(e, base, rt) // index_multi.go
	}
	if kind := types.IndexArrayKind(f.info, e); kind != "" {
		return f.indexArrayRead(e, base, kind, rt)
	}
	arr := f.materialize(base)
	items := f.expandItems(indexItems(e.Index), arr.Type.NDim)
	if rt.Kind == types.Scalar {
		idx := make([]ir.Expr, len(items))
		for i, it := range items {
			idx[i] = f.index(it, &ir.Dim{Arr: arr, Axis: i}, i, arr)
		}
		return &val{t: rt, s: &ir.Load{Arr: arr, Idx: idx}}
	}
	return &val{t: rt, arr: f.view(arr, items, rt)}
}

// tupleItem is t[i] for a tuple of numbers of one type and an index known
// only when the program runs (types.tupleItem): a chain of selects on the
// checked index.
func (f *fn) tupleItem(t *val, index pyast.Expr, rt *types.Type) *val {
	n := len(t.elems)
	idx := f.seqIndex(ir.IntConst(int64(n)), f.expr(index).s, "tuple index out of range")
	d := rt.DType
	out := conv(t.elems[n-1].s, d)
	for k := n - 2; k >= 0; k-- {
		out = &ir.Select{Cond: cmpE(ir.Eq, idx, ir.IntConst(int64(k))), X: conv(t.elems[k].s, d), Y: out, T: types.ScalarOf(d)}
	}
	return &val{t: rt, s: out}
}

// view makes a view variable of arr for index items (integers and slices).
func (f *fn) view(arr *ir.Var, items []pyast.Expr, rt *types.Type) *ir.Var {
	i64 := types.ScalarOf(types.Int64)
	var offset ir.Expr = ir.IntConst(0)
	var shape, strides []ir.Expr
	addOff := func(x ir.Expr) {
		if c, ok := offset.(*ir.Const); ok && c.I == 0 {
			offset = x
			return
		}
		offset = &ir.Bin{Op: ir.Add, X: offset, Y: x, T: i64}
	}
	axis := 0
	for _, it := range items {
		if types.IsNewaxisItem(f.info, it) {
			shape = append(shape, ir.IntConst(1))
			strides = append(strides, ir.IntConst(0))
			continue
		}
		n := &ir.Dim{Arr: arr, Axis: axis}
		st := &ir.Stride{Arr: arr, Axis: axis}
		if s, ok := it.(*pyast.Slice); ok {
			start, length, step := f.slice(s, n)
			if c, ok := start.(*ir.Const); !ok || c.I != 0 {
				addOff(&ir.Bin{Op: ir.Mul, X: start, Y: st, T: i64})
			}
			shape = append(shape, length)
			if c, ok := step.(*ir.Const); ok && c.I == 1 {
				strides = append(strides, st)
			} else {
				strides = append(strides, &ir.Bin{Op: ir.Mul, X: step, Y: st, T: i64})
			}
		} else {
			i := f.index(it, n, axis, arr)
			addOff(&ir.Bin{Op: ir.Mul, X: i, Y: st, T: i64})
		}
		axis++
	}
	for ; axis < arr.Type.NDim; axis++ {
		shape = append(shape, &ir.Dim{Arr: arr, Axis: axis})
		strides = append(strides, &ir.Stride{Arr: arr, Axis: axis})
	}
	v := f.temp(rt)
	f.bind(v, arr)
	f.noteView(v, arr, items)
	f.emit(&ir.SetArray{Dst: v, Src: &ir.View{Base: arr, Offset: offset, Shape: shape, Strides: strides}})
	f.noteShape(v, shape)
	return v
}

// slice computes a slice's first index, length and step for an axis of
// extent n, with Python's clamping rules (slice.indices).
func (f *fn) slice(s *pyast.Slice, n ir.Expr) (start, length, step ir.Expr) {
	i64 := types.ScalarOf(types.Int64)
	bin := func(op ir.Op, x, y ir.Expr) ir.Expr { return &ir.Bin{Op: op, X: x, Y: y, T: i64} }
	cmp := func(op ir.Op, x, y ir.Expr) ir.Expr { return &ir.Bin{Op: op, X: x, Y: y, T: types.BoolT} }
	sel := func(c, x, y ir.Expr) ir.Expr { return &ir.Select{Cond: c, X: x, Y: y, T: i64} }
	opt := func(x pyast.Expr) ir.Expr {
		if x == nil {
			return nil
		}
		if c, ok := x.(*pyast.Constant); ok && c.Kind == pyast.ConstNone {
			return nil
		}
		return f.stableExpr(conv(f.expr(x).s, types.Int64))
	}
	lo, hi, st := opt(s.Lower), opt(s.Upper), opt(s.Step)
	sign := 1
	if st == nil {
		st = ir.IntConst(1)
	} else if c, ok := st.(*ir.Const); ok {
		if c.I == 0 {
			f.emit(&ir.Check{Cond: ir.BoolConst(false), Err: ir.ErrValue, Msg: "slice step cannot be zero"})
		} else if c.I < 0 {
			sign = -1
		}
	} else {
		sign = 0
		f.emit(&ir.Check{Cond: cmp(ir.Ne, st, ir.IntConst(0)), Err: ir.ErrValue, Msg: "slice step cannot be zero"})
	}
	// clamp maps a user index into [lower, upper] after adding n to negatives.
	clamp := func(x ir.Expr, lower, upper ir.Expr) ir.Expr {
		if c, ok := x.(*ir.Const); ok && c.I >= 0 {
			return f.stableExpr(&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{x, upper}, T: i64})
		}
		return f.stableExpr(sel(cmp(ir.Lt, x, ir.IntConst(0)),
			&ir.Intrinsic{Fn: ir.FnMax, Args: []ir.Expr{bin(ir.Add, x, n), lower}, T: i64},
			&ir.Intrinsic{Fn: ir.FnMin, Args: []ir.Expr{x, upper}, T: i64}))
	}
	nm1 := bin(ir.Sub, n, ir.IntConst(1))
	forward := func() (ir.Expr, ir.Expr) {
		a, b := ir.Expr(ir.IntConst(0)), ir.Expr(n)
		if lo != nil {
			a = clamp(lo, ir.IntConst(0), n)
		}
		if hi != nil {
			b = clamp(hi, ir.IntConst(0), n)
		}
		var ln ir.Expr
		if c, ok := st.(*ir.Const); ok && c.I == 1 {
			ln = bin(ir.Sub, b, a)
		} else {
			ln = bin(ir.Div, bin(ir.Add, bin(ir.Sub, b, a), bin(ir.Sub, st, ir.IntConst(1))), st)
		}
		return a, sel(cmp(ir.Gt, b, a), ln, ir.IntConst(0))
	}
	backward := func() (ir.Expr, ir.Expr) {
		a, b := nm1, ir.Expr(ir.IntConst(-1))
		if lo != nil {
			a = clamp(lo, ir.IntConst(-1), nm1)
		}
		if hi != nil {
			b = clamp(hi, ir.IntConst(-1), nm1)
		}
		ln := bin(ir.Div, bin(ir.Sub, bin(ir.Sub, bin(ir.Sub, a, b), st), ir.IntConst(1)), bin(ir.Sub, ir.IntConst(0), st))
		return a, sel(cmp(ir.Gt, a, b), ln, ir.IntConst(0))
	}
	switch sign {
	case 1:
		start, length = forward()
	case -1:
		start, length = backward()
	default:
		fa, fl := forward()
		ba, bl := backward()
		pos := cmp(ir.Gt, st, ir.IntConst(0))
		start, length = sel(pos, fa, ba), sel(pos, fl, bl)
	}
	return f.stableExpr(start), f.stableExpr(length), st
}
