"""NumPy's element-wise ufuncs and functions on DeviceArrays, run by sejit's own kernels.

Each NumPy function name and arity gets one generated Python kernel, registered in linecache
and jitted once per process:

    def _k(x0, x1, out):
        out[...] = np.add(x0, x1)

Calling it with DeviceArrays runs the jit's OpenCL path (docs/design.md, "Device target"): clgen
compiles it per argument types (the dtype-specialised cache) and the host plan launches it. The
result's dtype and shape are NumPy's, found by calling the ufunc on 0-d host stand-ins (so NEP 50
holds: a Python float with a float32 array stays float32, and NumPy's own casting errors are
raised). Nothing moves between host and device: a NumPy array operand is a TypeError.
"""

import linecache
import threading

import numpy

from .array import DeviceArray, as_device_array, is_device_array

_kernels = {}
_lock = threading.Lock()


def _kernel(name, nin):
    """The jitted kernel out[...] = np.<name>(x0, ..., x<nin-1>), made once per (name, nin)."""
    key = (name, nin)
    k = _kernels.get(key)
    if k is not None:
        return k
    with _lock:
        k = _kernels.get(key)
        if k is None:
            from .. import jit

            args = ", ".join(f"x{i}" for i in range(nin))
            call = f"np.{name}({args})" if name else args  # "" copies
            src = f"import numpy as np\n\n\ndef _k({args}, out):\n    out[...] = {call}\n"
            filename = f"<sejit device {name or 'copy'}/{nin}>"
            linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
            namespace = {}
            exec(compile(src, filename, "exec"), namespace)
            k = _kernels[key] = jit(namespace["_k"])
    return k


def _stand_in(x):
    """A host value with x's dtype for NumPy's type resolution: a 0-d array of ones for a
    device array, x itself for a scalar (a Python scalar stays weak, as NEP 50 wants)."""
    if is_device_array(x):
        return numpy.ones((), x.dtype)
    return x


def check_operands(fname, operands):
    """The device arrays of operands (as DeviceArrays), and TypeError for host arrays or
    objects that are neither arrays nor scalars, naming the operand."""
    devs = []
    first = None
    for i, x in enumerate(operands):
        if is_device_array(x):
            devs.append(as_device_array(x))
            if first is None:
                first = i
    for i, x in enumerate(operands):
        if is_device_array(x) or x is None:
            continue
        if isinstance(x, numpy.ndarray):
            where = f" and operand {first + 1} a DeviceArray" if first is not None else ""
            raise TypeError(
                f"{fname}: operand {i + 1} is a NumPy array (host memory){where}: sejit never "
                f"copies between host and device silently; move it with ctx.asarray(x), or "
                f"bring the device array back with .get()")
        if not isinstance(x, (bool, int, float, complex, numpy.generic)):
            raise TypeError(f"{fname}: operand {i + 1} is a {type(x).__name__}; device "
                            f"operations take DeviceArrays and scalars")
    ctxs = {d.context for d in devs}
    if len(ctxs) > 1:
        raise ValueError(f"{fname}: the operands are in different Contexts; move them "
                         f"explicitly (.get(), ctx.asarray)")
    return devs


def _as_1d(x):
    """A 0-d DeviceArray as a 1-element view (the kernels store into out[...] of 1-d)."""
    if is_device_array(x) and not x.ndim:
        x = as_device_array(x)
        return DeviceArray._view(x, (1,), (x.itemsize,), x.offset)
    return x


def broadcast_view(x, shape):
    """A device array x as a view of the full shape, stride 0 along the broadcast axes (the
    device kernels take operands of matching shapes); scalars as they are."""
    if not is_device_array(x) or x.shape == shape:
        return x
    x = as_device_array(x)
    pad = len(shape) - x.ndim
    strides = [0] * pad + [0 if n == 1 and m != 1 else s
                           for n, m, s in zip(x.shape, shape[pad:], x.strides)]
    return DeviceArray._view(x, shape, strides, x.offset)


def _overlaps(a, b):
    if a.buffer.int_ptr != b.buffer.int_ptr or not a.size or not b.size:
        return False
    alo, ahi = a._span()
    blo, bhi = b._span()
    return a.offset + alo < b.offset + bhi and b.offset + blo < a.offset + ahi


