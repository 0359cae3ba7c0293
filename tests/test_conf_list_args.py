"""Conformance: lists passed between compiled functions (issue 14), shared as in CPython by
reflection: what the callee does to a list parameter is seen in the caller's variable.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove. The refusals (what reflection cannot express) are plain tests at the end.
"""

import numpy as np
import pytest
from conformance import Cases

import sejit

cases = Cases(__name__)


def _fill(xs, n):
    for i in range(n):
        xs.append(i * i)
    xs[0] = -7


@cases.add("py.list-args", (4,), (0,))
def callee_appends(n):
    a = [1, 2]
    _fill(a, n)
    b = [5, 6, 7]
    _fill(b, 2)
    return a, b, len(a), sum(b)


def _pop_all(xs):
    s = 0
    while xs:
        s = s * 3 + xs.pop()
    return s


@cases.add("py.list-args", (6,), (1,))
def callee_empties(n):
    a = list(range(n))
    s = _pop_all(a)
    return s, a, len(a)


def _swap_ends(xs):
    xs[0], xs[-1] = xs[-1], xs[0]


@cases.add("py.list-args", lambda: ([3.0, 1.0, 2.0, 5.0],), lambda: ([4, 1],))
def entry_list_through_callee(xs):
    # The entry's own list argument passed on: reflected twice, to the entry
    # and then to Python.
    _swap_ends(xs)
    xs.sort()
    _swap_ends(xs)
    xs.append(xs[0])
    return xs[0], len(xs)


def _place(row, n, cols, diag):
    if row == n:
        return 1
    count = 0
    for c in range(n):
        if not cols[c] and not diag[row + c]:
            cols[c] = True
            diag[row + c] = True
            count += _place(row + 1, n, cols, diag)
            cols[c] = False
            diag[row + c] = False
    return count


@cases.add("py.list-args", (5,), (1,))
def recursion_shares_lists(n):
    cols = [False] * n
    diag = [False] * (2 * n)
    return _place(0, n, cols, diag), cols


