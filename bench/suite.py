"""sejit's benchmark suite (issue 5): every kernel of bench/kernels.py timed under sejit and
its peers, side by side in one run, on the same inputs.

Systems (a peer that cannot be loaded is reported with the reason, never dropped):

* sejit   -- ``jit(kernel)``, in a fresh private cache (so the compile time is measured too);
* numpy   -- the kernel itself where it is a NumPy array expression, else its vectorised form
             (``np_*`` in kernels.py); "n/a" where no vectorised form exists (fib, primes);
* numba   -- ``numba.njit`` of the same source (cache=False);
* pythran -- the same source with ``#pythran export`` lines, compiled by pythran from its own
             virtual environment (bench/.peers/pythran, see bench/peers.sh) into a module per
             kernel, cached in bench/.peers/pythran-build by source hash;
* C       -- bench/kernels_c.c, compiled with sejit's flags, called through ctypes.

Method. Each system's result is first checked against the reference (the plain Python
function, or for kernels too slow in Python its NumPy form, which is itself checked against
the plain Python function on small inputs). Timing: two warm-up calls, then rounds in which
every system is called once in turn (interleaved, so that a burst of load on a shared machine
hits all systems alike), until the kernel's time budget is spent (at least --min-rounds). A
figure is the minimum over rounds; the median is recorded too. Nothing here passes or fails
on a time.

Memory: each kernel × system runs in a fresh subprocess: compile on small inputs of the same
types, build the benchmark inputs, reset the peak resident set size (write "5" to
/proc/self/clear_refs, which sets VmHWM to the current VmRSS), call once, and report VmHWM
minus the VmRSS before the call. This sees every allocation (NumPy's, Numba's, C's), unlike
tracemalloc.

Latency (bench/latency.py): import time, cold and warm first calls, call overhead, each in
fresh processes.

    python bench/suite.py [--quick] [--only poly64,fib] [--no-memory] [--no-latency]

Writes bench/results/suite.{txt,md,json,png}.
"""

import argparse
import compileall
import copy
import ctypes
import hashlib
import importlib.util
import inspect
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
PEERS = os.path.join(HERE, ".peers")
PYTHRAN_PY = os.path.join(PEERS, "pythran", "bin", "python")
PYTHRAN_BUILD = os.path.join(PEERS, "pythran-build")

