"""Jitted functions pickle (docs/scale.md): by reference when importable, by value otherwise;
one dispatcher per process; worker processes compile a signature at most once and nothing when
the shared cache already holds it."""

import concurrent.futures
import linecache
import multiprocessing
import os
import pickle
import subprocess
import sys

import cloudpickle
import numpy as np
import pytest

import sejit
import scale_kernels as sk
from conftest import needs_engine

pytestmark = needs_engine

TIMEOUT = 120  # seconds for a pool's work: a compile takes well under a second


def _dumps_loads(mod, obj):
    return mod.loads(mod.dumps(obj))


@pytest.mark.parametrize("mod", [pickle, cloudpickle], ids=["pickle", "cloudpickle"])
def test_one_process_gets_the_same_dispatcher_back(mod):
    ns = sk.make_main_kernels(0.25, "same")
    for disp in (sk.saxpy, sk.norm, ns["kernel"], ns["closure"]):
        assert _dumps_loads(mod, disp) is disp
    # Plain functions of __main__ that a kernel uses travel by value inside it.
    x = np.linspace(0.0, 2.0, 7)
    assert ns["kernel"](x, 2.0) == pytest.approx(ns["kernel"].py_func(x, 2.0), rel=1e-12)


def test_importable_functions_go_by_reference():
    data = pickle.dumps(sk.saxpy)
    assert b"scale_kernels" in data and b"return a * x" not in data
    # By value: the source and the globals, never the compiled code.
    ns = sk.make_main_kernels(0.5, "byvalue")
    data = pickle.dumps(ns["kernel"])
    assert b"s += shifted(x[i])" in data and b"return v + OFFSET" in data


def test_by_value_in_a_fresh_process_uses_the_shared_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(tmp_path))
    ns = sk.make_main_kernels(0.75, "fresh")
    x = np.linspace(-3.0, 3.0, 11)
    expected = ns["kernel"].py_func(x, 1.5)
    assert ns["kernel"](x, 1.5) == pytest.approx(expected, rel=1e-12)  # compiles here
    code = (
        "import pickle, sys, sejit\n"
        "k, x = pickle.loads(sys.stdin.buffer.read())\n"
        "assert pickle.loads(pickle.dumps(k)) is k\n"
        "print(repr(float(k(x, 1.5))), sejit.stats()['compiles'], sejit.stats()['cache_loads'])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=cloudpickle.dumps((ns["kernel"], x)),
        capture_output=True, timeout=TIMEOUT,
    )
    assert out.returncode == 0, out.stderr.decode()
    value, compiles, loads = out.stdout.decode().split()
    assert float(value) == pytest.approx(expected, rel=1e-12)
    assert (compiles, loads) == ("0", "1")


def test_a_function_without_source_says_why():
    namespace = {"__name__": "__main__"}
    exec(compile("def f(x):\n    return x + 1\n", "<no-linecache>", "exec"), namespace)
    disp = sejit.jit(namespace["f"])
    with pytest.raises(sejit.CompilerError, match="cannot find the source of function f"):
        pickle.dumps(disp)


def test_the_rebuilt_source_is_in_linecache_with_its_line_numbers():
    ns = sk.make_main_kernels(1.25, "lines")
    code = (
        "import pickle, sys, linecache, inspect\n"
        "k = pickle.loads(sys.stdin.buffer.read())\n"
        "f = k.py_func\n"
        "lines, first = inspect.getsourcelines(f)\n"
        "print(f.__code__.co_firstlineno, first, lines[0].strip(), f.__qualname__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps(ns["closure"]),
        capture_output=True, timeout=TIMEOUT, check=True,
    )
    orig = ns["closure"].py_func
    assert out.stdout.decode().split() == [
        str(orig.__code__.co_firstlineno), str(orig.__code__.co_firstlineno),
        "def", "scaled(x):", orig.__qualname__,
    ]


