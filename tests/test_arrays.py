"""Differential tests: arrays — elementwise expressions, slices, indexing, ufuncs,
reductions, array creation, in-place updates and the runtime checks.

Arrays come in every layout sejit must handle: C order, Fortran order, strided
views (``a[::2]``) and reversed views (negative strides); see
conftest.make_array. Broadcasting is only between an array and scalars here.
"""

import math

import numpy as np
import pytest
from conftest import LAYOUTS, check, check_raises, make_array

F32, F64, I32, I64, C128, BOOL = np.float32, np.float64, np.int32, np.int64, np.complex128, np.bool_


def P(*values, id):
    return pytest.param(*values, id=id)


def arr(shape, dtype=F64, layout="C", low=-1.0, high=1.0, seed=0):
    return make_array(shape, dtype, layout, low, high, seed)


# =========================================================================== the seed example


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


@pytest.mark.parametrize("layout", LAYOUTS)
def test_poly_float32(layout):
    x = arr(1000, F32, layout, 0.0, 1.0)
    y = arr(1000, F32, layout, seed=1)
    check(poly, x, y, 3.141)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_poly_float64_int_a(layout):
    x = arr(1000, F64, layout, -5.0, 5.0)
    y = arr(1000, F64, layout, seed=1)
    check(poly, x, y, 3)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_poly_2d(layout):
    check(poly, arr((13, 7), F64, layout), arr((13, 7), F64, layout, seed=1), 0.5)


def test_poly_mixed_layouts_and_dtypes():
    check(poly, arr(100, F64, "strided"), arr(100, F64, "C"), 2.0)
    check(poly, np.zeros(0), np.zeros(0), 1.0)
    check(poly, arr(100, F32), arr(100, F32), np.float32(0.25))
    # float64 x into a float32 y: the assignment casts, as NumPy's does.
    check(poly, arr(100, F64), arr(100, F32), 1.5)


# =========================================================================== elementwise


def axpy(a, x, y):
    return a * x + y


def expr_broadcast(x, a):
    return x * 2.0 + a


def expr_mixed(x, y):
    return (x - y) * (x + y) / 2.0 - x**2 + 1


def neg_pos(x):
    return -x, +x


def add(x, y):
    return x + y


def true_divide(x, y):
    return x / y


def compare_arrays(x, y):
    return x < y, x >= 0.5, x == y, x != y


def int_div_mod(x, d):
    return x // d, x % d


def int_expr(x, a):
    return x * 2 + a


def array_powers(x):
    return x**2, x**0.5, 2.0**x, x**3


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("dtype", [F64, F32, I64, I32, C128], ids=lambda d: np.dtype(d).name)
def test_expr_with_scalars(dtype, ndim, layout):
    shape = (11, 6, 4)[:ndim]
    x = arr(shape, dtype, layout, -50, 50)
    check(expr_broadcast, x, 1.5)
    check(expr_broadcast, x, 3)
    check(axpy, 2, x, arr(shape, dtype, layout, -50, 50, seed=1))


@pytest.mark.parametrize(
    "dtype, scalar",
    [
        P(F32, 1.5, id="f32-weak-float"),
        P(F32, np.float64(1.5), id="f32-np.float64"),
        P(F32, np.int64(3), id="f32-np.int64"),
        P(F32, 3, id="f32-weak-int"),
        P(F32, 1 + 2j, id="f32-weak-complex"),
        P(F64, np.float32(1.5), id="f64-np.float32"),
        P(I32, np.float32(1.5), id="i32-np.float32"),
        P(I32, np.int64(3), id="i32-np.int64"),
        P(I32, True, id="i32-bool"),
        P(I64, 2.5, id="i64-weak-float"),
        P(BOOL, 2, id="bool-weak-int"),
        P(BOOL, 0.5, id="bool-weak-float"),
    ],
)
def test_nep50_scalar_promotion(dtype, scalar):
    check(add, arr(12, dtype, low=-9, high=9), scalar)
    check(axpy, scalar, arr(12, dtype, "strided", -9, 9), arr(12, dtype, low=-9, high=9, seed=1))


