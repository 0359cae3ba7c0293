"""`jit` and the Dispatcher: what runs in Python when a call's signature is new.

A call goes straight to the C type's fast path (_runtime.DispatcherBase); only on a signature it
has not seen does it call `_compile_for`, which finds the specialization in the disk cache or has
the engine build it, and registers it with the C side.
"""

import _thread
import functools
import inspect
import os
import types
import warnings

from . import _args, _blas, _cache, _engine, _objects, _request, _runtime  # noqa: F401 (_blas attaches NumPy's BLAS)
from .errors import CompilerError, error_from_reply, is_public

_OPTIONS = ("cache", "boundscheck", "fastmath", "parallel")


class Dispatcher(_runtime.DispatcherBase):
    """A jitted function: call it like the original; it compiles per argument signature.

    No __call__ here on purpose: calls go to the C type directly.
    """

    def __init__(self, py_func, options):
        self.py_func = py_func
        self.options = dict(options)
        self._signatures = []
        self._lock = _thread.RLock()
        self._object_dispatchers = {}  # object/tuple argument description → ObjectDispatcher
        self._object_names = {}  # argument classes → the attribute names code may read
        # Positions of str arguments compiled as run-time strings: those the compile-time path
        # could not fold (_inner_for), whatever their length.
        self._runtime_strs = set()
        functools.update_wrapper(self, py_func)

    @property
    def signatures(self):
        """The signatures compiled or loaded so far, as the engine writes them, in order
        (those for object arguments after the others)."""
        out = list(self._signatures)
        packed = self.__dict__.get("_packed")  # *args / keyword-only functions: _packed_call
        if packed is not None:
            out.extend(packed.signatures)
        for inner in list(self._object_dispatchers.values()):
            out.extend(inner._signatures)
        return out

    def __get__(self, obj, objtype=None):
        # A jitted method: obj.method(x) calls the dispatcher with obj first.
        if obj is None:
            return self
        return types.MethodType(self, obj)

    def __repr__(self):
        return f"<sejit.Dispatcher {self.py_func.__qualname__}>"

    def __reduce__(self):
        # By reference when the function can be imported, else by value (_pickle.py); the
        # compiled code is never pickled: each process loads it from the cache or compiles.
        from . import _pickle

        return _pickle.reduce_dispatcher(self)

    # -- compiling ------------------------------------------------------------------------------

    def _codegen_options(self):
        opts = {"boundscheck": self.options["boundscheck"], "fastmath": self.options["fastmath"]}
        if self.options["parallel"]:
            # Only when set, so the keys of serial entries stay what they were.
            opts["parallel"] = True
        if self.options.get("kernel"):
            opts["kernel"] = True  # the driver of a sejit.kernel's device form (_kernel.py)
        return opts

    def _prepare(self, args):
        """(sigkey, arg types, functions, key) for a call with args."""
        _args.check_arity(self.py_func, len(args))
        sigkey, argtypes = _args.classify(self, args)
        fset = _request.FunctionSet(self.py_func)
        key = _request.cache_key(
            fset, argtypes, self._codegen_options(), _engine.cc_name(), _engine.cflags()
        )
        return sigkey, argtypes, fset, key

    def _request(self, argtypes, fset, key, cache_dir, explain, rebuild):
        request = {
            "engine_version": _request.ENGINE_VERSION,
            "key": key,
            "cache_dir": cache_dir,
            "entry": "f0",
            "functions": fset.request_part(),
            "args": argtypes,
            "target": _request.TARGET,
            "options": self._codegen_options(),
            "cc": _engine.cc_name(),
            "cflags": _engine.cflags(),
            "explain": explain,
        }
        if rebuild:
            # The entry on disk is damaged and still there, or intact but not loadable: the
            # engine must build it again rather than answer from it.
            request["rebuild"] = True
        return request

    def _run_engine(self, argtypes, fset, key, cache_dir, explain=False, rebuild=False):
        """The engine's reply for this signature (ok or not)."""
        name = self.py_func.__qualname__
        request = self._request(argtypes, fset, key, cache_dir, explain, rebuild)
        return _engine.run(request, name)

    def _check_artifact(self, reply, key, cache_dir):
        """The engine's successful reply, its artifact checked like a cache entry."""
        name = self.py_func.__qualname__
        artifact, symbol, abi = reply.get("artifact"), reply.get("symbol"), reply.get("abi")
        if not (isinstance(artifact, str) and isinstance(symbol, str) and isinstance(abi, dict)):
            raise CompilerError(f"the sejit engine answered without an artifact for {name}()")
        # What the engine built is checked as a cache entry is before anything is loaded: in
        # its place, private, and matching its checksum.
        expected = _cache.entry_paths(cache_dir, key)[1] + ".so"
        if os.path.abspath(artifact) != expected:
            raise CompilerError(
                f"the sejit engine answered with {artifact} for {name}(), not the entry "
                f"{expected}; it was not loaded"
            )
        built = _cache.probe(cache_dir, key, _request.ENGINE_VERSION, check_stamp=False)
        if built.status != _cache.Probe.HIT:
            raise CompilerError(
                f"the code the sejit engine built for {name}() was not loaded: {built.reason}"
            )
        return reply

    def _register(self, sigkey, so_path, symbol, abi):
        try:
            added = self._add(sigkey, so_path, symbol, abi)
        except (RuntimeError, ValueError) as exc:
            raise CompilerError(
                f"cannot load the compiled {self.py_func.__qualname__}() from {so_path}: {exc}"
            ) from None
        if added:
            self._signatures.append(str(abi.get("sig", "?")))

    def _obtain(self, args, explain=False):
        """Loads this call's specialization from the cache, or has the engine build it.

        Returns the engine's reply, or None when the cache had the entry. With explain, the
        engine always runs (its account is not cached) and the entry is registered if new.
        """
        sigkey, argtypes, fset, key = self._prepare(args)
        if not self.options["cache"]:
            # A private directory of this process: nothing to check, nothing to read first.
            build_dir, rebuild = _cache.private_cache_dir(), False
        else:
            build_dir, rebuild = self._from_cache(sigkey, key, explain)
            if build_dir is None:
                return None
        reply = self._run_engine(argtypes, fset, key, build_dir, explain, rebuild)
        if reply.get("ok") is not True and reply.get("cache_unusable") is True and (
            build_dir != _cache.private_cache_dir()
        ):
            # The engine could not use the cache directory after all (made read-only, or not
            # private, since it was checked): warn once and build in the private directory.
            why = _first_message(reply)
            build_dir = _cache.usable_cache_dir(build_dir, why, stacklevel=3)
            reply = self._run_engine(argtypes, fset, key, build_dir, explain)
        if reply.get("ok") is not True:
            raise error_from_reply(reply, self.py_func.__qualname__)
        reply = self._check_artifact(reply, key, build_dir)
        _engine.warn_engine_notes(reply, stacklevel=3)
        if not (explain and self._has(sigkey)):
            self._register(sigkey, reply["artifact"], reply["symbol"], reply["abi"])
        # "cached": the engine found the entry complete (another process built it while this
        # one waited for the entry's lock): a load, not a compile.
        _engine.count("cache_loads" if reply.get("cached") is True else "compiles")
        return reply

    def _from_cache(self, sigkey, key, explain):
        """Looks in the user's cache first; (None, _) when the entry was loaded from there,
        else (the directory the engine should build in, whether it must rebuild the entry)."""
        version = _request.ENGINE_VERSION
        root = _cache.user_cache_dir()
        rebuild, unsafe = False, None
        found = _cache.probe(root, key, version)
        if found.status == _cache.Probe.CORRUPT:
            found, rebuild = _cache.repair(root, key, version)
            if found.status == _cache.Probe.CORRUPT:
                # Worded like the engine's note when it rebuilds a damaged entry itself.
                warnings.warn(
                    f"sejit: rebuilding cache entry {key[:16]} ({self.py_func.__qualname__}): "
                    f"{found.reason}",
                    RuntimeWarning,
                    stacklevel=4,  # here ← _obtain ← _compile_for or explain ← the caller
                )
        if found.status == _cache.Probe.UNSAFE:
            unsafe = found.reason  # never loaded, never built in: a private directory instead
        elif found.status == _cache.Probe.HIT and not explain:
            try:
                self._register(sigkey, found.so_path, found.symbol, found.abi)
            except CompilerError:
                # Removed since it was checked (a concurrent `sejitc cache gc`): a plain miss.
                # Intact but not loadable here (dlopen refused it): the engine replaces it.
                rebuild = os.path.exists(found.so_path)
            else:
                _cache.touch(root, key)
                _engine.count("cache_loads")
                return None, False
        # Warnings point at the user's call: usable_cache_dir ← here ← _obtain ←
        # _compile_for or explain ← the caller.
        build_dir = _cache.usable_cache_dir(root, unsafe, stacklevel=4)
        return build_dir, rebuild and build_dir == root

    def _bind_call(self, args, kwargs):
        """The positional arguments of a call with keywords or omitted defaults, bound as CPython
        binds them (defaults are the values the def computed, func.__defaults__).

        For a function with *args, **kwargs or keyword-only parameters, the call's result instead, as
        [result]: such a function is compiled for its packed arguments (_packed_call)."""
        if self._binds and _packs(self.py_func):
            return [self._packed_call(args, kwargs)]
        full = _bind_simple(self.py_func, args, kwargs)
        if full is not None:
            return full
        sig = self.__dict__.get("_sig")
        if sig is None:
            sig = self._sig = inspect.signature(self.py_func)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            # CPython's own message: binding fails before the body would run.
            self.py_func(*args, **kwargs)
            raise
        bound.apply_defaults()
        return tuple(bound.args)

    # Whether calls are bound to the function's parameters: not for an ObjectDispatcher, called
    # with the leaves of its description (a str argument has none).
    _binds = True

    def _packed_call(self, args, kwargs):
        """Calls a function with *args, **kwargs or keyword-only parameters. The engine compiles it for
        one positional argument per parameter (pyast.FunctionDef): the positional ones, the
        tuple of the extra positional arguments, the keyword-only ones. CPython's binding
        gives those (its own TypeError when it fails), and an inner dispatcher compiles and
        calls per their signature; the outer one never registers an entry, so a call that
        CPython would refuse can never reach compiled code by the fast path. Such calls take
        the Python path (microseconds)."""
        with _public_errors():
            packed = self._pack(args, kwargs)
        inner = self.__dict__.get("_packed")
        if inner is None:
            inner = self._packed = PackedDispatcher(self)
        return inner(*packed)

    def _needs_binding(self, args):
        code = self.py_func.__code__
        return self._binds and len(args) < code.co_argcount and bool(self.py_func.__defaults__)

    def _pack(self, args, kwargs):
        """The arguments of a call of a function with *args, **kwargs or keyword-only parameters, one per
        parameter (_packed_call), bound by CPython's rules (its own TypeError when they fail)."""
        sig = self.__dict__.get("_sig")
        if sig is None:
            sig = self._sig = inspect.signature(self.py_func)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            self.py_func(*args, **kwargs)  # CPython's own message
            raise
        bound.apply_defaults()
        return tuple(
            _objects.KwargsRecord(bound.arguments[name]) if p.kind is p.VAR_KEYWORD
            else bound.arguments[name]
            for name, p in sig.parameters.items()
        )

    def _compile_for(self, args):
        """Called by the C fast path on a signature it does not know; registers one entry.

        A call that leaves parameters to their defaults gets back every argument instead (a
        tuple): the C side calls again with them. A call with objects of plain classes or tuples
        is run here (_objects.py) and its result returned as [result]."""
        attrs = self.__dict__  # one lookup: each attribute of a Dispatcher costs about 0.2 us
        fast = attrs.get("_device_fast")
        if fast is not None:
            # A function that ran on a device before: its repeat calls skip the checks below
            # (this is the launch overhead of a device call, so it is kept lean).
            launch = _device_launch()
            try:
                with attrs["_lock"]:
                    result = launch.fast_call(fast, args)
            except BaseException as exc:
                _raise_public(exc)
                raise
            if result is not launch.MISS:
                return [result]
        if self._binds and _packs(self.py_func):
            return [self._packed_call(args, {})]
        defaults = self.py_func.__defaults__
        if defaults and self._binds and len(args) < self.py_func.__code__.co_argcount:
            n = self.py_func.__code__.co_argcount
            if n - len(defaults) <= len(args):
                return args + defaults[len(args) - n :]  # the trailing parameters left out
            with _public_errors():
                return self._bind_call(args, {})  # CPython's "missing argument" TypeError
        if _objects.has_composites(args):
            fast = _objects.runtime_str_call(self, args)
            if fast is not None:
                return [fast[0](*fast[1])]
            with _public_errors():
                inner, leaves, cells = self._inner_for(args)
            # The arrays of list arguments stay alive while the kernel runs, whatever another
            # thread does to the lists (their addresses are among the leaves: lists.py).
            held = tuple(tuple(a) for a in args if type(a) is list)  # noqa: F841
            with _objects.generator_locks(args):
                try:
                    result = inner(*leaves)
                except BaseException as e:
                    _objects.reflect_lists_on_error(args, e)  # as CPython's lists keep their changes
                    raise
                finally:
                    if cells:
                        _objects.write_back(cells)  # assigned attributes, also when the call raised
            return [_objects.reflect_lists(args, result)]
        if _has_device_arrays(args):
            # The device target (sejit/device/launch.py): compiled for the arrays' context,
            # run by its host plan.
            from .device import launch

            with self._lock, _public_errors():
                return [launch.call(self, args)]
        with self._lock, _public_errors():
            sigkey = self._key(args)
            if sigkey is not None and self._has(sigkey):
                return  # another thread registered it while this one waited for the lock
            self._obtain(args)

    def _inner_for(self, args):
        """(the inner dispatcher for the description of these object and tuple arguments, the
        leaves to call it with, the cells of assigned attributes to write back after it)."""
        _args.check_arity(self.py_func, len(args))
        desc, leaves, methods, cells = _objects.describe_call(self, args)
        inner = self._object_dispatchers.get(desc)
        if inner is None:
            inner = self._object_dispatchers[desc] = ObjectDispatcher(self, desc, methods)
        consts = _objects.constant_strs(desc)
        if consts:
            # A short str argument is first a compile-time constant (one specialization per
            # string, which folds `mode == "linear"`); where the code reads it as a value that
            # cannot fold, its position becomes a run-time string for this function from now on.
            leaves = tuple(leaves)
            try:
                with inner._lock:
                    sigkey = inner._key(leaves)
                    if sigkey is None or not inner._has(sigkey):
                        inner._obtain(leaves)
            except Exception as e:
                if not (is_public(e) and _objects.str_used_as_value(e)):
                    raise
                self._runtime_strs.update(consts)
                return self._inner_for(args)
        return inner, tuple(leaves), cells

    def explain(self, *args, **kwargs):
        """Prints and returns the engine's account of compiling for these arguments' types."""
        if self._binds and _packs(self.py_func):
            with _public_errors():
                packed = self._pack(args, kwargs)
            inner = self.__dict__.get("_packed")
            if inner is None:
                inner = self._packed = PackedDispatcher(self)
            return inner.explain(*packed)
        if kwargs:
            with _public_errors():
                args = self._bind_call(args, kwargs)
        elif self._needs_binding(args):
            with _public_errors():
                args = self._bind_call(args, {})  # a default may be an object or a tuple
        if _has_device_arrays(args):
            from .device import launch

            with self._lock, _public_errors():
                text = launch.explain(self, args)
            print(text)
            return text
        if _objects.has_composites(args):
            with _public_errors():
                inner, leaves, _ = self._inner_for(args)
            return inner.explain(*leaves)
        with self._lock, _public_errors():
            reply = self._obtain(args, explain=True)
        text = reply.get("explain") or ""
        print(text)
        return text


