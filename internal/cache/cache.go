// Package cache is sejit's on-disk store of compiled kernels.
//
// The store is content-addressed: the Python side hashes everything that can
// change the generated code (docs/protocol.md §3) into a 64-hex-digit key,
// and an entry is three files under <dir>/<key[0:2]>/:
//
//	<key>.c     the generated source, kept for explain and debugging
//	<key>.so    the shared object
//	<key>.json  metadata, written last: its presence marks a complete entry
//
// Several processes may share a cache (a test suite, Dask workers on one
// host), so every file is written under a temporary name and renamed into
// place, and a per-key lock file makes processes that miss on the same key
// at once build it once: the others wait, then find the complete entry.
// GC and Clear remove an entry only while holding its lock, so they never
// pull an entry from under a build.
//
// The cache holds code that is loaded into the user's process, so it must
// not be writable by anyone else: directories are created 0700 and an
// existing one that another user owns, or that group or others may write, is
// refused (an *UnusableError), and the driver never replies from entry files
// that fail CheckPrivateFile.
//
// The cache grows by one entry per compiled signature. GC trims it to a
// size, least recently used first; an entry's last use is its metadata's
// modification time, which every loader touches.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dir returns the cache directory: explicit if set, else $SEJIT_CACHE_DIR,
// else $XDG_CACHE_HOME/sejit, else ~/.cache/sejit. The result is absolute so
// that the artifact paths in a reply do not depend on a working directory.
func Dir(explicit string) string {
	d := explicit
	if d == "" {
		d = os.Getenv("SEJIT_CACHE_DIR")
	}
	if d == "" {
		// The XDG spec says a relative $XDG_CACHE_HOME is invalid and
		// must be ignored.
		if x := os.Getenv("XDG_CACHE_HOME"); filepath.IsAbs(x) {
			d = filepath.Join(x, "sejit")
		}
	}
	if d == "" {
		if home, err := os.UserHomeDir(); err == nil {
			d = filepath.Join(home, ".cache", "sejit")
		} else {
			d = filepath.Join(os.TempDir(), "sejit-"+strconv.Itoa(os.Getuid()))
		}
	}
	if abs, err := filepath.Abs(d); err == nil {
		d = abs
	}
	return d
}

