package lower

// Reductions of a boolean-mask selection without the selection (issue 15):
// x[mask].sum(), .mean(), .max(), .min(), their np.<name>(x[mask]) forms,
// len(x[mask]) and x[mask].size are one pass over the mask and x that tests
// the mask per element, instead of counting, allocating the selection,
// compacting it and reducing it.
//
// A float sum gives the unfused result bit for bit: the selected values go
// through a buffer of eight, and each full buffer is added into eight
// accumulators, which is the order of reduce's blocked sum of the compacted
// selection (eight lanes, combined as a tree, then the tail of fewer than
// eight added in order). Integer sums are exact in any order and add
// mask ? x : 0.

import (
	"math"
	"strings"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

// maskedSel is e when it is x[mask] with a boolean mask of x's rank.
func (f *fn) maskedSel(e pyast.Expr) *pyast.Subscript {
	s, ok := e.(*pyast.Subscript)
	if !ok || types.IndexArrayKind(f.info, s) != "mask" {
		return nil
	}
	if t := f.typeOf(s.Value); t == nil || t.Kind != types.Array {
		return nil
	}
	return s
}

// maskedCall lowers a reduction or len of a mask selection in one pass; ok
// is false for every other call (nothing is emitted then).
func (f *fn) maskedCall(e *pyast.Call, ft *types.Type, rt *types.Type) (*val, bool) {
	if ft.Kind != types.Builtin || len(e.Keywords) != 0 || rt.Kind != types.Scalar {
		return nil, false
	}
	var sel *pyast.Subscript
	var name string
	if m, ok := strings.CutPrefix(ft.Name, "method."); ok {
		at, isAttr := e.Func.(*pyast.Attribute)
		if !isAttr || len(e.Args) != 0 {
			return nil, false
		}
		sel, name = f.maskedSel(at.Value), m
	} else if m, ok := strings.CutPrefix(ft.Name, "numpy."); ok {
		if len(e.Args) != 1 || types.ReduceOf(f.info, e) != nil {
			return nil, false
		}
		sel, name = f.maskedSel(e.Args[0]), strings.TrimPrefix(m, "a") // amax, amin
	} else if ft.Name == "builtins.len" && len(e.Args) == 1 {
		sel, name = f.maskedSel(e.Args[0]), "len"
	}
	if sel == nil {
		return nil, false
	}
	switch name {
	case "len":
	case "sum", "mean", "max", "min":
		d := f.typeOf(sel.Value).DType
		if d.IsComplex() || rt.DType.IsComplex() {
			return nil, false
		}
	default:
		return nil, false
	}
	return f.maskedReduce(sel, name, rt), true
}

// maskedReduce lowers name ("len", "sum", "mean", "max", "min") of the
// selection sel.
func (f *fn) maskedReduce(sel *pyast.Subscript, name string, rt *types.Type) *val {
	arr := f.materialize(f.expr(sel.Value))
	mlz, shape := f.maskOf(sel.Index, arr)
	if name == "len" {
		return &val{t: rt, s: conv(ref(f.maskCount(mlz, shape)), rt.DType)}
	}
	d := rt.DType
	acc := d
	if d == types.Float32 && name != "max" && name != "min" {
		acc = types.Float64
	}
	accT := types.ScalarOf(acc)
	load := func(idx []ir.Expr) ir.Expr { return conv(&ir.Load{Arr: arr, Idx: idx}, acc) }
	one := func(idx []ir.Expr) *ir.Var {
		return f.scalarVar(types.Int64, conv(truth(mlz.gen(idx)), types.Int64))
	}
	if name == "max" || name == "min" {
		// An unselected element reads as the identity (-inf for max, the
		// dtype's least integer...), so the nest is reduce's min/max nest,
		// which cgen vectorises; the count is a second pass over the mask.
		long, op := "minimum", ir.Lt
		if name == "max" {
			long, op = "maximum", ir.Gt
		}
		ident := extremeOf(acc, name == "min")
		n := f.maskCount(mlz, shape)
		f.emit(&ir.Check{Cond: bin(ir.Gt, ref(n), ir.IntConst(0), types.Int64), Err: ir.ErrValue,
			Msg: "zero-size array to reduction operation " + long + " which has no identity"})
		a := f.scalarVar(acc, ident)
		x := f.temp(accT)
		vs, idx := f.idxVars(len(shape))
		var better ir.Expr = &ir.Bin{Op: op, X: ref(x), Y: ref(a), T: types.BoolT}
		if acc.IsFloat() {
			better = bin(ir.Or, better, isNaN(ref(x)), types.Bool)
		}
		f.emit(&ir.Nest{Vars: vs, Bounds: shape, Body: []ir.Stmt{
			&ir.Assign{Dst: x, Src: &ir.Select{Cond: truth(mlz.gen(idx)), X: load(idx), Y: ident, T: accT}},
			&ir.Assign{Dst: a, Src: &ir.Select{Cond: better, X: ref(x), Y: ref(a), T: accT}},
		}})
		return &val{t: rt, s: conv(ref(a), d)}
	}
	cnt := f.scalarVar(types.Int64, ir.IntConst(0))
	s := f.scalarVar(acc, zeroOf(acc))
	if !acc.IsFloat() {
		f.forLoops(shape, func(idx []ir.Expr) {
			m := one(idx)
			f.emit(&ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), &ir.Select{
				Cond: bin(ir.Ne, ref(m), ir.IntConst(0), types.Int64), X: load(idx), Y: zeroOf(acc), T: accT}, acc)})
			f.emit(&ir.Assign{Dst: cnt, Src: bin(ir.Add, ref(cnt), ref(m), types.Int64)})
		})
	} else {
		buf := f.temp(types.ArrayOf(acc, 1, 'C'))
		f.emit(&ir.SetArray{Dst: buf, Src: &ir.Alloc{DType: acc, Shape: []ir.Expr{ir.IntConst(8)}}})
		k := f.scalarVar(types.Int64, ir.IntConst(0))
		var lanes [8]*ir.Var
		for j := range lanes {
			lanes[j] = f.scalarVar(acc, zeroOf(acc))
		}
		f.maskedLoops(shape, mlz, func(idx []ir.Expr) {
			m := one(idx)
			// Written whether selected or not: k only moves on when it is.
			f.emit(&ir.Store{Arr: buf, Idx: []ir.Expr{ref(k)}, Src: load(idx)})
			f.emit(&ir.Assign{Dst: k, Src: bin(ir.Add, ref(k), ref(m), types.Int64)})
			f.emit(&ir.Assign{Dst: cnt, Src: bin(ir.Add, ref(cnt), ref(m), types.Int64)})
			flush := make([]ir.Stmt, 0, 9)
			for j, l := range lanes {
				flush = append(flush, &ir.Assign{Dst: l, Src: bin(ir.Add, ref(l),
					&ir.Load{Arr: buf, Idx: []ir.Expr{ir.IntConst(int64(j))}}, acc)})
			}
			flush = append(flush, &ir.Assign{Dst: k, Src: ir.IntConst(0)})
			f.emit(&ir.If{Cond: bin(ir.Eq, ref(k), ir.IntConst(8), types.Int64), Then: flush})
		})
		l := func(j int) ir.Expr { return ref(lanes[j]) }
		tree := bin(ir.Add, bin(ir.Add, bin(ir.Add, l(0), l(1), acc), bin(ir.Add, l(2), l(3), acc), acc),
			bin(ir.Add, bin(ir.Add, l(4), l(5), acc), bin(ir.Add, l(6), l(7), acc), acc), acc)
		f.emit(&ir.If{Cond: bin(ir.Ge, ref(cnt), ir.IntConst(8), types.Int64), Then: []ir.Stmt{
			&ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), tree, acc)}}})
		f.forLoops([]ir.Expr{ref(k)}, func(idx []ir.Expr) {
			f.emit(&ir.Assign{Dst: s, Src: bin(ir.Add, ref(s), &ir.Load{Arr: buf, Idx: idx}, acc)})
		})
	}
	if name == "mean" {
		return &val{t: rt, s: conv(bin(ir.Div, ref(s), conv(ref(cnt), acc), acc), d)}
	}
	return &val{t: rt, s: conv(ref(s), d)}
}

