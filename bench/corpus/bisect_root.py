"""Bisection root finding with the function passed as an argument, applied to a family of
Kepler equations E - e sin E = M."""
import math

import numpy as np

GROUP = "loops"
NUMPY = False
SIZES = (200, 200000)


def bisect(f, lo, hi, e, m, tol):
    flo = f(lo, e, m)
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        fm = f(mid, e, m)
        if (fm < 0) == (flo < 0):
            lo = mid
            flo = fm
        else:
            hi = mid
    return 0.5 * (lo + hi)


def kepler(E, e, m):
    return E - e * math.sin(E) - m


def bisect_root(ecc, mean_anom):
    out = np.empty_like(mean_anom)
    for i in range(mean_anom.shape[0]):
        out[i] = bisect(kepler, 0.0, 2 * math.pi, ecc[i], mean_anom[i], 1e-12)
    return out


ENTRY = bisect_root


def make_args(n):
    rng = np.random.default_rng(169)
    return (rng.random(n) * 0.9, rng.random(n) * 2 * math.pi)
