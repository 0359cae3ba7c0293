"""Refusals of lists of lists (issue 14): each a positioned UnsupportedError or TypingError at
compile time, or the exception CPython/NumPy would raise (or a clear NotImplementedError) at the
call, never a silently different result."""


import numpy as np
import pytest
from conftest import assert_positioned, needs_engine
from sejit import TypingError, UnsupportedError, jit

pytestmark = needs_engine


def second_name(n):
    g = [[0] for _ in range(n)]
    row = g[0]
    other = row
    return other


def argument_into_grid(g, r):
    g.append(r)
    return len(g)


def _two(a, b):
    return len(a) + len(b)


def row_and_grid_to_call(n):
    g = [[0] for _ in range(n)]
    return _two(g[0], g)


def rows_of_tuples(n):
    g = [[(1, 2)] for _ in range(n)]
    return len(g)


def three_levels(n):
    g = [[[1]] for _ in range(n)]
    return len(g)


def rows_of_strings(n):
    g = [["a"] for _ in range(n)]
    return len(g)


def untyped_rows(n):
    g = [[] for _ in range(n)]
    return len(g)


def wider_into_argument(g):
    g[0].append(2.5)
    return 0


def mixed_rows(n):
    g = [[1], [2.5]]
    return len(g) + n


def mixed_append(n):
    g = [[1]]
    g.append([0.5 * n])
    return g


def mixed_row_append(n):
    g = [[1] for _ in range(n)]
    g[0].append(1.5)
    return g


CASES = [
    (second_name, (2,), UnsupportedError, "other = row", "a second name"),
    (argument_into_grid, ([[1]], [2]), UnsupportedError, "def argument_into_grid", "the list argument 'r'"),
    (row_and_grid_to_call, (2,), UnsupportedError, "_two(g[0], g)", "together with another list argument"),
    (rows_of_tuples, (2,), UnsupportedError, "g = [[(1, 2)]", "must be numbers or tuples of numbers"),
    (three_levels, (2,), UnsupportedError, "g = [[[1]]", "must be numbers or tuples of numbers"),
    (rows_of_strings, (2,), UnsupportedError, "g = [[\"a\"]", "must be numbers or tuples of numbers"),
    (untyped_rows, (3,), TypingError, "g = [[] for", "cannot infer the element type of the lists in 'g'"),
    (wider_into_argument, ([[1]],), UnsupportedError, "g[0].append(2.5)", "holds lists of int64"),
    (mixed_rows, (1,), TypingError, "g = [[1], [2.5]]", "CPython's list keeps each item's type"),
    (mixed_append, (1,), TypingError, "g = [[1]]", "CPython's list keeps each item's type"),
    (mixed_row_append, (1,), TypingError, "g = [[1] for", "CPython's list keeps each item's type"),
]


@pytest.mark.parametrize("fn,args,exc,line,text", CASES, ids=[c[0].__name__ for c in CASES])
def test_refused(fn, args, exc, line, text):
    with pytest.raises(exc) as info:
        jit(fn)(*args)
    assert_positioned(str(info.value), fn, line, text)


def count(l):
    return len(l)


@pytest.mark.parametrize("arg,text", [
    ([[]], "a list of empty lists"),
    ([[], []], "a list of empty lists"),
    ([[1], 2], "mixing lists and other items"),
    ([[1], [2.5]], "a list of lists mixing item types"),
    ([[[1]]], "a list of lists of lists"),
    ([["a"]], "a list of lists of strings"),
])
def test_list_argument_refused(arg, text):
    with pytest.raises(TypeError, match=text):
        jit(count)(arg)


def grid_array(n):
    return np.array([[i] for i in range(n)])


def test_array_of_an_empty_list_of_lists_refused():
    # NumPy gives shape (0,) for an empty list, (n, 1) otherwise: a rank the value decides.
    f = jit(grid_array)
    assert np.array_equal(f(3), grid_array(3))
    with pytest.raises(NotImplementedError, match="empty list of lists"):
        f(0)
