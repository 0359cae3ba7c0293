package clgen

import "testing"

// deviceBuild is the device compiler for the external golden test.
var DeviceBuild = func(t *testing.T, sources map[string]string) { deviceBuild(t, sources) }
