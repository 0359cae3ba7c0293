"""Errors for dtypes, casts, objects and functions without source: positioned compile errors
where sejit does not compile a construct, and the exceptions NumPy or CPython raise at run time.
"""

import linecache

import numpy as np
import pytest
import sejit
from conftest import check_raises, needs_engine, quiet
from sejit import jit

pytestmark = needs_engine


def _line_of(fn, text):
    import inspect

    lines, first = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if text in line:
            return first + i
    raise AssertionError(text)


def _raises_at(fn, args, exc, text, message):
    with pytest.raises(exc) as info:
        jit(fn)(*args)
    msg = str(info.value)
    line = _line_of(fn, text)
    assert f"{__file__}:{line}:" in msg, msg
    assert message in msg, msg
    return msg


# --------------------------------------------------------------------------- types


def astype_unknown(x):
    return x.astype("float16")


def test_astype_unknown_dtype_string():
    _raises_at(astype_unknown, (np.zeros(2),), sejit.TypingError, "astype(", "data type 'float16'")


def astype_not_dtype(x):
    return x.astype(3)


def test_astype_needs_dtype():
    _raises_at(astype_not_dtype, (np.zeros(2),), TypeError, "astype(", "needs a dtype")


def float64_of_complex(z):
    return np.float64(z)


def test_numpy_float_of_python_complex_is_type_error():
    check_raises(float64_of_complex, 1j, exc=TypeError)


def int_of_complex(z):
    return int(z)


def test_int_of_python_complex_is_type_error():
    check_raises(int_of_complex, 1 + 2j, exc=TypeError)


def orders_python_complex(a, b):
    return a < b


def test_python_complex_ordering_is_type_error():
    check_raises(orders_python_complex, 1j, 2j, exc=TypeError)


def bool_minus_bool(a, b):
    return a - b


def test_numpy_bool_subtraction_is_refused():
    # NumPy raises TypeError at run time; sejit refuses at compile time, with a position.
    check_raises(bool_minus_bool, np.array([True]), np.array([False]), exc=TypeError)


def int_of_big_float(x):
    return int(x)


def test_int_beyond_int64_raises_overflow():
    # CPython would give a Python int of any size; sejit's ints are 64-bit.
    with pytest.raises(OverflowError, match="int64"):
        jit(int_of_big_float)(1e300)


def add_python_int(x, n):
    return x + n


def test_python_int_out_of_bounds_message():
    with quiet(), pytest.raises(OverflowError) as info:
        jit(add_python_int)(np.arange(3, dtype=np.uint16), 70000)
    assert str(info.value) == "Python integer 70000 out of bounds for uint16"


def uint8_of_nan(x):
    return np.uint8(x)


def test_numpy_int_of_nan():
    check_raises(uint8_of_nan, float("nan"), exc=ValueError)


# --------------------------------------------------------------------------- objects


class Thing:
    label = "thing"

    def __init__(self):
        self.x = 1.5
        self.data = np.zeros(3)
        self.name = "a string"

    @property
    def doubled(self):
        return self.x * 2


def rebinds_array_attribute(t):
    t.data = np.ones(3)
    return t.x


def test_array_attribute_rebinding_is_unsupported():
    # Numeric attributes can be assigned (py.object-writes); an array attribute is written into.
    _raises_at(
        rebinds_array_attribute, (Thing(),), sejit.UnsupportedError, "t.data = np.ones(3)", "attribute"
    )


def reads_string_attribute(t):
    return t.name


def test_unsupported_attribute_is_positioned():
    msg = _raises_at(
        reads_string_attribute, (Thing(),), sejit.UnsupportedError, "t.name", "no attribute 'name'"
    )
    assert "hint:" in msg


def reads_property(t):
    return t.doubled


def test_property_is_unsupported():
    _raises_at(reads_property, (Thing(),), sejit.UnsupportedError, "t.doubled", "'doubled'")


def returns_object(t):
    return t


def test_returning_an_object_is_unsupported():
    _raises_at(returns_object, (Thing(),), sejit.UnsupportedError, "return t", "returning an object")


def indexes_object(t):
    return t[0]


def test_indexing_an_object_is_unsupported():
    _raises_at(indexes_object, (Thing(),), sejit.UnsupportedError, "t[0]", "indexing an object")


def reads_x(t):
    return t.x


def test_non_plain_arguments_still_rejected():
    with pytest.raises(TypeError, match="argument 1"):
        jit(reads_x)(b"a string")
    with pytest.raises(TypeError, match="argument 2"):
        jit(add_python_int)(Thing(), frozenset({1, 2}))


def test_object_arity_error():
    with pytest.raises(TypeError, match="positional argument"):
        jit(reads_x)(Thing(), Thing())


def test_object_signatures_are_listed():
    f = jit(reads_x)
    assert f(Thing()) == reads_x(Thing())
    assert any("Thing" in s for s in f.signatures)


