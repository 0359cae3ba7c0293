"""Conformance: generator functions iterated by for loops (inlined where they are iterated),
*args and keyword-only parameters.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import copy

import numpy as np
import pytest
import sejit
from conformance import Cases, jitted
from conftest import needs_engine

cases = Cases(__name__)


def arr(*v, dtype=np.float64):
    return np.array(v, dtype=dtype)


# --------------------------------------------------------------------------- generators


def _odd_squares(n):
    for i in range(n):
        if i % 2:
            yield i * i


def _countdown(n, step=1):
    while n > 0:
        yield n
        n -= step


def _pairs(n):
    for i in range(n):
        for j in range(i):
            yield i, j


def _until_negative(x):
    for v in x:
        if v < 0:
            return
        yield v


def _three(a):
    yield a
    yield a * 2
    yield a * 3


def _scaled(x, k):
    for v in x:
        yield v * k


def _fib(limit):
    a, b = 0, 1
    while a < limit:
        yield a
        a, b = b, a + b


_OFFSET = 100


def _offset_items(n):
    for i in range(n):
        yield i + _OFFSET


def _rows(a):
    for i in range(a.shape[0]):
        yield a[i]


def _chained(n):
    for v in _odd_squares(n):
        yield v + 1


@cases.add("py.generators", (0,), (1,), (7,), (10,))
def gen_module_level(n):
    s = 0
    for v in _odd_squares(n):
        s += v
    return s


@cases.add("py.generators", (5,), (0,), (-3,))
def gen_while_and_default(n):
    out = 0
    for v in _countdown(n):
        out = out * 10 + v
    t = 0
    for v in _countdown(n, step=2):
        t += v
    return out, t


@cases.add("py.generators", (4,), (6,))
def gen_tuple_target(n):
    s = 0
    for i, j in _pairs(n):
        s += i * 10 + j
    return s


@cases.add(
    "py.generators",
    lambda: (arr(1.0, 2.0, -1.0, 4.0),),
    lambda: (arr(1.5, 2.5),),
    lambda: (arr(-1.0),),
    value_typed=True,  # CPython's s stays the Python 0.0 when the loop runs no iteration
)
def gen_return_ends(x):
    s = 0.0
    count = 0
    for v in _until_negative(x):
        s += v
        count += 1
    return s, count


@cases.add("py.generators", (3,), (10,), (0,))
def gen_break_in_consumer(n):
    last = -1
    for v in _odd_squares(20):
        if v > n:
            break
        last = v
    return last


@cases.add("py.generators", (12,), (3,))
def gen_break_nested_loops(n):
    found = (-1, -1)
    for i, j in _pairs(10):
        if i * j == n:
            found = (i, j)
            break
    return found


@cases.add("py.generators", (5,), (2,))
def gen_continue(n):
    s = 0
    for v in _countdown(n):
        if v % 2 == 0:
            continue
        s += v
    return s


@cases.add("py.generators", (5,), (30,))
def gen_for_else(n):
    where = -1
    for v in _odd_squares(8):
        if v == n * n:
            where = v
            break
    else:
        where = 1000
    return where


@cases.add("py.generators", (4,), (0,))
def gen_for_else_after_return(n):
    t = 0
    for v in _until_negative(np.array([1.0, 2.0, -5.0, 3.0])):
        t += v
        if t > n:
            break
    else:
        t = -t
    return t


@cases.add("py.generators", (2.0,), (3,))
def gen_straight_line_yields(a):
    s = 0
    for v in _three(a):
        s = s * 10 + v
    return s


@cases.add("py.generators", (2.0,), (3,))
def gen_straight_line_break(a):
    s = 0
    for v in _three(a):
        if v > a * 1.5:
            break
        s = s * 10 + v
    return s


@cases.add("py.generators", lambda: (arr(1.0, 2.0, 3.0), 2.0), lambda: (np.arange(5), 3))
def gen_array_arguments(x, k):
    s = 0
    for v in _scaled(x, k):
        s += v
    return s


@cases.add("py.generators", (100,), (1,), (0,))
def gen_fibonacci(limit):
    total = 0
    n = 0
    for f in _fib(limit):
        total += f
        n += 1
    return total, n


@cases.add("py.generators", (4,))
def gen_reads_global(n):
    s = 0
    for v in _offset_items(n):
        s += v
    return s


@cases.add("py.generators", lambda: (np.arange(6.0).reshape(3, 2),))
def gen_yields_rows(a):
    s = np.zeros(2)
    for r in _rows(a):
        s += r * r
    return s


@cases.add("py.generators", (7,), (0,))
def gen_of_generator(n):
    s = 0
    for v in _chained(n):
        s += v
    return s


@cases.add("py.generators", (4,), (6,))
def gen_nested_consumers(n):
    s = 0
    for a in _countdown(n):
        for b in _countdown(a):
            if b == 2:
                continue
            s += a * b
    return s


@cases.add("py.generators", (5,), (9,))
def gen_nested_def(n):
    k = 3

    def multiples(m):
        for i in range(m):
            yield i * k

    s = 0
    for v in multiples(n):
        s += v
    k = 10  # late binding: the loop below reads the new k
    for v in multiples(2):
        s += v
    return s


@cases.add("py.generators", (5,), (1,))
def gen_nested_def_two_types(n):
    def halves(m):
        i = 0
        while i < m:
            yield i / 2
            i += 1

    def ints(m):
        for i in range(m):
            yield i

    a = 0.0
    for v in halves(n):
        a += v
    b = 0
    for w in ints(n):
        b += w
    return a, b


@cases.add("py.generators", (6,), (0,))
def gen_sum_list(n):
    return sum(_odd_squares(n)), list(_countdown(n)), max(_countdown(n + 1))


@cases.add("py.generators", (6,), (2,))
def gen_sorted_any_all(n):
    items = sorted(_countdown(n, 2))
    return items, any(_odd_squares(n)), all(_countdown(n))


@cases.add("py.generators", (3,), (6,))
def gen_keyword_argument(n):
    s = 0
    for v in _countdown(step=n // 2 + 1, n=n):
        s += v
    return s


@cases.add("py.generators", (5,))
def gen_return_in_loop_consumer_returns(n):
    for v in _odd_squares(n * 3):
        if v > n:
            return v
    return -1


@cases.add("py.generators", (10,))
def gen_target_after_loop(n):
    v = -1
    for v in _countdown(n, 3):
        pass
    return v


@cases.add("py.generators", (4,))
def gen_inside_loop(n):
    total = 0
    for k in range(n):
        for v in _countdown(k):
            total += v * k
    return total


# --------------------------------------------------------------------------- *args


@cases.add("py.varargs", (5,), (5, 1), (5, 1, 2.5), (1.5, 2, 3, 4))
def varargs_entry(n, *args):
    return n + len(args)


@cases.add("py.varargs", (), (1,), (1, 2, 3), (0.5, -1.5))
def varargs_sum(*args):
    s = 0
    for v in args:
        s += v
    return s


@cases.add("py.varargs", (1.0, 2, 3), (4, 5.5, -1))
def varargs_index_unpack(a, *args):
    x, y = args
    return a + args[0] * args[1] + x - y, args[-1]


@cases.add("py.varargs", (2,), (3, 1.5), ())
def varargs_returned(*args):
    return args


@cases.add("py.varargs", lambda: (np.zeros(3), np.ones(3), np.arange(3.0)))
def varargs_arrays(out, *xs):
    out += xs[0] * 2 + xs[1]
    return out, len(xs)


@cases.add(
    "py.varargs",
    lambda: (np.zeros(3), np.ones(3), np.arange(3.0)),
    lambda: (np.zeros(3), -np.ones(3), np.arange(3.0)),
    lambda: (np.zeros(3), np.full(3, 50.0), np.ones(3)),
    lambda: (np.zeros(3),),
)
def varargs_loop_over_arrays(out, *xs):
    for x in xs:
        if x.sum() > 100:
            break
        if x[0] < 0:
            continue
        out += x
    else:
        out *= 2
    return out


@cases.add("py.varargs", lambda: (np.arange(4.0), np.arange(4.0)[::2].copy() * 3))
def varargs_arrays_of_two_layouts(*xs):
    s = 0.0
    n = 0
    for x in xs:
        s += x.sum()
        n += x.shape[0]
    return s, n


def _total(*vals, base=0):
    s = base
    for v in vals:
        s += v
    return s


def _abc(a, b, c=1):
    return a * 100 + b * 10 + c


def _forward(*args):
    return _abc(*args)


@cases.add("py.varargs", (5,), (2.5,))
def varargs_helper(n):
    return _total(n, 1, 2), _total(), _total(base=n), _total(1, 2, base=10)


@cases.add("py.varargs", (1,), (2.0,))
def varargs_forwarded(x):
    return _forward(x, 2), _forward(x, 2, 3)


@cases.add("py.varargs", (1.0,), (3,))
def varargs_star_call(x):
    t = (x, 2.0)
    return _abc(*t), _abc(*t, c=4), _abc(x, *(5, 6))


@cases.add("py.varargs", (4,), (0,))
def varargs_nested(n):
    def add(*vals, base=0):
        s = base
        for v in vals:
            s += v
        return s

    return add(n, 1, 2), add(base=n), add(1, 2, base=10), add()


@cases.add("py.varargs", (3,))
def varargs_lambda(n):
    f = lambda *a: len(a)  # noqa: E731
    return f(1, 2, n), f()


# --------------------------------------------------------------------------- keyword-only


@cases.add("py.kwonly", (2.0,), (-1,))
def kwonly_defaults_entry(x, *, k=2, shift=0.5):
    return x * k + shift


def _affine(x, *, scale, shift=0.5):
    return x * scale + shift


@cases.add("py.kwonly", (2.0,), (3,))
def kwonly_helper(x):
    return _affine(x, scale=2), _affine(x, shift=1.0, scale=1), _affine(scale=3, x=x)


def _clipped(x, *args, lo=0.0, hi=1.0):
    s = x
    for v in args:
        s += v
    return min(max(s, lo), hi)


@cases.add("py.kwonly", (0.25,), (2.0,), (-3.0,))
def kwonly_after_varargs(x):
    return _clipped(x), _clipped(x, 0.5), _clipped(x, 0.5, 0.5, hi=5.0), _clipped(x, lo=-10.0)


@cases.add("py.kwonly", (3,), (0,))
def kwonly_nested(n):
    def power(v, *, p=2):
        return v**p

    return power(n), power(n, p=3)


@cases.add("py.kwonly", lambda: (np.arange(4.0),))
def kwonly_array(x):
    out = np.zeros(4)
    _fill(x, out=out)
    return out


def _fill(x, *, out, scale=2.0):
    out[:] = x * scale


# --------------------------------------------------------------------------- nonlocal


@cases.add("py.nonlocal", lambda: (np.arange(5.0),), lambda: (np.array([1.5, -2.0]),))
def nonlocal_accumulates(x):
    total = 0.0

    def add(v):
        nonlocal total
        total += v

    for v in x:
        add(v)
    return total


@cases.add("py.nonlocal", (4,), (0,))
def nonlocal_counter_returns(n):
    count = 0

    def inc():
        nonlocal count
        count += 1
        return count

    first = inc()
    for i in range(n):
        inc()
    return first, count


@cases.add("py.nonlocal", (5,), (1,))
def nonlocal_seen_by_reader(n):
    k = 1

    def bump(by):
        nonlocal k
        k = k * by

    def get():
        return k

    out = 0
    for i in range(1, n):
        bump(2)
        out += get()
    return out, k


@cases.add("py.nonlocal", (5,), (3,))
def nonlocal_two_levels(n):
    s = 0

    def outer_add(v):
        def inner_add():
            nonlocal s
            s += v

        inner_add()

    for i in range(n):
        outer_add(i)
    return s


@cases.add("py.nonlocal", (10,), (-3,))
def nonlocal_parameter(n):
    def dec():
        nonlocal n
        n -= 1

    dec()
    dec()
    return n


@cases.add("py.nonlocal", (1,), (4,))
def nonlocal_widens_to_float(n):
    total = 0

    def add(v):
        nonlocal total
        total += v

    for i in range(n):
        add(0.5)
    return total


@cases.add("py.nonlocal", (3.0,), (-1.0,))
def nonlocal_two_variables(x):
    lo = x
    hi = x

    def see(v):
        nonlocal lo, hi
        if v < lo:
            lo = v
        if v > hi:
            hi = v

    see(x * 2)
    see(x - 5)
    see(0.0)
    return lo, hi


@cases.add("py.nonlocal", (6,), (0,))
def nonlocal_closure_reads_update(n):
    step = 1

    def advance(v):
        return v + step

    def set_step(s):
        nonlocal step
        step = s

    a = advance(n)
    set_step(10)
    b = advance(n)
    return a, b


@cases.add("py.nonlocal", lambda: (np.arange(6.0),))
def nonlocal_with_array_reads(x):
    best = -1

    def consider(i):
        nonlocal best
        if best < 0 or x[i] > x[best]:
            best = i

    for i in range(x.shape[0]):
        consider(i)
    return best


@cases.add("py.nonlocal", (5,))
def nonlocal_in_loop_body_def(n):
    hits = 0

    def hit():
        nonlocal hits
        hits += 1

    for i in range(n):
        if i % 2 == 0:
            hit()
    return hits


def _apply(g, n):
    s = 0
    for i in range(n):
        s += g(i)
    return s


@cases.add("py.nonlocal", (4,), (0,))
def nonlocal_closure_passed(n):
    k = 2

    def setk(v):
        nonlocal k
        k = v

    def addk(i):
        return i + k

    a = _apply(addk, n)
    setk(5)
    return a, _apply(addk, n)


@cases.add("py.nonlocal", (4,), (1,))
def nonlocal_writer_passed(n):
    total = 0

    def add(i):
        nonlocal total
        total += i
        return 0

    _apply(add, n)
    return total

# --------------------------------------------------------------------------- attribute writes


class Counter:
    def __init__(self, n=3):
        self.count = 0
        self.total = 0.0
        self.flag = False
        self.scale = np.float32(2.0)
        self.data = np.zeros(n)

    def add(self, v):
        self.count += 1
        self.total += v


class Node:
    def __init__(self):
        self.value = 1
        self.child = Counter(2)


def _attr_args():
    return (Counter(), np.arange(4.0))


class Pair:
    def __init__(self, shared):
        self.left = Counter()
        self.right = self.left if shared else Counter()


@cases.add("py.object-writes", lambda: (Pair(True), 5), lambda: (Pair(False), 5))
def attr_same_object_twice(p, k):
    # p.left is p.right: a write through one name is read through the other.
    a, b = p.left, p.right
    for i in range(k):
        a.count += 1
        b.count = b.count * 2
    a.total = 1.5
    b.total = b.total + 2.0
    return a.count, b.count, a.total, b.total


@cases.add("py.object-writes", _attr_args)
def attr_rebound_to_another_type(c, x):
    # Straight-line stores of another type, then reads: a new version of the attribute, as a
    # local variable's rebinding is (resolve/versions.go); Python gets the last value.
    c.count = c.total + x[1]
    y = c.count * 2
    c.flag = c.count > 0.5
    c.total = 3
    c.total += 1
    return y, c.count, c.total, c.flag


@cases.add("py.object-writes", _attr_args)
def attr_method_counts(c, x):
    for i in range(x.shape[0]):
        c.add(float(x[i]))
    return c.count, c.total


@cases.add("py.object-writes", _attr_args)
def attr_assign_and_read_back(c, x):
    c.total = float(x.sum())
    c.count = x.shape[0]
    c.flag = c.total > 3.0
    return c.total * 2, c.count, c.flag


@cases.add("py.object-writes", _attr_args)
def attr_numpy_scalar(c, x):
    c.scale = c.scale * np.float32(1.5)
    c.scale += np.float32(1.0)
    return c.scale


@cases.add("py.object-writes", _attr_args)
def attr_array_in_place(c, x):
    c.data[:] = x[:3] * 2
    c.data += 1.0
    c.count += 2
    return c.data.sum()


@cases.add("py.object-writes", lambda: (Node(),), lambda: (Node(),))
def attr_nested_object(n):
    ch = n.child
    ch.count += n.value
    n.value = 7
    n.child.total += 0.5
    return ch.count, n.child.total, n.value


def _bump(c, k):
    c.count += k


@cases.add("py.object-writes", _attr_args)
def attr_helper_writes(c, x):
    for k in range(3):
        _bump(c, k)
    return c.count


@cases.add("py.object-writes", _attr_args, raises=ValueError)
def attr_raises_after_write(c, x):
    for i in range(x.shape[0]):
        c.count += 1
        if i == 2:
            raise ValueError("stop")
    return c.count



# --------------------------------------------------------------------------- keywords from Python


def _py_kwonly(x, *, scale, shift=0.5):
    return x * scale + shift


def _py_mixed(x, *args, k=3):
    return x + len(args) * k + sum(args)


def test_keyword_only_from_python():
    f = jitted(_py_kwonly)
    for kwargs in ({"scale": 2}, {"scale": 2.5, "shift": -1}, {"shift": 1, "scale": 3}):
        assert f(2.0, **kwargs) == _py_kwonly(2.0, **kwargs)
    assert f(x=1.5, scale=2) == _py_kwonly(x=1.5, scale=2)


def test_varargs_and_keywords_from_python():
    f = jitted(_py_mixed)
    for args, kwargs in [((1,), {}), ((1, 2, 3), {}), ((1, 2.5), {"k": 10}), ((2.0,), {"k": -1})]:
        got, want = f(*args, **kwargs), _py_mixed(*args, **kwargs)
        assert got == want and type(got) is type(want), (args, kwargs, got, want)


@needs_engine
def test_packed_signatures_are_listed():
    f = sejit.jit(_py_mixed)  # a dispatcher of its own
    f(1, 2.5)
    f(1, 2.5, 3.5, k=1)
    assert len(f.signatures) == 2, f.signatures


def test_explain_binds_like_a_call():
    text = jitted(_py_mixed).explain(1, 2.5, k=10)
    assert "_py_mixed(x: int, args: tuple(float), k: int)" in text, text


def test_keyword_binding_errors_are_cpythons():
    # CPython's binding refuses these before the body would run; the message is CPython's.
    f = jitted(_py_kwonly)
    for args, kwargs in [((2.0,), {}), ((2.0, 3), {}), ((2.0,), {"scale": 1, "bad": 2})]:
        with pytest.raises(TypeError) as want:
            _py_kwonly(*args, **kwargs)
        with pytest.raises(TypeError) as got:
            f(*args, **kwargs)
        assert str(got.value) == str(want.value)


# ------------------------------------------------------------------------ attributes seen by Python


class Result:
    """Attributes compiled code only assigns: any numeric type may replace their values."""

    def __init__(self):
        self.n = 3
        self.x = 1.5
        self.z = np.float32(2.0)
        self.r = None
        self.flag = False
        self.data = np.zeros(3)


def retype_int_to_float(o, v):
    o.n = v * 0.5


def retype_twice(o, v):
    o.n = 3
    o.n = v


def retype_none_to_number(o, v):
    if v > 0:
        o.r = v * 2
    o.data[0] = v


def retype_to_numpy(o, v):
    o.z = np.float64(v)
    o.x = np.int8(3)
    o.flag = v > 1


def retype_complex(o, v):
    o.x = 1j * v
    o.n = v > 0


def retype_in_loop(o, v):
    for i in range(4):
        o.r = i * v
    o.n = np.uint64(7)


def retype_by_method_helper(o, v):
    _set_total(o, v)


def _set_total(o, v):
    o.r = v + 0.25


def retype_then_raise(o, v):
    o.n = v * 1.5
    if v > 1:
        raise ValueError("after the store")
    o.x = 0


@pytest.mark.parametrize("fn", [retype_int_to_float, retype_twice, retype_none_to_number, retype_to_numpy,
                                retype_complex, retype_in_loop, retype_by_method_helper, retype_then_raise])
@pytest.mark.parametrize("v", [2.0, -1.0, 3, True, np.float32(0.5), np.int16(-4)])
def test_assigned_only_attributes_take_the_new_type(fn, v):
    py_obj, jit_obj = Result(), Result()
    results = []
    for f, o in ((fn, py_obj), (jitted(fn), jit_obj)):
        try:
            results.append(f(o, v))
        except ValueError as e:
            results.append(str(e))  # retype_then_raise: the stores before the raise stay
    assert results[0] == results[1]
    assert _state(jit_obj) == _state(py_obj)


def test_read_attribute_takes_the_new_type_in_a_new_version():
    # The store starts a new version of o.n (resolve/versions.go, "Attributes"): reads after it
    # see a float, and Python gets the float.
    def halves(o):
        o.n = o.n / 2
        return o.n * 3

    py_obj, jit_obj = Result(), Result()
    assert jitted(halves)(jit_obj) == halves(py_obj)
    assert _state(jit_obj) == _state(py_obj)


def test_read_attribute_keeps_its_type_where_the_values_meet():
    # o.n += 0.5 reads and rebinds o.n in one version: it keeps the int type it came in with.
    def adds(o):
        o.n += 0.5

    with pytest.raises(sejit.TypingError, match="only assigns may take any numeric type") as info:
        jitted(adds)(Result())
    assert "test_conf_functions.py:" in str(info.value)


def _state(obj):
    """Every attribute, nested objects' included, with its type: what Python sees."""
    out = {}
    for k, v in vars(obj).items():
        if isinstance(v, (Counter, Node, Result)):
            out[k] = _state(v)
        elif isinstance(v, np.ndarray):
            out[k] = (v.dtype, v.tolist())
        else:
            out[k] = (type(v), v)
    return out


