package main

import (
	"slices"
	"testing"

	"github.com/selunet/selunet/datasets"
)

func TestTanimotoNearest(t *testing.T) {
	// Rows as 0/1 features over 3 columns; column 70 of a wider set checks
	// the second word.
	s := &datasets.Set{N: 4, D: 72, X: make([]float64, 4*72)}
	set := func(i int, cols ...int) {
		for _, c := range cols {
			s.X[i*72+c] = 1
		}
	}
	set(0, 0, 1, 70) // {0 1 70}
	set(1, 0, 1)     // {0 1}
	set(2, 2)        // {2}
	// row 3 is empty
	fp := fingerprints(s, []int{0, 1, 2, 3})
	cases := []struct {
		a, b int
		want float64
	}{
		{0, 0, 1}, {0, 1, 2.0 / 3}, {1, 2, 0}, {0, 2, 0}, {3, 3, 0}, {2, 3, 0},
	}
	for _, c := range cases {
		if got := tanimoto(fp[c.a], fp[c.b]); got != c.want {
			t.Errorf("tanimoto(row %d, row %d) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if got, want := nearest(fp[:3], fp[1:]), []float64{2.0 / 3, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("nearest = %v, want %v", got, want)
	}
}
