"""Building the engine's request: argument types, functions and their globals, the cache key.

docs/protocol.md §1 and §3 are the specification. Everything here runs only when a call's
signature is not yet registered, so it favours clarity over speed.
"""

import cmath
import functools
import itertools
import json
import math
import operator
import platform
import types

import numpy

from . import _hash, _runtime
from ._astjson import function_json, function_source, global_names, str_set_layouts, tag_constant
from ._bytecode import function_bytecode
from ._lambdas import find_lambda, is_lambda
from .errors import CompilerError
from .lists import typed_list
from .parallel import prange

try:
    # Written by setup.py at install: the version of the engine it built (the one source of it
    # is Go's driver.EngineVersion) and a digest of the engine's and the runtime's sources.
    from ._build import ENGINE_BUILD, ENGINE_VERSION
except ImportError:  # running from a source tree that was never built: no engine to match
    ENGINE_VERSION = ENGINE_BUILD = "unbuilt"
TARGET = "cpu"

_SUPPORTED_DTYPES = frozenset(_runtime.DTYPE_NAMES)

# ---------------------------------------------------------------------------------------------
# Functions and globals


def _builtin_name(value):
    """(module, name) if value is the attribute of a module the engine knows (numpy, math, cmath,
    itertools, functools, operator) under its own __name__."""
    name = getattr(value, "__name__", None)
    if not isinstance(name, str):
        return None
    if value is prange:
        return "sejit", "prange"
    if value is typed_list:
        return "sejit", "typed_list"
    kernel_name = getattr(value, "sejit_work_group", None)  # _kernel.py's barrier, atomics...
    if isinstance(kernel_name, str) and isinstance(value, types.FunctionType):
        return "sejit", kernel_name
    for module in (numpy, numpy.random, numpy.linalg, math, cmath, itertools, functools, operator):
        try:
            if getattr(module, name, None) is value:
                return module.__name__, name
        except Exception:  # a lazy numpy attribute that fails to load is simply not a match
            continue
    return None


class _FunctionTable:
    """Assigns ids f0, f1, … to the functions reached from the entry, in discovery order."""

    def __init__(self, entry):
        self.ids = {}  # id(function) → "fN"
        self.order = []  # functions in id order
        self.add(entry)

    def add(self, func):
        fid = self.ids.get(id(func))
        if fid is None:
            fid = f"f{len(self.order)}"
            self.ids[id(func)] = fid
            self.order.append(func)
        return fid


def encode_value(value, table):
    """The protocol's description of one global's value; functions are added to table."""
    if isinstance(value, _runtime.DispatcherBase):  # a jitted function: its Python function
        value = value.py_func
    if isinstance(value, types.ModuleType):
        return {"kind": "module", "name": value.__name__}
    if isinstance(value, numpy.generic):
        # Before float and complex: numpy.float64 and numpy.complex128 subclass them.
        dtype = value.dtype.name
        if dtype in _SUPPORTED_DTYPES and value.dtype.isnative:
            return {"kind": "const", "value": tag_constant(value.item()), "dtype": dtype}
        return {"kind": "unsupported", "type": type(value).__name__}
    if isinstance(value, (bool, int, float, complex)):
        return {"kind": "const", "value": tag_constant(value)}
    if type(value) is str:
        # A compile-time constant (strings fold: resolve/strfold.go).
        return {"kind": "const", "value": tag_constant(value)}
    if isinstance(value, tuple):
        # A tuple of numbers (and of such tuples) is a constant too.
        if _numeric_tuple(value):
            return {"kind": "tuple", "items": [encode_value(v, table) for v in value]}
        return {"kind": "unsupported", "type": "tuple"}
    # Before plain functions: numpy functions may be written in Python, and the engine knows
    # them by name rather than by their source.
    builtin = _builtin_name(value)
    if builtin is not None:
        return {"kind": "builtin", "module": builtin[0], "name": builtin[1]}
    if isinstance(value, types.FunctionType):
        return {"kind": "function", "id": table.add(value)}
    return {"kind": "unsupported", "type": type(value).__name__}


def _numeric_tuple(value):
    return all(
        isinstance(v, (bool, int, float, complex, numpy.generic))
        or (isinstance(v, tuple) and _numeric_tuple(v))
        for v in value
    )


def encode_defaults(func, table):
    """The values of func's default parameter values, computed by CPython when the def ran."""
    out = []
    for value in func.__defaults__ or ():
        if isinstance(value, (types.FunctionType, types.ModuleType)):
            out.append({"kind": "unsupported", "type": type(value).__name__})
        else:
            out.append(encode_value(value, table))
    return out


def encode_kwdefaults(func, table):
    """The values of func's keyword-only parameters' defaults ({} for most functions)."""
    out = {}
    for name, value in (func.__kwdefaults__ or {}).items():
        if isinstance(value, (types.FunctionType, types.ModuleType)):
            out[name] = {"kind": "unsupported", "type": type(value).__name__}
        else:
            out[name] = encode_value(value, table)
    return out


