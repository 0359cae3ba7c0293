"""Composite Simpson's rule for several integrands chosen by an integer code, with an odd
number of points."""
import math

import numpy as np

GROUP = "loops"
NUMPY = False
SIZES = (101, 2000001)
RTOL = 1e-9


def integrand(kind, x):
    if kind == 0:
        return math.exp(-x * x)
    elif kind == 1:
        return math.sin(x) / (1.0 + x)
    return x ** 3 - 2.0 * x


def simpson(a, b, n):
    h = (b - a) / (n - 1)
    res = np.zeros(3)
    for kind in range(3):
        s = integrand(kind, a) + integrand(kind, b)
        for i in range(1, n - 1):
            x = a + i * h
            if i % 2 == 1:
                s += 4.0 * integrand(kind, x)
            else:
                s += 2.0 * integrand(kind, x)
        res[kind] = s * h / 3.0
    return res


ENTRY = simpson


def make_args(n):
    return (0.0, 3.0, n)
