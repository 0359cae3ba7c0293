"""Mandelbrot set with masked updates (the classic NumPy version): only the points still
inside the horizon are iterated, Z[I] = Z[I]**2 + C[I]."""
import numpy as np

GROUP = "masked"
NUMPY = True
SIZES = (32, 600)


def mandelbrot(xmin, xmax, ymin, ymax, xn, yn, maxiter, horizon=2.0):
    X = np.linspace(xmin, xmax, xn)
    Y = np.linspace(ymin, ymax, yn)
    C = X + Y[:, None] * 1j
    N = np.zeros(C.shape, dtype=np.int64)
    Z = np.zeros(C.shape, dtype=np.complex128)
    for n in range(maxiter):
        I = abs(Z) < horizon
        N[I] = n
        Z[I] = Z[I] ** 2 + C[I]
    N[N == maxiter - 1] = 0
    return Z, N


ENTRY = mandelbrot


def make_args(n):
    return (-2.25, 0.75, -1.25, 1.25, n, n, 20 if n < 100 else 100)
