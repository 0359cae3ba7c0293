"""The on-disk cache across processes.

Every step runs in a fresh interpreter (``subprocess.run([sys.executable, ...])``)
that imports a module written to a temporary directory, so the function's
source is byte-for-byte what the previous process saw (or deliberately edited).
Each child reports ``sejit.stats()`` after every call and whether the result
matched NumPy's.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import DISABLED, cache_dir

pytestmark = pytest.mark.skipif(DISABLED, reason="SEJIT_DISABLE=1: nothing is compiled")

MODULE = """\
import numpy as np

SCALE = {scale}
UNUSED = {unused}


def poly(x, y, a):
    x1 = x - a
    y[:] = {poly_body}


def poly_scaled(x, y, a):
    x1 = x - a
    y[:] = x1 + SCALE * x1 * x1
"""

# The child: call each (function, dtype, a, expected-expression) and report.
CHILD = """\
import json, sys
import numpy as np
import sejit
import {module} as mod

calls = json.loads(sys.argv[1])
report = []
for name, dtype, a, expected in calls:
    rng = np.random.default_rng(7)
    x = rng.random(1000).astype(dtype)
    y = np.empty(1000, dtype=dtype)
    sejit.jit(getattr(mod, name))(x, y, a)
    x1 = x - a
    want = eval(expected, {{"x1": x1, "SCALE": mod.SCALE}})
    rtol = 1e-5 if dtype == "float32" else 1e-12
    ok = bool(y.dtype == want.dtype and np.allclose(y, want, rtol=rtol, atol=0))
    report.append({{"ok": ok, "stats": dict(sejit.stats())}})
