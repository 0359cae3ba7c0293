package driver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sejit/internal/cache"
	"sejit/internal/diag"
)

const testKey = "ab34000000000000000000000000000000000000000000000000000000000001"

// kernel is a translation unit that any C compiler builds.
const kernel = `int sejit_entry(void *ctx, void **args, void *ret) { (void)ctx; (void)args; (void)ret; return 0; }
`

// fakeCompile replaces the pipeline for the duration of a test and counts
// its calls.
func fakeCompile(t *testing.T, f func(*Request) (*Compiled, diag.List)) *atomic.Int32 {
	t.Helper()
	var calls atomic.Int32
	saved := compileFunc
	compileFunc = func(r *Request) (*Compiled, diag.List) {
		calls.Add(1)
		return f(r)
	}
	t.Cleanup(func() { compileFunc = saved })
	return &calls
}

func compiles(src string) func(*Request) (*Compiled, diag.List) {
	return func(r *Request) (*Compiled, diag.List) {
		c := &Compiled{
			CSource: src,
			Symbol:  "sejit_entry",
			ABI:     &ABI{Sig: "(float64)", Args: r.Args, Writes: []int{}, Ret: &RetType{Kind: "none"}},
		}
		if r.Explain {
			c.Explain = "typed tree here"
		}
		return c, nil
	}
}

func needCC(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("no C compiler")
	}
}

// cacheDir names a cache directory that Run creates: t.TempDir itself is
// made with the umask, which may let the group write it (umask 002), and
// then the engine rightly refuses it.
func cacheDir(t *testing.T) string {
	return filepath.Join(t.TempDir(), "cache")
}

func request(t *testing.T) *Request {
	return &Request{
		EngineVersion: EngineVersion,
		Key:           testKey,
		CacheDir:      cacheDir(t),
		Entry:         "f0",
		Functions: map[string]*Function{
			"f0": {
				Name: "poly", Qualname: "poly", Filename: "/u/demo.py", FirstLineno: 3,
				SourceLines: []string{"def poly(x):\n", "    return helper(x)\n"},
			},
			"f1": {
				Name: "helper", Qualname: "helper", Filename: "/u/demo.py", FirstLineno: 10,
				SourceLines: []string{"def helper(x):\n", "    d = {1: 2}\n"},
			},
		},
		Args:   []ArgType{{Kind: "scalar", DType: "float64", Weak: true}},
		Target: "cpu",
		CC:     "cc",
	}
}

func TestRunBuildsEntry(t *testing.T) {
	needCC(t)
	calls := fakeCompile(t, compiles(kernel))
	req := request(t)
	r := Run(context.Background(), req)
	if !r.OK {
		t.Fatalf("Run failed: %+v", r.Errors)
	}
	p, _ := cache.Entry(req.CacheDir, req.Key)
	if r.Artifact != p.SO || r.Symbol != "sejit_entry" || r.ABI == nil || r.ABI.Sig != "(float64)" {
		t.Errorf("reply %+v", r)
	}
	if r.Explain != "" {
		t.Errorf("explain text without a request for it: %q", r.Explain)
	}
	for _, f := range []string{p.C, p.SO, p.JSON} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
	data, err := os.ReadFile(p.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"engine_version", "key", "symbol", "abi", "cc", "function"} {
		if _, ok := m[field]; !ok {
			t.Errorf("metadata has no %q: %s", field, data)
		}
	}
	var cc map[string]any
	json.Unmarshal(m["cc"], &cc)
	for _, field := range []string{"path", "size", "mtime_ns", "version"} {
		if _, ok := cc[field]; !ok {
			t.Errorf("compiler stamp has no %q: %s", field, m["cc"])
		}
	}

	var meta Meta
	json.Unmarshal(data, &meta)
	if sum, err := cache.FileSHA256(p.SO); err != nil || meta.SOSHA256 != sum {
		t.Errorf("so_sha256 %q, want the .so's %q (%v)", meta.SOSHA256, sum, err)
	}
	if r.Cached || len(r.Warnings) != 0 {
		t.Errorf("a fresh build replied cached=%v, warnings %q", r.Cached, r.Warnings)
	}
	for _, f := range []string{p.C, p.SO, p.JSON} {
		if err := cache.CheckPrivateFile(f); err != nil {
			t.Errorf("entry file not private: %v", err)
		}
	}

	// A second request finds the entry and does not compile again.
	if r2 := Run(context.Background(), req); !r2.OK || r2.Artifact != r.Artifact || !r2.Cached {
		t.Errorf("second Run: %+v, want the same artifact, cached", r2)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("compiled %d times, want 1", n)
	}

	// Explain on a hit compiles for the text but reuses the artifact.
	req.Explain = true
	r3 := Run(context.Background(), req)
	if !r3.OK || !strings.Contains(r3.Explain, "typed tree here") || !strings.Contains(r3.Explain, "sejit_entry") {
		t.Errorf("explain on a hit: %+v", r3)
	}

	ents, _ := os.ReadDir(p.Dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary left behind: %s", e.Name())
		}
	}
}

