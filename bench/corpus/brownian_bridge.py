"""Brownian bridges from given Gaussian increments: cumulative sums pinned to zero at the end,
then the running maximum and the time it is reached."""
import numpy as np

GROUP = "montecarlo"
NUMPY = True
SIZES = (20, 2000)


def brownian_bridge(z, T):
    npaths, nsteps = z.shape
    dt = T / nsteps
    w = np.cumsum(np.sqrt(dt) * z, axis=1)
    t = np.linspace(dt, T, nsteps)
    bridge = w - (t / T)[np.newaxis, :] * w[:, -1:]
    runmax = np.maximum.accumulate(bridge, axis=1)
    return bridge, runmax[:, -1], np.argmax(bridge, axis=1)


ENTRY = brownian_bridge


def make_args(n):
    rng = np.random.default_rng(171)
    return (rng.standard_normal((n, 500)), 1.0)
