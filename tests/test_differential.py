"""Differential tests: scalar semantics, control flow, math, constants and calls.

Each kernel is a plain module-level function (sejit reads its source); every
test runs it in CPython and through ``jit`` and compares (see conftest.py).
Array kernels live in test_arrays.py.
"""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from conftest import check, check_int64, check_raises, make_array, needs_engine

# Module-level constants, read by the kernels below.
SCALE = 2.5
OFFSET = -3
N_STEPS = 5
LIMIT = 10.0
ENABLED = True
LOW = -1.0
HIGH = 4.0

F32_SCALE = np.float32(1.5)
COMPLEX_C = 1 + 2j
INF = float("inf")
NAN = float("nan")

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def P(*values, id):
    return pytest.param(*values, id=id)


# =========================================================================== arithmetic


def add_sub_mul(a, b):
    return a + b, a - b, a * b, -a, +b


def true_div(a, b):
    return a / b


def floor_div(a, b):
    return a // b


def modulo(a, b):
    return a % b


def power(a, b):
    return a**b


def bool_arith(p, q):
    return True + 1, p + q, p * 3, p + 0.5, p - q


def divmod_pair(a, b):
    q, r = a // b, a % b
    return q, r, q * b + r


NUMBER_PAIRS = [
    P(3, 4, id="int-int"),
    P(-7, 2, id="negint-int"),
    P(2.5, -1.25, id="float-float"),
    P(-7, 2.5, id="int-float"),
    P(1.5, 4, id="float-int"),
    P(True, 2, id="bool-int"),
    P(False, 0.5, id="bool-float"),
    P(2**40, -(2**20), id="int-big"),
]

DIVMOD_PAIRS = [
    P(7, 2, id="7,2"),
    P(-7, 2, id="-7,2"),
    P(7, -2, id="7,-2"),
    P(-7, -2, id="-7,-2"),
    P(-7, 3, id="-7,3"),
    P(7, -3, id="7,-3"),
    P(6, -3, id="6,-3"),
    P(-6, 3, id="-6,3"),
    P(0, 5, id="0,5"),
    P(1, 1, id="1,1"),
    P(INT64_MIN, 7, id="min,7"),
    P(INT64_MAX, -2, id="max,-2"),
    P(-7.5, 2.0, id="-7.5,2.0"),
    P(7.5, -2.0, id="7.5,-2.0"),
    P(-7.0, 2.0, id="-7.0,2.0"),
    P(7.25, -3.0, id="7.25,-3.0"),
    P(-0.5, 3.0, id="-0.5,3.0"),
    P(-6.0, 3.0, id="-6.0,3.0"),
    P(1e300, 3.5, id="1e300,3.5"),
    P(-7, 2.0, id="int,float"),
    P(-5.0, INF, id="-5.0,inf"),
    P(5.0, -INF, id="5.0,-inf"),
    P(5.0, INF, id="5.0,inf"),
    P(INF, 3.0, id="inf,3.0"),
    P(NAN, 3.0, id="nan,3.0"),
    P(7.5, -2, id="float,int"),
    P(True, 2, id="bool,int"),
]


@pytest.mark.parametrize("a, b", NUMBER_PAIRS)
def test_add_sub_mul(a, b):
    check(add_sub_mul, a, b)


@pytest.mark.parametrize("a, b", NUMBER_PAIRS)
def test_true_div(a, b):
    check(true_div, a, b)


def test_sign_rules_are_pythons():
    # The documented examples, spelled out.
    assert check(floor_div, -7, 2) == -4
    assert check(modulo, -7, 3) == 2
    assert check(modulo, 7, -3) == -2
    assert check(floor_div, -7.0, 2.0) == -4.0
    assert check(modulo, -7.0, 3.0) == 2.0
    assert check(modulo, 7.0, -3.0) == -2.0


