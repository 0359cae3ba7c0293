"""Moving average by the cumulative-sum trick, and the rolling standard deviation."""
import numpy as np

GROUP = "signal"
NUMPY = True
SIZES = (500, 5000000)
RTOL = 1e-7


def moving_average(x, w):
    c = np.cumsum(x)
    c2 = np.cumsum(x * x)
    s = c[w - 1:] - np.concatenate((np.zeros(1), c[:-w]))
    s2 = c2[w - 1:] - np.concatenate((np.zeros(1), c2[:-w]))
    mean = s / w
    var = s2 / w - mean**2
    return mean, np.sqrt(np.maximum(var, 0.0))


ENTRY = moving_average


def make_args(n):
    rng = np.random.default_rng(151)
    return (rng.random(n), 25)
