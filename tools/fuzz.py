#!/usr/bin/env python3
"""sejit's differential fuzzer: random well-typed functions, run in CPython and through jit.

Each program is a module of one generated function ``f`` (and sometimes helpers it calls)
written by ``Gen`` below (it grew out of an earlier test-suite generator, now retired).
It covers Python scalars (int, float, bool with Python's semantics, NumPy scalars with
NumPy's), 1-D float64/int64 and 2-D float64 arrays in C, Fortran, strided and reversed
layouts, for-range loops with break/continue, while loops with bounded counters,
if/elif/else, conditional expressions, chained comparisons, slices with steps (negative
too) on both sides of assignments, element indexing (negative and out-of-range indices
included), reductions (np.sum/min/max/mean/prod), ufuncs on safe domains, np.where, int
floor division and modulo (by zero too), calls to generated helpers, try statements
(except clauses of the classes compiled code raises, else, finally) around any of these,
and, in half of the programs, lists (a list argument among them; in half of those a list
of lists), dicts, sets, constant strings, print() and raised messages computed with
f-strings, % and .format.

A program is written to a file and imported (sejit reads the source through inspect),
run on copies of its arguments in CPython (the reference) and through ``jit``, and the
outcomes compared:

* both return: results and every array argument afterwards agree (exact for ints and
  bools, rtol 1e-12 with NaN equal to NaN for floats, same dtypes and shapes, returned
  views share memory with the same argument);
* both print the same text to sys.stdout, byte for byte, and list results and list
  arguments afterwards agree item by item;
* both raise: the compiled side raises the reference's exception type (and the same
  text for the messages the generator computed, which start "fz");
* the compile fails with UnsupportedError, TypingError, NameError or SyntaxError: a
  *generator miss* (the generator thought the program well typed), counted separately;
* anything else (one side raises, a different exception, CompilerError, a crash or a
  hang of the worker) is a *mismatch*: the program is reduced statement by statement to a
  small reproducer written to tools/fuzz-failures/.

Programs are numbered; program ``i`` of seed ``s`` is always the same, so
``tools/fuzz.py --seed s --only i`` replays one. ``--jobs`` worker processes run programs
in parallel, each with its own cache directory under one temporary root (cleared every
few hundred programs so the disk does not fill).

Usage: tools/fuzz.py [--time SECONDS] [--count N] [--seed S] [--jobs J] [--only I]
Exit status 1 when a mismatch was found.
"""

import argparse
import ast
import contextlib
import importlib.util
import inspect
import io
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from multiprocessing.connection import wait

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAIL_DIR = os.path.join(ROOT, "tools", "fuzz-failures")
TASK_TIMEOUT = 120.0  # seconds for one program (compiles included), reduction excluded
REDUCE_BUDGET = 90.0  # seconds a worker spends shrinking one mismatch

# --------------------------------------------------------------------------- the generator
#
# Variables live in pools that never mix, so CPython's dynamic types equal the static ones
# sejit infers and every program is well typed:
#   py ints    n, m (parameters; assigned only `expr % 997`, so they never overflow int64),
#              loop variables and while counters (never assigned by the body);
#   py floats  a, b (only Python-float expressions: math.*, never NumPy values);
#   py bool    c;
#   np float   r (gets NumPy scalars: reductions, elements, np.* of scalars);
#   np int     q (np.int64: integer reductions and elements; wraps like NumPy);
#   arrays     x, y (float64, length L), k (int64, length L), M (float64, R x C),
#              t (a fresh local float64 array of length L).
# Division by a value that may be zero happens only where both semantics are defined and
# checked: Python ints and floats (ZeroDivisionError), NumPy ints (0) and int arrays (0).

CMP = ["<", "<=", ">", ">=", "==", "!="]


