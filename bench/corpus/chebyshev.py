"""Chebyshev approximation of a function on [a, b]: coefficients from samples at the
Chebyshev nodes, then Clenshaw's recurrence at many points."""
import math

import numpy as np

GROUP = "loops"
NUMPY = False
SIZES = (200, 1000000)
RTOL = 1e-9


def cheb_coeffs(a, b, n):
    c = np.zeros(n)
    fvals = np.empty(n)
    for k in range(n):
        y = math.cos(math.pi * (k + 0.5) / n)
        x = 0.5 * (b - a) * y + 0.5 * (b + a)
        fvals[k] = math.exp(-x) * math.sin(3.0 * x)
    for j in range(n):
        s = 0.0
        for k in range(n):
            s += fvals[k] * math.cos(math.pi * j * (k + 0.5) / n)
        c[j] = 2.0 * s / n
    return c


def chebyshev(xs, a, b, n):
    c = cheb_coeffs(a, b, n)
    out = np.empty_like(xs)
    for i in range(xs.shape[0]):
        y = (2.0 * xs[i] - a - b) / (b - a)
        d = 0.0
        dd = 0.0
        for j in range(n - 1, 0, -1):
            d, dd = 2.0 * y * d - dd + c[j], d
        out[i] = y * d - dd + 0.5 * c[0]
    return out


ENTRY = chebyshev


def make_args(n):
    return (np.linspace(0.0, 2.0, n), 0.0, 2.0, 20)
