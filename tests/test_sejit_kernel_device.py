"""sejit.kernel's device form (issue 12): the same kernels on DeviceArrays, one OpenCL kernel
each, on the first CPU device whose compiler builds (PoCL), compared with NumPy."""

import numpy as np
import pytest

import sejit
from sejit.device import NoDeviceError, _cl

from conftest import needs_engine
from test_sejit_kernel import histogram, ids, saxpy, stencil, unguarded

try:
    _CTX = sejit.Context("cpu")
except NoDeviceError as exc:
    pytest.skip(f"no OpenCL CPU device: {exc}", allow_module_level=True)
if not _cl.can_build(_CTX.info):
    pytest.skip(f"the OpenCL device {_CTX.name} cannot build kernels here",
                allow_module_level=True)

pytestmark = needs_engine


def test_saxpy_device():
    n = 1000
    rng = np.random.default_rng(0)
    x, y = rng.random(n, np.float32), rng.random(n, np.float32)
    out = _CTX.zeros(n, np.float32)
    saxpy(np.float32(2.5), _CTX.asarray(x), _CTX.asarray(y), out, global_size=1024,
          local_size=64)
    np.testing.assert_allclose(out.get(), np.float32(2.5) * x + y, rtol=1e-6)


def test_stencil_device():
    a = np.random.default_rng(1).random((13, 17))
    out = _CTX.zeros((13, 17))
    stencil[(16, 20), (4, 5)](_CTX.asarray(a), out)
    want = np.zeros_like(a)
    want[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
    np.testing.assert_allclose(out.get(), want, rtol=1e-15)


def test_ids_device():
    out = _CTX.zeros((12, 7), np.int64)
    ids(out, global_size=12, local_size=4)
    host = np.zeros((12, 7), np.int64)
    ids(host, global_size=12, local_size=4)
    np.testing.assert_array_equal(out.get(), host)


def test_index_error_device():
    x, out = _CTX.asarray(np.arange(10.0)), _CTX.zeros(10)
    with pytest.raises(IndexError):
        unguarded(x, out, global_size=16)


@sejit.kernel
def tree_sum(x, partial):
    """Each work-group sums its block of x in local memory, halving the active work-items."""
    i = sejit.global_id(0)
    lid = sejit.local_id(0)
    s = sejit.local_array(sejit.local_size(0), x.dtype)
    s[lid] = x[i] if i < x.shape[0] else 0
    sejit.barrier()
    h = sejit.local_size(0) // 2
    while h > 0:
        if lid < h:
            s[lid] += s[lid + h]
        sejit.barrier()
        h //= 2
    if lid == 0:
        partial[sejit.group_id(0)] = s[0]


@sejit.kernel
def tiled_stencil(a, out):
    """The 5-point stencil through a (TY+2, TX+2) tile of a in local memory."""
    ly, lx = sejit.local_id(1), sejit.local_id(0)
    TY, TX = sejit.local_size(1), sejit.local_size(0)
    i = sejit.group_id(1) * TY + ly
    j = sejit.group_id(0) * TX + lx
    n, m = a.shape[0], a.shape[1]
    tile = sejit.local_array((TY + 2, TX + 2), a.dtype)
    # Each work-item loads its element and, at the tile's edges, the halo.
    for di in range(ly, TY + 2, TY):
        for dj in range(lx, TX + 2, TX):
            gi = sejit.group_id(1) * TY + di - 1
            gj = sejit.group_id(0) * TX + dj - 1
            tile[di, dj] = a[gi, gj] if 0 <= gi < n and 0 <= gj < m else 0.0
    sejit.barrier()
    if 1 <= i < n - 1 and 1 <= j < m - 1:
        out[i, j] = 0.25 * (tile[ly, lx + 1] + tile[ly + 2, lx + 1] + tile[ly + 1, lx]
                            + tile[ly + 1, lx + 2])


@sejit.kernel
def local_histogram(data, lo, width, hist):
    """Per-group counts in local memory with local atomics, then one global atomic per bin."""
    i = sejit.global_id(0)
    lid = sejit.local_id(0)
    nb = hist.shape[0]
    counts = sejit.local_array(nb, hist.dtype)
    for b in range(lid, nb, sejit.local_size(0)):
        counts[b] = 0
    sejit.barrier()
    if i < data.shape[0]:
        b = int((data[i] - lo) / width)
        if 0 <= b < nb:
            sejit.atomic_add(counts, b, 1)
    sejit.barrier()
    for b in range(lid, nb, sejit.local_size(0)):
        sejit.atomic_add(hist, b, counts[b])


@sejit.kernel
def scatter_add(idx, x, out):
    i = sejit.global_id(0)
    if i < x.shape[0]:
        sejit.atomic_add(out, idx[i], x[i])


@sejit.kernel
def scatter_plain(idx, x, out):
    i = sejit.global_id(0)
    if i < x.shape[0]:
        out[idx[i]] = x[i]


@pytest.mark.parametrize("n, wg", [(1, 1), (1000, 64), (1024, 256), (4097, 128), (513, 32)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64])
def test_tree_sum_in_local_memory(n, wg, dtype):
    rng = np.random.default_rng(n)
    x = (rng.random(n) * 100).astype(dtype)
    groups = -(-n // wg)
    partial = _CTX.zeros(groups, dtype)
    tree_sum(_CTX.asarray(x), partial, global_size=groups * wg, local_size=wg)
    got = partial.get()
    want = [x[g * wg:(g + 1) * wg].sum(dtype=dtype) for g in range(groups)]
    if np.dtype(dtype).kind == "f":
        np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12)
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape, local", [((13, 17), (4, 4)), ((32, 32), (8, 8)),
                                          ((7, 40), (2, 16)), ((3, 3), (1, 1))])
