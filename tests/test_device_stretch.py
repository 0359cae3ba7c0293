"""Operands with an extent of 1 on the device (issue 11): the variant that stretches them
(lower/broadcast.go) runs as a plan function of its own whose nests are kernels, so a jitted
function broadcasts on the device as on the CPU. Results are compared with NumPy, errors with
what the CPU target raises for the same call on NumPy arrays.
"""

import numpy as np
import pytest

from sejit import jit

from conftest import cpu_device_or_skip, needs_engine

_CTX = cpu_device_or_skip()

pytestmark = needs_engine


@pytest.fixture(scope="module")
def ctx():
    return _CTX


def add_into(a, b, out):
    out[:] = a + b


def sum_and_diff(a, b):
    return (a * b).sum(), a - b


def scale_rows(a, w):
    a *= w


_SHAPES = [((3, 4), (1, 4)), ((3, 4), (3, 1)), ((3, 1), (1, 4)), ((1, 1), (2, 5)),
           ((1, 4), (1, 4)), ((5,), (1,)), ((1,), (6,))]


@pytest.mark.parametrize("sa,sb", _SHAPES)
def test_add_into(ctx, sa, sb):
    a = np.arange(np.prod(sa), dtype=np.float32).reshape(sa)
    b = np.arange(np.prod(sb), dtype=np.float32).reshape(sb) * 10
    want = a + b
    out = ctx.empty(want.shape, np.float32)
    jit(add_into)(ctx.asarray(a), ctx.asarray(b), out)
    np.testing.assert_array_equal(out.get(), want)


@pytest.mark.parametrize("sa,sb", _SHAPES[:4])
def test_fused_reduction_and_result(ctx, sa, sb):
    a = np.arange(np.prod(sa), dtype=np.float64).reshape(sa) + 1
    b = np.arange(np.prod(sb), dtype=np.float64).reshape(sb) - 2
    s, d = jit(sum_and_diff)(ctx.asarray(a), ctx.asarray(b))
    assert s == (a * b).sum()
    np.testing.assert_array_equal(d.get(), a - b)


def test_in_place_and_views(ctx):
    a = np.arange(24.0).reshape(4, 6)
    w = np.arange(6.0).reshape(1, 6)
    d = ctx.asarray(a)
    jit(scale_rows)(d, ctx.asarray(w))
    np.testing.assert_array_equal(d.get(), a * w)
    d = ctx.asarray(a)
    jit(scale_rows)(d[:, ::2], ctx.asarray(w)[:, :3])  # non-contiguous target
    want = a.copy()
    want[:, ::2] *= w[:, :3]
    np.testing.assert_array_equal(d.get(), want)


@pytest.mark.parametrize("sb", [(2, 4), (3, 3)])
def test_errors_as_on_the_cpu(ctx, sb):
    a, b = np.ones((3, 4)), np.ones(sb)
    with pytest.raises(ValueError) as cpu:
        jit(add_into)(a, b, np.empty((3, 4)))
    with pytest.raises(ValueError) as dev:
        jit(add_into)(ctx.asarray(a), ctx.asarray(b), ctx.empty((3, 4)))
    assert str(dev.value) == str(cpu.value)