# --------------------------------------------------------------------------- source


def test_exec_without_linecache_compiles_from_bytecode():
    # No source to read: the engine decompiles the code object (tests/test_bytecode.py).
    ns = {}
    exec(compile("def nosource(x):\n    return x + 1\n", "<nowhere>", "exec"), ns)
    assert jit(ns["nosource"])(1.0) == ns["nosource"](1.0)
    # What the bytecode cannot express is a positioned error in that "file".
    exec(compile("def nosrc2(x):\n    return len({v for v in x})\n", "<nowhere>", "exec"), ns)
    with pytest.raises(sejit.UnsupportedError, match="<nowhere>:2:.*comprehension"):
        jit(ns["nosrc2"])(np.arange(3.0))


def test_error_in_cell_is_positioned_at_cell():
    src = "def cell_bad(x):\n    y = x + 1\n    return y.nosuch\n"
    name = "<ipython-input-42-deadbeef>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {}
    exec(compile(src, name, "exec"), ns)
    with pytest.raises(sejit.UnsupportedError) as info:
        jit(ns["cell_bad"])(np.zeros(2))
    msg = str(info.value)
    assert msg.startswith(f"{name}:3:12:"), msg
    assert "return y.nosuch" in msg


def complex_of_complex(a, b):
    return complex(a, b)


def test_complex_of_two_with_complex_is_unsupported():
    _raises_at(complex_of_complex, (1.0, 2j), sejit.UnsupportedError, "return complex(", "complex(real, imag)")


def negates_numpy_bool(b):
    return -b


def test_numpy_bool_negative_is_type_error():
    check_raises(negates_numpy_bool, np.True_, exc=TypeError)
    assert jit(negates_numpy_bool)(True) == -1  # a Python bool negates as an int


def in_place_add(x, n):
    x += n
    return x


def test_in_place_same_kind_rule():
    # uint8 += int64 would cast int64 → uint8, which NumPy's same_kind rule refuses (NumPy raises
    # UFuncTypeError, a TypeError, when it runs; sejit when it compiles, with a position).
    x = np.arange(3, dtype=np.uint8)
    with pytest.raises(TypeError):
        in_place_add(x.copy(), np.int64(3))
    _raises_at(in_place_add, (x, np.int64(3)), TypeError, "x += n", "int64 to uint8")
    # int64 → int8 is the same kind: allowed, wrapping.
    y = np.arange(3, dtype=np.int8)
    assert jit(in_place_add)(y, np.int64(300)).tolist() == [44, 45, 46]


# --------------------------------------------------------------------------- joins of versions
# A variable rebound in straight-line code takes the new type (tests/test_conf_rebinding.py);
# where two bindings of different types reach one use, it stays a positioned TypingError that
# names both types.


def join_after_if(x, c):
    y = x.sum()
    if c:
        y = x * 2
    return y


def test_types_meeting_after_if():
    msg = _raises_at(join_after_if, (np.ones(3), 1), sejit.TypingError, "y = x * 2",
                     "variable 'y' is array(float64, 1d, C) here but float64 on another path")
    assert "after an if/else or around a loop" in msg, msg


def join_at_loop_head(x, n):
    v = 0
    for i in range(n):
        w = v + 1
        v = x[i:]
    return w


def test_types_meeting_at_loop_head():
    _raises_at(join_at_loop_head, (np.ones(3), 2), sejit.TypingError, "v = x[i:]",
               "variable 'v' is array(float64, 1d, C) here but int on another path")


def join_at_while_head(x):
    t = (1, 2)
    while t[0] < 3:
        t = (t[0] + 1, 2, 3)
    return t


def test_tuple_lengths_meeting_at_while_head():
    _raises_at(join_at_while_head, (np.ones(3),), sejit.TypingError, "t = (t[0] + 1, 2, 3)",
               "variable 't' is tuple(int, int, int) here but tuple(int, int) on another path")


def join_in_elif(x, c):
    if c == 0:
        r = x.astype(np.float32)
    elif c == 1:
        r = x.astype(np.int8)
    else:
        r = x
    return r


def test_dtypes_meeting_after_elif():
    _raises_at(join_in_elif, (np.ones(3), 1), sejit.TypingError, "r = x.astype(np.int8)",
               "variable 'r' is array(int8, 1d, C) here but array(float32, 1d, C) on another path")


# --------------------------------------------------------------------------- constant arguments


def rebinds_dtype_param(n, dt):
    dt = np.float64
    return np.zeros(n, dt)


def test_constant_argument_cannot_be_rebound():
    _raises_at(rebinds_dtype_param, (3, np.float32), sejit.UnsupportedError, "dt = np.float64",
               "the parameter 'dt' receives a constant")


def zeros_of(n, dt):
    return np.zeros(n, dt)


def test_unsupported_dtype_argument_is_type_error():
    with pytest.raises(TypeError, match="argument 2"):
        jit(zeros_of)(3, np.float16)
