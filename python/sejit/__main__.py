"""The command line: `python -m sejit COMMAND`.

    cache ls | clear | gc --max-size SIZE [--dir D]   the on-disk cache (the engine's `cache`)
    explain FILE:FUNC --args "np.zeros(10), 3.0"      what the engine does for these arguments
    devices                                           the targets code can be compiled for
    build FILE [-o DIR] [--cpu CPU]                   an extension module of FILE's exports
    version                                           sejit's, the engine's and the build's
"""

import argparse
import importlib.util
import math
import os
import subprocess
import sys

import numpy

import sejit

from . import _engine, _request
from .dispatcher import Dispatcher


def _cache(args):
    """Runs the engine's own `cache` command: the cache's layout and locking are the engine's."""
    engine = _engine.engine_path()
    if not os.path.isfile(engine):
        sys.exit(f"sejit: the engine is not installed at {engine} (set SEJIT_ENGINE)")
    cmd = [engine, "cache", args.action]
    if args.action == "gc":
        if args.max_size is None:
            sys.exit("sejit cache gc: --max-size is required (such as 200M or 1G)")
        cmd += ["--max-size", args.max_size]
    elif args.max_size is not None:
        sys.exit(f"sejit cache {args.action}: --max-size is only for gc")
    if args.dir:
        cmd += ["--dir", args.dir]
    return subprocess.run(cmd).returncode


def _load_function(spec):
    """The function FUNC (a qualified name) of the file FILE in FILE:FUNC, jitted if it is not."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path or not name:
        sys.exit(f"sejit explain: want FILE:FUNC (such as kernels.py:poly), not {spec!r}")
    if not os.path.isfile(path):
        sys.exit(f"sejit explain: no file {path}")
    directory = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, directory)  # as `python FILE` would, for the file's own imports
    modname = os.path.splitext(os.path.basename(path))[0]
    module_spec = importlib.util.spec_from_file_location(modname, path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[modname] = module
    module_spec.loader.exec_module(module)  # the file's top level runs, not its __main__ block
    obj = module
    for part in name.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            sys.exit(f"sejit explain: {path} defines no {name}")
    if isinstance(obj, Dispatcher):
        return obj
    try:
        return sejit.jit(obj)
    except TypeError as exc:
        sys.exit(f"sejit explain: {name} in {path}: {exc}")


def _explain(args):
    disp = _load_function(args.target)
    namespace = {"np": numpy, "numpy": numpy, "math": math}
    try:
        values = eval(args.args, namespace) if args.args.strip() else ()
    except Exception as exc:
        sys.exit(f"sejit explain: --args {args.args!r}: {type(exc).__name__}: {exc}")
    if not isinstance(values, tuple):
        values = (values,)
    try:
        disp.explain(*values)
    except Exception as exc:  # the compile's positioned error, as the user would see it
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _devices(args):
    print("cpu: the C target (the system C compiler builds every kernel)")
    from . import device

    try:
        found = device.devices()
    except device.NoDeviceError as exc:
        print(f"no OpenCL device: {exc}")
        return 0
    try:
        default = device.select_device(None).spec  # what sejit.Context() picks
    except (ValueError, device.NoDeviceError) as exc:  # a bad $SEJIT_DEVICE
        default = None
        print(f"$SEJIT_DEVICE: {exc}")
    print("OpenCL devices (sejit.Context(spec); arrays only: compiling jitted functions for the "
          "device is the next step):")
    for info in found:
        mark = "  (the default)" if info.spec == default else ""
        print(f"  {info}{mark}")
    return 0


def _build(args):
    from . import _aot
    from .errors import CompilerError, TypingError, UnsupportedError

    try:
        out = _aot.build(args.file, args.output, args.cpu, keep=args.keep_c,
                         verbose=args.verbose)
    except (_aot.ExportError, CompilerError, TypingError, UnsupportedError, NameError,
            ValueError, SyntaxError, OSError) as exc:
        print(f"sejit build: {exc}", file=sys.stderr)
        return 1
    print(out)
    return 0


def _version(args):
    print(f"sejit {sejit.__version__}")
    print(f"engine {_request.ENGINE_VERSION} ({_engine.engine_path()})")
    print(f"build {_request.ENGINE_BUILD}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sejit", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cache = sub.add_parser("cache", help="list, trim or clear the on-disk cache")
    cache.add_argument("action", choices=["ls", "clear", "gc"])
    cache.add_argument(
        "--max-size",
        help="gc: remove least recently used entries until the cache takes at most SIZE "
        "(bytes, or a number with K, M, G or T: 500K, 200M, 1G)",
    )
    cache.add_argument("--dir", help="the cache directory (default: $SEJIT_CACHE_DIR, else "
                       "$XDG_CACHE_HOME/sejit, else ~/.cache/sejit)")
    cache.set_defaults(run=_cache)
    explain = sub.add_parser("explain", help="print what the engine does for a function")
    explain.add_argument("target", metavar="FILE:FUNC")
    explain.add_argument(
        "--args", default="", help='the arguments, a Python expression with numpy as np '
        '(such as "np.zeros(10), 3.0")'
    )
    explain.set_defaults(run=_explain)
    sub.add_parser("devices", help="list the targets").set_defaults(run=_devices)
    build = sub.add_parser(
        "build",
        help="build an extension module of a file's exported signatures (ahead of time)",
        description="Compiles the signatures FILE exports (lines such as `# sejit export "
        "poly(float64[:], float64[:], float)`, or @sejit.export) into one CPython extension "
        "module named for FILE (mymod.py gives mymod.cpython-311-x86_64-linux-gnu.so), which "
        "imports before mymod.py from the same directory and needs only NumPy to run: no sejit, "
        "no C compiler. Types: bool int float complex (Python scalars), a dtype such as float32 "
        "(a NumPy scalar), float64[:], float64[:, :] (arrays, any strides), float64[::1], "
        "float64[:, ::1] (C-contiguous arrays). See docs/scale.md, \"Ahead-of-time modules\".",
    )
    build.add_argument("file", metavar="FILE", help="the Python file (mymod.py)")
    build.add_argument("-o", "--output", metavar="DIR",
                       help="where to write the module (default: FILE's directory)")
    build.add_argument(
        "--cpu", metavar="CPU",
        help="the instruction set, the compiler's -march: x86-64, x86-64-v2 (the default on "
        "x86-64: every x86-64 CPU since 2009), x86-64-v3 (AVX2, FMA), x86-64-v4 (AVX-512), "
        "native (this machine's), any other -march name, or default (no -march). Importing "
        "on a CPU without the features raises ImportError",
    )
    build.add_argument("--keep-c", metavar="DIR", help="also copy the generated C into DIR")
    build.add_argument("-v", "--verbose", action="store_true", help="print the compiler commands")
    build.set_defaults(run=_build)
    sub.add_parser("version", help="print the versions").set_defaults(run=_version)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
