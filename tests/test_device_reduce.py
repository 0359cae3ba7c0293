"""Reductions on the device (issue 11): inside jitted functions (work-group trees with a
combining pass, clgen/reduce.go; one work-item per output element along an axis) and on
DeviceArrays with axis=, keepdims and argmin/argmax (generated kernels jitted for the device).
Every result is compared with NumPy, and with the CPU target where the two may differ only by
rounding; every error with what the CPU target raises for the same call on NumPy arrays.
"""

import warnings

import numpy as np
import pytest

import sejit
from sejit import jit, prange

from conftest import cpu_device_or_skip, needs_engine

_CTX = cpu_device_or_skip()

pytestmark = needs_engine

_RNG = np.random.default_rng(11)


@pytest.fixture(scope="module")
def ctx():
    return _CTX


def _data(shape, dtype):
    if np.dtype(dtype) == np.bool_:
        return _RNG.random(shape) < 0.7
    if np.dtype(dtype).kind in "iu":
        return _RNG.integers(1, 9, shape).astype(dtype)
    return (_RNG.random(shape) * 4 - 1).astype(dtype)


def _close(got, want, n=1):
    """NumPy's pairwise sum and the device's trees round differently: a float result may differ
    by a few ulps times log2 of the count, ints and bools not at all."""
    want = np.asarray(want)
    if want.dtype.kind in "fc":
        rtol = (1e-5 if want.dtype == np.float32 else 1e-12) * max(1, np.log2(max(n, 2)))
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
    else:
        np.testing.assert_array_equal(got, want)


def r_sum(a):
    return a.sum()


def r_prod(a):
    return np.prod(a)


def r_min(a):
    return a.min()


def r_max(a):
    return np.max(a)


def r_mean(a):
    return a.mean()


def r_any(a):
    return a.any()


def r_all(a):
    return np.all(a)


def r_argmin(a):
    return a.argmin()


def r_argmax(a):
    return np.argmax(a)


_WHOLE = {"sum": r_sum, "prod": r_prod, "min": r_min, "max": r_max, "mean": r_mean,
          "any": r_any, "all": r_all, "argmin": r_argmin, "argmax": r_argmax}


# prod and mean of booleans are not among the reductions sejit compiles (on any target).
_WHOLE_CASES = [(name, dtype) for name in sorted(_WHOLE)
                for dtype in (np.float64, np.float32, np.int32, np.uint8, np.bool_)
                if not (dtype == np.bool_ and name in ("prod", "mean"))]


@pytest.mark.parametrize("name, dtype", _WHOLE_CASES)
def test_whole_array(ctx, name, dtype):
    h = _data(9000, dtype)  # more than one work-group block: the combining pass runs
    if name == "prod":
        h = _data(40, dtype)
    f = _WHOLE[name]
    got = jit(f)(ctx.asarray(h))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = f(h)
    _close(got, want, h.size)
    assert type(got) is type(jit(f)(h))  # the same Python type as the CPU target's


@pytest.mark.parametrize("name", ["sum", "min", "max", "argmin", "argmax", "any", "all", "mean"])
@pytest.mark.parametrize("shape", [(1,), (2,), (4097,), (70, 300)])
def test_shapes(ctx, name, shape):
    h = _data(shape, np.float64)
    f = _WHOLE[name]
    _close(jit(f)(ctx.asarray(h)), f(h), h.size)


@pytest.mark.parametrize("name", ["sum", "max", "argmin", "argmax", "all"])
def test_views(ctx, name):
    h = _data((40, 60), np.float64)
    d = ctx.asarray(h)
    f = _WHOLE[name]
    for hv, dv in ((h[::3], d[::3]), (h[:, ::-2], d[:, ::-2]), (h.T, d.T), (h[5, 1:50], d[5, 1:50])):
        _close(jit(f)(dv), f(hv), hv.size)


