"""Builds sejit: the C dispatcher extension and the Go engine binary shipped inside the package.

The metadata lives in pyproject.toml; this file only adds what needs code: the extension (NumPy's
include directory is found at build time) and the `go build` of cmd/sejitc into the build tree,
so the engine lands next to the package's __init__.py as sejit/sejitc.
"""

import hashlib
import os
import shutil
import subprocess

import numpy
from setuptools import Extension, setup
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))


def source_digest():
    """sha256 over the engine's and runtime's sources: paths and contents, in path order."""
    h = hashlib.sha256()
    paths = ["go.mod", "go.sum", "setup.py"]
    for top in ("cmd", "internal", "python/sejit"):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if name.endswith((".go", ".c", ".h", ".py")) and not name.endswith("_test.go"):
                    paths.append(os.path.relpath(os.path.join(d, name), ROOT))
    for rel in sorted(paths):
        full = os.path.join(ROOT, rel)
        if "testdata" in rel.split(os.sep) or not os.path.exists(full):
            continue
        with open(full, "rb") as f:
            h.update(rel.encode() + b"\0" + hashlib.sha256(f.read()).digest())
    return h.hexdigest()


AOT_SOURCES = ["python/sejit/_runtime.c", "python/sejit/_kernel_errors.h", "internal/cgen/sejit_abi.h"]


class build_py_with_engine(build_py):
    """build_py, then `go build` the engine into the package directory of the build tree."""

    def run(self):
        super().run()
        if self.dry_run:
            return
        go = shutil.which("go")
        if go is None:
            raise SystemExit("sejit: building the engine needs Go (the `go` command) on PATH")
        target = os.path.join(os.path.abspath(self.build_lib), "sejit", "sejitc")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        # `python -m sejit build` (sejit/_aot.py) compiles the runtime into each ahead-of-time
        # module: it needs the runtime's C source and the ABI header beside it.
        for src in AOT_SOURCES:
            shutil.copyfile(os.path.join(ROOT, src), os.path.join(os.path.dirname(target),
                                                                  os.path.basename(src)))
        cmd = [go, "build", "-o", target, "./cmd/sejitc"]
        self.announce("running " + " ".join(cmd), level=2)
        subprocess.run(cmd, cwd=ROOT, check=True)
        # The engine's version is written in one place, the Go constant driver.EngineVersion;
        # the package learns it here from the binary it ships, so that importing sejit never
        # starts a process to ask. The build's identity goes into every cache key
        # (docs/protocol.md §3): a reinstall with a changed engine or runtime must not load
        # kernels the old one built.
        version = subprocess.run(
            [target, "version"], check=True, capture_output=True, text=True
        ).stdout.strip()
        if not version or not version.isprintable() or '"' in version or "\\" in version:
            raise SystemExit(f"sejit: {target} version printed {version!r}, not a version")
        with open(os.path.join(os.path.dirname(target), "_build.py"), "w") as f:
            f.write(
                f'"""Written by setup.py from the engine it built."""\n\n'
                f'ENGINE_VERSION = "{version}"  # `sejitc version`: Go\'s driver.EngineVersion\n'
                f'ENGINE_BUILD = "{source_digest()}"\n'
            )

    def get_outputs(self, include_bytecode=True):
        # Declared so that install/bdist_wheel record the binary as part of the package.
        outputs = super().get_outputs(include_bytecode)
        pkg = os.path.join(self.build_lib, "sejit")
        return outputs + [os.path.join(pkg, "sejitc"), os.path.join(pkg, "_build.py")] + [
            os.path.join(pkg, os.path.basename(src)) for src in AOT_SOURCES
        ]


runtime = Extension(
    "sejit._runtime",
    sources=["python/sejit/_runtime.c"],
    include_dirs=[numpy.get_include(), "internal/cgen"],
    depends=["internal/cgen/sejit_abi.h", "python/sejit/_kernel_errors.h"],
    extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wno-missing-field-initializers"],
    libraries=["dl"],
)

# Real NumPy ufuncs over compiled kernels (sejit.vectorize, guvectorize): python/sejit/_ufunc.c.
ufunc = Extension(
    "sejit._ufunc",
    sources=["python/sejit/_ufunc.c"],
    include_dirs=[numpy.get_include(), "internal/cgen"],
    depends=["internal/cgen/sejit_abi.h", "python/sejit/_kernel_errors.h"],
    extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wno-missing-field-initializers"],
)

setup(
    package_dir={"": "python"},
    packages=["sejit", "sejit.device"],
    include_package_data=False,  # the C sources are copied by build_py_with_engine
    ext_modules=[runtime, ufunc],
    cmdclass={"build_py": build_py_with_engine},
)