// ValidKey reports whether key is 64 lowercase hex digits: a SHA-256 as the
// Python side prints it. Paths are built only from valid keys, so a request
// can never name a file outside the cache.
func ValidKey(key string) bool {
	if len(key) != 64 {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Paths are the files of one cache entry.
type Paths struct {
	Root string // the cache directory
	Dir  string // the entry's shard: <root>/<key[0:2]>
	Key  string
	C    string // generated source
	SO   string // shared object
	JSON string // metadata; written last
	Lock string // held while the entry is being built
}

// Entry returns the paths of key's entry in the cache dir. It fails for a
// key that is not 64 lowercase hex digits.
func Entry(dir, key string) (Paths, error) {
	if !ValidKey(key) {
		return Paths{}, fmt.Errorf("invalid cache key %q: want 64 lowercase hex digits", key)
	}
	shard := filepath.Join(dir, key[:2])
	base := filepath.Join(shard, key)
	return Paths{
		Root: dir,
		Dir:  shard,
		Key:  key,
		C:    base + ".c",
		SO:   base + ".so",
		JSON: base + ".json",
		Lock: base + ".lock",
	}, nil
}

// UnusableError reports that the cache directory cannot be used: it cannot
// be created or written, or it is not private to this user. The reply marks
// such failures so that the Python side can fall back to a private
// temporary directory (docs/protocol.md §2).
type UnusableError struct {
	Dir string
	Msg string
	Err error // the underlying error, if any
}

func (e *UnusableError) Error() string { return e.Msg }
func (e *UnusableError) Unwrap() error { return e.Err }

// Unusable reports err, met while creating or writing files in the cache
// directory dir, as an *UnusableError; an error that already is one is
// returned as it is.
func Unusable(dir string, err error) error {
	if err == nil {
		return nil
	}
	var u *UnusableError
	if errors.As(err, &u) {
		return err
	}
	return unusable(dir, err)
}

func unusable(dir string, err error) *UnusableError {
	return &UnusableError{Dir: dir, Err: err,
		Msg: fmt.Sprintf("cannot use cache directory %s: %v (set SEJIT_CACHE_DIR to a writable private directory)", dir, err)}
}

// Mkdir creates the entry's directories (0700) and checks that they are
// private to this user.
func (p Paths) Mkdir() error {
	for _, d := range []string{p.Root, p.Dir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return unusable(p.Root, err)
		}
		if err := checkPrivate(d); err != nil {
			return err
		}
	}
	return nil
}

// Complete reports whether the entry's metadata exists, which (because it
// is written last) means the other files are in place.
func (p Paths) Complete() bool {
	_, err := os.Stat(p.JSON)
	return err == nil
}

// tempPrefix starts the name of every temporary file written beside final;
// Clear recognises it, so files left by a killed process can be removed.
func tempPrefix(final string) string {
	return "." + filepath.Base(final) + ".tmp-"
}

// TempFile creates an empty file in final's directory under a temporary
// name, for a writer (such as the C compiler) that produces final's content
// before Commit renames it into place.
func TempFile(final string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(final), tempPrefix(final)+"*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// Commit flushes the file tmp to disk and renames it to final, in the same
// directory. A reader sees either no final file or a complete one, even
// after a crash: without the fsync, a rename can reach the disk before the
// data it names.
func Commit(tmp, final string) error {
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(final))
	return nil
}

// syncDir makes a rename in dir durable. It is best effort: some file
// systems refuse to fsync a directory, and the data is safe either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// WriteAtomic writes data to path: into a temporary file in the same
// directory, flushed, then renamed over path.
func WriteAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix(path)+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// FileSHA256 returns the hex SHA-256 of the file at path: the checksum an
// entry's metadata records for its shared object ("so_sha256").
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Touch marks the entry as used now, for GC's least-recently-used order: it
// sets the metadata's modification time. It is best effort.
func (p Paths) Touch() {
	now := time.Now()
	os.Chtimes(p.JSON, now, now)
}

// Info describes one entry for `sejitc cache ls`.
type Info struct {
	Key      string
	Function string    // the entry function's qualified name, from the metadata
	Sig      string    // the argument signature, from the metadata
	Size     int64     // bytes of all its files (.c, .so, .json, temporaries)
	ModTime  time.Time // the newest of its files
	LastUse  time.Time // when it was last built or loaded (see lastUse)
	Complete bool      // the metadata is present
}

// meta is the part of an entry's metadata that List shows. The driver owns
// the full format (docs/protocol.md §3).
type meta struct {
	Function string `json:"function"`
	ABI      struct {
		Sig string `json:"sig"`
	} `json:"abi"`
}

// entryFiles are the extensions of an entry's files; .lock is not listed
// because it holds no data and outlives builds.
var entryFiles = []string{".c", ".so", ".json"}

// scanned is what scan found of one entry.
type scanned struct {
	Info
	paths  Paths
	files  []string             // names in the shard: entry files and temporaries
	mtimes map[string]time.Time // by extension (".c", ".so", ".json")
}

// lastUse is when the entry was last used: the time of its metadata, which
// is written at the end of a build and touched whenever the entry is
// loaded; for an entry without metadata (a failed or interrupted build),
// the time of its shared object, else of its newest file.
func (e *scanned) lastUse() time.Time {
	for _, ext := range []string{".json", ".so"} {
		if t, ok := e.mtimes[ext]; ok {
			return t
		}
	}
	return e.ModTime
}

// scan reads every entry in dir, keyed by key. Lock files are not entries:
// a key with nothing but a lock file is absent. A missing dir is an empty
// cache.
func scan(dir string) (map[string]*scanned, error) {
	shards, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	byKey := map[string]*scanned{}
	for _, s := range shards {
		if !s.IsDir() || !isShard(s.Name()) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, s.Name()))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed while we looked
			}
			return nil, err
		}
		for _, f := range files {
			key, ext, ok := entryFile(s.Name(), f.Name())
			if !ok || ext == ".lock" {
				continue
			}
			fi, err := f.Info()
			if err != nil {
				continue // removed while we looked
			}
			e := byKey[key]
			if e == nil {
				p, _ := Entry(dir, key)
				e = &scanned{Info: Info{Key: key}, paths: p, mtimes: map[string]time.Time{}}
				byKey[key] = e
			}
			e.files = append(e.files, f.Name())
			e.Size += fi.Size()
			if fi.ModTime().After(e.ModTime) {
				e.ModTime = fi.ModTime()
			}
			if ext != "tmp" {
				e.mtimes[ext] = fi.ModTime()
			}
			if ext == ".json" {
				e.Complete = true
			}
		}
	}
	for _, e := range byKey {
		e.LastUse = e.lastUse()
	}
	return byKey, nil
}

