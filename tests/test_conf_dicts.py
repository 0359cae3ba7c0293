"""Conformance: dicts and sets (issue 14), homogeneous, with bool, integer or float keys.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)


def _labels(n, k, seed):
    return lambda: (np.random.default_rng(seed).integers(0, k, size=n), k)


@cases.add("py.dicts", _labels(200, 7, 1), _labels(1000, 50, 2), (np.array([], dtype=np.int64), 3))
def count_labels(labels, nclasses):
    counts = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1
    freq = np.zeros(nclasses)
    for k in range(nclasses):
        freq[k] = counts.get(k, 0)
    return freq


@cases.add("py.dicts", (13,), (40,), (1,))
def insertion_order(n):
    # Deletes and re-inserts: a re-inserted key goes to the end.
    d = {}
    for i in range(n):
        d[(i * 7) % n] = i
    for i in range(0, n, 3):
        del d[(i * 7) % n]
    for i in range(0, n, 6):
        d[(i * 7) % n] = -i
    keys = [k for k in d]
    vals = [v for v in d.values()]
    items = [k * 1000 + v for k, v in d.items()]
    return keys, vals, items, len(d)


@cases.add("py.dicts", (5000,), (100000,))
def growth(n):
    # Many keys: the table grows and rebuilds; negative and large keys too.
    d = {}
    for i in range(n):
        d[i * 1000003 - n * 500] = i * 2
    s = 0
    for i in range(n):
        s += d[i * 1000003 - n * 500]
    for i in range(0, n, 2):
        del d[i * 1000003 - n * 500]
    first = -1
    for k in d:
        first = k
        break
    return s, len(d), first, (3 * 1000003 - n * 500) in d


@cases.add("py.dicts", (5,), (-4,), raises=KeyError, match=True)
def key_error(k):
    d = {1: 2.5, 3: 4.5, True: 1.0}
    return d[k]


@cases.add("py.dicts", (np.int64(7),), raises=KeyError, match=True)
def key_error_numpy(k):
    d = {}
    d[k - 1] = 1
    return d[k]


@cases.add("py.dicts", (2,), (9,), raises=KeyError, match=True)
def del_missing(k):
    d = {2: 1, 5: 2}
    del d[k]
    del d[k]
    return len(d)


@cases.add("py.dicts", (4,), (6,))
def methods(k):
    d = {1: 10, 2: 20, 3: 30}
    a = d.pop(2)
    b = d.pop(k, -1)
    c = d.setdefault(k, 7)
    e = d.setdefault(1, 99)
    d[1] += 5
    g = d.get(2, 0.5)
    keys = [x for x in d.keys()]
    return a, b, c, e, g, keys, len(d), 2 in d, 2 not in d


@cases.add("py.dicts", (8,), raises=KeyError, match=True)
def pop_missing(k):
    d = {1: 1.5}
    return d.pop(k)


@cases.add("py.dicts", (5,))
def truth_and_copy(n):
    d = {}
    empty = not d
    for i in range(n):
        d[i] = i * i
    c = d.copy()
    c[100] = 1
    d.clear()
    out = 0
    while c:
        out += c.pop(len(c) - 1 if len(c) - 1 in c else 100)
    return empty, len(d), not d, out


@cases.add("py.dicts", (6,))
def bool_keys(n):
    d = {True: 1, False: 0}
    for i in range(n):
        d[i % 2 == 0] += i
    return d[True], d[1], d[0], [k for k in d]


@cases.add("py.sets", (10,), (0,))
def set_ops(n):
    a = set()
    for i in range(n):
        a.add(i * 3 % 7)
    b = {1, 2, 3, 100}
    b.discard(2)
    b.discard(42)
    u = a | b
    both = a & b
    d = a - b
    return len(a), len(b), len(u), len(both), len(d), 100 in u, 3 in both, 1 in d, 5 in d


@cases.add("py.sets", (5,), (-4,), raises=KeyError, match=True)
def set_remove(k):
    s = {1, 2, 3}
    s.remove(k)
    return len(s)


@cases.add("py.dicts", (1.5, 1.5), (1.5, 2.0), (-0.0, 0.0), (0.5, 1))
def float_keys(x, y):
    # 0.0 and -0.0 are one key (the first one inserted stays); an int finds an equal float.
    d = {}
    d[x] = 1
    d[0.0] = 2
    d[-0.0] = 3
    d[1.0] = 4
    keys = [k for k in d]
    return d.get(y, -1), len(d), keys, 1 in d, 2 in d, 0 in d, d[1]


@cases.add("py.dicts", (1.0,), (1.5,), (float(2**62),), (float(2**63),), (float("nan"),), (float("-inf"),))
def float_lookup_int_keys(x):
    d = {1: 1, 2: 2, 2**62: 3}
    return d.get(x, -1), x in d


@cases.add("py.dicts", (3.25,), (-0.0,), (0.0,), (float("inf"),), (float("nan"),), (1e300,), (5e-324,), (7,),
           (np.float32(0.1),), (np.float64(0.1),), raises=KeyError, match=True)
def float_key_error(x):
    d = {1.5: 1, 2.5: 2}
    return d[x]


@cases.add("py.dicts", (20000,))
def float_growth(n):
    d = {}
    for i in range(n):
        d[i * 0.5 - 100.0] = i
    s = 0.0
    for k, v in d.items():
        s += k * v
    return s, len(d), d[-100.0], d[9899.5]


@cases.add("py.sets", (50,))
def float_set(n):
    s = set()
    for i in range(n):
        s.add(i * 0.1)
    s.discard(0.0)
    return len(s), 0.30000000000000004 in s, 0.3 in s, 3 in s, -0.0 in s


@cases.add("py.dicts", (20,), (0,))
def dict_comprehension(n):
    d = {i % 7: i * 2 for i in range(n) if i != 3}
    d[100] = 1
    e = {k * 10 + j: k * j for k in range(n // 4) for j in range(k)}
    return [k * 1000 + v for k, v in d.items()], len(d), [k for k in e], [v for v in e.values()]


@cases.add("py.dicts", (np.array([3.0, 1.0, 3.0, 2.0]),))
def comprehension_from_array(x):
    d = {int(v): k for k, v in enumerate(x)}
    return [k for k in d], [v for v in d.values()], sum(v for v in d.values())


@cases.add("py.sets", (30,), (5000,))
def set_comprehension(n):
    s = {i * i % 11 for i in range(n)}
    a = {i for i in range(n)}
    b = {i * 2 for i in range(n)}
    u = a | b
    both = a & b
    only = a - b
    return len(s), 4 in s, len(u), len(both), len(only), (2 * n - 2) in u, (n + 1) in only


@cases.add("py.dicts", (10,), (1,))
def reductions(n):
    d = {(i * 7) % 11: i * 0.1 for i in range(n)}
    if 10 in d:
        del d[10]
    return list(d), sorted(d), sum(d.values()), min(d.values()), max(d), list(d.keys()), sorted(d.values())


@cases.add("py.sets", (10,), (100,))
def set_reductions(n):
    s = {i * i % 13 for i in range(n)}
    s.discard(4)
    return sorted(s), min(s), max(s), sum(s), len(s)


@cases.add("py.dicts", (1,), raises=ValueError, match=True)
def max_of_empty(n):
    d = {1: 2}
    del d[n]
    return max(d.values())


@cases.add("py.dicts", (40,), (0,))
def augmented_store_after_change(n):
    # The right side removes the key, or grows and rebuilds the dict, before the store.
    d = {1: 10, 2: 20, 3: 30}
    d[1] += d.pop(1)
    for i in range(n):
        d[2] += d.setdefault(100 + i, i)
    return [k for k in d], [v for v in d.values()]


@cases.add("py.dicts", (np.bool_(False),), (np.uint8(7),), raises=KeyError, match=True)
def numpy_key_error(x):
    d = {1: 2}
    return d[x]


@cases.add("py.dicts", (np.int8(5),), (np.uint8(200),), value_typed=True)
def narrow_then_wide_keys(x):
    # Keys and values keep every value stored: an np.int8 key then 300 make int64 keys (the
    # items' types differ from CPython's, np.int8 there, so only values are compared).
    d = {}
    d[x] = x
    d[300] = 70000
    return d[300], 44 in d, len(d), x in d, 300 in d



# Dicts and sets passed between compiled functions: shared as CPython shares them, so what
# a helper stores is seen by its caller, recursion included.


def _memo_ways(n, memo):
    if n < 0:
        return 0
    if n == 0:
        return 1
    if n in memo:
        return memo[n]
    r = (_memo_ways(n - 1, memo) + _memo_ways(n - 2, memo) + _memo_ways(n - 3, memo)) % 1000003
    memo[n] = r
    return r


@cases.add("py.dicts", (30,), (400,), (0,))
def memo_filled_by_recursion(n):
    memo = {}
    first = _memo_ways(n, memo)
    return first, len(memo), sorted(memo.values()), _memo_ways(n // 2, memo), len(memo)


def _fill_squares(d, n):
    for i in range(n):
        d[i] = i * i * 0.5


def _drop_odd(d):
    for k in list(d):
        if k % 2 == 1:
            del d[k]


@cases.add("py.dicts", (9,), (0,), (100,))
def helper_fills_and_deletes(n):
    d = {}
    _fill_squares(d, n)
    before = len(d)
    _drop_odd(d)
    d[-1] = 2.5
    return before, list(d.items()), len(d)


def _count_into(d, xs):
    for x in xs:
        d[x] = d.get(x, 0) + 1
    return len(d)


@cases.add("py.dicts", ([i % 7 for i in range(20)],), ([4],))
def helper_counts_known_dict(xs):
    d = {100: 5}
    k = _count_into(d, xs)
    k2 = _count_into(d, xs[::2])
    return k, k2, [(a, b) for a, b in d.items()]


def _mark(seen, x):
    if x in seen:
        return False
    seen.add(x)
    return True


@cases.add("py.sets", (np.array([3, 1, 3, 2, 1, 5]),), (np.arange(0),))
def set_filled_by_helper(xs):
    seen = set()
    firsts = []
    for x in xs:
        if _mark(seen, x):
            firsts.append(x)
    return firsts, sorted(seen), len(seen)


def _grow_then_raise(d, n):
    for i in range(n):
        d[i] = i
    if n > 3:
        raise ValueError("too many")
    return n


@cases.add("py.dicts", (5,), raises=ValueError, match=True)
def helper_raises_after_changes(n):
    # The exception is not caught in compiled code: the changes are not observed.
    d = {-1: -1}
    _grow_then_raise(d, n)
    return len(d)



@cases.add("py.dicts", (7,), (30,), (0,))
def items_listed_and_sorted(n):
    d = {}
    for i in range(n):
        d[(i * 5) % 11 - 4.5] = (i * 3) % 4
    if n > 2:
        del d[(2 * 5) % 11 - 4.5]
    return list(d.items()), sorted(d.items()), sorted({k % 3: k for k in range(n)}.items())



@cases.add("py.dicts", (10,), (0,), (300,))
def returns_int_dict(n):
    d = {}
    for i in range(n):
        d[(i * 37) % 101] = i * 0.25
    for i in range(0, n, 4):
        d.pop((i * 37) % 101)
    return d


@cases.add("py.dicts", (np.arange(12, dtype=np.int32) % 5,), (np.zeros(0, dtype=np.int32),))
def returns_numpy_keys_and_values(xs):
    d = {}
    for x in xs:
        d[x] = d.get(x, np.int32(0)) + np.int32(1)
    return d


@cases.add("py.sets", (20,), (0,))
def returns_int_set(n):
    s = {i * i % 17 for i in range(n)}
    s.discard(4)
    return s | {100, -1}


@cases.add("py.dicts", (6,), (1,))
def returns_float_key_dict(n):
    return {i * 0.5: i % 2 == 0 for i in range(n)}


test_conformance = cases.test()
