"""PolyBench trisolv: forward substitution, one row-slice product per row."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (30, 2000)
OUTPUTS = (1,)


def trisolv(L, x, b):
    for i in range(x.shape[0]):
        x[i] = (b[i] - L[i, :i] @ x[:i]) / L[i, i]


ENTRY = trisolv


def make_args(n):
    rng = np.random.default_rng(14)
    return (np.tril(rng.random((n, n))) + n * np.eye(n), np.zeros(n), rng.random(n))