if __name__ == "__main__" and "SEJIT_CACHE_DIR" not in os.environ:
    # A private, empty cache for this run: the first call of each kernel compiles, and no
    # stale entry from an older engine is timed. Children (memory) share it, warm.
    os.environ["SEJIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="sejit-bench-cache-")
    os.environ["SEJIT_BENCH_OWN_CACHE"] = "1"

sys.path.insert(0, HERE)
import numpy as np  # noqa: E402

import kernels as K  # noqa: E402
import kernels_par as KP  # noqa: E402

SYSTEMS = ["sejit", "numpy", "numba", "pythran", "C"]
# sejit with an option changed, timed in the same rounds: how much of a gap each option
# accounts for (diagnostics for docs/performance.md, not peers).
VARIANTS = {"sejit[nobc]": {"boundscheck": False}, "sejit[fastmath]": {"fastmath": True},
            "sejit[parallel]": {"parallel": True}}

# The flags of internal/build.Flags for the cpu target (fastmath off).
CFLAGS = ["-O3", "-march=native", "-std=gnu11", "-fPIC", "-shared", "-fno-math-errno",
          "-ffp-contract=off", "-fwrapv", "-fno-strict-aliasing", "-falign-loops=32",
          "-funroll-loops"]
PYTHRAN_FLAGS = ["-O3", "-march=native"]


# ---------------------------------------------------------------------------------------------
# The kernels: inputs, references, peers


class Kernel:
    def __init__(self, name, func, make, outputs=(), np_form="self", c=None, pythran=(),
                 rtol=1e-12, ref="python", desc="", note=""):
        self.name = name  # the row label
        self.func = func  # the function's name in kernels.py
        self.make = make  # make(small: bool) -> tuple of arguments (deterministic)
        self.outputs = outputs  # indices of arguments the kernel writes (compared)
        self.np_form = np_form  # "self", a function name in kernels.py, or None
        self.c = c  # (symbol, argtypes, restype, adapter(args) -> C arguments) or None
        self.pythran = pythran  # export signatures (argument lists)
        self.rtol = rtol
        self.ref = ref  # "python" or "numpy": what the benchmark inputs are checked against
        self.desc = desc
        self.note = note


def _rng():
    return np.random.default_rng(12345)


def vec(n, dtype=np.float64, lo=0.0, hi=1.0):
    return (lo + (hi - lo) * _rng().random(n)).astype(dtype)


P = ctypes.c_void_p
I64 = ctypes.c_int64
D = ctypes.c_double


def ptr(a):
    assert a.flags.c_contiguous
    return a.ctypes.data


GL7 = np.array([0.0254460438286207, 0.1292344072003028, 0.2970774243113014, 0.5,
                0.7029225756886986, 0.8707655927996972, 0.9745539561713793])
GW7 = np.array([0.0647424830844348, 0.1398526957446383, 0.1909150252525595,
                0.2089795918367347, 0.1909150252525595, 0.1398526957446383,
                0.0647424830844348])


def build_kernels(quick):
    def N(big, small):
        return small if quick else big

    n_stream = N(10**7, 10**5)
    ks = [
        Kernel("poly64", "poly",
               lambda s: (vec(100 if s else n_stream), np.zeros(100 if s else n_stream), 3.141),
               outputs=(1,), c=("poly_f64", [P, P, D, I64], None,
                                lambda a: (ptr(a[0]), ptr(a[1]), a[2], a[0].size)),
               pythran=["float64[:], float64[:], float"],
               desc=f"x1 = x - a; y[:] = x1 + x1*x1, {n_stream:.0e} float64"),
        Kernel("poly32", "poly",
               lambda s: (vec(100 if s else n_stream, np.float32),
                          np.zeros(100 if s else n_stream, np.float32), 3.141),
               outputs=(1,), rtol=2e-6,
               c=("poly_f32", [P, P, ctypes.c_float, I64], None,
                  lambda a: (ptr(a[0]), ptr(a[1]), a[2], a[0].size)),
               pythran=["float32[:], float32[:], float"],
               desc=f"the same on float32 (NEP 50: computed in float32)"),
        Kernel("quad", "quad",
               lambda s: (vec(100 if s else n_stream), np.zeros(100 if s else n_stream)),
               outputs=(1,), c=("quad", [P, P, I64], None,
                                lambda a: (ptr(a[0]), ptr(a[1]), a[0].size)),
               pythran=["float64[:], float64[:]"],
               desc="y[:] = 2*x**2 + 3*x + 4 (HOPE's quad)"),
        Kernel("poly10", "poly10",
               lambda s: (vec(100 if s else n_stream), np.zeros(100 if s else n_stream)),
               outputs=(1,), c=("poly10", [P, P, I64], None,
                                lambda a: (ptr(a[0]), ptr(a[1]), a[0].size)),
               pythran=["float64[:], float64[:]"],
               desc="10th-order polynomial, Horner, one expression"),
        Kernel("chain", "chain",
               lambda s: (vec(100 if s else n_stream), vec(100 if s else n_stream, lo=0.5),
                          vec(100 if s else n_stream, lo=1.0, hi=2.0),
                          np.zeros(100 if s else n_stream)),
               outputs=(3,), c=("chain", [P, P, P, P, I64], None,
                                lambda a: (ptr(a[0]), ptr(a[1]), ptr(a[2]), ptr(a[3]),
                                           a[0].size)),
               pythran=["float64[:], float64[:], float64[:], float64[:]"],
               desc="5 named temporaries, 3 inputs, 1 output"),
        Kernel("mathmix", "mathmix",
               lambda s: (vec(100 if s else N(10**6, 10**4), lo=0.1, hi=10.0),
                          np.zeros(100 if s else N(10**6, 10**4))),
               outputs=(1,), rtol=1e-12,
               c=("mathmix", [P, P, I64], None, lambda a: (ptr(a[0]), ptr(a[1]), a[0].size)),
               pythran=["float64[:], float64[:]"],
               desc="sin*cos + exp*sqrt + log, 1e6 float64"),
        Kernel("sumsq", "sumsq", lambda s: (vec(100 if s else n_stream),), rtol=1e-10,
               c=("sumsq", [P, I64], D, lambda a: (ptr(a[0]), a[0].size)),
               pythran=["float64[:]"], desc="np.sum(x*x)"),
        Kernel("minmaxmean", "minmaxmean", lambda s: (vec(100 if s else n_stream),),
               rtol=1e-10, pythran=["float64[:]"], desc="np.min, np.max, np.mean"),
        Kernel("fib", "fib", lambda s: (15 if s else N(30, 22),), np_form=None,
               c=("fib", [I64], I64, lambda a: (a[0],)),
               pythran=["int"], desc="recursive fib(30)"),
        Kernel("pisum", "pisum", lambda s: (), np_form="np_pisum", rtol=1e-12,
               c=("pisum", [], D, lambda a: ()), pythran=[""],
               desc="500 x sum of 1/k^2, k <= 10000 (HOPE, Julia)"),
        Kernel("star_psf", "star_psf",
               lambda s: (np.zeros((6, 5) if s else N((100, 100), (20, 20))), 2.541, 2.514,
                          GL7, GW7, 2.0, 3.5),
               outputs=(0,), np_form="np_star_psf", rtol=1e-12,
               c=("star_psf", [P, I64, I64, D, D, P, P, I64, D, D], None,
                  lambda a: (ptr(a[0]), a[0].shape[0], a[0].shape[1], a[1], a[2], ptr(a[3]),
                             ptr(a[4]), a[3].size, a[5], a[6])),
               pythran=["float64[:,:], float, float, float64[:], float64[:], float, float"],
               desc="Moffat PSF, 7x7 Gauss-Legendre per pixel, 100x100 grid"),
        Kernel("pairwise", "pairwise",
               lambda s: (vec(3 * (7 if s else N(600, 100))).reshape(-1, 3),
                          np.zeros((7, 7) if s else N((600, 600), (100, 100)))),
               outputs=(1,), np_form="np_pairwise", rtol=1e-12,
               c=("pairwise", [P, P, I64, I64], None,
                  lambda a: (ptr(a[0]), ptr(a[1]), a[0].shape[0], a[0].shape[1])),
               pythran=["float64[:,:], float64[:,:]"],
               desc="N=600 points in 3-D, N x N distances, loops"),
        Kernel("laplace", "laplace",
               lambda s: (vec(N(2000, 200) ** 2 if not s else 64).reshape(
                   (8, 8) if s else (N(2000, 200), N(2000, 200))),
                          np.zeros((8, 8) if s else (N(2000, 200), N(2000, 200)))),
               outputs=(1,), pythran=["float64[:,:], float64[:,:]"],
               c=("laplace", [P, P, I64, I64], None,
                  lambda a: (ptr(a[0]), ptr(a[1]), a[0].shape[0], a[0].shape[1])),
               desc="Jacobi step with slices, 2000x2000"),
        Kernel("matmul", "matmul",
               lambda s: (vec(12).reshape(3, 4) if s else vec(N(200, 50) ** 2).reshape(
                   N(200, 50), N(200, 50)),
                          vec(20).reshape(4, 5) if s else vec(N(200, 50) ** 2, lo=-1.0).reshape(
                              N(200, 50), N(200, 50)),
                          np.zeros((3, 5) if s else (N(200, 50), N(200, 50)))),
               outputs=(2,), np_form="np_matmul", ref="numpy", rtol=1e-10,
               c=("matmul", [P, P, P, I64, I64, I64], None,
                  lambda a: (ptr(a[0]), ptr(a[1]), ptr(a[2]), a[0].shape[0], a[0].shape[1],
                             a[1].shape[1])),
               pythran=["float64[:,:], float64[:,:], float64[:,:]"],
               desc="naive i-k-j loops, 200x200", note="numpy: a @ b (BLAS)"),
        Kernel("nbody", "nbody",
               lambda s: (vec(3 * (9 if s else N(1000, 100)), lo=-1.0).reshape(-1, 3),
                          vec(3 * (9 if s else N(1000, 100)), lo=-0.1, hi=0.1).reshape(-1, 3),
                          vec(9 if s else N(1000, 100), lo=0.5), 0.001, 0.05),
               outputs=(0, 1), np_form="np_nbody", ref="numpy", rtol=1e-9,
               c=("nbody", [P, P, P, I64, D, D], None,
                  lambda a: (ptr(a[0]), ptr(a[1]), ptr(a[2]), a[0].shape[0], a[3], a[4])),
               pythran=["float64[:,:], float64[:,:], float64[:], float, float"],
               desc="one kick-drift step, N=1000, all pairs"),
        Kernel("mandelbrot", "mandelbrot",
               lambda s: (np.zeros((6, 8) if s else N((150, 200), (40, 50)), np.int64),
                          -2.0, 1.0, -1.5, 1.5, 30 if s else 200),
               outputs=(0,), np_form="np_mandelbrot",
               c=("mandelbrot", [P, I64, I64, D, D, D, D, I64], None,
                  lambda a: (ptr(a[0]), a[0].shape[0], a[0].shape[1], *a[1:])),
               pythran=["int64[:,:], float, float, float, float, int"],
               desc="escape counts, 150x200 grid, maxiter 200"),
        Kernel("histogram", "histogram",
               lambda s: (_rng().normal(size=100 if s else N(10**6, 10**4)),
                          np.zeros(64, np.int64), -3.0, 3.0),
               outputs=(1,), np_form="np_histogram",
               c=("histogram", [P, I64, P, I64, D, D], None,
                  lambda a: (ptr(a[0]), a[0].size, ptr(a[1]), a[1].size, a[2], a[3])),
               pythran=["float64[:], int64[:], float, float"],
               desc="64 bins, 1e6 normal samples, loop"),
        Kernel("primes", "count_primes", lambda s: (200 if s else N(200000, 5000),),
               np_form=None, pythran=["int"], c=("count_primes", [I64], I64, lambda a: (a[0],)),
               desc="trial division, primes below 200000"),
    ]
    return ks


# ---------------------------------------------------------------------------------------------
# Loading the systems


def load_sejit(**options):
    try:
        from sejit import jit
    except Exception as e:  # noqa: BLE001 - report whatever stops it
        return f"missing: cannot import sejit ({type(e).__name__}: {e})"

    def make(kern):
        src = getattr(K, kern.func)
        if options.get("parallel"):
            # The prange form where the kernel has one (bench/kernels_par.py).
            src = getattr(KP, kern.func, src)
        f = jit(**options)(src)
        if f is src:
            raise RuntimeError("jit returned the plain function (SEJIT_DISABLE=1?)")
        return f

    return make


def load_numpy():
    def make(kern):
        if kern.np_form is None:
            return None
        return getattr(K, kern.func if kern.np_form == "self" else kern.np_form)

    return make


def load_numba():
    try:
        import numba
    except Exception as e:  # noqa: BLE001
        return f"missing: cannot import numba ({type(e).__name__}: {e}; bench/peers.sh installs it)"
    # The kernels run in a namespace of their own whose functions are all njit dispatchers,
    # so that a kernel calling another (fib calling fib) calls the compiled one.
    # (A registered module: Numba resolves a recursive call through the module's name.)
    spec = importlib.util.spec_from_file_location("kernels_numba", os.path.join(HERE, "kernels.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    for name, obj in list(vars(mod).items()):
        if inspect.isfunction(obj) and obj.__module__ == spec.name and not name.startswith("np_"):
            setattr(mod, name, numba.njit(cache=False)(obj))

    def make(kern):
        return getattr(mod, kern.func)

    make.version = numba.__version__
    return make


def pythran_source(kern):
    src = inspect.getsource(getattr(K, kern.func))
    exports = "\n".join(f"#pythran export {kern.func}({sig})" for sig in kern.pythran)
    return f"import math\nimport numpy as np\n\n{exports}\n{src}"


def pythran_version():
    if not os.path.exists(PYTHRAN_PY):
        return None
    p = subprocess.run([PYTHRAN_PY, "-c", "import pythran; print(pythran.__version__)"],
                       capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else None


def build_pythran(kern, version):
    """Path of the module for kern, built (or found cached); raises with the reason."""
    if not kern.pythran:
        raise RuntimeError("no pythran signature")
    src = pythran_source(kern)
    h = hashlib.sha256(
        "\0".join([src, version, " ".join(PYTHRAN_FLAGS), np.__version__, sys.version,
                   platform.machine()]).encode()).hexdigest()[:16]
    modname = f"pyt_{kern.name}_{h}"
    so = os.path.join(PYTHRAN_BUILD, modname + ".so")
    if os.path.exists(so):
        return so, modname, 0.0
    os.makedirs(PYTHRAN_BUILD, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="pythran-", dir=PYTHRAN_BUILD)
    try:
        py = os.path.join(tmp, modname + ".py")
        with open(py, "w") as f:
            f.write(src)
        t0 = time.perf_counter()
        p = subprocess.run([PYTHRAN_PY, "-m", "pythran.run", *PYTHRAN_FLAGS, py, "-o",
                            os.path.join(tmp, modname + ".so")],
                           capture_output=True, text=True, cwd=tmp)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            err = (p.stderr or p.stdout).strip().splitlines()
            msg = next((l for l in err if "error" in l.lower()), err[-1] if err else "?")
            raise RuntimeError(f"pythran failed: {msg.strip()[:200]}")
        os.replace(os.path.join(tmp, modname + ".so"), so)
        return so, modname, dt
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def import_so(path, modname):
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_pythran(kernels, log):
    version = pythran_version()
    if version is None:
        return (f"missing: no pythran in {os.path.relpath(PYTHRAN_PY, ROOT)} "
                "(bench/peers.sh installs it; see bench/.peers/pythran.log)")
    built = {}

    def one(kern):
        try:
            return kern.name, build_pythran(kern, version)
        except Exception as e:  # noqa: BLE001
            return kern.name, f"failed: {e}"

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as ex:
        for name, r in ex.map(one, kernels):
            built[name] = r
    fresh = [n for n, r in built.items() if isinstance(r, tuple) and r[2] > 0]
    if fresh:
        log(f"pythran {version}: built {len(fresh)} modules in {time.perf_counter() - t0:.0f} s")

    def make(kern):
        r = built.get(kern.name)
        if r is None:
            return None
        if isinstance(r, str):
            raise RuntimeError(r)
        so, modname, _ = r
        return getattr(import_so(so, modname), kern.func)

    make.version = version
    make.built = built
    return make


def build_c(tmp):
    cc = os.environ.get("SEJIT_CC", "cc")
    so = os.path.join(tmp, "kernels_c.so")
    cmd = [cc, *CFLAGS, "-o", so, os.path.join(HERE, "kernels_c.c"), "-lm"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0 and "-march=native" in p.stderr:
        cmd.remove("-march=native")
        p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stderr}")
    return so, " ".join([cc, *CFLAGS])


def load_c(so):
    if so is None or not os.path.exists(so):
        return "missing: the C kernels did not build"
    lib = ctypes.CDLL(so)

    def make(kern):
        if kern.c is None:
            return None
        symbol, argtypes, restype, adapt = kern.c
        fn = getattr(lib, symbol)
        fn.argtypes = argtypes
        fn.restype = restype

        def call(*args):
            return fn(*adapt(args))

        return call

    return make


# ---------------------------------------------------------------------------------------------
# Checking


def outputs_of(kern, args, ret):
    vals = [np.asarray(args[i]) for i in kern.outputs]
    if ret is not None:
        vals.extend(np.asarray(r) for r in (ret if isinstance(ret, tuple) else (ret,)))
    return vals


def agree(kern, got, want):
    """None if got equals want within the kernel's tolerance, else what differs."""
    if len(got) != len(want):
        return f"{len(got)} results, expected {len(want)}"
    for g, w in zip(got, want):
        g, w = np.asarray(g), np.asarray(w)
        if g.shape != w.shape:
            return f"shape {g.shape}, expected {w.shape}"
        if w.dtype.kind in "iub":
            if not np.array_equal(g, w):
                return f"{int(np.sum(g != w))} integer results differ"
        elif not np.allclose(g, w, rtol=kern.rtol, atol=0.0, equal_nan=True):
            err = np.max(np.abs(g - w) / np.maximum(np.abs(w), np.finfo(np.float64).tiny))
            return f"max relative error {err:.2e} > {kern.rtol:.0e}"
    return None


def call_fresh(fn, args):
    a = copy.deepcopy(args)
    return a, fn(*a)


# ---------------------------------------------------------------------------------------------
# Timing


def timed(fn, args):
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def aligned_copy(args):
    """A deep copy of args whose arrays start on a 64-byte boundary. Each system times its own
    copy; with the allocator's 16-byte alignment the copies would land at different offsets
    within a cache line, and a vectorised loop over misaligned rows runs up to 1.7x slower
    (matmul: 0.81 to 1.44 ms for sejit and for Numba alike, depending on where b and c start),
    so the luck of an allocation, not the system, would decide the ratio."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray) and a.flags.c_contiguous and a.nbytes:
            buf = np.empty(a.nbytes + 64, np.uint8)
            start = -buf.ctypes.data % 64
            b = buf[start:start + a.nbytes].view(a.dtype).reshape(a.shape)
            b[...] = a
            out.append(b)
        else:
            out.append(copy.deepcopy(a))
    return tuple(out)


def time_kernel(fns, args, budget, min_rounds, max_rounds):
    """{system: [seconds per call, ...]}: interleaved rounds after two warm-ups each."""
    own = {name: aligned_copy(args) for name in fns}  # each system mutates its own copy
    est = {}
    for name, fn in fns.items():
        timed(fn, own[name])
        est[name] = timed(fn, own[name])
    # Calls shorter than a millisecond are timed in batches so the timer does not dominate.
    inner = {name: max(1, min(1000, int(1e-3 / max(t, 1e-9)))) for name, t in est.items()}
    per_round = sum(est[n] * inner[n] for n in fns)
    rounds = int(max(min_rounds, min(max_rounds, budget / max(per_round, 1e-9))))
    samples = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            a, k = own[name], inner[name]
            t0 = time.perf_counter()
            for _ in range(k):
                fn(*a)
            samples[name].append((time.perf_counter() - t0) / k)
    return samples


# ---------------------------------------------------------------------------------------------
# Memory (child processes)


def hwm_kb():
    vals = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                k, v = line.split(":")
                vals[k] = int(v.split()[0])
    return vals["VmHWM"], vals["VmRSS"]


def memory_child(kname, system, c_so, quick):
    kern = next(k for k in build_kernels(quick) if k.name == kname)
    if system == "sejit":
        make = load_sejit()
    elif system == "numpy":
        make = load_numpy()
    elif system == "numba":
        make = load_numba()
    elif system == "pythran":
        make = load_pythran([kern], lambda *a: None)
    else:
        make = load_c(c_so)
    if isinstance(make, str):
        raise RuntimeError(make)
    fn = make(kern)
    fn(*kern.make(True))  # compiles (sejit, numba) on small inputs of the same types
    args = kern.make(False)
    for a in args:
        if isinstance(a, np.ndarray):
            # np.zeros maps pages lazily: write every page now, so that the growth measured
            # is what the call allocates, not the first touch of its output.
            # (Not b[...] = b[...]: NumPy skips a copy onto itself.)
            pages = a.reshape(-1).view(np.uint8)[::4096]
            np.add(pages, 0, out=pages)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    _, before = hwm_kb()
    fn(*args)
    peak, _ = hwm_kb()
    print(json.dumps({"growth_kb": peak - before}))


def measure_memory(kernels, available, c_so, quick, log):
    out = {}
    for kern in kernels:
        out[kern.name] = {}
        for system in SYSTEMS:
            if available.get((kern.name, system)) is not True:
                continue
            cmd = [sys.executable, os.path.abspath(__file__), "--memory-child", kern.name,
                   system, c_so or ""]
            if quick:
                cmd.append("--quick")
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            try:
                out[kern.name][system] = json.loads(p.stdout.strip().splitlines()[-1])["growth_kb"]
            except (IndexError, ValueError, KeyError):
                err = (p.stderr.strip().splitlines() or ["?"])[-1]
                out[kern.name][system] = f"failed: {err[:120]}"
        log(f"  memory {kern.name}: " + ", ".join(
            f"{s} {v / 1024:.1f} MB" if isinstance(v, int) else f"{s} {v}"
            for s, v in out[kern.name].items()))
    return out


# ---------------------------------------------------------------------------------------------
# Reporting


def fmt_time(t):
    if t is None:
        return "-"
    if t >= 1.0:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.2f} ms"
    return f"{t * 1e6:.1f} us"


def snapshot_sejit():
    """Copies the installed sejit package (its engine binary and runtime included) into a
    private directory first on the path of this process and its children, so that a
    reinstall during the run (another `make install` in the same checkout) cannot change what
    is measured halfway. Returns a description of what was copied."""
    if os.environ.get("SEJIT_BENCH_PKG"):
        return os.environ["SEJIT_BENCH_PKG"]
    spec = importlib.util.find_spec("sejit")
    if spec is None or not spec.submodule_search_locations:
        return "sejit not installed"
    src = list(spec.submodule_search_locations)[0]
    root = tempfile.mkdtemp(prefix="sejit-bench-pkg-")
    shutil.copytree(src, os.path.join(root, "sejit"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, root)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    h = hashlib.sha256()
    pkg = os.path.join(root, "sejit")
    for dirpath, dirnames, filenames in sorted(os.walk(pkg)):  # subpackages too (sejit.device)
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                h.update(os.path.relpath(path, pkg).encode() + b"\0" + f.read())
    stamp = time.strftime("%H:%M:%S", time.localtime(os.path.getmtime(os.path.join(src, "__init__.py"))))
    # Byte-compiled, as pip installs it (after the content hash, which covers the sources):
    # otherwise every fresh process of the latency figures would compile the package's
    # sources again (about 14 ms of `import sejit`).
    compileall.compile_dir(os.path.join(root, "sejit"), quiet=1)
    desc = f"package installed at {stamp}, content {h.hexdigest()[:12]}"
    os.environ["SEJIT_BENCH_PKG"] = desc
    return desc


def sejit_tree():
    """The commit the measured sejit was built from, and whether its sources were edited."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "internal", "cmd",
                                "python"], cwd=ROOT, capture_output=True, text=True).stdout
        n = len(dirty.splitlines())
        return f"{head}" + (f" + {n} uncommitted file(s) in internal/ cmd/ python/" if n else "")
    except OSError:
        return "?"


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        info = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        model = info.get("Model name", "?").strip()
        cpus = info.get("CPU(s)", "?").strip()
        tpc = info.get("Thread(s) per core", "?").strip()
        return f"{model}, {cpus} CPUs ({tpc} thread(s) per core)"
    except OSError:
        return platform.processor() or platform.machine()


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def render(res, kernels, meta):
    """(plain text, markdown) of the main table."""
    rows = []
    head = ["kernel", *SYSTEMS, "sejit/numba", "sejit/C", "sejit/numpy", "sejit compile"]
    for kern in kernels:
        r = res[kern.name]
        cells = [kern.name]
        for s in SYSTEMS:
            v = r["systems"].get(s)
            cells.append(fmt_time(v["min"]) if isinstance(v, dict) else v)
        for peer in ("numba", "C", "numpy"):
            ratio = r["ratios"].get(peer)
            cells.append(f"{ratio:.2f}" if ratio else "-")
        ct = r.get("compile", {}).get("sejit")
        cells.append(fmt_time(ct) if ct else "-")
        rows.append(cells)
    short = {"missing": "missing", "n/a": "n/a"}

    def shorten(c):
        for k, v in short.items():
            if isinstance(c, str) and c.startswith(k):
                return v
        if isinstance(c, str) and (c.startswith("failed") or c.startswith("WRONG")):
            return c.split(":")[0]
        return c

    rows = [[shorten(c) for c in row] for row in rows]
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    text = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                      for i, (c, w) in enumerate(zip(row, widths)))
            for row in [head] + rows]
    md = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1))
          + "|"]
    md += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(text), "\n".join(md)


