"""dtype= of integer draws, seed() without a seed, and get_state/set_state around compiled draws.

Each case runs the same function in CPython and through ``jit`` from the same NumPy state, with
Python draws before and after, and compares every number through its bits, its type and the
final state (docs/design.md, "Random numbers"). ``np.random.randint(..., dtype=)`` and
``Generator.integers(..., dtype=)`` draw each width as NumPy's ``random_bounded_uint{8,16,32,64}``
do: masks for RandomState, Lemire for a Generator, and for 8 and 16 bits draws cut from one 32-bit
word that an array's elements share, which is why the sizes below are odd and cross the word.
"""

import numpy as np
import pytest
from conftest import needs_engine
from sejit import jit

pytestmark = needs_engine

INT_DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


def same(a, b):
    if isinstance(a, (tuple, list)):
        assert isinstance(b, (tuple, list)) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            same(x, y)
        return
    assert type(a) is type(b), (type(a), type(b), a, b)
    x, y = np.asarray(a), np.asarray(b)
    assert x.dtype == y.dtype and x.shape == y.shape, (a, b)
    if x.dtype == np.float64:
        x, y = x.view(np.uint64), y.view(np.uint64)
    assert np.array_equal(x, y), (a, b)


def same_state(s1, s2):
    assert s1[0] == s2[0] and np.array_equal(s1[1], s2[1]) and s1[2:] == s2[2:]


def python_draws():
    return np.random.randn(3), np.random.randint(0, 1000, 3)


def run(fn, args, seed=2027):
    np.random.seed(seed)
    out = [python_draws()]
    for _ in range(2):
        out.append(fn(*args))
        out.append(python_draws())
    return out, np.random.get_state()


def check(fn, *args):
    want, s1 = run(fn, args)
    got, s2 = run(jit(fn), args)
    same(want, got)
    same_state(s1, s2)


def bounds(dt):
    info = np.iinfo(dt)
    lo, hi = int(info.min), int(info.max)
    cases = [(0, 1), (0, 2), (3, 10), (lo, min(hi, 2**62)), (0, 100), (0, min(hi, 2**62))]
    if dt in (np.int8, np.uint8, np.int16, np.uint16):
        cases.append((lo, hi + 1))  # the full range: the raw buffered draw
        cases.append((lo, hi))
    if dt in (np.int32, np.uint32):
        cases.append((lo, hi + 1))
    return cases


CASES = [(dt, lo, hi) for dt in INT_DTYPES for lo, hi in bounds(dt)]


def ids(case):
    dt, lo, hi = case
    return f"{np.dtype(dt).name}[{lo},{hi})"


def make_randint(dt):
    def draws(lo, hi, n):
        return (np.random.randint(lo, hi, dtype=dt), np.random.randint(lo, hi, size=n, dtype=dt),
                np.random.randint(lo, hi, (2, n), dt), np.random.randint(lo, hi, dtype=dt))
    return draws


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_randint_dtype(case):
    dt, lo, hi = case
    check(make_randint(dt), lo, hi, 7)


def make_integers(dt):
    def draws(rng, lo, hi, n):
        return (rng.integers(lo, hi, dtype=dt), rng.integers(lo, hi, size=n, dtype=dt),
                rng.integers(lo, hi - 1, n, dt, True), rng.integers(lo, hi - 1, dtype=dt, endpoint=True))
    return draws


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_generator_integers_dtype(case):
    dt, lo, hi = case
    fn = make_integers(dt)
    want = fn(np.random.default_rng(11), lo, hi, 9)
    g = np.random.default_rng(11)
    got = jit(fn)(g, lo, hi, 9)
    same(want, got)
    h = np.random.default_rng(11)
    fn(h, lo, hi, 9)
    same(g.integers(0, 2**40, 4), h.integers(0, 2**40, 4))  # the stream goes on where NumPy's does


def high_only(n):
    return np.random.randint(n, dtype=np.int16), np.random.randint(n, size=5, dtype="uint8")


def test_randint_high_only_and_dtype_string():
    check(high_only, 200)


def python_int_dtype(n):
    return np.random.randint(n, dtype=int), np.random.randint(n, dtype=np.int64)


def test_randint_dtype_int_gives_python_int():
    check(python_int_dtype, 1000)


