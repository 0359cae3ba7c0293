"""Jitted functions on a real Dask cluster (docs/scale.md): two worker processes on the loopback
interface, one thread each, every wait bounded. Results are checked against the plain Python
function and NumPy; compile counts per worker come from `sejit.stats()` run on each worker."""

import os

import numpy as np
import pytest

import dask.array as da
from distributed import Client, LocalCluster, wait

import sejit
import scale_kernels as sk
from conftest import needs_engine

pytestmark = needs_engine

TIMEOUT = 120  # seconds for any wait: a compile takes well under a second


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    cache = str(tmp_path_factory.mktemp("dask-cache"))
    old = os.environ["SEJIT_CACHE_DIR"]
    os.environ["SEJIT_CACHE_DIR"] = cache  # the workers' environment, and this process's
    try:
        with LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
            dashboard_address=None, worker_dashboard_address=None,
        ) as cluster, Client(cluster, timeout=TIMEOUT) as c:
            c.wait_for_workers(2, timeout=TIMEOUT)
            c.cache_dir = cache
            yield c
    finally:
        os.environ["SEJIT_CACHE_DIR"] = old


def _on_workers(client, arrays):
    """Futures of copies of arrays made in the workers, so that the compile counts below are
    about arrays the workers own (arrays sent from the client: test_arrays_sent_from_the_client)."""
    return client.map(np.array, arrays, pure=False)


def _stats(client):
    return client.run(sejit.stats)


def _gather(client, futures):
    wait(futures, timeout=TIMEOUT)
    return client.gather(futures)


def test_map_cold_then_warm_in_the_workers(client):
    kernel = sk.make_main_kernels(10.5, "dask-map")["kernel"]  # by value, never compiled
    args = sk.inputs(8)
    xs = _on_workers(client, [a[0] for a in args])
    before = _stats(client)
    futures = client.map(kernel, xs, [a[1] for a in args], pure=False)
    for got, a in zip(_gather(client, futures), args):
        assert got == pytest.approx(kernel.py_func(*a), rel=1e-12)
    cold = sk.stats_delta(before, _stats(client))
    print("\nclient.map, cold cache (compiles, cache loads) per worker:", sorted(cold.values()))
    assert all(c <= 1 for c, _ in cold.values()), cold
    assert sum(c for c, _ in cold.values()) == 1, cold  # the entry's lock: one build in all

    # The same function again: every worker has it, nothing is compiled or loaded again.
    before = _stats(client)
    futures = client.map(kernel, xs, [a[1] for a in args], pure=False)
    _gather(client, futures)
    again = sk.stats_delta(before, _stats(client))
    assert all(d == (0, 0) for d in again.values()), again


def test_submit_on_a_warm_shared_cache_compiles_nothing(client):
    kernel = sk.make_main_kernels(20.25, "dask-submit")["kernel"]
    x = np.linspace(-2.0, 2.0, 101)
    kernel(x, 0.5)  # this process builds the entry in the shared cache
    before = _stats(client)
    workers = list(before)
    xs = [client.submit(np.linspace, -2.0, 2.0, 101, workers=[w], pure=False) for w in workers]
    futures = [client.submit(kernel, xs[i % 2], 0.5 + i, workers=[workers[i % 2]], pure=False)
               for i in range(4)]
    for i, got in enumerate(_gather(client, futures)):
        assert got == pytest.approx(kernel.py_func(x, 0.5 + i), rel=1e-12)
    warm = sk.stats_delta(before, _stats(client))
    print("\nclient.submit, warm cache (compiles, cache loads) per worker:", sorted(warm.values()))
    assert warm == {w: (0, 1) for w in workers}, warm

    # An importable jitted function goes by reference; checked against NumPy.
    a, y = 3.0, client.submit(np.ones, 101, workers=[workers[0]], pure=False)
    fut = client.submit(sk.saxpy, a, xs[0], y, workers=[workers[0]], pure=False)
    assert np.array_equal(_gather(client, [fut])[0], a * x + 1.0)


def test_map_blocks(client):
    poly = sk.make_main_kernels(30.5, "dask-blocks")["poly"]
    x = np.linspace(-5.0, 5.0, 4000)
    # 8 blocks made in the workers, one signature (da.from_array: the next test).
    arr = da.linspace(-5.0, 5.0, 4000, chunks=500)
    before = _stats(client)
    out = arr.map_blocks(poly, dtype=np.float64, meta=np.empty(0)).compute()
    np.testing.assert_allclose(out, poly.py_func(x), rtol=1e-12)
    cold = sk.stats_delta(before, _stats(client))
    print("\nmap_blocks, cold cache (compiles, cache loads) per worker:", sorted(cold.values()))
    assert all(c <= 1 for c, _ in cold.values()), cold
    assert sum(c for c, _ in cold.values()) == 1, cold


