"""print() and f-strings in compiled code (issue 14).

The text must be CPython's and NumPy's byte for byte, written to the current sys.stdout in order
with Python's own prints. Each output test runs the function in CPython and through ``jit`` on
copies of the same arguments, with Python prints before and after the call, captures stdout
(pytest's capsys, which replaces sys.stdout) and compares the two captures exactly.

The conformance cases at the end register the features for docs/supported.md (their results
are compared as every conformance case's are).
"""

import contextlib
import copy
import io

import numpy as np
import pytest
from conformance import Cases
from conftest import jitted, needs_engine

cases = Cases(__name__)


def outputs(capsys, fn, *args, **options):
    """fn's stdout in CPython and through jit, each framed by Python prints."""
    got = []
    for run in (fn, jitted(fn, **options)):
        a = copy.deepcopy(args)
        print("before")
        r = run(*a)
        print("after", r)
        got.append(capsys.readouterr().out)
    return got


def same_output(capsys, fn, *args, **options):
    py, jt = outputs(capsys, fn, *args, **options)
    assert jt == py
    return py


# --------------------------------------------------------------------------- kernels


def print_numbers(n, x):
    print(n, -n, 0.0, -0.0, 0.1, 1 / 3, 2.0**0.5 * 1e22, 1e16, 1e-7, 123456789.0)
    print(x, x * 1e300 * 1e10, -x * 1e300 * 1e10, x * 1e300 * 1e10 * 0.0)
    print(True, False, n > 2, 1 + 2j, complex(n, -0.0), -(1j))
    return n


def print_numpy_scalars(a, b, c):
    print(a[0], a[1], a[2], b[0], b[1], c[0], a[0] + a[1])
    print(np.float32(0.1), np.int8(-128), np.uint16(65535), np.float64(1 / 3), np.complex64(1 + 2j))
    print(a[0] > 0, np.bool_(True))
    return 0


def print_tuples(n, x, a):
    t = (n, x, 2.5)
    print(t, (n,), (), ("s", True, (1, 2.0)), (a[0], a[1]))
    print((1 + 1j, np.float32(0.25), np.int8(3)))
    return n


def print_arrays(x, m, big):
    print(x)
    print(m, m.T)
    print(big)
    print(x > 0.2, x.astype(np.int16), m[0])
    print(x * 1e10, np.empty((0, 3)))
    return 0


def print_sep_end(n):
    print(n, "a", 1.5, sep="")
    print(n, n + 1, sep=" -- ", end="")
    print("|", end="\n\n")
    print(sep="x", end="<>")
    print()
    print(n, sep=None, end=None)
    print("é ünïcödé ✓", "tab\there", 'quote"s', sep="\n")
    return n


def loop_helper(k):
    print("helper", k, k * 0.5)
    return k * 2


def print_loops(n):
    s = 0
    for i in range(n):
        print(i, end=" ")
        s += loop_helper(i)
    print()
    while s > 10:
        s //= 3
        print("s", s)
    return s


def print_fstrings(n, x, a):
    print(f"n={n} x={x} a0={a[0]}")
    print(f"{x:.3f}|{x:10.2e}|{n:>5}|{n:<5}|{n:05d}|{n:x}|{n:,}|{x:%}|{a[1]:.2f}")
    print(f"{n!r} {x!r} {a[0]!r} {a[1]!s} {1 + 2j!r}", f"{True}", f"{n > 1}", f"")
    print(f"{{literal}} {'const'} {'c':>4}", f"{a}", f"tail {n}", sep=";")
    return n


def raise_fstring(n, x):
    if n > 2:
        raise ValueError(f"bad n={n}, x={x:.2f}, half={n / 2}")
    if n < 0:
        raise IndexError(f"index {n} out of range ({x!r})")
    return n


def raise_fstring_const(n):
    if n > 0:
        raise ValueError(f"constant {{message}}")
    return n


def print_then_fail(n):
    print("first", n)
    if n > 0:
        raise RuntimeError(f"failed after printing {n}")
    return n


# --------------------------------------------------------------------------- output tests


@needs_engine
def test_numbers(capsys):
    same_output(capsys, print_numbers, 3, 1.0)


@needs_engine
def test_numpy_scalars(capsys):
    a = np.array([0.1, 1 / 3, -0.0], dtype=np.float32)
    b = np.array([-128, 127], dtype=np.int8)
    c = np.array([1e-20 + 2j], dtype=np.complex128)
    same_output(capsys, print_numpy_scalars, a, b, c)


