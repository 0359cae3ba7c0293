package types

import (
	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// kernelFuncs are the sejit functions of explicit device kernels
// (python/sejit/_kernel.py): they type here everywhere, and lowering
// refuses them outside a kernel's device form (lower/kernel.go).
var kernelFuncs = map[string]bool{"barrier": true, "local_array": true,
	"atomic_add": true, "atomic_min": true, "atomic_max": true}

// atomicDTypes are the element types OpenCL's atomics (or a
// compare-exchange loop, for floats) update in place.
var atomicDTypes = map[DType]bool{Int32: true, Int64: true, Uint32: true, Uint64: true,
	Float32: true, Float64: true}

// kernelCall types sejit.barrier(), sejit.local_array(shape, dtype) and
// sejit.atomic_add/min/max(array, index, value).
func (c *checker) kernelCall(e *pyast.Call, name string, args []*Type) *Type {
	if len(e.Keywords) > 0 {
		c.errorf(e.P, diag.Type, "sejit.%s() takes no keyword arguments", name)
		return UnknownT
	}
	switch name {
	case "barrier":
		if len(args) != 0 {
			c.errorf(e.P, diag.Type, "sejit.barrier() takes no arguments (%d given)", len(args))
			return UnknownT
		}
		return NoneT
	case "local_array":
		if len(args) != 2 {
			c.errorf(e.P, diag.Type, "sejit.local_array(shape, dtype) takes 2 arguments (%d given)", len(args))
			return UnknownT
		}
		ndim, ok := c.shapeArg(e.Args[0], args[0])
		if !ok {
			return UnknownT
		}
		d, ok := dtypeArg(args[1])
		if !ok {
			c.errorf(e.Args[1].Position(), diag.Type, "the dtype of sejit.local_array() must be a NumPy dtype such as np.float32, not %s", args[1])
			return UnknownT
		}
		return ArrayOf(d, ndim, 'C')
	}
	if len(args) != 3 {
		c.errorf(e.P, diag.Type, "sejit.%s(array, index, value) takes 3 arguments (%d given)", name, len(args))
		return UnknownT
	}
	a := args[0]
	if a.Kind != Array || !atomicDTypes[a.DType] {
		c.errorf(e.Args[0].Position(), diag.Type, "sejit.%s() updates an array of int32, int64, uint32, uint64, float32 or float64, not %s", name, a)
		return UnknownT
	}
	ix := args[1]
	n := 1
	if ix.Kind == Tuple {
		n = len(ix.Elems)
		for _, el := range ix.Elems {
			if el.Kind != Scalar || el.DType.Kind() != KInt {
				c.errorf(e.Args[1].Position(), diag.Type, "the index of sejit.%s() must be an int or a tuple of ints, not %s", name, ix)
				return UnknownT
			}
		}
	} else if ix.Kind != Scalar || ix.DType.Kind() != KInt {
		c.errorf(e.Args[1].Position(), diag.Type, "the index of sejit.%s() must be an int or a tuple of ints, not %s", name, ix)
		return UnknownT
	}
	if n != a.NDim {
		c.errorf(e.Args[1].Position(), diag.Type, "sejit.%s(): %d indices for an array of %d dimensions", name, n, a.NDim)
		return UnknownT
	}
	v := args[2]
	if v.Kind != Scalar || v.DType.IsComplex() {
		c.errorf(e.Args[2].Position(), diag.Type, "the value of sejit.%s() must be a real number, not %s", name, v)
		return UnknownT
	}
	return ScalarOf(a.DType)
}
