"""sejit.kernel's device form (issue 12): the same kernels on DeviceArrays, one OpenCL kernel
each, on the first CPU device whose compiler builds (PoCL), compared with NumPy."""

import numpy as np
import pytest

import sejit
from sejit.device import NoDeviceError, _cl

from conftest import needs_engine
from test_sejit_kernel import histogram, ids, saxpy, stencil, unguarded

try:
    _CTX = sejit.Context("cpu")
except NoDeviceError as exc:
    pytest.skip(f"no OpenCL CPU device: {exc}", allow_module_level=True)
if not _cl.can_build(_CTX.info):
    pytest.skip(f"the OpenCL device {_CTX.name} cannot build kernels here",
                allow_module_level=True)

pytestmark = needs_engine


def test_saxpy_device():
    n = 1000
    rng = np.random.default_rng(0)
    x, y = rng.random(n, np.float32), rng.random(n, np.float32)
    out = _CTX.zeros(n, np.float32)
    saxpy(np.float32(2.5), _CTX.asarray(x), _CTX.asarray(y), out, global_size=1024,
          local_size=64)
    np.testing.assert_allclose(out.get(), np.float32(2.5) * x + y, rtol=1e-6)


def test_stencil_device():
    a = np.random.default_rng(1).random((13, 17))
    out = _CTX.zeros((13, 17))
    stencil[(16, 20), (4, 5)](_CTX.asarray(a), out)
    want = np.zeros_like(a)
    want[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
    np.testing.assert_allclose(out.get(), want, rtol=1e-15)


def test_ids_device():
    out = _CTX.zeros((12, 7), np.int64)
    ids(out, global_size=12, local_size=4)
    host = np.zeros((12, 7), np.int64)
    ids(host, global_size=12, local_size=4)
    np.testing.assert_array_equal(out.get(), host)


def test_index_error_device():
    x, out = _CTX.asarray(np.arange(10.0)), _CTX.zeros(10)
    with pytest.raises(IndexError):
        unguarded(x, out, global_size=16)


def test_atomics_refused_on_device():
    with pytest.raises(sejit.UnsupportedError, match="atomic_add.*device"):
        histogram(_CTX.zeros(4), 0.0, 1.0, _CTX.zeros(4, np.int64), global_size=4)


def test_barrier_not_built_on_device():
    @sejit.kernel
    def k(x):
        sejit.barrier()
        x[sejit.global_id(0)] = 1

    with pytest.raises(sejit.UnsupportedError, match="not built yet"):
        k[4](_CTX.zeros(4))
