"""Python functions as NumPy ufuncs, gufuncs, maps, reductions and scans (issue 12, CPU part).

Every primitive compiles a small generated loop that calls the user's function per element,
through the ordinary jit machinery (the generated source is registered in linecache, the user's
function is one of its globals, so it is compiled with the loop, inlined or called, and cached
on disk like any jitted code):

    def _sejit_vloop(x0, x1, out):            # vectorize: one per type signature
        for i in range(out.shape[0]):
            out[i] = f(x0[i], x1[i])

The compiled loops become real numpy.ufunc objects (python/sejit/_ufunc.c): NumPy does the
broadcasting, casting, out=/where=, and reduce/accumulate/outer/at; the loop only sees 1-D
strided operands. Errors inside the user's function raise the same exception as from jit.

`vectorize(sigs)(f)` returns a numpy.ufunc at once. `vectorize(f)` (no signatures) returns a
`Vectorized` object: a ufunc needs its loops when it is created, so this object resolves the
loop's input types from the operands' dtypes on each call, compiles that loop on first use,
builds (and keeps) a real ufunc for it, and calls it with everything else forwarded.
"""

import ctypes
import functools
import hashlib
import itertools
import linecache
import re
import threading
import types
import weakref

import numpy

from . import _engine, _pickle, _runtime, _ufunc
from .dispatcher import Dispatcher
from ._astjson import function_source
from ._lambdas import LambdaNotFound, lambda_text
from .errors import TypingError, is_public, public
from .parallel import prange

__all__ = ["vectorize", "guvectorize", "Vectorized", "GUVectorized", "map", "reduce", "scan"]

_SUPPORTED = (
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 complex64 "
    "complex128"
).split()
_NO_VALUE = object()


def _disabled():
    import os

    return os.environ.get("SEJIT_DISABLE", "").strip().lower() not in ("", "0", "false", "no")


class _public_errors:
    """As the dispatcher's: sejit's user-facing errors without sejit's frames."""

    def __enter__(self):
        return self

    def __exit__(self, typ, exc, tb):
        if exc is None or not is_public(exc) or _engine.debug():
            return False
        exc._sejit_hide_frames = True
        raise exc.with_traceback(None) from None
_TARGETS = ("cpu", "parallel")


# ---------------------------------------------------------------------------------------------
# Compiling generated loops


class _Kernel(Dispatcher):
    """A Dispatcher for generated loops that remembers where each registered entry lives, so
    the entry's address can be handed to a ufunc."""

    def __init__(self, py_func, options):
        super().__init__(py_func, options)
        self._loaded = {}

    def _register(self, sigkey, so_path, symbol, abi):
        super()._register(sigkey, so_path, symbol, abi)
        self._loaded[sigkey] = (so_path, symbol, abi)

    def entry(self, samples):
        """(entry address, library handle, abi) of the specialization for these samples."""
        samples = tuple(samples)
        with self._lock, _public_errors():
            sigkey = self._key(samples)
            if sigkey is None or sigkey not in self._loaded:
                self._obtain(samples)
                sigkey = self._key(samples)
            so_path, symbol, abi = self._loaded[sigkey]
        lib = ctypes.CDLL(so_path)
        addr = ctypes.cast(getattr(lib, symbol), ctypes.c_void_p).value
        return addr, lib, abi


_Kernel.__module__ = "sejit"
_runtime._enable_vectorcall(_Kernel)


def _generate(kind, func, name, params, body, extra_globals=None):
    """A Python function compiled from generated text whose global `f` is func.

    The file name is derived from the text and the function's qualified name, so a later
    process generates the same name and text and finds the compiled loop in the disk cache.
    """
    src = f"def {name}({', '.join(params)}):\n" + "".join(f"    {line}\n" for line in body)
    tag = hashlib.sha256((func.__module__ or "") .encode() + b"\0" +
                         func.__qualname__.encode() + b"\0" + src.encode()).hexdigest()[:12]
    filename = f"<sejit.{kind} {func.__qualname__} {tag}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = {"f": func, "prange": prange, "__name__": "sejit._generated"}
    namespace.update(extra_globals or {})
    exec(compile(src, filename, "exec"), namespace)
    return namespace[name]


def _user_function(func, what):
    if isinstance(func, _runtime.DispatcherBase):
        func = func.py_func
    if not isinstance(func, types.FunctionType):
        raise TypeError(
            f"sejit.{what}() expects a Python function (def or lambda), not "
            f"{type(func).__name__}"
        )
    if func.__code__.co_name == "<lambda>":
        return _lambda_as_def(func, what)
    return func


_lambdas = weakref.WeakKeyDictionary()  # lambda → the equivalent def


def _lambda_as_def(func, what):
    """A def equivalent to a lambda, which the generated loops call as their global `f`: the
    lambda's expression, found in its file by sejit._lambdas (as sejit.jit finds a jitted
    lambda), becomes the return statement of a generated def whose globals are the lambda's
    globals and closure values."""
    done = _lambdas.get(func)
    if done is not None:
        return done
    code = func.__code__
    if code.co_kwonlyargcount or code.co_flags & 0x0C:  # keyword-only, *args, **kwargs
        raise public(TypeError(
            f"sejit.{what}(): the lambda of {code.co_filename}:{code.co_firstlineno} must take "
            f"plain positional parameters (or define the function with def)"
        ))
    try:
        body = lambda_text(func)
    except LambdaNotFound as exc:
        raise public(TypeError(f"sejit.{what}(): {exc} (define the function with def)")) from None
    params = list(code.co_varnames[: code.co_argcount])
    src = f"def _sejit_lambda({', '.join(params)}):\n    return (\n{body}\n    )\n"
    tag = hashlib.sha256(src.encode()).hexdigest()[:12]
    filename = f"<sejit lambda {code.co_filename}:{code.co_firstlineno} {tag}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = dict(func.__globals__)
    for name, cell in zip(code.co_freevars, func.__closure__ or ()):
        try:
            namespace[name] = cell.cell_contents
        except ValueError:
            pass
    exec(compile(src, filename, "exec"), namespace)
    out = namespace["_sejit_lambda"]
    out.__defaults__ = func.__defaults__
    out.__qualname__ = out.__name__ = f"<lambda at line {code.co_firstlineno}>"
    _lambdas[func] = out
    return out


