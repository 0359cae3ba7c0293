"""Conformance: itertools' combinatoric iterators, functools.reduce, the operator module, and the
math functions of sequences (fsum, prod, dist, hypot).

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove; compile-time errors of these are at the end.
"""

import functools
import inspect
import itertools
import math
import operator
from itertools import combinations, permutations, product

import numpy as np
import pytest
from conformance import Cases
from conftest import needs_engine
from sejit import jit

cases = Cases(__name__)


def arr(*v, dtype=np.float64):
    return np.array(v, dtype=dtype)


def rand(n, seed=0):
    return lambda: (np.random.default_rng(seed).standard_normal(n),)


# --------------------------------------------------------------------------- itertools


@cases.add("py.itertools", (0,), (1,), (4,))
def product_of_ranges(n):
    s = 0
    for a, b in itertools.product(range(n), range(3)):
        s = s * 7 + a * 10 + b
    return s


@cases.add("py.itertools", (0,), (3,))
def product_repeat(n):
    s = 0
    for t in product(range(n), repeat=3):
        s = (s * 31 + t[0] * 100 + t[1] * 10 + t[2]) % 1000003
    return s


@cases.add("py.itertools", (2,), (3,))
def product_two_pools_repeat(n):
    s = 0
    for t in product(range(n), range(2), repeat=2):
        s = (s * 13 + t[0] + 2 * t[1] + 3 * t[2] + 5 * t[3]) % 1000003
    return s


# Over nothing, CPython returns the Python float it started with; compiled code has one result
# type, the NumPy float64 of the loop (value_typed: compared by dtype and value).
@cases.add("py.itertools", lambda: (np.arange(4.0), [1, 2, 3]))
@cases.add("py.itertools", lambda: (np.zeros(0), [5]), value_typed=True)
def product_array_list(x, xs):
    s = 0.0
    for a, b in product(x, xs):
        s = s * 0.5 + a * b
    return s


@cases.add("py.itertools", (1, 2.5), (0, -1.0))
def product_of_tuples(k, y):
    s = 0.0
    for a, b in product((1, 2, k), (y, 0.5)):
        s = s * 3 + a * b
    return s


@cases.add("py.itertools", (), ())
def product_empty_call():
    c = 0
    for t in product():
        c += 1 + len(t)
    return c


@cases.add("py.itertools", rand(6))
@cases.add("py.itertools", rand(1), rand(0), value_typed=True)  # no pairs: see above
def combinations_pairs(x):
    s = 0.0
    for a, b in combinations(x, 2):
        s = s * 0.75 + abs(a - b)
    return s


@cases.add("py.itertools", (0,), (2,), (3,), (6,))
def combinations_of_range(n):
    s = 0
    for t in itertools.combinations(range(n), 3):
        s = (s * 31 + t[0] * 100 + t[1] * 10 + t[2]) % 1000003
    return s


@cases.add("py.itertools", (5,), (0,))
def combinations_r_zero_and_full(n):
    c = 0
    for t in combinations(range(n), 0):
        c += 1 + len(t)
    for u in combinations(range(n), r=5):
        c += 100 * (u[0] + u[4])
    return c


@cases.add("py.itertools", (0,), (1,), (4,))
def combinations_with_replacement_of_range(n):
    s = 0
    for t in itertools.combinations_with_replacement(range(n), 3):
        s = (s * 31 + t[0] * 100 + t[1] * 10 + t[2]) % 1000003
    return s


@cases.add("py.itertools", (0,), (2,), (3,), (6,))
def permutations_of_range(n):
    s = 0
    for p in permutations(range(n), 3):
        s = (s * 7 + p[0] * 100 + p[1] * 10 + p[2]) % 1000003
    return s


@cases.add("py.itertools", (1.0, 2.0), (0.5, -3.0))
def permutations_of_tuple(a, b):
    s = 0.0
    for p, q, r in permutations((a, b, 3.0)):
        s = s * 2 + p - q * r
    return s


@cases.add("py.itertools", lambda: ([3, 1, 2, 5],), lambda: ([7],))
def permutations_of_list(xs):
    s = 0
    for p in itertools.permutations(xs, r=2):
        s = s * 10 + p[0] - p[1]
    return s


@cases.add("py.itertools", (4,), (1,))
def itertools_comprehension(n):
    pairs = [i * 10 + j for i, j in combinations(range(n), 2)]
    total = sum(i * j for i, j in product(range(n), repeat=2))
    spread = max(a - b for a, b in permutations(range(n + 1), 2))
    return pairs, total, spread


