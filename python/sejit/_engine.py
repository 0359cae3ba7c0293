"""Running the engine (docs/protocol.md §2), and the environment that configures it.

The engine runs as a subprocess in its own process group with a time limit; a crash, a hang, a
non-zero exit or an answer that is not JSON is a CompilerError naming the function, and the
interpreter goes on. Reading the cache without the engine is _cache.py's.
"""

import _thread
import json
import math
import os
import warnings

from .errors import CompilerError

DEFAULT_ENGINE_TIMEOUT = 120.0  # seconds; a compile takes tens of milliseconds


_stats_lock = _thread.allocate_lock()
_stats = {"compiles": 0, "cache_loads": 0, "engine_runs": 0}


def count(name):
    with _stats_lock:
        _stats[name] += 1


def stats():
    """A copy of the counters: compiles, cache_loads, engine_runs.

    `compiles` counts specializations the engine built for this process; `cache_loads` counts
    those found complete in the cache, whether by this process (without the engine) or by the
    engine (`"cached": true` in its reply: another process built the entry while this one
    waited for its lock). `engine_runs` counts engine subprocesses.
    """
    with _stats_lock:
        return dict(_stats)


# ---------------------------------------------------------------------------------------------
# The environment


def _flag(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def debug():
    """SEJIT_DEBUG=1: errors carry the engine's output and the internal frames."""
    return _flag("SEJIT_DEBUG")


def engine_path():
    """$SEJIT_ENGINE, else the sejitc binary installed next to this package."""
    return os.environ.get("SEJIT_ENGINE") or os.path.join(os.path.dirname(__file__), "sejitc")


def engine_timeout():
    """$SEJIT_ENGINE_TIMEOUT in seconds (default 120): how long one engine run may take."""
    raw = os.environ.get("SEJIT_ENGINE_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_ENGINE_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise CompilerError(
            f"SEJIT_ENGINE_TIMEOUT must be a positive number of seconds, not {raw!r}"
        )
    return value


def cc_name():
    return os.environ.get("SEJIT_CC") or "cc"


def cflags():
    """The extra C compiler flags of $SEJIT_CFLAGS, separated by single spaces."""
    return " ".join(os.environ.get("SEJIT_CFLAGS", "").split())


def cc_stamp():
    """(realpath, size, mtime_ns) of the compiler $SEJIT_CC names, or None if it is not found.

    Only used to notice that a cached entry was built by another compiler than today's; it is
    never part of the key. A missing compiler makes every entry stale: the engine is asked,
    and it reports the missing compiler.
    """
    # Resolved like the engine does (Go's exec.LookPath of the whole name), so both sides stamp
    # the same file.
    try:
        found = _which(cc_name())
        if found is None:
            return None
        path = os.path.realpath(found)
        st = os.stat(path)
    except (OSError, ValueError):  # ValueError: a name with a NUL byte
        return None
    return path, st.st_size, st.st_mtime_ns


def _which(name):
    """shutil.which(name) on POSIX, without importing shutil (and, through it, bz2 and lzma:
    milliseconds of `import sejit`)."""
    def runnable(path):
        return os.path.exists(path) and os.access(path, os.X_OK) and not os.path.isdir(path)

    if os.path.dirname(name):
        return name if runnable(name) else None
    path = os.environ.get("PATH", None)
    if path is None:
        try:
            path = os.confstr("CS_PATH")
        except (AttributeError, ValueError):
            path = os.defpath
    if not path:
        return None
    seen = set()
    for directory in os.fsdecode(path).split(os.pathsep):
        normdir = os.path.normcase(directory)
        if normdir in seen:
            continue
        seen.add(normdir)
        candidate = os.path.join(directory, name)
        if runnable(candidate):
            return candidate
    return None


def warn_engine_notes(reply, stacklevel=2):
    """The engine's "warnings" (notes that did not stop the compile) as RuntimeWarnings."""
    notes = reply.get("warnings")
    if isinstance(notes, list):
        for note in notes:
            if isinstance(note, str) and note:
                warnings.warn(f"sejit: {note}", RuntimeWarning, stacklevel=stacklevel + 1)


# ---------------------------------------------------------------------------------------------
# Running the engine


def _signal_name(n):
    try:
        import signal

        return f"signal {n} ({signal.Signals(n).name})"
    except ValueError:
        return f"signal {n}"


def _kill_group(proc, grace=1.0):
    """Stops the engine and everything it started (its own process group), then reaps it.

    SIGTERM first, so the engine can stop its compiler and remove its temporary files; then,
    after grace seconds, SIGKILL. Signals go to the group only while its leader is unreaped
    (alive, or a zombie that still holds its process id), never to a group id that the system
    may have given to someone else since.
    """
    import signal
    import subprocess  # imported for a compile, not at 
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            return proc.communicate(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        except OSError:
            break
    # A descendant that left the group still holds the pipes: stop reading.
    for pipe in (proc.stdout, proc.stderr):
        try:
            pipe.close()
        except OSError:
            pass
    proc.wait()
    return b"", b""


def _engine_failure(funcname, what, engine, stdout, stderr):
    """The CompilerError for an engine that failed: one line, or everything with SEJIT_DEBUG."""
    text = f"the sejit engine failed compiling {funcname}(): {what}"
    err = stderr.decode(errors="replace").strip()
    if debug():
        out = stdout.decode(errors="replace")
        text += f"\nengine: {engine} compile"
        text += f"\nstderr:\n{err[-8000:]}" if err else "\nstderr: (empty)"
        text += f"\nstdout (start): {out[:2000]!r}"
    else:
        first = next((line.strip() for line in err.splitlines() if line.strip()), "")
        if first:
            text += f" ({first[:300]})"
        text += "; SEJIT_DEBUG=1 shows the engine's output"
    return CompilerError(text)


def run(request, funcname):
    """Runs `sejitc compile` on a request and returns the parsed reply (ok or not).

    A failure of the engine itself (missing, crashed, hung, killed, or not answering JSON) is a
    CompilerError naming the function; a reply with "ok": false is returned to the caller.
    """
    import subprocess  # imported for a compile, not at 
    engine = engine_path()
    if not os.path.isfile(engine):
        raise CompilerError(
            f"cannot compile {funcname}(): the sejit engine is not installed at {engine} "
            f"(set SEJIT_ENGINE to the sejitc binary, or reinstall sejit)"
        )
    timeout = engine_timeout()
    data = json.dumps(request, allow_nan=False).encode()
    count("engine_runs")
    try:
        # Its own session: a timeout kills the engine and the compiler it started together, and
        # a Ctrl-C in the terminal reaches Python, which then stops the engine.
        proc = subprocess.Popen(
            [engine, "compile"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise CompilerError(
            f"cannot compile {funcname}(): cannot run the sejit engine {engine}: "
            f"{exc.strerror or exc}"
        ) from None
    try:
        stdout, stderr = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        stdout, stderr = _kill_group(proc)
        raise _engine_failure(
            funcname,
            f"it did not finish within {timeout:g} s (SEJIT_ENGINE_TIMEOUT) and was killed",
            engine,
            stdout or b"",
            stderr or b"",
        ) from None
    except BaseException:  # KeyboardInterrupt included: never leave the engine running
        _kill_group(proc)
        raise
    try:
        reply = json.loads(stdout)
    except (ValueError, RecursionError):
        reply = None
    if isinstance(reply, dict) and (proc.returncode == 0 or reply.get("ok") is False):
        return reply
    if proc.returncode < 0:
        what = f"it was killed by {_signal_name(-proc.returncode)}"
    elif proc.returncode > 0:
        what = f"it exited with status {proc.returncode}"
    elif not stdout.strip():
        what = "it exited without a reply"
    else:
        what = "its reply is not the JSON object the protocol specifies"
    raise _engine_failure(funcname, what, engine, stdout, stderr)