def _return_position(func):
    """('file:line:col: ', the line quoted with a caret) of func's first return statement with
    a value, as the engine's diagnostics are written; ('file:line: ', '') of the def when it
    cannot tell."""
    code = func.__code__
    where = (f"{code.co_filename}:{code.co_firstlineno}: ", "")
    try:
        import ast
        import textwrap

        lines, first = function_source(func)
        text = "".join(lines)
        dedented = textwrap.dedent(text)
        indent = len(lines[0]) - len(lines[0].lstrip()) if dedented != text else 0
        tree = ast.parse(dedented)
    except Exception:
        return where
    returns = [n for n in ast.walk(tree) if isinstance(n, ast.Return) and n.value is not None]
    if not returns:
        return where
    node = min(returns, key=lambda n: (n.lineno, n.col_offset))
    line = first + node.value.lineno - 1
    col = node.value.col_offset + indent
    src = lines[node.value.lineno - 1].rstrip("\n")
    quote = f"\n    {src}\n    {' ' * col}^"
    return f"{code.co_filename}:{line}:{col + 1}: ", quote


def _sample(dtype, ndim):
    """A value classified like the operands the loop will see: a non-contiguous ('A' layout)
    array of ndim dimensions, or a NumPy scalar for ndim 0."""
    dtype = numpy.dtype(dtype)
    if ndim == 0:
        return dtype.type(0)
    full = numpy.zeros((4,) * ndim, dtype)
    return full[(slice(None, None, 2),) * ndim]


def _dtype(value, what):
    """A supported dtype from a dtype-like value, or a clear TypeError."""
    try:
        dt = numpy.dtype(value)
    except TypeError:
        raise TypeError(f"sejit.{what}: {value!r} is not a NumPy dtype") from None
    if dt.name not in _SUPPORTED or not dt.isnative:
        raise TypeError(
            f"sejit.{what}: dtype {dt} is not supported (supported: {', '.join(_SUPPORTED)})"
        )
    return dt


def _operand_dtype(value, what):
    """The loop type of one operand: an array's or NumPy scalar's dtype; Python bool, int,
    float and complex as bool, int64, float64 and complex128."""
    if isinstance(value, bool):
        return numpy.dtype(bool)
    if isinstance(value, int):
        return numpy.dtype(numpy.int64)
    if isinstance(value, float):
        return numpy.dtype(numpy.float64)
    if isinstance(value, complex):
        return numpy.dtype(numpy.complex128)
    dt = getattr(value, "dtype", None)
    if not isinstance(dt, numpy.dtype):
        dt = numpy.asarray(value).dtype
    return _dtype(dt, what)


def _as_operand(value, dt):
    """Python numbers become NumPy scalars of their loop type (NumPy would otherwise treat them
    as weak and look for another loop)."""
    if isinstance(value, (bool, int, float, complex)):
        return dt.type(value)
    return value


class _Options:
    def __init__(self, target, parallel, cache, fastmath, boundscheck, what):
        if target not in _TARGETS:
            raise ValueError(
                f"sejit.{what}: target={target!r} is not available; use 'cpu' or 'parallel' "
                f"(device targets are issue 11/12's device part)"
            )
        for name, value in (("parallel", parallel), ("cache", cache), ("fastmath", fastmath),
                            ("boundscheck", boundscheck)):
            if type(value) is not bool:
                raise TypeError(f"sejit.{what}: option {name!r} must be True or False")
        self.parallel = parallel or target == "parallel"
        self.jit = {"cache": cache, "boundscheck": boundscheck, "fastmath": fastmath,
                    "parallel": self.parallel}


def _identity(identity):
    """(kind, value) for _ufunc.make, and what `ufunc.identity` reads."""
    if identity is None:
        return "none", None
    if identity == "reorderable" and isinstance(identity, str):
        return "reorderable", None
    if isinstance(identity, (bool, int, float, complex, numpy.generic)):
        return "value", identity
    raise ValueError(
        f"sejit.vectorize: identity must be None, 'reorderable' or a number, not {identity!r}"
    )


# ---------------------------------------------------------------------------------------------
# Signatures


_SIG = re.compile(r"^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*$")


def _parse_signature(sig, what):
    """'float64(float64, int64)' → ([in dtypes], out dtype)."""
    if not isinstance(sig, str):
        raise TypeError(f"sejit.{what}: a signature is a string like 'float64(float64, float64)', "
                        f"not {type(sig).__name__}")
    m = _SIG.match(sig)
    if m is None:
        raise ValueError(
            f"sejit.{what}: malformed signature {sig!r}: expected 'out(in1, in2, ...)' with "
            f"NumPy dtype names, e.g. 'float64(float64, float64)'"
        )
    inner = m.group(2).strip()
    names = [s.strip() for s in inner.split(",")] if inner else []
    if any(not n for n in names):
        raise ValueError(f"sejit.{what}: malformed signature {sig!r}: an empty argument type")
    try:
        return [_dtype(n, what) for n in names], _dtype(m.group(1), what)
    except TypeError as exc:
        raise ValueError(f"sejit.{what}: malformed signature {sig!r}: {exc}") from None


