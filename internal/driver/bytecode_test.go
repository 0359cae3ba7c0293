package driver

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

// Functions without source (internal/bytecode): a request carrying the code
// object instead of the AST compiles to the same C as the source's AST, for
// every CPython version whose bytecode internal/bytecode/testdata holds.
func TestBytecodeCompilesLikeSource(t *testing.T) {
	f64 := ArgType{Kind: "array", DType: "float64", NDim: 1, Layout: "C"}
	f64x2 := ArgType{Kind: "array", DType: "float64", NDim: 2, Layout: "C"}
	i64 := ArgType{Kind: "scalar", DType: "int64", Weak: true}
	f := ArgType{Kind: "scalar", DType: "float64", Weak: true}
	cases := map[string][]ArgType{
		"prog_sum_loop":        {f64},
		"prog_break_continue":  {f64},
		"prog_first_negative":  {f64},
		"prog_matmul_loops":    {f64x2, f64x2, f64x2},
		"prog_bubble_sort":     {f64},
		"prog_stencil":         {f64, f64},
		"prog_while_counter":   {i64},
		"prog_gcd":             {i64, i64},
		"prog_fibonacci":       {i64},
		"prog_classify":        {f},
		"prog_bool_conditions": {f, f, f},
		"prog_chained_compare": {f, f, f},
		"prog_nested_loops":    {f64x2},
		"prog_ifexp_in_loop":   {f64, f64},
		"prog_list_append":     {i64},
	}
	for name, args := range cases {
		a, err := txtar.ParseFile(filepath.Join("..", "bytecode", "testdata", name+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, f := range a.Files {
			files[f.Name] = f.Data
		}
		req := func(ast, bc []byte) *Request {
			fn := &Function{Name: "f", Qualname: "f", Filename: "<string>", FirstLineno: 1,
				AST: json.RawMessage(ast), Bytecode: json.RawMessage(bc)}
			if bc != nil {
				fn.AST = json.RawMessage("null")
			}
			return &Request{EngineVersion: EngineVersion, Entry: "f0", Functions: map[string]*Function{"f0": fn},
				Args: args, Target: "cpu", CC: "cc", Options: Options{BoundsCheck: true}}
		}
		want, errs := compile(req(files["ast.json"], nil))
		if len(errs) > 0 || len(want.CSource) < 100 {
			t.Fatalf("%s from source: %v", name, errs)
		}
		for _, v := range []string{"3.11", "3.12", "3.13"} {
			if _, differs := files["tree "+v]; differs {
				continue // the same computation spelled otherwise: other C
			}
			got, errs := compile(req(nil, files[v+".json"]))
			if len(errs) > 0 {
				t.Errorf("%s from %s bytecode: %v", name, v, errs)
				continue
			}
			if got.CSource != want.CSource {
				t.Errorf("%s: the C from %s bytecode differs from the C from source", name, v)
			}
		}
	}
}