@pytest.mark.parametrize("dtype", [F64, F32, C128], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_expr_two_arrays(dtype, layout):
    x, y = arr((8, 9), dtype, layout), arr((8, 9), dtype, "C", seed=1)
    check(expr_mixed, x, y)
    check(neg_pos, x)
    check(true_divide, x, y)


@pytest.mark.parametrize(
    "dx, dy",
    [
        P(F32, F64, id="f32+f64"),
        P(I32, I64, id="i32+i64"),
        P(I64, F32, id="i64+f32"),
        P(I32, F32, id="i32+f32"),
        P(BOOL, I32, id="bool+i32"),
        P(BOOL, BOOL, id="bool+bool"),
        P(C128, F64, id="c128+f64"),
        P(I64, I64, id="i64+i64"),
    ],
)
def test_array_dtype_promotion(dx, dy):
    x, y = arr(20, dx, low=-9, high=9), arr(20, dy, low=-9, high=9, seed=1)
    check(add, x, y)
    divisor = np.ones(20, BOOL) if dy is BOOL else arr(20, dy, low=1, high=9, seed=2)
    check(true_divide, x, divisor)


@pytest.mark.parametrize("dtype", [F64, F32, I64, I32], ids=lambda d: np.dtype(d).name)
def test_array_comparisons(dtype):
    x, y = arr(30, dtype, low=-3, high=3), arr(30, dtype, low=-3, high=3, seed=1)
    check(compare_arrays, x, y)


@pytest.mark.parametrize("d", [3, -3, 2.5, -0.75], ids=str)
@pytest.mark.parametrize("dtype", [I64, I32, F64], ids=lambda d: np.dtype(d).name)
def test_array_floor_div_mod(dtype, d):
    check(int_div_mod, arr(40, dtype, "strided", -20, 20), d)


def test_array_powers():
    check(array_powers, arr(25, F64, low=0.0, high=3.0))
    check(array_powers, arr(25, F32, "reversed", low=0.0, high=3.0))


def test_int_arrays_wrap():
    # NumPy's integer arrays wrap silently on overflow.
    x = np.array([2**62, -(2**62), 2**63 - 1, 12345], dtype=I64)
    check(int_expr, x, 2**62)
    check(add, x, x)
    check(int_expr, np.array([2**31 - 1, -(2**31), 7], dtype=I32), 1)


# =========================================================================== in-place updates


def iadd(y, x):
    y += x


def scalar_updates(y, a):
    y -= a
    y *= 2
    y /= 4.0


def slice_imul(y):
    y[1:] *= 2


def strided_aug(y):
    y[::3] -= 1.5
    y[:-1:2] += 10
    y[-4:] /= 2


@pytest.mark.parametrize("layout", LAYOUTS)
def test_inplace_whole_array(layout):
    check(iadd, arr(50, F64, layout), arr(50, F64, "C", seed=1))
    check(iadd, arr((6, 5), F64, layout), arr((6, 5), F64, layout, seed=1))
    check(scalar_updates, arr(50, F64, layout), 0.5)
    check(scalar_updates, arr(50, F32, layout), 3)


def test_inplace_casts_to_target_dtype():
    check(iadd, arr(20, F32), arr(20, F64, seed=1))
    check(iadd, arr(20, I64, low=-9, high=9), arr(20, I32, low=-9, high=9, seed=1))
    check(iadd, arr(20, C128), arr(20, F64, seed=1))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_inplace_slices(layout):
    check(slice_imul, arr(17, F64, layout))
    check(slice_imul, arr(17, I64, layout, -9, 9))
    check(strided_aug, arr(23, F64, layout))


# =========================================================================== slices


def stencil(x, y):
    y[1:-1] = x[:-2] + x[2:]


def smooth(x, y):
    y[1:-1] = 0.25 * x[:-2] + 0.5 * x[1:-1] + 0.25 * x[2:]
    y[0] = x[0]
    y[-1] = x[-1]


def step_assign(y):
    y[::2] = 0
    y[1::4] = 1.5
    y[-3:] = 7


def negative_start_step(x, y):
    y[-5::2] = x[:3]
    y[1:-6:3] = x[-2:]


def fill_and_return(y, v):
    y[:] = v
    return y


def slice_views(x):
    return x[1:8:3], x[::-1], x[-2:2:-2], x[:]


def reverse_into(x, y):
    y[::-1] = x


def write_through_view(x, y):
    v = y[1:]
    v[:] = x[:-1] * 2.0
    return v


def copy_block(x):
    return x[2:-2:2] + 0.0


def stencil2d(a, out):
    out[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])


