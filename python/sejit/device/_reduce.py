"""Reductions of DeviceArrays on the device: sum, prod, min, max, mean, any, all, argmin, argmax.

With axis= (an int or a tuple, negative allowed) or keepdims=True, and for argmin/argmax, the
reduction is a generated Python kernel jitted for the device, as the ufuncs are (_ufuncs.py):

    def _r(x):
        return np.sum(x, axis=(1,), keepdims=False)

so clgen compiles it like any jitted reduction (one work-item per output element, or a
work-group tree when the result is a scalar: docs/design.md, "Device target").

The whole-array reduction (axis=None) is sejit.reduce's (device/primitives.py) with a Python
function per operation (primitives._OP_FUNCS), so one driver serves NumPy's reductions and the
user's: on a CPU device (PoCL) one work-item per long contiguous row, then one that combines the
rows in order; on a GPU a work-group tree in local memory, its work-items reading interleaved
elements (coalesced), which these operations allow because they are commutative as well as
associative. Float sums stay within NumPy's pairwise-summation error bounds (O(log n) ulps)
either way.
"""

import linecache
import operator
import threading

import numpy

from .array import as_device_array, is_device_array

# The operations whose empty reduction is an error (no identity), as NumPy's.
_NO_IDENTITY = ("minimum", "maximum")


def reduce_all(a, op, acc_dt):
    """Reduces every element of DeviceArray a with op into one acc_dt value (a NumPy scalar).
    a is non-empty."""
    from . import primitives

    a = as_device_array(a)
    ctx = a.context
    acc_dt = numpy.dtype(acc_dt)
    for dt in (a.dtype, acc_dt):
        if dt == numpy.float64 and not ctx.fp64:
            raise TypeError(f"float64 data on {ctx.name}, which has no fp64 (cl_khr_fp64)")
    if a.dtype.kind not in "biuf" or a.dtype == numpy.float16:  # the jit has no float16
        raise NotImplementedError(f"reductions of {a.dtype} on the device are not supported yet")
    return primitives.reduce_op(op, a, acc_dt)


def _sum_dtype(dt):
    """NumPy's accumulator and result dtype of sum and prod."""
    if dt.kind == "b" or dt.kind == "i" and dt.itemsize < 8:
        return numpy.dtype(numpy.int_)
    if dt.kind == "u" and dt.itemsize < 8:
        return numpy.dtype(numpy.uint)
    return dt


def _whole(a, axis, kwargs):
    """Whether the reduction is over the whole array without keepdims (the template's case)."""
    if kwargs.get("keepdims") is True:
        return False
    if axis is None:
        return True
    return a.ndim == 1 and _axes(a, axis) == (0,)


def _axes(a, axis):
    """axis as a sorted tuple of non-negative axes, with NumPy's AxisError and TypeError."""
    if axis is None:
        return tuple(range(a.ndim))
    if not isinstance(axis, tuple):
        axis = (operator.index(axis),)
    try:
        from numpy.lib.array_utils import normalize_axis_tuple
    except ImportError:  # NumPy 1.x
        from numpy.core.numeric import normalize_axis_tuple
    return tuple(sorted(normalize_axis_tuple(axis, a.ndim)))


_kernels = {}
_lock = threading.Lock()


def _kernel(name, axes, keepdims):
    """The jitted kernel returning np.<name>(x, axis=axes, keepdims=keepdims), made once."""
    key = (name, axes, keepdims)
    k = _kernels.get(key)
    if k is not None:
        return k
    with _lock:
        k = _kernels.get(key)
        if k is None:
            from .. import jit

            kw = "" if axes is None else f", axis={axes!r}"
            if keepdims:
                kw += ", keepdims=True"
            src = f"import numpy as np\n\n\ndef _r(x):\n    return np.{name}(x{kw})\n"
            filename = f"<sejit device {name}{kw}>"
            linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
            namespace = {}
            exec(compile(src, filename, "exec"), namespace)
            k = _kernels[key] = jit(namespace["_r"])
    return k


