"""Minimum-image distances between particles in a periodic box, and the radial distribution
histogram (pair counts per shell)."""
import numpy as np

GROUP = "physics"
NUMPY = False
SIZES = (50, 3000)


def periodic_dist(pos, box, nbins, rmax):
    n = pos.shape[0]
    hist = np.zeros(nbins, dtype=np.int64)
    dr = rmax / nbins
    for i in range(n):
        for j in range(i + 1, n):
            d2 = 0.0
            for k in range(3):
                d = pos[i, k] - pos[j, k]
                d -= box * round(d / box)
                d2 += d * d
            r = np.sqrt(d2)
            if r < rmax:
                hist[int(r / dr)] += 2
    return hist


ENTRY = periodic_dist


def make_args(n):
    rng = np.random.default_rng(168)
    return (rng.random((n, 3)) * 10.0, 10.0, 50, 5.0)
