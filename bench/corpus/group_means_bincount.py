"""Per-group mean and count of a measurement with np.bincount and weights."""
import numpy as np

GROUP = "statistics"
NUMPY = True
SIZES = (500, 5000000)


def group_means_bincount(groups, values, ngroups):
    counts = np.bincount(groups, minlength=ngroups)
    sums = np.bincount(groups, weights=values, minlength=ngroups)
    means = np.zeros(ngroups)
    nz = counts > 0
    means[nz] = sums[nz] / counts[nz]
    return means, counts


ENTRY = group_means_bincount


def make_args(n):
    rng = np.random.default_rng(114)
    return (rng.integers(0, 12, size=n), rng.random(n), 14)
