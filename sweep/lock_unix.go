//go:build unix

package sweep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// LockFile is the file in a sweep directory that Lock holds.
const LockFile = "sweep.lock"

// Lock takes an exclusive lock on the sweep directory dir, so that two
// runners (or submissions) never run the same tasks at once; it fails at
// once, naming the holder's pid, when another process holds it. The lock
// is released by the returned function or when the process ends.
func Lock(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := make([]byte, 32)
		n, _ := f.ReadAt(holder, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is in use by another train sweep (pid %s); wait for it or stop it", dir, string(holder[:n]))
		}
		return nil, fmt.Errorf("sweep: lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(fmt.Sprint(os.Getpid())), 0)
	}
	return func() { f.Close() }, nil
}
