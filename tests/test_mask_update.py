"""Masked updates in one nest (issue 15, lower/mask_update.go): Z[I] = Z[I]**2 + C[I] tests the
mask per element instead of gathering, computing and scattering. Checked against NumPy on
all-false, all-true, empty, NaN, strided, 2-D, integer and aliased operands."""
import sys
from pathlib import Path

import numpy as np
import pytest

import sejit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench" / "corpus"))


def upd(Z, C, I):
    Z[I] = Z[I] ** 2 + C[I]
    return Z


def upd_scalars(Z, C, I, a):
    Z[I] = a * Z[I] - C[I] / 2.0 + 1
    return Z


def upd_other(Z, C, I):
    Z[I] = -C[I]
    return Z


def upd_view(Z, I):
    W = Z[::-1]
    Z[I] = W[I] + 1.0
    return Z


def upd_int_from_float(N, X, I):
    N[I] = X[I] * 3
    return N


def not_fused(Z, C, I):
    Z[I] = Z[I] + C[I].sum()  # a reduction: the unfused path
    return Z


def uses_ir(fn, *args):
    text = sejit.jit(fn).explain(*args)
    return text.split("== IR after optimisation ==")[1].split("generated C")[0]


def masks(shape, rng):
    return {"rand": rng.random(shape) < 0.5, "true": np.ones(shape, bool), "false": np.zeros(shape, bool)}


SHAPES = [(), (0,), (1,), (13,), (200,), (7, 9), (0, 3), (3, 4, 5)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("kind", ["rand", "true", "false"])
@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.int64])
def test_update(shape, kind, dtype):
    rng = np.random.default_rng(len(shape) * 100 + sum(shape))
    Z = np.asarray(rng.standard_normal(shape) * 3).astype(dtype)
    C = np.asarray(rng.standard_normal(shape) * 3).astype(dtype)
    I = np.asarray(masks(shape, rng)[kind])
    want = upd(Z.copy(), C, I)
    got = sejit.jit(upd)(Z.copy(), C, I)
    np.testing.assert_array_equal(got, want)
    want = upd_scalars(Z.copy(), C, I, 3)
    got = sejit.jit(upd_scalars)(Z.copy(), C, I, 3)
    np.testing.assert_array_equal(got, want)


def test_nan_strided_and_2d():
    rng = np.random.default_rng(5)
    Zb = rng.standard_normal((30, 40))
    Zb[3, ::2] = np.nan
    Z = Zb[::3, 1::2]
    C = rng.standard_normal((20, 60))[::2, 20:40]
    I = (rng.random((10, 40)) < 0.4)[:, ::2]
    want = upd(Z.copy(), C, I)
    Zs = Zb.copy()[::3, 1::2]  # strided target
    got = sejit.jit(upd)(Zs, C, I)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(Zs, want)
    IT = (rng.random((10, 20)) < 0.5).T.copy().T
    np.testing.assert_array_equal(sejit.jit(upd)(Z.copy(), C, IT), upd(Z.copy(), C, IT))


def test_aliasing():
    rng = np.random.default_rng(6)
    I = rng.random(50) < 0.5
    Z = rng.standard_normal(50)
    np.testing.assert_array_equal(sejit.jit(upd_view)(Z.copy(), I), upd_view(Z.copy(), I))
    # The same buffer passed twice, reversed.
    a, b = Z.copy(), Z.copy()
    want = upd_other(a, a[::-1], I)
    got = sejit.jit(upd_other)(b, b[::-1], I)
    np.testing.assert_array_equal(got, want)
    a, b = Z.copy(), Z.copy()
    np.testing.assert_array_equal(sejit.jit(upd)(b, b[::-1], I), upd(a, a[::-1], I))


def test_cast_into_int():
    rng = np.random.default_rng(7)
    N = rng.integers(0, 10, 40)
    X = rng.standard_normal(40) * 10
    I = X > 0
    np.testing.assert_array_equal(sejit.jit(upd_int_from_float)(N.copy(), X, I), upd_int_from_float(N.copy(), X, I))


def test_mask_extent_error():
    with pytest.raises(IndexError, match="boolean index did not match"):
        sejit.jit(upd)(np.zeros(5), np.zeros(4), np.zeros(5, bool))
    with pytest.raises(IndexError, match="boolean index did not match"):
        sejit.jit(upd)(np.zeros(5), np.zeros(5), np.zeros(4, bool))


def test_one_nest_no_gather():
    args = (np.zeros(4), np.zeros(4), np.zeros(4, bool))
    ir = uses_ir(upd, *args)
    assert "alloc" not in ir and ir.count("nest") == 1
    ir = uses_ir(not_fused, *args)
    assert "alloc" in ir
    Z, C, I = np.arange(5.0), np.ones(5), np.arange(5) % 2 == 0
    np.testing.assert_array_equal(sejit.jit(not_fused)(Z.copy(), C, I), not_fused(Z.copy(), C, I))


def test_mandelbrot_corpus():
    import mandelbrot as M
    args = M.make_args(32)
    Z0, N0 = M.mandelbrot(*args)
    Z1, N1 = sejit.jit(M.mandelbrot)(*args)
    np.testing.assert_array_equal(N1, N0)
    np.testing.assert_allclose(Z1, Z0, rtol=1e-9)
