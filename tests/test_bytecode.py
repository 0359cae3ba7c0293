"""Functions without source: typed at the prompt, exec'd from a string, lambdas made by eval.

CPython keeps no text for these, so sejit rebuilds the tree from the code object
(internal/bytecode). Every program here is exec'd from a string with no linecache entry,
compiled, and compared with CPython on copies of the same arguments (conftest.check).
"""

import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import check, needs_engine

import sejit

pytestmark = needs_engine


def no_source(src, name=None, filename="<string>", **extra):
    """The function src defines, exec'd from a string that inspect cannot read back."""
    ns = {"np": np, "math": math, **extra}
    exec(compile(textwrap.dedent(src), filename, "exec"), ns)
    funcs = [v for k, v in ns.items() if callable(v) and getattr(v, "__code__", None)
             and v.__code__.co_filename == filename]
    func = ns[name] if name else funcs[0]
    import inspect

    with pytest.raises(OSError):
        inspect.getsource(func)  # the case this file is about
    return func


def arr(n=7, seed=0):
    return np.random.default_rng(seed).standard_normal(n)


def mat(n=4, m=5, seed=1):
    return np.random.default_rng(seed).standard_normal((n, m))


def ints(n=8, seed=2):
    return np.random.default_rng(seed).integers(-9, 10, n)


