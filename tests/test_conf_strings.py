"""Strings as compile-time values (issue 14): constant-string variables, folded `+`, comparisons,
`in`, `len`, indexing and loops over characters; `%`-formatting, `.format` and `str(x)` in
print() and raise messages (formatted by Python through the print hook); str arguments, a
specialization per distinct string, so `mode == "linear"` is decided when compiling.

Output tests compare stdout in CPython and through jit exactly (capsys); the conformance cases
register the features of docs/supported.md.
"""

import copy
import re

import numpy as np
import pytest
from conformance import Cases
from conftest import assert_positioned, jitted, needs_engine

import sejit

cases = Cases(__name__)

SEP = " | "


def outputs(capsys, fn, *args):
    got = []
    for run in (fn, jitted(fn)):
        a = copy.deepcopy(args)
        print("before")
        r = run(*a)
        print("after", r)
        got.append(capsys.readouterr().out)
    return got


# --------------------------------------------------------------------------- conformance


@cases.add("py.str-constants", (3,), (-2,))
def conf_str_constants(n):
    s = "ab"
    t = s + "cd" + "é"
    r = 0
    if t == "abcdé":
        r += 1
    if t != "abcd":
        r += 2
    if "cd" in t and "x" not in t:
        r += 4
    r += len(t) * 10 + len("")
    if t[1] == "b" and t[-1] == "é" and t[1:3] == "bc" and t[::-1] == "édcba":
        r += 100
    if s * 2 == "abab" and s < "b" and t.startswith("ab") and "AB".lower() == s:
        r += 1000
    return r * n


@cases.add("py.str-constants", (2,))
def conf_str_iterate(n):
    total = 0
    for c in "hello":
        if c in "aeiou":
            total += n
        elif c == "l":
            total += 10
    return total


@cases.add("py.str-constants", (3,))
def conf_str_iterate_store(n):
    # The loop variable read inside a store's subscript is not rebound by it.
    out = np.zeros(4, dtype=np.int64)
    for c in "abcab":
        out[0 if c == "a" else 2] += n
        out[3 if c == "b" else 1] = len(c + c)
    return out


@cases.add("py.str-constants", (1.5,))
def conf_str_branch(x):
    kind = "square"
    if kind == "cube":
        return x * x * x
    return x * x if kind == "square" else -x


@cases.add("py.str-format", (3, 2.5), (-7, 1e-3))
def conf_str_format_print(n, x):
    print("n=%d x=%.3f %5.1f%% %s %r" % (n, x, x, n, x))
    print("{} {:.3f} {!r} {{}}".format(n, x, x))
    print("{1}-{0:>4}".format(n, x), "{a}/{b:+d}".format(a=x, b=n))
    print("v=" + str(n) + SEP + str(x), str(n * x))
    return n


@cases.add("py.str-format", (5, 1.0), raises=ValueError, match=True)
def conf_str_format_raise(n, x):
    if n > 2:
        raise ValueError("bad n=%d (x=%.2f)" % (n, x))
    return n


@cases.add("py.str-format", (5,), raises=ValueError, match=True)
def conf_str_format_raise2(n):
    if n > 2:
        raise ValueError("bad n={:03d}: ".format(n) + str(n * 0.5))
    return n


def interp(x, mode="linear"):
    if mode == "linear":
        return x * 2.0
    elif mode in ("cubic", "quad"):
        return x**3
    return x - 1.0


@cases.add("py.str-args", (1.5,), (2.0, "linear"), (2.0, "cubic"), (2.0, "other"))
def conf_str_args(x, mode="linear"):
    if mode == "linear":
        return x * 2.0
    elif mode in ("cubic", "quad"):
        return x**3
    return x - 1.0


@cases.add("py.str-args", (3, "abc"), (3, "xyz"))
def conf_str_arg_text(n, name):
    print("name=" + name, len(name), name[0])
    if name.startswith("a"):
        return n + len(name)
    return -n


DTYPE = "float32"


@cases.add("py.str-args", (3, "int16"), (2, "float32"))
def conf_str_arg_dtype(n, dt):
    # A dtype named by a str argument or a module-level string is a constant dtype.
    return np.ones(n, dtype=dt).sum() + np.zeros(n, dtype=DTYPE).sum()


