"""Arguments sejit cannot take are TypeErrors that say what was passed, which argument is
wrong and why, what is accepted, and which signatures are compiled (issue 4, "Run-time
checks"). Nothing is compiled for them, and the dispatcher goes on working."""

import collections
import os
import traceback

import numpy as np
import pytest

import sejit

DISABLED = os.environ.get("SEJIT_DISABLE") == "1"
pytestmark = pytest.mark.skipif(DISABLED, reason="SEJIT_DISABLE=1: jit returns the function")

SEJIT_DIR = os.path.dirname(sejit.__file__)


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


@pytest.fixture(scope="module")
def fast():
    f = sejit.jit(poly)
    x = np.linspace(0, 1, 5).astype(np.float32)
    f(x, np.empty_like(x), 0.5)
    assert f.signatures == ["(array(float32, 1d, C), array(float32, 1d, C), float)"]
    return f


Y = np.empty(5, np.float32)
Pair = collections.namedtuple("Pair", "a b")


@pytest.mark.parametrize(
    "x, passed, why",
    [
        pytest.param(
            frozenset({1.0, 2.0}),
            "frozenset",
            "got a value of type frozenset",
            id="set",
        ),
        # Tuples are accepted (py.tuple-args) when every item is: the first bad one is named.
        pytest.param(
            (1.0, ("a", 2.0)),
            "tuple",
            "got a tuple whose item [1][0] is a value of type str",
            id="tuple-item",
        ),
        pytest.param(
            Pair(1.0, 2.0),
            "Pair",
            "got an instance of the tuple subclass Pair (pass tuple(...) for a plain tuple)",
            id="namedtuple",
        ),
        pytest.param(
            np.array([1, "a"], dtype=object),
            "array(object, 1d, C)",
            "got a numpy array of dtype object with 1 dimension "
            "(arrays of Python objects are not compiled)",
            id="object-dtype",
        ),
        pytest.param(
            np.array(["ab", "cd"]),
            "array(<U2, 1d, C)",
            "got a numpy array of dtype <U2 with 1 dimension "
            "(arrays of strings or bytes are not compiled)",
            id="str-dtype",
        ),
        pytest.param(
            np.array([b"ab"]),
            "array(|S2, 1d, C)",
            "got a numpy array of dtype |S2 with 1 dimension",
            id="bytes-dtype",
        ),
        pytest.param(
            np.zeros((1,) * 9, np.float32),
            "array(float32, 9d, C)",
            "got a numpy array of dtype float32 with 9 dimensions "
            "(at most 8 dimensions are supported)",
            id="9d",
        ),
        pytest.param(
            np.zeros((1,) * 32, np.float32),
            "array(float32, 32d, C)",
            "with 32 dimensions (at most 8",
            id="32d",
        ),
        pytest.param(
            np.zeros(5, ">f4"),
            "array(>f4, 1d, C)",
            "non-native byte order",
            id="byteswapped",
        ),
        pytest.param(np.zeros(5, np.float16), "array(float16, 1d, C)", "dtype float16", id="f16"),
        pytest.param(None, "NoneType", "got a value of type NoneType", id="None"),
        pytest.param(
            np.ma.masked_array(np.zeros(5, np.float32)),
            "MaskedArray(float32, 1d, C)",
            "ndarray subclass MaskedArray",
            id="masked",
        ),
    ],
)
def test_rejected_first_argument(fast, x, passed, why):
    with pytest.raises(TypeError) as info:
        fast(x, Y, 0.5)
    msg = str(info.value)
    assert msg.startswith("poly() argument 1 ('x'): got ") and why in msg, msg
    assert f"Called with ({passed}, array(float32, 1d, C), float)." in msg
    assert (
        "Compiled signatures: (array(float32, 1d, C), array(float32, 1d, C), float)." in msg
    )
    accepted = "Accepted: NumPy arrays (up to 8 dimensions) and NumPy scalars of dtype bool, int8,"
    assert accepted in msg
    assert "complex128; Python bool, int, float and complex" in msg
    # One primary message: no chained exception, no frames inside sejit.
    assert info.value.__cause__ is None and info.value.__suppress_context__
    frames = [f for f in traceback.extract_tb(info.tb) if f.filename.startswith(SEJIT_DIR)]
    assert frames == []
    assert len(fast.signatures) == 1


def test_the_argument_named_is_the_first_rejected(fast):
    x = np.zeros(5, np.float32)
    with pytest.raises(TypeError) as info:
        fast(x, np.zeros(5, object), "s")
    msg = str(info.value)
    assert msg.startswith("poly() argument 2 ('y'): got a numpy array of dtype object")
    assert "Called with (array(float32, 1d, C), array(object, 1d, C), str)." in msg


def test_several_compiled_signatures_are_listed():
    f = sejit.jit(poly)
    for dt, a in ((np.float32, 0.5), (np.float64, 2)):
        x = np.zeros((3, 2), dt)[:, 0]  # strided: layout A
        f(x, np.empty(3, dt), a)
    with pytest.raises(TypeError) as info:
        f(frozenset({1.0}), Y, 0.5)
    assert (
        "Compiled signatures: (array(float32, 1d, A), array(float32, 1d, C), float); "
        "(array(float64, 1d, A), array(float64, 1d, C), int)."
    ) in str(info.value)


def test_no_signature_compiled_yet():
    with pytest.raises(TypeError, match=r"Compiled signatures: none yet\."):
        sejit.jit(poly)(np.zeros(3, object), Y, 1.0)


def test_the_dispatcher_works_after_a_type_error(fast):
    with pytest.raises(TypeError):
        fast(np.zeros((1,) * 9, np.float32), Y, 0.5)
    x = np.linspace(0, 1, 5).astype(np.float32)
    y = np.empty_like(x)
    fast(x, y, 0.5)
    np.testing.assert_allclose(y, (x - 0.5) + (x - 0.5) ** 2, rtol=1e-6)


def test_arity_errors_carry_no_internal_frames():
    with pytest.raises(TypeError, match=r"^poly\(\) missing 2 required positional") as info:
        sejit.jit(poly)(1.0)
    frames = [f for f in traceback.extract_tb(info.tb) if f.filename.startswith(SEJIT_DIR)]
    assert frames == []


def test_str_argument_used_as_a_value(fast):
    # A str argument is accepted (a constant or a run-time string, test_conf_strings.py); used
    # in arithmetic with a number it is a TypeError at its position, as CPython's would be.
    with pytest.raises(TypeError, match="unsupported operand types for -: str and float"):
        fast("abc", Y, 0.5)
