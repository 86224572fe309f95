package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/experiment"
	"github.com/selunet/selunet/sweep"
)

// runSweep plans a sweep and runs it locally or submits it to Slurm.
func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "work" {
		return runSweepWork(ctx, args[1:], stdout, stderr)
	}
	fs := newFlags("train sweep", "usage: train sweep -config FILE [-datasets all|NAME,...] [-set key=value]... -out DIR -runner local|slurm\n"+
		"                   [-workers N] [-tasks-per-job K] [-sbatch \"ARGS\"] [-dry-run] [-data-dir DIR]\n"+
		"       train sweep -out DIR -runner local|slurm ...   (continue the sweep planned in DIR)\n\n"+
		"Plans one task per (data set, grid point), each a run directory DIR/tasks/<dataset>/<point>/, writes\n"+
		"DIR/plan.json, and runs the unfinished tasks: -runner local with N worker processes, then collects\n"+
		"(train collect DIR); -runner slurm submits job arrays (DIR/sweep.sbatch) and a dependent collect job.\n"+
		"Run it again to run or submit only the unfinished tasks. Each data set's point is chosen by the\n"+
		"grid's validation rule, as `train -config` does.\n", stderr)
	var (
		cfgPath  = fs.String("config", "", "experiment config (YAML) with a grid: section")
		names    = fs.String("datasets", "", "UCI-121 data sets (data.dataset uci): NAME,... or all; default the config's data.uci.name")
		out      = fs.String("out", "", "sweep directory (required)")
		runner   = fs.String("runner", "local", "local or slurm")
		workers  = fs.Int("workers", 0, "local: worker processes (default 1); slurm: array elements running at once (default 64)")
		perJob   = fs.Int("tasks-per-job", 1, "slurm: tasks per array element")
		sbatchFl = fs.String("sbatch", "", "slurm: extra sbatch arguments, space-separated, e.g. \"--time=2:00:00 --partition=cpu\"")
		dryRun   = fs.Bool("dry-run", false, "plan and write the scripts, print what would run, run and submit nothing")
		dataDir  = fs.String("data-dir", "", "data directory (default $SELUNET_DATA_DIR)")
		quiet    = fs.Bool("q", false, "print only the final table")
		sets     setFlags
	)
	fs.Var(&sets, "set", "override a config value, e.g. -set train.epochs=5 (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || (*runner != "local" && *runner != "slurm") {
		if *out != "" {
			fmt.Fprintf(stderr, "train sweep: -runner %q: want local or slurm\n", *runner)
		}
		fs.Usage()
		return errUsage
	}
	if *workers < 0 || *perJob < 1 {
		return fmt.Errorf("-workers %d, -tasks-per-job %d: want -workers ≥ 0 and -tasks-per-job ≥ 1", *workers, *perJob)
	}
	if *runner == "slurm" && !*dryRun {
		if _, err := exec.LookPath("sbatch"); err != nil {
			return sweep.ErrNoSbatch
		}
	}
	log := stdout
	if *quiet {
		log = io.Discard
	}
	p, err := plan(ctx, *cfgPath, *names, *dataDir, sets, *out)
	if err != nil {
		return err
	}
	if !*dryRun {
		unlock, err := sweep.Lock(*out)
		if err != nil {
			return err
		}
		defer unlock()
	}
	fmt.Fprintf(log, "%s: %d data set(s) × %d grid point(s) = %d tasks\n", *out, len(p.Datasets), len(p.Points), len(p.Tasks))
	for _, s := range p.Skipped {
		fmt.Fprintf(log, "skipped %s: %s\n", s.Dataset, s.Reason)
	}
	if *runner == "slurm" {
		return submit(ctx, p, *out, *workers, *perJob, *sbatchFl, *dryRun, log)
	}
	if *dryRun {
		states, err := sweep.States(*out, p)
		if err != nil {
			return err
		}
		for _, s := range states {
			if !s.Status.Finished() {
				fmt.Fprintf(stdout, "would run task %d: %s (%s)\n", s.ID, s.Dir, s.Status)
			}
		}
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	l := sweep.Local{Workers: max(1, *workers), Log: log,
		Command: func(ctx context.Context, dir string, t sweep.Task) *exec.Cmd {
			return exec.CommandContext(ctx, exe, "sweep", "work", dir, strconv.Itoa(t.ID))
		}}
	_, runErr := l.Run(ctx, *out, p)
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted; run the same command again to continue: %w", ctx.Err())
	}
	s, err := sweep.Collect(*out)
	if err != nil {
		return errors.Join(runErr, err)
	}
	fmt.Fprintln(stdout)
	s.Print(stdout)
	fmt.Fprintf(stdout, "wrote %s, %s, %s\n", filepath.Join(*out, "summary.csv"), filepath.Join(*out, "points.csv"), filepath.Join(*out, "report.md"))
	return runErr
}

