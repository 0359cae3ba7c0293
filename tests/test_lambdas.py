"""Lambdas jitted directly (issue 14): sejit.jit(lambda ...) finds the lambda in its file (the
one of its line whose code object this is) and compiles it as the def `return <body>`.

Differential: each lambda runs in CPython and through jit (conftest.check)."""

import linecache

import numpy as np
import pytest
import sejit
from conftest import check, needs_engine
from sejit import _lambdas

pytestmark = needs_engine

twice = lambda v: v * 2.0 + 1.0  # noqa: E731
both = (lambda v: v + 1.0), (lambda v: v * 10.0)  # two lambdas on one line
same = (lambda v: v - 1), (lambda v: v - 1)  # two equal texts: columns tell them apart
listed = [lambda x: x * x, lambda x: -x]
keyed = {"sq": lambda x: x * x, "neg": lambda x: -x, "mix": lambda x, y=3: x * y}
sq = listed[0]
nested = lambda k: lambda v: v * k  # noqa: E731
spread = (lambda a,
          b: a * 2
          + b)


def closure(k):
    return lambda v, w=2.0: v * k + w


def test_lambda_scalars_and_arrays():
    for args in [(3.0,), (-2,), (np.arange(5.0),), (np.array([[1.0, -2.0], [3.5, 0.0]]),)]:
        check(twice, *args)


def test_two_lambdas_on_one_line():
    a, b = both
    check(a, 2.0)
    check(b, 2.0)
    assert sejit.jit(a)(2.0) == 3.0 and sejit.jit(b)(2.0) == 20.0
    # Both compiled in one process with one signature: distinct kernels (the cache key holds
    # the lambda's column).
    s, t = same
    assert sejit.jit(s)(5) == 4 and sejit.jit(t)(5) == 4
    assert _lambdas.find_lambda(s)[1] is not _lambdas.find_lambda(t)[1]


def test_lambdas_in_literals():
    for f in listed:
        check(f, 4.0)
        check(f, np.arange(3))
    check(keyed["sq"], 1.5)
    check(keyed["neg"], 7)
    check(keyed["mix"], 2.0)
    check(keyed["mix"], 2.0, 0.5)


def test_lambda_defaults_and_closures():
    f = closure(3.0)
    check(f, 1.0)
    check(f, 1.0, 1.0)
    check(f, np.arange(3.0), -1.0)
    g = closure(np.float32(2.0))
    check(g, 4.0)


def test_nested_lambda_picks_the_inner_code():
    inner = nested(5.0)
    check(inner, 2.0)
    node = _lambdas.find_lambda(inner)[1]
    assert [a.arg for a in node.args.args] == ["v"]


def test_lambda_over_several_lines():
    check(spread, 2.0, 3.0)
    check(spread, np.arange(3.0), 1.0)


def test_lambda_calls_a_jitted_lambda():
    g = sejit.jit(lambda x: twice(x) + sq(x) if x > 0 else 0.0)  # noqa: E731
    h = lambda x: twice(x) + x * x if x > 0 else 0.0  # noqa: E731
    assert g(3.0) == h(3.0) and g(-1.0) == h(-1.0)


def test_error_points_at_the_users_line():
    e = sejit.jit(lambda x: x + undefined_name_14)  # noqa: F821
    with pytest.raises(NameError) as info:
        e(1.0)
    msg = str(info.value)
    line = e.py_func.__code__.co_firstlineno
    assert f"{__file__}:{line}:" in msg, msg
    quoted, caret = msg.splitlines()[1:3]
    assert "undefined_name_14" in quoted
    assert caret.index("^") == quoted.index("undefined_name_14")


def test_error_in_second_lambda_of_a_line():
    a, b = sejit.jit(lambda x: x + 1), sejit.jit(lambda x: x + (x is None))
    assert a(1) == 2
    with pytest.raises(sejit.UnsupportedError) as info:
        b(1.0)
    quoted, caret = str(info.value).splitlines()[1:3]
    assert caret.index("^") == quoted.index("x is None")


def test_exec_lambda_with_linecache():
    src = "f = lambda x, y: x * y + 1\n"
    name = "<lambdas-test-1>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {}
    exec(compile(src, name, "exec"), ns)
    check(ns["f"], 3, 4)
    check(ns["f"], np.arange(3.0), 0.5)


def test_lambda_without_source_compiles_from_bytecode():
    # jit decompiles the code object when the text is gone (tests/test_bytecode.py).
    ns = {}
    exec(compile("f = lambda x: x + 1\n", "<lambdas-no-source>", "exec"), ns)
    check(ns["f"], 1.0)