print(json.dumps(report))
"""

BODY = "x1 + x1 * x1"
EDITED_BODY = "x1 - 0.5 * x1 * x1"

F32_CALL = ("poly", "float32", 3.141, BODY)
F64_CALL = ("poly", "float64", 3, BODY)


class Workspace:
    def __init__(self, tmp_path, module):
        self.dir = tmp_path / "src"
        self.dir.mkdir()
        self.cache = tmp_path / "cache"
        self.module = module

    def write(self, scale=2.0, unused=1, poly_body=BODY):
        text = MODULE.format(scale=scale, unused=unused, poly_body=poly_body)
        (self.dir / f"{self.module}.py").write_text(text)

    def start(self, *calls, env=None):
        """Start ``calls`` in a fresh process (``env``: extra environment)."""
        env = dict(
            os.environ,
            SEJIT_CACHE_DIR=str(self.cache),
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONPATH=os.pathsep.join([str(self.dir)] + sys.path),
            **(env or {}),
        )
        code = CHILD.format(module=self.module)
        return subprocess.Popen(
            [sys.executable, "-c", code, json.dumps(calls)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    @staticmethod
    def finish(proc, calls):
        """Wait for ``proc``; return one {ok, stats} per call."""
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        report = json.loads(out.strip().splitlines()[-1])
        for call, entry in zip(calls, report):
            assert entry["ok"], f"{call}: result differs from NumPy"
        return report

    def run(self, *calls, env=None):
        """Run ``calls`` in a fresh process; return one {ok, stats} per call."""
        return self.finish(self.start(*calls, env=env), calls)


def _counts(entry):
    s = entry["stats"]
    return s["compiles"], s["cache_loads"]


def test_cache_is_shared_across_processes(tmp_path):
    ws = Workspace(tmp_path, "cachemod_a")
    ws.write()

    # Process 1: a cold cache compiles the float32 signature.
    (first,) = ws.run(F32_CALL)
    assert _counts(first) == (1, 0)

    # Process 2: loads it without compiling, then compiles float64 + int.
    loaded, compiled = ws.run(F32_CALL, F64_CALL)
    assert _counts(loaded) == (0, 1)
    assert loaded["stats"]["engine_runs"] == 0
    assert _counts(compiled) == (1, 1)

    # Process 3: both signatures come from the cache.
    one, both = ws.run(F32_CALL, F64_CALL)
    assert _counts(one) == (0, 1)
    assert _counts(both) == (0, 2)
    assert both["stats"]["engine_runs"] == 0


def test_cache_entries_are_complete(tmp_path):
    ws = Workspace(tmp_path, "cachemod_b")
    ws.write()
    ws.run(F32_CALL, F64_CALL)
    metas = sorted(ws.cache.glob("*/*.json"))
    assert len(metas) == 2, sorted(p.name for p in ws.cache.rglob("*"))
    for meta in metas:
        key = meta.stem
        assert meta.parent.name == key[:2]
        assert meta.with_suffix(".so").is_file()
        assert meta.with_suffix(".c").is_file()
        assert json.loads(meta.read_text())["key"] == key


def test_concurrent_cold_processes(tmp_path):
    # Four processes start on a cold cache at once: all get correct results, at
    # least one compiles, and the cache ends with a single complete entry.
    ws = Workspace(tmp_path, "cachemod_d")
    ws.write()
    procs = [ws.start(F32_CALL) for _ in range(4)]
    reports = [ws.finish(p, [F32_CALL]) for p in procs]
    compiles = [r[0]["stats"]["compiles"] for r in reports]
    loads = [r[0]["stats"]["cache_loads"] for r in reports]
    assert sum(compiles) >= 1 and all(c + n == 1 for c, n in zip(compiles, loads)), reports
    assert len(list(ws.cache.glob("*/*.json"))) == 1
    (after,) = ws.run(F32_CALL)
    assert _counts(after) == (0, 1)


def test_cache_invalidation(tmp_path):
    ws = Workspace(tmp_path, "cachemod_c")
    scaled_2 = ("poly_scaled", "float32", 0.5, "x1 + SCALE * x1 * x1")

    ws.write(scale=2.0)
    assert [_counts(e) for e in ws.run(F32_CALL, scaled_2)] == [(1, 0), (2, 0)]

    # Editing poly's body recompiles poly; poly_scaled is untouched.
    ws.write(scale=2.0, poly_body=EDITED_BODY)
    edited = ("poly", "float32", 3.141, EDITED_BODY)
    assert [_counts(e) for e in ws.run(edited, scaled_2)] == [(1, 0), (1, 1)]

    # Changing the constant poly_scaled reads recompiles it, and the new value is used;
    # poly (back to its first body, which reads no constant) comes from the cache.
    ws.write(scale=3.0)
    assert [_counts(e) for e in ws.run(F32_CALL, scaled_2)] == [(0, 1), (1, 1)]

    # A constant neither function reads changes nothing.
    ws.write(scale=3.0, unused=2)
    assert [_counts(e) for e in ws.run(F32_CALL, scaled_2)] == [(0, 1), (0, 2)]


def test_another_compiler_is_another_entry(tmp_path):
    ws = Workspace(tmp_path, "cachemod_e")
    ws.write()
    (first,) = ws.run(F32_CALL)
    assert _counts(first) == (1, 0)
    wrapper = tmp_path / "wrapped-cc"
    real_cc = shutil.which(os.environ.get("SEJIT_CC", "cc"))
    wrapper.write_text(f'#!/bin/sh\nexec {real_cc} "$@"\n')
    wrapper.chmod(0o755)
    (other,) = ws.run(F32_CALL, env={"SEJIT_CC": str(wrapper)})
    assert _counts(other) == (1, 0)
    (again,) = ws.run(F32_CALL, env={"SEJIT_CC": str(wrapper)})
    assert _counts(again) == (0, 1)


def test_session_uses_a_temporary_cache():
    assert os.environ["SEJIT_CACHE_DIR"] == cache_dir()
    assert os.path.isdir(cache_dir())


def test_engine_build_stamps_the_installed_sources():
    """The installed package's build digest is that of this checkout's sources, and it is part
    of the key: a reinstall with a changed engine never loads an older engine's kernels."""
    from sejit import _request

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    setup_src = open(os.path.join(root, "setup.py")).read()
    # Run only source_digest from setup.py (executing the module would call setup()).
    ns = {}
    start = setup_src.index("def source_digest")
    end = setup_src.index("\nclass ", start)
    exec("import hashlib, os\nROOT = %r\n" % root + setup_src[start:end], ns)
    assert _request.ENGINE_BUILD == ns["source_digest"](), "reinstall: make install"

    class FSet:
        def key_part(self):
            return {"functions": [], "globals": []}

    one = _request.cache_key(FSet(), [], {}, "cc")
    old = _request.ENGINE_BUILD
    try:
        _request.ENGINE_BUILD = "another build"
        assert _request.cache_key(FSet(), [], {}, "cc") != one
    finally:
        _request.ENGINE_BUILD = old
