"""PolyBench symm: C := alpha*A*B + beta*C with A symmetric, read from its lower triangle."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (20, 250)
OUTPUTS = (2,)


def symm(alpha, beta, C, A, B):
    m, n = C.shape
    temp2 = np.empty(n, dtype=C.dtype)
    C *= beta
    for i in range(m):
        for j in range(n):
            C[:i, j] += alpha * B[i, j] * A[i, :i]
            temp2[j] = B[:i, j] @ A[i, :i]
        C[i, :] += alpha * B[i, :] * A[i, i] + alpha * temp2


ENTRY = symm


def make_args(n):
    rng = np.random.default_rng(11)
    m = n
    nn = n + n // 5
    return (1.5, 1.2, rng.random((m, nn)), rng.random((m, m)), rng.random((m, nn)))
