"""np.random.Generator objects passed to compiled code, bit for bit (issue 14).

Each case makes a Generator, runs one sequence mixing the Generator's own Python methods and a
function's draws on it (compiled, then the same function in plain Python on an equal Generator),
and compares every number through its bits and the bit generator's final state: the compiled draws
advance the object's own state, so Python's next draw continues the stream. Several bit generators
are used (PCG64 keeps half of a 64-bit draw for the next 32-bit one; MT19937, Philox and SFC64
differ in their word sizes), with parameters at the edges of Lemire's integers (ranges of 0, 2**32
and 2**64 values) and of choice's algorithms (Floyd's sample, the tail shuffle, weights).
"""

import numpy as np
import pytest
import sejit
from conftest import needs_engine
from sejit import jit, prange

pytestmark = needs_engine

BITGENS = [np.random.PCG64, np.random.MT19937, np.random.Philox, np.random.SFC64, np.random.PCG64DXSM]


def bits(x):
    x = np.asarray(x)
    return x.view(np.uint64) if x.dtype == np.float64 else x


def same(a, b):
    if isinstance(a, (tuple, list)):
        assert isinstance(b, (tuple, list)) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            same(x, y)
        return
    x, y = bits(a), bits(b)
    assert x.shape == y.shape and x.dtype == y.dtype, (a, b)
    assert np.array_equal(x, y), (a, b)


def python_draws(rng):
    # Odd 32-bit draws leave half of a 64-bit word buffered in PCG64 for the next one.
    return rng.standard_normal(3), rng.integers(0, 7, 3), rng.random(), rng.integers(0, 1000)


def run(fn, make, args):
    rng = make()
    out = [python_draws(rng)]
    for _ in range(2):
        out.append(fn(rng, *[a.copy() if isinstance(a, np.ndarray) else a for a in args]))
        out.append(python_draws(rng))
    return out, rng.bit_generator.state


def check(fn, *args, bitgen=np.random.PCG64, seed=2024):
    def make():
        return np.random.Generator(bitgen(seed))

    want, s1 = run(fn, make, args)
    got, s2 = run(jit(fn), make, args)
    same(want, got)
    assert str(s1) == str(s2)


def floats(rng, n):
    return (rng.random(), rng.random(n), rng.random((2, n)), rng.standard_normal(), rng.standard_normal(n),
            rng.normal(), rng.normal(1.5, 2.0), rng.normal(-1.0, 0.5, (n, 2)), rng.normal(scale=0.0, loc=3.0, size=n),
            rng.uniform(), rng.uniform(-2.0, 5.0, n), rng.uniform(high=3.0), rng.uniform(4.0, 4.0, 2),
            rng.exponential(), rng.exponential(2.5, n), rng.standard_exponential(), rng.standard_exponential((n, 1)))


@pytest.mark.parametrize("bitgen", BITGENS, ids=lambda b: b.__name__)
@pytest.mark.parametrize("n", [1, 7, 300])
def test_float_draws(bitgen, n):
    check(floats, n, bitgen=bitgen)


def integers(rng, lo, hi, n):
    return (rng.integers(hi), rng.integers(lo, hi), rng.integers(lo, hi, n), rng.integers(low=lo, high=hi, size=(2, n)),
            rng.integers(lo, hi, endpoint=True), rng.integers(lo, hi, n, endpoint=True), rng.integers(lo, hi, dtype=np.int64))


@pytest.mark.parametrize("bitgen", BITGENS, ids=lambda b: b.__name__)
@pytest.mark.parametrize("lo,hi", [(0, 1), (0, 2), (-5, 5), (0, 2**31 + 3), (0, 2**32 - 1), (0, 2**32), (-2**40, 2**40),
                                   (-2**63, 2**63 - 1), (3, 1000)])
def test_integers(bitgen, lo, hi):
    check(integers, lo, hi, 9, bitgen=bitgen)


def full_range(rng, n):
    return rng.integers(-2**63, 2**63 - 1, n, endpoint=True), rng.integers(0, 2**32 - 1, n, endpoint=True)


def test_integers_full_ranges():
    check(full_range, 5)


def sequences(rng, n, x):
    a = rng.permutation(n)
    b = rng.permutation(x)
    rng.shuffle(x)
    return a, b, x


@pytest.mark.parametrize("n", [0, 1, 2, 10, 5000])
def test_shuffle_and_permutation(n):
    check(sequences, n, np.arange(n, dtype=np.float64))
    check(sequences, n, np.arange(3 * n).reshape(n, 3))


def shuffle_empty_rows(rng, x):
    # Generator.shuffle draws nothing for an array without elements; permutation still draws.
    rng.shuffle(x)
    return x, rng.permutation(x)


