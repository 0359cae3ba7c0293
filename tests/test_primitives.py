"""sejit.vectorize, guvectorize, map, reduce and scan (issue 12, CPU part), differential against
np.vectorize, NumPy's own ufunc methods, functools.reduce, itertools.accumulate and Python loops.
"""

import functools
import itertools
import math

import numpy as np
import pytest

import sejit
from conftest import needs_engine

pytestmark = needs_engine


def axpy(x, y):
    return 2 * x + y


def pdiv(x, y):
    # Python ints: a division by zero raises, as in np.vectorize of the same function.
    return int(x) // int(y)


def clip1(x):
    if x > 1:
        return 1.0
    return x * 0.5


def cmix(x, y):
    return x * y + 1j


def dot(a, b, out):
    s = 0.0
    for k in range(a.shape[0]):
        s += a[k] * b[k]
    out[0] = s


def matmul(a, b, out):
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            out[i, j] = s


def cumsum_core(a, out):
    s = 0
    for k in range(a.shape[0]):
        s += a[k]
        out[k] = s


def assert_same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=1e-6 if got.dtype.itemsize <= 8 else 1e-12)


RNG = np.random.default_rng(12)
VALUES = {
    "int64": RNG.integers(-50, 50, size=7).astype(np.int64),
    "float32": RNG.standard_normal(7).astype(np.float32),
    "float64": RNG.standard_normal(7),
    "complex128": RNG.standard_normal(7) + 1j * RNG.standard_normal(7),
}


# -- vectorize ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tx,ty",
    [("int64", "int64"), ("float32", "float32"), ("float64", "float64"),
     ("complex128", "complex128"), ("int64", "float64"), ("float32", "float64")],
)
def test_vectorize_matches_np_vectorize(tx, ty):
    x, y = VALUES[tx], VALUES[ty]
    v = sejit.vectorize(axpy)
    got = v(x, y)
    want = np.vectorize(axpy)(x, y)
    assert_same(got, want)
    # The loop's types are the operands' dtypes and what axpy returns for them.
    assert v.ntypes == 1 and len(v.types) == 1


def test_vectorize_is_a_real_ufunc_with_signatures():
    uf = sejit.vectorize(["float64(float64, float64)", "float32(float32, float32)"],
                         identity=0)(axpy)
    assert isinstance(uf, np.ufunc)
    assert (uf.nin, uf.nout, uf.nargs, uf.ntypes) == (2, 1, 3, 2)
    assert uf.types == ["dd->d", "ff->f"]
    assert uf.identity == 0
    assert uf.__name__ == "axpy"
    x = VALUES["float32"]
    assert uf(x, x).dtype == np.float32
    assert_same(uf(x, x), np.vectorize(axpy, otypes=[np.float32])(x, x))
    # NumPy's casting: int64 operands go to the float64 loop.
    assert_same(uf(np.arange(3), np.arange(3)), np.arange(3) * 3.0)


def test_decorator_forms():
    @sejit.vectorize
    def f(x):
        return x + 1

    @sejit.vectorize()
    def g(x):
        return x + 1

    @sejit.vectorize("int64(int64)")
    def h(x):
        return x + 1

    for fn in (f, g, h):
        assert_same(fn(np.arange(4)), np.arange(4) + 1)
    assert isinstance(h, np.ufunc) and isinstance(f, sejit.Vectorized)


