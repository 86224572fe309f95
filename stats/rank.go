package stats

import (
	"fmt"
	"math"
	"sort"
)

// Ranks returns the ascending 1-based ranks of x: the smallest value gets
// rank 1 and tied values get the mean of the ranks they span (midranks).
// x is not changed. Ranks of an empty slice is empty. Ranks panics if x
// holds a NaN.
func Ranks(x []float64) []float64 {
	r, _ := ranksTies(x)
	return r
}

// ranksTies returns the midranks of x and the sizes of its groups of tied
// values (groups of one are left out).
func ranksTies(x []float64) ([]float64, []int) {
	idx := make([]int, len(x))
	for i := range idx {
		if math.IsNaN(x[i]) {
			panic("stats: NaN in ranked data")
		}
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	var ties []int
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of ranks i+1 .. j
		for k := i; k < j; k++ {
			r[idx[k]] = mid
		}
		if j-i > 1 {
			ties = append(ties, j-i)
		}
		i = j
	}
	return r, ties
}

// AverageRanks ranks the methods within each row of scores (one row per
// data set, one column per method) and returns each method's mean rank over
// the rows. Rank 1 is the best score: the highest when higherIsBetter, else
// the lowest; tied methods share the mean of their ranks, so every row's
// ranks sum to m(m+1)/2 for m methods.
//
// AverageRanks returns an error, naming the row and column, if a row's
// length differs from the first row's or a score is NaN or infinite (drop
// such data sets first: the paper's ranks need every method on every data
// set). Without rows it returns nil.
func AverageRanks(scores [][]float64, higherIsBetter bool) ([]float64, error) {
	if len(scores) == 0 {
		return nil, nil
	}
	m := len(scores[0])
	sum := make([]float64, m)
	row := make([]float64, m)
	for i, s := range scores {
		if len(s) != m {
			return nil, fmt.Errorf("stats: row %d has %d scores, row 0 has %d", i, len(s), m)
		}
		for j, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("stats: row %d, column %d: score %v is not finite", i, j, v)
			}
			row[j] = v
			if higherIsBetter {
				row[j] = -v
			}
		}
		for j, r := range Ranks(row) {
			sum[j] += r
		}
	}
	for j := range sum {
		sum[j] /= float64(len(scores))
	}
	return sum, nil
}
