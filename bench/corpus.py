"""The corpus (issues 14, 15): real programs written the way scientists write NumPy code, most
of them not written with sejit in mind, each run through CPython, sejit, Numba and (with
--pythran) Pythran, compared with CPython, and timed.

A program is one module bench/corpus/<name>.py holding

* ENTRY      -- the function to compile (module-level helpers it calls are compiled with it);
* make_args(n) -> tuple of arguments, deterministic (np.random.default_rng(seed));
* SIZES      -- (quick n, full n);
* NUMPY      -- True where the program is whole-array NumPy: then its plain run is the
                "numpy" time (else there is no NumPy figure);
* OUTPUTS    -- indices of the arguments it writes (compared as well as the return value);
* RTOL       -- relative tolerance of the comparison (default 1e-10);
* GROUP      -- a label (linalg, stencil, masked, dl, physics, ...).

Per program and system: compiles? matches CPython? time = the minimum of a few calls after a
warm-up call (each call on a fresh copy of the arguments; the copy is not timed), the systems
taking turns call by call, with BLAS on one thread for all of them. A system
that fails records the first line of its error (sejit's are positioned: file:line:col).
Numba gets every function of the module decorated with njit (what a Numba user does to the
helpers); Pythran compiles the module with an export line for ENTRY, its types taken from
make_args, in its own environment (bench/peers.sh).

Each program runs in a child process (a crash or a hang costs that program only).

    python bench/corpus.py [--quick] [--only gemm,lu] [--pythran] [--runs R]

Writes bench/results/corpus.md, corpus.json and the chart corpus.png (the mode is recorded in
them; with --only, corpus-only.*, so a partial run never replaces a whole one). The report checks
issue 15's targets on the run: the geomean of sejit/Numba, no program slower than 1.1x Numba or
NumPy, whole-array linear algebra within 1.1x of NumPy's BLAS, every first call under 5 s.
"""

import argparse
import copy
import glob
import hashlib
import importlib.util
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
RESULTS = os.path.join(HERE, "results")
PYTHRAN_PY = os.path.join(HERE, ".peers", "pythran", "bin", "python")
PYTHRAN_BUILD = os.path.join(HERE, ".peers", "pythran-build")
SYSTEMS = ["sejit", "numba", "pythran"]


def names():
    return sorted(os.path.splitext(os.path.basename(p))[0]
                  for p in glob.glob(os.path.join(CORPUS, "*.py"))
                  if not os.path.basename(p).startswith("_"))


def load(name, tag="corpus"):
    """A fresh module object for bench/corpus/<name>.py (tag keeps copies apart)."""
    path = os.path.join(CORPUS, name + ".py")
    modname = f"{tag}_{name}"
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    spec.loader.exec_module(mod)
    return mod


def size(mod, quick):
    return mod.SIZES[0] if quick else mod.SIZES[1]


# ---------------------------------------------------------------------------------------------
# Comparing results


def same(got, want, rtol):
    """Whether got equals want: arrays and numbers within rtol (atol scaled by want's size),
    NaNs equal, shapes equal; tuples and lists item by item; anything else by ==."""
    import numpy as np

    if isinstance(want, (tuple, list)):
        return (isinstance(got, (tuple, list)) and len(got) == len(want)
                and all(same(g, w, rtol) for g, w in zip(got, want)))
    if isinstance(want, np.ndarray) or isinstance(got, np.ndarray):
        g, w = np.asarray(got), np.asarray(want)
        if g.shape != w.shape:
            return False
        if w.dtype.kind in "biu" and g.dtype.kind in "biu":
            return bool(np.array_equal(g, w))
        if w.size == 0:
            return True
        fin = np.abs(w[np.isfinite(w)])
        atol = rtol * (float(fin.max()) if fin.size else 1.0)
        return bool(np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True))
    if isinstance(want, (int, float, complex, np.number, bool, np.bool_)):
        try:
            return bool(np.allclose(got, want, rtol=rtol, atol=rtol * abs(want), equal_nan=True))
        except TypeError:
            return False
    return got == want


def outcome(mod, result, args):
    """What a call produced: its return value and the arguments it writes."""
    outs = tuple(args[i] for i in getattr(mod, "OUTPUTS", ()))
    return (result, outs)


