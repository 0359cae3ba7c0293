"""Column statistics of a sensor table with missing values (NaN): counts, nanmean, nanstd,
nanmin/nanmax, and the table with gaps filled by the column mean."""
import numpy as np

GROUP = "statistics"
NUMPY = True
SIZES = (60, 500000)


def nan_stats(data):
    missing = np.isnan(data)
    count = np.sum(~missing, axis=0)
    mean = np.nanmean(data, axis=0)
    std = np.nanstd(data, axis=0)
    lo = np.nanmin(data, axis=0)
    hi = np.nanmax(data, axis=0)
    filled = np.where(missing, mean, data)
    return count, mean, std, lo, hi, filled


ENTRY = nan_stats


def make_args(n):
    rng = np.random.default_rng(186)
    d = rng.standard_normal((n, 6)) * 3.0 + 10.0
    d[rng.random((n, 6)) < 0.1] = np.nan
    return (d,)