def render_memory(mem, kernels):
    head = ["kernel (MB)", *SYSTEMS]
    rows = []
    for kern in kernels:
        m = mem.get(kern.name, {})
        rows.append([kern.name] + [
            f"{m[s] / 1024:.1f}" if isinstance(m.get(s), int) else ("-" if s not in m else "failed")
            for s in SYSTEMS])
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    text = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                      for i, (c, w) in enumerate(zip(row, widths))) for row in [head] + rows]
    md = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * len(SYSTEMS)) + "|"]
    md += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(text), "\n".join(md)


def render_variants(res, kernels):
    head = ["kernel", "sejit", *VARIANTS, *(f"gain {v}" for v in VARIANTS)]
    rows = []
    for kern in kernels:
        r = res[kern.name]["systems"]
        row = [kern.name]
        for s in ["sejit", *VARIANTS]:
            v = r.get(s)
            row.append(fmt_time(v["min"]) if isinstance(v, dict) else
                       "differs" if str(v).startswith("WRONG") else str(v).split(":")[0])
        for v in VARIANTS:
            ratio = res[kern.name]["ratios"].get(v)
            row.append(f"{ratio:.2f}" if ratio else "-")
        rows.append(row)
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    text = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                      for i, (c, w) in enumerate(zip(row, widths))) for row in [head] + rows]
    md = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1))
          + "|"]
    md += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(text), "\n".join(md)


