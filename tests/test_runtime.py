"""The runtime and the Python front end, without the engine's compiler pipeline.

Kernels that follow internal/cgen/sejit_abi.h are written by hand here, built with the system C
compiler and registered with `_add`, so the C fast path (classification, unpacking, the GIL
release, allocation, boxing, errors) is checked against NumPy on its own. A fake engine (a small
script named by $SEJIT_ENGINE) checks the request, the reply handling, error mapping and the disk
cache. The rest checks classification, cache keys, the AST encoding and `jit`'s options.
"""

import ast
import gc
import json
import math
import os
import subprocess
import sys
import threading
import time
import tracemalloc

import numpy as np
import pytest

import sejit
from sejit import _args, _astjson, _engine, _request, _runtime
from sejit.dispatcher import Dispatcher

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ABI_INCLUDE = os.path.join(REPO, "internal", "cgen")

KERNELS = r"""
#include "sejit_abi.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define S(k) ((sejit_scalar *)a[k])
#define A(k) ((sejit_array *)a[k])

int nothing(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c, (void)a, (void)r;
    return 0;
}

int add_f64(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].s.f64 = S(0)->f64 + S(1)->f64;
    return 0;
}

/* y[i] = 2 * x[i] + s for 1-d float64 arrays of any strides. */
int axpy(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)r;
    sejit_array *x = A(0), *y = A(1);
    double s = S(2)->f64;
    if (x->shape[0] != y->shape[0]) {
        c->err = SEJIT_ERR_VALUE;
        snprintf(c->msg, sizeof c->msg, "shapes (%lld,) and (%lld,) differ",
                 (long long)x->shape[0], (long long)y->shape[0]);
        return -1;
    }
    double *xd = (double *)x->data, *yd = (double *)y->data;
    for (int64_t i = 0; i < x->shape[0]; i++)
        yd[i * y->strides[0]] = 2 * xd[i * x->strides[0]] + s;
    return 0;
}

/* A new 2-d float64 array x + 1. */
int plus_one_2d(sejit_ctx *c, void **a, sejit_slot *r) {
    sejit_array *x = A(0), out;
    if (c->alloc(c, SEJIT_FLOAT64, 2, x->shape, &out) != 0)
        return -1;
    for (int64_t i = 0; i < x->shape[0]; i++)
        for (int64_t j = 0; j < x->shape[1]; j++)
            ((double *)out.data)[i * out.strides[0] + j * out.strides[1]] =
                ((double *)x->data)[i * x->strides[0] + j * x->strides[1]] + 1;
    r[0].a = out;
    return 0;
}

/* Sum of a 2-d float64 array through its element strides. */
int sum2d(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    sejit_array *x = A(0);
    double s = 0;
    for (int64_t i = 0; i < x->shape[0]; i++)
        for (int64_t j = 0; j < x->shape[1]; j++)
            s += ((double *)x->data)[i * x->strides[0] + j * x->strides[1]];
    r[0].s.f64 = s;
    return 0;
}

/* x[1:] as a view of the argument. */
int tail_view(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    sejit_array *x = A(0);
    r[0].a = *x;
    r[0].a.data = x->data + x->strides[0] * (int64_t)sizeof(double);
    r[0].a.shape[0] = x->shape[0] - 1;
    return 0;
}

/* x itself. */
int ident(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].a = *A(0);
    return 0;
}

/* A new array arange(n)[::2] as a view of a fresh allocation. */
int alloc_strided_view(sejit_ctx *c, void **a, sejit_slot *r) {
    int64_t n = S(0)->i64;
    sejit_array out;
    if (c->alloc(c, SEJIT_INT64, 1, &n, &out) != 0)
        return -1;
    for (int64_t i = 0; i < n; i++)
        ((int64_t *)out.data)[i] = i;
    r[0].a = out;
    r[0].a.shape[0] = (n + 1) / 2;
    r[0].a.strides[0] = 2;
    return 0;
}

/* (sum, cumsum, max as float32) of a 1-d int64 array: a tuple of three leaves. */
int stats_i64(sejit_ctx *c, void **a, sejit_slot *r) {
    sejit_array *x = A(0), cs;
    if (c->alloc(c, SEJIT_INT64, 1, x->shape, &cs) != 0)
        return -1;
    int64_t s = 0, m = INT64_MIN;
    for (int64_t i = 0; i < x->shape[0]; i++) {
        int64_t v = ((int64_t *)x->data)[i * x->strides[0]];
        s += v;
        if (v > m) m = v;
        ((int64_t *)cs.data)[i] = s;
    }
    r[0].s.i64 = s;
    r[1].a = cs;
    r[2].s.f32 = (float)m;
    return 0;
}

/* Python's a // b, with ZeroDivisionError. */
int floordiv(sejit_ctx *c, void **a, sejit_slot *r) {
    int64_t x = S(0)->i64, y = S(1)->i64;
    if (y == 0) {
        c->err = SEJIT_ERR_ZERODIV;
        snprintf(c->msg, sizeof c->msg, "integer division or modulo by zero");
        return -1;
    }
    int64_t q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0)))
        q--;
    r[0].s.i64 = q;
    return 0;
}

/* Fails with the error code given as its argument and no message. */
int fail_with(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)r;
    c->err = (int)S(0)->i64;
    return -1;
}

int bad_owner(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].a = *A(0);
    r[0].a.obj = (void *)0x1234;
    return 0;
}

int no_owner(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].a = *A(0);
    r[0].a.obj = 0;
    return 0;
}

int alloc_huge(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)a;
    int64_t shape[1] = {INT64_MAX / 4};
    sejit_array out;
    if (c->alloc(c, SEJIT_FLOAT64, 1, shape, &out) != 0)
        return -1;
    r[0].a = out;
    return 0;
}

/* Allocates 12 temporaries (more than the runtime keeps inline) of n
 * float64 each and returns the last. */
int alloc_many(sejit_ctx *c, void **a, sejit_slot *r) {
    int64_t n = S(0)->i64;
    sejit_array t;
    for (int k = 0; k < 12; k++) {
        if (c->alloc(c, SEJIT_FLOAT64, 1, &n, &t) != 0)
            return -1;
        for (int64_t i = 0; i < n; i++)
            ((double *)t.data)[i] = k;
    }
    r[0].a = t;
    return 0;
}

int twice_f32(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].s.f32 = S(0)->f32 * 2;
    return 0;
}

int twice_c128(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].s.c128.re = S(0)->c128.re * 2;
    r[0].s.c128.im = S(0)->c128.im * 2;
    return 0;
}

int twice_i64(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].s.i64 = (int64_t)((uint64_t)S(0)->i64 * 2u);
    return 0;
}

int not_bool(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].s.b = !S(0)->b;
    return 0;
}

int u8_plus(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    r[0].s.u8 = (uint8_t)(S(0)->u8 + S(1)->u8);
    return 0;
}

/* Sum of 20 float64 scalars (more arguments than the stack buffers hold). */
int sum20(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    double s = 0;
    for (int k = 0; k < 20; k++)
        s += S(k)->f64 * (k + 1);
    r[0].s.f64 = s;
    return 0;
}

/* A tuple of 20 int64 leaves: k * x. */
int leaves20(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    for (int k = 0; k < 20; k++)
        r[k].s.i64 = k * S(0)->i64;
    return 0;
}

/* Waits (up to 5 s) for another thread to set flag[0]; returns whether it did.
 * Only possible when the runtime released the GIL. */
int wait_flag(sejit_ctx *c, void **a, sejit_slot *r) {
    (void)c;
    volatile int64_t *flag = (volatile int64_t *)A(0)->data;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        if (__atomic_load_n(flag, __ATOMIC_SEQ_CST) != 0) {
            r[0].s.b = 1;
            return 0;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while (t.tv_sec - t0.tv_sec < 5);
    r[0].s.b = 0;
    return 0;
}
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    """The hand-written kernels, built into one shared object."""
    d = tmp_path_factory.mktemp("kernels")
    src = d / "kernels.c"
    src.write_text(KERNELS)
    so = d / "kernels.so"
    cc = os.environ.get("SEJIT_CC") or "cc"
    flags = ["-O2", "-shared", "-fPIC", "-Wall", "-Werror", f"-I{ABI_INCLUDE}"]
    subprocess.run([cc, *flags, str(src), "-o", str(so)], check=True)
    return str(so)


# ----------------------------------------------------------------------------------- helpers

SCALAR = {"kind": "none"}


def scalar(dtype):
    return {"kind": "scalar", "dtype": dtype}


def array(dtype, ndim):
    return {"kind": "array", "dtype": dtype, "ndim": ndim}


def tuple_of(*items):
    return {"kind": "tuple", "items": list(items)}


def leaves(ret):
    if ret["kind"] == "tuple":
        return sum(leaves(r) for r in ret["items"])
    return 0 if ret["kind"] == "none" else 1


def register(disp, lib, symbol, args, ret, writes=(), guard=()):
    """Registers kernel `symbol` for the signature of `args`; returns the ABI."""
    sigkey, argtypes = _args.classify(disp, args)
    abi = {
        "sig": "(" + ", ".join(_args.describe_type(t) for t in argtypes) + ")",
        "args": argtypes,
        "writes": list(writes),
        "guard": list(guard),
        "ret": ret,
        "nleaves": leaves(ret),
    }
    assert disp._add(sigkey, lib, symbol, abi) is True
    return abi


def jit_of(func, **options):
    opts = {"cache": True, "boundscheck": True, "fastmath": False, "parallel": False}
    opts.update(options)
    return Dispatcher(func, opts)


# Python references with the parameter names the runtime reports.
def add(a, b):
    return a + b


def axpy(x, y, s):
    y[:] = 2 * x + s


def one(x):
    return x


def two(x, y):
    return x


# ----------------------------------------------------------------------------------- fast path


def test_scalar_kernel(lib):
    f = jit_of(add)
    register(f, lib, "add_f64", (1.0, 2.0), scalar("float64"))
    assert f(1.5, 2.25) == 3.75
    assert type(f(1.5, 2.25)) is float
    assert f._entries()[0][1] == lib


def test_array_write_any_layout(lib):
    f = jit_of(axpy)
    x = np.arange(10.0)
    y = np.zeros(10)
    register(f, lib, "axpy", (x, y, 0.5), SCALAR, writes=[1])
    assert f(x, y, 0.5) is None
    np.testing.assert_array_equal(y, 2 * x + 0.5)
    # Strided and reversed views have layout "A": another signature.
    xs, ys = np.arange(20.0)[::2], np.zeros(30)[::-3]
    register(f, lib, "axpy", (xs, ys, 0.5), SCALAR, writes=[1])
    f(xs, ys, 1.0)
    np.testing.assert_array_equal(ys, 2 * xs + 1.0)
    assert len(f._entries()) == 2


def test_kernel_value_error(lib):
    f = jit_of(axpy)
    register(f, lib, "axpy", (np.zeros(3), np.zeros(3), 0.0), SCALAR, writes=[1])
    with pytest.raises(ValueError, match=r"shapes \(3,\) and \(4,\) differ"):
        f(np.zeros(3), np.zeros(4), 1.0)


def test_read_only_destination(lib):
    f = jit_of(axpy)
    x, y = np.zeros(3), np.zeros(3)
    register(f, lib, "axpy", (x, y, 0.0), SCALAR, writes=[1])
    y.flags.writeable = False
    with pytest.raises(ValueError, match=r"assignment destination is read-only \(argument 'y'\)"):
        f(x, y, 1.0)
    x.flags.writeable = False  # only written arguments must be writeable
    y2 = np.zeros(3)
    f(x, y2, 1.0)
    np.testing.assert_array_equal(y2, [1.0, 1.0, 1.0])


@pytest.mark.parametrize("guarded", [True, False])
def test_guard_copies_an_overlapping_argument(lib, guarded):
    # The C axpy runs one forward loop with no test of its own: the ABI's guard list makes
    # the runtime pass a copy of x when it overlaps y, and only then.
    f = jit_of(axpy)
    a = np.arange(12.0)
    register(f, lib, "axpy", (a[:-1], a[1:], 0.5), SCALAR, writes=[1], guard=[0] if guarded else [])
    want = a.copy()
    axpy(want[:-1], want[1:], 0.5)  # NumPy: the right side from the values at the call
    f(a[:-1], a[1:], 0.5)
    if guarded:
        np.testing.assert_array_equal(a, want)
    else:
        assert not np.array_equal(a, want)  # the loop read what it had written
    # Apart, nothing is copied and the result is the same.
    x, y = np.arange(11.0), np.zeros(11)
    f(x, y, 0.5)
    np.testing.assert_array_equal(y, 2 * x + 0.5)


def test_guard_list_is_validated(lib):
    f = jit_of(axpy)
    sigkey, argtypes = _args.classify(f, (np.zeros(3), np.zeros(3), 0.5))
    good = {"sig": "x", "args": argtypes, "writes": [1], "ret": SCALAR, "nleaves": 0}
    for guard in ([1], [2], [3], "0"):  # written, a scalar, out of range, not a list
        with pytest.raises(ValueError, match="invalid ABI"):
            f._add(sigkey, lib, "axpy", dict(good, guard=guard))
    assert f._add(sigkey, lib, "axpy", dict(good, guard=[0])) is True


def test_misaligned_array(lib):
    """A misaligned argument runs on an aligned copy; what the kernel writes lands in the
    caller's array (tests/test_misaligned.py has the rest)."""
    f = jit_of(axpy)
    x, y = np.zeros(3), np.zeros(3)
    register(f, lib, "axpy", (x, y, 0.0), SCALAR, writes=[1])
    raw = np.zeros(4 * 8 + 1, dtype=np.uint8)
    odd = raw[1:].view(np.float64)[:3]  # data pointer one byte off
    assert odd.flags.c_contiguous
    odd[:] = [1.0, 2.0, 3.0]
    y = np.zeros(3)
    f(odd, y, 1.0)
    np.testing.assert_array_equal(y, 2 * odd + 1.0)
    rec = np.zeros(3, dtype=[("a", np.int32), ("b", np.float64)])
    strided = rec["b"]  # stride 12: not a multiple of 8
    register(f, lib, "axpy", (x, strided, 0.0), SCALAR, writes=[1])
    x = np.arange(3.0)
    f(x, strided, 1.0)
    np.testing.assert_array_equal(rec["b"], 2 * x + 1.0)
    np.testing.assert_array_equal(rec["a"], 0)


