"""Conformance: dtypes, NEP 50 promotion, casts, NumPy scalar types as casts, astype.

Every supported dtype is passed as a NumPy scalar and as an array; results must have NumPy's
dtype and value (small integers wrap as NumPy's do). See tests/conformance.py for how cases are
registered and docs/supported.md for the table they prove.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)

SIGNED = (np.int8, np.int16, np.int32, np.int64)
UNSIGNED = (np.uint8, np.uint16, np.uint32, np.uint64)
FLOATS = (np.float32, np.float64)
COMPLEXES = (np.complex64, np.complex128)
ALL = (np.bool_,) + SIGNED + UNSIGNED + FLOATS + COMPLEXES


def _edges(d):
    """Values near both ends of an integer dtype, and small ones."""
    info = np.iinfo(d)
    return np.array([info.min, info.max, info.max - 1, 7, 3, 0], dtype=d)


def _divisors(d):
    info = np.iinfo(d)
    return np.array([3, 2, 7, -2 if info.min < 0 else 9, 0, 5], dtype=d)


# --------------------------------------------------------------------------- integers


def _int_scalars(d):
    info = np.iinfo(d)
    return [(d(info.max), d(3)), (d(info.min), d(7)), (d(100), d(0))]


@cases.add(
    "types.int",
    *[args for d in SIGNED for args in _int_scalars(d)],
    *[lambda d=d: (_edges(d), _divisors(d)) for d in SIGNED],
)
def int_wrapping_ops(a, b):
    # + - * wrap around as NumPy's fixed-width integers do; // and % by zero give 0.
    return a + b, a - b, a * b, a // b, a % b, -a, a < b, a == b, a >= b


@cases.add("types.int", *[(d(-100), d(3)) for d in SIGNED], *[(d(5), d(2)) for d in SIGNED])
def int_bitwise_ops(a, b):
    return a & b, a | b, a ^ b, ~a, a << b, a >> b


@cases.add(
    "types.int",
    *[(d(3), d(4)) for d in SIGNED],
    (np.int8(3), np.int8(5)),
    (np.int64(3), np.int64(40)),
    (np.int8(-2), np.int8(7)),
    (np.uint8(3), np.uint8(6)),
    lambda: (np.array([2, 3, 0], np.int16), np.array([15, 9, 0], np.int16)),
)
def int_power(a, b):
    # Integer powers wrap like repeated multiplication; 0 ** 0 is 1.
    return a**b


@cases.add(
    "types.int",
    *[(d(np.iinfo(d).min), d(-1)) for d in SIGNED],
    *[lambda d=d: (np.array([np.iinfo(d).min, 5], d), np.array([-1, -1], d)) for d in SIGNED],
)
def int_min_floor_divided_by_minus_one(a, b):
    # NumPy's result (the minimum again, and 0) without C's undefined behaviour.
    return a // b, a % b


@cases.add("types.int", *[lambda d=d: (_edges(d), _divisors(d)) for d in (np.int8, np.int32)])
def int_true_division(a, b):
    # int arrays divide into float64, a zero divisor giving inf or nan.
    return a / b


@cases.add("types.int", *[(d(9), np.int64(4)) for d in SIGNED])
def int_mixed_widths(a, b):
    return a + b, a * b, a - b


@cases.add("types.int", *[lambda d=d: (_edges(d),) for d in SIGNED])
def int_array_in_loop(x):
    # Element reads are NumPy scalars; accumulating in the element's dtype wraps.
    acc = x[0]
    for i in range(1, len(x)):
        acc = acc + x[i]
    return acc, x.sum()


# --------------------------------------------------------------------------- unsigned


def _uint_scalars(d):
    info = np.iinfo(d)
    return [(d(info.max), d(3)), (d(0), d(7)), (d(100), d(0))]


@cases.add(
    "types.uint",
    *[args for d in UNSIGNED for args in _uint_scalars(d)],
    *[lambda d=d: (_edges(d), _divisors(d)) for d in UNSIGNED],
)
def uint_wrapping_ops(a, b):
    # 0 - 7 wraps to the top of the range; // and % by zero give 0.
    return a + b, a - b, a * b, a // b, a % b, a < b, a != b, a & b, a | b, a ^ b, ~a


@cases.add(
    "types.uint",
    (np.uint64(2**64 - 1), np.int64(-1)),
    (np.uint32(7), np.int32(-9)),
    (np.uint8(200), np.int8(-100)),
    (np.uint16(60000), np.int64(-5)),
    (np.uint64(10), np.int8(3)),
)
def uint_signed_mixing(a, b):
    # NumPy 2: uint64 with a signed int gives float64; uint8 with int8 gives int16.
    return a + b, a * b, a < b, a == b


@cases.add(
    "types.uint",
    (np.uint64(2**63), np.int64(2**63 - 1)),
    (np.uint64(2**53 + 1), np.int64(2**53)),
    (np.uint64(2**64 - 1), np.int8(-1)),
    (np.int32(-5), np.uint64(3)),
    (np.uint64(7), 7),
    lambda: (np.array([2**63, 2**53 + 1, 0], np.uint64), np.array([2**63 - 1, 2**53, -1])),
)
def uint64_signed_compare_exactly(a, b):
    # NumPy 2 compares uint64 with signed integers exactly, not through float64.
    return a == b, a != b, a < b, a <= b, a > b, a >= b


@cases.add(
    "types.uint",
    lambda: (np.array([0, 1, 2**64 - 1], np.uint64), np.array([-1, 5, 3], np.int64)),
    lambda: (np.array([0, 255, 7], np.uint8), np.array([-128, 1, 127], np.int8)),
    lambda: (np.array([0, 2**32 - 1], np.uint32), np.array([-1, 1], np.int16)),
)
def uint_signed_arrays(a, b):
    return a + b, a - b, a > b


# --------------------------------------------------------------------------- floats


@cases.add(
    "types.float",
    *[(d(2.5), d(-0.75)) for d in FLOATS],
    *[(d(1.0), d(0.0)) for d in FLOATS],
    (np.float32(3.5), np.float64(0.1)),
    *[lambda d=d: (np.array([1.5, -2.0, 0.0, 3.25], d), np.array([0.5, 0.0, 0.0, -4.0], d)) for d in FLOATS],
)
def float_ops(a, b):
    # NumPy scalar and array division by zero gives inf or nan, never an exception.
    return a + b, a - b, a * b, a / b, a // b, a % b, -a, a < b, a == b, a != b


@cases.add("types.float", *[(d(2.0), d(0.5)) for d in FLOATS], (np.float32(-8.0), np.float32(3.0)))
def float_power(a, b):
    return a**b, a**2, abs(a)


@cases.add(
    "types.float",
    *[(d(1.5), e(3)) for d in FLOATS for e in (np.int8, np.int16, np.int32, np.uint64, np.bool_)],
)
def float_int_promotion(a, b):
    # float32 with int8/int16 stays float32; with int32 or wider it becomes float64.
    return a + b, a * b, b / a


@cases.add("types.float", *[lambda d=d: (np.array([1.0, np.nan, -np.inf, 2.0], d),) for d in FLOATS])
def float_nan_inf(x):
    return x == x, x > 0, x + 1, x * 0


# --------------------------------------------------------------------------- complex


@cases.add(
    "types.complex",
    *[(d(1 + 2j), d(3 - 1j)) for d in COMPLEXES],
    (np.complex64(1 + 2j), np.complex128(0.5j)),
    (np.complex64(2 - 1j), np.float64(2.0)),
    (np.complex128(2 - 1j), np.int8(3)),
    *[lambda d=d: (np.array([1 + 1j, -2j, 3], d), np.array([2 - 1j, 1j, 0.5], d)) for d in COMPLEXES],
)
def complex_ops(a, b):
    return a + b, a - b, a * b, a / b, -a, a == b, a != b, abs(a)


@cases.add(
    "types.complex",
    (np.complex128(1 + 2j), np.complex128(1 + 3j)),
    (np.complex64(2 + 0j), np.complex64(1 + 5j)),
    (np.complex128(1 + 2j), np.float64(1.0)),
    lambda: (np.array([1 + 2j, 1 + 3j, 2, -1j], np.complex128), np.array([1 + 3j, 1 + 2j, 2, 0], np.complex128)),
)
def complex_ordering(a, b):
    # NumPy orders complex numbers lexicographically (Python refuses).
    return a < b, a <= b, a > b, a >= b


@cases.add(
    "types.complex",
    (np.complex128(1.5 - 2j),),
    (np.complex64(-0.5 + 4j),),
    (2 + 3j,),
    (np.float32(2.5),),
    (np.int16(-7),),
    (1.25,),
    (True,),
)
def scalar_real_imag(z):
    return z.real, z.imag, z.real * z.real + z.imag * z.imag


@cases.add("types.complex", lambda: (np.array([1 + 2j, -3j, 0.5], np.complex64),))
def element_parts(x):
    s = 0.0
    for i in range(len(x)):
        s += x[i].real - 2 * x[i].imag
    return s


# --------------------------------------------------------------------------- bool


@cases.add(
    "types.bool",
    lambda: (np.array([True, False, True, False]), np.array([True, True, False, False])),
    (np.True_, np.False_),
    (True, False),
)
def bool_logic(a, b):
    return a & b, a | b, a ^ b, a == b, a != b


@cases.add(
    "types.bool",
    lambda: (np.array([True, False, True, False]), np.array([True, True, False, False])),
)
def bool_array_arith(a, b):
    # NumPy adds booleans with logical or and multiplies them with logical and.
    return a + b, a * b, ~a


@cases.add(
    "types.bool",
    lambda: (np.array([1.5, -2.0, 0.0, 3.0]),),
    lambda: (np.array([3, -1, 0, 2], np.int8),),
)
def bool_from_compare(x):
    m = x > 0
    return m, m & (x < 3), m + np.int8(1), m * 2.5, m.sum()


@cases.add("types.bool", (True, 3), (False, 2.5), (np.True_, np.int16(4)), (np.False_, np.float32(2)))
def bool_scalar_arith(a, b):
    return a + b, a * b, b - a, a / b


@cases.add("types.bool", (True, True), (True, False), (np.True_, np.True_), (np.False_, np.True_))
def python_and_numpy_bools(a, b):
    # Python bools add as ints (True + True == 2); NumPy bools with logical or.
    return a + b, a * b, ~a, abs(a), a**b, a << b


@cases.add("types.bool", (True, True), (np.False_, np.True_))
def bool_floor_division(a, b):
    # NumPy computes boolean // and % in int8.
    return a // b, a % b


@cases.add("types.bool", (True,), (np.True_,), value_typed=True)
def python_bool_negative(a):
    return -True, ~True, -(1 < 2) + (a and 3)


@cases.add("types.bool", (1.5, 2.5), (np.float64(1.5), np.float64(2.5)), (np.int8(3), np.int8(3)))
def comparison_results_add(a, b):
    # Comparing Python numbers gives Python bools; comparing NumPy scalars gives NumPy bools.
    return (a < b) + (a <= b), (a == b) * (a >= b)


@cases.add("types.bool", (True, np.False_), (np.True_, False))
def mixed_bools(a, b):
    return a + b, a & b, a | b


@cases.add("types.bool", (True,), (False,), (np.True_,), (np.False_,), value_typed=True)
def bool_truth(a):
    n = 0
    if a:
        n += 1
    if not a:
        n += 10
    return n, a and True, a or False


# --------------------------------------------------------------------------- NEP 50


@cases.add(
    "types.nep50",
    *[lambda d=d: (np.arange(3, dtype=d),) for d in ALL[1:]],
    *[(d(3),) for d in ALL[1:]],
)
def python_scalars_are_weak(x):
    # A Python int/float/complex takes the NumPy operand's dtype when its kind is not higher.
    return x + 1, 2 * x, x - 1, x * 2.5, x + 1j


@cases.add("types.nep50", lambda: (np.arange(3, dtype=np.float32),), (np.float32(1.5),))
def float32_stays_float32(x):
    return x * 2.5, x / 3, x + 1e-3, 2.0**x


@cases.add(
    "types.nep50",
    lambda: (np.arange(3, dtype=np.int8),),
    (np.int8(3),),
    raises=OverflowError,
    match=True,
)
def python_int_constant_out_of_bounds(x):
    return x + 1000


@cases.add(
    "types.nep50",
    lambda: (np.arange(3, dtype=np.uint8), -1),
    (np.int8(3), 1000),
    (np.uint64(5), -1),
    lambda: (np.arange(3, dtype=np.int16), 2**20),
    raises=OverflowError,
    match=True,
)
def python_int_variable_out_of_bounds(x, n):
    # NumPy 2 converts the Python int to the other operand's dtype and refuses values that do
    # not fit.
    return x + n


@cases.add("types.nep50", lambda: (np.arange(3, dtype=np.int8),), (np.int8(3),))
def python_int_compare_out_of_range(x):
    # Comparisons are exempt: NumPy compares the exact values.
    return x < 1000, x == -1000, x > -129


@cases.add("types.nep50", lambda: (np.arange(3, dtype=np.int8), 1000))
def python_int_true_division(x, n):
    # True division computes in float64, so the Python int need not fit int8.
    return x / n


@cases.add(
    "types.nep50",
    (np.uint8(200), np.int8(-3)),
    (np.int16(5), np.uint16(3)),
    (np.int32(5), np.float32(0.5)),
    (np.int64(5), np.float32(0.5)),
    (np.float32(2), np.complex64(1j)),
    (np.float64(2), np.complex64(1j)),
    (np.bool_(True), np.uint8(7)),
)
def numpy_scalars_are_strong(a, b):
    return a + b, a * b


@cases.add(
    "types.nep50",
    lambda: (np.arange(3, dtype=np.float32), np.float64(0.5)),
    lambda: (np.arange(3, dtype=np.int8), np.int64(300)),
    lambda: (np.arange(3, dtype=np.uint8), np.int8(-1)),
)
def numpy_scalar_with_array(x, s):
    # NumPy 2: a NumPy scalar is as strong as an array (float32 array * float64 scalar → float64).
    return x + s, x * s


@cases.add("types.nep50", (np.float32(1.5), 2.5), (np.int16(7), 3), (np.complex64(1j), 2.0))
def numpy_scalar_with_python_scalar(a, b):
    return a + b, a * b, a - b, b - a


# --------------------------------------------------------------------------- storing scalars


def _small(d):
    return np.zeros(3, dtype=d)


@cases.add(
    "types.nep50",
    lambda: (_small(np.int8), 100),
    lambda: (_small(np.uint8), 255),
    lambda: (_small(np.int16), -2.7),
    lambda: (_small(np.uint32), 3.9),
    lambda: (_small(np.uint8), np.int64(300)),
    lambda: (_small(np.uint16), np.float64(-1.5)),
    lambda: (_small(np.int8), np.int64(-128)),
    lambda: (_small(np.float32), 1e40),
    lambda: (_small(np.bool_), 7),
)
def stores_scalar(x, v):
    # A scalar stored into an element or a slice: Python numbers must fit (int() first); NumPy
    # scalars wrap into unsigned arrays.
    x[0] = v
    x[1:] = v
    return x


@cases.add(
    "types.nep50",
    lambda: (_small(np.int8), 1000),
    lambda: (_small(np.uint8), -1),
    lambda: (_small(np.uint64), -1),
    lambda: (_small(np.int8), np.int64(300)),
    lambda: (_small(np.int16), np.float64(40000.5)),
    lambda: (_small(np.int32), 1e30),
    raises=OverflowError,
)
def stores_scalar_out_of_bounds(x, v):
    x[0] = v
    return x


@cases.add("types.nep50", lambda: (_small(np.int8), float("nan")), raises=ValueError, match=True)
def stores_nan_into_int(x, v):
    x[1] = v
    return x


@cases.add(
    "types.nep50",
    lambda: (np.array([10, 20, 100], np.int64), _small(np.int8)),
    raises=OverflowError,
    match=True,
)
def stores_in_loop_out_of_bounds(y, out):
    # Element by element, CPython stores NumPy int64 scalars: 200 does not fit int8.
    for i in range(len(y)):
        out[i] = y[i] * 2
    return out


@cases.add("types.nep50", lambda: (np.array([10, 20, 60], np.int64), _small(np.int8)))
def stores_in_loop(y, out):
    for i in range(len(y)):
        out[i] = y[i] * 2
    return out


@cases.add(
    "types.nep50",
    lambda: (np.arange(3, dtype=np.int8), 1000),
    lambda: (np.arange(3, dtype=np.uint8), -1),
    raises=OverflowError,
    match=True,
)
def in_place_python_int_out_of_bounds(x, n):
    x += n
    return x


@cases.add("types.nep50", lambda: (np.arange(3, dtype=np.int8), 100), lambda: (np.arange(3, dtype=np.uint8), 250))
def in_place_python_int_wraps(x, n):
    # In range, the Python int takes the array's dtype and the sum wraps.
    x += n
    x *= 3
    return x


# --------------------------------------------------------------------------- casts


@cases.add(
    "types.casts",
    (3.7,),
    (-3.7,),
    (np.float32(-2.5),),
    (np.float64(1e15 + 0.5),),
    (np.int8(-5),),
    (np.uint64(2**63 - 1),),
    (True,),
    (np.True_,),
    (np.uint8(200),),
    (np.complex128(2.5 - 1j),),
)
def int_cast(x):
    # int() truncates toward zero; a NumPy complex gives its real part.
    return int(x)


@cases.add(
    "types.casts",
    (float("nan"),),
    (np.float32("nan"),),
    raises=ValueError,
    match=True,
)
def int_of_nan(x):
    return int(x)


@cases.add("types.casts", (float("inf"),), (np.float64("-inf"),), raises=OverflowError, match=True)
def int_of_inf(x):
    return int(x)


@cases.add(
    "types.casts",
    (3,),
    (np.int8(-3),),
    (np.uint64(2**64 - 1),),
    (True,),
    (np.float32(1.1),),
    (0.0,),
    (np.complex64(1.5 + 2j),),
)
def float_bool_complex_casts(x):
    return float(x), bool(x), complex(x)


@cases.add("types.casts", (2.5j,), (0j,), (np.complex128(0),))
def bool_complex_of_complex(z):
    return bool(z), complex(z)


@cases.add("types.casts", (1.5, 2), (np.float32(1.5), np.int8(2)), (0, float("inf")))
def complex_of_two(re, im):
    return complex(re, im)


@cases.add("types.casts", (np.array([3.0, -1.5, 7.25]),))
def float_of_text(x):
    # float('inf') and friends are constants.
    best, worst = float("inf"), float("-inf")
    for i in range(len(x)):
        best = min(best, x[i])
        worst = max(worst, x[i])
    return best, worst, float("nan") != float("nan"), float(" 1e-3 "), float("1e400")


@cases.add("types.casts", ())
def casts_without_argument():
    return int(), float(), bool(), complex()


# --------------------------------------------------------------------------- NumPy scalar types


@cases.add(
    "types.np-scalars",
    (3,),
    (3.7,),
    (True,),
    (np.int64(300),),
    (np.float64(300.5),),
    (np.float32(2.5),),
    (np.uint64(2**64 - 1),),
    (np.int8(-7),),
)
def numpy_scalar_casts(x):
    # Python numbers must fit a NumPy integer type; NumPy scalars wrap as astype does.
    return np.int64(x), np.float32(x), np.float64(x), np.complex64(x), np.bool_(x), np.int16(x), np.uint64(x)


@cases.add("types.np-scalars", (np.int64(300),), (np.float64(-300.7),), (np.uint16(65535),))
def numpy_small_int_casts(x):
    # From NumPy scalars the conversion wraps (np.int8(np.int64(300)) == 44).
    return np.int8(x), np.uint8(x), np.int32(x), np.uint32(x)


@cases.add("types.np-scalars", (300,), (-1,), (2**40,), (-3.7,), raises=OverflowError, match=True)
def numpy_uint8_of_python_int(x):
    return np.uint8(x)


@cases.add("types.np-scalars", (300,), (-129,), raises=OverflowError, match=True)
def numpy_int8_of_python_int(x):
    return np.int8(x)


@cases.add("types.np-scalars", ())
def numpy_int8_of_constant():
    return np.int8(100) + np.int8(100), np.uint8(3) - np.uint8(5), np.float32(0.1), np.float64()


@cases.add(
    "types.np-scalars",
    lambda: (np.array([1.5, -2.5, 300.0, 0.0]),),
    lambda: (np.array([[1, -2], [300, 0]], np.int64),),
)
def numpy_scalar_types_on_arrays(x):
    return np.float32(x), np.int8(x), np.uint8(x), np.bool_(x), np.complex128(x)


@cases.add("types.np-scalars", lambda: (np.array([1.5, 2.5]), np.arange(4, dtype=np.int8)))
def numpy_scalar_type_same_dtype(x, y):
    # The same dtype returns the array itself, as NumPy does.
    return np.float64(x), np.int8(y)


# --------------------------------------------------------------------------- astype


@cases.add(
    "types.astype",
    lambda: (np.array([1.5, -2.5, 300.0, 0.0, -0.9]),),
    lambda: (np.array([[1.5, -2.5], [3.25, 7.0]], np.float32),),
    lambda: (np.arange(6, dtype=np.int64).reshape(2, 3)[:, ::2],),
)
def astype_dtype_objects(x):
    # float → int truncates toward zero; to int8 it wraps as NumPy's cast does.
    return x.astype(np.float32), x.astype(np.int64), x.astype(np.int8), x.astype(np.uint8), x.astype(np.bool_)


@cases.add("types.astype", lambda: (np.array([1.5, -2.5, 0.0]),), lambda: (np.arange(3, dtype=np.uint16),))
def astype_strings(x):
    return x.astype("float32"), x.astype("int32"), x.astype("complex64"), x.astype("f8"), x.astype("u1")


@cases.add("types.astype", lambda: (np.array([1.5, -2.5, 0.0]),), lambda: (np.array([True, False]),))
def astype_python_types(x):
    return x.astype(float), x.astype(int), x.astype(bool), x.astype(complex)


@cases.add("types.astype", lambda: (np.array([1.25, 2.5]),))
def astype_copies(x):
    # astype returns a new array even for the same dtype.
    y = x.astype(np.float64)
    y[0] = 100.0
    z = x.astype(dtype=np.float32, copy=True)
    return x, y, z


@cases.add("types.astype", lambda: (np.array([1.25, 2.5]),))
def astype_no_copy(x):
    # copy=False returns the array itself when the dtype is already right.
    y = x.astype(np.float64, copy=False)
    y[1] = -1.0
    z = x.astype(np.float32, copy=False)
    return y, z


@cases.add("types.astype", (np.float64(2.75),), (np.int16(-3),))
def astype_of_numpy_scalar(s):
    return s.astype(np.int8), s.astype(np.float32), s.astype("complex128")


@cases.add(
    "types.astype",
    lambda: (np.array([1 + 2j, -3.5 - 1j]),),
    lambda: (np.array([0.5 + 0j, 2j], np.complex64),),
)
def astype_complex(x):
    return x.astype(np.complex64), x.astype(np.complex128), x.astype(np.bool_)


@cases.add("types.astype", (4,), (0,))
def dtype_keyword_strings(n):
    return np.zeros(n, dtype="float32"), np.ones(n, dtype="int8"), np.full(n, 3, dtype="uint16")


@cases.add("types.astype", lambda: (np.arange(5.0) - 2.5, 3))
def dtype_keyword_strings_everywhere(x, n):
    # dtype= given as a string, to the creation functions and to astype.
    return (
        x.astype(dtype="float32"),
        np.linspace(0.0, 1.0, n, dtype="float32"),
        np.eye(n, dtype="int16"),
        np.arange(n, dtype="uint8"),
    )


@cases.add("np.typeinfo", lambda: (np.arange(3, dtype=np.int32),), lambda: (np.arange(4, dtype=np.uint8),))
def iinfo_attrs(x):
    return (np.iinfo(np.int8).min, np.iinfo(np.int16).max, np.iinfo(np.uint32).max,
            np.iinfo(np.int64).min, np.iinfo(np.int64).max, np.iinfo(x.dtype).bits,
            np.iinfo(x.dtype).max - x[-1], np.iinfo(3).min, np.iinfo(np.uint64).bits)


@cases.add("np.typeinfo", lambda: (np.linspace(0.0, 1.0, 3),),
           lambda: (np.linspace(0.0, 1.0, 3, dtype=np.float32),))
def finfo_attrs(x):
    return (np.finfo(x.dtype).eps * x, np.finfo(x.dtype).tiny, np.finfo(x.dtype).max,
            np.finfo(x.dtype).min, np.finfo(x.dtype).epsneg, np.finfo(x.dtype).resolution,
            np.finfo(x.dtype).smallest_normal, np.finfo(x.dtype).smallest_subnormal,
            np.finfo(x.dtype).bits, np.finfo(x.dtype).precision, np.finfo(x.dtype).nmant,
            np.finfo(x.dtype).maxexp, np.finfo(x.dtype).minexp, np.finfo(x.dtype).nexp,
            np.finfo(x.dtype).iexp, np.finfo(x.dtype).machep, np.finfo(x.dtype).negep,
            np.finfo(np.complex64).eps, np.finfo(1.0).eps, np.finfo(x[0]).eps)


@cases.add("np.typeinfo", (5,))
def finfo_in_loop(n):
    # The machine epsilon as a stopping test, as numerical code uses it.
    x = 1.0
    k = 0
    while x > np.finfo(np.float64).eps and k < n:
        x = x / 2.0
        k += 1
    return x, k


@cases.add("np.typeinfo", (np.zeros(2),), raises=ValueError)
def iinfo_of_float(x):
    return np.iinfo(x.dtype).max


@cases.add("np.typeinfo", (np.zeros(2, dtype=np.int16),), raises=ValueError)
def finfo_of_int(x):
    return np.finfo(x.dtype).eps


test_conformance = cases.test()
