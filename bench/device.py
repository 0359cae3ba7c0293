"""The device target's benchmark (issue 11): sejit on an OpenCL device against pyopencl.array's
unfused expressions and against sejit on the CPU, in one run, on the same inputs.

Columns, for each kernel:

* sejit-dev -- ``jit(f)`` called with DeviceArrays (the OpenCL target: kernels and the host plan,
               python/sejit/device/launch.py), followed by ``queue.finish()``; for the whole-array
               reductions, DeviceArray's own reduction (device/_reduce.py, through
               sejit.reduce's driver in device/primitives.py), since
               reductions inside jitted functions do not run on the device yet;
* pyopencl  -- the same computation as pyopencl.array expressions (one kernel and one temporary
               per operator: ``x1 = x - a; y = x1 + x1*x1``), followed by ``queue.finish()``;
* sejit-cpu -- the same function jitted and called with NumPy arrays.

Method: one warm-up call of each, then rounds in which each system is called once in turn
(interleaved, so that a burst of load on the shared machine hits all alike); a figure is the
minimum over rounds. Results are checked against NumPy first. Nothing passes or fails on a time.

Also: the per-call launch overhead (a tiny jitted function on 1-element DeviceArrays against a
raw pyopencl enqueue of an equivalent prebuilt kernel, each with ``finish()``; the minimum of
--overhead-rounds interleaved rounds of 100 calls), the cold first
device call (fresh sejit and PoCL cache directories, fresh process: engine + build from source)
and the warm first call (fresh process, sejit's cache kept: the reply and the program binary
come from it), and a cProfile of ``launch.call`` for the tiny call.

    python bench/device.py [--quick] [--rounds N] [--overhead-rounds N] [--only overhead]

Writes bench/results/device.{md,json}; with --only overhead it measures the launch overhead alone
and prints it (the results files are left as they are).
"""

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")


# -- kernels (the same source for the device and the CPU) ---------------------------------------

def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def sub(x, y, a):
    y[:] = x - a


def chain(x, y, out):
    t = x * 2.0 + y
    u = t * t - x
    out[:] = u / (1.0 + t * t)


