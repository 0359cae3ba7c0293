"""Pickling jitted functions (docs/scale.md), for multiprocessing, concurrent.futures and Dask.

A dispatcher goes by reference when its function can be imported: `module.qualname` names the
dispatcher itself (a function decorated with @jit) or its plain function (`fast = jit(f)`).
Otherwise (a function of `__main__`, a notebook cell, `exec`, or a nested def) it goes by value:
its source lines, the values of the globals and closure variables it references, its default
values and its options. A plain function of `__main__` that it references goes by value the
same way; modules go by name; other values are pickled as pickle does.

A function is rebuilt from its source, not from its bytecode: the engine compiles source, and
the source is what the cache key holds, so a rebuilt function finds the entries the original
one built in a shared cache. The source is registered with linecache under a synthetic file
name, with the original line numbers, so that sejit's source lookup and its error messages work
as for a function in a file. Decorators are not run again (the rebuilt def keeps their lines).

Every dispatcher that is pickled gets a token (random, per dispatcher): unpickling a token that
this process already knows gives back the same dispatcher object, so each process compiles a
signature at most once, however many tasks carry the function. The token is not a hash of the
source because two dispatchers of one source may see different global values.

The globals are pickled as the state of the dispatcher (or function), applied after the object
is made, so a function that calls itself, or helpers that call each other, pickle like any
other reference cycle.
"""

import ast
import builtins
import importlib
import linecache
import os
import sys
import threading
import types
import weakref

from . import _hash, _runtime
from ._astjson import function_source, global_names

_MAIN = ("__main__", "__mp_main__")

_pickled = weakref.WeakValueDictionary()  # token → a dispatcher of this process that was pickled
_rebuilt = {}  # token → a dispatcher unpickled here; kept, so it is compiled once per process
_plain = weakref.WeakKeyDictionary()  # plain function → its _ByValue wrapper (pickle's memo)


def _find(module, qualname):
    """The object module.qualname in an imported module, or None."""
    obj = sys.modules.get(module)
    for part in qualname.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def _importable(func):
    """What `func.__module__`.`func.__qualname__` names, if it may be pickled by reference."""
    module, qualname = getattr(func, "__module__", None), func.__qualname__
    if not isinstance(module, str) or module in _MAIN or "<locals>" in qualname:
        return None
    return _find(module, qualname)


def reduce_dispatcher(disp):
    """Dispatcher.__reduce__."""
    func = disp.py_func
    found = _importable(func)
    if found is disp:
        return _import_dispatcher, (func.__module__, func.__qualname__)
    token = disp.__dict__.get("_pickle_token")
    if token is None:
        token = disp._pickle_token = os.urandom(16).hex()
        _pickled[token] = disp
    options = dict(disp.options)
    if found is func or (isinstance(found, _runtime.DispatcherBase) and found.py_func is func):
        how = ("ref", func.__module__, func.__qualname__)
        return _make_dispatcher, (type(disp), token, how, options)
    how = ("value", _code_state(func))
    state = _globals_state(func)
    return _make_dispatcher, (type(disp), token, how, options), state, None, None, _fill


def _import_dispatcher(module, qualname):
    importlib.import_module(module)
    found = _find(module, qualname)
    if not isinstance(found, _runtime.DispatcherBase):
        raise AttributeError(f"{module}.{qualname} is not a jitted function in this process")
    return found


def _make_dispatcher(cls, token, how, options):
    disp = _pickled.get(token) or _rebuilt.get(token)
    if disp is not None:
        return disp  # this process's own: _fill leaves it as it is
    if how[0] == "ref":
        importlib.import_module(how[1])
        func = _find(how[1], how[2])
        func = getattr(func, "py_func", func)
        if not isinstance(func, types.FunctionType):
            raise AttributeError(f"{how[1]}.{how[2]} is not a function in this process")
    else:
        func = _make_function(how[1])
    disp = cls(func, options)
    disp._pickle_token = token
    disp._pickle_unfilled = how[0] == "value"
    _rebuilt[token] = disp
    return disp


def _fill(obj, state):
    """Sets a rebuilt function's globals, closure values and defaults (the pickled state)."""
    func = obj
    if isinstance(obj, _runtime.DispatcherBase):
        if not obj.__dict__.pop("_pickle_unfilled", False):
            return obj  # not rebuilt by this unpickling: never overwrite a live function's globals
        func = obj.py_func
    func.__globals__.update(state["globals"])
    func.__defaults__ = state["defaults"]
    func.__kwdefaults__ = state["kwdefaults"]
    return obj


# ---------------------------------------------------------------------------------------------
# Plain functions by value


class _ByValue:
    """Stands for a plain function of `__main__` (or not importable) among pickled globals."""

    def __init__(self, func):
        self.func = weakref.ref(func)

    def __reduce__(self):
        func = self.func()
        return _make_function, (_code_state(func),), _globals_state(func), None, None, _fill


class _Module:
    """Stands for a module among pickled globals: pickled by name, imported when unpickled."""

    def __init__(self, name):
        self.name = name

    def __reduce__(self):
        return importlib.import_module, (self.name,)


def _pickled_value(value):
    if isinstance(value, types.ModuleType):
        return _Module(value.__name__)
    if isinstance(value, types.FunctionType) and _importable(value) is not value:
        wrapper = _plain.get(value)
        if wrapper is None:
            wrapper = _plain[value] = _ByValue(value)
        return wrapper
    return value