@pytest.mark.parametrize(
    "fn",
    [
        attr_method_counts,
        attr_assign_and_read_back,
        attr_numpy_scalar,
        attr_array_in_place,
        attr_nested_object,
        attr_helper_writes,
        attr_raises_after_write,
    ],
)
def test_attribute_writes_are_seen_by_python(fn):
    args = _attr_args() if fn is not attr_nested_object else (Node(),)
    py_args, jit_args = copy.deepcopy(args), copy.deepcopy(args)
    for f, a in ((fn, py_args), (jitted(fn), jit_args)):
        try:
            f(*a)
        except ValueError:
            pass  # attr_raises_after_write: the writes before the raise stay
    assert _state(jit_args[0]) == _state(py_args[0])


# ---- **kwargs ----

def _kw_scaled(x, **kw):
    return x * kw.get("scale", 1.0)


@cases.add("py.varkw", (2.0,), (3,), (-1.5,))
def kwargs_get_default(x):
    return _kw_scaled(x), _kw_scaled(x, scale=2.5), _kw_scaled(x, scale=3), _kw_scaled(x=x, scale=0.5)


@cases.add("py.varkw", lambda: (np.arange(4.0),), lambda: (np.ones((2, 3), dtype=np.float32),))
def kwargs_get_array(x):
    return _kw_scaled(x, scale=2.0), _kw_scaled(x, scale=np.float32(0.5)), _kw_scaled(x)


