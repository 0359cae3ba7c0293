"""Jitted functions called with DeviceArrays: compile for the OpenCL target and run the host plan.

The engine (internal/clgen) answers a target "opencl" request with the kernels' OpenCL C and the
host plan, a small JSON program: scalar assignments, checks, views, allocations, loops, kernel
launches and the return (docs/design.md, "Device target"). This module builds the program with
pyopencl (keeping its binary in sejit's cache, keyed by source, device, driver and options),
and runs the plan on the context's in-order queue. Nothing is read back from the device except
the error buffer after a kernel with checks, and the one value of each reduction's accumulator.
"""

import errno
import hashlib
import json
import linecache
import math
import operator
import os
import sys

import numpy

from .. import _args, _cache, _engine, _request
from ..errors import error_from_reply, public
from . import _cl
from .array import DeviceArray, as_device_array, is_device_array

_EXC = {1: ZeroDivisionError, 2: IndexError, 3: ValueError, 4: MemoryError, 5: TypeError,
        6: AssertionError, 7: RuntimeError, 8: OverflowError}



def _exception(err, text):
    """The exception of a kernel's error code and message, as the CPU runtime raises it
    (_kernel_errors.h): a Python float power's overflow carries errno's args, and a float
    modulo by zero the running interpreter's text (lower/pypow.go)."""
    if err == 8 and text == "sejit:erange":
        return OverflowError(errno.ERANGE, os.strerror(errno.ERANGE))
    if err == 1 and text == "sejit:float-modulo":
        return ZeroDivisionError("float modulo by zero" if sys.version_info >= (3, 13) else "float modulo")
    if err == 17:  # a value compiled code cannot hold: "Class:text"
        cls, _, rest = text.partition(":")
        return {"OverflowError": OverflowError, "ValueError": ValueError}.get(cls, RuntimeError)(rest)
    return _EXC.get(err, RuntimeError)(text)


stats = {"binary_loads": 0}  # program binaries loaded from sejit's cache, for tests

ERROR_INTS = 18  # clgen.ErrorBufferInts: flag, message index, 8 operands of two words


def has_device_args(args):
    return any(is_device_array(a) for a in args)


def _stand_in(d):
    """A NumPy array with d's dtype, shape and strides (over one element: never read), for the
    host classification of the argument."""
    base = numpy.empty(1, d.dtype)
    return numpy.lib.stride_tricks.as_strided(base, shape=d.shape, strides=d.strides)


# The fast path of call: a key made of what classification reads from each argument (a device
# array's context, dtype, shape, strides and offset's alignment; a scalar's type), mapped to the
# program of an earlier call. A key maps to a program only after that call passed every check,
# and everything the checks and the classification read is in the key, so a hit needs neither.
# Integers outside int64 take the slow path, which refuses them. Contexts are in the key by
# identity (Context.__hash__ is Python code, a third of a microsecond per array); each entry
# holds its contexts, so an id in a key stays that context's while the entry lives.
_FAST_LIMIT = 64  # keys per function; a function called on many shapes drops the oldest


def _fast_key(args):
    key = []
    for a in args:
        t = type(a)
        if t is DeviceArray:
            dt = a._dtype
            key.append((id(a._ctx), dt, a._shape, a._strides, a._offset % dt.itemsize))
        elif t is float or t is bool or t is complex or isinstance(a, (numpy.number, numpy.bool_)):
            key.append(t)
        elif t is int and -(1 << 63) <= a < (1 << 63):
            key.append(t)
        else:
            return None
    return tuple(key)


def fast_call(fast, args):
    """A repeat call's result through the fast path (fast: the function's "_device_fast"
    table), or MISS (the dispatcher tries this first for functions that ran on a device
    before)."""
    key = _fast_key(args)
    hit = fast.get(key) if key is not None else None
    return MISS if hit is None else hit[0].run(args)


MISS = object()


def call(dispatcher, args):
    """Runs dispatcher's function on device arrays (all of one context) and scalars."""
    fast = dispatcher.__dict__.get("_device_fast")
    key = _fast_key(args)
    if fast is not None and key is not None:
        hit = fast.get(key)
        if hit is not None:
            return hit[0].run(args)
    prog = _program(dispatcher, args)
    if key is not None:
        if fast is None:
            fast = dispatcher.__dict__["_device_fast"] = {}
        if len(fast) >= _FAST_LIMIT:
            del fast[next(iter(fast))]
        fast[key] = (prog, tuple({id(a._ctx): a._ctx for a in args if type(a) is DeviceArray}.values()))
    return prog.run(tuple(as_device_array(a) if is_device_array(a) else a for a in args))


def _program(dispatcher, args):
    """The program for a call's arguments, after checking them (the slow path of call)."""
    _args.check_arity(dispatcher.py_func, len(args))
    ctx = None
    devs = {}
    for i, a in enumerate(args):
        if isinstance(a, numpy.ndarray):
            first = next(k for k, v in enumerate(args) if is_device_array(v))
            raise public(_args.device_error(dispatcher, args, first))
        if is_device_array(a):
            d = as_device_array(a)
            if ctx is None:
                ctx = d.context
            elif d.context != ctx:
                raise public(TypeError(
                    f"{dispatcher.py_func.__qualname__}() argument {i + 1}: a device array of "
                    f"{d.context.spec}, where argument {min(devs) + 1} is on {ctx.spec}: all the "
                    f"device arrays of a call must be in one Context"))
            for s in d.strides:
                if s % d.dtype.itemsize:
                    raise public(TypeError(
                        f"{dispatcher.py_func.__qualname__}() argument {i + 1}: strides {d.strides} "
                        f"are not multiples of the item size; pass a copy"))
            if d._offset % d.dtype.itemsize:
                raise public(TypeError(
                    f"{dispatcher.py_func.__qualname__}() argument {i + 1}: a misaligned view; "
                    f"pass a copy"))
            if d.dtype == numpy.float64 and not ctx.fp64:
                raise public(TypeError(
                    f"{dispatcher.py_func.__qualname__}() argument {i + 1}: float64 data on "
                    f"{ctx.name}, which has no fp64 (cl_khr_fp64); use float32"))
            devs[i] = d
    stand = tuple(_stand_in(devs[i]) if i in devs else a for i, a in enumerate(args))
    sigkey, argtypes = _args.classify(dispatcher, stand)
    progs = dispatcher.__dict__.setdefault("_device_programs", {})
    prog = progs.get((sigkey, ctx))
    if prog is None:
        prog = progs[(sigkey, ctx)] = _compile(dispatcher, ctx, argtypes)
    return prog