@cases.add("py.itertools", (5,), (3,))
def itertools_break_continue_else(n):
    s = 0
    for a, b in product(range(n), range(n)):
        if a == b:
            continue
        if a + b > 6:
            break
        s = s * 3 + a - b
    else:
        s = -s
    return s


@cases.add("py.itertools", (4,))
def itertools_nested_in_enumerate_zip(n):
    s = 0
    for k, (a, b) in enumerate(combinations(range(n), 2)):
        s += k * (a + 2 * b)
    for (a, b), c in zip(permutations(range(n), 2), range(100, 200)):
        s += c * a - b
    return s


@cases.add("py.itertools", (3,))
def itertools_inner_clause(n):
    out = [a * 100 + b * 10 + c for c in range(n) for a, b in combinations(range(c + 2), 2)]
    return out


# --------------------------------------------------------------------------- functools.reduce


def _mul_add(a, b):
    return a * 2 + b


@cases.add("py.functools", rand(5), rand(1))
def reduce_lambda_and_operator(x):
    return functools.reduce(operator.add, x), functools.reduce(lambda a, b: a * b, x, 1.0)


@cases.add("py.functools", ([1, 2, 3, 4],), ([7],))
def reduce_helper_on_list(xs):
    return functools.reduce(_mul_add, xs), functools.reduce(_mul_add, xs, 10)


@cases.add("py.functools", (6,), (0,))
def reduce_range_initial(n):
    return functools.reduce(lambda a, b: a + b * b, range(n), 0)


@cases.add("py.functools", (5,))
def reduce_promotes_accumulator(n):
    # 0 (an int) meets float results: the accumulator is a float, as in CPython.
    return functools.reduce(lambda a, b: a + b / 2, range(n), 0)


@cases.add("py.functools", (3,))
def reduce_nested_function_capture(k):
    def step(acc, v):
        return acc * k + v

    return functools.reduce(step, (1, 2, 3))


@cases.add("py.functools", (5,))
def reduce_over_itertools(n):
    return functools.reduce(lambda a, t: a + t[0] * t[1], combinations(range(n), 2), 0)


@cases.add("py.functools", lambda: (np.zeros(0),), raises=TypeError, match=True)
def reduce_empty_no_initial(x):
    return functools.reduce(operator.add, x)


@cases.add("py.functools", lambda: (np.zeros(0),), value_typed=True)  # the initial 3.5: see above
def reduce_empty_with_initial(x):
    return functools.reduce(operator.mul, x, 3.5)


# --------------------------------------------------------------------------- operator


@cases.add("py.operator", (3, 4), (-7, 2), (2.5, -1.5))
def operator_arithmetic(a, b):
    return (
        operator.add(a, b),
        operator.sub(a, b),
        operator.mul(a, b),
        operator.truediv(a, b),
        operator.floordiv(a, b),
        operator.mod(a, b),
        operator.pow(a, 2),
        operator.neg(a),
        operator.pos(b),
        operator.abs(a),
    )


@cases.add("py.operator", (3, 4), (4, 4), (-1, 0))
def operator_comparisons(a, b):
    return (
        operator.lt(a, b),
        operator.le(a, b),
        operator.eq(a, b),
        operator.ne(a, b),
        operator.ge(a, b),
        operator.gt(a, b),
        operator.not_(a),
        operator.truth(b),
    )


@cases.add("py.operator", (12, 10), (-5, 3))
def operator_bitwise(a, b):
    return (
        operator.and_(a, b),
        operator.or_(a, b),
        operator.xor(a, b),
        operator.invert(a),
        operator.inv(b),
        operator.lshift(a, 2),
        operator.rshift(a, 1),
    )


@cases.add("py.operator", lambda: (np.arange(6.0).reshape(2, 3), np.ones((3, 2))))
def operator_on_arrays(a, b):
    return operator.matmul(a, b), operator.add(a, 1.0), operator.mul(a, a), operator.gt(a, 2.0)


@cases.add("py.operator", (1, 0), raises=ZeroDivisionError, match=True)
def operator_zero_division(a, b):
    return operator.floordiv(a, b)


# --------------------------------------------------------------------------- math of sequences


@cases.add(
    "py.math",
    lambda: (arr(1.0, 2.0, 3.0), arr(4.0, 6.0, 3.0)),
    ((1.0, 2.0), (4.0, 6.0)),
    ([1, 2], [4, 6]),
    rtol=0,
)
def math_dist(p, q):
    return math.dist(p, q)


