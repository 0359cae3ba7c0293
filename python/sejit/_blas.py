"""Finding NumPy's own BLAS for compiled matrix products (docs/design.md, "Matrix products").

NumPy's wheels bundle OpenBLAS (numpy.libs/libscipy_openblas64_-*.so on Linux, numpy/.dylibs on
macOS, numpy.libs next to the package on Windows); other builds link a system BLAS into NumPy's
extension module. The runtime dlopens each candidate here (RTLD_NOLOAD first: NumPy has loaded it)
and takes the first that exports a known family of CBLAS gemm names. Nothing found, or
SEJIT_BLAS=0 in the environment, leaves kernels on their own loop nests. No SciPy.
"""

import os

from . import _runtime


def candidates():
    """Paths to try, most specific first. Self-contained (ahead-of-time modules run its source,
    sejit/_aot.py)."""
    import os

    import numpy

    pkg = os.path.dirname(numpy.__file__)
    out = []
    for d in (os.path.join(os.path.dirname(pkg), "numpy.libs"), os.path.join(pkg, ".dylibs")):
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        out += [os.path.join(d, n) for n in names if "blas" in n.lower()]
    # NumPy's extension module: dlsym on its handle also searches the libraries it links.
    for sub in ("_core", "core"):
        d = os.path.join(pkg, sub)
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        out += [os.path.join(d, n) for n in names if n.startswith("_multiarray_umath")]
    return out


def load():
    """Attach NumPy's BLAS to the runtime; returns its name ("path:symbol") or None."""
    if os.environ.get("SEJIT_BLAS", "1") == "0":
        return None
    try:
        return _runtime._load_blas(candidates())
    except Exception:  # never fail an import over an optional speed-up
        return None


def info():
    """(name or None, number of BLAS gemm calls made by kernels so far, attached)."""
    return _runtime._blas_info(None)


def enable(on):
    """Attach (True) or detach (False) the BLAS found at import; returns info()."""
    return _runtime._blas_info(bool(on))


NAME = load()
