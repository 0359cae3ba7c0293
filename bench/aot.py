"""Ahead-of-time modules against Pythran's: import time and call overhead, in one run.

    .venv/bin/python bench/aot.py [--calls 1000000] [--imports 30]

Builds one small file into an extension module twice: with `python -m sejit build` (sejit's
ahead-of-time module, --cpu x86-64-v2, the default) and with Pythran from its own environment
(bench/.peers/pythran, installed by `sh bench/peers.sh .venv/bin/python`; -O3, its default
-march). Both modules export the same signatures of the same source. Then:

* import time: a fresh interpreter per sample imports numpy (both modules need it), then times
  `import mod` alone, in wall-clock and in CPU time (the process's, steadier on a busy
  machine); the medians of --imports samples;
* call overhead: --calls calls of a tiny kernel in a plain loop (per call, best of 3), with a
  tiny array argument, with scalars only, and the same calls to the JIT (sejit.jit) and to the
  plain Python function for scale.

The ratios printed are sejit/Pythran, from this one run on this machine.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHRAN_PY = os.path.join(HERE, ".peers", "pythran", "bin", "python")

SOURCE = '''\
# sejit export first(float64[:], float)
# pythran export first(float64[:], float)
def first(x, a):
    return x[0] + a

# sejit export add(float, float)
# pythran export add(float, float)
def add(a, b):
    return a * b + 1.0

# sejit export poly(float64[:], float64[:], float)
# pythran export poly(float64[:], float64[:], float)
def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1
'''


def build(work):
    src = os.path.join(work, "aotbench.py")
    with open(src, "w") as f:
        f.write(SOURCE)
    out = {}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sejit", "build", src, "-o",
                    os.path.join(work, "sejit")], check=True, stdout=subprocess.DEVNULL)
    out["sejit"] = (os.path.join(work, "sejit"), time.perf_counter() - t0)
    if os.path.exists(PYTHRAN_PY):
        pdir = os.path.join(work, "pythran")
        os.makedirs(pdir)
        t0 = time.perf_counter()
        p = subprocess.run([PYTHRAN_PY, "-m", "pythran.run", "-O3", src, "-o",
                            os.path.join(pdir, "aotbench.so")], capture_output=True, text=True,
                           cwd=pdir)
        if p.returncode == 0:
            out["pythran"] = (pdir, time.perf_counter() - t0)
        else:
            print("pythran failed:", (p.stderr or p.stdout)[-500:])
    else:
        print(f"pythran: not installed at {PYTHRAN_PY} (sh bench/peers.sh .venv/bin/python)")
    return out


IMPORT_PROBE = ("import sys, time, numpy; t, c = time.perf_counter(), time.process_time(); "
                "import aotbench; print(time.perf_counter() - t, time.process_time() - c)")


def import_time(directory, n):
    env = dict(os.environ, PYTHONPATH=directory)
    wall, cpu = [], []
    for _ in range(n):
        p = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True,
                           env=env, check=True)
        w, c = p.stdout.split()
        wall.append(float(w))
        cpu.append(float(c))
    return statistics.median(wall), statistics.median(cpu)


def per_call(f, args, n):
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(n):
            f(*args)
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def load(directory):
    import importlib.util

    path = next(os.path.join(directory, p) for p in os.listdir(directory)
                if p.startswith("aotbench.") and p.endswith(".so"))
    spec = importlib.util.spec_from_file_location("aotbench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--imports", type=int, default=30)
    args = ap.parse_args()
    import numpy as np

    import sejit

    work = tempfile.mkdtemp(prefix="sejit-aot-bench-")
    try:
        built = build(work)
        print(f"{'':24}" + "".join(f"{s:>12}" for s in built) + f"{'ratio':>10}")
        print(f"{'build (s)':24}" + "".join(f"{t:12.2f}" for _, t in built.values()))
        imports = {s: import_time(d, args.imports) for s, (d, _) in built.items()}
        for i, what in enumerate(("wall", "CPU")):
            row = "".join(f"{imports[s][i] * 1e3:12.3f}" for s in built)
            ratio = (f"{imports['sejit'][i] / imports['pythran'][i]:10.2f}"
                     if "pythran" in imports else "")
            print(f"{f'import (ms, {what})':24}{row}{ratio}")
        mods = {s: load(d) for s, (d, _) in built.items()}
        import linecache

        ns = {}
        linecache.cache["<aotbench>"] = (len(SOURCE), None, SOURCE.splitlines(True), "<aotbench>")
        exec(compile(SOURCE, "<aotbench>", "exec"), ns)
        x, y = np.arange(8.0), np.empty(8)
        calls = [("first(x8, 1.0)", "first", (x, 1.0)), ("add(2.0, 3.0)", "add", (2.0, 3.0)),
                 ("poly(x8, y8, 1.0)", "poly", (x, y, 1.0))]
        for label, name, cargs in calls:
            t = {s: per_call(getattr(m, name), cargs, args.calls) for s, m in mods.items()}
            row = "".join(f"{t[s] * 1e9:12.1f}" for s in built)
            ratio = f"{t['sejit'] / t['pythran']:10.2f}" if "pythran" in t else ""
            jit = sejit.jit(ns[name])
            jit(*cargs)
            tj = per_call(jit, cargs, args.calls)
            tp = per_call(ns[name], cargs, args.calls)
            print(f"{label + ' (ns)':24}{row}{ratio}   jit {tj * 1e9:.1f}, Python {tp * 1e9:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
