"""The dispatcher's monomorphic fast path (_runtime.c, fast_unpack): a call first tries the
entry called last, checking and unpacking every argument in one pass. Each test here primes that
path with a good call, then calls with an argument the entry must not take: one that needs
another specialization, or one the generic path rejects with an error. The result must be what
NumPy and CPython give, as if the fast path did not exist."""

import os

import numpy as np
import pytest

import sejit

pytestmark = pytest.mark.skipif(
    os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1: jit returns the function"
)


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def add(a, b):
    return a + b


def reference_poly(x, a):
    x1 = np.asarray(x) - a
    return x1 + x1 * x1


@pytest.fixture
def fpoly():
    f = sejit.jit(poly)
    x = np.linspace(0.0, 1.0, 7)
    f(x, np.empty_like(x), 0.5)
    return f


def test_read_only_output_after_a_fast_call(fpoly):
    x = np.linspace(0.0, 1.0, 7)
    y = np.zeros(7)
    y.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fpoly(x, y, 0.5)
    assert np.all(y == 0.0)
    # A read-only input is fine: only y is written.
    x.flags.writeable = False
    out = np.empty(7)
    fpoly(x, out, 0.5)
    np.testing.assert_array_equal(out, reference_poly(x, 0.5))


def test_misaligned_array_after_a_fast_call(fpoly):
    raw = np.zeros(7 * 8 + 1, np.uint8)[1:].view(np.float64)
    assert raw.ctypes.data % 8 != 0
    raw[:] = np.linspace(0.0, 1.0, 7)
    out = np.empty(7)
    fpoly(raw, out, 0.5)  # the general path: an aligned copy
    np.testing.assert_array_equal(out, reference_poly(raw, 0.5))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: np.linspace(0.0, 1.0, 14)[::2], id="strided"),
        pytest.param(lambda: np.linspace(0.0, 1.0, 1), id="one-element"),
        pytest.param(lambda: np.linspace(0.0, 1.0, 7).astype(np.float32), id="float32"),
        pytest.param(lambda: np.linspace(0.0, 1.0, 7).astype(">f8"), id="big-endian"),
        pytest.param(lambda: np.arange(7, dtype=np.longlong), id="longlong"),
        pytest.param(lambda: np.arange(7), id="int64"),
        pytest.param(lambda: np.linspace(0.0, 1.0, 7).reshape(7, 1)[:, 0], id="view"),
    ],
)
def test_other_arrays_after_a_fast_call_give_numpys_result(fpoly, make):
    x = make()
    y = np.empty(x.shape)
    want = reference_poly(x, 0.5)
    if x.dtype.byteorder == ">":
        with pytest.raises(TypeError):
            fpoly(x, y, 0.5)
        return
    fpoly(x, y, 0.5)
    np.testing.assert_allclose(y, want.astype(y.dtype), rtol=1e-6 if x.dtype == np.float32 else 0)
    # And the first signature still gives its result afterwards.
    x0 = np.linspace(0.0, 1.0, 7)
    y0 = np.empty(7)
    fpoly(x0, y0, 0.5)
    np.testing.assert_array_equal(y0, reference_poly(x0, 0.5))


def test_scalar_kinds_after_a_fast_call():
    f = sejit.jit(add)
    cases = [
        (1.5, 2.25),
        (1, 2),
        (True, True),
        (1j, 2.5),
        (np.float32(1.5), np.float32(0.25)),
        (np.int64(3), 4),
        (np.int64(3), np.int32(4)),
        (1.5, 2.25),
        (2**62, 2**62 - 1),
        (np.uint8(250), np.uint8(10)),
    ]
    for a, b in cases + cases[::-1]:
        with np.errstate(over="ignore"):
            want = add(a, b)
        got = f(a, b)
        # sejit returns int64 and float64 results as Python int and float (as Numba does).
        assert got == want and np.asarray(got).dtype == np.asarray(want).dtype, (a, b, got)


def test_int_overflow_after_a_fast_call():
    f = sejit.jit(add)
    assert f(1, 2) == 3
    with pytest.raises(OverflowError):
        f(2**63, 1)
    with pytest.raises(OverflowError):
        f(1, -(2**64))
    assert f(5, 6) == 11


def test_subclasses_after_a_fast_call():
    class MyFloat(float):
        pass

    class MyArray(np.ndarray):
        pass

    f = sejit.jit(add)
    assert f(1.0, 2.0) == 3.0
    got = f(MyFloat(1.5), 2.0)
    assert got == 3.5 and type(got) is float
    fp = sejit.jit(poly)
    x = np.linspace(0.0, 1.0, 7)
    fp(x, np.empty(7), 0.5)
    with pytest.raises(TypeError):
        fp(x.view(MyArray), np.empty(7), 0.5)


def test_arity_change_after_a_fast_call(fpoly):
    with pytest.raises(TypeError):
        fpoly(np.linspace(0.0, 1.0, 7), np.empty(7))
