"""Conformance: reductions — function and method forms, axis= (int, negative, tuple),
keepdims=, NumPy's result dtypes, NaN propagation and the errors of empty arrays.

Float inputs are positive where sums are compared: NumPy sums pairwise and sejit in order,
and the 1e-12 relative tolerance holds for sums without cancellation.
See tests/conformance.py and docs/supported.md.
"""

import numpy as np
from conformance import Cases
from conftest import make_array

cases = Cases(__name__)

F32, F64, I32, I64, U8, BOOL = np.float32, np.float64, np.int32, np.int64, np.uint8, np.bool_
LAYOUTS = ("C", "F", "strided", "reversed")


def arr(shape, dtype=F64, layout="C", low=0.5, high=2.0, seed=0):
    return make_array(shape, dtype, layout, low, high, seed)


def each(shape, *dtypes, low=0.5, high=2.0):
    """One argument tuple per layout and dtype."""
    return [
        (lambda layout=layout, d=d: (arr(shape, d, layout, low, high),))
        for d in dtypes
        for layout in LAYOUTS
    ]


def with_nans(shape, layout="C"):
    x = arr(shape, F64, layout)
    flat = x.reshape(-1) if x.flags.c_contiguous else None
    x[(0,) * x.ndim] = np.nan
    if x.ndim == 2:
        x[-1, :] = np.nan
        x[1, -1] = np.nan
    del flat
    return x


# --------------------------------------------------------------------------- sum, prod


@cases.add("red.sum-prod", *each((6, 5), F64, I32, F32), *each((7,), I64, BOOL, U8, low=0, high=5))
def sum_prod_whole(x):
    return np.sum(x), x.sum(), np.prod(x), x.prod()


@cases.add("red.sum-prod", *each((6, 5), F64, I32))
def sum_prod_axis(x):
    return x.sum(axis=0), np.sum(x, axis=1), np.prod(x, 0), x.prod(axis=-1), x.sum(axis=(0, 1))


@cases.add("red.axis", *each((3, 4, 5), F64, I64, F32))
def axis_forms(x):
    return x.sum(axis=0), x.sum(axis=-1), x.sum(axis=(0, 2)), np.sum(x, axis=(-1, -2)), x.max(1)


@cases.add("red.axis", lambda: (np.zeros((0, 3)),), lambda: (np.zeros((4, 0), I32),))
def axis_empty(x):
    return x.sum(axis=0), x.sum(axis=1), x.prod(axis=0), x.mean(axis=1)


@cases.add("red.keepdims", *each((4, 5), F64, I32))
def keepdims_forms(x):
    return (
        x.sum(axis=0, keepdims=True),
        np.mean(x, axis=1, keepdims=True),
        x.max(axis=(0, 1), keepdims=True),
        np.sum(x, keepdims=True),
    )


@cases.add("red.keepdims", *each((5, 4), F64))
def keepdims_center(x):
    # A kept axis of extent 1 stretches against the original.
    return x - x.mean(axis=0, keepdims=True), x / x.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------- min, max


@cases.add("red.min-max", *each((6, 5), F64, I32, F32, low=-3, high=3))
def min_max(x):
    return np.min(x), x.max(), np.amin(x, axis=0), np.amax(x, axis=1), x.min(axis=-1, keepdims=True)


@cases.add("red.min-max", lambda: (with_nans((4, 3)),), lambda: (with_nans((5,)),))
def min_max_nan(x):
    return np.min(x), np.max(x, axis=0), x.min(axis=-1)


@cases.add("red.min-max", lambda: (np.zeros((3, 0)),), raises=ValueError)
def min_empty_axis(x):
    return x.min(axis=1)


@cases.add("red.min-max", lambda: (np.zeros((0, 3)),))
def max_empty_outer(x):
    return x.max(axis=1)


# --------------------------------------------------------------------------- mean, std, var


@cases.add("red.mean-std-var", *each((6, 5), F64, I32, F32))
def mean_std_var(x):
    return np.mean(x, axis=0), x.std(), np.var(x, axis=1), x.std(axis=0, ddof=1), np.var(x, ddof=2)


@cases.add("red.mean-std-var", *each((9,), F64, I64, BOOL))
def mean_std_var_1d(x):
    return x.mean(), np.std(x), x.var(), np.mean(x, keepdims=True)


# Long enough for the eight-accumulator sums of std and var (and their remainders), with
# deviations from the mean of both signs, whole-array and along an axis, and an empty one.
@cases.add("red.mean-std-var", *each((203,), F64, F32, I64, low=-3.0, high=5.0),
           *each((37, 29), F64, low=-1.0, high=2.0), lambda: (arr((0,)),))
def std_var_long(x):
    return np.std(x), x.var(ddof=1), np.var(x, axis=0), x.std(axis=-1, ddof=1)


@cases.add("red.mean-std-var", lambda: (with_nans((4, 3)),))
def mean_std_nan(x):
    return x.mean(axis=0), x.std(axis=1), np.var(x)


# --------------------------------------------------------------------------- median


@cases.add("red.median", *each((7,), F64, I32), *each((6,), F64, I64), *each((5, 4), F64, F32))
def median_forms(x):
    return np.median(x), np.median(x, axis=0), np.median(x, axis=-1, keepdims=True)