def test_ties_and_nan(ctx):
    # The first of equal candidates, and NaN wins: NumPy's argmin/argmax and min/max.
    h = np.zeros(10000)
    h[[17, 4000, 9000]] = -1.0
    h[[33, 5000]] = 2.0
    d = ctx.asarray(h)
    assert jit(r_argmin)(d) == np.argmin(h) and jit(r_argmax)(d) == np.argmax(h)
    h[6000] = h[7000] = np.nan
    d = ctx.asarray(h)
    assert jit(r_argmin)(d) == 6000 == np.argmin(h)
    assert np.isnan(jit(r_max)(d)) and np.isnan(jit(r_min)(d))


def test_empty(ctx):
    e = ctx.zeros(0)
    assert jit(r_sum)(e) == np.sum(np.zeros(0)) and jit(r_prod)(e) == np.prod(np.zeros(0))
    for f in (r_all, r_any):  # NumPy's own result: np.True_, np.False_
        got, want = jit(f)(e), f(np.zeros(0))
        assert got == want and type(got) is type(want)
    for f in (r_min, r_max, r_argmin, r_argmax):
        with pytest.raises(ValueError) as cpu:
            jit(f)(np.zeros(0))
        with pytest.raises(ValueError) as dev:
            jit(f)(e)
        assert str(dev.value) == str(cpu.value)


def dot_max(a, b):
    return np.max(a * b), np.dot(a, b), np.sum(a * b + 1.0)


def test_expressions(ctx):
    a, b = _data(5000, np.float64), _data(5000, np.float64)
    got = jit(dot_max)(ctx.asarray(a), ctx.asarray(b))
    want = (np.max(a * b), np.dot(a, b), np.sum(a * b + 1.0))
    for g, w in zip(got, want):
        _close(g, w, 5000)


def prange_sum(a):
    s = 0.0
    c = 0
    for i in prange(a.shape[0]):
        s += a[i] * 2.0
        c += 1
    return s, c


def loop_prod_sub(a):
    p = 1
    t = 100
    for i in range(a.shape[0]):
        p *= a[i]
        t -= a[i]
    return p, t


def test_loops(ctx):
    a = _data(10001, np.float64)
    s, c = jit(prange_sum)(ctx.asarray(a))
    _close(s, np.sum(a * 2.0), a.size)
    assert c == a.size
    i = _data(30, np.int64) % 3 + 1
    assert jit(loop_prod_sub)(ctx.asarray(i)) == loop_prod_sub(i)


def test_float32_sum_accuracy(ctx):
    # float32 sums accumulate in float64, in serial runs of 16 and pairwise trees: closer to
    # the exact sum than NumPy's float32 pairwise sum's bound.
    h = _RNG.random(1_000_003).astype(np.float32)
    got = jit(r_sum)(ctx.asarray(h))
    exact = np.sum(h.astype(np.float64))
    assert abs(got - exact) <= 1e-6 * exact
    assert abs(got - np.sum(h)) <= 2e-6 * exact


def check_sum(a, i):
    s = 0.0
    for k in range(a.shape[0]):
        s += a[k + i]
    return s


def test_bounds_error_in_a_reduction(ctx):
    # A check inside a reduction kernel records the error and leaves the work-item's loop; the
    # host raises what the CPU raises.
    a = np.arange(5000.0)
    with pytest.raises(IndexError) as cpu:
        jit(check_sum)(a, 1)
    with pytest.raises(IndexError) as dev:
        jit(check_sum)(ctx.asarray(a), 1)
    assert str(dev.value) == str(cpu.value)
    _close(jit(check_sum)(ctx.asarray(a), 0), a.sum())


def axis0(a):
    return a.sum(axis=0)


def axis1_max(a):
    return a.max(axis=1)


def argmin0(a):
    return np.argmin(a, axis=0)


def mean_keep(a):
    return np.mean(a, axis=-1, keepdims=True)


def any1(a):
    return np.any(a > 0.5, axis=1)


