"""Conformance: list comprehensions and generator expressions (issue 14).

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import numpy as np
import pytest
from conformance import Cases

import sejit

cases = Cases(__name__)

_xs = np.array([0.5, -2.0, 3.0, -1.5, 4.0])


@cases.add("py.comprehensions", (5,), (0,), (-3,))
def squares(n):
    return [i * i for i in range(n)]


@cases.add("py.comprehensions", (10,), (0,))
def evens_over_three(n):
    return [i for i in range(n) if i % 2 == 0 if i > 3]


@cases.add("py.comprehensions", (_xs,), (np.zeros(0),))
def over_array(x):
    return [abs(v) * 2 for v in x if v < 1]


@cases.add("py.comprehensions", (np.arange(12.0).reshape(3, 4),))
def over_rows(a):
    return [r.sum() for r in a]


@cases.add("py.comprehensions", (4,))
def over_list(n):
    l = [3, 1, 4, 1, 5]
    return [v + n for v in l]


@cases.add("py.comprehensions", (_xs,))
def enumerate_zip(x):
    a = [i * v for i, v in enumerate(x)]
    b = [p - q for p, q in zip(x, a)]
    return np.array(a) + np.array(b)


@cases.add("py.comprehensions", (3, 4), (0, 2), (2, 0))
def nested(n, m):
    return [a * 10 + b for a in range(n) for b in range(a, m) if (a + b) % 2 == 1]


@cases.add("py.comprehensions", (np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])))
def product(xs, ys):
    return [a * b for a in xs for b in ys]


@cases.add("py.comprehensions", (4,))
def scoping(n):
    x = 100
    l = [x * 2 for x in range(n)]
    return x + len(l) + l[-1]


@cases.add("py.comprehensions", (3,))
def shadow_in_inner_iter(n):
    i = 7
    return [j for i in range(n) for j in range(i)] + [i]


@cases.add("py.comprehensions", (6,))
def to_array(n):
    return np.array([np.sin(i) for i in range(n)])


@cases.add("py.comprehensions", (5,))
def grows(n):
    l = [i for i in range(100) if i % n == 0]
    l.append(-1)
    return l


@cases.add("py.comprehensions", (3,), raises=IndexError, match=True)
def comp_index_error(n):
    l = [i for i in range(n)]
    return l[n]


# sum() of an empty generator of floats is the int 0 in CPython, 0.0 here (as for arrays).
@cases.add("py.genexpr", (_xs,))
def sum_squares(a):
    return sum(x * x for x in a)


@cases.add("py.genexpr", (10,), (0,))
def sum_ints(n):
    return sum(i for i in range(n) if i % 3 != 0)


@cases.add("py.genexpr", (_xs,))
def max_abs(xs):
    return max(abs(v) for v in xs), min(v * 2 for v in xs if v > 0)


@cases.add("py.genexpr", (_xs,), (np.abs(_xs),), (np.zeros(0),))
def any_all(xs):
    return any(v < 0 for v in xs), all(v < 10 for v in xs), any(xs), all(xs)


@cases.add("py.genexpr", (4, 2), (4, 50), (0, 1))
def any_nested(n, k):
    count = 0
    found = any(a * b == k for a in range(n) for b in range(n))
    for a in range(n):
        count += 1
    return found, all(a + b < k for a in range(n) for b in range(a)), count


@cases.add("py.genexpr", (_xs,))
def collect(xs):
    return list(v + 1 for v in xs), sorted(v for v in xs if v != 3.0)


@cases.add("py.genexpr", (2.0,))
def fixed_tuple(s):
    t = tuple(s * i for i in range(3))
    return t[0] + t[1] * 10 + t[2] * 100


@cases.add("py.genexpr", (np.zeros(0),), raises=ValueError, match=True)
def min_empty(xs):
    return min(v for v in xs)


@cases.add("py.genexpr", (5,), raises=ValueError, match=True)
def max_empty_filtered(n):
    return max(i for i in range(n) if i > 10)


test_conformance = cases.test()


def test_set_and_dict_comprehensions_compile():
    # Issue 14's dicts and sets (tests/test_conf_dicts.py has their cases).
    def f(n):
        return len({i for i in range(n)})

    def g(n):
        return len({i: i for i in range(n)})

    assert sejit.jit(f)(3) == f(3)
    assert sejit.jit(g)(3) == g(3)


def test_generator_outside_a_consumer_refused():
    def f(n):
        g = (i for i in range(n))
        return n

    with pytest.raises(NotImplementedError, match="generator expressions are only supported"):
        sejit.jit(f)(3)


def test_tuple_of_unknown_length_refused():
    def f(n):
        return tuple(i for i in range(n))

    with pytest.raises(NotImplementedError, match="known when compiling"):
        sejit.jit(f)(3)


def test_loop_variable_does_not_leak():
    def f(n):
        l = [i for i in range(n)]
        return i + len(l)  # noqa: F821 (CPython: NameError)

    with pytest.raises(NameError, match="'i' is not defined"):
        sejit.jit(f)(3)
