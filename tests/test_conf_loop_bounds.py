"""Conformance: loops whose index checks one test before the loop proves (internal/opt/
boundscheck.go), for ranges whose bounds and index offsets are values the loop does not change
but the compiler does not know: knapsack's `for c in range(W, w - 1, -1): best[c - w]`, with
the offset loaded from an array. The unchecked copy also drops the negative-index wrap of
each proved index. Each case is compared with CPython, including data for which the test fails
and the checked copy must wrap negative indices or raise IndexError at the same iteration.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)


def _knap_args(weights, values, cap):
    return lambda: (np.array(weights), np.array(values), cap)


@cases.add("arr.index", _knap_args([3, 4, 5, 9], [4, 5, 6, 11], 20),
           _knap_args([1, 1, 1], [1, 2, 3], 2),
           _knap_args([30], [5], 10),  # the item never fits: the inner loop does not run
           _knap_args([0, 2], [1, 2], 5),  # w = 0: best[c - 0]
           _knap_args([2, 3], [1, 2], -1),  # capacity -1: best[-1] wraps
           )
def knapsack_down(weights, values, capacity):
    best = np.zeros(capacity + 1, dtype=np.int64)
    for i in range(len(weights)):
        w = weights[i]
        v = values[i]
        for c in range(capacity, w - 1, -1):
            if best[c - w] + v > best[c]:
                best[c] = best[c - w] + v
    return best


@cases.add("arr.index", (np.arange(10.0), 3, 7), (np.arange(10.0), -4, 6), (np.arange(10.0), 0, 10),
           (np.arange(6.0), 2, 0))
def shifted_up(x, s, n):
    # Indices i + s and i - s with s a run-time value, counting up; negative ones wrap (Python's
    # rules), ones past the end raise IndexError.
    out = np.zeros(x.shape[0])
    for i in range(1, n):
        out[i - s] = x[i + s - 1] * 2.0 + out[i - s]
    return out


@cases.add("arr.index", (np.arange(8.0), 2), (np.arange(8.0), 0), (np.arange(8.0), 7), (np.arange(8.0), 6))
def shifted_down(x, s):
    total = 0.0
    for i in range(x.shape[0] - 1, s - 1, -1):
        total = total * 0.5 + x[i - s] - x[i]
    return total


# The same loops on data for which the test before the loop fails: the checked copy raises
# IndexError where CPython does.


@cases.add("arr.index", _knap_args([-2, 3], [1, 2], 4), raises=IndexError)  # c - w past the end
def knapsack_down_past_end(weights, values, capacity):
    return knapsack_down(weights, values, capacity)


@cases.add("arr.index", (np.arange(10.0), 3, 9), (np.arange(10.0), 0, 12), (np.arange(6.0), 9, 5),
           raises=IndexError)
def shifted_up_past_end(x, s, n):
    return shifted_up(x, s, n)


@cases.add("arr.index", (np.arange(8.0), -3), raises=IndexError)
def shifted_down_past_end(x, s):
    return shifted_down(x, s)




def _deep_args(n, m, k):
    return lambda: (np.arange(n * m * 1.0).reshape(n, m), np.arange(k * 1.0), k)


def guarded_deep_nest(g, h, k):
    # Four loops deep, the outer ones holding a guarded index (g[e - w] under e - w >= 0, whose
    # test before the loop fails), the inner ones plain: the checked copies of outer loops keep
    # an unchecked copy of the innermost loop only, and every path gives CPython's sums.
    out = np.zeros(g.shape[0])
    for e in range(g.shape[0]):
        for w in range(g.shape[1]):
            if e - w >= 0:
                for i in range(k):
                    for j in range(h.shape[0]):
                        out[e] += g[e - w, w] * h[j] + g[e, i]
    return out


cases.add("arr.index", _deep_args(4, 5, 3), _deep_args(3, 3, 3), _deep_args(2, 6, 1))(guarded_deep_nest)
# k past the columns of g: g[e, i] raises IndexError in the middle of the nest, after the same
# stores to out as CPython's.
cases.add("arr.index", _deep_args(3, 2, 4), raises=IndexError)(guarded_deep_nest)


test_conformance = cases.test()
