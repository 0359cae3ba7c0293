"""try … except … finally, and ways out of try … finally, in functions without source.

Each program compiles twice: once from its source (a file that inspect reads back) and
once from a string exec'd without a file (the engine decompiles its bytecode,
internal/bytecode), and both are compared with CPython on copies of the same arguments
(conftest.check). The bytecode of the CPython versions sejit decompiles other than the
running one (3.11 to 3.13, where their interpreters are installed) is written by those
interpreters (python/sejit/_bytecode.py) and compiled in place of the running one's: the
programs mean the same in every version, so CPython here is the reference for each.
"""

import glob
import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import check, check_raises, needs_engine

import sejit
import sejit._request as request

pytestmark = needs_engine

PROGRAMS = [
    ("except_finally", """
        def f(x, out):
            try:
                y = 1 / x
            except ZeroDivisionError:
                y = 0.0
            finally:
                out[0] += 1.0
            return y
        """, [(2.0, np.zeros(2)), (0.0, np.zeros(2))]),
    ("except_else_finally", """
        def f(x, out):
            try:
                y = 1 / x
            except ZeroDivisionError:
                y = 0.0
            else:
                y = y + 1.0
            finally:
                out[0] += 1.0
            return y
        """, [(4.0, np.zeros(2)), (0.0, np.zeros(2))]),
    ("return_in_finally_body", """
        def f(x, out):
            try:
                if x > 0:
                    return x + 1
                out[1] = 2.0
            finally:
                out[0] = 1.0
            return x
        """, [(3.0, np.zeros(2)), (-3.0, np.zeros(2))]),
    ("return_ends_finally_body", """
        def f(x, out):
            try:
                out[1] = x
                return 1 / x
            finally:
                out[0] = 1.0
        """, [(3.0, np.zeros(2))]),
    ("break_continue_in_finally", """
        def f(n, out):
            s = 0
            for i in range(n):
                try:
                    if i == 2:
                        continue
                    if i == 5:
                        break
                    s += i
                finally:
                    out[0] += 1.0
            return s
        """, [(4, np.zeros(1)), (9, np.zeros(1))]),
    ("break_in_while_finally", """
        def f(n, out):
            i = 0
            while i < n:
                try:
                    i += 1
                    if i > 3:
                        break
                finally:
                    out[0] += 1.0
            return i
        """, [(2, np.zeros(1)), (8, np.zeros(1))]),
    ("returns_in_clauses_finally", """
        def f(x, out):
            try:
                if x > 0:
                    return 5.0
                y = 1 / x
            except ZeroDivisionError as e:
                return -1.0
            finally:
                out[0] = 1.0
            return y
        """, [(2.0, np.zeros(1)), (0.0, np.zeros(1)), (-2.0, np.zeros(1))]),
    ("value_return_in_clause_finally", """
        def f(x, out):
            try:
                y = 1 / x
            except ZeroDivisionError:
                return x * 2.0
            finally:
                out[0] = 3.0
            return y
        """, [(2.0, np.zeros(1)), (0.0, np.zeros(1))]),
    ("clauses_in_loop_finally", """
        def f(a, out):
            s = 0.0
            for i in range(a.shape[0]):
                try:
                    if a[i] < 0:
                        raise ValueError
                    s += 1.0 / a[i]
                except ZeroDivisionError:
                    s -= 1.0
                except ValueError:
                    out[1] += 1.0
                finally:
                    out[0] += 1.0
            return s
        """, [(np.array([1.0, 0.0, -2.0, 4.0]), np.zeros(2))]),
    ("break_in_clause_finally", """
        def f(a, out):
            s = 0.0
            for v in a:
                try:
                    s += 1.0 / v
                except ZeroDivisionError:
                    break
                finally:
                    out[0] += 1.0
            return s
        """, [(np.array([1.0, 2.0, 0.0, 4.0]), np.zeros(1)), (np.array([1.0, 2.0]), np.zeros(1))]),
    ("continue_in_clause_finally", """
        def f(a, out):
            s = 0.0
            for v in a:
                try:
                    s += 1.0 / v
                except ZeroDivisionError:
                    continue
                finally:
                    out[0] += 1.0
                s += 1.0
            return s
        """, [(np.array([1.0, 0.0, 0.0, 4.0]), np.zeros(1))]),
    ("break_in_clause", """
        def f(a, n):
            c = 0
            for i in range(n):
                try:
                    v = a[i]
                except IndexError:
                    break
                else:
                    c += 1
            return c
        """, [(np.arange(3.0), 2), (np.arange(3.0), 7)]),
    ("continue_in_clause", """
        def f(a):
            s = 0.0
            for v in a:
                try:
                    s += 1.0 / v
                except ZeroDivisionError:
                    continue
                s += 1.0
            return s
        """, [(np.array([1.0, 0.0, 2.0]),)]),
    ("break_continue_inside_clause_statements", """
        def f(a, out):
            s = 0.0
            i = 0
            while i < a.shape[0]:
                i += 1
                try:
                    if a[i - 1] < 0:
                        continue
                    s += 1.0 / a[i - 1]
                except ZeroDivisionError:
                    if i > 2:
                        break
                    s -= 1.0
                finally:
                    out[0] += 1.0
            return s
        """, [(np.array([1.0, 0.0, -1.0, 2.0, 0.0, 5.0]), np.zeros(1)), (np.array([2.0, 4.0]), np.zeros(1))]),
    ("return_local_then_finally_rebinds", """
        def f(x, out):
            try:
                out[0] = x
                return x
            finally:
                x = 0.0
                for i in range(2):
                    out[i + 1] = x + i
        """, [(2.5, np.zeros(3))]),
    ("bare_except_finally", """
        def f(a, i, out):
            try:
                v = float(a[i])
            except:
                v = -1.0
            finally:
                out[0] += 1.0
            return v
        """, [(np.arange(3.0), 1, np.zeros(1)), (np.arange(3.0), 9, np.zeros(1))]),
    ("finally_in_if", """
        def f(x, out):
            if x > 0:
                try:
                    y = 1 / x
                finally:
                    out[0] += 1.0
            else:
                y = -1.0
            return y
        """, [(2.0, np.zeros(1)), (-2.0, np.zeros(1))]),
    ("returns_out_of_loop_clauses_finally", """
        def f(a, out):
            for i in range(a.shape[0]):
                try:
                    v = 1.0 / float(a[i])
                except ZeroDivisionError as e:
                    out[1] = i
                    return -1.0
                else:
                    if v > 1.0:
                        return v
                finally:
                    out[0] += 1.0
            return 0.0
        """, [(np.array([1.0, 4.0, 0.5]), np.zeros(2)), (np.array([2.0, 0.0, 0.5]), np.zeros(2)),
              (np.array([1.0, 4.0]), np.zeros(2))]),
    ("loop_in_finally_body", """
        def f(a, out):
            s = 0.0
            try:
                for v in a:
                    if v < 0:
                        break
                    s += v
            finally:
                out[0] = s
            return s
        """, [(np.array([1.0, 2.0, -1.0, 3.0]), np.zeros(1))]),
    ("nested_finally", """
        def f(x, out):
            try:
                try:
                    if x > 1:
                        return x
                    out[2] = 1.0
                finally:
                    out[1] += 1.0
            finally:
                out[0] += 1.0
            return -x
        """, [(3.0, np.zeros(3)), (0.5, np.zeros(3))]),
    ("return_ends_finally", """
        def f(x, out):
            try:
                out[1] = x
            finally:
                out[0] = 1.0
                return x * 2
        """, [(2.0, np.zeros(2))]),
    ("return_in_finally_swallows", """
        def f(x, out):
            try:
                out[1] = 1 / x
            finally:
                out[0] += 1.0
                return x * 2
        """, [(2.0, np.zeros(2)), (0.0, np.zeros(2))]),
    ("conditional_return_in_finally", """
        def f(x, out):
            try:
                out[1] = 1 / x
            finally:
                out[0] += 1.0
                if x < 1.0:
                    return -1.0
            return x
        """, [(2.0, np.zeros(2)), (0.0, np.zeros(2)), (0.5, np.zeros(2))]),
    ("return_in_finally_with_clause", """
        def f(x, out):
            try:
                y = 1 / x
            except ZeroDivisionError:
                y = -1.0
            finally:
                out[0] += 1.0
                return y * 2
        """, [(2.0, np.zeros(1)), (0.0, np.zeros(1))]),
    ("return_in_finally_in_loop", """
        def f(a, out):
            s = 0.0
            for v in a:
                try:
                    s += 1.0 / v
                finally:
                    out[0] += 1.0
                    if v < 0:
                        return s
                    s += 1.0
            return -s
        """, [(np.array([1.0, 2.0]), np.zeros(1)), (np.array([1.0, -1.0, 2.0]), np.zeros(1))]),
]

