"""sejit.vectorize against numba.vectorize, a jitted loop and NumPy, in one run (issue 12).

For each case, every system computes the same element-wise function of float64 operands into
a preallocated output; the figure is the minimum over repeats of the time per call (after a
warm-up call that compiles), and the ratios are to sejit.vectorize's time in the same run.

* ``sejit.vectorize``: the real ufunc from ``vectorize(["float64(float64, float64)"])``;
* ``sejit Vectorized``: the lazy ``vectorize(f)`` (its dtype resolution in Python per call);
* ``numba.vectorize``: the same signature (skipped, and said, when Numba is missing:
  ``sh bench/peers.sh .venv/bin/python`` installs it);
* ``sejit.jit loop``: ``for i in range(n): out[i] = f(x[i], y[i])`` jitted;
* ``numpy``: the same expression with NumPy's ufuncs (temporaries included).

    python bench/vectorize.py [--n 1000000] [--repeat 20] [--json]
"""

import argparse
import json
import math
import time

import numpy as np

import sejit


def kernel(x, y):
    return math.sqrt(x * x + y * y) + 0.5 * x


def kernel_np(x, y, out):
    np.add(np.sqrt(x * x + y * y), 0.5 * x, out=out)


def loop(x, y, out):
    for i in range(out.shape[0]):
        out[i] = kernel(x[i], y[i])


def best(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(args.n), rng.standard_normal(args.n)
    out = np.empty(args.n)
    small = (x[:10].copy(), y[:10].copy(), np.empty(10))

    uf = sejit.vectorize(["float64(float64, float64)"])(kernel)
    lazy = sejit.vectorize(kernel)
    jl = sejit.jit(loop)
    systems = {
        "sejit.vectorize": lambda a, b, o: uf(a, b, out=o),
        "sejit Vectorized": lambda a, b, o: lazy(a, b, out=o),
        "sejit.jit loop": jl,
        "numpy": kernel_np,
    }
    missing = None
    try:
        import numba

        nv = numba.vectorize(["float64(float64, float64)"])(kernel)
        systems["numba.vectorize"] = lambda a, b, o: nv(a, b, out=o)
    except ImportError as exc:
        missing = f"numba missing ({exc}); sh bench/peers.sh .venv/bin/python installs it"

    results = {}
    for name, fn in systems.items():
        big = best(lambda: fn(x, y, out), args.repeat)
        tiny = best(lambda: fn(*small), args.repeat * 50)
        ref = np.empty(args.n)
        kernel_np(x, y, ref)
        fn(x, y, out)
        assert np.allclose(out, ref), name
        results[name] = {"n_s": big, "10_s": tiny}
    base = results["sejit.vectorize"]
    if args.json:
        print(json.dumps({"n": args.n, "results": results, "missing": missing}))
        return
    print(f"n = {args.n:,} float64, min of {args.repeat} calls; ratio = time / sejit.vectorize's")
    print(f"{'system':<18} {'n elements':>12} {'ratio':>7}   {'10 elements':>12} {'ratio':>7}")
    for name, r in results.items():
        print(f"{name:<18} {r['n_s'] * 1e3:>10.3f}ms {r['n_s'] / base['n_s']:>7.2f}   "
              f"{r['10_s'] * 1e6:>10.2f}us {r['10_s'] / base['10_s']:>7.2f}")
    if missing:
        print(missing)


if __name__ == "__main__":
    main()