PROGRAMS = [
    ("add", "def f(a, b):\n    return a + b\n", lambda: (1.5, 2)),
    ("add_arrays", "def f(a, b):\n    return a + b\n", lambda: (arr(), arr(seed=3))),
    ("poly", "def f(x):\n    return x * x + 2.0 * x - 1.0\n", lambda: (arr(),)),
    ("hope_poly", """
        def f(x, y, a):
            x1 = x - a
            y[:] = x1 + x1 * x1
        """, lambda: (arr(), np.empty(7), 3.141)),
    ("sum_loop", """
        def f(a):
            s = 0.0
            for i in range(a.shape[0]):
                s += a[i]
            return s
        """, lambda: (arr(),)),
    ("range_step", """
        def f(a, n):
            s = 0.0
            for i in range(1, n, 2):
                s = s + a[i] * i
            return s
        """, lambda: (arr(), 7)),
    ("while_counter", """
        def f(n):
            i = 0
            s = 0
            while i < n:
                i += 1
                if i == 3:
                    continue
                s += i * i
            return s
        """, lambda: (10,)),
    ("while_true_break", """
        def f(n):
            k = 0
            while True:
                n = n // 2
                k += 1
                if n <= 1:
                    break
            return k
        """, lambda: (1000,)),
    ("break_continue", """
        def f(a):
            s = 0.0
            for i in range(a.shape[0]):
                if a[i] < -1.0:
                    break
                if a[i] < 0:
                    continue
                s += a[i]
            return s
        """, lambda: (arr(20),)),
    ("first_negative", """
        def f(a):
            for i in range(a.shape[0]):
                if a[i] < 0:
                    return i
            return -1
        """, lambda: (arr(),)),
    ("classify", """
        def f(x):
            if x > 1.0:
                r = 2
            elif x > 0.0:
                r = 1
            elif x == 0.0:
                r = 0
            else:
                r = -1
            return r
        """, lambda: (-0.5,)),
    ("classify_pos", "def f(x):\n    if x > 0:\n        return 1\n    elif x < 0:\n        return -1\n    return 0\n",
     lambda: (3.0,)),
    ("nested_loops", """
        def f(a):
            t = 0.0
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    if a[i, j] > 0:
                        t += a[i, j]
                    else:
                        t -= 1.0
            return t
        """, lambda: (mat(),)),
    ("matmul_loops", """
        def f(a, b, c):
            n, k = a.shape
            m = b.shape[1]
            for i in range(n):
                for j in range(m):
                    s = 0.0
                    for p in range(k):
                        s += a[i, p] * b[p, j]
                    c[i, j] = s
        """, lambda: (mat(3, 4), mat(4, 2, seed=5), np.zeros((3, 2)))),
    ("inplace_index", """
        def f(a, b):
            for i in range(a.shape[0]):
                a[i] += b[i]
                a[i] *= 2.0
        """, lambda: (arr(), arr(seed=4))),
    ("aug_ops", """
        def f(n, m):
            x = n
            x -= 3
            x *= m
            x //= 2
            x %= 7
            y = float(x)
            y /= 4.0
            return x, y
        """, lambda: (37, 5)),
    ("bool_conditions", """
        def f(a, b, c):
            if a > 0 and b > 0 or c > 0:
                return 1
            if not (a > 1) and (b < 2 or c < 3):
                return 2
            return 3
        """, lambda: (-1.0, 5.0, 0.5)),
    ("bool_values", """
        def f(a, b, c):
            x = a and b
            y = a or b or c
            z = a and b and c
            return x + y + z
        """, lambda: (2, 0, 5)),
    ("conditional_expr", """
        def f(a, b):
            x = a if a > b else b
            return x * 2 if x > 1 else -1
        """, lambda: (0.5, 3.0)),
    ("not_test", """
        def f(a):
            c = 0
            for i in range(a.shape[0]):
                if not a[i] > 0:
                    c += 1
            return c
        """, lambda: (arr(15),)),
    ("slices", """
        def f(a, b):
            n = b.shape[0]
            a[1:n - 1] = b[:n - 2] + b[2:]
            return a[::2].sum()
        """, lambda: (np.zeros(9), arr(9))),
    ("slices_2d", """
        def f(a):
            a[:, 0] = a[:, 1] * 2.0
            return a[1:3, ::2].copy()
        """, lambda: (mat(),)),
    ("negative_index", "def f(a):\n    return a[-1] - a[-2] + a[0]\n", lambda: (arr(),)),
    ("swap_unpack", """
        def f(a, b):
            x, y = a, b
            x, y = y, x
            p, q = a.shape
            return x - y, p * q
        """, lambda: (mat(2, 3), mat(2, 3, seed=7))),
    ("three_swap", """
        def f(a, b, c):
            a, b, c = c, a, b
            return a * 100 + b * 10 + c
        """, lambda: (1, 2, 3)),
    ("zeros_dtype", """
        def f(n):
            b = np.zeros((n, 3), dtype=np.float64)
            for i in range(n):
                b[i, 1] = i
            return b
        """, lambda: (4,)),
    ("sum_axis", "def f(a):\n    return np.sum(a, axis=0) + a.sum()\n", lambda: (mat(),)),
    ("math_calls", """
        def f(x):
            return math.sqrt(abs(x)) + math.exp(-x * x) + max(x, 0.5) - min(x, 2.0)
        """, lambda: (1.7,)),
    ("inner_lambda", """
        def f(a, k):
            g = lambda v: v * k + 1.0
            return g(a)
        """, lambda: (arr(), 3.0)),
    ("conversions", """
        def f(x, n):
            i = int(x * 10.0)
            return i + n, float(n) / 3.0
        """, lambda: (2.75, 4)),
    ("defaults", "def f(a, b=2.0, c=3):\n    return a * b + c\n", lambda: (1.5,)),
    ("assert_ok", """
        def f(x):
            assert x > 0
            assert x < 10, "too big"
            return x * 2
        """, lambda: (3.0,)),
    ("chained_assign", """
        def f(n):
            a = b = 0
            for i in range(n):
                a += i
                b -= i
            return a, b
        """, lambda: (6,)),
    ("list_append", """
        def f(n):
            xs = [1, 2, 3]
            ys = [0]
            for i in range(n):
                ys.append(i * 2)
            return xs[1] + ys[-1] + len(ys)
        """, lambda: (5,)),
    ("compare_ops", """
        def f(a, t):
            c = 0
            for i in range(a.shape[0]):
                if a[i] != t and a[i] >= -t:
                    c += 1
                elif a[i] == t:
                    c += 100
            return c
        """, lambda: (ints(), 3)),
    ("power_unary", "def f(x, n):\n    return -x ** 2 + (-x) ** n + ~n\n", lambda: (1.5, 3)),
    ("bitwise", "def f(a, b):\n    return (a & b) | (a ^ b) << 2 >> 1\n", lambda: (12, 10)),
    ("nested_if_return", """
        def f(x, y):
            if x > 0:
                if y > 0:
                    return 1
                else:
                    return 2
            else:
                if y > 0:
                    return 3
            return 4
        """, lambda: (-1.0, -2.0)),
    ("while_and", """
        def f(a):
            i = 0
            while i < a.shape[0] and a[i] > -1.5:
                i += 1
            return i
        """, lambda: (arr(30),)),
    ("prefix_sum", """
        def f(a):
            for i in range(1, a.shape[0]):
                a[i] = a[i] + a[i - 1]
        """, lambda: (arr(),)),
    ("stencil", """
        def f(u, v):
            n = u.shape[0]
            for i in range(1, n - 1):
                v[i] = 0.25 * u[i - 1] + 0.5 * u[i] + 0.25 * u[i + 1]
            v[0] = u[0]
            v[n - 1] = u[n - 1]
        """, lambda: (arr(12), np.empty(12))),
    ("count_above", """
        def f(a, t):
            c = 0
            for v in a:
                if v > t:
                    c += 1
            return c
        """, lambda: (arr(40), 0.3)),
    ("bubble_sort", """
        def f(a):
            n = a.shape[0]
            for i in range(n):
                for j in range(n - 1 - i):
                    if a[j] > a[j + 1]:
                        t = a[j]
                        a[j] = a[j + 1]
                        a[j + 1] = t
        """, lambda: (arr(10),)),
    ("gcd", """
        def f(a, b):
            while b != 0:
                a, b = b, a % b
            return a
        """, lambda: (1071, 462)),
    ("fibonacci", """
        def f(n):
            a, b = 0, 1
            for _ in range(n):
                a, b = b, a + b
            return a
        """, lambda: (30,)),
    ("array_attrs", "def f(a):\n    return a.shape[0] * 10 + a.ndim + a.size\n", lambda: (mat(),)),
    ("enumerate_loop", """
        def f(a):
            s = 0.0
            for i, v in enumerate(a):
                s += i * v
            return s
        """, lambda: (arr(),)),
    ("ifexp_in_loop", """
        def f(a, b):
            for i in range(a.shape[0]):
                b[i] = a[i] if a[i] > 0 else -a[i] * 0.5
        """, lambda: (arr(), np.zeros(7))),
    ("chained_compare", """
        def f(a, b, c):
            x = a < b <= c
            y = 0 < a + 1 != b * 2 < c
            return x, y, a < b < c
        """, lambda: (1.0, 2.0, 2.0)),
    ("list_comprehension", """
        def f(a, k):
            xs = [v * k for v in a if v > 0]
            ys = [x * y for x in xs for y in xs if y < x]
            return len(xs), sum(ys), xs
        """, lambda: (arr(12), 2.0)),
    ("generator_expressions", """
        def f(a, k):
            s = sum(x * x for x in a if x > 0)
            m = max(x * k for x in a)
            return s, m, any(v > k for v in a), all(v < 10.0 for v in a)
        """, lambda: (arr(12), 0.5)),
    ("dicts_and_sets", """
        def f(a, k):
            d = {1: 2.0, 3: 4.0}
            d[k] = a
            s = {1, 2}
            s.add(k)
            del d[1]
            return len(d) + len(s), d[k]
        """, lambda: (1.5, 7)),
    ("chained_conditions", """
        def f(a, lo, hi):
            c = 0
            for i in range(a.shape[0]):
                if lo <= a[i] < hi:
                    c += 1
                else:
                    c -= 1
            if lo < hi <= 10.0:
                return c * 2
            return c
        """, lambda: (arr(20), -0.5, 0.5)),
    ("for_else", """
        def f(a, t):
            s = 0
            for i in range(a.shape[0]):
                if a[i] > t:
                    s = i
                    break
            else:
                s = -1
            return s * 2 + 1
        """, lambda: (arr(10), 0.9)),
    ("for_else_exhausted", """
        def f(a, t):
            for v in a:
                if v > t:
                    break
            else:
                return a[0] * 0.0 - 1.0
            return v
        """, lambda: (arr(10), 5.0)),
    ("membership", """
        def f(a):
            c = 0
            for v in a:
                if v in (1, 2, 3) or v not in (-1, 0, 5):
                    c += v
            return c
        """, lambda: (ints(20),)),
]


