// Package faultfs lets tests make file writes fail on purpose.
//
// checkpoint.WriteFileAtomic (and through it every file a run directory
// holds) asks Check before each step of a write: creating the temporary
// file, each write to it, fsync, close, the rename over the target and the
// directory fsync. Normally no fault is installed and Check returns nil. A
// test installs one with Set to simulate a full disk (syscall.ENOSPC), an
// I/O error (syscall.EIO) or any other failure at a chosen step and file,
// then checks that the previous version of every file survives.
//
// Package internal/faultfs/tmpfs gives a test a real small file system to
// fill up or turn read-only.
//
// The hook is process-wide: tests that install one must not run in
// parallel with other tests that write files.
package faultfs

import (
	"sync"
	"sync/atomic"
)

// Op names a step of an atomic file write.
type Op string

// The steps of checkpoint.WriteFileAtomic, in the order they happen.
const (
	Create  Op = "create"   // creating the temporary file
	Write   Op = "write"    // writing n bytes to the temporary file
	Sync    Op = "fsync"    // fsyncing the temporary file
	Close   Op = "close"    // closing it
	Rename  Op = "rename"   // renaming it over the target
	SyncDir Op = "dirfsync" // fsyncing the directory after the rename
)

// Fault decides whether a step fails: it gets the step, the target path
// (the file being replaced, not the temporary file) and, for Write, the
// number of bytes about to be written (0 for the other steps). A non-nil
// return value makes the step fail with that error; for Write nothing of
// the chunk is written.
type Fault func(op Op, path string, n int) error

var (
	mu    sync.Mutex
	fault atomic.Pointer[Fault]
)

// Set installs f (nil removes any fault) and returns a function that puts
// back the previous one; call it in t.Cleanup.
func Set(f Fault) (restore func()) {
	mu.Lock()
	defer mu.Unlock()
	old := fault.Load()
	if f == nil {
		fault.Store(nil)
	} else {
		fault.Store(&f)
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		fault.Store(old)
	}
}

// Check returns the installed fault's verdict on a step, or nil when none is
// installed.
func Check(op Op, path string, n int) error {
	f := fault.Load()
	if f == nil {
		return nil
	}
	return (*f)(op, path, n)
}

// After returns a Fault that lets the first `bytes` bytes written to files
// whose target path satisfies match go through and then fails every later
// Write to them with err (a full disk: the previously written bytes stay on
// it). Other steps and other files are not affected.
func After(bytes int64, err error, match func(path string) bool) Fault {
	var mu sync.Mutex
	left := bytes
	return func(op Op, path string, n int) error {
		if op != Write || !match(path) {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if int64(n) > left {
			left = 0
			return err
		}
		left -= int64(n)
		return nil
	}
}
