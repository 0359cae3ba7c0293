// Package build turns generated C into a shared object with the system C
// compiler, and identifies that compiler.
//
// sejit does not embed a code generator backend: it prints C and lets gcc or
// clang do instruction selection and register allocation, which they do
// better than any home-made backend and at a cost of tens of milliseconds for
// a kernel. That makes the compiler part of the result, so this package owns
// two things: the exact flags a target is built with (they decide the
// floating-point semantics the user observes), and a Stamp of the compiler
// binary, recorded beside each cached artifact so that an upgraded compiler
// is noticed and the entry rebuilt.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Options are the jit options that change how C is compiled.
type Options struct {
	FastMath bool
	// LeanLink links without the C runtime's start files and libraries
	// (link.go): a third less compile time, the same code.
	LeanLink bool
	// OpenMP builds a unit with parallel loops (-fopenmp, which also links
	// the OpenMP runtime). Only such units get it: serial kernels keep
	// their flags, and load without the OpenMP runtime.
	OpenMP bool
	// Large marks a unit of at least LargeUnit bytes of C, built without
	// loop versions for strides (Flags).
	Large bool
}

// LargeUnit is the size of C source from which a unit is large.
const LargeUnit = 256 << 10

// nativeFlag asks the compiler for the host's full instruction set. The cache
// key includes the CPU, so an artifact is never loaded on a machine it was
// not built for.
const nativeFlag = "-march=native"

// Flags returns the compiler flags for the cpu target.
//
// The defaults are chosen so that a kernel computes exactly what NumPy
// computes:
//   - -ffp-contract=off: NumPy evaluates a*b+c as two rounded operations;
//     letting the compiler fuse them into an FMA would change the last bit
//     of results and break bit-equality with the reference.
//   - -fno-math-errno: the generated code never reads errno, and without it
//     sqrt and friends cannot be inlined or vectorized.
//   - -fwrapv: generated integer arithmetic is already written to be defined
//     on overflow (it wraps like NumPy's); -fwrapv is a belt to those braces
//     so that a slip in codegen cannot become undefined behaviour that the
//     optimizer exploits.
//   - -fno-strict-aliasing: kernels read and write arrays through char*
//     data pointers cast to the element type, and views of one buffer may
//     alias.
//
// And two for speed. -falign-loops=32 starts every loop at a 32-byte
// boundary. A hot loop of a few instructions that straddles a 64-byte line
// costs the CPU two fetch windows per iteration, and where it lands depends
// on everything before it in the object, even on how it is linked: the
// naive matmul's inner loop ran 1.36 or 1.21 ms with the same code under the
// lean and the ordinary link, and 1.07 ms aligned (hand-written C: 1.07).
// -funroll-loops (which also renames registers across the copies, as
// LLVM's code does): the star PSF, a pow per point, ran 3% behind Numba
// without it and ties with it (unrolling its inner loop alone, with a
// pragma, did not help; the flag as a whole did, measured in bench/). It
// costs a tenth more C compile time (poly's unit: 33 → 36 ms).
//
// And one for compile time, in large units only (LargeUnit bytes of C):
// -fno-version-loops-for-strides. GCC copies every loop whose stride is a
// variable into a version for stride 1. A kernel's strides are the
// constant 1 wherever the dispatcher saw a C-contiguous array and for
// every array it allocates, so the versions serve the strides lowering
// computes (a broadcast's stretched axis: conv2d's window times its
// filters ran 560 µs with them, 790 without) and otherwise cost the
// compiler only: ADI's unit (330 KB: sweeps over column slices in four
// loops, each in a checked and an unchecked version) took 3.7 s of cc with
// them and 1.2 s without, at the same speed; heat-3d's and the cavity
// flow's ran at the same speed too.
//
// -ffast-math is added only when the user asked for fastmath: it allows
// reassociation (so reductions vectorize) at the price of results that may
// differ from NumPy's in the last bits and of ignoring NaN and infinity.
func Flags(opts Options) []string {
	f := []string{
		"-O3", nativeFlag, "-std=gnu11", "-fPIC", "-shared",
		"-fno-math-errno", "-ffp-contract=off", "-fwrapv", "-fno-strict-aliasing", "-falign-loops=32", "-funroll-loops",
	}
	if opts.Large {
		f = append(f, "-fno-version-loops-for-strides")
	}
	if opts.FastMath {
		f = append(f, "-ffast-math")
	}
	if opts.LeanLink && leanLinkOS {
		f = append(f, leanFlag)
	}
	// Pipes between the compiler and the assembler instead of a temporary
	// file: they run side by side (issue 5, latency); the code is the same.
	f = append(f, "-pipe")
	if opts.OpenMP {
		f = append(f, "-fopenmp")
	}
	return f
}

