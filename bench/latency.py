"""Start-up latency and call overhead of sejit (and Numba, where it applies), each measured in
fresh processes (issue 5, "Latency and overhead").

* ``import sejit``: in a fresh interpreter, with NumPy imported first (sejit imports NumPy; the
  target is sejit's own share) and, for reference, including NumPy's import.
* cold first call: DESIGN §1's poly on 1000 float32 elements in a fresh process with an empty
  cache (three batches of runs spread over the measurement, the minimum of all):
  ``from sejit import jit`` + ``jit(poly)`` + the first call (engine, C compiler, load),
  timed inside the process from just before the import. Numba: ``import numba`` +
  ``njit(poly)`` (cache=False) + the first call.
* the cold call's parts, from an instrumented run: the Python side (classify the arguments,
  build the request and key), the engine subprocess, the rest (loading); and, separately on
  the same request, the engine without the C compiler (``sejitc explain``), the C compiler
  alone on the generated C with sejit's flags, ``cc --version`` (the engine stamps the
  compiler on every compile) and an empty engine start (``sejitc version``).
* warm first call: a fresh process whose cache holds poly: the first call after the import.
  Numba: ``njit(cache=True)`` with a warm cache, first call after import.
* call overhead: ``f(*args)`` in a Python ``for`` loop, minimum over repeats of the time per
  iteration (40 rounds of 100 000 calls in each of 5 fresh processes per system, the systems
  taken in turn), for ``add(1.0, 2.0)`` and for poly on 1-element float64 arrays; the empty
  loop's own time is shown beside it (it is included in the figures, as in HOPE's harness).

    python bench/latency.py [--json] [--quick]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap

PY = sys.executable

POLY = textwrap.dedent("""
    def poly(x, y, a):
        x1 = x - a
        y[:] = x1 + x1 * x1

    def add(a, b):
        return a + b
    """)


def run_py(code, env=None, cwd=None):
    """Runs code in a fresh interpreter; returns its last stdout line as JSON."""
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=e, cwd=cwd,
                       timeout=300)
    if p.returncode != 0:
        raise RuntimeError(f"child failed: {(p.stderr.strip().splitlines() or ['?'])[-1]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def timed_cmd(cmd, stdin=None, env=None):
    import time

    e = dict(os.environ)
    e.update(env or {})
    t0 = time.perf_counter()
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=e)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {(p.stderr.strip().splitlines() or ['?'])[-1]}")
    return dt


def best(xs):
    return {"min": min(xs), "median": statistics.median(xs), "n": len(xs)}


def import_times(reps):
    code_np_first = ("import time, numpy; t = time.perf_counter(); import sejit; "
                     "import json; print(json.dumps(time.perf_counter() - t))")
    code_all = ("import time; t = time.perf_counter(); import sejit; "
                "import json; print(json.dumps(time.perf_counter() - t))")
    code_numpy = ("import time; t = time.perf_counter(); import numpy; "
                  "import json; print(json.dumps(time.perf_counter() - t))")
    code_numba = ("import time, numpy; t = time.perf_counter(); import numba; "
                  "import json; print(json.dumps(time.perf_counter() - t))")
    out = {
        "sejit_after_numpy": best([run_py(code_np_first) for _ in range(reps)]),
        "sejit_with_numpy": best([run_py(code_all) for _ in range(reps)]),
        "numpy": best([run_py(code_numpy) for _ in range(reps)]),
    }
    try:
        out["numba_after_numpy"] = best([run_py(code_numba) for _ in range(max(3, reps // 3))])
    except RuntimeError as e:
        out["numba_after_numpy"] = f"missing: {e}"
    out["interpreter"] = best([timed_cmd([PY, "-S", "-c", "pass"]) for _ in range(reps)])
    return out


# The cold/warm first call, instrumented: where the time of a first call goes.
FIRST_CALL = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    sys.path.insert(0, {moddir!r})
    x = np.random.random(1000).astype(np.float32)
    y = np.empty(1000, dtype=np.float32)
    t0 = time.perf_counter()
    import sejit
    from sejit import jit, _engine, dispatcher
    t1 = time.perf_counter()
    parts = {{"prepare": 0.0, "engine": 0.0}}
    real_run, real_prepare = _engine.run, dispatcher.Dispatcher._prepare
    def run(request, name):
        t = time.perf_counter()
        try:
            return real_run(request, name)
        finally:
            parts["engine"] += time.perf_counter() - t
            if {save!r}:
                with open({save!r}, "w") as f:
                    json.dump(request, f)
    def prepare(self, args):
        t = time.perf_counter()
        try:
            return real_prepare(self, args)
        finally:
            parts["prepare"] += time.perf_counter() - t
    _engine.run = run
    dispatcher.Dispatcher._prepare = prepare
    from polymod import poly
    f = jit(poly)
    t2 = time.perf_counter()
    f(x, y, 3.141)
    t3 = time.perf_counter()
    assert np.allclose(y, (x - np.float32(3.141)) + (x - np.float32(3.141)) ** 2, rtol=1e-5)
    print(json.dumps({{"import": t1 - t0, "first_call": t3 - t2, "total": t3 - t0,
                      "stats": sejit.stats(), **parts}}))
    """)

