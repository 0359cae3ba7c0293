"""Conformance: array indexing, views, broadcasting, in-place updates, attributes and methods.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove. Arrays come in every layout (C, Fortran, strided, reversed; conftest.make_array).
"""

import numpy as np
from conformance import Cases
from conftest import make_array

cases = Cases(__name__)

F32, F64, I32, I64, BOOL = np.float32, np.float64, np.int32, np.int64, np.bool_


def arr(shape, dtype=F64, layout="C", seed=0, low=-1.0, high=1.0):
    return make_array(shape, dtype, layout, low, high, seed)


def lay(fn, *shapes_dtypes):
    """Argument tuples, one per layout, of arrays with the given (shape, dtype)s."""
    out = []
    for layout in ("C", "F", "strided", "reversed"):
        out.append(
            lambda layout=layout: tuple(
                arr(s, d, layout, seed=k, low=-5, high=5) for k, (s, d) in enumerate(shapes_dtypes)
            )
        )
    return out


# --------------------------------------------------------------------------- integer indexing


@cases.add("arr.index", *lay(None, ((5, 4), F64)), *lay(None, ((5, 4), I32)))
def index_2d(x):
    return x[0, 0] + x[-1, -1] * 2, x[2, -3], x[-5, 3]


@cases.add("arr.index", lambda: (arr(7, I64, low=-9, high=9), 3), lambda: (arr(7, I64), -6))
def index_var(x, i):
    x[i] = x[i - 1] + 1
    return x[i]


@cases.add("arr.index", lambda: (arr((3, 4)), 3), lambda: (arr((3, 4)), -4), raises=IndexError)
def index_out_of_range(x, i):
    return x[i, 0]


@cases.add("arr.index", *lay(None, ((3, 4, 5), F64)))
def index_partial_row(x):
    r = x[1]
    return r, x[-1, 2], r.shape[0] + r.shape[1]


# --------------------------------------------------------------------------- slices and views


@cases.add("arr.slice", *lay(None, (20, F64)))
def slice_bounds(x):
    return x[2:-3].sum(), x[-5:], x[::-1], x[15:2:-3], x[:100], x[-100:3], x[5:5]


@cases.add("arr.slice", *lay(None, ((6, 7), I64)))
def slice_2d(x):
    return x[1:-1, ::2], x[::-2, 3], x[2, 1::3]


@cases.add("arr.slice", lambda: (arr(12), 2, 9, 3), lambda: (arr(12), -1, -12, -2), lambda: (arr(12), 0, 12, -1))
def slice_dynamic(x, a, b, s):
    return x[a:b:s]


@cases.add("arr.slice", lambda: (arr(12), 0), raises=ValueError)
def slice_zero_step(x, s):
    return x[::s]


@cases.add("arr.slice", *lay(None, ((6, 5), F64)))
def view_writes_through(x):
    v = x[1:4, ::2]
    v[0, 0] = 100.0
    v[:, 1] = -1.0
    return v


@cases.add("arr.slice", *lay(None, (10, I32)))
def view_of_view(x):
    v = x[::-1][2:8][::2]
    v[1] = 7
    return v


# --------------------------------------------------------------------------- broadcasting


@cases.add("arr.broadcast", *lay(None, ((4, 5), F64), (5, F64)))
def broadcast_rank(x, y):
    return x + y, x * y - 1.0, y - x


@cases.add("arr.broadcast", *lay(None, ((3, 4, 5), F64), ((4, 5), F64)))
def broadcast_rank3(x, y):
    z = x * 2.0 + y
    return z, (y / 3.0 - x).sum()


@cases.add("arr.broadcast", *lay(None, ((4, 5), F64), (5, I32)))
def broadcast_store(x, y):
    x[:] = y
    x[1:3] += y * 2


@cases.add("arr.broadcast", lambda: (arr((4, 5)), arr(4)), raises=ValueError)
def broadcast_mismatch(x, y):
    return x + y


# --------------------------------------------------------------------------- newaxis, ellipsis, size-1


@cases.add("arr.newaxis", *lay(None, (5, F64), (3, F64)), *lay(None, (4, I64), (6, I32)))
def newaxis_outer(x, y):
    return x[:, None] * y[None, :], x[np.newaxis, :] - y[:, np.newaxis]


@cases.add("arr.newaxis", *lay(None, ((3, 4), F64)))
def newaxis_view(x):
    v = x[:, None, 1:]
    v[0, 0, 0] = 9.0
    return v, x[None], x[1, None]


