package alphadropout

import (
	"fmt"
	"math"

	"github.com/selunet/selunet/ops/selu"
)

// Coefficients returns the affine correction (a, b) of alpha dropout with
// dropout rate 1−q = rate for the fixed point (mean, variance) = (0, 1) and
// α' = selu.AlphaPrime (paper Sec. 2):
//
//	a = (q + α'²·q·(1 − q))^(−1/2),  b = −a·(1 − q)·α'
//
// It panics if rate is not in [0, 1).
func Coefficients(rate float64) (a, b float64) {
	return CoefficientsAt(rate, 0, 1, selu.AlphaPrime)
}

// CoefficientsAt is the general form of the reference code (dropout_selu in
// bioinf-jku/SNNs selu.py) for a fixed point (mean μ, variance ν) and
// saturation value alphaPrime α':
//
//	a = sqrt(ν / (q·((1 − q)·(α' − μ)² + ν))),  b = μ − a·(q·μ + (1 − q)·α')
//
// For μ = 0, ν = 1 it equals Coefficients. It panics if rate is not in
// [0, 1), variance is not positive, or any argument is not finite.
func CoefficientsAt(rate, mean, variance, alphaPrime float64) (a, b float64) {
	if err := checkRate(rate); err != nil {
		panic(err.Error())
	}
	if !(variance > 0) || math.IsInf(variance, 0) || math.IsNaN(mean) || math.IsInf(mean, 0) ||
		math.IsNaN(alphaPrime) || math.IsInf(alphaPrime, 0) {
		panic(fmt.Sprintf("alphadropout: bad fixed point (%v, %v) or alpha' %v", mean, variance, alphaPrime))
	}
	q := 1 - rate
	if mean == 0 && variance == 1 {
		a = 1 / math.Sqrt(q+alphaPrime*alphaPrime*q*(1-q))
		b = -a * (1 - q) * alphaPrime
		return
	}
	d := alphaPrime - mean
	a = math.Sqrt(variance / (q * ((1-q)*d*d + variance)))
	b = mean - a*(q*mean+(1-q)*alphaPrime)
	return
}

func checkRate(rate float64) error {
	if !(rate >= 0 && rate < 1) {
		return fmt.Errorf("alphadropout: rate %v not in [0, 1)", rate)
	}
	return nil
}
