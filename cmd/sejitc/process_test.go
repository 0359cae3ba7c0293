package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sejit/internal/cache"
	"sejit/internal/driver"
)

// asMain makes the test binary act as sejitc itself, so that tests can
// start real engine processes without building one: a test runs
// os.Executable() with this variable set and sejitc's arguments.
const asMain = "SEJITC_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
	}
	os.Exit(m.Run())
}

const raceKey = "feed000000000000000000000000000000000000000000000000000000000008"

// halfRequest is a request the real pipeline compiles: `def half(): return
// 0.5`, with CPython's AST of it.
func halfRequest(dir, cc string) []byte {
	req := driver.Request{
		EngineVersion: driver.EngineVersion,
		Key:           raceKey,
		CacheDir:      dir,
		Entry:         "f0",
		Functions: map[string]*driver.Function{"f0": {
			Name: "half", Qualname: "half", Filename: "/u/half.py", FirstLineno: 1,
			SourceLines: []string{"def half():\n", "    return 0.5\n"},
			AST: json.RawMessage(`{"_type": "FunctionDef", "name": "half",
				"args": {"_type": "arguments", "posonlyargs": [], "args": [], "vararg": null,
					"kwonlyargs": [], "kw_defaults": [], "kwarg": null, "defaults": []},
				"body": [{"_type": "Return",
					"value": {"_type": "Constant", "value": {"t": "float", "v": "0x1.0000000000000p-1"}, "kind": null,
						"lineno": 2, "col_offset": 11, "end_lineno": 2, "end_col_offset": 14},
					"lineno": 2, "col_offset": 4, "end_lineno": 2, "end_col_offset": 14}],
				"decorator_list": [], "returns": null, "type_comment": null,
				"lineno": 1, "col_offset": 0, "end_lineno": 2, "end_col_offset": 14}`),
		}},
		Args:   []driver.ArgType{},
		Target: "cpu",
		CC:     cc,
	}
	data, err := json.Marshal(req)
	if err != nil {
		panic(err)
	}
	return data
}

// countingCC writes a compiler wrapper that appends a line to a counter
// file for every build (not for `cc --version`) and takes its time, so
// that racing processes overlap, then runs the real compiler.
func countingCC(t *testing.T, dir string) (cc, counter string) {
	t.Helper()
	real, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	counter = filepath.Join(dir, "builds")
	cc = filepath.Join(dir, "counting-cc")
	script := fmt.Sprintf(`#!/bin/sh
for a in "$@"; do
  if [ "$a" = "-shared" ]; then echo build >> '%s'; sleep 0.3; fi
done
exec '%s' "$@"
`, counter, real)
	if err := os.WriteFile(cc, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return cc, counter
}

// TestCompileProcessesRace starts eight `sejitc compile` processes on one
// key at once. Exactly one builds (the compiler runs once); the others
// wait for the lock and reply from its entry ("cached"); every reply is ok
// and names the same artifact; and an observer that keeps reading the
// cache meanwhile never sees a partial file: any metadata it reads parses
// and any shared object it reads is the one the metadata's checksum names.
func TestCompileProcessesRace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	cc, counter := countingCC(t, dir)
	cacheDir := filepath.Join(dir, "cache")
	request := halfRequest(cacheDir, cc)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cache.Entry(cacheDir, raceKey)

	// The observer.
	stop := make(chan struct{})
	observed := make(chan map[string]bool)
	go func() {
		sums := map[string]bool{} // the checksums of every .so seen
		for {
			select {
			case <-stop:
				observed <- sums
				return
			default:
			}
			if data, err := os.ReadFile(p.JSON); err == nil {
				var m driver.Meta
				if err := json.Unmarshal(data, &m); err != nil || m.SOSHA256 == "" {
					t.Errorf("observed partial metadata (%v): %q", err, data)
				}
			}
			if data, err := os.ReadFile(p.SO); err == nil {
				sums[fmt.Sprintf("%x", sha256.Sum256(data))] = true
			}
			time.Sleep(time.Millisecond)
		}
	}()

	const n = 8
	replies := make([]driver.Reply, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cmd := exec.Command(self, "compile")
			cmd.Env = append(os.Environ(), asMain+"=1")
			cmd.Stdin = bytes.NewReader(request)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Errorf("process %d: %v\n%s", i, err, stderr.String())
				return
			}
			if err := json.Unmarshal(out, &replies[i]); err != nil {
				t.Errorf("process %d: reply %q: %v", i, out, err)
			}
		})
	}
	wg.Wait()
	close(stop)
	sums := <-observed

	builds, _ := os.ReadFile(counter)
	if got := strings.Count(string(builds), "build"); got != 1 {
		t.Errorf("the compiler built %d times, want 1", got)
	}
	cached := 0
	for i, r := range replies {
		if !r.OK || r.Artifact != p.SO || r.Symbol == "" {
			t.Errorf("process %d replied %+v", i, r)
		}
		if r.Cached {
			cached++
		}
	}
	if cached != n-1 {
		t.Errorf("%d replies cached, want %d (all but the builder)", cached, n-1)
	}
	m := readMeta(t, p)
	if len(sums) != 1 || !sums[m.SOSHA256] {
		t.Errorf("observed shared objects with checksums %v; want only the final %s", sums, m.SOSHA256)
	}
	ents, _ := os.ReadDir(p.Dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary left behind: %s", e.Name())
		}
	}
}

// TestCompileProcessKilled kills a compile while its compiler runs: the
// entry is left incomplete (never half-written), and the next compile
// builds it.
func TestCompileProcessKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	cc, counter := countingCC(t, dir)
	cacheDir := filepath.Join(dir, "cache")
	request := halfRequest(cacheDir, cc)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "compile")
	cmd.Env = append(os.Environ(), asMain+"=1")
	cmd.Stdin = bytes.NewReader(request)
	inOwnGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the compiler runs, then kill the engine and its compiler.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(counter); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the compiler never started")
		}
		time.Sleep(time.Millisecond)
	}
	killGroup(cmd)
	cmd.Wait()

	var r driver.Reply
	code, stdout, stderr := sejitc(t, string(request), "compile")
	if err := json.Unmarshal([]byte(stdout), &r); code != exitOK || err != nil || !r.OK || r.Cached {
		t.Fatalf("compile after a killed one = %d, %+v (%v, stderr %q); want a fresh build", code, r, err, stderr)
	}
	p, _ := cache.Entry(cacheDir, raceKey)
	m := readMeta(t, p)
	data, _ := os.ReadFile(p.SO)
	if fmt.Sprintf("%x", sha256.Sum256(data)) != m.SOSHA256 {
		t.Error("the rebuilt entry does not match its checksum")
	}
}

func readMeta(t *testing.T, p cache.Paths) driver.Meta {
	t.Helper()
	data, err := os.ReadFile(p.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var m driver.Meta
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
