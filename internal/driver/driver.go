// Package driver runs the engine on one request: it checks the request,
// compiles it to C through the phases in order, builds a shared object into
// the cache and answers with a Reply (docs/protocol.md). Every failure,
// including a panic in the engine itself, becomes a Reply with positioned
// errors, so the Python side always gets an answer it can raise.
package driver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"sejit/internal/build"
	"sejit/internal/cache"
	"sejit/internal/cgen"
	"sejit/internal/diag"
)

// EngineVersion is the version of the engine and of its protocol, and the
// only place it is written: setup.py asks the built binary (`sejitc
// version`) and writes it into the Python package's _build.py. The Python
// side sends the version it expects and includes it in every cache key, so
// a new engine never reuses an old engine's artifacts.
const EngineVersion = "0.1.0"

// compileFunc is the pipeline Run calls; tests replace it to exercise the
// build and cache paths independently of the phases.
var compileFunc = compile

// lockFunc takes an entry's lock; tests wrap it to act while Run waits.
var lockFunc = cache.Lock

// Meta is an entry's metadata, stored as <key>.json once the shared object
// is in place (docs/protocol.md §3).
type Meta struct {
	EngineVersion string      `json:"engine_version"`
	Key           string      `json:"key"`
	Function      string      `json:"function"` // the entry's qualname, for `sejitc cache ls`
	Symbol        string      `json:"symbol"`
	ABI           *ABI        `json:"abi"`
	CC            build.Stamp `json:"cc"`
	CFlags        string      `json:"cflags,omitempty"` // the request's extra flags, for the record
	SOSHA256      string      `json:"so_sha256"`        // hex SHA-256 of the shared object
}

// maxSizeEnv names the cache's size limit, applied after each build.
const maxSizeEnv = "SEJIT_CACHE_MAX_SIZE"

// Run answers a compile request. It never returns nil and never panics: a
// problem with the user's code, the request, the C compiler or the engine
// itself is a Reply with OK false.
//
// Concurrent processes that ask for the same key build it once: Run holds
// the key's lock from before it looks for an entry until the entry's
// metadata is written, and a waiter that then finds a complete entry replies
// from it without compiling (Cached). An entry is replied from only if its
// files are private to the user and its shared object matches the checksum
// in its metadata; otherwise it is rebuilt, each file replaced by a new one
// renamed into place.
func Run(ctx context.Context, req *Request) (reply *Reply) {
	defer func() {
		if r := recover(); r != nil {
			reply = failure(req, bug(r))
		}
	}()
	if err := validate(req, true); err != nil {
		return failure(req, err)
	}
	if req.Target == "opencl" || req.Target == "cuda" {
		// No shared object: the reply carries the kernels' source and the host
		// plan, and the Python side caches them and the program binary per
		// device (sejit/device/_jit.py).
		return runDevice(req)
	}
	p, err := cache.Entry(cache.Dir(req.CacheDir), req.Key)
	if err != nil {
		return failure(req, internal(err))
	}
	// The compiler's version is asked for in the background; the stamp is
	// waited for only where it is compared or recorded.
	stamp, err := build.StartCompiler(req.CC)
	if err != nil {
		return failure(req, internal(err))
	}
	// What the metadata was before waiting for the lock: if it changes
	// while we wait, another process has (re)built the entry.
	before, _ := os.Stat(p.JSON)
	unlock, err := lockFunc(ctx, p)
	if err != nil {
		return cacheFailure(req, err)
	}
	reply, built := func() (*Reply, bool) {
		defer unlock()
		return runLocked(ctx, req, p, stamp, before)
	}()
	if built {
		// After unlocking, so that processes waiting for this entry
		// need not wait for the collection too.
		reply.Warnings = append(reply.Warnings, autoGC(p)...)
	}
	return reply
}

