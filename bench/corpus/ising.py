"""Metropolis sweeps of the 2-D Ising model with periodic boundaries; the uniform numbers are
drawn beforehand so the run is reproducible."""
import math

import numpy as np

GROUP = "montecarlo"
NUMPY = False
SIZES = (16, 400)


def ising(spins, beta, uniforms, nsweeps):
    s = spins.copy()
    n = s.shape[0]
    k = 0
    for sweep in range(nsweeps):
        for i in range(n):
            for j in range(n):
                nb = s[(i + 1) % n, j] + s[i - 1, j] + s[i, (j + 1) % n] + s[i, j - 1]
                dE = 2 * s[i, j] * nb
                if dE <= 0 or uniforms[k] < math.exp(-beta * dE):
                    s[i, j] = -s[i, j]
                k += 1
    return s, s.sum()


ENTRY = ising


def make_args(n):
    rng = np.random.default_rng(123)
    sweeps = 5 if n < 100 else 20
    spins = np.where(rng.random((n, n)) < 0.5, -1, 1).astype(np.int64)
    return (spins, 0.44, rng.random(n * n * sweeps), sweeps)
