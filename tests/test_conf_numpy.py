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
    lambda: (arr(np.bool_, True, False, False), arr(np.bool_, True, True, False)),
    lambda: (arr(np.complex128, 0, 0, 0, 2, 1j), arr(np.complex128, 0.5j, -1, 2, 0.5, 3)),
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


@cases.add(
    "uf.exp-log",
    lambda: (arr(np.complex128, 1 + 2j, -0.5 + 0.25j, 3 - 1j, 0.3j, -2.5 + 0.5j),),
    lambda: (arr(np.complex64, 1 + 2j, -0.5 + 0.25j, 0.3j),),
    (0.5 - 0.5j,),
)
def complex_more(z):
    return (np.exp2(z), np.expm1(z), np.log2(z), np.log10(z), np.log1p(z), np.arcsin(z), np.arccos(z),
            np.arctan(z), np.arcsinh(z), np.arccosh(z), np.arctanh(z), np.sign(z), np.rint(z * 3),
            np.reciprocal(z))


def _wide_complex(dtype, n=4000, seed=5):
    rng = np.random.default_rng(seed)
    scale = lambda: 10.0 ** rng.integers(-30, 30, n)  # noqa: E731
    z = rng.standard_normal(n) * scale() + 1j * rng.standard_normal(n) * scale()
    special = [0, 1j * np.nan, np.nan, np.inf, complex(0, -np.inf), complex(np.inf, np.nan),
               complex(np.nan, np.inf), complex(-0.0, -0.0), 3 + 4j, 1e300 + 1e300j, 5e-324 + 5e-324j]
    return (np.concatenate([z, special]).astype(dtype),)


@cases.add("uf.powers", lambda: _wide_complex(np.complex128), lambda: _wide_complex(np.complex64),
           lambda: (_wide_complex(np.complex128)[0][::3],), rtol=0)
def abs_complex_arrays(z):
    # NumPy's loop for complex absolute, bit for bit (not hypot, which its scalars and CPython use)
    return np.abs(z), np.absolute(z), abs(z)


@cases.add("uf.powers", lambda: _wide_complex(np.complex128, 3000, 1) + _wide_complex(np.complex128, 3000, 2),
           lambda: _wide_complex(np.complex64, 3000, 1) + _wide_complex(np.complex64, 3000, 2), rtol=0)
def complex_products_arrays(z, c):
    # NumPy's loops multiply complex arrays with a multiply-add where the CPU has one, and square
    # (z**2) likewise; other powers multiply plainly: bit for bit in every case.
    w = z.copy()
    w *= c
    return z * c, np.multiply(z, c), z ** 2 + c, np.square(z), w, z * 2.5


@cases.add("uf.powers", lambda: _wide_complex(np.complex128, 3000, 3), rtol=0)
def complex_powers_arrays(z):
    return z ** 3, z ** 4


@cases.add("uf.powers", lambda: _wide_complex(np.complex128, 3000, 4), lambda: _wide_complex(np.complex64, 3000, 4),
           rtol=0)
def complex_negative_powers_arrays(z):
    # NumPy's npy_cpow, bit for bit: repeated squaring with plain products (in single precision
    # for complex64), a negative power inverted by NumPy's division (Smith's, scaled by a
    # reciprocal), not CPython's. (z ** -1 is np.reciprocal, whose complex formula sejit computes
    # as its division: within rounding, tested with it in complex_more.)
    return z ** -2, z ** -3, z ** -7, z ** -1.0, z ** 5, z ** 99, z ** -2.0, z ** 0, z ** 1


@cases.add("uf.powers", lambda: _wide_complex(np.complex128, 3000, 5) + _wide_complex(np.complex128, 3000, 6),
           lambda: _wide_complex(np.complex64, 3000, 5) + _wide_complex(np.complex64, 3000, 6), rtol=0)
