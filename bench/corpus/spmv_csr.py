"""Sparse matrix-vector product in CSR form (indptr, indices, data), a loop per row."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (200, 200000)


def spmv_csr(indptr, indices, data, x):
    n = len(indptr) - 1
    y = np.zeros(n)
    for i in range(n):
        s = 0.0
        for k in range(indptr[i], indptr[i + 1]):
            s += data[k] * x[indices[k]]
        y[i] = s
    return y


ENTRY = spmv_csr


def make_args(n):
    rng = np.random.default_rng(141)
    per_row = rng.integers(1, 10, size=n)
    indptr = np.concatenate(([0], np.cumsum(per_row))).astype(np.int64)
    indices = rng.integers(0, n, size=int(indptr[-1])).astype(np.int64)
    return (indptr, indices, rng.random(int(indptr[-1])), rng.random(n))
