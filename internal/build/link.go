package build

import (
	"runtime"
	"strings"
)

// The lean link (issue 5, latency).
//
// A shared object linked the ordinary way gets the C runtime's start files
// (crti, crtbeginS, crtendS, crtn) and DT_NEEDED entries for libc and
// libgcc_s, and the linker reads libc's linker script and libc_nonshared.a
// to get there: on a small kernel that is two thirds of the link and about
// 12 ms of a cold compile. A kernel needs none of it: it has no
// constructors, destructors or thread-local storage, and the process that
// loads it (CPython) has libc loaded already, so its few libc references
// (vsnprintf) bind at load time. So the default build links with
// -nostdlib, keeps -lm (libm and, through its linker script, libmvec for
// fastmath's vectorised calls, as a DT_NEEDED entry), and adds the static
// -lgcc for the arithmetic helpers a compiler may call. The link only
// decides how the object is put together, not the code in it.
//
// Builds with SEJIT_CFLAGS use the ordinary link (the driver leaves
// LeanLink off), since extra flags such as -fsanitize bring runtimes the
// ordinary link knows how to add. A compiler whose lean link fails (one
// without libgcc, say) is retried once with the ordinary link.
const leanFlag = "-nostdlib"

// leanLinkOS: the lean link is for ELF systems with the GNU toolchain's
// libgcc; elsewhere (macOS's linker wants libSystem) the ordinary link is
// used from the start.
var leanLinkOS = runtime.GOOS == "linux"

var leanLibs = []string{"-lgcc"}

// linkFailed reports whether compiler output says the link step failed
// (GCC's collect2, clang's driver), as opposed to the compile.
func linkFailed(output string) bool {
	return strings.Contains(output, "ld returned") || strings.Contains(output, "linker command failed") ||
		strings.Contains(output, "cannot find -l")
}
