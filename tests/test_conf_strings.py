"""Strings as compile-time values (issue 14): constant-string variables, folded `+`, comparisons,
`in`, `len`, indexing and loops over characters; `%`-formatting, `.format` and `str(x)` in
print() and raise messages (formatted by Python through the print hook); str arguments, a
specialization per distinct string, so `mode == "linear"` is decided when compiling.

Output tests compare stdout in CPython and through jit exactly (capsys); the conformance cases
register the features of docs/supported.md.
"""

import copy

import numpy as np
import pytest
from conformance import Cases
from conftest import jitted, needs_engine

import sejit

cases = Cases(__name__)

SEP = " | "


def outputs(capsys, fn, *args):
    got = []
    for run in (fn, jitted(fn)):
        a = copy.deepcopy(args)
        print("before")
        r = run(*a)
        print("after", r)
        got.append(capsys.readouterr().out)
    return got


# --------------------------------------------------------------------------- conformance


@cases.add("py.str-constants", (3,), (-2,))
def conf_str_constants(n):
    s = "ab"
    t = s + "cd" + "é"
    r = 0
    if t == "abcdé":
        r += 1
    if t != "abcd":
        r += 2
    if "cd" in t and "x" not in t:
        r += 4
    r += len(t) * 10 + len("")
    if t[1] == "b" and t[-1] == "é" and t[1:3] == "bc" and t[::-1] == "édcba":
        r += 100
    if s * 2 == "abab" and s < "b" and t.startswith("ab") and "AB".lower() == s:
        r += 1000
    return r * n


@cases.add("py.str-constants", (2,))
def conf_str_iterate(n):
    total = 0
    for c in "hello":
        if c in "aeiou":
            total += n
        elif c == "l":
            total += 10
    return total


@cases.add("py.str-constants", (1.5,))
def conf_str_branch(x):
    kind = "square"
    if kind == "cube":
        return x * x * x
    return x * x if kind == "square" else -x


@cases.add("py.str-format", (3, 2.5), (-7, 1e-3))
def conf_str_format_print(n, x):
    print("n=%d x=%.3f %5.1f%% %s %r" % (n, x, x, n, x))
    print("{} {:.3f} {!r} {{}}".format(n, x, x))
    print("{1}-{0:>4}".format(n, x), "{a}/{b:+d}".format(a=x, b=n))
    print("v=" + str(n) + SEP + str(x), str(n * x))
    return n


@cases.add("py.str-format", (5, 1.0), raises=ValueError, match=True)
def conf_str_format_raise(n, x):
    if n > 2:
        raise ValueError("bad n=%d (x=%.2f)" % (n, x))
    return n


@cases.add("py.str-format", (5,), raises=ValueError, match=True)
def conf_str_format_raise2(n):
    if n > 2:
        raise ValueError("bad n={:03d}: ".format(n) + str(n * 0.5))
    return n


def interp(x, mode="linear"):
    if mode == "linear":
        return x * 2.0
    elif mode in ("cubic", "quad"):
        return x**3
    return x - 1.0


@cases.add("py.str-args", (1.5,), (2.0, "linear"), (2.0, "cubic"), (2.0, "other"))
def conf_str_args(x, mode="linear"):
    if mode == "linear":
        return x * 2.0
    elif mode in ("cubic", "quad"):
        return x**3
    return x - 1.0


@cases.add("py.str-args", (3, "abc"), (3, "xyz"))
def conf_str_arg_text(n, name):
    print("name=" + name, len(name), name[0])
    if name.startswith("a"):
        return n + len(name)
    return -n


DTYPE = "float32"


@cases.add("py.str-args", (3, "int16"), (2, "float32"))
def conf_str_arg_dtype(n, dt):
    # A dtype named by a str argument or a module-level string is a constant dtype.
    return np.ones(n, dtype=dt).sum() + np.zeros(n, dtype=DTYPE).sum()


test_conformance = cases.test()


# --------------------------------------------------------------------------- output


@needs_engine
def test_format_output(capsys):
    py, jt = outputs(capsys, conf_str_format_print, 3, 2.5)
    assert jt == py
    assert "n=3 x=2.500" in py


@needs_engine
def test_str_arg_output(capsys):
    py, jt = outputs(capsys, conf_str_arg_text, 3, "abc")
    assert jt == py


@needs_engine
def test_str_arg_specializations():
    f = sejit.jit(interp)
    a = np.arange(3.0)
    np.testing.assert_array_equal(f(a), a * 2.0)
    np.testing.assert_array_equal(f(a, "cubic"), a**3)
    np.testing.assert_array_equal(f(a, mode="quad"), a**3)
    np.testing.assert_array_equal(f(a, "linear"), a * 2.0)


@needs_engine
def test_long_str_arg_is_a_runtime_string():
    # Longer than the constants' limit: compiled once as a run-time string, for any text.
    f = sejit.jit(interp)
    for mode in ("x" * 300, "linear" + " " * 300, "y" * 400):
        assert f(1.5, mode) == interp(1.5, mode)
    assert len([s for s in f.signatures if "str" in s]) == 1


@needs_engine
def test_str_arg_reassigned_is_refused():
    def g(x, mode):
        mode = "b"
        return x

    with pytest.raises(sejit.UnsupportedError, match="str argument 'mode' is assigned"):
        sejit.jit(g)(1.0, "a")


@needs_engine
def test_format_errors_are_positioned():
    def g(n):
        print("{} {}".format(n))
        return n

    with pytest.raises(Exception, match=r"out of range for positional args tuple"):
        sejit.jit(g)(1)


@needs_engine
def test_str_passed_to_a_helper():
    # Passed on, the argument is read as a value: the call compiles it as a run-time string.
    def helper(x, mode):
        return x + len(mode) + mode.count("a")

    def g(x, mode):
        return helper(x, mode)

    assert sejit.jit(g)(1.0, "aba") == g(1.0, "aba")
