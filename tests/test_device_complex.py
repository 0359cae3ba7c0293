"""Complex numbers on the device (issue 11): complex64/complex128 DeviceArrays, NumPy's ufuncs
on them, jitted arithmetic, abs, exp, sqrt, powers (integer, real and complex exponents),
comparisons, the real/imag parts, and sums, products and means (jitted, and DeviceArray's).
OpenCL has no complex type: clgen prints them as float2/double2 and computes in double2 with the
CPU target's formulas (CPython's Smith division); results are compared with the CPU target's and
NumPy's within a few ulps (complex64 computes in double on the device, and hypot, exp, log and
sqrt are OpenCL's libm).
"""

import numpy as np
import pytest

import sejit
from sejit import jit

from conftest import cpu_device_or_skip, needs_engine

_CTX = cpu_device_or_skip()

pytestmark = needs_engine

_RNG = np.random.default_rng(3)
_DTYPES = [np.complex64, np.complex128]


@pytest.fixture(scope="module")
def ctx():
    return _CTX


def _c(dtype, shape=(9,)):
    return (_RNG.random(shape) - 0.5 + 1j * (_RNG.random(shape) - 0.5)).astype(dtype)


def arith(a, b, out):
    out[:] = a * b + a / b - b * 2.0 + 1j


def magnitude(a, out):
    out[:] = np.abs(a) * 2


def exponential(a, out):
    out[:] = np.exp(a)


def parts(a, re, im):
    re[:] = a.real
    im[:] = a.imag * 2


def set_imag(a):
    a.imag[:] = 5.0


def to_complex(x, out):
    out[:] = x


def _ulps(dtype):
    return 1e-6 if np.dtype(dtype) in (np.complex64, np.float32) else 1e-15


def _both(f, host_args, out_dtype, shape=(9,)):
    """f on the CPU target and on the device; returns both outputs."""
    cpu = np.empty(shape, out_dtype)
    jit(f)(*host_args, cpu)
    dev = _CTX.empty(shape, out_dtype)
    jit(f)(*[_CTX.asarray(a) for a in host_args], dev)
    return cpu, dev.get()


@pytest.mark.parametrize("dtype", _DTYPES)
def test_arithmetic_equals_the_cpu(ctx, dtype):
    a, b = _c(dtype), _c(dtype)
    cpu, dev = _both(arith, (a, b), dtype)
    np.testing.assert_allclose(dev, cpu, rtol=_ulps(dtype))
    np.testing.assert_allclose(dev, a * b + a / b - b * 2.0 + 1j, rtol=1e-6)


@pytest.mark.parametrize("dtype", _DTYPES)
def test_abs(ctx, dtype):
    a = _c(dtype)
    cpu, dev = _both(magnitude, (a,), a.real.dtype)
    np.testing.assert_allclose(dev, cpu, rtol=_ulps(dtype))
    np.testing.assert_allclose(dev, np.abs(a) * 2, rtol=1e-6)


@pytest.mark.parametrize("dtype", _DTYPES)
def test_exp(ctx, dtype):
    a = _c(dtype)
    a[0] = 0.5 + 0j  # a zero imaginary part stays zero
    cpu, dev = _both(exponential, (a,), dtype)
    rtol = 1e-6 if dtype == np.complex64 else 1e-14
    np.testing.assert_allclose(dev, cpu, rtol=rtol)
    np.testing.assert_allclose(dev, np.exp(a), rtol=rtol)
    assert dev[0].imag == 0


@pytest.mark.parametrize("dtype", _DTYPES)
def test_parts_of_a_view(ctx, dtype):
    a = _c(dtype, (12,))
    d = ctx.asarray(a)
    re, im = ctx.empty(6, a.real.dtype), ctx.empty(6, a.real.dtype)
    jit(parts)(d[1::2], re, im)
    np.testing.assert_array_equal(re.get(), a[1::2].real)
    np.testing.assert_array_equal(im.get(), a[1::2].imag * 2)
    jit(set_imag)(d[::3])
    want = a.copy()
    want.imag[::3] = 5.0
    np.testing.assert_array_equal(d.get(), want)


@pytest.mark.parametrize("src", [np.float32, np.float64, np.int32])
def test_casts_to_complex(ctx, src):
    x = (np.arange(9) - 4).astype(src)
    cpu, dev = _both(to_complex, (x,), np.complex128)
    np.testing.assert_array_equal(dev, cpu)
    np.testing.assert_array_equal(dev, x.astype(np.complex128))


