"""Monte Carlo estimate of pi from given uniform samples: a counting loop."""
import numpy as np

GROUP = "montecarlo"
NUMPY = False
SIZES = (10000, 5000000)


def mc_pi(x, y):
    inside = 0
    for i in range(len(x)):
        if x[i] ** 2 + y[i] ** 2 <= 1.0:
            inside += 1
    return 4.0 * inside / len(x)


ENTRY = mc_pi


def make_args(n):
    rng = np.random.default_rng(71)
    return (rng.random(n), rng.random(n))