@cases.add("arr.ellipsis", *lay(None, ((2, 3, 4), F64)))
def ellipsis_index(x):
    return x[..., 1], x[1, ...], x[...], x[0, ..., ::-1], x[..., None]


@cases.add("arr.ellipsis", *lay(None, ((3, 4), I64)))
def ellipsis_store(x):
    x[..., 0] = -1
    x[1, ...] *= 3
    x[...] += 1


@cases.add(
    "arr.broadcast-size1",
    lambda: (arr(6), arr(5, seed=1), 2),
    lambda: (arr(6), arr(5, seed=1), 5),
    lambda: (arr(6), arr(1, seed=1), 0),
)
def slice_unit_at_run_time(x, y, k):
    # x[k:k+1] has extent 1 only at run time (k is a variable): it stretches against y.
    s = x[k : k + 1] + y
    y[:] = x[k : k + 1]
    y += x[k : k + 1] * 2.0
    return s, y


@cases.add("arr.broadcast-size1", lambda: (arr((4, 6)), arr((4, 3), seed=1), 1))
def slice_unit_columns(a, b, j):
    c = a[:, j : j + 1] * b
    b[:, :] = b - a[:, j : j + 1]
    return c, a[:, j : j + 1] - a[:, 0:3]


@cases.add("arr.broadcast-size1", lambda: (arr(4), arr(5, seed=1)), lambda: (arr(1), arr(3, seed=1)))
def slice_unit_in_loop(x, y):
    # The slice's bounds come from the loop: the function stretches at run time throughout.
    acc = np.zeros(y.shape[0])
    for k in range(x.shape[0]):
        acc += x[k : k + 1] * y
    return acc


@cases.add("arr.broadcast-size1", lambda: (arr(4), 1), lambda: (arr(4), 3))
def slice_unit_against_itself(x, k):
    # Was a ValueError before extents of 1 made at run time stretched.
    return x + x[k : k + 1]


@cases.add("arr.broadcast-size1", lambda: (arr(6), arr(5, seed=1), 1), raises=ValueError)
def slice_not_unit_mismatch(x, y, k):
    return x[k : k + 2] + y


@cases.add("arr.broadcast-size1", *lay(None, ((4, 6), F64), (4, F64), (6, F64)))
def size1_stretch(x, c, r):
    return x - c[:, None], x * r[None, :] + c[:, None], c[:, None] + r


@cases.add("arr.broadcast-size1", *lay(None, ((5, 3), F64)))
def size1_alloc(x):
    z = np.zeros((1, x.shape[1]))
    z[0, :] = x[0, :]
    w = np.ones((x.shape[0], 1))
    return x - z, x * w, z + w


@cases.add("arr.broadcast-size1", *lay(None, ((4, 5), F64), (5, F64)))
def size1_store(x, y):
    x[:, :] = y[None, :]
    x[1:3] += y[None, ::-1] * 2.0


@cases.add(
    "arr.broadcast-size1",
    lambda: (arr((4, 5)), arr((4, 1), seed=1)),
    lambda: (arr((1, 5)), arr((4, 1), seed=1)),
    lambda: (arr((4, 5), I32), arr((1, 5), I64, seed=1)),
    lambda: (arr((4, 5), layout="F"), arr((1, 1), seed=1)),
    lambda: (arr((4, 5), layout="reversed"), arr(1, seed=1)[None, :]),
    lambda: (arr((4, 5)), arr((4, 5), seed=1)),
)
def size1_runtime(x, y):
    # Extents of 1 of the arguments stretch at run time (a second, unfused version).
    s = x + y
    d = x - y * 2
    return s * d, (s - d).sum(axis=0), y * 3


@cases.add(
    "arr.broadcast-size1",
    lambda: (arr((3, 6)), arr((3, 1), seed=1)),
    lambda: (arr((3, 6)), arr((1, 6), seed=1)),
    lambda: (arr((1, 1)), arr((1, 6), seed=1)),
)
def size1_runtime_store(x, y):
    z = np.zeros((3, 6))
    z[:, :] = y
    z += x
    return z


@cases.add("arr.broadcast-size1", lambda: (arr((4, 5)), arr((3, 1))), lambda: (arr((4, 1)), arr((2, 5))), raises=ValueError)
def size1_runtime_mismatch(x, y):
    return x * y


@cases.add("arr.broadcast-size1", lambda: (arr((1, 5)), arr((4, 5))), raises=ValueError)
def size1_runtime_target(x, y):
    x[:, :] = y


