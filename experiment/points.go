package experiment

import (
	"context"
	"fmt"
	"math"

	"github.com/selunet/selunet/train"
)

// Point is one point of a config's grid, as a config of its own.
type Point struct {
	// Settings are the point's overrides, "key=value", keys sorted (empty
	// for a config without a grid).
	Settings []string
	// Config is the config with the overrides applied and no grid: Run on
	// it trains exactly what Run on the whole config trains for this point.
	Config Config
}

// Points returns the points of cfg's grid in grid order (keys sorted, the
// last key varying fastest), each as a config without a grid. A config
// without a grid has one point, itself.
func Points(cfg Config) ([]Point, error) {
	var out []Point
	for _, sets := range cfg.Grid.points() {
		pc, err := apply(cfg, sets)
		if err != nil {
			return nil, err
		}
		pc.Grid = nil
		out = append(out, Point{Settings: sets, Config: pc})
	}
	return out, nil
}

// PointOutcome is one grid point trained on its own (Run on Point.Config):
// its Result, or that it diverged.
type PointOutcome struct {
	// Settings are the point's overrides (Point.Settings).
	Settings []string
	// Result is the point's metrics.json; nil when it diverged.
	Result *Result
	// Diverged says the point's training diverged (train.ErrDiverged).
	Diverged bool
}

// SelectPoints combines grid points trained separately into the Result
// Run gives for cfg with its grid: on every split the point with the best
// validation metric (cfg.Train.Metric, direction by train.HigherIsBetter)
// wins, ties and NaNs go to the earlier point, diverged points are left
// out, and the chosen points' test metrics are averaged over the splits.
// points must be in grid order, all of the same splits. A point that
// diverged is out on every split; a point whose Result has splits that
// diverged (Options.KeepDivergedSplits) is out of those splits only, as
// in Run on the whole grid. It is an error, as in Run, when every point
// diverged on some split, and when the points disagree on the splits.
// Seconds is the sum of the points' times.
func SelectPoints(cfg Config, points []PointOutcome) (*Result, error) {
	var ref *Result
	for _, p := range points {
		if p.Diverged {
			continue
		}
		if p.Result == nil {
			return nil, fmt.Errorf("experiment: grid point %v has neither a result nor diverged", p.Settings)
		}
		if ref == nil {
			ref = p.Result
		} else if len(p.Result.Folds) != len(ref.Folds) {
			return nil, fmt.Errorf("experiment: grid point %v has %d splits, point %v has %d", p.Settings, len(p.Result.Folds), points[0].Settings, len(ref.Folds))
		}
	}
	if ref == nil {
		return nil, fmt.Errorf("every grid point diverged (%w)", train.ErrDiverged)
	}
	var folds []FoldResult
	var secs float64
	for _, p := range points {
		if p.Result != nil {
			secs += p.Result.Seconds
		}
	}
	for k, f := range ref.Folds {
		cand := make([]FoldResult, len(points))
		for i, p := range points {
			if !p.Diverged && p.Result.Folds[k].Name != f.Name {
				return nil, fmt.Errorf("experiment: grid point %v: split %d is %q, other points have %q", p.Settings, k+1, p.Result.Folds[k].Name, f.Name)
			}
			if p.Diverged || p.Result.Folds[k].StopReason == diverged {
				// As Run records a point that diverged on this split.
				cand[i] = FoldResult{Name: f.Name, Val: jsonFloat(math.NaN()), TestAUC: jsonFloat(math.NaN()), StopReason: diverged}
			} else {
				cand[i] = p.Result.Folds[k]
			}
			cand[i].Settings = p.Settings
		}
		best := selectPoint(cand, cfg.Train.Metric)
		if best.StopReason == diverged {
			return nil, fmt.Errorf("%s: every grid point diverged (%w)", f.Name, train.ErrDiverged)
		}
		folds = append(folds, best.FoldResult)
	}
	res := summarize(cfg, folds, ref.Tasks)
	res.Seconds = secs
	return res, nil
}

// CheckData loads cfg's data and splits it as Run would, so that a missing
// or malformed data set is found before any training is started (or a
// batch job submitted).
func CheckData(ctx context.Context, cfg Config) error {
	data, err := load(ctx, cfg.Data)
	if err != nil {
		return err
	}
	_, err = splits(data, cfg.Data, cfg.Seed)
	return err
}

// PaperTable returns the SNN test accuracies of the paper's Table A11 by
// data set, read from <dir>/uci121/PaperTableFile (dir "" means
// SELUNET_DATA_DIR); empty when the file is not there.
func PaperTable(dir string) (map[string]float64, error) {
	m, err := readPaperTable(dir)
	if m == nil && err == nil {
		m = map[string]float64{}
	}
	return m, err
}
