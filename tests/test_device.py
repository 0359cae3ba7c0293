"""The device side without the device compiler (issue 11): sejit.Context, DeviceArray and their
NumPy-like behaviour, checked against NumPy on PoCL's CPU device (make installs pyopencl[pocl]).

Views are compared with NumPy views of the same host data: the device array and the NumPy array
hold the same values, the same index applies to both, and .get() must equal the NumPy view.
"""

import subprocess
import sys

import numpy as np
import pytest

import sejit
from sejit.device import DeviceArray, NoDeviceError, as_device_array

from conftest import needs_engine

try:
    _DEVICES = sejit.devices()
except NoDeviceError as exc:  # pyopencl or an OpenCL platform is missing
    pytest.skip(f"no OpenCL device: {exc}", allow_module_level=True)

import pyopencl as cl  # noqa: E402  (present when devices() found one)
import pyopencl.array as cla  # noqa: E402


@pytest.fixture(scope="module")
def ctx():
    return sejit.Context("cpu")


def same(dev, host):
    got = dev.get()
    assert type(got) is np.ndarray and got.dtype == host.dtype and got.shape == host.shape
    np.testing.assert_array_equal(got, host)


# -- contexts ---------------------------------------------------------------------------------


def test_context_specs(ctx, monkeypatch):
    monkeypatch.delenv("SEJIT_DEVICE", raising=False)
    cpu = _DEVICES[[d.type for d in _DEVICES].index("CPU")]
    assert ctx.spec == cpu.spec and ctx.fp64  # PoCL's CPU device has fp64
    assert sejit.Context(cpu.spec).device == ctx.device
    assert sejit.Context("any").device == _DEVICES[0].device
    default = sejit.Context()  # no $SEJIT_DEVICE: a GPU, else a CPU
    gpus = [d for d in _DEVICES if d.type == "GPU"]
    assert default.device == (gpus[0] if gpus else cpu).device
    text = str(ctx)
    assert ctx.name in text and "OpenCL" in text and "fp64" in text and "global memory" in text
    assert isinstance(ctx.queue, cl.CommandQueue) and isinstance(ctx.cl_context, cl.Context)


def test_context_from_environment(monkeypatch):
    cpu = next(d for d in _DEVICES if d.type == "CPU")
    monkeypatch.setenv("SEJIT_DEVICE", cpu.spec)
    assert sejit.Context().spec == cpu.spec
    monkeypatch.setenv("SEJIT_DEVICE", "cpu")
    assert sejit.Context().spec == cpu.spec
    assert sejit.Context("any").spec == _DEVICES[0].spec  # an explicit spec wins
    monkeypatch.setenv("SEJIT_DEVICE", "tpu")
    with pytest.raises(ValueError, match=r"\$SEJIT_DEVICE 'tpu'.*opencl:P:D"):
        sejit.Context()


@pytest.mark.parametrize("spec", ["opencl:0", "opencl:a:b", "vulkan", "opencl:0:0:0"])
def test_context_bad_spec(spec):
    with pytest.raises(ValueError, match="gpu.*cpu.*any.*opencl:P:D"):
        sejit.Context(spec)


def test_context_no_such_device():
    with pytest.raises(NoDeviceError, match="no OpenCL device opencl:99:0.*opencl:0:0"):
        sejit.Context("opencl:99:0")
    if not any(d.type == "GPU" for d in _DEVICES):
        with pytest.raises(NoDeviceError, match="no OpenCL GPU device"):
            sejit.Context("gpu")


def test_missing_pyopencl_says_how_to_install():
    code = ("import sys; sys.modules['pyopencl'] = None; import sejit\n"
            "try:\n    sejit.Context()\nexcept sejit.NoDeviceError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'pyopencl[pocl]'" in out.stdout, out.stdout


def test_import_does_not_load_pyopencl():
    code = ("import sys; import sejit; assert sejit.Context and sejit.DeviceArray; "
            "print(sorted(m for m in sys.modules "
            "if m.startswith(('pyopencl', 'mako', 'pytools'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_context_wraps_pyopencl(ctx):
    again = sejit.Context(ctx.queue)
    assert again == ctx and again.queue is ctx.queue
    other = sejit.Context(ctx.cl_context)
    assert other == ctx and other.queue is not ctx.queue


# -- creation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_,
                                   np.complex128, np.int16])
