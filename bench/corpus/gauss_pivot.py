"""Solving A x = b by Gaussian elimination with partial pivoting; rows are swapped with
fancy indexing, as in a numerical-methods course."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (8, 400)
RTOL = 1e-8


def gauss_pivot(A, b):
    n = A.shape[0]
    M = np.hstack((A.astype(np.float64), b.reshape(n, 1)))
    for k in range(n - 1):
        p = k + np.argmax(np.abs(M[k:, k]))
        if p != k:
            M[[k, p]] = M[[p, k]]
        for i in range(k + 1, n):
            factor = M[i, k] / M[k, k]
            M[i, k:] -= factor * M[k, k:]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (M[i, n] - np.dot(M[i, i + 1:n], x[i + 1:n])) / M[i, i]
    return x


ENTRY = gauss_pivot


def make_args(n):
    rng = np.random.default_rng(160)
    return (rng.standard_normal((n, n)) + n ** 0.5 * np.eye(n), rng.standard_normal(n))
