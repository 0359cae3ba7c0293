"""Eight processes compiling the same function at once build it once (issue 4, "Engine and
cache under faults").

The children are released together (each waits for a "go" file after importing sejit) on one
fresh cache. The engine holds the entry's lock while it builds; a process that waited for the
lock answers from the finished entry ("cached": true), and `sejit.stats()` counts that as a
cache load, not a compile. So across all eight: exactly one compile and seven loads, every
result correct, one complete entry.
"""

import json
import os
import subprocess
import sys
import time

import pytest

DISABLED = os.environ.get("SEJIT_DISABLE") == "1"
pytestmark = pytest.mark.skipif(DISABLED, reason="SEJIT_DISABLE=1: nothing is compiled")

N = 8

MODULE = """\
def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1
"""

CHILD = """\
import json, os, sys, time, warnings
import numpy as np
import sejit
import {module} as mod

ready, go = sys.argv[1], sys.argv[2]
open(ready, "w").close()
deadline = time.monotonic() + 120
while not os.path.exists(go):
    if time.monotonic() > deadline:
        sys.exit("never released")
    time.sleep(0.001)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    x = np.linspace(0.0, 1.0, 1001).astype(np.float32)
    y = np.empty_like(x)
    sejit.jit(mod.poly)(x, y, 0.25)
x1 = x - np.float32(0.25)
ok = bool(np.allclose(y, x1 + x1 * x1, rtol=1e-6, atol=0))
caught = [str(w.message) for w in caught]
print(json.dumps({{"ok": ok, "stats": sejit.stats(), "warnings": caught}}))
"""


def start_all(tmp_path, module, cache, n=N):
    """Starts n children on cache, releases them together; returns their reports."""
    src = tmp_path / "src"
    src.mkdir(parents=True)
    (src / f"{module}.py").write_text(MODULE)
    env = dict(
        os.environ,
        SEJIT_CACHE_DIR=str(cache),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=os.pathsep.join([str(src)] + sys.path),
    )
    env.pop("SEJIT_ENGINE", None)
    go = tmp_path / "go"
    procs, readies = [], []
    for i in range(n):
        ready = tmp_path / f"ready-{i}"
        readies.append(ready)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", CHILD.format(module=module), str(ready), str(go)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
        )
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in readies):
        assert time.monotonic() < deadline, "children did not start"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.005)
    go.write_text("")
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def totals(reports):
    return {k: sum(r["stats"][k] for r in reports) for k in ("compiles", "cache_loads")}


def test_eight_processes_compile_once(tmp_path):
    cache = tmp_path / "cache"
    reports = start_all(tmp_path, "concmod_a", cache)
    assert all(r["ok"] for r in reports)
    assert totals(reports) == {"compiles": 1, "cache_loads": N - 1}, reports
    assert all(r["warnings"] == [] for r in reports), reports
    assert len(list(cache.glob("*/*.json"))) == 1
    assert not [p for p in cache.rglob("*") if ".tmp-" in p.name]  # no partial file left


def test_eight_processes_find_a_damaged_entry_and_rebuild_it_once(tmp_path):
    # A first process builds the entry; its shared object is then truncated. Eight processes
    # find it damaged at once: one removes and rebuilds it (and says so), the others load the
    # rebuilt entry.
    cache = tmp_path / "cache"
    (first,) = start_all(tmp_path / "first", "concmod_b", cache, n=1)
    assert first["stats"]["compiles"] == 1
    (so,) = cache.glob("*/*.so")
    data = so.read_bytes()
    so.write_bytes(data[: len(data) // 2])
    reports = start_all(tmp_path / "eight", "concmod_b", cache)
    assert all(r["ok"] for r in reports)
    assert totals(reports) == {"compiles": 1, "cache_loads": N - 1}, reports
    warned = [w for r in reports for w in r["warnings"]]
    assert len(warned) == 1 and "rebuilding cache entry" in warned[0], warned
    assert len(list(cache.glob("*/*.json"))) == 1