def _check_pool(map_fn, tmp_path, tag):
    """Runs a cold kernel (never compiled) and a warm one (compiled here first) through map_fn
    with a fresh shared cache; checks results and what each worker compiled."""
    cache = str(tmp_path / "cache")
    assert os.environ["SEJIT_CACHE_DIR"] == cache
    cold = sk.make_main_kernels(0.5, tag + "-cold")["kernel"]
    warm = sk.make_main_kernels(0.25, tag + "-warm")["kernel"]
    args = sk.inputs()
    warm(*args[0])  # the parent compiles the warm kernel into the shared cache

    outcomes = map_fn(sk.counted_call, [cold] * len(args), args, [cache] * len(args))
    for (_, result, _, _), a in zip(outcomes, args):
        assert result == pytest.approx(cold.py_func(*a), rel=1e-12)
    workers = sk.per_worker(outcomes)
    assert all(c <= 1 for c, _ in workers.values()), workers  # at most once per worker
    assert sum(c for c, _ in workers.values()) == 1, workers  # the lock: once among them

    outcomes = map_fn(sk.counted_call, [warm] * len(args), args, [cache] * len(args))
    for (_, result, _, _), a in zip(outcomes, args):
        assert result == pytest.approx(warm.py_func(*a), rel=1e-12)
    workers = sk.per_worker(outcomes)
    assert all(c == 0 for c, _ in workers.values()), workers  # warm cache: nothing compiled
    assert all(n <= 1 for _, n in workers.values()), workers
    return workers


@pytest.mark.parametrize("method", ["spawn", "fork", "forkserver"])
def test_multiprocessing_pool(method, tmp_path, monkeypatch):
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(tmp_path / "cache"))
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(2) as pool:

        def map_fn(fn, *iterables):
            return pool.starmap_async(fn, zip(*iterables), chunksize=1).get(TIMEOUT)

        _check_pool(map_fn, tmp_path, method)
        # By reference: the importable kernels, against NumPy.
        a, x, y = 2.0, np.arange(5.0), np.ones(5)
        got = pool.apply_async(sk.counted_call, (sk.saxpy, (a, x, y), str(tmp_path / "cache")))
        assert np.array_equal(got.get(TIMEOUT)[1], a * x + y)


def test_process_pool_executor(tmp_path, monkeypatch):
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(tmp_path / "cache"))
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as ex:

        def map_fn(fn, *iterables):
            return list(ex.map(fn, *iterables, timeout=TIMEOUT))

        _check_pool(map_fn, tmp_path, "executor")
        x = np.linspace(0.0, 1.0, 9)
        fut = ex.submit(sk.counted_call, sk.norm, (x,), str(tmp_path / "cache"))
        assert fut.result(TIMEOUT)[1] == pytest.approx(float(np.dot(x, x)), rel=1e-12)


RECURSIVE_SOURCE = '''\
import sejit


def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


@sejit.jit
def bump(v):
    return v + 1.0


@sejit.jit
def kernel(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += bump(x[i]) * fact(4)
    return s
'''


def test_by_value_with_a_recursive_helper_and_a_jitted_helper():
    filename = "<ipython-input-recursive>"
    linecache.cache[filename] = (len(RECURSIVE_SOURCE), None,
                                 RECURSIVE_SOURCE.splitlines(True), filename)
    namespace = {"__name__": "__main__"}
    exec(compile(RECURSIVE_SOURCE, filename, "exec"), namespace)
    kernel = namespace["kernel"]
    x = np.linspace(0.0, 3.0, 13)
    code = ("import pickle, sys\n"
            "k, x = pickle.loads(sys.stdin.buffer.read())\n"
            "print(repr(float(k(x))))\n")  # an np.float64, as CPython returns
    out = subprocess.run([sys.executable, "-c", code], input=pickle.dumps((kernel, x)),
                         capture_output=True, timeout=TIMEOUT)
    assert out.returncode == 0, out.stderr.decode()
    assert float(out.stdout) == pytest.approx(kernel.py_func(x), rel=1e-12)


# sejit.vectorize / guvectorize (docs/scale.md): the real ufuncs go by value like dispatchers.


