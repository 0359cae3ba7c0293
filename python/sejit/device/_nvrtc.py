"""CUDA C -> CUBIN with NVRTC, loaded with ctypes from the NVIDIA wheel.

``pip install nvidia-cuda-nvrtc-cu12`` (in ``make install``'s tools) gives
``libnvrtc.so.12``, which compiles CUDA C on any machine, with no GPU and no
CUDA toolkit. Kernels are compiled to a CUBIN for one architecture
(``-arch=sm_90``), never to PTX: a PTX from a newer NVRTC is refused by older
drivers (CUDA_ERROR_UNSUPPORTED_PTX_VERSION). Running a CUBIN needs the
driver's ``libcuda``, which this module does not touch.

The module imports nothing of sejit, so tests may run it by path:
``python _nvrtc.py --arch sm_80 --arch sm_90 [--option -fmad=false] FILE.cu...``
compiles each file for each architecture and exits 1 if any fails
(``SKIP: reason`` and exit 0 when NVRTC cannot be loaded).
"""

import ctypes
import glob
import os
import sys

_lib = None
_why = None


class NVRTCError(RuntimeError):
    """NVRTC refused a program; the message carries its log."""


def _candidates():
    env = os.environ.get("SEJIT_NVRTC")
    if env:
        yield env
    try:
        import importlib.util

        spec = importlib.util.find_spec("nvidia.cuda_nvrtc")
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        for d in spec.submodule_search_locations or []:
            yield from sorted(glob.glob(os.path.join(d, "lib", "libnvrtc.so.*")))
    yield "libnvrtc.so.12"
    yield "libnvrtc.so"


def library():
    """The loaded libnvrtc, or None (why() says why)."""
    global _lib, _why
    if _lib is not None or _why is not None:
        return _lib
    errors = []
    for path in _candidates():
        if ".alt." in path:
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            errors.append(str(exc))
            continue
        lib.nvrtcGetErrorString.restype = ctypes.c_char_p
        _lib = lib
        return lib
    _why = "NVRTC is not installed (pip install nvidia-cuda-nvrtc-cu12): " + "; ".join(errors[:2])
    return None


def why():
    """Why library() is None."""
    library()
    return _why


def version():
    lib = library()
    if lib is None:
        raise NVRTCError(why())
    major, minor = ctypes.c_int(), ctypes.c_int()
    _check(lib, lib.nvrtcVersion(ctypes.byref(major), ctypes.byref(minor)), "nvrtcVersion")
    return major.value, minor.value


def _check(lib, rc, what, log=""):
    if rc != 0:
        msg = f"{what}: {lib.nvrtcGetErrorString(rc).decode()}"
        if log:
            msg += "\n" + log
        raise NVRTCError(msg)


def compile_cubin(source, arch="sm_90", options=(), name="sejit.cu"):
    """Compiles CUDA C source to a CUBIN for arch (sm_NN); returns its bytes.

    options are NVRTC's (the engine's reply gives them: -fmad=false unless
    fastmath). Raises NVRTCError with the compiler's log on failure.
    """
    lib = library()
    if lib is None:
        raise NVRTCError(why())
    prog = ctypes.c_void_p()
    _check(lib, lib.nvrtcCreateProgram(ctypes.byref(prog), source.encode(), name.encode(), 0, None, None),
           "nvrtcCreateProgram")
    try:
        opts = [o for o in options if not o.startswith("-arch=")] + ["-arch=" + arch]
        argv = (ctypes.c_char_p * len(opts))(*[o.encode() for o in opts])
        rc = lib.nvrtcCompileProgram(prog, len(opts), argv)
        size = ctypes.c_size_t()
        lib.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
        buf = ctypes.create_string_buffer(size.value)
        lib.nvrtcGetProgramLog(prog, buf)
        log = buf.value.decode(errors="replace").strip()
        _check(lib, rc, f"nvrtcCompileProgram ({arch})", log)
        _check(lib, lib.nvrtcGetCUBINSize(prog, ctypes.byref(size)), "nvrtcGetCUBINSize")
        cubin = ctypes.create_string_buffer(size.value)
        _check(lib, lib.nvrtcGetCUBIN(prog, cubin), "nvrtcGetCUBIN")
        return cubin.raw
    finally:
        lib.nvrtcDestroyProgram(ctypes.byref(prog))


def main(argv):
    archs, options, files = [], [], []
    it = iter(argv)
    for a in it:
        if a == "--arch":
            archs.append(next(it))
        elif a == "--option":
            options.append(next(it))
        else:
            files.append(a)
    if library() is None:
        print("SKIP: " + why())
        return 0
    bad = 0
    for path in files:
        with open(path) as f:
            src = f.read()
        # A source may name its options in its first line (the engine's header).
        opts = list(options)
        first = src.split("\n", 1)[0]
        if "options " in first and first.startswith("/*"):
            opts += first.split("options ", 1)[1].replace("*/", "").split()
        for arch in archs or ["sm_90"]:
            try:
                cubin = compile_cubin(src, arch, opts, os.path.basename(path))
            except NVRTCError as exc:
                bad += 1
                print(f"FAIL {path} {arch}: {exc}")
                continue
            if cubin[:4] != b"\x7fELF":
                bad += 1
                print(f"FAIL {path} {arch}: NVRTC's CUBIN is not an ELF file")
    print("NVRTC %d.%d compiled %d sources for %s" % (*version(), len(files), ", ".join(archs or ["sm_90"])))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
