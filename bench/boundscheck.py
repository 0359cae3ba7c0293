"""What bounds checking costs: each kernel timed with boundscheck on (the
default) and off, in one run, minimum of repeats. Prints the overhead."""

import os
import sys
import tempfile
import time

import numpy as np

os.environ.setdefault("SEJIT_CACHE_DIR", tempfile.mkdtemp(prefix="sejit-bench-"))
from sejit import jit  # noqa: E402


def dot(x, y):
    s = 0.0
    for i in range(len(x)):
        s += x[i] * y[i]
    return s


def stencil(x, y):
    for i in range(1, len(x) - 1):
        y[i] = x[i - 1] + x[i + 1] - 2.0 * x[i]


def grid_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * a[i, j]
    return s


def prefix(x, n):
    # The bound is a parameter, not the array's extent: the check is
    # hoisted by versioning the loop.
    for i in range(1, n):
        x[i] = x[i] + x[i - 1]


def gather(x, idx, out):
    # Data-dependent indices: checked in every iteration.
    for i in range(len(idx)):
        out[i] = x[idx[i]]


def best(f, args, repeats=15):
    f(*args)
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f(*args)
        ts.append(time.perf_counter() - t0)
    return min(ts)


def main():
    n = 1_000_000
    rng = np.random.default_rng(0)
    x = rng.random(n)
    y = rng.random(n)
    a = rng.random((1000, 1000))
    idx = rng.integers(0, n, n)
    cases = [
        ("dot", dot, (x, y)),
        ("stencil", stencil, (x, np.zeros(n))),
        ("grid_sum", grid_sum, (a,)),
        ("prefix", prefix, (x.copy(), n)),
        ("gather", gather, (x, idx, np.zeros(n))),
    ]
    print(f"bounds checking on 10^6 elements, min of 15 (ms); {sys.version.split()[0]}, NumPy {np.__version__}")
    print(f"{'kernel':10} {'checked':>9} {'unchecked':>10} {'overhead':>9}")
    for name, f, args in cases:
        on, off = jit(f), jit(boundscheck=False)(f)
        t_on, t_off = best(on, args), best(off, args)
        print(f"{name:10} {t_on * 1e3:9.3f} {t_off * 1e3:10.3f} {100 * (t_on / t_off - 1):8.1f}%")


if __name__ == "__main__":
    main()