def test_shuffle_of_size_zero_draws_nothing():
    check(shuffle_empty_rows, np.zeros((4, 0)))


def choices(rng, n, k):
    return (rng.choice(n), rng.choice(n, k), rng.choice(n, (2, k)), rng.choice(n, k, replace=False),
            rng.choice(n, replace=False), rng.choice(n, k, replace=False, shuffle=False), rng.choice(n, size=()))


@pytest.mark.parametrize("n,k", [(1, 1), (5, 3), (10, 10), (1000, 7), (20000, 100), (20000, 401), (20000, 3000),
                                 (50000, 50000)])
def test_choice(n, k):
    check(choices, n, k)


def weighted(rng, x, p, k):
    return (rng.choice(x, p=p), rng.choice(x, k, p=p), rng.choice(x, (2, k), True, p),
            rng.choice(x, k, replace=False, p=p))


@pytest.mark.parametrize("p", [np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.0, 0.5, 0.5, 0.0]),
                               np.array([0.25, 0.25, 0.25, 0.25]), np.array([0.1, 0.2, 0.3, 0.4], dtype=np.float32)],
                         ids=["skewed", "zeros", "flat", "float32"])
def test_choice_weighted(p):
    check(weighted, 4, p, 2)
    check(weighted, np.array([1.5, -2.0, 3.25, 8.0]), p, 2)


def loop(rng, n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = rng.normal(i, 1.0) + rng.integers(0, i + 1) + rng.random()
    return out


def helper(rng):
    return rng.standard_exponential()


def calls_helper(rng, n):
    return helper(rng) + helper(rng) * n


def test_draws_in_loops_and_callees():
    check(loop, 50)
    check(calls_helper, 3)


def two_generators(a, b, n):
    return a.random(n), b.random(n), a.integers(0, 10, n)


def test_two_generators_keep_their_own_streams():
    def run2(fn):
        a, b = np.random.default_rng(1), np.random.default_rng(2)
        r = fn(a, b, 4)
        return r, a.random(2), b.random(2)

    same(run2(two_generators), run2(jit(two_generators)))


def global_and_generator(rng, n):
    return np.random.random(n), rng.random(n), np.random.randn()


def test_global_state_and_generator_together():
    def run2(fn):
        np.random.seed(11)
        rng = np.random.default_rng(12)
        return fn(rng, 3), np.random.random(), rng.random()

    same(run2(global_and_generator), run2(jit(global_and_generator)))


def broadcast(rng, mu, sig):
    return (rng.normal(mu, sig), rng.normal(mu[:, None], 1.0), rng.normal(0.0, sig, (2, sig.size)),
            rng.uniform(mu, 10.0), rng.uniform(mu[:, None], sig + 20.0, (2, mu.size, sig.size)),
            rng.exponential(sig), rng.exponential(sig, (3, sig.size)))


@pytest.mark.parametrize("bitgen", BITGENS[:2], ids=lambda b: b.__name__)
def test_array_parameters_broadcast(bitgen):
    check(broadcast, np.array([0.0, 1.0, -2.0]), np.array([1.0, 0.5, 2.0]), bitgen=bitgen)
    check(broadcast, np.array([4.0]), np.array([0.0]), bitgen=bitgen)


def integers_arrays(rng, lo, hi):
    return (rng.integers(lo, hi), rng.integers(hi), rng.integers(lo[:, None], hi + 2**41, (2, lo.size, hi.size)),
            rng.integers(lo, hi, endpoint=True), rng.integers(lo, 2**40))


def test_integers_array_bounds():
    check(integers_arrays, np.array([0, 10, 100, -2**40]), np.array([5, 20, 2**33, 7]))


def e_integers_arrays(rng, lo, hi):
    return rng.integers(lo, hi, endpoint=True)


def test_integers_array_errors():
    rng = np.random.default_rng(1)
    with pytest.raises(ValueError) as py:
        e_integers_arrays(rng, np.array([1, 5]), np.array([3, 3]))
    with pytest.raises(ValueError) as jt:
        jit(e_integers_arrays)(rng, np.array([1, 5]), np.array([3, 3]))
    assert str(py.value) == str(jt.value)


def e_uniform_arrays(rng, lo, hi):
    return rng.uniform(lo, hi)


@pytest.mark.parametrize("lo,hi", [(np.array([0.0, 2.0]), np.array([1.0, 1.0])),
                                   (np.array([0.0, -np.inf]), np.array([1.0, 1.0]))], ids=["negative", "infinite"])
def test_array_uniform_errors(lo, hi):
    rng = np.random.default_rng(3)
    with pytest.raises(Exception) as py:
        e_uniform_arrays(rng, lo, hi)
    rng = np.random.default_rng(3)
    with pytest.raises(Exception) as jt:
        jit(e_uniform_arrays)(rng, lo, hi)
    assert type(jt.value) is type(py.value) and str(jt.value) == str(py.value)


# Errors: NumPy's exception and message, raised before anything is drawn.

def e_uniform(rng, lo, hi):
    return rng.uniform(lo, hi)


def e_integers(rng, lo, hi):
    return rng.integers(lo, hi)


def e_integers_closed(rng, lo, hi):
    return rng.integers(lo, hi, endpoint=True)


def e_normal(rng, s):
    return rng.normal(0.0, s)


def e_exponential(rng, s):
    return rng.exponential(s, 3)


def e_choice(rng, n):
    return rng.choice(n)


def e_choice_array(rng, x):
    return rng.choice(x, 2)


def e_choice_p(rng, p):
    return rng.choice(3, p=p)


def e_choice_big(rng, k):
    return rng.choice(3, k, replace=False)


def e_choice_neg(rng, k):
    return rng.choice(3, k)


def e_choice_few(rng, p):
    return rng.choice(3, 2, replace=False, p=p)


def e_size(rng, n):
    return rng.random(n)


ERRORS = [
    (e_uniform, (2.0, 1.0)), (e_uniform, (0.0, np.inf)), (e_uniform, (0.0, -0.0)), (e_uniform, (np.nan, 1.0)),
    (e_integers, (3, 3)), (e_integers, (5, 1)), (e_integers_closed, (3, 2)), (e_normal, (-1.0,)), (e_normal, (-0.0,)),
    (e_exponential, (-2.0,)), (e_choice, (0,)), (e_choice, (-2,)), (e_choice_array, (np.zeros(0),)),
    (e_choice_p, (np.array([0.5, 0.5]),)), (e_choice_p, (np.array([0.5, 0.6, 0.1]),)),
    (e_choice_p, (np.array([-0.5, 1.0, 0.5]),)), (e_choice_p, (np.array([np.nan, 0.5, 0.5]),)),
    (e_choice_big, (4,)), (e_choice_big, (-1,)), (e_choice_neg, (-2,)), (e_choice_few, (np.array([1.0, 0.0, 0.0]),)),
    (e_size, (-1,)),
]


@pytest.mark.parametrize("fn,args", ERRORS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(ERRORS)])
def test_errors_like_numpy_and_nothing_drawn(fn, args):
    rng = np.random.default_rng(3)
    with pytest.raises(Exception) as py:
        fn(rng, *args)
    after_py = rng.random()
    rng = np.random.default_rng(3)
    with pytest.raises(Exception) as jt:
        jit(fn)(rng, *args)
    assert type(jt.value) is type(py.value)
    assert str(jt.value) == str(py.value)
    assert rng.random() == after_py