_MISSING = object()


def _has_device_arrays(args):
    return any(_args.is_device_array(a) for a in args)


def _packs(func):
    """Whether func has *args, **kwargs or keyword-only parameters (see
    Dispatcher._packed_call)."""
    code = func.__code__
    return bool(code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) or code.co_kwonlyargcount)


def _bind_simple(func, args, kwargs):
    """CPython's binding for a plain def (positional-or-keyword parameters, trailing defaults),
    or None where it would fail or the def has other parameter kinds: inspect's binding and
    CPython's own error take over then."""
    code = func.__code__
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) or code.co_kwonlyargcount:
        return None
    n = code.co_argcount
    if len(args) > n:
        return None
    out = list(args) + [_MISSING] * (n - len(args))
    names = code.co_varnames
    for name, value in kwargs.items():
        try:
            i = names.index(name, code.co_posonlyargcount, n)
        except ValueError:
            return None
        if out[i] is not _MISSING:
            return None
        out[i] = value
    defaults = func.__defaults__ or ()
    first = n - len(defaults)
    for i in range(len(args), n):
        if out[i] is _MISSING:
            if i < first:
                return None
            out[i] = defaults[i - first]
    return tuple(out)


class ObjectDispatcher(Dispatcher):
    """The specializations of one function for one description of its object and tuple
    arguments (_objects.py): called with their leaves, compiled with the objects as records and
    the tuples as tuples."""

    _binds = False

    def __init__(self, outer, desc, methods):
        super().__init__(outer.py_func, outer.options)
        self._desc = desc
        self._methods = methods

    def _prepare(self, leaves):
        sigkey, leaf_types = _args.classify(self, leaves)
        fset = _request.FunctionSet(self.py_func, extra=self._methods)
        argtypes = _objects.arg_types(self._desc, leaf_types, fset.ids)
        key = _request.cache_key(
            fset, argtypes, self._codegen_options(), _engine.cc_name(), _engine.cflags()
        )
        return sigkey, argtypes, fset, key


