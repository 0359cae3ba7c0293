"""PolyBench syr2k: rank-2k update of the lower triangle, with explicit loops over k."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (20, 300)
OUTPUTS = (2,)


def syr2k(alpha, beta, C, A, B):
    n, m = A.shape
    for i in range(n):
        C[i, :i + 1] *= beta
        for k in range(m):
            C[i, :i + 1] += A[:i + 1, k] * alpha * B[i, k] + B[:i + 1, k] * alpha * A[i, k]


ENTRY = syr2k


def make_args(n):
    rng = np.random.default_rng(9)
    m = n + n // 5
    return (1.5, 1.2, rng.random((n, n)), rng.random((n, m)), rng.random((n, m)))
