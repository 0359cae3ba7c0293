"""Objects of plain Python classes as arguments (docs/supported.md, py.objects).

The C fast path takes arrays and scalars only; a call with an object of a plain class misses it
and comes here through `Dispatcher._compile_for`. The object is described by its class and the
attributes the code may read: the names the compiled functions look up (their `co_names`, which
hold every attribute name they use), found on the object, whose values are numbers, NumPy arrays
or (up to MAX_DEPTH levels) objects of plain classes. Those values, depth first, are the
arguments of a specialization compiled by an inner dispatcher per description; the engine sees
each object as a record of typed fields. Methods of the class named in the code are compiled
with the caller, with the object as their first argument.

Arrays are passed by reference, so the kernel writes into `obj.data` in place; other attribute
assignments are refused by the engine. The description is computed on every call, which costs
microseconds: the fast path for calls without objects is untouched.
"""

import types

import numpy

from . import _request, _runtime
from .errors import public

MAX_DEPTH = 4
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


def is_plain_object(value):
    """An instance of a class defined in Python (with a __dict__), not a number or container."""
    if isinstance(value, _NOT_PLAIN):
        return False
    cls = type(value)
    # A class statement makes a heap type; built-in and most extension types are static.
    if not cls.__flags__ & _HEAPTYPE or not hasattr(value, "__dict__"):
        return False
    # Attributes computed on access are not plain data.
    return cls.__getattribute__ is object.__getattribute__ and not hasattr(cls, "__getattr__")


def has_objects(args):
    return any(_runtime.arg_code(a) == 0 and is_plain_object(a) for a in args)


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
        self.seen = set()  # ids of code objects already scanned
        self.add_function(func)

    def add_function(self, func):
        code = getattr(func, "__code__", None)
        if code is None or id(code) in self.seen:
            return
        self.seen.add(id(code))
        new = _request._global_names(code)
        self.names |= new
        # Plain helper functions reached through globals read attributes too.
        fglobals = getattr(func, "__globals__", {})
        for name in new:
            value = fglobals.get(name)
            value = getattr(value, "py_func", value)
            if isinstance(value, types.FunctionType):
                self.add_function(value)


class _Describer:
    """Builds the description of a call's arguments and their leaves."""

    def __init__(self, names):
        self.names = names
        self.methods = {}  # id(function) → function, every method the code may call

    def describe(self, value, depth, leaves, path):
        """A hashable description of value; its leaf values are appended to leaves."""
        if _runtime.arg_code(value) != 0:
            leaves.append(value)
            return None
        cls = type(value)
        fields = []
        methods = []
        attrs = value.__dict__
        for name in sorted(self.names.names):
            if name.startswith("__"):
                continue
            if name in attrs:
                v = attrs[name]
            else:
                method = _class_function(cls, name)
                if method is not None:
                    methods.append(name)
                    if id(method) not in self.methods:
                        self.methods[id(method)] = method
                        self.names.add_function(method)
                    continue
                try:
                    v = getattr(cls, name)
                except AttributeError:
                    continue
                if isinstance(v, (property, types.FunctionType, staticmethod, classmethod)):
                    continue
            if _runtime.arg_code(v) != 0:
                leaves.append(v)
                fields.append((name, None))
            elif is_plain_object(v) and depth < MAX_DEPTH and id(v) not in path:
                sub = self.describe(v, depth + 1, leaves, path | {id(v)})
                fields.append((name, sub))
        return (cls, tuple(fields), tuple(methods))


def describe_call(dispatcher, args):
    """(description, leaves, methods) of a call with object arguments."""
    for i, a in enumerate(args):
        if _runtime.arg_code(a) == 0 and not is_plain_object(a):
            raise public(TypeError(_request._rejected_message(dispatcher, args, i)))
    names = _Names(dispatcher.py_func)
    while True:
        # A method found on an argument may read more attributes: describe until stable.
        before = len(names.names)
        d = _Describer(names)
        leaves = []
        desc = tuple(d.describe(a, 0, leaves, frozenset([id(a)])) for a in args)
        if len(names.names) == before:
            return desc, leaves, list(d.methods.values())


def arg_types(desc, leaf_types, ids):
    """The request's "args": leaf types regrouped into object descriptions."""
    leaf_iter = iter(leaf_types)

    def build(item):
        if item is None:
            return next(leaf_iter)
        cls, fields, methods = item
        return {
            "kind": "object",
            "class": class_name(cls),
            "fields": [{"name": name, "type": build(sub)} for name, sub in fields],
            "methods": {m: ids[id(_class_function(cls, m))] for m in methods},
        }

    return [build(item) for item in desc]


def call(dispatcher, args):
    """Runs a call with object arguments through the inner dispatcher for its description."""
    _request.check_arity(dispatcher.py_func, len(args))
    desc, leaves, methods = describe_call(dispatcher, args)
    inner = dispatcher._object_dispatchers.get(desc)
    if inner is None:
        from .dispatcher import ObjectDispatcher

        inner = ObjectDispatcher(dispatcher, desc, methods)
        dispatcher._object_dispatchers[desc] = inner
    return inner(*leaves)
