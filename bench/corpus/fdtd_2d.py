"""PolyBench fdtd-2d: 2-D finite-difference time domain, a source row set each step."""
import numpy as np

GROUP = "stencil"
NUMPY = True
SIZES = (20, 400)
OUTPUTS = (1, 2, 3)


def fdtd_2d(tmax, ex, ey, hz, fict):
    for t in range(tmax):
        ey[0, :] = fict[t]
        ey[1:, :] -= 0.5 * (hz[1:, :] - hz[:-1, :])
        ex[:, 1:] -= 0.5 * (hz[:, 1:] - hz[:, :-1])
        hz[:-1, :-1] -= 0.7 * (ex[:-1, 1:] - ex[:-1, :-1] + ey[1:, :-1] - ey[:-1, :-1])


ENTRY = fdtd_2d


def make_args(n):
    nx, ny = n, n + n // 5
    tmax = max(n // 4, 4)
    i = np.arange(nx, dtype=np.float64)[:, None]
    j = np.arange(ny, dtype=np.float64)[None, :]
    return (tmax, i * (j + 1) / nx, i * (j + 2) / ny, i * (j + 3) / nx,
            np.arange(tmax, dtype=np.float64))