class PackedDispatcher(Dispatcher):
    """The specializations of a function with *args or keyword-only parameters, called with
    one argument per parameter, the extra positional ones as one tuple (_packed_call)."""

    _binds = False

    def __init__(self, outer):
        super().__init__(outer.py_func, outer.options)


PackedDispatcher.__module__ = "sejit"
_runtime._enable_vectorcall(PackedDispatcher)

ObjectDispatcher.__module__ = "sejit"
_runtime._enable_vectorcall(ObjectDispatcher)


def _first_message(reply):
    errors = reply.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        msg = errors[0].get("msg") or errors[0].get("formatted")
        if isinstance(msg, str) and msg:
            return msg
    return "the engine cannot use it"


class _public_errors:
    """Re-raises sejit's user-facing errors without sejit's own frames (unless SEJIT_DEBUG=1).

    The C dispatcher drops the last frame too (marked by _sejit_hide_frames), so the traceback
    of a failed compile ends at the user's call, under one primary message.
    """

    def __enter__(self):
        return self

    def __exit__(self, typ, exc, tb):
        if exc is not None:
            _raise_public(exc)
        return False


def _raise_public(exc):
    """Raises exc without sejit's frames if it is a user-facing error (see _public_errors)."""
    if not is_public(exc) or _engine.debug():
        return
    exc._sejit_hide_frames = True
    raise exc.with_traceback(None) from None


