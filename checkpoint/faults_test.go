package checkpoint_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/internal/faultfs"
	"github.com/selunet/selunet/internal/faultfs/tmpfs"
)

// writeBytes returns a write function for WriteFileAtomic writing b.
func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error { _, err := w.Write(b); return err }
}

// checkIntact checks that path holds want and that no temporary file is
// left beside it.
func checkIntact(t *testing.T, path, want, what string) {
	t.Helper()
	if b, err := os.ReadFile(path); err != nil || string(b) != want {
		t.Errorf("%s: content got:%.20q (err %v) want:%.20q", what, b, err, want)
	}
	if tmps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp-*")); len(tmps) != 0 {
		t.Errorf("%s: temporary files left: %v", what, tmps)
	}
}

// TestWriteFileAtomicFaults injects a full disk and an I/O error at every
// step of an atomic write, including in the middle of a 3 MiB write (after
// the first 1 MiB flush reached the disk): the old file is intact, no
// temporary file is left, and the error names the file and the cause. A
// fault at the directory fsync comes after the rename: the new content is
// complete and the error is still reported.
func TestWriteFileAtomicFaults(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.bin")
	const old = "old content"
	big := bytes.Repeat([]byte("new"), 1<<20)
	for i, op := range []faultfs.Op{faultfs.Create, faultfs.Write, faultfs.Sync, faultfs.Close, faultfs.Rename, faultfs.SyncDir} {
		for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EIO} {
			if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			fault := func(o faultfs.Op, p string, n int) error {
				if o == op && p == path {
					return errno
				}
				return nil
			}
			if op == faultfs.Write {
				fault = faultfs.After(1<<20, errno, func(p string) bool { return p == path })
			}
			restore := faultfs.Set(fault)
			err := checkpoint.WriteFileAtomic(path, writeBytes(big), 0o644)
			restore()
			what := string(op) + " " + errno.Error()
			if !errors.Is(err, errno) || !strings.Contains(err.Error(), path) {
				t.Errorf("case %d %s: got:%v want an error naming %s and %v", i, what, err, path, errno)
			}
			if op == faultfs.SyncDir {
				checkIntact(t, path, string(big), what)
				continue
			}
			checkIntact(t, path, old, what)
		}
	}
}

// TestWriteFileAtomicDirRemoved: the directory vanished (a run directory
// deleted under a running job): a clear not-exist error naming the file.
func TestWriteFileAtomicDirRemoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "metrics.json")
	err := checkpoint.WriteFileAtomic(path, writeBytes([]byte("{}")), 0o644)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "checkpoint: write "+path+": ") {
		t.Errorf("got:%v want a not-exist error naming %s", err, path)
	}
}

// TestWriteFileAtomicFullTmpfs fills a real 64 KiB tmpfs: a 100 KiB write
// fails with ENOSPC, the old file is intact, the partial temporary file is
// removed (so its space is free again) and a small write then succeeds.
func TestWriteFileAtomicFullTmpfs(t *testing.T) {
	dir := tmpfs.Mount(t, "64k")
	path := filepath.Join(dir, "ck.bin")
	old := strings.Repeat("o", 16<<10)
	if err := checkpoint.WriteFileAtomic(path, writeBytes([]byte(old)), 0o644); err != nil {
		t.Fatal(err)
	}
	err := checkpoint.WriteFileAtomic(path, writeBytes(bytes.Repeat([]byte("n"), 100<<10)), 0o644)
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), path) {
		t.Fatalf("got:%v want ENOSPC naming %s", err, path)
	}
	checkIntact(t, path, old, "full tmpfs")
	small := strings.Repeat("s", 32<<10)
	if err := checkpoint.WriteFileAtomic(path, writeBytes([]byte(small)), 0o644); err != nil {
		t.Fatalf("after the failed write, a write that fits: %v", err)
	}
	checkIntact(t, path, small, "after freeing")
}

// TestWriteFileAtomicReadOnly remounts a tmpfs read-only (root ignores
// permission bits, so a chmod would not do): EROFS, old file intact.
func TestWriteFileAtomicReadOnly(t *testing.T) {
	dir := tmpfs.Mount(t, "64k")
	path := filepath.Join(dir, "ck.bin")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	tmpfs.Remount(t, dir, "64k", true)
	err := checkpoint.WriteFileAtomic(path, writeBytes([]byte("new")), 0o644)
	if !errors.Is(err, syscall.EROFS) || !strings.Contains(err.Error(), path) {
		t.Errorf("got:%v want EROFS naming %s", err, path)
	}
	checkIntact(t, path, "old", "read-only")
	tmpfs.Remount(t, dir, "64k", false)
}
