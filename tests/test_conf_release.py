"""Conformance: a compiled function gives its own temporary arrays back to the runtime when it
returns (internal/analysis/release.go), and keeps every array that escapes it: returned, returned
inside a tuple, a view of it returned, stored in a list, passed to a helper that keeps it, handed
back by a callee that returns its argument, or reachable through two results of one call.

Each case runs in CPython and through ``jit`` and compares results; the helpers do the
allocating, so that the release happens inside the compiled program (the entry's own arrays are
released by the runtime when the call ends anyway). Most cases call the helper many times in a
loop, so that memory given back too early is reused by a later allocation and a wrong release
shows as a wrong value, not only under a sanitizer.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import os
import tracemalloc

import numpy as np
import pytest
import sejit
from conformance import Cases

cases = Cases(__name__)


# --------------------------------------------------------------------------- returned


def _ramp(x, k):
    # An array filled by a loop, which no fusion turns into scalars.
    t = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        t[i] = x[i] * k + i
    return t


def _scaled_copy(x, k):
    t = _ramp(x, k)  # a temporary, given back
    w = _ramp(x, 2.0)  # another
    u = t[::-1] + w  # returned: kept
    return u


@cases.add("py.helpers", (np.arange(6.0),))
def temp_and_returned(x):
    acc = np.zeros_like(x)
    for k in range(40):
        acc += _scaled_copy(x, float(k))
    return acc


def _tail_view(x):
    t = _ramp(x, 2.0)
    return t[1:]  # a view of the temporary: the temporary is kept


@cases.add("py.helpers", (np.arange(7.0),))
def returned_view(x):
    # Were the temporary behind a given back, the next call's allocation of the same size
    # would take its memory and a would read b's values.
    a = _tail_view(x)
    b = _tail_view(x + 1.0)
    c = _scaled_copy(x, 3.0)
    return a, b, c[1:]


def _stats(x):
    t = _ramp(x, 1.0)  # returned inside a tuple: kept
    w = _ramp(t, 0.5)  # given back
    return w[::-1].sum() + w[0], t


@cases.add("py.helpers", (np.array([1.0, 4.0, 2.0, 8.0]),))
def returned_in_tuple(x):
    total = 0.0
    last = x
    for k in range(25):
        s, t = _stats(x + k)
        total += s
        last = t + last
    return total, last


def _array_and_view(x):
    a = _ramp(x, 3.0)
    return a, a[::2]


def _keep_view(x):
    a, v = _array_and_view(x)
    return v  # a is not returned, but v views it: a is kept


@cases.add("py.helpers", (np.arange(9.0),))
def two_results_share_memory(x):
    out = np.zeros(5)
    for k in range(20):
        v = _keep_view(x + k)
        junk = _scaled_copy(x, float(k))
        out = out + v + junk[::2] * 0.0
    return out


# --------------------------------------------------------------------------- handed on


def _ident(a):
    return a


def _through_ident(x):
    t = _ramp(x, 1.0)
    u = _ident(t)  # the callee returns its argument: t escapes through u
    return u


@cases.add("py.helpers", (np.arange(5.0),))
def callee_returns_argument(x):
    a = _through_ident(x)
    b = _through_ident(x * 2.0)
    c = _scaled_copy(x, 3.0)
    return a, b, c


def _listed(x, n):
    out = []
    for i in range(n):
        t = x * i  # stored in a list: kept
        out.append(t)
    return out


@cases.add("py.list-arrays", (np.arange(4.0), 5))
def stored_in_list(x, n):
    total = np.zeros_like(x)
    for k in range(10):
        items = _listed(x + k, n)
        for a in items:
            total = total + a
    return total


def _wrap(a):
    return [a, a * 2.0]  # keeps its argument in the list it returns


def _kept_by_helper(x):
    t = _ramp(x, 5.0)  # handed to a helper that keeps it in a list: kept
    lst = _wrap(t)
    return lst


@cases.add("py.list-arrays", (np.arange(3.0),))
def passed_to_retaining_helper(x):
    total = np.zeros_like(x)
    for k in range(15):
        for a in _kept_by_helper(x + k):
            total = total + a
    return total


# --------------------------------------------------------------------------- recursion


def _fft(x):
    n = x.shape[0]
    if n <= 1:
        return x.astype(np.complex128)
    even = _fft(x[::2])
    odd = _fft(x[1::2])
    tw = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    return np.concatenate((even + tw, even - tw))


@cases.add("py.helpers", lambda: (np.random.default_rng(5).standard_normal(64),))
def recursive_fft(x):
    return _fft(x)


def _halves(x):
    # The base case returns its argument (a view of the caller's array).
    if x.shape[0] <= 2:
        return x
    mid = x.shape[0] // 2
    left = _halves(x[:mid]) * 1.0
    right = _halves(x[mid:]) + 0.0
    return np.concatenate((right, left))


@cases.add("py.helpers", (np.arange(16.0),), (np.arange(11.0),))
def recursive_returns_argument(x):
    return _halves(x)


def _merge(left, right):
    out = []
    i = 0
    j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


def _msort(xs):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    return _merge(_msort(xs[:mid]), _msort(xs[mid:]))


@cases.add("py.list-args", ([5, 3, 9, 1, 4, 4, 0, 7, 2, 8, 6],), ([1],))
def recursive_list_sort(xs):
    return _msort(xs)


def _filled(n, v):
    t = np.empty(n)
    for i in range(n):
        t[i] = v + i
    w = _ramp(t, 2.0)
    return w[0] + t[n - 1] + w[n - 1]


@cases.add("py.helpers", (50,))
def reuses_released_memory(n):
    # Each call's temporaries are given back, and the next call's np.empty may get them:
    # every value read must be the one this call wrote.
    s = 0.0
    for k in range(n):
        s += _filled(k + 1, float(k))
    return s


# --------------------------------------------------------------------------- rebinding


def _step(u):
    out = np.empty(u.shape[0])
    out[0] = 0.5 * u[0]
    for i in range(1, u.shape[0]):
        out[i] = 0.5 * u[i] + 0.25 * u[i - 1]
    return out


@cases.add("py.helpers", (np.arange(6.0), 30))
def time_loop(u0, n):
    # u = step(u): the array u held is given back at each rebinding.
    u = u0.copy()
    for k in range(n):
        u = _step(u)
    return u


@cases.add("py.helpers", (np.arange(6.0), 20))
def time_loop_keeps_previous(u0, n):
    u = u0.copy()
    prev = u
    for k in range(n):
        prev = u  # holds the old array after the rebinding: kept
        u = _step(u)
    return u - prev


@cases.add("py.helpers", (np.arange(6.0), 20))
def time_loop_keeps_first(u0, n):
    u = u0 * 1.0
    first = u  # read after the loop: the first array is kept
    for k in range(n):
        u = _step(u)
    return first + u


@cases.add("py.helpers", (np.arange(6.0), 20))
def time_loop_view_of_old(u0, n):
    u = u0.copy()
    total = 0.0
    for k in range(n):
        tail = u[1:]
        u = _step(u)
        total += tail[0] + tail[-1]  # a view of the old array, read after the rebinding
        junk = _step(u)
        total += junk[0] * 0.0
    return total, u


test_conformance = cases.test()


# --------------------------------------------------------------------------- memory


@pytest.mark.skipif(os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1")
def test_recursion_does_not_hold_every_level():
    """A recursive FFT of n points allocates about 3 n log2 n elements in all; given back as each
    level returns, no more than a few n are alive at once. NumPy reports its data allocations to
    tracemalloc, which measures the peak."""
    f = sejit.jit(recursive_fft)
    n = 1 << 13
    x = np.random.default_rng(1).standard_normal(n)
    want = np.fft.fft(x)
    np.testing.assert_allclose(f(x), want, rtol=1e-9, atol=1e-9)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        got = f(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
    every_level = 3 * n * 13 * 16  # bytes, had nothing been given back
    assert peak < every_level / 3, f"peak {peak} bytes, all levels {every_level}"
