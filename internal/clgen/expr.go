package clgen

// OpenCL C for the IR's expressions and operators (ir/op.go). Every
// operator keeps the semantics written there, as cgen's C does: integer
// arithmetic through unsigned casts (wrapping, never OpenCL C's undefined
// signed overflow), floor division and modulo through the prelude's
// helpers (Python's and NumPy's rounding, a zero divisor giving 0),
// shifts past the width defined, and the float-to-int rule of ir.Cast
// (NaN and out-of-range values give INT64_MIN). Complex numbers are
// float2/double2 (x real, y imaginary) on OpenCL, computed in double2 with
// the CPU target's formulas (the prelude's sejit_cmul, sejit_cdiv); on CUDA,
// and for operators and functions not printed yet, an expression of a
// complex dtype is refused with errComplex, an UnsupportedError.

import (
	"fmt"
	"math"
	"strconv"

	"sejit/internal/ir"
	"sejit/internal/types"
)

// unavailable is a construct the device target cannot print; the printer
// records the first one and outlining reports it.
type unavailable struct{ why string }

func (u *unavailable) Error() string { return u.why }

const errComplex = "complex numbers are not available on OpenCL devices yet"

// CLType is the OpenCL C type of a dtype in private memory.
func CLType(d types.DType) string {
	switch d {
	case types.Bool:
		return "bool"
	case types.Int8:
		return "char"
	case types.Int16:
		return "short"
	case types.Int32:
		return "int"
	case types.Int64:
		return "long"
	case types.Uint8:
		return "uchar"
	case types.Uint16:
		return "ushort"
	case types.Uint32:
		return "uint"
	case types.Uint64:
		return "ulong"
	case types.Float32:
		return "float"
	case types.Float64:
		return "double"
	case types.Complex64:
		return "float2"
	case types.Complex128:
		return "double2"
	}
	panic(&unavailable{errComplex})
}

// MemType is the OpenCL C type of a dtype in global memory and in kernel
// arguments: bool is not allowed there, so NumPy's one-byte bool is uchar.
func MemType(d types.DType) string {
	if d == types.Bool {
		return "uchar"
	}
	return CLType(d)
}

// exprPrinter prints expressions; names maps IR names to OpenCL ones
// (array parts are name_d, name_n0, name_s0, as in cgen).
type exprPrinter struct {
	fp64 bool   // set when anything prints as double
	tgt  Target // the dialect: OpenCL C or CUDA C
	// unit holds the arrays whose last axis's stride is known to be 1 in
	// the code being printed (a kernel's unit-stride version).
	unit map[*ir.Var]bool
}

// ty is the type of a dtype in private memory in the printer's dialect.
// CUDA C spells int8 "signed char" (plain char is unsigned on ARM hosts,
// whose data model NVRTC follows); the other OpenCL names (uchar, ulong,
// ...) are typedefs of the CUDA prologue (cudaPrologue).
func (p *exprPrinter) ty(d types.DType) string {
	if p.tgt == CUDA && d.IsComplex() {
		panic(&unavailable{errComplex})
	}
	if p.tgt == CUDA && d == types.Int8 {
		return "signed char"
	}
	return CLType(d)
}

// mem is ty for global memory and kernel arguments (bool is one byte).
func (p *exprPrinter) mem(d types.DType) string {
	if d == types.Bool {
		return "uchar"
	}
	return p.ty(d)
}

// math names a C99 math function for dtype d: OpenCL C's built-ins are
// overloaded on float and double; CUDA's float versions carry C99's f
// suffix (sqrtf), so a float32 program never computes in double.
func (p *exprPrinter) math(name string, d types.DType) string {
	if p.tgt == CUDA && d == types.Float32 {
		return name + "f"
	}
	return name
}

func (p *exprPrinter) note(d types.DType) {
	// Complex numbers compute in double, as on the CPU (float2 is narrowed).
	if d == types.Float64 || d.IsComplex() {
		p.fp64 = true
	}
	if d.IsComplex() && p.tgt == CUDA {
		panic(&unavailable{errComplex})
	}
}