NUMBA_FIRST = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    sys.path.insert(0, {moddir!r})
    x = np.random.random(1000).astype(np.float32)
    y = np.empty(1000, dtype=np.float32)
    t0 = time.perf_counter()
    import numba
    t1 = time.perf_counter()
    from {module} import poly
    t2 = time.perf_counter()
    poly(x, y, 3.141)
    t3 = time.perf_counter()
    print(json.dumps({{"import": t1 - t0, "first_call": t3 - t2, "total": t3 - t0}}))
    """)


def first_calls(reps, work):
    moddir = os.path.join(work, "mod")
    os.makedirs(moddir, exist_ok=True)
    with open(os.path.join(moddir, "polymod.py"), "w") as f:
        f.write("import numpy as np\n" + POLY)
    with open(os.path.join(moddir, "numba_cold.py"), "w") as f:
        f.write("import numba\n" + POLY.replace("def poly", "@numba.njit(cache=False)\ndef poly"))
    with open(os.path.join(moddir, "numba_warm.py"), "w") as f:
        f.write("import numba\n" + POLY.replace("def poly", "@numba.njit(cache=True)\ndef poly"))
    out = {}
    # Cold: a new empty cache each time, in three batches of reps runs: one now, one after the
    # warm runs, one after the engine's parts. A burst of load from another job on this shared
    # machine lasts seconds; one batch of runs in a row could fall inside it.
    cold = []
    req = os.path.join(work, "request.json")

    def cold_batch():
        nonlocal cache
        for _ in range(reps):
            cache = tempfile.mkdtemp(prefix="cold-", dir=work)
            cold.append(run_py(FIRST_CALL.format(moddir=moddir, save="" if cold else req),
                               env={"SEJIT_CACHE_DIR": cache}))
            assert cold[-1]["stats"]["compiles"] == 1, cold[-1]

    cache = None
    cold_batch()
    # Warm: the last cold run's cache.
    warm = [run_py(FIRST_CALL.format(moddir=moddir, save=""), env={"SEJIT_CACHE_DIR": cache})
            for _ in range(reps)]
    assert all(w["stats"]["compiles"] == 0 and w["stats"]["cache_loads"] == 1 for w in warm)
    out["sejit_warm"] = {k: best([w[k] for w in warm])
                         for k in ("import", "first_call", "total", "prepare")}
    warm_cache = cache
    cold_batch()
    out["engine_parts"] = engine_parts(req, warm_cache, work, reps)
    cold_batch()
    out["sejit_cold"] = {k: best([c[k] for c in cold])
                         for k in ("import", "first_call", "total", "prepare", "engine")}
    # Numba.
    try:
        ncold = [run_py(NUMBA_FIRST.format(moddir=moddir, module="numba_cold"))
                 for _ in range(max(3, reps // 2))]
        out["numba_cold"] = {k: best([c[k] for c in ncold])
                             for k in ("import", "first_call", "total")}
        nenv = {"NUMBA_CACHE_DIR": os.path.join(work, "numba-cache")}
        run_py(NUMBA_FIRST.format(moddir=moddir, module="numba_warm"), env=nenv)  # fills it
        nwarm = [run_py(NUMBA_FIRST.format(moddir=moddir, module="numba_warm"), env=nenv)
                 for _ in range(max(3, reps // 2))]
        out["numba_warm"] = {k: best([c[k] for c in nwarm])
                             for k in ("import", "first_call", "total")}
    except RuntimeError as e:
        out["numba_cold"] = out["numba_warm"] = f"missing: {e}"
    return out


def engine_parts(req_path, warm_cache, work, reps):
    """The engine's share of a cold compile, taken apart on the saved request."""
    from sejit._engine import engine_path

    eng = engine_path()
    with open(req_path) as f:
        req = json.load(f)
    out = {}
    out["engine_start (sejitc version)"] = best(
        [timed_cmd([eng, "version"]) for _ in range(reps)])
    fresh = []
    for _ in range(reps):
        r = dict(req, cache_dir=tempfile.mkdtemp(prefix="eng-", dir=work))
        fresh.append(timed_cmd([eng, "compile"], stdin=json.dumps(r)))
    out["sejitc compile (engine + cc)"] = best(fresh)
    out["sejitc explain (no cc)"] = best(
        [timed_cmd([eng, "explain"], stdin=json.dumps(dict(req, explain=True)))
         for _ in range(reps)])
    cc = req.get("cc") or "cc"
    out["cc --version"] = best([timed_cmd([cc, "--version"]) for _ in range(reps)])
    csrc = None
    for root, _, files in os.walk(warm_cache):
        csrc = next((os.path.join(root, f) for f in files if f.endswith(".c")), csrc)
    if csrc:
        # The engine's flags and libraries (internal/build: Flags, and the lean link of
        # link.go, which it uses without SEJIT_CFLAGS).
        flags = ["-O3", "-march=native", "-std=gnu11", "-fPIC", "-shared", "-fno-math-errno",
                 "-ffp-contract=off", "-fwrapv", "-fno-strict-aliasing", "-falign-loops=32",
                 "-funroll-loops", "-nostdlib", "-pipe"]
        libs = ["-lm", "-lgcc"]
        so = os.path.join(work, "x.so")
        out["cc -O3 on the generated C"] = best(
            [timed_cmd([cc, *flags, "-o", so, csrc, *libs]) for _ in range(reps)])
        out["cc -O1 on the generated C"] = best(
            [timed_cmd([cc, *[f if f != "-O3" else "-O1" for f in flags], "-o", so, csrc,
                        *libs]) for _ in range(reps)])
        obj = os.path.join(work, "x.o")
        out["  of which compile only (cc -c)"] = best(
            [timed_cmd([cc, *[f for f in flags if f not in ("-shared", "-nostdlib")], "-c",
                        "-o", obj, csrc]) for _ in range(reps)])
        out["  of which link only"] = best(
            [timed_cmd([cc, "-shared", "-nostdlib", "-o", so, obj, *libs])
             for _ in range(reps)])
        out["  link only, the ordinary link"] = best(
            [timed_cmd([cc, "-shared", "-o", so, obj, "-lm"]) for _ in range(reps)])
        with open(csrc) as f:
            text = f.read()
        out["generated C lines"] = text.count("\n")
        cut = text.find("/* ---- kernel ---- */")
        if cut > 0:
            # The ABI header and the part of the helper prelude this kernel carries (the unit
            # is trimmed to the helpers it uses), with no kernel.
            prelude = os.path.join(work, "prelude.c")
            with open(prelude, "w") as f:
                f.write(text[:cut] + "int sejit_probe(void) { return 0; }\n")
            out["cc -O3 on the prelude alone"] = best(
                [timed_cmd([cc, *flags, "-o", so, prelude, *libs]) for _ in range(reps)])
        empty = os.path.join(work, "empty.c")
        with open(empty, "w") as f:
            f.write("int sejit_probe(void) { return 0; }\n")
        out["cc -O3 on an empty C file"] = best(
            [timed_cmd([cc, *flags, "-o", so, empty, *libs]) for _ in range(reps)])
        tcc = shutil.which("tcc")
        if tcc:
            # A fast first tier? tcc (Debian's package; make bench does not install it) has no
            # _Complex, so the prelude's complex helpers are cut out for a second try.
            try:
                out["tcc on the generated C"] = best(
                    [timed_cmd([tcc, "-shared", "-fPIC", "-o", so, csrc, "-lm"])
                     for _ in range(reps)])
            except RuntimeError as e:
                out["tcc on the generated C"] = f"fails: {e}"
                stripped = strip_complex(text)
                if stripped:
                    nc = os.path.join(work, "nocomplex.c")
                    with open(nc, "w") as f:
                        f.write(stripped)
                    try:
                        out["tcc, complex helpers cut out"] = best(
                            [timed_cmd([tcc, "-shared", "-fPIC", "-o", so, nc, "-lm"])
                             for _ in range(reps)])
                    except RuntimeError as e2:
                        out["tcc, complex helpers cut out"] = f"fails: {e2}"
    return out


