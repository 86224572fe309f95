package datasets

import "math"

// SignedLog1p returns sign(x)·log(1+|x|): the identity near 0, logarithmic
// in both tails. It tames heavy-tailed features (HTRU2's kurtosis columns,
// Tox21's descriptors) before standardization.
func SignedLog1p(x float64) float64 {
	if x < 0 {
		return -math.Log1p(-x)
	}
	return math.Log1p(x)
}

// Transform applies f to every feature of s in place. A nil s is a no-op.
func (s *Set) Transform(f func(float64) float64) {
	if s == nil {
		return
	}
	for i, v := range s.X {
		s.X[i] = f(v)
	}
}
