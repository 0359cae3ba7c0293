"""Ahead-of-time modules: `python -m sejit build mymod.py` (docs/scale.md, "Ahead-of-time modules").

The exported signatures of a file are compiled through the engine exactly as the JIT compiles a
call's signature; their C translation units are then built, with the runtime (_runtime.c, the
dispatcher the JIT uses) and a small generated init, into one CPython extension module named for
the file. That module needs NumPy and nothing else: no sejit, no C compiler.

Export signatures, one a line anywhere in the file (or `@sejit.export("...")`):

    # sejit export poly(float64[:], float64[:], float)

    signature := NAME "(" [type ("," type)*] ")"
    type      := "bool" | "int" | "float" | "complex"       Python scalars (NEP 50 weak)
               | DTYPE                                      a NumPy scalar of that dtype
               | DTYPE "[" ":" ("," ":")* "]"               an array, any strides
               | DTYPE "[" (":" ",")* "::1" "]"             an array, C-contiguous
    DTYPE     := bool_ | int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64
               | float32 | float64 | complex64 | complex128   (bool also names bool_ arrays)
"""

import ast
import importlib.util
import itertools
import marshal
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import types

from . import _args, _engine, _request, _runtime
from .errors import error_from_reply

DTYPES = tuple(_runtime.DTYPE_NAMES)
_WEAK = {"bool": "bool", "int": "int64", "float": "float64", "complex": "complex128"}
_EXPORT_LINE = re.compile(r"^\s*#\s*sejit\s+export\s+(.*?)\s*$")
_SIG = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)?\s*\((.*)\)\s*$", re.S)


class ExportError(ValueError):
    """An export signature that does not parse, or that cannot be built."""


class ArgSpec:
    """One parameter of an exported signature."""

    def __init__(self, kind, dtype, ndim=0, contiguous=False, weak=False):
        self.kind, self.dtype, self.ndim = kind, dtype, ndim
        self.contiguous, self.weak = contiguous, weak

    def __str__(self):
        if self.kind == "scalar":
            if self.weak:
                return {v: k for k, v in _WEAK.items()}[self.dtype]
            return "bool_" if self.dtype == "bool" else self.dtype
        axes = [":"] * self.ndim
        if self.contiguous:
            axes[-1] = "::1"
        return f"{self.dtype}[{', '.join(axes)}]"

    def codes(self):
        """The runtime's classification codes of the arguments this parameter accepts, with
        whether each has an axis of extent 1 (the runtime's FLAG_UNIT)."""
        dt = DTYPES.index(self.dtype)
        if self.kind == "scalar":
            return [(_code(2, dt, 0, _runtime.FLAG_WEAK if self.weak else 0), False)]
        out = []
        layouts = [_runtime.FLAG_LAYOUT_C] if self.contiguous else [_runtime.FLAG_LAYOUT_C, 0]
        for layout in layouts:
            for unit in (0, _runtime.FLAG_UNIT):
                out.append((_code(1, dt, self.ndim, layout | unit), bool(unit)))
        return out

    def arg_type(self, unit):
        """The request's argument type (docs/protocol.md §1) of the kernel for this parameter."""
        if self.kind == "scalar":
            return {"kind": "scalar", "dtype": self.dtype, "weak": self.weak}
        t = {"kind": "array", "dtype": self.dtype, "ndim": self.ndim,
             "layout": "C" if self.contiguous else "A"}
        if unit:
            t["unit"] = True
        return t


def _code(kind, dt, nd, flags):
    return (kind << 24) | (dt << 16) | (nd << 8) | flags


