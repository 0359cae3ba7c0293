"""What a call passes: its arguments' classification, the arity check, and the messages for
arguments sejit cannot take (docs/protocol.md §1, "args").

A leaf module: it imports only the C runtime and the errors, so the dispatcher, the request and
the object arguments (_objects.py) all build on it without importing each other.
"""

import inspect
import struct

import numpy

from . import _runtime
from .device.array import is_device_array
from .errors import public

DTYPE_NAMES = _runtime.DTYPE_NAMES
MAX_TUPLE_DEPTH = 8  # how deeply tuple arguments may nest (_objects.py)


def arg_type(code):
    """The protocol's description of one argument from its runtime classification code."""
    kind, dtype, ndim, flags = code >> 24, (code >> 16) & 0xFF, (code >> 8) & 0xFF, code & 0xFF
    if kind == _runtime.KIND_ARRAY:
        layout = "C" if flags & _runtime.FLAG_LAYOUT_C else "A"
        t = {"kind": "array", "dtype": DTYPE_NAMES[dtype], "ndim": ndim, "layout": layout}
        if flags & _runtime.FLAG_UNIT:
            t["unit"] = True
        return t
    if kind == _runtime.KIND_SCALAR:
        weak = bool(flags & _runtime.FLAG_WEAK)
        return {"kind": "scalar", "dtype": DTYPE_NAMES[dtype], "weak": weak}
    raise ValueError(f"bad classification code {code:#x}")


def describe_type(t):
    """A signature item as a user reads it, in the style of the engine's abi["sig"]."""
    if t["kind"] == "array":
        unit = ", an extent 1" if t.get("unit") else ""
        return f"array({t['dtype']}, {t['ndim']}d, {t['layout']}{unit})"
    if t["kind"] == "object":
        return t["class"].rpartition(":")[2]
    if t.get("weak"):
        return {"int64": "int", "float64": "float", "complex128": "complex", "bool": "bool"}[
            t["dtype"]
        ]
    return t["dtype"]


def describe_value(value):
    if is_device_array(value):
        return (
            f"a device array ({_short_type(value)}): device arrays are compiled for only as "
            f"direct arguments, and sejit never copies device arrays to the host silently "
            f"(pass x.get())"
        )
    if isinstance(value, numpy.ndarray) and type(value) is not numpy.ndarray:
        return (
            f"an instance of the ndarray subclass {type(value).__qualname__} (pass "
            f"numpy.asarray(...) to compute on its data as a plain array)"
        )
    if isinstance(value, numpy.ndarray):
        dt = value.dtype
        if dt.kind == "O":
            why = " (arrays of Python objects are not compiled)"
        elif dt.kind in "USV":
            why = " (arrays of strings or bytes are not compiled)"
        elif value.ndim > _runtime.MAXDIM:
            why = f" (at most {_runtime.MAXDIM} dimensions are supported)"
        elif not dt.isnative:
            why = ", non-native byte order (pass x.astype(x.dtype.newbyteorder('=')))"
        else:
            why = ""
        dims = f"{value.ndim} dimension{'' if value.ndim == 1 else 's'}"
        return f"a numpy array of dtype {dt} with {dims}{why}"
    if isinstance(value, numpy.generic):
        return f"a numpy scalar of dtype {value.dtype}"
    if isinstance(value, tuple) and type(value) is not tuple:
        return (
            f"an instance of the tuple subclass {type(value).__qualname__} (pass tuple(...) "
            f"for a plain tuple)"
        )
    if isinstance(value, (list, tuple)):
        return (
            f"a value of type {type(value).__qualname__} (pass numpy.asarray(...) for an "
            f"array)"
        )
    return f"a value of type {type(value).__qualname__}"


def _short_type(value):
    """One item of the signature a call passed, in the style of the compiled signatures."""
    if is_device_array(value):
        cls = type(value)
        name = cls.__qualname__ if cls.__module__.startswith("sejit") else \
            f"{cls.__module__}.{cls.__qualname__}"
        return f"{name}({value.dtype}, {value.ndim}d, on a device)"
    if isinstance(value, numpy.ndarray):
        layout = "C" if value.flags.c_contiguous else "A"
        dt = str(value.dtype)  # float32, object, <U2, >f8
        head = "array" if type(value) is numpy.ndarray else type(value).__qualname__
        return f"{head}({dt}, {value.ndim}d, {layout})"
    if isinstance(value, numpy.generic):
        return value.dtype.name
    return type(value).__qualname__