def _parse_gu_types(sig, nargs):
    """'void(float64[:], float64[:], float64[:])' or '(float64, float64, float64)' → dtypes."""
    s = sig.strip() if isinstance(sig, str) else sig
    if not isinstance(s, str):
        raise TypeError(f"sejit.guvectorize: a signature is a string, not {type(sig).__name__}")
    if s.startswith("void"):
        s = s[4:].strip()
    if not (s.startswith("(") and s.endswith(")")):
        raise ValueError(
            f"sejit.guvectorize: malformed signature {sig!r}: expected "
            f"'void(float64[:], float64[:], float64)' or '(float64, float64, float64)'"
        )
    names = [re.sub(r"\[[:,\s]*\]$", "", n.strip()) for n in re.split(r",(?![^\[]*\])", s[1:-1])]
    if len(names) != nargs:
        raise ValueError(
            f"sejit.guvectorize: signature {sig!r} has {len(names)} types, the layout {nargs}"
        )
    try:
        return [_dtype(n, "guvectorize") for n in names]
    except TypeError as exc:
        raise ValueError(f"sejit.guvectorize: malformed signature {sig!r}: {exc}") from None


_DIM = r"\s*(?:[A-Za-z_]\w*|\d+)\s*"
_TERM = rf"\(\s*(?:{_DIM}(?:,{_DIM})*)?\)"
_SIDE = re.compile(rf"^\s*{_TERM}(?:\s*,\s*{_TERM})*\s*$")


def parse_layout(layout):
    """NumPy's gufunc signature '(n),(n)->()' → ([in core dims], [out core dims]), each a
    tuple of names; a clear ValueError for anything else."""
    if not isinstance(layout, str):
        raise TypeError(f"sejit.guvectorize: the layout is a string like '(n),(n)->()', not "
                        f"{type(layout).__name__}")
    parts = layout.split("->")
    if len(parts) != 2 or not all(_SIDE.match(p) for p in parts):
        raise ValueError(
            f"sejit.guvectorize: malformed layout {layout!r}: expected NumPy's gufunc "
            f"signature syntax, e.g. '(n),(n)->()' or '(m,n),(n,p)->(m,p)'"
        )
    sides = []
    for p in parts:
        terms = re.findall(r"\(([^()]*)\)", p)
        sides.append([tuple(d.strip() for d in t.split(",")) if t.strip() else () for t in terms])
    return sides[0], sides[1]


# ---------------------------------------------------------------------------------------------
# vectorize


class _LoopBuilder:
    """Compiles the element-wise loop of one function per type signature."""

    def __init__(self, func, nin, options):
        self.func = func
        self.nin = nin
        self.options = options
        xs = [f"x{k}" for k in range(nin)]
        call = f"f({', '.join(f'{x}[i]' for x in xs)})"
        rng = "prange" if options.parallel else "range"
        self.loop = _Kernel(
            _generate("vectorize", func, "_sejit_vloop", xs + ["out"],
                      [f"for i in {rng}(out.shape[0]):", f"    out[i] = {call}"]),
            options.jit,
        )
        opts = dict(options.jit, parallel=False)
        self.ret = _Kernel(
            _generate("vectorize", func, "_sejit_vret", xs, [f"return f({', '.join(xs)})"]),
            opts,
        )
        self.libs = []
        self._returns = {}

    def return_dtype(self, in_dtypes):
        """The dtype f returns for scalars of these dtypes (a Python int is int64, etc.)."""
        key = tuple(in_dtypes)
        known = self._returns.get(key)
        if known is not None:  # the device calls ask on every call
            return known
        self._returns[key] = out = self._return_dtype(in_dtypes)
        return out

    def _return_dtype(self, in_dtypes):
        _, _, abi = self.ret.entry([_sample(d, 0) for d in in_dtypes])
        ret = abi.get("ret") or {}
        if ret.get("kind") != "scalar":
            got = "nothing" if ret.get("kind") == "none" else "a non-scalar value"
            sig = ", ".join(d.name for d in in_dtypes)
            pos, quote = _return_position(self.func)
            raise public(TypingError(
                f"{pos}sejit.vectorize: {self.func.__qualname__}() returns {got} for arguments "
                f"({sig}); a vectorized function must return one number per element (use "
                f"sejit.guvectorize for array results){quote}"
            ))
        return _dtype(ret["dtype"], "vectorize")

    def compile(self, in_dtypes, out_dtype):
        """(type numbers, entry address, contiguous entry address) for one loop: the loop for
        any strides, and the one for contiguous operands, which the C compiler vectorizes."""
        dts = list(in_dtypes) + [out_dtype]
        addr, lib, _ = self.loop.entry([_sample(d, 1) for d in dts])
        contig, lib2, _ = self.loop.entry([numpy.zeros(2, d) for d in dts])
        self.libs += [lib, lib2]
        return tuple(d.num for d in dts), addr, contig


class _Recipe:
    """What rebuilds a sejit ufunc in another process (docs/scale.md): kept by the ufunc itself
    (`_ufunc.kept`), read by its pickle reducer. types: [([in dtype names], out name)] for
    vectorize, [[argument dtype names]] for guvectorize; token: set when first pickled."""

    __slots__ = ("kind", "func", "types", "identity", "layout", "jit", "token")

    def __init__(self, kind, func, types, identity, layout, jit):
        self.kind, self.func, self.types = kind, func, types
        self.identity, self.layout, self.jit = identity, layout, dict(jit)
        self.token = None


def _make_ufunc(func, nin, nout, loops, identity, libs, recipe, layout=None, core=None):
    kind, value = _identity(identity)
    doc = func.__doc__ or f"sejit ufunc of {func.__qualname__}"
    return _ufunc.make(func.__name__, doc, nin, nout, kind, value, loops, (libs, recipe),
                       layout, core)


def _recipe_of(uf):
    """The _Recipe of a ufunc sejit made, else None (NumPy's own ufuncs, any other object)."""
    kept = _ufunc.kept(uf)
    if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], _Recipe):
        return kept[1]
    return None


_device_twins = {}  # id(recipe) -> (recipe, its Vectorized or GUVectorized)