def test_broadcasting_out_where_dtype_casting():
    v = sejit.vectorize(axpy)
    a = np.arange(3.0)[:, None]
    b = np.arange(4.0)[None, :]
    assert_same(v(a, b), np.vectorize(axpy)(a, b))
    assert_same(v(a, 2.5), 2 * a + 2.5)
    assert_same(v(1.0, 2.0), np.float64(4.0))
    out = np.full((3, 4), -1.0)
    r = v(a, b, out=out)
    assert r is out
    assert_same(out, 2 * a + b)
    out = np.full((3, 4), -1.0)
    mask = (np.arange(12).reshape(3, 4) % 2).astype(bool)
    v(a, b, out=out, where=mask)
    assert_same(out, np.where(mask, 2 * a + b, -1.0))
    # dtype= is the loop's output type; casting= is NumPy's.
    assert v(a, b, dtype=np.float32).dtype == np.float32
    with pytest.raises(TypeError):
        v(a, b, out=np.zeros((3, 4), np.int64), casting="same_kind")
    assert_same(v(a, b, out=np.zeros((3, 4), np.int64), casting="unsafe"),
                (2 * a + b).astype(np.int64))
    # strided and reversed operands
    x = np.arange(20.0)[::-3]
    assert_same(v(x, x[::-1]), 2 * x + x[::-1])


def test_branchy_function_and_mixed_scalars():
    v = sejit.vectorize(clip1)
    x = np.linspace(-3, 3, 13)
    assert_same(v(x), np.vectorize(clip1)(x))
    c = sejit.vectorize(cmix)
    assert_same(c(VALUES["float64"], 3), np.vectorize(cmix)(VALUES["float64"], 3))


