package checkpoint

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes the file at path so that it either keeps its old
// content or has the complete new content, even if the process dies midway:
// write is called with a buffered writer on a temporary file in the same
// directory (".<name>.tmp-<random>"); the data is flushed and fsynced, the
// file is given permission perm and renamed over path, and the directory is
// fsynced so the rename itself is durable.
//
// If write returns an error or panics, or any step fails, the temporary file
// is removed, the old file (if any) is left untouched, and the error is
// returned (a panic is re-raised after cleanup). Only a crash of the whole
// process or machine can leave a temporary file behind; it never replaces
// path. The directory must exist.
func WriteFileAtomic(path string, write func(w io.Writer) error, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("checkpoint: write %s: fsync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		done = true
		return fmt.Errorf("checkpoint: write %s: %w", path, err)
	}
	done = true
	return syncDir(dir)
}

// syncDir fsyncs a directory so a rename inside it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("checkpoint: sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("checkpoint: sync dir %s: %w", dir, err)
	}
	return nil
}