def device_ufunc(uf, method, inputs, kwargs):
    """A ufunc that sejit.vectorize or sejit.guvectorize made with signatures, on DeviceArrays
    (DeviceArray.__array_ufunc__): its function runs as the lazy object's would, with the
    result dtype of the ufunc's own loops (NumPy's type resolution); NotImplemented for any
    other ufunc."""
    recipe = _recipe_of(uf)
    if recipe is None:
        return NotImplemented
    twin = _device_twins.get(id(recipe))
    if twin is None or twin[0] is not recipe:
        if recipe.kind == "guvectorize":
            obj = GUVectorized(recipe.func, _GULayout(recipe.layout),
                               _options_from(recipe.jit, "guvectorize"))
        else:
            obj = Vectorized(recipe.func, recipe.identity, _options_from(recipe.jit, "vectorize"),
                             nin=uf.nin)
        twin = _device_twins[id(recipe)] = (recipe, obj)
    obj = twin[1]
    kwargs = dict(kwargs)
    if recipe.kind == "guvectorize":
        if method != "__call__":
            raise NotImplementedError(f"{uf.__name__}.{method} of a gufunc is not defined")
        return obj(*inputs, **kwargs)
    if method == "__call__":
        if kwargs.get("dtype") is None:
            ops = [numpy.dtype(x.dtype) if hasattr(x, "dtype") else type(x) for x in inputs]
            kwargs["dtype"] = uf.resolve_dtypes(tuple(ops) + (None,))[-1]
        return obj(*inputs, **kwargs)
    if method in ("reduce", "accumulate", "reduceat") and kwargs.get("dtype") is None \
            and uf.nin == 2 and inputs and hasattr(inputs[0], "dtype"):
        # The loop NumPy's own method would pick (an int32 array through a float64-only
        # ufunc accumulates in float64).
        dt = numpy.dtype(inputs[0].dtype)
        kwargs["dtype"] = uf.resolve_dtypes((dt, dt, None))[-1]
    if method in ("reduce", "accumulate", "outer", "at", "reduceat"):
        return getattr(obj, method)(*inputs, **kwargs)
    raise NotImplementedError(f"{uf.__name__}.{method} on a DeviceArray is not supported")


def _rebuild_ufunc(state):
    """The ufunc a pickled recipe describes, built (its loops compiled or loaded) here."""
    o = state["jit"]
    kw = {"parallel": o["parallel"], "cache": o["cache"], "fastmath": o["fastmath"],
          "boundscheck": o["boundscheck"]}
    if state["kind"] == "vectorize":
        sigs = [f"{out}({', '.join(ins)})" for ins, out in state["types"]]
        return vectorize(sigs, identity=state["identity"], **kw)(state["func"])
    sigs = [f"({', '.join(names)})" for names in state["types"]]
    return guvectorize(sigs, state["layout"], **kw)(state["func"])


def rebuild_ufunc(token, state):
    """Unpickles a sejit ufunc (_pickle.reduce_ufunc): built once per process for its token."""

    def build():
        uf = _rebuild_ufunc(state)
        recipe = _recipe_of(uf)
        if recipe is not None:
            recipe.token = token
        return uf

    return _pickle.ufunc_of_token(token, build)


def _install_ufunc_reducer():
    """pickle (and cloudpickle, which reads copyreg's table) reduces a numpy.ufunc through
    copyreg.dispatch_table, where NumPy registers its by-name reduction: ours handles the
    ufuncs sejit made and hands every other ufunc to NumPy's."""
    import copyreg

    previous = copyreg.dispatch_table.get(numpy.ufunc)
    if getattr(previous, "_sejit", False):
        return

    def reduce_ufunc(uf):
        recipe = _recipe_of(uf)
        if recipe is not None:
            return _pickle.reduce_ufunc(uf, recipe, rebuild_ufunc)
        if previous is not None:
            return previous(uf)
        return uf.__reduce__()

    reduce_ufunc._sejit = True
    copyreg.pickle(numpy.ufunc, reduce_ufunc)


_install_ufunc_reducer()


def _nin_of(func, what, nout=0):
    code = func.__code__
    if code.co_flags & 0x0C:  # *args / **kwargs
        raise TypeError(f"sejit.{what}: {func.__qualname__}() must take a fixed number of "
                        f"arguments")
    n = code.co_argcount - nout
    if n < 0 or code.co_argcount > 15:
        raise TypeError(f"sejit.{what}: {func.__qualname__}() takes {code.co_argcount} "
                        f"arguments, which does not fit")
    return n


