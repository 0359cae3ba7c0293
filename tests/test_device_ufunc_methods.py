"""The ufunc methods accumulate, reduceat and at of vectorized functions on DeviceArrays of any
rank (issue 12, the device part), on the OpenCL CPU device (PoCL), against the same function's
NumPy ufunc methods on host copies (and NumPy's own add where the method is NumPy's); and complex
values in work-group memory, which the GPU trees use."""

import numpy as np
import pytest

import sejit

from conftest import cpu_device_or_skip, needs_engine

pytestmark = needs_engine

_CTX = cpu_device_or_skip()


@sejit.vectorize
def _plus(x, y):
    return x + y


@sejit.vectorize
def _rel(x, y):
    return abs(x - y) / (abs(x) + abs(y) + 1e-12)


@sejit.vectorize
def _first(x, y):  # associative, not commutative: the order of the operands shows
    return x


@sejit.vectorize
def _square(x):
    return x * x


def _dev(x):
    return _CTX.asarray(np.asarray(x))


# ---------------------------------------------------------------------------------------------
# accumulate


# Each rank's kernel is compiled per pattern of extents of 1, so few shapes: 1-D (the scan), and
# 3-D and 4-D, whose axes give every pattern of the (before, axis, after) view.
@pytest.mark.parametrize("shape", [(6,), (2, 3, 4), (2, 1, 3, 2)])
def test_accumulate_any_rank_and_axis(shape):
    rng = np.random.default_rng(40)
    x = rng.random(shape)
    d = _dev(x)
    for axis in range(-len(shape), len(shape)):
        np.testing.assert_allclose(_plus.accumulate(d, axis=axis).get(),
                                   np.add.accumulate(x, axis=axis), rtol=1e-12)
        if len(shape) == 3:
            np.testing.assert_array_equal(_first.accumulate(d, axis=axis).get(),
                                          _first.accumulate(x, axis=axis))
    # A non-contiguous view (copied first).
    t = x.T
    np.testing.assert_allclose(_plus.accumulate(d.T, axis=0).get(), _plus.accumulate(t, axis=0),
                               rtol=1e-12)


def test_accumulate_dtypes_and_errors():
    i32 = np.arange(-7, 17, dtype=np.int32).reshape(2, 3, 4)
    got = _plus.accumulate(_dev(i32), axis=1, dtype=np.int64)
    assert got.dtype == np.int64 and got.shape == i32.shape
    np.testing.assert_array_equal(got.get(), _plus.accumulate(i32, axis=1, dtype=np.int64))
    # dtype= casts the input unsafely first, as NumPy does.
    x = np.linspace(0.25, 5.5, 12).reshape(3, 4)
    got = _plus.accumulate(_dev(x), axis=1, dtype=np.int32)
    np.testing.assert_array_equal(got.get(), np.add.accumulate(x, axis=1, dtype=np.int32))
    empty = np.zeros((3, 0, 2))
    for axis in (0, 1, 2):
        got = _plus.accumulate(_dev(empty), axis=axis)
        assert got.shape == empty.shape
    with pytest.raises(np.exceptions.AxisError):
        _plus.accumulate(_dev(x), axis=2)
    with pytest.raises(TypeError, match="scalar"):
        _plus.accumulate(_dev(np.float64(1.0)))


# ---------------------------------------------------------------------------------------------
# reduceat


@pytest.mark.parametrize("shape", [(7,), (2, 5, 3)])
def test_reduceat_any_rank_and_axis(shape):
    rng = np.random.default_rng(41)
    x = rng.random(shape)
    d = _dev(x)
    for axis in range(-len(shape), len(shape)):
        m = shape[axis]
        # Increasing, equal, decreasing and the last element alone.
        for idx in ([0], [m - 1], [0, 2, 2, 1, m - 1], [1, m - 1, 0]):
            idx = np.array(idx, np.int64) % m
            np.testing.assert_allclose(_plus.reduceat(d, _dev(idx), axis=axis).get(),
                                       np.add.reduceat(x, idx, axis=axis), rtol=1e-12)
            if axis == 1:
                for f in (_rel, _first):
                    got = f.reduceat(d, _dev(idx), axis=axis).get()
                    np.testing.assert_allclose(got, f.reduceat(x, idx, axis=axis), rtol=1e-12)


