"""Cronbach's alpha of a questionnaire (rows: respondents, columns: items)."""
import numpy as np

GROUP = "statistics"
NUMPY = True
SIZES = (40, 4000)


def cronbach(itemscores):
    itemvars = itemscores.var(axis=1, ddof=1)
    tscores = itemscores.sum(axis=0)
    nitems = len(itemscores)
    return nitems / (nitems - 1.0) * (1 - itemvars.sum() / tscores.var(ddof=1))


ENTRY = cronbach


def make_args(n):
    rng = np.random.default_rng(105)
    base = rng.random(n)
    return (base[None, :] + 0.5 * rng.random((12, n)),)
