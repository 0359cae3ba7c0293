"""Conformance: variables whose type changes, NumPy scalar results, constant arguments.

- types.rebinding: a variable rebound in straight-line code to a value of another dtype, rank or
  kind takes the new type from there on, as each binding is a version of its own
  (internal/resolve/versions.go). The joins where two types meet stay errors
  (tests/test_errors_types.py has their positions).
- types.scalar-results: results are NumPy scalars exactly where CPython returns NumPy scalars
  (conftest.check compares the result's Python type).
- types.const-args: dtypes, the numpy module and functions passed as arguments.

See tests/conformance.py for how cases are registered.
"""

import math

import numpy as np
from conformance import Cases, jitted

cases = Cases(__name__)


def _ints(n=6, dtype=np.int64):
    return np.arange(n, dtype=dtype) - 2


def _floats(n=6, dtype=np.float64):
    return (np.arange(n, dtype=dtype) - 2.5) / 2


# --------------------------------------------------------------------------- rebinding


@cases.add("types.rebinding", lambda: (_ints(),), lambda: (_ints(5, np.int32),))
def astype_rebinds(x):
    x = x.astype(np.float32)
    return x / 3


@cases.add("types.rebinding", lambda: (_floats(6), 2, 3), lambda: (_ints(12), 3, 4))
def reshape_rebinds(x, n, m):
    x = x.reshape(n, m)
    return x.sum(axis=0), x


@cases.add("types.rebinding", lambda: (_floats(6).reshape(2, 3),), lambda: (_ints(8).reshape(4, 2),))
def row_rebinds(x):
    x = x[0]
    x = x[1]
    return x * 2


@cases.add("types.rebinding", (1,), (7,))
def tuple_grows(n):
    t = (1, 2)
    a = t[0] + t[1]
    t = (n, 2, 3)
    return a, t, t[2]


@cases.add("types.rebinding", (3,), (-2,))
def int_to_float_to_complex(n):
    s = n
    a = s * 2
    s = n / 4
    b = s * 2
    s = complex(n, 1)
    return a, b, s * s


@cases.add("types.rebinding", lambda: (_floats(),), lambda: (_floats(5, np.float32),))
def scalar_then_array(x):
    y = x.sum()
    first = y + 1
    y = x * 2
    return first, y


@cases.add("types.rebinding", lambda: (_floats(),), lambda: (_ints(),))
def array_then_scalar(x):
    y = x * 2
    y = y.max()
    return y


@cases.add("types.rebinding", lambda: (_ints(), 2), lambda: (_ints(8, np.int16), 4))
def chain_of_types(x, n):
    x = x.astype(np.float64)
    x = x.reshape(n, -1)
    x = x.T
    x = x.astype(np.complex128)
    x = x[0]
    x = x.real
    return x


@cases.add("types.rebinding", lambda: (_floats(),), lambda: (_ints(),))
def parameter_rebound_keeps_argument(x):
    # The caller's array is untouched; the new binding is another array.
    y = x
    x = x.astype(np.float32) + 1
    return y, x


@cases.add("types.rebinding", lambda: (_floats(),), lambda: (_ints(7),))
def rebinding_inside_loop_body(x):
    total = 0.0
    for i in range(3):
        y = x[i]
        y = y * 1.5
        y = np.float32(y)
        total += y
    return total


@cases.add("types.rebinding", lambda: (_floats(),), lambda: (_ints(),))
def rebinding_inside_branch(x):
    out = 0.0
    if x[0] < 0:
        z = x.astype(np.int8)
        z = z.sum()
        out = float(z)
    else:
        z = x.astype(np.float32)
        z = z.mean()
        out = float(z)
    return out


@cases.add("types.rebinding", (4,), (0,))
def same_type_through_if(n):
    # Both branches bind an int; the join is fine.
    if n > 2:
        v = n * 2
    else:
        v = -n
    v = v / 2
    return v


@cases.add("types.rebinding", (5,), (1,))
def loop_carries_one_type(n):
    acc = 1
    for i in range(n):
        acc = acc * 2 + i
    acc = acc / 3
    return acc


@cases.add("types.rebinding", lambda: (_floats(),), lambda: (_floats(4, np.float32),))
def augmented_then_rebound(x):
    x = x.copy()
    x += 1
    x = x.sum()
    x += 2
    return x