STREAMING = ["poly64", "poly32", "quad", "chain"]
HOPE_C = ["pisum", "pairwise", "star_psf"]
PARALLEL = ["pisum", "mandelbrot", "nbody"]


def targets(res, gm, mem, lat):
    """Issue 5's targets: [(target, measured, "MET" | "NOT MET" | "NOT MEASURED")]."""
    out = []

    def verdict(ok):
        return "NOT MEASURED" if ok is None else ("MET" if ok else "NOT MET")

    def ratio(k, peer):
        return res.get(k, {}).get("ratios", {}).get(peer)

    rs = {k: ratio(k, "C") for k in STREAMING if ratio(k, "C")}
    out.append(("streaming kernels (poly, quad, chain) reach >= 0.87 of the C loop's "
                "throughput (sejit/C <= 1.149)",
                ", ".join(f"{k} {1 / v:.2f} of C" for k, v in rs.items()),
                verdict(all(v <= 1 / 0.87 for v in rs.values()) if rs else None)))
    rn = {k: r["ratios"]["numba"] for k, r in res.items() if r["ratios"].get("numba")}
    # Differences under 2% are within this machine's run-to-run noise: a tie, not a miss.
    slower = {k: v for k, v in rn.items() if v > 1.02}
    ties = {k: v for k, v in rn.items() if 1.0 < v <= 1.02}
    what = ("slower: " + ", ".join(f"{k} {v:.2f}" for k, v in slower.items())
            if slower else f"all {len(rn)} kernels")
    if ties:
        what += "; ties within 2%: " + ", ".join(f"{k} {v:.2f}" for k, v in ties.items())
    out.append(("every kernel at least as fast as Numba (sejit/numba <= 1; <= 1.02 counts as "
                "a tie)", what, verdict(not slower if rn else None)))
    out.append(("geometric mean of sejit/numba <= 0.5",
                f"{gm:.2f} over {len(rn)} kernels" if gm else "-",
                verdict(gm <= 0.5 if gm else None)))
    rh = {k: ratio(k, "C") for k in HOPE_C if ratio(k, "C")}
    out.append(("HOPE's pisum, pairwise, star PSF within 1.1x of hand-written C",
                ", ".join(f"{k} {v:.2f}" for k, v in rh.items()),
                verdict(all(v <= 1.1 for v in rh.values()) if rh else None)))
    fc = (lat or {}).get("first_calls", {})
    cold = fc.get("sejit_cold", {}).get("total", {}).get("min")
    out.append(("cold first call of poly, empty cache, import included <= 80 ms",
                f"{cold * 1e3:.0f} ms" if cold else "-", verdict(cold <= 0.080 if cold else None)))
    warm = fc.get("sejit_warm", {}).get("first_call", {}).get("min")
    out.append(("warm-cache first call in a fresh process <= 3 ms beyond import",
                f"{warm * 1e3:.1f} ms" if warm else "-", verdict(warm <= 0.003 if warm else None)))
    imp = (lat or {}).get("imports", {}).get("sejit_after_numpy", {}).get("min")
    out.append(("import sejit <= 30 ms (NumPy already imported)",
                f"{imp * 1e3:.1f} ms" if imp else "-", verdict(imp <= 0.030 if imp else None)))
    ov = (lat or {}).get("overhead", {}).get("sejit")
    if isinstance(ov, dict):
        a, p = ov.get("add(1.0, 2.0)"), ov.get("poly(1-element float64)")
        out.append(("call overhead <= 50 ns for add(1.0, 2.0) and poly on 1-element arrays",
                    f"add {a:.0f} ns, poly {p:.0f} ns (the empty loop: {ov['empty loop']:.0f} ns)",
                    verdict(a <= 50 and p <= 50)))
    else:
        out.append(("call overhead <= 50 ns", "-", verdict(None)))
    m = {k: (mem or {}).get(k, {}).get("sejit") for k in STREAMING}
    m = {k: v for k, v in m.items() if isinstance(v, int)}
    out.append(("fused kernels allocate nothing beyond their outputs; poly on 1e7 float64 "
                "raises peak memory by < 1 MB",
                ", ".join(f"{k} {v / 1024:.1f} MB" for k, v in m.items()) or "-",
                verdict(all(v < 1024 for v in m.values()) if m else None)))
    rp = {k: res.get(k, {}).get("ratios", {}).get("sejit[parallel]") for k in PARALLEL}
    par = res.get(PARALLEL[0], {}).get("systems", {}).get("sejit[parallel]")
    if all(rp.values()):
        out.append(("parallel=True: >= 1.6x on 2 cores for pisum, mandelbrot, n-body",
                    ", ".join(f"{k} {v:.2f}x" for k, v in rp.items()),
                    verdict(all(v >= 1.6 for v in rp.values()))))
    else:
        out.append(("parallel=True: >= 1.6x on 2 cores for pisum, mandelbrot, n-body",
                    f"not available ({str(par).split(': ', 1)[-1][:80]})", "NOT MET"))
    return out


