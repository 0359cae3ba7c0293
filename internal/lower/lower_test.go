package lower

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"sejit/internal/ir"
	"sejit/internal/library"
	"sejit/internal/pyast"
	"sejit/internal/resolve"
	"sejit/internal/types"
)

// lowerGolden lowers the entry of one of the driver's golden archives.
func lowerGolden(t *testing.T, name string, opts Options) *Result {
	t.Helper()
	ar, err := txtar.ParseFile("../driver/testdata/" + name + ".txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range ar.Files {
		files[f.Name] = f.Data
	}
	def, err := pyast.Decode(files["ast.json"])
	if err != nil {
		t.Fatal(err)
	}
	var args []struct {
		Kind, DType, Layout string
		NDim                int
		Weak                bool
	}
	if err := json.Unmarshal(files["args.json"], &args); err != nil {
		t.Fatal(err)
	}
	var ts []*types.Type
	for _, a := range args {
		d, _ := types.ParseDType(a.DType)
		if a.Kind == "array" {
			ts = append(ts, types.ArrayOf(d, a.NDim, a.Layout[0]))
		} else if a.Weak {
			ts = append(ts, types.WeakOf(d))
		} else {
			ts = append(ts, types.ScalarOf(d))
		}
	}
	f := &resolve.Func{ID: "f0", Def: def, File: name + ".py", Globals: map[string]*resolve.Global{
		"np": {Kind: "module", Name: "numpy"}}}
	if errs := resolve.Resolve(f); len(errs) > 0 {
		t.Fatal(errs)
	}
	prog, errs := types.Infer(map[string]*resolve.Func{"f0": f}, "f0", ts)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	res, errs := Program(prog, opts)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if err := ir.Verify(res.Prog); err != nil {
		t.Fatal(err)
	}
	return res
}

func count(body []ir.Stmt, pred func(ir.Stmt) bool) int {
	n := 0
	ir.VisitStmts(body, func(s ir.Stmt) {
		if pred(s) {
			n++
		}
	}, nil)
	return n
}

// Before optimisation, each array statement of the seed is its own nest
// and the temporary x1 is allocated: lowering makes temporaries, passes
// remove them.
func TestSeedLowersToTwoNests(t *testing.T) {
	res := lowerGolden(t, "poly", Options{BoundsCheck: true})
	f := res.Prog.Entry()
	top := 0
	for _, s := range f.Body {
		if _, ok := s.(*ir.Nest); ok {
			top++
		}
	}
	if top != 2 {
		t.Errorf("want 2 top-level nests (x1 = x - a; y[:] = ...), got %d:\n%s", top, dump(res.Prog))
	}
	allocs := count(f.Body, func(s ir.Stmt) bool {
		sa, ok := s.(*ir.SetArray)
		if !ok {
			return false
		}
		_, isAlloc := sa.Src.(*ir.Alloc)
		return isAlloc && strings.Contains(sa.Dst.Name, "x1")
	})
	if allocs != 1 {
		t.Errorf("want x1 allocated once before optimisation, got %d", allocs)
	}
	if !res.Writes[1] || res.Writes[0] {
		t.Errorf("writes = %v, want only y (argument 1) written", res.Writes)
	}
}

// Explicit indexing is checked unless the loop proves it; boundscheck=False
// removes the checks but keeps negative-index wrap-around.
func TestIndexChecks(t *testing.T) {
	isIndexCheck := func(s ir.Stmt) bool {
		c, ok := s.(*ir.Check)
		return ok && c.Err == ir.ErrIndex
	}
	on := lowerGolden(t, "gather", Options{BoundsCheck: true})
	off := lowerGolden(t, "gather", Options{BoundsCheck: false})
	if n := count(on.Prog.Entry().Body, isIndexCheck); n == 0 {
		t.Errorf("gather with bounds checks has no IndexError check")
	}
	if n := count(off.Prog.Entry().Body, isIndexCheck); n != 0 {
		t.Errorf("boundscheck=False left %d IndexError checks", n)
	}
}

// Python division by a Python-int zero is a ZeroDivisionError check before
// the division, not a C division by zero.
func TestPythonDivisionIsChecked(t *testing.T) {
	res := lowerGolden(t, "pydiv", Options{BoundsCheck: true})
	n := count(res.Prog.Entry().Body, func(s ir.Stmt) bool {
		c, ok := s.(*ir.Check)
		return ok && c.Err == ir.ErrZeroDiv
	})
	if n == 0 {
		t.Errorf("no ZeroDivisionError check:\n%s", dump(res.Prog))
	}
}

