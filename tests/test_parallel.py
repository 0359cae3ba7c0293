"""jit(parallel=True) and sejit.prange (issue 5).

Differential, as everywhere: each kernel runs in CPython (where prange is range) and through
jit(parallel=True), on sizes below and above the thresholds from which loops run on several
threads (cgen.ParMinTrip = 4096 iterations for a prange loop, counting those of the loops in its
body; cgen.ParMinElems = 32768 elements for an element-wise nest). Integer results are
exact; float reductions may add in another order, so they are compared within 1e-12 relative,
as NumPy's pairwise sums are. Element-wise results are exact: each element is computed by the
same expression on whichever thread.
"""

import os
import threading

import numpy as np
import pytest
import sejit
from conftest import DISABLED, check, check_raises, make_array, needs_engine, quiet
from sejit import jit, prange

# Loops above their threshold run on several threads even when the machine's CPUs are all
# busy (kernels otherwise fall back to the serial loop then): these tests are about the
# parallel code, and the development machine is shared.
os.environ["SEJIT_PARALLEL_ALWAYS"] = "1"

PAR = {"parallel": True}
SIZES = (0, 1, 7, 5000, 100_003)
# A reduction over no elements returns its Python start value (0, 0.0) in CPython, its elements'
# NumPy type otherwise; compiled code has one type, so those results compare by dtype and value.


# --------------------------------------------------------------------------- prange in Python


def test_prange_is_range_in_python():
    for args in [(5,), (2, 9), (9, 2, -3), (0, 100, 7), (3, 3)]:
        assert list(prange(*args)) == list(range(*args))
    assert sejit.prange is prange
    with pytest.raises(TypeError):
        prange(1.5)
    with pytest.raises(ValueError):
        prange(0, 5, 0)


def uses_prange(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s


def test_plain_python_function_with_prange():
    a = np.arange(10.0)
    assert uses_prange(a) == sum(a.tolist())  # CPython's own sum, in the same order


# --------------------------------------------------------------------------- reductions


def red_sum(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i] * a[i]
    return s


def red_int(a):
    s = 0
    for i in prange(a.shape[0]):
        s += a[i] * 3
        s -= i
    return s


def red_prod(a):
    p = 1.0
    for i in prange(a.shape[0]):
        p *= 1.0 + a[i] * 1e-6
    return p


def red_mixed(a, b):
    s = 0.0
    n = 0
    for i in prange(a.shape[0]):
        if a[i] > b[i]:
            s += a[i] - b[i]
            n += 1
        else:
            s -= 0.5 * b[i]
    return s, n


def red_step(a):
    # A negative step, a start and a stop that are not the array's bounds.
    s = 0
    for i in prange(a.shape[0] - 1, 2, -3):
        s += a[i]
    return s


@pytest.mark.parametrize("n", SIZES)
def test_float_sum(n):
    check(red_sum, make_array(n, seed=n), options=PAR, rtol=1e-12, scalar_types=n > 0)


@pytest.mark.parametrize("n", SIZES)
def test_int_sum_exact(n):
    check(red_int, np.arange(n, dtype=np.int64) * 7 - 3, options=PAR, scalar_types=n > 0)


@pytest.mark.parametrize("n", SIZES)
def test_product(n):
    check(red_prod, make_array(n, seed=1), options=PAR, rtol=1e-12, scalar_types=n > 0)


@pytest.mark.parametrize("n", SIZES)
def test_conditional_reductions(n):
    check(red_mixed, make_array(n, seed=2), make_array(n, seed=3), options=PAR, rtol=1e-12,
          scalar_types=n > 0)


@pytest.mark.parametrize("n", (0, 3, 10, 20000))
def test_negative_step(n):
    check(red_step, np.arange(n, dtype=np.int64), options=PAR, scalar_types=n > 3)


def int_wrap(a):
    s = 0
    for i in prange(a.shape[0]):
        s += a[i]
    return s


def test_int_reduction_wraps_like_serial():
    a = np.full(10000, 2**62, dtype=np.int64)
    with quiet():
        expected = jit(int_wrap)(a)
        got = jit(int_wrap, parallel=True)(a)
    assert got == expected


# --------------------------------------------------------------------------- loop bodies


def rows(a, out, tot):
    for i in prange(a.shape[0]):
        out[i, :] = a[i, :] * 2.0 + 1.0
        t = 0.0
        for j in range(a.shape[1]):
            t += a[i, j]
        tot[i] = t


@pytest.mark.parametrize("shape", [(1, 5), (3, 4), (300, 70)])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_rows_2d(shape, layout):
    a = make_array(shape, layout=layout, seed=4)
    check(rows, a, np.zeros(shape), np.zeros(shape[0]), options=PAR)


def mandel(counts, maxiter):
    h, w = counts.shape
    for i in prange(h):
        ci = -1.0 + 2.0 * i / h
        for j in range(w):
            cr = -2.0 + 2.5 * j / w
            zr = 0.0
            zi = 0.0
            k = 0
            while k < maxiter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                k += 1
            counts[i, j] = k


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (64, 80)])
def test_mandelbrot_exact(shape):
    check(mandel, np.zeros(shape, dtype=np.int64), 50, options=PAR)


