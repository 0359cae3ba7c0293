//go:build !unix

package cache

import (
	"context"
	"errors"
)

// sejit loads kernels with dlopen and locks entries with flock(2); it runs
// on Unix systems only.
var errUnsupported = errors.New("cache: locking is implemented for Unix systems only")

// Lock is unavailable off Unix.
func Lock(ctx context.Context, p Paths) (unlock func(), err error) { return nil, errUnsupported }

type held struct{}

func tryLock(p Paths) (*held, error) { return nil, errUnsupported }

func (h *held) release(remove bool) {}

func checkPrivate(dir string) error { return nil }

// CheckPrivateFile is unavailable off Unix.
func CheckPrivateFile(path string) error { return errUnsupported }