def test_creation_matches_numpy(ctx, dtype):
    for shape in [(), (0,), (7,), (3, 4), (2, 0, 3)]:
        a = ctx.empty(shape, dtype)
        assert (a.shape, a.dtype, a.ndim, a.size) == (shape, np.dtype(dtype), len(shape),
                                                      int(np.prod(shape)))
        assert a.strides == np.empty(shape, dtype).strides and a.nbytes == np.empty(shape,
                                                                                     dtype).nbytes
        same(ctx.zeros(shape, dtype), np.zeros(shape, dtype))
        same(ctx.ones(shape, dtype), np.ones(shape, dtype))
        same(ctx.full(shape, 3, dtype), np.full(shape, 3, dtype))
    h = (np.arange(12).reshape(3, 4) * 7 % 5).astype(dtype)
    same(ctx.asarray(h), h)
    same(ctx.asarray(h[::-1, ::2]), h[::-1, ::2])
    same(ctx.zeros_like(h), np.zeros_like(h))
    same(ctx.ones_like(ctx.asarray(h)), np.ones_like(h))
    same(ctx.full_like(h, 1), np.full_like(h, 1))
    assert ctx.empty_like(h).shape == h.shape and ctx.empty_like(h, np.int8).dtype == np.int8


def test_creation_defaults_and_ranges(ctx):
    same(ctx.zeros(5), np.zeros(5))
    same(ctx.full(3, 2.5), np.full(3, 2.5))
    same(ctx.full((2, 2), 7), np.full((2, 2), 7))
    same(ctx.full(2, 1j, np.complex64), np.full(2, 1j, np.complex64))
    same(ctx.arange(10), np.arange(10))
    same(ctx.arange(1.5, 9, 0.5), np.arange(1.5, 9, 0.5))
    same(ctx.arange(5, dtype=np.float32), np.arange(5, dtype=np.float32))
    same(ctx.linspace(0, 1, 7), np.linspace(0, 1, 7))
    same(ctx.linspace(2, 3, 4, endpoint=False, dtype=np.float32),
         np.linspace(2, 3, 4, endpoint=False, dtype=np.float32))
    same(ctx.asarray([[1, 2], [3, 4]]), np.asarray([[1, 2], [3, 4]]))
    same(ctx.asarray([1, 2], dtype=np.float32), np.asarray([1, 2], dtype=np.float32))
    with pytest.raises(OverflowError):
        ctx.full(3, 300, np.uint8)  # NumPy 2's cast of an out-of-range Python int
    with pytest.raises(ValueError, match="negative"):
        ctx.empty(-1)
    with pytest.raises(TypeError, match="DeviceArray holds"):
        ctx.empty(3, object)


def test_asarray_of_device_arrays(ctx):
    a = ctx.arange(6.0)
    assert ctx.asarray(a) is a
    b = ctx.array(a)
    assert b is not a and b.buffer is not a.buffer
    same(b, np.arange(6.0))
    same(ctx.asarray(a, np.int32), np.arange(6, dtype=np.int32))


# -- views ------------------------------------------------------------------------------------

HOST = np.arange(2 * 3 * 5, dtype=np.float64).reshape(2, 3, 5) * 1.5 - 7

KEYS = [
    np.s_[1], np.s_[-1], np.s_[1, 2], np.s_[1, 2, 3], np.s_[-1, -2, -3], np.s_[:], np.s_[...],
    np.s_[None], np.s_[..., None], np.s_[:, None, 1], np.s_[:, 1], np.s_[..., 2], np.s_[1, ..., 2],
    np.s_[::-1], np.s_[:, ::-2, 1:4], np.s_[:, :, ::2], np.s_[:, :, ::-3], np.s_[1:, 1:2, 4:0:-2],
    np.s_[:, 5:9], np.s_[:, :, 3:1], np.s_[None, 1, None, ::-1, None], np.s_[np.int64(1), 0],
]


