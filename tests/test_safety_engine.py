"""The engine under faults, and a missing C compiler (issue 4, "Engine and cache under faults").

Fake engines are small shell scripts named by $SEJIT_ENGINE that hang, kill themselves, exit
with an error or print garbage. Each failure must be a `sejit.CompilerError` naming the
function and what happened, with one primary message (no chained exceptions, no sejit frames
in the traceback) unless SEJIT_DEBUG=1; the interpreter goes on, and a later call with a
working engine compiles.

`make sanitize` preloads ASan into every process, fake engines included; the one test that
cannot hold then is marked `sanitizer_incompatible` (ASan's own SIGSEGV handler in the fake
engine turns its segfault into an abort).
"""

import os
import shutil
import signal
import sys
import time
import traceback

import numpy as np
import pytest

import sejit

DISABLED = os.environ.get("SEJIT_DISABLE") == "1"
pytestmark = pytest.mark.skipif(DISABLED, reason="SEJIT_DISABLE=1: nothing is compiled")

SEJIT_DIR = os.path.dirname(sejit.__file__)


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def run_poly(fast):
    x = np.linspace(0.0, 1.0, 11)
    y = np.empty_like(x)
    fast(x, y, 0.5)
    np.testing.assert_allclose(y, (x - 0.5) + (x - 0.5) ** 2)


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SEJIT_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("SEJIT_ENGINE", "SEJIT_ENGINE_TIMEOUT", "SEJIT_DEBUG", "SEJIT_CC"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def fake_engine(tmp_path, monkeypatch, body):
    script = tmp_path / "fake-sejitc"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    monkeypatch.setenv("SEJIT_ENGINE", str(script))
    return script


def sejit_frames(tb):
    return [f for f in traceback.extract_tb(tb) if f.filename.startswith(SEJIT_DIR)]


def assert_one_primary_message(info):
    exc = info.value
    assert exc.__cause__ is None and exc.__suppress_context__
    assert sejit_frames(info.tb) == [], traceback.format_tb(info.tb)
    assert "\n" not in str(exc), str(exc)


def state(pid):
    """The process's state letter from /proc, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def wait_gone(pid, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if state(pid) in (None, "Z", "X"):
            return True
        time.sleep(0.02)
    return False


# ----------------------------------------------------------------------------- failures


FAILURES = [
    pytest.param(
        "echo 'panic: runtime error: index out of range' >&2\nkill -9 $$",
        "it was killed by signal 9 (SIGKILL) (panic: runtime error: index out of range)",
        id="sigkill",
    ),
    pytest.param(
        "kill -SEGV $$",
        "it was killed by signal 11 (SIGSEGV)",
        id="sigsegv",
        marks=pytest.mark.sanitizer_incompatible,
    ),
    pytest.param(
        "cat >/dev/null\necho 'sejitc: out of memory' >&2\necho 'more detail' >&2\nexit 3",
        "it exited with status 3 (sejitc: out of memory)",
        id="exit-3",
    ),
    pytest.param(
        "echo '<html>this is not json</html>'",
        "its reply is not the JSON object the protocol specifies",
        id="garbage",
    ),
    pytest.param(
        "printf '[1, 2, 3]'", "its reply is not the JSON object the protocol specifies", id="list"
    ),
    pytest.param(
        "head -c 20000 /dev/urandom",
        "its reply is not the JSON object the protocol specifies",
        id="binary",
    ),
    pytest.param("exit 0", "it exited without a reply", id="silent"),
    pytest.param(
        'echo \'{"ok": true, "artifact": 3}\'',
        "the sejit engine answered without an artifact for poly()",
        id="no-artifact",
    ),
]


@pytest.mark.parametrize("body, what", FAILURES)
def test_engine_failure_is_a_compiler_error(env, tmp_path, body, what):
    fake_engine(tmp_path, env, body)
    fast = sejit.jit(poly)
    with pytest.raises(sejit.CompilerError) as info:
        run_poly(fast)
    msg = str(info.value)
    if what.startswith("the sejit engine"):
        assert msg == what
    else:
        assert msg.startswith(f"the sejit engine failed compiling poly(): {what}"), msg
        assert msg.endswith("; SEJIT_DEBUG=1 shows the engine's output")
    assert "more detail" not in msg
    assert_one_primary_message(info)
    assert fast.signatures == []

    # The interpreter goes on, and the same dispatcher compiles once the engine works.
    env.delenv("SEJIT_ENGINE")
    run_poly(fast)
    assert len(fast.signatures) == 1


def test_debug_shows_the_engines_output_and_frames(env, tmp_path):
    fake_engine(tmp_path, env, "echo 'line one' >&2\necho 'line two' >&2\necho junk\nexit 4")
    env.setenv("SEJIT_DEBUG", "1")
    with pytest.raises(sejit.CompilerError) as info:
        run_poly(sejit.jit(poly))
    msg = str(info.value)
    assert msg.startswith("the sejit engine failed compiling poly(): it exited with status 4")
    assert "stderr:\nline one\nline two" in msg
    assert "junk" in msg and "fake-sejitc compile" in msg
    assert sejit_frames(info.tb), "SEJIT_DEBUG=1 keeps sejit's frames"


def test_a_hanging_engine_is_killed_with_its_children(env, tmp_path):
    pids = tmp_path / "pids"
    # The engine starts a child (as it starts the C compiler) and both hang.
    fake_engine(tmp_path, env, f"sleep 600 &\necho $$ $! > {pids}\nwait")
    env.setenv("SEJIT_ENGINE_TIMEOUT", "0.5")
    fast = sejit.jit(poly)
    with pytest.raises(sejit.CompilerError) as info:
        run_poly(fast)
    assert str(info.value).startswith(
        "the sejit engine failed compiling poly(): it did not finish within 0.5 s "
        "(SEJIT_ENGINE_TIMEOUT) and was killed"
    )
    assert_one_primary_message(info)
    engine_pid, child_pid = map(int, pids.read_text().split())
    assert wait_gone(engine_pid) and wait_gone(child_pid), "the hung engine's processes live on"

    env.delenv("SEJIT_ENGINE")
    env.delenv("SEJIT_ENGINE_TIMEOUT")
    run_poly(fast)


def test_an_interrupted_compile_stops_the_engine(env, tmp_path):
    # Ctrl-C while the engine runs: the KeyboardInterrupt reaches the caller and the engine
    # (in its own session, so the terminal's SIGINT does not reach it) is killed by sejit.
    pids = tmp_path / "pids"
    fake_engine(tmp_path, env, f"echo $$ > {pids}\nsleep 600")

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_poly(sejit.jit(poly))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert wait_gone(int(pids.read_text()))


def test_the_engine_gets_the_default_time_limit(env, tmp_path, monkeypatch):
    import subprocess

    from sejit import _engine

    assert _engine.engine_timeout() == 120.0
    seen = {}
    real_popen = subprocess.Popen

    class Spy(real_popen):
        def communicate(self, input=None, timeout=None):
            seen["timeout"] = timeout
            return super().communicate(input, timeout)

    monkeypatch.setattr(subprocess, "Popen", Spy)
    run_poly(sejit.jit(poly))
    assert seen["timeout"] == 120.0


@pytest.mark.parametrize("value", ["abc", "0", "-5", "inf", "nan"])
def test_a_bad_time_limit_is_a_clear_error(env, value):
    env.setenv("SEJIT_ENGINE_TIMEOUT", value)
    with pytest.raises(sejit.CompilerError, match="SEJIT_ENGINE_TIMEOUT must be a positive"):
        run_poly(sejit.jit(poly))


def test_an_engine_that_cannot_be_executed(env, tmp_path):
    script = fake_engine(tmp_path, env, "exit 0")
    script.chmod(0o644)
    if os.geteuid() == 0:
        script.write_bytes(b"\x7fELF garbage")  # root may execute anything with an x bit
        script.chmod(0o755)
    with pytest.raises(sejit.CompilerError, match=r"cannot compile poly\(\): cannot run") as info:
        run_poly(sejit.jit(poly))
    assert_one_primary_message(info)


def test_compile_errors_carry_no_internal_frames(env):
    def uses_dict(x):
        d = {1: x, **{}}
        return d

    with pytest.raises(sejit.UnsupportedError) as info:
        sejit.jit(uses_dict)(1.0)
    assert sejit_frames(info.tb) == []
    assert info.value.__cause__ is None and info.value.__suppress_context__


# ----------------------------------------------------------------------------- the C compiler


def test_a_missing_compiler_names_sejit_cc(env):
    env.setenv("SEJIT_CC", "/nonexistent/cc")
    with pytest.raises(sejit.CompilerError) as info:
        run_poly(sejit.jit(poly))
    msg = str(info.value)
    assert "/nonexistent/cc" in msg and "SEJIT_CC" in msg, msg
    assert_one_primary_message(info)


def test_a_compiler_removed_since_the_entry_was_built(env, tmp_path):
    # An entry built by a compiler that has since disappeared: the warm path's compiler check
    # does not crash; the engine is asked to rebuild and reports the missing compiler.
    real = shutil.which("cc")
    wrapper = tmp_path / "bin" / "mycc"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    env.setenv("SEJIT_CC", str(wrapper))
    run_poly(sejit.jit(poly))
    before = sejit.stats()
    run_poly(sejit.jit(poly))
    assert sejit.stats()["cache_loads"] - before["cache_loads"] == 1

    wrapper.unlink()
    fast = sejit.jit(poly)
    with pytest.raises(sejit.CompilerError) as info:
        run_poly(fast)
    assert "SEJIT_CC" in str(info.value) and str(wrapper) in str(info.value)
    assert fast.signatures == []

    # The compiler comes back: the entry is still there and loads.
    wrapper.write_text(f'#!/bin/sh\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    run_poly(fast)


@pytest.mark.parametrize("kind", ["directory", "not-executable"])
def test_a_compiler_that_is_not_a_program(env, tmp_path, kind):
    cc = tmp_path / "cc"
    if kind == "directory":
        cc.mkdir()
    else:
        cc.write_text("int main;")
    env.setenv("SEJIT_CC", str(cc))
    with pytest.raises(sejit.CompilerError) as info:
        run_poly(sejit.jit(poly))
    assert "SEJIT_CC" in str(info.value) or str(cc) in str(info.value)
