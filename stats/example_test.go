package stats_test

import (
	"fmt"

	"github.com/selunet/selunet/stats"
)

// Two methods' accuracies on eight data sets: is A better than B? Two
// differences tie (0.05), so R's rule picks the normal approximation
// (SciPy 1.10.1 with correction=True: p = 0.02067).
func ExampleWilcoxon() {
	a := []float64{0.91, 0.85, 0.78, 0.88, 0.95, 0.70, 0.83, 0.99}
	b := []float64{0.89, 0.80, 0.79, 0.84, 0.90, 0.64, 0.80, 0.96}
	r, err := stats.Wilcoxon(a, b, stats.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("V=%v n=%d %v p=%.4f\n", r.V, r.N, r.Method, r.P)
	// Output: V=35 n=8 normal p=0.0207
}

// Three methods on three data sets (higher is better): the second method
// ranks first on average.
func ExampleAverageRanks() {
	acc := [][]float64{
		{0.80, 0.90, 0.70},
		{0.60, 0.60, 0.50},
		{0.75, 0.85, 0.95},
	}
	r, _ := stats.AverageRanks(acc, true)
	fmt.Printf("%.3f\n", r)
	// Output: [2.167 1.500 2.333]
}
