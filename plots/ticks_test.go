package plots

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func labels(ts []plot.Tick) []string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestIntegerTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   []string
		minor  int
	}{
		{0, 5, []string{"0", "1", "2", "3", "4", "5"}, 0},                    // 0
		{0, 12, []string{"0", "2", "4", "6", "8", "10", "12"}, 6},            // 1
		{1, 40, []string{"5", "10", "15", "20", "25", "30", "35", "40"}, 32}, // 2
		{0, 100, []string{"0", "20", "40", "60", "80", "100"}, 0},            // 3
		{0.5, 1.5, []string{"1"}, 0},                                         // 4
		{3, 3, []string{"3"}, 0},                                             // 5
		{math.NaN(), 1, nil, 0},                                              // 6
	}
	for i, c := range cases {
		ts := IntegerTicks(c.lo, c.hi)
		if got := labels(ts); !slices.Equal(got, c.want) || len(ts)-len(got) != c.minor {
			t.Errorf("%d [%v, %v]: got labels %v and %d minor, want %v and %d", i, c.lo, c.hi, got, len(ts)-len(got), c.want, c.minor)
		}
		for _, tk := range ts {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("%d: tick at %v", i, tk.Value)
			}
		}
	}
}

// TestCurvesOptions: epochs get integer ticks, YRangeFrom(1) keeps a large
// epoch-0 value out of the y range.
func TestCurvesOptions(t *testing.T) {
	s := []Series{{Name: "val loss", X: []float64{0, 1, 2, 3}, Y: []float64{5, 0.3, 0.2, 0.25}, Marks: []float64{2}}}
	p, err := curves("t", "epoch", "loss", s, YRangeFrom(1), MarkLabel("chosen epoch"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max > 0.5 || p.Y.Min > 0.2 {
		t.Errorf("y range got [%v, %v] want about [0.2, 0.3]", p.Y.Min, p.Y.Max)
	}
	if got := labels(p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)); !slices.Equal(got, []string{"0", "1", "2", "3"}) {
		t.Errorf("x ticks got %v", got)
	}
	frac := []Series{{Name: "x", X: []float64{0.5, 1}, Y: []float64{1, 2}}}
	p, _ = curves("", "", "", frac)
	if p.Y.Max < 2 {
		t.Errorf("without YRangeFrom the range must cover every point, got max %v", p.Y.Max)
	}
	if got := labels(p.X.Tick.Marker.Ticks(0.5, 1)); slices.Equal(got, []string{"1"}) {
		t.Error("fractional x values got integer ticks")
	}
	if err := LearningCurves(filepath.Join(t.TempDir(), "c.png"), "t", "epoch", "loss", s, YRangeFrom(1)); err != nil {
		t.Fatal(err)
	}
}

// TestLayerStatsRuns draws two folds, also when a grid chose another depth
// in one of them; a run with ragged records is an error naming the run.
func TestLayerStatsRuns(t *testing.T) {
	x := []float64{0, 1, 2}
	m := [][]float64{{0.1, 0.2}, {0.05, 0.1}, {0, 0.05}}
	v := [][]float64{{1.2, 1.3}, {1.1, 1.1}, {1, 1}}
	dir := t.TempDir()
	runs := []LayerRun{{Name: "fold 1", X: x, Means: m, Vars: v}, {Name: "fold 2", X: x[:2], Means: m[:2], Vars: v[:2]}}
	if err := LayerStatsRuns(filepath.Join(dir, "a.png"), "t", "epoch", runs); err != nil {
		t.Fatal(err)
	}
	runs[1] = LayerRun{Name: "fold 2", X: []float64{0, 1}, Means: [][]float64{{1}, {0.5}}, Vars: [][]float64{{1}, {1}}}
	if err := LayerStatsRuns(filepath.Join(dir, "b.png"), "t", "epoch", runs); err != nil {
		t.Errorf("folds of 2 and 1 layers: %v", err)
	}
	runs[1] = LayerRun{X: []float64{0, 1}, Means: [][]float64{{1}, {0.5, 0.2}}, Vars: [][]float64{{1}, {1, 1}}}
	err := LayerStatsRuns(filepath.Join(dir, "c.png"), "t", "epoch", runs)
	if err == nil || !strings.Contains(err.Error(), "run 2") {
		t.Errorf("ragged run: got %v, want an error naming run 2", err)
	}
}
