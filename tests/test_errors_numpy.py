"""Compile-time errors of the NumPy functions (issue 3): the variants sejit does not compile stop
with a positioned error naming the construct (docs/supported.md, "Not supported"), and misuses
that NumPy rejects at run time raise NumPy's exception type."""


import numpy as np
import pytest
import sejit
from conftest import assert_points_at, assert_positioned, check_raises, needs_engine
from sejit import jit


def round_variable(x, n):
    return np.round(x, n)


def sqrt_int8(x):
    return np.sqrt(x)


def arctan2_int8(a, b):
    return np.arctan2(a, b)


def histogram_f32(x):
    return np.histogram(x)


def dot_3d(a, b):
    return np.dot(a, b)


def linspace_arrays(a, b):
    return np.linspace(a, b, 5)


def searchsorted_bad_side(a, v):
    return np.searchsorted(a, v, side="middle")


def unique_counts(x):
    return np.unique(x, return_counts=True)


def cbrt_complex(z):
    return np.cbrt(z)


def concatenate_array(x):
    return np.concatenate(x)


def cross_2d(a, b):
    return np.cross(a, b)


def clip_none(x):
    return np.clip(x, None, 1.0)


def eye_float(n):
    return np.eye(n)


def concatenate_mixed_rank(a, b):
    return np.concatenate((a, b))


F64 = np.arange(4.0)
M2 = np.ones((2, 2))
M3 = np.ones((2, 2, 2))

UNSUPPORTED = [
    (round_variable, "n)", (F64, 2), "integer constant"),
    (sqrt_int8, "np.sqrt(x)", (np.arange(3, dtype=np.int8),), "float16"),
    (arctan2_int8, "np.arctan2", (np.arange(3, dtype=np.int8), np.arange(3, dtype=np.int8)), "float16"),
    (histogram_f32, "np.histogram", (F64.astype(np.float32),), "float32"),
    (dot_3d, "np.dot", (M3, M3), "1-D and 2-D"),
    (linspace_arrays, "a, b, 5", (F64, F64), "arrays"),
    (searchsorted_bad_side, "np.searchsorted", (F64, 1.0), "side"),
    (unique_counts, "np.unique", (F64,), "return_counts"),
    (cbrt_complex, "np.cbrt", (np.array([1j]),), "complex"),
    (concatenate_array, "np.concatenate", (M2,), "tuple of arrays"),
    (cross_2d, "np.cross", (M2, M2), "3-vectors"),
    (clip_none, "None", (F64,), "None bound"),
]


@needs_engine
@pytest.mark.parametrize("fn, marker, args, words", UNSUPPORTED, ids=[u[0].__name__ for u in UNSUPPORTED])
def test_unsupported_numpy_is_positioned(fn, marker, args, words):
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(fn)(*args)
    assert_points_at(str(info.value), fn, marker)
    assert words in str(info.value), str(info.value)


TYPING = [
    (eye_float, "np.eye", (3.0,)),
    (concatenate_mixed_rank, "np.concatenate", (F64, M2)),
]


@needs_engine
@pytest.mark.parametrize("fn, marker, args", TYPING, ids=[u[0].__name__ for u in TYPING])
def test_numpy_typing_error_is_positioned(fn, marker, args):
    # NumPy raises at run time here (a TypeError or ValueError); sejit refuses at compile time
    # with a positioned error of the same class.
    with pytest.raises(Exception) as np_info:
        fn(*args)
    with pytest.raises(type(np_info.value)) as info:
        jit(fn)(*args)
    assert_positioned(str(info.value), fn, marker, "")


def negative_linspace(n):
    return np.linspace(0.0, 1.0, n)


def eye_negative(n):
    return np.eye(n)


def interp_empty(x):
    return np.interp(x, x[:0], x[:0])


def interp_lengths(x):
    return np.interp(x, x, x[1:])


def histogram_zero_bins(x):
    return np.histogram(x, bins=0)


def bincount_negative_minlength(x):
    return np.bincount(x, minlength=-1)


RUNTIME = [
    (negative_linspace, (-1,), ValueError),
    (eye_negative, (-2,), ValueError),
    (interp_empty, (F64,), ValueError),
    (interp_lengths, (F64,), ValueError),
    (histogram_zero_bins, (F64,), ValueError),
    (bincount_negative_minlength, (np.arange(3),), ValueError),
]


@pytest.mark.parametrize("fn, args, exc", RUNTIME, ids=[u[0].__name__ for u in RUNTIME])
def test_numpy_runtime_errors_match(fn, args, exc):
    check_raises(fn, *args, exc=exc)