def _closing(text):
    """The index of the bracket closing text[0]."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "["
        depth -= ch == "]"
        if depth == 0:
            return i
    return -1


class Gen:
    def __init__(self, rng, arrays):
        self.r = rng
        self.arrays = arrays
        self.pyints = ["n", "m"]
        self.lines = []
        self.depth = 1
        self.fresh = 0
        self.helpers = []
        self.views = []  # (name, length) of 1-D views of y made at the top level
        self.share = None
        # try statements draw from a generator of their own (program() sets it), so
        # programs without one are the same as before try statements were generated.
        self.tr = None
        # Lists, dicts, sets, strings and print() likewise (program() sets self.cl): a program
        # draws whether it uses them from this stream, and every choice inside those
        # statements comes from it too, so programs that do not are unchanged.
        self.cl = None
        self.coll = False
        # Lists of lists (ll, a local list of lists of Python ints) draw from a stream of their
        # own too (program() sets self.ll), in programs that use collections.
        self.ll = None
        self.use_ll = False
        self.frozen = set()  # collections a loop is iterating over: not changed in its body
        if arrays:
            self.L = rng.choice([0, 1, 2, 3, 5, 7, 8, 9, 13, 16, 17])
            if rng.random() < 0.1:
                self.L = 0
            self.R = rng.choice([1, 2, 3, 4])
            self.C = rng.choice([1, 2, 3, 5])
            # x and y passed as views of one buffer (make_args, share), in a third of programs.
            if rng.random() < 0.35:
                self.share = rng.choice(["same", "reversed", "interleaved", "shifted"])

    # ---- helpers for choices

    def p(self, x):
        return self.r.random() < x

    def pick(self, *xs):
        return self.r.choice(xs)

    # ---- scalar expressions

    def int_leaf(self, np_ok):
        r = self.r
        k = r.random()
        if np_ok and k < 0.25:
            return self.np_int_leaf()
        if k < 0.7:
            return r.choice(self.pyints)
        if k < 0.8 and self.arrays:
            return self.pick("len(x)", "len(k)", "M.shape[0]", "M.shape[1]", "x.size", "M.size")
        if k < 0.85:
            return "c"  # a bool in int arithmetic
        return str(r.randint(-9, 9))

    def np_int_leaf(self):
        if not self.arrays:
            return "q"
        k = self.r.random()
        if k < 0.4:
            return "q"
        if k < 0.6:
            return f"k[{self.index('k')}]"
        if k < 0.8:
            return f"{self.pick('np.sum', 'np.max', 'np.min')}({self.arr_expr(self.L, 'i', 1)})"
        return "np.sum(k)"

    def int_expr(self, d=2, np_ok=False):
        r = self.r
        if d <= 0 or self.p(0.3):
            return self.int_leaf(np_ok)
        op = r.choice(["+", "-", "*k", "//k", "%k", "//", "%", "ifexp", "neg", "abs", "minmax"])
        a, b = self.int_expr(d - 1, np_ok), self.int_expr(d - 1, np_ok)
        if op == "*k":
            return f"({a} * {r.randint(-3, 3)})"
        if op in ("//k", "%k"):
            return f"({a} {op[:-1]} {r.choice([2, 3, -3, 7, -5, 1, -1])})"
        if op in ("//", "%"):
            # may divide by zero: ZeroDivisionError for Python ints, 0 for NumPy ints
            return f"({a} {op} {b})"
        # A conditional expression, min or max of a NumPy int and a Python int has the type of
        # the operand it picks, which depends on the values: with NumPy ints allowed, they are
        # made NumPy ints always, so that the static type sejit infers is CPython's.
        wrap = (lambda e: f"np.int64({e})") if np_ok else (lambda e: e)  # noqa: E731
        if op == "ifexp":
            return wrap(f"({a} if {self.cond(d - 1, np_ok)} else {b})")
        if op == "neg":
            return f"(-{a})"
        if op == "abs":
            return f"abs({a})"
        if op == "minmax":
            return wrap(f"{self.pick('min', 'max')}({a}, {b})")
        return f"({a} {op} {b})"

    def float_leaf(self, np_ok):
        r = self.r
        k = r.random()
        if np_ok and k < 0.3:
            return self.np_float_leaf()
        if k < 0.6:
            return self.pick("a", "b")
        if k < 0.75:
            return f"({self.int_expr(0)} * 0.5)"
        if k < 0.8:
            return f"float({self.int_leaf(False)})"
        return repr(round(r.uniform(-4, 4), 2))

    def np_float_leaf(self):
        if not self.arrays:
            return self.pick("r", f"np.sin({self.float_expr(0)})", f"np.float64({self.float_expr(0)})")
        k = self.r.random()
        if k < 0.3:
            return "r"
        if k < 0.5:
            return f"{self.pick('x', 'y', 't')}[{self.index('x')}]"
        if k < 0.6:
            return f"M[{self.index2()}]"
        if k < 0.85:
            return self.reduction()
        return f"{self.pick('x', 'y', 't')}.{self.pick('sum', 'max', 'min', 'mean')}()"

    def reduction(self):
        red = self.pick("np.sum", "np.min", "np.max", "np.mean", "np.prod", "np.sum")
        if self.p(0.2):
            return f"{red}({self.arr2_expr(1)})"
        n = self.slice_len()
        return f"{red}({self.arr_expr(n, 'f', 1)})"

    def float_expr(self, d=2, np_ok=False):
        r = self.r
        if d <= 0 or self.p(0.25):
            return self.float_leaf(np_ok)
        op = r.choice(["+", "-", "*", "/", "//k", "%k", "ifexp", "neg", "int", "math", "np",
                       "pydiv", "intdiv", "minmax"])
        a, b = self.float_expr(d - 1, np_ok), self.float_expr(d - 1, np_ok)
        if op == "/":
            return f"({a} / ({b} * {b} + 0.5))"
        if op in ("//k", "%k"):
            return f"({a} {op[:-1]} {r.choice(['1.5', '-2.0', '0.75'])})"
        if op == "pydiv" and not np_ok:
            # a Python float divided by a Python float that may be 0.0 (or inf, nan)
            return f"({a} {r.choice(['/', '//', '%'])} {self.pick('a', 'b', '0.0', b)})"
        if op == "intdiv" and not np_ok:
            return f"({self.int_expr(d - 1)} / {self.int_expr(d - 1)})"
        if op == "ifexp":
            return f"({a} if {self.cond(d - 1, np_ok)} else {b})"
        if op == "neg":
            return f"(-{a})"
        if op == "int":
            return f"({self.int_expr(d - 1, np_ok)} + {a})"
        if op == "math":
            f = r.choice(["sin", "cos", "exp", "sqrt", "fabs", "floor"])
            if f == "sqrt":
                return f"math.sqrt(abs({a}))"
            if f == "floor":
                return f"float(math.floor({a} % 100.0))"
            if f in ("sin", "cos", "exp"):
                return f"math.{f}({a} % 6.25)"  # % keeps it finite: math.* raise on inf
            return f"math.fabs({a})"
        if op == "np" and np_ok:
            f = r.choice(["sin", "cos", "exp", "sqrt", "abs"])
            if f == "sqrt":
                return f"np.sqrt(np.abs({a}))"
            if f == "exp":
                return f"np.exp(np.sin({a}))"
            return f"np.{f}({a})"
        if op == "minmax":
            if np_ok:
                return f"{self.pick('np.minimum', 'np.maximum')}({a}, {b})"
            return f"{self.pick('min', 'max')}({a}, {b})"
        if op in ("pydiv", "intdiv", "np"):
            return f"({a} * {b})"
        return f"({a} {op} {b})"

    def cond(self, d=1, np_ok=False):
        r = self.r
        k = r.random()
        expr = self.float_expr if self.p(0.5) else self.int_expr
        if d <= 0 or k < 0.45:
            return f"{expr(1, np_ok)} {r.choice(CMP)} {expr(1, np_ok)}"
        if k < 0.6:
            return f"{expr(1, np_ok)} {r.choice(CMP)} {expr(1, np_ok)} {r.choice(CMP)} {expr(1, np_ok)}"
        if k < 0.7:
            return "c" if not np_ok or self.p(0.5) else f"not c"
        if k < 0.8:
            return f"not ({self.cond(d - 1, np_ok)})"
        return f"({self.cond(d - 1, np_ok)}) {r.choice(['and', 'or'])} ({self.cond(d - 1, np_ok)})"

    # ---- indices and slices (lengths are concrete: the generator knows L, R, C)

    def index(self, arr):
        k = self.r.random()
        ext = "len(x)" if arr in ("x", "y", "t", "k") else arr
        if k < 0.55:
            return f"{self.int_expr(1, self.p(0.3))} % {ext}"
        if k < 0.75 and self.in_loop():
            return self.r.choice(self.loop_vars())
        if k < 0.9:
            return str(self.r.randint(-3, 2))
        return str(self.r.randint(-self.L - 2, self.L + 1))  # sometimes out of range

    def index2(self):
        if self.p(0.8):
            return f"{self.int_expr(1)} % M.shape[0], {self.int_expr(1)} % M.shape[1]"
        return f"{self.r.randint(-self.R - 1, self.R)}, {self.r.randint(-self.C, self.C - 1)}"

    def in_loop(self):
        return bool(self.loop_vars())

    def loop_vars(self):
        return [v for v in self.pyints if v.startswith("i")]

    def slice_for(self, length, want):
        """A slice text of an axis of `length` giving `want` elements, or None."""
        r = self.r
        for _ in range(30):
            step = r.choice([1, 1, 1, 2, 3, -1, -2, None])
            start = r.choice([None, r.randint(-length - 1, length + 1)])
            stop = r.choice([None, r.randint(-length - 1, length + 1)])
            s = slice(start, stop, step)
            if len(range(*s.indices(length))) == want:
                txt = lambda v: "" if v is None else str(v)  # noqa: E731
                out = f"{txt(start)}:{txt(stop)}"
                if step is not None:
                    out += f":{step}"
                return out
        return None

    def slice_len(self):
        """A length some slice of a length-L array has."""
        if self.p(0.5) or self.L == 0:
            return self.L
        return self.r.randint(0, self.L)

    # ---- array expressions

    def arr_leaf(self, n, kind):
        r = self.r
        names = ["k"] if kind == "i" else ["x", "y", "t"]
        opts = []
        if n == self.L:
            opts += names * 2
        for _ in range(2):
            s = self.slice_for(self.L, n)
            if s is not None:
                opts.append(f"{r.choice(names)}[{s}]")
        if kind == "f":
            if n == self.C:
                opts.append(f"M[{self.int_expr(0)} % M.shape[0]]")
                opts.append(f"M[{r.randint(-self.R, self.R - 1)}, :]")
            if n == self.R:
                opts.append(f"M[:, {r.randint(-self.C, self.C - 1)}]")
            for name, ln in self.views:
                if ln == n:
                    opts.append(name)
        if not opts:
            if kind == "f":
                return f"np.zeros({n})" if self.p(0.5) else f"np.full({n}, {self.float_expr(0)})"
            return f"np.ones({n}, dtype=np.int64)"
        return r.choice(opts)

    def arr_expr(self, n, kind="f", d=2):
        r = self.r
        if d <= 0 or self.p(0.3):
            if kind == "f" and self.p(0.1):
                return f"({self.arr_leaf(n, 'i')} * 0.5)"
            return self.arr_leaf(n, kind)
        a, b = self.arr_expr(n, kind, d - 1), self.arr_expr(n, kind, d - 1)
        if kind == "i":
            op = r.choice(["+", "-", "*", "//k", "%k", "//", "%", "abs", "minmax", "scalar", "where"])
            if op in ("//k", "%k"):
                return f"({a} {op[:-1]} {r.choice([2, 3, -4])})"
            if op in ("//", "%"):
                return f"({a} {op} {b})"  # zeros in k: NumPy gives 0
            if op == "abs":
                return f"np.abs({a})"
            if op == "minmax":
                return f"{self.pick('np.minimum', 'np.maximum')}({a}, {b})"
            if op == "scalar":
                return f"({a} {self.pick('+', '*', '-')} {self.int_expr(1, self.p(0.3))})"
            if op == "where":
                return f"np.where({a} > {b}, {a}, {self.arr_expr(n, 'i', d - 1)})"
            return f"({a} {op} {b})"
        op = r.choice(["+", "-", "*", "/", "sin", "cos", "exp", "sqrt", "abs", "minmax", "scalar",
                       "where", "mixed", "helper"])
        if op == "/":
            return f"({a} / ({b} * {b} + 0.5))"
        if op in ("sin", "cos"):
            return f"np.{op}({a})"
        if op == "exp":
            return f"np.exp(np.sin({a}))"
        if op == "sqrt":
            return f"np.sqrt(np.abs({a}))"
        if op == "abs":
            return f"np.abs({a})"
        if op == "minmax":
            return f"{self.pick('np.minimum', 'np.maximum')}({a}, {b})"
        if op == "scalar":
            s = self.float_expr(1, self.p(0.4))
            return f"({a} {self.pick('+', '*', '-')} {s})" if self.p(0.7) else f"({s} - {a})"
        if op == "where":
            cond = f"{a} {r.choice(CMP)} {self.pick(b, self.float_expr(0))}"
            return f"np.where({cond}, {b}, {self.arr_expr(n, 'f', d - 1)})"
        if op == "mixed":
            return f"({a} {self.pick('+', '*', '-')} {self.arr_expr(n, 'i', d - 1)})"
        if op == "helper":
            return f"{self.array_helper()}({a}, {self.float_expr(0)})"
        return f"({a} {op} {b})"

    def arr2_expr(self, d=2):
        r = self.r
        if d <= 0 or self.p(0.3):
            leaves = ["M"]
            if self.R == self.C:
                leaves.append("M[::-1, ::-1]")
            if self.R >= 2:
                leaves.append(f"M[::-1]" if self.p(0.5) else "M[:, ::-1]")
            return r.choice(leaves)
        a, b = self.arr2_expr(d - 1), self.arr2_expr(d - 1)
        op = r.choice(["+", "-", "*", "row", "scalar", "sin", "abs", "minmax", "where"])
        if op == "row":
            return f"({a} {self.pick('+', '*', '-')} {self.arr_expr(self.C, 'f', d - 1)})"
        if op == "scalar":
            return f"({a} * {self.float_expr(1, self.p(0.4))})"
        if op == "sin":
            return f"np.sin({a})"
        if op == "abs":
            return f"np.abs({a})"
        if op == "minmax":
            return f"{self.pick('np.minimum', 'np.maximum')}({a}, {b})"
        if op == "where":
            return f"np.where({a} > {b}, {a}, {b})"
        return f"({a} {op} {b})"

    # ---- helpers (module-level functions f calls)

    def scalar_helper(self):
        name = f"h{len(self.helpers)}"
        g = Gen(self.r, False)  # a helper has its own a, b, n, m, c
        src = (f"def {name}(a, b, n):\n    m = n % 7\n    c = n > m\n"
               f"    if {g.cond(1)}:\n        return {g.float_expr(2)}\n"
               f"    return a - b\n")
        self.helpers.append(src)
        return name

    def array_helper(self):
        name = f"g{len(self.helpers)}"
        op = self.pick("v * s + 1.0", "np.sin(v) - s", "np.maximum(v, s)", "v[::-1] * s",
                       "np.where(v > s, v, -v)")
        self.helpers.append(f"def {name}(v, s):\n    return {op}\n")
        return name

    # ---- statements

    def emit(self, text):
        self.lines.append("    " * self.depth + text)

    def statement(self, budget):
        if self.tr is not None and budget > 1 and self.tr.random() < 0.05:
            self.try_statement(budget)
            return
        if self.use_ll and self.ll.random() < 0.15:
            saved, self.r = self.r, self.ll
            try:
                self.list_list_statement(budget)
            finally:
                self.r = saved
            return
        if self.coll and self.cl.random() < 0.3:
            saved, self.r = self.r, self.cl
            try:
                self.coll_statement(budget)
            finally:
                self.r = saved
            return
        r = self.r
        k = r.random()
        if k < 0.16:
            self.emit(f"{self.pick('a', 'b')} = {self.float_expr()}")
        elif k < 0.26:
            self.emit(f"{self.pick('n', 'm')} = {self.int_expr()} % 997")
        elif k < 0.32:
            self.emit(f"{self.pick('a', 'b')} {self.pick('+=', '-=', '*=')} {self.float_expr(1)}")
        elif k < 0.36:
            self.emit(f"c = {self.cond()}")
        elif k < 0.42:
            if self.p(0.5):
                self.emit(f"r = {self.float_expr(2, True)}")
            else:
                self.emit(f"q = np.int64({self.int_expr(2, True)})")
        elif k < 0.45:
            h = self.scalar_helper()
            self.emit(f"{self.pick('a', 'b')} = {h}({self.float_expr(1)}, {self.float_expr(1)}, "
                      f"{self.int_expr(1)})")
        elif k < 0.58 and budget > 1:
            self.emit(f"if {self.cond(1, self.p(0.3))}:")
            self.block(budget - 1)
            while self.p(0.3):
                self.emit(f"elif {self.cond(1, self.p(0.3))}:")
                self.block(budget - 1)
            if self.p(0.5):
                self.emit("else:")
                self.block(budget - 1)
        elif k < 0.66 and budget > 1:
            var = f"i{self.fresh}"
            self.fresh += 1
            kk = r.random()
            if kk < 0.35 and self.arrays:
                self.emit(f"for {var} in range({self.pick('len(x)', 'len(y)', 'M.shape[0]', 'M.shape[1]')}):")
            elif kk < 0.5:
                self.emit(f"for {var} in range({self.int_expr(1)} % {r.randint(1, 6)}):")
            else:
                start, stop = r.randint(-2, 2), r.randint(-2, 5)
                step = r.choice([1, 1, 2, -1, -2])
                if step < 0:
                    start, stop = max(start, stop), min(start, stop) - 1
                self.emit(f"for {var} in range({start}, {stop}, {step}):")
            self.pyints.append(var)
            self.loop_body(budget - 1)
            self.pyints.remove(var)
        elif k < 0.71 and budget > 1:
            var = f"w{self.fresh}"
            self.fresh += 1
            self.emit(f"{var} = 0")
            self.emit(f"while {var} < {r.randint(0, 5)}:")
            self.depth += 1
            self.emit(f"{var} += 1")
            self.depth -= 1
            self.pyints.append(var)
            self.loop_body(budget - 1)
            self.pyints.remove(var)
        elif self.arrays:
            self.array_statement()
        else:
            self.emit(f"r = {self.float_expr(2, True)}")

    def try_statement(self, budget):
        t = self.tr
        self.emit("try:")
        self.block(budget - 1)
        for _ in range(t.randint(1, 2)):
            classes = ["IndexError", "ZeroDivisionError", "(IndexError, ZeroDivisionError)",
                       "ArithmeticError", "LookupError", "ValueError", "Exception"]
            if self.coll:
                classes += ["KeyError", "(KeyError, ValueError)"]
            cls = t.choice(classes)
            self.emit(f"except {cls}:")
            self.block(budget - 1)
        if t.random() < 0.3:
            self.emit("else:")
            self.block(budget - 1)
        if t.random() < 0.3:
            self.emit("finally:")
            self.block(budget - 1)

    # ---- lists, dicts, sets, strings and print() (drawn from self.cl: see statement())
    #
    # Pools, as for scalars: li (a local list of Python ints) and lp (a list-of-ints argument,
    # its changes reflected into the caller's list), lf (a list of Python floats), d (a dict
    # of int keys and values), st (a set of ints), s (a constant string; a set of its characters is
    # listed in CPython's order). Int items are kept
    # small (`% 997`), lf gets Python floats only. Iterating a collection freezes it: its loop
    # body neither changes nor rebinds it (CPython's behaviour then is not sejit's subset).

    def ival(self):
        e = self.int_expr(1)
        # `c` (a bool) in int arithmetic gives ints, but min/max/if-else may return it as is:
        # a list, dict or set item must be an int, as sejit types it.
        return f"int({e})" if re.search(r"\bc\b", e) else e

    def ilist(self, write=False):
        names = [v for v in ("li", "lp") if not (write and v in self.frozen)]
        return self.r.choice(names) if names else None

    def lindex(self, name):
        if self.p(0.4):
            return str(self.r.randint(-3, 2))  # negative and out-of-range ones too
        return f"{self.ival()} % max(len({name}), 1)"  # IndexError when empty

    def small_cond(self, var):
        return f"{var} {self.r.choice(CMP)} {self.ival()}"

    def coll_statement(self, budget):
        k = self.r.random()
        if k < 0.32:
            self.list_statement(budget)
        elif k < 0.42:
            self.float_list_statement(budget)
        elif k < 0.6:
            self.dict_statement(budget)
        elif k < 0.7:
            self.set_statement()
        elif k < 0.78:
            self.string_statement(budget)
        elif k < 0.94:
            self.print_statement()
        else:
            self.emit(f"if {self.cond(1)}:")
            self.depth += 1
            self.emit(f"raise ValueError({self.message()})")
            self.depth -= 1

    def list_statement(self, budget):
        r = self.r
        w = self.ilist(write=True)
        name = self.ilist()
        if r.random() < 0.12:
            # in-place operators, comparisons of lists and printing them
            kk = r.random()
            if w is not None and kk < 0.3:
                self.emit(f"{w} += {self.pick(f'[{self.ival()} % 997]', name, 'li[:2]')}")
            elif w is not None and kk < 0.4:
                self.emit(f"{w} *= {r.randint(0, 2)}")
            elif kk < 0.75:
                other = self.pick("li", "lp", f"[{self.ival()} % 997]", "sorted(lp)")
                self.emit(f"c = {name} {r.choice(CMP + ['=='])} {other}")
            else:
                third = self.pick("[]", "li[:1]", 'f"{' + name + '}"')
                self.emit(f"print({name}, lf, {third})")
            return
        k = r.random()
        if w is not None and k < 0.4:
            op = r.choice(["append", "append", "extend", "insert", "pop", "popi", "index", "count",
                           "sort", "reverse", "clear", "store", "copy", "remove"])
            if op == "append":
                self.emit(f"{w}.append({self.ival()})")
            elif op == "extend":
                src = self.pick(f"[{self.ival()}, {self.ival()}]", f"list(range({r.randint(0, 3)}))",
                                f"[v * 2 for v in range({self.ival()} % 4)]")
                self.emit(f"{w}.extend({src})")
            elif op == "insert":
                self.emit(f"{w}.insert({self.ival()}, {self.ival()})")
            elif op == "pop":
                self.emit(f"{self.pick('n', 'm')} = {w}.pop() % 997")  # IndexError when empty
            elif op == "popi":
                self.emit(f"{self.pick('n', 'm')} = {w}.pop({self.lindex(w)}) % 997")
            elif op == "index":
                self.emit(f"{self.pick('n', 'm')} = {w}.index({self.ival()}) % 997")  # ValueError
            elif op == "remove":
                self.emit(f"{w}.remove({self.ival()})")  # ValueError when missing
            elif op == "count":
                self.emit(f"{self.pick('n', 'm')} = {w}.count({self.ival()}) % 997")
            elif op == "store":
                self.emit(f"{w}[{self.lindex(w)}] = {self.ival()} % 997")
            elif op == "clear" and self.p(0.5):
                self.emit(f"{w}.clear()")
            elif op == "copy" and "li" not in self.frozen:
                self.emit(f"li = {self.pick('lp', 'li')}.copy()")
            else:
                self.emit(f"{w}.{self.pick('sort', 'reverse')}()")
        elif k < 0.55 and "li" not in self.frozen:
            kk = r.random()
            if kk < 0.2:
                self.emit(f"li = [{', '.join(self.ival() for _ in range(r.randint(1, 4)))}]")
            elif kk < 0.35:
                self.emit(f"li = list(range({self.ival()} % 6))")
            elif kk < 0.45:
                self.emit(f"li = [{self.ival()} % 997] * ({self.ival()} % 4)")
            elif kk < 0.7:
                inner = f" for u in range({r.randint(1, 3)})" if self.p(0.2) else ""
                item = f"(v * 3 + {'u' if inner else self.ival()}) % 997"
                cond = f" if {self.small_cond('v')}" if self.p(0.6) else ""
                self.emit(f"li = [{item} for v in {name}{inner}{cond}]")
            elif kk < 0.78 and self.arrays:
                self.emit(f"li = [int(v) % 997 for v in k if v {r.choice(CMP)} {r.randint(-3, 3)}]")
            elif kk < 0.85:
                self.emit(f"li = sorted({name})")
            elif kk < 0.93:
                self.emit(f"li = {name} + [{self.ival()}]")
            else:
                self.emit(f"li = {name} * {r.randint(0, 2)}")
        elif k < 0.8:
            kk = r.random()
            tgt = self.pick("n", "m")
            if kk < 0.25:
                self.emit(f"{tgt} = {name}[{self.lindex(name)}] % 997")
            elif kk < 0.4:
                self.emit(f"{tgt} = len({name}) % 997")
            elif kk < 0.55:
                self.emit(f"c = {self.ival()} {self.pick('in', 'not in')} {name}")
            elif kk < 0.75:
                self.emit(f"{tgt} = {self.pick('sum', 'min', 'max', 'sum')}({name}) % 997")
            elif kk < 0.85:
                self.emit(f"{tgt} = sum([v * 2 for v in {name} if {self.small_cond('v')}]) % 997")
            else:
                g = r.choice([f"sum(v * v for v in {name}) % 997",
                              f"max(v for v in {name} if {self.small_cond('v')}) % 997",
                              f"sum(j * v for j, v in enumerate({name})) % 997",
                              f"sum(u * v for u, v in zip(li, lp)) % 997",
                              f"int({self.pick('any', 'all')}(v {r.choice(CMP)} {self.ival()} "
                              f"for v in {name}))"])
                self.emit(f"{tgt} = {g}")
        elif budget > 1:
            if self.p(0.7):
                var = f"e{self.fresh}"
                self.fresh += 1
                self.emit(f"for {var} in {name}:")
                self.frozen.add(name)
                self.pyints.append(var)
                self.loop_body(budget - 1)
                self.pyints.remove(var)
                self.frozen.discard(name)
            elif w is not None:
                var = f"w{self.fresh}"
                self.fresh += 1
                self.emit(f"{var} = 0")
                self.emit(f"while len({w}) > 0 and {var} < {r.randint(1, 4)}:")
                self.depth += 1
                self.emit(f"{var} += 1")
                self.emit(f"{self.pick('n', 'm')} = {w}.pop() % 997")
                self.depth -= 1
                self.pyints.append(var)
                self.block(budget - 1)
                self.pyints.remove(var)
        else:
            self.emit(f"n = len({name}) % 997")

    def float_list_statement(self, budget):
        r = self.r
        k = r.random()
        free = "lf" not in self.frozen
        if free and k < 0.3:
            self.emit(f"lf.append({self.float_expr(1)})")
        elif free and k < 0.4:
            self.emit(f"lf[{self.lindex('lf')}] = {self.float_expr(1)}")
        elif free and k < 0.5:
            self.emit(f"lf = [v * 0.5 for v in lf if v {r.choice(CMP)} {self.float_expr(0)}]")
        elif free and k < 0.55:
            self.emit(f"lf = [{self.float_expr(1)}, {self.float_expr(1)}]")
        elif free and k < 0.6 and self.arrays:
            self.emit(f"lf = [float(v) for v in {self.pick('x', 'y', 'M[0]')}]")
        elif k < 0.65:
            self.emit(f"r = np.{self.pick('sum', 'mean')}(np.{self.pick('array', 'asarray')}(lf))")
        elif k < 0.7:
            self.emit(f"q = np.sum(np.array(li + [{self.ival()}]))")
        elif k < 0.8:
            self.emit(f"{self.pick('a', 'b')} = {self.pick('sum', 'min', 'max', 'sum')}(lf)")
        elif k < 0.9:
            self.emit(f"{self.pick('a', 'b')} = lf[{self.lindex('lf')}]")
        else:
            var = f"e{self.fresh}"
            self.fresh += 1
            self.emit(f"for {var} in lf:")
            self.depth += 1
            self.emit(f"{self.pick('a', 'b')} += {var}")
            self.depth -= 1

    def dict_statement(self, budget):
        r = self.r
        free = "d" not in self.frozen
        k = r.random()
        tgt = self.pick("n", "m")
        if free and k < 0.4:
            op = r.choice(["store", "store", "aug", "del", "pop", "popk", "setdefault", "comp",
                           "display"])
            if op == "store":
                self.emit(f"d[{self.ival()}] = {self.ival()} % 997")
            elif op == "aug":
                self.emit(f"d[{self.ival()}] += {self.ival()} % 997")  # KeyError when missing
            elif op == "del":
                self.emit(f"del d[{self.ival()}]")
            elif op == "pop":
                self.emit(f"{tgt} = d.pop({self.ival()}, {self.ival()}) % 997")
            elif op == "popk":
                self.emit(f"{tgt} = d.pop({self.ival()}) % 997")
            elif op == "setdefault":
                self.emit(f"{tgt} = d.setdefault({self.ival()}, {self.ival()}) % 997")
            elif op == "comp":
                cond = f" if {self.small_cond('v')}" if self.p(0.5) else ""
                self.emit(f"d = {{v: (v * {r.randint(1, 5)} + {self.ival()}) % 997 for v in "
                          f"{self.ilist()}{cond}}}")
            else:
                self.emit(f"d = {{{self.ival()}: {self.ival()} % 997, {self.ival()}: 1}}")
        elif k < 0.75:
            kk = r.random()
            if kk < 0.2:
                self.emit(f"{tgt} = d[{self.ival()}] % 997")
            elif kk < 0.4:
                self.emit(f"{tgt} = d.get({self.ival()}, {self.ival()}) % 997")
            elif kk < 0.55:
                key = self.ival() if self.p(0.7) else self.float_expr(0)  # 2.0 finds the key 2
                self.emit(f"c = {key} {self.pick('in', 'not in')} d")
            elif kk < 0.65:
                self.emit(f"{tgt} = len(d) % 997")
            elif kk < 0.8:
                self.emit(f"{tgt} = {self.pick('sum', 'max', 'min')}(d.{self.pick('keys', 'values')}()) % 997")
            elif "li" not in self.frozen:
                self.emit(f"li = {self.pick('sorted(d)', 'list(d.values())', 'list(d)', 'sorted(d.values())')}")
            else:
                self.emit(f"{tgt} = len(d) % 997")
        elif budget > 1:
            var = f"e{self.fresh}"
            self.fresh += 1
            how = r.choice(["d", "d.keys()", "d.values()", "d.items()"])
            if how == "d.items()":
                self.emit(f"for {var}, {var}v in d.items():")
            else:
                self.emit(f"for {var} in {how}:")
            self.frozen.add("d")
            self.pyints.append(var)
            if how == "d.items()":
                self.pyints.append(f"{var}v")
            self.loop_body(budget - 1)
            self.pyints = [v for v in self.pyints if v not in (var, f"{var}v")]
            self.frozen.discard("d")
        else:
            self.emit(f"{tgt} = len(d) % 997")

    def set_statement(self):
        r = self.r
        k = r.random()
        tgt = self.pick("n", "m")
        if k < 0.35:
            self.emit(f"st.{self.pick('add', 'add', 'discard', 'remove')}({self.ival()})")
        elif k < 0.55:
            other = f"{{{', '.join(self.ival() for _ in range(r.randint(1, 3)))}}}"
            self.emit(f"st = st {self.pick('|', '&', '-')} {self.pick(other, 'st')}")
        elif k < 0.65:
            cond = f" if {self.small_cond('v')}" if self.p(0.5) else ""
            self.emit(f"st = {{v % {r.randint(1, 7)} for v in {self.ilist()}{cond}}}")
        elif k < 0.75:
            self.emit(f"c = {self.ival()} {self.pick('in', 'not in')} st")
        elif k < 0.88 and "li" not in self.frozen:
            # A set of strings listed in CPython's order (the process's str hash).
            extra = "".join(r.choice("abcxyzé€😀") for _ in range(r.randint(0, 6)))
            self.emit(f"li = [ord(ch) for ch in set(s + {extra!r})]")
        elif k < 0.95:
            self.emit(f"{tgt} = {self.pick('len', 'sum', 'min', 'max')}(st) % 997")
        elif "li" not in self.frozen:
            self.emit("li = sorted(st)")
        else:
            self.emit(f"{tgt} = len(st) % 997")

    def string_statement(self, budget):
        r = self.r
        k = r.random()
        text = self.s
        if k < 0.3:
            other = self.pick("s", f"s + {self.pick('cd', 'x', '')!r}", repr(text + "q"), "'xy'")
            self.emit(f"{self.pick('n', 'm')} = ({self.ival()} + len({other})) % 997")
        elif k < 0.5:
            self.emit(f"c = s {self.pick('==', '!=')} {self.pick(repr(text), repr('ab'), 's')}")
        elif k < 0.65:
            self.emit(f"c = {self.pick(repr('a'), repr('b-'), repr(text[:2]))} {self.pick('in', 'not in')} s")
        elif k < 0.8 and text:
            j = r.randint(-len(text), len(text) - 1)
            self.emit(f"c = s[{j}] {self.pick('==', '!=')} {r.choice(text)!r}")
        elif budget > 1:
            var = f"ch{self.fresh}"
            self.fresh += 1
            self.emit(f"for {var} in s:")
            self.depth += 1
            self.emit(f"if {var} == {self.pick('a', 'l', '-', 'z')!r}:")
            self.depth += 1
            self.emit(f"n = (n + {self.ival()}) % 997")
            self.depth -= 1
            self.depth -= 1
            self.block(budget - 1)  # unrolled: no break or continue at this level
        else:
            self.emit(f"c = s == {text!r}")

    def fmt_field(self):
        """(expression, f-string field) of a number, with a format spec or not."""
        r = self.r
        k = r.random()
        if k < 0.4:
            e = self.pick("n", "m", "len(li)", f"({self.ival()})")
            return e, self.pick("", "", ":d", ":5d", ":x", "!r")
        if k < 0.75:
            e = self.pick("a", "b", f"({self.float_expr(1)})")
            return e, self.pick("", ":.3f", ":.4g", ":e", ":8.2f")
        if k < 0.85:
            return "c", ""
        return self.pick("r", "q"), self.pick("", ":.3f") if self.p(0.5) else ""

    def message(self):
        """A computed exception message (starting "fz": compare() checks its text)."""
        k = self.r.random()
        e1, s1 = self.fmt_field()
        e2, s2 = self.fmt_field()
        if k < 0.6:
            return f'f"fz {e1}={{{e1}{s1}}} and {{{e2}{s2}}}"'
        if k < 0.8:
            return f'"fz {{}} {{}}".format({e1}, {e2})'
        return f'"fz %d %s" % ({self.pick("n", "m")}, {e2})'

    def print_statement(self):
        r = self.r
        items = []
        for _ in range(r.randint(1, 3)):
            k = r.random()
            if k < 0.35:
                e, spec = self.fmt_field()
                items.append(e if r.random() < 0.5 and "q" != e else f'f"{{{e}{spec}}}"')
            elif k < 0.45:
                items.append(repr(self.pick("x", "", "a b", self.s)))
            elif k < 0.55:
                items.append(f"({self.pick('n', 'm')}, {self.pick('a', 'b', 'c')})")
            elif k < 0.65 and self.arrays:
                items.append(self.pick("x", "k", "M", "y[::2]"))
            elif k < 0.75:
                items.append(f"str({self.pick('n', 'm', 'a')})")
            elif k < 0.85:
                items.append(f'"{self.pick("%d", "%5d", "%x")}|%.3f" % ({self.pick("n", "m")}, '
                             f'{self.pick("a", "b")})')
            else:
                items.append(f'"{{}}-{{:.2f}}".format({self.pick("n", "m")}, {self.pick("a", "b")})')
        kw = ""
        if r.random() < 0.2:
            kw = f", {self.pick('sep', 'end')}={self.pick(',', ' | ', '', chr(10) * 2)!r}"
        self.emit(f"print({', '.join(items)}{kw})")

    def coll_prologue(self):
        self.coll = True
        saved, self.r = self.r, self.cl
        r = self.r
        self.s = r.choice(["ab", "hello", "", "a-b-c", "xyz", "lab"])
        self.emit(f"li = [{', '.join(self.ival() for _ in range(r.randint(1, 4)))}]")
        self.emit(f"lf = [{', '.join(self.float_expr(1) for _ in range(r.randint(1, 3)))}]")
        self.emit(f"d = {{{self.ival()}: {self.ival()} % 997, {r.randint(-3, 9)}: 1}}")
        self.emit(f"st = {{{self.ival()}, {r.randint(-3, 9)}}}")
        self.emit(f"s = {self.s!r}")
        self.r = saved
        if self.ll is not None and self.ll.random() < 0.5:
            self.use_ll = True
            saved, self.r = self.r, self.ll
            # the first row has an item: rows that stay empty have no type to compile for
            rows = [f"[{', '.join(self.ival() for _ in range(self.r.randint(j == 0, 3)))}]"
                    for j in range(self.r.randint(1, 3))]
            self.emit(f"ll = [{', '.join(rows)}]")
            self.r = saved

    def list_list_statement(self, budget):
        """A statement on ll, a list of lists of ints: rows appended to, read, sorted, shared
        (`lr = ll[i]` is the row itself), built by nested comprehensions; loops over ll or a
        row run one statement that changes no list's length but the row's own."""
        r = self.r
        k = r.random()
        row = f"ll[{self.ival()} % max(len(ll), 1)]"  # IndexError when ll is empty
        tgt = self.pick("n", "m")
        free = "ll" not in self.frozen
        if r.random() < 0.2:
            # a row changed in place under its two names, rows compared, sorted and printed
            kk = r.random()
            if free and kk < 0.25:
                self.emit(f"lr = {row}")
                self.emit(f"lr += {self.pick(f'[{self.ival()} % 997]', 'lr', '[]')}")
            elif free and kk < 0.35:
                self.emit(f"{row} += [{self.ival()} % 997]")
            elif kk < 0.55:
                self.emit("if ll:")
                self.depth += 1
                self.emit(f"c = ll[0] {r.choice(CMP + ['=='])} {self.pick('ll[-1]', f'[{self.ival()}]', 'lp')}")
                self.depth -= 1
            elif kk < 0.65:
                self.emit(f"c = {self.pick('li', 'lp', '[1]')} in ll")
            elif free and kk < 0.8:
                self.emit(self.pick("ll.sort()", "ll = sorted(ll)", "ll.sort(reverse=True)"))
            elif free and kk < 0.9:
                self.emit("if ll:")
                self.depth += 1
                self.emit(f"lr = {self.pick('max', 'min')}(ll)")
                self.emit(f"lr.append({self.ival()} % 997)")
                self.depth -= 1
            else:
                self.emit(f"print(ll, {self.pick('ll[:1]', 'str(ll)')})")
            return
        if free and k < 0.2:
            self.emit(f"{row}.append({self.ival()} % 997)")
        elif free and k < 0.28:
            items = ", ".join(f"{self.ival()} % 997" for _ in range(r.randint(0, 2)))
            if self.p(0.7):
                self.emit(f"ll.append([{items}])")
            else:
                self.emit(f"ll.insert({r.randint(-2, 2)}, [{items}])")
        elif free and k < 0.34:
            self.emit(f"lr = {row}")
            self.emit(f"lr.append({self.ival()} % 997)")
        elif free and k < 0.4:
            self.emit("if ll:")
            self.depth += 1
            self.emit(f"{tgt} = len(ll.pop({self.pick('', '0', '-1')})) % 997")
            self.depth -= 1
        elif free and k < 0.48:
            self.emit(f"ll = [[(v * {r.randint(1, 4)} + j) % 997 for j in range(v % {r.randint(1, 4)})] "
                      f"for v in {self.ilist()}]")
        elif free and k < 0.53:
            self.emit(f"ll = ll + [[{self.ival()} % 997]] * {r.randint(0, 2)}")
        elif free and k < 0.58:
            self.emit(f"{row}[{self.ival()} % max(len({row}), 1)] = {self.ival()} % 997")
        elif free and k < 0.64:
            self.emit(f"{row}.{self.pick('sort', 'reverse')}()")
        elif k < 0.72:
            self.emit(f"{tgt} = {self.pick('sum', 'len', 'len')}({row}) % 997")
        elif k < 0.78:
            self.emit("if ll:")
            self.depth += 1
            self.emit(f"{tgt} = {self.pick('max', 'min')}(len(v) for v in ll) % 997")
            self.depth -= 1
        elif k < 0.84:
            self.emit(f"q = np.sum(np.array([[{self.ival()}, 1], [2, {self.ival()}]]))")
        elif budget > 1 and k < 0.92 and free:
            var = f"e{self.fresh}"
            self.fresh += 1
            self.emit(f"for {var} in ll:")
            self.depth += 1
            self.emit(f"{var}.append(len({var}) % 997)" if self.p(0.5) else f"{tgt} = ({tgt} + len({var})) % 997")
            self.depth -= 1
        elif budget > 1:
            var = f"e{self.fresh}"
            self.fresh += 1
            self.emit(f"for {var} in {row}:")
            self.depth += 1
            self.emit(f"{tgt} = ({tgt} + {var}) % 997")
            self.depth -= 1
        else:
            self.emit(f"{tgt} = len(ll) % 997")

    def array_statement(self):
        r = self.r
        k = r.random()
        L = self.L
        if k < 0.12:
            self.emit(f"y[:] = {self.computed(self.arr_expr(L))}")
        elif k < 0.2:
            self.emit(f"t = {self.arr_expr(L, 'f', 2)} * 1.0")  # a fresh array, never an alias
        elif k < 0.32:
            s = self.slice_for(L, self.slice_len())
            if s is None:
                s = ":"
            n = self._slen(s)
            self.emit(f"{self.pick('y', 't')}[{s}] {self.pick('=', '=', '+=', '-=', '*=')} "
                      f"{self.computed(self.arr_expr(n)) if self.p(0.7) else self.float_expr(1, self.p(0.3))}")
        elif k < 0.38:
            s = self.slice_for(L, self.slice_len()) or ":"
            self.emit(f"k[{s}] {self.pick('=', '+=', '-=', '//=', '%=')} "
                      f"{self.computed(self.arr_expr(self._slen(s), 'i'), 'i') if self.p(0.6) else self.int_expr(1, self.p(0.3))}")
        elif k < 0.5:
            self.emit(f"r {self.pick('=', '+=', '-=')} {self.reduction()}")
        elif k < 0.55:
            red = self.pick("np.sum", "np.min", "np.max", "np.prod")
            self.emit(f"q = {red}({self.arr_expr(self.slice_len(), 'i', 1)})")
        elif k < 0.67:
            arr = self.pick("y", "t")
            self.emit(f"{arr}[{self.index(arr)}] {self.pick('=', '+=', '-=')} {self.float_expr(1, True)}")
        elif k < 0.72:
            self.emit(f"k[{self.index('k')}] {self.pick('=', '+=')} {self.int_expr(1, self.p(0.4))}")
        elif k < 0.8:
            self.emit(f"M[{self.index2()}] {self.pick('=', '+=', '*=')} {self.float_expr(1, True)}")
        elif k < 0.88:
            kk = r.random()
            if kk < 0.3:
                self.emit(f"M[:, :] = {self.computed(self.arr2_expr())}")
            elif kk < 0.5:
                self.emit(f"M {self.pick('+=', '*=', '-=')} {self.arr2_expr(1)}")
            elif kk < 0.75:
                self.emit(f"M[{self.int_expr(1)} % M.shape[0]] = {self.computed(self.arr_expr(self.C, 'f', 1))}")
            else:
                self.emit(f"M[:, {r.randint(-self.C, self.C - 1)}] = {self.computed(self.arr_expr(self.R, 'f', 1))}")
        elif k < 0.935:
            self.rebinding()
        elif k < 0.965 and self.depth == 1 and len(self.views) < 2:
            s = self.slice_for(L, self.slice_len()) or "::-1"
            name = f"v{self.fresh}"
            self.fresh += 1
            self.emit(f"{name} = y[{s}]")
            self.views.append((name, self._slen(s)))
            if self.p(0.5):
                self.emit(f"{name} {self.pick('+=', '*=')} {self.float_expr(1)}")
        else:
            self.emit(f"y {self.pick('+=', '-=', '*=')} {self.arr_expr(L, 'f', 1)}")

    def rebinding(self):
        """Swapping and rebinding the array parameters and locals: double buffering."""
        r = self.r
        L = self.L
        k = r.random()
        if k < 0.3:
            self.emit("x, y = y, x")
        elif k < 0.45:
            # y may be returned later: it then is x, as CPython returns it.
            self.emit(f"y[:] = {self.computed(self.arr_expr(L, 'f', 1))}")
            self.emit("y = x")
        elif k < 0.55:
            self.emit("t = y")
            self.emit(f"t[{self.slice_for(L, self.slice_len()) or ':'}] {self.pick('=', '+=')} "
                      f"{self.float_expr(1)}")
        elif k < 0.8 and L >= 2:
            var = f"s{self.fresh}"
            self.fresh += 1
            self.emit(f"for {var} in range({r.randint(1, 3)}):")
            self.depth += 1
            self.emit(f"y[1:] = {self.pick('0.5', '0.25', '2.0')} * (x[:-1] + x[1:]) "
                      f"{self.pick('+', '-')} y[1:]")
            self.emit("x, y = y, x")
            self.depth -= 1
        elif self.R == self.C and self.R > 1:
            self.emit(f"M[:, :] = M.T {self.pick('+', '-', '*')} {self.arr2_expr(1)}")
        else:
            self.emit(f"y[:] = x[::-1] {self.pick('+', '-', '*')} {self.arr_expr(L, 'f', 1)}")

    @staticmethod
    def computed(expr, kind="f"):
        """expr, made a computed value when it is a bare array or view: NumPy copies a 1-D view
        into an overlapping one with other strides element by element, front to back, without
        the copy-on-overlap its ufuncs make (numpy/numpy#6272; docs/reliability.md), where
        sejit's assignment reads the whole right side first."""
        m = re.match(r"[A-Za-z_]\w*", expr)
        rest = expr[m.end():] if m else None
        if rest == "" or rest and rest[0] == "[" and _closing(rest) == len(rest) - 1:
            return f"{expr} * {'1.0' if kind == 'f' else '1'}"
        return expr

    def _slen(self, s):
        parts = [int(p) if p else None for p in s.split(":")]
        while len(parts) < 3:
            parts.append(None)
        return len(range(*slice(*parts).indices(self.L)))

    def loop_body(self, budget):
        self.block(budget)
        if self.p(0.5):
            self.depth += 1
            self.emit(f"if {self.cond(1, self.p(0.2))}:")
            self.depth += 1
            self.emit(self.pick("break", "continue"))
            self.depth -= 2
            if self.p(0.5):
                self.block(budget)

    def block(self, budget):
        self.depth += 1
        for _ in range(self.r.randint(1, 3)):
            self.statement(budget)
        self.depth -= 1

    def program(self):
        if self.arrays:
            head = "def f(x, y, k, M, a, b, n, m):"
            self.lines += ["    t = x * 0.5", "    r = 0.0", "    q = np.sum(k)", "    c = n > m"]
        else:
            head = "def f(a, b, n, m):"
            self.lines += ["    r = 0.0", "    q = np.int64(n)", "    c = n > m"]
        if self.cl is not None and self.cl.random() < 0.5:
            self.coll_prologue()
            head = head[:-2] + ", lp):"
        for _ in range(self.r.randint(2, 7)):
            self.statement(3)
        outs = ["a", "b", "n", "m", "c", "r", "q"]
        if self.arrays:
            outs += ["t", "y", "x[1:]", "y[::-2]", "M", "k"] + [v for v, _ in self.views]
        if self.coll:
            outs += ["li", "lp", "lf", "sorted(d)", "sorted(st)", "sum(d.values())", "len(s)"]
        chosen = self.r.sample(outs, self.r.randint(1, min(5, len(outs))))
        if self.use_ll:
            chosen.append("ll")
        self.lines.append(f"    return {', '.join(chosen)}")
        body = "\n".join([head] + self.lines) + "\n"
        return "import math\n\nimport numpy as np\n\n\n" + "\n\n".join(self.helpers + [body])


def make_args(rng, gen, call, layout="C"):
    """The arguments of one call: dyadic values (exact sums in any order), mixed layouts."""
    if not gen.arrays:
        sets = [(1.5, -0.25, 3, -7), (-2.0, 4.0, 0, 11), (0.125, 0.0, -4, 0), (3.25, -1.5, 7, 2)]
        if call < len(sets) and rng.random() < 0.5:
            return sets[call]
        return (float(rng.integers(-32, 33)) / 8, float(rng.integers(-32, 33)) / 8,
                int(rng.integers(-9, 10)), int(rng.integers(-9, 10)))

    def arr(shape, kind):
        if kind == "i":
            base = rng.integers(-5, 6, size=shape).astype(np.int64)
        else:
            base = rng.integers(-32, 33, size=shape).astype(np.float64) / 8
        return with_layout(base, layout)

    x, y = arr(gen.L, "f"), arr(gen.L, "f")
    if gen.share:
        x, y = share(x, y, gen.share)
    k = arr(gen.L, "i")
    M = arr((gen.R, gen.C), "f")
    return (x, y, k, M, float(rng.integers(-32, 33)) / 8, float(rng.integers(-16, 17)) / 8,
            int(rng.integers(-9, 10)), int(rng.integers(-9, 10)))


def share(x, y, how):
    """x and y as two views of one buffer: the same array, one reversed, interleaved, shifted."""
    if how == "same":
        return x, x
    if how == "reversed":
        return x, x[::-1]
    n = len(x)
    if how == "interleaved":
        buf = np.zeros(2 * n, x.dtype)
        buf[::2], buf[1::2] = x, y
        return buf[::2], buf[1::2]
    buf = np.zeros(n + 1, x.dtype)  # shifted by one element
    buf[:n] = x
    if n:
        buf[n] = y[-1]
    return buf[:n], buf[1:]


def with_layout(a, layout):
    if layout == "C" or a.size == 0:
        return np.ascontiguousarray(a)
    if layout == "F":
        return np.asfortranarray(a)
    if layout == "strided":
        big = np.zeros(tuple(2 * s for s in a.shape), a.dtype)
        v = big[(slice(None, None, 2),) * a.ndim]
        v[...] = a
        return v
    big = np.ascontiguousarray(a[(slice(None, None, -1),) * a.ndim])
    return big[(slice(None, None, -1),) * a.ndim]  # a reversed view with a's values


def program(seed, i):
    """(source, list of argument tuples) of program i of the seed."""
    rng = random.Random(f"{seed}:{i}")
    gen = Gen(rng, arrays=rng.random() < 0.65)
    gen.tr = random.Random(f"{seed}:{i}:try")
    gen.cl = random.Random(f"{seed}:{i}:coll")
    gen.ll = random.Random(f"{seed}:{i}:ll")
    src = gen.program()
    nrng = np.random.default_rng([seed, i])
    # one layout per program (one compile for both calls of an array program)
    layout = str(nrng.choice(["C", "C", "strided", "reversed", "F"]))
    if gen.arrays and gen.share:
        layout = "C"  # the shared views make their own layouts
    calls = [make_args(nrng, gen, c, layout) for c in range(2 if gen.arrays else 4)]
    if gen.coll:
        # the list argument, from a stream of its own (the other arguments stay the same)
        lrng = random.Random(f"{seed}:{i}:lp")
        calls = [c + ([lrng.randint(-9, 9) for _ in range(lrng.randint(1, 5))],) for c in calls]
    return src, calls, gen.arrays


# --------------------------------------------------------------------------- running and comparing


def clone(v, memo=None):
    """A deep copy keeping each array's layout, and which arrays view one buffer."""
    memo = {} if memo is None else memo
    if isinstance(v, np.ndarray):
        root = v if v.base is None else v.base
        if not isinstance(root, np.ndarray) or root.base is not None:
            root = None
        if root is not None and (root.flags.c_contiguous or root.flags.f_contiguous):
            if id(root) not in memo:
                memo[id(root)] = (root, root.copy(order="K"))
            new_root = memo[id(root)][1]
            offset = v.__array_interface__["data"][0] - root.__array_interface__["data"][0]
            return np.ndarray(v.shape, v.dtype, buffer=new_root, offset=offset, strides=v.strides)
        if v.size == 0 or v.flags.c_contiguous or v.flags.f_contiguous:
            return v.copy(order="K")
        layout = "reversed" if any(s < 0 for s in v.strides) else "strided"
        return with_layout(v.copy(), layout)
    if isinstance(v, tuple):
        return tuple(clone(e, memo) for e in v)
    if isinstance(v, list):
        return [clone(e, memo) for e in v]
    return v


COMPILE_MISS = ("UnsupportedError", "TypingError", "NameError", "SyntaxError")


class Mismatch(Exception):
    pass


def run_one(fn, args):
    """(outcome, value, what it printed)."""
    out = io.StringIO()
    with np.errstate(all="ignore"), warnings.catch_warnings(), contextlib.redirect_stdout(out):
        warnings.simplefilter("ignore")
        try:
            return ("ok", fn(*args), out.getvalue())
        except Exception as e:  # noqa: BLE001 — any exception is an outcome to compare
            return ("raise", e, out.getvalue())


def _dtype(v):
    if isinstance(v, np.generic):
        return v.dtype
    if isinstance(v, bool):
        return np.dtype(bool)
    if isinstance(v, int):
        return np.dtype(np.int64)
    if isinstance(v, float):
        return np.dtype(np.float64)
    return None


def same(e, g, where):
    if isinstance(e, list):
        if not isinstance(g, list) or len(g) != len(e):
            raise Mismatch(f"{where}: expected the list {e!r}, got {g!r}")
        for j, (ee, gg) in enumerate(zip(e, g)):
            same(ee, gg, f"{where}[{j}]")
        return
    if isinstance(e, tuple):
        if not isinstance(g, tuple) or len(g) != len(e):
            raise Mismatch(f"{where}: expected a tuple of {len(e)}, got {g!r}")
        for j, (ee, gg) in enumerate(zip(e, g)):
            same(ee, gg, f"{where}[{j}]")
        return
    if isinstance(e, np.ndarray):
        if not isinstance(g, np.ndarray):
            raise Mismatch(f"{where}: expected an array, got {g!r}")
        if e.dtype != g.dtype or e.shape != g.shape:
            raise Mismatch(f"{where}: {g.dtype}{g.shape} != {e.dtype}{e.shape}")
        dt = e.dtype
    else:
        if isinstance(g, np.ndarray) or _dtype(g) != _dtype(e):
            raise Mismatch(f"{where}: got {g!r} ({type(g).__name__}), expected {e!r} "
                           f"({type(e).__name__})")
        dt = _dtype(e)
    if dt.kind in "biu":
        ok = np.array_equal(e, g)
    else:
        ok = np.allclose(g, e, rtol=1e-12, atol=0.0, equal_nan=True)
    if not ok:
        raise Mismatch(f"{where}: got {g!r}, expected {e!r}")


def leaves(v):
    if isinstance(v, np.ndarray):
        yield v
    elif isinstance(v, tuple):
        for e in v:
            yield from leaves(e)


def compare(ref, got, ref_args, jit_args):
    """None when the outcomes agree, else a short description."""
    rk, rv, rout = ref
    gk, gv, gout = got
    if rout != gout:
        return f"printed {gout!r}, CPython printed {rout!r}"
    if rk == "raise" or gk == "raise":
        if rk == "raise" and gk == "raise" and isinstance(gv, type(rv)):
            # messages the generator computed (raise ValueError(f"fz ...")) must agree too
            if str(rv).startswith("fz") and str(gv) != str(rv):
                return f"CPython raised {type(rv).__name__}: {rv}; jit raised the message {gv}"
            # What the arrays and lists hold after the exception: the changes made before it.
            try:
                for j, (pa, ja) in enumerate(zip(ref_args, jit_args)):
                    if isinstance(pa, (np.ndarray, list)):
                        same(pa, ja, f"argument {j} after the exception")
            except Mismatch as m:
                return f"{m} (both raised {type(rv).__name__})"
            return None
        describe = lambda k, v: (f"returned {v!r}" if k == "ok"  # noqa: E731
                                 else f"raised {type(v).__name__}: {v}")
        return f"CPython {describe(rk, rv)}; jit {describe(gk, gv)}"
    try:
        same(rv, gv, "result")
        for j, (pa, ja) in enumerate(zip(ref_args, jit_args)):
            if isinstance(pa, (np.ndarray, list)):
                same(pa, ja, f"argument {j} after the call")
        for j, (e, g) in enumerate(zip(leaves(rv), leaves(gv))):
            for ai, (pa, ja) in enumerate(zip(ref_args, jit_args)):
                if isinstance(pa, np.ndarray):
                    if np.may_share_memory(e, pa) != np.may_share_memory(g, ja):
                        raise Mismatch(f"returned array {j} shares memory with argument {ai} "
                                       f"in one run only")
    except Mismatch as m:
        return str(m)
    return None


_counter = [0]


def load(src, workdir):
    _counter[0] += 1
    name = f"fz_{os.getpid()}_{_counter[0]}"
    path = os.path.join(workdir, name + ".py")
    with open(path, "w") as fh:
        fh.write(src)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def compiled(fast, args):
    """Whether fast holds a specialization for args (else their compile failed)."""
    try:
        key = fast._key(args)
        if key is None:  # lists take the Python path, without a fast key: any signature
            return bool(fast.signatures)
        return bool(fast._has(key))
    except Exception:  # noqa: BLE001 — the dispatcher's private API changed: guess from signatures
        return bool(fast.signatures)


def check_program(src, calls, workdir):
    """('ok'|'miss'|'mismatch', detail, call index)."""
    from sejit import jit

    mod = load(src, workdir)
    fast = jit(mod.f)
    for ci, args in enumerate(calls):
        ref_args, jit_args = clone(args), clone(args)
        ref = run_one(mod.f, ref_args)
        got = run_one(fast, jit_args)
        if got[0] == "raise" and not compiled(fast, jit_args):
            # the compile (or loading the artifact) failed
            e = got[1]
            name = type(e).__name__
            if name in COMPILE_MISS or (name == "ValueError" and ":" in str(e).split("\n")[0]
                                        and "line" in str(e)):
                return "miss", f"{name}: {str(e).splitlines()[0] if str(e) else ''}", ci
            return "mismatch", f"compile failed: {name}: {e}", ci
        d = compare(ref, got, ref_args, jit_args)
        if d is not None:
            return "mismatch", d, ci
    return "ok", "", 0


# --------------------------------------------------------------------------- reduction


def _stmt_lists(tree):
    """Every statement list in f (bodies of f, ifs, loops), outermost first."""
    out = []
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            lst = getattr(node, field, None)
            if isinstance(lst, list) and lst and isinstance(lst[0], ast.stmt):
                out.append(lst)
    return out


def _replacements(node):
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.IfExp):
        return [node.body, node.orelse, node.test]
    if isinstance(node, ast.Compare):
        out = [node.left] + list(node.comparators)
        if len(node.ops) > 1:
            for j in range(len(node.ops)):
                left = node.left if j == 0 else node.comparators[j - 1]
                out.append(ast.Compare(left=left, ops=[node.ops[j]], comparators=[node.comparators[j]]))
        return out
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr in ("int64", "float64"):
            return list(node.args)
        if isinstance(f, ast.Name) and f.id in ("abs", "min", "max", "float"):
            return list(node.args)
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in ("np", "math"):
            return list(node.args)
    return []


