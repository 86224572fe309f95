package experiment

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/selunet/selunet/datasets/datatest"
	"github.com/selunet/selunet/internal/faultfs"
)

// faultConfig is a tiny run with a two-point grid, checkpoints and plots,
// so a run writes every kind of file of a run directory.
func faultConfig(t *testing.T) Config {
	dir := t.TempDir()
	datatest.WriteUCI(t, dir, "toy", 120, 0, 7)
	cfg := uciConfig(dir)
	cfg.Data.UCI.Name = "toy"
	cfg.Train.Epochs, cfg.Train.Patience = 3, 3
	cfg.Grid = Grid{"optimizer.lr": {0.05, 0.1}}
	cfg.Output.Plots, cfg.Output.Checkpoint = true, true
	return cfg
}

// snapshot reads every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// faultAt fails step op of the k-th atomic write (1-based) under out with
// errno, after recording the run directory as it was when that write
// began. It returns the snapshot, filled in once the fault fired.
func faultAt(t *testing.T, out string, k int, op faultfs.Op, errno error) *map[string]string {
	var mu sync.Mutex
	writes, target := 0, ""
	snap := new(map[string]string)
	restore := faultfs.Set(func(o faultfs.Op, path string, n int) error {
		if !strings.HasPrefix(path, out) {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if o == faultfs.Create {
			writes++
			if writes == k {
				target = path
				*snap = snapshot(t, out)
			}
		}
		if writes == k && path == target && o == op {
			return errno
		}
		return nil
	})
	t.Cleanup(restore)
	return snap
}

// TestDiskFaults makes each atomic write of a run fail in turn (a full disk
// while writing, an I/O error at fsync or rename, no space to create the
// temporary file): the run ends with one error naming the file and the
// cause, every file of the run directory keeps its previous content (no
// temporary file is left), and -resume then finishes the run with the
// numbers of an uninterrupted one.
func TestDiskFaults(t *testing.T) {
	cfg := faultConfig(t)
	fullOut := t.TempDir()
	writes := 0
	restore := faultfs.Set(func(o faultfs.Op, path string, n int) error {
		if o == faultfs.Create && strings.HasPrefix(path, fullOut) {
			writes++
		}
		return nil
	})
	full, err := Run(context.Background(), cfg, Options{Out: fullOut})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	faults := []struct {
		op    faultfs.Op
		errno syscall.Errno
	}{
		{faultfs.Write, syscall.ENOSPC},
		{faultfs.Sync, syscall.EIO},
		{faultfs.Rename, syscall.EIO},
		{faultfs.Create, syscall.ENOSPC},
		{faultfs.Close, syscall.EIO},
	}
	step := 1
	if testing.Short() {
		step = 5
	}
	t.Logf("an uninterrupted run makes %d atomic writes", writes)
	for i, k := 0, 1; k <= writes; i, k = i+1, k+step {
		f := faults[i%len(faults)]
		out := t.TempDir()
		snap := faultAt(t, out, k, f.op, f.errno)
		_, err := Run(context.Background(), cfg, Options{Out: out})
		faultfs.Set(nil)
		if !errors.Is(err, f.errno) {
			t.Fatalf("write %d, %s fails with %v: Run returned %v", k, f.op, f.errno, err)
		}
		t.Logf("write %d, %s fails: %v", k, f.op, err)
		if n := strings.Count(err.Error(), f.errno.Error()); n != 1 || strings.Contains(err.Error(), "\n") {
			t.Errorf("write %d: message %q: want one line naming %q once", k, err, f.errno.Error())
		}
		if !strings.Contains(err.Error(), out) {
			t.Errorf("write %d: message %q does not name the file", k, err)
		}
		if got := snapshot(t, out); !reflect.DeepEqual(got, *snap) {
			t.Errorf("write %d (%s, %v): run directory changed by the failed write:\n%s", k, f.op, f.errno, diffFiles(*snap, got))
		}
		if k == 1 {
			continue // nothing was written: there is no run to resume
		}
		res, err := Run(context.Background(), cfg, Options{Out: out, Resume: true})
		if err != nil {
			t.Fatalf("write %d: resume: %v", k, err)
		}
		sameResult(t, res, full, k)
	}
}

// sameResult compares two results but for wall times.
func sameResult(t *testing.T, got, want *Result, k int) {
	t.Helper()
	if len(got.Folds) != len(want.Folds) {
		t.Fatalf("write %d: %d folds after resume, %d uninterrupted", k, len(got.Folds), len(want.Folds))
	}
	for i := range want.Folds {
		a, b := want.Folds[i], got.Folds[i]
		a.Seconds, b.Seconds = 0, 0
		if !reflect.DeepEqual(a, b) {
			t.Errorf("write %d: fold %d differs after resume:\n%+v\n%+v", k, i+1, b, a)
		}
	}
	if got.TestAccuracy != want.TestAccuracy {
		t.Errorf("write %d: test accuracy %v after resume, %v uninterrupted", k, got.TestAccuracy, want.TestAccuracy)
	}
}

// diffFiles lists the files that differ between two snapshots.
func diffFiles(want, got map[string]string) string {
	var b strings.Builder
	for p, w := range want {
		if g, ok := got[p]; !ok {
			b.WriteString("  removed: " + p + "\n")
		} else if g != w {
			b.WriteString("  changed: " + p + "\n")
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			b.WriteString("  added:   " + p + "\n")
		}
	}
	return b.String()
}

// TestRunDirRemoved removes the run directory while the run is writing into
// it: the run ends with one error naming the missing file's directory.
func TestRunDirRemoved(t *testing.T) {
	cfg := faultConfig(t)
	out := filepath.Join(t.TempDir(), "run")
	writes := 0
	t.Cleanup(faultfs.Set(func(o faultfs.Op, path string, n int) error {
		if o == faultfs.Create && strings.HasPrefix(path, out) {
			if writes++; writes == 4 {
				if err := os.RemoveAll(out); err != nil {
					t.Error(err)
				}
			}
		}
		return nil
	}))
	_, err := Run(context.Background(), cfg, Options{Out: out})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), out) || strings.Count(err.Error(), "no such file or directory") != 1 {
		t.Errorf("got:%v want one error naming %s and the missing directory", err, out)
	}
}
