"""Explicit heat diffusion on a plate with a hot edge: loops over time, slices in space."""
import numpy as np

GROUP = "stencil"
NUMPY = True
SIZES = (16, 500)


def diffusion_2d(T, alpha, dt, dx, nsteps):
    T = T.copy()
    r = alpha * dt / dx ** 2
    for step in range(nsteps):
        Tn = T.copy()
        T[1:-1, 1:-1] = Tn[1:-1, 1:-1] + r * (Tn[2:, 1:-1] - 2 * Tn[1:-1, 1:-1] + Tn[:-2, 1:-1]
                                              + Tn[1:-1, 2:] - 2 * Tn[1:-1, 1:-1] + Tn[1:-1, :-2])
        T[0, :] = 100.0
    return T


ENTRY = diffusion_2d


def make_args(n):
    return (np.zeros((n, n)), 1.0, 0.2, 1.0, 8 if n < 100 else 200)
