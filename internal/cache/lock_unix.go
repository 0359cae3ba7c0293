//go:build unix

package cache

import (
	"context"
	"errors"
	"fmt"
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
// locked. The lock file is never removed while in use, because a process
// waiting on the old file and one locking a new file of the same name would
// both believe they hold the lock.
func Lock(ctx context.Context, p Paths) (unlock func(), err error) {
	if err := p.Mkdir(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p.Lock, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	// Poll with LOCK_NB rather than block in flock, so that a cancelled
	// context (the user interrupted the compile) stops the wait.
	wait := time.Millisecond
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("cache: locking %s: %w", p.Lock, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("cache: waiting for another process to build %s: %w", p.Key, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// checkPrivate refuses a directory that another user owns or that group or
// others may write: anyone who can write there can replace a shared object
// that sejit will load into the user's process.
func checkPrivate(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("cache: %s is not a directory", dir)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if uid := os.Getuid(); int(st.Uid) != uid {
		return fmt.Errorf("cache directory %s belongs to uid %d, not to you (uid %d); "+
			"sejit only loads code from a private directory: set SEJIT_CACHE_DIR to one", dir, st.Uid, uid)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("cache directory %s is writable by others (mode %v); "+
			"sejit only loads code from a private directory: chmod go-w it or set SEJIT_CACHE_DIR", dir, fi.Mode().Perm())
	}
	return nil
}
