"""Conformance: in-place operators, comparisons and printing of lists and of the rows of lists
of lists (issue 14).

Each case runs in CPython and through jit on copies of the same arguments (tests/conformance.py):
results and the arguments' final contents are compared. `row += [x]` through a second name for a
row must change the row under every name, as CPython's list.__iadd__ does; `grid[i] = grid[i] +
[x]` makes a new row. Comparisons of lists are CPython's: item by item, lexicographic for `<`,
ints and floats compared as numbers. `print()`, `str()` and f-strings of lists must give CPython's
text byte for byte, in order with Python's own prints (the output tests at the end capture stdout
as test_conf_print.py does).
"""

import copy

import numpy as np
import pytest
from conformance import Cases
from conftest import jitted, needs_engine

cases = Cases(__name__)


# --------------------------------------------------------------------------- += and *= on lists


@cases.add("py.lists", (3,), (0,))
def plain_iadd(n):
    l = [1, 2]
    l += [n]
    l += l
    l *= 2
    return l


@cases.add("py.lists", (4,), (0,))
def empty_list_typed_by_iadd(n):
    l = []
    for i in range(n):
        l += [i, i * i]
    return l


@cases.add("py.lists", (3,), (-1,))
def iadd_float_list_and_repeat(n):
    l = [0.5]
    l += [1.5 * n]
    l *= n
    return l, len(l)


@cases.add("py.lists", ([1, 2, 3], 2), ([0], 3))
def iadd_list_argument(l, n):
    l += [n] * n
    l *= 2
    return len(l)


@cases.add("py.list-tuples", (3,))
def iadd_list_of_tuples(n):
    l = [(1, 2.0)]
    l += [(n, 0.5)]
    l += l
    return l


@cases.add("py.list-lists", (3,))
def row_iadd_second_name(n):
    g = [[1] for _ in range(n)]
    r = g[0]
    r += [n, 7]
    r += r
    return g, r


@cases.add("py.list-lists", (3,))
def item_iadd(n):
    g = [[1] for _ in range(n)]
    g[1] += [5]
    g[2] += g[1]
    g[-1] += [n]
    return g


@cases.add("py.list-lists", (3,), (0,), (-2,))
def row_imul(n):
    g = [[1, 2] for _ in range(3)]
    r = g[0]
    r *= n
    g[1] *= 2
    return g


@cases.add("py.list-lists", (5,))
def iadd_in_loop(n):
    g = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i):
            g[i] += [j * 0.5]
        g[i % 2] += [float(i)]
    return g


@cases.add("py.list-lists", (3,))
def new_row_not_shared(n):
    g = [[1] for _ in range(n)]
    r = g[0]
    r = r + [2]
    g[1] = g[1] + [3]
    r.append(4)
    return g, r


@cases.add("py.list-lists", (3,))
def iadd_shared_row(n):
    r = [1]
    g = [r, r]
    g[0] += [2]
    r += [n]
    return g, r


@cases.add("py.list-lists", (3,))
def iadd_repeated_rows(n):
    g = [[0]] * n
    g[0] += [1]
    return g


@cases.add("py.list-lists", (3,))
def outer_iadd_shares_rows(n):
    g = [[1]]
    g += [[2, 3]]
    g += g
    g[0].append(n)
    return g


@cases.add("py.list-lists", (4,))
def iadd_row_in_for(n):
    g = [[i] for i in range(n)]
    for r in g:
        r += [r[0] * 2]
    return g


@cases.add("py.list-lists", (3,))
def iadd_row_pops_itself(n):
    g = [[1, 2, 3], [4]]
    g[0] += [g[0].pop()]
    r = g[1]
    r += [r.pop(), n]
    return g


@cases.add("py.list-lists", ([[1, 2], [3]], 4), ([[], [5]], 2))
def iadd_argument_rows(g, n):
    g[0] += [n]
    r = g[1]
    r += r
    return len(g[0]) + len(r)


@cases.add("py.list-lists", (2,), raises=IndexError, match=True)
def item_iadd_out_of_range(n):
    g = [[1] for _ in range(n)]
    g[n] += [1]
    return g


# --------------------------------------------------------------------------- comparisons


@cases.add("py.lists", (2,), (3,))
def compare_numbers(n):
    a = [1, 2, 3]
    b = [1.0, 2.0, 3.0]
    c = [1, n]
    return (a == b, a != b, a < b, a <= b, c < a, a > c, a >= a, c == a[:2],
            [n] == [float(n)], [0.5] < [1], [True] == [1], [] == [], [] < c, c > [])


