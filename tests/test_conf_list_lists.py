"""Conformance: lists of lists of numbers (issue 14).

Each case runs in CPython and through jit on copies of the same arguments (tests/conformance.py):
results and the arguments' final contents are compared, list-of-lists arguments included, so the
write-back of appends to inner lists is checked as well as the result. Sharing (a row that is
one list under two names) is checked by kernels that change a row through one name and read it
through the other. Lists of numbers, tuples and arrays are in test_conf_lists.py and
test_conf_list_items.py.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)

_EDGES = np.array([[0, 1], [0, 2], [1, 3], [2, 3], [3, 4], [1, 4]])


# --------------------------------------------------------------------------- building and reading


@cases.add("py.list-lists", (5,), (0,), (1,))
def adjacency_from_range(n):
    adj = [[] for _ in range(n)]
    for u in range(n):
        for v in range(u):
            if (u + v) % 3 != 0:
                adj[u].append(v)
    return adj


@cases.add("py.list-lists", (5, _EDGES))
def adjacency_from_edges(n, edges):
    adj = [[] for _ in range(n)]
    for k in range(len(edges)):
        u, v = edges[k]
        adj[u].append(v)
        adj[v].append(u)
    deg = [len(adj[u]) for u in range(n)]
    return adj, deg


@cases.add("py.list-lists", (3, 4), (0, 2), (2, 0))
def zero_grid(n, m):
    grid = [[0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            grid[i][j] = i * 10 + j
    return grid


@cases.add("py.list-lists", (4, 3), (1, 1))
def nested_comprehension(n, m):
    return [[i * j for j in range(m)] for i in range(n)]


@cases.add("py.list-lists", (5,))
def triangular_comprehension(n):
    t = [[j for j in range(i)] for i in range(n)]
    return t, [len(r) for r in t]


@cases.add("py.list-lists", (4,))
def float_rows(n):
    g = [[0.5 * i] * (i + 1) for i in range(n)]
    g[2][1] += 1.25
    g[-1][-1] = -3.0
    return g


@cases.add("py.list-lists", (3,))
def display_of_displays(n):
    g = [[1, 2], [3], []]
    g[2].append(n)
    return g, g[0][1] + g[1][0]


@cases.add("py.list-lists", (6,))
def row_sums(n):
    g = [[i + j for j in range(i % 4)] for i in range(n)]
    return [sum(r) for r in g], sum(sum(r) for r in g)


@cases.add("py.list-lists", (6,))
def longest_row(n):
    g = [[1] * ((i * 7) % 5) for i in range(n)]
    return max(len(r) for r in g), min(len(r) for r in g)


@cases.add("py.list-lists", (5,))
def min_max_of_rows(n):
    g = [[(i * 3 + j * 5) % 7 for j in range(i + 1)] for i in range(n)]
    return [max(r) for r in g], [min(r) for r in g]


@cases.add("py.list-lists", (6,))
def sort_rows(n):
    g = [[(i * 7 + j * 3) % 5 for j in range(4)] for i in range(n)]
    for r in g:
        r.sort()
    g[0].sort(reverse=True)
    return g


@cases.add("py.list-lists", (5,))
def sorted_row(n):
    g = [[(j * 7) % 5 - i for j in range(5)] for i in range(n)]
    s = sorted(g[1])
    return s, g[1]


@cases.add("py.list-lists", (4, 3))
def to_array(n, m):
    g = [[i - j * 0.5 for j in range(m)] for i in range(n)]
    return np.array(g)


@cases.add("py.list-lists", (3,), raises=ValueError)
def to_array_ragged(n):
    g = [[1] * (i + 1) for i in range(n)]
    return np.array(g)


@cases.add("py.list-lists", (4,))
def to_int_array(n):
    g = [[] for _ in range(n)]
    for i in range(n):
        g[i].append(i)
        g[i].append(i * i)
    return np.asarray(g), np.array(g, dtype=np.float32)


@cases.add("py.list-lists", (6,))
def iterate_rows_enumerate(n):
    g = [[i] * (i % 3) for i in range(n)]
    t = 0
    for i, r in enumerate(g):
        for x in r:
            t += i * x
    return t


@cases.add("py.list-lists", (5,))
def inner_index_errors(n):
    g = [[1, 2, 3] for _ in range(n)]
    return g[1][-1] + g[-1][0]


@cases.add("py.list-lists", (3,), raises=IndexError)
def inner_index_out_of_range(n):
    g = [[0] * n for _ in range(n)]
    return g[1][n]


@cases.add("py.list-lists", (3,), raises=IndexError)
def outer_index_out_of_range(n):
    g = [[0] * n for _ in range(n)]
    return g[n][0]


@cases.add("py.list-lists", (3,), raises=IndexError)
def pop_empty_row(n):
    g = [[] for _ in range(n)]
    g[0].append(1)
    g[1].pop()
    return len(g)


# --------------------------------------------------------------------------- sharing (aliasing)


@cases.add("py.list-lists", (3,))
def row_alias_append(n):
    grid = [[0] * 3 for _ in range(n)]
    row = grid[1]
    row.append(7)
    row[0] = 5
    return grid, len(grid[1])


@cases.add("py.list-lists", (4,))
def append_row_then_change(n):
    grid = []
    row = []
    grid.append(row)
    for i in range(n):
        row.append(i)
    grid.append([n])
    return grid


@cases.add("py.list-lists", (3,))
def repeated_row(n):
    g = [[0] * 2] * n
    g[0][1] = 9
    g[1].append(4)
    return g


@cases.add("py.list-lists", (3,))
def same_row_twice(n):
    r = [1]
    g = [r, r]
    g[0].append(n)
    return g, r


@cases.add("py.list-lists", (4,))
def rows_built_in_loop(n):
    grid = []
    for i in range(n):
        row = []
        for j in range(i + 1):
            row.append(i * j)
        grid.append(row)
    return grid


@cases.add("py.list-lists", (4,))
def for_row_mutates(n):
    g = [[i] for i in range(n)]
    for r in g:
        r.append(r[0] * 2)
    return g


@cases.add("py.list-lists", (5,))
def iterate_while_appending(n):
    g = [[1], []]
    seen = 0
    for x in g[0]:
        seen += 1
        if x < n:
            g[0].append(x + 1)
    return g, seen


@cases.add("py.list-lists", (4,))
def iterate_while_popping(n):
    g = [list(range(n)), []]
    seen = []
    for x in g[0]:
        seen.append(x)
        g[0].pop()
    return g, seen


@cases.add("py.list-lists", (4,))
def pop_row_keeps_it(n):
    g = [[i, i] for i in range(n)]
    last = g.pop()
    last.append(-1)
    first = g.pop(0)
    first.append(-2)
    return g, last, first


@cases.add("py.list-lists", (4,))
def shallow_copy_shares_rows(n):
    g = [[i] for i in range(n)]
    h = g.copy()
    h[0].append(100)
    h.append([5])
    s = g[1:3]
    s[0].append(200)
    return g, h, s


@cases.add("py.list-lists", (3,))
def concatenation_shares_rows(n):
    a = [[1], [2]]
    b = a + [[n]]
    b[0].append(9)
    return a, b


@cases.add("py.list-lists", (3,))
def row_method_args_read_after(n):
    g = [[1, 2, 3], [4]]
    g[0].append(g[0].pop())
    g[1].append(len(g[1]))
    g[0].insert(0, g[0].pop(1))
    return g


@cases.add("py.list-lists", (4,))
def outer_list_methods(n):
    g = [[i] for i in range(n)]
    g.insert(1, [10, 11])
    g.reverse()
    g.extend([[7], [8, 9]])
    del_me = g.pop(2)
    g[0] = [42]
    return g, del_me, len(g)


@cases.add("py.list-lists", (5,))
def inner_list_methods(n):
    g = [list(range(n)), [3, 1, 2]]
    g[0].remove(2)
    g[0].insert(-1, 9)
    g[1].extend(g[0])
    g[1].reverse()
    c = g[1].count(1)
    k = g[1].index(9)
    g[0].clear()
    return g, c, k


@cases.add("py.list-lists", (6,))
def inner_slices(n):
    g = [list(range(n)) for _ in range(2)]
    h = g[0][1:4]
    g[1][1:3] = [7, 7, 7]
    g[0][::2] = [0] * len(g[0][::2])
    return g, h


# --------------------------------------------------------------------------- between compiled functions


def _push_all(row, k):
    for i in range(k):
        row.append(i)


@cases.add("py.list-args", (3,))
def row_passed_to_helper(n):
    g = [[-1] for _ in range(n)]
    _push_all(g[1], 3)
    r = g[2]
    _push_all(r, 2)
    return g


def _add_row(g, k):
    g.append([k] * k)
    g[0].append(k)


@cases.add("py.list-args", (3,))
def grid_passed_to_helper(n):
    g = [[0]]
    for k in range(1, n + 1):
        _add_row(g, k)
    return g


def _make_grid(n):
    return [[i] * i for i in range(n)]


@cases.add("py.list-args", (4,))
def grid_returned_by_helper(n):
    g = _make_grid(n)
    g[1].append(5)
    return g


# --------------------------------------------------------------------------- arguments from Python


@cases.add("py.list-lists", ([[1, 2], [3]],), ([[], [5, 6, 7], []],))
def arg_append_to_rows(g):
    for r in g:
        r.append(len(r))
    g.append([0])
    return len(g)


@cases.add("py.list-lists", ([[1.5], [], [2.0, 3.0]],), ([[0.25, 0.5]],))
def arg_ragged_sum(g):
    t = 0.0
    for r in g:
        t += sum(r)
    return t, [len(r) for r in g]


@cases.add("py.list-lists", ([[3, 1, 2], [9, 8]],))
def arg_sort_rows(g):
    for r in g:
        r.sort()
    g.reverse()


@cases.add("py.list-lists", ([[1, 2], [3, 4]],))
def arg_returned(g):
    g[0][0] = 10
    return g


@cases.add("py.list-lists", ([[1, 2], [3, 4]],))
def arg_to_array(g):
    return np.array(g) * 2


@cases.add("py.list-lists", ([[True, False], [True]],))
def arg_bool_rows(g):
    g[1].append(False)
    return [sum(r) for r in g]


@cases.add("py.list-lists", ([[1, 2], [3]],), raises=ValueError)
def arg_changes_then_raises(g):
    g[0].append(5)
    g.append([7, 7])
    g[1].pop()
    if len(g) > 2:
        raise ValueError("stop")
    return 0


@cases.add("py.list-lists", ([[1], [2]],), raises=IndexError)
def arg_index_error_after_append(g):
    g[1].append(3)
    return g[0][5]


@cases.add("py.list-lists", ([[np.float32(1.5)], [np.float32(2.0)]],))
def arg_numpy_scalars(g):
    g[0].append(g[1][0] * np.float32(2))
    return g[0][1]


@cases.add("py.list-lists", ([[1, 2], [3]],))
def arg_rows_swapped(g):
    g[0], g[1] = g[1], g[0]
    g[0].append(4)


@cases.add("py.list-lists", (3,))
def enumerate_rows_mutated(n):
    g = [[i] for i in range(n)]
    for i, row in enumerate(g):
        row.append(i * 10)
    return g


@cases.add("py.list-lists", (3,), (0,))
def queue_of_rows(n):
    q = [[0]]
    out = []
    while q:
        cur = q.pop()
        out.append(len(cur))
        if len(cur) < n:
            q.append(cur + [len(cur)])
            q.append([1] * (len(cur) + 1))
    return out


@cases.add("py.list-lists", (3,))
def item_stored_from_item(n):
    g = [[i] for i in range(n)]
    g[0] = g[1]
    g[0].append(7)
    return g


@cases.add("py.list-lists", (2,))
def row_name_outlives_replacement(n):
    g = [[i] for i in range(n)]
    row = g[0]
    g[0] = [5]
    row.append(1)
    return g, row


@cases.add("py.list-lists", (6,))
def sort_grid_by_key(n):
    g = [[(i * 7) % 5, i] for i in range(n)]
    g.sort(key=lambda r: r[0])
    return g


@cases.add("py.list-lists", (5,))
def sort_row_by_key(n):
    g = [[(i * 7) % 5 for i in range(n)]]
    g[0].sort(key=lambda v: -v)
    return g, sorted(g[0], reverse=True)


@cases.add("py.list-lists", (3,))
def read_row_by_name(n):
    g = [[i, i + 1] for i in range(n)]
    row = g[1]
    return [x * 2 for x in row], 2 in row, len(row), sum(row)


@cases.add("py.list-lists", (8,), (3,))
def loop_over_row_break_else(n):
    g = [list(range(n))]
    t = 0
    for x in g[0]:
        if x == 2:
            continue
        if x > 4:
            break
        t += x
    else:
        t = -1
    return t


@cases.add("py.list-lists", (2,))
def returned_in_tuple(n):
    g = [[1.5] * n]
    return g, n


@cases.add("py.list-lists", (np.array([1, 2], dtype=np.int8),), (np.array([3.5, -1.0], dtype=np.float32),))
def rows_of_numpy_items(a):
    g = [[a[0]]]
    g[0].append(a[1])
    g.append([a[1] * a[0]])
    return g


@cases.add("py.list-lists", (1000,))
def many_appends(n):
    g = [[] for _ in range(3)]
    for i in range(n):
        g[i % 3].append(i)
    return [len(r) for r in g], g[2][-1], g[0][:5]


@cases.add("py.list-lists", (2,))
def list_of_grid_is_shallow(n):
    g = [[i] for i in range(n)]
    h = list(g)
    h[0].append(9)
    return g


@cases.add("py.list-lists", (1,))
def loop_keeps_its_row_when_name_rebound(n):
    g = [[1, 2, 3], [7]]
    row = g[0]
    t = []
    for x in row:
        t.append(x + n)
        row = g[1]
        row.append(x)
    return t, g


@cases.add("py.list-lists", (3,))
def augmented_cells(n):
    g = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            g[i][j] += i * j
            g[i][j] *= 2
    return g


@cases.add("py.list-lists", (3,))
def row_to_array(n):
    g = [[i * 0.5, i + 0.25] for i in range(n)]
    return np.array(g[1]), np.asarray(g[2]).sum(), min(g[0]), max(g[-1])


@cases.add("py.list-lists", (3,))
def boxed_row_returned(n):
    g = [[i] * 2 for i in range(n)]
    row = g[1]
    row.append(7)
    return row


@cases.add("py.list-lists", (4,), (0,))
def pop_row_until_empty(n):
    g = [list(range(n)), [1]]
    t = 0
    while len(g[0]) > 0:
        t += g[0].pop()
    return t, g


@cases.add("py.list-lists", (3,))
def extend_rows_from_rows(n):
    g = [[1], [2]]
    g[0].extend(g[1])
    g[1].extend([n, n])
    g[0].extend(g[0])
    return g


@cases.add("py.list-lists", (7, _EDGES), (3, np.zeros((0, 2), dtype=np.int64)))
def connected_components(n, edges):
    adj = [[] for _ in range(n)]
    for k in range(len(edges)):
        u, v = edges[k]
        adj[u].append(v)
        adj[v].append(u)
    comp = [-1] * n
    c = 0
    for s in range(n):
        if comp[s] >= 0:
            continue
        stack = [s]
        comp[s] = c
        while stack:
            u = stack.pop()
            for v in adj[u]:
                if comp[v] < 0:
                    comp[v] = c
                    stack.append(v)
        c += 1
    return c, comp


test_conformance = cases.test()


# --------------------------------------------------------------------------- identity


def test_reflection_keeps_the_callers_inner_lists():
    """The caller's inner lists are written back in place (`row` still names the first row), a
    row shared twice stays one list, and a new row is a new list."""
    from conftest import needs_engine  # noqa: F401 (the engine is needed: jit compiles)
    from sejit import jit

    def grow(g):
        g[0].append(9)
        g.append([1])
        g[2].append(len(g))

    row = [5]
    other = [6]
    g = [row, other, row]
    jit(grow)(g)
    ref_row, ref_other = [5], [6]
    ref = [ref_row, ref_other, ref_row]
    grow(ref)
    assert g == ref
    assert g[0] is row and g[2] is row and g[1] is other
    assert row == ref_row


def test_returned_rows_shared_as_in_compiled_code():
    from sejit import jit

    def rows(n):
        r = [0]
        g = [r] * n
        g.append([1])
        return g

    out = jit(rows)(3)
    assert out == rows(3)
    assert out[0] is out[1] is out[2] and out[3] is not out[0]