def complex_quotients_arrays(z, c):
    # NumPy's divide loop, bit for bit: Smith's algorithm scaled by one reciprocal (CPython divides
    # twice, which differs in the last bit of about half the quotients); a zero divisor gives
    # (re/0, im/0). Element by element, NumPy's scalars call the same loop.
    w = z.copy()
    w /= c
    e = np.empty_like(z)
    for i in range(z.shape[0]):
        e[i] = z[i] / c[i]
    return z / c, np.divide(z, c), np.true_divide(c, z), w, z / 2.5, 1 / z, (0.5 - 2j) / c, e


@cases.add("uf.powers", (np.complex128(1.5 + 0.25j), np.complex128(-0.7 + 3.1j)),
           (np.complex64(1.5 + 0.25j), np.complex64(-0.7 + 3.1j)),
           (np.complex64(3e-20 + 7j), np.complex64(1e19 - 3j)), (np.complex128(0), np.complex128(2 - 1j)), rtol=0)
def complex_numpy_scalars(a, b):
    # NumPy's scalars: products in their own precision, powers by npy_cpow, quotients by the
    # divide loop (also with a Python complex on either side)
    return a * b, a * a, a ** 2, a ** 3, a ** -2, a ** -1, b ** -3, a ** b, a / b, b / a, (1 - 2j) / a, a / 3j


@cases.add("uf.powers", (1.5 + 0.25j, -0.7 + 3.1j), (complex(1e-200, 3), complex(1e200, -7)), rtol=0)
def complex_products_python(a, b):
    # CPython's product: plain rounding, no multiply-add; its quotient divides twice
    return a * b, a * a, a ** 2, a ** 3, a / b, b / a


@cases.add("uf.powers", (3 + 4j,), (complex(1e300, 1e300),), (complex(np.inf, np.nan),), (np.complex64(1 - 2j),),
           rtol=0)
def abs_complex_scalar(z):
    return abs(z), np.abs(z)


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


@cases.add("uf.powers", lambda: (arr(np.bool_, True, False),))
def powers_bool(x):
    return np.square(x), np.reciprocal(x), np.abs(x)


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


@cases.add(
    "uf.rounding",
    lambda: (arr(np.complex128, 1.25 + 2.5j, -0.5 - 1.35j, 123.456 + 0.5j),),
    lambda: (arr(np.complex64, 1.25 + 2.5j, -0.5 - 1.35j),),
    (2.5 - 3.5j,),
)
def round_complex(z):
    return np.round(z), np.round(z, 1), np.around(z, -1), np.rint(z)


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


@cases.add(
    "uf.bitwise",
    lambda: (arr(np.int64, 1, -8, 5), arr(np.int64, 63, 64, 70)),
    lambda: (arr(np.uint64, 2**63 + 5, 7, 1), arr(np.uint64, 3, 1, 64)),
    lambda: (arr(np.int32, 5, -3, 1), 40),
    lambda: (arr(np.bool_, True, False), arr(np.bool_, True, True)),
)
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
    lambda: (arr(np.complex128, 1 + 2j, 1 + 1j, complex(NAN, 0), 2, 3j, complex(1, NAN)),
             arr(np.complex128, 1 + 1j, 1 + 2j, 1, complex(0, NAN), 3j, 0)),
    lambda: (arr(np.complex64, 1 + 2j, -1j), arr(np.complex64, 1 + 1j, 0)),
)
def minmax_complex(a, b):
    return (np.minimum(a, b), np.maximum(a, b), np.fmin(a, b), np.fmax(a, b), np.less(a, b),
            np.less_equal(a, b), np.greater(a, b), np.greater_equal(a, b))


@cases.add(
    "uf.minmax",
    lambda: (f64(-2.0, 0.5, 3.0, NAN, 1.0),),
    lambda: (arr(np.int64, -5, 0, 5, 10),),
    lambda: (arr(np.float32, -5.0, 0.5, 5.0),),
    (7,),
)
def clip(x):
    return np.clip(x, 0, 4), np.clip(x, -1.0, 2.5), np.clip(x, 1, 0)


