"""Objects of plain Python classes and tuples as arguments (docs/supported.md, py.objects and
py.tuple-args).

The C fast path takes arrays and scalars only; a call with an object of a plain class or a tuple
misses it and comes here through `Dispatcher._compile_for`. The object is described by its class
and the attributes the code may read: the names the compiled functions look up (their
`co_names`, which hold every attribute name they use), found on the object, whose values are
numbers, NumPy arrays or (up to MAX_DEPTH levels) objects of plain classes. Those values, depth
first, are the arguments of a specialization compiled by an inner dispatcher per description; the
engine sees each object as a record of typed fields. Methods of the class named in the code are
compiled with the caller, with the object as their first argument.

A tuple (exactly `tuple`, not a subclass) is described by its items, each a number, a NumPy
array or such a tuple (up to MAX_TUPLE_DEPTH levels; objects in tuples are not compiled yet), so
`(1, 2.5)` is a tuple of an int and a float as in CPython; its leaves, depth first, are passed in
its place and the engine types it as a tuple. Nothing is written back: tuples are immutable, and
the arrays in them are the caller's own (the kernel writes into them, and returns them as
themselves).

Arrays are passed by reference, so the kernel writes into `obj.data` in place. A numeric
attribute that the code assigns (`self.count += 1`, `obj.total = s`: a STORE_ATTR of its name in
the compiled functions' byte code) is passed in a cell, a 0-d array holding its value, which the
kernel reads and writes; after the call, when it returns and when it raises, the cell's value is
set back on the object (a Python int, float, bool or complex stays one; a NumPy scalar stays a
NumPy scalar of its dtype). Python sees the new value once the call is over, not during it. An
attribute the code assigns but never reads (no LOAD_ATTR of its name) may change type, as in
CPython: it is passed as four cells (the type the kernel assigned last, and int64, float64 and
complex128 slots for the value), and set afterwards only if the call assigned it.
Rebinding an array attribute (`obj.data = new`) is refused by the engine. The description is
computed on every call, which costs microseconds: the fast path for calls without objects or
tuples is untouched.
"""

import contextlib
import dis
import sys
import types

import numpy

from . import _args, _request, _runtime, lists
from ._astjson import global_names
from .device.array import is_device_class
from .errors import public

MAX_DEPTH = 4
MAX_TUPLE_DEPTH = _args.MAX_TUPLE_DEPTH
_TUPLE = "tuple"  # the head of a tuple's description: (_TUPLE, item descriptions)
_LIST = "list"  # the head of a list's description: (_LIST, dtype name, weak)
_HASHED = "hashed"  # a dict or set: (_HASHED, is a dict, (key dtype, weak), (value dtype, weak))
_STR = "str"  # a str argument: (_STR, its text), a compile-time constant with no leaves
_RTSTR = "rtstr"  # a run-time str argument: (_RTSTR,), its leaf the array of its code points
_CELL = "cell"  # an assigned numeric attribute: (_CELL, weak), its leaf a 0-d array
_OUT = "out"  # an attribute the code assigns and never reads: (_OUT,), four 0-d leaves
OUT_CLASS = "sejit:assigned"  # the engine's types.OutClass
# The value types an assigned-only attribute can take, in the engine's order (types.OutTags):
# tag = 1 + 2 * index + weak, 0 while compiled code has not assigned it.
OUT_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
              "float32", "float64", "complex64", "complex128")
_CONST = "const"  # a dtype, module or function argument: (_CONST, value), no leaves either
MAX_STR_ARG = 256  # the longest str argument compiled as a constant (a specialization per string)
_DTYPES = frozenset(_args.DTYPE_NAMES)  # the dtypes compiled code computes in
_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE

_NOT_PLAIN = (
    numpy.ndarray,
    numpy.generic,
    bool,
    int,
    float,
    complex,
    str,
    bytes,
    list,
    tuple,
    dict,
    set,
    frozenset,
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
)


_plain_classes = {}  # class → whether its instances are plain objects


def is_plain_object(value):
    """An instance of a class defined in Python (with a __dict__), not a number or container."""
    cls = type(value)
    plain = _plain_classes.get(cls)
    if plain is None:
        plain = _plain_classes[cls] = _is_plain_class(cls)
    return plain