def unsupported_method(rng):
    return rng.gamma(2.0)


def bool_dtype(rng):
    return rng.integers(0, 2, dtype=np.bool_)


def other_axis(rng, x):
    rng.shuffle(x, axis=1)


def sample_in_prange(rng, n):
    out = np.empty((n, 2))
    for i in prange(n):
        out[i] = rng.choice(5, 2)
    return out


def test_refused_with_position():
    rng = np.random.default_rng(0)
    with pytest.raises(sejit.UnsupportedError, match="Generator.gamma is not supported") as info:
        jit(unsupported_method)(rng)
    assert f"test_random_generator.py:{unsupported_method.__code__.co_firstlineno + 1}:" in str(info.value)
    with pytest.raises(sejit.UnsupportedError, match="dtype"):
        jit(bool_dtype)(rng)
    with pytest.raises(sejit.UnsupportedError, match="axis other than 0"):
        jit(other_axis)(rng, np.zeros((2, 2)))
    with pytest.raises(sejit.UnsupportedError, match="prange"):
        jit(sample_in_prange, parallel=True)(rng, 4)


def big_integers(rng, n):
    return rng.integers(0, 2**62, n)


def test_threads_share_the_generators_lock():
    # Compiled and Python draws on one Generator from several threads: every number drawn once,
    # none lost or duplicated, whatever the interleaving (the call holds the bit generator's lock).
    import threading

    f = jit(big_integers)
    rng = np.random.default_rng(5)
    f(rng, 1)
    rng = np.random.default_rng(5)
    out = []

    def work():
        for _ in range(50):
            out.append(f(rng, 100))
            out.append(rng.integers(0, 2**62, 7))

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    got = np.sort(np.concatenate(out))
    want = np.sort(np.random.default_rng(5).integers(0, 2**62, got.size))
    assert np.array_equal(got, want)
