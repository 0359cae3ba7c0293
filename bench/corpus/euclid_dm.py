"""Distance matrix between two point sets by broadcasting (n x d against m x d)."""
import numpy as np

GROUP = "numpy"
NUMPY = True
SIZES = (20, 1200)


def euclid_dm(a, b):
    diff = a[:, np.newaxis, :] - b[np.newaxis, :, :]
    return np.sqrt((diff ** 2).sum(axis=-1))


ENTRY = euclid_dm


def make_args(n):
    rng = np.random.default_rng(106)
    return (rng.random((n, 3)), rng.random((n + 7, 3)))
