package driver

import (
	"testing"

	"sejit/internal/types"
)

// A tuple argument is typed item by item and passed as its leaves, depth
// first, in the order lower's paramVal makes the entry's parameters.
func TestTupleArgument(t *testing.T) {
	arr := ArgType{Kind: "array", DType: "float64", NDim: 1, Layout: "C", Unit: true}
	i := ArgType{Kind: "scalar", DType: "int64", Weak: true}
	f := ArgType{Kind: "scalar", DType: "float64", Weak: true}
	a := ArgType{Kind: "tuple", Items: []ArgType{i, {Kind: "tuple", Items: []ArgType{arr, f}}, {Kind: "tuple"}}}
	typ, err := argType(a)
	if err != nil {
		t.Fatal(err)
	}
	want := types.TupleOf(types.WeakOf(types.Int64),
		types.TupleOf(&types.Type{Kind: types.Array, DType: types.Float64, NDim: 1, Layout: 'C'}, types.WeakOf(types.Float64)),
		types.TupleOf())
	if !types.Equal(typ, want) {
		t.Errorf("argType = %s, want %s", typ, want)
	}
	leaves := argLeaves([]ArgType{f, a})
	kinds := ""
	for _, l := range leaves {
		kinds += l.Kind[:1] + l.DType + " "
	}
	if kinds != "sfloat64 sint64 afloat64 sfloat64 " {
		t.Errorf("leaves = %q", kinds)
	}
	if !lowerOptions(&Request{Args: []ArgType{a}}).EntryUnitArgs {
		t.Error("an array with an extent 1 inside a tuple does not select the stretching entry")
	}
	if _, err := argType(ArgType{Kind: "tuple", Items: []ArgType{{Kind: "scalar", DType: "str"}}}); err == nil {
		t.Error("a tuple of an unsupported item type was accepted")
	}
}
