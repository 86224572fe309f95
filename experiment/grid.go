package experiment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/selunet/selunet/config"
)

// Grid is the `grid:` section: a hyperparameter grid searched separately
// for every split, as in the paper (each fold's validation fold picks the
// hyperparameters that fold's test fold is scored with). Keys are dotted
// config keys, values the settings to try:
//
//	grid:
//	  model.layers: [2, 4, 8]
//	  optimizer.lr: [0.01, 0.1]
//
// The points are all combinations, keys sorted, the last key varying fastest.
// The point with the best smoothed validation metric (train.metric) wins;
// ties go to the earlier point. An empty grid trains the config as it is.
type Grid map[string][]any

// GridPoint is one trained point of a split's grid.
type GridPoint struct {
	// Settings are the point's overrides, "key=value".
	Settings []string `json:"settings"`
	// Val is the best smoothed validation metric of the point.
	Val jsonFloat `json:"val"`
	// TestAUC is the point's test AUC (reported, never used to select).
	TestAUC jsonFloat `json:"test_auc"`
}

// points returns every combination of the grid as "key=value" overrides.
// An empty grid has one point without overrides.
func (g Grid) points() [][]string {
	keys := make([]string, 0, len(g))
	for k := range g {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	pts := [][]string{nil}
	for _, k := range keys {
		var next [][]string
		for _, p := range pts {
			for _, v := range g[k] {
				next = append(next, append(slices.Clone(p), fmt.Sprintf("%s=%v", k, v)))
			}
		}
		pts = next
	}
	return pts
}

// MaxGridPoints bounds the number of points of a Grid: every point is
// checked when the config loads, so a few lines of YAML with many keys
// (2 values each for 64 keys is 2^64 points) must not hang Load.
const MaxGridPoints = 10000

// Validate checks that the grid has values for every key, names no grid key
// inside itself, and has at most MaxGridPoints points.
func (g Grid) Validate() error {
	n := 1
	for _, vs := range g {
		if len(vs) > 0 {
			n = min(n*len(vs), MaxGridPoints+1) // n ≤ MaxGridPoints+1 before: no overflow
		}
	}
	if n > MaxGridPoints {
		return fmt.Errorf("has more than %d points (the product of its value counts); split it into several runs", MaxGridPoints)
	}
	for k, vs := range g {
		if len(vs) == 0 {
			return config.Errorf(k, "needs at least one value")
		}
		if k == "grid" || strings.HasPrefix(k, "grid.") {
			return config.Errorf(k, "a grid cannot vary itself")
		}
	}
	return nil
}

// apply returns a copy of cfg with the overrides applied to its fields and
// validated as if they had been given with -set (config.Decode of an empty
// document over the copy: no YAML text in between). The copy shares
// nothing the overrides change: they replace slices, and the one map, the
// grid, is kept out of their reach.
func apply(cfg Config, sets []string) (Config, error) {
	if len(sets) == 0 {
		return cfg, nil
	}
	out := cfg
	out.Grid = nil
	if err := config.Decode(strings.NewReader(""), "grid", sets, &out); err != nil {
		return cfg, fmt.Errorf("grid point %v: %w", sets, err)
	}
	out.Grid = cfg.Grid
	return out, nil
}
