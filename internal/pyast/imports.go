package pyast

import "encoding/json"

// Import is `import m [as n], ...` (From empty) or `from m import x [as
// n], ...` inside a function body. Level is the number of leading dots of
// a relative import.
type Import struct {
	base
	From  string
	Level int
	Names []ImportName
}

// ImportName is one imported name and the name it is bound to ("" when no
// `as` is written).
type ImportName struct {
	Name, AsName string
}

func (*Import) stmtNode() {}

// importStmt decodes Import and ImportFrom.
func (d *decoder) importStmt(t string, r raw, b base) *Import {
	s := &Import{base: b}
	if t == "ImportFrom" {
		s.From = d.str(r, "module")
		if v, ok := r["level"]; ok && string(v) != "null" {
			_ = json.Unmarshal(v, &s.Level)
		}
	}
	for _, a := range d.list(r, "names") {
		s.Names = append(s.Names, ImportName{Name: d.str(a, "name"), AsName: d.str(a, "asname")})
	}
	return s
}