def _shifted(x, y=1, **kw):
    s = x + y + len(kw)
    if "shift" in kw:
        s = s + kw["shift"]
    if "skip" not in kw:
        s = s * 2
    return s - kw.get("tag", 0)


@cases.add("py.varkw", (1.0,), (4,))
def kwargs_in_len_index(x):
    a = _shifted(x)
    b = _shifted(x, 5, shift=1.5)
    c = _shifted(x, shift=2, skip=0, other=7.0)
    d = _shifted(x, y=3, skip=1)
    return a, b, c, d, _shifted(x, tag=9)


def _ifexp(x, **kw):
    return x + (kw["bias"] if "bias" in kw else 0.5)


@cases.add("py.varkw", (1.0,), (-2,))
def kwargs_if_expression(x):
    return _ifexp(x), _ifexp(x, bias=10), _ifexp(x, bias=0.25, extra=1)


def _kw_array(out, **kw):
    out += kw["delta"]
    return len(kw)


@cases.add("py.varkw", lambda: (np.zeros(3),))
def kwargs_array_written(out):
    return _kw_array(out, delta=np.arange(3.0)), _kw_array(out, delta=1.0, unused=2)


def _kw_nested(x, **options):
    def inner(v, **kw):
        return v + kw.get("step", 1)
    return inner(x) + inner(x, step=options.get("step", 10))


