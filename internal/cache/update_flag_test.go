package cache

import "flag"

// The repository refreshes goldens with `go test ./... -update`, which
// passes -update to every test binary; this package has no goldens, but its
// binary must accept the flag.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")
