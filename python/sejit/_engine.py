"""Finding and running the engine, and reading the on-disk cache (docs/protocol.md §2, §3)."""

import atexit
import json
import os
import shutil
import subprocess
import tempfile
import threading

from .errors import CompilerError

ENGINE_TIMEOUT = 300  # seconds; a compile is tens of milliseconds, a hang must not be forever

_stats_lock = threading.Lock()
_stats = {"compiles": 0, "cache_loads": 0, "engine_runs": 0}


def count(name):
    with _stats_lock:
        _stats[name] += 1


def stats():
    """A copy of the counters: compiles, cache_loads, engine_runs."""
    with _stats_lock:
        return dict(_stats)


def engine_path():
    """$SEJIT_ENGINE, else the sejitc binary installed next to this package."""
    return os.environ.get("SEJIT_ENGINE") or os.path.join(os.path.dirname(__file__), "sejitc")


def cc_name():
    return os.environ.get("SEJIT_CC") or "cc"


def cc_stamp():
    """(realpath, size, mtime_ns) of the compiler $SEJIT_CC names, or None if it is not found.

    Only used to notice that a cached entry was built by another compiler than today's; it is
    never part of the key.
    """
    # Resolved like the engine does (Go's exec.LookPath of the whole name), so both sides stamp
    # the same file.
    found = shutil.which(cc_name())
    if found is None:
        return None
    path = os.path.realpath(found)
    try:
        st = os.stat(path)
    except OSError:
        return None
    return path, st.st_size, st.st_mtime_ns


def user_cache_dir():
    # Absolute, like the engine's: entries must not depend on the working directory. A relative
    # $XDG_CACHE_HOME is invalid by the XDG spec and ignored, as the engine does.
    explicit = os.environ.get("SEJIT_CACHE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sejit")


_private_dir = None
_private_lock = threading.Lock()


def private_cache_dir():
    """A directory of this process only, removed at exit: the cache of cache=False dispatchers."""
    global _private_dir
    with _private_lock:
        if _private_dir is None:
            _private_dir = tempfile.mkdtemp(prefix="sejit-nocache-")
            atexit.register(shutil.rmtree, _private_dir, True)
        return _private_dir


def load_cached(cache_dir, key, engine_version):
    """(so_path, symbol, abi) of a complete, current cache entry, or None."""
    base = os.path.join(cache_dir, key[:2], key)
    try:
        with open(base + ".json", encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    if meta.get("key") != key or meta.get("engine_version") != engine_version:
        return None
    stamp = meta.get("cc")
    current = cc_stamp()
    if current is None or not isinstance(stamp, dict):
        return None
    if (stamp.get("path"), stamp.get("size"), stamp.get("mtime_ns")) != current:
        return None  # built by another compiler than the one $SEJIT_CC names today: stale
    symbol, abi = meta.get("symbol"), meta.get("abi")
    so_path = base + ".so"
    if not isinstance(symbol, str) or not isinstance(abi, dict) or not os.path.isfile(so_path):
        return None
    return so_path, symbol, abi


def run(request, funcname):
    """Runs `sejitc compile` on a request and returns the parsed reply (ok or not).

    A failure of the engine itself (missing, crashed, hung, or not answering JSON) is a
    CompilerError naming the function; a reply with "ok": false is returned to the caller.
    """
    engine = engine_path()
    if not os.path.isfile(engine):
        raise CompilerError(
            f"cannot compile {funcname}(): the sejit engine is not installed at {engine} "
            f"(set SEJIT_ENGINE to the sejitc binary, or reinstall sejit)"
        )
    data = json.dumps(request, allow_nan=False).encode()
    count("engine_runs")
    try:
        proc = subprocess.run(
            [engine, "compile"], input=data, capture_output=True, timeout=ENGINE_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise CompilerError(
            f"the sejit engine did not finish compiling {funcname}() in {ENGINE_TIMEOUT} s"
        ) from None
    except OSError as exc:
        raise CompilerError(f"cannot run the sejit engine {engine}: {exc}") from None
    try:
        reply = json.loads(proc.stdout)
    except ValueError:
        reply = None
    if isinstance(reply, dict) and (proc.returncode == 0 or reply.get("ok") is False):
        return reply
    stderr = proc.stderr.decode(errors="replace").strip()
    detail = stderr[-2000:] if stderr else "no output"
    if proc.returncode < 0:
        status = f"killed by signal {-proc.returncode}"
    else:
        status = f"exit status {proc.returncode}"
    raise CompilerError(f"the sejit engine failed compiling {funcname}() ({status}): {detail}")
