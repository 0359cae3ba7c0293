"""PolyBench trmm: B := alpha * A^T B with A unit lower triangular, dot products of slices."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (20, 300)
OUTPUTS = (2,)


def trmm(alpha, A, B):
    m, n = B.shape
    for i in range(m):
        for j in range(n):
            B[i, j] += np.dot(A[i + 1:, i], B[i + 1:, j])
    B *= alpha


ENTRY = trmm


def make_args(n):
    rng = np.random.default_rng(10)
    m = n
    return (1.5, rng.random((m, m)), rng.random((m, n + n // 5)))
