"""A quick sweep of sejit.reduce's rows on a CPU device (device/primitives.py ROWS_PER_UNIT: the
number of rows, one work-item each, per compute unit) on a 1e7 float64 and int32 sum, each
against pyopencl's ReductionKernel in the same process (minimum of 5):

    python bench/device_reduce_sweep.py
"""
import time

import numpy as np
from pyopencl.reduction import ReductionKernel

import sejit
from sejit.device import primitives as P

ctx = sejit.Context("cpu")


def t(fn, r=5):
    fn()
    best = 1e9
    for _ in range(r):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def f(s, v):
    return s + v


for dt, ct in ((np.float64, "double"), (np.int32, "int")):
    d = ctx.asarray((np.random.default_rng(0).random(10**7) * 100).astype(dt))
    rk = ReductionKernel(ctx.cl_context, dt, neutral="0", reduce_expr="a+b", map_expr="x[i]",
                         arguments=f"__global const {ct} *x")
    for rows in (1, 2, 4, 16, 64):
        P.ROWS_PER_UNIT = rows
        a = t(lambda: sejit.reduce(f, d))
        b = t(lambda: rk(d.cl).get())
        print(np.dtype(dt).name, rows, f"sejit {a:.1f} ms  pyopencl {b:.1f} ms  ratio {b / a:.2f}",
              flush=True)
