"""Lists in compiled code (issue 14; docs/supported.md, py.lists).

`typed_list(dtype)` is an empty list whose item type compiled code knows before anything is
appended: `[]` in Python, a list of `dtype` items in compiled code.

A list argument takes the Python path of tuples and objects (_objects.py): its items, all Python
numbers of one type (bool, int, float or complex) or all NumPy scalars of one dtype, are copied
into a 1-D array (the list's buffer) passed with its length; the kernel returns the final buffer
and length of every list argument after its result, and the caller's list is updated in place
(`lst[:] = ...`), as Numba's reflected lists are: appends, pops and stores the function makes are
seen by the caller, also when the function raises (the kernel sets its lists' final contents on
failure too and the runtime attaches them to the exception: _objects.reflect_lists_on_error), as
CPython's list keeps the changes made before a raise. A list of tuples of numbers travels as one
buffer per tuple field. A list of strs travels as a list of run-time strings (its items' text in
one pool), reflected the same way (the caller's list then holds equal new strs). A list of lists
of numbers (ragged rows too) travels as the boxes compiled code keeps its rows in (_list_boxes),
and is written back into the caller's own inner lists, row by row (reflect). Deeper nesting,
mixed item types and empty lists (or lists of only empty lists) are refused with a TypeError (an
empty list has no item type to compile for). A list of arrays of one dtype and rank travels as
their descriptors (the arrays themselves, not copies: compiled code reads and writes them in
place); arrays of it returned or written back are the caller's own arrays or views of them.

Dicts and sets (describe_hashed, hashed_leaves) take the same path: their entries, keys and values
each of one kind, are copied in insertion order; the kernel builds the hash table on entry (a
set's: the caller's own layout) and returns the final dict or set, which reflect() writes back
into the caller's (a dict: clear, update; a set: the kernel's table itself, _runtime.set_assign).
"""

import numpy

from . import _runtime

_PY_KINDS = ((bool, "bool"), (int, "int64"), (float, "float64"), (complex, "complex128"))


def typed_list(dtype):
    """An empty list; in compiled code, a list of `dtype` (np.float64, int, ...) items."""
    return []


def describe_list(value):
    """(dtype name, weak) for a list argument's items, or a reason (str) it cannot be passed.

    For a list of tuples of numbers, the "dtype" is a tuple of one (dtype name, weak) per field
    and weak is None: such a list travels as one buffer per field."""
    if not value:
        return "an empty list (its item type is unknown: pass a non-empty list or an array)"
    if type(value[0]) is tuple:
        return _describe_tuples(value)
    if type(value[0]) is list:
        return _describe_lists(value)
    if isinstance(value[0], numpy.ndarray):
        return _describe_arrays(value)
    return _describe_numbers(value)


