"""Matrix-chain multiplication order by dynamic programming: the minimal number of scalar
multiplications and the split table."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (10, 400)


def matrix_chain(dims):
    n = len(dims) - 1
    cost = np.zeros((n, n), dtype=np.int64)
    split = np.zeros((n, n), dtype=np.int64)
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            cost[i, j] = np.iinfo(np.int64).max
            for k in range(i, j):
                q = cost[i, k] + cost[k + 1, j] + dims[i] * dims[k + 1] * dims[j + 1]
                if q < cost[i, j]:
                    cost[i, j] = q
                    split[i, j] = k
    return cost[0, n - 1], split


ENTRY = matrix_chain


def make_args(n):
    rng = np.random.default_rng(129)
    return (rng.integers(2, 60, size=n + 1),)