func (p *exprPrinter) offset(a *ir.Var, idx []ir.Expr) string {
	if len(idx) == 0 {
		return "0"
	}
	s := ""
	for k, e := range idx {
		if k > 0 {
			s += " + "
		}
		if k == len(idx)-1 && p.unit[a] {
			s += "(" + p.expr(e) + ")"
			continue
		}
		s += fmt.Sprintf("(%s) * %s_s%d", p.expr(e), a.Name, k)
	}
	return s
}

func (p *exprPrinter) expr(e ir.Expr) string {
	switch e := e.(type) {
	case *ir.Const:
		p.note(e.Type.DType)
		return p.constCL(e)
	case *ir.Ref:
		p.note(e.Var.Type.DType)
		return e.Var.Name
	case *ir.Load:
		d := e.Arr.Type.DType
		p.note(d)
		ld := fmt.Sprintf("%s_d[%s]", e.Arr.Name, p.offset(e.Arr, e.Idx))
		if d == types.Bool {
			return "(" + ld + " != 0)"
		}
		return ld
	case *ir.Dim:
		return fmt.Sprintf("%s_n%d", e.Arr.Name, e.Axis)
	case *ir.Stride:
		if e.Axis == e.Arr.Type.NDim-1 && p.unit[e.Arr] {
			return "1"
		}
		return fmt.Sprintf("%s_s%d", e.Arr.Name, e.Axis)
	case *ir.Bin:
		return p.bin(e)
	case *ir.Unary:
		return p.unary(e)
	case *ir.Cast:
		a := ir.TypeOf(e.X).DType
		p.note(a)
		p.note(e.T.DType)
		return p.castCL(p.expr(e.X), a, e.T.DType)
	case *ir.Select:
		p.note(e.T.DType)
		return fmt.Sprintf("(%s ? %s : %s)", p.expr(e.Cond), p.expr(e.X), p.expr(e.Y))
	case *ir.Intrinsic:
		return p.intrinsic(e)
	case *ir.Overlap:
		panic(&unavailable{"an overlap test of arrays inside a device kernel"})
	case *ir.ArrayRef:
		panic(&unavailable{"a whole array as a value inside a device kernel"})
	}
	panic(fmt.Sprintf("clgen: unknown expression %T", e))
}

func (p *exprPrinter) floatCL(f float64, d types.DType) string {
	t := p.ty(d)
	switch {
	case math.IsInf(f, 1):
		return "((" + t + ")INFINITY)"
	case math.IsInf(f, -1):
		return "(-(" + t + ")INFINITY)"
	case math.IsNaN(f):
		return "((" + t + ")NAN)"
	}
	suffix := ""
	if d == types.Float32 {
		suffix = "f"
	}
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0" + suffix
		}
		return "0.0" + suffix
	}
	if d == types.Float32 {
		// Rounded to float32 first: the literal is then exact.
		return strconv.FormatFloat(float64(float32(f)), 'x', -1, 32) + suffix
	}
	return strconv.FormatFloat(f, 'x', -1, 64)
}

func (p *exprPrinter) constCL(c *ir.Const) string {
	d := c.Type.DType
	switch {
	case d == types.Bool:
		if c.I != 0 {
			return "true"
		}
		return "false"
	case d.IsUnsigned():
		return fmt.Sprintf("((%s)%dUL)", p.ty(d), c.U)
	case d.IsInt():
		if c.I == math.MinInt64 {
			return "LONG_MIN"
		}
		if d == types.Int64 {
			return fmt.Sprintf("%dL", c.I)
		}
		return fmt.Sprintf("((%s)%d)", p.ty(d), c.I)
	case d.IsComplex():
		r := d.RealOf()
		return fmt.Sprintf("((%s)(%s, %s))", p.ty(d), p.floatCL(c.F, r), p.floatCL(c.Im, r))
	}
	return p.floatCL(c.F, d)
}

// wide converts a complex value of dtype d to double2, the type complex
// arithmetic computes in; narrow converts a double2 result back to d.
func wide(x string, d types.DType) string {
	if d == types.Complex64 {
		return "convert_double2(" + x + ")"
	}
	return x
}