_launch = None


def _device_launch():
    """sejit.device.launch, imported once, on the first device call."""
    global _launch
    if _launch is None:
        from .device import launch

        _launch = launch
    return _launch


Dispatcher.__module__ = "sejit"
_runtime._enable_vectorcall(Dispatcher)


def _disabled():
    return os.environ.get("SEJIT_DISABLE", "").strip().lower() not in ("", "0", "false", "no")


def jit(f=None, *, cache=True, boundscheck=True, fastmath=False, parallel=False):
    """Compile f per argument signature: `jit(f)`, `@jit` or `@jit(cache=..., ...)`.

    cache: keep compiled code in the on-disk cache shared by processes (else a private one).
    boundscheck: check indexing (the engine drops checks it proves unnecessary).
    fastmath: let the C compiler reassociate floating-point arithmetic.
    parallel: run `for i in prange(...)` loops and large element-wise array expressions on
        several threads (OpenMP); small calls stay serial.
    With SEJIT_DISABLE=1 in the environment, jit returns the function itself.
    """
    options = {"cache": cache, "boundscheck": boundscheck, "fastmath": fastmath, "parallel": parallel}
    for name in _OPTIONS:
        if type(options[name]) is not bool:
            raise TypeError(f"jit() option {name!r} must be True or False, not {options[name]!r}")

    def wrap(func):
        if isinstance(func, Dispatcher):
            func = func.py_func
        if not isinstance(func, types.FunctionType):
            raise TypeError(
                f"jit() expects a Python function defined with def, not {type(func).__name__}"
            )
        if _disabled():
            return func
        return Dispatcher(func, options)

    return wrap if f is None else wrap(f)