def block2d(a):
    return a[1:-1, ::2] * 2.0, a[::-1, 1:3]


def fill_border(a):
    a[0:1, :] = 1.0
    a[-1:, :] = 2.0
    a[:, 0:1] = 3.0
    a[1:-1, 1:-1] *= 0.5
    a[::2, 1::2] = 0.0


@pytest.mark.parametrize("layout", LAYOUTS)
def test_stencils(layout):
    check(stencil, arr(64, F64, layout), arr(64, F64, layout, seed=1))
    check(smooth, arr(64, F32, layout), np.zeros(64, F32))
    check(stencil, arr(64, I64, layout, -99, 99), arr(64, I64, layout, -99, 99, seed=1))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_step_slices(layout):
    check(step_assign, arr(21, F64, layout))
    check(step_assign, arr(21, I32, layout, -5, 5))
    check(reverse_into, arr(9, F64, layout), arr(9, F64, "C", seed=1))
    check(copy_block, arr(15, F64, layout))
    check(negative_start_step, arr(5, F64, layout), arr(11, F64, layout, seed=1))


def test_slices_are_views():
    check(slice_views, arr(12))
    check(slice_views, arr(12, layout="strided"))
    check(write_through_view, arr(10), arr(10, seed=1))
    check(fill_and_return, arr(6), 2.0)
    check(fill_and_return, arr((3, 4), I32, "F", -9, 9), 7)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_2d_slices(layout):
    check(stencil2d, arr((10, 12), F64, layout), arr((10, 12), F64, layout, seed=1))
    check(block2d, arr((7, 8), F64, layout))
    check(fill_border, arr((6, 5), F64, layout))


# =========================================================================== attributes and indexing


def shape_attrs(x):
    return x.shape, x.size, x.ndim, len(x)


def shape_attrs_0d(x):
    return x.shape, x.size, x.ndim


def shape_index(a):
    return a.shape[0] * 10 + a.shape[-1]


def weighted_sum_2d(a):
    n, m = a.shape
    s = 0.0
    for i in range(n):
        for j in range(m):
            s += a[i, j] * (i + 1) - j
    return s


def index_negative(x):
    return x[-1], x[-2], x[0], x[len(x) - 1]


def index_2d(a):
    return a[0, 0], a[-1, -1], a[1, -2], a[-2, 1]


def sum_3d(a):
    n, m, k = a.shape
    s = 0.0
    for i in range(n):
        for j in range(m):
            for p in range(k):
                s += a[i, j, p] * (i - j + p)
    return s


def elementwise_loop(x):
    y = np.empty_like(x)
    for i in range(len(x)):
        y[i] = x[i] * i
    y[-1] = -1
    return y


def matmul(a, b):
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for p in range(k):
                s += a[i, p] * b[p, j]
            c[i, j] = s
    return c


def transpose_loop(a):
    n, m = a.shape
    b = np.empty((m, n))
    for j in range(m):
        for i in range(n):
            b[j, i] = a[i, j] * (i - j)
    return b


