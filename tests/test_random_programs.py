"""Random well-typed programs, run in CPython and through jit (DESIGN §5).

A seeded generator writes small functions in the supported subset — int and
float scalars, arithmetic with Python's floor-division and modulo, comparisons
(chained too), and/or/not, conditional expressions, if/elif/else, for over
range and while (with break and continue), and whole-array expressions and slices on float64 arrays — to a module
in a temporary directory, imports it (sejit needs the source), and feeds each
function to the differential harness.

The generated integer arithmetic stays far from int64 overflow (multipliers
are small constants, assignments are reduced modulo 997), every division is by a value bounded away from zero,
and the loops are short, so CPython's result is the reference as it stands.

SEJIT_RANDOM_PROGRAMS sets how many of each family (default 25);
SEJIT_RANDOM_SEED the seed (default 2024). A failing program's source is in
the assertion message.
"""

import importlib.util
import os
import random

import numpy as np
import pytest
from conftest import check

COUNT = int(os.environ.get("SEJIT_RANDOM_PROGRAMS", "25"))
SEED = int(os.environ.get("SEJIT_RANDOM_SEED", "2024"))


class Generator:
    """Emits one function's source; every expression is well typed by construction."""

    def __init__(self, rng, arrays):
        self.rng = rng
        self.arrays = arrays
        self.ints = ["n", "m"]
        self.floats = ["a", "b"]
        self.lines = []
        self.depth = 0
        self.fresh = 0

    # ---- expressions

    def int_expr(self, d=2):
        r = self.rng
        if d == 0 or r.random() < 0.3:
            return r.choice(self.ints) if r.random() < 0.7 else str(r.randint(-9, 9))
        op = r.choice(["+", "-", "*k", "//", "%", "ifexp", "neg"])
        a, b = self.int_expr(d - 1), self.int_expr(d - 1)
        if op == "*k":
            return f"({a} * {r.randint(-3, 3)})"
        if op in ("//", "%"):
            return f"({a} {op} {r.choice([2, 3, -3, 7, -5])})"
        if op == "ifexp":
            return f"({a} if {self.cond(d - 1)} else {b})"
        if op == "neg":
            return f"(-{a})"
        return f"({a} {op} {b})"

    def float_expr(self, d=2):
        r = self.rng
        if d == 0 or r.random() < 0.25:
            k = r.random()
            if k < 0.6:
                return r.choice(self.floats)
            if k < 0.8:
                return f"({self.int_expr(0)} * 0.5)"
            return repr(round(r.uniform(-4, 4), 2))
        op = r.choice(["+", "-", "*", "/", "//", "%", "ifexp", "neg", "int"])
        a, b = self.float_expr(d - 1), self.float_expr(d - 1)
        if op == "/":
            return f"({a} / ({b} * {b} + 0.5))"
        if op in ("//", "%"):
            return f"({a} {op} {r.choice(['1.5', '-2.0', '0.75'])})"
        if op == "ifexp":
            return f"({a} if {self.cond(d - 1)} else {b})"
        if op == "neg":
            return f"(-{a})"
        if op == "int":
            return f"({self.int_expr(d - 1)} + {a})"
        return f"({a} {op} {b})"

    def cond(self, d=1):
        r = self.rng
        k = r.random()
        cmp = lambda: r.choice(["<", "<=", ">", ">=", "==", "!="])  # noqa: E731
        expr = self.float_expr if r.random() < 0.5 else self.int_expr
        if d <= 0 or k < 0.5:
            return f"{expr(1)} {cmp()} {expr(1)}"
        if k < 0.65:
            return f"{expr(1)} {cmp()} {expr(1)} {cmp()} {expr(1)}"
        if k < 0.8:
            return f"not ({self.cond(d - 1)})"
        return f"({self.cond(d - 1)}) {r.choice(['and', 'or'])} ({self.cond(d - 1)})"

    def array_expr(self, d=2):
        r = self.rng
        if d == 0 or r.random() < 0.3:
            return r.choice(["x", "y", "t"])
        a, b = self.array_expr(d - 1), self.array_expr(d - 1)
        op = r.choice(["+", "-", "*", "min", "max", "abs", "scalar"])
        if op == "min":
            return f"np.minimum({a}, {b})"
        if op == "max":
            return f"np.maximum({a}, {b})"
        if op == "abs":
            return f"np.abs({a})"
        if op == "scalar":
            return f"({a} * {self.float_expr(1)})"
        return f"({a} {op} {b})"

    # ---- statements

    def emit(self, text):
        self.lines.append("    " * (self.depth + 1) + text)

    def statement(self, budget):
        r = self.rng
        k = r.random()
        if k < 0.3:
            self.emit(f"{r.choice(self.floats)} = {self.float_expr()}")
        elif k < 0.45:
            self.emit(f"{r.choice(self.ints[:2])} = {self.int_expr()} % 997")
        elif k < 0.55:
            op = r.choice(["+=", "-=", "*="])
            self.emit(f"{r.choice(self.floats)} {op} {self.float_expr(1)}")
        elif k < 0.7 and budget > 1:
            self.emit(f"if {self.cond()}:")
            self.block(budget - 1)
            if r.random() < 0.4:
                self.emit(f"elif {self.cond()}:")
                self.block(budget - 1)
            if r.random() < 0.6:
                self.emit("else:")
                self.block(budget - 1)
        elif k < 0.78 and budget > 1:
            var = f"i{self.fresh}"
            self.fresh += 1
            start, stop = r.randint(-2, 2), r.randint(-2, 5)
            step = r.choice([1, 1, 2, -1])
            if step < 0:
                start, stop = max(start, stop), min(start, stop) - 1
            self.emit(f"for {var} in range({start}, {stop}, {step}):")
            self.ints.append(var)
            self.loop_body(budget - 1)
            self.ints.remove(var)
        elif k < 0.85 and budget > 1:
            var = f"w{self.fresh}"
            self.fresh += 1
            self.emit(f"{var} = 0")
            self.emit(f"while {var} < {r.randint(0, 5)}:")
            self.depth += 1
            self.emit(f"{var} += 1")
            self.depth -= 1
            self.ints.append(var)
            self.loop_body(budget - 1)
            self.ints.remove(var)
        elif self.arrays:
            self.array_statement()
        else:
            self.emit(f"b = {self.float_expr()}")

    def array_statement(self):
        r = self.rng
        k = r.random()
        if k < 0.3:
            self.emit(f"y[:] = {self.array_expr()}")
        elif k < 0.5:
            self.emit(f"t = {self.array_expr()} * 1.0")  # a fresh array: no aliasing of x or y
        elif k < 0.65:
            self.emit(f"y[1:-1] = x[:-2] * {self.float_expr(1)} + t[2:]")
        elif k < 0.75:
            self.emit(f"y[::2] {r.choice(['+=', '-=', '*='])} {self.float_expr(1)}")
        elif k < 0.9:
            red = r.choice(["np.sum", "np.min", "np.max", "np.mean"])
            self.emit(f"a {r.choice(['=', '+=', '-='])} {red}({self.array_expr(1)})")
        else:
            self.emit(f"b += y[{self.int_expr(1)} % len(y)]")

    def loop_body(self, budget):
        """A loop's block, sometimes with a conditional break or continue in it."""
        self.block(budget)
        if self.rng.random() < 0.5:
            self.depth += 1
            self.emit(f"if {self.cond()}:")
            self.depth += 1
            self.emit(self.rng.choice(["break", "continue"]))
            self.depth -= 2
            if self.rng.random() < 0.5:
                self.block(budget)

    def block(self, budget):
        self.depth += 1
        for _ in range(self.rng.randint(1, 3)):
            self.statement(budget)
        self.depth -= 1

    def function(self, name):
        if self.arrays:
            head = f"def {name}(x, y, a, n):"
            self.lines.append("    t = x * 0.5")
            self.lines.append("    b = a")
            self.lines.append("    m = n")
        else:
            head = f"def {name}(a, b, n, m):"
        self.depth = 0
        for _ in range(self.rng.randint(2, 6)):
            self.statement(3)
        ret = "a, b, n, m" if not self.arrays else self.rng.choice(["a, b, n, m, t", "y", "b"])
        self.lines.append(f"    return {ret}")
        return "\n".join([head] + self.lines) + "\n"


