"""Conformance: NumPy's statistics, comparison and polynomial functions (issue 14) — isclose,
allclose, array_equal, cov, corrcoef, percentile, quantile, convolve, correlate, polyval, polyfit
and kron: values, dtypes (NEP 50), argument forms and errors, against NumPy.

See tests/conformance.py.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)


def rnd(*shape, dtype=np.float64, seed=0):
    r = np.random.default_rng(seed)
    return r.normal(size=shape).astype(dtype)


def ints(*shape, dtype=np.int64, seed=1):
    return np.random.default_rng(seed).integers(-9, 10, size=shape).astype(dtype)


# --------------------------------------------------------------------------- isclose family

CLOSE = (
    lambda: (np.array([1.0, 2.0, np.nan, 4.0, np.inf]), np.array([1.0, 2.1, np.nan, 4.00001, np.inf])),
    lambda: (np.arange(5), 2.0),
    lambda: (np.arange(4, dtype=np.float32), np.float32(1.0)),
    lambda: (rnd(3, 4), rnd(3, 4) * 1.000001),
    lambda: (rnd(3, 4), rnd(4)),
    lambda: (np.zeros(0), np.zeros(0)),
    lambda: (1.0, 1.0 + 1e-9),
    lambda: (np.arange(6, dtype=np.int8), np.arange(6, dtype=np.uint16)),
)


@cases.add("np.isclose", *CLOSE)
def isclose_forms(a, b):
    return (np.isclose(a, b), np.isclose(a, b, rtol=1e-3, atol=0.2), np.isclose(a, b, 1e-2, 0.0, True),
            np.isclose(a, b, equal_nan=True))


@cases.add("np.isclose", *CLOSE)
def allclose_forms(a, b):
    return np.allclose(a, b), np.allclose(a, b, 1e-3, 0.2), np.allclose(a, b, equal_nan=True)


@cases.add("np.isclose", lambda: (rnd(3), rnd(4)), raises=ValueError)
def allclose_shape_mismatch(a, b):
    return np.allclose(a, b)


@cases.add("np.isclose",
           lambda: (np.array([1.0, np.nan]), np.array([1.0, np.nan])),
           lambda: (np.arange(3), np.arange(4)),
           lambda: (np.arange(3), np.arange(3.0)),
           lambda: (rnd(2, 3), rnd(2, 3)),
           lambda: (rnd(2, 3), rnd(3, 2)),
           lambda: (np.zeros((0, 2)), np.zeros((0, 2))),
           lambda: (np.arange(3), np.arange(6).reshape(2, 3)),
           lambda: (ints(4, dtype=np.int32), ints(4)))
def array_equal_forms(a, b):
    return np.array_equal(a, b), np.array_equal(a, b, equal_nan=True), np.array_equal(a, a), np.array_equal(b, b, True)


# --------------------------------------------------------------------------- cov, corrcoef

@cases.add("np.cov", lambda: (rnd(3, 6),), lambda: (ints(4, 5),), lambda: (rnd(2, 7, dtype=np.float32),),
           lambda: (np.asfortranarray(rnd(3, 5)),), lambda: (rnd(5, 8)[::2, ::3],), lambda: (rnd(4, 4),))
def cov_forms(m):
    return (np.cov(m), np.cov(m, rowvar=False), np.cov(m, bias=True), np.cov(m, ddof=0), np.cov(m, None, True, False, 2),
            np.corrcoef(m), np.corrcoef(m, rowvar=False))


@cases.add("np.cov", lambda: (rnd(6),), lambda: (ints(5),), lambda: (rnd(9)[::2],), lambda: (np.ones(4),))
def cov_one_variable(x):
    return np.cov(x), np.cov(x, bias=True), np.corrcoef(x), np.cov(x, ddof=0)


@cases.add("np.cov", lambda: (rnd(6), rnd(6, seed=3)), lambda: (rnd(2, 5), rnd(5, seed=4)),
           lambda: (ints(3, 4), rnd(2, 4)))
def cov_with_y(x, y):
    return np.cov(x, y), np.corrcoef(x, y), np.cov(x, y, bias=True), np.cov(y, x, ddof=0)


@cases.add("np.cov", lambda: (rnd(6), rnd(5)), raises=ValueError)
def cov_y_mismatch(x, y):
    return np.cov(x, y)


@cases.add("np.cov", lambda: (rnd(2, 2, 2),), raises=ValueError)
def cov_3d(m):
    return np.cov(m)


@cases.add("np.cov", lambda: (rnd(3, 5),))
def cov_mahalanobis(x):
    c = np.cov(x, rowvar=False)
    d = x[0] - x.mean(axis=0)
    return c, d @ c @ d


# --------------------------------------------------------------------------- percentile, quantile

QARR = (
    lambda: (rnd(7),), lambda: (rnd(3, 5),), lambda: (ints(9, dtype=np.int32),), lambda: (rnd(4, 3, dtype=np.float32),),
    lambda: (np.array([1.0, np.nan, 3.0]),), lambda: (np.array([5.0]),), lambda: (rnd(6, 4)[::2, ::-1],),
    lambda: (np.array([1.0, 1.0, 2.0, 2.0, 9.0]),), lambda: (ints(501),), lambda: (rnd(1000, seed=7),),
    lambda: (np.sort(rnd(300))[::-1],),
)


@cases.add("np.percentile", *QARR)
def percentile_whole(a):
    return (np.percentile(a, 30), np.percentile(a, 0), np.percentile(a, 100.0), np.quantile(a, 0.5),
            np.quantile(a, 0.25), np.percentile(a, np.array([10.0, 50.0, 95.0])), np.quantile(a, np.array([0.0, 1.0])))


@cases.add("np.percentile", lambda: (rnd(3, 5),), lambda: (ints(4, 6, dtype=np.int16),),
           lambda: (rnd(4, 3, dtype=np.float32),), lambda: (np.asfortranarray(rnd(3, 4)),))
def percentile_axis(a):
    return (np.percentile(a, 40, axis=0), np.percentile(a, 40, axis=1), np.quantile(a, 0.9, axis=-1),
            np.percentile(a, np.array([25.0, 75.0]), axis=0), np.quantile(a, np.array([0.1, 0.5]), 1),
            np.percentile(a, 50, None))


@cases.add("np.percentile", lambda: (rnd(2, 3, 4),))
def percentile_3d(a):
    return np.percentile(a, 20, axis=1), np.quantile(a, 0.3, axis=0), np.percentile(a, np.array([5.0, 60.0]), axis=2)


@cases.add("np.percentile", lambda: (rnd(5), 101.0), lambda: (rnd(5), -1.0), raises=ValueError)
def percentile_out_of_range(a, q):
    return np.percentile(a, q)


@cases.add("np.percentile", lambda: (rnd(5), 1.5), raises=ValueError)
def quantile_out_of_range(a, q):
    return np.quantile(a, q)


@cases.add("np.percentile", lambda: (np.zeros(0),), raises=IndexError)
def percentile_empty(a):
    return np.percentile(a, 50)


# --------------------------------------------------------------------------- convolve, correlate

CONV = (
    lambda: (np.arange(5.0), np.array([1.0, 2.0, 3.0])),
    lambda: (np.array([1.0, 2.0, 3.0]), np.arange(5.0)),
    lambda: (np.arange(6), ints(4, dtype=np.int8)),
    lambda: (np.arange(4.0), rnd(4)),
    lambda: (rnd(7, dtype=np.float32), rnd(2, dtype=np.float32)),
    lambda: (np.array([3.0]), rnd(5)),
    lambda: (ints(8, dtype=np.int8) * 20, ints(3, dtype=np.int8) * 10),
    lambda: (rnd(9)[::2], rnd(6)[::-1]),
)


@cases.add("np.convolve", *CONV)
def convolve_modes(a, v):
    return np.convolve(a, v), np.convolve(a, v, "same"), np.convolve(a, v, mode="valid"), np.convolve(a, v, "full")


@cases.add("np.convolve", *CONV)
def correlate_modes(a, v):
    return np.correlate(a, v), np.correlate(a, v, "full"), np.correlate(a, v, mode="same"), np.correlate(v, a, "same")


@cases.add("np.convolve", lambda: (np.zeros(0), rnd(3)), lambda: (rnd(3), np.zeros(0)), raises=ValueError)
def convolve_empty(a, v):
    return np.convolve(a, v)


@cases.add("np.convolve", lambda: (rnd(3), rnd(2)), raises=ValueError)
def convolve_bad_mode(a, v):
    return np.convolve(a, v, "middle")


@cases.add("np.convolve", lambda: (rnd(2, 3), rnd(2)), raises=ValueError)
def convolve_2d(a, v):
    return np.convolve(a, v)


# --------------------------------------------------------------------------- polyval, polyfit

@cases.add("np.polyval", lambda: (np.array([1.0, -2.0, 3.0]), rnd(3, 4)), lambda: (np.arange(3), 2),
           lambda: (np.array([1.0, -2.0, 3.0]), 0.5), lambda: (ints(4), ints(5, dtype=np.int32)),
           lambda: (rnd(3, dtype=np.float32), rnd(4, dtype=np.float32)), lambda: (np.array([2.5]), rnd(3)),
           lambda: (ints(3, dtype=np.int8), 3), lambda: (rnd(4), np.float32(1.5)))
def polyval_forms(p, x):
    return np.polyval(p, x)


@cases.add("np.polyval", lambda: (np.linspace(0, 1, 10), rnd(10)), lambda: (np.arange(8.0), rnd(8) + 2.0),
           lambda: (np.arange(6), ints(6)), lambda: (rnd(20), rnd(20, seed=5)), rtol=1e-9)
def polyfit_forms(x, y):
    return np.polyfit(x, y, 1), np.polyfit(x, y, 2), np.polyfit(x, y, 3)


# Many points (NumPy's own solver, ?gelsd, where the runtime has LAPACK), strided data, and a
# rank-deficient fit (two distinct x for three or four coefficients: the minimum-norm answer).
def _trend(n):
    x = np.linspace(0.0, 10.0, n)
    return x, rnd(n) + 0.3 * x ** 2


@cases.add("np.polyval", lambda: _trend(200001), lambda: (np.linspace(-1.0, 1.0, 41)[::2], rnd(41)[::-2]),
           lambda: (np.array([1.0, 1.0, 2.0, 2.0, 1.0]), rnd(5)), rtol=1e-8)
def polyfit_large_strided_deficient(x, y):
    return np.polyfit(x, y, 2), np.polyfit(x, y, 3)


@cases.add("np.polyval", lambda: (np.linspace(-1, 2, 12),), rtol=1e-9)
def polyfit_roundtrip(x):
    c = np.polyfit(x, 3.0 * x ** 3 - x + 0.5 + 0.01 * np.sin(7 * x), 3)
    return c, np.polyval(c, x)


@cases.add("np.polyval", lambda: (rnd(4), rnd(4), -1), raises=ValueError)
def polyfit_negative_deg(x, y, d):
    return np.polyfit(x, y, d)


@cases.add("np.polyval", lambda: (rnd(4), rnd(5)), raises=TypeError)
def polyfit_length_mismatch(x, y):
    return np.polyfit(x, y, 1)


# --------------------------------------------------------------------------- kron

@cases.add("np.kron", lambda: (np.arange(3), np.arange(2.0)), lambda: (rnd(2, 2), np.eye(2)),
           lambda: (ints(2, 3, dtype=np.int8), ints(3, 2, dtype=np.int16)), lambda: (np.zeros(0), rnd(3)),
           lambda: (rnd(3, dtype=np.float32), rnd(2)), lambda: (rnd(3, 4)[::2, ::-1], rnd(1, 1)))
def kron_forms(a, b):
    return np.kron(a, b), np.kron(b, a)



# --------------------------------------------------------------------------- reductions: dtype=, positional ddof

RED = (lambda: (ints(3, 4, dtype=np.int32) * 37,), lambda: (ints(3, 4, dtype=np.uint8),),
       lambda: (rnd(3, 4, dtype=np.float32),), lambda: (np.asfortranarray(rnd(4, 5)),), lambda: (np.zeros((0, 3)),))


@cases.add("red.sum-prod", *RED)
def sum_prod_dtype(a):
    return (np.sum(a, dtype=np.int8), np.sum(a, 0, np.float32), a.sum(0, np.int16), np.prod(a, axis=0, dtype=np.float64),
            np.sum(a, None, None, None, True), a.prod(1, np.int64), np.sum(a, axis=1, dtype=np.uint32, out=None))


@cases.add("red.mean-std-var", *RED)
def mean_std_var_positional(a):
    return (np.var(a, 0, None, None, 1), np.std(a, None, np.float32, None, 1), a.var(1, None, None, 2),
            np.var(a, ddof=1, dtype=np.float64), np.std(a, 0, None, None, 0, True), np.mean(a, 0, None, None, True),
            np.mean(a, dtype=np.float32), np.mean(a, 1, np.float64), a.mean(0, np.float64), a.std(None, np.float64))


@cases.add("red.cum", *RED)
def cum_dtype(a):
    return np.cumsum(a, dtype=np.float64), np.cumsum(a, 0, np.int8), a.cumsum(1, np.int64), np.cumprod(a, 1, np.float64)



# --------------------------------------------------------------------------- take, put

TAKE = (lambda: (ints(3, 4),), lambda: (rnd(3, 4, dtype=np.float32),), lambda: (np.asfortranarray(rnd(3, 5)),),
        lambda: (rnd(4, 6)[::-1, ::-2],))


@cases.add("np.take", *TAKE)
def take_forms(a):
    i = np.array([0, -1, 2])
    return (np.take(a, 5), np.take(a, i), np.take(a, i, axis=0), np.take(a, np.array([[0, 1], [-2, 2]]), axis=1),
            np.take(a, -1, axis=1), np.take(a, 1, 0), np.take(a, i, axis=-1), np.take(a, np.zeros(0, dtype=np.int64)))


@cases.add("np.take", lambda: (np.arange(5.0),), lambda: (ints(6, dtype=np.int8),))
def take_1d(a):
    return np.take(a, np.array([4, 0, -5]), axis=0), np.take(a, 2), np.take(a, np.array([[1], [3]]))


@cases.add("np.take", lambda: (ints(3, 4), 12), lambda: (ints(3, 4), -13), raises=IndexError, match=True)
def take_out_of_bounds(a, i):
    return np.take(a, i)


@cases.add("np.take", lambda: (ints(3, 4), np.array([0, 4])), raises=IndexError, match=True)
def take_axis_out_of_bounds(a, i):
    return np.take(a, i, axis=1)


@cases.add("np.take", lambda: (np.zeros(6),), lambda: (ints(2, 3),), lambda: (np.zeros((3, 4))[:, ::2],),
           lambda: (np.asfortranarray(np.zeros((2, 3), dtype=np.float32)),))
def put_forms(a):
    np.put(a, np.array([0, -1]), np.array([1.5, 2.5, 3.5]))
    np.put(a, 2, 7)
    np.put(a, np.array([[1], [3]]), 9.0)
    return a


@cases.add("np.take", lambda: (np.zeros((4, 4)), -np.inf), lambda: (np.zeros((5, 3)), 2), lambda: (ints(3, 5), 7.5),
           lambda: (np.zeros((7, 3)), np.array([1.0, 2.0])), lambda: (np.zeros((3, 4))[:, ::-1], 1),
           lambda: (np.asfortranarray(np.zeros((4, 2), dtype=np.float32)), np.array([[3, 4], [5, 6]])),
           lambda: (np.zeros((0, 0)), 1.0))
def fill_diagonal_forms(a, v):
    b = a.copy()
    np.fill_diagonal(a, v)
    np.fill_diagonal(b, v, wrap=True)
    return a, b


@cases.add("np.take", lambda: (np.zeros((3, 3, 3)), 2.5), lambda: (ints(2, 2, 2, 2), -1))
def fill_diagonal_nd(a, v):
    np.fill_diagonal(a, v)
    return a


@cases.add("np.take", lambda: (np.zeros((3, 3, 2)), 1.0), raises=ValueError, match=True)
def fill_diagonal_unequal(a, v):
    np.fill_diagonal(a, v)


@cases.add("np.take", lambda: (ints(3, 4),), lambda: (rnd(4, 5, dtype=np.float32),), lambda: (rnd(6, 4)[::-2, ::-1],),
           lambda: (np.asfortranarray(rnd(3, 4)),))
def delete_forms(a):
    return (np.delete(a, 0, axis=1), np.delete(a, -1, 0), np.delete(a, 2), np.delete(a, np.array([0, 2, 2, -1]), axis=1),
            np.delete(a, np.array([1, 0]), axis=-2), np.delete(a, np.zeros(0, dtype=np.int64), axis=1),
            np.delete(a, a[0] > a[0].mean(), axis=1), np.delete(a, a[:, 0] < 0.5, 0), np.delete(a, np.array([1, 3])))


@cases.add("np.take", lambda: (ints(3, 4), 4), lambda: (ints(3, 4), -5), lambda: (ints(3, 4), np.array([0, 4])),
           lambda: (ints(3, 4), np.array([True, False])), raises=(IndexError, ValueError), match=True)
def delete_bad_index(a, obj):
    return np.delete(a, obj, axis=1)


@cases.add("np.take", lambda: (np.zeros(4), 4), raises=IndexError, match=True)
def put_out_of_bounds(a, i):
    np.put(a, i, 1.0)
    return a



# --------------------------------------------------------------------------- sort, argsort with axis

SORTS = (lambda: (ints(4, 5),), lambda: (rnd(3, 4, 2),), lambda: (np.asfortranarray(rnd(3, 6, dtype=np.float32)),),
         lambda: (np.array([[3.0, np.nan, 1.0], [np.nan, 2.0, 2.0]]),), lambda: (rnd(5, 6)[::2, ::-1],),
         lambda: (np.zeros((0, 3)),), lambda: (ints(7, dtype=np.uint8),))


@cases.add("np.sort", *SORTS)
def sort_axes(a):
    # NumPy's default argsort is not stable; with ties only the stable order is NumPy's own.
    return (np.sort(a, axis=0), np.sort(a, 0), np.sort(a, axis=-1), np.sort(a, axis=None),
            np.argsort(a, axis=0, kind="stable"), np.argsort(a, None, kind="stable"), a.argsort(0, kind="stable"),
            np.argsort(a, axis=-1, kind="stable"))


@cases.add("np.sort", *SORTS)
def sort_inplace_axis(a):
    a.sort(0)
    b = a.copy()
    b.sort(axis=-1)
    return a, b


@cases.add("np.sort", lambda: (rnd(3, 4),), raises=ValueError)
def sort_bad_axis(a):
    return np.sort(a, axis=2)


@cases.add("np.percentile", lambda: (rnd(3, 4),), raises=ValueError)
def percentile_bad_axis(a):
    return np.percentile(a, 50, axis=-3)


@cases.add("np.take", lambda: (rnd(3, 4),), raises=ValueError)
def take_bad_axis(a):
    return np.take(a, 0, axis=2)



# --------------------------------------------------------------------------- histogram: bin edges, weights with density

HIST = (lambda: (rnd(50), np.array([-2.0, -0.5, 0.0, 0.3, 2.0])), lambda: (rnd(40, dtype=np.float32), np.linspace(-1, 1, 7)),
        lambda: (ints(30), np.array([-9, -3, 0, 0, 4, 9])), lambda: (np.array([0.0, 1.0, 1.0, np.nan, 4.0, 5.0]),
                                                                  np.array([0.0, 1.0, 4.0])),
        lambda: (np.zeros(0), np.array([0.0, 1.0])), lambda: (rnd(10), np.array([0.5])))


@cases.add("np.histogram", *HIST)
def histogram_bin_edges(a, edges):
    w = np.arange(a.size, dtype=np.float64) * 0.5
    return (np.histogram(a, edges), np.histogram(a, bins=edges, density=True), np.histogram(a, edges, weights=w),
            np.histogram(a, edges, weights=w, density=True), np.histogram(a, edges, range=(0, 1)))


@cases.add("np.histogram", lambda: (rnd(60),), lambda: (ints(25).astype(np.float64),))
def histogram_weights_density(a):
    w = np.linspace(0.0, 2.0, a.size)
    wi = np.arange(a.size)
    return (np.histogram(a, 6, weights=w, density=True), np.histogram(a, bins=4, range=(-1.0, 1.0), weights=w,
                                                                       density=True),
            np.histogram(a, 5, weights=wi), np.histogram(a, 5, weights=wi, density=True))


@cases.add("np.histogram", lambda: (rnd(10), np.array([0.0, 2.0, 1.0])), raises=ValueError, match=True)
def histogram_edges_decrease(a, edges):
    return np.histogram(a, edges)


@cases.add("np.histogram", lambda: (rnd(10), np.array([0.0, 1.0])), raises=ValueError, match=True)
def histogram_weights_length(a, edges):
    return np.histogram(a, edges, weights=np.ones(3))



# --------------------------------------------------------------------------- copyto, np.ndarray

@cases.add("np.copyto", lambda: (np.zeros((3, 4)), rnd(3, 4)), lambda: (np.zeros((3, 4)), rnd(4)),
           lambda: (np.zeros((3, 4), dtype=np.float32), ints(3, 1)), lambda: (np.zeros(5, dtype=np.int16), ints(5, dtype=np.int8)),
           lambda: (np.zeros((2, 3)), np.asfortranarray(rnd(2, 3))), lambda: (np.zeros((0, 2)), rnd(2)))
def copyto_forms(dst, src):
    np.copyto(dst, src)
    d2 = dst.copy()
    np.copyto(d2, 2)
    np.copyto(dst[..., :1], 7, casting="unsafe")
    return dst, d2


@cases.add("np.copyto", lambda: (np.zeros((2, 3), dtype=np.int32), rnd(2, 3) * 10),
           lambda: (np.zeros(4, dtype=np.float32), rnd(4).astype(np.complex128)))
def copyto_unsafe(dst, src):
    np.copyto(dst, src, casting="unsafe")
    return dst


@cases.add("np.copyto", lambda: (np.arange(6.0),))
def copyto_overlap(a):
    np.copyto(a[1:], a[:-1])
    return a


@cases.add("np.copyto", lambda: (np.zeros(3, dtype=np.int64), rnd(3)), lambda: (np.zeros(3, dtype=np.int8), 1.5),
           lambda: (np.zeros(3), rnd(3).astype(np.complex128)), raises=TypeError)
def copyto_bad_cast(dst, src):
    np.copyto(dst, src)
    return dst


@cases.add("np.copyto", lambda: (np.zeros(3, dtype=np.int8), 300), raises=OverflowError)
def copyto_out_of_bounds(dst, v):
    np.copyto(dst, v)
    return dst


@cases.add("np.copyto", lambda: (np.zeros(3), rnd(4)), raises=ValueError)
def copyto_shape_mismatch(dst, src):
    np.copyto(dst, src)
    return dst


@cases.add("np.create", (3,), (0,))
def ndarray_constructor(n):
    a = np.ndarray((n, 2))
    a[...] = 1.5
    b = np.ndarray(n, np.int32)
    b[:] = 7
    c = np.ndarray(shape=(2, n), dtype=np.float32)
    c.fill(2.0)
    return a, b, c



# --------------------------------------------------------------------------- mgrid, ogrid, rot90/fliplr/flipud

@cases.add("np.grid", (3, 4), (0, 2), (1, 1))
def mgrid_forms(n, m):
    return (np.mgrid[0:n, 0:m], np.mgrid[0:n], np.mgrid[1:7:2], np.mgrid[5:0:-2], np.mgrid[0:1:5j],
            np.mgrid[-1:1:3j, 0:m], np.mgrid[0:n, 0.0:1.0:0.25], np.mgrid[:n, m:0:-1], np.mgrid[0:2:1j])


@cases.add("np.grid", (3, 4), (0, 2))
def ogrid_forms(n, m):
    a, b = np.ogrid[0:n, 0:m]
    c, d, g = np.ogrid[0:2, 1:3:0.5, 0:1:4j]
    return a, b, c, d, g, np.ogrid[0:n], a + b


@cases.add("np.grid", (np.int32(3), np.float32(1.0)), (np.int16(2), 2.0))
def grid_numpy_scalars(n, x):
    return (np.mgrid[0:n, 0:2], np.mgrid[0:n], np.mgrid[0:x:0.25], np.ogrid[0:n, 0:2], np.mgrid[0:x:3j, 0:n],
            np.mgrid[0:x:3j])


@cases.add("np.grid", (0,), raises=ZeroDivisionError)
def mgrid_zero_step(s):
    return np.mgrid[0:3:s]


@cases.add("np.grid", (5,), raises=ValueError)
def mgrid_negative(n):
    return np.mgrid[n:0, 0:2]


@cases.add("np.flip", lambda: (rnd(3, 4),), lambda: (ints(2, 5, dtype=np.int8),), lambda: (np.asfortranarray(rnd(4, 2)),))
def rot_flip_forms(a):
    return np.rot90(a), np.rot90(a, 2), np.rot90(a, k=-1), np.fliplr(a), np.flipud(a), np.flipud(np.fliplr(a))



# --------------------------------------------------------------------------- unravel_index, ravel_multi_index of arrays

@cases.add("np.index-funcs", lambda: (np.array([0, 5, 11, 7]),), lambda: (np.array([[1, 11, 4], [0, 9, 2]], dtype=np.int32),),
           lambda: (np.zeros(0, dtype=np.int64),))
def unravel_arrays(i):
    r, c = np.unravel_index(i, (3, 4))
    a, b, d = np.unravel_index(i, (2, 3, 2))
    return r, c, a, b, d, np.ravel_multi_index((r, c), (3, 4)), np.ravel_multi_index((a, b, d), (2, 3, 2))


@cases.add("np.index-funcs", lambda: (np.array([0, 2, 1]), np.array([[1], [3]])))
def ravel_multi_broadcast(r, c):
    return np.ravel_multi_index((r, c), (3, 4)), np.ravel_multi_index((r, 2), (3, 4))


@cases.add("np.index-funcs", lambda: (np.array([0, 12]),), lambda: (np.array([-1]),), raises=ValueError, match=True)
def unravel_array_bad(i):
    return np.unravel_index(i, (3, 4))


@cases.add("np.index-funcs", lambda: (np.array([0, 3]), np.array([1, 1])), raises=ValueError, match=True)
def ravel_multi_array_bad(r, c):
    return np.ravel_multi_index((r, c), (3, 4))


# --------------------------------------------------------------------------- creation: dtype positional, shape=

@cases.add("np.create", (3,), (0,))
def create_dtype_forms(n):
    return (np.zeros(n, np.int8), np.ones((n, 2), np.float32), np.full(n, 7, np.int16), np.empty(shape=(n,), dtype=np.int64).size,
            np.zeros(shape=(2, n)), np.ones(shape=n, dtype=np.uint8), np.full((n, 1), 2.5, np.float32), np.zeros((n,), "int32"))



# --------------------------------------------------------------------------- argument forms and errors

@cases.add("np.percentile", lambda: (rnd(9),), lambda: (ints(3, 3),))
def percentile_method_linear(a):
    return np.percentile(a, 35, method="linear"), np.quantile(a, q=0.6), np.percentile(a, q=np.array([5.0, 95.0]), axis=None)


@cases.add("np.cov", lambda: (rnd(5), 1.5), raises=ValueError)
def cov_float_ddof(x, d):
    return np.cov(x, ddof=d)


@cases.add("np.isclose", lambda: (np.arange(3.0), np.arange(3)), lambda: (np.zeros(2, dtype=np.uint8), np.zeros(2, dtype=np.int8)))
def isclose_mixed_dtypes(a, b):
    return np.isclose(a, b, atol=0), np.isclose(b, a, 0.0, 0.5), np.allclose(a, b, rtol=0.0, atol=0.0), np.array_equal(a, b)



@cases.add("np.percentile", lambda: (rnd(3, 5),), lambda: (ints(11),))
def percentile_list_q(a):
    qs = [10.0, 50.0]
    return np.percentile(a, [25, 75]), np.quantile(a, [0.1, 0.5, 0.9], axis=0), np.percentile(a, qs)


@cases.add("np.polyval", lambda: (rnd(4),), lambda: (2,), lambda: (0.5,))
def polyval_list(x):
    return np.polyval([1, -2, 3], x), np.polyval([0.5, 1.0], x), np.convolve([1.0, 2.0], [3.0, 4.0, 5.0])



@cases.add("np.polyval", lambda: (np.linspace(0, 2, 9), rnd(9, 3)), lambda: (np.arange(6.0), np.asfortranarray(rnd(6, 2))),
           rtol=1e-9)
def polyfit_2d_y(x, y):
    return np.polyfit(x, y, 2), np.polyfit(x, y, 1)



@cases.add("np.percentile", lambda: (rnd(7, dtype=np.float32),), lambda: (ints(6, dtype=np.uint8),))
def percentile_scalar_dtypes(a):
    return (np.percentile(a, np.float64(30)), np.quantile(a, np.float32(0.3)), np.percentile(a, 30, axis=0),
            np.quantile(a, np.array([0.2, 0.8], dtype=np.float32)))


test_conformance = cases.test()
