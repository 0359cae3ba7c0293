"""Short-circuit conditions over loads a loop's bounds test proved (signal[i] > signal[i - 1]
and signal[i] >= signal[i + 1]) are computed without branches in the loop's unchecked copy
(internal/opt/boundscheck.go); the checked copy still raises IndexError where CPython does.
Each case is compared with CPython."""

import contextlib
import io
import os

import numpy as np
import pytest

import sejit

pytestmark = pytest.mark.skipif(
    os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1: jit returns the function"
)


def peaks(signal, threshold):
    out = []
    for i in range(1, len(signal) - 1):
        if signal[i] > threshold and signal[i] > signal[i - 1] and signal[i] >= signal[i + 1]:
            out.append(i)
    return np.array(out, dtype=np.int64)


def peaks_past_end(signal, stop):
    # reads signal[i + 1] up to stop: out of bounds (IndexError) when stop > len - 1 and the
    # conditions before it hold there
    n = 0
    for i in range(1, stop):
        if signal[i] > 0.5 and signal[i] >= signal[i + 1]:
            n += 1
    return n


def reached(adj, dist, u):
    n = 0
    for v in range(adj.shape[1]):
        if adj[u, v] and dist[v] < 0:
            n += 1
    return n


def run_both(fn, *args):
    try:
        want = fn(*args)
    except IndexError as e:
        with pytest.raises(IndexError, match=str(e).split(" is ")[0]):
            sejit.jit(fn)(*args)
        return
    got = sejit.jit(fn)(*args)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 17, 1000])
def test_peaks(n):
    rng = np.random.default_rng(n)
    signal = np.sin(np.linspace(0.0, 20.0, n)) + 0.3 * rng.random(n)
    run_both(peaks, signal, 0.8)
    run_both(peaks, signal, -5.0)


@pytest.mark.parametrize("stop", [5, 9, 10, 11])
def test_condition_reading_past_the_end(stop):
    signal = np.array([0.0, 1.0, 0.2, 0.9, 0.1, 0.7, 0.7, 0.3, 0.2, 0.9])
    run_both(peaks_past_end, signal, stop)


def test_two_dimensional_condition():
    rng = np.random.default_rng(4)
    adj = rng.random((40, 40)) < 0.2
    dist = np.where(rng.random(40) < 0.5, -1, 3)
    for u in (0, 7, 39, -1):
        run_both(reached, adj, dist, u)


def test_explained():
    signal = np.linspace(0.0, 1.0, 50)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        sejit.jit(peaks).explain(signal, 0.5)
    text = buf.getvalue()
    assert "short-circuit conditions of a loop's unchecked copy computed without branches" in text