class _Swap(ast.NodeTransformer):
    def __init__(self, target, repl):
        self.target, self.repl, self.count = target, repl, -1

    def generic_visit(self, node):
        if isinstance(node, ast.expr):
            self.count += 1
            if self.count == self.target:
                return self.repl
        return super().generic_visit(node)


def _reduce_exprs(best, still, deadline):
    changed = False
    k = 0
    while time.time() < deadline:
        tree = ast.parse(best)
        # number the expressions in the order _Swap visits them
        order = []

        class _Num(ast.NodeVisitor):
            def generic_visit(self, node):
                if isinstance(node, ast.expr):
                    order.append(node)
                super().generic_visit(node)

        _Num().visit(tree)
        if k >= len(order):
            break
        node = order[k]
        done = False
        loop_tests = {id(w.test) for w in ast.walk(tree) if isinstance(w, ast.While)}
        for repl in ([] if id(node) in loop_tests else _replacements(node)):
            if time.time() >= deadline:
                break
            t2 = ast.parse(best)
            t2 = _Swap(k, repl).visit(t2)
            ast.fix_missing_locations(t2)
            try:
                cand = ast.unparse(t2)
            except Exception:  # noqa: BLE001
                continue
            if cand != best and still(cand):
                best, changed, done = cand, True, True
                break
        if not done:
            k += 1
    return best, changed


