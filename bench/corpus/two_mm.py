"""PolyBench 2mm: D := alpha*A*B*C + beta*D, with the temporary left to NumPy."""
import numpy as np

GROUP = "linalg"
NUMPY = True
SIZES = (20, 300)
OUTPUTS = (5,)


def kernel_2mm(alpha, beta, A, B, C, D):
    tmp = alpha * A @ B
    D[:] = tmp @ C + beta * D


ENTRY = kernel_2mm


def make_args(n):
    rng = np.random.default_rng(2)
    ni, nj, nk, nl = n, n + 2, n + 4, n + 6
    return (1.5, 1.2, rng.random((ni, nk)), rng.random((nk, nj)), rng.random((nj, nl)),
            rng.random((ni, nl)))
