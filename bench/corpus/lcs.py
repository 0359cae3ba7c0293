"""Length of the longest common subsequence of two integer sequences (DNA coded 0..3), by the
dynamic-programming table."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (40, 3000)


def lcs(a, b):
    n = len(a)
    m = len(b)
    L = np.zeros((n + 1, m + 1), dtype=np.int32)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            if a[i - 1] == b[j - 1]:
                L[i, j] = L[i - 1, j - 1] + 1
            else:
                L[i, j] = max(L[i - 1, j], L[i, j - 1])
    return L[n, m]


ENTRY = lcs


def make_args(n):
    rng = np.random.default_rng(135)
    return (rng.integers(0, 4, size=n), rng.integers(0, 4, size=n + 5))
