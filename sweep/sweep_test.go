package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets/datatest"
	"github.com/selunet/selunet/experiment"
	"github.com/selunet/selunet/internal/csvtest"
	"github.com/selunet/selunet/train"
)

// TestMain lets the test binary act as a sweep worker process (the
// Local.Command tests start it with workerEnv set).
func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		p, err := Open(os.Args[1])
		if err == nil {
			var ts []Task
			if ts, err = ParseIDs(p, os.Args[2:]); err == nil {
				err = RunTask(context.Background(), os.Args[1], ts[0], os.Stdout)
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const workerEnv = "SWEEP_TEST_WORKER"

// fixture writes two synthetic UCI-121 data sets (one single-file, one
// with a test file) and returns the data directory and a small config
// with a 4-point grid on it.
func fixture(t *testing.T) (string, experiment.Config) {
	t.Helper()
	dir := t.TempDir()
	datatest.WriteUCI(t, dir, "toy", 200, 0, 1)
	datatest.WriteUCI(t, dir, "two", 150, 60, 2)
	table := "dataset,N,M,SNN\ntoy,200,5,0.9000\ntwo,210,5,NA\n"
	if err := os.WriteFile(filepath.Join(dir, "uci121", experiment.PaperTableFile), []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := experiment.Default()
	cfg.Data.Dataset, cfg.Data.Dir, cfg.Data.Protocol, cfg.Data.ValFraction = "uci", dir, "holdout", 0.15
	cfg.Data.UCI.Name = "toy"
	cfg.Model.Layers, cfg.Model.Units, cfg.Model.Dropout = 2, 8, 0
	cfg.Train.Epochs, cfg.Train.Metric, cfg.Train.Smoothing, cfg.Train.Patience, cfg.Train.BatchSize = 4, "val_accuracy", 1, 10, 32
	cfg.Output.Plots = false
	cfg.Grid = experiment.Grid{"model.layers": {2, 1}, "optimizer.lr": {0.01, 0.3}}
	return dir, cfg
}

// planned plans cfg over names into a new sweep directory.
func planned(t *testing.T, cfg experiment.Config, names ...string) (string, *Plan) {
	t.Helper()
	p, rc, err := NewPlan(context.Background(), cfg, names)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Write(dir, p, rc); err != nil {
		t.Fatal(err)
	}
	return dir, p
}

// reference is what `train -config` gives: Run on the whole grid.
func reference(t *testing.T, cfg experiment.Config, name string) *experiment.Result {
	t.Helper()
	cfg.Data.UCI.Name = name
	res, err := experiment.Run(context.Background(), cfg, experiment.Options{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameNumbers fails unless got has the numbers and choices of want
// (compared through %v, exact for float64 and true for NaN = NaN).
func sameNumbers(t *testing.T, name string, got, want *experiment.Result) {
	t.Helper()
	if got.TestAccuracy != want.TestAccuracy || got.TestAUC != want.TestAUC || fmt.Sprint(got.TaskAUC) != fmt.Sprint(want.TaskAUC) {
		t.Errorf("%s: sweep gives accuracy %v, AUC %v, task AUCs %v; the grid run %v, %v, %v", name, got.TestAccuracy, got.TestAUC, got.TaskAUC, want.TestAccuracy, want.TestAUC, want.TaskAUC)
	}
	for k := range want.Folds {
		g, w := got.Folds[k], want.Folds[k]
		if !reflect.DeepEqual(g.Settings, w.Settings) || g.Val != w.Val || fmt.Sprint(g.Grid) != fmt.Sprint(w.Grid) || g.BestEpoch != w.BestEpoch {
			t.Errorf("%s split %d: sweep chose %v (val %v, grid %v), the grid run %v (val %v, grid %v)", name, k, g.Settings, g.Val, g.Grid, w.Settings, w.Val, w.Grid)
		}
	}
}

// TestSweepMatchesGrid runs a sweep locally and checks each data set's
// selection and numbers against Run on the config with its grid.
func TestSweepMatchesGrid(t *testing.T) {
	_, cfg := fixture(t)
	dir, p := planned(t, cfg, "toy", "two")
	if len(p.Tasks) != 8 || len(p.Points) != 4 {
		t.Fatalf("planned %d tasks, %d points; want 8, 4", len(p.Tasks), len(p.Points))
	}
	n, err := Local{Workers: 2}.Run(context.Background(), dir, p)
	if err != nil || n != 8 {
		t.Fatalf("ran %d tasks: %v", n, err)
	}
	s, err := Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"toy", "two"} {
		r := s.Rows[i]
		if r.Dataset != name || r.Status != "done" {
			t.Fatalf("row %d: %+v", i, r)
		}
		sameNumbers(t, name, r.Result, reference(t, cfg, name))
	}
	if s.Rows[0].Paper != 0.9 || !math.IsNaN(s.Rows[1].Paper) {
		t.Errorf("paper values %v, %v; want 0.9, NaN", s.Rows[0].Paper, s.Rows[1].Paper)
	}
	rows := csvtest.ReadFile(t, filepath.Join(dir, "summary.csv"))
	if len(rows) != 3 || rows[1][0] != "toy" || rows[1][4] != strconv.FormatFloat(s.Rows[0].TestAccuracy, 'g', -1, 64) || rows[1][6] != "0.9" {
		t.Errorf("summary.csv: %v", rows)
	}
	if pts := csvtest.ReadFile(t, filepath.Join(dir, "points.csv")); len(pts) != 9 || pts[1][4] != "done" {
		t.Errorf("points.csv: %v", pts)
	}
	// Run again: nothing left to do.
	if n, err := (Local{Workers: 1}).Run(context.Background(), dir, p); n != 0 || err != nil {
		t.Errorf("second run ran %d tasks (%v); want 0", n, err)
	}
}

// cancelAt cancels a context after a given epoch.
type cancelAt struct {
	train.NopHook
	epoch  int
	cancel context.CancelFunc
}

func (c cancelAt) EpochEnd(_ *train.Trainer, r train.Record) error {
	if r.Epoch >= c.epoch {
		c.cancel()
	}
	return nil
}

// TestPartialAndResume collects a sweep with one task never run, one
// interrupted and one failed, then finishes it with worker processes:
// only the unfinished tasks run, the interrupted one resumes, and the
// result equals the grid run's.
func TestPartialAndResume(t *testing.T) {
	dataDir, cfg := fixture(t)
	dir, p := planned(t, cfg, "toy", "two")
	ctx := context.Background()
	for _, task := range p.Tasks[:5] {
		if err := RunTask(ctx, dir, task, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Task 5 is interrupted after 2 epochs, as a killed worker leaves it.
	td := filepath.Join(dir, p.Tasks[5].Dir)
	if err := prepare(dir, p.Tasks[5]); err != nil {
		t.Fatal(err)
	}
	if err := writeState(td, State{Status: Running, Attempts: 1}); err != nil {
		t.Fatal(err)
	}
	tc, err := experiment.Load(filepath.Join(td, ConfigFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	_, err = experiment.Run(cctx, tc, experiment.Options{Out: td, Resume: true, Hooks: []train.Hook{cancelAt{epoch: 2, cancel: cancel}}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	// Task 6 fails: its data set's file is gone.
	data := filepath.Join(dataDir, "uci121", "two", "two_test_R.dat")
	b, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(data); err != nil {
		t.Fatal(err)
	}
	if err := RunTask(ctx, dir, p.Tasks[6], nil); err == nil {
		t.Fatal("task 6 ran without its data file")
	}
	s, err := Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Rows[0].Status != "done" || s.Rows[1].Status != "incomplete" || !strings.Contains(s.Rows[1].Reason, "3 of 4 points unfinished") {
		t.Errorf("rows: %+v\n%+v", s.Rows[0], s.Rows[1])
	}
	c := s.Counts()
	if c[Done] != 5 || c[Running] != 1 || c[Failed] != 1 || c[Pending] != 1 {
		t.Errorf("counts %v; want 5 done, 1 running, 1 failed, 1 pending", c)
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"task 5, " + p.Tasks[5].Dir + ": running", "task 6, " + p.Tasks[6].Dir + ": failed: ", "two_test_R.dat", "task 7, " + p.Tasks[7].Dir + ": pending: not run yet", "data set two: incomplete"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	if err := os.WriteFile(data, b, 0o644); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	l := Local{Workers: 2, Command: func(ctx context.Context, dir string, t Task) *exec.Cmd {
		cmd := exec.CommandContext(ctx, exe, dir, strconv.Itoa(t.ID))
		cmd.Env = append(os.Environ(), workerEnv+"=1")
		return cmd
	}}
	if n, err := l.Run(ctx, dir, p); n != 3 || err != nil {
		t.Fatalf("ran %d tasks (%v); want the 3 unfinished", n, err)
	}
	log, err := os.ReadFile(filepath.Join(td, LogFile))
	if err != nil || !strings.Contains(string(log), "resumed from") {
		t.Errorf("task 5 did not resume (%v):\n%s", err, log)
	}
	if s, err = Collect(dir); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"toy", "two"} {
		sameNumbers(t, name, s.Rows[i].Result, reference(t, cfg, name))
	}
}

// TestDivergedAndFailedWorker: a diverging point is recorded and left out
// of the selection, and a worker that dies is recorded as failed with its
// exit status.
func TestDivergedAndFailedWorker(t *testing.T) {
	_, cfg := fixture(t)
	cfg.Grid = experiment.Grid{"optimizer.lr": {0.05, 1e30}}
	dir, p := planned(t, cfg, "toy")
	if _, err := (Local{Workers: 1}).Run(context.Background(), dir, p); err != nil {
		t.Fatal(err)
	}
	s, err := Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Tasks[1].Status != Diverged || !strings.Contains(s.Tasks[1].Reason, "diverged") {
		t.Fatalf("task 1: %+v", s.Tasks[1].State)
	}
	if s.Rows[0].Status != "done" || s.Rows[0].Chosen != "optimizer.lr=0.05" || len(s.Rows[0].Dirs) != 1 || s.Rows[0].Dirs[0] != p.Tasks[0].Dir {
		t.Errorf("row: %+v", s.Rows[0])
	}
	sameNumbers(t, "toy", s.Rows[0].Result, reference(t, cfg, "toy"))

	// Every point diverges: the data set fails with the reason.
	cfg.Grid = experiment.Grid{"optimizer.lr": {1e30, 1e31}}
	dir, p = planned(t, cfg, "toy")
	if _, err := (Local{Workers: 1}).Run(context.Background(), dir, p); err != nil {
		t.Fatal(err)
	}
	if s, err = Collect(dir); err != nil {
		t.Fatal(err)
	}
	if s.Rows[0].Status != "failed" || !strings.Contains(s.Rows[0].Reason, "every grid point diverged") {
		t.Errorf("row: %+v", s.Rows[0])
	}

	// A worker that exits without recording anything.
	dir, p = planned(t, cfg, "toy")
	l := Local{Workers: 1, Command: func(ctx context.Context, dir string, t Task) *exec.Cmd {
		return exec.CommandContext(ctx, "sh", "-c", "exit 3")
	}}
	_, err = l.Run(context.Background(), dir, p)
	if err == nil || !strings.Contains(err.Error(), "2 of 2 tasks failed") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("got %v; want both tasks failed with exit status 3", err)
	}
	if st, _ := ReadState(dir, p.Tasks[0]); st.Status != Failed {
		t.Errorf("state %+v; want failed", st.State)
	}
}

// TestPlanErrors: config and data set errors are found when planning.
func TestPlanErrors(t *testing.T) {
	dataDir, cfg := fixture(t)
	datatest.WriteUCI(t, dataDir, "gone", 50, 0, 3)
	if err := os.Remove(filepath.Join(dataDir, "uci121", "gone", "gone_R.dat")); err != nil {
		t.Fatal(err)
	}
	htru := experiment.Default() // HTRU2 is built in
	tox := experiment.Default()
	tox.Data.Dataset, tox.Data.Dir, tox.Data.Offline = "tox21", t.TempDir(), true
	cases := []struct {
		cfg   experiment.Config
		names []string
		want  string
	}{
		{cfg, []string{"toy", "gone"}, "data set gone: "},
		{cfg, []string{"toy", "nope"}, `-datasets: tabular: unknown UCI-121 data set "nope" (closest: `},
		{cfg, []string{"toy", "toy"}, "toy is listed twice"},
		{cfg, []string{"../toy"}, "not a data set name"},
		{htru, []string{"iris"}, "is one data set"},
		{tox, nil, "tox21"}, // offline, no files
	}
	for i, c := range cases {
		_, _, err := NewPlan(context.Background(), c.cfg, c.names)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d: got %v, want %q", i, err, c.want)
		}
	}
	// all skips the data set whose file is missing, with the reason.
	p, _, err := NewPlan(context.Background(), cfg, []string{"all"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Datasets, []string{"toy", "two"}) || len(p.Skipped) != 1 || !strings.Contains(p.Skipped[0].Reason, "gone_R.dat") {
		t.Errorf("all: data sets %v, skipped %v", p.Datasets, p.Skipped)
	}
	// A directory holding another plan is not overwritten.
	dir, _ := planned(t, cfg, "toy")
	p2, rc, err := NewPlan(context.Background(), cfg, []string{"two"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, p2, rc); err == nil || !strings.Contains(err.Error(), "already holds another sweep") {
		t.Errorf("got %v", err)
	}
	p3, rc, err := NewPlan(context.Background(), cfg, []string{"toy"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, p3, rc); err != nil {
		t.Errorf("the same plan again: %v", err)
	}
}

func TestPointName(t *testing.T) {
	for _, c := range []struct {
		i    int
		sets []string
		want string
	}{
		{0, nil, "p001"},
		{11, []string{"model.layers=8", "optimizer.lr=0.1"}, "p012-model.layers=8,optimizer.lr=0.1"},
		{2, []string{"data.csv.path=/a b/c"}, "p003-data.csv.path=_a_b_c"},
		{0, []string{strings.Repeat("x", 300)}, "p001-" + strings.Repeat("x", 195)},
	} {
		if got := pointName(c.i, c.sets); got != c.want {
			t.Errorf("pointName(%d, %v) = %q, want %q", c.i, c.sets, got, c.want)
		}
	}
}

func TestLayout(t *testing.T) {
	ids := []int{0, 1, 2, 3, 4, 5, 6}
	for _, c := range []struct {
		perJob, maxArray int
		want             [][][]int
	}{
		{1, 1001, [][][]int{{{0}, {1}, {2}, {3}, {4}, {5}, {6}}}},
		{3, 1001, [][][]int{{{0, 1, 2}, {3, 4, 5}, {6}}}},
		{1, 3, [][][]int{{{0}, {1}, {2}}, {{3}, {4}, {5}}, {{6}}}},
		{2, 2, [][][]int{{{0, 1}, {2, 3}}, {{4, 5}, {6}}}},
	} {
		if got := layout(ids, c.perJob, c.maxArray); !reflect.DeepEqual(got, c.want) {
			t.Errorf("layout(%d per job, max %d) = %v, want %v", c.perJob, c.maxArray, got, c.want)
		}
	}
}

func TestParseMaxArraySize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		err  bool
	}{
		{"MaxArraySize            = 1001\nMaxJobCount = 10000\n", 1001, false},
		{"AccountingStorageType = accounting_storage/none\nMaxArraySize = 40\n", 40, false},
		{"MaxJobCount = 10000\n", 1001, false},
		{"MaxArraySize = lots\n", 0, true},
	} {
		got, err := parseMaxArraySize([]byte(c.in))
		if got != c.want || (err != nil) != c.err {
			t.Errorf("%q: got %d, %v; want %d, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

// TestSubmitDryRun writes the scripts and batch files without submitting.
func TestSubmitDryRun(t *testing.T) {
	_, cfg := fixture(t)
	dir, p := planned(t, cfg, "toy", "two")
	var log strings.Builder
	sub, err := Slurm{Exe: "/opt/train", TasksPerJob: 3, Cap: 2, Args: []string{"--time=10"}, DryRun: true, Log: &log}.Submit(context.Background(), dir, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Arrays) != 1 || !reflect.DeepEqual(sub.Arrays[0].Tasks, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Fatalf("submission %+v", sub)
	}
	b, err := os.ReadFile(filepath.Join(dir, sub.Arrays[0].Batch))
	if err != nil || string(b) != "0 1 2\n3 4 5\n6 7\n" {
		t.Errorf("batch file %q (%v)", b, err)
	}
	if !strings.Contains(log.String(), "sbatch --parsable --array=0-2%2 --time=10 ") || !strings.Contains(log.String(), "--dependency=afterany:") {
		t.Errorf("log:\n%s", log.String())
	}
	script, err := os.ReadFile(filepath.Join(dir, SbatchFile))
	if err != nil || !strings.Contains(string(script), `exec '/opt/train' sweep work -batch "$1" -element "$SLURM_ARRAY_TASK_ID"`) {
		t.Errorf("script (%v):\n%s", err, script)
	}
	if _, err := os.Stat(filepath.Join(dir, JobsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dry run recorded jobs: %v", err)
	}
	tasks, err := ElementTasks(p, filepath.Join(dir, sub.Arrays[0].Batch), 2)
	if err != nil || len(tasks) != 2 || tasks[1].ID != 7 {
		t.Errorf("element 2: %v, %v", tasks, err)
	}
	if _, err := ElementTasks(p, filepath.Join(dir, sub.Arrays[0].Batch), 3); err == nil {
		t.Error("element 3 of 3 lines: no error")
	}
}

// TestNoSbatch: without sbatch on the PATH the error names what to
// install.
func TestNoSbatch(t *testing.T) {
	_, cfg := fixture(t)
	dir, p := planned(t, cfg, "toy")
	t.Setenv("PATH", t.TempDir())
	_, err := Slurm{Exe: "/opt/train", TasksPerJob: 1}.Submit(context.Background(), dir, p)
	if !errors.Is(err, ErrNoSbatch) || !strings.Contains(err.Error(), "apt-get install slurm-client") {
		t.Errorf("got %v", err)
	}
}

// TestSweepCrossValidation sweeps a config that is not UCI-121 (HTRU2,
// built in, 2 of its 10 nested-CV folds): the one data set is the
// config's own, and every fold's selection equals the grid run's.
func TestSweepCrossValidation(t *testing.T) {
	cfg := experiment.Default()
	cfg.Data.RunFolds = 2
	cfg.Model.Layers, cfg.Model.Units, cfg.Model.Dropout = 2, 8, 0
	cfg.Train.Epochs, cfg.Train.Smoothing, cfg.Train.BatchSize = 2, 1, 256
	cfg.Output.Plots = false
	cfg.Grid = experiment.Grid{"optimizer.lr": {0.01, 0.1}, "model.layers": {1, 2}}
	dir, p := planned(t, cfg)
	if !reflect.DeepEqual(p.Datasets, []string{"htru2"}) || len(p.Tasks) != 4 {
		t.Fatalf("plan: %v, %d tasks", p.Datasets, len(p.Tasks))
	}
	if _, err := (Local{Workers: 2}).Run(context.Background(), dir, p); err != nil {
		t.Fatal(err)
	}
	s, err := Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := experiment.Run(context.Background(), cfg, experiment.Options{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 2 {
		t.Fatalf("%d folds", len(res.Folds))
	}
	sameNumbers(t, "htru2", s.Rows[0].Result, res)
	if !math.IsNaN(s.Rows[0].Paper) {
		t.Errorf("paper value %v for htru2", s.Rows[0].Paper)
	}
}

// TestLock: a second runner on a sweep directory is refused while the
// first holds it.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if _, err := Lock(dir); err == nil || !strings.Contains(err.Error(), "in use by another train sweep (pid "+strconv.Itoa(os.Getpid())+")") {
			t.Errorf("second lock: %v", err)
		}
	}
	unlock()
	unlock, err = Lock(dir)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	unlock()
}

// csvFixture returns a 3-fold cross-validation config on
// experiment/testdata/cv-diverge.csv (90 rows, 4 features, a binary label).
func csvFixture(t *testing.T) experiment.Config {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "experiment", "testdata", "cv-diverge.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := experiment.Default()
	cfg.Data.Dataset, cfg.Data.CSV.Path, cfg.Data.Folds = "csv", path, 3
	cfg.Data.CSV.Labels = []string{"y"}
	cfg.Model.Layers, cfg.Model.Units, cfg.Model.Dropout = 2, 8, 0
	cfg.Train.Epochs, cfg.Train.Smoothing, cfg.Train.BatchSize = 3, 1, 16
	cfg.Output.Plots = false
	return cfg
}

// TestDivergedOnSomeFolds: a point whose training diverges on some folds
// only (lr 1e4 on csvFixture: fold 1 trains, folds 2 and 3 diverge) is
// left out of those folds' selection only, exactly as in Run on the whole
// grid, fold by fold; and a fold where every point diverged fails the data
// set with the grid run's error.
func TestDivergedOnSomeFolds(t *testing.T) {
	cfg := csvFixture(t)
	cfg.Grid = experiment.Grid{"optimizer.lr": {1e4, 0.01}}
	dir, p := planned(t, cfg)
	if _, err := (Local{Workers: 1}).Run(context.Background(), dir, p); err != nil {
		t.Fatal(err)
	}
	s, err := Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := s.Tasks[0]
	if t0.Status != Done || !reflect.DeepEqual(t0.DivergedSplits(), []string{"fold 2", "fold 3"}) || !strings.Contains(t0.Reason, "fold 2: ") || !strings.Contains(t0.Reason, "loss diverged") {
		t.Fatalf("task 0 (lr 1e4): status %s, diverged splits %v, reason %q; want done, diverged on fold 2 and fold 3 only", t0.Status, t0.DivergedSplits(), t0.Reason)
	}
	if len(s.Tasks[1].DivergedSplits()) != 0 || s.Tasks[1].Status != Done {
		t.Fatalf("task 1 (lr 0.01): %+v", s.Tasks[1].State)
	}
	want, err := experiment.Run(context.Background(), cfg, experiment.Options{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if s.Rows[0].Status != "done" || len(s.Rows[0].Result.Folds) != 3 {
		t.Fatalf("row: %+v", s.Rows[0])
	}
	sameNumbers(t, "csv", s.Rows[0].Result, want)
	pts := csvtest.ReadFile(t, filepath.Join(dir, "points.csv"))
	if pts[0][5] != "diverged_splits" || pts[1][4] != "done" || pts[1][5] != "fold 2; fold 3" || pts[2][5] != "" {
		t.Errorf("points.csv: %v", pts)
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil || !strings.Contains(string(report), "1 of them with diverged splits") || !strings.Contains(string(report), "diverged on fold 2: ") {
		t.Errorf("report.md (%v):\n%s", err, report)
	}

	// Folds 2 and 3 have no point that trains: the grid run fails there,
	// and so does the sweep's data set, with the same error.
	cfg.Grid = experiment.Grid{"optimizer.lr": {1e4, 1e5}}
	dir, p = planned(t, cfg)
	if _, err := (Local{Workers: 1}).Run(context.Background(), dir, p); err != nil {
		t.Fatal(err)
	}
	if s, err = Collect(dir); err != nil {
		t.Fatal(err)
	}
	_, werr := experiment.Run(context.Background(), cfg, experiment.Options{Out: t.TempDir()})
	if werr == nil || s.Rows[0].Status != "failed" || s.Rows[0].Reason != werr.Error() {
		t.Errorf("sweep: %s, %q; the grid run: %v", s.Rows[0].Status, s.Rows[0].Reason, werr)
	}
	if s.Tasks[1].Status != Diverged {
		t.Errorf("task 1 (lr 1e5, diverges on every fold): %+v", s.Tasks[1].State)
	}
}

// TestSlurmToolError: when scontrol fails (no controller reachable), the
// error carries what scontrol wrote on stderr, not only its exit status.
func TestSlurmToolError(t *testing.T) {
	_, cfg := fixture(t)
	dir, p := planned(t, cfg, "toy")
	bin := t.TempDir()
	for name, script := range map[string]string{
		"sbatch":   "#!/bin/sh\nexit 0\n",
		"scontrol": "#!/bin/sh\necho 'scontrol: error: fetch_config: DNS SRV lookup failed' >&2\nexit 1\n",
	} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	_, err := Slurm{Exe: "/opt/train", TasksPerJob: 1}.Submit(context.Background(), dir, p)
	if err == nil || !strings.Contains(err.Error(), "scontrol show config: exit status 1: scontrol: error: fetch_config: DNS SRV lookup failed") {
		t.Errorf("got %v", err)
	}
}