def test_division_by_zero_raises_like_np_vectorize():
    x = np.arange(6)
    y = np.array([1, 1, 0, 1, 1, 1])
    with pytest.raises(ZeroDivisionError) as want:
        np.vectorize(pdiv)(x, y)
    v = sejit.vectorize(pdiv)
    with pytest.raises(ZeroDivisionError) as got:
        v(x, y)
    assert str(got.value) == str(want.value)
    uf = sejit.vectorize(["int64(int64, int64)"])(pdiv)
    with pytest.raises(ZeroDivisionError):
        uf(x, y)
    assert_same(v(x, y + 1), x // (y + 1))


def test_reduce_accumulate_outer_at():
    # 0 is an identity of x + y + x*y (NumPy starts every reduction from the identity).
    v = sejit.vectorize(lambda x, y: x + y + x * y, identity=0)
    ref = np.frompyfunc(lambda x, y: x + y + x * y, 2, 1)
    a = np.arange(12.0).reshape(3, 4) / 16
    for axis in (0, 1, -1):
        assert_same(v.reduce(a, axis=axis), ref.reduce(a, axis=axis).astype(float))
        assert_same(v.accumulate(a, axis=axis), ref.accumulate(a, axis=axis).astype(float))
    assert_same(v.reduce(a, axis=None), np.float64(ref.reduce(a.ravel())))
    assert_same(v.reduce(a, axis=(0, 1)), np.float64(ref.reduce(a.ravel())))
    assert_same(v.reduce(np.zeros((0, 3)), axis=0), np.zeros(3))  # the identity
    assert_same(v.reduce(a, axis=1, keepdims=True), ref.reduce(a, axis=1).astype(float)[:, None])
    assert_same(v.reduce(a, axis=1, initial=5.0),
                np.array([functools.reduce(lambda s, t: s + t + s * t, r, 5.0) for r in a]))
    i, j = np.arange(3), np.arange(4)
    assert_same(v.outer(i, j), i[:, None] + j + i[:, None] * j)
    assert_same(v.reduceat(np.arange(8.0), [0, 4]), ref.reduceat(np.arange(8.0), [0, 4]).astype(float))
    x = np.zeros(5)
    v.at(x, [0, 1, 1], 2.0)
    y = np.zeros(5, dtype=object)
    ref.at(y, [0, 1, 1], 2.0)
    assert_same(x, y.astype(float))
    # Without an identity, reduce over several axes is refused as NumPy refuses it.
    w = sejit.vectorize(axpy)
    assert w.identity is None
    with pytest.raises(ValueError):
        w.reduce(a, axis=(0, 1))
    with pytest.raises(ValueError):
        w.reduce(np.zeros(0))
    assert_same(w.reduce(a, axis=0), np.array([functools.reduce(axpy, col) for col in a.T]))


def test_real_ufunc_methods_and_numpy_functions():
    uf = sejit.vectorize(["int64(int64, int64)", "float64(float64, float64)"],
                         identity=0)(lambda x, y: x + y)
    a = np.arange(10)
    assert_same(uf.reduce(a), np.add.reduce(a))
    assert_same(uf.accumulate(a), np.cumsum(a))
    assert_same(uf.outer(a[:3], a[:2]), np.add.outer(a[:3], a[:2]))
    x = np.zeros(4, np.int64)
    uf.at(x, [0, 0, 3], 5)
    assert x.tolist() == [10, 0, 0, 5]
    # NumPy's own machinery taking a ufunc: masked arrays, np.ma's domain ufuncs aside.
    assert_same(uf.reduce(np.arange(6.0).reshape(2, 3), axis=None), np.float64(15.0))


def test_parallel_target():
    v = sejit.vectorize(axpy, target="parallel")
    x = np.arange(100_000.0)
    assert_same(v(x, x), 3 * x)
    uf = sejit.vectorize(["float64(float64, float64)"], parallel=True)(axpy)
    assert_same(uf(x, 1.0), 2 * x + 1)


def test_errors():
    with pytest.raises(ValueError, match="malformed signature"):
        sejit.vectorize(["float64(float64"])
    with pytest.raises(ValueError, match="malformed signature"):
        sejit.vectorize(["float64(float64, floot)"])
    with pytest.raises(ValueError, match="target"):
        sejit.vectorize(axpy, target="cuda")
    with pytest.raises(ValueError, match="malformed layout"):
        sejit.guvectorize("(n),(n)->")
    with pytest.raises(ValueError, match="malformed layout"):
        sejit.guvectorize("(n)(n)->()")

    def non_scalar(x):
        return np.zeros(3) + x

    with pytest.raises(sejit.TypingError, match=r"test_primitives.py:\d+:\d+: .*one number"):
        sejit.vectorize(non_scalar)(np.arange(3.0))

    def not_elementwise(x):
        return x.shape[0]

    with pytest.raises(sejit.UnsupportedError, match=r"test_primitives.py:\d+:\d+"):
        sejit.vectorize(not_elementwise)(np.arange(3.0))


# -- guvectorize --------------------------------------------------------------------------------


def test_guvectorize_dot_broadcasts_like_a_gufunc():
    g = sejit.guvectorize("(n),(n)->()")(dot)
    a = RNG.standard_normal((2, 3, 5))
    b = RNG.standard_normal(5)
    want = np.array([[sum(a[i, j] * b) for j in range(3)] for i in range(2)])
    assert_same(g(a, b), want)
    uf = g.ufunc_for([np.float64] * 3)
    assert isinstance(uf, np.ufunc) and uf.signature == "(n),(n)->()"
    with pytest.raises(ValueError):
        g(a, np.ones(4))  # core dimension mismatch, NumPy's error


def test_guvectorize_matmul_and_signatures():
    g = sejit.guvectorize(["void(float64[:,:], float64[:,:], float64[:,:])"],
                          "(m,n),(n,p)->(m,p)")(matmul)
    assert isinstance(g, np.ufunc) and g.types == ["dd->d"]
    a = RNG.standard_normal((4, 2, 3))
    b = RNG.standard_normal((3, 5))
    assert_same(g(a, b), a @ b)
    out = np.zeros((4, 2, 5))
    g(a, b, out=out)
    assert_same(out, a @ b)


def test_guvectorize_int_scan_core():
    g = sejit.guvectorize("(n)->(n)")(cumsum_core)
    a = np.arange(12).reshape(3, 4)
    assert_same(g(a), np.array([list(itertools.accumulate(r)) for r in a]))


# -- map, reduce, scan --------------------------------------------------------------------------


def test_map():
    k = 3

    def scaled(x, y=2):
        return x * y + k

    a = np.arange(6).reshape(2, 3)
    assert_same(sejit.map(scaled, a, np.arange(3)), np.vectorize(scaled)(a, np.arange(3)))
    assert_same(sejit.map(lambda x: math.sqrt(x) + 1, np.arange(4.0)),
                np.sqrt(np.arange(4.0)) + 1)


@pytest.mark.parametrize("arr", [np.arange(1, 11), RNG.standard_normal(9)])
def test_reduce_scan(arr):
    add = lambda a, b: a + b  # noqa: E731

    def biggest(a, b):
        return a if a > b else b

    assert sejit.reduce(add, arr) == pytest.approx(functools.reduce(add, arr.tolist()))
    assert sejit.reduce(biggest, arr) == functools.reduce(biggest, arr.tolist())
    assert sejit.reduce(add, arr, initial=10) == pytest.approx(
        functools.reduce(add, arr.tolist(), 10))
    assert_same(sejit.scan(add, arr), np.array(list(itertools.accumulate(arr)), arr.dtype))
    excl = np.array(list(itertools.accumulate(arr[:-1], add, initial=0)), arr.dtype)
    assert_same(sejit.scan(add, arr, exclusive=True, initial=0), excl)
    m = arr.reshape(-1, 1) if arr.size % 2 else arr.reshape(2, -1)
    assert_same(sejit.reduce(add, m, axis=0), np.add.reduce(m, axis=0))


def test_reduce_scan_bool_and_complex():
    b = RNG.random(500) < 0.05
    z = RNG.standard_normal(500) + 1j * RNG.standard_normal(500)
    any_ = lambda a, c: a or c  # noqa: E731
    all_ = lambda a, c: a and c  # noqa: E731
    add = lambda a, c: a + c  # noqa: E731
    for x in (b, ~b, np.zeros(7, bool), np.ones(7, bool)):
        assert sejit.reduce(any_, x) == functools.reduce(any_, x.tolist())
        assert sejit.reduce(all_, x) == functools.reduce(all_, x.tolist())
        got = sejit.scan(any_, x)
        assert got.dtype == bool
        assert got.tolist() == list(itertools.accumulate(x.tolist(), any_))
        assert sejit.scan(all_, x).tolist() == list(itertools.accumulate(x.tolist(), all_))
    got = sejit.reduce(add, z)
    assert got == pytest.approx(functools.reduce(add, z.tolist()), rel=1e-12)
    assert sejit.reduce(lambda a, c: a * c, z[:20]) == pytest.approx(
        functools.reduce(lambda a, c: a * c, z[:20].tolist()), rel=1e-12)
    got = sejit.scan(add, z)
    assert got.dtype == complex
    np.testing.assert_allclose(got, list(itertools.accumulate(z.tolist(), add)), rtol=1e-12)
    got = sejit.scan(add, z.astype(np.complex64), exclusive=True, initial=1j)
    want = list(itertools.accumulate(z.astype(np.complex64).tolist()[:-1], add, initial=1j))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5 * np.abs(z).sum())


