package build

import (
	"slices"
	"testing"
)

// Only units with parallel loops get the OpenMP flag: serial kernels keep
// their flags (and their cold-start time).
func TestFlagsOpenMPOnlyWhenAsked(t *testing.T) {
	if slices.Contains(Flags(Options{}), "-fopenmp") {
		t.Error("serial flags contain -fopenmp")
	}
	if !slices.Contains(Flags(Options{OpenMP: true}), "-fopenmp") {
		t.Error("OpenMP flags lack -fopenmp")
	}
}
