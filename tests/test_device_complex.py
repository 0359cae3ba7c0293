"""Complex numbers on the device (issue 11): complex64/complex128 DeviceArrays, NumPy's ufuncs
on them, jitted arithmetic, abs, exp, and the real/imag parts. OpenCL has no complex type:
clgen prints them as float2/double2 and computes in double2 with the CPU target's formulas
(CPython's Smith division); results are compared with the CPU target's and NumPy's within a few
ulps (complex64 computes in double on the device, and hypot and exp are OpenCL's libm).
"""

import numpy as np
import pytest

import sejit
from sejit import jit
from sejit.device import NoDeviceError, _cl

from conftest import needs_engine

try:
    _CTX = sejit.Context("cpu")
except NoDeviceError as exc:
    pytest.skip(f"no OpenCL CPU device: {exc}", allow_module_level=True)
if not _cl.can_build(_CTX.info):
    pytest.skip(f"the OpenCL device {_CTX.name} cannot build kernels here (make install runs "
                f"tools/opencl-device.sh, which installs one where it can)", allow_module_level=True)

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
    def power(a, out):
        out[:] = a ** 3

    a = _c(np.complex128)
    with pytest.raises(sejit.UnsupportedError, match="complex"):
        jit(power)(ctx.asarray(a), ctx.empty(9, np.complex128))