def test_stencil_with_local_memory_and_barrier(shape, local):
    a = np.random.default_rng(2).random(shape)
    out = _CTX.zeros(shape)
    glob = tuple(-(-s // l) * l for s, l in zip(shape, local))
    # global/local sizes are (x, y): dimension 0 runs along the rows' elements.
    tiled_stencil[glob[::-1], local[::-1]](_CTX.asarray(a), out)
    want = np.zeros_like(a)
    want[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
    np.testing.assert_allclose(out.get(), want, rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint32, np.uint64, np.float32,
                                   np.float64])
def test_histogram_atomics(dtype):
    data = np.random.default_rng(3).random(5000) * 10
    want, _ = np.histogram(data, bins=10, range=(0, 10))
    hist = _CTX.zeros(10, dtype)
    histogram(_CTX.asarray(data), 0.0, 1.0, hist, global_size=5120, local_size=128)
    np.testing.assert_array_equal(hist.get(), want.astype(dtype))
    hist = _CTX.zeros(10, dtype)
    local_histogram(_CTX.asarray(data), 0.0, 1.0, hist, global_size=5120, local_size=128)
    np.testing.assert_array_equal(hist.get(), want.astype(dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
def test_atomic_min_max_on_device(dtype):
    @sejit.kernel
    def k(x, lo, hi):
        i = sejit.global_id(0)
        if i < x.shape[0]:
            sejit.atomic_min(lo, 0, x[i])
            sejit.atomic_max(hi, (i % 2, 0), x[i])

    x = (np.random.default_rng(4).random(3000) * 1000 - 500).astype(dtype)
    lo, hi = _CTX.asarray(np.array([x[0]])), _CTX.asarray(np.array([[x[0]], [x[1]]]))
    k[3072, 64](_CTX.asarray(x), lo, hi)
    assert lo.get()[0] == x.min()
    np.testing.assert_array_equal(hi.get()[:, 0], [x[0::2].max(), x[1::2].max()])


def test_atomic_returns_old_value():
    @sejit.kernel
    def ticket(counter, out):
        i = sejit.global_id(0)
        out[i] = sejit.atomic_add(counter, 0, 1)

    counter, out = _CTX.zeros(1, np.int32), _CTX.zeros(256, np.int32)
    ticket[256, 64](counter, out)
    assert counter.get()[0] == 256
    np.testing.assert_array_equal(np.sort(out.get()), np.arange(256))


@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_scatter_add_with_repeated_indices(dtype):
    rng = np.random.default_rng(5)
    idx = rng.integers(0, 7, 2000)
    x = rng.integers(-50, 50, 2000).astype(dtype)
    out = _CTX.zeros(7, dtype)
    scatter_add[2048, 64](_CTX.asarray(idx), _CTX.asarray(x), out)
    want = np.zeros(7, dtype)
    np.add.at(want, idx, x)
    np.testing.assert_allclose(out.get(), want)


def test_scatter_writes_are_the_users_parallelism():
    # A kernel is explicit parallelism: out[idx[i]] = ... compiles (prange's race rules do
    # not apply); with distinct indices the result is a permutation.
    perm = np.random.default_rng(6).permutation(300)
    x = np.arange(300.0)
    out = _CTX.zeros(300)
    scatter_plain[320](_CTX.asarray(perm), _CTX.asarray(x), out)
    want = np.zeros(300)
    want[perm] = x
    np.testing.assert_array_equal(out.get(), want)


def test_barrier_in_a_divergent_branch_is_refused():
    @sejit.kernel
    def bad(x):
        i = sejit.global_id(0)
        if i < 10:
            sejit.barrier()
        x[i] = 1

    with pytest.raises(sejit.UnsupportedError, match=r"test_sejit_kernel_device.py:\d+:\d+: "
                       r"sejit.barrier\(\) in an if .*depends on the work-item"):
        bad[16, 16](_CTX.zeros(16))

    @sejit.kernel
    def bad_loop(x):
        lid = sejit.local_id(0)
        k = lid * 2
        for _ in range(k):
            sejit.barrier()
        x[sejit.global_id(0)] = 1

    with pytest.raises(sejit.UnsupportedError, match="in a for loop"):
        bad_loop[16, 16](_CTX.zeros(16))


def test_uniform_branches_around_barriers_compile():
    @sejit.kernel
    def ok(x, flag):
        i = sejit.global_id(0)
        if flag > 0:  # the same for every work-item
            sejit.barrier()
        x[i] = flag

    x = _CTX.zeros(8)
    ok[8, 4](x, 3.0)
    np.testing.assert_array_equal(x.get(), np.full(8, 3.0))


def test_group_kernels_need_a_local_size():
    with pytest.raises(ValueError, match="needs its work-group size"):
        tree_sum(_CTX.zeros(8), _CTX.zeros(1), global_size=8)


def test_global_size_not_a_multiple_of_local_size():
    with pytest.raises(ValueError, match="not a multiple of local_size"):
        tree_sum(_CTX.zeros(10), _CTX.zeros(1), global_size=10, local_size=4)


def test_local_size_beyond_the_device_limit():
    big = _CTX.device.max_work_group_size * 2
    with pytest.raises(ValueError, match="at most"):
        tree_sum(_CTX.zeros(big), _CTX.zeros(1), global_size=big, local_size=big)


def test_local_memory_index_error():
    @sejit.kernel
    def over(x):
        s = sejit.local_array(4, np.float64)
        s[sejit.local_id(0)] = 1.0
        sejit.barrier()
        x[sejit.global_id(0)] = s[0]

    with pytest.raises(IndexError, match="out of bounds for axis 0 with size 4"):
        over[8, 8](_CTX.zeros(8))


def test_work_group_functions_outside_kernels():
    @sejit.jit
    def f(x):
        sejit.barrier()
        return x

    with pytest.raises(sejit.UnsupportedError, match="only available in a @sejit.kernel"):
        f(np.zeros(3))
    with pytest.raises(sejit.UnsupportedError, match="only available in a @sejit.kernel"):
        f(_CTX.zeros(3))


def test_return_before_a_barrier_is_refused():
    @sejit.kernel
    def early(x):
        i = sejit.global_id(0)
        if i >= x.shape[0]:
            return
        sejit.barrier()
        x[i] = 1

    with pytest.raises(sejit.UnsupportedError, match=r"test_sejit_kernel_device.py:\d+:\d+: "
                       r"sejit.kernel: `return` before a sejit.barrier\(\)"):
        early[16, 16](_CTX.zeros(16))

    @sejit.kernel
    def late(x):  # a return after the last barrier is fine
        i = sejit.global_id(0)
        sejit.barrier()
        if i >= x.shape[0]:
            return
        x[i] = 1

    x = _CTX.zeros(10)
    late[16, 16](x)
    np.testing.assert_array_equal(x.get(), np.ones(10))
