"""np.exp of float64 arrays: sejit's vectorised kernel against NumPy's own accuracy.

NumPy's exp loop is SIMD code that is not bit-identical to the C library's exp (which CPython's
math.exp calls, and which is correctly rounded but in rare cases); sejit's np.exp kernel is another
such loop. The reference for both is math.exp: sejit must be as close to it as NumPy is (at most
1 ulp) on inputs across the whole range, and exactly NumPy's on the special values. math.exp in
compiled code stays the C library's, bit for bit.
"""

import math

import numpy as np

import sejit


def _inputs():
    rng = np.random.default_rng(11)
    parts = [
        rng.uniform(-746.0, 710.0, 400_000),
        rng.uniform(-1.0, 1.0, 200_000),
        rng.standard_normal(200_000) * 0.2,
        rng.uniform(-745.2, -707.0, 100_000),  # subnormal results
        rng.uniform(700.0, 709.8, 50_000),  # near overflow
        -np.abs(np.frombuffer(rng.bytes(8 * 100_000), dtype=np.float64)),  # any bits, subnormal inputs
        np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 709.782712893384, 709.7827128933841,
                  -745.1332191019411, -745.1332191019412, -708.3964185322641, 5e-324, -5e-324,
                  2.2250738585072014e-308, 1e-300, -1e-300, 1.0, -1.0, 0.5, 1e-17, 710.0, -800.0,
                  math.log(2.0), -math.log(2.0) / 2, math.log(2.0) / 2]),
    ]
    return np.concatenate(parts)


def _ulps(a, b):
    ia = a.view(np.int64)
    ib = b.view(np.int64)
    ia = np.where(ia < 0, np.int64(-(2**63)) - ia, ia)
    ib = np.where(ib < 0, np.int64(-(2**63)) - ib, ib)
    d = np.abs(ia - ib)
    d[(a == b) | (np.isnan(a) & np.isnan(b))] = 0
    return d


def _array_exp(x):
    return np.exp(x)


def _loop_math_exp(x):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = math.exp(x[i])
    return out


def test_np_exp_as_accurate_as_numpy():
    x = _inputs()
    x = x[~(np.isfinite(x) & (x > 709.78))]  # math.exp raises OverflowError there
    with np.errstate(over="ignore", under="ignore"):
        ref = np.array([math.exp(v) for v in x])
        mine = sejit.jit(_array_exp)(x)
        npy = np.exp(x)
    d_mine, d_npy = _ulps(mine, ref), _ulps(npy, ref)
    assert d_mine.max() <= max(1, d_npy.max()), x[np.argmax(d_mine)]
    assert np.array_equal(np.isnan(mine), np.isnan(npy))
    assert np.array_equal(np.isinf(mine), np.isinf(npy))


def test_np_exp_special_values_and_overflow():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 710.0, 1e308, -800.0, -1e308])
    with np.errstate(over="ignore", under="ignore"):
        mine = sejit.jit(_array_exp)(x)
        npy = np.exp(x)
    assert np.array_equal(mine, npy, equal_nan=True)


def test_math_exp_stays_the_c_librarys():
    x = np.random.default_rng(3).uniform(-700.0, 700.0, 100_000)
    ref = np.array([math.exp(v) for v in x])
    assert np.array_equal(sejit.jit(_loop_math_exp)(x), ref)