def reduce_program(src, calls, workdir, kind_of, deadline):
    """Shrink src while check_program still reports a mismatch of the same kind."""
    def still(s):
        try:
            status, detail, _ = check_program(s, calls, workdir)
        except Exception:  # noqa: BLE001
            return False
        return status == "mismatch" and kind_of(detail)

    best = src
    changed = True
    while changed and time.time() < deadline:
        changed = False
        tree = ast.parse(best)
        lists = _stmt_lists(tree)
        for li in range(len(lists)):
            j = 0
            while time.time() < deadline:
                tree = ast.parse(best)
                lists = _stmt_lists(tree)
                if li >= len(lists) or j >= len(lists[li]):
                    break
                lst = lists[li]
                node = lst[j]
                counter = (isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)
                           and node.target.id.startswith("w"))  # a while loop's bound
                if counter or isinstance(node, (ast.Return, ast.FunctionDef, ast.Import)):
                    j += 1
                    continue
                candidates = []
                del lst[j]
                if not lst:
                    lst.append(ast.Pass())
                candidates.append(ast.unparse(tree))
                # or replace a compound statement by its body
                if isinstance(node, (ast.If, ast.For, ast.While)):
                    tree2 = ast.parse(best)
                    l2 = _stmt_lists(tree2)[li]
                    l2[j:j + 1] = node.body
                    candidates.append(ast.unparse(tree2))
                for cand in candidates:
                    if still(cand):
                        best = cand
                        changed = True
                        break
                else:
                    j += 1
        # shrink the returned tuple
        tree = ast.parse(best)
        fdef = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "f"][0]
        ret = fdef.body[-1]
        if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple):
            for e in list(ret.value.elts):
                if time.time() >= deadline or len(ret.value.elts) <= 1:
                    break
                elts = ret.value.elts
                trial = [x for x in elts if x is not e]
                ret.value.elts = trial
                cand = ast.unparse(tree)
                if still(cand):
                    best = cand
                    changed = True
                else:
                    ret.value.elts = elts
        # replace an expression by one of its operands (or a small constant)
        best, more = _reduce_exprs(best, still, deadline)
        changed = changed or more
        # drop helpers no longer called
        tree = ast.parse(best)
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        tree.body = [n for n in tree.body if not (isinstance(n, ast.FunctionDef) and n.name != "f"
                                                  and n.name not in used)]
        best = ast.unparse(tree)
    return best


