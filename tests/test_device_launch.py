"""How device calls launch (issue 11): kernels whose work-items each run a chunk of iterations on
CPU devices, the unit-stride version of a chunk, the per-function fast path of the call, host
code writing single elements, and the host plan printed as Python (loops with break and continue,
kernel errors and overlapping arguments on repeat calls). Results are compared with NumPy bit for bit
(FP_CONTRACT is off on both sides).
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
    pytest.skip(f"the OpenCL device {_CTX.name} cannot build kernels here", allow_module_level=True)

pytestmark = needs_engine


def axpb(x, y, a):
    y[...] = (x * a + 2.0) * x - 1.0


@pytest.mark.parametrize("n", [1, 2, 7, 1023, 1024, 1025, 100_003])
def test_chunks_cover_every_element_once(n):
    h = np.random.default_rng(n).standard_normal(n)
    x, y = _CTX.asarray(h), _CTX.asarray(np.full(n, np.nan))
    jit(axpb)(x, y, 1.5)
    want = np.full(n, np.nan)
    axpb(h, want, 1.5)
    np.testing.assert_array_equal(y.get(), want)


@pytest.mark.parametrize("step", [2, 3, -1])
def test_strided_views_take_the_general_chunk(step):
    h = np.random.default_rng(7).standard_normal(3001)
    out = np.zeros(3001)
    x, y = _CTX.asarray(h), _CTX.asarray(out)
    f = jit(axpb)
    f(x[::step], y[::step], 0.25)
    want = out.copy()
    axpb(h[::step], want[::step], 0.25)
    np.testing.assert_array_equal(y.get(), want)


@pytest.mark.parametrize("shape", [(37, 1029), (5, 3, 2049), (1, 1)])
def test_nd_arrays_and_transposes(shape):
    h = np.random.default_rng(1).standard_normal(shape)
    f = jit(axpb)
    x, y = _CTX.asarray(h), _CTX.empty(shape, np.float64)
    f(x, y, -2.0)
    want = np.empty(shape)
    axpb(h, want, -2.0)
    np.testing.assert_array_equal(y.get(), want)
    xt, yt = _CTX.asarray(np.ascontiguousarray(h.T)), _CTX.empty(shape[::-1], np.float64)
    f(xt, yt, -2.0)
    wt = np.empty(shape[::-1])
    axpb(np.ascontiguousarray(h.T), wt, -2.0)
    np.testing.assert_array_equal(yt.get(), wt)


def test_transposed_view_inner_axis_strided():
    h = np.random.default_rng(2).standard_normal((300, 200))
    out = np.zeros((200, 300))
    x, y = _CTX.asarray(h), _CTX.asarray(out)
    jit(axpb)(x.T, y, 3.0)  # x.T's last axis has stride 200 elements
    want = out.copy()
    axpb(h.T, want, 3.0)
    np.testing.assert_array_equal(y.get(), want)


def scale_sum(x, y, a):
    y[:] = x * a
    return a * 2


def test_fast_path_follows_types_shapes_and_errors():
    f = jit(scale_sum)
    for dt, n, a in [
        (np.float64, 10, 2.0),
        (np.float64, 10, 3),
        (np.float32, 10, 2.0),
        (np.float64, 33, np.float32(0.5)),
        (np.float64, 10, 2.0),
    ]:
        h = np.arange(n, dtype=dt)
        x, y = _CTX.asarray(h), _CTX.empty(n, dt)
        got = f(x, y, a)
        want_y = np.empty(n, dt)
        want = scale_sum(h, want_y, a)
        np.testing.assert_array_equal(y.get(), want_y)
        assert got == want
    x, y = _CTX.asarray(np.ones(4)), _CTX.empty(4, np.float64)
    f(x, y, 1.0)
    with pytest.raises(TypeError, match="do not mix"):
        f(x, np.empty(4), 1.0)
    with pytest.raises(TypeError):
        f(x, y, "text")
    with pytest.raises(TypeError):
        f(x, y)
    with pytest.raises(ValueError):  # a shape the fast path has not seen is checked again
        f(x, _CTX.empty(5, np.float64), 1.0)
    cla = pytest.importorskip("pyopencl.array")
    yc = cla.zeros(_CTX.queue, 4, np.float64)
    f(x, yc, 4.0)  # a pyopencl array takes the slow path
    np.testing.assert_array_equal(yc.get(), np.full(4, 4.0))


def store_one(x, y):
    y[0] = x[0] + 1.0


def test_host_element_write_runs_as_one_work_item():
    x, y = _CTX.asarray(np.arange(3.0)), _CTX.zeros(3, np.float64)
    jit(store_one)(x, y)
    want = np.zeros(3)
    store_one(np.arange(3.0), want)
    np.testing.assert_array_equal(y.get(), want)


def test_chunk_length_policy():
    info = _CTX.info
    if not info.cpu_like:
        assert info.chunk_length(10**6) == 1
        return
    assert info.chunk_length(1) == 1
    assert info.chunk_length(10**9) == 1024
    n = 8 * info.units * 10
    assert info.chunk_length(n) == 10


ARANGES = [
    (10,),
    (6.0,),
    (0, 10.0),
    (np.float32(4),),
    (0, np.float32(3), 0.5),
    (0, 10),
    (1, 10, 3),
    (10, 0, -2),
    (0.5, 7.3, 0.7),
    (-3.2, 4.1, 0.13),
    (0, 1, 0.1),
    (5, 5),
    (0.0, 1e-3, 1e-5),
    (1e10, 1e10 + 100, 3.3),
    (3, 1),
]


@pytest.mark.parametrize("args", ARANGES)
@pytest.mark.parametrize(
    "dtype", [None, np.float32, np.float64, np.int32, np.int64, np.uint8, bool]
)
def test_arange_is_numpys_bit_for_bit(args, dtype):
    try:
        want = np.arange(*args, dtype=dtype)
    except Exception as e:  # noqa: BLE001 - the same error, whatever it is
        with pytest.raises(type(e)):
            _CTX.arange(*args, dtype=dtype)
        return
    got = _CTX.arange(*args, dtype=dtype)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got.get(), want)


@pytest.mark.parametrize(
    "start, stop, num, endpoint",
    [
        (0, 1, 50, True),
        (0, 1, 50, False),
        (-2.5, 3.7, 7, True),
        (1, 1, 5, True),
        (0, 10, 1, True),
        (0, 10, 0, True),
        (1e-300, 1e300, 11, True),
        (3, -2, 1000, False),
        (0.1, 0.1 + 1e-20, 4, True),
        (0, 1, 1, False),
        (np.float32(0), np.float32(1), 9, True),
    ],
)
def test_linspace_is_numpys_bit_for_bit(start, stop, num, endpoint):
    want = np.linspace(start, stop, num, endpoint=endpoint)
    got = _CTX.linspace(start, stop, num, endpoint=endpoint)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got.get(), want)


def twice_then_sum(a, y, t):
    for _ in range(t):
        y[:] = a * 2.0 + 1.0
    return a.sum()


def test_explain_shows_kernels_launches_and_plan(capsys):
    x = _CTX.arange(10.0)
    text = jit(twice_then_sum).explain(x, _CTX.empty_like(x), 3)
    assert capsys.readouterr().out.strip() == text.strip()
    assert str(_CTX) in text
    assert "__kernel void sejit_k" in text and "== host plan ==" in text
    assert "global size" in text and "a reduction over" in text
    assert "for " in text  # the time loop around the launches


def store_then_sum(a, y):
    y[:] = a * 2.0 + 1.0
    return y.sum()


def test_store_fused_with_a_reduction():
    # The CPU's fusion makes one nest that stores y[i] and sums it: a device reduction kernel
    # whose iterations read back their own element.
    h = np.random.default_rng(4).standard_normal(100_003)
    x, y = _CTX.asarray(h), _CTX.empty(h.shape[0], np.float64)
    got = jit(store_then_sum)(x, y)
    want_y = np.empty_like(h)
    want = store_then_sum(h, want_y)
    np.testing.assert_array_equal(y.get(), want_y)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def laplace_swap(u, v, steps):
    for t in range(steps):
        v[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
        u, v = v, u


@pytest.mark.parametrize("steps", [1, 2, 5])
def test_stencil_time_loop_with_swap(steps):
    # Loop versioning on the CPU side of the pipeline (an unstretched copy of a nest) gives two
    # nests over the same variables; outlining each must not take the other for a use after it.
    h = np.random.default_rng(steps).standard_normal((33, 47))
    u, v = _CTX.asarray(h), _CTX.asarray(h.copy())
    jit(laplace_swap)(u, v, steps)
    hu, hv = h.copy(), h.copy()
    laplace_swap(hu, hv, steps)
    np.testing.assert_array_equal(u.get(), hu)
    np.testing.assert_array_equal(v.get(), hv)


# -- the host plan as printed Python: control flow and repeat calls ----------------------------

def stepping(x, y, steps, stop_at):
    for t in range(steps):
        if t == stop_at:
            break
        if t % 2 == 1:
            continue
        y[:] = y + x * t
    k = steps
    while k > 0:
        y[:] = y * 0.5
        k -= 2
    for t in range(steps, 0, -3):
        y[:] = y - t
    return k


@pytest.mark.parametrize("steps, stop_at", [(0, 0), (1, 5), (6, 4), (7, 100), (9, 0)])
def test_host_loops_break_and_continue(steps, stop_at):
    h = np.random.default_rng(steps).standard_normal(33)
    f = jit(stepping)
    want_y = np.ones(33)
    want_k = stepping(h, want_y, steps, stop_at)
    x = _CTX.asarray(h)
    for _ in range(2):  # the second call takes the fast path
        y = _CTX.asarray(np.ones(33))
        k = f(x, y, steps, stop_at)
        assert k == want_k and type(k) is type(jit(stepping)(h, np.ones(33), steps, stop_at))
        np.testing.assert_array_equal(y.get(), want_y)


def take(x, idx, out):
    out[:] = x[idx]


def test_kernel_errors_on_repeat_calls():
    h = np.arange(10.0)
    x, out = _CTX.asarray(h), _CTX.empty(4, np.float64)
    good, bad = np.array([3, 1, 9, -2]), np.array([3, 1, 12, 0])
    f = jit(take)
    with pytest.raises(IndexError) as want:
        jit(take)(h, bad, np.empty(4))
    for _ in range(2):  # the kernel's error buffer is read and cleared on every call
        f(x, _CTX.asarray(good), out)
        np.testing.assert_array_equal(out.get(), h[good])
        with pytest.raises(IndexError) as got:
            f(x, _CTX.asarray(bad), out)
        assert str(got.value) == str(want.value)


def shift(x, y):
    y[1:] = x[:-1]


def test_overlapping_arguments_on_repeat_calls():
    # y's bytes overlap x's: x is read from a copy, as the CPU target does, on every call.
    for _ in range(2):
        h = np.arange(8.0)
        a = _CTX.asarray(h)
        jit(shift)(a, a)
        want = h.copy()
        jit(shift)(want, want)
        np.testing.assert_array_equal(a.get(), want)


# -- loops that bounds-check hoisting versions: both copies are kernels ----------------------

def shifted_scale(a, b, k):
    for i in range(b.shape[0]):
        j = i + k
        b[i] = a[j] * 2.0 + j


def shifted_total(a, k):
    s = 0.0
    p = 1
    for i in range(a.shape[0] - k):
        s += a[i + k] * 2.0
        p *= 3
    return s, p


def adjacent(a):
    s = 0.0
    for i in range(a.shape[0] - 1):
        s += a[i + 1] * a[i]
    return s


def last_index(a, b):
    for i in range(b.shape[0]):
        b[i] = a[i] * 2.0
    return i


def last_read(a, k):
    s = 0.0
    t = 0.0
    for i in range(a.shape[0]):
        t = a[i + k]
        s += t
    return s, t


@pytest.mark.parametrize("n, k", [(1, 0), (100, 3), (5000, 17)])
def test_versioned_loops_on_the_device(n, k):
    # The unchecked and the checked copy share the index's temporaries (j, its wrap): each is
    # private to an iteration, so each copy runs as a kernel with the CPU's results.
    h = np.random.default_rng(n).standard_normal(n + k)
    want_b = np.zeros(n)
    shifted_scale(h, want_b, k)
    b = _CTX.asarray(np.zeros(n))
    jit(shifted_scale)(_CTX.asarray(h), b, k)
    np.testing.assert_array_equal(b.get(), want_b)
    s, p = jit(shifted_total)(_CTX.asarray(h), k)
    want_s, want_p = shifted_total(h, k)
    np.testing.assert_allclose(s, want_s, rtol=1e-12, atol=1e-12 * n)
    assert p == jit(shifted_total)(h, k)[1] and p % 2**64 == want_p % 2**64
    np.testing.assert_allclose(jit(adjacent)(_CTX.asarray(h)), adjacent(h), rtol=1e-12, atol=1e-12 * n)


def test_versioned_loops_fail_as_on_the_cpu():
    # The checked copy runs when the test before the loop fails; it raises the CPU's IndexError
    # (one index fails here; test_device_reduce covers the reduction's copy).
    h = np.arange(20.0)
    with pytest.raises(IndexError) as cpu:
        jit(shifted_scale)(h, np.zeros(20), 1)
    with pytest.raises(IndexError) as dev:
        jit(shifted_scale)(_CTX.asarray(h), _CTX.asarray(np.zeros(20)), 1)
    assert str(dev.value) == str(cpu.value)


def test_values_leaving_a_loop_keep_it_off_the_kernels():
    # The loop variable read after the loop: a loop of launches on the host, with Python's value.
    h = np.arange(9.0)
    b = _CTX.asarray(np.zeros(6))
    want_b = np.zeros(6)
    assert jit(last_index)(_CTX.asarray(h), b) == last_index(h, want_b)
    np.testing.assert_array_equal(b.get(), want_b)
    # A temporary read after the loop is an element the host would need: refused, not lost.
    with pytest.raises(sejit.UnsupportedError):
        jit(last_read)(_CTX.asarray(h), 0)
