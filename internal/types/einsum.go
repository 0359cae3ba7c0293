package types

import (
	"fmt"
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
)

// np.einsum with a constant subscripts string and one to three operands.
// The string is parsed when compiling (ParseEinsum), with NumPy's
// ValueErrors for a bad one. The result's dtype is the operands' common
// dtype, which NumPy also sums in (no widening of small integers, unlike
// np.sum). A matrix or vector product of two float arrays ("ij,jk->ik",
// "ij,j->i", "i,i") is np.dot's, through BLAS (recorded as the call's
// alias); every other form is one loop nest over the labels
// (lower/einsum.go). Ellipses ("...") are not supported.

// Einsum is a parsed subscripts string: the labels of each operand's axes
// and of the output's.
type Einsum struct {
	In  []string
	Out string
	// Sum lists the labels summed over (in no output), in order of first
	// appearance.
	Sum string
}

// ParseEinsum parses subs for n operands; the error is NumPy's message.
func ParseEinsum(subs string, n int) (*Einsum, string) {
	subs = strings.ReplaceAll(subs, " ", "")
	if strings.Contains(subs, ".") {
		return nil, "ellipsis"
	}
	lhs, out, explicit := strings.Cut(subs, "->")
	ins := strings.Split(lhs, ",")
	if len(ins) > n {
		return nil, "fewer operands provided to einstein sum function than specified in the subscripts string"
	}
	if len(ins) < n {
		return nil, "more operands provided to einstein sum function than specified in the subscripts string"
	}
	count := map[byte]int{}
	var order []byte
	for _, s := range append(append([]string(nil), ins...), out) {
		for i := 0; i < len(s); i++ {
			if ch := s[i]; !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') {
				return nil, fmt.Sprintf("invalid subscript '%c' in einstein sum subscripts string, subscripts must be letters", ch)
			}
		}
	}
	for _, s := range ins {
		for i := 0; i < len(s); i++ {
			if count[s[i]] == 0 {
				order = append(order, s[i])
			}
			count[s[i]]++
		}
	}
	if !explicit {
		// The labels that appear once, in alphabetical order.
		var b []byte
		for ch := byte('A'); ch <= 'z'; ch++ {
			if count[ch] == 1 {
				b = append(b, ch)
			}
		}
		out = string(b)
	}
	seen := map[byte]bool{}
	for i := 0; i < len(out); i++ {
		ch := out[i]
		if seen[ch] {
			return nil, fmt.Sprintf("einstein sum subscripts string includes output subscript '%c' multiple times", ch)
		}
		seen[ch] = true
		if count[ch] == 0 {
			return nil, fmt.Sprintf("einstein sum subscripts string included output subscript '%c' which never appeared in an input", ch)
		}
	}
	var sum []byte
	for _, ch := range order {
		if !seen[ch] {
			sum = append(sum, ch)
		}
	}
	return &Einsum{In: ins, Out: out, Sum: string(sum)}, ""
}

// EinsumSubscripts is the constant subscripts string of an np.einsum call.
func EinsumSubscripts(e *pyast.Call) (string, bool) {
	if len(e.Args) == 0 {
		return "", false
	}
	k, ok := e.Args[0].(*pyast.Constant)
	if !ok || k.Kind != pyast.ConstStr {
		return "", false
	}
	return k.Str, true
}

// blasEinsum lists the forms that are np.dot's.
var blasEinsum = map[string]bool{"ij,jk->ik": true, "ij,j->i": true, "i,i->": true, "i,ij->j": true}