@pytest.mark.parametrize("f", [axis0, axis1_max, argmin0, mean_keep, any1])
@pytest.mark.parametrize("shape", [(6, 5), (6, 11), (1, 9), (7, 1), (0, 4)])
def test_axis_in_jit(ctx, f, shape):
    h = _data(shape, np.float64)
    try:
        want = f(h)
    except ValueError as exc:
        with pytest.raises(ValueError, match=str(exc)[:20]):
            jit(f)(ctx.asarray(h))
        return
    got = jit(f)(ctx.asarray(h))
    assert isinstance(got, sejit.DeviceArray)
    assert got.dtype == want.dtype and got.shape == want.shape
    _close(got.get(), want, max(shape))


_NAMES = ["sum", "prod", "min", "max", "mean", "all", "any"]


@pytest.mark.parametrize("name", _NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8, np.bool_])
def test_device_array_axis(ctx, name, dtype):
    h = _data((4, 6, 3), dtype)
    d = ctx.asarray(h)
    for axis, keep in ((0, False), (1, True), (-1, False), ((0, 2), False), ((0, 1, 2), True)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = getattr(np, name)(h, axis=axis, keepdims=keep)
        got = getattr(d, name)(axis=axis, keepdims=keep)
        assert isinstance(got, sejit.DeviceArray)
        assert got.dtype == want.dtype and got.shape == want.shape  # NEP 50 dtypes
        _close(got.get(), want, h.size)


@pytest.mark.parametrize("name", ["argmin", "argmax"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_device_array_arg(ctx, name, axis):
    h = _data((5, 8), np.int64)
    d = ctx.asarray(h)
    want = getattr(np, name)(h, axis=axis)
    for got in (getattr(d, name)(axis=axis), getattr(ctx, name)(d, axis=axis),
                getattr(np, name)(d, axis=axis)):
        if axis is None:
            assert type(got) is type(want) and got == want
        else:
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got.get(), want)


def test_device_array_axis_forms(ctx):
    h = _data((3, 4), np.float64)
    d = ctx.asarray(h)
    _close(ctx.max(d, axis=0).get(), h.max(axis=0))
    _close(np.add.reduce(d, axis=1).get(), np.add.reduce(h, axis=1))
    _close(np.add.reduce(d).get(), np.add.reduce(h))  # ufunc.reduce: axis 0 by default
    _close(d[:, ::2].sum(axis=1).get(), h[:, ::2].sum(axis=1))  # a non-contiguous view
    r = d.sum(axis=(0, 1))
    assert type(r) is np.float64 and np.isclose(r, h.sum())
    with pytest.raises(np.exceptions.AxisError):
        d.sum(axis=2)
    with pytest.raises(ValueError, match="zero-size"):
        ctx.zeros((0, 3)).max(axis=0)
    np.testing.assert_array_equal(ctx.zeros((0, 3)).sum(axis=0).get(), np.zeros(3))


@pytest.mark.parametrize("gpu", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.uint8, np.bool_])
def test_device_array_whole_reductions_both_shapes(ctx, monkeypatch, gpu, dtype):
    # A CPU device runs DeviceArray's whole-array reductions through sejit.reduce's rows, a
    # GPU through the OpenCL C template's trees: both, here on PoCL (taken for a GPU).
    if gpu:
        monkeypatch.setattr(ctx.info, "cpu_like", False)
    for n in (1, 4097, 70_001):
        h = _data(n, dtype)
        d = ctx.asarray(h)
        for name in ("sum", "min", "max", "all", "any", "mean"):
            if dtype == np.bool_ and name == "mean":
                continue
            got, want = getattr(d, name)(), getattr(h, name)()
            assert type(got) is type(want), (name, n)
            _close(got, want, n)
        got, want = ctx.asarray(h[:30]).prod(), h[:30].prod()
        assert type(got) is type(want)
        _close(got, want, 30)
    hn = np.array([1.0, np.nan, -3.0] * 3000)
    assert np.isnan(ctx.asarray(hn).min()) and np.isnan(ctx.asarray(hn).max())
