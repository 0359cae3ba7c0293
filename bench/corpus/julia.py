"""Escape-time Julia set on a grid of complex starting points, explicit loops."""
import numpy as np

GROUP = "loops"
NUMPY = False
SIZES = (32, 1000)


def julia(x, y, c, maxiter):
    out = np.zeros((len(y), len(x)), dtype=np.int32)
    for i in range(len(y)):
        for j in range(len(x)):
            z = complex(x[j], y[i])
            n = 0
            while abs(z) <= 2.0 and n < maxiter:
                z = z * z + c
                n += 1
            out[i, j] = n
    return out


ENTRY = julia


def make_args(n):
    return (np.linspace(-1.6, 1.6, n), np.linspace(-1.0, 1.0, n), complex(-0.8, 0.156), 100)