class Vectorized:
    """A lazily compiled ufunc (`sejit.vectorize(f)` without signatures).

    Calls and the methods reduce, accumulate, reduceat, outer and at behave as those of a
    numpy.ufunc: the loop's input types are the operands' dtypes (a Python int is int64, a
    float float64, a complex complex128), its output type what f returns for them (or dtype=),
    and each new combination compiles one loop and builds one real numpy.ufunc, kept in
    `ufuncs`. Everything else (broadcasting, out=, where=, casting=, order=) is NumPy's.
    """

    def __init__(self, func, identity=None, options=None, nin=None):
        self.py_func = func
        self._options = options or _Options("cpu", False, True, False, True, "vectorize")
        self.nin = _nin_of(func, "vectorize") if nin is None else nin
        self.nout = 1
        self.nargs = self.nin + 1
        _identity(identity)
        self._identity = identity
        self._builder = _LoopBuilder(func, self.nin, self._options)
        self._ufuncs = {}  # (in dtypes, out dtype or None) → numpy.ufunc
        self._lock = threading.RLock()
        functools.update_wrapper(self, func, updated=())

    def __repr__(self):
        return f"<sejit.Vectorized {self.__qualname__}>"

    def __reduce__(self):
        # The function and the options, once per process (a token, as for dispatchers); each
        # process compiles or loads its loops itself, on first use.
        return _pickle.reduce_lazy(self, _rebuild_vectorized,
                                   (self.py_func, self._identity, self._options.jit, self.nin))

    @property
    def identity(self):
        return None if isinstance(self._identity, str) else self._identity

    @property
    def signature(self):
        return None

    @property
    def ufuncs(self):
        return dict(self._ufuncs)

    @property
    def types(self):
        out = []
        for uf in self._ufuncs.values():
            for t in uf.types:
                if t not in out:
                    out.append(t)
        return out

    @property
    def ntypes(self):
        return len(self.types)

    def ufunc_for(self, in_dtypes, out_dtype=None):
        """The real numpy.ufunc with the one loop for these input dtypes (and output dtype;
        default: what f returns)."""
        uf = self._ufuncs.get((tuple(in_dtypes), out_dtype))
        if uf is not None:
            return uf
        in_dtypes = tuple(_dtype(d, "vectorize") for d in in_dtypes)
        if len(in_dtypes) != self.nin:
            raise TypeError(f"{self.__name__}() takes {self.nin} arguments, "
                            f"{len(in_dtypes)} given")
        out_dtype = None if out_dtype is None else _dtype(out_dtype, "vectorize")
        key = (in_dtypes, out_dtype)
        uf = self._ufuncs.get(key)
        if uf is not None:
            return uf
        with self._lock:
            uf = self._ufuncs.get(key)
            if uf is None:
                out = out_dtype if out_dtype is not None else self._builder.return_dtype(in_dtypes)
                loop = self._builder.compile(in_dtypes, out)
                recipe = _Recipe("vectorize", self.py_func,
                                 [([d.name for d in in_dtypes], out.name)], self._identity,
                                 None, self._options.jit)
                uf = _make_ufunc(self.py_func, self.nin, 1, [loop], self._identity,
                                 tuple(self._builder.libs), recipe)
                self._ufuncs[key] = uf
                self._ufuncs.setdefault((in_dtypes, out), uf)
        return uf

    def _resolve(self, args, dtype):
        if len(args) != self.nin:
            raise TypeError(f"{self.__name__}() takes {self.nin} positional arguments but "
                            f"{len(args)} were given")
        dts = [a.dtype if type(a) is numpy.ndarray else _operand_dtype(a, "vectorize")
               for a in args]
        uf = self.ufunc_for(dts, dtype)
        return uf, [_as_operand(a, d) for a, d in zip(args, dts)]

    def __call__(self, *args, out=None, dtype=None, **kwargs):
        if isinstance(out, tuple) and len(out) == 1:
            out = out[0]
        if _on_device(args + (out,)):
            return self._device_call(args, out, dtype, kwargs)
        uf, ops = self._resolve(args, dtype)
        if out is not None:
            kwargs["out"] = out
        return uf(*ops, **kwargs)

    def _device_call(self, args, out, dtype, kwargs):
        """The call on DeviceArrays: one element-wise kernel generated from the function."""
        from .device import primitives as device

        if len(args) != self.nin:
            raise TypeError(f"{self.__name__}() takes {self.nin} positional arguments but "
                            f"{len(args)} were given")
        if kwargs:
            raise NotImplementedError(f"{self.__name__}() on DeviceArrays: the keyword "
                                      f"arguments {sorted(kwargs)} are not supported there")
        dts = [_operand_dtype(a, "vectorize") for a in args]
        ops = [_as_operand(a, d) for a, d in zip(args, dts)]
        with _public_errors():
            res = _dtype(dtype, "vectorize") if dtype is not None else \
                self._builder.return_dtype(dts)
            return device.apply(f"{self.__name__}()", self.py_func, ops, out, res)

    def _binary(self, method):
        if self.nin != 2:
            raise ValueError(f"{method} only supported for binary functions")

    def _same_type(self, array, dtype):
        arr = numpy.asarray(array)
        dt = _dtype(dtype if dtype is not None else arr.dtype, "vectorize")
        return self.ufunc_for((dt, dt), dt), arr, dt

    def reduce(self, array, axis=0, dtype=None, out=None, **kwargs):
        self._binary("reduce")
        if _on_device((array,)):
            if out is not None or set(kwargs) - {"initial"}:
                raise NotImplementedError("reduce() on DeviceArrays takes axis=, dtype= and "
                                          "initial= only")
            return _device_reduce(self.py_func, array, kwargs.get("initial", _NO_VALUE), axis,
                                  dtype, "reduce")
        uf, arr, dt = self._same_type(array, dtype)
        return uf.reduce(arr, axis=axis, dtype=dt, out=out, **kwargs)

    def accumulate(self, array, axis=0, dtype=None, out=None):
        self._binary("accumulate")
        if _on_device((array, out)):
            from .device import primitives as device

            if out is not None:
                raise NotImplementedError("accumulate() on DeviceArrays takes axis= and dtype= "
                                          "only")
            dt = _dtype(dtype if dtype is not None else array.dtype, "vectorize")
            with _public_errors():
                return device.accumulate(self.py_func, array, axis, dt)
        uf, arr, dt = self._same_type(array, dtype)
        return uf.accumulate(arr, axis=axis, dtype=dt, out=out)

    def reduceat(self, array, indices, axis=0, dtype=None, out=None):
        self._binary("reduceat")
        if _on_device((array, indices, out)):
            from .device import primitives as device

            if out is not None:
                raise NotImplementedError("reduceat() on DeviceArrays takes axis= and dtype= "
                                          "only")
            dt = _dtype(dtype if dtype is not None else array.dtype, "vectorize")
            with _public_errors():
                return device.reduceat(f"{self.__name__}.reduceat()", self.py_func, array,
                                       indices, axis, dt)
        uf, arr, dt = self._same_type(array, dtype)
        return uf.reduceat(arr, indices, axis=axis, dtype=dt, out=out)

    def outer(self, A, B, /, **kwargs):
        self._binary("outer")
        dtype = kwargs.pop("dtype", None)
        if _on_device((A, B, kwargs.get("out"))):
            from .device import primitives as device

            out = kwargs.pop("out", None)
            if isinstance(out, tuple) and len(out) == 1:
                out = out[0]
            if kwargs:
                raise NotImplementedError(f"outer() on DeviceArrays: the keyword arguments "
                                          f"{sorted(kwargs)} are not supported there")
            dts = [_operand_dtype(x, "vectorize") for x in (A, B)]
            ops = [_as_operand(x, d) for x, d in zip((A, B), dts)]
            with _public_errors():
                res = _dtype(dtype, "vectorize") if dtype is not None else \
                    self._builder.return_dtype(dts)
                return device.outer(f"{self.__name__}.outer()", self.py_func, *ops, out, res)
        uf, ops = self._resolve((A, B), dtype)
        return uf.outer(*ops, **kwargs)

    def at(self, a, indices, b=None, /):
        if _on_device((a,)):
            from .device import primitives as device

            if self.nin == 1 and b is not None or self.nin == 2 and b is None:
                raise ValueError("second operand needed for ufunc" if b is None else
                                 "second operand provided when ufunc is unary")
            if self.nin > 2:
                raise ValueError("at() only supported for unary and binary functions")
            if b is not None:
                b = _as_operand(b, _operand_dtype(b, "vectorize"))
            with _public_errors():
                device.at(f"{self.__name__}.at()", self.py_func, self.nin, a, indices, b)
            return None
        if not isinstance(a, numpy.ndarray):
            raise TypeError("at() requires an ndarray as its first operand")
        if self.nin == 1:
            if b is not None:
                raise ValueError("second operand needed for ufunc")
            self.ufunc_for((a.dtype,), a.dtype).at(a, indices)
            return None
        self._binary("at")
        if b is None:
            raise ValueError("second operand needed for ufunc")
        db = _operand_dtype(b, "vectorize")
        self.ufunc_for((a.dtype, db), a.dtype).at(a, indices, _as_operand(b, db))
        return None


