package cache

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const key = "3f9c0000000000000000000000000000000000000000000000000000000000ab"

func TestDir(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name                   string
		explicit, env, xdg, wd string
		want                   string
	}{
		{name: "explicit", explicit: "/a/b", env: "/env", xdg: "/xdg", want: "/a/b"},
		{name: "env", env: "/env", xdg: "/xdg", want: "/env"},
		{name: "xdg", xdg: "/xdg", want: "/xdg/sejit"},
		{name: "relative xdg is ignored", xdg: "rel", want: filepath.Join(home, ".cache", "sejit")},
		{name: "home", want: filepath.Join(home, ".cache", "sejit")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HOME", home)
			t.Setenv("SEJIT_CACHE_DIR", tt.env)
			t.Setenv("XDG_CACHE_HOME", tt.xdg)
			if got := Dir(tt.explicit); got != tt.want {
				t.Errorf("Dir(%q) = %q, want %q", tt.explicit, got, tt.want)
			}
		})
	}
	t.Run("relative is made absolute", func(t *testing.T) {
		if got := Dir("rel/dir"); !filepath.IsAbs(got) || !strings.HasSuffix(got, "rel/dir") {
			t.Errorf("Dir(rel/dir) = %q", got)
		}
	})
}

func TestEntry(t *testing.T) {
	bad := []string{
		"",
		"abc",
		strings.ToUpper(key),
		key + "0",
		"../" + key[3:],
		strings.Repeat("g", 64),
		key[:63] + "/",
	}
	for _, k := range bad {
		if _, err := Entry("/c", k); err == nil {
			t.Errorf("Entry(%q) accepted an invalid key", k)
		}
	}
	p, err := Entry("/c", key)
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{
		Root: "/c", Dir: "/c/3f", Key: key,
		C: "/c/3f/" + key + ".c", SO: "/c/3f/" + key + ".so",
		JSON: "/c/3f/" + key + ".json", Lock: "/c/3f/" + key + ".lock",
	}
	if p != want {
		t.Errorf("Entry = %+v\nwant %+v", p, want)
	}
}

// names lists dir's files.
func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.json")
	for _, text := range []string{"first", "second, longer"} {
		if err := WriteAtomic(p, []byte(text)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != text {
			t.Fatalf("read %q, %v; want %q", got, err, text)
		}
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("temporaries left behind: %v", n)
	}
	if err := WriteAtomic(filepath.Join(dir, "missing", "f"), nil); err == nil {
		t.Error("WriteAtomic into a missing directory succeeded")
	}
}

func TestTempFileCommit(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, key+".so")
	tmp, err := TempFile(final)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(tmp) != dir {
		t.Fatalf("temporary %s is not beside %s", tmp, final)
	}
	if err := os.WriteFile(tmp, []byte("elf"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Commit(tmp, final); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(final); string(got) != "elf" {
		t.Errorf("final holds %q", got)
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("temporaries left behind: %v", n)
	}
}

// TestLockBuildsOnce runs the driver's protocol from many goroutines (flock
// locks belong to an open file, so they exclude each other within one
// process as between processes): lock, build unless complete, unlock.
func TestLockBuildsOnce(t *testing.T) {
	p, err := Entry(filepath.Join(t.TempDir(), "cache"), key)
	if err != nil {
		t.Fatal(err)
	}
	var builds atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			unlock, err := Lock(context.Background(), p)
			if err != nil {
				t.Error(err)
				return
			}
			defer unlock()
			if p.Complete() {
				return
			}
			builds.Add(1)
			time.Sleep(20 * time.Millisecond)
			if err := WriteAtomic(p.JSON, []byte("{}")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("built %d times, want 1", n)
	}
	fi, err := os.Stat(p.Root)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("cache directory mode %v, want 0700", perm)
	}
}

func TestLockWaitHonoursContext(t *testing.T) {
	p, err := Entry(t.TempDir(), key)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := Lock(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := Lock(ctx, p); err == nil {
		t.Fatal("second Lock succeeded while the first was held")
	}
}

func TestLockRefusesSharedDir(t *testing.T) {
	root := filepath.Join(t.TempDir(), "cache")
	if err := os.Mkdir(root, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(root, 0o777); err != nil {
		t.Fatal(err)
	}
	p, err := Entry(root, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(context.Background(), p); err == nil || !strings.Contains(err.Error(), "writable by others") {
		t.Errorf("Lock in a world-writable cache: %v", err)
	}
}

// fill makes a cache with one complete entry, one entry without metadata,
// a leftover temporary and a file the cache does not own.
func fill(t *testing.T) (dir string, complete, partial Paths) {
	t.Helper()
	dir = t.TempDir()
	complete, _ = Entry(dir, key)
	partial, _ = Entry(dir, "3f"+strings.Repeat("f", 62))
	if err := complete.Mkdir(); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		complete.C:    "int x;",
		complete.SO:   "so",
		complete.JSON: `{"engine_version":"0.1.0","key":"` + key + `","function":"poly","abi":{"sig":"(float64)"}}`,
		complete.Lock: "",
		partial.C:     "int y;",
		filepath.Join(dir, "3f", "."+key+".so.tmp-123"): "half",
		filepath.Join(dir, "3f", "notes.txt"):           "mine",
		filepath.Join(dir, "README"):                    "mine",
	}
	for p, text := range files {
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, complete, partial
}

func TestList(t *testing.T) {
	dir, complete, partial := fill(t)
	got, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("List = %+v, want 2 entries", got)
	}
	c, p := got[0], got[1]
	if c.Key != complete.Key || !c.Complete || c.Function != "poly" || c.Sig != "(float64)" {
		t.Errorf("complete entry listed as %+v", c)
	}
	if c.Size < int64(len("int x;so")) || c.ModTime.IsZero() {
		t.Errorf("complete entry size/time %d %v", c.Size, c.ModTime)
	}
	if p.Key != partial.Key || p.Complete || p.Function != "" {
		t.Errorf("partial entry listed as %+v", p)
	}
	if got, err := List(filepath.Join(dir, "none")); err != nil || len(got) != 0 {
		t.Errorf("List(missing dir) = %v, %v", got, err)
	}
}

func TestClear(t *testing.T) {
	dir, complete, _ := fill(t)
	n, err := Clear(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("Clear removed %d entries, want 2", n)
	}
	if complete.Complete() {
		t.Error("entry still complete after Clear")
	}
	if got := names(t, filepath.Join(dir, "3f")); len(got) != 1 || got[0] != "notes.txt" {
		t.Errorf("shard holds %v after Clear, want only the user's notes.txt", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		t.Errorf("Clear removed a file it does not own: %v", err)
	}
	if n, err := Clear(filepath.Join(dir, "none")); n != 0 || err != nil {
		t.Errorf("Clear(missing dir) = %d, %v", n, err)
	}
}
