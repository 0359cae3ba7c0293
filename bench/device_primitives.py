"""sejit.reduce and sejit.scan on an OpenCL device (PoCL) against pyopencl's ReductionKernel and
GenericScanKernel (issue 12), in one run, on the same device arrays.

* sejit     -- ``sejit.reduce(lambda s, v: s + v, d)`` (the value read back) and
               ``sejit.scan(lambda s, v: s + v, d)`` followed by ``queue.finish()``: work-group
               trees written as sejit kernels from the Python function
               (python/sejit/device/primitives.py);
* pyopencl  -- ``ReductionKernel(... reduce_expr="a+b" ...)(x).get()`` and a
               ``GenericScanKernel(... scan_expr="a+b" ...)`` into a new array, followed by
               ``queue.finish()``: both built from C strings.

Each figure includes allocating the result, as both APIs do per call. Method: bench/device.py's
(one warm-up call, interleaved rounds, minimum); results are checked against NumPy first.
Nothing passes or fails on a time.

    python bench/device_primitives.py [--rounds N] [--sizes 1000000 10000000]

Writes bench/results/device_primitives.{md,json}.
"""

import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from device import RESULTS, best_of, machine  # noqa: E402


def add(s, v):
    return s + v


def biggest(s, v):
    return s if s > v else v


CASES = [  # (name, dtype, sejit function, pyopencl reduce_expr, neutral, numpy reference)
    ("sum", np.float64, add, "a+b", "0", np.sum),
    ("sum", np.int32, add, "a+b", "0", np.sum),
    ("max", np.float32, biggest, "a>b ? a : b", "-INFINITY", np.max),
]


def run(ctx, rounds, sizes):
    import pyopencl.array as cla
    from pyopencl.reduction import ReductionKernel
    from pyopencl.scan import GenericScanKernel
    from pyopencl.tools import dtype_to_ctype

    import sejit

    q = ctx.queue
    rows = []
    for n in sizes:
        for name, dt, fn, expr, neutral, ref in CASES:
            rng = np.random.default_rng(0)
            host = (rng.random(n) * 100).astype(dt)
            d = ctx.asarray(host)
            x = d.cl
            ct = dtype_to_ctype(np.dtype(dt))
            neutral_c = neutral if np.dtype(dt).kind == "f" else ("-2147483647-1"
                                                                  if name == "max" else "0")
            rk = ReductionKernel(ctx.cl_context, dt, neutral=neutral_c, reduce_expr=expr,
                                 map_expr="x[i]", arguments=f"__global const {ct} *x")
            got, want = sejit.reduce(fn, d), ref(host)
            theirs = rk(x).get()
            tol = 1e-3 if dt == np.float32 else 1e-9
            assert np.isclose(float(got), float(want), rtol=tol), (name, got, want)
            assert np.isclose(float(theirs), float(want), rtol=tol), (name, theirs, want)

            def sj_reduce():
                sejit.reduce(fn, d)

            def cl_reduce():
                rk(x).get()

            best, med = best_of({"sejit": sj_reduce, "pyopencl": cl_reduce}, rounds)
            rows.append({"op": f"reduce {name}", "dtype": np.dtype(dt).name, "n": n,
                         "min_s": best, "median_s": med,
                         "sejit_over_pyopencl": best["pyopencl"] / best["sejit"]})
            print(rows[-1]["op"], np.dtype(dt).name, n, {k: f"{v * 1e3:.2f} ms"
                                                         for k, v in best.items()},
                  f"{rows[-1]['sejit_over_pyopencl']:.2f}x", flush=True)
            if name != "sum":
                continue
            sk = GenericScanKernel(ctx.cl_context, dt,
                                   arguments=f"__global const {ct} *ary, __global {ct} *out",
                                   input_expr="ary[i]", scan_expr="a+b", neutral="0",
                                   output_statement="out[i] = item;")
            got = sejit.scan(fn, d).get()
            out = cla.empty_like(x)
            sk(x, out)
            want = np.cumsum(host, dtype=dt)
            np.testing.assert_allclose(got, want, rtol=1e-9 if dt == np.float64 else 0)
            np.testing.assert_allclose(out.get(), want, rtol=1e-9 if dt == np.float64 else 0)

            def sj_scan():
                sejit.scan(fn, d)
                q.finish()

            def cl_scan():
                o = cla.empty_like(x)
                sk(x, o)
                q.finish()

            best, med = best_of({"sejit": sj_scan, "pyopencl": cl_scan}, rounds)
            rows.append({"op": "scan sum", "dtype": np.dtype(dt).name, "n": n, "min_s": best,
                         "median_s": med, "sejit_over_pyopencl": best["pyopencl"] / best["sejit"]})
            print(rows[-1]["op"], np.dtype(dt).name, n, {k: f"{v * 1e3:.2f} ms"
                                                         for k, v in best.items()},
                  f"{rows[-1]['sejit_over_pyopencl']:.2f}x", flush=True)
    return rows


def render(r):
    m = r["machine"]
    L = ["# sejit.reduce and sejit.scan on PoCL against pyopencl (bench/device_primitives.py)\n",
         f"Device: {r['device']}. pyopencl {r['pyopencl']}, NumPy {m['numpy']}, {m['cpus']} CPUs; "
         f"load average before {' '.join(m['uptime_load'])}, after "
         f"{' '.join(r['machine_after']['uptime_load'])}. Minimum of {r['rounds']} interleaved "
         f"rounds.\n",
         "| operation | dtype | n | sejit ms | pyopencl ms | sejit vs pyopencl |",
         "|---|---|---:|---:|---:|---:|"]
    for row in r["rows"]:
        t = row["min_s"]
        L.append(f"| {row['op']} | {row['dtype']} | {row['n']:.0e} | {t['sejit'] * 1e3:.2f} | "
                 f"{t['pyopencl'] * 1e3:.2f} | {row['sejit_over_pyopencl']:.2f}x |")
    L.append("\n(ratios > 1: sejit is faster.)")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10**6, 10**7])
    ap.add_argument("--out", default=RESULTS)
    args = ap.parse_args()

    import pyopencl as cl

    import sejit
    from sejit.device import _cl

    ctx = sejit.Context("cpu")
    if not _cl.can_build(ctx.info):
        sys.exit(f"the OpenCL device {ctx.name} cannot build kernels (make install)")
    r = {"machine": machine(), "device": f"{ctx.name} ({ctx.info.platform_name}, "
         f"{ctx.info.driver_version})", "pyopencl": cl.VERSION_TEXT, "rounds": args.rounds,
         "sizes": args.sizes}
    r["rows"] = run(ctx, args.rounds, args.sizes)
    r["machine_after"] = machine()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "device_primitives.json"), "w") as f:
        json.dump(r, f, indent=1)
    with open(os.path.join(args.out, "device_primitives.md"), "w") as f:
        f.write(render(r))
    print(render(r))


if __name__ == "__main__":
    main()
