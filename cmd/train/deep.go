package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/selunet/selunet/experiment"
)

// runDeep trains a deep SNN and same-depth baselines on one synthetic
// problem and prints their training curves (the paper's central claim).
func runDeep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train deep", "usage: train deep [flags]\n\nTrains each architecture at the same depth on one synthetic teacher problem\nwith plain SGD and prints the training loss and validation AUC per epoch.\n", stderr)
	cfg := experiment.DefaultDeepConfig()
	archs := fs.String("archs", strings.Join(cfg.Archs, ","), "comma-separated architectures to compare (snn, msra, batchnorm, layernorm, weightnorm, resnet, highway)")
	fs.IntVar(&cfg.Depth, "depth", cfg.Depth, "hidden layers")
	fs.IntVar(&cfg.Width, "width", cfg.Width, "units per hidden layer")
	fs.IntVar(&cfg.Rows, "rows", cfg.Rows, "training rows of the synthetic teacher problem")
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "epochs")
	fs.Float64Var(&cfg.LR, "lr", cfg.LR, "SGD learning rate")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	asJSON := fs.Bool("json", false, "print the curves as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg.Archs = strings.Split(*archs, ",")
	res, err := experiment.Deep(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, struct {
			Config  experiment.DeepConfig   `json:"config"`
			Results []experiment.DeepResult `json:"results"`
		}{cfg, res})
	}
	fmt.Fprintf(stdout, "depth %d, width %d, %d rows, SGD lr %g, %d epochs\n\n", cfg.Depth, cfg.Width, cfg.Rows, cfg.LR, cfg.Epochs)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "epoch\t")
	for _, r := range res {
		fmt.Fprintf(tw, "%s loss\t%s val AUC\t", r.Arch, r.Arch)
	}
	fmt.Fprintf(tw, "\n")
	for e := range cfg.Epochs {
		fmt.Fprintf(tw, "%d\t", e+1)
		for _, r := range res {
			fmt.Fprintf(tw, "%.4f\t%.4f\t", r.TrainLoss[e], r.ValAUC[e])
		}
		fmt.Fprintf(tw, "\n")
	}
	return tw.Flush()
}