def gen_python_int_dtype(rng, n):
    return rng.integers(n, dtype=int), rng.integers(n, dtype=np.int64), rng.integers(n, dtype=np.uint8)


def test_integers_dtype_int_gives_python_int():
    same(gen_python_int_dtype(np.random.default_rng(3), 100), jit(gen_python_int_dtype)(np.random.default_rng(3), 100))


def randint_of(lo, hi, dt):
    return np.random.randint(lo, hi, dtype=dt)


@pytest.mark.parametrize("lo,hi,dt", [(-129, 5, np.int8), (0, 129, np.int8), (5, 5, np.int8), (6, 5, np.uint16),
                                      (-1, 5, np.uint64), (-1, 5, np.uint8), (0, 2**16 + 1, np.uint16),
                                      (-(2**31) - 1, 0, np.int32), (0, 2**32 + 1, np.uint32), (-200, 300, np.int8)])
def test_randint_dtype_bounds_errors(lo, hi, dt):
    def f(lo, hi):
        return np.random.randint(lo, hi, dtype=dt)
    with pytest.raises(ValueError) as want:
        f(lo, hi)
    with pytest.raises(ValueError) as got:
        jit(f)(lo, hi)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("lo,hi,endpoint", [(0, 128, True), (5, 4, True), (5, 5, False), (-129, 0, False), (0, -1, True), (0, 0, False),
                                            (0, 127, True)])
def test_integers_dtype_bounds_errors(lo, hi, endpoint):
    def f(rng, lo, hi):
        return rng.integers(lo, hi, dtype=np.int8, endpoint=endpoint)
    try:
        want = f(np.random.default_rng(1), lo, hi)
    except ValueError as e:
        with pytest.raises(ValueError) as got:
            jit(f)(np.random.default_rng(1), lo, hi)
        assert str(got.value) == str(e)
    else:
        same(want, jit(f)(np.random.default_rng(1), lo, hi))


def test_randint_array_bounds_with_dtype_refused():
    def f(hi):
        return np.random.randint(0, hi, dtype=np.int8)
    with pytest.raises(NotImplementedError, match="dtype int8"):
        jit(f)(np.array([3, 4]))


def test_randint_bool_dtype_refused():
    def f():
        return np.random.randint(0, 2, dtype=np.bool_)
    with pytest.raises(NotImplementedError, match="dtype"):
        jit(f)()


# ---- seed() without a seed ----

def reseed():
    np.random.seed()


def reseed_none_then_draw(n):
    x = np.random.randn()  # a cached Gaussian that seeding drops
    np.random.seed(None)
    return x, np.random.random(n)


def test_seed_without_argument_looks_like_numpys():
    np.random.seed(5)
    np.random.randn()
    np.random.seed()
    want = np.random.get_state()
    np.random.seed(5)
    np.random.randn()
    jit(reseed)()
    got = np.random.get_state()
    # NumPy's seed(None): key[0] is 0x80000000, pos where it was, no cached Gaussian; the rest is
    # entropy.
    assert got[1][0] == want[1][0] == 0x80000000
    assert got[2:] == want[2:] == (4, 0, 0.0)
    assert len(np.unique(got[1][1:])) > 600


def test_seed_without_argument_is_fresh_each_time():
    jit(reseed)()
    a = np.random.get_state()[1].copy()
    jit(reseed)()
    b = np.random.get_state()[1]
    assert not np.array_equal(a, b)


def seed_and_draw(n):
    np.random.seed()
    return np.random.random(n), np.random.randn(), np.random.randint(0, 100, n)


def draw_only(n):
    return np.random.random(n), np.random.randn(), np.random.randint(0, 100, n)


@pytest.mark.parametrize("pos", [0, 100, 623, 624])
def test_seed_none_then_draws_follow_numpy_from_that_state(pos):
    # The draws after a compiled seed() are NumPy's from the state it left: set that state again
    # (after the fact, from get_state) and NumPy draws the same numbers.
    np.random.seed(3)
    s = np.random.get_state()
    np.random.set_state((s[0], s[1], pos, 1, 0.5))
    got = jit(seed_and_draw)(6)
    end = np.random.get_state()
    np.random.set_state((s[0], s[1], pos, 1, 0.5))
    jit(reseed)()
    seeded = np.random.get_state()
    assert seeded[2:] == (pos, 0, 0.0) and seeded[1][0] == 0x80000000
    # The entropy differs between the two calls; replay the second state in both worlds.
    want = draw_only(6)
    np.random.set_state(seeded)
    same(want, jit(draw_only)(6))
    assert got[0].shape == (6,)