def run(fname, name, operands, out, host_result):
    """Runs out[...] = np.<name>(*operands) on the device. host_result is the NumPy result of
    the stand-ins (its dtype and shape rules); out is None (allocated here) or a DeviceArray."""
    from ..errors import UnsupportedError

    devs = check_operands(fname, operands)
    ctx = devs[0].context
    shape = numpy.broadcast_shapes(*(numpy.shape(x) if not is_device_array(x) else x.shape
                                     for x in operands))
    dtype = host_result.dtype
    if out is None:
        out = DeviceArray(ctx, shape, dtype)
    else:
        if out.context != ctx:
            raise ValueError(f"{fname}: out is in another Context than the operands")
        if numpy.broadcast_shapes(shape, out.shape) != out.shape:
            raise ValueError(f"{fname}: non-broadcastable output operand with shape {out.shape} "
                             f"doesn't match the broadcast shape {shape}")
    if out.size == 0:
        return out
    # An input overlapping out other than element for element (a[1:] + a[:-1] into a) is
    # copied first, as NumPy does, so that no element is read after it was written.
    ops = []
    for x in operands:
        if (is_device_array(x) and _overlaps(x, out)
                and not (x.shape == out.shape and x.strides == out.strides
                         and x.offset == out.offset)):
            x = copy(x)
        ops.append(_as_1d(broadcast_view(x, out.shape)))
    try:
        _kernel(name, len(ops))(*ops, _as_1d(out))
    except UnsupportedError as exc:
        raise NotImplementedError(f"{fname} on a DeviceArray is not supported on the device "
                                  f"yet ({exc.args[0].splitlines()[0]})") from None
    return out


def copy(x):
    """A C-contiguous copy of a DeviceArray, by a device kernel."""
    x = as_device_array(x)
    out = DeviceArray(x.context, x.shape, x.dtype)
    if out.size:
        _kernel("", 1)(_as_1d(x), _as_1d(out))
    return out


def cast(x, dtype):
    """x cast to dtype (NumPy's unsafe astype cast), by a device kernel."""
    x = as_device_array(x)
    out = DeviceArray(x.context, x.shape, dtype)
    if out.size:
        _kernel("", 1)(_as_1d(x), _as_1d(out))
    return out


# The NumPy functions (besides the ufuncs) a Context's namespace offers (ctx.where, ...).
NAMESPACE = ("where", "clip", "sum", "prod", "min", "max", "amin", "amax", "mean", "all", "any",
             "argmin", "argmax")

_IGNORED = {"casting": "same_kind", "order": "K", "subok": True}


def array_ufunc(ufunc, method, inputs, kwargs):
    """DeviceArray.__array_ufunc__."""
    from .. import primitives

    done = primitives.device_ufunc(ufunc, method, inputs, kwargs)
    if done is not NotImplemented:
        return done
    fname = f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    if method == "reduce":
        from . import _reduce

        return _reduce.ufunc_reduce(fname, ufunc, inputs, kwargs)
    if method in ("accumulate", "reduceat", "at"):
        from . import primitives as device

        return device.builtin_method(fname, ufunc, method, inputs, kwargs)
    if method != "__call__":
        raise NotImplementedError(f"{fname} on a DeviceArray is not supported on the device "
                                  f"yet; a.get() gives a NumPy copy")
    out = kwargs.pop("out", None)
    for k, v in list(kwargs.items()):
        if k in _IGNORED and v == _IGNORED[k] or k == "dtype" and v is None:
            del kwargs[k]
    if kwargs:
        raise NotImplementedError(f"{fname} on a DeviceArray: the keyword arguments "
                                  f"{sorted(kwargs)} are not supported on the device yet")
    if ufunc.signature is not None:
        raise NotImplementedError(f"{fname} on a DeviceArray is not supported on the device yet")
    if ufunc.nout != 1:
        raise NotImplementedError(f"{fname} on a DeviceArray: ufuncs of {ufunc.nout} outputs "
                                  f"are not supported on the device yet")
    if out is not None:
        out = out[0] if isinstance(out, tuple) else out
        check_operands(fname, tuple(inputs) + (out,))
        if not is_device_array(out):
            raise TypeError(f"{fname}: out= must be a DeviceArray")
        out = as_device_array(out)
    check_operands(fname, inputs)
    stand = [_stand_in(x) for x in inputs]
    with numpy.errstate(all="ignore"):
        if out is None:
            r = ufunc(*stand)
        else:  # NumPy's casting rule for out (a UFuncTypeError when it refuses)
            r = ufunc(*stand, out=numpy.empty((), out.dtype))
            r = ufunc(*stand)
    return run(fname, ufunc.__name__, inputs, out, numpy.asarray(r))


def where(condition, x=None, y=None):
    if x is None and y is None:
        raise NotImplementedError("numpy.where(condition) (the indices) on a DeviceArray is not "
                                  "supported on the device yet")
    ops = (condition, x, y)
    check_operands("numpy.where", ops)
    r = numpy.where(*[_stand_in(v) for v in ops])
    return run("numpy.where", "where", ops, None, numpy.asarray(r))


