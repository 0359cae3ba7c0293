"""Naive azimuthal integration (pyFAI-style): the mean of the pixels in each radial ring,
selected with a boolean mask."""
import numpy as np

GROUP = "masked"
NUMPY = True
SIZES = (2000, 400000)


def azimint(data, radius, npt):
    rmax = radius.max()
    res = np.zeros(npt, dtype=np.float64)
    for i in range(npt):
        r1 = rmax * i / npt
        r2 = rmax * (i + 1) / npt
        mask = (r1 <= radius) & (radius < r2)
        res[i] = data[mask].mean()
    return res


ENTRY = azimint


def make_args(n):
    rng = np.random.default_rng(41)
    return (rng.random(n), rng.random(n), 20 if n < 10000 else 1000)
