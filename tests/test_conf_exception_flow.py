"""Exceptions across compiled code, against CPython: raised in helpers and caught (or not) by
callers, re-raised, chained, in loops and comprehensions, with `finally`; the text of what sejit
raises itself (`str(e)`, `repr(e)` as values); functions that always raise.

Every case runs in CPython and through ``jit`` on copies of the same arguments (conformance.py);
a case that must fail compares the exception's type and message with CPython's (``match=True``).
"""

import math

import numpy as np
from conformance import Cases

cases = Cases(__name__)


def arr(*xs):
    return np.array(xs, dtype=np.float64)


# --------------------------------------------------------------------------- str() and repr()
# str(x) and repr(x) fold to the f-string fields {x!s} and {x!r} (resolve/strfold_rw.go), in a
# function with no string constant too, and of a caught exception as a value.


def _to_text(x):
    return str(x)


def _to_repr(x):
    return repr(x)


@cases.add("py.str-format", (3,), (2.5,), (-7,))
def str_in_helper(x):
    return _to_text(x)


@cases.add("py.str-format", (3,), (2.5,), (np.float32(1.5),))
def repr_in_helper(x):
    return _to_repr(x)


@cases.add("py.str-format", (12,))
def str_without_string_constants(n):
    return str(n * 2)


@cases.add("py.try", (0.0,), (0,))
def str_of_caught_zero_division(x):
    try:
        y = 1 / x
    except ZeroDivisionError as e:
        return str(e)
    return str(y)


@cases.add("py.try", (0.0,), (2.0,))
def repr_of_caught(x):
    r = "none"
    try:
        y = 1 / x
    except ZeroDivisionError as e:
        r = repr(e)
    return r


@cases.add("py.try", (1e300,), (1e100,))
def str_of_caught_float_power_overflow(x):
    try:
        y = x ** 2
    except OverflowError as e:
        return str(e)
    return str(y)


@cases.add("py.try", (1e300,))
def repr_of_caught_float_power_overflow(x):
    try:
        y = x ** 3.0
    except OverflowError as e:
        return repr(e)
    return repr(y)


@cases.add("py.try", (arr(1, 2), 5), (arr(1, 2), 1))
def str_of_caught_index(a, i):
    try:
        v = a[i]
    except IndexError as e:
        return str(e)
    return str(v)


@cases.add("py.try", (-1.0,), (1000.0,), (4.0,))
def str_of_caught_math(x):
    try:
        v = math.sqrt(x) + math.exp(x)
    except ValueError as e:
        return "value: " + str(e)
    except OverflowError as e:
        return "overflow: " + str(e)
    return str(v)


@cases.add("py.try", (5,), (1,))
def str_of_caught_key(k):
    d = {1: 2.0}
    try:
        v = d[k]
    except KeyError as e:
        return str(e) + repr(e)
    return str(v)


# --------------------------------------------------------------------------- always raising
# A function with no return statement that cannot fall off its end has None for its type, so
# that callers compile; the call raises before any None is seen.


def _fail(n):
    raise ValueError(f"bad {n}")


def _fail_either(n):
    if n < 0:
        raise ValueError("negative")
    else:
        raise IndexError(f"index {n}")


@cases.add("py.raise", (3,), raises=ValueError, match=True)
def return_of_always_raising(n):
    return _fail(n)


@cases.add("py.raise", (3,), raises=ValueError, match=True)
def statement_of_always_raising(n):
    _fail(n)
    return n


@cases.add("py.raise", (3,), (-4,), raises=ValueError, match=True)
def always_raising_entry(n):
    raise ValueError(f"bad {n}")


@cases.add("py.raise", (3,), (1,))
def early_return_then_always_raising(n):
    if n > 0:
        return n * 2
    return _fail(n)


@cases.add("py.raise", (-3,), raises=ValueError, match=True)
def early_return_then_always_raising_raises(n):
    if n > 0:
        return n * 2
    return _fail(n)


@cases.add("py.raise", (-1,), raises=ValueError, match=True)
def either_raise_value(n):
    return _fail_either(n)


@cases.add("py.raise", (2,), raises=IndexError, match=True)
def either_raise_index(n):
    return _fail_either(n)


@cases.add("py.try", (-1,), (2,))
def catch_from_always_raising(n):
    try:
        _fail_either(n)
    except ValueError as e:
        return "V " + str(e)
    except IndexError as e:
        return "I " + str(e)
    return "none"


@cases.add("py.raise", (arr(1, 2, 3),), (arr(1, -2, 3),))
def always_raising_in_loop(a):
    s = 0.0
    try:
        for v in a:
            if v < 0:
                _fail(v)
            s += v
    except ValueError:
        s = -s
    return s


# --------------------------------------------------------------------------- checks sejit adds
# Python ints refuse a negative shift count (NumPy integers shift it to 0).


@cases.add("py.arith", (1, -1), (-8, -3), raises=ValueError, match=True)
def negative_left_shift(x, n):
    return x << n


@cases.add("py.arith", (8, -1), raises=ValueError, match=True)
def negative_right_shift(x, n):
    return x >> n


@cases.add("py.arith", (5, 3), (-40, 2), (7, 0))
def shifts(x, n):
    y = x
    y <<= n
    return (x << n) + (x >> n) + y


@cases.add("py.arith", (np.int64(4), -1), (np.int32(-9), 2))
def numpy_shift_of_any_count(x, n):
    return x << n, x >> n


@cases.add("py.try", (3, -2), (3, 2))
def negative_shift_caught(x, n):
    try:
        return str(x << n)
    except ValueError as e:
        return str(e)


test_conformance = cases.test()
