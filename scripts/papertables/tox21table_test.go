package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/selunet/selunet/experiment"
)

func TestSelectionCell(t *testing.T) {
	nan := math.NaN()
	// pt reads a point as metrics.json writes it (null for NaN).
	pt := func(val, test float64) experiment.GridPoint {
		num := func(x float64) string {
			if math.IsNaN(x) {
				return "null"
			}
			return fmt.Sprint(x)
		}
		var p experiment.GridPoint
		if err := json.Unmarshal([]byte(`{"val":`+num(val)+`,"test_auc":`+num(test)+`}`), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		grid []experiment.GridPoint
		want string
	}{
		{"no grid", nil, "-"},
		{"chosen is best", []experiment.GridPoint{pt(0.80, 0.70), pt(0.90, 0.81)}, "81.0 = best of 2"},
		{"best ranks third", []experiment.GridPoint{pt(0.90, 0.80), pt(0.85, 0.83), pt(0.88, 0.79), pt(0.70, 0.60)}, "80.0 → 83.0 (3rd of 4)"},
		{"tie on validation goes to the earlier point", []experiment.GridPoint{pt(0.90, 0.78), pt(0.90, 0.82)}, "78.0 → 82.0 (1st of 2)"},
		{"diverged points are left out", []experiment.GridPoint{pt(nan, nan), pt(0.85, 0.80), pt(0.80, 0.81)}, "80.0 → 81.0 (2nd of 2)"},
	}
	for _, c := range cases {
		if got := selectionCell(c.grid); got != c.want {
			t.Errorf("%s: selectionCell = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 111: "111th"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestValidationText(t *testing.T) {
	random := "a seeded, stratified 10% of the training compounds validates"
	board := "the challenge's 296 leaderboard compounds validate (the other 11,764 train)"
	cases := []struct {
		vals map[string]bool
		want string
	}{
		{nil, random},
		{map[string]bool{"": true}, random},
		{map[string]bool{"": true, "random": true}, random},
		{map[string]bool{"leaderboard": true}, board},
		{map[string]bool{"leaderboard": true, "random": true}, board + "; in other runs, " + random},
	}
	for _, c := range cases {
		if got := validationText(c.vals); got != c.want {
			t.Errorf("validationText(%v) = %q, want %q", c.vals, got, c.want)
		}
	}
}

// TestUnfinishedMark: a run directory without a result reads "·" before its
// first invocation ends, "diverged" after exit status 3 (cmd/train's
// ExitDiverged), "stopped" after any other failure, and "·" again when its
// last invocation succeeded or it is running now.
func TestUnfinishedMark(t *testing.T) {
	line := func(rc int) string {
		return fmt.Sprintf("2026-11-29T14:35:43Z\t2026-11-29T14:35:48Z\t5\t%d\tae7d6762fd2c\tvm 2cpu load 2.51 2.94 2.89\n", rc)
	}
	for _, c := range []struct {
		name, wall string
		locked     bool
		want       string
	}{
		{"never ran", "", false, "·"},
		{"diverged", line(143) + line(3), false, "diverged"},
		{"interrupted", line(143), false, "stopped"},
		{"failed", line(1), false, "stopped"},
		{"resumed after a failure, running", line(1), true, "·"},
		{"last invocation succeeded", line(143) + line(0), false, "·"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "snn-d32")
			if c.wall != "" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "wall.tsv"), []byte(c.wall), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.locked {
				f, err := os.Create(dir + ".lock")
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
					t.Fatal(err)
				}
			}
			if got, _ := unfinishedMark(dir); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestDepthRanks: only depths where every method the paper has is finished
// are ranked (depth 32 without ResNet, which the paper lacks there); ties
// share their mean rank; the paper's ranks come from its own values.
func TestDepthRanks(t *testing.T) {
	nan := math.NaN()
	ours := map[string][]float64{}
	for i, a := range htru2Archs {
		ours[a] = []float64{0.80 + 0.01*float64(i), nan, nan, nan, nan, nan, 0.70 + 0.01*float64(i)}
	}
	ours["snn"][0] = 0.90
	ours["msra"][0] = 0.90 // ties with snn for first place
	ours["resnet"][6] = nan
	got := depthRanks(ours)
	for _, want := range []string{
		"| method | 2 | 32 | mean rank: ours (paper's) |",
		// depth 2: snn and msra tie (1.5); the paper's snn 83.7 ties weightnorm, behind layernorm 84.3
		"| snn | 1.5 (2.5) |",
		"| msra | 1.5 (5) |",
		// resnet has no depth-32 cell in the paper: ranked at depth 2 only
		"| resnet | ",
		"| – | ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("depthRanks lacks %q:\n%s", want, got)
		}
	}
	if depthRanks(map[string][]float64{}) != "" {
		t.Error("no finished depth: want no section")
	}
}
