"""Dominant eigenvalue by power iteration, normalising with np.linalg.norm."""
import numpy as np

GROUP = "np.linalg"
NUMPY = True
SIZES = (30, 1000)
RTOL = 1e-9


def power_iteration(A, iters):
    b = np.ones(A.shape[1])
    for _ in range(iters):
        b = A @ b
        b = b / np.linalg.norm(b)
    return b @ A @ b


ENTRY = power_iteration


def make_args(n):
    rng = np.random.default_rng(101)
    M = rng.random((n, n))
    return (M + M.T, 50)
