//go:build unix

package cache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// Lock takes the entry's exclusive lock, creating the entry's directories
// if needed, and waits until it is free or ctx is done. The caller must call
// unlock when the entry is complete (or has failed).
//
// The lock is an flock(2) on <key>.lock, so the kernel releases it when the
// holder exits, however it exits: a crashed build never leaves the key
// locked.
//
// Lock files may be removed (by GC and Clear), but only by a process that
// holds them, and a process that takes a lock checks afterwards that the
// path still names the file it locked. Without that check, a process that
// waited on a file that was then removed, and one that created a new file
// of the same name, would both believe they hold the lock; with it, the
// first sees that its file is gone and starts again on the new one.
func Lock(ctx context.Context, p Paths) (unlock func(), err error) {
	if err := p.Mkdir(); err != nil {
		return nil, err
	}
	wait := time.Millisecond
	for {
		f, err := openLock(p)
		if err != nil {
			return nil, err
		}
		// Poll with LOCK_NB rather than block in flock, so that a
		// cancelled context (the user interrupted the compile) stops the
		// wait.
		for {
			ok, err := tryFlock(f)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("cache: locking %s: %w", p.Lock, err)
			}
			if ok {
				break
			}
			select {
			case <-ctx.Done():
				f.Close()
				return nil, fmt.Errorf("cache: waiting for another process to build %s: %w", p.Key, ctx.Err())
			case <-time.After(wait):
			}
			wait = min(2*wait, 50*time.Millisecond)
		}
		if namesFile(p.Lock, f) {
			return func() { f.Close() }, nil
		}
		f.Close() // removed while we waited: lock the new file
	}
}

// openLock opens (creating) the entry's lock file. The shard directory can
// disappear between Mkdir and the open, when GC or Clear removes it because
// it was empty; then the directories are made again.
func openLock(p Paths) (*os.File, error) {
	for try := 0; ; try++ {
		f, err := os.OpenFile(p.Lock, os.O_RDWR|os.O_CREATE, 0o600)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) || try == 10 {
			return nil, unusable(p.Root, err)
		}
		if err := p.Mkdir(); err != nil {
			return nil, err
		}
	}
}

// tryFlock takes f's exclusive lock without waiting and reports whether it
// did.
func tryFlock(f *os.File) (bool, error) {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, syscall.EWOULDBLOCK), errors.Is(err, syscall.EINTR):
		return false, nil
	}
	return false, err
}

// namesFile reports whether path still names the open file f.
func namesFile(path string, f *os.File) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// held is a lock taken by tryLock.
type held struct {
	f    *os.File
	path string
}

// tryLock takes the entry's lock if it is free, without waiting; it returns
// nil when another process holds it (a build is in progress). The entry's
// shard must exist.
func tryLock(p Paths) (*held, error) {
	for try := 0; try < 3; try++ {
		f, err := os.OpenFile(p.Lock, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, err
		}
		ok, err := tryFlock(f)
		if err != nil || !ok {
			f.Close()
			return nil, err
		}
		if namesFile(p.Lock, f) {
			return &held{f, p.Lock}, nil
		}
		f.Close()
	}
	return nil, nil // the lock file keeps being replaced: someone is busy with it
}

// release removes the lock file, if remove is set, and then unlocks it. The
// file is removed while it is still locked, so that no process can lock it
// in between and then believe it holds the entry (see Lock).
func (h *held) release(remove bool) {
	if remove {
		os.Remove(h.path)
	}
	h.f.Close()
}

// privacyHint ends every refusal of a directory: it says what to do.
const privacyHint = "refusing to use it (set SEJIT_CACHE_DIR to a private directory)"

// checkPrivate refuses a directory that another user owns or that group or
// others may write: anyone who can write there can replace a shared object
// that sejit will load into the user's process.
func checkPrivate(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return unusable(dir, err)
	}
	if !fi.IsDir() {
		return &UnusableError{Dir: dir, Msg: fmt.Sprintf("cache directory %s is not a directory; %s", dir, privacyHint)}
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if uid := os.Getuid(); int(st.Uid) != uid {
		return &UnusableError{Dir: dir, Msg: fmt.Sprintf("cache directory %s belongs to another user (uid %d; you are uid %d); %s",
			dir, st.Uid, uid, privacyHint)}
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return &UnusableError{Dir: dir, Msg: fmt.Sprintf("cache directory %s is writable by other users; %s", dir, privacyHint)}
	}
	return nil
}

// CheckPrivateFile checks that path is a regular file (not a symbolic link)
// that the current user owns and that neither group nor others may write.
// The driver replies from an existing entry only if its files pass: a file
// that someone else could have written is code someone else chose.
func CheckPrivateFile(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		if uid := os.Getuid(); int(st.Uid) != uid {
			return fmt.Errorf("%s belongs to another user (uid %d; you are uid %d)", path, st.Uid, uid)
		}
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s is writable by other users (mode %v)", path, fi.Mode().Perm())
	}
	return nil
}