_UFUNCS = {"add": lambda x, y: x + y, "subtract": lambda x, y: x - y, "multiply": lambda x, y: x * y,
           "divide": lambda x, y: x / y, "negative": lambda x, y: -x, "absolute": lambda x, y: abs(x),
           "exp": lambda x, y: np.exp(x), "equal": lambda x, y: x == y,
           "scalar": lambda x, y: x * 2.5 + 1j, "not_equal": lambda x, y: np.not_equal(x, y)}


@pytest.mark.parametrize("name", sorted(_UFUNCS))
@pytest.mark.parametrize("dtype", _DTYPES)
def test_device_array_ufuncs(ctx, name, dtype):
    a, b = _c(dtype), _c(dtype)
    b[:3] = a[:3]
    op = _UFUNCS[name]
    got, want = op(ctx.asarray(a), ctx.asarray(b)), op(a, b)
    assert isinstance(got, sejit.DeviceArray) and got.dtype == want.dtype
    np.testing.assert_allclose(got.get(), want, rtol=1e-6 if dtype == np.complex64 else 1e-14)


def test_unsupported_is_positioned(ctx):
    def sine(a, out):
        out[:] = np.sin(a)

    a = _c(np.complex128)
    with pytest.raises(sejit.UnsupportedError, match="complex"):
        jit(sine)(ctx.asarray(a), ctx.empty(9, np.complex128))


# -- power, square root, comparisons and reductions ---------------------------------------------

def cube(a, out):
    out[:] = a ** 3


def inverse_square(a, out):
    out[:] = a ** -2


def zeroth(a, out):
    out[:] = a ** 0


def real_power(a, out):
    out[:] = a ** 2.5


def complex_power(a, b, out):
    out[:] = a ** b


def int_power(a, n, out):
    out[:] = a ** n


def imaginary_power(a, out):
    out[:] = a ** 0.5j


def root(a, out):
    out[:] = np.sqrt(a)


def equal(a, b, out):
    out[:] = a == b


def not_equal(a, b, out):
    out[:] = a != b


def _pow_inputs(dtype):
    a, b = _c(dtype), _c(dtype)
    a[0] = 0  # 0 ** n: 1, 0, or NaN for a negative or complex exponent, as NumPy
    a[1] = -1.5  # on the negative real axis
    b[2] = 2  # an integer exponent among general ones
    return a, b


_POWERS = {"cube": (cube, lambda a, b: a ** 3, False),
           "inverse_square": (inverse_square, lambda a, b: a ** -2, False),
           "zeroth": (zeroth, lambda a, b: a ** 0, False),
           "real_power": (real_power, lambda a, b: a ** 2.5, True),
           "imaginary_power": (imaginary_power, lambda a, b: a ** 0.5j, True),
           "complex_power": (complex_power, lambda a, b: a ** b, True),
           "int_power": (int_power, lambda a, b: a ** 7, False)}


@pytest.mark.parametrize("name", sorted(_POWERS))
@pytest.mark.parametrize("dtype", _DTYPES)
def test_power(ctx, name, dtype):
    f, ref, general = _POWERS[name]
    a, b = _pow_inputs(dtype)
    host = {"complex_power": (a, b), "int_power": (a, 7)}.get(name, (a,))
    cpu = np.empty(9, dtype)
    jit(f)(*host, cpu)
    dev = ctx.empty(9, dtype)
    jit(f)(*[ctx.asarray(x) if isinstance(x, np.ndarray) else x for x in host], dev)
    got = dev.get()
    with np.errstate(all="ignore"):
        want = ref(a, b)
    assert got.dtype == want.dtype
    # Integer exponents multiply as the CPU target does (a few roundings); general ones go
    # through exp and log, OpenCL's libm's against the C library's.
    rtol = 1e-6 if dtype == np.complex64 else (1e-13 if general else 1e-15)
    np.testing.assert_allclose(got, cpu, rtol=rtol)
    np.testing.assert_allclose(got, want, rtol=rtol)