@pytest.mark.parametrize("key", KEYS, ids=[repr(k) for k in KEYS])
def test_views_match_numpy(ctx, key):
    base = ctx.asarray(HOST)
    view, want = base[key], HOST[key]
    assert isinstance(view, DeviceArray)
    assert view.shape == want.shape and view.strides == want.strides and view.dtype == want.dtype
    assert view.buffer is base.buffer  # a view, no copy
    same(view, np.asarray(want))
    same(view[...], np.asarray(want))
    if view.ndim:  # a view of a view
        same(view[::-1], np.asarray(want)[::-1])


def test_view_chains_and_1d(ctx):
    h = np.arange(40.0)
    a = ctx.asarray(h)
    for key in [np.s_[2:10], np.s_[::2], np.s_[::-1], np.s_[5:-5:3], np.s_[-3:], np.s_[30:2:-4]]:
        same(a[key], h[key])
    same(a[::2][1::3][::-1], h[::2][1::3][::-1])
    same(a.reshape(5, 8)[:, 1], h.reshape(5, 8)[:, 1])
    same(a.reshape(5, 8).T, h.reshape(5, 8).T)
    same(a.reshape(2, 4, 5).transpose(1, 0, 2)[::-1], h.reshape(2, 4, 5).transpose(1, 0, 2)[::-1])
    assert a[3].shape == () and a[3].item() == 3.0 and float(a[-1]) == 39.0
    assert len(a) == 40 and [x.item() for x in a[:3]] == [0.0, 1.0, 2.0]


def test_bad_indices(ctx):
    a = ctx.zeros((3, 4))
    with pytest.raises(IndexError, match="out of bounds for axis 1 with size 4"):
        a[0, 4]
    with pytest.raises(IndexError, match="too many indices"):
        a[0, 0, 0]
    with pytest.raises(IndexError, match="single ellipsis"):
        a[..., ...]
    with pytest.raises(IndexError, match="advanced indexing"):
        a[[0, 1]]
    with pytest.raises(IndexError, match="advanced indexing"):
        a[np.array([True, False, True])]


# -- writes -----------------------------------------------------------------------------------

WRITES = [np.s_[...], np.s_[1], np.s_[:, 2], np.s_[::2], np.s_[:, ::-2, 1:4], np.s_[1, 1:, 0],
          np.s_[None, 0], np.s_[:, 5:9], np.s_[1, 2, 3]]


@pytest.mark.parametrize("key", WRITES, ids=[repr(k) for k in WRITES])
def test_in_place_writes(ctx, key):
    for value in [2.5, -1, np.float32(3.25)]:
        a, h = ctx.asarray(HOST), HOST.copy()
        a[key] = value
        h[key] = value
        same(a, h)
    shape = HOST[key].shape
    vals = np.arange(np.prod(shape), dtype=np.int32).reshape(shape) + 100
    for value in [vals, vals.astype(np.float64), ctx.asarray(vals),
                  ctx.asarray(vals.astype(float))]:
        a, h = ctx.asarray(HOST), HOST.copy()
        a[key] = value
        h[key] = vals
        same(a, h)
    if shape:  # broadcasting a row, from the host and from the device
        row = np.arange(shape[-1], dtype=np.float64) - 50
        for value in [row, ctx.asarray(row)]:
            a, h = ctx.asarray(HOST), HOST.copy()
            a[key] = value
            h[key] = row
            same(a, h)


def test_writes_follow_numpy_casts_and_errors(ctx):
    a, h = ctx.zeros(5, np.int32), np.zeros(5, np.int32)
    a[1:3] = 7.9
    h[1:3] = 7.9
    same(a, h)
    with pytest.raises(ValueError):
        a[:3] = np.arange(4)  # shapes do not broadcast
    with pytest.raises(OverflowError):
        ctx.zeros(3, np.uint8)[...] = -1
    b = ctx.zeros(4, np.complex128)
    b[::2] = 1 + 2j
    same(b, np.array([1 + 2j, 0, 1 + 2j, 0]))
    a.fill(4)
    same(a, np.full(5, 4, np.int32))


