"""PolyBench bicg: the two products of BiCGStab's sub-kernel, returned as a tuple."""
import numpy as np

GROUP = "linalg"
NUMPY = True
SIZES = (30, 2000)


def bicg(A, p, r):
    s = r @ A
    q = A @ p
    return s, q


ENTRY = bicg


def make_args(n):
    rng = np.random.default_rng(5)
    m = n + n // 4
    return (rng.random((n, m)), rng.random(m), rng.random(n))
