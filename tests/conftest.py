"""The differential harness shared by sejit's user-facing tests.

Every kernel test runs a plain Python function twice on independent copies of
the same arguments: once in CPython (the reference) and once through
``sejit.jit``. The results and every argument array afterwards must agree:

* arrays: same dtype and shape, values exact for bool/int dtypes, within a
  relative tolerance for floats (1e-12 for float64/complex128, 1e-5 for
  float32/complex64), NaN equal to NaN;
* scalars: the same NumPy dtype (a Python ``int`` counts as int64, ``float``
  as float64, ``complex`` as complex128, ``bool`` as bool), same value;
* tuples: element by element, recursively;
* views: a returned array shares memory with an argument in the jitted run
  exactly when it does in the CPython run (``return x[1:]`` is a view).

The copies preserve each array's memory layout (C order, Fortran order, or a
strided or reversed view of a larger buffer) and its writeable flag, which a
plain ``copy.deepcopy`` would not: it makes strided views contiguous.

A fresh temporary ``SEJIT_CACHE_DIR`` is set for the whole test session before
sejit is imported, so a run never sees (or pollutes) the user's cache.

With ``SEJIT_DISABLE=1`` ``jit`` returns the plain function, so every
differential test must still pass: that checks the kernels and the harness.
Tests that need a real dispatcher are marked ``needs_engine`` and skipped then.
"""

import contextlib
import copy
import inspect
import types
import os
import re
import shutil
import tempfile
import warnings

import numpy as np
import pytest

# A process the session started (a Dask worker, a pool's worker) imports this module when it
# unpickles a test module's function by reference: it keeps the cache directory it was given
# (the test's shared cache), instead of switching to a fresh one of its own mid-test.
_OWN_CACHE = "SEJIT_TEST_SESSION_CACHE" not in os.environ
if _OWN_CACHE:
    _CACHE_DIR = tempfile.mkdtemp(prefix="sejit-test-cache-")
    os.environ["SEJIT_CACHE_DIR"] = os.environ["SEJIT_TEST_SESSION_CACHE"] = _CACHE_DIR
else:
    _CACHE_DIR = os.environ["SEJIT_TEST_SESSION_CACHE"]

import sejit  # noqa: E402,F401  (the cache location must be set first)
from sejit import jit  # noqa: E402

DISABLED = os.environ.get("SEJIT_DISABLE") == "1"
needs_engine = pytest.mark.skipif(
    DISABLED, reason="SEJIT_DISABLE=1: jit returns the plain Python function"
)

RTOL = {"f": {4: 1e-5, 8: 1e-12}, "c": {8: 1e-5, 16: 1e-12}}


def cpu_device_or_skip():
    """The OpenCL CPU device's context (PoCL, which make install provides), for the device test
    modules; the calling module is skipped, saying why, where there is none or it cannot build."""
    from sejit.device import NoDeviceError, _cl

    try:
        ctx = sejit.Context("cpu")
    except NoDeviceError as exc:
        pytest.skip(f"no OpenCL CPU device: {exc}", allow_module_level=True)
    if not _cl.can_build(ctx.info):
        pytest.skip(f"the OpenCL device {ctx.name} cannot build kernels here (make install runs "
                    f"tools/opencl-device.sh, which installs one where it can)",
                    allow_module_level=True)
    return ctx


def pytest_sessionfinish(session, exitstatus):
    if _OWN_CACHE and not os.environ.get("SEJIT_TEST_KEEP_CACHE"):
        shutil.rmtree(_CACHE_DIR, ignore_errors=True)


def cache_dir():
    """The session's temporary cache directory."""
    return _CACHE_DIR


# --------------------------------------------------------------------------- copies


def clone(value):
    """A deep copy of ``value`` that keeps every array's layout and flags."""
    if isinstance(value, np.ndarray):
        return _clone_array(value)
    if isinstance(value, tuple):
        return tuple(clone(v) for v in value)
    if isinstance(value, list):
        return [clone(v) for v in value]
    if isinstance(value, (types.ModuleType, type, np.dtype)) or callable(value):
        return value  # a constant argument: a module, a dtype, a function
    return copy.deepcopy(value)


