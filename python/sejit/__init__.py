"""sejit: a selective, embedded JIT specializer for numerical Python.

    from sejit import jit

    @jit
    def poly(x, y, a):
        x1 = x - a
        y[:] = x1 + x1 * x1

The first call with a new combination of argument types has the engine (the Go binary sejitc,
found as $SEJIT_ENGINE or next to this file) compile a native specialization, cached on disk for
later processes.
"""

from ._engine import stats
from ._request import ENGINE_VERSION
from .device import Context, DeviceArray, NoDeviceError, devices
from .dispatcher import Dispatcher, jit
from .lists import typed_list
from .parallel import prange
from .errors import CompilerError, TypingError, UnsupportedError

__version__ = "0.1.0"

# The primitives (vectorize, map, ...) load on first use: their module brings hashlib, threading
# and ctypes, which a program that only uses jit need not pay for at import.
_PRIMITIVES = ("GUVectorized", "Vectorized", "guvectorize", "map", "reduce", "scan", "vectorize")


_KERNEL = ("kernel", "Kernel", "global_id", "local_id", "group_id", "global_size", "local_size",
           "num_groups", "barrier", "local_array", "atomic_add", "atomic_min", "atomic_max")


def __getattr__(name):
    if name in _KERNEL:
        from . import _kernel

        return getattr(_kernel, name)
    if name in _PRIMITIVES:
        from . import primitives

        return getattr(primitives, name)
    raise AttributeError(f"module 'sejit' has no attribute {name!r}")


def export(*signatures):
    """Marks a function for `python -m sejit build` (ahead-of-time modules, docs/scale.md):
    `@sejit.export("float64[:], float64[:], float")`, one string per signature. In a process
    with sejit the function is jitted as by `sejit.jit`."""
    from ._aot import export as _export  # the build's machinery only when it is used

    return _export(*signatures)


__all__ = [
    "jit",
    "export",
    "prange",
    "typed_list",
    "vectorize",
    "guvectorize",
    "map",
    "reduce",
    "scan",
    "Vectorized",
    "GUVectorized",
    "kernel",
    "global_id",
    "local_id",
    "group_id",
    "global_size",
    "local_size",
    "num_groups",
    "barrier",
    "local_array",
    "atomic_add",
    "atomic_min",
    "atomic_max",
    "stats",
    "Dispatcher",
    "Context",
    "DeviceArray",
    "NoDeviceError",
    "devices",
    "UnsupportedError",
    "TypingError",
    "CompilerError",
    "ENGINE_VERSION",
    "__version__",
]