def cumsum(x):
    y = np.empty_like(x)
    acc = 0.0
    for i in range(len(x)):
        acc += x[i]
        y[i] = acc
    return y


def clip_inplace(x, lo, hi):
    for i in range(len(x)):
        if x[i] < lo:
            x[i] = lo
        elif x[i] > hi:
            x[i] = hi


def element_aug_assign(a, x, y):
    n, m = a.shape
    for i in range(n):
        for j in range(m):
            a[i, j] += i - j
            a[i, j] *= 2
    for i in range(len(y)):
        y[i] -= x[i]
        y[-1 - i] /= 2.0


def floor_index(x, t):
    return x[math.floor(t * (len(x) - 1))]


def count_in_range(x, lo, hi):
    n = 0
    for i in range(x.size):
        if lo <= x[i] < hi:
            n += 1
    return n


@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_shape_attributes(ndim, layout):
    shape = (5, 4, 3)[:ndim]
    check(shape_attrs, arr(shape, F64, layout))
    check(shape_index, arr(shape, F32, layout))


def test_shape_attributes_0d_and_empty():
    check(shape_attrs_0d, np.array(2.5))
    check(shape_attrs, np.zeros(0))
    check(shape_attrs, np.zeros((0, 3), dtype=I32))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_indexing(layout):
    check(index_negative, arr(7, F64, layout))
    check(index_negative, arr(7, I32, layout, -9, 9))
    check(index_negative, arr(7, BOOL, layout))
    check(index_2d, arr((4, 5), F64, layout))
    check(index_2d, arr((4, 5), C128, layout))
    check(weighted_sum_2d, arr((6, 7), F64, layout))
    check(sum_3d, arr((3, 4, 5), F64, layout))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_element_loops(layout):
    check(elementwise_loop, arr(12, F64, layout))
    check(elementwise_loop, arr(12, I64, layout, -9, 9))
    check(matmul, arr((5, 4), F64, layout), arr((4, 3), F64, layout, seed=1))
    check(transpose_loop, arr((5, 4), F64, layout))
    check(transpose_loop, arr((3, 6), I32, layout, -9, 9))
    check(cumsum, arr(30, F64, layout))
    check(clip_inplace, arr(30, F64, layout), -0.5, 0.5)
    check(count_in_range, arr(30, F64, layout), -0.25, 0.5)
    check(element_aug_assign, arr((4, 5), F64, layout), arr(9, F64, layout), arr(9, F64, seed=2))
    check(element_aug_assign, arr((3, 3), I64, layout, -9, 9), arr(4, F32), arr(4, F32, layout))
    for t in (0.0, 0.5, 0.99, 1.0):
        check(floor_index, arr(10, F64, layout), t)


# =========================================================================== ufuncs


def u_sin(x):
    return np.sin(x)


def u_cos(x):
    return np.cos(x)


def u_tan(x):
    return np.tan(x)


def u_exp(x):
    return np.exp(x)


def u_log(x):
    return np.log(x)


def u_sqrt(x):
    return np.sqrt(x)


def u_abs(x):
    return np.abs(x)


def u_floor(x):
    return np.floor(x)


def u_ceil(x):
    return np.ceil(x)


def u_power(x, y):
    return np.power(x, y)


def u_minimum(x, y):
    return np.minimum(x, y)


def u_maximum(x, y):
    return np.maximum(x, y)


def u_where(c, x, y):
    return np.where(c, x, y)


def where_threshold(x, t):
    return np.where(x > t, x, 0.0)


def where_scalars(a, b):
    t = np.where(a > b, a, b)
    return t + 1.0


def ufunc_combo(x):
    return np.sqrt(np.abs(np.sin(x)) + 1.0) * np.exp(-x * x) + np.maximum(x, 0.25)


