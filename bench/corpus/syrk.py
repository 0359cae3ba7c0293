"""PolyBench syrk: the lower triangle of C := alpha*A*A^T + beta*C, rows updated by slices."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (20, 300)
OUTPUTS = (2,)


def syrk(alpha, beta, C, A):
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * A[i, k] * A[:i + 1, k]


ENTRY = syrk


def make_args(n):
    rng = np.random.default_rng(8)
    return (1.5, 1.2, rng.random((n, n)), rng.random((n, n + n // 5)))
