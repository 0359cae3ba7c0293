"""Compile-time errors: positions, quoted lines, carets, exception classes;
and the arguments sejit refuses.

Where CPython raises too (a NameError, a TypeError from a wrong call), the
test is differential: both must raise the same kind of exception.
"""

import math

import numpy as np
import pytest
import sejit
from conftest import DISABLED, assert_points_at, assert_positioned, check_raises, needs_engine
from sejit import jit


def uses_dict(x):
    d = {1: 2, **x}
    return d[1]


def uses_try(x):
    y = 0.0
    try:
        y = x + 1.0
    except OSError:
        y = -1.0
    return y


def _helper_with_dict(x):
    table = {"k": x, 1: x}
    return table["k"]


def calls_bad_helper(x):
    return _helper_with_dict(x) + 1.0


def uses_generator(n):
    for i in range(n):
        yield i * 2


def uses_nested_def(x):
    def inner(v):
        nonlocal x
        x = np.full(3, v)

    inner(x)
    return x


def uses_lambda(x):
    f = lambda v, k=x: v + k  # noqa: E731
    return f(x)


def uses_with(x):
    with np.errstate(all="ignore"):
        y = x + 1.0
    return y


def uses_math_sqrt_of_array(x):
    return math.sqrt(x)


def _one_arg(v):
    return v + 1


def calls_with_too_many_args(v):
    return _one_arg(v, 2)


def uses_undefined_name(x):
    return x + undefined_name_xyz  # noqa: F821


def add_one(x):
    return x + 1


@needs_engine
@pytest.mark.parametrize(
    "fn, marker, arg",
    [
        pytest.param(uses_dict, "{1: 2, **x}", 1.0, id="dict-unpacking"),
        pytest.param(uses_try, "OSError", 1.0, id="try-uncatchable-class"),
        pytest.param(calls_bad_helper, '1: x', 1.0, id="dict-in-helper"),
        pytest.param(
            uses_generator, "yield i * 2", 3, id="generator"
        ),
        pytest.param(uses_nested_def, "x = np.full(3, v)", 1.0, id="nested-def-nonlocal"),
        pytest.param(uses_lambda, "x: v + k", 1.0, id="lambda-default"),
        pytest.param(uses_with, "with np.errstate", 1.0, id="with-block"),
    ],
)
def test_unsupported_construct_is_positioned(fn, marker, arg):
    helper = _helper_with_dict if fn is calls_bad_helper else fn
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(fn)(arg)
    assert isinstance(info.value, NotImplementedError)
    assert_points_at(str(info.value), helper, marker)


@needs_engine
def test_unsupported_error_repeats_and_compiles_nothing():
    fast = jit(uses_dict)
    for _ in range(2):
        with pytest.raises(sejit.UnsupportedError):
            fast(1.0)
    assert fast.signatures == []


@needs_engine
@pytest.mark.parametrize(
    "value, name",
    [
        pytest.param([1.0, 2.0], "list", id="list"),
        pytest.param("abc", "str", id="str"),
        pytest.param({"a": 1}, "dict", id="dict"),
        pytest.param(None, "None", id="None"),
    ],
)
def test_unsupported_argument_type_is_type_error(value, name):
    fast = jit(add_one)
    with pytest.raises(TypeError) as info:
        fast(value)
    assert name in str(info.value), str(info.value)
    # The dispatcher still works for supported arguments afterwards.
    assert fast(np.arange(3.0)).tolist() == [1.0, 2.0, 3.0]


def test_type_errors_match_cpython():
    err = check_raises(uses_math_sqrt_of_array, np.arange(3.0), exc=TypeError)
    check_raises(calls_with_too_many_args, 1, exc=TypeError)
    if not DISABLED:
        assert isinstance(err, sejit.TypingError), repr(err)


@needs_engine
def test_typing_error_is_positioned():
    with pytest.raises(sejit.TypingError) as info:
        jit(calls_with_too_many_args)(1)
    assert_positioned(str(info.value), calls_with_too_many_args, "_one_arg(v, 2)", "")


def test_undefined_name_is_name_error():
    check_raises(uses_undefined_name, 1.0, exc=NameError)


def test_exception_classes():
    assert issubclass(sejit.UnsupportedError, NotImplementedError)
    assert issubclass(sejit.TypingError, TypeError)
