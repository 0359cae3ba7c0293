"""Compile-time refusals of dicts and sets (issue 14): each is a positioned UnsupportedError or
TypingError naming the construct, never a silently different result."""


import numpy as np
import pytest
from conftest import assert_positioned, needs_engine
from sejit import TypingError, UnsupportedError, jit

pytestmark = needs_engine


def complex_key(x):
    d = {0: 1}
    d[x] = 1
    return len(d)


def add_str_while_iterating(text):
    s = {"a", "b", text}
    for x in s:
        s.add(x + "!")
    return len(s)


def add_while_iterating(n):
    s = {1, 2, n}
    for x in s:
        s.add(x + 10)
    return len(s)


def change_while_iterating(n):
    d = {1: 2, 3: 4}
    for k in d:
        d[k + n] = 0
    return len(d)


def pop_while_iterating(n):
    d = {1: 2, 3: 4}
    for k, v in d.items():
        d.pop(k)
    return len(d)


def get_without_default(n):
    d = {1: 2}
    return d.get(n)


def second_name(n):
    d = {1: 2}
    e = d
    e[n] = 1
    return len(d)


def _ident(d):
    d[0] = 0
    return d


def returned(n):
    d = {1: n}
    e = _ident(d)
    return len(e)


def in_tuple(n):
    d = {1: n}
    return d, 1


def captured(n):
    d = {0: 0}

    def add(k):
        d[k] = 1
    add(n)
    return len(d)


def never_stored(n):
    d = {}
    return len(d)


def set_subscript(n):
    s = {1, 2}
    return s[n]


def values_outside_loop(n):
    d = {1: 2}
    v = d.values()
    return n


def pop_in_comprehension(n):
    d = {1: 2, 3: 4}
    return [d.pop(k) for k in d]


def tuple_of_set(n):
    s = {n, n + 1}
    return tuple(s)


def tuple_of_keys(text):
    d = {text: 1}
    return tuple(d.keys())


def tuple_of_list(n):
    xs = [n, n]
    return tuple(xs)


def del_name(n):
    x = n
    del x
    return n


def array_values(x):
    d = {1: x}
    return len(d)


def mixed_key_kinds(text):
    counts = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    counts[1] = 2
    return len(counts)


def mixed_display(n):
    d = {"a": 1, n: 2}
    return len(d)


def mixed_set(n):
    s = {n, 2}
    s.add("x")
    return len(s)


def str_lookup_in_int_dict(text):
    d = {1: 2}
    return d.get(text, 0)


def int_in_str_set(n):
    s = {"a", "b"}
    return n in s


def str_items_sorted(text):
    d = {w: 1 for w in text.split()}
    return sorted(d.items())


def mixed_values(text):
    d = {1: text}
    d[2] = 3
    return len(d)


def str_values_int_default(text):
    d = {1: text}
    return d.get(2, 0)


def sum_of_str_keys(text):
    d = {w: 1 for w in text.split()}
    return sum(d)


def _store_float(d, n):
    d[n] = 0.5


def helper_widens_values(n):
    d = {1: 1}
    _store_float(d, n)
    return len(d)


def _rebind(d, n):
    d = {n: n}
    return len(d)


def helper_rebinds(n):
    d = {1: 1}
    return _rebind(d, n)


def _two(a, b):
    a[1] = 1
    return len(b)


def passed_twice(n):
    d = {n: 1}
    return _two(d, d)


