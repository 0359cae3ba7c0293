"""Robust column standardisation: z-scores, outliers beyond 3 sigma replaced by the column
median (boolean masks and np.where)."""
import numpy as np

GROUP = "masked"
NUMPY = True
SIZES = (50, 200000)


def zscore_clip(data):
    mu = data.mean(axis=0)
    sd = data.std(axis=0)
    z = (data - mu) / sd
    med = np.median(data, axis=0)
    out = np.where(np.abs(z) > 3.0, med, data)
    nbad = np.count_nonzero(np.abs(z) > 3.0)
    return out, nbad


ENTRY = zscore_clip


def make_args(n):
    rng = np.random.default_rng(109)
    d = rng.standard_normal((n, 4))
    d[::17, 1] *= 9.0
    return (d,)
