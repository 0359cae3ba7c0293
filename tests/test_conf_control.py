"""Conformance: control flow and functions as other compilers' test programs exercise them.

Small kernels in the manner of Numba's and Pythran's own test suites (written for sejit, not
copied): loop else-parts, closures and nonlocal, default, star and keyword-only parameters,
generators, generator expressions in reductions, recursion, star unpacking, chained
comparisons, conditional expressions, global constants, bit operations, integer floor division
of negatives, divmod, round with digits, abs of complex numbers and isinstance. Each runs in
CPython and through jit (conftest.check).

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)

SCALE = 3
OFFSETS = (1, -2, 5)
TOLERANCE = 1e-3


def ramp(n, dtype=np.float64):
    return (np.arange(n, dtype=np.float64) * 0.75 - 2.0).astype(dtype)


# ------------------------------------------------------------------------ loops with else


@cases.add("py.for-else", (ramp(9), 1.0), (ramp(9), 100.0), (ramp(0), 1.0))
def first_at_least(a, x):
    for i in range(a.shape[0]):
        if a[i] >= x:
            idx = i
            break
    else:
        idx = -1
    return idx


@cases.add("py.for-else", (27, 200), (27, 5), (1, 3))
def collatz_within(n, limit):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
        if steps >= limit:
            found = False
            break
    else:
        found = True
    return found, steps


# ------------------------------------------------------------------- nested functions


@cases.add("py.closures", (ramp(6), 2.5), (ramp(3), -1.0))
def closure_affine(a, k):
    shift = k * 0.5

    def affine(v):
        return v * k + shift

    s = 0.0
    for v in a:
        s += affine(v)
    return s


@cases.add("py.nonlocal", (7,), (0,))
def nonlocal_tally(n):
    count = 0
    total = 0

    def bump(i):
        nonlocal count, total
        count += 1
        total += i * i

    for i in range(n):
        if i % 3 != 1:
            bump(i)
    return count, total


def _poly(x, a=1.0, b=-2.0, c=0.5):
    return (a * x + b) * x + c


@cases.add("py.defaults", (1.5,), (-2.0,))
def defaults_mixed(x):
    return _poly(x), _poly(x, 2.0), _poly(x, c=4.0), _poly(x, 1.0, b=0.0)


def _total(*values):
    s = 0
    for v in values:
        s += v
    return s, len(values)


@cases.add("py.varargs", (3,), (-4,))
def varargs_calls(n):
    a = _total()
    b = _total(n)
    c = _total(n, 2 * n, 7)
    return a, b, c


def _clip(x, *, lo=0.0, hi=1.0):
    return lo if x < lo else hi if x > hi else x


@cases.add("py.kwonly", (0.25,), (-3.0,), (7.5,))
def kwonly_clip(x):
    return _clip(x), _clip(x, hi=5.0), _clip(x, lo=-1.0, hi=0.1)


# ------------------------------------------------------------------------- generators


def _fib_upto(limit):
    a, b = 0, 1
    while a < limit:
        yield a
        a, b = b, a + b


@cases.add("py.generators", (100,), (1,), (0,))
def fib_sum(limit):
    s = 0
    k = 0
    for v in _fib_upto(limit):
        s += v
        k += 1
    return s, k


@cases.add("py.genexpr", (ramp(8),), (ramp(1),))
def genexpr_reductions(a):
    n = a.shape[0]
    pos = any(a[i] > 0 for i in range(n))
    neg = all(a[i] < 0 for i in range(n))
    sq = sum(v * v for v in a)
    lo = min(abs(v) for v in a)
    hi = max(v - 1.0 for v in a)
    order = sorted(-v for v in a)
    return pos, neg, sq, lo, hi, order[0], order[n - 1]


# ------------------------------------------------------------------------- recursion


def _ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return _ackermann(m - 1, 1)
    return _ackermann(m - 1, _ackermann(m, n - 1))


def _power_sum(x, k):
    # Mutual shape: recursion that halves, as exponentiation by squaring.
    if k == 0:
        return 1.0
    half = _power_sum(x, k // 2)
    return half * half * (x if k % 2 else 1.0)


@cases.add("py.helpers", (2, 3), (1, 0))
def recursive_calls(m, n):
    return _ackermann(m, n), _power_sum(1.5, 5 + m)


def _tri(n):
    # Three calls of itself per level, none of which can fail: compiled, it returns by value
    # and GCC may merge repeated calls with equal arguments.
    if n < 3:
        return n
    return _tri(n - 1) + _tri(n - 2) * 2 - _tri(n - 3)


def _ffib(x):
    # A float result in a fixed order of operations.
    if x < 2.0:
        return x * 0.5
    return _ffib(x - 1.0) * 1.0000001 + _ffib(x - 2.0) / 3.0


@cases.add("py.helpers", (15,), (2,), (-3,))
def tree_recursion(n):
    return _tri(n), _ffib(n + 0.25)


def _down(k, step):
    # Fails deep inside a tree of calls, which must reach the caller through every level.
    if k < -1:
        raise ValueError("went below -1")
    if k < 1:
        return 1
    return _down(k - 1, step) + _down(k - step, step)


@cases.add("py.helpers", (12, 2))
def tree_recursion_deep(n, step):
    return _down(n, step) + 1


@cases.add("py.helpers", (12, 3), raises=ValueError, match=True)
def tree_recursion_raises(n, step):
    return _down(n, step) + 1


# ---------------------------------------------------------------- unpacking and tests


@cases.add("py.tuples", (4,), (-1,))
def star_unpack(n):
    first, *middle, last = (n, n + 1, n * 2, n - 3)
    head, *rest = (first * 2, last)
    return first + last, len(middle), middle[0] + middle[1], head, rest[0]


@cases.add("py.tuples", (3.0,), (-0.5,))
def star_ends(x):
    *init, last = (x, 2.0 * x, x - 1.0)
    a, *rest = (x, x + 1.0)
    init.append(last)
    return len(init), init[0] + init[1] + init[2], a, rest[0], len(rest)


@cases.add("py.tuples", (1,), (-3,), (2,))
def tuple_pick(i):
    return OFFSETS[i] * 10 + (0.5, 1.5, 2.5)[i]


@cases.add("py.tuples", (3,), (-4,), raises=IndexError, match=True)
def tuple_pick_past_the_end(i):
    return OFFSETS[i]


@cases.add("py.arith", (ramp(12), -1.0, 2.0), (ramp(5), 0.0, 0.0))
def chained_window(a, lo, hi):
    inside = 0
    edge = 0
    for v in a:
        if lo <= v < hi:
            inside += 1
        elif v == lo or hi <= v <= hi + 1.0:
            edge += 1
    return inside, edge, lo < hi > 0.0


@cases.add("py.control", (ramp(7),), (ramp(2),))
def conditional_values(a):
    s = 0.0
    n = 0
    for v in a:
        s += v if v > 0 else -2.0 * v if v < -1.0 else 0.5
        n += 1 if v != 0 else 0
    sign = "pos" if s > 0 else "neg"
    return s, n, sign


@cases.add("py.globals", (ramp(5),), (ramp(1),))
def global_constants(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * SCALE + OFFSETS[i % 3]
    return s, abs(s) < TOLERANCE


# ---------------------------------------------------------------------- integer rules


@cases.add("py.arith", (0b1011_0110,), (0,), (-37,))
def bit_tricks(n):
    pop = 0
    m = n & 0xFFFF
    while m:
        m &= m - 1
        pop += 1
    low = n & -n
    return pop, low, n ^ (n >> 1), (n << 3) | 5, ~n & 0xFF, n >> 2


@cases.add("py.arith", (-7, 2), (7, -2), (-7, -2), (-9, 3), (13, 5))
def floor_rules(a, b):
    return a // b, a % b, -a // b, (-a) % b, a - (a // b) * b == a % b


@cases.add("py.divmod", (987654,), (-1234,), (0,))
def divmod_digits(n):
    s = 0
    m = abs(n)
    digits = 0
    while m > 0:
        m, d = divmod(m, 10)
        s += d
        digits += 1
    q, r = divmod(n, 7)
    fq, fr = divmod(float(n), 2.5)
    return s, digits, q, r, fq, fr


@cases.add("py.round", (2.675,), (-13.45,), (1234.5678,), (0.5,))
def round_digits(x):
    return round(x, 2), round(x, 1), round(x, -1), round(x), round(x * 10, 0)


@cases.add("py.abs", (3.0, -4.0), (-1.5, 0.0), (0.0, 0.0))
def abs_complex(re, im):
    z = complex(re, im)
    w = z * (1 - 2j)
    return abs(z), abs(w), abs(-z.conjugate()), abs(z) ** 2 - (z * z.conjugate()).real


@cases.add("py.isinstance", (3,), (2.5,), (ramp(3),), (np.float32(1.5),))
def isinstance_dispatch(x):
    if isinstance(x, np.ndarray):
        return float(x.sum())
    elif isinstance(x, int):
        return float(x * 2)
    elif isinstance(x, (float, np.floating)):
        return float(x) + 0.5
    return -1.0


test_conformance = cases.test()
