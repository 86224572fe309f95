package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/selunet/selunet/sweep"
)

// runCollect collects a sweep into its summary.csv, points.csv and
// report.md.
func runCollect(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train collect", "usage: train collect DIR\n\n"+
		"Collects the sweep in DIR (train sweep): DIR/summary.csv (one row per data set: the point its\n"+
		"validation chose, the validation metric, test_accuracy, test_auc, the paper's SNN accuracy),\n"+
		"DIR/points.csv (every task with its status) and DIR/report.md (with what is not done and why).\n", stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	dir := fs.Arg(0)
	s, err := sweep.Collect(dir)
	if err != nil {
		return err
	}
	s.Print(stdout)
	fmt.Fprintf(stdout, "wrote %s, %s, %s\n", filepath.Join(dir, "summary.csv"), filepath.Join(dir, "points.csv"), filepath.Join(dir, "report.md"))
	return nil
}

// runSweepCmd dispatches the sweep and collect subcommands.
func runSweepCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if args[0] == "collect" {
		return runCollect(args[1:], stdout, stderr)
	}
	return runSweep(ctx, args[1:], stdout, stderr)
}
