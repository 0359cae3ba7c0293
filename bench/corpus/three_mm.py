"""PolyBench 3mm: G := (A*B)*(C*D), returned as a new array."""
import numpy as np

GROUP = "linalg"
NUMPY = True
SIZES = (20, 300)


def kernel_3mm(A, B, C, D):
    E = A @ B
    F = C @ D
    return E @ F


ENTRY = kernel_3mm


def make_args(n):
    rng = np.random.default_rng(3)
    return (rng.random((n, n + 1)), rng.random((n + 1, n + 2)), rng.random((n + 2, n + 3)),
            rng.random((n + 3, n + 4)))
