package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/datasets/tabular"
	"github.com/selunet/selunet/model"
)

// runPredict writes the probabilities a trained model gives new rows.
func runPredict(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train predict", "usage: train predict -model RUN_DIR|FILE -data FILE.csv [-out preds.csv] [-fold N] [-id COL] [-ignore COL,...] [-sep C] [-force]\n\n"+
		"Reads a table whose header has the model's feature columns (any order; the\n"+
		"training file's names, raw values: the model applies its own transform and\n"+
		"standardization) and writes one probability column per task or class.\n"+
		"-model is a model file (models/<split>.model) or a run directory: with one\n"+
		"split its model, with several (cross-validation folds) the mean of the fold\n"+
		"models' probabilities by default, or fold N's model with -fold N.\n", stderr)
	var (
		modelPath = fs.String("model", "", "run directory or model file (.model)")
		data      = fs.String("data", "", "table of rows to predict (CSV with a header; .gz allowed)")
		out       = fs.String("out", "", "output CSV (default: stdout)")
		fold      = fs.Int("fold", 0, "use only this split's model (1-based; default: the mean over all of the run's models)")
		id        = fs.String("id", "", "column copied to the output as the first column (e.g. a row ID)")
		ignore    = fs.String("ignore", "", "comma-separated columns to skip (e.g. the label column)")
		sepText   = fs.String("sep", ",", `field separator: ",", ";", "\t" or "tab"`)
		force     = fs.Bool("force", false, "overwrite -out if it exists")
	)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *modelPath == "" || *data == "" {
		fs.Usage()
		return errUsage
	}
	var sep tabular.Sep
	if err := sep.UnmarshalText([]byte(*sepText)); err != nil {
		return fmt.Errorf("-sep: %w", err)
	}
	if err := checkOut(*out, *force); err != nil {
		return err
	}
	p, what, err := loadPredictor(*modelPath, *fold)
	if err != nil {
		return err
	}
	opts := tabular.FeatureOptions{ID: *id, Sep: sep}
	if *ignore != "" {
		opts.Ignore = strings.Split(*ignore, ",")
	}
	set, err := tabular.LoadFeatures(*data, p.Features(), opts)
	if errors.Is(err, tabular.ErrIgnoredFeature) {
		return fmt.Errorf("-ignore %s: %w, which the model needs (remove it from -ignore)", *ignore, err)
	}
	if err != nil {
		return fmt.Errorf("%w (the model takes the columns of its training file; skip others with -ignore)", err)
	}
	rows := make([][]float64, set.N)
	for i := range rows {
		rows[i] = set.Row(i)
	}
	probs, err := p.Predict(rows)
	if err != nil {
		return fmt.Errorf("%s: %w", *data, err)
	}
	write := func(w io.Writer) error {
		cw := csv.NewWriter(w)
		hdr := p.OutputNames()
		if *id != "" {
			hdr = append([]string{*id}, hdr...)
		}
		_ = cw.Write(hdr)
		for i, r := range probs {
			var rec []string
			if *id != "" {
				rec = append(rec, set.IDs[i])
			}
			for _, v := range r {
				rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
			}
			_ = cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(stderr, "train predict: %d row(s), %s\n", set.N, what)
	if *out == "" {
		return write(stdout)
	}
	return checkpoint.WriteFileAtomic(*out, write, 0o644)
}

// loadPredictor loads a model file, or a run directory's model (one split,
// or fold k) or fold ensemble, and says which it is.
func loadPredictor(path string, k int) (model.Predictor, string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("-model: %w", err)
	}
	if !st.IsDir() {
		if k != 0 {
			return nil, "", fmt.Errorf("-fold picks a model of a run directory; %s is one model file", path)
		}
		m, err := model.Load(path)
		return m, "model " + path, err
	}
	ms, err := model.LoadDir(path)
	if err != nil {
		return nil, "", err
	}
	if k != 0 {
		m, err := model.Pick(ms, k)
		if err != nil {
			return nil, "", err
		}
		return m, fmt.Sprintf("the %s model of %s", m.Info().Source.Split, path), nil
	}
	if len(ms) == 1 {
		return ms[0], fmt.Sprintf("the %s model of %s", ms[0].Info().Source.Split, path), nil
	}
	e, err := model.NewEnsemble(ms...)
	if err != nil {
		return nil, "", err
	}
	return e, fmt.Sprintf("the mean of the %d split models of %s (-fold N for one)", len(ms), path), nil
}

// checkOut refuses to replace an existing output file without -force.
func checkOut(path string, force bool) error {
	if path == "" || force {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("-out %s exists; choose another name or pass -force to replace it", path)
	}
	return nil
}