@pytest.mark.parametrize("name,src,args", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_program_from_a_string(name, src, args):
    check(no_source(src), *args())


def test_calls_between_functions_without_source():
    ns = {"np": np}
    exec(compile("def sq(v):\n    return v * v\n\ndef f(a):\n    return sq(a) + sq(2.0)\n",
                 "<string>", "exec"), ns)
    check(ns["f"], arr())


LAMBDAS = [
    ("lambda v: v * 2.0 + 1.0", lambda: (arr(),)),
    ("lambda x, y: x * y - 1", lambda: (3, 4)),
    ("lambda a: a[0] + a[-1]", lambda: (arr(),)),
    ("lambda x: x if x > 0 else -x", lambda: (-2.5,)),
    ("lambda x: k * x", lambda: (1.5,)),
]


@pytest.mark.parametrize("src,args", LAMBDAS, ids=[s for s, _ in LAMBDAS])
def test_lambda_made_by_eval(src, args):
    func = eval(src, {"np": np, "k": 4.0})
    check(func, *args())


# try statements: CPython 3.11 and later compile them to an exception table, which the
# decompiler reads (internal/bytecode/try.go). Each program runs with arguments that take the
# normal path and arguments that raise inside the body.
TRY_PROGRAMS = [
    ("catch_zerodiv", """
        def f(x):
            try:
                y = 1.0 / x
            except ZeroDivisionError:
                y = 0.0
            return y
        """, [(2.0,), (0.0,), (-4,)]),
    ("tuple_as_else", """
        def f(a, i):
            try:
                y = float(a[i])
            except (IndexError, KeyError) as e:
                y = -1.0
            except ZeroDivisionError:
                y = 0.0
            else:
                y = y + 1
            return y
        """, [(np.arange(4.0), 2), (np.arange(4.0), 9), (np.arange(4.0), -9)]),
    ("bare", """
        def f(a, i):
            try:
                v = int(a[i] * 2)
            except:
                v = 0
            return v
        """, [(ints(), 3), (ints(), 30)]),
    ("in_loop", """
        def f(a, n):
            s = 0.0
            for i in range(n):
                try:
                    s += 1.0 / a[i]
                except ZeroDivisionError:
                    s -= 1.0
                s = s * 0.5
            return s
        """, [(np.array([1.0, 0.0, 2.0, 0.0, 4.0]), 5), (np.ones(3), 3)]),
    ("in_loop_last", """
        def f(a, n):
            s = 0.0
            for i in range(n):
                try:
                    s += a[i]
                except IndexError:
                    s -= 1.0
            return s
        """, [(arr(5), 8), (arr(5), 3)]),
    ("in_while", """
        def f(a):
            i = 0
            bad = 0
            while i < 10:
                try:
                    a[i] = a[i] * 2.0
                except IndexError:
                    bad += 1
                i += 1
            return bad
        """, [(arr(4),), (arr(12),)]),
    ("return_in_body", """
        def f(a, i):
            try:
                return float(a[i])
            except IndexError:
                pass
            return -1.0
        """, [(arr(), 2), (arr(), 20)]),
    ("nested", """
        def f(a, i, j):
            try:
                try:
                    x = a[i]
                except IndexError:
                    x = a[j]
                y = 1 / x
            except ZeroDivisionError as err:
                y = 0.0
            return y
        """, [(np.array([2.0, 0.0]), 0, 1), (np.array([2.0, 0.0]), 5, 1), (np.array([2.0, 0.0]), 1, 0),
              (np.array([2.0, 4.0]), 7, 1)]),
    ("statements_after", """
        def f(a, b):
            total = 0
            try:
                total = a // b
            except ZeroDivisionError:
                total = -1
            total = total + 1
            if total > 3:
                total = 3
            return total
        """, [(7, 2), (7, 0), (1, 3)]),
    ("raise_in_handler", """
        def f(a, i):
            try:
                v = a[i]
            except IndexError:
                raise ValueError("bad index")
            return v
        """, [(arr(), 1)]),
    ("in_if", """
        def f(a, i, flag):
            v = 0.0
            if flag:
                try:
                    v = float(a[i])
                except IndexError:
                    v = -1.0
            return v
        """, [(arr(), 2, True), (arr(), 20, True), (arr(), 20, False)]),
    ("in_if_else", """
        def f(a, i, flag):
            v = 0.0
            if flag:
                try:
                    v = float(a[i])
                except IndexError:
                    v = -1.0
            else:
                v = 2.0
            return v * 3
        """, [(arr(), 2, True), (arr(), 20, True), (arr(), 20, False)]),
    ("callee_raises", """
        def g(x):
            if x < 0:
                raise ValueError("negative")
            return math.sqrt(x)

        def f(x):
            try:
                r = g(x)
            except ValueError:
                r = -1.0
            return r
        """, [(4.0,), (-4.0,)]),
    ("arithmetic_class", """
        def f(a, b):
            try:
                q = a % b
            except ArithmeticError:
                q = 99
            else:
                q = q * 10
            return q
        """, [(7, 3), (7, 0)]),
    ("two_tries", """
        def f(a, i, j):
            try:
                x = float(a[i])
            except IndexError:
                x = 0.0
            try:
                y = float(a[j])
            except IndexError:
                y = 1.0
            return x + y
        """, [(arr(), 1, 2), (arr(), 10, 2), (arr(), 1, 20), (arr(), 10, 20)]),
    ("handler_loops", """
        def f(a, k):
            try:
                s = a[k]
            except IndexError:
                s = 0.0
                for v in a:
                    s += v
            return s
        """, [(arr(), 3), (arr(), 30)]),
    ("reraise", """
        def f(a, i):
            try:
                v = float(a[i])
            except IndexError as e:
                if i > 100:
                    raise
                v = 0.0
            return v
        """, [(arr(), 2), (arr(), 50)]),
    ("return_in_handler", """
        def f(x):
            try:
                y = 1.0 / x
            except ZeroDivisionError:
                return 0.0
            return y
        """, [(2.0,), (0.0,)]),
    ("returns_in_clauses", """
        def f(x, a):
            try:
                y = a[x] / a[x - 1]
            except IndexError as e:
                return a[0] + 1.0
            except ZeroDivisionError:
                if x > 2:
                    return 5.0
                y = 1.0
            return y
        """, [(1, np.array([1.0, 2.0, 3.0])), (9, np.array([1.0, 2.0, 3.0])), (1, np.array([0.0, 2.0])),
              (3, np.array([1.0, 1.0, 0.0, 4.0]))]),
    ("finally", """
        def f(x, out):
            try:
                y = 1 / x
            finally:
                out[0] = 1.0
            return y
        """, [(2.0, np.zeros(2)), (-4, np.zeros(3))]),
    ("finally_in_loop", """
        def f(a, n):
            s = 0.0
            c = 0
            for i in range(n):
                try:
                    s += 1.0 / a[i]
                finally:
                    c += 1
                s = s * 0.5
            return s + c
        """, [(np.array([1.0, 2.0, 4.0]), 3), (np.array([3.0]), 1)]),
    ("writes_array", """
        def f(out, a):
            for i in range(out.shape[0]):
                try:
                    out[i] = a[i] / a[i + 1]
                except IndexError:
                    out[i] = -1.0
        """, [(np.zeros(4), arr(4)), (np.zeros(3), arr(6))]),
]


@pytest.mark.parametrize("case", [(n, s, a) for n, s, args in TRY_PROGRAMS for a in args],
                         ids=[f"{n}{k}" for n, _, args in TRY_PROGRAMS for k in range(len(args))])
def test_try_from_a_string(case):
    name, src, args = case
    func = no_source(src, name="f")
    if sys.version_info < (3, 11):
        pytest.skip("exception tables are CPython 3.11's")  # pragma: no cover
    check(func, *args)


@pytest.mark.parametrize("src,exc", [
    ("""
        def f(a, i):
            try:
                v = a[i]
            except IndexError as e:
                if i > 100:
                    raise
                v = 0.0
            return v
        """, IndexError),
    ("""
        def f(a, i):
            try:
                v = a[i]
            except IndexError as e:
                raise e
            return v
        """, IndexError),
    ("""
        def f(a, i):
            try:
                v = a[i]
            except KeyError:
                v = 0.0
            return v
        """, IndexError),
])
def test_try_exceptions_that_leave_from_a_string(src, exc):
    func = no_source(src, name="f")
    with pytest.raises(exc) as want:
        func(arr(), 500)
    with pytest.raises(exc) as got:
        sejit.jit(func)(arr(), 500)
    assert str(got.value) == str(want.value)
    np.testing.assert_array_equal(sejit.jit(func)(arr(), 1), func(arr(), 1))


def test_varargs_and_kwargs_from_a_string():
    func = no_source("""
        def f(x, *args, **kw):
            s = x * kw.get("scale", 1.0)
            for v in args:
                s += v
            if "shift" in kw:
                s = s + kw["shift"]
            return s + len(args) + len(kw)
        """, name="f")
    # (f(*t) and f(**d) compile to CALL_FUNCTION_EX, which the decompiler refuses.)
    caller = no_source("""
        def g(x):
            return f(x), f(x, 1.0, 2.0, scale=3.0), f(x, shift=0.5), f(x, 4, scale=2)
        """, name="g", f=func)
    for args, kw in [((2.0,), {}), ((2.0, 1, 2), {"scale": 0.5}), ((1.5,), {"shift": 2.0, "other": 1})]:
        assert sejit.jit(func)(*args, **kw) == func(*args, **kw)
    check(caller, 2.0)


def test_finally_runs_when_the_body_raises_from_a_string():
    func = no_source("""
        def f(x, out):
            try:
                y = 1 / x
            finally:
                out[0] = 1.0
            return y
        """, name="f")
    for f in (func, sejit.jit(func)):
        out = np.zeros(2)
        with pytest.raises(ZeroDivisionError):
            f(0.0, out)
        assert out[0] == 1.0


def test_try_raising_out_of_the_handler_from_a_string():
    func = no_source(dict((n, src) for n, src, _ in TRY_PROGRAMS)["raise_in_handler"], name="f")
    with pytest.raises(ValueError, match="bad index"):
        func(arr(), 20)
    with pytest.raises(ValueError, match="bad index"):
        sejit.jit(func)(arr(), 20)


ERRORS = [
    ("""
        def f(x):
            try:
                y = 1.0 / x
            finally:
                try:
                    z = 1.0 / (x - 1.0)
                except ZeroDivisionError:
                    z = 0.0
            return y + z
        """, "cannot be decompiled from bytecode", 3),
    ("""
        def f(x):
            try:
                if x > 1:
                    return x
                y = 1.0 / x
            finally:
                return 0.0
            return y
        """, "cannot be decompiled from bytecode", 3),
    ("""
        def f(x, lock):
            with lock:
                y = x + 1
            return y
        """, "with statements are not supported", 3),
    ("def f(a):\n    return len({v * 2 for v in a})\n", "comprehension", 2),
    ("def f(x):\n    while 0 < x < 100:\n        x = x * 2\n    return x\n", "cannot follow", 2),
    ("def f(n):\n    for i in range(n):\n        yield i\n", "generator", 1),
    ("def f(a, b):\n    return a + len(f'{b}')\n", "f-string", 2),
    ("""
        def f(a, n):
            i = 0
            while i < n:
                if a[i]:
                    break
                i += 1
            else:
                i = -1
            t = i * 2 + n
            u = t * t - i
            return u + t
        """, "cannot follow", None),
]


@pytest.mark.parametrize("src,message,line", ERRORS, ids=[m for _, m, _ in ERRORS])
def test_unsupported_bytecode_is_a_positioned_error(src, message, line):
    func = no_source(src)
    with pytest.raises(sejit.UnsupportedError) as info:
        sejit.jit(func)(*[np.arange(3.0), 2][: func.__code__.co_argcount])
    text = str(info.value)
    assert message in text
    assert "<string>:" in text
    if line is not None:
        assert f"<string>:{line}:" in text


def test_a_type_error_points_at_the_string_line():
    func = no_source("def f(a):\n    b = a + 1\n    return b.nosuch\n")
    with pytest.raises(Exception) as info:
        sejit.jit(func)(np.arange(3.0))
    assert "<string>:3:" in str(info.value)


_REPL = """\
import numpy as np, sejit
def foo(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        if a[i] > b:
            s += a[i]
    return s

f = sejit.jit(foo)
x = np.arange(10.0)
print("RESULT", f(x, 3.5), foo(x, 3.5))
"""


@pytest.mark.parametrize("mode", [["-i"], ["-"]], ids=["python -i", "python -"])
def test_definitions_typed_into_python_stdin(mode):
    out = subprocess.run(
        [sys.executable, "-q", *mode], input=_REPL, capture_output=True, text=True,
        timeout=300, env={**os.environ, "PYTHONSTARTUP": ""},
    )
    lines = [ln for ln in out.stdout.splitlines() if "RESULT" in ln]
    assert lines, out.stdout + out.stderr
    _, got, want = lines[0].split()[-3:]
    assert float(got) == float(want) == 39.0


def test_python_dash_c():
    code = "import numpy as np, sejit\nf = sejit.jit(lambda v: v * 2.0 + 1.0)\n" \
           "print(f(np.arange(3.0)).tolist())\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str((np.arange(3.0) * 2.0 + 1.0).tolist())
