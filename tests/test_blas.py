"""Matrix products through NumPy's BLAS (docs/design.md, "Matrix products").

Differential tests of @, np.dot, np.matmul (matrix-matrix through ?gemm, matrix-vector through
?gemv) and the fused epilogue forms (C[:] = alpha * A @ B
+ beta * C, C[:] = A @ B, C += A @ B, C -= A @ B) on every dtype BLAS computes in, below and
above the size from which kernels call ?gemm, on C, F, strided, transposed and reversed operands,
with C aliasing an operand, and on empty and 1 x N shapes; integer products stay loop nests and
exact. BLAS sums in another order than the loop nest, so floats compare with a tolerance; the
gemm call counter of the runtime (sejit._blas.info) shows which path ran.
"""

import numpy as np
import pytest
from conftest import DISABLED, check, check_raises, jitted, make_array

from sejit import _blas

FLOATS = (np.float32, np.float64, np.complex64, np.complex128)
TOL = {np.float32: 2e-4, np.float64: 1e-12, np.complex64: 2e-4, np.complex128: 1e-12}
SMALL, LARGE = (3, 4, 5), (40, 50, 60)  # m, k, n: below and above SEJIT_GEMM_MIN (1024)

needs_blas = pytest.mark.skipif(_blas.info()[0] is None or DISABLED, reason="no BLAS found")


def tol(dt):
    return dict(rtol=TOL[dt], atol=TOL[dt] * 10)


def matmul(a, b):
    return a @ b


def dot(a, b):
    return np.dot(a, b)


def npmatmul(a, b):
    return np.matmul(a, b)


def method(a, b):
    return a.dot(b)


def transposed(a, b):
    return a.T @ b.T


def epilogue(c, a, b, alpha, beta):
    c[:] = alpha * a @ b + beta * c


def epilogue_paren(c, a, b, alpha):
    c[:, :] = alpha * (a @ b)


def assign(c, a, b):
    c[:] = a @ b


def add(c, a, b):
    c += a @ b


def sub(c, a, b):
    c[:] -= a @ b


def self_left(a, b):
    a[:] = a @ b


def self_right(a, b):
    b[:] = a @ b


