"""Rebinding and swapping array parameters, and arguments that share memory (issue 10).

Each kernel below is a pattern of stencil and time-stepping code: an output parameter rebound
after a store, two buffers swapped (``a, b = b, a``) once or in a loop, an argument and its
transpose passed together, interleaved views of one buffer, two written arguments that overlap,
an argument returned. Each runs on one buffer viewed as the arguments (so the arguments share
memory the way the id says), in 1-D, 2-D and 3-D, with C and non-C layouts, under
``boundscheck`` on and off and with ``parallel=True``, in CPython and through ``jit``: the buffer
afterwards, the results, and which results share memory with which arguments must agree
(docs/reliability.md, "Rebinding and overlap").
"""

import itertools
import os

import numpy as np
import pytest

import sejit

pytestmark = pytest.mark.skipif(
    os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1: jit returns the function"
)


def store_then_rebind(a, b):
    b[1:3] = a[0:2] + a[1:3]
    b = a
    return 0


def swap_once(a, b):
    b[...] = a
    a, b = b, a
    b[1:] = a[:-1] * 2.0
    return 0


def double_buffer(old, new, steps):
    for t in range(steps):
        new[1:-1] = 0.25 * (old[:-2] + old[2:]) + 0.5 * old[1:-1]
        old, new = new, old
    return old


def double_buffer_through_local(u, v, steps):
    src = u
    dst = v
    for t in range(steps):
        dst[1:-1] = src[2:] - src[:-2] + 1.0
        tmp = src
        src = dst
        dst = tmp
    return src


def two_outputs(x, y, z):
    y[...] = x + 1.0
    z[...] = y * 2.0 + x


def return_arguments(x, y):
    y[1:] = x[:-1] + 1.0
    return x, y[1:], x


def read_after_rebind(a, b):
    c = b
    b = a
    c[...] = b + c
    return c


KERNELS = {
    "store_then_rebind": (store_then_rebind, ()),
    "swap_once": (swap_once, ()),
    "double_buffer": (double_buffer, (3,)),
    "double_buffer_local": (double_buffer_through_local, (2,)),
    "two_outputs": (two_outputs, ()),
    "return_arguments": (return_arguments, ()),
    "read_after_rebind": (read_after_rebind, ()),
}


def flip(a):
    """The array with its axes reversed: a transposed view (a reversed one in 1-D)."""
    return a[::-1] if a.ndim == 1 else a.T


# How the arguments view one buffer B (square in every axis, extent 6).
SHARINGS = {
    "distinct": lambda B, n: tuple(B.copy() if k == 0 else B.copy() * 0.5 for k in range(n)),
    "same": lambda B, n: (B,) * n,
    "flipped": lambda B, n: tuple(B if k % 2 == 0 else flip(B) for k in range(n)),
    "shifted": lambda B, n: tuple(B[k % 2:B.shape[0] - 1 + k % 2] for k in range(n)),
}


def buffer(ndim, layout):
    base = (np.arange(6**ndim, dtype=np.float64).reshape((6,) * ndim) % 7) / 8 - 0.25
    if layout == "C":
        return base.copy()
    if layout == "F":
        return np.asfortranarray(base)
    big = np.zeros(tuple(2 * s for s in base.shape))
    view = big[(slice(None, None, 2),) * ndim]
    view[...] = base
    return view


OPTIONS = {
    "default": {},
    "nobounds": {"boundscheck": False},
    "parallel": {"parallel": True},
}


def outcome(fn, B, sharing, nargs, extra):
    args = SHARINGS[sharing](B, nargs) + extra
    result = fn(*args)
    return args, result


def leaves(v):
    if isinstance(v, np.ndarray):
        return [v]
    if isinstance(v, tuple):
        return [x for e in v for x in leaves(e)]
    return []


CASES = [
    pytest.param(kernel, sharing, ndim, layout, opt, id=f"{kernel}-{sharing}-{ndim}d-{layout}-{opt}")
    for kernel, sharing, ndim, layout, opt in itertools.product(
        KERNELS, SHARINGS, (1, 2, 3), ("C", "strided"), OPTIONS)
    # Every sharing in every rank for the default options; one rank with the others.
    if opt == "default" or (ndim == 2 and sharing != "distinct")
]


@pytest.mark.parametrize("kernel, sharing, ndim, layout, opt", CASES)
def test_rebinding_matches_cpython(kernel, sharing, ndim, layout, opt):
    fn, extra = KERNELS[kernel]
    nargs = fn.__code__.co_argcount - len(extra)
    want_buf = buffer(ndim, layout)
    got_buf = buffer(ndim, layout)
    want_args, want = outcome(fn, want_buf, sharing, nargs, extra)
    got_args, got = outcome(sejit.jit(fn, **OPTIONS[opt]), got_buf, sharing, nargs, extra)
    for w, g in zip(want_args, got_args):
        if isinstance(w, np.ndarray):
            np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(got_buf, want_buf)
    wl, gl = leaves(want), leaves(got)
    assert len(wl) == len(gl)
    for w, g in zip(wl, gl):
        np.testing.assert_array_equal(g, w)
        for wa, ga in zip(want_args, got_args):
            if isinstance(wa, np.ndarray):
                # A returned argument, or a view of one, is that argument's memory.
                assert np.shares_memory(g, ga) == np.shares_memory(w, wa)
                assert (g is ga) == (w is wa)
    if not isinstance(want, tuple) and not isinstance(want, np.ndarray):
        assert got == want


def test_returned_strided_argument_is_the_argument_on_the_fast_path():
    # The second call takes the dispatcher's fast path, which recorded the bytes of a strided
    # argument from a stale data pointer and so copied an argument it believed overlapped.
    def f(x, y, k):
        y -= x + k
        return k

    jf = sejit.jit(f)
    for _ in range(4):
        big = np.zeros(20, np.int64)
        k = big[::2]
        k[:] = np.arange(10)
        x, y = np.ones(20)[::2], np.ones(20)[::2]
        assert jf(x, y, k) is k


def test_interleaved_arguments_returned_are_not_copies():
    # x and y interleave in one buffer, so their byte spans overlap although no element does.
    def f(x, y):
        y[...] = x * 2.0
        return x

    buf = np.arange(20.0)
    x, y = buf[::2], buf[1::2]
    r = sejit.jit(f)(x, y)
    assert r is x
    np.testing.assert_array_equal(buf[1::2], np.arange(0.0, 20.0, 2.0) * 2.0)
