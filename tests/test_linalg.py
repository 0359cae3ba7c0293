"""np.linalg beyond the conformance cases (tests/test_conf_linalg.py): eigenvectors up to sign,
ill-conditioned matrices against NumPy within tolerance, the ways of naming the functions, the
LAPACK staying attached while BLAS products are off, and the refusals."""

import numpy as np
import numpy.linalg as la
import pytest
import sejit
from conftest import needs_engine
from numpy.linalg import solve as np_solve
from sejit import _blas, jit

pytestmark = needs_engine


def _spd(n, seed=0):
    m = np.random.default_rng(seed).standard_normal((n, n))
    return m @ m.T + n * np.eye(n)


def test_eigh_vectors_up_to_sign():
    @jit
    def f(a):
        return np.linalg.eigh(a)

    a = _spd(6)[:, ::-1][::-1]  # a non-contiguous symmetric view
    keep = a.copy()
    w, v = f(a)
    nw, nv = np.linalg.eigh(a)
    np.testing.assert_allclose(w, nw, rtol=1e-10)
    np.testing.assert_allclose(np.abs(v), np.abs(nv), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(a @ v, v * w, rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(a, keep)


def test_ill_conditioned_matches_numpy():
    n = 8
    hilbert = 1.0 / (np.arange(n)[:, None] + np.arange(n)[None, :] + 1.0)  # cond ~ 1e10
    b = np.ones(n)

    @jit
    def f(a, b):
        return np.linalg.solve(a, b), np.linalg.inv(a), np.linalg.det(a)

    x, ai, d = f(hilbert, b)
    np.testing.assert_allclose(x, np.linalg.solve(hilbert, b), rtol=1e-5)
    np.testing.assert_allclose(ai, np.linalg.inv(hilbert), rtol=1e-5)
    np.testing.assert_allclose(d, np.linalg.det(hilbert), rtol=1e-6)


def test_module_alias_and_imported_name():
    @jit
    def f(a, b):
        return la.solve(a, b) - np_solve(a, b), la.norm(b)

    a, b = _spd(4), np.arange(4.0)
    r, nb = f(a, b)
    assert np.all(r == 0.0)
    assert nb == pytest.approx(np.linalg.norm(b))


def test_lapack_stays_without_blas_products():
    @jit
    def f(a):
        return np.linalg.inv(a)

    a = _spd(5, 3)
    _blas.enable(False)
    try:
        np.testing.assert_allclose(f(a), np.linalg.inv(a), rtol=1e-10)
    finally:
        _blas.enable(True)


def test_singular_message_and_type():
    @jit
    def f(a, b):
        return np.linalg.solve(a, b)

    with pytest.raises(np.linalg.LinAlgError, match="^Singular matrix$"):
        f(np.ones((3, 3)), np.ones(3))


def test_nan_propagates_as_numpy():
    @jit
    def f(a, b):
        return np.linalg.solve(a, b)

    a = _spd(3)
    a[0, 1] = np.nan
    with np.errstate(all="ignore"):
        want = np.linalg.solve(a, np.ones(3))
    got = f(a, np.ones(3))
    assert np.isnan(got).all() == np.isnan(want).all()


def stacked_solve(a, b):
    return np.linalg.solve(a, b)


def complex_rank(a):
    return np.linalg.matrix_rank(a)


def matrix_norm_ord(a):
    return np.linalg.norm(a, 1)


def norm_axis(a):
    return np.linalg.norm(a, axis=(0, 1))


def unsupported_linalg(a):
    return np.linalg.tensorinv(a)


@pytest.mark.parametrize(
    "fn, args, words",
    [
        (stacked_solve, (np.ones((2, 3, 3)), np.ones((2, 3))), "stack of matrices"),
        (complex_rank, (np.eye(2, dtype=np.complex128),), "complex128"),
        (matrix_norm_ord, (np.eye(2, dtype=np.complex128),), "ord"),
        (norm_axis, (np.eye(2),), "pair of axes"),
        (unsupported_linalg, (np.eye(2),), "numpy.linalg.tensorinv"),
    ],
)
def test_refusals_are_positioned(fn, args, words):
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(fn)(*args)
    assert words in str(info.value), str(info.value)
    assert __file__ in str(info.value) and "np.linalg" in str(info.value), str(info.value)


def test_matrix_power_one_is_a_copy():
    # NumPy returns a itself for n == 1; the compiled call returns an equal copy (docs/supported.md)
    @jit
    def f(a, n):
        return np.linalg.matrix_power(a, n)

    a = _spd(4)
    got = f(a, 1)
    np.testing.assert_array_equal(got, np.linalg.matrix_power(a, 1))
    assert not np.shares_memory(got, a)


def test_eig_real_spectrum_is_complex_typed():
    # NumPy returns float64 when every eigenvalue is real; compiled eig is always complex128 with the
    # same values (docs/supported.md), and the eigenvectors satisfy a v = v w
    @jit
    def f(a):
        return np.linalg.eig(a), np.linalg.eigvals(a)

    a = _spd(5, 7)[::-1, ::-1]
    (w, v), w2 = f(a)
    nw, nv = np.linalg.eig(a)
    assert w.dtype == np.complex128 and v.dtype == np.complex128 and nw.dtype == np.float64
    np.testing.assert_allclose(w, nw, rtol=1e-10)
    np.testing.assert_allclose(w2, nw, rtol=1e-10)
    np.testing.assert_allclose(v, nv, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(a @ v, v * w, rtol=1e-8, atol=1e-10)


def test_eig_float32_vectors_satisfy_the_equation():
    @jit
    def f(a):
        return np.linalg.eig(a)

    g = np.random.default_rng(3).standard_normal((6, 6)).astype(np.float32)
    w, v = f(g)
    assert w.dtype == np.complex64 and v.dtype == np.complex64
    np.testing.assert_allclose(np.sort_complex(w), np.sort_complex(np.linalg.eigvals(g)), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(g @ v, v * w, rtol=1e-3, atol=1e-4)


def test_svd_reconstructs_ill_conditioned():
    n = 10
    hilbert = 1.0 / (np.arange(n)[:, None] + np.arange(n)[None, :] + 1.0)

    @jit
    def f(a):
        return np.linalg.svd(a), np.linalg.matrix_rank(a), np.linalg.cond(a), np.linalg.pinv(a)

    (u, s, vh), rank, c, p = f(hilbert)
    nu, ns, nvh = np.linalg.svd(hilbert)
    np.testing.assert_allclose(s, ns, rtol=1e-6, atol=1e-17)
    np.testing.assert_allclose((u * s) @ vh, hilbert, atol=1e-13)
    assert rank == np.linalg.matrix_rank(hilbert)
    assert c == pytest.approx(np.linalg.cond(hilbert), rel=1e-4)
    np.testing.assert_allclose(p, np.linalg.pinv(hilbert), rtol=1e-4, atol=1e-6 * np.abs(p).max())


def test_stacked_eigh_vectors_up_to_sign():
    @jit
    def f(a):
        return np.linalg.eigh(a)

    a = np.stack([_spd(4, k) for k in range(3)])
    w, v = f(a)
    nw, nv = np.linalg.eigh(a)
    np.testing.assert_allclose(w, nw, rtol=1e-10)
    np.testing.assert_allclose(np.abs(v), np.abs(nv), rtol=1e-8, atol=1e-12)


def stacked_b_vector(a, b):
    return np.linalg.solve(a, b)


def lstsq_stack(a, b):
    return np.linalg.lstsq(a, b)


def qr_raw(a):
    return np.linalg.qr(a, mode="raw")


def cond_nuc(a):
    return np.linalg.cond(a, "nuc")


@pytest.mark.parametrize(
    "fn, args, words",
    [
        (stacked_b_vector, (np.ones((2, 3, 3)), np.ones(3)), "same number of dimensions"),
        (stacked_b_vector, (np.eye(3), np.ones((2, 3, 1))), "same number of dimensions"),  # one a, stacked b
        (lstsq_stack, (np.ones((2, 3, 3)), np.ones((2, 3))), "stack of matrices"),
        (qr_raw, (np.eye(2),), "mode"),
        (cond_nuc, (np.eye(2),), "this p"),
    ],
)
def test_new_refusals_are_positioned(fn, args, words):
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(fn)(*args)
    assert words in str(info.value), str(info.value)
    assert __file__ in str(info.value), str(info.value)


def norm(x, kind):
    return x.sum()


def calls_own_norm_with_a_string(x):
    return norm(x, "l2")


def test_positional_option_strings_are_only_for_np_linalg():
    # qr(a, 'r'), cond(a, 'fro') and norm(a, 'nuc') pass a string positionally; a function of the program's
    # own that happens to share the name still gets the usual refusal
    with pytest.raises(sejit.UnsupportedError, match="strings are not supported here"):
        jit(calls_own_norm_with_a_string)(np.ones(3))
