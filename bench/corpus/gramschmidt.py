"""PolyBench gramschmidt: modified Gram-Schmidt QR, columns as slices, returns (Q, R)."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (16, 200)
OUTPUTS = (0,)
RTOL = 1e-8


def gramschmidt(A):
    m, n = A.shape
    Q = np.zeros((m, n), dtype=A.dtype)
    R = np.zeros((n, n), dtype=A.dtype)
    for k in range(n):
        nrm = np.dot(A[:, k], A[:, k])
        R[k, k] = np.sqrt(nrm)
        Q[:, k] = A[:, k] / R[k, k]
        for j in range(k + 1, n):
            R[k, j] = np.dot(Q[:, k], A[:, j])
            A[:, j] = A[:, j] - Q[:, k] * R[k, j]
    return Q, R


ENTRY = gramschmidt


def make_args(n):
    rng = np.random.default_rng(15)
    return (rng.random((n + n // 4, n)) + np.eye(n + n // 4, n),)