def _arg_text(v):
    if isinstance(v, np.ndarray):
        layout = ("C" if v.flags.c_contiguous or v.size == 0 else "F" if v.flags.f_contiguous
                  else "reversed" if any(s < 0 for s in v.strides) else "strided")
        base = f"np.array({v.tolist()!r}, dtype=np.{v.dtype.name})"
        if v.ndim == 1 and v.size == 0:
            base = f"np.zeros(0, dtype=np.{v.dtype.name})"
        if v.ndim == 2 and v.size == 0:
            base = f"np.zeros({v.shape}, dtype=np.{v.dtype.name})"
        return base if layout == "C" else f"layout({base}, {layout!r})"
    return repr(v)


REPRO_TEMPLATE = '''"""sejit fuzzer reproducer: seed {seed}, program {index} (tools/fuzz.py --seed {seed} --only {index}).

{detail}
Run with .venv/bin/python {path}
"""
import warnings

import numpy as np

{source}


def layout(a, how):
    if how == "F":
        return np.asfortranarray(a)
    if how == "strided":
        big = np.zeros(tuple(2 * s for s in a.shape), a.dtype)
        v = big[(slice(None, None, 2),) * a.ndim]
        v[...] = a
        return v
    big = np.ascontiguousarray(a[(slice(None, None, -1),) * a.ndim])
    return big[(slice(None, None, -1),) * a.ndim]


{share}

def args():
    return ({args},)


if __name__ == "__main__":
    from sejit import jit

    np.seterr(all="ignore")
    warnings.simplefilter("ignore")
    for name, fn in (("CPython", f), ("jit", jit(f))):
        a = args()
        try:
            print(name, "returned", repr(fn(*a)))
        except Exception as e:
            print(name, "raised", type(e).__name__, e)
        print(name, "arguments after:", [v for v in a if isinstance(v, (np.ndarray, list))])
'''


