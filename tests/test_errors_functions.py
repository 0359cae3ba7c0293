"""Compile-time errors of generator functions, *args and keyword-only parameters: what stays
unsupported stops compilation with a positioned error (file:line:col, the line quoted, a caret).
"""

import inspect
import re

import pytest
import sejit
from conftest import needs_engine
from sejit import jit


def _assert_points_at(message, fn, where):
    """The message starts with this file's line:col of ``where`` (text identifying the line, text
    at the column) in fn, quotes that line and puts a caret under it."""
    line_text, col_text = where
    lines, first = inspect.getsourcelines(fn)
    k = next(k for k, text in enumerate(lines) if line_text in text)
    source = lines[k].rstrip("\n")
    col = lines[k].index(col_text, lines[k].index(line_text)) + 1
    prefix = f"{__file__}:{first + k}:{col}:"
    assert message.startswith(prefix), f"expected the message to start with {prefix!r}:\n{message}"
    out = message.splitlines()
    carets = [i for i, text in enumerate(out) if re.fullmatch(r"\s*\^[\^~]*\s*", text)]
    assert carets, f"no caret line in:\n{message}"
    quoted = out[carets[0] - 1]
    assert source.strip() in quoted, f"the offending line is not quoted:\n{message}"


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


@needs_engine
@pytest.mark.parametrize(
    "fn, src, where, args, words",
    [
        pytest.param(
            stores_generator, stores_generator, ("g = _squares", "_squares"), (3,), "can only be iterated", id="stored"
        ),
        pytest.param(
            generator_in_genexpr, generator_in_genexpr, ("sum(v + 1", "_squares"), (3,), "can only be iterated", id="genexpr"
        ),
        pytest.param(sends_to_generator, _echo, ("got = yield", "yield"), (3,), "send", id="send"),
        pytest.param(yield_from, _delegates, ("yield from", "yield from"), (3,), "yield from", id="yield-from"),
        pytest.param(
            recursive_generator, _recursive, ("for v in _recursive(n - 1)", "_recursive"), (3,), "recursion", id="recursive"
        ),
        pytest.param(
            nested_generator_passed, nested_generator_passed, ("_count(evens", "evens"), (3,), "can only be iterated", id="passed"
        ),
    ],
)
def test_unsupported_is_positioned(fn, src, where, args, words):
    """src is the function whose source the error points into (a generator's own, for what
    makes it impossible to inline)."""
    with pytest.raises((sejit.UnsupportedError, sejit.TypingError)) as info:
        jit(fn)(*args)
    msg = str(info.value)
    assert words in msg, msg
    _assert_points_at(msg, src, where)