// CompileError reports that the C compiler failed on a translation unit.
type CompileError struct {
	CC     string // the compiler as invoked
	Source string // the C file, kept on disk for inspection
	Output string // everything the compiler printed
	Err    error  // the process error (exit status, timeout)
}

func (e *CompileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the C compiler (%s) failed on generated code: %v", e.CC, e.Err)
	if lines := firstErrorLines(e.Output, 5); lines != "" {
		b.WriteString("\n" + lines)
	}
	fmt.Fprintf(&b, "\nthe generated C is kept at %s", e.Source)
	return b.String()
}

func (e *CompileError) Unwrap() error { return e.Err }

// firstErrorLines returns up to n lines of compiler output starting at the
// first line that reports an error; compilers print context ("In function
// …") before it that says little on its own. Without such a line it returns
// the first n lines.
func firstErrorLines(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	start := slices.IndexFunc(lines, func(l string) bool {
		return strings.Contains(strings.ToLower(l), "error:") // gcc, clang, as ("Error:")
	})
	if start < 0 {
		start = 0
	}
	lines = lines[start:min(len(lines), start+n)]
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// Build compiles the C file src into the shared object out, linking the math
// library. If the compiler rejects -march=native (some compilers and
// architectures do not implement it), Build tries once more without it.
// A failure is a *MissingError when cc cannot be run, else a *CompileError
// that quotes the compiler's first error lines and names src, which the
// caller keeps.
func Build(ctx context.Context, cc, src, out string, flags []string) error {
	if cc == "" {
		cc = "cc"
	}
	output, err := run(ctx, cc, flags, src, out)
	if err != nil && slices.Contains(flags, nativeFlag) && strings.Contains(output, nativeFlag) {
		flags = slices.DeleteFunc(slices.Clone(flags), func(f string) bool { return f == nativeFlag })
		output, err = run(ctx, cc, flags, src, out)
	}
	if err != nil && slices.Contains(flags, leanFlag) && linkFailed(output) {
		flags = slices.DeleteFunc(slices.Clone(flags), func(f string) bool { return f == leanFlag })
		output, err = run(ctx, cc, flags, src, out)
	}
	var me *MissingError
	if errors.As(err, &me) {
		return me
	}
	if err != nil {
		return &CompileError{CC: cc, Source: src, Output: output, Err: err}
	}
	return nil
}

func run(ctx context.Context, cc string, flags []string, src, out string) (string, error) {
	args := append(slices.Clone(flags), "-o", out, src, "-lm")
	if slices.Contains(flags, leanFlag) {
		args = append(args, leanLibs...)
	}
	cmd := exec.CommandContext(ctx, cc, args...)
	// Untranslated messages, so that "error:" can be found in the output
	// whatever the user's locale.
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	if ctxErr := ctx.Err(); err != nil && ctxErr != nil {
		err = fmt.Errorf("%w (%v)", ctxErr, err)
	}
	var notFound *exec.Error
	if errors.As(err, &notFound) {
		err = missing(cc, err)
	}
	return buf.String(), err
}

// Stamp identifies a compiler binary. It is stored with each cache entry and
// compared on load: a different real path, size or modification time means
// the compiler was replaced, and entries it built are rebuilt. The time is
// used only to notice that change, never as part of a cache key.
type Stamp struct {
	Path    string `json:"path"`     // the real path, symlinks resolved
	Size    int64  `json:"size"`     // bytes
	MtimeNs int64  `json:"mtime_ns"` // modification time, ns since the epoch
	Version string `json:"version"`  // the first line of `cc --version`
}

// Compiler resolves cc through PATH and symlinks and stamps the binary it
// finds. An empty cc means "cc". The version is best effort: a compiler
// that does not understand --version still gets a stamp, with an empty
// Version.
func Compiler(cc string) (Stamp, error) {
	wait, err := StartCompiler(cc)
	if err != nil {
		return Stamp{}, err
	}
	return wait(), nil
}

func version(cc string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cc, "--version")
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(first)
}

// MissingError reports that the C compiler cannot be found or run.
type MissingError struct {
	CC  string // as the request names it ($SEJIT_CC)
	Err error  // from the lookup
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("C compiler '%s' not found (set SEJIT_CC to a C compiler)", e.CC)
}

func (e *MissingError) Unwrap() error { return e.Err }

func missing(cc string, err error) error {
	return &MissingError{CC: cc, Err: err}
}
