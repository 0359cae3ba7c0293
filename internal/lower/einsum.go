package lower

// np.einsum (typed by types/einsum.go) outside the forms that are np.dot's:
// one loop nest per output element over the summed labels. Each label's
// extent is the operands' broadcast (an extent of 1 stretches, as in
// NumPy; ValueError otherwise), and an operand reads index 0 on an axis of
// extent 1. The sum is in the result's dtype, as NumPy's (booleans in
// int64, then nonzero: NumPy's or of ands).

import (
	"fmt"

	"sejit/internal/ir"
	"sejit/internal/pyast"
	"sejit/internal/types"
)

func (f *fn) einsum(e *pyast.Call, rt *types.Type) *val {
	subs, _ := types.EinsumSubscripts(e)
	ops := make([]*ir.Var, len(e.Args)-1)
	for i, a := range e.Args[1:] {
		ops[i] = f.materialize(f.expr(a))
	}
	p, _ := types.ParseEinsum(subs, len(ops))
	d := rt.DType
	acc := d
	if d == types.Bool {
		acc = types.Int64
	}
	// Each label's extent, and per operand axis whether its extent is 1.
	ext := map[byte]ir.Expr{}
	ones := make([][]ir.Expr, len(ops))
	for _, ch := range []byte(p.Out + p.Sum) {
		x := f.scalarVar(types.Int64, ir.IntConst(1))
		for i, s := range p.In {
			for ax := 0; ax < len(s); ax++ {
				if s[ax] != ch {
					continue
				}
				dim := f.once(&ir.Dim{Arr: ops[i], Axis: ax})
				ok := bin(ir.Or, bin(ir.Eq, dim, ref(x), types.Int64),
					bin(ir.Or, bin(ir.Eq, dim, ir.IntConst(1), types.Int64), bin(ir.Eq, ref(x), ir.IntConst(1), types.Int64), types.Bool),
					types.Bool)
				f.emit(&ir.Check{Cond: ok, Err: ir.ErrValue, Msg: fmt.Sprintf("operands could not be broadcast together "+
					"with remapped shapes: subscript '%c' has extents {0} and {1}", ch), Args: []ir.Expr{ref(x), dim}})
				f.emit(&ir.Assign{Dst: x, Src: &ir.Select{Cond: bin(ir.Eq, dim, ir.IntConst(1), types.Int64), X: ref(x), Y: dim, T: i64T}})
			}
		}
		ext[ch] = ref(x)
	}
	for i, s := range p.In {
		ones[i] = make([]ir.Expr, len(s))
		for ax := range ones[i] {
			ones[i][ax] = f.stableExpr(bin(ir.Eq, &ir.Dim{Arr: ops[i], Axis: ax}, ir.IntConst(1), types.Int64))
		}
	}
	bounds := func(labels string) []ir.Expr {
		out := make([]ir.Expr, len(labels))
		for k := range out {
			out[k] = ext[labels[k]]
		}
		return out
	}
	// product multiplies the operands' elements at the labels' indices.
	product := func(at map[byte]ir.Expr) ir.Expr {
		var prod ir.Expr
		for i, s := range p.In {
			idx := make([]ir.Expr, len(s))
			for ax := range idx {
				idx[ax] = &ir.Select{Cond: ones[i][ax], X: ir.IntConst(0), Y: at[s[ax]], T: i64T}
			}
			x := conv(&ir.Load{Arr: ops[i], Idx: idx}, acc)
			if prod == nil {
				prod = x
			} else {
				prod = scalarBin("Mult", prod, x, acc)
			}
		}
		return prod
	}
	// sum accumulates the product of the operands over the summed labels,
	// the output labels at oidx.
	sum := func(oidx []ir.Expr) *ir.Var {
		a := f.scalarVar(acc, zeroOf(acc))
		f.forLoops(bounds(p.Sum), func(sidx []ir.Expr) {
			at := map[byte]ir.Expr{}
			for k := range p.Out {
				at[p.Out[k]] = oidx[k]
			}
			for k := range p.Sum {
				at[p.Sum[k]] = sidx[k]
			}
			f.emit(&ir.Assign{Dst: a, Src: scalarBin("Add", ref(a), product(at), acc)})
		})
		return a
	}
	if len(p.Out) == 0 {
		return &val{t: rt, s: f.stableExpr(conv(ref(sum(nil)), d))}
	}
	shape := bounds(p.Out)
	out := f.temp(rt)
	f.emit(&ir.SetArray{Dst: out, Src: &ir.Alloc{DType: d, Shape: shape}})
	if acc == d {
		loops := func() {
			// One nest over every label in the order the operands first name
			// them, adding into the zeroed output: the first operand is read
			// along its own axes ("ij->j" sums rows into the output, "Bij,
			// Bjk->Bik" runs k innermost), and each output element still adds
			// its terms in the order of the summed labels.
			f.forLoops(shape, func(oidx []ir.Expr) {
				f.emit(&ir.Store{Arr: out, Idx: oidx, Src: zeroOf(d)})
			})
			var all []byte
			seen := map[byte]bool{}
			for _, in := range p.In {
				for k := 0; k < len(in); k++ {
					if !seen[in[k]] {
						seen[in[k]] = true
						all = append(all, in[k])
					}
				}
			}
			f.forLoops(bounds(string(all)), func(idx []ir.Expr) {
				at := map[byte]ir.Expr{}
				for k := range all {
					at[all[k]] = idx[k]
				}
				oidx := make([]ir.Expr, len(p.Out))
				for k := range oidx {
					oidx[k] = at[p.Out[k]]
				}
				old := &ir.Load{Arr: out, Idx: oidx}
				f.emit(&ir.Store{Arr: out, Idx: oidx, Src: scalarBin("Add", old, product(at), d)})
			})
		}
		// A stack of products by one matrix is one BLAS call (blas.go).
		if cond := f.stackGemm(p, ops, out, d); cond != nil {
			f.emit(&ir.If{Cond: cond, Then: f.sub(loops)})
		} else {
			loops()
		}
		return &val{t: rt, arr: out}
	}
	f.forLoops(shape, func(oidx []ir.Expr) {
		f.emit(&ir.Store{Arr: out, Idx: oidx, Src: conv(ref(sum(oidx)), d)})
	})
	return &val{t: rt, arr: out}
}
