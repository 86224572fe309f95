package experiment

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/selunet/selunet/checkpoint"
	"github.com/selunet/selunet/plots"
	"github.com/selunet/selunet/train"
)

// writeOutputs writes metrics.json, history.csv, layer_stats.csv and the
// plots.
func writeOutputs(out string, cfg Config, res *Result, folds []FoldResult) error {
	if err := writeJSON(filepath.Join(out, "metrics.json"), res); err != nil {
		return err
	}
	if err := writeHistory(filepath.Join(out, "history.csv"), folds); err != nil {
		return err
	}
	if err := writeLayerStats(filepath.Join(out, "layer_stats.csv"), folds); err != nil {
		return err
	}
	if !cfg.Output.Plots || len(folds) == 0 {
		return nil
	}
	var loss, metric []plots.Series
	for _, f := range folds {
		loss = append(loss, series(f, train.TrainLoss, "train "+f.Name), series(f, train.ValLoss, "val "+f.Name))
		m := series(f, cfg.Train.Metric, f.Name)
		m.Marks = []float64{float64(f.BestEpoch)}
		metric = append(metric, m)
	}
	// The untrained network's epoch-0 values can be far from the rest:
	// epochs from 1 set the y ranges. validation.png marks each split's
	// chosen epoch (the weights kept).
	if err := plots.LearningCurves(filepath.Join(out, "learning_curves.png"), cfg.Name+": loss", "epoch", "cross-entropy", loss, plots.YRangeFrom(1)); err != nil {
		return err
	}
	if err := plots.LearningCurves(filepath.Join(out, "validation.png"), cfg.Name+": validation", "epoch", cfg.Train.Metric, metric, plots.YRangeFrom(1), plots.MarkLabel("chosen epoch")); err != nil {
		return err
	}
	// Layer statistics of every split: one line per layer and split.
	var runs []plots.LayerRun
	for _, f := range folds {
		r := plots.LayerRun{Name: f.Name}
		for _, rec := range f.History {
			if len(rec.Layers) == 0 {
				continue
			}
			r.X = append(r.X, float64(rec.Epoch))
			m, v := make([]float64, len(rec.Layers)), make([]float64, len(rec.Layers))
			for l, s := range rec.Layers {
				m[l], v[l] = s.Mean, s.Variance
			}
			r.Means, r.Vars = append(r.Means, m), append(r.Vars, v)
		}
		if len(r.X) > 0 {
			runs = append(runs, r)
		}
	}
	if len(runs) > 0 {
		what := runs[0].Name
		if len(runs) > 1 {
			what = fmt.Sprintf("%d splits", len(runs))
		}
		title := fmt.Sprintf("%s: hidden activations (%s, %s)", cfg.Name, cfg.Model.Arch, what)
		if err := plots.LayerStatsRuns(filepath.Join(out, "layer_stats.png"), title, "epoch", runs); err != nil {
			return err
		}
	}
	return nil
}

// series is one metric of one fold against the epoch, named name.
func series(f FoldResult, metric, name string) plots.Series {
	s := plots.Series{Name: name}
	for _, r := range f.History {
		v, ok := r.Metrics[metric]
		if !ok {
			v = math.NaN()
		}
		s.X = append(s.X, float64(r.Epoch))
		s.Y = append(s.Y, v)
	}
	return s
}

// metricNames returns every metric name in the histories, sorted.
func metricNames(folds []FoldResult) []string {
	var names []string
	for _, f := range folds {
		for _, r := range f.History {
			for k := range r.Metrics {
				if !slices.Contains(names, k) {
					names = append(names, k)
				}
			}
		}
	}
	slices.Sort(names)
	return names
}

// writeHistory writes one row per fold and epoch.
func writeHistory(path string, folds []FoldResult) error {
	names := metricNames(folds)
	return checkpoint.WriteFileAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		_ = cw.Write(append([]string{"fold", "epoch", "lr", "seconds"}, names...))
		for _, f := range folds {
			for _, r := range f.History {
				row := []string{f.Name, strconv.Itoa(r.Epoch), ftoa(r.LR), ftoa(r.Seconds)}
				for _, n := range names {
					v, ok := r.Metrics[n]
					if !ok {
						v = math.NaN()
					}
					row = append(row, ftoa(v))
				}
				_ = cw.Write(row)
			}
		}
		cw.Flush()
		return cw.Error()
	}, 0o644)
}

// writeLayerStats writes one row per fold, epoch and hidden layer.
func writeLayerStats(path string, folds []FoldResult) error {
	return checkpoint.WriteFileAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"fold", "epoch", "layer", "mean", "variance"})
		for _, f := range folds {
			for _, r := range f.History {
				for l, s := range r.Layers {
					_ = cw.Write([]string{f.Name, strconv.Itoa(r.Epoch), strconv.Itoa(l + 1), ftoa(s.Mean), ftoa(s.Variance)})
				}
			}
		}
		cw.Flush()
		return cw.Error()
	}, 0o644)
}

// ftoa formats a float for CSV; NaN becomes an empty cell.
func ftoa(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', 8, 64)
}

// printSummary prints the per-split and per-task table.
func printSummary(w io.Writer, res *Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\nsplit\ttest AUC\ttest accuracy\tbest epoch\tepochs\tseconds\n")
	for _, f := range res.Folds {
		if f.StopReason == diverged {
			fmt.Fprintf(tw, "%s\tdiverged\t\t\t%d\t%.1f\n", f.Name, f.Epochs, f.Seconds)
			continue
		}
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%d\t%d\t%.1f\n", f.Name, f.TestAUC, float64(f.Test["accuracy"]), f.BestEpoch, f.Epochs, f.Seconds)
	}
	if len(res.Folds) > 1 {
		label := "mean ± sd"
		if n := len(trainedFolds(res.Folds)); n < len(res.Folds) {
			label = fmt.Sprintf("mean ± sd of %d splits (%d diverged)", n, len(res.Folds)-n)
		}
		fmt.Fprintf(tw, label+"\t%.4f ± %.4f\t%.4f ± %.4f\t\t\t%.1f\n", res.TestAUC, res.TestAUCStd, res.TestAccuracy, res.TestAccuracyStd, res.Seconds)
	}
	tw.Flush()
	if len(res.Tasks) > 1 {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "\ntask\ttest AUC\n")
		for i, t := range res.Tasks {
			fmt.Fprintf(tw, "%s\t%.4f\n", t, float64(res.TaskAUC[i]))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\n%s: mean test AUC %.4f, accuracy %.4f\n", res.Name, res.TestAUC, res.TestAccuracy)
}