// List returns the entries in dir, sorted by key. Entries without metadata
// (a build that failed, or one in progress) are included with Complete
// false. A missing dir is an empty cache.
func List(dir string) ([]Info, error) {
	byKey, err := scan(dir)
	if err != nil {
		return nil, err
	}
	out := make([]Info, 0, len(byKey))
	for _, e := range byKey {
		if e.Complete {
			var m meta
			if data, err := os.ReadFile(e.paths.JSON); err == nil && json.Unmarshal(data, &m) == nil {
				e.Function, e.Sig = m.Function, m.ABI.Sig
			}
		}
		out = append(out, e.Info)
	}
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// remove deletes the entry's files, metadata first so that from then on the
// entry is incomplete, and returns the bytes freed. The caller holds the
// entry's lock, so the temporaries are leftovers of a killed build, never
// files a build is writing.
func (e *scanned) remove() (int64, error) {
	var freed int64
	shard := e.paths.Dir
	names := slices.Clone(e.files)
	// Metadata first: from then on the entry is incomplete.
	slices.SortStableFunc(names, func(a, b string) int {
		aj, bj := strings.HasSuffix(a, ".json"), strings.HasSuffix(b, ".json")
		switch {
		case aj && !bj:
			return -1
		case bj && !aj:
			return 1
		}
		return 0
	})
	for _, name := range names {
		path := filepath.Join(shard, name)
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			err = os.Remove(path)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return freed, err
		}
		freed += fi.Size()
	}
	return freed, nil
}

// Stats says what Clear or GC did.
type Stats struct {
	Removed int   // entries removed
	Freed   int64 // bytes removed
	Busy    int   // entries left alone because a build held their lock
	Size    int64 // bytes the cache's entries take afterwards
}

// Clear removes every entry in dir. It removes only files the cache itself
// names (entry files, lock files and temporaries), never the directory's
// other contents, so a mistaken SEJIT_CACHE_DIR cannot cost the user their
// files. An entry that another process is building (its lock is held) is
// left alone and counted in Busy; the build completes it as usual.
func Clear(dir string) (Stats, error) {
	return trim(dir, -1, "")
}

// GC removes the least recently used entries of dir until its entries take
// at most maxSize bytes, never removing the entry whose key is keep (the one
// a build just made) nor one being built. Entries without metadata count
// too: a failed build leaves its source behind.
//
// Only entries whose lock GC takes without waiting are removed, and each is
// checked again once locked: one that was used since GC looked at it is
// kept. A process that loads an entry without the lock (the Python side)
// may find its files gone between reading the metadata and loading the
// shared object; it must treat that as a miss.
func GC(dir string, maxSize int64, keep string) (Stats, error) {
	if maxSize < 0 {
		return Stats{}, fmt.Errorf("cache: negative size limit %d", maxSize)
	}
	return trim(dir, maxSize, keep)
}

