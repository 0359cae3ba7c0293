"""Jitted functions called with DeviceArrays: compile for the OpenCL target and run the host plan.

The engine (internal/clgen) answers a target "opencl" request with the kernels' OpenCL C and the
host plan, a small JSON program: scalar assignments, checks, views, allocations, loops, kernel
launches and the return (docs/design.md, "Device target"). This module builds the program with
pyopencl (keeping its binary in sejit's cache, keyed by source, device, driver and options),
and runs the plan on the context's in-order queue. Nothing is read back from the device except
the error buffer after a kernel with checks, and the one value of each reduction's accumulator.
"""

import hashlib
import json
import math
import os

import numpy

from .. import _args, _cache, _engine, _request
from ..errors import error_from_reply, public
from . import _cl
from .array import DeviceArray, as_device_array, is_device_array

_EXC = {1: ZeroDivisionError, 2: IndexError, 3: ValueError, 4: MemoryError, 5: TypeError,
        6: AssertionError, 7: RuntimeError, 8: OverflowError}

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
# Integers outside int64 take the slow path, which refuses them.
_FAST_LIMIT = 64  # keys per function; a function called on many shapes drops the oldest


def _fast_key(args):
    key = []
    for a in args:
        t = type(a)
        if t is DeviceArray:
            key.append((a._ctx, a._dtype, a._shape, a._strides, a._offset % a._dtype.itemsize))
        elif t is float or t is bool or t is complex or isinstance(a, (numpy.number, numpy.bool_)):
            key.append(t)
        elif t is int and -(1 << 63) <= a < (1 << 63):
            key.append(t)
        else:
            return None
    return tuple(key)


def fast_call(dispatcher, args):
    """A repeat call's result through the fast path, or MISS (the dispatcher tries this first
    for functions that ran on a device before)."""
    key = _fast_key(args)
    prog = dispatcher.__dict__["_device_fast"].get(key) if key is not None else None
    return MISS if prog is None else prog.run(args)


MISS = object()