@needs_engine
def test_tuples(capsys):
    same_output(capsys, print_tuples, 4, 0.1, np.array([1.5, np.nan]))


@needs_engine
def test_arrays(capsys):
    x = np.array([0.1, 1 / 3, 2.0, -0.0])
    m = np.arange(12, dtype=np.int64).reshape(3, 4)
    big = np.linspace(0.0, 1.0, 2000).reshape(40, 50)
    out = same_output(capsys, print_arrays, x, m, big)
    assert "..." in out  # NumPy's summarised repr of a large array


@needs_engine
def test_strided_view(capsys):
    def f(m):
        print(m[::2, 1:], m[:, 0])
        return 0

    same_output(capsys, f, np.arange(20.0).reshape(4, 5))


@needs_engine
def test_sep_end(capsys):
    same_output(capsys, print_sep_end, 7)


@needs_engine
def test_loops_and_helpers(capsys):
    same_output(capsys, print_loops, 6)


@needs_engine
def test_fstrings(capsys):
    same_output(capsys, print_fstrings, 42, 3.14159, np.array([1.25, -2.5], dtype=np.float32))


@needs_engine
def test_redirect_stdout(capsys):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        print("py")
        jitted(print_sep_end)(1)
        print("py again")
    with contextlib.redirect_stdout(io.StringIO()) as want:
        print("py")
        print_sep_end(1)
        print("py again")
    assert buf.getvalue() == want.getvalue()
    assert capsys.readouterr().out == ""


@needs_engine
def test_large_array_releases_gil(capsys):
    # Large enough that the kernel runs with the GIL released: the hook takes it.
    def f(x):
        y = x * 2.0
        print(y.sum(), y[:3])
        return 0

    same_output(capsys, f, np.arange(1_000_000, dtype=np.float64))


@needs_engine
@pytest.mark.parametrize("args", [(5, 1.0), (-3, 0.25), (1, 2.0)])
def test_raise_fstring(capsys, args):
    msgs = []
    for fn in (raise_fstring, jitted(raise_fstring)):
        try:
            msgs.append(("ok", fn(*args)))
        except (ValueError, IndexError) as e:
            msgs.append((type(e), str(e)))
    assert msgs[0] == msgs[1]


@needs_engine
def test_print_then_raise(capsys):
    got = []
    for fn in (print_then_fail, jitted(print_then_fail)):
        with pytest.raises(RuntimeError) as e:
            fn(2)
        got.append((capsys.readouterr().out, str(e.value)))
    assert got[0] == got[1]


@needs_engine
def test_print_error_propagates(capsys):
    class Broken(io.StringIO):
        def write(self, s):
            raise ValueError("stdout is broken")

    for fn in (print_sep_end, jitted(print_sep_end)):
        with contextlib.redirect_stdout(Broken()), pytest.raises(ValueError, match="stdout is broken"):
            fn(1)


@needs_engine
def test_print_in_prange_is_refused():
    import sejit

    def f(x):
        for i in sejit.prange(x.shape[0]):
            x[i] = i
            print(i)
        return 0

    with pytest.raises(Exception, match="print\\(\\) inside a prange loop"):
        sejit.jit(parallel=True)(f)(np.zeros(4))


@needs_engine
def test_print_as_value_is_refused():
    import sejit

    def f(n):
        x = print(n)
        return n

    with pytest.raises(Exception, match="print\\(\\) is only supported as a statement"):
        sejit.jit(f)(1)


# --------------------------------------------------------------------------- conformance


@cases.add("py.print", (3, 1.0), (-7, -0.0))
def conf_print_numbers(n, x):
    print(n, x, n * x, n > 0, 1j * x)
    return n


@cases.add("py.print", lambda: (np.arange(6.0).reshape(2, 3),))
def conf_print_array(m):
    print(m, (m[0, 0], m[1]), sep="\n", end="!\n")
    return m.sum()


@cases.add("py.fstrings", (3, 2.5))
def conf_fstring_print(n, x):
    print(f"n={n:>3} x={x:.4f} {x!r}")
    return n


@cases.add("py.fstrings", (5, 1.0), raises=ValueError, match=True)
@cases.add("py.raise", (5, 1.0), raises=ValueError, match=True)
def conf_fstring_raise(n, x):
    if n > 2:
        raise ValueError(f"bad n={n} x={x:.2f}")
    return n


@cases.add("py.fstrings", (1,), raises=ValueError, match=True)
def conf_fstring_raise_const(n):
    return raise_fstring_const(n)


test_conformance = cases.test()