def _programs(arrays):
    rng = random.Random(SEED + (1 if arrays else 0))
    return [Generator(rng, arrays).function(f"prog_{i}") for i in range(COUNT)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("randprog") / "randprog.py"
    sources = {"scalar": _programs(False), "array": _programs(True)}
    text = "import numpy as np\n\n\n"
    for family, progs in sources.items():
        text += "\n\n".join(p.replace("def prog_", f"def {family}_") for p in progs) + "\n\n"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("randprog", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, sources


SCALAR_ARGS = [(1.5, -0.25, 3, -7), (-2.0, 4.0, 0, 11), (0.125, 0.0, -4, 2)]


@pytest.mark.parametrize("i", range(COUNT))
def test_random_scalar_program(generated, i):
    module, sources = generated
    fn = getattr(module, f"scalar_{i}")
    for args in SCALAR_ARGS:
        try:
            check(fn, *args)
        except AssertionError as e:
            raise AssertionError(f"{e}\nargs={args}\n{sources['scalar'][i]}") from None


@pytest.mark.parametrize("i", range(COUNT))
def test_random_array_program(generated, i):
    module, sources = generated
    fn = getattr(module, f"array_{i}")
    rng = np.random.default_rng(i)
    for n, args_n in ((3, 8), (-5, 13)):
        x, y = rng.uniform(-2, 2, args_n), rng.uniform(-2, 2, args_n)
        try:
            check(fn, x, y, 0.75, n)
        except AssertionError as e:
            raise AssertionError(f"{e}\nn={n}\n{sources['array'][i]}") from None
