"""sejit.map, sejit.reduce and sejit.scan (and vectorized functions) on DeviceArrays.

map runs one element-wise kernel that the engine generates from the user's scalar function
(_ufuncs.apply; the function is inlined into the kernel). reduce and scan are written as sejit
kernels (the texts below, with the user's function as their global `f`), so they use the same
compiler as any user kernel, in two shapes (docs/primitives.md):

- on a CPU device (PoCL), one work-item per long contiguous row of the data and one work-item
  that combines the rows in order (_CHUNKS, _FINAL, _SCAN_MID, _SCAN_ROWS): a work-group there is
  a loop over its work-items on one thread, so few work-items and no barriers are what is fast;
- on a GPU, work-group trees in local memory:
  - reduce: each work-item folds a contiguous chunk of PER elements serially (or, for NumPy's
    commutative operations, PER elements WG apart: neighbouring work-items read neighbouring
    elements, which a GPU's memory coalesces), then the group combines its WG values in local
    memory as an order-keeping tree (s[l] = f(s[l], s[l + d]) for d = 1, 2, 4, ...), and
    writes one partial per group; the same kernel reduces the partials until one is left.
  - scan: each work-item scans its chunk serially, the group scans its WG chunk totals in local
    memory (Hillis-Steele, WG log WG steps), each work-item adds the total of the chunks before
    it, and the group's total goes to a block-sums array; the block sums are scanned the same
    way (recursively) and added back to every block after the first.

Only associativity is assumed: every shape keeps the order of the operands, so a
non-commutative f is fine.

Floating-point results are those of this regrouping, not of the serial loop: within the bounds
of a pairwise sum (docs/primitives.md).
"""

import hashlib
import linecache
import math
import operator
import threading

import numpy

from . import _ufuncs
from .array import DeviceArray, as_device_array, is_device_array

WG = 128  # work-items per group (a power of two; lowered to the device's limit)
PER = 32  # elements each work-item folds serially

_REDUCE = """\
def _sejit_dreduce(x, out, n, per, spread, init, use_init):
    lid = sejit.local_id(0)
    L = sejit.local_size(0)
    g = sejit.group_id(0)
    s = sejit.local_array(L, out.dtype)
    ok = sejit.local_array(L, np.int32)
    if spread != 0:
        start = g * L * per + lid
        step = L
    else:
        start = (g * L + lid) * per
        step = 1
    ok[lid] = 0
    if start < n:
        acc = ACC(x[start])
        for k in range(1, per):
            i = start + k * step
            if i < n:
                acc = ACC(f(acc, x[i]))
        s[lid] = acc
        ok[lid] = 1
    sejit.barrier()
    d = 1
    while d < L:
        if lid % (2 * d) == 0 and lid + d < L:
            if ok[lid + d] != 0:
                s[lid] = ACC(f(s[lid], s[lid + d]))
        sejit.barrier()
        d *= 2
    if lid == 0:
        if use_init != 0:
            out[g] = ACC(f(init, s[0]))
        else:
            out[g] = s[0]
"""

# On a CPU device (PoCL) a work-group runs on one thread, which loops over its work-items, so a
# work-item costs far more than an element and barriers split that loop. There, reduce gives each
# work-item one long contiguous row of a 2-D view of the data (indexed by the work-item's id and
# a counted loop: no wrap-around, a unit stride, a loop the device compiler vectorizes where the
# type allows), and one more work-item combines the rows' values and the few elements after the
# last row, in order. Two launches, no barriers, no local memory.
_CHUNKS = """\
def _sejit_dchunks(x, out, init, use_init):
    i = sejit.global_id(0)
    acc = ACC(x[i, 0])
    for k in range(1, x.shape[1]):
        acc = ACC(f(acc, x[i, k]))
    if use_init != 0:
        acc = ACC(f(init, acc))
    out[i] = acc
"""

_FINAL = """\
def _sejit_dfinal(p, t, out, init, use_init):
    acc = ACC(p[0])
    if use_init != 0:
        acc = ACC(f(init, acc))
    for k in range(1, p.shape[0]):
        acc = ACC(f(acc, p[k]))
    for k in range(t.shape[0]):
        acc = ACC(f(acc, t[k]))
    out[0] = acc
"""

BLOCK = 32  # a row's serial run before pairwise combination (float accumulators)
LEVELS = 30  # pending pairwise values per row: rows of up to BLOCK * 2**LEVELS elements


