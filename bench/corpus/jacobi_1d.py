"""PolyBench jacobi-1d: two sweeps per time step over shifted slices."""
import numpy as np

GROUP = "stencil"
NUMPY = True
SIZES = (40, 4000)
OUTPUTS = (1, 2)


def jacobi_1d(tsteps, A, B):
    for t in range(1, tsteps):
        B[1:-1] = 0.33333 * (A[:-2] + A[1:-1] + A[2:])
        A[1:-1] = 0.33333 * (B[:-2] + B[1:-1] + B[2:])


ENTRY = jacobi_1d


def make_args(n):
    i = np.arange(n, dtype=np.float64)
    return (max(n // 4, 5), (i + 2) / n, (i + 3) / n)
