"""Ahead-of-time modules (`python -m sejit build`, docs/scale.md "Ahead-of-time modules").

A small file with three exported functions is built once into an extension module. The module is
then imported in a fresh process that has no C compiler on its PATH and no sejit on its
sys.path (only the module's directory and NumPy), and its results and errors are compared with
CPython's (the same source, run plainly) and with the JIT's. A process with sejit checks that a
signature the module was not built for falls back to the JIT.
"""

import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import sejit
from sejit import _aot

SOURCE = '''\
"""Kernels built ahead of time by the tests."""
import numpy as np

# sejit export poly(float64[:], float64[:], float)
# sejit export poly(float32[::1], float32[::1], float32)
def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1
    return y.sum()

# sejit export idiv(int, int)
# sejit export idiv(float, float)
def idiv(a, b=7):
    """Python's floor division."""
    return a // b - 1

# sejit export pick(float64[:, :], int)
def pick(m, i):
    if i > 100:
        raise ValueError("i is too large")
    return m[i, 1] * 2.0

# sejit export mm(float64[:, :], float64[:, :])
def mm(a, b):
    return a @ b
'''

# Built in both processes from numpy alone: (function, arguments).
CASES = '''
def cases(np):
    x = np.linspace(-2.0, 3.0, 7)
    m = np.arange(12.0).reshape(3, 4)
    return [
        ("poly", (x, np.empty(7), 0.5)),
        ("poly", (x[::2], np.zeros(4), 1.5)),              # strided views
        ("poly", (x[:1], np.zeros(1), -1.0)),              # an extent of 1
        ("poly", (x.astype(np.float32), np.empty(7, np.float32), np.float32(2))),
        ("poly", (x, np.empty(3), 0.5)),                   # shapes disagree: ValueError
        ("idiv", (17, 5)), ("idiv", (-17, 5)), ("idiv", (7.5, 2.0)), ("idiv", (30,)),
        ("idiv", (3, 0)),                                  # ZeroDivisionError
        ("idiv", (3.0, 0.0)),                              # ZeroDivisionError (float)
        ("pick", (m, 2)), ("pick", (m.T, 1)), ("pick", (m, -1)),
        ("pick", (m, 3)),                                  # IndexError
        ("pick", (m, 101)),                                # ValueError from raise
        ("mm", (m, m.T)),
        ("mm", (np.linspace(0, 1, 1600).reshape(40, 40), np.ones((40, 30)))),  # NumPy's BLAS
    ]
'''