# --------------------------------------------------------------------------- run-time strings

LONG = " ".join(f"w{k % 97}x{k % 7}" for k in range(120))  # 700+ characters: never a constant
NUMS = ",".join(repr(round(k * 0.37 - 20.0, 3)) for k in range(90))
UNI = "héllo wörld ∂x 𝔘nicode"  # 1-, 2- and 4-byte code points


@cases.add("py.strings", (LONG,), ("",), ("  a  b\tc\nd  ",), (UNI,))
def conf_rs_split_lens(text):
    out = []
    for word in text.split():
        out.append(len(word))
    return len(text), len(text.split()), sum(out)


@cases.add("py.strings", (NUMS,), ("1.5",), ("-0.0,1e5,  2.5 ,3",), ("7,8,inf,-nan,1_000.5",),
           ("+.5,5.,-0,1E-3,\t4\n,١٢.5,1e400,-1e-400,Infinity,nAn,0.1",),
           ("123456789012345678901234567890,2.2250738585072011e-308,4.9e-324",))
def conf_rs_parse_floats(line):
    values = [float(s) for s in line.split(",")]
    return np.array(values)


@cases.add("py.strings", ("12,-3, +40 ,0",), ("9" * 18,), ("-9223372036854775808,1",), ("٣,4",), ("1_000, 2",))
def conf_rs_parse_ints(line):
    total = 0
    for s in line.split(","):
        total += int(s)
    return total


def conf_rs_float_error(s):
    return float(s)


def conf_rs_int_error(s):
    return int(s)


for _s in ("abc", " 1.5x", "", "1,2"):
    cases.add("py.strings", (_s,), raises=ValueError, match=True)(conf_rs_float_error)
for _s in ("abc", "1.5", "", "٣x"):
    cases.add("py.strings", (_s,), raises=ValueError, match=True)(conf_rs_int_error)


@cases.add("py.strings", (LONG, 0), (LONG, -1), (UNI, 7), (UNI, -3), ("é", 0))
def conf_rs_index(s, i):
    c = s[i]
    return c, ord(c), len(c), s[i:], s[:i], s[i:i + 3], s[-4:-1]


@cases.add("py.strings", ("abc", 3), ("abc", -4), ("", 0), raises=IndexError, match=True)
def conf_rs_index_error(s, i):
    return s[i]


@cases.add("py.strings", (UNI,), (LONG,), ("aaa",), ("",))
def conf_rs_iterate(s):
    vowels = 0
    last = ""
    for c in s:
        if c in "aeiouéö":
            vowels += 1
        last = c
    return vowels, last, last == s[-1:] if s else True