def _shared_text(x, y):
    """share(...) rebuilding x and y, two views of one buffer (make_args), else None."""
    if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and x.size
            and np.may_share_memory(x, y)):
        return None
    px, py = x.__array_interface__["data"][0], y.__array_interface__["data"][0]
    how = ("same" if px == py and x.strides == y.strides else "reversed" if y.strides[0] < 0
           else "interleaved" if x.strides[0] == 2 * x.itemsize else "shifted")
    return f"*share({_arg_text(x.copy())}, {_arg_text(y.copy())}, {how!r})"


def write_repro(seed, index, src, args, detail, reduced):
    os.makedirs(FAIL_DIR, exist_ok=True)
    path = os.path.join(FAIL_DIR, f"seed{seed}_prog{index}.py")
    body = reduced.replace("import math\nimport numpy as np\n", "import math\n")
    if "import math" not in body:
        body = "import math\n\n" + body
    text = REPRO_TEMPLATE.format(seed=seed, index=index, detail=detail, path=os.path.relpath(path, ROOT),
                                 share=inspect.getsource(share).strip(),
                                 source=body.strip() + "\n",
                                 args=", ".join(_repro_args(args)))
    with open(path, "w") as fh:
        fh.write(text)
    return path


def _repro_args(args):
    shared = _shared_text(args[0], args[1]) if len(args) > 1 else None
    if shared:
        return [shared] + [_arg_text(v) for v in args[2:]]
    return [_arg_text(v) for v in args]


