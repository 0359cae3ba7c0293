"""Conformance: in-place operators, comparisons and printing of lists and of the rows of lists
of lists (issue 14).

Each case runs in CPython and through jit on copies of the same arguments (tests/conformance.py):
results and the arguments' final contents are compared. `row += [x]` through a second name for a
row must change the row under every name, as CPython's list.__iadd__ does; `grid[i] = grid[i] +
[x]` makes a new row. Comparisons of lists are CPython's: item by item, lexicographic for `<`,
ints and floats compared as numbers. Printing is in test_conf_print.py.
"""

import numpy as np
from conformance import Cases

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


test_conformance = cases.test()