def first_line(exc):
    """The first informative line of an error message. Numba's start with a pipeline banner:
    for those, the signature it found no implementation for, the specific error and the line."""
    import re

    text = str(exc)
    lines = [ln.strip().replace(ROOT + os.sep, "") for ln in text.splitlines() if ln.strip()]
    if "nopython" in text:  # Numba
        where = re.search(r'File "[^"]*", line (\d+)', text)
        where = f" (line {where.group(1)})" if where else ""
        sig = [ln[4:] for ln in lines if ln.startswith(">>> ")]
        why = [lines[i + 1] for i, ln in enumerate(lines[:-1]) if "specific error" in ln]
        if sig:
            return (f"{type(exc).__name__}: no implementation for {sig[0]}"
                    + (f": {why[0]}" if why else "") + where)[:300]
        for ln in lines:
            if not ln.startswith(("Failed in", "- Resolution", "During: ", "File ")):
                return f"{type(exc).__name__}: {ln}{where}"[:300]
    skip = ("Failed in nopython mode pipeline", "Failed in object mode pipeline",
            "During: ", "File ", "Traceback")
    for ln in lines:
        if not ln.startswith(skip) and not set(ln) <= set("^~ "):
            return f"{type(exc).__name__}: {ln}"[:300]
    return type(exc).__name__ + (": " + lines[0][:280] if lines else "")


# ---------------------------------------------------------------------------------------------
# The systems


def make_sejit(name):
    from sejit import jit

    mod = load(name, "sejit")
    return jit(mod.ENTRY), mod


def sejit_compiled(fn):
    return bool(getattr(fn, "signatures", None))


def make_numba(name):
    import numba

    mod = load(name, "numba")
    for attr, val in list(vars(mod).items()):
        if (callable(val) and getattr(val, "__module__", None) == mod.__name__
                and attr != "make_args" and hasattr(val, "__code__")):
            setattr(mod, attr, numba.njit(val))
    return getattr(mod, mod.ENTRY.__name__), mod


def pythran_type(v):
    import numpy as np

    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "float"
    if isinstance(v, complex):
        return "complex"
    if isinstance(v, str):
        return "str"
    if isinstance(v, np.ndarray):
        return f"{v.dtype.name}[{','.join(':' * v.ndim)}]"
    raise TypeError(f"no pythran type for {type(v).__name__}")


def make_pythran(name, args):
    """Builds bench/corpus/<name>.py with pythran (cached by source and signature hash)."""
    if not os.path.exists(PYTHRAN_PY):
        raise RuntimeError("pythran missing (bench/peers.sh installs it)")
    mod = load(name, "pyref")
    # The module's imports and functions, not make_args (it uses np.random.default_rng,
    # which pythran lacks) nor the metadata (ENTRY holds a function).
    import ast

    tree = ast.parse(open(os.path.join(CORPUS, name + ".py")).read())
    tree.body = [st for st in tree.body
                 if isinstance(st, (ast.Import, ast.ImportFrom))
                 or (isinstance(st, ast.FunctionDef) and st.name != "make_args")]
    src = ast.unparse(tree) + "\n"
    sig = ", ".join(pythran_type(a) for a in args)
    entry = mod.ENTRY.__name__
    src += f"\n#pythran export {entry}({sig})\n"
    key = hashlib.sha256(src.encode()).hexdigest()[:16]
    modname = f"pyt_{name}_{key}"
    os.makedirs(PYTHRAN_BUILD, exist_ok=True)
    found = glob.glob(os.path.join(PYTHRAN_BUILD, modname + ".*.so")) + glob.glob(
        os.path.join(PYTHRAN_BUILD, modname + ".so"))
    if not found:
        tmp = tempfile.mkdtemp(prefix="pyt-", dir=PYTHRAN_BUILD)
        py = os.path.join(tmp, modname + ".py")
        with open(py, "w") as f:
            f.write(src)
        out = os.path.join(PYTHRAN_BUILD, modname + ".so")
        p = subprocess.run([PYTHRAN_PY, "-m", "pythran.run", "-O3", "-march=native", py,
                            "-o", out], capture_output=True, text=True, timeout=900)
        shutil.rmtree(tmp, ignore_errors=True)
        if p.returncode != 0:
            lines = [ln.strip().replace(os.path.join(tmp, ""), "")
                     for ln in (p.stderr + p.stdout).splitlines() if ln.strip()]
            msg = [ln for ln in lines if " error: " in ln or ln.startswith("CRITICAL")]
            raise RuntimeError("pythran: " + (msg[0] if msg else lines[-1] if lines else
                                              f"exit {p.returncode}"))
        found = [out]
    spec = importlib.util.spec_from_file_location(modname, found[0])
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return getattr(m, entry)