def _options_from(jit_options, what):
    o = jit_options
    return _Options("cpu", o["parallel"], o["cache"], o["fastmath"], o["boundscheck"], what)


def _rebuild_vectorized(func, identity, jit_options, nin):
    return Vectorized(func, identity, _options_from(jit_options, "vectorize"), nin=nin)


def _rebuild_guvectorized(func, layout, jit_options):
    return GUVectorized(func, _GULayout(layout), _options_from(jit_options, "guvectorize"))


def vectorize(signatures_or_function=None, *, identity=None, target="cpu", parallel=False,
              cache=True, fastmath=False, boundscheck=True):
    """A Python function of scalars as a NumPy ufunc.

    `@vectorize` / `vectorize(f)`: a `Vectorized` object compiling one loop per combination of
    operand dtypes on first use. `vectorize(["float64(float64, float64)", ...])(f)`: a real
    numpy.ufunc with those loops, compiled now. identity: None (no identity, not
    reorderable), 'reorderable', or a number (used by reduce over empty and several axes).
    target='parallel' (or parallel=True) runs each loop with OpenMP threads.
    """
    options = _Options(target, parallel, cache, fastmath, boundscheck, "vectorize")
    _identity(identity)

    if isinstance(signatures_or_function, (types.FunctionType, _runtime.DispatcherBase)):
        return vectorize(identity=identity, target=target, parallel=parallel, cache=cache,
                         fastmath=fastmath, boundscheck=boundscheck)(signatures_or_function)
    sigs = signatures_or_function
    if isinstance(sigs, str):
        sigs = [sigs]
    if sigs is not None and not isinstance(sigs, (list, tuple)):
        raise TypeError(
            f"sejit.vectorize() takes a function or a list of signatures such as "
            f"['float64(float64, float64)'], not {type(sigs).__name__}"
        )
    parsed = [_parse_signature(s, "vectorize") for s in sigs or ()]

    def wrap(func):
        func = _user_function(func, "vectorize")
        nin = _nin_of(func, "vectorize")
        if _disabled():
            # SEJIT_DISABLE=1: NumPy's own ufunc of the Python function (object results).
            ident = identity if _identity(identity)[0] == "value" else None
            return numpy.frompyfunc(func, nin, 1, identity=ident)
        if not parsed:
            return Vectorized(func, identity, options)
        for (ins, _), s in zip(parsed, sigs):
            if len(ins) != nin:
                raise ValueError(f"sejit.vectorize: signature {s!r} has {len(ins)} inputs, "
                                 f"{func.__qualname__}() takes {nin}")
        builder = _LoopBuilder(func, nin, options)
        loops = [builder.compile(ins, out) for ins, out in parsed]
        recipe = _Recipe("vectorize", func, [([d.name for d in ins], out.name)
                                             for ins, out in parsed], identity, None, options.jit)
        return _make_ufunc(func, nin, 1, loops, identity, tuple(builder.libs), recipe)

    return wrap


# ---------------------------------------------------------------------------------------------
# guvectorize


class _GULayout:
    def __init__(self, layout):
        self.layout = layout.replace(" ", "")
        self.ins, self.outs = parse_layout(layout)
        names = []
        for term in self.ins + self.outs:
            for d in term:
                if d not in names:
                    names.append(d)
        self.core = [tuple(names.index(d) for d in term) for term in self.ins + self.outs]
        self.nin, self.nout = len(self.ins), len(self.outs)

    def kernel_ndims(self):
        """Per argument: its dimensions in the loop kernel (the loop dimension first; a "()"
        output is passed as an array of one element so f can write out[0])."""
        nd = [1 + len(t) for t in self.ins]
        nd += [1 + max(len(t), 1) for t in self.outs]
        return nd