def explain(dispatcher, args):
    """The account of a device call for these arguments (f.explain on device arrays): the
    device, each kernel launch with its sizes, the kernels' source and the host plan."""
    prog = _program(dispatcher, args)
    return prog.describe()


def _fmt(e):
    """A host-plan expression as text."""
    if not isinstance(e, dict):
        return str(e)
    if "v" in e:
        return e["v"]
    if "c" in e:
        dt = numpy.dtype(e["t"])
        return repr(dt.type(float.fromhex(e["c"]))) if dt.kind == "f" else str(e["c"])
    if "op" in e:
        if "y" not in e:
            return f"{e['op']}({_fmt(e['x'])})"
        return f"({_fmt(e['x'])} {e['op']} {_fmt(e['y'])})"
    if "dim" in e:
        return f"{e['dim']}.shape[{e['axis']}]"
    if "stride" in e:
        return f"{e['stride']}.strides[{e['axis']}]"
    if "cast" in e:
        return f"{e['t']}({_fmt(e['cast'])})"
    if "sel" in e:
        c, x, y = e["sel"]
        return f"({_fmt(x)} if {_fmt(c)} else {_fmt(y)})"
    if "fn" in e:
        return f"{e['fn']}({', '.join(_fmt(a) for a in e['args'])})"
    return json.dumps(e)


def _launches(body, out, depth=0):
    """One line per launch of the plan's statements, with the loops around it."""
    pad = "  " * depth
    for s in body:
        k = s.get("s")
        if k in ("launch", "reduce"):
            out.append((pad, s))
        elif k == "for":
            out.append((pad, {"s": "loop", "text": f"for {s['var']} in range({_fmt(s['start'])}, "
                                                    f"{_fmt(s['stop'])}, {_fmt(s['step'])}):"}))
            _launches(s["body"], out, depth + 1)
        elif k == "while":
            out.append((pad, {"s": "loop", "text": f"while {_fmt(s['cond'])}:"}))
            _launches(s["body"], out, depth + 1)
        elif k == "if":
            _launches(s["then"], out, depth)
            _launches(s["else"], out, depth)


def _numpy_leaves(ret):
    """For each leaf of a result (the ABI's "ret", flattened as the host plan returns it),
    whether a scalar there comes back as a NumPy scalar."""
    kind = ret.get("kind")
    if kind == "scalar":
        return [bool(ret.get("numpy"))]
    if kind == "array":
        return [False]
    if kind == "optional":
        return [False] + [f for item in ret.get("items") or () for f in _numpy_leaves(item)]
    return [f for item in ret.get("items") or () for f in _numpy_leaves(item)]


def _identity(ctx):
    i = ctx.info
    return {"name": i.name, "platform": i.platform_name, "driver_version": i.driver_version,
            "fp64": bool(i.fp64)}


def _root():
    root = os.path.join(_cache.user_cache_dir(), "opencl")
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
    except OSError:
        root = os.path.join(_cache.private_cache_dir(), "opencl")
        os.makedirs(root, mode=0o700, exist_ok=True)
    return root


def _read_private(path):
    """The bytes of a private regular file of sejit's cache (the checks of the CPU entries:
    owned by the user, not writable by others, not a link), or None."""
    fd, _why = _cache._open_private(path, "device cache file")
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            return f.read()
    except OSError:
        return None


def _write_atomic(path, data):
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _compile(dispatcher, ctx, argtypes):
    fset = _request.FunctionSet(dispatcher.py_func)
    options = dispatcher._codegen_options()
    base = _request.cache_key(fset, argtypes, options, "opencl", "")
    ident = _identity(ctx)
    key = hashlib.sha256(_request.canonical_json(
        {"base": base, "target": "opencl", "device": ident}).encode()).hexdigest()
    root = _root()
    path = os.path.join(root, key + ".json")
    reply = None
    if dispatcher.options["cache"]:
        data = _read_private(path)
        try:
            reply = json.loads(data) if data is not None else None
        except ValueError:
            reply = None
        if not (isinstance(reply, dict) and reply.get("ok") is True and "plan" in reply):
            reply = None
        else:
            _engine.count("cache_loads")
    if reply is None:
        request = dispatcher._request(argtypes, fset, key, root, False, False)
        request["target"] = "opencl"
        request["device"] = ident
        reply = _engine.run(request, dispatcher.py_func.__qualname__)
        if reply.get("ok") is not True:
            raise error_from_reply(reply, dispatcher.py_func.__qualname__)
        _engine.count("compiles")
        if dispatcher.options["cache"]:
            _write_atomic(path, json.dumps(reply).encode())
    return DeviceProgram(ctx, reply, root, dispatcher.options["cache"])


def _build_options(ctx):
    cl = _cl.load()
    opts = []
    try:
        if ctx.device.single_fp_config & cl.device_fp_config.CORRECTLY_ROUNDED_DIVIDE_SQRT:
            # float32 / and sqrt correctly rounded, as NumPy's (OpenCL allows 2.5 ulp otherwise).
            opts.append("-cl-fp32-correctly-rounded-divide-sqrt")
    except Exception:
        pass
    return opts