def parse_type(text):
    t = text.strip()
    m = re.fullmatch(r"([a-z0-9_]+)\s*(?:\[(.*)\])?", t)
    if m is None:
        raise ExportError(f"cannot read the type {t!r}")
    name, dims = m.group(1), m.group(2)
    if dims is None:
        if name in _WEAK:
            return ArgSpec("scalar", _WEAK[name], weak=True)
        dtype = "bool" if name == "bool_" else name
        if dtype not in DTYPES:
            raise ExportError(f"unknown type {name!r} (scalars: bool, int, float, complex or a "
                              f"NumPy dtype: {', '.join(DTYPES)})")
        return ArgSpec("scalar", dtype)
    dtype = "bool" if name == "bool_" else name
    if dtype not in DTYPES:
        raise ExportError(f"unknown dtype {name!r} in {t!r} (one of {', '.join(DTYPES)})")
    axes = [a.strip() for a in dims.split(",")]
    contiguous = axes[-1] == "::1"
    if contiguous:
        axes = axes[:-1]
    if any(a != ":" for a in axes) or not (1 <= len(axes) + contiguous <= _runtime.MAXDIM):
        raise ExportError(f"cannot read the array type {t!r}: write {dtype}[:], {dtype}[:, :] "
                          f"(any strides) or {dtype}[::1], {dtype}[:, ::1] (C-contiguous), "
                          f"up to {_runtime.MAXDIM} axes")
    return ArgSpec("array", dtype, len(axes) + contiguous, contiguous)


def _split_top(text):
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip() or parts:
        parts.append("".join(cur))
    return parts


def parse_signature(text, name=None):
    """(function name, [ArgSpec]) of `name(type, ...)`; name may be left out when given."""
    m = _SIG.match(text)
    if m is None:
        if name is None:
            raise ExportError(f"cannot read the export {text!r}: write name(type, ...)")
        m = _SIG.match(f"({text})")
    found = m.group(1) or name
    if found is None:
        raise ExportError(f"the export {text!r} names no function")
    if name is not None and found != name:
        raise ExportError(f"the export {text!r} of {name} names another function")
    return found, [parse_type(p) for p in _split_top(m.group(2))]


def format_signature(name, specs):
    return f"{name}({', '.join(str(s) for s in specs)})"


def export(*signatures):
    """Marks a function for `python -m sejit build`: `@sejit.export("float64[:], float")` (one
    string per signature, each with or without the function's name). In a process with sejit the
    function is jitted as by `sejit.jit`."""
    from .dispatcher import Dispatcher, jit

    for s in signatures:
        if not isinstance(s, str):
            raise TypeError(f"sejit.export() takes signature strings, not {type(s).__name__}")

    def wrap(func):
        name = getattr(getattr(func, "py_func", func), "__name__", None)
        for s in signatures:
            parse_signature(s, name)  # a typo shows at once, not at build time
        disp = func if isinstance(func, Dispatcher) else jit(func)
        # (With SEJIT_DISABLE=1 jit gives the function back: it carries the list as well.)
        disp.__dict__.setdefault("_sejit_exports", []).extend(signatures)
        return disp

    return wrap


# ---------------------------------------------------------------------------------------------
# Building


class Kernel:
    def __init__(self, index, c_path, abi):
        self.index, self.c_path, self.abi = index, c_path, abi