@cases.add("py.strings", ("abc", "abc"), ("abc", "abd"), ("ab", "abc"), ("", ""), (UNI, UNI[:-1] + "U"))
def conf_rs_compare(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b, a in b, b not in a


@cases.add("py.strings", ("abc", "def"), (LONG, UNI), ("", ""))
def conf_rs_concat(a, b):
    c = a + "-" + b
    return c, len(c), c * 2, 3 * a, a * 0, a * -1


@cases.add("py.strings", ("  padded\t\n",), ("xxhixx",), ("",), ("\u3000wide\u00a0",), ("   ",))
def conf_rs_strip(s):
    return s.strip(), s.lstrip(), s.rstrip(), s.strip("x"), s.lstrip("x "), s.rstrip("\n\tx"), s.strip(None)


@cases.add("py.strings", ("Hello World", "Hel"), ("Hello", "lo"), ("", ""), (UNI, "héllo"))
def conf_rs_startswith(s, p):
    return s.startswith(p), s.endswith(p), s.startswith(""), s.endswith("d")


@cases.add("py.strings", ("banana", "an"), ("banana", ""), ("aaaa", "aa"), (UNI, "o"), ("", "x"))
def conf_rs_find_count(s, sub):
    return (s.find(sub), s.rfind(sub), s.count(sub), s.find(sub, 2), s.find(sub, -3),
            s.count(sub, 1, -1), s.rfind(sub, 0, 4), s.find(sub, 10, 2), s.count(sub, 7))


@cases.add("py.strings", ("banana", "an", "AN"), ("banana", "", "-"), ("aaa", "a", ""), (UNI, "o", "0"))
def conf_rs_replace(s, old, new):
    return s.replace(old, new), s.replace(old, new, 1), s.replace(old, new, 0), s.replace(old, new, -1)


@cases.add("py.strings", ("Hello World 42",), (UNI,), ("ß straße ǅ",), ("",))
def conf_rs_case(s):
    return s.lower(), s.upper(), s.upper().lower() == s.lower()


@cases.add("py.strings", ("12345",), ("abcXYZ",), (" \t\n",), ("",), ("٣٤",), ("²",), ("héllo",), ("a1",))
def conf_rs_classes(s):
    return s.isdigit(), s.isalpha(), s.isspace()


@cases.add("py.strings", ("a,b,,c", ","), ("a--b--c", "--"), ("abc", "x"), ("", ","), (UNI, "o"))
def conf_rs_split_sep(s, sep):
    parts = s.split(sep)
    first = s.split(sep, 1)
    return parts, len(parts), parts[0], parts[-1], first, s.split(sep, maxsplit=0)


@cases.add("py.strings", ("  one two  three  ",), ("",), ("a",), (LONG,))
def conf_rs_split_maxsplit(s):
    return s.split(None, 1), s.split(maxsplit=2), s.split()


@cases.add("py.strings", ("a b c", "-"), ("", "+"), (UNI, ", "))
def conf_rs_join(s, sep):
    words = s.split()
    return sep.join(words), "".join(words), sep.join([w.upper() for w in words])


@cases.add("py.strings", (65,), (233,), (0x1D518,), (48,))
def conf_rs_chr_ord(n):
    c = chr(n)
    return c, ord(c), chr(n + 1) + c, len(chr(n) * 3)


@cases.add("py.strings", (-1,), (0x110000,), raises=ValueError, match=True)
def conf_rs_chr_error(n):
    return chr(n)


@cases.add("py.strings", ("ab",), ("",), raises=TypeError, match=True)
def conf_rs_ord_error(s):
    return ord(s)


@cases.add("py.strings", ("the quick brown fox jumps over the lazy dog the end",))
def conf_rs_word_list(text):
    long_words = []
    for w in text.split():
        if len(w) > 3:
            long_words.append(w)
    n_the = 0
    for w in text.split():
        if w == "the":
            n_the += 1
    return long_words, len(long_words), long_words[1], "jumps" in long_words, "cat" in long_words, n_the


@cases.add("py.strings", ("x=1;y=22;zz=333",), ("k=7",))
def conf_rs_key_values(text):
    keys = [kv.split("=")[0] for kv in text.split(";")]
    total = 0
    for kv in text.split(";"):
        total += int(kv.split("=")[1])
    return keys, total, ";".join(keys)


@cases.add("py.strings", ("abc", 2.0), ("", 1.0))
def conf_rs_truth_and_return(s, x):
    t = s
    if s:
        t = s + "!"
    if not s:
        t = "empty"
    return t, x * len(t)


@cases.add("py.strings", ("", True), ("abc", False), ("abc", True))
def conf_rs_boolop_ifexp(s, c):
    t = s or "default"
    u = s if c else "other"
    v = s and "nonempty"
    return t, u, v


@cases.add("py.strings", ("abcd" * 20000,), ("",), ("é𝔘a" * 5000,))
def conf_rs_accumulate(s):
    # Concatenation in a loop: in place or as a view where it can (the prelude's str_concat).
    out = ""
    keep = ""
    kept = 0
    for c in s:
        if c != "a":
            out += c + "-"
        if c == "b":
            keep = out
            kept += len(keep)
    rev = ""
    for c in s[:300]:
        rev = c + rev
    return out, keep, kept, rev, out * 0 + "x" * 3


@cases.add("py.strings", ("abcd",), ("",), ("xé",))
def conf_rs_rebind_in_loop(s):
    out = ""
    for c in s:
        s = s + c.upper()
        out = out + c
    return out, s


@cases.add("py.strings", ("abcd",), ("",))
def conf_rs_rebind(s):
    n = 0
    while s:
        s = s[1:]
        n += 1
    return n, s


@cases.add("py.strings", (7, 2.5, "héllo"), (-12, 1e-7, "x" * 300), (0, -0.0, ""))
def conf_rs_format_values(n, x, name):
    a = str(n) + "|" + str(x)
    b = f"{name}-{n:03d}-{x:.2f}-{np.float32(x)}-{x!r}"
    c = "%5.1f%%" % x
    d = "{}/{!r}".format(n, name)
    labels = [f"item{i}" for i in range(3)]
    return a, b, c, d, labels, len(a) + len(b), ",".join(labels)


@cases.add("py.strings", ("3 apples and 12 pears, 7 figs",))
def conf_rs_digits_sum(text):
    total = 0
    for w in text.replace(",", " ").split():
        if w.isdigit():
            total += int(w)
    return total, str(total) + " in all"


@cases.add("py.strings", ("pear apple fig apple banana",), ("b a",), ("é z ä a",))
def conf_rs_list_ops(text):
    words = text.split()
    s = sorted(words)
    c = words.copy()
    c.append("zzz")
    words.sort()
    first = words[0]
    words.reverse()
    last = words.pop()
    words[0] = words[0] + "!"
    words[-1] += "?"
    n_apple = s.count("apple")
    at = s.index(s[-1])
    return s, c, words, first, last, min(c), max(c), n_apple, at, len(words)


@cases.add("py.strings", ("a b",), raises=ValueError, match=True)
def conf_rs_list_index_missing(text):
    return text.split().index("zz")


@cases.add("py.strings", ("",), raises=ValueError, match=True)
def conf_rs_list_min_empty(text):
    return min(text.split())


@cases.add("py.strings", ("",), raises=IndexError, match=True)
def conf_rs_list_pop_empty(text):
    words = text.split()
    return words.pop()


def mutate_words(words, extra):
    n = 0
    for w in words:
        n += len(w)
    words.append(extra.upper())
    words[0] = words[0] + "!"
    words.sort()
    return n, words[-1], " ".join(words), words


@cases.add("py.strings", (["pear", "é", "apple"], "zz"), (["x"], ""), (["𝔘", "b" * 300], "q"))
def conf_rs_list_arg(words, extra):
    n = 0
    for w in words:
        n += len(w)
    words.append(extra.upper())
    words[0] = words[0] + "!"
    words.sort()
    return n, words[-1], " ".join(words), words


@cases.add("py.strings", ("racecar",), ("hello",), ("",), ("abba",))
def conf_rs_palindrome(s):
    n = len(s)
    for i in range(n // 2):
        if s[i] != s[n - 1 - i]:
            return False
    return True


@cases.add("py.strings", ("hello", "linear"), ("wörld", "cubic"))
def conf_rs_print(s, mode):
    print(s, s.upper(), len(s))
    print(f"[{s}] {s!r} {mode}")
    return len(s)


def vowel_count(s):
    return s.count("a") + s.count("e")


def calls_helper(s):
    return vowel_count(s) + len(s)


@cases.add("py.strings", (LONG,), ("aeae",))
def conf_rs_helper(s):
    return calls_helper(s)


test_conformance = cases.test()


# --------------------------------------------------------------------------- output


@needs_engine
def test_format_output(capsys):
    py, jt = outputs(capsys, conf_str_format_print, 3, 2.5)
    assert jt == py
    assert "n=3 x=2.500" in py


@needs_engine
def test_str_arg_output(capsys):
    py, jt = outputs(capsys, conf_str_arg_text, 3, "abc")
    assert jt == py


@needs_engine
def test_str_arg_specializations():
    f = sejit.jit(interp)
    a = np.arange(3.0)
    np.testing.assert_array_equal(f(a), a * 2.0)
    np.testing.assert_array_equal(f(a, "cubic"), a**3)
    np.testing.assert_array_equal(f(a, mode="quad"), a**3)
    np.testing.assert_array_equal(f(a, "linear"), a * 2.0)


@needs_engine
def test_long_str_arg_is_a_runtime_string():
    # Longer than the constants' limit: compiled once as a run-time string, for any text.
    f = sejit.jit(interp)
    for mode in ("x" * 300, "linear" + " " * 300, "y" * 400):
        assert f(1.5, mode) == interp(1.5, mode)
    assert len([s for s in f.signatures if "str" in s]) == 1


@needs_engine
def test_str_arg_reassigned():
    # A constant cannot be assigned: the argument becomes a run-time string.
    def g(x, mode):
        if x > 0:
            mode = "b"
        return x + len(mode)

    f = sejit.jit(g)
    assert f(1.0, "aaa") == g(1.0, "aaa")
    assert f(-1.0, "aaa") == g(-1.0, "aaa")


@needs_engine
def test_format_errors_are_positioned():
    def g(n):
        print("{} {}".format(n))
        return n

    with pytest.raises(Exception, match=r"out of range for positional args tuple"):
        sejit.jit(g)(1)


@needs_engine
def test_str_passed_to_a_helper():
    # Passed on, the argument is read as a value: the call compiles it as a run-time string.
    def helper(x, mode):
        return x + len(mode) + mode.count("a")

    def g(x, mode):
        return helper(x, mode)

    assert sejit.jit(g)(1.0, "aba") == g(1.0, "aba")


# --------------------------------------------------------------------------- run-time string errors


def _zfill(s):
    return s.zfill(8)


def _insert_word(s):
    words = s.split()
    words.insert(0, s)
    return len(words)


def _step_slice(s):
    return s[::2]


def _add_number(s):
    return s + 1


def _join_numbers(s):
    return s.join([1, 2])


@needs_engine
@pytest.mark.parametrize("fn, line, exc, what", [
    (_zfill, "s.zfill(8)", sejit.UnsupportedError, "the str method 'zfill' is not supported"),
    (_insert_word, "words.insert(0, s)", sejit.UnsupportedError, "list.insert() of a list of strings"),
    (_step_slice, "s[::2]", sejit.UnsupportedError, "slices of strings with a step"),
    (_add_number, "s + 1", TypeError, "unsupported operand types for +: str and int"),
    (_join_numbers, "s.join([1, 2])", TypeError, "str.join() takes a list of strings"),
])
def test_runtime_str_errors_are_positioned(fn, line, exc, what):
    # The text is long, so the argument is a run-time string from the start.
    with pytest.raises(exc, match=re.escape(what)) as info:
        sejit.jit(fn)("x" * 300)
    assert_positioned(str(info.value), fn, line, line)


@needs_engine
def test_short_str_becomes_runtime_once():
    # A short str argument that cannot fold is compiled once as a run-time string; later
    # distinct strings reuse that specialization.
    def count_words(text):
        return len(text.split())

    f = sejit.jit(count_words)
    for text in ("a b", "c d e", "", "  x  "):
        assert f(text) == count_words(text)
    assert len(f.signatures) == 1, f.signatures


@needs_engine
def test_returned_strings_are_python_strs():
    def parts(text):
        return text.split(","), text.upper()

    got = sejit.jit(parts)("é,b," + "c" * 300)
    assert got == parts("é,b," + "c" * 300)
    assert all(type(s) is str for s in got[0])


def print_runtime_str(s):
    print("x=%s|%5s" % (s, s))
    print("{}-{!r}".format(s, s))
    print(f"{s:>10}|{s!r}", str(s), s[0], len(s.split()))
    return len(s)


def raise_runtime_str(s):
    if len(s) > 3:
        raise ValueError(f"too long: {s[:5]!r} ({len(s)})")
    return 0


@needs_engine
@pytest.mark.parametrize("text", ["héllo wörld", "y" * 300 + " z"])
def test_runtime_str_print_output(capsys, text):
    py, jt = outputs(capsys, print_runtime_str, text)
    assert jt == py


@needs_engine
def test_runtime_str_raise_message():
    text = "abcdef" * 60
    with pytest.raises(ValueError) as want:
        raise_runtime_str(text)
    with pytest.raises(ValueError) as got:
        sejit.jit(raise_runtime_str)(text)
    assert str(got.value) == str(want.value)


@needs_engine
def test_list_of_strings_argument_is_reflected():
    want, got = ["pear", "é", "apple"], ["pear", "é", "apple"]
    r1 = mutate_words(want, "zz")
    r2 = sejit.jit(mutate_words)(got, "zz")
    assert r1 == r2
    assert got == want  # the caller's list holds the compiled function's changes
