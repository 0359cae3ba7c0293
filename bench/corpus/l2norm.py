"""Euclidean norm of each row of a matrix."""
import numpy as np

GROUP = "numpy"
NUMPY = True
SIZES = (50, 3000)


def l2norm(x):
    return np.sqrt(np.sum(np.abs(x) ** 2, axis=1))


ENTRY = l2norm


def make_args(n):
    rng = np.random.default_rng(104)
    return (rng.standard_normal((n, n)),)