def _misaligned(a):
    return a.ctypes.data % a.itemsize != 0


def test_arrays_sent_from_the_client(client):
    """Distributed unpickles an array sent in a message in place, generally at an address that
    is no multiple of its item size: the runtime runs the kernel on an aligned copy and writes
    back what it wrote (docs/scale.md)."""
    x = np.linspace(-2.0, 2.0, 1001)
    # Sent directly as arguments of submit.
    fut = client.submit(sk.saxpy, 3.0, x, x, pure=False)
    np.testing.assert_array_equal(_gather(client, [fut])[0], 3.0 * x + x)
    fut = client.submit(sk.norm, x, pure=False)
    assert _gather(client, [fut])[0] == pytest.approx(float(x @ x), rel=1e-12)
    arrived = _gather(client, [client.submit(_misaligned, x, pure=False)])[0]
    print("\nan array sent from the client arrives misaligned:", arrived)

    # Blocks shipped from here by da.from_array, 1-D and 2-D.
    poly = sk.make_main_kernels(40.5, "dask-from-array")["poly"]
    arr = da.from_array(x, chunks=200)
    out = arr.map_blocks(poly, dtype=np.float64, meta=np.empty(0)).compute()
    np.testing.assert_allclose(out, poly.py_func(x), rtol=1e-12)
    m = np.arange(60 * 40, dtype=np.float32).reshape(60, 40) / 7
    out = da.from_array(m, chunks=(25, 15)).map_blocks(
        poly, dtype=np.float32, meta=np.empty((0, 0), np.float32)).compute()
    np.testing.assert_allclose(out, poly.py_func(m), rtol=1e-6)
    blocks = da.from_array(x, chunks=200).map_blocks(
        lambda b: np.array([_misaligned(b)]), dtype=bool, chunks=(1,)).compute()
    print("blocks of da.from_array that arrive misaligned:", int(blocks.sum()), "of", blocks.size)


# sejit.vectorize / guvectorize on dask arrays (docs/scale.md): NumPy's ufunc protocol hands the
# call to dask.array.Array.__array_ufunc__, which applies the ufunc blockwise (elemwise, or
# apply_gufunc for a gufunc); the ufunc travels to the workers by value.


def _compute(client, arr):
    return client.compute(arr).result(timeout=TIMEOUT)


def _rel(x, y, scale):
    return (x - y) / (abs(y) + scale)


def _blocks(n=4000, chunks=500):
    """Two chunked 1-D arrays made in the workers, and the same in NumPy."""
    x = da.linspace(-5.0, 5.0, n, chunks=chunks)
    y = da.linspace(1.0, 3.0, n, chunks=chunks)
    return x, y, np.linspace(-5.0, 5.0, n), np.linspace(1.0, 3.0, n)


def _loads_only(delta, per_worker):
    """Every worker compiled nothing and loaded per_worker entries, or nothing (no task)."""
    return (all(d in ((0, 0), (0, per_worker)) for d in delta.values())
            and any(d == (0, per_worker) for d in delta.values()))


def test_vectorize_ufunc_applied_to_dask_arrays(client):
    ns = sk.make_main_ufuncs(50.5, "dask-vectorize")  # rel: a real ufunc, compiled here
    rel = ns["rel"]
    x, y, xn, yn = _blocks()
    before = _stats(client)
    out = rel(x, y)  # NumPy's protocol: dask's __array_ufunc__ → elemwise(rel, x, y)
    assert isinstance(out, da.Array) and out.dtype == np.float64 and out.chunks == x.chunks
    np.testing.assert_allclose(_compute(client, out), _rel(xn, yn, 50.5), rtol=1e-12)
    warm = sk.stats_delta(before, _stats(client))
    print("\nvectorize (signatures) on dask arrays, warm cache (compiles, cache loads) per "
          "worker:", sorted(warm.values()))
    # Unpickling rebuilds the ufunc: 2 signatures x (strided, contiguous) loops from the cache.
    assert _loads_only(warm, 4), warm

    # Once per worker: float32 blocks and a scalar operand need nothing more.
    before = _stats(client)
    out = rel(x.astype(np.float32), np.float32(2.0))
    got = _compute(client, out)
    assert got.dtype == np.float32
    np.testing.assert_allclose(
        got, _rel(xn.astype(np.float32), np.float32(2.0), np.float32(50.5)), rtol=1e-6)
    again = sk.stats_delta(before, _stats(client))
    assert all(c == 0 for c, _ in again.values()), again
    assert all(again[w] == (0, 0) for w in warm if warm[w] != (0, 0)), again  # it is there


