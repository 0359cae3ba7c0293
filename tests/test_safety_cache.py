"""The disk cache is never a way to load damaged or foreign code (issue 4, "Engine and cache
under faults").

Each test has its own cache directory. An entry is loaded by a *new* dispatcher of the same
function (a new dispatcher starts with no specializations, as a new process does), so the
warm path — metadata and shared object read without the engine — is what is exercised.

"Never loaded" is checked where it can be seen: by `sejit.stats()` (a load is counted), by
the results (a kernel built for other argument types computes garbage), and by the process's
own memory map: a damaged file is written under a new inode, and no mapping of that inode
may appear after the call.
"""

import hashlib
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import sejit
from sejit import _cache, _engine

# Not imported from conftest: child processes import this module, and must not have conftest
# point them at a cache of its own.
DISABLED = os.environ.get("SEJIT_DISABLE") == "1"
pytestmark = pytest.mark.skipif(DISABLED, reason="SEJIT_DISABLE=1: nothing is compiled")

IS_ROOT = os.geteuid() == 0


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def scaled(x, s):
    return x * s


def run_poly(fast, dtype):
    x = np.linspace(0.0, 1.0, 101).astype(dtype)
    y = np.empty_like(x)
    fast(x, y, 0.25)
    x1 = x - dtype(0.25)
    np.testing.assert_allclose(y, x1 + x1 * x1, rtol=1e-6)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(root))
    monkeypatch.delenv("SEJIT_ENGINE", raising=False)
    return root


def build_in_child(root, *dtypes):
    """Compiles poly for dtypes into the cache root in another process, so that this process
    has never mapped the entry's files."""
    code = (
        "import sys, numpy as np, sejit\n"
        f"sys.path.insert(0, {os.path.dirname(__file__)!r})\n"
        "import test_safety_cache as t\n"
        f"for dt in {list(dtypes)!r}:\n"
        "    t.run_poly(sejit.jit(t.poly), np.dtype(dt).type)\n"
    )
    env = dict(os.environ, SEJIT_CACHE_DIR=str(root))
    env.pop("SEJIT_ENGINE", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr[-3000:]


def delta(before):
    after = sejit.stats()
    return {k: after[k] - before[k] for k in after}


def entries(root):
    """{key: base path without extension} of the complete entries in root."""
    return {p.stem: p.with_suffix("") for p in sorted(root.glob("*/*.json"))}


def only_entry(root):
    (base,) = entries(root).values()
    return base


def pin(path):
    """path's inode, kept allocated by a hard link outside the cache (<root>/..), so that no
    file created later can reuse its number and confuse mapped_inodes()."""
    path = os.fspath(path)
    keep = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(path))), "pinned")
    os.makedirs(keep, exist_ok=True)
    os.link(path, os.path.join(keep, f"{os.stat(path).st_ino}"))
    return os.stat(path).st_ino


def replace_file(path, data):
    """Writes data to path as a new file (a new inode), private to the user; returns the
    (pinned) inode."""
    tmp = f"{path}.test-tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return pin(path)


def mapped_inodes():
    out = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6:
                out.add(int(parts[4]))
    return out


def meta_of(base):
    return json.loads(base.with_suffix(".json").read_text())


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def logging_engine(tmp_path, monkeypatch, after=""):
    """$SEJIT_ENGINE: a script that logs each request, runs the real engine and, with after,
    runs that Python code on the parsed reply before answering. Returns a function listing the
    logged requests."""
    real = _engine.engine_path()
    log = tmp_path / "requests.jsonl"
    script = tmp_path / "logging-engine"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, subprocess, sys\n"
        "data = sys.stdin.buffer.read()\n"
        f"with open({str(log)!r}, 'ab') as f:\n"
        "    f.write(data.replace(b'\\n', b' ') + b'\\n')\n"
        f"p = subprocess.run([{real!r}] + sys.argv[1:], input=data, capture_output=True)\n"
        "reply = json.loads(p.stdout)\n"
        f"{after}\n"
        "sys.stdout.write(json.dumps(reply))\n"
        "sys.stderr.buffer.write(p.stderr)\n"
        "sys.exit(p.returncode)\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("SEJIT_ENGINE", str(script))

    def requests():
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return requests


def sejit_warnings(record):
    return [str(w.message) for w in record if str(w.message).startswith("sejit:")]


# ----------------------------------------------------------------------------- intact entries