def laplace(u, v, steps):
    for t in range(steps):
        v[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
        u, v = v, u


def total(a):
    return a.sum()


def biggest(a):
    return a.max()


def tiny(x, y):
    y[:] = x + 1.0


# -- pyopencl.array forms ---------------------------------------------------------------------

def cl_poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def cl_chain(x, y, out):
    t = x * 2.0 + y
    u = t * t - x
    out[:] = u / (1.0 + t * t)


def cl_laplace_flat(u, v, steps, n):
    """pyopencl.array's element-wise kernels take contiguous arrays only, so the 2-D interior
    slices cannot be expressed; this is the same 5-point update over the flat interior rows
    [n, n*(n-1)) with 1-D shifted views (it also writes the boundary columns, so its values
    differ there: timed, not checked)."""
    lo, hi = n, n * (n - 1)
    for t in range(steps):
        v[lo:hi] = 0.25 * (u[lo - n:hi - n] + u[lo + n:hi + n] + u[lo - 1:hi - 1] + u[lo + 1:hi + 1])
        u, v = v, u


def best_of(fns, rounds):
    """Interleaved rounds: fns is {name: callable}; returns {name: min seconds} and medians."""
    times = {k: [] for k in fns}
    for k, f in fns.items():  # warm-up
        f()
    for _ in range(rounds):
        for k, f in fns.items():
            t0 = time.perf_counter()
            f()
            times[k].append(time.perf_counter() - t0)
    return ({k: min(v) for k, v in times.items()},
            {k: sorted(v)[len(v) // 2] for k, v in times.items()})


def kernels(ctx, cl, cla, jit, quick, rounds):
    import pyopencl.tools
    q = ctx.queue
    pool = pyopencl.tools.MemoryPool(pyopencl.tools.ImmediateAllocator(q))
    n = 10**6 if quick else 10**7
    m = 256 if quick else 1024
    steps = 10 if quick else 50
    rng = np.random.default_rng(0)
    rows = []

    def finish(f):
        def g():
            f()
            q.finish()
        return g

    def record(name, desc, fns, check=None):
        if check:
            check()
        mins, meds = best_of(fns, rounds)
        row = {"kernel": name, "what": desc, "min_s": mins, "median_s": meds}
        d, p, c = mins.get("sejit-dev"), mins.get("pyopencl"), mins.get("sejit-cpu")
        row["dev_over_pyopencl"] = p / d if d and p else None  # > 1: sejit-dev faster
        row["dev_over_cpu_throughput"] = c / d if d and c else None  # > 1: device faster
        pp = mins.get("pyopencl-pool")
        row["dev_over_pyopencl_pool"] = pp / d if d and pp else None
        rows.append(row)
        print(f"{name:12s} " + "  ".join(f"{k} {v * 1e3:9.2f} ms" for k, v in mins.items())
              + f"  dev/pyopencl {row['dev_over_pyopencl'] or 0:.2f}x"
              + f"  dev/cpu {row['dev_over_cpu_throughput'] or 0:.2f}x", flush=True)

    for dt in (np.float64, np.float32):
        xh = rng.random(n).astype(dt)
        yh = np.empty_like(xh)
        x, y = ctx.asarray(xh), ctx.empty(n, dt)
        xc, yc = cla.to_device(q, xh), cla.empty(q, n, dt)
        xp, yp = cla.to_device(q, xh, allocator=pool), cla.empty(q, n, dt, allocator=pool)
        a = 3.141
        f = jit(poly)

        def check():
            want = np.empty_like(xh)
            poly(xh, want, a)
            f(x, y, a)
            np.testing.assert_allclose(y.get(), want, rtol=1e-6 if dt == np.float32 else 1e-15)
            cl_poly(xc, yc, a)
            np.testing.assert_allclose(yc.get(), want, rtol=1e-6 if dt == np.float32 else 1e-15)

        record(f"poly{np.dtype(dt).itemsize * 8}", f"x1 = x - a; y[:] = x1 + x1*x1, n={n:.0e} "
               f"{np.dtype(dt).name}",
               {"sejit-dev": finish(lambda: f(x, y, a)),
                "pyopencl": finish(lambda: cl_poly(xc, yc, a)),
                "pyopencl-pool": finish(lambda: cl_poly(xp, yp, a)),
                "sejit-cpu": lambda: f(xh, yh, a)}, check)
        del x, y, xc, yc, xp, yp

    # One operator, nothing to fuse: the difference is the kernels' own (pyopencl.array's
    # element-wise kernels run a grid-stride loop over a fixed number of work-items).
    xh = rng.random(n)
    yh = np.empty_like(xh)
    x, y = ctx.asarray(xh), ctx.empty(n, np.float64)
    xc, yc = cla.to_device(q, xh), cla.empty(q, n, np.float64)
    xp, yp = cla.to_device(q, xh, allocator=pool), cla.empty(q, n, np.float64, allocator=pool)
    f = jit(sub)
    record("sub64", f"y[:] = x - a, n={n:.0e} float64 (one operator: no fusion)",
           {"sejit-dev": finish(lambda: f(x, y, 3.0)),
            "pyopencl": finish(lambda: yc.__setitem__(slice(None), xc - 3.0)),
            "pyopencl-pool": finish(lambda: yp.__setitem__(slice(None), xp - 3.0)),
            "sejit-cpu": lambda: f(xh, yh, 3.0)})
    del x, y, xc, yc, xp, yp

    xh, yh = rng.random(n), rng.random(n)
    oh = np.empty(n)
    x, y, o = ctx.asarray(xh), ctx.asarray(yh), ctx.empty(n, np.float64)
    xc, yc, oc = cla.to_device(q, xh), cla.to_device(q, yh), cla.empty(q, n, np.float64)
    xp, yp = cla.to_device(q, xh, allocator=pool), cla.to_device(q, yh, allocator=pool)
    op = cla.empty(q, n, np.float64, allocator=pool)
    f = jit(chain)

    def check():
        want = np.empty(n)
        chain(xh, yh, want)
        f(x, y, o)
        np.testing.assert_allclose(o.get(), want, rtol=1e-14)
        cl_chain(xc, yc, oc)
        np.testing.assert_allclose(oc.get(), want, rtol=1e-14)

    record("chain64", f"t = 2x + y; u = t*t - x; out[:] = u / (1 + t*t), n={n:.0e} float64",
           {"sejit-dev": finish(lambda: f(x, y, o)),
            "pyopencl": finish(lambda: cl_chain(xc, yc, oc)),
            "pyopencl-pool": finish(lambda: cl_chain(xp, yp, op)),
            "sejit-cpu": lambda: f(xh, yh, oh)}, check)
    del x, y, o, xc, yc, oc, xp, yp, op

    uh = rng.random((m, m))
    u, v = ctx.asarray(uh), ctx.asarray(uh)
    uc, vc = cla.to_device(q, uh.ravel()), cla.to_device(q, uh.ravel())
    up, vp = (cla.to_device(q, uh.ravel(), allocator=pool) for _ in "uv")
    uh1, vh1 = uh.copy(), uh.copy()
    f = jit(laplace)

    def check():
        a, b = uh.copy(), uh.copy()
        laplace(a, b, 3)
        u2, v2 = ctx.asarray(uh), ctx.asarray(uh)
        f(u2, v2, 3)
        np.testing.assert_allclose(u2.get(), a, rtol=1e-14)
        np.testing.assert_allclose(v2.get(), b, rtol=1e-14)

    record("laplace64", f"2-D 5-point stencil, {m}x{m} float64, {steps} steps with a swap "
           f"(pyopencl: flat 1-D form, see cl_laplace_flat)",
           {"sejit-dev": finish(lambda: f(u, v, steps)),
            "pyopencl": finish(lambda: cl_laplace_flat(uc, vc, steps, m)),
            "pyopencl-pool": finish(lambda: cl_laplace_flat(up, vp, steps, m)),
            "sejit-cpu": lambda: f(uh1, vh1, steps)}, check)
    del u, v, uc, vc, up, vp

    ah = rng.random(n)
    ad, ac = ctx.asarray(ah), cla.to_device(q, ah)
    ap = cla.to_device(q, ah, allocator=pool)
    for name, fn, clfn, npfn in (("sum64", total, cla.sum, np.sum), ("max64", biggest, cla.max, np.max)):
        f = jit(fn)

        def check():
            want = npfn(ah)
            np.testing.assert_allclose(fn(ad), want, rtol=1e-12)
            np.testing.assert_allclose(clfn(ac).get(), want, rtol=1e-12)
            np.testing.assert_allclose(f(ah), want, rtol=1e-12)

        record(name, f"a.{name[:3]}() of n={n:.0e} float64 (device: DeviceArray.{name[:3]}, "
               f"two-stage kernel; pyopencl: pyopencl.array.{name[:3]})",
               {"sejit-dev": lambda: fn(ad),  # the result is read back: synchronous
                "pyopencl": lambda: clfn(ac).get(),
                "pyopencl-pool": lambda: clfn(ap).get(),
                "sejit-cpu": lambda: f(ah)}, check)
    return rows


def overhead(ctx, cl, jit, quick, rounds):
    q = ctx.queue
    x, y = ctx.asarray(np.ones(1)), ctx.empty(1, np.float64)
    f = jit(tiny)
    f(x, y)
    assert y.get()[0] == 2.0
    prog = cl.Program(ctx.cl_context, """
        #pragma OPENCL EXTENSION cl_khr_fp64 : enable
        __kernel void tiny(__global const double *x, __global double *y) { y[0] = x[0] + 1.0; }
    """).build()
    k = prog.tiny
    xb, yb = x._buf, y._buf
    # Many short rounds: a round of 1000 calls lasts 20-100 ms, and on a shared machine few
    # such windows are free of other work (minimums of 15 such rounds moved by 2-3x between
    # runs); 100 calls last 1-5 ms, and the minimum of 1000 rounds moved by 5% between runs.
    calls = 100

    def sejit_calls():
        for _ in range(calls):
            f(x, y)
            q.finish()

    def raw_calls():
        for _ in range(calls):
            k.set_args(xb, yb)
            cl.enqueue_nd_range_kernel(q, k, (1,), None)
            q.finish()

    def raw_call_form():  # pyopencl's convenience call: set_args + enqueue in one
        for _ in range(calls):
            k(q, (1,), None, xb, yb)
            q.finish()

    mins, meds = best_of({"sejit-dev": sejit_calls, "pyopencl-raw": raw_calls,
                          "pyopencl-kernel-call": raw_call_form}, rounds)
    per = {k: v / calls for k, v in mins.items()}
    print("launch overhead per call: " + "  ".join(f"{k} {v * 1e6:.1f} us" for k, v in per.items()),
          flush=True)

    from sejit.device import launch
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(calls):
        launch.call(f, (x, y))
    pr.disable()
    q.finish()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(15)
    prof = "\n".join(line for line in s.getvalue().splitlines() if line.strip())
    return {"calls": calls, "per_call_s": per,
            "sejit_over_raw": per["sejit-dev"] / per["pyopencl-raw"], "profile": prof}


FIRST = r"""
import time, sys
t0 = time.perf_counter()
import numpy as np, sejit
ctx = sejit.Context("cpu")
x, y = ctx.asarray(np.arange(1000.0)), ctx.empty(1000, np.float64)
def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1
f = sejit.jit(poly)
t1 = time.perf_counter()
f(x, y, 3.0)
ctx.queue.finish()
t2 = time.perf_counter()
assert abs(y.get()[10] - (7.0 + 49.0)) < 1e-12
print(t1 - t0, t2 - t1)
"""


def first_calls(reps):
    """Cold: fresh sejit and PoCL caches (engine + build from source); warm: sejit's cache kept,
    PoCL's fresh (the binary from sejit's cache); warm+pocl: both kept."""
    out = {"cold": [], "warm": [], "warm_pocl_cache": [], "setup": []}
    for _ in range(reps):
        work = tempfile.mkdtemp(prefix="sejit-devbench-")
        try:
            env = dict(os.environ, SEJIT_CACHE_DIR=os.path.join(work, "sejit"),
                       POCL_CACHE_DIR=os.path.join(work, "pocl0"))

            script = os.path.join(work, "first.py")  # sejit reads the function's source back
            with open(script, "w") as f:
                f.write(FIRST)

            def run(env):
                r = subprocess.run([sys.executable, script], env=env, capture_output=True,
                                   text=True)
                if r.returncode:
                    raise RuntimeError(f"first-call process failed:\n{r.stderr}")
                a, b = map(float, r.stdout.split())
                return a, b

            setup, cold = run(env)
            _, warm = run(dict(env, POCL_CACHE_DIR=os.path.join(work, "pocl1")))
            _, warm2 = run(dict(env, POCL_CACHE_DIR=os.path.join(work, "pocl1")))
            out["cold"].append(cold)
            out["warm"].append(warm)
            out["warm_pocl_cache"].append(warm2)
            out["setup"].append(setup)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    res = {k: min(v) for k, v in out.items()}
    res["all"] = out
    print("first call: " + "  ".join(f"{k} {v * 1e3:.0f} ms" for k, v in res.items() if k != "all"),
          flush=True)
    return res


def machine():
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    return {"uptime_load": load, "cpus": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__}


def render(r):
    L = []
    m = r["machine"]
    L.append("# Device target on PoCL (bench/device.py)\n")
    L.append(f"Device: {r['device']}. pyopencl {r['pyopencl']}, NumPy {m['numpy']}, Python "
             f"{m['python']}, {m['cpus']} CPUs; load average before {' '.join(m['uptime_load'])}, "
             f"after {' '.join(r['machine_after']['uptime_load'])}. Minimum of {r['rounds']} "
             f"interleaved rounds.\n")
    L.append("| kernel | sejit-dev ms | pyopencl.array ms | pyopencl.array+pool ms | sejit-cpu ms "
             "| dev vs pyopencl | dev vs pyopencl+pool | dev vs cpu throughput |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in r["kernels"]:
        t = row["min_s"]
        L.append(f"| {row['kernel']} | {t['sejit-dev'] * 1e3:.2f} | {t['pyopencl'] * 1e3:.2f} | "
                 f"{t['pyopencl-pool'] * 1e3:.2f} | {t['sejit-cpu'] * 1e3:.2f} | "
                 f"{row['dev_over_pyopencl']:.2f}x | {row['dev_over_pyopencl_pool']:.2f}x | "
                 f"{row['dev_over_cpu_throughput']:.2f}x |")
    L.append("\n(ratios > 1: sejit on the device is faster. pyopencl.array allocates a buffer per "
             "temporary by default; +pool: the same arrays with a pyopencl.tools.MemoryPool "
             "allocator, as pyopencl's documentation advises.)\n")
    for row in r["kernels"]:
        L.append(f"- {row['kernel']}: {row['what']}")
    o = r["overhead"]
    L.append("\n## Launch overhead (1-element arrays, per call incl. finish)\n")
    for k, v in o["per_call_s"].items():
        L.append(f"- {k}: {v * 1e6:.1f} us")
    L.append(f"- sejit / raw pyopencl: {o['sejit_over_raw']:.2f}x")
    fc = r["first_calls"]
    L.append("\n## First device call (fresh process; poly on 1000 float64)\n")
    L.append(f"- cold (fresh sejit and PoCL caches: engine + build from source): "
             f"{fc['cold'] * 1e3:.0f} ms")
    L.append(f"- warm (sejit cache kept, PoCL cache fresh: reply and binary from sejit's cache): "
             f"{fc['warm'] * 1e3:.0f} ms")
    L.append(f"- warm with PoCL's cache kept too: {fc['warm_pocl_cache'] * 1e3:.0f} ms")
    L.append(f"- before the call (import numpy, sejit, Context, asarray): {fc['setup'] * 1e3:.0f} ms")
    L.append("\n## Targets (issue 11)\n")
    for t in r["targets"]:
        L.append(f"- {'met' if t['met'] else 'MISSED'}: {t['target']} -- measured {t['measured']}")
    L.append("\n## cProfile of launch.call, tiny call\n")
    L.append("```\n" + o["profile"] + "\n```")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--first-reps", type=int, default=3)
    ap.add_argument("--out", default=RESULTS)
    ap.add_argument("--overhead-rounds", type=int, default=1000,
                    help="rounds of 100 calls for the launch overhead")
    ap.add_argument("--only", choices=["overhead"], help="measure only this part; write no files")
    args = ap.parse_args()

    import pyopencl as cl
    import pyopencl.array as cla

    import sejit
    from sejit import jit
    from sejit.device import _cl

    ctx = sejit.Context("cpu")
    if not _cl.can_build(ctx.info):
        sys.exit(f"the OpenCL device {ctx.name} cannot build kernels (make install)")
    r = {"machine": machine(), "device": f"{ctx.name} ({ctx.info.platform_name}, "
         f"{ctx.info.driver_version})", "pyopencl": cl.VERSION_TEXT, "rounds": args.rounds,
         "quick": args.quick}
    print(r["device"], "load", r["machine"]["uptime_load"], flush=True)
    if args.only == "overhead":
        o = overhead(ctx, cl, jit, args.quick, args.overhead_rounds)
        print(f"sejit / raw pyopencl: {o['sejit_over_raw']:.2f}x ({o['calls']} calls a round, "
              f"{args.overhead_rounds} rounds, minimum)")
        print(o["profile"])
        return
    r["kernels"] = kernels(ctx, cl, cla, jit, args.quick, args.rounds)
    r["overhead"] = overhead(ctx, cl, jit, args.quick, args.overhead_rounds)
    r["first_calls"] = first_calls(args.first_reps)
    r["machine_after"] = machine()
    p64 = next(k for k in r["kernels"] if k["kernel"] == "poly64")
    p32 = next(k for k in r["kernels"] if k["kernel"] == "poly32")
    r["targets"] = [
        {"target": "fused poly >= 2x faster than pyopencl.array",
         "met": p64["dev_over_pyopencl"] >= 2 and p32["dev_over_pyopencl"] >= 2,
         "measured": f"{p64['dev_over_pyopencl']:.2f}x (float64), {p32['dev_over_pyopencl']:.2f}x (float32)"},
        {"target": "fused poly >= 0.7x sejit CPU throughput",
         "met": p64["dev_over_cpu_throughput"] >= 0.7 and p32["dev_over_cpu_throughput"] >= 0.7,
         "measured": f"{p64['dev_over_cpu_throughput']:.2f}x (float64), "
                     f"{p32['dev_over_cpu_throughput']:.2f}x (float32)"},
        {"target": "warm first call <= 150 ms", "met": r["first_calls"]["warm"] <= 0.150,
         "measured": f"{r['first_calls']['warm'] * 1e3:.0f} ms (PoCL cache fresh), "
                     f"{r['first_calls']['warm_pocl_cache'] * 1e3:.0f} ms (PoCL cache kept)"},
        {"target": "launch overhead within 1.5x of raw pyopencl",
         "met": r["overhead"]["sejit_over_raw"] <= 1.5,
         "measured": f"{r['overhead']['sejit_over_raw']:.2f}x "
                     f"({r['overhead']['per_call_s']['sejit-dev'] * 1e6:.0f} us vs "
                     f"{r['overhead']['per_call_s']['pyopencl-raw'] * 1e6:.0f} us)"},
    ]
    for t in r["targets"]:
        print(("met   " if t["met"] else "MISSED"), t["target"], "--", t["measured"])
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "device.json"), "w") as f:
        json.dump(r, f, indent=1)
    with open(os.path.join(args.out, "device.md"), "w") as f:
        f.write(render(r))


if __name__ == "__main__":
    main()
