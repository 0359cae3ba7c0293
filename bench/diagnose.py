"""Experiments behind docs/performance.md's account of where sejit misses a target: each
times sejit's kernel beside C written two ways (bench/diagnose_c.c), so that a gap to a peer
splits into what the C compiler does with natural C and what sejit's generated C adds.

    python bench/diagnose.py [--budget 3]

Every variant's result is checked against the plain Python function first. Minimum over
interleaved rounds, as in suite.py.
"""

import argparse
import copy
import ctypes
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
if "SEJIT_CACHE_DIR" not in os.environ:
    os.environ["SEJIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="sejit-diagnose-")

import numpy as np  # noqa: E402

import kernels as K  # noqa: E402
import suite  # noqa: E402


def minmax(x):
    return np.min(x), np.max(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=3.0)
    opts = ap.parse_args()
    from sejit import jit

    tmp = tempfile.mkdtemp(prefix="sejit-diagnose-")
    so, _ = suite.build_c(tmp)
    dso = os.path.join(tmp, "diagnose_c.so")
    subprocess.run([os.environ.get("SEJIT_CC", "cc"), *suite.CFLAGS, "-o", dso,
                    os.path.join(HERE, "diagnose_c.c"), "-lm"], check=True)
    lib, dlib = ctypes.CDLL(so), ctypes.CDLL(dso)
    P, I, D = ctypes.c_void_p, ctypes.c_int64, ctypes.c_double
    try:
        import numba

        nj = numba.njit
    except ImportError:
        nj = None

    def cfun(lib, name, argtypes, restype):
        f = getattr(lib, name)
        f.argtypes, f.restype = argtypes, restype
        return f

    x_hist = np.random.default_rng(12345).normal(size=10**6)
    x_mm = np.random.default_rng(12345).random(10**7)
    out2 = np.zeros(2)
    hist_c = [P, I, P, I, D, D]

    def hist_wrap(f):
        return lambda x, c, lo, hi: f(x.ctypes.data, x.size, c.ctypes.data, c.size, lo, hi)

    def mm_wrap(f):
        def call(x):
            f(x.ctypes.data, x.size, out2.ctypes.data)
            return float(out2[0]), float(out2[1])
        return call

    rng = np.random.default_rng(12345)
    nbody_args = (rng.random((1000, 3)) * 2 - 1, (rng.random((1000, 3)) - 0.5) * 0.2,
                  rng.random(1000) * 0.5 + 0.5, 0.001, 0.05)
    nbody_c = [P, P, P, I, D, D]

    def nbody_wrap(f):
        return lambda pos, vel, mass, dt, soft: f(pos.ctypes.data, vel.ctypes.data,
                                                  mass.ctypes.data, pos.shape[0], dt, soft)

    experiments = [
        ("primes below 200000", K.count_primes, (200000,), {
            "sejit": jit(K.count_primes),
            "numba": nj(K.count_primes) if nj else None,
            "C, 64-bit %": cfun(lib, "count_primes", [I], I),
            "C, 32-bit % when operands fit": cfun(dlib, "primes_div32", [I], I),
        }),
        ("histogram, 1e6 samples", K.histogram, (x_hist, np.zeros(64, np.int64), -3.0, 3.0), {
            "sejit": jit(K.histogram),
            "sejit boundscheck=False": jit(boundscheck=False)(K.histogram),
            "numba": nj(K.histogram) if nj else None,
            "C": hist_wrap(cfun(lib, "histogram", hist_c, None)),
            "C + int() check": hist_wrap(cfun(dlib, "histogram_intcheck", hist_c, ctypes.c_int)),
            "C + int() and bounds checks": hist_wrap(
                cfun(dlib, "histogram_checked", hist_c, ctypes.c_int)),
        }),
        ("fib(30)", K.fib, (30,), {
            "sejit": jit(K.fib),
            "C": cfun(lib, "fib", [I], I),
            "C, status + out-pointer": cfun(dlib, "fib_status", [I], I),
        }),
        ("n-body step, N=1000", K.nbody, nbody_args, {
            "sejit": jit(K.nbody),
            "numba": nj(K.nbody) if nj else None,
            "C": nbody_wrap(cfun(lib, "nbody", nbody_c, None)),
            "C + math.sqrt's domain check": nbody_wrap(
                cfun(dlib, "nbody_sqrtcheck", nbody_c, ctypes.c_int)),
        }),
        ("np.min and np.max, 1e7", minmax, (x_mm,), {
            "sejit": jit(minmax),
            "numpy": minmax,
            "C, one select chain": mm_wrap(cfun(dlib, "minmax_serial", [P, I, P], None)),
            "C, 4 select chains": mm_wrap(cfun(dlib, "minmax_4chains", [P, I, P], None)),
            "C, compares + a NaN flag": mm_wrap(cfun(dlib, "minmax_nanflag", [P, I, P], None)),
        }),
    ]
    for title, ref_fn, args, fns in experiments:
        fns = {k: v for k, v in fns.items() if v is not None}
        ra = copy.deepcopy(args)
        ref = ref_fn(*ra)
        for name, fn in fns.items():
            a = copy.deepcopy(args)
            got = fn(*a)
            if ref is None:  # the kernel writes its result into an argument
                same = all(np.array_equal(u, v) for u, v in zip(a, ra)
                           if isinstance(u, np.ndarray))
            else:
                same = np.array_equal(np.asarray(got, dtype=float), np.asarray(ref, dtype=float))
            if not same:
                raise SystemExit(f"{title}: {name} differs from Python")
        samples = suite.time_kernel(fns, args, opts.budget, 9, 200)
        best = {k: min(v) for k, v in samples.items()}
        print(f"\n{title}")
        for name, t in best.items():
            print(f"  {name:32} {suite.fmt_time(t):>10}  {t / best['sejit']:5.2f} x sejit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
