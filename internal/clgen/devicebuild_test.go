package clgen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The device compiler in tests: sources are built by pyopencl, through the
// project's Python, on the first OpenCL device that can build a kernel
// (sejit.device._cl.can_build). Without one the test skips, saying why.

// python returns the project's interpreter, or "".
func python() string {
	if p := os.Getenv("SEJIT_PYTHON"); p != "" {
		return p
	}
	p, err := filepath.Abs(filepath.Join("..", "..", ".venv", "bin", "python"))
	if err != nil {
		return ""
	}
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

const buildScript = `
import sys
import pyopencl as cl
probe = "__kernel void k(__global int *a) { a[get_global_id(0)] += 1; }"
dev = None
for p in cl.get_platforms():
    for d in p.get_devices():
        try:
            cl.Program(cl.Context([d]), probe).build()
            dev = d
            break
        except Exception:
            pass
    if dev is not None:
        break
if dev is None:
    print("SKIP: no OpenCL device here builds a kernel")
    sys.exit(0)
ctx = cl.Context([dev])
fp64 = "cl_khr_fp64" in dev.extensions.split()
bad = 0
for path in sys.argv[1:]:
    src = open(path).read()
    if "cl_khr_fp64" in src and not fp64:
        print(f"SKIPPED {path}: the device has no fp64")
        continue
    try:
        cl.Program(ctx, src).build(options=["-Werror"])
    except Exception as exc:
        bad += 1
        print(f"FAIL {path}: {exc}")
print(f"built on {dev.name.strip()}")
sys.exit(1 if bad else 0)
`

// deviceBuild builds each source (name → OpenCL C) with the device
// compiler, failing the test for a source that does not build.
func deviceBuild(t *testing.T, sources map[string]string) {
	t.Helper()
	py := python()
	if py == "" {
		t.Skip("no project Python (.venv) to run pyopencl: make install")
	}
	if err := exec.Command(py, "-c", "import pyopencl").Run(); err != nil {
		t.Skip("pyopencl is not installed: make install")
	}
	dir := t.TempDir()
	args := []string{"-c", buildScript}
	for name, src := range sources {
		p := filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".cl")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	text := string(out)
	if strings.HasPrefix(text, "SKIP: ") {
		t.Skip(strings.TrimSpace(strings.TrimPrefix(text, "SKIP: ")))
	}
	if err != nil {
		t.Fatalf("the device compiler refused generated code: %v\n%s", err, text)
	}
	t.Log(strings.TrimSpace(text))
	_ = fmt.Sprint
}

// CUDAArchs are the architectures NVRTC compiles every CUDA source for in
// tests (A100, H100).
var CUDAArchs = []string{"sm_80", "sm_90"}

// nvrtcBuild compiles each CUDA source to a CUBIN for CUDAArchs with NVRTC
// (python/sejit/device/_nvrtc.py, run by path through the project's
// Python; no GPU needed), with the options its first line names.
func nvrtcBuild(t *testing.T, sources map[string]string) {
	t.Helper()
	py := python()
	if py == "" {
		t.Skip("no project Python (.venv) to load NVRTC: make install")
	}
	helper, err := filepath.Abs(filepath.Join("..", "..", "python", "sejit", "device", "_nvrtc.py"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	args := []string{helper}
	for _, a := range CUDAArchs {
		args = append(args, "--arch", a)
	}
	for name, src := range sources {
		p := filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".cu")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	text := string(out)
	if strings.HasPrefix(text, "SKIP: ") {
		t.Skip(strings.TrimSpace(strings.TrimPrefix(text, "SKIP: ")))
	}
	if err != nil {
		t.Fatalf("NVRTC refused generated code: %v\n%s", err, text)
	}
	t.Log(strings.TrimSpace(text))
}
