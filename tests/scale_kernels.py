"""Functions the multi-process tests (test_pickle.py, test_dask.py) send to worker processes.

An importable module, so that its jitted functions are pickled by reference; `make_main_kernels`
makes functions that look as if typed in `__main__` (a notebook, a script), which are pickled by
value. `counted_call` runs in a worker and reports what that call compiled there.
"""

import linecache
import os

import numpy as np

import sejit

SCALE = 3.0


@sejit.jit
def saxpy(a, x, y):
    return a * x + y


def plain_norm(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * x[i]
    return s


norm = sejit.jit(plain_norm)  # the module's name for the function is the plain one

MAIN_SOURCE = '''\
import numpy as np
import sejit

OFFSET = {offset!r}


def shifted(v):
    return v + OFFSET


@sejit.jit
def kernel(x, a):
    s = 0.0
    for i in range(x.shape[0]):
        s += shifted(x[i]) * a + np.sqrt(abs(x[i]))
    return s


@sejit.jit
def poly(x):
    return x * x - 2.0 * x + OFFSET


def make_closure(k):
    def scaled(x):
        return x * k + OFFSET
    return sejit.jit(scaled)


closure = make_closure(1.5)
'''


def make_main_kernels(offset, tag):
    """A namespace like a notebook's `__main__` after running MAIN_SOURCE (its text in linecache
    under a cell's name, as IPython does). offset makes the source, and so the cache keys, new
    for each caller that wants a cold cache."""
    src = MAIN_SOURCE.format(offset=float(offset))
    filename = f"<ipython-input-{tag}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = {"__name__": "__main__"}
    exec(compile(src, filename, "exec"), namespace)
    return namespace


UFUNC_SOURCE = '''\
import numpy as np
import sejit

SCALE = {offset!r}


def weight(y):
    return abs(y) + SCALE


@sejit.vectorize(["float64(float64, float64)", "float32(float32, float32)"])
def rel(x, y):
    return (x - y) / weight(y)


@sejit.vectorize
def lazy_rel(x, y):
    return (x - y) / weight(y)


@sejit.guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(n)->()")
def dot(a, b, out):
    s = 0.0
    for k in range(a.shape[0]):
        s += a[k] * b[k]
    out[0] = s * SCALE


@sejit.guvectorize("(n),(n)->()")
def lazy_dot(a, b, out):
    s = 0.0
    for k in range(a.shape[0]):
        s += a[k] * b[k]
    out[0] = s * SCALE
'''


def make_main_ufuncs(offset, tag):
    """sejit.vectorize and guvectorize of a notebook's `__main__` (as make_main_kernels):
    `rel` and `dot` are real ufuncs (compiled here, now), `lazy_rel` and `lazy_dot` the lazy
    objects (nothing compiled yet). In NumPy: rel = (x - y) / (|y| + offset), dot = a @ b *
    offset over the last axis."""
    src = UFUNC_SOURCE.format(offset=float(offset))
    filename = f"<ipython-input-{tag}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = {"__name__": "__main__"}
    exec(compile(src, filename, "exec"), namespace)
    return namespace


def counted_call(disp, args, cache_dir):
    """Calls disp(*args) in this process with the cache at cache_dir; returns
    (pid, result, compiles, cache loads) of this call."""
    os.environ["SEJIT_CACHE_DIR"] = cache_dir  # a forkserver's workers keep its environment
    before = sejit.stats()
    result = disp(*args)
    after = sejit.stats()
    return (
        os.getpid(),
        result,
        after["compiles"] - before["compiles"],
        after["cache_loads"] - before["cache_loads"],
    )


def per_worker(outcomes):
    """{pid: [compiles, cache loads]} summed over the calls each worker made."""
    out = {}
    for pid, _, compiles, loads in outcomes:
        c = out.setdefault(pid, [0, 0])
        c[0] += compiles
        c[1] += loads
    return out


def inputs(n=6):
    return [(np.linspace(-1.0, 1.0, 50 + i), 0.5 + i) for i in range(n)]


def stats_delta(before, after):
    """{worker: (compiles, cache loads)} between two `client.run(sejit.stats)` answers."""
    return {
        w: (after[w]["compiles"] - before[w]["compiles"],
            after[w]["cache_loads"] - before[w]["cache_loads"])
        for w in after
    }
