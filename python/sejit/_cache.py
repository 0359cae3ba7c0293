"""Reading the on-disk cache safely, without the engine (docs/protocol.md §3).

The cache holds code that is loaded into the user's process, so nothing is loaded from it
unless it is private and intact:

- the cache root, the entry's shard directory and the entry's files must belong to this user
  and must not be writable by group or others (anyone who can write there could replace a
  shared object that sejit is about to load), and the files must be regular files, not links;
- the metadata must parse and name this key and engine version, and the shared object's
  SHA-256 must equal the `so_sha256` the engine recorded in the metadata (a truncated or
  corrupted .so is never handed to dlopen).

An entry that fails the integrity checks is removed (under the entry's lock, the one the engine
builds under) and rebuilt, with `"rebuild": true` in the request. A cache directory that is
not private, or that cannot be written, gives one warning per process and a private temporary
directory instead.

The engine writes the cache (internal/cache); this module only reads it, removes a damaged
entry, and records a use (the metadata's modification time) for `cache gc`.
"""

import _thread
import atexit
import errno
import fcntl
import json
import os
import stat
import time
import warnings

from . import _hash
from ._engine import cc_stamp, engine_timeout
from .errors import CompilerError

MAX_META_BYTES = 1 << 20  # an entry's metadata is a few kilobytes; more is not ours


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
_private_lock = _thread.allocate_lock()


def private_cache_dir():
    """A directory of this process only, removed at exit: the cache of cache=False dispatchers
    and the fallback for a cache directory that cannot be used."""
    global _private_dir
    with _private_lock:
        if _private_dir is None:
            try:
                import tempfile  # only when the disk cache is not used

                _private_dir = tempfile.mkdtemp(prefix="sejit-nocache-")  # mode 0700
            except OSError as exc:
                raise CompilerError(
                    f"sejit cannot create a temporary directory to compile into: {exc}"
                ) from None
            import shutil  # only with a private directory, as tempfile

            atexit.register(shutil.rmtree, _private_dir, True)
        return _private_dir


# ---------------------------------------------------------------------------------------------
# Is a cache directory usable?

_dir_verdicts = {}  # cache root → None (usable) or why not; decided once per process
_dir_lock = _thread.allocate_lock()


def _not_private(st, path, what):
    """Why a file or directory with stat st may not be trusted, or None."""
    uid = os.getuid()
    if st.st_uid != uid:
        return f"{what} {path} belongs to uid {st.st_uid}, not to you (uid {uid})"
    if st.st_mode & 0o022:
        who = {0o020: "group", 0o002: "others", 0o022: "group and others"}[st.st_mode & 0o022]
        return f"{what} {path} is writable by {who} (mode {stat.S_IMODE(st.st_mode):#o})"
    return None