def _pairwise_chunks():
    """_CHUNKS for float and complex accumulators: a row is summed pairwise, as NumPy sums,
    so the error stays O(log n) ulps where a serial row's grows with its length. Blocks of
    BLOCK elements are folded serially; block j's value then meets the pending values of a
    binary counter (s0 holds one block, s1 two, ...): while bit l of j is set it is combined
    with s<l> (the earlier elements, on the left), and it is stored in the first level whose
    bit is clear. At the end the pending values of the bits of the block count, highest
    first, and the elements after the last full block are folded in order."""
    L = ["def _sejit_dchunks_pw(x, out, init, use_init):",
         "    i = sejit.global_id(0)",
         "    m = x.shape[1]",
         f"    nb = m // {BLOCK}",
         "    acc = ACC(x[i, 0])"]
    L += [f"    s{l} = acc" for l in range(LEVELS)]
    L += ["    for j in range(nb):",
          f"        c = ACC(x[i, j * {BLOCK}])",
          f"        for k in range(1, {BLOCK}):",
          f"            c = ACC(f(c, x[i, j * {BLOCK} + k]))"]

    def carry(l, ind):
        if l == LEVELS - 1:  # bits 0..l-1 of j set, bit l clear (j < 2**l: see _reduce_rows)
            return [f"{ind}s{l} = c"]
        return ([f"{ind}if j & {1 << l} != 0:", f"{ind}    c = ACC(f(s{l}, c))"]
                + carry(l + 1, ind + "    ") + [f"{ind}else:", f"{ind}    s{l} = c"])

    L += carry(0, "        ")
    L += ["    have = 0"]
    for l in range(LEVELS - 1, -1, -1):
        L += [f"    if nb & {1 << l} != 0:",
              "        if have != 0:",
              f"            acc = ACC(f(acc, s{l}))",
              "        else:",
              f"            acc = s{l}",
              "            have = 1"]
    # Without a full block (a short array) acc is still the first element.
    L += [f"    t0 = nb * {BLOCK}", "    if nb == 0:", "        t0 = 1",
          "    for k in range(t0, m):",
          "        acc = ACC(f(acc, x[i, k]))",
          "    if use_init != 0:",
          "        acc = ACC(f(init, acc))",
          "    out[i] = acc"]
    return "\n".join(L) + "\n"


_CHUNKS_PW = _pairwise_chunks()
# scan on a CPU device: the rows' totals (_CHUNKS), their running combination and the tail's scan
# by one work-item (_SCAN_MID), then each row's scan from its offset (_SCAN_ROWS): the data is
# read twice and written once, in three launches (one for a single row).
_SCAN_MID = """\
def _sejit_dscanmid(p, offs, t, tout, init, use_init, exclusive):
    if use_init != 0:
        acc = ACC(f(init, p[0]))
    else:
        acc = ACC(p[0])
    for r in range(1, p.shape[0]):
        offs[r] = acc
        acc = ACC(f(acc, p[r]))
    for k in range(t.shape[0]):
        if exclusive != 0:
            tout[k] = acc
            acc = ACC(f(acc, t[k]))
        else:
            acc = ACC(f(acc, t[k]))
            tout[k] = acc
"""

_SCAN_ROWS = """\
def _sejit_dscanrows(x, out, offs, init, use_init, exclusive):
    i = sejit.global_id(0)
    m = x.shape[1]
    if i == 0 and use_init == 0:
        acc = ACC(x[i, 0])
        out[i, 0] = acc
        for k in range(1, m):
            acc = ACC(f(acc, x[i, k]))
            out[i, k] = acc
    else:
        acc = init
        if i > 0:
            acc = ACC(offs[i])
        if exclusive != 0:
            for k in range(m):
                out[i, k] = acc
                acc = ACC(f(acc, x[i, k]))
        else:
            for k in range(m):
                acc = ACC(f(acc, x[i, k]))
                out[i, k] = acc
"""

MIN_ROW = 4096  # the shortest row worth a work-item of its own on a CPU device
ROWS_PER_UNIT = 16  # rows per compute unit: enough for the device's threads to share evenly

_ROWS = """\
def _sejit_drows(x, out, per, init, use_init):
    lid = sejit.local_id(0)
    L = sejit.local_size(0)
    r = sejit.group_id(1)
    m = x.shape[1]
    s = sejit.local_array(L, out.dtype)
    ok = sejit.local_array(L, np.int32)
    start = lid * per
    stop = min(start + per, m)
    ok[lid] = 0
    if start < stop:
        acc = ACC(x[r, start])
        for k in range(start + 1, stop):
            acc = ACC(f(acc, x[r, k]))
        s[lid] = acc
        ok[lid] = 1
    sejit.barrier()
    d = 1
    while d < L:
        if lid % (2 * d) == 0 and lid + d < L:
            if ok[lid + d] != 0:
                s[lid] = ACC(f(s[lid], s[lid + d]))
        sejit.barrier()
        d *= 2
    if lid == 0:
        if ok[0] == 0:
            out[r] = init
        elif use_init != 0:
            out[r] = ACC(f(init, s[0]))
        else:
            out[r] = s[0]
"""

_SCAN = """\
def _sejit_dscan(x, out, sums, n, per):
    lid = sejit.local_id(0)
    L = sejit.local_size(0)
    g = sejit.group_id(0)
    s = sejit.local_array(L, out.dtype)
    start = (g * L + lid) * per
    stop = min(start + per, n)
    if start < stop:
        acc = ACC(x[start])
        out[start] = acc
        for k in range(start + 1, stop):
            acc = ACC(f(acc, x[k]))
            out[k] = acc
        s[lid] = acc
    sejit.barrier()
    d = 1
    while d < L:
        v = s[lid]
        if lid >= d:
            v = s[lid - d]
        sejit.barrier()
        if lid >= d and start < stop:
            s[lid] = ACC(f(v, s[lid]))
        sejit.barrier()
        d *= 2
    if lid > 0 and start < stop:
        p = s[lid - 1]
        for k in range(start, stop):
            out[k] = ACC(f(p, out[k]))
    if start < stop and (lid == L - 1 or stop == n):
        sums[g] = s[lid]
"""

_ADD_BACK = """\
def _sejit_daddback(out, sums, n, block):
    i = sejit.global_id(0)
    if i < n:
        b = i // block
        if b > 0:
            out[i] = ACC(f(sums[b - 1], out[i]))
"""

_SEED = """\
def _sejit_dseed(incl, out, n, init, exclusive):
    i = sejit.global_id(0)
    if i < n:
        if exclusive != 0:
            if i == 0:
                out[i] = init
            else:
                out[i] = ACC(f(init, incl[i - 1]))
        else:
            out[i] = ACC(f(init, incl[i]))
"""

