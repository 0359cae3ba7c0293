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
//
// The cache holds code that is loaded into the user's process, so it must
// not be writable by anyone else: directories are created 0700 and an
// existing one that another user owns, or that group or others may write, is
// refused.
package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
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

// Mkdir creates the entry's directories (0700) and checks that they are
// private to this user.
func (p Paths) Mkdir() error {
	for _, d := range []string{p.Root, p.Dir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("cache: %w", err)
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

// Info describes one entry for `sejitc cache ls`.
type Info struct {
	Key      string
	Function string    // the entry function's qualified name, from the metadata
	Sig      string    // the argument signature, from the metadata
	Size     int64     // bytes of the .c, .so and .json together
	ModTime  time.Time // the newest of its files
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

// List returns the entries in dir, sorted by key. Entries without metadata
// (a build that failed, or one in progress) are included with Complete
// false. A missing dir is an empty cache.
func List(dir string) ([]Info, error) {
	shards, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	byKey := map[string]*Info{}
	for _, s := range shards {
		if !s.IsDir() || !isShard(s.Name()) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, s.Name()))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			key, ext, ok := entryFile(s.Name(), f.Name())
			if !ok || !slices.Contains(entryFiles, ext) {
				continue
			}
			fi, err := f.Info()
			if err != nil {
				continue // removed while we looked
			}
			in := byKey[key]
			if in == nil {
				in = &Info{Key: key}
				byKey[key] = in
			}
			in.Size += fi.Size()
			if fi.ModTime().After(in.ModTime) {
				in.ModTime = fi.ModTime()
			}
			if ext == ".json" {
				in.Complete = true
				var m meta
				if data, err := os.ReadFile(filepath.Join(dir, s.Name(), f.Name())); err == nil &&
					json.Unmarshal(data, &m) == nil {
					in.Function, in.Sig = m.Function, m.ABI.Sig
				}
			}
		}
	}
	out := make([]Info, 0, len(byKey))
	for _, in := range byKey {
		out = append(out, *in)
	}
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// Clear removes every entry in dir and returns how many it removed. It
// removes only files the cache itself names (entry files, lock files and
// temporaries), never the directory's other contents, so a mistaken
// SEJIT_CACHE_DIR cannot cost the user their files.
//
// Clear takes no locks. A build running at the same time may leave its
// entry behind or lose part of it; because the metadata is removed first
// and written last, a partial entry never looks complete.
func Clear(dir string) (int, error) {
	shards, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	removed := map[string]bool{}
	for _, s := range shards {
		if !s.IsDir() || !isShard(s.Name()) {
			continue
		}
		sdir := filepath.Join(dir, s.Name())
		files, err := os.ReadDir(sdir)
		if err != nil {
			return len(removed), err
		}
		// Metadata first: from then on the entry is incomplete.
		for _, metaFirst := range []bool{true, false} {
			for _, f := range files {
				key, ext, ok := entryFile(s.Name(), f.Name())
				if !ok || (ext == ".json") != metaFirst {
					continue
				}
				err := os.Remove(filepath.Join(sdir, f.Name()))
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					return len(removed), err
				}
				if slices.Contains(entryFiles, ext) {
					removed[key] = true
				}
			}
		}
		os.Remove(sdir) // only if now empty
	}
	return len(removed), nil
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
