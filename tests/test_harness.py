"""The harness checks itself: copies keep layouts, comparisons catch what they must."""

import numpy as np
import pytest
from conftest import LAYOUTS, assert_same, clone, make_array


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 4, 2)], ids=lambda s: f"{len(s)}d")
def test_clone_keeps_layout_and_values(layout, shape):
    a = make_array(shape, np.float64, layout)
    b = clone(a)
    assert b.strides == a.strides
    assert b.flags.c_contiguous == a.flags.c_contiguous
    assert b.flags.f_contiguous == a.flags.f_contiguous
    np.testing.assert_array_equal(a, b)
    assert not np.may_share_memory(a, b)
    b[...] = 0
    assert np.all(a != 0)  # the original is untouched


def test_clone_keeps_read_only_and_nests():
    a = make_array(5)
    a.flags.writeable = False
    b, (c, n) = clone((a, (a[::2], 3)))
    assert not b.flags.writeable and n == 3 and c.strides == a[::2].strides


def test_make_array_layouts():
    assert make_array((4, 5), layout="F").flags.f_contiguous
    assert not make_array((4, 5), layout="F").flags.c_contiguous
    s = make_array((4, 5), layout="strided")
    assert not s.flags.c_contiguous and not s.flags.f_contiguous and s.base is not None
    assert all(st < 0 for st in make_array((4, 5), layout="reversed").strides)


@pytest.mark.parametrize(
    "expected, got",
    [
        pytest.param(np.zeros(3), np.zeros(3, np.float32), id="array-dtype"),
        pytest.param(np.zeros(3), np.zeros(4), id="array-shape"),
        pytest.param(np.ones(3), np.ones(3) + 1e-9, id="f64-value"),
        pytest.param(np.ones(3, np.float32), np.ones(3, np.float32) * 1.001, id="f32-value"),
        pytest.param(np.arange(3), np.arange(3) + np.array([0, 0, 1]), id="int-value"),
        pytest.param(1.0, 1, id="float-vs-int"),
        pytest.param(1, True, id="int-vs-bool"),
        pytest.param(np.float32(1.0), 1.0, id="float32-vs-float64"),
        pytest.param(1.0, np.array(1.0), id="scalar-vs-0d"),
        pytest.param((1, 2), (1, 2, 3), id="tuple-length"),
        pytest.param((1, 2.0), (1, 2), id="tuple-item"),
        pytest.param(float("nan"), 0.0, id="nan-vs-number"),
        pytest.param(None, 0, id="none"),
        pytest.param(2**63, 2**63, id="int-beyond-int64"),
    ],
)
def test_assert_same_catches(expected, got):
    with pytest.raises(AssertionError):
        assert_same(expected, got)


@pytest.mark.parametrize(
    "expected, got",
    [
        pytest.param(float("nan"), float("nan"), id="nan"),
        pytest.param(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), id="nan-array"),
        pytest.param(1.0, 1.0 + 1e-14, id="f64-within-rtol"),
        pytest.param(np.float32(1.0), np.float32(1.000001), id="f32-within-rtol"),
        pytest.param((1, (2.0, np.zeros(2))), (1, (2.0, np.zeros(2))), id="nested"),
    ],
)
def test_assert_same_accepts(expected, got):
    assert_same(expected, got)


# A NumPy scalar and the Python number of the same value differ where CPython returns one of
# them (later code computes differently with each under NEP 50); scalar_types=False compares
# dtype and value only, for results whose Python type depends on the values in CPython.
SAME_VALUE_OTHER_TYPE = [
    pytest.param(np.float64(1.5), 1.5, id="np.float64-vs-float"),
    pytest.param(np.int64(3), 3, id="np.int64-vs-int"),
    pytest.param(np.True_, True, id="np.bool-vs-bool"),
    pytest.param((1, np.float64(2.0)), (1, 2.0), id="in-a-tuple"),
]


@pytest.mark.parametrize("expected, got", SAME_VALUE_OTHER_TYPE)
def test_assert_same_catches_scalar_types(expected, got):
    with pytest.raises(AssertionError, match="type"):
        assert_same(expected, got)


@pytest.mark.parametrize("expected, got", SAME_VALUE_OTHER_TYPE)
def test_assert_same_without_scalar_types_accepts(expected, got):
    assert_same(expected, got, scalar_types=False)
