"""Conformance: NumPy functions — creation, joining, the ufuncs, linear algebra on 1-D and 2-D
arrays, and the 1-D algorithms (sort, searchsorted, unique, histogram, interp, cross).

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove. Results are compared with NumPy 2's, dtypes included.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)

NAN = float("nan")
INF = float("inf")


def f64(*v):
    return np.array(v, dtype=np.float64)


def arr(dtype, *v):
    return np.array(v, dtype=dtype)


# --------------------------------------------------------------------------- ufuncs

FLOATS = lambda: (f64(0.5, -1.25, 3.0, 0.0, -0.0, 7.5),)  # noqa: E731
MIXED = lambda: (f64(1.5, -2.5, 0.0, NAN, INF, -INF, 3.25),)  # noqa: E731


@cases.add(
    "uf.arith",
    lambda: (arr(np.int64, 7, -7, 3, 0, 5), arr(np.int64, 2, 3, -4, 1, 5)),
    lambda: (arr(np.int32, 7, -7, 3, 0, 5), arr(np.int32, 2, 3, -4, 1, 5)),
    lambda: (f64(1.5, -2.0, 0.0, NAN, 1e300), f64(2.0, 0.0, -3.5, 1.0, 1e10)),
    lambda: (arr(np.float32, 1.5, -2.0, 0.25), arr(np.float32, 2.0, 4.0, -3.5)),
    lambda: (arr(np.complex128, 1 + 2j, -3j, 0.5), arr(np.complex128, 2 - 1j, 1 + 1j, -4)),
    lambda: (arr(np.uint32, 7, 3, 0), arr(np.uint32, 2, 9, 1)),
)
def arith_arrays(a, b):
    return (np.add(a, b), np.subtract(a, b), np.multiply(a, b), np.divide(a, b),
            np.true_divide(a, b), np.negative(a), np.positive(b))


@cases.add("uf.arith", (3, 4), (2.5, -1.5), (np.int32(3), 4), (1 + 2j, 0.5), (np.float32(1.5), 2))
def arith_scalars(a, b):
    return np.add(a, b), np.subtract(a, b), np.multiply(a, b), np.true_divide(a, b), np.negative(a)


@cases.add(
    "uf.arith",
    lambda: (arr(np.int64, 2, -3, 0, 5), arr(np.int64, 3, 2, 0, 1)),
    lambda: (f64(2.0, -3.0, 0.0, 0.5, 4.0), f64(3.0, 2.0, -1.0, 0.5, -0.5)),
    lambda: (arr(np.int32, 2, -3, 7), 2),
    lambda: (arr(np.float32, 2.0, 9.0), 0.5),
)
def power_arrays(a, b):
    return np.power(a, b), a ** b


@cases.add(
    "uf.arith",
    lambda: (arr(np.int8, 100, -100, 7), arr(np.int8, 100, 100, 3)),
    lambda: (np.arange(6.0).reshape(2, 3), f64(1.0, -2.0, 0.5)),
    lambda: (np.zeros(0), np.zeros(0)),
)
def arith_int8_wraps(a, b):
    return np.add(a, b), np.multiply(a, b), np.subtract(a, b)


@cases.add(
    "uf.floor-mod",
    lambda: (arr(np.int64, 7, -7, 7, -7, 5, 0, -9), arr(np.int64, 2, 2, -2, -2, 0, 3, 4)),
    lambda: (arr(np.int32, 7, -7, 7, -7, 5), arr(np.int32, 3, 3, -3, -3, 0)),
    lambda: (f64(7.5, -7.5, 7.5, -7.5, 1.0, 0.0, NAN), f64(2.0, 2.0, -2.0, -2.0, 0.0, -3.0, 1.0)),
    lambda: (arr(np.float32, 7.5, -7.5, 3.0), arr(np.float32, 2.0, 2.0, -0.5)),
    lambda: (arr(np.uint8, 7, 200, 5), arr(np.uint8, 2, 7, 0)),
)
def floor_mod(a, b):
    return np.floor_divide(a, b), np.mod(a, b), np.remainder(a, b), np.fmod(a, b), a // b, a % b


@cases.add("uf.floor-mod", (7, -2), (-7.5, 2.0), (7, 0))
def floor_mod_scalars(a, b):
    return np.floor_divide(a, b), np.mod(a, b), np.fmod(a, b)


@cases.add("uf.trig", FLOATS, lambda: (arr(np.float32, 0.5, -0.25, 0.0),), lambda: (arr(np.int32, 0, 1, -1),))
def trig(x):
    return (np.sin(x), np.cos(x), np.tan(x), np.arcsin(x / 8), np.arccos(x / 8), np.arctan(x),
            np.deg2rad(x), np.rad2deg(x), np.degrees(x), np.radians(x))


@cases.add("uf.trig", MIXED, lambda: (arr(np.complex128, 1 + 1j, -0.5j, 2),))
def trig_nan_complex(x):
    return np.sin(x), np.cos(x), np.tan(x)


@cases.add(
    "uf.trig",
    lambda: (f64(1.0, -1.0, 0.0, -0.0, 3.0), f64(1.0, 1.0, -1.0, -1.0, 4.0)),
    lambda: (arr(np.float32, 1.0, -2.0), arr(np.float32, 3.0, 0.5)),
    (3.0, 4.0),
    (3, 4),
)
def trig_binary(y, x):
    return np.arctan2(y, x), np.hypot(y, x)


@cases.add("uf.hyperbolic", FLOATS, lambda: (arr(np.float32, 0.5, -0.25),), lambda: (arr(np.int64, 0, 1, 2),))
def hyperbolic(x):
    return (np.sinh(x), np.cosh(x), np.tanh(x), np.arcsinh(x), np.arccosh(np.abs(x) + 1),
            np.arctanh(x / 10))


@cases.add("uf.hyperbolic", MIXED, lambda: (arr(np.complex128, 1 + 1j, -0.5j),), (0.5,))
def hyperbolic_more(x):
    return np.sinh(x), np.cosh(x), np.tanh(x)


@cases.add(
    "uf.exp-log",
    FLOATS,
    MIXED,
    lambda: (arr(np.float32, 0.5, 2.0, 10.0),),
    lambda: (arr(np.int32, 1, 2, 8),),
    lambda: (arr(np.int64, 1, 2, 1000),),
    (2.0,),
    (8,),
)
def exp_log(x):
    return (np.exp(x), np.exp2(x), np.expm1(x), np.log(np.abs(x)), np.log2(np.abs(x)),
            np.log10(np.abs(x)), np.log1p(np.abs(x)))


@cases.add("uf.exp-log", lambda: (arr(np.complex128, 1 + 1j, -2, 0.5j),), (1j,))
def exp_log_complex(z):
    return np.exp(z), np.log(z)


@cases.add("uf.powers", FLOATS, MIXED, lambda: (arr(np.float32, 4.0, -8.0, 0.0),), (-2.5,))
def powers_float(x):
    return (np.sqrt(np.abs(x)), np.cbrt(x), np.square(x), np.reciprocal(x), np.sign(x),
            np.copysign(x, -1.0), np.abs(x), np.absolute(x), np.fabs(x))


@cases.add(
    "uf.powers",
    lambda: (arr(np.int64, 3, -4, 0, 1, -1, 2),),
    lambda: (arr(np.int32, 3, -4, 1, -1),),
    lambda: (arr(np.uint16, 3, 4, 1),),
    (-7,),
)
def powers_int(x):
    return np.square(x), np.sign(x), np.abs(x), np.absolute(x), np.sqrt(np.abs(x)), np.cbrt(x)


@cases.add("uf.powers", lambda: (arr(np.int64, 1, -1, 2, 3),), lambda: (arr(np.int32, 1, -1, 5),))
def reciprocal_int(x):
    # NumPy's integer reciprocal is 1 // x for |x| == 1 and 0 otherwise (no zero here: it
    # would divide by zero in NumPy itself).
    return np.reciprocal(x)


@cases.add("uf.powers", lambda: (arr(np.complex128, 3 + 4j, -1j, 0),), (3 - 4j,))
def powers_complex(z):
    return np.abs(z), np.absolute(z), np.square(z), np.sqrt(z)


@cases.add(
    "uf.rounding",
    lambda: (f64(0.5, 1.5, 2.5, -0.5, -1.5, -2.7, 2.7, NAN, INF, -0.0),),
    lambda: (arr(np.float32, 0.5, 1.5, -2.5, 2.25),),
    (2.5,),
    (-3.5,),
)
def rounding(x):
    return np.floor(x), np.ceil(x), np.trunc(x), np.rint(x), np.round(x), np.around(x)


@cases.add("uf.rounding", lambda: (arr(np.int64, 3, -4, 7),), lambda: (arr(np.int32, 3, -4),), (5,))
def rounding_int(x):
    return np.floor(x), np.ceil(x), np.trunc(x), np.round(x), np.rint(x)


@cases.add("uf.rounding", lambda: (f64(1.2345, -2.5551, 0.125, 1234.5678, NAN),), (2.675,))
def round_decimals(x):
    return np.round(x, 2), np.round(x, decimals=1), np.around(x, 3), np.round(x, -1), np.round(x, 0)


@cases.add("uf.rounding", lambda: (arr(np.int64, 1234, -1255, 15, 25),))
def round_int_decimals(x):
    return np.round(x, -1), np.round(x, -2), np.round(x, 2)


@cases.add(
    "uf.compare",
    lambda: (arr(np.int64, 1, 2, 3, 4), arr(np.int64, 4, 2, 1, 4)),
    lambda: (f64(1.0, NAN, 3.0, -0.0), f64(1.0, NAN, 2.0, 0.0)),
    lambda: (arr(np.int32, 1, 2, 3), 2),
    lambda: (arr(np.float32, 1.5, 2.0), 2.0),
    (3, 3.0),
)
def compare(a, b):
    return (np.equal(a, b), np.not_equal(a, b), np.less(a, b), np.less_equal(a, b),
            np.greater(a, b), np.greater_equal(a, b))


@cases.add(
    "uf.compare",
    lambda: (arr(np.bool_, True, True, False, False), arr(np.bool_, True, False, True, False)),
    lambda: (f64(1.0, 0.0, NAN, 0.0), arr(np.int64, 0, 0, 1, 2)),
    (True, False),
    (0.0, 3),
)
def logical(a, b):
    return np.logical_and(a, b), np.logical_or(a, b), np.logical_xor(a, b), np.logical_not(a)


@cases.add(
    "uf.compare",
    lambda: (arr(np.complex128, 1 + 1j, 2, 3j), arr(np.complex128, 1 + 1j, 2j, 3j)),
)
def compare_complex(a, b):
    return np.equal(a, b), np.not_equal(a, b), a == b, a != b


@cases.add(
    "uf.bitwise",
    lambda: (arr(np.int64, 12, -7, 0, 255), arr(np.int64, 10, 3, -1, 4)),
    lambda: (arr(np.int32, 12, -7, 5), arr(np.int32, 10, 3, 2)),
    lambda: (arr(np.uint8, 12, 250, 5), arr(np.uint8, 10, 3, 2)),
    lambda: (arr(np.int16, 12, -7, 5), 3),
    (12, 3),
)
def bitwise(a, b):
    return (np.bitwise_and(a, b), np.bitwise_or(a, b), np.bitwise_xor(a, b), np.invert(a),
            np.left_shift(a, b & 7), np.right_shift(a, b & 7), a & b, a | b, a ^ b, ~a,
            a << (b & 7), a >> (b & 7))


@cases.add(
    "uf.bitwise",
    lambda: (arr(np.bool_, True, True, False, False), arr(np.bool_, True, False, True, False)),
    (True, False),
)
def bitwise_bool(a, b):
    return np.bitwise_and(a, b), np.bitwise_or(a, b), np.bitwise_xor(a, b), np.invert(a), a & b, a | b, a ^ b, ~a


@cases.add("uf.bitwise", lambda: (arr(np.int64, 1, -8, 5), arr(np.int64, 63, 64, 70)))
def shift_far(a, b):
    return np.left_shift(a, b), np.right_shift(a, b), a << b, a >> b


@cases.add(
    "uf.preds",
    MIXED,
    lambda: (arr(np.float32, 1.0, NAN, -INF),),
    lambda: (arr(np.int32, 1, 2),),
    lambda: (arr(np.complex128, 1 + 1j, complex(NAN, 0), complex(0, INF)),),
    (NAN,),
    (3,),
)
def preds(x):
    return np.isnan(x), np.isinf(x), np.isfinite(x)


@cases.add(
    "uf.minmax",
    lambda: (f64(1.0, NAN, 3.0, NAN, -0.0), f64(2.0, 1.0, NAN, NAN, 0.0)),
    lambda: (arr(np.int64, 1, 5, -3), arr(np.int64, 2, 4, -3)),
    lambda: (arr(np.float32, 1.0, NAN), arr(np.float32, 0.5, 2.0)),
    lambda: (arr(np.int32, 1, 5, -3), 2),
    (1.5, NAN),
    (3, 2),
)
def minmax(a, b):
    return np.minimum(a, b), np.maximum(a, b), np.fmin(a, b), np.fmax(a, b)


@cases.add(
    "uf.minmax",
    lambda: (f64(-2.0, 0.5, 3.0, NAN, 1.0),),
    lambda: (arr(np.int64, -5, 0, 5, 10),),
    lambda: (arr(np.float32, -5.0, 0.5, 5.0),),
    (7,),
)
def clip(x):
    return np.clip(x, 0, 4), np.clip(x, -1.0, 2.5), np.clip(x, 1, 0)


@cases.add(
    "uf.minmax",
    lambda: (f64(-2.0, 0.5, 3.0, NAN), arr(np.int64, 1, 2, 3, 4)),
    lambda: (arr(np.int32, -5, 0, 5), arr(np.int32, 1, 2, 3)),
)
def where(a, b):
    return np.where(a > 0, a, b), np.where(a > 0, 1.0, 0), np.where(b > 1, a, -1)


test_conformance = cases.test()
