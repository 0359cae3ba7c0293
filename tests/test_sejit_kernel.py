"""sejit.kernel (issue 12): explicit kernels with work-item ids, the CPU form (a loop over the
ids), checked against NumPy."""

import numpy as np
import pytest

import sejit

from conftest import needs_engine

pytestmark = needs_engine


@sejit.kernel
def saxpy(a, x, y, out):
    i = sejit.global_id(0)
    if i < out.shape[0]:
        out[i] = a * x[i] + y[i]


@sejit.kernel
def stencil(a, out):
    i = sejit.global_id(0)
    j = sejit.global_id(1)
    if i < 1 or j < 1 or i >= a.shape[0] - 1 or j >= a.shape[1] - 1:
        return  # the work-item ends
    out[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])


@sejit.kernel
def histogram(data, lo, width, hist):
    i = sejit.global_id(0)
    if i < data.shape[0]:
        b = int((data[i] - lo) / width)
        if 0 <= b < hist.shape[0]:
            sejit.atomic_add(hist, b, 1)


@sejit.kernel
def unguarded(x, out):
    i = sejit.global_id(0)
    out[i] = x[i] * 2


@sejit.kernel
def ids(out):
    i = sejit.global_id(0)
    out[i, 0] = sejit.local_id(0)
    out[i, 1] = sejit.group_id(0)
    out[i, 2] = sejit.local_size(0)
    out[i, 3] = sejit.num_groups(0)
    out[i, 4] = sejit.global_size(0)
    out[i, 5] = sejit.global_id(1)  # beyond the launch's dimensions: 0
    out[i, 6] = sejit.global_size(2)  # 1


def test_saxpy():
    n = 1000
    rng = np.random.default_rng(0)
    x, y = rng.random(n), rng.random(n)
    out = np.zeros(n)
    saxpy(2.5, x, y, out, global_size=1024, local_size=64)
    np.testing.assert_allclose(out, 2.5 * x + y, rtol=1e-15)
    out[:] = 0
    saxpy[n](2.5, x, y, out)
    np.testing.assert_allclose(out, 2.5 * x + y, rtol=1e-15)
    out32 = np.zeros(n, np.float32)
    saxpy[1024, 256](np.float32(2.5), x.astype(np.float32), y.astype(np.float32), out32)
    np.testing.assert_allclose(out32, (2.5 * x + y).astype(np.float32), rtol=1e-6)


