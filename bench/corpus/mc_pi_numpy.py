"""Monte Carlo estimate of pi, whole-array NumPy: count_nonzero of a comparison."""
import numpy as np

GROUP = "montecarlo"
NUMPY = True
SIZES = (10000, 5000000)


def mc_pi_numpy(x, y):
    inside = np.count_nonzero(x * x + y * y <= 1.0)
    return 4.0 * inside / x.size


ENTRY = mc_pi_numpy


def make_args(n):
    rng = np.random.default_rng(72)
    return (rng.random(n), rng.random(n))