@cases.add("py.math", rand(7), rand(2, seed=3), rtol=0)
def math_dist_reversed(p):
    return math.dist(p, p[::-1])


@cases.add(
    "py.math",
    lambda: (np.random.default_rng(1).standard_normal(9) * 1e300,),
    lambda: (np.random.default_rng(2).standard_normal(4) * 1e-310,),
    (arr(0.0, 0.0),),
    (arr(np.inf, np.nan),),
    (arr(np.nan, 1.0),),
    rtol=0,
)
def math_dist_extremes(x):
    return math.dist(x, np.zeros(x.shape[0])), math.dist(x[:1], x[1:2])


@cases.add(
    "py.math",
    (3.0, 4.0, 12.0),
    (1e-320, 1e-320, 3e-320),
    (1e308, 1e308, 1e308),
    (np.inf, np.nan, 1.0),
    rtol=0,
)
def math_hypot_many(a, b, c):
    return math.hypot(a, b, c), math.hypot(a), math.hypot(), math.hypot(a, -b, c, a)


@cases.add(
    "py.math",
    lambda: (arr(1e100, 1.0, -1e100, 1e-100),),
    lambda: (np.full(10, 0.1),),
    lambda: (np.arange(5, dtype=np.int32),),
    lambda: (np.zeros(0),),
    rtol=0,
)
def math_fsum_array(x):
    return math.fsum(x), math.fsum(x[::2])


@cases.add("py.math", ([0.1] * 10,), ([1, 2, 3],), rtol=0)
def math_fsum_list(xs):
    return math.fsum(xs)


@cases.add("py.math", lambda: (arr(1e308, 1e308),), raises=OverflowError, match=True)
def math_fsum_array_overflow(x):
    return math.fsum(x)


@cases.add("py.math", lambda: (arr(np.inf, -np.inf),), raises=ValueError, match=True)
def math_fsum_array_inf_minus_inf(x):
    return math.fsum(x)


@cases.add("py.math", lambda: (np.arange(1, 8),), lambda: (arr(0.5, 3.0),), ([1, 2, 3],))
@cases.add("py.math", lambda: (np.zeros(0, np.int64),), value_typed=True)  # the start, a Python int
def math_prod_sequence(x):
    return math.prod(x), math.prod(x, start=2)


@cases.add("py.math", lambda: (np.zeros(3), np.zeros(2)), raises=ValueError, match=True)
def math_dist_lengths(p, q):
    return math.dist(p, q)


test_conformance = cases.test()


# --------------------------------------------------------------------------- errors


def _combinations_variable_r(x, r):
    s = 0.0
    for t in combinations(x, r):
        s += t[0]
    return s


def _product_outside_loop(x):
    p = itertools.product(x, x)
    return p


def _combinations_of_dict(n):
    d = {1: 2.0}
    s = 0
    for a, b in combinations(d, 2):
        s += a
    return s


def _permutations_of_array_no_r(x):
    s = 0.0
    for p in permutations(x):
        s += p[0]
    return s


def _itertools_unknown(n):
    for t in itertools.chain(range(n), range(n)):
        n += t
    return n


def _reduce_arrays(x):
    return functools.reduce(operator.add, x)


@needs_engine
@pytest.mark.parametrize(
    "fn, args, line, words",
    [
        (_combinations_variable_r, (np.ones(3), 2), "combinations(x, r)", "needs r as a constant"),
        (
            _product_outside_loop,
            (np.ones(2),),
            "itertools.product(",
            "only supported as an iterable",
        ),
        (
            _combinations_of_dict,
            (3,),
            "combinations(d, 2)",
            "takes ranges, arrays, lists and tuples",
        ),
        (_permutations_of_array_no_r, (np.ones(3),), "permutations(x)", "needs its length r"),
        (_itertools_unknown, (3,), "itertools.chain", "itertools.chain is not supported"),
        (_reduce_arrays, (np.ones((2, 3)),), "functools.reduce", "reduce() folds numbers"),
    ],
)
def test_positioned_errors(fn, args, line, words):
    from sejit import UnsupportedError

    with pytest.raises((UnsupportedError, TypeError)) as info:
        jit(fn)(*args)
    message = str(info.value)
    lines, first = inspect.getsourcelines(fn)
    k = next(k for k, text in enumerate(lines) if line in text)
    assert f"{__file__}:{first + k}:" in message, message
    assert words in message, message
