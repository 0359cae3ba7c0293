"""Hyantes-style potential smoothing: every cell of a lat/lon grid sums the values of the
stations within a great-circle range, weighted by distance."""
import math

import numpy as np

GROUP = "physics"
NUMPY = False
SIZES = (10, 150)


def hyantes(xmin, ymin, step, rng_km, stations, nx, ny):
    pt = np.zeros((nx, ny, 3))
    for i in range(nx):
        for j in range(ny):
            lat = math.radians(xmin + step * i)
            lon = math.radians(ymin + step * j)
            pt[i, j, 0] = xmin + step * i
            pt[i, j, 1] = ymin + step * j
            s = 0.0
            for k in range(stations.shape[0]):
                slat = math.radians(stations[k, 0])
                slon = math.radians(stations[k, 1])
                c = (math.sin(lat) * math.sin(slat)
                     + math.cos(lat) * math.cos(slat) * math.cos(slon - lon))
                c = min(1.0, max(-1.0, c))
                dist = 6368.0 * math.acos(c)
                if dist < rng_km:
                    s += stations[k, 2] / (1.0 + dist)
            pt[i, j, 2] = s
    return pt


ENTRY = hyantes


def make_args(n):
    rng = np.random.default_rng(120)
    st = np.empty((4 * n, 3))
    st[:, 0] = 40.0 + 10.0 * rng.random(4 * n)
    st[:, 1] = -5.0 + 10.0 * rng.random(4 * n)
    st[:, 2] = 100.0 * rng.random(4 * n)
    return (40.0, -5.0, 10.0 / n, 300.0, st, n, n)
