"""Conformance: lists of tuples and lists of arrays (issue 14).

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove. Lists of numbers are in test_conf_lists.py.
"""

import itertools

import numpy as np
from conformance import Cases

cases = Cases(__name__)


def _vec(n, seed=0):
    return lambda: (np.random.default_rng(seed).standard_normal(n),)


# --------------------------------------------------------------------------- lists of tuples


@cases.add("py.list-tuples", _vec(6), _vec(1))
def append_pairs(a):
    pts = []
    for i in range(len(a)):
        pts.append((i, a[i]))
    t = 0.0
    for i, x in pts:
        t += i * x
    return pts, t, len(pts)


@cases.add("py.list-tuples", (5,), (0,), (1,))
def comprehension_pairs(n):
    pairs = [(i, j) for i in range(n) for j in range(i)]
    return pairs, len(pairs)


@cases.add("py.list-tuples", (6,), (3,))
def comprehension_filtered(n):
    return [(i, i * 0.5, i % 2 == 0) for i in range(n) if i != 2]


@cases.add("py.list-tuples", (np.arange(3), np.arange(2.0)), (np.arange(0), np.arange(2.0)))
def product_list(a, b):
    return list(itertools.product(a, b))


@cases.add("py.list-tuples", (np.arange(4), np.arange(3.0) * 1.5), (np.arange(2), np.arange(5.0)))
def zip_list(a, b):
    return list(zip(a, b))


@cases.add("py.list-tuples", (np.arange(4.0) + 0.5,), (np.zeros(0),))
def enumerate_list(a):
    return list(enumerate(a))


@cases.add("py.list-tuples", (np.array([3, 1, 2]),))
def combinations_list(a):
    return list(itertools.combinations(a, 2)), list(itertools.permutations(a, 2))


@cases.add("py.list-tuples", (9,), (1,), (0,))
def sort_lexicographic(n):
    l = [(i % 3, (7 * i) % 5, -i) for i in range(n)]
    l.sort()
    return l


@cases.add("py.list-tuples", (np.array([2.0, 1.0, 2.0, -1.0, 1.0]), np.array([5, 4, 3, 2, 1])))
def sorted_zip(a, b):
    return sorted(zip(a, b)), sorted([(x, y) for x, y in zip(b, a)])


@cases.add("py.list-tuples", (4,))
def index_and_unpack(n):
    l = [(i, i * i) for i in range(n)]
    a, b = l[-1]
    c = l[1][1]
    l[0] = (10, 100)
    l[-1] = (b, a)
    return l, a, b, c


@cases.add("py.list-tuples", (10,), raises=IndexError, match=True)
def index_out_of_range(i):
    l = [(1, 2.0), (3, 4.0)]
    return l[i]


@cases.add("py.list-tuples", (3,))
def methods(x):
    l = [(1, 2.0), (3, 4.0)]
    l.append((x, x * 2.0))
    l.insert(0, (7, 1.0))
    y = l.pop(1)
    z = l.pop()
    l.extend([(5, 5.5), (7, 1.0)])
    l.reverse()
    c = l.copy()
    c.clear()
    return l, y, z, l.index((5, 5.5)), l.count((7, 1.0)), (7, 1.0) in l, (9, 9.0) not in l, c


@cases.add("py.list-tuples", (2,), (4,), match=True)
def remove_first(x):
    l = [(1, 1), (x, 0), (2, 2), (x, 0)]
    l.remove((x, 0))
    return l


@cases.add("py.list-tuples", (5,), raises=ValueError)
def remove_missing(x):
    l = [(1, 1), (2, 2)]
    l.remove((x, x))
    return l


@cases.add("py.list-tuples", (3,), (1,))
def operators(n):
    a = [(1, 0.5)] * n
    b = a + [(2, -0.5)]
    return b, len(b), min(b), max(b), sorted(b)


@cases.add("py.list-tuples", (np.array([0.3, 0.1, 0.2, 0.1]),))
def min_max_first(a):
    # min and max keep the first of equal items, as CPython does
    l = [(a[i], i % 2) for i in range(len(a))]
    return min(l), max(l)


@cases.add("py.list-tuples", (0,), raises=ValueError, match=True)
def min_empty(n):
    l = [(i, i) for i in range(n)]
    return min(l)


@cases.add("py.list-tuples", (5,), (1,))
def to_array(n):
    l = [(i, i * 0.5) for i in range(n)]
    m = [(i, 2 * i) for i in range(n)]
    return np.array(l), np.asarray(m), np.array(l, dtype=np.float32)