@pytest.mark.parametrize("a, b", DIVMOD_PAIRS)
def test_floor_div_and_mod(a, b):
    check(floor_div, a, b)
    check(modulo, a, b)
    check(divmod_pair, a, b)


@pytest.mark.parametrize(
    "a, b",
    [
        P(2, 10, id="int-int"),
        P(3, 0, id="int-zero"),
        P(-3, 3, id="negint-odd"),
        P(2.0, -1.5, id="float-negfloat"),
        P(-8.0, 2, id="negfloat-int"),
        P(1.5, 2.5, id="float-float"),
        P(2, 0.5, id="int-float"),
    ],
)
def test_power(a, b):
    check(power, a, b)


@pytest.mark.parametrize(
    "p, q", [P(True, False, id="TF"), P(True, True, id="TT"), P(False, False, id="FF")]
)
def test_bool_arithmetic(p, q):
    assert check(bool_arith, p, q)[0] == 2


# =========================================================================== division by zero


def div_in_loop(n):
    s = 0.0
    for i in range(n):
        s += 1.0 / (i - 3)
    return s


def int_div_in_loop(n, k):
    s = 0
    for i in range(n):
        s += 100 // (k - i) + 100 % (k - i)
    return s


@pytest.mark.parametrize(
    "fn, a, b",
    [
        P(true_div, 1, 0, id="int/0"),
        P(true_div, 0, 0, id="0/0"),
        P(true_div, 1.0, 0.0, id="float/0.0"),
        P(true_div, 1.5, 0, id="float/int0"),
        P(true_div, 2, 0.0, id="int/float0"),
        P(floor_div, 7, 0, id="int//0"),
        P(floor_div, -7.5, 0.0, id="float//0.0"),
        P(floor_div, 3, 0.0, id="int//float0"),
        P(modulo, 7, 0, id="int%0"),
        P(modulo, 7.5, 0.0, id="float%0.0"),
        P(modulo, 7.5, 0, id="float%int0"),
        P(divmod_pair, -3, 0, id="divmod-int"),
    ],
)
def test_zero_division(fn, a, b):
    check_raises(fn, a, b, exc=ZeroDivisionError)


def element_div(x, d):
    return x[0] / d, x[0] // d, x[0] % d


def _inverse_floor(v):
    return 1 // v


def zero_division_in_helper(n):
    s = 0
    for i in range(n):
        s += _inverse_floor(i - 2)
    return s


def test_numpy_scalars_divide_by_zero_like_numpy():
    # NumPy scalars (and array elements, which are NumPy scalars in CPython) give
    # inf/nan (floats) or 0 (ints) with a warning, not ZeroDivisionError.
    check(true_div, np.float64(1.0), 0.0)
    check(divmod_pair, np.float64(-1.5), 0.0)
    check(true_div, np.float32(1.0), np.float32(0.0))
    check(divmod_pair, np.int64(7), np.int64(0))
    check(divmod_pair, np.int32(-7), np.int32(0))
    check(element_div, make_array(3), 0.0)
    check(element_div, make_array(3), 0)
    check(element_div, make_array(3, np.int64, low=1, high=5), 0)


def test_zero_division_inside_loops():
    check(div_in_loop, 3)
    check_raises(div_in_loop, 10, exc=ZeroDivisionError)
    check(int_div_in_loop, 4, 10)
    check_raises(int_div_in_loop, 10, 4, exc=ZeroDivisionError)
    check(zero_division_in_helper, 2)
    check_raises(zero_division_in_helper, 5, exc=ZeroDivisionError)


# =========================================================================== int64 wrap-around
# sejit's integers are int64 and wrap like NumPy's int64. These references run
# the same function in CPython on np.int64 values (see conftest.check_int64),
# not on Python's unbounded ints.


def lcg(seed, n):
    h = seed
    for _ in range(n):
        h = h * 6364136223846793005 + 1442695040888963407
    return h


def fib_from(n, a, b):
    for _ in range(n):
        a, b = b, a + b
    return a


