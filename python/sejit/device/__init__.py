"""sejit's device side: OpenCL contexts and arrays in device memory (docs/design.md, "Device
target").

    ctx = sejit.Context()          # $SEJIT_DEVICE, else a GPU, else a CPU
    a = ctx.arange(10.0)           # a DeviceArray on that device
    a[::2] = 0.0                   # views and in-place writes, as NumPy's
    a.get()                        # the values as a NumPy array (an explicit transfer)

Importing this package does not import pyopencl: the first Context, devices() call or array
operation does. A jitted function called with device arrays runs on their device (launch.py);
NumPy's ufuncs, operators and reductions on DeviceArrays do too, through generated kernels
(_ufuncs.py, _reduce.py).
"""

from ._cl import DeviceInfo, NoDeviceError, devices
from ._cl import select as select_device
from .array import DeviceArray, as_device_array, is_device_array
from .context import Context

__all__ = ["Context", "DeviceArray", "DeviceInfo", "NoDeviceError", "as_device_array", "devices",
           "is_device_array", "select_device"]
