"""Determinant by cofactor expansion along the first row, recursively, with np.delete to
form the minors (fine for small matrices, as in a linear-algebra class)."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (5, 8)
RTOL = 1e-9


def det_laplace(A):
    n = A.shape[0]
    if n == 1:
        return A[0, 0]
    if n == 2:
        return A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
    total = 0.0
    sub = A[1:, :]
    for j in range(n):
        minor = np.delete(sub, j, axis=1)
        sign = 1.0 if j % 2 == 0 else -1.0
        total += sign * A[0, j] * det_laplace(minor)
    return total


ENTRY = det_laplace


def make_args(n):
    rng = np.random.default_rng(185)
    return (rng.standard_normal((n, n)),)
