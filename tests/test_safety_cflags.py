"""$SEJIT_CFLAGS: extra C compiler flags (`make sanitize` builds every kernel with ASan and
UBSan through it). They reach the compiler, and they are part of the cache key, so a kernel
built with sanitizers is never loaded by a process without them, and the other way round."""

import os
import shutil

import numpy as np
import pytest

import sejit
from sejit import _engine, _request

DISABLED = os.environ.get("SEJIT_DISABLE") == "1"
pytestmark = pytest.mark.skipif(DISABLED, reason="SEJIT_DISABLE=1: nothing is compiled")


def triple(x):
    return x * 3.0


@pytest.fixture
def logged_cc(tmp_path, monkeypatch):
    """$SEJIT_CC: the real compiler behind a wrapper that logs each command line."""
    real = shutil.which(os.environ.get("SEJIT_CC") or "cc")
    log = tmp_path / "cc.log"
    wrapper = tmp_path / "logged-cc"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("SEJIT_CC", str(wrapper))
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SEJIT_CFLAGS", raising=False)

    def lines():
        return log.read_text().splitlines() if log.exists() else []

    return lines


def test_cflags_reach_the_compiler_and_the_key(logged_cc, monkeypatch, tmp_path):
    x = np.arange(4.0)
    assert sejit.jit(triple)(x).tolist() == [0.0, 3.0, 6.0, 9.0]
    (plain,) = [line for line in logged_cc() if "-shared" in line]
    assert "-DSEJIT_TEST_FLAG" not in plain

    monkeypatch.setenv("SEJIT_CFLAGS", "  -DSEJIT_TEST_FLAG=1   -fno-inline ")
    before = sejit.stats()
    assert sejit.jit(triple)(x).tolist() == [0.0, 3.0, 6.0, 9.0]
    assert sejit.stats()["compiles"] - before["compiles"] == 1  # another key: compiled
    built = [line for line in logged_cc() if "-shared" in line]
    assert len(built) == 2
    assert "-DSEJIT_TEST_FLAG=1 -fno-inline" in built[1]

    # The same flags, spaced differently, are the same entry.
    monkeypatch.setenv("SEJIT_CFLAGS", "-DSEJIT_TEST_FLAG=1 -fno-inline")
    before = sejit.stats()
    assert sejit.jit(triple)(x).tolist() == [0.0, 3.0, 6.0, 9.0]
    assert sejit.stats()["cache_loads"] - before["cache_loads"] == 1
    assert len(list((tmp_path / "cache").glob("*/*.json"))) == 2

    # And without them, the first entry again.
    monkeypatch.delenv("SEJIT_CFLAGS")
    before = sejit.stats()
    sejit.jit(triple)(x)
    assert sejit.stats()["cache_loads"] - before["cache_loads"] == 1


def test_cflags_in_the_request(monkeypatch):
    monkeypatch.setenv("SEJIT_CFLAGS", " -O1\t-g ")
    assert _engine.cflags() == "-O1 -g"
    d = sejit.jit(triple)
    _, argtypes, fset, key = d._prepare((1.0,))
    req = d._request(argtypes, fset, key, "/tmp/x", False, False)
    assert req["cflags"] == "-O1 -g" and "rebuild" not in req
    other = _request.cache_key(fset, argtypes, d._codegen_options(), "cc", "")
    assert key != other


def test_bad_cflags_are_a_compiler_error_naming_them(logged_cc, monkeypatch):
    monkeypatch.setenv("SEJIT_CFLAGS", "-fno-such-flag-for-sejit")
    with pytest.raises(sejit.CompilerError) as info:
        sejit.jit(triple)(1.0)
    assert "-fno-such-flag-for-sejit" in str(info.value)
