package cache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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

// cacheDir names a cache directory for Mkdir or Lock to create: t.TempDir
// itself is made with the umask, which may let the group write it, and
// then the cache rightly refuses it.
func cacheDir(t *testing.T) string {
	return filepath.Join(t.TempDir(), "cache")
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
	p, err := Entry(cacheDir(t), key)
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
	if _, err := Lock(context.Background(), p); err == nil || !strings.Contains(err.Error(),
		"cache directory "+root+" is writable by other users; refusing to use it (set SEJIT_CACHE_DIR to a private directory)") {
		t.Errorf("Lock in a world-writable cache: %v", err)
	}
}

// fill makes a cache with one complete entry, one entry without metadata,
// a leftover temporary and a file the cache does not own.
func fill(t *testing.T) (dir string, complete, partial Paths) {
	t.Helper()
	dir = cacheDir(t)
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
	st, err := Clear(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Removed != 2 || st.Busy != 0 || st.Size != 0 {
		t.Errorf("Clear = %+v, want 2 entries removed, none busy, nothing left", st)
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
	if st, err := Clear(filepath.Join(dir, "none")); st.Removed != 0 || err != nil {
		t.Errorf("Clear(missing dir) = %+v, %v", st, err)
	}
}

func TestLockRefusesUnsafeDirs(t *testing.T) {
	tests := []struct {
		name      string
		rootMode  os.FileMode
		shardMode os.FileMode
		bad       func(root string) string // the directory the error names
	}{
		{"group-writable root", 0o770, 0o700, func(root string) string { return root }},
		{"world-writable root", 0o777, 0o700, func(root string) string { return root }},
		{"other-writable shard", 0o700, 0o702, func(root string) string { return filepath.Join(root, "3f") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "cache")
			shard := filepath.Join(root, "3f")
			if err := os.MkdirAll(shard, 0o700); err != nil {
				t.Fatal(err)
			}
			os.Chmod(shard, tt.shardMode)
			os.Chmod(root, tt.rootMode)
			p, _ := Entry(root, key)
			_, err := Lock(context.Background(), p)
			want := "cache directory " + tt.bad(root) + " is writable by other users; " +
				"refusing to use it (set SEJIT_CACHE_DIR to a private directory)"
			var u *UnusableError
			if err == nil || err.Error() != want || !errors.As(err, &u) {
				t.Errorf("Lock = %v\nwant an *UnusableError %q", err, want)
			}
			if _, err := os.Stat(p.Lock); err == nil {
				t.Error("a lock file was created in a refused directory")
			}
		})
	}
}

func TestLockRefusesOtherUsersDir(t *testing.T) {
	root := filepath.Join(t.TempDir(), "cache")
	if err := os.Mkdir(root, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(root, os.Getuid()+1, -1); err != nil {
		t.Skipf("cannot give a directory to another user (not root): %v", err)
	}
	p, _ := Entry(root, key)
	_, err := Lock(context.Background(), p)
	var u *UnusableError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "belongs to another user") ||
		!strings.Contains(err.Error(), "set SEJIT_CACHE_DIR to a private directory") {
		t.Errorf("Lock in another user's directory: %v", err)
	}
}

func TestLockUnwritableDir(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root writes into read-only directories")
	}
	root := filepath.Join(t.TempDir(), "cache")
	if err := os.Mkdir(root, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(root, 0o700)
	p, _ := Entry(root, key)
	_, err := Lock(context.Background(), p)
	var u *UnusableError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Lock in a read-only directory: %v", err)
	}
}

// TestLockFileRemovedWhileWaiting checks that removing a held lock file (as
// GC and Clear do) cannot let two processes hold one entry: a waiter on the
// removed file notices and locks the new one.
func TestLockFileRemovedWhileWaiting(t *testing.T) {
	p, _ := Entry(cacheDir(t), key)
	if err := p.Mkdir(); err != nil {
		t.Fatal(err)
	}
	h, err := tryLock(p)
	if err != nil || h == nil {
		t.Fatalf("tryLock = %v, %v", h, err)
	}
	got := make(chan func(), 1)
	go func() {
		unlock, err := Lock(context.Background(), p)
		if err != nil {
			t.Error(err)
			unlock = func() {}
		}
		got <- unlock
	}()
	time.Sleep(20 * time.Millisecond) // the waiter has opened the old file
	h.release(true)
	unlock := <-got
	defer unlock()
	// The waiter must hold the file that p.Lock names now, so a third
	// process cannot take it.
	if h2, err := tryLock(p); err != nil || h2 != nil {
		t.Errorf("a second holder got the lock (%v, %v): the waiter locked a removed file", h2, err)
	}
}

func TestCheckPrivateFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte("x"), 0o600)
	if err := CheckPrivateFile(good); err != nil {
		t.Errorf("0600 file refused: %v", err)
	}
	for mode, bad := range map[os.FileMode]bool{0o700: false, 0o644: false, 0o620: true, 0o602: true, 0o666: true} {
		os.Chmod(good, mode)
		if err := CheckPrivateFile(good); (err != nil) != bad {
			t.Errorf("mode %v: CheckPrivateFile = %v, want refused %v", mode, err, bad)
		}
	}
	link := filepath.Join(dir, "link")
	os.Chmod(good, 0o600)
	os.Symlink(good, link)
	if err := CheckPrivateFile(link); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("symlink accepted: %v", err)
	}
	if err := CheckPrivateFile(filepath.Join(dir, "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if err := os.Chown(good, os.Getuid()+1, -1); err == nil {
		if err := CheckPrivateFile(good); err == nil || !strings.Contains(err.Error(), "belongs to another user") {
			t.Errorf("another user's file accepted: %v", err)
		}
	}
}

