"""A short, bounded slice of the differential fuzzer (tools/fuzz.py, docs/reliability.md).

Runs a fixed set of generated programs (seed and count below, or SEJIT_FUZZ_SEED /
SEJIT_FUZZ_COUNT) through CPython and jit in two worker processes and fails on any
mismatch, naming the reproducer the fuzzer wrote to tools/fuzz-failures/. `make fuzz`
runs the same fuzzer for as long as asked.
"""

import os
import subprocess
import sys

import pytest
from conftest import needs_engine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.environ.get("SEJIT_FUZZ_SEED", "20240")
COUNT = os.environ.get("SEJIT_FUZZ_COUNT", "40")


@needs_engine
def test_fuzz_slice():
    cmd = [sys.executable, os.path.join(ROOT, "tools", "fuzz.py"), "--seed", SEED,
           "--count", COUNT, "--jobs", "2", "--no-reduce", "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    if proc.returncode != 0:
        pytest.fail(f"the fuzzer found mismatches ({' '.join(cmd[1:])}):\n{out[-4000:]}")
    assert f"fuzz: {COUNT} programs, 0 mismatches" in out, out[-2000:]