func narrow(x string, d types.DType) string {
	if d == types.Complex64 {
		return "convert_float2(" + x + ")"
	}
	return x
}

// complexBin prints an operator on complex operands (OpenCL only).
func (p *exprPrinter) complexBin(e *ir.Bin, x, y string) string {
	xd := ir.TypeOf(e.X).DType
	d := e.T.DType
	switch e.Op {
	case ir.Eq:
		return fmt.Sprintf("((%s).x == (%s).x && (%s).y == (%s).y)", x, y, x, y)
	case ir.Ne:
		return fmt.Sprintf("((%s).x != (%s).x || (%s).y != (%s).y)", x, y, x, y)
	case ir.Add, ir.Sub:
		return narrow(fmt.Sprintf("(%s %s %s)", wide(x, xd), clOp[e.Op], wide(y, xd)), d)
	case ir.Mul:
		return narrow(fmt.Sprintf("sejit_cmul(%s, %s)", wide(x, xd), wide(y, xd)), d)
	case ir.Div:
		return narrow(fmt.Sprintf("sejit_cdiv(%s, %s)", wide(x, xd), wide(y, xd)), d)
	case ir.Pow:
		yd := ir.TypeOf(e.Y).DType
		return narrow(fmt.Sprintf("sejit_cpow(%s, %s)", wide(x, xd), p.castCL(y, yd, types.Complex128)), d)
	}
	panic(&unavailable{fmt.Sprintf("the operator %s of complex numbers is not available on OpenCL devices yet", e.Op)})
}

// castCL converts x from dtype a to dtype b, defined for every value.
func (p *exprPrinter) castCL(x string, a, b types.DType) string {
	if a == b {
		return x
	}
	switch {
	case a.IsComplex() && b.IsComplex():
		return fmt.Sprintf("convert_%s(%s)", p.ty(b), x)
	case b.IsComplex():
		r := b.RealOf()
		return fmt.Sprintf("((%s)(%s, (%s)0))", p.ty(b), p.castCL(x, a, r), p.ty(r))
	case a.IsComplex() && b == types.Bool:
		return fmt.Sprintf("((%s).x != 0 || (%s).y != 0)", x, x)
	case a.IsComplex():
		return p.castCL("("+x+").x", a.RealOf(), b) // the real part, as NumPy's cast
	case b == types.Bool:
		return "((" + x + ") != 0)"
	case a.IsFloat() && b.IsInt():
		f := "sejit_f2i"
		if b.IsUnsigned() {
			f = "sejit_f2u"
		}
		if a == types.Float32 {
			f += "_f32"
		}
		return fmt.Sprintf("((%s)%s(%s))", p.ty(b), f, x)
	}
	return fmt.Sprintf("((%s)(%s))", p.ty(b), x)
}

var clOp = map[ir.Op]string{ir.Add: "+", ir.Sub: "-", ir.Mul: "*", ir.Lt: "<", ir.Le: "<=", ir.Gt: ">", ir.Ge: ">=",
	ir.Eq: "==", ir.Ne: "!=", ir.BitAnd: "&", ir.BitOr: "|", ir.BitXor: "^"}

var helperOp = map[ir.Op]string{ir.FloorDiv: "fdiv", ir.Mod: "mod", ir.Shl: "shl", ir.Shr: "shr"}

// suffix names a dtype in the prelude's helpers (sejit_fdiv_f32).
func suffix(d types.DType) string {
	switch {
	case d == types.Float32:
		return "f32"
	case d == types.Float64:
		return "f64"
	case d.IsUnsigned():
		return "u64"
	}
	return "i64"
}