def test_reduceat_dtypes_empty_and_errors():
    i32 = np.arange(20, dtype=np.int32)
    idx = _dev(np.array([0, 7, 3, 19], np.int32))
    # The dtype is the one the same ufunc's NumPy method gives on the host (its int32 loop).
    got = _plus.reduceat(_dev(i32), idx)
    assert got.dtype == _plus.reduceat(i32, [0, 7, 3, 19]).dtype
    np.testing.assert_array_equal(got.get(), np.add.reduceat(i32, [0, 7, 3, 19]))
    got = _plus.reduceat(_dev(i32), idx, dtype=np.int64)
    assert got.dtype == _plus.reduceat(i32, [0, 7, 3, 19], dtype=np.int64).dtype
    np.testing.assert_array_equal(got.get(), np.add.reduceat(i32, [0, 7, 3, 19], dtype=np.int64))
    empty = np.array([], np.int64)
    got = _plus.reduceat(_dev(np.ones((2, 3))), _dev(empty), axis=1)
    assert got.shape == np.add.reduceat(np.ones((2, 3)), empty, axis=1).shape
    x = _dev(np.arange(10.0))
    for bad in ([0, 10], [-1, 3]):
        with pytest.raises(IndexError, match="out-of-bounds"):
            np.add.reduceat(np.arange(10.0), bad)
        with pytest.raises(IndexError, match=f"index {bad[0] if bad[0] < 0 else 10} "
                                             f"out-of-bounds .*\\[0, 10\\)"):
            _plus.reduceat(x, _dev(np.array(bad)))
    with pytest.raises(TypeError, match="indices as a DeviceArray"):
        _plus.reduceat(x, [0, 2])
    with pytest.raises(IndexError, match="integer"):
        _plus.reduceat(x, _dev(np.array([0.0, 2.0])))
    with pytest.raises(ValueError, match="1-D"):
        _plus.reduceat(x, _dev(np.array([[0, 2]])))
    with pytest.raises(np.exceptions.AxisError):
        _plus.reduceat(x, _dev(np.array([0])), axis=1)
    with pytest.raises(TypeError, match="scalar"):
        _plus.reduceat(_dev(np.float64(1.0)), _dev(np.array([0])))
    with pytest.raises(ValueError, match="binary"):
        _square.reduceat(x, _dev(np.array([0])))


# ---------------------------------------------------------------------------------------------
# at


def _both(f, a, indices, *b):
    """f.at on a host copy of a (NumPy's ufunc method) and on the device; both results."""
    host = a.copy()
    f.at(host, indices, *b)
    dev = _dev(a)
    di = tuple(_dev(i) if isinstance(i, np.ndarray) else i for i in indices) \
        if isinstance(indices, tuple) else _dev(indices) if isinstance(indices, np.ndarray) \
        else indices
    f.at(dev, di, *(_dev(v) if isinstance(v, np.ndarray) else v for v in b))
    return dev.get(), host


def test_at_nd_indices():
    rng = np.random.default_rng(42)
    a = rng.random((4, 5, 3))
    rows = np.array([0, 3, -1, 0, 2])  # repeated and negative
    cases = [
        (_plus, rows, (rng.random((5, 5, 3)),)),  # rows, b of the selection's shape
        (_plus, rows, (rng.random(3),)),  # b broadcast along the selection
        # Index arrays broadcast together ((2, 1) with (3,)), the last axis taken whole.
        (_plus, (np.array([[1], [1]]), np.array([0, 4, -5])), (rng.random((2, 3, 3)),)),
        (_plus, (np.array([2, 2]), 1, np.array([0, 2])), (0.5,)),
        (_plus, (1, 2, 0), (3.0,)),
        (_square, (rows, np.array([[0], [4]])), ()),
    ]
    for f, indices, b in cases:
        got, want = _both(f, a, indices, *b)
        np.testing.assert_array_equal(got, want)


def test_at_errors():
    a = _dev(np.zeros((3, 4)))
    i = _dev(np.array([0, 1]))
    with pytest.raises(IndexError, match="out of bounds for axis 0 with size 3"):
        _plus.at(a, (_dev(np.array([0, 5])), i), 1.0)
    with pytest.raises(IndexError, match="out of bounds for axis 1 with size 4"):
        _plus.at(a, (i, _dev(np.array([0, -5]))), 1.0)
    with pytest.raises(IndexError, match="too many indices"):
        _plus.at(a, (i, 0, 0), 1.0)
    with pytest.raises(IndexError, match="could not be broadcast"):
        _plus.at(a, (i, _dev(np.array([0, 1, 2]))), 1.0)
    with pytest.raises(ValueError, match="not broadcastable to correct shape"):
        _plus.at(a, i, _dev(np.ones(3)))
    with pytest.raises(IndexError, match="integer"):
        _plus.at(a, _dev(np.array([0.5])), 1.0)
    with pytest.raises(TypeError, match="indices as a DeviceArray"):
        _plus.at(a, (np.array([0]), 1), 1.0)
    with pytest.raises(NotImplementedError, match="slice"):
        _plus.at(a, (slice(None), i), 1.0)
    with pytest.raises(ValueError, match="second operand"):
        _plus.at(a, i)
    # The array is untouched by a refused call.
    np.testing.assert_array_equal(a.get(), np.zeros((3, 4)))