def _is_plain_class(cls):
    if issubclass(cls, _NOT_PLAIN) or is_device_class(cls):
        return False
    # A class statement makes a heap type; built-in and most extension types are static.
    if not cls.__flags__ & _HEAPTYPE or "__dict__" not in dir(cls):
        return False
    # Attributes computed on access are not plain data.
    return cls.__getattribute__ is object.__getattribute__ and not hasattr(cls, "__getattr__")


def has_composites(args):
    """Whether a call passes an object of a plain class or a tuple (this module's path)."""
    return any(
        _runtime.arg_code(a) == 0
        and (type(a) is tuple or type(a) is list or type(a) is str or _is_generator(a)
             or type(a) is dict or type(a) is set
             or type(a) is KwargsRecord or is_plain_object(a) or is_const_arg(a))
        for a in args
    )


KWARGS_CLASS = "builtins:dict (**kwargs)"  # the engine's types.KwargsClass


class KwargsRecord:
    """The dict CPython binds to a **kwargs parameter, as the packed call passes it: the engine
    types it as a record of its keys (types/kwargs.go), each value a number, an array or a tuple
    of them, a leaf of the call like an object's attribute."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items


def _bad_keyword(record):
    """(name, value) of the first **kwargs value compiled code cannot take, else None."""
    for name, v in record.items.items():
        if _runtime.arg_code(v) != 0 or type(v) is tuple and _bad_item(v) is None:
            continue
        return name, v
    return None


# A np.random.Generator argument is a record of two integers (the engine's GeneratorClass): the
# address of its bit generator's bitgen_t and that of NumPy's ziggurat functions (_random.py).
# The call holds the bit generator's lock, as the Generator's own methods do.
def _is_generator(a):
    """A numpy.random.Generator, without importing numpy.random (slow: it loads hashlib and
    more) where no argument can be one."""
    mod = sys.modules.get("numpy.random")
    return mod is not None and type(a) is mod.Generator


_GENERATOR_FIELDS = (("_sejit_bitgen", None), ("_sejit_dists", None))


@contextlib.contextmanager
def generator_locks(args):
    """Holds the locks of the Generators among args (each once) for the call."""
    locks = {}
    for a in args:
        if _is_generator(a):
            lock = a.bit_generator.lock
            locks[id(lock)] = lock
    with contextlib.ExitStack() as stack:
        for lock in locks.values():
            stack.enter_context(lock)
        yield


def is_const_arg(value):
    """A value the engine takes as a compile-time constant of the call, like a global: a dtype
    (numpy.float32, numpy.dtype("f4")), a module (numpy itself, for array-API style code) or a
    function (plain or jitted). Each distinct value is a specialization of its own."""
    if isinstance(value, (types.ModuleType, types.FunctionType, _runtime.DispatcherBase,
                          numpy.dtype)):
        return True
    if isinstance(value, (types.BuiltinFunctionType, numpy.ufunc)):
        # abs, math.sqrt, np.sqrt: the builtins the engine knows by name.
        return _request.encode_value(value, None)["kind"] == "builtin"
    return isinstance(value, type) and issubclass(value, numpy.generic)


def _const_function(value):
    """The Python function a function argument compiles (a jitted one's own), else None."""
    value = getattr(value, "py_func", value) if isinstance(value, _runtime.DispatcherBase) \
        else value
    return value if isinstance(value, types.FunctionType) else None


def _bad_item(value, where="", depth=1):
    """(where, item) of the first item of a tuple argument that cannot be passed, else None."""
    for k, v in enumerate(value):
        at = f"{where}[{k}]"
        if _runtime.arg_code(v) != 0:
            continue
        if type(v) is tuple and depth < MAX_TUPLE_DEPTH:
            bad = _bad_item(v, at, depth + 1)
            if bad is not None:
                return bad
            continue
        return at, v
    return None


def class_name(cls):
    return f"{cls.__module__}:{cls.__qualname__}"


def _class_function(cls, name):
    """The plain function `name` of cls or a base class (a method), else None."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            value = klass.__dict__[name]
            value = getattr(value, "py_func", value)  # a method decorated with jit
            return value if isinstance(value, types.FunctionType) else None
    return None


class _Names:
    """The attribute names the compiled code may read, per dispatcher and argument classes."""

    def __init__(self, func):
        self.func = func
        self.names = set()
        self.stores = set()  # the attribute names the code assigns
        self.loads = set()  # the attribute names the code reads (or calls a method of)
        self.seen = set()  # ids of code objects already scanned
        self.plans = {}  # class → (len(names) when made, methods, class data attributes)
        self.add_function(func)

    def add_function(self, func):
        code = getattr(func, "__code__", None)
        if code is None or id(code) in self.seen:
            return
        self.seen.add(id(code))
        new = global_names(code)
        self.names |= new
        self.stores |= _stored_attributes(code)
        self.loads |= _stored_attributes(code, ("LOAD_ATTR", "LOAD_METHOD", "DELETE_ATTR"))
        # Plain helper functions reached through globals read attributes too.
        fglobals = getattr(func, "__globals__", {})
        for name in new:
            value = fglobals.get(name)
            value = getattr(value, "py_func", value)
            if isinstance(value, types.FunctionType):
                self.add_function(value)


def _stored_attributes(code, ops=("STORE_ATTR",)):
    """The attribute names a code object (and those nested in it) assigns (or, with other ops,
    reads)."""
    out = {i.argval for i in dis.get_instructions(code) if i.opname in ops}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            out |= _stored_attributes(const, ops)
    return out


_WEAK = (bool, int, float, complex)


class _Describer:
    """Builds the description of a call's arguments and their leaves."""

    def __init__(self, names):
        self.names = names
        self.methods = {}  # id(function) → function, every method the code may call
        self.cells = []  # (object, attribute, cell, weak) of the assigned numeric attributes
        # One object reached twice (f(a, a), or a.left is a.right) has one cell per attribute:
        # a write through one name is seen through the other, as in CPython.
        self.made = {}  # (id(object), attribute) → its cells

    def _plan(self, cls):
        """(methods, class data attributes) among the names, for cls; cached per names set."""
        names = self.names
        plan = names.plans.get(cls)
        if plan is not None and plan[0] == (len(names.names), len(names.stores)):
            return plan[1], plan[2]
        methods, data = [], []
        for name in sorted(names.names):
            if name.startswith("__"):
                continue
            if _class_function(cls, name) is not None:
                methods.append(name)
                continue
            try:
                v = getattr(cls, name)
            except AttributeError:
                continue
            if not isinstance(v, (property, types.FunctionType, staticmethod, classmethod)):
                data.append(name)
        names.plans[cls] = ((len(names.names), len(names.stores)), methods, frozenset(data))
        return methods, frozenset(data)

    def describe(self, value, depth, leaves, path):
        """A hashable description of value; its leaf values are appended to leaves."""
        if _runtime.arg_code(value) != 0:
            leaves.append(value)
            return None
        if type(value) is tuple:
            return (_TUPLE, tuple(self.describe(v, depth, leaves, path) for v in value))
        if type(value) is list:
            dtype, weak = lists.describe_list(value)
            leaves.extend(lists.list_leaves(value, dtype))
            return (_LIST, dtype, weak)
        if type(value) is dict or type(value) is set:
            key, val = lists.describe_hashed(value)
            leaves.extend(lists.hashed_leaves(value, key, val))
            return (_HASHED, type(value) is dict, key, val)
        if type(value) is KwargsRecord:
            fields = tuple((name, self.describe(value.items[name], depth, leaves, path))
                           for name in sorted(value.items))
            return (KwargsRecord, fields, ())
        if _is_generator(value):
            from . import _random

            leaves.extend(_random.generator_leaves(value))
            return (type(value), _GENERATOR_FIELDS, ())
        cls = type(value)
        methods, data = self._plan(cls)
        attrs = value.__dict__
        nameset = self.names.names
        own = [n for n in attrs if n in nameset and not n.startswith("__")]
        fields = []
        for name in sorted(data.union(own)) if data else sorted(own):
            v = attrs[name] if name in attrs else getattr(cls, name)
            if name in self.names.stores and name not in self.names.loads and \
                    (_is_number(v) or _runtime.arg_code(v) == 0 and not is_plain_object(v)):
                # Assigned and never read by compiled code: it may take a value of any numeric
                # type, as in CPython; the kernel writes which type it assigned last, and the
                # value, into four cells (the attribute stays as it was if it assigns none).
                out = self.made.get((id(value), name))
                if out is None:
                    out = _out_record()
                    self.made[(id(value), name)] = out
                    self.cells.append((value, name, out, _OUT))
                leaves.extend(out)
                fields.append((name, (_OUT,)))
            elif name in self.names.stores and _is_number(v):
                weak = type(v) in _WEAK
                cell = self.made.get((id(value), name))
                if cell is None:
                    cell = numpy.array(v)
                    self.made[(id(value), name)] = cell
                    self.cells.append((value, name, cell, weak))
                leaves.append(cell)
                fields.append((name, (_CELL, weak)))
                # Read and assigned: a store may give it a value of another type, which its
                # cell cannot hold; the kernel writes that value and its type into a record
                # beside the cell (the engine's types.OutSuffix), which wins when it is set.
                out = self.made.get((id(value), name + "@out"))
                if out is None:
                    out = _out_record()
                    self.made[(id(value), name + "@out")] = out
                    self.cells.append((value, name, out, _OUT))
                leaves.extend(out)
                fields.append((name + "@out", (_OUT,)))
            elif _runtime.arg_code(v) != 0:
                leaves.append(v)
                fields.append((name, None))
            elif is_plain_object(v) and depth < MAX_DEPTH and id(v) not in path:
                sub = self.describe(v, depth + 1, leaves, path | {id(v)})
                fields.append((name, sub))
        called = []
        for name in methods:
            if name in attrs:
                continue  # an instance attribute shadows the method
            called.append(name)
            method = _class_function(cls, name)
            if id(method) not in self.methods:
                self.methods[id(method)] = method
                self.names.add_function(method)
        return (cls, tuple(fields), tuple(called))


def _out_record():
    """The four cells of an attribute's last value of any numeric type: tag, int64, float64,
    complex128 (write_back)."""
    return (numpy.zeros((), numpy.int64), numpy.zeros((), numpy.int64),
            numpy.zeros((), numpy.float64), numpy.zeros((), numpy.complex128))


def _is_number(v):
    return type(v) in _WEAK or isinstance(v, numpy.generic) and v.dtype.kind in "biufc"


def write_back(cells):
    """Sets each assigned numeric attribute to its cell's value (after the call)."""
    for obj, name, cell, weak in cells:
        if weak is _OUT:
            tag = int(cell[0])
            if tag:
                setattr(obj, name, _out_value(tag, cell))
            continue
        setattr(obj, name, cell.item() if weak else cell[()])


def _out_value(tag, cells):
    """The value an assigned-only attribute was given last: its type from the tag, its value
    from the int64, float64 or complex128 cell that type travels in."""
    dtype = numpy.dtype(OUT_DTYPES[(tag - 1) // 2])
    weak = (tag - 1) % 2 == 1
    if dtype.kind in "biu":
        raw = cells[1][()]
        v = raw.view(numpy.uint64) if dtype == numpy.uint64 else raw
        v = numpy.array(v).astype(dtype)[()]
    elif dtype.kind == "f":
        v = cells[2][()].astype(dtype)
    else:
        v = cells[3][()].astype(dtype)
    if weak:
        return {"b": bool, "i": int, "u": int, "f": float, "c": complex}[dtype.kind](v)
    return v


def describe_call(dispatcher, args):
    """(description, leaves, methods, cells) of a call with object or tuple arguments; cells are
    the assigned numeric attributes, to write back after the call (write_back)."""
    for i, a in enumerate(args):
        if _runtime.arg_code(a) != 0:
            continue
        if type(a) is tuple:
            bad = _bad_item(a)
            if bad is not None:
                raise public(TypeError(_args.rejected_message(dispatcher, args, i, item=bad)))
        elif type(a) is str:
            pass  # a constant or a run-time string, whatever its length (below)
        elif is_const_arg(a):
            dtypeish = isinstance(a, numpy.dtype) or isinstance(a, type)
            if dtypeish and (not numpy.dtype(a).isnative or numpy.dtype(a).name not in _DTYPES):
                raise public(TypeError(_args.rejected_message(dispatcher, args, i)))
        elif type(a) is KwargsRecord:
            bad = _bad_keyword(a)
            if bad is not None:
                raise public(TypeError(
                    f"{dispatcher.py_func.__qualname__}() keyword argument '{bad[0]}': got "
                    f"{type(bad[1]).__name__}; **kwargs values compiled code takes are numbers, "
                    f"NumPy arrays and tuples of them"))
        elif type(a) is list:
            d = lists.describe_list(a)
            if isinstance(d, str):
                raise public(TypeError(f"{dispatcher.py_func.__name__}() argument {i + 1}: {d}"))
        elif type(a) is dict or type(a) is set:
            d = lists.describe_hashed(a)
            if isinstance(d, str):
                raise public(TypeError(f"{dispatcher.py_func.__name__}() argument {i + 1}: {d}"))
        elif not _is_generator(a) and not is_plain_object(a):
            raise public(TypeError(_args.rejected_message(dispatcher, args, i)))
    # The names only grow (as methods are found), so one set per dispatcher and argument
    # classes serves every later call: one pass over the attributes when nothing is new.
    classes = tuple(type(a) for a in args)
    names = dispatcher._object_names.get(classes)
    if names is None:
        names = dispatcher._object_names[classes] = _Names(dispatcher.py_func)
    while True:
        # A method found on an argument may read more attributes: describe until stable.
        before = (len(names.names), len(names.stores))
        d = _Describer(names)
        leaves = []
        desc = []
        for i, a in enumerate(args):
            if type(a) is str and (len(a) > MAX_STR_ARG or i in dispatcher._runtime_strs):
                leaves.append(str_leaf(a))
                desc.append((_RTSTR,))
            elif type(a) is str:
                desc.append((_STR, a))
            elif is_const_arg(a):
                desc.append((_CONST, a))
            else:
                desc.append(d.describe(a, 0, leaves, frozenset([id(a)])))
        desc = tuple(desc)
        for a in args:
            fn = _const_function(a) if is_const_arg(a) else None
            if fn is not None and id(fn) not in d.methods:
                d.methods[id(fn)] = fn  # compiled with the entry, like a method
        if (len(names.names), len(names.stores)) == before:
            return desc, leaves, list(d.methods.values()), d.cells


def arg_types(desc, leaf_types, ids):
    """The request's "args": leaf types regrouped into object and tuple descriptions."""
    leaf_iter = iter(leaf_types)

    def build(item):
        if item is None:
            return next(leaf_iter)
        if item[0] == _TUPLE:
            return {"kind": "tuple", "items": [build(sub) for sub in item[1]]}
        if item[0] == _STR:
            return {"kind": "str", "value": item[1]}
        if item[0] == _RTSTR:
            return {"kind": "str", "runtime": True, "items": [next(leaf_iter)]}
        if item[0] == _CELL:
            leaf = next(leaf_iter)
            return {"kind": "cell", "dtype": leaf["dtype"], "weak": item[1]}
        if item[0] == _OUT:
            slots = []
            for slot in ("tag", "i", "f", "c"):
                leaf = next(leaf_iter)
                slots.append({"name": slot, "type": {"kind": "cell", "dtype": leaf["dtype"], "weak": False}})
            return {"kind": "object", "class": OUT_CLASS, "fields": slots, "methods": {}}
        if item[0] == _CONST:
            return {"kind": "const", "global": _const_global(item[1], ids)}
        if item[0] == _LIST and isinstance(item[1], tuple) and item[1][0] == "array":
            # a list of arrays: a buffer per descriptor word (lists.py)
            _, dtype, nd = item[1]
            bufs = [next(leaf_iter) for _ in range(3 + 2 * nd)]
            return {"kind": "list", "elem": {"kind": "array", "dtype": dtype, "ndim": nd, "layout": "A"},
                    "items": bufs}
        if item[0] == _LIST and isinstance(item[1], tuple) and item[1][0] == "list":
            # a list of lists: its boxes' owner and data words and its length (lists.py)
            _, dtype, weak = item[1]
            return {"kind": "list", "elem": {"kind": "list", "dtype": dtype, "weak": weak},
                    "items": [next(leaf_iter) for _ in range(3)]}
        if item[0] == _LIST and isinstance(item[1], tuple):  # a list of tuples: a buffer per field
            bufs = [next(leaf_iter) for _ in item[1]]
            fields = [{"kind": "scalar", "dtype": d, "weak": w} for d, w in item[1]]
            return {"kind": "list", "elem": {"kind": "tuple", "items": fields},
                    "items": bufs + [next(leaf_iter)]}
        if item[0] == _HASHED:
            # a dict or set (lists.hashed_leaves): keys and values, each one buffer or a list of
            # strings' five leaves, then the live flags, the table and the two counts
            def part(desc):
                if desc[0] == "str":
                    return {"kind": "str", "runtime": True}, 5
                return {"kind": "scalar", "dtype": desc[0], "weak": desc[1]}, 1
            key, nk = part(item[2])
            out = {"kind": "dict" if item[1] else "set", "elem": key}
            nv = 1
            if item[1]:
                out["val"], nv = part(item[3])
            out["items"] = [next(leaf_iter) for _ in range(nk + nv + 4)]
            return out
        if item[0] == _LIST and item[1] == "str":
            return {"kind": "list", "dtype": "str", "items": [next(leaf_iter) for _ in range(5)]}
        if item[0] == _LIST:
            buf, n = next(leaf_iter), next(leaf_iter)
            return {"kind": "list", "dtype": item[1], "weak": item[2], "items": [buf, n]}
        cls, fields, methods = item
        return {
            "kind": "object",
            "class": KWARGS_CLASS if cls is KwargsRecord else class_name(cls),
            "fields": [{"name": name, "type": build(sub)} for name, sub in fields],
            "methods": {m: ids[id(_class_function(cls, m))] for m in methods},
        }

    return [build(item) for item in desc]


# The leaf a run-time str argument travels as (a copy even for non-ASCII text: frombuffer's
# view of the bytes is read-only, and a split's pool starts as the argument, lower/strings.go).
str_leaf = lists.str_codes


def runtime_str_call(dispatcher, args):
    """(inner dispatcher, leaves) for a call whose arguments are all plain (arrays, numbers) or
    run-time strings, once a specialization for them exists; else None (the general path).
    It skips describe_call's work, which such a call does not need: its description is known
    from the positions of the strings alone."""
    runtime = dispatcher._runtime_strs
    leaves, desc = [], []
    for i, a in enumerate(args):
        if type(a) is str:
            if len(a) <= MAX_STR_ARG and i not in runtime:
                return None
            leaves.append(str_leaf(a))
            desc.append((_RTSTR,))
        elif _runtime.arg_code(a) != 0:
            leaves.append(a)
            desc.append(None)
        else:
            return None
    inner = dispatcher._object_dispatchers.get(tuple(desc))
    return None if inner is None else (inner, leaves)


def constant_strs(desc):
    """The positions of the arguments a description passes as compile-time str constants."""
    return [i for i, item in enumerate(desc) if isinstance(item, tuple) and item and item[0] == _STR]


def str_used_as_value(exc):
    """Whether a compile error says that a constant str argument is read as a value or
    assigned, which only a run-time string can be (resolve.go, strfold.go): the call is then
    compiled again with it."""
    text = str(exc)
    return "is a str, used here as a value" in text or "is assigned in the function" in text


def _const_global(value, ids):
    """The protocol's description of a constant argument, as a global of that value."""
    if isinstance(value, types.ModuleType):
        return {"kind": "module", "name": value.__name__}
    fn = _const_function(value)
    if fn is not None:
        return {"kind": "function", "id": ids[id(fn)]}
    if isinstance(value, numpy.dtype):
        value = value.type  # the NumPy scalar type it names: numpy.float32 for dtype("f4")
    return _request.encode_value(value, None)


def reflect_lists(args, result):
    """The result of a call with list arguments, after writing their final contents back into the
    caller's lists (the kernel returns them after its result: lists.py)."""
    listed = [a for a in args if type(a) is list or type(a) is dict or type(a) is set]
    if not listed:
        return result
    for lst, final in zip(listed, result[1:]):
        lists.reflect(lst, final)
    return result[0]


def reflect_lists_on_error(args, exc):
    """Writes into the caller's lists the contents the kernel had when it raised exc (the runtime
    attaches them to the exception: ABI "onfail"); CPython's lists keep the changes made before a
    raise."""
    finals = exc.__dict__.pop("_sejit_lists", None) if hasattr(exc, "__dict__") else None
    if finals is None:
        return
    for lst, final in zip([a for a in args if type(a) is list or type(a) is dict or type(a) is set], finals):
        lists.reflect(lst, final)