def _build(ctx, source, root, cache):
    """The built pyopencl Program, from sejit's binary cache when it has it."""
    cl = _cl.load()
    options = _build_options(ctx)
    i = ctx.info
    key = hashlib.sha256("\0".join([source, i.platform_name, i.name, i.driver_version,
                                    " ".join(options)]).encode()).hexdigest()
    path = os.path.join(root, key + ".bin")
    if cache:
        try:
            binary = _read_private(path)
            if binary is None:
                raise OSError("no binary")
            prog = cl.Program(ctx.cl_context, [ctx.device], [binary]).build(options=options)
            stats["binary_loads"] += 1
            return prog
        except Exception:  # missing, or refused by the driver: rebuilt from source
            pass
    prog = cl.Program(ctx.cl_context, source).build(options=options)
    if cache:
        try:
            binary = prog.get_info(cl.program_info.BINARIES)[0]
            if binary:
                _write_atomic(path, bytes(binary))
        except Exception:
            pass
    return prog


class _Desc:
    """An array of the plan: buffer, offset, shape and strides in elements, dtype."""

    __slots__ = ("buf", "off", "shape", "strides", "dtype", "array")

    def __init__(self, buf, off, shape, strides, dtype, array=None):
        self.buf, self.off, self.shape, self.strides = buf, off, tuple(shape), tuple(strides)
        self.dtype, self.array = dtype, array

    @classmethod
    def of(cls, d):
        dt = d._dtype
        isz = dt.itemsize
        return cls(d._buf, d._offset // isz, d._shape, [s // isz for s in d._strides], dt, d)

    def span(self):
        """The [lo, hi) bytes of the buffer it spans, or None when empty."""
        if 0 in self.shape:
            return None
        isz = self.dtype.itemsize
        lo = hi = self.off
        for n, s in zip(self.shape, self.strides):
            e = (n - 1) * s
            if e < 0:
                lo += e
            else:
                hi += e
        return lo * isz, (hi + 1) * isz


class _Ret:
    """What a host-plan function returns: a value rather than an exception (raising and catching
    one on every call costs about a microsecond)."""

    __slots__ = ("vals",)

    def __init__(self, vals):
        self.vals = vals  # a _Desc per array, (value, dtype name) per scalar


def _wrap(v, dt):
    bits = dt.itemsize * 8
    v &= (1 << bits) - 1
    if dt.kind == "i" and v >> (bits - 1):
        v -= 1 << bits
    return v


def _convert(v, dt):
    if dt.kind == "b":
        return bool(v != 0)
    if dt.kind in "iu":
        if isinstance(v, (numpy.floating, float)):
            f = float(v)
            if math.isnan(f) or not -2.0**63 < f < 2.0**63 and not (dt.kind == "u" and 0 <= f < 2.0**64):
                return _wrap(-(1 << 63), dt)
            return _wrap(int(f), dt)
        return _wrap(int(v), dt)
    if dt.kind == "f" and isinstance(v, (complex, numpy.complexfloating)):
        v = v.real  # a complex cast to a real dtype is its real part, as in the IR
    return dt.type(v)


def _format(text, args):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c in "{}" and text[i + 1:i + 2] == c:
            out.append(c)
            i += 2
        elif c == "{":
            j = text.index("}", i)
            out.append(str(args[int(text[i + 1:j])]))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _locals(locs):
    """The starting values of a function's scalar locals."""
    env = {}
    for loc in locs:
        dt = numpy.dtype(loc["dtype"])
        env[loc["name"]] = dt.type(0) if dt.kind in "fc" else (False if dt.kind == "b" else 0)
    return env


def _overlap(A, B):
    """Whether two array descriptors share bytes of one buffer."""
    if not (A.buf is B.buf or A.buf == B.buf):
        return False
    a, b = A.span(), B.span()
    return bool(a and b and a[0] < b[1] and b[0] < a[1])


_CMP = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
        "eq": operator.eq, "ne": operator.ne}


def _const(e):
    dt = numpy.dtype(e["t"])
    if dt.kind == "f":
        return dt.type(float.fromhex(e["c"]))
    if dt.kind == "c":
        return dt.type(complex(float.fromhex(e["c"]), float.fromhex(e["ci"])))
    if dt.kind == "b":
        return e["c"] != "0"
    return int(e["c"])


def _expr(e):
    """A host-plan expression compiled to a function of (env, arrays): the scalars and the array
    descriptors of the running function."""
    if "v" in e:
        name = e["v"]
        return lambda env, arrays: env[name]
    if "c" in e:
        value = _const(e)
        return lambda env, arrays: value
    if "op" in e:
        dt, op, x = numpy.dtype(e["t"]), e["op"], _expr(e["x"])
        if "y" not in e:
            return lambda env, arrays: _unary(op, x(env, arrays), dt)
        y = _expr(e["y"])
        if op == "and":
            return lambda env, arrays: bool(x(env, arrays)) and bool(y(env, arrays))
        if op == "or":
            return lambda env, arrays: bool(x(env, arrays)) or bool(y(env, arrays))
        cmp = _CMP.get(op)
        if cmp is not None:
            return lambda env, arrays: bool(cmp(x(env, arrays), y(env, arrays)))
        xt = numpy.dtype(e["xt"])
        return lambda env, arrays: _binary(op, x(env, arrays), y(env, arrays), dt, xt)
    if "dim" in e:
        name, axis = e["dim"], e["axis"]
        return lambda env, arrays: arrays[name].shape[axis]
    if "stride" in e:
        name, axis = e["stride"], e["axis"]
        return lambda env, arrays: arrays[name].strides[axis]
    if "cast" in e:
        x, dt = _expr(e["cast"]), numpy.dtype(e["t"])
        return lambda env, arrays: _convert(x(env, arrays), dt)
    if "sel" in e:
        c, x, y = (_expr(a) for a in e["sel"])
        return lambda env, arrays: x(env, arrays) if c(env, arrays) else y(env, arrays)
    if "fn" in e:
        fn, args = e["fn"], [_expr(a) for a in e["args"]]
        if fn not in _FNS:
            raise AssertionError(f"host plan: unknown function {fn}")
        f = _FNS[fn]
        return lambda env, arrays: f(*[a(env, arrays) for a in args])
    if "overlap" in e:
        n1, n2 = e["overlap"]
        return lambda env, arrays: _overlap(arrays[n1], arrays[n2])
    raise AssertionError(f"host plan: unknown expression {e}")


