package driver

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

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

func request(t *testing.T) *Request {
	return &Request{
		EngineVersion: EngineVersion,
		Key:           testKey,
		CacheDir:      t.TempDir(),
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

	// A second request finds the entry and does not compile again.
	if r2 := Run(context.Background(), req); !r2.OK || r2.Artifact != r.Artifact {
		t.Errorf("second Run: %+v", r2)
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