def _check_dir(path):
    """None if path is a private directory or does not exist; else why it is not usable."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return f"cannot inspect {path}: {exc.strerror or exc}"
    if not stat.S_ISDIR(st.st_mode):
        return f"{path} is not a directory"
    return _not_private(st, path, "cache directory")


def _probe_writable(root):
    """None if the engine can build entries in root (created if missing, 0700); else why not."""
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
        why = _check_dir(root)
        if why is not None:
            return why
        # A private name made here rather than through tempfile, whose import
        # would cost every process's first call.
        name = os.path.join(root, f".sejit-probe-{os.getpid()}-{_thread.get_ident()}")
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(name)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def usable_cache_dir(root, why=None, stacklevel=2):
    """root if the engine may build into it, else this process's private directory.

    why: a reason, found by the caller, that root cannot be used (a directory in it is not
    private; the engine refused it). The first time a root turns out unusable — not writable,
    or not private to this user — a RuntimeWarning says so; from then on this process compiles
    into its private directory, like cache=False.
    """
    with _dir_lock:
        if root not in _dir_verdicts or (why is not None and _dir_verdicts[root] is None):
            if why is None:
                why = _check_dir(root)
                if why is not None:
                    why += "; sejit never loads code from a directory others can change"
            if why is None:
                problem = _probe_writable(root)
                if problem is not None:
                    why = f"cache directory {root} is not writable ({problem})"
            _dir_verdicts[root] = why
            if why is not None:
                warnings.warn(
                    f"sejit: {why}; compiling into a temporary directory for this process "
                    f"(set SEJIT_CACHE_DIR to a private, writable directory)",
                    RuntimeWarning,
                    stacklevel=stacklevel + 1,
                )
        if _dir_verdicts[root] is None:
            return root
    return private_cache_dir()


# ---------------------------------------------------------------------------------------------
# Reading an entry


class Probe:
    """What the cache holds for a key: status, and for a HIT the entry to load.

    HIT: complete, private and intact. MISS: no complete entry. STALE: intact, but built by
    another compiler than the one $SEJIT_CC names today (the engine rebuilds it). CORRUPT: the
    metadata or the shared object is damaged, or a file is not private: remove and rebuild.
    UNSAFE: a directory is not private; nothing in it may be loaded.
    """

    HIT, MISS, STALE, CORRUPT, UNSAFE = "hit", "miss", "stale", "corrupt", "unsafe"

    def __init__(self, status, reason="", so_path=None, symbol=None, abi=None):
        self.status = status
        self.reason = reason
        self.so_path = so_path
        self.symbol = symbol
        self.abi = abi

    def __repr__(self):
        return f"Probe({self.status!r}, {self.reason!r})"


def entry_paths(cache_dir, key):
    """(shard directory, path without extension) of key's entry."""
    shard = os.path.join(cache_dir, key[:2])
    return shard, os.path.join(shard, key)