ACCEPTED = (
    f"NumPy arrays (up to {_runtime.MAXDIM} dimensions) and NumPy scalars of dtype "
    + ", ".join(DTYPE_NAMES)
    + "; Python bool, int, float and complex; objects of plain classes (their attributes "
    "holding numbers, arrays and such objects); tuples of numbers, arrays and such tuples; str "
    "(of any length: a run-time string, or a compile-time constant where a short one folds); "
    "dtypes, modules and functions (compile-time constants too)"
)


def classify(dispatcher, args):
    """(sigkey bytes, [arg types]) for a call, or TypeError naming the first rejected argument."""
    key = dispatcher._key(args)
    if key is None:
        for i, value in enumerate(args):
            if _runtime.arg_code(value) == 0:
                if is_device_array(value):
                    raise public(device_error(dispatcher, args, i))
                raise public(TypeError(rejected_message(dispatcher, args, i)))
        raise AssertionError("unreachable: _key rejected no argument")
    codes = struct.unpack(f"={len(args)}I", key)
    return key, [arg_type(c) for c in codes]


def device_error(dispatcher, args, i):
    """The error for a device array passed to a jitted function where the device target cannot
    take it (issue 11): TypeError when the call mixes it with NumPy arrays (no hidden transfers),
    else NotImplementedError (a device array inside a tuple or an object)."""
    func = dispatcher.py_func
    names = func.__code__.co_varnames

    def arg(k):
        param = f" ({names[k]!r})" if k < func.__code__.co_argcount else ""
        return f"argument {k + 1}{param}"

    where = f"{func.__qualname__}() {arg(i)}: got a device array ({_short_type(args[i])})"
    host = [k for k, v in enumerate(args) if isinstance(v, numpy.ndarray)]
    if host:
        k = host[0]
        return TypeError(
            f"{where}, and {arg(k)} is a NumPy array ({_short_type(args[k])}): host and device "
            f"arrays do not mix in one call, since sejit never copies between them silently. "
            f"Move one side explicitly: x.get() brings a device array to the host, "
            f"ctx.asarray(y) puts a NumPy array on the device."
        )
    return NotImplementedError(
        f"{where}: device arrays are compiled for the device when passed directly; inside "
        f"tuples or objects they are not supported yet. Pass them as arguments."
    )


def rejected_message(dispatcher, args, i, item=None):
    """What was passed, which argument sejit cannot take and why, what it can take, and the
    signatures compiled so far. item: (where, value), the item of a tuple argument at fault."""
    func = dispatcher.py_func
    names = func.__code__.co_varnames
    param = f" ({names[i]!r})" if i < func.__code__.co_argcount else ""
    passed = ", ".join(_short_type(v) for v in args)
    sigs = dispatcher.signatures
    compiled = "; ".join(sigs) if sigs else "none yet"
    if item is None:
        got = describe_value(args[i])
    elif type(item[1]) is tuple:
        got = f"a tuple nested more than {MAX_TUPLE_DEPTH} levels deep (at item {item[0]})"
    else:
        got = f"a tuple whose item {item[0]} is {describe_value(item[1])}"
    return (
        f"{func.__qualname__}() argument {i + 1}{param}: got {got}. "
        f"Called with ({passed}). Compiled signatures: {compiled}. Accepted: {ACCEPTED}"
    )


def check_arity(func, nargs):
    """Raises the TypeError CPython would for a call of func with nargs positional arguments.

    Functions with *args, **kwargs or keyword-only parameters are left to the engine.
    """
    code = func.__code__
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) or code.co_kwonlyargcount:
        return
    n = code.co_argcount
    name = func.__qualname__
    ndefaults = len(func.__defaults__ or ())
    if nargs > n:
        if ndefaults:
            takes = f"from {n - ndefaults} to {n} positional arguments"
        else:
            takes = f"{n} positional argument{'s' if n != 1 else ''}"
        were = "was" if nargs == 1 else "were"
        raise public(TypeError(f"{name}() takes {takes} but {nargs} {were} given"))
    if nargs < n:
        required = n - ndefaults
        missing = code.co_varnames[nargs:required]
        if not missing:
            # Parameters left to their defaults: the dispatcher binds them (_bind_call)
            # before a call gets here.
            return
        quoted = [repr(m) for m in missing]
        if len(quoted) == 1:
            listed = quoted[0]
        elif len(quoted) == 2:
            listed = f"{quoted[0]} and {quoted[1]}"
        else:
            listed = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
        s = "s" if len(missing) != 1 else ""
        raise public(
            TypeError(f"{name}() missing {len(missing)} required positional argument{s}: {listed}")
        )
