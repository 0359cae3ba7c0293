"""Conformance: NumPy's shape and selection functions (issue 14) — reshape, ravel and transpose
as functions, flip/fliplr/flipud/rot90 (views), roll, tile, repeat, count_nonzero, nonzero,
flatnonzero, argwhere, where(cond), creation with a positional dtype and shape=, histogram's
positional range.

Inputs come C-ordered, Fortran-ordered and strided, and empty. See tests/conformance.py.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)


def m2(dtype=np.float64):
    return np.arange(12, dtype=dtype).reshape(3, 4) - 5


ARR1 = (
    lambda: (np.arange(7, dtype=np.float64) - 2,),
    lambda: (np.arange(10, dtype=np.int32)[::3],),
    lambda: (np.arange(10, dtype=np.int64)[::-2],),
    lambda: (np.zeros(0),),
)
ARR2 = (
    lambda: (m2(),),
    lambda: (np.asfortranarray(m2(np.int64)),),
    lambda: (m2(np.int32)[:, ::2],),
    lambda: (m2()[::-1, 1:],),
    lambda: (np.zeros((0, 3)),),
)


# --------------------------------------------------------------------------- views


@cases.add("np.flip", *ARR1, *ARR2)
def flip_all(a):
    return np.flip(a), np.flipud(a), np.flip(a, 0), np.flip(a, axis=-1)


@cases.add("np.flip", *ARR2)
def flip_2d(a):
    return (np.fliplr(a), np.flip(a, axis=1), np.rot90(a), np.rot90(a, 2), np.rot90(a, k=3),
            np.rot90(a, -1), np.rot90(a, 4))


@cases.add("np.flip", lambda: (m2(),), lambda: (np.asfortranarray(m2()),))
def flip_is_view(a):
    v = np.flip(a, 1)
    v[0, 0] = 100.0
    r = np.rot90(a)
    r[1, 2] = -7.0
    np.fliplr(a)[2, 0] += 0.5
    return a


@cases.add("np.flip", lambda: (np.arange(6.0),), raises=ValueError)
def fliplr_1d(a):
    return np.fliplr(a)


@cases.add("np.shape-funcs", *ARR2)
def shape_funcs(a):
    return (np.reshape(a, (a.size,)), np.reshape(a, (-1, 1)), np.ravel(a), np.transpose(a),
            np.transpose(a, (1, 0)))


@cases.add("np.shape-funcs", lambda: (np.arange(24.0).reshape(2, 3, 4),))
def transpose_3d(a):
    return (np.transpose(a, (2, 0, 1)), np.transpose(a, axes=(0, -1, 1)), np.reshape(a, 24),
            np.ravel(a[:, ::2]))


@cases.add("np.shape-funcs", lambda: (np.arange(6.0),))
def reshape_view(a):
    b = np.reshape(a, (2, 3))
    b[1, 1] = -1.0
    return a


@cases.add("np.shape-funcs", lambda: (np.arange(6.0),), raises=ValueError)
def reshape_bad(a):
    return np.reshape(a, (4, 2))


# --------------------------------------------------------------------------- copies


@cases.add("np.roll", *ARR1, *ARR2)
def roll(a):
    return (np.roll(a, 1), np.roll(a, -2), np.roll(a, 13), np.roll(a, 0), np.roll(a, 2, axis=0),
            np.roll(a, shift=-1, axis=-1))


@cases.add("np.roll", lambda: (m2(), 5), lambda: (m2(np.int32), -7))
def roll_runtime_shift(a, s):
    return np.roll(a, s), np.roll(a, s, 1), np.roll(a * 2, s, axis=0)


@cases.add("np.tile-repeat", *ARR1, *ARR2)
def tile(a):
    return (np.tile(a, 2), np.tile(a, (2, 1)), np.tile(a, (1, 3)), np.tile(a, 0),
            np.tile(a, (2, 1, 2)))


@cases.add("np.tile-repeat", *ARR1, *ARR2)
def repeat(a):
    return np.repeat(a, 2), np.repeat(a, 3, axis=0), np.repeat(a, 2, axis=-1), np.repeat(a, 0)


@cases.add("np.tile-repeat", lambda: (np.arange(3.0), -1), raises=ValueError)
def repeat_negative(a, n):
    return np.repeat(a, n)


@cases.add("np.tile-repeat",
           lambda: (np.arange(5.0), np.array([0, 2, 1, 3, 0])),
           lambda: (np.arange(4, dtype=np.int32)[::-1], np.array([2], dtype=np.int8)),
           lambda: (np.zeros(0), np.zeros(0, dtype=np.int64)),
           lambda: (np.arange(3.0), np.array([True, False, True])))
def repeat_counts(a, c):
    return np.repeat(a, c), np.repeat(a * 2, c)


@cases.add("np.tile-repeat",
           lambda: (m2(), np.array([1, 0, 2]), np.array([2, 1, 0, 1])),
           lambda: (np.asfortranarray(m2(np.int64)), np.array([3]), np.array([1, 1, 1, 2])),
           lambda: (m2()[::-1, 1:], np.array([0, 0, 1]), np.array([2, 0, 1])))
def repeat_counts_axis(a, r, c):
    return (np.repeat(a, r, axis=0), np.repeat(a, c, axis=-1), np.repeat(a, c[:1], 1),
            np.repeat(a, np.arange(a.size) % 3))


@cases.add("np.tile-repeat", lambda: (np.arange(3.0), np.array([1, -1, 2])),
           lambda: (np.arange(3.0), np.array([1, 2])),
           lambda: (np.zeros(0), np.array([1, 2])), raises=ValueError)
def repeat_counts_bad(a, c):
    return np.repeat(a, c)


@cases.add("np.tile-repeat", lambda: (np.arange(3.0), np.array([1.0, 2.0, 0.0])),
           lambda: (np.arange(3.0), np.array([1, 2, 0], dtype=np.uint64)), raises=TypeError)
def repeat_counts_unsafe(a, c):
    return np.repeat(a, c)


# --------------------------------------------------------------------------- counting


BOOLS = (
    lambda: (np.array([[True, False, True], [False, False, True]]),),
    lambda: (np.array([0.0, -0.0, 1.5, np.nan, 0.0, 2.0]),),
    lambda: (np.array([[0, 3], [4, 0], [0, 0]], dtype=np.int32).T,),
    lambda: (np.array([1 + 0j, 0j, 1j]),),
    lambda: (np.zeros((0, 2)),),
    lambda: (np.arange(20, dtype=np.int64).reshape(4, 5)[::2, ::-2] % 3,),
)


@cases.add("np.count-nonzero", *BOOLS)
def count_nonzero(a):
    return np.count_nonzero(a), np.count_nonzero(a, axis=0), np.count_nonzero(a, axis=-1)


@cases.add("np.nonzero", *BOOLS)
def nonzero(a):
    return np.nonzero(a), np.flatnonzero(a), np.argwhere(a), np.where(a)


@cases.add("np.nonzero", lambda: (np.array([0.5, -1.0, 2.0, -3.0]), 0.0))
def where_select(x, t):
    idx = np.where(x > t)[0]
    return x[idx], np.nonzero(x < t)[0].size


# --------------------------------------------------------------------------- creation, histogram


@cases.add("np.create", (3,), (0,))
def create_positional_dtype(n):
    return (np.zeros(n, np.int32), np.ones((n, 2), np.float32), np.empty(n, np.int64).shape,
            np.full(n, 7, np.int16), np.zeros(shape=(2, n)), np.ones(shape=n, dtype=np.uint8),
            np.full((n,), 1.5, float))


@cases.add("np.create", lambda: (np.arange(4.0),))
def create_like_positional_dtype(a):
    return np.zeros_like(a, np.int32), np.full_like(a, 3, np.int8)


@cases.add("np.histogram", lambda: (np.array([1.0, 2.0, 2.5, 3.0, 4.0, 4.0]),),
           lambda: (np.arange(10, dtype=np.int64),))
def histogram_range_positional(x):
    return np.histogram(x, 4, (0.0, 5.0)), np.histogram(x, 3, (1, 3))



# --------------------------------------------------------------------------- rows by a 1-D mask

MASKED = (
    lambda: (np.arange(12.0).reshape(4, 3), np.array([True, False, True, True])),
    lambda: (np.asfortranarray(np.arange(12, dtype=np.int64).reshape(4, 3)),
             np.array([False, True, False, True])),
    lambda: (np.arange(24.0).reshape(4, 6)[:, ::2], np.array([False, False, False, False])),
    lambda: (np.arange(24, dtype=np.int32).reshape(8, 3)[::-2],
             np.array([True, True, False, True])),
    lambda: (np.arange(24.0).reshape(4, 3, 2), np.array([True, False, False, True])),
    lambda: (np.zeros((0, 3)), np.zeros(0, dtype=bool)),
)


@cases.add("arr.mask", *MASKED)
def mask_rows_read(x, m):
    return x[m], x[m, :], x[m, ...], x[~m].sum(), x[np.arange(x.shape[0]) % 2 == 0]


@cases.add("arr.mask", *MASKED)
def mask_rows_write(x, m):
    x[m] = 7
    x[~m, :] += 1
    return x


@cases.add("arr.mask", *MASKED[:4])
def mask_rows_write_row(x, m):
    x[m] = x[0] * 2
    return x


@cases.add("arr.mask", lambda: (np.arange(12.0).reshape(4, 3), np.array([True, False, True])),
           raises=IndexError)
def mask_rows_bad(x, m):
    return x[m]


@cases.add("arr.mask", lambda: (np.arange(12.0).reshape(4, 3), np.array([1, 0, 1, 0], dtype=bool)),
           raises=ValueError)
def mask_rows_bad_value(x, m):
    x[m] = np.ones(3)[:2]
    return x


# ------------------------------------------------------------------- triangles, diagonals, grids


@cases.add("np.tri-diag", *ARR2, lambda: (np.ones((4, 4), dtype=bool),))
def tri(a):
    return np.triu(a), np.tril(a), np.triu(a, 1), np.tril(a, -1), np.triu(a, k=-2), np.tril(a, k=9)


@cases.add("np.tri-diag", *ARR2, lambda: (np.arange(16.0).reshape(4, 4), 2))
def diag2(a, k=1):
    return (np.diag(a), np.diag(a, k), np.diag(a, -k), np.diagonal(a), np.diagonal(a, offset=-1),
            np.diag(a, 7))


@cases.add("np.tri-diag", *ARR1, lambda: (np.array([1, 2], dtype=np.int32),))
def diag1(v):
    return np.diag(v), np.diag(v, 1), np.diag(v, k=-2)


@cases.add("np.meshgrid", lambda: (np.arange(3.0), np.arange(4, dtype=np.int32)[::-1]),
           lambda: (np.zeros(0), np.arange(2.0)), lambda: (np.arange(5.0)[::2], np.array([1.5])))
def meshgrid(x, y):
    X, Y = np.meshgrid(x, y)
    A, B = np.meshgrid(x, y, indexing="ij")
    return X, Y, A, B, np.meshgrid(y, x, indexing="xy")


@cases.add(
    "np.histogram",
    lambda: (np.array([1.0, 2.0, 2.5, 3.0, 4.0, 4.0, np.nan, 9.0]), np.linspace(0.1, 2.0, 8)),
    lambda: (np.arange(10, dtype=np.int64)[::-1] * 0.37, np.arange(10, dtype=np.int32)),
    lambda: (np.zeros(0), np.zeros(0)),
    lambda: (np.random.default_rng(3).normal(size=70000), np.random.default_rng(4).random(70000)),
)
def histogram_weights(x, w):
    return np.histogram(x, 5, (0.0, 5.0), weights=w), np.histogram(x[:3], weights=w[:3])


@cases.add(
    "np.histogram",
    lambda: (np.array([1.0, 2.0, 2.5, 3.0, 4.0, 4.0]),),
    lambda: (np.random.default_rng(5).normal(size=1000),),
)
def histogram_density(x):
    return (np.histogram(x, density=True), np.histogram(x, 7, (-1.0, 3.0), density=True),
            np.histogram(x, density=False))


@cases.add("np.histogram", lambda: (np.arange(4.0), np.ones(3)), raises=ValueError)
def histogram_weights_bad(x, w):
    return np.histogram(x, weights=w)


@cases.add("np.index-funcs", (2, 3), (0, 4), (1, 1))
def indices(m, n):
    return np.indices((m, n)), np.indices((n,)), np.indices((m, n, 2), dtype=np.int32)


@cases.add("np.index-funcs", (0, 3, 4), (11, 3, 4), (7, 1, 8))
def unravel(i, m, n):
    r, c = np.unravel_index(i, (m, n))
    a, b, k = np.unravel_index(i, (m, n, 1))
    return r, c, a, b, k, np.unravel_index(i, 12), np.ravel_multi_index((r, c), (m, n))


@cases.add("np.index-funcs", (12, 3, 4), (-1, 3, 4), raises=ValueError)
def unravel_bad(i, m, n):
    return np.unravel_index(i, (m, n))


@cases.add("np.index-funcs", (3, 0), (0, -1), raises=ValueError)
def ravel_multi_bad(i, j):
    return np.ravel_multi_index((i, j), (3, 4))




# --------------------------------------------------------------------------- shapes as list displays


@cases.add("np.create", (m2(),), (np.zeros((4, 6)),), (np.zeros((0, 2)),))
def shape_list_display(x):
    # A shape written as a list display, as NumPy accepts (npbench's LeNet: np.empty([n, h // 2,
    # w // 2, c])): same result as the tuple.
    a = np.zeros([x.shape[0], x.shape[1] // 2], dtype=x.dtype)
    b = np.ones([x.shape[1], 2, x.shape[0]])
    c = np.full([2, x.shape[0]], 7, np.int32)
    d = np.empty([x.shape[0] * x.shape[1]])
    d[:] = 3.5
    e = np.zeros(shape=[x.shape[1]])
    return a, b, c, d, e


@cases.add("np.shape-funcs", (m2(),), (np.arange(24.0).reshape(2, 3, 4),))
def reshape_list_display(x):
    return np.reshape(x, [x.shape[0], -1]), np.reshape(x, [x.size])


@cases.add("np.create", (-1,), (-4,), raises=ValueError)
def shape_list_negative(n):
    # NumPy's ValueError for a negative dimension, the same as with a tuple.
    return np.zeros([2, n])


test_conformance = cases.test()
