package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets/htru2"
)

// quickArgs are the arguments of a one-fold, one-epoch quick run.
func quickArgs(out string, extra ...string) []string {
	return append([]string{"-config", filepath.Join("..", "..", "configs", "quick.yaml"), "-out", out,
		"-set", "train.epochs=1", "-set", "data.run_folds=1", "-q"}, extra...)
}

// TestSecondRunRefused: a second -config run into a run directory is
// refused with the ways out; -force replaces it.
func TestSecondRunRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	code, first, stderr := call(quickArgs(out)...)
	if code != 0 {
		t.Fatal(stderr)
	}
	before, _ := os.ReadFile(filepath.Join(out, "metrics.json"))
	code, _, stderr = call(quickArgs(out, "-set", "seed=2")...)
	if code != 1 || !strings.Contains(stderr, "already holds a run") || !strings.Contains(stderr, "-resume "+out) || !strings.Contains(stderr, "-force") {
		t.Errorf("second run: code %d, %q", code, stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(out, "metrics.json")); string(after) != string(before) {
		t.Error("the refused run changed metrics.json")
	}
	code, second, stderr := call(quickArgs(out, "-set", "seed=2", "-force")...)
	if code != 0 || second == first {
		t.Errorf("-force: code %d, %q (first %q)", code, stderr, first)
	}
}

// TestOfflineLeavesNothing: a run whose data cannot be found fails with
// what to do and creates no run directory.
func TestOfflineLeavesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	cfg := writeConfig(t, "data:\n  dataset: tox21\n  protocol: holdout\n  dir: "+t.TempDir()+"\n  offline: true\n")
	code, _, stderr := call("-config", cfg, "-out", out)
	if code != 1 || !strings.Contains(stderr, "SELUNET_DATA_DIR") {
		t.Errorf("code %d, %q", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("run directory left behind: %v", err)
	}
}

// TestInterruptAndResumeInNewShell: a run started with the data directory
// in SELUNET_DATA_DIR and interrupted says how to continue, and -resume
// in a shell without that variable (and from another working directory)
// reads the same data: it ends with the numbers of an uninterrupted run.
func TestInterruptAndResumeInNewShell(t *testing.T) {
	s, err := htru2.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	// A small HTRU2 file unlike the built-in one: using the wrong data
	// would change the numbers.
	data := t.TempDir()
	os.MkdirAll(filepath.Join(data, "htru2"), 0o755)
	var b strings.Builder
	for i := 0; i < s.N; i += 25 {
		for _, v := range s.Row(i) {
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64) + ",")
		}
		b.WriteString(strconv.Itoa(int(s.Y[i])) + "\n")
	}
	os.WriteFile(filepath.Join(data, "htru2", htru2.File), []byte(b.String()), 0o644)
	t.Setenv("SELUNET_DATA_DIR", data)
	dir := t.TempDir()
	code, want, stderr := call(quickArgs(filepath.Join(dir, "full"))...)
	if code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "run")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl-C before the first training step
	var o, e strings.Builder
	if code := run(ctx, quickArgs(out), &o, &e); code != 1 || !strings.Contains(e.String(), "interrupted: the finished splits") || !strings.Contains(e.String(), "train -resume "+out) {
		t.Fatalf("interrupted run: code %d, %q", code, e.String())
	}
	cfg, _ := os.ReadFile(filepath.Join(out, "config.yaml"))
	if !strings.Contains(string(cfg), "dir: "+data) {
		t.Errorf("config.yaml does not record the data directory %s:\n%s", data, cfg)
	}
	t.Setenv("SELUNET_DATA_DIR", "")
	t.Chdir(t.TempDir())
	code, got, stderr := call("-resume", out, "-q")
	if code != 0 || got != want {
		t.Errorf("resume in a new shell: code %d, got %q want %q (%s)", code, got, want, stderr)
	}
}

// TestUCIUnknownNames: unknown data set names are an error with the
// closest known names, also with -q.
func TestUCIUnknownNames(t *testing.T) {
	data := t.TempDir()
	for _, n := range []string{"abalone", "iris"} {
		os.MkdirAll(filepath.Join(data, "uci121", n), 0o755)
	}
	for _, q := range [][]string{nil, {"-q"}} {
		args := append([]string{"uci", "-config", filepath.Join("..", "..", "configs", "uci.yaml"), "-data-dir", data, "-datasets", "iris,abalon", "-out", t.TempDir()}, q...)
		code, _, stderr := call(args...)
		if code != 1 || !strings.Contains(stderr, `unknown UCI-121 data set "abalon" (closest: abalone`) {
			t.Errorf("%v: code %d, %q", q, code, stderr)
		}
	}
}
