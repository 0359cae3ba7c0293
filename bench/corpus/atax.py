"""PolyBench atax: y = A^T (A x), as a scientist writes it with matrix products."""
import numpy as np

GROUP = "linalg"
NUMPY = True
SIZES = (30, 2000)


def atax(A, x):
    return (A @ x) @ A


ENTRY = atax


def make_args(n):
    rng = np.random.default_rng(4)
    return (rng.random((n, n + n // 4)), rng.random(n + n // 4))
