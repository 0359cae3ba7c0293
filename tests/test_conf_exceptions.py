"""try/except/else/finally and isinstance in compiled code, against CPython.

Every case runs the kernel in CPython and through ``jit`` on copies of the same arguments and
compares results and mutated arrays (conformance.py); a case that must fail compares the
exception's type and, with ``match=True``, its message. The output tests capture stdout and
compare ``print(e)`` and f-strings of caught exceptions byte for byte. The error tests at the end
check that what stays unsupported stops compilation with a positioned message.
"""

import math

import numpy as np
import pytest
import sejit
from conformance import Cases
from conftest import jitted, needs_engine
from sejit import jit

cases = Cases(__name__)


def arr(*xs):
    return np.array(xs, dtype=np.float64)


def iarr(*xs):
    return np.array(xs, dtype=np.int64)


# --------------------------------------------------------------------------- one class


@cases.add(
    "py.try",
    (arr(1, 2, 3), 1),
    (arr(1, 2, 3), 7),
    (arr(1, 2, 3), -9),
    (arr(1, 2, 3), -1),
    value_typed=True,
)
def catch_index(a, i):
    try:
        x = a[i]
    except IndexError:
        x = -1.0
    return x


@cases.add("py.try", (7, 2), (7, 0), (-7, 0))
def catch_floordiv(n, d):
    try:
        return n // d
    except ZeroDivisionError:
        return -999


@cases.add("py.try", (7.5, 2.0), (1.0, 0.0))
def catch_truediv(x, y):
    try:
        r = x / y
    except ZeroDivisionError:
        r = -1.0
    return r


@cases.add("py.try", (7, 3), (7, 0))
def catch_mod(n, d):
    r = 0
    try:
        r = n % d
    except ZeroDivisionError:
        r = -5
    return r


@cases.add("py.try", (3,), (-2,))
def catch_assert(n):
    try:
        assert n > 0, "n must be positive"
        r = n
    except AssertionError:
        r = 0
    return r


@cases.add("py.try", (4.0,), (-4.0,))
def catch_math_domain(x):
    try:
        return math.sqrt(x)
    except ValueError:
        return -1.0


@cases.add("py.try", (10.0,), (1000.0,))
def catch_overflow(x):
    try:
        return math.exp(x)
    except OverflowError:
        return -1.0


@cases.add("py.try", (3,), (0,))
def catch_empty_pop(n):
    xs = [1.0] * n
    try:
        v = xs.pop()
    except IndexError:
        v = -1.0
    return v


@cases.add("py.try", (1,), (3,))
def catch_key(k):
    d = {1: 10.0, 2: 20.0}
    try:
        v = d[k]
    except KeyError:
        v = -1.0
    return v


@cases.add("py.try", (arr(1, 2, 3), arr(4, 5, 6)), (arr(1, 2, 3), arr(4, 5)), value_typed=True)
def catch_shape(a, b):
    try:
        r = (a + b).sum()
    except ValueError:
        r = -1.0
    return r


@cases.add(
    "py.try",
    (np.array([[2.0, 1.0], [1.0, 3.0]]),),
    (np.array([[1.0, 2.0], [2.0, 4.0]]),),
    value_typed=True,
)
def catch_linalg(m):
    try:
        r = np.linalg.inv(m)[0, 0]
    except np.linalg.LinAlgError:
        r = -1.0
    return r


@cases.add(
    "py.try",
    (np.array([[2.0, 1.0], [1.0, 3.0]]),),
    (np.array([[1.0, 2.0], [2.0, 4.0]]),),
    value_typed=True,
)
def catch_linalg_as_value_error(m):
    try:
        r = np.linalg.inv(m)[0, 0]
    except ValueError as e:
        print(e)
        r = -1.0
    return r


# --------------------------------------------------------------------------- hierarchy and tuples


@cases.add("py.try", (iarr(6, 8), 0, 2), (iarr(6, 8), 5, 2), (iarr(6, 8), 1, 0))
def catch_tuple(a, i, d):
    try:
        r = int(a[i]) // d
    except (IndexError, ZeroDivisionError):
        r = -1
    return r