@cases.add("uf.minmax", lambda: (arr(np.int8, -100, 0, 100),), lambda: (arr(np.uint8, 0, 7, 255),))
def clip_wide_bounds(x):
    # NumPy 2 clips at a Python int bound outside the dtype's range as at the range's end.
    return np.clip(x, 1, 200), np.clip(x, -300, 2), np.clip(x, -1, 1000)


@cases.add(
    "uf.minmax",
    lambda: (f64(-2.0, 0.5, 3.0, NAN), arr(np.int64, 1, 2, 3, 4)),
    lambda: (arr(np.int32, -5, 0, 5), arr(np.int32, 1, 2, 3)),
)
def where(a, b):
    return np.where(a > 0, a, b), np.where(a > 0, 1.0, 0), np.where(b > 1, a, -1)


# --------------------------------------------------------------------------- creation


@cases.add("np.create", (3,), (0,))
def create_1d(n):
    return (np.zeros(n), np.ones(n, dtype=np.int32), np.empty(n).shape, np.full(n, 2.5),
            np.full(n, 7), np.zeros(n, dtype=np.complex128), np.ones(n, dtype=bool))


@cases.add("np.create", (2, 3), (0, 4))
def create_2d(m, n):
    return np.zeros((m, n)), np.ones((m, n), dtype=np.float32), np.full((n, m), -1, dtype=np.int64), np.empty((m, n)).shape


@cases.add("np.create", lambda: (np.arange(6.0).reshape(2, 3),), lambda: (arr(np.int32, 1, 2),))
def create_like(x):
    return (np.zeros_like(x), np.ones_like(x), np.full_like(x, 3), np.empty_like(x).shape,
            np.zeros_like(x, dtype=np.float32), np.full_like(x, 1.5, dtype=np.float64))


@cases.add("np.arange", (5,), (0,), (-3,))
def arange_stop(n):
    return np.arange(n), np.arange(n, dtype=np.float64), np.arange(n, dtype=np.int32)


@cases.add("np.arange", (1, 10, 3), (10, 1, -3), (0.5, 3.0, 0.5), (-1.0, 1.0, 0.3), (2, 2, 1))
def arange_range(a, b, c):
    return np.arange(a, b, c), np.arange(a, b)


@cases.add("np.linspace", (0.0, 1.0, 5), (1, 10, 10), (-2.5, 7.0, 1), (3.0, 3.0, 4), (0.0, 1.0, 0),
           (1e-300, 2e-300, 7))
def linspace(a, b, n):
    return np.linspace(a, b, n), np.linspace(a, b, num=n, endpoint=False), np.linspace(b, a, n)


@cases.add("np.linspace", (0.0, 10.0), (np.float32(0.0), np.float32(1.0)))
def linspace_default(a, b):
    return np.linspace(a, b), np.linspace(a, b, 7, dtype=np.int64)


@cases.add("np.eye", (3,), (1,), (0,))
def eye(n):
    return (np.eye(n), np.eye(n, 4), np.eye(n, k=1), np.eye(n, 5, -1), np.eye(n, dtype=np.int32),
            np.identity(n), np.identity(n, dtype=np.int64))


@cases.add("np.array", lambda: (f64(1.0, 2.0, 3.0),), lambda: (np.arange(6).reshape(2, 3),),
           lambda: (np.arange(8.0)[::2],))
def array_copies(x):
    y = np.array(x)
    z = np.copy(x)
    w = np.asarray(x)
    v = np.array(x, dtype=np.float32)
    x[0] = 99
    return y, z, w, v, np.asarray(x, dtype=np.int32)


@cases.add("np.array", (1, 2.5, 3), (1, 2, 3), (True, False, True), (np.float32(1), 2.5, np.int8(3)),
           (np.int32(1), np.int8(2), np.int16(3)), (0.5, 1j, 2))
def array_of_tuple(a, b, c):
    return np.array((a, b, c)), np.array((a, b)), np.array((c, a), dtype=np.float64), np.asarray((a, c))


