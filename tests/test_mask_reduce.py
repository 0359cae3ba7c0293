"""Reductions of a mask selection in one pass (issue 15, lower/mask_reduce.go): x[mask].sum(),
.mean(), .max(), .min(), np.<name>(x[mask]), len(x[mask]) and x[mask].size never build the
selection. Checked against NumPy and, bit for bit, against the unfused path (the selection bound
to a name first), whose blocked sum the fused float sum reproduces."""
import warnings

import numpy as np
import pytest

import sejit


def m_sum(x, m):
    return x[m].sum()


def m_mean(x, m):
    return x[m].mean()


def m_max(x, m):
    return x[m].max()


def m_min(x, m):
    return x[m].min()


def np_sum(x, m):
    return np.sum(x[m])


def np_mean(x, m):
    return np.mean(x[m])


def np_max(x, m):
    return np.max(x[m])


def np_amin(x, m):
    return np.amin(x[m])


def m_len(x, m):
    return len(x[m])


def m_size(x, m):
    return x[m].size


def u_sum(x, m):
    y = x[m]
    z = y  # a named selection read by the next statement only is forwarded; this one is built
    return z.sum()


def u_mean(x, m):
    y = x[m]
    z = y  # a named selection read by the next statement only is forwarded; this one is built
    return z.mean()


def u_max(x, m):
    y = x[m]
    z = y  # a named selection read by the next statement only is forwarded; this one is built
    return z.max()


def u_min(x, m):
    y = x[m]
    z = y  # a named selection read by the next statement only is forwarded; this one is built
    return z.min()


def named_mean(x, m):
    # npbench's azimint_naive: the selection named, then reduced by the next statement
    # (resolve/forward.go makes it x[m].mean()).
    values = x[m]
    return values.mean()


def named_sum_into(out, x, m):
    values = x[m]
    out[0] = np.sum(values)


def ring_mean(data, radius, r1, r2):
    return data[(r1 <= radius) & (radius < r2)].mean()


FUSED = {named_mean: u_mean, m_sum: u_sum, np_sum: u_sum, m_mean: u_mean, np_mean: u_mean, m_max: u_max, np_max: u_max,
         m_min: u_min, np_amin: u_min, m_len: None, m_size: None}


def cases():
    rng = np.random.default_rng(15)
    out = []
    for n in (0, 1, 7, 8, 9, 15, 16, 17, 129, 1000, 4099):
        x = rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)
        for kind in ("rand", "true", "false", "sparse"):
            m = {"rand": rng.random(n) < 0.5, "true": np.ones(n, bool), "false": np.zeros(n, bool),
                 "sparse": rng.random(n) < 0.02}[kind]
            out.append((f"n{n}-{kind}", x, m))
    x = rng.random(2000)
    x[[3, 500, 1999]] = np.nan
    out.append(("nan-sel", x, np.ones(2000, bool)))
    m = np.ones(2000, bool)
    m[[3, 500, 1999]] = False
    out.append(("nan-unsel", x, m))
    big = rng.random(4000)
    out.append(("strided", big[::2], (rng.random(4000) < 0.6)[::2]))
    out.append(("reversed", big[::-1], big[::-1] < 0.3))
    a2 = rng.random((37, 41))
    out.append(("2d", a2, a2 > 0.4))
    out.append(("2d-T", a2.T, a2.T > 0.7))
    out.append(("2d-strided", rng.random((60, 50))[::3, ::2], rng.random((20, 25)) < 0.5))
    a3 = rng.standard_normal((5, 6, 7))
    out.append(("3d", a3, a3 > 0.2))
    out.append(("0d-true", np.array(2.5), np.array(True)))
    out.append(("0d-false", np.array(2.5), np.array(False)))
    out.append(("f32", rng.random(3001).astype(np.float32), rng.random(3001) < 0.5))
    out.append(("i64", rng.integers(-1000, 1000, 3001), rng.random(3001) < 0.5))
    out.append(("i8", rng.integers(-100, 100, 3001).astype(np.int8), rng.random(3001) < 0.5))
    out.append(("u8-max", np.array([3, 255, 0], np.uint8), np.array([True, True, False])))
    out.append(("bool", rng.random(3001) < 0.5, rng.random(3001) < 0.5))
    out.append(("inf", np.array([-np.inf, 1.0, np.inf]), np.array([True, False, True])))
    return out


CASES = cases()


def numpy_value(fn, x, m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return fn(x, m), None
        except ValueError as e:
            return None, str(e)


@pytest.mark.parametrize("fn", list(FUSED), ids=lambda f: f.__name__)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_against_numpy_and_unfused(fn, case):
    _, x, m = case
    want, err = numpy_value(fn, x, m)
    if err is not None:
        with pytest.raises(ValueError, match=err):
            sejit.jit(fn)(x, m)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = sejit.jit(fn)(x, m)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    if np.asarray(want).dtype.kind == "f":
        tol = 1e-12 if np.asarray(want).dtype == np.float64 else 1e-5
        np.testing.assert_allclose(got, want, rtol=tol, atol=0)
    else:
        assert got == want
    if FUSED[fn] is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ref = sejit.jit(FUSED[fn])(x, m)
        # The same bits as the unfused selection's reduction (NaN equal to NaN).
        assert np.asarray(got).tobytes() == np.asarray(ref).tobytes() or (got != got and ref != ref)


def test_mask_shape_mismatch():
    with pytest.raises(IndexError, match="boolean index did not match"):
        sejit.jit(m_mean)(np.zeros(5), np.zeros(4, bool))


def test_ring_mean():
    rng = np.random.default_rng(2)
    data, radius = rng.random(10000), rng.random(10000)
    f = sejit.jit(ring_mean)
    for r1, r2 in ((0.0, 0.001), (0.2, 0.4), (0.0, 1.1), (2.0, 3.0)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = ring_mean(data, radius, r1, r2)
            got = f(data, radius, r1, r2)
        np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("fn", [m_sum, np_mean, m_max, np_amin, m_len, m_size], ids=lambda f: f.__name__)
def test_no_selection_is_built(fn, capsys):
    text = sejit.jit(fn).explain(np.zeros(3), np.zeros(3, bool))
    ir = text.split("== IR after optimisation ==")[1].split("generated C")[0]
    assert "alloc float64[t" not in ir  # only the fused sum's buffer of eight
    assert ir.count("alloc") <= 1


@pytest.mark.parametrize("fn", [named_mean, u_mean], ids=lambda f: f.__name__)
def test_named_selection(fn, capsys):
    # Forwarded into the reduction when named once and reduced by the next statement (no
    # selection built); built when the name is read anywhere else.
    text = sejit.jit(fn).explain(np.zeros(3), np.zeros(3, bool))
    ir = text.split("== IR after optimisation ==")[1].split("generated C")[0]
    assert ("alloc float64[t" not in ir) == (fn is named_mean)


def test_named_selection_into_array():
    rng = np.random.default_rng(3)
    x, m = rng.random(1001), rng.random(1001) < 0.3
    out, ref = np.zeros(1), np.zeros(1)
    sejit.jit(named_sum_into)(out, x, m)
    named_sum_into(ref, x, m)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    with pytest.raises(IndexError, match="boolean index did not match"):
        sejit.jit(named_sum_into)(out, x, m[:10])
