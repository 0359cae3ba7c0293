"""Newton's method for the real root of x**3 - 2x - a for many values of a, each with its own
stopping test."""
import numpy as np

GROUP = "loops"
NUMPY = False
SIZES = (500, 2000000)


def newton_roots(avals, tol, maxiter):
    roots = np.empty_like(avals)
    iters = np.zeros(avals.shape[0], dtype=np.int64)
    for i in range(avals.shape[0]):
        a = avals[i]
        x = 2.0
        for it in range(maxiter):
            f = x ** 3 - 2.0 * x - a
            fp = 3.0 * x ** 2 - 2.0
            dx = f / fp
            x -= dx
            if abs(dx) < tol:
                iters[i] = it + 1
                break
        roots[i] = x
    return roots, iters


ENTRY = newton_roots


def make_args(n):
    rng = np.random.default_rng(125)
    return (5.0 + 20.0 * rng.random(n), 1e-12, 50)
