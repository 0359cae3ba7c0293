"""np.random draws inside prange loops with parallel=True: per-iteration streams (issue 14).

The rule (docs/design.md, "Random numbers"): a parallel loop whose body draws takes one 64-bit key
from each source it draws from (NumPy's global state, a Generator variable: next_uint64 of its bit
generator) when the loop starts, in order of first appearance in the body; iteration i then
draws from SplitMix64 seeded with mix(key ^ mix(i + golden)), word c of it being
mix(seed + c * golden) for c = 1, 2, ... in the iteration's order of draws, and each distribution
runs RandomState's legacy algorithm on those words (doubles from the top 53 bits). The tests check
the numbers against this rule written independently in Python, and that the global state advanced
by exactly that one draw, so results depend on the seed only, never on threads or scheduling.
"""

import numpy as np
import pytest
import sejit
from conftest import needs_engine
from sejit import jit, prange

pytestmark = needs_engine

M = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


class Stream:
    """Iteration i's stream, as the rule defines it."""

    def __init__(self, key, i):
        self.seed = mix(key ^ mix((i + GOLDEN) & M))
        self.c = 0

    def next64(self):
        self.c += 1
        return mix((self.seed + self.c * GOLDEN) & M)

    def double(self):
        return (self.next64() >> 11) * (1.0 / 9007199254740992.0)

    def bounded(self, rng):
        # RandomState's masked rejection: 32-bit words (the top half) while rng fits in 32 bits.
        mask = (1 << rng.bit_length()) - 1
        while True:
            v = (self.next64() >> 32 if rng <= 0xFFFFFFFF else self.next64()) & mask
            if v <= rng:
                return v


def key_after_seed(seed):
    np.random.seed(seed)
    key = int(np.random.randint(0, 2**64, dtype=np.uint64))  # exactly one next_uint64
    return key, np.random.random()


def uniforms(n):
    out = np.empty((n, 3))
    for i in prange(n):
        out[i, 0] = np.random.random()
        out[i, 1] = np.random.uniform(-2.0, 3.0)
        out[i, 2] = np.random.randint(5, 17)
    return out


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_draws_follow_the_rule(n):
    key, after = key_after_seed(31)
    want = np.empty((n, 3))
    for i in range(n):
        s = Stream(key, i)
        want[i] = s.double(), -2.0 + 5.0 * s.double(), 5 + s.bounded(11)
    np.random.seed(31)
    got = jit(uniforms, parallel=True)(n)
    assert np.array_equal(got.view(np.uint64), want.view(np.uint64))
    assert np.random.random() == after  # the loop took exactly one 64-bit draw


def test_an_iterations_numbers_do_not_depend_on_the_loop_length():
    np.random.seed(4)
    short = jit(uniforms, parallel=True)(5)
    np.random.seed(4)
    long = jit(uniforms, parallel=True)(5000)
    assert np.array_equal(short, long[:5])


def mixed(n):
    out = np.empty((n, 6))
    for i in prange(n):
        out[i, 0] = np.random.normal(1.0, 2.0)
        out[i, 1] = np.random.standard_normal()
        out[i, 2] = np.random.poisson(20.0)
        out[i, 3] = np.random.binomial(50, 0.3)
        out[i, 4] = np.random.gamma(2.0, 1.5)
        out[i, 5] = np.random.beta(0.5, 0.5)
        for k in range(3):
            out[i, 0] += np.random.standard_exponential()
    return out


def test_reproducible_and_plausible():
    np.random.seed(8)
    a = jit(mixed, parallel=True)(4000)
    np.random.seed(8)
    b = jit(mixed, parallel=True)(4000)
    assert np.array_equal(a.view(np.uint64), b.view(np.uint64))
    means = a.mean(axis=0)
    # normal(1, 2) + three exponentials, N(0, 1), poisson(20), binomial(50, .3), gamma(2, 1.5), beta(.5, .5)
    assert np.allclose(means, [4.0, 0.0, 20.0, 15.0, 3.0, 0.5], atol=0.2)
    # Different iterations draw different numbers.
    assert len(np.unique(a[:, 1])) == len(a)


def two_loops(n):
    a = np.empty(n)
    b = np.empty(n)
    for i in prange(n):
        a[i] = np.random.random()
    for i in prange(n):
        b[i] = np.random.random()
    return a, b


def test_each_loop_takes_its_own_key():
    np.random.seed(2)
    a, b = jit(two_loops, parallel=True)(50)
    assert not np.array_equal(a, b)


def arrays_in_prange(n):
    out = np.empty((n, 2))
    for i in prange(n):
        out[i] = np.random.random(2)
    return out


def shuffles_in_prange(x):
    for i in prange(3):
        np.random.shuffle(x)


def generator_in_prange(rng, n):
    out = np.empty((n, 3))
    for i in prange(n):
        out[i, 0] = rng.random() + np.random.random()
        out[i, 1] = rng.integers(3, 10)
        out[i, 2] = rng.uniform(-1.0, 1.0)
    return out


def test_generator_streams_follow_the_rule():
    # Keys in order of first appearance in the body: the Generator's (one next_uint64 of its bit
    # generator), then the global state's. Generator integers are Lemire's on the same words.
    n = 200
    rng = np.random.default_rng(77)
    gkey = int(np.random.default_rng(77).bit_generator.random_raw())
    key, after = key_after_seed(13)
    want = np.empty((n, 3))
    for i in range(n):
        g, s = Stream(gkey, i), Stream(key, i)
        u = g.double()
        want[i, 0] = u + s.double()
        w = (g.next64() >> 32) * 7  # Lemire on a 32-bit word, range 7: never rejected at this size
        want[i, 1] = 3 + (w >> 32) if (w & 0xFFFFFFFF) >= (2**32 - 7) % 7 else np.nan
        want[i, 2] = -1.0 + 2.0 * g.double()
    np.random.seed(13)
    got = jit(generator_in_prange, parallel=True)(rng, n)
    assert np.random.random() == after
    ok = ~np.isnan(want[:, 1])
    assert np.array_equal(got[ok], want[ok])
    # The Generator advanced by exactly its key.
    check = np.random.default_rng(77)
    check.bit_generator.random_raw()
    assert rng.random() == check.random()


def test_other_draws_refused_with_position():
    for fn, args, line in [(arrays_in_prange, (3,), 3), (shuffles_in_prange, (np.arange(3.0),), 2)]:
        with pytest.raises(sejit.UnsupportedError, match="inside a prange loop") as info:
            jit(fn, parallel=True)(*args)
        assert f"test_random_prange.py:{fn.__code__.co_firstlineno + line}:" in str(info.value)


def test_without_parallel_prange_is_numpys_stream():
    np.random.seed(6)
    want = uniforms(20)
    np.random.seed(6)
    got = jit(uniforms)(20)
    assert np.array_equal(got.view(np.uint64), want.view(np.uint64))
