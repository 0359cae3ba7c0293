"""Conformance cases of np.random (docs/supported.md; the bit-for-bit tests are test_random.py).

CPython and the jitted function draw different numbers here (each run advances NumPy's one
state), so the cases return what holds for every draw: ranges, shapes, dtypes, and NumPy's errors.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)


@cases.add("np.random", (5,), (0,))
def uniform_ranges(n):
    a = np.random.random(n)
    b = np.random.rand(n, 2)
    c = np.random.uniform(-2.0, 3.0, size=(n,))
    d = np.random.random()
    return (bool(np.all((a >= 0) & (a < 1))), b.shape, bool(np.all((c >= -2) & (c < 3))),
            0.0 <= d < 1.0, np.random.random_sample((2, n)).shape)


@cases.add("np.random", (np.inf,), raises=OverflowError, match=True)
def uniform_range_overflow(hi):
    return np.random.uniform(0.0, hi)


@cases.add("np.random-normal", (4,))
def normal_shapes(n):
    a = np.random.randn(n, 3)
    b = np.random.normal(1.0, 0.0, n)
    return a.shape, bool(np.all(np.isfinite(a))), bool(np.all(b == 1.0)), np.random.standard_normal((n,)).shape


@cases.add("np.random-normal", (-1.0,), (-0.0,), raises=ValueError, match=True)
def normal_negative_scale(s):
    return np.random.normal(0.0, s)


@cases.add("np.random-exponential", (6,))
def exponential_positive(n):
    a = np.random.exponential(2.0, n)
    return bool(np.all(a >= 0)), np.random.standard_exponential() >= 0.0


@cases.add("np.random-exponential", (-1.0,), raises=ValueError, match=True)
def exponential_negative_scale(s):
    return np.random.exponential(s)


@cases.add("np.random-randint", (10,), (1,))
def randint_ranges(n):
    a = np.random.randint(n, size=50)
    b = np.random.randint(-3, 3, (2, 5))
    return bool(np.all((a >= 0) & (a < n))), bool(np.all((b >= -3) & (b < 3))), np.random.randint(n, n + 1)


@cases.add("np.random-randint", (3,), raises=ValueError, match=True)
def randint_empty(n):
    return np.random.randint(n, n - 1)


test_conformance = cases.test()
