"""RandomState's other legacy streams in compiled code, bit for bit (issue 14).

poisson, binomial, gamma, standard_gamma, beta, seed, shuffle, permutation and choice: each case
seeds NumPy's global state, runs one sequence mixing Python draws and a function's draws (compiled,
then the same function in plain Python), and compares every number through its bits and the final
state, cached Gaussian included. The parameters cover each algorithm's branches and edges: lam 0,
below and at 10 (multiplication, then PTRS), huge lam; binomial's n = 0 and p = 0 or 1 (which draw
in the legacy code), inversion and BTPE on both sides of p = 1/2; gamma's shapes 0, below 1, 1 and
above; beta's Johnk and gamma-ratio branches; choice with and without replacement and weights.
"""

import numpy as np
import pytest
import sejit
from conftest import needs_engine
from sejit import jit

pytestmark = needs_engine


def bits(x):
    x = np.asarray(x)
    return x.view(np.uint64) if x.dtype == np.float64 else x


def same(a, b):
    assert type(a) is type(b) or not isinstance(a, (tuple, list)), (a, b)
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
        return
    x, y = bits(a), bits(b)
    assert x.shape == y.shape and x.dtype == y.dtype, (a, b)
    assert np.array_equal(x, y), (a, b)


def python_draws():
    # An odd number of Gaussians: the cached second value crosses into the next draws.
    return np.random.randn(3), np.random.random(), np.random.gamma(2.5), np.random.poisson(4.0)


def run(fn, args, seed=2024):
    """Draws in Python, fn, Python, fn, Python; the values and the final state."""
    np.random.seed(seed)
    out = [python_draws()]
    for _ in range(2):
        out.append(fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args]))
        out.append(python_draws())
    return out, np.random.get_state()


def check(fn, *args):
    want, s1 = run(fn, args)
    got, s2 = run(jit(fn), args)
    same(want, got)
    assert np.array_equal(s1[1], s2[1]) and s1[2:] == s2[2:]


def poisson(lam, n):
    return np.random.poisson(lam), np.random.poisson(lam, n), np.random.poisson(lam=lam, size=(2, n))


@pytest.mark.parametrize("lam", [0.0, 1e-3, 0.5, 3.0, 9.999, 10.0, 12.5, 100.0, 1e4, 1e9, 1e15])
def test_poisson(lam):
    check(poisson, lam, 5)


def poisson_default(n):
    return np.random.poisson(), np.random.poisson(size=n)


def test_poisson_default():
    check(poisson_default, 4)


def binomial(n, p, k):
    return np.random.binomial(n, p), np.random.binomial(n, p, k), np.random.binomial(p=p, n=n, size=(k, 2))


@pytest.mark.parametrize("n,p", [(0, 0.5), (0, 0.0), (7, 0.0), (7, 1.0), (0, 1.0), (1, 0.5), (10, 0.3), (60, 0.5),
                                 (61, 0.5), (100, 0.2), (100, 0.8), (1000, 0.5), (10**6, 1e-3), (10**9, 0.4),
                                 (50, 0.999), (2**40, 0.5), (35, 0.9)])
def test_binomial(n, p):
    check(binomial, n, p, 4)


def gamma(shape, scale, n):
    return (np.random.gamma(shape, scale), np.random.gamma(shape, scale, n), np.random.gamma(shape, size=(n, 2)),
            np.random.standard_gamma(shape), np.random.standard_gamma(shape, n))


@pytest.mark.parametrize("shape", [0.0, 1e-3, 0.3, 1.0, 1.5, 4.0, 1e3])
@pytest.mark.parametrize("scale", [1.0, 2.5])
def test_gamma(shape, scale):
    check(gamma, shape, scale, 4)


def beta(a, b, n):
    return np.random.beta(a, b), np.random.beta(a, b, n), np.random.beta(b=b, a=a, size=(2, n))


@pytest.mark.parametrize("a,b", [(0.5, 0.5), (1.0, 1.0), (0.1, 0.9), (1e-3, 1e-3), (2.0, 3.0), (0.5, 5.0),
                                 (10.0, 0.2), (1.0, 2.0), (1e-300, 1e-300)])
def test_beta(a, b):
    check(beta, a, b, 4)


def seeded(s):
    x = np.random.randn()  # leaves a cached Gaussian that seed must drop
    np.random.seed(s)
    return x, np.random.random(3), np.random.randn()


