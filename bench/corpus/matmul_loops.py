"""Matrix product written as the textbook triple loop, with an accumulator."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (12, 400)
RTOL = 1e-9


def matmul_loops(A, B):
    n, m = A.shape
    p = B.shape[1]
    C = np.zeros((n, p))
    for i in range(n):
        for j in range(p):
            s = 0.0
            for k in range(m):
                s += A[i, k] * B[k, j]
            C[i, j] = s
    return C


ENTRY = matmul_loops


def make_args(n):
    rng = np.random.default_rng(126)
    return (rng.random((n, n + 3)), rng.random((n + 3, n - 1)))
