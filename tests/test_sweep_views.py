"""Array statements whose target and operands are views of one array made in the same
statement (y[:, j] = f(y[:, j - 1]), x[:, i] = x[:, k] * 2) store without a temporary when the
views are the same or disjoint (internal/lower/overlap_views.go). Each case is checked against
the same function run by CPython and NumPy, including the cases where the views coincide
(equal indices, wrap-around of a negative index) and the cases that still need a temporary."""

import os

import numpy as np
import pytest

import sejit

pytestmark = pytest.mark.skipif(
    os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1: jit returns the function"
)


def column_sweep(x, y):
    y[:, 0] = x[:, 0]
    y[:, 1] = x[:, 1] + 0.5 * y[:, 0]
    for j in range(2, x.shape[1]):
        y[:, j] = x[:, j] + 0.5 * y[:, j - 1] - 0.25 * y[:, j - 2]


def backward_row_sweep(v, p, q):
    for i in range(v.shape[0] - 2, 0, -1):
        v[i, 1:-1] = p[i, 1:-1] * v[i + 1, 1:-1] + q[i, 1:-1]


def row_recurrence(p, a, b, c):
    for i in range(1, p.shape[0]):
        p[i, 1:-1] = -c / (a * p[i - 1, 1:-1] + b)


def copy_column(x, i, k):
    x[:, i] = x[:, k] * 2.0 + 1.0


def add_column(x, i, k):
    x[:, i] += x[:, k]


def shift_rows(x, j):
    x[1:, j] = x[:-1, j] + 1.0


def reverse_column(x, j, k):
    x[:, j] = x[::-1, k]


def row_from_column(x, i):
    x[i, :] = x[:, i] + 1.0


def view_of_view(x, j, k):
    x[:, j] = x[:, k][::-1] * 3.0


def same_column_whole(x):
    x[:] = x * 2.0 + x[:, :]


def adi_rows(u, p, q, a, d):
    # ADI's forward sweep: slices whose extents a loop computes, so the function is lowered in
    # the form that stretches extents of 1 (select(extent == 1, 0, i) indices).
    for i in range(1, u.shape[0] - 1):
        den = a * p[i - 1, 1:-1] + 1.5
        p[i, 1:-1] = -a / den
        q[i, 1:-1] = (-d * u[i, :-2] + (1.0 + 2.0 * d) * u[i, 1:-1] - d * u[i, 2:]
                      - a * q[i - 1, 1:-1]) / den
    v = np.empty_like(u)
    v[0, :] = 1.0
    v[-1, :] = 1.0
    for i in range(u.shape[0] - 2, 0, -1):
        # A stored operand (p[i, 1:-1]) read through a view that may stretch.
        v[i, 1:-1] = p[i, 1:-1] * v[i + 1, 1:-1] + q[i, 1:-1]
    u[1:-1, 1:-1] = v[1:-1, 1:-1]


def stretched_add(x, z, j, k):
    x[:, j] = x[:, k] + z


def check(fn, *args):
    ref = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    got = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    fn(*ref)
    sejit.jit(fn)(*got)
    for r, g in zip(ref, got):
        if isinstance(r, np.ndarray):
            np.testing.assert_allclose(g, r, rtol=1e-13, atol=0)


def rng_array(shape, seed=0):
    return np.random.default_rng(seed).random(shape)


@pytest.mark.parametrize("shape", [(5, 7), (1, 4), (6, 2), (0, 3)])
def test_column_sweep(shape):
    check(column_sweep, rng_array(shape), np.zeros(shape))


@pytest.mark.parametrize("shape", [(6, 5), (3, 3), (2, 4)])
def test_backward_row_sweep(shape):
    check(backward_row_sweep, rng_array(shape, 1), rng_array(shape, 2), rng_array(shape, 3))


def test_row_recurrence():
    check(row_recurrence, rng_array((8, 6)), -0.3, 1.6, -0.3)


@pytest.mark.parametrize("i,k", [(0, 0), (1, 2), (2, 1), (-1, 2), (0, -3), (-1, -1)])
def test_copy_and_add_column(i, k):
    check(copy_column, rng_array((4, 3)), i, k)
    check(add_column, rng_array((4, 3)), i, k)


def test_negative_index_wraps_to_the_same_column():
    # One column: x[:, 0] and x[:, -1] are the same view.
    check(copy_column, rng_array((5, 1)), 0, -1)
    check(add_column, rng_array((5, 1)), -1, 0)


@pytest.mark.parametrize("j", [0, 2])
def test_overlapping_views_still_copied(j):
    check(shift_rows, rng_array((5, 3)), j)
    check(reverse_column, rng_array((5, 3)), j, j)
    check(reverse_column, rng_array((5, 3)), j, 1)
    check(row_from_column, rng_array((4, 4)), j)
    check(view_of_view, rng_array((5, 3)), j, j)


def test_whole_array_read_at_the_stored_element():
    check(same_column_whole, rng_array((3, 4)))


def test_out_of_bounds_column_raises_like_numpy():
    x = rng_array((3, 2))
    with pytest.raises(IndexError):
        copy_column(x.copy(), 0, 5)
    with pytest.raises(IndexError):
        sejit.jit(copy_column)(x.copy(), 0, 5)


@pytest.mark.parametrize("n", [3, 4, 9])
def test_adi_rows(n):
    check(adi_rows, rng_array((n, n)), rng_array((n, n), 1), rng_array((n, n), 2), -0.4, -0.2)


@pytest.mark.parametrize("rows,zn", [(4, 1), (4, 4), (1, 1)])
@pytest.mark.parametrize("j,k", [(0, 0), (0, 1), (1, 0)])
def test_stretched_operand(rows, zn, j, k):
    check(stretched_add, rng_array((rows, 2)), rng_array(zn, 5), j, k)