def test_alloc_and_strides_2d(lib):
    base = np.arange(24.0).reshape(4, 6)
    for x in (base, base.T, base[::2, ::-3], np.asfortranarray(base)):
        g = jit_of(one)
        register(g, lib, "plus_one_2d", (x,), array("float64", 2))
        out = g(x)
        assert isinstance(out, np.ndarray) and out.base is None and out.flags.c_contiguous
        np.testing.assert_array_equal(out, x + 1)
        assert sys.getrefcount(out) == 2  # owned by `out` alone: no leaked reference
        h = jit_of(one)
        register(h, lib, "sum2d", (x,), scalar("float64"))
        assert h(x) == x.sum()


def test_return_view_of_argument(lib):
    f = jit_of(one)
    x = np.arange(5.0)
    register(f, lib, "tail_view", (x,), array("float64", 1))
    v = f(x)
    np.testing.assert_array_equal(v, [1.0, 2.0, 3.0, 4.0])
    assert v.base is x and np.shares_memory(v, x)
    v[0] = 42.0
    assert x[1] == 42.0
    ro = np.arange(5.0)
    ro.flags.writeable = False
    assert not f(ro).flags.writeable


def test_return_argument_itself(lib):
    f = jit_of(one)
    x = np.arange(5.0)
    register(f, lib, "ident", (x,), array("float64", 1))
    before = sys.getrefcount(x)
    assert f(x) is x
    assert sys.getrefcount(x) == before


