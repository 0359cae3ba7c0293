"""Conformance: the core the foundation built — operators, control flow, helper calls, globals.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import math

import numpy as np
from conformance import Cases

cases = Cases(__name__)

GRAVITY = 9.81


@cases.add("py.arith", (7, 3), (-7, 3), (7.5, -2.0), (2**20, 3))
def int_float_ops(a, b):
    return a + b, a - b, a * b, a / b, a // b, a % b, -a, a**2, a < b, a == b, a >= b


def _cube_inputs(seed):
    # Wide magnitudes, both signs, exact cubes, powers of two, zeros, NaN, infinities, subnormals
    # (whose cubes underflow to zero) and values whose cubes are near the largest double.
    rng = np.random.default_rng(seed)
    wide = rng.standard_normal(20000) * 10.0 ** rng.integers(-100, 100, 20000)
    special = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 3.0, -1e-5, 1e102, 1e-300, 5e-324, -2.2e-308, math.nan,
               math.inf, -math.inf, 2.0 ** 341, 5.6e102, -5.6e102, 2.0 ** -300, 1.0 + 2.0 ** -52]
    # exact cubes (integers, halves) and cubes just below and above powers of two
    exact = np.arange(-60, 61) / 2.0
    near = np.concatenate([np.nextafter(exact, np.inf), np.nextafter(exact, -np.inf), 2.0 ** (np.arange(-60, 60) / 3.0)])
    return (np.concatenate([wide, rng.random(5000) * 4 - 2, special, exact, near]),)


@cases.add("py.arith", lambda: _cube_inputs(1), lambda: _cube_inputs(2), rtol=0)
def float_cubes(xs):
    # x ** 3 of Python floats is the C library's pow, bit for bit (sejit rounds an exact cube
    # where that provably gives pow's bits and calls pow elsewhere)
    out = np.empty(xs.shape[0])
    for i in range(xs.shape[0]):
        v = float(xs[i])
        out[i] = v ** 3
    return out


def _div_inputs(dtype):
    info = np.iinfo(dtype)
    vals = np.arange(-40, 41)
    edges = [info.min, info.min + 1, info.max, info.max - 1, info.min // 2, info.max // 3]
    return (np.concatenate([vals, edges]).astype(dtype),)


@cases.add("py.arith", lambda: _div_inputs(np.int64), lambda: _div_inputs(np.int32),
           lambda: _div_inputs(np.int8), lambda: _div_inputs(np.int16))
def const_divisors(xs):
    # floor division and modulo by positive constants (powers of two become a shift and a mask,
    # others a corrected truncating division) on negative operands and at the type's extremes,
    # element by element (Python ints of the array's values) and whole-array (NumPy's types)
    out = np.zeros((xs.shape[0], 10), dtype=np.int64)
    for i in range(xs.shape[0]):
        v = int(xs[i])
        out[i, 0] = v // 2
        out[i, 1] = v % 2
        out[i, 2] = v // 8
        out[i, 3] = v % 16
        out[i, 4] = v // 3
        out[i, 5] = v % 7
        out[i, 6] = v // 1
        out[i, 7] = v % 1
    return out, xs // 4, xs % 4, xs // 5, xs % 10, xs // 1


@cases.add("py.arith", lambda: (np.array([0, 1, 2, 7, 255, 2**31, 2**63, 2**64 - 1], dtype=np.uint64),),
           lambda: (np.array([0, 1, 3, 200, 255], dtype=np.uint8),))
def const_divisors_unsigned(xs):
    return xs // 4, xs % 4, xs // 10, xs % 10, xs // 1, xs % 1


@cases.add("py.arith", (1,), (2,), (7,), (0,))
def ring_neighbours(n):
    # (i + 1) % n and (i - 1) % n inside range(n) become one comparison each (n >= 1 there);
    # other shapes and moduli keep Python's modulo
    out = np.zeros((n, 6), dtype=np.int64)
    m = n + 1
    for i in range(n):
        out[i, 0] = (i + 1) % n
        out[i, 1] = (i - 1) % n
        out[i, 2] = (i + 2) % n
        out[i, 3] = (i - 1) % m
        out[i, 4] = (1 + i) % n
        out[i, 5] = (i - 1) // n
    return out


@cases.add("py.arith", (4, 0), raises=ZeroDivisionError)
def ring_modulus_not_the_stop(n, m):
    # the modulus is not the loop's stop: a zero raises as in CPython
    s = 0
    for i in range(n):
        s += (i + 1) % m
    return s


@cases.add("py.arith", (1,), (5,))
def ring_stop_reassigned(n):
    # range(n) is evaluated once; the modulus n changes under it
    s = 0
    for i in range(n):
        s = s * 7 + (i + 1) % n + (i - 1) % n
        n += 1
    return s


@cases.add("py.arith", (5, 3), (1, 1), (6, 2))
def ring_modulus_other(n, m):
    s = 0
    for i in range(n):
        s += (i + 1) % m + (i - 1) % m
    return s


@cases.add("py.arith", (True, False), (5, 0), (0.0, 2.5))
def bool_and_or(a, b):
    return (a and b), (a or b), (not a), (a if b else -1)


@cases.add("py.control", (10,), (0,), (37,))
def collatz_steps(n):
    steps = 0
    while n > 1:
        if n % 2 == 0:
            n //= 2
        elif n % 3 == 0:
            n = n // 3
        else:
            n = 3 * n + 1
        steps += 1
        if steps > 1000:
            break
    return steps


@cases.add("py.control", (20,))
def skip_multiples(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        total += i
    return total


def _square(x):
    return x * x


def _fib(n):
    return n if n < 2 else _fib(n - 1) + _fib(n - 2)


@cases.add("py.helpers", (3.0,), (4,))
def calls_helper(x):
    return _square(x) + _square(x + 1)


@cases.add("py.helpers", (15,))
def calls_recursive(n):
    return _fib(n)


@cases.add("py.globals", (2.0,))
def reads_globals(t):
    return 0.5 * GRAVITY * t * t + math.pi


test_conformance = cases.test()