@cases.add("arr.broadcast-size1", lambda: (arr((4, 5)), arr(4)), raises=ValueError)
def size1_mismatch(x, y):
    return x + y[None, :]


# --------------------------------------------------------------------------- masks, index arrays


@cases.add("arr.mask", *lay(None, (12, F64)), *lay(None, ((4, 5), I32)), *lay(None, ((3, 4), F32)))
def mask_read(x):
    return x[x > 0], x[(x < 0) & (x > -2)], x[x > 100]


@cases.add("arr.mask", *lay(None, ((4, 5), F64), ((4, 5), F64)))
def mask_writes(x, y):
    m = x > 0
    y[m] = x[m]
    x[x < 0] *= 2
    x[~m] = -1.0
    y[y > 1] += 10


@cases.add("arr.mask", *lay(None, (10, I64), (10, BOOL)))
def mask_array_value(x, m):
    x[m] = np.arange(10)[m] * 3
    return x[m]


@cases.add("arr.mask", lambda: (arr(5), np.array([True, False, True])), raises=IndexError)
def mask_wrong_shape(x, m):
    return x[m]


@cases.add("arr.mask", lambda: (arr(6, low=-1, high=1), np.arange(2.0)), raises=ValueError)
def mask_wrong_count(x, v):
    x[x > -5] = v


@cases.add("arr.fancy", *lay(None, (10, F64), (6, I64)), *lay(None, ((5, 3), I32), (4, I32)))
def fancy_read(x, i):
    j = i % x.shape[0]
    return x[j], x[j - x.shape[0]], x[j][::-1] * 2


@cases.add("arr.fancy", lambda: (arr(8), np.array([0, 3, -1, 3])), lambda: (arr((4, 3)), np.array([2, -4, 2])))
def fancy_writes(x, i):
    y = x.copy()
    y[i] = 0.5
    x[i] += 1.0
    return y, x[i]


@cases.add("arr.fancy", lambda: (arr((5, 3)), np.array([4, 0]), arr((2, 3), seed=3)), lambda: (arr((5, 3)), np.array([1]), arr(3, seed=4)))
def fancy_array_value(x, i, v):
    x[i] = v
    x[i] *= v


@cases.add("arr.fancy", *lay(None, ((4, 6), F64), (3, I64)), *lay(None, ((4, 6), I32), (5, I32)))
def fancy_with_slices(x, i):
    j = i % 4
    return x[:, j], x[j, 1:], x[2, j], x[::-1, j][:, ::2], x[j, -1], x[None, j]


@cases.add("arr.fancy", lambda: (arr((3, 4, 5)), np.array([4, 0, -1])), lambda: (arr((3, 4, 5), I64, "F"), np.array([1])))
def fancy_3d_writes(x, i):
    x[:, 1, i] = -1
    x[1:, :, i] += 2
    return x[..., i], x[0][:, i]


@cases.add("arr.fancy", lambda: (arr((3, 4)), np.array([0, 4])), raises=IndexError)
def fancy_axis1_out_of_range(x, i):
    return x[:, i]


@cases.add("arr.fancy", lambda: (arr(5), np.array([0, 5])), lambda: (arr(5), np.array([-6])), raises=IndexError)
def fancy_out_of_range(x, i):
    return x[i]


@cases.add("arr.fancy", lambda: (arr(5), np.array([1, 7])), raises=IndexError)
def fancy_store_out_of_range(x, i):
    x[i] = 1.0


# --------------------------------------------------------------------------- attributes, methods


@cases.add("arr.attrs", *lay(None, ((3, 4), F64)), *lay(None, ((2, 3, 4), I32)), *lay(None, (5, BOOL)))
def attrs_all(x):
    return (
        x.shape,
        x.strides,
        x.ndim,
        x.size,
        x.itemsize,
        x.T,
        x.real,
        x.imag,
        x.flags.c_contiguous,
        x.flags.f_contiguous,
        np.zeros(2, dtype=x.dtype),
    )


C64, C128 = np.complex64, np.complex128


@cases.add("arr.attrs", *lay(None, ((3, 4), C128)), *lay(None, (7, C64)))
def attrs_complex_parts(x):
    # .real and .imag of a complex array are views: reads, writes through them, and the
    # returned views share memory with x as NumPy's do.
    s = x.real * 2.0 - x.imag
    x.imag[0] = 1.5
    im = x.imag
    im *= 0.5
    re = x.real
    re[-1] = re[0] + 3.0
    return s, x.real, x.imag, np.sum(x.real), x.real.strides