FLOAT_INPUTS = [
    P(arr(33, F64, low=0.1, high=3.0), id="f64"),
    P(arr(33, F32, low=0.1, high=3.0), id="f32"),
    P(arr((5, 6), F64, "F", low=0.1, high=3.0), id="f64-2d-F"),
    P(arr(33, F64, "strided", low=0.1, high=3.0), id="f64-strided"),
    P(arr(33, F64, "reversed", low=0.1, high=3.0), id="f64-reversed"),
    P(arr(33, I64, low=1, high=20), id="i64"),
    P(arr(33, I32, low=1, high=20), id="i32"),
    P(2.75, id="float"),
    P(np.float32(0.5), id="np.float32"),
    P(3, id="int"),
]


@pytest.mark.parametrize("x", FLOAT_INPUTS)
@pytest.mark.parametrize(
    "fn", [u_sin, u_cos, u_tan, u_exp, u_log, u_sqrt], ids=lambda f: f.__name__
)
def test_float_ufuncs(fn, x):
    check(fn, x)


@pytest.mark.parametrize(
    "x",
    [
        P(arr(33, F64, low=-5.0, high=5.0), id="f64"),
        P(arr(33, F32, "strided", low=-5.0, high=5.0), id="f32-strided"),
        P(arr((4, 5), F64, "F", low=-5.0, high=5.0), id="f64-2d-F"),
        P(-2.5, id="float"),
        P(np.float32(-0.5), id="np.float32"),
        P(7.0, id="float-integral"),
    ],
)
@pytest.mark.parametrize("fn", [u_floor, u_ceil, u_abs], ids=lambda f: f.__name__)
def test_rounding_ufuncs(fn, x):
    check(fn, x)


@pytest.mark.parametrize(
    "x",
    [
        P(arr(20, I64, low=-9, high=9), id="i64"),
        P(arr(20, I32, low=-9, high=9), id="i32"),
        P(arr(20, C128), id="c128"),
        P(-7, id="int"),
        P(3 - 4j, id="complex"),
    ],
)
def test_abs_int_and_complex(x):
    check(u_abs, x)


def test_complex_ufuncs_on_arrays():
    z = arr(20, C128, "strided")
    check(u_exp, z)
    check(u_sqrt, z)
    check(u_sin, z)


@pytest.mark.parametrize(
    "x, y",
    [
        P(arr(20, F64, low=0.0, high=2.0), arr(20, F64, seed=1), id="arrays"),
        P(arr(20, F64, "strided", low=0.0, high=2.0), 3, id="array-int"),
        P(arr(20, F32, low=0.0, high=2.0), 0.5, id="f32-float"),
        P(arr(20, I64, low=0, high=5), 3, id="i64-int"),
        P(2.0, arr(20, F64, "reversed"), id="float-array"),
        P(1.5, -2.0, id="scalars"),
        P(3, 4, id="ints"),
    ],
)
def test_power_ufunc(x, y):
    check(u_power, x, y)


NAN_ARRAY = np.array([1.0, np.nan, -2.0, 0.5, np.inf, -np.inf])


@pytest.mark.parametrize(
    "x, y",
    [
        P(arr(20, F64), arr(20, F64, seed=1), id="arrays"),
        P(arr((4, 5), F32, "F"), arr((4, 5), F32, "C", seed=1), id="f32-2d"),
        P(arr(20, I64, low=-9, high=9), 0, id="i64-int"),
        P(arr(20, F64, "strided"), 0.25, id="array-float"),
        P(NAN_ARRAY, 0.0, id="nan"),
        P(NAN_ARRAY, NAN_ARRAY[::-1].copy(), id="nan-both"),
        P(1.5, -2.0, id="scalars"),
        P(3, 4.5, id="int-float"),
        P(float("nan"), 1.0, id="nan-scalar"),
    ],
)
@pytest.mark.parametrize("fn", [u_minimum, u_maximum], ids=lambda f: f.__name__)
def test_minimum_maximum(fn, x, y):
    check(fn, x, y)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_where(layout):
    x, y = arr(25, F64, layout), arr(25, F64, layout, seed=1)
    check(u_where, x > y, x, y)
    check(u_where, arr(25, BOOL, layout), x, -1.0)
    check(u_where, arr(25, BOOL), arr(25, I32, low=0, high=9), arr(25, I32, low=0, high=9, seed=2))
    check(where_threshold, x, 0.1)
    check(where_threshold, arr((5, 5), F32, layout), 0.1)


