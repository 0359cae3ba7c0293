"""DeviceArray: an array in an OpenCL device's memory.

A DeviceArray is a pyopencl Buffer, a byte offset into it, a shape, byte strides and a dtype, in a
Context (whose in-order queue carries every operation). Slicing, reshaping a contiguous array and
transposing make views of the same buffer, as NumPy's do. Nothing moves between host and device
unless asked for: a.get(), numpy.asarray(a), repr(a), float(a) read; ctx.asarray, a[...] = host
data write. NumPy's ufuncs, operators, where, clip and whole-array reductions run on the
device through sejit's own kernels (_ufuncs, _reduce); a NumPy array mixed in raises TypeError
rather than being copied, and other NumPy functions raise NotImplementedError.

Temporary, until the device compiler (clgen) generates kernels: astype, copy of a
non-contiguous array, assignment into a non-contiguous target or from a DeviceArray of another
dtype or shape go through the host (read the spanned bytes, update them with NumPy, write them
back). Contiguous copies and fills are device-side (clEnqueueCopyBuffer, clEnqueueFillBuffer).
"""

import operator
import sys

import numpy

from . import _cl

_KINDS = "biufc"  # bool, signed, unsigned, float, complex


def check_dtype(dtype):
    """numpy.dtype(dtype) if a DeviceArray can hold it, else TypeError."""
    dt = numpy.dtype(dtype)
    if dt.kind not in _KINDS or not dt.isnative or dt.itemsize & (dt.itemsize - 1):
        raise TypeError(f"a DeviceArray holds booleans, integers, floats or complex numbers in "
                        f"native byte order, not {dt}")
    return dt


def normalize_shape(shape):
    """A tuple of non-negative ints from an int or a sequence of ints."""
    try:
        shape = (operator.index(shape),)
    except TypeError:
        shape = tuple(operator.index(n) for n in shape)
    if any(n < 0 for n in shape):
        raise ValueError(f"negative dimensions are not allowed: {shape}")
    return shape


def c_strides(shape, itemsize):
    if 0 in shape:  # whatever this NumPy gives an empty array (2.4: zeros)
        return numpy.empty(shape, f"V{itemsize}").strides
    strides, step = [], itemsize
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


def _cl_array_module():
    """pyopencl.array if it was imported (a pyopencl array can exist only then), else None."""
    return sys.modules.get("pyopencl.array")


def is_device_class(cls):
    """Whether instances of cls are device arrays: DeviceArray, or pyopencl.array.Array."""
    if issubclass(cls, DeviceArray):
        return True
    cla = _cl_array_module()
    return cla is not None and issubclass(cls, cla.Array)


def is_device_array(x):
    return is_device_class(type(x))


_known_contexts = {}  # pyopencl queue → the Context wrapping it (as_device_array)


def as_device_array(x):
    """x as a DeviceArray: a DeviceArray as it is, a pyopencl.array.Array as a view of its
    buffer (sharing it: writes through one show in the other). TypeError for anything else."""
    if isinstance(x, DeviceArray):
        return x
    cla = _cl_array_module()
    if cla is None or not isinstance(x, cla.Array):
        raise TypeError(f"want a sejit DeviceArray or a pyopencl array, not {type(x).__name__} "
                        "(ctx.asarray(x) transfers host data)")
    from .context import Context

    queue = x.queue
    key = queue if queue is not None else x.context
    ctx = _known_contexts.get(key)
    if ctx is None:
        ctx = _known_contexts[key] = Context(key)
    buf = x.base_data
    if buf is None:  # pyopencl allocates nothing for an empty array
        return DeviceArray(ctx, x.shape, x.dtype)
    return DeviceArray(ctx, x.shape, x.dtype, buffer=buf, offset=x.offset, strides=x.strides)