def test_a_complete_entry_records_its_checksum_and_loads_without_the_engine(cache):
    run_poly(sejit.jit(poly), np.float32)
    base = only_entry(cache)
    meta = meta_of(base)
    assert meta["so_sha256"] == sha256(base.with_suffix(".so"))
    before = sejit.stats()
    run_poly(sejit.jit(poly), np.float32)
    assert delta(before) == {"compiles": 0, "cache_loads": 1, "engine_runs": 0}


def test_loading_an_entry_records_its_last_use(cache):
    # The metadata's modification time is the entry's last use (the cache is trimmed least
    # recently used first): a load from the cache sets it to now.
    run_poly(sejit.jit(poly), np.float32)
    js = only_entry(cache).with_suffix(".json")
    os.utime(js, (1_000_000_000, 1_000_000_000))
    run_poly(sejit.jit(poly), np.float32)
    assert js.stat().st_mtime > 1_000_000_000 + 86400 * 365


def test_an_entry_removed_before_it_loads_is_a_plain_miss(cache, tmp_path, monkeypatch):
    # A concurrent `sejitc cache gc` removes the entry between the checks and dlopen.
    build_in_child(cache, "float32")
    base = only_entry(cache)
    requests = logging_engine(tmp_path, monkeypatch)
    real_probe = _cache.probe

    def probe_then_gc(*args, **kwargs):
        found = real_probe(*args, **kwargs)
        if found.status == _cache.Probe.HIT and not requests():
            for ext in (".json", ".so"):
                os.unlink(f"{base}{ext}")
        return found

    monkeypatch.setattr(_cache, "probe", probe_then_gc)
    run_poly(sejit.jit(poly), np.float32)
    (req,) = requests()
    assert "rebuild" not in req


# ----------------------------------------------------------------------------- damaged entries