@cases.add("py.varkw", (1,), (2.5,))
def kwargs_nested(x):
    return _kw_nested(x), _kw_nested(x, step=3)


def _kw_tuple(x, **kw):
    t = kw.get("pair", (1, 2))
    return x + t[0] * t[1]


@cases.add("py.varkw", (3,),)
def kwargs_tuple_value(x):
    return _kw_tuple(x), _kw_tuple(x, pair=(2.5, 4))


def _kw_varargs(*args, **kw):
    s = kw.get("start", 0)
    for v in args:
        s += v
    return s


@cases.add("py.varkw", (1,), (0.5,))
def kwargs_with_varargs(x):
    return _kw_varargs(x, 2, 3), _kw_varargs(start=x), _kw_varargs(x, x, start=10)


def _kw_kwonly(x, *, lo=0.0, **kw):
    return max(x, lo) * kw.get("scale", 1)


@cases.add("py.varkw", (-1.0,), (2.0,))
def kwargs_after_keyword_only(x):
    return _kw_kwonly(x), _kw_kwonly(x, lo=-5.0), _kw_kwonly(x, scale=3), _kw_kwonly(x, scale=2, lo=1.0)


@cases.add("py.varkw", (2.0,), raises=TypeError)
def kwargs_unexpected_for_plain(x):
    return _plain_kw(x, scale=2.0)