_ARRAY_DTYPES = frozenset(("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                           "float32", "float64", "complex64", "complex128"))


def _describe_arrays(value):
    """(("array", dtype name, ndim), None) for a list of arrays of one dtype and rank."""
    first = value[0]
    dt, nd = first.dtype, first.ndim
    for a in value:
        if type(a) is not numpy.ndarray or a.dtype != dt or a.ndim != nd:
            return "a list of arrays of differing types or ranks (compiled lists are homogeneous)"
        if not a.flags.writeable or not a.flags.aligned or any(s % dt.itemsize for s in a.strides):
            return ("a list holding a read-only, misaligned or unevenly strided array (the compiled "
                    "code uses list items in place)")
    if not dt.isnative or dt.name not in _ARRAY_DTYPES or nd > 8:
        return f"a list of arrays of {dt} with {nd} dimensions (not a dtype or rank sejit compiles)"
    return ("array", dt.name, nd), None


def _describe_lists(value):
    """(("list", dtype name, weak), None) for a list of lists of numbers of one type."""
    if any(type(x) is not list for x in value):
        return "a list mixing lists and other items (compiled lists are homogeneous)"
    flat = [v for x in value for v in x]
    if not flat:
        return "a list of empty lists (their item type is unknown: pass at least one item)"
    if type(flat[0]) is list:
        return "a list of lists of lists (only lists of lists of numbers are compiled)"
    d = _describe_numbers(flat)
    if isinstance(d, str):
        return d.replace("a list ", "a list of lists ", 1)
    if d[0] == "str":
        return "a list of lists of strings (only lists of lists of numbers are compiled)"
    return ("list",) + d, None


def _describe_tuples(value):
    m = len(value[0])
    if m == 0 or any(type(t) is not tuple or len(t) != m for t in value):
        return "a list mixing item types (compiled lists are homogeneous)"
    fields = []
    for j in range(m):
        d = _describe_numbers([t[j] for t in value])
        if isinstance(d, str):
            return d.replace("a list of ", "a list of tuples of ", 1)
        if d[0] == "str":
            return "a list of tuples holding strings (tuple fields are numbers)"
        fields.append(d)
    return tuple(fields), None


def _describe_numbers(value):
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
    """The leaves a list argument travels as: its buffers (one, or one per field of tuple items,
    or one per descriptor word of array items) and its length; for a list of strings
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
    if isinstance(dtype, tuple) and dtype[0] == "array":
        return _array_words(value, dtype[2])
    if isinstance(dtype, tuple) and dtype[0] == "list":
        return _list_boxes(value, dtype[1])
    if isinstance(dtype, tuple):
        return [numpy.array([t[j] for t in value], dtype=d) for j, (d, _) in enumerate(dtype)] + [
            len(value)]
    return numpy.array(value, dtype=dtype), len(value)


def _array_words(value, nd):
    """A list of arrays as compiled code holds it (lower/list_arrays.go): per item, the address of
    the array (its owner: the caller's list keeps it alive during the call), of its first element,
    its extents and its strides in elements; one int64 buffer per word, then the length."""
    words = numpy.empty((2 + 2 * nd, len(value)), dtype=numpy.int64)
    for i, a in enumerate(value):
        words[0, i] = id(a)
        words[1, i] = a.__array_interface__["data"][0]
        words[2:2 + nd, i] = a.shape
        words[2 + nd:, i] = [s // a.itemsize for s in a.strides]
    return [numpy.ascontiguousarray(w) for w in words] + [len(value)]


def _inner_lists(value):
    """The distinct inner lists of a list of lists, in order of first appearance, and the index
    of each item's among them."""
    index, inners, ids = {}, [], []
    for x in value:
        k = index.get(id(x))
        if k is None:
            k = index[id(x)] = len(inners)
            inners.append(x)
        ids.append(k)
    return inners, ids


def _list_boxes(value, dtype):
    """A list of lists as compiled code holds it (lower/list_lists.go): each distinct inner list
    in a box of five int64 words (its length, its buffer's owner and data addresses, its capacity,
    and its origin: its index among the distinct inner lists), and the outer list as the owner and
    data words of each item's box, then the length. Items that are one list share one box. The
    items, the boxes and the words are views of one int64 array, which the two word buffers keep
    alive for the call."""
    inners, ids = _inner_lists(value)
    m, n = len(inners), len(value)
    dt = numpy.dtype(dtype)
    lens = numpy.fromiter(map(len, inners), dtype=numpy.int64, count=m)
    offs = numpy.zeros(m, dtype=numpy.int64)
    numpy.cumsum(lens[:-1], out=offs[1:])
    total = int(lens.sum())
    vwords = -(-total * dt.itemsize // 8)
    store = numpy.zeros(vwords + 5 * m + 2 * n, dtype=numpy.int64)
    vals = store[:vwords].view(dt)[:total]
    if total:
        vals[:] = [v for x in inners for v in x]
    boxes = store[vwords:vwords + 5 * m].reshape(m, 5)
    base = store.ctypes.data
    boxes[:, 0] = lens
    boxes[:, 1] = id(store)
    boxes[:, 2] = base + offs * dt.itemsize
    boxes[:, 3] = lens
    boxes[:, 4] = numpy.arange(m)
    owner = store[vwords + 5 * m:vwords + 5 * m + n]
    data = store[vwords + 5 * m + n:]
    owner[:] = id(store)
    data[:] = base + (vwords + 5 * numpy.asarray(ids, dtype=numpy.int64)) * 8
    return owner, data, n


def str_codes(s):
    """A str's code points as a new 1-D uint32 array: how compiled code holds a run-time string
    (lower/strings.go), so that len() and indexing are CPython's."""
    if s.isascii():
        return numpy.frombuffer(s.encode("ascii"), dtype=numpy.uint8).astype(numpy.uint32)
    return numpy.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32).copy()


def describe_hashed(value):
    """((key dtype, weak), (value dtype, weak)) for a dict or set argument (("str", False) for
    str keys or values; the value part None for a set), or a reason (str) it cannot be passed.

    Keys (and values) must be of one kind, as compiled dicts hold them; NaN keys are refused
    (CPython tells them apart by identity, compiled code cannot)."""
    what = "dict" if type(value) is dict else "set"
    if not value:
        return f"an empty {what} (its key and value types are unknown)"
    key = _describe_numbers(list(value))
    if isinstance(key, str):
        return f"a {what} whose keys are " + key[2:].replace("a list", "a collection")
    if key[0] not in ("str", "bool", "int64", "float64") and not (
            key[0] in _ARRAY_DTYPES and numpy.dtype(key[0]).kind in "biuf" and key[0] != "uint64"):
        return f"a {what} with keys of type {key[0]} (only bools, integers, floats and strs)"
    if key[0] in ("float64", "float32", "float16") and any(k != k for k in value):
        return f"a {what} with a NaN key (CPython tells NaNs apart by identity)"
    if what == "set":
        return key, None
    val = _describe_numbers(list(value.values()))
    if isinstance(val, str):
        return "a dict whose values are " + val[2:].replace("a list", "a collection")
    return key, val


def _capacity(n):
    c = 8
    while c < 2 * n:
        c *= 2
    return c


def _hashed_part(items, desc, cap):
    """One part (keys or values) of a dict argument: a buffer of capacity cap, or for strs a
    list of strings (starts, length, lengths, pool, used) whose starts and lengths have that
    capacity, as compiled dicts hold them (lower/dicts.go)."""
    n = len(items)
    if desc[0] == "str":
        starts, _, lens, pool, used = list_leaves(items, "str")
        s, ln = numpy.zeros(cap, dtype=numpy.int64), numpy.zeros(cap, dtype=numpy.int64)
        s[:n], ln[:n] = starts, lens
        return [s, n, ln, pool, used]
    buf = numpy.zeros(cap, dtype=desc[0])
    if n:
        buf[:n] = numpy.array(items, dtype=desc[0])
    return [buf]


def hashed_leaves(value, key, val):
    """The leaves a dict or set argument travels as (lower/dicts.go, hashRepr): its entries in
    insertion order (keys, values, live flags) with room for twice as many, a hash table, the
    entries used and the live count. A dict's table is empty (the kernel builds it on entry: the
    hash functions are the kernel's). A set's keys come in its iteration order and its "table"
    says where CPython's own table holds them: each key's slot, the table's size and fill, then
    its dummies' slots (_runtime.set_layout), from which the kernel rebuilds that very table and
    so iterates the set in CPython's order (strings under this process's str hash:
    lower/pyset.go)."""
    n = len(value)
    cap = _capacity(n)
    leaves = _hashed_part(list(value), key, cap)
    if val is None:
        leaves.append(numpy.ones(cap, dtype=numpy.bool_))
        slots, size, fill, dummies = _runtime.set_layout(value)
        table = numpy.array(slots + [size, fill] + dummies, dtype=numpy.int64)
    else:
        leaves.extend(_hashed_part(list(value.values()), val, cap))
        table = numpy.zeros(2 * cap, dtype=numpy.int64)
    live = numpy.zeros(cap, dtype=numpy.bool_)
    live[:n] = True
    return leaves + [live, table, n, n]


def reflect(lst, final):
    """Writes the kernel's final contents of a list, dict or set argument back into the caller's
    one. For a list of lists, final is (its lists, each one's origin): an item the kernel kept from
    the caller's inner list k is that same list, its contents written back, as CPython's list of
    lists holds its inner lists themselves."""
    if type(lst) is set:
        # The kernel's final table itself (the runtime boxes it so): CPython's after the same
        # changes, so the caller's set iterates on as it would have.
        _runtime.set_assign(lst, final)
        return
    if type(lst) is dict:
        lst.clear()
        lst.update(final)
        return
    if type(final) is tuple:
        items, origins = final
        inners, _ = _inner_lists(lst)
        done = set()
        out = []
        for item, k in zip(items, origins):
            if k < 0:
                out.append(item)
                continue
            inner = inners[k]
            if k not in done:
                done.add(k)
                inner[:] = item
            out.append(inner)
        lst[:] = out
        return
    lst[:] = final
