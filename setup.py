"""Builds sejit: the C dispatcher extension and the Go engine binary shipped inside the package.

The metadata lives in pyproject.toml; this file only adds what needs code: the extension (NumPy's
include directory is found at build time) and the `go build` of cmd/sejitc into the build tree,
so the engine lands next to the package's __init__.py as sejit/sejitc.
"""

import os
import shutil
import subprocess

import numpy
from setuptools import Extension, setup
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))


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
        cmd = [go, "build", "-o", target, "./cmd/sejitc"]
        self.announce("running " + " ".join(cmd), level=2)
        subprocess.run(cmd, cwd=ROOT, check=True)

    def get_outputs(self, include_bytecode=True):
        # Declared so that install/bdist_wheel record the binary as part of the package.
        outputs = super().get_outputs(include_bytecode)
        return outputs + [os.path.join(self.build_lib, "sejit", "sejitc")]


runtime = Extension(
    "sejit._runtime",
    sources=["python/sejit/_runtime.c"],
    include_dirs=[numpy.get_include(), "internal/cgen"],
    depends=["internal/cgen/sejit_abi.h"],
    extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wno-missing-field-initializers"],
    libraries=["dl"],
)

setup(
    package_dir={"": "python"},
    packages=["sejit"],
    include_package_data=False,  # the C source is built, not shipped
    ext_modules=[runtime],
    cmdclass={"build_py": build_py_with_engine},
)
