"""Matrix products (issue 15): sejit's gemm through NumPy's BLAS against NumPy (and Numba where
installed: sh bench/peers.sh .venv/bin/python), in one run on the same inputs.

Rows: c = a @ b (float64, n x n, n = 64, 256, 1024, and float32 at 256) and the epilogue
c[:] = alpha * a @ b + beta * c; "loops" is sejit with BLAS detached (sejit._blas.enable(False)),
the loop nest a product below SEJIT_GEMM_MIN runs, for the threshold (--sweep: n = 8..64; run it
also with SEJIT_CFLAGS=-DSEJIT_GEMM_MIN=1 for BLAS at every size). "loops" includes two calls
detaching and attaching BLAS, about 0.1 us.
Timing: interleaved rounds (each system once per round), minimum over rounds; ratios are
system / NumPy. Nothing passes or fails on a time.

    .venv/bin/python bench/blas.py [--sweep] [--budget SECONDS]
"""

import argparse
import time

import numpy as np

import sejit
from sejit import _blas


def mm(a, b):
    return a @ b


def epi(c, a, b, alpha, beta):
    c[:] = alpha * a @ b + beta * c


def np_epi(c, a, b, alpha, beta):
    c[:] = alpha * a @ b + beta * c


def loops(fn):
    def run(*args):
        _blas.enable(False)
        try:
            return fn(*args)
        finally:
            _blas.enable(True)

    return run


def systems(kind):
    out = {}
    if kind == "mm":
        out["numpy"] = mm
        out["sejit"] = sejit.jit(mm)
    else:
        out["numpy"] = np_epi
        out["sejit"] = sejit.jit(epi)
    out["loops"] = loops(out["sejit"])
    try:
        import numba

        out["numba"] = numba.njit(mm if kind == "mm" else epi)
    except ImportError:
        pass
    return out


def bench(kind, n, dt, budget, with_loops):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dt)
    b = rng.standard_normal((n, n)).astype(dt)
    c = rng.standard_normal((n, n)).astype(dt)
    args = (a, b) if kind == "mm" else (c, a, b, 1.5, 0.5)
    sy = systems(kind)
    if not with_loops:
        sy.pop("loops")
    for k, f in list(sy.items()):
        try:
            f(*args)
            f(*args)
        except Exception as exc:  # a peer that cannot run this row is reported, not dropped silently
            print(f"  {k}: {type(exc).__name__}: {str(exc).splitlines()[0][:100]}")
            del sy[k]
    best = {k: float("inf") for k in sy}
    end = time.perf_counter() + budget
    rounds = 0
    while rounds < 5 or time.perf_counter() < end:
        for k, f in sy.items():
            t = time.perf_counter()
            f(*args)
            best[k] = min(best[k], time.perf_counter() - t)
        rounds += 1
    base = best["numpy"]
    cells = "  ".join(f"{k} {best[k] * 1e6:10.1f} us ({best[k] / base:5.2f}x)" for k in sy)
    label = "c = a @ b" if kind == "mm" else "c[:] = al*a@b + be*c"
    print(f"{label:22s} {np.dtype(dt).name:8s} n={n:5d}  {cells}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sweep", action="store_true", help="small sizes, BLAS against the loops")
    ap.add_argument("--budget", type=float, default=1.0, help="seconds per row")
    o = ap.parse_args()
    print("BLAS:", _blas.info()[0])
    if o.sweep:
        for n in (8, 16, 24, 32, 40, 48, 64):
            bench("mm", n, np.float64, o.budget, True)
        return
    for n in (64, 256, 1024):
        bench("mm", n, np.float64, o.budget, n <= 256)
    bench("mm", 256, np.float32, o.budget, False)
    for n in (64, 256, 1024):
        bench("epi", n, np.float64, o.budget, False)


if __name__ == "__main__":
    main()
