"""Conformance: iteration over sets of numbers in CPython's order (issue 14, py.sets).

CPython iterates a set through its hash table, so `for x in s` and `list(s)` see the items in an
order fixed by their hashes, the table's size and the set's history (adds, discards that leave
dummies, resizes, and how `| & -`, `copy()` and `set(s)` build their results). The kernel keeps
that table (internal/lower/pyset.go); these cases compare the order with CPython's: a small
interpreter kernel runs random programs of set operations and lists the sets' items after each
step, over values chosen to collide (multiples of large powers of two), to straddle -1 (whose
hash is -2) and 2**61 - 1 (the hash modulus), and floats with integral values, -0.0 and inf.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)

# Opcodes of set_program, weighted so that sets grow through several resizes.
_OPS = np.array([0] * 10 + [1] * 4 + [2] * 6 + [3] * 2 + list(range(4, 21)))


# Adds and discards only, with a listing now and then: large tables full of dummies.
_CHURN = np.array([0] * 12 + [1] * 8 + [13])


def _program(n, pool, seed, weights=_OPS):
    def build():
        rng = np.random.default_rng(seed)
        ops = rng.choice(weights, size=n)
        xs = rng.choice(pool, size=n)
        return ops, xs
    return build


def set_program(ops, xs):
    a = set()
    b = set()
    out = []
    for i in range(len(ops)):
        op = ops[i]
        x = xs[i]
        if op == 0:
            a.add(x)
        elif op == 1:
            a.discard(x)
        elif op == 2:
            b.add(x)
        elif op == 3:
            b.discard(x)
        elif op == 4:
            a = a | b
        elif op == 5:
            a = a & b
        elif op == 6:
            a = a - b
        elif op == 7:
            a = b - a
        elif op == 8:
            b = a.copy()
        elif op == 9:
            b = set(a)
        elif op == 10:
            a.clear()
        elif op == 11:
            b = b & a
        elif op == 12:
            a = b | a
        elif op == 13:
            for y in a:
                out.append(y)
        elif op == 14:
            a = a | a
        elif op == 15:
            b = b & b
        elif op == 16:
            b = b - b
        elif op == 17:
            a |= b
        elif op == 18:
            a &= b
        elif op == 19:
            b -= a
        else:
            out.extend([y for y in b])
    for y in a:
        out.append(y)
    for y in b:
        out.append(y)
    return out, len(a), len(b)


_SMALL = np.arange(-20, 40, dtype=np.int64)
_COLLIDING = np.array([k << s for k in range(-6, 7) for s in (3, 6, 10, 20, 40)], dtype=np.int64)
_HUGE = np.array([-1, -2, 0, 1, 2**61 - 2, 2**61 - 1, 2**61, 2**61 + 1, 2**62, -(2**61), -(2**61) + 1,
                  -(2**61) - 1, 2**63 - 1, -(2**63), -(2**63) + 1, 2**62 + 5, 7, 8, 9],
                 dtype=np.int64)
_WIDE = np.random.default_rng(5).integers(-10**6, 10**6, size=400)
_FLOATS = np.array([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 0.25, 1.5, 3.0, 1e300, -1e300, 5e-324,
                    np.inf, -np.inf, 2.0**61, 2.0**61 - 2**9, -(2.0**62), 8.0, 16.0, 1024.0, 0.1, 1 / 3,
                    2.0**-30, 12345.678, -7.0, 64.0])


@cases.add("py.sets", _program(300, _SMALL, 1), _program(2000, _SMALL, 2), _program(1500, _COLLIDING, 3),
           _program(3000, _COLLIDING, 4), _program(800, _HUGE, 5), _program(2500, _HUGE, 6),
           _program(4000, _WIDE, 7), _program(600, _WIDE, 8), _program(2000, _FLOATS, 9),
           _program(500, _FLOATS, 10), _program(3000, _FLOATS, 11),
           _program(3000, _WIDE, 12, _CHURN), _program(3000, _COLLIDING, 13, _CHURN),
           _program(1500, _HUGE, 14, _CHURN), _program(3000, _FLOATS, 15, _CHURN))
def set_program_order(ops, xs):
    return set_program(ops, xs)


@cases.add("py.sets", (5000,), (37,), (0,))
def set_grows_and_shrinks(n):
    # Many adds (resizes at 8, 32, 128, ... slots), then discards that leave dummies, then adds
    # that reuse them.
    s = set()
    for i in range(n):
        s.add(i * 7919 % 10007 - 5000)
    for i in range(0, n, 3):
        s.discard(i * 7919 % 10007 - 5000)
    for i in range(n // 2):
        s.add(i * 31 - 77)
    return list(s), len(s)


@cases.add("py.sets", (120000,))
def set_past_50000(n):
    # Past 50000 live items a full table grows to 2x, not 4x, the live count.
    s = set()
    for i in range(n):
        s.add(i * 2654435761 % 1000003)
    for i in range(0, n, 5):
        s.discard(i * 2654435761 % 1000003)
    for i in range(n // 3):
        s.add(-i * 7)
    return list(s)


@cases.add("py.sets", (12,), (3,))
def set_iteration_forms(n):
    s = {i * 37 % 101 - 50 for i in range(n)}
    f = {0.5 * i - 1.0 for i in range(n)}
    total = 0
    for x in s:
        total = total * 3 + x
    return [x * 2 for x in s], total, sum(f), [y for y in f if y > 0], min(s), max(f)


@cases.add("py.sets", (True,), (False,))
def bool_set_order(flag):
    s = {flag, not flag}
    s.discard(flag)
    s.add(flag)
    return list(s), list({flag})


@cases.add("py.sets", (9,), (40,))
def set_of_dict_and_set(n):
    d = {}
    for i in range(n):
        d[(n - i) * 8] = i
    s = set(d)
    t = set(s)
    c = s.copy()
    return list(s), list(t), list(c)


@cases.add("py.sets", lambda: ({3, 11, 19, -1, 2**61},), lambda: (set(range(40, 0, -3)),))
def set_argument_order(s):
    # A set passed in: its items in the caller's order, then changed here.
    out = [x for x in s]
    s.add(1000)
    s.discard(11)
    for x in s:
        out.append(x)
    return out


@cases.add("py.sets", (20,), (300,))
def set_in_place_ops(n):
    # s |= t merges into s's own table, s &= t takes the intersection's, s -= t leaves dummies
    # (and rebuilds a table over a quarter dummies); s op= s is a copy, or clears for -=.
    s = {i * 8 for i in range(n)}
    t = {i * 3 - 7 for i in range(n)}
    s |= t
    a = [x for x in s]
    s -= {i * 6 for i in range(n)}
    b = [x for x in s]
    s &= {i - 50 for i in range(4 * n)}
    c = [x for x in s]
    s |= s
    s &= s
    d = [x for x in s]
    s -= s
    s.add(n)
    return a, b, c, d, [x for x in s]


@cases.add("py.sets", ("b",), ("ab" * 100,))
def str_set_in_place_ops(text):
    s = {"a", "b", text}
    s |= {"b", "zz"}
    s -= {"a"}
    s &= {"b", "zz", "q", text}
    return sorted(s), len(s), "zz" in s


test_conformance = cases.test()
