"""A/B timing of corpus programs at full size: two sejit engines and Numba (and NumPy), in turn.

On a shared, loaded machine wall-clock ratios between separate runs move by 20-50%; this script
times the systems in alternation within one run, each call in a fresh process with a fresh cache,
and reports the minimum *thread CPU time* of R calls over several rounds, which the load moves far
less. The engine before a change is a binary built from the older tree:

    git stash && go build -o /tmp/sejitc-base ./cmd/sejitc && git stash pop
    .venv/bin/python bench/corpus_ab.py --base /tmp/sejitc-base bfs simpson mc_option

Systems: base (SEJIT_ENGINE=--base), new (this checkout's engine), numba (every function of the
module njit-ed, as bench/corpus.py does) and, for whole-array programs, numpy (the program run
plainly).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = r'''
import copy, importlib, sys, time
sys.path.insert(0, sys.argv[4]); sys.path.insert(0, sys.argv[4] + "/corpus")
prog, reps, which = sys.argv[1], int(sys.argv[2]), sys.argv[3]
m = importlib.import_module(prog)
args = m.make_args(m.SIZES[1])
if which == "numba":
    import corpus
    f, _ = corpus.make_numba(prog)
elif which == "numpy":
    f = m.ENTRY
else:
    import sejit
    f = sejit.jit(m.ENTRY)
f(*copy.deepcopy(args))
best = 1e9
for _ in range(reps):
    a = copy.deepcopy(args)
    t = time.thread_time()
    f(*a)
    best = min(best, time.thread_time() - t)
print(best)
'''


def run(prog, system, reps, env):
    out = subprocess.run([sys.executable, "-c", CHILD, prog, str(reps), system if system in ("numba", "numpy") else "sejit", HERE],
                         env=env, capture_output=True, text=True)
    try:
        return float(out.stdout.split()[-1])
    except (ValueError, IndexError):
        sys.stderr.write(f"{prog} {system}: {out.stderr[-1000:]}\n")
        return float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("programs", nargs="+")
    ap.add_argument("--base", help="the engine binary before the change (omit: no base column)")
    ap.add_argument("--runs", type=int, default=7, help="timed calls per process")
    ap.add_argument("--rounds", type=int, default=2, help="processes per system, in alternation")
    opts = ap.parse_args()
    for prog in opts.programs:
        spec = open(os.path.join(HERE, "corpus", prog + ".py")).read()
        systems = (["base"] if opts.base else []) + ["new", "numba"] + (["numpy"] if "NUMPY = True" in spec else [])
        best = {s: float("inf") for s in systems}
        for _ in range(opts.rounds):
            for s in systems:
                cache = tempfile.mkdtemp(prefix="sejit-ab-")
                env = dict(os.environ, SEJIT_CACHE_DIR=cache)
                if s == "base":
                    env["SEJIT_ENGINE"] = opts.base
                best[s] = min(best[s], run(prog, s, opts.runs, env))
                shutil.rmtree(cache, ignore_errors=True)
        line = prog + " " + " ".join(f"{s}={t * 1e3:.2f}ms" for s, t in best.items())
        for peer in ("numba", "numpy"):
            if peer in best:
                line += "  " + " ".join(f"{s}/{peer}={best[s] / best[peer]:.2f}" for s in ("base", "new") if s in best)
        print(line, flush=True)


if __name__ == "__main__":
    main()
