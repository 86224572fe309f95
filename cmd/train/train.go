package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/selunet/selunet/experiment"
)

// runTrain is the default command: run one experiment.
func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train", "usage: train -config FILE [-set key=value]... [-out DIR] [-data-dir DIR] [-device cpu|cuda] [-force] [-print-config] [-q]\n       train -resume DIR [-data-dir DIR] [-q]\n       train predict -h     (probabilities for new rows from a run's models)\n       train export -h      (a model in the safetensors layout)\n       train uci -h         (one config over many UCI-121 data sets)\n       train sweep -h       (grid × data sets as tasks, locally or on Slurm; train collect DIR tabulates)\n       train selfnorm -h\n       train deep -h\n       train gpucheck -h    (the CUDA build's GPU check)\n", stderr)
	var (
		cfgPath = fs.String("config", "", "experiment config (YAML)")
		out     = fs.String("out", "", "run directory (default: output.dir of the config)")
		dataDir = fs.String("data-dir", "", "data directory with local copies of the datasets (default $SELUNET_DATA_DIR, then the download cache)")
		print   = fs.Bool("print-config", false, "print the fully resolved config and exit")
		resume  = fs.String("resume", "", "continue the interrupted run in this directory")
		quiet   = fs.Bool("q", false, "print only the summary")
		device  = fs.String("device", "", "cpu or cuda: overrides the config's device (cuda needs bin/train-cuda, scripts/cuda.sh build)")
		force   = fs.Bool("force", false, "replace the run already in the output directory (default: refuse)")
		sets    setFlags
	)
	fs.Var(&sets, "set", "override a config value, e.g. -set train.epochs=5 (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts := experiment.Options{Out: *out, Log: stdout, Force: *force}
	path := *cfgPath
	switch {
	case *resume != "" && path != "":
		return fmt.Errorf("use either -config or -resume, not both (a resumed run keeps the config saved in its directory)")
	case *resume != "" && len(sets) > 0:
		return fmt.Errorf("-set cannot change a resumed run (it keeps the config saved in %s); use -data-dir to point at moved data", *resume)
	case *resume != "":
		path = filepath.Join(*resume, "config.yaml")
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("-resume %s: no config.yaml there (is it a run directory?)", *resume)
		}
		opts.Out, opts.Resume = *resume, true
	case path == "":
		fs.Usage()
		return errUsage
	}
	if *dataDir != "" {
		sets = append(sets, "data.dir="+*dataDir)
	}
	if *device != "" {
		sets = append(sets, "device="+*device)
	}
	cfg, err := experiment.Load(path, sets)
	if err != nil {
		return err
	}
	if *print {
		// Show the optimizer's effective values, not its "unset = default".
		cfg.Optimizer = cfg.Optimizer.WithDefaults()
		b, err := experiment.Marshal(cfg)
		if err != nil {
			return err
		}
		_, err = stdout.Write(b)
		return err
	}
	if *quiet {
		opts.Log = io.Discard
	}
	res, err := experiment.Run(ctx, cfg, opts)
	if errors.Is(err, context.Canceled) {
		return interrupted(opts.Out, cfg.Output.Dir, cfg.Output.Checkpoint)
	}
	if err != nil {
		return err
	}
	if *quiet {
		fmt.Fprintln(stdout, quietLine(res))
		return nil
	}
	dir := opts.Out
	if dir == "" {
		dir = cfg.Output.Dir
	}
	fmt.Fprintf(stdout, "written to %s (metrics.json, history.csv, plots, models/); predict with: train predict -model %s -data FILE.csv\n", dir, dir)
	return nil
}

// quietLine is the one line that train -q prints: the mean test AUC and,
// when the run has one, the mean test accuracy (top-1 for multi-class data,
// the metric of UCI-121). It starts with "NAME: mean test AUC X" either way,
// for scripts that read it.
func quietLine(res *experiment.Result) string {
	line := fmt.Sprintf("%s: mean test AUC %.4f", res.Name, res.TestAUC)
	if !math.IsNaN(res.TestAccuracy) {
		line += fmt.Sprintf(", accuracy %.4f", res.TestAccuracy)
	}
	return line
}

// interrupted is the message for a run stopped by Ctrl-C: what is saved and
// how to continue.
func interrupted(out, cfgOut string, checkpoints bool) error {
	if out == "" {
		out = cfgOut
	}
	if _, err := os.Stat(filepath.Join(out, "state")); err != nil {
		return fmt.Errorf("interrupted before training started; nothing was saved")
	}
	saved := "the finished splits and the running split's last finished epoch are saved"
	if !checkpoints {
		saved = "the finished splits are saved (output.checkpoint is off, so the running split starts over)"
	}
	return fmt.Errorf("interrupted: %s in %s; continue with: train -resume %s", saved, out, out)
}
