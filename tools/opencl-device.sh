#!/bin/sh
# Makes sure an OpenCL device that can build kernels exists, for the device target's tests
# (docs/design.md, "Device target"). pip's PoCL (pyopencl[pocl]) cannot build any kernel on
# some CPUs its LLVM does not know ("unknown target CPU 'generic'", AMD family 26); Debian's
# pocl-opencl-icd (a newer LLVM) can. When no device builds a kernel, we are root and apt-get
# exists, it is installed quietly. Never fails: without a device the tests skip with the reason.
# Usage: sh tools/opencl-device.sh PYTHON
PY=${1:-python3}
probe() {
	"$PY" - <<'PYEOF' 2>/dev/null
import sys
try:
    import pyopencl as cl
    src = "__kernel void k(__global int *a) { a[get_global_id(0)] += 1; }"
    for p in cl.get_platforms():
        for d in p.get_devices():
            try:
                cl.Program(cl.Context([d]), src).build()
                print(f"opencl-device: {d.name.strip()} ({p.name.strip()}) builds kernels")
                sys.exit(0)
            except Exception:
                pass
except Exception:
    pass
sys.exit(1)
PYEOF
}
probe && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	echo "opencl-device: no OpenCL device builds kernels; installing pocl-opencl-icd"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pocl-opencl-icd; } \
		>/dev/null 2>&1 || echo "opencl-device: apt-get install pocl-opencl-icd failed"
	probe && exit 0
fi
echo "opencl-device: no OpenCL device can build a kernel here; the device tests will skip"
exit 0