@cases.add("types.rebinding", lambda: (_floats(6).reshape(2, 3),))
def unpack_rebinds(x):
    a, b = x
    a = a.sum()
    b = b.astype(np.int64)
    return a, b


@cases.add("types.rebinding", (3,), (6,))
def list_then_array(n):
    v = [i * 2 for i in range(n)]
    total = sum(v)
    v = np.array(v)
    return total, v * 1.5


@cases.add("types.rebinding", (3,), (1,))
def while_loop_then_retype(n):
    i = 0
    while i < n:
        i += 1
    i = float(i) / 2
    return i


@cases.add("types.rebinding", lambda: (_floats(),), lambda: (_ints(),))
def closure_reads_kept_variable(x):
    scale = 2.0

    def f(v):
        return v * scale

    y = f(x)
    y = y.sum()
    return y


@cases.add("types.rebinding", lambda: (_floats(), 2))
def helper_result_rebinds(x, k):
    x = _helper(x, k)
    x = x.sum()
    return x


def _helper(a, k):
    return a.reshape(k, -1)


@cases.add("types.rebinding", lambda: (_floats(),), lambda: (_ints(4),))
def swap_with_expression_in_loop(x):
    # x * 2 is computed before x is rebound (it was once read after).
    y = x
    for i in range(3):
        x, y = y, x * 2
    return x, y


@cases.add("types.rebinding", lambda: (_floats(),))
def swap_then_retype(x):
    y = x * 2
    x, y = y, x
    x = x.sum()
    return x, y


# --------------------------------------------------------------------------- scalar results


@cases.add(
    "types.scalar-results",
    lambda: (_ints(5, np.int32),),
    lambda: (_ints(5, np.int8),),
    lambda: (_ints(5, np.uint16),),
    lambda: (_floats(5, np.float32),),
    lambda: (_floats(5),),
    lambda: (np.array([True, False, True]),),
)
def reductions(a):
    return a.sum(), a.max(), a.min(), a.prod()


@cases.add("types.scalar-results", lambda: (_floats(5, np.float32),), lambda: (_floats(5),))
def mean_and_std(a):
    return a.mean(), a.std(), np.var(a)


@cases.add("types.scalar-results", lambda: (_ints(),), lambda: (_floats(),))
def python_values_stay_python(a):
    return len(a), 1.5, a.shape[0] * 2, a.ndim, 3 > 2


@cases.add("types.scalar-results", (2.5,), (3,), (np.float64(1.25),))
def np_float32_times_two(x):
    return np.float32(x) * 2


@cases.add("types.scalar-results", (2.5,), (3,))
def np_casts(x):
    return np.float64(x), np.int64(x), np.int32(x), np.bool_(x), np.complex128(x), np.uint8(x)


@cases.add("types.scalar-results", lambda: (_floats(),), lambda: (_ints(),))
def element_reads(a):
    return a[0], a[-1], a[1] * 2, a[2] + 1.5, -a[3]


@cases.add("types.scalar-results", lambda: (_floats(),), lambda: (_ints(),))
def element_comparisons(a):
    return a[0] > 0, a[1] == a[2], a[0] < 1.5, not (a[3] > 0)


@cases.add("types.scalar-results", lambda: (_floats(),), lambda: (_ints(),))
def python_functions_of_elements(a):
    # math.* and int()/float() return Python numbers even of NumPy scalars.
    return math.sqrt(abs(a[0])), int(a[1]), float(a[2]), abs(a[3]), round(a[4])


@cases.add("types.scalar-results", lambda: (_floats(),), lambda: (_ints(),))
def accumulation_in_loop(a):
    s = 0
    for v in a:
        s += v
    return s


@cases.add("types.scalar-results", lambda: (_floats(),), lambda: (_ints(),))
def accumulation_by_index(a):
    s = 0.0
    for i in range(a.shape[0]):
        s = s + a[i] * a[i]
    return s


@cases.add("types.scalar-results", (3,), (10,))
def python_arithmetic(n):
    return n * 2, n / 4, n // 3, n ** 2, n % 3, float(n), n > 4, complex(n, 1)


@cases.add("types.scalar-results", lambda: (_floats(), 3), lambda: (_ints(), 2))
def mixed_weak_and_numpy(a, n):
    return a[0] + n, n * a[1], a[2] / n, np.sum(a) - n


