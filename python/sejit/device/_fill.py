"""ctx.arange and ctx.linspace computed on the device, with NumPy's arithmetic.

NumPy fills arange's result from its first two values: a[0] = start, a[1] = start + step (added
as Python numbers, then cast), and a[i] = a[0] + i * (a[1] - a[0]) for the others, in the result's
dtype (the index converted to it for floats). linspace computes arange(0, num) * step + start in
float64 (or arange(0, num) / div * delta + start when the step is 0), and sets the last value to
stop itself when it is an endpoint. The kernels below do the same per element, so the values are
NumPy's bit for bit; each is jitted once per process, like the context's ufunc kernels
(_ufuncs.py).
"""

import linecache
import math
import threading

import numpy

_kernels = {}
_lock = threading.Lock()

_ARANGE = """import numpy as np
import sejit


def _arange(out, first, second):
    n = out.shape[0]
    d = second - first
    for i in sejit.prange(n):
        out[i] = first + np.{conv}(i) * d
    if n > 1:
        out[1] = second
"""

_LINSPACE = """import numpy as np
import sejit


def _linspace(out, start, step, div, delta, stop, last, zero_step):
    n = out.shape[0]
    for i in sejit.prange(n):
        if zero_step:
            out[i] = np.float64(i) / div * delta + start
        else:
            out[i] = np.float64(i) * step + start
    if last:
        out[n - 1] = stop
"""


def _kernel(key, src):
    k = _kernels.get(key)
    if k is None:
        with _lock:
            k = _kernels.get(key)
            if k is None:
                from .. import jit

                filename = f"<sejit device {key}>"
                linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
                namespace = {}
                exec(compile(src, filename, "exec"), namespace)
                fn = namespace["_arange" if key.startswith("arange") else "_linspace"]
                k = _kernels[key] = jit(fn, parallel=True)
    return k


def arange(ctx, args, dtype):
    """numpy.arange(*args, dtype=dtype) on ctx; None where the device fill does not apply
    (bool or complex results), for the caller to compute on the host."""
    if not 1 <= len(args) <= 3:
        raise TypeError(f"arange() takes 1 to 3 positional arguments ({len(args)} given)")
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (*args, 1)[:3]
    if step == 0:
        raise ZeroDivisionError("division by zero")  # NumPy's error for a zero step
    if dtype is None:
        # NumPy's own arange on an empty range whose bounds have the types of start, stop and
        # step (stop's value replaced by start's): the same dtype, no data.
        try:
            like = stop.dtype.type if isinstance(stop, numpy.generic) else type(stop)
            dt = numpy.arange(start, like(start), step).dtype
        except (TypeError, ValueError, OverflowError):
            return None
    else:
        dt = numpy.dtype(dtype)
    if dt.kind not in "iuf":
        return None
    delta = stop - start
    ratio = delta / step
    if ratio == 0 and delta != 0:
        n = 1 if (delta > 0) == (step > 0) else 0
    else:
        n = max(0, math.ceil(ratio))
    out = ctx.empty(n, dt)
    if n:
        conv = dt.name if dt.kind == "f" else "int64"
        with numpy.errstate(over="ignore"):
            first, second = dt.type(start), dt.type(start + step)
        _kernel(f"arange/{conv}", _ARANGE.format(conv=conv))(out, first, second)
    return out


def linspace(ctx, start, stop, num, endpoint, dtype):
    """numpy.linspace on ctx for float64 results; None otherwise (computed on the host)."""
    num = int(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    dt = numpy.result_type(start, stop, float(num))
    if dt != numpy.float64 or (dtype is not None and numpy.dtype(dtype) != numpy.float64):
        return None
    div = (num - 1) if endpoint else num
    start, stop = float(start), float(stop)
    delta = stop - start
    step = delta / div if div else numpy.nan
    zero_step = bool(div) and step == 0
    out = ctx.empty(num, numpy.float64)
    if num:
        if not div:
            step = delta  # one sample: NumPy's arange(0, 1) * delta + start is start
        _kernel("linspace", _LINSPACE)(out, start, float(step), float(div or 1), delta, stop,
                                       bool(endpoint and num > 1), zero_step)
    return out
