"""sejit.map, vectorized functions, sejit.reduce and sejit.scan on DeviceArrays (issue 12, the
device part), on the first OpenCL CPU device whose compiler builds (PoCL), compared with
functools.reduce, itertools.accumulate and NumPy."""

import functools
import itertools

import numpy as np
import pytest

import sejit
from sejit.device import NoDeviceError, _cl

from conftest import needs_engine

try:
    _CTX = sejit.Context("cpu")
except NoDeviceError as exc:
    pytest.skip(f"no OpenCL CPU device: {exc}", allow_module_level=True)
if not _cl.can_build(_CTX.info):
    pytest.skip(f"the OpenCL device {_CTX.name} cannot build kernels here",
                allow_module_level=True)

pytestmark = needs_engine

# Sizes around the work-group (128) and the block of one group (128 x 32 = 4096) of the trees, and
# around the rows of a CPU device (one row below 2 x 4096 elements; 2 rows and a tail at 8193).
SIZES = [0, 1, 127, 4096, 4097, 8193, 100_003]
DTYPES = [np.float64, np.float32, np.int32, np.int64]


def _data(n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return (rng.random(n) * 2 - 1).astype(dtype)
    return rng.integers(-1000, 1000, n).astype(dtype)


def _close(got, want, dtype):
    if np.dtype(dtype).kind == "f":
        tol = 1e-4 if np.dtype(dtype) == np.float32 else 1e-10
        np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(want, np.float64),
                                   rtol=tol, atol=tol)
    else:
        np.testing.assert_array_equal(got, want)


# ---------------------------------------------------------------------------------------------
# map and vectorize


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_map_lambda(n, dtype):
    x = _data(n, dtype)
    got = sejit.map(lambda v: v * 3 - 1, _CTX.asarray(x))
    assert got.shape == x.shape and got.dtype == x.dtype
    want = np.array([v * 3 - 1 for v in x], dtype)
    _close(got.get(), want, dtype)


@sejit.vectorize
def rel(x, y):
    return abs(x - y) / (abs(x) + abs(y) + 1e-12)


@sejit.vectorize
def clamp_step(x, lo):
    if x < lo:
        return lo
    return x * 2.0


def test_vectorize_on_device_matches_the_host_and_np_vectorize():
    a, b = _data(1000, np.float64, 1), _data(1000, np.float64, 2)
    got = rel(_CTX.asarray(a), _CTX.asarray(b))
    np.testing.assert_allclose(got.get(), np.vectorize(rel.py_func)(a, b), rtol=1e-15)
    np.testing.assert_allclose(got.get(), rel(a, b), rtol=0)


def test_vectorize_with_branches_and_several_returns():
    a = _data(999, np.float64, 3)
    got = clamp_step(_CTX.asarray(a), 0.25)
    np.testing.assert_array_equal(got.get(), np.vectorize(clamp_step.py_func)(a, 0.25))


@pytest.mark.parametrize("shape_a, shape_b", [((7, 5), (5,)), ((7, 1), (1, 5)), ((3, 4, 5), (4, 1)),
                                              ((), (6,)), ((2, 3, 2, 2), (2, 3, 2, 2))])
def test_map_broadcasting(shape_a, shape_b):
    a, b = np.random.default_rng(4).random(shape_a), np.random.default_rng(5).random(shape_b)
    got = sejit.map(lambda u, v: u * v + 1.0, _CTX.asarray(a), _CTX.asarray(b))
    np.testing.assert_allclose(got.get(), a * b + 1.0, rtol=1e-15)


def test_map_scalar_operand_and_out():
    x = _data(300, np.float32, 6)
    out = _CTX.zeros(300, np.float64)
    r = rel(_CTX.asarray(x), np.float32(0.5), out=out)
    assert r is out
    want = np.vectorize(rel.py_func)(x, np.float32(0.5))
    np.testing.assert_allclose(out.get(), want, rtol=1e-6)


