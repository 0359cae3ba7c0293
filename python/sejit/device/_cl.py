"""pyopencl, imported on first use, and the devices it finds.

`import sejit` never imports pyopencl (0.2–0.4 s): the first Context, devices() or DeviceArray
operation does, through load().
"""

import os

INSTALL_HINT = (
    "install pyopencl with an OpenCL platform: pip install 'pyopencl[pocl]' (PoCL runs OpenCL on "
    "any CPU); on a GPU machine the vendor's driver provides its own platform"
)


class NoDeviceError(RuntimeError):
    """No OpenCL device to use: pyopencl is missing, it finds no platform, or no device matches
    the requested spec. The message says which and how to install one."""


_cl = None


def load():
    """The pyopencl module, or NoDeviceError saying how to install it."""
    global _cl
    if _cl is None:
        try:
            import pyopencl
        except ImportError as exc:
            raise NoDeviceError(f"sejit's device target needs pyopencl ({exc}); {INSTALL_HINT}") \
                from None
        _cl = pyopencl
    return _cl


class DeviceInfo:
    """One OpenCL device: its spec ("opencl:P:D"), names, and what sejit needs to know of it."""

    __slots__ = ("spec", "platform", "device", "type", "name", "platform_name", "version",
                 "driver_version", "fp64", "global_mem_size", "units", "cpu_like")

    def __init__(self, cl, p, d, pi, di):
        self.spec = f"opencl:{pi}:{di}"
        self.platform = p
        self.device = d
        self.type = _type_name(cl, d.type)
        self.name = d.name.strip()
        self.platform_name = p.name.strip()
        self.version = d.version.strip()  # "OpenCL 3.0 PoCL ..."
        self.driver_version = d.driver_version.strip()
        self.fp64 = bool(d.double_fp_config) or "cl_khr_fp64" in d.extensions.split()
        self.global_mem_size = int(d.global_mem_size)
        self.units = max(1, int(d.max_compute_units))
        # Whether a work-item should run a chunk of iterations rather than one (chunk_length).
        self.cpu_like = not bool(d.type & cl.device_type.GPU)

    @property
    def is_gpu(self):
        return bool(self.device.type & load().device_type.GPU)

    @property
    def is_cpu(self):
        return bool(self.device.type & load().device_type.CPU)

    def chunk_length(self, n):
        """How many consecutive iterations of a kernel's innermost dimension of extent n each
        work-item runs. A GPU hides memory latency with many threads, and neighbouring threads
        reading neighbouring elements coalesce: one iteration each. A CPU device (PoCL) pays
        for every work-item it schedules, and runs a chunk's loop as plain vectorizable code:
        a chunk of up to 1024 iterations, with at least 8 work-items per compute unit so every
        core gets work (measured in docs/performance.md, "Device target")."""
        if not self.cpu_like:
            return 1
        return max(1, min(1024, -(-n // (8 * self.units))))

    def __str__(self):
        fp64 = "fp64" if self.fp64 else "no fp64"
        return (f"{self.spec}: {self.name} ({self.type}; {self.platform_name}, "
                f"{opencl_version(self.version)}; {fp64}; {format_bytes(self.global_mem_size)})")

    def __repr__(self):
        return f"<sejit.device.DeviceInfo {self}>"


def _type_name(cl, t):
    for bit, name in ((cl.device_type.GPU, "GPU"), (cl.device_type.CPU, "CPU"),
                      (cl.device_type.ACCELERATOR, "accelerator")):
        if t & bit:
            return name
    return "other"


def opencl_version(version):
    """'OpenCL 3.0' from a device's version string ('OpenCL 3.0 PoCL HSTR: ...')."""
    return " ".join(version.split()[:2])


def format_bytes(n):
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def devices():
    """Every OpenCL device of every platform, in pyopencl's order (the P and D of the specs).

    NoDeviceError when pyopencl is missing or finds no platform (the message says how to install
    one)."""
    cl = load()
    try:
        platforms = cl.get_platforms()
    except cl.Error as exc:  # no ICD loader configuration: clGetPlatformIDs → -1001
        raise NoDeviceError(f"pyopencl finds no OpenCL platform ({exc}); {INSTALL_HINT}") from None
    out = []
    for pi, p in enumerate(platforms):
        try:
            devs = p.get_devices()
        except cl.Error:  # a platform with no devices answers DEVICE_NOT_FOUND
            continue
        out.extend(DeviceInfo(cl, p, d, pi, di) for di, d in enumerate(devs))
    if not out:
        raise NoDeviceError(f"the OpenCL platforms found have no devices; {INSTALL_HINT}")
    return out


SPEC_HELP = ('a device spec is "gpu", "cpu", "any" or "opencl:P:D" (platform P, device D, as '
             "`python -m sejit devices` lists them)")


def select(spec):
    """The DeviceInfo a spec names (sejit.device.select_device), without making a context.
    None (or "") reads $SEJIT_DEVICE, else picks a GPU, else a CPU, else any device."""
    source = "spec"
    if spec is None or spec == "":
        spec = os.environ.get("SEJIT_DEVICE", "").strip()
        source = "$SEJIT_DEVICE"
    if not isinstance(spec, str):
        raise TypeError(f"sejit.Context: want a device spec string, not {type(spec).__name__}; "
                        f"{SPEC_HELP}")
    spec = spec.strip().lower()
    if spec.startswith("opencl:"):
        parts = spec.split(":")
        if len(parts) != 3 or not all(p.isdigit() for p in parts[1:]):
            raise ValueError(f"sejit.Context: bad {source} {spec!r}; {SPEC_HELP}")
        want = spec
        found = devices()
        for info in found:
            if info.spec == want:
                return info
        listed = "; ".join(str(i) for i in found)
        raise NoDeviceError(f"no OpenCL device {want} ({source}); the devices: {listed}")
    if spec not in ("", "gpu", "cpu", "any"):
        raise ValueError(f"sejit.Context: bad {source} {spec!r}; {SPEC_HELP}")
    found = devices()
    if spec == "any":
        return found[0]
    gpus = [i for i in found if i.is_gpu]
    cpus = [i for i in found if i.is_cpu]
    if spec == "gpu" and not gpus or spec == "cpu" and not cpus:
        listed = "; ".join(str(i) for i in found)
        raise NoDeviceError(f"no OpenCL {spec.upper()} device ({source} {spec!r}); the devices: "
                            f"{listed}")
    if spec == "cpu":
        return _first_building(cpus)
    return _first_building(gpus or cpus or found)


_builds = {}  # (platform name, device name, driver version) → whether a kernel builds there

_PROBE = "__kernel void sejit_probe(__global int *a) { a[get_global_id(0)] += 1; }"


def can_build(info):
    """Whether a trivial kernel builds on the device: some platforms list devices their
    compiler cannot target (pip's PoCL 3.0 on CPUs its LLVM 14 does not know: "unknown target
    CPU 'generic'"). Tried once per device and process."""
    key = (info.platform_name, info.name, info.driver_version)
    ok = _builds.get(key)
    if ok is None:
        cl = load()
        try:
            cl.Program(cl.Context([info.device]), _PROBE).build()
            ok = True
        except Exception:  # pyopencl's RuntimeError (BUILD_PROGRAM_FAILURE) or cl.Error
            ok = False
        _builds[key] = ok
    return ok


def _first_building(candidates):
    """The first of several candidate devices whose compiler builds a kernel, else the first
    (whose build errors then say what is wrong). A single candidate is not tried."""
    if len(candidates) > 1:
        for info in candidates:
            if can_build(info):
                return info
    return candidates[0]