@cases.add("types.scalar-results", lambda: (np.array([1 + 2j, 3 - 1j]),),
           lambda: (np.array([1 + 2j, 3 - 1j], np.complex64),))
def complex_results(a):
    return a[0], a.sum(), a[0] * a[1], abs(a[0]), a[1].real


@cases.add("types.scalar-results", lambda: (_floats(),), lambda: (_ints(5, np.int32),))
def numpy_functions(a):
    return np.max(a), np.argmax(a), np.dot(a, a), np.linalg.norm(a * 1.0)


@cases.add("types.scalar-results", (2.0, 3.0), (np.float32(2.0), np.float32(0.5)))
def numpy_scalar_arguments(x, y):
    return x + y, x * 2, np.sqrt(x), max(x, y)


@cases.add("types.scalar-results", (1.5,), (np.float64(2.0),), (np.float32(0.25),))
def returned_argument(x):
    return x


@cases.add("types.scalar-results", lambda: (_floats(),), lambda: (_ints(),))
def nested_tuples(a):
    return (a[0], (a.sum(), len(a))), 2


# --------------------------------------------------------------------------- constant arguments


def _model(h, w, dtype):
    m = np.ones((h, w), dtype=dtype)
    m[h // 4, w // 4] = 6.0
    return m


def _retyped(x, dt):
    return x.astype(dt) * 2, np.zeros(3, dt), dt(7)


@cases.add("types.const-args", (4, 4), (2, 5))
def dtype_to_helper(h, w):
    # a dtype passed between compiled functions, by keyword and by position
    a = _model(h, w, dtype=np.float64)
    b = _model(h, w, np.int32)
    return a, b, _retyped(np.arange(3), np.float32), _retyped(a[0], np.int8), _model(w, h, b.dtype)


@cases.add("types.const-args", lambda: (_floats(), np), lambda: (_ints(), np))
def module_argument(x, xp):
    return xp.mean(x), xp.sum(x * 2), xp.zeros(3)


@cases.add("types.const-args", lambda: (_floats(), np))
def module_argument_functions(x, xp):
    return xp.sqrt(xp.abs(x)), xp.cumsum(x), xp.where(x > 0, x, 0.0)


@cases.add(
    "types.const-args",
    (3, np.float32),
    (3, np.int16),
    (2, np.complex128),
    (4, np.dtype("f4")),
    (4, np.dtype("int8")),
    (1, np.dtype(np.uint32)),
    (2, np.bool_),
)
def dtype_argument(n, dt):
    return np.zeros(n, dtype=dt), np.ones((n, 2), dt)


@cases.add(
    "types.const-args",
    lambda: (_floats(), np.float32),
    lambda: (_ints(), np.dtype("f8")),
    lambda: (_floats(), np.int64),
)
def dtype_argument_astype(x, dt):
    return x.astype(dt), np.arange(3, dtype=dt), np.full(2, 7, dtype=dt)


@cases.add("types.const-args", lambda: (_floats(), np.float32))
def dtype_argument_cast(x, dt):
    return dt(x[0]), dt(2) * 3


def _square(v):
    return v * v


def _cube(v):
    return v * v * v


_jit_cube = jitted(_cube)


@cases.add(
    "types.const-args",
    lambda: (_square, _floats()),
    lambda: (_cube, _ints()),
    lambda: (_jit_cube, _floats()),
    lambda: (math.fabs, _floats()),
    lambda: (np.sqrt, _floats() ** 2),
)
def function_argument(fn, a):
    s = 0.0
    for v in a:
        s += fn(v)
    return s


@cases.add("types.const-args", lambda: (_square, _cube, _floats()))
def two_function_arguments(f, g, a):
    return f(a), g(a[1]), f(g(a[2]))


@cases.add("types.const-args", lambda: (_square, 3.0), lambda: (_jit_cube, 2))
def function_argument_passed_on(fn, x):
    return _apply_twice(fn, x)


def _apply_twice(fn, x):
    return fn(fn(x))


@cases.add("types.const-args", lambda: (np, np.float32, _square, _floats()))
def all_constant_kinds(xp, dt, fn, a):
    b = fn(a).astype(dt)
    return xp.sum(b), b


test_conformance = cases.test()