def _open_private(path, what):
    """(fd, None) for a private regular file, never following a link; (None, why) otherwise.

    The checks are made on the open descriptor, so they are about the file that is read.
    A missing file is (None, None).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, f"{what} {path} is a symbolic link"
        return None, f"cannot open {what} {path}: {exc.strerror or exc}"
    try:
        st = os.fstat(fd)
        why = None
        if not stat.S_ISREG(st.st_mode):
            why = f"{what} {path} is not a regular file"
        else:
            why = _not_private(st, path, what)
    except OSError as exc:
        why = f"cannot inspect {what} {path}: {exc.strerror or exc}"
    if why is not None:
        os.close(fd)
        return None, why
    return fd, None


def _read_meta(path):
    """(metadata dict, None), (None, None) when missing, or (None, why it is unusable)."""
    fd, why = _open_private(path, "cache metadata")
    if fd is None:
        return None, why
    try:
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_META_BYTES + 1)
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"
    if len(data) > MAX_META_BYTES:
        return None, f"{path} is larger than any metadata sejit writes"
    try:
        meta = json.loads(data)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None, f"{path} is not valid JSON (truncated or corrupted)"
    if not isinstance(meta, dict):
        return None, f"{path} does not hold an entry's metadata"
    return meta, None


def _is_sha256(s):
    return isinstance(s, str) and len(s) == 64 and all(c in "0123456789abcdef" for c in s)


def _so_digest(path):
    """(hex SHA-256, None) of a private regular file, or (None, why not)."""
    fd, why = _open_private(path, "compiled kernel")
    if fd is None:
        return None, why or f"the compiled kernel {path} is missing"
    try:
        with os.fdopen(fd, "rb") as f:
            return _hash.file_hexdigest(f), None
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"


def probe(cache_dir, key, engine_version, check_stamp=True):
    """What the cache at cache_dir holds for key (a Probe). Starts no process, loads nothing.

    check_stamp=False skips the compiler check: used on the entry the engine has just built.
    """
    shard, base = entry_paths(cache_dir, key)
    for d in (cache_dir, shard):
        why = _check_dir(d)
        if why is not None:
            return Probe(Probe.UNSAFE, why)
        if not os.path.isdir(d):
            return Probe(Probe.MISS, f"{d} does not exist")
    meta, why = _read_meta(base + ".json")
    if meta is None:
        if why is None:
            return Probe(Probe.MISS, "no complete entry")
        return Probe(Probe.CORRUPT, why)
    if meta.get("key") != key or meta.get("engine_version") != engine_version:
        return Probe(Probe.CORRUPT, f"{base}.json describes another entry")
    symbol, abi = meta.get("symbol"), meta.get("abi")
    if not isinstance(symbol, str) or not symbol or not isinstance(abi, dict):
        return Probe(Probe.CORRUPT, f"{base}.json lacks the symbol or the ABI")
    want = meta.get("so_sha256")
    if not _is_sha256(want):  # missing (an older engine's entry) counts as corrupt
        return Probe(Probe.CORRUPT, f"{base}.json records no valid so_sha256 checksum")
    if check_stamp:
        stamp = meta.get("cc")
        current = cc_stamp()
        if (
            current is None
            or not isinstance(stamp, dict)
            or (stamp.get("path"), stamp.get("size"), stamp.get("mtime_ns")) != current
        ):
            # Built by another compiler than the one $SEJIT_CC names today (or that compiler
            # is missing): the engine rebuilds it, or says what is wrong with the compiler.
            return Probe(Probe.STALE, "built by another C compiler")
    so_path = base + ".so"
    digest, why = _so_digest(so_path)
    if digest is None:
        return Probe(Probe.CORRUPT, why)
    if digest != want:
        return Probe(
            Probe.CORRUPT,
            f"the SHA-256 of {so_path} does not match its metadata (truncated or corrupted)",
        )
    return Probe(Probe.HIT, "", so_path, symbol, abi)


def touch(cache_dir, key):
    """Records a use of the entry: its metadata's modification time is its last use, by which
    `sejitc cache gc` and $SEJIT_CACHE_MAX_SIZE trim the cache (least recently used first).
    Best effort: a cache that cannot be written is still read."""
    try:
        os.utime(entry_paths(cache_dir, key)[1] + ".json")
    except OSError:
        pass


def _lock_entry(cache_dir, key, timeout):
    """The entry's lock file, flock'ed as the engine does while it builds, or None if it could
    not be had within timeout seconds.

    Like the engine's, it checks after locking that the path still names the file it locked:
    lock files may be removed (by `sejitc cache gc` and `clear`) by whoever holds them.
    """
    path = entry_paths(cache_dir, key)[1] + ".lock"
    deadline = time.monotonic() + timeout
    wait = 0.001
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError:
            return None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pass
            except OSError:
                os.close(fd)
                return None
            if time.monotonic() >= deadline:
                os.close(fd)
                return None
            time.sleep(wait)
            wait = min(2 * wait, 0.05)
        try:
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                return fd
        except OSError:
            pass
        os.close(fd)  # removed while we waited: lock the new file


def repair(cache_dir, key, engine_version):
    """Removes a CORRUPT entry so that the engine builds it again.

    Returns (the probe found under the lock, whether a damaged entry is still in place). Done
    under the entry's lock and after probing again, so an entry that another process rebuilt
    meanwhile is loaded rather than removed. The metadata goes first: from then on the entry
    is incomplete, as after an interrupted build. An entry that is removed is an ordinary
    miss for the engine; one that could not be (the lock was not had in time, a file could
    not be unlinked) is left to the engine with "rebuild": true.
    """
    fd = _lock_entry(cache_dir, key, engine_timeout())
    try:
        found = probe(cache_dir, key, engine_version)
        if found.status != Probe.CORRUPT:
            return found, False
        if fd is None:
            return found, True
        _, base = entry_paths(cache_dir, key)
        for ext in (".json", ".so"):
            try:
                os.unlink(base + ext)
            except FileNotFoundError:
                pass
            except OSError:
                return found, True
        return found, False
    finally:
        if fd is not None:
            os.close(fd)  # releases the flock
