"""Compile-time errors of the array features (issue 3): what stays unsupported in indexing,
attributes, methods and reductions stops compilation with an UnsupportedError positioned at the
construct (file:line:col, the line quoted, a caret), and nothing runs. Each row of the
"Not supported" table of docs/supported.md for these features has a test here.
"""


import numpy as np
import pytest
import sejit
from conftest import assert_points_at, needs_engine
from sejit import jit


def mask_lower_rank(x, m):
    return x[m]


def axis_variable(x, k):
    return x.sum(axis=k)


def keepdims_variable(x, k):
    return x.sum(axis=0, keepdims=k)


def flags_writeable(x):
    return x.flags.writeable


def diff_positional_n(x):
    return np.diff(x, 2)


def transpose_variable(x, k):
    return x.transpose(k, 0)


def median_of_scalar(x, s):
    return np.median(s)


CASES = [
    pytest.param(mask_lower_rank, "m]", (np.ones((2, 2, 2)), np.ones((2, 2), bool)), id="mask-lower-rank"),
    pytest.param(axis_variable, "k)", (np.ones((2, 2)), 1), id="axis-variable"),
    pytest.param(keepdims_variable, "k)", (np.ones((2, 2)), True), id="keepdims-variable"),
    pytest.param(flags_writeable, "x.flags.writeable", (np.ones(2),), id="flags-writeable"),
    pytest.param(diff_positional_n, "np.diff(x, 2)", (np.ones(4),), id="diff-positional-n"),
    pytest.param(transpose_variable, "k, 0", (np.ones((2, 2)), 1), id="transpose-variable"),
    pytest.param(median_of_scalar, "np.median(s)", (np.ones(2), 1.0), id="reduction-of-scalar"),
]


@needs_engine
@pytest.mark.parametrize("fn, marker, args", CASES)
def test_unsupported_array_construct_is_positioned(fn, marker, args):
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(fn)(*args)
    assert_points_at(str(info.value), fn, marker)


def axis_out_of_range(x):
    return x.sum(axis=2)


@needs_engine
def test_axis_out_of_range_is_value_error():
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        jit(axis_out_of_range)(np.ones((2, 2)))