// runLocked is Run once the entry's lock is held: it replies from the
// entry, or compiles and builds it. built reports a new entry.
func runLocked(ctx context.Context, req *Request, p cache.Paths, stamp func() build.Stamp, before os.FileInfo) (reply *Reply, built bool) {
	var warnings []string
	after, _ := os.Stat(p.JSON)
	if !req.Rebuild || replaced(before, after) {
		m, why := reusable(p, req.Key, stamp)
		if m != nil {
			p.Touch()
			r := &Reply{OK: true, Artifact: p.SO, Symbol: m.Symbol, ABI: m.ABI, Cached: true}
			if req.Explain {
				// The text is not cached; only a compile produces it.
				if c, errs := safeCompile(req); len(errs) == 0 && c != nil {
					r.Explain = explainText(c)
				}
			}
			return r, false
		}
		if why != "" {
			warnings = append(warnings, fmt.Sprintf("rebuilt cache entry %s (%s): %s", p.Key[:16], qualname(req), why))
		}
	}
	// The entry stops being complete before it is rebuilt.
	if err := os.Remove(p.JSON); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return cacheFailure(req, err), false
	}

	c, errs := safeCompile(req)
	if len(errs) > 0 {
		return failure(req, errs...), false
	}
	if c == nil || c.ABI == nil || c.Symbol == "" {
		return failure(req, internal(errors.New("the pipeline returned no code and no error (an engine bug)"))), false
	}
	if err := buildEntry(ctx, req, p, c, stamp); err != nil {
		return cacheFailure(req, err), false
	}
	r := &Reply{OK: true, Artifact: p.SO, Symbol: c.Symbol, ABI: c.ABI, Warnings: warnings}
	if req.Explain {
		r.Explain = explainText(c)
	}
	return r, true
}

// replaced reports whether the file whose information was before (nil if
// it did not exist) was replaced by after: every write of an entry's
// metadata is a new file renamed into place.
func replaced(before, after os.FileInfo) bool {
	switch {
	case after == nil:
		return false
	case before == nil:
		return true
	}
	return !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) || before.Size() != after.Size()
}

// buildEntry writes the entry's three files in the order that keeps the
// cache consistent: the source, the shared object (built under a temporary
// name, made private, checksummed, then renamed), and the metadata, with
// the checksum, last.
func buildEntry(ctx context.Context, req *Request, p cache.Paths, c *Compiled, stamp func() build.Stamp) error {
	if err := cache.WriteAtomic(p.C, []byte(c.CSource)); err != nil {
		return cache.Unusable(p.Root, err)
	}
	tmp, err := cache.TempFile(p.SO)
	if err != nil {
		return cache.Unusable(p.Root, err)
	}
	// The lean link leaves out the libraries -fopenmp links (libgomp), so
	// parallel units link the ordinary way.
	flags := build.Flags(build.Options{FastMath: req.Options.FastMath, OpenMP: c.OpenMP,
		LeanLink: strings.TrimSpace(req.CFlags) == "" && !c.OpenMP, Large: len(c.CSource) >= build.LargeUnit})
	// Separate arguments, never through a shell: a flag cannot run
	// anything but the compiler.
	flags = append(flags, strings.Fields(req.CFlags)...)
	if err := build.Build(ctx, req.CC, p.C, tmp, flags); err != nil {
		os.Remove(tmp)
		var ce *build.CompileError
		if errors.As(err, &ce) && strings.TrimSpace(req.CFlags) != "" {
			err = fmt.Errorf("%w\nthe compiler was given extra flags from SEJIT_CFLAGS: %s", err, strings.TrimSpace(req.CFlags))
		}
		return err
	}
	// The linker creates its output with the user's umask, which may let
	// the group write it; the entry would then be refused on reuse.
	if err := os.Chmod(tmp, 0o700); err != nil {
		os.Remove(tmp)
		return cache.Unusable(p.Root, err)
	}
	sum, err := cache.FileSHA256(tmp)
	if err != nil {
		os.Remove(tmp)
		return cache.Unusable(p.Root, err)
	}
	if err := cache.Commit(tmp, p.SO); err != nil {
		return cache.Unusable(p.Root, err)
	}
	meta, err := json.MarshalIndent(Meta{
		EngineVersion: EngineVersion,
		Key:           req.Key,
		Function:      qualname(req),
		Symbol:        c.Symbol,
		ABI:           c.ABI,
		CC:            stamp(),
		CFlags:        strings.TrimSpace(req.CFlags),
		SOSHA256:      sum,
	}, "", "  ")
	if err != nil {
		return err
	}
	return cache.Unusable(p.Root, cache.WriteAtomic(p.JSON, append(meta, '\n')))
}

// reusable returns the metadata of a complete entry that this engine and
// today's compiler can use as it is, or nil and, for an entry that exists
// but is damaged or unsafe, why it is refused (empty for a plain miss, or
// an entry that is merely stale). The entry's compiler stamp must match, or
// the runtime would find it stale and ask again forever.
func reusable(p cache.Paths, key string, stamp func() build.Stamp) (m *Meta, why string) {
	if _, err := os.Lstat(p.JSON); errors.Is(err, fs.ErrNotExist) {
		return nil, ""
	}
	for _, f := range []string{p.JSON, p.SO} {
		if err := cache.CheckPrivateFile(f); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, "its shared object is missing"
			}
			return nil, err.Error()
		}
	}
	data, err := os.ReadFile(p.JSON)
	if err != nil {
		return nil, err.Error()
	}
	m = new(Meta)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, "its metadata is not valid JSON"
	}
	if m.EngineVersion != EngineVersion || m.Key != key || m.CC != stamp() {
		return nil, "" // another engine or compiler: stale, not damaged
	}
	if m.Symbol == "" || m.ABI == nil || m.SOSHA256 == "" {
		return nil, "its metadata is incomplete"
	}
	sum, err := cache.FileSHA256(p.SO)
	if err != nil {
		return nil, err.Error()
	}
	if sum != m.SOSHA256 {
		return nil, "its shared object does not match its checksum (truncated or corrupted)"
	}
	return m, ""
}