func TestRunRebuildsStaleEntry(t *testing.T) {
	needCC(t)
	calls := fakeCompile(t, compiles(kernel))
	req := request(t)
	if r := Run(context.Background(), req); !r.OK {
		t.Fatal(r.Errors)
	}
	// Pretend another compiler built the entry.
	p, _ := cache.Entry(req.CacheDir, req.Key)
	data, _ := os.ReadFile(p.JSON)
	var m Meta
	json.Unmarshal(data, &m)
	m.CC.Size++
	data, _ = json.Marshal(m)
	os.WriteFile(p.JSON, data, 0o600)

	if r := Run(context.Background(), req); !r.OK {
		t.Fatal(r.Errors)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("compiled %d times, want 2 (the stale entry rebuilt)", n)
	}
}

func TestRunConcurrentBuildsOnce(t *testing.T) {
	needCC(t)
	calls := fakeCompile(t, compiles(kernel))
	req := request(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if r := Run(context.Background(), req); !r.OK {
				t.Error(r.Errors)
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("compiled %d times, want 1", n)
	}
}

func TestRunDiagnostics(t *testing.T) {
	fakeCompile(t, func(*Request) (*Compiled, diag.List) {
		var errs diag.List
		errs.Add(diag.Errorf(diag.Pos{File: "/u/demo.py", Line: 11, Col: 9}, diag.Unsupported,
			"dict literals are not supported").WithHint("use a NumPy array"))
		errs.Add(diag.Errorf(diag.Pos{}, diag.Internal, "no position"))
		return nil, errs
	})
	r := Run(context.Background(), request(t))
	if r.OK || len(r.Errors) != 2 {
		t.Fatalf("reply %+v", r)
	}
	// The line is quoted from helper (f1), whose source holds line 11.
	want := ReplyError{
		File: "/u/demo.py", Line: 11, Col: 9, Kind: "unsupported",
		Msg: "dict literals are not supported", Hint: "use a NumPy array",
		Formatted: "/u/demo.py:11:9: dict literals are not supported\n" +
			"        d = {1: 2}\n" +
			"            ^\n" +
			"hint: use a NumPy array",
	}
	if r.Errors[0] != want {
		t.Errorf("error\n%+v\nwant\n%+v", r.Errors[0], want)
	}
	if e := r.Errors[1]; e.File != "/u/demo.py" || e.Formatted != "/u/demo.py: no position" {
		t.Errorf("positionless error not attributed to the entry's file: %+v", e)
	}
}

func TestRunRecoversPanic(t *testing.T) {
	fakeCompile(t, func(*Request) (*Compiled, diag.List) { panic("index out of range [3]") })
	for _, debug := range []string{"", "1"} {
		t.Setenv("SEJIT_DEBUG", debug)
		r := Run(context.Background(), request(t))
		if r.OK || len(r.Errors) != 1 {
			t.Fatalf("reply %+v", r)
		}
		e := r.Errors[0]
		if e.Kind != "internal" || !strings.Contains(e.Msg, "index out of range [3]") ||
			!strings.Contains(e.Hint, "bug in sejit") {
			t.Errorf("panic reported as %+v", e)
		}
		if hasStack := strings.Contains(e.Msg, "goroutine"); hasStack != (debug == "1") {
			t.Errorf("SEJIT_DEBUG=%q: stack in message = %v", debug, hasStack)
		}
	}
}

func TestRunBuildFailure(t *testing.T) {
	needCC(t)
	fakeCompile(t, compiles("int sejit_entry(void) { return missing_symbol; }\n"))
	req := request(t)
	r := Run(context.Background(), req)
	if r.OK || len(r.Errors) != 1 {
		t.Fatalf("reply %+v", r)
	}
	p, _ := cache.Entry(req.CacheDir, req.Key)
	e := r.Errors[0]
	if e.Kind != "internal" || !strings.Contains(e.Msg, "missing_symbol") || !strings.Contains(e.Msg, p.C) {
		t.Errorf("build failure reported as %+v", e)
	}
	if _, err := os.Stat(p.C); err != nil {
		t.Errorf("generated C not kept: %v", err)
	}
	for _, f := range []string{p.SO, p.JSON} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s exists after a failed build", f)
		}
	}
}