def _clone_array(a):
    if a.size == 0 or a.flags.c_contiguous or a.flags.f_contiguous:
        out = a.copy(order="K")
    else:
        # Rebuild the view inside a fresh buffer covering the same byte span,
        # with the same strides (possibly negative) and offset.
        start = a.__array_interface__["data"][0]
        low = start + sum(min(0, s * (n - 1)) for s, n in zip(a.strides, a.shape))
        high = start + sum(max(0, s * (n - 1)) for s, n in zip(a.strides, a.shape))
        span = high - low + a.itemsize
        buf = np.zeros(span + a.itemsize, dtype=np.uint8)
        pad = (-buf.__array_interface__["data"][0]) % a.itemsize
        out = np.ndarray(a.shape, a.dtype, buffer=buf, offset=pad + start - low, strides=a.strides)
        out[...] = a
        assert out.strides == a.strides
    if not a.flags.writeable:
        out.flags.writeable = False
    return out


# --------------------------------------------------------------------------- comparison


def scalar_dtype(v):
    """The NumPy dtype a scalar result stands for."""
    if isinstance(v, np.generic):
        return v.dtype
    if isinstance(v, bool):
        return np.dtype(np.bool_)
    if isinstance(v, int):
        assert -(2**63) <= v < 2**63, f"{v} does not fit in int64"
        return np.dtype(np.int64)
    if isinstance(v, float):
        return np.dtype(np.float64)
    if isinstance(v, complex):
        return np.dtype(np.complex128)
    raise AssertionError(f"unexpected scalar of type {type(v).__name__}: {v!r}")


def _default_rtol(dtype):
    return RTOL.get(dtype.kind, {}).get(dtype.itemsize, 0.0)


def _compare_values(expected, got, dtype, rtol, atol, where):
    if dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected, err_msg=where)
    else:
        tol = _default_rtol(dtype) if rtol is None else rtol
        np.testing.assert_allclose(
            got, expected, rtol=tol, atol=atol, equal_nan=True, err_msg=where
        )


def assert_same(expected, got, rtol=None, atol=0.0, where="result", scalar_types=True):
    """Assert ``got`` (from the jitted run) matches ``expected`` (from CPython).

    A scalar must also be of the same Python type: a NumPy scalar where CPython returns one
    (np.float32, np.int64, np.bool_), a Python number where CPython returns a Python number.
    List items are compared by dtype only: a compiled list holds plain numbers."""
    if expected is None:
        assert got is None, f"{where}: expected None, got {got!r}"
    elif isinstance(expected, tuple):
        assert isinstance(got, tuple), f"{where}: expected a tuple, got {type(got).__name__}"
        assert len(got) == len(expected), f"{where}: tuple length {len(got)} != {len(expected)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            assert_same(e, g, rtol, atol, f"{where}[{i}]", scalar_types)
    elif isinstance(expected, list):
        assert isinstance(got, list), f"{where}: expected a list, got {type(got).__name__}"
        assert len(got) == len(expected), f"{where}: list length {len(got)} != {len(expected)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            assert_same(e, g, rtol, atol, f"{where}[{i}]", False)
    elif isinstance(expected, dict):
        # Keys in insertion order, keys and values of CPython's types.
        assert type(got) is dict, f"{where}: expected a dict, got {type(got).__name__}"
        assert len(got) == len(expected), f"{where}: dict length {len(got)} != {len(expected)}"
        for i, ((ek, ev), (gk, gv)) in enumerate(zip(expected.items(), got.items())):
            assert_same(ek, gk, rtol, atol, f"{where}.key[{i}]", scalar_types)
            assert_same(ev, gv, rtol, atol, f"{where}[{ek!r}]", scalar_types)
    elif isinstance(expected, set):
        # A set's order is CPython's hash order: compared as sets, items of CPython's types.
        assert type(got) is set, f"{where}: expected a set, got {type(got).__name__}"
        assert got == expected, f"{where}: {got!r} != {expected!r}"
        types = {type(x) for x in expected}
        assert {type(x) for x in got} == types, f"{where}: item types {got!r} != {expected!r}"
    elif isinstance(expected, str):
        assert type(got) is str, f"{where}: expected a str, got {type(got).__name__} ({got!r})"
        assert got == expected, f"{where}: {got!r} != {expected!r}"
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"{where}: expected an array, got {got!r}"
        assert got.dtype == expected.dtype, f"{where}: dtype {got.dtype} != {expected.dtype}"
        assert got.shape == expected.shape, f"{where}: shape {got.shape} != {expected.shape}"
        _compare_values(expected, got, expected.dtype, rtol, atol, where)
    else:
        assert not isinstance(got, np.ndarray), f"{where}: expected a scalar, got an array {got!r}"
        edt, gdt = scalar_dtype(expected), scalar_dtype(got)
        assert gdt == edt, f"{where}: scalar dtype {gdt} ({got!r}) != {edt} ({expected!r})"
        if scalar_types:
            assert type(got) is type(expected), (
                f"{where}: type {type(got).__name__} ({got!r}) != {type(expected).__name__} ({expected!r})"
            )
        _compare_values(expected, got, edt, rtol, atol, where)