// extremeOf is the identity of max (least, false) or min (greatest, true)
// over dtype d: an infinity for floats, the dtype's end for integers.
func extremeOf(d types.DType, greatest bool) *ir.Const {
	c := &ir.Const{Type: types.ScalarOf(d)}
	switch {
	case d == types.Bool:
		if greatest {
			c.I = 1
		}
	case d.IsFloat():
		c.F = math.Inf(-1)
		if greatest {
			c.F = math.Inf(1)
		}
	case d.IsUnsigned():
		if greatest {
			c.U = math.MaxUint64 >> (64 - d.Bits())
		}
	default:
		c.I = math.MinInt64 >> (64 - d.Bits())
		if greatest {
			c.I = math.MaxInt64 >> (64 - d.Bits())
		}
	}
	return c
}

// maskedLoops is forLoops over shape for a body that does nothing where the
// mask is false: the innermost axis goes in steps of eight, and a step runs
// the body for its eight elements only if one of their mask values is true
// (tested without a branch per element), so a sparse mask is skipped about
// as fast as it is read.
func (f *fn) maskedLoops(shape []ir.Expr, mlz *lazyArr, body func(idx []ir.Expr)) {
	n := len(shape)
	if n == 0 { // a 0-d array and mask
		f.forLoops(shape, body)
		return
	}
	f.forLoops(shape[:n-1], func(outer []ir.Expr) {
		at := func(j ir.Expr) []ir.Expr { return append(append([]ir.Expr(nil), outer...), j) }
		last := f.once(shape[n-1])
		nb := f.once(bin(ir.Sub, last, bin(ir.Mod, last, ir.IntConst(8), types.Int64), types.Int64))
		j := &ir.Var{Name: f.unique("r"), Type: i64T, Param: -1}
		f.f.Locals = append(f.f.Locals, j)
		block := f.sub(func() {
			var anyTrue ir.Expr
			for q := int64(0); q < 8; q++ {
				m := conv(truth(mlz.gen(at(bin(ir.Add, ref(j), ir.IntConst(q), types.Int64)))), types.Int64)
				if anyTrue == nil {
					anyTrue = m
				} else {
					anyTrue = bin(ir.BitOr, anyTrue, m, types.Int64)
				}
			}
			q := &ir.Var{Name: f.unique("r"), Type: i64T, Param: -1}
			f.f.Locals = append(f.f.Locals, q)
			inner := f.sub(func() { body(at(bin(ir.Add, ref(j), ref(q), types.Int64))) })
			f.emit(&ir.If{Cond: bin(ir.Ne, anyTrue, ir.IntConst(0), types.Int64), Then: []ir.Stmt{
				&ir.For{Var: q, Start: ir.IntConst(0), Stop: ir.IntConst(8), Step: ir.IntConst(1), Sign: 1, Body: inner}}})
		})
		f.emit(&ir.For{Var: j, Start: ir.IntConst(0), Stop: nb, Step: ir.IntConst(8), Sign: 1, Body: block})
		tail := f.sub(func() { body(at(ref(j))) })
		f.emit(&ir.For{Var: j, Start: nb, Stop: last, Step: ir.IntConst(1), Sign: 1, Body: tail})
	})
}