def clip(a, a_min=None, a_max=None, out=None, **kwargs):
    if kwargs:
        raise NotImplementedError(f"numpy.clip on a DeviceArray: the keyword arguments "
                                  f"{sorted(kwargs)} are not supported on the device yet")
    if a_min is None and a_max is None:
        raise ValueError("One of max or min must be given")
    if a_min is None:
        return array_ufunc(numpy.minimum, "__call__", (a, a_max), {"out": out})
    if a_max is None:
        return array_ufunc(numpy.maximum, "__call__", (a, a_min), {"out": out})
    ops = (a, a_min, a_max)
    check_operands("numpy.clip", ops + ((out,) if out is not None else ()))
    with numpy.errstate(all="ignore"):
        r = numpy.clip(*[_stand_in(v) for v in ops])
    return run("numpy.clip", "clip", ops, as_device_array(out) if out is not None else None,
               numpy.asarray(r))


# ---------------------------------------------------------------------------------------------
# A user's scalar function applied element by element (sejit.vectorize, sejit.map)

_maps = {}


def _map_kernel(func, ndim, scalars):
    """The jitted kernel out[i, j] = func(x0[i, j], x1, ...) over ndim nested pranges (a scalar
    operand passed as it is), made once per (function, ndim, which operands are scalars). The
    engine inlines func into the kernel (opt.InlineCalls)."""
    key = (func, ndim, scalars)
    k = _maps.get(key)
    if k is not None:
        return k
    from .. import jit
    from .._astjson import function_source  # noqa: F401 (func must have readable source)
    from ..parallel import prange

    idx = ", ".join("ijk"[d] for d in range(ndim))
    xs = [f"x{n}" for n in range(len(scalars))]
    call = ", ".join(x if sc else f"{x}[{idx}]" for x, sc in zip(xs, scalars))
    lines = [f"def _sejit_dmap({', '.join(xs + ['out'])}):"]
    for d in range(ndim):
        lines.append("    " * (d + 1) + f"for {'ijk'[d]} in prange(out.shape[{d}]):")
    lines.append("    " * (ndim + 1) + f"out[{idx}] = f({call})")
    src = "\n".join(lines) + "\n"
    mask = "".join("s" if sc else "a" for sc in scalars)
    filename = f"<sejit device map {func.__qualname__} {ndim}{mask} {id(func):x}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = {"f": func, "prange": prange, "__name__": "sejit._generated"}
    exec(compile(src, filename, "exec"), namespace)
    k = _maps[key] = jit(namespace["_sejit_dmap"], parallel=True)
    return k


def apply(fname, func, operands, out, dtype):
    """out[...] = func(*operands) element by element on the device, operands broadcast as
    NumPy does; out is None (a new array of dtype) or a DeviceArray of a broadcast-compatible
    shape, whose dtype the result is cast to (NumPy's same_kind rule)."""
    devs = check_operands(fname, operands)
    ctx = devs[0].context
    shape = numpy.broadcast_shapes(*(numpy.shape(x) if not is_device_array(x) else x.shape
                                     for x in operands))
    if out is None:
        out = DeviceArray(ctx, shape, dtype)
    else:
        if not is_device_array(out):
            raise TypeError(f"{fname}: out= must be a DeviceArray")
        out = as_device_array(out)
        if out.context != ctx:
            raise ValueError(f"{fname}: out is in another Context than the operands")
        if numpy.broadcast_shapes(shape, out.shape) != out.shape:
            raise ValueError(f"{fname}: non-broadcastable output operand with shape {out.shape} "
                             f"doesn't match the broadcast shape {shape}")
        if not numpy.can_cast(dtype, out.dtype, "same_kind"):
            raise TypeError(f"{fname}: cannot cast the result from {numpy.dtype(dtype)} to "
                            f"{out.dtype} with casting rule 'same_kind'")
    if out.size == 0:
        return out
    ops = []
    for x in operands:
        if (is_device_array(x) and _overlaps(x, out)
                and not (x.shape == out.shape and x.strides == out.strides
                         and x.offset == out.offset)):
            x = copy(x)
        ops.append(broadcast_view(x, out.shape) if is_device_array(x) else x)
    target = out
    if out.ndim == 0:
        ops = [_as_1d(x) for x in ops]
        target = _as_1d(out)
    elif out.ndim > 3:
        # Element-wise: any order of the elements will do, so collapse to 1-D when every
        # array operand is laid out as out is and out is C-contiguous.
        if not (out.c_contiguous and all(
                not is_device_array(x) or x.strides == out.strides for x in ops)):
            raise NotImplementedError(f"{fname}: {out.ndim}-D operands on the device need to be "
                                      f"C-contiguous (copy them first)")
        flat = (out.size,)
        step = (out.itemsize,)
        ops = [DeviceArray._view(x, flat, (x.itemsize,), x.offset) if is_device_array(x) else x
               for x in ops]
        target = DeviceArray._view(out, flat, step, out.offset)
    scalars = tuple(not is_device_array(x) for x in ops)
    _map_kernel(func, target.ndim, scalars)(*ops, target)
    return out