func TestRunInvalidRequest(t *testing.T) {
	calls := fakeCompile(t, compiles(kernel))
	tests := []struct {
		name   string
		change func(*Request)
		want   string
	}{
		{"version", func(r *Request) { r.EngineVersion = "0.0.1" }, "engine version mismatch"},
		{"short key", func(r *Request) { r.Key = "abc" }, "key"},
		{"path in key", func(r *Request) { r.Key = "../../etc/passwd" }, "key"},
		{"entry", func(r *Request) { r.Entry = "f9" }, "entry function"},
		{"target", func(r *Request) { r.Target = "fpga" }, "target"},
		{"compiler", func(r *Request) { r.CC = "sejit-no-such-cc" }, "SEJIT_CC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := request(t)
			tt.change(req)
			r := Run(context.Background(), req)
			if r.OK || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Msg, tt.want) {
				t.Errorf("reply %+v, want an error about %q", r, tt.want)
			}
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("compiled %d invalid requests", n)
	}
	if r := Run(context.Background(), nil); r.OK {
		t.Error("nil request succeeded")
	}
}

func TestExplain(t *testing.T) {
	fakeCompile(t, compiles(kernel))
	req := request(t)
	req.Key = "" // explain needs no key
	text, err := Explain(req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "typed tree here") || !strings.Contains(text, "int sejit_entry") {
		t.Errorf("Explain = %q, want the explanation and the C", text)
	}
	if req.Explain {
		t.Error("Explain changed the caller's request")
	}
	if ents, _ := os.ReadDir(req.CacheDir); len(ents) != 0 {
		t.Errorf("Explain wrote to the cache: %v", ents)
	}

	fakeCompile(t, func(*Request) (*Compiled, diag.List) {
		return nil, diag.List{diag.Errorf(diag.Pos{File: "/u/demo.py", Line: 4, Col: 12}, diag.Name, "name 'helper' is not defined")}
	})
	_, err = Explain(req)
	var d Diagnostics
	if !errors.As(err, &d) || len(d) != 1 {
		t.Fatalf("Explain error %v, want Diagnostics", err)
	}
	want := "/u/demo.py:4:12: name 'helper' is not defined\n" +
		"        return helper(x)\n" +
		"               ^"
	if err.Error() != want {
		t.Errorf("Explain error\n%s\nwant\n%s", err, want)
	}
}

// TestRealPipelineFailsCleanly feeds the real pipeline a request it cannot
// compile: whatever it reports, the reply is a well-formed failure.
func TestRealPipelineFailsCleanly(t *testing.T) {
	req := request(t)
	req.Functions["f0"].AST = json.RawMessage(`{"_type": "NotAFunction"}`)
	r := Run(context.Background(), req)
	if r.OK || len(r.Errors) == 0 || r.Errors[0].Formatted == "" {
		t.Errorf("reply %+v", r)
	}
	p, _ := cache.Entry(req.CacheDir, req.Key)
	if p.Complete() {
		t.Error("a failed compile left a complete entry")
	}
}

