"""What `import sejit` no longer imports (issue 5) still behaves like the modules it replaces:
`_engine._which` like `shutil.which`, `_hash` like `hashlib.sha256`."""

import hashlib
import io
import os
import shutil
import subprocess
import sys

import pytest

from sejit import _engine, _hash


@pytest.mark.parametrize("name", ["cc", "sh", "python3", "no-such-program-sejit", "/bin/sh",
                                  "/no/such/path/cc", "./relative-missing", ""])
def test_which_matches_shutil(name):
    assert _engine._which(name) == shutil.which(name)


def test_which_follows_path(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "tool").write_text("")  # not executable: skipped
    (b / "tool").write_text("#!/bin/sh\n")
    (b / "tool").chmod(0o700)
    (a / "dir").mkdir()  # a directory is never a program
    monkeypatch.setenv("PATH", os.pathsep.join([str(a), str(b), str(a)]))
    for name in ("tool", "dir", "missing"):
        assert _engine._which(name) == shutil.which(name), name
    assert _engine._which("tool") == str(b / "tool")
    monkeypatch.setenv("PATH", "")
    assert _engine._which("tool") is None and shutil.which("tool") is None


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 1000])
def test_hash_matches_hashlib(data):
    assert _hash.hexdigest(data) == hashlib.sha256(data).hexdigest()
    f = io.BytesIO(data)
    assert _hash.file_hexdigest(f, chunk=1000) == hashlib.sha256(data).hexdigest()


def test_import_does_not_load_the_heavy_modules():
    code = ("import sys, numpy; before = set(sys.modules); import sejit; "
            "print(sorted(m for m in ('hashlib', 'shutil', 'threading', 'bz2', 'lzma', "
            "'inspect', 'tokenize', 'tempfile', 'subprocess', 'pyopencl', 'mako') if m in set(sys.modules) - before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