_FNS = {
    "min": lambda a, b: a if a < b or b != b else b,
    "max": lambda a, b: a if a > b or b != b else b,
    "ceildiv": lambda a, b: -((-a) // b),
    # The checks of a Python number's power (lower/pypow.go); a complex is infinite or NaN
    # where either part is.
    "isinf": lambda a: bool(numpy.isinf(a)),
    "isnan": lambda a: bool(numpy.isnan(a)),
    "isfinite": lambda a: bool(numpy.isfinite(a)),
    "imag": lambda a: float(numpy.imag(a)),
    "floor": lambda a: float(numpy.floor(a)),
}


def _binary(op, x, y, dt, xt):
    if dt.kind in "iub":
        x, y = int(x), int(y)
        if op == "add":
            r = x + y
        elif op == "sub":
            r = x - y
        elif op == "mul":
            r = x * y
        elif op == "div":
            r = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1) if y else 0
        elif op == "fdiv":
            r = x // y if y else 0
        elif op == "mod":
            r = x % y if y else 0
        elif op == "pow":
            r = pow(x, y, 1 << 64) if y >= 0 else 0
        elif op == "band":
            r = x & y
        elif op == "bor":
            r = x | y
        elif op == "bxor":
            r = x ^ y
        elif op == "shl":
            r = 0 if y < 0 or y >= 64 else x << y
        elif op == "shr":
            r = (-1 if x < 0 else 0) if y < 0 or y >= 64 else x >> y
        else:
            raise AssertionError(f"host plan: unknown operator {op}")
        if dt.kind == "b":
            return bool(r)
        return _wrap(r, dt)
    x, y = dt.type(x), dt.type(y)
    with numpy.errstate(all="ignore"):
        if op == "add":
            return x + y
        if op == "sub":
            return x - y
        if op == "mul":
            return x * y
        if op == "div":
            return x / y
        if op == "fdiv":
            return numpy.floor_divide(x, y)
        if op == "mod":
            return numpy.remainder(x, y)
        if op == "pow":
            return numpy.power(x, y)
    raise AssertionError(f"host plan: unknown operator {op}")


def _unary(op, x, dt):
    if op == "not":
        return not x
    if dt.kind in "iu":
        x = int(x)
        return _wrap({"neg": -x, "inv": ~x, "abs": abs(x)}[op], dt)
    if dt.kind == "b":
        return not x if op == "inv" else bool(x)
    with numpy.errstate(all="ignore"):
        return {"neg": -x, "abs": abs(x)}[op] if op in ("neg", "abs") else dt.type(x)


_sources = 0  # host plans printed: each gets its own file name in tracebacks

_CMP_TEXT = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}