func TestFileSHA256(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	os.WriteFile(p, []byte("abc"), 0o600)
	got, err := FileSHA256(p)
	// sha256("abc"), FIPS 180-2 appendix B.1.
	if want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want || err != nil {
		t.Errorf("FileSHA256 = %s, %v; want %s", got, err, want)
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"0": 0, "123": 123, "500K": 500 << 10, "500k": 500 << 10, "200M": 200 << 20, "1G": 1 << 30,
		"2T": 2 << 40, "1.5G": 3 << 29, "10MB": 10 << 20, "10MiB": 10 << 20, "7 KiB": 7 << 10, "64B": 64,
	}
	for s, want := range good {
		if got, err := ParseSize(s); got != want || err != nil {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "M", "-1", "1X", "1.2.3M", ".", "1e3", "100000000000T", "0x10"} {
		if got, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", s, got)
		}
	}
}

// entry writes a complete entry whose files take size bytes in all and
// whose last use is at.
func entry(t *testing.T, dir string, k string, size int, at time.Time) Paths {
	t.Helper()
	p, err := Entry(dir, k)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Mkdir(); err != nil {
		t.Fatal(err)
	}
	for path, n := range map[string]int{p.C: size / 4, p.SO: size - size/4 - 2, p.JSON: 2} {
		if err := os.WriteFile(path, []byte(strings.Repeat("x", n)), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(path, at, at)
	}
	return p
}

func keyN(i int) string { return fmt.Sprintf("%02x%062x", i%3, i) }

func TestGC(t *testing.T) {
	dir := cacheDir(t)
	base := time.Now().Add(-time.Hour)
	var ps []Paths
	for i := range 6 {
		ps = append(ps, entry(t, dir, keyN(i), 1000, base.Add(time.Duration(i)*time.Minute)))
	}
	// Entry 0 is the oldest by its files, but was loaded (touched) last.
	now := time.Now()
	os.Chtimes(ps[0].JSON, now, now)
	// Entry 1 has no metadata (a failed build): its .so's time counts.
	os.Remove(ps[1].JSON)
	// A leftover temporary of entry 2 counts toward its size.
	os.WriteFile(filepath.Join(ps[2].Dir, "."+ps[2].Key+".so.tmp-9"), make([]byte, 500), 0o600)

	st, err := GC(dir, 3000, "")
	if err != nil {
		t.Fatal(err)
	}
	// Total 5998+500; remove 1 (998), 2 (1500), 3 (1000) → 3000.
	if st.Removed != 3 || st.Size != 3000 || st.Freed != 3498 || st.Busy != 0 {
		t.Errorf("GC = %+v, want 3 removed, 3498 freed, 3000 left", st)
	}
	for i, p := range ps {
		_, err := os.Stat(p.C)
		if gone, want := err != nil, i >= 1 && i <= 3; gone != want {
			t.Errorf("entry %d removed = %v, want %v", i, gone, want)
		}
	}
	if got := names(t, ps[2].Dir); len(got) != 0 && slices.ContainsFunc(got, func(n string) bool { return strings.Contains(n, ps[2].Key) }) {
		t.Errorf("files of entry 2 left: %v", got)
	}

	// keep protects an entry even when it is the least recently used.
	st, err = GC(dir, 0, ps[4].Key)
	if err != nil || st.Removed != 2 || st.Size != 1000 {
		t.Errorf("GC(0, keep 4) = %+v, %v", st, err)
	}
	if !ps[4].Complete() {
		t.Error("the kept entry was removed")
	}
	if st, err := GC(filepath.Join(dir, "none"), 0, ""); err != nil || st != (Stats{}) {
		t.Errorf("GC(missing dir) = %+v, %v", st, err)
	}
}

func TestGCSkipsBusyEntries(t *testing.T) {
	dir := cacheDir(t)
	old := entry(t, dir, keyN(1), 1000, time.Now().Add(-time.Hour))
	entry(t, dir, keyN(2), 1000, time.Now().Add(-time.Minute))
	unlock, err := Lock(context.Background(), old)
	if err != nil {
		t.Fatal(err)
	}
	st, err := GC(dir, 1000, "")
	if err != nil || st.Busy != 1 || st.Removed != 1 || st.Size != 1000 {
		t.Errorf("GC with the oldest entry locked = %+v, %v; want it skipped and the other removed", st, err)
	}
	if !old.Complete() {
		t.Error("GC removed an entry being built")
	}
	st, err = Clear(dir)
	if err != nil || st.Busy != 1 || st.Removed != 0 || !old.Complete() {
		t.Errorf("Clear with an entry locked = %+v, %v; want it left alone", st, err)
	}
	if _, err := os.Stat(old.Lock); err != nil {
		t.Errorf("the held lock file was removed: %v", err)
	}
	unlock()
	if st, err := Clear(dir); err != nil || st.Removed != 1 || st.Busy != 0 {
		t.Errorf("Clear after unlock = %+v, %v", st, err)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("cache holds %v after Clear, want nothing", got)
	}
}

func TestListLastUse(t *testing.T) {
	dir := cacheDir(t)
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	p := entry(t, dir, key, 100, at)
	later := at.Add(time.Minute)
	os.Chtimes(p.SO, later, later) // newer .so: ModTime, but not the last use
	got, err := List(dir)
	if err != nil || len(got) != 1 {
		t.Fatalf("List = %+v, %v", got, err)
	}
	if !got[0].LastUse.Equal(at) || !got[0].ModTime.Equal(later) || got[0].Size != 100 {
		t.Errorf("List = %+v, want last use %v (the metadata's time), size 100", got[0], at)
	}
	p.Touch()
	got, _ = List(dir)
	if time.Since(got[0].LastUse) > time.Minute {
		t.Errorf("Touch did not update the last use: %v", got[0].LastUse)
	}
}