def negate(a):
    return -a


@pytest.mark.parametrize(
    "a, b",
    [
        P(INT64_MAX, 1, id="max+1"),
        P(INT64_MIN, 1, id="min-1"),
        P(2**62, 4, id="2^62*4"),
        P(3037000500, 3037000500, id="sqrtmax^2"),
        P(-(2**40), 2**40 + 12345, id="neg-big"),
    ],
)
def test_int64_wraps(a, b):
    check_int64(add_sub_mul, a, b)


def test_int64_wraps_in_loops():
    check_int64(lcg, 12345, 1000)
    check_int64(lcg, -1, 3)
    check_int64(fib_from, 100, 0, 1)
    check_int64(negate, INT64_MIN)
    check_int64(divmod_pair, INT64_MIN, 3)


@needs_engine
def test_int64_min_floordiv_minus_one_wraps(tmp_path):
    # INT64_MIN // -1 overflows: NumPy's int64 gives INT64_MIN (and % gives 0);
    # the C division instruction traps (SIGFPE) here, so run it in a separate process.
    (tmp_path / "divmod_mod.py").write_text(
        "def divmod_pair(a, b):\n    q, r = a // b, a % b\n    return q, r, q * b + r\n"
    )
    code = (
        "import json, divmod_mod\n"
        "from sejit import jit\n"
        f"print(json.dumps([int(v) for v in jit(divmod_mod.divmod_pair)({INT64_MIN}, -1)]))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path)] + sys.path))
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    with np.errstate(all="ignore"):
        expected = divmod_pair(np.int64(INT64_MIN), np.int64(-1))
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [int(v) for v in expected]


# =========================================================================== comparisons, logic


def compare_all(a, b):
    return a < b, a <= b, a > b, a >= b, a == b, a != b


def chain3(a, b, c):
    return a < b < c


def chain_mixed(a, b, c):
    return a <= b == c != 0, 0 < a < b <= c, a != b != c


def logic(a, b):
    return a > 0 and b > 0, a > 0 or b > 0, not a > b, not (a == b or a > 0)


def or_value(a, b):
    return a or b


def and_value(a, b):
    return a and b


def short_circuit(x, i):
    return i < len(x) and x[i] > 0.0


def not_bool(p):
    return not p, not not p


@pytest.mark.parametrize(
    "a, b",
    [
        P(1, 2, id="lt"),
        P(2, 2, id="eq"),
        P(3, -2, id="gt"),
        P(1.5, 1, id="float-int"),
        P(2, 2.0, id="int-float-eq"),
        P(float("nan"), 1.0, id="nan"),
        P(True, 1, id="bool-int"),
    ],
)
def test_comparisons(a, b):
    check(compare_all, a, b)


@pytest.mark.parametrize(
    "a, b, c",
    [
        P(1, 2, 3, id="increasing"),
        P(1, 3, 2, id="not-increasing"),
        P(2, 2, 2, id="equal"),
        P(0.5, 1, 1.5, id="mixed"),
        P(-1, 0, 0, id="zeros"),
    ],
)
def test_chained_comparisons(a, b, c):
    check(chain3, a, b, c)
    check(chain_mixed, a, b, c)


@pytest.mark.parametrize(
    "a, b", [P(1, 2, id="pos"), P(-1, 2, id="neg-pos"), P(-1, -1, id="neg"), P(0, 0, id="zero")]
)
def test_and_or_not(a, b):
    check(logic, a, b)
    check(or_value, a, b)
    check(and_value, a, b)
    check(logic, float(a), float(b))


@pytest.mark.parametrize("p", [True, False], ids=["true", "false"])
def test_not(p):
    check(not_bool, p)


def test_and_short_circuits():
    x = make_array(5)
    for i in (0, 4, 5, 100):
        # CPython gives the Python False of i < len(x), or the np.bool_ of x[i] > 0.0: one
        # compiled type cannot follow, so the result is compared by dtype and value.
        check(short_circuit, x, i, scalar_types=i < 5)


# =========================================================================== branches and loops


def abs_ifexp(x):
    return x if x >= 0 else -x


def sign_ifexp(x):
    return -1 if x < 0 else (0 if x == 0 else 1)


def classify(x):
    if x < 0:
        r = -1
    elif x == 0:
        r = 0
    elif x < LIMIT:
        r = 1
    else:
        r = 2
    return r


def early_returns(n):
    if n < 0:
        return 0
    if n > 100:
        return 100
    return n * 2


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


def digit_sum(n):
    s = 0
    while n:
        s += n % 10
        n //= 10
    return s


def first_power_above(limit):
    p = 1
    while True:
        p *= 2
        if p > limit:
            break
    return p


def range_sum(start, stop, step):
    s = 0
    for i in range(start, stop, step):
        s += i
    return s


def range_squares(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def range_product(a, b):
    p = 1.0
    for i in range(a, b):
        p *= i / 2
    return p


def count_down(n):
    s = 0
    for i in range(n - 1, -1, -1):
        s = s * 3 + i
    return s


def first_above(x, t):
    idx = -1
    for i in range(len(x)):
        if x[i] > t:
            idx = i
            break
    return idx


def sum_skipping(n, k):
    s = 0
    for i in range(n):
        if i % k == 0:
            continue
        s += i
    return s


def nested_break(n):
    count = 0
    for i in range(1, n):
        for j in range(1, n):
            if i * j > n:
                break
            if (i + j) % 3 == 0:
                continue
            count += 1
    return count


def while_continue(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 4 == 0:
            continue
        s += i
    return s


@pytest.mark.parametrize("x", [-3, 0, 5, 12, -2.5, 0.0, 7.5, 1e9], ids=str)
def test_conditionals(x):
    check(abs_ifexp, x)
    check(sign_ifexp, x)
    check(classify, x)


@pytest.mark.parametrize("n", [-5, 0, 42, 1000])
def test_early_returns(n):
    check(early_returns, n)


@pytest.mark.parametrize("n", [1, 6, 27, 97])
def test_while_collatz(n):
    check(collatz_steps, n)


@pytest.mark.parametrize(
    "a, b", [P(48, 18, id="48,18"), P(17, 5, id="coprime"), P(0, 9, id="zero"), P(-12, 8, id="neg")]
)
def test_while_gcd_tuple_swap(a, b):
    check(gcd, a, b)


def test_while_truthiness_break_continue():
    check(digit_sum, 0)
    check(digit_sum, 987654321)
    check(first_power_above, 1000)
    check(while_continue, 17)


@pytest.mark.parametrize(
    "start, stop, step",
    [
        P(0, 10, 1, id="up"),
        P(3, 20, 4, id="up-step4"),
        P(10, 0, -1, id="down"),
        P(10, -7, -3, id="down-step3"),
        P(5, 5, 1, id="empty"),
        P(0, 10, -1, id="empty-neg"),
        P(-5, 5, 2, id="neg-start"),
    ],
)
def test_for_range_steps(start, stop, step):
    check(range_sum, start, stop, step)


def test_for_range_forms():
    check(range_squares, 0)
    check(range_squares, 50)
    check(range_product, 1, 12)
    check(range_product, 5, 2)
    check(count_down, 10)


def test_break_and_continue():
    x = np.linspace(0.0, 1.0, 11)
    check(first_above, x, 0.55)
    check(first_above, x, 2.0)
    check(sum_skipping, 20, 3)
    check(nested_break, 12)


# =========================================================================== assignment forms


def aug_int(a, b):
    s = a
    s += b
    s -= 1
    s *= 3
    s //= 2
    s %= 1000
    s **= 2
    return s


def aug_float(a):
    s = a
    s += 1.5
    s /= 2.0
    s *= s
    s -= 0.25
    s //= 0.5
    s %= 3.0
    s **= 0.5
    return s


def swap(a, b):
    a, b = b, a
    return a, b


def rotate3(a, b, c):
    a, b, c = b, c, a
    return a, b, c


def mixed_tuple(n, x):
    return n * 2, x / 2, n > 3


def unpack_tuple_result(a, b):
    q, r = _divmod_helper(a, b)
    return q + r, q - r


@pytest.mark.parametrize("a, b", [P(7, 5, id="pos"), P(-7, 3, id="neg"), P(100, -33, id="mixed")])
def test_augmented_assignment_int(a, b):
    check(aug_int, a, b)


@pytest.mark.parametrize("a", [0.5, 3.25, 11.0], ids=str)
def test_augmented_assignment_float(a):
    check(aug_float, a)


def test_tuple_assignment_and_returns():
    check(swap, 1, 2)
    check(swap, 1.5, -2.5)
    check(rotate3, 1, 2, 3)
    check(mixed_tuple, 5, 3.0)
    check(mixed_tuple, 2, -1.0)
    check(unpack_tuple_result, 17, 5)
    check(unpack_tuple_result, -17, 5)


# =========================================================================== other scalar dtypes


def complex_arith(z, w):
    return z + w, z - w, z * w, z / w, -z, z == w, z != w


def complex_mixed(z, x, n):
    return z * x + n, z + 1j, 2 * z - 0.5, z / n


def complex_ufuncs(z):
    return np.abs(z), np.exp(z), np.sqrt(z)


def mandel_escape(c, maxiter):
    z = 0j
    n = 0
    while n < maxiter and np.abs(z) <= 2.0:
        z = z * z + c
        n += 1
    return n


def scalar_arith_weak(x, y):
    return x * 2.0 + y, x / y, x - 1, x * y


def int32_ops(a, b):
    return a + b, a * 3, a // b, a % b, a / b, -a, a < b


def int32_mixed(a, b, x):
    return a + b, a + 1.5, a * 2, a + x


def test_complex_scalars():
    check(complex_arith, 1 + 2j, 3 - 0.5j)
    check(complex_arith, -1.5j, 2 + 0j)
    check(complex_mixed, 1 + 2j, 0.5, 3)
    check(complex_ufuncs, 3 + 4j)
    check(complex_ufuncs, -1 + 0.25j)


@pytest.mark.parametrize("c", [0j, -1 + 0j, 0.3 + 0.5j, 1 + 1j, -0.75 + 0.1j], ids=str)
def test_complex_mandelbrot(c):
    check(mandel_escape, c, 100)


def test_float32_scalars_stay_float32():
    check(scalar_arith_weak, np.float32(1.5), np.float32(0.25))
    check(scalar_arith_weak, np.float32(-3.0), 2.0)
    check(scalar_arith_weak, np.float64(1.5), np.float32(4.0))


def test_int32_scalars():
    check(int32_ops, np.int32(7), np.int32(-2))
    check(int32_ops, np.int32(-7), np.int32(3))
    check(int32_mixed, np.int32(5), np.int64(7), 2.5)
    check(int32_mixed, np.int32(5), 7, np.float32(2.5))
    # int32 wraps at 32 bits, like NumPy's int32 scalars.
    check(int32_ops, np.int32(2**31 - 1), np.int32(5))


def test_int64_scalar_arguments():
    check(add_sub_mul, np.int64(3), np.int64(-9))
    check(floor_div, np.int64(-7), np.int64(2))
    check(add_sub_mul, np.int64(3), 2.5)


# =========================================================================== math module


def math_funcs(x, y):
    return (
        math.sqrt(x),
        math.exp(y),
        math.log(x),
        math.sin(y),
        math.cos(y),
        math.tan(y),
        math.atan2(y, x),
        math.hypot(x, y),
        math.fabs(y),
    )


def math_int_results(x):
    return math.floor(x), math.ceil(x), math.floor(-x), math.floor(x) // 2


def math_constants(r):
    return math.pi * r * r, math.e**r, math.tau * r, r < math.inf


def math_on_ints(n):
    return math.sqrt(n), math.exp(n / 10), math.hypot(n, 4)


@pytest.mark.parametrize(
    "x, y", [P(2.0, 0.5, id="pos"), P(0.25, -3.0, id="neg-y"), P(9.0, 1e-3, id="small")]
)
def test_math_functions(x, y):
    check(math_funcs, x, y)


@pytest.mark.parametrize("x", [2.5, -2.5, 3.0, 0.0, 1e10 + 0.5], ids=str)
def test_math_floor_ceil_return_int(x):
    check(math_int_results, x)


def test_math_constants_and_int_args():
    check(math_constants, 1.5)
    check(math_on_ints, 3)


# =========================================================================== module constants


def use_constants(x):
    return x * SCALE + OFFSET, N_STEPS, x > LIMIT, ENABLED


def constants_in_loop(x):
    s = 0.0
    for i in range(N_STEPS):
        if ENABLED and s < LIMIT:
            s += x * SCALE
    return s


def typed_constants(x):
    return x * F32_SCALE, x + COMPLEX_C


def test_module_constants():
    check(use_constants, 3.0)
    check(use_constants, 4)
    check(constants_in_loop, 0.5)
    check(constants_in_loop, 3.0)
    # A NumPy float32 constant is a strong float32; a Python complex is weak (NEP 50).
    check(typed_constants, np.float32(2.0))
    check(typed_constants, 2.0)
    check(typed_constants, 3)


# =========================================================================== calls and recursion


def _square(v):
    return v * v


def _clip(v, lo, hi):
    if v < lo:
        return lo
    if v > hi:
        return hi
    return v


def _divmod_helper(a, b):
    return a // b, a % b


def _dot(x, y):
    s = 0.0
    for i in range(len(x)):
        s += x[i] * y[i]
    return s


def _fill(y, v):
    for i in range(len(y)):
        y[i] = v


def call_helper(a, b):
    return _square(a) + _square(b)


def call_chain(x):
    return _clip(_square(x) - 3.0, LOW, HIGH)


def norm(x):
    return math.sqrt(_dot(x, x))


def fill_every_other(y, v):
    _fill(y[::2], v)
    return _dot(y, y)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


def gcd_rec(a, b):
    if b == 0:
        return a
    return gcd_rec(b, a % b)


def rsum(x, lo, hi):
    if hi - lo == 1:
        return x[lo]
    if hi <= lo:
        return 0.0
    mid = (lo + hi) // 2
    return rsum(x, lo, mid) + rsum(x, mid, hi)


def _is_even(n):
    if n == 0:
        return True
    return _is_odd(n - 1)


def _is_odd(n):
    if n == 0:
        return False
    return _is_even(n - 1)


def parity(n):
    return _is_even(n), _is_odd(n)


def test_helper_calls():
    check(call_helper, 3, 4)
    check(call_helper, 1.5, -2.0)
    check(call_helper, 2, 0.5)
    for x in (-2.0, 1.0, 2.0, 5.0):
        check(call_chain, x)


def test_helper_with_arrays():
    x = make_array(17)
    check(norm, x)
    check(norm, make_array(9, layout="strided"))
    check(fill_every_other, make_array(10), 2.5)


@pytest.mark.parametrize("n", [0, 1, 2, 10, 20])
def test_recursive_fib(n):
    check(fib, n)


def test_recursion():
    check(factorial, 0)
    check(factorial, 20)
    check(gcd_rec, 1071, 462)
    check(parity, 7)
    check(parity, 10)
    x = make_array(37)
    for lo, hi in ((0, 37), (5, 6), (3, 20), (4, 4)):
        # An empty range returns the Python 0.0 in CPython, elements are np.float64.
        check(rsum, x, lo, hi, scalar_types=hi > lo)