class _Source:
    """A host plan's functions as Python source, compiled once per program (DeviceProgram).

    A repeat call's cost between two launches is the launch overhead (issue 11), and on PoCL it
    counts about one and a half times: the device's threads go idle while the host works. So the
    statements that run on every call (assignments, checks, ifs, loops, launches, returns) are
    printed inline, with their expressions, as plain Python over the function's scalars (env)
    and array descriptors (arrays); launches set their kernel's arguments in one call. The rest
    (reductions, calls, views, allocations, raises, launches with work-group sizes) call the
    statement's closure (DeviceProgram._stmt), which does the same with a few more calls."""

    def __init__(self, prog):
        cl = _cl.load()
        self.prog = prog
        self.ns = {"_Ret": _Ret, "_unary": _unary, "_binary": _binary, "_convert": _convert,
                   "_overlap": _overlap, "_FNS": _FNS, "_ctx": prog.ctx, "_fail": prog.fail,
                   "_chunk_length": prog.ctx.info.chunk_length,
                   "_enqueue": cl.enqueue_nd_range_kernel}
        self.lines = []
        self.n = 0

    def function(self, name, body):
        """Defines name(env, arrays) running body (or, body None, the function of self.lines);
        returns it."""
        if body is not None:
            self.lines = [f"def {name}(env, arrays):"]
            self.body(body, 1)
        src = "\n".join(self.lines) + "\n"
        global _sources
        _sources += 1
        filename = f"<sejit host plan {_sources}: {name}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        exec(compile(src, filename, "exec"), self.ns)
        return self.ns[name]

    def const(self, value, hint):
        name = f"_{hint}{self.n}"
        self.n += 1
        self.ns[name] = value
        return name

    def emit(self, ind, line):
        self.lines.append("    " * ind + line)

    def expr(self, e):
        if "v" in e:
            return f"env[{e['v']!r}]"
        if "c" in e:
            return self.const(_const(e), "c")
        if "op" in e:
            op, x = e["op"], self.expr(e["x"])
            dt = self.const(numpy.dtype(e["t"]), "t")
            if "y" not in e:
                return f"_unary({op!r}, {x}, {dt})"
            y = self.expr(e["y"])
            if op == "and":
                return f"(bool({x}) and bool({y}))"
            if op == "or":
                return f"(bool({x}) or bool({y}))"
            if op in _CMP_TEXT:
                return f"bool(({x}) {_CMP_TEXT[op]} ({y}))"
            return f"_binary({op!r}, {x}, {y}, {dt}, {self.const(numpy.dtype(e['xt']), 't')})"
        if "dim" in e:
            return f"arrays[{e['dim']!r}].shape[{int(e['axis'])}]"
        if "stride" in e:
            return f"arrays[{e['stride']!r}].strides[{int(e['axis'])}]"
        if "cast" in e:
            return f"_convert({self.expr(e['cast'])}, {self.const(numpy.dtype(e['t']), 't')})"
        if "sel" in e:
            c, x, y = (self.expr(a) for a in e["sel"])
            return f"(({x}) if ({c}) else ({y}))"
        if "fn" in e:
            if e["fn"] not in _FNS:
                raise AssertionError(f"host plan: unknown function {e['fn']}")
            return f"_FNS[{e['fn']!r}]({', '.join(self.expr(a) for a in e['args'])})"
        if "overlap" in e:
            a, b = e["overlap"]
            return f"_overlap(arrays[{a!r}], arrays[{b!r}])"
        raise AssertionError(f"host plan: unknown expression {e}")

    def body(self, body, ind):
        if not body:
            self.emit(ind, "pass")
        for s in body:
            self.stmt(s, ind)

    def stmt(self, s, ind):
        k = s["s"]
        if k == "assign":
            self.emit(ind, f"env[{s['dst']!r}] = {self.expr(s['e'])}")
        elif k == "check":
            self.emit(ind, f"if not ({self.expr(s['cond'])}):")
            args = ", ".join(f"int({self.expr(a)})" for a in s["args"])
            self.emit(ind + 1, f"_fail({int(s['msg'])}, [{args}])")
        elif k == "if":
            self.emit(ind, f"if {self.expr(s['cond'])}:")
            self.body(s["then"], ind + 1)
            if s["else"]:
                self.emit(ind, "else:")
                self.body(s["else"], ind + 1)
        elif k == "for":
            i = self.n
            self.n += 1
            v, hi, st, first = f"_v{i}", f"_hi{i}", f"_st{i}", f"_first{i}"
            self.emit(ind, f"{v}, {hi}, {st} = {self.expr(s['start'])}, {self.expr(s['stop'])}, "
                           f"{self.expr(s['step'])}")
            self.emit(ind, f"{first} = True")
            self.emit(ind, "while True:")
            # The step is added at the top, so that a continue in the body steps too.
            self.emit(ind + 1, f"if {first}:")
            self.emit(ind + 2, f"{first} = False")
            self.emit(ind + 1, "else:")
            self.emit(ind + 2, f"{v} += {st}")
            self.emit(ind + 1, f"if not (({v} < {hi}) if {st} > 0 else ({v} > {hi})):")
            self.emit(ind + 2, "break")
            self.emit(ind + 1, f"env[{s['var']!r}] = {v}")
            self.body(s["body"], ind + 1)
        elif k == "while":
            self.emit(ind, f"while {self.expr(s['cond'])}:")
            self.body(s["body"], ind + 1)
        elif k == "return":
            vals = [f"arrays[{v['array']!r}]" if "array" in v else
                    f"({self.expr(v)}, {v.get('t')!r})" for v in s["vals"]]
            self.emit(ind, f"return _Ret([{', '.join(vals)}])")
        elif k in ("break", "continue"):
            self.emit(ind, k)
        elif k == "launch" and not s.get("local") and self.launch(s, ind):
            pass
        else:
            self.emit(ind, f"{self.const(self.prog._stmt(s), 's')}(env, arrays)")

    def runner(self):
        """run(args) for the plan's parameters (DeviceProgram.run_generic, unrolled: each array
        argument's descriptor made from its known dtype and rank, the overlap guards between
        known pairs), or None where the ABI lists other kinds of argument."""
        prog = self.prog
        params, kinds = prog.plan["params"], (prog.abi.get("args") or [])
        if len(kinds) != len(params) or any(k.get("kind") not in ("array", "scalar") for k in kinds):
            return None
        self.ns.update({"_Desc": _Desc, "_DeviceArray": DeviceArray, "_env0": prog.env0,
                        "_generic": prog.run_generic, "_result": prog.result, "_entry": prog.main})
        n = len(params)
        self.lines = ["def run(args):"]
        self.emit(1, f"if len(args) != {n}:")
        self.emit(2, "return _generic(args)")
        if n:
            self.emit(1, f"{', '.join(f'a{i}' for i in range(n))}{',' if n == 1 else ''} = args")
        arrays = [i for i, k in enumerate(kinds) if k["kind"] == "array"]
        if arrays:
            # A pyopencl array (never on the fast path) takes the generic way.
            self.emit(1, f"if {' or '.join(f'type(a{i}) is not _DeviceArray' for i in arrays)}:")
            self.emit(2, "return _generic(args)")

        def desc(i):
            isz = numpy.dtype(kinds[i]["dtype"]).itemsize
            strides = "".join(f"a{i}._strides[{j}] // {isz}, " for j in range(int(kinds[i]["ndim"])))
            return f"_Desc(a{i}._buf, a{i}._offset // {isz}, a{i}._shape, ({strides}), a{i}._dtype, a{i})"

        for i in arrays:
            self.emit(1, f"d{i} = {desc(i)}")
        for g, ws in prog.guards:
            # An argument read after an argument it overlaps is written: read a copy instead,
            # as the CPU target does.
            ws = [w for w in ws if w in arrays]
            if g not in arrays or not ws:
                continue
            for j, w in enumerate(ws):
                self.emit(1, f"{'if' if j == 0 else 'elif'} _overlap(d{g}, d{w}):")
                self.emit(2, f"a{g} = a{g}.copy()")
                self.emit(2, f"d{g} = {desc(g)}")
        self.emit(1, "env = dict(_env0)")
        for i, name in enumerate(params):
            if kinds[i]["kind"] == "scalar":
                self.emit(1, f"env[{name!r}] = a{i}")
        items = ", ".join(f"{params[i]!r}: d{i}" for i in arrays)
        self.emit(1, f"r = _entry(env, {{{items}}})")
        self.emit(1, "return None if r is None or not r.vals else _result(r.vals)")
        return self.function("run", None)

    def launch(self, s, ind):
        """Prints a launch inline, or returns False for one this printer leaves to the closure
        (arguments in work-group memory)."""
        index = s["kernel"]
        k = self.prog.plan["kernels"][index]
        if any("local" in a or "partial" in a for a in k["args"]):
            return False
        spec = self.prog.arg_spec(index)
        kernel = self.const(self.prog.kernels[index], "k")
        for b in s.get("before") or ():
            self.emit(ind, f"env[{b['dst']!r}] = {self.expr(b['e'])}")
        n = len(s["global"])
        self.emit(ind, f"_g = [{', '.join(f'int({self.expr(g)})' for g in s['global'])}]")
        self.emit(ind, "if 0 not in _g:")
        ind += 1
        args = []
        for kind, a, b in spec:
            if kind == 0:
                d = f"_d{self.n}"
                self.n += 1
                self.emit(ind, f"{d} = arrays[{a!r}]")
                args += [f"{d}.buf", f"{d}.off", f"*{d}.shape", f"*{d}.strides"]
            elif kind == 1:
                v = f"env[{a!r}]"
                args.append(f"(1 if {v} else 0)" if b is None else f"{self.const(b, 't')}({v})")
            elif kind == 2:
                args.append(f"_g[{int(a)}]")
            elif kind == 3:
                args.append("_chunk")
            else:
                args.append(f"{self.const(self.prog.err_buffer, 'e')}()")
        gsize = [f"_g[{j}]" for j in reversed(range(n))]
        if k.get("chunked"):
            self.emit(ind, f"_chunk = _chunk_length(_g[{n - 1}])")
            gsize[0] = f"-(-_g[{n - 1}] // _chunk)"
        self.emit(ind, f"{kernel}.set_args({', '.join(args)})")
        self.emit(ind, f"_enqueue(_ctx.queue, {kernel}, ({', '.join(gsize)},), None)")
        if k["checks"]:
            self.emit(ind, f"{self.const(self.prog.read_errors, 'r')}()")
        return True


