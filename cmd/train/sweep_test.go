package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets/datatest"
)

// TestMain lets the test binary act as the train command: the sweep's
// worker processes (and Slurm jobs) run os.Executable(), which in a test
// is this binary.
func TestMain(m *testing.M) {
	if os.Getenv(asTrain) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// asTrain set to 1 makes the test binary run as train.
const asTrain = "SELUNET_TEST_AS_TRAIN"

// sweepConfig writes a small UCI config with a 2-point grid over data
// sets in dataDir.
func sweepConfig(t *testing.T, dataDir string, epochs string) string {
	t.Helper()
	return writeConfig(t, `name: s
data:
  dataset: uci
  dir: `+dataDir+`
  uci: {name: iris}
  protocol: holdout
  val_fraction: 0.15
model: {layers: 2, units: 8, dropout: 0}
optimizer: {lr: 0.05}
train: {epochs: `+epochs+`, batch_size: 32, metric: val_accuracy, smoothing: 1}
output: {plots: false}
grid:
  model.layers: [2, 1]
`)
}

// TestSweepLocal runs the sweep and collect subcommands on two synthetic
// data sets with two worker processes, then again (nothing to run).
func TestSweepLocal(t *testing.T) {
	t.Setenv(asTrain, "1")
	data := t.TempDir()
	datatest.WriteUCI(t, data, "toy", 120, 0, 1)
	datatest.WriteUCI(t, data, "two", 100, 40, 2)
	cfg := sweepConfig(t, data, "3")
	out := filepath.Join(t.TempDir(), "sw")
	code, stdout, stderr := call("sweep", "-config", cfg, "-datasets", "toy,two", "-out", out, "-runner", "local", "-workers", "2")
	if code != 0 {
		t.Fatalf("code %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"2 data set(s) × 2 grid point(s) = 4 tasks", "[4/4]", "4 tasks: 4 done", "summary.csv"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	first, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = call("sweep", "-out", out, "-runner", "local")
	if code != 0 || !strings.Contains(stdout, "0 of 4 tasks to run") {
		t.Errorf("second run: code %d\n%s", code, stdout)
	}
	code, stdout, _ = call("collect", out)
	again, _ := os.ReadFile(filepath.Join(out, "summary.csv"))
	if code != 0 || string(again) != string(first) || !strings.Contains(stdout, "toy") {
		t.Errorf("collect: code %d, summary changed:\n%s\n%s", code, first, again)
	}
}

// TestSweepErrors: usage, config and data set errors come before anything
// runs or is submitted; a missing sbatch names what to install.
func TestSweepErrors(t *testing.T) {
	data := t.TempDir()
	datatest.WriteUCI(t, data, "toy", 120, 0, 1)
	cfg := sweepConfig(t, data, "2")
	bad := writeConfig(t, "grid:\n  model.layers: [2, x]\n")
	out := filepath.Join(t.TempDir(), "sw")
	noPath := t.TempDir()
	cases := []struct {
		env  string
		args []string
		code int
		want string
	}{
		{"", []string{"sweep"}, 2, "usage: train sweep"},
		{"", []string{"sweep", "-config", cfg, "-out", out, "-runner", "pbs"}, 2, `-runner "pbs"`},
		{"", []string{"sweep", "-out", out}, 1, "holds no sweep"},
		{"", []string{"sweep", "-config", bad, "-out", out}, 1, "model.layers"},
		{"", []string{"sweep", "-config", cfg, "-datasets", "toy,nope", "-out", out}, 1, "data set nope"},
		{"", []string{"sweep", "-out", out, "-datasets", "toy"}, 1, "need -config"},
		{noPath, []string{"sweep", "-config", cfg, "-datasets", "toy", "-out", out, "-runner", "slurm"}, 1, "apt-get install slurm-client"},
		{"", []string{"collect"}, 2, "usage: train collect"},
		{"", []string{"collect", t.TempDir()}, 1, "plan.json"},
		{"", []string{"sweep", "work", out}, 2, "usage: train sweep work"},
	}
	for i, c := range cases {
		if c.env != "" {
			t.Setenv("PATH", c.env)
		}
		code, _, stderr := call(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%d: %v: got code %d, stderr %q; want code %d and %q", i, c.args, code, stderr, c.code, c.want)
		}
	}
	// None of them planned, ran or submitted anything.
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s written: %v", out, err)
	}
}

// TestSweepSlurmDryRun writes the Slurm scripts and prints the sbatch
// commands without submitting.
func TestSweepSlurmDryRun(t *testing.T) {
	data := t.TempDir()
	datatest.WriteUCI(t, data, "toy", 120, 0, 1)
	out := filepath.Join(t.TempDir(), "sw")
	code, stdout, stderr := call("sweep", "-config", sweepConfig(t, data, "2"), "-datasets", "toy", "-out", out, "-runner", "slurm", "-dry-run", "-sbatch", "--time=5 --mem=1G")
	if code != 0 {
		t.Fatalf("code %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "dry run: sbatch --parsable --array=0-1%64 --time=5 --mem=1G "+out) {
		t.Errorf("output:\n%s", stdout)
	}
	for _, f := range []string{"sweep.sbatch", "collect.sbatch", "bin/train", "plan.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}
