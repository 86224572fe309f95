package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/selunet/selunet/datasets/tabular"
	"github.com/selunet/selunet/experiment"
)

// runUCI runs one config over several UCI-121 data sets (experiment.RunSuite).
func runUCI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train uci", "usage: train uci -config FILE [-datasets all|NAME,...] [-set key=value]... [-out DIR] [-data-dir DIR]\n\n"+
		"Runs the config (data.dataset uci) on each data set into DIR/<name>/ and writes DIR/summary.csv\n"+
		"with the test accuracy next to the paper's SNN accuracy (Table A11, when <data dir>/uci121/\n"+
		experiment.PaperTableFile+" exists). Data sets with missing files are skipped; finished\n"+
		"ones are kept and interrupted ones resumed when the command is run again.\n", stderr)
	var (
		cfgPath = fs.String("config", "", "experiment config (YAML) with data.dataset uci")
		names   = fs.String("datasets", "", "comma-separated UCI-121 data set names, or all (every folder under <data dir>/uci121)")
		out     = fs.String("out", "", "suite directory (default: output.dir of the config)")
		dataDir = fs.String("data-dir", "", "data directory holding uci121/ (default $SELUNET_DATA_DIR)")
		quiet   = fs.Bool("q", false, "print only the final table")
		sets    setFlags
	)
	fs.Var(&sets, "set", "override a config value, e.g. -set train.epochs=5 (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *cfgPath == "" || *names == "" {
		fs.Usage()
		return errUsage
	}
	if *dataDir != "" {
		sets = append(sets, "data.dir="+*dataDir)
	}
	cfg, err := experiment.Load(*cfgPath, sets)
	if err != nil {
		return err
	}
	list := strings.Split(*names, ",")
	if *names == "all" {
		if list, err = tabular.UCINames(cfg.Data.Dir); err != nil {
			return err
		}
	} else if cfg.Data.Dataset == "uci" {
		if err := tabular.CheckUCINames(cfg.Data.Dir, list); err != nil {
			return err
		}
	}
	dir := *out
	if dir == "" {
		dir = cfg.Output.Dir
	}
	log := stdout
	if *quiet {
		log = io.Discard
	}
	entries, err := experiment.RunSuite(ctx, cfg, list, dir, log)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted: the finished data sets and the running one's progress are saved in %s; run the same command again to continue", dir)
	}
	if err != nil {
		return err
	}
	if *quiet {
		for _, e := range entries {
			if e.Skipped == "" {
				fmt.Fprintf(stdout, "%s: test accuracy %.4f\n", e.Dataset, e.Accuracy)
			}
		}
	}
	return nil
}