CASES = [
    (mixed_key_kinds, ("abca",), UnsupportedError, "counts[1] = 2", "a dict mixing strings and numbers"),
    (mixed_key_kinds, ("ab" * 200,), UnsupportedError, "counts[1] = 2", "a dict mixing strings and numbers"),
    (mixed_display, (3,), UnsupportedError, "d = {\"a\": 1, n: 2}", "a dict mixing strings and numbers"),
    (mixed_set, (3,), UnsupportedError, "s.add(\"x\")", "a set mixing numbers (int) and strings"),
    (str_lookup_in_int_dict, ("ab" * 200,), UnsupportedError, "d.get(text, 0)", "looking up strings in a dict of numbers"),
    (int_in_str_set, (3,), UnsupportedError, "return n in s", "looking up numbers (int) in a set of strings"),
    (str_items_sorted, ("a b",), UnsupportedError, "sorted(d.items())", "sorted() of the items of a dict(str, int)"),
    (mixed_values, ("ab" * 200,), UnsupportedError, "d[2] = 3", "a dict mixing strings and numbers"),
    (str_values_int_default, ("ab" * 200,), UnsupportedError, "d.get(2, 0)", "a dict mixing strings and numbers"),
    (sum_of_str_keys, ("a b",), TypingError, "return sum(d)", "can't sum strings"),
    (passed_twice, (3,), UnsupportedError, "return _two(d, d)", "passing the dict 'd' twice"),
    (complex_key, (1j,), UnsupportedError, "d[x] = 1", "dict keys of type complex are not supported"),
    (add_str_while_iterating, ("ab" * 200,), UnsupportedError, 's.add(x + "!")', "changing the set 's' while a for loop"),
    (add_while_iterating, (3,), UnsupportedError, "s.add(x + 10)", "changing the set 's' while a for loop"),
    (change_while_iterating, (1,), UnsupportedError, "d[k + n] = 0", "changing the dict 'd' while a for loop"),
    (pop_while_iterating, (1,), UnsupportedError, "d.pop(k)", "changing the dict 'd' while a for loop"),
    (get_without_default, (1,), UnsupportedError, "d.get(n)", "without a default"),
    (second_name, (1,), UnsupportedError, "e = d", "a second name for a dict"),
    (in_tuple, (1,), UnsupportedError, "return d, 1", "a tuple cannot hold a dict"),
    (captured, (1,), UnsupportedError, "add(n)", "uses the dict(int, int) 'd'"),
    (never_stored, (1,), TypingError, "d = {}", "cannot infer the types of the empty dict 'd'"),
    (set_subscript, (1,), TypingError, "return s[n]", "'set' object is not subscriptable"),
    (values_outside_loop, (1,), UnsupportedError, "v = d.values()", "only supported as the iterable"),
    (pop_in_comprehension, (3,), UnsupportedError, "d.pop(k)", "while a comprehension iterates over it"),
    (tuple_of_set, (3,), UnsupportedError, "return tuple(s)", "tuple() of a set is not supported"),
    (tuple_of_keys, ("ab",), UnsupportedError, "return tuple(d.keys())", "tuple() of a dict.keys() is not supported"),
    (tuple_of_list, (3,), UnsupportedError, "return tuple(xs)", "tuple() of a list is not supported"),
    (del_name, (3,), UnsupportedError, "del x", "del is only supported for dict items"),
    (array_values, (np.zeros(3),), UnsupportedError, "d = {1: x}", "a dict can hold numbers"),
]


@pytest.mark.parametrize("fn,args,exc,line,text", CASES, ids=[c[0].__name__ for c in CASES])
def test_refused(fn, args, exc, line, text):
    with pytest.raises(exc) as info:
        jit(fn)(*args)
    assert_positioned(str(info.value), fn, line, text)


def nan_key(x):
    d = {}
    d[x] = 1
    return len(d)


def test_nan_key_refused_at_run_time():
    # CPython keeps NaN keys apart by identity; compiled code has no identities and refuses them.
    f = jit(nan_key)
    assert f(1.5) == 1
    with pytest.raises(ValueError, match="NaN dict keys and set items are not supported"):
        f(float("nan"))


@pytest.mark.parametrize("fn,helper,line,text", [
    # The caller's dict holds ints; a float stored by the helper would be converted.
    (helper_widens_values, _store_float, "d[n] = 0.5",
     "the dict argument 'd' holds int values; storing a float in it is not supported"),
    # The caller's dict is written back from the parameter, which would name the new dict.
    (helper_rebinds, _rebind, "d = {n: n}", "rebinding the dict argument 'd'"),
    # The caller would hold the result as a second name for its dict.
    (returned, _ident, "return d", "returning the dict argument 'd' is not supported"),
], ids=["widens", "rebinds", "returns_argument"])
def test_helper_refused_in_the_helper(fn, helper, line, text):
    with pytest.raises(UnsupportedError) as info:
        jit(fn)(3)
    assert_positioned(str(info.value), helper, line, text)


def dict_argument(d):
    return len(d)


@pytest.mark.parametrize("arg,text", [
    ({}, "an empty dict"),
    (set(), "an empty set"),
    ({1: 2, "a": 3}, "keys are"),
    ({1: 2, 2: 2.5}, "values are"),
    ({(1, 2): 3}, "keys are"),
    ({1: [1]}, "values are"),
    ({float("nan"): 1}, "NaN key"),
    ({2**70: 1}, None),
], ids=["empty", "empty_set", "mixed_keys", "mixed_values", "tuple_keys", "list_values", "nan", "big_int"])
def test_dict_arguments_refused_at_the_call(arg, text):
    # What compiled dicts cannot hold is a TypeError naming the argument, never a silent copy.
    with pytest.raises((TypeError, OverflowError)) as info:
        jit(dict_argument)(arg)
    if text is not None:
        assert "argument 1" in str(info.value) and text in str(info.value), str(info.value)