class _GULoopBuilder:
    def __init__(self, func, lay, options):
        self.func, self.lay, self.options = func, lay, options
        params = [f"a{k}" for k in range(lay.nin + lay.nout)]
        call = f"f({', '.join(f'{p}[i]' for p in params)})"
        rng = "prange" if options.parallel else "range"
        self.loop = _Kernel(
            _generate("guvectorize", func, "_sejit_gloop", params,
                      [f"for i in {rng}({params[-1]}.shape[0]):", f"    {call}"]),
            options.jit,
        )
        self.libs = []

    def compile(self, dtypes):
        nds = self.lay.kernel_ndims()
        samples = [_sample(d, n) for d, n in zip(dtypes, nds)]
        addr, lib, _ = self.loop.entry(samples)
        self.libs.append(lib)
        return tuple(d.num for d in dtypes), addr


class GUVectorized:
    """A lazily compiled generalized ufunc (`sejit.guvectorize(layout)(f)` without type
    signatures): the output dtypes are those of out= when given, else dtype=, else the NumPy
    promotion of the input dtypes; each combination builds one real gufunc (`ufuncs`)."""

    def __init__(self, func, lay, options):
        self.py_func = func
        self._lay = lay
        self._options = options
        self.nin, self.nout = lay.nin, lay.nout
        self.nargs = self.nin + self.nout
        self.signature = lay.layout
        self.identity = None
        self._builder = _GULoopBuilder(func, lay, options)
        self._ufuncs = {}
        self._lock = threading.RLock()
        functools.update_wrapper(self, func, updated=())

    def __repr__(self):
        return f"<sejit.GUVectorized {self.__qualname__} {self.signature}>"

    def __reduce__(self):
        return _pickle.reduce_lazy(self, _rebuild_guvectorized,
                                   (self.py_func, self._lay.layout, self._options.jit))

    @property
    def ufuncs(self):
        return dict(self._ufuncs)

    @property
    def types(self):
        return [t for uf in self._ufuncs.values() for t in uf.types]

    @property
    def ntypes(self):
        return len(self._ufuncs)

    def ufunc_for(self, dtypes):
        dtypes = tuple(_dtype(d, "guvectorize") for d in dtypes)
        uf = self._ufuncs.get(dtypes)
        if uf is None:
            with self._lock:
                uf = self._ufuncs.get(dtypes)
                if uf is None:
                    loop = self._builder.compile(dtypes)
                    recipe = _Recipe("guvectorize", self.py_func, [[d.name for d in dtypes]],
                                     None, self._lay.layout, self._options.jit)
                    uf = _make_ufunc(self.py_func, self.nin, self.nout, [loop], None,
                                     tuple(self._builder.libs), recipe, self._lay.layout,
                                     self._lay.core)
                    self._ufuncs[dtypes] = uf
        return uf

    def __call__(self, *args, out=None, dtype=None, **kwargs):
        if len(args) == self.nargs and out is None:
            args, out = args[: self.nin], args[self.nin :]
        if len(args) != self.nin:
            raise TypeError(f"{self.__name__}() takes {self.nin} inputs, {len(args)} given")
        ins = [_operand_dtype(a, "guvectorize") for a in args]
        if out is not None and not isinstance(out, tuple):
            out = (out,)
        if out is not None:
            outs = [_operand_dtype(o, "guvectorize") for o in out]
        elif dtype is not None:
            outs = [_dtype(dtype, "guvectorize")] * self.nout
        else:
            outs = [numpy.result_type(*ins)] * self.nout
        if _on_device(tuple(args) + tuple(out or ())):
            from .device import primitives as device

            if kwargs:
                raise NotImplementedError(f"{self.__name__}() on DeviceArrays: the keyword "
                                          f"arguments {sorted(kwargs)} are not supported there")
            with _public_errors():
                return device.gufunc(f"{self.__name__}()", self.py_func, self._lay.ins,
                                     self._lay.outs, args, out, outs)
        uf = self.ufunc_for(ins + outs)
        ops = [_as_operand(a, d) for a, d in zip(args, ins)]
        if out is not None:
            kwargs["out"] = out
        return uf(*ops, **kwargs)


def guvectorize(signatures_or_layout, layout=None, *, target="cpu", parallel=False, cache=True,
                fastmath=False, boundscheck=True):
    """A Python function over core arrays as a generalized NumPy ufunc.

    `guvectorize("(n),(n)->()")(f)`: lazy (GUVectorized); `guvectorize(["void(float64[:],
    float64[:], float64[:])"], "(n),(n)->()")(f)`: a numpy.ufunc with those loops, now.
    f takes the inputs' core elements and the outputs' and writes the outputs in place; an
    output with layout "()" is passed as an array of one element (write out[0]), as in Numba.
    """
    options = _Options(target, parallel, cache, fastmath, boundscheck, "guvectorize")
    if layout is None:
        sigs, layout = None, signatures_or_layout
    else:
        sigs = signatures_or_layout
        if isinstance(sigs, str):
            sigs = [sigs]
    lay = _GULayout(layout)

    def wrap(func):
        func = _user_function(func, "guvectorize")
        n = _nin_of(func, "guvectorize")
        if n != lay.nin + lay.nout:
            raise TypeError(
                f"sejit.guvectorize: {func.__qualname__}() takes {n} arguments; the layout "
                f"{layout!r} has {lay.nin} inputs and {lay.nout} outputs"
            )
        if not sigs:
            return GUVectorized(func, lay, options)
        builder = _GULoopBuilder(func, lay, options)
        types_ = [_parse_gu_types(s, n) for s in sigs]
        loops = [builder.compile(t) for t in types_]
        recipe = _Recipe("guvectorize", func, [[d.name for d in t] for t in types_], None,
                         lay.layout, options.jit)
        return _make_ufunc(func, lay.nin, lay.nout, loops, None, tuple(builder.libs), recipe,
                           lay.layout, lay.core)

    return wrap