def _plain_kw(x):
    return x


def _kw_inner(x, scale=1.0, **kw):
    return x * scale + kw.get("shift", 0.0)


def _kw_forward(x, **kw):
    return _kw_inner(x, **kw)


@cases.add("py.varkw", (2.0,), (-1,))
def kwargs_forwarded(x):
    return _kw_forward(x), _kw_forward(x, scale=2.0), _kw_forward(x, shift=1.5, scale=0.5), _kw_forward(x, shift=3)


@cases.add("py.varkw", (2.0,), (4,))
def kwargs_dict_display(x):
    return _kw_inner(x, **{"scale": 3.0}), _kw_inner(x, 1.0, **{"shift": 2}), _kw_inner(**{"x": x, "scale": 0.5})


@cases.add("py.varkw", (1.0,), raises=TypeError)
def kwargs_dict_display_repeats(x):
    return _kw_inner(x, scale=1.0, **{"scale": 2.0})


test_conformance = cases.test()


def kwargs_entry(x, y=2.0, **kw):
    s = x * kw.get("scale", 1.0) + y
    if "shift" in kw:
        s = s + kw["shift"]
    return s, len(kw)


@pytest.mark.parametrize("args,kw", [
    ((3.0,), {}), ((3.0,), {"scale": 2}), ((3.0, 5), {"shift": 1.5, "scale": 0.5}),
    ((np.arange(3.0),), {"shift": np.ones(3)}), ((1,), {"y": 3, "shift": 2}),
    ((), {"x": 2.0, "scale": np.float32(1.5)}), ((4,), {"scale": True}),
])
def test_kwargs_entry_called_with_keywords(args, kw):
    want = kwargs_entry(*args, **kw)
    got = jitted(kwargs_entry)(*args, **kw)
    for w, g in zip(want, got):
        assert type(w) is type(g)
        np.testing.assert_array_equal(w, g)


