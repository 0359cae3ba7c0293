"""Objects of plain classes beyond single calls: the disk cache across processes (a method's
source is part of the key), explain, and many calls alternating object layouts."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from conftest import needs_engine
from sejit import jit

pytestmark = needs_engine

MODULE = """\
import numpy as np


class Inner:
    def __init__(self, s):
        self.scale = s

    def apply(self, x):
        return {apply_body}


class P:
    def __init__(self, n):
        self.n = n
        self.data = np.arange(n, dtype=np.float64)
        self.inner = Inner(2.0)

    def total(self):
        return self.inner.apply(self.data.sum())


def kern(p):
    return p.total() + p.n
"""

CHILD = """\
import json
import sejit
import objmod
r = sejit.jit(objmod.kern)(objmod.P(4))
print(json.dumps([r, dict(sejit.stats())]))
"""


def _run(tmp_path):
    env = dict(
        os.environ,
        SEJIT_CACHE_DIR=str(tmp_path / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=os.pathsep.join([str(tmp_path / "src")] + sys.path),
    )
    out = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_object_specializations_are_cached_and_methods_are_keyed(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "objmod.py").write_text(MODULE.format(apply_body="x * self.scale"))
    r1, s1 = _run(tmp_path)
    assert r1 == 16.0 and s1["compiles"] == 1
    r2, s2 = _run(tmp_path)
    assert r2 == 16.0 and s2["compiles"] == 0 and s2["cache_loads"] == 1
    # Editing a method the kernel calls compiles again.
    (src / "objmod.py").write_text(MODULE.format(apply_body="x * self.scale + 1.0"))
    r3, s3 = _run(tmp_path)
    assert r3 == 17.0 and s3["compiles"] == 1


class Box:
    def __init__(self, v):
        self.v = v
        self.arr = np.arange(3.0)


def box_kernel(b):
    return b.arr * b.v


def test_explain_with_object(capsys):
    text = jit(box_kernel).explain(Box(2.0))
    assert "Box(arr: array(float64, 1d, C), v: float)" in text


def test_alternating_layouts():
    f = jit(box_kernel)
    for i in range(20):
        b = Box(i if i % 2 else float(i))
        np.testing.assert_array_equal(f(b), b.arr * b.v)
    assert len(f.signatures) == 2


def test_object_and_its_array_passed_together():
    def scale_into(b, out):
        out[:] = b.arr * 2.0
        b.arr[0] = 10.0
        return out

    b = Box(1.0)
    out = b.arr  # the same array, through the object and directly
    want_b, want_out = Box(1.0), None
    want_out = scale_into(want_b, want_b.arr)
    got = jit(scale_into)(b, out)
    np.testing.assert_array_equal(got, want_out)
    np.testing.assert_array_equal(b.arr, want_b.arr)


def test_object_call_without_compiling_twice():
    f = jit(box_kernel)
    f(Box(1.0))
    before = list(f.signatures)
    f(Box(3.0))
    assert f.signatures == before


class _Box:
    def __init__(self, n, v):
        self.n = n
        self.v = v


def _writes_both(p, q):
    p.n = p.n + 1
    q.n = q.n * 3
    p.v = 0.5  # assigned and never read: any numeric type
    q.v = 7
    return p.n


@pytest.mark.parametrize("same", [True, False], ids=["one object twice", "two objects"])
def test_attributes_written_back_through_two_names(same):
    # The attributes Python sees after the call, their types included, are CPython's,
    # whether the two arguments are one object or two.
    def make():
        a = _Box(2, 1.0)
        return (a, a) if same else (a, _Box(2, 1.0))

    want_args, got_args = make(), make()
    want = _writes_both(*want_args)
    got = jit(_writes_both)(*got_args)
    assert (type(got), got) == (type(want), want)
    for w, g in zip(want_args, got_args):
        assert (type(g.n), g.n, type(g.v), g.v) == (type(w.n), w.n, type(w.v), w.v)


def _rebinds(b, k, a):
    b.n = b.n * 0.5  # an int attribute takes a float, read below
    s = b.n + 1
    for i in range(k):
        s += a[i]
    b.v = 3  # a float attribute takes an int
    b.v = b.v * 2
    return s + a[k]  # raises IndexError for k = len(a): after the stores


@pytest.mark.parametrize("k", [1, 3], ids=["returns", "raises"])
def test_attribute_rebound_to_another_type_is_written_back(k):
    # The values Python sees after the call, and their types, are CPython's, also when the
    # call raises after the stores.
    want_b, got_b = _Box(3, 1.5), _Box(3, 1.5)
    a = np.arange(3.0)
    try:
        want = _rebinds(want_b, k, a)
    except IndexError:
        want = IndexError
    try:
        got = jit(_rebinds)(got_b, k, a)
    except IndexError:
        got = IndexError
    assert got == want
    assert (type(got_b.n), got_b.n, type(got_b.v), got_b.v) == (type(want_b.n), want_b.n, type(want_b.v), want_b.v)


def _joins(b, k):
    if k > 0:
        b.n = 2.5
    return b.n


def _rebinds_in_method_caller(b):
    b.n = 2.5
    _helper_reads(b)
    return b.n


def _helper_reads(b):
    return b.n


@pytest.mark.parametrize("func", [_joins, _rebinds_in_method_caller], ids=["at a join", "passed on"])
def test_attribute_of_another_type_that_meets_the_old_one_is_a_positioned_error(func):
    # After an if that rebinds it on one path only, or when the object is passed on (a
    # callee reads the attribute), the attribute keeps one type: a TypingError at the store.
    import sejit

    with pytest.raises(sejit.TypingError) as info:
        jit(func)(_Box(3, 1.5), 1) if func is _joins else jit(func)(_Box(3, 1.5))
    line = func.__code__.co_firstlineno + (2 if func is _joins else 1)
    assert f":{line}:" in str(info.value)
