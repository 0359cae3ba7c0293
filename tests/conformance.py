"""The conformance suite's registry (issue 3, docs/supported.md).

A conformance case is one kernel run on one argument tuple in CPython and through ``jit``
(conftest.check: results and mutated arguments compared, integers exactly, floats to 1e-12
relative), or, for a case that must fail, both runs raising the same exception type (and, with
``match=True``, the same message). Every case names the feature of docs/supported.md it proves;
``tests/test_supported_doc.py`` checks that every documented feature has cases, that every case's
feature is documented, and that the doc's "cases" column lists exactly the kernels that prove
each row (``python tools/supported.py --write`` regenerates that column).

A test file registers its kernels and turns them into one parametrized test::

    cases = Cases(__name__)

    @cases.add("py.for-else", (5,), (0,))
    def for_else(n):
        ...

    test_conformance = cases.test()

Arguments are built afresh for every run (conftest.check copies them), so a case may hold
arrays. A lambda in the argument list is called to build the arguments when the case runs, which
keeps large or random inputs out of import time: ``cases.add("x", lambda: (arr(10),))``.
"""

import os

import pytest
from conftest import check, check_raises, jitted, quiet

# Every registry created, by module name: the doc test walks them.
REGISTRIES = {}


class Case:
    def __init__(self, feature, fn, args, index, rtol, options, raises, match, value_typed=False,
                 atol=0.0):
        self.feature = feature
        self.atol = atol
        self.fn = fn
        self.args = args
        self.index = index
        self.rtol = rtol
        self.options = options
        self.raises = raises
        self.match = match
        self.value_typed = value_typed

    @property
    def id(self):
        return f"{self.feature}:{self.fn.__name__}[{self.index}]"

    def arguments(self):
        return self.args() if callable(self.args) else self.args

    def run(self):
        args = self.arguments()
        if self.raises is None:
            check(self.fn, *args, rtol=self.rtol, atol=self.atol, options=self.options,
                  scalar_types=not self.value_typed)
            return
        err = check_raises(self.fn, *args, exc=self.raises, options=self.options)
        if self.match:
            with quiet():
                try:
                    self.fn(*args)
                except self.raises as e:
                    want = str(e)
            assert str(err) == want, f"message {str(err)!r} != CPython's {want!r}"


class Cases:
    """The cases of one test module."""

    def __init__(self, module):
        self.module = module
        self.path = os.path.basename(module.replace(".", "/")) + ".py"
        self.items = []
        REGISTRIES[module] = self

    def add(self, feature, *arglists, rtol=None, options=None, raises=None, match=False,
            value_typed=False, atol=0.0):
        """Register the decorated kernel under ``feature``, one case per argument tuple.

        value_typed: the result's Python type depends on the values in CPython (``a and 3``
        with a NumPy bool ``a`` is ``3``, a Python int, or ``a``), which one compiled type cannot
        follow; its scalars are then compared by dtype and value, not by Python type.
        atol: for results that are rounding noise around zero, such as a pseudo-inverse's small
        entries."""
        if not arglists:
            raise TypeError("a conformance case needs at least one argument tuple")

        def register(fn):
            for i, args in enumerate(arglists):
                if not callable(args) and not isinstance(args, tuple):
                    raise TypeError(f"{fn.__name__}: arguments must be a tuple, got {args!r}")
                self.items.append(
                    Case(feature, fn, args, i, rtol, options, raises, match, value_typed, atol))
            return fn

        return register

    def test(self):
        """A pytest test function running every case of this module."""

        @pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in self.items])
        def test_conformance(case):
            case.run()

        return test_conformance


__all__ = ["Cases", "REGISTRIES", "jitted"]
