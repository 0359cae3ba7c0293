package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sejit/internal/cache"
	"sejit/internal/driver"
)

// sejitc runs the command line in-process and returns its exit status and
// output.
func sejitc(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const key = "c0ffee0000000000000000000000000000000000000000000000000000000042"

// failingRequest is a request no pipeline compiles: its function's AST is
// not a function definition.
func failingRequest(t *testing.T, version string) string {
	t.Helper()
	req := driver.Request{
		EngineVersion: version,
		Key:           key,
		CacheDir:      t.TempDir(),
		Entry:         "f0",
		Functions: map[string]*driver.Function{"f0": {
			Name: "poly", Qualname: "poly", Filename: "/u/demo.py", FirstLineno: 1,
			SourceLines: []string{"def poly(x):\n", "    return x\n"},
			AST:         json.RawMessage(`{"_type": "NotAFunction"}`),
		}},
		Args:   []driver.ArgType{{Kind: "scalar", DType: "float64", Weak: true}},
		Target: "cpu",
		CC:     "cc",
	}
	data, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // in stdout, or in stderr when code != 0
	}{
		{[]string{"version"}, exitOK, driver.EngineVersion + "\n"},
		{[]string{"help"}, exitOK, "usage: sejitc"},
		{nil, exitUsage, "usage: sejitc"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"cache"}, exitUsage, "want ls, gc or clear"},
		{[]string{"cache", "gc"}, exitUsage, "--max-size is required"},
		{[]string{"cache", "gc", "--max-size", "lots"}, exitUsage, `invalid size "lots"`},
		{[]string{"cache", "ls", "--max-size", "1G"}, exitUsage, "-max-size"},
		{[]string{"cache", "rm"}, exitUsage, `unknown subcommand "rm"`},
		{[]string{"cache", "ls", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"cache", "ls", "--nope"}, exitUsage, "-nope"},
	}
	for _, tt := range tests {
		code, stdout, stderr := sejitc(t, "", tt.args...)
		got := stdout
		if tt.code != exitOK {
			got = stderr
		}
		if code != tt.code || !strings.Contains(got, tt.out) {
			t.Errorf("sejitc %v = %d, stdout %q, stderr %q; want %d and %q", tt.args, code, stdout, stderr, tt.code, tt.out)
		}
	}
}

func TestCompileUnreadableRequest(t *testing.T) {
	for _, in := range []string{"", "{not json", `{"functions": 3}`} {
		code, stdout, stderr := sejitc(t, in, "compile")
		if code == exitOK || stdout != "" || !strings.Contains(stderr, "request") {
			t.Errorf("compile %q = %d, stdout %q, stderr %q", in, code, stdout, stderr)
		}
	}
}

func TestCompileFailureReply(t *testing.T) {
	tests := []struct {
		name, version, want string
	}{
		{"version mismatch", "0.0.0-old", "engine version mismatch"},
		{"uncompilable function", driver.EngineVersion, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := failingRequest(t, tt.version)
			code, stdout, stderr := sejitc(t, in, "compile")
			if code != exitOK {
				t.Fatalf("exit %d for a request with errors (stderr %q); the reply carries them", code, stderr)
			}
			var r driver.Reply
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				t.Fatalf("reply is not JSON: %v\n%s", err, stdout)
			}
			if r.OK || len(r.Errors) == 0 {
				t.Fatalf("reply %+v, want errors", r)
			}
			e := r.Errors[0]
			if e.Kind == "" || e.Formatted == "" || !strings.Contains(e.Msg, tt.want) {
				t.Errorf("error %+v, want a kind, a formatted text and %q", e, tt.want)
			}
		})
	}
}

func TestExplainFailure(t *testing.T) {
	code, stdout, stderr := sejitc(t, failingRequest(t, driver.EngineVersion), "explain")
	if code != exitFailed || stdout != "" || !strings.Contains(stderr, "/u/demo.py") {
		t.Errorf("explain = %d, stdout %q, stderr %q; want 1 and the file in stderr", code, stdout, stderr)
	}
	if code, _, _ := sejitc(t, "nope", "explain"); code != exitUsage {
		t.Errorf("explain of an unreadable request = %d, want %d", code, exitUsage)
	}
}

func TestCacheCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache") // made by Mkdir, private whatever the umask
	p, err := cache.Entry(dir, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Mkdir(); err != nil {
		t.Fatal(err)
	}
	meta := `{"engine_version":"0.1.0","key":"` + key + `","function":"poly","symbol":"sejit_entry","abi":{"sig":"(float64)"}}`
	for path, text := range map[string]string{p.C: "int x;", p.SO: "so", p.JSON: meta} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	code, stdout, stderr := sejitc(t, "", "cache", "ls", "--dir", dir)
	if code != exitOK {
		t.Fatalf("cache ls = %d: %s", code, stderr)
	}
	for _, want := range []string{key[:16], "poly", "(float64)", "1 entry", dir, "LAST USED", "just now", fmt.Sprintf("%d B", 8+len(meta))} {
		if !strings.Contains(stdout, want) {
			t.Errorf("cache ls does not show %q:\n%s", want, stdout)
		}
	}

	code, stdout, stderr = sejitc(t, "", "cache", "clear", "--dir", dir)
	if code != exitOK || !strings.Contains(stdout, "removed 1 entry") {
		t.Errorf("cache clear = %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if p.Complete() {
		t.Error("entry survived cache clear")
	}

	t.Setenv("SEJIT_CACHE_DIR", dir) // the default when --dir is absent
	code, stdout, _ = sejitc(t, "", "cache", "ls")
	if code != exitOK || !strings.Contains(stdout, "no compiled kernels in "+dir) {
		t.Errorf("cache ls after clear = %d, %q", code, stdout)
	}
}

func TestCacheGC(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache") // made by Mkdir, private whatever the umask
	// Three entries of 1000 bytes, used an hour, a minute and a second ago.
	for i, age := range []time.Duration{time.Hour, time.Minute, time.Second} {
		p, err := cache.Entry(dir, fmt.Sprintf("%063x%d", 0, i))
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Mkdir(); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		for path, n := range map[string]int{p.C: 300, p.SO: 600, p.JSON: 100} {
			os.WriteFile(path, make([]byte, n), 0o600)
			os.Chtimes(path, at, at)
		}
	}
	code, stdout, stderr := sejitc(t, "", "cache", "ls", "--dir", dir)
	for _, want := range []string{"1h ago", "1m ago", "just now", "1000 B", "3 entries, 2.9 KiB"} {
		if code != exitOK || !strings.Contains(stdout, want) {
			t.Errorf("cache ls does not show %q (exit %d, %s):\n%s", want, code, stderr, stdout)
		}
	}
	code, stdout, stderr = sejitc(t, "", "cache", "gc", "--max-size", "2K", "--dir", dir)
	if want := "removed 1 entry (1000 B) from " + dir + "; the cache now takes 2.0 KiB\n"; code != exitOK || stdout != want {
		t.Errorf("cache gc = %d, %q (stderr %q), want %q", code, stdout, stderr, want)
	}
	ents, _ := cache.List(dir)
	if len(ents) != 2 || strings.HasSuffix(ents[0].Key, "0") {
		t.Errorf("after gc: %+v, want entries 1 and 2", ents)
	}
	// An entry being built is never removed.
	p, _ := cache.Entry(dir, ents[0].Key)
	unlock, err := cache.Lock(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, stdout, _ = sejitc(t, "", "cache", "gc", "--max-size", "0", "--dir", dir)
	for _, want := range []string{"removed 1 entry", "left 1 entry alone: another process is building it", "still over 0 B"} {
		if code != exitOK || !strings.Contains(stdout, want) {
			t.Errorf("cache gc with a busy entry does not say %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = sejitc(t, "", "cache", "clear", "--dir", dir)
	if code != exitOK || !strings.Contains(stdout, "removed 0 entries") || !strings.Contains(stdout, "left 1 entry alone") {
		t.Errorf("cache clear with a busy entry: %q", stdout)
	}
}
