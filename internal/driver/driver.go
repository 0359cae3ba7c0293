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
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"sejit/internal/build"
	"sejit/internal/cache"
	"sejit/internal/cgen"
	"sejit/internal/diag"
)

// EngineVersion is the version of the engine and of its protocol. The Python
// side sends the version it expects and includes it in every cache key, so
// a new engine never reuses an old engine's artifacts.
const EngineVersion = "0.1.0"

// compileFunc is the pipeline Run calls; tests replace it to exercise the
// build and cache paths independently of the phases.
var compileFunc = compile

// Meta is an entry's metadata, stored as <key>.json once the shared object
// is in place (docs/protocol.md §3).
type Meta struct {
	EngineVersion string      `json:"engine_version"`
	Key           string      `json:"key"`
	Function      string      `json:"function"` // the entry's qualname, for `sejitc cache ls`
	Symbol        string      `json:"symbol"`
	ABI           *ABI        `json:"abi"`
	CC            build.Stamp `json:"cc"`
}

// Run answers a compile request. It never returns nil and never panics: a
// problem with the user's code, the request, the C compiler or the engine
// itself is a Reply with OK false.
//
// Concurrent processes that ask for the same key build it once: Run holds
// the key's lock from before it looks for an entry until the entry's
// metadata is written, and a waiter that then finds a complete entry replies
// from it without compiling.
func Run(ctx context.Context, req *Request) (reply *Reply) {
	defer func() {
		if r := recover(); r != nil {
			reply = failure(req, bug(r))
		}
	}()
	if err := validate(req, true); err != nil {
		return failure(req, err)
	}
	p, err := cache.Entry(cache.Dir(req.CacheDir), req.Key)
	if err != nil {
		return failure(req, internal(err))
	}
	stamp, err := build.Compiler(req.CC)
	if err != nil {
		return failure(req, internal(err))
	}
	unlock, err := cache.Lock(ctx, p)
	if err != nil {
		return failure(req, internal(err))
	}
	defer unlock()

	if m := reusable(p, req.Key, stamp); m != nil {
		r := &Reply{OK: true, Artifact: p.SO, Symbol: m.Symbol, ABI: m.ABI}
		if req.Explain {
			// The text is not cached; only a compile produces it.
			if c, errs := safeCompile(req); len(errs) == 0 && c != nil {
				r.Explain = explainText(c)
			}
		}
		return r
	}
	// A stale entry (another compiler, or a damaged one) stops being
	// complete before it is rebuilt.
	os.Remove(p.JSON)

	c, errs := safeCompile(req)
	if len(errs) > 0 {
		return failure(req, errs...)
	}
	if c == nil || c.ABI == nil || c.Symbol == "" {
		return failure(req, internal(errors.New("the pipeline returned no code and no error (an engine bug)")))
	}
	if err := buildEntry(ctx, req, p, c, stamp); err != nil {
		return failure(req, internal(err))
	}
	r := &Reply{OK: true, Artifact: p.SO, Symbol: c.Symbol, ABI: c.ABI}
	if req.Explain {
		r.Explain = explainText(c)
	}
	return r
}

// buildEntry writes the entry's three files in the order that keeps the
// cache consistent: the source, the shared object (built under a temporary
// name, then renamed), and the metadata last.
func buildEntry(ctx context.Context, req *Request, p cache.Paths, c *Compiled, stamp build.Stamp) error {
	if err := cache.WriteAtomic(p.C, []byte(c.CSource)); err != nil {
		return err
	}
	tmp, err := cache.TempFile(p.SO)
	if err != nil {
		return err
	}
	flags := build.Flags(build.Options{FastMath: req.Options.FastMath})
	if err := build.Build(ctx, req.CC, p.C, tmp, flags); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := cache.Commit(tmp, p.SO); err != nil {
		return err
	}
	meta, err := json.MarshalIndent(Meta{
		EngineVersion: EngineVersion,
		Key:           req.Key,
		Function:      req.Functions[req.Entry].Qualname,
		Symbol:        c.Symbol,
		ABI:           c.ABI,
		CC:            stamp,
	}, "", "  ")
	if err != nil {
		return err
	}
	return cache.WriteAtomic(p.JSON, append(meta, '\n'))
}

// reusable returns the metadata of a complete entry that this engine and
// today's compiler can use as it is, or nil. The entry's compiler stamp must
// match, or the runtime would find it stale and ask again forever.
func reusable(p cache.Paths, key string, stamp build.Stamp) *Meta {
	data, err := os.ReadFile(p.JSON)
	if err != nil {
		return nil
	}
	var m Meta
	if json.Unmarshal(data, &m) != nil ||
		m.EngineVersion != EngineVersion || m.Key != key || m.CC != stamp ||
		m.Symbol == "" || m.ABI == nil {
		return nil
	}
	if _, err := os.Stat(p.SO); err != nil {
		return nil
	}
	return &m
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
	case req.Target != "" && req.Target != "cpu":
		return diag.Errorf(diag.Pos{}, diag.Unsupported, "target %q is not supported by this engine", req.Target).
			WithHint(`use target="cpu"`)
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