@cases.add("np.array", (1.0, 2.0), (3, 4))
def array_nested(a, b):
    return np.array(((a, b), (b, a), (a, a))), np.array(((a, b),), dtype=np.int32)


# --------------------------------------------------------------------------- tuples as arrays


@cases.add("np.tuple-operands", lambda: (np.array([[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 1, 1]]), (1, 0, 1)),
           lambda: (np.arange(12).reshape(3, 4) % 3, (2, 2, 0)))
def tuple_ufunc_compare(db, mask):
    out = np.zeros(len(db), dtype=np.int64)
    for i in range(len(db)):
        v = db[i, 1:]
        if (mask == np.bitwise_and(mask, v)).all():
            out[i] = 1
    return out, np.add(mask, db[0, :3]), np.maximum((0.5, 7), db[1, :2]), db[2, 1:] != mask


@cases.add("np.tuple-operands", (1.5, -2), (0, 3))
def tuple_operators(a, b):
    x = np.arange(6.0).reshape(3, 2)
    t = (a, b)
    return x + t, (1, 2) * x, x - ((a, b), (b, a), (a, a)), x >= t, t < x[0], t


@cases.add("np.tuple-operands", (4, 2, 1.5), (3, 0, -1.0))
def tuple_stores(n, w, v):
    force = np.ones((n, 2))
    force[0] = force[-1] = 0, 0
    force[w] = v, 2 * v
    rows = np.zeros((n, 3), dtype=np.int32)
    rows[1:] = 7, 8, 9
    rows[0] = n, w, 1
    grid = np.zeros((2, 2, 2))
    grid[1] = (1, 2), (3, 4)
    return force, rows, grid


@cases.add("np.tuple-operands", lambda: (np.array([1, 2, 2, 3, 5, 5, 5], dtype=np.uint32), 2),
           lambda: (np.array([4, 4, 4], dtype=np.uint32), 1), lambda: (np.arange(5.0), 3))
def list_operands(values, n):
    diff = np.concatenate(([1], np.diff(values)))
    idx = np.concatenate((np.where(diff)[0], [len(values)]))
    ends = np.concatenate(((0.5, n), values, [n, 2 * n]))
    lst = [1.5, 2.5 * n]
    return values[idx[:-1]], np.diff(idx), ends, np.add(lst, values[:2]), np.maximum(values[:3], [0, n, 4])


@cases.add("np.tuple-operands", (1.5,), raises=ValueError)
def tuple_store_shape(v):
    a = np.zeros((3, 2))
    a[0] = v, v, v
    return a


# --------------------------------------------------------------------------- joining


@cases.add(
    "np.join",
    lambda: (f64(1.0, 2.0), f64(3.0, 4.0, 5.0)),
    lambda: (arr(np.int32, 1, 2), arr(np.int64, 3)),
    lambda: (np.zeros(0), f64(1.0)),
)
def concatenate_1d(a, b):
    return np.concatenate((a, b)), np.concatenate((b, a, b)), np.hstack((a, b)), np.concatenate((a, b), axis=0)


@cases.add(
    "np.join",
    lambda: (np.arange(6.0).reshape(2, 3), np.arange(3.0).reshape(1, 3) + 10),
)
def concatenate_2d_rows(a, b):
    return np.concatenate((a, b)), np.vstack((a, b, a)), np.concatenate((b, a), axis=-2)


@cases.add(
    "np.join",
    lambda: (np.arange(6).reshape(3, 2), np.arange(3).reshape(3, 1) - 5),
)
def concatenate_2d_cols(a, b):
    return np.concatenate((a, b), axis=1), np.hstack((b, a)), np.concatenate((a, b), axis=-1)


@cases.add(
    "np.join",
    lambda: (f64(1.0, 2.0, 3.0), f64(4.0, 5.0, 6.0)),
    lambda: (arr(np.int32, 1, 2), arr(np.int32, 3, 4)),
)
def stack_1d(a, b):
    return np.stack((a, b)), np.stack((a, b), axis=1), np.vstack((a, b)), np.stack((b, a, b), axis=-1)


