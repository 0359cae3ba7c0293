"""PolyBench lu: Doolittle LU without pivoting, three plain loops as in the C original."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (20, 200)
OUTPUTS = (0,)
RTOL = 1e-9


def lu(A):
    n = A.shape[0]
    for i in range(n):
        for j in range(i):
            w = A[i, j]
            for k in range(j):
                w -= A[i, k] * A[k, j]
            A[i, j] = w / A[j, j]
        for j in range(i, n):
            w = A[i, j]
            for k in range(i):
                w -= A[i, k] * A[k, j]
            A[i, j] = w


ENTRY = lu


def make_args(n):
    rng = np.random.default_rng(13)
    return (rng.random((n, n)) + n * np.eye(n),)