def test_kwargs_entry_errors_are_cpythons():
    f = jitted(kwargs_entry)
    with pytest.raises(TypeError) as want:
        kwargs_entry(1.0, 2.0, 3.0)
    with pytest.raises(TypeError) as got:
        f(1.0, 2.0, 3.0)
    assert str(got.value) == str(want.value)
    with pytest.raises(TypeError, match="keyword argument 'name': got str"):
        f(1.0, name="x")


def test_kwargs_refused_uses_are_positioned():
    def keys_of(x, **kw):
        return x + kw.scale

    def loop_over(x, **kw):
        for k in kw.items():
            x += 1
        return x

    def key_not_constant(x, k, **kw):
        return x + kw.get(k, 1.0)

    def missing_key(x, **kw):
        return x + kw["bias"]  # CPython: KeyError when it runs

    for fn, args, match in [(keys_of, (1.0,), "'dict' object has no attribute 'scale'"),
                            (loop_over, (1.0,), r"kw.items\(\) of a \*\*kwargs dict"),
                            (key_not_constant, (1.0, 2.0), "constant string key"),
                            (missing_key, (1.0,), "'bias' is not among the keyword arguments")]:
        with pytest.raises((sejit.UnsupportedError, sejit.TypingError), match=match) as info:
            jitted(fn)(*args, scale=2.0)
        assert "test_conf_functions.py:" in str(info.value)