_kernels = {}
_lock = threading.Lock()


def _kernel(func, text, acc, boundscheck=False):
    """The sejit kernel of one template for func, its accumulator converted by np.<acc>.
    Every index of the templates is in range by construction, except the user's indices of
    ufunc.at (boundscheck=True: IndexError as NumPy's)."""
    key = (func, text, acc, boundscheck)
    k = _kernels.get(key)
    if k is not None:
        return k
    with _lock:
        k = _kernels.get(key)
        if k is None:
            import sejit

            src = text.replace("ACC(", f"np.{acc}(")
            tag = hashlib.sha256(f"{func.__module__}\0{func.__qualname__}\0{src}".encode())
            filename = f"<sejit device {func.__qualname__} {tag.hexdigest()[:12]}>"
            linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
            namespace = {"f": func, "sejit": sejit, "np": numpy, "__name__": "sejit._generated"}
            exec(compile(src, filename, "exec"), namespace)
            name = text[4:text.index("(")]
            k = _kernels[key] = sejit.kernel(boundscheck=boundscheck)(namespace[name])
    return k


def _wg(ctx):
    wg = WG
    while wg > ctx.device.max_work_group_size:
        wg //= 2
    return wg


def _acc_name(dt):
    dt = numpy.dtype(dt)
    if dt.kind not in "biufc":
        raise NotImplementedError(f"sejit.reduce/scan of {dt} on the device are not supported "
                                  f"(bool, integers, floats and complex are)")
    return "bool_" if dt.kind == "b" else dt.name