def test_lazy_vectorize_applied_to_dask_arrays(client):
    ns = sk.make_main_ufuncs(60.5, "dask-lazy-vectorize")
    lazy = ns["lazy_rel"]
    x, y, xn, yn = _blocks()
    # Called on dask arrays, the lazy object compiles the loop for their dtypes here (dask
    # needs the result's dtype) and calls that real ufunc, which NumPy's protocol hands to
    # dask as for the signature form.
    before = _stats(client)
    out = lazy(x, y)
    assert isinstance(out, da.Array) and out.dtype == np.float64
    np.testing.assert_allclose(_compute(client, out), _rel(xn, yn, 60.5), rtol=1e-12)
    warm = sk.stats_delta(before, _stats(client))
    print("\nlazy vectorize on dask arrays, warm cache (compiles, cache loads) per worker:",
          sorted(warm.values()))
    assert _loads_only(warm, 2), warm  # its one signature's two loops

    # The lazy object itself as a block function: the workers compile its loops, once in all
    # on a cold cache (the return type, the strided and the contiguous loop).
    lazy2 = sk.make_main_ufuncs(61.5, "dask-lazy-blocks")["lazy_rel"]
    before = _stats(client)
    out = da.map_blocks(lazy2, x, y, dtype=np.float64, meta=np.empty(0))
    np.testing.assert_allclose(_compute(client, out), _rel(xn, yn, 61.5), rtol=1e-12)
    cold = sk.stats_delta(before, _stats(client))
    print("lazy vectorize in map_blocks, cold cache (compiles, cache loads) per worker:",
          sorted(cold.values()))
    assert sum(c for c, _ in cold.values()) == 3, cold
    assert all(c + n in (0, 3) for c, n in cold.values()), cold


def test_guvectorize_through_apply_gufunc(client):
    ns = sk.make_main_ufuncs(70.5, "dask-guvectorize")
    dot, lazy_dot = ns["dot"], ns["lazy_dot"]
    # 200 rows of 16 in 4 blocks of 50 rows; the core axis is one chunk, as a gufunc needs.
    a = da.linspace(-1.0, 1.0, 3200, chunks=800).reshape(200, 16)
    b = da.linspace(0.0, 2.0, 3200, chunks=800).reshape(200, 16)
    assert a.chunks == ((50,) * 4, (16,))
    an = np.linspace(-1.0, 1.0, 3200).reshape(200, 16)
    bn = np.linspace(0.0, 2.0, 3200).reshape(200, 16)
    want = np.einsum("ij,ij->i", an, bn) * 70.5

    before = _stats(client)
    out = da.apply_gufunc(dot, "(n),(n)->()", a, b, output_dtypes=np.float64)
    np.testing.assert_allclose(_compute(client, out), want, rtol=1e-12)
    warm = sk.stats_delta(before, _stats(client))
    print("\nguvectorize (signatures) in apply_gufunc, warm cache (compiles, cache loads) per "
          "worker:", sorted(warm.values()))
    assert _loads_only(warm, 1), warm  # its one loop
    # The same ufunc called on the dask arrays: dask's __array_ufunc__ → apply_gufunc.
    out = dot(a, b)
    assert isinstance(out, da.Array) and out.shape == (200,)
    np.testing.assert_allclose(_compute(client, out), want, rtol=1e-12)

    # The lazy form with output_dtypes: nothing is compiled here; the workers compile its one
    # loop, once in all.
    before = _stats(client)
    out = da.apply_gufunc(lazy_dot, "(n),(n)->()", a, b, output_dtypes=np.float64)
    np.testing.assert_allclose(_compute(client, out), want, rtol=1e-12)
    cold = sk.stats_delta(before, _stats(client))
    print("lazy guvectorize in apply_gufunc, cold cache (compiles, cache loads) per worker:",
          sorted(cold.values()))
    assert sum(c for c, _ in cold.values()) == 1, cold
    assert all(c + n in (0, 1) for c, n in cold.values()), cold
    assert lazy_dot.ntypes == 0  # nothing compiled in this process
    # Called on the dask arrays, it compiles its loop here and hands that gufunc to dask.
    out = lazy_dot(a, b)
    assert isinstance(out, da.Array) and out.shape == (200,) and lazy_dot.ntypes == 1
    np.testing.assert_allclose(_compute(client, out), want, rtol=1e-12)
