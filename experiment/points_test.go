package experiment

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/selunet/selunet/train"
)

// TestSelectPoints checks the grid's selection rule on points trained
// separately: direction by metric, ties and NaN to the earlier point,
// diverged points out, per split.
func TestSelectPoints(t *testing.T) {
	nan := math.NaN()
	// result builds a point's Result with one validation value and test
	// accuracy per split.
	result := func(vals, accs []float64) *Result {
		r := &Result{Tasks: []string{"y"}}
		for k := range vals {
			r.Folds = append(r.Folds, FoldResult{Name: fmt.Sprintf("fold %d", k+1), Val: jsonFloat(vals[k]), TestAUC: jsonFloat(accs[k]),
				Test: map[string]jsonFloat{"accuracy": jsonFloat(accs[k])}, TaskAUC: []jsonFloat{jsonFloat(accs[k])}})
		}
		return r
	}
	pt := func(s string, vals, accs []float64) PointOutcome {
		return PointOutcome{Settings: []string{s}, Result: result(vals, accs)}
	}
	div := func(s string) PointOutcome { return PointOutcome{Settings: []string{s}, Diverged: true} }
	// divOn is pt with split k recorded as diverged (KeepDivergedSplits).
	divOn := func(p PointOutcome, k int) PointOutcome {
		p.Result.Folds[k] = FoldResult{Name: p.Result.Folds[k].Name, StopReason: diverged, Error: "train: loss diverged"}
		return p
	}
	cases := []struct {
		name   string
		metric string
		points []PointOutcome
		want   []string // chosen setting per split
		acc    float64
		err    string
	}{
		{"higher wins", "val_accuracy", []PointOutcome{pt("a", []float64{0.8}, []float64{0.5}), pt("b", []float64{0.9}, []float64{0.6})}, []string{"b"}, 0.6, ""},
		{"tie to the earlier", "val_accuracy", []PointOutcome{pt("a", []float64{0.9}, []float64{0.5}), pt("b", []float64{0.9}, []float64{0.6})}, []string{"a"}, 0.5, ""},
		{"loss: lower wins", "val_loss", []PointOutcome{pt("a", []float64{0.3}, []float64{0.5}), pt("b", []float64{0.2}, []float64{0.6})}, []string{"b"}, 0.6, ""},
		{"NaN never wins", "val_auc", []PointOutcome{pt("a", []float64{nan}, []float64{0.5}), pt("b", []float64{0.7}, []float64{0.6})}, []string{"b"}, 0.6, ""},
		{"diverged left out", "val_accuracy", []PointOutcome{div("a"), pt("b", []float64{0.1}, []float64{0.6})}, []string{"b"}, 0.6, ""},
		{"per split", "val_auc", []PointOutcome{pt("a", []float64{0.9, 0.5}, []float64{0.8, 0.4}), pt("b", []float64{0.8, 0.6}, []float64{0.7, 0.6})}, []string{"a", "b"}, 0.7, ""},
		{"diverged on one split only", "val_auc", []PointOutcome{divOn(pt("a", []float64{0.9, 0.9}, []float64{0.8, 0.4}), 1), pt("b", []float64{0.8, 0.6}, []float64{0.7, 0.6})}, []string{"a", "b"}, 0.7, ""},
		{"every point diverged on a split", "val_auc", []PointOutcome{divOn(pt("a", []float64{0.9, 0.9}, []float64{0.8, 0.4}), 1), div("b")}, nil, 0, "fold 2: every grid point diverged"},
		{"all diverged", "val_auc", []PointOutcome{div("a"), div("b")}, nil, 0, "every grid point diverged"},
		{"splits differ", "val_auc", []PointOutcome{pt("a", []float64{0.9, 0.5}, []float64{0.8, 0.4}), pt("b", []float64{0.8}, []float64{0.7})}, nil, 0, "has 1 splits"},
		{"no result", "val_auc", []PointOutcome{{Settings: []string{"a"}}}, nil, 0, "neither a result nor diverged"},
	}
	for _, c := range cases {
		cfg := Default()
		cfg.Train.Metric = c.metric
		res, err := SelectPoints(cfg, c.points)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: got %v, want an error with %q", c.name, err, c.err)
			}
			if strings.Contains(c.err, "every grid point diverged") && !errors.Is(err, train.ErrDiverged) {
				t.Errorf("%s: %v does not wrap train.ErrDiverged", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, f := range res.Folds {
			got = append(got, f.Settings[0])
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) || math.Abs(res.TestAccuracy-c.acc) > 1e-12 {
			t.Errorf("%s: chose %v (accuracy %v), want %v (%v)", c.name, got, res.TestAccuracy, c.want, c.acc)
		}
		if len(c.points) > 1 && len(res.Folds[0].Grid) != len(c.points) {
			t.Errorf("%s: grid detail has %d points, want %d", c.name, len(res.Folds[0].Grid), len(c.points))
		}
	}
}