def nbody_step(pos, vel, mass, dt, soft):
    n = pos.shape[0]
    for i in prange(n):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(n):
            dx = pos[j, 0] - pos[i, 0]
            dy = pos[j, 1] - pos[i, 1]
            dz = pos[j, 2] - pos[i, 2]
            r2 = dx * dx + dy * dy + dz * dz + soft * soft
            inv = mass[j] / (r2 * np.sqrt(r2))
            ax += dx * inv
            ay += dy * inv
            az += dz * inv
        vel[i, 0] += dt * ax
        vel[i, 1] += dt * ay
        vel[i, 2] += dt * az
    for i in prange(n):
        pos[i, :] += dt * vel[i, :]


@pytest.mark.parametrize("n", (1, 5, 200))
def test_nbody_step(n):
    check(nbody_step, make_array((n, 3), seed=5), make_array((n, 3), seed=6),
          make_array(n, low=0.5, high=1.0, seed=7), 0.01, 0.1, options=PAR)


def scratch(a, out):
    # An array allocated in every iteration (the allocation runs on the worker threads).
    for i in prange(a.shape[0]):
        tmp = np.zeros(a.shape[1])
        for j in range(a.shape[1]):
            tmp[j] = a[i, j] * a[i, j]
        out[i] = np.sum(tmp) + np.max(tmp)


@pytest.mark.parametrize("n", (0, 3, 500))
def test_allocation_inside_prange(n):
    check(scratch, make_array((n, 9), seed=8), np.zeros(n), options=PAR)


def helper(x, k):
    return x * k + 1.0


def calls(a, out):
    for i in prange(a.shape[0]):
        out[i] = helper(a[i], i)


def test_call_inside_prange():
    check(calls, make_array(10000, seed=9), np.zeros(10000), options=PAR)


def nested(a, out):
    for i in prange(a.shape[0]):
        for j in prange(a.shape[1]):
            out[i, j] = a[i, j] + i - j


def test_nested_prange():
    check(nested, make_array((50, 40), seed=10), np.zeros((50, 40)), options=PAR)


def continue_in_prange(a, out):
    s = 0
    for i in prange(a.shape[0]):
        if a[i] < 0:
            continue
        out[i] = a[i]
        s += 1
    return s


def test_continue():
    check(continue_in_prange, make_array(9000, seed=11), np.zeros(9000), options=PAR)


def private_scalars(a, out):
    for i in prange(a.shape[0]):
        x = a[i] * 2.0
        if x > 0:
            y = x
        else:
            y = -x
        out[i] = x + y


def test_private_scalars():
    check(private_scalars, make_array(20000, seed=12), np.zeros(20000), options=PAR)


def plain_loop_when_serial(a):
    # Races under parallel=True (the loop is refused then), fine as a plain loop.
    last = 0.0
    for i in prange(a.shape[0]):
        last = a[i]
    return last


def test_prange_without_parallel_is_a_plain_loop():
    check(plain_loop_when_serial, make_array(100, seed=13))


def attribute_form(a):
    s = 0
    for i in sejit.prange(a.shape[0]):
        s += a[i]
    return s


def test_sejit_dot_prange():
    check(attribute_form, np.arange(10000, dtype=np.int64), options=PAR)


# --------------------------------------------------------------------------- parallel nests


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


@pytest.mark.parametrize("n", (0, 1, 100, 32768, 200_001))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_poly_parallel_nest(n, dtype):
    x = make_array(n, dtype=dtype, seed=14)
    check(poly, x, np.zeros(n, dtype=dtype), 3.141, options=PAR)


def expr2d(a, b):
    c = np.sin(a) * b + a * 2.0
    return c + b[::-1, :]


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_fused_2d(layout):
    a = make_array((300, 200), layout=layout, seed=15)
    b = make_array((300, 200), layout="C", seed=16)
    check(expr2d, a, b, options=PAR)


def reductions_stay_serial(a):
    return np.sum(a * a), np.min(a), np.max(a), np.mean(a)


def test_array_reductions_with_parallel():
    # Nest reductions are not parallelised: results equal serial jit's exactly.
    a = make_array(300_000, seed=17)
    if DISABLED:
        return
    assert jit(reductions_stay_serial, parallel=True)(a) == jit(reductions_stay_serial)(a)