@pytest.mark.parametrize("dtype", _DTYPES)
def test_sqrt(ctx, dtype):
    big, tiny = np.finfo(dtype).max / 3, np.finfo(dtype).smallest_subnormal * 5
    a = np.concatenate([_c(dtype), np.array(
        [0, -0.0, 4, -4, complex(-4, -0.0), 2j, -2j, complex(-1, tiny), complex(big, big),
         complex(-big, -big / 3), complex(tiny, tiny / 5), complex(0, -tiny), complex(np.inf, 1),
         complex(-np.inf, 1), complex(1, np.inf), complex(np.nan, 1), complex(1, np.nan)], dtype)])
    n = a.size
    cpu, dev = np.empty(n, dtype), ctx.empty(n, dtype)
    jit(root)(a, cpu)
    jit(root)(ctx.asarray(a), dev)
    got = dev.get()
    with np.errstate(all="ignore"):
        want = np.sqrt(a)
    rtol = 1e-6 if dtype == np.complex64 else 1e-15
    np.testing.assert_allclose(got, want, rtol=rtol)
    np.testing.assert_allclose(got, cpu, rtol=rtol)
    # The branch cut: the root's imaginary part takes the sign of the input's, zeros included.
    finite = np.isfinite(want)
    np.testing.assert_array_equal(np.signbit(got.imag[finite]), np.signbit(want.imag[finite]))


@pytest.mark.parametrize("f, ref", [(equal, np.equal), (not_equal, np.not_equal)])
@pytest.mark.parametrize("dtype", _DTYPES)
def test_compare(ctx, f, ref, dtype):
    a, b = _c(dtype), _c(dtype)
    b[:3] = a[:3]
    b[3] = a[3].real + 1j * b[3].imag  # equal real parts only
    a[4] = b[4] = complex(np.nan, 0)  # NaN is equal to nothing
    b[5] = -0.0 + 0j
    a[5] = 0
    cpu, dev = np.empty(9, bool), ctx.empty(9, bool)
    jit(f)(a, b, cpu)
    jit(f)(ctx.asarray(a), ctx.asarray(b), dev)
    np.testing.assert_array_equal(dev.get(), ref(a, b))
    np.testing.assert_array_equal(dev.get(), cpu)


def total(a):
    return a.sum()


def product(a):
    return np.prod(a)


def average(a):
    return a.mean()


def loop_sum(a):
    s = 0j
    for i in sejit.prange(a.shape[0]):
        s += a[i] * 2
    return s


def _unit_circle(dtype, n):
    """Values near the unit circle: a product of thousands of them neither overflows nor
    underflows."""
    t = _RNG.random(n) * 2 * np.pi
    return (np.exp(1j * t) * (1 + (_RNG.random(n) - 0.5) * 1e-3)).astype(dtype)


_REDUCTIONS = {"sum": (total, np.sum), "prod": (product, np.prod), "mean": (average, np.mean),
               "loop": (loop_sum, lambda a: np.sum(a * 2))}


@pytest.mark.parametrize("n", [1, 9, 5000, 70000])
@pytest.mark.parametrize("name", sorted(_REDUCTIONS))
@pytest.mark.parametrize("dtype", _DTYPES)
def test_jitted_reductions(ctx, name, n, dtype):
    f, ref = _REDUCTIONS[name]
    a = _unit_circle(dtype, n)
    got = jit(f)(ctx.asarray(a))
    want, cpu = ref(a), jit(f)(a)
    assert type(got) is type(cpu)
    rtol = 1e-4 if dtype == np.complex64 else 1e-12
    np.testing.assert_allclose(got, want, rtol=rtol)
    np.testing.assert_allclose(got, cpu, rtol=rtol)


@pytest.mark.parametrize("name", ["sum", "prod", "mean"])
@pytest.mark.parametrize("dtype", _DTYPES)
def test_device_array_reductions(ctx, name, dtype):
    a = _unit_circle(dtype, 3000)
    d = ctx.asarray(a)
    got, want = getattr(d, name)(), getattr(a, name)()
    assert type(got) is type(want)
    rtol = 1e-4 if dtype == np.complex64 else 1e-12
    np.testing.assert_allclose(got, want, rtol=rtol)
    np.testing.assert_allclose(getattr(np, name)(d), want, rtol=rtol)
    d2 = d.reshape(30, 100)  # every axis of a 2-D array: the whole array
    np.testing.assert_allclose(getattr(d2, name)(axis=(0, 1)), want, rtol=rtol)
    with pytest.raises(NotImplementedError, match="along an axis"):
        getattr(d2, name)(axis=1)  # refused on the CPU target too (the front end)


def test_empty_sum(ctx):
    a = np.empty(0, np.complex128)
    assert ctx.asarray(a).sum() == a.sum() and jit(total)(ctx.asarray(a)) == 0


@pytest.mark.parametrize("name", ["min", "max"])
def test_complex_min_max_refused(ctx, name):
    with pytest.raises(NotImplementedError, match="complex"):
        getattr(ctx.asarray(_c(np.complex128)), name)()