def test_map_out_in_place():
    x = _data(500, np.float64, 7)
    d = _CTX.asarray(x)
    sejit.map(lambda v: v * v, d)  # a new array: d unchanged
    np.testing.assert_array_equal(d.get(), x)
    rel(d, d * 2.0, out=d)
    np.testing.assert_allclose(d.get(), np.vectorize(rel.py_func)(x, x * 2.0), rtol=1e-15)


def test_map_errors():
    with pytest.raises(TypeError, match="NumPy array"):
        rel(_CTX.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="broadcast"):
        rel(_CTX.zeros(3), _CTX.zeros(3), out=_CTX.zeros(4))
    with pytest.raises(TypeError, match="same_kind"):
        rel(_CTX.zeros(3), _CTX.zeros(3), out=_CTX.zeros(3, np.int32))
    with pytest.raises(NotImplementedError, match="where"):
        rel(_CTX.zeros(3), _CTX.zeros(3), where=True)


def test_context_aliases():
    x = _data(200, np.float64, 8)
    d = _CTX.asarray(x)
    np.testing.assert_allclose(_CTX.map(lambda v: v + 1.0, d).get(), x + 1.0)
    sq = _CTX.unary_ufunc(lambda v: v * v)
    np.testing.assert_allclose(sq(d).get(), x * x)
    add = _CTX.binary_ufunc(lambda u, v: u + v)
    np.testing.assert_allclose(add(d, d).get(), x + x)
    assert _CTX.reduce(lambda s, v: s + v, d) == pytest.approx(x.sum(), rel=1e-12)
    np.testing.assert_allclose(_CTX.scan(lambda s, v: s + v, d).get(), np.cumsum(x),
                               rtol=1e-10)
    with pytest.raises(TypeError, match="takes 1 arguments, not 2"):
        _CTX.binary_ufunc(lambda v: v)


# ---------------------------------------------------------------------------------------------
# reduce


def _add(s, v):
    return s + v


@pytest.mark.parametrize("n", SIZES[1:])
@pytest.mark.parametrize("dtype", DTYPES)
def test_reduce_sum(n, dtype):
    x = _data(n, dtype, n)
    got = sejit.reduce(_add, _CTX.asarray(x))
    want = functools.reduce(_add, x.tolist())
    _close(got, want, dtype)


@pytest.mark.parametrize("n", [1, 130, 5000, 70_001])
def test_reduce_max_min_lambdas(n):
    x = _data(n, np.float64, 11)
    d = _CTX.asarray(x)
    assert sejit.reduce(lambda s, v: max(s, v), d) == functools.reduce(max, x.tolist())
    assert sejit.reduce(lambda s, v: s if s < v else v, d) == x.min()


@pytest.mark.parametrize("n", [1, 129, 4096, 4097, 20_000])
def test_reduce_keeps_the_order_of_a_non_commutative_function(n):
    # f(a, b) = a and f(a, b) = b are associative, not commutative: the tree must give the
    # first and the last element, as the serial fold does.
    x = _data(n, np.int64, 12)
    d = _CTX.asarray(x)
    assert sejit.reduce(lambda a, b: a, d) == functools.reduce(lambda a, b: a, x.tolist())
    assert sejit.reduce(lambda a, b: b, d) == functools.reduce(lambda a, b: b, x.tolist())


def test_reduce_initial_and_empty():
    x = _data(1000, np.float64, 13)
    got = sejit.reduce(_add, _CTX.asarray(x), initial=100.0)
    assert got == pytest.approx(functools.reduce(_add, x.tolist(), 100.0), rel=1e-12)
    assert sejit.reduce(_add, _CTX.zeros(0), initial=2.5) == 2.5
    with pytest.raises(TypeError, match="empty iterable with no initial value"):
        sejit.reduce(_add, _CTX.zeros(0))


def test_reduce_int_with_float_initial_widens():
    x = np.arange(1, 101, dtype=np.int32)
    got = sejit.reduce(_add, _CTX.asarray(x), initial=0.5)
    assert got == functools.reduce(_add, x.tolist(), 0.5)


def test_reduce_2d_flattens():
    x = _data(3 * 700, np.int64, 14).reshape(3, 700)
    assert sejit.reduce(_add, _CTX.asarray(x)) == x.sum()
    assert sejit.reduce(_add, _CTX.asarray(x)[:, ::2]) == x[:, ::2].sum()


