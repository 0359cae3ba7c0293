"""`python -m sejit`: cache ls / gc / clear, explain, devices, version."""

import os
import subprocess
import sys
import textwrap

import pytest

import sejit
from conftest import needs_engine


def sejit_cli(*args, cache=None, check=True):
    env = dict(os.environ)
    if cache is not None:
        env["SEJIT_CACHE_DIR"] = str(cache)
    out = subprocess.run([sys.executable, "-m", "sejit", *args], capture_output=True, text=True,
                         env=env, timeout=120)
    if check:
        assert out.returncode == 0, out.stderr
    return out


KERNELS = textwrap.dedent('''\
    import numpy as np
    import sejit

    def poly(x, y, a):
        x1 = x - a
        y[:] = x1 + x1 * x1

    @sejit.jit
    def total(x):
        return np.sum(x) * 2.0

    if __name__ == "__main__":
        raise SystemExit("the __main__ block must not run")
''')


def test_version():
    out = sejit_cli("version").stdout
    assert f"sejit {sejit.__version__}" in out
    assert f"engine {sejit.ENGINE_VERSION} " in out


def test_devices():
    out = sejit_cli("devices").stdout
    assert out.startswith("cpu: ")
    # make installs pyopencl[pocl], so PoCL's CPU device is listed (tests/test_device.py)
    assert "OpenCL devices" in out and "opencl:0:0: " in out and "(the default)" in out, out


@needs_engine
def test_explain_a_function_of_a_file(tmp_path):
    (tmp_path / "kernels.py").write_text(KERNELS)
    path = str(tmp_path / "kernels.py")
    out = sejit_cli("explain", f"{path}:poly", "--args",
                    "np.zeros(10, np.float32), np.empty(10, np.float32), 3.0",
                    cache=tmp_path / "cache").stdout
    assert "float32" in out and "for (" in out  # the typed signature and the C loop
    out = sejit_cli("explain", f"{path}:total", "--args", "np.arange(4.0)",
                    cache=tmp_path / "cache").stdout
    assert "float64" in out


def test_explain_errors(tmp_path):
    (tmp_path / "kernels.py").write_text(KERNELS)
    path = str(tmp_path / "kernels.py")
    out = sejit_cli("explain", f"{path}:nothing", "--args", "1", check=False)
    assert out.returncode == 1 and "defines no nothing" in out.stderr
    out = sejit_cli("explain", f"{path}:poly", "--args", "np.zeros(", check=False)
    assert out.returncode == 1 and "SyntaxError" in out.stderr
    out = sejit_cli("explain", "no-colon", check=False)
    assert out.returncode == 1 and "FILE:FUNC" in out.stderr


@needs_engine
def test_cache_ls_gc_clear(tmp_path):
    cache = tmp_path / "cache"
    code = ("import numpy as np, sys; sys.path.insert(0, sys.argv[1]); import kernels; "
            "kernels.total(np.arange(3.0)); kernels.total(np.arange(3, dtype=np.int32))")
    (tmp_path / "kernels.py").write_text(KERNELS)
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, timeout=120,
                   env={**os.environ, "SEJIT_CACHE_DIR": str(cache)})
    out = sejit_cli("cache", "ls", cache=cache).stdout
    assert out.count("total") == 2 and "2 entries" in out and str(cache) in out
    # The float64 entry was used an hour ago, the int32 one now: gc keeps the int32 one, which
    # alone fits in three quarters of what both take (the two are about the same size).
    both = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    for meta in cache.glob("*/*.json"):
        if "float64" in meta.read_text():
            old = meta.stat().st_mtime - 3600
            os.utime(meta, (old, old))
    out = sejit_cli("cache", "gc", "--max-size", str(both * 3 // 4), cache=cache).stdout
    assert out.startswith("removed 1 entry"), out
    out = sejit_cli("cache", "ls", "--dir", str(cache)).stdout
    assert "1 entry" in out and "int32" in out and "float64" not in out
    sejit_cli("cache", "clear", cache=cache)
    assert "no compiled kernels" in sejit_cli("cache", "ls", cache=cache).stdout


def test_cache_usage_errors(tmp_path):
    out = sejit_cli("cache", "gc", cache=tmp_path, check=False)
    assert out.returncode != 0 and "--max-size is required" in out.stderr
    out = sejit_cli("cache", "gc", "--max-size", "lots", cache=tmp_path, check=False)
    assert out.returncode == 2 and "--max-size" in out.stderr
    out = sejit_cli("cache", "ls", "--max-size", "1M", cache=tmp_path, check=False)
    assert out.returncode != 0 and "only for gc" in out.stderr
    out = sejit_cli("frobnicate", check=False)
    assert out.returncode == 2 and "invalid choice" in out.stderr
    out = sejit_cli("build", check=False)  # tests/test_aot.py has the rest
    assert out.returncode == 2 and "required: FILE" in out.stderr
