package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/selunet/selunet/selfnorm"
)

// runSelfnorm pushes N(0,1) samples through a deep SELU network and prints
// every layer's activation mean and variance.
func runSelfnorm(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train selfnorm", "usage: train selfnorm [flags]\n\nPushes N(0,1) samples through a bias-free SELU network with LeCun-normal\nweights and prints each layer's activation mean and variance.\n", stderr)
	// The defaults are the PyTorch reference's (refbench/RESULTS.md):
	// 10,000 samples through 64 layers of width 1024.
	cfg := selfnorm.Config{Depth: 64, Width: 1024, Samples: 10000, Seed: 1, Dtype: "float32"}
	fs.IntVar(&cfg.Depth, "depth", cfg.Depth, "number of SELU layers")
	fs.IntVar(&cfg.Width, "width", cfg.Width, "units per layer")
	fs.IntVar(&cfg.Samples, "samples", cfg.Samples, "number of N(0,1) input rows")
	fs.Float64Var(&cfg.Dropout, "dropout", cfg.Dropout, "alpha dropout rate after every layer (training mode)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := parse(fs, args); err != nil {
		return err
	}
	stats, err := selfnorm.Run(cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, struct {
			Config selfnorm.Config      `json:"config"`
			Layers []selfnorm.LayerStat `json:"layers"`
		}{cfg, stats})
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "layer\tmean\tvariance\t\n")
	for _, s := range stats {
		fmt.Fprintf(tw, "%d\t%+.6f\t%.6f\t\n", s.Layer, s.Mean, s.Variance)
	}
	return tw.Flush()
}