def test_eager_ufunc_methods_take_numpys_loop():
    # A real numpy.ufunc with one float64 loop: an int32 array accumulates in float64, as
    # NumPy's own method casts it.
    @sejit.vectorize(["float64(float64, float64)"])
    def hyp(x, y):
        return (x * x + y * y) ** 0.5

    x = np.arange(1, 13, dtype=np.int32).reshape(3, 4)
    d = _dev(x)
    got = hyp.accumulate(d, axis=1)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got.get(), hyp.accumulate(x, axis=1), rtol=1e-12)
    got = hyp.reduceat(d, _dev(np.array([0, 2])), axis=0)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got.get(), hyp.reduceat(x, [0, 2], axis=0), rtol=1e-12)
    a = np.zeros((3, 2))
    got, want = _both(hyp, a, (np.array([0, 0, 2]), 1), 2.0)
    np.testing.assert_array_equal(got, want)


# ---------------------------------------------------------------------------------------------
# complex values in work-group memory


@sejit.kernel
def _group_sums(x, out):
    lid = sejit.local_id(0)
    L = sejit.local_size(0)
    s = sejit.local_array(L, x.dtype)
    s[lid] = x[sejit.global_id(0)]
    sejit.barrier()
    if lid == 0:
        acc = s[0]
        for k in range(1, L):
            acc = acc + s[k]
        out[sejit.group_id(0)] = acc


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_local_array(dtype):
    rng = np.random.default_rng(43)
    z = (rng.standard_normal(64) + 1j * rng.standard_normal(64)).astype(dtype)
    out = _CTX.zeros(4, dtype)
    _group_sums(_dev(z), out, global_size=64, local_size=16)
    np.testing.assert_allclose(out.get(), z.reshape(4, 16).sum(axis=1),
                               rtol=1e-5 if dtype == np.complex64 else 1e-12)


@pytest.fixture
def as_gpu(monkeypatch):
    """The work-group trees that a GPU runs, on PoCL: the device taken for a GPU."""
    monkeypatch.setattr(_CTX.info, "cpu_like", False)


def test_gpu_path_accumulate(as_gpu):
    # A single row's accumulate is sejit.scan, here the GPU's trees, complex values included
    # (NumPy's whole-array reductions on this path: test_device_reduce.py).
    rng = np.random.default_rng(44)
    x = rng.random(5000)
    np.testing.assert_allclose(_plus.accumulate(_dev(x)).get(), np.cumsum(x), rtol=1e-12)
    z = x[:300] + 1j * x[300:600]
    got = _plus.accumulate(_dev(z.reshape(1, 300)), axis=1).get()
    np.testing.assert_allclose(got, np.cumsum(z)[None], rtol=1e-12)
    # float16, which the jit does not compute in, is refused clearly on either path.
    with pytest.raises(NotImplementedError, match="float16"):
        _dev(np.ones(3, np.float16)).sum()


# ---------------------------------------------------------------------------------------------
# NumPy's own ufuncs whose reductions run on the device


def test_builtin_ufunc_methods():
    rng = np.random.default_rng(45)
    x = rng.random((3, 4, 5))
    x[1, 2, 3] = np.nan
    i = rng.integers(-50, 50, (3, 4, 5)).astype(np.int32)
    b = rng.random((3, 4, 5)) < 0.3
    cases = [(np.add, x), (np.maximum, x), (np.minimum, x), (np.add, i), (np.multiply, i),
             (np.logical_or, b)]
    idx = np.array([0, 2, 1, 3])
    for uf, h in cases:
        d = _dev(h)
        # One axis (the others: above); each (operation, dtype) compiles its own kernels.
        got, want = uf.accumulate(d, axis=1), uf.accumulate(h, axis=1)
        assert got.dtype == want.dtype  # int32 add.accumulate is int64 in NumPy 2
        np.testing.assert_allclose(got.get(), want, rtol=1e-12)
        got, want = uf.reduceat(d, _dev(idx), axis=1), uf.reduceat(h, idx, axis=1)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got.get(), want, rtol=1e-12)
    # at: repeated indices accumulate; a float added into an int array is cast as NumPy's.
    for uf, h, vals in ((np.add, x, rng.random((5, 4, 5))), (np.maximum, x, 0.5),
                        (np.add, i, 3)):
        where = np.array([0, 2, 2, 0, 1])[: len(h)] % len(h)
        host = h.copy()
        uf.at(host, where, vals if np.ndim(vals) == 0 else vals[: len(where)])
        dev = _dev(h)
        uf.at(dev, _dev(where), vals if np.ndim(vals) == 0 else _dev(vals[: len(where)]))
        np.testing.assert_array_equal(dev.get(), host)
    with pytest.raises(NotImplementedError, match="subtract.accumulate"):
        np.subtract.accumulate(_dev(x))
    with pytest.raises(NotImplementedError, match="out="):
        np.add.accumulate(_dev(x), out=_dev(x))