def _load_module(path):
    directory = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, directory)  # as `python FILE` would, for the file's own imports
    modname = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(modname, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[modname] = module
    spec.loader.exec_module(module)
    return module


def collect_exports(source, module):
    """{name: [signature text...]} from the file's export lines and the module's decorators,
    in order, without repeats."""
    out = {}
    for lineno, line in enumerate(source.splitlines(), 1):
        m = _EXPORT_LINE.match(line)
        if m:
            try:
                name, _ = parse_signature(m.group(1))
            except ExportError as exc:
                raise ExportError(f"line {lineno}: {exc}") from None
            out.setdefault(name, []).append(m.group(1))
    for attr, value in vars(module).items():
        for sig in getattr(value, "__dict__", {}).get("_sejit_exports", ()):
            out.setdefault(attr, []).append(sig)
    return out


def _c_string(text):
    """A C string literal (split into lines) holding text's UTF-8 bytes (or the bytes)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    out, line = [], []
    for b in data:
        if b == 0x5C:
            line.append("\\\\")
        elif b == 0x22:
            line.append('\\"')
        elif 0x20 <= b < 0x7F and b != 0x3F:
            line.append(chr(b))
        else:
            line.append("\\%03o" % b)
        if b == 0x0A:
            out.append('"' + "".join(line) + '"')
            line = []
    if line:
        out.append('"' + "".join(line) + '"')
    return "\n".join(out) or '""'


_X86_LEVELS = {
    "x86-64": [],
    "x86-64-v2": ["ssse3", "sse4.1", "sse4.2", "popcnt"],
    "x86-64-v3": ["ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "bmi", "bmi2", "fma"],
    "x86-64-v4": ["ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "bmi", "bmi2", "fma",
                  "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"],
}
_NATIVE_CHECKED = ["sse4.2", "popcnt", "avx", "avx2", "bmi2", "fma", "avx512f", "avx512bw",
                   "avx512dq", "avx512vl"]


def default_cpu():
    """x86-64-v2 on x86-64 (every x86-64 CPU since 2009 and every one current distributions
    support), else the compiler's default for the machine."""
    return "x86-64-v2" if _is_x86() else "default"


def _is_x86():
    return sysconfig.get_platform().endswith(("x86_64", "amd64")) or os.uname().machine in (
        "x86_64", "amd64")


def _cpu_features(cpu):
    """The features the import checks for, so a module built for more than the CPU has raises
    ImportError instead of dying on an illegal instruction."""
    if not _is_x86():
        return []
    if cpu in _X86_LEVELS:
        return _X86_LEVELS[cpu]
    if cpu == "native":
        flags = set()
        try:
            with open("/proc/cpuinfo") as f:
                for line in f:
                    if line.startswith("flags"):
                        flags = set(line.split(":", 1)[1].split())
                        break
        except OSError:
            pass
        names = {"sse4.2": "sse4_2", "bmi2": "bmi2"}
        return [f for f in _NATIVE_CHECKED if names.get(f, f) in flags]
    return []


_INIT_C = r"""/* Generated by `python -m sejit build` from %(origin)s: the extension module %(mod)s.
 * The sejit runtime, included whole and static, holds the dispatcher; the kernels are linked in
 * beside this unit and registered with their ABI by the bootstrap below. */
#define SEJIT_RUNTIME_EMBEDDED 1
#define SEJIT_RUNTIME_NAME "%(mod)s._sejit_runtime"
#include "_runtime.c"
#include <marshal.h>

%(decls)s

static const sejit_entry_fn aot_kernels[] = {%(kernels)s};
#define AOT_NKERNELS %(nkernels)d

static const char aot_boot[] =
%(boot)s;

static int
aot_cpu_ok(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    static const char *missing;
    __builtin_cpu_init();
%(cpu_checks)s
    if (missing != NULL) {
        PyErr_Format(PyExc_ImportError,
                     "%(mod)s was built for the CPU %(cpu)s (python -m sejit build --cpu), "
                     "and this "
                     "CPU lacks %%s: build it with a lower --cpu, such as x86-64-v2", missing);
        return 0;
    }
#endif
    return 1;
}

static struct PyModuleDef aot_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "%(mod)s",
    .m_doc = %(doc)s,
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit_%(mod)s(void)
{
    if (!aot_cpu_ok())
        return NULL;
    PyObject *rt = sejit_runtime_init();
    if (rt == NULL)
        return NULL;
    PyObject *m = NULL, *kernels = NULL, *ns = NULL, *r = NULL, *code = NULL;
    m = PyModule_Create(&aot_module);
    kernels = PyList_New(AOT_NKERNELS);
    ns = PyDict_New();
    if (m == NULL || kernels == NULL || ns == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < AOT_NKERNELS; i++) {
        PyObject *c = PyCapsule_New((void *)aot_kernels[i], "sejit_entry_fn", NULL);
        if (c == NULL)
            goto fail;
        PyList_SET_ITEM(kernels, i, c);
    }
    if (PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins()) < 0 ||
        PyDict_SetItemString(ns, "__name__", PyModule_GetNameObject(m)) < 0 ||
        PyDict_SetItemString(ns, "_module", m) < 0 ||
        PyDict_SetItemString(ns, "_runtime", rt) < 0 ||
        PyDict_SetItemString(ns, "_kernels", kernels) < 0)
        goto fail;
    /* The bootstrap's code object, marshalled at build time by the same CPython minor version
     * (the module's file name says which): no compile at import. */
    code = PyMarshal_ReadObjectFromString(aot_boot, (Py_ssize_t)sizeof aot_boot - 1);
    if (code == NULL)
        goto fail;
    r = PyEval_EvalCode(code, ns, ns);
    Py_DECREF(code);
    if (r == NULL)
        goto fail;
    Py_DECREF(r);
    Py_DECREF(kernels);
    Py_DECREF(ns);
    Py_DECREF(rt);
    return m;
fail:
    Py_XDECREF(m);
    Py_XDECREF(kernels);
    Py_XDECREF(ns);
    Py_DECREF(rt);
    return NULL;
}
"""

# The bootstrap, run once at import in a private namespace holding _module, _runtime and
# _kernels. It must need nothing but the standard library (sejit is optional there).
_BOOT = r'''
MODULE = %(mod)r
ORIGIN = %(origin)r
BUILT_FOR = %(cpu)r
SOURCE = %(source)r
FUNCTIONS = %(functions)r
ABIS = %(abis)r

_UNSET = object()
_fallback_ns = None


def _describe(value):
    import sys
    np = sys.modules.get("numpy")
    if np is not None and type(value) is np.ndarray:
        axes = [":"] * value.ndim
        if value.ndim and value.flags.c_contiguous:
            axes[-1] = "::1"
        return f"{value.dtype.name}[{', '.join(axes)}]" if axes else f"{value.dtype.name} array"
    if np is not None and isinstance(value, np.generic):
        return "bool_" if value.dtype.name == "bool" else value.dtype.name
    return type(value).__qualname__


def _namespace():
    """The module's source, run once: what the JIT compiles calls it was not built for."""
    global _fallback_ns
    if _fallback_ns is None:
        import linecache
        filename = f"<sejit-aot {MODULE} from {ORIGIN}>"
        linecache.cache[filename] = (len(SOURCE), None, SOURCE.splitlines(True), filename)
        ns = {"__name__": MODULE, "__builtins__": __builtins__}
        exec(compile(SOURCE, filename, "exec"), ns)
        _fallback_ns = ns
    return _fallback_ns


class ExportedFunction(_runtime.DispatcherBase):
    """A function of a module sejit built ahead of time. A call with an exported signature runs
    the code compiled into the module. Other calls go to sejit.jit, which compiles the
    function's source, when sejit can be imported; else they raise TypeError."""

    def __init__(self, name, params, defaults, exports, doc):
        self.__name__ = self.__qualname__ = name
        self.__module__ = MODULE
        self.__doc__ = doc
        self._params = params
        self._defaults = defaults
        self.exports = exports
        self._fallback_fn = _UNSET

    def __repr__(self):
        return f"<sejit exported function {MODULE}.{self.__name__}>"

    def __reduce__(self):
        return self.__name__  # by reference: MODULE.name, as pickle does for functions

    @property
    def signatures(self):
        return list(self.exports)

    def _fallback(self):
        fb = self._fallback_fn
        if fb is _UNSET:
            import os
            fb = None
            off = ("0", "no", "false")
            if os.environ.get("SEJIT_AOT_FALLBACK", "1").strip().lower() not in off:
                try:
                    import sejit
                except ImportError:
                    sejit = None
                if sejit is not None:
                    obj = _namespace().get(self.__name__)
                    fb = obj if isinstance(obj, sejit.Dispatcher) else sejit.jit(obj)
            self._fallback_fn = fb
        return fb

    def _mismatch(self, args):
        given = ", ".join(_describe(a) for a in args)
        return (
            f"{MODULE}.{self.__name__}() was not compiled for ({given}); the module was built "
            f"ahead of time for {', '.join(self.exports)} (install sejit to compile other "
            f"signatures when they are called, or export this one)"
        )

    def _compile_for(self, args):
        n, defaults = len(self._params), self._defaults
        if n - len(defaults) <= len(args) < n:
            rest = defaults[len(args) - n:]
            if not any(d is _NODEFAULT for d in rest):
                return tuple(args) + tuple(rest)  # the runtime calls again with these
        fb = self._fallback()
        if fb is None:
            raise TypeError(self._mismatch(args))
        return [fb(*args)]

    def _bind_call(self, args, kwargs):
        fb = self._fallback()
        if fb is not None and hasattr(fb, "_bind_call"):  # (not with SEJIT_DISABLE=1)
            return fb._bind_call(args, kwargs)
        out = list(args) + [_NODEFAULT] * (len(self._params) - len(args))
        for key, value in kwargs.items():
            if key not in self._params:
                raise TypeError(f"{self.__name__}() got an unexpected keyword argument {key!r}")
            i = self._params.index(key)
            if i < len(args):
                raise TypeError(f"{self.__name__}() got multiple values for argument {key!r}")
            out[i] = value
        first = len(self._params) - len(self._defaults)
        for i in range(len(out)):
            if out[i] is _NODEFAULT and i >= first:
                out[i] = self._defaults[i - first]
        if _NODEFAULT in out:
            missing = [p for p, v in zip(self._params, out) if v is _NODEFAULT]
            raise TypeError(f"{self.__name__}() missing required argument: {missing[0]!r}")
        return tuple(out)


_NODEFAULT = object()
_runtime._enable_vectorcall(ExportedFunction)

%(blas)s

# NumPy's BLAS for the kernels' matrix products (sejit/_blas.py; loops without it), named in
# __sejit_blas__ (None: not found).
_module.__sejit_blas__ = None
if __import__("os").environ.get("SEJIT_BLAS", "1") != "0":
    try:
        _module.__sejit_blas__ = _runtime._load_blas(candidates())
    except Exception:
        pass
_module.__sejit_exports__ = {}
for _name, _params, _defaults, _sigs, _doc, _entries in FUNCTIONS:
    _f = ExportedFunction(_name, _params, tuple(_NODEFAULT if d == "<no default>" else d
                                               for d in _defaults), _sigs, _doc)
    for _key, _k in _entries:
        _f._add(_key, _kernels[_k], "sejit_entry", ABIS[_k])
    setattr(_module, _name, _f)
    _module.__sejit_exports__[_name] = list(_sigs)
'''


def _blas_source():
    """The source of _blas.candidates, which the module's bootstrap runs to find NumPy's BLAS."""
    import inspect

    from . import _blas

    return inspect.getsource(_blas.candidates)


def _literal_defaults(func):
    """The defaults a module without sejit can apply: numbers, bools, None and strings; any
    other default is "<no default>" (the call must pass the argument)."""
    out = []
    for d in func.__defaults__ or ():
        ok = d is None or type(d) in (bool, int, float, complex, str)
        out.append(d if ok else "<no default>")
    return out


def _docstring(func):
    doc = func.__doc__
    return doc if isinstance(doc, str) else None


def build(path, out_dir=None, cpu=None, keep=None, verbose=False, log=print):
    """Builds the ahead-of-time module of the file at path; returns the extension's path."""
    from .dispatcher import Dispatcher

    path = os.path.abspath(path)
    modname = os.path.splitext(os.path.basename(path))[0]
    if not (modname.isidentifier() and modname.isascii()):
        raise ExportError(f"{path}: the module name {modname!r} is not an ASCII identifier")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    cpu = cpu or default_cpu()
    module = _load_module(path)
    exports = collect_exports(source, module)
    if not exports:
        raise ExportError(f"{path} exports nothing: add lines such as "
                          f"`# sejit export poly(float64[:], float64[:], float)`")
    work = tempfile.mkdtemp(prefix="sejit-build-")
    cache = os.path.join(work, "cache")
    os.mkdir(cache, 0o700)
    try:
        kernels, functions = [], []
        for name, sigs in exports.items():
            obj = getattr(module, name, None)
            func = obj.py_func if isinstance(obj, Dispatcher) else obj
            if not isinstance(func, types.FunctionType):
                raise ExportError(f"{path}: {name} is exported but is not a function of the file")
            disp = obj if isinstance(obj, Dispatcher) else Dispatcher(
                func, {"cache": True, "boundscheck": True, "fastmath": False, "parallel": False})
            if disp.options["parallel"]:
                raise ExportError(f"{name}: jit(parallel=True) functions cannot be exported yet "
                                  f"(the module would need the OpenMP runtime)")
            nparams = func.__code__.co_argcount
            entries, texts, seen = [], [], set()
            for text in sigs:
                _, specs = parse_signature(text, name)
                canon = format_signature(name, specs)
                if canon in texts:
                    continue
                if len(specs) != nparams or func.__code__.co_flags & 0x0C:
                    raise ExportError(f"{canon}: {name}() takes {nparams} positional "
                                      f"parameters; export one type for each")
                texts.append(canon)
                has_arrays = any(s.kind == "array" for s in specs)
                variant = {}
                for unit in (False, True) if has_arrays else (False,):
                    argtypes = [s.arg_type(unit) for s in specs]
                    if verbose:
                        log(f"sejit build: compiling {canon}{' (extents of 1)' if unit else ''}")
                    try:
                        variant[unit] = _compile(disp, func, argtypes, cache, work,
                                                 len(kernels))
                    except Exception as exc:  # the engine's positioned error, for this export
                        raise ExportError(f"{canon}: {type(exc).__name__}: {exc}") from exc
                    kernels.append(variant[unit])
                for combo in itertools.product(*(s.codes() for s in specs)):
                    key = b"".join(c.to_bytes(4, sys.byteorder) for c, _ in combo)
                    if key in seen:
                        continue  # an earlier export already takes these arguments
                    seen.add(key)
                    entries.append((key, variant[any(u for _, u in combo)].index))
            functions.append((name, list(func.__code__.co_varnames[:nparams]),
                              _literal_defaults(func), texts, _docstring(func), entries))
        so = _link(modname, path, source, cpu, kernels, functions, work, verbose, log)
        out_dir = os.path.abspath(out_dir or os.path.dirname(path))
        os.makedirs(out_dir, exist_ok=True)
        target = os.path.join(out_dir, os.path.basename(so))
        tmp = target + f".tmp-{os.getpid()}"
        shutil.copyfile(so, tmp)
        os.chmod(tmp, 0o755)
        os.replace(tmp, target)
        if keep:
            shutil.copytree(work, keep, dirs_exist_ok=True, ignore=shutil.ignore_patterns("cache"))
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _compile(disp, func, argtypes, cache, work, index):
    """The engine's C for one signature, copied into work as k<index>.c."""
    fset = _request.FunctionSet(func)
    key = _request.cache_key(fset, argtypes, disp._codegen_options(), _engine.cc_name(),
                             _engine.cflags())
    reply = disp._run_engine(argtypes, fset, key, cache)
    if reply.get("ok") is not True:
        raise error_from_reply(reply, func.__qualname__)
    c_src = os.path.splitext(reply["artifact"])[0] + ".c"
    dst = os.path.join(work, f"k{index}.c")
    shutil.copyfile(c_src, dst)
    with open(dst, encoding="utf-8") as f:
        if "#pragma omp" in f.read():
            raise ExportError(f"{func.__qualname__}: the code uses OpenMP, which an "
                              f"ahead-of-time module cannot carry yet")
    k = Kernel(index, dst, reply["abi"])
    k.fastmath = disp.options["fastmath"]
    return k


def _runtime_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.isfile(os.path.join(here, "sejit_abi.h")):
        return [here]
    # A source checkout (python/sejit): the header lives with the engine's C generator.
    return [here, os.path.join(here, os.pardir, os.pardir, "internal", "cgen")]


def _run_cc(cmd, verbose, log):
    if verbose:
        log(" ".join(cmd))
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        raise ExportError(f"C compiler {cmd[0]!r} not found (set SEJIT_CC to a C compiler)")
    if done.returncode != 0:
        raise ExportError(f"the C compiler failed: {' '.join(cmd)}\n{done.stderr[-4000:]}")


def _link(modname, path, source, cpu, kernels, functions, work, verbose, log):
    import numpy

    cc = _engine.cc_name()
    march = [] if cpu == "default" else [f"-march={cpu}"]
    # The engine's flags for kernels (internal/build/build.go), with --cpu for -march=native.
    kflags = ["-O3", *march, "-std=gnu11", "-fPIC", "-fno-math-errno", "-ffp-contract=off",
              "-fwrapv", "-fno-strict-aliasing", "-falign-loops=32", "-funroll-loops",
              "-fvisibility=hidden"]
    objs = []
    for k in kernels:
        obj = os.path.join(work, f"k{k.index}.o")
        extra = ["-ffast-math"] if k.fastmath else []
        _run_cc([cc, *kflags, *extra, f"-Dsejit_entry=sejit_aot_k{k.index}", "-c", k.c_path,
                 "-o", obj], verbose, log)
        objs.append(obj)
    boot = _BOOT % {
        "mod": modname,
        "origin": path,
        "cpu": cpu,
        "source": source,
        "functions": functions,
        "abis": [k.abi for k in kernels],
        "blas": _blas_source(),
    }
    boot_code = marshal.dumps(compile(boot, f"<sejit-aot {modname}>", "exec"))
    checks = "\n".join(
        f'    if (missing == NULL && !__builtin_cpu_supports("{f}"))\n        missing = "{f}";'
        for f in _cpu_features(cpu)
    )
    init = _INIT_C % {
        "origin": path.replace("*/", "* /"),
        "mod": modname,
        "decls": "\n".join(f"int sejit_aot_k{k.index}(sejit_ctx *, void **, sejit_slot *);"
                           for k in kernels),
        "kernels": ", ".join(f"sejit_aot_k{k.index}" for k in kernels),
        "nkernels": len(kernels),
        "boot": _c_string(boot_code),
        "cpu_checks": checks,
        "cpu": cpu,
        "doc": _c_string(ast.get_docstring(ast.parse(source)) or
                         f"Built ahead of time by sejit from {os.path.basename(path)}."),
    }
    init_c = os.path.join(work, f"{modname}_init.c")
    with open(init_c, "w", encoding="utf-8") as f:
        f.write(init)
    includes = [f"-I{d}" for d in _runtime_dir()]
    includes += [f"-I{sysconfig.get_paths()['include']}", f"-I{numpy.get_include()}"]
    init_o = os.path.join(work, f"{modname}_init.o")
    _run_cc([cc, "-O2", "-DNDEBUG", "-std=gnu11", "-fPIC", "-fvisibility=hidden", "-Wall",
             "-Wno-missing-field-initializers", *includes, "-c", init_c,
             "-o", init_o], verbose, log)
    so = os.path.join(work, modname + sysconfig.get_config_var("EXT_SUFFIX"))
    _run_cc([cc, "-shared", "-o", so, init_o, *objs, "-lm", "-ldl"], verbose, log)
    return so