def _array_leaves(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, tuple):
        for v in value:
            yield from _array_leaves(v)


def _check_views(expected, got, py_args, jit_args):
    """Returned arrays share memory with the same argument arrays (those inside tuple arguments
    too) as in CPython; with tuple arguments, a returned array that is an argument's own array in
    CPython must be the jitted run's own array too."""
    py_arrays, jit_arrays = list(_array_leaves(py_args)), list(_array_leaves(jit_args))
    tuple_args = any(isinstance(a, tuple) for a in py_args)
    for k, (e, g) in enumerate(zip(_array_leaves(expected), _array_leaves(got))):
        for i, (pa, ja) in enumerate(zip(py_arrays, jit_arrays)):
            if e is pa and tuple_args:
                assert g is ja, f"returned array {k} should be the argument's array {i} itself"
            want = np.may_share_memory(e, pa)
            have = np.may_share_memory(g, ja)
            assert have == want, (
                f"returned array {k} {'should' if want else 'should not'} share memory "
                f"with argument array {i}, as in CPython"
            )


# --------------------------------------------------------------------------- drivers


@contextlib.contextmanager
def quiet():
    """NumPy's floating-point and overflow warnings off: both runs produce the same values."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


_JITTED = {}


def jitted(fn, **options):
    """``jit(fn)`` (or ``jit(**options)(fn)``), memoized so signatures accumulate."""
    key = (fn, tuple(sorted(options.items())))
    if key not in _JITTED:
        _JITTED[key] = jit(**options)(fn) if options else jit(fn)
    return _JITTED[key]


def check(fn, *args, rtol=None, atol=0.0, options=None, scalar_types=True):
    """Run ``fn`` in CPython and through ``jit`` on copies of ``args``; compare.

    Compares the results and every argument array after the call (so in-place
    writes are checked), and that returned arrays are views of the same
    arguments in both runs. Returns the jitted result.
    """
    py_args, jit_args = clone(args), clone(args)
    fast = jitted(fn, **(options or {}))
    with quiet():
        expected = fn(*py_args)
        got = fast(*jit_args)
    assert_same(expected, got, rtol, atol, scalar_types=scalar_types)
    _same_arguments(py_args, jit_args, rtol, atol, "after the call")
    _check_views(expected, got, py_args, jit_args)
    return got


def check_raises(fn, *args, exc, options=None):
    """Assert CPython and the jitted function both raise ``exc`` (the same type), after the same
    effects: every argument array (and list) is compared after the raise, since a caller that
    catches the exception sees what the function wrote before it."""
    fast = jitted(fn, **(options or {}))
    py_args, jit_args = clone(args), clone(args)
    with quiet():
        with pytest.raises(exc) as py_info:
            fn(*py_args)
        with pytest.raises(exc) as jit_info:
            fast(*jit_args)
    py_type = type(py_info.value)
    assert isinstance(jit_info.value, py_type), (
        f"CPython raised {py_type.__name__}, jit raised {type(jit_info.value).__name__}: "
        f"{jit_info.value}"
    )
    _same_arguments(py_args, jit_args, None, 0.0, "after the raise")
    return jit_info.value


def _same_arguments(py_args, jit_args, rtol, atol, when):
    for i, (pa, ja) in enumerate(zip(py_args, jit_args)):
        if isinstance(pa, np.ndarray):
            assert_same(pa, ja, rtol, atol, f"argument {i} {when}")
        elif isinstance(pa, tuple):  # the arrays in a tuple argument are the caller's too
            for k, (pe, je) in enumerate(zip(_array_leaves(pa), _array_leaves(ja))):
                assert_same(pe, je, rtol, atol, f"array {k} of argument {i} {when}")
        elif isinstance(pa, (list, dict, set)):  # reflected (sejit/lists.py)
            assert_same(pa, ja, rtol, atol, f"{type(pa).__name__} argument {i} {when}")


def check_int64(fn, *args):
    """Check integer wrap-around: the jitted ``fn`` gets Python ints, the
    reference runs on ``np.int64`` values, whose arithmetic wraps modulo 2**64
    (Python's own ints would grow without bound). sejit's ints are int64."""
    fast = jitted(fn)
    ref_args = tuple(
        np.int64(a) if isinstance(a, int) and not isinstance(a, bool) else a for a in args
    )
    with quiet():
        expected = fn(*ref_args)
        if DISABLED:
            pytest.skip("SEJIT_DISABLE=1: plain Python ints do not wrap")
        got = fast(*clone(args))
    assert_same(expected, got, scalar_types=False)  # the reference ran on np.int64 values
    return got


# --------------------------------------------------------------------------- data

LAYOUTS = ("C", "F", "strided", "reversed")


def assert_points_at(message, fn, where):
    """The compile error ``message`` starts with fn's file:line:col of ``where``, quotes that
    line and puts its caret under the column. ``where`` is the text at the column, or a pair
    (text identifying the line, text at the column). The body is searched before the def line,
    so a marker naming a parameter points at its use."""
    line_text, col_text = (where, where) if isinstance(where, str) else where
    lines, first = inspect.getsourcelines(fn)
    k = next((k for k in [*range(1, len(lines)), 0] if line_text in lines[k]), None)
    assert k is not None, f"{line_text!r} not in the source of {fn.__name__}"
    source = lines[k].rstrip("\n")
    col = lines[k].index(col_text, lines[k].index(line_text)) + 1
    prefix = f"{inspect.getsourcefile(fn)}:{first + k}:{col}:"
    assert message.startswith(prefix), f"expected the message to start with {prefix!r}:\n{message}"
    out = message.splitlines()
    carets = [i for i, text in enumerate(out) if re.fullmatch(r"\s*\^[\^~]*\s*", text)]
    assert carets, f"no caret line in:\n{message}"
    quoted = out[carets[0] - 1]
    assert source.strip() in quoted, f"the offending line is not quoted:\n{message}"
    shift = quoted.index(source.strip()) - (len(source) - len(source.lstrip()))
    assert out[carets[0]].index("^") == shift + col - 1, f"caret misplaced:\n{message}"


def assert_positioned(message, fn, line, text):
    """The error message says text and starts with fn's file and the number of the first line of
    fn's body (else its def line) that contains line (the user's file:line of a compile error)."""
    assert text in message, message
    lines, first = inspect.getsourcelines(fn)
    k = next(k for k in [*range(1, len(lines)), 0] if line in lines[k])
    assert message.startswith(f"{inspect.getsourcefile(fn)}:{first + k}:"), message


def make_array(shape, dtype=np.float64, layout="C", low=-1.0, high=1.0, seed=0):
    """A deterministic random array of ``shape`` and ``dtype`` in the given layout.

    ``F``: Fortran order; ``strided``: every 2nd (3rd, …) element of a larger
    buffer along each axis; ``reversed``: a view with negative strides.
    """
    if isinstance(shape, int):
        shape = (shape,)
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    steps = (
        tuple(2 + d % 2 for d in range(len(shape))) if layout == "strided" else (1,) * len(shape)
    )
    full = tuple(n * s for n, s in zip(shape, steps))
    if dtype.kind == "b":
        base = rng.random(full) > 0.5
    elif dtype.kind in "iu":
        base = rng.integers(int(low), int(high), size=full, endpoint=True).astype(dtype)
    elif dtype.kind == "c":
        base = (rng.uniform(low, high, full) + 1j * rng.uniform(low, high, full)).astype(dtype)
    else:
        base = rng.uniform(low, high, full).astype(dtype)
    if layout == "C":
        return np.ascontiguousarray(base)
    if layout == "F":
        return np.asfortranarray(base)
    if layout == "strided":
        return base[tuple(slice(None, None, s) for s in steps)]
    if layout == "reversed":
        return base[(slice(None, None, -1),) * len(shape)]
    raise ValueError(f"unknown layout {layout!r}")
