package library

import (
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/supported.md")

const docPath = "../../docs/supported.md"

// TestSupportedDoc: docs/supported.md is the one SupportedDoc generates
// from the table, the rows and testdata/cases.json; -update rewrites it.
func TestSupportedDoc(t *testing.T) {
	raw, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases Cases
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	want := SupportedDoc(cases)
	if *update {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("docs/supported.md is not the generated one; run `go test ./internal/library -update`")
	}
}

// TestEntries: every entry names a documented row (constants of NumPy
// excepted: no row yet), a rule, and a sane arity.
func TestEntries(t *testing.T) {
	rows := map[string]bool{}
	for _, s := range Sections {
		for _, r := range s.Rows {
			if rows[r.ID] {
				t.Errorf("row %s twice", r.ID)
			}
			rows[r.ID] = true
		}
	}
	for _, e := range Entries() {
		if e.Rule == 0 {
			t.Errorf("%s has no rule", e.Name)
		}
		if !rows[e.Doc] && !(e.Rule == Const && e.Module() == "numpy") {
			t.Errorf("%s: its doc row %q is not in docs/supported.md", e.Name, e.Doc)
		}
		if e.MaxArgs != Variadic && e.MaxArgs < e.MinArgs {
			t.Errorf("%s: MaxArgs %d < MinArgs %d", e.Name, e.MaxArgs, e.MinArgs)
		}
		if Lookup(e.Module(), e.Short()) != e {
			t.Errorf("Lookup(%s) is not its entry", e.Name)
		}
	}
}
