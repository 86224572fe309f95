package experiment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selunet/selunet/datasets/datatest"
	"github.com/selunet/selunet/internal/csvtest"
	"github.com/selunet/selunet/train"
)

// uciConfig is a small, fast version of configs/uci.yaml.
func uciConfig(dir string) Config {
	cfg := Default()
	cfg.Data.Dataset, cfg.Data.Dir, cfg.Data.Protocol, cfg.Data.ValFraction = "uci", dir, "holdout", 0.15
	cfg.Model.Layers, cfg.Model.Units, cfg.Model.Dropout = 2, 16, 0
	cfg.Optimizer.LR = 0.1
	cfg.Train.Epochs, cfg.Train.Metric, cfg.Train.Smoothing, cfg.Train.Patience = 30, "val_accuracy", 1, 30
	cfg.Train.BatchSize = 32
	cfg.Output.Plots = false
	return cfg
}

// TestRunSuite runs a suite over a single-file data set, a two-file one
// and one whose data file is missing, then runs it again: the finished
// data sets are read back, not retrained.
func TestRunSuite(t *testing.T) {
	dir := t.TempDir()
	datatest.WriteUCI(t, dir, "toy", 400, 0, 1)
	datatest.WriteUCI(t, dir, "two", 300, 100, 2)
	datatest.WriteUCI(t, dir, "gone", 50, 0, 3)
	if err := os.Remove(filepath.Join(dir, "uci121", "gone", "gone_R.dat")); err != nil {
		t.Fatal(err)
	}
	table := "dataset,N,M,SNN,MS\ntoy,400,5,0.9000,0.8000\ntwo,400,5,NA,0.7000\n"
	if err := os.WriteFile(filepath.Join(dir, "uci121", PaperTableFile), []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "suite")
	var log bytes.Buffer
	names := []string{"toy", "two", "gone"}
	first, err := RunSuite(context.Background(), uciConfig(dir), names, out, &log)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if len(first) != 3 {
		t.Fatalf("got %d entries, want 3", len(first))
	}
	// The interval rule is learnable: well above the 0.38 of always
	// guessing the largest class.
	for _, e := range first[:2] {
		if e.Skipped != "" || !(e.Accuracy > 0.85) || e.Seconds <= 0 {
			t.Errorf("%s: got accuracy %v, skipped %q, %vs; want > 0.85, run\n%s", e.Dataset, e.Accuracy, e.Skipped, e.Seconds, log.String())
		}
	}
	if first[0].Paper != 0.9 || !math.IsNaN(first[1].Paper) {
		t.Errorf("paper accuracies: got %v, %v want 0.9, NaN", first[0].Paper, first[1].Paper)
	}
	if first[2].Skipped == "" || !strings.Contains(first[2].Skipped, "gone_R.dat") {
		t.Errorf("gone: got skipped %q, want the missing file named", first[2].Skipped)
	}
	if recs := csvtest.ReadFile(t, filepath.Join(out, "summary.csv")); len(recs) != 4 || recs[1][0] != "toy" || recs[1][3] != "0.9" {
		t.Errorf("summary.csv: got %v, want a header and 3 rows, toy first with paper 0.9", recs)
	}
	log.Reset()
	again, err := RunSuite(context.Background(), uciConfig(dir), names[:2], out, &log)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range again {
		if e.Accuracy != first[i].Accuracy || e.Seconds != 0 {
			t.Errorf("%s rerun: got accuracy %v in %vs, want %v read back", e.Dataset, e.Accuracy, e.Seconds, first[i].Accuracy)
		}
	}
	if !strings.Contains(log.String(), "done before") {
		t.Errorf("rerun log does not say the data sets were done before:\n%s", log.String())
	}
}

