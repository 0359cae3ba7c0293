"""Element-wise copy nests (y[...] = x[...], overlap snapshots) compile to the prelude's
sejit_copy (cgen copyNest): every layout and dtype must copy exactly what NumPy copies."""
import numpy as np
import pytest

import sejit


def assign(y, x):
    y[...] = x


def shift(x):
    x[1:] = x[:-1]


def shift_back(x):
    x[:-1] = x[1:]


DTYPES = [np.float64, np.float32, np.int8, np.int16, np.complex128, np.bool_]


def views(a):
    yield a
    if a.ndim >= 2:
        yield a.T
        yield a[::-1, ::2]
        yield a[:, :1]
    yield a[::-1]
    yield a[1:1]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(7,), (5, 4), (3, 4, 6), (100, 4), (1, 9), (4, 1, 3)])
def test_assign_every_layout(dtype, shape):
    f = sejit.jit(assign)
    rng = np.random.default_rng(3)
    base = (rng.random(shape) * 100).astype(dtype)
    for src in views(base):
        dst = np.zeros(src.shape, dtype)
        f(dst, src)
        np.testing.assert_array_equal(dst, src)
        # a strided destination, in reverse
        big = np.zeros(tuple(2 * n for n in src.shape), dtype)
        d = big[tuple(slice(None, None, -2) for _ in src.shape)]
        f(d, src)
        np.testing.assert_array_equal(d, src)
        assert (big[tuple(slice(0, None, 2) for _ in src.shape)] == 0).all()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(9,), (6, 5), (4, 3, 5), (50, 4)])
@pytest.mark.parametrize("fn", [shift, shift_back])
def test_overlap_snapshot(dtype, shape, fn):
    f = sejit.jit(fn)
    rng = np.random.default_rng(4)
    a = (rng.random(shape) * 100).astype(dtype)
    for v in (a, a.T if a.ndim > 1 else a[::-1]):
        want = v.copy()
        fn(want)
        got = v.copy()
        f(got)
        np.testing.assert_array_equal(got, want)


def drain(items, first):
    # list.pop(first) shifts the tail down: one memmove (cgen shiftLoop)
    q = list(items)
    out = []
    while len(q) > first:
        out.append(q.pop(first))
    return out, q


@pytest.mark.parametrize("first", [0, 1, 3])
@pytest.mark.parametrize("n", [0, 1, 2, 9, 300])
def test_list_pop_shifts_the_tail(n, first):
    items = np.arange(n, dtype=np.int64) * 3 - 7
    want = drain(items, first)
    got = sejit.jit(drain)(items, first)
    assert [int(v) for v in got[0]] == want[0] and [int(v) for v in got[1]] == want[1]


def test_list_pop_prints_memmove(capsys):
    sejit.jit(drain).explain(np.arange(5, dtype=np.int64), 0)
    assert "memmove(" in capsys.readouterr().out