def test_overlapping_device_copy(ctx):
    h = np.arange(10.0)
    a = ctx.asarray(h)
    a[1:] = a[:-1]  # one buffer, overlapping: as NumPy, as if the right side were read first
    h[1:] = h[:-1].copy()
    same(a, h)
    a[:-2] = a[2:]
    h[:-2] = h[2:].copy()
    same(a, h)
    a[::2] = a[1::2]  # strided: through the host
    h[::2] = h[1::2].copy()
    same(a, h)


def test_views_share_memory(ctx):
    a = ctx.zeros((4, 4))
    col = a[:, 1]
    col[...] = 3.0
    a[2] = 5.0
    h = np.zeros((4, 4))
    h[:, 1] = 3.0
    h[2] = 5.0
    same(a, h)
    same(col, h[:, 1])


# -- copies, casts, reshapes, repr ------------------------------------------------------------


def test_copy_astype_reshape(ctx):
    h = np.arange(24, dtype=np.int64).reshape(4, 6)
    a = ctx.asarray(h)
    c = a.copy()
    c[0] = -1
    same(a, h)  # a copy is independent
    same(a[:, ::-2].copy(), h[:, ::-2].copy())
    assert a[:, ::-2].copy().strides == h[:, ::-2].copy().strides
    same(a.astype(np.float32), h.astype(np.float32))
    same(a[1:, ::2].astype(np.complex64), h[1:, ::2].astype(np.complex64))
    assert a.astype(np.int64, copy=False) is a and a.astype(np.int64).buffer is not a.buffer
    r = a.reshape(2, 12)
    assert r.buffer is a.buffer  # a view of a contiguous array
    same(r, h.reshape(2, 12))
    same(a.reshape(-1), h.reshape(-1))
    same(a.reshape((3, -1, 2)), h.reshape((3, -1, 2)))
    same(a[1:3].reshape(12), h[1:3].reshape(12))
    same(a.T.reshape(24), h.T.reshape(24))  # not contiguous: a reshaped copy
    with pytest.raises(ValueError, match="cannot reshape array of size 24 into shape"):
        a.reshape(5, -1)


def test_repr(ctx):
    for h in [np.arange(5.0), np.arange(12, dtype=np.int32).reshape(3, 4), np.array(2.5),
              np.zeros((0, 3), np.float32), np.array([True, False]),
              np.linspace(0, 1, 2000), np.arange(6).reshape(2, 3)[:, ::-1]]:
        want = repr(h)
        got = repr(ctx.asarray(h))
        assert got.startswith("DeviceArray(") and got.replace("DeviceArray(", "array(", 1) \
            .replace("\n      ", "\n") == want, got
        assert str(ctx.asarray(h)) == str(h)
    assert repr(ctx.arange(3, dtype=np.int16)) == "DeviceArray([0, 1, 2], dtype=int16)"


def test_numpy_asarray_is_an_explicit_read(ctx):
    h = np.arange(6.0).reshape(2, 3)
    a = ctx.asarray(h)
    np.testing.assert_array_equal(np.asarray(a), h)
    np.testing.assert_array_equal(np.asarray(a[:, ::-1], dtype=np.int8), h[:, ::-1].astype(np.int8))
    with pytest.raises(ValueError, match="always a copy"):
        np.asarray(a, copy=False)
    assert np.shape(a) == (2, 3) and np.ndim(a) == 2 and np.size(a) == 6


# -- computing on the device: ufuncs, operators, reductions (sejit's kernels) ------------------

UNARY = ["negative", "positive", "absolute", "sqrt", "exp", "log", "sin", "cos", "tan", "arcsin",
         "arccos", "arctan", "sinh", "cosh", "tanh", "exp2", "log2", "log10", "expm1", "log1p",
         "floor", "ceil", "trunc", "rint", "sign", "square", "reciprocal", "isnan", "isinf",
         "isfinite", "logical_not", "invert", "cbrt", "fabs", "degrees", "radians"]
BINARY = ["add", "subtract", "multiply", "true_divide", "floor_divide", "remainder", "fmod",
          "power", "less", "less_equal", "greater", "greater_equal", "equal", "not_equal",
          "maximum", "minimum", "fmax", "fmin", "arctan2", "hypot", "logical_and", "logical_or",
          "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift",
          "copysign"]