def test_where_on_scalars():
    check(where_scalars, 2.0, 3.0)
    check(where_scalars, 5, 3)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_ufunc_expression(layout):
    check(ufunc_combo, arr(50, F64, layout))
    check(ufunc_combo, arr((7, 8), F32, layout))
    check(ufunc_combo, 0.3)


# =========================================================================== reductions


def r_sum(x):
    return np.sum(x)


def r_min(x):
    return np.min(x)


def r_max(x):
    return np.max(x)


def r_mean(x):
    return np.mean(x)


def r_prod(x):
    return np.prod(x)


def m_sum(x):
    return x.sum()


def m_min(x):
    return x.min()


def m_max(x):
    return x.max()


def m_mean(x):
    return x.mean()


def m_prod(x):
    return x.prod()


def standardize(x):
    return (x - x.mean()) / (x.max() - x.min())


def l2_norm(x):
    return np.sqrt(np.sum(x * x))


def min_max_mean(x):
    return x.min(), x.max(), np.mean(x) + np.max(x)


REDUCTIONS = [r_sum, r_min, r_max, r_mean, r_prod, m_sum, m_min, m_max, m_mean, m_prod]


def _reduction_data(dtype, shape, layout):
    if dtype in (F64, F32, C128):
        # Factors near 1 keep products finite and sums free of cancellation.
        return arr(shape, dtype, layout, 0.5, 1.5)
    return arr(shape, dtype, layout, -3, 3)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1,), (40,), (6, 7), (3, 4, 5)], ids=lambda s: f"{len(s)}d")