def strip_complex(text):
    """The generated C without <complex.h> and the helpers that need it, or None."""
    import re

    start = text.find("static inline sejit_c128 sejit_c128_pow")
    end = text.find("/* ---- kernel ---- */")
    if "#include <complex.h>" not in text or start < 0 or end < start:
        return None
    text = text[:start] + text[end:]
    text = text.replace("#include <complex.h>\n", "")
    return re.sub(r"#define SEJIT_CFUNC\(NAME\).*?\nSEJIT_CFUNC\(tanh\)\n", "", text,
                  flags=re.S)


OVERHEAD = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    sys.path.insert(0, {moddir!r})
    from {module} import poly, add
    {wrap}
    x = np.array([0.5]); y = np.empty(1)
    cases = {{"add(1.0, 2.0)": (add, (1.0, 2.0)), "poly(1-element float64)": (poly, (x, y, 3.141))}}
    for f, args in cases.values():
        f(*args); f(*args)
    def loop(f, args, n):
        t = time.perf_counter_ns()
        for _ in range(n):
            f(*args)
        return (time.perf_counter_ns() - t) / n
    def empty(n):
        t = time.perf_counter_ns()
        for _ in range(n):
            pass
        return (time.perf_counter_ns() - t) / n
    # Rounds that time every case and the empty loop in turn, so that a burst of load from
    # another process hits them alike; the minimum over rounds is reported.
    out = {{name: float("inf") for name in [*cases, "empty loop"]}}
    for _ in range({reps}):
        for name, (f, args) in cases.items():
            out[name] = min(out[name], loop(f, args, {n}))
        out["empty loop"] = min(out["empty loop"], empty({n}))
    print(json.dumps(out))
    """)


def build_gilprobe(work):
    """bench/gilprobe.c built as an extension module in work; None if it does not build."""
    import sysconfig

    so = os.path.join(work, "gilprobe" + sysconfig.get_config_var("EXT_SUFFIX"))
    cc = os.environ.get("SEJIT_CC", "cc")
    p = subprocess.run([cc, "-O2", "-shared", "-fPIC", "-I", sysconfig.get_paths()["include"],
                        "-o", so, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                               "gilprobe.c")], capture_output=True, text=True)
    return so if p.returncode == 0 else None


def overheads(work, quick):
    moddir = os.path.join(work, "mod")
    n, reps, procs = (20000, 5, 1) if quick else (100000, 40, 5)
    cache = tempfile.mkdtemp(prefix="ovh-", dir=work)

    def code(wrap, poly=True):
        c = OVERHEAD.format(moddir=moddir, module="polymod", n=n, reps=reps, wrap=wrap)
        return c if poly else c.replace(', "poly(1-element float64)": (poly, (x, y, 3.141))', "")

    systems = [
        ("sejit", code("from sejit import jit; poly = jit(poly); add = jit(add)"),
         {"SEJIT_CACHE_DIR": cache}),
        ("python", code(""), None),
    ]
    # bench/gilprobe.c: a C function adding two floats, with and without releasing the GIL
    # around the addition. The first is the floor for any C-implemented callable returning a
    # new float; the difference is what releasing the GIL costs a call.
    out = {}
    if build_gilprobe(work):
        for name, fn in (("C add", "add"), ("C add, GIL released", "add_nogil")):
            systems.append((name, code(f"sys.path.insert(0, {work!r}); import gilprobe; "
                                       f"add = gilprobe.{fn}", poly=False), None))
    else:
        out["C add"] = "gilprobe.c did not build"
    systems.append(("numba", code("import numba; poly = numba.njit(poly); add = numba.njit(add)"),
                    None))
    # Each system in `procs` fresh processes, the systems taken in turn, so that a burst of load
    # from another process on this shared machine hits them alike; per case, the minimum.
    for _ in range(procs):
        for name, c, env in systems:
            if isinstance(out.get(name), str):
                continue
            try:
                r = run_py(c, env=env)
            except RuntimeError as e:
                out[name] = f"missing: {e}"
                continue
            prev = out.setdefault(name, r)
            for k, v in r.items():
                prev[k] = min(prev[k], v)
    return out


def ms(v):
    return f"{v['min'] * 1e3:.1f} ms (median {v['median'] * 1e3:.1f})" if isinstance(v, dict) \
        else str(v)


def render(r):
    L = []
    im = r["imports"]
    L.append(f"import sejit (NumPy already imported):  {ms(im['sejit_after_numpy'])}")
    L.append(f"import sejit (NumPy included):          {ms(im['sejit_with_numpy'])}")
    L.append(f"import numpy alone:                     {ms(im['numpy'])}")
    L.append(f"import numba (NumPy already imported):  {ms(im['numba_after_numpy'])}")
    L.append(f"interpreter start (python -S -c pass):  {ms(im['interpreter'])}")
    fc = r["first_calls"]
    c = fc["sejit_cold"]
    L.append(f"sejit cold first call, empty cache, import included: {ms(c['total'])}")
    L.append(f"    import {c['import']['min'] * 1e3:.1f} ms, Python side (classify, request, key)"
             f" {c['prepare']['min'] * 1e3:.1f} ms, engine subprocess"
             f" {c['engine']['min'] * 1e3:.1f} ms, the rest (load, call)"
             f" {(c['first_call']['min'] - c['prepare']['min'] - c['engine']['min']) * 1e3:.1f}"
             " ms (minima of each part)")
    w = fc["sejit_warm"]
    L.append(f"sejit warm first call, beyond import:   {ms(w['first_call'])}"
             f"  (import {w['import']['min'] * 1e3:.1f} ms; of the call, the Python side"
             f" (classify, source, key) {w['prepare']['min'] * 1e3:.1f} ms)")
    for k in ("numba_cold", "numba_warm"):
        v = fc.get(k)
        if isinstance(v, dict):
            what = "import included" if k == "numba_cold" else "beyond import"
            val = v["total"] if k == "numba_cold" else v["first_call"]
            L.append(f"{k.replace('_', ' ')} first call ({what}): {ms(val)}"
                     f"  (import numba {v['import']['min'] * 1e3:.0f} ms)")
        else:
            L.append(f"{k}: {v}")
    L.append("engine parts (the cold compile of poly taken apart):")
    for k, v in fc["engine_parts"].items():
        L.append(f"    {k:32} {ms(v) if isinstance(v, dict) else v}")
    L.append("call overhead, f(*args) in a for loop, ns per iteration (min of repeats):")
    ov = r["overhead"]
    for sysname, v in ov.items():
        if isinstance(v, dict):
            L.append(f"    {sysname:7} " + ", ".join(f"{k} {t:.0f}" for k, t in v.items()))
        else:
            L.append(f"    {sysname:7} {v}")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true", help="print JSON with a 'text' field")
    ap.add_argument("--quick", action="store_true")
    opts = ap.parse_args()
    reps = 3 if opts.quick else 9
    work = tempfile.mkdtemp(prefix="sejit-latency-")
    try:
        r = {"imports": import_times(reps), "first_calls": first_calls(reps, work),
             "overhead": overheads(work, opts.quick)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    r["text"] = render(r)
    if opts.json:
        print(json.dumps(r))
    else:
        print(r["text"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