# Libm functions: OpenCL's and NumPy's differ by an ulp or so; the rest are exact.
INEXACT = {"exp", "log", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh",
           "tanh", "exp2", "log2", "log10", "expm1", "log1p", "cbrt", "power", "arctan2",
           "hypot", "true_divide", "reciprocal", "degrees", "radians", "fmod", "remainder"}
DTYPES = [np.float32, np.float64, np.int64]


def _operand(dtype, rng, shape, positive=False):
    if np.dtype(dtype).kind == "f":
        x = rng.uniform(0.05 if positive else -0.95, 0.95, shape)
    else:
        x = rng.integers(1 if positive else -20, 20, shape)
    return x.astype(dtype)


def _close(dev, host, exact):
    got = dev.get()
    assert got.dtype == host.dtype and got.shape == host.shape
    if exact or host.dtype.kind not in "fc":
        np.testing.assert_array_equal(got, host)
    else:
        tol = 2e-6 if host.dtype == np.float32 else 1e-13
        np.testing.assert_allclose(got, host, rtol=tol, atol=tol, equal_nan=True)


@needs_engine
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_basic_ufunc(ctx, dtype):
    if dtype == np.float64 and not ctx.fp64:
        pytest.skip("no fp64 on this device")
    rng = np.random.default_rng(5)
    for name in UNARY + BINARY:
        f = getattr(np, name)
        pos = name in ("sqrt", "log", "log2", "log10", "reciprocal", "arccosh", "power",
                       "floor_divide", "remainder", "fmod", "left_shift", "right_shift")
        hs = [_operand(dtype, rng, (3, 7), positive=pos) for _ in range(f.nin)]
        if name in ("left_shift", "right_shift") and np.dtype(dtype).kind == "i":
            hs[1] %= 8
        try:
            with np.errstate(all="ignore"):
                want = f(*hs)
        except TypeError:  # NumPy has no loop for this dtype: the device raises alike
            with pytest.raises(TypeError):
                f(*[ctx.asarray(h) for h in hs])
            continue
        _close(f(*[ctx.asarray(h) for h in hs]), want, name not in INEXACT)
        _close(getattr(ctx, name)(*[ctx.asarray(h) for h in hs]), want, name not in INEXACT)