# ---------------------------------------------------------------------------------------------
# map, reduce, scan


_vectorized = weakref.WeakKeyDictionary()  # fn → its Vectorized (map, reduce with axis)
_folds = weakref.WeakKeyDictionary()  # fn → {kind: _Kernel}


def _vectorized_of(fn, what, nin=None):
    """The Vectorized of fn called with nin arguments (the rest left to fn's defaults)."""
    fn = _user_function(fn, what)
    table = _vectorized.get(fn)
    if table is None:
        table = _vectorized[fn] = {}
    v = table.get(nin)
    if v is None:
        if nin is not None:
            code = fn.__code__
            required = code.co_argcount - len(fn.__defaults__ or ())
            if not required <= nin <= code.co_argcount or code.co_flags & 0x0C:
                raise TypeError(
                    f"sejit.{what}: {fn.__qualname__}() takes {required} to "
                    f"{code.co_argcount} arguments, {nin} arrays given"
                    if required != code.co_argcount else
                    f"sejit.{what}: {fn.__qualname__}() takes {required} arguments, {nin} "
                    f"arrays given"
                )
        v = table[nin] = Vectorized(fn, "reorderable", nin=nin)
    return v


def map(fn, *arrays):
    """fn applied element by element over the broadcast arrays (a compiled loop): an array,
    or a NumPy scalar when every operand is a scalar. fn's parameters beyond the arrays keep
    their defaults."""
    return _vectorized_of(fn, "map", len(arrays))(*arrays)


def _on_device(values):
    from .device.launch import has_device_args

    return has_device_args(values)


def _device_reduce(fn, arr, initial, axis, dtype, what):
    """reduce on a DeviceArray: the accumulator's dtype is what fn returns for two elements
    (or dtype=), widened by initial's when it is given."""
    from .device import primitives as device

    fn = _user_function(fn, what)
    v = _vectorized_of(fn, what, 2)
    with _public_errors():
        el = _dtype(arr.dtype, what)
        if dtype is not None:
            acc = _dtype(dtype, what)
        else:
            acc = v._builder.return_dtype((el, el))
            if initial is not _NO_VALUE:
                acc = numpy.promote_types(acc, v._builder.return_dtype(
                    (_operand_dtype(initial, what), el)))
        return device.reduce(fn, arr, acc, None if initial is _NO_VALUE else initial, axis)


_FOLD_BODIES = {
    "reduce": (["a", "acc"], ["for i in range(a.shape[0]):", "    acc = f(acc, a[i])",
                              "return acc"]),
    "scan": (["a", "out", "acc", "start"], [
        "for i in range(a.shape[0]):",
        "    acc = f(acc, a[i])",
        "    out[start + i] = acc",
        "return acc"]),
    "xscan": (["a", "out", "acc"], [
        "for i in range(a.shape[0]):",
        "    out[i] = acc",
        "    acc = f(acc, a[i])",
        "return acc"]),
}


def _fold_kernel(fn, kind):
    fn = _user_function(fn, kind)
    table = _folds.get(fn)
    if table is None:
        table = _folds[fn] = {}
    k = table.get(kind)
    if k is None:
        params, body = _FOLD_BODIES[kind]
        k = table[kind] = _Kernel(_generate(kind, fn, f"_sejit_{kind}", params, body),
                                  {"cache": True, "boundscheck": True, "fastmath": False,
                                   "parallel": False})
    return k


def reduce(fn, arr, initial=_NO_VALUE, axis=None):
    """functools.reduce(fn, arr.flat[, initial]) compiled (axis=None), or fn's reduction along
    one axis (axis=int, as a ufunc's reduce). Serial, left to right; fn is assumed
    associative only in that a device target may regroup it later."""
    if _on_device((arr,)):
        return _device_reduce(fn, arr, initial, axis, None, "reduce")
    a = numpy.asarray(arr)
    if axis is not None:
        kw = {} if initial is _NO_VALUE else {"initial": initial}
        return _vectorized_of(fn, "reduce", 2).reduce(a, axis=axis, **kw)
    flat = numpy.ravel(a)
    if initial is _NO_VALUE:
        if flat.shape[0] == 0:
            raise TypeError("reduce() of empty iterable with no initial value")
        acc, flat = flat[0], flat[1:]
    else:
        acc = initial
    return _fold_kernel(fn, "reduce")(flat, acc)


def scan(fn, arr, exclusive=False, initial=_NO_VALUE):
    """The running fn-reduction of a 1-D array (itertools.accumulate(arr, fn)): out[i] =
    fn(out[i-1], arr[i]). exclusive=True shifts it: out[0] = initial, out[i] = fn(out[i-1],
    arr[i-1]) (initial is required then). The result's dtype is the array's."""
    if _on_device((arr,)):
        from .device import primitives as device

        if exclusive and initial is _NO_VALUE:
            raise TypeError("sejit.scan(exclusive=True) needs initial=")
        fn = _user_function(fn, "scan")
        with _public_errors():
            return device.scan(fn, arr, exclusive, None if initial is _NO_VALUE else initial)
    a = numpy.asarray(arr)
    if a.ndim != 1:
        raise ValueError(f"sejit.scan: expects a 1-D array, not {a.ndim}-D")
    out = numpy.empty_like(a)
    if exclusive:
        if initial is _NO_VALUE:
            raise TypeError("sejit.scan(exclusive=True) needs initial=")
        if a.shape[0]:
            _fold_kernel(fn, "xscan")(a, out, a.dtype.type(initial))
        return out
    if a.shape[0] == 0:
        return out
    if initial is _NO_VALUE:
        out[0] = a[0]
        _fold_kernel(fn, "scan")(a[1:], out, a[0], 1)
    else:
        _fold_kernel(fn, "scan")(a, out, a.dtype.type(initial), 0)
    return out
