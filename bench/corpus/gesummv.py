"""PolyBench gesummv: y = alpha*A*x + beta*B*x."""
import numpy as np

GROUP = "linalg"
NUMPY = True
SIZES = (30, 2000)


def gesummv(alpha, beta, A, B, x):
    return alpha * A @ x + beta * B @ x


ENTRY = gesummv


def make_args(n):
    rng = np.random.default_rng(7)
    return (1.5, 1.2, rng.random((n, n)), rng.random((n, n)), rng.random(n))
