"""Conformance: np.linalg (solve, inv, det, cholesky, eigh, eigvalsh, norm) through the LAPACK of
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
    "la.solve",
    lambda: (_wc(3, 6, np.float32), _rng(7).standard_normal(3).astype(np.float32)),
    lambda: (_wc(4, 8, np.float32), np.eye(4, dtype=np.float32)),
    rtol=1e-4,
)
def float32(a, b):
    # float32 in, float32 out, as NumPy (LAPACK's single precision)
    w = np.linalg.eigvalsh(a @ a.T)
    return np.linalg.solve(a, b), np.linalg.inv(a), np.linalg.det(a), np.linalg.norm(b), w


test_conformance = cases.test()
