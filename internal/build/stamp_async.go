package build

import (
	"os"
	"os/exec"
	"path/filepath"
)

// StartCompiler is Compiler with the version query left running (the
// version is best effort, as there): it
// resolves and stats cc at once (so that a missing compiler is reported
// before any work), and returns a function that waits for `cc --version`
// and gives the complete Stamp. A cold compile needs the stamp only when it
// writes the entry's metadata, after the build, so the query (a process
// start, over a millisecond) overlaps the engine's own work and the build
// instead of preceding them (issue 5).
func StartCompiler(cc string) (func() Stamp, error) {
	if cc == "" {
		cc = "cc"
	}
	found, err := exec.LookPath(cc)
	if err != nil {
		return nil, missing(cc, err)
	}
	real, err := filepath.EvalSymlinks(found)
	if err != nil {
		return nil, missing(cc, err)
	}
	if real, err = filepath.Abs(real); err != nil {
		return nil, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, missing(cc, err)
	}
	s := Stamp{Path: real, Size: fi.Size(), MtimeNs: fi.ModTime().UnixNano()}
	done := make(chan string, 1)
	// Run the name as found, not the resolved file: wrappers such as
	// ccache and multi-call compilers look at argv[0].
	go func() { done <- version(found) }()
	var resolved bool
	return func() Stamp {
		if !resolved {
			s.Version, resolved = <-done, true
		}
		return s
	}, nil
}