class DeviceProgram:
    """One specialization on one device: the built program, its kernels, the host plan."""

    def __init__(self, ctx, reply, root, cache):
        self.ctx = ctx
        self.plan = plan = reply["plan"]
        self.abi = abi = reply.get("abi") or {}
        self.source = reply["opencl"]
        prog = _build(ctx, self.source, root, cache)
        self.kernels = [getattr(prog, k["name"]) for k in plan["kernels"]]
        self.err = None
        self.err_host = numpy.empty(ERROR_INTS, numpy.int32)
        # The plan is compiled once into Python functions (_stmt, _expr), so that a repeat call
        # walks no JSON, makes no dtypes and gives pyopencl typed kernels: its cost is the
        # launch overhead of issue 11 (docs/performance.md, "Device target").
        src = _Source(self)
        self.funcs = []
        for i, f in enumerate(plan.get("funcs") or ()):
            self.funcs.append(src.function(f"func{i}", f["body"]))
        self.main = src.function("entry", plan["body"])
        self.env0 = _locals(plan["locals"] or ())
        self.params = plan["params"]
        writes = abi.get("writes") or []
        self.guards = [(g, [w for w in writes if w != g]) for g in abi.get("guard") or []]
        self.flags = _numpy_leaves(abi.get("ret") or {})
        self.run = src.runner() or self.run_generic

    def describe(self):
        """What explain prints for this program (see explain)."""
        kernels = self.plan["kernels"]
        lines = ["== device ==", str(self.ctx), "", "== launches (in the host plan's order) =="]
        launches = []
        _launches(self.plan["body"], launches)
        if not launches:
            lines.append("(none: the call runs on the host)")
        for pad, s in launches:
            if s["s"] == "loop":
                lines.append(pad + s["text"])
                continue
            k = kernels[s["kernel"]]
            glob = [_fmt(g) for g in s["global"]]
            if s["s"] == "reduce":
                combine = kernels[s["combine"]]["name"]
                lines.append(f"{pad}{k['name']}: a reduction over {' x '.join(glob)} iterations, "
                             f"work-groups of {s['wg']} work-items each running {s['per']} of "
                             f"them, then {combine} combining the groups' partial results")
                continue
            how = "one work-item per iteration"
            if k.get("chunked"):
                how = ("the innermost dimension in chunks of consecutive iterations, one chunk per "
                       "work-item (chunk length chosen per device: 1 on GPUs, up to 1024 on CPUs)")
            local = f", local size {[_fmt(x) for x in s['local']]}" if s.get("local") else ""
            checks = "; checks report through the error buffer" if k.get("checks") else ""
            lines.append(f"{pad}{k['name']}: global size {' x '.join(glob)}, {how}{local}{checks}")
        lines += ["", "== kernels (OpenCL C) ==", self.source.rstrip(), "", "== host plan ==",
                  json.dumps(self.plan["body"], indent=1)]
        return "\n".join(lines) + "\n"

    # -- statements ------------------------------------------------------------------------
    #
    # The statements _Source leaves to a closure: each is compiled to a function of (env,
    # arrays), the scalars and the array descriptors of the function running (the entry, or a
    # function it calls), answering None.

    def _stmt(self, s):
        k = s["s"]
        if k == "launch":
            return self._launch(s)
        if k == "reduce":
            return self._reduce(s)
        if k == "call":
            return self._call(s)
        if k == "view":
            base, dst, off = s["base"], s["dst"], _expr(s["offset"])
            shape, strides = [_expr(x) for x in s["shape"]], [_expr(x) for x in s["strides"]]
            part = numpy.dtype(s["dtype"]) if "dtype" in s else None

            def view(env, arrays):
                b = arrays[base]
                dt, o = b.dtype, b.off
                if part is not None:  # the parts of a complex array: offsets count parts
                    dt, o = part, b.off * (b.dtype.itemsize // part.itemsize)
                arrays[dst] = _Desc(b.buf, o + int(off(env, arrays)),
                                    [int(x(env, arrays)) for x in shape],
                                    [int(x(env, arrays)) for x in strides], dt)

            return view
        if k == "alias":
            dst, src = s["dst"], s["src"]

            def alias(env, arrays):
                arrays[dst] = arrays[src]

            return alias
        if k == "alloc":
            dst, dtype, shape = s["dst"], s["dtype"], [_expr(x) for x in s["shape"]]

            def alloc(env, arrays):
                arrays[dst] = _Desc.of(self.ctx.empty([int(x(env, arrays)) for x in shape], dtype))

            return alloc
        if k == "raise":
            err, text = s["err"], s["text"]

            def raise_(env, arrays):
                raise _exception(err, text)

            return raise_
        raise AssertionError(f"host plan: unknown statement {k}")

    def _call(self, s):
        """A call of a function the entry calls (the variant stretching extents of 1): its own
        scalars and arrays, its nests launched as the entry's are."""
        index = s["func"]
        f = self.plan["funcs"][index]
        env0 = _locals(f["locals"])
        args = [(name, True, a["array"]) if "array" in a else (name, False, _expr(a))
                for name, a in zip(f["params"], s["args"])]
        dsts = [(d["var"], bool(d["array"])) for d in s["dsts"]]

        def call(env, arrays):
            fenv, farrays = dict(env0), {}
            for name, is_array, a in args:
                if is_array:
                    farrays[name] = arrays[a]
                else:
                    fenv[name] = a(env, arrays)
            r = self.funcs[index](fenv, farrays)
            ret = [v if isinstance(v, _Desc) else v[0] for v in r.vals] if isinstance(r, _Ret) else []
            for (var, is_array), v in zip(dsts, ret):
                if is_array:
                    arrays[var] = v
                else:
                    env[var] = v

        return call

    def fail(self, msg, args):
        m = self.plan["messages"][msg]
        raise _exception(m["err"], _format(m["text"], args))

    def _reduce(self, s):
        """A reduction (clgen/reduce.go): the first pass writes one partial per work-group and
        accumulator, the combining pass reduces them until one is left, which is read back."""
        before = [(b["dst"], _expr(b["e"])) for b in s.get("before") or ()]
        after = [(b["dst"], _expr(b["e"])) for b in s.get("after") or ()]
        glob_of = [_expr(g) for g in s["global"]]
        wg, chunk = s["wg"], s["wg"] * s["per"]
        mems = [numpy.dtype("uint8" if a["dtype"] == "bool" else a["dtype"]) for a in s["accs"]]
        outs = [(a["var"], numpy.dtype(a["dtype"]).kind) for a in s["accs"]]
        first = self._enqueuer(s["kernel"])
        combine = self.kernels[s["combine"]]
        combine.set_scalar_arg_dtypes([None] * (2 * len(mems)) + [numpy.int64])
        cl = _cl.load()
        ctx = self.ctx

        def partials(count):
            return [cl.Buffer(ctx.cl_context, cl.mem_flags.READ_WRITE, count * m.itemsize)
                    for m in mems]

        def reduce(env, arrays):
            for dst, e in before:
                env[dst] = e(env, arrays)
            glob = [int(g(env, arrays)) for g in glob_of]
            groups = max(1, -(-math.prod(glob) // chunk))
            parts = partials(groups)
            first(env, arrays, glob, parts, (groups * wg,), (wg,))
            while groups > 1:
                ng = -(-groups // chunk)
                nparts = partials(ng)
                combine.set_args(*[b for pair in zip(parts, nparts) for b in pair], groups)
                cl.enqueue_nd_range_kernel(ctx.queue, combine, (ng * wg,), (wg,))
                parts, groups = nparts, ng
            for (var, kind), m, buf in zip(outs, mems, parts):
                host = numpy.empty(1, m)
                cl.enqueue_copy(ctx.queue, host, buf, is_blocking=True)
                env[var] = bool(host[0]) if kind == "b" else (int(host[0]) if kind in "iu" else host[0])
            for dst, e in after:
                env[dst] = e(env, arrays)

        return reduce

    def _launch(self, s):
        before = [(b["dst"], _expr(b["e"])) for b in s.get("before") or ()]
        glob_of = [_expr(g) for g in s["global"]]
        local_of = [_expr(x) for x in s["local"]] if s.get("local") else None
        enqueue = self._enqueuer(s["kernel"])
        ctx = self.ctx

        def launch(env, arrays):
            for dst, e in before:
                env[dst] = e(env, arrays)
            glob = [int(g(env, arrays)) for g in glob_of]
            if 0 in glob:
                return
            local = None
            if local_of is not None:
                local = tuple(reversed([int(x(env, arrays)) for x in local_of]))
                limit = ctx.device.max_work_group_size
                if math.prod(local) > limit:
                    raise ValueError(f"local_size {local} has {math.prod(local)} work-items; "
                                     f"{ctx.name} allows at most {limit} in a work-group")
            enqueue(env, arrays, glob, None, tuple(reversed(glob)), local)

        return launch

    def arg_spec(self, index):
        """A kernel's arguments as (kind, name or index, extra) and, given to pyopencl once
        here, their scalar types.

        The kernel's argument list is fixed by its signature (the arrays' ranks, the scalars'
        dtypes): pyopencl's generic set_args inspects every argument (about 7 us per NumPy scalar
        on PoCL), a typed kernel packs plain ints with one struct.pack."""
        k = self.plan["kernels"][index]
        spec, types = [], []
        i64 = numpy.dtype(numpy.int64)
        for a in k["args"]:
            if "array" in a:
                spec.append((0, a["array"], None))
                types += [None] + [i64] * (1 + 2 * a["ndim"])
            elif "scalar" in a:
                dt = numpy.dtype(a["dtype"])
                # A bool goes as a uchar; other scalars as their dtype's NumPy scalar.
                spec.append((1, a["scalar"], None if dt.kind == "b" else dt.type))
                types.append(numpy.dtype(numpy.uint8) if dt.kind == "b" else dt)
            elif "global" in a:
                spec.append((2, a["global"], None))
                types.append(i64)
            elif "chunk" in a:
                spec.append((3, None, None))
                types.append(i64)
            elif "partial" in a:
                spec.append((4, a["partial"], None))
                types.append(None)
            elif "local" in a:
                # Work-group memory (sejit.local_array): its size is set at the launch, C-ordered.
                spec.append((5, [_expr(x) for x in a["shape"]], numpy.dtype(a["dtype"]).itemsize))
                types += [None] + [i64] * (2 * len(a["shape"]))
            elif "err" in a:
                spec.append((6, None, None))
                types.append(None)
            else:
                raise AssertionError(f"host plan: unknown kernel argument {a}")
        self.kernels[index].set_scalar_arg_dtypes(types)
        return spec

    def _enqueuer(self, index):
        """The function that sets a kernel's arguments and enqueues it: (env, arrays, global
        sizes in the plan's order, partial buffers, global and local size in OpenCL's order)."""
        k = self.plan["kernels"][index]
        kernel = self.kernels[index]
        spec = self.arg_spec(index)
        chunked, checks = bool(k.get("chunked")), bool(k["checks"])
        ctx, info = self.ctx, self.ctx.info
        cl = _cl.load()
        enqueue = cl.enqueue_nd_range_kernel

        def run(env, arrays, glob, parts, gsize, lsize):
            chunk = info.chunk_length(glob[-1]) if chunked else 1
            cargs = []
            for kind, a, b in spec:
                if kind == 0:
                    d = arrays[a]
                    cargs.append(d.buf)
                    cargs.append(d.off)
                    cargs.extend(d.shape)
                    cargs.extend(d.strides)
                elif kind == 1:
                    v = env[a]
                    cargs.append(b(v) if b is not None else (1 if v else 0))
                elif kind == 2:
                    cargs.append(glob[a])
                elif kind == 3:
                    cargs.append(chunk)
                elif kind == 4:
                    cargs.append(parts[a])
                elif kind == 5:
                    shape = [int(x(env, arrays)) for x in a]
                    cargs.append(cl.LocalMemory(max(math.prod(shape), 1) * b))
                    cargs.extend(shape)
                    st, acc = [], 1
                    for n in reversed(shape):
                        st.append(acc)
                        acc *= n
                    cargs.extend(reversed(st))
                else:
                    cargs.append(self.err_buffer())
            kernel.set_args(*cargs)
            if chunked:
                gsize = (-(-gsize[0] // chunk),) + gsize[1:]
            queue = ctx.queue
            enqueue(ctx.queue, kernel, gsize, lsize)
            if checks:
                self.read_errors()

        return run

    def read_errors(self):
        """Raises the first error a kernel with checks recorded, as the CPU target raises it.
        Read right after the kernel, before anything else runs: the CPU target stops at the
        first failed check, so no later statement of the plan may see the state after it."""
        cl = _cl.load()
        queue, host = self.ctx.queue, self.err_host
        cl.enqueue_copy(queue, host, self.err, is_blocking=True)
        if host[0]:
            cl.enqueue_copy(queue, self.err, numpy.zeros(ERROR_INTS, numpy.int32), is_blocking=True)
            words = host.astype(numpy.int64) & 0xFFFFFFFF
            vals = [_wrap(int(words[2 + 2 * j]) | int(words[3 + 2 * j]) << 32, numpy.dtype("int64"))
                    for j in range(8)]
            self.fail(int(host[1]), vals)

    def err_buffer(self):
        if self.err is None:
            cl = _cl.load()
            self.err = cl.Buffer(self.ctx.cl_context, cl.mem_flags.READ_WRITE | cl.mem_flags.COPY_HOST_PTR,
                                 hostbuf=numpy.zeros(ERROR_INTS, numpy.int32))
        return self.err

    # -- a call ----------------------------------------------------------------------------

    def run_generic(self, args):
        """Runs the plan for a call's arguments (device arrays of this program's context, and
        scalars, already checked: see call); self.run is the same, printed for this plan's
        parameters (_Source.runner) where it can be."""
        env = dict(self.env0)
        arrays = {}
        descs = {}
        for i, a in enumerate(args):
            if type(a) is DeviceArray:
                descs[i] = _Desc.of(a)
            elif is_device_array(a):
                descs[i] = _Desc.of(as_device_array(a))
        if self.guards:
            # An argument read after an argument it overlaps is written: read a copy instead,
            # as the CPU target does.
            args = list(args)
            for g, ws in self.guards:
                a = descs.get(g)
                if a is None:
                    continue
                for w in ws:
                    b = descs.get(w)
                    if b is not None and _overlap(a, b):
                        args[g] = args[g].copy()
                        descs[g] = _Desc.of(as_device_array(args[g]))
                        break
        for i, (name, a) in enumerate(zip(self.params, args)):
            if i in descs:
                arrays[name] = descs[i]
            else:
                env[name] = a
        r = self.main(env, arrays)
        return self.result(r.vals) if isinstance(r, _Ret) else None

    def result(self, vals):
        flags = self.flags
        out = []
        for i, v in enumerate(vals):
            if isinstance(v, _Desc):
                isz = v.dtype.itemsize
                out.append(DeviceArray(self.ctx, v.shape, v.dtype, buffer=v.buf, offset=v.off * isz,
                                       strides=[s * isz for s in v.strides]))
            else:
                v, t = v
                # As the CPU target returns them: a NumPy scalar where CPython's result is one
                # (the ABI's "numpy"), else a Python number.
                out.append(v.item() if isinstance(v, numpy.generic) else v)
                if t and (flags[i] if i < len(flags) else t not in ("float64", "int64", "bool")):
                    out[-1] = numpy.dtype(t).type(out[-1])
        if not out:
            return None
        return out[0] if len(out) == 1 else tuple(out)