@cases.add("np.join", lambda: (np.arange(6.0).reshape(2, 3), np.ones((2, 3))))
def stack_2d(a, b):
    return np.stack((a, b)), np.stack((a, b), axis=1), np.stack((a, b), axis=2)


@cases.add("np.join", lambda: (np.arange(8.0).reshape(2, 4), f64(1.0, 2.0, 3.0, 4.0)))
def vstack_mixed(m, v):
    return np.vstack((m, v)), np.vstack((v, m, v))


@cases.add("np.join", lambda: (f64(1.0, 2.0), f64(3.0, 4.0, 5.0)), raises=ValueError)
def stack_mismatch(a, b):
    return np.stack((a, b))


@cases.add("np.join", lambda: (np.zeros((2, 3)), np.zeros((2, 2))), raises=ValueError)
def concatenate_mismatch(a, b):
    return np.concatenate((a, b))


# --------------------------------------------------------------------------- linear algebra


def _rng(seed):
    return np.random.default_rng(seed)


@cases.add(
    "la.dot",
    lambda: (f64(1.0, 2.0, 3.0), f64(4.0, -5.0, 6.0)),
    lambda: (arr(np.int64, 1, 2, 3), arr(np.int64, 4, 5, 6)),
    lambda: (arr(np.int32, 1, 2), arr(np.float32, 0.5, 0.25)),
    lambda: (arr(np.complex128, 1 + 1j, 2), arr(np.complex128, 1j, 3 - 1j)),
    lambda: (np.zeros(0), np.zeros(0)),
    lambda: (_rng(1).random(100), _rng(2).random(100)),
)
def dot_vectors(a, b):
    return np.dot(a, b), a.dot(b), a @ b, np.matmul(a, b)


@cases.add(
    "la.dot",
    lambda: (np.arange(6.0).reshape(2, 3), f64(1.0, -1.0, 2.0)),
    lambda: (np.arange(6).reshape(3, 2), arr(np.int64, 2, 3)),
    lambda: (_rng(3).random((5, 4)), _rng(4).random(4)),
)
def dot_matvec(m, v):
    return np.dot(m, v), m.dot(v), m @ v


@cases.add(
    "la.dot",
    lambda: (f64(1.0, -1.0), np.arange(6.0).reshape(2, 3)),
    lambda: (arr(np.int32, 2, 3, 4), np.arange(6, dtype=np.int32).reshape(3, 2)),
)
def dot_vecmat(v, m):
    return np.dot(v, m), v @ m


@cases.add(
    "la.dot",
    lambda: (np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)),
    lambda: (np.arange(4).reshape(2, 2), np.arange(4).reshape(2, 2)),
    lambda: (_rng(5).random((7, 5)), _rng(6).random((5, 3))),
    lambda: (np.zeros((2, 0)), np.zeros((0, 3))),
    lambda: (np.arange(6.0).reshape(2, 3).T, np.arange(6.0).reshape(2, 3)),
)
def dot_matmat(a, b):
    return np.dot(a, b), a @ b, a.dot(b), np.matmul(a, b)


@cases.add("la.dot", (2.0, 3), lambda: (f64(1.0, 2.0), 3.0))
def dot_scalar(a, b):
    return np.dot(a, b)


@cases.add("la.dot", lambda: (np.zeros((2, 3)), np.zeros(2)), lambda: (np.zeros(3), np.zeros(2)),
           lambda: (np.zeros((2, 3)), np.zeros((2, 3))), raises=ValueError)
def dot_mismatch(a, b):
    return np.dot(a, b)


@cases.add("la.dot", lambda: (np.zeros((2, 3)), np.zeros((2, 3))), raises=ValueError)
def matmul_mismatch(a, b):
    return a @ b