def encode_globals(func, table):
    """The "globals" of one function: referenced names found in its globals or its closure.

    Closure variables (free variables of a nested function) are sent like globals: for the
    engine both are names bound outside the function whose values are fixed for this compile.
    """
    out = {}
    fglobals = func.__globals__
    for name in sorted(global_names(func.__code__)):
        if name in fglobals:
            out[name] = encode_value(fglobals[name], table)
    for name, cell in zip(func.__code__.co_freevars, func.__closure__ or ()):
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell: the name is not bound yet
            continue
        out[name] = encode_value(value, table)
    return out


def _lambda_column(func):
    """[column] of a lambda, which tells apart two lambdas of one line (same qualname, same
    lines); [] for a def, whose key part stays as it was."""
    if not is_lambda(func):
        return []
    node = find_lambda(func)[1]
    return [node.col_offset]


class FunctionSet:
    """The entry function and every function it reaches, with their sources and globals.

    extra: more functions to compile with the entry (the methods of object arguments).
    """

    def __init__(self, entry, extra=()):
        table = _FunctionTable(entry)
        for func in extra:
            table.add(func)
        self.ids = table.ids
        self.sources = []  # (lines, firstlineno) per id; None where there is no source
        self.bytecode = {}  # id → the code object's JSON, for functions without source
        self.globals = []  # encoded globals per id
        self.defaults = []  # encoded default parameter values per id
        self.kwdefaults = []  # encoded keyword-only defaults per id
        i = 0
        while i < len(table.order):  # the table grows while globals are encoded
            func = table.order[i]
            try:
                self.sources.append(function_source(func))
            except CompilerError:
                # Typed at the prompt or exec'd from a string: the engine decompiles the code
                # object instead (docs/design.md, "Functions without source").
                self.sources.append(None)
                self.bytecode[i] = function_bytecode(func)
            self.globals.append(encode_globals(func, table))
            self.defaults.append(encode_defaults(func, table))
            self.kwdefaults.append(encode_kwdefaults(func, table))
            i += 1
        self.functions = table.order

    def key_part(self):
        part = {
            # The first line too: the kernel's error messages name source lines, so the
            # same text at another place in a file is another kernel.
            "functions": [
                [f.__qualname__, "".join(src[0]), src[1]] + _lambda_column(f)
                if src is not None
                else [f.__qualname__, canonical_json(self.bytecode[i]), f.__code__.co_firstlineno]
                for i, (f, src) in enumerate(zip(self.functions, self.sources))
            ],
            "globals": self.globals,
            "defaults": self.defaults,
        }
        if any(self.kwdefaults):
            part["kwdefaults"] = self.kwdefaults  # only where there are any: other keys stay
        layouts = [str_set_layouts(f) for f in self.functions]
        if any(layouts):
            # Displays of string constants compile to this process's frozenset layouts.
            part["str_set_layouts"] = layouts
        return part

    def request_part(self):
        out = {}
        for i, (func, src, globs) in enumerate(zip(self.functions, self.sources, self.globals)):
            lines, first = src if src is not None else ([], func.__code__.co_firstlineno)
            out[f"f{i}"] = {
                "name": func.__name__,
                "qualname": func.__qualname__,
                "filename": func.__code__.co_filename,
                "firstlineno": first,
                "source_lines": list(lines),
                "ast": function_json(func, lines, first) if src is not None else None,
                "globals": globs,
                "defaults": self.defaults[i],
            }
            if self.kwdefaults[i]:
                out[f"f{i}"]["kwdefaults"] = self.kwdefaults[i]
            if src is None:
                out[f"f{i}"]["bytecode"] = self.bytecode[i]
        return out


# ---------------------------------------------------------------------------------------------
# The key


_cpu_id = None


def cpu_id():
    """A hash of what the generated code may depend on in the CPU: model and feature flags."""
    global _cpu_id
    if _cpu_id is None:
        wanted = []
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
                for line in f:  # the first processor's block ends at the first blank line
                    if not line.strip():
                        break
                    field = line.split(":", 1)[0].strip()
                    if field in ("model name", "flags"):
                        wanted.append(line.strip())
        except OSError:
            pass
        if not wanted:
            wanted = [platform.machine(), platform.processor()]
        _cpu_id = _hash.hexdigest("\n".join(wanted).encode())
    return _cpu_id


def canonical_json(obj):
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


def cache_key(fset, args, options, cc, cflags=""):
    """The entry's key (docs/protocol.md §3); cflags: the extra compiler flags of SEJIT_CFLAGS,
    which change the code built (a sanitizer build must never be loaded without its runtime)."""
    material = {
        "engine_version": ENGINE_VERSION,
        "engine_build": ENGINE_BUILD,
        "target": TARGET,
        "options": options,
        "cc": cc,
        "cflags": cflags,
        "cpu": cpu_id(),
        "args": args,
    }
    material.update(fset.key_part())
    return _hash.hexdigest(canonical_json(material).encode())