def chart(res, kernels, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception as e:  # noqa: BLE001
        return f"no chart: cannot import matplotlib ({type(e).__name__}: {e})"
    colors = {"sejit": "#d62728", "numpy": "#7f7f7f", "numba": "#1f77b4", "pythran": "#2ca02c",
              "C": "#000000"}
    names = [k.name for k in kernels]
    fig, ax = plt.subplots(figsize=(14, 5.5))
    width = 0.8 / len(SYSTEMS)
    for si, s in enumerate(SYSTEMS):
        xs, ys = [], []
        for ki, kern in enumerate(kernels):
            r = res[kern.name]
            v, base = r["systems"].get(s), r["systems"].get("sejit")
            if isinstance(v, dict) and isinstance(base, dict):
                xs.append(ki + (si - (len(SYSTEMS) - 1) / 2) * width)
                ys.append(v["min"] / base["min"])
        ax.bar(xs, ys, width, label=s, color=colors[s])
    ax.axhline(1.0, color="#d62728", lw=0.8, ls="--")
    ax.set_yscale("log")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=35, ha="right")
    ax.set_ylabel("time per call / sejit's (log; > 1: slower than sejit)")
    ax.set_title("sejit and peers: minimum time per call relative to sejit's", pad=28)
    ax.legend(ncol=len(SYSTEMS), loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=9,
              frameon=False)
    ax.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