@cases.add("py.list-tuples", ([(1, 2.0), (3, 4.0)], 5), ([(0, 0.5)], -1))
def argument_pairs(l, x):
    l.append((x, x * 2.0))
    t = 0.0
    for i, v in l:
        t += i * v
    return t, len(l), l[0]


@cases.add("py.list-tuples", ([(3, 1), (1, 2), (3, 0)],))
def argument_sorted(l):
    l.sort()
    return l[0], sorted(l)


@cases.add("py.list-tuples", (np.array([[0, 1], [1, 2], [2, 0], [2, 3]]), 4))
def edge_list(edges, n):
    # a graph as a list of (u, v) edges: degree count and an adjacency matrix
    es = [(edges[k, 0], edges[k, 1]) for k in range(edges.shape[0])]
    deg = np.zeros(n, dtype=np.int64)
    adj = np.zeros((n, n))
    for u, v in es:
        deg[u] += 1
        deg[v] += 1
        adj[u, v] = adj[v, u] = 1.0
    return deg, adj, es


@cases.add("py.list-tuples", (np.array([1.0, 3.0, 2.0, 5.0, 4.0]),))
def while_queue(a):
    # a work list of (index, value) items consumed from the front
    todo = [(0, a[0])]
    seen = []
    while todo:
        i, v = todo.pop(0)
        seen.append((i, v))
        if i + 1 < len(a):
            todo.append((i + 1, a[i + 1] + v))
    return seen


@cases.add("py.list-tuples", (6,))
def comprehension_over_tuples(n):
    l = [(i, 2 * i) for i in range(n)]
    return [a + b for a, b in l if a % 2 == 0], sum(b for _, b in l), [(b, a) for a, b in l]


# --------------------------------------------------------------------------- lists of arrays


@cases.add("py.list-tuples", (np.array([0.5, -1.0, 2.0, 0.0, 3.5]), 2), (np.array([1.0]), -3), (np.zeros(0), 0))
def tuple_list_slices(xs, k):
    pts = sorted([(xs[i], i) for i in range(len(xs))])
    head = pts[:-1] + pts[k:]
    return pts[::-1], pts[k:-1:2], head, pts[10:], np.array(head) if len(head) > 0 else np.zeros((0, 2))


