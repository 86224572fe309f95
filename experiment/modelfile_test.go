package experiment

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/selunet/selunet/datasets"
	"github.com/selunet/selunet/metrics"
	"github.com/selunet/selunet/model"
)

// TestModelFileReproducesTest loads a run's fold model and predicts the
// fold's test rows from the raw data file: the test AUC must be the one the
// run reported, so the model file carries the whole preprocessing (here a
// slog1p transform, standardization and clipping).
func TestModelFileReproducesTest(t *testing.T) {
	cfg := quick(t)
	cfg.Data.RunFolds = 1
	cfg.Data.Transform, cfg.Data.Clip = "slog1p", 2.5
	out := t.TempDir()
	res, err := Run(context.Background(), cfg, Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(filepath.Join(out, "models", "fold1.model"))
	if err != nil {
		t.Fatal(err)
	}
	info := m.Info()
	if info.Preprocess.Transform != "slog1p" || info.Preprocess.Clip != 2.5 || info.OutputNames[0] != "pulsar" || info.Source.Split != "fold 1" {
		t.Errorf("model info: %+v", info)
	}
	raw, err := load(context.Background(), cfg.Data) // untransformed, unstandardized
	if err != nil {
		t.Fatal(err)
	}
	folds, err := datasets.StratifiedKFold(raw.all.AnyPositive(), cfg.Data.Folds, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	_, _, test := datasets.NestedCVFolds(folds, 0)
	rows := make([][]float64, len(test))
	labels := make([]float64, len(test))
	for i, r := range test {
		rows[i] = raw.all.Row(r)
		labels[i] = raw.all.Y[r]
	}
	p, err := m.Predict(rows)
	if err != nil {
		t.Fatal(err)
	}
	scores := make([]float64, len(p))
	for i := range p {
		scores[i] = p[i][0]
	}
	auc, err := metrics.ROCAUC(scores, labels, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(auc-float64(res.Folds[0].TestAUC)) > 1e-6 {
		t.Errorf("test AUC from the model file got:%v want:%v (the run's)", auc, res.Folds[0].TestAUC)
	}
}

func TestUsableNames(t *testing.T) {
	cases := []struct {
		names []string
		n     int
		want  bool
	}{
		{[]string{"a", "b"}, 2, true},  // 0
		{[]string{"a", "a"}, 2, false}, // 1
		{[]string{"a", ""}, 2, false},  // 2
		{nil, 2, false},                // 3
		{[]string{"a"}, 2, false},      // 4
	}
	for i, c := range cases {
		if got := usable(c.names, c.n); got != c.want {
			t.Errorf("%d: usable(%v, %d) got:%v want:%v", i, c.names, c.n, got, c.want)
		}
	}
}