// autoGC applies $SEJIT_CACHE_MAX_SIZE after a build, keeping the entry p
// just built, and returns warnings for problems that do not fail the
// compile.
func autoGC(p cache.Paths) []string {
	v := os.Getenv(maxSizeEnv)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	limit, err := cache.ParseSize(v)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v; the cache size is not limited", maxSizeEnv, err)}
	}
	if _, err := cache.GC(p.Root, limit, p.Key); err != nil {
		return []string{fmt.Sprintf("applying %s=%s to %s: %v", maxSizeEnv, v, p.Root, err)}
	}
	return nil
}

func qualname(req *Request) string {
	if f := req.Functions[req.Entry]; f != nil && f.Qualname != "" {
		return f.Qualname
	}
	return req.Entry
}

// cacheFailure is the reply to a failure of the build or the cache; one
// that comes from the cache directory is marked so that the Python side can
// fall back to a private one.
func cacheFailure(req *Request, err error) *Reply {
	r := failure(req, internal(err))
	var u *cache.UnusableError
	r.CacheUnusable = errors.As(err, &u)
	return r
}

// Explain compiles req without building it and returns what the engine did
// (typed tree, fused blocks, IR) followed by the generated C. When the code
// does not compile, the error is Diagnostics.
func Explain(req *Request) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", diagnostics(req, diag.List{bug(r)})
		}
	}()
	if err := validate(req, false); err != nil {
		return "", diagnostics(req, diag.List{err})
	}
	r := *req
	r.Explain = true
	c, errs := safeCompile(&r)
	if len(errs) > 0 {
		return "", diagnostics(req, errs)
	}
	if c == nil {
		return "", diagnostics(req, diag.List{internal(errors.New("the pipeline returned no code and no error (an engine bug)"))})
	}
	return explainText(c), nil
}

func explainText(c *Compiled) string {
	text := strings.TrimRight(c.Explain, "\n")
	if text != "" {
		text += "\n\n"
	}
	return text + "// ---- generated C ----\n" + cgen.KernelPart(c.CSource)
}

// safeCompile runs the pipeline and turns a panic into an error, so that a
// bug in one phase is reported as such instead of killing the engine with a
// Go stack trace the Python side cannot parse.
func safeCompile(req *Request) (c *Compiled, errs diag.List) {
	defer func() {
		if r := recover(); r != nil {
			c, errs = nil, diag.List{bug(r)}
		}
	}()
	return compileFunc(req)
}

// bug reports a panic as an internal error. The stack is useful only to
// engine developers and would bury the message, so it is added only when
// SEJIT_DEBUG=1.
func bug(r any) *diag.Error {
	e := diag.Errorf(diag.Pos{}, diag.Internal, "internal compiler error: the sejit engine panicked: %v", r)
	if os.Getenv("SEJIT_DEBUG") == "1" {
		e.Msg += "\n" + string(debug.Stack())
	}
	return e.WithHint("this is a bug in sejit, not in your code; please report it with the function that triggered it (SEJIT_DEBUG=1 adds a stack trace)")
}

func internal(err error) *diag.Error {
	return diag.Errorf(diag.Pos{}, diag.Internal, "%v", err)
}

