"""Conformance: an empty list made in one compiled function and filled by the compiled functions
it is passed to (issue 14): `order = []` typed by what the helpers append, insert, extend or store,
recursion and several levels of helpers included, joined as the list's own appends are.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove. The refusals (a list no helper fills, items of two kinds) are plain tests at the end.
"""

import numpy as np
import pytest
from conformance import Cases
from conftest import assert_positioned

import sejit

cases = Cases(__name__)


def _visit(adj, u, seen, order):
    seen[u] = True
    for v in adj[u]:
        if not seen[v]:
            _visit(adj, v, seen, order)
    order.append(u)


@cases.add("py.list-filled", lambda: ([[1, 2], [3], [3], [], [0]], 5), lambda: ([[1], [2], [0], [2, 4], []], 5),
           lambda: ([[], [0], [1]], 3))
def dfs_order(adj, n):
    # The adjacency list comes from Python (a list of lists); order is typed by _visit.
    seen = np.zeros(n, dtype=np.bool_)
    order = []
    for u in range(n):
        if not seen[u]:
            _visit(adj, u, seen, order)
    return order


def _subset_sums(xs, i, total, out):
    if i == len(xs):
        out.append(total)
        return
    _subset_sums(xs, i + 1, total, out)
    _subset_sums(xs, i + 1, total + xs[i], out)


@cases.add("py.list-filled", lambda: (np.array([1.5, 2.0, -4.0]),), lambda: (np.array([3, 5, 7, 11]),))
def recursive_collect(xs):
    out = list()
    _subset_sums(xs, 0, xs[0] * 0, out)
    return out, len(out), max(out)


def _odd_squares(out, k):
    out.extend([x * x for x in range(k) if x % 2])


@cases.add("py.list-filled", (7,), (0,))
def extend_by_comprehension(k):
    out = []
    _odd_squares(out, k)
    _odd_squares(out, k // 2)
    return out


def _leaf(out, x):
    out.insert(0, x)


def _middle(out, n):
    for i in range(n):
        _leaf(out, i * 0.5)


@cases.add("py.list-filled", (4,), (1,))
def several_levels(n):
    acc = []
    _middle(acc, n)
    _middle(acc, 2)
    acc.sort()
    return acc, sum(acc)


def _add_weak(out, k):
    for i in range(k):
        out.append(i / 4)


def _add_float64(out, x):
    out.append(np.float64(x) * 3)


@cases.add("py.list-filled", (3,), (0,))
def two_helpers_float_join(k):
    # A Python float and a NumPy float64: one kind, joined as flat lists' appends are.
    out = []
    _add_weak(out, k)
    _add_float64(out, 0.25)
    _add_weak(out, 1)
    return out


def _edges(out, i, j):
    out.append([i, j])


@cases.add("py.list-filled", (4,), (1,))
def list_of_lists_filled(n):
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            _edges(pairs, i, j)
    return pairs, len(pairs)


def _check_append(acc, x):
    if x < 0:
        raise ValueError("negative")
    acc.append(2 * x)


@cases.add("py.list-filled", lambda: (np.array([1, 2, 3]), [9]))
@cases.add("py.list-filled", lambda: (np.array([1, 2, -3, 4]), [9]), raises=ValueError)
def callee_raises(xs, out):
    # The helper raises before it appends: the caller's own appends to the argument out, made
    # before the raise, are written back into the Python list.
    acc = []
    for x in xs:
        _check_append(acc, x)
        out.append(acc[-1] + 1)
    return acc


def _store_first(out, x):
    out.append(0)
    out[0] = x


@cases.add("py.list-filled", (5,))
def store_after_append(n):
    firsts = []
    for i in range(n):
        _store_first(firsts, i * i)
    return firsts


def _post_order(adj, u, seen, out):
    seen[u] = True
    for v in adj[u]:
        if not seen[v]:
            _post_order(adj, v, seen, out)
    out.append(u)


@cases.add("py.list-filled", lambda: (np.array([[0, 1], [1, 2], [2, 0], [2, 3], [3, 4]]), 5))
def adjacency_built_here(edges, n):
    # The adjacency list is built here, from rows filled by append.
    adj = [[0] * 0 for _ in range(n)]
    for k in range(edges.shape[0]):
        adj[edges[k, 0]].append(edges[k, 1])
    seen = [False] * n
    order = []
    for u in range(n):
        if not seen[u]:
            _post_order(adj, u, seen, order)
    order.reverse()
    return order, seen


class _Doubler:
    def __init__(self, k):
        self.k = k

    def add(self, xs, v):
        xs.append(v * self.k)


@cases.add("py.list-filled", lambda: (_Doubler(2),), lambda: (_Doubler(-1),))
def method_and_keyword(d):
    # A method's list parameter follows self; the list is passed by keyword the second time.
    xs = []
    d.add(xs, 3)
    d.add(xs=xs, v=4)
    return xs


def _count_down(xs, n):
    if n > 0:
        _count_down(xs, n - 1)
        xs.append(n)


@cases.add("py.list-filled", (5,), (0,))
def recursion_only(n):
    # Only the recursive helper appends; with n == 0 it appends nothing, but the type is known.
    xs = []
    _count_down(xs, n)
    _count_down(xs, 2)
    return xs


def _append_then_raise(acc, x):
    acc.append(x)
    if x < 0:
        raise ValueError("negative")


# A callee that appends and then raises: the handler sees the appended item, as in CPython.
@cases.add("py.list-filled", lambda: (3,), lambda: (0,))
def caught_after_append(n):
    acc = []
    for i in range(n):
        _append_then_raise(acc, i)
    try:
        _append_then_raise(acc, -1)
    except ValueError:
        return len(acc) * 100 + sum(acc)
    return -1


test_conformance = cases.test()


def _reads_only(xs):
    return len(xs)


def never_filled():
    order = []
    return _reads_only(order)


def _append_int(xs):
    xs.append(1)


def _append_float(xs):
    xs.append(2.5)


def int_then_float():
    xs = []
    _append_int(xs)
    _append_float(xs)
    return xs


def _fill(xs, ys):
    xs.append(1)
    ys.append(2)


def passed_twice():
    a = []
    _fill(a, a)
    return a


def _append_str(xs):
    xs.append("a")


def strings_filled():
    xs = []
    _append_str(xs)
    return xs


def _append_pair(xs, i):
    xs.append((i, 2.5))


def tuples_filled():
    xs = []
    _append_pair(xs, 1)
    return xs


@pytest.mark.parametrize("fn, where, line, text", [
    # Lists of strings and of tuples are not passed to compiled functions, empty or not.
    (strings_filled, strings_filled, "_append_str(xs)", "cannot pass a list(str) to a function"),
    (tuples_filled, tuples_filled, "_append_pair(xs, 1)", "cannot pass a list(tuple(int, float)) to a function"),
    (never_filled, never_filled, "order = []", "cannot infer the element type of the empty list 'order'"),
    # ints from one helper, a float from the other: refused at the append that mixes kinds, as
    # in a flat list (CPython's list would keep an int and a float).
    (int_then_float, _append_float, "xs.append(2.5)", "but the list argument 'xs' holds ints"),
    # The refused call never types the list, so the first error is the empty list's.
    (passed_twice, passed_twice, "a = []", "cannot infer the element type of the empty list 'a'"),
])
def test_refused(fn, where, line, text):
    with pytest.raises((sejit.UnsupportedError, sejit.TypingError)) as info:
        sejit.jit(fn)()
    assert_positioned(str(info.value), where, line, text)