def call(dispatcher, args):
    """Runs dispatcher's function on device arrays (all of one context) and scalars."""
    fast = dispatcher.__dict__.get("_device_fast")
    key = _fast_key(args)
    if fast is not None and key is not None:
        prog = fast.get(key)
        if prog is not None:
            return prog.run(args)
    prog = _program(dispatcher, args)
    if key is not None:
        if fast is None:
            fast = dispatcher.__dict__["_device_fast"] = {}
        if len(fast) >= _FAST_LIMIT:
            del fast[next(iter(fast))]
        fast[key] = prog
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
        isz = d.dtype.itemsize
        return cls(d._buf, d._offset // isz, d.shape, [s // isz for s in d.strides], d.dtype, d)

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


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Return(Exception):
    def __init__(self, vals):
        self.vals = vals


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


class DeviceProgram:
    """One specialization on one device: the built program, its kernels, the host plan."""

    def __init__(self, ctx, reply, root, cache):
        self.ctx = ctx
        self.plan = reply["plan"]
        self.abi = reply.get("abi") or {}
        self.source = reply["opencl"]
        prog = _build(ctx, self.source, root, cache)
        self.kernels = [getattr(prog, k["name"]) for k in self.plan["kernels"]]
        # Whether each kernel's scalar argument types were given to pyopencl: its generic
        # set_args inspects every argument (about 7 us per NumPy scalar on PoCL, 60 us for a
        # kernel over two 1-D arrays); a typed kernel packs them with one struct.pack.
        self.typed = [False] * len(self.kernels)
        self.err = None
        self.dtypes = {}

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

    # -- expressions -----------------------------------------------------------------------

    def ev(self, e):
        env = self.env
        if "v" in e:
            return env[e["v"]]
        if "c" in e:
            dt = numpy.dtype(e["t"])
            if dt.kind == "f":
                return dt.type(float.fromhex(e["c"]))
            if dt.kind == "c":
                return dt.type(complex(float.fromhex(e["c"]), float.fromhex(e["ci"])))
            if dt.kind == "b":
                return e["c"] != "0"
            return int(e["c"])
        if "op" in e:
            dt = numpy.dtype(e["t"])
            op = e["op"]
            x = self.ev(e["x"])
            if "y" not in e:
                return self.unary(op, x, dt)
            if op == "and":
                return bool(x) and bool(self.ev(e["y"]))
            if op == "or":
                return bool(x) or bool(self.ev(e["y"]))
            return self.binary(op, x, self.ev(e["y"]), dt, numpy.dtype(e["xt"]))
        if "dim" in e:
            return self.arrays[e["dim"]].shape[e["axis"]]
        if "stride" in e:
            return self.arrays[e["stride"]].strides[e["axis"]]
        if "cast" in e:
            return _convert(self.ev(e["cast"]), numpy.dtype(e["t"]))
        if "sel" in e:
            c, x, y = e["sel"]
            return self.ev(x) if self.ev(c) else self.ev(y)
        if "fn" in e:
            a = [self.ev(x) for x in e["args"]]
            fn = e["fn"]
            if fn == "min":
                return a[0] if a[0] < a[1] or a[1] != a[1] else a[1]
            if fn == "max":
                return a[0] if a[0] > a[1] or a[1] != a[1] else a[1]
            if fn == "ceildiv":
                return -((-a[0]) // a[1])
            raise AssertionError(f"host plan: unknown function {fn}")
        if "overlap" in e:
            a, b = (self.arrays[n].span() for n in e["overlap"])
            A, B = (self.arrays[n] for n in e["overlap"])
            return bool(a and b and A.buf == B.buf and a[0] < b[1] and b[0] < a[1])
        raise AssertionError(f"host plan: unknown expression {e}")

    @staticmethod
    def binary(op, x, y, dt, xt):
        if op in ("lt", "le", "gt", "ge", "eq", "ne"):
            return bool({"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y, "eq": x == y,
                         "ne": x != y}[op])
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

    @staticmethod
    def unary(op, x, dt):
        if op == "not":
            return not x
        if dt.kind in "iu":
            x = int(x)
            return _wrap({"neg": -x, "inv": ~x, "abs": abs(x)}[op], dt)
        if dt.kind == "b":
            return not x if op == "inv" else bool(x)
        with numpy.errstate(all="ignore"):
            return {"neg": -x, "abs": abs(x)}[op] if op in ("neg", "abs") else dt.type(x)

    # -- statements ------------------------------------------------------------------------

    def run(self, args):
        plan = self.plan
        self.env = env = {}
        self.arrays = arrays = {}
        for loc in plan["locals"] or ():
            dt = numpy.dtype(loc["dtype"])
            env[loc["name"]] = dt.type(0) if dt.kind in "fc" else (False if dt.kind == "b" else 0)
        args = list(args)
        descs = {i: _Desc.of(as_device_array(a)) for i, a in enumerate(args)
                 if type(a) is DeviceArray or is_device_array(a)}
        writes = self.abi.get("writes") or []
        for g in self.abi.get("guard") or []:
            for w in writes:
                if g != w and g in descs and w in descs:
                    a, b = descs[g], descs[w]
                    sa, sb = a.span(), b.span()
                    if a.buf == b.buf and sa and sb and sa[0] < sb[1] and sb[0] < sa[1]:
                        args[g] = args[g].copy()
                        descs[g] = _Desc.of(as_device_array(args[g]))
                        break
        for i, (name, a) in enumerate(zip(plan["params"], args)):
            if i in descs:
                arrays[name] = descs[i]
            else:
                env[name] = a
        try:
            self.stmts(plan["body"])
        except _Return as r:
            return self.result(r.vals)
        return None

    def result(self, vals):
        flags = _numpy_leaves(self.abi.get("ret") or {})
        out = []
        for i, v in enumerate(vals):
            if isinstance(v, dict) and "array" in v:
                d = self.arrays[v["array"]]
                isz = d.dtype.itemsize
                out.append(DeviceArray(self.ctx, d.shape, d.dtype, buffer=d.buf, offset=d.off * isz,
                                       strides=[s * isz for s in d.strides]))
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

    def stmts(self, body):
        for s in body:
            k = s["s"]
            if k == "assign":
                self.env[s["dst"]] = self.ev(s["e"])
            elif k == "launch":
                self.launch(s)
            elif k == "reduce":
                self.reduce(s)
            elif k == "call":
                self.call(s)
            elif k == "check":
                if not self.ev(s["cond"]):
                    self.fail(s["msg"], [int(self.ev(a)) for a in s["args"]])
            elif k == "view":
                b = self.arrays[s["base"]]
                dt, off = b.dtype, b.off
                if "dtype" in s:  # the parts of a complex array: offsets count parts
                    dt = numpy.dtype(s["dtype"])
                    off = b.off * (b.dtype.itemsize // dt.itemsize)
                self.arrays[s["dst"]] = _Desc(b.buf, off + int(self.ev(s["offset"])),
                                              [int(self.ev(x)) for x in s["shape"]],
                                              [int(self.ev(x)) for x in s["strides"]], dt)
            elif k == "alias":
                self.arrays[s["dst"]] = self.arrays[s["src"]]
            elif k == "alloc":
                shape = [int(self.ev(x)) for x in s["shape"]]
                self.arrays[s["dst"]] = _Desc.of(self.ctx.empty(shape, s["dtype"]))
            elif k == "for":
                var = s["var"]
                v, stop, step = self.ev(s["start"]), self.ev(s["stop"]), self.ev(s["step"])
                while (v < stop) if step > 0 else (v > stop):
                    self.env[var] = v
                    try:
                        self.stmts(s["body"])
                    except _Break:
                        break
                    except _Continue:
                        pass
                    v += step
            elif k == "while":
                while self.ev(s["cond"]):
                    try:
                        self.stmts(s["body"])
                    except _Break:
                        break
                    except _Continue:
                        pass
            elif k == "if":
                self.stmts(s["then"] if self.ev(s["cond"]) else s["else"])
            elif k == "return":
                raise _Return([v if "array" in v else (self.ev(v), v.get("t")) for v in s["vals"]])
            elif k == "break":
                raise _Break()
            elif k == "continue":
                raise _Continue()
            elif k == "raise":
                raise _EXC.get(s["err"], RuntimeError)(s["text"])
            else:
                raise AssertionError(f"host plan: unknown statement {k}")

    def call(self, s):
        """A call of a function the entry calls (the variant stretching extents of 1): its own
        scalars and arrays, its nests launched as the entry's are."""
        f = self.plan["funcs"][s["func"]]
        env, arrays = {}, {}
        for loc in f["locals"]:
            dt = numpy.dtype(loc["dtype"])
            env[loc["name"]] = dt.type(0) if dt.kind in "fc" else (False if dt.kind == "b" else 0)
        for name, a in zip(f["params"], s["args"]):
            if "array" in a:
                arrays[name] = self.arrays[a["array"]]
            else:
                env[name] = self.ev(a)
        saved = self.env, self.arrays
        self.env, self.arrays = env, arrays
        ret = []
        try:
            self.stmts(f["body"])
        except _Return as r:
            ret = [self.arrays[v["array"]] if isinstance(v, dict) else v[0] for v in r.vals]
        finally:
            self.env, self.arrays = saved
        for d, v in zip(s["dsts"], ret):
            if d["array"]:
                self.arrays[d["var"]] = v
            else:
                self.env[d["var"]] = v

    def fail(self, msg, args):
        m = self.plan["messages"][msg]
        raise _EXC.get(m["err"], RuntimeError)(_format(m["text"], args))

    def reduce(self, s):
        """A reduction (clgen/reduce.go): the first pass writes one partial per work-group and
        accumulator, the combining pass reduces them until one is left, which is read back."""
        for b in s.get("before") or ():
            self.env[b["dst"]] = self.ev(b["e"])
        glob = [int(self.ev(g)) for g in s["global"]]
        wg, chunk = s["wg"], s["wg"] * s["per"]
        n = math.prod(glob)
        groups = max(1, -(-n // chunk))
        cl = _cl.load()
        mems = [numpy.dtype("uint8" if a["dtype"] == "bool" else a["dtype"]) for a in s["accs"]]

        def partials(count):
            return [cl.Buffer(self.ctx.cl_context, cl.mem_flags.READ_WRITE, count * m.itemsize)
                    for m in mems]

        parts = partials(groups)
        self._enqueue(s["kernel"], glob, parts, (groups * wg,), (wg,))
        i64 = numpy.int64
        while groups > 1:
            ng = -(-groups // chunk)
            outs = partials(ng)
            cargs = [b for pair in zip(parts, outs) for b in pair] + [i64(groups)]
            kernel = self.kernels[s["combine"]]
            if not self.typed[s["combine"]]:
                kernel.set_scalar_arg_dtypes([None] * (2 * len(parts)) + [i64])
                self.typed[s["combine"]] = True
            kernel.set_args(*cargs)
            cl.enqueue_nd_range_kernel(self.ctx.queue, kernel, (ng * wg,), (wg,))
            parts, groups = outs, ng
        for a, m, buf in zip(s["accs"], mems, parts):
            host = numpy.empty(1, m)
            cl.enqueue_copy(self.ctx.queue, host, buf, is_blocking=True)
            dt = numpy.dtype(a["dtype"])
            self.env[a["var"]] = bool(host[0]) if dt.kind == "b" else (
                int(host[0]) if dt.kind in "iu" else host[0])
        for b in s.get("after") or ():
            self.env[b["dst"]] = self.ev(b["e"])

    def launch(self, s):
        for b in s.get("before") or ():
            self.env[b["dst"]] = self.ev(b["e"])
        glob = [int(self.ev(g)) for g in s["global"]]
        if 0 in glob:
            return
        local = None
        if s.get("local"):
            local = tuple(reversed([int(self.ev(x)) for x in s["local"]]))
            limit = self.ctx.device.max_work_group_size
            if math.prod(local) > limit:
                raise ValueError(f"local_size {local} has {math.prod(local)} work-items; "
                                 f"{self.ctx.name} allows at most {limit} in a work-group")
        self._enqueue(s["kernel"], glob, None, tuple(reversed(glob)), local)

    def _enqueue(self, index, glob, parts, gsize, lsize):
        k = self.plan["kernels"][index]
        kernel = self.kernels[index]
        cargs = []
        # The first launch gives pyopencl the scalar arguments' dtypes (numpy scalars); later
        # ones pass plain ints, which its typed packing takes as they are (faster).
        i64 = int if self.typed[index] else numpy.int64
        chunk = self.ctx.info.chunk_length(glob[-1]) if k.get("chunked") else 1
        for a in k["args"]:
            if "array" in a:
                d = self.arrays[a["array"]]
                cargs.append(d.buf)
                cargs.append(i64(d.off))
                cargs.extend(i64(n) for n in d.shape)
                cargs.extend(i64(st) for st in d.strides)
            elif "scalar" in a:
                dt = numpy.dtype(a["dtype"])
                v = self.env[a["scalar"]]
                cargs.append(numpy.uint8(bool(v)) if dt.kind == "b" else dt.type(v))
            elif "global" in a:
                cargs.append(i64(glob[a["global"]]))
            elif "chunk" in a:
                cargs.append(i64(chunk))
            elif "partial" in a:
                cargs.append(parts[a["partial"]])
            elif "local" in a:
                # Work-group memory (sejit.local_array): its size is set here, C-ordered.
                shape = [int(self.ev(x)) for x in a["shape"]]
                isz = numpy.dtype(a["dtype"]).itemsize
                cargs.append(_cl.load().LocalMemory(max(math.prod(shape), 1) * isz))
                cargs.extend(i64(n) for n in shape)
                st, acc = [], 1
                for n in reversed(shape):
                    st.append(acc)
                    acc *= n
                cargs.extend(i64(x) for x in reversed(st))
            elif "err" in a:
                cargs.append(self.err_buffer())
        cl = _cl.load()
        if not self.typed[index]:
            # The argument list of a kernel is fixed by its signature (the arrays' ranks, the
            # scalars' dtypes), so the types of the first launch are those of every launch.
            kernel.set_scalar_arg_dtypes([c.dtype if isinstance(c, numpy.generic) else None
                                          for c in cargs])
            self.typed[index] = True
        kernel.set_args(*cargs)
        queue = self.ctx.queue
        if k.get("chunked"):
            gsize = list(gsize)
            gsize[0] = -(-gsize[0] // chunk)
        cl.enqueue_nd_range_kernel(queue, kernel, tuple(gsize), lsize)
        if k["checks"]:
            host = numpy.empty(ERROR_INTS, numpy.int32)
            cl.enqueue_copy(queue, host, self.err, is_blocking=True)
            if host[0]:
                cl.enqueue_copy(queue, self.err, numpy.zeros(ERROR_INTS, numpy.int32),
                                is_blocking=True)
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