// einsum types np.einsum(subscripts, *operands).
func (c *checker) einsum(e *pyast.Call) *Type {
	for _, a := range e.Args[min(1, len(e.Args)):] {
		c.expr(a)
	}
	if len(e.Keywords) > 0 {
		c.errorf(e.P, diag.Unsupported, "np.einsum() keyword arguments are not supported")
		return UnknownT
	}
	subs, ok := EinsumSubscripts(e)
	if !ok {
		c.errorf(e.P, diag.Unsupported, "np.einsum is supported with a constant subscripts string").
			WithHint(`write the subscripts in the call: np.einsum("ij,jk->ik", a, b)`)
		return UnknownT
	}
	ops := e.Args[1:]
	if len(ops) == 0 || len(ops) > 3 {
		c.errorf(e.P, diag.Unsupported, "np.einsum is supported with one to three operands, not %d", len(ops))
		return UnknownT
	}
	p, msg := ParseEinsum(subs, len(ops))
	if msg == "ellipsis" {
		c.errorf(e.Args[0].Position(), diag.Unsupported, "np.einsum with an ellipsis ('...') is not supported").
			WithHint("name every axis with a letter")
		return UnknownT
	}
	if p == nil {
		c.errorf(e.Args[0].Position(), diag.Value, "%s", msg)
		return UnknownT
	}
	ts := make([]*Type, len(ops))
	for i, x := range ops {
		t := c.info().Types[x]
		if t.IsUnknown() {
			return UnknownT
		}
		if t.Kind != Array || !t.IsNumeric() {
			c.errorf(x.Position(), diag.Unsupported, "np.einsum operands must be arrays, not %s", t)
			return UnknownT
		}
		if len(p.In[i]) > t.NDim {
			c.errorf(e.Args[0].Position(), diag.Value, "einstein sum subscripts string contains too many subscripts for operand %d", i)
			return UnknownT
		}
		if len(p.In[i]) < t.NDim {
			c.errorf(e.Args[0].Position(), diag.Value, "operand has more dimensions than subscripts given in einstein sum, "+
				"but no '...' ellipsis provided to broadcast the extra dimensions.")
			return UnknownT
		}
		ts[i] = t
	}
	d := PromoteAll(ts...)
	canon := strings.Join(p.In, ",") + "->" + p.Out
	if fn, ok := e.Func.(*pyast.Attribute); ok && blasEinsum[canon] && len(ops) == 2 &&
		ts[0].DType == ts[1].DType && (d == Float64 || d == Float32) {
		dot := &pyast.Attribute{Value: fn.Value, Attr: "dot"}
		dot.P = fn.P
		call := &pyast.Call{Func: dot, Args: ops}
		call.P = e.P
		c.info().Alias[e] = call
		return c.expr(call)
	}
	if len(p.Out) == 0 {
		return ScalarOf(d)
	}
	if len(p.Out) > 8 {
		c.errorf(e.P, diag.Unsupported, "arrays of more than 8 dimensions are not supported")
		return UnknownT
	}
	return ArrayOf(d, len(p.Out), 'C')
}

// batchedMatmul types a @ b (or np.matmul(a, b)) where an operand has
// three or more axes, NumPy's stack of matrix products with broadcast
// batch axes, as the einsum that computes it: "Bij,Bjk->Bik" with the batch
// labels aligned at the right, a 1-D operand's axis summed as matmul does.
// ok is false for the other ranks (dotType's).
func (c *checker) batchedMatmul(e pyast.Expr, x, y pyast.Expr) (*Type, bool) {
	a, b := c.expr(x), c.expr(y)
	if a.Kind != Array || b.Kind != Array || a.NDim == 0 || b.NDim == 0 || a.NDim <= 2 && b.NDim <= 2 {
		return nil, false
	}
	r := max(a.NDim, b.NDim) - 2
	batch := "ABCDEFGH"[:r]
	sa, sb, out := "j", "j", batch
	if a.NDim > 1 {
		sa = batch[r-(a.NDim-2):] + "ij"
		out += "i"
	}
	if b.NDim > 1 {
		sb = batch[r-(b.NDim-2):] + "jk"
		out += "k"
	}
	subs := &pyast.Constant{Kind: pyast.ConstStr, Str: sa + "," + sb + "->" + out}
	subs.P = e.Position()
	// The synthesized call names numpy by a name no Python code can write.
	const npName = " numpy"
	if c.spec.Func.Globals == nil {
		c.spec.Func.Globals = map[string]*resolve.Global{}
	}
	if _, ok := c.spec.Func.Globals[npName]; !ok {
		c.spec.Func.Globals[npName] = &resolve.Global{Kind: "module", Name: "numpy"}
	}
	np := &pyast.Name{ID: npName}
	np.P = e.Position()
	fn := &pyast.Attribute{Value: np, Attr: "einsum"}
	fn.P = e.Position()
	call := &pyast.Call{Func: fn, Args: []pyast.Expr{subs, x, y}}
	call.P = e.Position()
	c.info().Alias[e] = call
	return c.expr(call), true
}
