"""For each query, the insertion point in a sorted array by hand-written bisection
(the same as np.searchsorted(side='left'))."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (200, 2000000)


def bisect_left(a, x):
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def binary_search(sorted_vals, queries):
    out = np.empty(len(queries), dtype=np.int64)
    for i, q in enumerate(queries):
        out[i] = bisect_left(sorted_vals, q)
    return out


ENTRY = binary_search


def make_args(n):
    rng = np.random.default_rng(143)
    return (np.sort(rng.random(n)), rng.random(n) * 1.1 - 0.05)