def test_return_view_of_allocation(lib):
    f = jit_of(one)
    register(f, lib, "alloc_strided_view", (7,), array("int64", 1))
    v = f(7)
    np.testing.assert_array_equal(v, np.arange(7)[::2])
    assert isinstance(v.base, np.ndarray) and v.base.shape == (7,)
    assert v.flags.writeable


def test_tuple_result(lib):
    f = jit_of(one)
    x = np.array([3, -1, 4, 1, 5], dtype=np.int64)
    register(
        f, lib, "stats_i64", (x,), tuple_of(scalar("int64"), array("int64", 1), scalar("float32"))
    )
    s, cs, m = f(x)
    assert s == 12 and type(s) is int
    np.testing.assert_array_equal(cs, np.cumsum(x))
    assert m == np.float32(5) and type(m) is np.float32


def test_scalar_boxing_and_unboxing(lib):
    cases = [
        ("twice_f32", np.float32(1.25), scalar("float32"), np.float32(2.5), np.float32),
        ("twice_c128", 1 + 2j, scalar("complex128"), 2 + 4j, complex),
        ("twice_c128", np.complex128(1 - 2j), scalar("complex128"), 2 - 4j, complex),
        ("twice_i64", 21, scalar("int64"), 42, int),
        ("twice_i64", np.int64(-21), scalar("int64"), -42, int),
        ("twice_i64", 2**62, scalar("int64"), -(2**63), int),  # wraps like int64
        ("not_bool", True, scalar("bool"), False, bool),
        ("not_bool", np.bool_(False), scalar("bool"), True, bool),
    ]
    for symbol, arg, ret, want, typ in cases:
        f = jit_of(one)
        register(f, lib, symbol, (arg,), ret)
        got = f(arg)
        assert got == want and type(got) is typ, (symbol, arg, got)
    f = jit_of(two)
    register(f, lib, "u8_plus", (np.uint8(200), np.uint8(100)), scalar("uint8"))
    got = f(np.uint8(200), np.uint8(100))
    assert got == np.uint8(44) and type(got) is np.uint8


