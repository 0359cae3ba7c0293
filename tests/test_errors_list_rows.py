"""Refusals of in-place operators, comparisons and printing of lists (issue 14): each a
positioned UnsupportedError or TypingError at compile time, never a silently different result.
What works is in test_conf_list_rows.py."""

import pytest
from conftest import assert_positioned, needs_engine
from sejit import TypingError, UnsupportedError, jit

pytestmark = needs_engine


def iadd_tuple(n):
    l = [1, 2]
    l += (n, n)
    return l


def iadd_while_iterating(n):
    l = [1, 2]
    for x in l:
        if x < n:
            l += [x]
    return l


def isub_row(n):
    g = [[1, 2] for _ in range(n)]
    g[0] -= [1]
    return g


def imul_by_float(n):
    l = [1, 2]
    l *= 1.5
    return l


def iadd_strings(n):
    l = ["a"]
    l += ["b"]
    return len(l) + n


def iadd_mixed_kinds(n):
    g = [[1] for _ in range(n)]
    r = g[0]
    r += [0.5]
    return g


def chained_list_compare(n):
    a = [1]
    return a < [2] < [n]


def numbers_with_rows(n):
    g = [[1] for _ in range(n)]
    return [1] == g


def order_complex_lists(n):
    return [1j] < [complex(n)]


def tuples_of_two_lengths(n):
    return [(1, 2)] == [(1, 2, n)]


def sum_of_rows(n):
    g = [[n - i] for i in range(n)]
    return sum(g)


def sort_complex_rows(n):
    g = [[1j * i] for i in range(n)]
    return sorted(g)


def del_slice(n):
    l = [1, 2, 3]
    del l[:n]
    return l


def del_while_iterating(n):
    l = [1, 2, 3]
    for x in l:
        if x == n:
            del l[0]
    return l


CASES = [
    (iadd_tuple, (2,), UnsupportedError, "l += (n, n)", "list += takes a list here"),
    (iadd_while_iterating, (2,), UnsupportedError, "l += [x]", "changing the list 'l' while a for loop iterates"),
    (isub_row, (2,), TypingError, "g[0] -= [1]", "unsupported operand types for -="),
    (imul_by_float, (2,), TypingError, "l *= 1.5", "can't multiply sequence by non-int"),
    (iadd_strings, (2,), UnsupportedError, "l += [\"b\"]", "+= on lists of strings is not supported"),
    (chained_list_compare, (2,), UnsupportedError, "a < [2] < [n]", "chained comparisons of lists"),
    (numbers_with_rows, (2,), TypingError, "[1] == g", "comparing a list of numbers with a list of lists"),
    (order_complex_lists, (2,), TypingError, "[1j] < [complex(n)]", "'<' is not supported between lists of complex"),
    (tuples_of_two_lengths, (2,), TypingError, "[(1, 2)] == [(1, 2, n)]", "tuples of different lengths"),
    (sum_of_rows, (3,), UnsupportedError, "sum(g)", "sum() of a list of lists"),
    (sort_complex_rows, (3,), TypingError, "sorted(g)", "of complex numbers"),
    (del_slice, (1,), UnsupportedError, "del l[:n]", "del of a slice of a list"),
    (del_while_iterating, (1,), UnsupportedError, "del l[0]", "changing the length of the list 'l' while a for loop"),
    (iadd_mixed_kinds, (2,), TypingError, "g = [[1] for", "CPython's list keeps each item's type"),
]


@pytest.mark.parametrize("fn,args,exc,line,text", CASES, ids=[c[0].__name__ for c in CASES])
def test_refused(fn, args, exc, line, text):
    with pytest.raises(exc) as info:
        jit(fn)(*args)
    assert_positioned(str(info.value), fn, line, text)
