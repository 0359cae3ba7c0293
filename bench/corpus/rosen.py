"""The Rosenbrock function of many variables and its gradient, written with slices."""
import numpy as np

GROUP = "numpy"
NUMPY = True
SIZES = (1000, 5000000)


def rosen_der(x):
    xm = x[1:-1]
    xm_m1 = x[:-2]
    xm_p1 = x[2:]
    der = np.zeros_like(x)
    der[1:-1] = 200 * (xm - xm_m1 ** 2) - 400 * (xm_p1 - xm ** 2) * xm - 2 * (1 - xm)
    der[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0])
    der[-1] = 200 * (x[-1] - x[-2] ** 2)
    return der


def rosen(x):
    value = np.sum(100.0 * (x[1:] - x[:-1] ** 2.0) ** 2.0 + (1 - x[:-1]) ** 2.0)
    return value, rosen_der(x)


ENTRY = rosen


def make_args(n):
    rng = np.random.default_rng(102)
    return (rng.random(n) * 2.0 - 0.5,)
