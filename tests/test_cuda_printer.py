"""The CUDA pieces that need no GPU (issue 16): NVRTC compiles CUDA C to a CUBIN, and
sejit.Context("cuda") says what is missing. The engine's CUDA C of every golden is compiled by
internal/clgen's TestGolden (nvrtc)."""

import ctypes

import pytest

import sejit
from sejit.device import _nvrtc


def _has_libcuda():
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


def test_nvrtc_compiles_a_cubin():
    if _nvrtc.library() is None:
        pytest.skip(_nvrtc.why())
    src = 'extern "C" __global__ void k(float *a, long n) {\n' \
          '    long i = (long)blockIdx.x * (long)blockDim.x + (long)threadIdx.x;\n' \
          '    if (i < n) a[i] = sqrtf(a[i]) * 2.0f + 1.0f;\n}\n'
    for arch in ("sm_80", "sm_90"):
        cubin = _nvrtc.compile_cubin(src, arch, ["-fmad=false"])
        assert cubin[:4] == b"\x7fELF"
    with pytest.raises(_nvrtc.NVRTCError, match="undefined"):
        _nvrtc.compile_cubin('extern "C" __global__ void k() { nope(); }', "sm_90")


def test_context_cuda_without_a_driver():
    if _has_libcuda():
        with pytest.raises(NotImplementedError, match="not built yet"):
            sejit.Context("cuda")
    else:
        with pytest.raises(sejit.device.NoDeviceError, match="no CUDA driver"):
            sejit.Context("cuda")