RUN = '''
import copy, pickle, sys
import numpy as np

def run(funcs, cases):
    out = []
    for name, args in cases:
        args = copy.deepcopy(args)
        try:
            r = getattr(funcs, name)(*args) if not isinstance(funcs, dict) else funcs[name](*args)
            out.append(("ok", r, [a for a in args if isinstance(a, np.ndarray)]))
        except Exception as exc:
            out.append(("err", type(exc).__name__, str(exc)))
    return out
'''


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(directory holding the module, module name, a directory holding only numpy)."""
    d = tmp_path_factory.mktemp("aot")
    name = f"aotmod_{os.getpid()}"
    (d / f"{name}.py").write_text(SOURCE)
    out = d / "out"
    done = subprocess.run(
        [sys.executable, "-m", "sejit", "build", str(d / f"{name}.py"), "-o", str(out)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    so = done.stdout.strip()
    assert os.path.dirname(so) == str(out) and os.path.basename(so).startswith(name + ".")
    nponly = d / "nponly"
    nponly.mkdir()
    npdir = os.path.dirname(os.path.dirname(np.__file__))
    for entry in ("numpy", "numpy.libs"):
        if os.path.exists(os.path.join(npdir, entry)):
            os.symlink(os.path.join(npdir, entry), nponly / entry)
    return str(out), name, str(nponly)


def _isolated(built, body):
    """Runs body in a fresh interpreter without sejit, a C compiler or site-packages; returns
    what it pickles into the variable RESULT."""
    out, name, nponly = built
    script = RUN + CASES + textwrap.dedent(body)
    script += "\nsys.stdout.buffer.write(pickle.dumps(RESULT))\n"
    done = subprocess.run(
        ["env", "-i", "PATH=/nonexistent", f"PYTHONPATH={out}{os.pathsep}{nponly}",
         sys.executable, "-S", "-c", script],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode()
    return pickle.loads(done.stdout)


def _reference():
    import linecache

    ns = {"__name__": "aot_reference"}
    filename = "<aot-reference>"  # registered, so that the JIT can read the source
    linecache.cache[filename] = (len(SOURCE), None, SOURCE.splitlines(True), filename)
    exec(compile(SOURCE, filename, "exec"), ns)
    helpers = {}
    exec(RUN + CASES, helpers)
    return ns, helpers


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-6)
    else:
        # As the JIT boxes them: a float64 result is a Python float (docs/protocol.md §4).
        assert np.asarray(a).dtype == np.asarray(b).dtype, (a, b)
        assert a == pytest.approx(b, rel=1e-6)


def test_isolated_process_has_no_sejit_and_no_compiler(built):
    got = _isolated(built, """
        import importlib.util, shutil
        RESULT = (importlib.util.find_spec("sejit"), shutil.which("cc"), shutil.which("gcc"))
        """)
    assert got == (None, None, None)


def test_module_finds_numpys_blas(built):
    got = _isolated(built, f"""
        import {built[1]} as mod
        RESULT = mod.__sejit_blas__
    """)
    from sejit import _blas
    want = _blas.info()[0]  # the same library and symbol (numpy is linked in from elsewhere)
    assert (got and os.path.basename(got)) == (want and os.path.basename(want))


def test_results_and_errors_match_cpython_and_the_jit(built):
    _, name, _ = built
    got = _isolated(built, f"""
        import {name} as mod
        RESULT = (mod.__file__, run(mod, cases(np)))
        """)
    path, got = got
    assert path.endswith(".so")
    ns, helpers = _reference()
    cases = helpers["cases"](np)
    want = helpers["run"](ns, cases)
    jitted = {n: sejit.jit(ns[n]) for n in ("poly", "idiv", "pick")}
    jit = helpers["run"](jitted, cases)
    assert len(got) == len(want) == len(jit)
    for (fname, args), g, w, j in zip(cases, got, want, jit):
        assert g[0] == w[0], (fname, args, g, w)
        if g[0] == "ok":
            _same(g[1], w[1])
            for a, b in zip(g[2], w[2]):
                _same(a, b)
        else:
            assert g[1] == w[1] == j[1], (fname, g, w, j)  # the exception's type
            assert g[2] == j[2], (fname, g, j)  # the JIT's message, word for word


def test_keywords_defaults_and_metadata(built):
    _, name, _ = built
    got = _isolated(built, f"""
        import {name} as mod
        RESULT = (mod.idiv(a=9, b=2), mod.idiv(9), mod.idiv.__doc__, mod.__doc__,
                  mod.__sejit_exports__, mod.poly.signatures,
                  pickle.loads(pickle.dumps(mod.idiv)) is mod.idiv)
        """)
    assert got[0] == 9 // 2 - 1 and got[1] == 9 // 7 - 1
    assert got[2] == "Python's floor division."
    assert got[3] == "Kernels built ahead of time by the tests."
    assert got[4]["idiv"] == ["idiv(int, int)", "idiv(float, float)"]
    assert got[5] == ["poly(float64[:], float64[:], float)",
                      "poly(float32[::1], float32[::1], float32)"]
    assert got[6] is True  # pickled by reference


def test_signature_not_exported_without_sejit_is_a_type_error(built):
    _, name, _ = built
    got = _isolated(built, f"""
        import {name} as mod
        x = np.zeros(4, np.float32)
        RESULT = []
        for args in [(x, x.copy(), 1.0), (x[::2], x[1::2], np.float32(1)), ([1.0], x, 1.0)]:
            try:
                mod.poly(*args)
                RESULT.append(None)
            except TypeError as exc:
                RESULT.append(str(exc))
        """)
    exported = "poly(float64[:], float64[:], float), poly(float32[::1], float32[::1], float32)"
    assert got[0] == (
        f"{name}.poly() was not compiled for (float32[::1], float32[::1], float); the module "
        f"was built ahead of time for {exported} (install sejit to compile other signatures "
        f"when they are called, or export this one)"
    )
    assert "(float32[:], float32[:], float32)" in got[1] and exported in got[1]
    assert "(list, float32[::1], float)" in got[2]


def test_signature_not_exported_falls_back_to_the_jit(built):
    out, name, _ = built
    script = CASES + f"""
