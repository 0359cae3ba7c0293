"""Rolling mean and standard deviation over a window, with cumulative sums."""
import numpy as np

GROUP = "statistics"
NUMPY = True
SIZES = (500, 5000000)
RTOL = 1e-8


def rolling_std(x, w):
    c1 = np.cumsum(np.concatenate((np.zeros(1), x)))
    c2 = np.cumsum(np.concatenate((np.zeros(1), x * x)))
    s1 = c1[w:] - c1[:-w]
    s2 = c2[w:] - c2[:-w]
    mean = s1 / w
    var = s2 / w - mean ** 2
    var[var < 0] = 0.0
    return mean, np.sqrt(var)


ENTRY = rolling_std


def make_args(n):
    rng = np.random.default_rng(113)
    return (rng.standard_normal(n) + 5.0, 25)
