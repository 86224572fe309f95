package checkpoint

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/selunet/selunet/internal/faultfs"
)

// WriteFileAtomic writes the file at path so that it either keeps its old
// content or has the complete new content, even if the process dies midway:
// write is called with a buffered writer on a temporary file in the same
// directory (".<name>.tmp-<random>"); the data is flushed and fsynced, the
// file is given permission perm and renamed over path, and the directory is
// fsynced so the rename itself is durable.
//
// If write returns an error or panics, or any step fails (a full disk, an
// I/O error, a read-only or vanished directory), the temporary file is
// removed, the old file (if any) is left untouched, and the error is
// returned (a panic is re-raised after cleanup). Only a crash of the whole
// process or machine can leave a temporary file behind; it never replaces
// path. The directory must exist.
func WriteFileAtomic(path string, write func(w io.Writer) error, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if err := faultfs.Check(faultfs.Create, path, 0); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, osErr(err))
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(&faultWriter{f: f, path: path}, 1<<20)
	if err := write(bw); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, osErr(err))
	}
	if err := step(faultfs.Sync, path, f.Sync); err != nil {
		return fmt.Errorf("checkpoint: write %s: fsync: %w", path, osErr(err))
	}
	if err := step(faultfs.Close, path, f.Close); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, osErr(err))
	}
	if err := step(faultfs.Rename, path, func() error { return os.Rename(tmp, path) }); err != nil {
		err = osErr(err)
		os.Remove(tmp)
		done = true
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	done = true
	if err := step(faultfs.SyncDir, path, func() error { return syncDir(dir) }); err != nil {
		return fmt.Errorf("checkpoint: write %s: sync dir %s: %w", path, dir, err)
	}
	return nil
}

// step runs fn unless an injected fault (tests only) fails it first.
func step(op faultfs.Op, path string, fn func() error) error {
	if err := faultfs.Check(op, path, 0); err != nil {
		return err
	}
	return fn()
}

// faultWriter writes to the temporary file, giving injected faults (tests
// only) a chance to fail each write.
type faultWriter struct {
	f    *os.File
	path string
}

func (w *faultWriter) Write(p []byte) (int, error) {
	if err := faultfs.Check(faultfs.Write, w.path, len(p)); err != nil {
		return 0, err
	}
	n, err := w.f.Write(p)
	return n, osErr(err)
}

// osErr drops the temporary file's name from an *os.PathError or
// *os.LinkError (the message names the target file already), keeping the
// cause (syscall.ENOSPC, ...) for errors.Is.
func osErr(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// syncDir fsyncs a directory so a rename inside it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
