"""Benchmark: DESIGN §1's ``poly`` on 10**7 float64 elements, three ways.

* sejit   — ``jit(poly)``, warm (compiled before timing);
* numpy   — the same function, not jitted (two temporaries, three passes);
* C       — bench/poly_c.c, compiled with the flags sejit's engine uses, called
            through ctypes with the arrays' data pointers;
* numba   — ``numba.njit(poly)``, only if numba is importable.

Each is run once to warm up, then timed ``--repeats`` times (at least 7); the
table reports the minimum (and the median) in ms per call and the ratio to C.
All results must agree with NumPy's. The table is printed and written to
bench/results/poly.txt. Timings are reported, never judged.

    python bench/run.py [--n 10000000] [--repeats 10]
"""

import argparse
import ctypes
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# The flags of internal/build.Flags for the cpu target (fastmath off).
CFLAGS = [
    "-O3",
    "-march=native",
    "-std=gnu11",
    "-fPIC",
    "-shared",
    "-fno-math-errno",
    "-ffp-contract=off",
    "-fwrapv",
    "-fno-strict-aliasing",
    "-falign-loops=32",
    "-funroll-loops",
]


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def build_c(tmp):
    """Compile poly_c.c into a shared object; return (callable, compiler description)."""
    cc = os.environ.get("SEJIT_CC", "cc")
    so = os.path.join(tmp, "poly_c.so")
    cmd = [cc, *CFLAGS, "-o", so, os.path.join(HERE, "poly_c.c")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 and "-march=native" in proc.stderr:
        cmd.remove("-march=native")
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    lib = ctypes.CDLL(so)
    fn = lib.poly_c
    fn.restype = None
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_double, ctypes.c_int64]

    def poly_c(x, y, a):
        assert x.flags.c_contiguous and y.flags.c_contiguous and x.dtype == y.dtype == np.float64
        fn(x.ctypes.data, y.ctypes.data, float(a), x.size)

    version = subprocess.run([cc, "--version"], capture_output=True, text=True).stdout
    return poly_c, " ".join(cmd[:1] + CFLAGS) + f"  ({version.splitlines()[0] if version else cc})"


def timeit(fn, args, repeats):
    fn(*args)  # warm-up (and, for sejit, the compile)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10**7)
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--out", default=os.path.join(HERE, "results", "poly.txt"))
    opts = ap.parse_args()
    repeats = max(7, opts.repeats)

    rng = np.random.default_rng(0)
    x = rng.random(opts.n)
    a = 3.141
    expected = np.empty_like(x)
    poly(x, expected, a)

    contenders = {}  # name -> callable or the reason it is missing
    notes = []
    try:
        from sejit import jit

        contenders["sejit"] = jit(poly)
        if contenders["sejit"] is poly:
            notes.append("sejit: jit returned the plain function (SEJIT_DISABLE=1?)")
    except Exception as e:  # noqa: BLE001 - report whatever stops it
        contenders["sejit"] = f"unavailable: {type(e).__name__}: {e}"
    contenders["numpy"] = poly
    tmp = tempfile.mkdtemp(prefix="sejit-bench-")
    try:
        contenders["C"], cdesc = build_c(tmp)
        notes.append(f"C: {cdesc}")
    except Exception as e:  # noqa: BLE001
        contenders["C"] = f"unavailable: {e}"
    try:
        import numba

        contenders["numba"] = numba.njit(poly)
        notes.append(f"numba {numba.__version__}")
    except ImportError:
        contenders["numba"] = "missing (not installed)"

    results = {}
    for name, fn in contenders.items():
        if isinstance(fn, str):
            results[name] = fn
            continue
        y = np.zeros_like(x)
        try:
            best, median = timeit(fn, (x, y, a), repeats)
        except Exception as e:  # noqa: BLE001
            results[name] = f"failed: {type(e).__name__}: {str(e).splitlines()[0]}"
            continue
        if not np.allclose(y, expected, rtol=1e-12, atol=0):
            results[name] = "WRONG RESULT (differs from NumPy)"
            continue
        exact = "bit-exact" if np.array_equal(y, expected) else "within 1e-12"
        results[name] = (best, median, exact)
    shutil.rmtree(tmp, ignore_errors=True)

    c_best = results["C"][0] if isinstance(results["C"], tuple) else None
    lines = [
        f"poly (x1 = x - a; y[:] = x1 + x1*x1) on {opts.n:,} float64, "
        f"min of {repeats} runs after a warm-up",
        f"{cpu_model()}; Python {platform.python_version()}, NumPy {np.__version__}",
        *notes,
        "",
        f"{'':8} {'ms/call (min)':>14} {'median':>10} {'vs C':>8}  result",
    ]
    for name, r in results.items():
        if isinstance(r, tuple):
            best, median, exact = r
            ratio = f"{best / c_best:7.2f}x" if c_best else "      -"
            lines.append(f"{name:8} {best * 1e3:14.2f} {median * 1e3:10.2f} {ratio:>8}  {exact}")
        else:
            lines.append(f"{name:8} {r}")
    if c_best:
        lines.append("")
        for name in ("sejit", "numpy"):
            if isinstance(results[name], tuple):
                lines.append(f"{name}/C = {results[name][0] / c_best:.2f}")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    os.makedirs(os.path.dirname(opts.out), exist_ok=True)
    tmp_out = opts.out + ".tmp"
    with open(tmp_out, "w") as f:
        f.write(text)
    os.replace(tmp_out, opts.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
