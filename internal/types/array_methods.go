package types

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// ndarray attributes (strides itemsize dtype T real imag flags) and methods
// (copy fill reshape ravel flatten transpose item) beyond the reductions;
// lowered by lower/array_methods.go (library.Method). astype and dot are
// typed elsewhere.

// FlagsType is the type of x.flags; only its attributes can be read.
var FlagsType = &Type{Kind: Builtin, Name: "arrayflags.flags"}

// arrayAttr types the attributes beyond shape, size and ndim; ok is false
// for a name it does not know.
func (c *checker) arrayAttr(e *pyast.Attribute, vt *Type) (*Type, bool) {
	switch e.Attr {
	case "strides":
		elems := make([]*Type, vt.NDim)
		for i := range elems {
			elems[i] = Int
		}
		return TupleOf(elems...), true
	case "itemsize", "nbytes":
		return Int, true
	case "dtype":
		return &Type{Kind: DTypeObj, DType: vt.DType}, true
	case "T":
		if vt.NDim <= 1 {
			return vt, true
		}
		return ArrayOf(vt.DType, vt.NDim, 'A'), true
	case "real", "imag":
		if vt.DType.IsComplex() {
			// A view of every element's real or imaginary part.
			return ArrayOf(vt.DType.RealOf(), vt.NDim, 'A'), true
		}
		return vt, true
	case "flags":
		return FlagsType, true
	}
	return nil, false
}

// flagsAttr types x.flags.name.
func (c *checker) flagsAttr(e *pyast.Attribute) *Type {
	switch e.Attr {
	case "c_contiguous", "f_contiguous", "contiguous", "fortran":
		return BoolT
	}
	c.errorf(e.P, diag.Unsupported, "flags.%s is not supported", e.Attr).
		WithHint("c_contiguous and f_contiguous are")
	return UnknownT
}

// arrayMethod types x.name(args).
func (c *checker) arrayMethod(e *pyast.Call, name string, recv *Type, args []*Type, kw map[string]*Type) *Type {
	full := "ndarray." + name
	if !c.noKeywords(e, full, kw) {
		return UnknownT
	}
	if recv.Kind != Array {
		c.errorf(e.P, diag.Type, "%s() needs an array", full)
		return UnknownT
	}
	switch name {
	case "copy", "flatten", "ravel":
		if len(args) > 0 {
			c.errorf(e.P, diag.Unsupported, "%s() with an order argument is not supported", full)
			return UnknownT
		}
		if name == "copy" {
			return ArrayOf(recv.DType, recv.NDim, 'C')
		}
		return ArrayOf(recv.DType, 1, 'C')
	case "fill":
		if len(args) != 1 || args[0].Kind != Scalar {
			c.errorf(e.P, diag.Type, "%s() takes one number", full)
			return UnknownT
		}
		return NoneT
	case "reshape":
		n := len(args)
		if n == 1 && args[0].Kind == Tuple {
			n = len(args[0].Elems)
			args = args[0].Elems
		}
		if n == 0 {
			c.errorf(e.P, diag.Type, "reshape() takes a shape")
			return UnknownT
		}
		for _, a := range args {
			if a.Kind != Scalar || a.DType.Kind() != KInt {
				c.errorf(e.P, diag.Type, "reshape() takes integers, not %s", a)
				return UnknownT
			}
		}
		if n > 8 {
			c.errorf(e.P, diag.Unsupported, "arrays of more than 8 dimensions are not supported")
			return UnknownT
		}
		return ArrayOf(recv.DType, n, 'A')
	case "transpose":
		axes := e.Args
		if len(axes) == 1 {
			if t, ok := axes[0].(*pyast.Tuple); ok {
				axes = t.Elts
			}
		}
		if len(axes) > 0 {
			if len(axes) != recv.NDim {
				c.errorf(e.P, diag.Value, "axes don't match array")
				return UnknownT
			}
			seen := map[int64]bool{}
			for _, a := range axes {
				k, ok := constIndex(a)
				if !ok {
					c.errorf(a.Position(), diag.Unsupported, "transpose() axes must be integer constants")
					return UnknownT
				}
				if k < 0 {
					k += int64(recv.NDim)
				}
				if k < 0 || k >= int64(recv.NDim) || seen[k] {
					c.errorf(a.Position(), diag.Value, "axes don't match array")
					return UnknownT
				}
				seen[k] = true
			}
		}
		if recv.NDim <= 1 {
			return recv
		}
		return ArrayOf(recv.DType, recv.NDim, 'A')
	case "item":
		for _, a := range args {
			if a.Kind != Scalar || a.DType.Kind() != KInt {
				c.errorf(e.P, diag.Type, "item() takes integer indices, not %s", a)
				return UnknownT
			}
		}
		if len(args) > 1 && len(args) != recv.NDim {
			c.errorf(e.P, diag.Value, "incorrect number of indices for array")
			return UnknownT
		}
		d := recv.DType
		switch {
		case d == Bool:
			return BoolT
		case d.IsComplex():
			return WeakOf(Complex128)
		case d.IsFloat():
			return Float
		}
		return Int
	}
	return UnknownT
}

// TransposeAxes returns the permutation of x.transpose(...) or x.T.
func TransposeAxes(e *pyast.Call, ndim int) []int {
	perm := make([]int, ndim)
	for i := range perm {
		perm[i] = ndim - 1 - i
	}
	if e == nil {
		return perm
	}
	axes := e.Args
	if len(axes) == 1 {
		if t, ok := axes[0].(*pyast.Tuple); ok {
			axes = t.Elts
		}
	}
	if len(axes) == 0 {
		return perm
	}
	for i, a := range axes {
		k, _ := constIndex(a)
		if k < 0 {
			k += int64(ndim)
		}
		perm[i] = int(k)
	}
	return perm
}
