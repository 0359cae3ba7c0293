"""sejit in one page: DESIGN §1's walkthrough, run.

    python examples/demo.py

It uses a fresh cache directory under the system temp dir, so the first call
really compiles, and removes it at the end.
"""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time

CHILD = "--child" in sys.argv
if not CHILD:
    os.environ["SEJIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="sejit-demo-")

import numpy as np  # noqa: E402
import sejit  # noqa: E402
from sejit import jit  # noqa: E402


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def heading(text):
    print(f"\n== {text}")


def verdict(got, x, a, rtol):
    expected = np.empty_like(got)
    poly(x, expected, a)  # the plain function: NumPy does the work
    ok = got.dtype == expected.dtype and np.allclose(got, expected, rtol=rtol, atol=0)
    return "OK" if ok else "MISMATCH"


def counts():
    s = sejit.stats()
    return f"compiles={s['compiles']} cache_loads={s['cache_loads']} engine_runs={s['engine_runs']}"


def child():
    """A fresh process: the same poly, the same cache directory."""
    poly_fast = jit(poly)
    x = np.random.random(1000).astype(np.float32)
    y = np.empty(1000, dtype=np.float32)
    poly_fast(x, y, 3.141)
    s = sejit.stats()
    print(f"   result {verdict(y, x, 3.141, 1e-5)}")
    print(f"   compiled {s['compiles']} times, loaded {s['cache_loads']} from the cache")
    print(f"   ({counts()})")


def best_ms(fn, args, repeats=5):
    fn(*args)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3


def main():
    cache = os.environ["SEJIT_CACHE_DIR"]
    print(f"sejit demo (cache: {cache})")

    heading("1. poly_fast = jit(poly): a dispatcher, nothing compiled yet")
    poly_fast = jit(poly)
    print(f"   {counts()}")

    heading("2. float32 arrays and a Python float: the first call compiles")
    x = np.random.random(1000).astype(np.float32)
    y = np.empty(1000, dtype=np.float32)
    t0 = time.perf_counter()
    poly_fast(x, y, 3.141)
    print(f"   first call {1e3 * (time.perf_counter() - t0):.0f} ms, {counts()}")
    print(f"   result {verdict(y, x, 3.141, 1e-5)}")

    heading("3. float64 arrays and an int: a second specialization")
    x64 = np.random.random(1000) * 10
    y64 = np.empty(1000)
    poly_fast(x64, y64, 3)
    print(f"   result {verdict(y64, x64, 3, 1e-12)}, {counts()}")
    for sig in poly_fast.signatures:
        print(f"   signature: {sig}")

    heading("4. Time on 10**7 float64 elements (best of 5, warm)")
    n = 10**7
    xb = np.random.random(n)
    yb = np.empty(n)
    t_jit = best_ms(poly_fast, (xb, yb, 3.141))
    print(f"   result {verdict(yb, xb, 3.141, 1e-12)}")
    t_np = best_ms(poly, (xb, yb, 3.141))
    print(f"   sejit {t_jit:8.2f} ms")
    print(f"   NumPy {t_np:8.2f} ms   ({t_np / t_jit:.1f}x the time of sejit)")

    heading("5. The generated C (poly_fast.explain(x, y, 3.141))")
    with contextlib.redirect_stdout(io.StringIO()):  # explain() also prints the whole account
        text = poly_fast.explain(x, y, 3.141)
    marker = "// ---- generated C ----"
    c_text = text.split(marker, 1)[1] if marker in text else text
    lines = c_text.strip("\n").splitlines()
    for line in lines[:150]:
        print(f"   {line}")
    if len(lines) > 150:
        print(f"   ... ({len(lines) - 150} more lines)")

    heading("6. A fresh process with the same cache finds poly compiled")
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child"],
        capture_output=True,
        text=True,
        env=dict(os.environ, SEJIT_CACHE_DIR=cache),
    )
    print(proc.stdout.rstrip("\n"))
    if proc.returncode != 0:
        print(f"   the child process failed:\n{proc.stderr}")
        return 1
    return 0


if __name__ == "__main__":
    if CHILD:
        child()
    else:
        import shutil

        try:
            sys.exit(main())
        finally:
            shutil.rmtree(os.environ["SEJIT_CACHE_DIR"], ignore_errors=True)