def test_reduce_edges():
    with pytest.raises(TypeError, match="empty"):
        sejit.reduce(lambda a, b: a + b, np.zeros(0))
    assert sejit.reduce(lambda a, b: a + b, np.zeros(0), initial=3.0) == 3.0
    assert sejit.reduce(lambda a, b: a * b, np.arange(1, 7).reshape(2, 3)) == 720
    assert sejit.scan(lambda a, b: a + b, np.zeros(0)).shape == (0,)


def test_map_leaves_defaults():
    def shifted(x, by=10, scale=2):
        return x * scale + by

    a = np.arange(5)
    assert_same(sejit.map(shifted, a), a * 2 + 10)
    assert_same(sejit.map(shifted, a, 1), a * 2 + 1)
    with pytest.raises(TypeError, match="arguments"):
        sejit.map(shifted)


def test_unaligned_and_byteswapped_operands():
    v = sejit.vectorize(axpy)
    rec = np.zeros(6, dtype=[("a", "i1"), ("b", "f8")])  # packed: b at odd addresses, stride 9
    rec["b"] = np.arange(6.0)
    assert_same(v(rec["b"], 1.0), 2 * np.arange(6.0) + 1)
    swapped = np.arange(6.0).astype(">f8")
    assert_same(v(swapped.astype("<f8"), swapped.astype("<f8")), 3 * np.arange(6.0))
    uf = sejit.vectorize(["float64(float64, float64)"])(axpy)
    assert_same(uf(swapped, rec["b"]), 3 * np.arange(6.0))