def test_weak_and_strong_scalars_are_distinct_signatures(lib):
    f = jit_of(one)
    register(f, lib, "twice_i64", (1,), scalar("int64"))
    assert f(3) == 6
    calls = []
    f._compile_for = lambda args: calls.append(args)  # a miss must come here
    with pytest.raises(RuntimeError, match="no specialization"):
        f(np.int64(3))
    assert calls == [(np.int64(3),)]
    # A Python bool is not a weak int, and an int subclass is an int.
    assert _runtime.arg_code(True) != _runtime.arg_code(1)
    assert _runtime.arg_code(_IntSub(5)) == _runtime.arg_code(5)
    assert f(_IntSub(5)) == 10


class _IntSub(int):
    pass


class _ArraySub(np.ndarray):
    pass


def test_python_int_overflow(lib):
    f = jit_of(one)
    register(f, lib, "twice_i64", (1,), scalar("int64"))
    with pytest.raises(OverflowError, match=r"one\(\) argument 1 \('x'\).*int64"):
        f(2**63)
    assert f(-(2**63)) == 0  # -2**63 fits, and doubles to 0 modulo 2**64


def test_kernel_errors(lib):
    f = jit_of(two)
    register(f, lib, "floordiv", (1, 1), scalar("int64"))
    assert f(-7, 2) == -4
    with pytest.raises(ZeroDivisionError, match="integer division or modulo by zero"):
        f(1, 0)
    g = jit_of(one)
    register(g, lib, "fail_with", (1,), scalar("int64"))
    expected = {
        1: ZeroDivisionError,
        2: IndexError,
        3: ValueError,
        4: MemoryError,
        5: TypeError,
        6: AssertionError,
        7: RuntimeError,
        8: OverflowError,
        9: KeyError,
        10: NotImplementedError,
        11: ArithmeticError,
        12: LookupError,
        13: FloatingPointError,
        14: Exception,
        99: RuntimeError,
    }
    for code, exc in expected.items():
        with pytest.raises(exc) as info:
            g(code)
        assert type(info.value) is exc


def test_untrustworthy_owner(lib):
    f = jit_of(one)
    register(f, lib, "bad_owner", (np.zeros(2),), array("float64", 1))
    with pytest.raises(RuntimeError, match="unknown object"):
        f(np.zeros(2))
    g = jit_of(one)
    register(g, lib, "no_owner", (np.zeros(2),), array("float64", 1))
    with pytest.raises(RuntimeError, match="without owner"):
        g(np.zeros(2))


def test_allocation_failure(lib):
    f = jit_of(one)
    register(f, lib, "alloc_huge", (1,), array("float64", 1))
    with pytest.raises((MemoryError, ValueError)):
        f(1)


def test_allocations_are_released(lib):
    f = jit_of(one)
    register(f, lib, "alloc_many", (1,), array("float64", 1))
    out = f(5)
    np.testing.assert_array_equal(out, np.full(5, 11.0))
    assert sys.getrefcount(out) == 2
    f(10_000)
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        for _ in range(200):
            f(10_000)  # 12 temporaries of 80 kB each per call
        gc.collect()
        now, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert now - base < 2_000_000, f"{now - base} bytes still allocated: temporaries leak"


def test_many_arguments_and_leaves(lib):
    names = ", ".join(f"a{k}" for k in range(20))
    ns = {}
    exec(f"def many({names}): pass", ns)
    f = jit_of(ns["many"])
    args = tuple(float(k) for k in range(20))
    register(f, lib, "sum20", args, scalar("float64"))
    assert f(*args) == sum(k * (k + 1) for k in range(20))
    g = jit_of(one)
    register(g, lib, "leaves20", (3,), tuple_of(*[scalar("int64")] * 20))
    assert g(3) == tuple(3 * k for k in range(20))


def test_gil_released_during_kernel(lib):
    f = jit_of(one)
    flag = np.zeros(1, dtype=np.int64)
    register(f, lib, "wait_flag", (flag,), scalar("bool"))

    def setter():
        time.sleep(0.05)
        flag[0] = 1  # needs the GIL, which the main thread holds unless the runtime released it

    t = threading.Thread(target=setter)
    t.start()
    assert f(flag) is True
    t.join()


def test_keyword_arguments_bound(lib):
    # Keywords are bound to positions as CPython binds them, then the call takes the
    # positional path (here: the kernel registered for two floats).
    f = jit_of(add)
    register(f, lib, "add_f64", (1.0, 2.0), scalar("float64"))
    assert f(1.0, b=2.0) == 3.0
    assert f(b=2.0, a=1.5) == 3.5
    with pytest.raises(TypeError, match=r"add\(\) got an unexpected keyword argument 'c'"):
        f(1.0, c=2.0)
    with pytest.raises(TypeError, match=r"add\(\) got multiple values for argument 'a'"):
        f(1.0, a=2.0)