@pytest.mark.parametrize("s", [0, 1, 12345, 2**32 - 1])
def test_seed(s):
    check(seeded, s)


def seed_only(s):
    np.random.seed(s)


@pytest.mark.parametrize("s", [0, 7, 2**31])
def test_seed_then_python_draws(s):
    np.random.seed(99)
    np.random.randn()
    jit(seed_only)(s)
    got = (np.random.randn(5), np.random.randint(0, 2**40, 3), np.random.get_state())
    np.random.seed(s)
    want = (np.random.randn(5), np.random.randint(0, 2**40, 3), np.random.get_state())
    same(got[:2], want[:2])
    assert np.array_equal(got[2][1], want[2][1]) and got[2][2:] == want[2][2:]


def shuffled(x):
    np.random.shuffle(x)
    return x


def permuted(x):
    return np.random.permutation(x)


def shuffle_view(x):
    v = x[::2]
    np.random.shuffle(v)
    return x


SHUFFLE_ARGS = [np.arange(10.0), np.arange(7, dtype=np.int32), np.arange(12.0).reshape(4, 3),
                np.arange(24).reshape(2, 3, 4), np.zeros(0), np.ones(1), np.arange(2000.0),
                np.asfortranarray(np.arange(15.0).reshape(5, 3))]


@pytest.mark.parametrize("x", SHUFFLE_ARGS, ids=lambda x: f"{x.dtype}{x.shape}")
def test_shuffle_and_permutation_of_arrays(x):
    check(shuffled, x)
    check(permuted, x)


def test_shuffle_a_view_in_place():
    check(shuffle_view, np.arange(11.0))


def permutation_int(n):
    return np.random.permutation(n), np.random.permutation(n + 1)


@pytest.mark.parametrize("n", [-3, -1, 0, 1, 5, 1000])
def test_permutation_of_int(n):
    check(permutation_int, n)


def choice_int(n, k):
    return (np.random.choice(n), np.random.choice(n, k), np.random.choice(n, size=(2, k)),
            np.random.choice(n, k, replace=False), np.random.choice(n, replace=False), np.random.choice(n, size=()))


@pytest.mark.parametrize("n,k", [(1, 1), (5, 3), (10, 10), (1000, 7)])
def test_choice_int(n, k):
    check(choice_int, n, k)


def choice_huge(n):
    # With replacement, a population beyond 32 bits: 64-bit masked draws.
    return np.random.choice(n), np.random.choice(n, 3)


@pytest.mark.parametrize("n", [2**32, 2**33 + 5, 2**62])
def test_choice_huge_population(n):
    check(choice_huge, n)


def choice_p(a, p, k):
    return (np.random.choice(a, p=p), np.random.choice(a, k, p=p), np.random.choice(a, (2, k), True, p),
            np.random.choice(a, k, replace=False, p=p))


@pytest.mark.parametrize("p", [np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.0, 0.5, 0.5, 0.0]),
                               np.array([0.25, 0.25, 0.25, 0.25]), np.array([1e-9, 1 - 3e-9, 1e-9, 1e-9]),
                               np.array([0.1, 0.2, 0.3, 0.4], dtype=np.float32)],
                         ids=["skewed", "zeros", "flat", "one-heavy", "float32"])
@pytest.mark.parametrize("a", ["int", "array"])
def test_choice_weighted(a, p):
    pop = 4 if a == "int" else np.array([1.5, -2.0, 3.25, 8.0])
    check(choice_p, pop, p, 2)


def choice_array(x, k):
    return np.random.choice(x), np.random.choice(x, k), np.random.choice(x, k, replace=False)


@pytest.mark.parametrize("x", [np.arange(6.0) * 1.5, np.arange(9, dtype=np.int16), np.arange(20)[::3]],
                         ids=["f8", "i2", "strided"])
def test_choice_array(x):
    check(choice_array, x, 3)


def choice_empty(n, x):
    return np.random.choice(n, 0), np.random.choice(x, size=(0, 3)), np.random.choice(n, 0, replace=False)


def test_choice_nothing_drawn():
    check(choice_empty, 0, np.zeros(0))


