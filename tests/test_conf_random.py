"""Conformance cases of np.random (docs/supported.md; the bit-for-bit tests are test_random.py).

CPython and the jitted function draw different numbers here (each run advances NumPy's one
state), so the cases return what holds for every draw: ranges, shapes, dtypes, and NumPy's errors.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)


@cases.add("np.random", (5,), (0,))
def uniform_ranges(n):
    a = np.random.random(n)
    b = np.random.rand(n, 2)
    c = np.random.uniform(-2.0, 3.0, size=(n,))
    d = np.random.random()
    return (bool(np.all((a >= 0) & (a < 1))), b.shape, bool(np.all((c >= -2) & (c < 3))),
            0.0 <= d < 1.0, np.random.random_sample((2, n)).shape)


@cases.add("np.random", (np.inf,), raises=OverflowError, match=True)
def uniform_range_overflow(hi):
    return np.random.uniform(0.0, hi)


@cases.add("np.random-normal", (4,))
def normal_shapes(n):
    a = np.random.randn(n, 3)
    b = np.random.normal(1.0, 0.0, n)
    return a.shape, bool(np.all(np.isfinite(a))), bool(np.all(b == 1.0)), np.random.standard_normal((n,)).shape


@cases.add("np.random-normal", (-1.0,), (-0.0,), raises=ValueError, match=True)
def normal_negative_scale(s):
    return np.random.normal(0.0, s)


@cases.add("np.random-exponential", (6,))
def exponential_positive(n):
    a = np.random.exponential(2.0, n)
    return bool(np.all(a >= 0)), np.random.standard_exponential() >= 0.0


@cases.add("np.random-exponential", (-1.0,), raises=ValueError, match=True)
def exponential_negative_scale(s):
    return np.random.exponential(s)


@cases.add("np.random-randint", (10,), (1,))
def randint_ranges(n):
    a = np.random.randint(n, size=50)
    b = np.random.randint(-3, 3, (2, 5))
    return bool(np.all((a >= 0) & (a < n))), bool(np.all((b >= -3) & (b < 3))), np.random.randint(n, n + 1)


@cases.add("np.random-randint", (3,), raises=ValueError, match=True)
def randint_empty(n):
    return np.random.randint(n, n - 1)



# Seeding inside the function makes the numbers themselves comparable: CPython and the jitted
# function then draw the same stream from the same state.

@cases.add("np.random-seed", (0,), (12345,), (2**32 - 1,))
def seeded_stream(s):
    np.random.seed(s)
    return np.random.random(3), np.random.randn(), np.random.randint(0, 100, 4)


@cases.add("np.random-seed", (-1,), (2**32,), raises=ValueError, match=True)
def seed_out_of_range(s):
    np.random.seed(s)


@cases.add("np.random-discrete", (0.0,), (2.5,), (10.0,), (250.0,))
def poisson_seeded(lam):
    np.random.seed(4)
    return np.random.poisson(lam), np.random.poisson(lam, 6), np.random.poisson(lam, (2, 3))


@cases.add("np.random-discrete", (0, 0.5), (5, 0.0), (5, 1.0), (20, 0.25), (500, 0.5), (500, 0.95))
def binomial_seeded(n, p):
    np.random.seed(8)
    return np.random.binomial(n, p), np.random.binomial(n, p, 5)


@cases.add("np.random-discrete", (-1.0,), (np.nan,), (1e20,), raises=ValueError, match=True)
def poisson_bad_lam(lam):
    return np.random.poisson(lam)


@cases.add("np.random-discrete", (-1, 0.5), (3, 1.5), (3, np.nan), raises=ValueError, match=True)
def binomial_bad(n, p):
    return np.random.binomial(n, p)


@cases.add("np.random-gamma", (0.5, 1.0), (1.0, 2.0), (3.0, 0.5), (0.0, 1.0))
def gamma_seeded(shape, scale):
    np.random.seed(15)
    return np.random.gamma(shape, scale, 4), np.random.standard_gamma(shape), np.random.gamma(shape)


@cases.add("np.random-gamma", (0.5, 0.5), (2.0, 5.0), (1.0, 0.3))
def beta_seeded(a, b):
    np.random.seed(16)
    return np.random.beta(a, b), np.random.beta(a, b, (2, 2))


@cases.add("np.random-gamma", (-1.0, 1.0), (1.0, -1.0), raises=ValueError, match=True)
def gamma_bad(shape, scale):
    return np.random.gamma(shape, scale)


@cases.add("np.random-gamma", (0.0, 1.0), (1.0, -2.0), raises=ValueError, match=True)
def beta_bad(a, b):
    return np.random.beta(a, b)


@cases.add("np.random-permutation", (np.arange(8.0),), (np.arange(12).reshape(4, 3),), (np.zeros(0),))
def shuffle_seeded(x):
    np.random.seed(23)
    np.random.shuffle(x)
    return x, np.random.permutation(x), np.random.permutation(len(x))


@cases.add("np.random-choice", (5,), (9,))
def choice_int_seeded(n):
    np.random.seed(42)
    return (np.random.choice(n), np.random.choice(n, 4), np.random.choice(n, (2, 2), replace=False),
            np.random.choice(n, 3, p=np.ones(n) / n), np.random.choice(n, 2, False, np.arange(n) / (n * (n - 1) / 2)))


@cases.add("np.random-choice", (np.arange(7.0) * 2,), (np.arange(5, dtype=np.int32),))
def choice_array_seeded(a):
    np.random.seed(43)
    return np.random.choice(a), np.random.choice(a, 4), np.random.choice(a, (2, 2), replace=False)


@cases.add("np.random-choice", (np.array([0.5, 0.5]),), (np.array([0.3, 0.3, 0.3]),), raises=ValueError,
           match=True)
def choice_bad(x):
    return np.random.choice(3, p=x)


# A Generator argument is copied for each run, so CPython and the jitted function draw the same
# numbers from equal generators.

@cases.add("np.random-generator", (np.random.default_rng(1),), (np.random.default_rng(2**40),),
           (np.random.Generator(np.random.MT19937(5)),))
def generator_draws(rng):
    return (rng.random(3), rng.normal(1.0, 2.0), rng.standard_normal((2, 2)), rng.uniform(-1.0, 1.0, 2),
            rng.exponential(0.5), rng.integers(0, 10, 4), rng.integers(5), rng.integers(1, 6, endpoint=True))


@cases.add("np.random-generator", (np.random.default_rng(7), np.arange(6.0)))
def generator_sequences(rng, x):
    rng.shuffle(x)
    return (x, rng.permutation(5), rng.choice(x, 3, replace=False), rng.choice(10, (2, 2)),
            rng.choice(4, 2, p=np.array([0.1, 0.2, 0.3, 0.4])), rng.normal(x, 1.0))


@cases.add("np.random-generator", (np.random.default_rng(0), 2.0, 1.0), (np.random.default_rng(0), 0.0, np.inf),
           raises=(ValueError, OverflowError), match=True)
def generator_bad_uniform(rng, lo, hi):
    return rng.uniform(lo, hi)


@cases.add("np.random-discrete", (np.array([0.5, 3.0, 40.0]),))
def poisson_array_seeded(lam):
    np.random.seed(9)
    return np.random.poisson(lam), np.random.poisson(lam, (2, 3)), np.random.binomial(np.array([3, 30]), 0.4)


@cases.add("np.random-state", (0,), (7,), (2**32 - 1,))
def state_replayed(s):
    np.random.seed(s)
    np.random.randn()  # a cached Gaussian inside the state
    st = np.random.get_state()
    a = np.random.random(3), np.random.randn(), np.random.randint(-5, 5, 4, np.int8)
    np.random.set_state(st)
    b = np.random.random(3), np.random.randn(), np.random.randint(-5, 5, 4, np.int8)
    return a, b


@cases.add("np.random-state", (3,), (1000,))
def state_across_a_block(n):
    np.random.seed(1)
    st = np.random.get_state()
    x = np.random.random(n)  # past the 624 words of a block for n = 1000
    np.random.set_state(st)
    return x, np.random.random(n)


@cases.add("np.random-randint", (0,), (11,))
def randint_dtypes(s):
    np.random.seed(s)
    return (np.random.randint(0, 7, 9, np.uint8), np.random.randint(-300, 300, 5, np.int16),
            np.random.randint(5, dtype=np.int32), np.random.randint(0, 2**40, 3, np.uint64),
            np.random.randint(-128, 128, 7, dtype="int8"), np.random.randint(3, dtype=int))


@cases.add("np.random-randint", (0, 200), (0, -1), (0, 0), (5, 5), (-129, 3), raises=ValueError, match=True)
def randint_dtype_bounds_errors(lo, hi):
    return np.random.randint(lo, hi, dtype=np.int8)


@cases.add("np.random-randint", (0, -1), (0, 0), (5, 5), (6, 5), raises=ValueError, match=True)
def randint_bounds_errors(lo, hi):
    return np.random.randint(lo, hi)


@cases.add("np.random-generator", lambda: (np.random.default_rng(4),), lambda: (np.random.default_rng(9),))
def generator_integers_dtypes(rng):
    return (rng.integers(0, 7, 9, np.uint8), rng.integers(-300, 300, 5, np.int16, True),
            rng.integers(5, dtype=np.uint32), rng.integers(0, 2**40, 3, np.int64))


test_conformance = cases.test()
