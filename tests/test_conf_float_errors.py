"""Conformance: the errors of Python numbers, compared with CPython's type and message — a Python
float power that overflows (OverflowError with errno's args), a Python complex power's
OverflowError and ZeroDivisionError, `%` by zero (whose float text
depends on the interpreter's version), the math module's domain and range errors — and the
powers and NumPy operations that must not raise.

A negative Python float to a non-integer power is a complex number in CPython, which a power
typed float cannot hold: sejit raises a ValueError there (tests/test_errors_python.py), never a
NaN.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import math

import numpy as np
from conformance import Cases

cases = Cases(__name__)

NAN = float("nan")
INF = float("inf")

# --------------------------------------------------------------------------- x ** y overflow


@cases.add("py.pow", (1e300, 2), (10.0, 400.0), (10, 400.0), (1e300, 2.0), (0.5, -2000.0),
           (-1e200, 3), (2.0, 1024), (-10.0, 401.0), raises=OverflowError, match=True)
def pow_overflows(x, y):
    return x ** y


@cases.add("py.pow", (1e300, 2), (10.0, 400.0), raises=OverflowError, match=True)
def pow_builtin_overflows(x, y):
    return pow(x, y)


@cases.add("py.pow", (1e300, 2), (10.0, 400.0), (3, 1000.0), raises=OverflowError, match=True)
def pow_inplace_overflows(x, y):
    x **= y
    return x


@cases.add("py.pow", (1e200,), (-1e200,), (1e103,), raises=OverflowError, match=True)
def pow_cube_overflows(x):
    return x ** 3


@cases.add("py.pow", (1e200,), (-1e155,), raises=OverflowError, match=True)
def pow_square_overflows(x):
    return x ** 2


@cases.add("py.pow", (1e200,), (-1e120,), raises=OverflowError, match=True)
def pow_overflows_in_loop(x):
    s = 0.0
    for k in range(1, 4):
        s += x ** (k * 1.0)
    return s


@cases.add("py.pow", (1e300, 2.0), (1.0, 2.0))
def pow_overflow_caught(x, y):
    try:
        return f"{x ** y}"
    except OverflowError as e:
        return f"caught {e}"


@cases.add("py.pow", (INF, 2.0), (NAN, 2.0), (-8.0, 3.0), (-2.0, INF), (0.5, 2000.0),
           (-INF, 0.5), (4.0, 0.5), (-8.0, NAN), (0.0, 0.5), (-0.0, 0.5), (1.0, NAN), (2.0, -INF),
           (1e308, 1.0), (1e308, 0.5), (-1.0, 1e300), (10, 308.0), (2, -1074.0), (-0.0, 3))
def pow_no_error(x, y):
    return x ** y


@cases.add("py.pow", (1e150,), (-3.5,), (2.5,), (0.0,), (INF,), (-INF,), (NAN,))
def pow_fast_paths(x):
    return x ** 2, x ** 0.5 if x >= 0 or x != x else 0.0, x ** 3 if abs(x) < 1e100 else 0.0


@cases.add("py.pow", lambda: (np.float64(10.0), 400.0), lambda: (np.float64(-8.0), 0.5),
           lambda: (np.float32(1e30), 2), lambda: (np.array([1e300, -8.0, 2.0]), 2.0),
           lambda: (np.array([1e300, -8.0, 4.0]), 0.5))
def pow_numpy_no_error(x, y):
    # NumPy scalars and arrays give inf and nan (np.power), never Python's errors.
    return x ** y


@cases.add("py.pow", lambda: (np.array([1e300, -8.0, 4.0]),))
def pow_array_inplace_no_error(a):
    a **= 2.0
    b = a ** 0.5
    return b


# --------------------------------------------------------------------------- complex ** y


@cases.add("py.pow", (1e300 + 0j, 2), (2 + 0j, 1e10), (1e200j, 2.0), (1e-200 + 0j, -2.5),
           (1e300, 2 + 0j), (complex(INF, 0), 0.5), (3 + 4j, 500), raises=OverflowError, match=True)
def complex_pow_overflows(x, y):
    return x ** y


@cases.add("py.pow", (0j, -1), (0j, -1.5), (0j, 1j), (0j, 1 + 1j), (1e-200 + 0j, -2),
           raises=ZeroDivisionError, match=True)
def complex_pow_zero_base(x, y):
    return x ** y


@cases.add("py.pow", (0j, 0), (0j, 2.5), (0j, 2 + 0j), (complex(INF, 0), 2.0), (complex(INF, 0), 0),
           (2 + 0j, 100), (2 + 0j, 100.0), (2 + 0j, -100), (1 + 1j, 2), (1 + 2j, 0.5),
           (1.5 + 0.5j, -100), (-8, 0.5 + 0j), (1j, 1j))
def complex_pow_no_error(x, y):
    return x ** y


@cases.add("py.pow", (1e300 + 0j, 2.0), (1 + 1j, 2.0))
def complex_pow_caught(x, y):
    try:
        return f"{x ** y}"
    except OverflowError as e:
        return f"caught {e}"


# --------------------------------------------------------------------------- % and // by zero


@cases.add("py.arith", (5, 0), (-7, 0), (5.0, 0.0), (5, 0.0), (5.0, 0), (-0.0, -0.0),
           raises=ZeroDivisionError, match=True)
def modulo_by_zero(x, y):
    return x % y


@cases.add("py.arith", (5, 0), (5.0, 0.0), raises=ZeroDivisionError, match=True)
def modulo_inplace_by_zero(x, y):
    x %= y
    return x


@cases.add("py.arith", (5, 0), (5.0, 0.0), (5, 0.0), raises=ZeroDivisionError, match=True)
def floordiv_by_zero(x, y):
    return x // y


@cases.add("py.arith", (5, 0), (True, False), (5.0, 0.0), (5, 0.0), (1j, 0), (1, 0j), (1.0, 0j),
           raises=ZeroDivisionError, match=True)
def truediv_by_zero(x, y):
    return x / y


@cases.add("py.arith", (5, 0), (5.0, 0.0))
def modulo_by_zero_caught(x, y):
    try:
        return f"{x % y}"
    except ZeroDivisionError as e:
        return f"caught {e}"


@cases.add("py.divmod", (5, 0), (5.0, 0.0), (5, 0.0), raises=ZeroDivisionError, match=True)
def divmod_by_zero(x, y):
    return divmod(x, y)


# --------------------------------------------------------------------------- math module


@cases.add("py.math", (10.0, 400.0), (2, 1024), (0.5, -2000.0), raises=OverflowError, match=True)
def math_pow_range(x, y):
    return math.pow(x, y)


@cases.add("py.math", (-8.0, 0.5), (0.0, -1.0), (0, -3), raises=ValueError, match=True)
def math_pow_domain(x, y):
    return math.pow(x, y)


@cases.add("py.math", (-1.0,), (-1,), (-INF,), raises=ValueError, match=True)
def math_sqrt_domain(x):
    return math.sqrt(x)


@cases.add("py.math", (0.0,), (0,), (-1.0,), (-INF,), raises=ValueError, match=True)
def math_log_domain(x):
    return math.log(x)


@cases.add("py.math", (0.0,), (-2,), raises=ValueError, match=True)
def math_log10_log2_domain(x):
    return math.log10(x) + math.log2(x)


@cases.add("py.math", (-1.0,), (-2,), raises=ValueError, match=True)
def math_log1p_domain(x):
    return math.log1p(x)


@cases.add("py.math", (1000.0,), (1000,), (710.0,), raises=OverflowError, match=True)
def math_exp_range(x):
    return math.exp(x)


@cases.add("py.math", (8.0, 1.0), (1.0, 1.0), (8, 1), (NAN, 1.0), raises=ZeroDivisionError, match=True)
def math_log_base_one(x, b):
    return math.log(x, b)


@cases.add("py.math", (8.0, 0.0), (0.0, 2.0), (-INF, 2.0), (8.0, -1.0), raises=ValueError, match=True)
def math_log_base_domain(x, b):
    return math.log(x, b)


@cases.add("py.math", (NAN, 2.0), (2.0, NAN), (INF, INF), (8, 2), (INF, 2.0), (8.0, 0.5), (0.5, INF))
def math_log_base_no_error(x, b):
    return math.log(x, b)


@cases.add("py.math", (1000.0,), (-1000.0,), raises=OverflowError, match=True)
def math_cosh_sinh_range(x):
    return math.cosh(x) + math.sinh(x)


@cases.add("py.math", (2.0,), (2,), (-1.5,), (INF,), raises=ValueError, match=True)
def math_acos_domain(x):
    return math.acos(x)


@cases.add("py.math", (2.0,), (-1.0001,), raises=ValueError, match=True)
def math_asin_domain(x):
    return math.asin(x)


@cases.add("py.math", (1.0,), (-1.0,), (2.0,), raises=ValueError, match=True)
def math_atanh_domain(x):
    return math.atanh(x)


@cases.add("py.math", (0.5,), (0,), raises=ValueError, match=True)
def math_acosh_domain(x):
    return math.acosh(x)


@cases.add("py.math", (0.0,), (-1.0,), (-2,), raises=ValueError, match=True)
def math_gamma_domain(x):
    return math.gamma(x)


@cases.add("py.math", (200.0,), raises=OverflowError, match=True)
def math_gamma_range(x):
    return math.gamma(x)


@cases.add("py.math", (INF,), (-INF,), raises=ValueError, match=True)
def math_trig_of_infinity(x):
    return math.sin(x) + math.cos(x) + math.tan(x)


@cases.add("py.math", (1.0, 0.0), (INF, 1.0), raises=ValueError, match=True)
def math_fmod_domain(x, y):
    return math.fmod(x, y)


@cases.add("py.math", (1.0, 2000), (-1.0, 1025), raises=OverflowError, match=True)
def math_ldexp_range(x, n):
    return math.ldexp(x, n)


@cases.add("py.math", (INF,), (NAN,), (1e308,), (-INF,))
def math_no_error(x):
    # Infinite and NaN arguments give infinite and NaN results, as in CPython.
    return math.sqrt(abs(x)), math.exp(-abs(x)), math.atan(x), math.tanh(x), math.fabs(x)


@cases.add("py.math", (10.0, 2.0), (1e308, 1.0))
def math_pow_no_error(x, y):
    return math.pow(x, y), math.pow(INF, y), math.pow(x, -INF)


@cases.add("py.math", (1000.0,), (-4.0,))
def math_error_caught(x):
    try:
        return f"{math.exp(x) + math.sqrt(x)}"
    except (ValueError, OverflowError) as e:
        return f"caught {e}"


# --------------------------------------------------------------------------- NumPy's FP errors
# Where NumPy warns (divide by zero, overflow, invalid), compiled code gives NumPy's value and no
# warning (docs/design.md, "Semantics decisions"); the values are compared here with NumPy's,
# on NumPy scalars and on arrays.


@cases.add("uf.arith", (2.0,), (0.0,), (-3.0,))
def numpy_scalar_divide_by_zero(x):
    return np.float64(x) / 0.0, np.float32(x) / np.float32(0.0)


@cases.add("uf.arith", (2.0,), (1e300,))
def numpy_scalar_overflow(x):
    return np.float64(x) * 1e308 * 10.0, np.float32(x) * np.float32(3e38), np.power(np.float64(x), 400.0)


@cases.add("uf.exp-log", (0.0,), (-1.0,), (2.0,))
def numpy_log_of_zero_and_negative(x):
    return np.log(np.float64(x)), np.log10(np.float64(x)), np.log2(np.float64(x))


@cases.add("uf.exp-log", (1000.0,), (-1000.0,), (1.0,))
def numpy_exp_overflow(x):
    return np.exp(np.float64(x)), np.exp(np.full(3, x))


@cases.add("uf.powers", (-1.0,), (4.0,))
def numpy_sqrt_invalid(x):
    return np.sqrt(np.float64(x)), np.reciprocal(np.float64(x) + 1.0)


@cases.add("uf.trig", (2.0,), (0.5,))
def numpy_arccos_invalid(x):
    return np.arccos(np.float64(x)), np.arcsin(np.float64(-x))


@cases.add("uf.exp-log", (np.array([0.0, 1.0, -1.0, 2.0]),))
def numpy_array_log_sqrt_divide(a):
    return np.log(a), np.sqrt(a), 1.0 / a, a / a


@cases.add("uf.floor-mod", (7,), (0,), (-7,))
def numpy_integer_divide_by_zero(n):
    z = np.int64(0)
    return np.int64(n) // z, np.int64(n) % z, np.arange(3) // (np.arange(3) * 0), np.fmod(np.float64(n), 0.0)


test_conformance = cases.test()