def many(n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = np.random.poisson(i * 3.0) + np.random.binomial(i, 0.4) + np.random.beta(0.7, 2.0)
    return out, np.random.choice(n, 3, replace=False), np.random.permutation(n)


def test_draws_in_a_loop():
    check(many, 40)


def broadcast(mu, sig, lam, n, p, a, b):
    return (np.random.normal(mu), np.random.normal(mu, sig), np.random.normal(mu[:, None], sig, size=(3, 3, 3)),
            np.random.normal(loc=1.0, scale=sig), np.random.uniform(mu, 10.0), np.random.uniform(mu[:, None], sig + 20.0),
            np.random.exponential(sig), np.random.exponential(sig, (2, 3)), np.random.poisson(lam),
            np.random.poisson(lam, (2, lam.size)), np.random.binomial(n, p), np.random.binomial(10, p, (5, p.size)),
            np.random.binomial(n[:, None], 0.5), np.random.gamma(a), np.random.gamma(a, b), np.random.gamma(2.0, b),
            np.random.standard_gamma(a, size=(2, a.size)), np.random.beta(a, b), np.random.beta(a[:, None], b))


BROADCAST_ARGS = [
    (np.array([0.0, 1.0, -2.0]), np.array([1.0, 0.5, 2.0]), np.array([0.0, 3.0, 15.0, 100.0]),
     np.array([0, 5, 50, 1000]), np.array([0.0, 0.5, 0.9, 1.0]), np.array([0.5, 1.0, 3.0]), np.array([0.3, 2.0, 1.0])),
    (np.array([2.5]), np.array([0.0]), np.array([1e-3]), np.array([7]), np.array([0.25]), np.array([1e-3]),
     np.array([4.0])),
]


@pytest.mark.parametrize("args", BROADCAST_ARGS, ids=["three", "one"])
def test_array_parameters_broadcast(args):
    check(broadcast, *args)


def broadcast_2d(m):
    return (np.random.normal(m, m[:1]), np.random.normal(m[:, :1], m), np.random.poisson(m * 20.0),
            np.random.uniform(m, m + 1.0, (2, 3, 4)), np.random.gamma(m[0], m[:, :1]))


def empty_parameters(x):
    return np.random.normal(x), np.random.poisson(x, (2, 0)), np.random.beta(x + 1.0, 2.0), np.random.random()


def test_array_parameters_2d_and_empty():
    check(broadcast_2d, np.arange(1.0, 13.0).reshape(3, 4))
    check(broadcast_2d, np.linspace(0.1, 2.0, 16).reshape(4, 4)[:3, :])  # a strided view
    check(empty_parameters, np.zeros(0))


def randint_arrays(lo, hi):
    return (np.random.randint(lo, hi), np.random.randint(hi), np.random.randint(lo[:, None], hi + 2**41, (2, lo.size, hi.size)),
            np.random.randint(-5, hi), np.random.randint(lo, 2**40))


def test_randint_array_bounds():
    check(randint_arrays, np.array([0, 10, 100, -2**40]), np.array([5, 20, 2**33, 7]))


def e_randint_arrays(lo, hi):
    return np.random.randint(lo, hi)


@pytest.mark.parametrize("lo,hi", [(np.array([1, 5]), np.array([3, 3])), (np.array([1, 2]), np.array([3, 4, 5]))],
                         ids=["order", "shapes"])
def test_randint_array_errors(lo, hi):
    np.random.seed(3)
    with pytest.raises(ValueError) as py:
        e_randint_arrays(lo, hi)
    np.random.seed(3)
    with pytest.raises(ValueError) as jt:
        jit(e_randint_arrays)(lo, hi)
    assert str(py.value).startswith(str(jt.value))


def e_normal_arrays(mu, sig):
    return np.random.normal(mu, sig)


def e_size_arrays(mu):
    return np.random.normal(mu, 1.0, size=(2, 2))


def e_beta_array(a):
    return np.random.beta(a, 1.0)


def e_binomial_arrays(n, p):
    return np.random.binomial(n, p)


def e_poisson_array(lam):
    return np.random.poisson(lam)


@pytest.mark.parametrize("fn,args", [
    (e_normal_arrays, (np.zeros(3), np.array([1.0, -1.0, 1.0]))), (e_normal_arrays, (np.zeros(3), np.ones(2))),
    (e_size_arrays, (np.zeros(3),)), (e_beta_array, (np.array([1.0, 0.0]),)),
    (e_binomial_arrays, (np.array([3, -1]), np.array([0.5, 0.5]))),
    (e_binomial_arrays, (np.array([-3, 1]), np.array([0.5, 1.5]))), (e_poisson_array, (np.array([1.0, -1.0]),)),
    (e_poisson_array, (np.array([-1.0, 1e20]),)),
], ids=["scale", "shapes", "size", "beta", "n", "p-first", "lam", "lam-large-first"])
def test_array_parameter_errors(fn, args):
    np.random.seed(3)
    with pytest.raises(ValueError) as py:
        fn(*args)
    after_py = np.random.random()
    np.random.seed(3)
    with pytest.raises(ValueError) as jt:
        jit(fn)(*args)
    # NumPy's shape messages go on to name the shapes; the first sentence is the same.
    assert str(py.value).startswith(str(jt.value))
    assert np.random.random() == after_py


# Errors: NumPy's exception and message, raised before anything is drawn.

def e_poisson(x):
    return np.random.poisson(x)


def e_binomial_n(x):
    return np.random.binomial(x, 0.5)


def e_binomial_p(x):
    return np.random.binomial(3, x, 2)


def e_binomial_both(x):
    return np.random.binomial(-1, x)


def e_gamma_shape(x):
    return np.random.gamma(x, 1.0)


def e_gamma_scale(x):
    return np.random.gamma(1.0, x, 3)


def e_std_gamma(x):
    return np.random.standard_gamma(x)


def e_beta_a(x):
    return np.random.beta(x, 1.0)


def e_beta_b(x):
    return np.random.beta(1.0, x, 2)


def e_seed(x):
    np.random.seed(x)


def e_choice_int(x):
    return np.random.choice(x)


def e_choice_empty(x):
    return np.random.choice(x, 2)


def e_choice_big(x):
    return np.random.choice(3, x, replace=False)


def e_choice_p(x):
    return np.random.choice(3, p=x)


def e_choice_p_nozero(x):
    return np.random.choice(3, 2, replace=False, p=x)


def e_choice_neg(x):
    return np.random.choice(3, x)


ERRORS = [
    (e_poisson, -1.0), (e_poisson, float("nan")), (e_poisson, 1e19), (e_binomial_n, -1),
    (e_binomial_p, -0.1), (e_binomial_p, 1.5), (e_binomial_p, float("nan")), (e_binomial_both, 2.0),
    (e_gamma_shape, -1.0), (e_gamma_shape, -0.0), (e_gamma_scale, -2.0), (e_std_gamma, -1e-9),
    (e_beta_a, 0.0), (e_beta_a, -1.0), (e_beta_b, -0.0), (e_seed, -1), (e_seed, 2**32),
    (e_choice_int, 0), (e_choice_int, -3), (e_choice_empty, np.zeros(0)), (e_choice_big, 4),
    (e_choice_big, -1), (e_choice_p, np.array([0.5, 0.5])), (e_choice_p, np.array([0.5, 0.6, 0.1])),
    (e_choice_p, np.array([-0.5, 1.0, 0.5])), (e_choice_p, np.array([np.nan, 0.5, 0.5])),
    (e_choice_p_nozero, np.array([1.0, 0.0, 0.0])), (e_choice_neg, -2),
]


@pytest.mark.parametrize("fn,arg", ERRORS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(ERRORS)])
def test_errors_like_numpy_and_nothing_drawn(fn, arg):
    np.random.seed(3)
    with pytest.raises(Exception) as py:
        fn(arg)
    after_py = np.random.random()
    np.random.seed(3)
    with pytest.raises(Exception) as jt:
        jit(fn)(arg)
    assert type(jt.value) is type(py.value)
    assert str(jt.value) == str(py.value)
    assert np.random.random() == after_py


def seed_float(x):
    np.random.seed(x)


def shuffle_scalar(x):
    np.random.shuffle(x)


def choice_2d(x):
    return np.random.choice(x)


def test_refused_with_position():
    with pytest.raises(sejit.UnsupportedError, match="pass an int"):
        jit(seed_float)(1.5)
    with pytest.raises(sejit.TypingError, match="needs an array"):
        jit(shuffle_scalar)(1.0)
    with pytest.raises(sejit.TypingError, match="1-dimensional") as info:
        jit(choice_2d)(np.ones((2, 2)))
    assert f"test_random_streams.py:{choice_2d.__code__.co_firstlineno + 1}:" in str(info.value)
