"""Cumulative trapezoidal integral of samples on a non-uniform grid."""
import numpy as np

GROUP = "numpy"
NUMPY = True
SIZES = (1000, 5000000)


def cumtrapz(y, x):
    dx = np.diff(x)
    avg = (y[1:] + y[:-1]) / 2.0
    res = np.empty_like(y)
    res[0] = 0.0
    res[1:] = np.cumsum(avg * dx)
    return res


ENTRY = cumtrapz


def make_args(n):
    rng = np.random.default_rng(111)
    x = np.sort(rng.random(n)) * 10.0
    return (np.sin(x) * np.exp(-0.1 * x), x)