def axis_reduce(fname, name, a, axis, kwargs):
    """np.<name>(a, axis=axis, keepdims=...) by a jitted kernel: a DeviceArray of NumPy's
    dtype, or a NumPy scalar when every axis is reduced without keepdims."""
    a = as_device_array(a)
    _check_kwargs(fname, kwargs)
    keep = bool(kwargs.get("keepdims", False))
    axes = None if axis is None and name.startswith("arg") else _axes(a, axis)
    if a.dtype.kind == "c":
        # Sums, products and means of the whole array (the jitted np.sum(x)); along an axis
        # the front end refuses complex arrays on every target.
        if name not in ("sum", "prod", "mean"):
            raise NotImplementedError(f"{fname} of complex DeviceArrays is not supported on the "
                                      f"device yet")
        if keep or axes != tuple(range(a.ndim)):
            raise NotImplementedError(f"{fname} of complex DeviceArrays along an axis is not "
                                      f"supported yet")
        return _kernel(name, None, False)(a)
    if name.startswith("arg") and axis is not None:
        if isinstance(axis, tuple):
            raise TypeError("'tuple' object cannot be interpreted as an integer")
    want = getattr(numpy, name)(numpy.ones((1,) * a.ndim, a.dtype), axis=axis,
                                **({"keepdims": True} if keep else {})).dtype
    if a.ndim == 0:
        axes = None if name.startswith("arg") else ()
    r = _kernel(name, axes, keep)(a)
    if is_device_array(r):
        return r if r.dtype == want else r.astype(want)
    return want.type(r)


def _check_kwargs(fname, kwargs):
    extra = {k: v for k, v in kwargs.items()
             if not (v is None or k == "keepdims" and v in (False, True)
                     or v is numpy._NoValue)}
    if extra:
        raise NotImplementedError(f"{fname} on a DeviceArray: the keyword arguments "
                                  f"{sorted(extra)} are not supported on the device yet")


_NAMES = {"add": "sum", "multiply": "prod", "minimum": "min", "maximum": "max",
          "logical_and": "all", "logical_or": "any"}


def _reduction(fname, op, a, axis, kwargs, result_dt=None):
    a = as_device_array(a)
    _check_kwargs(fname, kwargs)
    if not _whole(a, axis, kwargs) or a.dtype.kind == "c":
        # Complex sums and products too: the template's types are real, a jitted reduction
        # (clgen) computes in double2 with the CPU target's formulas.
        return axis_reduce(fname, _NAMES[op], a, axis, kwargs)
    if op in ("add", "multiply"):
        dt = _sum_dtype(a.dtype)
    elif op in ("logical_and", "logical_or"):
        dt = numpy.dtype(bool)
    else:
        dt = a.dtype
    if a.size == 0:
        if op in _NO_IDENTITY:
            raise ValueError(f"zero-size array to reduction operation {op} which has no "
                             f"identity")
        return getattr(numpy, op).reduce(numpy.empty(0, a.dtype), dtype=dt)
    return reduce_all(a, op, dt)


def sum(a, axis=None, **kwargs):
    return _reduction("numpy.sum", "add", a, axis, kwargs)


def prod(a, axis=None, **kwargs):
    return _reduction("numpy.prod", "multiply", a, axis, kwargs)


def amin(a, axis=None, **kwargs):
    return _reduction("numpy.min", "minimum", a, axis, kwargs)


def amax(a, axis=None, **kwargs):
    return _reduction("numpy.max", "maximum", a, axis, kwargs)


def all(a, axis=None, **kwargs):
    return _reduction("numpy.all", "logical_and", a, axis, kwargs)


def any(a, axis=None, **kwargs):
    return _reduction("numpy.any", "logical_or", a, axis, kwargs)


def mean(a, axis=None, **kwargs):
    a = as_device_array(a)
    _check_kwargs("numpy.mean", kwargs)
    if not _whole(a, axis, kwargs) or a.dtype.kind == "c":
        return axis_reduce("numpy.mean", "mean", a, axis, kwargs)
    acc = a.dtype if a.dtype.kind == "f" else numpy.dtype(numpy.float64)
    if a.size == 0:
        return numpy.mean(numpy.empty(0, a.dtype))  # nan, with NumPy's RuntimeWarning
    s = reduce_all(a, "add", acc)
    return acc.type(s / a.size)


def argmin(a, axis=None, **kwargs):
    return axis_reduce("numpy.argmin", "argmin", a, axis, kwargs)


def argmax(a, axis=None, **kwargs):
    return axis_reduce("numpy.argmax", "argmax", a, axis, kwargs)


_UFUNC_OPS = {"add": sum, "multiply": prod, "minimum": amin, "maximum": amax,
              "logical_and": all, "logical_or": any}


def ufunc_reduce(fname, ufunc, inputs, kwargs):
    """np.add.reduce(a) and friends: axis defaults to 0, as NumPy's reduce."""
    f = _UFUNC_OPS.get(ufunc.__name__)
    if f is None or len(inputs) != 1:
        raise NotImplementedError(f"{fname} on a DeviceArray is not supported on the device yet")
    axis = kwargs.pop("axis", 0)
    a = as_device_array(inputs[0])
    return f(a, axis, **kwargs)
