package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/experiment"
	"github.com/selunet/selunet/internal/faultfs"
	"github.com/selunet/selunet/internal/faultfs/tmpfs"
)

// diskConfig writes a small CSV data set and a config training on it with a
// two-point grid, checkpoints and plots.
func diskConfig(t *testing.T) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("x1,x2,x3,y\n")
	for range 300 {
		x := [3]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		y := 0
		if x[0]+0.5*x[1] > 0 {
			y = 1
		}
		fmt.Fprintf(&b, "%.4f,%.4f,%.4f,%d\n", x[0], x[1], x[2], y)
	}
	data := filepath.Join(t.TempDir(), "toy.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return writeConfig(t, `name: disk
data: {dataset: csv, csv: {path: `+data+`, labels: [y]}, protocol: holdout}
model: {layers: 2, units: 32, dropout: 0}
train: {epochs: 4, patience: 4, smoothing: 1, batch_size: 32}
grid: {optimizer.lr: [0.05, 0.1]}
output: {plots: true, checkpoint: true}
`)
}

// diskUsage is the space dir's files take on a tmpfs (4 KiB pages).
func diskUsage(t *testing.T, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n += (info.Size() + 4095) / 4096 * 4096
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// uninterrupted writes diskConfig, runs it to the end on a normal disk and
// returns the config, the run directory and the run's result.
func uninterrupted(t *testing.T) (cfg, full string, want experiment.Result) {
	t.Helper()
	cfg = diskConfig(t)
	full = filepath.Join(t.TempDir(), "run")
	if code, _, stderr := call("-config", cfg, "-out", full, "-q"); code != 0 {
		t.Fatalf("uninterrupted run: code %d: %s", code, stderr)
	}
	return cfg, full, readResult(t, full)
}

// checkLeftFiles checks that every checkpoint under dir loads and, with
// noTemp, that no temporary file is left; what names the case.
func checkLeftFiles(t *testing.T, dir, what string, noTemp bool) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case noTemp && strings.Contains(d.Name(), ".tmp-"):
			t.Errorf("%s: temporary file left: %s", what, p)
		case strings.HasSuffix(p, ".ckpt"):
			if _, err := checkpoint.Load(p); err != nil {
				t.Errorf("%s: %v", what, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// resumeMatches remounts the tmpfs mnt read-write with size, runs
// `train -resume dir` and checks that it finishes with the result want of
// the uninterrupted run; what names the case.
func resumeMatches(t *testing.T, mnt, size, dir string, want experiment.Result, what string) {
	t.Helper()
	tmpfs.Remount(t, mnt, size, false)
	if code, _, stderr := call("-resume", dir, "-q"); code != 0 {
		t.Fatalf("%s: resume: code %d: %s", what, code, stderr)
	}
	if got := readResult(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: resumed result differs:\n%+v\n%+v", what, got, want)
	}
}

// readResult reads a run directory's metrics.json without wall times.
func readResult(t *testing.T, dir string) experiment.Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r experiment.Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	r.Seconds = 0
	for i := range r.Folds {
		r.Folds[i].Seconds = 0
	}
	return r
}

// TestFullDiskResume runs `train` into a real tmpfs too small for its run
// directory (a quarter, half and three quarters of what the run needs): the
// command exits 1 with one line naming the file and "no space left on
// device"; every file left in the run directory is complete (checkpoints
// load, no temporary file); after the disk grows, `train -resume` finishes
// with the metrics of an uninterrupted run.
func TestFullDiskResume(t *testing.T) {
	cfg, full, want := uninterrupted(t)
	need := diskUsage(t, full)
	for _, frac := range []int64{1, 2, 3} {
		size := max(need*frac/4/1024, 4)
		mnt := tmpfs.Mount(t, fmt.Sprintf("%dk", size))
		dir := filepath.Join(mnt, "run")
		code, _, stderr := call("-config", cfg, "-out", dir, "-q")
		t.Logf("%d KiB of the %d KiB needed: %q", size, need/1024, stderr)
		if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "train: ") ||
			!strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, dir) {
			t.Fatalf("%d KiB: got code %d, stderr %q; want 1 and one line naming the file and the full disk", size, code, stderr)
		}
		what := fmt.Sprintf("%d KiB", size)
		checkLeftFiles(t, dir, what, true)
		resumeMatches(t, mnt, "64m", dir, want, what)
	}
}

// TestReadOnlyMidRun remounts the run directory's tmpfs read-only in the
// middle of a run (at its 5th, 9th and 13th file write in turn): `train`
// exits 1 with one line naming the file and "read-only file system", every
// checkpoint left loads, and after a read-write remount `train -resume`
// finishes with the metrics of an uninterrupted run.
func TestReadOnlyMidRun(t *testing.T) {
	cfg, _, want := uninterrupted(t)
	for _, k := range []int{5, 9, 13} {
		mnt := tmpfs.Mount(t, "16m")
		dir := filepath.Join(mnt, "run")
		writes := 0
		restore := faultfs.Set(func(op faultfs.Op, path string, n int) error {
			if op == faultfs.Create && strings.HasPrefix(path, dir) {
				if writes++; writes == k {
					tmpfs.Remount(t, mnt, "16m", true)
				}
			}
			return nil
		})
		code, _, stderr := call("-config", cfg, "-out", dir, "-q")
		restore()
		t.Logf("write %d: %s", k, strings.TrimSpace(stderr))
		if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "read-only file system") || !strings.Contains(stderr, dir) {
			t.Fatalf("write %d: got code %d, stderr %q; want 1 and one line naming the file and the read-only file system", k, code, stderr)
		}
		what := fmt.Sprintf("write %d", k)
		checkLeftFiles(t, dir, what, false)
		resumeMatches(t, mnt, "16m", dir, want, what)
	}
}