@pytest.mark.parametrize("shape, axis", [((50, 300), 0), ((50, 300), 1), ((50, 300), -1),
                                         ((4, 5, 6), 1), ((4, 5, 6), 0), ((1000,), 0),
                                         ((3, 0), 0)])
def test_reduce_axis(shape, axis):
    x = _data(int(np.prod(shape)), np.float64, 15).reshape(shape)
    got = sejit.reduce(_add, _CTX.asarray(x), initial=0.0, axis=axis)
    np.testing.assert_allclose(got.get(), np.add.reduce(x, axis=axis), rtol=1e-10, atol=1e-12)


def test_reduce_axis_without_initial_and_empty_axis():
    x = _data(60, np.int32, 16).reshape(6, 10)
    np.testing.assert_array_equal(sejit.reduce(lambda s, v: max(s, v), _CTX.asarray(x),
                                               axis=1).get(), x.max(axis=1))
    with pytest.raises(ValueError, match="zero-size"):
        sejit.reduce(_add, _CTX.zeros((0, 3)), axis=0)
    with pytest.raises(np.exceptions.AxisError):
        sejit.reduce(_add, _CTX.zeros((2, 3)), axis=2)


def test_vectorized_reduce_on_device():
    x = _data(3000, np.float64, 17).reshape(30, 100)
    add = sejit.vectorize(lambda u, v: u + v)
    np.testing.assert_allclose(add.reduce(_CTX.asarray(x), axis=0).get(), x.sum(axis=0),
                               rtol=1e-12)


def test_reduce_float_error_is_within_pairwise_bounds():
    # The tree regroups the sum; its error stays within a pairwise sum's bound.
    x = np.random.default_rng(18).random(1_000_003).astype(np.float32)
    got = float(sejit.reduce(_add, _CTX.asarray(x)))
    exact = float(np.sum(x, dtype=np.float64))
    bound = 2 * np.log2(x.size) * np.finfo(np.float32).eps * float(np.sum(np.abs(x),
                                                                          dtype=np.float64))
    assert abs(got - exact) <= bound


def test_reduce_float_sum_is_pairwise_within_a_row():
    # One large value, then ones: a serial float32 sum stays at 2**24 (each 1 rounds away);
    # summed pairwise, the ones add up among themselves first, as in NumPy's np.sum.
    x = np.ones(300_001, np.float32)
    x[0] = 2.0**24
    exact = 2.0**24 + 300_000
    serial = functools.reduce(lambda a, b: np.float32(a + b), x[:1000].tolist())
    assert serial == 2.0**24  # the premise
    got = float(sejit.reduce(_add, _CTX.asarray(x)))
    assert abs(got - exact) <= abs(float(np.sum(x)) - exact) + 64


def test_reduce_scan_bool_and_complex():
    rng = np.random.default_rng(22)
    any_ = lambda a, c: a or c  # noqa: E731
    all_ = lambda a, c: a and c  # noqa: E731
    for n in (1, 100, 9000):
        b = rng.random(n) < 0.001
        for x in (b, ~b):
            d = _CTX.asarray(x)
            assert sejit.reduce(any_, d) == functools.reduce(any_, x.tolist())
            assert sejit.reduce(all_, d) == functools.reduce(all_, x.tolist())
            got = sejit.scan(any_, d)
            assert got.dtype == bool
            assert got.get().tolist() == list(itertools.accumulate(x.tolist(), any_))
            assert sejit.scan(all_, d).get().tolist() == list(itertools.accumulate(x.tolist(),
                                                                                   all_))
        z = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        d = _CTX.asarray(z)
        got = sejit.reduce(_add, d)
        assert abs(got - functools.reduce(_add, z.tolist())) <= 1e-12 * np.abs(z).sum()
        got = sejit.scan(_add, d).get()
        np.testing.assert_allclose(got, list(itertools.accumulate(z.tolist(), _add)),
                                   rtol=1e-10, atol=1e-12 * np.abs(z).sum())
        got = sejit.scan(_add, d, exclusive=True, initial=1j).get()
        want = list(itertools.accumulate(z.tolist()[:-1], _add, initial=1j))
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12 * np.abs(z).sum())
    z = (rng.standard_normal((3, 50)) + 1j * rng.standard_normal((3, 50))).astype(np.complex64)
    got = sejit.reduce(_add, _CTX.asarray(z), axis=1)
    np.testing.assert_allclose(got.get(), [functools.reduce(_add, r.tolist()) for r in z],
                               rtol=1e-5)