@needs_engine
def test_operators_and_nep50(ctx):
    h = np.arange(12, dtype=np.float32).reshape(3, 4)
    a = ctx.asarray(h)
    same(a + 0.1, h + 0.1)  # a Python float keeps float32 (NEP 50)
    same(a * 2.0, h * 2.0)
    same(2 - a, 2 - h)
    same(1.5 / (a + 1), 1.5 / (h + 1))
    same(a * np.float64(2), h * np.float64(2))  # a NumPy float64 promotes
    same(-a, -h)
    same(abs(a - 5), abs(h - 5))
    same(a ** 2, h ** 2)
    same(a // 3, h // 3)
    same(a % 3, h % 3)
    for op in ("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"):
        same(getattr(a, op)(5.0), getattr(h, op)(5.0))
    hi = np.arange(-6, 6, dtype=np.int64)
    i = ctx.asarray(hi)
    same(i // 4, hi // 4)
    same(i % 4, hi % 4)
    same(i & 3, hi & 3)
    same(~i, ~hi)
    same(i << 2, hi << 2)
    same(i / 4, hi / 4)  # true division of ints: float64
    same(i + 2.5, hi + 2.5)
    same(a + i.reshape(3, 4), h + hi.reshape(3, 4))  # float32 + int64: float64


@needs_engine
def test_broadcasting_inplace_and_out(ctx):
    rng = np.random.default_rng(6)
    h = rng.random((4, 5))
    row, col = rng.random(5), rng.random((4, 1))
    a, r, c = ctx.asarray(h), ctx.asarray(row), ctx.asarray(col)
    same(a + r, h + row)
    same(r * c, row * col)
    same(a[:, ::2] - r[::2], h[:, ::2] - row[::2])  # strided views
    same(a.T + c.T, h.T + col.T)
    a += 1
    h += 1
    same(a, h)
    a *= r
    h *= row
    same(a, h)
    a[1:] += a[:-1]  # overlapping: the input is copied first, as in NumPy
    h[1:] += h[:-1]
    same(a, h)
    out = ctx.empty((4, 5))
    assert np.add(a, r, out=out) is out
    same(out, h + row)
    o32 = ctx.empty((4, 5), np.float32)
    with pytest.raises(TypeError):  # NumPy's same_kind rule: float64 into float32 refused...
        np.add(a, r, out=ctx.empty((4, 5), np.int64))
    np.add(a, r, out=o32, casting="same_kind")  # ...float64 into float32 allowed
    same(o32, (h + row).astype(np.float32))
    with pytest.raises(ValueError, match="non-broadcastable"):
        np.add(a, r, out=ctx.empty(5))
    i = ctx.arange(4)
    with pytest.raises(TypeError):  # NumPy: int64 += float is refused (same_kind)
        i += 1.5
    s = ctx.asarray(np.float32(2))  # 0-d
    same(s * 3, np.asarray(np.float32(2) * 3))
    same(ctx.zeros((0, 3)) + 1, np.zeros((0, 3)) + 1)
    b = a > 1.5
    same(b, h > 1.5)
    same(np.where(b, a, -a), np.where(h > 1.5, h, -h))
    same(np.where(b, a, 0.0), np.where(h > 1.5, h, 0.0))
    same(np.clip(a, 1.2, 2.0), np.clip(h, 1.2, 2.0))
    same(a.clip(max=1.5), h.clip(max=1.5))
    same(ctx.where(b, 1, 0), np.where(h > 1.5, 1, 0))
    same(np.logical_and(b, a < 2), np.logical_and(h > 1.5, h < 2))


@needs_engine
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.uint8, bool])
def test_reductions(ctx, dtype):
    rng = np.random.default_rng(7)
    for n in (1, 5, 255, 4097, 100_003):
        h = (rng.random(n) * 4 - 1).astype(dtype) if np.dtype(dtype).kind == "f" else \
            rng.integers(0, 3, n).astype(dtype)
        a = ctx.asarray(h)
        for name in ("sum", "min", "max", "mean", "all", "any"):
            got, want = getattr(a, name)(), getattr(h, name)()
            assert type(got) is type(want), (name, n)
            if name in ("sum", "mean") and h.dtype.kind == "f":
                rtol = (1e-12 if dtype == np.float64 else 1e-5) * max(np.log2(n), 1)
                np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
            else:
                assert got == want, (name, n, got, want)
        small = h[:20]
        got, want = ctx.asarray(small).prod(), small.prod()
        assert type(got) is type(want)
        np.testing.assert_allclose(got, want, rtol=1e-5)
    # views and the NumPy function forms
    h2 = np.arange(60, dtype=np.float64).reshape(6, 10)
    a2 = ctx.asarray(h2)
    assert np.sum(a2[:, ::3]) == np.sum(h2[:, ::3]) and np.max(a2.T) == h2.max()
    assert np.add.reduce(ctx.asarray(h2[0])) == np.add.reduce(h2[0])
    assert ctx.sum(a2) == h2.sum() and np.min(a2) == 0.0 and np.mean(a2) == h2.mean()


@needs_engine
def test_reduction_accuracy_and_nan(ctx):
    rng = np.random.default_rng(8)
    n = 2_000_000
    h = rng.random(n) + 1e3
    rtol = 1e-12 * np.log2(n)
    np.testing.assert_allclose(ctx.asarray(h).sum(), np.sum(h), rtol=rtol)
    h32 = h.astype(np.float32)
    exact = np.sum(h32, dtype=np.float64)
    assert abs(ctx.asarray(h32).sum() - exact) <= abs(np.sum(h32) - exact) * 4 + 1e-6 * exact
    hn = np.array([1.0, np.nan, -3.0])
    assert np.isnan(ctx.asarray(hn).min()) and np.isnan(ctx.asarray(hn).max())