def test_add_validates_abi(lib):
    f = jit_of(one)
    sigkey, argtypes = _args.classify(f, (np.zeros(3),))
    good = {"sig": "x", "args": argtypes, "writes": [], "ret": SCALAR, "nleaves": 0}
    bad = [
        dict(good, args=[{"kind": "scalar", "dtype": "float64"}]),  # kind differs from the key
        dict(good, args=[dict(argtypes[0], ndim=2)]),
        dict(good, writes=[3]),
        dict(good, nleaves=1),
        dict(good, ret={"kind": "array", "dtype": "float16", "ndim": 1}),
        {k: v for k, v in good.items() if k != "ret"},
    ]
    for abi in bad:
        with pytest.raises(ValueError, match="invalid ABI"):
            f._add(sigkey, lib, "ident", abi)
    with pytest.raises(RuntimeError, match="cannot find no_such_symbol"):
        f._add(sigkey, lib, "no_such_symbol", good)
    with pytest.raises(RuntimeError, match="cannot load"):
        f._add(sigkey, "/nonexistent/k.so", "ident", good)
    assert f._entries() == []
    assert f._add(sigkey, lib, "ident", dict(good, ret=array("float64", 1), nleaves=1)) is True
    assert f._add(sigkey, lib, "ident", dict(good, ret=array("float64", 1), nleaves=1)) is False


def test_add_reads_omitted_zero_values(lib):
    # An encoder may drop zero values and empty lists (Go's omitempty, nil slices as null).
    f = jit_of(one)
    x = np.array(2.5)
    sigkey, (t,) = _args.classify(f, (x,))
    abi = {
        "sig": "x",
        "args": [{k: v for k, v in t.items() if k != "ndim"}],
        "writes": None,
        "ret": {"kind": "array", "dtype": "float64"},
        "nleaves": 1,
    }
    assert f._add(sigkey, lib, "ident", abi) is True
    assert f(x) is x
    g = jit_of(one)
    abi = {"sig": "x", "args": [t], "ret": {"kind": "tuple"}}
    assert g._add(sigkey, lib, "nothing", abi) is True
    assert g(x) == ()


def test_miss_path_compiles_then_retries(lib):
    class Manual(Dispatcher):
        def _compile_for(self, args):
            self.misses.append(args)
            register(self, lib, "add_f64", args, scalar("float64"))

    f = Manual(add, {"cache": True, "boundscheck": True, "fastmath": False})
    f.misses = []
    assert f(1.0, 2.0) == 3.0
    assert f(5.0, 2.0) == 7.0
    assert len(f.misses) == 1


def test_gc_and_weakref():
    import weakref

    f = jit_of(add)
    f.cycle = f  # a reference cycle through the instance dict
    r = weakref.ref(f)
    del f
    gc.collect()
    assert r() is None


# ----------------------------------------------------------------------------------- classification


def test_classify_protocol_types():
    f = jit_of(add)
    args = (
        np.zeros(3, np.float32),
        np.zeros((2, 3))[:, ::2],
        np.zeros(()),
        1,
        2.5,
        1j,
        True,
        np.float32(1),
        np.bool_(True),
        np.int8(1),
        np.longlong(1),
        np.complex64(1),
    )
    _, types = _args.classify(f, args)
    assert types == [
        {"kind": "array", "dtype": "float32", "ndim": 1, "layout": "C"},
        {"kind": "array", "dtype": "float64", "ndim": 2, "layout": "A"},
        {"kind": "array", "dtype": "float64", "ndim": 0, "layout": "C"},
        {"kind": "scalar", "dtype": "int64", "weak": True},
        {"kind": "scalar", "dtype": "float64", "weak": True},
        {"kind": "scalar", "dtype": "complex128", "weak": True},
        {"kind": "scalar", "dtype": "bool", "weak": True},
        {"kind": "scalar", "dtype": "float32", "weak": False},
        {"kind": "scalar", "dtype": "bool", "weak": False},
        {"kind": "scalar", "dtype": "int8", "weak": False},
        {"kind": "scalar", "dtype": "int64", "weak": False},
        {"kind": "scalar", "dtype": "complex64", "weak": False},
    ]
    for dt in _runtime.DTYPE_NAMES:
        _, (t,) = _args.classify(f, (np.zeros(2, dt),))
        assert t["dtype"] == dt


@pytest.mark.parametrize(
    "value, shown",
    [
        (frozenset({1, 2}), "type frozenset"),
        # A str is accepted (a compile-time constant: test_conf_strings.py).
        (None, "type NoneType"),
        (np.zeros(3, np.float16), "dtype float16"),
        (np.zeros(3, ">f8"), "non-native byte order"),
        (np.zeros((1,) * 9), "9 dimensions"),
        (np.float16(1), "numpy scalar of dtype float16"),
        (np.zeros(2, object), "dtype object"),
        (np.zeros(2).view(_ArraySub), "ndarray subclass _ArraySub"),
        (np.ma.masked_array([1.0, 2.0]), "ndarray subclass MaskedArray"),
    ],
)
def test_unsupported_argument(value, shown):
    f = jit_of(two)
    with pytest.raises(TypeError) as info:
        f(1.0, value)
    msg = str(info.value)
    assert "two() argument 2 ('y')" in msg and shown in msg
    assert "float64" in msg and "Python bool, int, float and complex" in msg
    assert "Compiled signatures: none yet" in msg


def test_arity_errors():
    f = jit_of(add)
    with pytest.raises(TypeError, match=r"^add\(\) takes 2 positional arguments but 3 were given$"):
        f(1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match=r"^add\(\) missing 1 required positional argument: 'b'$"):
        f(1.0)

    def three(a, b, c=1):
        return a

    g = jit_of(three)
    with pytest.raises(TypeError, match=r"missing 2 required positional arguments: 'a' and 'b'"):
        g()
    assert g(1, 2) == 1  # c takes its default
    with pytest.raises(TypeError, match=r"takes from 2 to 3 positional arguments but 4 were"):
        g(1, 2, 3, 4)


