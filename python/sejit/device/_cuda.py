"""The CUDA side of sejit.Context("cuda"): the driver check.

The engine prints CUDA C for a request with "target": "cuda" and the device's architecture
("device": {"arch": "sm_90", ...}); _nvrtc.py compiles it to a CUBIN. Loading the CUBIN and
launching its kernels (cuModuleLoadData, cuLaunchKernel) needs the driver's libcuda and comes with
a session that has a GPU (issue 16). Until then Context("cuda") says which part is missing.
"""

import ctypes

from ._cl import NoDeviceError


def driver():
    """The loaded libcuda, or raise NoDeviceError("no CUDA driver ...")."""
    errors = []
    for name in ("libcuda.so.1", "libcuda.so"):
        try:
            return ctypes.CDLL(name)
        except OSError as exc:
            errors.append(str(exc))
    raise NoDeviceError("no CUDA driver: libcuda.so.1 could not be loaded (" + errors[0] + "); "
                        "sejit.Context(\"cuda\") needs an NVIDIA GPU and its driver. Use an OpenCL "
                        "device (sejit.Context(\"cpu\") with pip's PoCL) meanwhile")


def context(spec):
    """Context("cuda") or Context("cuda:N"): not built yet past the driver check."""
    driver()
    raise NotImplementedError(
        f"sejit.Context({spec!r}): running kernels through the CUDA driver is not built yet; the "
        "engine's CUDA C (target \"cuda\") and NVRTC's CUBINs are. Use an OpenCL device for now")