# ---------------------------------------------------------------------------------------------
# One program (in a child process)


def timed(fns, args, runs):
    """({system: (min, all)} seconds, {system: error}) of runs calls of each fn, each call on a
    fresh copy of args. The systems take turns, one call each per round, as in bench/suite.py:
    on this shared machine a burst of load then slows every system's round alike instead of one
    system's whole series. A system whose call raises drops out with its error."""
    ts = {system: [] for system in fns}
    errors = {}
    for _ in range(runs):
        for system, fn in fns.items():
            if system in errors:
                continue
            a = copy.deepcopy(args)
            t0 = time.perf_counter()
            try:
                fn(*a)
            except Exception as e:
                errors[system] = first_line(e)
                continue
            ts[system].append(time.perf_counter() - t0)
    return {system: (min(t), t) for system, t in ts.items() if system not in errors}, errors


def run_program(name, quick, runs, systems):
    import warnings

    warnings.simplefilter("ignore")
    mod = load(name)
    n = size(mod, quick)
    args = mod.make_args(n)
    rtol = getattr(mod, "RTOL", 1e-10)
    row = {"name": name, "group": getattr(mod, "GROUP", ""), "n": n,
           "numpy_form": bool(getattr(mod, "NUMPY", False)),
           "doc": (mod.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")}

    # CPython: the reference (and, for whole-array programs, the NumPy time)
    a = copy.deepcopy(args)
    t0 = time.perf_counter()
    try:
        ref = outcome(mod, mod.ENTRY(*a), a)
    except Exception as e:  # a bug in the program itself
        row["python"] = {"error": first_line(e)}
        return row
    row["python"] = {"time": time.perf_counter() - t0}
    ready = {"numpy": mod.ENTRY} if row["numpy_form"] else {}

    for system in systems:
        res = {}
        row[system] = res
        fn = None
        t0 = time.perf_counter()
        try:
            if system == "sejit":
                fn, _ = make_sejit(name)
            elif system == "numba":
                fn, _ = make_numba(name)
            else:
                fn = make_pythran(name, args)
        except Exception as e:
            res.update(compiles=False, error=first_line(e))
            continue
        a = copy.deepcopy(args)
        try:
            got = outcome(mod, fn(*a), a)
        except Exception as e:
            compiled = True
            if system == "sejit":
                compiled = sejit_compiled(fn)
            elif system == "numba":
                compiled = bool(getattr(fn, "signatures", None))
            res.update(compiles=compiled, error=first_line(e))
            if compiled:
                res["runtime_error"] = True
            continue
        res["compiles"] = True
        res["first_call"] = time.perf_counter() - t0
        res["matches"] = same(got, ref, rtol)
        if res["matches"]:
            ready[system] = fn
    times, errors = timed(ready, args, runs)
    for system, (best, all_times) in times.items():
        if system == "numpy":
            row["numpy"] = {"time": best}
        else:
            row[system].update(time=best, times=all_times)
    for system, error in errors.items():
        row.setdefault(system, {})["error"] = error
    return row


# ---------------------------------------------------------------------------------------------
# The report


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt_t(t):
    if t is None:
        return "—"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def status(res):
    if not res:
        return "—"
    if not res.get("compiles"):
        return "no"
    if res.get("runtime_error"):
        return "run error"
    return "ok" if res.get("matches") else "WRONG"


def totals(rows, systems):
    tot = {}
    for s in systems:
        rs = [r.get(s) for r in rows]
        tot[s] = {"compiles": sum(1 for x in rs if x and x.get("compiles")),
                  "matches": sum(1 for x in rs if x and x.get("matches")),
                  "of": len(rows)}
    both = [(r["sejit"]["time"], r["numba"]["time"]) for r in rows
            if r.get("sejit", {}).get("time") and r.get("numba", {}).get("time")]
    withnp = [(r["sejit"]["time"], r["numpy"]["time"]) for r in rows
              if r.get("sejit", {}).get("time") and r.get("numpy", {}).get("time")]
    tot["sejit/numba"] = {"geomean": geomean([a / b for a, b in both]), "programs": len(both)}
    tot["sejit/numpy"] = {"geomean": geomean([a / b for a, b in withnp]),
                          "programs": len(withnp)}
    if "pythran" in systems:
        bp = [(r["sejit"]["time"], r["pythran"]["time"]) for r in rows
              if r.get("sejit", {}).get("time") and r.get("pythran", {}).get("time")]
        tot["sejit/pythran"] = {"geomean": geomean([a / b for a, b in bp]),
                                "programs": len(bp)}
    return tot


def ratio(row, a, b):
    """a's time over b's on one program, or None unless both ran and matched."""
    ta, tb = row.get(a, {}).get("time"), row.get(b, {}).get("time")
    return ta / tb if ta and tb else None


def targets(rows, tot):
    """The targets of issue 15 checked on this run: (met, target, measured) triples."""
    out = []
    g = tot["sejit/numba"]["geomean"]
    out.append((g is not None and g <= 0.6, "geomean time sejit/numba <= 0.6",
                f"{g:.2f} over {tot['sejit/numba']['programs']} programs" if g else "no program"))
    for peer in ("numba", "numpy"):
        slow = sorted(((ratio(r, "sejit", peer), r["name"]) for r in rows
                       if (ratio(r, "sejit", peer) or 0) > 1.1), reverse=True)
        out.append((not slow, f"no program slower than 1.1x {peer}",
                    ", ".join(f"{n} {x:.2f}x" for x, n in slow) or "none"))
    mm = [(ratio(r, "sejit", "numpy"), r["name"]) for r in rows
          if r.get("group") == "linalg" and r.get("numpy_form") and ratio(r, "sejit", "numpy")]
    worst = max(mm) if mm else None
    out.append((worst is None or worst[0] <= 1.1, "whole-array linear algebra within 1.1x of NumPy's BLAS",
                f"worst {worst[1]} {worst[0]:.2f}x over {len(mm)} programs" if worst else "no program"))
    firsts = sorted(((r.get("sejit", {}).get("first_call") or 0, r["name"]) for r in rows), reverse=True)
    over = [f"{n} {t:.1f} s" for t, n in firsts if t > 5]
    out.append((not over, "every first call (compiling included) under 5 s",
                f"slowest {firsts[0][1]} {firsts[0][0]:.1f} s" + (f"; over 5 s: {', '.join(over)}" if over else "")
                if firsts and firsts[0][0] else "no program"))
    return out


def chart(rows, systems, path):
    """Each peer's time over sejit's per program (log scale), as bench/suite.py's chart; None, or
    why there is no chart."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception as e:  # noqa: BLE001
        return f"no chart: cannot import matplotlib ({type(e).__name__}: {e})"
    colors = {"numpy": "#7f7f7f", "numba": "#1f77b4", "pythran": "#2ca02c"}
    peers = [p for p in ("numba", "pythran", "numpy") if p == "numpy" or p in systems]
    shown = [r for r in rows if r.get("sejit", {}).get("time")]
    fig, ax = plt.subplots(figsize=(max(10, 0.32 * len(shown)), 5.5))
    width = 0.8 / len(peers)
    for pi, p in enumerate(peers):
        xs, ys = [], []
        for ri, r in enumerate(shown):
            x = ratio(r, p, "sejit")
            if x:
                xs.append(ri + (pi - (len(peers) - 1) / 2) * width)
                ys.append(x)
        ax.bar(xs, ys, width, label=p, color=colors[p])
    ax.axhline(1.0, color="#d62728", lw=0.8, ls="--")
    ax.set_yscale("log")
    ax.set_xticks(range(len(shown)))
    ax.set_xticklabels([r["name"] for r in shown], rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("time / sejit's (log; > 1: slower than sejit)")
    ax.set_title("The corpus: each peer's minimum time per call relative to sejit's", pad=28)
    ax.legend(ncol=len(peers), loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=9, frameon=False)
    ax.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def markdown(rows, tot, meta, systems):
    out = [f"# The corpus: {len(rows)} programs through CPython, sejit, "
           f"{', '.join(s for s in systems if s != 'sejit')}", "",
           f"{meta['mode']} mode, {meta['date']}, commit {meta['commit']}, {meta['machine']}; "
           f"load average {meta['load_start']} at the start, {meta['load_end']} at the end. "
           f"Command: `{meta['command']}`. Times: the minimum of {meta['runs']} calls after a "
           "warm-up call, the systems taking turns call by call, BLAS on one thread; \"numpy\" is the program itself run plainly where it is whole-array "
           "NumPy; \"1st call\": the first call, compiling included (sejit in a fresh cache). ok: compiles and matches CPython; no: does not compile; WRONG: compiles, "
           "differs from CPython; run error: compiles, raises where CPython does not.", "",
           "## Totals", "", "| system | compiles | matches CPython |", "|---|---|---|"]
    for s in systems:
        out.append(f"| {s} | {tot[s]['compiles']} / {tot[s]['of']} | "
                   f"{tot[s]['matches']} / {tot[s]['of']} |")
    out.append("")
    for k in ("sejit/numba", "sejit/numpy", "sejit/pythran"):
        if k in tot:
            g = tot[k]["geomean"]
            out.append(f"- geomean time {k}: **{g:.2f}** over {tot[k]['programs']} programs "
                       "both ran" if g else f"- geomean time {k}: no program both ran")
    out += ["", "## Targets (issue 15)", ""]
    for met, what, measured in targets(rows, tot):
        out.append(f"- {'met' if met else '**missed**'}: {what}: {measured}")
    if meta.get("chart"):
        out += ["", f"![each peer's time over sejit's]({meta['chart']})"]
    out += ["", "## Programs", "",
            "| program | group | n | " + " | ".join(systems) + " | python | numpy | "
            + " | ".join(f"{s} time" for s in systems) + " | "
            + " | ".join(f"{s} 1st call" for s in systems) + " |",
            "|" + "---|" * (5 + 3 * len(systems))]
    for r in rows:
        cells = [r["name"], r["group"], str(r["n"])]
        cells += [status(r.get(s)) for s in systems]
        cells.append(fmt_t(r.get("python", {}).get("time")))
        cells.append(fmt_t(r.get("numpy", {}).get("time")))
        cells += [fmt_t(r.get(s, {}).get("time")) for s in systems]
        cells += [fmt_t(r.get(s, {}).get("first_call")) for s in systems]
        out.append("| " + " | ".join(cells) + " |")
    for s in systems:
        fails = [(r["name"], r[s].get("error", "result differs from CPython"))
                 for r in rows if r.get(s) and not r[s].get("matches")]
        if fails:
            out += ["", f"## {s}: failures (first line of the error)", ""]
            out += [f"- `{name}`: {err.replace(ROOT + os.sep, '').replace('|', '/')}"
                    for name, err in fails]
    return "\n".join(out) + "\n"


def load_avg():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes")
    ap.add_argument("--only", help="comma-separated program names")
    ap.add_argument("--pythran", action="store_true", help="also build with pythran (slow)")
    ap.add_argument("--runs", type=int, help="timed calls per system (default 3 quick, 5 full)")
    ap.add_argument("--timeout", type=int, help="seconds per program (default 300 quick)")
    ap.add_argument("--report", action="store_true",
                    help="rewrite corpus.md from corpus.json without running anything")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--systems", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    runs = opts.runs or (3 if opts.quick else 5)

    if opts.report:
        with open(os.path.join(RESULTS, "corpus.json")) as f:
            d = json.load(f)
        systems = [s for s in SYSTEMS if s in d["totals"]]
        with open(os.path.join(RESULTS, "corpus.md"), "w") as f:
            f.write(markdown(d["programs"], d["totals"], d["meta"], systems))
        return

    if opts.child:
        row = run_program(opts.child, opts.quick, runs, opts.systems.split(","))
        print("\n@@ROW@@" + json.dumps(row))
        return

    # One BLAS thread for every system (NumPy's OpenBLAS, which sejit calls too, and SciPy's,
    # which Numba calls): on a shared 2-vCPU machine two libraries' thread pools spin against
    # each other and the load, and a threaded dgemm's time then varied 20-fold between runs.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if "SEJIT_CACHE_DIR" not in os.environ:  # a private cache: first calls compile
        os.environ["SEJIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="sejit-corpus-cache-")
    systems = ["sejit", "numba"] + (["pythran"] if opts.pythran else [])
    todo = names()
    if opts.only:
        want = opts.only.split(",")
        unknown = set(want) - set(todo)
        if unknown:
            sys.exit(f"corpus: no program {', '.join(sorted(unknown))}")
        todo = [n for n in todo if n in want]
    timeout = opts.timeout or (300 if opts.quick else 1800)
    meta = {"mode": "quick" if opts.quick else "full", "runs": runs,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                     capture_output=True, text=True).stdout.strip(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                       f"{platform.python_version()}",
            "command": "python bench/corpus.py " + " ".join(sys.argv[1:]),
            "load_start": load_avg()}
    try:
        import numba
        meta["numba"] = numba.__version__
    except Exception as e:  # reported per program as well
        meta["numba"] = f"missing ({e})"
    rows = []
    for name in todo:
        t0 = time.perf_counter()
        cmd = [sys.executable, os.path.abspath(__file__), "--child", name,
               "--systems", ",".join(systems), "--runs", str(runs)] + (
            ["--quick"] if opts.quick else [])
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            line = [ln for ln in p.stdout.splitlines() if ln.startswith("@@ROW@@")]
            if line:
                row = json.loads(line[-1][len("@@ROW@@"):])
            else:
                tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
                row = {"name": name, "group": "", "n": "", "numpy_form": False,
                       "python": {"error": f"child exited {p.returncode}: {tail}"}}
                for s in systems:
                    row[s] = {"compiles": False, "error": f"child crashed: {tail}"}
        except subprocess.TimeoutExpired:
            row = {"name": name, "group": "", "n": "", "numpy_form": False, "python": {}}
            for s in systems:
                row[s] = {"compiles": False, "error": f"timed out after {timeout} s"}
        rows.append(row)
        print(f"{name:24s} " + "  ".join(f"{s}={status(row.get(s)):9s}" for s in systems)
              + f" ({time.perf_counter() - t0:.1f} s)"
              + "".join(f"\n    {s}: {row[s]['error']}" for s in systems
                        if row.get(s, {}).get("error")), flush=True)
    meta["load_end"] = load_avg()
    tot = totals(rows, systems)
    os.makedirs(RESULTS, exist_ok=True)
    stem = os.path.join(RESULTS, "corpus")
    if opts.only:
        stem += "-only"
    why = chart(rows, systems, stem + ".png")
    if why is None:
        meta["chart"] = os.path.basename(stem) + ".png"
    else:
        print(why)
    with open(stem + ".json", "w") as f:
        json.dump({"meta": meta, "totals": tot, "programs": rows}, f, indent=1)
    with open(stem + ".md", "w") as f:
        f.write(markdown(rows, tot, meta, systems))
    print()
    for s in systems:
        print(f"{s}: compiles {tot[s]['compiles']}/{tot[s]['of']}, "
              f"matches {tot[s]['matches']}/{tot[s]['of']}")
    for k in ("sejit/numba", "sejit/numpy", "sejit/pythran"):
        if k in tot and tot[k]["geomean"]:
            print(f"geomean {k}: {tot[k]['geomean']:.2f} over {tot[k]['programs']} programs")
    for met, what, measured in targets(rows, tot):
        print(("met    " if met else "MISSED ") + what + " -- " + measured)
    print(f"wrote {os.path.relpath(stem, ROOT)}.md and .json")


if __name__ == "__main__":
    main()