@cases.add("py.lists", (1.0,), (np.nan,))
def compare_with_nan(x):
    a = [1.0, x]
    b = [1.0, 2.0]
    return a == b, a != b, a < b, a > b, a <= b, b >= a


@cases.add("py.lists", (2,), (9,))
def compare_complex_eq(n):
    a = [1 + 2j, complex(n)]
    return a == [1 + 2j, complex(2)], a != [1 + 2j]


@cases.add("py.list-tuples", (4.0,), (5.0,))
def compare_tuple_lists(x):
    p = [(1, 2.0), (3, 4.0)]
    q = [(1, 2.0), (3, x)]
    return p == q, p != q, p < q, p > q, p <= q, p[:1] < q, p == p.copy()


@cases.add("py.list-lists", (2,))
def compare_rows(n):
    g = [[1, 2], [1, n], [1, 3], []]
    r = g[0]
    return (r == [1, 2], g[0] == g[1], g[0] != g[2], g[0] < g[2], g[2] <= g[0], g[3] < g[0],
            g[0] > g[3], g[3] == [], [] < g[0], r >= g[1])


@cases.add("py.list-lists", (2,), (3,))
def rows_in_grid(n):
    g = [[1, 2], [1, n], [1, 3], []]
    return [1, 2] in g, [2] in g, [2] not in g, [] in g, [1.0, 3.0] in g, [1, n] in g


@cases.add("py.list-lists", (3,))
def index_count_remove_rows(n):
    g = [[1, 2], [1, n], [1, 3], [1, 2]]
    i = g.index([1, 3])
    c = g.count([1, 2])
    r = g[3]
    g.remove([1, 2])
    r.append(0)
    return i, c, g


@cases.add("py.list-lists", (3,), raises=ValueError, match=True)
def index_missing_row(n):
    g = [[1, 2], [1, n]]
    return g.index([2])


@cases.add("py.list-lists", (3,), raises=ValueError, match=True)
def remove_missing_row(n):
    g = [[1, 2], [1, n]]
    g.remove([n])
    return g


@cases.add("py.list-lists", (4,), (1,))
def compare_grids(n):
    g = [[i % 2, i] for i in range(n)]
    h = [[i % 2, i] for i in range(n)]
    h2 = g.copy()
    h2[0] = [5]
    return g == h, g != h, g < h, h2 > g, g <= h2, g[:1] < g


@cases.add("py.list-lists", ([[1, 2], [3]], [[1, 2], [3]]), ([[1, 2], [3]], [[1, 2], [3, 0]]),
           ([[0.5]], [[0.5], []]))
def compare_argument_grids(g, h):
    return g == h, g < h, g[0] in h, h.count(g[-1])



# --------------------------------------------------------------------------- sorting rows, min, max


@cases.add("py.list-lists", (7,), (0,), (1,), (40,))
def sort_rows_as_lists(n):
    g = [[(i * 7) % 5, i % 3] for i in range(n)] + [[2], [], [2, 0, 1]]
    h = sorted(g)
    r = sorted(g, reverse=True)
    g.sort()
    return g, h, r


@cases.add("py.list-lists", (9,))
def sort_keeps_equal_rows_in_order(n):
    rows = [[i % 2] for i in range(n)]
    g = rows.copy()
    g.sort()
    g[0].append(-1)
    s = sorted(rows, reverse=True)
    s[0].append(-2)
    return rows, g, s


@cases.add("py.list-lists", (7,), (2,))
def min_max_rows_are_the_rows(n):
    g = [[(i * 7) % 5, i % 2] for i in range(n)]
    a = min(g)
    b = max(g)
    a.append(-1)
    for x in b:
        a.append(x)
    return g, a, b


@cases.add("py.list-lists", (7.0,))
def sort_float_rows_reverse(x):
    g = [[1.5, x], [1.5], [0.5, 9.0], [1.5, 2.0], [x]]
    g.sort(reverse=True)
    m = max(g)
    m.append(0.25)
    return g, min(g)


@cases.add("py.list-lists", (0,), raises=ValueError, match=True)
def max_of_no_rows(n):
    g = [[1] for _ in range(n)]
    return max(g)