@pytest.mark.parametrize("dtype", [F64, F32, I64, I32, BOOL], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("fn", REDUCTIONS, ids=lambda f: f.__name__)
def test_reductions(fn, dtype, shape, layout):
    check(fn, _reduction_data(dtype, shape, layout))


@pytest.mark.parametrize(
    "fn", [r_sum, r_mean, r_prod, m_sum, m_mean, m_prod], ids=lambda f: f.__name__
)
def test_complex_reductions(fn):
    check(fn, arr(30, C128, "strided", 0.5, 1.5))


@pytest.mark.parametrize("fn", REDUCTIONS, ids=lambda f: f.__name__)
def test_reductions_0d(fn):
    check(fn, np.array(2.5))
    check(fn, np.array(7, dtype=I32))


@pytest.mark.parametrize("fn", [r_min, r_max, m_min, m_max, r_sum], ids=lambda f: f.__name__)
def test_reductions_propagate_nan(fn):
    check(fn, np.array([1.0, 2.0, np.nan, -1.0]))
    check(fn, np.array([np.nan, 2.0, 1.0], dtype=F32))
    check(fn, np.array([1.0, np.inf, -5.0]))


def test_reductions_empty():
    for fn in (r_sum, r_prod, m_sum, m_prod, r_mean):
        check(fn, np.zeros(0))
        check(fn, np.zeros((3, 0), dtype=I64))
    for fn in (r_min, r_max, m_min, m_max):
        check_raises(fn, np.zeros(0), exc=ValueError)


@pytest.mark.parametrize("fn", [r_sum, r_mean, m_sum], ids=lambda f: f.__name__)
def test_large_float32_reductions_are_accurate(fn):
    # Adding 0.1f a million times one by one gives 100958.34 (1% off); NumPy's pairwise
    # summation gives 100000.01.
    check(fn, np.full(10**6, 0.1, dtype=F32))
    check(fn, np.full(2 * 10**6, 0.1, dtype=F32)[::2])
    check(fn, arr(10**6, F32, "reversed", 0.0, 1.0))


def test_integer_reductions_wrap():
    check(r_prod, np.arange(1, 30))
    check(r_sum, np.array([2**62, 2**62, 2**62], dtype=I64))
    check(r_sum, np.array([2**30, 2**30, 2**30], dtype=I32))  # int32 sums accumulate in int64


@pytest.mark.parametrize("layout", LAYOUTS)
def test_reductions_in_expressions(layout):
    check(standardize, arr(40, F64, layout))
    check(standardize, arr((5, 8), F32, layout))
    check(l2_norm, arr(40, F64, layout))
    check(min_max_mean, arr((4, 5), F64, layout))
    check(min_max_mean, arr(9, I64, layout, -9, 9))


# =========================================================================== array creation


def c_zeros(n):
    return (
        np.zeros(n),
        np.zeros((n, 3)),
        np.zeros(n, dtype=np.float32),
        np.zeros((2, n), dtype=np.int64),
        np.zeros((n,)),
    )


def c_ones(n):
    return np.ones(n), np.ones((n, 2), dtype=np.int32), np.ones(n, dtype=np.complex128)


def c_empty(n):
    a = np.empty(n)
    a[:] = 3.0
    b = np.empty((n, 2), dtype=np.float32)
    b[:, :] = 1.5
    return a, b


def c_full(n):
    return (
        np.full(n, 2.5),
        np.full((2, n), 7),
        np.full(n, 3, dtype=np.int32),
        np.full(n, True),
        np.full((n, 2), 2.5, dtype=np.float32),
    )


def c_like(x):
    return np.zeros_like(x), np.ones_like(x), np.full_like(x, 2), np.zeros_like(x, dtype=np.float32)


def c_empty_like(x):
    y = np.empty_like(x)
    y[:] = x * 2
    return y


def c_arange1(n):
    return np.arange(n)


def c_arange2(a, b):
    return np.arange(a, b)


def c_arange3(a, b, s):
    return np.arange(a, b, s)


def arange_expr(x):
    return np.arange(len(x)) * 2.0 + x


def zeros_from_shape(a):
    b = np.zeros(a.shape)
    b[1:-1, 1:-1] = a[1:-1, 1:-1]
    return b


def accumulate_into_new(x):
    out = np.zeros(len(x) - 1, dtype=np.float32)
    for i in range(len(out)):
        out[i] = x[i + 1] - x[i]
    return out


@pytest.mark.parametrize("n", [0, 1, 6])
def test_creation(n):
    check(c_zeros, n)
    check(c_ones, n)
    check(c_empty, n)
    check(c_full, n)
    check(c_arange1, n)


@pytest.mark.parametrize(
    "x",
    [
        P(arr(7, F64), id="f64"),
        P(arr((3, 4), F32, "F"), id="f32-2d-F"),
        P(arr(9, I32, "strided", -9, 9), id="i32-strided"),
        P(arr(5, C128, "reversed"), id="c128-reversed"),
        P(arr(6, BOOL), id="bool"),
    ],
)
def test_like_creation(x):
    check(c_like, x)
    check(c_empty_like, x)


@pytest.mark.parametrize(
    "args",
    [
        P((2, 9), id="2,9"),
        P((-5, 5), id="-5,5"),
        P((5, 2), id="empty"),
        P((0.5, 4), id="float-start"),
        P((2, 9, 3), id="step3"),
        P((10, 0, -3), id="negstep"),
        P((0.0, 1.0, 0.25), id="float-step"),
        P((3, -3, -1), id="down"),
    ],
)
def test_arange(args):
    check(c_arange2 if len(args) == 2 else c_arange3, *args)


def test_creation_in_expressions():
    check(arange_expr, arr(10))
    check(arange_expr, arr(10, F32, "strided"))
    check(zeros_from_shape, arr((5, 6), F64, "F"))
    check(accumulate_into_new, arr(8, F64, "reversed"))


# =========================================================================== runtime checks


def assign_plus_one(x, y):
    y[:] = x + 1


def read_at(x, i):
    return x[i]


def read_at_2d(a, i, j):
    return a[i, j]


def write_at(x, i, v):
    x[i] = v


def loop_past_end(x):
    s = 0.0
    for i in range(len(x) + 1):
        s += x[i]
    return s


def _get(x, i):
    return x[i]


def read_in_helper(x, i):
    return _get(x, i)


def unpack_two(a):
    n, m = a.shape
    return n + m


def test_shape_mismatch_is_value_error():
    check_raises(assign_plus_one, arr(5), arr(6), exc=ValueError)
    check_raises(assign_plus_one, arr((3, 4)), arr((4, 3)), exc=ValueError)
    check_raises(stencil, arr(10), arr(9), exc=ValueError)
    check_raises(iadd, arr(4), arr(5), exc=ValueError)
    check_raises(stencil2d, arr((5, 6)), arr((6, 5)), exc=ValueError)
    check_raises(unpack_two, arr((2, 3, 4)), exc=ValueError)  # too many values to unpack
    # ...and the matching shapes still work.
    check(assign_plus_one, arr(5), arr(5, seed=1))


def test_out_of_bounds_is_index_error():
    x = arr(5)
    check_raises(read_at, x, 5, exc=IndexError)
    check_raises(read_at, x, -6, exc=IndexError)
    check_raises(read_at, arr(5, layout="strided"), 100, exc=IndexError)
    check_raises(read_at_2d, arr((3, 4)), 1, 4, exc=IndexError)
    check_raises(read_at_2d, arr((3, 4)), -4, 0, exc=IndexError)
    check_raises(write_at, arr(5), 7, 1.0, exc=IndexError)
    check_raises(loop_past_end, arr(8), exc=IndexError)
    check_raises(read_in_helper, arr(4), 4, exc=IndexError)
    check(read_in_helper, arr(4), -4)
    for i in (0, 4, -1, -5):
        check(read_at, x, i)


def _readonly(a):
    a.flags.writeable = False
    return a


def test_read_only_output_is_value_error():
    check_raises(poly, arr(5), _readonly(arr(5)), 1.0, exc=ValueError)
    check_raises(write_at, _readonly(arr(5)), 1, 2.0, exc=ValueError)
    check_raises(iadd, _readonly(arr(5)), arr(5), exc=ValueError)
    # A read-only array is fine where it is only read.
    check(poly, _readonly(arr(5)), arr(5), 1.0)
    check(r_sum, _readonly(arr(5)))


def test_boundscheck_false_in_bounds():
    x = arr(10)
    for i in (0, 9, -1, -10):
        check(read_at, x, i, options={"boundscheck": False})
    check(stencil, arr(30), arr(30, seed=1), options={"boundscheck": False})
    check(matmul, arr((4, 3)), arr((3, 5)), options={"boundscheck": False})


# --------------------------------------------------------------------------- extents of 1


def _poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


@pytest.mark.parametrize(
    "xs, ys",
    [((1,), (1,)), ((1,), (6,)), ((6,), (6,)), ((1, 1), (1, 1)), ((1, 4), (3, 4)), ((3, 1), (3, 4))],
)
def test_unit_extents_get_their_own_signature(xs, ys):
    """Arrays with an extent of 1 are a signature of their own, the only kind compiled with
    run-time stretching, entered only when extents differ: NumPy's results either way."""
    x = np.linspace(-1.0, 1.0, int(np.prod(xs))).reshape(xs)
    y = np.zeros(ys)
    check(_poly, x, y, 0.5)