func dump(p *ir.Program) string {
	var b strings.Builder
	ir.Fprint(&b, p)
	return b.String()
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{"x1": "x1", "größe": "gr_u00f6_u00dfe", "a_b": "a_b"} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every name of the library table that lowering turns into an intrinsic
// or an IR operator by name has one in ir's registry: fnNamed and opNamed
// panic on the others, so an entry added to the table without its
// intrinsic fails here, not at a user's call.
func TestCatalogIntrinsics(t *testing.T) {
	try := func(what string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s: %v", what, r)
			}
		}()
		f()
	}
	// Lowered as operators, not intrinsics (lower.numpy).
	asOps := map[string]bool{"negative": true, "square": true, "abs": true, "absolute": true}
	seen := map[library.Rule]int{}
	for _, e := range library.Entries() {
		name := e.Short()
		switch e.Rule {
		case library.UfuncFloat, library.UfuncSame, library.UfuncPred:
			if !asOps[name] {
				try(e.Name, func() { entryFn(e) })
			}
		case library.UfuncBinary:
			// An upper-case Op is the Python operator scalarBin computes.
			if e.Op[0] >= 'a' && e.Op[0] <= 'z' {
				try(e.Name, func() { entryFn(e) })
			} else if _, ok := binOps[e.Op]; !ok {
				t.Errorf("%s: %q is no arithmetic operator", e.Name, e.Op)
			}
		case library.Ufunc:
			switch e.Form {
			case "logic":
				if e.Op != "" {
					try(e.Name, func() { opNamed(e.Op) })
				}
			case "bit":
				if _, ok := binOps[e.Op]; !ok {
					t.Errorf("%s: %q is no bitwise operator", e.Name, e.Op)
				}
			case "cmp":
				if _, ok := cmpOps[e.Op]; !ok {
					t.Errorf("%s: %q is no comparison", e.Name, e.Op)
				}
				if _, ok := complexOrder[e.Op]; !ok && e.Op != "Eq" && e.Op != "NotEq" {
					t.Errorf("%s: no complex ordering for %q", e.Name, e.Op)
				}
			}
		case library.MathFloat, library.MathInt, library.MathPred, library.MathBinary:
			if name != "pow" { // a Bin
				try(e.Name, func() { fnNamed(name) })
			}
		case library.CmathComplex:
			try(e.Name, func() { fnNamed(name) })
		}
		seen[e.Rule]++
	}
	for _, r := range []library.Rule{library.UfuncFloat, library.UfuncSame, library.UfuncPred,
		library.UfuncBinary, library.Ufunc, library.MathFloat, library.MathInt, library.MathPred,
		library.MathBinary, library.CmathComplex} {
		if seen[r] == 0 {
			t.Errorf("no entry of rule %d: the table changed under this test", r)
		}
	}
	for _, name := range []string{"remainder", "nextafter", "fmod"} {
		try("math."+name, func() { fnNamed(name) })
	}
	for _, name := range []string{"comb", "perm"} {
		try("math."+name, func() { fnNamed("py_" + name); fnNamed("py_" + name + "_ok") })
	}
	for _, name := range []string{"isnan", "isinf", "isfinite"} {
		try("cmath."+name, func() { fnNamed(name) })
	}
}

// A sweep written with slices (y[:, j] = x[:, j] + y[:, j-1] ...) reads
// views of the array it writes that are disjoint from the target or the
// same as it: the loop stores without allocating a temporary per step,
// and takes no snapshot of y.
func TestSweepViewsNeedNoTemporary(t *testing.T) {
	res := lowerGolden(t, "sweep_views", Options{BoundsCheck: true})
	f := res.Prog.Entry()
	loops := 0
	ir.VisitStmts(f.Body, func(s ir.Stmt) {
		loop, ok := s.(*ir.For)
		if !ok {
			return
		}
		loops++
		for _, st := range loop.Body {
			if sa, ok := st.(*ir.SetArray); ok {
				if _, isAlloc := sa.Src.(*ir.Alloc); isAlloc {
					t.Errorf("the sweep allocates %s in every iteration:\n%s", sa.Dst.Name, dump(res.Prog))
				}
			}
		}
		// The only run-time overlap test left is x's (a read-only
		// parameter the caller may pass overlapping y), not y's.
		overlaps := 0
		ir.VisitStmts(loop.Body, nil, func(e ir.Expr) {
			if _, ok := e.(*ir.Overlap); ok {
				overlaps++
			}
		})
		if overlaps > 1 {
			t.Errorf("%d run-time overlap tests in the sweep, want 1 (x against y):\n%s", overlaps, dump(res.Prog))
		}
	}, nil)
	if loops == 0 {
		t.Fatalf("no loop in:\n%s", dump(res.Prog))
	}
}