@pytest.mark.parametrize("mod", [pickle, cloudpickle], ids=["pickle", "cloudpickle"])
def test_sejit_ufuncs_pickle_and_numpy_ufuncs_still_do(mod):
    ns = sk.make_main_ufuncs(1.25, f"ufunc-same-{mod.__name__}")
    for obj in (ns["rel"], ns["dot"], ns["lazy_rel"], ns["lazy_dot"]):
        assert _dumps_loads(mod, obj) is obj
    uf = ns["lazy_rel"].ufunc_for((np.float64, np.float64))
    assert isinstance(uf, np.ufunc) and _dumps_loads(mod, uf) is uf
    data = mod.dumps(ns["rel"])
    assert b"return (x - y) / weight(y)" in data and b"return abs(y) + SCALE" in data
    # NumPy's own ufuncs still go by name and come back as themselves.
    for u in (np.add, np.sin, np.matmul, np.divmod, np.isnat, np.logaddexp):
        assert _dumps_loads(mod, u) is u
        assert len(mod.dumps(u)) < 100 and b"weight" not in mod.dumps(u)
    with pytest.raises(Exception):  # as before: NumPy cannot pickle frompyfunc's ufuncs
        pickle.dumps(np.frompyfunc(abs, 1, 1))


def test_a_module_level_sejit_ufunc_goes_by_reference(monkeypatch):
    import types

    mod = types.ModuleType("sejit_test_ufunc_module")
    src = sk.UFUNC_SOURCE.format(offset=2.0)
    filename = "<sejit_test_ufunc_module>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    exec(compile(src, filename, "exec"), mod.__dict__)
    data = pickle.dumps(mod.rel)
    assert b"sejit_test_ufunc_module" in data and b"weight" not in data
    assert pickle.loads(data) is mod.rel


def test_sejit_ufuncs_in_a_fresh_process_load_from_the_shared_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(tmp_path))
    ns = sk.make_main_ufuncs(3.75, "ufunc-fresh")  # rel and dot compile here
    x, y = np.linspace(-3.0, 3.0, 11), np.linspace(1.0, 2.0, 11)
    a, b = np.arange(12.0).reshape(4, 3), np.arange(3.0)
    lazy = ns["lazy_rel"].ufunc_for((np.float64, np.float64))  # compiles its loop here
    objs = (ns["rel"], ns["dot"], lazy, ns["lazy_rel"], ns["lazy_dot"])
    code = (
        "import pickle, sys, numpy as np, sejit\n"
        "(rel, dot, lazy, lrel, ldot), x, y, a, b = pickle.loads(sys.stdin.buffer.read())\n"
        "assert isinstance(rel, np.ufunc) and isinstance(lazy, np.ufunc)\n"
        "assert pickle.loads(pickle.dumps(rel)) is rel\n"
        "assert pickle.loads(pickle.dumps(lrel)) is lrel\n"
        "s0 = sejit.stats()\n"
        "out = [rel(x, y), rel(x.astype(np.float32), y.astype(np.float32))]\n"
        "out += [dot(a, b), lazy(x, y)]\n"
        "s1 = sejit.stats()\n"
        "out += [lrel(x, y), ldot(a, b)]\n"
        "s2 = sejit.stats()\n"
        "print(s0['compiles'], s0['cache_loads'], s1['compiles'] - s0['compiles'], "
        "s2['compiles'] - s1['compiles'], s2['cache_loads'] - s1['cache_loads'])\n"
        "sys.stdout.flush(); sys.stdout.buffer.write(pickle.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps((objs, x, y, a, b)),
        capture_output=True, timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    head, _, rest = proc.stdout.partition(b"\n")
    counts = [int(v) for v in head.split()]
    # Unpickling built rel (2 signatures x 2 loops), dot (1) and lazy's ufunc (2) from the
    # cache; the lazy objects' loops the parent compiled load too: lazy_rel's ufunc of
    # (float64, float64) needs its return type and its 2 loops, lazy_dot's gufunc 1 loop,
    # which the parent never compiled.
    assert counts[:3] == [0, 7, 0], counts
    r, r32, d, lz, lr, ld = pickle.loads(rest)
    want = (x - y) / (abs(y) + 3.75)
    np.testing.assert_allclose(r, want, rtol=1e-12)
    np.testing.assert_allclose(r32, want.astype(np.float32), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(d, a @ b * 3.75, rtol=1e-12)
    np.testing.assert_allclose(lz, want, rtol=1e-12)
    np.testing.assert_allclose(lr, want, rtol=1e-12)
    np.testing.assert_allclose(ld, a @ b * 3.75, rtol=1e-12)
    # lazy_rel loads its return type and 2 loops; lazy_dot compiles its one gufunc loop,
    # which the parent never compiled.
    assert counts[3:] == [1, 3], counts