@pytest.fixture
def as_gpu(monkeypatch):
    """The work-group trees that a GPU runs, on PoCL: the device taken for a GPU."""
    monkeypatch.setattr(_CTX.info, "cpu_like", False)


@pytest.mark.parametrize("n", [1, 127, 4097, 100_003])
def test_tree_path_reduce_and_scan(n, as_gpu):
    x = _data(n, np.int64, 23)
    d = _CTX.asarray(x)
    assert sejit.reduce(_add, d) == x.sum()
    assert sejit.reduce(lambda a, b: a, d) == x[0]
    assert sejit.reduce(lambda a, b: b, d) == x[-1]
    assert sejit.reduce(_add, d, initial=5) == x.sum() + 5
    np.testing.assert_array_equal(sejit.scan(_add, d).get(), np.cumsum(x))
    np.testing.assert_array_equal(sejit.scan(lambda a, b: a, d).get(), np.full(n, x[0]))
    got = sejit.scan(_add, d, exclusive=True, initial=7).get()
    np.testing.assert_array_equal(got, np.concatenate([[7], np.cumsum(x)[:-1] + 7]))
    m = x[: n - n % 3].reshape(3, -1) if n >= 3 else x.reshape(1, -1)
    np.testing.assert_array_equal(sejit.reduce(_add, _CTX.asarray(m), axis=1).get(),
                                  m.sum(axis=1))


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_tree_path_complex_reduce_and_scan(dtype, as_gpu):
    # The trees keep complex values in work-group memory (float2/double2 local arrays).
    rng = np.random.default_rng(24)
    tol = 1e-4 if dtype == np.complex64 else 1e-12
    for n in (1, 4097):
        z = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
        d = _CTX.asarray(z)
        scale = np.abs(z).sum()
        got = sejit.reduce(_add, d)
        assert got.dtype == dtype and abs(got - z.sum()) <= tol * scale
        got = sejit.reduce(lambda a, b: a * b, _CTX.asarray(z[:20]))
        want = functools.reduce(lambda a, b: a * b, z[:20].astype(complex).tolist())
        assert abs(got - want) <= tol * abs(want)
        got = sejit.scan(_add, d).get()
        assert got.dtype == dtype
        np.testing.assert_allclose(got, np.cumsum(z), rtol=0, atol=tol * scale)
        got = sejit.scan(_add, d, exclusive=True, initial=1j).get()
        want = np.concatenate([[1j], np.cumsum(z)[:-1] + 1j])
        np.testing.assert_allclose(got, want, rtol=0, atol=tol * scale)
    m = (rng.standard_normal((3, 50)) + 1j * rng.standard_normal((3, 50))).astype(dtype)
    got = sejit.reduce(_add, _CTX.asarray(m), axis=1).get()
    np.testing.assert_allclose(got, m.sum(axis=1), rtol=0, atol=tol * np.abs(m).sum())


# ---------------------------------------------------------------------------------------------
# scan


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_scan_sum(n, dtype):
    x = _data(n, dtype, n + 1)
    got = sejit.scan(_add, _CTX.asarray(x))
    assert got.dtype == x.dtype and got.shape == x.shape
    want = np.array(list(itertools.accumulate(x.tolist(), _add)), dtype)
    _close(got.get(), want, dtype)


@pytest.mark.parametrize("n", [1, 128, 4097, 530_000])
def test_scan_max_and_order(n):
    x = _data(n, np.int64, 19)
    d = _CTX.asarray(x)
    np.testing.assert_array_equal(sejit.scan(lambda s, v: max(s, v), d).get(),
                                  list(itertools.accumulate(x.tolist(), max)))
    # f(a, b) = a: every prefix's fold is its first element.
    np.testing.assert_array_equal(sejit.scan(lambda a, b: a, d).get(), np.full(n, x[0]))