@cases.add("py.try", (7, 0), (7, 7))
def catch_arithmetic(n, d):
    try:
        return n // d
    except ArithmeticError:
        return -2


@cases.add("py.try", (arr(1, 2), 5), (arr(1, 2), 0), value_typed=True)
def catch_lookup(a, i):
    try:
        return a[i]
    except LookupError:
        return -3.0


@cases.add("py.try", (2,), (9,))
def catch_lookup_key(k):
    d = {2: 1.5}
    try:
        return d[k]
    except LookupError:
        return -3.0


@cases.add("py.try", (arr(1, 2), 5), (arr(1, 2), 1), value_typed=True)
def catch_exception(a, i):
    try:
        return a[i] * 2
    except Exception:
        return 0.0


@cases.add("py.try", (arr(1, 2), 5), (arr(1, 2), 1), value_typed=True)
def catch_bare(a, i):
    try:
        return a[i] * 2
    except:  # noqa: E722
        return 0.0


@cases.add(
    "py.try", (iarr(6, 8), 0, 2), (iarr(6, 8), 5, 2), (iarr(6, 8), 1, 0), (iarr(6, 8), 1, -1)
)
def handler_order(a, i, d):
    try:
        if d < 0:
            raise RuntimeError("negative")
        r = int(a[i]) // d
    except ZeroDivisionError:
        r = 1
    except IndexError:
        r = 2
    except Exception:
        r = 3
    return r


@cases.add("py.try", (3,), (-3,))
def catch_not_implemented_as_runtime(n):
    try:
        if n < 0:
            raise NotImplementedError("later")
        r = n
    except RuntimeError:
        r = 0
    return r


@cases.add("py.try", (arr(1, 2), 5), raises=IndexError, match=True)
@cases.add("py.try", (arr(1, 2), 1))
def other_class_propagates(a, i):
    try:
        x = a[i]
    except ZeroDivisionError:
        x = 0.0
    return x


@cases.add("py.try", (5, 0), raises=ZeroDivisionError, match=True)
def lookup_does_not_catch_zerodiv(n, d):
    try:
        r = n // d
    except LookupError:
        r = 0
    return r


# --------------------------------------------------------------------------- else and finally


@cases.add("py.try", (arr(1, 2, 3), 1), (arr(1, 2, 3), 4), value_typed=True)
def else_clause(a, i):
    try:
        x = a[i]
    except IndexError:
        r = -1.0
    else:
        r = x * 10
    return r


@cases.add("py.try", (arr(1, 2, 3), 1), (arr(1, 2, 3), 4), value_typed=True)
def finally_on_both_paths(a, i):
    s = 1.0
    try:
        s += a[i]
    except IndexError:
        s -= 100
    finally:
        s *= 10
    return s


@cases.add("py.try", (arr(1, 2, 3), 2), (arr(1, 2, 3), 8), value_typed=True)
def finally_writes_array(a, i):
    r = 0.0
    try:
        r = a[i]
    except IndexError:
        r = -1.0
    finally:
        a[0] = 99.0
    return r


@cases.add("py.try", (4,), (9,))
def return_value_before_finally(n):
    x = n
    try:
        return x * 2
    finally:
        x = 100


@cases.add("py.try", (arr(1, 2, 3), 0), (arr(1, 2, 3), 2))
def return_in_try_runs_finally(a, k):
    try:
        return a[k]
    finally:
        a[1] = -7.0


@cases.add("py.try", (10,), (4,))
def finally_break_continue(n):
    s = 0
    for i in range(n):
        try:
            if i == 2:
                continue
            if i == 6:
                break
            s += i
        finally:
            s += 100
    return s