@cases.add("arr.attrs", lambda: (arr((3, 4), C128), arr((3, 4), F64, seed=2)))
def attrs_complex_assign(z, r):
    z.real[:] = r
    z.imag[1:, :] = r[:-1, :] * 2
    return z


@cases.add("arr.attrs", *lay(None, ((4, 3), F64)))
def attrs_views(x):
    t = x.T
    t[0, 1] = 5.0
    v = x[:, None, :]
    return t.strides, t.flags.c_contiguous, x[::2].flags.c_contiguous, v.strides, v.T


@cases.add("arr.methods", *lay(None, ((3, 4), F64)), *lay(None, ((3, 4), I64)))
def methods_shape(x):
    y = x.copy()
    y.fill(3)
    return y, x.reshape(-1), x.reshape(2, -1), x.reshape((4, 3)), x.ravel(), x.flatten(), x.transpose(), x.transpose(1, 0)


@cases.add("arr.methods", *lay(None, ((2, 3, 4), F64)))
def methods_3d(x):
    return x.transpose((1, 2, 0)), x.reshape(6, 4), x.reshape(-1, 2, 2).sum(axis=1), x.item(5), x.item(1, 2, -1)


@cases.add("arr.methods", *lay(None, ((3, 4), F64)))
def methods_views_write(x):
    r = x.ravel()
    r[0] = -7.0
    m = x.reshape(4, 3)
    m[1, 1] = 8.0
    c = x.copy()
    c[0, 0] = 99.0
    return r, m


@cases.add("arr.methods", lambda: (np.array([[2.5]]),), lambda: (np.array([7], dtype=I32),), lambda: (np.array([True]),))
def methods_item(x):
    return x.item(), x.item(0), x.item(-1)


@cases.add("arr.methods", lambda: (arr((3, 4)),), raises=ValueError)
def methods_reshape_bad(x):
    return x.reshape(5, -1)


@cases.add("arr.methods", lambda: (arr((3, 4)),), raises=ValueError)
def methods_item_size(x):
    return x.item()


# --------------------------------------------------------------------------- in place


@cases.add("arr.inplace", *lay(None, ((6, 5), F64), ((6, 5), F64)))
def inplace_ops(x, y):
    x += y
    x *= 2.0
    x -= 1
    x /= 3.0
    y[1:-1, :] **= 2


@cases.add("arr.inplace", *lay(None, (17, I64), (17, I64)))
def inplace_int(x, y):
    x //= 3
    x %= 7
    y[::2] += x[::2]
    y[1::2] <<= 1
    y ^= x


@cases.add("arr.inplace", *lay(None, (16, F64)))
def inplace_overlap(x):
    x[1:] += x[:-1]
    x[:-2] -= x[2:] * 0.5


# Long enough for the C compiler to vectorize: a nest tells it that no iteration reads what
# another writes (cgen's ivdep), which these statements would break without lowering's
# temporaries.
@cases.add("arr.inplace", *lay(None, (203, F64)), *lay(None, (130, F32)))
def overlap_vectorized(x):
    x[1:] = x[:-1] * 2.0
    x[:-3] += x[3:]
    x[3:] += x[:-3]
    x[:] = x[::-1] + x
    x[:] = x[0] + x


@cases.add("arr.inplace", *lay(None, ((7, 101), F64)))
def overlap_vectorized_2d(a):
    a[:, 1:] = a[:, :-1] + a[:, 1:]
    a[1:, :] -= a[:-1, ::-1]


# Stores before a statement that raises: the caller sees them, as in CPython, although fusion
# would have moved the failing check above the store's loop (opt/version.go).


def _m(rows, cols):
    return lambda: (arr(6, low=-5, high=5), np.zeros(6), arr((rows, cols), seed=1))


@cases.add("arr.inplace", _m(2, 4), _m(3, 5))
@cases.add("arr.inplace", _m(1, 4), _m(2, 3), _m(0, 4), raises=IndexError, match=True)
def store_then_index_error(x, y, M):
    y[:] = x
    r = M[1, 3] * y.mean()
    return r


@cases.add("arr.inplace", _m(2, 4))
@cases.add("arr.inplace", _m(1, 4), raises=IndexError, match=True)
def store_then_index_error_temporary(x, y, M):
    # t lives only in the fused loop (a scalar there); the unfused order has its own array
    y[:] = x + 1.0
    t = y * 2.0
    return M[1, 3] * t.sum()


