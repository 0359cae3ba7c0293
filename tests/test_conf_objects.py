"""Conformance: objects of plain Python classes as arguments, and functions whose source lives
in IPython cells or exec'd text that linecache knows.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove.
"""

import linecache

import numpy as np
from conformance import Cases

from sejit import jit

cases = Cases(__name__)


class Inner:
    def __init__(self, scale, bias=0.0):
        self.scale = scale
        self.bias = bias

    def apply(self, x):
        return x * self.scale + self.bias


class Particles:
    mass = 2.5  # a class attribute
    label = "particles"  # an attribute compiled code does not read

    def __init__(self, n, scale=2.0):
        self.n = n
        self.pos = np.linspace(0.0, 1.0, n)
        self.vel = np.arange(n, dtype=np.float64) - n / 2
        self.inner = Inner(scale, 0.25)
        self.steps = 0

    def energy(self):
        return 0.5 * self.mass * (self.vel * self.vel).sum()

    def scaled(self, i):
        return self.inner.apply(self.pos[i])

    def kick(self, dt):
        # A method writing into the object's arrays in place.
        self.vel[:] = self.vel - dt * self.pos

    def total(self):
        s = 0.0
        for i in range(self.n):
            s += self.scaled(i)
        return s


class Heavy(Particles):
    mass = 10.0

    def energy(self):
        return 2.0 * self.mass + self.n


class Counter:
    def __init__(self, k):
        self.k = k
        self.hits = np.zeros(4, dtype=np.int64)


class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b


class Grid:
    def __init__(self, data):
        self.data = data

    @jit
    def norm(self):
        return np.sqrt((self.data * self.data).sum())


@cases.add("py.objects", lambda: (Particles(5),), lambda: (Particles(3, scale=-1.5),))
def reads_numeric_attributes(p):
    return p.n * 2, p.inner.scale + p.inner.bias, p.mass


@cases.add("py.objects", lambda: (Particles(6),))
def reads_array_attributes(p):
    return p.pos[2], p.vel[-1], p.pos.sum(), p.vel * p.inner.scale


@cases.add("py.objects", lambda: (Particles(4),), lambda: (Heavy(7),))
def calls_methods(p):
    # Methods are compiled with the caller; Heavy's energy overrides Particles'.
    return p.energy(), p.scaled(1), p.total()


@cases.add("py.objects", lambda: (Particles(5), 0.1))
def method_writes_in_place(p, dt):
    p.kick(dt)
    p.kick(dt)
    return p.vel


@cases.add("py.objects", lambda: (Particles(5),))
def writes_array_attribute(p):
    p.pos[:] = p.pos * 2.0
    p.vel[0] += 100.0
    for i in range(p.n):
        p.pos[i] = p.pos[i] + i


@cases.add("py.objects", lambda: (Counter(3), np.array([0, 1, 1, 3, 3, 3])))
def counts_into_object(c, xs):
    for i in range(len(xs)):
        c.hits[xs[i]] += c.k
    return c.hits.sum()


@cases.add("py.objects", lambda: (Pair(Inner(2.0), Inner(3, 1)), 1.5))
def nested_objects(pair, x):
    # Two objects of one class whose fields differ in type (float and int scale).
    return pair.a.apply(x) + pair.b.apply(x), pair.b.scale


@cases.add("py.objects", lambda: (Inner(3.0), Inner(0.5, 1.0), np.arange(4.0)))
def two_objects(a, b, x):
    return a.apply(b.apply(x))


def _energy_of(p):
    return p.energy() + p.n


@cases.add("py.objects", lambda: (Particles(3),))
def passes_object_to_helper(p):
    return _energy_of(p) * 2


@cases.add("py.objects", lambda: (Pair(1, 2.5),), lambda: (Pair(np.int8(3), np.float32(2)),))
def attribute_types_select_specialization(pair):
    return pair.a + pair.b


@cases.add("py.objects", lambda: (Grid(np.array([3.0, 4.0])),))
def calls_jitted_method(g):
    # Grid.norm is decorated with jit: compiled here with the caller.
    return g.norm() + 1.0


def test_jitted_method_called_from_python():
    g = Grid(np.array([3.0, 4.0, 12.0]))
    want = Grid.norm.py_func(g)  # the method run by CPython
    assert g.norm() == want
    assert Grid.norm(g) == want


# --------------------------------------------------------------------------- exec'd source


def _exec_with_linecache(src, filename):
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {"np": np}
    exec(compile(src, filename, "exec"), ns)
    return ns


_CELL = """\
def cell_kernel(x, k):
    y = x * k
    for i in range(len(y)):
        if y[i] < 0:
            y[i] = 0.0
    return y, y.sum()


def cell_helper(v):
    return v + 1


def cell_caller(n):
    return cell_helper(n) * 2
"""

_ns = _exec_with_linecache(_CELL, "<ipython-input-7-1234abcd>")
cell_kernel = _ns["cell_kernel"]
cell_caller = _ns["cell_caller"]

cases.add("py.exec-source", lambda: (np.array([1.5, -2.0, 3.0]), 2.0))(cell_kernel)
cases.add("py.exec-source", (4,), (-3,))(cell_caller)

_INDENTED = """\
class Model:
    def __init__(self):
        self.w = 3.0

    def predict(self, x):
        return x * self.w


def model_kernel(m, x):
    return m.predict(x)
"""

_ns3 = _exec_with_linecache("exec_lambda = lambda x, y=2.0: x * y + 1\n", "<exec-lambda>")
cases.add("py.exec-source", (3.0,), lambda: (np.arange(3.0), -1.0))(_ns3["exec_lambda"])
_ns3["exec_lambda"].__name__ = "exec_lambda"

_ns2 = _exec_with_linecache(_INDENTED, "<exec-model>")
cases.add("py.exec-source", lambda: (_ns2["Model"](), np.arange(3.0)))(_ns2["model_kernel"])


test_conformance = cases.test()