def calls(fn, *args):
    """The number of BLAS gemm calls fn(*args) made."""
    before = _blas.info()[1]
    fn(*args)
    return _blas.info()[1] - before


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("mkn", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("fn, layout", [(f, "C") for f in (matmul, dot, npmatmul, method)]
                         + [(matmul, lay) for lay in ("F", "strided", "reversed")])
def test_products(dt, mkn, fn, layout):
    m, k, n = mkn
    a, b = make_array((m, k), dt, layout), make_array((k, n), dt, layout, seed=1)
    check(fn, a, b, **tol(dt))


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("mkn", [SMALL, LARGE], ids=["small", "large"])
def test_transposed_and_row_strided(dt, mkn):
    m, k, n = mkn
    check(transposed, make_array((k, m), dt), make_array((n, k), dt, "F", seed=1), **tol(dt))
    # rows of a wider array: unit inner stride, leading dimension 2k
    a = make_array((m, 2 * k), dt)[:, :k]
    check(matmul, a, make_array((k, n), dt, seed=1), **tol(dt))


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("mkn", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("clayout", ["C", "F", "strided"])
def test_epilogue_forms(dt, mkn, clayout):
    m, k, n = mkn
    a, b = make_array((m, k), dt), make_array((k, n), dt, "F", seed=1)
    c = make_array((m, n), dt, clayout, seed=2)
    check(epilogue, c, a, b, 1.5, -0.5, **tol(dt))
    check(epilogue, c, a, b, 2.0, 0.0, **tol(dt))  # beta 0 keeps C's NaNs: the loops run
    check(epilogue_paren, c, a, b, 0.25, **tol(dt))
    check(assign, c, a, b, **tol(dt))
    check(add, c, a, b, **tol(dt))
    check(sub, c, a, b, **tol(dt))


@pytest.mark.parametrize("dt", [np.float64, np.complex64])
@pytest.mark.parametrize("n", [4, 40])
def test_c_aliases_an_operand(dt, n):
    a, b = make_array((n, n), dt), make_array((n, n), dt, seed=1)
    check(self_left, a, b, **tol(dt))
    check(self_right, a, b, **tol(dt))
    check(epilogue, a, a, a, 1.0, 1.0, **tol(dt))
    check(epilogue, a.T, a, b, 1.0, 1.0, **tol(dt))


def test_nan_in_c_with_beta_zero():
    a, b = make_array((40, 40)), make_array((40, 40), seed=1)
    c = np.full((40, 40), np.nan)
    check(epilogue, c, a, b, 1.0, 0.0)
    check(epilogue, make_array((40, 40)), np.full((40, 40), np.inf), b, 0.0, 1.0)


@pytest.mark.parametrize("shape", [((0, 5), (5, 3)), ((5, 0), (0, 3)), ((1, 200), (200, 300)),
                                   ((300, 200), (200, 1)), ((1, 1), (1, 1))])
def test_edge_shapes(shape):
    check(matmul, make_array(shape[0]), make_array(shape[1], seed=1), rtol=1e-12, atol=1e-12)
    c = make_array((shape[0][0], shape[1][1]), seed=2)
    check(epilogue, c, make_array(shape[0]), make_array(shape[1], seed=1), 2.0, 3.0, rtol=1e-12,
          atol=1e-12)


@pytest.mark.parametrize("dt", [np.int32, np.int64])
def test_integer_products_stay_exact(dt):
    a = make_array((50, 60), dt, low=-1000, high=1000)
    b = make_array((60, 70), dt, low=-1000, high=1000, seed=1)
    assert calls(jitted(matmul), a, b) == 0
    check(matmul, a, b)
    c = make_array((50, 70), dt, low=-9, high=9, seed=2)
    check(add, c, a, b)


def test_mixed_dtypes_and_shape_errors():
    check(matmul, make_array((40, 50), np.float32), make_array((50, 60), seed=1), rtol=1e-6)
    check_raises(matmul, make_array((40, 50)), make_array((40, 60)), exc=ValueError)
    check_raises(epilogue, make_array((40, 60)), make_array((40, 50)), make_array((40, 60)),
                 1.0, 1.0, exc=ValueError)


@needs_blas
def test_blas_path_taken():
    a, b = make_array((64, 64)), make_array((64, 64), seed=1)
    assert calls(jitted(matmul), a, b) == 1
    assert calls(jitted(matmul), a[:4, :4], b[:4, :4]) == 0  # under the threshold: loops
    assert calls(jitted(matmul), a[::2, ::2], b[:32, :32]) == 0  # no unit stride: loops
    c = make_array((64, 64), seed=2)
    for fn, args in [(epilogue, (c, a, b, 2.0, 0.5)), (assign, (c, a, b)), (add, (c, a, b)),
                     (sub, (c, a, b)), (epilogue_paren, (c, a, b, 3.0))]:
        assert calls(jitted(fn), *args) == 1, fn.__name__  # fused: one call, no temporary
    assert calls(jitted(self_left), a, b) == 1


@needs_blas
def test_blas_can_be_detached():
    a, b = make_array((64, 64)), make_array((64, 64), seed=1)
    try:
        _blas.enable(False)
        assert calls(jitted(matmul), a, b) == 0
        check(matmul, a, b, rtol=1e-12)
    finally:
        _blas.enable(True)
    assert calls(jitted(matmul), a, b) == 1


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("mk", [(3, 4), (40, 50)], ids=["small", "large"])
@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_matrix_vector(dt, mk, layout):
    m, k = mk
    a = make_array((m, k), dt, layout)
    check(matmul, a, make_array(k, dt, layout, seed=1), **tol(dt))
    check(dot, make_array(m, dt, layout, seed=1), a, **tol(dt))


@needs_blas
def test_gemv_path_taken():
    a, x = make_array((64, 64)), make_array(64, seed=1)
    assert calls(jitted(matmul), a, x) == 1
    assert calls(jitted(dot), x, a.T) == 1
    assert calls(jitted(matmul), a, x[::-1]) == 0  # negative stride: loops
    check(matmul, a, x[::-1], rtol=1e-12)


def chain(a, b, c):
    return a @ b @ c.T


@pytest.mark.parametrize("dt", [np.float32, np.complex128])
def test_chain(dt):
    a, b, c = make_array((40, 50), dt), make_array((50, 60), dt, seed=1), make_array((30, 60), dt, seed=2)
    check(chain, a, b, c, **tol(dt))
    if not DISABLED and _blas.info()[0] is not None:
        assert calls(jitted(chain), a, b, c) == 2


def vdot(a, b):
    return np.vdot(a, b)


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("n", [100, 40000])
@pytest.mark.parametrize("fn", [matmul, dot, vdot])
def test_vector_dot(dt, n, fn):
    x, y = make_array(n, dt), make_array(n, dt, seed=1)
    check(fn, x, y, **tol(dt))
    check(fn, x[::-1], y, **tol(dt))  # a negative stride against a positive one
    check(fn, make_array(n, dt, "strided"), make_array(n, dt, "reversed", seed=1), **tol(dt))


@needs_blas
def test_dot_path_taken():
    x, y = make_array(40000), make_array(40000, seed=1)
    assert calls(jitted(vdot), x, y) == 1
    assert calls(jitted(dot), x[::-1], y) == 1
    assert calls(jitted(dot), x[:100], y[:100]) == 0  # under SEJIT_DOT_MIN: the loop


def reshaped_stack(a, w):
    # npbench's doitgen: a stack of rows times one matrix, through a reshape
    nr, nq, npp = a.shape
    return np.reshape(np.reshape(a, (nr, nq, 1, npp)) @ w, (nr, nq, w.shape[1]))


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("shape", [(2, 3, 4), (7, 6, 9), (3, 2, 4, 5), (0, 4, 5), (5, 0, 3)])
@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_stack_times_matrix(dt, shape, layout):
    # x @ w with x a stack (3 or more axes) and w one matrix: one gemm over the stack's rows when
    # its batch and row axes collapse, the loop nest otherwise; both as NumPy.
    x = make_array(shape, dt, layout)
    w = make_array((shape[-1], 6), dt, seed=1)
    check(matmul, x, w, **tol(dt))
    check(npmatmul, x, w, **tol(dt))
    if len(shape) == 3:
        check(reshaped_stack, np.ascontiguousarray(x), w, **tol(dt))


@needs_blas
def test_stack_times_matrix_calls_blas_once():
    x, w = make_array((6, 8, 32)), make_array((32, 16), seed=1)
    assert calls(jitted(matmul), x, w) == 1
    assert calls(jitted(reshaped_stack), x, w) == 1
    assert calls(jitted(matmul), x[:, :, ::2], w[:16]) == 0  # no unit stride: the loop nest
    assert calls(jitted(matmul), x.transpose(1, 0, 2), w) == 0  # axes that do not collapse
    check(matmul, x.transpose(1, 0, 2), w, rtol=1e-12)


def row_prefix_dot(L, x, i, j):
    # a triangular solve's product: a row's prefix (a view) times a vector's prefix
    return L[i, :j] @ x[:j]


def column_dot(L, x, j):
    return np.dot(L[:j, 0], x[:j])


def forward_subst(L, b):
    x = np.zeros_like(b)
    for i in range(b.shape[0]):
        x[i] = (b[i] - L[i, :i] @ x[:i]) / L[i, i]
    return x


@needs_blas
def test_dot_of_views_path():
    # Views' strides are known only at run time, so the compiled loop is not vectorised: BLAS
    # takes unit-stride views from SEJIT_DOT_MIN_VIEW (64) elements; strided ones and shorter
    # ones stay loops. Values as NumPy's.
    L, x = make_array((300, 300)), make_array(300, seed=1)
    assert calls(jitted(row_prefix_dot), L, x, 5, 200) == 1
    assert calls(jitted(row_prefix_dot), L, x, 5, 40) == 0
    assert calls(jitted(column_dot), L, x, 200) == 0
    for j in (0, 1, 63, 64, 65, 300):
        check(row_prefix_dot, L, x, 7, j, rtol=1e-12)
        check(column_dot, L, x, j, rtol=1e-12)


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_forward_substitution(dt):
    n = 400
    L = (np.tril(make_array((n, n), dt)) + n * np.eye(n)).astype(dt)
    check(forward_subst, L, make_array(n, dt, seed=1), **tol(dt))