def _code_state(func):
    """What rebuilds func's code: its source lines where they are in its file, and its names."""
    lines, firstlineno = function_source(func)  # a CompilerError saying why when there is none
    return {
        "name": func.__name__,
        "qualname": func.__qualname__,
        "module": func.__module__,
        "filename": func.__code__.co_filename,
        "lines": list(lines),
        "firstlineno": firstlineno,
    }


def _globals_state(func):
    """The values of the globals and closure variables func references, and its defaults."""
    values = {}
    fglobals = func.__globals__
    for name in sorted(global_names(func.__code__)):
        if name in fglobals:
            values[name] = _pickled_value(fglobals[name])
    for name, cell in zip(func.__code__.co_freevars, func.__closure__ or ()):
        try:
            values[name] = _pickled_value(cell.cell_contents)
        except ValueError:  # an empty cell: the name is not bound yet
            pass
    defaults = func.__defaults__
    if defaults is not None:
        defaults = tuple(_pickled_value(v) for v in defaults)
    return {"globals": values, "defaults": defaults, "kwdefaults": func.__kwdefaults__}


def _make_function(state):
    """The function a _code_state describes, its globals empty until _fill.

    The def is compiled alone, at its original line numbers, from a synthetic file that
    linecache holds; a closure's variables become its globals (they are fixed values for the
    engine either way). The decorators' expressions are replaced by one that returns the
    function unchanged, so the def still starts at its first decorator's line.
    """
    lines, first = state["lines"], state["firstlineno"]
    digest = _hash.hexdigest("".join(lines).encode())[:16]
    filename = f"<sejit-pickled {state['qualname']} from {state['filename']} {digest}>"
    text_lines = ["\n"] * (first - 1) + lines
    if lines[0][:1] in (" ", "\t"):  # a nested def: make it the body of an `if` at top level
        if first < 2:
            raise ValueError(f"cannot rebuild {state['qualname']}: indented source on line 1")
        text_lines[first - 2] = "if 1:\n"
    text = "".join(text_lines)
    linecache.cache[filename] = (len(text), None, text_lines, filename)
    tree = ast.parse(text, filename)
    node = tree.body[0]
    if isinstance(node, ast.If):
        node = node.body[0]
    if not isinstance(node, ast.FunctionDef):
        raise ValueError(f"cannot rebuild {state['qualname']}: its source is not a def")
    node.decorator_list = [
        ast.copy_location(ast.Name("_sejit_unchanged", ast.Load()), d) for d in node.decorator_list
    ]
    namespace = {"__builtins__": builtins, "__name__": state["module"]}
    namespace["_sejit_unchanged"] = lambda f: f
    exec(compile(tree, filename, "exec"), namespace)
    del namespace["_sejit_unchanged"]
    func = namespace.pop(node.name)
    func.__qualname__ = state["qualname"]
    return func


# ---------------------------------------------------------------------------------------------
# sejit.vectorize / guvectorize: real ufuncs and the lazy objects (docs/scale.md)

_ufuncs = {}  # token → a sejit ufunc pickled or rebuilt here; kept: ufuncs take no weak refs
_ufunc_lock = threading.RLock()


def reduce_ufunc(uf, recipe, rebuild):
    """The reduction of a sejit ufunc (a numpy.ufunc that primitives made), given its recipe
    and primitives' rebuild(token, state), which unpickling calls.

    By reference when `module.qualname` of its function names this ufunc (a decorated def at
    module level); otherwise by value: the recipe (kind, function, type signatures, identity,
    layout, jit options) with the function as a dispatcher's function goes, and a token, so
    that each process rebuilds (compiles or loads) it once, however many tasks carry it.
    """
    func = recipe.func
    module, qualname = getattr(func, "__module__", None), func.__qualname__
    if (isinstance(module, str) and module not in _MAIN and "<locals>" not in qualname
            and _find(module, qualname) is uf):
        return _import_ufunc, (module, qualname)
    with _ufunc_lock:
        if recipe.token is None:
            recipe.token = os.urandom(16).hex()
            _ufuncs[recipe.token] = uf
    state = {
        "kind": recipe.kind,
        "func": _pickled_value(func),
        "types": recipe.types,
        "identity": recipe.identity,
        "layout": recipe.layout,
        "jit": dict(recipe.jit),
    }
    return rebuild, (recipe.token, state)


def _import_ufunc(module, qualname):
    importlib.import_module(module)
    found = _find(module, qualname)
    import numpy

    if not isinstance(found, numpy.ufunc):
        raise AttributeError(f"{module}.{qualname} is not a ufunc in this process")
    return found


def ufunc_of_token(token, build):
    """The ufunc pickled as token, in this process: the one it was pickled from, or the one
    build() made the first time (once per process)."""
    uf = _ufuncs.get(token)
    if uf is not None:
        return uf
    with _ufunc_lock:
        uf = _ufuncs.get(token)
        if uf is None:
            uf = _ufuncs[token] = build()
    return uf


def reduce_lazy(obj, rebuild, args):
    """The reduction of a Vectorized or GUVectorized: rebuild(*args) once per process (a
    token, as for dispatchers); the function in args goes by value where it cannot be
    imported. The rebuilt object compiles or loads its loops on first use."""
    token = obj.__dict__.get("_pickle_token")
    if token is None:
        token = obj._pickle_token = os.urandom(16).hex()
        _pickled[token] = obj
    return _rebuild_lazy, (token, rebuild, tuple(_pickled_value(a) for a in args))


def _rebuild_lazy(token, rebuild, args):
    obj = _pickled.get(token) or _rebuilt.get(token)
    if obj is None:
        obj = rebuild(*args)
        obj._pickle_token = token
        _rebuilt[token] = obj
    return obj
