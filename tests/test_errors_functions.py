"""Compile-time errors of generator functions, *args and keyword-only parameters: what stays
unsupported stops compilation with a positioned error (file:line:col, the line quoted, a caret).
"""


import numpy as np
import pytest
import sejit
from conftest import assert_points_at, needs_engine
from sejit import jit


def _squares(n):
    for i in range(n):
        yield i * i


def _echo(n):
    for i in range(n):
        got = yield i
        n += got


def _delegates(n):
    yield from _squares(n)


def _recursive(n):
    yield n
    for v in _recursive(n - 1):
        yield v


def stores_generator(n):
    g = _squares(n)
    s = 0
    for v in g:
        s += v
    return s


def generator_in_genexpr(n):
    return sum(v + 1 for v in _squares(n))


def conditional_sum_of_generator(n):
    return sum(_squares(n)) if n > 2 else 0


def sends_to_generator(n):
    s = 0
    for v in _echo(n):
        s += v
    return s


def yield_from(n):
    s = 0
    for v in _delegates(n):
        s += v
    return s


def recursive_generator(n):
    s = 0
    for v in _recursive(n):
        s += v
    return s


def nested_generator_passed(n):
    def evens(m):
        for i in range(0, m, 2):
            yield i

    return _count(evens(n))


def _count(it):
    return 0


def _abc(a, b, c=1):
    return a + b + c


def _needs_scale(x, *, scale):
    return x * scale


def _gen_varargs(*items):
    for v in items:
        yield v


def star_of_array(x):
    return _abc(*x)


def star_in_builtin(x):
    t = (x, 2.0)
    return max(*t)


def loops_over_array_args(*xs):
    s = 0.0
    for x in xs:
        s += x.sum()
    return s


def missing_keyword_only(x):
    return _needs_scale(x)


def _make_outer_writer():
    total = 0

    def writes_python_closure(x):
        nonlocal total
        total += x
        return total

    return writes_python_closure


writes_python_closure = _make_outer_writer()


def nonlocal_tuple(x):
    pair = (x, x)

    def swap():
        nonlocal pair
        pair = (pair[1], pair[0])

    swap()
    return pair


class _Box:
    def __init__(self):
        self.count = 0
        self.data = np.zeros(2)


def attribute_changes_type(b):
    # A float on one path, the int from before on the other: they meet at the read.
    if b.data[0] > 0:
        b.count = 1.5
    return b.count


def rebinds_array(b):
    b.data = b.data * 2
    return b.count


def attribute_new(b):
    b.other = 1
    return b.count


def generator_with_varargs(n):
    s = 0
    for v in _gen_varargs(n, 1):
        s += v
    return s


# (kernel, the function whose source the error points into, (text identifying the line, text
# at the column), arguments, words of the message); the source is the generator's own for what
# makes a generator impossible to inline.
def _evens(n):
    for i in range(n):
        yield i * 2


def break_in_try_over_generator(n):
    s = 0
    for v in _evens(n):
        try:
            if v > 6:
                break
            s += v
        except ValueError:
            s -= 1
    return s


UNSUPPORTED = {
    "stored": (stores_generator, None, ("g = _squares", "_squares"), (3,), "can only be iterated"),
    "genexpr": (
        generator_in_genexpr, None, ("sum(v + 1", "_squares"), (3,), "can only be iterated"
    ),
    "conditional-sum": (
        conditional_sum_of_generator,
        None,
        ("return sum(_squares", "_squares"),
        (3,),
        "can only be iterated",
    ),
    "send": (sends_to_generator, _echo, ("got = yield", "yield"), (3,), "send"),
    "yield-from": (yield_from, _delegates, ("yield from", "yield from"), (3,), "yield from"),
    "recursive": (
        recursive_generator, _recursive, ("for v in _recursive", "_recursive"), (3,), "recursion"
    ),
    "passed": (
        nested_generator_passed, None, ("_count(evens", "evens"), (3,), "can only be iterated"
    ),
    "generator-varargs": (
        generator_with_varargs, _gen_varargs, ("def _gen_varargs", "items"), (2,), "*args"
    ),
    "star-array": (star_of_array, None, ("_abc(*x)", "*x"), (np.zeros(2),), "needs a tuple"),
    "star-builtin": (
        star_in_builtin, None, ("max(*t)", "*t"), (1.0,), "calls of compiled functions"
    ),
    "varargs-of-mixed-ranks-loop": (
        loops_over_array_args,
        None,
        ("for x in xs", "xs"),
        (np.zeros(2), np.ones((2, 2))),
        "tuples of arrays of one dtype and rank",
    ),
    "nonlocal-python-closure": (
        writes_python_closure,
        None,
        ("nonlocal total", "nonlocal"),
        (1,),
        "outside the compiled function",
    ),
    "nonlocal-tuple": (
        nonlocal_tuple, None, ("pair = (x, x)", "pair"), (1.0,), "must hold a number"
    ),
    "attribute-type-change": (
        attribute_changes_type, None, ("b.count = 1.5", "b.count"), (_Box(),), "would change type"
    ),
    "attribute-array-rebound": (
        rebinds_array,
        None,
        ("b.data = b.data * 2", "b.data ="),
        (_Box(),),
        "write into the array",
    ),
    "attribute-new": (
        attribute_new, None, ("b.other = 1", "b.other"), (_Box(),), "no numeric attribute"
    ),
    "break-in-try-over-generator": (
        break_in_try_over_generator, None, ("                break", "break"), (10,), "inside this block of a loop over a generator"
    ),
    "missing-keyword-only": (
        missing_keyword_only,
        None,
        ("_needs_scale(x)", "_needs_scale"),
        (1.0,),
        "missing 1 required keyword-only argument(s): 'scale'",
    ),
}


@needs_engine
@pytest.mark.parametrize(
    "fn, src, where, args, words", UNSUPPORTED.values(), ids=UNSUPPORTED.keys()
)
def test_unsupported_is_positioned(fn, src, where, args, words):
    with pytest.raises((sejit.UnsupportedError, sejit.TypingError)) as info:
        jit(fn)(*args)
    msg = str(info.value)
    assert words in msg, msg
    assert_points_at(msg, src or fn, where)
