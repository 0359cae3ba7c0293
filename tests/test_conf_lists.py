"""Conformance: lists (issue 14), homogeneous and typed by their contents.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import numpy as np
from conformance import Cases

import sejit

cases = Cases(__name__)


def _adjacency():
    rng = np.random.default_rng(3)
    return (rng.random((12, 12)) < 0.25, 0)


@cases.add("py.lists", _adjacency, lambda: (np.eye(4, dtype=bool), 2))
def bfs(adj, start):
    n = adj.shape[0]
    dist = [-1] * n
    dist[start] = 0
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in range(n):
            if adj[v, w] and dist[w] < 0:
                dist[w] = dist[v] + 1
                queue.append(w)
    return dist


def _signal(n):
    return (np.random.default_rng(5).random(n), n)


@cases.add("py.lists", lambda: _signal(5000), lambda: _signal(1023), lambda: _signal(3))
def appends_in_chunks(xs, n):
    # Loops that append only under a condition run in chunks of 1024 iterations between two
    # Ctrl-C polls: forward and backward steps across chunk edges, a continue, and the loop
    # variable read after the loop
    up = []
    for i in range(1, n - 1):
        if xs[i] > xs[i - 1] and xs[i] >= xs[i + 1]:
            up.append(i)
    down = []
    last = -1
    for j in range(n - 1, -1, -3):
        last = j
        if xs[j] < 0.25:
            continue
        if xs[j] > 0.5:
            down.append(j)
    return up, down, last


@cases.add("py.lists", (np.array([0, 3, 1, 4, 1, 5, 9, 2, 6.0]),), (np.zeros(4),))
def peaks(x):
    p = []
    for i in range(1, len(x) - 1):
        if x[i] > x[i - 1] and x[i] > x[i + 1]:
            p.append(i)
    return np.array(p, dtype=np.int64)


@cases.add("py.lists", ("kitten", "sitting"), ("", "abc"), ("flaw", "lawn"))
def list_move_rows(s, t):
    # prev = cur is the last use of cur's list: each iteration builds a new one.
    prev = list(range(len(t) + 1))
    for i in range(1, len(s) + 1):
        cur = [i] + [0] * len(t)
        for j in range(1, len(t) + 1):
            cost = 0 if s[i - 1] == t[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev = cur
    return prev


@cases.add("py.lists", (5,), (0,))
def list_move_growing(n):
    prev = [0.5] * 3
    out = 0.0
    for i in range(n):
        cur = [x + i for x in prev]
        cur.append(float(i))
        out += sum(prev)
        prev = cur
    return prev, out


@cases.add("py.lists", (7,), (0,))
def methods(k):
    l = [3, 1, 2]
    l.extend([5, 4])
    l.insert(0, 9)
    l.insert(-1, 7)
    l.insert(100, 8)
    l.insert(-100, 6)
    s = sum(l) + min(l) * 100 + max(l) * 1000 + len(l)
    l.sort()
    r = sorted(l)
    r.reverse()
    c = l.copy()
    c.clear()
    x = l.pop()
    y = l.pop(1)
    z = l.pop(-2)
    return l, r, s, l.index(5), l.count(7), k in l, k not in l, l[-1], c, x, y, z


@cases.add("py.lists", (4,), (1,))
def floats_and_growth(n):
    l = sejit.typed_list(np.float64)
    for i in range(100 * n):
        l.append(i * 0.5)
    t = 0.0
    for v in l:
        t += v
    m = [1.5, 2.0]
    m[1] += 0.25
    m[-2] = -1.0
    return len(l), t, sum(l), m, [0.5] * n + m, list(range(n)), not l


@cases.add("py.lists", (np.arange(5.0),))
def list_of_array(a):
    l = list(a)
    l.append(10.0)
    return l, np.asarray(l).sum(), np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32)


@cases.add("py.lists", ([1, 2, 3], 5), ([2.5], -1.5))
def mutate_arg(l, x):
    l.append(x)
    l[0] = l[0] * 2
    return l


@cases.add("py.lists", ([4, 1, 3],))
def sort_arg(l):
    l.sort()
    return sum(l)


@cases.add("py.lists", (3,), raises=IndexError, match=True)
def index_error(i):
    l = [1, 2]
    return l[i]


@cases.add("py.lists", (-3,), raises=IndexError, match=True)
def index_error_neg(i):
    l = [1, 2]
    return l[i]


@cases.add("py.lists", (2,), raises=IndexError, match=True)
def store_error(i):
    l = [1, 2]
    l[i] = 0
    return l


@cases.add("py.lists", (3,), raises=IndexError, match=True)
def pop_empty(n):
    l = [1] * n
    for i in range(n + 1):
        l.pop()
    return l


@cases.add("py.lists", (5,), raises=IndexError, match=True)
def pop_index(i):
    l = [1, 2]
    return l.pop(i)


@cases.add("py.lists", (0,), raises=ValueError, match=True)
def min_empty(n):
    l = [1.0] * n
    return min(l)


@cases.add("py.lists", (9,), raises=ValueError, match=True)
def index_missing(x):
    l = [1, 2]
    return l.index(x)


@cases.add("py.lists", (3,), (2,), (1,), match=True)
def remove_first(x):
    # the first equal item goes; the rest keep their order
    l = [1, 3, 2, 3, 1]
    l.remove(x)
    l.append(7)
    return l, len(l)


@cases.add("py.lists", (9,), raises=ValueError, match=True)
def remove_missing(x):
    l = [1, 2]
    l.remove(x)
    return l


@cases.add("py.lists", ([2.0, 1.0, 2.0], 2), match=True)
def remove_float_arg(l, x):
    # an int equal to a float item removes it; the argument's change is reflected
    l.remove(x)
    return sum(l)


# A list argument keeps the changes made before a raise, as CPython's list does (check_raises
# compares list arguments after the raise).


@cases.add("py.lists", ([1, 2], 5), ([4], -3), raises=IndexError, match=True)
def arg_changed_then_index_error(l, i):
    l.append(3)
    l[0] = 7
    return l[i]


@cases.add("py.lists", ([1.5, 2.5, 0.5], 4, 2), ([0.25], 6, 5), raises=ValueError, match=True)
def arg_grows_then_raise_in_loop(l, n, k):
    for i in range(n):
        l.append(i * 0.5)  # past the buffer the list came in: the kernel reallocates it
        if i == k:
            raise ValueError(f"fz stop at {i}")
    return len(l)


@cases.add("py.lists", ([3, 1, 2], 0), raises=ZeroDivisionError, match=True)
def arg_sorted_then_zero_division(l, d):
    l.sort()
    l.pop()
    return l[0] // d


@cases.add("py.lists", ([0.5], np.ones(1), np.zeros(3)), raises=IndexError, match=True)
@cases.add("py.lists", ([0.5, 1.0], np.ones(2), np.zeros(3)), raises=ValueError)
def arg_changed_then_raise_stretching(l, x, y):
    # x of length 1 takes the stretching variant (lower/broadcast.go), x of 2 fails its shape
    # check there: the variant's list is the one written back
    l.append(1.5)
    y[:] = x
    l.append(2.5)
    return l[9]


@cases.add("py.lists", ([1, 2], 0), raises=KeyError)
def arg_changed_in_try_then_raise(l, i):
    try:
        l.append(10)
        l.remove(99)
    except ValueError:
        l.append(20)
    l.insert(0, i)
    if i == 0:
        raise KeyError(f"fz {i}")
    return len(l)


@cases.add("py.lists", (3,))
def array_of_mixed_display(n):
    # NumPy converts the items of a display it is given: no list holds them
    return np.array([1, 2.5, n]), np.asarray([[n, 0.5], [True, 2]]).sum()


test_conformance = cases.test()


def test_empty_list_needs_a_type():
    def f(n):
        l = []
        return len(l) + n

    import pytest

    with pytest.raises(TypeError, match="typed_list"):
        sejit.jit(f)(1)


def test_second_name_refused():
    def f(n):
        a = [n]
        b = a
        b.append(1)
        return len(a)

    def g(n):
        # not a move: cur is read after prev = cur
        prev = [0]
        for i in range(n):
            cur = [i]
            prev = cur
            cur.append(5)
        return prev

    def h(n):
        # not a move: the next iteration reads cur before rebinding it
        prev = [0]
        cur = [1]
        for i in range(n):
            prev = cur
            cur = [i]
        return prev

    import pytest

    for fn in (f, g, h):
        with pytest.raises(NotImplementedError, match="second name"):
            sejit.jit(fn)(1)


def test_rebinding_a_list_argument_refused():
    # The caller's list would receive the new list's items, where CPython leaves it as it
    # was when the name was rebound: refused until the original list is tracked.
    def f(l, n):
        l.append(n)
        l = [v * 2 for v in l]
        l.append(7)
        return len(l)

    import pytest

    with pytest.raises(NotImplementedError, match="rebinding the list argument 'l'"):
        sejit.jit(f)([1, 2], 3)


def test_mixed_list_argument_refused():
    def f(l):
        return len(l)

    import pytest

    with pytest.raises(TypeError, match="mixing"):
        sejit.jit(f)([1, 2.5])


def grows_through_closure(n):
    l = [1]

    def add(v):
        l.append(v)

    for i in range(n):
        add(i)
    return len(l)


def reads_through_closure(n):
    l = [0.0] * 3
    h = lambda: l[0] + n  # noqa: E731 — read, not resized: the closure sees the list as it is
    l[0] = 5.0
    return h()


def test_list_resized_in_a_closure_refused():
    # The closure would append to its own copy of the buffer and length: CPython gives 4.
    import pytest

    with pytest.raises(NotImplementedError, match="changes the length of the list 'l'"):
        sejit.jit(grows_through_closure)(3)


def test_list_read_in_a_closure():
    assert sejit.jit(reads_through_closure)(1.5) == reads_through_closure(1.5)