// plan makes (from -config) or reads (without it) the plan of the sweep
// in out.
func plan(ctx context.Context, cfgPath, names, dataDir string, sets []string, out string) (*sweep.Plan, error) {
	if cfgPath == "" {
		if names != "" || len(sets) > 0 || dataDir != "" {
			return nil, errors.New("-datasets, -set and -data-dir need -config (without it the sweep planned in -out is continued)")
		}
		p, err := sweep.Open(out)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s holds no sweep (no %s): give -config to plan one", out, sweep.PlanFile)
		}
		return p, err
	}
	if dataDir != "" {
		sets = append(sets, "data.dir="+dataDir)
	}
	cfg, err := experiment.Load(cfgPath, sets)
	if err != nil {
		return nil, err
	}
	var list []string
	if names != "" {
		list = strings.Split(names, ",")
	}
	p, cfg, err := sweep.NewPlan(ctx, cfg, list)
	if err != nil {
		return nil, err
	}
	p.Source, p.Sets = cfgPath, sets
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	return p, sweep.Write(out, p, cfg)
}

// submit submits the sweep's unfinished tasks to Slurm.
func submit(ctx context.Context, p *sweep.Plan, out string, workers, perJob int, sbatchArgs string, dryRun bool, log io.Writer) error {
	dir, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if !dryRun {
		// Before the binary is replaced: queued jobs would start the new one.
		if err := sweep.Idle(ctx, dir); err != nil {
			return err
		}
	}
	exe, err := installBinary(dir)
	if err != nil {
		return err
	}
	if workers == 0 {
		workers = 64
	}
	s := sweep.Slurm{Exe: exe, TasksPerJob: perJob, Cap: workers, Args: strings.Fields(sbatchArgs), DryRun: dryRun, Log: log}
	sub, err := s.Submit(ctx, dir, p)
	if err != nil {
		return err
	}
	if sub == nil {
		if _, err := sweep.Collect(dir); err != nil {
			return err
		}
		fmt.Fprintf(log, "collected into %s\n", filepath.Join(dir, "summary.csv"))
		return nil
	}
	if !dryRun {
		fmt.Fprintf(log, "job ids: %s (watch with squeue -j %s; results in %s when the collect job has run)\n",
			strings.Join(sub.JobIDs(), " "), strings.Join(sub.JobIDs(), ","), filepath.Join(dir, "summary.csv"))
	}
	return nil
}

// installBinary copies the running train binary to DIR/bin/train (unless
// an identical copy is there), so that jobs run the program that planned
// them even after it is rebuilt or its `go run` copy is deleted.
func installBinary(dir string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		return "", err
	}
	dst := filepath.Join(dir, "bin", "train")
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, b) {
		return dst, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	return dst, checkpoint.WriteFileAtomic(dst, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}, 0o755)
}

// runSweepWork runs tasks of a sweep in this process: the ids given, or
// those of one Slurm array element (-batch FILE -element I).
func runSweepWork(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train sweep work", "usage: train sweep work DIR ID...\n       train sweep work -batch FILE -element I DIR\n\n"+
		"Runs tasks of the sweep in DIR in this process (used by the local runner and the Slurm jobs).\n", stderr)
	batch := fs.String("batch", "", "batch file: line I lists the task ids of array element I")
	element := fs.Int("element", -1, "array element (line of -batch, from 0)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() < 1 || (*batch == "") == (fs.NArg() == 1) {
		fs.Usage()
		return errUsage
	}
	dir := fs.Arg(0)
	p, err := sweep.Open(dir)
	if err != nil {
		return err
	}
	var tasks []sweep.Task
	if *batch != "" {
		tasks, err = sweep.ElementTasks(p, *batch, *element)
	} else {
		tasks, err = sweep.ParseIDs(p, fs.Args()[1:])
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range tasks {
		if err := sweep.RunTask(ctx, dir, t, stdout); err != nil {
			errs = append(errs, fmt.Errorf("task %d (%s): %w", t.ID, t.Dir, err))
			if ctx.Err() != nil {
				break
			}
		}
	}
	return errors.Join(errs...)
}
