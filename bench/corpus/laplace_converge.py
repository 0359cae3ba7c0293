"""Jacobi iteration for Laplace's equation on a square with one hot side, until the largest
change falls below a tolerance (a while loop around slice arithmetic)."""
import numpy as np

GROUP = "stencil"
NUMPY = True
SIZES = (16, 200)
RTOL = 1e-9


def laplace_converge(n, tol, maxiter):
    u = np.zeros((n, n))
    u[0, :] = 1.0
    err = 1.0
    it = 0
    while err > tol and it < maxiter:
        un = u.copy()
        u[1:-1, 1:-1] = 0.25 * (un[2:, 1:-1] + un[:-2, 1:-1] + un[1:-1, 2:] + un[1:-1, :-2])
        err = np.max(np.abs(u - un))
        it += 1
    return u, it


ENTRY = laplace_converge


def make_args(n):
    return (n, 1e-5, 20000)
