"""Group a measurement by an integer key with dicts of sums, counts and maxima (the
pure-Python 'groupby'), results as arrays sorted by key."""
import numpy as np

GROUP = "strings"
NUMPY = False
SIZES = (300, 2000000)


def group_stats_dict(keys, values):
    sums = {}
    counts = {}
    maxima = {}
    for k, v in zip(keys, values):
        if k in sums:
            sums[k] += v
            counts[k] += 1
            if v > maxima[k]:
                maxima[k] = v
        else:
            sums[k] = v
            counts[k] = 1
            maxima[k] = v
    ks = sorted(sums.keys())
    mean = np.empty(len(ks))
    mx = np.empty(len(ks))
    for i, k in enumerate(ks):
        mean[i] = sums[k] / counts[k]
        mx[i] = maxima[k]
    return np.array(ks), mean, mx


ENTRY = group_stats_dict


def make_args(n):
    rng = np.random.default_rng(146)
    return (rng.integers(0, 40, size=n) * 7 - 100, rng.standard_normal(n))
