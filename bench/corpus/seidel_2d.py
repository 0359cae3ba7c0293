"""PolyBench seidel-2d: Gauss-Seidel, nine-point, in place: plain loops (order matters)."""
import numpy as np

GROUP = "stencil"
NUMPY = False
SIZES = (20, 200)
OUTPUTS = (1,)


def seidel_2d(tsteps, A):
    n = A.shape[0]
    for t in range(tsteps):
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                A[i, j] = (A[i - 1, j - 1] + A[i - 1, j] + A[i - 1, j + 1]
                           + A[i, j - 1] + A[i, j] + A[i, j + 1]
                           + A[i + 1, j - 1] + A[i + 1, j] + A[i + 1, j + 1]) / 9.0


ENTRY = seidel_2d


def make_args(n):
    i = np.arange(n, dtype=np.float64)[:, None]
    j = np.arange(n, dtype=np.float64)[None, :]
    return (max(n // 10, 2), (i * (j + 2) + 2) / n)