# ----------------------------------------------------------------------------------- jit()


def test_jit_forms_and_options(monkeypatch):
    monkeypatch.delenv("SEJIT_DISABLE", raising=False)
    d = sejit.jit(add)
    assert isinstance(d, sejit.Dispatcher)
    assert d.py_func is add and d.__wrapped__ is add
    assert d.__name__ == "add" and d.__qualname__ == "add" and d.__doc__ == add.__doc__
    assert d.options == {"cache": True, "boundscheck": True, "fastmath": False, "parallel": False}
    assert d.signatures == []

    @sejit.jit
    def documented(x):
        """Doc."""
        return x

    assert isinstance(documented, sejit.Dispatcher) and documented.__doc__ == "Doc."

    @sejit.jit(boundscheck=False, fastmath=True, cache=False)
    def g(x):
        return x

    assert g.options == {"cache": False, "boundscheck": False, "fastmath": True, "parallel": False}
    assert sejit.jit(d).py_func is add  # a dispatcher is unwrapped
    assert "__call__" not in vars(sejit.Dispatcher)
    with pytest.raises(TypeError):
        sejit.jit(add, nogil=True)  # an option sejit does not have
    assert sejit.jit(add, parallel=True).options["parallel"] is True
    for bad in (1, None, "yes", np.True_):
        with pytest.raises(TypeError, match="must be True or False"):
            sejit.jit(add, boundscheck=bad)
        with pytest.raises(TypeError, match="must be True or False"):
            sejit.jit(cache=bad)
        with pytest.raises(TypeError, match="must be True or False"):
            sejit.jit(add, parallel=bad)
    with pytest.raises(TypeError, match="Python function"):
        sejit.jit(len)


def test_sejit_disable(monkeypatch):
    monkeypatch.setenv("SEJIT_DISABLE", "1")
    assert sejit.jit(add) is add

    @sejit.jit(fastmath=True)
    def h(x):
        return x

    assert not isinstance(h, sejit.Dispatcher) and h(3) == 3
    with pytest.raises(TypeError):
        sejit.jit(add, fastmath=1)  # options are still checked


def test_public_names():
    assert sejit.__version__ == "0.1.0"
    # One source of the engine's version: the binary's, written into the package at build.
    out = subprocess.run(
        [_engine.engine_path(), "version"], capture_output=True, text=True, check=True
    )
    assert sejit.ENGINE_VERSION == out.stdout.strip() != ""
    assert issubclass(sejit.UnsupportedError, NotImplementedError)
    assert issubclass(sejit.TypingError, TypeError)
    assert issubclass(sejit.CompilerError, RuntimeError)
    s = sejit.stats()
    assert set(s) == {"compiles", "cache_loads", "engine_runs"}
    s["compiles"] = -1
    assert sejit.stats()["compiles"] != -1  # a copy


# ----------------------------------------------------------------------------------- the request

N = 7
SCALE = np.float32(0.5)


def helper(x):
    return x * N


def uses_globals(x, y):
    from_numpy = np.sin(x) + sin(y) + float32(1) + math.pi
    return helper(from_numpy) * SCALE + len(DATA) + rec(x)


from numpy import float32, sin  # noqa: E402

DATA = [1, 2]


@sejit.jit
def rec(x):
    return rec(x - 1) if x > 0 else x


def test_encode_globals():
    fs = _request.FunctionSet(uses_globals)
    assert [f.__name__ for f in fs.functions] == ["uses_globals", "helper", "rec"]
    g0, g1, g2 = fs.globals
    assert g0["np"] == {"kind": "module", "name": "numpy"}
    assert g0["math"] == {"kind": "module", "name": "math"}
    assert g0["sin"] == {"kind": "builtin", "module": "numpy", "name": "sin"}
    assert g0["float32"] == {"kind": "builtin", "module": "numpy", "name": "float32"}
    assert g0["helper"] == {"kind": "function", "id": "f1"}
    assert g0["rec"] == {"kind": "function", "id": "f2"}  # a Dispatcher is sent as its py_func
    assert g0["SCALE"] == {
        "kind": "const",
        "value": {"t": "float", "v": "0x1.0000000000000p-1"},
        "dtype": "float32",
    }
    assert g0["DATA"] == {"kind": "unsupported", "type": "list"}
    assert "len" not in g0 and "pi" not in g0  # builtins, and attribute names not in globals
    assert g1 == {"N": {"kind": "const", "value": {"t": "int", "v": "7"}}}
    assert g2 == {"rec": {"kind": "function", "id": "f2"}}
    req = fs.request_part()
    assert req["f1"]["name"] == "helper" and req["f1"]["ast"]["_type"] == "FunctionDef"
    assert req["f2"]["ast"]["decorator_list"] == []


def test_encode_closure_and_constants():
    k = 3
    big = 2**70

    def inner(x):
        return x * k + big + True + 1.5j

    g = _request.FunctionSet(inner).globals[0]
    assert g["k"] == {"kind": "const", "value": {"t": "int", "v": "3"}}
    assert g["big"] == {"kind": "const", "value": {"t": "int", "v": str(2**70)}}


def test_cache_key_material(monkeypatch):
    args = [{"kind": "scalar", "dtype": "float64", "weak": True}]
    opts = {"boundscheck": True, "fastmath": False}

    def key(**over):
        a = dict(args=args, options=opts, cc="cc")
        a.update(over)
        return _request.cache_key(_request.FunctionSet(helper), a["args"], a["options"], a["cc"])

    k0 = key()
    assert len(k0) == 64 and k0 == key()
    assert key(options={"boundscheck": False, "fastmath": False}) != k0
    assert key(args=[{"kind": "scalar", "dtype": "int64", "weak": True}]) != k0
    assert key(cc="clang") != k0
    monkeypatch.setattr(sys.modules[__name__], "N", 8)
    assert key() != k0
    monkeypatch.undo()
    assert key() == k0
    assert len(_request.cpu_id()) == 64