import numpy as np, sejit, {name} as mod
x = np.linspace(0.0, 1.0, 5).astype(np.float32)
y = np.empty(5)
before = sejit.stats()["compiles"] + sejit.stats()["cache_loads"]
r = mod.poly(x, y, 1.0)          # float32 and float64 arrays: not exported
r2 = mod.poly(x, y, 1.0)
after = sejit.stats()["compiles"] + sejit.stats()["cache_loads"]
r3 = mod.idiv(7, 2)               # exported: the module's code, no compile
print(repr((float(r), float(r2), y.tolist(), after - before, r3,
            sejit.stats()["compiles"] + sejit.stats()["cache_loads"] - after)))
"""
    env = dict(os.environ, PYTHONPATH=out)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    r, r2, y, compiled, r3, more = eval(done.stdout)
    ns, _ = _reference()
    x = np.linspace(0.0, 1.0, 5).astype(np.float32)
    yw = np.empty(5)
    want = ns["poly"](x, yw, 1.0)
    assert r == r2 == pytest.approx(float(want)) and y == pytest.approx(yw.tolist())
    assert compiled == 1 and r3 == 2 and more == 0


def test_export_decorator(tmp_path):
    src = tmp_path / "decorated_aot.py"
    src.write_text(textwrap.dedent("""\
        import sejit

        @sejit.export("float64[:], float", "twice(int64[:], int)")
        def twice(x, a):
            return x * 2 + a
        """))
    done = subprocess.run([sys.executable, "-m", "sejit", "build", str(src)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code = ("import numpy as np, decorated_aot as m; "
            "print(m.twice(np.arange(3.0), 1.0).tolist(), m.twice(np.arange(3), 1).tolist(), "
            "m.__file__.endswith('.so'), m.twice.signatures)")
    env = dict(os.environ, PYTHONPATH=str(tmp_path), SEJIT_AOT_FALLBACK="0")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "[1.0, 3.0, 5.0] [1, 3, 5] True ['twice(float64[:], float)', 'twice(int64[:], int)']"
    )


@pytest.mark.parametrize("text, want", [
    ("poly(float64[:], float64[:], float)", "poly(float64[:], float64[:], float)"),
    ("f( float32[:,:] ,int64, complex128[:, ::1], bool, bool_ )",
     "f(float32[:, :], int64, complex128[:, ::1], bool, bool_)"),
    ("g()", "g()"),
    ("h(uint8[::1], complex)", "h(uint8[::1], complex)"),
])
def test_signature_grammar(text, want):
    name, specs = _aot.parse_signature(text)
    assert _aot.format_signature(name, specs) == want


@pytest.mark.parametrize("text", ["poly", "f(float16[:])", "f(float64[::1, :])", "f(double)",
                                  "f(float64[:, :, :, :, :, :, :, :, :])", "f(float64[2])"])
def test_signature_grammar_errors(text):
    with pytest.raises(_aot.ExportError):
        _aot.parse_signature(text)


def test_build_help_and_errors(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sejit", "build", "--help"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "--cpu" in done.stdout and "x86-64-v2" in done.stdout
    empty = tmp_path / "nothing_exported.py"
    empty.write_text("def f(x):\n    return x\n")
    done = subprocess.run([sys.executable, "-m", "sejit", "build", str(empty)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "exports nothing" in done.stderr
    bad = tmp_path / "bad_export.py"
    bad.write_text("# sejit export bad(float64[:])\ndef bad(x):\n    return {**x}\n")
    done = subprocess.run([sys.executable, "-m", "sejit", "build", str(bad)],
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("sejit build: bad(float64[:]): UnsupportedError: ")
    assert f"{bad}:3:12: ** unpacking in dict displays is not supported" in done.stderr
    assert not any(p.endswith(".so") for p in os.listdir(tmp_path))
