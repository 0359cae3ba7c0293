"""In-place quicksort of an array (Lomuto partition), recursive on index ranges."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (100, 2000000)


def partition(a, lo, hi):
    pivot = a[hi]
    i = lo
    for j in range(lo, hi):
        if a[j] < pivot:
            a[i], a[j] = a[j], a[i]
            i += 1
    a[i], a[hi] = a[hi], a[i]
    return i


def qsort(a, lo, hi):
    while lo < hi:
        p = partition(a, lo, hi)
        if p - lo < hi - p:
            qsort(a, lo, p - 1)
            lo = p + 1
        else:
            qsort(a, p + 1, hi)
            hi = p - 1


def quicksort_inplace(a):
    qsort(a, 0, len(a) - 1)


ENTRY = quicksort_inplace
OUTPUTS = (0,)


def make_args(n):
    rng = np.random.default_rng(132)
    return (rng.random(n),)