# ---------------------------------------------------------------------------------------------
# Main


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke test, not figures")
    ap.add_argument("--only", default="", help="comma-separated kernel names")
    ap.add_argument("--budget", type=float, default=6.0, help="seconds of timing per kernel")
    ap.add_argument("--min-rounds", type=int, default=9)
    ap.add_argument("--max-rounds", type=int, default=200)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--no-latency", action="store_true")
    ap.add_argument("--no-pythran", action="store_true")
    ap.add_argument("--out", default=RESULTS)
    ap.add_argument("--memory-child", nargs=3, metavar=("KERNEL", "SYSTEM", "C_SO"),
                    help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.memory_child:
        memory_child(*opts.memory_child, opts.quick)
        return 0

    t_start = time.perf_counter()
    os.makedirs(opts.out, exist_ok=True)
    log_lines = []

    def log(msg):
        print(f"[{time.perf_counter() - t_start:5.0f} s] {msg}", flush=True)
        log_lines.append(msg)

    kernels = build_kernels(opts.quick)
    if opts.only:
        wanted = opts.only.split(",")
        unknown = set(wanted) - {k.name for k in kernels}
        if unknown:
            ap.error(f"unknown kernels: {', '.join(sorted(unknown))}")
        kernels = [k for k in kernels if k.name in wanted]

    pkg = snapshot_sejit()
    tmp = tempfile.mkdtemp(prefix="sejit-bench-")
    c_so, cdesc = None, "C: did not build"
    try:
        c_so, cdesc = build_c(tmp)
    except Exception as e:  # noqa: BLE001
        cdesc = f"C: {e}"
    loaders = {
        "sejit": load_sejit(),
        "numpy": load_numpy(),
        "numba": load_numba(),
        "pythran": "missing: skipped (--no-pythran)" if opts.no_pythran else load_pythran(
            kernels, log),
        "C": load_c(c_so),
        **{v: load_sejit(**o) for v, o in VARIANTS.items()},
    }
    meta = {
        "machine": cpu_model(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": getattr(loaders["numba"], "version", loaders["numba"]),
        "pythran": getattr(loaders["pythran"], "version", loaders["pythran"]),
        "cc": cdesc,
        "cc_version": subprocess.run([os.environ.get("SEJIT_CC", "cc"), "--version"],
                                     capture_output=True, text=True).stdout.splitlines()[0],
        "pythran_flags": " ".join(PYTHRAN_FLAGS),
        "quick": opts.quick,
        "load_before": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "sejit_tree": sejit_tree(),
        "sejit_pkg": pkg,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    for s, l in loaders.items():
        if isinstance(l, str):
            log(f"{s}: {l}")
    log(f"{meta['machine']}; Python {meta['python']}, NumPy {meta['numpy']}, "
        f"Numba {meta['numba']}, Pythran {meta['pythran']}")

    res = {}
    available = {}
    for kern in kernels:
        r = {"desc": kern.desc, "note": kern.note, "systems": {}, "compile": {}, "ratios": {}}
        res[kern.name] = r
        # The reference, and the NumPy form checked against plain Python on small inputs.
        base = getattr(K, kern.func)
        small = kern.make(True)
        sa, sret = call_fresh(base, small)
        small_ref = outputs_of(kern, sa, sret)
        args = kern.make(False)
        if kern.ref == "python":
            t0 = time.perf_counter()
            ra, rret = call_fresh(base, args)
            r["python_s"] = time.perf_counter() - t0
            ref = outputs_of(kern, ra, rret)
        else:
            # Plain Python is too slow at this size: the NumPy form is the reference, once it
            # agrees with plain Python on the small inputs.
            npf = getattr(K, kern.np_form)
            bad = agree(kern, outputs_of(kern, *call_fresh(npf, small)), small_ref)
            if bad is not None:
                raise SystemExit(f"{kern.name}: the NumPy form differs from Python: {bad}")
            ref = outputs_of(kern, *call_fresh(npf, args))
        fns = {}
        for s in SYSTEMS + list(VARIANTS):
            make = loaders[s]
            if isinstance(make, str):
                r["systems"][s] = make
                continue
            try:
                fn = make(kern)
            except Exception as e:  # noqa: BLE001
                r["systems"][s] = f"failed: {type(e).__name__}: {str(e).splitlines()[0][:150]}"
                continue
            if fn is None:
                r["systems"][s] = "n/a"
                continue
            try:
                t0 = time.perf_counter()
                a, ret = call_fresh(fn, small)
                r["compile"][s] = time.perf_counter() - t0  # first call: compile + a small run
                bad = agree(kern, outputs_of(kern, a, ret), small_ref)
                if bad is None:
                    bad = agree(kern, outputs_of(kern, *call_fresh(fn, args)), ref)
            except Exception as e:  # noqa: BLE001
                r["systems"][s] = f"failed: {type(e).__name__}: {str(e).splitlines()[0][:150]}"
                continue
            if bad is not None:
                r["systems"][s] = f"WRONG RESULT: {bad}"
                continue
            fns[s] = fn
            if s in SYSTEMS:
                available[(kern.name, s)] = True
        samples = time_kernel(fns, args, opts.budget, opts.min_rounds, opts.max_rounds)
        for s, ts in samples.items():
            r["systems"][s] = {"min": min(ts), "median": float(np.median(ts)), "n": len(ts)}
        sj = r["systems"].get("sejit")
        for peer in ("numba", "C", "numpy", "pythran", *VARIANTS):
            pv = r["systems"].get(peer)
            if isinstance(sj, dict) and isinstance(pv, dict):
                r["ratios"][peer] = sj["min"] / pv["min"]
        log(f"{kern.name:11} " + "  ".join(
            f"{s} {fmt_time(v['min']) if isinstance(v, dict) else v}"
            for s, v in r["systems"].items() if s in SYSTEMS))

    gm = geomean([res[k.name]["ratios"].get("numba") for k in kernels])
    gm_c = geomean([res[k.name]["ratios"].get("C") for k in kernels])
    table, table_md = render(res, kernels, meta)
    mem = {}
    if not opts.no_memory:
        log("memory: peak RSS growth of one call, fresh process per kernel and system")
        mem = measure_memory(kernels, available, c_so, opts.quick, log)
    mem_text, mem_md = render_memory(mem, kernels) if mem else ("", "")
    var_text, var_md = render_variants(res, kernels)
    lat = None
    if not opts.no_latency:
        log("latency: fresh processes (bench/latency.py)")
        p = subprocess.run([sys.executable, os.path.join(HERE, "latency.py"), "--json"]
                           + (["--quick"] if opts.quick else []),
                           capture_output=True, text=True, timeout=900)
        try:
            lat = json.loads(p.stdout)
        except ValueError:
            lat = {"error": (p.stderr.strip().splitlines() or ["?"])[-1]}
    png = os.path.join(opts.out, "suite.png")
    chart_note = chart(res, kernels, png)
    shutil.rmtree(tmp, ignore_errors=True)
    if os.environ.get("SEJIT_BENCH_OWN_CACHE"):
        shutil.rmtree(os.environ["SEJIT_CACHE_DIR"], ignore_errors=True)
    if sys.path[0].startswith(tempfile.gettempdir()) and "sejit-bench-pkg-" in sys.path[0]:
        shutil.rmtree(sys.path[0], ignore_errors=True)

    meta["load_after"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    # ---- the report
    hdr = [
        f"sejit benchmark suite, {meta['date']}{'  (QUICK: small sizes, not figures)' if opts.quick else ''}",
        f"machine: {meta['machine']}",
        f"Python {meta['python']}, NumPy {meta['numpy']}, Numba {meta['numba']}, "
        f"Pythran {meta['pythran']} ({meta['pythran_flags']}), {meta['cc_version']}",
        f"C: {meta['cc']}",
        f"sejit: {meta['sejit_pkg']}, source tree at {meta['sejit_tree']}; load average {meta['load_before']} at the "
        f"start, {meta['load_after']} at the end (2 CPUs: above ~1 another job shared them)",
        "time per call: minimum over interleaved rounds after warm-up; ratios are of minima "
        "(< 1: sejit faster)",
    ]
    lines = hdr + ["", table, ""]
    if gm:
        lines.append(f"geometric mean of sejit/numba over {sum(1 for k in kernels if res[k.name]['ratios'].get('numba'))} kernels: {gm:.2f}")
    if gm_c:
        lines.append(f"geometric mean of sejit/C over the {sum(1 for k in kernels if res[k.name]['ratios'].get('C'))} kernels with a C version: {gm_c:.2f}")
    lines.append("")
    lines += [f"{k.name:11} {k.desc}" + (f"; {k.note}" if k.note else "") for k in kernels]
    problems = [(k.name, s, v) for k in kernels for s, v in res[k.name]["systems"].items()
                if isinstance(v, str) and v != "n/a" and not v.startswith("missing")
                and s in SYSTEMS]
    missing = {s: l for s, l in loaders.items() if isinstance(l, str)}
    if problems or missing:
        lines.append("")
        for s, l in missing.items():
            lines.append(f"{s}: {l}")
        for name, s, v in problems:
            lines.append(f"{name} / {s}: {v}")
    lines += ["", "sejit with one option changed (diagnostics; same rounds): time, and sejit's "
              "default time / this variant's (> 1: the option would make it faster)", var_text]
    for v in VARIANTS:
        whys = sorted({res[k.name]["systems"].get(v) for k in kernels
                       if isinstance(res[k.name]["systems"].get(v), str)})
        for why in whys:
            lines.append(f"{v}: {why}")
    if mem:
        lines += ["", "peak memory growth of one call (MB; VmHWM after - VmRSS before, fresh "
                  "process, compiled beforehand on small inputs)", mem_text]
    if lat:
        lines += ["", "latency and overhead (fresh processes; bench/latency.py)",
                  lat.get("text", json.dumps(lat))]
    tg = targets(res, gm, mem, lat) if not opts.only else []
    if tg:
        lines += ["", "issue 5's targets, from this run:"]
        lines += [f"  {v:12} {t}: {m}" for t, m, v in tg]
    if chart_note:
        lines += ["", chart_note]
    else:
        lines += ["", f"chart: {os.path.relpath(png, ROOT)}"]
    lines.append(f"\nsuite wall time: {time.perf_counter() - t_start:.0f} s")
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    with open(os.path.join(opts.out, "suite.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(opts.out, "suite.md"), "w") as f:
        f.write("\n".join(hdr) + "\n\n" + table_md + "\n\n" + (
            f"Geometric mean of sejit/numba: {gm:.2f}\n\n" if gm else "") + (
            "Peak memory growth of one call (MB):\n\n" + mem_md + "\n\n" if mem else "") +
            "sejit with one option changed:\n\n" + var_md + "\n" + (
                "\nTargets:\n\n| target | measured | |\n|---|---|---|\n" + "\n".join(
                    f"| {t} | {m} | **{v}** |" for t, m, v in tg) + "\n" if tg else ""))
    with open(os.path.join(opts.out, "suite.json"), "w") as f:
        json.dump({"meta": meta, "results": res, "memory_kb": mem, "latency": lat,
                   "geomean_sejit_numba": gm, "geomean_sejit_c": gm_c}, f, indent=1,
                  default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
