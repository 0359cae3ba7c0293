"""PolyBench cholesky: in-place factorisation, lower triangle, dot products of row slices."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (20, 400)
OUTPUTS = (0,)
RTOL = 1e-9


def cholesky(A):
    n = A.shape[0]
    A[0, 0] = np.sqrt(A[0, 0])
    for i in range(1, n):
        for j in range(i):
            A[i, j] -= np.dot(A[i, :j], A[j, :j])
            A[i, j] /= A[j, j]
        A[i, i] -= np.dot(A[i, :i], A[i, :i])
        A[i, i] = np.sqrt(A[i, i])


ENTRY = cholesky


def make_args(n):
    rng = np.random.default_rng(12)
    M = rng.random((n, n))
    return (M @ M.T + n * np.eye(n),)