def scale_row(a, s, out):
    for k in range(a.shape[0]):
        out[k] = a[k] * s


def first_past_end(a, out):
    out[0] = a[a.shape[0]]


def test_guvectorize_scalar_input_and_errors():
    g = sejit.guvectorize("(n),()->(n)")(scale_row)
    a = np.arange(6.0).reshape(2, 3)
    assert_same(g(a, np.array([2.0, 3.0])), a * np.array([[2.0], [3.0]]))
    assert_same(g(a, 2.0), a * 2)
    bad = sejit.guvectorize("(n)->()")(first_past_end)
    with pytest.raises(IndexError):
        bad(a)
    with pytest.raises(TypeError, match="arguments"):
        sejit.guvectorize("(n)->()")(scale_row)


def test_many_ufuncs_are_released():
    # Each ufunc owns its loop table (a capsule freed by the ufunc's dealloc); the compiled
    # kernels stay loaded by their dispatcher. Creating and dropping many must not crash.
    import gc

    for _ in range(30):
        uf = sejit.vectorize(["float64(float64, float64)"])(axpy)
        assert_same(uf(np.ones(3), np.ones(3)), np.full(3, 3.0))
        del uf
        gc.collect()


def test_operands_overriding_array_ufunc_see_the_real_ufunc():
    seen = []

    class Wrapped:
        dtype = np.dtype(np.float64)

        def __init__(self, a):
            self.a = a

        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            seen.append((ufunc, method))
            inputs = [i.a if isinstance(i, Wrapped) else i for i in inputs]
            return Wrapped(getattr(ufunc, method)(*inputs, **kwargs))

    v = sejit.vectorize(axpy)
    r = v(Wrapped(np.arange(3.0)), np.ones(3))
    assert isinstance(r, Wrapped)
    assert_same(r.a, 2 * np.arange(3.0) + 1)
    assert isinstance(seen[0][0], np.ufunc) and seen[0][1] == "__call__"


def test_lazy_objects_pickle():
    import pickle

    v = sejit.vectorize(axpy, identity=0)
    v(np.arange(3.0), 1.0)
    w = pickle.loads(pickle.dumps(v))
    assert isinstance(w, sejit.Vectorized) and w.identity == 0 and w.py_func is axpy
    assert_same(w(np.arange(3.0), 1.0), 2 * np.arange(3.0) + 1)
    g = pickle.loads(pickle.dumps(sejit.guvectorize("(n),(n)->()")(dot)))
    assert isinstance(g, sejit.GUVectorized) and g.signature == "(n),(n)->()"
    assert_same(g(np.ones((2, 3)), np.ones(3)), np.full(2, 3.0))


def test_documented_examples_run():
    import linecache
    import pathlib
    import re

    try:
        sejit.Context("cpu")
        device = True
    except Exception:  # no OpenCL CPU device: the device examples are test_primitives_device's
        device = False
    root = pathlib.Path(__file__).resolve().parent.parent
    ran = 0
    for doc in ("docs/primitives.md", "README.md"):
        text = (root / doc).read_text()
        for i, block in enumerate(re.findall(r"```python\n(.*?)```", text, re.S)):
            if "sejit.Context(" in block and not device:
                continue
            if "sejit.vectorize" in block and "import sejit" in block:
                name = f"<{doc} example {i}>"  # exec'd code: its text in linecache (README)
                linecache.cache[name] = (len(block), None, block.splitlines(True), name)
                exec(compile(block, name, "exec"), {"__name__": "example"})
                ran += 1
    assert ran == 2 + device  # the device example of docs/primitives.md
