package types

import (
	"testing"

	"sejit/internal/library"
)

// PromoteAll is NumPy 2's result_type over strong dtypes and weak Python
// scalars (the expectations are NumPy's np.result_type and np.clip results).
func TestPromoteAll(t *testing.T) {
	f32 := ArrayOf(Float32, 1, 'C')
	i8 := ArrayOf(Int8, 1, 'C')
	u8 := ArrayOf(Uint8, 1, 'C')
	cases := []struct {
		in   []*Type
		want DType
	}{
		{[]*Type{i8, Int, Int}, Int8},                   // np.clip(int8s, 1, 2)
		{[]*Type{i8, Float, Int}, Float64},              // a Python float beside ints
		{[]*Type{f32, Int, Float}, Float32},             // weak floats keep float32
		{[]*Type{i8, u8, Int}, Int16},                   // strong dtypes promote first
		{[]*Type{Int, Float}, Float64},                  // all weak
		{[]*Type{f32, WeakOf(Complex128)}, Complex64},   // complex meeting float32
		{[]*Type{ScalarOf(Int32), Int}, Int32},          // a NumPy scalar is strong
		{[]*Type{BoolT, Int}, Int64},                    // bool is strong and lowest
		{[]*Type{ArrayOf(Uint64, 1, 'C'), i8}, Float64}, // uint64 with a signed int
	}
	for _, c := range cases {
		if got := PromoteAll(c.in...); got != c.want {
			t.Errorf("PromoteAll(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestNumpyKnown(t *testing.T) {
	for _, n := range []string{"linspace", "sort", "bitwise_and", "round", "clip", "histogram", "cross"} {
		if library.Callable("numpy", n) == nil {
			t.Errorf("numpy.%s is not in the catalog", n)
		}
	}
	if library.Callable("numpy", "fft") != nil {
		t.Errorf("numpy.fft should not be in the catalog")
	}
}