def _corrupt(base, what):
    """Damages base's entry as `what` says; returns the inode of a replaced .so (or None)."""
    so, js = base.with_suffix(".so"), base.with_suffix(".json")
    if what == "truncated-so":
        return replace_file(so, so.read_bytes()[: so.stat().st_size // 2])
    if what == "flipped-byte-so":
        data = bytearray(so.read_bytes())
        data[len(data) // 2] ^= 0xFF
        return replace_file(so, bytes(data))
    if what == "empty-so":
        return replace_file(so, b"")
    if what == "missing-so":
        so.unlink()
    elif what == "truncated-json":
        replace_file(js, js.read_bytes()[: js.stat().st_size // 2])
    elif what == "garbage-json":
        replace_file(js, b"\x00\xff not json at all")
    elif what == "empty-json":
        replace_file(js, b"")
    elif what == "json-not-object":
        replace_file(js, b"[1, 2, 3]")
    elif what == "wrong-checksum":
        meta = json.loads(js.read_text())
        meta["so_sha256"] = "0" * 64
        replace_file(js, json.dumps(meta).encode())
    elif what == "bad-checksum-field":
        meta = json.loads(js.read_text())
        meta["so_sha256"] = 12345
        replace_file(js, json.dumps(meta).encode())
    elif what == "other-key":
        meta = json.loads(js.read_text())
        meta["key"] = "f" * 64
        replace_file(js, json.dumps(meta).encode())
    else:
        raise AssertionError(what)
    return None


@pytest.mark.parametrize(
    "what",
    [
        "truncated-so",
        "flipped-byte-so",
        "empty-so",
        "missing-so",
        "truncated-json",
        "garbage-json",
        "empty-json",
        "json-not-object",
        "wrong-checksum",
        "bad-checksum-field",
        "other-key",
    ],
)
def test_a_damaged_entry_is_rebuilt_and_never_loaded(cache, tmp_path, monkeypatch, what):
    build_in_child(cache, "float32")
    base = only_entry(cache)
    bad_inode = _corrupt(base, what)
    requests = logging_engine(tmp_path, monkeypatch)

    before = sejit.stats()
    with pytest.warns(RuntimeWarning, match=r"sejit: rebuilding cache entry .* \(poly\)"):
        run_poly(sejit.jit(poly), np.float32)
    assert delta(before) == {"compiles": 1, "cache_loads": 0, "engine_runs": 1}
    if bad_inode is not None:
        assert bad_inode not in mapped_inodes(), "the damaged shared object was loaded"
    (req,) = requests()
    assert "rebuild" not in req  # removed under its lock: an ordinary miss for the engine

    # The rebuilt entry is complete and intact, and later dispatchers load it.
    assert meta_of(base)["so_sha256"] == sha256(base.with_suffix(".so"))
    before = sejit.stats()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run_poly(sejit.jit(poly), np.float32)
    assert delta(before) == {"compiles": 0, "cache_loads": 1, "engine_runs": 0}


def test_a_damaged_entry_that_cannot_be_removed_is_rebuilt_by_the_engine(
    cache, tmp_path, monkeypatch
):
    run_poly(sejit.jit(poly), np.float32)
    base = only_entry(cache)
    bad_inode = _corrupt(base, "truncated-so")
    requests = logging_engine(tmp_path, monkeypatch)

    def refuse(path, *args, **kwargs):
        raise PermissionError(1, "Operation not permitted", path)

    monkeypatch.setattr(_cache.os, "unlink", refuse)
    with pytest.warns(RuntimeWarning, match="rebuilding cache entry"):
        run_poly(sejit.jit(poly), np.float32)
    monkeypatch.undo()
    (req,) = requests()
    assert req["rebuild"] is True
    assert bad_inode not in mapped_inodes()
    assert meta_of(base)["so_sha256"] == sha256(base.with_suffix(".so"))


def test_an_intact_entry_that_does_not_load_is_rebuilt(cache, tmp_path, monkeypatch):
    # The checksum matches, but dlopen refuses the file: the engine is told to rebuild rather
    # than answer from the entry. (Built in another process: this one must not have loaded
    # the path before, or dlopen would answer with the library it already has.)
    build_in_child(cache, "float32")
    base = only_entry(cache)
    so, js = base.with_suffix(".so"), base.with_suffix(".json")
    junk = b"\x7fELF but not really a shared object"
    replace_file(so, junk)
    meta = meta_of(base)
    meta["so_sha256"] = hashlib.sha256(junk).hexdigest()
    replace_file(js, json.dumps(meta).encode())
    requests = logging_engine(tmp_path, monkeypatch)
    before = sejit.stats()
    run_poly(sejit.jit(poly), np.float32)
    assert delta(before) == {"compiles": 1, "cache_loads": 0, "engine_runs": 1}
    (req,) = requests()
    assert req["rebuild"] is True
    assert so.read_bytes() != junk


def test_swapped_shared_objects_are_not_loaded(cache):
    # Two valid kernels with the same entry symbol, swapped: each would load and compute
    # garbage for the other's argument types. The checksums catch both.
    build_in_child(cache, "float32", "float64")
    (a, b) = entries(cache).values()
    so_a, so_b = a.with_suffix(".so").read_bytes(), b.with_suffix(".so").read_bytes()
    inodes = {replace_file(a.with_suffix(".so"), so_b), replace_file(b.with_suffix(".so"), so_a)}
    before = sejit.stats()
    with pytest.warns(RuntimeWarning, match="does not match its metadata"):
        fresh = sejit.jit(poly)
        run_poly(fresh, np.float32)
        run_poly(fresh, np.float64)
    assert delta(before)["compiles"] == 2
    assert not inodes & mapped_inodes()


def test_an_entry_file_that_is_a_symlink_is_not_followed(cache, tmp_path):
    run_poly(sejit.jit(poly), np.float32)
    base = only_entry(cache)
    so = base.with_suffix(".so")
    elsewhere = tmp_path / "elsewhere.so"
    os.replace(so, elsewhere)
    os.symlink(elsewhere, so)
    before = sejit.stats()
    with pytest.warns(RuntimeWarning, match="symbolic link"):
        run_poly(sejit.jit(poly), np.float32)
    assert delta(before)["compiles"] == 1
    assert not so.is_symlink()


# ----------------------------------------------------------------------------- private files


@pytest.mark.parametrize("suffix", [".so", ".json"])
@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_an_entry_file_others_can_write_is_rebuilt(cache, suffix, mode):
    build_in_child(cache, "float32")
    path = only_entry(cache).with_suffix(suffix)
    os.chmod(path, mode)
    inode = pin(path)
    before = sejit.stats()
    with pytest.warns(RuntimeWarning, match="is writable by"):
        run_poly(sejit.jit(poly), np.float32)
    assert delta(before) == {"compiles": 1, "cache_loads": 0, "engine_runs": 1}
    if suffix == ".so":
        assert inode not in mapped_inodes()
    assert path.stat().st_mode & 0o022 == 0  # replaced by a private file


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
@pytest.mark.parametrize("suffix", [".so", ".json"])
def test_an_entry_file_of_another_user_is_rebuilt(cache, suffix):
    build_in_child(cache, "float32")
    path = only_entry(cache).with_suffix(suffix)
    os.chown(path, 12345, 12345)
    inode = pin(path)
    before = sejit.stats()
    with pytest.warns(RuntimeWarning, match="belongs to uid 12345"):
        run_poly(sejit.jit(poly), np.float32)
    assert delta(before)["compiles"] == 1
    if suffix == ".so":
        assert inode not in mapped_inodes()
    assert path.stat().st_uid == os.getuid()


def _assert_falls_back(cache, tmp_path, monkeypatch, match, mutate):
    """After mutate(cache) an intact entry in cache must not be loaded; the calls succeed by
    compiling into a private directory, with one warning for any number of calls."""
    build_in_child(cache, "float32")
    base = only_entry(cache)
    inode = pin(base.with_suffix(".so"))
    mutate(cache, base)
    requests = logging_engine(tmp_path, monkeypatch)
    before = sejit.stats()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fast = sejit.jit(poly)
        run_poly(fast, np.float32)
        run_poly(fast, np.float64)
        run_poly(sejit.jit(poly), np.float32)
    (message,) = sejit_warnings(record)
    assert match in message and "compiling into a temporary directory for this process" in message
    (w,) = [w for w in record if str(w.message) == message]
    assert w.category is RuntimeWarning and w.filename == __file__  # at the user's call
    d = delta(before)
    assert d["cache_loads"] + d["compiles"] == 3 and d["engine_runs"] == 3
    assert len(requests()) == 3
    assert all(r["cache_dir"] != str(cache) and "rebuild" not in r for r in requests())
    assert inode not in mapped_inodes()


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_shard_directory_others_can_write_is_never_used(cache, tmp_path, monkeypatch, mode):
    def mutate(root, base):
        os.chmod(base.parent, mode)

    _assert_falls_back(cache, tmp_path, monkeypatch, "is writable by", mutate)


@pytest.mark.parametrize("mode", [0o770, 0o1777])
def test_a_cache_root_others_can_write_is_never_used(cache, tmp_path, monkeypatch, mode):
    def mutate(root, base):
        os.chmod(root, mode)

    _assert_falls_back(cache, tmp_path, monkeypatch, "is writable by", mutate)


@pytest.mark.skipif(not IS_ROOT, reason="giving a directory to another user needs root")
@pytest.mark.parametrize("which", ["root", "shard"])
def test_a_directory_of_another_user_is_never_used(cache, tmp_path, monkeypatch, which):
    def mutate(root, base):
        os.chown(root if which == "root" else base.parent, 12345, 12345)

    _assert_falls_back(cache, tmp_path, monkeypatch, "belongs to uid 12345", mutate)


def test_a_new_cache_root_is_created_private(tmp_path, monkeypatch):
    root = tmp_path / "a" / "b" / "cache"
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(root))
    run_poly(sejit.jit(poly), np.float32)
    base = only_entry(root)
    for d in (root, base.parent):
        assert d.stat().st_mode & 0o777 == 0o700, oct(d.stat().st_mode)


# ----------------------------------------------------------------------------- the engine's build


def test_what_the_engine_built_is_checked_before_loading(cache, tmp_path, monkeypatch):
    # An engine whose artifact is damaged between its build and the reply: refused, not
    # loaded, a clear error; the next call rebuilds.
    logging_engine(
        tmp_path,
        monkeypatch,
        after=(
            "so = reply.get('artifact')\n"
            "if reply.get('ok') and so:\n"
            "    data = open(so, 'rb').read()\n"
            "    open(so + '.t', 'wb').write(data[: len(data) // 3])\n"
            "    os.chmod(so + '.t', 0o600)\n"
            "    os.replace(so + '.t', so)\n"
        ),
    )
    fast = sejit.jit(poly)
    with pytest.raises(sejit.CompilerError) as info:
        run_poly(fast, np.float32)
    msg = str(info.value)
    assert msg.startswith("the code the sejit engine built for poly() was not loaded")
    assert "does not match its metadata" in msg
    inode = pin(only_entry(cache).with_suffix(".so"))
    assert inode not in mapped_inodes()
    assert fast.signatures == []

    monkeypatch.delenv("SEJIT_ENGINE")
    with pytest.warns(RuntimeWarning, match="rebuilding cache entry"):
        run_poly(fast, np.float32)
    assert len(fast.signatures) == 1


def test_an_artifact_outside_the_entry_is_refused(cache, tmp_path, monkeypatch):
    outside = tmp_path / "outside.so"
    logging_engine(
        tmp_path,
        monkeypatch,
        after=(
            "import shutil\n"
            f"shutil.copy(reply['artifact'], {str(outside)!r})\n"
            f"reply['artifact'] = {str(outside)!r}\n"
        ),
    )
    with pytest.raises(sejit.CompilerError, match=r"answered with .*outside\.so.* not loaded"):
        run_poly(sejit.jit(poly), np.float32)
    assert outside.stat().st_ino not in mapped_inodes()


# ----------------------------------------------------------------------------- unusable caches


@pytest.mark.parametrize("where", ["proc", "under-a-file"])
def test_an_unwritable_cache_directory_warns_once_and_compiles(tmp_path, monkeypatch, where):
    if where == "proc":
        root = f"/proc/sejit-test-{os.getpid()}-{tmp_path.name}"
    else:
        (tmp_path / "file").write_text("")
        root = str(tmp_path / "file" / "cache")
    monkeypatch.setenv("SEJIT_CACHE_DIR", root)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fast = sejit.jit(poly)
        run_poly(fast, np.float32)
        run_poly(fast, np.float64)
        run_poly(sejit.jit(poly), np.float64)
        assert sejit.jit(scaled)(2.0, 3.0) == 6.0
    (message,) = sejit_warnings(record)
    assert message.startswith(f"sejit: cache directory {root} is not writable (")
    assert message.count("compiling into a temporary directory for this process") == 1
    (w,) = [w for w in record if str(w.message) == message]
    assert w.category is RuntimeWarning and w.filename == __file__


def test_a_cache_the_engine_refuses_falls_back_with_its_reason(tmp_path, monkeypatch):
    # Python finds the directory usable, the engine does not ("cache_unusable" in its reply):
    # one warning with the engine's reason, and the call succeeds in a private directory.
    root = f"/proc/sejit-test-{os.getpid()}-{tmp_path.name}"
    monkeypatch.setenv("SEJIT_CACHE_DIR", root)
    monkeypatch.setattr(_cache, "_probe_writable", lambda root: None)
    requests = logging_engine(tmp_path, monkeypatch)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        run_poly(sejit.jit(poly), np.float32)
        run_poly(sejit.jit(poly), np.float64)
    (message,) = sejit_warnings(record)
    assert root in message and "compiling into a temporary directory" in message
    dirs = [r["cache_dir"] for r in requests()]
    assert dirs[0] == root and root not in dirs[1:] and len(dirs) == 3


@pytest.mark.skipif(IS_ROOT, reason="root writes into a directory without write permission")
def test_a_read_only_cache_directory_warns_once_and_compiles(tmp_path, monkeypatch):
    root = tmp_path / "ro"
    root.mkdir(mode=0o500)
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(root))
    try:
        with pytest.warns(RuntimeWarning, match="is not writable"):
            run_poly(sejit.jit(poly), np.float32)
    finally:
        root.chmod(0o700)


def test_a_read_only_cache_still_serves_its_entries(cache):
    # Loading needs no write permission: entries of a private cache that can no longer be
    # written (prepared once, then made read-only) are still loaded, without a warning.
    run_poly(sejit.jit(poly), np.float32)
    base = only_entry(cache)
    try:
        for d in (base.parent, cache):
            d.chmod(0o500)
        before = sejit.stats()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            run_poly(sejit.jit(poly), np.float32)
        assert delta(before) == {"compiles": 0, "cache_loads": 1, "engine_runs": 0}
    finally:
        for d in (cache, base.parent):
            d.chmod(0o700)


def test_an_unwritable_cache_warns_once_per_process():
    # In a fresh interpreter, several functions, signatures and dispatchers: one warning.
    code = (
        "import sys, warnings, numpy as np, sejit\n"
        f"sys.path.insert(0, {os.path.dirname(__file__)!r})\n"
        "import test_safety_cache as t\n"
        "with warnings.catch_warnings(record=True) as rec:\n"
        "    warnings.simplefilter('always')\n"
        "    t.run_poly(sejit.jit(t.poly), np.float32)\n"
        "    t.run_poly(sejit.jit(t.poly), np.float64)\n"
        "    assert sejit.jit(t.scaled)(2.0, 4.0) == 8.0\n"
        "print(len(t.sejit_warnings(rec)), sejit.stats()['compiles'])\n"
    )
    env = dict(os.environ, SEJIT_CACHE_DIR="/proc/no-such-dir/sejit")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == ["1", "3"]