@needs_engine
def test_empty_reductions(ctx):
    e = ctx.zeros(0)
    for name in ("sum", "prod", "all", "any"):
        got, want = getattr(e, name)(), getattr(np.zeros(0), name)()
        assert type(got) is type(want) and got == want
    assert ctx.zeros((0, 4), np.int32).sum().dtype == np.int64
    for name in ("min", "max"):
        with pytest.raises(ValueError, match="zero-size array"):
            getattr(e, name)()
    with pytest.warns(RuntimeWarning):
        assert np.isnan(e.mean())
    # Along an axis (a jitted kernel): NumPy's empty results and errors.
    np.testing.assert_array_equal(ctx.zeros((0, 3)).sum(axis=0).get(), np.zeros((0, 3)).sum(axis=0))
    with pytest.raises(ValueError, match="zero-size array"):
        ctx.zeros((0, 3)).max(axis=0)


def test_mixing_numpy_and_device_arrays_is_a_type_error(ctx):
    a = ctx.arange(4.0)
    h = np.arange(4.0)
    for call in (lambda: h + a, lambda: a * h, lambda: np.add(a, h), lambda: np.where(a > 1, a, h),
                 lambda: ctx.sin(h)):
        with pytest.raises(TypeError, match=r"operand \d is a NumPy array.*never copies"):
            call()
    with pytest.raises(TypeError, match="operand 2 is a NumPy array"):
        a += h
    with pytest.raises(NotImplementedError, match=r"numpy.sort\(\).*a.get\(\)"):
        np.sort(a)


KERNELS = """
import sejit

@sejit.jit
def axpy(x, y, a):
    y[:] = a * x + y
"""


@needs_engine
def test_jitted_call_refuses_mixed_arrays(ctx, tmp_path, monkeypatch):
    (tmp_path / "devkernels.py").write_text(KERNELS)
    monkeypatch.syspath_prepend(str(tmp_path))
    from devkernels import axpy

    d, h = ctx.zeros(4), np.zeros(4)
    with pytest.raises(TypeError, match=r"axpy\(\) argument 1 \('x'\): got a device array.*"
                       r"argument 2 \('y'\) is a NumPy array.*never copies"):
        axpy(d, h, 2.0)
    with pytest.raises(TypeError, match=r"argument 2 \('y'\): got a device array \(pyopencl"):
        axpy(h, d.cl, 2.0)
    axpy(d, d, 2.0)  # device arrays only: compiled for the device (tests/test_device_jit.py)
    with pytest.raises(TypeError, match=r"tuple whose item \[0\] is a device array"):
        axpy((d,), h, 2.0)
    same(d, np.zeros(4))


# -- pyopencl interop -------------------------------------------------------------------------


def test_pyopencl_interop(ctx):
    h = np.arange(20.0).reshape(4, 5)
    a = ctx.asarray(h)
    c = a.cl
    assert isinstance(c, cla.Array) and c.base_data is a.buffer and c.queue is ctx.queue
    np.testing.assert_array_equal(c.get(), h)
    v = a[1:3].cl  # a view at an offset
    assert v.offset == 5 * 8 and v.strides == (40, 8)
    np.testing.assert_array_equal(v.get(), h[1:3])
    # a pyopencl array in, as a view of its buffer: writes show through both
    p = cla.to_device(ctx.queue, h)
    d = as_device_array(p)
    assert d.buffer is p.base_data and d.context == ctx
    d[0] = -1.0
    np.testing.assert_array_equal(p.get()[0], -np.ones(5))
    same(as_device_array(p[1:]), p.get()[1:])
    assert as_device_array(a) is a
    # accepted wherever a DeviceArray is
    a[...] = p
    same(a, p.get())
    same(ctx.asarray(p), p.get())
    same(ctx.zeros_like(p), np.zeros_like(h))
    empty = cla.empty(ctx.queue, (0,), np.float32)
    same(as_device_array(empty), np.zeros(0, np.float32))
    with pytest.raises(TypeError, match="DeviceArray or a pyopencl array"):
        as_device_array(h)


def test_pyopencl_array_of_another_context(ctx):
    other = sejit.Context(ctx.spec)  # the same device, another OpenCL context
    p = cla.to_device(other.queue, np.arange(3.0))
    with pytest.raises(ValueError, match="ctx.asarray\\(a.get\\(\\)\\)"):
        ctx.asarray(p)
    with pytest.raises(ValueError, match="move it explicitly"):
        ctx.zeros(3)[...] = p