// trim is Clear (maxSize < 0) and GC.
func trim(dir string, maxSize int64, keep string) (Stats, error) {
	var st Stats
	byKey, err := scan(dir)
	if err != nil {
		return st, err
	}
	entries := make([]*scanned, 0, len(byKey))
	for _, e := range byKey {
		entries = append(entries, e)
		st.Size += e.Size
	}
	slices.SortFunc(entries, func(a, b *scanned) int {
		if c := a.LastUse.Compare(b.LastUse); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	for _, e := range entries {
		if maxSize >= 0 && st.Size <= maxSize {
			break
		}
		if e.Key == keep {
			continue
		}
		h, err := tryLock(e.paths)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // the shard went away: removed by someone else
			}
			return st, err
		}
		if h == nil {
			st.Busy++
			continue
		}
		if maxSize >= 0 {
			// Used (loaded or rebuilt) since the scan: no longer the least
			// recently used.
			if fi, err := os.Stat(e.paths.JSON); err == nil && fi.ModTime().After(e.LastUse) {
				h.release(false)
				continue
			}
		}
		freed, err := e.remove()
		h.release(err == nil)
		st.Freed += freed
		st.Size -= freed
		if err != nil {
			return st, err
		}
		st.Removed++
	}
	if maxSize < 0 {
		// Lock files of keys without data, left by failed compiles.
		if err := removeStaleLocks(dir); err != nil {
			return st, err
		}
	}
	removeEmptyShards(dir)
	return st, nil
}

// removeStaleLocks removes the lock files that no process holds.
func removeStaleLocks(dir string) error {
	shards, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	for _, s := range shards {
		if !s.IsDir() || !isShard(s.Name()) {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(dir, s.Name()))
		for _, f := range files {
			key, ext, ok := entryFile(s.Name(), f.Name())
			if !ok || ext != ".lock" {
				continue
			}
			p, _ := Entry(dir, key)
			h, err := tryLock(p)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if h != nil {
				h.release(true)
			}
		}
	}
	return nil
}

// removeEmptyShards removes the shard directories left empty. A process
// that has just made one and is about to lock an entry in it makes it again
// (see openLock).
func removeEmptyShards(dir string) {
	shards, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, s := range shards {
		if s.IsDir() && isShard(s.Name()) {
			os.Remove(filepath.Join(dir, s.Name())) // only if empty
		}
	}
}

// ParseSize reads a size as `sejitc cache gc --max-size` and
// $SEJIT_CACHE_MAX_SIZE take it: a number of bytes, or a number followed by
// K, M, G or T (powers of 1024, as in du and ls -h; "KB", "KiB", any case).
// The number may have a fraction: 1.5G.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return !('0' <= r && r <= '9' || r == '.') })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	shift := 0
	switch strings.ToUpper(unit) {
	case "", "B":
	case "K", "KB", "KIB":
		shift = 10
	case "M", "MB", "MIB":
		shift = 20
	case "G", "GB", "GIB":
		shift = 30
	case "T", "TB", "TIB":
		shift = 40
	default:
		return 0, fmt.Errorf("invalid size %q: want bytes or a number with K, M, G or T (such as 500K, 200M, 1G)", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" || strings.HasPrefix(num, ".") && len(num) == 1 {
		return 0, fmt.Errorf("invalid size %q: want bytes or a number with K, M, G or T (such as 500K, 200M, 1G)", s)
	}
	v *= float64(int64(1) << shift)
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return int64(v), nil
}

func isShard(name string) bool {
	return len(name) == 2 && ValidKey(name+strings.Repeat("0", 62))
}

// entryFile parses a file name in a shard: "<key><ext>" for an entry file
// or a lock, or a temporary written beside one ("." + "<key><ext>.tmp-…"),
// whose ext is then reported as "tmp". The key must belong to the shard.
func entryFile(shard, name string) (key, ext string, ok bool) {
	if rest, found := strings.CutPrefix(name, "."); found {
		base, _, isTemp := strings.Cut(rest, ".tmp-")
		if !isTemp {
			return "", "", false
		}
		key, _, _ = strings.Cut(base, ".")
		ext = "tmp"
	} else {
		key, ext, _ = strings.Cut(name, ".")
		ext = "." + ext
		if !slices.Contains(entryFiles, ext) && ext != ".lock" {
			return "", "", false
		}
	}
	if !ValidKey(key) || key[:2] != shard {
		return "", "", false
	}
	return key, ext, true
}
