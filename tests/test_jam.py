"""Unroll-and-jam (internal/opt/jam.go): a loop over k around an inner loop that updates one
element per iteration runs four k at a time. Each element still receives its additions in
CPython's order, so results are bit-identical; arrays that share memory with the stored one
run the loop as written. Every case compares with CPython exactly."""

import os

import numpy as np
import pytest

import sejit

pytestmark = pytest.mark.skipif(
    os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1: jit returns the function"
)


def matmul(a, b, c):
    n = a.shape[0]
    m = b.shape[1]
    for i in range(n):
        for j in range(m):
            c[i, j] = 0.0
        for k in range(a.shape[1]):
            aik = a[i, k]
            for j in range(m):
                c[i, j] += aik * b[k, j]


def weighted_rows(w, x, out):
    # out[j] = sum over k of w[k] * x[k, j], in k order.
    for k in range(x.shape[0]):
        wk = w[k]
        for j in range(x.shape[1]):
            out[j] = out[j] + wk * x[k, j]


def running_max(x, out):
    for k in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[j] = max(out[j], x[k, j])


def int_accumulate(x, out):
    for k in range(2, x.shape[0]):
        s = x[k, 0] * 3
        for j in range(x.shape[1]):
            out[j] = out[j] * 2 + s - x[k, j]


def cpython(fn, *args):
    args = [a.copy() for a in args]
    fn(*args)
    return args


@pytest.mark.parametrize("kdim", [0, 1, 3, 4, 5, 7, 8, 9, 13])
def test_matmul_bit_identical(kdim):
    rng = np.random.default_rng(kdim)
    a = rng.standard_normal((6, kdim))
    b = rng.standard_normal((kdim, 11))
    c = np.full((6, 11), np.nan)
    want = cpython(matmul, a, b, c)[2]
    got = c.copy()
    sejit.jit(matmul)(a, b, got)
    np.testing.assert_array_equal(got, want)
    assert got.tobytes() == want.tobytes()


def test_matmul_non_contiguous():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((14, 18))[::2, ::2]
    b = rng.standard_normal((9, 20))[:, ::2]
    c = np.zeros((7, 20))[:, ::2]
    want = cpython(matmul, a, b, c)[2]
    got = c.copy()
    sejit.jit(matmul)(a, b, got)
    assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize("case", ["c is a", "c is b", "c is a view of b"])
def test_matmul_overlapping_arguments(case):
    # The stored array shares memory with one it reads: the loop runs as written,
    # reading what earlier iterations stored, as CPython does.
    rng = np.random.default_rng(2)
    base = rng.standard_normal((12, 12))

    def views(x):
        if case == "c is a":
            return x[:6, :6], x[:6, :6].copy(), x[:6, :6]
        if case == "c is b":
            return x[:6, :6].copy(), x[:6, :6], x[:6, :6]
        return x[:6, :6].copy(), x[:6, :6], x[2:8, :6]

    want = base.copy()
    matmul(*views(want))
    got = base.copy()
    sejit.jit(matmul)(*views(got))
    assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize("rows", [1, 4, 6, 11])
def test_weighted_rows(rows):
    rng = np.random.default_rng(rows)
    w = rng.standard_normal(rows)
    x = rng.standard_normal((rows, 37))
    out = rng.standard_normal(37)
    want = cpython(weighted_rows, w, x, out)[2]
    got = out.copy()
    sejit.jit(weighted_rows)(w, x, got)
    assert got.tobytes() == want.tobytes()


def test_weighted_rows_out_is_a_row_of_x():
    # out is row 3 of x: later k read what earlier k stored.
    rng = np.random.default_rng(5)
    base = rng.standard_normal((9, 10))
    w = rng.standard_normal(9)
    want = base.copy()
    weighted_rows(w, want, want[3])
    got = base.copy()
    sejit.jit(weighted_rows)(w, got, got[3])
    assert got.tobytes() == want.tobytes()


def test_running_max_with_nan():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((10, 9))
    x[3, 2] = np.nan
    x[6, 5] = np.nan
    out = np.full(9, -np.inf)
    want = cpython(running_max, x, out)[1]
    got = out.copy()
    sejit.jit(running_max)(x, got)
    assert got.tobytes() == want.tobytes()


def test_int_accumulate_wraps_like_numpy():
    rng = np.random.default_rng(7)
    x = rng.integers(-(2**40), 2**40, size=(23, 8), dtype=np.int64)
    out = rng.integers(-(2**62), 2**62, size=8, dtype=np.int64)
    with np.errstate(over="ignore"):
        want = cpython(int_accumulate, x, out)[1]
    got = out.copy()
    sejit.jit(int_accumulate)(x, got)
    np.testing.assert_array_equal(got, want)