def mismatch_kind(detail):
    """What a reduced program must keep showing: the same class of failure."""
    if detail.startswith("compile failed"):
        return lambda d: d.startswith("compile failed: " + detail.split(":")[1].strip().split()[0])
    if detail.startswith("CPython"):
        head = detail.split(";")
        return lambda d: d.startswith("CPython") and d.split(";")[0].split(":")[0] == head[0].split(":")[0] \
            and d.split(";")[1].split(":")[0] == head[1].split(":")[0]
    return lambda d: not d.startswith("CPython") and not d.startswith("compile failed")


# --------------------------------------------------------------------------- workers


def worker(conn, seed, cache_root, wid, reduce):
    cache = os.path.join(cache_root, f"w{wid}")
    os.environ["SEJIT_CACHE_DIR"] = cache
    workdir = tempfile.mkdtemp(prefix=f"sejit-fuzz-src{wid}-")
    sys.path.insert(0, workdir)
    import sejit  # noqa: F401
    done = 0
    while True:
        msg = conn.recv()
        if msg is None:
            break
        i = msg
        src, calls, _ = program(seed, i)
        try:
            status, detail, ci = check_program(src, calls, workdir)
        except Exception:  # noqa: BLE001 — a harness error is reported, not fatal
            status, detail, ci = "mismatch", "harness error: " + traceback.format_exc(limit=3), 0
        repro = None
        if status == "mismatch":
            reduced = src
            if reduce:
                try:
                    reduced = reduce_program(src, [calls[ci]], workdir, mismatch_kind(detail),
                                             time.time() + REDUCE_BUDGET)
                    _, detail2, _ = check_program(reduced, [calls[ci]], workdir)
                    detail = detail2 or detail
                except Exception:  # noqa: BLE001
                    reduced = src
            repro = write_repro(seed, i, src, calls[ci], detail, reduced)
        conn.send((i, status, detail, repro))
        done += 1
        for fn in os.listdir(workdir):
            try:
                os.remove(os.path.join(workdir, fn))
            except OSError:
                pass
        if done % 300 == 0:
            shutil.rmtree(cache, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--time", type=float, default=None, help="stop after this many seconds")
    ap.add_argument("--count", type=int, default=None, help="stop after this many programs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--start", type=int, default=0, help="first program number")
    ap.add_argument("--only", type=int, default=None, help="run (and show) one program")
    ap.add_argument("--no-reduce", action="store_true", help="keep mismatching programs whole")
    ap.add_argument("--quiet", action="store_true")
    opts = ap.parse_args(argv)
    if opts.only is not None:
        src, calls, _ = program(opts.seed, opts.only)
        print(src)
        opts.start, opts.count, opts.jobs = opts.only, 1, 1
    if opts.time is None and opts.count is None:
        opts.time = 60.0
    t0 = time.time()
    cache_root = tempfile.mkdtemp(prefix="sejit-fuzz-cache-")
    ctx = mp.get_context("spawn")
    next_i = opts.start
    stop_i = opts.start + opts.count if opts.count is not None else None
    counts = {"ok": 0, "miss": 0, "mismatch": 0}
    misses = {}
    failures = []
    workers = {}  # conn -> (process, wid, current program, started)

    def start_worker(wid):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=worker, args=(child, opts.seed, cache_root, wid, not opts.no_reduce),
                           daemon=True)
        proc.start()
        child.close()
        workers[parent] = [proc, wid, None, 0.0]
        return parent

    def feed(conn):
        nonlocal next_i
        out_of_time = opts.time is not None and time.time() - t0 >= opts.time
        if out_of_time or (stop_i is not None and next_i >= stop_i):
            conn.send(None)
            return False
        workers[conn][2] = next_i
        workers[conn][3] = time.time()
        conn.send(next_i)
        next_i += 1
        return True

    def record(i, status, detail, repro):
        counts[status] += 1
        if status == "miss":
            key = detail[:120]
            misses[key] = misses.get(key, 0) + 1
        elif status == "mismatch":
            failures.append((i, detail, repro))
            print(f"MISMATCH program {i}: {detail.splitlines()[0][:300]}\n  reproducer: {repro}",
                  flush=True)

    try:
        active = []
        for w in range(opts.jobs):
            c = start_worker(w)
            if feed(c):
                active.append(c)
            else:
                workers[c][0].join()
        last = time.time()
        while active:
            ready = wait(active, timeout=5.0)
            for c in ready:
                try:
                    i, status, detail, repro = c.recv()
                except (EOFError, OSError):
                    proc, wid, i, _ = workers.pop(c)
                    proc.join(1)
                    src, calls, _ = program(opts.seed, i)
                    repro = write_repro(opts.seed, i, src, calls[0],
                                        f"the worker died (exit code {proc.exitcode})", src)
                    record(i, "mismatch", f"worker died (exit code {proc.exitcode})", repro)
                    active.remove(c)
                    nc = start_worker(wid)
                    if feed(nc):
                        active.append(nc)
                    continue
                record(i, status, detail, repro)
                if not feed(c):
                    active.remove(c)
            now = time.time()
            for c in list(active):
                proc, wid, i, started = workers[c]
                limit = TASK_TIMEOUT + (REDUCE_BUDGET + 60 if not opts.no_reduce else 0)
                if now - started > limit:
                    proc.kill()
                    proc.join()
                    src, calls, _ = program(opts.seed, i)
                    repro = write_repro(opts.seed, i, src, calls[0], "the program hung", src)
                    record(i, "mismatch", f"hang: no answer in {limit:.0f} s", repro)
                    active.remove(c)
                    del workers[c]
                    nc = start_worker(wid)
                    if feed(nc):
                        active.append(nc)
            if not opts.quiet and now - last > 30:
                last = now
                total = sum(counts.values())
                print(f"fuzz: {total} programs, {counts['mismatch']} mismatches, {counts['miss']} "
                      f"generator misses, {now - t0:.1f} s", flush=True)
    finally:
        for c, (proc, _, _, _) in workers.items():
            proc.join(5)
            if proc.is_alive():
                proc.kill()
        shutil.rmtree(cache_root, ignore_errors=True)
    total = sum(counts.values())
    if misses and not opts.quiet:
        print("generator misses by message:")
        for k, v in sorted(misses.items(), key=lambda kv: -kv[1])[:15]:
            print(f"  {v:5d}  {k}")
    print(f"fuzz: {total} programs, {counts['mismatch']} mismatches, {counts['miss']} generator "
          f"misses, {time.time() - t0:.1f} s (seed {opts.seed}, programs {opts.start}..{next_i - 1})")
    return 1 if counts["mismatch"] else 0


if __name__ == "__main__":
    sys.exit(main())
