"""PolyBench mvt, transcribed from the C loops into Python loops."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (30, 600)
OUTPUTS = (0, 1)


def mvt(x1, x2, y1, y2, A):
    n = A.shape[0]
    for i in range(n):
        for j in range(n):
            x1[i] = x1[i] + A[i, j] * y1[j]
    for i in range(n):
        for j in range(n):
            x2[i] = x2[i] + A[j, i] * y2[j]


ENTRY = mvt


def make_args(n):
    rng = np.random.default_rng(6)
    return (rng.random(n), rng.random(n), rng.random(n), rng.random(n), rng.random((n, n)))
