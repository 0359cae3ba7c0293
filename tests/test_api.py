"""The public API: jit forms and options, dispatcher attributes, signatures,
stats, explain, and SEJIT_DISABLE."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import sejit
from conftest import DISABLED, check, check_raises, needs_engine
from sejit import jit


def plain(x, a):
    return x * a + 1.0


@jit
def decorated(x):
    return x + 1


@jit(boundscheck=False)
def decorated_unchecked(x, i):
    return x[i] * 2.0


@jit(cache=False)
def decorated_uncached(x):
    return x - 1


@jit(cache=True, boundscheck=True, fastmath=False)
def decorated_all_defaults(x, y):
    y[:] = x * x


def scaled(x, a):
    return x * a


def counted(x, a):
    return x + a


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def test_jit_call_form():
    fast = jit(plain)
    assert callable(fast)
    x = np.linspace(0.0, 1.0, 9)
    np.testing.assert_allclose(fast(x, 2.0), plain(x, 2.0), rtol=1e-12)
    check(plain, x, 2.0)
    check(plain, 3.0, 2)


def test_wrong_number_of_arguments_is_type_error():
    check_raises(plain, np.zeros(3), exc=TypeError)
    check_raises(plain, np.zeros(3), 1.0, 2.0, exc=TypeError)


def test_decorator_forms():
    x = np.arange(5.0)
    np.testing.assert_array_equal(decorated(x), x + 1)
    assert decorated(2) == 3
    assert decorated_unchecked(x, 3) == 6.0
    assert decorated_unchecked(x, -1) == 8.0
    np.testing.assert_array_equal(decorated_uncached(x), x - 1)
    y = np.zeros(5)
    assert decorated_all_defaults(x, y) is None
    np.testing.assert_array_equal(y, x * x)


def test_fastmath_is_close():
    x = np.linspace(-1.0, 1.0, 101)
    y1, y2 = np.zeros(101), np.zeros(101)
    jit(fastmath=True)(poly)(x, y1, 0.5)
    poly(x, y2, 0.5)
    np.testing.assert_allclose(y1, y2, rtol=1e-9, atol=1e-12)


def test_unknown_option_is_type_error():
    with pytest.raises(TypeError):
        jit(no_such_option=True)
    with pytest.raises(TypeError):
        jit(boundscheck=False, nopython=True)


@needs_engine
def test_py_func():
    fast = jit(plain)
    assert fast.py_func is plain
    assert decorated.py_func.__name__ == "decorated"
    assert decorated.py_func(1) == 2


@needs_engine
def test_signatures_grow_per_new_signature():
    fast = jit(scaled)
    assert list(fast.signatures) == []
    x64 = np.linspace(0.0, 1.0, 16)
    calls = [
        ((x64, 2.0), 1),
        ((x64 + 1.0, 3.0), 1),  # same types: no new signature
        ((x64, 2), 2),  # Python int instead of float
        ((x64.astype(np.float32), 2.0), 3),
        ((x64[::2], 2.0), 4),  # strided layout
        ((x64.reshape(4, 4), 2.0), 5),  # 2-D
        ((np.asfortranarray(x64.reshape(4, 4)), 2.0), 6),  # Fortran order
        ((x64, 2.0), 6),
        ((2.0, 3.0), 7),  # scalars
        ((2.0, 3.0), 7),
    ]
    for args, n in calls:
        result = fast(*args)
        np.testing.assert_allclose(result, scaled(*args), rtol=1e-6)
        sigs = fast.signatures
        assert len(sigs) == n, f"after {len(calls)} calls: {sigs}"
        assert all(isinstance(s, str) for s in sigs)
        assert len(set(sigs)) == n, sigs


@needs_engine
def test_stats_count_compiles_not_repeats():
    fast = jit(counted)
    x = np.arange(10.0)
    before = sejit.stats()
    assert {"compiles", "cache_loads", "engine_runs"} <= set(before)
    fast(x, 1.0)
    after_first = sejit.stats()
    assert after_first["compiles"] == before["compiles"] + 1
    assert after_first["engine_runs"] >= before["engine_runs"] + 1
    for _ in range(3):
        np.testing.assert_array_equal(fast(x, 2.0), x + 2.0)
    assert sejit.stats() == after_first
    fast(x.astype(np.int32), 1)
    assert sejit.stats()["compiles"] == before["compiles"] + 2


@needs_engine
def test_a_second_dispatcher_shares_the_compiled_code():
    x = np.arange(10.0)
    jit(counted)(x, np.float32(1.5))
    before = sejit.stats()
    np.testing.assert_array_equal(jit(counted)(x, np.float32(1.5)), x + np.float32(1.5))
    assert sejit.stats()["compiles"] == before["compiles"]
    assert sejit.stats()["engine_runs"] == before["engine_runs"]


@needs_engine
def test_explain_shows_generated_c():
    fast = jit(poly)
    x = np.linspace(0.0, 1.0, 8).astype(np.float32)
    y = np.zeros(8, dtype=np.float32)
    text = fast.explain(x, y, 3.141)
    assert isinstance(text, str)
    assert "sejit_entry" in text
    assert "for (" in text
    fast(x, y, 3.141)
    x1 = x - 3.141
    np.testing.assert_allclose(y, x1 + x1 * x1, rtol=1e-6)


@pytest.mark.skipif(DISABLED, reason="checks the switch itself")
def test_sejit_disable_returns_the_plain_function():
    code = textwrap.dedent("""
        import sejit
        def f(x):
            return x + 1
        g = sejit.jit(f)
        h = sejit.jit(boundscheck=False)(f)
        @sejit.jit
        def k(x):
            return x * 2
        print(g is f, h is f, g(1), k(3), type(k).__name__)
        """)
    env = dict(os.environ, SEJIT_DISABLE="1")
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True", "2", "6", "function"]