func (p *exprPrinter) bin(e *ir.Bin) string {
	xd := ir.TypeOf(e.X).DType
	p.note(xd)
	p.note(e.T.DType)
	x, y := p.expr(e.X), p.expr(e.Y)
	d := e.T.DType
	if xd.IsComplex() {
		return p.complexBin(e, x, y)
	}
	switch e.Op {
	case ir.And:
		return fmt.Sprintf("(%s && %s)", x, y)
	case ir.Or:
		return fmt.Sprintf("(%s || %s)", x, y)
	case ir.Lt, ir.Le, ir.Gt, ir.Ge, ir.Eq, ir.Ne:
		return fmt.Sprintf("(%s %s %s)", x, clOp[e.Op], y)
	}
	ct := p.ty(d)
	signed := d.IsInt() && !d.IsUnsigned()
	switch e.Op {
	case ir.Add, ir.Sub, ir.Mul:
		op := clOp[e.Op]
		if signed {
			return fmt.Sprintf("((%s)((ulong)(%s) %s (ulong)(%s)))", ct, x, op, y)
		}
		if d == types.Bool {
			return fmt.Sprintf("((%s) %s (%s))", x, op, y)
		}
		return fmt.Sprintf("((%s)((%s) %s (%s)))", ct, x, op, y)
	case ir.Div:
		return fmt.Sprintf("((%s) / (%s))", x, y)
	case ir.FloorDiv, ir.Mod:
		return fmt.Sprintf("((%s)sejit_%s_%s(%s, %s))", ct, helperOp[e.Op], suffix(d), x, y)
	case ir.Pow:
		if c, ok := e.Y.(*ir.Const); ok && d.IsFloat() {
			switch c.F {
			case 2:
				return fmt.Sprintf("((%s) * (%s))", x, x)
			case 1:
				return x
			case 0.5:
				return fmt.Sprintf("%s(%s)", p.math("sqrt", d), x)
			}
		}
		if d.IsInt() {
			return fmt.Sprintf("((%s)sejit_pow_%s(%s, %s))", ct, suffix(d), x, y)
		}
		return fmt.Sprintf("%s(%s, %s)", p.math("pow", d), x, y)
	case ir.BitAnd, ir.BitOr, ir.BitXor:
		if d == types.Bool {
			return fmt.Sprintf("((bool)((%s) %s (%s)))", x, clOp[e.Op], y)
		}
		return fmt.Sprintf("((%s)((%s) %s (%s)))", ct, x, clOp[e.Op], y)
	case ir.Shl, ir.Shr:
		return fmt.Sprintf("((%s)sejit_%s_%s(%s, %s))", ct, helperOp[e.Op], suffix(d), x, y)
	}
	panic("clgen: unknown binary op " + e.Op.String())
}

func (p *exprPrinter) unary(e *ir.Unary) string {
	xd := ir.TypeOf(e.X).DType
	p.note(xd)
	p.note(e.T.DType)
	x := p.expr(e.X)
	d := e.T.DType
	if xd.IsComplex() && e.Op != ir.Neg && e.Op != ir.Abs {
		panic(&unavailable{fmt.Sprintf("the operator %s of complex numbers is not available on OpenCL devices yet", e.Op)})
	}
	switch e.Op {
	case ir.Not:
		return "(!" + x + ")"
	case ir.Inv:
		if d == types.Bool {
			return "(!" + x + ")"
		}
		return fmt.Sprintf("((%s)~(%s))", p.ty(d), x)
	case ir.Neg:
		if d.IsComplex() {
			return "(-" + x + ")"
		}
		if d.IsInt() {
			return fmt.Sprintf("((%s)(0UL - (ulong)(%s)))", p.ty(d), x)
		}
		return "(-" + x + ")"
	case ir.Abs:
		switch {
		case xd.IsComplex():
			w := wide(x, xd)
			return p.castCL(fmt.Sprintf("hypot((%s).x, (%s).y)", w, w), types.Float64, d)
		case xd.IsFloat():
			return p.math("fabs", xd) + "(" + x + ")"
		case xd.IsUnsigned() || xd == types.Bool:
			return p.castCL(x, xd, d)
		}
		return fmt.Sprintf("((%s)((%s) < 0 ? (0UL - (ulong)(%s)) : (ulong)(%s)))", p.ty(d), x, x, x)
	}
	panic("clgen: unknown unary op " + e.Op.String())
}