// validate checks what the engine needs before it can do anything useful;
// a key is needed only to build.
func validate(req *Request, needKey bool) *diag.Error {
	switch {
	case req == nil:
		return internal(errors.New("empty request"))
	case req.EngineVersion != EngineVersion:
		return internal(fmt.Errorf("engine version mismatch: the request is for engine %q but this sejitc is %q; "+
			"reinstall sejit so that its Python package and its engine match", req.EngineVersion, EngineVersion))
	case needKey && !cache.ValidKey(req.Key):
		return internal(fmt.Errorf("invalid request: key %q is not 64 lowercase hex digits", req.Key))
	case req.Functions[req.Entry] == nil:
		return internal(fmt.Errorf("invalid request: entry function %q is not among the request's functions", req.Entry))
	case req.Target != "" && req.Target != "cpu" && req.Target != "opencl" && req.Target != "cuda":
		return diag.Errorf(diag.Pos{}, diag.Unsupported, "target %q is not supported by this engine", req.Target).
			WithHint(`use target="cpu" (or "opencl" or "cuda", chosen by passing device arrays)`)
	case (req.Target == "opencl" || req.Target == "cuda") && req.Device == nil:
		return internal(fmt.Errorf("invalid request: target %s without the device's identity", req.Target))
	case req.Target == "cuda" && !validArch(req.Device.Arch):
		return internal(fmt.Errorf("invalid request: target cuda needs the device's architecture as sm_NN, not %q",
			req.Device.Arch))
	}
	return nil
}

// Diagnostics is the error of a compile that failed, as the reply carries
// it; its text is every error as the user should see it.
type Diagnostics []ReplyError

func (d Diagnostics) Error() string {
	msgs := make([]string, len(d))
	for i, e := range d {
		msgs[i] = e.Formatted
	}
	return strings.Join(msgs, "\n")
}

func failure(req *Request, errs ...*diag.Error) *Reply {
	return &Reply{OK: false, Errors: diagnostics(req, errs)}
}

// diagnostics converts errors for the reply. An error without a file is
// attributed to the entry function's file, so even an internal error names
// where the user should look; each is quoted from the function whose source
// holds its line.
func diagnostics(req *Request, errs diag.List) Diagnostics {
	out := make(Diagnostics, 0, len(errs))
	for _, e := range errs {
		e := *e
		fn := sourceOf(req, e.Pos)
		if e.Pos.File == "" && fn != nil {
			e.Pos.File = fn.Filename
		}
		var lines []string
		first := 0
		if fn != nil && fn.Filename == e.Pos.File {
			lines, first = fn.SourceLines, fn.FirstLineno
		}
		out = append(out, ReplyError{
			File:      e.Pos.File,
			Line:      e.Pos.Line,
			Col:       e.Pos.Col,
			Kind:      string(e.Kind),
			Msg:       e.Msg,
			Hint:      e.Hint,
			Formatted: e.Format(lines, first),
		})
	}
	return out
}

// sourceOf picks the request function to quote for pos: one from pos's file
// whose lines include pos's line, else any from that file, else the entry.
// Functions are tried in id order so the choice is deterministic.
func sourceOf(req *Request, pos diag.Pos) *Function {
	if req == nil {
		return nil
	}
	entry := req.Functions[req.Entry]
	if pos.File == "" {
		return entry
	}
	ids := make([]string, 0, len(req.Functions))
	for id := range req.Functions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var sameFile *Function
	for _, id := range ids {
		fn := req.Functions[id]
		if fn == nil || fn.Filename != pos.File {
			continue
		}
		if pos.Line >= fn.FirstLineno && pos.Line < fn.FirstLineno+len(fn.SourceLines) {
			return fn
		}
		if sameFile == nil {
			sameFile = fn
		}
	}
	if sameFile != nil {
		return sameFile
	}
	return entry
}

// runDevice answers a target "opencl" or "cuda" request: the kernels and
// the host plan, compiled afresh (the engine's part takes milliseconds; the
// Python side caches the reply and the device's program binary under the
// key). A CUDA reply carries NVRTC's options and the architecture to
// compile the CUBIN for (sejit/device/_nvrtc.py).
func runDevice(req *Request) *Reply {
	if req.Target == "cuda" {
		u, abi, errs := CUDA(req)
		if len(errs) > 0 {
			return failure(req, errs...)
		}
		return &Reply{OK: true, Symbol: "cuda", ABI: abi, CUDA: u.Source, Plan: u.Plan, FP64: u.FP64,
			CUDAOptions: append([]string{"-arch=" + req.Device.Arch}, u.BuildOptions...)}
	}
	u, abi, errs := OpenCL(req)
	if len(errs) > 0 {
		return failure(req, errs...)
	}
	return &Reply{OK: true, Symbol: "opencl", ABI: abi, OpenCL: u.Source, Plan: u.Plan, FP64: u.FP64}
}

// validArch accepts a CUDA real architecture, sm_NN or sm_NNx (sm_90a).
func validArch(a string) bool {
	rest, ok := strings.CutPrefix(a, "sm_")
	if !ok || len(rest) < 2 {
		return false
	}
	for i, c := range rest {
		if c < '0' || c > '9' {
			if i < 2 || i != len(rest)-1 || c < 'a' || c > 'z' {
				return false
			}
		}
	}
	return true
}
