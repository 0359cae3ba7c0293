"""Refusals of lists of tuples and lists of arrays (issue 14): each a positioned UnsupportedError
or TypingError at compile time, or the exception CPython/NumPy would raise (or a clear
NotImplementedError) at the call, never a silently different result."""


import numpy as np
import pytest
from conftest import assert_positioned, needs_engine
from sejit import TypingError, UnsupportedError, jit

pytestmark = needs_engine


def differing_ranks(a):
    l = [a]
    l.append(a[0:1].reshape(1, 1))
    return len(l)


def differing_dtypes(a):
    l = [a, a.astype(np.float32)]
    return len(l)


def sort_arrays(a):
    l = [a, a]
    l.sort()
    return len(l)


def in_arrays(a):
    l = [a]
    return a in l


def index_arrays(a):
    l = [a]
    return l.index(a)


def augmented_item(a):
    l = [a]
    l[0] += 1.5
    return l


def augmented_rank(a):
    l = [a]
    l[0] += np.ones((2, 3))
    return l


def sum_arrays(a):
    l = [a, a]
    return sum(l)


def max_arrays(a):
    l = [a, a]
    return max(l)


def store_other_rank(a):
    l = [a]
    l[0] = a.reshape(1, -1)
    return l


def sum_tuples(n):
    l = [(1, 2), (n, n)]
    return sum(l)


def tuple_lengths(n):
    l = [(1, 2)]
    l.append((n, n, n))
    return l


def tuple_of_array(a):
    l = [(1, a)]
    return len(l)


def split_axis_out_of_range(a):
    return np.array_split(a, 2, axis=2)


def split_axis_variable(a, k):
    return np.array_split(a, 2, axis=k)


def concatenate_list_of_numbers(n):
    l = [1.0, 2.0]
    return np.concatenate(l)


def key_returns_array(a):
    l = [a, a]
    l.sort(key=lambda x: x * 2)
    return l


def key_not_a_function(n):
    l = [1, 2, n]
    return sorted(l, key=n)


def key_of_complex(z):
    return sorted([z, z], key=lambda v: v)


def max_of_tuple_generator(n):
    return max((i, -i) for i in range(n))


CASES = [
    (differing_ranks, (np.zeros(3),), UnsupportedError, "l.append(", "must have one dtype and rank"),
    (differing_dtypes, (np.zeros(3),), TypingError, "l = [a, a.astype", "items must have one type"),
    (sort_arrays, (np.zeros(3),), UnsupportedError, "l.sort()", "sorting a list of arrays"),
    (in_arrays, (np.zeros(3),), UnsupportedError, "return a in l", "the 'in' comparison is not supported"),
    (index_arrays, (np.zeros(3),), UnsupportedError, "l.index(a)", "list.index() of an array"),
    (augmented_item, (np.zeros(3, dtype=np.int64),), TypingError, "l[0] += 1.5", "cannot cast the result"),
    (augmented_rank, (np.zeros(3),), Exception, "l[0] += np.ones", "non-broadcastable output"),
    (sum_arrays, (np.zeros(3),), UnsupportedError, "return sum(l)", "sum() of a list of arrays"),
    (max_arrays, (np.zeros(3),), UnsupportedError, "return max(l)", "max() of a list of arrays"),
    (store_other_rank, (np.zeros(3),), UnsupportedError, "l[0] = a.reshape", "must have one dtype and rank"),
    (sum_tuples, (3,), TypingError, "return sum(l)", "sum() of a list of tuples"),
    (tuple_lengths, (3,), TypingError, "l.append((n, n, n))", "items must have one type"),
    (tuple_of_array, (np.zeros(2),), UnsupportedError, "l = [(1, a)]", "a list can hold numbers, strings, tuples of numbers and arrays"),
    (split_axis_out_of_range, (np.zeros(4),), Exception, "np.array_split(a, 2, axis=2)", "axis 2 is out of bounds"),
    (split_axis_variable, (np.zeros(4), 0), UnsupportedError, "np.array_split(a, 2, axis=k)", "must be an integer constant"),
    (concatenate_list_of_numbers, (1,), UnsupportedError, "np.concatenate(l)", "of a list of float is not supported"),
    (key_returns_array, (np.zeros(2),), UnsupportedError, "l.sort(key=", "the key must be a real number"),
    (key_not_a_function, (3,), UnsupportedError, "sorted(l, key=n)", "takes a compiled function or a lambda"),
    (key_of_complex, (1j,), UnsupportedError, "sorted([z, z]", "the key must be a real number"),
    (max_of_tuple_generator, (3,), UnsupportedError, "(i, -i) for i", "max() of tuples is not supported"),
]


@pytest.mark.parametrize("fn,args,exc,line,text", CASES, ids=[c[0].__name__ for c in CASES])
def test_refused(fn, args, exc, line, text):
    with pytest.raises(exc) as info:
        jit(fn)(*args)
    assert_positioned(str(info.value), fn, line, text)


def count(l):
    return len(l)


@pytest.mark.parametrize("arg,text", [
    ([np.zeros(3), np.zeros((3, 1))], "differing types or ranks"),
    ([np.zeros(3), np.zeros(3, dtype=np.float32)], "differing types or ranks"),
    ([np.zeros(3), [1.0]], "differing types or ranks"),
    ([np.zeros(4)[::2], np.frombuffer(b"\0" * 16)], "read-only"),
    ([(1, 2.0), (1, 2)], "mixing item types"),
    ([(1, 2.0), (1,)], "mixing item types"),
    ([(1, "a")], "list of tuples holding strings"),
])
def test_list_argument_refused(arg, text):
    with pytest.raises(TypeError, match=text):
        jit(count)(arg)


def empty_stack(n):
    return np.array([np.zeros(2) for i in range(n)])


def test_array_of_an_empty_list_of_arrays_refused():
    # NumPy gives shape (0,) for an empty list, (n, 2) otherwise: a rank the value decides.
    f = jit(empty_stack)
    assert f(3).shape == empty_stack(3).shape
    with pytest.raises(NotImplementedError, match="empty list of arrays"):
        f(0)
