package datasets

import (
	"fmt"
	"math"
)

// Standardizer holds per-column statistics fitted on training rows. Apply maps
// each feature x of column j to (x − Mean[j]) / Std[j] and then, if Clip > 0,
// clips it to [−Clip, Clip]. Std entries are never zero (see FitStandardizer).
type Standardizer struct {
	Mean, Std []float64
	Clip      float64
}

// FitStandardizer fits a Standardizer on all rows of s (pass the training set,
// or use FitStandardizerRows). Std is the population standard deviation
// (divisor N), so the fitted rows end up with mean 0 and variance 1 exactly up
// to rounding. A column whose standard deviation is at most
// 1e-12·max(1, |mean|) (constant up to rounding) gets Std = 1. Clip is 0.
// With N = 0 every Mean is 0 and every Std 1.
func FitStandardizer(s *Set) *Standardizer {
	return FitStandardizerRows(s, nil)
}

// FitStandardizerRows is FitStandardizer restricted to the rows idx of s
// (nil means all rows), without copying them. It panics if an index is out of
// range.
func FitStandardizerRows(s *Set, idx []int) *Standardizer {
	n := s.N
	if idx != nil {
		n = len(idx)
	}
	row := func(j int) []float64 {
		if idx == nil {
			return s.Row(j)
		}
		return s.Row(idx[j])
	}
	st := &Standardizer{Mean: make([]float64, s.D), Std: make([]float64, s.D)}
	for j := 0; j < n; j++ {
		for c, v := range row(j) {
			st.Mean[c] += v
		}
	}
	for c := range st.Mean {
		if n > 0 {
			st.Mean[c] /= float64(n)
		}
	}
	// Two-pass (corrected) variance: sum of squared deviations minus the
	// squared sum of deviations / n, which cancels the rounding of the mean.
	ss := make([]float64, s.D)
	sd := make([]float64, s.D)
	for j := 0; j < n; j++ {
		for c, v := range row(j) {
			d := v - st.Mean[c]
			ss[c] += d * d
			sd[c] += d
		}
	}
	for c := range st.Std {
		v := 0.0
		if n > 0 {
			v = (ss[c] - sd[c]*sd[c]/float64(n)) / float64(n)
		}
		sdv := math.Sqrt(math.Max(v, 0))
		if sdv <= 1e-12*math.Max(1, math.Abs(st.Mean[c])) {
			sdv = 1
		}
		st.Std[c] = sdv
	}
	return st
}

// Apply standardizes s.X in place. It panics if len(Mean) or len(Std) differs
// from s.D.
func (st *Standardizer) Apply(s *Set) {
	if len(st.Mean) != s.D || len(st.Std) != s.D {
		panic(fmt.Sprintf("datasets: Standardizer fitted on %d columns applied to %d", len(st.Mean), s.D))
	}
	for i := 0; i < s.N; i++ {
		st.ApplyRow(s.X[i*s.D : (i+1)*s.D])
	}
}

// ApplyRow standardizes one feature row in place. It panics if len(row)
// differs from len(Mean).
func (st *Standardizer) ApplyRow(row []float64) {
	if len(row) != len(st.Mean) {
		panic(fmt.Sprintf("datasets: Standardizer fitted on %d columns applied to a row of %d", len(st.Mean), len(row)))
	}
	for c, v := range row {
		z := (v - st.Mean[c]) / st.Std[c]
		if st.Clip > 0 {
			z = math.Max(-st.Clip, math.Min(st.Clip, z))
		}
		row[c] = z
	}
}