def _arr(*shape, seed=1, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@cases.add("py.list-arrays", (np.arange(10.0), 3), (np.arange(7.0), 4))
def array_list_slices(a, k):
    parts = np.array_split(a, k)
    tail = parts[1:]
    tail[0][:] = -1.0                  # a view in a sliced list still writes a
    back = parts[::-1]
    return a, [p.sum() for p in back], len(parts[:-1] + tail), parts[5:]


@cases.add("py.list-arrays", (np.arange(10.0), 3), (np.arange(7.0), 7), (np.arange(5.0), 9))
def array_split_sections(a, k):
    parts = np.array_split(a, k)
    return parts, len(parts), [p.sum() for p in parts]


@cases.add("py.list-arrays", lambda: (_arr(7, 3), 3), lambda: (_arr(4, 5), 2))
def array_split_rows(a, k):
    parts = np.array_split(a, k)
    t = 0.0
    for p in parts:
        t += p[0, 0] * p.shape[0]
    return parts, t


@cases.add("py.list-arrays", lambda: (_arr(4, 7), 3), lambda: (_arr(2, 6), 4))
def array_split_axis1(a, k):
    return np.array_split(a, k, axis=1), np.array_split(a, k, 1)[0]


@cases.add("py.list-arrays", (np.arange(12.0), [3, 5, 9]), (np.arange(6.0), [-2, 10]), (np.arange(8.0), [5, 2]))
def array_split_indices(a, idx):
    return np.array_split(a, idx), np.split(a, idx)


@cases.add("py.list-arrays", (np.arange(12.0), np.array([2, 7])), (np.arange(4.0), np.array([], dtype=np.int64)))
def split_index_array(a, idx):
    return np.split(a, idx), np.array_split(a, (1, 3))


@cases.add("py.list-arrays", (np.arange(12.0), 4), (np.arange(6.0).reshape(3, 2), 3))
def split_equal(a, k):
    return np.split(a, k)


@cases.add("py.list-arrays", (np.arange(10.0), 3), raises=ValueError, match=True)
def split_unequal(a, k):
    return np.split(a, k)


@cases.add("py.list-arrays", (np.arange(10.0), 0), raises=ValueError, match=True)
def array_split_zero(a, k):
    return np.array_split(a, k)


@cases.add("py.list-arrays", (np.arange(10.0), 3), (np.arange(10.0), 4), (np.arange(3.0), 5))
def chunks_comprehension(a, k):
    chunks = [a[i:i + k] for i in range(0, len(a), k)]
    return chunks, [c.mean() for c in chunks], len(chunks)


@cases.add("py.list-arrays", (4,), (0,))
def append_new_arrays(n):
    out = []
    for i in range(n):
        out.append(np.zeros(3) + i)
    return out, len(out)


@cases.add("py.list-arrays", lambda: (_arr(6),))
def views_write_through(a):
    # the items are views: writing through them changes a, as in NumPy
    parts = np.array_split(a, 3)
    for p in parts:
        p[0] = -1.0
    parts[1][1:] *= 2.0
    return a, parts


@cases.add("py.list-arrays", lambda: (_arr(8),))
def item_aliases_original(a):
    x = np.ones(2)
    l = [x, a[:2]]
    x[0] = 5.0  # the list holds x itself, not a copy
    l[1][1] = 7.0
    return l, a, x


@cases.add("py.list-arrays", lambda: (_arr(5, 2),))
def rows_list(a):
    rows = list(a)
    rows.reverse()
    first = rows.pop()
    rows.insert(0, first * 10.0)
    return rows, first


@cases.add("py.list-arrays", lambda: (_arr(3), _arr(3, seed=2), _arr(3, seed=3)))
def display_and_methods(a, b, c):
    l = [a, b]
    l.append(c)
    l.extend([a + b])
    m = l + [c * 2.0]
    z = l * 2
    y = l.pop(0)
    k = l.copy()
    k.clear()
    return l, m, len(z), y, k, l[-1]


@cases.add("py.list-arrays", lambda: (_arr(3), _arr(3, seed=2)))
def store_item(a, b):
    l = [a, b, a]
    l[1] = a * 3.0
    l[-1] = b
    return l


@cases.add("py.list-arrays", lambda: ([_arr(3), _arr(3, seed=2)],), lambda: ([_arr(2, 2)],))
def argument_sum(l):
    t = 0.0
    for x in l:
        t += x.sum()
    return t, len(l), l[0]


@cases.add("py.list-arrays", lambda: ([_arr(3), _arr(3, seed=2)],))
def argument_changed(l):
    # appends, pops and writes through items reach the caller's list and arrays
    l.append(l[0] * 2.0)
    l[0][0] = 99.0
    l.pop(1)
    return len(l)


@cases.add("py.list-arrays", lambda: ([(1, 0.5)], [_arr(2)], 5), raises=IndexError, match=True)
def arguments_changed_then_raise(pts, parts, i):
    # CPython's lists keep the items appended before the raise; so do the caller's lists here
    pts.append((7, 2.5))
    parts.append(parts[0] * 2.0)
    return pts[i][0]


@cases.add("py.list-arrays", lambda: ([_arr(4), _arr(2, seed=2)],))
def argument_returned(l):
    # returning the list's own arrays returns the caller's arrays
    return l[0], l, l[1][::-1]


@cases.add("py.list-arrays", lambda: ([_arr(3, 2), _arr(3, 2, seed=2), _arr(3, 2, seed=3)],))
def stack_family(l):
    return np.array(l), np.stack(l), np.stack(l, axis=1), np.stack(l, -1), np.vstack(l), np.hstack(l), \
        np.concatenate(l), np.concatenate(l, axis=1)


@cases.add("py.list-arrays", lambda: ([_arr(3), _arr(3, seed=2)],), lambda: ([_arr(1)],))
def stack_vectors(l):
    return np.array(l), np.vstack(l), np.hstack(l), np.concatenate(l), np.stack(l, axis=1), \
        np.asarray(l, dtype=np.float32)


@cases.add("py.list-arrays", (np.arange(10.0), 3), (np.arange(9), 4))
def concatenate_chunks(a, k):
    # uneven chunks joined again give the array back
    chunks = [a[i:i + k] * 2 for i in range(0, len(a), k)]
    return np.concatenate(chunks), np.hstack(chunks)


@cases.add("py.list-arrays", lambda: ([_arr(2, 3), _arr(4, 3, seed=2)],))
def concatenate_rows(l):
    return np.concatenate(l), np.vstack(l)


@cases.add("py.list-arrays", lambda: ([_arr(3), _arr(2, seed=2)],), raises=ValueError, match=True)
def stack_mismatch(l):
    return np.stack(l)


@cases.add("py.list-arrays", lambda: ([_arr(2, 3), _arr(2, 2, seed=2)],), raises=ValueError, match=True)
def concatenate_mismatch(l):
    return np.concatenate(l)


@cases.add("py.list-arrays", lambda: ([_arr(3), _arr(2, seed=2)],), raises=ValueError)
def array_inhomogeneous(l):
    return np.array(l)


@cases.add("py.list-arrays", (0,), raises=ValueError, match=True)
def concatenate_empty(n):
    l = [np.zeros(2) for i in range(n)]
    return np.concatenate(l)


@cases.add("py.list-arrays", (0,), raises=ValueError, match=True)
def stack_empty(n):
    l = [np.zeros(2) for i in range(n)]
    return np.stack(l)


@cases.add("py.list-arrays", (5,), raises=IndexError, match=True)
def index_out_of_range(i):
    l = [np.zeros(2), np.ones(2)]
    return l[i]


@cases.add("py.list-arrays", (np.arange(6.0).reshape(2, 3),))
def enumerate_items(a):
    l = [a[0], a[1] * 2]
    s = np.zeros(3)
    for i, x in enumerate(l):
        s += i * x
    for x, y in zip(l, l):
        s += x * y
    return s


@cases.add("py.list-arrays", (np.arange(12.0).reshape(3, 4), 2))
def blocks_and_stack(a, k):
    # a block decomposition: split columns, transform each block, stack back
    blocks = np.array_split(a, k, axis=1)
    out = []
    for b in blocks:
        out.append(b - b.mean())
    return np.hstack(out), [b.shape[1] for b in blocks]


@cases.add("py.list-arrays", (np.arange(9.0), 3))
def nested_use(a, k):
    parts = np.split(a, k)
    sums = np.array([p.sum() for p in parts])
    maxes = [p.max() for p in parts if p.min() > 0]
    return sums, maxes, parts[1][-1], parts[-1][0]


@cases.add("py.list-arrays", (np.arange(6, dtype=np.int32), 2), (np.array([True, False, True]), 3))
def split_other_dtypes(a, k):
    return np.array_split(a, k)


@cases.add("py.list-arrays", (np.arange(6.0), 3))
def list_returned_inside_tuple(a, k):
    parts = np.array_split(a, k)
    return (parts, [p * 0 for p in parts]), len(parts)


@cases.add("py.list-arrays", (np.arange(6.0),), (np.arange(7.0),))
def overlap_through_item(a):
    # an item views a; the right side reads a where the item writes it
    parts = np.array_split(a, 2)
    p = parts[1]
    p[:] = a[:len(p)][::-1] + 1.0
    return a


@cases.add("py.list-arrays", (np.arange(6.0),))
def overlap_between_items(a):
    parts = [a[1:], a[:-1]]
    parts[0][:] = parts[1] * 2.0
    return a


@cases.add("py.list-arrays", (np.arange(3.0), 4), (np.arange(2.0), 0))
def named_temporary_per_iteration(a, n):
    # each iteration's array is kept by the list: its memory is not reused by the next
    out = []
    for i in range(n):
        x = a * i
        x += 1.0
        out.append(x)
    return out


@cases.add("py.list-arrays", (np.arange(6.0).reshape(3, 2),))
def rows_write_through(a):
    rows = list(a)
    rows[0][:] = rows[1]
    rows[2][0] = -1.0
    return a


def _halves(b):
    return np.array_split(b, 2)


@cases.add("py.list-arrays", (np.arange(6.0),), (np.arange(5.0),))
def list_from_callee(a):
    # a compiled callee returns views of the caller's array: writes through them see overlap
    b = a * 2.0
    parts = _halves(b)
    parts[1][:] = b[:len(parts[1])][::-1]
    return b, parts


@cases.add("py.list-tuples", (7,), (1,), (0,))
def sort_with_key(n):
    l = [((i * 7) % 5, i) for i in range(n)]
    a = sorted(l, key=lambda p: p[0])  # stable: equal keys keep their order
    b = sorted(l, key=lambda p: -p[1], reverse=True)
    l.sort(key=lambda p: (p[0], -p[1]))
    m = [(i % 2, i) for i in range(n)]
    m.sort(reverse=True)
    return a, b, l, m


@cases.add("py.list-tuples", (np.array([2.0, 1.0, 2.0, 0.5]), 1), (np.array([2.0, 1.0]), 0))
def sorted_zip_key(a, flag):
    return sorted(zip(a, range(len(a))), key=lambda p: p[0], reverse=flag == 1)


@cases.add("py.lists", (1.0,), (-1.0,))
def sort_numbers_key_reverse(x):
    l = [0.0, -0.0, 1.0, 0.0, -2.5]
    r = sorted(l, reverse=True)  # equal items keep their order, as CPython's
    k = sorted(l, key=lambda v: v * x)
    l.sort(key=lambda v: abs(v), reverse=x > 0)
    return r, k, l, sorted([3, 1, 2], key=lambda v: -v)


@cases.add("py.list-arrays", (np.array([3.0, -1.0, 2.0, 5.0, -4.0, 0.5]), 3))
def sort_arrays_by_key(a, k):
    parts = np.array_split(a, k)
    parts.sort(key=lambda p: p.sum())
    return parts, sorted(parts, key=lambda p: p[0], reverse=True)


@cases.add("np.join", (np.arange(3.0), np.ones(3, dtype=np.float32)), (np.arange(2), np.ones(2)))
def join_displays(a, b):
    # a display of arrays has a known length: items may differ in dtype (and rank, for vstack)
    return np.stack([a, b]), np.concatenate([a, b, a]), np.vstack([a, b]), np.hstack([b, a]), \
        np.stack([a, b], axis=1), np.vstack([np.stack([a, b]), a])


@cases.add("py.list-arrays", (np.arange(4.0),), (np.arange(6.0),))
def augmented_items(a):
    # l[i] op= v changes the item in place (and the array it views)
    parts = [a[0:2], a[2:4]]
    for p in parts:
        p += 1.0
    parts[0] = parts[0] + 10.0
    parts[1] *= 2.0
    parts[-1][0] -= parts[0][1]
    return a, parts


@cases.add("py.list-arrays", (np.arange(6).reshape(2, 3), 2))
def augmented_broadcast(a, k):
    rows = list(a)
    rows[0] += np.arange(3)
    rows[1] //= k
    return a


test_conformance = cases.test()


def test_array_of_an_empty_list_of_tuples_refused():
    # NumPy gives shape (0,) for an empty list, (n, k) otherwise: a rank the value decides.
    import pytest

    import sejit

    def f(n):
        return np.array([(i, i) for i in range(n)])

    assert sejit.jit(f)(3).shape == f(3).shape
    with pytest.raises(NotImplementedError, match="empty list of tuples"):
        sejit.jit(f)(0)


def split_made_inside(n, k):
    return np.array_split(np.arange(n) * 2.0, k)


def split_argument(a, k):
    return np.array_split(a, k)


def test_returned_views_keep_their_base_alive():
    # The items are views of an array the call allocated, or of an argument no one else holds:
    # each returned ndarray's base keeps that memory alive after the call (no use after free).
    import gc

    import sejit

    inside = sejit.jit(split_made_inside)(10, 3)
    passed = sejit.jit(split_argument)(np.arange(10.0) * 3.0, 4)
    gc.collect()
    junk = [np.full(10, -1.0) for _ in range(100)]  # reuse freed memory, were any freed
    assert [p.tolist() for p in inside] == [p.tolist() for p in split_made_inside(10, 3)]
    assert [p.tolist() for p in passed] == [p.tolist() for p in split_argument(np.arange(10.0) * 3.0, 4)]
    assert all(p.base is not None for p in inside + passed)
    del junk


def keep_some(l):
    return [l[0][1:], l[-1]]


def test_list_argument_items_outlive_the_list():
    # Views of a list argument's arrays, returned, keep those arrays alive once the caller's
    # list is gone.
    import gc

    import sejit

    out = sejit.jit(keep_some)([np.arange(4.0), np.arange(3.0) + 10])
    gc.collect()
    junk = [np.full(4, -1.0) for _ in range(100)]
    assert [x.tolist() for x in out] == [[1.0, 2.0, 3.0], [10.0, 11.0, 12.0]]
    del junk


def write_item_from_argument(l, a):
    l[0][:] = a[::-2]
    return a


def test_item_viewing_another_argument():
    # The caller's list holds a view of a; writing it from a reversed read of a must equal NumPy.
    import sejit

    a = np.arange(6.0)
    want = a.copy()
    write_item_from_argument([want[1:4]], want)
    sejit.jit(write_item_from_argument)([a[1:4]], a)
    assert a.tolist() == want.tolist()