@cases.add(
    "la.outer",
    lambda: (f64(1.0, 2.0, 3.0), f64(4.0, 5.0)),
    lambda: (arr(np.int64, 1, -2), arr(np.int32, 3, 4, 5)),
    lambda: (arr(np.complex128, 1 + 2j, 3), arr(np.complex128, 1j, 2 - 1j)),
)
def outer_vdot(a, b):
    return np.outer(a, b), np.vdot(a, a), np.vdot(b, b)


@cases.add("la.outer", lambda: (np.arange(9.0).reshape(3, 3),), lambda: (np.arange(6).reshape(2, 3),),
           lambda: (np.arange(6, dtype=np.int32).reshape(3, 2),), lambda: (np.ones((2, 2), dtype=bool),))
def trace(m):
    return np.trace(m), m.trace()


# --------------------------------------------------------------------------- 1-D algorithms


@cases.add(
    "np.sort",
    lambda: (f64(3.0, -1.0, NAN, 2.5, -INF, 0.0, NAN, 7.0),),
    lambda: (arr(np.int64, 5, -3, 9, 0, -3, 5, 1),),
    lambda: (arr(np.int32, 3, 1, 2),),
    lambda: (arr(np.uint8, 200, 3, 100),),
    lambda: (arr(np.float32, 2.5, NAN, -1.0),),
    lambda: (np.zeros(0),),
    lambda: (_rng(7).random(1000),),
    lambda: (np.arange(10.0)[::-2],),
)
def sort_copy(x):
    y = np.sort(x)
    return y, x


@cases.add(
    "np.sort",
    lambda: (f64(3.0, -1.0, NAN, 2.5, 0.0),),
    lambda: (arr(np.int64, 5, -3, 9, 0),),
    lambda: (np.arange(10.0)[::-2],),
)
def sort_inplace(x):
    x.sort()
    return x[0]


@cases.add(
    "np.sort",
    lambda: (f64(3.0, -1.0, NAN, 2.5, -INF, 0.0),),
    lambda: (arr(np.int64, 5, -3, 9, 0, 1),),
    lambda: (_rng(8).permutation(50),),
)
def argsort(x):
    return np.argsort(x), x.argsort()


@cases.add("np.sort", lambda: (arr(np.int64, 3, 1, 3, 1, 2, 3),), lambda: (f64(2.0, 1.0, 2.0, 1.0, NAN),),
           lambda: (_rng(11).integers(0, 30, 500),),
           lambda: (np.where(_rng(12).random(300) < 0.1, NAN, _rng(13).integers(0, 9, 300) * 0.5),))
def argsort_stable(x):
    return np.argsort(x, kind="stable"), np.sort(x, kind="stable")


@cases.add(
    "np.sort",
    lambda: (np.array([[3.0, NAN, 1.0], [0.5, -2.0, 9.0]]),),
    lambda: (_rng(14).integers(-9, 9, (4, 6)),),
    lambda: (np.arange(12.0).reshape(3, 4).T[::-1],),
    lambda: (np.zeros((0, 3)),),
)
def sort_rows(m):
    s = np.sort(m)
    t = np.sort(m, axis=-1, kind="stable")
    a = np.argsort(m, kind="stable")
    m.sort()
    return s, t, a, m


@cases.add(
    "np.searchsorted",
    lambda: (f64(1.0, 2.0, 2.0, 3.0, NAN), 2.0),
    lambda: (f64(1.0, 2.0, 2.0, 3.0), 0.0),
    lambda: (f64(1.0, 2.0, 2.0, 3.0), 9.0),
    lambda: (arr(np.int64, 1, 3, 5, 7), 5),
    lambda: (np.zeros(0), 1.0),
    lambda: (f64(1.0, 2.0, NAN), NAN),
    lambda: (arr(np.uint8, 0, 1, 2, 3), -1),
    lambda: (arr(np.int64, 1, 3, 5, 7), 2.5),
)
def searchsorted_scalar(a, v):
    return np.searchsorted(a, v), np.searchsorted(a, v, side="right"), np.searchsorted(a, v, side="left")


