"""np.random in compiled code: NumPy's streams, bit for bit, on NumPy's own state (issue 14).

Each test seeds NumPy's global state, runs one sequence of draws mixing Python's np.random calls
and a jitted function's draws, and runs the same sequence again with the function in plain Python;
the numbers must be the same bits (floats compared through their uint64 view). Sequences start and
end with Gaussians drawn in Python so that the cached second Gaussian of RandomState's polar method
crosses the boundary in both directions.
"""

import threading

import numpy as np
import pytest
import sejit
from conftest import needs_engine
from numpy.random import randint as imported_randint
from sejit import jit, prange

pytestmark = needs_engine


def bits(x):
    x = np.asarray(x)
    if x.dtype == np.float64:
        return x.view(np.uint64)
    return x


def same(a, b):
    assert len(a) == len(b)
    for i, (x, y) in enumerate(zip(a, b)):
        # (sejit returns NumPy scalars as Python numbers: the bits are what is compared)
        assert isinstance(x, tuple) == isinstance(y, tuple), (i, x, y)
        if isinstance(x, tuple):
            same(x, y)
            continue
        x, y = bits(x), bits(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (i, x, y)
        assert np.array_equal(x, y), (i, x, y)


def scalars(n):
    return (np.random.random(), np.random.rand(), np.random.random_sample(), np.random.randn(),
            np.random.standard_normal(), np.random.normal(), np.random.normal(2.5),
            np.random.normal(-1.0, 3.0), np.random.normal(scale=0.5, loc=n),
            np.random.uniform(), np.random.uniform(-2.0, 5.0), np.random.uniform(high=n),
            np.random.exponential(), np.random.exponential(2.0), np.random.standard_exponential(),
            np.random.randint(7), np.random.randint(-5, 5), np.random.randint(low=3, high=2**40),
            np.random.randint(-2**63, 2**63 - 1), np.random.randint(0, 2**32),
            np.random.randint(n, n + 1))


def arrays(n):
    return (np.random.random(n), np.random.random((2, n)), np.random.rand(n, 3),
            np.random.randn(n), np.random.randn(2, 2), np.random.standard_normal(n),
            np.random.standard_normal(size=(n, 2)), np.random.normal(1.0, 2.0, n),
            np.random.normal(size=(3, n)), np.random.uniform(-1.0, 1.0, n),
            np.random.uniform(size=0), np.random.exponential(3.0, n),
            np.random.standard_exponential((n, 1)), np.random.randint(10, size=n),
            np.random.randint(-3, 3, (2, n)), np.random.randint(0, 2**40, n),
            np.random.randint(5, 6, size=n), np.random.random(()))


def loop(n):
    out = np.empty(n)
    for i in range(n):
        if i % 3 == 0:
            out[i] = np.random.randn()
        elif i % 3 == 1:
            out[i] = np.random.random() * 2.0
        else:
            out[i] = np.random.randint(0, 100)
    return out, np.random.normal(0.0, 1.0) + np.random.random(n).sum()


def helper_draw(x):
    return x + np.random.standard_normal()


def calls_helper(n):
    return helper_draw(1.0), helper_draw(float(n))


def imported(n):
    return imported_randint(0, n), imported_randint(0, n, size=n)


def odd_gaussians(n):
    # An odd count leaves a cached Gaussian in NumPy's state for Python's next draw.
    return np.random.randn(n), np.random.randn()


def sequence(fn, n, order):
    np.random.seed(12345)
    out = []
    for step in order:
        if step == "py":
            out.append((np.random.randn(), np.random.random(2), np.random.randint(0, 50)))
        elif step == "py1":
            out.append(np.random.standard_normal())
        else:
            out.append(fn(n))
    return out


ORDERS = [["jit"], ["py", "jit"], ["jit", "py"], ["py1", "jit", "py1", "jit", "py"],
          ["jit", "jit", "py1", "py1", "jit"]]


@pytest.mark.parametrize("fn", [scalars, arrays, loop, calls_helper, imported, odd_gaussians])
@pytest.mark.parametrize("order", ORDERS, ids=["-".join(o) for o in ORDERS])
@pytest.mark.parametrize("n", [1, 5])
def test_bit_for_bit(fn, order, n):
    want = sequence(fn, n, order)
    got = sequence(jit(fn), n, order)
    same(want, got)
    # The state itself ends equal, cached Gaussian included.
    np.random.seed(7)
    fn(n)
    s1 = np.random.get_state()
    np.random.seed(7)
    jit(fn)(n)
    s2 = np.random.get_state()
    assert np.array_equal(s1[1], s2[1]) and s1[2:] == s2[2:]


def test_scalar_types_follow_numpy():
    def f():
        return np.random.random(), np.random.randint(3)

    np.random.seed(0)
    a = f()
    np.random.seed(0)
    b = jit(f)()
    assert a == b and type(b[0]) is float and type(b[1]) is int


def test_weak_python_float_keeps_float32():
    def f(x):
        return x * np.random.random()

    x = np.ones(3, dtype=np.float32)
    np.random.seed(3)
    a = f(x)
    np.random.seed(3)
    b = jit(f)(x)
    assert b.dtype == np.float32 and np.array_equal(a, b)


def scale_negative(s):
    return np.random.normal(0.0, s)


def exp_negative(s):
    return np.random.exponential(s, 3)


def bad_range(lo):
    return np.random.uniform(lo, 1e308)


def empty_int_range(lo):
    return np.random.randint(lo, lo)


def negative_size(n):
    return np.random.random(n)


@pytest.mark.parametrize("fn,arg,exc", [
    (scale_negative, -1.0, ValueError), (scale_negative, -0.0, ValueError),
    (exp_negative, -2.0, ValueError), (bad_range, -1e308, OverflowError),
    (empty_int_range, 4, ValueError), (negative_size, -1, ValueError),
])
def test_errors_like_numpy_and_state_untouched(fn, arg, exc):
    np.random.seed(1)
    with pytest.raises(exc) as py:
        fn(arg)
    after_py = np.random.random()
    np.random.seed(1)
    with pytest.raises(exc) as jt:
        jit(fn)(arg)
    assert str(py.value) == str(jt.value)
    assert np.random.random() == after_py


def test_nan_scale_passes_like_numpy():
    np.random.seed(2)
    a = scale_negative(float("nan"))
    np.random.seed(2)
    b = jit(scale_negative)(float("nan"))
    assert np.isnan(a) and np.isnan(b)


def big_ints(n):
    return np.random.randint(0, 2**62, size=n)


def test_threads_share_the_lock():
    # Jitted and Python draws from several threads: every number drawn once, none lost or
    # duplicated, whatever the interleaving (the runtime holds the bit generator's lock).
    f = jit(big_ints)
    f(1)
    np.random.seed(5)
    out = []

    def work():
        for _ in range(50):
            out.append(f(100))
            out.append(np.random.randint(0, 2**62, size=7))

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    got = np.sort(np.concatenate(out))
    np.random.seed(5)
    want = np.sort(np.random.randint(0, 2**62, size=got.size))
    assert np.array_equal(got, want)


def draws_in_prange(n):
    out = np.empty(n)
    for i in prange(n):
        out[i] = np.random.random()
    return out


def calls_drawing_helper_in_prange(n):
    out = np.empty(n)
    for i in prange(n):
        out[i] = helper_draw(1.0)
    return out


def test_prange_refuses_draws_through_calls_with_position():
    # A called function draws from the global state itself: in parallel iterations that would be
    # timing-dependent, so it stays refused (direct draws get per-iteration streams:
    # test_random_prange.py).
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(calls_drawing_helper_in_prange, parallel=True)(4)
    assert "np.random draws inside a prange loop" in str(info.value)
    line = calls_drawing_helper_in_prange.__code__.co_firstlineno + 2  # the loop: the draw is in the callee
    assert f"test_random.py:{line}:" in str(info.value)


def test_prange_without_parallel_is_the_serial_stream():
    np.random.seed(9)
    a = draws_in_prange(6)
    np.random.seed(9)
    b = jit(draws_in_prange)(6)
    assert np.array_equal(bits(a), bits(b))


def test_unsupported_names_and_arrays():
    def seeds():
        return np.random.lognormal()

    def array_loc(x):
        return np.random.randint(x)

    with pytest.raises(sejit.UnsupportedError, match="numpy.random.lognormal is not supported"):
        jit(seeds)()
    with pytest.raises(sejit.UnsupportedError, match="array 'low'"):
        jit(array_loc)(np.ones(3))