@pytest.mark.parametrize("n", [1, 5, 4096, 9000])
def test_scan_exclusive_and_initial(n):
    x = _data(n, np.int32, 20)
    d = _CTX.asarray(x)
    got = sejit.scan(_add, d, exclusive=True, initial=7)
    want = [7] + list(itertools.accumulate(x.tolist()[:-1], _add, initial=7))[1:]
    np.testing.assert_array_equal(got.get(), want[:n])
    got = sejit.scan(_add, d, initial=7)
    np.testing.assert_array_equal(got.get(), list(itertools.accumulate(x.tolist(), _add,
                                                                       initial=7))[1:])
    np.testing.assert_array_equal(got.get(), sejit.scan(_add, x, initial=7))


def test_scan_errors():
    with pytest.raises(ValueError, match="1-D"):
        sejit.scan(_add, _CTX.zeros((2, 2)))
    with pytest.raises(TypeError, match="needs initial"):
        sejit.scan(_add, _CTX.zeros(3), exclusive=True)


def test_nested_function_with_defaults():
    def affine(s, v, k=3):
        return s * k + v

    # Associative? No: only associative functions may be regrouped; affine with k=1 is.
    x = _data(5000, np.int64, 21)
    got = sejit.reduce(lambda s, v: affine(s, v, 1), _CTX.asarray(x))
    assert got == x.sum()
    got = sejit.map(affine, _CTX.asarray(x), _CTX.asarray(x))
    np.testing.assert_array_equal(got.get(), x * 3 + x)


# ---------------------------------------------------------------------------------------------
# ufunc methods and guvectorize on DeviceArrays


@sejit.vectorize
def _rel(x, y):
    return abs(x - y) / (abs(x) + abs(y) + 1e-12)


@sejit.vectorize
def _plus(x, y):
    return x + y


@sejit.vectorize
def _square(x):
    return x * x


def test_vectorized_accumulate_outer_at_on_device():
    rng = np.random.default_rng(30)
    a, b, m = rng.random(50), rng.random(7), rng.random((6, 9))
    da, db, dm = _CTX.asarray(a), _CTX.asarray(b), _CTX.asarray(m)
    for f in (_plus, _rel):
        # The references: the same vectorized function on host copies (NumPy's ufunc methods).
        np.testing.assert_allclose(f.accumulate(da).get(), f.accumulate(a), rtol=1e-12)
        for axis in (0, 1, -1):
            np.testing.assert_allclose(f.accumulate(dm, axis=axis).get(),
                                       f.accumulate(m, axis=axis), rtol=1e-12)
        np.testing.assert_allclose(f.accumulate(dm.T, axis=1).get(), f.accumulate(m.T, axis=1),
                                   rtol=1e-12)
        np.testing.assert_allclose(f.outer(da, db).get(), f.outer(a, b), rtol=1e-12)
        np.testing.assert_allclose(f.outer(db, dm).get(), f.outer(b, m), rtol=1e-12)
        np.testing.assert_allclose(f.outer(da, 0.5).get(), f.outer(a, 0.5), rtol=1e-12)
    i32 = np.arange(1, 11, dtype=np.int32)
    got = _plus.accumulate(_CTX.asarray(i32), dtype=np.int64)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got.get(), _plus.accumulate(i32, dtype=np.int64))
    # at: repeated and negative indices apply in order, as NumPy's unbuffered at.
    idx = rng.integers(-50, 50, 300)
    vals = rng.random(300)
    for f, args in ((_plus, (vals,)), (_plus, (2.5,)), (_rel, (vals,)), (_square, ())):
        host = a.copy()
        f.at(host, idx, *args)
        dev = _CTX.asarray(a)
        f.at(dev, _CTX.asarray(idx), *[_CTX.asarray(v) if isinstance(v, np.ndarray) else v
                                       for v in args])
        np.testing.assert_array_equal(dev.get(), host)
    with pytest.raises(IndexError):
        _plus.at(_CTX.asarray(a), _CTX.asarray(np.array([50])), 1.0)
    with pytest.raises(TypeError, match="indices as a DeviceArray"):
        _plus.at(_CTX.asarray(a), idx, 1.0)
    np.testing.assert_allclose(_plus.reduceat(da, _CTX.asarray(np.array([0, 2]))).get(),
                               _plus.reduceat(a, [0, 2]), rtol=1e-12)