@cases.add("py.list-lists", ([[3, 1], [2], [3, 0], []],), ([[0.5], [0.25, 1.0]],))
def sort_argument_rows(g):
    g.sort()
    top = max(g)
    top.append(top[0])
    return min(g)


# --------------------------------------------------------------------------- del l[i]


@cases.add("py.lists", ([1, 2, 3], 1), ([1, 2, 3], -3), ([0.5], 0))
def del_list_item(l, n):
    del l[n]
    k = [4, 5, 6, 7]
    del k[-1], k[0]
    return l, k


@cases.add("py.lists", ([1, 2, 3], 3), ([1.5], -2), raises=IndexError, match=True)
def del_out_of_range(l, n):
    del l[n]
    return l


@cases.add("py.list-lists", (4,))
def del_rows_and_row_items(n):
    g = [[i, i + 1, i + 2] for i in range(n)]
    r = g[1]
    del r[-1]
    del g[2][0]
    del g[0]
    r.append(-1)
    return g, r


@cases.add("py.list-tuples", (1,))
def del_tuple_item(n):
    t = [(1, 2.0), (3, 4.0), (n, 0.5)]
    del t[n]
    return t


# --------------------------------------------------------------------------- print, str, f-strings


@cases.add("py.print", (3,), (0,))
def print_lists(n):
    l = [1, 2, n]
    f = [0.1, 1e20, -0.0, float("inf"), 1.0 / 3, float("nan")]
    print(l, f, [])
    print(l[:0], [True, False], [1 + 2j, complex(n)])
    print(l, f, sep=";", end="!\n")
    print((l, n), [(1, 2.5), (n, -1.0)])
    return len(l)


@cases.add("py.print", (3,), (1,))
def print_rows(n):
    g = [[i * 0.5] * i for i in range(n)]
    g.append(g[0])
    g[0].append(-1.5)
    print(g)
    print(g[1], g[-1], [[1, 2], []])
    return len(g)


@cases.add("py.fstrings", (3,), (0,))
def str_and_fstrings_of_lists(n):
    l = [1, 2, n]
    g = [[i] * i for i in range(n)]
    s = str(l) + "|" + str(g) + "|" + str([])
    t = f"{l} and {g!r} and {[0.25, -1.0]} {l!r:>16}|{[]}"
    print(s, t)
    return s, t


@cases.add("py.fstrings", (3,), raises=ValueError, match=True)
def raise_with_list_message(n):
    g = [[i] for i in range(n)]
    if n > 0:
        raise ValueError(f"bad rows {g} of {[float(n)]}")
    return len(g)


@cases.add("py.print", (np.float32(0.1),), (np.float32(3),))
def print_numpy_items(x):
    a = [x, np.float32(2)]
    b = [np.int8(3), np.int8(-1)]
    print(a, b, [np.int64(5)])
    return f"{a}"


@cases.add("py.print", (np.arange(7.0),), (np.arange(10),))
def print_list_of_arrays(a):
    parts = np.array_split(a, 3)
    print(parts)
    out = [np.zeros((2, 2), dtype=np.float32), np.ones((0, 2), dtype=np.float32)]
    print(out, f"{[a[::-2]]}")
    return f"{parts}"


@cases.add("py.lists", (3.5,), raises=ValueError, match=True)
def index_missing_float(x):
    return [1.5, 2.5].index(x)


@cases.add("py.list-tuples", (3,), raises=ValueError, match=True)
def index_missing_tuple(n):
    return [(1, 2.5), (n, 0.5)].index((n, 1.5))


@cases.add("py.lists", (True,), raises=ValueError, match=True)
def index_missing_bool(x):
    return [2, 3].index(x)


test_output_cases = [print_lists, print_rows, str_and_fstrings_of_lists, print_numpy_items,
                     print_list_of_arrays]


@needs_engine
@pytest.mark.parametrize("fn", test_output_cases, ids=[f.__name__ for f in test_output_cases])
def test_print_output(capsys, fn):
    """The text, byte for byte, between Python's own prints."""
    arg = {print_numpy_items: np.float32(0.1), print_list_of_arrays: np.arange(7.0)}.get(fn, 3)
    got = []
    for run in (fn, jitted(fn)):
        a = copy.deepcopy(arg)
        print("before")
        r = run(a)
        print("after", r)
        got.append(capsys.readouterr().out)
    assert got[1] == got[0]


test_conformance = cases.test()