class DeviceArray:
    """An array on an OpenCL device: buffer + offset (bytes) + shape + strides (bytes) + dtype,
    in a sejit.Context.

    Made by a Context (ctx.zeros, ctx.arange, ctx.asarray, ...) or from a pyopencl array
    (sejit.device.as_device_array). DeviceArray(ctx, shape, dtype) allocates a C-contiguous
    array; with buffer= (a pyopencl Buffer), offset= and strides= it views existing memory.
    """

    __slots__ = ("_ctx", "_buf", "_offset", "_shape", "_strides", "_dtype", "__weakref__")
    __hash__ = None  # mutable, and == is element-wise in NumPy

    def __init__(self, context, shape, dtype=float, buffer=None, offset=0, strides=None):
        cl = _cl.load()
        shape = normalize_shape(shape)
        dt = check_dtype(dtype)
        self._ctx = context
        self._shape = shape
        self._dtype = dt
        if buffer is None:
            if offset or strides is not None:
                raise ValueError("DeviceArray: offset and strides need a buffer")
            nbytes = dt.itemsize * _prod(shape)
            # OpenCL has no empty buffers: an empty array gets one byte.
            self._buf = cl.Buffer(context.cl_context, cl.mem_flags.READ_WRITE, max(nbytes, 1))
            self._offset = 0
            self._strides = c_strides(shape, dt.itemsize)
            return
        self._buf = buffer
        self._offset = operator.index(offset)
        self._strides = (c_strides(shape, dt.itemsize) if strides is None
                         else tuple(operator.index(s) for s in strides))
        if len(self._strides) != len(shape):
            raise ValueError(f"DeviceArray: {len(self._strides)} strides for {len(shape)} "
                             "dimensions")
        if self.size:
            lo, hi = self._span()
            if self._offset + lo < 0 or self._offset + hi > buffer.size:
                raise ValueError(f"DeviceArray: bytes {self._offset + lo} to {self._offset + hi} "
                                 f"lie outside the buffer of {buffer.size} bytes")

    @classmethod
    def _view(cls, base, shape, strides, offset):
        a = cls.__new__(cls)
        a._ctx, a._buf, a._dtype = base._ctx, base._buf, base._dtype
        a._shape, a._strides, a._offset = tuple(shape), tuple(strides), offset
        return a

    # -- attributes ------------------------------------------------------------------------

    shape = property(lambda self: self._shape)
    strides = property(lambda self: self._strides, doc="Byte strides, as NumPy's.")
    dtype = property(lambda self: self._dtype)
    ndim = property(lambda self: len(self._shape))
    size = property(lambda self: _prod(self._shape))
    itemsize = property(lambda self: self._dtype.itemsize)
    nbytes = property(lambda self: self.size * self._dtype.itemsize)
    context = property(lambda self: self._ctx, doc="The sejit.Context the array lives in.")
    buffer = property(lambda self: self._buf, doc="The pyopencl Buffer holding the data.")
    offset = property(lambda self: self._offset, doc="Where element 0 is in buffer, in bytes.")

    @property
    def c_contiguous(self):
        step = self._dtype.itemsize
        for n, s in zip(reversed(self._shape), reversed(self._strides)):
            if n == 0:
                return True
            if n != 1 and s != step:
                return False
            step *= n
        return True

    def _dense(self):
        """Whether the elements fill the bytes they span exactly once (any order)."""
        dims = sorted((abs(s), n) for n, s in zip(self._shape, self._strides) if n != 1)
        step = self._dtype.itemsize
        for s, n in dims:
            if s != step:
                return False
            step *= n
        return True

    def _span(self):
        """(lo, hi): the bytes the elements occupy, relative to offset (for a non-empty array)."""
        lo = hi = 0
        for n, s in zip(self._shape, self._strides):
            if s < 0:
                lo += (n - 1) * s
            else:
                hi += (n - 1) * s
        return lo, hi + self._dtype.itemsize

    @property
    def T(self):
        return self.transpose()

    @property
    def cl(self):
        """A pyopencl.array.Array of the same buffer, offset, shape and strides (a view: writes
        through one show in the other)."""
        import pyopencl.array as cla

        return cla.Array(self._ctx.queue, self._shape, self._dtype, data=self._buf,
                         offset=self._offset, strides=self._strides)

    # -- transfers -------------------------------------------------------------------------

    def _read(self, host, byte_offset):
        _cl.load().enqueue_copy(self._ctx.queue, host, self._buf, src_offset=byte_offset)

    def _write(self, host, byte_offset):
        _cl.load().enqueue_copy(self._ctx.queue, self._buf, host, dst_offset=byte_offset)

    def _write_contiguous(self, host):
        """Writes a C-contiguous host array of self's dtype and size into a C-contiguous self."""
        if self.nbytes:
            self._write(host, self._offset)

    def _host_span(self):
        """(raw bytes read from the device, a host view of them shaped like self, lo)."""
        lo, hi = self._span()
        raw = numpy.empty(hi - lo, numpy.uint8)
        self._read(raw, self._offset + lo)
        view = numpy.ndarray(self._shape, self._dtype, buffer=raw, offset=-lo,
                             strides=self._strides)
        return raw, view, lo

    def get(self):
        """A new C-contiguous NumPy array of the values (a device → host transfer)."""
        out = numpy.empty(self._shape, self._dtype)
        if out.size == 0:
            return out
        if self.c_contiguous:
            self._read(out, self._offset)
            return out
        _, view, _ = self._host_span()  # the bytes the view spans, then NumPy gathers them
        out[...] = view
        return out

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise ValueError("a DeviceArray is in device memory: a NumPy array of it is always "
                             "a copy (copy=False cannot be honoured)")
        out = self.get()
        return out if dtype is None else out.astype(dtype, copy=False)

    def item(self, *args):
        return self.get().item(*args)

    def __float__(self):
        return float(self.get())

    def __int__(self):
        return int(self.get())

    def __complex__(self):
        return complex(self.get())

    def __bool__(self):
        return bool(self.get())

    def __repr__(self):
        text = repr(self.get())  # "array([...], dtype=...)", laid out by NumPy
        head = "DeviceArray("
        if not text.startswith("array("):
            return f"{head}{text})"
        pad = " " * (len(head) - len("array("))
        lines = text[len("array("):].split("\n")
        return head + "\n".join([lines[0]] + [pad + line for line in lines[1:]])

    def __str__(self):
        return str(self.get())

    # -- writes ----------------------------------------------------------------------------

    def fill(self, value):
        """Sets every element to value (cast as NumPy casts in a[...] = value)."""
        self._assign(value)

    def __setitem__(self, key, value):
        self._index(key)._assign(value)

    def _assign(self, value):
        cl = _cl.load()
        if is_device_array(value):
            src = as_device_array(value)
            if src._ctx != self._ctx:
                raise ValueError(f"the value is on {src._ctx.spec}, the target on "
                                 f"{self._ctx.spec}: move it explicitly (.get(), ctx.asarray)")
            if (src._shape == self._shape and src._dtype == self._dtype and src.c_contiguous
                    and self.c_contiguous):
                self._copy_from(src)
                return
            value = src.get()  # temporary: through the host until clgen generates the kernel
        if not isinstance(value, numpy.ndarray) and numpy.ndim(value) == 0:
            pattern = numpy.empty((), self._dtype)
            pattern[()] = value  # NumPy's cast and its errors (an out-of-range int)
            if self.size == 0:
                return
            if self._dense() and self._offset % self.itemsize == 0:
                lo, hi = self._span()
                cl.enqueue_fill_buffer(self._ctx.queue, self._buf, pattern,
                                       self._offset + lo, hi - lo)
                return
            value = pattern
        if self.c_contiguous:
            host = numpy.empty(self._shape, self._dtype)
            host[...] = value  # NumPy's broadcasting and casting
            self._write_contiguous(host)
            return
        if self.size == 0:
            numpy.empty(self._shape, self._dtype)[...] = value  # NumPy's shape errors
            return
        # A strided target, through the host (temporary): its spanned bytes are read, updated
        # with NumPy and written back; the queue is in order, so no write lands in between.
        raw, view, lo = self._host_span()
        view[...] = value
        self._write(raw, self._offset + lo)

    def _copy_from(self, src):
        """Device-side copy of a C-contiguous src into C-contiguous self (same shape, dtype)."""
        cl = _cl.load()
        n = self.nbytes
        if n == 0:
            return
        queue = self._ctx.queue
        so, do = src._offset, self._offset
        if src._buf.int_ptr == self._buf.int_ptr and so < do + n and do < so + n:
            if so == do:
                return
            # clEnqueueCopyBuffer refuses overlapping regions: through a device temporary.
            tmp = cl.Buffer(self._ctx.cl_context, cl.mem_flags.READ_WRITE, n)
            cl.enqueue_copy(queue, tmp, src._buf, src_offset=so, byte_count=n)
            cl.enqueue_copy(queue, self._buf, tmp, dst_offset=do, byte_count=n)
            return
        cl.enqueue_copy(queue, self._buf, src._buf, src_offset=so, dst_offset=do, byte_count=n)

    # -- new arrays and views --------------------------------------------------------------

    def copy(self):
        """A new C-contiguous array of the same values (on the device for a contiguous self;
        through the host otherwise, for now)."""
        out = DeviceArray(self._ctx, self._shape, self._dtype)
        if self.c_contiguous:
            out._copy_from(self)
        else:
            out._write_contiguous(self.get())
        return out

    def astype(self, dtype, copy=True):
        """The values cast to dtype as NumPy casts them (through the host for now: a cast
        becomes a generated kernel with clgen)."""
        dt = check_dtype(dtype)
        if dt == self._dtype:
            return self.copy() if copy else self
        out = DeviceArray(self._ctx, self._shape, dt)
        out._write_contiguous(self.get().astype(dt))
        return out

    def reshape(self, *shape, order="C"):
        """A view with the new shape where self is C-contiguous, else a reshaped copy."""
        if order != "C":
            raise NotImplementedError("DeviceArray.reshape: only order='C'")
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = shape[0]
        shape = [operator.index(n) for n in (shape if isinstance(shape, (tuple, list)) else
                                             (shape,))]
        unknown = [i for i, n in enumerate(shape) if n == -1]
        if len(unknown) > 1 or any(n < -1 for n in shape):
            raise ValueError(f"cannot reshape into shape {tuple(shape)}")
        known = _prod(n for n in shape if n != -1)
        if unknown:
            if known == 0 or self.size % known:
                raise ValueError(f"cannot reshape array of size {self.size} into shape "
                                 f"{tuple(shape)}")
            shape[unknown[0]] = self.size // known
        shape = tuple(shape)
        if _prod(shape) != self.size:
            raise ValueError(f"cannot reshape array of size {self.size} into shape {shape}")
        src = self if self.c_contiguous else self.copy()
        return DeviceArray._view(src, shape, c_strides(shape, self.itemsize), src._offset)

    def transpose(self, *axes):
        """A view with the axes permuted (reversed by default), as numpy.transpose."""
        if len(axes) == 1 and not isinstance(axes[0], int):
            axes = axes[0]
        if not axes:
            axes = tuple(range(self.ndim))[::-1]
        axes = [operator.index(a) + (self.ndim if operator.index(a) < 0 else 0) for a in axes]
        if sorted(axes) != list(range(self.ndim)):
            raise ValueError("axes don't match array")
        return DeviceArray._view(self, [self._shape[a] for a in axes],
                                 [self._strides[a] for a in axes], self._offset)

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of unsized object")
        return self._shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, key):
        """A view, as NumPy's basic indexing makes one: integers, slices (any step), None and
        Ellipsis. Integers alone give a 0-d DeviceArray, not a scalar (read it with .item())."""
        return self._index(key)

    def _index(self, key):
        if not isinstance(key, tuple):
            key = (key,)
        ndim = self.ndim
        if sum(1 for k in key if k is Ellipsis) > 1:
            raise IndexError("an index can only have a single ellipsis ('...')")
        used = sum(1 for k in key if k is not None and k is not Ellipsis)
        if used > ndim:
            raise IndexError(f"too many indices for array: array is {ndim}-dimensional, but "
                             f"{used} were indexed")
        if any(k is Ellipsis for k in key):
            i = next(i for i, k in enumerate(key) if k is Ellipsis)
            key = key[:i] + (slice(None),) * (ndim - used) + key[i + 1:]
        else:
            key = key + (slice(None),) * (ndim - used)
        shape, strides, offset, axis = [], [], self._offset, 0
        for k in key:
            if k is None:
                shape.append(1)
                strides.append(0)
                continue
            n, s = self._shape[axis], self._strides[axis]
            if isinstance(k, slice):
                start, stop, step = k.indices(n)
                length = len(range(start, stop, step))
                if length:
                    offset += start * s
                shape.append(length)
                strides.append(s * step)
            else:
                if isinstance(k, (bool, numpy.bool_)):
                    raise IndexError("boolean indices (advanced indexing) are not supported on "
                                     "DeviceArrays yet")
                try:
                    i = operator.index(k)
                except TypeError:
                    raise IndexError(
                        f"DeviceArray indices are integers, slices, None and '...' (basic "
                        f"indexing); {type(k).__name__} indices (advanced indexing) are not "
                        f"supported yet"
                    ) from None
                if not -n <= i < n:
                    raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
                offset += (i + n if i < 0 else i) * s
            axis += 1
        return DeviceArray._view(self, shape, strides, offset)

    # -- computing on the device (sejit's kernels: _ufuncs, _reduce) ------------------------

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from . import _ufuncs

        return _ufuncs.array_ufunc(ufunc, method, inputs, kwargs)

    _HOST_FUNCTIONS = ("shape", "ndim", "size")  # answered from the metadata, nothing moves

    def __array_function__(self, func, types, args, kwargs):
        if func.__name__ in self._HOST_FUNCTIONS and func.__module__.startswith("numpy"):
            return func._implementation(*args, **kwargs)
        impl = _device_functions().get(func.__name__) if func.__module__.startswith("numpy") \
            else None
        if impl is None:
            raise NotImplementedError(
                f"numpy.{func.__name__}() on a sejit DeviceArray is not supported on the device "
                f"yet, and sejit does not copy device arrays to the host silently. Call a.get() "
                f"for a NumPy copy.")
        return impl(*args, **kwargs)

    def sum(self, axis=None, dtype=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.sum(self, axis, dtype=dtype, out=out, keepdims=keepdims)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.prod(self, axis, dtype=dtype, out=out, keepdims=keepdims)

    def min(self, axis=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.amin(self, axis, out=out, keepdims=keepdims)

    def max(self, axis=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.amax(self, axis, out=out, keepdims=keepdims)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.mean(self, axis, dtype=dtype, out=out, keepdims=keepdims)

    def all(self, axis=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.all(self, axis, out=out, keepdims=keepdims)

    def any(self, axis=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.any(self, axis, out=out, keepdims=keepdims)

    def argmin(self, axis=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.argmin(self, axis, out=out, keepdims=keepdims)

    def argmax(self, axis=None, out=None, keepdims=False):
        from . import _reduce

        return _reduce.argmax(self, axis, out=out, keepdims=keepdims)

    def clip(self, min=None, max=None, out=None):
        from . import _ufuncs

        return _ufuncs.clip(self, min, max, out)


_device_functions_table = None


def _device_functions():
    """numpy function name → its device version (__array_function__)."""
    global _device_functions_table
    if _device_functions_table is None:
        from . import _reduce, _ufuncs

        _device_functions_table = {
            "sum": _reduce.sum, "prod": _reduce.prod, "min": _reduce.amin, "amin": _reduce.amin,
            "max": _reduce.amax, "amax": _reduce.amax, "mean": _reduce.mean,
            "all": _reduce.all, "any": _reduce.any, "where": _ufuncs.where,
            "argmin": _reduce.argmin, "argmax": _reduce.argmax,
            "clip": _ufuncs.clip,
        }
    return _device_functions_table


def _prod(values):
    p = 1
    for v in values:
        p *= v
    return p


def _operator(ufunc_name, symbol):
    ufunc = getattr(numpy, ufunc_name)
    if symbol.startswith("__r") and symbol != "__rshift__":
        def method(self, other):
            return _binary(ufunc, other, self)
    elif symbol.startswith("__i") and symbol != "__invert__":
        def method(self, other):
            return _binary(ufunc, self, other, out=self)
    elif ufunc.nin == 1:
        def method(self):
            return ufunc(self)
    else:
        def method(self, other):
            return _binary(ufunc, self, other)

    method.__name__ = symbol
    return method


def _binary(ufunc, x, y, out=None):
    """x <op> y: NotImplemented for operands a ufunc cannot take (Python then tries the
    reflected operator or raises its TypeError); NumPy arrays raise (no hidden transfer)."""
    for v in (x, y):
        if not (is_device_array(v) or isinstance(v, (bool, int, float, complex, numpy.generic,
                                                     numpy.ndarray))):
            return NotImplemented
    if out is None:
        return ufunc(x, y)
    return ufunc(x, y, out=out)


for _names, _ufunc in (
    (("__add__", "__radd__", "__iadd__"), "add"),
    (("__sub__", "__rsub__", "__isub__"), "subtract"),
    (("__mul__", "__rmul__", "__imul__"), "multiply"),
    (("__truediv__", "__rtruediv__", "__itruediv__"), "true_divide"),
    (("__floordiv__", "__rfloordiv__", "__ifloordiv__"), "floor_divide"),
    (("__mod__", "__rmod__", "__imod__"), "remainder"),
    (("__pow__", "__rpow__", "__ipow__"), "power"),
    (("__matmul__", "__rmatmul__", "__imatmul__"), "matmul"),
    (("__and__", "__rand__", "__iand__"), "bitwise_and"),
    (("__or__", "__ror__", "__ior__"), "bitwise_or"),
    (("__xor__", "__rxor__", "__ixor__"), "bitwise_xor"),
    (("__lshift__", "__rlshift__", "__ilshift__"), "left_shift"),
    (("__rshift__", "__rrshift__", "__irshift__"), "right_shift"),
    (("__eq__",), "equal"),
    (("__ne__",), "not_equal"),
    (("__lt__",), "less"),
    (("__le__",), "less_equal"),
    (("__gt__",), "greater"),
    (("__ge__",), "greater_equal"),
    (("__neg__",), "negative"),
    (("__pos__",), "positive"),
    (("__abs__",), "absolute"),
    (("__invert__",), "invert"),
):
    for _name in _names:
        setattr(DeviceArray, _name, _operator(_ufunc, _name))
del _names, _ufunc, _name
