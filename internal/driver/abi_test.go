package driver

import "testing"

// The ABI tells the runtime when to release the GIL: always for programs
// with loops or calls, from smallWork array elements for element-wise ones.
func TestReleaseGILMin(t *testing.T) {
	for name, want := range map[string]int64{
		"poly":        smallWork,
		"sum_squares": smallWork,
		"fib":         0,
		"range_len":   0,
		"while_break": 0,
	} {
		c := loadGolden(t, "testdata/"+name+".txtar")
		comp, errs := compile(c.request())
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		if got := comp.ABI.ReleaseGILMin; got != want {
			t.Errorf("%s: release_gil_min = %d, want %d", name, got, want)
		}
	}
}
