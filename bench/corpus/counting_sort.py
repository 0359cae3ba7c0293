"""Stable counting sort of small non-negative integer keys, returning the sorted keys and the
permutation (what np.argsort(kind='stable') gives)."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (500, 5000000)


def counting_sort(keys, kmax):
    counts = np.zeros(kmax + 1, dtype=np.int64)
    for k in keys:
        counts[k] += 1
    starts = np.zeros(kmax + 1, dtype=np.int64)
    starts[1:] = np.cumsum(counts)[:-1]
    perm = np.empty(len(keys), dtype=np.int64)
    for i in range(len(keys)):
        k = keys[i]
        perm[starts[k]] = i
        starts[k] += 1
    return keys[perm], perm


ENTRY = counting_sort


def make_args(n):
    rng = np.random.default_rng(184)
    return (rng.integers(0, 50, size=n), 49)
