"""The corpus (bench/corpus/, issues 14 and 15) at its quick sizes: every program sejit compiles
today must match CPython, and every program listed in NOT_YET must still fail to compile
with a positioned UnsupportedError or TypingError. When support for one of them lands, this
test fails until the program moves out of NOT_YET, so the list stays the true record of
what the corpus still needs (bench/corpus.py reports the same with timings and Numba).
"""

import copy
import os
import sys
import warnings

import numpy as np  # noqa: F401
import pytest

from sejit import TypingError, UnsupportedError, jit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "bench"))
import corpus  # noqa: E402

# Programs sejit does not compile yet, with the reason (the first line of its error, which
# must still be an UnsupportedError or TypingError positioned in the program).
NOT_YET = {
}

# Programs whose arguments the dispatcher refuses before compiling (a TypeError naming the
# argument): str arguments longer than a compile-time constant may be.
REFUSED_ARGS = {
}

# Programs sejit compiles that do not match CPython yet (bugs), with what differs.
WRONG = {
}


def _reference(mod, args):
    a = copy.deepcopy(args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return corpus.outcome(mod, mod.ENTRY(*a), a)


@pytest.mark.parametrize("name", corpus.names())
def test_corpus_program(name):
    mod = corpus.load(name, "test")
    args = mod.make_args(mod.SIZES[0])
    if name in NOT_YET or name in REFUSED_ARGS:
        if os.environ.get("SEJIT_DISABLE") == "1":
            pytest.skip("SEJIT_DISABLE=1: jit returns the plain Python function")
        if name in REFUSED_ARGS:
            with pytest.raises(TypeError, match=r"argument 1.*\bstr\b"):
                jit(mod.ENTRY)(*copy.deepcopy(args))
            return
        with pytest.raises((UnsupportedError, TypingError)) as info:
            jit(mod.ENTRY)(*copy.deepcopy(args))
        assert f"{name}.py:" in str(info.value), "the error is not positioned in the program"
        return
    want = _reference(mod, args)
    a = copy.deepcopy(args)
    try:
        got = corpus.outcome(mod, jit(mod.ENTRY)(*a), a)
        ok = corpus.same(got, want, getattr(mod, "RTOL", 1e-10))
    except Exception as e:
        if name not in WRONG:
            raise
        ok, got = False, e
    if name in WRONG:
        assert not ok, f"{name} now matches CPython: remove it from WRONG"
        pytest.xfail(WRONG[name])
    assert ok, f"{name}: sejit's result differs from CPython's"


def test_lists_name_programs():
    names = set(corpus.names())
    assert set(NOT_YET) | set(REFUSED_ARGS) | set(WRONG) <= names

