"""Local maxima of a 2-D field: a cell strictly greater than its 8 neighbours (border cells
compare with the neighbours that exist); returns a boolean map."""
import numpy as np

GROUP = "image"
NUMPY = False
SIZES = (20, 2000)


def local_maxima(data):
    nr, nc = data.shape
    result = np.zeros((nr, nc), dtype=np.bool_)
    for i in range(nr):
        for j in range(nc):
            v = data[i, j]
            is_max = True
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    if di == 0 and dj == 0:
                        continue
                    ii = i + di
                    jj = j + dj
                    if 0 <= ii < nr and 0 <= jj < nc and data[ii, jj] >= v:
                        is_max = False
            result[i, j] = is_max
    return result


ENTRY = local_maxima


def make_args(n):
    rng = np.random.default_rng(117)
    return (rng.random((n, n)),)
