"""PolyBench jacobi-2d: five-point averages over 2-D slices, two arrays swapped each step."""
import numpy as np

GROUP = "stencil"
NUMPY = True
SIZES = (24, 400)
OUTPUTS = (1, 2)


def jacobi_2d(tsteps, A, B):
    for t in range(1, tsteps):
        B[1:-1, 1:-1] = 0.2 * (A[1:-1, 1:-1] + A[1:-1, :-2] + A[1:-1, 2:] + A[2:, 1:-1]
                               + A[:-2, 1:-1])
        A[1:-1, 1:-1] = 0.2 * (B[1:-1, 1:-1] + B[1:-1, :-2] + B[1:-1, 2:] + B[2:, 1:-1]
                               + B[:-2, 1:-1])


ENTRY = jacobi_2d


def make_args(n):
    i = np.arange(n, dtype=np.float64)[:, None]
    j = np.arange(n, dtype=np.float64)[None, :]
    return (max(n // 4, 5), i * (j + 2) / n, i * (j + 3) / n)
