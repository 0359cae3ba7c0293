"""PolyBench gemm, written the way the NumPy port of a C benchmark is: one array statement."""
import numpy as np

GROUP = "linalg"
NUMPY = True
SIZES = (24, 400)
OUTPUTS = (2,)


def gemm(alpha, beta, C, A, B):
    C[:] = alpha * A @ B + beta * C


ENTRY = gemm


def make_args(n):
    rng = np.random.default_rng(1)
    ni, nj, nk = n, n + n // 10, n + n // 5
    return (1.5, 1.2, rng.random((ni, nj)), rng.random((ni, nk)), rng.random((nk, nj)))
