package main

import (
	"encoding/json"
	"fmt"
	"math"
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
