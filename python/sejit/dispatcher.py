"""`jit` and the Dispatcher: what runs in Python when a call's signature is new.

A call goes straight to the C type's fast path (_runtime.DispatcherBase); only on a signature it
has not seen does it call `_compile_for`, which finds the specialization in the disk cache or has
the engine build it, and registers it with the C side.
"""

import functools
import os
import threading
import types

from . import _engine, _request, _runtime
from .errors import CompilerError, error_from_reply

_OPTIONS = ("cache", "boundscheck", "fastmath")


class Dispatcher(_runtime.DispatcherBase):
    """A jitted function: call it like the original; it compiles per argument signature.

    No __call__ here on purpose: calls go to the C type directly.
    """

    def __init__(self, py_func, options):
        self.py_func = py_func
        self.options = dict(options)
        self._signatures = []
        self._lock = threading.RLock()
        functools.update_wrapper(self, py_func)

    @property
    def signatures(self):
        """The signatures compiled or loaded so far, as the engine writes them, in order."""
        return list(self._signatures)

    def __repr__(self):
        return f"<sejit.Dispatcher {self.py_func.__qualname__}>"

    # -- compiling ------------------------------------------------------------------------------

    def _codegen_options(self):
        return {"boundscheck": self.options["boundscheck"], "fastmath": self.options["fastmath"]}

    def _prepare(self, args):
        """(sigkey, arg types, functions, key, cache_dir) for a call with args."""
        _request.check_arity(self.py_func, len(args))
        sigkey, argtypes = _request.classify(self, args)
        fset = _request.FunctionSet(self.py_func)
        cc = _engine.cc_name()
        key = _request.cache_key(fset, argtypes, self._codegen_options(), cc)
        if self.options["cache"]:
            cache_dir = _engine.user_cache_dir()
        else:
            cache_dir = _engine.private_cache_dir()
        return sigkey, argtypes, fset, key, cache_dir

    def _request(self, argtypes, fset, key, cache_dir, explain):
        return {
            "engine_version": _request.ENGINE_VERSION,
            "key": key,
            "cache_dir": cache_dir,
            "entry": "f0",
            "functions": fset.request_part(),
            "args": argtypes,
            "target": _request.TARGET,
            "options": self._codegen_options(),
            "cc": _engine.cc_name(),
            "explain": explain,
        }

    def _run_engine(self, argtypes, fset, key, cache_dir, explain=False):
        request = self._request(argtypes, fset, key, cache_dir, explain)
        reply = _engine.run(request, self.py_func.__qualname__)
        if reply.get("ok") is not True:
            raise error_from_reply(reply, self.py_func.__qualname__)
        artifact, symbol, abi = reply.get("artifact"), reply.get("symbol"), reply.get("abi")
        if not (isinstance(artifact, str) and isinstance(symbol, str) and isinstance(abi, dict)):
            raise CompilerError(
                f"the sejit engine answered without an artifact for {self.py_func.__qualname__}()"
            )
        _engine.count("compiles")
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

    def _compile_for(self, args):
        """Called by the C fast path on a signature it does not know; registers one entry."""
        with self._lock:
            sigkey = self._key(args)
            if sigkey is not None and self._has(sigkey):
                return  # another thread registered it while this one waited for the lock
            sigkey, argtypes, fset, key, cache_dir = self._prepare(args)
            if self.options["cache"]:
                cached = _engine.load_cached(cache_dir, key, _request.ENGINE_VERSION)
                if cached is not None:
                    try:
                        self._register(sigkey, *cached)
                    except CompilerError:
                        pass  # an unloadable entry is rebuilt below, replacing it
                    else:
                        _engine.count("cache_loads")
                        return
            reply = self._run_engine(argtypes, fset, key, cache_dir)
            self._register(sigkey, reply["artifact"], reply["symbol"], reply["abi"])

    def explain(self, *args):
        """Prints and returns the engine's account of compiling for these arguments' types."""
        with self._lock:
            sigkey, argtypes, fset, key, cache_dir = self._prepare(args)
            reply = self._run_engine(argtypes, fset, key, cache_dir, explain=True)
            if not self._has(sigkey):
                self._register(sigkey, reply["artifact"], reply["symbol"], reply["abi"])
        text = reply.get("explain") or ""
        print(text)
        return text


Dispatcher.__module__ = "sejit"
_runtime._enable_vectorcall(Dispatcher)


def _disabled():
    return os.environ.get("SEJIT_DISABLE", "").strip().lower() not in ("", "0", "false", "no")


def jit(f=None, *, cache=True, boundscheck=True, fastmath=False):
    """Compile f per argument signature: `jit(f)`, `@jit` or `@jit(cache=..., ...)`.

    cache: keep compiled code in the on-disk cache shared by processes (else a private one).
    boundscheck: check indexing (the engine drops checks it proves unnecessary).
    fastmath: let the C compiler reassociate floating-point arithmetic.
    With SEJIT_DISABLE=1 in the environment, jit returns the function itself.
    """
    options = {"cache": cache, "boundscheck": boundscheck, "fastmath": fastmath}
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