// TestUCIConfigErrors: the uci section is checked when the config loads.
func TestUCIConfigErrors(t *testing.T) {
	cases := []struct {
		yaml, want string
	}{
		{"data: {dataset: uci, protocol: holdout}\n", "uci.name"},                         // 0: no name
		{"data: {dataset: uci, protocol: cv, uci: {name: iris}}\n", "must be holdout"},    // 1: wrong protocol
		{"data: {dataset: uci, protocol: holdout, uci: {name: iris, fold: 5}}\n", "fold"}, // 2: fold out of range
	}
	for i, c := range cases {
		path := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(path, []byte(c.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d: got:%v want an error containing %q", i, err, c.want)
		}
	}
}

// TestUCIIris runs the UCI protocol on the real iris data (test set 1 of
// conxuntos_kfold.dat, 37 or 38 rows); the paper's SNN reached 0.9730.
func TestUCIIris(t *testing.T) {
	dir := datatest.DataDir(t, "uci121/iris/iris_R.dat", "uci121/iris/conxuntos_kfold.dat")
	cfg := uciConfig(dir)
	cfg.Data.UCI.Name = "iris"
	var log bytes.Buffer
	res, err := Run(context.Background(), cfg, Options{Out: t.TempDir(), Log: &log})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if res.TestAccuracy < 0.85 {
		t.Errorf("got test accuracy %.4f, want ≥ 0.85\n%s", res.TestAccuracy, log.String())
	}
}

// TestGridDivergedPoint: a grid point whose training diverges is left out
// of the selection; when every point diverges the run fails with
// train.ErrDiverged.
func TestGridDivergedPoint(t *testing.T) {
	dir := t.TempDir()
	datatest.WriteUCI(t, dir, "toy", 200, 0, 4)
	cfg := uciConfig(dir)
	cfg.Data.UCI.Name = "toy"
	cfg.Train.Epochs = 5
	cfg.Grid = Grid{"optimizer.lr": {1e6, 0.1}}
	var log bytes.Buffer
	res, err := Run(context.Background(), cfg, Options{Out: t.TempDir(), Log: &log})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	f := res.Folds[0]
	if len(f.Settings) != 1 || f.Settings[0] != "optimizer.lr=0.1" || !strings.Contains(log.String(), "left out") {
		t.Errorf("got settings %v, want optimizer.lr=0.1 chosen and the diverged point reported\n%s", f.Settings, log.String())
	}
	cfg.Grid = Grid{"optimizer.lr": {1e6, 2e6}}
	_, err = Run(context.Background(), cfg, Options{Out: t.TempDir(), Log: io.Discard})
	if !errors.Is(err, train.ErrDiverged) {
		t.Errorf("every point diverging: got:%v want train.ErrDiverged", err)
	}
}

// TestUCIRescaleTest: a two-file data set one of whose files is on another
// scale than the other (as 12 of Fernández-Delgado's are: a raw test file,
// or a z-scored test file beside a raw training file) fails without
// data.uci.rescale_test and is learned with it.
func TestUCIRescaleTest(t *testing.T) {
	for _, c := range []struct {
		file       string  // the file put on another scale
		mul, shift float64 // x → mul·x + shift
	}{
		{"skew_test_R.dat", 40, 300},   // a raw test file (annealing, hayes-roth)
		{"skew_train_R.dat", 0.5, 1.5}, // a raw training file (monks, spectf)
	} {
		t.Run(c.file, func(t *testing.T) {
			dir := t.TempDir()
			datatest.WriteUCI(t, dir, "skew", 300, 100, 5)
			path := filepath.Join(dir, "uci121", "skew", c.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			for i := 1; i < len(lines); i++ {
				f := strings.Split(lines[i], "\t")
				for c2 := 1; c2 < len(f)-1; c2++ {
					var v float64
					fmt.Sscan(f[c2], &v)
					f[c2] = fmt.Sprintf("%.5f", c.mul*v+c.shift)
				}
				lines[i] = strings.Join(f, "\t")
			}
			if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := uciConfig(dir)
			cfg.Data.UCI.Name = "skew"
			acc := map[bool]float64{}
			for _, rescale := range []bool{false, true} {
				cfg.Data.UCI.RescaleTest = rescale
				res, err := Run(context.Background(), cfg, Options{Out: t.TempDir(), Log: io.Discard})
				if err != nil {
					t.Fatal(err)
				}
				acc[rescale] = res.TestAccuracy
			}
			if !(acc[true] > 0.85 && acc[false] < 0.7) {
				t.Errorf("got test accuracy %.4f rescaled, %.4f as is; want > 0.85 and < 0.7", acc[true], acc[false])
			}
		})
	}
}
