"""sejit.Context: one OpenCL device, a pyopencl context and an in-order queue, and the array
creation functions that put data on it (CLyther's "the context selects the specialization",
docs/design.md, "Device target")."""

import numpy

from . import _cl
from .array import DeviceArray, as_device_array, is_device_array, normalize_shape


class Context:
    """A device to compute on, its pyopencl context and one in-order command queue.

        ctx = sejit.Context()            # $SEJIT_DEVICE, else a GPU, else a CPU
        ctx = sejit.Context("cpu")       # "gpu", "cpu", "any" or "opencl:P:D"
                                         # ("cuda" comes with a GPU: NoDeviceError without libcuda)
        a = ctx.arange(10.0)             # a DeviceArray, on that device
        ctx.sin(a) + 1.0, a.sum()        # computed on the device (the context's NumPy namespace)

    spec may also be a pyopencl Context or CommandQueue, to share pyopencl's (a Context gets a
    new in-order queue). Every operation of the arrays made here goes through self.queue, in
    order. NoDeviceError (sejit.device.NoDeviceError) when pyopencl or a platform is missing or
    no device matches, with how to install one.
    """

    __slots__ = ("info", "cl_context", "queue", "__weakref__")

    def __init__(self, spec=None):
        if isinstance(spec, str) and (spec == "cuda" or spec.startswith("cuda:")):
            from . import _cuda

            _cuda.context(spec)  # NoDeviceError without libcuda; running comes with a GPU
        cl = _cl.load()
        if isinstance(spec, (cl.Context, cl.CommandQueue)):
            if isinstance(spec, cl.CommandQueue):
                queue, context = spec, spec.context
            else:
                queue, context = None, spec
            devs = context.devices
            if len(devs) != 1:
                raise ValueError(f"sejit.Context: a pyopencl context of {len(devs)} devices; "
                                 "sejit wants one device per context")
            self.info = _info_of(cl, devs[0])
            self.cl_context = context
            if queue is None:
                queue = cl.CommandQueue(context, devs[0])
            elif queue.properties & cl.command_queue_properties.OUT_OF_ORDER_EXEC_MODE_ENABLE:
                raise ValueError("sejit.Context: the pyopencl queue is out of order; sejit's "
                                 "arrays rely on an in-order queue")
            self.queue = queue
            return
        self.info = _cl.select(spec)
        self.cl_context = cl.Context([self.info.device])
        self.queue = cl.CommandQueue(self.cl_context, self.info.device)  # in order by default

    # -- the device ------------------------------------------------------------------------

    @property
    def device(self):
        """The pyopencl Device."""
        return self.info.device

    @property
    def spec(self):
        """The device as "opencl:P:D" (or "opencl:?" for a device of a pyopencl context that
        the platform listing does not show)."""
        return self.info.spec

    @property
    def name(self):
        return self.info.name

    @property
    def fp64(self):
        """Whether the device computes in double precision (cl_khr_fp64)."""
        return self.info.fp64

    @property
    def global_mem_size(self):
        return self.info.global_mem_size

    @property
    def opencl_version(self):
        return _cl.opencl_version(self.info.version)

    def synchronize(self):
        """Waits until every operation queued so far has finished."""
        self.queue.finish()

    def __eq__(self, other):
        return isinstance(other, Context) and other.cl_context == self.cl_context

    def __hash__(self):
        return hash(self.cl_context)

    def __str__(self):
        i = self.info
        fp64 = "fp64" if i.fp64 else "no fp64"
        return (f"sejit.Context({i.spec}): {i.name} ({i.type}; {i.platform_name}), "
                f"{self.opencl_version}, {fp64}, {_cl.format_bytes(i.global_mem_size)} "
                f"global memory")

    def __repr__(self):
        return f"<{self}>"

    # -- the context's NumPy namespace -------------------------------------------------------

    def __getattr__(self, name):
        """ctx.sin, ctx.add, ctx.where, ctx.sum, ...: NumPy's function of that name on this
        context's DeviceArrays, computed on the device by sejit's kernels (as np.sin(a) on a
        DeviceArray). NumPy arrays are refused (TypeError): nothing moves silently."""
        if name.startswith("_"):
            raise AttributeError(name)
        from . import _ufuncs

        f = getattr(numpy, name, None)
        if not (isinstance(f, numpy.ufunc) or name in _ufuncs.NAMESPACE):
            raise AttributeError(f"sejit.Context has no attribute {name!r} (its NumPy "
                                 f"namespace has the ufuncs and {', '.join(_ufuncs.NAMESPACE)})")

        def call(*args, **kwargs):
            arrays = tuple(v for v in kwargs.values() if isinstance(v, numpy.ndarray))
            _ufuncs.check_operands(f"ctx.{name}", args + arrays)
            return f(*args, **kwargs)

        call.__name__ = name
        call.__doc__ = f"numpy.{name} on this context's DeviceArrays, on the device."
        return call

    # -- CLyther's names for sejit's primitives ------------------------------------------------

    def map(self, fn, *arrays):
        """sejit.map(fn, *arrays): fn element by element, on the device for DeviceArrays."""
        from .. import primitives

        return primitives.map(fn, *arrays)

    def reduce(self, fn, arr, initial=None, axis=None):
        """sejit.reduce(fn, arr, initial=, axis=) as a work-group tree on the device."""
        from .. import primitives

        if initial is None:
            return primitives.reduce(fn, arr, axis=axis)
        return primitives.reduce(fn, arr, initial, axis)

    def scan(self, fn, arr, exclusive=False, initial=None):
        """sejit.scan(fn, arr, exclusive=, initial=) as a work-group scan on the device."""
        from .. import primitives

        if initial is None:
            return primitives.scan(fn, arr, exclusive)
        return primitives.scan(fn, arr, exclusive, initial)

    def unary_ufunc(self, fn):
        """fn of one scalar as a vectorized function (sejit.vectorize), for decorators."""
        return self._ufunc(fn, 1, "unary_ufunc")

    def binary_ufunc(self, fn):
        """fn of two scalars as a vectorized function (sejit.vectorize), for decorators."""
        return self._ufunc(fn, 2, "binary_ufunc")

    @staticmethod
    def _ufunc(fn, nin, what):
        from .. import primitives

        v = primitives.vectorize(fn)
        if getattr(v, "nin", nin) != nin:
            raise TypeError(f"ctx.{what}: {getattr(fn, '__qualname__', fn)}() takes {v.nin} "
                            f"arguments, not {nin}")
        return v

    # -- creation --------------------------------------------------------------------------
    # empty, zeros, ones and full allocate and fill on the device (clEnqueueFillBuffer); arange,
    # linspace and asarray compute on the host with NumPy and make one transfer. With the
    # device compiler (clgen), arange and linspace become generated kernels.

    def empty(self, shape, dtype=float):
        """An uninitialised C-contiguous array."""
        return DeviceArray(self, normalize_shape(shape), dtype)

    def zeros(self, shape, dtype=float):
        return self.full(shape, 0, dtype)

    def ones(self, shape, dtype=float):
        return self.full(shape, 1, dtype)

    def full(self, shape, fill_value, dtype=None):
        """An array of fill_value, cast as NumPy's full casts it (dtype None: fill_value's
        dtype, as numpy.array(fill_value).dtype)."""
        if dtype is None:
            fill_value = numpy.asarray(fill_value)
            dtype = fill_value.dtype
        a = self.empty(shape, dtype)
        a.fill(fill_value)
        return a

    def empty_like(self, prototype, dtype=None, shape=None):
        """Like numpy.empty_like for a NumPy array, a DeviceArray or a pyopencl array; the
        result is always C-contiguous."""
        proto_shape, proto_dtype = _shape_dtype(prototype)
        return self.empty(proto_shape if shape is None else shape,
                          proto_dtype if dtype is None else dtype)

    def zeros_like(self, prototype, dtype=None, shape=None):
        return self.full_like(prototype, 0, dtype, shape)

    def ones_like(self, prototype, dtype=None, shape=None):
        return self.full_like(prototype, 1, dtype, shape)

    def full_like(self, prototype, fill_value, dtype=None, shape=None):
        a = self.empty_like(prototype, dtype, shape)
        a.fill(fill_value)
        return a

    def arange(self, *args, dtype=None):
        """numpy.arange's values, filled on the device by a sejit kernel with NumPy's arithmetic
        (_fill.py); bool and complex results are computed on the host and transferred."""
        from . import _fill

        out = _fill.arange(self, args, dtype)
        return out if out is not None else self.asarray(numpy.arange(*args, dtype=dtype))

    def linspace(self, start, stop, num=50, endpoint=True, dtype=None):
        """numpy.linspace's values, filled on the device for float64 results (_fill.py); other
        dtypes are computed on the host and transferred."""
        from . import _fill

        out = _fill.linspace(self, start, stop, num, endpoint, dtype)
        if out is not None:
            return out
        return self.asarray(numpy.linspace(start, stop, num, endpoint=endpoint, dtype=dtype))

    def asarray(self, a, dtype=None):
        """a on this device: a DeviceArray (or pyopencl array) of this context as it is (cast
        if dtype differs), anything else through numpy.asarray and one transfer."""
        if is_device_array(a):
            d = as_device_array(a)
            if d.context != self:
                raise ValueError(f"ctx.asarray: the array is on {d.context.spec}, not on "
                                 f"{self.spec}; move it explicitly with ctx.asarray(a.get())")
            return d if dtype is None else d.astype(dtype, copy=False)
        host = numpy.asarray(a, dtype=dtype)
        out = self.empty(host.shape, host.dtype)
        out._write_contiguous(numpy.ascontiguousarray(host))
        return out

    def array(self, a, dtype=None, copy=True):
        """Like asarray, but a copy unless copy=False."""
        out = self.asarray(a, dtype)
        if copy and is_device_array(a) and out is as_device_array(a):
            out = out.copy()
        return out


def _shape_dtype(prototype):
    if is_device_array(prototype):
        d = as_device_array(prototype)
        return d.shape, d.dtype
    a = numpy.asarray(prototype)
    return a.shape, a.dtype


def _info_of(cl, device):
    """The DeviceInfo of a pyopencl device, with its spec from the platform listing."""
    try:
        for info in _cl.devices():
            if info.device == device:
                return info
    except _cl.NoDeviceError:
        pass
    p = device.platform
    info = _cl.DeviceInfo(cl, p, device, "?", "?")
    info.spec = "opencl:?"
    return info

