package main

import (
	"fmt"
	"io"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/model"
)

// runExport converts one trained model to another file format.
func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train export", "usage: train export -model RUN_DIR|FILE [-fold N] -format safetensors -out FILE [-force]\n\n"+
		"Writes one model in the safetensors layout: a tensor per parameter (\"layer01/W\",\n"+
		"shape (in, out): a layer computes x·W + b), and in the metadata \"selunet\" the\n"+
		"architecture, preprocessing and output names as JSON (model.Info). A run\n"+
		"directory with several splits needs -fold N.\n", stderr)
	var (
		modelPath = fs.String("model", "", "run directory or model file (.model)")
		fold      = fs.Int("fold", 0, "the split whose model to export (1-based), for runs with several")
		format    = fs.String("format", "safetensors", "output format (safetensors)")
		out       = fs.String("out", "", "output file")
		force     = fs.Bool("force", false, "overwrite -out if it exists")
	)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *modelPath == "" || *out == "" {
		fs.Usage()
		return errUsage
	}
	if *format != "safetensors" {
		return fmt.Errorf("-format %q: the only export format is safetensors", *format)
	}
	if err := checkOut(*out, *force); err != nil {
		return err
	}
	p, what, err := loadPredictor(*modelPath, *fold)
	if err != nil {
		return err
	}
	m, ok := p.(*model.Model)
	if !ok {
		return fmt.Errorf("%s holds %d split models; export one with -fold N", *modelPath, len(p.(*model.Ensemble).Models()))
	}
	if err := checkpoint.WriteFileAtomic(*out, m.WriteSafetensors, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%s)\n", *out, what)
	return nil
}