def _qsort(xs):
    if len(xs) <= 1:
        return xs
    p = xs[len(xs) // 2]
    return _qsort([x for x in xs if x < p]) + [x for x in xs if x == p] + _qsort([x for x in xs if x > p])


@cases.add("py.list-args", lambda: ([5, 3, 9, 1, 3, 7, 0],), lambda: ([2.5],), lambda: ([1, 1],))
def new_lists_passed(xs):
    # Comprehensions passed directly, and a result that may be the argument
    # itself used in an expression (not bound to a name).
    out = _qsort(xs) + [xs[0]]
    return out, _qsort(xs.copy()).copy(), xs


def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@cases.add("py.list-args", lambda: (np.array([[0, 1], [2, 3], [1, 3], [4, 5], [5, 4]]), 7))
def path_halving(edges, n):
    parent = list(range(n))
    for k in range(edges.shape[0]):
        a = _find(parent, edges[k, 0])
        b = _find(parent, edges[k, 1])
        if a != b:
            parent[b] = a
    return [_find(parent, i) for i in range(n)], parent


def _grow_by_keyword(xs, by=2):
    for _ in range(by):
        xs.append(len(xs))


@cases.add("py.list-args", (3,))
def keyword_and_nested(n):
    a = [0]
    _grow_by_keyword(xs=a, by=n)

    def inner(ys):
        ys.insert(0, -1)
        ys.reverse()

    inner(a)
    return a


def _append_then_fail(xs, k):
    xs[0] = 99
    return 10 // k


@cases.add("py.list-args", (0,), raises=ZeroDivisionError)
def callee_raises(k):
    a = [1, 2, 3]
    return _append_then_fail(a, k), a


# A callee that changes a list and then raises: CPython's caller sees the changes, in its
# handler, its finally clause, or (through its own list parameter) its caller.


def _append_then_raise(xs, v):
    xs.append(v)
    if v < 0:
        raise ValueError("negative")
    return v


@cases.add("py.list-args", (-9,), (4,))
def callee_raises_caught(v):
    l = [1, 2]
    try:
        _append_then_raise(l, v)
    except ValueError:
        return sum(l), len(l)
    return -sum(l), len(l)


@cases.add("py.list-args", (-9,), (4,))
def callee_raises_finally(v):
    l = [15]
    total = 0
    try:
        try:
            _append_then_raise(l, v)
        finally:
            total = sum(l)
    except ValueError as e:
        return f"{e}", total, l
    return "", total, l


def _sort_then_divide(xs, k):
    xs.sort()
    xs.pop()
    return 10 // k


@cases.add("py.list-args", (0,), (2,))
def callee_raises_in_loop(k):
    l = [5, 3, 8, 1]
    caught = 0
    for i in range(3):
        try:
            _sort_then_divide(l, k - i)
        except ZeroDivisionError:
            caught += 1
            l.append(10 * i)
    return l, caught


def _relay(xs, v):
    # Not inside a try: the raise passes through, and the list change made below reaches
    # this function's caller, which passed the list.
    xs.insert(0, v)
    return _append_then_raise(xs, v)


@cases.add("py.list-args", (-9,), (4,))
def callee_raises_through_relay(v):
    l = [7]
    try:
        _relay(l, v)
    except ValueError:
        return l
    return [0] + l


@cases.add("py.list-args", lambda: ([1, 2], -9), lambda: ([1, 2], 4), raises=ValueError)
def entry_list_callee_raises(l, v):
    # The caller is Python: the list it passed holds the callee's append after the raise
    # (conftest.check_raises compares it).
    _append_then_raise(l, v)
    if v > 0:
        raise ValueError("positive")
    return len(l)


@cases.add("py.list-args", (5,), (1,))
def callee_index_error_by_keyword(k):
    vals = [0.5, 1.5]

    def push(xs, k):
        xs.extend([2.5, 3.5])
        xs.reverse()
        return xs[k]

    try:
        push(k=k, xs=vals)
    except IndexError as e:
        return f"{e}", vals
    return "", vals


@cases.add("py.list-args", (-9,), (3,))
def callee_raises_list_of_lists(v):
    rows = [[1], [2, 3]]
    try:
        _append_then_raise(rows[1], v)
    except ValueError:
        rows[0].append(0)
    return rows


@cases.add("py.list-slices", lambda: ([4, 8, 15, 16, 23, 42], 2), lambda: ([1.5], -1), lambda: ([7, 8], 5))
def list_slices(xs, k):
    head = xs[:k]
    head.append(xs[0])
    return (head, xs[k:], xs[-k:], xs[::2], xs[::-1], xs[k:-1:2], xs[-1:k:-2], xs[10:], xs[:-10],
            xs[:], xs)


def _merge(left, right):
    out = []
    i = 0
    j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


def _msort(xs):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    return _merge(_msort(xs[:mid]), _msort(xs[mid:]))


@cases.add("py.list-slices", lambda: ([5, 2, 9, 2, 0, -3, 7],), lambda: ([1.0],), lambda: ([3.0, 1.0],))
def merge_sort_slices(xs):
    return _msort(xs) + xs[:0], xs


@cases.add("py.list-slices", lambda: ([1, 2, 3], 0), raises=ValueError)
def list_slice_zero_step(xs, s):
    return xs[::s]


@cases.add("py.list-slices", lambda: ([0, 1, 2, 3, 4, 5, 6], 2, 5), lambda: ([1.5, 2.5], 0, 1),
           lambda: ([3, 4], -1, 10), lambda: ([9], 0, 0))
def list_slice_assign(xs, a, b):
    ys = list(range(10))
    ys[a:b] = [7, 7, 7]            # grows or shrinks
    zs = ys.copy()
    zs[b:] = []
    zs[:a] = zs[a:a + 2]
    ws = list(range(8))
    ws[::2] = [-1, -2, -3, -4]     # extended slice, same size
    ws[5:1:-2] = [90, 91]
    xs[a:b] = xs[b - 1::-1]        # fannkuch's prefix flip, the list read from itself
    xs[len(xs):] = [xs[0]] if xs else []
    return ys, zs, ws, xs


def _flip(perm, k):
    perm[:k + 1] = perm[k::-1]


@cases.add("py.list-slices", lambda: ([3, 1, 4, 1, 5, 9, 2, 6], 3))
def list_slice_assign_step(xs, s):
    a = list(range(9))
    a[::s] = [0] * len(a[::s])
    b = list(range(5))
    b[1:3:1] = [8, 8, 8, 8]        # a step of 1 is a plain slice: the length may change
    _flip(xs, 4)
    return a, b, xs


@cases.add("py.list-slices", lambda: ([1, 2, 3, 4], 2), lambda: ([1, 2, 3, 4], 3), raises=ValueError)
def list_slice_assign_wrong_size(xs, s):
    xs[::s] = [0]
    return xs


test_conformance = cases.test()


# ---------------------------------------------------------------------------------- refusals


def _ident(xs):
    return xs


def _twice(xs, ys):
    xs.append(len(ys))


def _widen(xs):
    xs.append(2.5)


def _default(x, acc=[]):  # noqa: B006 -- the CPython behaviour sejit refuses
    acc.append(x)
    return len(acc)


def bind_result():
    a = [1.0, 2.0]
    b = _ident(a)
    b.append(3.0)
    return a


def pass_twice():
    a = [1]
    _twice(a, a)
    return a


def widen_param():
    a = [1, 2]
    _widen(a)
    return a


def default_list():
    return _default(1) + _default(2)


def _append_one(xs):
    xs.append(0)


def grow_while_iterating():
    a = [1, 2]
    for x in a:
        if x < 5:
            _append_one(a)
    return a


def slice_store_while_iterating():
    a = [1, 2, 3]
    for x in reversed(a):
        a[1:] = [x]
    return a


@pytest.mark.parametrize("fn, message", [
    (bind_result, r"_ident\(\) may return one of its list arguments"),
    (pass_twice, "passing the list 'a' twice"),
    (widen_param, "the list argument 'xs' holds ints"),
    (default_list, "parameter 'acc' of _default.. is a list"),
    (grow_while_iterating, "passing the list 'a' to a function while a for loop iterates over it"),
    (slice_store_while_iterating, "assigning to a slice of the list 'a' while a for loop iterates"),
])
def test_refused(fn, message):
    with pytest.raises((sejit.UnsupportedError, sejit.TypingError), match=message) as info:
        sejit.jit(fn)()
    assert "test_conf_list_args.py:" in str(info.value)
