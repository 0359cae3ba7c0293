package library

import (
	"fmt"
	"sort"
	"strings"
)

// Cases are the conformance cases per feature id: test file → kernel
// names in registration order (tools/supported.py writes them from
// tests/conformance.py's registries into testdata/cases.json).
type Cases map[string]map[string][]string

// SupportedDoc is docs/supported.md: the feature tables (Sections) with
// each row's cases, the constructs that are not supported, and an index of
// every library entry with its arguments and its row.
func SupportedDoc(cases Cases) string {
	var b strings.Builder
	for _, l := range docIntro {
		b.WriteString(l + "\n")
	}
	for _, s := range Sections {
		fmt.Fprintf(&b, "\n## %s\n\n| id | feature | status | cases |\n|---|---|---|---|\n", s.Title)
		for _, r := range s.Rows {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Feature, r.Status, casesCell(cases[r.ID]))
		}
	}
	b.WriteString("\n## Not supported\n\n")
	for _, l := range notSupportedIntro {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n| construct | message |\n|---|---|\n")
	for _, c := range notSupported {
		fmt.Fprintf(&b, "| %s | %s |\n", c[0], c[1])
	}
	b.WriteString("\n## Index of the library\n\n" +
		"Every name of the library table (`internal/library`), in its order: the positional arguments " +
		"(a method's not counting the array), the keyword arguments that compile, and the feature row " +
		"above that documents it.\n\n| name | arguments | feature |\n|---|---|---|\n")
	for _, e := range Entries() {
		doc := "—"
		if e.Doc != "" {
			doc = "`" + e.Doc + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", e.Name, signature(e), doc)
	}
	return b.String()
}

// casesCell is the cases column: per test file, sorted, a link and the
// kernels (tools/supported.py's cell()).
func casesCell(files map[string][]string) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	parts := make([]string, len(paths))
	for i, p := range paths {
		parts[i] = fmt.Sprintf("[%s](../tests/%s): %s", p, p, strings.Join(files[p], ", "))
	}
	return strings.Join(parts, "; ")
}

// signature says how an entry is called: "constant", or the number of
// positional arguments and the keywords.
func signature(e *Entry) string {
	if e.Rule == Const {
		return "constant"
	}
	var n string
	switch {
	case e.MaxArgs == Variadic:
		n = fmt.Sprintf("%d or more", e.MinArgs)
	case e.MinArgs == e.MaxArgs:
		n = fmt.Sprint(e.MinArgs)
	default:
		n = fmt.Sprintf("%d to %d", e.MinArgs, e.MaxArgs)
	}
	if len(e.Keywords) > 0 {
		n += "; `" + strings.Join(e.Keywords, "` `") + "`"
	}
	return n
}