def _reduce_rows(func, x, acc, init, use_init):
    """One value on a CPU device: rows of the data reduced by one work-item each, then the rows'
    values and the tail by one work-item (see _CHUNKS)."""
    ctx = x.context
    name = _acc_name(acc)
    init = acc.type(init)
    n, step = x.shape[0], x.strides[0]
    out = DeviceArray(ctx, (1,), acc)
    final = _kernel(func, _FINAL, name)
    rows = max(1, min(n // MIN_ROW, ROWS_PER_UNIT * ctx.info.units))
    per = n // rows
    main = DeviceArray._view(x, (rows, per), (step * per, step), x.offset)
    text = _CHUNKS_PW if acc.kind in "fc" else _CHUNKS
    assert per // BLOCK <= 2 ** (LEVELS - 1)
    if rows == 1:
        _kernel(func, text, name)(main, out, init, int(use_init), global_size=1)
        return out
    part = DeviceArray(ctx, (rows,), acc)
    _kernel(func, text, name)(main, part, init, 0, global_size=rows)
    final(part, x[rows * per:], out, init, int(use_init), global_size=1)
    return out


def _reduce_1d(func, x, acc, init, use_init, commutative=False):
    """One value: the partials of a pass, reduced by the same kernel until one is left. A
    commutative func (NumPy's operations) lets a GPU's work-items read interleaved elements."""
    ctx = x.context
    if ctx.info.cpu_like:
        return _reduce_rows(func, x, acc, init, use_init)
    wg = _wg(ctx)
    name = _acc_name(acc)
    k = _kernel(func, _REDUCE, name)
    init = acc.type(init)
    while True:
        n = x.shape[0]
        groups = -(-n // (wg * PER))
        out = DeviceArray(ctx, (groups,), acc)
        last = groups == 1
        k(x, out, n, PER, int(commutative), init, int(use_init and last),
          global_size=groups * wg, local_size=wg)
        if last:
            return out
        x = out


# NumPy's whole-array reductions (_reduce.reduce_all) run through the same driver as
# sejit.reduce (the rows of a CPU device, the trees of a GPU), with these functions; the
# accumulator's conversion of the first element is the mapping (to the accumulator's dtype; to
# bool for all and any).
_OP_FUNCS = {
    "add": "def _sejit_add(a, b):\n    return a + b\n",
    "multiply": "def _sejit_multiply(a, b):\n    return a * b\n",
    # NaN propagates as NumPy's minimum and maximum do (a != a: a is NaN).
    "minimum": "def _sejit_minimum(a, b):\n    return a if a != a or a < b else b\n",
    "maximum": "def _sejit_maximum(a, b):\n    return a if a != a or a > b else b\n",
    "logical_and": "def _sejit_logical_and(a, b):\n    return a and b != 0\n",
    "logical_or": "def _sejit_logical_or(a, b):\n    return a or b != 0\n",
}
_op_funcs = {}


def _op_func(op):
    """The Python function of NumPy's operation op, made once."""
    func = _op_funcs.get(op)
    if func is None:
        src = _OP_FUNCS[op]
        filename = f"<sejit device reduction {op}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        namespace = {"__name__": "sejit._generated"}
        exec(compile(src, filename, "exec"), namespace)
        func = _op_funcs[op] = namespace[f"_sejit_{op}"]
    return func


def reduce_op(op, a, acc):
    """NumPy's reduction op ("add", "minimum", ...) of every element of a non-empty DeviceArray
    into a NumPy scalar of dtype acc."""
    return reduce(_op_func(op), a, acc, None, None, commutative=True)


def builtin_method(fname, ufunc, method, inputs, kwargs):
    """np.add.accumulate(d), np.maximum.reduceat(d, idx), np.add.at(d, idx, b) and the like on
    DeviceArrays, for NumPy's ufuncs whose reductions run on the device (_OP_FUNCS): the
    operation's function through the kernels of vectorized functions' methods, in the dtype
    NumPy's own method gives on a host stand-in (an int32 add.accumulate is int64 in NumPy 2,
    a float logical_or's is bool)."""
    op = ufunc.__name__
    if op not in _OP_FUNCS:
        raise NotImplementedError(f"{fname} on a DeviceArray is not supported on the device "
                                  f"yet; a.get() gives a NumPy copy")
    kwargs = dict(kwargs)
    if kwargs.pop("out", None) not in (None, (None,)):
        raise NotImplementedError(f"{fname} on a DeviceArray: out= is not supported on the "
                                  f"device yet")
    dtype = kwargs.pop("dtype", None)
    axis = kwargs.pop("axis", 0)
    if kwargs:
        raise NotImplementedError(f"{fname} on a DeviceArray: the keyword arguments "
                                  f"{sorted(kwargs)} are not supported on the device yet")
    a = inputs[0]
    if not is_device_array(a):
        raise TypeError(f"{fname}: the array is not a DeviceArray (sejit never copies between "
                        f"host and device silently)")
    a = as_device_array(a)
    func = _op_func(op)
    if method == "at":
        if len(inputs) < 3 or inputs[2] is None:
            raise ValueError("second operand needed for ufunc")
        b = inputs[2]
        stand = numpy.ones((), b.dtype) if is_device_array(b) else b
        ufunc.at(numpy.ones(1, a.dtype), numpy.zeros(1, numpy.intp), stand)  # NumPy's errors
        at(fname, func, 2, a, inputs[1], b)
        return None
    if method == "accumulate":
        dt = ufunc.accumulate(numpy.ones(1, a.dtype), dtype=dtype).dtype
        return accumulate(func, a, axis, dt)
    dt = ufunc.reduceat(numpy.ones(1, a.dtype), [0], dtype=dtype).dtype
    return reduceat(fname, func, a, inputs[1], axis, dt)


def reduce(func, arr, acc, initial, axis, commutative=False):
    """sejit.reduce on a DeviceArray: a 0-d DeviceArray's value (axis None), or a DeviceArray
    of the other axes (axis an int). acc is the accumulator's dtype; initial None or a
    number."""
    x = as_device_array(arr)
    use_init = initial is not None
    acc = numpy.dtype(acc)
    if axis is None:
        if x.ndim != 1:
            x = x.reshape(-1) if x.c_contiguous else x.copy().reshape(-1)
        if x.shape[0] == 0:
            if not use_init:
                raise TypeError("reduce() of empty iterable with no initial value")
            return acc.type(initial)
        out = _reduce_1d(func, x, acc, initial if use_init else 0, use_init, commutative)
        return out.get()[0]
    nd = max(x.ndim, 1)
    if not -nd <= axis < nd:
        raise numpy.exceptions.AxisError(axis, nd)
    axis %= nd
    rest = [d for d in range(x.ndim) if d != axis]
    shape = tuple(x.shape[d] for d in rest)
    m = x.shape[axis]
    if m == 0 and not use_init:
        raise ValueError("zero-size array to reduction operation which has no identity "
                         "(pass initial=)")
    out = DeviceArray(x.context, shape, acc)
    rows = math.prod(shape)
    if rows == 0:
        return out
    # The reduced axis last, the others flattened into rows: a 2-D view when the other axes
    # collapse (a copy otherwise).
    perm = rest + [axis]
    view = DeviceArray._view(x, tuple(x.shape[d] for d in perm),
                             tuple(x.strides[d] for d in perm), x.offset)
    if len(rest) != 1:
        if len(rest) > 1:
            view = view.copy()
        view = view.reshape(rows, m)
    flat = out.reshape(rows)
    init = acc.type(initial if use_init else 0)
    if x.context.info.cpu_like:
        # One work-item per row, as _CHUNKS: the other axes are the rows.
        if m == 0:
            flat.fill(init)
        else:
            text = _CHUNKS_PW if acc.kind in "fc" else _CHUNKS
            _kernel(func, text, _acc_name(acc))(view, flat, init, int(use_init),
                                                global_size=rows)
        return out
    wg = _wg(x.context)
    per = max(1, -(-m // wg))
    _kernel(func, _ROWS, _acc_name(acc))(view, flat, per, acc.type(initial if use_init else 0),
                                          int(use_init), global_size=(wg, rows),
                                          local_size=(wg, 1))
    return out


def _scan_into(func, x, out, name):
    """out = the inclusive scan of x (1-D DeviceArrays of out's dtype)."""
    ctx = x.context
    n = x.shape[0]
    wg = _wg(ctx)
    block = wg * PER
    groups = -(-n // block)
    sums = DeviceArray(ctx, (groups,), out.dtype)
    _kernel(func, _SCAN, name)(x, out, sums, n, PER, global_size=groups * wg, local_size=wg)
    if groups > 1:
        scanned = DeviceArray(ctx, (groups,), out.dtype)
        _scan_into(func, sums, scanned, name)
        _kernel(func, _ADD_BACK, name)(out, scanned, n, block,
                                       global_size=-(-n // wg) * wg, local_size=wg)


def _scan_rows(func, x, out, name, initial, exclusive):
    """out = the scan of x on a CPU device (see _SCAN_ROWS); out is C-contiguous."""
    ctx = x.context
    n, step = x.shape[0], x.strides[0]
    dt = out.dtype
    use_init = initial is not None
    init = dt.type(initial if use_init else 0)
    rows = max(1, min(n // MIN_ROW, ROWS_PER_UNIT * ctx.info.units))
    per = n // rows
    main = DeviceArray._view(x, (rows, per), (step * per, step), x.offset)
    dest = out[:rows * per].reshape(rows, per)
    offs = DeviceArray(ctx, (rows,), dt)
    if rows > 1 or per < n:
        part = DeviceArray(ctx, (rows,), dt)
        _kernel(func, _CHUNKS, name)(main, part, init, 0, global_size=rows)
        _kernel(func, _SCAN_MID, name)(part, offs, x[rows * per:], out[rows * per:], init,
                                       int(use_init), int(exclusive), global_size=1)
    _kernel(func, _SCAN_ROWS, name)(main, dest, offs, init, int(use_init), int(exclusive),
                                    global_size=rows)
    return out


def scan(func, arr, exclusive, initial):
    """sejit.scan on a 1-D DeviceArray: a DeviceArray of its dtype."""
    x = as_device_array(arr)
    if x.ndim != 1:
        raise ValueError(f"sejit.scan: expects a 1-D array, not {x.ndim}-D")
    dt = x.dtype
    name = _acc_name(dt)
    n = x.shape[0]
    out = DeviceArray(x.context, (n,), dt)
    if n == 0:
        return out
    if x.context.info.cpu_like:
        return _scan_rows(func, x, out, name, initial, exclusive)
    if initial is None:
        _scan_into(func, x, out, name)
        return out
    incl = DeviceArray(x.context, (n,), dt)
    _scan_into(func, x, incl, name)
    wg = _wg(x.context)
    _kernel(func, _SEED, name)(incl, out, n, dt.type(initial), int(exclusive),
                               global_size=-(-n // wg) * wg, local_size=wg)
    return out


# The ufunc methods of a vectorized function on DeviceArrays (primitives.Vectorized). accumulate
# and reduceat see the array as (A, m, B): the axes before the method's axis, that axis, the axes
# after (a view of a C-contiguous array), with one work-item per (i, j) of the other axes.
_SCAN_AXIS = """\
def _sejit_dscanaxis(x, out):
    i = sejit.global_id(0)
    j = sejit.global_id(1)
    acc = ACC(x[i, 0, j])
    out[i, 0, j] = acc
    for k in range(1, x.shape[1]):
        acc = ACC(f(acc, x[i, k, j]))
        out[i, k, j] = acc
"""

# reduceat: work-item (i, k, j) folds x[i, idx[k]:idx[k + 1], j] (the end of the axis for the
# last index), or takes x[i, idx[k], j] alone where idx[k + 1] <= idx[k], as NumPy's reduceat.
_REDUCEAT = """\
def _sejit_dreduceat(x, idx, out):
    i = sejit.global_id(0)
    k = sejit.global_id(1)
    j = sejit.global_id(2)
    lo = int(idx[k])
    hi = x.shape[1]
    if k + 1 < idx.shape[0]:
        hi = int(idx[k + 1])
    acc = ACC(x[i, lo, j])
    for t in range(lo + 1, hi):
        acc = ACC(f(acc, x[i, t, j]))
    out[i, k, j] = acc
"""


def _method_operand(x, axis, dt, what):
    """A DeviceArray x cast to dt (NumPy's loop (dt, dt) -> dt), C-contiguous, and its axis
    normalized (AxisError, and NumPy's TypeError for a 0-d array)."""
    x = as_device_array(x)
    if x.ndim == 0:
        raise TypeError(f"cannot {what} on a scalar")
    axis = operator.index(axis)
    if not -x.ndim <= axis < x.ndim:
        raise numpy.exceptions.AxisError(axis, x.ndim)
    axis %= x.ndim
    if not x.c_contiguous:
        # The device's copy kernel takes up to 3 axes; DeviceArray.copy the others (for now
        # through the host, as its docstring says).
        x = _ufuncs.copy(x) if x.ndim <= 3 else x.copy()
    if x.dtype != dt:
        # Unsafe, as NumPy casts a method's input to dtype=; flat, so any rank.
        x = _ufuncs.cast(x.reshape(x.size), dt).reshape(x.shape)
    return x, axis


def _split(shape, axis):
    return math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1:])


def accumulate(func, arr, axis, dt):
    """ufunc.accumulate of a binary vectorized function on a DeviceArray of any rank, along
    any axis, in dtype dt (the array cast to it first, as NumPy's loop (dt, dt) -> dt)."""
    x, axis = _method_operand(arr, axis, dt, "accumulate")
    a, m, b = _split(x.shape, axis)
    if a * b == 1 and m:
        # One row: the scan's own shapes (rows of a CPU device, a GPU's trees).
        return scan(func, x.reshape(m), False, None).reshape(x.shape)
    out = DeviceArray(x.context, x.shape, dt)
    if out.size:
        _kernel(func, _SCAN_AXIS, _acc_name(dt))(x.reshape(a, m, b), out.reshape(a, m, b),
                                                  global_size=(a, b))
    return out


def reduceat(fname, func, arr, indices, axis, dt):
    """ufunc.reduceat of a binary vectorized function on a DeviceArray, with a 1-D DeviceArray
    of integer indices, in dtype dt: NumPy's shape (the axis's extent replaced by the number of
    indices) and IndexError for an index outside [0, extent)."""
    if not is_device_array(arr):
        raise TypeError(f"{fname}: the array is not a DeviceArray")
    idx = _index_array(fname, arr, indices)
    _ufuncs.check_operands(fname, [arr, idx])
    if idx.ndim != 1:
        raise ValueError(f"{fname}: the indices must be 1-D, not {idx.ndim}-D")
    x, axis = _method_operand(arr, axis, dt, "reduceat")
    a, m, b = _split(x.shape, axis)
    k = idx.shape[0]
    shape = x.shape[:axis] + (k,) + x.shape[axis + 1:]
    out = DeviceArray(x.context, shape, dt)
    if k == 0:
        return out
    # The indices are checked on the device: their extremes come back, not the indices.
    lo, hi = int(idx.min()), int(idx.max())
    if lo < 0 or hi >= m:
        bad = lo if lo < 0 else hi
        name = fname.split(".")[0].removesuffix("()")
        raise IndexError(f"index {bad} out-of-bounds in {name}.reduceat [0, {m})")
    if out.size:
        _kernel(func, _REDUCEAT, _acc_name(dt))(x.reshape(a, m, b), idx, out.reshape(a, k, b),
                                                global_size=(a, k, b))
    return out


def _index_array(fname, a, indices):
    """indices as a DeviceArray of integers in a's context: an int becomes a 0-d one (a Python
    number, not an array, so nothing is copied silently); a host array is a TypeError."""
    if isinstance(indices, (int, numpy.integer)) and not isinstance(indices, bool):
        return as_device_array(a).context.asarray(numpy.array(indices, numpy.int64))
    if not is_device_array(indices):
        raise TypeError(f"{fname} on a DeviceArray takes its indices as a DeviceArray of "
                        f"integers (or an int; for at() a tuple of them): sejit never copies "
                        f"between host and device silently (ctx.asarray(indices))")
    idx = as_device_array(indices)
    if idx.dtype.kind not in "iu":
        if idx.dtype.kind == "b":
            raise NotImplementedError(f"{fname}: boolean index arrays are not supported on the "
                                      f"device")
        raise IndexError("arrays used as indices must be of integer (or boolean) type")
    return idx


def outer(fname, func, a, b, out, dtype):
    """ufunc.outer: func(a[i..., None...], b[None..., j...]) by the element-wise kernel."""
    if is_device_array(a):
        a = as_device_array(a)
        nb = numpy.ndim(b) if not is_device_array(b) else b.ndim
        a = DeviceArray._view(a, a.shape + (1,) * nb, a.strides + (0,) * nb, a.offset)
    return _ufuncs.apply(fname, func, [a, b], out, dtype)


def _at_text(nin, scalar, nidx, nloop, nrest):
    """The kernel of ufunc.at: nidx index arrays of nloop dimensions (broadcast to one shape)
    select a[j0, j1, ...], whose nrest trailing axes are taken whole; b has the selection's
    shape (or is a number). One work-item applies f in NumPy's order, so a repeated index sees
    the earlier updates, as NumPy's unbuffered at."""
    ks = [f"k{d}" for d in range(nloop)]
    rs = [f"r{d}" for d in range(nrest)]
    js = [f"j{d}" for d in range(nidx)]
    at = ", ".join(ks)
    L = [f"def _sejit_dat(a, {', '.join(f'i{d}' for d in range(nidx))}, b):"]
    # First every index is checked (a bounds-checked read of its first element), so that a bad
    # one raises IndexError before anything is written, as NumPy's at.
    ind = "    "
    for d, k in enumerate(ks):
        L.append(f"{ind}for {k} in range(i0.shape[{d}]):")
        ind += "    "
    first = f"a[{', '.join([f'i{d}[{at}]' for d in range(nidx)] + ['0'] * nrest)}]"
    L.append(f"{ind}{first} = {first}")  # the same value back: a read the compiler keeps
    ind = "    "
    for d, k in enumerate(ks):
        L.append(f"{ind}for {k} in range(i0.shape[{d}]):")
        ind += "    "
    for d, j in enumerate(js):
        L.append(f"{ind}{j} = i{d}[{', '.join(ks)}]")
    for d, r in enumerate(rs):
        L.append(f"{ind}for {r} in range(a.shape[{nidx + d}]):")
        ind += "    "
    el = f"a[{', '.join(js + rs)}]"
    if nin == 1:
        L.append(f"{ind}{el} = f({el})")
    elif scalar:
        L.append(f"{ind}{el} = f({el}, b)")
    else:
        L.append(f"{ind}{el} = f({el}, b[{', '.join(ks + rs)}])")
    return "\n".join(L) + "\n"


def at(fname, func, nin, a, indices, b):
    """ufunc.at on a DeviceArray a: indices an integer DeviceArray (or an int) for the first
    axis, or a tuple of them for the first axes (broadcast together, as NumPy's advanced
    indexing; the other axes are taken whole), and for a binary function b, a DeviceArray that
    broadcasts to the selection's shape or a scalar. Indices are bounds-checked (IndexError;
    negative ones count from the end)."""
    a = as_device_array(a)
    parts = indices if isinstance(indices, tuple) else (indices,)
    for p in parts:
        if p is None or p is Ellipsis or isinstance(p, slice):
            raise NotImplementedError(f"{fname}: at() on DeviceArrays takes integer index "
                                      f"arrays and ints, not {p!r}")
    idxs = [_index_array(fname, a, p) for p in parts]
    _ufuncs.check_operands(fname, [a, *idxs] + ([b] if nin == 2 else []))
    if not idxs:
        raise NotImplementedError(f"{fname}: at() on DeviceArrays needs at least one index")
    if len(idxs) > a.ndim:
        raise IndexError(f"too many indices for array: array is {a.ndim}-dimensional, but "
                         f"{len(idxs)} were indexed")
    try:
        sel = numpy.broadcast_shapes(*(i.shape for i in idxs))
    except ValueError:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together with "
                         f"shapes {' '.join(str(i.shape) for i in idxs)}") from None
    rest = a.shape[len(idxs):]
    loop = sel if sel else (1,)
    idxs = [_ufuncs.broadcast_view(i, sel) if sel else
            DeviceArray._view(i, (1,), (0,), i.offset) for i in idxs]
    scalar = nin == 2 and not is_device_array(b)
    if nin == 2 and not scalar:
        b = as_device_array(b)
        want = sel + rest
        try:
            fits = b.ndim <= len(want) and numpy.broadcast_shapes(b.shape, want) == want
        except ValueError:
            fits = False
        if not fits:
            raise ValueError("array is not broadcastable to correct shape")
        b = _ufuncs.broadcast_view(b, want)
        if not sel:
            b = DeviceArray._view(b, (1,) + b.shape, (0,) + b.strides, b.offset)
    elif nin == 1:
        b = 0
    if math.prod(loop) == 0 or math.prod(rest) == 0:
        return
    text = _at_text(nin, scalar, len(idxs), len(loop), len(rest))
    # ACC does not occur in these texts: the accumulator's name is only part of the key.
    _kernel(func, text, "bool_", True)(a, *idxs, b, global_size=1)


_gu_kernels = {}


def _gu_core(func, nloop, ins, outs):
    """func rewritten to take the whole operands and the loop indices: the device cannot pass
    views to a function inside a kernel, so each use of a core argument p becomes an index of
    the whole array, p[idx] -> p[i, j, idx], p.shape[k] -> p.shape[nloop + k], len(p) ->
    p.shape[nloop]; a "()" input p (a number in f) becomes p[i, j], a "()" output's element
    p[...] becomes p[i, j, 0]. Any other use of a core argument is refused."""
    import ast
    import textwrap

    from .._astjson import function_source

    lines, _first = function_source(func)
    tree = ast.parse(textwrap.dedent("".join(lines)))
    fdef = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    params = [a.arg for a in fdef.args.args]
    kinds = {}
    for p, core in zip(params, list(ins) + list(outs)):
        out_scalar = core == () and p in params[len(ins):]
        kinds[p] = "scalar_out" if out_scalar else ("scalar" if core == () else "array")
    loop = [ast.Name(id=f"_sejit_l{d}", ctx=ast.Load()) for d in range(nloop)]
    fname = f"{func.__qualname__}"

    class Rewrite(ast.NodeTransformer):
        def visit_Subscript(self, node):
            base = node.value
            if isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and \
                    base.value.id in kinds and base.attr == "shape":
                if not (isinstance(node.slice, ast.Constant) and type(node.slice.value) is int
                        and node.slice.value >= 0):
                    raise NotImplementedError(
                        f"guvectorize {fname} on the device: {base.value.id}.shape takes a "
                        f"constant non-negative index there")
                return ast.copy_location(ast.Subscript(value=base, slice=ast.Constant(
                    node.slice.value + nloop), ctx=node.ctx), node)
            if isinstance(base, ast.Name) and base.id in kinds:
                kind = kinds[base.id]
                if kind == "scalar_out":
                    idx = loop + [ast.Constant(0)]
                elif kind == "scalar":
                    return self.generic_visit(node)
                else:
                    sl = self.visit(node.slice)
                    rest = list(sl.elts) if isinstance(sl, ast.Tuple) else [sl]
                    idx = loop + rest
                return ast.copy_location(ast.Subscript(
                    value=base, slice=ast.Tuple(elts=idx, ctx=ast.Load()), ctx=node.ctx), node)
            return self.generic_visit(node)

        def visit_Call(self, node):
            if isinstance(node.func, ast.Name) and node.func.id == "len" and \
                    len(node.args) == 1 and isinstance(node.args[0], ast.Name) and \
                    node.args[0].id in kinds:
                return ast.copy_location(ast.Subscript(value=ast.Attribute(
                    value=node.args[0], attr="shape", ctx=ast.Load()),
                    slice=ast.Constant(nloop), ctx=ast.Load()), node)
            return self.generic_visit(node)

        def visit_Name(self, node):
            if node.id in kinds:
                if kinds[node.id] == "scalar" and isinstance(node.ctx, ast.Load):
                    return ast.copy_location(ast.Subscript(
                        value=ast.Name(id=node.id, ctx=ast.Load()),
                        slice=ast.Tuple(elts=list(loop), ctx=ast.Load()), ctx=ast.Load()), node)
                raise NotImplementedError(
                    f"guvectorize {fname} on the device: the core argument {node.id!r} may be "
                    f"used there only as {node.id}[...], {node.id}.shape[k] or len({node.id})")
            return node

    body = [Rewrite().visit(st) for st in fdef.body]
    new = ast.FunctionDef(name="_sejit_gucore",
                          args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=n.id) for n in loop]
                                             + [ast.arg(arg=p) for p in params],
                                             kwonlyargs=[], kw_defaults=[], defaults=[]),
                          body=body, decorator_list=[], returns=None, type_params=[])
    mod = ast.fix_missing_locations(ast.Module(body=[new], type_ignores=[]))
    src = ast.unparse(mod) + "\n"
    tag = hashlib.sha256(f"{func.__module__}\0{func.__qualname__}\0{src}".encode())
    filename = f"<sejit device guvectorize core {func.__qualname__} {tag.hexdigest()[:12]}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = dict(func.__globals__)
    for name, cell in zip(func.__code__.co_freevars, func.__closure__ or ()):
        try:
            namespace[name] = cell.cell_contents
        except ValueError:
            pass
    exec(compile(src, filename, "exec"), namespace)
    return namespace["_sejit_gucore"]


def _gu_kernel(func, nloop, ins, outs):
    """The jitted driver g(i, j, a0, a1, ...) over nloop nested pranges, g the _gu_core of
    func: on the device the nest is one kernel, one work-item per outer index, each running
    func on its core elements (the engine inlines g)."""
    key = (func, nloop, tuple(ins), tuple(outs))
    k = _gu_kernels.get(key)
    if k is not None:
        return k
    import sejit
    from ..parallel import prange

    core = _gu_core(func, nloop, ins, outs)
    loopvars = [f"_sejit_l{d}" for d in range(nloop)]
    params = [f"a{n}" for n in range(len(ins) + len(outs))]
    lines = [f"def _sejit_dgu({', '.join(params)}):"]
    for d in range(nloop):
        lines.append("    " * (d + 1) + f"for {loopvars[d]} in prange({params[-1]}.shape[{d}]):")
    lines.append("    " * (nloop + 1) + f"g({', '.join(loopvars + params)})")
    src = "\n".join(lines) + "\n"
    tag = hashlib.sha256(f"{func.__module__}\0{func.__qualname__}\0{src}".encode())
    filename = f"<sejit device guvectorize {func.__qualname__} {tag.hexdigest()[:12]}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = {"g": core, "prange": prange, "__name__": "sejit._generated"}
    exec(compile(src, filename, "exec"), namespace)
    k = sejit.jit(namespace["_sejit_dgu"], parallel=True)
    # As an explicit kernel's driver: each iteration writes its own outputs, at its own loop
    # indices, which prange's race rules cannot see through the call.
    k.options["kernel"] = True
    _gu_kernels[key] = k
    return k


def gufunc(fname, func, ins, outs, args, out, out_dtypes):
    """A guvectorized function on DeviceArrays: ins and outs are the layout's core dimension
    names per operand, args the inputs, out None or a tuple of DeviceArrays. The loop
    dimensions broadcast as NumPy's gufuncs do; an output with core "()" is written through an
    array of one element (f writes out[0]), as on the CPU. Returns the output or a tuple."""
    _ufuncs.check_operands(fname, list(args) + list(out or ()))
    args = [as_device_array(a) for a in args]
    sizes = {}
    loops = []
    for a, core in zip(args, ins):
        if a.ndim < len(core):
            raise ValueError(f"{fname}: an input has {a.ndim} dimensions, its core "
                             f"{'(' + ','.join(core) + ')'} needs {len(core)}")
        cut = a.ndim - len(core)
        for name, n in zip(core, a.shape[cut:]):
            if sizes.setdefault(name, n) != n:
                raise ValueError(f"{fname}: core dimension {name!r} is {sizes[name]} in one "
                                 f"operand and {n} in another")
        loops.append(a.shape[:cut])
    for core in outs:
        for name in core:
            if name not in sizes and out is None:
                raise ValueError(f"{fname}: the output's core dimension {name!r} is not set "
                                 f"by any input; pass out=")
    if out is not None:
        out = [as_device_array(o) for o in out]
        for o, core in zip(out, outs):
            cut = o.ndim - len(core)
            for name, n in zip(core, o.shape[cut:]):
                if sizes.setdefault(name, n) != n:
                    raise ValueError(f"{fname}: core dimension {name!r} of out= is {n}, "
                                     f"{sizes[name]} in the inputs")
    loop = numpy.broadcast_shapes(*loops)
    if out is not None:
        for o, core in zip(out, outs):
            if o.shape[:o.ndim - len(core)] != loop:
                raise ValueError(f"{fname}: out= has loop dimensions "
                                 f"{o.shape[:o.ndim - len(core)]}, the inputs broadcast to "
                                 f"{loop}")
    ctx = args[0].context
    results = out if out is not None else [
        DeviceArray(ctx, loop + tuple(sizes[n] for n in core), dt)
        for core, dt in zip(outs, out_dtypes)]
    nloop = max(len(loop), 1)
    if nloop > 3:
        raise NotImplementedError(f"{fname}: more than 3 loop dimensions on the device")
    shape = loop if loop else (1,)

    def view(a, core_n, extra=False):
        """a as loop dims (broadcast, stride 0) + its core dims (+ one element for "()")."""
        cut = a.ndim - core_n
        pad = len(shape) - cut
        strides = [0] * pad + [0 if n == 1 and m != 1 else st for n, m, st in
                               zip(a.shape[:cut], shape[pad:], a.strides[:cut])]
        if not loop:
            strides = [0]
        core_shape, core_strides = list(a.shape[cut:]), list(a.strides[cut:])
        if extra:
            core_shape, core_strides = [1], [a.itemsize]
        return DeviceArray._view(a, tuple(shape) + tuple(core_shape),
                                 tuple(strides) + tuple(core_strides), a.offset)

    ops = [view(a, len(core)) for a, core in zip(args, ins)]
    ops += [view(r, len(core), extra=not core) for r, core in zip(results, outs)]
    if math.prod(shape) and all(r.size for r in results):
        _gu_kernel(func, nloop, ins, outs)(*ops)
    return results[0] if len(results) == 1 else tuple(results)


def apply(fname, func, operands, out, dtype):
    """func applied element by element (sejit.map, a vectorized function)."""
    return _ufuncs.apply(fname, func, operands, out, dtype)
