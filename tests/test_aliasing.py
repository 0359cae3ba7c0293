"""Array arguments that share memory (views of one array passed as two arguments) give
CPython's and NumPy's results: element reads in loops see what the function wrote before them
(CPython reads memory as it is), and an array statement computes its right side before it
stores (NumPy's rule), which sejit gets by copying a read-only argument that overlaps a written
one at entry — only where the function reads it in array statements (docs/design.md,
Overlap)."""

import os

import numpy as np
import pytest

import sejit

pytestmark = pytest.mark.skipif(
    os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1: jit returns the function"
)


def bump_from_first(a, c):
    for i in range(c.shape[0]):
        c[i] = a[0] + 1.0


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


def smooth_in_place(u, v):
    # Gauss-Seidel when called with u and v the same array.
    for i in range(1, u.shape[0] - 1):
        v[i] = 0.5 * (u[i - 1] + u[i + 1])


def shifted_sum(x, y):
    for i in range(y.shape[0]):
        y[i] = x[i] + x[i + 1]


def add_one(x, y):
    y[:] = x + 1.0


def reverse_into(x, y):
    y[:] = x[::-1] * 2.0


def run_both(fn, base, views):
    """fn on views of a copy of base in CPython and through sejit; returns both bases."""
    want = base.copy()
    fn(*views(want))
    got = base.copy()
    sejit.jit(fn)(*views(got))
    return want, got


RNG = np.random.default_rng(7)
V = RNG.random(64)
M = RNG.random((6, 6))


@pytest.mark.parametrize(
    "fn, base, views",
    [
        pytest.param(bump_from_first, V, lambda a: (a, a), id="loop-same-array"),
        pytest.param(bump_from_first, V, lambda a: (a[3:], a[:-3]), id="loop-shifted"),
        pytest.param(matmul, M, lambda a: (a, a.copy(), a), id="matmul-a-is-c"),
        pytest.param(matmul, M, lambda a: (a.copy(), a, a), id="matmul-b-is-c"),
        pytest.param(smooth_in_place, V, lambda a: (a, a), id="gauss-seidel"),
        pytest.param(shifted_sum, V, lambda a: (a, a[:-1]), id="shifted-sum"),
        pytest.param(shifted_sum, V, lambda a: (a[:-1][::-1], a[1:-1]), id="shifted-sum-reversed"),
        pytest.param(add_one, V, lambda a: (a[1:], a[:-1]), id="statement-forward"),
        pytest.param(add_one, V, lambda a: (a[:-1], a[1:]), id="statement-backward"),
        pytest.param(reverse_into, V, lambda a: (a, a), id="statement-reversed"),
    ],
)
def test_aliased_arguments_give_cpythons_result(fn, base, views):
    want, got = run_both(fn, base, views)
    np.testing.assert_array_equal(got, want)
