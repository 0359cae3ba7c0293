"""Fixed-width histogram of samples by explicit binning (values outside the range dropped,
the right edge included as np.histogram does)."""
import numpy as np

GROUP = "statistics"
NUMPY = False
SIZES = (1000, 10000000)


def histogram_loops(x, nbins, lo, hi):
    counts = np.zeros(nbins, dtype=np.int64)
    width = (hi - lo) / nbins
    for v in x:
        if v < lo or v > hi:
            continue
        k = int((v - lo) / width)
        if k == nbins:
            k -= 1
        counts[k] += 1
    return counts


ENTRY = histogram_loops


def make_args(n):
    rng = np.random.default_rng(152)
    return (rng.standard_normal(n), 30, -3.0, 3.0)