@needs_engine
@pytest.mark.parametrize("fn,args", [
    (red_int, (np.arange(50_000, dtype=np.int64),)),
    (mandel, (np.zeros((40, 30), dtype=np.int64), 30)),
])
def test_parallel_identical_to_serial_for_ints(fn, args):
    a1 = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    a2 = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    r1 = jit(fn)(*a1)
    r2 = jit(fn, parallel=True)(*a2)
    assert r1 == r2
    for x, y in zip(a1, a2):
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y)


# --------------------------------------------------------------------------- errors at run time


def index_error(a, b):
    for i in prange(a.shape[0]):
        a[i] = b[i * 2]


def zero_div(n):
    s = 0
    for i in prange(n):
        s += 1000 // (i - 7000)
    return s


def assert_fail(a):
    for i in prange(a.shape[0]):
        assert a[i] < 0.99, "too big"
        a[i] = 0.0


def raises_in_callee(x, k):
    return x // k


def callee_error(out, k):
    for i in prange(out.shape[0]):
        out[i] = raises_in_callee(7, i - k)


@pytest.mark.parametrize("n", (3, 100, 20000))
def test_index_error_first_iteration(n):
    a, b = np.zeros(n), np.arange(n, dtype=np.float64)
    err = check_raises(index_error, a, b, exc=IndexError, options=PAR)
    if not DISABLED:
        # The message names the index of the first failing iteration, as serially.
        first = 2 * ((n + 1) // 2)
        assert f"index {first} is out of bounds" in str(err)


def test_zero_division():
    check_raises(zero_div, 20000, exc=ZeroDivisionError, options=PAR)
    check(zero_div, 5000, options=PAR)


def test_assertion_inside_prange():
    a = np.linspace(0.0, 1.0, 30000)
    check_raises(assert_fail, a, exc=AssertionError, options=PAR)


def test_error_in_called_function():
    check_raises(callee_error, np.zeros(20000, dtype=np.int64), 12345, exc=ZeroDivisionError,
                 options=PAR)
    check(callee_error, np.zeros(20000, dtype=np.int64), -1, options=PAR)


# --------------------------------------------------------------------------- refused loops


def read_after(a):
    x = 0.0
    for i in prange(a.shape[0]):
        x = a[i]
    return x


def carried(a):
    x = 0.0
    for i in prange(a.shape[0]):
        a[i] = x
        x = a[i] + 1.0


def shifted(a):
    for i in prange(a.shape[0] - 1):
        a[i + 1] = a[i] + 1.0


def scattered(a, idx):
    for i in prange(idx.shape[0]):
        a[idx[i]] = 1.0


def returns(a):
    for i in prange(a.shape[0]):
        if a[i] > 0:
            return i
    return -1


def breaks(a):
    for i in prange(a.shape[0]):
        if a[i] > 0:
            break
        a[i] = 1.0


def complex_sum(a):
    s = 0j
    for i in prange(a.shape[0]):
        s += a[i]
    return s


def outside_loop(n):
    r = prange(n)
    return n


REFUSED = [
    (read_after, (np.ones(4),), "'x' is assigned inside a prange loop", 4),
    (carried, (np.ones(4),), "'x' is assigned inside a prange loop", 5),
    (shifted, (np.ones(4),), "'a' is written inside a prange loop", 3),
    (scattered, (np.ones(4), np.arange(4)), "'a' is written inside a prange loop", 3),
    (returns, (np.ones(4),), "return inside a prange loop", 2),
    (breaks, (np.ones(4),), "break out of a prange loop", 2),
    (complex_sum, (np.ones(4, dtype=complex),), "complex128 reduction", 4),
    (outside_loop, (3,), "prange() is only supported as the iterable of a for loop", 2),
]


@needs_engine
@pytest.mark.parametrize("fn,args,msg,line", REFUSED, ids=[r[0].__name__ for r in REFUSED])
def test_refused_with_position(fn, args, msg, line):
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(fn, parallel=True)(*args)
    text = str(info.value)
    assert msg in text
    first = fn.__code__.co_firstlineno
    assert f"test_parallel.py:{first + line - 1}:" in text, text


@pytest.mark.parametrize("fn,args", [(r[0], r[1]) for r in REFUSED if r[0] is not outside_loop])
def test_refused_loops_run_serially_without_parallel(fn, args):
    check(fn, *args)


# --------------------------------------------------------------------------- options, threads


@needs_engine
def test_parallel_option_must_be_bool():
    with pytest.raises(TypeError):
        jit(parallel=1)


@needs_engine
def test_parallel_and_serial_are_separate_entries():
    def f(a):
        s = 0
        for i in prange(a.shape[0]):
            s += a[i]
        return s

    a = np.arange(10, dtype=np.int64)
    assert jit(f)(a) == jit(f, parallel=True)(a) == 45
    assert jit(f, parallel=True).options["parallel"] is True


def test_concurrent_callers():
    # Python threads calling parallel kernels at once (the GIL is released while they run).
    fast = jit(red_int, parallel=True)
    data = [np.arange(i * 1000, i * 1000 + 30000, dtype=np.int64) for i in range(6)]
    want = [red_int(d) for d in data]
    got = [None] * len(data)

    def work(k):
        for _ in range(5):
            got[k] = fast(data[k])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(data))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == want