# ----------------------------------------------------------------------------------- AST JSON


def test_ast_positions_of_nested_function():
    def outer():
        @staticmethod
        def nested(a, b):
            s = """multi
line"""
            return a + 1.5 + 10**30 + 1e999 + 2j + len(s)

        return nested

    nested = outer().__func__
    j = _astjson.function_json(nested)
    first = nested.__code__.co_firstlineno  # the decorator's line
    assert j["_type"] == "FunctionDef" and j["name"] == "nested"
    assert j["decorator_list"] == []
    assert j["lineno"] == first + 1 and j["col_offset"] == 8
    lines = open(__file__).read().splitlines()
    assert lines[j["lineno"] - 1][j["col_offset"] :].startswith("def nested")
    assign, ret = j["body"]
    assert assign["lineno"] == first + 2 and assign["col_offset"] == 12
    assert assign["value"]["value"] == {"t": "str", "v": "multi\nline"}
    assert assign["end_lineno"] == first + 3
    consts = [n["value"] for n in _walk(ret) if n.get("_type") == "Constant"]
    assert {"t": "float", "v": (1.5).hex()} in consts
    assert {"t": "int", "v": "10"} in consts and {"t": "int", "v": "30"} in consts
    assert {"t": "float", "v": "inf"} in consts
    assert {"t": "complex", "re": (0.0).hex(), "im": (2.0).hex()} in consts
    assert ret["value"]["op"] == {"_type": "Add"}
    assert j["args"]["args"][0]["arg"] == "a" and j["returns"] is None
    json.dumps(j, allow_nan=False)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_tag_constant():
    t = _astjson.tag_constant
    assert t(True) == {"t": "bool", "v": True}
    assert t(-5) == {"t": "int", "v": "-5"}
    assert t(float("-inf")) == {"t": "float", "v": "-inf"}
    assert t(float("nan")) == {"t": "float", "v": "nan"}
    assert t(b"x") == {"t": "bytes"} and t(None) == {"t": "none"} and t(...) == {"t": "ellipsis"}
    assert float.fromhex(t(0.1)["v"]) == 0.1


def test_source_errors():
    ns = {}
    exec("def nosrc(x):\n    return x\n", ns)
    with pytest.raises(sejit.CompilerError, match="cannot find the source of function nosrc"):
        _astjson.function_json(ns["nosrc"])
    # A lambda becomes a def returning its body, at the lambda's own position (issue 14).
    lam = lambda x: x  # noqa: E731
    node = _astjson.function_json(lam)
    assert node["_type"] == "FunctionDef" and node["body"][0]["_type"] == "Return"
    assert node["lineno"] == lam.__code__.co_firstlineno and node["col_offset"] == 10
    # jit itself falls back on the code object (internal/bytecode).
    f = jit_of(ns["nosrc"])
    assert f(1.0) == 1.0


def test_astjson_cli(tmp_path):
    src = tmp_path / "k.py"
    src.write_text(
        "import numpy as np\n\n\nclass C:\n    @dec\n    def m(self, x):\n        return x\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "sejit._astjson", str(src)], capture_output=True, check=True
    ).stdout
    j = json.loads(out)
    assert j["_type"] == "FunctionDef" and j["name"] == "m" and j["decorator_list"] == []
    assert (j["lineno"], j["col_offset"]) == (6, 4)
    assert j == _astjson.to_json(_strip(ast.parse(src.read_text()).body[1].body[0]))


def _strip(node):
    node.decorator_list = []
    return node


# ----------------------------------------------------------------------------------- fake engine

FAKE_ENGINE = r"""
import json, os, sys
req = json.load(sys.stdin)
with open(os.environ["FAKE_LOG"], "a") as f:
    f.write(json.dumps(req) + "\n")
mode = os.environ.get("FAKE_MODE", "ok")
if mode == "crash":
    sys.stderr.write("panic: something broke\n")
    sys.exit(2)
if mode == "garbage":
    print("this is not json")
    sys.exit(0)
if mode == "error":
    print(json.dumps({"ok": False, "errors": [
        {"file": "f.py", "line": 3, "col": 5, "kind": os.environ["FAKE_KIND"], "msg": "m",
         "formatted": "f.py:3:5: first error\n    x = 1\n    ^"},
        {"kind": "type", "formatted": "second"}]}))
    sys.exit(0)
so = os.environ["FAKE_SO"]
abi = {"sig": "(float, float)", "args": req["args"], "writes": [],
       "ret": {"kind": "scalar", "dtype": "float64"}, "nleaves": 1}
key = req["key"]
d = os.path.join(req["cache_dir"], key[:2])
os.makedirs(d, exist_ok=True)
# Like the real engine: a new file renamed into place. Rewriting a loaded shared object in place
# would change code under the process that mapped it.
import shutil
shutil.copy(so, os.path.join(d, key + ".so.tmp"))
os.replace(os.path.join(d, key + ".so.tmp"), os.path.join(d, key + ".so"))
import hashlib
with open(os.path.join(d, key + ".so"), "rb") as f:
    digest = hashlib.sha256(f.read()).hexdigest()
with open(os.path.join(d, key + ".json"), "w") as f:
    json.dump({"engine_version": req["engine_version"], "key": key, "symbol": "add_f64",
               "abi": abi, "cc": json.loads(os.environ["FAKE_STAMP"]), "so_sha256": digest}, f)
reply = {"ok": True, "artifact": os.path.join(d, key + ".so"), "symbol": "add_f64", "abi": abi}
if req["explain"]:
    reply["explain"] = "EXPLAINED " + req["functions"][req["entry"]]["name"]
print(json.dumps(reply))
"""