def test_stencil_2d():
    a = np.random.default_rng(1).random((13, 17))
    out = np.zeros_like(a)
    stencil(a, out, global_size=(13, 17))
    want = np.zeros_like(a)
    want[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
    np.testing.assert_allclose(out, want, rtol=1e-15)
    out[:] = 0
    stencil[(16, 20), (4, 5)](a, out)
    np.testing.assert_allclose(out, want, rtol=1e-15)


def test_stencil_parallel():
    par = sejit.kernel(parallel=True)(stencil.py_func)
    a = np.random.default_rng(2).random((40, 33))
    out, want = np.zeros_like(a), np.zeros_like(a)
    par(a, out, global_size=(40, 33))
    stencil(a, want, global_size=(40, 33))
    np.testing.assert_array_equal(out, want)


def test_histogram_atomic_add():
    data = np.random.default_rng(3).random(5000) * 10
    hist = np.zeros(10, np.int64)
    histogram(data, 0.0, 1.0, hist, global_size=5120, local_size=128)
    want, _ = np.histogram(data, bins=10, range=(0, 10))
    np.testing.assert_array_equal(hist, want)


def test_atomic_min_max_return_old():
    @sejit.kernel
    def k(x, lo, hi, old):
        i = sejit.global_id(0)
        old[i] = sejit.atomic_min(lo, 0, x[i])
        sejit.atomic_max(hi, 0, x[i])

    x = np.array([5.0, 3.0, 7.0, 1.0, 4.0])
    lo, hi, old = np.array([np.inf]), np.array([-np.inf]), np.zeros(5)
    k[5](x, lo, hi, old)
    assert lo[0] == 1.0 and hi[0] == 7.0
    np.testing.assert_array_equal(old, [np.inf, 5.0, 3.0, 3.0, 1.0])


def test_histogram_atomic_add_parallel():
    # Under parallel=True the work-items run on OpenMP threads: the atomics are real ones. The
    # size is far above the threshold from which the loop runs on several threads.
    par = sejit.kernel(parallel=True)(histogram.py_func)
    data = np.random.default_rng(4).random(200_000) * 10
    for dt in (np.int64, np.int32, np.uint32, np.float64, np.float32):
        hist = np.zeros(10, dt)
        par(data, 0.0, 1.0, hist, global_size=data.size)
        want = np.zeros(10, dt)
        np.add.at(want, (data // 1.0).astype(np.intp), 1)
        np.testing.assert_array_equal(hist, want)


@pytest.mark.parametrize("dt", [np.int64, np.int32, np.uint32, np.uint64, np.float64, np.float32])
def test_atomics_parallel_against_ufunc_at(dt):
    @sejit.kernel(parallel=True)
    def k(idx, x, s, lo, hi):
        i = sejit.global_id(0)
        if i < idx.shape[0]:
            sejit.atomic_add(s, idx[i], x[i])
            sejit.atomic_min(lo, idx[i], x[i])
            sejit.atomic_max(hi, idx[i], x[i])

    rng = np.random.default_rng(5)
    n = 100_000
    idx = rng.integers(0, 37, n)
    # Small integers, so that the sums are exact in every dtype and order.
    x = rng.integers(0, 3 if np.dtype(dt).kind == "u" else 50, n).astype(dt)
    s = np.zeros(37, dt)
    lo = np.full(37, 100, dt)
    hi = np.zeros(37, dt)
    k(idx, x, s, lo, hi, global_size=n)
    want_s, want_lo, want_hi = np.zeros(37, dt), np.full(37, 100, dt), np.zeros(37, dt)
    np.add.at(want_s, idx, x)
    np.minimum.at(want_lo, idx, x)
    np.maximum.at(want_hi, idx, x)
    np.testing.assert_array_equal(s, want_s)
    np.testing.assert_array_equal(lo, want_lo)
    np.testing.assert_array_equal(hi, want_hi)


def test_atomic_old_values_parallel():
    # Each work-item adds 1 to one counter and keeps the value it saw: with real atomics the
    # old values are a permutation of 0..n-1, whatever the threads' interleaving.
    @sejit.kernel(parallel=True)
    def k(counter, old):
        i = sejit.global_id(0)
        old[i] = sejit.atomic_add(counter, 0, 1)

    n = 50_000
    counter, old = np.zeros(1, np.int64), np.zeros(n, np.int64)
    k(counter, old, global_size=n)
    assert counter[0] == n
    np.testing.assert_array_equal(np.sort(old), np.arange(n))


def test_scatter_parallel():
    # A scatter without atomics under parallel=True is allowed, as on a device: with distinct
    # indices there is no race and the result is NumPy's fancy assignment.
    @sejit.kernel(parallel=True)
    def scatter(idx, x, out):
        i = sejit.global_id(0)
        if i < idx.shape[0]:
            out[idx[i]] = x[i]

    rng = np.random.default_rng(6)
    n = 100_000
    idx, x = rng.permutation(n), rng.random(n)
    out = np.zeros(n)
    scatter(idx, x, out, global_size=n)
    want = np.zeros(n)
    want[idx] = x
    np.testing.assert_array_equal(out, want)
    # Out of bounds is still an IndexError (the check stays in the parallel loop), and
    # nothing is written outside the array.
    bad = idx.copy()
    bad[n // 2] = n + 5
    big = np.zeros(n + 10)
    with pytest.raises(IndexError):
        scatter(bad, x, big[:n], global_size=n)
    assert not big[n:].any()


def test_atomic_of_complex_refused():
    @sejit.kernel(parallel=True)
    def k(a):
        sejit.atomic_add(a, 0, 1j)

    with pytest.raises(sejit.TypingError, match="atomic_add.*not array.complex128"):
        k(np.zeros(2, complex), global_size=1)


def test_ids():
    out = np.zeros((12, 7), np.int64)
    ids(out, global_size=12, local_size=4)
    g = np.arange(12)
    np.testing.assert_array_equal(out[:, 0], g % 4)
    np.testing.assert_array_equal(out[:, 1], g // 4)
    np.testing.assert_array_equal(out[:, 2:5], [[4, 3, 12]] * 12)
    np.testing.assert_array_equal(out[:, 5:], [[0, 1]] * 12)


def test_3d_and_loops_in_body():
    @sejit.kernel
    def k(out):
        i = sejit.global_id(0)
        j = sejit.global_id(1)
        m = sejit.global_id(2)
        s = 0
        for t in range(m + 1):
            s += t
        out[i, j, m] = i * 100 + j * 10 + s

    out = np.zeros((2, 3, 4), np.int64)
    k[(2, 3, 4), None](out)
    i, j, m = np.indices(out.shape)
    np.testing.assert_array_equal(out, i * 100 + j * 10 + m * (m + 1) // 2)


def test_out_of_range_id_raises_index_error():
    x = np.arange(10.0)
    out = np.zeros(10)
    with pytest.raises(IndexError):
        unguarded(x, out, global_size=16)
    fast = sejit.kernel(boundscheck=False)(unguarded.py_func)
    big_x, big_out = np.arange(16.0), np.zeros(16)
    fast(big_x, big_out, global_size=16)
    np.testing.assert_array_equal(big_out, big_x * 2)


@pytest.mark.parametrize("g, loc, match", [
    (10, 4, "not a multiple of local_size"),
    ((8, 9), (4, 4), r"dimension 1: 9 % 4 = 1"),
    ((1, 2, 3, 4), None, "1 to 3 ints"),
    (2.0, None, "int or a tuple"),
    (None, None, "needs its global size"),
    (8, (4, 2), "has 2 dimensions"),
    (8, 0, "must be positive"),
    (-1, None, "negative"),
])
def test_launch_errors(g, loc, match):
    x, y, out = np.zeros(8), np.zeros(8), np.zeros(8)
    with pytest.raises(ValueError, match=match):
        saxpy(1.0, x, y, out, global_size=g, local_size=loc)


def test_launch_errors_indexing():
    with pytest.raises(ValueError, match="not a multiple"):
        saxpy[10, 3]
    with pytest.raises(TypeError, match="takes 4 arguments"):
        saxpy[4](1.0, np.zeros(4))


def test_barrier_and_local_array_need_a_device():
    @sejit.kernel
    def k(x):
        sejit.barrier()
        x[sejit.global_id(0)] = 1

    with pytest.raises(sejit.UnsupportedError, match="needs an OpenCL device"):
        k[4](np.zeros(4))


def test_ids_need_a_constant_dimension():
    @sejit.kernel
    def k(x, d):
        x[sejit.global_id(d)] = 1

    with pytest.raises(TypeError, match="constant dimension"):
        k[4](np.zeros(4), 0)


def test_intrinsics_outside_a_kernel():
    with pytest.raises(RuntimeError, match="inside a @sejit.kernel"):
        sejit.global_id(0)


def test_return_value_refused():
    @sejit.kernel
    def k(x):
        return x[0]

    with pytest.raises(TypeError, match="returns nothing"):
        k[1](np.zeros(1))


def test_errors_name_the_users_line():
    @sejit.kernel
    def k(x):
        i = sejit.global_id(0)
        x[i] = undefined_name  # noqa: F821

    with pytest.raises(Exception) as info:
        k[1](np.zeros(1))
    line = k.py_func.__code__.co_firstlineno + 3
    assert f":{line}:" in str(info.value)