@cases.add("red.median", lambda: (with_nans((4, 5)),), lambda: (np.array([3.0, 1.0, 2.0, 2.0, 1.0, 3.0]),))
def median_nan_ties(x):
    return np.median(x), np.median(x, axis=0)


@cases.add("red.median", lambda: (np.round(arr(50, F64) * 4),), lambda: (arr(51, I32, low=-5, high=5),))
def median_many_ties(x):
    return np.median(x)


# --------------------------------------------------------------------------- argmin, argmax


@cases.add("red.arg", *each((6, 5), F64, I32, F32, low=-3, high=3))
def arg_forms(x):
    return np.argmax(x), x.argmin(), x.argmax(axis=0), np.argmin(x, axis=1), x.argmax(axis=-1)


@cases.add("red.arg", lambda: (with_nans((4, 3)),), lambda: (np.array([1.0, 5.0, 5.0, -2.0, -2.0]),))
def arg_nan_ties(x):
    return np.argmax(x), np.argmin(x), x.argmax(axis=0), x.argmin(axis=0)


@cases.add("red.arg", lambda: (np.zeros(0),), raises=ValueError)
def arg_empty(x):
    return np.argmin(x)


# --------------------------------------------------------------------------- all, any


@cases.add("red.all-any", *each((5, 4), F64, BOOL, low=-1, high=1))
def all_any(x):
    return np.all(x > -0.5), x.any(), np.any(x, axis=0), (x > 0).all(axis=1), np.all(x, axis=-1, keepdims=True)


@cases.add("red.all-any", *each((8,), BOOL, I32, low=0, high=2))
def all_any_1d(x):
    return np.all(x), x.any(), np.any(x == 1, axis=0), (x >= 0).all()


@cases.add("red.all-any", lambda: (np.zeros((0, 2)),))
def all_any_empty(x):
    return np.all(x), np.any(x), x.all(axis=0), x.any(axis=1)


# --------------------------------------------------------------------------- cumsum, cumprod


@cases.add("red.cum", *each((5, 4), F64, I32, F32))
def cum_forms(x):
    return np.cumsum(x), x.cumsum(axis=0), np.cumprod(x, axis=1), x.cumprod(axis=-1), x.cumsum(-2)


@cases.add("red.cum", *each((9,), I64, BOOL, low=0, high=3))
def cum_1d(x):
    return np.cumsum(x), x.cumprod(), np.cumsum(x * 2)


# --------------------------------------------------------------------------- diff


@cases.add("red.diff", *each((6, 5), F64, I32, low=-5, high=5), *each((8,), I64, U8, low=0, high=9))
def diff_forms(x):
    return np.diff(x), np.diff(x, axis=0), np.diff(x, n=2), np.diff(x, n=0, axis=-1) + 1


@cases.add("red.diff", lambda: (arr(1),), lambda: (arr((3, 1)),))
def diff_short(x):
    return np.diff(x), np.diff(x, n=3)


# --------------------------------------------------------------------------- nan-ignoring


@cases.add("red.nan", lambda: (with_nans((5, 4)),), lambda: (with_nans((6, 3), "F"),), lambda: (arr((4, 3)),))
def nan_reductions(x):
    return (
        np.nansum(x),
        np.nanprod(x, axis=0),
        np.nanmin(x, axis=1),
        np.nanmax(x),
        np.nanmean(x, axis=0),
        np.nanstd(x, axis=1),
        np.nanvar(x, ddof=1),
        np.nanmedian(x, axis=0),
        np.nanmedian(x),
    )


@cases.add("red.nan", *each((5, 4), I32, low=-3, high=3))
def nan_on_ints(x):
    return np.nansum(x, axis=0), np.nanmax(x), np.nanmean(x, axis=1), np.nanmedian(x)


# --------------------------------------------------------------------------- rows of outputs


@cases.add("red.axis", *each((7, 12), F64, F32, I32), *each((3, 4, 9), F64, I64))
def axis_keeps_inner(x):
    # The innermost axis is kept and at least 8 long: whole rows accumulate at once.
    return (
        x.sum(axis=0),
        np.prod(x, axis=0),
        x.mean(axis=0),
        x.min(axis=0),
        np.max(x, axis=0, keepdims=True),
        np.all(x > 0.6, axis=0),
        np.any(x > 1.9, axis=0),
        np.nansum(x, axis=0),
        np.nanprod(x, axis=0),
        x.sum(axis=0, keepdims=True),
    )


@cases.add("red.keepdims", *each((3, 4, 9), F64, F32))
def keepdims_outer_axes(x):
    return x.sum(axis=(0, 1), keepdims=True), x.mean(axis=1, keepdims=True), np.max(x, axis=(0, 1))


@cases.add("red.nan", lambda: (with_nans((5, 10)),), lambda: (with_nans((4, 16), "F"),))
def nan_rows(x):
    return np.nansum(x, axis=0), np.max(x, axis=0), np.nanprod(x, axis=0), x.min(axis=0, keepdims=True)


@cases.add("red.min-max", lambda: (np.zeros((0, 0)),), lambda: (np.zeros((0, 9)),), raises=ValueError)
def max_empty_both(x):
    return x.max(axis=0)


test_conformance = cases.test()
