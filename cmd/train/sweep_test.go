package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/selunet/selunet/datasets/datatest"
	"github.com/selunet/selunet/sweep"
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
	code, stdout, stderr := call("sweep", "-config", cfg, "-datasets", "toy,two", "-out", out, "-dry-run")
	if code != 0 || !strings.Contains(stdout, "would run task 3: tasks/two/p002-model.layers=1 (pending)") {
		t.Errorf("dry run: code %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = call("sweep", "-config", cfg, "-datasets", "toy,two", "-out", out, "-runner", "local", "-workers", "2")
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
		{"", []string{"sweep", "-config", cfg, "-datasets", "toy,nope", "-out", out}, 1, `unknown UCI-121 data set "nope" (closest: toy)`},
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

// TestSweepSlurm submits a sweep of 2 UCI-121 data sets × 2 grid points ×
// 2 epochs to the real Slurm that scripts/slurm-local.sh starts (.ci/run
// sets SELUNET_SLURM=1 after starting it), waits for the arrays and the
// collect job, and checks the table equals the local runner's. Then one
// task is made unfinished: the next submission runs only that task, and
// the one after submits nothing.
func TestSweepSlurm(t *testing.T) {
	switch {
	case os.Getenv("SELUNET_SLURM") != "1":
		t.Skip("SELUNET_SLURM not set: start a local Slurm with scripts/slurm-local.sh start (as root) and set SELUNET_SLURM=1 and SLURM_CONF")
	case os.Getuid() != 0:
		t.Skip("not root: the throwaway Slurm of scripts/slurm-local.sh runs its jobs as root")
	}
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Skip("SELUNET_SLURM=1 but no sbatch on the PATH: run scripts/slurm-local.sh start first")
	}
	data := datatest.DataDir(t, "uci121/iris/iris.txt", "uci121/acute-inflammation/acute-inflammation.txt")
	t.Setenv(asTrain, "1") // the jobs run this test binary as train
	cfg := sweepConfig(t, data, "2")
	local := filepath.Join(t.TempDir(), "local")
	code, stdout, stderr := call("sweep", "-config", cfg, "-datasets", "iris,acute-inflammation", "-out", local, "-runner", "local", "-q")
	if code != 0 {
		t.Fatalf("local: code %d\n%s\n%s", code, stdout, stderr)
	}
	want, err := os.ReadFile(filepath.Join(local, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "slurm")
	submit := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := call(append([]string{"sweep", "-out", dir, "-runner", "slurm", "-workers", "4"}, args...)...)
		if code != 0 {
			t.Fatalf("submit: code %d\n%s\n%s", code, stdout, stderr)
		}
		return stdout
	}
	// Held jobs: a second submission is refused while they are queued.
	out := submit("-config", cfg, "-datasets", "iris,acute-inflammation", "-sbatch", "--hold")
	subs, err := sweep.ReadJobs(dir)
	if err != nil || len(subs) != 1 {
		t.Fatalf("jobs.json: %v, %v", subs, err)
	}
	code, _, stderr = call("sweep", "-out", dir, "-runner", "slurm")
	if code != 1 || !strings.Contains(stderr, "still queued or running") {
		t.Errorf("submission beside queued jobs: code %d, %s", code, stderr)
	}
	if b, err := exec.Command("scontrol", append([]string{"release"}, subs[0].JobIDs()...)...).CombinedOutput(); err != nil {
		t.Fatalf("scontrol release: %v: %s", err, b)
	}
	ids := waitJobs(t, dir)
	got, err := os.ReadFile(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatalf("no summary.csv from the collect job (%v)\n%s", err, out)
	}
	if string(got) != string(want) {
		t.Errorf("Slurm table differs from the local one:\n%s\nlocal:\n%s", got, want)
	}
	// Arrays are split at the cluster's MaxArraySize.
	conf, err := exec.Command("scontrol", "show", "config").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^MaxArraySize\s*=\s*(\d+)$`).FindSubmatch(conf)
	if m == nil {
		t.Fatalf("scontrol show config lists no MaxArraySize:\n%s", conf)
	}
	maxArray, _ := strconv.Atoi(string(m[1]))
	if n := len(subs[0].Arrays); n != (4+maxArray-1)/maxArray {
		t.Errorf("4 tasks with MaxArraySize %d in %d arrays", maxArray, n)
	}
	t.Logf("jobs %v\n%s", ids, out)

	// Make task 2 unfinished, as a failed or preempted one is.
	p, err := sweep.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	td := filepath.Join(dir, p.Tasks[2].Dir)
	if err := os.Remove(filepath.Join(td, "metrics.json")); err != nil {
		t.Fatal(err)
	}
	out = submit()
	if !strings.Contains(out, "1 tasks in 1 elements") {
		t.Errorf("resubmission:\n%s", out)
	}
	waitJobs(t, dir)
	if got, err = os.ReadFile(filepath.Join(dir, "summary.csv")); err != nil || string(got) != string(want) {
		t.Errorf("after resubmission (%v):\n%s\nlocal:\n%s", err, got, want)
	}
	pts, err := os.ReadFile(filepath.Join(dir, "points.csv"))
	if err != nil || strings.Count(string(pts), ",done,") != 4 {
		t.Errorf("points.csv (%v):\n%s", err, pts)
	}
	if out = submit(); !strings.Contains(out, "nothing to submit") {
		t.Errorf("third submission:\n%s", out)
	}
}

// waitJobs waits until squeue lists none of the sweep's last submission's
// jobs (at most 5 minutes) and returns their ids.
func waitJobs(t *testing.T, dir string) []string {
	t.Helper()
	subs, err := sweep.ReadJobs(dir)
	if err != nil || len(subs) == 0 {
		t.Fatalf("no jobs recorded in %s: %v", dir, err)
	}
	ids := subs[len(subs)-1].JobIDs()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		out, err := exec.Command("squeue", "-h", "-t", "PD,R,CG,CF,S", "-o", "%F").Output()
		if err != nil {
			t.Fatalf("squeue: %v", err)
		}
		live := false
		for _, f := range strings.Fields(string(out)) {
			live = live || slices.Contains(ids, f)
		}
		if !live {
			return ids
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs %v still queued or running after 5 minutes:\n%s", ids, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
