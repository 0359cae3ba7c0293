"""Inclusive prefix sums three ways: a sequential loop, the Hillis-Steele doubling scan with
slices, and np.cumsum, compared with each other."""
import numpy as np

GROUP = "numpy"
NUMPY = False
SIZES = (1000, 2000000)
RTOL = 1e-9


def prefix_scan(x):
    n = x.shape[0]
    seq = np.empty_like(x)
    acc = 0.0
    for i in range(n):
        acc += x[i]
        seq[i] = acc
    hs = x.copy()
    step = 1
    while step < n:
        prev = hs.copy()
        hs[step:] = prev[step:] + prev[:-step]
        step *= 2
    cs = np.cumsum(x)
    return seq, hs, cs, np.max(np.abs(hs - cs)) < 1e-6 * n


ENTRY = prefix_scan


def make_args(n):
    rng = np.random.default_rng(189)
    return (rng.random(n),)