# ---- get_state / set_state around compiled draws ----

def many_draws(n):
    return (np.random.random(n), np.random.randn(), np.random.randn(n), np.random.randint(-5, 2**33, n),
            np.random.poisson(3.5, n), np.random.gamma(0.7), np.random.binomial(20, 0.3, n),
            np.random.choice(10, 3, replace=False), np.random.permutation(n), np.random.exponential(2.0),
            np.random.randint(0, 7, n, np.uint8))


@pytest.mark.parametrize("seed", [0, 3, 2**32 - 1])
def test_set_state_replays_compiled_draws_in_python(seed):
    f = jit(many_draws)
    np.random.seed(seed)
    np.random.randn()  # a cached Gaussian inside the saved state
    s = np.random.get_state()
    got = f(7)
    end = np.random.get_state()
    np.random.set_state(s)
    want = many_draws(7)
    same(want, got)
    same_state(np.random.get_state(), end)


@pytest.mark.parametrize("seed", [1, 42])
def test_set_state_replays_python_draws_compiled(seed):
    f = jit(many_draws)
    np.random.seed(seed)
    s = np.random.get_state()
    want = many_draws(5)
    np.random.set_state(s)
    same(want, f(5))


@pytest.mark.parametrize("gauss", [0.0, -1.25, 7.5])
def test_set_state_with_a_cached_gaussian(gauss):
    def two_normals():
        return np.random.randn(), np.random.standard_normal(), np.random.normal(1.0, 2.0)

    np.random.seed(8)
    s = np.random.get_state()
    s = s[:3] + (1, gauss)
    np.random.set_state(s)
    want = two_normals()
    np.random.set_state(s)
    got = jit(two_normals)()
    same(want, got)
    assert got[0] == gauss


def test_set_state_between_two_compiled_calls():
    f = jit(many_draws)
    np.random.seed(77)
    s = np.random.get_state()
    a = f(4)
    np.random.set_state(s)
    b = f(4)
    same(a, b)


def test_set_state_at_the_end_of_a_block():
    # pos 624: the next draw regenerates MT19937's block, in compiled code as in NumPy.
    np.random.seed(9)
    s = np.random.get_state()
    for pos in (0, 1, 623, 624):
        st = (s[0], s[1], pos, 0, 0.0)
        np.random.set_state(st)
        want = many_draws(3)
        np.random.set_state(st)
        same(want, jit(many_draws)(3))


# ---- get_state / set_state inside compiled code ----

def replay_inside(n):
    s = np.random.get_state()
    a = np.random.random(n)
    b = np.random.randn()
    c = np.random.randint(0, 50, n, np.int16)
    np.random.set_state(s)
    return a, b, c, np.random.random(n), np.random.randn(), np.random.randint(0, 50, n, np.int16)


@pytest.mark.parametrize("seed", [0, 5, 2**32 - 1])
def test_get_and_set_state_inside_compiled_code(seed):
    check(replay_inside, 5)
    np.random.seed(seed)
    a, b, c, a2, b2, c2 = jit(replay_inside)(4)
    same((a, b, c), (a2, b2, c2))


def state_helper(n):
    s = np.random.get_state()
    first = _draw_after_setting(s, n)
    second = _draw_after_setting(s, n)
    return first, second


def _draw_after_setting(s, n):
    np.random.set_state(s)
    return np.random.standard_normal(n)


def test_state_passed_to_a_helper():
    check(state_helper, 3)



def test_state_stays_inside_compiled_code():
    import sejit

    def returns_state():
        return np.random.get_state()

    def indexes_state():
        s = np.random.get_state()
        return s.key

    def sets_python_state(s):
        np.random.set_state(s)

    with pytest.raises(sejit.UnsupportedError, match="get_state"):
        jit(returns_state)()
    with pytest.raises(sejit.UnsupportedError, match="no attribute 'key'"):
        jit(indexes_state)()
    with pytest.raises((sejit.UnsupportedError, TypeError)):
        jit(sets_python_state)(np.random.get_state())
