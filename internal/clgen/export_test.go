package clgen

import "testing"

// deviceBuild is the device compiler for the external golden test.
var DeviceBuild = func(t *testing.T, sources map[string]string) { deviceBuild(t, sources) }

// NVRTCBuild compiles CUDA sources to CUBINs for the external golden test.
var NVRTCBuild = func(t *testing.T, sources map[string]string) { nvrtcBuild(t, sources) }
