"""Conformance: np.linalg (solve, inv, det, slogdet, cholesky, eigh, eigvalsh, eig, eigvals, svd, qr,
pinv, matrix_rank, cond, norm) through the LAPACK of
NumPy's own OpenBLAS, compared with NumPy's results (tolerances: LAPACK's, since NumPy calls the
same routines on its own copies; eigenvectors are compared up to sign in tests/test_linalg.py).
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)


def _rng(seed):
    return np.random.default_rng(seed)


def _wc(n, seed=0, dtype=np.float64):
    """A well-conditioned n x n matrix."""
    r = _rng(seed)
    return (r.standard_normal((n, n)) + n * np.eye(n)).astype(dtype)


def _spd(n, seed=0, dtype=np.float64):
    r = _rng(seed)
    m = r.standard_normal((n, n))
    return (m @ m.T + n * np.eye(n)).astype(dtype)


@cases.add(
    "la.solve",
    lambda: (_wc(4), _rng(1).standard_normal(4)),
    lambda: (_wc(6, 2), _rng(3).standard_normal((6, 3))),
    lambda: (_wc(5, 4).T, _rng(5).standard_normal((10, 2))[::2]),  # non-contiguous a and b
    lambda: (np.array([[2, 1], [1, 3]]), np.array([1, 2])),  # integers compute in float64
    lambda: (np.zeros((0, 0)), np.zeros(0)),
    rtol=1e-9,
)
def solve(a, b):
    x = np.linalg.solve(a, b)
    return x, a, b


@cases.add("la.solve", lambda: (np.array([[1.0, 2.0], [2.0, 4.0]]), np.ones(2)), raises=np.linalg.LinAlgError,
           match=True)
def solve_singular(a, b):
    return np.linalg.solve(a, b)


@cases.add(
    "la.solve",
    lambda: (_wc(5),),
    lambda: (_wc(4, 3)[:, ::-1],),
    lambda: (np.array([[4, 7], [2, 6]]),),
    rtol=1e-9,
)
def inv(a):
    return np.linalg.inv(a), a


@cases.add("la.solve", lambda: (np.zeros((3, 3)),), raises=np.linalg.LinAlgError, match=True)
def inv_singular(a):
    return np.linalg.inv(a)


@cases.add("la.solve", lambda: (np.ones((2, 3)),), raises=np.linalg.LinAlgError, match=True)
def inv_not_square(a):
    return np.linalg.inv(a)


@cases.add(
    "la.det",
    lambda: (_wc(5),),
    lambda: (_wc(6, 1).T,),
    lambda: (np.array([[1.0, 2.0], [2.0, 4.0]]),),  # singular: 0.0
    lambda: (np.array([[0, 1], [1, 0]]),),
    lambda: (np.zeros((0, 0)),),
    rtol=1e-9,
)
def det(a):
    return np.linalg.det(a)


@cases.add(
    "la.cholesky",
    lambda: (_spd(5),),
    lambda: (_spd(4, 2)[::-1, ::-1].copy().T,),
    rtol=1e-9,
)
def cholesky(a):
    return np.linalg.cholesky(a), a


@cases.add("la.cholesky", lambda: (np.array([[1.0, 2.0], [2.0, 1.0]]),), raises=np.linalg.LinAlgError, match=True)
def cholesky_indefinite(a):
    return np.linalg.cholesky(a)


@cases.add("la.eigh", lambda: (_spd(5),), lambda: (np.array([[2.0, 1.0], [1.0, 2.0]]),),
           rtol=1e-9)
def eigvalsh(a):
    return np.linalg.eigvalsh(a), np.linalg.eigh(a)[0], a


@cases.add(
    "la.norm",
    lambda: (_rng(0).standard_normal(7),),
    lambda: (_rng(1).standard_normal((4, 3)),),
    lambda: (_rng(2).standard_normal((6, 5))[::2, ::-1],),
    lambda: (np.arange(5),),
    lambda: (np.arange(4, dtype=np.float32),),
    lambda: (np.zeros(0),),
    rtol=1e-12,
)
def norm(x):
    return np.linalg.norm(x)


@cases.add("la.norm", lambda: (np.array([3.0, -4.0, 0.0, 1.5]),), lambda: (np.arange(-3, 3),), rtol=1e-12)
def norm_ords(x):
    return (np.linalg.norm(x, 1), np.linalg.norm(x, ord=2), np.linalg.norm(x, np.inf),
            np.linalg.norm(x, ord=-np.inf), np.linalg.norm(x, 0), np.linalg.norm(x, ord=None))


@cases.add(
    "la.norm",
    lambda: (_rng(3).standard_normal((5, 7)),),
    lambda: (_rng(4).standard_normal((4, 6))[::2, ::-1],),
    lambda: (np.array([[3.0, -4.0, 0.0], [np.nan, 1.0, -2.0]]),),
    lambda: (np.arange(12).reshape(3, 4),),
    lambda: (_rng(5).standard_normal((3, 4)).astype(np.float32),),
    rtol=1e-6,
)
def norm_axis(x):
    return (np.linalg.norm(x, axis=1), np.linalg.norm(x, axis=0, keepdims=True),
            np.linalg.norm(x, 1, axis=1, keepdims=True), np.linalg.norm(x, ord=np.inf, axis=0),
            np.linalg.norm(x, -np.inf, axis=-1), np.linalg.norm(x, 0, axis=1), np.linalg.norm(x, 2, axis=(0,)))


@cases.add("la.norm", lambda: (_rng(6).standard_normal((2, 3, 4)),), lambda: (np.zeros((0, 3)),), rtol=1e-12)
def norm_axis_3d(x):
    return np.linalg.norm(x, axis=-1, keepdims=True), np.linalg.norm(x, ord=1, axis=0), np.linalg.norm(x, np.inf, axis=0)


@cases.add("la.norm", lambda: (np.zeros(0),), lambda: (np.zeros(0, dtype=np.complex128),), rtol=1e-12)
def norm_empty_inf(x):
    return np.linalg.norm(x, np.inf), np.linalg.norm(x, 1), np.linalg.norm(x, 0)


@cases.add("la.norm", lambda: (np.zeros(0),), lambda: (np.zeros(0, dtype=np.complex128),), raises=ValueError,
           match=True)
def norm_empty_minus_inf(x):
    return np.linalg.norm(x, -np.inf)


@cases.add("la.norm", lambda: (np.zeros((0, 3)),), raises=ValueError, match=True)
def norm_axis_empty_min(x):
    return np.linalg.norm(x, -np.inf, axis=0)


@cases.add(
    "la.solve",
    lambda: (_wc(3, 6, np.float32), _rng(7).standard_normal(3).astype(np.float32)),
    lambda: (_wc(4, 8, np.float32), np.eye(4, dtype=np.float32)),
    rtol=1e-4,
)
def float32(a, b):
    # float32 in, float32 out, as NumPy (LAPACK's single precision)
    w = np.linalg.eigvalsh(a @ a.T)
    return np.linalg.solve(a, b), np.linalg.inv(a), np.linalg.det(a), np.linalg.norm(b), w


def _hilbert(n, dtype=np.float64):
    """Ill-conditioned (cond ~ 1e10 for n = 8)."""
    return (1.0 / (np.arange(n)[:, None] + np.arange(n)[None, :] + 1.0)).astype(dtype)


def _lowrank(m, n, r, seed=0):
    """An m x n matrix of rank r."""
    g = _rng(seed)
    return g.standard_normal((m, r)) @ g.standard_normal((r, n))


@cases.add(
    "la.det",
    lambda: (_wc(5),),
    lambda: (_wc(6, 1).T,),  # non-contiguous
    lambda: (-_wc(3, 2),),  # negative determinant
    lambda: (np.array([[1.0, 2.0], [2.0, 4.0]]),),  # singular: (0, -inf)
    lambda: (np.array([[0, 1], [1, 0]]),),  # integers, a row swap
    lambda: (np.zeros((0, 0)),),
    lambda: (_hilbert(8),),
    lambda: (_wc(40, 3) * 1e3,),  # det overflows in neither: log form
    rtol=1e-9,
)
def slogdet(a):
    sign, logdet = np.linalg.slogdet(a)
    return sign, logdet, a


@cases.add("la.det", lambda: (_wc(4, 5, np.float32),), rtol=1e-4)
def slogdet_f32(a):
    return np.linalg.slogdet(a)


@cases.add("la.det", lambda: (np.ones((2, 3)),), raises=np.linalg.LinAlgError, match=True)
def slogdet_not_square(a):
    return np.linalg.slogdet(a)


@cases.add(
    "la.svd",
    lambda: (_rng(0).standard_normal((6, 4)),),
    lambda: (_rng(1).standard_normal((4, 6)),),
    lambda: (_rng(2).standard_normal((7, 5))[::-1, ::2],),  # non-contiguous
    lambda: (_lowrank(5, 5, 2),),  # rank-deficient
    lambda: (np.arange(12).reshape(3, 4),),  # integers
    lambda: (np.zeros((0, 3)),),
    lambda: (np.zeros((3, 0)),),
    rtol=1e-8,
    atol=1e-12,
)
def svd(a):
    u, s, vh = np.linalg.svd(a)
    return u, s, vh, a


@cases.add(
    "la.svd",
    lambda: (_rng(3).standard_normal((6, 4)),),
    lambda: (_rng(4).standard_normal((3, 5)).T,),
    lambda: (np.zeros((0, 2)),),
    rtol=1e-8,
    atol=1e-12,
)
def svd_reduced(a):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return u, s, vh, np.linalg.svd(a, compute_uv=False), np.linalg.svd(a, False, False)


@cases.add("la.svd", lambda: (_rng(5).standard_normal((5, 3)).astype(np.float32),), rtol=1e-4, atol=1e-6)
def svd_f32(a):
    return np.linalg.svd(a), np.linalg.svd(a, compute_uv=False)


@cases.add(
    "la.svd",
    lambda: (_rng(6).standard_normal((6, 4)),),
    lambda: (_rng(7).standard_normal((4, 6))[:, ::-1],),
    lambda: (_lowrank(6, 5, 3, 8),),  # the rcond cutoff drops the rank's noise
    lambda: (np.array([[1, 2], [2, 4], [3, 6]]),),
    lambda: (np.zeros((0, 3)),),
    lambda: (np.zeros((3, 3)),),
    rtol=1e-8,
    atol=1e-12,
)
def pinv(a):
    return np.linalg.pinv(a), np.linalg.pinv(a, 1e-3), np.linalg.pinv(a, rcond=0.5)


@cases.add("la.svd", lambda: (_rng(9).standard_normal((4, 3)).astype(np.float32),), rtol=1e-4, atol=1e-6)
def pinv_f32(a):
    return np.linalg.pinv(a)


@cases.add(
    "la.svd",
    lambda: (_rng(10).standard_normal((5, 4)),),
    lambda: (_lowrank(6, 6, 4, 11),),
    lambda: (_lowrank(5, 8, 2, 12)[:, ::2],),
    lambda: (np.zeros((3, 4)),),
    lambda: (np.eye(5, dtype=np.float32),),
    lambda: (_hilbert(12),),  # numerically rank-deficient
    lambda: (np.ones((4, 4), dtype=np.int64),),
    lambda: (np.zeros((0, 4)),),
)
def matrix_rank(a):
    return np.linalg.matrix_rank(a), np.linalg.matrix_rank(a, 0.5), np.linalg.matrix_rank(a, tol=1e-20)


@cases.add(
    "la.cond",
    lambda: (_wc(5, 13),),
    lambda: (_wc(4, 14)[::-1].T,),
    lambda: (_hilbert(6),),
    lambda: (np.array([[1.0, 2.0], [2.0, 4.0]]),),  # singular: inf for every p
    lambda: (np.zeros((3, 3)),),
    lambda: (np.array([[2, 1], [1, 3]]),),
    rtol=1e-6,
)
def cond(a):
    return (np.linalg.cond(a), np.linalg.cond(a, 2), np.linalg.cond(a, -2), np.linalg.cond(a, "fro"),
            np.linalg.cond(a, p=1), np.linalg.cond(a, -1), np.linalg.cond(a, np.inf), np.linalg.cond(a, p=-np.inf))


@cases.add("la.cond", lambda: (_rng(15).standard_normal((5, 3)),), lambda: (_rng(16).standard_normal((2, 6)),),
           rtol=1e-9)
def cond_rectangular(a):
    return np.linalg.cond(a), np.linalg.cond(a, -2)


@cases.add("la.cond", lambda: (_wc(4, 17, np.float32),), rtol=1e-4)
def cond_f32(a):
    return np.linalg.cond(a), np.linalg.cond(a, "fro"), np.linalg.cond(a, 1)


@cases.add("la.cond", lambda: (np.ones((2, 3)),), raises=np.linalg.LinAlgError, match=True)
def cond_fro_not_square(a):
    return np.linalg.cond(a, "fro")


@cases.add("la.cond", lambda: (np.zeros((0, 0)),), lambda: (np.zeros((0, 3)),), raises=np.linalg.LinAlgError,
           match=True)
def cond_empty(a):
    return np.linalg.cond(a)


@cases.add(
    "la.qr",
    lambda: (_rng(18).standard_normal((6, 4)),),
    lambda: (_rng(19).standard_normal((4, 6)),),
    lambda: (_rng(20).standard_normal((5, 5))[:, ::-1],),  # non-contiguous
    lambda: (_lowrank(5, 4, 2, 21),),
    lambda: (np.arange(6).reshape(3, 2),),  # integers
    lambda: (np.zeros((3, 0)),),
    lambda: (np.zeros((0, 3)),),
    rtol=1e-9,
    atol=1e-12,
)
def qr(a):
    q, r = np.linalg.qr(a)
    qc, rc = np.linalg.qr(a, mode="complete")
    return q, r, qc, rc, np.linalg.qr(a, "r"), np.linalg.qr(a, mode="reduced")[0], a


@cases.add("la.qr", lambda: (_rng(22).standard_normal((5, 3)).astype(np.float32),), rtol=1e-4, atol=1e-6)
def qr_f32(a):
    return np.linalg.qr(a), np.linalg.qr(a, "complete")


def _rotation_like(n, seed):
    """A real matrix with complex eigenvalues (NumPy then returns complex results too)."""
    g = _rng(seed)
    m = g.standard_normal((n, n))
    return m - m.T + 0.1 * np.eye(n)


@cases.add(
    "la.eig",
    lambda: (_rotation_like(4, 23),),
    lambda: (_rotation_like(5, 24)[::-1, ::-1],),  # non-contiguous
    lambda: (np.array([[0.0, -1.0], [1.0, 0.0]]),),
    lambda: (np.array([[0, -2], [2, 0]]),),  # integers
    rtol=1e-8,
    atol=1e-12,
)
def eig(a):
    w, v = np.linalg.eig(a)
    return w, v, np.linalg.eigvals(a), a


@cases.add("la.eig", lambda: (_rotation_like(4, 25).astype(np.float32),), rtol=1e-4, atol=1e-6)
def eig_f32(a):
    # single precision: geev's vectors may differ from NumPy's by a sign (its workspace differs), so
    # their moduli are compared
    w, v = np.linalg.eig(a)
    return w, np.abs(v), np.linalg.eigvals(a)


@cases.add("la.eig", lambda: (np.ones((2, 3)),), raises=np.linalg.LinAlgError, match=True)
def eig_not_square(a):
    return np.linalg.eig(a)


@cases.add("la.eig", lambda: (np.ones((3, 2)),), raises=np.linalg.LinAlgError, match=True)
def eigvals_not_square(a):
    return np.linalg.eigvals(a)


def _stack(shape, seed=0, dtype=np.float64):
    """A stack of well-conditioned square matrices of shape (..., n, n)."""
    n = shape[-1]
    return (_rng(seed).standard_normal(shape) + n * np.eye(n)).astype(dtype)


def _spd_stack(shape, seed=0):
    a = _stack(shape, seed)
    return a @ np.swapaxes(a, -1, -2)


@cases.add(
    "la.solve",
    lambda: (_stack((3, 4, 4)), _rng(1).standard_normal((3, 4, 2))),
    lambda: (_stack((2, 2, 3, 3), 2), _rng(3).standard_normal((2, 2, 3, 1))),
    lambda: (np.swapaxes(_stack((2, 5, 5), 4), -1, -2), _rng(5).standard_normal((2, 5, 6))[:, :, ::2]),
    lambda: (_stack((0, 3, 3)), np.zeros((0, 3, 2))),
    rtol=1e-9,
)
def solve_stacked(a, b):
    return np.linalg.solve(a, b), np.linalg.inv(a), np.linalg.det(a), np.linalg.slogdet(a)


@cases.add("la.solve", lambda: (_stack((3, 3, 3), 6, np.float32),), rtol=1e-4)
def inv_stacked_f32(a):
    return np.linalg.inv(a), np.linalg.det(a)


@cases.add("la.solve", lambda: (np.stack([np.eye(3), np.ones((3, 3))]),), raises=np.linalg.LinAlgError, match=True)
def inv_stacked_singular(a):
    return np.linalg.inv(a)


@cases.add("la.det", lambda: (np.stack([np.eye(2), np.ones((2, 2)), -np.eye(2)]),), rtol=1e-12)
def det_stacked_singular(a):
    # one singular matrix among others: 0 and (0, -inf) in its place only
    return np.linalg.det(a), np.linalg.slogdet(a)


@cases.add("la.cholesky", lambda: (_spd_stack((2, 3, 4, 4), 7),), lambda: (_spd_stack((3, 2, 2), 8)[::-1],),
           rtol=1e-9)
def cholesky_stacked(a):
    return np.linalg.cholesky(a)


@cases.add("la.eigh", lambda: (_spd_stack((3, 5, 5), 9),), lambda: (_spd_stack((2, 2, 3, 3), 10),), rtol=1e-9)
def eigvalsh_stacked(a):
    return np.linalg.eigvalsh(a), np.linalg.eigh(a)[0]


@cases.add(
    "la.svd",
    lambda: (_rng(11).standard_normal((3, 5, 4)),),
    lambda: (_rng(12).standard_normal((2, 2, 3, 6))[..., ::-1],),
    rtol=1e-8,
    atol=1e-12,
)
def svd_stacked(a):
    return np.linalg.svd(a), np.linalg.svd(a, full_matrices=False), np.linalg.svd(a, compute_uv=False)


@cases.add(
    "la.qr",
    lambda: (_rng(13).standard_normal((3, 5, 4)),),
    lambda: (_rng(14).standard_normal((2, 3, 6)),),
    rtol=1e-9,
    atol=1e-12,
)
def qr_stacked(a):
    return np.linalg.qr(a), np.linalg.qr(a, "complete"), np.linalg.qr(a, "r")


@cases.add(
    "la.lstsq",
    lambda: (_rng(30).standard_normal((6, 3)), _rng(31).standard_normal(6)),  # overdetermined: residuals
    lambda: (_rng(32).standard_normal((7, 4)), _rng(33).standard_normal((7, 2))),
    lambda: (_rng(34).standard_normal((3, 6)), _rng(35).standard_normal(3)),  # underdetermined: none
    lambda: (_lowrank(6, 4, 2, 36), _rng(37).standard_normal(6)),  # rank-deficient: none
    lambda: (_rng(38).standard_normal((8, 5))[::2, ::-1], _rng(39).standard_normal((8, 3))[::2]),
    lambda: (np.array([[1, 1], [1, 2], [1, 3]]), np.array([1, 2, 2])),  # integers
    lambda: (np.zeros((3, 0)), np.ones((3, 2))),
    lambda: (np.zeros((0, 3)), np.zeros(0)),
    lambda: (_hilbert(8)[:, :6], np.ones(8)),  # ill-conditioned
    rtol=1e-7,
    atol=1e-10,
)
def lstsq(a, b):
    return np.linalg.lstsq(a, b), np.linalg.lstsq(a, b, rcond=1e-3), np.linalg.lstsq(a, b, None)


@cases.add("la.lstsq", lambda: (_rng(40).standard_normal((5, 3)).astype(np.float32),
                                _rng(41).standard_normal(5).astype(np.float32)), rtol=1e-4, atol=1e-6)
def lstsq_f32(a, b):
    return np.linalg.lstsq(a, b)


@cases.add("la.lstsq", lambda: (np.ones((3, 2)), np.ones(4)), raises=np.linalg.LinAlgError, match=True)
def lstsq_incompatible(a, b):
    return np.linalg.lstsq(a, b)


def _contracting(n, seed):
    """A matrix whose powers stay of moderate size."""
    return _rng(seed).standard_normal((n, n)) / (2 * np.sqrt(n)) + 0.5 * np.eye(n)


@cases.add(
    "la.multidot",
    lambda: (_contracting(4, 42), 0),
    lambda: (_contracting(4, 43), 2),
    lambda: (_contracting(5, 44)[::-1], 3),  # non-contiguous
    lambda: (_contracting(5, 45), 4),
    lambda: (_contracting(3, 46), 13),
    lambda: (_contracting(6, 47), -1),
    lambda: (_contracting(6, 48).T, -5),
    lambda: (_contracting(80, 49), 9),  # large enough for BLAS's gemm
    lambda: (np.zeros((0, 0)), 3),
    rtol=1e-9,
    atol=1e-13,
)
def matrix_power(a, n):
    return np.linalg.matrix_power(a, n)


@cases.add("la.multidot", lambda: (_contracting(4, 50).astype(np.float32), 6), rtol=1e-4)
def matrix_power_f32(a, n):
    return np.linalg.matrix_power(a, n)


@cases.add("la.multidot", lambda: (np.ones((3, 3)), -2), raises=np.linalg.LinAlgError, match=True)
def matrix_power_singular(a, n):
    return np.linalg.matrix_power(a, n)


@cases.add("la.multidot", lambda: (np.ones((2, 3)), 2), raises=np.linalg.LinAlgError, match=True)
def matrix_power_not_square(a, n):
    return np.linalg.matrix_power(a, n)


@cases.add(
    "la.multidot",
    lambda: (_rng(51).standard_normal((4, 6)), _rng(52).standard_normal((6, 3)), _rng(53).standard_normal((3, 5)),
             _rng(54).standard_normal(5)),
    lambda: (_rng(55).standard_normal((8, 6))[::2], _rng(56).standard_normal((6, 3)),
             _rng(57).standard_normal((5, 3)).T, _rng(58).standard_normal(5)),
    lambda: (np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4), np.ones((4, 2), dtype=np.int64),
             np.arange(2)),  # integers stay integers
    rtol=1e-9,
)
def multi_dot(a, b, c, v):
    w = np.ones(a.shape[0], dtype=a.dtype)
    return (np.linalg.multi_dot([a, b]), np.linalg.multi_dot([a, b, c]), np.linalg.multi_dot((a, b, c, v)),
            np.linalg.multi_dot([w, a, b, c, v]), np.linalg.multi_dot([w, a]))


def _cwc(shape, seed=0, dtype=np.complex128):
    """Well-conditioned complex square matrices of shape (..., n, n)."""
    g = _rng(seed)
    n = shape[-1]
    return (g.standard_normal(shape) + 1j * g.standard_normal(shape) + n * np.eye(n)).astype(dtype)


def _cplx(shape, seed=0, dtype=np.complex128):
    g = _rng(seed)
    return (g.standard_normal(shape) + 1j * g.standard_normal(shape)).astype(dtype)


def _herm(shape, seed=0, dtype=np.complex128):
    a = _cwc(shape, seed)
    return (a @ np.swapaxes(a, -1, -2).conj()).astype(dtype)


@cases.add(
    "la.solve",
    lambda: (_cwc((4, 4), 60), _cplx((4, 2), 61)),
    lambda: (_cwc((5, 5), 62).T, _cplx(5, 63)),  # non-contiguous a, a vector b
    lambda: (_cwc((3, 4, 4), 64), _cplx((3, 4, 1), 65)),  # stacked
    lambda: (_cwc((4, 4), 66), _rng(67).standard_normal(4)),  # a complex a with a real b
    rtol=1e-9,
)
def complex_solve(a, b):
    return np.linalg.solve(a, b), np.linalg.inv(a), np.linalg.det(a), np.linalg.slogdet(a)


@cases.add("la.solve", lambda: (_cwc((3, 3), 68, np.complex64), _cplx((3, 2), 69, np.complex64)), rtol=1e-4)
def complex64_solve(a, b):
    return np.linalg.solve(a, b), np.linalg.inv(a), np.linalg.det(a), np.linalg.slogdet(a)


@cases.add("la.solve", lambda: (np.array([[1, 1j], [1j, -1]]),), raises=np.linalg.LinAlgError, match=True)
def complex_inv_singular(a):
    return np.linalg.inv(a)


@cases.add("la.det", lambda: (np.array([[1, 1j], [1j, -1]]),), lambda: (np.array([[0, 1j], [1, 0]]),), rtol=1e-12)
def complex_det_special(a):
    # singular: 0 and (0, -inf); a row swap with an imaginary pivot: the sign's phase
    return np.linalg.det(a), np.linalg.slogdet(a)


@cases.add("la.cholesky", lambda: (_herm((4, 4), 70),), lambda: (_herm((2, 3, 3), 71),), rtol=1e-9)
def complex_cholesky(a):
    return np.linalg.cholesky(a)


@cases.add("la.cholesky", lambda: (np.array([[1, 2j], [-2j, 1]]),), raises=np.linalg.LinAlgError, match=True)
def complex_cholesky_indefinite(a):
    return np.linalg.cholesky(a)


@cases.add("la.eigh", lambda: (_herm((5, 5), 72),), lambda: (_herm((2, 4, 4), 73, np.complex64),), rtol=1e-4)
def complex_eigvalsh(a):
    return np.linalg.eigvalsh(a), np.linalg.eigh(a)[0]


@cases.add(
    "la.svd",
    lambda: (_cplx((5, 3), 74),),
    lambda: (_cplx((3, 6), 75)[:, ::-1],),
    lambda: (_cplx((2, 4, 3), 76),),  # stacked
    lambda: (_cplx((4, 3), 77, np.complex64),),
    rtol=1e-4,
    atol=1e-6,
)
def complex_svd(a):
    return np.linalg.svd(a), np.linalg.svd(a, full_matrices=False), np.linalg.svd(a, compute_uv=False)


@cases.add(
    "la.qr",
    lambda: (_cplx((5, 3), 78),),
    lambda: (_cplx((3, 5), 79).T,),
    lambda: (_cplx((2, 3, 4), 80),),
    lambda: (_cplx((4, 4), 81, np.complex64),),
    rtol=1e-4,
    atol=1e-6,
)
def complex_qr(a):
    return np.linalg.qr(a), np.linalg.qr(a, "complete"), np.linalg.qr(a, "r")


@cases.add(
    "la.eig",
    lambda: (_cplx((4, 4), 82),),
    lambda: (_cplx((5, 5), 83)[::-1].T,),  # non-contiguous
    lambda: (_cplx((3, 3), 84, np.complex64),),
    rtol=1e-4,
    atol=1e-6,
)
def complex_eig(a):
    w, v = np.linalg.eig(a)
    return w, v, np.linalg.eigvals(a)


@cases.add(
    "la.svd",
    lambda: (_cplx((5, 3), 85),),
    lambda: (_cplx((3, 6), 86).T,),
    lambda: (_cplx((4, 3), 87, np.complex64),),
    rtol=1e-4,
    atol=1e-6,
)
def complex_pinv(a):
    return np.linalg.pinv(a), np.linalg.pinv(a, 1e-2)


@cases.add(
    "la.lstsq",
    lambda: (_cplx((6, 3), 88), _cplx(6, 89)),  # residuals
    lambda: (_cplx((3, 5), 90), _cplx((3, 2), 91)),  # none
    lambda: (_cplx((5, 3), 92, np.complex64), _cplx((5, 2), 93, np.complex64)),
    rtol=1e-4,
    atol=1e-6,
)
def complex_lstsq(a, b):
    return np.linalg.lstsq(a, b)


@cases.add(
    "la.norm",
    lambda: (_cplx(7, 94),),
    lambda: (_cplx((4, 3), 95),),
    lambda: (_cplx((6, 4), 96)[::2, ::-1],),
    lambda: (_cplx(5, 97, np.complex64),),
    lambda: (np.array([3 + 4j, 0, -1j]),),
    rtol=1e-6,
)
def complex_norm(x):
    return np.linalg.norm(x)


@cases.add("la.norm", lambda: (np.array([3 + 4j, 0, -1j, 2.5]),), lambda: (_cplx(6, 98),), rtol=1e-12)
def complex_norm_ords(x):
    return (np.linalg.norm(x, 1), np.linalg.norm(x, np.inf), np.linalg.norm(x, -np.inf), np.linalg.norm(x, 0),
            np.linalg.norm(x, 2))


@cases.add(
    "la.outer",
    lambda: (_rng(100).standard_normal((3, 4)), _rng(101).standard_normal((5, 4)), _rng(102).standard_normal(4)),
    lambda: (_rng(103).standard_normal((4, 6))[:, ::2], _rng(104).standard_normal((3, 3)).T,
             _rng(105).standard_normal(6)[::2]),  # non-contiguous
    lambda: (np.arange(6).reshape(2, 3), np.arange(12).reshape(4, 3), np.arange(3)),  # integers
    lambda: (_cplx((2, 3), 106), _cplx((2, 3), 107), _cplx(3, 108)),  # complex: no conjugation
    rtol=1e-12,
)
def inner(a, b, v):
    return np.inner(v, v), np.inner(a, v), np.inner(v, b), np.inner(a, b)


@cases.add("la.outer", lambda: (np.ones((2, 3)), np.ones((2, 4))), raises=ValueError)
def inner_misaligned(a, b):
    return np.inner(a, b)


@cases.add(
    "la.norm",
    lambda: (_rng(110).standard_normal((4, 3)),),
    lambda: (_rng(111).standard_normal((3, 6))[::-1, ::2],),  # non-contiguous
    lambda: (np.arange(6).reshape(2, 3),),  # integers
    lambda: (_lowrank(5, 5, 2, 112),),  # rank-deficient: -2 is rounding noise, compared absolutely
    rtol=1e-9,
    atol=1e-12,
)
def matrix_norms(a):
    return (np.linalg.norm(a), np.linalg.norm(a, "fro"), np.linalg.norm(a, "nuc"), np.linalg.norm(a, 1),
            np.linalg.norm(a, 2), np.linalg.norm(a, -2), np.linalg.norm(a, -1), np.linalg.norm(a, ord=np.inf),
            np.linalg.norm(a, ord=-np.inf))


@cases.add("la.norm", lambda: (np.zeros((0, 3)),), lambda: (np.zeros((3, 0)),), rtol=1e-12)
def matrix_norms_empty(a):
    # NumPy's maxima over nothing are 0
    return (np.linalg.norm(a), np.linalg.norm(a, "fro"), np.linalg.norm(a, "nuc"), np.linalg.norm(a, 2),
            np.linalg.norm(a, 1), np.linalg.norm(a, np.inf))


@cases.add("la.norm", lambda: (_rng(113).standard_normal((3, 4)).astype(np.float32),), rtol=1e-5)
def matrix_norms_f32(a):
    return np.linalg.norm(a, 2), np.linalg.norm(a, "nuc"), np.linalg.norm(a, 1), np.linalg.norm(a, -np.inf)


@cases.add("la.norm", lambda: (np.zeros((0, 3)),), lambda: (np.zeros((3, 0)),), raises=ValueError, match=True)
def matrix_norm_minus2_empty(a):
    return np.linalg.norm(a, -2)


def _with_nan(n, seed):
    a = _wc(n, seed)
    a[1, 0] = np.nan
    return a


@cases.add("la.eig", lambda: (_with_nan(3, 120),), lambda: (np.array([[1.0, np.inf], [0.0, 1.0]]),),
           lambda: (np.array([[1j, np.nan], [0, 1]]),), raises=np.linalg.LinAlgError, match=True)
def eig_not_finite(a):
    return np.linalg.eigvals(a)


@cases.add("la.svd", lambda: (_with_nan(4, 121),), raises=np.linalg.LinAlgError, match=True)
def svd_nan(a):
    return np.linalg.svd(a)


@cases.add("la.solve", lambda: (_stack((3, 70, 70), 122),), rtol=1e-9)
def inv_stacked_large(a):
    # matrices above the size whose pivots live on the stack
    return np.linalg.inv(a), np.linalg.det(a)


@cases.add(
    "la.svd",
    lambda: (_rng(123).standard_normal((3, 5, 4)),),
    lambda: (np.stack([_lowrank(4, 4, 2, 124), np.eye(4), np.zeros((4, 4))]),),  # ranks 2, 4, 0
    lambda: (_rng(125).standard_normal((2, 2, 3, 5))[..., ::-1],),
    rtol=1e-8,
    atol=1e-12,
)
def pinv_rank_stacked(a):
    return np.linalg.pinv(a), np.linalg.matrix_rank(a), np.linalg.matrix_rank(a, 0.5)


@cases.add(
    "la.cond",
    lambda: (_stack((3, 4, 4), 126),),
    lambda: (np.stack([np.eye(3), np.ones((3, 3)), 2 * np.eye(3)]),),  # a singular one: inf in its place
    rtol=1e-6,
)
def cond_stacked(a):
    return np.linalg.cond(a), np.linalg.cond(a, -2), np.linalg.cond(a, "fro"), np.linalg.cond(a, np.inf)


@cases.add(
    "la.eig",
    lambda: (np.stack([_rotation_like(4, 127), _rotation_like(4, 128)]),),
    lambda: (_cplx((2, 3, 3), 129),),
    rtol=1e-8,
    atol=1e-12,
)
def eig_stacked(a):
    w, v = np.linalg.eig(a)
    return w, v, np.linalg.eigvals(a)


test_conformance = cases.test()