CASES = [(n, s, a) for n, s, args in PROGRAMS for a in args]
IDS = [f"{n}{k}" for n, _, args in PROGRAMS for k in range(len(args))]


def from_string(src):
    """The function src defines, exec'd from a string that inspect cannot read back."""
    ns = {"np": np}
    exec(compile(textwrap.dedent(src), "<string>", "exec"), ns)
    return ns["f"]


def from_file(src, tmp_path, name):
    path = tmp_path / f"{name}.py"
    path.write_text("import numpy as np\n\n" + textwrap.dedent(src))
    spec = importlib.util.spec_from_file_location(f"finally_{name}_{os.getpid()}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.f


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_from_source_and_from_a_string(case, tmp_path):
    name, src, args = case
    check(from_file(src, tmp_path, name), *args)
    func = from_string(src)
    with pytest.raises(OSError):
        import inspect

        inspect.getsource(func)  # the case this file is about
    check(func, *args)


def _interpreter(version):
    """An installed CPython `version` ("3.12"), or None."""
    found = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    if found:
        return found[-1]
    return shutil.which(f"python{version}")


# The running version's bytecode is the test above's.
VERSIONS = [v for v in ("3.11", "3.12", "3.13") if v != "%d.%d" % sys.version_info[:2]]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bytecode_of_each_version(case, version, tmp_path, monkeypatch):
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no CPython {version} other than the running one is installed")
    name, src, args = case
    path = tmp_path / "src.py"
    path.write_text(textwrap.dedent(src))
    tool = os.path.join(os.path.dirname(request.__file__), "_bytecode.py")
    out = subprocess.run([python, tool, str(path), "f"], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": ""})
    assert out.returncode == 0, out.stderr
    import json

    data = json.loads(out.stdout)
    assert data["version"] == version
    func = from_string(src)
    plain = request.function_bytecode
    monkeypatch.setattr(request, "function_bytecode",
                        lambda fn: data if fn is func else plain(fn))
    check(func, *args)


def test_finally_runs_on_the_raising_path_from_a_string():
    src = dict((n, s) for n, s, _ in PROGRAMS)["returns_in_clauses_finally"].replace(
        "ZeroDivisionError", "KeyError")
    check_raises(from_string(src), 0.0, np.zeros(1), exc=ZeroDivisionError)