@cases.add("py.try", (10,), (3,))
def finally_in_while(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        try:
            if i % 3 == 0:
                continue
            s += i
        finally:
            s += 1000
    return s


@cases.add("py.try", (arr(1, 2), 7), raises=IndexError, match=True)
@cases.add("py.try", (arr(1, 2), 1))
def finally_without_except(a, i):
    r = 0.0
    try:
        r = a[i]
    finally:
        a[0] = 5.0
    return r


@cases.add("py.try", (arr(1, 2, 3), 9), (arr(1, 2, 3), 2))
def finally_raises_on_the_way_out(a, i):
    # the finally clause runs once when it raises after the return's value is computed
    try:
        try:
            return a[0]
        finally:
            a[1] += 1.0
            a[i] = 0.0
    except IndexError:
        return a[1]


@cases.add("py.try", (arr(1, 2, 3), 9), (arr(1, 2, 3), 2))
def finally_raises_on_continue(a, i):
    s = 0.0
    for k in range(3):
        try:
            try:
                if k == 1:
                    continue
                s += 1.0
            finally:
                a[1] += 1.0
                a[i] = 0.0
        except IndexError:
            s += 10.0
    return s


@cases.add("py.try", (arr(1, 2), 7), (arr(1, 2), 0))
def return_in_finally_swallows(a, i):
    try:
        a[i] = 3.0
    finally:
        return a.sum()


@cases.add(
    "py.try", (arr(1, 2, 3), 1, 1), (arr(1, 2, 3), 9, 1), (arr(1, 2, 3), 1, 0), value_typed=True
)
def else_and_finally(a, i, d):
    s = 0.0
    try:
        x = a[i] / d
    except IndexError:
        s = -1.0
    except ZeroDivisionError:
        s = -2.0
    else:
        s = x
    finally:
        s += 0.5
    return s


# --------------------------------------------------------------------------- nesting and loops


@cases.add("py.try", (iarr(4, 8), 0, 2), (iarr(4, 8), 3, 2), (iarr(4, 8), 1, 0))
def nested_try(a, i, d):
    r = 0
    try:
        try:
            r = int(a[i])
        except IndexError:
            r = -1
        r = r // d
    except ZeroDivisionError:
        r = -2
    return r


@cases.add("py.try", (arr(1, 2, 3),), (arr(5.0),))
def try_in_loop(a):
    s = 0.0
    for i in range(4):
        try:
            s += a[i]
        except IndexError:
            s += 100.0
    return s


@cases.add("py.try", (arr(1, 2, 3, 4, 5, 6), 3))
def try_in_loop_break(a, stop):
    s = 0.0
    for i in range(10):
        try:
            if i > stop:
                raise ValueError("stop")
            s += a[i]
        except ValueError:
            break
    return s


@cases.add("py.try", (iarr(1, 0, 2, 0, 4),))
def many_handled(a):
    ok = 0
    bad = 0
    for i in range(a.shape[0] + 2):
        try:
            ok += 12 // int(a[i])
        except ZeroDivisionError:
            bad += 1
        except IndexError:
            bad += 10
    return ok, bad


@cases.add("py.try", (arr(1, 2, 3), 7))
def handler_after_partial_loop(a, n):
    # the loop's earlier iterations have run when the check fails
    s = 0.0
    try:
        for i in range(n):
            s += a[i]
    except IndexError:
        s = -s
    return s


@cases.add("py.try", (arr(1, 2, 3), 1), (arr(1, 2, 3), 9))
def handler_writes_array(a, i):
    try:
        a[i] = 0.0
    except IndexError:
        a[:] = -1.0
    return a.sum()


# --------------------------------------------------------------------------- raising in handlers


@cases.add("py.try", (arr(1, 2), 9), raises=IndexError, match=True)
@cases.add("py.try", (arr(1, 2), 1))
def reraise_bare(a, i):
    try:
        r = a[i]
    except IndexError:
        a[0] = 1.0
        raise
    return r


@cases.add("py.try", (arr(1, 2), 9), raises=IndexError, match=True)
def reraise_named(a, i):
    try:
        r = a[i]
    except IndexError as e:
        raise e
    return r


@cases.add("py.try", (arr(1, 2), 9, 0), raises=IndexError, match=True)
@cases.add("py.try", (arr(1, 2), 9, 1), raises=IndexError, match=True)
def reraise_after_inner_try(a, i, d):
    try:
        r = a[i]
    except IndexError:
        try:
            r = 1.0 // d
        except ZeroDivisionError:
            r = 0.0
        raise
    return r


@cases.add("py.try", (arr(1, 2), 9), raises=ValueError, match=True)
def raise_other_in_handler(a, i):
    try:
        r = a[i]
    except IndexError:
        raise ValueError("bad index")
    return r


@cases.add("py.try", (arr(1, 2), 9), raises=ValueError, match=True)
@cases.add("py.try", (arr(1, 2), -3), raises=ValueError, match=True)
def raise_fstring_of_e(a, i):
    try:
        r = a[i]
    except IndexError as e:
        raise ValueError(f"wrapped ({i}): {e}")
    return r


@cases.add("py.try", (7, 0), raises=RuntimeError, match=True)
def raise_str_of_e(n, d):
    try:
        return n // d
    except ZeroDivisionError as e:
        raise RuntimeError(str(e))


@cases.add("py.try", (7, 0), raises=ValueError, match=True)
def raise_e_as_message(n, d):
    try:
        return n // d
    except ZeroDivisionError as e:
        raise ValueError(e)


@cases.add("py.try", (5,), raises=RuntimeError, match=True)
def raise_repr_of_key_error(k):
    d = {1: 1.0}
    try:
        return d[k]
    except KeyError as e:
        raise RuntimeError(f"{e!r} / {e}")


@cases.add("py.try", (2,), (8,))
def explicit_raise_caught(n):
    try:
        if n > 3:
            raise ValueError(f"n={n} too large")
        r = n
    except ValueError:
        r = -n
    return r


# --------------------------------------------------------------------------- callees


def _pick(a, i):
    return a[i] * 2.0


def _checked(a, i):
    if i > 2:
        raise ValueError(f"i={i} is too large")
    return _pick(a, i)


@cases.add("py.try", (arr(1, 2, 3), 1), (arr(1, 2, 3), 5), (arr(1, 2, 3), -7), value_typed=True)
def callee_raises(a, i):
    try:
        return _pick(a, i)
    except IndexError:
        return -1.0


@cases.add("py.try", (arr(1, 2, 3), 1), (arr(1, 2, 3), 5), (arr(1, 2, 3), -7), value_typed=True)
def callee_chain(a, i):
    try:
        r = _checked(a, i)
    except ValueError:
        r = -10.0
    except IndexError:
        r = -20.0
    return r


@cases.add("py.try", (arr(1, 2, 3), 5), raises=ValueError, match=True)
def callee_error_reraised(a, i):
    try:
        r = _checked(a, i)
    except IndexError:
        r = 0.0
    return r


def _catches(a, i):
    try:
        return a[i]
    except IndexError:
        return 0.0


@cases.add("py.try", (arr(1, 2, 3), 1), (arr(1, 2, 3), 9), value_typed=True)
def callee_catches(a, i):
    return _catches(a, i) + _catches(a, i + 1)


# --------------------------------------------------------------------------- prange


@cases.add("py.try", (arr(1, 2, 3, 4), iarr(0, 9, 2, -8, 3)), options={"parallel": True})
@cases.add("py.try", (arr(1, 2, 3, 4), iarr(3, 2, 1, 0, 3)), options={"parallel": True})
def try_in_prange(a, idx):
    out = np.empty(idx.shape[0])
    for k in sejit.prange(idx.shape[0]):
        try:
            out[k] = a[idx[k]]
        except IndexError:
            out[k] = -1.0
    return out


def _big_index(bad):
    idx = np.arange(6000, dtype=np.int64) % 3
    if bad:
        idx[4321] = 17
        idx[100] = -9
    return idx


@cases.add(
    "py.try",
    lambda: (arr(1, 2, 3), _big_index(True)),
    lambda: (arr(1, 2, 3), _big_index(False)),
    options={"parallel": True},
)
def try_in_big_prange(a, idx):
    # large enough for the loop to run on several threads
    out = np.empty(idx.shape[0])
    for k in sejit.prange(idx.shape[0]):
        try:
            out[k] = a[idx[k]] * 2.0
        except IndexError:
            out[k] = -1.0
    return out


@cases.add(
    "py.try",
    lambda: (arr(1, 2, 3), _big_index(True)),
    lambda: (arr(1, 2, 3), _big_index(False)),
    options={"parallel": True},
)
def try_in_prange_value_after(a, idx):
    # v is assigned by the body or by the handler, and read after the try
    out = np.empty(idx.shape[0])
    for k in sejit.prange(idx.shape[0]):
        try:
            v = a[idx[k]]
        except IndexError:
            v = -1.0
        out[k] = v + 0.5
    return out


@cases.add(
    "py.try",
    lambda: (arr(1, 2, 3), _big_index(True)),
    lambda: (arr(1, 2, 3), _big_index(False)),
    options={"parallel": True},
    value_typed=True,
)
def prange_in_try(a, idx):
    out = np.zeros(idx.shape[0])
    try:
        for k in sejit.prange(idx.shape[0]):
            out[k] = a[idx[k]]
        r = out.sum()
    except IndexError:
        r = -1.0
    return r


# --------------------------------------------------------------------------- isinstance


def _kinds(x):
    return (
        isinstance(x, int),
        isinstance(x, float),
        isinstance(x, complex),
        isinstance(x, bool),
        isinstance(x, np.ndarray),
        isinstance(x, np.floating),
        isinstance(x, np.integer),
        isinstance(x, np.generic),
        isinstance(x, (int, float)),
        isinstance(x, (np.number, np.ndarray)),
        isinstance(x, np.float32),
        isinstance(x, object),
    )


@cases.add(
    "py.isinstance",
    (3,),
    (2.5,),
    (True,),
    (1 + 2j,),
    (np.float32(1.5),),
    (np.float64(2.5),),
    (np.int64(4),),
    (np.uint8(4),),
    (np.bool_(True),),
    (np.complex128(1j),),
    (arr(1, 2),),
)
def instance_kinds(x):
    return _kinds(x)


@cases.add("py.isinstance", (arr(1, 2, 3),), (3,), (2.5,))
def instance_folds_branch(x):
    if isinstance(x, np.ndarray):
        return x.shape[0] * 1.0
    else:
        return x + 1.0


@cases.add("py.isinstance", (arr(1, 2, 3),), (4,), (np.float32(0.5),))
def instance_not_and_or(x):
    if not isinstance(x, np.ndarray) and isinstance(x, (int, np.floating)):
        return x * 2.0
    elif isinstance(x, np.ndarray) or isinstance(x, complex):
        return x.sum()
    return 0.0


@cases.add("py.isinstance", ((1, 2.0),), ((3, 4),))
def instance_tuple_arg(t):
    return isinstance(t, tuple), isinstance(t, list), isinstance(t[0], int), isinstance(t[1], float)


@cases.add("py.isinstance", ("linear",))
def instance_str(mode):
    return isinstance(mode, str), isinstance(3, str)


@cases.add("py.isinstance", (3,))
def instance_of_locals(n):
    xs = [1.0, 2.0]
    d = {1: 2}
    y = n * 1.5
    return isinstance(xs, list), isinstance(d, dict), isinstance(y, float), isinstance(n // 1, int)


test_conformance = cases.test()


# --------------------------------------------------------------------------- output


def _print_caught(a, i, d):
    try:
        r = int(a[i]) // d
    except IndexError as e:
        print("index:", e)
        print(f"[{e}] {e!r} {str(e)} {repr(e)}")
        r = -1
    except ZeroDivisionError as err:
        print(err, repr(err), sep=" | ")
        r = -2
    return r


def _print_key(k):
    d = {1: 1.0}
    try:
        v = d[k]
    except KeyError as e:
        print("key", e, repr(e))
        v = 0.0
    finally:
        print("finally")
    return v


def _print_raised(n):
    try:
        if n > 2:
            raise ValueError(f"n is {n}")
    except Exception as e:
        print(f"caught: {e}", repr(e))
    return n


@needs_engine
@pytest.mark.parametrize(
    "args", [(iarr(1, 2), 0, 1), (iarr(1, 2), 5, 1), (iarr(1, 2), -3, 1), (iarr(1, 2), 1, 0)]
)
def test_print_caught(capsys, args):
    outs = []
    for run in (_print_caught, jitted(_print_caught)):
        r = run(*args)
        print("->", r)
        outs.append(capsys.readouterr().out)
    assert outs[1] == outs[0]


@needs_engine
@pytest.mark.parametrize(
    "fn,args",
    [(_print_key, (1,)), (_print_key, (4,)), (_print_raised, (1,)), (_print_raised, (5,))],
)
def test_print_other(capsys, fn, args):
    outs = []
    for run in (fn, jitted(fn)):
        r = run(*args)
        print("->", r)
        outs.append(capsys.readouterr().out)
    assert outs[1] == outs[0]


# --------------------------------------------------------------------------- what stays unsupported


class MyError(Exception):
    pass


def _except_user_class(x):
    try:
        y = x * 2
    except MyError:
        y = 0
    return y


def _except_os_error(x):
    try:
        y = x * 2
    except (ValueError, OSError):
        y = 0
    return y


def _exception_as_value(x):
    try:
        y = x // 0
    except ZeroDivisionError as e:
        y = e
    return y


def _bare_raise_outside(x):
    try:
        y = x
    finally:
        raise
    return y


def _isinstance_user_class(x):
    return isinstance(x, MyError)


def _line_col(fn, text):
    import inspect

    lines, first = inspect.getsourcelines(fn)
    k = next(k for k, line in enumerate(lines) if text in line)
    return first + k, lines[k].index(text) + 1


@needs_engine
@pytest.mark.parametrize(
    "fn,text,message",
    [
        (_except_user_class, "MyError", "only builtin exception classes can be caught"),
        (_except_os_error, "OSError", "only builtin exception classes can be caught"),
        (
            _exception_as_value,
            "e\n",
            "the caught exception 'e' can only be printed, formatted or raised again",
        ),
        (_bare_raise_outside, "raise\n", "bare raise outside an except clause"),
        (
            _isinstance_user_class,
            "MyError",
            "isinstance() in compiled code tests only builtin and NumPy classes",
        ),
    ],
)
def test_unsupported_is_positioned(fn, text, message):
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(fn)(3)
    line, col = _line_col(fn, text)
    msg = str(info.value)
    assert msg.startswith(f"{__file__}:{line}:{col}:"), msg
    assert message in msg


def _prange_private_read_in_handler(a, n):
    t = 0.0
    try:
        for i in sejit.prange(n):
            t = a[i] * 2
        r = 1.0
    except IndexError:
        r = -t
    return r


@needs_engine
def test_prange_variable_read_by_handler_is_refused():
    # The handler may run after the loop, so t is read after it: its value would depend on the
    # order of the iterations, and the loop is refused rather than run with a wrong result.
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(_prange_private_read_in_handler, parallel=True)(np.arange(10.0), 11)
    line, col = _line_col(_prange_private_read_in_handler, "t = a[i] * 2")
    assert str(info.value).startswith(f"{__file__}:{line}:{col}:"), str(info.value)
    assert "read before it is assigned in an iteration, or after the loop" in str(info.value)


# Variables a try binds keep one variable for all their bindings (resolve/versions.go): a handler
# may see any binding the body made before the exception.


@cases.add("py.try", (arr(0.25, 2.0, -1.25), 1), (arr(0.25, 2.0, -1.25), 9))
def rebinding_inside_try(x, i):
    b = 1.5
    b = b * 2
    try:
        b = x[i] * 4.0
        y = x[i + 1]
        b = b + y
    except IndexError:
        b = b - 1.0
    return b


@cases.add("py.try", (arr(1.0, 2.0, 3.0), 0), (arr(1.0, 2.0, 3.0), 2))
def loop_with_try_and_later_rebinding(x, k):
    s = 0.0
    for j in range(x.shape[0]):
        try:
            s = s + x[j + k]
        except IndexError:
            s = s * 0.5
    s = s + 1.0
    return s