// entryMeta reads an entry's metadata.
func entryMeta(t *testing.T, p cache.Paths) Meta {
	t.Helper()
	data, err := os.ReadFile(p.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// checkEntry checks that the entry is complete, private and consistent: its
// shared object matches the metadata's checksum.
func checkEntry(t *testing.T, p cache.Paths) {
	t.Helper()
	m := entryMeta(t, p)
	sum, err := cache.FileSHA256(p.SO)
	if err != nil || sum != m.SOSHA256 {
		t.Errorf("entry's .so has sha256 %s (%v), metadata says %s", sum, err, m.SOSHA256)
	}
	for _, f := range []string{p.C, p.SO, p.JSON} {
		if err := cache.CheckPrivateFile(f); err != nil {
			t.Errorf("entry file not private: %v", err)
		}
	}
}

// TestRunRebuildsDamagedEntry damages a built entry in each way a disk, a
// crash or a person can, and checks that the next Run rebuilds it instead
// of replying from it, and says why.
func TestRunRebuildsDamagedEntry(t *testing.T) {
	needCC(t)
	writeJSON := func(p cache.Paths, change func(*Meta)) {
		m := entryMeta(t, p)
		change(&m)
		data, _ := json.Marshal(m)
		os.WriteFile(p.JSON, data, 0o600)
	}
	tests := []struct {
		name   string
		damage func(p cache.Paths)
		why    string // in the warning; "" for none
	}{
		{"truncated .so", func(p cache.Paths) { os.Truncate(p.SO, 100) }, "does not match its checksum"},
		{"empty .so", func(p cache.Paths) { os.Truncate(p.SO, 0) }, "does not match its checksum"},
		{"flipped byte", func(p cache.Paths) {
			data, _ := os.ReadFile(p.SO)
			data[len(data)/2] ^= 0x40
			os.WriteFile(p.SO, data, 0o700)
		}, "does not match its checksum"},
		{"missing .so", func(p cache.Paths) { os.Remove(p.SO) }, "shared object is missing"},
		{"truncated metadata", func(p cache.Paths) {
			data, _ := os.ReadFile(p.JSON)
			os.WriteFile(p.JSON, data[:len(data)/2], 0o600)
		}, "not valid JSON"},
		{"metadata without checksum", func(p cache.Paths) { writeJSON(p, func(m *Meta) { m.SOSHA256 = "" }) }, "incomplete"},
		{"wrong checksum", func(p cache.Paths) { writeJSON(p, func(m *Meta) { m.SOSHA256 = strings.Repeat("0", 64) }) },
			"does not match its checksum"},
		{"other compiler", func(p cache.Paths) { writeJSON(p, func(m *Meta) { m.CC.MtimeNs++ }) }, ""},
		{"world-writable .so", func(p cache.Paths) { os.Chmod(p.SO, 0o777) }, "writable by other users"},
		{"group-writable metadata", func(p cache.Paths) { os.Chmod(p.JSON, 0o660) }, "writable by other users"},
		{".so replaced by a symlink", func(p cache.Paths) {
			other := p.SO + ".elsewhere"
			os.Rename(p.SO, other)
			os.Symlink(other, p.SO)
		}, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := fakeCompile(t, compiles(kernel))
			req := request(t)
			p, _ := cache.Entry(req.CacheDir, req.Key)
			if r := Run(context.Background(), req); !r.OK {
				t.Fatal(r.Errors)
			}
			tt.damage(p)
			r := Run(context.Background(), req)
			if !r.OK || r.Cached {
				t.Fatalf("Run on a damaged entry: %+v, want a fresh build", r)
			}
			if n := calls.Load(); n != 2 {
				t.Errorf("compiled %d times, want 2", n)
			}
			warned := strings.Join(r.Warnings, "\n")
			if tt.why == "" && warned != "" || !strings.Contains(warned, tt.why) ||
				tt.why != "" && !strings.Contains(warned, "rebuilt cache entry "+req.Key[:16]+" (poly)") {
				t.Errorf("warnings %q, want one about %q", r.Warnings, tt.why)
			}
			checkEntry(t, p)
			if fi, err := os.Lstat(p.SO); err != nil || !fi.Mode().IsRegular() {
				t.Errorf("the rebuilt .so is not a regular file: %v", err)
			}
			if r := Run(context.Background(), req); !r.OK || !r.Cached {
				t.Errorf("the rebuilt entry is not reused: %+v", r)
			}
		})
	}
}

func TestRunRebuildsOtherUsersEntry(t *testing.T) {
	needCC(t)
	calls := fakeCompile(t, compiles(kernel))
	req := request(t)
	p, _ := cache.Entry(req.CacheDir, req.Key)
	if r := Run(context.Background(), req); !r.OK {
		t.Fatal(r.Errors)
	}
	if err := os.Chown(p.SO, os.Getuid()+1, -1); err != nil {
		t.Skipf("cannot give a file to another user (not root): %v", err)
	}
	r := Run(context.Background(), req)
	if !r.OK || r.Cached || calls.Load() != 2 || !strings.Contains(strings.Join(r.Warnings, ""), "belongs to another user") {
		t.Errorf("Run on an entry owned by another user: %+v (%d compiles)", r, calls.Load())
	}
	checkEntry(t, p)
}

func TestRunRefusesSharedCacheDir(t *testing.T) {
	calls := fakeCompile(t, compiles(kernel))
	for _, dir := range []string{"root", "shard"} {
		t.Run(dir, func(t *testing.T) {
			req := request(t)
			p, _ := cache.Entry(req.CacheDir, req.Key)
			if err := p.Mkdir(); err != nil {
				t.Fatal(err)
			}
			bad := p.Root
			if dir == "shard" {
				bad = p.Dir
			}
			os.Chmod(bad, 0o777)
			r := Run(context.Background(), req)
			want := "cache directory " + bad + " is writable by other users; refusing to use it " +
				"(set SEJIT_CACHE_DIR to a private directory)"
			if r.OK || !r.CacheUnusable || len(r.Errors) != 1 || r.Errors[0].Msg != want {
				t.Errorf("Run in a shared cache directory: %+v\nwant the error %q", r, want)
			}
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("compiled %d times in a refused cache", n)
	}
}

func TestRunUnwritableCacheDir(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root writes into read-only directories")
	}
	fakeCompile(t, compiles(kernel))
	req := request(t)
	parent := filepath.Dir(req.CacheDir)
	os.Chmod(parent, 0o500)
	defer os.Chmod(parent, 0o700)
	r := Run(context.Background(), req)
	if r.OK || !r.CacheUnusable || !strings.Contains(r.Errors[0].Msg, "SEJIT_CACHE_DIR") {
		t.Errorf("Run in a read-only cache: %+v", r)
	}
}

func TestRunRebuildFlag(t *testing.T) {
	needCC(t)
	calls := fakeCompile(t, compiles(kernel))
	req := request(t)
	p, _ := cache.Entry(req.CacheDir, req.Key)
	if r := Run(context.Background(), req); !r.OK {
		t.Fatal(r.Errors)
	}
	first, _ := os.Stat(p.SO)
	req.Rebuild = true
	r := Run(context.Background(), req)
	if !r.OK || r.Cached || calls.Load() != 2 {
		t.Errorf("rebuild: %+v after %d compiles, want a second build", r, calls.Load())
	}
	if second, _ := os.Stat(p.SO); os.SameFile(first, second) {
		t.Error("rebuild kept the old shared object file")
	}
	checkEntry(t, p)
}

// TestRunRebuildWaitsForOthers: processes that all ask for a rebuild of the
// same entry at once (say, each failed to load it) rebuild it once: one
// that finds the entry rebuilt by another while it waited uses it.
func TestRunRebuildWaitsForOthers(t *testing.T) {
	needCC(t)
	calls := fakeCompile(t, compiles(kernel))
	req := request(t)
	p, _ := cache.Entry(req.CacheDir, req.Key)
	if r := Run(context.Background(), req); !r.OK {
		t.Fatal(r.Errors)
	}
	// Another process holds the lock while it rebuilds the entry.
	unlock, err := cache.Lock(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	saved := lockFunc
	lockFunc = func(ctx context.Context, p cache.Paths) (func(), error) {
		close(waiting)
		return saved(ctx, p)
	}
	defer func() { lockFunc = saved }()
	done := make(chan *Reply)
	rebuild := *req
	rebuild.Rebuild = true
	go func() { done <- Run(context.Background(), &rebuild) }()
	<-waiting
	data, _ := os.ReadFile(p.JSON)
	if err := cache.WriteAtomic(p.JSON, data); err != nil { // the other process's new metadata
		t.Fatal(err)
	}
	unlock()
	r := <-done
	if !r.OK || !r.Cached || calls.Load() != 1 {
		t.Errorf("rebuild after another process rebuilt: %+v after %d compiles, want the new entry", r, calls.Load())
	}
}

func TestRunCFlags(t *testing.T) {
	needCC(t)
	// The kernel builds only with the flag; the second flag would run a
	// command if a shell ever saw it.
	marker := filepath.Join(t.TempDir(), "pwned")
	fakeCompile(t, compiles("#ifndef SEJIT_TEST_FLAG\n#error SEJIT_TEST_FLAG missing\n#endif\n"+kernel))
	req := request(t)
	req.CFlags = "  -DSEJIT_TEST_FLAG=1\t-DQ=`touch${IFS}" + marker + "`;touch${IFS}" + marker + " "
	r := Run(context.Background(), req)
	if !r.OK {
		t.Fatalf("Run with cflags: %+v", r.Errors)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a flag was run by a shell")
	}
	p, _ := cache.Entry(req.CacheDir, req.Key)
	if m := entryMeta(t, p); !strings.HasPrefix(m.CFlags, "-DSEJIT_TEST_FLAG=1") {
		t.Errorf("metadata cflags %q", m.CFlags)
	}

	req = request(t)
	r = Run(context.Background(), req)
	if r.OK || !strings.Contains(r.Errors[0].Msg, "SEJIT_TEST_FLAG missing") ||
		strings.Contains(r.Errors[0].Msg, "SEJIT_CFLAGS") {
		t.Errorf("Run without the flag: %+v", r)
	}
	req = request(t)
	req.CFlags = "-fsejit-no-such-flag"
	r = Run(context.Background(), req)
	if r.OK || !strings.Contains(r.Errors[0].Msg, "extra flags from SEJIT_CFLAGS: -fsejit-no-such-flag") {
		t.Errorf("Run with a bad flag: %+v", r)
	}
}

func TestRunMissingCompiler(t *testing.T) {
	calls := fakeCompile(t, compiles(kernel))
	req := request(t)
	req.CC = "sejit-no-such-cc"
	r := Run(context.Background(), req)
	want := "C compiler 'sejit-no-such-cc' not found (set SEJIT_CC to a C compiler)"
	if r.OK || len(r.Errors) != 1 || r.Errors[0].Msg != want || r.CacheUnusable {
		t.Errorf("reply %+v, want the error %q", r, want)
	}
	if calls.Load() != 0 {
		t.Error("compiled without a compiler")
	}
}

// TestRunCacheSizeLimit builds entries under $SEJIT_CACHE_MAX_SIZE: after
// each build the cache holds the new entry and the most recently used
// others that fit.
func TestRunCacheSizeLimit(t *testing.T) {
	needCC(t)
	fakeCompile(t, compiles(kernel))
	dir := cacheDir(t)
	run := func(k string) *Reply {
		req := request(t)
		req.CacheDir, req.Key = dir, k
		r := Run(context.Background(), req)
		if !r.OK {
			t.Fatal(r.Errors)
		}
		return r
	}
	keyN := func(i int) string { return strings.Repeat("0", 63) + string(rune('0'+i)) }
	t.Setenv(maxSizeEnv, "")
	run(keyN(0))
	one, _ := cache.List(dir)
	size := one[0].Size

	// Room for two entries, and a bit.
	t.Setenv(maxSizeEnv, fmt.Sprint(2*size+size/2))
	run(keyN(1))
	time.Sleep(10 * time.Millisecond) // distinct times
	run(keyN(0))                      // a reuse: 0 is now more recent than 1
	time.Sleep(10 * time.Millisecond)
	run(keyN(2))
	ents, _ := cache.List(dir)
	var keys []string
	for _, e := range ents {
		keys = append(keys, e.Key[63:])
	}
	if strings.Join(keys, ",") != "0,2" {
		t.Errorf("cache holds %v after the limit, want 0 and 2 (1 was least recently used)", keys)
	}

	// A limit smaller than one entry keeps the entry just built.
	t.Setenv(maxSizeEnv, "1")
	run(keyN(3))
	if ents, _ := cache.List(dir); len(ents) != 1 || ents[0].Key != keyN(3) {
		t.Errorf("cache holds %+v, want only the new entry", ents)
	}

	t.Setenv(maxSizeEnv, "lots")
	if r := run(keyN(4)); len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "SEJIT_CACHE_MAX_SIZE") {
		t.Errorf("warnings %q, want one about the invalid limit", r.Warnings)
	}
}
