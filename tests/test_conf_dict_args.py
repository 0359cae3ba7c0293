"""Conformance: dict and set arguments from Python (issue 14), compared with CPython.

A dict or set argument is converted at the call (its entries, in insertion order) and the
function's changes are written back into the caller's dict or set when it returns or raises
(sejit/lists.py), as lists are: the caller's object sees what CPython's would.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)

_WORDS = "the cat sat on the mat and the dog ate the cat food while a bird sang " * 20


@cases.add("py.dicts", ({"the": 5, "zebra": 1}, _WORDS), ({"a": 0}, "a a b"))
def counts_into_argument(counts, text):
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    if "a" in counts:
        del counts["a"]
    return len(counts)


@cases.add("py.dicts", ({1: 0.5, 2: 1.5, 3: 2.0},), ({-7: 1.0},))
def int_float_argument(d):
    d[100] = 2.5
    d.pop(-7, 0.0)
    total = 0.0
    for k, v in d.items():
        total += k * v
    return total, sorted(d)


@cases.add("py.dicts", ({np.int32(3): np.float32(1.5), np.int32(4): np.float32(2)}, 3))
def numpy_typed_argument(d, k):
    d[np.int32(k + 10)] = d[np.int32(k)] * np.float32(2)
    return d[np.int32(k + 10)]


@cases.add("py.dicts", ({"x": "1", "y": "22"}, _WORDS))
def str_values_argument(d, text):
    for w in text.split():
        if len(w) > 3:
            d[w[0]] = d.get(w[0], "") + w
    return len(d)


@cases.add("py.sets", ({1, 5, 9}, 12), ({0}, 0))
def set_argument(s, n):
    for i in range(n):
        if i % 3 == 0:
            s.add(i)
        else:
            s.discard(i)
    return len(s), 5 in s


@cases.add("py.sets", ({"cat", "fish"}, _WORDS))
def str_set_argument(seen, text):
    fresh = 0
    for w in text.split():
        if w not in seen:
            seen.add(w)
            fresh += 1
    return fresh


def _memo(n, memo):
    if n in memo:
        return memo[n]
    r = n if n < 2 else (_memo(n - 1, memo) + _memo(n - 2, memo)) % 1000003
    memo[n] = r
    return r


@cases.add("py.dicts", (80, {0: 0, 1: 1}), (5, {0: 0, 1: 1, 2: 1}))
def memo_argument(n, memo):
    return _memo(n, memo)


@cases.add("py.dicts", ({"a": 1, "b": 2}, "zz"), ({"a": 1}, "a"), raises=KeyError, match=True)
def argument_changed_then_raises(d, k):
    # The changes made before the raise are seen by the caller, as CPython's.
    d["new"] = 3
    del d["a"]
    return d[k]


# A compiled callee that changes a dict or set and raises: the caller's handler sees the
# changes, as CPython's does (and, through a function's own dict parameter, its caller).


def _store_then_raise(d, k):
    d[k] = -9
    d.pop(1, 0)
    if k > 2:
        raise ValueError("bad key")
    return len(d)


@cases.add("py.dicts", (5,), (2,))
def dict_callee_raises_caught(k):
    d = {1: 2, 2: 3}
    try:
        _store_then_raise(d, k)
    except ValueError as e:
        return f"{e}", sorted(d.items())
    return "", sorted(d.items())


def _relay_dict(d, k):
    d[100] = k
    return _store_then_raise(d, k)


@cases.add("py.dicts", (5,), (2,))
def dict_callee_raises_through_relay(k):
    d = {1: 2}
    try:
        _relay_dict(d, k)
    except ValueError:
        return len(d), sum(d.values())
    return -len(d), sum(d.values())


def _add_then_raise(s, k):
    s.add(k)
    s.discard(1)
    if k > 2:
        raise ValueError("bad")
    return 0


@cases.add("py.sets", (5,), (2,))
def set_callee_raises_finally(k):
    s = {1, 2}
    n = 0
    try:
        try:
            _add_then_raise(s, k)
        finally:
            n = len(s)
    except ValueError:
        return sorted(s), n
    return [0], n


@cases.add("py.dicts", lambda: ({1: 2}, 5), lambda: ({1: 2}, 2), raises=ValueError)
def dict_argument_relayed_then_raise(d, k):
    # The caller is Python: the dict it passed holds both functions' changes after the raise
    # (conftest.check_raises compares it).
    _relay_dict(d, k)
    if k > 0:
        raise ValueError("after")
    return len(d)


test_conformance = cases.test()
