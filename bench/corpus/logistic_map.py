"""Bifurcation diagram data of the logistic map: for each r, iterate past the transient and
record where the orbit settles."""
import numpy as np

GROUP = "loops"
NUMPY = False
SIZES = (50, 20000)
RTOL = 1e-8


def logistic_map(rs, ntransient, nkeep):
    out = np.empty((rs.shape[0], nkeep))
    for i in range(rs.shape[0]):
        r = rs[i]
        x = 0.5
        for _ in range(ntransient):
            x = r * x * (1.0 - x)
        for k in range(nkeep):
            x = r * x * (1.0 - x)
            out[i, k] = x
    return out


ENTRY = logistic_map


def make_args(n):
    return (np.linspace(2.8, 3.55, n), 200, 16)
