"""A quick sweep of sejit.reduce's work-group size and chunk (device/primitives.py WG, PER) on a
1e7 float64 sum, each against pyopencl's ReductionKernel in the same process (minimum of 5):

    python bench/device_reduce_sweep.py
"""
import numpy as np, sejit, time
from sejit.device import primitives as P
from pyopencl.reduction import ReductionKernel
ctx = sejit.Context("cpu")
x = np.random.default_rng(0).random(10**7)
d = ctx.asarray(x)
rk = ReductionKernel(ctx.cl_context, np.float64, neutral="0", reduce_expr="a+b", map_expr="x[i]", arguments="__global const double *x")
f = lambda s, v: s + v
def t(fn, r=5):
    fn(); best = 1e9
    for _ in range(r):
        t0 = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t0)
    return best * 1e3
for wg, per in [(128, 32), (128, 128), (256, 64), (64, 256), (128, 512)]:
    P.WG, P.PER = wg, per
    a = t(lambda: sejit.reduce(f, d)); b = t(lambda: rk(d.cl).get())
    print(wg, per, f"sejit {a:.1f} ms  pyopencl {b:.1f} ms  ratio {b/a:.2f}", flush=True)
