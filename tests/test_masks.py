"""Masks without waste (issue 15): logical ufuncs of comparisons compile without branches, and
must keep NumPy's values for every operand kind (NaN is true, like any non-zero)."""
import numpy as np
import pytest

import sejit


def land(a, b, c, d):
    return np.logical_and(a < b, c < d)


def lor(a, b, c, d):
    return np.logical_or(a < b, c < d)


def lxor(a, b, c, d):
    return np.logical_xor(a < b, c < d)


def land_raw(x, y):
    return np.logical_and(x, y)


def lor_raw(x, y):
    return np.logical_or(x, y)


def count_both(a, b, c, d):
    return np.logical_and(a < b, c < d).sum()


@pytest.mark.parametrize("fn", [land, lor, lxor, count_both])
@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_logical_of_comparisons(fn, n):
    rng = np.random.default_rng(n)
    a, b, c, d = (rng.random(n) for _ in range(4))
    got = sejit.jit(fn)(a, b, c, d)
    np.testing.assert_array_equal(got, fn(a, b, c, d))


@pytest.mark.parametrize("fn", [land, lor, lxor])
def test_logical_broadcast_and_scalars(fn):
    a = np.linspace(0, 1, 12).reshape(3, 4)
    b = np.array([0.2, 0.5, 0.7, 0.9])
    np.testing.assert_array_equal(sejit.jit(fn)(a, b, a.T[:, :3].T, 0.5), fn(a, b, a.T[:, :3].T, 0.5))


@pytest.mark.parametrize("fn", [land_raw, lor_raw])
@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.int8, np.bool_])
def test_logical_of_values(fn, dtype):
    x = np.array([0, 1, 2, 0, 3, 0], dtype=dtype)
    y = np.array([0, 0, 5, 4, 1, 0], dtype=dtype)
    if dtype == np.float64:
        x[3], y[5] = np.nan, np.nan
    np.testing.assert_array_equal(sejit.jit(fn)(x, y), fn(x, y))
    np.testing.assert_array_equal(sejit.jit(fn)(x, 0), fn(x, 0))
    np.testing.assert_array_equal(sejit.jit(fn)(x, 2), fn(x, 2))


def all_false(x):
    return np.logical_and(x < 0, x > 1)


def all_true(x):
    return np.logical_or(x >= 0, x > 1)


@pytest.mark.parametrize("fn", [all_false, all_true])
def test_logical_all_false_all_true(fn):
    x = np.linspace(0, 1, 50)
    np.testing.assert_array_equal(sejit.jit(fn)(x), fn(x))


def count_inside(x, y):
    return np.count_nonzero(x * x + y * y <= 1.0)


def count_raw(x):
    return np.count_nonzero(x)


def count_sum(x, lo):
    return (x > lo).sum()


@pytest.mark.parametrize("n", [0, 1, 9, 1000])
def test_count_nonzero_of_comparison(n):
    rng = np.random.default_rng(n)
    x, y = rng.random(n), rng.random(n)
    got = sejit.jit(count_inside)(x, y)
    assert got == count_inside(x, y)
    assert int(got) == got


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.uint8, np.bool_])
def test_count_nonzero_of_values(dtype):
    x = np.array([0, 1, 2, 0, 3, 0, 1], dtype=dtype)
    if np.dtype(dtype).kind == "f":
        x[1], x[3] = np.nan, -0.0   # NaN counts, -0.0 does not
    for v in (x, x[::-1], x[::2], x[:0], x.reshape(1, 7), np.zeros(5, dtype), np.ones(5, dtype)):
        assert sejit.jit(count_raw)(v) == np.count_nonzero(v)


def test_count_nonzero_2d_noncontiguous():
    a = np.arange(60.0).reshape(6, 10) % 3
    for v in (a, a.T, a[::2, 1::3]):
        assert sejit.jit(count_raw)(v) == np.count_nonzero(v)
        assert sejit.jit(count_sum)(v, 0.5) == count_sum(v, 0.5)