FORK_SCRIPT = """
import os, sys
import numpy as np
from sejit import jit, prange

def f(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s

jf = jit(f, parallel=True)
a = np.ones(100000)
want = f(a)  # CPython's result (exact: a sum of ones)
assert jf(a) == want
pid = os.fork()
if pid == 0:
    os._exit(0 if jf(a) == want else 3)
_, status = os.waitpid(pid, 0)
assert os.waitstatus_to_exitcode(status) == 0, status
assert jf(a) == want
print("ok")
"""


@needs_engine
def test_fork_after_parallel_region(tmp_path):
    # The OpenMP runtime's threads do not survive fork(); the kernels release the forking
    # thread's pool first, so the child's parallel loops start threads of their own.
    import subprocess
    import sys

    env = dict(os.environ, SEJIT_CACHE_DIR=str(tmp_path / "cache"))
    script = tmp_path / "forks.py"
    script.write_text(FORK_SCRIPT)
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


THREADS_SCRIPT = """
import os, sys
import numpy as np
from sejit import jit, prange

def f(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s

def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1

def rowsum(m, out):
    for i in prange(m.shape[0]):
        t = 0.0
        for j in range(m.shape[1]):
            t += m[i, j]
        out[i] = t

n = int(sys.argv[1])
jf, jp, jr = jit(f, parallel=True), jit(poly, parallel=True), jit(rowsum, parallel=True)
# Compiled first (the engine is a subprocess).
jf(np.ones(1)), jp(np.ones(1), np.ones(1), 1.0), jr(np.ones((1, 1)), np.ones(1))
before = len(os.listdir("/proc/self/task"))
a = np.ones(n)
assert jf(a) == n
jp(a, a.copy(), 1.0)
m = np.ones((max(1, n // 100), 10))  # 11 units of work a row
out = np.zeros(m.shape[0])
jr(m, out)
assert (out == 10.0).all()
print(len(os.listdir("/proc/self/task")) - before)
"""


@needs_engine
@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux's /proc")
@pytest.mark.parametrize("n,threads", [(100, False), (4000, False), (100_000, True), (-1, True)])
def test_threads_start_only_above_the_threshold(tmp_path, n, threads):
    # Below the thresholds no thread is ever started (the serial loop runs); above them the
    # OpenMP runtime's workers exist afterwards. No timing involved.
    import subprocess
    import sys

    env = dict(os.environ, SEJIT_CACHE_DIR=str(tmp_path / "cache"), SEJIT_PARALLEL_ALWAYS="1")
    env.pop("OMP_NUM_THREADS", None)
    script = tmp_path / "threads.py"
    text = THREADS_SCRIPT
    if n < 0:
        # Only the prange loop with an inner loop is large: 400 rows of 11 units each.
        n = 4000
        text = text.replace("max(1, n // 100), 10", "400, 10").replace("np.ones(n)", "np.ones(10)")
        text = text.replace("assert jf(a) == n", "assert jf(a) == 10")
    script.write_text(text)
    out = subprocess.run([sys.executable, str(script), str(n)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    started = int(out.stdout.strip())
    if threads and (os.cpu_count() or 1) > 1:
        assert started > 0
    elif not threads:
        assert started == 0


def var_step(a, start, stop, step):
    s = 0
    for i in prange(start, stop, step):
        s += a[i] * (i + 1)
    return s


@pytest.mark.parametrize("start,stop,step", [(0, 9000, 1), (8999, -1, -1), (5, 9000, 7),
                                             (8000, 3, -13), (4, 4, 1), (0, 9000, 0)])
def test_variable_step(start, stop, step):
    a = np.arange(9000, dtype=np.int64)
    if step == 0:
        check_raises(var_step, a, start, stop, step, exc=ValueError, options=PAR)
    else:
        empty = len(range(start, stop, step)) == 0
        check(var_step, a, start, stop, step, options=PAR, scalar_types=not empty)


def row_views(a, out):
    for i in prange(a.shape[0]):
        row = a[i]
        dst = out[i, :]
        for j in range(row.shape[0]):
            dst[j] = row[j] * 2.0 + j


def test_row_views():
    check(row_views, make_array((3000, 5), seed=18), np.zeros((3000, 5)), options=PAR)