@sejit.guvectorize("(n),(n)->()")
def _dot1(a, b, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    out[0] = s


@sejit.guvectorize("(m,n),(n),()->(m)")
def _matvec_plus(A, x, c, y):
    for i in range(A.shape[0]):
        s = c
        for j in range(len(x)):
            s += A[i, j] * x[j]
        y[i] = s


def test_guvectorize_on_device_against_a_python_loop():
    rng = np.random.default_rng(31)
    a, b = rng.random((40, 16)), rng.random(16)
    got = _dot1(_CTX.asarray(a), _CTX.asarray(b))
    assert got.shape == (40,)
    want = [sum(a[r, k] * b[k] for k in range(16)) for r in range(40)]
    np.testing.assert_allclose(got.get(), want, rtol=1e-12)
    got = _dot1(_CTX.asarray(b), _CTX.asarray(b))  # no loop dimension
    assert got.shape == ()
    np.testing.assert_allclose(got.get(), sum(v * v for v in b), rtol=1e-12)
    # Loop dimensions (5, 3) from A, (3,) from x and () from c broadcast as NumPy's gufuncs.
    A, x, c = rng.random((5, 3, 4, 6)), rng.random((3, 6)), rng.random(())
    got = _matvec_plus(_CTX.asarray(A), _CTX.asarray(x), _CTX.asarray(c)).get()
    want = np.empty((5, 3, 4))
    for p in range(5):
        for q in range(3):
            for i in range(4):
                want[p, q, i] = c + sum(A[p, q, i, j] * x[q, j] for j in range(6))
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(got, _matvec_plus(A, x, c), rtol=1e-12)  # the CPU gufunc
    out = _CTX.zeros((5, 3, 4))
    assert _matvec_plus(_CTX.asarray(A), _CTX.asarray(x), _CTX.asarray(c), out=out) is not None
    np.testing.assert_allclose(out.get(), want, rtol=1e-12)
    with pytest.raises(ValueError, match="core dimension 'n'"):
        _dot1(_CTX.asarray(a), _CTX.asarray(b[:5]))
    with pytest.raises(TypeError, match="NumPy array"):
        _dot1(_CTX.asarray(a), b)


def test_eager_signature_ufuncs_on_device():
    # vectorize/guvectorize with signatures make real numpy.ufuncs; on DeviceArrays their
    # function runs on the device, with the dtypes of their own loops.
    @sejit.vectorize(["float64(float64, float64)"])
    def hyp(x, y):
        return (x * x + y * y) ** 0.5

    @sejit.guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(n)->()")
    def dot(a, b, out):
        s = 0.0
        for k in range(a.shape[0]):
            s += a[k] * b[k]
        out[0] = s

    rng = np.random.default_rng(32)
    a, b = rng.random(20), rng.random(20)
    da, db = _CTX.asarray(a), _CTX.asarray(b)
    got = hyp(da, db)
    assert got.dtype == hyp(a, b).dtype
    np.testing.assert_allclose(got.get(), hyp(a, b), rtol=1e-15)
    f32 = hyp(_CTX.asarray(a.astype(np.float32)), 2.0)
    assert f32.dtype == hyp(a.astype(np.float32), 2.0).dtype == np.float64
    np.testing.assert_allclose(hyp.outer(da, db[:3]).get(), hyp.outer(a, b[:3]), rtol=1e-15)
    np.testing.assert_allclose(hyp.accumulate(da).get(), hyp.accumulate(a), rtol=1e-12)
    assert hyp.reduce(da) == pytest.approx(hyp.reduce(a), rel=1e-12)
    m = rng.random((4, 20))
    np.testing.assert_allclose(dot(_CTX.asarray(m), db).get(), dot(m, b), rtol=1e-12)