@cases.add(
    "np.searchsorted",
    lambda: (f64(1.0, 2.0, 2.0, 3.0), f64(0.0, 2.0, 2.5, 4.0, NAN)),
    lambda: (arr(np.int32, 1, 3, 5, 7), arr(np.int64, 0, 3, 8)),
)
def searchsorted_array(a, v):
    return np.searchsorted(a, v), np.searchsorted(a, v, side="right"), a.searchsorted(v)


@cases.add(
    "np.unique",
    lambda: (arr(np.int64, 3, 1, 3, 1, 2, 3),),
    lambda: (f64(2.0, NAN, 1.0, 2.0, NAN, -0.0, 0.0),),
    lambda: (np.zeros(0),),
    lambda: (arr(np.bool_, True, False, True),),
    lambda: (_rng(9).integers(0, 20, 100),),
)
def unique(x):
    return np.unique(x)


@cases.add(
    "np.histogram",
    lambda: (f64(1.0, 2.0, 2.5, 3.0, 4.0, 4.0),),
    lambda: (arr(np.int64, 1, 5, 3, 3, 9),),
    lambda: (f64(2.0, 2.0),),
    lambda: (np.zeros(0),),
    lambda: (_rng(10).normal(size=500),),
)
def histogram(x):
    c1, e1 = np.histogram(x)
    c2, e2 = np.histogram(x, bins=3)
    c3, e3 = np.histogram(x, 4, range=(0.0, 4.0))
    return c1, e1, c2, e2, c3, e3


@cases.add("np.histogram", lambda: (f64(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, NAN),))
def histogram_edges(x):
    return np.histogram(x, bins=10, range=(0.0, 1.0)), np.histogram(x, bins=3, range=(0.1, 0.7))


@cases.add("np.histogram", lambda: (f64(1.0, NAN),), lambda: (f64(1.0, 2.0),), raises=ValueError)
def histogram_bad(x):
    return np.histogram(x, bins=3, range=(2.0, 1.0)) if x[1] == 2.0 else np.histogram(x)


@cases.add(
    "np.histogram",
    lambda: (arr(np.int64, 0, 1, 1, 3, 1),),
    lambda: (arr(np.int32, 2, 2),),
    lambda: (np.zeros(0, dtype=np.int64),),
)
def bincount(x):
    return np.bincount(x), np.bincount(x, minlength=6)


# (Not on an empty array: NumPy then returns int64 counts even with weights.)
@cases.add("np.histogram", lambda: (arr(np.int64, 0, 1, 1, 3, 1), f64(0.5, 1.0, 2.0, -1.0, 0.25)))
def bincount_weights(x, w):
    return np.bincount(x, weights=w), np.bincount(x, weights=w, minlength=7)


@cases.add("np.histogram", lambda: (arr(np.int64, 0, -1),), raises=ValueError)
def bincount_negative(x):
    return np.bincount(x)


@cases.add(
    "np.interp",
    lambda: (f64(-1.0, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, NAN), f64(0.0, 1.0, 3.0), f64(10.0, 20.0, 0.0)),
    lambda: (f64(1.0, 2.0, 3.0), f64(2.0, 2.0, 2.0), f64(1.0, 2.0, 3.0)),
    lambda: (arr(np.int64, 0, 1, 2), arr(np.int64, 0, 2), arr(np.int32, 0, 5)),
    lambda: (f64(0.0, 1.0, 2.0), f64(1.0), f64(5.0)),
)
def interp(x, xp, fp):
    return np.interp(x, xp, fp), np.interp(x, xp, fp, left=-1.0, right=99.0), np.interp(1.5, xp, fp)


@cases.add(
    "np.cross",
    lambda: (f64(1.0, 2.0, 3.0), f64(4.0, 5.0, 6.0)),
    lambda: (arr(np.int64, 1, 0, 0), arr(np.int64, 0, 1, 0)),
    lambda: (arr(np.int32, 1, 2, 3), f64(0.5, -1.0, 2.0)),
)
def cross(a, b):
    return np.cross(a, b), np.cross(b, a)


test_conformance = cases.test()