def _w(n):
    return lambda: (arr(5, low=-5, high=5), np.zeros(5), arr(n, seed=2))


@cases.add("arr.inplace", _w(5), _w(1))
@cases.add("arr.inplace", _w(4), _w(7), raises=ValueError)  # sejit words it its own way
def store_then_shape_error(x, y, w):
    y[:] = x + 1.0
    t = y * 2.0 + w
    return t


@cases.add("arr.inplace", lambda: (arr(8), np.zeros(8), 7, 2))
@cases.add("arr.inplace", lambda: (arr(8), np.zeros(8), 7, 0), raises=ZeroDivisionError, match=True)
def store_then_zero_division(x, y, n, d):
    y[:] = x * 2.0
    q = n // d
    return y.sum() * q


def _m2(rows):
    return lambda: (arr((4, 3), low=-5, high=5), np.zeros((4, 3)), arr((rows, 2), seed=3))


@cases.add("arr.inplace", _m2(6))
@cases.add("arr.inplace", _m2(5), _m2(2), raises=IndexError, match=True)
def store_then_index_error_2d(X, Y, M):
    Y[:, :] = X * 2.0
    r = M[5, 0] + Y.sum()
    return r


def _loop(rows):
    return lambda: (arr(6, low=-5, high=5), np.zeros(6), arr((rows, 2), seed=4), 5)


@cases.add("arr.inplace", _loop(5), _loop(9))
@cases.add("arr.inplace", _loop(3), _loop(0), raises=IndexError, match=True)
def store_then_index_error_in_loop(x, y, M, n):
    r = 0.0
    for i in range(n):
        y[:] = x + i
        r = r + M[i, 0] * y.sum()
    return r


@cases.add("arr.slice", lambda: (np.linspace(1.0, 2.0, 40),), lambda: (np.arange(3.0),), lambda: (np.zeros(2),))
def growing_temporaries(r):
    # Temporaries whose length grows by one per iteration (Durbin's recursion: y[:k] and its
    # flip) reuse one buffer that doubles when it must grow; lengths that also shrink.
    y = np.zeros_like(r)
    acc = 0.0
    for k in range(1, r.shape[0]):
        t = 0.5 * np.flip(y[:k])
        y[:k] += t
        y[k] = r[k] - t.sum()
        u = r[:(k * 7) % r.shape[0]] * 2.0
        acc += u.sum() + u.shape[0]
    return y, acc


@cases.add("arr.mask", lambda: (np.linspace(-2.0, 0.5, 300), 30), lambda: (np.linspace(-0.5, 0.2, 7), 5),
           lambda: (np.zeros(0), 3))
def shrinking_selections(c0, steps):
    # Arrays rebound to a selection of themselves every iteration (a masked Mandelbrot's
    # z = z[keep]; c = c[keep]) alternate between two buffers, taking their fronts as they shrink.
    z = np.zeros(c0.shape[0], np.complex128)
    c = c0 + 0.1j
    idx = np.arange(c0.shape[0])
    escaped = np.full(c0.shape[0], -1)
    for i in range(steps):
        z = z * z + c
        out = np.abs(z) > 2.0
        escaped[idx[out]] = i
        keep = np.logical_not(out)
        z = z[keep]
        c = c[keep]
        idx = idx[keep]
    return escaped, z, c, idx


@cases.add("arr.mask", lambda: (np.linspace(-1.0, 1.0, 50), np.arange(50), 6), lambda: (np.zeros(0), np.zeros(0, np.int64), 2))
def tuple_rebinding(x, ix, steps):
    # Names rebound through a tuple display (npbench's mandelbrot2: Xi, Yi = Xi[I], Yi[I]) are
    # two assignments when no value reads an earlier target; a swap keeps Python's order.
    a, b = x.copy(), ix.copy()
    for i in range(steps):
        keep = a * a < 0.9 - 0.1 * i
        a, b = a[keep], b[keep]
        p, q = b, a
        a, q = q * 1.5, a
    return a, b, p, q


@cases.add("arr.mask", lambda: (np.arange(5.0), 3), lambda: (np.arange(5.0), 9))
def tuple_rebinding_raises(x, k):
    # With a handler in the function the tuple stays whole: when the second value raises, the
    # first name keeps its old value, as in CPython.
    a = x[0]
    b = x[1]
    try:
        a, b = x[2], x[k]
    except IndexError:
        pass
    return a, b


test_conformance = cases.test()