@pytest.fixture
def fake_engine(tmp_path, monkeypatch, lib):
    engine = tmp_path / "sejitc"
    engine.write_text(f"#!{sys.executable}\n" + FAKE_ENGINE)
    engine.chmod(0o755)
    log = tmp_path / "requests.jsonl"
    stamp = _engine.cc_stamp()
    monkeypatch.setenv("SEJIT_ENGINE", str(engine))
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("FAKE_SO", lib)
    monkeypatch.setenv(
        "FAKE_STAMP",
        json.dumps({"path": stamp[0], "size": stamp[1], "mtime_ns": stamp[2], "version": "x"}),
    )
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SEJIT_DISABLE", raising=False)

    def requests():
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return requests


def test_engine_compile_and_disk_cache(fake_engine, tmp_path):
    before = sejit.stats()
    f = sejit.jit(add)
    assert f(1.0, 2.0) == 3.0
    assert f(3.0, 4.0) == 7.0
    assert f.signatures == ["(float, float)"]
    (req,) = fake_engine()
    assert req["engine_version"] == "0.1.0" and req["entry"] == "f0" and req["target"] == "cpu"
    assert req["cache_dir"] == str(tmp_path / "cache")
    assert req["args"] == [{"kind": "scalar", "dtype": "float64", "weak": True}] * 2
    assert req["options"] == {"boundscheck": True, "fastmath": False}
    assert req["cc"] == (os.environ.get("SEJIT_CC") or "cc") and req["explain"] is False
    fn = req["functions"]["f0"]
    assert fn["name"] == "add" and fn["filename"] == __file__
    assert fn["firstlineno"] == add.__code__.co_firstlineno
    assert "".join(fn["source_lines"]).startswith("def add(a, b):")
    assert fn["ast"]["lineno"] == add.__code__.co_firstlineno
    assert len(req["key"]) == 64
    after = sejit.stats()
    assert after["engine_runs"] - before["engine_runs"] == 1
    assert after["compiles"] - before["compiles"] == 1

    # Another dispatcher of the same function (as in a new process) loads from disk.
    g = sejit.jit(add)
    assert g(1.0, 5.0) == 6.0
    assert len(fake_engine()) == 1
    final = sejit.stats()
    assert final["cache_loads"] - after["cache_loads"] == 1
    assert final["engine_runs"] == after["engine_runs"]
    assert g.signatures == ["(float, float)"]

    # cache=False never reads the user's cache and compiles into a private directory.
    h = sejit.jit(add, cache=False)
    assert h(1.0, 1.0) == 2.0
    reqs = fake_engine()
    assert len(reqs) == 2 and reqs[1]["cache_dir"] != str(tmp_path / "cache")
    assert reqs[1]["key"] == req["key"]


def test_stale_compiler_stamp_rebuilds(fake_engine, monkeypatch):
    f = sejit.jit(add)
    f(1.0, 2.0)
    monkeypatch.setenv("FAKE_STAMP", json.dumps({"path": "/old/cc", "size": 1, "mtime_ns": 2}))
    g = sejit.jit(add)
    g(1.0, 2.0)  # the entry on disk is fresh: loaded
    assert len(fake_engine()) == 1
    req = fake_engine()[0]
    meta_path = os.path.join(req["cache_dir"], req["key"][:2], req["key"] + ".json")
    meta = json.load(open(meta_path))
    meta["cc"]["mtime_ns"] += 1  # as if the compiler had been upgraded since
    json.dump(meta, open(meta_path, "w"))
    h = sejit.jit(add)
    assert h(1.0, 2.0) == 3.0
    assert len(fake_engine()) == 2


def test_explain(fake_engine, capsys):
    f = sejit.jit(add)
    text = f.explain(1.0, 2.0)
    assert text == "EXPLAINED add"
    assert "EXPLAINED add" in capsys.readouterr().out
    assert fake_engine()[0]["explain"] is True
    assert f.signatures == ["(float, float)"]
    assert f(2.0, 2.0) == 4.0
    assert len(fake_engine()) == 1


@pytest.mark.parametrize(
    "kind, exc",
    [
        ("unsupported", sejit.UnsupportedError),
        ("type", sejit.TypingError),
        ("name", NameError),
        ("value", ValueError),
        ("syntax", SyntaxError),
        ("internal", sejit.CompilerError),
        ("something-new", sejit.CompilerError),
    ],
)
def test_error_mapping(fake_engine, monkeypatch, kind, exc):
    monkeypatch.setenv("FAKE_MODE", "error")
    monkeypatch.setenv("FAKE_KIND", kind)
    f = sejit.jit(add)
    with pytest.raises(exc) as info:
        f(1.0, 2.0)
    assert type(info.value) is exc
    assert str(info.value) == "f.py:3:5: first error\n    x = 1\n    ^"
    assert f.signatures == []


@pytest.mark.parametrize("mode, text", [("crash", "panic: something broke"), ("garbage", "")])
def test_engine_failure(fake_engine, monkeypatch, mode, text):
    monkeypatch.setenv("FAKE_MODE", mode)
    f = sejit.jit(add)
    with pytest.raises(sejit.CompilerError, match=r"failed compiling add\(\)") as info:
        f(1.0, 2.0)
    assert text in str(info.value)


def test_engine_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("SEJIT_ENGINE", str(tmp_path / "nothing"))
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(sejit.CompilerError, match="not installed"):
        sejit.jit(add)(1.0, 2.0)


def test_engine_location(monkeypatch):
    monkeypatch.delenv("SEJIT_ENGINE", raising=False)
    path = _engine.engine_path()
    assert path == os.path.join(os.path.dirname(sejit.__file__), "sejitc")
    assert os.access(path, os.X_OK), "the engine must ship inside the installed package"
    out = subprocess.run([path, "version"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == sejit.ENGINE_VERSION
