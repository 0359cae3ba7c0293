"""Lists in compiled code (issue 14; docs/supported.md, py.lists).

`typed_list(dtype)` is an empty list whose item type compiled code knows before anything is
appended: `[]` in Python, a list of `dtype` items in compiled code.

A list argument takes the Python path of tuples and objects (_objects.py): its items, all Python
numbers of one type (bool, int, float or complex) or all NumPy scalars of one dtype, are copied
into a 1-D array (the list's buffer) passed with its length; the kernel returns the final buffer
and length of every list argument after its result, and the caller's list is updated in place
(`lst[:] = ...`), as Numba's reflected lists are: appends, pops and stores the function makes are
seen by the caller. A list of strs travels as a list of run-time strings (its items' text in one
pool), reflected the same way (the caller's list then holds equal new strs). Nested lists, mixed
item types and empty lists are refused with a TypeError (an empty list has no item type to
compile for).
"""

import numpy

_PY_KINDS = ((bool, "bool"), (int, "int64"), (float, "float64"), (complex, "complex128"))


def typed_list(dtype):
    """An empty list; in compiled code, a list of `dtype` (np.float64, int, ...) items."""
    return []


def describe_list(value):
    """(dtype name, weak) for a list argument's items, or a reason (str) it cannot be passed."""
    if not value:
        return "an empty list (its item type is unknown: pass a non-empty list or an array)"
    first = type(value[0])
    for cls, name in _PY_KINDS:
        if first is cls:
            if all(type(v) is cls for v in value):
                return name, True
            return "a list mixing item types (compiled lists are homogeneous)"
    if first is str:
        if all(type(v) is str for v in value):
            return "str", False
        return "a list mixing item types (compiled lists are homogeneous)"
    if isinstance(value[0], numpy.generic):
        dt = value[0].dtype
        if dt.kind in "biufc" and all(isinstance(v, numpy.generic) and v.dtype == dt for v in value):
            return dt.name, False
        return "a list mixing item types (compiled lists are homogeneous)"
    return f"a list of {first.__name__} items (only lists of numbers are compiled)"


def list_leaves(value, dtype):
    """The leaves a list argument travels as: its buffer and its length; for a list of strings
    (lower/strings.go) the int64 starts of its items, the length, their lengths, and the pool of
    their code points with its used count (the pool's extent, so the kernel's appends move it to a
    buffer of its own)."""
    if dtype == "str":
        n = len(value)
        lens = numpy.fromiter(map(len, value), dtype=numpy.int64, count=n)
        starts = numpy.zeros(n, dtype=numpy.int64)
        numpy.cumsum(lens[:-1], out=starts[1:])
        pool = str_codes("".join(value))
        return starts, n, lens, pool, len(pool)
    return numpy.array(value, dtype=dtype), len(value)


def str_codes(s):
    """A str's code points as a new 1-D uint32 array: how compiled code holds a run-time string
    (lower/strings.go), so that len() and indexing are CPython's."""
    if s.isascii():
        return numpy.frombuffer(s.encode("ascii"), dtype=numpy.uint8).astype(numpy.uint32)
    return numpy.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32).copy()


def reflect(lst, final):
    """Writes the kernel's final contents of a list argument back into the caller's list."""
    lst[:] = final
