package metrics

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMeanROCAUC: Tox21-sized test set (1000 samples × 12 tasks, ~20%
// labels missing), seeded.
func BenchmarkMeanROCAUC(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, k = 1000, 12
	s, y, m := make([]float64, n*k), make([]float64, n*k), make([]float64, n*k)
	for i := range s {
		y[i] = float64(rng.IntN(2))
		s[i] = rng.NormFloat64() + y[i]
		if rng.IntN(5) != 0 {
			m[i] = 1
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MeanROCAUC(s, y, m, k); err != nil {
			b.Fatal(err)
		}
	}
}
